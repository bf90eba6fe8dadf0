/*
 * traffic.c: per-segment holder slots and FIFO waiting lines.
 *
 * Holders of a segment sit in `capacity` slots, taken lowest first; a
 * bitmap of the free slots finds the lowest in O(capacity / 64). Each
 * mover threads the slots it holds into a list (through `slot_next`), so
 * asking whether a mover holds a segment, or releasing it, walks only the
 * few segments that mover holds, never a segment's slots: capacities grow
 * with the fleet (a ring road of a large warehouse admits hundreds).
 * Waiting lines are intrusive singly linked lists through the movers, so
 * joining and granting cost O(1) and nothing is allocated while the
 * model runs.
 *
 * Deadlock checks are incremental. Once a check has found no deadlock,
 * a later deadlock needs a wait-for chain that was broken since: by a
 * mover that started to wait (it is in the `waited` list) or by a release
 * of a segment whose line was not empty afterwards (in the `released`
 * list). Granting, reserving and leaving a line only add ways to move on.
 * So the next check asks only those movers, and the waiters of those
 * segments, whether they can move on, by a search along their wait-for
 * chains that stops at the first mover not waiting. Only when one of them
 * cannot does the check run the full fixed point, which gives the list.
 */
#include "model/traffic.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct seg_state {
    uint32_t *holders; /* `capacity` slots, SF_NO_MOVER when free */
    uint64_t *free;    /* bit i set: slot i is free */
    uint32_t first;    /* global index of slot 0 */
    int capacity, count;
    uint32_t head, tail; /* waiting line */
    double waited;       /* seconds of waiting completed */
    int nwaiting;
    bool released; /* in the released list */
};

struct mover_state {
    uint32_t waits_for; /* segment, or UINT32_MAX */
    bool notify;        /* told, not granted, when the segment frees */
    bool waited;        /* in the waited list */
    uint32_t next;      /* next in the waiting line */
    uint32_t held;      /* first of the slots it holds (global index), or SF_NO_MOVER */
    uint32_t mark;      /* visited in the search with this stamp */
    sf_time since;
};

struct sf_traffic {
    void *block; /* every array below */
    struct seg_state *segs;
    uint32_t nsegs;
    struct mover_state *movers;
    uint32_t nmovers;
    uint32_t *slots;
    uint32_t *slot_seg;  /* global slot -> segment */
    uint32_t *slot_next; /* global slot -> next slot held by the same mover */
    uint64_t *words;
    /* incremental deadlock checks */
    bool clean; /* the last check found no deadlock */
    uint32_t *waited, nwaited;
    uint32_t *released, nreleased;
    uint32_t *stack;
    unsigned char *can;
    uint32_t stamp;
};

sf_traffic *sf_traffic_new(const sf_network *net, uint32_t nmovers)
{
    sf_traffic *t = sf_calloc(1, sizeof *t);
    size_t total = 0, nwords = 0;

    if (!t)
        return NULL;
    t->nsegs = sf_network_segment_count(net);
    t->nmovers = nmovers;
    for (uint32_t s = 0; s < t->nsegs; s++) {
        int cap = sf_network_segment(net, s)->capacity;
        total += (size_t)cap;
        nwords += ((size_t)cap + 63) / 64;
    }
    t->block = SF_PARTS(SF_PART(t->segs, t->nsegs), SF_PART(t->movers, nmovers), SF_PART(t->slots, total),
                        SF_PART(t->slot_seg, total), SF_PART(t->slot_next, total), SF_PART(t->words, nwords),
                        SF_PART(t->waited, nmovers), SF_PART(t->stack, nmovers), SF_PART(t->can, nmovers),
                        SF_PART(t->released, t->nsegs));
    if (!t->block) {
        free(t);
        return NULL;
    }
    total = nwords = 0;
    for (uint32_t s = 0; s < t->nsegs; s++) {
        struct seg_state *g = &t->segs[s];
        g->capacity = sf_network_segment(net, s)->capacity;
        g->holders = t->slots + total;
        g->first = (uint32_t)total;
        g->free = t->words + nwords;
        for (int i = 0; i < g->capacity; i++) {
            g->holders[i] = SF_NO_MOVER;
            g->free[i / 64] |= (uint64_t)1 << (i % 64);
            t->slot_seg[total + (size_t)i] = s;
            t->slot_next[total + (size_t)i] = SF_NO_MOVER;
        }
        total += (size_t)g->capacity;
        nwords += ((size_t)g->capacity + 63) / 64;
        g->head = g->tail = SF_NO_MOVER;
    }
    for (uint32_t m = 0; m < nmovers; m++)
        t->movers[m] = (struct mover_state){UINT32_MAX, false, false, SF_NO_MOVER, SF_NO_MOVER, 0, 0};
    t->clean = true; /* nobody waits */
    return t;
}

void sf_traffic_free(sf_traffic *t)
{
    free(t ? t->block : NULL);
    free(t);
}

bool sf_traffic_holds(const sf_traffic *t, uint32_t seg, uint32_t mover)
{
    for (uint32_t s = t->movers[mover].held; s != SF_NO_MOVER; s = t->slot_next[s])
        if (t->slot_seg[s] == seg)
            return true;
    return false;
}

