/*
 * quantity.c: field readers for values with units: quantities, fractions,
 * durations, clock times, points and distributions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/time.h"
#include "scenario/schema.h"

/* ---- quantities -------------------------------------------------------- */

/* What a bare number means for each dimension, and an example for messages. */
static const struct unit_default {
    sf_dim dim;
    double factor;     /* SI per bare unit; 0 = a unit is required */
    const char *unit;  /* the bare number's unit */
    const char *example;
} unit_defaults[] = {
    {SF_DIM_TIME, 1, "s", "'90 s' or '2 min'"},
    {SF_DIM_LENGTH, 1, "m", "'12.5 m'"},
    {SF_DIM_SPEED, 1, "m/s", "'1.5 m/s'"},
    {SF_DIM_ACCEL, 1, "m/s^2", "'0.5 m/s^2'"},
    {SF_DIM_MASS, 1, "kg", "'800 kg'"},
    {SF_DIM_POWER, 1000, "kW", "'3.5 kW'"},
    {SF_DIM_ENERGY, 3.6e6, "kWh", "'20 kWh'"},
    {SF_DIM_RATE, 1.0 / 3600, "/h", "'25 /h'"},
    {SF_DIM_CARBON, 1 / 3.6e6, "kg/kWh", "'0.4 kg/kWh'"},
    {SF_DIM_TARIFF, 0, NULL, "'0.18 EUR/kWh'"},
    {SF_DIM_COST_RATE, 0, NULL, "'35 EUR/h'"},
    {SF_DIM_NONE, 1, "", "'2.5'"},
};

static const struct unit_default *unit_default(sf_dim dim)
{
    for (size_t i = 0; i < sizeof unit_defaults / sizeof unit_defaults[0]; i++)
        if (unit_defaults[i].dim == dim)
            return &unit_defaults[i];
    return &unit_defaults[sizeof unit_defaults / sizeof unit_defaults[0] - 1];
}

/*
 * Parse one quantity `text` of dimension `dim` (a bare number in the
 * default unit). On failure writes the message (without a place) to err.
 */
static bool parse_qty(const char *text, sf_dim dim, double *out, char *currency, char *err, size_t errn)
{
    sf_quantity q;
    char name[96], code[4];
    const struct unit_default *u = unit_default(dim);
    int rc = sf_units_parse(text, SF_DIM_ANY, &q);

    if (rc == SF_OK && q.dim == SF_DIM_NONE && dim != SF_DIM_NONE) {
        if (strchr(text, '%')) {
            rc = SF_EUNIT;
        } else if (u->factor == 0) {
            const char *dn = sf_dim_name(dim, name, sizeof name);
            snprintf(err, errn, "expected a%s %s with its unit, such as %s, got '%s'",
                     strchr("aeiou", dn[0]) ? "n" : "", dn, u->example, text);
            return false;
        } else {
            *out = q.value * u->factor;
            return true;
        }
    }
    if (rc == SF_OK && q.dim != dim)
        rc = SF_EUNIT;
    if (rc == SF_EUNIT) {
        const char *dn = sf_dim_name(dim, name, sizeof name);
        snprintf(err, errn, "expected a%s %s, got '%s'", strchr("aeiou", dn[0]) ? "n" : "", dn, text);
        return false;
    }
    if (rc != SF_OK && sf_units_foreign_currency(text, code)) {
        snprintf(err, errn, "unknown currency %s in '%s': the currency of this model is " SF_CURRENCY, code, text);
        return false;
    }
    if (rc != SF_OK) {
        snprintf(err, errn, "expected a%s %s such as %s, got '%s'",
                 strchr("aeiou", sf_dim_name(dim, name, sizeof name)[0]) ? "n" : "",
                 sf_dim_name(dim, name, sizeof name), u->example, text);
        return false;
    }
    if (currency && q.currency[0])
        memcpy(currency, q.currency, 4);
    *out = q.value;
    return true;
}

