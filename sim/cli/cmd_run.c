/*
 * cmd_run.c: `shopfloor run MODEL.lua`, a bare Lua process model.
 *
 * The model's top-level code creates resources and spawns processes; the
 * run goes until --until or until no event is left, then prints the
 * tallies, levels and the statistics of every resource, store and
 * container, and with --out writes them as JSON and CSV (each to a
 * temporary name, renamed when complete). A scenario run adds the plant's
 * KPIs (sim/metrics) as a terminal table and, with --out, writes
 * summary.json, kpis.csv, agents.csv, stations.csv, timeseries.csv,
 * report.html and with --trace trace.csv and gantt.html (sim/report).
 *
 * A run that fails or is interrupted (SIGINT, SIGTERM: the handler only
 * sets a flag and stops the kernel) keeps what it measured: the table
 * and the files are still written, marked incomplete, and the exit
 * status is 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/format.h"
#include "core/kernel.h"
#include "core/mem.h"
#include "experiment/session.h"
#include "generated/version.h"
#include "report/experiment_html.h"
#include "report/outfile.h"
#include "report/report.h"
#include "script/script.h"
#ifdef SF_HAVE_VIEWER
#include "render/record.h"
#endif

/* The defaults of --budget and --memory are the script layer's; the table below states them. */
_Static_assert(SF_SCRIPT_DEFAULT_BUDGET == 100000000u, "run --help states the default --budget");
_Static_assert(SF_SCRIPT_DEFAULT_MEMORY >> 20 == 1024, "run --help states the default --memory");

/* One table for a single run and for replications (cmd_reps.c), so that --help shows both. */
static const sf_cli_option options[] = {
    [SF_RUN_HELP] = SF_CLI_HELP_OPTION,
    [SF_RUN_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY,
                    .help = "change a scenario value, typed and checked as in the file"},
    [SF_RUN_UNTIL] = {"until", .kind = SF_CLI_DURATION, .value = "T",
                      .help = "stop at simulated time T (seconds, or '8 h', '30 min')",
                      .by_default = "the scenario's horizon; a Lua model runs until no event is left"},
    [SF_RUN_SEED] = {"seed", .kind = SF_CLI_U64, .value = "N", .help = "base seed of every named random stream",
                     .by_default = "scenario.seed in the scenario; 1 for a Lua model"},
    [SF_RUN_OUT] = {"out", .kind = SF_CLI_STRING, .value = "DIR",
                    .help = "also write DIR/results.json and DIR/results.csv; for a scenario DIR/summary.json, "
                            "kpis.csv, agents.csv, stations.csv, timeseries.csv and report.html; with --reps "
                            "DIR/replications.csv (every value) and DIR/summary.csv",
                    .hint = SF_CLI_DIR},
    [SF_RUN_TRACE] = {"trace", .kind = SF_CLI_FLAG,
                      .help = "with --out, a scenario also writes DIR/trace.csv, one row per state change, and "
                              "DIR/gantt.html, its Gantt chart",
                      .section = "Only for one run (not with --reps or --precision):"},
    [SF_RUN_BUDGET] = {"budget", .kind = SF_CLI_U64, .value = "N",
                       .help = "Lua instructions a behaviour may run without yielding", .by_default = "100000000"},
    [SF_RUN_MEMORY] = {"memory", .kind = SF_CLI_U64, .value = "MB", .help = "memory the Lua state may hold",
                       .by_default = "1024"},
    [SF_RUN_RECORD] = {"record", .kind = SF_CLI_STRING, .value = "FILE",
                       .help = "also write a recording for 'shopfloor view --replay FILE'", .hint = SF_CLI_FILE,
                       .exts = "rec"},
    [SF_RUN_INSTRUCT] = {"instruct", .kind = SF_CLI_STRING, .value = "FILE",
                         .help = "a scenario follows the instructions in FILE, one sentence a line, each optionally "
                                 "after a clock time (10:30) or an offset (+2h): 'stop weld_1 for 20 minutes', "
                                 "'rush order: 5 gearbox' (docs/viewer.md); prints how it understood each, and "
                                 "stops before running at one it cannot follow; with --out, DIR/interventions.txt "
                                 "lists them as the instructions that reproduce the run",
                         .hint = SF_CLI_FILE},
    [SF_RUN_REPS] = {"reps", .kind = SF_CLI_U64, .value = "N", .help = "replications",
                     .by_default = "10; with --precision, the first batch, 5",
                     .section = "Only for replications (--reps or --precision):"},
    [SF_RUN_PRECISION] = {"precision", .kind = SF_CLI_STRING, .value = "P",
                          .help = "go on until every headline KPI's 95% half-width is at most P of its mean "
                                  "('2%' or 0.02); says how many were needed"},
    [SF_RUN_MAX_REPS] = {"max-reps", .kind = SF_CLI_U64, .value = "M",
                         .help = "stop there when the precision is not reached", .by_default = "200"},
    [SF_RUN_ALL] = {"all", .kind = SF_CLI_FLAG, .help = "show every KPI, not only the headline ones"},
    [SF_RUN_COUNTERFACTUAL] = {"counterfactual", .kind = SF_CLI_STRING, .value = "safety",
                               .help = "run each replication again, same seed, with every robot's safety rule relaxed, "
                                       "and report throughput_lost_safety and lead_time_added_safety (paired)"},
    [SF_RUN_NOPTIONS] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"MODEL", "a Lua model (.lua) or a factory scenario (.yaml)", .hint = SF_CLI_FILE, .exts = "lua yaml"},
    {NULL},
};

