/*
 * figures.c: the KPIs of a run from what the observer measured
 * (definitions in docs/results.md).
 */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "metrics/metrics_internal.h"
#include "model/kinds.h"
#include "model/movers.h"
#include "model/world.h"
#include <stdio.h>

/* ---- KPIs -------------------------------------------------------------- */

/* An agent's busy states; wait_person is an agent held until a supervisor has a place for it, not busy. */
static bool busy_state(int s)
{
    return s != SF_STATE_IDLE && s != SF_STATE_CHARGING && s != SF_STATE_FAILED && s != SF_STATE_OFF_SHIFT &&
           s != SF_STATE_ON_BREAK && s != SF_STATE_STARVED && s != SF_STATE_BLOCKED && s != SF_STATE_WAIT_TRANSPORT &&
           s != SF_STATE_WAIT_PERSON;
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

/*
 * One station's ISO 22400-2 time model (docs/results.md): its planned busy
 * time split into producing and the loss buckets, availability = producing
 * / planned, performance (the standard's effectiveness) = ideal time of the
 * operations ended / (producing x capacity), quality, OEE, and utilisation =
 * (producing + setup) / planned.
 */
static int station_kpis(const sf_metrics *m, size_t s, sf_kpis *out)
{
    const ent *x = &m->e[m->na + s];
    const double *t = x->pub.time;
    double planned = total_time(&x->pub) - t[SF_STATE_OFF_SHIFT] - t[SF_STATE_ON_BREAK];
    double producing = t[SF_STATE_WORKING] + t[SF_STATE_REDUCED_SPEED];
    int cap = m->cfg->layout.stations[s].capacity > 0 ? m->cfg->layout.stations[s].capacity : 1;
    double a = ratio(producing, planned), p = ratio(x->ideal, producing * cap);
    double q = ratio((double)(x->ops - x->bad), (double)x->ops);
    const struct {
        const char *metric;
        double h;
    } loss[] = {
        {"loss_setup", t[SF_STATE_SETUP]},
        {"loss_failed", t[SF_STATE_FAILED]},
        {"loss_starved", t[SF_STATE_STARVED] + t[SF_STATE_IDLE]},
        {"loss_blocked", t[SF_STATE_BLOCKED]},
        {"loss_wait_transport", t[SF_STATE_WAIT_TRANSPORT]},
        {"loss_wait_crew", t[SF_STATE_WAIT_PERSON] + t[SF_STATE_WAIT_ROBOT]},
        {"loss_safety_stop", t[SF_STATE_SAFETY_STOP]},
    };
    char metric[64];
    int rc;

    ADD("utilisation", x->name, 100 * ratio(producing + t[SF_STATE_SETUP], planned), "%", false);
    ADD("availability", x->name, 100 * a, "%", false);
    ADD("performance", x->name, 100 * p, "%", false);
    ADD("quality", x->name, 100 * q, "%", false);
    ADD("oee", x->name, 100 * a * p * q, "%", false);
    ADD("operations", x->name, (double)x->ops, "operations", false);
    ADD("energy_grid", x->name, x->pub.grid / 3.6e6, "kWh", false);
    if (m->cfg->layout.stations[s].fuel.name)
        ADD("fuel_energy", x->name, x->fuel / 3.6e6, "kWh", false);
    ADD("time_planned", x->name, planned / SF_SECONDS_PER_HOUR, "h", false);
    ADD("time_producing", x->name, producing / SF_SECONDS_PER_HOUR, "h", false);
    for (size_t i = 0; i < sizeof loss / sizeof loss[0]; i++)
        ADD(loss[i].metric, x->name, loss[i].h / SF_SECONDS_PER_HOUR, "h", false);
    for (int k = 0; k < SF_STATES; k++) {
        snprintf(metric, sizeof metric, "time_%s", sf_state_name((sf_state)k));
        ADD(metric, x->name, t[k] / SF_SECONDS_PER_HOUR, "h", false);
    }
    return SF_OK;
}

/* Per agent type: utilisation, time in every state, energy by power state and from the grid, presence. */
static int type_kpis(const sf_metrics *m, size_t type, const char *cur, sf_kpis *out, double *presence,
                     double *supervision)
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
        sum.charged += x->pub.charged;
        ADD("utilisation", x->name,
            100 * ratio(busy_time(&x->pub), total_time(&x->pub) - x->pub.time[SF_STATE_OFF_SHIFT]), "%", false);
        ADD("energy_grid", x->name, x->pub.grid / 3.6e6, "kWh", false);
    }
    { /* its spare packs charging count with the fleet entry's energy */
        const ent *x = &m->e[m->na + m->ns + type];
        for (int s = 0; s < SF_POWER_STATES; s++)
            sum.energy[s] += x->pub.energy[s];
        sum.grid += x->pub.grid;
        sum.charged += x->pub.charged;
    }
    *presence = total_time(&sum) - sum.time[SF_STATE_OFF_SHIFT];
    ADD("utilisation", name, 100 * ratio(busy_time(&sum), *presence), "%", false);
    ADD("presence", name, *presence / SF_SECONDS_PER_HOUR, "h", false);
    /* its supervisors' hours: one person for every `per` of them while they are busy; counted on the side
       only without `by` (supervisors of the fleet are counted as its people already) */
    bool overhead = m->cfg->fleet.types[type].supervise_per > 0 && !m->cfg->fleet.types[type].supervise_by;
    *supervision = overhead ? busy_time(&sum) / m->cfg->fleet.types[type].supervise_per : 0;
    if (overhead)
        ADD("supervision_hours", name, *supervision / SF_SECONDS_PER_HOUR, "h", false);
    ADD("energy_grid", name, sum.grid / 3.6e6, "kWh", false);
    if (m->cfg->fleet.types[type].battery.present) /* into its batteries and spare packs; the rest of energy_charging is lost */
        ADD("energy_charged", name, sum.charged / 3.6e6, "kWh", false);
    for (int s = 0; s < SF_STATES; s++) {
        snprintf(metric, sizeof metric, "time_%s", sf_state_name((sf_state)s));
        ADD(metric, name, sum.time[s] / SF_SECONDS_PER_HOUR, "h", false);
    }
    for (int s = 0; s < SF_POWER_STATES; s++) {
        snprintf(metric, sizeof metric, "energy_%s", sf_power_state_name((sf_power_state)s));
        ADD(metric, name, sum.energy[s] / 3.6e6, "kWh", false);
    }
    /* cost by activity: the type's hourly cost over its present hours, split by state (off shift costs nothing) */
    ADD("cost", name, *presence * m->cfg->fleet.types[type].cost_per_hour, cur, false);
    for (int s = 0; s < SF_STATES; s++) {
        if (s == SF_STATE_OFF_SHIFT)
            continue;
        snprintf(metric, sizeof metric, "cost_%s", sf_state_name((sf_state)s));
        ADD(metric, name, sum.time[s] * m->cfg->fleet.types[type].cost_per_hour, cur, false);
    }
    return SF_OK;
}

