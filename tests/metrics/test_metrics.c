/*
 * KPIs from hand-built sequences of observer calls, against hand
 * calculation: state times and utilisation, warm-up, lead times and
 * on-time rate, OEE, energy with a tariff band boundary, peak 15-minute
 * demand, CO2, and Little's law on a recorded sample path.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/time.h"
#include "metrics/kpis.h"
#include "metrics/metrics.h"

#define S(x) ((sf_time)((x) * 1e9))
#define KWH 3.6e6

static void rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want) + 1e-12))
        fail_msg("%s: got %.15g, expected %.15g", what, got, want);
}

static double kpi(const sf_kpis *k, const char *metric, const char *entity)
{
    const sf_kpi *r = sf_kpis_find(k, metric, entity);
    if (!r)
        fail_msg("no KPI %s of '%s'", metric, entity);
    return r->value;
}

/* A small plant: type "fork" x2 (battery-less vehicles), "crew" x1 worker, one station "press" running "part". */
typedef struct plant {
    sf_scenario_config cfg;
    sf_cfg_agent_type types[2];
    sf_cfg_station station;
    sf_cfg_product product;
    sf_cfg_operation op;
    sf_cfg_tariff_band bands[2];
    sf_cfg_safety_rule rule;
} plant;

static plant *plant_new(void)
{
    plant *p = calloc(1, sizeof *p);
    char err[128];

    p->types[0].name = "fork";
    p->types[0].kind = SF_AGENT_FORKLIFT;
    p->types[0].count = 2;
    p->types[0].cost_per_hour = 18.0 / 3600;
    p->types[1].name = "crew";
    p->types[1].kind = SF_AGENT_WORKER;
    p->types[1].count = 1;
    p->types[1].cost_per_hour = 36.0 / 3600;
    p->cfg.fleet.types = p->types;
    p->cfg.fleet.n_types = 2;
    p->cfg.fleet.currency = "EUR";
    p->station.name = "press";
    p->station.group = "presses";
    p->station.capacity = 1;
    p->cfg.layout.stations = &p->station;
    p->cfg.layout.n_stations = 1;
    sf_dist_constant(&p->op.time, 60, err);
    p->product.name = "part";
    p->product.ops = &p->op;
    p->product.n_ops = 1;
    p->cfg.products = &p->product;
    p->cfg.n_products = 1;
    p->cfg.scenario.horizon = S(3600);
    return p;
}

static void state(sf_metrics *m, sf_entity e, uint32_t id, sf_state s, double t)
{
    sf_observer o = sf_metrics_observer(m);
    o.state(o.ctx, e, id, s, S(t));
}

static void power(sf_metrics *m, sf_entity e, uint32_t id, sf_power_state s, double watts, double t)
{
    sf_observer o = sf_metrics_observer(m);
    o.power(o.ctx, e, id, s, watts, S(t));
}

static void job(sf_metrics *m, sf_job_what what, uint64_t id, int op, double released, double due, double t)
{
    sf_observer o = sf_metrics_observer(m);
    sf_job_event ev = {what, id, 0, op, 0, 0, S(released), due > 0 ? S(due) : 0, S(t), SF_FLOW_MADE};
    if (what == SF_JOB_OP_END)
        ev.crew = 1u << SF_AGENT_WORKER;
    o.job(o.ctx, &ev);
}

static void test_state_times_give_utilisation(void **st)
{
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_TRAVEL_LOADED, 100);
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_IDLE, 400);
    state(m, SF_ENTITY_AGENT, 1, SF_STATE_OFF_SHIFT, 0);
    state(m, SF_ENTITY_AGENT, 1, SF_STATE_WORKING, 500);
    sf_metrics_close(m, S(1000));
    assert_int_equal(sf_kpis_add(&k, "x", "", 0, "", false), SF_OK);
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(sf_metrics_agent(m, 0)->time[SF_STATE_IDLE], 700, 1e-12, "idle");
    rel(sf_metrics_agent(m, 0)->time[SF_STATE_TRAVEL_LOADED], 300, 1e-12, "travel");
    rel(kpi(&k, "utilisation", "fork.1"), 30, 1e-12, "fork.1");
    rel(kpi(&k, "utilisation", "fork.2"), 100, 1e-12, "fork.2 (present 500 s, all working)");
    rel(kpi(&k, "utilisation", "fork"), 100.0 * 800 / 1500, 1e-12, "fork type");
    rel(kpi(&k, "presence", "fork"), 1500.0 / 3600, 1e-12, "presence");
    rel(kpi(&k, "time_off_shift", "fork"), 500.0 / 3600, 1e-12, "off shift");
    /* costs: fork presence 1500 s at 18/h; the worker is present all 1000 s at 36/h */
    rel(kpi(&k, "cost_equipment", ""), 1500 * 18.0 / 3600, 1e-12, "equipment");
    rel(kpi(&k, "cost_labour", ""), 10, 1e-12, "labour");
    /* cost by activity: fork.1 travelled loaded 300 s, the forks idled 700 s and fork.2 worked 500 s, at 18/h */
    rel(kpi(&k, "cost", "fork"), 1500 * 18.0 / 3600, 1e-12, "fork cost");
    rel(kpi(&k, "cost_travel_loaded", "fork"), 300 * 18.0 / 3600, 1e-12, "travelling loaded");
    rel(kpi(&k, "cost_idle", "fork"), 700 * 18.0 / 3600, 1e-12, "idle");
    rel(kpi(&k, "cost_working", "fork"), 500 * 18.0 / 3600, 1e-12, "working");
    assert_null(sf_kpis_find(&k, "cost_off_shift", "fork"));
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

static void test_warmup_is_left_out(void **st)
{
    plant *p = plant_new();
    sf_metrics *m;

    (void)st;
    p->cfg.scenario.warmup = S(200);
    m = sf_metrics_new(&p->cfg, 0, 0);
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_TRAVEL_LOADED, 100);
    job(m, SF_JOB_RELEASED, 1, -1, 50, 0, 50);
    job(m, SF_JOB_COMPLETED, 1, -1, 50, 0, 150); /* before the warm-up: not counted */
    job(m, SF_JOB_RELEASED, 2, -1, 150, 0, 150);
    job(m, SF_JOB_COMPLETED, 2, -1, 150, 0, 450); /* lead 300 s, counted */
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_IDLE, 400);
    sf_metrics_close(m, S(1000));
    rel(sf_metrics_agent(m, 0)->time[SF_STATE_TRAVEL_LOADED], 200, 1e-12, "travel after 200 s");
    rel(sf_metrics_agent(m, 0)->time[SF_STATE_IDLE], 600, 1e-12, "idle after 200 s");
    assert_int_equal(sf_metrics_lead_times(m)->n, 1);
    rel(sf_metrics_lead_times(m)->mean, 300, 1e-12, "lead");
    assert_true(sf_metrics_from(m) == S(200));
    sf_metrics_free(m);
    free(p);
}

