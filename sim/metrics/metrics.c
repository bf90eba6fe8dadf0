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
 *
 * This file holds the observer's callbacks and life; the plant's ledger
 * and time series are in ledger.c, the KPIs in figures.c, the state they
 * share in metrics_internal.h.
 */
#include "metrics/metrics.h"
#include "metrics/metrics_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "model/safety.h"

/* ---- callbacks --------------------------------------------------------- */

static ent *entity(sf_metrics *m, sf_entity e, uint32_t id)
{
    if (e == SF_ENTITY_AGENT)
        return id < m->na ? &m->e[id] : NULL;
    if (e == SF_ENTITY_PACKS)
        return id < m->nt ? &m->e[m->na + m->ns + id] : NULL;
    if (e == SF_ENTITY_CRANE || e == SF_ENTITY_FEED_BACK)
        return id < m->nr ? &m->e[m->na + m->ns + m->nt + (e == SF_ENTITY_FEED_BACK ? m->nr : 0) + id] : NULL;
    return id < m->ns ? &m->e[m->na + id] : NULL;
}

static void close_state(sf_metrics *m, ent *x, sf_time now)
{
    x->pub.time[x->state] += sf__metrics_after_warmup(m, x->since, now);
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

/* The entity a change is about, with the books brought up to now; NULL for one not followed. */
static ent *changed(sf_metrics *m, sf_entity e, uint32_t id, sf_time now)
{
    ent *x = entity(m, e, id);

    if (x)
        sf__metrics_advance(m, now);
    return x;
}

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    sf_metrics *m = ctx;
    ent *x = changed(m, e, id, now);

    if (!x)
        return;
    close_state(m, x, now);
    x->state = s;
    if (e == SF_ENTITY_AGENT)
        sf__metrics_occ_state(m, now);
    if (m->trace)
        trace_row(m->trace, now, e == SF_ENTITY_AGENT, x->name, s);
    sf__metrics_rack_follow(m, now);
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
    ent *x = changed(m, e, id, now);

    if (!x)
        return;
    sf__metrics_close_power(m, x, now);
    x->pstate = s;
    if (x->full != SF_TIME_MAX) {
        x->full = SF_TIME_MAX;
        m->charging--;
        sf__metrics_find_first_full(m);
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
                sf__metrics_find_first_full(m);
            }
        }
    }
    /* a mains-powered vehicle's draw ramps with its speed (the meter's slope); a battery's takes nothing from the grid */
    if (e == SF_ENTITY_AGENT && m->w && x->copy.capacity <= 0) {
        sf__metrics_set_ramp(m, x, watts, x->copy.slope);
        sf__metrics_follow_plan(m, x, x->copy.plan, x->copy.plan_n);
    } else
        sf__metrics_set_ramp(m, x, watts, 0);
}

static void on_zone(void *ctx, uint32_t agent, uint32_t zone, bool inside, sf_time now)
{
    sf__metrics_occ_zone(ctx, agent, zone, inside, now);
}

static double ideal_time(const sf_metrics *m, int product, int op)
{
    if (product < 0 || (size_t)product >= m->cfg->n_products || op < 0 ||
        (size_t)op >= m->cfg->products[product].n_ops)
        return 0;
    return sf_dist_mean(&m->cfg->products[product].ops[op].time);
}

/* Set (*v)[job] = t, growing the per-job array; false when out of memory. */
static bool job_time(sf_time **v, size_t *n, uint64_t job, sf_time t)
{
    if (job >= *n) {
        size_t cap = *n ? *n : 64;
        sf_time *w;
        while (cap <= job)
            cap *= 2;
        if (!(w = sf_realloc(*v, cap * sizeof *w)))
            return false;
        *v = w;
        *n = cap;
    }
    (*v)[job] = t;
    return true;
}

/* Close product p's WIP area up to now (its part after the warm-up). */
static void close_product(sf_metrics *m, product_figs *p, sf_time now)
{
    p->wip_area += p->wip * sf__metrics_after_warmup(m, p->since, now);
    p->since = now;
}

