/*
 * cmd_fit.c: `shopfloor fit DATA.csv`, an input model from the plant's
 * own data: every family fitted (input/fit.h), ranked with its evidence,
 * and the winner as scenario YAML ready to paste.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/fit_plot.h"
#include "core/error.h"
#include "input/data.h"
#include "input/fit.h"

enum { O_HELP, O_COLUMN, O_UNIT, O_KIND, O_PLOT, O_BOOTSTRAP, O_SEED, O_COUNT };

static const char *const units[] = {"s", "min", "h", NULL};
static const char *const kinds[] = {"durations", "timestamps", "failures", NULL};

enum { BOOTSTRAP = 199, SEED = 1 };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_COLUMN] = {"column", .kind = SF_CLI_STRING, .value = "NAME", .help = "the column to read, by its header",
                  .by_default = "the only column, or the first that holds numbers (time stamps)"},
    [O_UNIT] = {"unit", .kind = SF_CLI_STRING, .value = "UNIT", .choices = units,
                .help = "the unit of the numbers in the file, and of the printed distribution", .by_default = "s"},
    [O_KIND] = {"kind", .kind = SF_CLI_STRING, .value = "KIND", .choices = kinds,
                .help = "durations: one value a row; timestamps: arrival stamps, fitted by their differences; "
                        "failures: columns machine, down, up, fitted per machine",
                .by_default = "durations"},
    [O_PLOT] = {"plot", .kind = SF_CLI_STRING, .value = "FILE.html", .hint = SF_CLI_FILE, .exts = "html",
                .help = "write histograms with the fitted densities and Q-Q plots, as one self-contained page"},
    [O_BOOTSTRAP] = {"bootstrap", .kind = SF_CLI_U64, .value = "B", .by_default = "199",
                     .help = "samples of the parametric bootstrap behind the p-values and intervals (0: none)"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "N", .by_default = "1", .help = "seed of the bootstrap's streams"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"DATA", "a CSV file with a header row", .hint = SF_CLI_FILE, .exts = "csv"},
    {NULL},
};

typedef struct out_unit {
    const char *name;
    double factor; /* seconds in one unit */
} out_unit;

/* A warning, in the report (stdout) and on stderr; fmt takes two strings. */
static void warn(const char *fmt, const char *arg, const char *more)
{
    printf("  warning: ");
    printf(fmt, arg, more);
    printf("\n");
    fprintf(stderr, "shopfloor fit: warning: ");
    fprintf(stderr, fmt, arg, more);
    fprintf(stderr, "\n");
}

static const char *q(double v, const out_unit *u, char *buf, size_t len)
{
    snprintf(buf, len, "%.4g %s", v / u->factor, u->name);
    return buf;
}

/* The 95% intervals of the winner's parameters, in the output unit where they have one. */
static void intervals(const sf_fit_model *m, const out_unit *u)
{
    const char *names[3];
    size_t np = sf_fit_param_names(m->family, names);
    if (np == 0 || isnan(m->ci_lo[0]))
        return;
    printf("  95%% intervals (bootstrap percentiles):");
    for (size_t k = 0; k < np; k++) {
        bool shape = (m->family == SF_FIT_GAMMA || m->family == SF_FIT_WEIBULL) && k == 0;
        double lo = m->ci_lo[k], hi = m->ci_hi[k], est = m->p[k];
        const char *sep = k + 1 < np ? "," : "";
        if (m->family == SF_FIT_LOGNORMAL && k == 0) /* mu of ln x, with x in the output unit */
            printf(" %s %.4g [%.4g, %.4g] (of ln x, x in %s)%s", names[k], est - log(u->factor),
                   lo - log(u->factor), hi - log(u->factor), u->name, sep);
        else if (shape || m->family == SF_FIT_LOGNORMAL)
            printf(" %s %.4g [%.4g, %.4g]%s", names[k], est, lo, hi, sep);
        else
            printf(" %s %.4g [%.4g, %.4g] %s%s", names[k], est / u->factor, lo / u->factor, hi / u->factor, u->name,
                   sep);
    }
    printf("\n");
}

static void p_value(double p, char *buf, size_t len)
{
    if (isnan(p))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.3f", p);
}

