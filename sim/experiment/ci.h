/*
 * ci.h: means, standard deviations and Student-t confidence intervals.
 *
 * Replications, comparisons and sweeps summarise a figure over n
 * independent runs as mean +- t(1 - alpha/2, n - 1) * sd / sqrt(n). The
 * t quantile is computed from the regularised incomplete beta function
 * (no table, any degrees of freedom), accurate to about 1e-10.
 */
#ifndef SF_EXPERIMENT_CI_H
#define SF_EXPERIMENT_CI_H

#include <stddef.h>

typedef struct sf_ci {
    size_t n;    /* values that were not NaN */
    double mean;
    double sd;   /* sample standard deviation (n - 1); 0 when n < 2 */
    double half; /* half-width of the interval; NaN when n < 2 */
} sf_ci;

/* P(T <= t) for Student's t with `df` > 0 degrees of freedom. */
double sf_ci_t_cdf(double t, double df);
/* The p-quantile (0 < p < 1) of Student's t with `df` > 0 degrees of freedom. */
double sf_ci_t_quantile(double p, double df);

/*
 * Summary of x[0..n) at confidence `level` (0.95): NaN entries are
 * skipped (a replication that did not report the figure). Welford's
 * update, so large means do not cancel the variance.
 */
sf_ci sf_ci_of(const double *x, size_t n, double level);

#endif