/* A job that ended (completed or scrapped): the plant's books, its product's and the pallets'. */
static void job_ended(sf_metrics *m, const sf_job_event *ev, product_figs *p, bool unit, bool counted)
{
    double lead = secs(ev->now - ev->released);
    bool good = ev->what == SF_JOB_COMPLETED;

    if (p && ev->flow == SF_FLOW_MADE) {
        close_product(m, p, ev->now);
        p->wip -= 1;
    }
    if (ev->flow != SF_FLOW_MADE)
        m->pending -= 1;
    m->to_store -= ev->flow == SF_FLOW_STORED;
    if (good && ev->flow != SF_FLOW_MADE) {
        m->stock += ev->flow == SF_FLOW_STORED ? 1 : -1;
        if (counted && ev->flow == SF_FLOW_STORED) {
            m->stored++;
            m->store_time += lead;
            if (p)
                p->stored++;
        } else if (counted) {
            m->shipped++;
            m->ship_time += lead;
            if (p)
                p->shipped++;
        }
    }
    if (!unit)
        return;
    m->wip -= 1;
    m->s_departed += 1;
    if (good)
        m->s_completed += 1;
    if (!counted)
        return;
    m->departed++;
    m->sojourn += lead;
    if (!good) {
        m->scrapped++;
        if (p && ev->flow == SF_FLOW_MADE)
            p->scrapped++;
        return;
    }
    m->completed++;
    if (sf_tally_add(&m->lead, lead) != SF_OK)
        m->oom = true;
    if (ev->due > 0) {
        m->with_due++;
        m->on_time += ev->now <= ev->due;
    }
    if (p && ev->flow == SF_FLOW_MADE) {
        p->completed++;
        if (sf_tally_add(&p->lead, lead) != SF_OK)
            m->oom = true;
        if (ev->due > 0) {
            p->with_due++;
            p->on_time += ev->now <= ev->due;
        }
    }
}

static void on_job(void *ctx, const sf_job_event *ev)
{
    sf_metrics *m = ctx;
    bool counted = ev->now >= m->W;
    bool unit = m->makes ? ev->flow == SF_FLOW_MADE : true; /* one of the plant's units (metrics_internal.h) */
    ent *st = ev->station >= 0 ? entity(m, SF_ENTITY_STATION, (uint32_t)ev->station) : NULL;
    product_figs *p = ev->product >= 0 && (size_t)ev->product < m->cfg->n_products ? &m->prod[ev->product] : NULL;

    sf__metrics_advance(m, ev->now);
    switch (ev->what) {
    case SF_JOB_RELEASED:
        if (p && ev->flow == SF_FLOW_MADE) {
            close_product(m, p, ev->now);
            p->wip += 1;
        }
        if (ev->flow != SF_FLOW_MADE)
            m->pending += 1;
        m->to_store += ev->flow == SF_FLOW_STORED;
        if (!unit)
            break;
        m->wip += 1;
        m->s_released += 1;
        m->released += counted;
        break;
    case SF_JOB_OP_START:
        if (p && ev->flow == SF_FLOW_MADE && !job_time(&m->started, &m->nstarted, ev->job, ev->now))
            m->oom = true; /* a product's share of the work could not be kept */
        break;
    case SF_JOB_PICKED_UP:
        job_time(&m->picked, &m->npicked, ev->job, ev->now); /* out of memory: this move goes uncounted */
        break;
    case SF_JOB_DELIVERED:
        if (counted && ev->job < m->npicked) {
            m->moves++;
            m->move_time += secs(ev->now - m->picked[ev->job]);
        }
        if (p && ev->flow == SF_FLOW_MADE && ev->job < m->npicked)
            p->work += sf__metrics_after_warmup(m, m->picked[ev->job], ev->now);
        break;
    case SF_JOB_OP_END:
        if (p && ev->flow == SF_FLOW_MADE && ev->job < m->nstarted) {
            double dt = sf__metrics_after_warmup(m, m->started[ev->job], ev->now);
            p->work += dt;
            if (st && ev->station < (int32_t)m->cfg->layout.n_stations) { /* scope 1: fuel burned start to end */
                const sf_cfg_fuel *f = &m->cfg->layout.stations[ev->station].fuel;
                st->fuel += f->power * dt;
                p->fuel_co2 += f->power * dt * f->factor;
            }
        }
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
        if (ev->what == SF_JOB_SCRAPPED && counted && st)
            st->bad++;
        job_ended(m, ev, p, unit, counted);
        break;
    }
    sf__metrics_rack_follow(m, ev->now);
}

