/*
 * cmd_compare.c: `shopfloor compare A B [--reps N]`.
 *
 * Both alternatives run replication r with the same seed, and every
 * random draw comes from a stream named by what draws it, so the two
 * share their randomness wherever they share a part (common random
 * numbers). The differences B - A are then paired: their spread is the
 * spread of the effect, not of the noise, and a confidence interval of
 * the mean difference that excludes 0 says the alternatives differ.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "experiment/replicate.h"
#include "report/experiment_html.h"
#include "report/outfile.h"

enum { O_HELP, O_REPS, O_SEED, O_SET, O_UNTIL, O_OUT, O_ALL, O_CF, O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_REPS] = {"reps", .kind = SF_CLI_U64, .value = "N", .help = "replications of each", .by_default = "10"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "S", .help = "base seed",
                .by_default = "scenario.seed in A; 1 when A is a Lua model"},
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY, .help = "change a value in both scenarios"},
    [O_UNTIL] = {"until", .kind = SF_CLI_DURATION, .value = "T", .help = "stop every run at simulated time T",
                 .by_default = "each scenario's horizon; a Lua model runs until no event is left"},
    [O_OUT] = {"out", .kind = SF_CLI_STRING, .value = "DIR", .help = "write DIR/compare.csv, DIR/compare.json and DIR/report.html",
               .hint = SF_CLI_DIR},
    [O_ALL] = {"all", .kind = SF_CLI_FLAG, .help = "show every KPI", .by_default = "the headline KPIs"},
    [O_CF] = {"counterfactual", .kind = SF_CLI_STRING, .value = "safety",
              .help = "run each replication of each alternative again, same seed, with every robot's safety rule "
                      "relaxed: throughput_lost_safety and lead_time_added_safety of A and B, and their difference"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"A", "the first alternative, a scenario or a Lua model", .hint = SF_CLI_FILE, .exts = "yaml lua"},
    {"B", "the second alternative, a scenario or a Lua model", .hint = SF_CLI_FILE, .exts = "yaml lua"},
    {NULL},
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_compare = {
    .name = "compare",
    .summary = "compare two alternatives with common random numbers: paired differences",
    .description = "Compare two alternatives, scenarios (.yaml) or Lua models (.lua), with\n"
                   "common random numbers: replication r of both runs with the same seed, so\n"
                   "the differences B - A are paired. For each KPI: the mean of A and of B,\n"
                   "the mean difference with its 95% confidence interval (Student t), and\n"
                   "whether it is significant (the interval excludes 0). The terminal shows\n"
                   "the headline KPIs (all with --all); --out writes all of them.",
    .operands = operands,
    .options = options,
    .epilogue = "Exit status: 0 success (whatever the differences), 1 a failed run, 2 usage.",
    .run = run,
};

/* One KPI of the comparison. */
typedef struct row {
    const sf_rep_key *key;
    sf_ci a, b, d;
    bool significant;
} row;

static bool significant(const sf_ci *d)
{
    return d->n >= 2 && !isnan(d->half) && fabs(d->mean) > d->half;
}

/* The rows: every key of A that B also reports, with the paired differences. */
static row *compare(const sf_rep_table *a, const sf_rep_table *b, size_t *n)
{
    row *rows = sf_calloc(a->nkeys ? a->nkeys : 1, sizeof *rows);
    double *d = sf_malloc((a->nreps ? a->nreps : 1) * sizeof *d);

    *n = 0;
    if (!rows || !d) {
        free(rows);
        free(d);
        return NULL;
    }
    for (size_t k = 0; k < a->nkeys; k++) {
        long j = sf_rep_table_find(b, a->keys[k].metric, a->keys[k].entity);
        row *r = &rows[*n];
        if (j < 0)
            continue;
        for (size_t rep = 0; rep < a->nreps; rep++)
            d[rep] = b->keys[j].v[rep] - a->keys[k].v[rep]; /* NaN when either is missing */
        r->key = &a->keys[k];
        r->a = sf_rep_table_ci(a, k, 0.95);
        r->b = sf_rep_table_ci(b, (size_t)j, 0.95);
        r->d = sf_ci_of(d, a->nreps, 0.95);
        r->significant = significant(&r->d);
        (*n)++;
    }
    free(d);
    return rows;
}

