/*
 * queue.c: the future event set as an implicit 4-ary min-heap with lazy
 * cancellation.
 *
 * Entries hold the whole ordering key (time, then priority and sequence
 * packed into one word) so comparisons never leave the heap array. The
 * kind and the generation live in a slot table indexed by the entry's
 * slot; slots are recycled through a free list threaded through the
 * table itself. Push and pop cost O(log4 n); cancel is O(1).
 */
#include "core/queue.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

enum { ARITY = 4 };

enum slot_state { SLOT_FREE = 0, SLOT_LIVE = 1, SLOT_DEAD = 2 };

#define STATE_SHIFT 30
#define INFO_MASK ((1u << STATE_SHIFT) - 1)
#define NO_SLOT INFO_MASK

struct entry {
    sf_time time;
    uint64_t key; /* (priority + 32768) << 48 | sequence */
    uint32_t target;
    uint32_t slot;
};

struct slot {
    uint32_t gen;  /* bumped whenever the slot is released; never 0 */
    uint32_t info; /* state << 30 | kind (live, dead) or next free slot (free) */
};

struct sf_queue {
    struct entry *heap;
    size_t n, cap;
    struct slot *slots;
    uint32_t nslots, slots_cap;
    uint32_t free_head;
    size_t live;
    uint64_t seq;
};

static inline bool before(const struct entry *a, const struct entry *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

sf_queue *sf_queue_new(void)
{
    sf_queue *q = calloc(1, sizeof *q);

    if (!q)
        return NULL;
    q->free_head = NO_SLOT;
    return q;
}

void sf_queue_free(sf_queue *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q);
}

void sf_queue_clear(sf_queue *q)
{
    /* Release every slot so that outstanding handles go stale. */
    for (size_t i = 0; i < q->n; i++) {
        struct slot *s = &q->slots[q->heap[i].slot];
        s->gen = s->gen + 1 ? s->gen + 1 : 1;
        s->info = q->free_head;
        q->free_head = q->heap[i].slot;
    }
    q->n = 0;
    q->live = 0;
}

static int grow(sf_queue *q)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        struct entry *h = realloc(q->heap, cap * sizeof *h);
        if (!h)
            return SF_ENOMEM;
        q->heap = h;
        q->cap = cap;
    }
    if (q->free_head == NO_SLOT && q->nslots == q->slots_cap) {
        uint32_t cap = q->slots_cap ? q->slots_cap * 2 : 256;
        struct slot *s;
        if (cap > NO_SLOT)
            return SF_ERANGE;
        s = realloc(q->slots, (size_t)cap * sizeof *s);
        if (!s)
            return SF_ENOMEM;
        q->slots = s;
        q->slots_cap = cap;
    }
    return SF_OK;
}

