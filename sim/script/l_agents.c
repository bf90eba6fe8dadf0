/*
 * l_agents.c: the agents seen from Lua: their methods, shop.agent and
 * shop.agents, and the traffic deadlock hook.
 *
 * Agents are userdata proxies, one per agent, made when the world is
 * attached. An activity (move_to, pick, drop, charge, swap, rest) starts
 * the world's C activity and blocks the calling process on the agent's
 * wait (waits.c); the world's `done` hook wakes it with true, or with nil
 * and a message. One resume per decision: the travel in between is C
 * only.
 *
 * An interrupted process stops waiting, but the agent finishes what it
 * was doing (a truck does not vanish from an aisle). Asking it for
 * another activity before then is an error that says so; agent:wait_idle()
 * waits for the activity to end and returns what it would have returned.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/shop_internal.h"

struct agent_ud {
    uint32_t tag, id;
};


uint32_t sf__check_agent(lua_State *L, int idx)
{
    return ((struct agent_ud *)sf__check(L, idx, TAG_AGENT, "agent"))->id;
}

void sf__push_agent(lua_State *L, uint32_t id)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "shopfloor.agents");
    lua_rawgeti(L, -1, (lua_Integer)id + 1);
    lua_remove(L, -2);
}

void sf_script_world_deadlock(void *ctx, const uint32_t *agents, int n, sf_time now)
{
    sf_script *S = ctx;
    char t[48], list[4096], line[512];
    size_t len = 0;

    sf_time_format(now, t, sizeof t);
    list[0] = '\0';
    for (int i = 0; i < n && len < sizeof list; i++) {
        if (sf_world_describe_wait(S->shop.world, agents[i], line, sizeof line) < 0)
            continue;
        len += (size_t)snprintf(list + len, sizeof list - len, "\n  %s", line);
    }
    sf__fail(S, SF_EDEADLOCK, "traffic deadlock at t = %s: %d agent%s wait for each other:%s", t, n,
             n == 1 ? "" : "s", list);
}


/* ---- agent methods ------------------------------------------------------ */

static int l_agent_name(lua_State *L)
{
    lua_pushstring(L, sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->name);
    return 1;
}

static int l_agent_kind(lua_State *L)
{
    lua_pushstring(L, sf_agent_kind_name(sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->kind));
    return 1;
}

static int l_agent_loaded(lua_State *L)
{
    lua_pushboolean(L, sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->loaded);
    return 1;
}

static int l_agent_node(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    sf_agent *a = sf_world_agent(w, sf__check_agent(L, 1));
    uint32_t node = a->mover != SF_NO_AGENT ? sf_movers_node(sf_world_movers(w), a->mover) : a->home;

    if (node == UINT32_MAX)
        lua_pushnil(L);
    else
        lua_pushstring(L, sf_network_node(sf_world_network(w), node)->name);
    return 1;
}

/* State of charge as a fraction of capacity, or nil without a battery. */
static int l_agent_battery(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));

    if (a->meter.capacity <= 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, sf_meter_charge_at(&a->meter, sf_kernel_now(S->k)) / a->meter.capacity);
    return 1;
}

static int l_agent_type(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    lua_pushstring(L, sf__config_of(L)->fleet.types[a->type].name);
    return 1;
}

/*
 * The module that drives this agent: the fleet entry's `behaviour` path
 * as a module name ("scripts/milk_run.lua" -> "scripts.milk_run"), found
 * next to the scenario, or the default for its kind ("forklift"), found
 * in the project's scripts/ folder.
 */
static int l_agent_behaviour(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    const char *path = sf__config_of(L)->fleet.types[a->type].behaviour;
    char name[256];
    size_t n;

    if (!path) {
        lua_pushstring(L, sf_agent_kind_name(a->kind));
        return 1;
    }
    snprintf(name, sizeof name, "%s", path[0] == '.' && path[1] == '/' ? path + 2 : path);
    n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".lua") == 0)
        name[n - 4] = '\0';
    for (char *c = name; *c; c++)
        if (*c == '/')
            *c = '.';
    lua_pushstring(L, name);
    return 1;
}