/* "0 m/s" style bound for messages, in the bare unit of the dimension. */
static void bound(char *buf, size_t n, double si, sf_dim dim)
{
    const struct unit_default *u = unit_default(dim);
    if (u->factor != 0 && u->unit && *u->unit)
        snprintf(buf, n, "%g %s", si / u->factor, u->unit);
    else
        snprintf(buf, n, "%g", si);
}

static bool in_range(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, double x, double min, double max,
                     bool min_open)
{
    char lo[64], hi[64];
    bool low_ok = min_open ? x > min : x >= min;
    if (low_ok && x <= max)
        return true;
    bound(lo, sizeof lo, min, dim);
    bound(hi, sizeof hi, max, dim);
    if (isinf(max))
        sf_v_error(v, n, "%s must be %s %s, got '%s'", what, min_open ? "greater than" : "at least", lo, n->text);
    else if (isinf(min))
        sf_v_error(v, n, "%s must be at most %s, got '%s'", what, hi, n->text);
    else if (min_open)
        sf_v_error(v, n, "%s must be greater than %s and at most %s, got '%s'", what, lo, hi, n->text);
    else
        sf_v_error(v, n, "%s must be between %s and %s, got '%s'", what, lo, hi, n->text);
    return false;
}

/* A scalar that reads as `expected`: a number with a unit of dim, within its range. */
static bool read_qty(sf_vctx *v, const sf_ynode *n, const char *what, const char *expected, sf_dim dim, double min,
                     double max, bool min_open, double *out)
{
    char err[300];
    double x;
    if (!sf_v_scalar(v, n, what, expected))
        return false;
    if (!parse_qty(n->text, dim, &x, NULL, err, sizeof err)) {
        sf_v_error(v, n, "%s: %s", what, err);
        return false;
    }
    if (!in_range(v, n, what, dim, x, min, max, min_open))
        return false;
    *out = x;
    return true;
}

bool sf_v_qty(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, double min, double max, bool min_open,
              double *out)
{
    return !n || read_qty(v, n, what, "a quantity", dim, min, max, min_open, out);
}

bool sf_v_fraction(sf_vctx *v, const sf_ynode *n, const char *what, double *out)
{
    sf_quantity q;
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a fraction"))
        return false;
    if (sf_units_parse(n->text, SF_DIM_NONE, &q) != SF_OK) {
        sf_v_error(v, n, "%s: expected a fraction such as '0.12' or '12 %%', got '%s'", what, n->text);
        return false;
    }
    if (!(q.value >= 0 && q.value <= 1)) {
        sf_v_error(v, n, "%s must be between 0 and 1 (0 %% and 100 %%), got '%s'", what, n->text);
        return false;
    }
    *out = q.value;
    return true;
}

bool sf_v_duration(sf_vctx *v, const sf_ynode *n, const char *what, sf_time *out)
{
    double x;
    if (!n)
        return true;
    if (!read_qty(v, n, what, "a duration", SF_DIM_TIME, 0, INFINITY, false, &x))
        return false;
    if (sf_time_from_seconds(x, out) != SF_OK) {
        sf_v_error(v, n, "%s: '%s' is longer than a simulation can run (about 292 years)", what, n->text);
        return false;
    }
    return true;
}

/* "HH:MM" or "HH:MM:SS", hours 0..24; written so, YAML 1.1 would have read 06:00 as the number 360. */
static bool parse_clock(const char *s, sf_time *out)
{
    int h, m, sec = 0, used = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2)
        return false;
    if (s[used] == ':') {
        int more = 0;
        if (sscanf(s + used + 1, "%2d%n", &sec, &more) != 1)
            return false;
        used += 1 + more;
    }
    if (s[used] != '\0' || h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59 || h > 24 || (h == 24 && (m || sec)))
        return false;
    *out = h * SF_HOUR + m * SF_MINUTE + sec * SF_SECOND;
    return true;
}

