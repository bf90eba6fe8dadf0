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
#include "core/mem.h"
#include "core/error.h"
#include "core/hash.h"
#include "experiment/session.h"
#include "experiment/sweep.h"
#include "scenario/scenario.h"

enum { O_HELP, O_VARY, O_ZIP, O_REPS, O_JOBS, O_TIMEOUT, O_SEED, O_SET, O_UNTIL, O_OUT, O_QUIET, O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_VARY] = {"vary", .kind = SF_CLI_LIST, .value = "key.path=VALUES", .hint = SF_CLI_KEY,
                .help = "values of a scenario key: a list a,b,c or a range lo:hi:step",
                .by_default = "the scenario's experiment.vary"},
    [O_ZIP] = {"zip", .kind = SF_CLI_FLAG, .help = "pair the lists instead of crossing them",
               .by_default = "the full grid, or experiment.zip"},
    [O_REPS] = {"reps", .kind = SF_CLI_U64, .value = "N", .help = "replications per point",
                .by_default = "experiment.reps, else 1"},
    [O_JOBS] = SF_CLI_JOBS_OPTION,
    [O_TIMEOUT] = {"timeout", .kind = SF_CLI_DURATION, .value = "T",
                   .help = "wall time a run may take ('30 s', '5 min')", .by_default = "experiment.timeout, else none"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "S", .help = "base seed",
                .by_default = "scenario.seed in the scenario"},
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY, .help = "a value for every point"},
    [O_UNTIL] = SF_CLI_UNTIL_OPTION,
    [O_OUT] = SF_CLI_OUT_DIR_OPTION,
    [O_QUIET] = {"quiet", .kind = SF_CLI_FLAG, .help = "no progress output"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"SCENARIO", "the scenario whose variants are run", .hint = SF_CLI_FILE, .exts = "yaml"},
    {NULL},
};

