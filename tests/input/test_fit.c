/*
 * Fitting input models: the estimators against values worked out apart
 * (by hand, or with 30-digit arithmetic in mpmath where an equation has
 * no closed form), the statistics against the textbook formulas, the
 * ranking rules, and the recovery of known parameters from samples.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/rng.h"
#include "input/data.h"
#include "input/fit.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fit1(sf_fit_model *m, sf_fit_family f, double *x, size_t n, bool positive)
{
    qsort(x, n, sizeof *x, cmp);
    sf_fit_family_ml(m, f, x, n, positive);
    assert_true(m->ok);
}

/* ---- special functions ---- */

static void test_special_functions_match_their_closed_forms(void **state)
{
    (void)state;
    assert_float_equal(sf_fit_digamma(1), -0.57721566490153286, 1e-12);
    assert_float_equal(sf_fit_digamma(0.5), -0.57721566490153286 - 2 * log(2), 1e-12);
    assert_float_equal(sf_fit_trigamma(1), M_PI * M_PI / 6, 1e-12);
    assert_float_equal(sf_fit_trigamma(0.5), M_PI * M_PI / 2, 1e-11);
    for (double x = 0.1; x < 30; x *= 1.7) {
        assert_float_equal(sf_fit_gamma_p(1, x), 1 - exp(-x), 1e-13);
        assert_float_equal(sf_fit_gamma_p(0.5, x), erf(sqrt(x)), 1e-13);
        assert_float_equal(sf_fit_gamma_p(2, x), 1 - exp(-x) * (1 + x), 1e-13);
    }
}

/* ---- estimators by hand ---- */

static void test_exponential_ml_is_the_mean(void **state)
{
    double x[] = {5, 1, 4, 2, 3};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_EXPONENTIAL, x, 5, true);
    assert_float_equal(m.p[0], 3, 1e-15);
    assert_float_equal(m.loglik, -5 * log(3) - 5, 1e-12);
}

static void test_uniform_estimator_is_unbiased_order_statistics(void **state)
{
    double x[] = {2, 4, 6, 8, 10};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_UNIFORM, x, 5, false);
    assert_float_equal(m.p[0], 0, 1e-15);  /* (5 * 2 - 10) / 4 */
    assert_float_equal(m.p[1], 12, 1e-15); /* (5 * 10 - 2) / 4 */
}

static void test_uniform_minimum_is_held_at_zero_for_durations_and_says_so(void **state)
{
    double x[] = {1, 4, 6, 8, 10};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_UNIFORM, x, 5, true); /* unbiased: (5 - 10) / 4 = -1.25 */
    assert_float_equal(m.p[0], 0, 0);
    assert_non_null(strstr(m.why, "-1.25"));
}

static void test_lognormal_ml_is_mean_and_sd_of_logs(void **state)
{
    double x[] = {1, exp(1), exp(2)};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_LOGNORMAL, x, 3, true);
    assert_float_equal(m.p[0], 1, 1e-14);
    assert_float_equal(m.p[1], sqrt(2.0 / 3), 1e-14);
}

/* log k - psi(k) = log 2.5 - log 2 solved by mpmath.findroot to 30 digits. */
static void test_gamma_ml_solves_the_likelihood_equation(void **state)
{
    double x[] = {1, 4, 1, 4, 4, 1};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_GAMMA, x, 6, true);
    assert_float_equal(m.p[0], 2.3941666180604693, 1e-10);
    assert_float_equal(m.p[1], 1.0442046853135339, 1e-10);
}

/* mpmath.findroot on the Weibull shape equation for {1, 2, 3, 4, 5}. */
static void test_weibull_ml_solves_the_likelihood_equation(void **state)
{
    double x[] = {3, 1, 5, 2, 4};
    sf_fit_model m;
    (void)state;
    fit1(&m, SF_FIT_WEIBULL, x, 5, true);
    assert_float_equal(m.p[0], 2.2938066707123166, 1e-9);
    assert_float_equal(m.p[1], 3.3942907181094866, 1e-9);
}

