/*
 * ladder.c: a ladder queue as published by Tang, Goh and Thng (2005).
 *
 * Top: an unsorted list of events at or after top_start. Rungs: arrays of
 * buckets holding unsorted lists; rung 1 is cut from Top with one bucket
 * per event, and a bucket with more than THRES events becomes a finer rung
 * with one bucket per event. Bottom: a sorted list that pop takes from;
 * it is refilled by sorting the next bucket of the finest rung. An event
 * due before every rung's current bucket is inserted into Bottom in order,
 * and a Bottom longer than THRES is spread into a new rung. Times are
 * mapped to unsigned words (u = t ^ 2^63) and bucket widths are integers.
 * Nodes live in a pool (entry plus link: 32 bytes); every bucket costs a
 * head and a count (8 bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "queues.h"

#define NIL UINT32_MAX

enum { THRES = 50, MAX_RUNGS = 8 };

struct node {
    struct qentry e;
    uint32_t next;
};

struct rung {
    uint64_t start, width, cur_start; /* bucket b covers start + b * width */
    uint32_t nb, cur, cap;
    uint32_t *head, *count;
};

struct ladder {
    struct node *v;
    uint32_t used, cap, free_head;
    uint32_t top, ntop;
    uint64_t top_min, top_max, top_start;
    int top_bounded;
    struct rung r[MAX_RUNGS];
    int nr;
    uint32_t bottom, nbottom;
};

static inline uint64_t mapped(sf_time t)
{
    return (uint64_t)t ^ ((uint64_t)1 << 63);
}

static void *create(void)
{
    struct ladder *l = calloc(1, sizeof *l);
    if (l)
        l->free_head = l->top = l->bottom = NIL;
    return l;
}

static void destroy(void *p)
{
    struct ladder *l = p;
    for (int i = 0; i < MAX_RUNGS; i++) {
        free(l->r[i].head);
        free(l->r[i].count);
    }
    free(l->v);
    free(l);
}

/* Open rung i over [start, start + nb * width); 0 or -1 (no memory). */
static int rung_open(struct ladder *l, int i, uint64_t start, uint64_t width, uint32_t nb)
{
    struct rung *r = &l->r[i];

    if (nb > r->cap) {
        uint32_t *h = realloc(r->head, (size_t)nb * sizeof *h), *c;
        if (!h)
            return -1;
        r->head = h;
        if (!(c = realloc(r->count, (size_t)nb * sizeof *c)))
            return -1;
        r->count = c;
        r->cap = nb;
    }
    memset(r->head, 0xff, (size_t)nb * sizeof *r->head);
    memset(r->count, 0, (size_t)nb * sizeof *r->count);
    r->start = r->cur_start = start;
    r->width = width;
    r->nb = nb;
    r->cur = 0;
    return 0;
}

static void rung_put(struct ladder *l, struct rung *r, uint32_t i)
{
    uint64_t b = (mapped(l->v[i].e.time) - r->start) / r->width;
    l->v[i].next = r->head[b];
    r->head[b] = i;
    r->count[b]++;
}

static void bottom_insert(struct ladder *l, uint32_t i)
{
    uint32_t *link = &l->bottom;

    while (*link != NIL && !qentry_before(&l->v[i].e, &l->v[*link].e))
        link = &l->v[*link].next;
    l->v[i].next = *link;
    *link = i;
    l->nbottom++;
}

/* Spread a list with n events between lo and hi (mapped) over a new rung
 * with one bucket per event; -1 when it cannot (span 0, no rung left). */
static int spawn(struct ladder *l, uint32_t list, uint32_t n, uint64_t lo, uint64_t hi)
{
    uint64_t width;
    int i = l->nr;

    if (i == MAX_RUNGS || hi == lo)
        return -1;
    width = (hi - lo) / n + 1;
    if (rung_open(l, i, lo, width, (uint32_t)((hi - lo) / width + 1)) != 0)
        return -1;
    l->nr++;
    while (list != NIL) {
        uint32_t next = l->v[list].next;
        rung_put(l, &l->r[i], list);
        list = next;
    }
    return 0;
}

static void place(struct ladder *l, uint32_t i)
{
    uint64_t u = mapped(l->v[i].e.time);

    if (!l->top_bounded || u >= l->top_start) {
        if (l->ntop++ == 0)
            l->top_min = l->top_max = u;
        else if (u < l->top_min)
            l->top_min = u;
        else if (u > l->top_max)
            l->top_max = u;
        l->v[i].next = l->top;
        l->top = i;
        return;
    }
    for (int k = 0; k < l->nr; k++)
        if (u >= l->r[k].cur_start) {
            rung_put(l, &l->r[k], i);
            return;
        }
    bottom_insert(l, i);
    if (l->nbottom > THRES && l->nr < MAX_RUNGS) {
        /* The new rung runs from Bottom's first event up to where the
         * finest rung (or Top) takes over, so every later push before
         * that point has a bucket. */
        uint32_t b = l->bottom, n = l->nbottom;
        uint64_t lo = mapped(l->v[b].e.time), hi;
        if (l->nr > 0)
            hi = l->r[l->nr - 1].cur_start - 1;
        else if (l->top_bounded)
            hi = l->top_start - 1;
        else
            return;
        if (spawn(l, b, n, lo, hi) == 0) {
            l->bottom = NIL;
            l->nbottom = 0;
        }
    }
}

