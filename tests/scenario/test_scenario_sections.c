/*
 * The sections of a scenario: what a valid file turns into, and the
 * exact problem (place and message) for each kind of mistake.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/time.h"
#include "helpers.h"

static bool near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

static sf_scenario_config *load_example(const char *name)
{
    char path[1024];
    const char *src = getenv("SHOPFLOOR_SOURCE_DIR");
    sf_diags d;
    sf_scenario_config *cfg;
    snprintf(path, sizeof path, "%s/scenarios/examples/%s", src ? src : ".", name);
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg) {
        dump_diags(&d);
        fail_msg("%s should load", path);
    }
    sf_diags_close(&d);
    return cfg;
}

static int type_index(const sf_scenario_config *c, const char *name)
{
    for (size_t i = 0; i < c->fleet.n_types; i++)
        if (strcmp(c->fleet.types[i].name, name) == 0)
            return (int)i;
    fail_msg("no fleet entry %s", name);
    return -1;
}

static void test_sections_example_plant_reads_into_config(void **state)
{
    sf_scenario_config *c = load_example("minimal_plant.yaml");
    const sf_cfg_agent_type *truck;
    const sf_cfg_operation *op;
    (void)state;

    assert_string_equal(c->scenario.name, "minimal plant");
    assert_int_equal(c->scenario.seed, 42);
    assert_int_equal(c->scenario.horizon, 8 * SF_HOUR);
    assert_int_equal(c->scenario.warmup, 30 * SF_MINUTE);
    assert_int_equal(c->scenario.start_year, 2026);
    assert_int_equal(c->scenario.start_month, 3);
    assert_int_equal(c->scenario.start_day, 2);
    assert_int_equal(c->scenario.start_weekday, 0);
    assert_int_equal(c->scenario.start_time_of_day, 6 * SF_HOUR);

    assert_int_equal(c->layout.n_nodes, 8);
    assert_true(near(c->layout.nodes[2].y, 8));
    /* Paths of 5, 2, 3 and 2 nodes make 4 + 1 + 2 + 1 segments. */
    assert_int_equal(c->layout.n_segments, 8);
    assert_true(near(c->layout.segments[0].length, 10));
    assert_true(near(c->layout.segments[0].speed_limit, 2));
    assert_true(c->layout.segments[0].two_way);
    assert_int_equal(c->layout.segments[4].capacity, 1);
    assert_false(c->layout.segments[7].two_way);
    assert_int_equal(c->layout.n_zones, 2);
    assert_int_equal(c->layout.zones[0].kind, SF_ZONE_COLLABORATIVE);
    assert_int_equal(c->layout.zones[0].n_points, 4);
    assert_int_equal(c->layout.zones[1].kind, SF_ZONE_ROBOTS_ONLY);
    assert_int_equal(c->layout.docks[0].doors, 2);
    assert_int_equal(c->layout.docks[1].kind, SF_DOCK_OUTBOUND);
    assert_int_equal(c->layout.racks[0].levels, 4);
    assert_true(near(c->layout.racks[0].level_height[3], 4.5));
    assert_true(near(c->layout.chargers[0].power, 6000));
    assert_int_equal(c->layout.n_stations, 2);
    assert_int_equal(c->layout.n_groups, 2);
    assert_string_equal(c->layout.groups[c->layout.stations[0].group_index], "weld");
    assert_true(near(c->layout.stations[0].power_busy, 8000));

    assert_int_equal(c->fleet.n_types, 5);
    truck = &c->fleet.types[type_index(c, "reach_truck")];
    assert_int_equal(truck->kind, SF_AGENT_FORKLIFT);
    assert_true(near(truck->lift_height, 6));
    assert_true(near(truck->speed_loaded, 1.6));
    assert_true(near(truck->power[SF_POWER_LIFTING], 9000));
    assert_true(truck->battery.present);
    assert_true(near(truck->battery.capacity, 24 * 3.6e6));
    assert_true(near(truck->battery.charge_below, 0.25));
    assert_true(near(truck->cost_per_hour, 18.0 / 3600));
    assert_string_equal(c->fleet.currency, "EUR");
    assert_int_equal(c->fleet.types[type_index(c, "welder")].home_station, 0);
    assert_string_equal(c->fleet.types[type_index(c, "tugger")].behaviour, "scripts/agv_milk_run.lua");

    assert_int_equal(c->n_products, 2);
    op = &c->products[0].ops[0];
    assert_int_equal(op->n_crew, 1);
    assert_int_equal(op->crew[0].count, 1);
    assert_int_equal(op->crew[0].kinds, 1u << SF_AGENT_ARM);
    assert_int_equal(op->crew[0].n_types, 0);
    assert_string_equal(op->crew[0].label, "arm");
    assert_string_equal(op->skill, "welding");
    assert_true(near(op->scrap, 0.015));
    assert_true(near(sf_dist_mean(&op->setup), 300));
    op = &c->products[0].ops[1];
    assert_int_equal(op->crew[0].kinds, (1u << SF_AGENT_WORKER) | (1u << SF_AGENT_HUMANOID));
    assert_int_equal(op->crew[0].n_types, 0);
    assert_string_equal(op->crew[0].label, "any of worker, humanoid");
    assert_int_equal(c->products[1].ops[0].crew[0].count, 2);
    assert_int_equal(c->products[1].ops[0].crew[0].kinds, 0);
    assert_int_equal(c->products[1].ops[0].crew[0].n_types, 1);
    assert_int_equal(c->products[1].ops[0].crew[0].types[0], type_index(c, "operator"));

    assert_int_equal(c->demand.n_arrivals, 1);
    assert_int_equal(c->demand.arrivals[0].n_mix, 2);
    assert_true(near(c->demand.arrivals[0].weights[0], 3));
    assert_int_equal(c->demand.arrivals[0].due_in, 2 * SF_HOUR);
    assert_int_equal(c->demand.orders[0].quantity, 20);
    assert_int_equal(c->demand.orders[0].due, 5 * SF_HOUR);

    assert_int_equal(c->shifts.n_shifts, 2);
    assert_int_equal(c->shifts.shifts[0].days, 0x1f);
    assert_int_equal(c->shifts.shifts[0].start, 6 * SF_HOUR);
    assert_int_equal(c->shifts.shifts[0].length, 8 * SF_HOUR);
    assert_int_equal(c->shifts.shifts[0].n_breaks, 2);
    assert_int_equal(c->shifts.shifts[0].breaks[0].start, 9 * SF_HOUR + 30 * SF_MINUTE);
    assert_int_equal(c->shifts.shifts[1].length, 8 * SF_HOUR);
    assert_int_equal(c->shifts.n_rosters, 1);
    assert_int_equal(c->shifts.rosters[0].n_shifts, 2);

    assert_int_equal(c->n_failures, 2);
    assert_int_equal(c->failures[0].target_kind, SF_FAIL_STATION);
    assert_true(c->failures[0].busy_time);
    assert_int_equal(c->failures[1].target_kind, SF_FAIL_AGENT_TYPE);
    assert_int_equal(c->failures[1].mtbf.kind, SF_DIST_WEIBULL);

    assert_int_equal(c->energy.n_tariff, 3);
    assert_int_equal(c->energy.tariff[1].from, 7 * SF_HOUR);
    assert_true(near(c->energy.tariff[1].price, 0.26 / 3.6e6));
    assert_true(near(c->energy.carbon_average[13], 0.38 / 3.6e6));
    assert_true(c->energy.has_marginal);
    assert_true(near(c->energy.carbon_marginal[18], 0.66 / 3.6e6));
    assert_true(near(c->energy.base_load, 12000));

    assert_int_equal(c->safety.n_rules, 3);
    assert_int_equal(c->safety.rules[0].mode, SF_SAFETY_SSM);
    assert_true(near(c->safety.rules[0].stop_distance, 0.6));
    assert_int_equal(c->safety.rules[1].mode, SF_SAFETY_FENCED); /* a humanoid: pfl is for arms */
    assert_int_equal(c->safety.cameras[0].n_zones, 1);

    assert_string_equal(c->outputs.dir, "out/minimal_plant");
    assert_int_equal(c->outputs.formats, SF_OUT_CSV | SF_OUT_JSON);
    assert_false(c->outputs.trace);
    assert_true(c->outputs.fingerprint);
    assert_int_equal(c->outputs.sample_every, 5 * SF_MINUTE);
    sf_scenario_config_free(c);
}

