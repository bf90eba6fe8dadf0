/*
 * world_int.h: the world's record, shared by world.c (activities and
 * the parts' hooks), world_build.c (what comes straight from the config)
 * and world_report.c (tables). Nothing outside those files includes it.
 */
#ifndef SF_MODEL_WORLD_INT_H
#define SF_MODEL_WORLD_INT_H

#include "model/agents.h"
#include "model/failures.h"
#include "model/names.h"
#include "model/world.h"

struct sf_world {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    sf_world_hooks hooks;
    sf_network *net;
    sf_movers *movers;
    sf_storage *storage;
    sf_agent *agents;
    uint32_t nagents;
    uint32_t *agent_of_mover;
    uint32_t kind_activity, kind_battery, kind_packs;
    sf_packs *packs;          /* per fleet entry; n = 0 when it does not swap batteries */
    sf_event_id *packs_ev;    /* per fleet entry: the next pack full */
    struct sf_cranes *cranes; /* the AS/RS cranes' energy (model/cranes.h) */
    struct sf_speed_power *speed_power; /* vehicles' draw by speed (model/speed_power.h) */
    sf_names places; /* every place name -> node: nodes first, then docks, racks, chargers, parking, stations */
    sf_observer obs[SF_WORLD_OBSERVERS];
    int nobs;
    sf_stations *stations;
    sf_agents *agent_work;   /* per agent: rate, busy, fatigue (model/agents.h) */
    sf_failures *failures;   /* every failure mode and repair (model/failures.h) */
    sf_safety *safety;
    sf_agent_kind *kinds; /* per agent, for crews */
    int *types;
    void (*station_done)(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now);
    void *station_ctx;
};

/* Write "file:line:col: message" (the place when known) into err; SF_EINVAL. */
int sf__world_fail(char *err, size_t n, const sf_cfg_place *at, const char *fmt, ...);
/* Enter a power state (world.c): the meter, the observers, the battery's next event. */
void sf__world_power(sf_world *w, uint32_t id, sf_power_state s);
/* Shared by world.c and world_activities.c. */
void sf__world_operating(sf_world *w, uint32_t id, sf_activity what, bool on);
bool sf__world_agent_down(const sf_world *w, uint32_t id);
void sf__world_show(sf_world *w, uint32_t id, sf_power_state p, sf_state s);
bool sf__world_suspends(sf_activity what);
int sf__world_timed(sf_world *w, uint32_t id, sf_activity what, sf_time dt, sf_power_state s, sf_state st);
int sf__world_build_network(sf_world *w, uint32_t nmobile, char *err, size_t n);
int sf__world_build_storage(sf_world *w, char *err, size_t n);
int sf__world_build_agents(sf_world *w, uint32_t nmobile, char *err, size_t n);
int sf__world_build_places(sf_world *w);

#endif
