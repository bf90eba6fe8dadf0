/*
 * Battery swaps: the spare packs on their own (which is promised, when
 * each is full, the grid draw), and a humanoid swapping in a world, timed
 * and metered by hand, with the energy the metrics book for its fleet
 * entry.
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
#include "metrics/kpis.h"
#include "metrics/metrics.h"
#include "model/packs.h"
#include "model/world.h"
#include "scenario/scenario.h"

#define S(x) ((sf_time)llround((x) * 1e9))

/*
 * Two full packs of 10 kJ charging at 1 kW (80 % stored): the first
 * promise gets a full one at once; a pack put back with 2 kJ misses 8 kJ
 * and is full 8000 / 800 = 10 s later, drawing 1 kW meanwhile; a promise
 * when no full pack is free waits for it.
 */
static void test_packs_promise_charge_and_draw(void **state)
{
    sf_packs p;
    sf_time ready;
    uint32_t a, b, c;
    (void)state;

    assert_int_equal(sf_packs_init(&p, 2, 10000, 1000, 0.8), SF_OK);
    assert_int_equal(sf_packs_init(&(sf_packs){0}, 0, 10000, 1000, 0.8), SF_EINVAL);
    a = sf_packs_reserve(&p, S(5), &ready);
    assert_int_equal(ready, S(5));
    assert_int_equal(sf_packs_swap(&p, a, 2000, S(5)), SF_OK);
    assert_true(sf_packs_update(&p, S(5)) == 1000);
    assert_int_equal(sf_packs_next_event(&p), S(15));
    assert_true(fabs(sf_packs_charge(&p, a, S(10)) - 6000) < 1e-6);
    b = sf_packs_reserve(&p, S(6), &ready); /* the other one, full */
    assert_true(b != a);
    assert_int_equal(ready, S(6));
    c = sf_packs_reserve(&p, S(6), &ready); /* none free but the charging one: ready when it is full */
    assert_int_equal(c, a);
    assert_int_equal(ready, S(15));
    assert_int_equal(sf_packs_reserve(&p, S(6), &ready), UINT32_MAX); /* every pack promised */
    assert_int_equal(sf_packs_swap(&p, c, 0, S(7)), SF_EINVAL);       /* not full yet */
    assert_true(fabs(sf_packs_drawn(&p, S(10)) - 5000) < 1e-6); /* 1 kW for 5 s so far */
    assert_true(sf_packs_update(&p, S(15)) == 0);
    assert_true(fabs(sf_packs_drawn(&p, S(30)) - 10000) < 1e-5); /* 10 s at 1 kW, then nothing */
    assert_int_equal(sf_packs_next_event(&p), SF_TIME_MAX);
    assert_true(sf_packs_charge(&p, a, S(20)) == 10000);
    assert_int_equal(sf_packs_swap(&p, c, 10000, S(20)), SF_OK); /* a full pack back: nothing to charge */
    assert_int_equal(sf_packs_next_event(&p), SF_TIME_MAX);
    sf_packs_close(&p);
}

/*
 * The fleet's chemistry (packs of 10 kJ at 1 kW, 80 % stored). Li-ion with
 * its knee at 50 %: a pack put back at 5 s with 2 kJ charges at 1 kW to
 * 5 kJ (3 kJ / 800 W = 3.75 s), then tapers (energy.h): R = 5 kJ, tau =
 * R / 800 W = 6.25 s, steps of 500, 250, 125 W for tau each and 62.5 W for
 * 2 tau, 5 tau = 31.25 s: full at 5 + 3.75 + 31.25 = 40 s, having drawn
 * 8 kJ / 0.8 = 10 kJ. Lead-acid at constant power with a 100 s cool-down:
 * the same pack is full at 15 s and ready at 115 s.
 */
static void test_packs_charge_with_the_fleets_chemistry(void **state)
{
    sf_packs p;
    sf_time ready;
    uint32_t a;
    (void)state;

    assert_int_equal(sf_packs_init(&p, 1, 10000, 1000, 0.8), SF_OK);
    sf_packs_chemistry(&p, 0.5, 0);
    a = sf_packs_reserve(&p, S(5), &ready);
    assert_int_equal(sf_packs_swap(&p, a, 2000, S(5)), SF_OK);
    assert_true(sf_packs_update(&p, S(5)) == 1000);
    assert_int_equal(sf_packs_next_event(&p), S(8.75));
    assert_true(sf_packs_update(&p, S(8.75)) == 500);
    assert_int_equal(sf_packs_next_event(&p), S(15));
    assert_true(fabs(sf_packs_charge(&p, a, S(15)) - 7500) < 1e-6);
    sf_packs_reserve(&p, S(9), &ready);
    assert_int_equal(ready, S(40)); /* known from the start of the charge */
    assert_true(sf_packs_update(&p, S(15)) == 250);
    assert_true(sf_packs_update(&p, S(21.25)) == 125);
    assert_true(sf_packs_update(&p, S(27.5)) == 62.5);
    assert_int_equal(sf_packs_next_event(&p), S(40));
    assert_true(sf_packs_update(&p, S(40)) == 0);
    assert_true(fabs(sf_packs_drawn(&p, S(50)) - 10000) < 1e-6);
    assert_true(fabs(sf_packs_charge(&p, a, S(50)) - 10000) < 1e-6);
    sf_packs_close(&p);

    assert_int_equal(sf_packs_init(&p, 1, 10000, 1000, 0.8), SF_OK);
    sf_packs_chemistry(&p, 1, S(100));
    a = sf_packs_reserve(&p, S(5), &ready);
    assert_int_equal(sf_packs_swap(&p, a, 2000, S(5)), SF_OK);
    assert_int_equal(sf_packs_next_event(&p), S(15));
    assert_int_equal(sf_packs_reserve(&p, S(6), &ready), a);
    assert_int_equal(ready, S(115)); /* full at 15 s, then it cools down */
    assert_true(sf_packs_update(&p, S(15)) == 0);
    assert_int_equal(sf_packs_swap(&p, a, 0, S(50)), SF_EINVAL); /* still cooling down */
    assert_int_equal(sf_packs_swap(&p, a, 0, S(115)), SF_OK);
    sf_packs_close(&p);
}

