/*
 * storage.c: lanes of cells, ranked once per policy.
 *
 * Every (rack, bay, level) is a lane of `depth` cells filled from the
 * back: a lane holding n loads has them in slots depth - n .. depth - 1,
 * so its next put-away goes to slot depth - n - 1 and its next retrieval
 * comes from slot depth - n. While a lane has a reservation in flight it
 * takes no other (one forklift at a lane at a time).
 *
 * Costs: lanes are ranked once (O(L log L)); a put-away scans the ranked
 * lanes of its zone from a hint that skips the leading full lanes, so it
 * is O(1) while the store fills in order and O(L) at worst. A retrieval
 * takes the oldest accessible load of its item: each item keeps a heap of
 * the lanes whose front load it is, by that load's arrival order, pushed
 * whenever a lane's front changes and checked when it comes to the top
 * (an entry whose lane has since changed is dropped), so a retrieval is
 * O(log L) amortised; the choice is the one a scan of every lane front
 * makes.
 */
#include "model/storage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct cell {
    uint8_t state;
    uint32_t item;
    uint64_t seq; /* order of arrival, for first in, first out */
};

struct lane {
    uint32_t rack, bay, level;
    uint32_t n;    /* loads in the lane, including reserved ones */
    bool busy;     /* a reservation is in flight */
    char zone;     /* 'A', 'B', 'C' */
    double time;   /* travel time from the reference node, seconds */
    uint32_t order;/* natural order, for ties */
};

/* A lane whose front load is of an item, with that load's arrival number. */
struct front {
    uint64_t seq;
    uint32_t lane;
};

/* An item's fronts, a binary min-heap by seq; a slot of the item table. */
struct fronts {
    uint32_t item;
    bool used;
    struct front *v;
    size_t n, cap;
};

struct rack {
    char *name;
    uint32_t bays, levels, depth;
    double *height;
    uint32_t *access;
    struct cell *cells;
    uint32_t first_lane; /* index of the rack's first lane in `lanes` */
};

struct sf_storage {
    sf_network *net;
    sf_storage_policy policy;
    uint32_t reference;
    double share_a, share_b;
    struct rack *racks;
    uint32_t nracks;
    struct lane *lanes;
    uint32_t nlanes;
    uint32_t *ranked; /* lane indices in policy order */
    uint32_t zone_start[4]; /* ranked[zone_start[z] .. zone_start[z + 1]) is zone A, B, C */
    uint32_t hint[3];
    bool ranked_ok;
    uint64_t seq, cells, full, incoming;
    struct fronts *items; /* open addressing by item, `nitems_cap` slots (a power of two) */
    size_t nitems, nitems_cap;
};

sf_storage *sf_storage_new(sf_network *net, sf_storage_policy policy, uint32_t reference, double share_a,
                           double share_b)
{
    if (policy != SF_STORE_FIRST_FREE && reference >= sf_network_node_count(net))
        return NULL;
    if (!(share_a >= 0 && share_b >= 0 && share_a + share_b <= 1))
        return NULL;
    return SF_NEW(sf_storage, .net = net, .policy = policy, .reference = reference, .share_a = share_a,
                  .share_b = share_b);
}

void sf_storage_free(sf_storage *st)
{
    if (!st)
        return;
    for (uint32_t r = 0; r < st->nracks; r++) {
        free(st->racks[r].name);
        free(st->racks[r].height);
        free(st->racks[r].access);
        free(st->racks[r].cells);
    }
    for (size_t i = 0; i < st->nitems_cap; i++)
        free(st->items[i].v);
    free(st->items);
    free(st->racks);
    free(st->lanes);
    free(st->ranked);
    free(st);
}

