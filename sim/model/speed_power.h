/*
 * speed_power.h: a vehicle's draw follows its speed, exactly.
 *
 * A mover's motion is a chain of phases of constant acceleration
 * (model/motion.h), so its speed is linear in time within each phase.
 * This module follows every mover's motion (as a movers watcher): when a
 * motion is planned or replanned (a protective stop, a speed cap that
 * changes, a reservation extended, a failure mid-trip), it tells the
 * owner the speed v now, the acceleration a of the phase running, and
 * the speed and acceleration from the start of each later phase. The
 * owner turns them into a planned ramp of its meter (energy.h,
 * sf_meter_plan), which crosses the phases by itself: no kernel event per
 * phase. When the mover comes to rest (or the motion ends mid-phase) the
 * owner is told so, to end the plan where it stands.
 */
#ifndef SF_MODEL_SPEED_POWER_H
#define SF_MODEL_SPEED_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "model/energy.h"
#include "model/movers.h"

/* From `at` on, speed `v` (m/s) growing by `a` m/s^2. */
typedef struct sf_speed_step {
    sf_time at;
    double v, a;
} sf_speed_step;

typedef struct sf_speed_plan {
    bool moving;                /* false: the mover stopped (no speed, no steps below) */
    double v, a;                /* speed and acceleration now */
    const sf_speed_step *steps; /* the later phases, in time order, all after now */
    uint32_t n;
    /* room for n meter steps, which stays unchanged until the mover's plan after next is told */
    sf_meter_step *out;
} sf_speed_plan;

/* Told of a mover's new plan at `now`; sets the owner's meter (writing p->out when it plans a ramp). */
typedef void (*sf_speed_fn)(void *ctx, uint32_t mover, const sf_speed_plan *p, sf_time now);

typedef struct sf_speed_power sf_speed_power;

/* Follow the `n` movers of `ms` (`k` is failed when memory runs out). NULL on failure. */
sf_speed_power *sf_speed_power_new(sf_kernel *k, sf_movers *ms, uint32_t n, sf_speed_fn fn, void *ctx);
/* Stop following (before the movers are freed). NULL is fine. */
void sf_speed_power_free(sf_speed_power *sp);

#endif
