/*
 * cmd_optimize.c: `shopfloor optimize MODEL --vary ... --objective 'min M'
 * --delta D --out DIR`.
 *
 * Reads the options into an sf_sweep (the grid, the model, how to run)
 * and an sf_optimize (what is best, with which guarantee), runs the
 * procedure (experiment/optimize.h) and writes its answer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "experiment/optimize.h"
#include "experiment/session.h"
#include "experiment/sweep.h"
#include "scenario/scenario.h"

enum {
    O_HELP,
    O_VARY,
    O_OBJECTIVE,
    O_CONSTRAINT,
    O_DELTA,
    O_ALPHA,
    O_N0,
    O_MAX_REPS,
    O_SEARCH,
    O_JOBS,
    O_TIMEOUT,
    O_SEED,
    O_SET,
    O_UNTIL,
    O_OUT,
    O_QUIET,
    O_COUNT
};

static int run(const sf_cli_args *a);

static const char *const searches[] = {"grid", "neighbourhood", NULL};

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_VARY] = {"vary", .kind = SF_CLI_LIST, .value = "key.path=VALUES", .hint = SF_CLI_KEY,
                .help = "values of a scenario key (a Lua model's param): a list a,b,c or a range lo:hi:step; the "
                        "alternatives are every combination"},
    [O_OBJECTIVE] = {"objective", .kind = SF_CLI_STRING, .value = "'min|max METRIC'",
                     .help = "the KPI to minimise or maximise ('min cost_per_unit'; 'min mean[cost]' for a Lua tally)"},
    [O_CONSTRAINT] = {"constraint", .kind = SF_CLI_LIST, .value = "'METRIC >=|<= BOUND [+- EPS]'",
                      .help = "a KPI's mean must meet a bound, decided within the tolerance EPS ('throughput >= 20/h "
                              "+- 0.5')",
                      .by_default = "none; EPS defaults to 1% of the bound"},
    [O_DELTA] = {"delta", .kind = SF_CLI_DOUBLE, .value = "D", .help = "indifference zone (required): a difference "
                 "in the objective, in its unit, not worth telling apart"},
    [O_ALPHA] = {"alpha", .kind = SF_CLI_DOUBLE, .value = "A", .help = "the chance of a wrong answer", .by_default = "0.05"},
    [O_N0] = {"n0", .kind = SF_CLI_U64, .value = "N", .help = "first-stage replications of each", .by_default = "10"},
    [O_MAX_REPS] = {"max-reps", .kind = SF_CLI_U64, .value = "N",
                    .help = "the cap: replications an alternative may get before the answer is 'not decided'",
                    .by_default = "100"},
    [O_SEARCH] = {"search", .kind = SF_CLI_STRING, .value = "grid|neighbourhood", .choices = searches,
                  .help = "the whole grid at once, or a walk from its first point to the best of each point's "
                          "neighbours (one value away in one --vary list), for grids too large to run whole",
                  .by_default = "grid"},
    [O_JOBS] = SF_CLI_JOBS_OPTION,
    [O_TIMEOUT] = {"timeout", .kind = SF_CLI_DURATION, .value = "T", .help = "wall time a run may take ('5 min')",
                   .by_default = "none"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "S", .help = "base seed",
                .by_default = "scenario.seed in the scenario; 1 for a Lua model"},
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY,
               .help = "a value for every alternative"},
    [O_UNTIL] = SF_CLI_UNTIL_OPTION,
    [O_OUT] = SF_CLI_OUT_DIR_OPTION,
    [O_QUIET] = {"quiet", .kind = SF_CLI_FLAG, .help = "no progress and no table on the terminal, only the answer"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"MODEL", "the scenario (.yaml) or Lua model (.lua) whose alternatives are compared", .hint = SF_CLI_FILE,
     .exts = "yaml lua"},
    {NULL},
};

static const char *const usage[] = {
    "MODEL --vary [--vary]... --objective [--constraint]... --delta [--alpha] [--n0] [--max-reps] [--search] "
    "[--jobs] [--timeout] [--seed] [--set]... [--until] --out",
    NULL,
};

const sf_cli_command sf_cli_optimize = {
    .name = "optimize",
    .summary = "select the best of a grid of variants, with a statistical guarantee (ranking and selection)",
    .usage = usage,
    .description =
        "Find the alternative of a grid (--vary, as in sweep) with the best mean\n"
        "objective: a fully sequential ranking-and-selection procedure with common\n"
        "random numbers (Kim and Nelson 2001; docs/experiments.md). Every\n"
        "alternative runs --n0 replications, then one more at a time while it is\n"
        "in contention; an alternative leaves as soon as it is statistically\n"
        "worse than another, or, with --constraint, statistically infeasible\n"
        "(Andradottir and Kim 2010). When one is left, it is the best with\n"
        "probability at least 1 - alpha, if the best is better than the others by\n"
        "--delta or more. At the cap (--max-reps) the answer is 'not decided'.\n"
        "\n"
        "Runs are stored in DIR/runs/ as they end (rerunning resumes), the same\n"
        "bytes for any --jobs and under MPI. DIR/alternatives.csv has one row per\n"
        "alternative: its values, reps, mean, ci_low, ci_high (at 1 - alpha),\n"
        "status (selected, eliminated, infeasible, undecided) and eliminated_at\n"
        "(the replications per alternative when it left); DIR/report.html shows\n"
        "them.",
    .operands = operands,
    .options = options,
    .epilogue = "Under MPI (mpirun -n K shopfloor optimize ...), rank 0 decides and ranks\n"
                "1..K-1 run the runs of each stage.\n"
                "\n"
                "Exit status: 0 decided (or no alternative is feasible), 1 not decided at\n"
                "the cap, a failed run or a bad model, 2 usage.",
    .run = run,
};

/* The options that are numbers, checked; false after a usage error. */
static bool check_numbers(const sf_cli_args *a, sf_optimize *o, uint64_t *cap)
{
    o->delta = a->opt[O_DELTA].num;
    o->alpha = a->opt[O_ALPHA].given ? a->opt[O_ALPHA].num : 0.05;
    o->n0 = a->opt[O_N0].given ? (size_t)a->opt[O_N0].u64 : 10;
    *cap = a->opt[O_MAX_REPS].given ? a->opt[O_MAX_REPS].u64 : 100;
    if (!a->opt[O_DELTA].given || !(o->delta > 0)) {
        sf_cli_usage_error("optimize", "--delta D is required, a difference > 0 in the objective's unit that is not "
                                       "worth telling apart (the guarantee holds when the best is better by D or more)");
        return false;
    }
    if (!(o->alpha > 0 && o->alpha < 0.5)) {
        sf_cli_usage_error("optimize", "--alpha must be between 0 and 0.5 (0.05: right 95%% of the time)");
        return false;
    }
    if (o->n0 < 2 || o->n0 > 100000) {
        sf_cli_usage_error("optimize", "--n0 must be between 2 and 100000 (first-stage variances need 2 or more)");
        return false;
    }
    if (*cap < o->n0 || *cap > 1000000) {
        sf_cli_usage_error("optimize", "--max-reps must be at least --n0 (%zu) and at most 1000000", o->n0);
        return false;
    }
    if (a->opt[O_JOBS].given && (a->opt[O_JOBS].u64 == 0 || a->opt[O_JOBS].u64 > 256)) {
        sf_cli_usage_error("optimize", "--jobs must be between 1 and 256");
        return false;
    }
    return true;
}

