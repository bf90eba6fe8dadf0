/*
 * metrics.c: state times, jobs, the energy ledger and safety, kept exactly.
 *
 * Two kinds of piecewise-constant quantity are followed:
 *   - per entity, its state and its grid power: closed at the entity's
 *     own transitions (and at sf_metrics_close);
 *   - for the plant, the total grid power (base load included) and the
 *     work in progress: closed at every call, cut at the boundaries of
 *     15-minute windows, clock hours, tariff bands and time-series steps,
 *     so each piece has one price, one carbon factor and one window.
 * A call costs O(1) plus one piece per boundary crossed since the last
 * call; an agent that starts or stops charging adds an O(agents) scan for the
 * instant its battery fills and the charger stops drawing.
 */
#include "metrics/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "model/safety.h"

#define QUARTER (15 * SF_MINUTE) /* the window of the peak demand */

typedef struct ent {
    sf_metrics_entity pub;
    char name[64];
    sf_state state;
    sf_time since;
    sf_power_state pstate;
    sf_time psince;
    double watts;
    /* agents followed in a world: the meter as of the last power call, and as of the warm-up */
    sf_meter copy, snap;
    bool snapped;
    sf_time full; /* when a charging battery fills and the charger stops drawing; SF_TIME_MAX */
    int type;     /* fleet type (agents), -1 for stations */
    /* stations */
    uint64_t ops, bad;
    double ideal; /* s of ideal operation time of the operations ended here */
} ent;

struct sf_metrics {
    const sf_scenario_config *cfg;
    sf_world *w;
    sf_time W, begin, last;
    size_t na, ns, nt; /* entities: agents, stations, then the spare packs of each fleet entry */
    ent *e; /* agents, then stations */
    size_t charging; /* agents whose `full` is pending */
    ent *first_full; /* the one whose battery fills first, or NULL */
    double watts;    /* sum of entity watts (without the base load) */
    FILE *trace;

    /* jobs (after the warm-up, except wip) */
    double wip, wip_area, sojourn;
    uint64_t released, completed, scrapped, reworked, departed, with_due, on_time;
    uint64_t *by_product;
    sf_tally lead;
    uint64_t ops, ops_kind[SF_AGENT_KINDS];
    sf_time *picked;      /* per job number: when its unit was last picked up by a carrier */
    size_t npicked;
    uint64_t moves;       /* deliveries by carrier */
    double move_time;     /* s, pickup to delivery */

    /* energy ledger (after the warm-up) */
    double energy, cost, co2, co2_marginal;
    sf_time win_start, win_from; /* the open 15-minute window and where its coverage starts */
    double win_energy;
    double peak, partial_peak;
    sf_time peak_at, partial_at;

    /* safety (after the warm-up) */
    uint64_t stops, slows, near;
    double min_sep;

    /* time series (whole run) */
    sf_time step, step_start;
    double s_completed, s_wip, s_energy, s_soc;
    sf_metrics_sample *smp; /* full steps, then room for the open one */
    size_t nsmp, capsmp;
    bool has_partial;
};

/* ---- clock ------------------------------------------------------------- */

static sf_time clock_of(const sf_metrics *m, sf_time t)
{
    return m->cfg->scenario.start_time_of_day + t;
}

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

static double secs(sf_time dt)
{
    return sf_time_to_seconds(dt);
}

/* ---- time series ------------------------------------------------------- */

static double soc_at(const sf_metrics *m, sf_time t)
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

static int grow_samples(sf_metrics *m)
{
    return sf_grow(m->smp, m->capsmp, m->nsmp + 2);
}

static void fill_sample(const sf_metrics *m, sf_metrics_sample *s, sf_time to)
{
    double len = secs(to - m->step_start);

    s->t = m->step_start;
    s->completed = m->s_completed;
    s->wip = len > 0 ? m->s_wip / len : m->wip;
    s->power = len > 0 ? m->s_energy / len : m->cfg->energy.base_load + m->watts;
    s->soc = m->s_soc;
}

