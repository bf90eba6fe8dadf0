/*
 * The world built from a scenario: a forklift's trip, pick and drop,
 * timed by hand, with the energy of every power state exact.
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
        assert_int_equal(sf_world_pick(s->w, agent, 3.0), SF_OK);
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

static sf_scenario_config *load(void)
{
    char path[1024];
    sf_diags d;
    sf_scenario_config *cfg;
    snprintf(path, sizeof path, "%s/tests/model/data/world_small.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
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
    /* exact energy per state, in joules */
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING] - 4000 * 11.0) < 1e-6);
    assert_true(fabs(a->meter.energy[SF_POWER_LIFTING] - 10000 * 20.0) < 1e-6);
    assert_true(fabs(a->meter.energy[SF_POWER_MOVING_LOADED] - 5000 * 19.0) < 1e-6);
    assert_true(fabs(a->meter.energy[SF_POWER_IDLE] - 1000 * 2.0) < 1e-6); /* from 58 s to 60 s */
    assert_true(fabs(a->meter.time[SF_POWER_WORKING] - 8.0) < 1e-9);    /* the drop, at 0 W */
    /* all from the battery: 1 kWh less what was used */
    assert_true(fabs(a->meter.charge - (3.6e6 - 44000 - 200000 - 95000 - 2000)) < 1e-6);
    assert_true(fabs(sf_movers_distance(sf_world_movers(s.w), a->mover, S(60)) - 36) < 1e-6);
    /* charge back to full at a 5 kW charger: the truck's own 3 kW limit it, 341 kJ take 113.67 s */
    assert_int_equal(sf_world_charge(s.w, s.truck, 1.5, 5000), SF_EINVAL);
    assert_int_equal(sf_world_charge(s.w, 1, 1.0, 5000), SF_EINVAL); /* the walker has no battery */
    assert_int_equal(sf_world_charge(s.w, s.truck, 1.0, 5000), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(200)), SF_OK);
    assert_int_equal(s.step, 5);
    assert_true(llabs(s.at[4] - S(60 + 341000.0 / 3000)) <= 2);
    assert_true(fabs(a->meter.charge - 3.6e6) < 1e-3);
    assert_true(fabs(a->meter.grid - 341000) < 1e-3);
    assert_true(a->meter.charge_power == 3000); /* the agent's own rate is back */
    sf_world_free(s.w);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_forklift_trip_pick_and_drop_by_hand),
        cmocka_unit_test(test_world_report_sums_agents_by_type),
    };
    return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
