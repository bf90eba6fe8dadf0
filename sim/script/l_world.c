/*
 * l_world.c: the factory model seen from Lua, the global `shop`.
 *
 * Agents are userdata proxies, one per agent, made when the world is
 * attached. An activity (move_to, pick, drop) starts the world's C
 * activity and blocks the calling process; the world's `done` hook wakes
 * it with true, or with nil and a message. One resume per decision: the
 * travel in between is C only. An interrupted process stops waiting, but
 * the agent finishes what it was doing (a truck does not vanish from an
 * aisle); asking it for more before then is an error that says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/script_internal.h"

struct agent_ud {
    uint32_t tag, id;
};

static sf_world *world_of(lua_State *L)
{
    sf_script *S = sf__script(L);
    if (!S->world)
        luaL_error(L, "this run has no factory model ('shop' needs a scenario)");
    return S->world;
}

static uint32_t check_agent(lua_State *L, int idx)
{
    return ((struct agent_ud *)sf__check(L, idx, TAG_AGENT, "agent"))->id;
}

static void push_agent(lua_State *L, uint32_t id)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "shopfloor.agents");
    lua_rawgeti(L, -1, (lua_Integer)id + 1);
    lua_remove(L, -2);
}

const char *sf__agent_name(sf_script *S, uint32_t agent)
{
    sf_agent *a = S->world ? sf_world_agent(S->world, agent) : NULL;
    return a ? a->name : "?";
}

/* Waits: agents' activities first, then every station slot's steps. */
/* The first wait id after the agents' and the slots': a process waiting for a repair to do; then one per failure mode. */
static uint32_t repair_base(sf_script *S)
{
    sf_stations *st = sf_world_stations(S->world);
    uint32_t n = sf_stations_count(st);
    return sf_world_agent_count(S->world) + (n ? S->slot_base[n - 1] + sf_stations_slots(st, n - 1) : 0);
}

/* The wait id of a process waiting for a move to make (shop.next_move), after the failure modes'. */
static uint32_t move_wait(sf_script *S)
{
    return repair_base(S) + 1 + sf_stations_failure_modes(sf_world_stations(S->world));
}

/* The first wait id of processes waiting for an agent's repair (agent:repaired()), one per agent. */
static uint32_t up_base(sf_script *S)
{
    return move_wait(S) + 1;
}

static uint32_t wait_count(sf_script *S)
{
    return up_base(S) + sf_world_agent_count(S->world);
}

/*
 * Block process pid until wait `id` (an agent's activity, a slot's step, a
 * repair, a move, an agent's repair) is done. One process a wait: a second
 * one would take the first one's place and leave it asleep for good.
 */
static int wait_on(lua_State *L, sf_script *S, uint32_t id, uint32_t pid)
{
    uint32_t other = S->agent_wait[id];
    char what[200], who[100];

    if (other != NO_PROC && other != pid && S->procs[other].gen == S->agent_gen[id] &&
        S->procs[other].state == P_BLOCKED && S->procs[other].wobj == id)
        return luaL_error(L, "process '%s' already waits for %s; one process may wait for it",
                          sf__proc_name(S, other, who, sizeof who), sf__activity_name(S, id, what, sizeof what));
    S->agent_wait[id] = pid;
    S->agent_gen[id] = S->procs[pid].gen;
    S->procs[pid].wobj = id;
    lua_settop(L, 0);
    return sf__block(L, S, WT_ACTIVITY, -1);
}

void sf__world_forget(sf_script *S, uint32_t pid)
{
    uint32_t id = S->procs[pid].wobj;
    if (S->agent_wait && S->world && id < wait_count(S) && S->agent_wait[id] == pid)
        S->agent_wait[id] = NO_PROC;
}

bool sf__world_idle_wait(sf_script *S, uint32_t pid)
{
    uint32_t id = S->procs[pid].wobj, na;

    if (!S->world || id < (na = sf_world_agent_count(S->world)) || id >= wait_count(S))
        return false;
    if (id >= repair_base(S)) /* waiting for something to repair or to carry, or for an agent's repair */
        return id == repair_base(S) || id >= move_wait(S);
    id -= na;
    for (uint32_t i = sf_stations_count(sf_world_stations(S->world)); i-- > 0;)
        if (S->slot_base[i] <= id)
            return sf_stations_taking(sf_world_stations(S->world), i, id - S->slot_base[i]);
    return false;
}

const char *sf__activity_name(sf_script *S, uint32_t id, char *buf, size_t n)
{
    uint32_t na = S->world ? sf_world_agent_count(S->world) : 0;
    sf_stations *st;
    const sf_scenario_config *cfg;

    if (id < na || !S->world) {
        snprintf(buf, n, "agent '%s' to finish its activity", sf__agent_name(S, id));
        return buf;
    }
    st = sf_world_stations(S->world);
    cfg = sf_world_config(S->world);
    if (id >= repair_base(S)) {
        uint32_t station;
        const sf_cfg_failure *f;
        if (id == repair_base(S))
            snprintf(buf, n, "a failure to repair");
        else if (id == move_wait(S))
            snprintf(buf, n, "a unit to carry");
        else if (id >= up_base(S))
            snprintf(buf, n, "the repair of agent '%s'", sf__agent_name(S, id - up_base(S)));
        else if (sf_stations_failure_of(st, id - repair_base(S) - 1, &station, &f))
            snprintf(buf, n, "the repair of failure '%s' at station '%s'", f->name, cfg->layout.stations[station].name);
        return buf;
    }
    id -= na;
    for (uint32_t i = sf_stations_count(st); i-- > 0;)
        if (S->slot_base[i] <= id) {
            snprintf(buf, n, "station '%s' (slot %u)", cfg->layout.stations[i].name, id - S->slot_base[i] + 1);
            return buf;
        }
    snprintf(buf, n, "a station");
    return buf;
}

/* A station slot's step that did not finish at once has finished. */
static void station_done(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now)
{
    sf_script *S = ctx;
    uint32_t id;

    if (step == SF_STEP_MOVE)
        id = move_wait(S);
    else if (step == SF_STEP_AGENT_UP)
        id = up_base(S) + slot;
    else if (step == SF_STEP_REPAIR)
        id = repair_base(S) + (slot == UINT32_MAX ? 0 : 1 + slot);
    else
        id = sf_world_agent_count(S->world) + S->slot_base[station] + slot;
    sf_script_world_done(ctx, id, SF_ACT_NONE, SF_OK, now);
}

