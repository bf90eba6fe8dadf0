/*
 * network.c: nodes, segments, and cached Dijkstra trees.
 *
 * The adjacency is rebuilt lazily in compressed sparse row form (arcs
 * grouped by the node they leave, in arc order, so results do not depend
 * on insertion details beyond ids). A tree is cached per (speed class,
 * source); a speed class is one distinct top speed.
 */
#include "model/network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

enum { MAX_CLASSES = 16 };

struct tree {
    double *time;  /* seconds from the source; INFINITY when unreachable */
    uint32_t *via; /* the arc that reaches each node; UINT32_MAX at the source or unreachable */
};

struct speed_class {
    double vmax;
    bool people; /* routes for people: fenced segments barred, fenced nodes only at either end */
    struct tree *trees; /* one per source node, computed on demand (time == NULL until then) */
};

struct sf_network {
    sf_node *nodes;
    uint32_t nnodes;
    size_t nodes_cap;
    sf_segment *segs;
    uint32_t nsegs;
    size_t segs_cap;
    sf_names names;
    bool *seg_fenced;  /* per segment, NULL when none is: people may not use it */
    bool *node_fenced; /* per node, NULL when none is: people may end or start there, not pass through */
    /* adjacency, valid when `built` */
    bool built;
    uint32_t *first; /* nnodes + 1 offsets into out[] */
    uint32_t *out;   /* arc ids */
    struct speed_class classes[MAX_CLASSES];
    int nclasses;
    size_t cache_bytes;
};

sf_network *sf_network_new(void)
{
    sf_network *net = sf_calloc(1, sizeof *net);
    if (net)
        sf_names_init(&net->names);
    return net;
}

static void drop_cache(sf_network *net)
{
    for (int c = 0; c < net->nclasses; c++) {
        for (uint32_t i = 0; net->classes[c].trees && i < net->nnodes; i++) {
            free(net->classes[c].trees[i].time);
            free(net->classes[c].trees[i].via);
        }
        free(net->classes[c].trees);
    }
    net->nclasses = 0;
    net->cache_bytes = 0;
    free(net->first);
    free(net->out);
    net->first = net->out = NULL;
    net->built = false;
}

void sf_network_free(sf_network *net)
{
    if (!net)
        return;
    drop_cache(net);
    for (uint32_t i = 0; i < net->nnodes; i++)
        free(net->nodes[i].name);
    free(net->nodes);
    free(net->segs);
    free(net->seg_fenced);
    free(net->node_fenced);
    sf_names_close(&net->names);
    free(net);
}

int sf_network_add_node(sf_network *net, const char *name, double x, double y, uint32_t *id)
{
    uint32_t dummy;
    char *copy;
    int rc;

    if (!name || !isfinite(x) || !isfinite(y) || sf_names_find(&net->names, name, &dummy) == SF_OK)
        return SF_EINVAL;
    if (sf_grow(net->nodes, net->nodes_cap, net->nnodes + 1) != SF_OK)
        return SF_ENOMEM;
    if (!(copy = sf_malloc(strlen(name) + 1)))
        return SF_ENOMEM;
    strcpy(copy, name);
    if ((rc = sf_names_add(&net->names, name, net->nnodes)) != SF_OK) {
        free(copy);
        return rc;
    }
    if (net->node_fenced) { /* nodes added after a fence: a larger array, the new node open */
        bool *f = sf_calloc((size_t)net->nnodes + 1, sizeof *f);
        if (!f) {
            free(copy);
            return SF_ENOMEM;
        }
        memcpy(f, net->node_fenced, net->nnodes * sizeof *f);
        free(net->node_fenced);
        net->node_fenced = f;
    }
    drop_cache(net);
    net->nodes[net->nnodes] = (sf_node){copy, x, y};
    if (id)
        *id = net->nnodes;
    net->nnodes++;
    return SF_OK;
}