/* agent:battery_policy(): charge_below, charge_until as fractions (nil without a battery). */
static int l_agent_battery_policy(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    const sf_cfg_battery *b = &sf__config_of(L)->fleet.types[a->type].battery;

    if (!b->present)
        return 0;
    lua_pushnumber(L, b->charge_below);
    lua_pushnumber(L, b->charge_until);
    if (b->swap <= 0)
        return 2;
    lua_pushinteger(L, b->spares);
    return 3;
}

/* agent:charging_rule(): "threshold", "opportunity" or "off_peak" (nil without a battery). */
static int l_agent_charging_rule(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    const sf_cfg_battery *b = &sf__config_of(L)->fleet.types[a->type].battery;

    if (!b->present)
        return 0;
    lua_pushstring(L, sf_charging_rule_names[b->rule]);
    return 1;
}

/* The charger named by argument 2, which the agent must be standing at. */
static const sf_cfg_charger *at_charger(lua_State *L, uint32_t id, const char *what)
{
    sf_world *w = sf__world_of(L);
    const sf_scenario_config *cfg = sf__config_of(L);
    const char *name = luaL_checkstring(L, 2);
    const sf_agent *a = sf_world_agent(w, id);
    const sf_cfg_charger *c = NULL;
    uint32_t node;

    for (size_t i = 0; i < cfg->layout.n_chargers; i++)
        if (strcmp(cfg->layout.chargers[i].name, name) == 0)
            c = &cfg->layout.chargers[i];
    if (!c)
        luaL_error(L, "%s: no charger '%s'", what, name);
    node = a->mover != SF_NO_AGENT ? sf_movers_node(sf_world_movers(w), a->mover) : a->home;
    if (node != (uint32_t)c->node || sf_movers_state(sf_world_movers(w), a->mover) != SF_MOVER_IDLE)
        luaL_error(L, "%s: agent '%s' is not at charger '%s'", what, a->name, name);
    if (!cfg->fleet.types[a->type].battery.present)
        luaL_error(L, "%s: agent '%s' has no battery", what, a->name);
    return c;
}

/* agent:swap(charger): at the named charger, swap the battery for a full spare pack (battery `swap`); blocks until done. */
/*
 * Start an activity's result `rc` for agent `id`, and block until it is
 * done: the process is then resumed with true, or nil and a message.
 */
static int await(lua_State *L, sf_script *S, uint32_t id, int rc, const char *what)
{
    sf_agent *a = sf_world_agent(S->shop.world, id);

    if (rc == SF_EINVAL && a->activity != SF_ACT_NONE)
        return luaL_error(L, "%s: agent '%s' is still busy with its last activity (agent:wait_idle() waits for it)",
                          what, a->name);
    if (rc != SF_OK)
        return luaL_error(L, "%s: agent '%s' cannot: %s", what, a->name, sf_strerror(rc));
    return sf__wait_for(L, S, FW_AGENT, id, NULL);
}

static int l_agent_swap(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t id = sf__check_agent(L, 1);
    const sf_agent *a = sf_world_agent(sf__world_of(L), id);
    int rc;

    sf__blocking(L, S, "agent:swap");
    at_charger(L, id, "swap");
    if (sf__config_of(L)->fleet.types[a->type].battery.swap <= 0)
        return luaL_error(L, "swap: the battery of agent '%s' is not swapped (its fleet entry's battery has no 'swap')",
                          a->name);
    if ((rc = sf_world_swap(sf__world_of(L), id)) == SF_ELIMIT)
        return luaL_error(L, "swap: every spare pack of '%s' is promised to another agent swapping now", a->name);
    return await(L, S, id, rc, "swap");
}