/* Print the ranking table of r and its warnings under the heading `what`. */
static void report(const char *what, const sf_fit_result *r, const out_unit *u)
{
    char a[64], b[64], c[64], e[64], yaml[2048], pa[16], pk[16];
    const sf_fit_model *w = &r->m[r->winner];

    printf("%s: n = %zu, mean %s, sd %s, min %s, max %s\n", what, r->n, q(r->mean, u, a, sizeof a),
           q(r->sd, u, b, sizeof b), q(r->min, u, c, sizeof c), q(r->max, u, e, sizeof e));
    printf("  %-4s %-12s %-44s %9s %6s %8s %6s\n", "rank", "family", "as YAML", "AD", "p(AD)", "KS", "p(KS)");
    for (size_t i = 0; i < r->n_ranked; i++) {
        const sf_fit_model *m = &r->m[r->order[i]];
        p_value(m->ad_p, pa, sizeof pa);
        p_value(m->ks_p, pk, sizeof pk);
        printf("  %-4zu %-12s %-44s %9.4g %6s %8.4f %6s\n", i + 1, sf_fit_family_name(m->family),
               sf_fit_yaml(m, u->factor, u->name, yaml, sizeof yaml), m->ad, pa, m->ks, pk);
    }
    for (int f = 0; f < SF_FIT_EMPIRICAL; f++)
        if (!r->m[f].ok)
            printf("  %-4s %-12s not fitted: %s\n", "-", sf_fit_family_name((sf_fit_family)f), r->m[f].why);
    if (r->m[SF_FIT_EMPIRICAL].ok)
        printf("  %-4s %-12s %-44s %9.4g %6s %8.4f %6s\n", "-", "empirical", "(quantile table, not ranked)",
               r->m[SF_FIT_EMPIRICAL].ad, "-", r->m[SF_FIT_EMPIRICAL].ks, "-");
    if (r->bootstrap)
        printf("  ranked by AD; p-values from a parametric bootstrap of %u samples, each refitted\n", r->bootstrap);
    else
        printf("  ranked by AD; no p-values (--bootstrap 0)\n");
    printf("  chosen: %s, by %s\n", sf_fit_family_name(w->family), sf_fit_estimator(w->family));
    intervals(w, u);
    if (w->why[0])
        warn("%s: %s", sf_fit_family_name(w->family), w->why);
    if (r->few) {
        snprintf(a, sizeof a, "%zu", r->n);
        warn("only %s values%s: the tests have little power; a high p-value is weak evidence of a good fit", a, "");
    }
    if (r->ties * 100 > r->n) { /* a tie or two in a hundred is chance at the file's precision */
        snprintf(a, sizeof a, "%zu of %zu", r->ties, r->n);
        warn("%s values repeat an earlier one%s: AD and KS assume distinct values, so tied data look worse than "
             "they are",
             a, "");
    }
    if (r->coarse) {
        snprintf(a, sizeof a, "%.4g %s", r->grid / u->factor, u->name);
        snprintf(b, sizeof b, "%.2g", r->grid / r->sd);
        warn("the values are rounded to multiples of %s, %s of their standard deviation: the steps count against "
             "every continuous family",
             a, b);
    }
    if (r->winner == SF_FIT_EMPIRICAL && r->n_ranked)
        warn("no family fits at the 5%% level (the best, %s, has p(AD) < 0.05): the empirical table is chosen%s",
             sf_fit_family_name(r->m[r->order[0]].family), "");
}

static int fit_one(const double *x, size_t n, const sf_fit_options *o, sf_fit_result *r, const char *what)
{
    char err[256];
    int rc = sf_fit_data(x, n, o, r, err, sizeof err);
    if (rc == SF_ENOMEM)
        fprintf(stderr, "shopfloor fit: out of memory\n");
    else if (rc != SF_OK)
        fprintf(stderr, "shopfloor fit: %s: %s\n", what, err);
    return rc;
}

/*
 * One machine's stoppages: its time between failures and time to repair
 * fitted when there are enough of them (res[*n_res], titles[*n_res]);
 * the YAML value of each into mtbf and mttr. With fewer than
 * SF_FIT_MIN_N, the exponential of the observed mean, with a warning.
 */