int sf_storage_add_rack(sf_storage *st, const sf_rack_spec *spec, uint32_t *id)
{
    struct rack *racks, *r;
    struct lane *lanes;
    uint64_t ncells, nl;

    if (!spec->name || spec->bays == 0 || spec->levels == 0 || spec->depth == 0)
        return SF_EINVAL;
    for (uint32_t l = 0; l < spec->levels; l++)
        if (!(spec->level_height[l] >= 0) || (l > 0 && !(spec->level_height[l] > spec->level_height[l - 1])))
            return SF_EINVAL;
    for (uint32_t b = 0; b < spec->bays; b++)
        if (spec->access[b] >= sf_network_node_count(st->net))
            return SF_EINVAL;
    nl = (uint64_t)spec->bays * spec->levels;
    ncells = nl * spec->depth;
    if (ncells > UINT32_MAX || st->nlanes + nl > UINT32_MAX)
        return SF_ERANGE;
    if (!(racks = sf_realloc(st->racks, (st->nracks + 1) * sizeof *racks)))
        return SF_ENOMEM;
    st->racks = racks;
    if (!(lanes = sf_realloc(st->lanes, (st->nlanes + nl) * sizeof *lanes)))
        return SF_ENOMEM;
    st->lanes = lanes;
    r = &st->racks[st->nracks];
    memset(r, 0, sizeof *r);
    r->bays = spec->bays;
    r->levels = spec->levels;
    r->depth = spec->depth;
    r->name = sf_malloc(strlen(spec->name) + 1);
    r->height = sf_malloc(spec->levels * sizeof *r->height);
    r->access = sf_malloc(spec->bays * sizeof *r->access);
    r->cells = sf_calloc(ncells, sizeof *r->cells);
    if (!r->name || !r->height || !r->access || !r->cells) {
        free(r->name);
        free(r->height);
        free(r->access);
        free(r->cells);
        return SF_ENOMEM;
    }
    strcpy(r->name, spec->name);
    memcpy(r->height, spec->level_height, spec->levels * sizeof *r->height);
    memcpy(r->access, spec->access, spec->bays * sizeof *r->access);
    r->first_lane = st->nlanes;
    for (uint32_t b = 0; b < spec->bays; b++)
        for (uint32_t l = 0; l < spec->levels; l++) {
            struct lane *ln = &st->lanes[st->nlanes];
            memset(ln, 0, sizeof *ln);
            ln->rack = st->nracks;
            ln->bay = b;
            ln->level = l;
            ln->zone = 'A';
            ln->order = st->nlanes++;
        }
    st->cells += ncells;
    st->ranked_ok = false;
    if (id)
        *id = st->nracks;
    st->nracks++;
    return SF_OK;
}

static const sf_storage *sort_ctx;

