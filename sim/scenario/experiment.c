/*
 * experiment.c: the `experiment` section, what `shopfloor sweep` varies
 * when no --vary is given:
 *
 *   experiment:
 *     reps: 10
 *     timeout: 5 min
 *     vary:
 *       fleet.reach_truck.count: [2, 3, 4]
 *       fleet.reach_truck.speed: {from: 1.6, to: 2.4, step: 0.4}
 *
 * Values are kept as text and checked when each point is built, exactly
 * as --set checks them; this reader checks the shape, the ranges and
 * that zipped lists pair.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/schema.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A number of a range, or an error at the node. */
static bool number(sf_vctx *v, const sf_ynode *map, const char *key, double *out)
{
    const sf_ynode *n = sf_v_need(v, map, key, "a range");
    char *end;

    if (!n)
        return false;
    if (n->kind != SF_YSCALAR) {
        sf_v_error(v, n, "%s: expected a number, got %s", key, sf_ynode_what(n));
        return false;
    }
    *out = strtod(n->text, &end);
    if (end == n->text || *end || !isfinite(*out)) {
        sf_v_error(v, n, "%s: expected a number, got '%s'", key, n->text);
        return false;
    }
    return true;
}

/*
 * from, from + step, ... up to `to` (the same rule as --vary lo:hi:step:
 * 12 significant digits, and `to` kept when rounding leaves it a hair
 * beyond the last step).
 */
static void range(sf_vctx *v, const sf_ynode *n, sf_cfg_vary *out)
{
    double from, to, step, count;
    char num[64];

    if (!sf_v_map(v, n, KEYS("from", "to", "step"), "a range"))
        return;
    /* | rather than ||: every missing or bad number is reported in one pass */
    if (!number(v, n, "from", &from) | !number(v, n, "to", &to) | !number(v, n, "step", &step))
        return;
    count = (to - from) / step;
    if (!(step > 0) || to < from || count > 100000) {
        sf_v_error(v, n, "%s: a range needs from <= to and a step > 0 (at most 100000 values)", out->key);
        return;
    }
    out->n_values = (size_t)floor(count + 1e-9) + 1;
    if (!(out->values = sf_v_alloc(v, out->n_values, sizeof *out->values)))
        return;
    for (size_t k = 0; k < out->n_values; k++) {
        snprintf(num, sizeof num, "%.12g", from + (double)k * step);
        out->values[k] = sf_v_strdup(v, num);
    }
}

static void values(sf_vctx *v, const sf_ynode *n, sf_cfg_vary *out)
{
    if (n->n == 0) {
        sf_v_error(v, n, "%s: no values to vary", out->key);
        return;
    }
    if (!(out->values = sf_v_alloc(v, n->n, sizeof *out->values)))
        return;
    for (size_t k = 0; k < n->n; k++) {
        const sf_ynode *item = n->items[k];
        if (item->kind != SF_YSCALAR || sf_ynode_is_null(item)) {
            sf_v_error(v, item, "%s: each value to vary is one value (write a list as text: '[a, b]'), not %s",
                       out->key, sf_ynode_is_null(item) ? "an empty value" : sf_ynode_what(item));
            continue;
        }
        out->values[out->n_values++] = sf_v_strdup(v, item->text);
    }
}

void sf_v_experiment(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_experiment *e = &v->cfg->experiment;
    const sf_ynode *vary;
    size_t errors;

    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("reps", "zip", "timeout", "vary"), "experiment") && n->kind != SF_YMAP)
        return;
    sf_v_int(v, sf_ynode_get(n, "reps", NULL), "reps", 1, 1000000, &e->reps);
    sf_v_bool(v, sf_ynode_get(n, "zip", NULL), "zip", &e->zip);
    sf_v_duration(v, sf_ynode_get(n, "timeout", NULL), "timeout", &e->timeout);
    if (!(vary = sf_ynode_get(n, "vary", NULL)) || sf_ynode_is_null(vary))
        return;
    if (vary->kind != SF_YMAP) {
        sf_v_error(v, vary, "vary: expected a mapping from a --set path to its values, got %s", sf_ynode_what(vary));
        return;
    }
    if (!(e->vary = sf_v_alloc(v, vary->n, sizeof *e->vary)))
        return;
    errors = v->errors;
    for (size_t i = 0; i < vary->n; i++) {
        const sf_ynode *item = vary->items[i];
        sf_cfg_vary *out = &e->vary[e->n_vary++];
        out->key = sf_v_strdup(v, vary->keys[i]->text);
        out->at = sf_v_place(v, vary->keys[i]);
        if (item->kind == SF_YSEQ)
            values(v, item, out);
        else if (item->kind == SF_YMAP)
            range(v, item, out);
        else
            sf_v_error(v, item, "%s: expected a list of values [a, b, c] or a range {from: 1, to: 2, step: 0.5}, got '%s'",
                       out->key, item->text);
    }
    if (e->zip && v->errors == errors) /* a list with a problem would only be reported again */
        for (size_t i = 1; i < e->n_vary; i++)
            if (e->vary[i].n_values != e->vary[0].n_values) {
                sf_v_error(v, vary->keys[i], "%s: zipped lists pair their values, so they need one length (%zu here, %zu for %s)",
                           e->vary[i].key, e->vary[i].n_values, e->vary[0].n_values, e->vary[0].key);
                break;
            }
}