static const char *const usage[] = {
    "MODEL.lua [--until] [--seed] [--out] [--budget] [--memory]",
    "SCENARIO.yaml [--set]... [--trace] [--record] [--instruct] [same options]",
    "MODEL --reps [--seed] [--set]... [--until] [--out] [--all]",
    "MODEL --precision [--reps] [--max-reps] [same options]",
    NULL,
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_run = {
    .name = "run",
    .summary = "run a model (MODEL.lua or SCENARIO.yaml); --reps N replicates it",
    .usage = usage,
    .description = "Run a process model written in Lua (see docs/lua-api.md). The model's\n"
                   "top-level code creates resources, stores and containers and spawns\n"
                   "processes; the run ends at --until or when no event is left. Tallies,\n"
                   "levels and the statistics of every resource, store and container are\n"
                   "printed at the end.\n"
                   "\n"
                   "Or run a factory scenario (see docs/scenario-format.md): the model is\n"
                   "built from it, scripts/plant.lua turns its demand into transport tasks\n"
                   "for the vehicles, and the run ends at the scenario's horizon (or\n"
                   "--until). A table of every agent type (trips, distance, energy by\n"
                   "state) follows the statistics, then the plant's headline KPIs\n"
                   "(docs/results.md).\n"
                   "\n"
                   "With --reps N, run N independent replications of either. Replication r\n"
                   "runs with a seed derived from the base seed (--seed, else the scenario's\n"
                   "seed) and r, printed with each failure so that it can be rerun alone.\n"
                   "Every KPI is given as mean, standard deviation and a 95% confidence\n"
                   "interval (Student t). The terminal shows the headline KPIs (all of them\n"
                   "with --all); --out writes them all.",
    .operands = operands,
    .options = options,
    .epilogue = "Exit status: 0 success, 1 a failure of the model or its input, an\n"
                "interrupted run (its files are still written, marked incomplete), a failed\n"
                "replication or a precision not reached, 2 usage.",
    .run = run,
};

/* Write one output file of a Lua model, atomically. */
static int write_file(const char *dir, const char *name, sf_script *S, const sf_script_run_info *info, bool json)
{
    char path[4200];
    sf_outfile *o;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(o = sf_outfile_open(path)))
        return SF_EIO;
    return sf_outfile_close(o, json ? sf_script_write_json(S, info, o->f) : sf_script_write_csv(S, o->f));
}

