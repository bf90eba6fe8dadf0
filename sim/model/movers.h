/*
 * movers.h: vehicles and walkers travelling the path network.
 *
 * "Lua decides, C moves": a behaviour asks once for a trip to a node;
 * this module plans the route, reserves segments ahead through traffic
 * control, plans the exact motion (motion.h), and wakes nobody until the
 * mover arrives. On the way it spends one kernel event per node passed
 * (to release the segment behind and reserve the ones ahead), and one
 * replan whenever the way ahead changes (a segment granted, a speed cap
 * changed by people entering a shared zone).
 *
 * Reservation policy: a mover holds the segment it is on and reserves up
 * to `lookahead` segments ahead (or whole corridors, see below); its motion is planned to stop at the end
 * of the last reserved segment, so it never enters a segment it does not
 * hold. At each node it tries to extend the reservation and replans from
 * its exact speed there. A mover whose next segment is full stops at the
 * node, keeps the segment it stands at the end of, and waits in line; it
 * starts again from rest the moment it is granted. Movers are points:
 * a segment is released when the mover passes its far node.
 */
#ifndef SF_MODEL_MOVERS_H
#define SF_MODEL_MOVERS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "model/motion.h"
#include "model/network.h"
#include "model/traffic.h"

typedef enum sf_mover_state {
    SF_MOVER_IDLE,    /* standing at a node, no trip */
    SF_MOVER_MOVING,  /* on a trip, in motion */
    SF_MOVER_WAITING, /* on a trip, stopped at a node, waiting for a segment */
    SF_MOVER_HALTED,  /* on a trip, halted (sf_movers_halt): braking to a stop, or standing, until let go */
} sf_mover_state;

/* Why a mover is halted: reasons nest, the mover goes on when none is left. */
enum {
    SF_HALT_FAILURE = 1u << 0, /* the agent broke down and waits for its repair */
    SF_HALT_SAFETY = 1u << 1,  /* protective stop: a person in its protective field in a shared zone (stop_for_people) */
};

typedef struct sf_mover_spec {
    double vmax_empty, vmax_loaded; /* m/s */
    double accel, decel;            /* m/s^2 */
    bool person;                    /* a person: vehicles slow in shared zones while one is inside */
    /*
     * A mobile robot's collaboration mode (0 = none): in a shared zone
     * (sf_movers_share_zone) it runs at most `shared_speed` while a
     * person is inside (speed and separation monitoring), and at most
     * `collab_speed` at all times (power and force limiting).
     */
    double shared_speed, collab_speed;
    /*
     * Protective stop (ssm): the mover halts (SF_HALT_SAFETY) when a
     * person on a segment that crosses a shared zone enters its protective
     * field (below), and stays halted while one is within the field of its
     * top speed ahead of it. See sf_movers_halt for what halting does.
     */
    bool stop_for_people;
    /*
     * Vehicles (not people): the protective field, the stretch of the
     * route ahead of length v field_response + v^2 / (2 decel) +
     * field_clearance at speed v (fields.c). An ssm robot brakes when a
     * person enters it; every vehicle counts the people who do
     * (sf_movers_encounters).
     */
    double field_response, field_clearance; /* s, m */
} sf_mover_spec;

typedef struct sf_movers sf_movers;

/*
 * What to do when a mover's wait closes a deadlock. REPORT: tell the
 * deadlock hook (the model usually stops the run with a report). REROUTE:
 * the mover that closed it looks for another way that avoids the segment
 * it waits for (backing out over the segment it stands on if that is the
 * only way) and goes; when there is none, or when it has already tried
 * three times at this instant or four times on this trip (it would only
 * shuttle back and forth), the deadlock is reported.
 */
typedef enum sf_deadlock_policy { SF_DEADLOCK_REPORT, SF_DEADLOCK_REROUTE } sf_deadlock_policy;