static void write_csv(FILE *f, const row *rows, size_t n)
{
    fprintf(f, "metric,entity,unit,headline,n,mean_a,mean_b,diff,sd_diff,ci95_low,ci95_high,significant,"
               "ci95_low_a,ci95_high_a,ci95_low_b,ci95_high_b\n");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        sf_csv_row(f, "sssuunnnnnnunnnn", r->key->metric, sf_kpi_entity(r->key->entity), r->key->unit,
                   (size_t)(r->key->headline ? 1 : 0), r->d.n, r->a.mean, r->b.mean, r->d.mean, r->d.sd,
                   r->d.mean - r->d.half, r->d.mean + r->d.half, (size_t)(r->significant ? 1 : 0), r->a.mean - r->a.half,
                   r->a.mean + r->a.half, r->b.mean - r->b.half, r->b.mean + r->b.half);
    }
}

/* An alternative's own 95% interval of its mean (`ci95_low_a`, `ci95_high_a`), null with one replication. */
static void json_ci(FILE *f, const char *alt, const sf_ci *c)
{
    fprintf(f, ", \"ci95_low_%s\": ", alt);
    sf_json_num(f, c->mean - c->half);
    fprintf(f, ", \"ci95_high_%s\": ", alt);
    sf_json_num(f, c->mean + c->half);
}

static void write_json(FILE *f, const char *a, const char *b, uint64_t base, size_t reps, const row *rows, size_t n)
{
    fprintf(f, "{\n  \"a\": ");
    sf_json_string(f, a);
    fprintf(f, ",\n  \"b\": ");
    sf_json_string(f, b);
    fprintf(f, ",\n  \"base_seed\": %llu,\n  \"replications\": %zu,\n  \"seeds\": [", (unsigned long long)base, reps);
    for (size_t r = 0; r < reps; r++)
        fprintf(f, "%s%llu", r ? ", " : "", (unsigned long long)sf_rep_seed(base, r));
    fprintf(f, "],\n  \"confidence\": 0.95,\n  \"kpis\": [");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        fprintf(f, "%s\n    {\"metric\": ", i ? "," : "");
        sf_json_string(f, r->key->metric);
        fprintf(f, ", \"entity\": ");
        sf_json_string(f, r->key->entity);
        fprintf(f, ", \"unit\": ");
        sf_json_string(f, r->key->unit);
        fprintf(f, ", \"headline\": %s, \"n\": %zu, \"mean_a\": ", r->key->headline ? "true" : "false", r->d.n);
        sf_json_num(f, r->a.mean);
        fprintf(f, ", \"mean_b\": ");
        sf_json_num(f, r->b.mean);
        fprintf(f, ", \"diff\": ");
        sf_json_num(f, r->d.mean);
        fprintf(f, ", \"sd_diff\": ");
        sf_json_num(f, r->d.sd);
        fprintf(f, ", \"ci95_low\": ");
        sf_json_num(f, r->d.mean - r->d.half);
        fprintf(f, ", \"ci95_high\": ");
        sf_json_num(f, r->d.mean + r->d.half);
        fprintf(f, ", \"significant\": %s", r->significant ? "true" : "false");
        json_ci(f, "a", &r->a);
        json_ci(f, "b", &r->b);
        fputc('}', f);
    }
    fprintf(f, "%s]\n}\n", n ? "\n  " : "");
}

static bool write_out(const char *dir, const char *name, const char *a, const char *b, uint64_t base, size_t reps,
                      const row *rows, size_t n)
{
    char path[4200];
    sf_outfile *o;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(o = sf_outfile_open(path)))
        return false;
    if (strstr(name, ".json"))
        write_json(o->f, a, b, base, reps, rows, n);
    else
        write_csv(o->f, rows, n);
    return sf_outfile_commit(o) == SF_OK;
}

/*
 * DIR/report.html: the paired difference B - A of every headline KPI (every
 * KPI when none is a headline: a Lua model) as a percentage of A's mean,
 * with its 95% interval, so KPIs of any unit share one axis; grey where
 * the interval holds 0. Each row is labelled with A's and B's means in
 * the KPI's unit and the difference, so the levels are read there too.
 */