/*
 * A Lua model's summary.json: the provenance a scenario's has (program,
 * model file and its hash, seed, horizon, how far it got and whether it
 * completed), its figures being in results.json and results.csv.
 */
static int lua_summary(const char *dir, sf_session *ses, const sf_script_run_info *info, double wall)
{
    char path[4200];
    sf_outfile *o;
    sf_kernel *k = sf_session_kernel(ses);
    uint64_t hash;
    FILE *f;

    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (!(o = sf_outfile_open(path)))
        return SF_EIO;
    f = o->f;
    sf_report_json_opening(f, SF_VERSION, SF_GIT_COMMIT, info->complete, info->error);
    fputs(",\n  \"model\": {\"file\": ", f);
    sf_json_string(f, info->model);
    if (sf_report_file_hash(info->model, &hash) == SF_OK)
        fprintf(f, ", \"hash\": \"fnv1a64:%016llx\"", (unsigned long long)hash);
    fprintf(f, "},\n  \"seed\": %llu,\n  \"horizon_s\": ", (unsigned long long)info->seed);
    if (sf_session_end(ses) < SF_TIME_MAX)
        sf_json_num(f, sf_time_to_seconds(sf_session_end(ses)));
    else
        fputs("null", f);
    fputs(",\n  \"reached_s\": ", f);
    sf_json_num(f, sf_time_to_seconds(sf_kernel_now(k)));
    fputs(",\n  \"wall_time_s\": ", f);
    sf_json_num(f, wall);
    fprintf(f, ",\n  \"events\": %llu,\n  \"fingerprint\": \"%016llx\",\n  \"results\": [\"results.json\", \"results.csv\"]\n}\n",
            (unsigned long long)sf_kernel_events(k), (unsigned long long)sf_kernel_fingerprint(k));
    return sf_outfile_close(o, ferror(f) ? SF_EIO : SF_OK);
}

/*
 * The run a signal stops: the handler sets the flag, halts the kernel
 * between two events and stops a resume that is running (a runaway loop
 * included) at its next Lua instruction.
 */
static volatile sig_atomic_t interrupted;
static sf_kernel *volatile running;
static sf_script *volatile running_script;

static void on_signal(int sig)
{
    interrupted = sig;
    if (running)
        sf_kernel_stop(running);
    if (running_script)
        sf_script_interrupt(running_script);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * A scenario's KPIs: the table, and with --out the report files (and the
 * trace, opened before the run, committed now). SF_OK or the first failure.
 */
