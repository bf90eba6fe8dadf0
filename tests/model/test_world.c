/*
 * The world built from a scenario: a forklift's trip, pick and drop,
 * timed by hand, with the energy of every power state exact; and the same
 * truck breaking down on its way and during its pick.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/world.h"
#include "scenario/scenario.h"

#define S(x) ((sf_time)llround((x) * 1e9))

struct script {
    sf_world *w;
    uint32_t truck;
    int step;
    sf_time at[8];
    int status[8];
    bool floor; /* pick at floor level (a carrier that does not lift) */
};

/* The truck's plan: to the rack, pick at 3 m, to the dock loaded, drop at floor level. */
static void done(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    struct script *s = ctx;
    uint32_t node;
    (void)what;
    if (agent != s->truck)
        return;
    s->at[s->step] = now;
    s->status[s->step] = status;
    switch (s->step++) {
    case 0:
        assert_int_equal(sf_world_pick(s->w, agent, s->floor ? 0 : 3.0), SF_OK);
        break;
    case 1:
        assert_int_equal(sf_world_place(s->w, "inbound", &node), SF_OK);
        assert_int_equal(sf_world_move_to(s->w, agent, node), SF_OK);
        break;
    case 2:
        assert_int_equal(sf_world_drop(s->w, agent, 0), SF_OK);
        break;
    default:
        break;
    }
}

static sf_scenario_config *load_file(const char *name)
{
    char path[1024];
    sf_diags d;
    sf_scenario_config *cfg;
    snprintf(path, sizeof path, "%s/tests/model/data/%s", getenv("SHOPFLOOR_SOURCE_DIR"), name);
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
}

static sf_scenario_config *load(void)
{
    return load_file("world_small.yaml");
}