static void test_normal_ml_divides_by_n_and_truncation_moves_it(void **state)
{
    double x[] = {1, 2, 3, 4, 5}, y[] = {0.1, 0.2, 0.4, 0.8, 1.6, 2.4};
    sf_fit_model m, t, near;
    (void)state;
    fit1(&m, SF_FIT_NORMAL, x, 5, false);
    assert_float_equal(m.p[0], 3, 1e-14);
    assert_float_equal(m.p[1], sqrt(2.0), 1e-14);
    assert_true(isinf(m.lo));
    /* skewed data near 0: the truncated fit is a maximum of its likelihood, above the untruncated estimates' */
    fit1(&t, SF_FIT_NORMAL, y, 6, true);
    assert_float_equal(t.lo, 0, 0);
    near = t;
    for (int dx = -1; dx <= 1; dx++)
        for (int dy = -1; dy <= 1; dy++) {
            double ll = 0;
            near.p[0] = t.p[0] + dx * 1e-3;
            near.p[1] = t.p[1] + dy * 1e-3;
            for (size_t i = 0; i < 6; i++)
                ll += log(sf_fit_pdf(&near, y[i]));
            assert_true(ll <= t.loglik + 1e-9);
        }
    assert_true(t.p[0] < 0.9166666 && t.p[1] > 0.8); /* the sample mean 0.9167, sd 0.83 (1/n) */
}

static void test_triangular_mode_is_an_order_statistic_at_a_likelihood_maximum(void **state)
{
    double x[] = {2.1, 3.0, 3.4, 3.9, 4.2, 4.4, 5.0, 5.8, 6.9, 8.3};
    sf_fit_model m, near;
    bool is_data = false;
    (void)state;
    fit1(&m, SF_FIT_TRIANGULAR, x, 10, true);
    for (size_t i = 0; i < 10; i++)
        is_data |= m.p[1] == x[i];
    assert_true(is_data);
    assert_true(m.p[0] >= 0 && m.p[0] < 2.1 && m.p[2] > 8.3);
    near = m;
    for (int k = 0; k < 3; k++)
        for (int s = -1; s <= 1; s += 2) {
            double ll = 0;
            near = m;
            near.p[k] += s * 1e-3;
            for (size_t i = 0; i < 10; i++)
                ll += log(sf_fit_pdf(&near, x[i]));
            assert_true(ll <= m.loglik + 1e-9);
        }
}

static void test_empirical_table_is_the_sample_quantiles(void **state)
{
    double x[41];
    sf_fit_model m;
    (void)state;
    for (int i = 0; i < 41; i++)
        x[i] = 40 - i; /* 0..40 reversed */
    fit1(&m, SF_FIT_EMPIRICAL, x, 41, true);
    assert_int_equal(m.tn, 21);
    for (size_t i = 0; i < 21; i++) {
        assert_float_equal(m.tx[i], 2.0 * (double)i, 1e-12); /* type 7 at i/20 of 0..40 */
        assert_float_equal(m.tc[i], (double)i / 20, 1e-15);
    }
}

/* ---- statistics ---- */

static void test_ad_and_ks_match_the_textbook_formulas(void **state)
{
    double x[] = {0.1, 0.5, 0.9};
    sf_fit_model u = {.family = SF_FIT_UNIFORM, .ok = true, .p = {0, 1}};
    (void)state;
    /* A^2 = -3 - (1/3)[1 (ln .1 + ln .1) + 3 (ln .5 + ln .5) + 5 (ln .9 + ln .9)], computed with mpmath */
    assert_float_equal(sf_fit_ad(&u, x, 3), 0.27255280864200875, 1e-13);
    assert_float_equal(sf_fit_ks(&u, x, 3), 0.7 / 3, 1e-15); /* 1/3 - 0.1 = 0.9 - 2/3 */
}

