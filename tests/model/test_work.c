/* Work at a changing rate: completion times exact to the nanosecond against hand calculation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/rng.h"
#include "core/time.h"
#include "model/work.h"

#define S SF_SECOND

static void test_work_full_rate_ends_after_the_amount(void **state)
{
    sf_work w;
    (void)state;
    assert_int_equal(sf_work_start(&w, 5 * S, 90 * S, 1.0), 95 * S);
    assert_false(sf_work_complete(&w, 95 * S - 1));
    assert_true(sf_work_complete(&w, 95 * S));
    assert_int_equal(sf_work_start(&w, 5 * S, 0, 1.0), 5 * S);
    assert_true(sf_work_complete(&w, 5 * S));
    assert_int_equal(sf_work_start(&w, 5 * S, 90 * S, 0.0), SF_TIME_MAX);
    assert_false(sf_work_complete(&w, SF_TIME_MAX - 1));
}

/* 1 s at 1/3 (333333333 parts): ceil(10^18 / 333333333) = 3000000003.000000003 -> 3000000004 ns. */
static void test_work_third_rate_rounds_the_end_up_to_the_next_ns(void **state)
{
    sf_work w;
    (void)state;
    assert_int_equal(sf_work_rate_parts(1.0 / 3), 333333333);
    assert_int_equal(sf_work_start(&w, 0, S, 1.0 / 3), 3000000004);
    /* at 3000000003 ns the work done is 999999999.999999999 ns: not complete */
    assert_int_equal(sf_work_remaining(&w, 3000000003), 1);
    assert_int_equal(sf_work_remaining(&w, 3000000004), 0);
}

/*
 * 60 s of work. t=0 rate 1; t=10 s rate 0.25 (10 s done, 50 left: end 10 + 200 = 210 s);
 * t=30 s stop (5 s more done, 45 left); t=40 s rate 0.5 (end 40 + 90 = 130 s);
 * t=100 s rate 1 (30 s more done, 15 left: end 115 s).
 * Time at full rate 10 + 15 = 25 s, reduced 20 + 60 = 80 s, stopped 10 s.
 */
static void test_work_rate_changes_end_where_the_hand_calculation_says(void **state)
{
    sf_work w;
    (void)state;
    assert_int_equal(sf_work_start(&w, 0, 60 * S, 1.0), 60 * S);
    assert_int_equal(sf_work_set_rate(&w, 10 * S, 0.25), 210 * S);
    assert_int_equal(sf_work_set_rate(&w, 30 * S, 0.0), SF_TIME_MAX);
    assert_true(fabs(sf_work_progress(&w, 35 * S) - 0.25) < 1e-12);
    assert_int_equal(sf_work_set_rate(&w, 40 * S, 0.5), 130 * S);
    assert_true(fabs(sf_work_progress(&w, 100 * S) - 0.75) < 1e-12);
    assert_int_equal(sf_work_set_rate(&w, 100 * S, 1.0), 115 * S);
    assert_int_equal(sf_work_end(&w), 115 * S);
    assert_int_equal(sf_work_time_at(&w, 200 * S, SF_WORK_FULL), 25 * S);
    assert_int_equal(sf_work_time_at(&w, 200 * S, SF_WORK_REDUCED), 80 * S);
    assert_int_equal(sf_work_time_at(&w, 200 * S, SF_WORK_STOPPED), 10 * S);
    /* a change after the completion moves nothing */
    assert_int_equal(sf_work_set_rate(&w, 120 * S, 0.1), 115 * S);
    assert_int_equal(sf_work_time_at(&w, 300 * S, SF_WORK_FULL), 25 * S);
    assert_true(fabs(sf_work_progress(&w, 300 * S) - 1) < 1e-15);
}

/*
 * Rates that do not divide: 7 ns at 0.3 is 7e9 units at 3e8 per ns: ceil(23.33) = 24 ns.
 * At 10 ns, 3e9 units are done, 4e9 left; at 1/3 (333333333 per ns):
 * ceil(4e9 / 333333333) = ceil(12.000000012) = 13: end 23 ns.
 */
