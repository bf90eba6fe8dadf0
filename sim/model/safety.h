/*
 * safety.h: collaboration safety between people and robots.
 *
 * Each robot arm, and each humanoid while it works at a station, has a
 * mode from the scenario's safety rule for its fleet entry (a robot
 * without a rule is fenced):
 *
 *   fenced  behind a guard. A person who must enter the robot's zone
 *           while it works waits outside (state wait_robot) until its
 *           operation ends; the robot never slows.
 *   ssm     speed and separation monitoring (ISO/TS 15066 5.5.4): while
 *           a person is within the slow distance the robot runs at its
 *           reduced speed (state reduced_speed); within the stop distance
 *           it stops (protective stop, state safety_stop, rate 0); it
 *           goes back up resume_delay after the person has left the band.
 *   pfl     power and force limiting (5.5.5): always at its collaborative
 *           speed while it works, never stopped for people.
 *
 * An intervention can switch a robot's mode during a run, with the
 * parameters of its rule (sf_safety_set_mode, sf_safety_can_switch): the
 * new mode's bands and rate apply from the switch, and the statistics
 * count in the mode the robot was in (sf_safety_stats.by_mode).
 *
 * A camera with a position sees only its sector (range, heading, field
 * of view) of its zones, and a person it detects is seen `latency` after
 * entering it (cameras.h); a person it does not see does not slow or stop
 * the robots it watches, and counts in the time uncovered.
 *
 * A camera with `mtbf` and `mttr` fails and is repaired (streams
 * "camera.failure.NAME" and "camera.repair.NAME"); while every camera
 * that watches a robot's station is down, the robot runs fenced, and back
 * under its rule at the repair (its bands re-placed, everyone's band
 * settled again).
 *
 * A robot whose station node lies in no collaborative zone watched by a
 * camera runs fenced whatever its rule says: without sensing there is no
 * sharing of space. The scenario loader refuses such a robot unless its
 * rule says `fallback: fenced` (then it warns), so the fallback is never
 * silent; sf_safety_report prints the rule beside the mode in force. A humanoid's bands are placed where it stands when it
 * starts working (and the camera rule is applied there); they are lifted
 * when it stops. Humanoids and vehicles on the move are not monitored here
 * (zones with a speed limit slow vehicles while a person is inside; mobile
 * robots under ssm slow and stop for people in the movers, movers.h).
 *
 * Distances are separations: from a person to the edge of the robot's
 * reach (a disc of radius `reach` around its station's node). People are
 * workers (humanoids are robots). Their motion comes from the movers: at
 * each new motion plan this module computes, from the geometry of the
 * legs (segment against circle) and the motion profile (its inverse),
 * when the person will next cross a band's edge, and schedules one
 * kernel event for that instant; nothing is sampled. Standing people
 * count where they stand.
 *
 * The rate of a robot's work is its speed over the speed its cycle times
 * hold for (robot_speed, 1 m/s for arms unless the rule says): reduced
 * rate = reduced_speed / robot_speed; 0 in a protective stop. A humanoid's
 * robot_speed defaults to its walking speed.
 *
 * Wiring (sim/model/world.c):
 *   - build after the movers: sf_safety_new(k, movers, cfg, agents, n,
 *     hooks, err, errlen), one sf_safety_agent per world agent (kind,
 *     fleet type, mover id, arms' base position); it registers itself as
 *     a movers watcher;
 *   - hooks.rate(robot, rate): set the robot's running operation to
 *     `rate` (sf_work_set_rate, reschedule its completion); called on
 *     every change, working or not;
 *   - hooks.state(agent, state): forward to sf_world_emit_state (robots:
 *     reduced_speed / safety_stop / working while working; people:
 *     wait_robot);
 *   - hooks.event: forward to sf_world_emit_safety;
 *   - hooks.admit(person, robot): a person held outside a fenced robot
 *     may go in now (continue the person's activity);
 *   - when a robot starts an operation: rate = sf_safety_working(s, robot,
 *     true, partners, n) (partners: the people in its crew), start its
 *     sf_work at that rate; when the operation ends (or fails):
 *     sf_safety_working(s, robot, false, NULL, 0);
 *   - before a person walks into a robot's zone (its station):
 *     if (!sf_safety_enter(s, person, robot)) wait for hooks.admit;
 *     when the person leaves the station: sf_safety_leave(s, person, robot).
 *
 * The safety object is the caller's: sf_safety_free. It keeps pointers to
 * the kernel, movers and config, which must outlive it.
 */
