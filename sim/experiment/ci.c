/*
 * ci.c: Student-t quantiles and confidence intervals.
 */
#include "experiment/ci.h"

#include <math.h>

#define TINY 1e-300

/* One step of the modified Lentz method: fold the coefficient aa into c and d; the factor it adds to the fraction. */
static double lentz(double aa, double *c, double *d)
{
    *d = 1 + aa * *d;
    if (fabs(*d) < TINY)
        *d = TINY;
    *c = 1 + aa / *c;
    if (fabs(*c) < TINY)
        *c = TINY;
    *d = 1 / *d;
    return *d * *c;
}

/*
 * Continued fraction of the incomplete beta function (modified Lentz,
 * as in Numerical Recipes 6.4). Converges fast for x < (a+1)/(a+b+2).
 */
static double beta_cf(double a, double b, double x)
{
    const double eps = 1e-15;
    double c = 1, d = 1 - (a + b) * x / (a + 1), h;

    if (fabs(d) < TINY)
        d = TINY;
    d = 1 / d;
    h = d;
    for (int m = 1; m <= 1000; m++) {
        double m2 = 2.0 * m, del;
        h *= lentz(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), &c, &d);
        del = lentz(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)), &c, &d);
        h *= del;
        if (fabs(del - 1) < eps)
            break;
    }
    return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double beta_inc(double a, double b, double x)
{
    double front;

    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_cf(a, b, x) / a;
    return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double sf_ci_t_cdf(double t, double df)
{
    double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));

    return t >= 0 ? 1 - tail : tail;
}

/*
 * Bisection on the cdf: it is monotone, so 200 halvings of a bracket
 * that holds the answer give it to the last bits. Costs a few hundred
 * beta evaluations, once per summary.
 */
double sf_ci_t_quantile(double p, double df)
{
    double lo = 0, hi = 1;

    if (!(p > 0 && p < 1) || !(df > 0))
        return NAN;
    if (p < 0.5)
        return -sf_ci_t_quantile(1 - p, df);
    if (p == 0.5)
        return 0;
    while (sf_ci_t_cdf(hi, df) < p && hi < 1e300)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = lo + (hi - lo) / 2;
        if (sf_ci_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

sf_ci sf_ci_of(const double *x, size_t n, double level)
{
    sf_ci r = {0, 0, 0, NAN};
    double m2 = 0;

    for (size_t i = 0; i < n; i++) {
        double d;
        if (isnan(x[i]))
            continue;
        r.n++;
        d = x[i] - r.mean;
        r.mean += d / (double)r.n;
        m2 += d * (x[i] - r.mean);
    }
    if (r.n == 0)
        r.mean = NAN;
    if (r.n >= 2) {
        r.sd = sqrt(m2 / (double)(r.n - 1));
        r.half = sf_ci_t_quantile(1 - (1 - level) / 2, (double)(r.n - 1)) * r.sd / sqrt((double)r.n);
    }
    return r;
}