/* Lead-time rows of a tally (s) under `entity`. */
static int lead_kpis(sf_tally *lead, const char *entity, sf_kpis *out)
{
    int rc;

    ADD("lead_time_mean", entity, sf_tally_mean(lead) / 60, "min", true);
    ADD("lead_time_p50", entity, sf_tally_percentile(lead, 0.50) / 60, "min", false);
    ADD("lead_time_p90", entity, sf_tally_percentile(lead, 0.90) / 60, "min", false);
    ADD("lead_time_p95", entity, sf_tally_percentile(lead, 0.95) / 60, "min", false);
    ADD("lead_time_max", entity, lead->n ? lead->max / 60 : NAN, "min", false);
    return SF_OK;
}

/* A made product's or a family's rows under `name`: its units, lead times, WIP and on-time rate. */
static int unit_kpis(product_figs *p, const char *name, double hours, sf_kpis *out)
{
    int rc;

    ADD("throughput", name, ratio((double)p->completed, hours), "1/h", true);
    ADD("completed", name, (double)p->completed, "units", false);
    if ((rc = lead_kpis(&p->lead, name, out)) != SF_OK)
        return rc;
    ADD("wip_mean", name, ratio(p->wip_area, hours * SF_SECONDS_PER_HOUR), "units", false);
    ADD("on_time_rate", name, 100 * ratio((double)p->on_time, (double)p->with_due), "%", false);
    return SF_OK;
}

