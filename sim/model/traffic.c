/*
 * traffic.c: per-segment holder lists and FIFO waiting lines.
 *
 * Holders of a segment are kept in a small array (capacity is usually 1
 * or 2). Waiting lines are intrusive singly linked lists through the
 * movers, so joining and granting cost O(1) and nothing is allocated
 * while the model runs.
 */
#include "model/traffic.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct seg_state {
    uint32_t *holders; /* `capacity` slots, SF_NO_MOVER when free */
    int capacity, count;
    uint32_t head, tail; /* waiting line */
    double waited;       /* seconds of waiting completed */
    int nwaiting;
};

struct mover_state {
    uint32_t waits_for; /* segment, or UINT32_MAX */
    bool notify;        /* told, not granted, when the segment frees */
    uint32_t next;      /* next in the waiting line */
    sf_time since;
};

struct sf_traffic {
    struct seg_state *segs;
    uint32_t nsegs;
    struct mover_state *movers;
    uint32_t nmovers;
    uint32_t *slots;
};

sf_traffic *sf_traffic_new(const sf_network *net, uint32_t nmovers)
{
    sf_traffic *t = sf_calloc(1, sizeof *t);
    size_t total = 0;

    if (!t)
        return NULL;
    t->nsegs = sf_network_segment_count(net);
    t->nmovers = nmovers;
    t->segs = sf_calloc(t->nsegs ? t->nsegs : 1, sizeof *t->segs);
    t->movers = sf_calloc(nmovers ? nmovers : 1, sizeof *t->movers);
    for (uint32_t s = 0; s < t->nsegs; s++)
        total += (size_t)sf_network_segment(net, s)->capacity;
    t->slots = sf_malloc((total ? total : 1) * sizeof *t->slots);
    if (!t->segs || !t->movers || !t->slots) {
        sf_traffic_free(t);
        return NULL;
    }
    total = 0;
    for (uint32_t s = 0; s < t->nsegs; s++) {
        struct seg_state *g = &t->segs[s];
        g->capacity = sf_network_segment(net, s)->capacity;
        g->holders = t->slots + total;
        for (int i = 0; i < g->capacity; i++)
            g->holders[i] = SF_NO_MOVER;
        total += (size_t)g->capacity;
        g->head = g->tail = SF_NO_MOVER;
    }
    for (uint32_t m = 0; m < nmovers; m++)
        t->movers[m] = (struct mover_state){UINT32_MAX, false, SF_NO_MOVER, 0};
    return t;
}

void sf_traffic_free(sf_traffic *t)
{
    if (!t)
        return;
    free(t->segs);
    free(t->movers);
    free(t->slots);
    free(t);
}

bool sf_traffic_holds(const sf_traffic *t, uint32_t seg, uint32_t mover)
{
    const struct seg_state *g = &t->segs[seg];

    for (int i = 0; i < g->capacity; i++)
        if (g->holders[i] == mover)
            return true;
    return false;
}

int sf_traffic_held(const sf_traffic *t, uint32_t mover, uint32_t *out, int max)
{
    int n = 0;

    for (uint32_t seg = 0; seg < t->nsegs; seg++)
        if (sf_traffic_holds(t, seg, mover) && n++ < max)
            out[n - 1] = seg;
    return n;
}

int sf_traffic_holders(const sf_traffic *t, uint32_t seg, uint32_t *out, int max)
{
    const struct seg_state *g = &t->segs[seg];
    int n = 0;

    for (int i = 0; i < g->capacity; i++)
        if (g->holders[i] != SF_NO_MOVER && n++ < max)
            out[n - 1] = g->holders[i];
    return n;
}

static void grant(struct seg_state *g, uint32_t mover)
{
    for (int i = 0; i < g->capacity; i++)
        if (g->holders[i] == SF_NO_MOVER) {
            g->holders[i] = mover;
            g->count++;
            return;
        }
}

bool sf_traffic_try_reserve(sf_traffic *t, uint32_t seg, uint32_t mover)
{
    struct seg_state *g = &t->segs[seg];

    if (g->count >= g->capacity || g->head != SF_NO_MOVER || sf_traffic_holds(t, seg, mover))
        return false;
    grant(g, mover);
    return true;
}