/* agent:charge(charger, to): at the named charger, charge to fraction `to` (default: the policy's charge_until). */
static int l_agent_charge(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = sf__world_of(L);
    uint32_t id = sf__check_agent(L, 1);
    const sf_cfg_battery *b = &sf__config_of(L)->fleet.types[sf_world_agent(w, id)->type].battery;
    double to = luaL_optnumber(L, 3, b->charge_until > 0 ? b->charge_until : 1.0);
    const sf_cfg_charger *c;

    sf__blocking(L, S, "agent:charge");
    c = at_charger(L, id, "charge");
    return await(L, S, id, sf_world_charge(w, id, to, c->power), "charge");
}

/* agent:payload(): the heaviest load it may carry, kg (math.huge when the fleet entry gives none). */
static int l_agent_payload(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    double p = sf__config_of(L)->fleet.types[a->type].payload;
    lua_pushnumber(L, p > 0 ? p : HUGE_VAL);
    return 1;
}

/* agent:lift_height(): metres its forks reach (0 for all but forklifts). */
static int l_agent_lift_height(lua_State *L)
{
    lua_pushnumber(L, sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->lift_height);
    return 1;
}

static int l_agent_tostring(lua_State *L)
{
    lua_pushfstring(L, "agent '%s'", sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->name);
    return 1;
}

/*
 * agent:wait_idle(): wait until the agent's current activity ends and
 * return what its call would have returned (true, or nil and a message);
 * true at once when the agent is idle. An activity goes on when the
 * process that asked for it is interrupted; this is how a process waits
 * for it before asking the agent for more.
 */
static int l_agent_wait_idle(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t id = sf__check_agent(L, 1);

    sf__blocking(L, S, "agent:wait_idle");
    if (sf_world_agent(sf__world_of(L), id)->activity == SF_ACT_NONE) {
        lua_pushboolean(L, 1);
        return 1;
    }
    return sf__wait_for(L, S, FW_AGENT, id, NULL);
}

/* agent:move_to(place): a node, dock, rack, charger, parking place or station by name. */
static int l_agent_move_to(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = sf__world_of(L);
    uint32_t id = sf__check_agent(L, 1), node;
    const char *place = luaL_checkstring(L, 2);
    int rc;

    sf__blocking(L, S, "agent:move_to");
    if (sf_world_place(w, place, &node) != SF_OK)
        return luaL_error(L, "move_to: no place '%s' (a node, dock, rack, charger, parking place or station)",
                          place);
    rc = sf_world_move_to(w, id, node);
    if (rc == SF_ENOTFOUND)
        return luaL_error(L, "move_to: '%s' cannot be reached from where agent '%s' is", place,
                          sf_world_agent(w, id)->name);
    return await(L, S, id, rc, "move_to");
}

static int handle(lua_State *L, bool pick)
{
    sf_script *S = sf__script(L);
    sf_world *w = sf__world_of(L);
    uint32_t id = sf__check_agent(L, 1);
    double height = luaL_optnumber(L, 2, 0);
    sf_agent *a = sf_world_agent(w, id);
    int rc;

    sf__blocking(L, S, pick ? "agent:pick" : "agent:drop");
    if (!(height >= 0)) /* negative or NaN; above the lift height is SF_ERANGE below */
        return luaL_error(L, "%s: height %f m is out of range for agent '%s' (0 to %f m)", pick ? "pick" : "drop",
                          height, a->name, a->lift_height);
    rc = pick ? sf_world_pick(w, id, height) : sf_world_drop(w, id, height);
    if (rc == SF_ERANGE) {
        char msg[160];
        snprintf(msg, sizeof msg, "%g m is above what agent '%s' can lift (%g m)", height, a->name, a->lift_height);
        return luaL_error(L, "%s: %s", pick ? "pick" : "drop", msg);
    }
    if (rc == SF_EINVAL && a->activity == SF_ACT_NONE)
        return luaL_error(L, pick ? "pick: agent '%s' already carries a load" : "drop: agent '%s' carries nothing",
                          a->name);
    return await(L, S, id, rc, pick ? "pick" : "drop");
}

static int l_agent_pick(lua_State *L)
{
    return handle(L, true);
}

static int l_agent_drop(lua_State *L)
{
    return handle(L, false);
}

/* ---- shop ---------------------------------------------------------------- */