/*
 * The made products, plant-wide (entity "") and per product (entity: its
 * name), with the same metric names; pallets are not among them.
 */
static int product_kpis(sf_metrics *m, double hours, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    double good = (double)m->completed;
    int rc;

    ADD("throughput", "", ratio(good, hours), "1/h", true);
    ADD("completed", "", good, "units", true);
    ADD("released", "", (double)m->released, "units", false);
    ADD("scrapped", "", (double)m->scrapped, "units", false);
    ADD("reworked", "", (double)m->reworked, "units", false);
    if ((rc = lead_kpis(&m->lead, "", out)) != SF_OK)
        return rc;
    ADD("wip_mean", "", ratio(m->wip_area, hours * SF_SECONDS_PER_HOUR), "units", true);
    ADD("on_time_rate", "", 100 * ratio((double)m->on_time, (double)m->with_due), "%", m->with_due > 0);
    for (size_t i = 0; i < cfg->n_products; i++)
        if (cfg->products[i].n_ops > 0 && (rc = unit_kpis(&m->prod[i], cfg->products[i].name, hours, out)) != SF_OK)
            return rc;
    return SF_OK;
}

/* Cost, kWh and CO2 per unit of `units` units that did `share` of the plant's work (product_cost_kpis). */
static int unit_cost_kpis(const sf_metrics *m, const char *name, double share, double units, double cost,
                          const char *cur, sf_kpis *out)
{
    int rc;

    ADD("work_share", name, 100 * share, "%", false);
    ADD("cost_per_unit", name, ratio(cost * share, units), cur, false);
    ADD("kwh_per_unit", name, ratio(m->energy / 3.6e6 * share, units), "kWh", false);
    ADD("co2_per_unit", name, ratio(m->co2 * share, units), "kg", false);
    return SF_OK;
}

/*
 * The product families (products[].family): each family's made products
 * summed as if they were one product. Throughput, completed units, WIP
 * and on-time counts add up; the lead times are pooled, so the mean is
 * the products' means weighted by their units and the percentiles are
 * those of the pooled sample; cost, kWh and CO2 per unit take the sum of
 * the products' work shares over the sum of their units. Rows under the
 * family's name, with the products' metric names. O(products^2 + units).
 */
static int family_kpis(const sf_metrics *m, double hours, double work, double cost, const char *cur, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    int rc = SF_OK;

    for (size_t f = 0; f < cfg->n_products && rc == SF_OK; f++) {
        const char *fam = cfg->products[f].family;
        product_figs sum = {0};
        bool first = fam && cfg->products[f].n_ops > 0;
        for (size_t i = 0; first && i < f; i++) /* each family once, at its first made product */
            first = !(cfg->products[i].family && cfg->products[i].n_ops > 0 && strcmp(cfg->products[i].family, fam) == 0);
        if (!first)
            continue;
        sf_tally_init(&sum.lead, true);
        for (size_t i = f; i < cfg->n_products && rc == SF_OK; i++) {
            const product_figs *p = &m->prod[i];
            if (cfg->products[i].n_ops == 0 || !cfg->products[i].family || strcmp(cfg->products[i].family, fam) != 0)
                continue;
            sum.completed += p->completed;
            sum.with_due += p->with_due;
            sum.on_time += p->on_time;
            sum.wip_area += p->wip_area;
            sum.work += p->work;
            for (size_t k = 0; k < p->lead.nobs && rc == SF_OK; k++)
                rc = sf_tally_add(&sum.lead, p->lead.obs[k]);
        }
        if (rc == SF_OK)
            rc = unit_kpis(&sum, fam, hours, out);
        if (rc == SF_OK)
            rc = unit_cost_kpis(m, fam, ratio(sum.work, work), (double)sum.completed, cost, cur, out);
        sf_tally_close(&sum.lead);
    }
    return rc;
}