static int scenario_results(sf_session *ses, const char *model, const char *out, const char *const *sets, size_t nsets,
                            bool complete, const char *error, double wall, sf_outfile *trace,
                            const sf_report_intervention *ivs, size_t niv)
{
    sf_kpis k;
    sf_kernel *kn = sf_session_kernel(ses);
    sf_report_info info = {0};
    int rc;

    sf_kpis_init(&k);
    /* with a row that says whether these figures cover the whole horizon (an interrupted run's do not) */
    if ((rc = sf_session_kpis(ses, &k)) != SF_OK ||
        (rc = sf_kpis_add(&k, "complete", "", complete ? 1 : 0, "", false)) != SF_OK) {
        fprintf(stderr, "shopfloor run: %s\n", sf_strerror(rc));
        sf_kpis_free(&k);
        if (trace) {
            sf_metrics_trace(sf_session_metrics(ses), NULL);
            sf_outfile_abort(trace);
        }
        return rc;
    }
    info.scenario = model;
    info.version = SF_VERSION;
    info.commit = SF_GIT_COMMIT;
    info.sets = sets;
    info.nsets = nsets;
    info.seed = sf_session_seed(ses);
    info.horizon = sf_session_end(ses);
    info.reached = sf_kernel_now(kn);
    info.wall_seconds = wall;
    info.events = sf_kernel_events(kn);
    info.fingerprint = sf_kernel_fingerprint(kn);
    info.complete = complete;
    info.error = error;
    info.interventions = ivs;
    info.n_interventions = niv;
    printf("\n");
    sf_report_table(sf_session_metrics(ses), &k, sf_session_config(ses), &info, stdout);
    { /* stability findings: one line each on stderr (docs/results.md) */
        char found[8][SF_FINDING_LEN];
        size_t n = sf_metrics_stability(sf_session_metrics(ses), found, 8);
        fflush(stdout);
        for (size_t i = 0; i < n && i < 8; i++)
            fprintf(stderr, "warning: unstable: %s\n", found[i]);
    }
    if (out) {
        if (sf_report_write(out, sf_session_metrics(ses), &k, sf_session_config(ses), &info) != SF_OK)
            rc = SF_EIO;
        if (trace) {
            char csv[4200], html[4200];
            snprintf(csv, sizeof csv, "%s/trace.csv", out);
            snprintf(html, sizeof html, "%s/gantt.html", out);
            sf_metrics_trace(sf_session_metrics(ses), NULL);
            if (sf_outfile_commit(trace) != SF_OK ||
                sf_experiment_html_gantt(csv, html, sf_time_to_seconds(info.reached), model) != SF_OK)
                rc = SF_EIO;
        }
    }
    sf_kpis_free(&k);
    return rc;
}

/*
 * The run's interventions as the report lists them: each one's time and
 * how it reads back, in one block (*texts, 256 bytes each). The count, 0
 * when there are none or out of memory.
 */
static size_t said_list(sf_session *ses, sf_report_intervention **out, char **texts)
{
    const sf_interventions *l = sf_session_interventions(ses);
    size_t n = l ? sf_interventions_count(l) : 0;

    *out = NULL;
    *texts = NULL;
    if (n == 0 || !(*out = sf_calloc(n, sizeof **out)) || !(*texts = sf_calloc(n, 256))) {
        free(*out);
        *out = NULL;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const sf_intervention *iv = sf_interventions_get(l, i);
        sf_intervention_describe(iv, sf_session_config(ses), *texts + 256 * i, 256);
        (*out)[i].at = iv->at;
        (*out)[i].said = *texts + 256 * i;
    }
    return n;
}

/* With --out and --instruct, DIR/interventions.txt: the interventions as the instructions that reproduce the run. */
static int write_interventions(const char *out, const char *model, sf_session *ses)
{
    char path[4200];
    sf_outfile *o;

    snprintf(path, sizeof path, "%s/interventions.txt", out);
    if (!(o = sf_outfile_open(path)))
        return SF_EIO;
    fprintf(o->f, "# the interventions of a run of %s, seed %llu: this file given to --instruct, with the same --set and "
                  "--until, runs it again\n",
            model, (unsigned long long)sf_session_seed(ses));
    if (sf_interventions_print(sf_session_interventions(ses), sf_session_config(ses), o->f) != SF_OK) {
        sf_outfile_abort(o);
        return SF_EIO;
    }
    return sf_outfile_commit(o);
}

