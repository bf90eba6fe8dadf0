/*
 * calendar.c: a calendar queue (Brown 1988) with resizing.
 *
 * nb buckets (a power of two) of width 2^ws in mapped time u = t ^ 2^63;
 * an event goes to bucket (u >> ws) mod nb, kept sorted by (time, key).
 * Pop scans from the current day for a bucket whose first event falls in
 * that day, and searches all buckets directly after a year without one.
 * The bucket count doubles when events exceed twice the buckets and
 * halves below half; the width is then re-estimated as three times the
 * mean separation of up to 25 events at the front (separations above
 * twice the mean left out), as Brown proposes. Nodes live in a pool
 * (entry plus link: 32 bytes).
 */
#include <stdlib.h>

#include "queues.h"

#define NIL UINT32_MAX

struct node {
    struct qentry e;
    uint32_t next;
};

struct cal {
    struct node *v;
    uint32_t used, cap, free_head;
    uint32_t *head;
    uint64_t nb, mask, n;
    int ws;
    uint64_t day;     /* current day: u >> ws */
    int resizing;
};

static inline uint64_t mapped(sf_time t)
{
    return (uint64_t)t ^ ((uint64_t)1 << 63);
}

static int set_buckets(struct cal *c, uint64_t nb)
{
    uint32_t *h = malloc((size_t)nb * sizeof *h);
    if (!h)
        return -1;
    for (uint64_t i = 0; i < nb; i++)
        h[i] = NIL;
    free(c->head);
    c->head = h;
    c->nb = nb;
    c->mask = nb - 1;
    return 0;
}

static void *create(void)
{
    struct cal *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->free_head = NIL;
    c->ws = 30; /* about a second until the first resize measures it */
    if (set_buckets(c, 2) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

static void destroy(void *p)
{
    struct cal *c = p;
    free(c->head);
    free(c->v);
    free(c);
}

static void insert(struct cal *c, uint32_t i)
{
    uint64_t u = mapped(c->v[i].e.time);
    uint32_t *link = &c->head[(u >> c->ws) & c->mask];

    while (*link != NIL && qentry_before(&c->v[*link].e, &c->v[i].e))
        link = &c->v[*link].next;
    c->v[i].next = *link;
    *link = i;
    if ((u >> c->ws) < c->day)
        c->day = u >> c->ws;
}

static uint32_t take(struct cal *c)
{
    uint32_t *h = c->head;

    for (uint64_t k = 0; k < c->nb; k++, c->day++) {
        uint32_t i = h[c->day & c->mask];
        if (i != NIL && (mapped(c->v[i].e.time) >> c->ws) == c->day) {
            h[c->day & c->mask] = c->v[i].next;
            return i;
        }
    }
    /* A whole year without an event in its day: search directly. */
    {
        uint32_t best = NIL;
        uint64_t bb = 0;
        for (uint64_t b = 0; b < c->nb; b++)
            if (h[b] != NIL && (best == NIL || qentry_before(&c->v[h[b]].e, &c->v[best].e))) {
                best = h[b];
                bb = b;
            }
        h[bb] = c->v[best].next;
        c->day = mapped(c->v[best].e.time) >> c->ws;
        return best;
    }
}

static int resize(struct cal *c, uint64_t nb);

static int push(void *p, const struct qentry *e)
{
    struct cal *c = p;
    uint32_t i;

    if (c->free_head != NIL) {
        i = c->free_head;
        c->free_head = c->v[i].next;
    } else {
        if (c->used == c->cap) {
            uint32_t cap = c->cap ? c->cap * 2 : 256;
            struct node *v = realloc(c->v, (size_t)cap * sizeof *v);
            if (!v)
                return -1;
            c->v = v;
            c->cap = cap;
        }
        i = c->used++;
    }
    c->v[i].e = *e;
    if (c->n == 0)
        c->day = mapped(e->time) >> c->ws;
    insert(c, i);
    c->n++;
    if (!c->resizing && c->n > 2 * c->nb)
        return resize(c, 2 * c->nb);
    return 0;
}

static int pop(void *p, struct qentry *out)
{
    struct cal *c = p;
    uint32_t i;

    if (c->n == 0)
        return 0;
    i = take(c);
    *out = c->v[i].e;
    c->v[i].next = c->free_head;
    c->free_head = i;
    c->n--;
    if (!c->resizing && c->nb > 2 && c->n < c->nb / 2)
        resize(c, c->nb / 2);
    return 1;
}

/* Re-estimate the width from the front events, then rehash everything. */
static int resize(struct cal *c, uint64_t nb)
{
    struct qentry sample[25];
    int ns = 0;
    uint32_t all = NIL;
    double sum = 0, mean, sum2 = 0;
    int n2 = 0;
    uint64_t width;

    c->resizing = 1;
    while (ns < 25 && pop(c, &sample[ns]))
        ns++;
    for (int k = 0; k < ns; k++)
        push(c, &sample[k]);
    c->resizing = 0;
    if (ns >= 2) {
        for (int k = 1; k < ns; k++)
            sum += (double)(sample[k].time - sample[k - 1].time);
        mean = sum / (ns - 1);
        for (int k = 1; k < ns; k++) {
            double d = (double)(sample[k].time - sample[k - 1].time);
            if (d <= 2 * mean) {
                sum2 += d;
                n2++;
            }
        }
        width = n2 ? (uint64_t)(3 * sum2 / n2) : 1;
        c->ws = 0;
        while (c->ws < 62 && ((uint64_t)1 << c->ws) < width)
            c->ws++;
    }
    /* gather every node into one list, then spread over the new buckets */
    for (uint64_t b = 0; b < c->nb; b++) {
        uint32_t i = c->head[b];
        while (i != NIL) {
            uint32_t next = c->v[i].next;
            c->v[i].next = all;
            all = i;
            i = next;
        }
    }
    c->day = UINT64_MAX;
    if (set_buckets(c, nb) != 0) {
        /* keep the old buckets (with the new width) */
        while (all != NIL) {
            uint32_t next = c->v[all].next;
            insert(c, all);
            all = next;
        }
        return -1;
    }
    while (all != NIL) {
        uint32_t next = c->v[all].next;
        insert(c, all);
        all = next;
    }
    return 0;
}

static size_t bytes(const void *p)
{
    const struct cal *c = p;
    return sizeof *c + (size_t)c->cap * sizeof *c->v + (size_t)c->nb * sizeof *c->head;
}

const struct qvariant qv_calendar = {"calendar", "calendar queue", create, destroy, push, pop, bytes};