static void test_lead_times_and_on_time_rate(void **st)
{
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    job(m, SF_JOB_RELEASED, 1, -1, 0, 120, 0);
    job(m, SF_JOB_RELEASED, 2, -1, 10, 120, 10);
    job(m, SF_JOB_RELEASED, 3, -1, 20, 0, 20);
    job(m, SF_JOB_COMPLETED, 1, -1, 0, 120, 100);  /* 100 s, on time */
    job(m, SF_JOB_COMPLETED, 2, -1, 10, 120, 150); /* 140 s, late */
    job(m, SF_JOB_COMPLETED, 3, -1, 20, 0, 400);   /* 380 s, no due date */
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "completed", ""), 3, 0, "completed");
    rel(kpi(&k, "completed", "part"), 3, 0, "completed part");
    rel(kpi(&k, "throughput", ""), 3, 1e-12, "3 in 1 h");
    rel(kpi(&k, "lead_time_mean", ""), (100 + 140 + 380) / 3.0 / 60, 1e-12, "mean");
    rel(kpi(&k, "lead_time_p50", ""), 140.0 / 60, 1e-12, "p50");
    rel(kpi(&k, "lead_time_p90", ""), (140 + 0.8 * 240) / 60, 1e-12, "p90 interpolated");
    rel(kpi(&k, "lead_time_max", ""), 380.0 / 60, 1e-12, "max");
    rel(kpi(&k, "on_time_rate", ""), 50, 1e-12, "on time");
    /* WIP: 1 on [0,10), 2 on [10,20), 3 on [20,100), 2 on [100,150), 1 on [150,400) */
    rel(kpi(&k, "wip_mean", ""), (10 + 20 + 240 + 100 + 250) / 3600.0, 1e-12, "wip");
    /* 3 units over the worker's 1 h; over the worker's and both forklifts' 3 h */
    rel(kpi(&k, "output_per_human_hour", ""), 3, 1e-12, "units per human hour");
    rel(kpi(&k, "output_per_human_robot_hour", ""), 1, 1e-12, "units per human-plus-robot hour");
    rel(kpi(&k, "robot_hours", ""), 2, 1e-12, "two forklifts present 1 h each");
    rel(kpi(&k, "forklift_hours", ""), 2, 1e-12, "forklift hours");
    rel(kpi(&k, "humanoid_hours", ""), 0, 0, "no humanoid");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/* One job event of `product` with its flow (made, pallet stored, pallet shipped). */
static void pjob(sf_metrics *m, sf_job_what what, uint64_t id, int product, sf_job_flow flow, double released, double due,
                 double t)
{
    sf_observer o = sf_metrics_observer(m);
    sf_job_event ev = {what, id, product, -1, -1, 0, S(released), due > 0 ? S(due) : 0, S(t), flow};
    o.job(o.ctx, &ev);
}

/*
 * ISO 22400-2: a station starved for the first half hour and producing
 * the second, 30 operations of exactly their planned 60 s: availability
 * 50 % (starving is an availability loss, not a performance one),
 * performance 100 %, utilisation 50 %.
 */
