/*
 * ledger.c: the plant's energy ledger and time series.
 *
 * The total grid power (base load included) is constant between calls,
 * or ramps linearly while mains-powered vehicles accelerate or brake
 * (the sum of their slopes), and the work in progress is constant;
 * each interval is cut at the planned steps of those vehicles' ramps
 * (the next one of each in a heap, energy.h), at the boundaries of
 * 15-minute windows, clock hours, tariff bands and time-series steps, so
 * each piece has one price, one carbon factor and one window, and the
 * cost across a band boundary and the 15-minute peak are exact.
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "metrics/metrics_internal.h"
#include "model/calendar.h"

/* ---- clock ------------------------------------------------------------- */

/* The first multiple of `unit` on the clock strictly after sim time t, as a sim time. */
static sf_time next_boundary(const sf_metrics *m, sf_time t, sf_time unit)
{
    sf_time c = clock_of(m, t);
    return (c / unit + 1) * unit - m->cfg->scenario.start_time_of_day;
}

static int band_at(const sf_metrics *m, sf_time t)
{
    const sf_cfg_energy *E = &m->cfg->energy;
    sf_time tod = clock_of(m, t) % SF_DAY;
    int b = 0;

    for (size_t i = 1; i < E->n_tariff; i++)
        if (E->tariff[i].from <= tod)
            b = (int)i;
    return b;
}

/* The next tariff band start strictly after t (a day boundary is an hour boundary anyway). */
static sf_time next_band(const sf_metrics *m, sf_time t)
{
    const sf_cfg_energy *E = &m->cfg->energy;
    sf_time c = clock_of(m, t), tod = c % SF_DAY;

    for (size_t i = 0; i < E->n_tariff; i++)
        if (E->tariff[i].from > tod)
            return c - tod + E->tariff[i].from - m->cfg->scenario.start_time_of_day;
    return SF_TIME_MAX;
}

static int hour_at(const sf_metrics *m, sf_time t)
{
    return (int)((clock_of(m, t) % SF_DAY) / SF_HOUR);
}

/* ---- planned steps ----------------------------------------------------- */

static bool sooner(const struct plan_step *a, const struct plan_step *b)
{
    return a->at < b->at || (a->at == b->at && a->ent < b->ent);
}

static void push_step(sf_metrics *m, sf_time at, uint32_t who, uint32_t gen)
{
    size_t i;

    if (sf_grow(m->steps, m->capsteps, m->nsteps + 1) != SF_OK) {
        m->oom = true; /* the plant's ramps would be wrong: the KPIs fail */
        return;
    }
    for (i = m->nsteps++; i > 0 && sooner(&(struct plan_step){at, who, gen}, &m->steps[(i - 1) / 2]); i = (i - 1) / 2)
        m->steps[i] = m->steps[(i - 1) / 2];
    m->steps[i] = (struct plan_step){at, who, gen};
}

/* Take the soonest step off: the last one sinks from the top to where neither child comes before it. */
static void pop_step(sf_metrics *m)
{
    struct plan_step last = m->steps[--m->nsteps];
    size_t i = 0;

    for (;;) {
        size_t to = i;
        const struct plan_step *first = &last;
        for (size_t c = 2 * i + 1; c <= 2 * i + 2 && c < m->nsteps; c++)
            if (sooner(&m->steps[c], first))
                first = &m->steps[to = c];
        if (to == i)
            break;
        m->steps[i] = *first;
        i = to;
    }
    m->steps[i] = last;
}

/* When the next live step comes (steps of replaced plans dropped on the way); SF_TIME_MAX when none. */
static sf_time next_step(sf_metrics *m)
{
    while (m->nsteps && m->steps[0].gen != m->e[m->steps[0].ent].gen)
        pop_step(m);
    return m->nsteps ? m->steps[0].at : SF_TIME_MAX;
}

void sf__metrics_follow_plan(sf_metrics *m, ent *x, const sf_meter_step *steps, uint32_t n)
{
    x->gen++;
    x->step = steps;
    x->nstep = n;
    if (n)
        push_step(m, steps->at, (uint32_t)(x - m->e), x->gen);
}

/* Cross the steps due at `t`: each vehicle's draw closed there and ramping on as its plan says. */
static void cross_steps(sf_metrics *m, sf_time t)
{
    while (next_step(m) == t) {
        ent *x = &m->e[m->steps[0].ent];
        pop_step(m);
        sf__metrics_close_power(m, x, t);
        sf__metrics_set_ramp(m, x, x->step->watts, x->step->slope);
        x->step++;
        if (--x->nstep)
            push_step(m, x->step->at, (uint32_t)(x - m->e), x->gen);
    }
}

/* ---- time series ------------------------------------------------------- */

