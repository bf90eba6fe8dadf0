/*
 * stats.h: statistics fed by state changes, never by polling.
 *
 * sf_tally collects observations (a waiting time, a lead time): count,
 * mean and variance by Welford's method, min, max, and exact percentiles
 * from the kept observations.
 *
 * sf_level follows a quantity that holds its value between changes (a
 * queue length, a battery level, a busy flag): each change closes the
 * interval since the last one, so the time average, the time-weighted
 * variance and the integral are exact, not sampled. Time is in seconds
 * from the kernel clock at the boundary.
 *
 * sf_signal lets a model announce a state change to any number of
 * listeners (statistics, reports, the viewer) without knowing them.
 */
#ifndef SF_CORE_STATS_H
#define SF_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

typedef struct sf_tally {
    uint64_t n;
    double mean, m2, min, max;
    double *obs; /* kept observations, for percentiles; NULL when not kept */
    size_t nobs, cap;
    bool keep;
    bool sorted;
} sf_tally;

/* `keep` = true stores every observation (8 bytes each) for exact percentiles. */
void sf_tally_init(sf_tally *t, bool keep);
void sf_tally_close(sf_tally *t);
void sf_tally_reset(sf_tally *t);
/* SF_ENOMEM when an observation cannot be kept (the moments are still updated). */
int sf_tally_add(sf_tally *t, double x);
double sf_tally_mean(const sf_tally *t);
double sf_tally_sd(const sf_tally *t); /* sample standard deviation, 0 for n < 2 */
/* Percentile q in [0, 1] by linear interpolation between order statistics; NAN when not kept or empty. */
double sf_tally_percentile(sf_tally *t, double q);

typedef struct sf_level {
    sf_time start, last; /* start of observation, time of the last change */
    double value;        /* current value */
    double area;         /* integral of value dt, in value x seconds */
    double area2;        /* integral of value^2 dt */
    double min, max;
    uint64_t changes;
} sf_level;

void sf_level_init(sf_level *l, sf_time now, double value);
/* Set a new value at time `now` (>= the last change). */
void sf_level_set(sf_level *l, sf_time now, double value);
static inline void sf_level_add(sf_level *l, sf_time now, double delta)
{
    sf_level_set(l, now, l->value + delta);
}
/* Restart observation at `now`, keeping the current value (for warm-up). */
void sf_level_reset(sf_level *l, sf_time now);
/* Integral up to `now` in value x seconds, time average and time-weighted sd over [start, now]. */
double sf_level_integral(const sf_level *l, sf_time now);
double sf_level_mean(const sf_level *l, sf_time now);
double sf_level_sd(const sf_level *l, sf_time now);

typedef void (*sf_listener_fn)(void *ctx, sf_time now, uint32_t source, double value);

typedef struct sf_signal {
    struct sf_listener {
        sf_listener_fn fn;
        void *ctx;
    } *v;
    int n;
    size_t cap;
} sf_signal;

void sf_signal_init(sf_signal *s);
void sf_signal_close(sf_signal *s);
int sf_signal_connect(sf_signal *s, sf_listener_fn fn, void *ctx);
static inline void sf_signal_emit(const sf_signal *s, sf_time now, uint32_t source, double value)
{
    for (int i = 0; i < s->n; i++)
        s->v[i].fn(s->v[i].ctx, now, source, value);
}

#endif