static void test_sections_base_of_these_tests_is_valid(void **state)
{
    (void)state;
    sf_scenario_config_free(load_ok(BASE));
}

static void test_sections_every_problem_is_reported_in_one_pass(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(BASE "  - {name: x, kind: robot, count: -1, home: z, speed: 1 m/s}\n"
                               "outputs: {formats: [csv, pdf]}\n"
                               "scenaro: 1\n",
                          &d));
    assert_int_equal(sf_diags_count(&d), 5);
    /* Sorted by place. */
    expect_diag(&d, "t.yaml:11:21: agent kind: 'robot' is not one of forklift, agv, arm, humanoid, worker");
    expect_diag(&d, "t.yaml:11:35: count must be between 0 and 10000, got -1");
    expect_diag(&d, "t.yaml:11:45: node 'z' is not defined; defined: a, b");
    expect_diag(&d, "t.yaml:12:26: format: 'pdf' is not one of csv, json, html");
    expect_diag(&d, "t.yaml:13:1: unknown key 'scenaro' in the scenario; did you mean 'scenario'?");
    assert_int_equal(d.v[0].line, 11);
    assert_int_equal(d.v[4].line, 13);
    sf_diags_close(&d);
}

static void test_sections_scenario_errors(void **state)
{
    (void)state;
    expect_load_fails_with("scenario: {name: t}\nlayout: {nodes: [{name: a, at: [0, 0]}]}\n",
                           "t.yaml:1:11: scenario needs 'horizon'");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h, warmup: 2 h}\nlayout: {nodes: [{name: a, at: [0, 0]}]}\n",
                           "t.yaml:1:43: warmup must be shorter than the horizon, got '2 h'");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h, start: 2026-02-30}\nlayout: {nodes: [{name: a, at: [0, 0]}]}\n",
                           "t.yaml:1:42: start: expected a date and time such as '2026-03-02 06:00', got '2026-02-30'");
    expect_load_fails_with("layout: {nodes: [{name: a, at: [0, 0]}]}\n",
                           "t.yaml:1:1: the scenario needs a 'scenario' section with its name and horizon");
    expect_load_fails_with("- a\n- b\n",
                           "t.yaml:1:1: a scenario is a mapping of sections (scenario, layout, fleet...), not a list");
}

