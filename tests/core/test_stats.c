/* Tallies, time-weighted levels and signals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/stats.h"

static void test_stats_tally_moments_and_percentiles(void **state)
{
    sf_tally t;
    (void)state;
    sf_tally_init(&t, true);
    assert_true(isnan(sf_tally_mean(&t)));
    assert_true(isnan(sf_tally_percentile(&t, 0.5)));
    for (int i = 10; i >= 1; i--) /* 1..10 in reverse */
        assert_int_equal(sf_tally_add(&t, i), SF_OK);
    assert_int_equal(t.n, 10);
    assert_true(fabs(sf_tally_mean(&t) - 5.5) < 1e-12);
    assert_true(fabs(sf_tally_sd(&t) - sqrt(82.5 / 9)) < 1e-12);
    assert_true(t.min == 1 && t.max == 10);
    assert_true(fabs(sf_tally_percentile(&t, 0.5) - 5.5) < 1e-12);
    assert_true(fabs(sf_tally_percentile(&t, 0.9) - 9.1) < 1e-12);
    assert_true(sf_tally_percentile(&t, 0) == 1 && sf_tally_percentile(&t, 1) == 10);
    assert_true(isnan(sf_tally_percentile(&t, 1.5)));
    sf_tally_add(&t, 0); /* adding after a percentile re-sorts */
    assert_true(sf_tally_percentile(&t, 0) == 0);
    sf_tally_reset(&t);
    assert_int_equal(t.n, 0);
    assert_true(isnan(sf_tally_percentile(&t, 0.5)));
    sf_tally_close(&t);
}

static void test_stats_tally_is_accurate_for_large_offsets(void **state)
{
    sf_tally t;
    (void)state;
    sf_tally_init(&t, false);
    for (int i = 0; i < 1000; i++)
        sf_tally_add(&t, 1e9 + (i % 2)); /* naive sum of squares would lose the variance */
    assert_true(fabs(sf_tally_sd(&t) - sqrt(0.25 * 1000 / 999)) < 1e-6);
    assert_true(isnan(sf_tally_percentile(&t, 0.5))); /* not kept */
    sf_tally_close(&t);
}

static void test_stats_level_time_average_is_exact(void **state)
{
    sf_level l;
    (void)state;
    sf_level_init(&l, 0, 0);
    sf_level_set(&l, 10 * SF_SECOND, 2);
    sf_level_add(&l, 40 * SF_SECOND, -1);
    /* 0 for 10 s, 2 for 30 s, 1 for 60 s */
    assert_true(fabs(sf_level_integral(&l, 100 * SF_SECOND) - 120) < 1e-12);
    assert_true(fabs(sf_level_mean(&l, 100 * SF_SECOND) - 1.2) < 1e-12);
    assert_true(fabs(sf_level_sd(&l, 100 * SF_SECOND) - sqrt((0 * 10 + 4 * 30 + 1 * 60) / 100.0 - 1.44)) < 1e-12);
    assert_true(l.min == 0 && l.max == 2);
    sf_level_reset(&l, 100 * SF_SECOND); /* warm-up ends: keep the value, forget the past */
    assert_true(sf_level_mean(&l, 100 * SF_SECOND) == 1); /* empty window: the current value */
    sf_level_set(&l, 150 * SF_SECOND, 3);
    assert_true(fabs(sf_level_mean(&l, 200 * SF_SECOND) - 2.0) < 1e-12);
}

struct seen {
    double sum;
    uint32_t last_source;
    int calls;
};

static void listen(void *ctx, sf_time now, uint32_t source, double value)
{
    struct seen *s = ctx;
    (void)now;
    s->sum += value;
    s->last_source = source;
    s->calls++;
}

static void test_stats_signal_reaches_every_listener(void **state)
{
    sf_signal sig;
    struct seen a = {0}, b = {0};
    (void)state;
    sf_signal_init(&sig);
    sf_signal_emit(&sig, 0, 1, 1.0); /* nobody listening: nothing happens */
    for (int i = 0; i < 5; i++)
        assert_int_equal(sf_signal_connect(&sig, listen, i % 2 ? &a : &b), SF_OK);
    sf_signal_emit(&sig, 5, 7, 2.5);
    assert_int_equal(a.calls, 2);
    assert_int_equal(b.calls, 3);
    assert_true(b.sum == 7.5 && b.last_source == 7);
    sf_signal_close(&sig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_tally_moments_and_percentiles),
        cmocka_unit_test(test_stats_tally_is_accurate_for_large_offsets),
        cmocka_unit_test(test_stats_level_time_average_is_exact),
        cmocka_unit_test(test_stats_signal_reaches_every_listener),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
