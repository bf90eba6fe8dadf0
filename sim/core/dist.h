/*
 * dist.h: probability distributions for sampling times, sizes and choices.
 *
 * A distribution is a small value (kind and parameters) made by one of
 * the sf_dist_* constructors, which check the parameters: a negative
 * rate, min > max or sd < 0 is SF_EINVAL with a message in `err`, never a
 * NaN later. Sampling takes a stream, so the same draws come from the
 * same stream whatever else the run does.
 *
 * Parameters are given as users think of them: the exponential by its
 * mean, the lognormal by the mean and standard deviation of the variable
 * itself (not of its logarithm), Erlang by the number of phases and the
 * total mean, PERT by min, mode and max.
 */
#ifndef SF_CORE_DIST_H
#define SF_CORE_DIST_H

#include <stddef.h>

#include "core/rng.h"

typedef enum sf_dist_kind {
    SF_DIST_CONSTANT,   /* value */
    SF_DIST_UNIFORM,    /* min, max */
    SF_DIST_EXPONENTIAL,/* mean */
    SF_DIST_NORMAL,     /* mean, sd */
    SF_DIST_TRUNCNORMAL,/* mean, sd, lo, hi of the untruncated normal and its bounds */
    SF_DIST_LOGNORMAL,  /* mean, sd of the variable */
    SF_DIST_TRIANGULAR, /* min, mode, max */
    SF_DIST_GAMMA,      /* shape k, scale theta (Erlang: integer shape) */
    SF_DIST_WEIBULL,    /* shape k, scale lambda */
    SF_DIST_PERT,       /* min, mode, max (shape 4) */
    SF_DIST_BERNOULLI,  /* p: 1 with probability p, else 0 */
    SF_DIST_DISCRETE,   /* values with weights */
    SF_DIST_EMPIRICAL,  /* piecewise-linear CDF through (value, cumulative probability) points */
} sf_dist_kind;

typedef struct sf_dist {
    sf_dist_kind kind;
    double p[4];   /* parameters, also precomputed constants */
    double *x, *c; /* DISCRETE / EMPIRICAL: values and cumulative probabilities (owned) */
    size_t n;
} sf_dist;

#define SF_DIST_ERRLEN 160

/* Each returns SF_OK or SF_EINVAL with a message in err (when err is not NULL). */
int sf_dist_constant(sf_dist *d, double value, char *err);
int sf_dist_uniform(sf_dist *d, double min, double max, char *err);
int sf_dist_exponential(sf_dist *d, double mean, char *err);
int sf_dist_normal(sf_dist *d, double mean, double sd, char *err);
int sf_dist_truncnormal(sf_dist *d, double mean, double sd, double lo, double hi, char *err);
int sf_dist_lognormal(sf_dist *d, double mean, double sd, char *err);
int sf_dist_triangular(sf_dist *d, double min, double mode, double max, char *err);
int sf_dist_gamma(sf_dist *d, double shape, double scale, char *err);
int sf_dist_erlang(sf_dist *d, int phases, double mean, char *err);
int sf_dist_weibull(sf_dist *d, double shape, double scale, char *err);
int sf_dist_pert(sf_dist *d, double min, double mode, double max, char *err);
int sf_dist_bernoulli(sf_dist *d, double p, char *err);
/* `n` values with non-negative weights (not all zero); copied. */
int sf_dist_discrete(sf_dist *d, const double *values, const double *weights, size_t n, char *err);
/* `n` >= 2 points (x ascending, cumulative probability from 0 ascending to 1); copied. */
int sf_dist_empirical(sf_dist *d, const double *x, const double *cum, size_t n, char *err);

/* Release a table distribution's memory; harmless on the others. */
void sf_dist_close(sf_dist *d);

/* Copy, duplicating any table; SF_ENOMEM on failure. */
int sf_dist_copy(sf_dist *dst, const sf_dist *src);

double sf_dist_sample(const sf_dist *d, sf_rng *r);

/* The theoretical mean and variance (used by reports and checks). */
double sf_dist_mean(const sf_dist *d);
double sf_dist_variance(const sf_dist *d);

/* Lowest name for a kind: "exp", "norm", ... as written in scenarios. */
const char *sf_dist_kind_name(sf_dist_kind kind);

/* Inverse of the standard normal CDF, |error| < 1e-15 relative in the body; p in (0, 1). */
double sf_normal_quantile(double p);

#endif
