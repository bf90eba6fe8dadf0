/*
 * cmd_reps.c: `shopfloor run MODEL --reps N` and `--precision P`.
 *
 * Independent replications of one model, seeds derived from the base
 * seed (experiment/replicate.h), every KPI with its mean, standard
 * deviation and 95% confidence interval. With --precision, replications
 * go on one at a time until every headline KPI's half-width is within P
 * of its mean, or --max-reps is reached.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/format.h"
#include "experiment/replicate.h"
#include "report/outfile.h"

/* "2%" or "0.02". */
static bool parse_fraction(const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text)
        return false;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    *out = v;
    return *end == '\0' && v > 0 && v < 1e6;
}

static bool write_csvs(const char *dir, const sf_rep_table *t, uint64_t base)
{
    char path[4200];
    bool ok = true;

    for (int which = 0; which < 2 && ok; which++) {
        const char *name = which ? "summary.csv" : "replications.csv";
        sf_outfile *o;
        FILE *f;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (!(o = sf_outfile_open(path)))
            return false;
        f = o->f;
        if (which == 0) {
            fprintf(f, "replication,seed,metric,entity,value,unit\n");
            for (size_t r = 0; r < t->nreps; r++)
                for (size_t k = 0; k < t->nkeys; k++) {
                    if (isnan(t->keys[k].v[r]))
                        continue;
                    fprintf(f, "%zu,%llu,", r, (unsigned long long)sf_rep_seed(base, r));
                    sf_csv_row(f, "ssns", t->keys[k].metric, sf_kpi_entity(t->keys[k].entity), t->keys[k].v[r], t->keys[k].unit);
                }
        } else {
            fprintf(f, "metric,entity,unit,headline,n,mean,sd,ci95_low,ci95_high\n");
            for (size_t k = 0; k < t->nkeys; k++) {
                sf_ci c = sf_rep_table_ci(t, k, 0.95);
                sf_csv_row(f, "sssuunnnn", t->keys[k].metric, sf_kpi_entity(t->keys[k].entity), t->keys[k].unit,
                           (size_t)(t->keys[k].headline ? 1 : 0), c.n, c.mean, c.sd, c.mean - c.half, c.mean + c.half);
            }
        }
        ok = sf_outfile_commit(o) == SF_OK;
    }
    return ok;
}

static void print_table(const sf_rep_table *t, bool all)
{
    bool any_headline = false;
    size_t hidden = 0;

    for (size_t k = 0; k < t->nkeys; k++)
        any_headline = any_headline || t->keys[k].headline;
    printf("%-28s %-20s %-10s %5s %13s %13s  %s\n", "metric", "entity", "unit", "n", "mean", "sd", "95% confidence interval");
    for (size_t k = 0; k < t->nkeys; k++) {
        const sf_rep_key *key = &t->keys[k];
        sf_ci c;
        if (!all && any_headline && !key->headline) {
            hidden++;
            continue;
        }
        c = sf_rep_table_ci(t, k, 0.95);
        printf("%-28s %-20s %-10s %5zu %13.6g %13.6g  ", key->metric, *key->entity ? key->entity : "-", key->unit, c.n,
               c.mean, c.sd);
        if (isnan(c.half))
            printf("(needs 2 replications)\n");
        else
            printf("[%.6g, %.6g]  +-%.3g%%\n", c.mean - c.half, c.mean + c.half,
                   c.mean != 0 ? 100 * c.half / fabs(c.mean) : 0.0);
    }
    if (hidden)
        printf("(%zu more KPIs: --all shows them, --out writes them)\n", hidden);
}

/*
 * `run` with --reps or --precision. The options were read against run's
 * table (cmd_run.c), and run has refused those that apply to one run only.
 */
