#include "model/energy.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "model/config.h"

void sf_meter_init(sf_meter *m, const double power[SF_POWER_STATES], sf_power_state state, sf_time now)
{
    memset(m, 0, sizeof *m);
    memcpy(m->power, power, sizeof m->power);
    m->state = state;
    m->since = now;
    m->efficiency = 1;
}

void sf_meter_battery(sf_meter *m, double capacity, double charge, double charge_power, double efficiency)
{
    m->capacity = capacity;
    m->charge = charge < capacity ? charge : capacity;
    m->charge_power = charge_power;
    m->efficiency = efficiency > 0 && efficiency <= 1 ? efficiency : 1;
    m->knee = m->capacity;
    m->flat = m->capacity > 0 && m->charge <= 0 && m->power[m->state] > 0 && m->state != SF_POWER_CHARGING;
}

void sf_meter_taper(sf_meter *m, double cv_from)
{
    m->knee = cv_from > 0 && cv_from < 1 ? cv_from * m->capacity : m->capacity;
}

/*
 * The grid power while charging with `charge` joules in the battery, and
 * the charge at which it changes (the next step of the taper, or full).
 * Boundaries are computed by one formula, so a charge that reached one
 * exactly is past it.
 */
static double charging_draw(const sf_meter *m, double charge, double *next)
{
    double room = m->capacity - m->knee, p = m->charge_power;

    if (charge >= m->capacity) {
        *next = m->capacity;
        return 0;
    }
    if (charge < m->knee || room <= 0) {
        *next = room > 0 ? m->knee : m->capacity;
        return p;
    }
    for (int k = 1; k < SF_TAPER_STEPS; k++) {
        p /= 2;
        room /= 2;
        if (charge < m->capacity - room) {
            *next = m->capacity - room;
            return p;
        }
    }
    *next = m->capacity;
    return p / 2;
}

double sf_meter_draw(const sf_meter *m)
{
    double next;

    if (m->capacity <= 0)
        return m->power[m->state];
    return m->state == SF_POWER_CHARGING ? charging_draw(m, m->charge, &next) : 0;
}

double sf_meter_charge_seconds(const sf_meter *m, double from, double to)
{
    double t = 0, next, p;

    while (from < to && (p = charging_draw(m, from, &next)) > 0) {
        double end = next < to ? next : to;
        t += (end - from) / (p * m->efficiency);
        from = end;
    }
    return t;
}

/* Joules of a draw starting at p watts and ramping by s W/s, over t seconds. */
static double ramp_energy(double p, double s, double t)
{
    return s != 0 ? (p + s * t / 2) * t : p * t;
}

/*
 * Seconds from `since` until the battery is empty at the current draw,
 * p t + s t^2 / 2 = charge, the first root: 2 charge / (p + sqrt(p^2 + 2 s
 * charge)) (the form without cancellation); INFINITY when the draw never
 * uses it up (a ramp down that ends first: the next ramp predicts again).
 */
static double flat_seconds(const sf_meter *m)
{
    double p = m->power[m->state], s = m->slope, c = m->charge, d;

    if (s == 0)
        return p > 0 ? c / p : INFINITY;
    d = p * p + 2 * s * c;
    if (d < 0 || p + sqrt(d) <= 0)
        return INFINITY;
    return 2 * c / (p + sqrt(d));
}

/*
 * The energy of the interval [since, now] in the current state, and what
 * it does to the battery. A battery that empties inside the interval
 * stops the draw at that instant (the model has an event there and marks
 * the meter flat); one that fills stops the charging draw.
 */