int sf_traffic_held(const sf_traffic *t, uint32_t mover, uint32_t *out, int max)
{
    int n = 0, kept = 0;

    /* the `max` lowest segments, ascending, by insertion (a mover holds few) */
    for (uint32_t s = t->movers[mover].held; s != SF_NO_MOVER; s = t->slot_next[s]) {
        uint32_t seg = t->slot_seg[s];
        int i;
        n++;
        if (max <= 0 || (kept == max && seg >= out[kept - 1]))
            continue;
        i = kept < max ? kept++ : kept - 1;
        for (; i > 0 && out[i - 1] > seg; i--)
            out[i] = out[i - 1];
        out[i] = seg;
    }
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

/* Give `mover` the lowest free slot of `seg` (there is one). */
static void grant(sf_traffic *t, uint32_t seg, uint32_t mover)
{
    struct seg_state *g = &t->segs[seg];
    uint32_t slot;
    int w = 0;

    while (g->free[w] == 0)
        w++;
    slot = (uint32_t)w * 64 + (uint32_t)__builtin_ctzll(g->free[w]);
    g->free[w] &= g->free[w] - 1;
    g->holders[slot] = mover;
    g->count++;
    t->slot_next[g->first + slot] = t->movers[mover].held;
    t->movers[mover].held = g->first + slot;
}

bool sf_traffic_try_reserve(sf_traffic *t, uint32_t seg, uint32_t mover)
{
    struct seg_state *g = &t->segs[seg];

    if (g->count >= g->capacity || g->head != SF_NO_MOVER || sf_traffic_holds(t, seg, mover))
        return false;
    grant(t, seg, mover);
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
    if (!m->waited) {
        m->waited = true;
        t->waited[t->nwaited++] = mover;
    }
    return SF_OK;
}

/* A mover has left a segment's waiting line (unlinking it is the caller's): book its wait. */
static void left_line(struct seg_state *g, struct mover_state *m, sf_time now)
{
    g->waited += sf_time_to_seconds(now - m->since);
    g->nwaiting--;
    m->waits_for = UINT32_MAX;
    m->next = SF_NO_MOVER;
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
    left_line(g, m, now);
}

int sf_traffic_release(sf_traffic *t, uint32_t seg, uint32_t mover, sf_time now, uint32_t *granted, int max)
{
    struct seg_state *g = &t->segs[seg];
    uint32_t *link = &t->movers[mover].held;
    int n = 0;

    while (*link != SF_NO_MOVER && t->slot_seg[*link] != seg)
        link = &t->slot_next[*link];
    if (*link != SF_NO_MOVER) {
        uint32_t slot = *link - g->first;
        *link = t->slot_next[*link];
        t->slot_next[g->first + slot] = SF_NO_MOVER;
        g->holders[slot] = SF_NO_MOVER;
        g->free[slot / 64] |= (uint64_t)1 << (slot % 64);
        g->count--;
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
        left_line(g, m, now);
        if (!m->notify)
            grant(t, seg, w);
        granted[n++] = w;
    }
    if (g->head != SF_NO_MOVER && !g->released) { /* its waiters lost a holder to move on behind */
        g->released = true;
        t->released[t->nreleased++] = seg;
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

/* Whether `from` can move on: a chain of waits-for-a-segment-held-by reaches a mover that does not wait. */
static bool can_move_on(sf_traffic *t, uint32_t from)
{
    uint32_t top = 0;

    if (t->movers[from].waits_for == UINT32_MAX)
        return true;
    if (++t->stamp == 0) { /* the stamps wrapped: forget every mark */
        for (uint32_t m = 0; m < t->nmovers; m++)
            t->movers[m].mark = 0;
        t->stamp = 1;
    }
    t->movers[from].mark = t->stamp;
    t->stack[top++] = from;
    while (top > 0) {
        const struct seg_state *g = &t->segs[t->movers[t->stack[--top]].waits_for];
        for (int i = 0; i < g->capacity; i++) {
            uint32_t h = g->holders[i];
            if (h == SF_NO_MOVER || t->movers[h].mark == t->stamp)
                continue;
            if (t->movers[h].waits_for == UINT32_MAX)
                return true;
            t->movers[h].mark = t->stamp;
            t->stack[top++] = h;
        }
    }
    return false;
}

/* Forget what changed since the last check. */
static void checked(sf_traffic *t, bool clean)
{
    for (uint32_t i = 0; i < t->nwaited; i++)
        t->movers[t->waited[i]].waited = false;
    for (uint32_t i = 0; i < t->nreleased; i++)
        t->segs[t->released[i]].released = false;
    t->nwaited = t->nreleased = 0;
    t->clean = clean;
}

/* No deadlock, when the last check found none: nobody whose chains broke since is stuck. */
static bool still_clean(sf_traffic *t)
{
    if (!t->clean)
        return false;
    for (uint32_t i = 0; i < t->nwaited; i++)
        if (!can_move_on(t, t->waited[i]))
            return false;
    for (uint32_t i = 0; i < t->nreleased; i++)
        for (uint32_t m = t->segs[t->released[i]].head; m != SF_NO_MOVER; m = t->movers[m].next)
            if (!can_move_on(t, m))
                return false;
    return true;
}

int sf_traffic_deadlocked(sf_traffic *t, uint32_t *out, int max)
{
    /* can[m]: mover m can still move eventually. Start from the movers that do not wait. */
    unsigned char *can = t->can;
    bool changed = true;
    int n = 0;

    if (still_clean(t)) {
        checked(t, true);
        return 0;
    }
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
    checked(t, n == 0);
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