bool sf_v_clock(sf_vctx *v, const sf_ynode *n, const char *what, sf_time *out)
{
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a clock time"))
        return false;
    if (!parse_clock(n->text, out)) {
        sf_v_error(v, n, "%s: expected a clock time from 00:00 to 24:00 such as '06:30', got '%s'", what, n->text);
        return false;
    }
    return true;
}

bool sf_v_point(sf_vctx *v, const sf_ynode *n, const char *what, double *x, double *y)
{
    char w[160];
    if (!n)
        return true;
    if (n->kind != SF_YSEQ || n->n != 2) {
        sf_v_error(v, n, "%s: expected a point [x, y] in metres, got %s", what, sf_ynode_what(n));
        return false;
    }
    snprintf(w, sizeof w, "%s x", what);
    bool ok = sf_v_qty(v, n->items[0], w, SF_DIM_LENGTH, -1e6, 1e6, false, x);
    snprintf(w, sizeof w, "%s y", what);
    return sf_v_qty(v, n->items[1], w, SF_DIM_LENGTH, -1e6, 1e6, false, y) && ok;
}

/* ---- distributions ----------------------------------------------------- */

/*
 * The grammar of a distribution written as a value:
 *   QUANTITY                       a constant
 *   NAME '(' ARG {',' ARG} ')'     NAME from the table below
 * Arguments are quantities of the field's dimension, except the shape
 * parameters (gamma, erlang and weibull's first), which are plain
 * numbers. Tables are mappings: {empirical: [[x, cum], ...]} and
 * {discrete: [[value, weight], ...]}.
 */
static const struct dist_form {
    const char *name;
    int nargs;
    unsigned shape; /* bit i: argument i is a plain number */
} dist_forms[] = {
    {"const", 1, 0},      {"uniform", 2, 0}, {"exp", 1, 0},     {"norm", 2, 0},       {"truncnorm", 4, 0},
    {"lognorm", 2, 0},    {"tri", 3, 0},     {"gamma", 2, 1},   {"erlang", 2, 1},     {"weibull", 2, 1},
    {"pert", 3, 0},       {"bernoulli", 1, 1},
};

static bool make_dist(const char *name, const double *a, sf_dist *d, char *err)
{
    if (!strcmp(name, "const")) return sf_dist_constant(d, a[0], err) == SF_OK;
    if (!strcmp(name, "uniform")) return sf_dist_uniform(d, a[0], a[1], err) == SF_OK;
    if (!strcmp(name, "exp")) return sf_dist_exponential(d, a[0], err) == SF_OK;
    if (!strcmp(name, "norm")) return sf_dist_normal(d, a[0], a[1], err) == SF_OK;
    if (!strcmp(name, "truncnorm")) return sf_dist_truncnormal(d, a[0], a[1], a[2], a[3], err) == SF_OK;
    if (!strcmp(name, "lognorm")) return sf_dist_lognormal(d, a[0], a[1], err) == SF_OK;
    if (!strcmp(name, "tri")) return sf_dist_triangular(d, a[0], a[1], a[2], err) == SF_OK;
    if (!strcmp(name, "gamma")) return sf_dist_gamma(d, a[0], a[1], err) == SF_OK;
    if (!strcmp(name, "erlang")) {
        if (a[0] != floor(a[0]) || a[0] < 1 || a[0] > 1000) {
            snprintf(err, SF_DIST_ERRLEN, "erlang: phases must be a whole number from 1 to 1000, got %g", a[0]);
            return false;
        }
        return sf_dist_erlang(d, (int)a[0], a[1], err) == SF_OK;
    }
    if (!strcmp(name, "weibull")) return sf_dist_weibull(d, a[0], a[1], err) == SF_OK;
    if (!strcmp(name, "pert")) return sf_dist_pert(d, a[0], a[1], a[2], err) == SF_OK;
    return sf_dist_bernoulli(d, a[0], err) == SF_OK;
}

