/*
 * test_queueing.c: Lua behaviours and the factory model checked against
 * queueing theory.
 *
 * Each case runs a Lua model (mmc.lua, repairman.lua) or a scenario
 * (carrier.yaml) for a number of independent replications (seeds 1..R)
 * and passes when the analytic value lies inside the 99.9% confidence
 * interval of the replication means and the interval's half-width is
 * within 5% of that value.
 *
 *   test_queueing [CASE]             run one case (mm1_05, mm1_07, mm3, md1, repair1, repair2, carrier) or all
 *   test_queueing --markdown [CASE]  the same, each result as a row of docs/validation.md's table
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "experiment/session.h"
#include "script/script.h"

#define REPS 10
/* Student t quantile 0.9995 with 9 degrees of freedom (two-sided 99.9%). */
#define T_9995_9 4.780912585

struct vcase {
    const char *name, *file, *params;
    sf_script_kind kind;
    const char *stat;
    double horizon; /* seconds; 0 = until no event is left */
    double (*theory)(void);
    const char *what;
};

/* M/M/1 mean time in system 1 / (mu - lambda). */
static double mm1_05(void)
{
    return 1 / (1.0 - 0.5);
}

static double mm1_07(void)
{
    return 1 / (1.0 - 0.7);
}

/* Erlang C: probability of waiting in M/M/c with offered load a = lambda/mu. */
static double erlang_c(int c, double a)
{
    double term = 1, sum = 1, pc;

    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    pc = term * a / c * c / (c - a);
    return pc / (sum + pc);
}

/* M/M/3, lambda 2.1, mu 1: mean wait in queue C(3, a) / (c mu - lambda). */
static double mm3(void)
{
    return erlang_c(3, 2.1) / (3 * 1.0 - 2.1);
}

/* M/D/1 (Pollaczek-Khinchine), lambda 0.7, D = 1: Wq = rho / (2 mu (1 - rho)), W = Wq + 1/mu. */
static double md1(void)
{
    double rho = 0.7;
    return rho / (2 * 1.0 * (1 - rho)) + 1.0;
}

/* The carrier of carrier.yaml as M/D/1: D = 58 s, one unit every 120 s; Wq = rho D / (2 (1 - rho)). */
static double carrier(void)
{
    double D = 58, rho = D / 120;
    return rho * D / (2 * (1 - rho));
}

/* Finite source: mean number of machines down with N machines, R repairers, ratio r = mean repair / mean up. */
static double repairman(int n, int repairers, double r)
{
    double p[64], sum = 0, mean = 0;

    p[0] = 1;
    for (int k = 1; k <= n; k++) {
        /* birth rate in state k-1: (n - k + 1) / up; death rate in state k: min(k, R) / repair */
        p[k] = p[k - 1] * (double)(n - k + 1) * r / (double)(k < repairers ? k : repairers);
    }
    for (int k = 0; k <= n; k++)
        sum += p[k];
    for (int k = 0; k <= n; k++)
        mean += k * p[k] / sum;
    return mean;
}

static double repair1(void)
{
    return repairman(5, 1, 2.5 / 10.0);
}

static double repair2(void)
{
    return repairman(8, 2, 2.5 / 10.0);
}

static const struct vcase cases[] = {
    {"mm1_05", "mmc.lua", "P = {lambda = 0.5, mu = 1, c = 1, warmup = 2000, customers = 100000}", SF_SCRIPT_TALLY, "W", 0,
     mm1_05, "M/M/1 at 0.5, mean time in system"},
    {"mm1_07", "mmc.lua", "P = {lambda = 0.7, mu = 1, c = 1, warmup = 5000, customers = 250000}", SF_SCRIPT_TALLY, "W", 0,
     mm1_07, "M/M/1 at 0.7, mean time in system"},
    {"mm3", "mmc.lua", "P = {lambda = 2.1, mu = 1, c = 3, warmup = 5000, customers = 400000}", SF_SCRIPT_TALLY, "Wq", 0,
     mm3, "M/M/3 at 0.7, mean wait in queue (Erlang C)"},
    {"md1", "mmc.lua",
     "P = {lambda = 0.7, mu = 1, c = 1, deterministic = true, warmup = 5000, customers = 150000}", SF_SCRIPT_TALLY,
     "W", 0, md1, "M/D/1 at 0.7, mean time in system (Pollaczek-Khinchine)"},
    {"repair1", "repairman.lua", "P = {machines = 5, repairers = 1, up = 10, repair = 2.5, warmup = 1000}",
     SF_SCRIPT_LEVEL, "down", 200000, repair1, "machine-repairman, 5 machines, 1 repairer, mean number down"},
    {"repair2", "repairman.lua", "P = {machines = 8, repairers = 2, up = 10, repair = 2.5, warmup = 1000}",
     SF_SCRIPT_LEVEL, "down", 200000, repair2, "machine-repairman, 8 machines, 2 repairers, mean number down"},
    {"carrier", "carrier.yaml", "", SF_SCRIPT_TALLY, "wait", 0, carrier,
     "a worker carrying units from a dock (scenario), M/D/1 at 0.48, mean wait for the carrier"},
};

/* carrier.yaml: the mean time from release to pickup, less the 8 s of taking the unit in hand, after day 1. */
struct waits {
    double sum;
    uint64_t n;
};

