/*
 * script.h: Lua behaviours as processes over the event kernel.
 *
 * A behaviour is a Lua function run as a coroutine. Every blocking call
 * (sim.wait, res:acquire, store:get, ev:wait, proc:join...) yields to the
 * kernel, and the kernel resumes the coroutine when the condition holds:
 * a timer event for a wait, a wake-up scheduled by whoever released the
 * resource, put the item or triggered the event. Nothing polls.
 *
 * This header is the C side of the layer: make a scripting state over a
 * kernel, load a model (its top-level code runs as the first process, at
 * time 0), run it, and read what it measured. Only sim/script sees Lua;
 * callers never do.
 *
 * Ownership: sf_script_new pairs with sf_script_free. The kernel passed in
 * belongs to the caller and must outlive the script state. Strings
 * returned by the accessors belong to the state.
 */
#ifndef SF_SCRIPT_H
#define SF_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/kernel.h"
#include "core/stats.h"
#include "core/time.h"
#include "model/world.h"

typedef struct sf_script sf_script;

typedef struct sf_script_options {
    uint64_t seed;            /* base seed of every named random stream */
    uint64_t budget;          /* Lua instructions allowed per resume; 0 = default (10^8) */
    size_t memory_limit;      /* bytes the Lua state may hold; 0 = default (1 GiB) */
    const char *scripts_dir;  /* the project's scripts/ folder, or NULL */
    FILE *log;                /* where sim.log writes; NULL = stdout */
} sf_script_options;

#define SF_SCRIPT_DEFAULT_BUDGET 100000000u
/* Larger budgets are taken as this one (about 2.9 years of Lua at 10^8 instructions per second). */
#define SF_SCRIPT_MAX_BUDGET ((uint64_t)1 << 53)
#define SF_SCRIPT_DEFAULT_MEMORY ((size_t)1 << 30)

/* A state over kernel `k` (which must have no events of its own that
 * depend on running first). NULL when out of memory. */
sf_script *sf_script_new(sf_kernel *k, const sf_script_options *opt);
void sf_script_free(sf_script *S);

/*
 * Safe to call from a signal handler: the resume running now stops at its
 * next Lua instruction (a runaway loop included), and so does the run, as
 * SF_ESTOPPED with the place it stopped; what was measured stays readable.
 */
void sf_script_interrupt(sf_script *S);

/*
 * Load the model file `path` and schedule its top-level code as process
 * "main" at the current time. Scripts may `require` only modules in the
 * model's folder and in scripts_dir. SF_OK, SF_EIO for a file that cannot
 * be read, SF_ESCRIPT for a syntax error (see sf_script_error).
 */
int sf_script_load_file(sf_script *S, const char *path);

/* The folder `require` searches first (as load_file sets it from the model's path). SF_ENOMEM. */
int sf_script_set_model_dir(sf_script *S, const char *dir);

/* The same for a chunk of source text named `name` (for tests and docs). */
int sf_script_load_string(sf_script *S, const char *source, const char *name);

/*
 * Run the kernel until `until` (SF_TIME_MAX: until no event is left).
 * SF_OK; SF_ESCRIPT for a Lua error (a message with file:line, process,
 * simulated time and traceback in sf_script_error); SF_ELIMIT for a
 * runaway behaviour or the memory cap; SF_EDEADLOCK when processes wait
 * and nothing can wake them (each one listed in sf_script_error); or a
 * kernel failure code. After a failure, what was measured stays readable.
 */
int sf_script_run(sf_script *S, sf_time until);

/* The last error message ("" when none). */
const char *sf_script_error(const sf_script *S);

/* Processes alive now (started or waiting to start, not finished). */
size_t sf_script_processes(const sf_script *S);

/* Bytes held by the Lua state. */
size_t sf_script_memory(const sf_script *S);

/*
 * Statistics kept by the model, readable from C. Kinds of object are
 * tallies and levels made with sim.tally/sim.level, and resources,
 * stores and containers (each one's utilisation, time-weighted queue
 * length and waiting times).
 */
typedef enum sf_script_kind {
    SF_SCRIPT_TALLY,
    SF_SCRIPT_LEVEL,
    SF_SCRIPT_RESOURCE,
    SF_SCRIPT_STORE,
    SF_SCRIPT_CONTAINER,
} sf_script_kind;

typedef struct sf_script_stats {
    sf_script_kind kind;
    const char *name;
    double capacity;      /* resources, stores, containers */
    double utilisation;   /* time-average fraction of capacity in use (resource units busy, store/container fill) */
    double queue_mean;    /* time-average number of waiting requests */
    double queue_max;
    double level_mean;    /* levels, and the content of stores and containers */
    double level_now;
    uint64_t n;           /* observations (tally), granted requests (resource, store, container gets) */
    double mean, sd, min, max; /* tally, or the waiting times of an object */
    double p50, p90, p99; /* tally percentiles (NAN for objects) */
} sf_script_stats;

/* Number of statistics objects; index them from 0. */
size_t sf_script_stats_count(const sf_script *S);
/* Fill `out` for object i at the current simulated time; false when out of range. */
bool sf_script_stats_get(sf_script *S, size_t i, sf_script_stats *out);
/* Find an object by kind and name; false when none. */
bool sf_script_stats_find(sf_script *S, sf_script_kind kind, const char *name, sf_script_stats *out);
const char *sf_script_kind_name(sf_script_kind kind);

/*
 * Reports of every statistics object at the current time: a table for a
 * terminal, JSON (one object with "run" facts and "stats"), and CSV (one
 * row per object). `complete` is false for a run that stopped on an
 * error; the JSON says so. SF_OK or SF_EIO when writing fails.
 */
typedef struct sf_script_run_info {
    const char *model;
    uint64_t seed;
    bool complete;
    const char *error; /* NULL or the message of the failure */
} sf_script_run_info;

int sf_script_print_table(sf_script *S, FILE *out);

/*
 * The factory model. Build the world with these two functions as its
 * hooks and the script state as their context, then attach it: scripts
 * then see the global `shop` (agents, places, storage; docs/lua-api.md)
 * and agents' activities block the calling process until the world says
 * they are done. A traffic deadlock fails the run with SF_EDEADLOCK and a
 * message naming the agents. SF_ENOMEM when the state cannot grow.
 */
int sf_script_attach_world(sf_script *S, sf_world *w);
void sf_script_world_done(void *S, uint32_t agent, sf_activity what, int status, sf_time now);
void sf_script_world_deadlock(void *S, const uint32_t *agents, int n, sf_time now);
int sf_script_write_json(sf_script *S, const sf_script_run_info *info, FILE *out);
int sf_script_write_csv(sf_script *S, FILE *out);

#endif
