/*
 * l_shop.c: the warehouse and the plant's data seen from Lua, in the
 * global `shop`: storage cells (put_away, stored, retrieve, taken, the
 * cranes' cycles), products, arrivals and orders, places and distances,
 * chargers, and the scenario's run facts. Also the attachment of the
 * world: the global itself (agents, l_agents.c; production,
 * l_production.c), the factory waits (waits.c) and the random streams of
 * the demand and the cranes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/shop_internal.h"

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

/* The cell a reservation got, or nil and why there is none. */
static int push_reserved(lua_State *L, bool ok, const sf_cell_ref *c, const char *why_not)
{
    if (!ok) {
        lua_pushnil(L);
        lua_pushstring(L, why_not);
        return 2;
    }
    push_cell(L, sf__world_of(L), c);
    return 1;
}

/* shop.put_away([class]): reserve a storage cell for an incoming load ('A', 'B' or 'C'); nil when full. */
static int l_shop_put_away(lua_State *L)
{
    const char *cls = luaL_optstring(L, 1, "C");
    sf_cell_ref c;
    bool ok = sf_storage_reserve_put(sf_world_storage(sf__world_of(L)), cls[0], &c) == SF_OK;

    return push_reserved(L, ok, &c, "storage is full");
}

/* shop.stored(cell, item): the load of item (an integer) is now in the cell reserved for it. */
static int l_shop_stored(lua_State *L)
{
    sf_world *w = sf__world_of(L);
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
    lua_Integer item = luaL_checkinteger(L, 1);
    sf_cell_ref c;
    bool ok = item >= 0 && item <= UINT32_MAX &&
              sf_storage_reserve_take(sf_world_storage(sf__world_of(L)), (uint32_t)item, &c) == SF_OK;

    return push_reserved(L, ok, &c, "no such load can be reached");
}

/* shop.taken(cell): the load reserved with shop.retrieve has left its cell. */
static int l_shop_taken(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    sf_cell_ref c = check_cell(L, 1);

    if (sf_storage_commit_take(sf_world_storage(w), &c) != SF_OK)
        return luaL_error(L, "taken: that cell was not reserved with shop.retrieve");
    return 0;
}

/* A rack (from 1) at argument idx, and a reach (metres) at idx + 1 unless `reach` is NULL. */
static uint32_t check_rack(lua_State *L, int idx, double *reach)
{
    lua_Integer r = luaL_checkinteger(L, idx);

    if (r < 1 || (size_t)r > sf_world_config(sf__world_of(L))->layout.n_racks)
        luaL_argerror(L, idx, "a rack number (from 1)");
    if (reach)
        *reach = luaL_checknumber(L, idx + 1);
    return (uint32_t)(r - 1);
}

/* shop.put_away_in(rack, reach): reserve a cell of that rack no higher than reach; nil when there is none. */
static int l_shop_put_away_in(lua_State *L)
{
    double reach;
    uint32_t rack = check_rack(L, 1, &reach);
    sf_cell_ref c;
    bool ok = sf_storage_reserve_put_in(sf_world_storage(sf__world_of(L)), rack, reach, &c) == SF_OK;

    return push_reserved(L, ok, &c, "no free cell in that rack within reach");
}

/* shop.retrieve_from(rack, reach, item): reserve the oldest load of item at the front of a lane of that rack. */
static int l_shop_retrieve_from(lua_State *L)
{
    double reach;
    uint32_t rack = check_rack(L, 1, &reach);
    lua_Integer item = luaL_checkinteger(L, 3);
    sf_cell_ref c;
    bool ok = item >= 0 && item <= UINT32_MAX &&
              sf_storage_reserve_take_from(sf_world_storage(sf__world_of(L)), rack, (uint32_t)item, reach, &c) == SF_OK;

    return push_reserved(L, ok, &c, "no such load within reach in that rack");
}

/* shop.cancel_put(cell): a cell reserved with shop.put_away_in or shop.put_away is free again. */
static int l_shop_cancel_put(lua_State *L)
{
    sf_cell_ref c = check_cell(L, 1);

    if (sf_storage_cancel_put(sf_world_storage(sf__world_of(L)), &c) != SF_OK)
        return luaL_error(L, "cancel_put: that cell was not reserved for a put-away");
    return 0;
}