#ifndef SF_MODEL_SAFETY_H
#define SF_MODEL_SAFETY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/kernel.h"
#include "model/movers.h"
#include "model/observe.h"
#include "model/config.h"

#define SF_SAFETY_NONE UINT32_MAX

/* What the module needs to know of each agent of the world, by agent id. */
typedef struct sf_safety_agent {
    sf_agent_kind kind;
    int type;        /* index into the config's fleet */
    uint32_t mover;  /* mover id of a mobile agent, SF_SAFETY_NONE for arms */
    double x, y;     /* arms: the node of their station, metres (humanoids: where they work, read then) */
} sf_safety_agent;

typedef struct sf_safety_hooks {
    void (*rate)(void *ctx, uint32_t robot, double rate, sf_time now);
    void (*state)(void *ctx, uint32_t agent, sf_state s, sf_time now);
    void (*event)(void *ctx, const sf_safety_event *ev);
    void (*admit)(void *ctx, uint32_t person, uint32_t robot, sf_time now);
    void *ctx;
} sf_safety_hooks;

/* What happened at one robot while it worked in one mode in force (sf_safety_stats.by_mode). */
typedef struct sf_safety_mode_stats {
    sf_time working, reduced, stopped; /* as the robot's totals, for the time in this mode */
    double lost;                       /* s */
    uint64_t violations;               /* episodes begun in this mode */
    sf_time violation_time;            /* their time in this mode (an episode across a switch is split at it) */
} sf_safety_mode_stats;

/* What happened at one robot so far (sf_safety_robot_stats). */
typedef struct sf_safety_stats {
    sf_safety_mode mode;     /* in force (after the camera rule) */
    sf_safety_mode rule;     /* as the scenario's rule says (fenced without a rule) */
    bool monitored;          /* an arm or humanoid this module watches (false: zeros) */
    uint64_t stops;          /* protective stops while working */
    uint64_t near_misses;    /* a person (not a crew partner) came within the stop distance while it worked */
    sf_time working;         /* time working */
    sf_time reduced;         /* time working at reduced speed */
    sf_time stopped;         /* time in a protective stop while working */
    double lost;             /* s: working time the safety rate cost, the integral of (1 - work rate): the rate
                                at its speed of its operation, whose motion share alone slows (sf_safety_work_rate) */
    double min_separation;   /* m: closest approach of a person (not a crew partner) while it worked and moved
                                (not in a protective stop); INFINITY */
    /* separation violations since the warm-up: a person (not a crew partner) nearer than the protective
       separation distance at the speed the robot runs at, while it works and moves (ssm), or inside its
       reach while it works (fenced); pfl has none (contact within its limits is its design) */
    uint64_t violations;     /* episodes begun */
    sf_time violation_time;  /* their total time */
    sf_time outage_fenced;   /* since the warm-up: time it ran fenced, under an ssm or pfl rule, because the
                                cameras that watch its station were all down */
    uint64_t waits;          /* fenced: people held outside */
    sf_time waited;          /* fenced: their total waiting */
    /* by the mode in force (indexed by sf_safety_mode): the working, slowed and stopped time, the work lost and
       the violations, each counted in the mode the robot was in; they add up to the totals above */
    sf_safety_mode_stats by_mode[3];
    bool switched;           /* an intervention set its mode (sf_safety_set_mode) */
} sf_safety_stats;

typedef struct sf_safety sf_safety;

