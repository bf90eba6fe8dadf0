/*
 * fit.h: input models from measured data.
 *
 * Given n observations (cycle times, inter-arrival times, times between
 * failures), sf_fit_data fits every family a scenario accepts for a time
 * and says how well each one fits:
 *
 *   exponential  mean                     maximum likelihood (the sample mean)
 *   gamma        shape k, scale theta     maximum likelihood (Newton on the shape)
 *   lognormal    mu, sigma of log x       maximum likelihood (mean and sd of the logs, 1/n)
 *   Weibull      shape k, scale lambda    maximum likelihood (Newton on the shape)
 *   normal       mu, sigma                maximum likelihood; truncated at 0 when the
 *                                         data are durations (Nelder-Mead on the
 *                                         truncated likelihood)
 *   triangular   min, mode, max           maximum likelihood: the mode is an order
 *                                         statistic (Oliver 1972), min and max by
 *                                         Nelder-Mead on the profile likelihood
 *   uniform      min, max                 the minimum-variance unbiased order-statistic
 *                                         estimator (n x(1) - x(n)) / (n - 1) and its
 *                                         mirror; the ML estimator (x(1), x(n)) puts
 *                                         data on the support's ends and is biased inward
 *   empirical    quantile table           piecewise-linear CDF through at most 21
 *                                         sample quantiles (type 7), as printed
 *
 * Each fit is then measured by the Anderson-Darling (AD) and
 * Kolmogorov-Smirnov (KS) statistics; p-values come from a parametric
 * bootstrap (B samples of size n drawn from the fitted model with a fixed
 * seed, each refitted, p = (1 + #{T* >= T}) / (B + 1)), which accounts for
 * the parameters having been estimated from the same data. The bootstrap
 * also gives percentile 95% intervals for the parameters.
 *
 * Ranking: by AD (it weighs the tails, where KS looks at the middle);
 * then the exponential ranks above each family that holds it (gamma and
 * Weibull at shape 1, a normal truncated at 0 with its mean far below 0)
 * unless that family's likelihood is significantly higher (likelihood-
 * ratio statistic above 6.635, the 1% point of chi-squared with one
 * degree of freedom): a wider family fits a little closer by chance
 * alone, and would take exponential data from it. The empirical
 * table is not ranked (it is made from the same data); it is the winner
 * only when the best family's AD p-value is below 0.05.
 */
#ifndef SF_INPUT_FIT_H
#define SF_INPUT_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dist.h"

typedef enum sf_fit_family {
    SF_FIT_EXPONENTIAL,
    SF_FIT_GAMMA,
    SF_FIT_LOGNORMAL,
    SF_FIT_WEIBULL,
    SF_FIT_NORMAL,
    SF_FIT_TRIANGULAR,
    SF_FIT_UNIFORM,
    SF_FIT_EMPIRICAL,
    SF_FIT_NFAMILIES
} sf_fit_family;

enum { SF_FIT_TABLE = 21, SF_FIT_MIN_N = 5, SF_FIT_FEW_N = 30 };

typedef struct sf_fit_model {
    sf_fit_family family;
    bool ok;       /* fitted; when false, `why` says why not */
    char why[160]; /* also a note on an ok fit (a uniform's min held at 0), or "" */
    /*
     * Parameters: exponential mean; gamma k, theta; lognormal mu, sigma of
     * log x; Weibull k, lambda; normal mu, sigma of the untruncated normal;
     * triangular min, mode, max; uniform min, max.
     */
    double p[3];
    double lo;                 /* normal: truncation point (0 for durations, -inf otherwise) */
    double tx[SF_FIT_TABLE];   /* empirical: values */
    double tc[SF_FIT_TABLE];   /* empirical: cumulative probabilities */
    size_t tn;
    double loglik;             /* log-likelihood of the data (NAN for the empirical) */
    double ad, ks;             /* statistics against the data */
    double ad_p, ks_p;         /* bootstrap p-values, NAN when not computed */
    double ci_lo[3], ci_hi[3]; /* bootstrap 95% percentile intervals, NAN when not computed */
} sf_fit_model;

