/*
 * agents.h: what an agent's work does to the agent itself: its working
 * rate (collaboration safety slows or stops a robot), whether it is busy
 * (in an operation whose clock runs, or working outside operations: a
 * vehicle's trip, pick or drop, a person carrying), and a worker's
 * fatigue.
 *
 * The one owner of these three facts. The world's agent record
 * (model/world.h) holds where an agent is and what it does; failures and
 * repairs are model/failures.h's.
 *
 * Fatigue follows Jaber, Givi and Neumann (2013): a fleet entry with
 * `fatigue` gives F in [0, 1] that grows while the agent is busy,
 * F <- 1 - (1 - F) e^(-rate dt), and recovers otherwise, F <- F e^(-recovery dt),
 * exactly between changes of busy, which is when it is brought up to date.
 *
 * Ownership: sf_agents_new pairs with sf_agents_free; the config and
 * `agent_type` must outlive it.
 */
#ifndef SF_MODEL_AGENTS_H
#define SF_MODEL_AGENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"
#include "model/config.h"

typedef struct sf_agents sf_agents;

/* Told when an agent starts (true) or stops (false) being busy: the clocks of its `busy` failures run or stop. */
typedef void (*sf_agents_busy_fn)(void *ctx, uint32_t agent, bool busy);

/* `n` agents, agent i of fleet entry agent_type[i] (NULL: no fleet entries, so no fatigue). NULL when out of memory. */
sf_agents *sf_agents_new(const sf_scenario_config *cfg, const int *agent_type, uint32_t n);
void sf_agents_free(sf_agents *a);
/* Who is told of changes of busy (one listener; NULL for none). */
void sf_agents_on_busy(sf_agents *a, sf_agents_busy_fn fn, void *ctx);

uint32_t sf_agents_count(const sf_agents *a);
/* The rate (0..1) the agent works at; 1 unless safety slows it. */
double sf_agents_rate(const sf_agents *a, uint32_t agent);
void sf_agents_set_rate(sf_agents *a, uint32_t agent, double rate);

bool sf_agents_busy(const sf_agents *a, uint32_t agent);
/* The agent starts or stops being busy at `now`: fatigue brought up to date, the listener told on a change. */
void sf_agents_set_busy(sf_agents *a, uint32_t agent, bool busy, sf_time now);
/* Fatigue at `now` (0..1; 0 for agents whose fleet entry gives none). */
double sf_agents_fatigue(const sf_agents *a, uint32_t agent, sf_time now);

#endif