/*
 * Build the safety monitor for `n` agents (agent ids 0..n-1, the world's).
 * NULL on failure with a message in err (out of memory, no watcher slot).
 */
sf_safety *sf_safety_new(sf_kernel *k, sf_movers *ms, const sf_scenario_config *cfg, const sf_safety_agent *agents,
                         uint32_t n, sf_safety_hooks hooks, char *err, size_t errlen);
void sf_safety_free(sf_safety *s);

/*
 * A robot starts (working = true) or ends its operation. `partners` are
 * the people working with it (its crew): they count as near (reduced
 * speed under ssm) but never stop it, and are not near misses. Returns the
 * rate to run at from now (1 for agents that are not robots).
 */
double sf_safety_working(sf_safety *s, uint32_t robot, bool working, const uint32_t *partners, size_t npartners);

/*
 * The operation robot `robot` starts next has `fixed_share` of its cycle
 * that is not robot motion (1 - motion_share): its `lost` counts the
 * operation's work rate (sf_safety_work_rate), not its speed. Call before
 * sf_safety_working; 0 (all motion) until called. Nothing for an agent
 * that is not a robot.
 */
void sf_safety_motion_share(sf_safety *s, uint32_t robot, double fixed_share);

/* The robot's rate now. */
double sf_safety_rate(const sf_safety *s, uint32_t robot);

/*
 * A person asks to enter a robot's zone. True: go now. False (a fenced
 * robot at work): the person is in state wait_robot and hooks.admit is
 * called when the robot's operation ends. sf_safety_leave ends the stay
 * (or the wait).
 */
bool sf_safety_enter(sf_safety *s, uint32_t person, uint32_t robot);
void sf_safety_leave(sf_safety *s, uint32_t person, uint32_t robot);

/*
 * A robot fails (down) or is repaired. A failed robot stands still: people
 * near it (its repairers) are no separation violation and do not count in
 * its closest approaches.
 */
void sf_safety_down(sf_safety *s, uint32_t robot, bool down);

/*
 * Statistics of a robot up to `now` (an agent that is not a robot gives
 * zeros). `now` is the kernel's time, or the end of a run: no event
 * before it may run afterwards.
 */
sf_safety_stats sf_safety_robot_stats(sf_safety *s, uint32_t robot, sf_time now);

/*
 * A table of every robot's figures up to `now` (as sf_safety_robot_stats),
 * one line each, named by name(ctx, agent): the mode in force and the
 * rule's mode (they differ where a rule with `fallback: fenced` met no
 * camera), working hours, share
 * of it at reduced speed and stopped, protective stops, near misses,
 * minimum separation (m, "-" when nobody came near), work lost to safety
 * (share of the working time: the throughput the robot gave up while it
 * was the one working), people held outside and their waiting hours.
 * Nothing when there are no robots. SF_EIO on a write error.
 */
int sf_safety_report(sf_safety *s, FILE *out, sf_time now, const char *(*name)(void *ctx, uint32_t agent),
                     void *ctx);

/*
 * Hold camera `camera` (an index into cfg->safety.cameras) down, or release
 * one hold, by an intervention: the robots take the modes the cameras up
 * now allow, as after a failure. SF_OK (nothing to do when s is NULL, the
 * run without safety rules), SF_EINVAL as sf_cameras_hold.
 */
int sf_safety_camera_hold(sf_safety *s, uint32_t camera, bool down);
/*
 * Fence arm `agent` (on) or lift one fence, by an intervention: while any
 * is held it runs fenced whatever its rule and the cameras (people wait
 * outside while it works); the time does not count as a camera outage.
 * Fences nest. `put_on` is when the fence was put on (a lift: when the
 * fence it lifts was): a switch (sf_safety_set_mode) overrides the fences
 * put on before it, so lifting one of those changes nothing. SF_OK
 * (nothing when s is NULL), SF_EINVAL for an agent that is not a
 * monitored arm or a lift without a fence.
 */