/* The step ending at `t` is complete. */
static void close_step(sf_metrics *m, sf_time t)
{
    if (grow_samples(m) == SF_OK)
        fill_sample(m, &m->smp[m->nsmp++], t);
    m->step_start = t;
    m->s_completed = m->s_wip = m->s_energy = 0;
    m->s_soc = soc_at(m, t);
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
    double P = E->base_load + m->watts;

    while (t0 < t1) {
        sf_time cut = t1, b;
        double dt, e;

        if ((b = m->step_start + m->step) < cut)
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
        e = P * dt;
        m->s_energy += e;
        m->s_wip += m->wip * dt;
        if (t0 >= m->W) {
            int h = hour_at(m, t0);
            m->energy += e;
            m->wip_area += m->wip * dt;
            if (E->n_tariff)
                m->cost += e * E->tariff[band_at(m, t0)].price;
            m->co2 += e * E->carbon_average[h];
            if (E->has_marginal)
                m->co2_marginal += e * E->carbon_marginal[h];
            m->win_energy += e;
        }
        t0 = cut;
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
static double after_warmup(const sf_metrics *m, sf_time t0, sf_time t1)
{
    if (t0 < m->W)
        t0 = m->W;
    return t1 > t0 ? secs(t1 - t0) : 0;
}

static void close_power(sf_metrics *m, ent *x, sf_time now)
{
    double dt = after_warmup(m, x->psince, now);

    x->pub.energy[x->pstate] += x->watts * dt;
    x->pub.grid += x->watts * dt;
    x->psince = now;
}

static void set_watts(sf_metrics *m, ent *x, double watts)
{
    m->watts += watts - x->watts;
    x->watts = watts;
}

/* The charging agent whose battery fills first: O(agents), only when a charging agent changes. */
static void find_first_full(sf_metrics *m)
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
static void advance(sf_metrics *m, sf_time now)
{
    ent *first;

    while ((first = m->first_full) && first->full <= now) {
        integrate(m, m->last, first->full);
        m->last = first->full;
        close_power(m, first, first->full);
        set_watts(m, first, 0);
        first->full = SF_TIME_MAX;
        m->charging--;
        find_first_full(m);
    }
    if (now > m->last) {
        integrate(m, m->last, now);
        m->last = now;
    }
}

/* ---- callbacks --------------------------------------------------------- */

static ent *entity(sf_metrics *m, sf_entity e, uint32_t id)
{
    if (e == SF_ENTITY_AGENT)
        return id < m->na ? &m->e[id] : NULL;
    if (e == SF_ENTITY_PACKS)
        return id < m->nt ? &m->e[m->na + m->ns + id] : NULL;
    return id < m->ns ? &m->e[m->na + id] : NULL;
}

static void close_state(sf_metrics *m, ent *x, sf_time now)
{
    x->pub.time[x->state] += after_warmup(m, x->since, now);
    x->since = now;
}

/* One row of trace.csv: time_s,entity,name,state. */
static void trace_row(FILE *f, sf_time t, bool agent, const char *name, sf_state s)
{
    sf_csv_num(f, secs(t));
    fputs(agent ? ",agent," : ",station,", f);
    sf_csv_field(f, name);
    fprintf(f, ",%s\n", sf_state_name(s));
}

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    sf_metrics *m = ctx;
    ent *x = entity(m, e, id);

    if (!x)
        return;
    advance(m, now);
    close_state(m, x, now);
    x->state = s;
    if (m->trace)
        trace_row(m->trace, now, e == SF_ENTITY_AGENT, x->name, s);
}

/* The meter of an agent as it was at the warm-up, from the copy taken at its last power call. */
static void snap(sf_metrics *m, ent *x)
{
    if (x->snapped || !m->w || x->copy.since > m->W)
        return;
    x->snap = x->copy;
    sf_meter_update(&x->snap, m->W);
    x->snapped = true;
}

static void on_power(void *ctx, sf_entity e, uint32_t id, sf_power_state s, double watts, sf_time now)
{
    sf_metrics *m = ctx;
    ent *x = entity(m, e, id);

    if (!x)
        return;
    advance(m, now);
    close_power(m, x, now);
    x->pstate = s;
    if (x->full != SF_TIME_MAX) {
        x->full = SF_TIME_MAX;
        m->charging--;
        find_first_full(m);
    }
    if (e == SF_ENTITY_AGENT && m->w) {
        if (now >= m->W)
            snap(m, x);
        x->copy = sf_world_agent(m->w, id)->meter;
        if (x->copy.capacity > 0 && s == SF_POWER_CHARGING) {
            if (x->copy.charge >= x->copy.capacity)
                watts = 0; /* already full: the charger draws nothing */
            else if ((x->full = sf_meter_battery_event(&x->copy)) != SF_TIME_MAX) {
                m->charging++;
                find_first_full(m);
            }
        }
    }
    set_watts(m, x, watts);
}

static double ideal_time(const sf_metrics *m, int product, int op)
{
    if (product < 0 || (size_t)product >= m->cfg->n_products || op < 0 ||
        (size_t)op >= m->cfg->products[product].n_ops)
        return 0;
    return sf_dist_mean(&m->cfg->products[product].ops[op].time);
}

static void on_job(void *ctx, const sf_job_event *ev)
{
    sf_metrics *m = ctx;
    bool counted = ev->now >= m->W;
    ent *st = ev->station >= 0 ? entity(m, SF_ENTITY_STATION, (uint32_t)ev->station) : NULL;

    advance(m, ev->now);
    switch (ev->what) {
    case SF_JOB_RELEASED:
        m->wip += 1;
        m->released += counted;
        break;
    case SF_JOB_OP_START:
        break;
    case SF_JOB_PICKED_UP:
        if (ev->job >= m->npicked) {
            size_t n = m->npicked ? m->npicked : 64;
            sf_time *v;
            while (n <= ev->job)
                n *= 2;
            if (!(v = sf_realloc(m->picked, n * sizeof *v)))
                break; /* out of memory: this move goes uncounted */
            m->picked = v;
            m->npicked = n;
        }
        m->picked[ev->job] = ev->now;
        break;
    case SF_JOB_DELIVERED:
        if (counted && ev->job < m->npicked) {
            m->moves++;
            m->move_time += secs(ev->now - m->picked[ev->job]);
        }
        break;
    case SF_JOB_OP_END:
        if (!counted)
            break;
        m->ops++;
        for (int k = 0; k < SF_AGENT_KINDS; k++)
            if (ev->crew & (1u << k))
                m->ops_kind[k]++;
        if (st) {
            st->ops++;
            st->ideal += ideal_time(m, ev->product, ev->op);
        }
        break;
    case SF_JOB_REWORK:
        if (counted) {
            m->reworked++;
            if (st)
                st->bad++;
        }
        break;
    case SF_JOB_COMPLETED:
    case SF_JOB_SCRAPPED:
        m->wip -= 1;
        if (ev->what == SF_JOB_COMPLETED)
            m->s_completed += 1;
        if (!counted)
            break;
        m->departed++;
        m->sojourn += secs(ev->now - ev->released);
        if (ev->what == SF_JOB_SCRAPPED) {
            m->scrapped++;
            if (st)
                st->bad++;
            break;
        }
        m->completed++;
        if (ev->product >= 0 && (size_t)ev->product < m->cfg->n_products)
            m->by_product[ev->product]++;
        sf_tally_add(&m->lead, secs(ev->now - ev->released));
        if (ev->due > 0) {
            m->with_due++;
            m->on_time += ev->now <= ev->due;
        }
        break;
    }
}

static void on_safety(void *ctx, const sf_safety_event *ev)
{
    sf_metrics *m = ctx;

    advance(m, ev->now);
    if (ev->now < m->W)
        return;
    m->stops += ev->what == SF_SAFETY_STOP;
    m->slows += ev->what == SF_SAFETY_SLOW;
    m->near += ev->what == SF_SAFETY_NEAR_MISS;
    if (!isnan(ev->separation) && (isnan(m->min_sep) || ev->separation < m->min_sep))
        m->min_sep = ev->separation;
}

/* ---- life -------------------------------------------------------------- */

sf_time sf_metrics_default_step(sf_time horizon)
{
    static const int64_t steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 86400};
    sf_time h = horizon > 0 && horizon != SF_TIME_MAX ? horizon : 8 * SF_HOUR;
    size_t i = 0;

    while (i + 1 < sizeof steps / sizeof steps[0] && steps[i] * SF_SECOND * 100 < h)
        i++;
    return steps[i] * SF_SECOND;
}