static const char *const dist_names[] = {"const", "uniform", "exp", "norm", "truncnorm", "lognorm", "tri",
                                         "gamma", "erlang", "weibull", "pert", "bernoulli", NULL};

/* Column offset of text position `p` in a scalar, when the scalar's columns map to its text. */
static int text_col(const sf_ynode *n, const char *p)
{
    if (n->plain && n->line > 0 && !strchr(n->text, '\n'))
        return (int)(p - n->text);
    return 0;
}

static bool dist_table(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, sf_dist *out)
{
    const sf_ynode *t;
    bool empirical;
    double *x, *y;
    char err[SF_DIST_ERRLEN], w[200];
    static const char *const keys[] = {"empirical", "discrete", NULL};

    if (!sf_v_map(v, n, keys, what))
        return false;
    if (n->n != 1) {
        sf_v_error(v, n, "%s: a table distribution is either {empirical: [...]} or {discrete: [...]}", what);
        return false;
    }
    empirical = strcmp(n->keys[0]->text, "empirical") == 0;
    t = n->items[0];
    if (!sf_v_list(v, t, what))
        return false;
    if (t->n < (empirical ? 2u : 1u) || t->n > 100000) {
        sf_v_error(v, t, "%s: %s table needs %s rows, got %zu", what, empirical ? "an empirical" : "a discrete",
                   empirical ? "2 to 100000" : "1 to 100000", t->n);
        return false;
    }
    x = sf_v_alloc(v, t->n, sizeof *x);
    y = sf_v_alloc(v, t->n, sizeof *y);
    if (!x || !y)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        const sf_ynode *row = t->items[i];
        if (row->kind != SF_YSEQ || row->n != 2) {
            sf_v_error(v, row, "%s: each row is [%s], got %s", what,
                       empirical ? "value, cumulative probability" : "value, weight", sf_ynode_what(row));
            return false;
        }
        snprintf(w, sizeof w, "%s row %zu", what, i + 1);
        if (!sf_v_qty(v, row->items[0], w, dim, -INFINITY, INFINITY, false, &x[i]))
            return false;
        if (!(empirical ? sf_v_fraction(v, row->items[1], w, &y[i])
                        : sf_v_qty(v, row->items[1], w, SF_DIM_NONE, 0, INFINITY, false, &y[i])))
            return false;
    }
    if ((empirical ? sf_dist_empirical(out, x, y, t->n, err) : sf_dist_discrete(out, x, y, t->n, err)) != SF_OK) {
        sf_v_error(v, t, "%s: %s", what, err);
        return false;
    }
    return true;
}

/* The form named before '(' in `s`, or NULL after an error with the nearest known name. */
static const struct dist_form *dist_form(sf_vctx *v, const sf_ynode *n, const char *what, const char *s,
                                         const char *open)
{
    char name[16], list[300];
    const char *near;
    size_t len = (size_t)(open - s);

    while (len && s[len - 1] == ' ')
        len--;
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, s, len);
    name[len] = '\0';
    for (size_t i = 0; i < sizeof dist_forms / sizeof dist_forms[0]; i++)
        if (strcmp(dist_forms[i].name, name) == 0)
            return &dist_forms[i];
    near = sf_v_nearest(name, dist_names, sizeof dist_names / sizeof *dist_names - 1);
    sf_v_join(list, sizeof list, dist_names, sizeof dist_names / sizeof *dist_names - 1);
    if (near)
        sf_v_error_col(v, n, text_col(n, s), "%s: unknown distribution '%s'; did you mean '%s'?", what, name, near);
    else
        sf_v_error_col(v, n, text_col(n, s), "%s: unknown distribution '%s'; known: %s", what, name, list);
    return NULL;
}

