/*
 * shop_internal.h: what the factory bindings share, the global `shop`
 * and the agents' methods: l_agents.c (agents), l_shop.c (places,
 * storage, demand, the global itself), l_production.c (stations, jobs,
 * moves, repairs) and waits.c (what a process waits for in the factory).
 *
 * Their state is struct shop_state (waits.h), the `shop` member of the
 * script state.
 */
#ifndef SF_SHOP_INTERNAL_H
#define SF_SHOP_INTERNAL_H

#include "script/script_internal.h"


static inline sf_world *sf__world_of(lua_State *L)
{
    sf_script *S = sf__script(L);
    if (!S->shop.world)
        luaL_error(L, "this run has no factory model ('shop' needs a scenario)");
    return S->shop.world;
}

static inline const sf_scenario_config *sf__config_of(lua_State *L)
{
    return sf_world_config(sf__world_of(L));
}

static inline void sf__set_string(lua_State *L, const char *key, const char *value)
{
    if (value) {
        lua_pushstring(L, value);
        lua_setfield(L, -2, key);
    }
}

static inline void sf__set_number(lua_State *L, const char *key, double value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

static inline const char *sf__dock_name(const sf_scenario_config *cfg, int dock)
{
    return dock >= 0 ? cfg->layout.docks[dock].name : NULL;
}

/* waits.c */
int sf__waits_init(sf_script *S, sf_world *w);
void sf__waits_free(sf_script *S);
/* The WT_STEP index of a station's slot. */
uint32_t sf__slot_wait(sf_script *S, uint32_t station, uint32_t slot);
/*
 * Block the running process until wait (kind, id) is done; one process a
 * wait (a second is an error). The continuation k runs when it is resumed
 * (NULL: return the values the waker gave). Must be the binding's return.
 */
int sf__wait_for(lua_State *L, sf_script *S, enum factory_wait kind, uint32_t id, lua_KFunction k);
/* Wait (kind, id) is done: wake its process with true, or with nil and the error's text. */
void sf__waits_done(sf_script *S, enum factory_wait kind, uint32_t id, int status);

/* l_agents.c */
uint32_t sf__check_agent(lua_State *L, int idx);
void sf__push_agent(lua_State *L, uint32_t id);
/* Make the agents' class and proxies (registry "shopfloor.agents"); the `shop` table at the top gets shop.agent(s). */
void sf__open_agents(lua_State *L, sf_script *S);

/* l_production.c */
void sf__push_crew(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_operation *op);
void sf__push_routing(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_product *p);
/* Set the production functions into the `shop` table at the top of the stack. */
void sf__open_production(lua_State *L);

#endif