double sf__metrics_soc_at(const sf_metrics *m, sf_time t)
{
    double sum = 0;
    int n = 0;

    if (!m->w)
        return NAN;
    for (size_t i = 0; i < m->na; i++) {
        const sf_meter *c = &m->e[i].copy;
        if (c->capacity <= 0)
            continue;
        sum += sf_meter_charge_at(c, t > c->since ? t : c->since) / c->capacity;
        n++;
    }
    return n ? sum / n : NAN;
}

int sf__metrics_grow_samples(sf_metrics *m)
{
    return sf_grow(m->smp, m->capsmp, m->nsmp + 2);
}

void sf__metrics_fill_sample(const sf_metrics *m, sf_metrics_sample *s, sf_time to)
{
    double len = secs(to - m->step_start);

    s->t = m->step_start;
    s->completed = m->s_completed;
    s->wip = len > 0 ? m->s_wip / len : m->wip;
    s->power = len > 0 ? m->s_energy / len : sf_calendar_base_load(m->cfg, to, NULL) + m->watts + m->occ_watts;
    s->soc = m->s_soc;
    s->released = m->s_released;
    s->departed = m->s_departed;
    s->stock = len > 0 ? m->s_stock / len : m->stock;
    s->pending = len > 0 ? m->s_pending / len : m->pending;
}

/* The step ending at `t` is complete. */
static void close_step(sf_metrics *m, sf_time t)
{
    if (sf__metrics_grow_samples(m) == SF_OK)
        sf__metrics_fill_sample(m, &m->smp[m->nsmp++], t);
    m->step_start = t;
    m->s_completed = m->s_wip = m->s_energy = m->s_released = m->s_departed = m->s_stock = m->s_pending = 0;
    m->s_soc = sf__metrics_soc_at(m, t);
}

/* ---- plant integration ------------------------------------------------- */

static void close_window(sf_metrics *m, sf_time end)
{
    double covered = secs(end - m->win_from), demand;

    if (covered <= 0)
        return;
    if (m->win_from == m->win_start && end - m->win_start == QUARTER) {
        demand = m->win_energy / secs(QUARTER);
        if (demand > m->peak || m->peak_at < 0) {
            m->peak = demand;
            m->peak_at = m->win_start;
        }
    } else {
        demand = m->win_energy / covered;
        if (demand > m->partial_peak || m->partial_at < 0) {
            m->partial_peak = demand;
            m->partial_at = m->win_start;
        }
    }
}

/*
 * Add the plant's constant power and WIP over [t0, t1) piece by piece:
 * each piece lies in one time-series step and, after the warm-up, in one
 * 15-minute window, one clock hour and one tariff band.
 */
static void integrate(sf_metrics *m, sf_time t0, sf_time t1)
{
    const sf_cfg_energy *E = &m->cfg->energy;

    while (t0 < t1) {
        sf_time cut = t1, b;
        double base = sf_calendar_base_load(m->cfg, t0, &b), P = base + m->watts + m->occ_watts, dt, e;

        if (b < cut) /* the next base load band */
            cut = b;
        if ((b = m->step_start + m->step) < cut)
            cut = b;
        if ((b = next_step(m)) < cut) /* a vehicle's planned ramp changes */
            cut = b;
        if (t0 < m->W) {
            if (m->W < cut)
                cut = m->W;
        } else {
            if ((b = next_boundary(m, t0, QUARTER)) < cut)
                cut = b;
            if ((b = next_band(m, t0)) < cut)
                cut = b;
        }
        dt = secs(cut - t0);
        e = (P + m->slope * dt / 2) * dt; /* vehicles' draws may ramp (linearly): exact */
        m->watts += m->slope * dt;
        m->s_energy += e;
        m->s_wip += m->wip * dt;
        m->s_stock += m->stock * dt;
        m->s_pending += m->pending * dt;
        if (t0 >= m->W) {
            int h = hour_at(m, t0);
            m->energy += e;
            m->base_energy += base * dt;
            sf__metrics_occ_energy(m, dt);
            m->wip_area += m->wip * dt;
            m->stock_area += m->stock * dt;
            if (E->n_tariff)
                m->cost += e * E->tariff[band_at(m, t0)].price;
            m->co2 += e * E->carbon_average[h];
            if (E->has_marginal)
                m->co2_marginal += e * E->carbon_marginal[h];
            m->win_energy += e;
        }
        t0 = cut;
        cross_steps(m, t0);
        if (t0 == m->step_start + m->step)
            close_step(m, t0);
        if (t0 == m->W || (t0 > m->W && clock_of(m, t0) % QUARTER == 0)) {
            if (t0 > m->W)
                close_window(m, t0);
            m->win_start = t0 == m->W ? t0 - clock_of(m, t0) % QUARTER : t0;
            m->win_from = t0;
            m->win_energy = 0;
        }
    }
}

