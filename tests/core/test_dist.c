/*
 * Distributions: every sampler's mean and variance against theory on 10^6
 * draws with a fixed seed, the moments the library reports, and parameter
 * checks that give messages instead of NaN. Expected values are written
 * out here from the textbook formulas, not taken from the library.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dist.h"
#include "core/error.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

enum { N = 1000000 };

/*
 * The sample mean must lie within 5 standard errors of the theoretical
 * mean, the sample variance within `var_tol` (relative) of the theoretical
 * variance, and the library's own moments must match the formula.
 */
static void check_moments(const char *what, sf_dist *d, double mean, double var, double var_tol)
{
    sf_rng r;
    double m = 0, m2 = 0;

    sf_rng_init(&r, 12345, what);
    for (long i = 1; i <= N; i++) {
        double x = sf_dist_sample(d, &r), delta = x - m;
        if (!isfinite(x))
            fail_msg("%s: sample %ld is not finite", what, i);
        m += delta / (double)i;
        m2 += delta * (x - m);
    }
    m2 /= N - 1;
    if (fabs(m - mean) > 5 * sqrt(var / N) + 1e-12)
        fail_msg("%s: sample mean %.6g, theory %.6g", what, m, mean);
    if (fabs(m2 - var) > var_tol * var + 1e-12)
        fail_msg("%s: sample variance %.6g, theory %.6g", what, m2, var);
    if (fabs(sf_dist_mean(d) - mean) > 1e-9 * (fabs(mean) + 1))
        fail_msg("%s: reported mean %.12g, theory %.12g", what, sf_dist_mean(d), mean);
    if (fabs(sf_dist_variance(d) - var) > 1e-9 * (var + 1))
        fail_msg("%s: reported variance %.12g, theory %.12g", what, sf_dist_variance(d), var);
    sf_dist_close(d);
}

static void test_dist_continuous_moments_match_theory(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_constant(&d, 4.5, NULL), SF_OK);
    check_moments("constant", &d, 4.5, 0, 0);
    assert_int_equal(sf_dist_uniform(&d, 2, 8, NULL), SF_OK);
    check_moments("uniform", &d, 5, 3, 0.01);
    assert_int_equal(sf_dist_exponential(&d, 3, NULL), SF_OK);
    check_moments("exponential", &d, 3, 9, 0.015);
    assert_int_equal(sf_dist_normal(&d, -1, 2, NULL), SF_OK);
    check_moments("normal", &d, -1, 4, 0.01);
    assert_int_equal(sf_dist_lognormal(&d, 10, 5, NULL), SF_OK);
    check_moments("lognormal", &d, 10, 25, 0.02);
    assert_int_equal(sf_dist_triangular(&d, 1, 2, 6, NULL), SF_OK);
    check_moments("triangular", &d, 3, 21.0 / 18, 0.01);
    assert_int_equal(sf_dist_gamma(&d, 2.5, 2, NULL), SF_OK);
    check_moments("gamma", &d, 5, 10, 0.015);
    assert_int_equal(sf_dist_gamma(&d, 0.5, 1, NULL), SF_OK); /* shape below 1 takes the boost path */
    check_moments("gamma<1", &d, 0.5, 0.5, 0.02);
    assert_int_equal(sf_dist_erlang(&d, 3, 6, NULL), SF_OK);
    check_moments("erlang", &d, 6, 12, 0.015);
    assert_int_equal(sf_dist_weibull(&d, 1.5, 2, NULL), SF_OK);
    check_moments("weibull", &d, 2 * tgamma(1 + 1 / 1.5),
                  4 * (tgamma(1 + 2 / 1.5) - tgamma(1 + 1 / 1.5) * tgamma(1 + 1 / 1.5)), 0.015);
    assert_int_equal(sf_dist_pert(&d, 2, 5, 14, NULL), SF_OK);
    check_moments("pert", &d, 6, 4.0 * 8 / 7, 0.01);
}

