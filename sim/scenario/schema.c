/*
 * schema.c: field readers shared by the section readers.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/mem.h"
#include "core/time.h"
#include "scenario/schema.h"

/* ---- arena ------------------------------------------------------------- */

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

struct sf_cfg_arena {
    struct chunk *head;
};

sf_cfg_arena *sf_arena_new(void)
{
    return sf_calloc(1, sizeof(sf_cfg_arena));
}

void sf_arena_free(sf_cfg_arena *a)
{
    if (!a)
        return;
    while (a->head) {
        struct chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    free(a);
}

/* Bump allocation in 64 KiB chunks (bigger requests get their own); zeroed. */
static void *arena_alloc(sf_cfg_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    struct chunk *c = a->head;

    size = (size + align - 1) / align * align;
    if (!c || c->size - c->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        if (!(c = sf_calloc(1, sizeof *c + cap)))
            return NULL;
        c->size = cap;
        c->next = a->head;
        a->head = c;
    }
    c->used += size;
    return (char *)c->data + c->used - size;
}

void *sf_v_alloc(sf_vctx *v, size_t n, size_t size)
{
    void *p;
    if (n == 0)
        n = 1;
    if (size && n > SIZE_MAX / 2 / size) {
        v->oom = true;
        return NULL;
    }
    if (!(p = arena_alloc(v->arena, n * size)))
        v->oom = true;
    return p;
}

const char *sf_v_strdup(sf_vctx *v, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sf_v_alloc(v, n, 1);
    if (p)
        memcpy(p, s, n);
    return p ? p : "";
}

/* ---- errors ------------------------------------------------------------ */

void sf_v_error_col(sf_vctx *v, const sf_ynode *at, int dcol, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!at)
        at = v->root;
    sf_diags_add(v->d, at ? at->file : NULL, at ? at->line : 0, at ? at->col + dcol : 0, "%s", buf);
    v->errors++;
}

void sf_v_error(sf_vctx *v, const sf_ynode *at, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sf_v_error_col(v, at, 0, "%s", buf);
}

sf_cfg_place sf_v_place(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_place p = {"", 0, 0};
    if (n) {
        p.file = sf_v_strdup(v, n->file);
        p.line = n->line;
        p.col = n->col;
    }
    return p;
}

/* ---- keys -------------------------------------------------------------- */

/* Levenshtein distance with a cap, on short words (keys and names). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];
    if (la > 64 || lb > 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

const char *sf_v_nearest(const char *word, const char *const *known, size_t n)
{
    const char *best = NULL;
    size_t best_d = 99, limit = strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < n; i++) {
        size_t dd = distance(word, known[i]);
        if (dd < best_d) {
            best_d = dd;
            best = known[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

static void join(char *buf, size_t n, const char *const *words, size_t count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && used + 1 < n; i++) {
        if (i == 16) {
            snprintf(buf + used, n - used, ", ...");
            return;
        }
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", words[i]);
    }
}

bool sf_v_map(sf_vctx *v, const sf_ynode *n, const char *const *keys, const char *what)
{
    size_t nk = 0;
    bool ok = true;

    if (!n || n->kind != SF_YMAP) {
        sf_v_error(v, n, "%s must be a mapping of keys to values, not %s", what, sf_ynode_what(n));
        return false;
    }
    while (keys[nk])
        nk++;
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->keys[i]->text, *near;
        size_t j;
        for (j = 0; j < nk; j++)
            if (strcmp(k, keys[j]) == 0)
                break;
        if (j < nk)
            continue;
        ok = false;
        if ((near = sf_v_nearest(k, keys, nk))) {
            sf_v_error(v, n->keys[i], "unknown key '%s' in %s; did you mean '%s'?", k, what, near);
        } else {
            char list[600];
            join(list, sizeof list, keys, nk);
            sf_v_error(v, n->keys[i], "unknown key '%s' in %s; known keys: %s", k, what, list);
        }
    }
    return ok;
}

const sf_ynode *sf_v_need(sf_vctx *v, const sf_ynode *map, const char *key, const char *what)
{
    const sf_ynode *n = sf_ynode_get(map, key, NULL);
    if (!n || sf_ynode_is_null(n)) {
        sf_v_error(v, map, "%s needs '%s'", what, key);
        return NULL;
    }
    return n;
}

bool sf_v_list(sf_vctx *v, const sf_ynode *n, const char *what)
{
    if (!n || n->kind != SF_YSEQ) {
        sf_v_error(v, n, "%s must be a list, not %s", what, sf_ynode_what(n));
        return false;
    }
    return true;
}

static int cmp_slots(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * Report every name given twice (at the later one, naming the first)
 * and keep only the first of each, in the original order. Sorting makes
 * it O(n log n), so a list of many entries costs no more than reading it.
 */
