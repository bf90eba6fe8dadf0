/*
 * failures.h: every failure mode of stations and agents, their clocks
 * and their repairs. The one owner of "is it down?", of the failure
 * counts, and of the repair queue and crews.
 *
 * A failure mode (the scenario's `failures`) applies to a station, to
 * every station of a group, or to every agent of a fleet entry; each
 * station or agent it applies to gets its own clock:
 *
 *   calendar  the next failure comes `mtbf` (sampled) after the last repair
 *   busy      `mtbf` counts busy time only: the clock runs while its owner
 *             is busy (a station working or in setup, told through
 *             sf_failures_busy; an agent busy by model/agents.h, told
 *             through sf_failures_agent_busy) and stands still otherwise
 *
 * Standing-still rules: a clock under repair stands still; while an agent
 * is under repair its other busy-time clocks stand still too, and run
 * again when its last repair ends. An entity with several modes down is
 * down until the last is repaired.
 *
 * Repairs take `mttr` (sampled). A mode `on_call` waits first while its
 * on-site fleet entry is off shift: the call-out, or until that entry's
 * shift starts if sooner; a share `remote` of its repairs (drawn on
 * "remote.<...>") starts at once. With a repair `crew` too, such a repair
 * (remote, or by a person called out) takes nobody from the floor; a
 * called-out one is booked to the on-site entry (sf_failures_called_out:
 * the wait and the repair, counted when the station fails).
 * A station's or an agent's failure with a repair `crew` otherwise
 * waits for it (an agent's modes are numbered after the stations' in the
 * queue): the caller takes the oldest waiting repair
 * (sf_failures_next_repair), gathers the crew and starts the repair
 * (sf_failures_repair); the crew works meanwhile (`crew` hook).
 *
 * One notification: every subscriber (sf_failures_subscribe; stations
 * first, then the world) is told when a station or an agent goes down
 * (its first failure) or comes up (its last repair), in the order they
 * subscribed, before the repair or the next failure is scheduled.
 *
 * Random streams: "failure.<name>.<station>" and "repair.<name>.<station>";
 * for agents "failure.<name>.<fleet entry>.<n>" and "repair.<...>", n from 1.
 * Event kinds, registered by sf_failures_new in this order:
 * "station.failure", "station.repair", "agent.failure", "agent.repair";
 * failures and repairs are events of priority 1.
 *
 * Ownership: sf_failures_new pairs with sf_failures_free; the kernel, the
 * config, `agents` and `agent_type` must outlive it.
 */
#ifndef SF_MODEL_FAILURES_H
#define SF_MODEL_FAILURES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "model/agents.h"
#include "model/observe.h"
#include "model/config.h"

typedef struct sf_failures sf_failures;

/* A station or an agent went down (its first failure) or came up (its last repair). */
typedef struct sf_failure_change {
    sf_entity entity; /* SF_ENTITY_STATION or SF_ENTITY_AGENT */
    uint32_t id;
    bool down;
    bool restart;     /* going down: the failure restarts interrupted work (`after: restart`) */
} sf_failure_change;

typedef void (*sf_failures_fn)(void *ctx, const sf_failure_change *c);

typedef struct sf_failures_hooks {
    /* A repair crew starts (true) or stops (false) working. */
    void (*crew)(void *ctx, const uint32_t *agents, uint32_t n, bool working);
    /* UINT32_MAX: a repair now waits for whoever asked sf_failures_next_repair; else mode `mode`'s crew repair is over. */
    void (*repair)(void *ctx, uint32_t mode);
    void *ctx;
} sf_failures_hooks;

/*
 * The failure modes of cfg for its stations and for `nagents` agents
 * (agent i of fleet entry agent_type[i]; NULL: no agent fails), streams
 * from `seed`, first failures scheduled. `agents` (may be NULL when
 * nagents is 0) says which agents are busy. NULL when out of memory.
 */
sf_failures *sf_failures_new(sf_kernel *k, const sf_scenario_config *cfg, uint64_t seed, const sf_agents *agents,
                             const int *agent_type, uint32_t nagents, sf_failures_hooks hooks);
void sf_failures_free(sf_failures *f);
/* Every stream from `seed` and the first failures drawn again; only before anything happened. */
void sf_failures_reseed(sf_failures *f, uint64_t seed);

#define SF_FAILURES_SUBSCRIBERS 4
/* Be told of every change (see above). SF_ELIMIT when full. */
int sf_failures_subscribe(sf_failures *f, sf_failures_fn fn, void *ctx);

/* Is the station or agent under repair (or waiting for its repair crew)? False for a NULL f. */
bool sf_failures_down(const sf_failures *f, sf_entity e, uint32_t id);
/*
 * Hold the station or agent down (`down`) or release one hold, by an order
 * from outside its failure modes: down as by a failure (told the same way,
 * interrupted work resumes) but not counted as one, no repair drawn. Holds
 * nest with each other and with failures. SF_EINVAL for an id out of range
 * or a release without a hold.
 */
int sf_failures_hold(sf_failures *f, sf_entity e, uint32_t id, bool down);
/* Failures of the station or agent so far. */
uint64_t sf_failures_count(const sf_failures *f, sf_entity e, uint32_t id);

/* A station starts or stops being busy (working or in setup): its busy-time clocks run or stop. */
void sf_failures_busy(sf_failures *f, sf_entity e, uint32_t id, bool busy);
/* The same for an agent, as an sf_agents_busy_fn (ctx: the sf_failures). */
void sf_failures_agent_busy(void *failures, uint32_t agent, bool busy);

/*
 * Repairs with a crew. 1 and the oldest waiting mode, or 0 (the `repair`
 * hook says when one waits). Starting one: 0, or SF_EINVAL when `mode`
 * does not wait for its crew or a crew member is out of range.
 */
int sf_failures_next_repair(sf_failures *f, uint32_t *mode);
int sf_failures_repair(sf_failures *f, uint32_t mode, const uint32_t *crew, uint32_t ncrew);
/* The same, the crew working `walk` (its last stretch on foot to a failed agent) before the repair's mttr. */
int sf_failures_repair_after(sf_failures *f, uint32_t mode, const uint32_t *crew, uint32_t ncrew, sf_time walk);
/* Crew repairs done by a person of fleet entry `type` called out: how many, and their hours (call-out and repair). */
typedef struct sf_failures_callouts {
    uint64_t repairs;
    sf_time time;
} sf_failures_callouts;
sf_failures_callouts sf_failures_called_out(const sf_failures *f, int type);
/* Station failure modes: how many, and the station and failure of one (false out of range). */
uint32_t sf_failures_station_modes(const sf_failures *f);
bool sf_failures_mode(const sf_failures *f, uint32_t mode, uint32_t *station, const sf_cfg_failure **cfg);
/* Modes of the repair queue: the stations', then the agents' (numbered from sf_failures_station_modes). */
uint32_t sf_failures_modes(const sf_failures *f);
/* The agent and failure of an agent mode of the repair queue (false for a station mode or out of range). */
bool sf_failures_agent_mode(const sf_failures *f, uint32_t mode, uint32_t *agent, const sf_cfg_failure **cfg);

#endif
