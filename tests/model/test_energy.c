/* Power states: energy per state exact, battery drain and charge against hand calculation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/time.h"
#include "model/config.h"
#include "model/energy.h"

static void rel(double got, double want, const char *what)
{
    if (fabs(got - want) > 1e-9 * fabs(want) + 1e-12)
        fail_msg("%s: got %.15g, expected %.15g", what, got, want);
}

static const double power[SF_POWER_STATES] = {
    [SF_POWER_OFF] = 0,         [SF_POWER_STANDBY] = 50,   [SF_POWER_IDLE] = 500,
    [SF_POWER_MOVING] = 2000,   [SF_POWER_MOVING_LOADED] = 2600, [SF_POWER_LIFTING] = 4000,
    [SF_POWER_WORKING] = 3500,  [SF_POWER_CHARGING] = 0,   [SF_POWER_FAILED] = 20,
};

static void test_energy_per_state_is_power_times_time(void **state)
{
    sf_meter m;
    sf_time t = 0;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_IDLE, t);
    t += 90 * SF_SECOND;
    sf_meter_set(&m, t, SF_POWER_MOVING);
    t += 30500 * SF_MS;
    sf_meter_set(&m, t, SF_POWER_WORKING);
    t += SF_HOUR;
    sf_meter_set(&m, t, SF_POWER_IDLE);
    t += 1; /* one nanosecond */
    sf_meter_set(&m, t, SF_POWER_OFF);
    rel(m.energy[SF_POWER_IDLE], 500 * 90 + 500e-9, "idle");
    rel(m.energy[SF_POWER_MOVING], 2000 * 30.5, "moving");
    rel(m.energy[SF_POWER_WORKING], 3500 * 3600.0, "working");
    rel(m.time[SF_POWER_WORKING], 3600, "time working");
    rel(sf_meter_total(&m, t + SF_HOUR), 500 * 90 + 500e-9 + 2000 * 30.5 + 3500 * 3600.0, "total");
    rel(sf_meter_grid(&m, t), sf_meter_total(&m, t), "all from the grid");
    /* the open interval counts without a transition */
    sf_meter_set(&m, t, SF_POWER_LIFTING);
    rel(sf_meter_total(&m, t + 10 * SF_SECOND) - sf_meter_total(&m, t), 40000, "open interval");
}

static void test_energy_battery_runs_flat_when_predicted(void **state)
{
    sf_meter m;
    sf_time flat;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_battery(&m, 3.6e6, 3.6e6, 3000, 0.9); /* 1 kWh, full */
    flat = sf_meter_battery_event(&m);
    assert_int_equal(flat, 1800 * SF_SECOND); /* 3.6 MJ at 2 kW */
    rel(sf_meter_charge_at(&m, 900 * SF_SECOND), 1.8e6, "half way");
    sf_meter_update(&m, 2000 * SF_SECOND); /* the model noticed late: the draw stopped at 1800 s */
    assert_true(m.flat);
    rel(m.charge, 0, "empty");
    rel(m.energy[SF_POWER_MOVING], 3.6e6, "moving energy is what the battery had");
    rel(sf_meter_grid(&m, 2000 * SF_SECOND), 0, "nothing from the grid");
    assert_int_equal(sf_meter_battery_event(&m), SF_TIME_MAX);
}

static void test_energy_charging_draws_from_the_grid_until_full(void **state)
{
    sf_meter m;
    sf_time full, t0 = 100 * SF_SECOND;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_IDLE, 0);
    sf_meter_battery(&m, 3.6e6, 0.9e6, 3000, 0.9);
    sf_meter_set(&m, t0, SF_POWER_CHARGING); /* 100 s idle at 500 W from the battery */
    rel(m.charge, 0.9e6 - 50000, "after idling");
    full = sf_meter_battery_event(&m);
    /* room 2.75 MJ at 2.7 kW stored: 1018.518... s */
    assert_true(sf_time_to_seconds(full - t0) >= 2.75e6 / 2700);
    assert_true(sf_time_to_seconds(full - t0) - 2.75e6 / 2700 < 2e-9);
    sf_meter_update(&m, full + SF_HOUR); /* charging stops drawing once full */
    rel(m.charge, 3.6e6, "full");
    rel(m.grid, 2.75e6 / 0.9, "grid energy is the stored energy over the efficiency");
    rel(m.energy[SF_POWER_CHARGING], 2.75e6 / 0.9, "charging energy");
    rel(m.energy[SF_POWER_IDLE], 50000, "idle energy came from the battery");
}

