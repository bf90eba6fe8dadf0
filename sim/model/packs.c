/* packs.c: spare battery packs, see packs.h. */
#include "model/packs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

int sf_packs_init(sf_packs *p, uint32_t n, double capacity, double power, double efficiency)
{
    static const double none[SF_POWER_STATES];

    *p = (sf_packs){.n = n, .capacity = capacity, .power = power, .efficiency = efficiency, .cv_from = 1};
    if (n == 0 || !(capacity > 0) || !(power > 0) || !(efficiency > 0 && efficiency <= 1))
        return SF_EINVAL;
    p->m = sf_calloc(n, sizeof *p->m);
    p->next = sf_malloc(n * sizeof *p->next);
    p->ready = sf_calloc(n, sizeof *p->ready);
    p->reserved = sf_calloc(n, sizeof *p->reserved);
    if (!p->m || !p->next || !p->ready || !p->reserved) {
        sf_packs_close(p);
        return SF_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++) { /* full and standing: a pack draws only while it charges */
        sf_meter_init(&p->m[i], none, SF_POWER_OFF, 0);
        sf_meter_battery(&p->m[i], capacity, capacity, power, efficiency);
        p->next[i] = SF_TIME_MAX;
    }
    return SF_OK;
}

void sf_packs_chemistry(sf_packs *p, double cv_from, sf_time cool_down)
{
    p->cv_from = cv_from;
    p->cool_down = cool_down > 0 ? cool_down : 0;
    for (uint32_t i = 0; i < p->n; i++)
        sf_meter_taper(&p->m[i], cv_from);
}

void sf_packs_close(sf_packs *p)
{
    free(p->m);
    free(p->next);
    free(p->ready);
    free(p->reserved);
    *p = (sf_packs){0};
}

/* When pack i may go into an agent: now when it is full and cooled down, else when it will be. */
static sf_time ready_at(const sf_packs *p, uint32_t i, sf_time now)
{
    return p->ready[i] > now ? p->ready[i] : now;
}

uint32_t sf_packs_reserve(sf_packs *p, sf_time now, sf_time *ready)
{
    uint32_t best = UINT32_MAX;

    for (uint32_t i = 0; i < p->n; i++)
        if (!p->reserved[i] && (best == UINT32_MAX || ready_at(p, i, now) < ready_at(p, best, now)))
            best = i;
    if (best != UINT32_MAX) {
        p->reserved[best] = true;
        *ready = ready_at(p, best, now);
    }
    return best;
}

double sf_packs_drawn(const sf_packs *p, sf_time now)
{
    double e = 0;

    for (uint32_t i = 0; i < p->n; i++)
        e += sf_meter_grid(&p->m[i], now > p->m[i].since ? now : p->m[i].since);
    return e;
}

/*
 * Run pack i's meter through its events up to `now` (each step of a taper
 * ends at an event, rounded up as sf_meter_battery_event does, then full).
 * A meter is brought forward only at its own events, so a copy run ahead
 * finds the very instants the pack will.
 */
static void run_to(sf_meter *m, sf_time *next, sf_time now)
{
    while (*next <= now) {
        sf_meter_update(m, *next);
        if (m->charge >= m->capacity) {
            sf_meter_set(m, *next, SF_POWER_OFF);
            *next = SF_TIME_MAX;
        } else {
            *next = sf_meter_battery_event(m);
        }
    }
}

int sf_packs_swap(sf_packs *p, uint32_t i, double charge, sf_time now)
{
    sf_meter ahead;
    sf_time next, full = now;

    sf_packs_update(p, now);
    if (i >= p->n || !p->reserved[i] || p->next[i] != SF_TIME_MAX || p->ready[i] > now || !(charge >= 0))
        return SF_EINVAL;
    p->reserved[i] = false;
    sf_meter_update(&p->m[i], now);
    p->m[i].charge = charge < p->capacity ? charge : p->capacity;
    p->ready[i] = now;
    if (!(charge < p->capacity))
        return SF_OK;
    sf_meter_set(&p->m[i], now, SF_POWER_CHARGING);
    if ((p->next[i] = sf_meter_battery_event(&p->m[i])) == SF_TIME_MAX)
        return SF_ERANGE;
    /* when it will be full: its own events, run ahead on a copy */
    ahead = p->m[i];
    next = p->next[i];
    while (next != SF_TIME_MAX) {
        full = next;
        run_to(&ahead, &next, next);
    }
    p->ready[i] = full + p->cool_down; /* lead-acid: it cools down before it goes in */
    return SF_OK;
}

double sf_packs_update(sf_packs *p, sf_time now)
{
    double watts = 0;

    for (uint32_t i = 0; i < p->n; i++) {
        run_to(&p->m[i], &p->next[i], now);
        if (p->next[i] != SF_TIME_MAX)
            watts += sf_meter_draw(&p->m[i]);
    }
    return watts;
}

sf_time sf_packs_next_event(const sf_packs *p)
{
    sf_time t = SF_TIME_MAX;

    for (uint32_t i = 0; i < p->n; i++)
        if (p->next[i] < t)
            t = p->next[i];
    return t;
}

double sf_packs_charge(const sf_packs *p, uint32_t i, sf_time now)
{
    if (i >= p->n)
        return NAN;
    return sf_meter_charge_at(&p->m[i], now > p->m[i].since ? now : p->m[i].since);
}