static bool write_report(const char *dir, const char *a, const char *b, size_t reps, const row *rows, size_t n)
{
    sf_xhtml_row *x = sf_calloc(n ? n : 1, sizeof *x);
    char (*labels)[256] = sf_calloc(n ? n : 1, sizeof *labels), path[4200], sub[8400], fact[256];
    const char *facts[] = {fact, NULL};
    bool any_headline = false;
    size_t m = 0;
    int rc = SF_ENOMEM;

    for (size_t i = 0; i < n; i++)
        any_headline = any_headline || rows[i].key->headline;
    for (size_t i = 0; x && labels && i < n; i++) {
        const row *r = &rows[i];
        double scale = 100 / fabs(r->a.mean);
        if ((any_headline && !r->key->headline) || !(fabs(r->a.mean) > 0))
            continue;
        snprintf(labels[m], sizeof labels[m], "%s%s%s: %.4g to %.4g%s%s (%+.4g)", r->key->metric,
                 *r->key->entity ? " " : "", r->key->entity, r->a.mean, r->b.mean, *r->key->unit ? " " : "",
                 r->key->unit, r->d.mean);
        x[m] = (sf_xhtml_row){labels[m], r->d.mean * scale, (r->d.mean - r->d.half) * scale,
                              (r->d.mean + r->d.half) * scale, r->significant ? NULL : "not significant", r->d.n, 0};
        m++;
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    snprintf(sub, sizeof sub, "A = %s, B = %s", a, b);
    snprintf(fact, sizeof fact, "%zu replications each, common random numbers; intervals at 95%%; grey: the interval "
                                "holds 0 (no significant difference); each row: A's mean to B's mean, in the KPI's "
                                "unit, and B - A", reps);
    if (x && labels)
        rc = sf_experiment_html_charts(path, "compare: B - A", sub, facts,
                                       &(sf_xhtml_chart){"Paired differences B - A, as a percentage of A's mean",
                                                         "B - A (% of A)", x, m, 1},
                                       1);
    free(x);
    free(labels);
    return rc == SF_OK;
}

static void print_rows(const char *a, const char *b, const row *rows, size_t n, bool all)
{
    bool any_headline = false;
    size_t hidden = 0;

    for (size_t i = 0; i < n; i++)
        any_headline = any_headline || rows[i].key->headline;
    printf("A = %s\nB = %s\n", a, b);
    printf("%-28s %-20s %-10s %13s %13s %13s  %-30s %s\n", "metric", "entity", "unit", "A", "B", "B - A",
           "95% CI of B - A", "significant");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        char ci[64];
        if (!all && any_headline && !r->key->headline && !sf_kpi_beside_headline(r->key->metric)) {
            hidden++;
            continue;
        }
        if (isnan(r->d.half))
            snprintf(ci, sizeof ci, "(needs 2 replications)");
        else
            snprintf(ci, sizeof ci, "[%.6g, %.6g]", r->d.mean - r->d.half, r->d.mean + r->d.half);
        printf("%-28s %-20s %-10s %13.6g %13.6g %13.6g  %-30s %s\n", r->key->metric,
               *r->key->entity ? r->key->entity : "-", r->key->unit, r->a.mean, r->b.mean, r->d.mean, ci,
               r->significant ? "yes" : "no");
    }
    if (hidden)
        printf("(%zu more KPIs: --all shows them, --out writes them)\n", hidden);
}

/* The paired counterfactual rows of each alternative with their own 95% confidence intervals. */
static void print_counterfactual(const row *rows, size_t n)
{
    printf("lost to safety, each alternative against itself with the rules relaxed (same seeds), 95%% CI:\n");
    printf("%-28s %-20s %-10s %13s  %-30s %13s  %s\n", "metric", "entity", "unit", "A", "95% CI of A", "B", "95% CI of B");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        char ca[64], cb[64];
        if (strcmp(r->key->metric, "throughput_lost_safety") != 0 && strcmp(r->key->metric, "lead_time_added_safety") != 0)
            continue;
        if (isnan(r->a.half))
            snprintf(ca, sizeof ca, "(needs 2 replications)");
        else
            snprintf(ca, sizeof ca, "[%.6g, %.6g]", r->a.mean - r->a.half, r->a.mean + r->a.half);
        if (isnan(r->b.half))
            snprintf(cb, sizeof cb, "(needs 2 replications)");
        else
            snprintf(cb, sizeof cb, "[%.6g, %.6g]", r->b.mean - r->b.half, r->b.mean + r->b.half);
        printf("%-28s %-20s %-10s %13.6g  %-30s %13.6g  %s\n", r->key->metric, *r->key->entity ? r->key->entity : "-",
               r->key->unit, r->a.mean, ca, r->b.mean, cb);
    }
}