static void test_energy_flat_battery_recovers_on_charging(void **state)
{
    sf_meter m;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_LIFTING, 0);
    sf_meter_battery(&m, 1e6, 4000, 1000, 1);
    sf_meter_update(&m, 5 * SF_SECOND);
    assert_true(m.flat);
    sf_meter_set(&m, 5 * SF_SECOND, SF_POWER_CHARGING);
    assert_false(m.flat);
    sf_meter_set(&m, 15 * SF_SECOND, SF_POWER_MOVING);
    rel(m.charge, 10000, "10 s at 1 kW");
    assert_false(m.flat);
    assert_int_equal(sf_meter_battery_event(&m), 20 * SF_SECOND);
    assert_int_equal(sf_meter_battery_event(&(sf_meter){.capacity = 0}), SF_TIME_MAX);
    assert_string_equal(sf_power_state_name(SF_POWER_MOVING_LOADED), "moving_loaded");
}

/*
 * Li-ion CC-CV, by hand: 10 kWh from 50 %, 4 kW at 90 %, taper from 80 %.
 * Constant power to 8 kWh: 3 kWh / 3.6 kW = 3000 s. R = 2 kWh,
 * tau = R / 3.6 kW = 2000 s; steps of 2 kW, 1 kW, 500 W for 2000 s each
 * (storing 1, 0.5, 0.25 kWh), then 250 W for 4000 s (the last 0.25 kWh):
 * full at 13000 s, having drawn 5 kWh / 0.9 = 2e7 J.
 */
static void test_energy_li_ion_charge_follows_the_closed_form(void **state)
{
    static const double at[] = {3000, 5000, 7000, 9000, 13000}, draw[] = {4000, 2000, 1000, 500, 250};
    sf_meter m;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_IDLE, 0);
    sf_meter_battery(&m, 3.6e7, 1.8e7, 4000, 0.9);
    sf_meter_taper(&m, 0.8);
    rel(sf_meter_charge_seconds(&m, 1.8e7, 3.6e7), 13000, "to full");
    rel(sf_meter_charge_seconds(&m, 1.8e7, 0.95 * 3.6e7), 7000, "to 95 %: the first two steps");
    rel(sf_meter_charge_seconds(&m, 1.8e7, 0.85 * 3.6e7), 4000, "to 85 %: half the first step");
    sf_meter_set(&m, 0, SF_POWER_CHARGING);
    for (int i = 0; i < 5; i++) { /* each step ends in a battery event, where the draw changes */
        sf_time t = sf_meter_battery_event(&m);
        rel(sf_meter_draw(&m), draw[i], "the step's draw");
        assert_true(llabs(t - (sf_time)llround(at[i] * 1e9)) <= 2);
        sf_meter_update(&m, t);
    }
    rel(m.charge, 3.6e7, "full");
    rel(sf_meter_draw(&m), 0, "a full battery draws nothing");
    assert_int_equal(sf_meter_battery_event(&m), SF_TIME_MAX);
    sf_meter_update(&m, 20000 * SF_SECOND);
    rel(m.grid, 2e7, "grid energy: 5 kWh / 0.9");
    rel(m.stored, 1.8e7, "into the battery");
    /* one late reading across every step gives the same */
    sf_meter_init(&m, power, SF_POWER_IDLE, 0);
    sf_meter_battery(&m, 3.6e7, 1.8e7, 4000, 0.9);
    sf_meter_taper(&m, 0.8);
    sf_meter_set(&m, 0, SF_POWER_CHARGING);
    rel(sf_meter_charge_at(&m, 5000 * SF_SECOND), 3.24e7, "after the first step: 9 kWh");
    sf_meter_update(&m, 20000 * SF_SECOND);
    rel(m.grid, 2e7, "grid energy read once");
    rel(m.charge, 3.6e7, "full, read once");
}