typedef struct sf_movers_hooks {
    /* A trip ended: status SF_OK on arrival. */
    void (*arrived)(void *ctx, uint32_t mover, sf_time now);
    /* The mover changed state (for statistics and power states). */
    void (*state)(void *ctx, uint32_t mover, sf_mover_state state, sf_time now);
    /* These movers can never move again; `n` of them, listed in `who`. */
    void (*deadlock)(void *ctx, const uint32_t *who, int n, sf_time now);
    /* A mover entered (inside = true) or left a zone. */
    void (*zone)(void *ctx, uint32_t mover, uint32_t zone, bool inside, sf_time now);
    /*
     * A mover that stops for people (spec.stop_for_people) was halted
     * (stopped = true) or let go by the protective stop rule. The state
     * hook tells the halt itself; this one is for counting stops.
     */
    void (*protect)(void *ctx, uint32_t mover, bool stopped, sf_time now);
    void *ctx;
} sf_movers_hooks;

/*
 * `n` movers on `net`, driven by kernel `k` (two event kinds are
 * registered). The network must not change afterwards. NULL on failure.
 */
sf_movers *sf_movers_new(sf_kernel *k, sf_network *net, uint32_t n, int lookahead, sf_movers_hooks hooks);
void sf_movers_free(sf_movers *ms);

/* Put an idle mover at `node` with its kinematics. SF_EINVAL for bad values or a mover on a trip. */
int sf_movers_place(sf_movers *ms, uint32_t mover, uint32_t node, const sf_mover_spec *spec);

/*
 * Start a trip to `node`, loaded or empty. SF_ENOTFOUND when the node
 * cannot be reached, SF_EINVAL when the mover is already on a trip.
 * `arrived` is called from a kernel event, never from inside this call.
 */
int sf_movers_move_to(sf_movers *ms, uint32_t mover, uint32_t node, bool loaded);

void sf_movers_set_deadlock_policy(sf_movers *ms, sf_deadlock_policy policy);

/*
 * Corridors: a chain of segments with no junction between its ends (every
 * node inside has exactly two segments) is reserved whole or not at all,
 * so movers never wait, nor hold a segment while waiting, inside it: two
 * movers meeting head-on on a single lane take turns instead of locking.
 * Off by default: in layouts of long one-way aisles, reserving segment by
 * segment keeps more vehicles moving (see bench_movers).
 */
void sf_movers_set_corridors(sf_movers *ms, bool on);
/* Detours taken to resolve deadlocks so far. */
uint64_t sf_movers_reroutes(const sf_movers *ms);

/*
 * Halt a mover for `reason` (SF_HALT_*), or take that reason back (halt =
 * false). Reasons nest: the mover is halted while any is left.
 *
 * Halting a moving mover replans it to brake at its `decel` from its
 * exact speed now, to a stop v^2 / (2 decel) metres on (mid-segment if
 * need be); it passes the nodes on that stretch as usual and keeps every
 * segment it holds. Halted, it stays put: no node events, no arrival, no
 * new reservations. A halted mover waiting at a node keeps its place in
 * line and, when granted, holds the segment but does not start. A halted
 * idle mover that is sent on a trip does not start either.
 *
 * When the last reason goes, a mover still braking replans from its exact
 * position and speed; one at rest starts from rest at that exact point
 * (or goes on waiting in line) and the trip goes on. The state hook is
 * told SF_MOVER_HALTED at the halt (braking included) and told again
 * whenever the reasons change while it stays halted. SF_EINVAL for an
 * unplaced mover or no reason.
 */
int sf_movers_halt(sf_movers *ms, uint32_t mover, unsigned reason, bool halt);
/* The reasons a mover is halted for now (SF_HALT_* bits, 0 when it is not). */
unsigned sf_movers_halted(const sf_movers *ms, uint32_t mover);

/*
 * Vehicle-pedestrian encounters of mover `id` (a vehicle) counted from
 * `from` (the warm-up; before the first trip): people who entered its
 * protective field, and the person-seconds spent inside it up to `now`.
 */
void sf_movers_measure_from(sf_movers *ms, sf_time from);
void sf_movers_encounters(sf_movers *ms, uint32_t id, sf_time now, uint64_t *count, double *seconds);

/*
 * A mover's own top speeds from now (m/s, > 0): one in motion replans
 * from where it is, as for a new cap. SF_EINVAL for a bad mover or speed.
 */
