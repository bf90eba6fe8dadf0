#include "core/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct unit {
    const char *name;
    double factor; /* SI value of one of it */
    sf_dim dim;
};

static const struct unit units[] = {
    {"ns", 1e-9, SF_DIM_TIME},
    {"us", 1e-6, SF_DIM_TIME},
    {"ms", 1e-3, SF_DIM_TIME},
    {"s", 1, SF_DIM_TIME},
    {"sec", 1, SF_DIM_TIME},
    {"second", 1, SF_DIM_TIME},
    {"seconds", 1, SF_DIM_TIME},
    {"min", 60, SF_DIM_TIME},
    {"minute", 60, SF_DIM_TIME},
    {"minutes", 60, SF_DIM_TIME},
    {"h", 3600, SF_DIM_TIME},
    {"hr", 3600, SF_DIM_TIME},
    {"hour", 3600, SF_DIM_TIME},
    {"hours", 3600, SF_DIM_TIME},
    {"d", 86400, SF_DIM_TIME},
    {"day", 86400, SF_DIM_TIME},
    {"days", 86400, SF_DIM_TIME},
    {"week", 604800, SF_DIM_TIME},
    {"weeks", 604800, SF_DIM_TIME},
    {"mm", 1e-3, SF_DIM_LENGTH},
    {"cm", 1e-2, SF_DIM_LENGTH},
    {"m", 1, SF_DIM_LENGTH},
    {"km", 1e3, SF_DIM_LENGTH},
    {"g", 1e-3, SF_DIM_MASS},
    {"kg", 1, SF_DIM_MASS},
    {"t", 1e3, SF_DIM_MASS},
    {"J", 1, SF_DIM_ENERGY},
    {"kJ", 1e3, SF_DIM_ENERGY},
    {"MJ", 1e6, SF_DIM_ENERGY},
    {"Wh", 3600, SF_DIM_ENERGY},
    {"kWh", 3.6e6, SF_DIM_ENERGY},
    {"MWh", 3.6e9, SF_DIM_ENERGY},
    {"W", 1, SF_DIM_POWER},
    {"kW", 1e3, SF_DIM_POWER},
    {"MW", 1e6, SF_DIM_POWER},
    {"Hz", 1, SF_DIM_RATE},
    /* The one currency: costs are summed into cost_total, so a second one would be added as if it were this. */
    {SF_CURRENCY, 1, SF_DIM_CURRENCY},
};

static int exponent(sf_dim d, int shift)
{
    return ((d >> shift) & 15) - 8;
}

/* d^p for p in {-2..2}; returns -1 when an exponent leaves the packable range. */
static sf_dim dim_pow_mul(sf_dim acc, sf_dim d, int p)
{
    int e[5], shifts[5] = {16, 12, 8, 4, 0};

    for (int i = 0; i < 5; i++) {
        e[i] = exponent(acc, shifts[i]) + p * exponent(d, shifts[i]);
        if (e[i] < -8 || e[i] > 7)
            return -1;
    }
    return SF_DIM(e[0], e[1], e[2], e[3], e[4]);
}

static const struct unit *lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, s, n) == 0)
            return &units[i];
    return NULL;
}

/*
 * One factor: NAME or NAME^K (K a small signed integer). `sign` is +1 in
 * the numerator and -1 after '/'. Multiplies into *factor and *dim.
 */
static int factor_term(const char **p, int sign, double *factor, sf_dim *dim, sf_quantity *q)
{
    const char *s = *p;
    const struct unit *u;
    size_t n = 0;
    long k = 1;

    while (isalpha((unsigned char)s[n]))
        n++;
    if (n == 0 || !(u = lookup(s, n)))
        return SF_EPARSE;
    s += n;
    if (*s == '^') {
        char *end;
        errno = 0;
        k = strtol(s + 1, &end, 10);
        if (end == s + 1 || errno || k < -4 || k > 4 || k == 0)
            return SF_EPARSE;
        s = end;
    }
    if (u->dim == SF_DIM_CURRENCY && q->currency[0] == '\0')
        memcpy(q->currency, u->name, 4);
    *factor *= pow(u->factor, (double)(sign * k));
    *dim = dim_pow_mul(*dim, u->dim, (int)(sign * k));
    if (*dim < 0)
        return SF_EPARSE;
    *p = s;
    return SF_OK;
}

