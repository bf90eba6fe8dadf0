/*
 * Reading values by what the schema expects: quantities with units,
 * distributions, clock times, switches, counts and fractions.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/time.h"
#include "helpers.h"
#include "scenario/schema.h"

/* |a - b| <= eps, with both values in the message when not. */
#define assert_double_equal(a, b, eps)                                                                             \
    do {                                                                                                           \
        double a_ = (a), b_ = (b);                                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                                             \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                                    \
    } while (0)

struct fixture {
    sf_diags d;
    sf_scenario_config cfg;
    sf_vctx v;
    sf_ynode *node;
};

static struct fixture F;

static int setup(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    sf_diags_init(&F.d);
    F.cfg.arena = sf_arena_new();
    F.v.d = &F.d;
    F.v.cfg = &F.cfg;
    F.v.arena = F.cfg.arena;
    return F.cfg.arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sf_ynode_free(F.node);
    sf_arena_free(F.cfg.arena);
    sf_diags_close(&F.d);
    return 0;
}

/* A plain scalar written at t.yaml:3:10. */
static const sf_ynode *val(const char *text)
{
    sf_ynode_free(F.node);
    F.node = sf_ynode_scalar(text, "t.yaml", 3, 10, true);
    sf_diags_close(&F.d);
    sf_diags_init(&F.d);
    return F.node;
}

static double qty(const char *text, sf_dim dim)
{
    double x = NAN;
    if (!sf_v_qty(&F.v, val(text), "f", dim, -INFINITY, INFINITY, false, &x)) {
        dump_diags(&F.d);
        fail_msg("'%s' should read", text);
    }
    return x;
}

static void test_values_quantities_convert_to_si(void **state)
{
    (void)state;
    assert_double_equal(qty("90 s", SF_DIM_TIME), 90, 1e-12);
    assert_double_equal(qty("2.5 min", SF_DIM_TIME), 150, 1e-12);
    assert_double_equal(qty("8 h", SF_DIM_TIME), 28800, 1e-9);
    assert_double_equal(qty("1.2 m/s", SF_DIM_SPEED), 1.2, 1e-12);
    assert_double_equal(qty("0.5 m/s^2", SF_DIM_ACCEL), 0.5, 1e-12);
    assert_double_equal(qty("3.5 kW", SF_DIM_POWER), 3500, 1e-9);
    assert_double_equal(qty("20 kWh", SF_DIM_ENERGY), 7.2e7, 1e-3);
    assert_double_equal(qty("0.4 kg/kWh", SF_DIM_CARBON), 0.4 / 3.6e6, 1e-18);
    assert_double_equal(qty("0.18 EUR/kWh", SF_DIM_TARIFF), 0.18 / 3.6e6, 1e-18);
    assert_double_equal(qty("25 /h", SF_DIM_RATE), 25.0 / 3600, 1e-15);
}

/* A bare number takes the field's documented default unit. */
static void test_values_bare_numbers_take_the_default_unit(void **state)
{
    (void)state;
    assert_double_equal(qty("90", SF_DIM_TIME), 90, 1e-12);
    assert_double_equal(qty("12", SF_DIM_LENGTH), 12, 1e-12);
    assert_double_equal(qty("1.5", SF_DIM_SPEED), 1.5, 1e-12);
    assert_double_equal(qty("3.5", SF_DIM_POWER), 3500, 1e-9);
    assert_double_equal(qty("20", SF_DIM_ENERGY), 7.2e7, 1e-3);
    assert_double_equal(qty("25", SF_DIM_RATE), 25.0 / 3600, 1e-15);
    assert_double_equal(qty("0.4", SF_DIM_CARBON), 0.4 / 3.6e6, 1e-18);
}

static void expect_qty_error(const char *text, sf_dim dim, double min, double max, const char *want)
{
    double x = -1;
    assert_false(sf_v_qty(&F.v, val(text), "speed", dim, min, max, false, &x));
    assert_double_equal(x, -1, 0);
    expect_only(&F.d, want);
}