static int by_time(const void *pa, const void *pb)
{
    const struct lane *a = &sort_ctx->lanes[*(const uint32_t *)pa], *b = &sort_ctx->lanes[*(const uint32_t *)pb];
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Rank the lanes for the policy and split them into zones (once, after the racks are added). */
static int rank(sf_storage *st)
{
    uint64_t acc = 0, a_cells, b_cells;
    uint32_t z = 0;

    if (st->ranked_ok)
        return SF_OK;
    free(st->ranked);
    if (!(st->ranked = sf_malloc((st->nlanes ? st->nlanes : 1) * sizeof *st->ranked)))
        return SF_ENOMEM;
    for (uint32_t i = 0; i < st->nlanes; i++) {
        struct lane *ln = &st->lanes[i];
        st->ranked[i] = i;
        ln->time = 0;
        if (st->policy != SF_STORE_FIRST_FREE) {
            sf_route route;
            uint32_t node = st->racks[ln->rack].access[ln->bay];
            ln->time = sf_network_route(st->net, st->reference, node, 1.0, &route) == SF_OK ? route.time : INFINITY;
            sf_route_close(&route);
        }
    }
    if (st->policy != SF_STORE_FIRST_FREE) {
        sort_ctx = st;
        qsort(st->ranked, st->nlanes, sizeof *st->ranked, by_time);
    }
    /* zones by cumulative share of cells; without ABC everything is one zone */
    a_cells = (uint64_t)llround(st->share_a * (double)st->cells);
    b_cells = (uint64_t)llround((st->share_a + st->share_b) * (double)st->cells);
    st->zone_start[0] = 0;
    for (uint32_t i = 0; i < st->nlanes; i++) {
        struct lane *ln = &st->lanes[st->ranked[i]];
        char zone = 'A';
        if (st->policy == SF_STORE_CLASS_ABC)
            zone = acc < a_cells ? 'A' : acc < b_cells ? 'B' : 'C';
        while (z < 2 && zone > 'A' + (int)z)
            st->zone_start[++z] = i;
        ln->zone = zone;
        acc += st->racks[ln->rack].depth;
    }
    while (z < 3)
        st->zone_start[++z] = st->nlanes;
    for (int i = 0; i < 3; i++)
        st->hint[i] = st->zone_start[i];
    st->ranked_ok = true;
    return SF_OK;
}

static struct cell *cell_at(const sf_storage *st, const sf_cell_ref *c)
{
    const struct rack *r = &st->racks[c->rack];
    return &r->cells[((size_t)c->bay * r->levels + c->level) * r->depth + c->slot];
}

static bool valid(const sf_storage *st, const sf_cell_ref *c)
{
    const struct rack *r;
    if (c->rack >= st->nracks)
        return false;
    r = &st->racks[c->rack];
    return c->bay < r->bays && c->level < r->levels && c->slot < r->depth;
}

static struct lane *lane_of(const sf_storage *st, const sf_cell_ref *c)
{
    const struct rack *r = &st->racks[c->rack];
    return &st->lanes[r->first_lane + c->bay * r->levels + c->level];
}

/* The first lane of zone z (from its hint) that can take a load; advances the hint over full lanes. */
static struct lane *free_lane(sf_storage *st, int z)
{
    bool leading = true;

    for (uint32_t i = st->hint[z]; i < st->zone_start[z + 1]; i++) {
        struct lane *ln = &st->lanes[st->ranked[i]];
        bool full = ln->n == st->racks[ln->rack].depth;
        if (leading && full)
            st->hint[z] = i + 1;
        else
            leading = false;
        if (!full && !ln->busy)
            return ln;
    }
    return NULL;
}

/* ---- the fronts of each item ---------------------------------------------- */

static size_t item_slot(size_t cap, uint32_t item)
{
    return (size_t)(item * 0x9E3779B1u) & (cap - 1);
}

/* The fronts of `item`, made when `add`; NULL when it has none (or memory ran out adding it). */
static struct fronts *fronts_of(sf_storage *st, uint32_t item, bool add)
{
    size_t i;

    if (add && 2 * (st->nitems + 1) > st->nitems_cap) { /* keep the table at most half full */
        size_t cap = st->nitems_cap ? 2 * st->nitems_cap : 16;
        struct fronts *t = sf_calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t j = 0; j < st->nitems_cap; j++)
            if (st->items[j].used) {
                for (i = item_slot(cap, st->items[j].item); t[i].used; i = (i + 1) & (cap - 1))
                    ;
                t[i] = st->items[j];
            }
        free(st->items);
        st->items = t;
        st->nitems_cap = cap;
    }
    for (i = st->nitems_cap ? item_slot(st->nitems_cap, item) : 0; st->nitems_cap && st->items[i].used;
         i = (i + 1) & (st->nitems_cap - 1))
        if (st->items[i].item == item)
            return &st->items[i];
    if (!add)
        return NULL;
    st->items[i] = (struct fronts){.item = item, .used = true};
    st->nitems++;
    return &st->items[i];
}

static void sift_down(struct fronts *f, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < f->n && f->v[l].seq < f->v[m].seq)
            m = l;
        if (l + 1 < f->n && f->v[l + 1].seq < f->v[m].seq)
            m = l + 1;
        if (m == i)
            return;
        struct front t = f->v[i];
        f->v[i] = f->v[m];
        f->v[m] = t;
        i = m;
    }
}

/* Lane `lane` now has `c` in front: a retrieval of its item may take it. */
static int push_front(sf_storage *st, uint32_t lane, const struct cell *c)
{
    struct fronts *f = fronts_of(st, c->item, true);
    size_t i;

    if (!f || sf_grow(f->v, f->cap, f->n + 1) != SF_OK)
        return SF_ENOMEM;
    for (i = f->n++; i > 0 && f->v[(i - 1) / 2].seq > c->seq; i = (i - 1) / 2)
        f->v[i] = f->v[(i - 1) / 2];
    f->v[i] = (struct front){c->seq, lane};
    return SF_OK;
}

/* The cell in front of a lane (its next retrieval), NULL for an empty lane. */
static struct cell *front_cell(const sf_storage *st, const struct lane *ln, sf_cell_ref *ref)
{
    if (ln->n == 0)
        return NULL;
    *ref = (sf_cell_ref){ln->rack, ln->bay, ln->level, st->racks[ln->rack].depth - ln->n};
    return cell_at(st, ref);
}

/* An entry still stands for an accessible load of its item: its lane is free and shows that load in front. */
static bool current(const sf_storage *st, uint32_t item, const struct front *e, sf_cell_ref *ref)
{
    const struct lane *ln = &st->lanes[e->lane];
    const struct cell *c = ln->busy ? NULL : front_cell(st, ln, ref);

    return c && c->state == SF_CELL_FULL && c->item == item && c->seq == e->seq;
}

