/*
 * cmd_sweep.c: `shopfloor sweep SCENARIO --vary key=values... --out DIR`.
 *
 * Reads the options into an sf_sweep (experiment/sweep.h) and runs it:
 * in local worker processes, or over MPI ranks when started by mpirun
 * or srun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "experiment/session.h"
#include "experiment/sweep.h"
#include "scenario/scenario.h"

enum { MAX_SETS = 256 };

static void help(void)
{
    printf("usage: shopfloor sweep SCENARIO --vary key.path=a,b,c [--vary key.path=lo:hi:step]... [--zip]\n"
           "                      [--reps N] [--jobs N] [--timeout T] [--seed S] [--set K=V]... [--until T]\n"
           "                      --out DIR\n"
           "\n"
           "Run every point of a grid of scenario variants, each replicated, in\n"
           "worker processes (see docs/experiments.md). --vary takes a list of values\n"
           "or a numeric range; the points are the full grid (the first --vary changes\n"
           "slowest) or, with --zip, the i-th value of every list. Replication r of\n"
           "every point runs with the same seed (common random numbers).\n"
           "\n"
           "Every run is isolated: a crash, a script error or a timeout is recorded\n"
           "with its reason and the command that reproduces it, and the others go\n"
           "on. Finished runs are stored in DIR/runs/ as they end; rerunning the\n"
           "same command skips them (resume after an interruption). When all are\n"
           "done, DIR/results.csv (one row per point, replication and KPI),\n"
           "DIR/summary.csv (mean, sd and 95%% CI per point and KPI) and\n"
           "DIR/failures.csv are written, the same bytes for any --jobs.\n"
           "\n"
           "  --vary K=LIST   values of a scenario key: a,b,c or lo:hi:step\n"
           "  --zip           pair the lists instead of crossing them\n"
           "  --reps N        replications per point (default 1)\n"
           "  --jobs N        worker processes (default: one per core)\n"
           "  --timeout T     wall time a run may take ('30 s', '5 min'); none by default\n"
           "  --seed S        base seed (default: the scenario's)\n"
           "  --set K=V       a value for every point\n"
           "  --until T       stop every run at simulated time T\n"
           "  --out DIR       output folder (required)\n"
           "  --quiet         no progress output\n"
           "\n"
           "Under MPI (mpirun -n K shopfloor sweep ..., or srun), rank 0 hands out\n"
           "the runs and writes the files; ranks 1..K-1 run them.\n"
           "\n"
           "Exit status: 0 every run succeeded, 1 some failed (see DIR/failures.csv)\n"
           "or the input is bad, 2 usage.\n");
}

/* The scenario with the common --set values, or NULL after printing its problems. */
static sf_scenario_config *load(const char *model, const char *const *sets, size_t nsets)
{
    sf_scenario_config *cfg;
    sf_diags d;

    sf_diags_init(&d);
    if (!(cfg = sf_scenario_load(model, sets, nsets, &d)))
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    return cfg;
}

/*
 * The scenario's `experiment` section fills what the command line left
 * open: the variables (only when no --vary is given: the command line
 * replaces the whole list), replications, zip and timeout.
 */
static int from_scenario(sf_sweep *sw, const sf_scenario_config *cfg, bool vary_given, uint64_t *reps,
                         bool timeout_given)
{
    const sf_cfg_experiment *e = &cfg->experiment;
    char err[512];

    if (reps && e->reps > 0)
        *reps = (uint64_t)e->reps;
    if (!timeout_given && e->timeout > 0)
        sw->timeout = sf_time_to_seconds(e->timeout);
    if (vary_given)
        return SF_OK;
    sw->zip = sw->zip || e->zip;
    for (size_t i = 0; i < e->n_vary; i++)
        if (sf_sweep_add_values(sw, e->vary[i].key, e->vary[i].values, e->vary[i].n_values, err, sizeof err) != SF_OK) {
            fprintf(stderr, "%s:%d:%d: %s\n", e->vary[i].at.file, e->vary[i].at.line, e->vary[i].at.col, err);
            return SF_EUSAGE;
        }
    return SF_OK;
}