static int failures_of(const sf_data_series *s, const sf_fit_options *fo, const out_unit *u, sf_fit_result *res,
                       sf_fit_plot_item *items, char (*titles)[160], size_t *n_res, char *yaml[2], size_t len)
{
    for (int part = 0; part < 2; part++) {
        const double *x = part ? s->ttr : s->x;
        size_t n = part ? s->n_ttr : s->n;
        double sum = 0;
        char a[64], t[160];
        snprintf(t, sizeof t, "%s: %s", s->name, part ? "time to repair" : "time between failures");
        for (size_t k = 0; k < n; k++)
            sum += x[k];
        if (n < SF_FIT_MIN_N) {
            sf_fit_model e = {.family = SF_FIT_EXPONENTIAL, .ok = true, .p = {sum / (double)n}};
            snprintf(a, sizeof a, "%zu", n);
            printf("%s: n = %zu\n", t, n);
            warn("only %s value%s, too few to fit (5 at least): the exponential with their mean is printed", a,
                 n == 1 ? "" : "s");
            sf_fit_yaml(&e, u->factor, u->name, yaml[part], len);
            continue;
        }
        if (fit_one(x, n, fo, &res[*n_res], t) != SF_OK)
            return SF_EXIT_FAIL;
        snprintf(titles[*n_res], 160, "%s", t);
        items[*n_res].title = titles[*n_res];
        items[*n_res].fit = &res[*n_res];
        report(t, &res[*n_res], u);
        sf_fit_yaml(&res[*n_res].m[res[*n_res].winner], u->factor, u->name, yaml[part], len);
        ++*n_res;
    }
    return SF_EXIT_OK;
}

enum { MAX_SERIES = 64 };

