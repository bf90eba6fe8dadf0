/* Motion with acceleration: travel times and positions against hand calculation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/motion.h"

#define S(x) ((sf_time)llround((x) * 1e9))

static void near(double got, double want, double tol, const char *what)
{
    if (fabs(got - want) > tol)
        fail_msg("%s: got %.12g, expected %.12g", what, got, want);
}

static void test_motion_trapezoid_matches_hand_calculation(void **state)
{
    /* 10 m at up to 2 m/s, 1 m/s^2 both ways: 2 s up (2 m), 3 s cruise (6 m), 2 s down (2 m) */
    sf_leg leg = {10, 2};
    sf_motion m;
    double v;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, &leg, 1, 0, 1, 1, S(100)), SF_OK);
    assert_int_equal(m.start, S(100));
    assert_int_equal(m.end, S(107));
    near(sf_motion_position(&m, S(101), &v), 0.5, 1e-9, "x(1 s)");
    near(v, 1, 1e-9, "v(1 s)");
    near(sf_motion_position(&m, S(103), &v), 4, 1e-9, "x(3 s)");
    near(v, 2, 1e-9, "v(3 s)");
    near(sf_motion_position(&m, S(106), &v), 9.5, 1e-9, "x(6 s)");
    near(v, 1, 1e-9, "v(6 s)");
    near(sf_motion_position(&m, S(99), &v), 0, 0, "before departure");
    near(sf_motion_position(&m, S(200), &v), 10, 0, "after arrival");
    near(v, 0, 0, "at rest after arrival");
    sf_motion_close(&m);
}

static void test_motion_short_trips_are_triangles(void **state)
{
    sf_leg leg = {1, 10};
    sf_leg leg2 = {10, 100};
    sf_motion m;
    (void)state;
    sf_motion_init(&m);
    /* peak 1 m/s after 1 s, stop after 2 s */
    assert_int_equal(sf_motion_plan(&m, &leg, 1, 0, 1, 1, 0), SF_OK);
    assert_int_equal(m.end, S(2));
    /* a = 2, d = 0.5: peak^2 = 2 a d L / (a + d) = 8 */
    assert_int_equal(sf_motion_plan(&m, &leg2, 1, 0, 2, 0.5, 0), SF_OK);
    assert_int_equal(m.end, S(sqrt(8) / 2 + sqrt(8) / 0.5));
    sf_motion_close(&m);
}

static void test_motion_slows_before_a_slower_leg(void **state)
{
    /* leg 1: 10 m at 2 m/s, leg 2: 10 m at 1 m/s; the mover crosses the node at 1 m/s.
     * leg 1: 2 s up (2 m), 3.25 s cruise (6.5 m), 1 s down to 1 m/s (1.5 m) = 6.25 s
     * leg 2: 9.5 s at 1 m/s, 1 s down (0.5 m) = 10.5 s */
    sf_leg legs[] = {{10, 2}, {10, 1}};
    sf_motion m;
    double v;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, legs, 2, 0, 1, 1, 0), SF_OK);
    assert_int_equal(m.leg_end[0], S(6.25));
    assert_int_equal(m.end, S(16.75));
    near(sf_motion_position(&m, S(6.25), &v), 10, 1e-9, "at the node");
    near(v, 1, 1e-9, "speed at the node");
    assert_int_equal(sf_motion_leg_at(&m, S(6)), 0);
    assert_int_equal(sf_motion_leg_at(&m, S(7)), 1);
    near(sf_motion_time_at(&m, 10) * 1e-9, 6.25, 1e-9, "time at the node");
    sf_motion_close(&m);
}

static void test_motion_entering_too_fast_brakes_down_to_the_limit(void **state)
{
    /* from 3 m/s on a 1 m/s leg of 10 m: 2 s braking (4 m), 5.5 s cruise, 1 s to stop (0.5 m) */
    sf_leg leg = {10, 1};
    sf_motion m;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, &leg, 1, 3, 1, 1, 0), SF_OK);
    assert_int_equal(m.end, S(8.5));
    assert_int_equal(m.emergency, 0);
    sf_motion_close(&m);
}

static void test_motion_overspeed_carries_over_short_legs(void **state)
{
    /* from 4 m/s: a 1 m leg at 4 m/s, then a 1 m/s leg of 20 m. It cannot reach 1 m/s within
     * the first leg: it brakes continuously (sqrt(16 - 2) at the node), then to 1 m/s. */
    sf_leg legs[] = {{1, 4}, {20, 1}};
    sf_motion m;
    double v;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, legs, 2, 4, 1, 1, 0), SF_OK);
    near(sf_motion_position(&m, m.leg_end[0], &v), 1, 1e-9, "node");
    near(v, sqrt(14), 1e-6, "speed at the node");
    /* total: braking 4 -> 1 takes 3 s over 7.5 m, cruise 20 + 1 - 7.5 - 0.5 = 13 m, stop 1 s */
    assert_int_equal(m.end, S(3 + 13 + 1));
    sf_motion_close(&m);
}