/*
 * The arguments of form `f` from `p` (just after its '(') to its ')', as
 * quantities into a[]; *nargs counts them and *rest points past the ')'.
 * Parentheses nest, so an argument may itself hold some.
 */
static bool dist_args(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, const struct dist_form *f,
                      const char *p, double *a, int *nargs, const char **rest)
{
    char err[SF_DIST_ERRLEN + 200];

    for (;;) {
        const char *end = p;
        char arg[128];
        size_t len;
        int depth = 0;
        while (*end && (depth > 0 || (*end != ',' && *end != ')'))) {
            depth += *end == '(';
            depth -= *end == ')';
            end++;
        }
        if (!*end) {
            sf_v_error_col(v, n, text_col(n, end),
                           "%s: missing ')' in '%s' (inside { } or [ ] a comma ends the value: quote it, "
                           "\"tri(40 s, 45 s, 55 s)\")",
                           what, n->text);
            return false;
        }
        while (*p == ' ')
            p++;
        len = (size_t)(end - p);
        while (len && p[len - 1] == ' ')
            len--;
        if (*nargs >= f->nargs) {
            sf_v_error_col(v, n, text_col(n, p), "%s: %s takes %d argument%s, got more", what, f->name, f->nargs,
                           f->nargs == 1 ? "" : "s");
            return false;
        }
        if (len >= sizeof arg)
            len = sizeof arg - 1;
        memcpy(arg, p, len);
        arg[len] = '\0';
        if (!parse_qty(arg, (f->shape >> *nargs) & 1 ? SF_DIM_NONE : dim, &a[*nargs], NULL, err, sizeof err)) {
            sf_v_error_col(v, n, text_col(n, p), "%s: %s argument %d: %s", what, f->name, *nargs + 1, err);
            return false;
        }
        ++*nargs;
        p = end + 1;
        if (*end == ')') {
            *rest = p;
            return true;
        }
    }
}

bool sf_v_dist(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, sf_dist *out)
{
    const char *s, *open, *p;
    char err[SF_DIST_ERRLEN + 200], derr[SF_DIST_ERRLEN];
    double a[4];
    const struct dist_form *f;
    int nargs = 0;
    sf_dist d;

    if (!n)
        return true;
    if (n->kind == SF_YMAP)
        return dist_table(v, n, what, dim, out);
    if (!sf_v_scalar(v, n, what, "a value or a distribution"))
        return false;
    s = n->text;
    while (*s == ' ')
        s++;
    open = strchr(s, '(');
    if (!open) {
        if (!parse_qty(s, dim, &a[0], NULL, err, sizeof err)) {
            sf_v_error(v, n, "%s: %s, or a distribution such as 'exp(2 min)'", what, err);
            return false;
        }
        if (sf_dist_constant(&d, a[0], derr) != SF_OK) {
            sf_v_error(v, n, "%s: %s", what, derr);
            return false;
        }
        *out = d;
        return true;
    }
    if (!(f = dist_form(v, n, what, s, open)))
        return false;
    if (f->shape == 1 && !strcmp(f->name, "bernoulli") && dim != SF_DIM_NONE) {
        sf_v_error(v, n, "%s: bernoulli gives 0 or 1, which is not a %s", what, "quantity with a unit");
        return false;
    }
    if (!dist_args(v, n, what, dim, f, open + 1, a, &nargs, &p))
        return false;
    while (*p == ' ')
        p++;
    if (*p) {
        sf_v_error_col(v, n, text_col(n, p), "%s: unexpected '%s' after the distribution", what, p);
        return false;
    }
    if (nargs != f->nargs) {
        sf_v_error(v, n, "%s: %s takes %d argument%s, got %d", what, f->name, f->nargs, f->nargs == 1 ? "" : "s",
                   nargs);
        return false;
    }
    if (!make_dist(f->name, a, &d, derr)) {
        sf_v_error(v, n, "%s: %s", what, derr);
        return false;
    }
    *out = d;
    return true;
}