static int run(const sf_cli_args *a)
{
    const char *unit = a->opt[O_UNIT].given ? a->opt[O_UNIT].text : "s";
    const char *kind_s = a->opt[O_KIND].given ? a->opt[O_KIND].text : "durations";
    out_unit u = {unit, !strcmp(unit, "min") ? 60 : !strcmp(unit, "h") ? 3600 : 1};
    sf_data_kind kind = !strcmp(kind_s, "timestamps") ? SF_DATA_TIMESTAMPS
                        : !strcmp(kind_s, "failures") ? SF_DATA_FAILURES
                                                      : SF_DATA_DURATIONS;
    sf_fit_options fo = {.positive = true,
                         .bootstrap = a->opt[O_BOOTSTRAP].given ? (unsigned)a->opt[O_BOOTSTRAP].u64 : BOOTSTRAP,
                         .seed = a->opt[O_SEED].given ? a->opt[O_SEED].u64 : SEED};
    static sf_fit_result res[2 * MAX_SERIES];
    static sf_fit_plot_item items[2 * MAX_SERIES];
    static char titles[2 * MAX_SERIES][160];
    static char yaml[2 * MAX_SERIES][2048];
    size_t n_res = 0;
    sf_data d;
    char err[512];
    int rc, status = SF_EXIT_OK;

    if (a->n_operands != 1) {
        sf_cli_usage_error("fit", "which data file? (one CSV file)");
        return SF_EXIT_USAGE;
    }
    if (a->opt[O_BOOTSTRAP].given && a->opt[O_BOOTSTRAP].u64 > 100000) {
        sf_cli_usage_error("fit", "--bootstrap takes 0 to 100000 samples, got %s", a->opt[O_BOOTSTRAP].text);
        return SF_EXIT_USAGE;
    }
    if (kind == SF_DATA_FAILURES && a->opt[O_COLUMN].given) {
        sf_cli_usage_error("fit", "--kind failures reads the columns machine, down, up: --column does not apply");
        return SF_EXIT_USAGE;
    }
    rc = sf_data_read(a->operands[0], kind, a->opt[O_COLUMN].given ? a->opt[O_COLUMN].text : NULL, u.factor, &d, err,
                      sizeof err);
    if (rc != SF_OK) {
        fprintf(stderr, "%s\n", rc == SF_ENOMEM ? "shopfloor fit: out of memory" : err);
        sf_data_free(&d);
        return SF_EXIT_FAIL;
    }
    printf("fit %s (%s, %s)\n", a->operands[0], kind_s, unit);
    if (kind != SF_DATA_FAILURES) {
        sf_data_series *s = &d.s[0];
        snprintf(titles[0], sizeof titles[0], "%s%s", s->name, kind == SF_DATA_TIMESTAMPS ? " (inter-arrival times)" : "");
        if (kind == SF_DATA_TIMESTAMPS && s->n >= 2) {
            double p, z = sf_data_laplace_trend(s->at, s->n, &p);
            printf("trend: Laplace test over %zu stamps, U = %.3f, p = %.3f (U > 0: arrivals thin out, U < 0: they "
                   "crowd)\n",
                   s->n + 1, z, p);
            if (p < 0.05) {
                snprintf(err, sizeof err, "%.3g", p);
                warn("the arrival rate changes over the data (Laplace p = %s%s): one inter-arrival distribution "
                     "averages it; model the periods apart",
                     err, "");
            }
        }
        if (fit_one(s->x, s->n, &fo, &res[0], a->operands[0]) != SF_OK) {
            sf_data_free(&d);
            return SF_EXIT_FAIL;
        }
        items[0].title = titles[0];
        items[0].fit = &res[0];
        n_res = 1;
        report(titles[0], &res[0], &u);
        printf("\n# paste into the scenario:\n%s: %s\n", kind == SF_DATA_TIMESTAMPS ? "every" : "time",
               sf_fit_yaml(&res[0].m[res[0].winner], u.factor, unit, yaml[0], sizeof yaml[0]));
    } else if (d.n > MAX_SERIES) {
        fprintf(stderr, "shopfloor fit: %s: %zu machines; at most %d in one file\n", a->operands[0], d.n, MAX_SERIES);
        status = SF_EXIT_FAIL;
    } else {
        for (size_t i = 0; i < d.n && status == SF_EXIT_OK; i++) {
            sf_data_series *s = &d.s[i];
            char *pair[2] = {yaml[2 * i], yaml[2 * i + 1]};
            double tbf = 0, ttr = 0;
            char ma[64], mb[64];
            for (size_t k = 0; k < s->n; k++)
                tbf += s->x[k];
            for (size_t k = 0; k < s->n_ttr; k++)
                ttr += s->ttr[k];
            printf("%s: %zu stoppage%s, MTBF %s (over %zu times between failures), MTTR %s\n", s->name, s->n_ttr,
                   s->n_ttr == 1 ? "" : "s", s->n ? q(tbf / (double)s->n, &u, ma, sizeof ma) : "unknown", s->n,
                   q(ttr / (double)s->n_ttr, &u, mb, sizeof mb));
            if (s->n == 0) {
                warn("%s stopped once: no time between failures to measure%s; it is left out below", s->name, "");
                pair[0][0] = '\0';
                continue;
            }
            status = failures_of(s, &fo, &u, res, items, titles, &n_res, pair, sizeof yaml[0]);
        }
        if (status == SF_EXIT_OK) {
            printf("\n# paste into the scenario (for a vehicle or robot, write 'agents: NAME' for 'station: NAME'):\n"
                   "failures:\n");
            for (size_t i = 0; i < d.n; i++)
                if (yaml[2 * i][0])
                    printf("  - name: %s_faults\n    station: %s\n    mtbf: %s\n    mttr: %s\n"
                           "    repair: none   # the log's time to repair includes the wait for whoever repaired\n",
                           d.s[i].name, d.s[i].name, yaml[2 * i], yaml[2 * i + 1]);
        }
    }
    if (status == SF_EXIT_OK && a->opt[O_PLOT].given &&
        sf_fit_plot_html(a->opt[O_PLOT].text, items, n_res, u.factor, unit) != SF_OK)
        status = SF_EXIT_FAIL;
    for (size_t i = 0; i < n_res; i++)
        sf_fit_result_close(&res[i]);
    sf_data_free(&d);
    return status;
}

const sf_cli_command sf_cli_fit = {
    .name = "fit",
    .summary = "fit a distribution to measured times and print it as scenario YAML",
    .description =
        "Fit the exponential, gamma, lognormal, Weibull, normal (truncated at 0),\n"
        "triangular, uniform and empirical distributions to a column of measured\n"
        "times; rank them by the Anderson-Darling statistic with bootstrap p-values\n"
        "and print the best as YAML to paste into a scenario, e.g.\n"
        "'time: gamma(3.02, 19.8 s)'. The estimators: maximum likelihood for every\n"
        "family but the uniform (unbiased order statistics) and the empirical table\n"
        "(sample quantiles). docs/input-modelling.md explains the method.",
    .operands = operands,
    .options = options,
    .epilogue = "Bad data (an empty file, text where a number belongs, a duration at or below 0,\n"
                "stamps out of order) is reported as file:row:column. Exit status: 0 done,\n"
                "1 bad data or a file that cannot be read or written, 2 usage error.",
    .run = run,
};