int sf_cmd_sweep(int argc, char **argv)
{
    const char *model = NULL, *v, *sets[MAX_SETS];
    size_t nsets = 0;
    uint64_t reps = 1, jobs = 0;
    sf_time t;
    sf_sweep sw = {0};
    sf_session_spec spec = {0};
    sf_scenario_config *cfg;
    bool vary_given = false, reps_given = false, timeout_given = false;
    char err[512], exe[4096];
    ssize_t len;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (sf_cli_is_help(argv[i])) {
            help();
            sf_sweep_close(&sw);
            return SF_EXIT_OK;
        } else if (strcmp(argv[i], "--vary") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)))
                goto usage;
            vary_given = true;
            if (sf_sweep_add_vary(&sw, v, err, sizeof err) != SF_OK) {
                sf_cli_usage_error("sweep", "%s", err);
                goto usage;
            }
        } else if (strcmp(argv[i], "--zip") == 0) {
            sw.zip = true;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            sw.quiet = true;
        } else if (strcmp(argv[i], "--reps") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)) || !sf_cli_parse_u64("sweep", "--reps", v, &reps))
                goto usage;
            reps_given = true;
            if (reps == 0 || reps > 1000000) {
                sf_cli_usage_error("sweep", "--reps must be between 1 and 1000000");
                goto usage;
            }
        } else if (strcmp(argv[i], "--jobs") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)) || !sf_cli_parse_u64("sweep", "--jobs", v, &jobs))
                goto usage;
            if (jobs == 0 || jobs > 256) {
                sf_cli_usage_error("sweep", "--jobs must be between 1 and 256");
                goto usage;
            }
        } else if (strcmp(argv[i], "--timeout") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)) || !sf_cli_parse_duration("sweep", "--timeout", v, &t))
                goto usage;
            sw.timeout = sf_time_to_seconds(t);
            timeout_given = true;
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)) || !sf_cli_parse_u64("sweep", "--seed", v, &spec.seed))
                goto usage;
            spec.seed_given = true;
        } else if (strcmp(argv[i], "--until") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)) || !sf_cli_parse_duration("sweep", "--until", v, &t))
                goto usage;
            sw.until = v;
        } else if (strcmp(argv[i], "--set") == 0) {
            if (!(v = sf_cli_value("sweep", argc, argv, &i)))
                goto usage;
            if (nsets == MAX_SETS) {
                sf_cli_usage_error("sweep", "at most %d --set options", MAX_SETS);
                goto usage;
            }
            sets[nsets++] = v;
        } else if (strcmp(argv[i], "--out") == 0) {
            if (!(sw.out = sf_cli_value("sweep", argc, argv, &i)))
                goto usage;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            sf_cli_usage_error("sweep", "unknown option '%s'", argv[i]);
            goto usage;
        } else if (model) {
            sf_cli_usage_error("sweep", "one scenario at a time ('%s' and '%s')", model, argv[i]);
            goto usage;
        } else {
            model = argv[i];
        }
    }
    if (!model || !sf_session_is_scenario(model)) {
        sf_cli_usage_error("sweep", "which scenario? (shopfloor sweep SCENARIO.yaml --vary key=a,b --out DIR)");
        goto usage;
    }
    if (!sw.out) {
        sf_cli_usage_error("sweep", "--out DIR is required: every run is stored there as it ends");
        goto usage;
    }
    if (!(cfg = load(model, sets, nsets))) {
        sf_sweep_close(&sw);
        return SF_EXIT_FAIL;
    }
    sw.seed = spec.seed_given ? spec.seed : cfg->scenario.seed;
    rc = from_scenario(&sw, cfg, vary_given, reps_given ? NULL : &reps, timeout_given);
    sf_scenario_config_free(cfg);
    if (rc != SF_OK)
        goto usage;
    if (sw.nvars == 0) {
        sf_cli_usage_error("sweep", "nothing to vary: give --vary key.path=a,b,c or an experiment: vary: section");
        goto usage;
    }
    if (sf_sweep_points(&sw) == 0) {
        sf_cli_usage_error("sweep", "--zip needs lists of the same length");
        goto usage;
    }
    if (!sf_cli_make_dir("sweep", sw.out)) {
        sf_sweep_close(&sw);
        return SF_EXIT_FAIL;
    }
    sw.model = model;
    sw.sets = sets;
    sw.nsets = nsets;
    sw.reps = (size_t)reps;
    sw.jobs = (unsigned)jobs;
    if ((len = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
        exe[len] = '\0';
        sw.exe = exe;
    }
    rc = sf_sweep_run(&sw);
    sf_sweep_close(&sw);
    return rc == 0 ? SF_EXIT_OK : rc == 2 ? SF_EXIT_USAGE : SF_EXIT_FAIL;
usage:
    sf_sweep_close(&sw);
    return SF_EXIT_USAGE;
}