static void test_sections_layout_errors(void **state)
{
    (void)state;
    expect_load_fails_with(BASE "  - {name: y, kind: worker, count: 1, home: c, speed: 1 m/s}\n",
                           "t.yaml:11:45: node 'c' is not defined; defined: a, b");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes:\n"
                           "    - {name: a, at: [0, 0]}\n"
                           "    - {name: a, at: [1, 0]}\n",
                           "t.yaml:5:14: layout.nodes 'a' is defined twice (first at t.yaml:4:14)");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}, {name: b, at: [0, 0]}]\n"
                           "  segments: [{path: [a, b]}]\n",
                           "t.yaml:4:25: segment 1: nodes 'a' and 'b' are at the same place; give a 'length'");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}]\n"
                           "  zones: [{name: z, kind: colaborative, polygon: [[0, 0], [1, 0], [1, 1]]}]\n",
                           "t.yaml:4:27: zone kind: 'colaborative' is not one of collaborative, people_only, "
                           "robots_only, area; did you mean 'collaborative'?");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}]\n"
                           "  zones: [{name: z, kind: people_only, polygon: [[0, 0], [1, 0]]}]\n",
                           "t.yaml:4:49: zone 'z': 'polygon' lists 3 to 1000 corners [x, y], got fewer");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}]\n"
                           "  racks: [{name: r, node: a, bays: 2, levels: 3, level_heights: [0 m, 2 m]}]\n",
                           "t.yaml:4:65: rack 'r': 'level_heights' lists one height per level (3), got a different number");
    expect_load_fails_with("scenario: {name: t, horizon: 1 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}]\n"
                           "  stations: [{name: s, node: a, capacity: 0}]\n",
                           "t.yaml:4:43: capacity must be between 1 and 1000, got 0");
}

static void test_sections_fleet_errors(void **state)
{
    (void)state;
    expect_load_fails_with(BASE "  - {name: y, kind: worker, count: 1, home: a, speed: 1 m/s, paylod: 5 kg}\n",
                           "t.yaml:11:62: unknown key 'paylod' in fleet entry 'y'; did you mean 'payload'?");
    expect_load_fails_with(BASE "  - {name: y, count: 1, home: a, speed: 1 m/s}\n",
                           "t.yaml:11:5: fleet entry 'y' needs 'kind'");
    expect_load_fails_with(BASE "  - {name: y, kind: arm, count: 1, home: s1, speed: 1 m/s}\n",
                           "t.yaml:11:53: fleet entry 'y': an arm stays at its station and has no 'speed'");
    expect_load_fails_with(BASE "  - {name: y, kind: forklift, count: 1, home: a, speed: 2 m/s}\n",
                           "t.yaml:11:5: fleet entry 'y' needs 'lift_height'");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 25 m/s}\n",
                           "t.yaml:11:52: speed must be greater than 0 m/s and at most 20 m/s, got '25 m/s'");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, charge_below: 50 %, charge_until: 40 %}}\n",
                           "t.yaml:12:87: battery: charge_until (0.4) must be above charge_below (0.5)");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s, cost_per_hour: 12}\n",
                           "t.yaml:11:74: cost_per_hour: expected a cost per time with its unit, such as '35 EUR/h', got '12'");
}

/* charge_efficiency and power_setup: read, their defaults (100 %; the station's power_idle), their mistakes. */
static void test_sections_charging_and_station_power_keys(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok("scenario: {name: t, horizon: 8 h}\n"
                "layout:\n"
                "  nodes: [{name: a, at: [0, 0]}, {name: b, at: [10, 0]}]\n"
                "  segments: [{path: [a, b]}]\n"
                "  chargers: [{name: c, node: a, power: 2 kW}]\n"
                "  stations: [{name: s1, node: b, power_idle: 2 kW, power_busy: 9 kW},\n"
                "             {name: s2, node: b, power_idle: 2 kW, power_busy: 9 kW, power_setup: 3.5 kW}]\n"
                "fleet:\n"
                "  - {name: v, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                "     battery: {capacity: 2 kWh, charge_power: 1 kW, charge_efficiency: 90 %}}\n"
                "  - {name: w, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                "     battery: {capacity: 2 kWh, charge_power: 1 kW}}\n"
                "  - {name: li, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                "     battery: {capacity: 2 kWh, charge_power: 1 kW, chemistry: li_ion, cv_from: 70 %}}\n"
                "  - {name: pb, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                "     battery: {capacity: 2 kWh, charge_power: 1 kW, chemistry: lead_acid}}\n");
    assert_true(near(c->fleet.types[0].battery.efficiency, 0.9));
    assert_true(near(c->fleet.types[1].battery.efficiency, 1));
    assert_int_equal(c->fleet.types[1].battery.chemistry, SF_CHEMISTRY_CONSTANT);
    assert_int_equal(c->fleet.types[2].battery.chemistry, SF_CHEMISTRY_LI_ION);
    assert_true(near(c->fleet.types[2].battery.cv_from, 0.7));
    assert_int_equal(c->fleet.types[3].battery.chemistry, SF_CHEMISTRY_LEAD_ACID);
    assert_int_equal(c->fleet.types[3].battery.cool_down, 8 * SF_HOUR); /* the classic 8 h rest */
    assert_int_equal(c->fleet.types[3].battery.rule, SF_CHARGING_OPPORTUNITY); /* a vehicle's default */
    assert_true(near(c->layout.stations[0].power_setup, 2000)); /* the idle draw unless stated */
    assert_true(near(c->layout.stations[1].power_setup, 3500));
    sf_scenario_config_free(c);
    c = load_ok("scenario: {name: t, horizon: 8 h}\n"
                "layout:\n"
                "  nodes: [{name: a, at: [0, 0]}]\n"
                "  racks: [{name: r, kind: asrs, node: a, bays: 2, levels: 2, level_height: 1 m, cycle_time: 40 s,\n"
                "           crane: {power_idle: 1 kW, power_travel: 9 kW, lift_mass: 1.5 t, regeneration: 20 %}}]\n");
    assert_true(near(c->layout.racks[0].crane_idle, 1000));
    assert_true(near(c->layout.racks[0].crane_travel, 9000));
    assert_true(near(c->layout.racks[0].crane_mass, 1500));
    assert_true(near(c->layout.racks[0].crane_efficiency, 0.85)); /* the default */
    assert_true(near(c->layout.racks[0].crane_regeneration, 0.2));
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, charge_efficiency: 0}}\n",
                           "t.yaml:12:72: battery: charge_efficiency must be above 0 (the share of the grid's energy "
                           "the battery keeps, e.g. 90 % for Li-ion, 75 % for lead-acid)");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, chemistry: lead_acid, cv_from: 80 %}}\n",
                           "t.yaml:12:84: battery: 'cv_from' (where the constant-voltage taper starts) goes with "
                           "chemistry: li_ion");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, chemistry: nimh}}\n",
                           "t.yaml:12:64: chemistry: 'nimh' is not one of constant, li_ion, lead_acid");
    expect_load_fails_with("scenario: {name: t, horizon: 8 h}\n"
                           "layout: {nodes: [{name: a, at: [0, 0]}], chargers: [{name: c, node: a, power: 1 kW}]}\n"
                           "energy: {tariff: [{from: 00:00, price: 0.2 EUR/kWh}]}\n"
                           "fleet:\n"
                           "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                           "     battery: {capacity: 2 kWh, charge_power: 1 kW, charging: off_peak}}\n",
                           "t.yaml:5:12: agv 'y' charges off peak, but energy.tariff has no peak band (it needs bands at "
                           "two prices or more)");
    expect_load_fails_with(BASE "  - {name: y, kind: humanoid, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, charging: opportunity}}\n",
                           "t.yaml:12:63: fleet entry 'y': charging 'opportunity' tops up when idle, which only "
                           "forklifts and AGVs do; a humanoid charges below charge_below (threshold)");
    expect_load_fails_with("scenario: {name: t, horizon: 8 h}\n"
                           "layout:\n"
                           "  nodes: [{name: a, at: [0, 0]}]\n"
                           "  racks: [{name: r, node: a, bays: 2, levels: 1, crane: {power_idle: 1 kW}}]\n",
                           "t.yaml:4:57: rack 'r': 'crane' is for an AS/RS (kind: asrs); forklifts serve a rack");
    expect_load_fails_with(BASE "  - {name: y, kind: agv, count: 1, home: a, speed: 1 m/s, power: {setup: 1 kW}}\n",
                           "t.yaml:11:67: fleet entry 'y': 'setup' is a station's power (power_setup in "
                           "layout.stations); agents have none");
}