int sf_units_parse(const char *text, sf_dim expected, sf_quantity *q)
{
    const char *s = text;
    char *end;
    double v, factor = 1;
    sf_dim dim = SF_DIM_NONE;
    int sign = 1, rc;

    memset(q, 0, sizeof *q);
    q->dim = SF_DIM_NONE;
    if (!text)
        return SF_EPARSE;
    while (isspace((unsigned char)*s))
        s++;
    /* strtod would also take "inf", "nan" and hex floats; planners write none of those. */
    if (!(isdigit((unsigned char)*s) || *s == '.' ||
          ((*s == '-' || *s == '+') && (isdigit((unsigned char)s[1]) || s[1] == '.'))))
        return SF_EPARSE;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return SF_EPARSE;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return errno == ERANGE ? SF_ERANGE : SF_EPARSE;
    s = end;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0') {
        q->value = v;
        return SF_OK;
    }
    if (*s == '%') {
        s++;
        while (isspace((unsigned char)*s))
            s++;
        if (*s)
            return SF_EPARSE;
        q->value = v / 100;
        return expected == SF_DIM_NONE || expected == SF_DIM_ANY ? SF_OK : SF_EUNIT;
    }
    /* unit := [term] ['/' term]; terms may be separated from '/' by spaces. */
    if (*s != '/') {
        if ((rc = factor_term(&s, 1, &factor, &dim, q)) != SF_OK)
            return rc;
        while (isspace((unsigned char)*s))
            s++;
    }
    if (*s == '/') {
        s++;
        sign = -1;
        while (isspace((unsigned char)*s))
            s++;
        if ((rc = factor_term(&s, sign, &factor, &dim, q)) != SF_OK)
            return rc;
        while (isspace((unsigned char)*s))
            s++;
    }
    if (*s != '\0')
        return SF_EPARSE;
    q->value = v * factor;
    q->dim = dim;
    if (!isfinite(q->value))
        return SF_ERANGE;
    if (expected != SF_DIM_ANY && dim != expected)
        return SF_EUNIT;
    return SF_OK;
}

const char *sf_dim_name(sf_dim dim, char *buf, int n)
{
    static const struct {
        sf_dim dim;
        const char *name;
    } names[] = {
        {SF_DIM_NONE, "plain number"},   {SF_DIM_TIME, "duration"},        {SF_DIM_LENGTH, "length"},
        {SF_DIM_SPEED, "speed"},         {SF_DIM_ACCEL, "acceleration"},   {SF_DIM_MASS, "mass"},
        {SF_DIM_ENERGY, "energy"},       {SF_DIM_POWER, "power"},          {SF_DIM_RATE, "rate"},
        {SF_DIM_CURRENCY, "amount of money"}, {SF_DIM_CARBON, "carbon intensity"},
        {SF_DIM_TARIFF, "energy price"}, {SF_DIM_COST_RATE, "cost per time"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].dim == dim)
            return names[i].name;
    snprintf(buf, (size_t)n, "quantity in s^%d m^%d kg^%d J^%d money^%d", exponent(dim, 16), exponent(dim, 12),
             exponent(dim, 8), exponent(dim, 4), exponent(dim, 0));
    return buf;
}

const char *sf_dim_si_unit(sf_dim dim)
{
    switch (dim) {
    case SF_DIM_TIME: return "s";
    case SF_DIM_LENGTH: return "m";
    case SF_DIM_SPEED: return "m/s";
    case SF_DIM_ACCEL: return "m/s^2";
    case SF_DIM_MASS: return "kg";
    case SF_DIM_ENERGY: return "J";
    case SF_DIM_POWER: return "W";
    case SF_DIM_RATE: return "/s";
    case SF_DIM_CURRENCY: return "money";
    case SF_DIM_CARBON: return "kg/J";
    case SF_DIM_TARIFF: return "money/J";
    case SF_DIM_COST_RATE: return "money/s";
    default: return "";
    }
}

/*
 * A currency code (three capital letters, the ISO 4217 form) in `text`
 * that the unit table does not know, so that a message can say "the
 * currency of this model is EUR" instead of "malformed". Copies it to
 * code and returns true; false when there is none.
 */
bool sf_units_foreign_currency(const char *text, char code[4])
{
    for (const char *s = text; s && *s; s++) {
        size_t n = 0;
        if (s != text && isalpha((unsigned char)s[-1]))
            continue;
        while (isupper((unsigned char)s[n]))
            n++;
        if (n == 3 && !isalpha((unsigned char)s[n]) && !lookup(s, n)) {
            memcpy(code, s, 3);
            code[3] = '\0';
            return true;
        }
    }
    return false;
}
