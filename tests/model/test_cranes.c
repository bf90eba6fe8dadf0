/*
 * An AS/RS crane's cycle by hand (model/cranes.h): a 1000 kg carriage and
 * load raised to 3 m at 80 % and lowered with half of it fed back, travel
 * drives at 5 kW, a 40 s cycle:
 *   drawn     5000 x 40 + 1000 x 9.80665 x 3 / 0.8 = 236774.9375 J
 *   fed back  0.5 x 0.8 x 1000 x 9.80665 x 3      =  11767.98 J
 * each spread over the 40 s; idle (500 W) before and after.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/cranes.h"

#define S(x) ((sf_time)llround((x) * 1e9))

struct ledger {
    sf_time since;
    double draw, fed_back; /* W now */
    double drawn, fed;     /* J so far */
    int calls;
};

static void on_power(void *ctx, uint32_t rack, double draw, double fed_back, sf_time now)
{
    struct ledger *l = ctx;
    double dt = sf_time_to_seconds(now - l->since);
    assert_int_equal(rack, 0);
    l->drawn += l->draw * dt;
    l->fed += l->fed_back * dt;
    l->draw = draw;
    l->fed_back = fed_back;
    l->since = now;
    l->calls++;
}

static void test_cranes_a_cycle_draws_travel_and_lift_and_feeds_back_its_lowering(void **state)
{
    double heights[] = {0, 1.5, 3.0}, drawn, fed_back;
    sf_cfg_rack rack = {.name = "tower", .kind = SF_RACK_ASRS, .bays = 4, .levels = 3, .depth = 1,
                        .level_height = heights, .crane_idle = 500, .crane_travel = 5000, .crane_mass = 1000,
                        .crane_efficiency = 0.8, .crane_regeneration = 0.5};
    sf_cfg_rack plain = {.name = "shelf", .kind = SF_RACK_RACK, .bays = 1, .levels = 1, .depth = 1,
                         .level_height = heights};
    sf_cfg_rack both[2];
    sf_cfg_layout L = {0};
    sf_kernel *k = sf_kernel_new();
    struct ledger l = {0};
    sf_cranes *c;
    (void)state;

    sf_crane_cycle_energy(&rack, 2, 40, &drawn, &fed_back);
    assert_true(fabs(drawn - 236774.9375) < 1e-6);
    assert_true(fabs(fed_back - 11767.98) < 1e-6);
    sf_crane_cycle_energy(&rack, 0, 40, &drawn, &fed_back); /* at the floor: travel only */
    assert_true(fabs(drawn - 200000) < 1e-9 && fed_back == 0);

    both[0] = rack;
    both[1] = plain;
    L.racks = both;
    L.n_racks = 2;
    l.draw = 500; /* standing */
    assert_non_null(c = sf_cranes_new(k, &L, on_power, &l));
    assert_int_equal(sf_cranes_cycle(c, 1, 0, 40), SF_EINVAL); /* not an AS/RS */
    assert_int_equal(sf_cranes_cycle(c, 0, 3, 40), SF_EINVAL); /* no such level */
    assert_int_equal(sf_kernel_run_until(k, S(10)), SF_OK);
    assert_int_equal(sf_cranes_cycle(c, 0, 2, 40), SF_OK);
    assert_true(fabs(l.draw - 236774.9375 / 40) < 1e-9 && fabs(l.fed_back - 11767.98 / 40) < 1e-9);
    assert_int_equal(sf_kernel_run_until(k, S(100)), SF_OK);
    assert_int_equal(l.calls, 2); /* the start, and the end at 50 s */
    assert_true(l.draw == 500 && l.fed_back == 0);
    on_power(&l, 0, 500, 0, S(100));
    /* 10 s + 50 s idle at 500 W, and the cycle */
    assert_true(fabs(l.drawn - (500 * 60.0 + 236774.9375)) < 1e-6);
    assert_true(fabs(l.fed - 11767.98) < 1e-6);
    sf_cranes_free(c);
    sf_kernel_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cranes_a_cycle_draws_travel_and_lift_and_feeds_back_its_lowering),
    };
    return cmocka_run_group_tests_name("cranes", tests, NULL, NULL);
}