/* shop.rack_count(rack, item): loads of item in that rack. */
static int l_shop_rack_count(lua_State *L)
{
    uint32_t rack = check_rack(L, 1, NULL);
    lua_Integer item = luaL_checkinteger(L, 2);

    lua_pushinteger(L, item < 0 || item > UINT32_MAX
                           ? 0
                           : (lua_Integer)sf_storage_rack_count(sf_world_storage(sf__world_of(L)), rack, (uint32_t)item));
    return 1;
}

/* ---- demand and places --------------------------------------------------- */

/* shop.products(): {name, mass, source, sink, routed} for each product. */
static int l_shop_products(lua_State *L)
{
    const sf_scenario_config *cfg = sf__config_of(L);

    lua_createtable(L, (int)cfg->n_products, 0);
    for (size_t i = 0; i < cfg->n_products; i++) {
        const sf_cfg_product *p = &cfg->products[i];
        lua_createtable(L, 0, 5);
        sf__set_string(L, "name", p->name);
        sf__set_number(L, "mass", p->mass);
        sf__set_string(L, "source", sf__dock_name(cfg, p->source));
        sf__set_string(L, "sink", sf__dock_name(cfg, p->sink));
        lua_pushlstring(L, &p->abc, 1);
        lua_setfield(L, -2, "class");
        lua_pushboolean(L, p->n_ops > 0);
        lua_setfield(L, -2, "routed");
        sf__push_routing(L, cfg, p);
        lua_setfield(L, -2, "routing");
        if (p->transport.n_crew > 0) {
            sf__push_crew(L, cfg, &p->transport);
            lua_setfield(L, -2, "transport");
            sf__set_string(L, "carried_by", p->transport_kinds & SF_VEHICLE_KINDS ? "vehicle" : "people");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* shop.arrivals(): {name, index, batch, start, stop, due_in, mix = {{product, weight}...}} in seconds. */
static int l_shop_arrivals(lua_State *L)
{
    const sf_scenario_config *cfg = sf__config_of(L);

    lua_createtable(L, (int)cfg->demand.n_arrivals, 0);
    for (size_t i = 0; i < cfg->demand.n_arrivals; i++) {
        const sf_cfg_arrival *a = &cfg->demand.arrivals[i];
        lua_createtable(L, 0, 7);
        sf__set_string(L, "name", a->name);
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_setfield(L, -2, "index");
        lua_pushinteger(L, a->batch > 0 ? a->batch : 1);
        lua_setfield(L, -2, "batch");
        sf__set_number(L, "start", sf_time_to_seconds(a->start));
        if (a->stop != SF_TIME_MAX)
            sf__set_number(L, "stop", sf_time_to_seconds(a->stop));
        if (a->due_in > 0)
            sf__set_number(L, "due_in", sf_time_to_seconds(a->due_in));
        lua_createtable(L, (int)a->n_mix, 0);
        for (size_t m = 0; m < a->n_mix; m++) {
            lua_createtable(L, 0, 2);
            sf__set_string(L, "product", cfg->products[a->products[m]].name);
            sf__set_number(L, "weight", a->weights[m]);
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
    const sf_scenario_config *cfg = sf__config_of(L);
    lua_Integer i = luaL_checkinteger(L, 1);
    double dt;

    luaL_argcheck(L, i >= 1 && (size_t)i <= cfg->demand.n_arrivals, 1, "an arrival index from shop.arrivals()");
    dt = sf_dist_sample(&cfg->demand.arrivals[i - 1].every, &S->shop.streams.arrival[i - 1]);
    lua_pushnumber(L, dt > 0 ? dt : 0);
    return 1;
}

/* shop.orders(): {name, at, product, quantity, due} in seconds. */
static int l_shop_orders(lua_State *L)
{
    const sf_scenario_config *cfg = sf__config_of(L);

    lua_createtable(L, (int)cfg->demand.n_orders, 0);
    for (size_t i = 0; i < cfg->demand.n_orders; i++) {
        const sf_cfg_order *o = &cfg->demand.orders[i];
        lua_createtable(L, 0, 6);
        sf__set_string(L, "name", o->name);
        sf__set_number(L, "at", sf_time_to_seconds(o->at_time));
        sf__set_string(L, "product", cfg->products[o->product].name);
        lua_pushinteger(L, o->quantity);
        lua_setfield(L, -2, "quantity");
        if (o->due > 0)
            sf__set_number(L, "due", sf_time_to_seconds(o->due));
        if (o->every > 0)
            sf__set_number(L, "every", sf_time_to_seconds(o->every));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/*
 * shop.distance(a, b [, way]): metres along the shortest-time route between
 * two places, or nil. way 'vehicle' (the default) drives through guarded
 * cells and robots_only zones; 'foot' walks round them as people do
 * (model/network.h).
 */
static int l_shop_distance(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    const char *way = luaL_optstring(L, 3, "vehicle");
    uint32_t a, b;
    double len;
    int rc;

    if (strcmp(way, "vehicle") != 0 && strcmp(way, "foot") != 0)
        return luaL_error(L, "distance: way '%s' is neither 'vehicle' nor 'foot'", way);
    if (sf_world_place(w, luaL_checkstring(L, 1), &a) != SF_OK)
        return luaL_error(L, "distance: no place '%s'", lua_tostring(L, 1));
    if (sf_world_place(w, luaL_checkstring(L, 2), &b) != SF_OK)
        return luaL_error(L, "distance: no place '%s'", lua_tostring(L, 2));
    if ((rc = sf_network_route_length_as(sf_world_network(w), a, b, 1.0, strcmp(way, "foot") == 0, &len)) != SF_OK) {
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
    sf_world *w = sf__world_of(L);
    const sf_scenario_config *cfg = sf__config_of(L);

    lua_createtable(L, (int)cfg->layout.n_chargers, 0);
    for (size_t i = 0; i < cfg->layout.n_chargers; i++) {
        const sf_cfg_charger *c = &cfg->layout.chargers[i];
        lua_createtable(L, 0, 4);
        sf__set_string(L, "name", c->name);
        sf__set_string(L, "place", sf_network_node(sf_world_network(w), (uint32_t)c->node)->name);
        sf__set_number(L, "power", c->power);
        lua_pushinteger(L, c->slots > 0 ? c->slots : 1);
        lua_setfield(L, -2, "slots");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/*
 * shop.crane_cycle(cell): seconds one storage or retrieval takes the
 * AS/RS crane of the cell's rack, drawn from the rack's cycle_time on the
 * stream "crane.<rack>". The cycle starts now: the crane draws its
 * energy over those seconds (model/cranes.h), so call it as the crane
 * starts.
 */
static int l_shop_crane_cycle(lua_State *L)
{
    sf_script *S = sf__script(L);
    const sf_scenario_config *cfg = sf__config_of(L);
    sf_cell_ref c = check_cell(L, 1);
    double dt;

    if (c.rack >= cfg->layout.n_racks || cfg->layout.racks[c.rack].kind != SF_RACK_ASRS)
        return luaL_error(L, "crane_cycle: that cell is not in an AS/RS");
    dt = sf_dist_sample(&cfg->layout.racks[c.rack].cycle_time, &S->shop.streams.crane[c.rack]);
    if (sf_world_crane_cycle(sf__world_of(L), c.rack, (int)c.level, dt > 0 ? dt : 0) != SF_OK)
        return luaL_error(L, "crane_cycle: the crane of rack '%s' cannot start a cycle", cfg->layout.racks[c.rack].name);
    lua_pushnumber(L, dt > 0 ? dt : 0);
    return 1;
}

/*
 * shop.peak(): whether now is in a peak band of energy.tariff (a band at
 * its highest price, when it has two prices or more), and if so the
 * seconds until the peak ends.
 */
static int l_shop_peak(lua_State *L)
{
    sf_script *S = sf__script(L);
    const sf_scenario_config *cfg = sf__config_of(L);
    sf_time now = sf_kernel_now(S->k), end;

    if (!sf_tariff_peak(&cfg->energy, cfg->scenario.start_time_of_day, now, &end)) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushboolean(L, 1);
    lua_pushnumber(L, sf_time_to_seconds(end - now));
    return 2;
}

/* shop.dispatch_rule(): the scenario's `demand.dispatch` ("nearest" when it gives none). */
static int l_shop_dispatch_rule(lua_State *L)
{
    const char *rule = sf__config_of(L)->demand.dispatch;
    lua_pushstring(L, rule ? rule : "nearest");
    return 1;
}

/* shop.horizon(), shop.warmup(): the scenario's run length and warm-up, seconds. */
static int l_shop_horizon(lua_State *L)
{
    lua_pushnumber(L, sf_time_to_seconds(sf__config_of(L)->scenario.horizon));
    return 1;
}

static int l_shop_warmup(lua_State *L)
{
    lua_pushnumber(L, sf_time_to_seconds(sf__config_of(L)->scenario.warmup));
    return 1;
}


/* Runs under lua_pcall: the global `shop`, the agents' proxies. */
static int setup(lua_State *L)
{
    sf_script *S = lua_touserdata(L, 1);
    static const luaL_Reg shop[] = {{"put_away", l_shop_put_away}, {"stored", l_shop_stored},
                                    {"retrieve", l_shop_retrieve}, {"taken", l_shop_taken},
                                    {"put_away_in", l_shop_put_away_in}, {"retrieve_from", l_shop_retrieve_from},
                                    {"rack_count", l_shop_rack_count}, {"cancel_put", l_shop_cancel_put},
                                    {"products", l_shop_products}, {"arrivals", l_shop_arrivals},
                                    {"next_arrival", l_shop_next_arrival}, {"orders", l_shop_orders},
                                    {"distance", l_shop_distance}, {"horizon", l_shop_horizon},
                                    {"warmup", l_shop_warmup},     {"chargers", l_shop_chargers},
                                    {"dispatch_rule", l_shop_dispatch_rule}, {"crane_cycle", l_shop_crane_cycle},
                                    {"peak", l_shop_peak},
                                    {NULL, NULL}};

    lua_newtable(L);
    luaL_setfuncs(L, shop, 0);
    sf__open_agents(L, S);
    sf__open_production(L);
    lua_setglobal(L, "shop");
    return 0;
}

/* The stream "<prefix>.<name>" into r. */
static void stream(const sf_script *S, sf_rng *r, const char *prefix, const char *name)
{
    char full[256];

    snprintf(full, sizeof full, "%s.%s", prefix, name);
    sf_rng_init(r, S->opt.seed, full);
}

int sf_script_attach_world(sf_script *S, sf_world *w)
{
    const sf_scenario_config *cfg = sf_world_config(w);
    size_t na = cfg->demand.n_arrivals, nr = cfg->layout.n_racks;
    int rc;

    if ((rc = sf__waits_init(S, w)) != SF_OK)
        return rc;
    sf_stations_reseed(sf_world_stations(w), S->opt.seed);
    S->shop.streams.arrival = sf_malloc((na ? na : 1) * sizeof *S->shop.streams.arrival);
    S->shop.streams.crane = sf_malloc((nr ? nr : 1) * sizeof *S->shop.streams.crane);
    if (!S->shop.streams.arrival || !S->shop.streams.crane)
        return SF_ENOMEM;
    for (size_t i = 0; i < nr; i++)
        stream(S, &S->shop.streams.crane[i], "crane", cfg->layout.racks[i].name);
    for (size_t i = 0; i < na; i++)
        stream(S, &S->shop.streams.arrival[i], "arrival", cfg->demand.arrivals[i].name);
    S->shop.world = w;
    lua_pushcfunction(S->L, setup);
    lua_pushlightuserdata(S->L, S);
    if (lua_pcall(S->L, 1, 0, 0) != LUA_OK) {
        lua_pop(S->L, 1);
        return SF_ENOMEM;
    }
    return SF_OK;
}

void sf__shop_free(sf_script *S)
{
    sf__waits_free(S);
    free(S->shop.streams.arrival);
    free(S->shop.streams.crane);
}
