/* Simulated time: checked conversions, overflow, parsing and formatting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/time.h"

static void test_time_seconds_round_trip_to_the_nanosecond(void **state)
{
    sf_time t;
    (void)state;
    assert_int_equal(sf_time_from_seconds(1.5, &t), SF_OK);
    assert_int_equal(t, 1500000000);
    assert_int_equal(sf_time_from_seconds(-2.25, &t), SF_OK);
    assert_int_equal(t, -2250000000);
    assert_int_equal(sf_time_from_seconds(1e-9, &t), SF_OK);
    assert_int_equal(t, 1);
    assert_int_equal(sf_time_from_seconds(0.4e-9, &t), SF_OK); /* rounds to nearest */
    assert_int_equal(t, 0);
    assert_int_equal(sf_time_from_seconds(0.6e-9, &t), SF_OK);
    assert_int_equal(t, 1);
    assert_true(sf_time_to_seconds(1500000000) == 1.5);
    assert_true(sf_time_to_seconds(-1) == -1e-9);
    /* whole seconds stay exact far beyond 2^53 ns */
    assert_true(sf_time_to_seconds(9000000000 * SF_SECOND) == 9e9);
}

static void test_time_conversion_detects_overflow(void **state)
{
    sf_time t = 12345;
    (void)state;
    assert_int_equal(sf_time_from_seconds(9.3e9, &t), SF_ERANGE); /* > 292 years */
    assert_int_equal(sf_time_from_seconds(-9.3e9, &t), SF_ERANGE);
    assert_int_equal(sf_time_from_seconds(9223372036.854775807, &t), SF_ERANGE); /* rounds to 2^63 */
    assert_int_equal(sf_time_from_seconds(NAN, &t), SF_ERANGE);
    assert_int_equal(sf_time_from_seconds(INFINITY, &t), SF_ERANGE);
    assert_int_equal(t, 12345); /* untouched on error */
    assert_int_equal(sf_time_from_seconds(9223372036.0, &t), SF_OK);
    assert_int_equal(t, 9223372036000000000);
}

static void test_time_arithmetic_detects_overflow(void **state)
{
    sf_time t;
    (void)state;
    assert_int_equal(sf_time_add(SF_TIME_MAX, 1, &t), SF_ERANGE);
    assert_int_equal(sf_time_add(SF_TIME_MIN, -1, &t), SF_ERANGE);
    assert_int_equal(sf_time_add(SF_TIME_MAX - 5, 5, &t), SF_OK);
    assert_int_equal(t, SF_TIME_MAX);
    assert_int_equal(sf_time_mul(SF_DAY, 106751, &t), SF_OK);
    assert_int_equal(sf_time_mul(SF_DAY, 106752, &t), SF_ERANGE);
    assert_int_equal(sf_time_mul(-1, SF_TIME_MIN, &t), SF_ERANGE);
}

static void test_time_parse_reads_units(void **state)
{
    sf_time t;
    (void)state;
    assert_int_equal(sf_time_parse("90", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, 90 * SF_SECOND);
    assert_int_equal(sf_time_parse("90 s", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, 90 * SF_SECOND);
    assert_int_equal(sf_time_parse("2.5 min", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, 150 * SF_SECOND);
    assert_int_equal(sf_time_parse("8h", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, 8 * SF_HOUR);
    assert_int_equal(sf_time_parse(" 1 d ", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, SF_DAY);
    assert_int_equal(sf_time_parse("250 ms", SF_SECOND, false, &t), SF_OK);
    assert_int_equal(t, 250 * SF_MS);
    assert_int_equal(sf_time_parse("3", SF_MINUTE, false, &t), SF_OK); /* bare number: default unit */
    assert_int_equal(t, 3 * SF_MINUTE);
}

static void test_time_parse_rejects_bad_text(void **state)
{
    sf_time t = 7;
    (void)state;
    assert_int_equal(sf_time_parse("3 kW", SF_SECOND, false, &t), SF_EUNIT);
    assert_int_equal(sf_time_parse("ten s", SF_SECOND, false, &t), SF_EPARSE);
    assert_int_equal(sf_time_parse("5 fortnights", SF_SECOND, false, &t), SF_EPARSE);
    assert_int_equal(sf_time_parse("", SF_SECOND, false, &t), SF_EPARSE);
    assert_int_equal(sf_time_parse("-5 s", SF_SECOND, false, &t), SF_ERANGE);
    assert_int_equal(sf_time_parse("1e300 h", SF_SECOND, false, &t), SF_ERANGE);
    assert_int_equal(sf_time_parse("nan", SF_SECOND, false, &t), SF_EPARSE);
    assert_int_equal(sf_time_parse("inf s", SF_SECOND, false, &t), SF_EPARSE);
    assert_int_equal(t, 7);
    assert_int_equal(sf_time_parse("-5 s", SF_SECOND, true, &t), SF_OK);
    assert_int_equal(t, -5 * SF_SECOND);
}

static void test_time_format_shows_days_and_fractions(void **state)
{
    char buf[64];
    (void)state;
    sf_time_format(0, buf, sizeof buf);
    assert_string_equal(buf, "00:00:00");
    sf_time_format(SF_HOUR + 23 * SF_MINUTE + 45 * SF_SECOND, buf, sizeof buf);
    assert_string_equal(buf, "01:23:45");
    sf_time_format(2 * SF_DAY + 3 * SF_HOUR + 500 * SF_MS, buf, sizeof buf);
    assert_string_equal(buf, "2d 03:00:00.500");
    sf_time_format(-90 * SF_SECOND, buf, sizeof buf);
    assert_string_equal(buf, "-00:01:30");
    sf_time_format(SF_TIME_MIN, buf, sizeof buf);
    assert_string_equal(buf, "-106751d 23:47:16.854");
    assert_int_equal(sf_time_format(SF_HOUR, buf, 4), 8); /* truncated, snprintf-style length */
    assert_string_equal(buf, "01:");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_seconds_round_trip_to_the_nanosecond),
        cmocka_unit_test(test_time_conversion_detects_overflow),
        cmocka_unit_test(test_time_arithmetic_detects_overflow),
        cmocka_unit_test(test_time_parse_reads_units),
        cmocka_unit_test(test_time_parse_rejects_bad_text),
        cmocka_unit_test(test_time_format_shows_days_and_fractions),
    };
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
