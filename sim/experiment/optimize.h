/*
 * optimize.h: the best alternative of a discrete grid, with a statistical
 * guarantee: fully sequential ranking and selection with common random
 * numbers (Kim and Nelson 2001), and constraints checked with their own
 * error (Andradottir and Kim 2010). docs/experiments.md gives the
 * procedure, its guarantee and its assumptions.
 *
 * The alternatives are the points of a sweep's grid (sweep.h) and their
 * replications are the sweep's runs: replication r of every alternative
 * runs with the same seed (common random numbers), stored in OUT/runs/ as
 * it ends. The procedure asks the sweep for the runs of one stage at a
 * time (sf_sweep.want): first n0 replications of every alternative, then
 * one more of each alternative still in contention, until one is left.
 * Every decision is a function of the stored figures, taken in
 * (alternative, replication) order, so the outcome is the same bytes for
 * any number of workers or MPI ranks and after an interruption (a rerun
 * reads the stored runs and goes on).
 *
 * Kim and Nelson's procedure KN, for k alternatives, first-stage size
 * n0 >= 2, indifference zone delta > 0 and error alpha, with c = 1:
 *   eta = 1/2 [ (2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1 ],  h^2 = 2 c eta (n0 - 1)
 *   S2_il = sample variance of X_i - X_l over the first n0 replications
 *   W_il(r) = max(0, delta / (2 c r) (h^2 S2_il / delta^2 - r))
 * After r replications, i leaves when its mean is worse than l's by more
 * than W_il(r) (for some l still in contention). With normal figures, the
 * selected alternative is the best with probability >= 1 - alpha when the
 * best is better than every other by delta or more.
 *
 * A constraint E[Y] >= q (or <=) with tolerance eps is checked on the
 * running sum D(r) = sum_j (q - Y_j) (or Y_j - q), S2 its first-stage
 * sample variance: feasible when D <= -R(r), infeasible when D >= R(r),
 *   R(r) = max(0, h1^2 S2 / (2 c eps) - eps r / (2 c))   (c = 1)
 * and h1^2 from eta with error beta = alpha1 / (k s) for each of the k s
 * (alternative, constraint) checks (Bonferroni). An alternative leaves
 * as infeasible when one of its constraints is; only an alternative
 * found feasible on every constraint may eliminate another. alpha is
 * split alpha1 = alpha2 = alpha / 2 when there are constraints.
 */
#ifndef SF_EXPERIMENT_OPTIMIZE_H
#define SF_EXPERIMENT_OPTIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "experiment/ci.h"
#include "experiment/sweep.h"

typedef enum sf_opt_status {
    SF_OPT_CONTENDING, /* still sampled */
    SF_OPT_SELECTED,
    SF_OPT_ELIMINATED,
    SF_OPT_INFEASIBLE,
    SF_OPT_UNDECIDED,  /* still in contention when the run cap was reached */
    SF_OPT_UNVISITED,  /* a neighbourhood search never came near it: not run, not reported */
} sf_opt_status;

/* "selected", "eliminated", "infeasible", "undecided" ("contending" while the procedure runs). */
const char *sf_opt_status_name(sf_opt_status s);

/* A figure of a run: metric and entity ("" for the plant). */
typedef struct sf_opt_figure {
    char *metric, *entity;
} sf_opt_figure;

/* E[figure] >= bound (at_least) or <= bound, decided within +- eps. */
typedef struct sf_opt_constraint {
    char *text;         /* as given, for messages */
    sf_opt_figure fig;
    char *unit;         /* as written after the number ("/h"), or NULL */
    bool at_least;
    double bound, eps;
    bool eps_given;     /* else eps is 1% of |bound| (said on stderr and in the report) */
} sf_opt_constraint;

typedef struct sf_opt_alt {
    sf_opt_status status;
    size_t reps;          /* replications its decision used */
    size_t left_at;       /* replications per alternative at the check that removed it; 0 while in */
    double *x;            /* the objective, x[0..reps) */
    double **y;           /* y[c][0..reps) for constraint c */
    signed char *feasible; /* per constraint: 1 feasible, -1 infeasible, 0 not decided */
} sf_opt_alt;