/* A vehicle's protective field: read in SI units, its defaults (0.3 s, 0.1 m), and for vehicles only. */
static void test_sections_protective_field_keys(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok("scenario: {name: t, horizon: 8 h}\n"
                "layout:\n"
                "  nodes: [{name: a, at: [0, 0]}, {name: b, at: [10, 0]}]\n"
                "  segments: [{path: [a, b]}]\n"
                "fleet:\n"
                "  - {name: v, kind: agv, count: 1, home: a, speed: 1 m/s, field_response: 120 ms, field_clearance: 20 cm}\n"
                "  - {name: f, kind: forklift, count: 1, home: a, speed: 1 m/s, lift_height: 2 m}\n");
    assert_int_equal(c->fleet.types[0].field_response, 120 * SF_SECOND / 1000);
    assert_true(near(c->fleet.types[0].field_clearance, 0.2));
    assert_int_equal(c->fleet.types[1].field_response, 300 * SF_SECOND / 1000);
    assert_true(near(c->fleet.types[1].field_clearance, 0.1));
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: y, kind: worker, count: 1, home: a, speed: 1 m/s, field_clearance: 1 m}\n",
                           "t.yaml:11:79: fleet entry 'y': only a vehicle (forklift, agv, humanoid) has a protective "
                           "field ('field_clearance')");
}

static void test_sections_product_errors(void **state)
{
    (void)state;
    expect_load_fails_with(BASE "products:\n  - name: p\n    routing:\n      - {station: h, time: 1 min}\n",
                           "t.yaml:14:19: station group 'h' is not defined; defined: g");
    expect_load_fails_with(BASE "products:\n  - name: p\n    routing:\n      - {station: g, time: 1 min, crew: {robot: 1}}\n",
                           "t.yaml:14:42: crew member 'robot' is neither an agent kind nor a fleet entry; defined: "
                           "forklift, agv, arm, humanoid, worker, op");
    expect_load_fails_with(BASE "products:\n  - name: p\n    routing: []\n",
                           "t.yaml:13:14: product 'p': the routing needs at least one operation");
    expect_load_fails_with(BASE "products:\n  - name: p\n    routing:\n      - {station: g}\n",
                           "t.yaml:14:9: operation 1 of product 'p' needs 'time'");
    expect_load_fails_with(BASE "products:\n  - name: p\n    routing:\n      - {station: g, time: 1 min, scrap: 2}\n",
                           "t.yaml:14:42: scrap must be between 0 and 1 (0 % and 100 %), got '2'");
}