static int l_shop_agent(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    uint32_t id = sf_world_find_agent(w, luaL_checkstring(L, 1));

    if (id == SF_NO_AGENT) {
        lua_pushnil(L);
        lua_pushfstring(L, "no agent '%s'", lua_tostring(L, 1));
        return 2;
    }
    sf__push_agent(L, id);
    return 1;
}

/* shop.agents([kind]): every agent, or those of one kind, in fleet order. */
static int l_shop_agents(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    const char *kind = luaL_optstring(L, 1, NULL);
    lua_Integer n = 0;

    lua_newtable(L);
    for (uint32_t i = 0; i < sf_world_agent_count(w); i++) {
        if (kind && strcmp(sf_agent_kind_name(sf_world_agent(w, i)->kind), kind) != 0)
            continue;
        sf__push_agent(L, i);
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

/* ---- shifts, skills --------------------------------------------------------- */

static const char *presence_name(sf_state s)
{
    return s == SF_STATE_IDLE ? "present" : sf_state_name(s);
}

/* agent:shift(): "present", "off_shift" or "on_break", and seconds until that changes (nil: never). */
static int l_agent_shift(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_time until;
    sf_state st = sf_world_shift(sf__world_of(L), sf__check_agent(L, 1), &until);

    lua_pushstring(L, presence_name(st));
    if (until == SF_TIME_MAX)
        lua_pushnil(L);
    else
        lua_pushnumber(L, sf_time_to_seconds(until - sf_kernel_now(S->k)));
    return 2;
}

/* agent:rest(): off shift or on a break until the calendar changes (an error when it is present). */
static int l_agent_rest(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = sf__world_of(L);
    uint32_t id = sf__check_agent(L, 1);
    sf_time until;

    sf__blocking(L, S, "agent:rest");
    if (sf_world_shift(w, id, &until) == SF_STATE_IDLE)
        return luaL_error(L, "rest: agent '%s' is on shift now", sf_world_agent(w, id)->name);
    if (until == SF_TIME_MAX && !sf_world_gone(w, id))
        return luaL_error(L, "rest: agent '%s' has no shift to come back to", sf_world_agent(w, id)->name);
    return await(L, S, id, sf_world_rest(w, id), "rest");
}

/*
 * agent:hold(state): show the agent, between activities, as "working" (a
 * supervisor at its console), "wait_person" (a robot waiting for a
 * supervisor's place) or "idle" (model/world.h, sf_world_hold).
 */
static int l_agent_hold(lua_State *L)
{
    static const char *const names[] = {"idle", "working", "wait_person", NULL};
    static const sf_state states[] = {SF_STATE_IDLE, SF_STATE_WORKING, SF_STATE_WAIT_PERSON};
    sf_world *w = sf__world_of(L);
    uint32_t id = sf__check_agent(L, 1);
    int s = luaL_checkoption(L, 2, NULL, names);

    if (sf_world_hold(w, id, states[s]) != SF_OK)
        return luaL_error(L, "hold: agent '%s' is busy", sf_world_agent(w, id)->name);
    return 0;
}

/* agent:supervision(): per, by of its fleet entry's supervision as a crew need; nil without `by`. */
static int l_agent_supervision(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    const sf_cfg_agent_type *T = &sf__config_of(L)->fleet.types[a->type];

    if (!T->supervise_by)
        return 0;
    lua_pushnumber(L, T->supervise_per);
    lua_pushstring(L, T->supervise_by);
    return 2;
}

/* agent:gone(): has it left the plant (model/world.h, sf_world_presence)? */
static int l_agent_gone(lua_State *L)
{
    lua_pushboolean(L, sf_world_gone(sf__world_of(L), sf__check_agent(L, 1)));
    return 1;
}

/* agent:skills(): the list of its fleet entry's skills. */
static int l_agent_skills(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    const sf_cfg_agent_type *T = &sf__config_of(L)->fleet.types[a->type];

    lua_createtable(L, (int)T->n_skills, 0);
    for (size_t i = 0; i < T->n_skills; i++) {
        lua_pushstring(L, T->skills[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* agent:home(): the node a mobile agent starts from and goes back to (nil for arms). */
static int l_agent_home(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    const sf_agent *a = sf_world_agent(w, sf__check_agent(L, 1));

    if (a->mover == SF_NO_AGENT || a->home == UINT32_MAX)
        lua_pushnil(L);
    else
        lua_pushstring(L, sf_network_node(sf_world_network(w), a->home)->name);
    return 1;
}

/* agent:station(): the station an arm stands at (nil for mobile agents). */
static int l_agent_station(lua_State *L)
{
    const sf_agent *a = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1));
    int st = sf__config_of(L)->fleet.types[a->type].home_station;

    if (st < 0)
        lua_pushnil(L);
    else
        lua_pushstring(L, sf__config_of(L)->layout.stations[st].name);
    return 1;
}

/* agent:can_fail(): has its fleet entry a failure mode? agent:down(): is it under repair now? */
static int l_agent_can_fail(lua_State *L)
{
    const sf_scenario_config *cfg = sf__config_of(L);
    int type = sf_world_agent(sf__world_of(L), sf__check_agent(L, 1))->type;
    bool any = false;

    for (size_t i = 0; i < cfg->n_failures; i++)
        any |= cfg->failures[i].target_kind == SF_FAIL_AGENT_TYPE && cfg->failures[i].target == type;
    lua_pushboolean(L, any);
    return 1;
}

static int l_agent_down(lua_State *L)
{
    lua_pushboolean(L, sf_failures_down(sf_world_failures(sf__world_of(L)), SF_ENTITY_AGENT, sf__check_agent(L, 1)));
    return 1;
}

/* agent:repaired(): wait until the agent is next back from a repair (all its failures repaired). */
static int l_agent_repaired(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t id = sf__check_agent(L, 1);

    sf__blocking(L, S, "agent:repaired");
    return sf__wait_for(L, S, FW_AGENT_UP, id, NULL);
}


void sf__open_agents(lua_State *L, sf_script *S)
{
    static const luaL_Reg methods[] = {{"name", l_agent_name},       {"kind", l_agent_kind},
                                       {"loaded", l_agent_loaded},   {"node", l_agent_node},
                                       {"battery", l_agent_battery}, {"move_to", l_agent_move_to},
                                       {"type", l_agent_type},       {"behaviour", l_agent_behaviour},
                                       {"battery_policy", l_agent_battery_policy}, {"charge", l_agent_charge},
                                       {"charging_rule", l_agent_charging_rule},
                                       {"swap", l_agent_swap},
                                       {"lift_height", l_agent_lift_height}, {"payload", l_agent_payload},
                                       {"pick", l_agent_pick},       {"drop", l_agent_drop},
                                       {"shift", l_agent_shift},     {"rest", l_agent_rest},
                                       {"skills", l_agent_skills},   {"station", l_agent_station},
                                       {"home", l_agent_home},       {"can_fail", l_agent_can_fail},
                                       {"down", l_agent_down},       {"repaired", l_agent_repaired},
                                       {"wait_idle", l_agent_wait_idle},
                                       {"gone", l_agent_gone},
                                       {"hold", l_agent_hold},       {"supervision", l_agent_supervision},
                                       {"__tostring", l_agent_tostring}, {NULL, NULL}};
    static const luaL_Reg shop[] = {{"agent", l_shop_agent}, {"agents", l_shop_agents}, {NULL, NULL}};
    uint32_t n = sf_world_agent_count(S->shop.world);

    luaL_setfuncs(L, shop, 0);
    sf__new_class(L);
    luaL_setfuncs(L, methods, 0);
    lua_createtable(L, (int)n, 0);
    for (uint32_t i = 0; i < n; i++) {
        struct agent_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
        u->tag = TAG_AGENT;
        u->id = i;
        lua_pushvalue(L, -3);
        lua_setmetatable(L, -2);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, "shopfloor.agents");
    lua_pop(L, 1);
}