static void close_interval(const sf_meter *m, sf_time now, double *energy, double *grid, double *charge,
                           double *stored)
{
    /* a reading before the last transition sees the meter as it is (no negative intervals) */
    double dt = now > m->since ? sf_time_to_seconds(now - m->since) : 0, p = m->power[m->state];

    *charge = m->charge;
    *grid = 0;
    *stored = 0;
    if (m->capacity <= 0) {
        *energy = ramp_energy(p, m->slope, dt);
        *grid = *energy;
        return;
    }
    if (m->state == SF_POWER_CHARGING) { /* step by step of the taper (one step at constant power) */
        double next, draw;
        while (dt > 0 && (draw = charging_draw(m, *charge, &next)) > 0) {
            double rate = draw * m->efficiency, t_step = (next - *charge) / rate, t = dt < t_step ? dt : t_step;
            *grid += draw * t;
            *charge = t < t_step ? *charge + rate * t : next;
            dt -= t;
        }
        *energy = *grid;
        *stored = *charge - m->charge;
        return;
    }
    if (m->flat || (p <= 0 && m->slope <= 0)) {
        *energy = 0;
        return;
    }
    {
        double t_flat = flat_seconds(m), t = dt < t_flat ? dt : t_flat;
        *energy = ramp_energy(p, m->slope, t);
        *charge = t < t_flat ? m->charge - *energy : 0;
    }
}

/* Close the interval up to `now` in the current ramp, not crossing any step of the plan. */
static void close_to(sf_meter *m, sf_time now)
{
    double e, g, c, st;

    assert(now >= m->since); /* meters only move forward in time */
    close_interval(m, now, &e, &g, &c, &st);
    m->energy[m->state] += e;
    m->time[m->state] += sf_time_to_seconds(now - m->since);
    m->grid += g;
    m->stored += st;
    m->power[m->state] += m->slope * sf_time_to_seconds(now - m->since); /* where the ramp has got to */
    if (m->capacity > 0) {
        m->charge = c;
        if (m->state != SF_POWER_CHARGING && c <= 0 && m->power[m->state] > 0)
            m->flat = true;
    }
    m->since = now;
}

/* Cross the plan's steps up to `now`, each as a ramp told at its instant would be. */
static void cross_steps(sf_meter *m, sf_time now)
{
    while (m->plan_n && m->plan->at <= now) {
        const sf_meter_step *s = m->plan++;
        m->plan_n--;
        close_to(m, s->at);
        m->power[m->state] = s->watts;
        m->slope = s->slope;
    }
    if (!m->plan_n)
        m->plan = NULL;
}

/* The meter with its steps up to `now` crossed: itself when there are none, else a copy in *tmp. */
static const sf_meter *crossed(const sf_meter *m, sf_time now, sf_meter *tmp)
{
    if (!m->plan_n || m->plan->at > now)
        return m;
    *tmp = *m;
    cross_steps(tmp, now);
    return tmp;
}

void sf_meter_update(sf_meter *m, sf_time now)
{
    cross_steps(m, now);
    close_to(m, now);
}

void sf_meter_ramp(sf_meter *m, sf_time now, double watts, double slope)
{
    sf_meter_plan(m, now, watts, slope, NULL, 0);
}

void sf_meter_plan(sf_meter *m, sf_time now, double watts, double slope, const sf_meter_step *steps, uint32_t n)
{
    sf_meter_update(m, now);
    m->power[m->state] = watts;
    m->slope = slope;
    m->plan = n ? steps : NULL;
    m->plan_n = n;
}

void sf_meter_set(sf_meter *m, sf_time now, sf_power_state state)
{
    sf_meter_update(m, now);
    if (state != m->state) {
        m->slope = 0;
        m->plan = NULL;
        m->plan_n = 0;
    }
    m->state = state;
    if (state == SF_POWER_CHARGING && m->charge_power > 0)
        m->flat = false;
    if (m->capacity > 0 && m->charge > 0)
        m->flat = false;
}

double sf_meter_charge_at(const sf_meter *m, sf_time now)
{
    double e, g, c, st;
    sf_meter tmp;

    close_interval(crossed(m, now, &tmp), now, &e, &g, &c, &st);
    return c;
}

/* `seconds` after `since`, rounded up to the clock's tick (so that the battery is really empty or full then). */
static sf_time after(sf_time since, double seconds)
{
    sf_time dt, t;

    if (!isfinite(seconds) || sf_time_from_seconds(seconds, &dt) != SF_OK || sf_time_add(since, dt, &t) != SF_OK)
        return SF_TIME_MAX;
    if (sf_time_to_seconds(dt) < seconds)
        t++;
    return t;
}