int sf_traffic_wait(sf_traffic *t, uint32_t seg, uint32_t mover, sf_time now, bool notify)
{
    struct mover_state *m = &t->movers[mover];
    struct seg_state *g = &t->segs[seg];

    if (m->waits_for != UINT32_MAX || sf_traffic_holds(t, seg, mover))
        return SF_EINVAL;
    m->waits_for = seg;
    m->notify = notify;
    m->since = now;
    m->next = SF_NO_MOVER;
    if (g->tail == SF_NO_MOVER)
        g->head = mover;
    else
        t->movers[g->tail].next = mover;
    g->tail = mover;
    g->nwaiting++;
    return SF_OK;
}

void sf_traffic_cancel_wait(sf_traffic *t, uint32_t mover, sf_time now)
{
    struct mover_state *m = &t->movers[mover];
    struct seg_state *g;
    uint32_t prev = SF_NO_MOVER, cur;

    if (m->waits_for == UINT32_MAX)
        return;
    g = &t->segs[m->waits_for];
    for (cur = g->head; cur != mover; cur = t->movers[cur].next)
        prev = cur;
    if (prev == SF_NO_MOVER)
        g->head = m->next;
    else
        t->movers[prev].next = m->next;
    if (g->tail == mover)
        g->tail = prev;
    g->waited += sf_time_to_seconds(now - m->since);
    g->nwaiting--;
    m->waits_for = UINT32_MAX;
    m->next = SF_NO_MOVER;
}

int sf_traffic_release(sf_traffic *t, uint32_t seg, uint32_t mover, sf_time now, uint32_t *granted, int max)
{
    struct seg_state *g = &t->segs[seg];
    int n = 0;

    for (int i = 0; i < g->capacity; i++)
        if (g->holders[i] == mover) {
            g->holders[i] = SF_NO_MOVER;
            g->count--;
            break;
        }
    /* grant from the head of the line while there is room; notify-only waiters leave it to try themselves */
    while (g->head != SF_NO_MOVER && n < max) {
        uint32_t w = g->head;
        struct mover_state *m = &t->movers[w];
        if (!m->notify && g->count >= g->capacity)
            break; /* first come, first served: nobody passes a waiter that cannot be granted */
        g->head = m->next;
        if (g->tail == w)
            g->tail = SF_NO_MOVER;
        g->waited += sf_time_to_seconds(now - m->since);
        g->nwaiting--;
        m->waits_for = UINT32_MAX;
        m->next = SF_NO_MOVER;
        if (!m->notify)
            grant(g, w);
        granted[n++] = w;
    }
    return n;
}

int sf_traffic_occupancy(const sf_traffic *t, uint32_t seg)
{
    return t->segs[seg].count;
}

uint32_t sf_traffic_waiting_for(const sf_traffic *t, uint32_t mover, sf_time *since)
{
    if (since)
        *since = t->movers[mover].since;
    return t->movers[mover].waits_for;
}

int sf_traffic_deadlocked(const sf_traffic *t, uint32_t *out, int max)
{
    /* can[m]: mover m can still move eventually. Start from the movers that do not wait. */
    unsigned char *can = sf_malloc(t->nmovers ? t->nmovers : 1);
    bool changed = true;
    int n = 0;

    if (!can)
        return SF_ENOMEM;
    for (uint32_t m = 0; m < t->nmovers; m++)
        can[m] = t->movers[m].waits_for == UINT32_MAX;
    while (changed) {
        changed = false;
        for (uint32_t m = 0; m < t->nmovers; m++) {
            const struct seg_state *g;
            if (can[m])
                continue;
            g = &t->segs[t->movers[m].waits_for];
            for (int i = 0; i < g->capacity; i++)
                if (g->holders[i] != SF_NO_MOVER && can[g->holders[i]]) {
                    can[m] = 1;
                    changed = true;
                    break;
                }
        }
    }
    for (uint32_t m = 0; m < t->nmovers; m++)
        if (!can[m]) {
            if (n < max)
                out[n] = m;
            n++;
        }
    free(can);
    return n;
}

double sf_traffic_congestion(const sf_traffic *t, uint32_t seg, sf_time now)
{
    const struct seg_state *g = &t->segs[seg];
    double w = g->waited;

    for (uint32_t m = g->head; m != SF_NO_MOVER; m = t->movers[m].next)
        w += sf_time_to_seconds(now - t->movers[m].since);
    return w;
}