static void test_dist_truncated_normal_moments_match_theory(void **state)
{
    sf_dist d;
    double z, pa;
    (void)state;
    /* half-normal: mean sqrt(2/pi), variance 1 - 2/pi */
    assert_int_equal(sf_dist_truncnormal(&d, 0, 1, 0, INFINITY, NULL), SF_OK);
    check_moments("half-normal", &d, sqrt(2 / M_PI), 1 - 2 / M_PI, 0.01);
    /* symmetric [-1, 1]: mean 0, variance 1 - 2 phi(1) / (Phi(1) - Phi(-1)) */
    z = erf(1 / sqrt(2.0));
    pa = exp(-0.5) / sqrt(2 * M_PI);
    assert_int_equal(sf_dist_truncnormal(&d, 0, 1, -1, 1, NULL), SF_OK);
    check_moments("truncnorm[-1,1]", &d, 0, 1 - 2 * pa / z, 0.01);
    /* far in the upper tail, [5, 6] of norm(0, 1): values from the closed form */
    assert_int_equal(sf_dist_truncnormal(&d, 0, 1, 5, 6, NULL), SF_OK);
    check_moments("truncnorm[5,6]", &d, 5.183147090477162, 0.02945243076854709, 0.015);
    /* a processing time: norm(10 s, 4 s) cut at 0 and 30 s, scaled version of [-2.5, 5] */
    assert_int_equal(sf_dist_truncnormal(&d, 10, 4, 0, 30, NULL), SF_OK);
    {
        double a = -2.5, b = 5, Z = 0.5 * erfc(-b / sqrt(2.0)) - 0.5 * erfc(-a / sqrt(2.0));
        double fa = exp(-a * a / 2) / sqrt(2 * M_PI), fb = exp(-b * b / 2) / sqrt(2 * M_PI);
        double mm = (fa - fb) / Z;
        check_moments("truncnorm[0,30]", &d, 10 + 4 * mm, 16 * (1 + (a * fa - b * fb) / Z - mm * mm), 0.01);
    }
}

static void test_dist_discrete_moments_match_theory(void **state)
{
    sf_dist d;
    const double v[] = {1, 2, 10}, w[] = {1, 1, 2};
    const double x[] = {0, 10, 30}, c[] = {0, 0.8, 1};
    (void)state;
    assert_int_equal(sf_dist_bernoulli(&d, 0.3, NULL), SF_OK);
    check_moments("bernoulli", &d, 0.3, 0.21, 0.01);
    assert_int_equal(sf_dist_discrete(&d, v, w, 3, NULL), SF_OK);
    check_moments("discrete", &d, 5.75, 51.25 - 5.75 * 5.75, 0.01);
    assert_int_equal(sf_dist_empirical(&d, x, c, 3, NULL), SF_OK);
    check_moments("empirical", &d, 8, 0.8 * 100 / 3 + 0.2 * 1300 / 3 - 64, 0.01);
}

static void test_dist_discrete_draws_only_listed_values(void **state)
{
    sf_dist d, copy;
    const double v[] = {3, 7, 9}, w[] = {0, 1, 1};
    sf_rng r;
    (void)state;
    assert_int_equal(sf_dist_discrete(&d, v, w, 3, NULL), SF_OK);
    assert_int_equal(sf_dist_copy(&copy, &d), SF_OK);
    sf_dist_close(&d); /* the copy owns its own table */
    sf_rng_init(&r, 1, "discrete");
    for (int i = 0; i < 10000; i++) {
        double x = sf_dist_sample(&copy, &r);
        assert_true(x == 7 || x == 9); /* weight 0 is never drawn */
    }
    sf_dist_close(&copy);
}

static void test_dist_samples_respect_their_bounds(void **state)
{
    sf_dist d;
    sf_rng r;
    (void)state;
    sf_rng_init(&r, 3, "bounds");
    assert_int_equal(sf_dist_truncnormal(&d, 0, 1, 2, 2.0001, NULL), SF_OK);
    for (int i = 0; i < 10000; i++) {
        double x = sf_dist_sample(&d, &r);
        assert_true(x >= 2 && x <= 2.0001);
    }
    assert_int_equal(sf_dist_pert(&d, 40, 45, 55, NULL), SF_OK);
    for (int i = 0; i < 10000; i++) {
        double x = sf_dist_sample(&d, &r);
        assert_true(x >= 40 && x <= 55);
    }
    assert_int_equal(sf_dist_triangular(&d, 1, 1, 2, NULL), SF_OK); /* mode at an end */
    for (int i = 0; i < 10000; i++) {
        double x = sf_dist_sample(&d, &r);
        assert_true(x >= 1 && x <= 2);
    }
}

