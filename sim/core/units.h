/*
 * units.h: quantities with units, as planners write them.
 *
 * "90 s", "2.5 min", "1.2 m/s", "0.5 m/s^2", "3.5 kW", "20 kWh",
 * "0.4 kg/kWh", "0.18 EUR/kWh", "25 /h", "12 %". A quantity is parsed to
 * its SI value and a dimension. Dimensions are exponent vectors over five
 * bases, second, metre, kilogram, joule and currency (energy is kept as
 * its own base so that power is J/s and a tariff is EUR/J), so any unit
 * built from the table by '/' and '^' is understood and checked.
 *
 * SI values: time in s, length in m, mass in kg, energy in J, power in W,
 * rates in 1/s, prices in currency/J or currency/s. A model has one
 * currency, SF_CURRENCY: costs of every kind are summed into one total,
 * so any other currency is an unknown unit, not a number to add.
 */
#ifndef SF_CORE_UNITS_H
#define SF_CORE_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* The currency of every cost in a model (the only one the unit table knows). */
#define SF_CURRENCY "EUR"

typedef int32_t sf_dim;

/* Pack exponents (-8..7 each) of s, m, kg, J, currency. */
#define SF_DIM(s, m, kg, j, cur) \
    ((sf_dim)((((s) + 8) << 16) | (((m) + 8) << 12) | (((kg) + 8) << 8) | (((j) + 8) << 4) | ((cur) + 8)))

#define SF_DIM_NONE SF_DIM(0, 0, 0, 0, 0)
#define SF_DIM_TIME SF_DIM(1, 0, 0, 0, 0)
#define SF_DIM_LENGTH SF_DIM(0, 1, 0, 0, 0)
#define SF_DIM_SPEED SF_DIM(-1, 1, 0, 0, 0)
#define SF_DIM_ACCEL SF_DIM(-2, 1, 0, 0, 0)
#define SF_DIM_MASS SF_DIM(0, 0, 1, 0, 0)
#define SF_DIM_ENERGY SF_DIM(0, 0, 0, 1, 0)
#define SF_DIM_POWER SF_DIM(-1, 0, 0, 1, 0)
#define SF_DIM_RATE SF_DIM(-1, 0, 0, 0, 0)
#define SF_DIM_CURRENCY SF_DIM(0, 0, 0, 0, 1)
#define SF_DIM_CARBON SF_DIM(0, 0, 1, -1, 0)    /* kg per J (written kg/kWh) */
#define SF_DIM_TARIFF SF_DIM(0, 0, 0, -1, 1)    /* currency per J (written EUR/kWh) */
#define SF_DIM_COST_RATE SF_DIM(-1, 0, 0, 0, 1) /* currency per s (written EUR/h) */
#define SF_DIM_DEMAND_CHARGE SF_DIM(1, 0, 0, -1, 1) /* currency per W (written EUR/kW) */
#define SF_DIM_ANY ((sf_dim)-1)                 /* accept any dimension */

typedef struct sf_quantity {
    double value;     /* in SI units of `dim` */
    sf_dim dim;       /* SF_DIM_NONE for a bare number or a percentage */
    char currency[4]; /* SF_CURRENCY when the unit has a currency, else "" */
} sf_quantity;

/*
 * Parse `text` as a number optionally followed by a unit. `expected` is
 * the dimension the caller wants, or SF_DIM_ANY. A bare number always
 * succeeds with dim SF_DIM_NONE: the caller applies its default unit.
 * Returns SF_OK, SF_EPARSE (not a number, unknown unit) or SF_EUNIT (a
 * unit of another dimension; q->dim then tells which).
 */
int sf_units_parse(const char *text, sf_dim expected, sf_quantity *q);

/* A currency code in `text` that is not SF_CURRENCY (copied to code): for the message of a failed parse. */
bool sf_units_foreign_currency(const char *text, char code[4]);

/* What a dimension is called in messages: "duration", "speed", ...; "quantity in s^-1 m" otherwise. */
const char *sf_dim_name(sf_dim dim, char *buf, int n);

/* The SI unit of a dimension, as written in reports ("s", "m/s", "W"). */
const char *sf_dim_si_unit(sf_dim dim);

#endif
