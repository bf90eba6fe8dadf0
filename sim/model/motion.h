/*
 * motion.h: exact motion along a route with acceleration limits.
 *
 * A mover travels a chain of legs (usually the segments of a route), each
 * with a length and a top speed (the lower of the mover's and the
 * segment's). It starts at speed v0, accelerates at most at `accel`,
 * brakes at most at `decel`, never exceeds a leg's top speed except to
 * brake down from an entry speed above it, and stops at the end of the
 * last leg. The plan is the time-optimal profile under those limits: a
 * backward pass caps each node speed by what braking can still reach, a
 * forward pass by what acceleration can reach, and each leg is then an
 * accelerate-cruise-brake trapezoid (or triangle).
 *
 * The result is a list of phases of constant acceleration, so the
 * position and speed at any time come from a closed form, without
 * events; the inverse (when does the mover reach distance s) is a
 * quadratic root. Phase boundaries are on the nanosecond grid; each is
 * rounded once from the exact cumulative time, so errors do not build up
 * along a long route.
 */
#ifndef SF_MODEL_MOTION_H
#define SF_MODEL_MOTION_H

#include <stdint.h>

#include "core/time.h"

typedef struct sf_leg {
    double length; /* metres, > 0 */
    double vmax;   /* m/s, > 0 */
} sf_leg;

typedef struct sf_phase {
    sf_time start; /* absolute kernel time */
    double s0;     /* distance from the route's start at `start`, metres */
    double v0;     /* speed at `start`, m/s */
    double a;      /* acceleration during the phase, m/s^2 */
    uint32_t leg;  /* the leg this phase belongs to */
} sf_phase;

typedef struct sf_motion {
    sf_phase *phases; /* owned */
    uint32_t n, cap;
    sf_time start, end; /* departure and arrival times */
    double length;      /* total distance, metres */
    uint32_t nlegs;
    sf_time *leg_end;   /* when each leg is completed (the mover reaches its far node); owned */
    double *leg_start_s;/* distance at the start of each leg; owned */
    int emergency;      /* 1 when v0 was too high to stop within the route at `decel`: braking was harder */
} sf_motion;

void sf_motion_init(sf_motion *m);
void sf_motion_close(sf_motion *m);

/*
 * Plan a motion over `nlegs` legs starting at `start` with speed v0 >= 0.
 * accel and decel must be > 0. With nlegs == 0 the mover must already be
 * at rest (v0 == 0) and arrives at once. SF_EINVAL for bad arguments,
 * SF_ERANGE when the trip does not fit the clock, SF_ENOMEM. The motion
 * may be reused: planning again replaces its content.
 */
int sf_motion_plan(sf_motion *m, const sf_leg *legs, uint32_t nlegs, double v0, double accel, double decel,
                   sf_time start);

/* Distance travelled at time t (clamped to [start, end]); speed at t into *v when not NULL. */
double sf_motion_position(const sf_motion *m, sf_time t, double *v);

/* The first time at which distance `s` is reached (s clamped to [0, length]). */
sf_time sf_motion_time_at(const sf_motion *m, double s);

/* The leg the mover is on at time t (the last leg once arrived). */
uint32_t sf_motion_leg_at(const sf_motion *m, sf_time t);

/* The distance along the motion at which leg j ends. */
double sf_motion_leg_end(const sf_motion *m, uint32_t j);

#endif