static void test_a_station_starved_half_the_time_has_availability_50_and_performance_100(void **st)
{
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    state(m, SF_ENTITY_STATION, 0, SF_STATE_STARVED, 0);
    state(m, SF_ENTITY_STATION, 0, SF_STATE_WORKING, 1800);
    for (int i = 0; i < 30; i++)
        job(m, SF_JOB_OP_END, (uint64_t)i + 1, 0, 0, 0, 1800 + 60 * (i + 1));
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "availability", "press"), 50, 1e-12, "1800 s producing of 3600 s planned");
    rel(kpi(&k, "performance", "press"), 100, 1e-12, "30 x 60 s ideal in 1800 s producing");
    rel(kpi(&k, "quality", "press"), 100, 1e-12, "all good");
    rel(kpi(&k, "oee", "press"), 50, 1e-12, "oee");
    rel(kpi(&k, "utilisation", "press"), 50, 1e-12, "working over planned");
    rel(kpi(&k, "time_planned", "press"), 1, 1e-12, "planned 1 h");
    rel(kpi(&k, "time_producing", "press"), 0.5, 1e-12, "producing 0.5 h");
    rel(kpi(&k, "loss_starved", "press"), 0.5, 1e-12, "starved 0.5 h");
    rel(kpi(&k, "loss_blocked", "press"), 0, 0, "never blocked");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * Made products and pallets apart, by hand over one hour. Parts (with a
 * routing): job 1 released at 0 due 600 and done at 300 (lead 300 s, on
 * time), job 2 released at 100 and done at 700 (600 s). Crates (no
 * routing): pallets 3 and 4 received at 0 and 120 and stored at 60 and
 * 240 (put-away 60 and 120 s), order line 5 at 1800 shipped at 2100
 * (300 s). Pallets in stock: 1 on [60, 240), 2 on [240, 2100), 1 on
 * [2100, 3600): 5400 pallet-s, mean 1.5; one shipped per hour, so a
 * pallet dwells 1.5 h (Little's law).
 */
static void test_pallets_and_products_are_reported_apart(void **st)
{
    plant *p = plant_new();
    sf_cfg_product prods[2] = {p->product, {.name = "crate"}};
    sf_metrics *m;
    sf_kpis k;

    (void)st;
    p->cfg.products = prods;
    p->cfg.n_products = 2;
    m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis_init(&k);
    pjob(m, SF_JOB_RELEASED, 1, 0, SF_FLOW_MADE, 0, 600, 0);
    pjob(m, SF_JOB_RELEASED, 3, 1, SF_FLOW_STORED, 0, 0, 0);
    pjob(m, SF_JOB_COMPLETED, 3, 1, SF_FLOW_STORED, 0, 0, 60);
    pjob(m, SF_JOB_RELEASED, 2, 0, SF_FLOW_MADE, 100, 0, 100);
    pjob(m, SF_JOB_RELEASED, 4, 1, SF_FLOW_STORED, 120, 0, 120);
    pjob(m, SF_JOB_COMPLETED, 4, 1, SF_FLOW_STORED, 120, 0, 240);
    pjob(m, SF_JOB_COMPLETED, 1, 0, SF_FLOW_MADE, 0, 600, 300);
    pjob(m, SF_JOB_COMPLETED, 2, 0, SF_FLOW_MADE, 100, 0, 700);
    pjob(m, SF_JOB_RELEASED, 5, 1, SF_FLOW_SHIPPED, 1800, 0, 1800);
    pjob(m, SF_JOB_COMPLETED, 5, 1, SF_FLOW_SHIPPED, 1800, 0, 2100);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    /* the plant's units are the two parts */
    rel(kpi(&k, "completed", ""), 2, 0, "made units");
    rel(kpi(&k, "throughput", ""), 2, 1e-12, "2 parts in 1 h");
    rel(kpi(&k, "lead_time_mean", ""), 450.0 / 60, 1e-12, "parts' mean lead time");
    rel(kpi(&k, "on_time_rate", ""), 100, 1e-12, "the one part with a due date");
    /* WIP of parts: 1 on [0, 100), 2 on [100, 300), 1 on [300, 700) */
    rel(kpi(&k, "wip_mean", ""), 900.0 / 3600, 1e-12, "parts in progress");
    rel(kpi(&k, "output_per_human_hour", ""), 2, 1e-12, "2 parts per worker hour");
    rel(kpi(&k, "cost_per_unit", ""), kpi(&k, "cost_total", "") / 2, 1e-12, "cost per part");
    /* per product: same names, entity = the product */
    rel(kpi(&k, "throughput", "part"), 2, 1e-12, "part throughput");
    rel(kpi(&k, "completed", "part"), 2, 0, "parts");
    rel(kpi(&k, "lead_time_mean", "part"), 450.0 / 60, 1e-12, "part lead time");
    rel(kpi(&k, "lead_time_p50", "part"), 450.0 / 60, 1e-12, "part median (between 300 and 600 s)");
    rel(kpi(&k, "wip_mean", "part"), 900.0 / 3600, 1e-12, "part wip");
    assert_null(sf_kpis_find(&k, "throughput", "crate"));
    /* the pallets, apart */
    rel(kpi(&k, "pallets_stored", ""), 2, 0, "stored");
    rel(kpi(&k, "pallets_shipped", ""), 1, 0, "shipped");
    rel(kpi(&k, "pallets_handled", ""), 3, 0, "handled");
    rel(kpi(&k, "pallet_throughput", ""), 3, 1e-12, "3 pallets in 1 h");
    rel(kpi(&k, "put_away_time_mean", ""), 1.5, 1e-12, "(60 + 120) / 2 s");
    rel(kpi(&k, "order_line_time_mean", ""), 5, 1e-12, "300 s");
    rel(kpi(&k, "pallets_in_stock_mean", ""), 1.5, 1e-12, "5400 pallet-s in 3600 s");
    rel(kpi(&k, "pallet_dwell_mean", ""), 1.5, 1e-12, "1.5 pallets / 1 shipped per h");
    rel(kpi(&k, "pallets_stored", "crate"), 2, 0, "crates stored");
    rel(kpi(&k, "pallets_shipped", "crate"), 1, 0, "crates shipped");
    assert_null(sf_kpis_find(&k, "cost_per_pallet", ""));
    sf_kpis_free(&k);
    sf_metrics_free(m);

    /* the same crates in a plant that makes nothing: its per-unit figures are per pallet, named so */
    p->cfg.products = &prods[1];
    p->cfg.n_products = 1;
    m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis_init(&k);
    pjob(m, SF_JOB_RELEASED, 1, 0, SF_FLOW_STORED, 0, 0, 0);
    pjob(m, SF_JOB_COMPLETED, 1, 0, SF_FLOW_STORED, 0, 0, 60);
    pjob(m, SF_JOB_RELEASED, 2, 0, SF_FLOW_SHIPPED, 1800, 0, 1800);
    pjob(m, SF_JOB_COMPLETED, 2, 0, SF_FLOW_SHIPPED, 1800, 0, 2100);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    assert_null(sf_kpis_find(&k, "throughput", ""));
    assert_null(sf_kpis_find(&k, "cost_per_unit", ""));
    rel(kpi(&k, "cost_per_pallet", ""), kpi(&k, "cost_total", "") / 2, 1e-12, "cost per pallet handled");
    rel(kpi(&k, "pallets_per_human_hour", ""), 2, 1e-12, "2 pallets per worker hour");
    rel(kpi(&k, "pallet_throughput", ""), 2, 1e-12, "2 pallets in 1 h");
    assert_true(sf_kpis_find(&k, "pallet_throughput", "")->headline);
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * A product family sums its made products as one. gear (family drive):
 * released at 0, done at 600 s (due 500 s: late) and 1,200 s; shaft
 * (drive): 600 to 900 s (due 1,000 s: on time); cap (no family): 0 to
 * 100 s. drive: 3 units, 3 /h; lead times 600, 1,200 and 300 s pooled:
 * mean 700 s (the products' means 900 and 300 s weighted 2:1), median
 * 600 s, p90 at position 0.9 x 2 = 1.8: 600 + 0.8 x 600 = 1,080 s, not
 * the products' medians (900, 300 s) averaged; WIP 2 on [0, 600), 1+1
 * on [600, 900), 1 on [900, 1,200): 2,100 unit-s over 3,600 s; on time
 * 1 of 2. Work: gear 2 x 300 s, shaft 200 s, cap 100 s; the press's 10
 * kWh x 800/900 over drive's 3 units.
 */
static void test_a_product_family_sums_its_products(void **st)
{
    plant *p = plant_new();
    sf_cfg_product prods[3] = {p->product, p->product, p->product};
    const struct {
        uint64_t id;
        int product;
        double released, due, work, done;
    } u[] = {{1, 0, 0, 500, 300, 600}, {2, 0, 0, 0, 300, 1200}, {3, 1, 600, 1000, 200, 900}, {4, 2, 0, 0, 100, 100}};
    sf_metrics *m;
    sf_kpis k;

    (void)st;
    prods[0].name = "gear";
    prods[0].family = "drive";
    prods[1].name = "shaft";
    prods[1].family = "drive";
    prods[2].name = "cap";
    p->cfg.products = prods;
    p->cfg.n_products = 3;
    p->cfg.fleet.n_types = 0;
    m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis_init(&k);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 10000, 0);
    for (size_t i = 0; i < 4; i++)
        pjob(m, SF_JOB_RELEASED, u[i].id, u[i].product, SF_FLOW_MADE, u[i].released, u[i].due, u[i].released);
    for (size_t i = 0; i < 4; i++) { /* the operations, back to back from each release (work only) */
        pjob(m, SF_JOB_OP_START, u[i].id, u[i].product, SF_FLOW_MADE, u[i].released, u[i].due, u[i].released);
        pjob(m, SF_JOB_OP_END, u[i].id, u[i].product, SF_FLOW_MADE, u[i].released, u[i].due, u[i].released + u[i].work);
    }
    pjob(m, SF_JOB_COMPLETED, 4, 2, SF_FLOW_MADE, 0, 0, 100);
    pjob(m, SF_JOB_COMPLETED, 1, 0, SF_FLOW_MADE, 0, 500, 600);
    pjob(m, SF_JOB_COMPLETED, 3, 1, SF_FLOW_MADE, 600, 1000, 900);
    pjob(m, SF_JOB_COMPLETED, 2, 0, SF_FLOW_MADE, 0, 0, 1200);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 3600);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "completed", "drive"), 3, 0, "drive units");
    rel(kpi(&k, "throughput", "drive"), kpi(&k, "throughput", "gear") + kpi(&k, "throughput", "shaft"), 1e-12,
        "throughputs add up");
    rel(kpi(&k, "throughput", "drive"), 3, 1e-12, "3 in 1 h");
    rel(kpi(&k, "lead_time_mean", "drive"), 700.0 / 60, 1e-12, "pooled mean");
    rel(kpi(&k, "lead_time_mean", "drive"),
        (2 * kpi(&k, "lead_time_mean", "gear") + kpi(&k, "lead_time_mean", "shaft")) / 3, 1e-12, "count-weighted");
    rel(kpi(&k, "lead_time_p50", "drive"), 10, 1e-12, "pooled median 600 s");
    rel(kpi(&k, "lead_time_p90", "drive"), 18, 1e-12, "pooled p90 1,080 s");
    rel(kpi(&k, "lead_time_p95", "drive"), (600 + 0.9 * 600) / 60, 1e-12, "pooled p95 1,140 s");
    rel(kpi(&k, "lead_time_max", "drive"), 20, 1e-12, "max 1,200 s");
    rel(kpi(&k, "wip_mean", "drive"), 2100.0 / 3600, 1e-12, "WIP adds up");
    rel(kpi(&k, "on_time_rate", "drive"), 50, 1e-12, "1 of 2 with a due date");
    rel(kpi(&k, "work_share", "drive"), 100 * 800.0 / 900, 1e-12, "800 of 900 s of work");
    rel(kpi(&k, "kwh_per_unit", "drive"), 10 * 800.0 / 900 / 3, 1e-12, "drive's kWh a unit");
    rel(kpi(&k, "co2_per_unit", "drive"), 0, 0, "no carbon factor");
    rel(kpi(&k, "cost_per_unit", "drive"), 0, 0, "no tariff");
    assert_non_null(sf_kpis_find(&k, "throughput", "cap"));
    assert_true(sf_kpis_find(&k, "throughput", "drive")->headline); /* like a product's */
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * Cost, kWh and CO2 per unit of each product, shared by the work done:
 * gear's two units spend 300 s each in an operation (600 s); cap's one
 * unit 100 s in an operation and 100 s carried (200 s). Shares 75% and
 * 25% of 800 s. The press draws 10 kW for the hour: 10 kWh, 5 kg CO2 at
 * 0.5 kg/kWh, 1 EUR at 0.10 EUR/kWh. gear: 7.5 kWh over 2 units = 3.75
 * kWh, 1.875 kg, 0.375 EUR a unit; cap: 2.5 kWh, 1.25 kg, 0.25 EUR; the
 * products' parts add up to the plant's totals.
 */