static int push(void *p, const struct qentry *e)
{
    struct ladder *l = p;
    uint32_t i;

    if (l->free_head != NIL) {
        i = l->free_head;
        l->free_head = l->v[i].next;
    } else {
        if (l->used == l->cap) {
            uint32_t cap = l->cap ? l->cap * 2 : 256;
            struct node *v = realloc(l->v, (size_t)cap * sizeof *v);
            if (!v)
                return -1;
            l->v = v;
            l->cap = cap;
        }
        i = l->used++;
    }
    l->v[i].e = *e;
    place(l, i);
    return 0;
}

static const struct node *sort_nodes; /* for by_order; single-threaded */

static int by_order(const void *a, const void *b)
{
    const struct qentry *x = &sort_nodes[*(const uint32_t *)a].e, *y = &sort_nodes[*(const uint32_t *)b].e;
    return qentry_before(x, y) ? -1 : qentry_before(y, x);
}

/* Sort a bucket into the empty Bottom: insertion for a few events, and
 * qsort for a bucket that could not be split (equal times, rungs used
 * up), which insertion would make quadratic. */
static void bucket_to_bottom(struct ladder *l, uint32_t list, uint32_t n)
{
    uint32_t *idx = n > THRES ? malloc((size_t)n * sizeof *idx) : NULL;

    if (!idx) {
        while (list != NIL) {
            uint32_t next = l->v[list].next;
            bottom_insert(l, list);
            list = next;
        }
        return;
    }
    for (uint32_t k = 0; list != NIL; list = l->v[list].next)
        idx[k++] = list;
    sort_nodes = l->v;
    qsort(idx, n, sizeof *idx, by_order);
    for (uint32_t k = n; k-- > 0;) {
        l->v[idx[k]].next = l->bottom;
        l->bottom = idx[k];
    }
    l->nbottom += n;
    free(idx);
}

/* Refill Bottom from the ladder (or Top); 0 when nothing is left. */
static int refill(struct ladder *l)
{
    while (l->bottom == NIL) {
        struct rung *r;
        uint32_t b, list, n;

        if (l->nr == 0) {
            uint32_t list0 = l->top, n0 = l->ntop;
            uint64_t width;
            if (n0 == 0)
                return 0;
            l->top = NIL;
            l->ntop = 0;
            width = (l->top_max - l->top_min) / n0 + 1;
            if (l->top_max == l->top_min || rung_open(l, 0, l->top_min, width, (uint32_t)((l->top_max - l->top_min) / width + 1)) != 0) {
                bucket_to_bottom(l, list0, n0);
                l->top_start = l->top_max + 1; /* equal times only */
                l->top_bounded = l->top_max != UINT64_MAX;
                continue;
            }
            l->nr = 1;
            l->top_start = l->top_min + (uint64_t)l->r[0].nb * width;
            l->top_bounded = l->top_start > l->top_min; /* no wrap */
            while (list0 != NIL) {
                uint32_t next = l->v[list0].next;
                rung_put(l, &l->r[0], list0);
                list0 = next;
            }
            continue;
        }
        r = &l->r[l->nr - 1];
        while (r->cur < r->nb && r->head[r->cur] == NIL)
            r->cur++;
        if (r->cur == r->nb) {
            l->nr--;
            continue;
        }
        b = r->cur++;
        list = r->head[b];
        n = r->count[b];
        r->head[b] = NIL;
        r->count[b] = 0;
        r->cur_start = r->start + (uint64_t)r->cur * r->width;
        if (n > THRES && r->width > 1) {
            uint64_t lo = r->start + (uint64_t)b * r->width;
            if (spawn(l, list, n, lo, lo + r->width - 1) == 0)
                continue;
        }
        bucket_to_bottom(l, list, n);
    }
    return 1;
}

static int pop(void *p, struct qentry *out)
{
    struct ladder *l = p;
    uint32_t i;

    if (l->bottom == NIL && !refill(l))
        return 0;
    i = l->bottom;
    *out = l->v[i].e;
    l->bottom = l->v[i].next;
    l->nbottom--;
    l->v[i].next = l->free_head;
    l->free_head = i;
    return 1;
}

static size_t bytes(const void *p)
{
    const struct ladder *l = p;
    size_t b = sizeof *l + (size_t)l->cap * sizeof *l->v;
    for (int i = 0; i < MAX_RUNGS; i++)
        b += (size_t)l->r[i].cap * 2 * sizeof(uint32_t);
    return b;
}

const struct qvariant qv_ladder = {"ladder", "ladder queue (Tang)", create, destroy, push, pop, bytes};
