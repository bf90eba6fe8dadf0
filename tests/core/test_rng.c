/* Named streams: the generator itself, reproducibility and independence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"

/* xoshiro256** from state {1, 2, 3, 4}: values from the published algorithm. */
static void test_rng_generator_matches_the_reference_algorithm(void **state)
{
    sf_rng r = {{1, 2, 3, 4}};
    (void)state;
    assert_int_equal(sf_rng_u64(&r), 0x2d00);
    assert_int_equal(sf_rng_u64(&r), 0x0);
    assert_int_equal(sf_rng_u64(&r), 0x5a007080);
}

static void test_rng_same_seed_and_name_give_the_same_draws(void **state)
{
    sf_rng a, b;
    (void)state;
    sf_rng_init(&a, 42, "forklift.1");
    sf_rng_init(&b, 42, "forklift.1");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sf_rng_u64(&a), sf_rng_u64(&b));
}

static void test_rng_adding_a_stream_never_changes_another(void **state)
{
    sf_rng alone, with, other;
    uint64_t expect[100];
    (void)state;
    sf_rng_init(&alone, 7, "arrivals");
    for (int i = 0; i < 100; i++)
        expect[i] = sf_rng_u64(&alone);
    /* the same stream, with another created before it and drawn from in between */
    sf_rng_init(&other, 7, "services");
    sf_rng_init(&with, 7, "arrivals");
    for (int i = 0; i < 100; i++) {
        (void)sf_rng_u64(&other);
        assert_int_equal(sf_rng_u64(&with), expect[i]);
    }
}

static double correlation(sf_rng *a, sf_rng *b, int n)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = sf_rng_uniform(a), y = sf_rng_uniform(b);
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    return (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

/* Nearby names and nearby seeds must not give related streams. */
static void test_rng_nearby_names_and_seeds_are_uncorrelated(void **state)
{
    enum { N = 200000 };
    const double bound = 4.5 / sqrt(N); /* |r| of independent streams is below this with p > 0.9999 */
    sf_rng a, b;
    (void)state;
    sf_rng_init(&a, 1, "agent1");
    sf_rng_init(&b, 1, "agent2");
    assert_true(fabs(correlation(&a, &b, N)) < bound);
    sf_rng_init(&a, 1, "x");
    sf_rng_init(&b, 2, "x");
    assert_true(fabs(correlation(&a, &b, N)) < bound);
    sf_rng_init(&a, 0, "");
    sf_rng_init(&b, 1, "");
    assert_true(fabs(correlation(&a, &b, N)) < bound);
    /* and a stream with itself shifted by one draw */
    sf_rng_init(&a, 3, "lag");
    sf_rng_init(&b, 3, "lag");
    (void)sf_rng_u64(&b);
    assert_true(fabs(correlation(&a, &b, N)) < bound);
}

/* Chi-square on 100 equal bins of 10^6 uniforms, under the 99.99% point (df 99: 157.0). */
static void test_rng_uniforms_fill_bins_evenly(void **state)
{
    enum { BINS = 100, N = 1000000 };
    long count[BINS] = {0};
    double chi2 = 0, expect = (double)N / BINS;
    sf_rng r;
    (void)state;
    sf_rng_init(&r, 2024, "uniformity");
    for (int i = 0; i < N; i++) {
        double u = sf_rng_uniform(&r);
        assert_true(u >= 0 && u < 1);
        count[(int)(u * BINS)]++;
    }
    for (int i = 0; i < BINS; i++)
        chi2 += (count[i] - expect) * (count[i] - expect) / expect;
    assert_true(chi2 < 157.0);
}

static void test_rng_below_is_unbiased_and_in_range(void **state)
{
    enum { N = 600000 };
    long count[3] = {0};
    sf_rng r;
    (void)state;
    sf_rng_init(&r, 5, "below");
    for (int i = 0; i < N; i++) {
        uint64_t x = sf_rng_below(&r, 3);
        assert_true(x < 3);
        count[x]++;
    }
    for (int i = 0; i < 3; i++) /* 5 standard deviations of a binomial(N, 1/3) */
        assert_true(fabs(count[i] - N / 3.0) < 5 * sqrt(N * (1 / 3.0) * (2 / 3.0)));
    for (int i = 0; i < 1000; i++)
        assert_true(sf_rng_below(&r, UINT64_C(0x8000000000000001)) <= UINT64_C(0x8000000000000000));
    assert_int_equal(sf_rng_below(&r, 1), 0);
}

static void test_rng_open_interval_excludes_zero_and_one(void **state)
{
    sf_rng r;
    (void)state;
    sf_rng_init(&r, 9, "open");
    for (int i = 0; i < 100000; i++) {
        double u = sf_rng_open(&r);
        assert_true(u > 0 && u < 1);
    }
    /* the extremes of the mapping */
    assert_true(((double)(0) + 0.5) * 0x1.0p-52 > 0);
    assert_true(((double)((UINT64_MAX >> 12)) + 0.5) * 0x1.0p-52 < 1);
}

static void test_rng_replication_seeds_are_distinct_and_repeatable(void **state)
{
    (void)state;
    assert_int_equal(sf_rng_derive_seed(1, 0), sf_rng_derive_seed(1, 0));
    for (uint64_t i = 0; i < 1000; i++)
        for (uint64_t j = i + 1; j < i + 4; j++)
            assert_true(sf_rng_derive_seed(1, i) != sf_rng_derive_seed(1, j));
    assert_true(sf_rng_derive_seed(1, 0) != sf_rng_derive_seed(2, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_generator_matches_the_reference_algorithm),
        cmocka_unit_test(test_rng_same_seed_and_name_give_the_same_draws),
        cmocka_unit_test(test_rng_adding_a_stream_never_changes_another),
        cmocka_unit_test(test_rng_nearby_names_and_seeds_are_uncorrelated),
        cmocka_unit_test(test_rng_uniforms_fill_bins_evenly),
        cmocka_unit_test(test_rng_below_is_unbiased_and_in_range),
        cmocka_unit_test(test_rng_open_interval_excludes_zero_and_one),
        cmocka_unit_test(test_rng_replication_seeds_are_distinct_and_repeatable),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
