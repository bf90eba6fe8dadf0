/* packs.c: spare battery packs, see packs.h. */
#include "model/packs.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"

int sf_packs_init(sf_packs *p, uint32_t n, double capacity, double power, double efficiency)
{
    *p = (sf_packs){n, capacity, power, efficiency, NULL, NULL, NULL, NULL, NULL, 0};
    if (n == 0 || !(capacity > 0) || !(power > 0) || !(efficiency > 0 && efficiency <= 1))
        return SF_EINVAL;
    p->charge = sf_malloc(n * sizeof *p->charge);
    p->since = sf_calloc(n, sizeof *p->since);
    p->full = sf_malloc(n * sizeof *p->full);
    p->reserved = sf_calloc(n, sizeof *p->reserved);
    p->billed = sf_calloc(n, sizeof *p->billed);
    if (!p->charge || !p->since || !p->full || !p->reserved || !p->billed) {
        sf_packs_close(p);
        return SF_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        p->charge[i] = capacity;
        p->full[i] = SF_TIME_MAX;
    }
    return SF_OK;
}

void sf_packs_close(sf_packs *p)
{
    free(p->charge);
    free(p->since);
    free(p->full);
    free(p->reserved);
    free(p->billed);
    *p = (sf_packs){0};
}

/* When pack i is full: now when it is not charging (it is full), else its full time. */
static sf_time full_at(const sf_packs *p, uint32_t i, sf_time now)
{
    return p->full[i] == SF_TIME_MAX ? now : p->full[i];
}

uint32_t sf_packs_reserve(sf_packs *p, sf_time now, sf_time *ready)
{
    uint32_t best = UINT32_MAX;

    for (uint32_t i = 0; i < p->n; i++)
        if (!p->reserved[i] && (best == UINT32_MAX || full_at(p, i, now) < full_at(p, best, now)))
            best = i;
    if (best != UINT32_MAX) {
        p->reserved[best] = true;
        *ready = full_at(p, best, now);
    }
    return best;
}

/* Pack i's draw not yet in `drawn`, up to `now`, and the time it is counted to. */
static double unbilled(const sf_packs *p, uint32_t i, sf_time now, sf_time *to)
{
    sf_time end = p->full[i] < now ? p->full[i] : now, from = p->billed[i];

    if (p->full[i] == SF_TIME_MAX || end <= from) {
        *to = from;
        return 0;
    }
    *to = end; /* may be billed[i] itself */
    return p->power * sf_time_to_seconds(end - from);
}

/* Count every pack's draw up to `now` into `drawn`. */
static void bill(sf_packs *p, sf_time now)
{
    for (uint32_t i = 0; i < p->n; i++)
        p->drawn += unbilled(p, i, now, &p->billed[i]);
}

double sf_packs_drawn(const sf_packs *p, sf_time now)
{
    double e = p->drawn;
    sf_time to;

    for (uint32_t i = 0; i < p->n; i++)
        e += unbilled(p, i, now, &to);
    return e;
}

int sf_packs_swap(sf_packs *p, uint32_t i, double charge, sf_time now)
{
    double missing = p->capacity - charge;
    sf_time dt;

    sf_packs_update(p, now);
    if (i >= p->n || !p->reserved[i] || p->full[i] != SF_TIME_MAX || !(charge >= 0))
        return SF_EINVAL;
    p->reserved[i] = false;
    p->charge[i] = charge < p->capacity ? charge : p->capacity;
    p->since[i] = p->billed[i] = now;
    if (missing <= 0)
        return SF_OK;
    if (sf_time_from_seconds(missing / (p->power * p->efficiency), &dt) != SF_OK)
        return SF_ERANGE;
    p->full[i] = now + dt + 1; /* rounded up: full at that nanosecond, never a little short */
    return SF_OK;
}

double sf_packs_update(sf_packs *p, sf_time now)
{
    double watts = 0;

    bill(p, now);
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->full[i] != SF_TIME_MAX && p->full[i] <= now) {
            p->charge[i] = p->capacity;
            p->since[i] = p->full[i];
            p->full[i] = SF_TIME_MAX;
        }
        if (p->full[i] != SF_TIME_MAX)
            watts += p->power;
    }
    return watts;
}

sf_time sf_packs_next_full(const sf_packs *p)
{
    sf_time t = SF_TIME_MAX;

    for (uint32_t i = 0; i < p->n; i++)
        if (p->full[i] < t)
            t = p->full[i];
    return t;
}

double sf_packs_charge(const sf_packs *p, uint32_t i, sf_time now)
{
    if (i >= p->n)
        return NAN;
    if (p->full[i] == SF_TIME_MAX || now >= p->full[i])
        return p->full[i] == SF_TIME_MAX ? p->charge[i] : p->capacity;
    return p->charge[i] + p->power * p->efficiency * sf_time_to_seconds(now - p->since[i]);
}