int sf_safety_fence(sf_safety *s, uint32_t agent, bool on, sf_time put_on);
/*
 * Switch robot `agent` to `mode` (on) by an intervention, from now, or end
 * that switch (off: back to the mode it had before it, when it is still in
 * `mode`; else nothing, a later switch stands). The later of a switch and a
 * fence held (sf_safety_fence) wins. The new mode's physics apply from the
 * switch: bands placed again and everyone's band settled, the level the
 * people call for at once (no resume delay: the switch is not a person
 * leaving), so an operation in progress goes on at the new rate for its
 * remaining work (hooks.rate). The cameras' rule still applies (ssm or pfl
 * where every camera over it is down runs fenced). The parameters are the
 * rule's (sf_safety_can_switch). SF_OK (nothing when s is NULL), SF_EINVAL
 * for an agent that is not a monitored robot or a mode it cannot take.
 */
int sf_safety_set_mode(sf_safety *s, uint32_t agent, sf_safety_mode mode, bool on);
/*
 * Whether fleet entry `type` (an arm, or a humanoid) can be switched to
 * `mode` during a run with the parameters its safety rule gives: fenced
 * always; ssm with an ssm rule (its distances, speeds, resume delay and
 * partner work); pfl for an arm with an ssm or pfl rule (its collaborative
 * speed: max_speed, or an ssm rule's reduced_speed), never a humanoid.
 */
bool sf_safety_can_switch(const sf_scenario_config *cfg, int type, sf_safety_mode mode);
/*
 * A camera's passes (entries of a person into its zones) and the passes
 * it missed, since the warm-up; zeros for a camera that always detects
 * (detection 1: its passes are not followed).
 */
void sf_safety_camera_stats(const sf_safety *s, size_t camera, uint64_t *passes, uint64_t *missed);
/*
 * Time uncovered up to `now`, since the warm-up (docs/safety.md): the
 * person-time during which a person was in a collaborative zone with a
 * working robot whose ssm or pfl rule relies on cameras, and unseen by
 * every camera up over that robot (a missed pass, a latency, outside the
 * sectors, the cameras down); for camera `camera` (an index into
 * cfg->safety.cameras), unseen by that camera in its zones near such a
 * robot it watches; for the plant with camera SIZE_MAX. 0 when s is NULL,
 * and whenever no camera misses, waits, has a sector or fails.
 */
sf_time sf_safety_time_uncovered(const sf_safety *s, size_t camera, sf_time now);

/*
 * The mode in force for a robot, and its band radii measured from its
 * base: reach + slow distance, reach + stop distance (0 when not ssm).
 */
sf_safety_mode sf_safety_mode_of(const sf_safety *s, uint32_t robot, double *slow_radius, double *stop_radius);

/*
 * The rate of an operation whose robot runs at `speed_ratio` of the speed
 * its cycle times hold for, when `fixed_share` of the cycle is not robot
 * motion (1 - motion_share): only the motion slows, so the operation
 * takes (fixed + (1 - fixed) / q) times as long and the rate is
 * 1 / (fixed + (1 - fixed) / q); 0 when q is 0 (a protective stop halts
 * the cycle), q itself when all of the cycle is motion (fixed = 0).
 * Example: motion_share 0.4 at 0.25 of full speed: 1 / (0.6 + 0.4 x 4).
 */
double sf_safety_work_rate(double speed_ratio, double fixed_share);

/*
 * The collaborative speed of agent type `type` as a share of the speed its
 * cycle times hold for: reduced_speed (ssm) or max_speed (pfl) over
 * robot_speed (the type's speed, 1 m/s unless given), at most 1; 1 for a
 * type without a rule, or fenced.
 */
double sf_safety_collaborative_ratio(const sf_scenario_config *cfg, int type);

/*
 * True when (x, y) lies in a collaborative zone that one of the
 * scenario's cameras watches: where a robot may share space with people.
 */
bool sf_safety_watched(const sf_scenario_config *cfg, double x, double y);

