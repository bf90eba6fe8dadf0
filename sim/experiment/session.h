/*
 * session.h: one run of one model, from a file to its figures.
 *
 * A session loads a scenario (YAML, with --set overrides) or a bare Lua
 * process model, builds the kernel, the factory model and the script
 * state, and runs. Everything that runs a model goes through here:
 * `shopfloor run`, replications, comparisons and sweeps, and the live
 * viewer (which advances a session step by step to the time it shows).
 *
 * Problems are written to the spec's `err` stream (stderr when NULL)
 * with their place (file:line:col, or script file:line, process and
 * simulated time).
 */
#ifndef SF_EXPERIMENT_SESSION_H
#define SF_EXPERIMENT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/kernel.h"
#include "core/time.h"
#include "experiment/interventions.h"
#include "metrics/kpis.h"
#include "metrics/metrics.h"
#include "model/world.h"
#include "model/config.h"
#include "script/script.h"

typedef struct sf_session_spec {
    const char *model;            /* path of a scenario (.yaml, .yml) or a Lua model (.lua) */
    const char *const *sets;      /* scenario overrides "key.path=value" */
    size_t nsets;
    bool seed_given;              /* else the scenario's seed (1 for a Lua model) */
    uint64_t seed;
    bool until_given;             /* else the scenario's horizon (no limit for a Lua model) */
    sf_time until;
    uint64_t budget;              /* Lua instructions per resume; 0 = default */
    size_t memory_limit;          /* bytes for the Lua state; 0 = default */
    FILE *log;                    /* sim.log output; NULL = stdout */
    FILE *err;                    /* problems; NULL = stderr */
    const char *instruct;         /* instructions in plain words (experiment/instruct.h), one a line; NULL = none */
    FILE *said;                   /* how each instruction was understood; NULL = stdout */
    int reserve;                  /* agents per fleet entry (but arms) built out of the plant, to add during the
                                     run (experiment/interventions.h, SF_IV_RESERVE); 0 = none */
    const sf_intervention *build; /* agents added (SF_IV_ADD_AGENTS) that the plant is built with, after the reserve
                                     and before spec.instruct's: a recording's (render/record.h); nbuild of them */
    size_t nbuild;
    bool relax_safety;            /* a scenario's counterfactual without safety rules (model/config.h,
                                     sf_cfg_safety.relaxed): robots never slow, stop or hold people for people */
} sf_session_spec;

typedef struct sf_session sf_session;

/* True for a scenario path (.yaml or .yml), false for a Lua model. */
bool sf_session_is_scenario(const char *path);

/*
 * Load and build. NULL after the problem was written to spec->err; then
 * *status says why (SF_EINVAL for a bad scenario, SF_ESCRIPT for a bad
 * script, SF_ENOMEM...).
 */
sf_session *sf_session_new(const sf_session_spec *spec, int *status);
void sf_session_free(sf_session *s);

/* Run to `t` (clamped to the end time); call again with a later t to go on. SF_OK or the failure (see sf_script_run). */
int sf_session_advance(sf_session *s, sf_time t);
/* Run to the end time. */
int sf_session_run(sf_session *s);

/* The time the session runs to, the seed in use, and whether it has reached its end without failing. */
sf_time sf_session_end(const sf_session *s);
uint64_t sf_session_seed(const sf_session *s);
bool sf_session_complete(const sf_session *s);
/* The failure message ("" when none). */
const char *sf_session_error(const sf_session *s);

sf_kernel *sf_session_kernel(sf_session *s);
sf_script *sf_session_script(sf_session *s);
sf_world *sf_session_world(sf_session *s);                       /* NULL for a Lua model */
const sf_scenario_config *sf_session_config(const sf_session *s); /* NULL for a Lua model */
/* The plant's metrics, attached to the world from time 0 (NULL for a Lua model); the session frees them. */
sf_metrics *sf_session_metrics(sf_session *s);
/*
 * The interventions of the run: spec.instruct's, or an empty list made
 * (and started) at the first call, to which a live viewer adds its own
 * with sf_interventions_schedule. NULL for a Lua model or when out of
 * memory.
 */
sf_interventions *sf_session_interventions(sf_session *s);

/*
 * The figures so far, appended to `out`: events, and for a Lua model the
 * statistics of every tally, level, resource, store and container; for
 * a scenario trips and distance per agent type and every KPI of the
 * metrics (closed at the current time; docs/results.md). SF_OK or
 * SF_ENOMEM.
 */
int sf_session_kpis(sf_session *s, sf_kpis *out);

/*
 * The behaviour library's folder (the one with plant.lua): $SHOPFLOOR_SCRIPTS
 * when set, else beside the executable (../share/shopfloor/scripts,
 * scripts, ../scripts), else the source tree the program was built from,
 * else the install path it was built for; into buf, or NULL. `tried`
 * (tn bytes, may be NULL) gets the places looked at, for an error message.
 */
const char *sf_session_scripts_dir(char *buf, size_t n, char *tried, size_t tn);

#endif