static void test_sections_demand_shift_and_failure_errors(void **state)
{
    (void)state;
    expect_load_fails_with(BASE "products: [{name: p, routing: [{station: g, time: 1 min}]}]\n"
                                "demand:\n  arrivals: [{name: d, every: exp(1 min), product: q}]\n",
                           "t.yaml:13:52: product 'q' is not defined; defined: p");
    expect_load_fails_with(BASE "products: [{name: p, routing: [{station: g, time: 1 min}]}]\n"
                                "demand:\n  arrivals: [{name: d, every: exp(1 min), product: p, mix: {p: 1}}]\n",
                           "t.yaml:13:14: arrivals 'd' needs either 'product' or 'mix', not both");
    expect_load_fails_with(BASE "shifts:\n  calendar: [{name: e, start: 6 am, length: 8 h}]\n",
                           "t.yaml:12:31: start: expected a clock time from 00:00 to 24:00 such as '06:30', got '6 am'");
    expect_load_fails_with(BASE "shifts:\n  calendar:\n    - {name: e, start: 06:00, end: 14:00, breaks: [{start: 15:00, length: 15 min}]}\n",
                           "t.yaml:13:60: shift 'e': the break at 15:00 does not lie within the shift");
    expect_load_fails_with(BASE "shifts:\n  calendar: [{name: e, start: 22:00, end: 06:00}]\n  rosters: {op: [e, l]}\n",
                           "t.yaml:13:21: shift 'l' is not defined; defined: e");
    expect_load_fails_with(BASE "failures:\n  - {name: f, mtbf: exp(8 h), mttr: 10 min}\n",
                           "t.yaml:12:5: failure 'f' applies to exactly one of 'station', 'group' or 'agents'");
    expect_load_fails_with(BASE "failures:\n  - {name: f, group: g, mtbf: exp(8 h), mttr: 10 min, basis: worktime}\n",
                           "t.yaml:12:62: basis: 'worktime' is not one of calendar, busy");
    expect_load_fails_with(BASE "  - {name: tug, kind: agv, count: 1, home: a, speed: 1 m/s,\n"
                                "     battery: {capacity: 2 kWh, charge_power: 1 kW, spares: 2}}\n",
                           "t.yaml:12:61: battery: 'spares' goes with 'swap' (the time a battery swap takes)");
}

static void test_sections_energy_safety_and_output_errors(void **state)
{
    (void)state;
    expect_load_fails_with(BASE "energy:\n  tariff: [{from: 06:00, price: 0.2 EUR/kWh}]\n",
                           "t.yaml:12:19: the first tariff band must start at 00:00, got '06:00'");
    expect_load_fails_with(BASE "energy:\n  carbon: {average: [0.4, 0.3]}\n",
                           "t.yaml:12:21: carbon average: expected one value for all hours or a list of 24 hourly "
                           "values, got a list of another length");
    expect_load_fails_with(BASE "energy:\n  base_load: 40 kWh\n",
                           "t.yaml:12:14: base_load: expected a power, got '40 kWh'");
    expect_load_fails_with(BASE "energy:\n  base_load: [{from: 00:00, power: 3 kW, days: weekdays}]\n",
                           "t.yaml:12:14: base_load: no band from 00:00 on Saturday; every day needs one "
                           "(add {from: 00:00, power: ...})");
    expect_load_fails_with(BASE "energy:\n  occupancy: [{zone: hall, lighting: 2 kW}]\n",
                           "t.yaml:12:22: zone 'hall' is not defined; none are defined");
    expect_load_fails_with(BASE "energy:\n  demand_charge: 9 EUR/kW\n  demand_period: 0 h\n",
                           "t.yaml:13:18: demand_period: expected a positive duration (730 h, a month, when not given)");
    expect_load_fails_with(BASE "products:\n  - name: p\n    materials: [{name: steel, mass: 2 kg}]\n"
                                "    routing: [{station: g, time: 1 min}]\n",
                           "t.yaml:13:17: material 'steel' needs 'factor'");
    expect_load_fails_with(BASE "safety:\n  robots: [{name: op, mode: fenced}]\n",
                           "t.yaml:12:19: safety rule for 'op': 'op' is a worker; safety modes are for robots and vehicles");
    expect_load_fails_with(BASE "  - {name: arm1, kind: arm, count: 1, home: s1}\n"
                                "safety:\n  robots: [{name: arm1, mode: ssm, slow_distance: 0.5 m, stop_distance: 1 m, reduced_speed: 0.2 m/s}]\n",
                           "t.yaml:13:51: safety rule for 'arm1': slow_distance (0.5 m) must be greater than stop_distance (1 m)");
    expect_load_fails_with(BASE "outputs: {trace: maybe}\n",
                           "t.yaml:11:18: trace: expected true or false (or yes/no, on/off), got 'maybe'");
}

/*
 * References, duplicate names and station groups are looked up through
 * sorted indices: a plant of many thousands of entries loads in well
 * under a second (the budget below leaves room for sanitizer builds),
 * where a linear search per reference took minutes.
 */