/* The checks of one run's options once the model is known: SF_EXIT_OK to go on, else the exit status. */
static int check_one_run(const sf_cli_args *a, const char *model, bool scenario)
{
    const sf_cli_value *opt = a->opt;

#ifndef SF_HAVE_VIEWER
    if (opt[SF_RUN_RECORD].given) {
        fprintf(stderr, "shopfloor run: --record needs the viewer (this one was built with SHOPFLOOR_VIEWER=OFF)\n");
        return SF_EXIT_FAIL;
    }
#endif
    if (!scenario && opt[SF_RUN_RECORD].given) {
        sf_cli_usage_error("run", "--record records a factory scenario; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (!scenario && opt[SF_RUN_INSTRUCT].given) {
        sf_cli_usage_error("run", "--instruct instructs a factory scenario; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (!scenario && opt[SF_RUN_SET].n > 0) {
        sf_cli_usage_error("run", "--set changes scenario values; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (!scenario && !(strlen(model) > 4 && strcmp(model + strlen(model) - 4, ".lua") == 0)) {
        sf_cli_usage_error("run", "'%s' is neither a Lua model (.lua) nor a scenario (.yaml)", model);
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_TRACE].given && (!scenario || !opt[SF_RUN_OUT].text)) {
        sf_cli_usage_error("run", "--trace writes DIR/trace.csv of a scenario run: give a scenario and --out DIR");
        return SF_EXIT_USAGE;
    }
    /* The script layer reads 0 as "the default": a limit of 0 given here would silently be 100 million or 1 GiB. */
    if (opt[SF_RUN_BUDGET].given && opt[SF_RUN_BUDGET].u64 == 0) {
        sf_cli_usage_error("run", "--budget must be at least 1 instruction (leave it out for the default)");
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_MEMORY].given && opt[SF_RUN_MEMORY].u64 == 0) {
        sf_cli_usage_error("run", "--memory must be at least 1 MB (leave it out for the default)");
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_MEMORY].u64 > ((size_t)-1 >> 21)) {
        sf_cli_usage_error("run", "--memory %llu is too large", (unsigned long long)opt[SF_RUN_MEMORY].u64);
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_OUT].text && !sf_cli_make_dir("run", opt[SF_RUN_OUT].text))
        return SF_EXIT_FAIL;
    return SF_EXIT_OK;
}

/* Run the session to its end (or record it), stoppable by SIGINT and SIGTERM between two events. */
static int run_stoppable(sf_session *ses, const sf_session_spec *spec, const char *record)
{
    int rc;

    running = sf_session_kernel(ses);
    running_script = sf_session_script(ses);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (interrupted)
        rc = SF_ESTOPPED;
    else if (record)
#ifdef SF_HAVE_VIEWER
        rc = sf_record_run(ses, spec, record, SF_RECORD_EVERY, stderr);
#else
        rc = ((void)spec, SF_EINVAL); /* refused by check_one_run */
#endif
    else
        rc = sf_session_run(ses);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    running = NULL;
    running_script = NULL;
    return rc;
}