/* kg CO2e of the bill of materials of the units of product i that ended after the warm-up, good or scrapped. */
static double materials_kg(const sf_metrics *m, size_t i)
{
    const sf_cfg_product *p = &m->cfg->products[i];
    double kg = 0;

    for (size_t j = 0; j < p->n_materials; j++)
        kg += p->materials[j].mass * p->materials[j].factor;
    return kg * (double)(m->prod[i].completed + m->prod[i].scrapped);
}

/*
 * Made product i's carbon footprint per good unit, cradle to gate (ISO
 * 14067, GHG Protocol Product Standard; docs/results.md), split by where
 * it comes from: its materials (of every unit that ended after the
 * warm-up, scrapped ones included, over the good ones), scope 1 (the fuel
 * its own operations burned at stations) and scope 2 (its `share` of the
 * plant's grid CO2, the work key of product_cost_kpis), at the average
 * factor and, when the scenario gives one, the marginal one.
 */
static int footprint_kpis(const sf_metrics *m, size_t i, double share, sf_kpis *out)
{
    const char *name = m->cfg->products[i].name;
    bool marginal = m->cfg->energy.has_marginal;
    double units = (double)m->prod[i].completed, mat = ratio(materials_kg(m, i), units);
    double s1 = ratio(m->prod[i].fuel_co2, units), s2 = ratio(m->co2 * share, units);
    double m2 = ratio(m->co2_marginal * share, units);
    int rc;

    ADD("co2e_materials_per_unit", name, mat, "kg", false);
    ADD("co2e_scope1_per_unit", name, s1, "kg", false);
    ADD("co2e_scope2_per_unit", name, s2, "kg", false);
    if (marginal)
        ADD("co2e_scope2_marginal_per_unit", name, m2, "kg", false);
    ADD("co2e_per_unit", name, mat + s1 + s2, "kg", false);
    if (marginal)
        ADD("co2e_marginal_per_unit", name, mat + s1 + m2, "kg", false);
    return SF_OK;
}

/* The plant's fuel burned (kWh), scope 1 and materials (kg): the stations' and made products' sums. */
static int carbon_totals(const sf_metrics *m, sf_kpis *out)
{
    double fuel = 0, scope1 = 0, materials = 0;
    int rc;

    for (size_t s = 0; s < m->ns; s++)
        fuel += m->e[m->na + s].fuel;
    for (size_t i = 0; i < m->cfg->n_products; i++)
        if (m->cfg->products[i].n_ops > 0) {
            scope1 += m->prod[i].fuel_co2;
            materials += materials_kg(m, i);
        }
    ADD("fuel_energy", "", fuel / 3.6e6, "kWh", false);
    ADD("co2e_scope1", "", scope1, "kg", false);
    ADD("co2e_materials", "", materials, "kg", false);
    return SF_OK;
}

/* The work (s) of all made products after the warm-up: the key's denominator. */
static double total_work(const sf_metrics *m)
{
    double work = 0;

    for (size_t i = 0; i < m->cfg->n_products; i++)
        if (m->cfg->products[i].n_ops > 0)
            work += m->prod[i].work;
    return work;
}

/*
 * Cost, kWh and CO2 per unit of each made product. The plant's whole cost
 * (labour, equipment, energy, demand charge), grid energy and CO2 after
 * the warm-up are shared among the made products by their share of the
 * work done after the warm-up: the time their units spent in operations
 * at stations (start to end, so setup, slowing and failures during an
 * operation count) plus the time they were carried (pickup to delivery).
 * Each product's part is divided by its completed units. Pallet handling
 * and idle time are not a product's own and are shared the same way, so
 * the products' parts add up to the plant's totals, and the plant-wide
 * cost_per_unit is the units' weighted mean of the products'. `work_share`
 * (%) shows the key.
 */
static int product_cost_kpis(const sf_metrics *m, double cost, const char *cur, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    double work = total_work(m);
    int rc;

    for (size_t i = 0; i < cfg->n_products; i++) {
        const product_figs *p = &m->prod[i];
        const char *name = cfg->products[i].name;
        double share = ratio(p->work, work), units = (double)p->completed;
        if (cfg->products[i].n_ops == 0)
            continue;
        if ((rc = unit_cost_kpis(m, name, share, units, cost, cur, out)) != SF_OK)
            return rc;
        if ((rc = footprint_kpis(m, i, share, out)) != SF_OK)
            return rc;
    }
    return SF_OK;
}