/* Drop the entries that no longer stand for anything, when they have come to outnumber the lanes twice. */
static void compact(sf_storage *st, struct fronts *f)
{
    sf_cell_ref ref;
    size_t n = 0;

    if (f->n <= 2 * (size_t)st->nlanes + 64)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (current(st, f->item, &f->v[i], &ref))
            f->v[n++] = f->v[i];
    f->n = n;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(f, i);
}

int sf_storage_reserve_put(sf_storage *st, char abc, sf_cell_ref *cell)
{
    static const int order[3][3] = {{0, 1, 2}, {1, 2, 0}, {2, 1, 0}};
    int cls = abc == 'A' ? 0 : abc == 'B' ? 1 : 2, rc;
    struct lane *ln = NULL;

    if ((rc = rank(st)) != SF_OK)
        return rc;
    for (int k = 0; k < 3 && !ln; k++)
        ln = free_lane(st, st->policy == SF_STORE_CLASS_ABC ? order[cls][k] : k);
    if (!ln)
        return SF_ENOTFOUND;
    *cell = (sf_cell_ref){ln->rack, ln->bay, ln->level, st->racks[ln->rack].depth - ln->n - 1};
    cell_at(st, cell)->state = SF_CELL_RESERVED_IN;
    ln->n++;
    ln->busy = true;
    st->incoming++;
    return SF_OK;
}

int sf_storage_commit_put(sf_storage *st, const sf_cell_ref *cell, uint32_t item, sf_time now)
{
    struct cell *c;

    (void)now;
    if (!valid(st, cell) || (c = cell_at(st, cell))->state != SF_CELL_RESERVED_IN)
        return SF_EINVAL;
    if (push_front(st, (uint32_t)(lane_of(st, cell) - st->lanes), &(struct cell){SF_CELL_FULL, item, st->seq}) !=
        SF_OK)
        return SF_ENOMEM;
    c->state = SF_CELL_FULL;
    c->item = item;
    c->seq = st->seq++;
    lane_of(st, cell)->busy = false;
    st->incoming--;
    st->full++;
    return SF_OK;
}

int sf_storage_reserve_take(sf_storage *st, uint32_t item, sf_cell_ref *cell)
{
    struct fronts *f = fronts_of(st, item, false);

    while (f && f->n > 0) {
        struct front top = f->v[0];
        bool found = current(st, item, &top, cell);
        f->v[0] = f->v[--f->n]; /* taken, or stale */
        sift_down(f, 0);
        if (found) {
            cell_at(st, cell)->state = SF_CELL_RESERVED_OUT;
            st->lanes[top.lane].busy = true;
            compact(st, f);
            return SF_OK;
        }
    }
    return SF_ENOTFOUND;
}

/* The lanes of rack `rack` (none for a rack that does not exist). */
static void rack_lanes(const sf_storage *st, uint32_t rack, uint32_t *first, uint32_t *end)
{
    const struct rack *r = rack < st->nracks ? &st->racks[rack] : NULL;

    *first = r ? r->first_lane : 0;
    *end = r ? r->first_lane + r->bays * r->levels : 0;
}

int sf_storage_reserve_put_in(sf_storage *st, uint32_t rack, double reach, sf_cell_ref *cell)
{
    uint32_t first, end;

    rack_lanes(st, rack, &first, &end);
    for (uint32_t i = first; i < end; i++) {
        struct lane *ln = &st->lanes[i];
        const struct rack *r = &st->racks[ln->rack];
        if (ln->busy || ln->n == r->depth || r->height[ln->level] > reach)
            continue;
        *cell = (sf_cell_ref){ln->rack, ln->bay, ln->level, r->depth - ln->n - 1};
        cell_at(st, cell)->state = SF_CELL_RESERVED_IN;
        ln->n++;
        ln->busy = true;
        st->incoming++;
        return SF_OK;
    }
    return SF_ENOTFOUND;
}

