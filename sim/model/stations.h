/*
 * stations.h: production: stations with buffers, jobs following their
 * product's routing, setup, processing, scrap, rework, and moves by
 * carrier; what a failure (model/failures.h) does to the work in hand.
 *
 * What is mechanical lives here; what is a decision (which crew, when a
 * station asks for its next job) is the caller's (Lua, through the
 * world). A station has `capacity` slots. Each slot goes through three
 * blocking steps per operation, each a call that either finishes at once
 * or later through the `done` hook:
 *
 *   take     the first job of the station's input buffer (starved while
 *            there is none)
 *   work     setup (when the product differs from the station's last
 *            one), then processing with the crew given; a failure stops
 *            the clock of every running slot, which resumes (or restarts,
 *            as the failure says) after repair. Scrap and rework are drawn
 *            at the end: a scrapped unit leaves the plant, a reworked one
 *            is processed again at once.
 *   unload   the unit goes on: to a station of the next operation's group
 *            that has room (a slot waiting in `take`, or a free place in
 *            its input buffer), else into this station's output buffer,
 *            else the slot holds it and the station is blocked until
 *            there is room downstream. After the last operation the unit
 *            is complete. A product with a `transport` waits for its
 *            carrier instead (moves, below).
 *
 * Jobs released by the demand enter the first operation's group the same
 * way; those that find no room wait in front of it (unbounded), in order
 * of release. Units waiting to enter a group are served first come,
 * first served, wherever they wait.
 *
 * Station state, emitted on every change: failed, else working (a slot
 * processes), setup, blocked (a slot holds a finished unit), wait_person
 * or wait_robot (a slot holds a job and waits for its crew; person when
 * the crew needs a worker), else starved. Power: power_busy while
 * working, power_setup in setup, power_idle otherwise (failed included).
 *
 * Exact times: processing, setup and retries are sampled in seconds and
 * converted to nanoseconds once, and each phase runs as an sf_work
 * (model/work.h) at its crew's rate: a failure sets the rate to 0, so a
 * resumed operation ends exactly `repair` later than it would have, and
 * a robot slowed by safety stretches it exactly.
 *
 * Random streams: "process.<station>", "setup.<station>",
 * "quality.<station>" (scrap, rework), "retry.<agent type>".
 *
 * Owners: stations own the flow (jobs, buffers, slots, moves) and each
 * station's state and meter. Whether a station or an agent is down, and
 * every failure clock, is model/failures.h's; an agent's rate, busy flag
 * and fatigue are model/agents.h's (stations set them for crews).
 *
 * Ownership: sf_stations_new pairs with sf_stations_free; the config,
 * the kernel, the agents and the failures must outlive the stations.
 */
#ifndef SF_MODEL_STATIONS_H
#define SF_MODEL_STATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "core/rng.h"
#include "model/agents.h"
#include "model/energy.h"
#include "model/failures.h"
#include "model/observe.h"
#include "model/config.h"
#include "model/skills.h"

typedef struct sf_stations sf_stations;

/* What a finished step was, for the `done` hook. */
typedef enum sf_step {
    SF_STEP_TAKE, SF_STEP_WORK, SF_STEP_UNLOAD, /* a slot's steps */
    SF_STEP_REPAIR,                             /* a repair with a crew (see sf_failures_next_repair) */
    SF_STEP_MOVE,                               /* a move waits for its carrier (see sf_stations_next_move) */
    SF_STEP_AGENT_UP,                           /* the world's own: an agent is back from its repairs */
} sf_step;

/* How a `work` step ended. */
typedef enum sf_work_result { SF_WORK_GOOD, SF_WORK_SCRAPPED } sf_work_result;

typedef struct sf_stations_hooks {
    /* A step that did not finish at once has finished now. */
    void (*done)(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now);
    /* The crew of an operation starts (true) or stops (false) working: its clock runs or stops.
       `fixed_share`: the operation's part that is not robot motion (1 - motion_share). */
    void (*crew)(void *ctx, const uint32_t *agents, uint32_t n, bool working, double fixed_share);
    /* Observers: a station's state, its grid draw, a job event. */
    void (*state)(void *ctx, uint32_t station, sf_state s);
    void (*power)(void *ctx, uint32_t station, sf_power_state s, double watts);
    void (*job)(void *ctx, const sf_job_event *ev);
    /* A move is now waiting for whoever asked sf_stations_next_move. */
    void (*move)(void *ctx);
    void *ctx;
} sf_stations_hooks;