typedef struct sf_optimize {
    sf_sweep *sw;            /* the grid, the model and how to run; sw->reps is the cap per alternative */
    sf_opt_figure goal;
    bool maximise;
    sf_opt_constraint *cons;
    size_t ncons, capcons;
    double delta, alpha;
    size_t n0;
    bool quiet;              /* no progress on stderr */
    bool search;             /* a neighbourhood search instead of the whole grid (below) */
    /* Filled by sf_optimize_run (or by a test, through sf_optimize_start and sf_optimize_check). */
    sf_opt_alt *alts;
    size_t k, r;             /* alternatives; replications each contender has */
    double h2, h2_feas;      /* KN's h^2 and the feasibility check's */
    double *s2;              /* s2[i * k + l]: variance of X_i - X_l over the first stage */
    double *s2_feas;         /* s2_feas[i * ncons + c] */
    const size_t *point;     /* the grid point of alternative i (a search step's); NULL: i itself */
    size_t runs, stages;     /* runs the decisions used; stages run */
    size_t steps;            /* a search's steps (procedures run) */
    double seconds;          /* wall time */
    bool decided, worker;    /* one alternative selected (or none feasible); this MPI rank only ran runs */
} sf_optimize;

/*
 * `min METRIC` or `max METRIC`, METRIC a KPI name, with `[ENTITY]` for
 * another entity than the plant (`min mean[cost]`: a Lua model's tally).
 * SF_OK, or SF_EUSAGE with the reason in err.
 */
int sf_optimize_set_goal(sf_optimize *o, const char *text, char *err, size_t n);
/*
 * `METRIC >= NUMBER[UNIT] [+- EPS]` (or <=): `throughput >= 20/h +- 0.5`.
 * SF_OK, SF_EUSAGE with the reason in err, or SF_ENOMEM.
 */
int sf_optimize_add_constraint(sf_optimize *o, const char *text, char *err, size_t n);

/* KN's eta for k >= 2 alternatives, first stage n0 >= 2 and error alpha (0 < alpha < 1): see above. */
double sf_optimize_eta(double alpha, size_t k, size_t n0);

/*
 * Allocate the alternatives for k points and a cap of `cap` replications,
 * and compute h^2. SF_OK or SF_ENOMEM.
 */
int sf_optimize_start(sf_optimize *o, size_t k, size_t cap);
/*
 * The checks after r replications of every contender (their figures in
 * alts[i].x and .y): the first call (r == n0) computes the first-stage
 * variances; then feasibility, then elimination against the contenders
 * as they were before this check. Returns true when the procedure is
 * over (one feasible alternative left, selected, or none left).
 */
bool sf_optimize_check(sf_optimize *o, size_t r);

/*
 * The neighbourhood search, for grids too large to run whole (o->search):
 * start at the grid's first point; a step runs the procedure above on
 * the current point and its neighbours (the points one value away in one
 * --vary list, up to 2 per variable) and moves to the one selected; the
 * search ends where the current point is selected against its
 * neighbours (a local optimum with the procedure's guarantee at each
 * step, none for the whole grid), or when a step is not decided. Runs are
 * the grid's, so a point met again reuses its stored runs. Every step is
 * a function of the stored runs: the same bytes for any --jobs too.
 *
 * Run the procedure on o->sw. 0 decided (or no alternative feasible),
 * 1 undecided at the cap or some runs failed (said on stderr), 2 usage
 * (the folder holds another experiment), -1 an output error. On an MPI
 * rank other than 0 it only runs runs and returns 0 with o->worker set.
 */
int sf_optimize_run(sf_optimize *o);

/* The alternatives' figures at confidence 1 - alpha. */
sf_ci sf_optimize_ci(const sf_optimize *o, size_t i);

/* OUT/alternatives.csv and OUT/report.html. SF_OK or SF_EIO. */
int sf_optimize_write(const sf_optimize *o);
/* The answer and the runs used, for a terminal, after the table of alternatives when `table`. */
void sf_optimize_print(const sf_optimize *o, FILE *out, bool table);

/* Free what start and the parsers allocated (not o->sw). */
void sf_optimize_close(sf_optimize *o);

#endif