static const char *const usage[] = {
    "SCENARIO --vary [--vary]... [--zip] [--reps] [--jobs] [--timeout] [--seed] [--set]... [--until] --out",
    NULL,
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_sweep = {
    .name = "sweep",
    .summary = "run a grid of scenario variants with replications on every core (or MPI)",
    .usage = usage,
    .description = "Run every point of a grid of scenario variants, each replicated, in\n"
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
                   "DIR/summary.csv (mean, sd and 95% CI per point and KPI) and\n"
                   "DIR/failures.csv are written, the same bytes for any --jobs.",
    .operands = operands,
    .options = options,
    .epilogue = "Under MPI (mpirun -n K shopfloor sweep ..., or srun), rank 0 hands out\n"
                "the runs and writes the files; ranks 1..K-1 run them.\n"
                "\n"
                "Exit status: 0 every run succeeded, 1 some failed (see DIR/failures.csv)\n"
                "or the input is bad, 2 usage.",
    .run = run,
};

/* The scenario with the common --set values, or NULL after printing its problems. */
sf_scenario_config *sf_cli_sweep_load(const char *model, const char *const *sets, size_t nsets)
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
 * Every point of the grid, loaded and checked before the first run, so
 * that an unknown key or a bad value stops the sweep at once with its
 * place and a hint (the loader's), not every run one after the other.
 * Loading is milliseconds a point. SF_OK, or SF_EINVAL after saying which
 * point is wrong.
 */
int sf_cli_sweep_check_points(const char *cmd, const sf_sweep *sw, const char *model, const char *const *sets,
                              size_t nsets)
{
    size_t npoints = sf_sweep_points(sw);
    const char **all = sf_calloc(nsets + sw->nvars + 1, sizeof *all);
    char (*bufs)[512] = sf_calloc(sw->nvars + 1, sizeof *bufs);
    int rc = SF_OK;

    if (!all || !bufs) {
        fprintf(stderr, "shopfloor %s: out of memory\n", cmd);
        rc = SF_ENOMEM;
    }
    for (size_t p = 0; p < npoints && rc == SF_OK; p++) {
        sf_scenario_config *cfg;
        for (size_t i = 0; i < nsets; i++)
            all[i] = sets[i];
        for (size_t v = 0; v < sw->nvars; v++)
            all[nsets + v] = sf_sweep_point_set(sw, p, v, bufs[v], sizeof bufs[v]);
        if ((cfg = sf_cli_sweep_load(model, all, nsets + sw->nvars))) {
            sf_scenario_config_free(cfg);
            continue;
        }
        fprintf(stderr, "shopfloor %s: point %zu of %zu cannot be run (", cmd, p, npoints);
        for (size_t v = 0; v < sw->nvars; v++)
            fprintf(stderr, "%s%s", v ? ", " : "", bufs[v]);
        fprintf(stderr, "); no run was started\n");
        rc = SF_EINVAL;
    }
    free(all);
    free(bufs);
    return rc;
}

/*
 * A hash of the scenario as it reads after `extends` (what `check
 * --explain` prints), so that a folder swept with another version of
 * the file is not resumed into. Edits to behaviour scripts are not seen.
 * A Lua model's hash is that of its file's bytes.
 */
uint64_t sf_cli_sweep_digest(const char *model)
{
    sf_scenario_doc *doc;
    sf_diags d;
    char *text = NULL;
    size_t len = 0;
    uint64_t h = 0;
    FILE *mem;

    if (!sf_session_is_scenario(model)) { /* a Lua model (optimize): its bytes */
        FILE *f = fopen(model, "r");
        if (f && (mem = open_memstream(&text, &len))) {
            int c;
            while ((c = getc(f)) != EOF)
                putc(c, mem);
            fclose(mem);
            h = sf_hash_string(text);
            free(text);
        }
        if (f)
            fclose(f);
        return h;
    }
    sf_diags_init(&d);
    doc = sf_scenario_doc_load(model, &d);
    sf_diags_close(&d);
    if (doc && (mem = open_memstream(&text, &len))) {
        sf_scenario_doc_explain(doc, mem);
        fclose(mem);
        h = text ? sf_hash_string(text) : 0;
        free(text);
    }
    sf_scenario_doc_free(doc);
    return h;
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

static int run(const sf_cli_args *a)
{
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL;
    const sf_cli_value *vary = &a->opt[O_VARY], *sets = &a->opt[O_SET];
    uint64_t reps = a->opt[O_REPS].given ? a->opt[O_REPS].u64 : 1, jobs = a->opt[O_JOBS].u64;
    sf_sweep sw = {0};
    sf_scenario_config *cfg;
    char err[512], exe[4096];
    ssize_t len;
    int rc;

    sw.zip = a->opt[O_ZIP].given;
    sw.quiet = a->opt[O_QUIET].given;
    sw.timeout = sf_time_to_seconds(a->opt[O_TIMEOUT].time);
    sw.until = a->opt[O_UNTIL].text;
    sw.out = a->opt[O_OUT].text;
    for (size_t i = 0; i < vary->n; i++)
        if (sf_sweep_add_vary(&sw, vary->list[i], err, sizeof err) != SF_OK) {
            sf_cli_usage_error("sweep", "%s", err);
            goto usage;
        }
    if (a->opt[O_REPS].given && (reps == 0 || reps > 1000000)) {
        sf_cli_usage_error("sweep", "--reps must be between 1 and 1000000");
        goto usage;
    }
    if (a->opt[O_JOBS].given && (jobs == 0 || jobs > 256)) {
        sf_cli_usage_error("sweep", "--jobs must be between 1 and 256");
        goto usage;
    }
    if (a->n_operands > 1) {
        sf_cli_usage_error("sweep", "one scenario at a time ('%s' and '%s')", model, a->operands[1]);
        goto usage;
    }
    if (!model || !sf_session_is_scenario(model)) {
        sf_cli_usage_error("sweep", "which scenario? (shopfloor sweep SCENARIO.yaml --vary key=a,b --out DIR)");
        goto usage;
    }
    if (!sw.out) {
        sf_cli_usage_error("sweep", "--out DIR is required: every run is stored there as it ends");
        goto usage;
    }
    if (!(cfg = sf_cli_sweep_load(model, sets->list, sets->n))) {
        sf_sweep_close(&sw);
        return SF_EXIT_FAIL;
    }
    sw.seed = a->opt[O_SEED].given ? a->opt[O_SEED].u64 : cfg->scenario.seed;
    sw.digest = sf_cli_sweep_digest(model);
    rc = from_scenario(&sw, cfg, vary->given, a->opt[O_REPS].given ? NULL : &reps, a->opt[O_TIMEOUT].given);
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
    if (sf_cli_sweep_check_points("sweep", &sw, model, sets->list, sets->n) != SF_OK || !sf_cli_make_dir("sweep", sw.out)) {
        sf_sweep_close(&sw);
        return SF_EXIT_FAIL;
    }
    sw.model = model;
    sw.sets = sets->list;
    sw.nsets = sets->n;
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