int sf_network_add_segment(sf_network *net, uint32_t from, uint32_t to, double length, double speed_limit,
                           int capacity, bool two_way, uint32_t *id)
{
    if (from >= net->nnodes || to >= net->nnodes || from == to || capacity < 1 || !(speed_limit > 0) ||
        isnan(length) || isinf(length))
        return SF_EINVAL;
    if (length <= 0)
        length = hypot(net->nodes[to].x - net->nodes[from].x, net->nodes[to].y - net->nodes[from].y);
    if (!(length > 0))
        return SF_EINVAL;
    if (sf_grow(net->segs, net->segs_cap, net->nsegs + 1) != SF_OK)
        return SF_ENOMEM;
    if (net->seg_fenced) {
        bool *f = sf_calloc((size_t)net->nsegs + 1, sizeof *f);
        if (!f)
            return SF_ENOMEM;
        memcpy(f, net->seg_fenced, net->nsegs * sizeof *f);
        free(net->seg_fenced);
        net->seg_fenced = f;
    }
    drop_cache(net);
    net->segs[net->nsegs] = (sf_segment){from, to, length, speed_limit, capacity, two_way};
    if (id)
        *id = net->nsegs;
    net->nsegs++;
    return SF_OK;
}

/* Raise flag i of n, in an array made when the first one is raised. */
static int fence(sf_network *net, bool **flags, uint32_t i, uint32_t n)
{
    if (i >= n)
        return SF_EINVAL;
    if (!*flags && !(*flags = sf_calloc(n, sizeof **flags)))
        return SF_ENOMEM;
    drop_cache(net);
    (*flags)[i] = true;
    return SF_OK;
}

int sf_network_fence_segment(sf_network *net, uint32_t seg) { return fence(net, &net->seg_fenced, seg, net->nsegs); }
int sf_network_fence_node(sf_network *net, uint32_t node) { return fence(net, &net->node_fenced, node, net->nnodes); }

bool sf_network_segment_fenced(const sf_network *net, uint32_t seg)
{
    return net->seg_fenced && seg < net->nsegs && net->seg_fenced[seg];
}

bool sf_network_node_fenced(const sf_network *net, uint32_t node)
{
    return net->node_fenced && node < net->nnodes && net->node_fenced[node];
}

uint32_t sf_network_node_count(const sf_network *net) { return net->nnodes; }
uint32_t sf_network_segment_count(const sf_network *net) { return net->nsegs; }
const sf_node *sf_network_node(const sf_network *net, uint32_t id) { return id < net->nnodes ? &net->nodes[id] : NULL; }
const sf_segment *sf_network_segment(const sf_network *net, uint32_t id) { return id < net->nsegs ? &net->segs[id] : NULL; }

int sf_network_find_node(const sf_network *net, const char *name, uint32_t *id)
{
    return sf_names_find(&net->names, name, id);
}

uint32_t sf_network_arc_from(const sf_network *net, uint32_t arc)
{
    const sf_segment *s = &net->segs[arc >> 1];
    return arc & 1 ? s->to : s->from;
}

uint32_t sf_network_arc_to(const sf_network *net, uint32_t arc)
{
    const sf_segment *s = &net->segs[arc >> 1];
    return arc & 1 ? s->from : s->to;
}

/* Build the CSR adjacency: for each node, the arcs leaving it in ascending arc id. */
static int build(sf_network *net)
{
    uint32_t *fill;

    if (net->built)
        return SF_OK;
    net->first = sf_calloc((size_t)net->nnodes + 1, sizeof *net->first);
    net->out = sf_malloc(((size_t)net->nsegs * 2 + 1) * sizeof *net->out);
    fill = sf_calloc((size_t)net->nnodes + 1, sizeof *fill);
    if (!net->first || !net->out || !fill) {
        free(fill);
        drop_cache(net);
        return SF_ENOMEM;
    }
    for (uint32_t s = 0; s < net->nsegs; s++) {
        net->first[net->segs[s].from + 1]++;
        if (net->segs[s].two_way)
            net->first[net->segs[s].to + 1]++;
    }
    for (uint32_t i = 0; i < net->nnodes; i++)
        net->first[i + 1] += net->first[i];
    for (uint32_t arc = 0; arc < net->nsegs * 2; arc++) {
        uint32_t from;
        if ((arc & 1) && !net->segs[arc >> 1].two_way)
            continue;
        from = sf_network_arc_from(net, arc);
        net->out[net->first[from] + fill[from]++] = arc;
    }
    free(fill);
    net->built = true;
    return SF_OK;
}