static void test_sections_large_scenarios_load_in_bounded_time(void **state)
{
    size_t n = 5000, cap = n * 200 + 4096, len = 0;
    char *text = malloc(cap);
    sf_scenario_config *c;
    clock_t t0;
    (void)state;
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "scenario: {name: big, horizon: 1 h}\nlayout:\n  nodes:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "    - {name: n%zu, at: [%zu, 0]}\n", i, i);
    len += (size_t)snprintf(text + len, cap - len, "  segments:\n    - path: [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%sn%zu", i ? ", " : "", i);
    len += (size_t)snprintf(text + len, cap - len, "]\n  stations:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "    - {name: s%zu, group: g%zu, node: n%zu}\n", i, i % 2 ? i : 0, i);
    len += (size_t)snprintf(text + len, cap - len, "fleet:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "  - {name: t%zu, kind: agv, count: 1, home: n%zu, speed: 1}\n", i, i);
    len += (size_t)snprintf(text + len, cap - len, "products:\n  - name: p\n    routing:\n");
    for (size_t i = 0; i < 1000; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "      - {station: g%zu, time: 1, crew: {any: [agv, worker, t%zu]}}\n", 2 * i + 1, i);
    assert_true(len < cap);
    t0 = clock();
    c = load_ok(text);
    assert_int_equal(c->layout.n_nodes, n);
    assert_int_equal(c->layout.n_segments, n - 1);
    assert_int_equal(c->layout.n_groups, n / 2 + 1);
    assert_string_equal(c->layout.groups[0], "g0");
    assert_string_equal(c->layout.groups[1], "g1");
    assert_int_equal(c->layout.stations[2].group_index, 0);
    assert_int_equal(c->layout.stations[3].group_index, 2);
    assert_int_equal(c->products[0].ops[999].group, c->layout.stations[1999].group_index);
    sf_scenario_config_free(c);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
    free(text);
}

/*
 * A fleet entry's own pace: a number or a distribution above 0 whatever it
 * draws; a humanoid that keeps success 100 % or factor 1 gets a warning
 * at its entry naming what it keeps (none once it gives both, none for a
 * worker).
 */
static void test_sections_time_factor_and_optimistic_defaults(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s, time_factor: \"tri(1, 1.2, 1.6)\"}\n");
    assert_true(c->fleet.types[1].paced);
    assert_int_equal(c->fleet.types[1].time_factor.kind, SF_DIST_TRIANGULAR);
    assert_false(c->fleet.types[0].paced);
    assert_int_equal(c->fleet.n_warnings, 1);
    assert_string_equal(c->fleet.warnings[0],
                        "t.yaml:11:12: warning: fleet entry 'h' keeps the optimistic default success_rate 100 %: every "
                        "operation right first time; give a success_rate (docs/production.md, \"Humanoids at their "
                        "own pace\")");
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s}\n");
    assert_int_equal(c->fleet.n_warnings, 1);
    assert_string_equal(c->fleet.warnings[0],
                        "t.yaml:11:12: warning: fleet entry 'h' keeps the optimistic defaults success_rate 100 % and "
                        "time_factor 1: every operation at a person's time, right first time; give a time_factor and "
                        "a success_rate (docs/production.md, \"Humanoids at their own pace\")");
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s, success_rate: 97 %}\n");
    assert_int_equal(c->fleet.n_warnings, 1);
    assert_string_equal(c->fleet.warnings[0],
                        "t.yaml:11:12: warning: fleet entry 'h' keeps the optimistic default time_factor 1: every "
                        "operation at a person's time; give a time_factor (docs/production.md, \"Humanoids at their "
                        "own pace\")");
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s, success_rate: 97 %, time_factor: 1.3}\n");
    assert_int_equal(c->fleet.n_warnings, 0);
    assert_true(near(c->fleet.types[1].time_factor.p[0], 1.3));
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s, time_factor: \"norm(1.2, 0.2)\"}\n",
                           "t.yaml:11:77: fleet entry 'h': a time_factor must be above 0 whatever it draws (for a "
                           "spread around a value, 'lognorm(1.2, 0.2)' or 'tri(1, 1.2, 1.6)' rather than 'norm')");
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 4, home: a, speed: 1 m/s,\n"
                "     supervision: {per: 4, cost_per_hour: 36 EUR/h}}\n");
    assert_true(near(c->fleet.types[1].supervise_per, 4));
    assert_true(near(c->fleet.types[1].supervision_cost, 36.0 / 3600));
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: w, kind: worker, count: 1, home: a, speed: 1 m/s, supervision: {per: 4}}\n",
                           "t.yaml:11:75: fleet entry 'w': only humanoids and arms are supervised ('supervision' is "
                           "for kind humanoid or arm)");
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 1, home: a, speed: 1 m/s, time_factor: 0}\n",
                           "t.yaml:11:77: fleet entry 'h': a time_factor must be above 0 whatever it draws (for a "
                           "spread around a value, 'lognorm(1.2, 0.2)' or 'tri(1, 1.2, 1.6)' rather than 'norm')");
}

/*
 * Supervision as a crew need: `by` a fleet entry of workers or a skill of
 * the workers is read; one naming nothing in the fleet, an entry that is
 * not of people, or given with a cost_per_hour (the people are paid as
 * their entry) is refused at the block with a hint.
 */
static void test_sections_supervision_by_people_of_the_fleet(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(BASE "  - {name: h, kind: humanoid, count: 2, home: a, speed: 1 m/s, supervision: {per: 2, by: op}}\n");
    assert_string_equal(c->fleet.types[1].supervise_by, "op");
    assert_true(near(c->fleet.types[1].supervise_per, 2));
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 2, home: a, speed: 1 m/s, supervision: {per: 2, by: teleop}}\n",
                           "t.yaml:11:77: supervision of fleet entry 'h' is by 'teleop', but the fleet has no fleet "
                           "entry and no worker with that skill; hint: name a fleet entry of kind worker, or a skill "
                           "of the workers ('skills' of a worker entry)");
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 2, home: a, speed: 1 m/s, supervision: {per: 1.5, by: op}}\n",
                           "t.yaml:11:83: fleet entry 'h': a supervisor watches a whole number of robots at once "
                           "('per' with 'by'); this is 1.5");
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 2, home: a, speed: 1 m/s, supervision: {per: 2, by: h}}\n",
                           "t.yaml:11:77: supervision of fleet entry 'h' is by 'h', a fleet entry of kind humanoid: a "
                           "supervisor is a person; hint: name a fleet entry of kind worker, or a skill of the workers");
    expect_load_fails_with(BASE "  - {name: h, kind: humanoid, count: 2, home: a, speed: 1 m/s,\n"
                                "     supervision: {per: 2, by: op, cost_per_hour: 36 EUR/h}}\n",
                           "t.yaml:12:51: fleet entry 'h': supervision 'by' people of the fleet takes no cost_per_hour: "
                           "they are paid as their fleet entry (cost_per_hour there); hint: drop one of 'by' and "
                           "'cost_per_hour'");
}

#define DAY_SHIFT "shifts: {calendar: [{name: day, days: daily, start: 06:00, end: 22:00}], rosters: {op: day}}\n"