/* Peak bands by hand: consecutive bands at the top price are one peak; a peak over midnight ends the next day; when the next one starts. */
static void test_energy_tariff_peak_and_its_end(void **state)
{
    sf_cfg_tariff_band day[] = {{0, 0.1}, {7 * SF_HOUR, 0.3}, {20 * SF_HOUR, 0.3}, {22 * SF_HOUR, 0.1}};
    sf_cfg_tariff_band night[] = {{0, 0.3}, {6 * SF_HOUR, 0.1}, {22 * SF_HOUR, 0.3}};
    sf_cfg_tariff_band flat[] = {{0, 0.2}, {12 * SF_HOUR, 0.2}};
    sf_cfg_energy E = {0};
    sf_time end = -1;
    (void)state;
    E.tariff = day;
    E.n_tariff = 4;
    /* the run starts at 06:00: 2 h in is 08:00, in the peak that lasts to 22:00 (16 h in) */
    assert_true(sf_tariff_peak(&E, 6 * SF_HOUR, 2 * SF_HOUR, &end));
    assert_int_equal(end, 16 * SF_HOUR);
    assert_false(sf_tariff_peak(&E, 6 * SF_HOUR, 0, &end)); /* 06:00 */
    assert_false(sf_tariff_peak(&E, 6 * SF_HOUR, 16 * SF_HOUR, &end)); /* 22:00 exactly: off peak */
    /* the next peak: from 06:00 it starts at 07:00 (1 h in); in it, now; from 22:00, 07:00 the next day */
    assert_int_equal(sf_tariff_next_peak(&E, 6 * SF_HOUR, 0), SF_HOUR);
    assert_int_equal(sf_tariff_next_peak(&E, 6 * SF_HOUR, 3 * SF_HOUR), 3 * SF_HOUR);
    assert_int_equal(sf_tariff_next_peak(&E, 6 * SF_HOUR, 16 * SF_HOUR), 25 * SF_HOUR);
    E.tariff = night;
    E.n_tariff = 3;
    assert_true(sf_tariff_peak(&E, 0, 23 * SF_HOUR, &end)); /* 23:00 to 06:00 the next day */
    assert_int_equal(end, 30 * SF_HOUR);
    assert_true(sf_tariff_peak(&E, 0, 2 * SF_DAY + SF_HOUR, &end)); /* day 3, 01:00 */
    assert_int_equal(end, 2 * SF_DAY + 6 * SF_HOUR);
    E.tariff = flat;
    E.n_tariff = 2;
    assert_false(sf_tariff_peak(&E, 0, 13 * SF_HOUR, &end)); /* one price: no peak */
    assert_int_equal(sf_tariff_next_peak(&E, 0, 13 * SF_HOUR), SF_TIME_MAX);
}

/*
 * A ramp: 100 W growing by 200 W/s (a vehicle accelerating at 1 m/s^2
 * from rest, idle 100 W, moving 500 W at 2 m/s). Over 1.5 s: 100 x 1.5 +
 * 200 x 1.5^2 / 2 = 375 J, and the draw is 400 W at the end. From a
 * 150 J battery it runs flat where 100 t + 100 t^2 = 150: t = (sqrt(7) -
 * 1) / 2 = 0.8229 s. A new state ends the ramp.
 */
static void test_energy_ramp_is_exact_and_runs_flat_at_the_root(void **state)
{
    sf_meter m;
    sf_time flat;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_ramp(&m, 0, 100, 200);
    rel(sf_meter_total(&m, 1500 * SF_MS), 375, "ramp energy");
    sf_meter_update(&m, 500 * SF_MS); /* closing part way keeps the ramp */
    rel(m.power[SF_POWER_MOVING], 200, "draw at 0.5 s");
    sf_meter_update(&m, 1500 * SF_MS);
    rel(m.energy[SF_POWER_MOVING], 375, "ramp energy, in two parts");
    rel(m.power[SF_POWER_MOVING], 400, "draw at 1.5 s");
    sf_meter_set(&m, 1500 * SF_MS, SF_POWER_MOVING); /* the same state: the ramp goes on */
    rel(sf_meter_total(&m, 2 * SF_SECOND) - 375, 400 * 0.5 + 200 * 0.25 / 2, "ramp goes on");
    sf_meter_set(&m, 2 * SF_SECOND, SF_POWER_IDLE);
    rel(m.slope, 0, "a new state ends the ramp");

    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_battery(&m, 1000, 150, 1000, 1);
    sf_meter_ramp(&m, 0, 100, 200);
    flat = sf_meter_battery_event(&m);
    assert_true(fabs(sf_time_to_seconds(flat) - (sqrt(7) - 1) / 2) <= 1e-9); /* rounded up to the nanosecond */
    sf_meter_update(&m, flat);
    assert_true(m.flat);
    rel(m.energy[SF_POWER_MOVING], 150, "all of the battery, no more");
    /* braking: 400 W falling by 400 W/s stops drawing more at 1 s (200 J), so 250 J never run out */
    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_battery(&m, 1000, 250, 1000, 1);
    sf_meter_ramp(&m, 0, 400, -400);
    assert_true(sf_meter_battery_event(&m) == SF_TIME_MAX);
    rel(sf_meter_charge_at(&m, SF_SECOND), 50, "charge after braking");
}