static void test_world_forklift_trip_pick_and_drop_by_hand(void **state)
{
    sf_scenario_config *cfg = load();
    sf_kernel *k = sf_kernel_new();
    struct script s = {0};
    sf_world_hooks hooks = {done, NULL, &s};
    char err[256];
    uint32_t node;
    sf_agent *a;
    (void)state;
    s.w = sf_world_new(k, cfg, hooks, err, sizeof err);
    if (!s.w)
        fail_msg("%s", err);
    assert_int_equal(sf_world_agent_count(s.w), 2);
    s.truck = sf_world_find_agent(s.w, "truck.1");
    assert_int_equal(s.truck, 0);
    assert_int_equal(sf_world_find_agent(s.w, "picker.1"), 1);
    assert_int_equal(sf_world_find_agent(s.w, "truck.2"), SF_NO_AGENT);
    assert_int_equal(sf_world_place(s.w, "rack_a", &node), SF_OK);
    assert_int_equal(sf_world_place(s.w, "nowhere", &node), SF_ENOTFOUND);
    /* errors come at once, and nothing is started */
    assert_int_equal(sf_world_drop(s.w, s.truck, 0), SF_EINVAL); /* nothing on the forks */
    assert_int_equal(sf_world_pick(s.w, s.truck, 5.0), SF_ERANGE); /* above its 4 m */
    assert_int_equal(sf_world_pick(s.w, 1, 1.0), SF_ERANGE);        /* a worker does not lift to 1 m */
    assert_int_equal(sf_world_move_to(s.w, s.truck, node), SF_OK);
    assert_int_equal(sf_world_move_to(s.w, s.truck, node), SF_EINVAL); /* busy */
    assert_int_equal(sf_kernel_run_until(k, S(60)), SF_OK); /* (run() would go on to the battery running flat) */
    assert_int_equal(s.step, 4);
    /* 18 m at 2 m/s, 1 m/s^2 both ways: 2 + 7 + 2 s */
    assert_int_equal(s.at[0], S(11));
    /* pick at 3 m: 8 s handling + 6 s up + 6 s down */
    assert_int_equal(s.at[1], S(31));
    /* 18 m loaded at 1 m/s: 1 + 17 + 1 s */
    assert_int_equal(s.at[2], S(50));
    /* drop at the floor: handling only */
    assert_int_equal(s.at[3], S(58));
    a = sf_world_agent(s.w, s.truck);
    assert_false(a->loaded);
    assert_int_equal(a->trips, 2);
    assert_int_equal(a->picks, 1);
    assert_int_equal(a->drops, 1);
    sf_world_settle(s.w, S(60));
    /* exact energy per state, in joules. Travel draws idle + (moving - idle) x v / vmax: empty, 1 kW x 11 s +
       3 kW x 18 m / 2 m/s = 38 kJ, acceleration and braking included (at full power for 11 s: 44 kJ) */
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING] - (1000 * 11.0 + 3000 * 18 / 2.0)) < 1e-6);
    /* forks up 6 s at 10 kW; lowering them (6 s) and handling (8 s) draw the working power (0 W), not lifting */
    assert_true(fabs(a->meter.energy[SF_POWER_LIFTING] - 10000 * 6.0) < 1e-6);
    assert_true(fabs(a->meter.time[SF_POWER_LIFTING] - 6.0) < 1e-9);
    /* loaded: 1 kW x 19 s + 4 kW x 18 m / 1 m/s = 91 kJ (95 kJ at full power) */
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING_LOADED] - (1000 * 19.0 + 4000 * 18 / 1.0)) < 1e-6);
    assert_true(fabs(a->meter.energy[SF_POWER_IDLE] - 1000 * 2.0) < 1e-6); /* from 58 s to 60 s */
    assert_true(fabs(a->meter.time[SF_POWER_WORKING] - 22.0) < 1e-9);   /* lowering, handling and the drop, at 0 W */
    /* all from the battery: 1 kWh less what was used */
    assert_true(fabs(a->meter.charge - (3.6e6 - 38000 - 60000 - 91000 - 2000)) < 1e-6);
    assert_true(fabs(sf_movers_distance(sf_world_movers(s.w), a->mover, S(60)) - 36) < 1e-6);
    /* charge back to full at a 5 kW charger: the truck's own 3 kW limit it, 191 kJ take 63.67 s */
    assert_int_equal(sf_world_charge(s.w, s.truck, 1.5, 5000), SF_EINVAL);
    assert_int_equal(sf_world_charge(s.w, 1, 1.0, 5000), SF_EINVAL); /* the walker has no battery */
    assert_int_equal(sf_world_charge(s.w, s.truck, 1.0, 5000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(200)), SF_OK);
    assert_int_equal(s.step, 5);
    assert_true(llabs(s.at[4] - S(60 + 191000.0 / 3000)) <= 2);
    assert_true(fabs(a->meter.charge - 3.6e6) < 1e-3);
    assert_true(fabs(a->meter.grid - 191000) < 1e-3);
    assert_true(fabs(a->meter.stored - 191000) < 1e-3);
    assert_true(a->meter.charge_power == 3000); /* the agent's own rate is back */
    sf_world_free(s.w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

static void ended_at(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    sf_time *end = ctx;
    (void)agent, (void)what, (void)status;
    *end = now;
}

/*
 * charge_efficiency 90 %: the truck's 1 kWh battery at half charge takes
 * 1.8 MJ; its 3 kW charger stores 2.7 kW, so the charge lasts
 * 1.8e6 / 2700 = 666.67 s and draws exactly 1.8e6 / 0.9 = 2 MJ.
 */
static void test_world_charge_at_90_percent_draws_the_energy_over_0_9(void **state)
{
    sf_scenario_config *cfg = load();
    sf_kernel *k = sf_kernel_new();
    sf_time end = -1;
    sf_world_hooks hooks = {ended_at, NULL, &end};
    char err[256];
    sf_world *w;
    sf_agent *a;
    (void)state;
    cfg->fleet.types[0].battery.efficiency = 0.9;
    cfg->fleet.types[0].battery.initial = 0.5;
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err)))
        fail_msg("%s", err);
    a = sf_world_agent(w, 0);
    assert_int_equal(sf_world_charge(w, 0, 1.0, 5000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(600)), SF_OK);
    assert_int_equal(end, -1);
    assert_int_equal(sf_kernel_run_until(k, S(700)), SF_OK);
    assert_true(llabs(end - S(1.8e6 / 2700)) <= 2);
    sf_world_settle(w, S(700));
    /* full at the end, then idle at 1 kW from the battery */
    assert_true(fabs(a->meter.charge - (3.6e6 - 1000 * sf_time_to_seconds(S(700) - end))) < 1e-3);
    assert_true(fabs(a->meter.stored - 1.8e6) < 1e-6);
    assert_true(fabs(a->meter.grid - 2e6) < 1e-6);
    assert_true(fabs(a->meter.time[SF_POWER_CHARGING] - 1.8e6 / 2700) < 1e-6);
    sf_world_free(w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * Off peak, a charge is cut where a peak band starts (offpeak_cut.yaml):
 * at 00:00 the AGV (10 % of 1 kWh) asks for 90 %, 0.8 kWh into the battery
 * at 0.9 kW, 3200 s; the band at the top price starts at 00:30, so the
 * charge ends at 1800 s with 0.1 + 0.9 x 0.5 = 0.55 kWh, the grid having
 * given 0.5 kWh. Started in the band (the reserve rule), a charge runs to
 * its end: at 01:00 it asks for 0.6 kWh, 0.05 kWh more, 200 s.
 */
static void test_world_off_peak_charge_stops_at_the_peak_band(void **state)
{
    sf_scenario_config *cfg = load_file("offpeak_cut.yaml");
    sf_kernel *k = sf_kernel_new();
    sf_time end = -1;
    sf_world_hooks hooks = {ended_at, NULL, &end};
    char err[256];
    sf_world *w;
    sf_agent *a;
    (void)state;
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err)))
        fail_msg("%s", err);
    a = sf_world_agent(w, 0);
    assert_int_equal(sf_world_charge(w, 0, 0.9, 1000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(3600)), SF_OK);
    assert_int_equal(end, S(1800));
    assert_true(fabs(a->meter.charge - 0.55 * 3.6e6) < 1e-6);
    assert_true(fabs(a->meter.grid - 0.5 * 3.6e6) < 1e-6);
    assert_int_equal(sf_world_charge(w, 0, 0.6, 1000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(7200)), SF_OK);
    assert_true(llabs(end - S(3600 + 0.05 * 3.6e6 / 900)) <= 2);
    assert_true(fabs(a->meter.charge - 0.6 * 3.6e6) < 1e-3);
    sf_world_free(w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * Lead-acid: the same charge (1.8 MJ at 2.7 kW stored, 666.67 s), then a
 * 1 h cool-down standing at the charger: the activity ends at 4266.67 s,
 * the cool-down draws nothing from the grid and its standby power (100 W)
 * from the battery.
 */
static void test_world_lead_acid_cools_down_after_charging(void **state)
{
    sf_scenario_config *cfg = load();
    sf_kernel *k = sf_kernel_new();
    sf_time end = -1;
    sf_world_hooks hooks = {ended_at, NULL, &end};
    char err[256];
    sf_world *w;
    sf_agent *a;
    (void)state;
    cfg->fleet.types[0].battery.efficiency = 0.9;
    cfg->fleet.types[0].battery.initial = 0.5;
    cfg->fleet.types[0].battery.chemistry = SF_CHEMISTRY_LEAD_ACID;
    cfg->fleet.types[0].battery.cool_down = SF_HOUR;
    cfg->fleet.types[0].power[SF_POWER_STANDBY] = 100;
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err)))
        fail_msg("%s", err);
    a = sf_world_agent(w, 0);
    assert_int_equal(sf_world_charge(w, 0, 1.0, 5000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(1000)), SF_OK);
    assert_int_equal(end, -1);
    assert_int_equal(a->state, SF_STATE_CHARGING);
    assert_int_equal(a->meter.state, SF_POWER_STANDBY);
    assert_int_equal(sf_kernel_run_until(k, S(5000)), SF_OK);
    assert_true(llabs(end - S(1.8e6 / 2700 + 3600)) <= 2);
    assert_true(fabs(a->meter.grid - 2e6) < 1e-6);
    assert_true(fabs(a->meter.energy[SF_POWER_STANDBY] - 100 * 3600.0) < 1e-3);
    sf_world_free(w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

static void test_world_report_sums_agents_by_type(void **state)
{
    sf_scenario_config *cfg = load();
    sf_kernel *k = sf_kernel_new();
    struct script s = {0};
    sf_world_hooks hooks = {done, NULL, &s};
    char buf[4096] = {0}, err[256];
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    (void)state;
    s.w = sf_world_new(k, cfg, hooks, err, sizeof err);
    assert_non_null(s.w);
    assert_int_equal(sf_kernel_run_until(k, S(3600)), SF_OK);
    assert_int_equal(sf_world_report(s.w, f), SF_OK);
    fclose(f);
    /* an hour idle at 1 kW: 1 kWh, and the battery ran flat exactly then: one incident */
    assert_non_null(strstr(buf, "truck"));
    assert_non_null(strstr(buf, "1.000"));
    assert_int_equal(sf_world_agent(s.w, 0)->flat_incidents, 1);
    sf_world_free(s.w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * A humanoid carrier in the truck's place fails every 4.5 s of calendar
 * time for 20 s (world_halt.yaml) on the 18 m to the rack (free: 2 + 7 +
 * 2 s, at 11 s). At 4.5 s it is at 7 m and 2 m/s: it brakes 2 m (2 s) and
 * stands at 9 m. Repaired at 24.5 s, 9 m from rest: 2 s up (2 m), 2.5 s
 * at 2 m/s, 2 s down, due at 31 s; the failure at 29 s comes just as it
 * starts braking for the rack, which it reaches at 31 s, halted: it
 * arrives when repaired, at 49 s. The pick (8 s at the floor) runs 4.5 s
 * from 49 s and the last 3.5 s from 73.5 s: done at 77 s. Loaded (1 m/s)
 * back towards the aisle, at 78 s it has just reached 1 m/s after 0.5 m:
 * it stops 0.5 m on, 1 m from the rack, at 79 s. It shows failed from each
 * failure instant, braking included.
 */
static void test_world_failed_carrier_halts_on_its_way_and_its_pick_waits(void **state)
{
    sf_scenario_config *cfg = load_file("world_halt.yaml");
    sf_kernel *k = sf_kernel_new();
    struct script s = {0};
    sf_world_hooks hooks = {done, NULL, &s};
    char err[256];
    uint32_t node;
    sf_agent *a;
    sf_movers *ms;
    double x, y, v;
    (void)state;
    s.w = sf_world_new(k, cfg, hooks, err, sizeof err);
    if (!s.w)
        fail_msg("%s", err);
    s.truck = sf_world_find_agent(s.w, "carrier.1");
    s.floor = true;
    a = sf_world_agent(s.w, s.truck);
    ms = sf_world_movers(s.w);
    assert_int_equal(sf_world_place(s.w, "rack_a", &node), SF_OK);
    assert_int_equal(sf_world_move_to(s.w, s.truck, node), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(4.5) - 1), SF_OK);
    assert_int_equal(a->state, SF_STATE_TRAVEL_EMPTY);
    assert_int_equal(sf_kernel_run_until(k, S(4.5)), SF_OK);
    assert_int_equal(a->state, SF_STATE_FAILED);
    assert_int_equal(sf_kernel_run_until(k, S(24)), SF_OK);
    sf_movers_position(ms, a->mover, S(24), &x, &y, &v);
    assert_true(fabs(x - 9) < 1e-9 && fabs(y) < 1e-9 && v == 0);
    assert_int_equal(a->state, SF_STATE_FAILED);
    assert_int_equal(sf_kernel_run_until(k, S(25)), SF_OK);
    assert_int_equal(a->state, SF_STATE_TRAVEL_EMPTY);
    assert_int_equal(sf_kernel_run_until(k, S(49)), SF_OK);
    assert_int_equal(s.at[0], S(49));
    assert_true(fabs(sf_movers_distance(ms, a->mover, S(49)) - 18) < 1e-9);
    sf_world_settle(s.w, S(49));
    /* failed 20 s twice on the way, moving 4.5 s twice */
    assert_true(fabs(a->meter.time[SF_POWER_FAILED] - 40) < 1e-9);
    assert_true(fabs(a->meter.time[SF_POWER_MOVING] - 9) < 1e-9);
    assert_int_equal(sf_kernel_run_until(k, S(60)), SF_OK);
    assert_int_equal(a->state, SF_STATE_FAILED); /* during the pick */
    assert_int_equal(sf_kernel_run_until(k, S(90)), SF_OK);
    assert_int_equal(s.at[1], S(77));
    assert_true(a->loaded);
    sf_movers_position(ms, a->mover, S(90), &x, &y, &v);
    assert_true(fabs(x - 10) < 1e-9 && fabs(y - 7) < 1e-9 && v == 0);
    assert_int_equal(a->state, SF_STATE_FAILED);
    sf_world_free(s.w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_forklift_trip_pick_and_drop_by_hand),
        cmocka_unit_test(test_world_charge_at_90_percent_draws_the_energy_over_0_9),
        cmocka_unit_test(test_world_lead_acid_cools_down_after_charging),
        cmocka_unit_test(test_world_off_peak_charge_stops_at_the_peak_band),
        cmocka_unit_test(test_world_report_sums_agents_by_type),
        cmocka_unit_test(test_world_failed_carrier_halts_on_its_way_and_its_pick_waits),
    };
    return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