sf_metrics *sf_metrics_new(const sf_scenario_config *cfg, sf_time now, sf_time sample_every)
{
    sf_metrics *m = sf_calloc(1, sizeof *m);
    size_t id = 0;

    if (!m)
        return NULL;
    m->cfg = cfg;
    m->W = cfg->scenario.warmup;
    m->begin = m->last = m->step_start = now;
    m->step = sample_every > 0 ? sample_every : cfg->outputs.sample_every > 0 ? cfg->outputs.sample_every : sf_metrics_default_step(cfg->scenario.horizon);
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        m->na += (size_t)cfg->fleet.types[t].count;
    m->ns = cfg->layout.n_stations;
    m->nt = cfg->fleet.n_types;
    sf_tally_init(&m->lead, true);
    m->min_sep = NAN;
    m->peak_at = m->partial_at = -1;
    m->win_start = now - clock_of(m, now) % QUARTER;
    m->win_from = now > m->W ? now : m->W;
    m->s_soc = NAN;
    if (!(m->e = sf_calloc(m->na + m->ns + m->nt + 1, sizeof *m->e)) ||
        !(m->by_product = sf_calloc(cfg->n_products + 1, sizeof *m->by_product)) || grow_samples(m) != SF_OK)
        goto fail;
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        for (int c = 0; c < cfg->fleet.types[t].count; c++, id++) {
            ent *x = &m->e[id];
            snprintf(x->name, sizeof x->name, "%s.%d", cfg->fleet.types[t].name, c + 1);
            x->pub.type = cfg->fleet.types[t].name;
            x->type = (int)t;
        }
    for (size_t s = 0; s < m->ns; s++) {
        ent *x = &m->e[m->na + s];
        snprintf(x->name, sizeof x->name, "%s", cfg->layout.stations[s].name);
        x->pub.type = cfg->layout.stations[s].group ? cfg->layout.stations[s].group : "";
        x->type = -1;
    }
    for (size_t t = 0; t < m->nt; t++) { /* drawing from the grid only when the fleet entry swaps batteries */
        ent *x = &m->e[m->na + m->ns + t];
        snprintf(x->name, sizeof x->name, "spare packs of %s", cfg->fleet.types[t].name);
        x->pub.type = cfg->fleet.types[t].name;
        x->type = (int)t;
    }
    for (size_t i = 0; i < m->na + m->ns + m->nt; i++) {
        m->e[i].pub.name = m->e[i].name;
        m->e[i].since = m->e[i].psince = now;
        m->e[i].state = SF_STATE_IDLE;
        m->e[i].pstate = SF_POWER_IDLE;
        m->e[i].full = SF_TIME_MAX;
    }
    return m;
fail:
    sf_metrics_free(m);
    return NULL;
}