static void test_laplace_trend_statistic_by_hand(void **state)
{
    double even[] = {0, 1, 2, 3, 4}, late[] = {0, 3, 4}, p;
    (void)state;
    assert_float_equal(sf_data_laplace_trend(even, 4, &p), 0, 1e-15);
    assert_float_equal(p, 1, 1e-15);
    /* one interior event at 3 of T = 4: (3 - 2) / (4 sqrt(1/12)) */
    assert_float_equal(sf_data_laplace_trend(late, 2, &p), 1 / (4 * sqrt(1.0 / 12)), 1e-14);
    assert_float_equal(p, erfc(0.8660254037844386 / sqrt(2.0)), 1e-12);
}

/* ---- CDFs, quantiles and the printed values ---- */

static void test_cdf_quantile_and_density_by_hand(void **state)
{
    sf_fit_model e = {.family = SF_FIT_EXPONENTIAL, .ok = true, .p = {50}};
    sf_fit_model t = {.family = SF_FIT_TRIANGULAR, .ok = true, .p = {10, 20, 50}};
    sf_fit_model n = {.family = SF_FIT_NORMAL, .ok = true, .p = {0, 1}, .lo = 0};
    sf_fit_model g = {.family = SF_FIT_GAMMA, .ok = true, .p = {2, 10}};
    (void)state;
    assert_float_equal(sf_fit_cdf(&e, 50), 1 - exp(-1), 1e-15);
    assert_float_equal(sf_fit_quantile(&e, 0.5), 50 * log(2), 1e-9);
    assert_float_equal(sf_fit_cdf(&t, 20), 0.25, 1e-15); /* (c - a) / (b - a) */
    assert_float_equal(sf_fit_pdf(&t, 20), 2.0 / 40, 1e-15);
    assert_float_equal(sf_fit_quantile(&t, 0.25), 20, 1e-9);
    /* the half-normal: F(x) = 2 Phi(x) - 1, f(0) = 2 phi(0) */
    assert_float_equal(sf_fit_cdf(&n, 1), erf(1 / sqrt(2.0)), 1e-15);
    assert_float_equal(sf_fit_pdf(&n, 0), 2 / sqrt(2 * M_PI), 1e-15);
    /* gamma(2, 10): F(x) = 1 - exp(-x/10)(1 + x/10), f(x) = x exp(-x/10) / 100 */
    assert_float_equal(sf_fit_cdf(&g, 15), 1 - exp(-1.5) * 2.5, 1e-14);
    assert_float_equal(sf_fit_pdf(&g, 15), 15 * exp(-1.5) / 100, 1e-15);
}

static void test_printed_values_carry_the_unit_and_four_digits(void **state)
{
    sf_fit_model g = {.family = SF_FIT_GAMMA, .ok = true, .p = {3.0213, 1188.4}};
    sf_fit_model l = {.family = SF_FIT_LOGNORMAL, .ok = true, .p = {log(40) - log1p(0.25) / 2, sqrt(log1p(0.25))}};
    sf_fit_model n = {.family = SF_FIT_NORMAL, .ok = true, .p = {60, 15}, .lo = 0};
    sf_fit_model u = {.family = SF_FIT_UNIFORM, .ok = true, .p = {1800, 5400}};
    char buf[200];
    (void)state;
    assert_string_equal(sf_fit_yaml(&g, 60, "min", buf, sizeof buf), "gamma(3.021, 19.81 min)");
    assert_string_equal(sf_fit_yaml(&l, 1, "s", buf, sizeof buf), "lognorm(40 s, 20 s)");
    assert_string_equal(sf_fit_yaml(&n, 1, "s", buf, sizeof buf), "truncnorm(60 s, 15 s, 0 s, 360 s)");
    assert_string_equal(sf_fit_yaml(&u, 3600, "h", buf, sizeof buf), "uniform(0.5 h, 1.5 h)");
}

/* ---- the whole fit ---- */

