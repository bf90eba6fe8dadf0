/*
 * sweep_grid.c: the grid of a sweep, parsed from --vary options: its
 * variables, their values and the points (every combination, the first
 * variable slowest).
 */
#include "experiment/sweep.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "experiment/sweep_internal.h"

/* ---- the grid ------------------------------------------------------------ */

static void free_var(sf_sweep_var *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->values[i]);
    free(v->values);
    free(v->key);
}

/* Append v to the sweep's variables (which then own it). SF_ENOMEM. */
static int append_var(sf_sweep *sw, const sf_sweep_var *v)
{
    sf_sweep_var *vars = sf_realloc(sw->vars, (sw->nvars + 1) * sizeof *vars);

    if (!vars)
        return SF_ENOMEM;
    sw->vars = vars;
    sw->vars[sw->nvars++] = *v;
    return SF_OK;
}

void sf_sweep_close(sf_sweep *sw)
{
    for (size_t v = 0; v < sw->nvars; v++)
        free_var(&sw->vars[v]);
    free(sw->vars);
    for (size_t i = 0; i < sw->nfailures; i++)
        free(sw->failures[i].reason);
    free(sw->failures);
    sw->vars = NULL;
    sw->failures = NULL;
    sw->nvars = sw->nfailures = sw->capfailures = 0;
}


static int push_value(sf_sweep_var *v, const char *text, size_t len)
{
    char **values = sf_realloc(v->values, (v->n + 1) * sizeof *values);
    char *s = sf_malloc(len + 1);

    if (values)
        v->values = values;
    if (!values || !s) {
        free(s);
        return SF_ENOMEM;
    }
    memcpy(s, text, len);
    s[len] = '\0';
    v->values[v->n++] = s;
    return SF_OK;
}

/* lo:hi:step as numbers, or false. */
static bool parse_range(const char *text, double *lo, double *hi, double *step)
{
    char *end;

    *lo = strtod(text, &end);
    if (end == text || *end != ':')
        return false;
    text = end + 1;
    *hi = strtod(text, &end);
    if (end == text || *end != ':')
        return false;
    text = end + 1;
    *step = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*lo) && isfinite(*hi) && isfinite(*step);
}

int sf_sweep_add_vary(sf_sweep *sw, const char *arg, char *err, size_t n)
{
    const char *eq = strchr(arg, '='), *list;
    sf_sweep_var v = {0};
    double lo, hi, step;
    int rc = SF_ENOMEM;

    if (!eq || eq == arg || !eq[1]) {
        sf__sweep_say(err, n, "--vary expects key.path=a,b,c or key.path=lo:hi:step, got '%s'", arg);
        return SF_EUSAGE;
    }
    for (size_t i = 0; i < sw->nvars; i++)
        if (strlen(sw->vars[i].key) == (size_t)(eq - arg) && strncmp(sw->vars[i].key, arg, (size_t)(eq - arg)) == 0) {
            sf__sweep_say(err, n, "--vary %.*s is given twice", (int)(eq - arg), arg);
            return SF_EUSAGE;
        }
    if (!(v.key = sf_malloc((size_t)(eq - arg) + 1)))
        return SF_ENOMEM;
    memcpy(v.key, arg, (size_t)(eq - arg));
    v.key[eq - arg] = '\0';
    list = eq + 1;
    if (!strchr(list, ',') && parse_range(list, &lo, &hi, &step)) {
        double count = (hi - lo) / step;
        if (!(step > 0) || hi < lo || count > 100000) {
            sf__sweep_say(err, n, "--vary %s: a range lo:hi:step needs lo <= hi and a step > 0 (at most 100000 values)", v.key);
            rc = SF_EUSAGE;
            goto fail;
        }
        /* The tolerance keeps hi when rounding leaves it a hair beyond lo + k step. */
        for (size_t k = 0; k <= (size_t)floor(count + 1e-9); k++) {
            char num[64];
            int len = snprintf(num, sizeof num, "%.12g", lo + (double)k * step);
            if (push_value(&v, num, (size_t)len) != SF_OK)
                goto fail;
        }
    } else {
        for (const char *p = list;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len == 0) {
                sf__sweep_say(err, n, "--vary %s: an empty value in '%s'", v.key, list);
                rc = SF_EUSAGE;
                goto fail;
            }
            if (push_value(&v, p, len) != SF_OK)
                goto fail;
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    if (append_var(sw, &v) == SF_OK)
        return SF_OK;
fail:
    free_var(&v);
    if (rc == SF_ENOMEM)
        sf__sweep_say(err, n, "out of memory");
    return rc;
}

int sf_sweep_add_values(sf_sweep *sw, const char *key, const char *const *values, size_t n, char *err, size_t errn)
{
    sf_sweep_var v = {0};

    for (size_t i = 0; i < sw->nvars; i++)
        if (strcmp(sw->vars[i].key, key) == 0) {
            sf__sweep_say(err, errn, "%s is varied twice", key);
            return SF_EUSAGE;
        }
    if (n == 0) {
        sf__sweep_say(err, errn, "%s: no values to vary", key);
        return SF_EUSAGE;
    }
    if (!(v.key = sf_strdup(key)))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (push_value(&v, values[i], strlen(values[i])) != SF_OK)
            goto fail;
    if (append_var(sw, &v) == SF_OK)
        return SF_OK;
fail:
    free_var(&v);
    sf__sweep_say(err, errn, "out of memory");
    return SF_ENOMEM;
}

size_t sf_sweep_points(const sf_sweep *sw)
{
    size_t n = 1;

    if (sw->zip) {
        if (sw->nvars == 0)
            return 1;
        for (size_t v = 1; v < sw->nvars; v++)
            if (sw->vars[v].n != sw->vars[0].n)
                return 0;
        return sw->vars[0].n;
    }
    for (size_t v = 0; v < sw->nvars; v++)
        n *= sw->vars[v].n;
    return n;
}

/* Grid order: the last variable changes fastest. */
const char *sf_sweep_value(const sf_sweep *sw, size_t p, size_t v)
{
    if (sw->zip)
        return sw->vars[v].values[p];
    for (size_t w = sw->nvars; w-- > v + 1;)
        p /= sw->vars[w].n;
    return sw->vars[v].values[p % sw->vars[v].n];
}