void sf_metrics_free(sf_metrics *m)
{
    if (!m)
        return;
    sf_tally_close(&m->lead);
    free(m->e);
    free(m->by_product);
    free(m->picked);
    free(m->smp);
    free(m);
}

sf_observer sf_metrics_observer(sf_metrics *m)
{
    sf_observer o = {on_state, on_power, on_job, on_safety, NULL, m};
    return o;
}

int sf_metrics_attach(sf_metrics *m, sf_world *w)
{
    sf_observer o = sf_metrics_observer(m);
    uint32_t n = sf_world_agent_count(w);

    for (uint32_t id = 0; id < n && id < m->na; id++) {
        const sf_agent *a = sf_world_agent(w, id);
        ent *x = &m->e[id];
        x->state = a->state;
        x->pstate = a->meter.state;
        x->copy = x->snap = a->meter;
        if (x->snap.since < m->last)
            sf_meter_update(&x->snap, m->last);
        x->snapped = m->W <= m->last;
        if (a->meter.capacity <= 0)
            set_watts(m, x, a->meter.power[a->meter.state]);
        else if (a->meter.state == SF_POWER_CHARGING && a->meter.charge < a->meter.capacity)
            set_watts(m, x, a->meter.charge_power);
    }
    m->w = w;
    m->s_soc = soc_at(m, m->last);
    return sf_world_observe(w, &o);
}

