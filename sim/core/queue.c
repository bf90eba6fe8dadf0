/*
 * queue.c: the future event set as a ladder queue with a small heap in
 * front (after Tang, Goh and Thng 2005), events held in a slot pool.
 *
 * Why this shape: docs/architecture.md, "Event queue", has the measured
 * comparison with binary, 4-ary and pairing heaps and a calendar queue.
 *
 * Storage. Every event lives in one 28-byte node of a pool, indexed by
 * its slot, from push until it leaves the queue; the structure only links
 * slots, it never copies events. A node holds the time, the order key
 * ((priority + 32768) << 48 | sequence), the target, the kind with a
 * state, and the link to the next node of its list.
 *
 * Order. Times are mapped to unsigned words (u = t ^ 2^63, which keeps the
 * order) and the queue splits the time line into three consecutive parts:
 *
 *   front   u <= front_last           a binary heap by (time, key)
 *   ladder  front_last < u <= top_last   rungs of buckets, unsorted lists
 *   top     u > top_last               one unsorted list
 *
 * Rung 0 is cut from the top list when the ladder runs dry; a bucket that
 * is about to be used and holds more than THRES events becomes a finer
 * rung covering exactly that bucket (bucket widths are powers of two, so
 * a bucket index is a shift); a bucket with few events is moved into the
 * front heap. Events of equal time always fall into the same list, and
 * the front heap compares the full (time, key), so the order is exactly
 * (time, priority, sequence) however times cluster. When times cannot be
 * split any further (all equal, or MAX_RUNGS deep) the bucket goes to the
 * heap as it is: a clustered queue degrades to a heap, never worse.
 *
 * Costs: push O(1) (the heap's O(log f) for an event due before the front
 * limit, f the front size); pop O(log f) plus, amortised, a constant
 * number of list moves per event; cancel O(1), lazy.
 *
 * Handles. A handle is (slot + 1) << 34 | the low 34 bits of the event's
 * sequence number. The sequence number serves as the slot's generation:
 * each push has a new one, so a handle stays recognisably stale after its
 * slot is reused, until 2^34 further pushes bring the same low bits back
 * to that very slot.
 */
#include "core/queue.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

/* ---- nodes and slots ------------------------------------------------------ */

enum slot_state { SLOT_FREE = 0, SLOT_LIVE = 1, SLOT_DEAD = 2 };

#define STATE_SHIFT 30
#define INFO_MASK ((1u << STATE_SHIFT) - 1)
#define NIL UINT32_MAX         /* end of a list */
#define NO_SLOT INFO_MASK      /* end of the free list; reads as state FREE */
#define MAX_SLOTS (INFO_MASK - 1) /* below NO_SLOT, and slot + 1 fits in the handle's 30 bits */
#define GEN_BITS 34
#define GEN_MASK (((uint64_t)1 << GEN_BITS) - 1)
#define SIGN ((uint64_t)1 << 63)

/*
 * Tuning, measured with the hold model (docs/architecture.md): rung 0 gets
 * about one bucket per PER_RUNG0 events (20 bytes a bucket, so under one
 * byte per event); a bucket with more than THRES events when it is
 * reached becomes a finer rung of about one bucket per PER_CHILD events,
 * so the front heap takes a few events at a time.
 */
enum {
    THRES = 32,
    PER_RUNG0 = 32,
    PER_CHILD = 8,
    MAX_RUNGS = 8,
    CHAINS = 4,   /* chains per list, a power of two */
    FRONT_MIN = 32,
};

/* 28 bytes with 4-byte alignment: the 64-bit fields are read with memcpy. */
struct node {
    uint32_t time[2]; /* sf_time */
    uint32_t key[2];  /* (priority + 32768) << 48 | sequence */
    uint32_t target;
    uint32_t info;    /* state << 30 | kind (live, dead); next free slot (free) */
    uint32_t next;    /* next node of the same list */
};

