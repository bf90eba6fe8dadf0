/*
 * world.h: the factory model built from a validated scenario config.
 *
 * The world owns the path network, the movers (every mobile agent), the
 * storage (all racks) and one power meter per agent, and drives them
 * from kernel events. Agents are indices; so are nodes. Behaviours (Lua,
 * in sim/script) decide what an agent does next; the world carries it
 * out as activities that end with one `done` hook call each:
 *
 *   move_to(node)   travel, with traffic control and exact motion
 *   pick(height)    forks up to `height`, engage the load, forks down
 *   drop(height)    the same, releasing the load
 *   pause(dt)       stand for dt at idle power (a behaviour's pause)
 *   charge(to, kw)  charge the battery to a fraction of its capacity at a
 *                   charger of `kw` (the lower of it and the agent's own
 *                   charge power), drawing from the grid
 *
 * Power states follow the activity: moving or moving loaded while in
 * motion, idle while standing or waiting for traffic, lifting during
 * pick and drop. Energy is integrated exactly at every transition.
 */
#ifndef SF_MODEL_WORLD_H
#define SF_MODEL_WORLD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/kernel.h"
#include "model/energy.h"
#include "model/movers.h"
#include "model/network.h"
#include "model/observe.h"
#include "model/safety.h"
#include "model/stations.h"
#include "model/packs.h"
#include "model/storage.h"
#include "model/config.h"

#define SF_NO_AGENT UINT32_MAX

typedef enum sf_activity {
    SF_ACT_NONE, SF_ACT_MOVE, SF_ACT_PICK, SF_ACT_DROP, SF_ACT_PAUSE, SF_ACT_CHARGE,
    SF_ACT_REST, /* off shift or on a break, until the calendar says otherwise */
    SF_ACT_SWAP  /* waiting for a full spare pack, then swapping the battery */
} sf_activity;

typedef struct sf_agent {
    char name[64];      /* "<type>.<n>", n from 1 */
    int type;           /* index into the config's fleet */
    sf_agent_kind kind;
    uint32_t mover;     /* mover id, or SF_NO_AGENT for arms */
    uint32_t home;      /* node, or UINT32_MAX */
    sf_meter meter;
    sf_activity activity;
    sf_state state;     /* what observers were last told */
    sf_state resume_state; /* the state a failure interrupted */
    sf_power_state resume_power; /* and its power state */
    sf_event_id timer;  /* end of a pick, drop or pause */
    sf_time until;      /* when that timer is due */
    sf_time left;       /* a pick, drop or charge suspended by a failure: the time it still needs */
    sf_time then;       /* a second phase after the timer: lowering and handling after a lift, a lead-acid cool-down */
    sf_power_state then_power; /* and its power state */
    bool loaded;
    double lift_speed, lift_height;
    sf_time handling;
    uint64_t trips, picks, drops;
    uint64_t flat_incidents;
    double charge_power; /* the agent's own charging power, while a charger limits it */
    uint32_t pack;       /* while swapping: the spare pack promised to it */
    uint64_t swaps;
    sf_event_id battery_ev;
    sf_time joins, leaves; /* with the plant from `joins`, gone from `leaves` (sf_world_presence) */
} sf_agent;

typedef struct sf_world_hooks {
    /* An activity of `agent` ended: SF_OK, or an error code (a lift too high for it). */
    void (*done)(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now);
    /* Agents that can never move again. */
    void (*deadlock)(void *ctx, const uint32_t *agents, int n, sf_time now);
    void *ctx;
} sf_world_hooks;

typedef struct sf_world sf_world;

/*
 * Build the world for `cfg` on kernel `k`. The config must outlive the
 * world. NULL on failure, with a message (file:line:col where the config
 * says where) in `err`.
 */
sf_world *sf_world_new(sf_kernel *k, const sf_scenario_config *cfg, sf_world_hooks hooks, char *err,
                       size_t errlen);
void sf_world_free(sf_world *w);

uint32_t sf_world_agent_count(const sf_world *w);
sf_agent *sf_world_agent(sf_world *w, uint32_t id);
/* The agent named `name` ("forklift.2"), or SF_NO_AGENT. */
uint32_t sf_world_find_agent(const sf_world *w, const char *name);

const sf_scenario_config *sf_world_config(const sf_world *w);
sf_network *sf_world_network(sf_world *w);
sf_movers *sf_world_movers(sf_world *w);
sf_storage *sf_world_storage(sf_world *w);

/*
 * The node of a named place: a node, or a dock, rack, charger, parking
 * place or station by its name. SF_ENOTFOUND otherwise.
 */
int sf_world_place(const sf_world *w, const char *name, uint32_t *node);

/*
 * Activities. Each returns SF_OK and later calls `done` once, from a
 * kernel event; or returns an error at once (SF_EINVAL when the agent is
 * busy or cannot do it, SF_ENOTFOUND for an unreachable node, SF_ERANGE
 * for a height above the agent's lift height) and calls nothing.
 */
int sf_world_move_to(sf_world *w, uint32_t agent, uint32_t node);
int sf_world_pick(sf_world *w, uint32_t agent, double height);
int sf_world_drop(sf_world *w, uint32_t agent, double height);
int sf_world_pause(sf_world *w, uint32_t agent, sf_time dt);
/*
 * Show an agent that stands between activities as `s`: SF_STATE_WORKING
 * (power working: a supervisor watching robots from a console),
 * SF_STATE_WAIT_PERSON (power idle: a robot held until a supervisor has a
 * place for it) or SF_STATE_IDLE; under repair it shows `s` once back.
 * SF_EINVAL for another state, an agent out of range or one busy with an
 * activity (docs/production.md, "Humanoids at their own pace").
 */