static void test_cost_energy_and_co2_per_unit_of_each_product_by_its_work(void **st)
{
    plant *p = plant_new();
    sf_cfg_product prods[2] = {p->product, p->product};
    sf_metrics *m;
    sf_kpis k;

    (void)st;
    prods[0].name = "gear";
    prods[1].name = "cap";
    p->cfg.products = prods;
    p->cfg.n_products = 2;
    p->cfg.fleet.n_types = 0; /* no labour or equipment: the cost is the energy's */
    p->bands[0].price = 0.10 / KWH;
    p->cfg.energy.tariff = p->bands;
    p->cfg.energy.n_tariff = 1;
    for (int h = 0; h < 24; h++)
        p->cfg.energy.carbon_average[h] = 0.5 / KWH;
    m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis_init(&k);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 10000, 0);
    pjob(m, SF_JOB_RELEASED, 1, 0, SF_FLOW_MADE, 0, 0, 0);
    pjob(m, SF_JOB_OP_START, 1, 0, SF_FLOW_MADE, 0, 0, 0);
    pjob(m, SF_JOB_OP_END, 1, 0, SF_FLOW_MADE, 0, 0, 300);
    pjob(m, SF_JOB_COMPLETED, 1, 0, SF_FLOW_MADE, 0, 0, 300);
    pjob(m, SF_JOB_RELEASED, 2, 1, SF_FLOW_MADE, 300, 0, 300);
    pjob(m, SF_JOB_OP_START, 2, 1, SF_FLOW_MADE, 300, 0, 300);
    pjob(m, SF_JOB_OP_END, 2, 1, SF_FLOW_MADE, 300, 0, 400);
    pjob(m, SF_JOB_PICKED_UP, 2, 1, SF_FLOW_MADE, 300, 0, 400);
    pjob(m, SF_JOB_DELIVERED, 2, 1, SF_FLOW_MADE, 300, 0, 500);
    pjob(m, SF_JOB_COMPLETED, 2, 1, SF_FLOW_MADE, 300, 0, 500);
    pjob(m, SF_JOB_RELEASED, 3, 0, SF_FLOW_MADE, 500, 0, 500);
    pjob(m, SF_JOB_OP_START, 3, 0, SF_FLOW_MADE, 500, 0, 500);
    pjob(m, SF_JOB_OP_END, 3, 0, SF_FLOW_MADE, 500, 0, 800);
    pjob(m, SF_JOB_COMPLETED, 3, 0, SF_FLOW_MADE, 500, 0, 800);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 3600);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "energy_grid", ""), 10, 1e-12, "plant kWh");
    rel(kpi(&k, "cost_total", ""), 1, 1e-12, "plant cost");
    rel(kpi(&k, "work_share", "gear"), 75, 1e-12, "gear: 600 of 800 s");
    rel(kpi(&k, "work_share", "cap"), 25, 1e-12, "cap: 100 s operation + 100 s carried");
    rel(kpi(&k, "kwh_per_unit", "gear"), 3.75, 1e-12, "gear kWh a unit");
    rel(kpi(&k, "kwh_per_unit", "cap"), 2.5, 1e-12, "cap kWh a unit");
    rel(kpi(&k, "co2_per_unit", "gear"), 1.875, 1e-12, "gear kg a unit");
    rel(kpi(&k, "co2_per_unit", "cap"), 1.25, 1e-12, "cap kg a unit");
    rel(kpi(&k, "cost_per_unit", "gear"), 0.375, 1e-12, "gear EUR a unit");
    rel(kpi(&k, "cost_per_unit", "cap"), 0.25, 1e-12, "cap EUR a unit");
    rel(kpi(&k, "cost_per_unit", ""), 1.0 / 3, 1e-12, "the plant's: (2 x 0.375 + 0.25) / 3");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * Stability, apart from the warm-up. 10-minute steps over 10 hours: a
 * plant that takes in 12 units an hour and lets 6 leave accumulates them,
 * and says so (release vs departure, WIP trend); one that lets them all
 * leave is stable. Hand numbers: 6 /h more arrive than leave, exactly
 * (every batch the same, so the CI is the point).
 */