static void on_safety(void *ctx, const sf_safety_event *ev)
{
    sf_metrics *m = ctx;

    sf__metrics_advance(m, ev->now);
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
    m->begin = m->last = m->step_start = m->rack_since = m->rack_spell = now;
    m->step = sample_every > 0 ? sample_every : cfg->outputs.sample_every > 0 ? cfg->outputs.sample_every : sf_metrics_default_step(cfg->scenario.horizon);
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        m->na += (size_t)cfg->fleet.types[t].count;
    m->ns = cfg->layout.n_stations;
    m->nt = cfg->fleet.n_types;
    m->nr = cfg->layout.n_racks;
    sf_tally_init(&m->lead, true);
    m->min_sep = NAN;
    m->peak_at = m->partial_at = -1;
    m->win_start = now - clock_of(m, now) % QUARTER;
    m->win_from = now > m->W ? now : m->W;
    m->s_soc = NAN;
    if (!(m->e = sf_calloc(m->na + m->ns + m->nt + 2 * m->nr + 1, sizeof *m->e)) ||
        !(m->prod = sf_calloc(cfg->n_products + 1, sizeof *m->prod)) || sf__metrics_grow_samples(m) != SF_OK ||
        sf__metrics_occ_new(m) != SF_OK)
        goto fail;
    for (size_t p = 0; p < cfg->n_products; p++) {
        sf_tally_init(&m->prod[p].lead, true);
        m->prod[p].since = now;
        m->makes |= cfg->products[p].n_ops > 0;
    }
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
    for (size_t r = 0; r < 2 * m->nr; r++) { /* the cranes, drawing, then feeding back */
        ent *x = &m->e[m->na + m->ns + m->nt + r];
        snprintf(x->name, sizeof x->name, "%s of %s", r < m->nr ? "crane" : "feed-back", cfg->layout.racks[r % m->nr].name);
        x->pub.type = cfg->layout.racks[r % m->nr].name;
        x->type = -1;
    }
    for (size_t i = 0; i < m->na + m->ns + m->nt + 2 * m->nr; i++) {
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
    for (size_t p = 0; m->prod && p < m->cfg->n_products; p++)
        sf_tally_close(&m->prod[p].lead);
    free(m->e);
    free(m->prod);
    free(m->picked);
    free(m->started);
    free(m->smp);
    free(m->steps);
    free(m->occ);
    free(m->inside);
    free(m);
}

sf_observer sf_metrics_observer(sf_metrics *m)
{
    sf_observer o = {on_state, on_power, on_job, on_safety, NULL, m, on_zone};
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
            sf__metrics_set_watts(m, x, a->meter.power[a->meter.state]);
        else if (a->meter.state == SF_POWER_CHARGING && a->meter.charge < a->meter.capacity)
            sf__metrics_set_watts(m, x, sf_meter_draw(&a->meter));
        if (m->cfg->energy.n_occupancy && x->type >= 0 && m->cfg->fleet.types[x->type].home >= 0) {
            const sf_cfg_node *h = &m->cfg->layout.nodes[m->cfg->fleet.types[x->type].home];
            sf__metrics_occ_place(m, id, h->x, h->y); /* people start at home; the model tells crossings after */
        }
    }
    for (size_t r = 0; r < m->nr; r++) /* cranes stand idle until their first cycle */
        sf__metrics_set_watts(m, &m->e[m->na + m->ns + m->nt + r], m->cfg->layout.racks[r].crane_idle);
    m->w = w;
    m->s_soc = sf__metrics_soc_at(m, m->last);
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
    sf__metrics_advance(m, now);
    sf__metrics_rack_follow(m, now);
    for (size_t p = 0; p < m->cfg->n_products; p++)
        close_product(m, &m->prod[p], now);
    for (size_t i = 0; i < m->na + m->ns + m->nt + 2 * m->nr; i++) {
        close_state(m, &m->e[i], now);
        sf__metrics_close_power(m, &m->e[i], now);
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
            x->pub.charged = mt->stored - x->snap.stored;
        }
    }
    for (size_t t = 0; t < m->nt; t++) { /* spare packs draw only to charge; each step of a taper stores its draw x efficiency too */
        const sf_cfg_battery *B = &m->cfg->fleet.types[t].battery;
        m->e[m->na + m->ns + t].pub.charged = m->e[m->na + m->ns + t].pub.grid * (B->efficiency > 0 ? B->efficiency : 1);
    }
    sf__metrics_fill_sample(m, &m->smp[m->nsmp], now);
    m->has_partial = now > m->step_start;
}

/* ---- read access ------------------------------------------------------- */

size_t sf_metrics_agents(const sf_metrics *m) { return m->na; }
size_t sf_metrics_stations(const sf_metrics *m) { return m->ns; }
const sf_metrics_entity *sf_metrics_agent(const sf_metrics *m, size_t i) { return i < m->na ? &m->e[i].pub : NULL; }
const sf_metrics_entity *sf_metrics_station(const sf_metrics *m, size_t i) { return i < m->ns ? &m->e[m->na + i].pub : NULL; }
const sf_metrics_entity *sf_metrics_packs(const sf_metrics *m, size_t t) { return t < m->nt ? &m->e[m->na + m->ns + t].pub : NULL; }
sf_time sf_metrics_step(const sf_metrics *m) { return m->step; }
const sf_tally *sf_metrics_lead_times(const sf_metrics *m) { return &m->lead; }
sf_time sf_metrics_from(const sf_metrics *m) { return m->W > m->begin ? m->W : m->begin; }
sf_time sf_metrics_to(const sf_metrics *m) { return m->last; }