static int run(const sf_cli_args *a)
{
    const char *const *models = a->operands, *out = a->opt[O_OUT].text;
    size_t nrows = 0;
    uint64_t reps = a->opt[O_REPS].given ? a->opt[O_REPS].u64 : 10, base;
    bool all = a->opt[O_ALL].given;
    sf_session_spec spec = {0};
    sf_rep_table tab[2];
    row *rows = NULL;
    int status = SF_EXIT_OK;

    if (reps == 0) {
        sf_cli_usage_error("compare", "--reps needs at least 1");
        return SF_EXIT_USAGE;
    }
    if (a->n_operands > 2) {
        sf_cli_usage_error("compare", "two alternatives at a time ('%s' is a third)", models[2]);
        return SF_EXIT_USAGE;
    }
    if (a->n_operands < 2) {
        sf_cli_usage_error("compare", "which two alternatives? (shopfloor compare A.yaml B.yaml)");
        return SF_EXIT_USAGE;
    }
    for (int m = 0; m < 2; m++)
        if (a->opt[O_SET].n > 0 && !sf_session_is_scenario(models[m])) {
            sf_cli_usage_error("compare", "--set changes scenario values; '%s' is a Lua model", models[m]);
            return SF_EXIT_USAGE;
        }
    if (a->opt[O_CF].given && !sf_rep_counterfactual_known(a->opt[O_CF].text)) {
        sf_cli_usage_error("compare", "--counterfactual knows 'safety' (the rules relaxed), not '%s'", a->opt[O_CF].text);
        return SF_EXIT_USAGE;
    }
    for (int m = 0; m < 2; m++)
        if (a->opt[O_CF].given && !sf_session_is_scenario(models[m])) {
            sf_cli_usage_error("compare", "--counterfactual safety relaxes a scenario's safety rules; '%s' is a Lua model",
                               models[m]);
            return SF_EXIT_USAGE;
        }
    if (out && !sf_cli_make_dir("compare", out))
        return SF_EXIT_FAIL;
    spec = sf_cli_spec(a, models[0], O_SET, O_SEED, O_UNTIL);
    if (sf_rep_base_seed(&spec, stderr, &base) != SF_OK)
        return SF_EXIT_FAIL;

    sf_rep_table_init(&tab[0]);
    sf_rep_table_init(&tab[1]);
    for (uint64_t r = 0; r < reps && status == SF_EXIT_OK; r++)
        for (int m = 0; m < 2 && status == SF_EXIT_OK; m++) {
            sf_session_spec one = spec;
            char err[2048];
            sf_kpis k;
            one.model = models[m];
            one.seed_given = true;
            one.seed = sf_rep_seed(base, r);
            sf_kpis_init(&k);
            if ((a->opt[O_CF].given ? sf_rep_run_counterfactual(&one, &k, err, sizeof err)
                                    : sf_rep_run(&one, &k, err, sizeof err)) != SF_OK) {
                fprintf(stderr, "shopfloor compare: %s, replication %llu (seed %llu) failed:\n%s\n", models[m],
                        (unsigned long long)r, (unsigned long long)one.seed, err);
                status = SF_EXIT_FAIL;
            } else if (sf_rep_table_add(&tab[m], &k) != SF_OK) {
                fprintf(stderr, "shopfloor compare: out of memory\n");
                status = SF_EXIT_FAIL;
            }
            sf_kpis_free(&k);
        }
    if (status == SF_EXIT_OK && !(rows = compare(&tab[0], &tab[1], &nrows))) {
        fprintf(stderr, "shopfloor compare: out of memory\n");
        status = SF_EXIT_FAIL;
    }
    if (status == SF_EXIT_OK) {
        printf("%llu replications each, common random numbers from base seed %llu\n", (unsigned long long)reps,
               (unsigned long long)base);
        if (a->opt[O_CF].given)
            printf("each replication also ran with the safety rules relaxed (same seed): "
                   "throughput_lost_safety = relaxed - actual, lead_time_added_safety = actual - relaxed\n");
        print_rows(models[0], models[1], rows, nrows, all);
        if (a->opt[O_CF].given)
            print_counterfactual(rows, nrows);
        if (out && (!write_out(out, "compare.csv", models[0], models[1], base, (size_t)reps, rows, nrows) ||
                    !write_out(out, "compare.json", models[0], models[1], base, (size_t)reps, rows, nrows) ||
                    !write_report(out, models[0], models[1], (size_t)reps, rows, nrows)))
            status = SF_EXIT_FAIL;
    }
    free(rows);
    sf_rep_table_free(&tab[0]);
    sf_rep_table_free(&tab[1]);
    return status;
}
