/*
 * occupancy.c: the loads switched by people present in zones
 * (docs/results.md, "Base load and occupancy").
 *
 * An occupancy load (lighting, HVAC) of a zone is on while at
 * least one worker on shift is inside the zone and switches off exactly
 * its delay after the last one leaves (or goes off shift): the switch-off
 * is a pending instant the ledger stops at, like a battery filling.
 * Presence comes from the model's zone crossings (observer `zone`) and
 * the agents' states; a change recounts the zone's people, O(agents),
 * only in plants with occupancy loads.
 */
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "metrics/metrics_internal.h"
#include "model/geometry.h"

/* ---- occupancy loads --------------------------------------------------- */

static bool counted(const sf_metrics *m, size_t agent, size_t o)
{
    const ent *x = &m->e[agent];

    return m->inside[agent * m->cfg->energy.n_occupancy + o] && x->type >= 0 &&
           m->cfg->fleet.types[x->type].kind == SF_AGENT_WORKER && x->state != SF_STATE_OFF_SHIFT;
}

/* Switch one part of a load (lighting or HVAC) on or off now. */
static void part(sf_metrics *m, bool *on, double watts, bool want)
{
    if (*on == want)
        return;
    *on = want;
    m->occ_watts += want ? watts : -watts;
}

/* Load o now has `n` people: on at once when someone is there; off its delay after the last left. */
static void set_people(sf_metrics *m, size_t o, int n, sf_time now)
{
    const sf_cfg_occupancy *c = &m->cfg->energy.occupancy[o];
    occ_load *L = &m->occ[o];
    int before = L->people;

    L->people = n;
    if (n > 0) {
        part(m, &L->light, c->lighting, true);
        part(m, &L->hvac, c->hvac, true);
        L->light_off = L->hvac_off = SF_TIME_MAX;
    } else if (before > 0) {
        L->light_off = L->light ? now + c->lighting_delay : SF_TIME_MAX;
        L->hvac_off = L->hvac ? now + c->hvac_delay : SF_TIME_MAX;
        sf__metrics_occ_fire(m, now);
    }
}

static void recount(sf_metrics *m, sf_time now)
{
    for (size_t o = 0; o < m->cfg->energy.n_occupancy; o++) {
        int n = 0;
        for (size_t a = 0; a < m->na; a++)
            n += counted(m, a, o);
        if (n != m->occ[o].people)
            set_people(m, o, n, now);
    }
}

int sf__metrics_occ_new(sf_metrics *m)
{
    size_t n = m->cfg->energy.n_occupancy;

    if (n == 0)
        return SF_OK;
    if (!(m->occ = sf_calloc(n, sizeof *m->occ)) || !(m->inside = sf_calloc(m->na * n + 1, 1)))
        return SF_ENOMEM;
    for (size_t o = 0; o < n; o++)
        m->occ[o].light_off = m->occ[o].hvac_off = SF_TIME_MAX;
    return SF_OK;
}

void sf__metrics_occ_place(sf_metrics *m, uint32_t agent, double x, double y)
{
    const sf_scenario_config *cfg = m->cfg;

    for (size_t o = 0; agent < m->na && o < cfg->energy.n_occupancy; o++) {
        const sf_cfg_zone *z = &cfg->layout.zones[cfg->energy.occupancy[o].zone];
        m->inside[agent * cfg->energy.n_occupancy + o] = sf_polygon_contains(z->xy, z->n_points, x, y);
    }
    recount(m, m->last);
}

void sf__metrics_occ_zone(sf_metrics *m, uint32_t agent, uint32_t zone, bool inside, sf_time now)
{
    const sf_cfg_energy *E = &m->cfg->energy;
    bool changed = false;

    for (size_t o = 0; agent < m->na && o < E->n_occupancy; o++)
        if ((uint32_t)E->occupancy[o].zone == zone && m->inside[agent * E->n_occupancy + o] != inside) {
            m->inside[agent * E->n_occupancy + o] = inside;
            changed = true;
        }
    if (changed) {
        sf__metrics_advance(m, now);
        recount(m, now);
    }
}

void sf__metrics_occ_state(sf_metrics *m, sf_time now)
{
    if (m->cfg->energy.n_occupancy)
        recount(m, now);
}

sf_time sf__metrics_occ_next(const sf_metrics *m)
{
    sf_time t = SF_TIME_MAX;

    for (size_t o = 0; o < m->cfg->energy.n_occupancy; o++) {
        if (m->occ[o].light_off < t)
            t = m->occ[o].light_off;
        if (m->occ[o].hvac_off < t)
            t = m->occ[o].hvac_off;
    }
    return t;
}

void sf__metrics_occ_fire(sf_metrics *m, sf_time t)
{
    for (size_t o = 0; o < m->cfg->energy.n_occupancy; o++) {
        occ_load *L = &m->occ[o];
        if (L->light_off <= t) {
            part(m, &L->light, m->cfg->energy.occupancy[o].lighting, false);
            L->light_off = SF_TIME_MAX;
        }
        if (L->hvac_off <= t) {
            part(m, &L->hvac, m->cfg->energy.occupancy[o].hvac, false);
            L->hvac_off = SF_TIME_MAX;
        }
    }
}

void sf__metrics_occ_energy(sf_metrics *m, double dt)
{
    for (size_t o = 0; o < m->cfg->energy.n_occupancy; o++) {
        occ_load *L = &m->occ[o];
        if (L->light)
            L->light_energy += m->cfg->energy.occupancy[o].lighting * dt;
        if (L->hvac)
            L->hvac_energy += m->cfg->energy.occupancy[o].hvac * dt;
    }
}
