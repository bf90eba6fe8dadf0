/*
 * fit_rank.c: how well each fit of fit.c describes the data (AD, KS and
 * their bootstrap p-values, parameter intervals), the ranking, and what
 * the data themselves warn of (few, tied, rounded values).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"
#include "input/fit.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * A^2 = -n - (1/n) sum (2i - 1) [ln F(x(i)) + ln(1 - F(x(n+1-i)))], with F
 * held inside [1e-12, 1 - 1e-12] so that a model whose support ends at a
 * data point gets a large, finite statistic instead of infinity.
 */
double sf_fit_ad(const sf_fit_model *m, const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double lo = sf_fit_cdf(m, x[i]), hi = sf_fit_cdf(m, x[n - 1 - i]);
        lo = fmin(fmax(lo, 1e-12), 1 - 1e-12);
        hi = fmin(fmax(hi, 1e-12), 1 - 1e-12);
        s += (double)(2 * i + 1) * (log(lo) + log1p(-hi));
    }
    return -(double)n - s / (double)n;
}

/* D = max over i of max(i/n - F(x(i)), F(x(i)) - (i-1)/n). */
double sf_fit_ks(const sf_fit_model *m, const double *x, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = sf_fit_cdf(m, x[i]);
        d = fmax(d, fmax((double)(i + 1) / (double)n - f, f - (double)i / (double)n));
    }
    return d;
}

/*
 * The parametric bootstrap of one fitted family: B samples of size n from
 * the fit (stream "fit/<family>" of the seed), each refitted and measured
 * against its own refit. A refit that fails counts as a statistic above
 * the data's (conservative). Fills the p-values and the 95% percentile
 * intervals of the parameters. SF_OK or SF_ENOMEM.
 */
static int bootstrap(sf_fit_model *m, size_t n, const sf_fit_options *o)
{
    unsigned b_count = o->bootstrap;
    const char *names[3];
    size_t np = sf_fit_param_names(m->family, names), over_ad = 0, over_ks = 0;
    /* y holds a sample, then one parameter's B estimates */
    double *y = sf_malloc((n > b_count ? n : b_count) * sizeof *y), *est = sf_malloc((size_t)b_count * 3 * sizeof *est);
    char stream[64], err[SF_DIST_ERRLEN];
    sf_dist d;
    sf_rng r;

    if (!y || !est) {
        free(y);
        free(est);
        return SF_ENOMEM;
    }
    if (sf_fit_to_dist(m, &d, err) != SF_OK) {
        snprintf(m->why, sizeof m->why, "%s", err);
        m->ok = false;
        free(y);
        free(est);
        return SF_OK;
    }
    snprintf(stream, sizeof stream, "fit/%s", sf_fit_family_name(m->family));
    sf_rng_init(&r, o->seed, stream);
    for (unsigned b = 0; b < b_count; b++) {
        sf_fit_model f;
        for (size_t i = 0; i < n; i++)
            y[i] = sf_dist_sample(&d, &r);
        qsort(y, n, sizeof *y, cmp_double);
        sf_fit_family_ml(&f, m->family, y, n, o->positive);
        if (!f.ok) {
            over_ad++, over_ks++;
            for (size_t k = 0; k < np; k++)
                est[(size_t)b * 3 + k] = NAN;
            continue;
        }
        over_ad += sf_fit_ad(&f, y, n) >= m->ad;
        over_ks += sf_fit_ks(&f, y, n) >= m->ks;
        for (size_t k = 0; k < np; k++)
            est[(size_t)b * 3 + k] = f.p[k];
    }
    sf_dist_close(&d);
    m->ad_p = (1.0 + (double)over_ad) / (b_count + 1.0);
    m->ks_p = (1.0 + (double)over_ks) / (b_count + 1.0);
    for (size_t k = 0; k < np; k++) {
        size_t good = 0;
        for (unsigned b = 0; b < b_count; b++)
            if (!isnan(est[(size_t)b * 3 + k]))
                y[good++] = est[(size_t)b * 3 + k];
        if (good < 2)
            continue;
        qsort(y, good, sizeof *y, cmp_double);
        m->ci_lo[k] = y[(size_t)floor(0.025 * (double)(good - 1))];
        m->ci_hi[k] = y[(size_t)ceil(0.975 * (double)(good - 1))];
    }
    free(y);
    free(est);
    return SF_OK;
}

/*
 * The coarsest step d * 10^k (d in 1, 2, 2.5, 5) of which every value is a
 * multiple (to 1e-9 of the step), from above the largest value down to
 * 1e-9 of it; 0 when there is none (values measured to full precision).
 */
static double find_grid(const double *x, size_t n)
{
    double top = fmax(fabs(x[0]), fabs(x[n - 1]));
    static const double steps[] = {5, 2.5, 2, 1};
    if (!(top > 0))
        return 0;
    for (int e = (int)ceil(log10(top)); e > (int)floor(log10(top)) - 10; e--)
        for (int s = 0; s < 4; s++) {
            double g = steps[s] * pow(10, e - 1);
            size_t i = 0;
            for (; i < n; i++) {
                double q = x[i] / g;
                if (fabs(q - nearbyint(q)) > 1e-6)
                    break;
            }
            if (i == n)
                return g;
        }
    return 0;
}