static void test_data_warnings_ties_grid_and_few(void **state)
{
    double x[] = {10, 12.5, 12.5, 15, 17.5, 20, 20, 22.5};
    sf_fit_options o = {.positive = true};
    sf_fit_result r;
    char err[200];
    (void)state;
    assert_int_equal(sf_fit_data(x, 8, &o, &r, err, sizeof err), SF_OK);
    assert_int_equal(r.ties, 2);
    assert_float_equal(r.grid, 2.5, 1e-15);
    assert_true(r.coarse); /* 2.5 against an sd of 4.3 */
    assert_true(r.few);
    sf_fit_result_close(&r);
}

static void test_bad_data_is_refused_with_a_reason(void **state)
{
    double few[] = {1, 2, 3, 4}, zero[] = {1, 2, 0, 4, 5}, same[] = {3, 3, 3, 3, 3};
    sf_fit_options o = {.positive = true};
    sf_fit_result r;
    char err[200];
    (void)state;
    assert_int_equal(sf_fit_data(few, 4, &o, &r, err, sizeof err), SF_EINVAL);
    assert_non_null(strstr(err, "at least 5"));
    assert_int_equal(sf_fit_data(zero, 5, &o, &r, err, sizeof err), SF_EINVAL);
    assert_non_null(strstr(err, "value 3"));
    assert_int_equal(sf_fit_data(same, 5, &o, &r, err, sizeof err), SF_EINVAL);
    assert_non_null(strstr(err, "constant"));
}

static double *draw(const sf_dist *d, size_t n, const char *stream)
{
    double *x = malloc(n * sizeof *x);
    sf_rng r;
    assert_non_null(x);
    sf_rng_init(&r, 2026, stream);
    for (size_t i = 0; i < n; i++)
        x[i] = sf_dist_sample(d, &r);
    return x;
}

static void test_exponential_ranks_above_gamma_and_weibull_unless_rejected(void **state)
{
    sf_dist d;
    sf_fit_options o = {.positive = true};
    sf_fit_result r;
    char err[200];
    double *x;
    (void)state;
    assert_int_equal(sf_dist_exponential(&d, 40, NULL), SF_OK);
    x = draw(&d, 2000, "exp");
    assert_int_equal(sf_fit_data(x, 2000, &o, &r, err, sizeof err), SF_OK);
    /* the wider families fit at least as well by AD... */
    assert_true(r.m[SF_FIT_GAMMA].loglik >= r.m[SF_FIT_EXPONENTIAL].loglik);
    /* ...but shape 1 is not rejected, so the exponential comes first */
    assert_int_equal(r.order[0], SF_FIT_EXPONENTIAL);
    assert_int_equal(r.winner, SF_FIT_EXPONENTIAL);
    sf_fit_result_close(&r);
    free(x);
}

static void test_empirical_is_chosen_when_no_family_fits(void **state)
{
    double x[400];
    sf_rng g;
    sf_fit_options o = {.positive = true, .bootstrap = 99, .seed = 1};
    sf_fit_result r;
    char err[200];
    (void)state;
    sf_rng_init(&g, 7, "two humps");
    for (int i = 0; i < 400; i++) /* half near 20, half near 60: no single family has two modes */
        x[i] = (i % 2 ? 20 : 60) + 3 * sf_rng_uniform(&g);
    assert_int_equal(sf_fit_data(x, 400, &o, &r, err, sizeof err), SF_OK);
    assert_true(r.m[r.order[0]].ad_p < 0.05);
    assert_int_equal(r.winner, SF_FIT_EMPIRICAL);
    sf_fit_result_close(&r);
}