typedef struct sf_fit_options {
    bool positive;      /* durations: every value > 0, the normal truncated at 0, minima held at 0 */
    unsigned bootstrap; /* B; 0: no p-values or intervals */
    uint64_t seed;      /* of the bootstrap's streams */
} sf_fit_options;

typedef struct sf_fit_result {
    size_t n;
    double mean, sd, min, max;
    double *x; /* the data, sorted (owned) */
    sf_fit_model m[SF_FIT_NFAMILIES];
    int order[SF_FIT_NFAMILIES]; /* fitted parametric families, best first; then -1 */
    size_t n_ranked;
    int winner;       /* the family printed: order[0], or the empirical (see above) */
    size_t ties;      /* values equal to an earlier one */
    double grid;      /* every value is a multiple of this (1, 0.5, 0.01 ...), 0 when none found */
    bool coarse;      /* the grid is over 1/20 of the standard deviation */
    bool few;         /* n < SF_FIT_FEW_N */
    unsigned bootstrap;
} sf_fit_result;

/*
 * Fit every family to the n values of x (copied). SF_OK; SF_EINVAL with a
 * message in err when there are fewer than SF_FIT_MIN_N values, a value
 * is not finite or (positive) not above 0, or all values are equal;
 * SF_ENOMEM. Cost: O(n log n) per fit, B + 1 fits per family.
 */
int sf_fit_data(const double *x, size_t n, const sf_fit_options *o, sf_fit_result *r, char *err, size_t errlen);
void sf_fit_result_close(sf_fit_result *r);

/* Fit one family to sorted data without testing it (used by the bootstrap and by tests). */
void sf_fit_family_ml(sf_fit_model *m, sf_fit_family f, const double *sorted, size_t n, bool positive);

/* CDF and density of a fitted model; the empirical's density is its table's slope. */
double sf_fit_cdf(const sf_fit_model *m, double x);
double sf_fit_pdf(const sf_fit_model *m, double x);
/* Quantile by bisection on the CDF, p in (0, 1). */
double sf_fit_quantile(const sf_fit_model *m, double p);

/* AD and KS statistics of sorted data against a model. */
double sf_fit_ad(const sf_fit_model *m, const double *sorted, size_t n);
double sf_fit_ks(const sf_fit_model *m, const double *sorted, size_t n);

/* The model as a dist.h distribution (for sampling); SF_OK or SF_EINVAL with err. */
int sf_fit_to_dist(const sf_fit_model *m, sf_dist *d, char *err);

/*
 * The model as a scenario value in `unit` (values divided by `factor`
 * seconds a unit; factor 1 and unit "" for plain numbers): "gamma(3.02,
 * 19.8 s)", four significant digits; the empirical as a flow mapping
 * "{empirical: [[10 s, 0], ...]}". The normal truncated at 0 is written
 * truncnorm(mu, sigma, 0, mu + 20 sigma): a scenario bound must be finite,
 * and the mass above it (1e-88) is nothing a run could draw. Returns buf.
 */
char *sf_fit_yaml(const sf_fit_model *m, double factor, const char *unit, char *buf, size_t len);

const char *sf_fit_family_name(sf_fit_family f); /* "gamma" */
const char *sf_fit_estimator(sf_fit_family f);   /* "maximum likelihood" ... */
/* The parameters' names and their count: {"k", "theta"}, 2. */
size_t sf_fit_param_names(sf_fit_family f, const char *names[3]);

/* Special functions the fits need, exposed for tests. */
double sf_fit_digamma(double x);
double sf_fit_trigamma(double x);
double sf_fit_gamma_p(double a, double x); /* regularised lower incomplete gamma */

#endif