static void test_values_wrong_units_and_ranges_are_reported(void **state)
{
    (void)state;
    expect_qty_error("3 kW", SF_DIM_TIME, 0, INFINITY, "t.yaml:3:10: speed: expected a duration, got '3 kW'");
    expect_qty_error("2 m", SF_DIM_SPEED, 0, INFINITY, "t.yaml:3:10: speed: expected a speed, got '2 m'");
    expect_qty_error("fast", SF_DIM_SPEED, 0, INFINITY,
                     "t.yaml:3:10: speed: expected a speed such as '1.5 m/s', got 'fast'");
    expect_qty_error("12 %", SF_DIM_SPEED, 0, INFINITY, "t.yaml:3:10: speed: expected a speed, got '12 %'");
    expect_qty_error("25 m/s", SF_DIM_SPEED, 0, 20, "t.yaml:3:10: speed must be between 0 m/s and 20 m/s, got '25 m/s'");
    expect_qty_error("-1 m/s", SF_DIM_SPEED, 0, INFINITY, "t.yaml:3:10: speed must be at least 0 m/s, got '-1 m/s'");
    expect_qty_error("0.2", SF_DIM_TARIFF, 0, INFINITY,
                     "t.yaml:3:10: speed: expected an energy price with its unit, such as '0.18 EUR/kWh', got '0.2'");
    {
        double x;
        assert_false(sf_v_qty(&F.v, val("0 m/s"), "speed", SF_DIM_SPEED, 0, 20, true, &x));
        expect_only(&F.d, "t.yaml:3:10: speed must be greater than 0 m/s and at most 20 m/s, got '0 m/s'");
    }
}

static void test_values_durations_are_integer_nanoseconds(void **state)
{
    sf_time t = 0;
    (void)state;
    assert_true(sf_v_duration(&F.v, val("2.5 min"), "d", &t));
    assert_int_equal(t, 150 * SF_SECOND);
    assert_true(sf_v_duration(&F.v, val("250 ms"), "d", &t));
    assert_int_equal(t, 250 * SF_MS);
    assert_false(sf_v_duration(&F.v, val("-5 s"), "warmup", &t));
    expect_only(&F.d, "t.yaml:3:10: warmup must be at least 0 s, got '-5 s'");
    assert_false(sf_v_duration(&F.v, val("1e12 h"), "horizon", &t));
    expect_only(&F.d, "t.yaml:3:10: horizon: '1e12 h' is longer than a simulation can run (about 292 years)");
}

/* YAML 1.1 reads 06:00 as the base-60 number 360; a clock field reads it as six o'clock. */
static void test_values_clock_times_are_not_sexagesimal(void **state)
{
    sf_time t = 0;
    (void)state;
    assert_true(sf_v_clock(&F.v, val("06:00"), "start", &t));
    assert_int_equal(t, 6 * SF_HOUR);
    assert_true(sf_v_clock(&F.v, val("6:30"), "start", &t));
    assert_int_equal(t, 6 * SF_HOUR + 30 * SF_MINUTE);
    assert_true(sf_v_clock(&F.v, val("14:00:30"), "start", &t));
    assert_int_equal(t, 14 * SF_HOUR + 30 * SF_SECOND);
    assert_true(sf_v_clock(&F.v, val("24:00"), "end", &t));
    assert_int_equal(t, SF_DAY);
    assert_false(sf_v_clock(&F.v, val("25:00"), "end", &t));
    expect_only(&F.d, "t.yaml:3:10: end: expected a clock time from 00:00 to 24:00 such as '06:30', got '25:00'");
    assert_false(sf_v_clock(&F.v, val("360"), "end", &t));
    assert_false(sf_v_clock(&F.v, val("6:60"), "end", &t));
}

/* `no` and `on` are switches only where a switch is expected; `0755` is decimal. */
static void test_values_yaml11_words_read_by_what_the_field_expects(void **state)
{
    bool b = true;
    int n = 0;
    const char *s = NULL;
    (void)state;
    assert_true(sf_v_bool(&F.v, val("no"), "trace", &b));
    assert_false(b);
    assert_true(sf_v_bool(&F.v, val("on"), "trace", &b));
    assert_true(b);
    assert_true(sf_v_bool(&F.v, val("Off"), "trace", &b));
    assert_false(b);
    assert_true(sf_v_bool(&F.v, val("YES"), "trace", &b));
    assert_true(b);
    assert_false(sf_v_bool(&F.v, val("maybe"), "trace", &b));
    expect_only(&F.d, "t.yaml:3:10: trace: expected true or false (or yes/no, on/off), got 'maybe'");
    assert_true(sf_v_string(&F.v, val("no"), "name", &s));
    assert_string_equal(s, "no");
    assert_true(sf_v_int(&F.v, val("0755"), "count", 0, 10000, &n));
    assert_int_equal(n, 755);
    assert_false(sf_v_int(&F.v, val("0x10"), "count", 0, 10000, &n));
    expect_only(&F.d, "t.yaml:3:10: count: expected a whole number, got '0x10'");
    assert_false(sf_v_int(&F.v, val("2.5"), "count", 0, 10000, &n));
    assert_false(sf_v_int(&F.v, val("0"), "count", 1, 100, &n));
    expect_only(&F.d, "t.yaml:3:10: count must be between 1 and 100, got 0");
    assert_int_equal(n, 755);
}