static void test_bootstrap_is_deterministic_under_its_seed(void **state)
{
    sf_dist d;
    sf_fit_options o = {.positive = true, .bootstrap = 49, .seed = 3};
    sf_fit_result a, b;
    char err[200];
    double *x;
    (void)state;
    assert_int_equal(sf_dist_gamma(&d, 3, 10, NULL), SF_OK);
    x = draw(&d, 300, "det");
    assert_int_equal(sf_fit_data(x, 300, &o, &a, err, sizeof err), SF_OK);
    assert_int_equal(sf_fit_data(x, 300, &o, &b, err, sizeof err), SF_OK);
    for (int f = 0; f < SF_FIT_EMPIRICAL; f++) {
        assert_memory_equal(&a.m[f].ad_p, &b.m[f].ad_p, sizeof(double));
        assert_memory_equal(&a.m[f].ci_lo, &b.m[f].ci_lo, sizeof a.m[f].ci_lo);
    }
    sf_fit_result_close(&a);
    sf_fit_result_close(&b);
    free(x);
}

/* ---- recovery of known parameters ---- */

enum { NREC = 2000 };

/* |est - truth| within 3 asymptotic standard errors (the estimator's 99.7% interval). */
static void within(const char *what, double est, double truth, double se)
{
    if (!(fabs(est - truth) <= 3 * se))
        fail_msg("%s: estimate %.6g, truth %.6g, 3 SE %.6g", what, est, truth, 3 * se);
}

static void recover(sf_fit_model *m, const sf_dist *d, sf_fit_family f, const char *stream)
{
    double *x = draw(d, NREC, stream);
    fit1(m, f, x, NREC, true);
    free(x);
}

static void test_recovery_exponential_normal_lognormal(void **state)
{
    sf_dist d;
    sf_fit_model m;
    double n = NREC;
    (void)state;
    assert_int_equal(sf_dist_exponential(&d, 50, NULL), SF_OK);
    recover(&m, &d, SF_FIT_EXPONENTIAL, "rec exp");
    within("exp mean", m.p[0], 50, 50 / sqrt(n));
    assert_int_equal(sf_dist_truncnormal(&d, 60, 15, 0, INFINITY, NULL), SF_OK);
    recover(&m, &d, SF_FIT_NORMAL, "rec norm");
    within("normal mu", m.p[0], 60, 15 / sqrt(n));
    within("normal sigma", m.p[1], 15, 15 / sqrt(2 * n));
    /* truncation that matters: mean 10, sd 10 (16% of the normal below 0) */
    assert_int_equal(sf_dist_truncnormal(&d, 10, 10, 0, INFINITY, NULL), SF_OK);
    recover(&m, &d, SF_FIT_NORMAL, "rec tnorm");
    within("truncated normal mu", m.p[0], 10, 3 * 10 / sqrt(n)); /* the SE grows with the truncation; 3x covers it */
    within("truncated normal sigma", m.p[1], 10, 3 * 10 / sqrt(2 * n));
    assert_int_equal(sf_dist_lognormal(&d, 40, 20, NULL), SF_OK);
    {
        double s2 = log1p(0.25), mu = log(40) - s2 / 2, sigma = sqrt(s2);
        recover(&m, &d, SF_FIT_LOGNORMAL, "rec lognorm");
        within("lognormal mu", m.p[0], mu, sigma / sqrt(n));
        within("lognormal sigma", m.p[1], sigma, sigma / sqrt(2 * n));
    }
}

static void test_recovery_gamma_weibull(void **state)
{
    sf_dist d;
    sf_fit_model m;
    double n = NREC, k = 3, theta = 20, det;
    (void)state;
    assert_int_equal(sf_dist_gamma(&d, k, theta, NULL), SF_OK);
    recover(&m, &d, SF_FIT_GAMMA, "rec gamma");
    /* inverse Fisher information: var k = k / (n (k psi'(k) - 1)), var theta = theta^2 psi'(k) / (n (k psi'(k) - 1)) */
    det = k * sf_fit_trigamma(k) - 1;
    within("gamma k", m.p[0], k, sqrt(k / (n * det)));
    within("gamma theta", m.p[1], theta, sqrt(theta * theta * sf_fit_trigamma(k) / (n * det)));
    assert_int_equal(sf_dist_weibull(&d, 1.5, 60, NULL), SF_OK);
    recover(&m, &d, SF_FIT_WEIBULL, "rec weibull");
    /* var k = 0.6079 k^2 / n, var lambda = 1.1087 lambda^2 / (k^2 n) */
    within("weibull k", m.p[0], 1.5, sqrt(0.6079 * 1.5 * 1.5 / n));
    within("weibull lambda", m.p[1], 60, sqrt(1.1087 * 60 * 60 / (1.5 * 1.5 * n)));
}