static void test_an_overloaded_plant_is_unstable_and_a_balanced_one_is_not(void **st)
{
    for (int over = 0; over < 2; over++) {
        plant *p = plant_new();
        sf_metrics *m;
        char found[4][SF_FINDING_LEN];
        sf_kpis k;
        uint64_t id = 0, out = 0;
        size_t n;

        (void)st;
        p->cfg.scenario.horizon = S(36000);
        m = sf_metrics_new(&p->cfg, 0, S(600));
        sf_kpis_init(&k);
        for (int t = 0; t < 36000; t += 300) { /* 12 /h in, every 5 min; out: all, or every other one */
            job(m, SF_JOB_RELEASED, ++id, -1, t, 0, t);
            if (!over || id % 2 == 0) {
                out++;
                job(m, SF_JOB_COMPLETED, out, -1, t, 0, t + 1);
            }
        }
        sf_metrics_close(m, S(36000));
        n = sf_metrics_stability(m, found, 4);
        assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
        if (over) {
            assert_int_equal(n, 2);
            assert_string_equal(found[0], "made products are released at 12 /h and leave at 6 /h: 6 /h more arrive than "
                                          "leave (99% CI 6 to 6 /h)");
            assert_non_null(strstr(found[1], "work in progress grows by"));
            rel(kpi(&k, "stable", ""), 0, 0, "unstable");
        } else {
            assert_int_equal(n, 0);
            rel(kpi(&k, "stable", ""), 1, 0, "stable");
        }
        sf_kpis_free(&k);
        sf_metrics_free(m);
        free(p);
    }
}

static void test_oee_is_availability_times_performance_times_quality(void **st)
{
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    sf_kpis k;
    sf_observer o = sf_metrics_observer(m);

    (void)st;
    sf_kpis_init(&k);
    state(m, SF_ENTITY_STATION, 0, SF_STATE_OFF_SHIFT, 0);
    state(m, SF_ENTITY_STATION, 0, SF_STATE_WORKING, 600);
    for (int i = 0; i < 25; i++)
        job(m, SF_JOB_OP_END, (uint64_t)i + 1, 0, 600, 0, 600 + 60 * (i + 1));
    {
        sf_job_event rw = {SF_JOB_REWORK, 3, 0, 0, 0, 0, S(600), 0, S(2000), SF_FLOW_MADE};
        sf_job_event sc = {SF_JOB_SCRAPPED, 4, 0, 0, 0, 0, S(600), 0, S(2100), SF_FLOW_MADE};
        o.job(o.ctx, &rw);
        o.job(o.ctx, &sc);
    }
    state(m, SF_ENTITY_STATION, 0, SF_STATE_FAILED, 2400);
    state(m, SF_ENTITY_STATION, 0, SF_STATE_STARVED, 3000);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    /* ISO 22400: planned busy 3000 s, producing 1800 s; failed and starved are availability losses */
    rel(kpi(&k, "availability", "press"), 60, 1e-12, "1800 of 3000 planned");
    rel(kpi(&k, "performance", "press"), 100.0 * 25 * 60 / 1800, 1e-12, "25 x 60 s in 1800 s producing");
    rel(kpi(&k, "utilisation", "press"), 60, 1e-12, "producing + setup over planned");
    rel(kpi(&k, "loss_failed", "press"), 600.0 / 3600, 1e-12, "failed 600 s");
    rel(kpi(&k, "quality", "press"), 92, 1e-12, "23 of 25 good");
    rel(kpi(&k, "oee", "press"), 0.8 * 0.625 * 0.92 * 100, 1e-12, "oee");
    rel(kpi(&k, "ops_share_people", ""), 100, 1e-12, "all by a worker");
    rel(kpi(&k, "ops_share_arms", ""), 0, 1e-12, "none by arms");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * Clock starts at 06:30; bands 0.10 EUR/kWh from 00:00 and 0.30 from
 * 07:00; carbon 0.5 kg/kWh in hour 6 and 0.3 in hour 7; base load 2 kW.
 * The press draws 10 kW for the hour, a forklift 40 kW from 06:50 to 06:55.
 */
static void test_energy_cost_carbon_and_peak_across_a_band_boundary(void **st)
{
    plant *p = plant_new();
    sf_metrics *m;
    sf_kpis k;
    sf_time at;

    (void)st;
    sf_kpis_init(&k);
    p->cfg.scenario.start_time_of_day = S(6.5 * 3600);
    p->bands[0].from = 0;
    p->bands[0].price = 0.10 / KWH;
    p->bands[1].from = S(7 * 3600);
    p->bands[1].price = 0.30 / KWH;
    p->cfg.energy.tariff = p->bands;
    p->cfg.energy.n_tariff = 2;
    for (int h = 0; h < 24; h++) {
        p->cfg.energy.carbon_average[h] = (h == 7 ? 0.3 : 0.5) / KWH;
        p->cfg.energy.carbon_marginal[h] = (h == 7 ? 0.6 : 0.2) / KWH;
    }
    p->cfg.energy.has_marginal = true;
    p->cfg.energy.base_load = 2000;
    p->cfg.energy.demand_charge = 12.0 / 1000;
    m = sf_metrics_new(&p->cfg, 0, 0);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 10000, 0);
    power(m, SF_ENTITY_AGENT, 0, SF_POWER_LIFTING, 40000, 1200);
    power(m, SF_ENTITY_AGENT, 0, SF_POWER_IDLE, 0, 1500);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 3600);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "energy_grid", ""), 10 + 40.0 / 12 + 2, 1e-12, "kWh");
    rel(kpi(&k, "energy_grid", "press"), 10, 1e-12, "press kWh");
    rel(sf_metrics_station(m, 0)->energy[SF_POWER_WORKING], 10 * KWH, 1e-12, "press working J");
    rel(kpi(&k, "energy_lifting", "fork"), 40.0 / 12, 1e-12, "fork lifting kWh");
    /* 06:30-07:00: 5 + 1 + 3.333 kWh at 0.10; 07:00-07:30: 5 + 1 kWh at 0.30 */
    rel(kpi(&k, "energy_cost", ""), (6 + 40.0 / 12) * 0.10 + 6 * 0.30, 1e-12, "cost");
    rel(kpi(&k, "co2", ""), (6 + 40.0 / 12) * 0.5 + 6 * 0.3, 1e-12, "co2");
    rel(kpi(&k, "co2_marginal", ""), (6 + 40.0 / 12) * 0.2 + 6 * 0.6, 1e-12, "co2 marginal");
    /* window 06:45-07:00 = [900 s, 1800 s): (12 kW x 900 s + 40 kW x 300 s) / 900 s */
    rel(kpi(&k, "peak_demand_15min", ""), (12000.0 * 900 + 40000.0 * 300) / 900 / 1000, 1e-12, "peak");
    rel(sf_metrics_peak(m, &at), (12000.0 * 900 + 40000.0 * 300) / 900, 1e-12, "peak W");
    assert_true(at == S(900));
    /* 12 EUR/kW a billing period; no period given: a month of 730 h, of which the run measured 1 h */
    rel(kpi(&k, "demand_charge", ""), 12 * (12000.0 * 900 + 40000.0 * 300) / 900 / 1000 / 730, 1e-12,
        "demand charge");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * The demand charge is per billing period: a run of 1 h measured pays
 * 1 h / 4 h of it when the period is 4 h. 10 kW flat, 9 EUR/kW:
 * 9 x 10 / 4 = 22.5 EUR.
 */