struct script {
    sf_world *w;
    int step;
    sf_time at[8];
};

/* a -> b -> a, swap, swap again at once. */
static void done(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    struct script *s = ctx;
    uint32_t node;
    (void)what;
    assert_int_equal(status, SF_OK);
    s->at[s->step] = now;
    switch (s->step++) {
    case 0:
        assert_int_equal(sf_world_place(s->w, "a", &node), SF_OK);
        assert_int_equal(sf_world_move_to(s->w, agent, node), SF_OK);
        break;
    case 1:
    case 2:
        assert_int_equal(sf_world_swap(s->w, agent), SF_OK);
        break;
    default:
        break;
    }
}

static double kpi(sf_metrics *m, const char *metric, const char *entity)
{
    sf_kpis k;
    const sf_kpi *r;
    double v;
    sf_kpis_init(&k);
    assert_int_equal(sf_metrics_kpis(m, &k), SF_OK);
    r = sf_kpis_find(&k, metric, entity);
    assert_non_null(r);
    v = r->value;
    sf_kpis_free(&k);
    return v;
}

/*
 * By hand (battery_swap.yaml): each leg takes 101 s and, walking drawing
 * 0 + 200 W x v / 1 m/s, 200 W x 100 m / 1 m/s = 20 kJ, so the robot is
 * back at a at 202 s with 50 - 40 = 10 kJ. The first swap takes the full
 * spare (60 s, idle at 0 W) and ends at 262 s with the robot full; its
 * own pack misses 90 kJ and charges at 2 kW: full 45 s later (307 s;
 * exact, nothing to round up). The second swap, at once, waits
 * for that pack and ends 60 s after it is full. The spares drew exactly
 * 90 kJ, booked as the fleet entry's grid energy;
 * the robot itself never drew from the grid.
 */
static void test_a_humanoid_swaps_its_battery_by_hand(void **state)
{
    char path[1024], err[256];
    sf_diags d;
    sf_scenario_config *cfg;
    sf_kernel *k = sf_kernel_new();
    struct script s = {0};
    sf_world_hooks hooks = {done, NULL, &s};
    sf_metrics *m;
    uint32_t node, robo;
    const sf_agent *a;
    const sf_packs *p;
    (void)state;

    snprintf(path, sizeof path, "%s/tests/model/data/battery_swap.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    sf_diags_close(&d);
    assert_non_null(cfg);
    assert_int_equal(cfg->fleet.types[0].battery.swap, S(60));
    assert_int_equal(cfg->fleet.types[0].battery.spares, 1);
    s.w = sf_world_new(k, cfg, hooks, err, sizeof err);
    if (!s.w)
        fail_msg("%s", err);
    assert_non_null(m = sf_metrics_new(cfg, 0, 0));
    assert_int_equal(sf_metrics_attach(m, s.w), SF_OK);
    robo = sf_world_find_agent(s.w, "robo.1");
    assert_int_equal(sf_world_place(s.w, "b", &node), SF_OK);
    assert_int_equal(sf_world_move_to(s.w, robo, node), SF_OK);
    assert_int_equal(sf_world_swap(s.w, robo), SF_EINVAL); /* busy */
    assert_int_equal(sf_kernel_run_until(k, S(400)), SF_OK);
    assert_int_equal(s.step, 4);
    assert_int_equal(s.at[0], S(101));
    assert_int_equal(s.at[1], S(202));
    assert_int_equal(s.at[2], S(262));
    assert_int_equal(s.at[3], S(367));
    a = sf_world_agent(s.w, robo);
    sf_world_settle(s.w, S(400));
    assert_true(fabs(a->meter.charge - 100000) < 1e-6);
    assert_true(a->meter.grid == 0);
    assert_int_equal(a->swaps, 2);
    p = sf_world_packs(s.w, 0);
    assert_non_null(p);
    assert_true(fabs(sf_packs_charge(p, 0, S(400)) - 100000) < 1e-6);
    sf_metrics_close(m, S(400));
    /* 90 kJ */
    assert_true(fabs(kpi(m, "energy_grid", "robo") * 3.6e6 - 90000) < 1e-5);
    assert_true(fabs(kpi(m, "energy_grid", "") * 3.6e6 - 90000) < 1e-5);
    assert_true(fabs(kpi(m, "energy_grid", "robo.1")) < 1e-12);
    assert_true(fabs(sf_packs_drawn(p, S(400)) - 90000) < 1e-5); /* the world's own count agrees */
    sf_metrics_free(m);
    sf_world_free(s.w);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packs_promise_charge_and_draw),
        cmocka_unit_test(test_packs_charge_with_the_fleets_chemistry),
        cmocka_unit_test(test_a_humanoid_swaps_its_battery_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
