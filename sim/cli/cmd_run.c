/*
 * cmd_run.c: `shopfloor run MODEL.lua`, a bare Lua process model.
 *
 * The model's top-level code creates resources and spawns processes; the
 * run goes until --until or until no event is left, then prints the
 * tallies, levels and the statistics of every resource, store and
 * container, and with --out writes them as JSON and CSV (each to a
 * temporary name, renamed when complete). A run that fails keeps what it
 * measured: the table and the files are still written, marked
 * incomplete, and the exit status is 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/kernel.h"
#include "experiment/session.h"
#include "script/script.h"
#ifdef SF_HAVE_VIEWER
#include "render/record.h"
#endif

enum { MAX_SETS = 256 };

static void help(void)
{
    printf("usage: shopfloor run MODEL.lua [--until T] [--seed N] [--out DIR] [--budget N] [--memory MB]\n"
           "       shopfloor run SCENARIO.yaml [--set key.path=value]... [same options]\n"
           "\n"
           "Run a process model written in Lua (see docs/lua-api.md). The model's\n"
           "top-level code creates resources, stores and containers and spawns\n"
           "processes; the run ends at --until or when no event is left. Tallies,\n"
           "levels and the statistics of every resource, store and container are\n"
           "printed at the end.\n"
           "\n"
           "Or run a factory scenario (see docs/scenario-format.md): the model is\n"
           "built from it, scripts/plant.lua turns its demand into transport tasks\n"
           "for the vehicles, and the run ends at the scenario's horizon (or\n"
           "--until). A table of every agent type (trips, distance, energy by\n"
           "state) follows the statistics.\n"
           "\n"
           "  --set K=V     change a scenario value, typed and checked as in the file\n"
           "  --until T     stop at simulated time T (seconds, or '8 h', '30 min')\n"
           "  --seed N      base seed of every named random stream (default 1)\n"
           "  --out DIR     also write DIR/results.json and DIR/results.csv\n"
           "  --budget N    Lua instructions a behaviour may run without yielding\n"
           "                (default %u)\n"
           "  --memory MB   memory the Lua state may hold (default %zu)\n"
           "  --record FILE also write a recording for 'shopfloor view --replay FILE'\n"
           "\n"
           "Exit status: 0 success, 1 a failure of the model or its input, 2 usage.\n",
           SF_SCRIPT_DEFAULT_BUDGET, SF_SCRIPT_DEFAULT_MEMORY >> 20);
}

/* Write one output file through a temporary name. */
static int write_file(const char *dir, const char *name, sf_script *S, const sf_script_run_info *info, bool json)
{
    char path[4096], tmp[4200];
    FILE *f;
    int rc;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (!(f = fopen(tmp, "w"))) {
        fprintf(stderr, "shopfloor run: cannot write %s: %s\n", tmp, strerror(errno));
        return SF_EIO;
    }
    rc = json ? sf_script_write_json(S, info, f) : sf_script_write_csv(S, f);
    if (fclose(f) != 0)
        rc = SF_EIO;
    if (rc != SF_OK || rename(tmp, path) != 0) {
        fprintf(stderr, "shopfloor run: cannot write %s\n", path);
        remove(tmp);
        return SF_EIO;
    }
    return SF_OK;
}