static size_t drop_duplicates(sf_vctx *v, const char *what, const sf_ynode **entries, const sf_ynode **names,
                              size_t count)
{
    struct sf_named_slot *slots = sf_v_alloc(v, count, sizeof *slots);
    bool *dup = sf_v_alloc(v, count, sizeof *dup);
    size_t w = 0;

    if (!slots || !dup)
        return 0;
    for (size_t i = 0; i < count; i++) {
        slots[i].name = names[i]->text;
        slots[i].i = i;
    }
    qsort(slots, count, sizeof *slots, cmp_slots);
    for (size_t k = 1, first = 0; k < count; k++) {
        if (strcmp(slots[k].name, slots[first].name) != 0) {
            first = k;
            continue;
        }
        const sf_ynode *a = names[slots[first].i], *b = names[slots[k].i];
        sf_v_error(v, b, "%s '%s' is defined twice (first at %s:%d:%d)", what, b->text, a->file, a->line, a->col);
        dup[slots[k].i] = true;
    }
    for (size_t i = 0; i < count; i++)
        if (!dup[i]) {
            entries[w] = entries[i];
            names[w++] = names[i];
        }
    return w;
}

size_t sf_v_named(sf_vctx *v, const sf_ynode *n, const char *what, const sf_ynode ***entries,
                  const sf_ynode ***names)
{
    size_t count = 0;

    *entries = NULL;
    *names = NULL;
    if (!n || sf_ynode_is_null(n))
        return 0;
    if (n->kind == SF_YSCALAR) {
        sf_v_error(v, n, "%s must be a list of entries with a 'name', not %s", what, sf_ynode_what(n));
        return 0;
    }
    *entries = sf_v_alloc(v, n->n, sizeof **entries);
    *names = sf_v_alloc(v, n->n, sizeof **names);
    if (!*entries || !*names)
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *e = n->items[i], *name;
        if (n->kind == SF_YMAP) {
            name = n->keys[i];
            if (e->kind != SF_YMAP) {
                sf_v_error(v, e, "%s entry '%s' must be a mapping, not %s", what, name->text, sf_ynode_what(e));
                continue;
            }
        } else {
            if (e->kind != SF_YMAP) {
                sf_v_error(v, e, "each entry of %s must be a mapping with a 'name', not %s", what,
                           sf_ynode_what(e));
                continue;
            }
            name = sf_ynode_get(e, "name", NULL);
            if (!name || name->kind != SF_YSCALAR || sf_ynode_is_null(name)) {
                sf_v_error(v, name ? name : e, "each entry of %s needs a 'name'", what);
                continue;
            }
        }
        (*entries)[count] = e;
        (*names)[count] = name;
        count++;
    }
    return drop_duplicates(v, what, *entries, *names, count);
}
/* ---- scalars ----------------------------------------------------------- */

static bool scalar(sf_vctx *v, const sf_ynode *n, const char *what, const char *expected)
{
    if (n->kind != SF_YSCALAR || sf_ynode_is_null(n)) {
        sf_v_error(v, n, "%s: expected %s, got %s", what, expected, sf_ynode_what(n));
        return false;
    }
    return true;
}

bool sf_v_string(sf_vctx *v, const sf_ynode *n, const char *what, const char **out)
{
    if (!n)
        return true;
    if (!scalar(v, n, what, "a text"))
        return false;
    *out = sf_v_strdup(v, n->text);
    return true;
}

/* Decimal only: "0755" is 755, as a planner means it; YAML 1.1 octal and hex are not guessed. */
static bool parse_int(const char *s, int64_t *out)
{
    char *end;
    long long x;
    while (*s == ' ')
        s++;
    if (!(*s == '-' || *s == '+' || isdigit((unsigned char)*s)))
        return false;
    if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o')))
        return false;
    errno = 0;
    x = strtoll(s, &end, 10);
    if (errno || end == s)
        return false;
    while (*end == ' ')
        end++;
    if (*end)
        return false;
    *out = x;
    return true;
}

