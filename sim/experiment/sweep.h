/*
 * sweep.h: a grid of scenario variants, each replicated, run in worker
 * processes (or MPI ranks) and stored run by run.
 *
 * A sweep varies scenario values (`--vary key=a,b,c`, `--vary
 * key=lo:hi:step`): the points are the full grid of the lists (the
 * first --vary changes slowest) or, zipped, the i-th value of every
 * list. Every point runs `reps` replications with the seeds of
 * replicate.h, so replication r of every point shares its random
 * numbers (common random numbers across points). Run i is point
 * i / reps, replication i % reps.
 *
 * Storage, in the output folder:
 *   .lock            locked (flock) while a sweep runs in the folder
 *   sweep.txt        what was swept; a rerun with another plan is refused
 *   runs/p<point>-r<rep>.tsv   one finished run's KPI rows, written by the
 *                    worker to a temporary name and renamed, so a run is
 *                    either complete on disk or absent
 *   results.csv      tidy: point, replication, varied values, metric,
 *                    entity, value, unit
 *   summary.csv      per point and KPI: n, mean, sd, 95% CI
 *   failures.csv     runs that failed: reason and the command that
 *                    reproduces it
 *   report.html      every headline KPI against the grid: its mean and
 *                    95% CI at each point (sweep_report.c)
 * The three CSV files are assembled from runs/ in (point, replication)
 * order, never in order of completion, so they are the same bytes for
 * any number of workers or ranks and after any number of resumptions.
 * Every file is written atomically (report/outfile.h: a temporary name,
 * synced, renamed, the folder synced); numbers in their shortest
 * round-trip form and fields quoted as RFC 4180 asks (core/format.h).
 */
#ifndef SF_EXPERIMENT_SWEEP_H
#define SF_EXPERIMENT_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/kpis.h"

typedef struct sf_sweep_var {
    char *key;     /* "fleet.reach_truck.count" */
    char **values; /* as given to --set */
    size_t n;
} sf_sweep_var;

typedef struct sf_sweep {
    /* What to run (the caller owns these strings). */
    const char *model;
    const char *const *sets; /* overrides common to every point */
    size_t nsets;
    const char *until;       /* --until text, or NULL for the scenario's horizon */
    uint64_t seed;           /* base seed (see sf_rep_base_seed) */
    uint64_t digest;         /* hash of the effective scenario text, so an edited file is not resumed into */
    size_t reps;
    bool zip;
    /* How to run. */
    unsigned jobs;           /* worker processes; 0 = one per core */
    double timeout;          /* seconds of wall time per run; 0 = none */
    const char *out;         /* output folder */
    const char *exe;         /* the shopfloor executable, for reproducing commands */
    bool quiet;              /* no progress output */
    /*
     * Set by a procedure that runs the grid in stages (optimize.h): only
     * the runs i with want[i] != 0 are run, no CSV file is assembled, and
     * under MPI the worker ranks wait between stages until
     * sf_sweep_release. NULL: the whole grid, as above.
     */
    const unsigned char *want;
    /* Filled by sf_sweep_add_vary. */
    sf_sweep_var *vars;
    size_t nvars;
    /* Bookkeeping of a run in progress (sweep.c). */
    size_t total, finished, failed, stored_before;
    double started;
    struct sf_sweep_failure *failures;
    size_t nfailures, capfailures;
} sf_sweep;

/* Free the variables (not the caller's strings). */
void sf_sweep_close(sf_sweep *sw);

/*
 * Parse and add one `key=a,b,c` or `key=lo:hi:step` (numbers; lo, lo +
 * step, ... up to hi, written with at most 12 significant digits so that
 * 0.1 steps give 0.3, not 0.30000000000000004). SF_OK, or SF_EUSAGE with
 * the reason in err.
 */
int sf_sweep_add_vary(sf_sweep *sw, const char *arg, char *err, size_t n);