void sf_script_world_done(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    sf_script *S = ctx;
    uint32_t pid = S->agent_wait[agent];
    struct proc *p;

    (void)what;
    (void)now;
    if (pid == NO_PROC)
        return;
    S->agent_wait[agent] = NO_PROC;
    p = &S->procs[pid];
    if (p->gen != S->agent_gen[agent] || p->state != P_BLOCKED || p->wtype != WT_ACTIVITY || p->wobj != agent)
        return;
    if (status == SF_OK) {
        lua_pushboolean(p->co, 1);
        p->nargs = 1;
    } else {
        lua_pushnil(p->co);
        lua_pushstring(p->co, sf_strerror(status));
        p->nargs = 2;
    }
    sf__wake(S, pid, W_VALUES);
}

void sf_script_world_deadlock(void *ctx, const uint32_t *agents, int n, sf_time now)
{
    sf_script *S = ctx;
    char t[48], list[1024];
    size_t len = 0;

    sf_time_format(now, t, sizeof t);
    list[0] = '\0';
    for (int i = 0; i < n && len < sizeof list; i++) {
        sf_agent *a = sf_world_agent(S->world, agents[i]);
        sf_movers *ms = sf_world_movers(S->world);
        const sf_node *node = sf_network_node(sf_world_network(S->world), sf_movers_node(ms, a->mover));
        sf_time since;
        char when[48];
        sf_traffic_waiting_for(sf_movers_traffic(ms), a->mover, &since);
        sf_time_format(since, when, sizeof when);
        len += (size_t)snprintf(list + len, sizeof list - len, "\n  '%s' at node '%s' since %s", a->name, node->name,
                                when);
    }
    sf__fail(S, SF_EDEADLOCK, "traffic deadlock at t = %s: %d agent%s wait for each other:%s", t, n,
             n == 1 ? "" : "s", list);
}

/* ---- agent methods ------------------------------------------------------ */

static int l_agent_name(lua_State *L)
{
    lua_pushstring(L, sf_world_agent(world_of(L), check_agent(L, 1))->name);
    return 1;
}

static int l_agent_kind(lua_State *L)
{
    lua_pushstring(L, sf_agent_kind_name(sf_world_agent(world_of(L), check_agent(L, 1))->kind));
    return 1;
}

static int l_agent_loaded(lua_State *L)
{
    lua_pushboolean(L, sf_world_agent(world_of(L), check_agent(L, 1))->loaded);
    return 1;
}

static int l_agent_node(lua_State *L)
{
    sf_world *w = world_of(L);
    sf_agent *a = sf_world_agent(w, check_agent(L, 1));
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
    sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));

    if (a->meter.capacity <= 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, sf_meter_charge_at(&a->meter, sf_kernel_now(S->k)) / a->meter.capacity);
    return 1;
}

static int await(lua_State *L, sf_script *S, uint32_t id, int rc, const char *what);

static const sf_scenario_config *config_of(lua_State *L)
{
    return sf_world_config(world_of(L));
}

static int l_agent_type(lua_State *L)
{
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    lua_pushstring(L, config_of(L)->fleet.types[a->type].name);
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
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    const char *path = config_of(L)->fleet.types[a->type].behaviour;
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
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    const sf_cfg_battery *b = &config_of(L)->fleet.types[a->type].battery;

    if (!b->present)
        return 0;
    lua_pushnumber(L, b->charge_below);
    lua_pushnumber(L, b->charge_until);
    if (b->swap <= 0)
        return 2;
    lua_pushinteger(L, b->spares);
    return 3;
}