static void test_recovery_uniform_triangular(void **state)
{
    sf_dist d;
    sf_fit_model m;
    sf_fit_options o = {.positive = true, .bootstrap = 199, .seed = 11};
    sf_fit_result r;
    char err[200];
    double n = NREC, *x;
    (void)state;
    /* uniform: x(1) - a ~ range Beta(1, n), beyond 5.8 range / n with probability 0.3% */
    assert_int_equal(sf_dist_uniform(&d, 30, 90, NULL), SF_OK);
    recover(&m, &d, SF_FIT_UNIFORM, "rec uniform");
    within("uniform min", m.p[0], 30, 5.8 * 60 / n / 3);
    within("uniform max", m.p[1], 90, 5.8 * 60 / n / 3);
    /* triangular: no closed-form interval; the bootstrap's 95% percentile interval */
    assert_int_equal(sf_dist_triangular(&d, 20, 35, 80, NULL), SF_OK);
    x = draw(&d, NREC, "rec tri");
    assert_int_equal(sf_fit_data(x, NREC, &o, &r, err, sizeof err), SF_OK);
    {
        const sf_fit_model *t = &r.m[SF_FIT_TRIANGULAR];
        double truth[3] = {20, 35, 80};
        for (int k = 0; k < 3; k++)
            if (!(t->ci_lo[k] <= truth[k] && truth[k] <= t->ci_hi[k]))
                fail_msg("triangular parameter %d: %g not in [%g, %g]", k, truth[k], t->ci_lo[k], t->ci_hi[k]);
    }
    sf_fit_result_close(&r);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_special_functions_match_their_closed_forms),
        cmocka_unit_test(test_exponential_ml_is_the_mean),
        cmocka_unit_test(test_uniform_estimator_is_unbiased_order_statistics),
        cmocka_unit_test(test_uniform_minimum_is_held_at_zero_for_durations_and_says_so),
        cmocka_unit_test(test_lognormal_ml_is_mean_and_sd_of_logs),
        cmocka_unit_test(test_gamma_ml_solves_the_likelihood_equation),
        cmocka_unit_test(test_weibull_ml_solves_the_likelihood_equation),
        cmocka_unit_test(test_normal_ml_divides_by_n_and_truncation_moves_it),
        cmocka_unit_test(test_triangular_mode_is_an_order_statistic_at_a_likelihood_maximum),
        cmocka_unit_test(test_empirical_table_is_the_sample_quantiles),
        cmocka_unit_test(test_ad_and_ks_match_the_textbook_formulas),
        cmocka_unit_test(test_laplace_trend_statistic_by_hand),
        cmocka_unit_test(test_cdf_quantile_and_density_by_hand),
        cmocka_unit_test(test_printed_values_carry_the_unit_and_four_digits),
        cmocka_unit_test(test_data_warnings_ties_grid_and_few),
        cmocka_unit_test(test_bad_data_is_refused_with_a_reason),
        cmocka_unit_test(test_exponential_ranks_above_gamma_and_weibull_unless_rejected),
        cmocka_unit_test(test_empirical_is_chosen_when_no_family_fits),
        cmocka_unit_test(test_bootstrap_is_deterministic_under_its_seed),
        cmocka_unit_test(test_recovery_exponential_normal_lognormal),
        cmocka_unit_test(test_recovery_gamma_weibull),
        cmocka_unit_test(test_recovery_uniform_triangular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