void sf_metrics_trace(sf_metrics *m, FILE *f)
{
    m->trace = f;
    for (size_t i = 0; f && i < m->na + m->ns; i++)
        trace_row(f, m->last, i < m->na, m->e[i].name, m->e[i].state);
}

void sf_metrics_close(sf_metrics *m, sf_time now)
{
    if (now < m->last)
        now = m->last;
    advance(m, now);
    for (size_t i = 0; i < m->na + m->ns + m->nt; i++) {
        close_state(m, &m->e[i], now);
        close_power(m, &m->e[i], now);
    }
    if (m->w) {
        sf_world_settle(m->w, now);
        for (size_t i = 0; i < m->na && i < sf_world_agent_count(m->w); i++) {
            ent *x = &m->e[i];
            const sf_meter *mt = &sf_world_agent(m->w, (uint32_t)i)->meter;
            if (now >= m->W)
                snap(m, x);
            if (!x->snapped)
                continue;
            for (int s = 0; s < SF_POWER_STATES; s++)
                x->pub.energy[s] = mt->energy[s] - x->snap.energy[s];
            x->pub.grid = mt->grid - x->snap.grid;
        }
    }
    fill_sample(m, &m->smp[m->nsmp], now);
    m->has_partial = now > m->step_start;
}

/* ---- read access ------------------------------------------------------- */

size_t sf_metrics_agents(const sf_metrics *m) { return m->na; }
size_t sf_metrics_stations(const sf_metrics *m) { return m->ns; }
const sf_metrics_entity *sf_metrics_agent(const sf_metrics *m, size_t i) { return i < m->na ? &m->e[i].pub : NULL; }
const sf_metrics_entity *sf_metrics_station(const sf_metrics *m, size_t i) { return i < m->ns ? &m->e[m->na + i].pub : NULL; }
sf_time sf_metrics_step(const sf_metrics *m) { return m->step; }
const sf_tally *sf_metrics_lead_times(const sf_metrics *m) { return &m->lead; }
sf_time sf_metrics_from(const sf_metrics *m) { return m->W > m->begin ? m->W : m->begin; }
sf_time sf_metrics_to(const sf_metrics *m) { return m->last; }

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

/* ---- KPIs -------------------------------------------------------------- */

static bool busy_state(int s)
{
    return s != SF_STATE_IDLE && s != SF_STATE_CHARGING && s != SF_STATE_FAILED && s != SF_STATE_OFF_SHIFT &&
           s != SF_STATE_ON_BREAK && s != SF_STATE_STARVED && s != SF_STATE_BLOCKED;
}

static double total_time(const sf_metrics_entity *x)
{
    double t = 0;
    for (int s = 0; s < SF_STATES; s++)
        t += x->time[s];
    return t;
}