static int run(const sf_cli_args *a)
{
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL;
    const sf_cli_value *vary = &a->opt[O_VARY], *sets = &a->opt[O_SET], *cons = &a->opt[O_CONSTRAINT];
    sf_sweep sw = {0};
    sf_optimize o = {0};
    uint64_t cap = 0;
    char err[1024], exe[4096];
    ssize_t len;
    int rc = SF_EXIT_USAGE;

    o.sw = &sw;
    if (a->n_operands > 1) {
        sf_cli_usage_error("optimize", "one model at a time ('%s' and '%s')", model, a->operands[1]);
        goto done;
    }
    if (!model) {
        sf_cli_usage_error("optimize", "which model? (shopfloor optimize SCENARIO.yaml --vary key=a,b --objective "
                                       "'min cost_per_unit' --delta D --out DIR)");
        goto done;
    }
    if (!a->opt[O_OBJECTIVE].given) {
        sf_cli_usage_error("optimize", "--objective is required: 'min METRIC' or 'max METRIC'");
        goto done;
    }
    if (sf_optimize_set_goal(&o, a->opt[O_OBJECTIVE].text, err, sizeof err) != SF_OK) {
        sf_cli_usage_error("optimize", "%s", err);
        goto done;
    }
    for (size_t i = 0; i < cons->n; i++)
        if (sf_optimize_add_constraint(&o, cons->list[i], err, sizeof err) != SF_OK) {
            sf_cli_usage_error("optimize", "%s", err);
            goto done;
        }
    if (!check_numbers(a, &o, &cap))
        goto done;
    for (size_t i = 0; i < vary->n; i++)
        if (sf_sweep_add_vary(&sw, vary->list[i], err, sizeof err) != SF_OK) {
            sf_cli_usage_error("optimize", "%s", err);
            goto done;
        }
    if (sw.nvars == 0 || sf_sweep_points(&sw) < 1) {
        sf_cli_usage_error("optimize", "nothing to choose from: give --vary key.path=a,b,c");
        goto done;
    }
    if (!a->opt[O_OUT].given) {
        sf_cli_usage_error("optimize", "--out DIR is required: every run is stored there as it ends");
        goto done;
    }
    sw.model = model;
    sw.sets = sets->list;
    sw.nsets = sets->n;
    sw.until = a->opt[O_UNTIL].text;
    sw.out = a->opt[O_OUT].text;
    sw.reps = (size_t)cap;
    sw.jobs = (unsigned)a->opt[O_JOBS].u64;
    sw.timeout = sf_time_to_seconds(a->opt[O_TIMEOUT].time);
    o.quiet = a->opt[O_QUIET].given;
    o.search = a->opt[O_SEARCH].given && strcmp(a->opt[O_SEARCH].text, "neighbourhood") == 0;
    rc = SF_EXIT_FAIL;
    if (sf_session_is_scenario(model)) {
        sf_scenario_config *cfg = sf_cli_sweep_load(model, sets->list, sets->n);
        if (!cfg)
            goto done;
        sw.seed = a->opt[O_SEED].given ? a->opt[O_SEED].u64 : cfg->scenario.seed;
        sf_scenario_config_free(cfg);
        if (sf_cli_sweep_check_points("optimize", &sw, model, sets->list, sets->n) != SF_OK)
            goto done;
    } else if (access(model, R_OK) != 0) {
        fprintf(stderr, "shopfloor optimize: cannot read '%s'\n", model);
        goto done;
    } else {
        sw.seed = a->opt[O_SEED].given ? a->opt[O_SEED].u64 : 1;
    }
    sw.digest = sf_cli_sweep_digest(model);
    if (!sf_cli_make_dir("optimize", sw.out))
        goto done;
    if ((len = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
        exe[len] = '\0';
        sw.exe = exe;
    }
    for (size_t c = 0; c < o.ncons; c++)
        if (!o.cons[c].eps_given)
            fprintf(stderr, "shopfloor optimize: --constraint '%s' has no tolerance: deciding it within +- %g (1%% of "
                            "the bound; say '+- EPS' to choose)\n", o.cons[c].text, o.cons[c].eps);
    switch (sf_optimize_run(&o)) {
    case 0: rc = SF_EXIT_OK; break;
    case 2: rc = SF_EXIT_USAGE; break;
    default: rc = SF_EXIT_FAIL; break;
    }
    /* a failed run or a bad figure stopped it half-way: nothing to answer, the message said why */
    if (o.worker || !o.alts || (!o.decided && o.alts[0].status == SF_OPT_CONTENDING))
        goto done;
    if (sf_optimize_write(&o) != SF_OK)
        rc = SF_EXIT_FAIL;
    sf_optimize_print(&o, stdout, !a->opt[O_QUIET].given);
done:
    sf_optimize_close(&o);
    sf_sweep_close(&sw);
    return rc;
}