/* When a draining battery runs flat: in the current ramp, or in the first step of the plan where it does. */
static sf_time flat_at(const sf_meter *m)
{
    sf_meter tmp;
    sf_time t;

    for (;;) {
        if (m->flat)
            return m->since; /* a step was crossed with the battery empty */
        t = after(m->since, flat_seconds(m));
        if (!m->plan_n || t <= m->plan->at)
            return t;
        if (m != &tmp) {
            tmp = *m;
            m = &tmp;
        }
        cross_steps(&tmp, tmp.plan->at);
    }
}

sf_time sf_meter_battery_event(const sf_meter *m)
{
    if (m->capacity <= 0)
        return SF_TIME_MAX;
    if (m->state == SF_POWER_CHARGING) { /* full, or the next step of the taper */
        double next, rate = charging_draw(m, m->charge, &next) * m->efficiency;
        return rate > 0 ? after(m->since, (next - m->charge) / rate) : SF_TIME_MAX;
    }
    return m->flat ? SF_TIME_MAX : flat_at(m);
}

double sf_meter_total(const sf_meter *m, sf_time now)
{
    double sum = 0, e, g, c, st;
    sf_meter tmp;

    m = crossed(m, now, &tmp);
    for (int i = 0; i < SF_POWER_STATES; i++)
        sum += m->energy[i];
    close_interval(m, now, &e, &g, &c, &st);
    return sum + e;
}

double sf_meter_grid(const sf_meter *m, sf_time now)
{
    double e, g, c, st;
    sf_meter tmp;

    m = crossed(m, now, &tmp);
    close_interval(m, now, &e, &g, &c, &st);
    return m->grid + g;
}

/* The band in force at time of day `tod` (bands sorted by `from`, the first from 00:00). */
static size_t band_of(const sf_cfg_energy *E, sf_time tod)
{
    size_t b = 0;

    for (size_t i = 1; i < E->n_tariff; i++)
        if (E->tariff[i].from <= tod)
            b = i;
    return b;
}

/* The peak price of the tariff into *top: false when it has no peak (fewer than two prices). */
static bool peak_price(const sf_cfg_energy *E, double *top)
{
    double low = INFINITY;

    *top = -INFINITY;
    for (size_t i = 0; i < E->n_tariff; i++) {
        *top = fmax(*top, E->tariff[i].price);
        low = fmin(low, E->tariff[i].price);
    }
    return E->n_tariff >= 2 && *top > low;
}

sf_time sf_tariff_next_peak(const sf_cfg_energy *E, sf_time start_of_day, sf_time t)
{
    double top;
    sf_time clock = start_of_day + t, day = clock - clock % SF_DAY;
    size_t b;

    if (!peak_price(E, &top))
        return SF_TIME_MAX;
    if (E->tariff[b = band_of(E, clock % SF_DAY)].price >= top)
        return t;
    for (size_t n = 0; n <= E->n_tariff; n++) { /* band by band, over midnight too */
        if (++b == E->n_tariff) {
            b = 0;
            day += SF_DAY;
        }
        if (E->tariff[b].price >= top)
            return day + E->tariff[b].from - start_of_day;
    }
    return SF_TIME_MAX; /* not reached: some band is at the top */
}

bool sf_tariff_peak(const sf_cfg_energy *E, sf_time start_of_day, sf_time t, sf_time *end)
{
    double top;
    sf_time clock = start_of_day + t, day = clock - clock % SF_DAY;
    size_t b;

    if (!peak_price(E, &top) || E->tariff[b = band_of(E, clock % SF_DAY)].price < top)
        return false;
    /* walk on band by band (over midnight too) to the first that is not at the peak price */
    for (size_t n = 0; n <= 2 * E->n_tariff; n++) {
        if (++b == E->n_tariff) {
            b = 0;
            day += SF_DAY;
        }
        if (E->tariff[b].price < top) {
            *end = day + E->tariff[b].from - start_of_day;
            return true;
        }
    }
    return false; /* not reached: some band is below the top */
}