static double busy_time(const sf_metrics_entity *x)
{
    double t = 0;
    for (int s = 0; s < SF_STATES; s++)
        if (busy_state(s))
            t += x->time[s];
    return t;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

/*
 * The rate a robot of fleet type t works at under reduced speed, as the
 * safety monitor sets it (model/safety.c): reduced_speed over the speed
 * its cycle times hold for, at most 1. 1 without a rule.
 */
static double reduced_rate(const sf_scenario_config *cfg, int t)
{
    for (size_t i = 0; t >= 0 && i < cfg->safety.n_rules; i++) {
        const sf_cfg_safety_rule *r = &cfg->safety.rules[i];
        double speed;
        if (r->agent_type != t)
            continue;
        speed = r->robot_speed > 0 ? r->robot_speed : cfg->fleet.types[t].speed > 0 ? cfg->fleet.types[t].speed : 1;
        return fmin(1, r->reduced_speed / speed);
    }
    return 1;
}

#define ADD(metric, entity, value, unit, headline)                                                                   \
    do {                                                                                                             \
        if ((rc = sf_kpis_add(out, metric, entity, value, unit, headline)) != SF_OK)                                 \
            return rc;                                                                                               \
    } while (0)

/* OEE of one station: availability x performance x quality (docs/results.md). */
static int station_kpis(const sf_metrics *m, size_t s, sf_kpis *out)
{
    const ent *x = &m->e[m->na + s];
    const double *t = x->pub.time;
    double planned = total_time(&x->pub) - t[SF_STATE_OFF_SHIFT] - t[SF_STATE_ON_BREAK];
    double operating = planned - t[SF_STATE_FAILED] - t[SF_STATE_SETUP];
    int cap = m->cfg->layout.stations[s].capacity > 0 ? m->cfg->layout.stations[s].capacity : 1;
    double a = ratio(operating, planned), p = ratio(x->ideal, operating * cap);
    double q = ratio((double)(x->ops - x->bad), (double)x->ops);
    char metric[64];
    int rc;

    ADD("utilisation", x->name, 100 * ratio(busy_time(&x->pub), total_time(&x->pub) - t[SF_STATE_OFF_SHIFT]), "%", false);
    ADD("availability", x->name, 100 * a, "%", false);
    ADD("performance", x->name, 100 * p, "%", false);
    ADD("quality", x->name, 100 * q, "%", false);
    ADD("oee", x->name, 100 * a * p * q, "%", false);
    ADD("operations", x->name, (double)x->ops, "", false);
    ADD("energy_grid", x->name, x->pub.grid / 3.6e6, "kWh", false);
    for (int k = 0; k < SF_STATES; k++) {
        snprintf(metric, sizeof metric, "time_%s", sf_state_name((sf_state)k));
        ADD(metric, x->name, t[k] / SF_SECONDS_PER_HOUR, "h", false);
    }
    return SF_OK;
}

/* Per agent type: utilisation, time in every state, energy by power state and from the grid, presence. */
static int type_kpis(const sf_metrics *m, size_t type, sf_kpis *out, double *presence)
{
    const char *name = m->cfg->fleet.types[type].name;
    sf_metrics_entity sum = {0};
    char metric[64];
    int rc;

    for (size_t i = 0; i < m->na; i++) {
        const ent *x = &m->e[i];
        if (x->type != (int)type)
            continue;
        for (int s = 0; s < SF_STATES; s++)
            sum.time[s] += x->pub.time[s];
        for (int s = 0; s < SF_POWER_STATES; s++)
            sum.energy[s] += x->pub.energy[s];
        sum.grid += x->pub.grid;
        ADD("utilisation", x->name,
            100 * ratio(busy_time(&x->pub), total_time(&x->pub) - x->pub.time[SF_STATE_OFF_SHIFT]), "%", false);
        ADD("energy_grid", x->name, x->pub.grid / 3.6e6, "kWh", false);
    }
    { /* its spare packs charging count with the fleet entry's energy */
        const ent *x = &m->e[m->na + m->ns + type];
        for (int s = 0; s < SF_POWER_STATES; s++)
            sum.energy[s] += x->pub.energy[s];
        sum.grid += x->pub.grid;
    }
    *presence = total_time(&sum) - sum.time[SF_STATE_OFF_SHIFT];
    ADD("utilisation", name, 100 * ratio(busy_time(&sum), *presence), "%", false);
    ADD("presence", name, *presence / SF_SECONDS_PER_HOUR, "h", false);
    ADD("energy_grid", name, sum.grid / 3.6e6, "kWh", false);
    for (int s = 0; s < SF_STATES; s++) {
        snprintf(metric, sizeof metric, "time_%s", sf_state_name((sf_state)s));
        ADD(metric, name, sum.time[s] / SF_SECONDS_PER_HOUR, "h", false);
    }
    for (int s = 0; s < SF_POWER_STATES; s++) {
        snprintf(metric, sizeof metric, "energy_%s", sf_power_state_name((sf_power_state)s));
        ADD(metric, name, sum.energy[s] / 3.6e6, "kWh", false);
    }
    return SF_OK;
}

int sf_metrics_kpis(sf_metrics *m, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    const char *cur = cfg->fleet.currency && *cfg->fleet.currency ? cfg->fleet.currency
                      : cfg->energy.currency ? cfg->energy.currency : "";
    sf_time from = sf_metrics_from(m), mser;
    double hours = m->last > from ? secs(m->last - from) / SF_SECONDS_PER_HOUR : 0;
    double worker_s = 0, labour = 0, equipment = 0, lost = 0, working = 0, peak, energy_cost, demand_cost;
    double good = (double)m->completed;
    int rc;

    ADD("throughput", "", ratio(good, hours), "1/h", true);
    ADD("completed", "", good, "", true);
    for (size_t p = 0; p < cfg->n_products; p++)
        ADD("completed", cfg->products[p].name, (double)m->by_product[p], "", false);
    ADD("released", "", (double)m->released, "", false);
    ADD("scrapped", "", (double)m->scrapped, "", false);
    ADD("reworked", "", (double)m->reworked, "", false);
    ADD("lead_time_mean", "", sf_tally_mean(&m->lead) / 60, "min", true);
    ADD("lead_time_p50", "", sf_tally_percentile(&m->lead, 0.50) / 60, "min", false);
    ADD("lead_time_p90", "", sf_tally_percentile(&m->lead, 0.90) / 60, "min", false);
    ADD("lead_time_p95", "", sf_tally_percentile(&m->lead, 0.95) / 60, "min", false);
    ADD("lead_time_max", "", m->lead.n ? m->lead.max / 60 : NAN, "min", false);
    ADD("wip_mean", "", ratio(m->wip_area, hours * SF_SECONDS_PER_HOUR), "", true);
    ADD("on_time_rate", "", 100 * ratio((double)m->on_time, (double)m->with_due), "%", m->with_due > 0);
    ADD("ops_share_people", "", 100 * ratio((double)m->ops_kind[SF_AGENT_WORKER], (double)m->ops), "%", false);
    ADD("ops_share_humanoids", "", 100 * ratio((double)m->ops_kind[SF_AGENT_HUMANOID], (double)m->ops), "%", false);
    ADD("ops_share_arms", "", 100 * ratio((double)m->ops_kind[SF_AGENT_ARM], (double)m->ops), "%", false);
    for (size_t p = 0; p < cfg->n_products; p++)
        if (cfg->products[p].transport.n_crew > 0) { /* only plants whose units are carried */
            ADD("moves", "", (double)m->moves, "", false);
            ADD("move_time_mean", "", ratio(m->move_time, (double)m->moves) / 60, "min", false);
            break;
        }

    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        double presence;
        if ((rc = type_kpis(m, t, out, &presence)) != SF_OK)
            return rc;
        if (cfg->fleet.types[t].kind == SF_AGENT_WORKER) {
            worker_s += presence;
            labour += presence * cfg->fleet.types[t].cost_per_hour;
        } else {
            equipment += presence * cfg->fleet.types[t].cost_per_hour;
        }
    }
    for (size_t s = 0; s < m->ns; s++)
        if ((rc = station_kpis(m, s, out)) != SF_OK)
            return rc;
    ADD("worker_hours", "", worker_s / SF_SECONDS_PER_HOUR, "h", false);
    ADD("labour_productivity", "", ratio(good, worker_s / SF_SECONDS_PER_HOUR), "1/worker-h", worker_s > 0);

    peak = sf_metrics_peak(m, NULL);
    energy_cost = m->cost;
    demand_cost = peak * cfg->energy.demand_charge;
    ADD("energy_grid", "", m->energy / 3.6e6, "kWh", true);
    ADD("energy_base_load", "", cfg->energy.base_load * hours * SF_SECONDS_PER_HOUR / 3.6e6, "kWh", false);
    ADD("kwh_per_unit", "", ratio(m->energy / 3.6e6, good), "kWh", false);
    ADD("peak_demand_15min", "", peak / 1000, "kW", true);
    ADD("energy_cost", "", energy_cost, cur, false);
    ADD("demand_charge", "", demand_cost, cur, false);
    ADD("co2", "", m->co2, "kg", true);
    if (cfg->energy.has_marginal)
        ADD("co2_marginal", "", m->co2_marginal, "kg", false);
    ADD("co2_per_unit", "", ratio(m->co2, good), "kg", false);
    ADD("cost_labour", "", labour, cur, false);
    ADD("cost_equipment", "", equipment, cur, false);
    ADD("cost_energy", "", energy_cost + demand_cost, cur, false);
    ADD("cost_total", "", labour + equipment + energy_cost + demand_cost, cur, false);
    ADD("cost_per_unit", "", ratio(labour + equipment + energy_cost + demand_cost, good), cur, true);

    /* work lost to safety: agents' protective stops count whole, reduced speed at 1 - its rate, people held outside whole */
    for (size_t i = 0; i < m->na; i++) {
        const double *t = m->e[i].pub.time;
        lost += t[SF_STATE_SAFETY_STOP] + t[SF_STATE_WAIT_ROBOT] +
                t[SF_STATE_REDUCED_SPEED] * (1 - reduced_rate(cfg, m->e[i].type));
        working += t[SF_STATE_WORKING] + t[SF_STATE_REDUCED_SPEED] + t[SF_STATE_SAFETY_STOP];
    }
    if (isnan(m->min_sep) && m->w && sf_world_safety(m->w)) {
        for (size_t i = 0; i < m->na; i++) {
            sf_safety_stats st = sf_safety_robot_stats(sf_world_safety(m->w), (uint32_t)i, m->last);
            if (isfinite(st.min_separation) && (isnan(m->min_sep) || st.min_separation < m->min_sep))
                m->min_sep = st.min_separation;
        }
    }
    ADD("protective_stops", "", (double)m->stops, "", true);
    ADD("safety_slowdowns", "", (double)m->slows, "", false);
    ADD("near_misses", "", (double)m->near, "", false);
    ADD("min_separation", "", m->min_sep, "m", false);
    {
        double reduced = 0, stopped = 0;
        for (size_t i = 0; i < m->na + m->ns; i++) {
            reduced += m->e[i].pub.time[SF_STATE_REDUCED_SPEED];
            stopped += m->e[i].pub.time[SF_STATE_SAFETY_STOP];
        }
        ADD("reduced_speed_time", "", reduced / SF_SECONDS_PER_HOUR, "h", false);
        ADD("safety_stop_time", "", stopped / SF_SECONDS_PER_HOUR, "h", false);
    }
    ADD("safety_work_lost", "", lost / SF_SECONDS_PER_HOUR, "h", false);
    ADD("throughput_lost_safety", "", working > 0 ? ratio(good * lost / working, hours) : 0, "1/h", false);

    ADD("warmup", "", secs(m->W) / SF_SECONDS_PER_HOUR, "h", false);
    mser = sf_metrics_mser5(m);
    ADD("warmup_mser5", "", mser >= 0 ? secs(mser) / SF_SECONDS_PER_HOUR : NAN, "h", false);
    return SF_OK;
}