/*
 * Camera c (an index into cfg->safety.cameras) watches a collaborative
 * zone that holds (x, y), and (x, y) lies in what it sees: its sector
 * (sf_safety_camera_sector).
 */
bool sf_safety_camera_contains(const sf_scenario_config *cfg, size_t c, double x, double y);
/* (x, y) lies in a collaborative zone of camera c, whether it sees there or not. */
bool sf_safety_camera_in_zones(const sf_scenario_config *cfg, size_t c, double x, double y);
/*
 * (x, y) lies in the camera's sector: within `range` of its position and
 * at most fov / 2 off its heading (the boundary included). A camera
 * without a position sees everywhere (its zones bound what it watches).
 */
bool sf_safety_camera_sector(const sf_cfg_camera *cam, double x, double y);
/*
 * The share of zone z that the camera's sector covers, sampled: the
 * centres of a 200 x 200 grid over the zone's bounding box that lie in the
 * polygon, and of those the share in the sector (1 without a position).
 */
double sf_safety_camera_share(const sf_cfg_camera *cam, const sf_cfg_zone *z);

/*
 * The guards of the plant, as obstacles for people in the path network
 * (network.h): a guarded arm (fenced by its rule, or by no rule, or a
 * collaborative rule with `fallback: fenced` where no camera watches its
 * station) fences its working area, the disc of radius `reach` around its
 * station's node: every segment that passes nearer than `reach` to that
 * node is fenced, except the segments that end at the node (the station's
 * own access, which its crew walk to wait at the guard), and the node is
 * fenced (reached or left, never passed through). A robots_only zone
 * fences every segment with a stretch inside its polygon. Humanoids'
 * stations are not fenced (a walking machine has no fixed cell). Marks
 * seg_fenced[cfg segments] and node_fenced[cfg nodes] (the caller zeroes
 * them) and returns how many it marked.
 */
size_t sf_safety_fences(const sf_scenario_config *cfg, bool *seg_fenced, bool *node_fenced);

/*
 * ISO/TS 15066 protective separation distance (formula 1, constant
 * speeds):
 *   S_p = v_h (T_r + T_s) + v_r T_r + S_s + C + Z_d + Z_r
 * with v_h the person's speed, v_r the robot's, T_r its reaction time,
 * T_s its stopping time, S_s its stopping distance (v_r T_s / 2 when
 * rule->stopping_distance < 0: constant deceleration), C the intrusion
 * distance and Z_d, Z_r the position uncertainties. Metres.
 */
double sf_safety_separation(const sf_cfg_safety_rule *rule, double robot_speed);

/*
 * The intrusion distance C of ISO 13855:2010 (metres) for a detection
 * type: area (a field parallel to the approach at height `height`, 6.3):
 * C = 1.2 m - 0.4 H, not below 0.85 m; body (a field across the approach
 * that detects an arm or a body, detection capability above 40 mm, 6.2):
 * C = 0.85 m; hand (capability d up to 40 mm, 6.2): C = 8 (d - 14 mm),
 * not below 0.
 */
double sf_safety_iso13855_intrusion(sf_detection type, double capability, double height);

/*
 * The slow and stop distances a rule gives (m): as written, or computed
 * when 0: slow = S_p at the robot's full speed, stop = S_p at its reduced
 * speed. `robot_speed` is the full speed.
 */
void sf_safety_distances(const sf_cfg_safety_rule *rule, double robot_speed, double *slow, double *stop);

/*
 * The first distance s > after along `motion` (legs given as straight
 * lines: line[4 j..4 j + 3] from (x0, y0) to (x1, y1), s_from[j] the
 * distance along the motion at (x0, y0), len[j] the leg's length) where
 * the path crosses the circle of radius r around (cx, cy); INFINITY when
 * none. The time is sf_motion_time_at(motion, s).
 */
double sf_safety_next_crossing(const sf_motion *motion, const double *line, const double *s_from, const double *len,
                               double cx, double cy, double r, double after);

#endif