bool sf_v_int(sf_vctx *v, const sf_ynode *n, const char *what, int64_t min, int64_t max, int *out)
{
    int64_t x;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a whole number"))
        return false;
    if (!parse_int(n->text, &x)) {
        sf_v_error(v, n, "%s: expected a whole number, got '%s'", what, n->text);
        return false;
    }
    if (x < min || x > max) {
        if (max >= INT32_MAX)
            sf_v_error(v, n, "%s must be at least %lld, got %s", what, (long long)min, n->text);
        else
            sf_v_error(v, n, "%s must be between %lld and %lld, got %s", what, (long long)min, (long long)max,
                       n->text);
        return false;
    }
    *out = (int)x;
    return true;
}

bool sf_v_u64(sf_vctx *v, const sf_ynode *n, const char *what, uint64_t *out)
{
    char *end;
    unsigned long long x;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a whole number"))
        return false;
    errno = 0;
    x = strtoull(n->text, &end, 10);
    if (!isdigit((unsigned char)n->text[0]) || errno || *end) {
        sf_v_error(v, n, "%s: expected a whole number from 0 to 18446744073709551615, got '%s'", what, n->text);
        return false;
    }
    *out = x;
    return true;
}

bool sf_v_bool(sf_vctx *v, const sf_ynode *n, const char *what, bool *out)
{
    static const char *yes[] = {"true", "yes", "on", "y"}, *no[] = {"false", "no", "off", "n"};
    if (!n)
        return true;
    if (!scalar(v, n, what, "true or false"))
        return false;
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(n->text, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(n->text, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    sf_v_error(v, n, "%s: expected true or false (or yes/no, on/off), got '%s'", what, n->text);
    return false;
}

bool sf_v_enum(sf_vctx *v, const sf_ynode *n, const char *what, const char *const *names, int *out)
{
    size_t k = 0;
    char list[400];
    const char *near;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a word"))
        return false;
    for (; names[k]; k++)
        if (strcmp(n->text, names[k]) == 0) {
            *out = (int)k;
            return true;
        }
    join(list, sizeof list, names, k);
    if ((near = sf_v_nearest(n->text, names, k)))
        sf_v_error(v, n, "%s: '%s' is not one of %s; did you mean '%s'?", what, n->text, list, near);
    else
        sf_v_error(v, n, "%s: '%s' is not one of %s", what, n->text, list);
    return false;
}

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
    char name[96];
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

bool sf_v_qty(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, double min, double max, bool min_open,
              double *out)
{
    char err[300];
    double x;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a quantity"))
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

bool sf_v_fraction(sf_vctx *v, const sf_ynode *n, const char *what, double *out)
{
    sf_quantity q;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a fraction"))
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
    char err[300];
    double x;
    if (!n)
        return true;
    if (!scalar(v, n, what, "a duration"))
        return false;
    if (!parse_qty(n->text, SF_DIM_TIME, &x, NULL, err, sizeof err)) {
        sf_v_error(v, n, "%s: %s", what, err);
        return false;
    }
    if (!in_range(v, n, what, SF_DIM_TIME, x, 0, INFINITY, false))
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
    if (!scalar(v, n, what, "a clock time"))
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

bool sf_v_dist(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, sf_dist *out)
{
    const char *s, *open, *p;
    char name[16], err[SF_DIST_ERRLEN + 200], derr[SF_DIST_ERRLEN];
    double a[4];
    const struct dist_form *f = NULL;
    int nargs = 0;
    sf_dist d;

    if (!n)
        return true;
    if (n->kind == SF_YMAP)
        return dist_table(v, n, what, dim, out);
    if (!scalar(v, n, what, "a value or a distribution"))
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
    {
        size_t len = (size_t)(open - s);
        while (len && s[len - 1] == ' ')
            len--;
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, s, len);
        name[len] = '\0';
    }
    for (size_t i = 0; i < sizeof dist_forms / sizeof dist_forms[0]; i++)
        if (strcmp(dist_forms[i].name, name) == 0)
            f = &dist_forms[i];
    if (!f) {
        const char *near = sf_v_nearest(name, dist_names, sizeof dist_names / sizeof *dist_names - 1);
        char list[300];
        join(list, sizeof list, dist_names, sizeof dist_names / sizeof *dist_names - 1);
        if (near)
            sf_v_error_col(v, n, text_col(n, s), "%s: unknown distribution '%s'; did you mean '%s'?", what, name,
                           near);
        else
            sf_v_error_col(v, n, text_col(n, s), "%s: unknown distribution '%s'; known: %s", what, name, list);
        return false;
    }
    if (f->shape == 1 && !strcmp(f->name, "bernoulli") && dim != SF_DIM_NONE) {
        sf_v_error(v, n, "%s: bernoulli gives 0 or 1, which is not a %s", what, "quantity with a unit");
        return false;
    }
    p = open + 1;
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
        if (nargs >= f->nargs) {
            sf_v_error_col(v, n, text_col(n, p), "%s: %s takes %d argument%s, got more", what, f->name, f->nargs,
                           f->nargs == 1 ? "" : "s");
            return false;
        }
        if (len >= sizeof arg)
            len = sizeof arg - 1;
        memcpy(arg, p, len);
        arg[len] = '\0';
        if (!parse_qty(arg, (f->shape >> nargs) & 1 ? SF_DIM_NONE : dim, &a[nargs], NULL, err, sizeof err)) {
            sf_v_error_col(v, n, text_col(n, p), "%s: %s argument %d: %s", what, f->name, nargs + 1, err);
            return false;
        }
        nargs++;
        if (*end == ')') {
            p = end + 1;
            break;
        }
        p = end + 1;
    }
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

/* ---- references -------------------------------------------------------- */

static const char *name_at(const void *base, size_t stride, size_t i)
{
    return *(const char *const *)((const char *)base + i * stride);
}

static int cmp_names(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static struct sf_name_index *name_index(sf_vctx *v, const void *base, size_t count, size_t stride)
{
    struct sf_name_index *ix;
    for (size_t i = 0; i < SF_V_INDEXES; i++)
        if (v->index[i].base == base && v->index[i].count == count && v->index[i].stride == stride)
            return &v->index[i];
    memmove(&v->index[1], &v->index[0], (SF_V_INDEXES - 1) * sizeof v->index[0]);
    ix = &v->index[0];
    memset(ix, 0, sizeof *ix);
    if (!(ix->order = sf_v_alloc(v, count, sizeof *ix->order)))
        return NULL;
    for (size_t i = 0; i < count; i++) {
        const char *n = name_at(base, stride, i);
        ix->order[i].name = n ? n : "";
        ix->order[i].i = i;
    }
    qsort(ix->order, count, sizeof *ix->order, cmp_names);
    ix->base = base;
    ix->count = count;
    ix->stride = stride;
    return ix;
}

int sf_v_find(sf_vctx *v, const char *name, const void *base, size_t count, size_t stride)
{
    struct sf_name_index *ix;
    size_t lo = 0, hi;

    if (count < 8) {
        for (size_t i = 0; i < count; i++)
            if (name_at(base, stride, i) && strcmp(name_at(base, stride, i), name) == 0)
                return (int)i;
        return -1;
    }
    if (!(ix = name_index(v, base, count, stride)))
        return -1;
    hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->order[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && strcmp(ix->order[lo].name, name) == 0 ? (int)ix->order[lo].i : -1;
}

int sf_v_ref(sf_vctx *v, const sf_ynode *n, const char *kind, const void *base, size_t count, size_t stride)
{
    char list[600];
    size_t used = 0;
    int i;

    if (!n)
        return -1;
    if (!scalar(v, n, kind, "a name"))
        return -1;
    if ((i = sf_v_find(v, n->text, base, count, stride)) >= 0)
        return i;
    list[0] = '\0';
    for (size_t k = 0; k < count && used < sizeof list; k++) {
        if (k == 16) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                                 *(const char *const *)((const char *)base + k * stride));
    }
    if (count)
        sf_v_error(v, n, "%s '%s' is not defined; defined: %s", kind, n->text, list);
    else
        sf_v_error(v, n, "%s '%s' is not defined; none are defined", kind, n->text);
    return -1;
}