/*
 * Pallets of stored goods, counted apart from made products: stored,
 * shipped, the time to store and to ship one, and their dwell between
 * the two by Little's law. A plant that makes nothing takes these as its
 * headline.
 */
static int pallet_kpis(const sf_metrics *m, double hours, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    double stock = ratio(m->stock_area, hours * SF_SECONDS_PER_HOUR);
    bool head = !m->makes;
    int rc;

    ADD("pallets_stored", "", (double)m->stored, "pallets", head);
    ADD("pallets_shipped", "", (double)m->shipped, "pallets", head);
    ADD("pallets_handled", "", (double)(m->stored + m->shipped), "pallets", false);
    ADD("pallet_throughput", "", ratio((double)(m->stored + m->shipped), hours), "1/h", head);
    ADD("put_away_time_mean", "", ratio(m->store_time, (double)m->stored) / 60, "min", false);
    ADD("order_line_time_mean", "", ratio(m->ship_time, (double)m->shipped) / 60, "min", head);
    ADD("pallets_in_stock_mean", "", stock, "pallets", false);
    ADD("pallet_dwell_mean", "", ratio(stock, ratio((double)m->shipped, hours)), "h", false);
    if (head)
        ADD("on_time_rate", "", 100 * ratio((double)m->on_time, (double)m->with_due), "%", m->with_due > 0);
    for (size_t i = 0; i < cfg->n_products; i++)
        if (cfg->products[i].n_ops == 0) {
            ADD("pallets_stored", cfg->products[i].name, (double)m->prod[i].stored, "pallets", false);
            ADD("pallets_shipped", cfg->products[i].name, (double)m->prod[i].shipped, "pallets", false);
        }
    return SF_OK;
}

/*
 * Vehicle-pedestrian encounters (model/movers.h, docs/safety.md): people
 * who entered a vehicle's protective field and the time they spent in it,
 * after the warm-up, per fleet entry with vehicles, then the plant's sum.
 */
static int encounter_kpis(sf_metrics *m, sf_kpis *out)
{
    const sf_cfg_fleet *F = &m->cfg->fleet;
    double n = 0, t = 0;
    bool vehicles = false;
    int rc;

    if (!m->w)
        return SF_OK;
    for (size_t k = 0; k < F->n_types; k++) {
        double nk = 0, tk = 0;
        if (F->types[k].kind == SF_AGENT_ARM || F->types[k].kind == SF_AGENT_WORKER)
            continue;
        for (size_t i = 0; i < m->na; i++) {
            const sf_agent *a = sf_world_agent(m->w, (uint32_t)i);
            uint64_t c;
            double secs_in;
            if (m->e[i].type != (int)k || a->mover == SF_NO_AGENT)
                continue;
            sf_movers_encounters(sf_world_movers(m->w), a->mover, m->last, &c, &secs_in);
            nk += (double)c;
            tk += secs_in;
        }
        vehicles = true;
        ADD("vehicle_encounters", F->types[k].name, nk, "encounters", false);
        ADD("vehicle_encounter_time", F->types[k].name, tk / SF_SECONDS_PER_HOUR, "h", false);
        n += nk;
        t += tk;
    }
    ADD("vehicle_encounters", "", n, "encounters", vehicles); /* in the terminal report of every plant with vehicles */
    ADD("vehicle_encounter_time", "", t / SF_SECONDS_PER_HOUR, "h", false);
    return SF_OK;
}