/* The charger named by argument 2, which the agent must be standing at. */
static const sf_cfg_charger *at_charger(lua_State *L, uint32_t id, const char *what)
{
    sf_world *w = world_of(L);
    const sf_scenario_config *cfg = config_of(L);
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
static int l_agent_swap(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t id = check_agent(L, 1);
    const sf_agent *a = sf_world_agent(world_of(L), id);
    int rc;

    sf__self(L, S, "agent:swap");
    at_charger(L, id, "swap");
    if (config_of(L)->fleet.types[a->type].battery.swap <= 0)
        return luaL_error(L, "swap: the battery of agent '%s' is not swapped (its fleet entry's battery has no 'swap')",
                          a->name);
    if ((rc = sf_world_swap(world_of(L), id)) == SF_ELIMIT)
        return luaL_error(L, "swap: every spare pack of '%s' is promised to another agent swapping now", a->name);
    return await(L, S, id, rc, "swap");
}

/* agent:charge(charger, to): at the named charger, charge to fraction `to` (default: the policy's charge_until). */
static int l_agent_charge(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = world_of(L);
    uint32_t id = check_agent(L, 1);
    const sf_cfg_battery *b = &config_of(L)->fleet.types[sf_world_agent(w, id)->type].battery;
    double to = luaL_optnumber(L, 3, b->charge_until > 0 ? b->charge_until : 1.0);
    const sf_cfg_charger *c;

    sf__self(L, S, "agent:charge");
    c = at_charger(L, id, "charge");
    return await(L, S, id, sf_world_charge(w, id, to, c->power), "charge");
}

/* agent:payload(): the heaviest load it may carry, kg (math.huge when the fleet entry gives none). */
static int l_agent_payload(lua_State *L)
{
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    double p = config_of(L)->fleet.types[a->type].payload;
    lua_pushnumber(L, p > 0 ? p : HUGE_VAL);
    return 1;
}

/* agent:lift_height(): metres its forks reach (0 for all but forklifts). */
static int l_agent_lift_height(lua_State *L)
{
    lua_pushnumber(L, sf_world_agent(world_of(L), check_agent(L, 1))->lift_height);
    return 1;
}

static int l_agent_tostring(lua_State *L)
{
    lua_pushfstring(L, "agent '%s'", sf_world_agent(world_of(L), check_agent(L, 1))->name);
    return 1;
}

/* Start an activity's result `rc` for agent `id`, and block until it is done. */
static int await(lua_State *L, sf_script *S, uint32_t id, int rc, const char *what)
{
    sf_agent *a = sf_world_agent(S->world, id);
    uint32_t pid = S->cur;

    if (rc == SF_EINVAL && a->activity != SF_ACT_NONE)
        return luaL_error(L, "%s: agent '%s' is still busy with its last activity", what, a->name);
    if (rc != SF_OK)
        return luaL_error(L, "%s: agent '%s' cannot: %s", what, a->name, sf_strerror(rc));
    return wait_on(L, S, id, pid);
}

/* agent:move_to(place): a node, dock, rack, charger, parking place or station by name. */
static int l_agent_move_to(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = world_of(L);
    uint32_t id = check_agent(L, 1), node;
    const char *place = luaL_checkstring(L, 2);
    int rc;

    sf__self(L, S, "agent:move_to");
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
    sf_world *w = world_of(L);
    uint32_t id = check_agent(L, 1);
    double height = luaL_optnumber(L, 2, 0);
    sf_agent *a = sf_world_agent(w, id);
    int rc;

    sf__self(L, S, pick ? "agent:pick" : "agent:drop");
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
    sf_world *w = world_of(L);
    uint32_t id = sf_world_find_agent(w, luaL_checkstring(L, 1));

    if (id == SF_NO_AGENT) {
        lua_pushnil(L);
        lua_pushfstring(L, "no agent '%s'", lua_tostring(L, 1));
        return 2;
    }
    push_agent(L, id);
    return 1;
}

/* shop.agents([kind]): every agent, or those of one kind, in fleet order. */
static int l_shop_agents(lua_State *L)
{
    sf_world *w = world_of(L);
    const char *kind = luaL_optstring(L, 1, NULL);
    lua_Integer n = 0;

    lua_newtable(L);
    for (uint32_t i = 0; i < sf_world_agent_count(w); i++) {
        if (kind && strcmp(sf_agent_kind_name(sf_world_agent(w, i)->kind), kind) != 0)
            continue;
        push_agent(L, i);
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

static void push_cell(lua_State *L, sf_world *w, const sf_cell_ref *c)
{
    sf_storage *st = sf_world_storage(w);

    lua_createtable(L, 0, 6);
    lua_pushinteger(L, c->rack + 1);
    lua_setfield(L, -2, "rack");
    lua_pushinteger(L, c->bay + 1);
    lua_setfield(L, -2, "bay");
    lua_pushinteger(L, c->level + 1);
    lua_setfield(L, -2, "level");
    lua_pushinteger(L, c->slot + 1);
    lua_setfield(L, -2, "slot");
    lua_pushnumber(L, sf_storage_height(st, c));
    lua_setfield(L, -2, "height");
    lua_pushstring(L, sf_network_node(sf_world_network(w), sf_storage_access_node(st, c))->name);
    lua_setfield(L, -2, "place");
    lua_pushboolean(L, sf_world_config(w)->layout.racks[c->rack].kind == SF_RACK_ASRS);
    lua_setfield(L, -2, "asrs");
}

static sf_cell_ref check_cell(lua_State *L, int idx)
{
    sf_cell_ref c;
    const char *f[] = {"rack", "bay", "level", "slot"};
    lua_Integer v[4];

    luaL_checktype(L, idx, LUA_TTABLE);
    for (int i = 0; i < 4; i++) {
        lua_getfield(L, idx, f[i]);
        if (!lua_isinteger(L, -1) || (v[i] = lua_tointeger(L, -1)) < 1 || v[i] > UINT32_MAX)
            luaL_argerror(L, idx, "a cell from shop.put_away or shop.retrieve");
        lua_pop(L, 1);
    }
    c = (sf_cell_ref){(uint32_t)v[0] - 1, (uint32_t)v[1] - 1, (uint32_t)v[2] - 1, (uint32_t)v[3] - 1};
    return c;
}

/* shop.put_away([class]): reserve a storage cell for an incoming load ('A', 'B' or 'C'); nil when full. */
static int l_shop_put_away(lua_State *L)
{
    sf_world *w = world_of(L);
    const char *cls = luaL_optstring(L, 1, "C");
    sf_cell_ref c;

    if (sf_storage_reserve_put(sf_world_storage(w), cls[0], &c) != SF_OK) {
        lua_pushnil(L);
        lua_pushliteral(L, "storage is full");
        return 2;
    }
    push_cell(L, w, &c);
    return 1;
}

/* shop.stored(cell, item): the load of item (an integer) is now in the cell reserved for it. */
static int l_shop_stored(lua_State *L)
{
    sf_world *w = world_of(L);
    sf_cell_ref c = check_cell(L, 1);
    lua_Integer item = luaL_checkinteger(L, 2);

    if (item < 0 || item > UINT32_MAX ||
        sf_storage_commit_put(sf_world_storage(w), &c, (uint32_t)item, sf_kernel_now(sf__script(L)->k)) != SF_OK)
        return luaL_error(L, "stored: that cell was not reserved with shop.put_away");
    return 0;
}

/* shop.retrieve(item): reserve the oldest reachable load of item; nil when there is none. */
static int l_shop_retrieve(lua_State *L)
{
    sf_world *w = world_of(L);
    lua_Integer item = luaL_checkinteger(L, 1);
    sf_cell_ref c;

    if (item < 0 || item > UINT32_MAX || sf_storage_reserve_take(sf_world_storage(w), (uint32_t)item, &c) != SF_OK) {
        lua_pushnil(L);
        lua_pushliteral(L, "no such load can be reached");
        return 2;
    }
    push_cell(L, w, &c);
    return 1;
}

/* shop.taken(cell): the load reserved with shop.retrieve has left its cell. */
static int l_shop_taken(lua_State *L)
{
    sf_world *w = world_of(L);
    sf_cell_ref c = check_cell(L, 1);

    if (sf_storage_commit_take(sf_world_storage(w), &c) != SF_OK)
        return luaL_error(L, "taken: that cell was not reserved with shop.retrieve");
    return 0;
}

/* ---- demand and places --------------------------------------------------- */

static void set_string(lua_State *L, const char *key, const char *value)
{
    if (value) {
        lua_pushstring(L, value);
        lua_setfield(L, -2, key);
    }
}

static void set_number(lua_State *L, const char *key, double value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

static const char *dock_name(const sf_scenario_config *cfg, int dock)
{
    return dock >= 0 ? cfg->layout.docks[dock].name : NULL;
}

static void push_routing(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_product *p);
static void push_crew(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_operation *op);

/* shop.products(): {name, mass, source, sink, routed} for each product. */
static int l_shop_products(lua_State *L)
{
    const sf_scenario_config *cfg = config_of(L);

    lua_createtable(L, (int)cfg->n_products, 0);
    for (size_t i = 0; i < cfg->n_products; i++) {
        const sf_cfg_product *p = &cfg->products[i];
        lua_createtable(L, 0, 5);
        set_string(L, "name", p->name);
        set_number(L, "mass", p->mass);
        set_string(L, "source", dock_name(cfg, p->source));
        set_string(L, "sink", dock_name(cfg, p->sink));
        lua_pushlstring(L, &p->abc, 1);
        lua_setfield(L, -2, "class");
        lua_pushboolean(L, p->n_ops > 0);
        lua_setfield(L, -2, "routed");
        push_routing(L, cfg, p);
        lua_setfield(L, -2, "routing");
        if (p->transport.n_crew > 0) {
            push_crew(L, cfg, &p->transport);
            lua_setfield(L, -2, "transport");
            set_string(L, "carried_by", p->transport_kinds & SF_VEHICLE_KINDS ? "vehicle" : "people");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* shop.arrivals(): {name, index, batch, start, stop, due_in, mix = {{product, weight}...}} in seconds. */
static int l_shop_arrivals(lua_State *L)
{
    const sf_scenario_config *cfg = config_of(L);

    lua_createtable(L, (int)cfg->demand.n_arrivals, 0);
    for (size_t i = 0; i < cfg->demand.n_arrivals; i++) {
        const sf_cfg_arrival *a = &cfg->demand.arrivals[i];
        lua_createtable(L, 0, 7);
        set_string(L, "name", a->name);
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_setfield(L, -2, "index");
        lua_pushinteger(L, a->batch > 0 ? a->batch : 1);
        lua_setfield(L, -2, "batch");
        set_number(L, "start", sf_time_to_seconds(a->start));
        if (a->stop != SF_TIME_MAX)
            set_number(L, "stop", sf_time_to_seconds(a->stop));
        if (a->due_in > 0)
            set_number(L, "due_in", sf_time_to_seconds(a->due_in));
        lua_createtable(L, (int)a->n_mix, 0);
        for (size_t m = 0; m < a->n_mix; m++) {
            lua_createtable(L, 0, 2);
            set_string(L, "product", cfg->products[a->products[m]].name);
            set_number(L, "weight", a->weights[m]);
            lua_rawseti(L, -2, (lua_Integer)m + 1);
        }
        lua_setfield(L, -2, "mix");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* shop.next_arrival(index): seconds to the next arrival of that stream, drawn from its own random stream. */
static int l_shop_next_arrival(lua_State *L)
{
    sf_script *S = sf__script(L);
    const sf_scenario_config *cfg = config_of(L);
    lua_Integer i = luaL_checkinteger(L, 1);
    double dt;

    luaL_argcheck(L, i >= 1 && (size_t)i <= cfg->demand.n_arrivals, 1, "an arrival index from shop.arrivals()");
    dt = sf_dist_sample(&cfg->demand.arrivals[i - 1].every, &S->arrival_rng[i - 1]);
    lua_pushnumber(L, dt > 0 ? dt : 0);
    return 1;
}

/* shop.orders(): {name, at, product, quantity, due} in seconds. */
static int l_shop_orders(lua_State *L)
{
    const sf_scenario_config *cfg = config_of(L);

    lua_createtable(L, (int)cfg->demand.n_orders, 0);
    for (size_t i = 0; i < cfg->demand.n_orders; i++) {
        const sf_cfg_order *o = &cfg->demand.orders[i];
        lua_createtable(L, 0, 5);
        set_string(L, "name", o->name);
        set_number(L, "at", sf_time_to_seconds(o->at_time));
        set_string(L, "product", cfg->products[o->product].name);
        lua_pushinteger(L, o->quantity);
        lua_setfield(L, -2, "quantity");
        if (o->due > 0)
            set_number(L, "due", sf_time_to_seconds(o->due));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* shop.distance(a, b): metres along the shortest-time route between two places, or nil. */
static int l_shop_distance(lua_State *L)
{
    sf_world *w = world_of(L);
    uint32_t a, b;
    double len;
    int rc;

    if (sf_world_place(w, luaL_checkstring(L, 1), &a) != SF_OK)
        return luaL_error(L, "distance: no place '%s'", lua_tostring(L, 1));
    if (sf_world_place(w, luaL_checkstring(L, 2), &b) != SF_OK)
        return luaL_error(L, "distance: no place '%s'", lua_tostring(L, 2));
    if ((rc = sf_network_route_length(sf_world_network(w), a, b, 1.0, &len)) != SF_OK) {
        if (rc != SF_ENOTFOUND)
            return luaL_error(L, "distance: %s", sf_strerror(rc));
        lua_pushnil(L);
        return 1;
    }
    lua_pushnumber(L, len);
    return 1;
}

/* shop.chargers(): {name, place, power (W), slots} for each charger. */
static int l_shop_chargers(lua_State *L)
{
    sf_world *w = world_of(L);
    const sf_scenario_config *cfg = config_of(L);

    lua_createtable(L, (int)cfg->layout.n_chargers, 0);
    for (size_t i = 0; i < cfg->layout.n_chargers; i++) {
        const sf_cfg_charger *c = &cfg->layout.chargers[i];
        lua_createtable(L, 0, 4);
        set_string(L, "name", c->name);
        set_string(L, "place", sf_network_node(sf_world_network(w), (uint32_t)c->node)->name);
        set_number(L, "power", c->power);
        lua_pushinteger(L, c->slots > 0 ? c->slots : 1);
        lua_setfield(L, -2, "slots");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/*
 * shop.crane_cycle(cell): seconds one storage or retrieval takes the
 * AS/RS crane of the cell's rack, drawn from the rack's cycle_time on the
 * stream "crane.<rack>".
 */
static int l_shop_crane_cycle(lua_State *L)
{
    sf_script *S = sf__script(L);
    const sf_scenario_config *cfg = config_of(L);
    sf_cell_ref c = check_cell(L, 1);
    double dt;

    if (c.rack >= cfg->layout.n_racks || cfg->layout.racks[c.rack].kind != SF_RACK_ASRS)
        return luaL_error(L, "crane_cycle: that cell is not in an AS/RS");
    dt = sf_dist_sample(&cfg->layout.racks[c.rack].cycle_time, &S->crane_rng[c.rack]);
    lua_pushnumber(L, dt > 0 ? dt : 0);
    return 1;
}

/* shop.dispatch_rule(): the scenario's `demand.dispatch` ("nearest" when it gives none). */
static int l_shop_dispatch_rule(lua_State *L)
{
    const char *rule = config_of(L)->demand.dispatch;
    lua_pushstring(L, rule ? rule : "nearest");
    return 1;
}

/* shop.horizon(), shop.warmup(): the scenario's run length and warm-up, seconds. */
static int l_shop_horizon(lua_State *L)
{
    lua_pushnumber(L, sf_time_to_seconds(config_of(L)->scenario.horizon));
    return 1;
}

static int l_shop_warmup(lua_State *L)
{
    lua_pushnumber(L, sf_time_to_seconds(config_of(L)->scenario.warmup));
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
    sf_state st = sf_world_shift(world_of(L), check_agent(L, 1), &until);

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
    sf_world *w = world_of(L);
    uint32_t id = check_agent(L, 1);
    sf_time until;

    sf__self(L, S, "agent:rest");
    if (sf_world_shift(w, id, &until) == SF_STATE_IDLE)
        return luaL_error(L, "rest: agent '%s' is on shift now", sf_world_agent(w, id)->name);
    if (until == SF_TIME_MAX)
        return luaL_error(L, "rest: agent '%s' has no shift to come back to", sf_world_agent(w, id)->name);
    return await(L, S, id, sf_world_rest(w, id), "rest");
}

/* agent:skills(): the list of its fleet entry's skills. */
static int l_agent_skills(lua_State *L)
{
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    const sf_cfg_agent_type *T = &config_of(L)->fleet.types[a->type];

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
    sf_world *w = world_of(L);
    const sf_agent *a = sf_world_agent(w, check_agent(L, 1));

    if (a->mover == SF_NO_AGENT || a->home == UINT32_MAX)
        lua_pushnil(L);
    else
        lua_pushstring(L, sf_network_node(sf_world_network(w), a->home)->name);
    return 1;
}

/* agent:station(): the station an arm stands at (nil for mobile agents). */
static int l_agent_station(lua_State *L)
{
    const sf_agent *a = sf_world_agent(world_of(L), check_agent(L, 1));
    int st = config_of(L)->fleet.types[a->type].home_station;

    if (st < 0)
        lua_pushnil(L);
    else
        lua_pushstring(L, config_of(L)->layout.stations[st].name);
    return 1;
}

/* agent:can_fail(): has its fleet entry a failure mode? agent:down(): is it under repair now? */
static int l_agent_can_fail(lua_State *L)
{
    const sf_scenario_config *cfg = config_of(L);
    int type = sf_world_agent(world_of(L), check_agent(L, 1))->type;
    bool any = false;

    for (size_t i = 0; i < cfg->n_failures; i++)
        any |= cfg->failures[i].target_kind == SF_FAIL_AGENT_TYPE && cfg->failures[i].target == type;
    lua_pushboolean(L, any);
    return 1;
}

static int l_agent_down(lua_State *L)
{
    lua_pushboolean(L, sf_stations_agent_down(sf_world_stations(world_of(L)), check_agent(L, 1)));
    return 1;
}

/* agent:repaired(): wait until the agent is next back from a repair (all its failures repaired). */
static int l_agent_repaired(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t id = check_agent(L, 1);

    sf__self(L, S, "agent:repaired");
    return wait_on(L, S, up_base(S) + id, S->cur);
}

/* ---- production ------------------------------------------------------------ */

static uint32_t check_station(lua_State *L, int idx)
{
    sf_stations *st = sf_world_stations(world_of(L));
    lua_Integer i = luaL_checkinteger(L, idx);

    luaL_argcheck(L, i >= 1 && i <= (lua_Integer)sf_stations_count(st), idx, "a station index from shop.stations()");
    return (uint32_t)i - 1;
}

static uint32_t check_slot(lua_State *L, int idx, uint32_t station)
{
    lua_Integer k = luaL_checkinteger(L, idx);

    luaL_argcheck(L, k >= 1 && k <= (lua_Integer)sf_stations_slots(sf_world_stations(world_of(L)), station), idx,
                  "a slot of the station (1 .. its capacity)");
    return (uint32_t)k - 1;
}

/* shop.stations(): {name, group, place, slots, buffer_in, buffer_out} per station, by index. */
static int l_shop_stations(lua_State *L)
{
    sf_world *w = world_of(L);
    const sf_cfg_layout *Lo = &config_of(L)->layout;

    lua_createtable(L, (int)Lo->n_stations, 0);
    for (size_t i = 0; i < Lo->n_stations; i++) {
        const sf_cfg_station *st = &Lo->stations[i];
        lua_createtable(L, 0, 6);
        set_string(L, "name", st->name);
        set_string(L, "group", st->group);
        set_string(L, "place", sf_network_node(sf_world_network(w), (uint32_t)st->node)->name);
        lua_pushinteger(L, sf_stations_slots(sf_world_stations(w), (uint32_t)i));
        lua_setfield(L, -2, "slots");
        lua_pushinteger(L, st->buffer_in);
        lua_setfield(L, -2, "buffer_in");
        lua_pushinteger(L, st->buffer_out);
        lua_setfield(L, -2, "buffer_out");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int product_index(lua_State *L, int idx)
{
    const sf_scenario_config *cfg = config_of(L);
    const char *name = luaL_checkstring(L, idx);

    for (size_t i = 0; i < cfg->n_products; i++)
        if (strcmp(cfg->products[i].name, name) == 0)
            return (int)i;
    return luaL_error(L, "no product '%s'", name);
}

/* shop.release(product [, due]): a job enters the plant now (due: absolute seconds); its number. */
static int l_shop_release(lua_State *L)
{
    sf_script *S = sf__script(L);
    int product = product_index(L, 1);
    sf_time due = 0;
    uint64_t number;

    if (!lua_isnoneornil(L, 2))
        sf__check_time(L, 2, &due);
    if (sf_stations_release(sf_world_stations(world_of(L)), product, due, &number) != SF_OK)
        return luaL_error(L, "release: out of memory");
    (void)S;
    lua_pushinteger(L, (lua_Integer)number);
    return 1;
}

/* shop.complete(number): a job of a stored good (no routing) has left the plant. */
static int l_shop_complete(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);

    if (n < 1 || sf_stations_complete(sf_world_stations(world_of(L)), (uint64_t)n) != SF_OK)
        return luaL_error(L, "complete: job %d is not a job of a stored good in the plant", (int)n);
    return 0;
}

/* shop.jobs(): {released, completed, scrapped, in_progress, reworked}. */
static int l_shop_jobs(lua_State *L)
{
    sf_job_counts c = sf_stations_counts(sf_world_stations(world_of(L)));

    lua_createtable(L, 0, 5);
    set_number(L, "released", (double)c.released);
    set_number(L, "completed", (double)c.completed);
    set_number(L, "scrapped", (double)c.scrapped);
    set_number(L, "in_progress", (double)c.in_progress);
    set_number(L, "reworked", (double)c.reworked);
    return 1;
}

/* A station step's result rc: done at once, or block until the station says so. */
static int await_step(lua_State *L, sf_script *S, uint32_t station, uint32_t slot, int rc, const char *what)
{
    uint32_t id = sf_world_agent_count(S->world) + S->slot_base[station] + slot, pid = S->cur;

    if (rc < 0)
        return luaL_error(L, "%s: slot %d of station '%s' cannot now (%s)", what, (int)slot + 1,
                          config_of(L)->layout.stations[station].name,
                          rc == SF_EINVAL ? "it is not at that step" : sf_strerror(rc));
    if (rc == 1) {
        lua_pushboolean(L, 1);
        return 1;
    }
    return wait_on(L, S, id, pid);
}

/*
 * shop.take(station, slot [, number]): wait for the next job of the
 * station's input (starved meanwhile), or take job `number` from it now.
 */
static int l_shop_take(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);
    lua_Integer number = luaL_optinteger(L, 3, 0);

    sf_stations *sts = sf_world_stations(S->world);
    int rc;

    sf__self(L, S, "shop.take");
    luaL_argcheck(L, number >= 0, 3, "a job number from shop.queue");
    if (number > 0 && sf_stations_slot_job(sts, st, slot, &(sf_job_info){0}))
        return luaL_error(L, "take: slot %d of station '%s' already holds a job", (int)slot + 1,
                          config_of(L)->layout.stations[st].name);
    rc = number > 0 ? sf_stations_take_job(sts, st, slot, (uint64_t)number) : sf_stations_take(sts, st, slot);
    if (number > 0 && rc < 0)
        return luaL_error(L, "take: job %d is not in the input of station '%s'", (int)number,
                          config_of(L)->layout.stations[st].name);
    return await_step(L, S, st, slot, rc, "take");
}

static void push_job(lua_State *L, const sf_scenario_config *cfg, const sf_job_info *j)
{
    lua_createtable(L, 0, 5);
    set_number(L, "number", (double)j->number);
    set_string(L, "product", cfg->products[j->product].name);
    lua_pushinteger(L, j->op + 1);
    lua_setfield(L, -2, "op");
    set_number(L, "released", sf_time_to_seconds(j->released));
    if (j->due > 0)
        set_number(L, "due", sf_time_to_seconds(j->due));
}

/* shop.queue(station): the jobs in its input buffer, in order of arrival: {number, product, op, released, due}. */
static int l_shop_queue(lua_State *L)
{
    sf_stations *sts = sf_world_stations(world_of(L));
    uint32_t st = check_station(L, 1), n = sf_stations_input(sts, st, NULL, 0);
    sf_job_info *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);

    sf_stations_input(sts, st, v, n);
    lua_createtable(L, (int)n, 0);
    for (uint32_t i = 0; i < n; i++) {
        push_job(L, config_of(L), &v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* shop.work(station, slot [, crew]): setup and processing of the slot's job with the crew (a list of agents). */
static int l_shop_work(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st), crew[16], n = 0;

    sf__self(L, S, "shop.work");
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        for (lua_Integer i = 1;; i++) {
            if (lua_rawgeti(L, 3, i) == LUA_TNIL) {
                lua_pop(L, 1);
                break;
            }
            if (n == 16)
                return luaL_error(L, "work: a crew of more than 16");
            crew[n++] = check_agent(L, -1);
            lua_pop(L, 1);
        }
    }
    return await_step(L, S, st, slot, sf_stations_work(sf_world_stations(S->world), st, slot, crew, n), "work");
}

/* shop.unload(station, slot): hand the processed unit on (blocked while there is no room). */
static int l_shop_unload(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);

    sf__self(L, S, "shop.unload");
    return await_step(L, S, st, slot, sf_stations_unload(sf_world_stations(S->world), st, slot), "unload");
}

/* shop.slot_job(station, slot): {number, product, op (1-based), released, due, result} or nil. */
static int l_shop_slot_job(lua_State *L)
{
    sf_stations *sts = sf_world_stations(world_of(L));
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);
    sf_job_info j;

    if (!sf_stations_slot_job(sts, st, slot, &j)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 6);
    set_number(L, "number", (double)j.number);
    set_string(L, "product", config_of(L)->products[j.product].name);
    lua_pushinteger(L, j.op + 1);
    lua_setfield(L, -2, "op");
    set_number(L, "released", sf_time_to_seconds(j.released));
    if (j.due > 0)
        set_number(L, "due", sf_time_to_seconds(j.due));
    return 1;
}

/* shop.slot_result(station, slot): "good" or "scrapped", how the slot's last work ended. */
static int l_shop_slot_result(lua_State *L)
{
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);

    lua_pushstring(L, sf_stations_result(sf_world_stations(world_of(L)), st, slot) == SF_WORK_SCRAPPED ? "scrapped"
                                                                                                     : "good");
    return 1;
}

/* A crew: {{count, label, kinds = {...}, types = {...}}...}. */
static void push_crew(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_operation *op)
{
    lua_createtable(L, (int)op->n_crew, 0);
    for (size_t c = 0; c < op->n_crew; c++) {
        const sf_cfg_crew_need *need = &op->crew[c];
        lua_Integer n = 0;
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, need->count);
        lua_setfield(L, -2, "count");
        set_string(L, "label", need->label);
        lua_newtable(L);
        for (int k = 0; k < SF_AGENT_KINDS; k++)
            if (need->kinds & (1u << k)) {
                lua_pushstring(L, sf_agent_kind_name((sf_agent_kind)k));
                lua_rawseti(L, -2, ++n);
            }
        lua_setfield(L, -2, "kinds");
        lua_createtable(L, (int)need->n_types, 0);
        for (size_t t = 0; t < need->n_types; t++) {
            lua_pushstring(L, cfg->fleet.types[need->types[t]].name);
            lua_rawseti(L, -2, (lua_Integer)t + 1);
        }
        lua_setfield(L, -2, "types");
        lua_rawseti(L, -2, (lua_Integer)c + 1);
    }
}

/*
 * shop.next_repair(): the oldest failure waiting for its repair crew,
 * {mode, station (index), failure, crew, skill}; when none waits, blocks
 * and returns true once one does (call again to get it).
 */
static int l_shop_next_repair(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_stations *st = sf_world_stations(world_of(L));
    const sf_scenario_config *cfg = config_of(L);
    uint32_t mode, station;
    const sf_cfg_failure *f;

    sf__self(L, S, "shop.next_repair");
    if (sf_stations_next_repair(st, &mode) == 1 && sf_stations_failure_of(st, mode, &station, &f)) {
        lua_createtable(L, 0, 5);
        lua_pushinteger(L, (lua_Integer)mode + 1);
        lua_setfield(L, -2, "mode");
        lua_pushinteger(L, (lua_Integer)station + 1);
        lua_setfield(L, -2, "station");
        set_string(L, "failure", f->name);
        set_string(L, "skill", f->repair.skill);
        push_crew(L, cfg, &f->repair);
        lua_setfield(L, -2, "crew");
        return 1;
    }
    return wait_on(L, S, repair_base(S), S->cur);
}

/* A move's end: a station's name, or the product's dock there. */
static const char *move_end(const sf_scenario_config *cfg, int product, uint32_t station, bool from)
{
    const sf_cfg_product *p = &cfg->products[product];
    return station != UINT32_MAX ? cfg->layout.stations[station].name : dock_name(cfg, from ? p->source : p->sink);
}

/*
 * shop.next_move(): the oldest unit waiting for its carrier (a product's
 * `transport`), {job, product, from, to, mass, carrier, by}: from and to
 * are place names (a station, or the product's dock), carrier the
 * transport's needs as in a routing's crew, by "vehicle" or "people".
 * When none waits, blocks and returns true once one does (call again).
 */
static int l_shop_next_move(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_stations *st = sf_world_stations(world_of(L));
    const sf_scenario_config *cfg = config_of(L);
    sf_move m;

    sf__self(L, S, "shop.next_move");
    if (sf_stations_next_move(st, &m) == 1) {
        lua_createtable(L, 0, 6);
        lua_pushinteger(L, (lua_Integer)m.job);
        lua_setfield(L, -2, "job");
        set_string(L, "product", cfg->products[m.product].name);
        set_string(L, "from", move_end(cfg, m.product, m.from, true));
        set_string(L, "to", move_end(cfg, m.product, m.to, false));
        set_number(L, "mass", cfg->products[m.product].mass);
        push_crew(L, cfg, &cfg->products[m.product].transport);
        lua_setfield(L, -2, "carrier");
        /* the scenario checks allow vehicles or people, not both */
        set_string(L, "by", cfg->products[m.product].transport_kinds & SF_VEHICLE_KINDS ? "vehicle" : "people");
        return 1;
    }
    return wait_on(L, S, move_wait(S), S->cur);
}

/* shop.pickup(job), shop.deliver(job): a carrier takes the unit of a move from shop.next_move, and sets it down. */
static int move_step(lua_State *L, int (*step)(sf_stations *, uint64_t), const char *what)
{
    lua_Integer job = luaL_checkinteger(L, 1);

    if (step(sf_world_stations(world_of(L)), job > 0 ? (uint64_t)job : 0) != SF_OK)
        return luaL_error(L, "%s: job %d is not %s", what, (int)job,
                          step == sf_stations_pickup ? "waiting for its carrier" : "on its way");
    return 0;
}

static int l_shop_pickup(lua_State *L) { return move_step(L, sf_stations_pickup, "pickup"); }
static int l_shop_deliver(lua_State *L) { return move_step(L, sf_stations_deliver, "deliver"); }

/* shop.repairs_need_crews(): does any failure of the scenario need a repair crew? */
static int l_shop_repairs_need_crews(lua_State *L)
{
    const sf_scenario_config *cfg = config_of(L);
    bool any = false;

    for (size_t i = 0; i < cfg->n_failures; i++)
        any |= cfg->failures[i].repair.n_crew > 0;
    lua_pushboolean(L, any);
    return 1;
}

/* shop.repair(mode, crew): the crew (a list of agents) is at the station: repair it (mttr); blocks until done. */
static int l_shop_repair(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_stations *st = sf_world_stations(world_of(L));
    lua_Integer mode = luaL_checkinteger(L, 1);
    uint32_t crew[16], n = 0;
    int rc;

    sf__self(L, S, "shop.repair");
    luaL_argcheck(L, mode >= 1 && mode <= (lua_Integer)sf_stations_failure_modes(st), 1, "a mode from shop.next_repair()");
    luaL_checktype(L, 2, LUA_TTABLE);
    for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; i++) {
        if (n == 16)
            return luaL_error(L, "repair: a crew of more than 16");
        crew[n++] = check_agent(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if ((rc = sf_stations_repair(st, (uint32_t)mode - 1, crew, n)) < 0)
        return luaL_error(L, "repair: failure mode %d is not waiting for its crew", (int)mode);
    return wait_on(L, S, repair_base(S) + (uint32_t)mode, S->cur);
}

/* The routing of product p: {name, station (group), skill, crew = {{count, label, kinds = {...}, types = {...}}}}. */
static void push_routing(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_product *p)
{
    lua_createtable(L, (int)p->n_ops, 0);
    for (size_t o = 0; o < p->n_ops; o++) {
        const sf_cfg_operation *op = &p->ops[o];
        lua_createtable(L, 0, 4);
        set_string(L, "name", op->name && *op->name ? op->name : cfg->layout.groups[op->group]);
        set_string(L, "station", cfg->layout.groups[op->group]);
        set_string(L, "skill", op->skill);
        push_crew(L, cfg, op);
        lua_setfield(L, -2, "crew");
        lua_rawseti(L, -2, (lua_Integer)o + 1);
    }
}

static int setup(lua_State *L)
{
    sf_script *S = lua_touserdata(L, 1);
    static const luaL_Reg methods[] = {{"name", l_agent_name},       {"kind", l_agent_kind},
                                       {"loaded", l_agent_loaded},   {"node", l_agent_node},
                                       {"battery", l_agent_battery}, {"move_to", l_agent_move_to},
                                       {"type", l_agent_type},       {"behaviour", l_agent_behaviour},
                                       {"battery_policy", l_agent_battery_policy}, {"charge", l_agent_charge},
                                       {"swap", l_agent_swap},
                                       {"lift_height", l_agent_lift_height}, {"payload", l_agent_payload},
                                       {"pick", l_agent_pick},       {"drop", l_agent_drop},
                                       {"shift", l_agent_shift},     {"rest", l_agent_rest},
                                       {"skills", l_agent_skills},   {"station", l_agent_station},
                                       {"home", l_agent_home},       {"can_fail", l_agent_can_fail},
                                       {"down", l_agent_down},       {"repaired", l_agent_repaired},
                                       {"__tostring", l_agent_tostring}, {NULL, NULL}};
    static const luaL_Reg shop[] = {{"agent", l_shop_agent},       {"agents", l_shop_agents},
                                    {"put_away", l_shop_put_away}, {"stored", l_shop_stored},
                                    {"retrieve", l_shop_retrieve}, {"taken", l_shop_taken},
                                    {"products", l_shop_products}, {"arrivals", l_shop_arrivals},
                                    {"next_arrival", l_shop_next_arrival}, {"orders", l_shop_orders},
                                    {"distance", l_shop_distance}, {"horizon", l_shop_horizon},
                                    {"warmup", l_shop_warmup},     {"chargers", l_shop_chargers},
                                    {"dispatch_rule", l_shop_dispatch_rule}, {"crane_cycle", l_shop_crane_cycle},
                                    {"stations", l_shop_stations}, {"release", l_shop_release},
                                    {"complete", l_shop_complete}, {"jobs", l_shop_jobs},
                                    {"take", l_shop_take},         {"work", l_shop_work},
                                    {"unload", l_shop_unload},     {"slot_job", l_shop_slot_job},
                                    {"slot_result", l_shop_slot_result},
                                    {"next_repair", l_shop_next_repair}, {"repair", l_shop_repair},
                                    {"next_move", l_shop_next_move}, {"pickup", l_shop_pickup},
                                    {"deliver", l_shop_deliver},
                                    {"queue", l_shop_queue},
                                    {"repairs_need_crews", l_shop_repairs_need_crews},
                                    {NULL, NULL}};
    uint32_t n = sf_world_agent_count(S->world);

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
    lua_newtable(L);
    luaL_setfuncs(L, shop, 0);
    lua_setglobal(L, "shop");
    return 0;
}

int sf_script_attach_world(sf_script *S, sf_world *w)
{
    uint32_t n = sf_world_agent_count(w), nwait = n;
    const sf_scenario_config *cfg = sf_world_config(w);
    size_t na = cfg->demand.n_arrivals;
    sf_stations *st = sf_world_stations(w);
    uint32_t nst = sf_stations_count(st);

    if (!(S->slot_base = sf_malloc((nst ? nst : 1) * sizeof *S->slot_base)))
        return SF_ENOMEM;
    for (uint32_t i = 0, base = 0; i < nst; i++) {
        S->slot_base[i] = base;
        base += sf_stations_slots(st, i);
        nwait = n + base;
    }
    nwait += 2 + sf_stations_failure_modes(st) + n; /* something to repair, each repair, a move to make, each agent's repair */
    sf_stations_reseed(st, S->opt.seed);
    sf_world_on_station(w, station_done, S);
    S->agent_wait = sf_malloc((nwait ? nwait : 1) * sizeof *S->agent_wait);
    S->agent_gen = sf_calloc(nwait ? nwait : 1, sizeof *S->agent_gen);
    S->arrival_rng = sf_malloc((na ? na : 1) * sizeof *S->arrival_rng);
    S->crane_rng = sf_malloc((cfg->layout.n_racks ? cfg->layout.n_racks : 1) * sizeof *S->crane_rng);
    if (!S->agent_wait || !S->agent_gen || !S->arrival_rng || !S->crane_rng)
        return SF_ENOMEM;
    for (size_t i = 0; i < cfg->layout.n_racks; i++) {
        char name[256];
        snprintf(name, sizeof name, "crane.%s", cfg->layout.racks[i].name);
        sf_rng_init(&S->crane_rng[i], S->opt.seed, name);
    }
    for (size_t i = 0; i < na; i++) {
        char name[256];
        snprintf(name, sizeof name, "arrival.%s", cfg->demand.arrivals[i].name);
        sf_rng_init(&S->arrival_rng[i], S->opt.seed, name);
    }
    for (uint32_t i = 0; i < nwait; i++)
        S->agent_wait[i] = NO_PROC;
    S->world = w;
    lua_pushcfunction(S->L, setup);
    lua_pushlightuserdata(S->L, S);
    if (lua_pcall(S->L, 1, 0, 0) != LUA_OK) {
        lua_pop(S->L, 1);
        return SF_ENOMEM;
    }
    return SF_OK;
}