/*
 * Whether `g`, a family that holds the exponential as a special case or
 * a limit (gamma and Weibull at shape 1, the normal truncated at 0 with
 * its mean far below 0), describes the data significantly better than
 * the exponential: the likelihood-ratio statistic 2 (logL g - logL exp)
 * above 6.635, the 1% point of chi-squared with one degree of freedom.
 */
static bool beats_exponential(const sf_fit_result *r, int g)
{
    return 2 * (r->m[g].loglik - r->m[SF_FIT_EXPONENTIAL].loglik) > 6.635;
}

/*
 * Order the fitted families by AD; then the exponential moves up past
 * every family above it that holds it (gamma, Weibull, the truncated
 * normal) and does not beat it significantly: a wider family fits a
 * little closer by chance alone.
 */
static void rank(sf_fit_result *r)
{
    size_t k = 0;
    for (int f = 0; f < SF_FIT_EMPIRICAL; f++)
        if (r->m[f].ok)
            r->order[k++] = f;
    r->n_ranked = k;
    for (size_t i = k; i < SF_FIT_NFAMILIES; i++)
        r->order[i] = -1;
    /* insertion sort by AD: stable, few entries */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && r->m[r->order[j]].ad < r->m[r->order[j - 1]].ad; j--) {
            int t = r->order[j];
            r->order[j] = r->order[j - 1];
            r->order[j - 1] = t;
        }
    for (size_t i = 1; i < k; i++) {
        if (r->order[i] != SF_FIT_EXPONENTIAL)
            continue;
        for (size_t j = 0; j < i; j++) {
            int g = r->order[j];
            bool holds = g == SF_FIT_GAMMA || g == SF_FIT_WEIBULL || (g == SF_FIT_NORMAL && !isinf(r->m[g].lo));
            if (holds && !beats_exponential(r, g)) {
                memmove(&r->order[j + 1], &r->order[j], (i - j) * sizeof r->order[0]);
                r->order[j] = SF_FIT_EXPONENTIAL;
                break;
            }
        }
        break;
    }
    r->winner = k ? r->order[0] : SF_FIT_EMPIRICAL;
    if (k && !isnan(r->m[r->winner].ad_p) && r->m[r->winner].ad_p < 0.05)
        r->winner = SF_FIT_EMPIRICAL;
}

int sf_fit_data(const double *x, size_t n, const sf_fit_options *o, sf_fit_result *r, char *err, size_t errlen)
{
    double s = 0, ss = 0;

    memset(r, 0, sizeof *r);
    if (n < SF_FIT_MIN_N) {
        snprintf(err, errlen, "%zu value%s: a fit needs at least %d", n, n == 1 ? "" : "s", SF_FIT_MIN_N);
        return SF_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            snprintf(err, errlen, "value %zu is not a finite number", i + 1);
            return SF_EINVAL;
        }
        if (o->positive && !(x[i] > 0)) {
            snprintf(err, errlen, "value %zu is %g: durations must be above 0", i + 1, x[i]);
            return SF_EINVAL;
        }
    }
    if (!(r->x = sf_memdup(x, n * sizeof *x)))
        return SF_ENOMEM;
    qsort(r->x, n, sizeof *r->x, cmp_double);
    if (r->x[0] == r->x[n - 1]) {
        snprintf(err, errlen, "all %zu values are %g: there is nothing to fit (write it as a constant)", n, x[0]);
        sf_fit_result_close(r);
        return SF_EINVAL;
    }
    r->n = n;
    r->bootstrap = o->bootstrap;
    for (size_t i = 0; i < n; i++)
        s += r->x[i];
    r->mean = s / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (r->x[i] - r->mean) * (r->x[i] - r->mean);
    r->sd = sqrt(ss / (double)(n - 1));
    r->min = r->x[0];
    r->max = r->x[n - 1];
    for (size_t i = 1; i < n; i++)
        r->ties += r->x[i] == r->x[i - 1];
    r->grid = find_grid(r->x, n);
    r->coarse = r->grid > r->sd / 20;
    r->few = n < SF_FIT_FEW_N;

    for (int f = 0; f < SF_FIT_NFAMILIES; f++) {
        sf_fit_model *m = &r->m[f];
        sf_fit_family_ml(m, (sf_fit_family)f, r->x, n, o->positive);
        if (!m->ok)
            continue;
        m->ad = sf_fit_ad(m, r->x, n);
        m->ks = sf_fit_ks(m, r->x, n);
        if (f != SF_FIT_EMPIRICAL && o->bootstrap > 0 && bootstrap(m, n, o) != SF_OK) {
            sf_fit_result_close(r);
            return SF_ENOMEM;
        }
    }
    rank(r);
    return SF_OK;
}

void sf_fit_result_close(sf_fit_result *r)
{
    free(r->x);
    r->x = NULL;
}
