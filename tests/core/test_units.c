/* Quantities with units: SI values, dimensions, and wrong kinds of unit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/units.h"

static void expect(const char *text, sf_dim dim, double si)
{
    sf_quantity q;
    int rc = sf_units_parse(text, dim, &q);
    if (rc != SF_OK)
        fail_msg("'%s': %s", text, sf_strerror(rc));
    assert_int_equal(q.dim, dim);
    if (fabs(q.value - si) > 1e-12 * fabs(si))
        fail_msg("'%s': got %.17g, expected %.17g", text, q.value, si);
}

static void test_units_convert_to_si(void **state)
{
    (void)state;
    expect("1.2 m/s", SF_DIM_SPEED, 1.2);
    expect("0.5 m/s^2", SF_DIM_ACCEL, 0.5);
    expect("3.5 kW", SF_DIM_POWER, 3500);
    expect("20 kWh", SF_DIM_ENERGY, 7.2e7);
    expect("0.4 kg/kWh", SF_DIM_CARBON, 0.4 / 3.6e6);
    expect("0.18 EUR/kWh", SF_DIM_TARIFF, 0.18 / 3.6e6);
    expect("25 /h", SF_DIM_RATE, 25.0 / 3600);
    expect("25/h", SF_DIM_RATE, 25.0 / 3600);
    expect("36 EUR/h", SF_DIM_COST_RATE, 0.01);
    expect("3.6 km/h", SF_DIM_SPEED, 1.0);
    expect("250 mm", SF_DIM_LENGTH, 0.25);
    expect("1.5 t", SF_DIM_MASS, 1500);
    expect("90 s", SF_DIM_TIME, 90);
    expect("2.5 min", SF_DIM_TIME, 150);
}

static void test_units_bare_numbers_and_percentages_have_no_dimension(void **state)
{
    sf_quantity q;
    (void)state;
    assert_int_equal(sf_units_parse("42", SF_DIM_POWER, &q), SF_OK);
    assert_int_equal(q.dim, SF_DIM_NONE);
    assert_true(q.value == 42);
    assert_int_equal(sf_units_parse("12.5 %", SF_DIM_NONE, &q), SF_OK);
    assert_true(fabs(q.value - 0.125) < 1e-15);
    assert_int_equal(sf_units_parse("12 %", SF_DIM_TIME, &q), SF_EUNIT);
}

static void test_units_wrong_kind_is_reported_with_what_was_found(void **state)
{
    sf_quantity q;
    char buf[96];
    (void)state;
    assert_int_equal(sf_units_parse("3 kW", SF_DIM_TIME, &q), SF_EUNIT);
    assert_int_equal(q.dim, SF_DIM_POWER);
    assert_string_equal(sf_dim_name(SF_DIM_TIME, buf, sizeof buf), "duration");
    assert_string_equal(sf_dim_name(q.dim, buf, sizeof buf), "power");
    assert_string_equal(sf_dim_name(SF_DIM(2, 0, 0, 0, 0), buf, sizeof buf),
                        "quantity in s^2 m^0 kg^0 J^0 money^0");
}

static void test_units_reject_malformed_text(void **state)
{
    sf_quantity q;
    (void)state;
    assert_int_equal(sf_units_parse("kW", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("3 parsecs", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("3 m/s/s", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("3 m^99", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("0x10 s", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("3 s extra", SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse(NULL, SF_DIM_ANY, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("1e999", SF_DIM_ANY, &q), SF_ERANGE);
}

static void test_units_keep_the_currency(void **state)
{
    sf_quantity q;
    (void)state;
    assert_int_equal(sf_units_parse("0.21 EUR/kWh", SF_DIM_TARIFF, &q), SF_OK);
    assert_string_equal(q.currency, "EUR");
    assert_int_equal(sf_units_parse("5 m", SF_DIM_LENGTH, &q), SF_OK);
    assert_string_equal(q.currency, "");
}

/* Costs are summed into one total: a second currency would be added as if it were EUR. */
static void test_units_know_only_the_model_currency(void **state)
{
    sf_quantity q;
    char code[4];
    (void)state;
    assert_int_equal(sf_units_parse("0.2 USD/kWh", SF_DIM_TARIFF, &q), SF_EPARSE);
    assert_int_equal(sf_units_parse("35 GBP/h", SF_DIM_COST_RATE, &q), SF_EPARSE);
    assert_true(sf_units_foreign_currency("0.2 USD/kWh", code));
    assert_string_equal(code, "USD");
    assert_false(sf_units_foreign_currency("0.2 EUR/kWh", code));
    assert_false(sf_units_foreign_currency("0.2 kWh", code));
    assert_false(sf_units_foreign_currency("3 MWh", code));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_convert_to_si),
        cmocka_unit_test(test_units_bare_numbers_and_percentages_have_no_dimension),
        cmocka_unit_test(test_units_wrong_kind_is_reported_with_what_was_found),
        cmocka_unit_test(test_units_reject_malformed_text),
        cmocka_unit_test(test_units_keep_the_currency),
        cmocka_unit_test(test_units_know_only_the_model_currency),
    };
    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
