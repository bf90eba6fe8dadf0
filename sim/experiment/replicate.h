/*
 * replicate.h: independent replications of one model, and the table of
 * their figures.
 *
 * Replication r (counted from 0) of base seed S runs with seed
 * sf_rng_derive_seed(S, r): a pure function of (S, r), so replications
 * can run in any order, in any process, and the same replication of two
 * alternatives draws the same numbers from the same named streams
 * (common random numbers). The base seed is --seed, else the scenario's
 * seed, else 1 for a Lua model.
 *
 * A table collects the KPI lists of the replications without knowing
 * what they mean: one key per (metric, entity), in the order the keys
 * first appeared, one value per replication (NaN where a replication did
 * not report it).
 */
#ifndef SF_EXPERIMENT_REPLICATE_H
#define SF_EXPERIMENT_REPLICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiment/ci.h"
#include "experiment/session.h"
#include "metrics/kpis.h"

/* The seed of replication `rep` of base seed `base`. */
uint64_t sf_rep_seed(uint64_t base, uint64_t rep);

/*
 * The base seed of a model: spec->seed when given, else the scenario's
 * (loaded with spec's overrides; problems written to `err`), else 1.
 * SF_OK or SF_EINVAL.
 */
int sf_rep_base_seed(const sf_session_spec *spec, FILE *err, uint64_t *seed);

/*
 * Run one replication of spec (its seed already set) to its end and
 * append its figures to `out`. On failure the message (the scenario's
 * problems or the script error, with its place) is in err[0..n), and the
 * code is SF_EINVAL, SF_ESCRIPT or another run failure. The model's
 * sim.log output goes to spec->log (NULL: discarded).
 */
int sf_rep_run(const sf_session_spec *spec, sf_kpis *out, char *err, size_t n);

/*
 * The counterfactual `--counterfactual safety`: run replication spec (its
 * seed already set) as it is and again with the same seed and every
 * robot's safety rule relaxed (sf_session_spec.relax_safety: no safety
 * monitor, so no robot slows, stops or holds a person outside for people,
 * and mobile robots keep their speed in collaborative zones). Both runs
 * draw the same named streams, so the difference is paired. Appends the
 * figures of the run as it is, then for every `throughput` row (the
 * plant's and each product's) `throughput_lost_safety` = relaxed - actual
 * (1/h) and for every `lead_time_mean` row `lead_time_added_safety` =
 * actual - relaxed (min), under the same entity. As sf_rep_run otherwise.
 */
int sf_rep_run_counterfactual(const sf_session_spec *spec, sf_kpis *out, char *err, size_t n);

/* The counterfactuals an option may name: "safety" (true), anything else false. */
bool sf_rep_counterfactual_known(const char *name);

typedef struct sf_rep_key {
    char *metric, *entity, *unit;
    bool headline;
    double *v; /* v[0..nreps) */
} sf_rep_key;

typedef struct sf_rep_table {
    sf_rep_key *keys;
    size_t nkeys, cap;
    size_t nreps, repcap;
} sf_rep_table;

void sf_rep_table_init(sf_rep_table *t);
void sf_rep_table_free(sf_rep_table *t);
/*
 * Add the figures of the next replication. Keys are looked up linearly:
 * O(keys) per row, fine for the hundreds of KPIs a plant reports.
 * SF_OK or SF_ENOMEM.
 */
int sf_rep_table_add(sf_rep_table *t, const sf_kpis *k);
/* Index of (metric, entity), or -1. */
long sf_rep_table_find(const sf_rep_table *t, const char *metric, const char *entity);
/* The summary of key i at the given confidence level. */
sf_ci sf_rep_table_ci(const sf_rep_table *t, size_t i, double level);

/*
 * True when every headline key's half-width is at most `rel` times the
 * absolute value of its mean (a key with zero spread always is). When no
 * key is a headline (a Lua model), every key must be. False with fewer
 * than 2 replications.
 */
bool sf_rep_table_precise(const sf_rep_table *t, double rel, double level);

#endif
