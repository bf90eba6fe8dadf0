/*
 * A vehicle's travel draw follows its speed: idle + (moving - idle) x v /
 * vmax, exact per phase of the motion, in the agent's meter and in the
 * plant's ledger alike (speed_power.yaml, by hand).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/error.h"
#include "metrics/metrics.h"
#include "model/world.h"
#include "scenario/scenario.h"

#define S(x) ((sf_time)llround((x) * 1e9))

static sf_time arrived;

static void done(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    (void)ctx, (void)agent, (void)what, (void)status;
    arrived = now;
}

static sf_scenario_config *load(const char *name)
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

static double kpi(sf_metrics *m, const char *metric, const char *entity)
{
    sf_kpis k;
    const sf_kpi *r;
    double v;

    sf_kpis_init(&k);
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    assert_non_null(r = sf_kpis_find(&k, metric, entity));
    v = r->value;
    sf_kpis_free(&k);
    return v;
}

/*
 * From rest at a: up to 2 m/s in 2 s (2 m), 2 m/s, down to 1 m/s in 1 s
 * (1.5 m) before b (2 + 8.25 + 1 = 11.25 s), 1 m/s on the slow stretch, to
 * rest in 1 s (0.5 m) at c (9.5 + 1 = 10.5 s): 21.75 s for 30 m. Travel
 * draws 100 W x 21.75 s + 400 W x 30 m / 2 m/s = 8175 J; at full power
 * (500 W x 21.75 s) it was 10875 J. Then idle to 30 s: 100 W x 8.25 s.
 * At 1 s (accelerating, 1 m/s) it has drawn 100 x 1 + 200 x 1^2 / 2 =
 * 200 J and draws 300 W.
 */
static void test_a_vehicle_slowed_to_half_speed_draws_by_its_speed(void **state)
{
    char err[256];
    sf_scenario_config *cfg;
    sf_kernel *k = sf_kernel_new();
    sf_world_hooks hooks = {done, NULL, NULL};
    sf_world *w;
    sf_metrics *m;
    uint32_t node;
    const sf_agent *a;
    (void)state;

    cfg = load("speed_power.yaml");
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err)))
        fail_msg("%s", err);
    assert_non_null(m = sf_metrics_new(cfg, 0, 0));
    assert_int_equal(sf_metrics_attach(m, w), SF_OK);
    a = sf_world_agent(w, 0);
    assert_int_equal(sf_world_place(w, "c", &node), SF_OK);
    assert_int_equal(sf_world_move_to(w, 0, node), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(1)), SF_OK);
    assert_true(fabs(sf_meter_total(&a->meter, S(1)) - 200) < 1e-9);
    assert_true(fabs(sf_meter_grid(&a->meter, S(1)) - 200) < 1e-9);
    assert_int_equal(sf_kernel_run_until(k, S(30)), SF_OK);
    assert_int_equal(arrived, S(21.75));
    sf_world_settle(w, S(30));
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING] - (100 * 21.75 + 400 * 30 / 2.0)) < 1e-9);
    assert_true(fabs(a->meter.time[SF_POWER_MOVING] - 21.75) < 1e-9);
    assert_true(fabs(a->meter.grid - (8175 + 100 * 8.25)) < 1e-9);
    /* the plant's ledger integrates the same ramps: 9000 J, as the agent's meter */
    sf_metrics_close(m, S(30));
    assert_true(fabs(kpi(m, "energy_grid", "agv.1") * 3.6e6 - 9000) < 1e-6);
    assert_true(fabs(kpi(m, "energy_grid", "") * 3.6e6 - 9000) < 1e-6);
    sf_metrics_free(m);
    sf_world_free(w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * The battery AGV of speed_power_flat.yaml: the draw ramps 100 -> 500 W
 * over the first 2 s (600 J), holds 500 W cruising to 50 s (24 000 J),
 * then falls by 200 W/s braking: 500 t - 100 t^2 more J t s into it.
 * Mid-cruise at 30 s it has drawn 600 + 500 x 28 = 14 600 J; at 50.5 s,
 * 24 600 + 250 - 25 = 24 825 J. The 25 kJ run out where 500 t - 100 t^2 =
 * 400: t = 1 s, at 51 s exactly, found when the motion was planned: the
 * kernel runs no event from the start of the trip up to then, and then
 * one (the battery's), after which the vehicle draws nothing more.
 */
static void test_a_battery_runs_flat_braking_without_a_phase_event(void **state)
{
    char err[256];
    sf_scenario_config *cfg;
    sf_kernel *k = sf_kernel_new();
    sf_world_hooks hooks = {done, NULL, NULL};
    sf_world *w;
    uint32_t node;
    uint64_t events;
    const sf_agent *a;
    (void)state;

    cfg = load("speed_power_flat.yaml");
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err)))
        fail_msg("%s", err);
    a = sf_world_agent(w, 0);
    assert_int_equal(sf_world_place(w, "b", &node), SF_OK);
    assert_int_equal(sf_world_move_to(w, 0, node), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(0.5)), SF_OK);
    events = sf_kernel_events(k);
    assert_int_equal(sf_kernel_run_until(k, S(30)), SF_OK);
    assert_true(fabs(sf_meter_total(&a->meter, S(30)) - 14600) < 1e-9);
    assert_true(fabs(sf_meter_charge_at(&a->meter, S(30)) - (25000 - 14600)) < 1e-9);
    assert_true(fabs(sf_meter_total(&a->meter, S(50.5)) - 24825) < 1e-9);
    assert_int_equal(sf_kernel_run_until(k, S(51) - 1), SF_OK);
    assert_int_equal(sf_kernel_events(k), events); /* no event at 2 s nor at 50 s */
    assert_int_equal(a->flat_incidents, 0);
    assert_int_equal(sf_kernel_run_until(k, S(51)), SF_OK);
    assert_int_equal(sf_kernel_events(k), events + 1);
    assert_int_equal(a->flat_incidents, 1);
    assert_true(a->meter.flat);
    assert_int_equal(a->meter.since, S(51));
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING] - 25000) < 1e-9);
    assert_true(fabs(sf_meter_total(&a->meter, S(51.5)) - 25000) < 1e-9);
    sf_world_free(w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_vehicle_slowed_to_half_speed_draws_by_its_speed),
        cmocka_unit_test(test_a_battery_runs_flat_braking_without_a_phase_event),
    };
    return cmocka_run_group_tests_name("speed_power", tests, NULL, NULL);
}