static void expect_error(int rc, const char *err, const char *part)
{
    assert_int_equal(rc, SF_EINVAL);
    if (!strstr(err, part))
        fail_msg("message '%s' lacks '%s'", err, part);
}

static void test_dist_invalid_parameters_are_errors_with_messages(void **state)
{
    sf_dist d;
    char err[SF_DIST_ERRLEN];
    const double v[] = {1, 2}, neg[] = {1, -1}, zero[] = {0, 0};
    const double x[] = {0, 5, 3}, c[] = {0, 0.5, 1}, c2[] = {0.1, 1, 1};
    (void)state;
    expect_error(sf_dist_exponential(&d, -2, err), err, "mean must be positive");
    expect_error(sf_dist_exponential(&d, 0, err), err, "positive");
    expect_error(sf_dist_uniform(&d, 5, 1, err), err, "min (5) is greater than max (1)");
    expect_error(sf_dist_normal(&d, 0, -1, err), err, "must not be negative");
    expect_error(sf_dist_lognormal(&d, -1, 1, err), err, "mean must be positive");
    expect_error(sf_dist_lognormal(&d, 1, -1, err), err, "standard deviation");
    expect_error(sf_dist_triangular(&d, 1, 5, 3, err), err, "mode (5) must lie in [1, 3]");
    expect_error(sf_dist_triangular(&d, 3, 3, 3, err), err, "below max");
    expect_error(sf_dist_gamma(&d, 0, 1, err), err, "shape");
    expect_error(sf_dist_erlang(&d, 0, 1, err), err, "phases");
    expect_error(sf_dist_weibull(&d, 1, -1, err), err, "scale");
    expect_error(sf_dist_pert(&d, 3, 1, 5, err), err, "mode");
    expect_error(sf_dist_bernoulli(&d, 1.5, err), err, "[0, 1]");
    expect_error(sf_dist_truncnormal(&d, 0, 1, 2, 1, err), err, "lower bound");
    expect_error(sf_dist_truncnormal(&d, 0, 0, 0, 1, err), err, "standard deviation");
    expect_error(sf_dist_truncnormal(&d, 0, 1, 50, 60, err), err, "too far in the tail");
    expect_error(sf_dist_normal(&d, NAN, 1, err), err, "finite");
    expect_error(sf_dist_uniform(&d, 0, INFINITY, err), err, "finite");
    expect_error(sf_dist_discrete(&d, v, neg, 2, err), err, "negative");
    expect_error(sf_dist_discrete(&d, v, zero, 2, err), err, "add up to zero");
    expect_error(sf_dist_discrete(&d, v, v, 0, err), err, "empty");
    expect_error(sf_dist_empirical(&d, x, c, 3, err), err, "must not decrease");
    expect_error(sf_dist_empirical(&d, v, c2, 2, err), err, "from 0 to 1");
    expect_error(sf_dist_empirical(&d, v, c, 1, err), err, "at least two");
    /* a NULL message buffer is allowed */
    assert_int_equal(sf_dist_exponential(&d, -1, NULL), SF_EINVAL);
}

static void test_dist_normal_quantile_inverts_the_cdf(void **state)
{
    (void)state;
    for (double p = 1e-12; p < 1; p = p < 0.01 ? p * 10 : p + 0.01) {
        double x = sf_normal_quantile(p), back = 0.5 * erfc(-x / sqrt(2.0));
        if (fabs(back - p) > 1e-13 * (p < 0.5 ? p : 1 - p) + 1e-16)
            fail_msg("quantile(%g) = %.17g, Phi of it = %.17g", p, x, back);
    }
    assert_true(isinf(sf_normal_quantile(0)) && sf_normal_quantile(0) < 0);
    assert_true(isinf(sf_normal_quantile(1)) && sf_normal_quantile(1) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dist_continuous_moments_match_theory),
        cmocka_unit_test(test_dist_truncated_normal_moments_match_theory),
        cmocka_unit_test(test_dist_discrete_moments_match_theory),
        cmocka_unit_test(test_dist_discrete_draws_only_listed_values),
        cmocka_unit_test(test_dist_samples_respect_their_bounds),
        cmocka_unit_test(test_dist_invalid_parameters_are_errors_with_messages),
        cmocka_unit_test(test_dist_normal_quantile_inverts_the_cdf),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
