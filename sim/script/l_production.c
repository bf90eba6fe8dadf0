/*
 * l_production.c: production seen from Lua, in the global `shop`:
 * stations and their slots' steps (take, work, unload), jobs (release,
 * complete, queues), moves of units by carrier (next_move, pickup,
 * deliver) and repairs by crews (next_repair, repair).
 *
 * A step that cannot end at once blocks the process on a typed factory
 * wait (waits.c). Calls that wait for something to appear (shop.take,
 * shop.next_move, shop.next_repair) return it when the process is
 * resumed: their continuation reads it from the model then, in the same
 * resume, so the process never asks twice and no kernel event is added.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "script/shop_internal.h"

static uint32_t check_station(lua_State *L, int idx)
{
    sf_stations *st = sf_world_stations(sf__world_of(L));
    lua_Integer i = luaL_checkinteger(L, idx);

    luaL_argcheck(L, i >= 1 && i <= (lua_Integer)sf_stations_count(st), idx, "a station index from shop.stations()");
    return (uint32_t)i - 1;
}

static uint32_t check_slot(lua_State *L, int idx, uint32_t station)
{
    lua_Integer k = luaL_checkinteger(L, idx);

    luaL_argcheck(L, k >= 1 && k <= (lua_Integer)sf_stations_slots(sf_world_stations(sf__world_of(L)), station), idx,
                  "a slot of the station (1 .. its capacity)");
    return (uint32_t)k - 1;
}

/* shop.stations(): {name, group, place, slots, buffer_in, buffer_out} per station, by index. */
static int l_shop_stations(lua_State *L)
{
    sf_world *w = sf__world_of(L);
    const sf_cfg_layout *Lo = &sf__config_of(L)->layout;

    lua_createtable(L, (int)Lo->n_stations, 0);
    for (size_t i = 0; i < Lo->n_stations; i++) {
        const sf_cfg_station *st = &Lo->stations[i];
        lua_createtable(L, 0, 6);
        sf__set_string(L, "name", st->name);
        sf__set_string(L, "group", st->group);
        sf__set_string(L, "place", sf_network_node(sf_world_network(w), (uint32_t)st->node)->name);
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
    const sf_scenario_config *cfg = sf__config_of(L);
    const char *name = luaL_checkstring(L, idx);

    for (size_t i = 0; i < cfg->n_products; i++)
        if (strcmp(cfg->products[i].name, name) == 0)
            return (int)i;
    return luaL_error(L, "no product '%s'", name);
}

/*
 * shop.release(product [, due [, flow]]): a job enters the plant now (due:
 * absolute seconds); its number. For a stored good (no routing) `flow` says
 * what the job is: "stored" (a pallet received, the default) or "shipped"
 * (an order line); a product with a routing takes none.
 */
static int l_shop_release(lua_State *L)
{
    static const char *const flows[] = {"stored", "shipped", NULL};
    sf_stations *st = sf_world_stations(sf__world_of(L));
    int product = product_index(L, 1);
    sf_time due = 0;
    uint64_t number;
    int rc;

    if (!lua_isnoneornil(L, 2))
        sf__check_time(L, 2, &due);
    if (lua_isnoneornil(L, 3))
        rc = sf_stations_release(st, product, due, &number);
    else if (sf__config_of(L)->products[product].n_ops > 0)
        return luaL_error(L, "release: '%s' has a routing, its jobs take no flow", sf__config_of(L)->products[product].name);
    else if (luaL_checkoption(L, 3, NULL, flows) == 1)
        rc = sf_stations_release_order(st, product, due, &number);
    else
        rc = sf_stations_release(st, product, due, &number);
    if (rc != SF_OK)
        return luaL_error(L, "release: out of memory");
    lua_pushinteger(L, (lua_Integer)number);
    return 1;
}

/* shop.complete(number): a job of a stored good (no routing) has left the plant. */
static int l_shop_complete(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);

    if (n < 1 || sf_stations_complete(sf_world_stations(sf__world_of(L)), (uint64_t)n) != SF_OK)
        return luaL_error(L, "complete: job %d is not a job of a stored good in the plant", (int)n);
    return 0;
}

/* shop.jobs(): {released, completed, scrapped, in_progress, reworked}. */
static int l_shop_jobs(lua_State *L)
{
    sf_job_counts c = sf_stations_counts(sf_world_stations(sf__world_of(L)));

    lua_createtable(L, 0, 5);
    sf__set_number(L, "released", (double)c.released);
    sf__set_number(L, "completed", (double)c.completed);
    sf__set_number(L, "scrapped", (double)c.scrapped);
    sf__set_number(L, "in_progress", (double)c.in_progress);
    sf__set_number(L, "reworked", (double)c.reworked);
    return 1;
}