static int run(const sf_cli_args *a)
{
    const sf_cli_value *opt = a->opt;
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL, *out = opt[SF_RUN_OUT].text;
    const char *const *sets = opt[SF_RUN_SET].list;
    size_t nsets = opt[SF_RUN_SET].n;
    bool scenario, reps = opt[SF_RUN_REPS].given || opt[SF_RUN_PRECISION].given;
    sf_outfile *trace = NULL;
    char trace_path[4200], why[160], now[48];
    double wall;
    sf_session_spec spec = {0};
    sf_session *ses;
    sf_script_run_info info = {0};
    sf_kernel *k;
    sf_script *S;
    int rc, status;

    for (int o = SF_RUN_TRACE; o < SF_RUN_NOPTIONS; o++) {
        bool for_reps = o >= SF_RUN_REPS;
        if (opt[o].given && for_reps != reps) {
            sf_cli_usage_error("run", for_reps ? "--%s applies to replications: give --reps N or --precision P"
                                               : "--%s applies to one run, not to replications (--reps, --precision)",
                               options[o].name);
            return SF_EXIT_USAGE;
        }
    }
    if (reps)
        return sf_cli_reps(a);
    if (a->n_operands > 1) {
        sf_cli_usage_error("run", "one model at a time ('%s' and '%s')", model, a->operands[1]);
        return SF_EXIT_USAGE;
    }
    if (!model) {
        sf_cli_usage_error("run", "which model? (shopfloor run MODEL.lua)");
        return SF_EXIT_USAGE;
    }
    scenario = sf_session_is_scenario(model);
    if ((status = check_one_run(a, model, scenario)) != SF_EXIT_OK)
        return status;

    spec = sf_cli_spec(a, model, SF_RUN_SET, SF_RUN_SEED, SF_RUN_UNTIL);
    spec.budget = opt[SF_RUN_BUDGET].u64;
    spec.memory_limit = (size_t)opt[SF_RUN_MEMORY].u64 << 20;
    spec.instruct = opt[SF_RUN_INSTRUCT].text;
    if (!(ses = sf_session_new(&spec, &rc)))
        return SF_EXIT_FAIL;
    if (scenario) /* what the scenario runs with but the planner must hear (a robot run fenced...) */
        for (size_t i = 0; i < sf_session_config(ses)->safety.n_warnings; i++)
            fprintf(stderr, "%s\n", sf_session_config(ses)->safety.warnings[i]);
    S = sf_session_script(ses);
    k = sf_session_kernel(ses);
    if (scenario && out && (opt[SF_RUN_TRACE].given || sf_session_config(ses)->outputs.trace)) {
        snprintf(trace_path, sizeof trace_path, "%s/trace.csv", out);
        if (!(trace = sf_outfile_open(trace_path))) {
            sf_session_free(ses);
            return SF_EXIT_FAIL;
        }
        fputs("time_s,entity,name,state\n", trace->f);
        sf_metrics_trace(sf_session_metrics(ses), trace->f);
    }
    wall = seconds_now();
    rc = run_stoppable(ses, &spec, opt[SF_RUN_RECORD].text);
    wall = seconds_now() - wall;
    info.model = model;
    info.seed = sf_session_seed(ses);
    info.complete = rc == SF_OK && !interrupted;
    if (interrupted) {
        if (rc != SF_OK && *sf_script_error(S)) /* where a running resume stopped */
            fprintf(stderr, "shopfloor run: %s\n", sf_script_error(S));
        snprintf(why, sizeof why, "interrupted by %s", interrupted == SIGINT ? "SIGINT" : "SIGTERM");
        info.error = why;
        if (rc == SF_OK)
            rc = SF_ESTOPPED;
    } else {
        info.error = rc == SF_OK ? NULL : sf_script_error(S);
    }
    if (rc != SF_OK)
        fprintf(stderr, "shopfloor run: %s\n", info.error);
    sf_time_format(sf_kernel_now(k), now, sizeof now);
    printf("%s: %s at t = %s after %llu events (seed %llu, fingerprint %016llx)\n", model,
           rc == SF_OK ? "finished" : "INCOMPLETE", now, (unsigned long long)sf_kernel_events(k),
           (unsigned long long)info.seed, (unsigned long long)sf_kernel_fingerprint(k));
    if (scenario) /* the tables up to "measured from" cover the whole run; the ones after it leave the warm-up out */
        printf("\nthe whole run, warm-up included:\n");
    sf_script_print_table(S, stdout);
    if (sf_session_world(ses)) {
        printf("\n");
        sf_world_report(sf_session_world(ses), stdout);
    }
    status = rc == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    if (scenario) {
        sf_report_intervention *ivs = NULL;
        char *texts = NULL;
        size_t niv = spec.instruct ? said_list(ses, &ivs, &texts) : 0;
        if (scenario_results(ses, model, out, sets, nsets, info.complete, info.error, wall, trace, ivs, niv) != SF_OK ||
            (out && spec.instruct && write_interventions(out, model, ses) != SF_OK))
            status = SF_EXIT_FAIL;
        free(ivs);
        free(texts);
    } else if (out && (write_file(out, "results.json", S, &info, true) != SF_OK ||
                       write_file(out, "results.csv", S, &info, false) != SF_OK ||
                       lua_summary(out, ses, &info, wall) != SF_OK)) {
        status = SF_EXIT_FAIL;
    }
    sf_session_free(ses);
    return status;
}