int sf_cmd_run(int argc, char **argv)
{
    const char *model = NULL, *out = NULL, *record = NULL, *v, *sets[MAX_SETS];
    size_t nsets = 0;
    bool seed_given = false, until_given = false, scenario;
    uint64_t seed = 1, budget = 0, memory_mb = 0;
    sf_time until = SF_TIME_MAX;
    sf_session_spec spec = {0};
    sf_session *ses;
    sf_script_run_info info = {0};
    sf_kernel *k;
    sf_script *S;
    char now[48];
    int rc, status;

    for (int i = 1; i < argc; i++) {
        if (sf_cli_is_help(argv[i])) {
            help();
            return SF_EXIT_OK;
        } else if (strcmp(argv[i], "--until") == 0) {
            if (!(v = sf_cli_value("run", argc, argv, &i)) || !sf_cli_parse_duration("run", "--until", v, &until))
                return SF_EXIT_USAGE;
            until_given = true;
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (!(v = sf_cli_value("run", argc, argv, &i)) || !sf_cli_parse_u64("run", "--seed", v, &seed))
                return SF_EXIT_USAGE;
            seed_given = true;
        } else if (strcmp(argv[i], "--set") == 0) {
            if (!(v = sf_cli_value("run", argc, argv, &i)))
                return SF_EXIT_USAGE;
            if (nsets == MAX_SETS) {
                sf_cli_usage_error("run", "at most %d --set options", MAX_SETS);
                return SF_EXIT_USAGE;
            }
            sets[nsets++] = v;
        } else if (strcmp(argv[i], "--budget") == 0) {
            if (!(v = sf_cli_value("run", argc, argv, &i)) || !sf_cli_parse_u64("run", "--budget", v, &budget))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--memory") == 0) {
            if (!(v = sf_cli_value("run", argc, argv, &i)) || !sf_cli_parse_u64("run", "--memory", v, &memory_mb))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--record") == 0) {
            if (!(record = sf_cli_value("run", argc, argv, &i)))
                return SF_EXIT_USAGE;
#ifndef SF_HAVE_VIEWER
            fprintf(stderr, "shopfloor run: --record needs the viewer (this one was built with SHOPFLOOR_VIEWER=OFF)\n");
            return SF_EXIT_FAIL;
#endif
        } else if (strcmp(argv[i], "--out") == 0) {
            if (!(out = sf_cli_value("run", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            sf_cli_usage_error("run", "unknown option '%s'", argv[i]);
            return SF_EXIT_USAGE;
        } else if (model) {
            sf_cli_usage_error("run", "one model at a time ('%s' and '%s')", model, argv[i]);
            return SF_EXIT_USAGE;
        } else {
            model = argv[i];
        }
    }
    if (!model) {
        sf_cli_usage_error("run", "which model? (shopfloor run MODEL.lua)");
        return SF_EXIT_USAGE;
    }
    scenario = sf_session_is_scenario(model);
    if (!scenario && nsets > 0) {
        sf_cli_usage_error("run", "--set changes scenario values; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (!scenario && !(strlen(model) > 4 && strcmp(model + strlen(model) - 4, ".lua") == 0)) {
        sf_cli_usage_error("run", "'%s' is neither a Lua model (.lua) nor a scenario (.yaml)", model);
        return SF_EXIT_USAGE;
    }
    if (memory_mb > ((size_t)-1 >> 21)) {
        sf_cli_usage_error("run", "--memory %llu is too large", (unsigned long long)memory_mb);
        return SF_EXIT_USAGE;
    }
    if (out && mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "shopfloor run: cannot create %s: %s\n", out, strerror(errno));
        return SF_EXIT_FAIL;
    }

    spec.model = model;
    spec.sets = sets;
    spec.nsets = nsets;
    spec.seed_given = seed_given;
    spec.seed = seed;
    spec.until_given = until_given;
    spec.until = until;
    spec.budget = budget;
    spec.memory_limit = (size_t)memory_mb << 20;
    if (!(ses = sf_session_new(&spec, &rc)))
        return SF_EXIT_FAIL;
    S = sf_session_script(ses);
    k = sf_session_kernel(ses);
#ifdef SF_HAVE_VIEWER
    rc = record ? sf_record_run(ses, &spec, record, SF_RECORD_EVERY, stderr) : sf_session_run(ses);
#else
    rc = sf_session_run(ses);
#endif
    info.model = model;
    info.seed = sf_session_seed(ses);
    info.complete = rc == SF_OK;
    info.error = rc == SF_OK ? NULL : sf_script_error(S);
    if (rc != SF_OK)
        fprintf(stderr, "shopfloor run: %s\n", sf_script_error(S));
    sf_time_format(sf_kernel_now(k), now, sizeof now);
    printf("%s: %s at t = %s after %llu events (seed %llu, fingerprint %016llx)\n", model,
           rc == SF_OK ? "finished" : "INCOMPLETE", now, (unsigned long long)sf_kernel_events(k),
           (unsigned long long)info.seed, (unsigned long long)sf_kernel_fingerprint(k));
    sf_script_print_table(S, stdout);
    if (sf_session_world(ses)) {
        printf("\n");
        sf_world_report(sf_session_world(ses), stdout);
    }
    status = rc == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    if (out && (write_file(out, "results.json", S, &info, true) != SF_OK ||
                write_file(out, "results.csv", S, &info, false) != SF_OK))
        status = SF_EXIT_FAIL;
    sf_session_free(ses);
    return status;
}