static void test_demand_charge_is_prorated_over_its_billing_period(void **st)
{
    plant *p = plant_new();
    sf_metrics *m;
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    p->cfg.energy.demand_charge = 9.0 / 1000;
    p->cfg.energy.demand_period = S(4 * 3600);
    m = sf_metrics_new(&p->cfg, 0, 0);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 10000, 0);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 3600);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "peak_demand_15min", ""), 10, 1e-12, "peak kW");
    rel(kpi(&k, "demand_charge", ""), 22.5, 1e-12, "a quarter of the period's charge");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/*
 * A product's carbon footprint per good unit, summed by hand. Bill of
 * materials: 2 kg of steel at 1.5 kg/kg and 0.5 kg of coating at 4 kg/kg
 * = 5 kg a unit. Three units are made, one scrapped: 15 kg over 2 good
 * units = 7.5 kg. The press burns gas at 100 kW (0.2 kg/kWh) during each
 * 360 s operation: 10 kWh = 2 kg each, 6 kg over 2 = 3 kg (scope 1). The
 * grid: 10 kW for 1 h = 10 kWh at 0.5 kg/kWh average (5 kg, 2.5 a unit)
 * and 0.8 marginal (8 kg, 4 a unit). Footprint 7.5 + 3 + 2.5 = 13 kg
 * average, 7.5 + 3 + 4 = 14.5 kg marginal.
 */
static void test_product_footprint_is_materials_plus_scope1_plus_scope2(void **st)
{
    plant *p = plant_new();
    sf_cfg_material bom[2] = {{"steel", 2, 1.5, {0}}, {"coating", 0.5, 4, {0}}};
    sf_metrics *m;
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    p->product.materials = bom;
    p->product.n_materials = 2;
    p->station.fuel = (sf_cfg_fuel){"natural gas", 100000, 0.2 / KWH, {0}};
    for (int h = 0; h < 24; h++) {
        p->cfg.energy.carbon_average[h] = 0.5 / KWH;
        p->cfg.energy.carbon_marginal[h] = 0.8 / KWH;
    }
    p->cfg.energy.has_marginal = true;
    m = sf_metrics_new(&p->cfg, 0, 0);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 10000, 0);
    for (uint64_t j = 1; j <= 3; j++) {
        double t0 = 360.0 * (double)(j - 1);
        job(m, SF_JOB_RELEASED, j, -1, t0, 0, t0);
        job(m, SF_JOB_OP_START, j, 0, t0, 0, t0);
        job(m, SF_JOB_OP_END, j, 0, t0, 0, t0 + 360);
        job(m, j == 3 ? SF_JOB_SCRAPPED : SF_JOB_COMPLETED, j, -1, t0, 0, t0 + 360);
    }
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 3600);
    sf_metrics_close(m, S(3600));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "co2e_materials_per_unit", "part"), 7.5, 1e-12, "materials");
    rel(kpi(&k, "co2e_scope1_per_unit", "part"), 3, 1e-12, "scope 1");
    rel(kpi(&k, "co2e_scope2_per_unit", "part"), 2.5, 1e-12, "scope 2 average");
    rel(kpi(&k, "co2e_scope2_marginal_per_unit", "part"), 4, 1e-12, "scope 2 marginal");
    rel(kpi(&k, "co2e_per_unit", "part"), 13, 1e-12, "footprint, average");
    rel(kpi(&k, "co2e_marginal_per_unit", "part"), 14.5, 1e-12, "footprint, marginal");
    rel(kpi(&k, "fuel_energy", "press"), 30, 1e-12, "press fuel kWh");
    rel(kpi(&k, "fuel_energy", ""), 30, 1e-12, "plant fuel kWh");
    rel(kpi(&k, "co2e_scope1", ""), 6, 1e-12, "plant scope 1");
    rel(kpi(&k, "co2e_materials", ""), 15, 1e-12, "plant materials");
    rel(kpi(&k, "co2_marginal_per_unit", ""), 4, 1e-12, "plant marginal grid CO2 a unit");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/* Energy of a base load schedule from 06:00 to 07:15 on weekday `wd` (0 = Monday), kWh. */
