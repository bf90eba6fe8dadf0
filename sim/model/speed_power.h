/*
 * speed_power.h: a vehicle's draw follows its speed, exactly.
 *
 * A mover's motion is a chain of phases of constant acceleration
 * (model/motion.h), so its speed is linear in time within each phase.
 * This module follows every mover's motion (as a movers watcher) and, at
 * the start of each phase of a mover that is moving, tells its owner the
 * speed v now and the phase's acceleration a; the owner sets a draw that
 * ramps with them (energy.h, sf_meter_ramp). A new motion (a replan
 * mid-phase: a protective stop, a speed cap that changes, a reservation
 * extended) is told at once, so no phase is ever assumed longer than it
 * ran. One kernel event per phase boundary inside a motion, only for
 * movers whose owner asks for them.
 */
#ifndef SF_MODEL_SPEED_POWER_H
#define SF_MODEL_SPEED_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "model/movers.h"

/*
 * Told at each phase start of a moving mover: speed v (m/s) now and the
 * phase's acceleration a (m/s^2) until the next call. Returns whether the
 * mover's draw follows its speed (false: no phase events for it).
 */
typedef bool (*sf_speed_fn)(void *ctx, uint32_t mover, double v, double a, sf_time now);

typedef struct sf_speed_power sf_speed_power;

/* Follow the `n` movers of `ms`; one event kind is registered on `k`. NULL on failure. */
sf_speed_power *sf_speed_power_new(sf_kernel *k, sf_movers *ms, uint32_t n, sf_speed_fn fn, void *ctx);
/* Stop following (before the movers are freed). NULL is fine. */
void sf_speed_power_free(sf_speed_power *sp);

#endif