int sf_world_hold(sf_world *w, uint32_t agent, sf_state s);
/* SF_EINVAL without a battery, for a fraction outside (0, 1] or a charger power <= 0. */
int sf_world_charge(sf_world *w, uint32_t agent, double to_fraction, double charger_power);
/*
 * Swap the battery for a full spare pack of its fleet entry (battery
 * `swap`): wait until the pack promised to it is full, then `swap` time
 * (state charging, drawing its idle power from the battery); it leaves
 * full and its own pack charges among the spares (model/packs.h), whose
 * grid draw observers get as SF_ENTITY_PACKS of the fleet entry.
 * SF_EINVAL when the fleet entry does not swap; SF_ELIMIT when every
 * spare is already promised (the caller limits swaps to the spares).
 */
int sf_world_swap(sf_world *w, uint32_t agent);
/* The spare packs of fleet entry `type`, NULL when it does not swap. */
const sf_packs *sf_world_packs(const sf_world *w, int type);

/*
 * A storage or retrieval of rack's AS/RS crane to `level` starts now and
 * lasts `seconds`: the crane draws that cycle's energy over it
 * (model/cranes.h). SF_EINVAL for a rack that is not an AS/RS.
 */
int sf_world_crane_cycle(sf_world *w, uint32_t rack, int level, double seconds);

/*
 * Attach an observer (observe.h); at most SF_WORLD_OBSERVERS. The struct
 * is copied. SF_ELIMIT when full.
 */
#define SF_WORLD_OBSERVERS 4
int sf_world_observe(sf_world *w, const sf_observer *o);

/* Tell every observer that entity `id` entered state `s` now (for the model's own parts). */
void sf_world_emit_state(sf_world *w, sf_entity e, uint32_t id, sf_state s);
void sf_world_emit_job(sf_world *w, const sf_job_event *ev);
void sf_world_emit_safety(sf_world *w, const sf_safety_event *ev);

/*
 * Production (model/stations.h): the stations, built with the world.
 * Station steps that finish later are reported to `fn` (the script
 * layer sets it); crew members are put into the working state (power
 * `working`) while an operation's clock runs, and back to idle after.
 * Station states, power and job events reach the observers.
 */
sf_stations *sf_world_stations(sf_world *w);
/* Failures of stations and agents (model/failures.h), built with the stations. */
sf_failures *sf_world_failures(sf_world *w);
/* Each agent's working rate, busy flag and fatigue (model/agents.h). */
sf_agents *sf_world_agent_work(sf_world *w);
/*
 * Collaboration safety (model/safety.h), built with the world: robots in
 * a crew run at the rate it gives, which changes as people come and go;
 * people wait outside a fenced robot at work. Read its figures with
 * sf_safety_robot_stats.
 */
sf_safety *sf_world_safety(sf_world *w);
void sf_world_on_station(sf_world *w, void (*fn)(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now),
                         void *ctx);

/*
 * Shifts: whether the agent is present now by its fleet entry's roster
 * (SF_STATE_IDLE: present, SF_STATE_OFF_SHIFT, SF_STATE_ON_BREAK) and
 * when that next changes (SF_TIME_MAX: never). Agents without a roster
 * are always present.
 */
sf_state sf_world_shift(const sf_world *w, uint32_t agent, sf_time *until);
/*
 * Activity: stay off (state off_shift, power off) or on a break (state
 * on_break, power idle) until the calendar changes; `done` then. An agent
 * gone from the plant (sf_world_gone) stays off for good: `done` is never
 * called. SF_EINVAL when the agent is busy or present now.
 */
int sf_world_rest(sf_world *w, uint32_t agent);

/*
 * Joining and leaving during a run: the agent is with the plant from
 * `joins` and gone from `leaves` (by default 0 and SF_TIME_MAX). Before
 * it joins and once it has left, sf_world_shift says off shift (until it
 * joins; for good once it has left), so a behaviour finishes the task in
 * hand and then rests, as at the end of a shift; its figures stand as
 * they were. Capacity: an agent that joins during a run is one of its
 * fleet entry's `count`, built with the plant (experiment/interventions.h
 * grows the count before the build). One that rests out of the plant for
 * good (gone) and is given a presence that never ends rests until its
 * `joins` (now at the earliest), then works: an agent of a reserve, built
 * out of the plant (joins = leaves = 0), added during the run. SF_EINVAL
 * for an agent out of range or joins > leaves.
 */
int sf_world_presence(sf_world *w, uint32_t agent, sf_time joins, sf_time leaves);
/* Has the agent left the plant (now >= its `leaves`)? */
bool sf_world_gone(const sf_world *w, uint32_t agent);

/*
 * One agent waiting in traffic, as a line of a deadlock report:
 *   'forklift.1' at node 'm2' since 00:00:22: holds m1-m2; wants m2-east (held by 'forklift.2')
 * the segments named by their nodes ("from-to" as the layout gives
 * them), held ones in segment order. The length snprintf would have
 * written, or SF_EINVAL for an arm or an agent out of range.
 */
int sf_world_describe_wait(sf_world *w, uint32_t agent, char *buf, size_t n);

/* Bring every meter up to `now` (before reading energies). */
void sf_world_settle(sf_world *w, sf_time now);

/* A table per agent type: trips, distance, energy used by state and drawn from the grid (kWh), flat batteries. */
int sf_world_report(sf_world *w, FILE *out);

#endif
