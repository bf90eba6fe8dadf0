/*
 * kernel.h: the simulation kernel: a clock, the future event set and the
 * run loop.
 *
 * An event is (time, priority, kind, target). A kind is registered once
 * with a handler; the target is an index the handler understands (an
 * agent, a process, a station). Handlers run one at a time in the order
 * of the queue; they may schedule, cancel, stop or fail the run.
 *
 * The kernel keeps a fingerprint: a running 64-bit hash of (time, kind,
 * target) of every executed event. Equal runs give equal fingerprints,
 * and regression tests compare them.
 *
 * The kernel knows nothing of factories, Lua, YAML or SDL.
 */
#ifndef SF_CORE_KERNEL_H
#define SF_CORE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/queue.h"
#include "core/time.h"

typedef struct sf_kernel sf_kernel;

typedef void (*sf_handler)(sf_kernel *k, void *ctx, const sf_event *ev);

/* Called before each event's handler, for tracing. */
typedef void (*sf_trace_fn)(void *ctx, const sf_event *ev, const char *kind_name);

#define SF_KIND_MAX 4096

/* A kernel at time 0 with no kinds, NULL when out of memory. */
sf_kernel *sf_kernel_new(void);
void sf_kernel_free(sf_kernel *k);

/*
 * Register a kind of event; returns its number (>= 0) or SF_ENOMEM /
 * SF_ELIMIT. `name` is copied; it appears in traces and reports.
 */
int sf_kernel_add_kind(sf_kernel *k, const char *name, sf_handler fn, void *ctx);
/*
 * Register several kinds with the same ctx, storing each one's number at
 * its `kind`; SF_OK or the first error. A module registers its events in
 * one statement:
 *
 *     if (SF_KERNEL_ADD_KINDS(k, f, {"station.failure", on_fail, &f->kind_fail},
 *                             {"station.repair", on_repair, &f->kind_repair}) != SF_OK)
 *         goto fail;
 */
typedef struct {
    const char *name;
    sf_handler fn;
    uint32_t *kind;
} sf_kind_def;
int sf_kernel_add_kinds(sf_kernel *k, const sf_kind_def *defs, size_t n, void *ctx);
#define SF_KERNEL_ADD_KINDS(k, ctx, ...)                                                                               \
    sf_kernel_add_kinds((k), (sf_kind_def[]){__VA_ARGS__}, sizeof((sf_kind_def[]){__VA_ARGS__}) / sizeof(sf_kind_def), \
                        (ctx))
const char *sf_kernel_kind_name(const sf_kernel *k, uint32_t kind);

sf_time sf_kernel_now(const sf_kernel *k);

/*
 * Schedule at absolute time `t` (SF_EPAST when t < now) or after `dt`
 * (SF_EPAST when dt < 0, SF_ERANGE when now + dt overflows). Smaller
 * priority values run first among events at the same time; equal
 * priorities run in the order scheduled. `id` may be NULL.
 */
int sf_kernel_at(sf_kernel *k, sf_time t, int priority, uint32_t kind, uint32_t target, sf_event_id *id);
int sf_kernel_after(sf_kernel *k, sf_time dt, int priority, uint32_t kind, uint32_t target, sf_event_id *id);

/* Cancel a pending event; false for a stale handle. */
bool sf_kernel_cancel(sf_kernel *k, sf_event_id id);
bool sf_kernel_pending(const sf_kernel *k, sf_event_id id);

/*
 * Execute every event with time <= until, then set the clock to `until`.
 * Returns SF_OK, SF_ESTOPPED after sf_kernel_stop, the code given to
 * sf_kernel_fail, or SF_ENOMEM when the event queue could not grow; in
 * those cases the clock stays at the last event.
 */
int sf_kernel_run_until(sf_kernel *k, sf_time until);

/* Execute events until none is left (or a stop or failure, SF_ENOMEM among them). The clock stays at the last event. */
int sf_kernel_run(sf_kernel *k);

/* Execute the next event: 1 when one ran, 0 when none is pending, or a failure code (SF_ENOMEM among them). */
int sf_kernel_step(sf_kernel *k);

/* From a handler: end the current run after this event. */
void sf_kernel_stop(sf_kernel *k);

/* From a handler: end the current run after this event with error `code` (< 0). */
void sf_kernel_fail(sf_kernel *k, int code);

/* Time of the next pending event; false when none. */
bool sf_kernel_next_time(sf_kernel *k, sf_time *t);

/*
 * The next pending event, left in the queue, when the queue can tell in
 * O(1) (sf_queue_peek); false otherwise. A handler may call it to
 * prefetch what the next event will touch; events the handler schedules
 * later may still come before it.
 */
bool sf_kernel_peek(const sf_kernel *k, sf_event *ev);

uint64_t sf_kernel_fingerprint(const sf_kernel *k);
uint64_t sf_kernel_events(const sf_kernel *k);
size_t sf_kernel_pending_count(const sf_kernel *k);

void sf_kernel_set_trace(sf_kernel *k, sf_trace_fn fn, void *ctx);

#endif
