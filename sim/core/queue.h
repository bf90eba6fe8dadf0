/*
 * queue.h: the future event set.
 *
 * Pending events are ordered by (time, priority, insertion sequence):
 * earlier time first, then smaller priority value, then the one pushed
 * first. That order is total, so a run is exactly repeatable.
 *
 * Each event has a handle (sf_event_id) made of a slot index and a
 * generation (the low 34 bits of the event's sequence number, new with
 * every push). Cancelling by handle is O(1) and lazy: the entry stays in
 * the queue, marked dead, and is dropped when the queue reaches it (or
 * when dead entries outnumber live ones, all at once). A handle whose
 * event has fired or been cancelled is stale; using it is harmless
 * (cancel returns false).
 *
 * Structure: a ladder queue with a small heap in front; push O(1), pop
 * O(1) amortised plus O(log f) in a front heap of a few dozen events.
 * Memory: 28 bytes per slot, the pool grown by a sixteenth, plus under
 * one byte per event of buckets: under 32 bytes per pending event. See
 * docs/architecture.md, "Event queue", for the measurements behind it.
 */
#ifndef SF_CORE_QUEUE_H
#define SF_CORE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

typedef uint64_t sf_event_id; /* 0 is never a valid handle */

#define SF_PRIO_MIN (-32768)
#define SF_PRIO_MAX 32767
#define SF_SEQ_LIMIT ((uint64_t)1 << 48)

typedef struct sf_event {
    sf_time time;
    int priority;
    uint32_t kind;
    uint32_t target;
    sf_event_id id;
} sf_event;

typedef struct sf_queue sf_queue;

/* A new empty queue, NULL when out of memory. Free with sf_queue_free. */
sf_queue *sf_queue_new(void);
void sf_queue_free(sf_queue *q);

/*
 * Add an event. `kind` must be below 2^30. SF_ERANGE for a priority
 * outside [SF_PRIO_MIN, SF_PRIO_MAX], a kind that is too large, or after
 * 2^48 pushes; SF_ENOMEM when growing fails (the queue is unchanged).
 * `id` may be NULL.
 */
int sf_queue_push(sf_queue *q, sf_time time, int priority, uint32_t kind, uint32_t target, sf_event_id *id);

/* Cancel a pending event; false when the handle is stale or was never valid. */
bool sf_queue_cancel(sf_queue *q, sf_event_id id);

/* True when `id` names an event that is still pending. */
bool sf_queue_pending(const sf_queue *q, sf_event_id id);

/* Remove the first live event into *ev; false when none is pending. */
bool sf_queue_pop(sf_queue *q, sf_event *ev);

/* Time of the first live event; false when none is pending. */
bool sf_queue_peek_time(sf_queue *q, sf_time *time);

/*
 * Why the last pop or peek_time returned false: SF_OK when no event was
 * pending, SF_ENOMEM when the queue could not grow to reorganise itself
 * (nothing is lost: a later call may succeed).
 */
int sf_queue_error(const sf_queue *q);

/*
 * The first live event into *ev without removing it or reorganising the
 * queue: true and exactly the event the next pop returns, or false when
 * none is pending or the queue would have to move events to tell (after
 * the last event of a bucket, or with a cancelled event first). O(1).
 */
bool sf_queue_peek(const sf_queue *q, sf_event *ev);

/* Number of live (not cancelled) pending events. */
size_t sf_queue_size(const sf_queue *q);

/* Bytes of memory the queue holds now (entries, slots, buckets). */
size_t sf_queue_bytes(const sf_queue *q);

/* Remove every event; handles given out so far become stale. */
void sf_queue_clear(sf_queue *q);

#endif
