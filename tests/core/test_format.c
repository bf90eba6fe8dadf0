/* Numbers and fields of data files: shortest round-trip doubles, CSV and JSON fields. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/format.h"

static const char *fmt(double v)
{
    static char buf[SF_FORMAT_DOUBLE_SIZE];
    return sf_format_double(v, buf);
}

/* Whatever sf_format_double prints reads back as the same bits and is no longer than %.17g. */
static void check_round_trip(double v)
{
    char buf[SF_FORMAT_DOUBLE_SIZE], full[64];
    double back;

    sf_format_double(v, buf);
    back = strtod(buf, NULL);
    snprintf(full, sizeof full, "%.17g", v);
    if (memcmp(&back, &v, sizeof v) != 0)
        fail_msg("%s reads back as %.17g, not %s", buf, back, full);
    if (strlen(buf) > strlen(full))
        fail_msg("%s is longer than %%.17g's %s", buf, full);
}

static void test_format_short_decimals_stay_short(void **state)
{
    (void)state;
    assert_string_equal(fmt(528.5), "528.5");
    assert_string_equal(fmt(0.1), "0.1");
    assert_string_equal(fmt(2.2), "2.2");
    assert_string_equal(fmt(-1234.5678), "-1234.5678");
    assert_string_equal(fmt(1e-7), "1e-07");
    assert_string_equal(fmt(6.02214076e23), "6.02214076e+23");
}