struct fentry {
    sf_time time;
    uint64_t key;
    uint32_t slot;
};

/*
 * An unsorted list of events, threaded through the nodes' links as
 * CHAINS separate chains that take pushes in turn. A list is read long
 * after its nodes were written, when they have left the cache; walking
 * CHAINS chains side by side keeps that many memory loads in flight
 * instead of one (the walk dominated the profile with a single chain).
 */
struct bucket {
    uint32_t count; /* entries, live or dead */
    uint32_t head[CHAINS];
};

struct rung {
    uint64_t start, last; /* covers [start, last] in mapped time */
    int shift;            /* bucket width 2^shift */
    uint32_t nb, cur;     /* buckets in use; next bucket to take */
    uint32_t cap;         /* allocated buckets */
    struct bucket *b;
};

struct sf_queue {
    struct node *nodes;
    uint32_t nslots, slots_cap, free_head;
    size_t live;    /* pending, not cancelled */
    int error;      /* SF_ENOMEM when the last settle could not refill the front */
    size_t entries; /* in the structure, dead ones included */
    uint64_t seq;

    struct fentry *front;
    size_t nfront, front_cap;
    uint64_t front_last; /* valid when front_open */

    struct rung rungs[MAX_RUNGS];
    int nrungs;

    struct bucket top;
    uint64_t top_min, top_max, top_last; /* top_last valid when top_bounded */
    bool front_open;  /* the front range is not empty */
    bool top_bounded; /* false until the ladder or the front first takes events */
};

static inline sf_time node_time(const struct node *n)
{
    sf_time t;
    memcpy(&t, n->time, sizeof t);
    return t;
}

static inline uint64_t node_key(const struct node *n)
{
    uint64_t k;
    memcpy(&k, n->key, sizeof k);
    return k;
}

static inline uint64_t mapped(sf_time t)
{
    return (uint64_t)t ^ SIGN;
}

static inline unsigned node_state(const struct node *n)
{
    return n->info >> STATE_SHIFT;
}

static inline sf_event_id make_id(uint32_t slot, uint64_t key)
{
    return (uint64_t)(slot + 1) << GEN_BITS | (key & GEN_MASK);
}

static void release(sf_queue *q, uint32_t slot)
{
    q->nodes[slot].info = q->free_head;
    q->free_head = slot;
}

static inline void bucket_clear(struct bucket *b)
{
    b->count = 0;
    memset(b->head, 0xff, sizeof b->head);
}

/* ---- the front heap --------------------------------------------------------
 * A binary min-heap of copies of (time, key, slot); it holds one bucket's
 * worth of events plus those pushed before the front limit, so it stays
 * small and in cache. */

