/*
 * work.h: an activity that progresses at a rate that can change.
 *
 * An operation holds an amount of work, the time it takes at full rate.
 * It runs at a rate in [0, 1]: 1 is full speed, a collaborative or
 * reduced speed is below 1, a protective stop is 0. Each rate change
 * first brings the progress up to `now` and then gives the new
 * completion time, which the owner uses to reschedule its completion
 * event (cancel the old one, schedule the new one):
 *
 *     sf_work op;
 *     sf_time end = sf_work_start(&op, now, amount, 1.0);
 *     sf_kernel_at(k, end, 0, kind_done, target, &op_event);
 *     ...                                   later, a person comes near:
 *     sf_kernel_cancel(k, op_event);
 *     end = sf_work_set_rate(&op, sf_kernel_now(k), 0.25);
 *     if (end != SF_TIME_MAX)               SF_TIME_MAX: stopped, no event
 *         sf_kernel_at(k, end, 0, kind_done, target, &op_event);
 *
 * Exactness. A rate is kept in parts per 10^9 (SF_WORK_RATE_ONE); a
 * double given to the functions below is rounded once to the nearest
 * part. The remaining work is kept exactly, as an integer count of
 * 10^-9 ns at full rate, so working dt ns at rate r removes exactly
 * dt * r units: nothing is rounded while the work progresses, and any
 * sequence of rate changes ends where the exact sum says. The only
 * rounding is the completion time, which is the first whole nanosecond
 * at which the work done reaches the amount:
 *
 *     end = since + ceil(remaining_units / r)
 *
 * Example: 1 s of work at rate 1/3 (333333333 parts) ends after
 * ceil(10^18 / 333333333) = 3000000004 ns, not 3 s.
 *
 * The time spent at full rate, at a reduced rate and stopped is kept
 * until the work completes (a later set_rate changes nothing).
 *
 * The struct is the caller's (embedded in an operation); nothing to free.
 * The functions never fail; a completion time beyond SF_TIME_MAX is
 * given as SF_TIME_MAX (never, for any run).
 */
#ifndef SF_MODEL_WORK_H
#define SF_MODEL_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"

#define SF_WORK_RATE_ONE INT64_C(1000000000)

/* Where the working time went, by rate. */
typedef enum sf_work_band {
    SF_WORK_FULL,    /* rate 1 */
    SF_WORK_REDUCED, /* 0 < rate < 1 */
    SF_WORK_STOPPED, /* rate 0 */
    SF_WORK_BANDS
} sf_work_band;

typedef struct sf_work {
    sf_time amount;       /* work at full rate, ns */
    sf_time left;         /* remaining work: whole ns at full rate ... */
    int64_t left_part;    /* ... plus this many 10^-9 ns (0 .. 10^9 - 1) */
    int64_t rate;         /* parts per 10^9 */
    sf_time since;        /* progress is counted up to here */
    sf_time end;          /* completion at the current rate; SF_TIME_MAX when stopped */
    sf_time time_at[SF_WORK_BANDS];
} sf_work;

/* A double rate in [0, 1] (clamped) to parts per 10^9, rounded to nearest. */
int64_t sf_work_rate_parts(double rate);

/*
 * Start `amount` ns of work (at full rate) at `now`, running at `rate`.
 * Returns the completion time (now when amount <= 0; SF_TIME_MAX when the
 * rate is 0).
 */
sf_time sf_work_start(sf_work *w, sf_time now, sf_time amount, double rate);
sf_time sf_work_start_parts(sf_work *w, sf_time now, sf_time amount, int64_t parts);

/*
 * Bring the progress up to `now` (>= the last update; earlier is a broken
 * contract), then run at `rate` from now. Returns the new completion
 * time, SF_TIME_MAX when the rate is 0. Once the work is complete
 * (now >= end) it stays complete and its end time does not move.
 */
sf_time sf_work_set_rate(sf_work *w, sf_time now, double rate);
sf_time sf_work_set_rate_parts(sf_work *w, sf_time now, int64_t parts);

/* Bring the progress up to `now` without changing the rate; returns the completion time. */
sf_time sf_work_advance(sf_work *w, sf_time now);

/* Completion time at the current rate (SF_TIME_MAX when stopped). */
static inline sf_time sf_work_end(const sf_work *w) { return w->end; }

/* The current rate as a double. */
double sf_work_rate(const sf_work *w);

/* True when the work is complete at `now`. */
bool sf_work_complete(const sf_work *w, sf_time now);

/* Share of the amount done at `now` (0..1), without changing the work. */
double sf_work_progress(const sf_work *w, sf_time now);

/* Remaining work at `now`, in whole ns at full rate rounded up, without changing the work. */
sf_time sf_work_remaining(const sf_work *w, sf_time now);

/*
 * Time spent in `band` from the start up to `now` (or up to the
 * completion, whichever is earlier), without changing the work.
 */
sf_time sf_work_time_at(const sf_work *w, sf_time now, sf_work_band band);

#endif