static void on_carrier_job(void *ctx, const sf_job_event *ev)
{
    struct waits *w = ctx;
    if (ev->what == SF_JOB_PICKED_UP && ev->released >= 86400 * SF_SECOND) {
        w->sum += sf_time_to_seconds(ev->now - ev->released) - 8;
        w->n++;
    }
}

static int carrier_wait(const struct vcase *c, uint64_t seed, double *out)
{
    const char *dir = getenv("SHOPFLOOR_SOURCE_DIR");
    char path[1024];
    sf_session_spec spec = {.seed_given = true, .seed = seed};
    struct waits w = {0};
    sf_observer o = {NULL, NULL, on_carrier_job, NULL, NULL, &w, NULL};
    sf_session *s;
    int rc;

    snprintf(path, sizeof path, "%s/tests/validation/%s", dir ? dir : ".", c->file);
    spec.model = path;
    if (!getenv("SHOPFLOOR_SCRIPTS")) { /* the default behaviours (plant.lua, worker.lua) of the source tree */
        char scripts[1024];
        snprintf(scripts, sizeof scripts, "%s/scripts", dir ? dir : ".");
        setenv("SHOPFLOOR_SCRIPTS", scripts, 1);
    }
    if (!(s = sf_session_new(&spec, &rc)))
        return rc;
    if ((rc = sf_world_observe(sf_session_world(s), &o)) == SF_OK)
        rc = sf_session_run(s);
    if (rc != SF_OK)
        fprintf(stderr, "%s: %s\n", c->name, sf_session_error(s));
    sf_session_free(s);
    *out = w.n ? w.sum / (double)w.n : NAN;
    return rc;
}

static char *read_model(const char *file, const char *params)
{
    const char *dir = getenv("SHOPFLOOR_SOURCE_DIR");
    char path[1024];
    FILE *f;
    long n;
    size_t plen = strlen(params);
    char *text;

    snprintf(path, sizeof path, "%s/tests/validation/%s", dir ? dir : ".", file);
    if (!(f = fopen(path, "rb")))
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    /* the parameters go on the model's first line, so line numbers stay those of the file */
    if (!(text = malloc(plen + 2 + (size_t)n + 1)))
        return fclose(f), NULL;
    memcpy(text, params, plen);
    text[plen] = ';';
    text[plen + 1] = ' ';
    if (fread(text + plen + 2, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(text);
        return NULL;
    }
    text[plen + 2 + n] = '\0';
    fclose(f);
    return text;
}

static bool markdown;

static int run_case(const struct vcase *c)
{
    bool scenario = sf_session_is_scenario(c->file);
    char *src = scenario ? NULL : read_model(c->file, c->params), chunk[128];
    double est[REPS], mean = 0, var = 0, half, theory = c->theory();
    sf_time until = SF_TIME_MAX;
    bool pass;

    for (int r = 0; scenario && r < REPS; r++)
        if (carrier_wait(c, (uint64_t)r + 1, &est[r]) != SF_OK)
            return 1;
    if (!scenario && !src) {
        fprintf(stderr, "%s: cannot read %s (is SHOPFLOOR_SOURCE_DIR set?)\n", c->name, c->file);
        return 1;
    }
    if (c->horizon > 0 && sf_time_from_seconds(c->horizon, &until) != SF_OK)
        return 1;
    snprintf(chunk, sizeof chunk, "@%s", c->file);
    for (int r = 0; !scenario && r < REPS; r++) {
        sf_kernel *k = sf_kernel_new();
        sf_script_options o = {.seed = (uint64_t)r + 1};
        sf_script *S = k ? sf_script_new(k, &o) : NULL;
        sf_script_stats st;
        int rc = S ? sf_script_load_string(S, src, chunk) : SF_ENOMEM;

        if (rc == SF_OK)
            rc = sf_script_run(S, until);
        if (rc != SF_OK || !sf_script_stats_find(S, c->kind, c->stat, &st)) {
            fprintf(stderr, "%s: replication %d failed: %s\n", c->name, r + 1, S ? sf_script_error(S) : "no memory");
            return 1;
        }
        est[r] = c->kind == SF_SCRIPT_LEVEL ? st.level_mean : st.mean;
        sf_script_free(S);
        sf_kernel_free(k);
    }
    free(src);
    for (int r = 0; r < REPS; r++)
        mean += est[r] / REPS;
    for (int r = 0; r < REPS; r++)
        var += (est[r] - mean) * (est[r] - mean) / (REPS - 1);
    half = T_9995_9 * sqrt(var / REPS);
    pass = fabs(mean - theory) <= half && half <= 0.05 * theory;
    if (markdown)
        printf("| %s | %s | %.5f | %.5f ± %.5f | %.2f %% | %s |\n", c->name, c->what, theory, mean, half,
               100 * half / theory, pass ? "pass" : "FAIL");
    else
        printf("%-8s %-60s theory %.5f  simulated %.5f +- %.5f (99.9%%, %d reps, half-width %.2f%% of theory)  %s\n",
               c->name, c->what, theory, mean, half, REPS, 100 * half / theory, pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}

int main(int argc, char **argv)
{
    int failed = 0, ran = 0;

    if (argc > 1 && strcmp(argv[1], "--markdown") == 0) {
        markdown = true;
        argc--;
        argv++;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
            continue;
        failed += run_case(&cases[i]);
        ran++;
    }
    if (!ran) {
        fprintf(stderr, "test_queueing: no case called '%s'\n", argv[1]);
        return 2;
    }
    return failed ? 1 : 0;
}
