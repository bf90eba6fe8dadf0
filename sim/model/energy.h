/*
 * energy.h: power states and exact energy integration.
 *
 * Every powered thing (a vehicle, a robot, a station, the building's base
 * load) is a meter: it is in exactly one power state at a time, each
 * state has a power in watts, and on every transition the energy of the
 * interval just ended (power x time) is added to that state's total.
 * Nothing is sampled, so totals are exact up to floating-point rounding
 * of one product per transition.
 *
 * A meter may run on a battery: its draw then comes out of the state of
 * charge instead of the grid, except in the charging state, where the
 * charger draws `charge_power` from the grid and the battery gains
 * charge_power x efficiency until full. Because power is constant
 * between transitions, the time at which the battery runs flat (or is
 * full) is known in advance; the model schedules one event for it and
 * reschedules it on each transition.
 *
 * A Li-ion battery charges at constant power up to its knee (cv_from x
 * capacity), then tapers as the constant-voltage phase does, in
 * SF_TAPER_STEPS steps of constant power so the ledger stays exact: with
 * R = capacity - knee and tau = R / (efficiency x charge_power), step k
 * (1 <= k < SF_TAPER_STEPS) draws charge_power / 2^k for tau and stores
 * R / 2^k; the last step draws charge_power / 2^SF_TAPER_STEPS for 2 tau
 * and stores the rest, R / 2^(SF_TAPER_STEPS - 1). Each step's end is a
 * battery event (sf_meter_battery_event), where the grid draw changes.
 *
 * The power of the current state may also ramp linearly (a vehicle
 * accelerating or braking, whose draw follows its speed): it is
 * power[state] at `since` and grows by `slope` watts per second, so the
 * energy of an interval of dt seconds is power x dt + slope x dt^2 / 2 and
 * the instant a battery runs flat is a root of that quadratic; still no
 * sampling. A change of state ends the ramp (slope 0).
 *
 * A ramp may come with a plan: the steps at which it changes to a new
 * draw and slope (a vehicle's motion, accelerate / cruise / brake, known
 * when the motion is planned). The meter crosses each step when it is
 * read or closed past it, as if it had been told at that instant, so no
 * event is needed per step; the time a battery runs flat is found across
 * the steps, still as the root of the quadratic of the step it falls in.
 * The steps belong to the caller, who keeps them unchanged while the
 * meter (or a copy of it) may still cross them. A change of state, or a
 * new ramp, ends the plan.
 */
#ifndef SF_MODEL_ENERGY_H
#define SF_MODEL_ENERGY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"
#include "model/kinds.h"

/* One step of a planned ramp: from `at` on the draw is `watts`, growing by `slope` W/s. */
typedef struct sf_meter_step {
    sf_time at;
    double watts, slope;
} sf_meter_step;

typedef struct sf_meter {
    double power[SF_POWER_STATES];  /* watts drawn in each state (charging: see charge_power) */
    double energy[SF_POWER_STATES]; /* joules spent in each state so far (grid or battery) */
    double time[SF_POWER_STATES];   /* seconds spent in each state so far */
    sf_power_state state;
    sf_time since; /* time of the last transition */
    double slope;  /* W/s: the current state's power grows by this per second from `since` (0: constant) */
    const sf_meter_step *plan; /* the steps still to come, in time order, all after `since` (NULL: none) */
    uint32_t plan_n;
    /* battery; capacity 0 means the meter draws from the grid directly */
    double capacity;     /* joules */
    double charge;       /* joules in the battery at `since` */
    double charge_power; /* watts drawn from the grid while charging */
    double efficiency;   /* share of charge_power stored, (0, 1] */
    double grid;         /* joules drawn from the grid so far (all states) */
    double stored;       /* joules put into the battery by charging so far: the grid's charging energy x efficiency */
    double knee;         /* joules: where a Li-ion taper starts; >= capacity for constant power to full */
    bool flat;           /* the battery ran out; draw stopped until it is charged */
} sf_meter;

/* A grid-powered meter in `state` at time `now`; powers copied from `power` (watts, >= 0). */
void sf_meter_init(sf_meter *m, const double power[SF_POWER_STATES], sf_power_state state, sf_time now);

/*
 * Give the meter a battery of `capacity` joules holding `charge` joules,
 * charged at `charge_power` watts from the grid with `efficiency`.
 */
void sf_meter_battery(sf_meter *m, double capacity, double charge, double charge_power, double efficiency);

/* Steps of constant power in a Li-ion taper (see above). */
#define SF_TAPER_STEPS 4

/* Taper the charge from `cv_from` x capacity (a fraction in (0, 1); 1 or more: constant power to full). */
void sf_meter_taper(sf_meter *m, double cv_from);

/* Watts drawn from the grid at `since`: the state's power, or in the charging state the charger's draw (0 when full). */
double sf_meter_draw(const sf_meter *m);

/* Seconds of charging from `from` to `to` joules (from <= to <= capacity) at the meter's charge power and taper. */
double sf_meter_charge_seconds(const sf_meter *m, double from, double to);

/*
 * Whether `t` (run time; the run starts at `start_of_day` past midnight)
 * lies in a peak band of the tariff, a band at its highest price when the
 * tariff has more than one price; if so, *end is when the peak (one band
 * or several peak bands in a row) ends. O(bands).
 */
struct sf_cfg_energy;
bool sf_tariff_peak(const struct sf_cfg_energy *E, sf_time start_of_day, sf_time t, sf_time *end);
/* When the next peak band starts at or after `t` (t itself when in one); SF_TIME_MAX when the tariff has no peak. */
sf_time sf_tariff_next_peak(const struct sf_cfg_energy *E, sf_time start_of_day, sf_time t);

/*
 * Close the interval up to `now`, then draw `watts` in the current state,
 * ramping by `slope` W/s from now on (a linear ramp; 0 for constant).
 */
void sf_meter_ramp(sf_meter *m, sf_time now, double watts, double slope);

/*
 * The same, then changing at each of the `n` steps (times after `now`,
 * increasing), which the caller keeps unchanged as long as the meter or a
 * copy of it may cross them (see above).
 */
void sf_meter_plan(sf_meter *m, sf_time now, double watts, double slope, const sf_meter_step *steps, uint32_t n);

/* Close the interval up to `now` (>= since) without changing state. */
void sf_meter_update(sf_meter *m, sf_time now);

/* Close the interval up to `now` and enter `state` (a new state ends a ramp; the same state keeps it). */
void sf_meter_set(sf_meter *m, sf_time now, sf_power_state state);

/* Battery charge at `now` (joules), without changing the meter. */
double sf_meter_charge_at(const sf_meter *m, sf_time now);

/*
 * When the battery will run flat (when draining) or be full (when
 * charging) if the state does not change: an absolute time, or
 * SF_TIME_MAX when never (no battery, no draw, or already there).
 */
sf_time sf_meter_battery_event(const sf_meter *m);

/* Total energy (joules) over all states, and grid energy, up to `now`. */
double sf_meter_total(const sf_meter *m, sf_time now);
double sf_meter_grid(const sf_meter *m, sf_time now);

#endif
