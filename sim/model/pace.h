/*
 * pace.h: the pace of an operation's crew. A fleet entry with a
 * `time_factor` (model/config.h) works an operation in that many times
 * the routing's time, which is a person's time; a distribution is drawn
 * once per operation and crew member. The slowest member of the crew sets
 * the pace: the factor of an operation is the largest of its members'
 * (a member not paced counts as 1). docs/production.md, "Humanoids at their own
 * pace", has the equation and where default values come from.
 *
 * Random streams: "pace.<fleet entry>", drawn only for paced entries, so
 * a scenario without a time_factor draws nothing new.
 *
 * Ownership: sf_pace_new pairs with sf_pace_free; the config must outlive it.
 */
#ifndef SF_MODEL_PACE_H
#define SF_MODEL_PACE_H

#include <stdint.h>

#include "model/config.h"

typedef struct sf_pace sf_pace;

/* NULL when out of memory. */
sf_pace *sf_pace_new(const sf_scenario_config *cfg, uint64_t seed);
void sf_pace_free(sf_pace *p);
/* Every stream from `seed` again (before anything is drawn). */
void sf_pace_reseed(sf_pace *p, uint64_t seed);

/*
 * The factor of one operation worked by the crew `crew[0..ncrew)`, agent
 * ids whose fleet entries are agent_type[id]: the largest of their drawn
 * factors, a member not paced counting as 1 (1 for an empty crew).
 */
double sf_pace_factor(sf_pace *p, const int *agent_type, const uint32_t *crew, uint32_t ncrew);

#endif