static void test_motion_brakes_harder_when_it_must_and_says_so(void **state)
{
    /* 4 m/s with 2 m left: braking at 1 m/s^2 needs 8 m, so it brakes at 4 m/s^2 for 1 s */
    sf_leg leg = {2, 5};
    sf_motion m;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, &leg, 1, 4, 1, 1, 0), SF_OK);
    assert_int_equal(m.emergency, 1);
    assert_int_equal(m.end, S(1));
    sf_motion_close(&m);
}

/* Many legs: boundaries rounded once each from exact time, so the end does not drift. */
static void test_motion_long_routes_do_not_drift(void **state)
{
    enum { N = 1000 };
    sf_leg legs[N];
    sf_motion m;
    double L = 1.234, v = 1.5, up = v / 0.5, upd = v * v / (2 * 0.5);
    (void)state;
    for (int i = 0; i < N; i++)
        legs[i] = (sf_leg){L, v};
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, legs, N, 0, 0.5, 0.5, 0), SF_OK);
    /* accelerate and brake 3 s each over 2.25 m each; cruise the rest */
    assert_true(llabs(m.end - S(2 * up + (N * L - 2 * upd) / v)) <= 1);
    sf_motion_close(&m);
}

static void test_motion_position_is_continuous_monotone_and_inverts(void **state)
{
    sf_leg legs[] = {{3, 1.2}, {0.4, 2}, {7, 0.6}, {12, 2.5}, {0.05, 1}, {5, 1.8}};
    sf_motion m;
    double prev = 0, vmax = 2.5;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, legs, 6, 0, 0.8, 1.1, S(5)), SF_OK);
    for (sf_time t = m.start; t <= m.end; t += S(0.01)) {
        double v, x = sf_motion_position(&m, t, &v);
        assert_true(x >= prev - 1e-12);
        assert_true(x - prev <= vmax * 0.01 + 1e-9); /* no jumps */
        assert_true(v >= 0 && v <= vmax + 1e-9);
        /* never faster than the leg allows, except when braking into it */
        prev = x;
    }
    near(prev, m.length, 0.03, "reaches the end");
    for (double s = 0; s <= m.length; s += 0.37) {
        sf_time t = sf_motion_time_at(&m, s);
        near(sf_motion_position(&m, t, NULL), s, 1e-6, "position(time_at(s))");
    }
    for (uint32_t j = 0; j < m.nlegs; j++)
        near(sf_motion_position(&m, m.leg_end[j], NULL), m.leg_start_s[j + 1], 1e-6, "leg ends at its node");
    sf_motion_close(&m);
}

static void test_motion_rejects_bad_arguments(void **state)
{
    sf_leg good = {1, 1}, zero = {0, 1}, slow = {1, 0};
    sf_motion m;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, &good, 1, 0, 0, 1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, &good, 1, 0, 1, -1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, &good, 1, -1, 1, 1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, &zero, 1, 0, 1, 1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, &slow, 1, 0, 1, 1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, NULL, 0, 1, 1, 1, 0), SF_EINVAL);
    assert_int_equal(sf_motion_plan(&m, &good, 1, 0, 1, 1, SF_TIME_MAX - 10), SF_ERANGE);
    assert_int_equal(sf_motion_plan(&m, NULL, 0, 0, 1, 1, 7), SF_OK); /* already there */
    assert_int_equal(m.end, 7);
    near(sf_motion_position(&m, 9, NULL), 0, 0, "empty motion");
    sf_motion_close(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_motion_trapezoid_matches_hand_calculation),
        cmocka_unit_test(test_motion_short_trips_are_triangles),
        cmocka_unit_test(test_motion_slows_before_a_slower_leg),
        cmocka_unit_test(test_motion_entering_too_fast_brakes_down_to_the_limit),
        cmocka_unit_test(test_motion_overspeed_carries_over_short_legs),
        cmocka_unit_test(test_motion_brakes_harder_when_it_must_and_says_so),
        cmocka_unit_test(test_motion_long_routes_do_not_drift),
        cmocka_unit_test(test_motion_position_is_continuous_monotone_and_inverts),
        cmocka_unit_test(test_motion_rejects_bad_arguments),
    };
    return cmocka_run_group_tests_name("motion", tests, NULL, NULL);
}