/* Collaboration safety: stops, slowdowns, near misses, separation, violations, cameras, and the work they cost. */
static int safety_kpis(sf_metrics *m, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    double lost = 0;
    int rc;

    /* work lost to safety: agents' protective stops count whole, reduced speed at 1 - its rate, people held outside whole */
    for (size_t i = 0; i < m->na; i++) {
        const double *t = m->e[i].pub.time;
        lost += t[SF_STATE_SAFETY_STOP] + t[SF_STATE_WAIT_ROBOT] +
                t[SF_STATE_REDUCED_SPEED] * (1 - reduced_rate(cfg, m->e[i].type));
    }
    if (isnan(m->min_sep) && m->w && sf_world_safety(m->w)) {
        for (size_t i = 0; i < m->na; i++) {
            sf_safety_stats st = sf_safety_robot_stats(sf_world_safety(m->w), (uint32_t)i, m->last);
            if (isfinite(st.min_separation) && (isnan(m->min_sep) || st.min_separation < m->min_sep))
                m->min_sep = st.min_separation;
        }
    }
    ADD("protective_stops", "", (double)m->stops, "stops", true);
    ADD("safety_slowdowns", "", (double)m->slows, "slowdowns", false);
    ADD("near_misses", "", (double)m->near, "near misses", false);
    ADD("min_separation", "", m->min_sep, "m", false);
    { /* separation violations (model/safety.h), after the warm-up: per monitored robot, then the plant's sum */
        double n = 0, t = 0, o = 0;
        for (size_t i = 0; m->w && sf_world_safety(m->w) && i < m->na; i++) {
            sf_safety_stats st = sf_safety_robot_stats(sf_world_safety(m->w), (uint32_t)i, m->last);
            if (!st.monitored)
                continue;
            ADD("separation_violations", m->e[i].name, (double)st.violations, "violations", false);
            ADD("separation_violation_time", m->e[i].name, secs(st.violation_time) / SF_SECONDS_PER_HOUR, "h", false);
            ADD("camera_outage_fenced_time", m->e[i].name, secs(st.outage_fenced) / SF_SECONDS_PER_HOUR, "h", false);
            n += (double)st.violations;
            t += secs(st.violation_time);
            o += secs(st.outage_fenced);
        }
        ADD("separation_violations", "", n, "violations", false);
        ADD("separation_violation_time", "", t / SF_SECONDS_PER_HOUR, "h", false);
        ADD("camera_outage_fenced_time", "", o / SF_SECONDS_PER_HOUR, "h", false);
        n = t = 0;
        for (size_t c = 0; m->w && sf_world_safety(m->w) && c < cfg->safety.n_cameras; c++) {
            uint64_t passes, missed;
            if (!(cfg->safety.cameras[c].miss > 0))
                continue;
            sf_safety_camera_stats(sf_world_safety(m->w), c, &passes, &missed);
            ADD("camera_passes", cfg->safety.cameras[c].name, (double)passes, "passes", false);
            ADD("detections_missed", cfg->safety.cameras[c].name, (double)missed, "passes", false);
            n += (double)passes;
            t += (double)missed;
        }
        ADD("camera_passes", "", n, "passes", false);
        ADD("detections_missed", "", t, "passes", false);
        /* time uncovered (model/safety.h): per camera, and the plant's (not their sum: one camera seeing is enough) */
        for (size_t c = 0; m->w && sf_world_safety(m->w) && c < cfg->safety.n_cameras; c++)
            ADD("time_uncovered", cfg->safety.cameras[c].name,
                secs(sf_safety_time_uncovered(sf_world_safety(m->w), c, m->last)) / SF_SECONDS_PER_HOUR, "h", false);
        if (cfg->safety.n_cameras)
            ADD("time_uncovered", "",
                secs(sf_safety_time_uncovered(m->w ? sf_world_safety(m->w) : NULL, SIZE_MAX, m->last)) /
                    SF_SECONDS_PER_HOUR,
                "h", false);
    }
    if ((rc = encounter_kpis(m, out)) != SF_OK)
        return rc;
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
    /* what safety costs in output is not estimated from one run: replications with --counterfactual safety
       measure it against the same run with the rules relaxed (experiment/replicate.h) */
    return SF_OK;
}

/* AS/RS cranes: what they drew, and what their lowering fed back (a negative draw in the ledger). */
static int crane_kpis(const sf_metrics *m, sf_kpis *out)
{
    double drawn = 0, fed_back = 0;
    bool asrs = false;
    int rc;

    for (size_t r = 0; r < m->nr; r++) {
        asrs = asrs || m->cfg->layout.racks[r].kind == SF_RACK_ASRS;
        drawn += m->e[m->na + m->ns + m->nt + r].pub.grid;
        fed_back -= m->e[m->na + m->ns + m->nt + m->nr + r].pub.grid;
    }
    if (asrs) {
        ADD("energy_cranes", "", drawn / 3.6e6, "kWh", false);
        ADD("energy_fed_back", "", fed_back / 3.6e6, "kWh", false);
    }
    return SF_OK;
}

