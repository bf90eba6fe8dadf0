#include "core/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

void sf_tally_init(sf_tally *t, bool keep)
{
    memset(t, 0, sizeof *t);
    t->keep = keep;
    t->min = INFINITY;
    t->max = -INFINITY;
}

void sf_tally_close(sf_tally *t)
{
    free(t->obs);
    t->obs = NULL;
    t->nobs = t->cap = 0;
}

void sf_tally_reset(sf_tally *t)
{
    double *obs = t->obs;
    size_t cap = t->cap;
    bool keep = t->keep;

    sf_tally_init(t, keep);
    t->obs = obs;
    t->cap = cap;
}

int sf_tally_add(sf_tally *t, double x)
{
    double d = x - t->mean;

    t->n++;
    t->mean += d / (double)t->n;
    t->m2 += d * (x - t->mean);
    if (x < t->min)
        t->min = x;
    if (x > t->max)
        t->max = x;
    if (!t->keep)
        return SF_OK;
    if (sf_grow(t->obs, t->cap, t->nobs + 1) != SF_OK)
        return SF_ENOMEM;
    t->obs[t->nobs++] = x;
    t->sorted = false;
    return SF_OK;
}

double sf_tally_mean(const sf_tally *t)
{
    return t->n ? t->mean : NAN;
}

double sf_tally_sd(const sf_tally *t)
{
    return t->n > 1 ? sqrt(t->m2 / (double)(t->n - 1)) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double sf_tally_percentile(sf_tally *t, double q)
{
    double pos;
    size_t i;

    if (!t->keep || t->nobs == 0 || !(q >= 0 && q <= 1))
        return NAN;
    if (!t->sorted) {
        qsort(t->obs, t->nobs, sizeof *t->obs, cmp_double);
        t->sorted = true;
    }
    pos = q * (double)(t->nobs - 1);
    i = (size_t)pos;
    if (i + 1 >= t->nobs)
        return t->obs[t->nobs - 1];
    return t->obs[i] + (pos - (double)i) * (t->obs[i + 1] - t->obs[i]);
}

void sf_level_init(sf_level *l, sf_time now, double value)
{
    memset(l, 0, sizeof *l);
    l->start = l->last = now;
    l->value = l->min = l->max = value;
}

void sf_level_set(sf_level *l, sf_time now, double value)
{
    double dt = sf_time_to_seconds(now - l->last);

    l->area += l->value * dt;
    l->area2 += l->value * l->value * dt;
    l->last = now;
    l->value = value;
    l->changes++;
    if (value < l->min)
        l->min = value;
    if (value > l->max)
        l->max = value;
}

void sf_level_reset(sf_level *l, sf_time now)
{
    sf_level_init(l, now, l->value);
}

double sf_level_integral(const sf_level *l, sf_time now)
{
    return l->area + l->value * sf_time_to_seconds(now - l->last);
}

double sf_level_mean(const sf_level *l, sf_time now)
{
    double span = sf_time_to_seconds(now - l->start);
    return span > 0 ? sf_level_integral(l, now) / span : l->value;
}

double sf_level_sd(const sf_level *l, sf_time now)
{
    double span = sf_time_to_seconds(now - l->start), m, m2;

    if (!(span > 0))
        return 0;
    m = sf_level_integral(l, now) / span;
    m2 = (l->area2 + l->value * l->value * sf_time_to_seconds(now - l->last)) / span;
    return m2 > m * m ? sqrt(m2 - m * m) : 0;
}

void sf_signal_init(sf_signal *s)
{
    memset(s, 0, sizeof *s);
}

void sf_signal_close(sf_signal *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

int sf_signal_connect(sf_signal *s, sf_listener_fn fn, void *ctx)
{
    if (sf_grow(s->v, s->cap, s->n + 1) != SF_OK)
        return SF_ENOMEM;
    s->v[s->n++] = (struct sf_listener){fn, ctx};
    return SF_OK;
}