/*
 * A station step's result rc: done at once, or block until the station
 * says so; then the continuation k gives the result (NULL: true).
 */
static int await_step(lua_State *L, sf_script *S, uint32_t station, uint32_t slot, int rc, const char *what,
                      lua_KFunction k)
{
    if (rc < 0)
        return luaL_error(L, "%s: slot %d of station '%s' cannot now (%s)", what, (int)slot + 1,
                          sf__config_of(L)->layout.stations[station].name,
                          rc == SF_EINVAL ? "it is not at that step" : sf_strerror(rc));
    if (rc == 1)
        return k ? k(L, LUA_OK, lua_gettop(L)) : (lua_pushboolean(L, 1), 1);
    return sf__wait_for(L, S, FW_STEP, sf__slot_wait(S, station, slot), k);
}

static void push_job(lua_State *L, const sf_scenario_config *cfg, const sf_job_info *j)
{
    lua_createtable(L, 0, 5);
    sf__set_number(L, "number", (double)j->number);
    sf__set_string(L, "product", cfg->products[j->product].name);
    lua_pushinteger(L, j->op + 1);
    lua_setfield(L, -2, "op");
    sf__set_number(L, "released", sf_time_to_seconds(j->released));
    if (j->due > 0)
        sf__set_number(L, "due", sf_time_to_seconds(j->due));
}

/* The job in a station's slot as shop.slot_job gives it, or nil. */
static int push_slot_job(lua_State *L, uint32_t st, uint32_t slot)
{
    sf_job_info j;

    if (!sf_stations_slot_job(sf_world_stations(sf__world_of(L)), st, slot, &j))
        lua_pushnil(L);
    else
        push_job(L, sf__config_of(L), &j);
    return 1;
}

/* After shop.take: the job taken (arguments 1 and 2 are the station and the slot, checked). */
static int take_k(lua_State *L, int status, lua_KContext base)
{
    (void)status;
    sf__woken(L);
    lua_settop(L, (int)base);
    return push_slot_job(L, (uint32_t)lua_tointeger(L, 1) - 1, (uint32_t)lua_tointeger(L, 2) - 1);
}

/*
 * shop.take(station, slot [, number]): wait for the next job of the
 * station's input (starved meanwhile), or take job `number` from it now;
 * returns the job taken, as shop.slot_job gives it.
 */
static int l_shop_take(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);
    lua_Integer number = luaL_optinteger(L, 3, 0);

    sf_stations *sts = sf_world_stations(S->shop.world);
    int rc;

    sf__blocking(L, S, "shop.take");
    luaL_argcheck(L, number >= 0, 3, "a job number from shop.queue");
    if (number > 0 && sf_stations_slot_job(sts, st, slot, &(sf_job_info){0}))
        return luaL_error(L, "take: slot %d of station '%s' already holds a job", (int)slot + 1,
                          sf__config_of(L)->layout.stations[st].name);
    rc = number > 0 ? sf_stations_take_job(sts, st, slot, (uint64_t)number) : sf_stations_take(sts, st, slot);
    if (number > 0 && rc < 0)
        return luaL_error(L, "take: job %d is not in the input of station '%s'", (int)number,
                          sf__config_of(L)->layout.stations[st].name);
    return await_step(L, S, st, slot, rc, "take", take_k);
}