static double base_kwh(int wd)
{
    plant *p = plant_new();
    sf_cfg_base_band bands[3] = {{0x7f, 0, 1000, {0}}, {0x1f, S(6.5 * 3600), 4000, {0}}, {0x7f, S(7 * 3600), 2000, {0}}};
    sf_metrics *m;
    sf_kpis k;
    double v;

    sf_kpis_init(&k);
    p->cfg.scenario.start_time_of_day = S(6 * 3600);
    p->cfg.scenario.start_weekday = wd;
    p->cfg.energy.base_schedule = bands;
    p->cfg.energy.n_base_schedule = 3;
    m = sf_metrics_new(&p->cfg, 0, 0);
    sf_metrics_close(m, S(4500));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    v = kpi(&k, "energy_base_load", "");
    rel(kpi(&k, "energy_grid", ""), v, 1e-12, "the base load is all the plant draws");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
    return v;
}

/*
 * Base load by schedule: 1 kW from 00:00 every day, 4 kW from 06:30 on
 * weekdays, 2 kW from 07:00 every day. 06:00-07:15 on a Monday: 0.5 h x 1
 * + 0.5 h x 4 + 0.25 h x 2 = 3 kWh; on a Saturday the weekday band does
 * not apply: 1 h x 1 + 0.25 h x 2 = 1.5 kWh.
 */
static void test_base_load_follows_its_schedule_by_time_of_day_and_day_type(void **st)
{
    (void)st;
    rel(base_kwh(0), 3, 1e-12, "Monday");
    rel(base_kwh(5), 1.5, 1e-12, "Saturday");
}

/*
 * Occupancy loads of a zone: lighting 2 kW off 15 min after the last
 * person leaves, HVAC 5 kW off after 5 min. The worker (agent 2) enters
 * at 600 s, leaves at 1800, comes back at 2000 (the lights are still on:
 * their switch-off is cancelled; the HVAC too, due at 2100), leaves at
 * 2400: lighting on 600-3300 s, HVAC 600-2700 s. It enters again at 3400
 * and goes off shift there at 3500: lighting 3400-4400, HVAC 3400-3800.
 * A forklift (agent 0) crossing the zone switches nothing: not a person.
 * Lighting 3700 s x 2 kW, HVAC 2500 s x 5 kW.
 */
static void test_occupancy_lighting_switches_off_exactly_its_delay_after_the_last_person_leaves(void **st)
{
    plant *p = plant_new();
    double xy[8] = {0, 0, 10, 0, 10, 10, 0, 10};
    sf_cfg_zone zone = {"hall", SF_ZONE_PEOPLE_ONLY, xy, 4, 0, {0}};
    sf_cfg_occupancy occ = {0, 2000, 5000, S(900), S(300), {0}};
    sf_metrics *m;
    sf_observer o;
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    p->cfg.layout.zones = &zone;
    p->cfg.layout.n_zones = 1;
    p->cfg.energy.occupancy = &occ;
    p->cfg.energy.n_occupancy = 1;
    m = sf_metrics_new(&p->cfg, 0, 0);
    o = sf_metrics_observer(m);
    assert_non_null(o.zone);
    o.zone(o.ctx, 0, 0, true, S(100));
    o.zone(o.ctx, 0, 0, false, S(200));
    o.zone(o.ctx, 2, 0, true, S(600));
    o.zone(o.ctx, 2, 0, false, S(1800));
    o.zone(o.ctx, 2, 0, true, S(2000));
    o.zone(o.ctx, 2, 0, false, S(2400));
    o.zone(o.ctx, 2, 0, true, S(3400));
    state(m, SF_ENTITY_AGENT, 2, SF_STATE_OFF_SHIFT, 3500);
    sf_metrics_close(m, S(4500));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "energy_lighting", "hall"), 3700 * 2000 / KWH, 1e-12, "lighting kWh");
    rel(kpi(&k, "energy_hvac", "hall"), 2500 * 5000 / KWH, 1e-12, "HVAC kWh");
    rel(kpi(&k, "energy_occupancy", ""), (3700 * 2000 + 2500 * 5000) / KWH, 1e-12, "occupancy kWh");
    rel(kpi(&k, "energy_grid", ""), (3700 * 2000 + 2500 * 5000) / KWH, 1e-12, "the plant's grid energy holds them");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

/* A 15-minute window is aligned to the clock, not to the start of the run. */
static void test_peak_window_follows_the_clock(void **st)
{
    plant *p = plant_new();
    sf_metrics *m;
    sf_time at;

    (void)st;
    p->cfg.scenario.start_time_of_day = S(10 * 60); /* 00:10 */
    m = sf_metrics_new(&p->cfg, 0, 0);
    /* 30 kW over [00:20, 00:35): windows 00:15-00:30 and 00:30-00:45 get 10 and 5 min of it */
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 30000, 600);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_IDLE, 0, 1500);
    sf_metrics_close(m, S(3600));
    rel(sf_metrics_peak(m, &at), 30000.0 * 600 / 900, 1e-12, "peak");
    assert_true(at == S(300)); /* 00:15 */
    sf_metrics_free(m);
    free(p);
}

/*
 * Little's law on the sample path of a FIFO single server: with the
 * system empty at both ends, the WIP integral equals the sum of the
 * sojourn times, so L = lambda W holds exactly (to rounding).
 */