int sf_cli_reps(const sf_cli_args *a)
{
    const sf_cli_value *opt = a->opt;
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL, *out = opt[SF_RUN_OUT].text;
    uint64_t reps = opt[SF_RUN_REPS].u64, max_reps = opt[SF_RUN_MAX_REPS].given ? opt[SF_RUN_MAX_REPS].u64 : 200, base;
    double precision = 0;
    bool all = opt[SF_RUN_ALL].given, reached = false;
    sf_session_spec spec = {0};
    sf_rep_table tab;
    int status = SF_EXIT_OK;

    if (opt[SF_RUN_REPS].given && reps == 0) {
        sf_cli_usage_error("run", "--reps needs at least 1");
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_PRECISION].given && !parse_fraction(opt[SF_RUN_PRECISION].text, &precision)) {
        sf_cli_usage_error("run", "--precision expects a share of the mean such as '2%%' or 0.02, got '%s'",
                           opt[SF_RUN_PRECISION].text);
        return SF_EXIT_USAGE;
    }
    if (a->n_operands > 1) {
        sf_cli_usage_error("run", "one model at a time ('%s' and '%s')", model, a->operands[1]);
        return SF_EXIT_USAGE;
    }
    if (!model) {
        sf_cli_usage_error("run", "which model? (shopfloor run MODEL --reps N)");
        return SF_EXIT_USAGE;
    }
    if (!sf_session_is_scenario(model) && opt[SF_RUN_SET].n > 0) {
        sf_cli_usage_error("run", "--set changes scenario values; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_COUNTERFACTUAL].given && !sf_rep_counterfactual_known(opt[SF_RUN_COUNTERFACTUAL].text)) {
        sf_cli_usage_error("run", "--counterfactual knows 'safety' (the rules relaxed), not '%s'",
                           opt[SF_RUN_COUNTERFACTUAL].text);
        return SF_EXIT_USAGE;
    }
    if (opt[SF_RUN_COUNTERFACTUAL].given && !sf_session_is_scenario(model)) {
        sf_cli_usage_error("run", "--counterfactual safety relaxes a scenario's safety rules; '%s' is a Lua model", model);
        return SF_EXIT_USAGE;
    }
    if (reps == 0)
        reps = precision > 0 ? 5 : 10;
    if (precision > 0 && max_reps < reps) {
        sf_cli_usage_error("run", "--max-reps %llu is below --reps %llu", (unsigned long long)max_reps,
                           (unsigned long long)reps);
        return SF_EXIT_USAGE;
    }
    if (out && !sf_cli_make_dir("run", out))
        return SF_EXIT_FAIL;
    spec = sf_cli_spec(a, model, SF_RUN_SET, SF_RUN_SEED, SF_RUN_UNTIL);
    if (sf_rep_base_seed(&spec, stderr, &base) != SF_OK)
        return SF_EXIT_FAIL;

    sf_rep_table_init(&tab);
    for (uint64_t r = 0; status == SF_EXIT_OK; r++) {
        sf_session_spec one = spec;
        char err[2048];
        sf_kpis k;
        int rc;
        if (r >= reps && (precision <= 0 || (reached = sf_rep_table_precise(&tab, precision, 0.95)) || r >= max_reps))
            break;
        one.seed_given = true;
        one.seed = sf_rep_seed(base, r);
        sf_kpis_init(&k);
        rc = opt[SF_RUN_COUNTERFACTUAL].given ? sf_rep_run_counterfactual(&one, &k, err, sizeof err)
                                              : sf_rep_run(&one, &k, err, sizeof err);
        if (rc != SF_OK) {
            fprintf(stderr, "shopfloor run: replication %llu (seed %llu) failed:\n%s\n", (unsigned long long)r,
                    (unsigned long long)one.seed, err);
            status = SF_EXIT_FAIL;
        } else if (sf_rep_table_add(&tab, &k) != SF_OK) {
            fprintf(stderr, "shopfloor run: out of memory\n");
            status = SF_EXIT_FAIL;
        }
        sf_kpis_free(&k);
    }
    if (status == SF_EXIT_OK) {
        printf("%s: %zu replications, seeds derived from base seed %llu\n", model, tab.nreps, (unsigned long long)base);
        if (opt[SF_RUN_COUNTERFACTUAL].given)
            printf("each replication also ran with the safety rules relaxed (same seed): "
                   "throughput_lost_safety = relaxed - actual, lead_time_added_safety = actual - relaxed\n");
        print_table(&tab, all);
        if (precision > 0) {
            if (reached)
                printf("precision %g%% reached after %zu replications\n", precision * 100, tab.nreps);
            else {
                printf("precision %g%% NOT reached after %zu replications (--max-reps)\n", precision * 100, tab.nreps);
                status = SF_EXIT_FAIL;
            }
        }
        if (out && !write_csvs(out, &tab, base))
            status = SF_EXIT_FAIL;
    }
    sf_rep_table_free(&tab);
    return status;
}