/* shop.queue(station): the jobs in its input buffer, in order of arrival: {number, product, op, released, due}. */
static int l_shop_queue(lua_State *L)
{
    sf_stations *sts = sf_world_stations(sf__world_of(L));
    uint32_t st = check_station(L, 1), n = sf_stations_input(sts, st, NULL, 0);
    sf_job_info *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);

    sf_stations_input(sts, st, v, n);
    lua_createtable(L, (int)n, 0);
    for (uint32_t i = 0; i < n; i++) {
        push_job(L, sf__config_of(L), &v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* The agents of the list at `idx` (nil: none) into crew[16]; their number. */
static uint32_t agent_list(lua_State *L, int idx, uint32_t *crew, const char *what)
{
    uint32_t n = 0;

    if (lua_isnoneornil(L, idx))
        return 0;
    luaL_checktype(L, idx, LUA_TTABLE);
    for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
        if (n == 16)
            return (uint32_t)luaL_error(L, "%s: a crew of more than 16", what);
        crew[n++] = sf__check_agent(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/*
 * A slot's step with a crew (shop.work, shop.assist; `what` is the call's
 * name, "shop.work"): station, slot and the list of agents.
 */
static int crew_step(lua_State *L, const char *what,
                     int (*step)(sf_stations *, uint32_t, uint32_t, const uint32_t *, uint32_t))
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st), crew[16], n;

    sf__blocking(L, S, what);
    n = agent_list(L, 3, crew, what + 5);
    return await_step(L, S, st, slot, step(sf_world_stations(S->shop.world), st, slot, crew, n), what + 5, NULL);
}

/* A slot's step without one (shop.follow, shop.unload). */
static int slot_step(lua_State *L, const char *what, int (*step)(sf_stations *, uint32_t, uint32_t))
{
    sf_script *S = sf__script(L);
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);

    sf__blocking(L, S, what);
    return await_step(L, S, st, slot, step(sf_world_stations(S->shop.world), st, slot), what + 5, NULL);
}

/* shop.work(station, slot [, crew]): setup and processing of the slot's job with the crew (a list of agents). */
static int l_shop_work(lua_State *L) { return crew_step(L, "shop.work", sf_stations_work); }

/*
 * shop.help(station, slot): nil, or {part = "programming" | "rescue", skill}
 * when the slot's work waits for a person to program its robots or rescue
 * them (docs/production.md, "Who programs and rescues").
 */
static int l_shop_help(lua_State *L)
{
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);
    const char *skill = NULL;
    int part = sf_stations_help(sf_world_stations(sf__world_of(L)), st, slot, &skill);

    if (part == SF_HELP_NONE) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 2);
    sf__set_string(L, "part", part == SF_HELP_PROGRAM ? "programming" : "rescue");
    if (skill)
        sf__set_string(L, "skill", skill);
    return 1;
}

/* shop.assist(station, slot, crew): the people of the crew (at the station) do the part shop.help gave; blocks until done. */
static int l_shop_assist(lua_State *L) { return crew_step(L, "shop.assist", sf_stations_assist); }

/* shop.follow(station, slot): wait until the slot's work is over or waits for a person (at once when none runs). */
static int l_shop_follow(lua_State *L) { return slot_step(L, "shop.follow", sf_stations_follow); }

/* shop.unload(station, slot): hand the processed unit on (blocked while there is no room). */
static int l_shop_unload(lua_State *L) { return slot_step(L, "shop.unload", sf_stations_unload); }

/* shop.slot_job(station, slot): {number, product, op (1-based), released, due, result} or nil. */
static int l_shop_slot_job(lua_State *L)
{
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);
    return push_slot_job(L, st, slot);
}

/* shop.slot_result(station, slot): "good" or "scrapped", how the slot's last work ended. */
static int l_shop_slot_result(lua_State *L)
{
    uint32_t st = check_station(L, 1), slot = check_slot(L, 2, st);

    lua_pushstring(L, sf_stations_result(sf_world_stations(sf__world_of(L)), st, slot) == SF_WORK_SCRAPPED ? "scrapped"
                                                                                                     : "good");
    return 1;
}

/* A crew: {{count, label, kinds = {...}, types = {...}}...}. */
void sf__push_crew(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_operation *op)
{
    lua_createtable(L, (int)op->n_crew, 0);
    for (size_t c = 0; c < op->n_crew; c++) {
        const sf_cfg_crew_need *need = &op->crew[c];
        lua_Integer n = 0;
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, need->count);
        lua_setfield(L, -2, "count");
        sf__set_string(L, "label", need->label);
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

static int next_repair(lua_State *L, sf_script *S);

/* After a wait for a failure to repair: return it (or wait again, should another have taken it). */
static int next_repair_k(lua_State *L, int status, lua_KContext base)
{
    (void)status;
    sf__woken(L);
    lua_settop(L, (int)base);
    return next_repair(L, sf__script(L));
}

/*
 * Where failed agent `id` stands, for its repair crew (docs/production.md,
 * "Who repairs"): the node it stands at (an arm's, its station's), or, when
 * it stopped on a segment (a vehicle braking to a halt, a person stopped
 * mid-walk), the nearer end of that segment, pushed as "place", and the
 * metres on from there to it along the segment as "walk".
 */
static void push_spot(lua_State *L, sf_world *w, uint32_t id)
{
    const sf_agent *a = sf_world_agent(w, id);
    sf_mover_spot p = {a->home, a->home, 0, 0};

    if (a->mover != SF_NO_AGENT)
        p = sf_movers_rest_spot(sf_world_movers(w), a->mover);
    bool near_from = p.into <= p.length - p.into;
    uint32_t node = near_from ? p.from : p.to;
    if (node == UINT32_MAX)
        return;
    sf__set_string(L, "place", sf_network_node(sf_world_network(w), node)->name);
    sf__set_number(L, "walk", near_from ? p.into : p.length - p.into);
}

static int next_repair(lua_State *L, sf_script *S)
{
    sf_failures *fs = sf_world_failures(S->shop.world);
    const sf_scenario_config *cfg = sf_world_config(S->shop.world);
    uint32_t mode, station, agent;
    const sf_cfg_failure *f;

    if (sf_failures_next_repair(fs, &mode) != 1)
        return sf__wait_for(L, S, FW_NEXT_REPAIR, 0, next_repair_k);
    bool of_agent = sf_failures_agent_mode(fs, mode, &agent, &f);
    if (!of_agent && !sf_failures_mode(fs, mode, &station, &f))
        return sf__wait_for(L, S, FW_NEXT_REPAIR, 0, next_repair_k);
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, (lua_Integer)mode + 1);
    lua_setfield(L, -2, "mode");
    if (of_agent) {
        sf__push_agent(L, agent);
        lua_setfield(L, -2, "agent");
        push_spot(L, S->shop.world, agent);
    } else {
        lua_pushinteger(L, (lua_Integer)station + 1);
        lua_setfield(L, -2, "station");
    }
    sf__set_string(L, "failure", f->name);
    sf__set_string(L, "skill", f->repair.skill);
    sf__push_crew(L, cfg, &f->repair);
    lua_setfield(L, -2, "crew");
    return 1;
}