static inline bool before(const struct fentry *a, const struct fentry *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

static void front_sift_down(struct fentry *h, size_t n, size_t i, struct fentry e)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        if (!before(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

static int front_reserve(sf_queue *q, size_t need)
{
    size_t cap;
    struct fentry *f;

    if (need <= q->front_cap)
        return SF_OK;
    cap = q->front_cap ? q->front_cap : FRONT_MIN;
    while (cap < need)
        cap *= 2;
    if (!(f = sf_realloc(q->front, cap * sizeof *f)))
        return SF_ENOMEM;
    q->front = f;
    q->front_cap = cap;
    return SF_OK;
}

static void front_push(sf_queue *q, struct fentry e)
{
    struct fentry *h = q->front;
    size_t i = q->nfront++;

    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static void front_remove_top(sf_queue *q)
{
    if (--q->nfront > 0)
        front_sift_down(q->front, q->nfront, 0, q->front[q->nfront]);
}

static void front_heapify(sf_queue *q)
{
    for (size_t i = q->nfront / 2; i-- > 0;)
        front_sift_down(q->front, q->nfront, i, q->front[i]);
}

/* ---- construction ---------------------------------------------------------- */

sf_queue *sf_queue_new(void)
{
    sf_queue *q = sf_calloc(1, sizeof *q);

    if (!q)
        return NULL;
    q->free_head = NO_SLOT;
    memset(q->top.head, 0xff, sizeof q->top.head);
    return q;
}

void sf_queue_free(sf_queue *q)
{
    if (!q)
        return;
    for (int i = 0; i < MAX_RUNGS; i++)
        free(q->rungs[i].b);
    free(q->front);
    free(q->nodes);
    free(q);
}

void sf_queue_clear(sf_queue *q)
{
    /* Release every slot in use so that outstanding handles go stale,
     * and forget the structure; allocations are kept for reuse. */
    for (uint32_t s = 0; s < q->nslots; s++)
        if (node_state(&q->nodes[s]) != SLOT_FREE)
            release(q, s);
    q->live = 0;
    q->entries = 0;
    q->nfront = 0;
    q->nrungs = 0;
    bucket_clear(&q->top);
    q->front_open = false;
    q->top_bounded = false;
}

/* ---- push ------------------------------------------------------------------ */

/* Make room for one more slot. The pool grows by a sixteenth (at least 256
 * slots) so that a large queue carries little unused capacity. */
static int reserve_slot(sf_queue *q)
{
    uint32_t cap;
    struct node *v;

    if (q->free_head != NO_SLOT || q->nslots < q->slots_cap)
        return SF_OK;
    if (q->slots_cap >= MAX_SLOTS)
        return SF_ERANGE;
    cap = q->slots_cap + (q->slots_cap / 16 > 256 ? q->slots_cap / 16 : 256);
    if (cap > MAX_SLOTS)
        cap = MAX_SLOTS;
    if (!(v = sf_realloc(q->nodes, (size_t)cap * sizeof *v)))
        return SF_ENOMEM;
    q->nodes = v;
    q->slots_cap = cap;
    return SF_OK;
}

static inline void bucket_push(struct node *nodes, struct bucket *b, uint32_t slot)
{
    uint32_t *head = &b->head[b->count++ & (CHAINS - 1)];

    nodes[slot].next = *head;
    *head = slot;
}

/* Put a slot's event where its time belongs. */
static void place(sf_queue *q, uint32_t slot, sf_time t, uint64_t key)
{
    uint64_t u = mapped(t);

    if (q->front_open && u <= q->front_last) {
        struct fentry e = {t, key, slot};
        front_push(q, e);
        return;
    }
    if (!q->top_bounded || u > q->top_last) {
        if (q->top.count == 0)
            q->top_min = q->top_max = u;
        else if (u < q->top_min)
            q->top_min = u;
        else if (u > q->top_max)
            q->top_max = u;
        bucket_push(q->nodes, &q->top, slot);
        return;
    }
    /* Deepest rung first: each covers the front part of its parent's
     * current bucket, and front_last < u <= top_last. */
    for (int i = q->nrungs - 1;; i--) {
        struct rung *r = &q->rungs[i];
        if (u <= r->last) {
            bucket_push(q->nodes, &r->b[(u - r->start) >> r->shift], slot);
            return;
        }
    }
}

int sf_queue_push(sf_queue *q, sf_time time, int priority, uint32_t kind, uint32_t target, sf_event_id *id)
{
    uint64_t key;
    uint32_t slot;
    struct node *n;
    int rc;

    if (priority < SF_PRIO_MIN || priority > SF_PRIO_MAX || kind > INFO_MASK || q->seq >= SF_SEQ_LIMIT)
        return SF_ERANGE;
    if ((rc = reserve_slot(q)) != SF_OK)
        return rc;
    /* The front heap may need one more entry; reserve before changing anything. */
    if (q->front_open && mapped(time) <= q->front_last && (rc = front_reserve(q, q->nfront + 1)) != SF_OK)
        return rc;
    if (q->free_head != NO_SLOT) {
        slot = q->free_head;
        q->free_head = q->nodes[slot].info;
    } else {
        slot = q->nslots++;
    }
    key = (uint64_t)(priority - SF_PRIO_MIN) << 48 | q->seq++;
    n = &q->nodes[slot];
    memcpy(n->time, &time, sizeof time);
    memcpy(n->key, &key, sizeof key);
    n->target = target;
    n->info = (uint32_t)SLOT_LIVE << STATE_SHIFT | kind;
    place(q, slot, time, key);
    q->live++;
    q->entries++;
    if (id)
        *id = make_id(slot, key);
    return SF_OK;
}

/* ---- refilling the front ----------------------------------------------------- */

/* Smallest shift such that span >> shift < nb_max; nb_max >= 2, so
 * 63 always qualifies. */
static int shift_for(uint64_t span, uint64_t nb_max)
{
    int s = 0;

    while ((span >> s) >= nb_max)
        s++;
    return s;
}

/* Make rung `i` cover [start, last] with buckets of 2^shift; false when
 * the bucket arrays cannot grow (the caller then uses the heap). */
static bool rung_open(sf_queue *q, int i, uint64_t start, uint64_t last, int shift)
{
    struct rung *r = &q->rungs[i];
    uint64_t nb = ((last - start) >> shift) + 1;

    if (nb > r->cap) {
        struct bucket *v = sf_realloc(r->b, (size_t)nb * sizeof *v);
        if (!v)
            return false;
        r->b = v;
        r->cap = (uint32_t)nb;
    }
    r->start = start;
    r->last = last;
    r->shift = shift;
    r->nb = (uint32_t)nb;
    r->cur = 0;
    for (uint64_t k = 0; k < nb; k++)
        bucket_clear(&r->b[k]);
    return true;
}

/* Move a bucket's events into the front heap (empty here) and empty the
 * bucket; the chains are walked side by side. */
static int bucket_to_front(sf_queue *q, struct bucket *b)
{
    struct node *nodes = q->nodes;
    uint32_t c[CHAINS], live = CHAINS;
    struct fentry *f;
    int rc;

    if ((rc = front_reserve(q, b->count)) != SF_OK)
        return rc;
    f = q->front;
    memcpy(c, b->head, sizeof c);
    while (live > 0) {
        live = 0;
        for (int j = 0; j < CHAINS; j++) {
            uint32_t s = c[j];
            if (s == NIL)
                continue;
            live++;
            f->time = node_time(&nodes[s]);
            f->key = node_key(&nodes[s]);
            f->slot = s;
            f++;
            c[j] = nodes[s].next;
        }
    }
    q->nfront = (size_t)(f - q->front);
    front_heapify(q);
    bucket_clear(b);
    return SF_OK;
}

/* Spread a bucket's events over rung `i` and empty the bucket. */
static void bucket_to_rung(sf_queue *q, int i, struct bucket *from)
{
    struct node *nodes = q->nodes;
    struct rung *r = &q->rungs[i];
    uint32_t c[CHAINS], live = CHAINS;

    memcpy(c, from->head, sizeof c);
    while (live > 0) {
        live = 0;
        for (int j = 0; j < CHAINS; j++) {
            uint32_t s = c[j];
            if (s == NIL)
                continue;
            live++;
            c[j] = nodes[s].next;
            bucket_push(nodes, &r->b[(mapped(node_time(&nodes[s])) - r->start) >> r->shift], s);
        }
    }
    bucket_clear(from);
}

/*
 * Fill the empty front heap with the next events in time order: take the
 * next non-empty bucket of the deepest rung, or cut rung 0 from the top
 * list when the ladder is empty. SF_OK with a non-empty front, SF_ENOTFOUND
 * when nothing is left, SF_ENOMEM when the front cannot hold a bucket.
 */
static int refill(sf_queue *q)
{
    while (q->nfront == 0) {
        struct rung *r;
        struct bucket *bk;
        uint32_t b;
        uint64_t bstart, blast;

        if (q->nrungs == 0) {
            uint32_t c = q->top.count;
            uint64_t span = q->top_max - q->top_min;
            uint64_t nb_max = c / PER_RUNG0 > 2 ? c / PER_RUNG0 : 2;
            if (c == 0)
                return SF_ENOTFOUND;
            if (c > THRES && span > 0) {
                int s = shift_for(span, nb_max);
                uint64_t width1 = ((uint64_t)1 << s) - 1;
                uint64_t last = q->top_min + ((span >> s) << s);
                /* the last bucket runs to its full width unless that overflows */
                last = last + width1 < last ? UINT64_MAX : last + width1;
                if (rung_open(q, 0, q->top_min, last, s)) {
                    q->nrungs = 1;
                    q->top_last = last;
                    q->top_bounded = true;
                    /* Top events all lie above the old front range, so
                     * top_min is 0 only when that range is still empty. */
                    if (q->top_min > 0) {
                        q->front_last = q->top_min - 1;
                        q->front_open = true;
                    }
                    bucket_to_rung(q, 0, &q->top);
                    continue;
                }
            }
            if (bucket_to_front(q, &q->top) != SF_OK)
                return SF_ENOMEM;
            q->front_last = q->top_last = q->top_max;
            q->front_open = q->top_bounded = true;
            return SF_OK;
        }

        r = &q->rungs[q->nrungs - 1];
        while (r->cur < r->nb && r->b[r->cur].count == 0)
            r->cur++;
        if (r->cur == r->nb) {
            q->front_last = r->last;
            q->front_open = true;
            q->nrungs--;
            continue;
        }
        b = r->cur;
        bk = &r->b[b];
        bstart = r->start + ((uint64_t)b << r->shift);
        blast = b + 1 == r->nb ? r->last : bstart + (((uint64_t)1 << r->shift) - 1);
        if (bk->count > THRES && r->shift > 0 && q->nrungs < MAX_RUNGS) {
            /* Split the bucket into a finer rung covering exactly it. */
            uint64_t nb_max = bk->count / PER_CHILD > 2 ? bk->count / PER_CHILD : 2;
            int s = shift_for(blast - bstart, nb_max);
            if (s >= r->shift)
                s = r->shift - 1;
            if (rung_open(q, q->nrungs, bstart, blast, s)) {
                r->cur++;
                q->nrungs++;
                if (bstart > 0) { /* else the front range is still empty */
                    q->front_last = bstart - 1;
                    q->front_open = true;
                }
                bucket_to_rung(q, q->nrungs - 1, bk);
                continue;
            }
        }
        /* on failure the bucket stays: nothing is lost, the pop reports no memory */
        if (bucket_to_front(q, bk) != SF_OK)
            return SF_ENOMEM;
        r->cur++;
        q->front_last = blast;
        q->front_open = true;
    }
    return SF_OK;
}

/* Drop cancelled events from the front; false when nothing live is left
 * or when the front cannot grow (q->error says which). */
static bool settle(sf_queue *q)
{
    int rc;

    for (;;) {
        if (q->nfront == 0 && (rc = refill(q)) != SF_OK) {
            q->error = rc == SF_ENOMEM ? rc : SF_OK;
            return false;
        }
        if (node_state(&q->nodes[q->front[0].slot]) == SLOT_LIVE)
            return true;
        release(q, q->front[0].slot);
        q->entries--;
        front_remove_top(q);
    }
}

/* The event at the top of the settled front. */
static void front_event(const sf_queue *q, sf_event *ev)
{
    const struct fentry *top = &q->front[0];
    const struct node *n = &q->nodes[top->slot];

    ev->time = top->time;
    ev->priority = (int)(top->key >> 48) + SF_PRIO_MIN;
    ev->kind = n->info & INFO_MASK;
    ev->target = n->target;
    ev->id = make_id(top->slot, top->key);
}

bool sf_queue_pop(sf_queue *q, sf_event *ev)
{
    if (!settle(q))
        return false;
    front_event(q, ev);
    release(q, q->front[0].slot);
    q->live--;
    q->entries--;
    front_remove_top(q);
    return true;
}

/*
 * Only what the front heap already shows: settling here (a refill) would
 * change where the events pushed next go, and cost more than the hint
 * is worth. False once per refill and behind a cancelled first event.
 */
bool sf_queue_peek(const sf_queue *q, sf_event *ev)
{
    if (q->nfront == 0 || node_state(&q->nodes[q->front[0].slot]) != SLOT_LIVE)
        return false;
    front_event(q, ev);
    return true;
}

int sf_queue_error(const sf_queue *q)
{
    return q->error;
}

bool sf_queue_peek_time(sf_queue *q, sf_time *time)
{
    if (!settle(q))
        return false;
    *time = q->front[0].time;
    return true;
}

/* ---- cancellation ----------------------------------------------------------- */

static struct node *lookup(const sf_queue *q, sf_event_id id)
{
    uint64_t slot1 = id >> GEN_BITS;
    struct node *n;

    if (slot1 == 0 || slot1 > q->nslots)
        return NULL;
    n = &q->nodes[slot1 - 1];
    if (node_state(n) != SLOT_LIVE || (node_key(n) & GEN_MASK) != (id & GEN_MASK))
        return NULL;
    return n;
}

/* Unlink the dead nodes of a bucket, releasing their slots. */
static void bucket_compact(sf_queue *q, struct bucket *b)
{
    b->count = 0;
    for (int j = 0; j < CHAINS; j++) {
        uint32_t *link = &b->head[j];
        while (*link != NIL) {
            uint32_t s = *link;
            if (node_state(&q->nodes[s]) == SLOT_LIVE) {
                b->count++;
                link = &q->nodes[s].next;
            } else {
                *link = q->nodes[s].next;
                release(q, s);
            }
        }
    }
}

/* Drop every dead entry, O(entries + buckets): the queue then holds only
 * live events, so a model that cancels most of what it schedules does not
 * keep the memory of the cancelled ones. */
static void compact(sf_queue *q)
{
    size_t j = 0;

    for (size_t i = 0; i < q->nfront; i++) {
        if (node_state(&q->nodes[q->front[i].slot]) == SLOT_LIVE)
            q->front[j++] = q->front[i];
        else
            release(q, q->front[i].slot);
    }
    q->nfront = j;
    front_heapify(q);
    for (int i = 0; i < q->nrungs; i++) {
        struct rung *r = &q->rungs[i];
        for (uint32_t b = r->cur; b < r->nb; b++)
            if (r->b[b].count > 0)
                bucket_compact(q, &r->b[b]);
    }
    /* top_min and top_max stay valid bounds for what is left */
    bucket_compact(q, &q->top);
    q->entries = q->live;
}

bool sf_queue_cancel(sf_queue *q, sf_event_id id)
{
    struct node *n = lookup(q, id);

    if (!n)
        return false;
    /* The node stays linked until the structure reaches it; the state
     * makes the handle stale at once. */
    n->info = (uint32_t)SLOT_DEAD << STATE_SHIFT;
    q->live--;
    if (q->entries - q->live > q->live + 4096)
        compact(q);
    return true;
}

bool sf_queue_pending(const sf_queue *q, sf_event_id id)
{
    return lookup(q, id) != NULL;
}

size_t sf_queue_size(const sf_queue *q)
{
    return q->live;
}

size_t sf_queue_bytes(const sf_queue *q)
{
    size_t b = sizeof *q + (size_t)q->slots_cap * sizeof *q->nodes + q->front_cap * sizeof *q->front;

    for (int i = 0; i < MAX_RUNGS; i++)
        b += (size_t)q->rungs[i].cap * sizeof *q->rungs[i].b;
    return b;
}