static void test_work_fractions_of_a_nanosecond_are_carried_exactly(void **state)
{
    sf_work w;
    (void)state;
    assert_int_equal(sf_work_start(&w, 0, 7, 0.3), 24);
    assert_int_equal(sf_work_set_rate(&w, 10, 1.0 / 3), 23);
    assert_int_equal(sf_work_remaining(&w, 22), 1);
    assert_int_equal(sf_work_remaining(&w, 23), 0);
}

/* 30 days at 0.7: 2592000000000000 / 0.7 = 3702857142857142.857... -> 3702857142857143 ns. */
static void test_work_long_amounts_do_not_overflow(void **state)
{
    sf_work w;
    (void)state;
    assert_int_equal(sf_work_start(&w, SF_HOUR, 30 * SF_DAY, 0.7), SF_HOUR + 3702857142857143);
    /* half a day later at full rate: done 0.7 * 12 h = 30240 s, left 2561760 s */
    assert_int_equal(sf_work_set_rate(&w, SF_HOUR + 12 * SF_HOUR, 1.0), 13 * SF_HOUR + 2561760 * S);
    /* an amount beyond what fits stops at SF_TIME_MAX rather than wrapping */
    assert_int_equal(sf_work_start(&w, 0, SF_TIME_MAX / 2, 0.25), SF_TIME_MAX);
}

/*
 * Against an exact reference on random rate changes: with at most 9 s of
 * work the remaining units (10^-9 ns) fit in 64 bits, so the reference
 * subtracts dt * r directly and takes the ceiling of the quotient.
 */
static void test_work_random_rate_changes_match_the_exact_sum(void **state)
{
    sf_rng rng;
    (void)state;
    sf_rng_init(&rng, 42, "test_work");
    for (int run = 0; run < 2000; run++) {
        sf_work w;
        sf_time amount = (sf_time)(sf_rng_u64(&rng) % (9 * (uint64_t)S)) + 1, t = 0, end;
        int64_t rem = amount * SF_WORK_RATE_ONE, r = (int64_t)(sf_rng_u64(&rng) % (SF_WORK_RATE_ONE + 1));
        sf_time at[SF_WORK_BANDS] = {0};

        end = sf_work_start_parts(&w, t, amount, r);
        for (int step = 0; step < 50; step++) {
            sf_time ref_end = r == 0 ? SF_TIME_MAX : t + (rem + r - 1) / r;
            sf_time dt = (sf_time)(sf_rng_u64(&rng) % (2 * (uint64_t)S));
            assert_int_equal(end, ref_end);
            if (end != SF_TIME_MAX && t + dt >= end) {
                at[r == SF_WORK_RATE_ONE ? SF_WORK_FULL : r == 0 ? SF_WORK_STOPPED : SF_WORK_REDUCED] += end - t;
                t = end + dt; /* ask after the completion */
                break;
            }
            rem -= dt * r;
            at[r == SF_WORK_RATE_ONE ? SF_WORK_FULL : r == 0 ? SF_WORK_STOPPED : SF_WORK_REDUCED] += dt;
            t += dt;
            switch (sf_rng_u64(&rng) % 4) {
            case 0: r = 0; break;
            case 1: r = SF_WORK_RATE_ONE; break;
            default: r = (int64_t)(sf_rng_u64(&rng) % (SF_WORK_RATE_ONE + 1)); break;
            }
            end = sf_work_set_rate_parts(&w, t, r);
        }
        for (int b = 0; b < SF_WORK_BANDS; b++)
            assert_int_equal(sf_work_time_at(&w, t, (sf_work_band)b), at[b]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_full_rate_ends_after_the_amount),
        cmocka_unit_test(test_work_third_rate_rounds_the_end_up_to_the_next_ns),
        cmocka_unit_test(test_work_rate_changes_end_where_the_hand_calculation_says),
        cmocka_unit_test(test_work_fractions_of_a_nanosecond_are_carried_exactly),
        cmocka_unit_test(test_work_long_amounts_do_not_overflow),
        cmocka_unit_test(test_work_random_rate_changes_match_the_exact_sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