/* Binary min-heap of (time, node) for Dijkstra; ties by node id keep runs identical. */
struct heap_item {
    double time;
    uint32_t node;
};

static bool item_before(const struct heap_item *a, const struct heap_item *b)
{
    return a->time < b->time || (a->time == b->time && a->node < b->node);
}

static void heap_push(struct heap_item *h, size_t *n, struct heap_item x)
{
    size_t i = (*n)++;
    while (i > 0 && item_before(&x, &h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
    struct heap_item top = h[0], x = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && item_before(&h[c + 1], &h[c]))
            c++;
        if (!item_before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = x;
    return top;
}

static bool avoided(const uint32_t *avoid, size_t n, uint32_t seg)
{
    for (size_t i = 0; i < n; i++)
        if (avoid[i] == seg)
            return true;
    return false;
}

static int dijkstra(sf_network *net, double vmax, bool people, uint32_t source, struct tree *t,
                    const uint32_t *avoid, size_t n_avoid)
{
    const bool *seg_fenced = people ? net->seg_fenced : NULL, *node_fenced = people ? net->node_fenced : NULL;
    size_t n = 0;
    /* lazy deletion: at most one heap entry per relaxed arc, plus the source */
    struct heap_item *h = sf_malloc(((size_t)net->nsegs * 2 + 1) * sizeof *h);

    t->time = sf_malloc((size_t)net->nnodes * sizeof *t->time);
    t->via = sf_malloc((size_t)net->nnodes * sizeof *t->via);
    if (!h || !t->time || !t->via) {
        free(h);
        free(t->time);
        free(t->via);
        t->time = NULL;
        t->via = NULL;
        return SF_ENOMEM;
    }
    for (uint32_t i = 0; i < net->nnodes; i++) {
        t->time[i] = INFINITY;
        t->via[i] = UINT32_MAX;
    }
    t->time[source] = 0;
    heap_push(h, &n, (struct heap_item){0, source});
    while (n > 0) {
        struct heap_item it = heap_pop(h, &n);
        if (it.time > t->time[it.node])
            continue;
        /* a person reaches a fenced node (a fenced robot's station) but walks on from it only where it began */
        if (node_fenced && node_fenced[it.node] && it.node != source)
            continue;
        for (uint32_t k = net->first[it.node]; k < net->first[it.node + 1]; k++) {
            uint32_t arc = net->out[k], to = sf_network_arc_to(net, arc);
            const sf_segment *s = &net->segs[arc >> 1];
            double v = s->speed_limit < vmax ? s->speed_limit : vmax;
            if ((n_avoid && avoided(avoid, n_avoid, arc >> 1)) || (seg_fenced && seg_fenced[arc >> 1]))
                continue;
            double time = it.time + s->length / v;
            if (time < t->time[to]) {
                t->time[to] = time;
                t->via[to] = arc;
                heap_push(h, &n, (struct heap_item){time, to});
            }
        }
    }
    free(h);
    if (!n_avoid)
        net->cache_bytes += (size_t)net->nnodes * (sizeof *t->time + sizeof *t->via);
    return SF_OK;
}

static int tree_for(sf_network *net, double vmax, bool people, uint32_t source, struct tree **out)
{
    struct speed_class *c = NULL;
    int rc;

    if ((rc = build(net)) != SF_OK)
        return rc;
    for (int i = 0; i < net->nclasses; i++)
        if (net->classes[i].vmax == vmax && net->classes[i].people == people)
            c = &net->classes[i];
    if (!c) {
        if (net->nclasses == MAX_CLASSES)
            return SF_ELIMIT;
        c = &net->classes[net->nclasses];
        if (!(c->trees = sf_calloc(net->nnodes ? net->nnodes : 1, sizeof *c->trees)))
            return SF_ENOMEM;
        c->vmax = vmax;
        c->people = people;
        net->nclasses++;
    }
    if (!c->trees[source].time && (rc = dijkstra(net, vmax, people, source, &c->trees[source], NULL, 0)) != SF_OK)
        return rc;
    *out = &c->trees[source];
    return SF_OK;
}

/* Walk a tree back from `to` into a route. */
static int route_from_tree(const sf_network *net, const struct tree *t, uint32_t from, uint32_t to, sf_route *route)
{
    uint32_t n = 0, node;

    if (isinf(t->time[to]))
        return SF_ENOTFOUND;
    for (node = to; node != from; node = sf_network_arc_from(net, t->via[node]))
        n++;
    if (n > 0 && !(route->arcs = sf_malloc(n * sizeof *route->arcs)))
        return SF_ENOMEM;
    route->n = n;
    route->time = t->time[to];
    for (node = to; node != from; node = sf_network_arc_from(net, t->via[node])) {
        route->arcs[--n] = t->via[node];
        route->length += net->segs[t->via[node] >> 1].length;
    }
    return SF_OK;
}

int sf_network_route(sf_network *net, uint32_t from, uint32_t to, double vmax, sf_route *route)
{
    return sf_network_route_as(net, from, to, vmax, false, route);
}

int sf_network_route_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person, sf_route *route)
{
    struct tree *t;
    int rc;

    memset(route, 0, sizeof *route);
    if (from >= net->nnodes || to >= net->nnodes || !(vmax > 0) || isinf(vmax))
        return SF_EINVAL;
    if ((rc = tree_for(net, vmax, person, from, &t)) != SF_OK)
        return rc;
    return route_from_tree(net, t, from, to, route);
}

int sf_network_route_length(sf_network *net, uint32_t from, uint32_t to, double vmax, double *length)
{
    return sf_network_route_length_as(net, from, to, vmax, false, length);
}

int sf_network_route_length_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person, double *length)
{
    struct tree *t;
    double len = 0;
    int rc;

    if (from >= net->nnodes || to >= net->nnodes || !(vmax > 0) || isinf(vmax))
        return SF_EINVAL;
    if ((rc = tree_for(net, vmax, person, from, &t)) != SF_OK)
        return rc;
    if (isinf(t->time[to]))
        return SF_ENOTFOUND;
    for (uint32_t node = to; node != from; node = sf_network_arc_from(net, t->via[node]))
        len += net->segs[t->via[node] >> 1].length;
    *length = len;
    return SF_OK;
}