int sf_storage_reserve_take_from(sf_storage *st, uint32_t rack, uint32_t item, double reach, sf_cell_ref *cell)
{
    uint32_t first, end;
    const struct cell *best = NULL;
    struct lane *best_ln = NULL;
    sf_cell_ref ref;

    rack_lanes(st, rack, &first, &end);
    for (uint32_t i = first; i < end; i++) {
        struct lane *ln = &st->lanes[i];
        const struct cell *c = ln->busy ? NULL : front_cell(st, ln, &ref);
        if (c && c->state == SF_CELL_FULL && c->item == item && st->racks[ln->rack].height[ln->level] <= reach &&
            (!best || c->seq < best->seq)) {
            best = c;
            best_ln = ln;
            *cell = ref;
        }
    }
    if (!best)
        return SF_ENOTFOUND;
    cell_at(st, cell)->state = SF_CELL_RESERVED_OUT; /* its entry among the item's fronts is stale from now */
    best_ln->busy = true;
    return SF_OK;
}

int sf_storage_cancel_put(sf_storage *st, const sf_cell_ref *cell)
{
    struct cell *c;

    if (!valid(st, cell) || (c = cell_at(st, cell))->state != SF_CELL_RESERVED_IN)
        return SF_EINVAL;
    c->state = SF_CELL_EMPTY;
    lane_of(st, cell)->n--;
    lane_of(st, cell)->busy = false;
    st->incoming--;
    return SF_OK;
}

uint64_t sf_storage_rack_count(const sf_storage *st, uint32_t rack, uint32_t item)
{
    const struct rack *r = rack < st->nracks ? &st->racks[rack] : NULL;
    uint64_t n = 0, cells = r ? (uint64_t)r->bays * r->levels * r->depth : 0;

    for (uint64_t i = 0; i < cells; i++)
        n += (r->cells[i].state == SF_CELL_FULL || r->cells[i].state == SF_CELL_RESERVED_OUT) && r->cells[i].item == item;
    return n;
}

int sf_storage_commit_take(sf_storage *st, const sf_cell_ref *cell)
{
    struct cell *c;
    const struct cell *next;
    struct lane *ln;
    sf_cell_ref ref;
    int z;

    if (!valid(st, cell) || (c = cell_at(st, cell))->state != SF_CELL_RESERVED_OUT)
        return SF_EINVAL;
    ln = lane_of(st, cell);
    ln->n--; /* the load behind comes to the front */
    if ((next = front_cell(st, ln, &ref)) && next->state == SF_CELL_FULL &&
        push_front(st, (uint32_t)(ln - st->lanes), next) != SF_OK) {
        ln->n++;
        return SF_ENOMEM;
    }
    c->state = SF_CELL_EMPTY;
    ln->busy = false;
    st->full--;
    /* the lane has room again: let its zone's scan start no later than it */
    z = ln->zone - 'A';
    if (st->ranked_ok)
        for (uint32_t i = st->zone_start[z]; i < st->hint[z]; i++)
            if (st->ranked[i] == (uint32_t)(ln - st->lanes)) {
                st->hint[z] = i;
                break;
            }
    return SF_OK;
}

sf_cell_state sf_storage_cell(const sf_storage *st, const sf_cell_ref *cell, uint32_t *item)
{
    const struct cell *c = cell_at(st, cell);
    if (item)
        *item = c->item;
    return (sf_cell_state)c->state;
}

uint32_t sf_storage_access_node(const sf_storage *st, const sf_cell_ref *cell)
{
    return st->racks[cell->rack].access[cell->bay];
}

double sf_storage_height(const sf_storage *st, const sf_cell_ref *cell)
{
    return st->racks[cell->rack].height[cell->level];
}

double sf_storage_max_height(const sf_storage *st)
{
    double h = 0;
    for (uint32_t r = 0; r < st->nracks; r++)
        h = fmax(h, st->racks[r].height[st->racks[r].levels - 1]);
    return h;
}

uint64_t sf_storage_cells(const sf_storage *st) { return st->cells; }
uint64_t sf_storage_full(const sf_storage *st) { return st->full; }
uint64_t sf_storage_incoming(const sf_storage *st) { return st->incoming; }

uint64_t sf_storage_count(const sf_storage *st, uint32_t item)
{
    uint64_t n = 0;
    for (uint32_t r = 0; r < st->nracks; r++) {
        const struct rack *rk = &st->racks[r];
        uint64_t ncells = (uint64_t)rk->bays * rk->levels * rk->depth;
        for (uint64_t i = 0; i < ncells; i++)
            n += (rk->cells[i].state == SF_CELL_FULL || rk->cells[i].state == SF_CELL_RESERVED_OUT) &&
                 rk->cells[i].item == item;
    }
    return n;
}