/*
 * shop.next_repair(): the oldest failure waiting for its repair crew,
 * {mode, station (index), failure, crew, skill}, or for an agent's failure
 * {mode, agent, place, walk, failure, crew, skill} (push_spot); when none
 * waits, blocks until one does and returns it.
 */
static int l_shop_next_repair(lua_State *L)
{
    sf_script *S = sf__script(L);

    sf__world_of(L);
    sf__blocking(L, S, "shop.next_repair");
    return next_repair(L, S);
}

/* A move's end: a station's name, or the product's dock there. */
static const char *move_end(const sf_scenario_config *cfg, int product, uint32_t station, bool from)
{
    const sf_cfg_product *p = &cfg->products[product];
    return station != UINT32_MAX ? cfg->layout.stations[station].name : sf__dock_name(cfg, from ? p->source : p->sink);
}

static int next_move(lua_State *L, sf_script *S);

/* After a wait for a unit to carry: return its move (or wait again, should there be none after all). */
static int next_move_k(lua_State *L, int status, lua_KContext base)
{
    (void)status;
    sf__woken(L);
    lua_settop(L, (int)base);
    return next_move(L, sf__script(L));
}

static int next_move(lua_State *L, sf_script *S)
{
    const sf_scenario_config *cfg = sf_world_config(S->shop.world);
    sf_move m;

    if (sf_stations_next_move(sf_world_stations(S->shop.world), &m) != 1)
        return sf__wait_for(L, S, FW_NEXT_MOVE, 0, next_move_k);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, (lua_Integer)m.job);
    lua_setfield(L, -2, "job");
    sf__set_string(L, "product", cfg->products[m.product].name);
    sf__set_string(L, "from", move_end(cfg, m.product, m.from, true));
    sf__set_string(L, "to", move_end(cfg, m.product, m.to, false));
    sf__set_number(L, "mass", cfg->products[m.product].mass);
    sf__push_crew(L, cfg, &cfg->products[m.product].transport);
    lua_setfield(L, -2, "carrier");
    /* the scenario checks allow vehicles or people, not both */
    sf__set_string(L, "by", cfg->products[m.product].transport_kinds & SF_VEHICLE_KINDS ? "vehicle" : "people");
    return 1;
}

/*
 * shop.next_move(): the oldest unit waiting for its carrier (a product's
 * `transport`), {job, product, from, to, mass, carrier, by}: from and to
 * are place names (a station, or the product's dock), carrier the
 * transport's needs as in a routing's crew, by "vehicle" or "people".
 * When none waits, blocks until one does and returns it.
 */
static int l_shop_next_move(lua_State *L)
{
    sf_script *S = sf__script(L);

    sf__world_of(L);
    sf__blocking(L, S, "shop.next_move");
    return next_move(L, S);
}

/* shop.pickup(job), shop.deliver(job): a carrier takes the unit of a move from shop.next_move, and sets it down. */
static int move_step(lua_State *L, int (*step)(sf_stations *, uint64_t), const char *what)
{
    lua_Integer job = luaL_checkinteger(L, 1);

    if (step(sf_world_stations(sf__world_of(L)), job > 0 ? (uint64_t)job : 0) != SF_OK)
        return luaL_error(L, "%s: job %d is not %s", what, (int)job,
                          step == sf_stations_pickup ? "waiting for its carrier" : "on its way");
    return 0;
}

