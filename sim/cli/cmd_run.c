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
#include "model/world.h"
#include "scenario/scenario.h"
#include "script/script.h"

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
           "\n"
           "Exit status: 0 success, 1 a failure of the model or its input, 2 usage.\n",
           SF_SCRIPT_DEFAULT_BUDGET, SF_SCRIPT_DEFAULT_MEMORY >> 20);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The project's scripts/ folder: $SHOPFLOOR_SCRIPTS, or scripts/ next to or above the executable. */
static const char *find_scripts_dir(char *buf, size_t n)
{
    const char *env = getenv("SHOPFLOOR_SCRIPTS");
    char exe[2048];
    ssize_t len;
    struct stat st;

    if (env && *env)
        return env;
    if ((len = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
        return NULL;
    exe[len] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(buf, n, "%s/scripts", exe);
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return buf;
    snprintf(buf, n, "%s/../scripts", exe);
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return buf;
    return NULL;
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

/* The folder of a path ("." when it has none), into buf. */
static const char *folder_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    if (!slash || len + 1 > n)
        return ".";
    memcpy(buf, path, len);
    buf[len] = '\0';
    return buf;
}

/* Load a scenario with its settings; NULL after printing its problems. */
static sf_scenario_config *load_config(const char *path, const char *const *sets, size_t nsets)
{
    sf_diags d;
    sf_scenario_config *cfg;

    sf_diags_init(&d);
    if (!(cfg = sf_scenario_load(path, sets, nsets, &d)))
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    return cfg;
}

/*
 * Build the factory model of `cfg` on kernel k and script state S, and
 * load the boot chunk that starts it. *w is the caller's to free. SF_OK,
 * or a failure already reported on stderr.
 */
static int build_scenario(const char *path, const sf_scenario_config *cfg, sf_kernel *k, sf_script *S,
                          sf_world **w)
{
    char err[1024], dir[4096];
    sf_world_hooks hooks = {sf_script_world_done, sf_script_world_deadlock, S};
    int rc;

    if (!(*w = sf_world_new(k, cfg, hooks, err, sizeof err))) {
        fprintf(stderr, "shopfloor run: %s\n", err);
        return SF_EINVAL;
    }
    if ((rc = sf_script_attach_world(S, *w)) != SF_OK ||
        (rc = sf_script_set_model_dir(S, folder_of(path, dir, sizeof dir))) != SF_OK) {
        fprintf(stderr, "shopfloor run: %s\n", sf_strerror(rc));
        return rc;
    }
    return sf_script_load_string(S, "require('plant').start()", "=plant");
}

int sf_cmd_run(int argc, char **argv)
{
    const char *model = NULL, *out = NULL, *v, *sets[MAX_SETS];
    size_t nsets = 0;
    bool seed_given = false, until_given = false, scenario;
    sf_scenario_config *cfg = NULL;
    sf_world *w = NULL;
    uint64_t seed = 1, budget = 0, memory_mb = 0;
    sf_time until = SF_TIME_MAX;
    sf_script_options opt = {0};
    sf_script_run_info info = {0};
    sf_kernel *k = NULL;
    sf_script *S = NULL;
    char scripts[4096], now[48];
    int rc, status = SF_EXIT_FAIL;

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
    scenario = ends_with(model, ".yaml") || ends_with(model, ".yml");
    if (!scenario && nsets > 0) {
        sf_cli_usage_error("run", "--set changes scenario values; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (!scenario && !ends_with(model, ".lua")) {
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

    if (scenario) {
        if (!(cfg = load_config(model, sets, nsets)))
            return SF_EXIT_FAIL;
        if (!seed_given) /* the scenario's own seed, unless the command line says otherwise */
            seed = cfg->scenario.seed;
    }
    opt.seed = seed;
    opt.budget = budget;
    opt.memory_limit = (size_t)memory_mb << 20;
    opt.scripts_dir = find_scripts_dir(scripts, sizeof scripts);
    if (!(k = sf_kernel_new()) || !(S = sf_script_new(k, &opt))) {
        fprintf(stderr, "shopfloor run: out of memory\n");
        goto done;
    }
    if (scenario) {
        if (build_scenario(model, cfg, k, S, &w) != SF_OK && !w) {
            status = SF_EXIT_FAIL;
            goto done;
        }
        if (!until_given)
            until = cfg->scenario.horizon;
        rc = sf_script_run(S, until);
    } else {
        rc = sf_script_load_file(S, model);
        if (rc == SF_OK)
            rc = sf_script_run(S, until);
    }
    info.model = model;
    info.seed = seed;
    info.complete = rc == SF_OK;
    info.error = rc == SF_OK ? NULL : sf_script_error(S);
    if (rc != SF_OK)
        fprintf(stderr, "shopfloor run: %s\n", sf_script_error(S));
    sf_time_format(sf_kernel_now(k), now, sizeof now);
    printf("%s: %s at t = %s after %llu events (seed %llu, fingerprint %016llx)\n", model,
           rc == SF_OK ? "finished" : "INCOMPLETE", now, (unsigned long long)sf_kernel_events(k),
           (unsigned long long)seed, (unsigned long long)sf_kernel_fingerprint(k));
    sf_script_print_table(S, stdout);
    if (w) {
        printf("\n");
        sf_world_report(w, stdout);
    }
    status = rc == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    if (out && (write_file(out, "results.json", S, &info, true) != SF_OK ||
                write_file(out, "results.csv", S, &info, false) != SF_OK))
        status = SF_EXIT_FAIL;
done:
    sf_script_free(S);
    sf_world_free(w);
    sf_scenario_config_free(cfg);
    sf_kernel_free(k);
    return status;
}