/* A job as the caller sees it. */
typedef struct sf_job_info {
    uint64_t number;   /* from 1, in order of release */
    int product;
    int op;            /* index in the routing of the operation it is at */
    sf_time released, due;
} sf_job_info;

/* Counts since time 0: released = completed + scrapped + in_progress at all times. */
typedef struct sf_job_counts {
    uint64_t released, completed, scrapped, in_progress, reworked;
} sf_job_counts;

/*
 * Stations of cfg->layout, random streams seeded from `seed`.
 * `agent_kind` and `agent_type` give each agent id's kind and fleet entry,
 * `agents` their rates, busy flags and fatigue (for crews; all may be
 * NULL when no crew is ever given). Registers the event kind
 * "station.phase". NULL when out of memory.
 */
sf_stations *sf_stations_new(sf_kernel *k, const sf_scenario_config *cfg, uint64_t seed, sf_stations_hooks hooks,
                             const sf_agent_kind *agent_kind, const int *agent_type, uint32_t nagents,
                             sf_agents *agents);
/*
 * Stations and crews stop while down and go on after (model/failures.h):
 * subscribes to `f` (before anyone else, so the work in hand has stopped
 * when the world hears of a failure). Without it nothing fails.
 * SF_ELIMIT when `f` has no room for a subscriber.
 */
int sf_stations_attach_failures(sf_stations *s, sf_failures *f);
void sf_stations_free(sf_stations *s);
/* Draw every random stream from `seed` instead, the failures' too; only before the first job is released. */
void sf_stations_reseed(sf_stations *s, uint64_t seed);

uint32_t sf_stations_count(const sf_stations *s);
uint32_t sf_stations_slots(const sf_stations *s, uint32_t station);
/* The station named `name`, or UINT32_MAX. */
uint32_t sf_stations_find(const sf_stations *s, const char *name);

/*
 * A job of `product` enters the plant now, due at `due` (0 = none). A
 * product without a routing is a stored good: the job stays in the
 * plant until sf_stations_complete. SF_OK and its number, or SF_EINVAL.
 */
int sf_stations_release(sf_stations *s, int product, sf_time due, uint64_t *number);
/*
 * The same for an order line of a stored good: the job is a pallet to
 * ship (SF_FLOW_SHIPPED), where sf_stations_release makes it a pallet to
 * store (SF_FLOW_STORED). SF_EINVAL for a product with a routing.
 */
int sf_stations_release_order(sf_stations *s, int product, sf_time due, uint64_t *number);
/* A job of a product without a routing has left the plant. SF_EINVAL when it is not such a job. */
int sf_stations_complete(sf_stations *s, uint64_t number);

/*
 * The steps (see above). Each returns 1 when done at once, 0 when the
 * `done` hook will say so later, or SF_EINVAL when the slot is not in the
 * state for it (take needs a free slot, work a slot holding a job, unload
 * a slot with a good processed unit). `crew` lists the agents doing the
 * operation (they are told to work while the clock runs).
 */
int sf_stations_take(sf_stations *s, uint32_t station, uint32_t slot);
/* Take the job `number` from the station's input buffer (1 at once), SF_EINVAL when it is not there; 0 = the first. */
int sf_stations_take_job(sf_stations *s, uint32_t station, uint32_t slot, uint64_t number);
/* The jobs in the station's input buffer, in order of arrival: up to `max` into out; returns how many there are. */
uint32_t sf_stations_input(const sf_stations *s, uint32_t station, sf_job_info *out, uint32_t max);
int sf_stations_work(sf_stations *s, uint32_t station, uint32_t slot, const uint32_t *crew, uint32_t ncrew);
int sf_stations_unload(sf_stations *s, uint32_t station, uint32_t slot);