/* Windowed length of [t0, t1): its part after the warm-up, in seconds. */
double sf__metrics_after_warmup(const sf_metrics *m, sf_time t0, sf_time t1)
{
    if (t0 < m->W)
        t0 = m->W;
    return t1 > t0 ? secs(t1 - t0) : 0;
}

void sf__metrics_close_power(sf_metrics *m, ent *x, sf_time now)
{
    double dt = sf__metrics_after_warmup(m, x->psince, now), all = now > x->psince ? secs(now - x->psince) : 0;
    double from = x->watts + x->slope * (all - dt); /* the draw where the part after the warm-up starts */
    double e = (from + x->slope * dt / 2) * dt;

    x->pub.energy[x->pstate] += e;
    x->pub.grid += e;
    x->watts += x->slope * all;
    x->psince = now;
}

void sf__metrics_set_ramp(sf_metrics *m, ent *x, double watts, double slope)
{
    m->watts += watts - x->watts;
    m->slope += slope - x->slope;
    x->watts = watts;
    x->slope = slope;
}

void sf__metrics_set_watts(sf_metrics *m, ent *x, double watts)
{
    sf__metrics_set_ramp(m, x, watts, 0);
}

/* The charging agent whose battery fills first: O(agents), only when a charging agent changes. */
void sf__metrics_find_first_full(sf_metrics *m)
{
    m->first_full = NULL;
    for (size_t i = 0; m->charging && i < m->na; i++)
        if (m->e[i].full != SF_TIME_MAX && (!m->first_full || m->e[i].full < m->first_full->full))
            m->first_full = &m->e[i];
}

/*
 * Bring the plant up to `now`, stopping at every instant before it where
 * a charging battery fills (the charger's draw ends there).
 */
void sf__metrics_advance(sf_metrics *m, sf_time now)
{
    ent *first;
    sf_time off;

    for (;;) {
        first = m->first_full;
        off = sf__metrics_occ_next(m);
        if (off <= now && (!first || off < first->full)) { /* an occupancy load switches off first */
            integrate(m, m->last, off);
            m->last = off;
            sf__metrics_occ_fire(m, off);
            continue;
        }
        if (!first || first->full > now)
            break;
        integrate(m, m->last, first->full);
        m->last = first->full;
        sf__metrics_close_power(m, first, first->full);
        sf__metrics_set_watts(m, first, 0);
        first->full = SF_TIME_MAX;
        m->charging--;
        sf__metrics_find_first_full(m);
    }
    if (now > m->last) {
        integrate(m, m->last, now);
        m->last = now;
    }
}

size_t sf_metrics_samples(const sf_metrics *m, const sf_metrics_sample **v)
{
    *v = m->smp;
    return m->nsmp + m->has_partial;
}

/*
 * The highest mean power over a complete 15-minute window of the clock;
 * when the measured period holds none, the highest over the clipped
 * windows it does hold (each averaged over its covered part).
 */
double sf_metrics_peak(const sf_metrics *m, sf_time *window_start)
{
    double open = 0;
    sf_time open_at = -1;

    if (m->peak_at >= 0) {
        if (window_start)
            *window_start = m->peak_at;
        return m->peak;
    }
    if (m->last > m->win_from && m->last > m->W) {
        open = m->win_energy / secs(m->last - m->win_from);
        open_at = m->win_start;
    }
    if (m->partial_at >= 0 && (open_at < 0 || m->partial_peak >= open)) {
        open = m->partial_peak;
        open_at = m->partial_at;
    }
    if (window_start)
        *window_start = open_at;
    return open_at >= 0 ? open : 0;
}

size_t sf_mser(const double *y, size_t n)
{
    size_t best = 0;
    double best_v = INFINITY;

    for (size_t d = 0; d <= n / 2 && d < n; d++) {
        double sum = 0, ss = 0, mean, v;
        for (size_t i = d; i < n; i++)
            sum += y[i];
        mean = sum / (double)(n - d);
        for (size_t i = d; i < n; i++)
            ss += (y[i] - mean) * (y[i] - mean);
        v = ss / ((double)(n - d) * (double)(n - d));
        if (v < best_v) {
            best_v = v;
            best = d;
        }
    }
    return best;
}

sf_time sf_metrics_mser5(const sf_metrics *m)
{
    size_t nb = m->nsmp / 5;
    double *y;
    size_t d;

    if (nb < 4 || !(y = sf_calloc(nb, sizeof *y)))
        return -1;
    for (size_t b = 0; b < nb; b++) {
        for (size_t i = 0; i < 5; i++)
            y[b] += m->smp[5 * b + i].completed;
        y[b] /= 5;
    }
    d = sf_mser(y, nb);
    free(y);
    return (sf_time)d * 5 * m->step + (m->smp[0].t);
}