/* Loads switched by people present, per zone (occupancy.c), when the plant has them. */
static int occupancy_kpis(const sf_metrics *m, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    double occ = 0;
    int rc;

    if (!cfg->energy.n_occupancy)
        return SF_OK;
    for (size_t o = 0; o < cfg->energy.n_occupancy; o++) {
        const char *zone = cfg->layout.zones[cfg->energy.occupancy[o].zone].name;
        ADD("energy_lighting", zone, m->occ[o].light_energy / 3.6e6, "kWh", false);
        ADD("energy_hvac", zone, m->occ[o].hvac_energy / 3.6e6, "kWh", false);
        occ += m->occ[o].light_energy + m->occ[o].hvac_energy;
    }
    ADD("energy_occupancy", "", occ / 3.6e6, "kWh", false);
    return SF_OK;
}

int sf_metrics_kpis(sf_metrics *m, sf_kpis *out)
{
    const sf_scenario_config *cfg = m->cfg;
    const char *cur = cfg->fleet.currency && *cfg->fleet.currency ? cfg->fleet.currency
                      : cfg->energy.currency ? cfg->energy.currency : "";
    sf_time from = sf_metrics_from(m), mser;
    double hours = m->last > from ? secs(m->last - from) / SF_SECONDS_PER_HOUR : 0;
    double worker_s = 0, labour = 0, equipment = 0, peak, energy_cost, demand_cost, supervision_s = 0, callout_s = 0;
    double kind_s[SF_AGENT_KINDS] = {0}, agent_s = 0;
    double good = (double)m->completed; /* made products, or pallets handled when the plant makes none */
    const char *per = m->makes ? "unit" : "pallet";
    bool pallets = false;
    char metric[64];
    int rc;

    if (m->oom)
        return SF_ENOMEM;
    for (size_t p = 0; p < cfg->n_products; p++)
        pallets |= cfg->products[p].n_ops == 0;
    if (m->makes && (rc = product_kpis(m, hours, out)) != SF_OK)
        return rc;
    if (pallets && (rc = pallet_kpis(m, hours, out)) != SF_OK)
        return rc;
    ADD("ops_share_people", "", 100 * ratio((double)m->ops_kind[SF_AGENT_WORKER], (double)m->ops), "%", false);
    ADD("ops_share_humanoids", "", 100 * ratio((double)m->ops_kind[SF_AGENT_HUMANOID], (double)m->ops), "%", false);
    ADD("ops_share_arms", "", 100 * ratio((double)m->ops_kind[SF_AGENT_ARM], (double)m->ops), "%", false);
    for (size_t p = 0; p < cfg->n_products; p++)
        if (cfg->products[p].transport.n_crew > 0) { /* only plants whose units are carried */
            ADD("moves", "", (double)m->moves, "moves", false);
            ADD("move_time_mean", "", ratio(m->move_time, (double)m->moves) / 60, "min", false);
            break;
        }

    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        double presence, supervision;
        if ((rc = type_kpis(m, t, cur, out, &presence, &supervision)) != SF_OK)
            return rc;
        worker_s += supervision; /* supervisors are people, paid as labour */
        labour += supervision * cfg->fleet.types[t].supervision_cost;
        supervision_s += supervision;
        /* people called out for repairs: not present by their roster, paid for the call-out and the repair */
        double called;
        if ((rc = sf__metrics_callout_kpis(m, t, out, &called)) != SF_OK)
            return rc;
        worker_s += called;
        labour += called * cfg->fleet.types[t].cost_per_hour;
        callout_s += called;
        kind_s[cfg->fleet.types[t].kind] += presence;
        agent_s += presence;
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
    if ((rc = sf__metrics_learning_kpis(m, out)) != SF_OK)
        return rc;
    /* people and robots: every kind's present hours; output per human hour and per human-plus-robot hour */
    ADD("worker_hours", "", worker_s / SF_SECONDS_PER_HOUR, "h", false);
    ADD("robot_hours", "", (agent_s - (worker_s - supervision_s - callout_s)) / SF_SECONDS_PER_HOUR, "h", false);
    if (supervision_s > 0)
        ADD("supervision_hours", "", supervision_s / SF_SECONDS_PER_HOUR, "h", false);
    for (int k = 0; k < SF_AGENT_KINDS; k++)
        if (k != SF_AGENT_WORKER) {
            snprintf(metric, sizeof metric, "%s_hours", sf_agent_kind_names[k]);
            ADD(metric, "", kind_s[k] / SF_SECONDS_PER_HOUR, "h", false);
        }
    snprintf(metric, sizeof metric, "%s_per_human_hour", m->makes ? "output" : "pallets");
    ADD(metric, "", ratio(good, worker_s / SF_SECONDS_PER_HOUR), "1/human-h", worker_s > 0);
    snprintf(metric, sizeof metric, "%s_per_human_robot_hour", m->makes ? "output" : "pallets");
    ADD(metric, "", ratio(good, (agent_s + supervision_s + callout_s) / SF_SECONDS_PER_HOUR), "1/agent-h", agent_s > 0);

    peak = sf_metrics_peak(m, NULL);
    energy_cost = m->cost;
    /* the charge is per billing period: a run pays the share of it that its measured hours cover */
    demand_cost = peak * cfg->energy.demand_charge * hours * SF_SECONDS_PER_HOUR /
                  sf_time_to_seconds(cfg->energy.demand_period > 0 ? cfg->energy.demand_period : 730 * SF_HOUR);
    ADD("energy_grid", "", m->energy / 3.6e6, "kWh", true);
    ADD("energy_base_load", "", m->base_energy / 3.6e6, "kWh", false);
    if ((rc = crane_kpis(m, out)) != SF_OK || (rc = occupancy_kpis(m, out)) != SF_OK)
        return rc;
    snprintf(metric, sizeof metric, "kwh_per_%s", per);
    ADD(metric, "", ratio(m->energy / 3.6e6, good), "kWh", false);
    ADD("peak_demand_15min", "", peak / 1000, "kW", true);
    ADD("energy_cost", "", energy_cost, cur, false);
    ADD("demand_charge", "", demand_cost, cur, false);
    ADD("co2", "", m->co2, "kg", true);
    if (cfg->energy.has_marginal)
        ADD("co2_marginal", "", m->co2_marginal, "kg", false);
    snprintf(metric, sizeof metric, "co2_per_%s", per);
    ADD(metric, "", ratio(m->co2, good), "kg", false);
    if (cfg->energy.has_marginal) {
        snprintf(metric, sizeof metric, "co2_marginal_per_%s", per);
        ADD(metric, "", ratio(m->co2_marginal, good), "kg", false);
    }
    ADD("cost_labour", "", labour, cur, false);
    ADD("cost_equipment", "", equipment, cur, false);
    ADD("cost_energy", "", energy_cost + demand_cost, cur, false);
    ADD("cost_total", "", labour + equipment + energy_cost + demand_cost, cur, false);
    snprintf(metric, sizeof metric, "cost_per_%s", per);
    ADD(metric, "", ratio(labour + equipment + energy_cost + demand_cost, good), cur, true);
    if (m->makes && (rc = product_cost_kpis(m, labour + equipment + energy_cost + demand_cost, cur, out)) != SF_OK)
        return rc;
    if (m->makes && (rc = family_kpis(m, hours, total_work(m), labour + equipment + energy_cost + demand_cost, cur,
                                      out)) != SF_OK)
        return rc;
    if (m->makes && (rc = carbon_totals(m, out)) != SF_OK)
        return rc;

    if ((rc = safety_kpis(m, out)) != SF_OK)
        return rc;
    ADD("stable", "", sf_metrics_stability(m, NULL, 0) == 0, "", false);
    ADD("warmup", "", secs(m->W) / SF_SECONDS_PER_HOUR, "h", false);
    mser = sf_metrics_mser5(m);
    ADD("warmup_mser5", "", mser >= 0 ? secs(mser) / SF_SECONDS_PER_HOUR : NAN, "h", false);
    return SF_OK;
}