/*
 * A person's part of an operation (docs/production.md, "Who programs and
 * rescues"): the robots of the crew not programmed for the job's variant
 * are programmed by a person with skill programming.by before the setup,
 * and a learning robot's rescue is done by a person with its rescue_by
 * after the processing. The work step (and sf_stations_follow) is then
 * done when the slot waits for that person: sf_stations_help gives the
 * part (SF_HELP_PROGRAM, SF_HELP_RESCUE; SF_HELP_NONE when the slot does
 * not wait for one) and its skill. sf_stations_assist has `helpers` do it
 * (done when their part is over: the programming's or rescue's time at
 * their rate, stopped by failures as the work is); the rest of the work
 * then goes on by itself, and sf_stations_follow waits for it (1 at once
 * when no work runs).
 */
enum { SF_HELP_NONE, SF_HELP_PROGRAM, SF_HELP_RESCUE };
int sf_stations_help(const sf_stations *s, uint32_t station, uint32_t slot, const char **skill);
int sf_stations_assist(sf_stations *s, uint32_t station, uint32_t slot, const uint32_t *helpers, uint32_t n);
int sf_stations_follow(sf_stations *s, uint32_t station, uint32_t slot);

/* The job a slot holds; false when none. */
bool sf_stations_slot_job(const sf_stations *s, uint32_t station, uint32_t slot, sf_job_info *out);
/* Is the slot waiting in `take` for a job? */
bool sf_stations_taking(const sf_stations *s, uint32_t station, uint32_t slot);
/* How the last `work` of a slot ended. */
sf_work_result sf_stations_result(const sf_stations *s, uint32_t station, uint32_t slot);

/*
 * Agent `agent` works at `rate` (0..1) from now on (collaboration safety
 * slows or stops a robot; the rate is model/agents.h's): every running
 * operation it is in goes at the slowest rate of its crew, its end
 * rescheduled exactly (model/work.h). While a crew member is down the
 * operation stands still (rate 0) and goes on after the repair (or
 * restarts its phase, per the failure's `after`); one it joins meanwhile
 * waits for the repair.
 */
void sf_stations_agent_rate(sf_stations *s, uint32_t agent, double rate);

/*
 * Moves by carrier, for products with a `transport`. When a unit of
 * such a product has a place to go (see `unload`; a job released with a
 * source dock goes from there to its first operation, and after its last
 * one a unit with a sink dock goes there), the place is reserved and the
 * move is booked: the unit stays where it is (in the output buffer, or
 * in its slot, the station blocked) until a carrier picks it up, and the
 * destination counts it as taken (a slot waiting for it stays starved).
 * The caller takes the oldest booked move (1, or 0: the `move` hook says
 * when one is waiting), has a carrier pick the unit up (it leaves its
 * place, which may let the station go on) and deliver it (into the
 * reserved place; at the sink dock the job is complete).
 */
typedef struct sf_move {
    uint64_t job;
    int product;
    uint32_t from, to;     /* station index, or UINT32_MAX: the product's source (from) or sink (to) dock */
} sf_move;
int sf_stations_next_move(sf_stations *s, sf_move *out);
/* SF_OK, or SF_EINVAL when job `number` is not booked and waiting for its carrier (pickup) or on its way (deliver). */
int sf_stations_pickup(sf_stations *s, uint64_t number);
int sf_stations_deliver(sf_stations *s, uint64_t number);

sf_state sf_stations_state(const sf_stations *s, uint32_t station);
/* Seconds the station has spent in state `st` up to `now`. */
double sf_stations_time_in(const sf_stations *s, uint32_t station, sf_state st, sf_time now);
/* Units in the input and output buffers now. */
uint32_t sf_stations_buffered(const sf_stations *s, uint32_t station, bool output);
/* Places of the input buffer reserved for units on their way here (booked moves). */
uint32_t sf_stations_incoming(const sf_stations *s, uint32_t station);
/* Operations ended (good or scrapped) so far. */
uint64_t sf_stations_ops(const sf_stations *s, uint32_t station);
sf_meter *sf_stations_meter(sf_stations *s, uint32_t station);

sf_job_counts sf_stations_counts(const sf_stations *s);
/* Robots that learn (model/skills.h), NULL when no fleet entry does; owned by the stations. */
const sf_skills *sf_stations_skills(const sf_stations *s);

/* Bring every meter and state clock up to `now`. */
void sf_stations_settle(sf_stations *s, sf_time now);

#endif
