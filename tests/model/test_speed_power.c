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
    char path[1024], err[256];
    sf_diags d;
    sf_scenario_config *cfg;
    sf_kernel *k = sf_kernel_new();
    sf_world_hooks hooks = {done, NULL, NULL};
    sf_world *w;
    sf_metrics *m;
    uint32_t node;
    const sf_agent *a;
    (void)state;

    snprintf(path, sizeof path, "%s/tests/model/data/speed_power.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_vehicle_slowed_to_half_speed_draws_by_its_speed),
    };
    return cmocka_run_group_tests_name("speed_power", tests, NULL, NULL);
}
