/*
 * The right family ranks first: for each family, R samples of n = 2,000
 * from known parameters are fitted and ranked (by AD, with the
 * exponential's likelihood-ratio rule of fit.h); the family they came
 * from must rank first in at least 95% of them. Slow: 7 x R fits of
 * every family.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/rng.h"
#include "input/fit.h"

enum { N = 2000, R = 200 };

static void ranks_first(sf_fit_family family, const sf_dist *d)
{
    static double x[N];
    sf_fit_options o = {.positive = true};
    int first = 0;
    char stream[64], err[200];
    sf_rng r;

    snprintf(stream, sizeof stream, "ranking %s", sf_fit_family_name(family));
    sf_rng_init(&r, 2026, stream);
    for (int rep = 0; rep < R; rep++) {
        sf_fit_result res;
        for (size_t i = 0; i < N; i++)
            x[i] = sf_dist_sample(d, &r);
        assert_int_equal(sf_fit_data(x, N, &o, &res, err, sizeof err), SF_OK);
        first += res.order[0] == (int)family;
        sf_fit_result_close(&res);
    }
    printf("%-12s first in %d of %d\n", sf_fit_family_name(family), first, R);
    if (first * 100 < 95 * R)
        fail_msg("%s ranks first in %d of %d samples, under 95%%", sf_fit_family_name(family), first, R);
}

static void test_exponential_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_exponential(&d, 50, NULL), SF_OK);
    ranks_first(SF_FIT_EXPONENTIAL, &d);
}

static void test_gamma_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_gamma(&d, 3, 20, NULL), SF_OK);
    ranks_first(SF_FIT_GAMMA, &d);
}

static void test_lognormal_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_lognormal(&d, 40, 20, NULL), SF_OK);
    ranks_first(SF_FIT_LOGNORMAL, &d);
}

static void test_weibull_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_weibull(&d, 1.5, 60, NULL), SF_OK);
    ranks_first(SF_FIT_WEIBULL, &d);
}

static void test_normal_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_truncnormal(&d, 60, 15, 0, 1e9, NULL), SF_OK);
    ranks_first(SF_FIT_NORMAL, &d);
}

static void test_triangular_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_triangular(&d, 20, 35, 80, NULL), SF_OK);
    ranks_first(SF_FIT_TRIANGULAR, &d);
}

static void test_uniform_ranks_first(void **state)
{
    sf_dist d;
    (void)state;
    assert_int_equal(sf_dist_uniform(&d, 30, 90, NULL), SF_OK);
    ranks_first(SF_FIT_UNIFORM, &d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_ranks_first), cmocka_unit_test(test_gamma_ranks_first),
        cmocka_unit_test(test_lognormal_ranks_first),   cmocka_unit_test(test_weibull_ranks_first),
        cmocka_unit_test(test_normal_ranks_first),      cmocka_unit_test(test_triangular_ranks_first),
        cmocka_unit_test(test_uniform_ranks_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