int sf_network_route_avoiding(sf_network *net, uint32_t from, uint32_t to, double vmax, const uint32_t *avoid,
                              size_t n_avoid, sf_route *route)
{
    return sf_network_route_avoiding_as(net, from, to, vmax, false, avoid, n_avoid, route);
}

int sf_network_route_avoiding_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person,
                                 const uint32_t *avoid, size_t n_avoid, sf_route *route)
{
    struct tree t;
    int rc;

    memset(route, 0, sizeof *route);
    if (from >= net->nnodes || to >= net->nnodes || !(vmax > 0) || isinf(vmax))
        return SF_EINVAL;
    if ((rc = build(net)) != SF_OK || (rc = dijkstra(net, vmax, person, from, &t, avoid, n_avoid)) != SF_OK)
        return rc;
    rc = route_from_tree(net, &t, from, to, route);
    free(t.time);
    free(t.via);
    return rc;
}

void sf_route_close(sf_route *route)
{
    free(route->arcs);
    memset(route, 0, sizeof *route);
}

bool sf_network_reachable(sf_network *net, uint32_t from, uint32_t to)
{
    struct tree *t;

    if (from >= net->nnodes || to >= net->nnodes)
        return false;
    /* any positive speed gives the same reachability; use the speed of the first class or 1 m/s */
    if (tree_for(net, net->nclasses ? net->classes[0].vmax : 1.0, false, from, &t) != SF_OK)
        return false;
    return !isinf(t->time[to]);
}

size_t sf_network_cache_bytes(const sf_network *net)
{
    return net->cache_bytes;
}