static void sift_up(struct entry *h, size_t i, struct entry e)
{
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (!before(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static void sift_down(struct entry *h, size_t n, size_t i, struct entry e)
{
    for (;;) {
        size_t c = ARITY * i + 1, best, end;
        if (c >= n)
            break;
        best = c;
        end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (before(&h[k], &h[best]))
                best = k;
        if (!before(&h[best], &e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

int sf_queue_push(sf_queue *q, sf_time time, int priority, uint32_t kind, uint32_t target, sf_event_id *id)
{
    struct entry e;
    uint32_t slot;
    int rc;

    if (priority < SF_PRIO_MIN || priority > SF_PRIO_MAX || kind > INFO_MASK || q->seq >= SF_SEQ_LIMIT)
        return SF_ERANGE;
    if ((rc = grow(q)) != SF_OK)
        return rc;
    if (q->free_head != NO_SLOT) {
        slot = q->free_head;
        q->free_head = q->slots[slot].info;
    } else {
        slot = q->nslots++;
        q->slots[slot].gen = 1;
    }
    q->slots[slot].info = (uint32_t)SLOT_LIVE << STATE_SHIFT | kind;
    e.time = time;
    e.key = (uint64_t)(priority - SF_PRIO_MIN) << 48 | q->seq++;
    e.target = target;
    e.slot = slot;
    sift_up(q->heap, q->n++, e);
    q->live++;
    if (id)
        *id = (uint64_t)slot << 32 | q->slots[slot].gen;
    return SF_OK;
}

static struct slot *lookup(const sf_queue *q, sf_event_id id)
{
    uint32_t slot = (uint32_t)(id >> 32), gen = (uint32_t)id;
    struct slot *s;

    if (slot >= q->nslots)
        return NULL;
    s = &q->slots[slot];
    if (s->gen != gen || s->info >> STATE_SHIFT != SLOT_LIVE)
        return NULL;
    return s;
}

static void release(sf_queue *q, uint32_t slot);
static void sift_down(struct entry *h, size_t n, size_t i, struct entry e);

/* Drop every dead entry and restore the heap (Floyd's bottom-up build). */
static void compact(sf_queue *q)
{
    size_t j = 0;

    for (size_t i = 0; i < q->n; i++) {
        if (q->slots[q->heap[i].slot].info >> STATE_SHIFT == SLOT_LIVE)
            q->heap[j++] = q->heap[i];
        else
            release(q, q->heap[i].slot);
    }
    q->n = j;
    for (size_t i = q->n / ARITY + 1; i-- > 0;)
        if (i < q->n)
            sift_down(q->heap, q->n, i, q->heap[i]);
}

bool sf_queue_cancel(sf_queue *q, sf_event_id id)
{
    struct slot *s = lookup(q, id);

    if (!s)
        return false;
    /* The entry stays in the heap until it reaches the top; bump the
     * generation now so the handle is stale at once. */
    s->info = (uint32_t)SLOT_DEAD << STATE_SHIFT;
    s->gen = s->gen + 1 ? s->gen + 1 : 1;
    q->live--;
    /* Many far-future cancellations would leave the heap mostly dead:
     * when dead entries outnumber live ones, rebuild in O(n). */
    if (q->n - q->live > q->live + 4096)
        compact(q);
    return true;
}

bool sf_queue_pending(const sf_queue *q, sf_event_id id)
{
    return lookup(q, id) != NULL;
}

static void release(sf_queue *q, uint32_t slot)
{
    struct slot *s = &q->slots[slot];

    if (s->info >> STATE_SHIFT == SLOT_LIVE)
        s->gen = s->gen + 1 ? s->gen + 1 : 1;
    s->info = q->free_head;
    q->free_head = slot;
}

static void remove_top(sf_queue *q)
{
    release(q, q->heap[0].slot);
    if (--q->n > 0)
        sift_down(q->heap, q->n, 0, q->heap[q->n]);
}

/* Drop dead entries from the top; false when nothing live is left. */
static bool settle(sf_queue *q)
{
    while (q->n > 0) {
        if (q->slots[q->heap[0].slot].info >> STATE_SHIFT == SLOT_LIVE)
            return true;
        remove_top(q);
    }
    return false;
}

bool sf_queue_pop(sf_queue *q, sf_event *ev)
{
    const struct entry *top;

    if (!settle(q))
        return false;
    top = &q->heap[0];
    ev->time = top->time;
    ev->priority = (int)(top->key >> 48) + SF_PRIO_MIN;
    ev->kind = q->slots[top->slot].info & INFO_MASK;
    ev->target = top->target;
    ev->id = (uint64_t)top->slot << 32 | q->slots[top->slot].gen;
    q->live--;
    remove_top(q);
    return true;
}

bool sf_queue_peek_time(sf_queue *q, sf_time *time)
{
    if (!settle(q))
        return false;
    *time = q->heap[0].time;
    return true;
}

size_t sf_queue_size(const sf_queue *q)
{
    return q->live;
}

size_t sf_queue_bytes(const sf_queue *q)
{
    return sizeof *q + q->cap * sizeof *q->heap + (size_t)q->slots_cap * sizeof *q->slots;
}