/* on_call: read into the failure; with a crew too; refused for an on-site entry that is always there. */
static void test_sections_on_call_repairs(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(BASE DAY_SHIFT "failures:\n"
                "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h, repair: none,\n"
                "     on_call: {on_site: op, call_out: 45 min, remote: 20 %}}\n");
    assert_true(c->failures[0].on_call);
    assert_int_equal(c->failures[0].n_on_site, 1);
    assert_int_equal(c->failures[0].on_site[0], 0);
    assert_int_equal(c->failures[0].call_out, 45 * SF_MINUTE);
    assert_true(near(c->failures[0].remote, 0.2));
    assert_int_equal(c->failures[0].repair.n_crew, 0);
    sf_scenario_config_free(c);
    c = load_ok(BASE DAY_SHIFT "failures: [{name: f, station: s1, mtbf: 10 h, mttr: 1 h, repair: none}]\n");
    assert_false(c->failures[0].on_call);
    sf_scenario_config_free(c);
    c = load_ok(BASE DAY_SHIFT "failures:\n"
                "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h, crew: {worker: 1},\n"
                "     on_call: {on_site: [op, op], call_out: 45 min}}\n");
    assert_true(c->failures[0].on_call);
    assert_int_equal(c->failures[0].n_on_site, 2);
    assert_int_equal(c->failures[0].repair.n_crew, 1);
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "failures:\n"
                           "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h, repair: none, on_call: {on_site: op, call_out: 45 min}}\n",
                           "t.yaml:12:84: failure 'f': on_site 'op' has no roster, so it is always there and no "
                           "repair would wait for a call-out; give it shifts in shifts.rosters");
}

/*
 * A vision-guided arm (`vision: true`) that keeps success 100 % gets a
 * warning at its fleet entry; one with a success_rate or a learning block
 * none, nor an arm without the mark; a worker cannot be vision-guided.
 */
static void test_sections_vision_arm_warns_at_optimistic_defaults(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(BASE "  - {name: picker, kind: arm, count: 1, home: s1, vision: true}\n");
    assert_true(c->fleet.types[1].vision);
    assert_int_equal(c->fleet.n_warnings, 1);
    assert_string_equal(c->fleet.warnings[0],
                        "t.yaml:11:12: warning: fleet entry 'picker' is vision-guided and keeps the optimistic default "
                        "success_rate 100 %: every pick right first time; give a success_rate or a learning block from "
                        "trials (docs/production.md, \"Vision-guided arms\")");
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: picker, kind: arm, count: 1, home: s1, vision: true, success_rate: 92 %}\n");
    assert_int_equal(c->fleet.n_warnings, 0);
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: picker, kind: arm, count: 1, home: s1, vision: true,\n"
                "     learning: {success_first: 60 %, success_limit: 95 %, scale: 100, rescue_time: 3 min}}\n"
                "  - {name: oper, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [operator]}\n");
    assert_int_equal(c->fleet.n_warnings, 0);
    sf_scenario_config_free(c);
    c = load_ok(BASE "  - {name: welder, kind: arm, count: 1, home: s1}\n");
    assert_false(c->fleet.types[1].vision);
    assert_int_equal(c->fleet.n_warnings, 0);
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "  - {name: w, kind: worker, count: 1, home: a, speed: 1 m/s, vision: true}\n",
                           "t.yaml:11:70: fleet entry 'w': only arms and humanoids are vision-guided ('vision' is "
                           "for kind arm or humanoid)");
}

/*
 * A learning robot's rescue needs a worker or a humanoid with its
 * rescue_by skill (operator unless written), its programming a worker
 * with programming.by: refused at the block when the fleet has none.
 */
static void test_sections_rescue_and_programming_need_a_person(void **state)
{
    sf_scenario_config *c;
    (void)state;
    expect_load_fails_with(BASE "  - {name: picker, kind: arm, count: 1, home: s1,\n"
                           "     learning: {success_first: 60 %, success_limit: 95 %, scale: 100, rescue_time: 3 min}}\n",
                           "t.yaml:12:16: a rescue of fleet entry 'picker' (rescue_by) needs 1 rescuer (worker or "
                           "humanoid) with skill 'operator' but the fleet has 0; add a worker or humanoid with that "
                           "skill, or name another in 'rescue_by'");
    expect_load_fails_with(BASE "  - {name: picker, kind: arm, count: 1, home: s1, programming: {method: teach_pendant}}\n"
                           "  - {name: oper, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [operator]}\n",
                           "t.yaml:11:64: programming fleet entry 'picker' (programming.by) needs 1 person (worker) "
                           "with skill 'engineer' but the fleet has 0; add a worker with that skill (an engineer or "
                           "operator), or name another in 'by'");
    c = load_ok(BASE "  - {name: picker, kind: arm, count: 1, home: s1,\n"
                "     learning: {success_first: 60 %, success_limit: 95 %, scale: 100, rescue_time: 3 min,\n"
                "                rescue_by: fitter}}\n"
                "  - {name: f, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [fitter]}\n");
    assert_string_equal(c->fleet.types[1].learning.rescue_by, "fitter");
    sf_scenario_config_free(c);
    /* a humanoid with the skill may rescue; it may not program */
    sf_scenario_config_free(load_ok(BASE "  - {name: picker, kind: arm, count: 1, home: s1,\n"
                                    "     learning: {success_first: 60 %, success_limit: 95 %, scale: 100, rescue_time: 3 min}}\n"
                                    "  - {name: hand, kind: humanoid, count: 1, home: a, speed: 1 m/s, skills: [operator]}\n"));
    expect_load_fails_with(BASE "  - {name: picker, kind: arm, count: 1, home: s1, programming: {method: teach_pendant}}\n"
                           "  - {name: hand, kind: humanoid, count: 1, home: a, speed: 1 m/s, skills: [engineer]}\n",
                           "t.yaml:11:64: programming fleet entry 'picker' (programming.by) needs 1 person (worker) "
                           "with skill 'engineer' but the fleet has 0; add a worker with that skill (an engineer or "
                           "operator), or name another in 'by'");
}