static void test_values_fractions_accept_percent(void **state)
{
    double x = 0;
    (void)state;
    assert_true(sf_v_fraction(&F.v, val("12 %"), "scrap", &x));
    assert_double_equal(x, 0.12, 1e-15);
    assert_true(sf_v_fraction(&F.v, val("0.02"), "scrap", &x));
    assert_double_equal(x, 0.02, 1e-15);
    assert_false(sf_v_fraction(&F.v, val("150 %"), "scrap", &x));
    expect_only(&F.d, "t.yaml:3:10: scrap must be between 0 and 1 (0 % and 100 %), got '150 %'");
}

static sf_dist dist(const char *text, sf_dim dim)
{
    sf_dist d;
    memset(&d, 0, sizeof d);
    if (!sf_v_dist(&F.v, val(text), "time", dim, &d)) {
        dump_diags(&F.d);
        fail_msg("'%s' should read as a distribution", text);
    }
    return d;
}

static void test_values_distributions_read_in_si_units(void **state)
{
    sf_dist d;
    (void)state;
    d = dist("exp(2 min)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_EXPONENTIAL);
    assert_double_equal(sf_dist_mean(&d), 120, 1e-9);
    d = dist("tri(40 s, 45 s, 55 s)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_TRIANGULAR);
    assert_double_equal(sf_dist_mean(&d), (40 + 45 + 55) / 3.0, 1e-9);
    d = dist("norm(10 s, 2 s)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_NORMAL);
    assert_double_equal(sf_dist_mean(&d), 10, 1e-12);
    assert_double_equal(sf_dist_variance(&d), 4, 1e-12);
    d = dist("lognorm(3 min, 40 s)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_LOGNORMAL);
    assert_double_equal(sf_dist_mean(&d), 180, 1e-6);
    d = dist("uniform(10 min, 30 min)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_UNIFORM);
    assert_double_equal(sf_dist_mean(&d), 1200, 1e-9);
    d = dist("weibull(1.5, 40 h)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_WEIBULL);
    assert_double_equal(sf_dist_mean(&d), 144000 * tgamma(1 + 1 / 1.5), 1e-6);
    d = dist("pert(1 min, 2 min, 6 min)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_PERT);
    assert_double_equal(sf_dist_mean(&d), 60 * (1 + 4 * 2 + 6) / 6.0, 1e-9);
    d = dist("gamma(2, 30 s)", SF_DIM_TIME);
    assert_double_equal(sf_dist_mean(&d), 60, 1e-9);
    d = dist("erlang(3, 90 s)", SF_DIM_TIME);
    assert_double_equal(sf_dist_mean(&d), 90, 1e-9);
    d = dist("truncnorm(10 s, 2 s, 5 s, 15 s)", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_TRUNCNORMAL);
    d = dist("45 s", SF_DIM_TIME);
    assert_int_equal(d.kind, SF_DIST_CONSTANT);
    assert_double_equal(sf_dist_mean(&d), 45, 0);
    d = dist("2 min", SF_DIM_TIME);
    assert_double_equal(sf_dist_mean(&d), 120, 0);
    d = dist("const(30)", SF_DIM_TIME);
    assert_double_equal(sf_dist_mean(&d), 30, 0);
    d = dist("  exp( 30 )  ", SF_DIM_TIME);
    assert_double_equal(sf_dist_mean(&d), 30, 1e-12);
    d = dist("norm(2 m/s, 0.1 m/s)", SF_DIM_SPEED);
    assert_double_equal(sf_dist_mean(&d), 2, 1e-12);
}

static void expect_dist_error(const char *text, const char *want)
{
    sf_dist d;
    assert_false(sf_v_dist(&F.v, val(text), "time", SF_DIM_TIME, &d));
    expect_only(&F.d, want);
}

/* Problems inside a distribution point at the argument (column 10 is the value's first character). */
static void test_values_distribution_errors_point_into_the_value(void **state)
{
    (void)state;
    expect_dist_error("tri(40 s, 45 s, 3 kW)", "t.yaml:3:26: time: tri argument 3: expected a duration, got '3 kW'");
    expect_dist_error("nrom(10 s, 2 s)", "t.yaml:3:10: time: unknown distribution 'nrom'; did you mean 'norm'?");
    expect_dist_error("zipf(3)",
                      "t.yaml:3:10: time: unknown distribution 'zipf'; known: const, uniform, exp, norm, truncnorm, "
                      "lognorm, tri, gamma, erlang, weibull, pert, bernoulli");
    expect_dist_error("exp(1 s, 2 s)", "t.yaml:3:19: time: exp takes 1 argument, got more");
    expect_dist_error("norm(1 s)", "t.yaml:3:10: time: norm takes 2 arguments, got 1");
    expect_dist_error("exp(2 min", "t.yaml:3:19: time: missing ')' in 'exp(2 min' (inside { } or [ ] a comma ends "
                                   "the value: quote it, \"tri(40 s, 45 s, 55 s)\")");
    expect_dist_error("exp(2 min) x", "t.yaml:3:21: time: unexpected 'x' after the distribution");
    expect_dist_error("3 kW", "t.yaml:3:10: time: expected a duration, got '3 kW', or a distribution such as 'exp(2 min)'");
}

/* Parameters are checked by core/dist.c's constructors, whose messages are passed on. */
static void test_values_distribution_parameters_are_checked(void **state)
{
    sf_dist d;
    char want[400], err[SF_DIST_ERRLEN];
    (void)state;
    assert_false(sf_v_dist(&F.v, val("tri(50 s, 45 s, 40 s)"), "time", SF_DIM_TIME, &d));
    assert_int_equal(sf_dist_triangular(&d, 50, 45, 40, err), SF_EINVAL);
    snprintf(want, sizeof want, "t.yaml:3:10: time: %s", err);
    expect_only(&F.d, want);
    assert_false(sf_v_dist(&F.v, val("norm(10 s, -2 s)"), "time", SF_DIM_TIME, &d));
    assert_int_equal(sf_dist_normal(&d, 10, -2, err), SF_EINVAL);
    snprintf(want, sizeof want, "t.yaml:3:10: time: %s", err);
    expect_only(&F.d, want);
    assert_false(sf_v_dist(&F.v, val("erlang(2.5, 1 min)"), "time", SF_DIM_TIME, &d));
    expect_only(&F.d, "t.yaml:3:10: time: erlang: phases must be a whole number from 1 to 1000, got 2.5");
}

static void test_values_table_distributions_read_from_mappings(void **state)
{
    sf_ydoc doc = {0};
    sf_diags d;
    sf_dist x;
    (void)state;
    sf_diags_init(&d);
    const char *text = "e: {empirical: [[10 s, 0], [20 s, 0.5], [40 s, 1]]}\n"
                       "k: {discrete: [[1 min, 3], [2 min, 1]]}\n"
                       "bad: {empirical: [[10 s, 0.5], [5 s, 1]]}\n";
    assert_true(sf_ydoc_parse(&doc, "t.yaml", text, strlen(text), &d));
    assert_true(sf_v_dist(&F.v, sf_ynode_get(doc.root, "e", NULL), "time", SF_DIM_TIME, &x));
    assert_int_equal(x.kind, SF_DIST_EMPIRICAL);
    assert_double_equal(sf_dist_mean(&x), 0.5 * 15 + 0.5 * 30, 1e-9);
    sf_dist_close(&x);
    assert_true(sf_v_dist(&F.v, sf_ynode_get(doc.root, "k", NULL), "time", SF_DIM_TIME, &x));
    assert_int_equal(x.kind, SF_DIST_DISCRETE);
    assert_double_equal(sf_dist_mean(&x), 0.75 * 60 + 0.25 * 120, 1e-9);
    sf_dist_close(&x);
    assert_false(sf_v_dist(&F.v, sf_ynode_get(doc.root, "bad", NULL), "time", SF_DIM_TIME, &x));
    assert_int_equal(F.d.n, 1);
    assert_int_equal(F.d.v[0].line, 3);
    assert_int_equal(F.d.v[0].col, 18);
    sf_ydoc_close(&doc);
    sf_diags_close(&d);
}

static void test_values_unknown_keys_suggest_the_nearest(void **state)
{
    static const char *const keys[] = {"speed", "speed_loaded", "count", NULL};
    (void)state;
    assert_string_equal(sf_v_nearest("sped", keys, 3), "speed");
    assert_string_equal(sf_v_nearest("Count", keys, 3), "count");
    assert_string_equal(sf_v_nearest("speedloaded", keys, 3), "speed_loaded");
    assert_null(sf_v_nearest("battery", keys, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values_quantities_convert_to_si, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_bare_numbers_take_the_default_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_wrong_units_and_ranges_are_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_durations_are_integer_nanoseconds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_clock_times_are_not_sexagesimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_yaml11_words_read_by_what_the_field_expects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_fractions_accept_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_distributions_read_in_si_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_distribution_errors_point_into_the_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_distribution_parameters_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_table_distributions_read_from_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_unknown_keys_suggest_the_nearest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