/*
 * A planned ramp: 100 W growing by 200 W/s, 300 W from 1 s (cruising),
 * falling by 200 W/s from 3 s (braking). By hand: 200 J to 1 s, 300 J a
 * second cruising (800 J at 3 s), then 300 t - 100 t^2. Read mid-phase
 * without closing: 500 J at 2 s, 925 J at 3.5 s, the meter untouched. A
 * 1000 J battery has 200 J left at 3 s and runs flat braking where 300 t -
 * 100 t^2 = 200: t = 1, at 4 s; a 600 J one runs flat cruising at 1 +
 * 400 / 300 s. Closing across the steps gives what a ramp told at each
 * step gives.
 */
static void test_energy_planned_ramp_crosses_its_steps_unasked(void **state)
{
    static const sf_meter_step steps[] = {{SF_SECOND, 300, 0}, {3 * SF_SECOND, 300, -200}};
    sf_meter m, told;
    (void)state;
    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_plan(&m, 0, 100, 200, steps, 2);
    rel(sf_meter_total(&m, 2 * SF_SECOND), 500, "mid-cruise reading");
    rel(sf_meter_grid(&m, 3500 * SF_MS), 925, "mid-braking reading");
    assert_true(m.since == 0 && m.plan_n == 2);
    sf_meter_update(&m, 3500 * SF_MS);
    rel(m.energy[SF_POWER_MOVING], 925, "closed across both steps");
    rel(m.power[SF_POWER_MOVING], 200, "draw at 3.5 s");
    assert_int_equal(m.plan_n, 0);
    sf_meter_init(&told, power, SF_POWER_MOVING, 0);
    sf_meter_ramp(&told, 0, 100, 200);
    sf_meter_ramp(&told, SF_SECOND, 300, 0);
    sf_meter_ramp(&told, 3 * SF_SECOND, 300, -200);
    sf_meter_update(&told, 3500 * SF_MS);
    assert_true(told.energy[SF_POWER_MOVING] == m.energy[SF_POWER_MOVING]);

    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_battery(&m, 1000, 1000, 1000, 1);
    sf_meter_plan(&m, 0, 100, 200, steps, 2);
    rel(sf_meter_charge_at(&m, 2 * SF_SECOND), 500, "charge mid-cruise");
    assert_true(sf_meter_battery_event(&m) == 4 * SF_SECOND);
    sf_meter_update(&m, 4 * SF_SECOND);
    assert_true(m.flat);
    rel(m.energy[SF_POWER_MOVING], 1000, "all of the battery, no more");
    sf_meter_init(&m, power, SF_POWER_MOVING, 0);
    sf_meter_battery(&m, 1000, 600, 1000, 1);
    sf_meter_plan(&m, 0, 100, 200, steps, 2);
    assert_true(fabs(sf_time_to_seconds(sf_meter_battery_event(&m)) - (1 + 400 / 300.0)) <= 1e-9);
    sf_meter_set(&m, 2 * SF_SECOND, SF_POWER_IDLE); /* a new state ends the plan */
    assert_true(m.plan_n == 0 && m.slope == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_energy_per_state_is_power_times_time),
        cmocka_unit_test(test_energy_ramp_is_exact_and_runs_flat_at_the_root),
        cmocka_unit_test(test_energy_planned_ramp_crosses_its_steps_unasked),
        cmocka_unit_test(test_energy_battery_runs_flat_when_predicted),
        cmocka_unit_test(test_energy_charging_draws_from_the_grid_until_full),
        cmocka_unit_test(test_energy_flat_battery_recovers_on_charging),
        cmocka_unit_test(test_energy_li_ion_charge_follows_the_closed_form),
        cmocka_unit_test(test_energy_tariff_peak_and_its_end),
    };
    return cmocka_run_group_tests_name("energy", tests, NULL, NULL);
}