/*
 * Who repairs: a station's failure mode without a crew gets one person
 * (worker or humanoid) with skill maintenance; `repair: none` keeps
 * nobody in particular; an agent's mode gets the same (and takes a crew
 * or a skill written). Without anyone with the skill, check says so at
 * the failure with a hint, for a station's and an agent's, and for an
 * agent's also when the failing agent is the only one who could repair
 * it; `repair: none` with a crew is refused.
 */
static void test_sections_repairs_need_a_crew_by_default(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(BASE "  - {name: fitter, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [maintenance]}\n"
                "failures:\n"
                "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h}\n"
                "  - {name: g, agents: op, mtbf: 10 h, mttr: 1 h}\n");
    assert_true(c->failures[0].default_crew);
    assert_int_equal(c->failures[0].repair.n_crew, 1);
    assert_int_equal(c->failures[0].repair.crew[0].count, 1);
    assert_int_equal(c->failures[0].repair.crew[0].kinds, 1u << SF_AGENT_WORKER | 1u << SF_AGENT_HUMANOID);
    assert_string_equal(c->failures[0].repair.skill, "maintenance");
    assert_true(c->failures[1].default_crew); /* an agent's too: its crew walks to it */
    assert_int_equal(c->failures[1].repair.n_crew, 1);
    assert_string_equal(c->failures[1].repair.skill, "maintenance");
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "failures:\n"
                           "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h}\n",
                           "t.yaml:12:12: the repair of failure 'f' (by default one person with skill 'maintenance') "
                           "needs 1 person (worker or humanoid) with skill 'maintenance' but the fleet has 0; add "
                           "maintenance people (a worker with skills: [maintenance] and shifts or on_call covering the "
                           "plant's hours) or write 'repair: none'");
    expect_load_fails_with(BASE "failures:\n"
                           "  - {name: f, station: s1, mtbf: 10 h, mttr: 1 h, crew: {worker: 1}, repair: none}\n",
                           "t.yaml:12:78: failure 'f': 'repair: none' says nobody in particular repairs it; drop it "
                           "or 'crew' and 'skill'");
    /* an agent's failure gets the same default crew, and the same refusal without maintenance people */
    expect_load_fails_with(BASE "failures:\n"
                           "  - {name: g, agents: op, mtbf: 10 h, mttr: 1 h}\n",
                           "t.yaml:12:12: the repair of failure 'g' (by default one person with skill 'maintenance') "
                           "needs 1 person (worker or humanoid) with skill 'maintenance' but the fleet has 0; add "
                           "maintenance people (a worker with skills: [maintenance] and shifts or on_call covering the "
                           "plant's hours) or write 'repair: none'");
    /* the failed agent never repairs itself: the only fitter cannot repair the fitter */
    expect_load_fails_with(BASE "  - {name: fitter, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [maintenance]}\n"
                           "failures:\n"
                           "  - {name: g, agents: fitter, mtbf: 10 h, mttr: 1 h}\n",
                           "t.yaml:13:12: the repair of failure 'g' needs 1 person (worker or humanoid) with skill "
                           "'maintenance' besides the failed worker 'fitter', but the fleet has 1 in all; a failed "
                           "agent never repairs itself: add maintenance people, or write 'repair: none'");
    /* a crew or a skill written for it are taken: a crew of two workers, or one welder */
    c = load_ok(BASE "failures:\n"
                "  - {name: g, agents: op, mtbf: 10 h, mttr: 1 h, crew: {worker: 1}}\n"
                "  - {name: h, agents: op, mtbf: 10 h, mttr: 1 h, repair: none}\n");
    assert_false(c->failures[0].default_crew);
    assert_int_equal(c->failures[0].repair.n_crew, 1);
    assert_null(c->failures[0].repair.skill);
    assert_int_equal(c->failures[1].repair.n_crew, 0);
    sf_scenario_config_free(c);
    expect_load_fails_with(BASE "failures:\n"
                           "  - {name: g, agents: op, mtbf: 10 h, mttr: 1 h, skill: welding}\n",
                           "t.yaml:12:12: the repair of failure 'g' (by default one person with skill 'welding') "
                           "needs 1 person (worker or humanoid) with skill 'welding' but the fleet has 0; add maintenance people (a worker with skills: [maintenance] "
                           "and shifts or on_call covering the plant's hours) or write 'repair: none'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_example_plant_reads_into_config),
        cmocka_unit_test(test_sections_base_of_these_tests_is_valid),
        cmocka_unit_test(test_sections_every_problem_is_reported_in_one_pass),
        cmocka_unit_test(test_sections_scenario_errors),
        cmocka_unit_test(test_sections_layout_errors),
        cmocka_unit_test(test_sections_fleet_errors),
        cmocka_unit_test(test_sections_charging_and_station_power_keys),
        cmocka_unit_test(test_sections_protective_field_keys),
        cmocka_unit_test(test_sections_product_errors),
        cmocka_unit_test(test_sections_demand_shift_and_failure_errors),
        cmocka_unit_test(test_sections_energy_safety_and_output_errors),
        cmocka_unit_test(test_sections_large_scenarios_load_in_bounded_time),
        cmocka_unit_test(test_sections_time_factor_and_optimistic_defaults),
        cmocka_unit_test(test_sections_supervision_by_people_of_the_fleet),
        cmocka_unit_test(test_sections_on_call_repairs),
        cmocka_unit_test(test_sections_repairs_need_a_crew_by_default),
        cmocka_unit_test(test_sections_vision_arm_warns_at_optimistic_defaults),
        cmocka_unit_test(test_sections_rescue_and_programming_need_a_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