static void test_littles_law_holds_on_the_sample_path(void **st)
{
    enum { N = 3000 };
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    static sf_time a[N], c[N];
    uint64_t x = 88172645463325252ULL;
    sf_time t = 0, free_at = 0, end;
    size_t i = 0, j = 0;
    sf_kpis k;
    double L, lambda, W, hours;
    sf_observer o = sf_metrics_observer(m);

    (void)st;
    sf_kpis_init(&k);
    for (int n = 0; n < N; n++) {
        double u, v;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        u = (double)(x >> 11) / 9007199254740992.0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v = (double)(x >> 11) / 9007199254740992.0;
        t += (sf_time)(-log(1 - u) * 60e9) + 1;
        a[n] = t;
        free_at = (free_at > t ? free_at : t) + (sf_time)(-log(1 - v) * 50e9) + 1;
        c[n] = free_at;
    }
    while (i < N || j < N) {
        sf_job_event ev = {0};
        ev.station = -1;
        if (i < N && a[i] <= c[j]) {
            ev.what = SF_JOB_RELEASED, ev.job = i + 1, ev.released = a[i], ev.now = a[i];
            i++;
        } else {
            ev.what = SF_JOB_COMPLETED, ev.job = j + 1, ev.released = a[j], ev.now = c[j];
            j++;
        }
        o.job(o.ctx, &ev);
    }
    end = c[N - 1];
    sf_metrics_close(m, end);
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    hours = sf_time_to_seconds(end) / 3600;
    L = kpi(&k, "wip_mean", "");
    lambda = kpi(&k, "throughput", "") / 3600;
    W = kpi(&k, "lead_time_mean", "") * 60;
    rel(kpi(&k, "completed", ""), N, 0, "all completed");
    assert_true(L > 0.5);
    rel(L, lambda * W, 1e-9, "L = lambda W");
    (void)hours;
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

static void test_time_series_steps_and_mser(void **st)
{
    plant *p = plant_new();
    sf_metrics *m;
    const sf_metrics_sample *v;
    size_t n;
    double y[12] = {5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1};

    (void)st;
    m = sf_metrics_new(&p->cfg, 0, S(600));
    job(m, SF_JOB_RELEASED, 1, -1, 0, 0, 0);
    job(m, SF_JOB_COMPLETED, 1, -1, 0, 0, 300);
    job(m, SF_JOB_RELEASED, 2, -1, 600, 0, 600);
    power(m, SF_ENTITY_STATION, 0, SF_POWER_WORKING, 1000, 900);
    job(m, SF_JOB_COMPLETED, 2, -1, 600, 0, 1200); /* at a step boundary: belongs to [1200, 1800) */
    sf_metrics_close(m, S(1500));
    n = sf_metrics_samples(m, &v);
    assert_int_equal(n, 3);
    assert_true(v[0].t == 0 && v[1].t == S(600) && v[2].t == S(1200));
    rel(v[0].completed, 1, 0, "step 0");
    rel(v[1].completed, 0, 0, "step 1");
    rel(v[2].completed, 1, 0, "step 2");
    rel(v[0].wip, 0.5, 1e-12, "wip step 0");
    rel(v[1].wip, 1, 1e-12, "wip step 1");
    rel(v[1].power, 500, 1e-12, "power step 1");
    rel(v[2].power, 1000, 1e-12, "power of the open step");
    assert_int_equal(sf_mser(y, 12), 4);
    sf_metrics_free(m);
    free(p);
}

static void test_safety_events_are_counted(void **st)
{
    plant *p = plant_new();
    sf_metrics *m = sf_metrics_new(&p->cfg, 0, 0);
    sf_observer o = sf_metrics_observer(m);
    sf_safety_event e1 = {SF_SAFETY_SLOW, 0, 2, 1.8, S(10)}, e2 = {SF_SAFETY_STOP, 0, 2, 0.4, S(20)},
                    e3 = {SF_SAFETY_RESUME, 0, 2, NAN, S(30)}, e4 = {SF_SAFETY_NEAR_MISS, 1, 2, 0.3, S(40)};
    sf_kpis k;

    (void)st;
    sf_kpis_init(&k);
    /* forks under ssm: 0.5 m/s in the slow band, cycle times hold for 2 m/s, so rate 1/4 */
    p->rule.agent_type = 0;
    p->rule.mode = SF_SAFETY_SSM;
    p->rule.reduced_speed = 0.5;
    p->rule.robot_speed = 2;
    p->cfg.safety.rules = &p->rule;
    p->cfg.safety.n_rules = 1;
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_REDUCED_SPEED, 10);
    o.safety(o.ctx, &e1);
    o.safety(o.ctx, &e2);
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_SAFETY_STOP, 20);
    o.safety(o.ctx, &e3);
    state(m, SF_ENTITY_AGENT, 0, SF_STATE_WORKING, 30);
    o.safety(o.ctx, &e4);
    sf_metrics_close(m, S(100));
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    rel(kpi(&k, "protective_stops", ""), 1, 0, "stops");
    rel(kpi(&k, "near_misses", ""), 1, 0, "near");
    rel(kpi(&k, "safety_slowdowns", ""), 1, 0, "slow");
    rel(kpi(&k, "min_separation", ""), 0.3, 1e-12, "min separation");
    rel(kpi(&k, "safety_stop_time", ""), 10.0 / 3600, 1e-12, "stop time");
    rel(kpi(&k, "reduced_speed_time", ""), 10.0 / 3600, 1e-12, "reduced time");
    /* 10 s stopped + 10 s at a quarter of the rate */
    rel(kpi(&k, "safety_work_lost", ""), (10 + 10 * 0.75) / 3600, 1e-12, "work lost");
    sf_kpis_free(&k);
    sf_metrics_free(m);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_times_give_utilisation),
        cmocka_unit_test(test_warmup_is_left_out),
        cmocka_unit_test(test_lead_times_and_on_time_rate),
        cmocka_unit_test(test_oee_is_availability_times_performance_times_quality),
        cmocka_unit_test(test_a_station_starved_half_the_time_has_availability_50_and_performance_100),
        cmocka_unit_test(test_pallets_and_products_are_reported_apart),
        cmocka_unit_test(test_cost_energy_and_co2_per_unit_of_each_product_by_its_work),
        cmocka_unit_test(test_a_product_family_sums_its_products),
        cmocka_unit_test(test_an_overloaded_plant_is_unstable_and_a_balanced_one_is_not),
        cmocka_unit_test(test_energy_cost_carbon_and_peak_across_a_band_boundary),
        cmocka_unit_test(test_peak_window_follows_the_clock),
        cmocka_unit_test(test_demand_charge_is_prorated_over_its_billing_period),
        cmocka_unit_test(test_base_load_follows_its_schedule_by_time_of_day_and_day_type),
        cmocka_unit_test(test_occupancy_lighting_switches_off_exactly_its_delay_after_the_last_person_leaves),
        cmocka_unit_test(test_product_footprint_is_materials_plus_scope1_plus_scope2),
        cmocka_unit_test(test_littles_law_holds_on_the_sample_path),
        cmocka_unit_test(test_time_series_steps_and_mser),
        cmocka_unit_test(test_safety_events_are_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