int sf_movers_set_speed(sf_movers *ms, uint32_t mover, double vmax_empty, double vmax_loaded);

/* Cap the speed on a segment, INFINITY to lift it; movers affected replan from where they are. */
int sf_movers_set_cap(sf_movers *ms, uint32_t seg, double cap);

/*
 * A zone: a polygon of n corners xy[0..2n). While at least one person is
 * inside, vehicles on every segment that crosses the zone are capped at
 * `vehicle_speed` m/s (INFINITY: the zone only counts who is inside).
 * Zones must be added before the first trip. Entry and exit times come
 * from the geometry of each planned motion: one kernel event per
 * crossing, none in between. Returns the zone id or a negative error
 * (SF_EINVAL for fewer than 3 or more than SF_POLYGON_MAX corners).
 */
int sf_movers_add_zone(sf_movers *ms, const double *xy, size_t n, double vehicle_speed);
/*
 * Mark a zone as shared by people and robots (collaborative): movers with
 * a shared_speed or collab_speed obey it on the segments that cross it.
 * Before the first trip. SF_EINVAL for an unknown zone.
 */
int sf_movers_share_zone(sf_movers *ms, uint32_t zone);
/* People inside a zone now, and whether a mover is inside it. */
int sf_movers_zone_people(const sf_movers *ms, uint32_t zone);
bool sf_movers_in_zone(const sf_movers *ms, uint32_t mover, uint32_t zone);

/*
 * Watchers: told each time a mover's motion is planned afresh (a trip
 * starts, a reservation ahead is extended, a speed cap changes) and each
 * time it comes to rest (waiting at a node, arrived). Between two calls
 * the mover follows its current motion exactly, so a watcher can compute
 * ahead of time when the mover will be where (collaboration safety uses
 * this). At most SF_MOVERS_WATCHERS; SF_ELIMIT when full.
 */
#define SF_MOVERS_WATCHERS 4
typedef void (*sf_movers_watch_fn)(void *ctx, uint32_t mover, sf_time now);
int sf_movers_watch(sf_movers *ms, sf_movers_watch_fn fn, void *ctx);
/* Stop telling (fn, ctx); nothing when it is not watching. */
void sf_movers_unwatch(sf_movers *ms, sf_movers_watch_fn fn, void *ctx);

/* The current motion while the mover is moving (or braking to a halt), NULL when it stands. Owned by the movers. */
const sf_motion *sf_movers_motion(const sf_movers *ms, uint32_t mover);

/*
 * Leg `leg` of the current motion as a straight line: the mover is at
 * (line[0], line[1]) + (line[2] - line[0], line[3] - line[1]) * (s - s_from) / len
 * when it has travelled s metres along the motion (s between the leg's
 * bounds in motion->leg_start_s). `s_from` may be negative on the first
 * leg (the motion started part way along it).
 */
void sf_movers_leg_line(const sf_movers *ms, uint32_t mover, uint32_t leg, double line[4], double *s_from,
                        double *len);

sf_mover_state sf_movers_state(const sf_movers *ms, uint32_t mover);
/* The node the mover stands at, or the last node it passed. */
uint32_t sf_movers_node(const sf_movers *ms, uint32_t mover);
/* Exact position (metres) and speed at time `t` (>= the last event of this mover). */
void sf_movers_position(const sf_movers *ms, uint32_t mover, sf_time t, double *x, double *y, double *speed);
/* Where a mover stands, or comes to rest once its motion ends (a halted one braking): `into` metres along the
 * segment from node `from` to node `to` (`length` long); at a node, from == to and into == 0. */
typedef struct sf_mover_spot {
    uint32_t from, to;
    double into, length;
} sf_mover_spot;
sf_mover_spot sf_movers_rest_spot(const sf_movers *ms, uint32_t mover);

/* Distance travelled so far, metres, and trips completed. */
double sf_movers_distance(const sf_movers *ms, uint32_t mover, sf_time t);
sf_traffic *sf_movers_traffic(sf_movers *ms);

#endif