static void test_format_noisy_values_keep_the_digits_they_need(void **state)
{
    (void)state;
    /* the double next to 528.5, which %.17g writes 528.50000000000011 */
    assert_string_equal(fmt(nextafter(528.5, 1000)), "528.5000000000001");
    assert_string_equal(fmt(1.0 / 3), "0.3333333333333333");
    assert_string_equal(fmt(2.0 / 3), "0.6666666666666666");
    assert_string_equal(fmt(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(fmt(DBL_MAX), "1.7976931348623157e+308");
    assert_string_equal(fmt(DBL_MIN), "2.2250738585072014e-308");
}

static void test_format_extremes_and_signs(void **state)
{
    (void)state;
    /* the smallest subnormal: 15 digits already name it */
    assert_string_equal(fmt(ldexp(1, -1074)), "4.94065645841247e-324");
    assert_string_equal(fmt(-0.0), "-0");
    assert_true(signbit(strtod(fmt(-0.0), NULL)));
    assert_string_equal(fmt(0.0), "0");
    assert_string_equal(fmt(NAN), "nan");
    assert_string_equal(fmt(INFINITY), "inf");
    assert_string_equal(fmt(-INFINITY), "-inf");
    check_round_trip(ldexp(1, -1074));
    check_round_trip(-ldexp(1, -1074));
    check_round_trip(DBL_MAX);
    check_round_trip(-DBL_MAX);
    check_round_trip(DBL_MIN);
    check_round_trip(nextafter(DBL_MIN, 0));
}

static void test_format_integers_are_plain(void **state)
{
    (void)state;
    assert_string_equal(fmt(42), "42");
    assert_string_equal(fmt(-7), "-7");
    assert_string_equal(fmt(28800), "28800");
    assert_string_equal(fmt(123456789012345.0), "123456789012345");
    assert_string_equal(fmt(9007199254740992.0), "9007199254740992"); /* 2^53 */
    assert_string_equal(fmt(1e15), "1e+15");
    assert_string_equal(fmt(1e300), "1e+300");
    /* 15 and 16 digits would switch to an exponent and be longer than the 17 plain ones */
    assert_string_equal(fmt(12345678901234560.0), "12345678901234560");
    for (int64_t i = -100000; i <= 100000; i += 7)
        check_round_trip((double)i);
}

/* SplitMix64: a fixed-seed stream of bit patterns, so a failure names its double and repeats. */
static uint64_t next_bits(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void test_format_random_doubles_round_trip(void **state)
{
    uint64_t s = 20240601;
    size_t n = 0;
    (void)state;
    while (n < 300000) {
        uint64_t bits = next_bits(&s);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        check_round_trip(v);
        n++;
    }
    /* values a run produces: sums and ratios near the exponent switch at 1e15..1e17, and decimals */
    for (int i = 0; i < 100000; i++) {
        double u = (double)(next_bits(&s) >> 11) / 9007199254740992.0;
        check_round_trip(1e15 + u * 99e15);
        check_round_trip(u * 1000);
        check_round_trip(round(u * 1e6) / 1e3);
    }
}

/* What a writer puts in a stream, as a string. */
static const char *written(void (*put)(FILE *, const char *), void (*num)(FILE *, double), const char *s, double v)
{
    static char buf[256];
    FILE *f = tmpfile();
    size_t n;

    assert_non_null(f);
    if (put)
        put(f, s);
    else
        num(f, v);
    rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_csv_fields_are_quoted_only_when_rfc4180_needs_it(void **state)
{
    (void)state;
    assert_string_equal(written(sf_csv_field, NULL, "forklift.1", 0), "forklift.1");
    assert_string_equal(written(sf_csv_field, NULL, "", 0), "");
    assert_string_equal(written(sf_csv_field, NULL, " edge spaces ", 0), " edge spaces ");
    assert_string_equal(written(sf_csv_field, NULL, "a,b", 0), "\"a,b\"");
    assert_string_equal(written(sf_csv_field, NULL, "say \"hi\"", 0), "\"say \"\"hi\"\"\"");
    assert_string_equal(written(sf_csv_field, NULL, "two\nlines", 0), "\"two\nlines\"");
    assert_string_equal(written(sf_csv_field, NULL, "cr\r", 0), "\"cr\r\"");
}

static void test_csv_numbers_are_plain_and_empty_when_not_finite(void **state)
{
    (void)state;
    assert_string_equal(written(NULL, sf_csv_num, NULL, 528.5), "528.5");
    assert_string_equal(written(NULL, sf_csv_num, NULL, 0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(written(NULL, sf_csv_num, NULL, -0.0), "-0");
    assert_string_equal(written(NULL, sf_csv_num, NULL, NAN), "");
    assert_string_equal(written(NULL, sf_csv_num, NULL, INFINITY), "");
    assert_string_equal(written(NULL, sf_csv_num, NULL, -INFINITY), "");
}

static void test_json_strings_are_escaped_and_numbers_null_when_not_finite(void **state)
{
    (void)state;
    assert_string_equal(written(sf_json_string, NULL, "plain", 0), "\"plain\"");
    assert_string_equal(written(sf_json_string, NULL, "q\"b\\n\nt\t", 0), "\"q\\\"b\\\\n\\nt\\u0009\"");
    assert_string_equal(written(sf_json_string, NULL, NULL, 0), "\"\"");
    assert_string_equal(written(NULL, sf_json_num, NULL, 1.0 / 3), "0.3333333333333333");
    assert_string_equal(written(NULL, sf_json_num, NULL, 28800), "28800");
    assert_string_equal(written(NULL, sf_json_num, NULL, NAN), "null");
    assert_string_equal(written(NULL, sf_json_num, NULL, -INFINITY), "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_short_decimals_stay_short),
        cmocka_unit_test(test_format_noisy_values_keep_the_digits_they_need),
        cmocka_unit_test(test_format_extremes_and_signs),
        cmocka_unit_test(test_format_integers_are_plain),
        cmocka_unit_test(test_format_random_doubles_round_trip),
        cmocka_unit_test(test_csv_fields_are_quoted_only_when_rfc4180_needs_it),
        cmocka_unit_test(test_csv_numbers_are_plain_and_empty_when_not_finite),
        cmocka_unit_test(test_json_strings_are_escaped_and_numbers_null_when_not_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
