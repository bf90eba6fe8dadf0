/*
 * metrics.h: what a run measured, kept exactly from the model's calls.
 *
 * An sf_metrics is an observer (model/observe.h). It never polls: every
 * figure is piecewise constant between two calls, so each call closes
 * the interval since the previous one and adds it, in full, to whatever
 * the interval belongs to (a state, a 15-minute window, a tariff band, an
 * hour's carbon factor, a time-series step). Results exclude the
 * configured warm-up: an interval is counted only for its part after
 * cfg->scenario.warmup, and a job only when it ends after it. The time
 * series cover the whole run, warm-up included, so that MSER-5 can
 * suggest a warm-up from them.
 *
 * Feed it either by attaching it to a world (sf_metrics_attach: it then
 * reads the agents' current states and their exact energy meters) or by
 * calling the observer's callbacks directly (tests). Definitions of every
 * figure: docs/results.md.
 *
 * The config must outlive the metrics. sf_metrics_free releases
 * everything sf_metrics_new allocated; a trace FILE stays the caller's.
 */
#ifndef SF_METRICS_METRICS_H
#define SF_METRICS_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/stats.h"
#include "core/time.h"
#include "metrics/kpis.h"
#include "model/observe.h"
#include "model/world.h"
#include "model/config.h"

typedef struct sf_metrics sf_metrics;

/*
 * Metrics for the agents and stations of `cfg` (agents numbered as the
 * world numbers them: fleet types in order, `count` each), from time
 * `now` on. `sample_every` is the time-series step (0: the config's
 * outputs.sample_every, else a round step near 1/100 of the horizon).
 * NULL when out of memory.
 */
sf_metrics *sf_metrics_new(const sf_scenario_config *cfg, sf_time now, sf_time sample_every);
void sf_metrics_free(sf_metrics *m);

/* A round time-series step near 1/100 of `horizon` (1 s ... 1 day). */
sf_time sf_metrics_default_step(sf_time horizon);

/* The observer to feed by hand (its ctx is m). */
sf_observer sf_metrics_observer(sf_metrics *m);

/*
 * Follow world `w`: read each agent's state and meter now, and attach the
 * observer. Energy by power state then comes from the agents' meters.
 * SF_OK, or SF_ELIMIT when the world has no observer slot left.
 */
int sf_metrics_attach(sf_metrics *m, sf_world *w);

/*
 * Write one CSV row (time_s,entity,name,state; no header) for the current
 * state of every agent and station, then one per state change from now
 * on; NULL stops.
 */
void sf_metrics_trace(sf_metrics *m, FILE *f);

/*
 * Close every open interval at `now` (>= the last call) so the figures
 * below are up to date. Idempotent; calls may go on afterwards.
 */
void sf_metrics_close(sf_metrics *m, sf_time now);

/* Append every KPI (docs/results.md) to `out`. SF_OK or SF_ENOMEM. Call sf_metrics_close first. */
int sf_metrics_kpis(sf_metrics *m, sf_kpis *out);

/* ---- read access for the report -------------------------------------- */

typedef struct sf_metrics_entity {
    const char *name;   /* "forklift.2", or the station's name */
    const char *type;   /* agent type name, or the station's group */
    double time[SF_STATES];          /* s in each state, after the warm-up */
    double energy[SF_POWER_STATES];  /* J in each power state, after the warm-up */
    double grid;                     /* J drawn from the grid, after the warm-up */
    double charged;                  /* J put into batteries by charging (grid x charge_efficiency), after the warm-up */
} sf_metrics_entity;

size_t sf_metrics_agents(const sf_metrics *m);
size_t sf_metrics_stations(const sf_metrics *m);
const sf_metrics_entity *sf_metrics_agent(const sf_metrics *m, size_t i);
const sf_metrics_entity *sf_metrics_station(const sf_metrics *m, size_t i);
/* The spare packs of fleet entry `t` (they draw only while charging; all zero for an entry that does not swap). */
const sf_metrics_entity *sf_metrics_packs(const sf_metrics *m, size_t t);

/* One time-series step [t, t + step): the whole run, warm-up included. */
typedef struct sf_metrics_sample {
    sf_time t;
    double completed;   /* good units completed in the step */
    double wip;         /* time-average work in progress over the step */
    double power;       /* W, mean grid power over the step (base load included) */
    double soc;         /* mean state of charge of battery agents at t, 0..1; NAN without batteries */
    double released;    /* units released in the step */
    double departed;    /* units that left in the step: completed or scrapped */
    double stock;       /* time-average pallets stored and not yet shipped over the step */
    double pending;     /* time-average pallets received and not stored, or ordered and not shipped */
} sf_metrics_sample;

size_t sf_metrics_samples(const sf_metrics *m, const sf_metrics_sample **v);
sf_time sf_metrics_step(const sf_metrics *m);

/* Peak 15-minute demand (W) and the start of its window; 0 and -1 when none. */
double sf_metrics_peak(const sf_metrics *m, sf_time *window_start);

/* Lead times (s) of the jobs completed after the warm-up, for a histogram. */
const sf_tally *sf_metrics_lead_times(const sf_metrics *m);

/*
 * MSER-5 on the throughput series: the suggested warm-up (a multiple of
 * 5 steps), or -1 when the series is too short (fewer than 4 batches).
 */
sf_time sf_metrics_mser5(const sf_metrics *m);

/*
 * Stability diagnostics, apart from the warm-up (docs/results.md): the
 * units released faster than they leave, a growing WIP or pallet stock,
 * orders that end before the run while pallets keep arriving. Writes up
 * to `max` findings (one sentence each, no newline) into `out` and
 * returns how many there are (0: stable). Call sf_metrics_close first.
 */
#define SF_FINDING_LEN 200
size_t sf_metrics_stability(const sf_metrics *m, char (*out)[SF_FINDING_LEN], size_t max);

/* The measured window [warm-up, last close). */
sf_time sf_metrics_from(const sf_metrics *m);
sf_time sf_metrics_to(const sf_metrics *m);

/*
 * MSER on a series y[0..n): the truncation d in [0, n/2] that minimises
 * sum_{i>=d} (y_i - mean_d)^2 / (n - d)^2. Exposed for tests.
 */
size_t sf_mser(const double *y, size_t n);

#endif