static int l_shop_pickup(lua_State *L) { return move_step(L, sf_stations_pickup, "pickup"); }
static int l_shop_deliver(lua_State *L) { return move_step(L, sf_stations_deliver, "deliver"); }

/* shop.repairs_need_crews(): does any failure of the scenario need a repair crew? */
static int l_shop_repairs_need_crews(lua_State *L)
{
    const sf_scenario_config *cfg = sf__config_of(L);
    bool any = false;

    for (size_t i = 0; i < cfg->n_failures; i++)
        any |= cfg->failures[i].repair.n_crew > 0;
    lua_pushboolean(L, any);
    return 1;
}

/* The seconds the slowest of `crew` takes to walk `metres` (0 for none, or a crew without a walking speed). */
static sf_time crew_walk(sf_world *w, const uint32_t *crew, uint32_t n, double metres)
{
    double slowest = 0;
    sf_time t;

    for (uint32_t i = 0; i < n; i++) {
        double v = sf_world_config(w)->fleet.types[sf_world_agent(w, crew[i])->type].speed;
        slowest = v > 0 && (slowest == 0 || v < slowest) ? v : slowest;
    }
    return metres > 0 && slowest > 0 && sf_time_from_seconds(metres / slowest, &t) == SF_OK ? t : 0;
}

/*
 * shop.repair(mode, crew [, walk]): the crew (a list of agents) is at the
 * station, or at the place of a failed agent and `walk` metres from it:
 * it walks them (the slowest's speed) and repairs it (mttr); blocks until
 * done.
 */
static int l_shop_repair(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_world *w = sf__world_of(L);
    sf_failures *fs = sf_world_failures(w);
    lua_Integer mode = luaL_checkinteger(L, 1);
    double walk = luaL_optnumber(L, 3, 0);
    uint32_t crew[16], n;
    int rc;

    sf__blocking(L, S, "shop.repair");
    luaL_argcheck(L, mode >= 1 && mode <= (lua_Integer)sf_failures_modes(fs), 1, "a mode from shop.next_repair()");
    luaL_checktype(L, 2, LUA_TTABLE);
    n = agent_list(L, 2, crew, "repair");
    if ((rc = sf_failures_repair_after(fs, (uint32_t)mode - 1, crew, n, crew_walk(w, crew, n, walk))) < 0)
        return luaL_error(L, "repair: failure mode %d is not waiting for its crew", (int)mode);
    return sf__wait_for(L, S, FW_REPAIR, (uint32_t)mode - 1, NULL);
}

/* The routing of product p: {name, station (group), skill, crew = {{count, label, kinds = {...}, types = {...}}}}. */
void sf__push_routing(lua_State *L, const sf_scenario_config *cfg, const sf_cfg_product *p)
{
    lua_createtable(L, (int)p->n_ops, 0);
    for (size_t o = 0; o < p->n_ops; o++) {
        const sf_cfg_operation *op = &p->ops[o];
        lua_createtable(L, 0, 4);
        sf__set_string(L, "name", op->name && *op->name ? op->name : cfg->layout.groups[op->group]);
        sf__set_string(L, "station", cfg->layout.groups[op->group]);
        sf__set_string(L, "skill", op->skill);
        sf__push_crew(L, cfg, op);
        lua_setfield(L, -2, "crew");
        lua_rawseti(L, -2, (lua_Integer)o + 1);
    }
}

void sf__open_production(lua_State *L)
{
    static const luaL_Reg shop[] = {{"stations", l_shop_stations}, {"release", l_shop_release},
                                    {"complete", l_shop_complete}, {"jobs", l_shop_jobs},
                                    {"take", l_shop_take},         {"work", l_shop_work},
                                    {"unload", l_shop_unload},     {"slot_job", l_shop_slot_job},
                                    {"slot_result", l_shop_slot_result},
                                    {"next_repair", l_shop_next_repair}, {"repair", l_shop_repair},
                                    {"next_move", l_shop_next_move}, {"pickup", l_shop_pickup},
                                    {"deliver", l_shop_deliver},   {"queue", l_shop_queue},
                                    {"repairs_need_crews", l_shop_repairs_need_crews},
                                    {"help", l_shop_help},         {"assist", l_shop_assist},
                                    {"follow", l_shop_follow},
                                    {NULL, NULL}};
    luaL_setfuncs(L, shop, 0);
}