/* Add a variable with its values (copied), as an `experiment: vary:` entry gives them. SF_OK, SF_EUSAGE or SF_ENOMEM. */
int sf_sweep_add_values(sf_sweep *sw, const char *key, const char *const *values, size_t n, char *err, size_t errn);

/* Points of the grid (or of the zipped lists; 0 when zipped lists differ in length). */
size_t sf_sweep_points(const sf_sweep *sw);
/* The value of variable v at point p. */
const char *sf_sweep_value(const sf_sweep *sw, size_t p, size_t v);
/* The --set of variable v at point p, "key=value", into buf (n bytes), which is returned. */
const char *sf_sweep_point_set(const sf_sweep *sw, size_t p, size_t v, char *buf, size_t n);

/*
 * Run every run that has no stored result yet, then assemble the CSV
 * files. Local worker processes, or MPI ranks when the program was
 * started by mpirun/srun with more than one rank (sf_sweep_mpi_*).
 * The output folder is locked (flock on OUT/.lock) for the whole run.
 * Returns 0 when every run succeeded, 1 when some failed (they are in
 * failures.csv and on stderr) or when another sweep holds the folder's
 * lock, 2 for a usage problem (the folder holds another sweep's
 * results), or -1 on an output error.
 */
int sf_sweep_run(sf_sweep *sw);

/*
 * The end of a sweep run in stages (want set): under MPI rank 0 stops the
 * waiting ranks, and MPI is finalised on every rank. Call it once, on
 * every rank, after the last sf_sweep_run.
 */
void sf_sweep_release(void);

/*
 * The figures of stored run i, appended to k. SF_OK, SF_ENOTFOUND when
 * the run is not stored, SF_EIO when its file is malformed (a message on
 * stderr), SF_ENOMEM.
 */
int sf_sweep_load(const sf_sweep *sw, size_t i, sf_kpis *k);

/* ---- parts shared with the MPI driver (sweep_mpi.c) ---------------------- */

typedef struct sf_sweep_outcome {
    bool ok;
    char reason[2048]; /* why it failed */
} sf_sweep_outcome;

/* Prepare the output folder (sweep.txt, runs/); SF_OK, SF_EUSAGE or SF_EIO with a message on stderr. */
int sf_sweep_prepare(const sf_sweep *sw);
/* Whether run i has a stored result. */
bool sf_sweep_done(const sf_sweep *sw, size_t i);
/*
 * Run i in a child process, with the timeout. The child's text (the
 * stored file's content on success) is returned in *text (malloc'd,
 * caller frees) when `want_text`; else the child stores it itself.
 */
void sf_sweep_run_child(const sf_sweep *sw, size_t i, bool want_text, char **text, sf_sweep_outcome *o);
/* Store the text of a finished run i (temporary name, then rename). SF_OK or SF_EIO. */
int sf_sweep_store(const sf_sweep *sw, size_t i, const char *text);
/* Record a failure of run i (kept in memory until sf_sweep_finish). */
void sf_sweep_failed(sf_sweep *sw, size_t i, const char *reason);
/* Progress: one more run finished (ok or not). */
void sf_sweep_progress(sf_sweep *sw, bool ok);
/* Assemble results.csv, summary.csv and failures.csv; the exit code of sf_sweep_run. */
int sf_sweep_finish(sf_sweep *sw);

/* MPI: true when started by mpirun/srun with more than one rank (then *rank, *size are set). */
bool sf_sweep_mpi_active(int *rank, int *size);
/*
 * MPI: rank 0 hands out runs and stores results, other ranks run them.
 * `ready` is rank 0's verdict on the output folder (0, else the exit
 * code to give; then every rank stops). Returns as sf_sweep_run on rank
 * 0, 0 on the others.
 */
int sf_sweep_mpi_run(sf_sweep *sw, int rank, int size, int ready);
/* Finalise MPI when it was started. */
void sf_sweep_mpi_end(void);

#endif
