/*
 * l_event.c: one-shot events (sim.event, sim.timeout, sim.any_of,
 * sim.all_of) and waiting on them.
 *
 * An event is a userdata holding its state and the slots of the
 * processes waiting on it; its user values are the value (or error), the
 * composite events that watch it, the children of a composite, and the
 * name. A waiting process keeps the event on its own stack, so an event
 * somebody waits on is never collected.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/script_internal.h"

enum { EV_PENDING, EV_OK, EV_FAILED };
enum { C_NONE, C_ANY, C_ALL };
enum { UV_VALUE = 1, UV_PARENTS, UV_CHILDREN, UV_NAME, UV_COUNT = UV_NAME };

struct event {
    uint32_t tag;
    uint8_t state, composite;
    uint32_t nwait, remaining;
    size_t capwait;
    uint32_t *waiters;
    bool idle;      /* waiting for it is waiting for work, not a hang */
    char name[200];
};

static struct event *check_event(lua_State *L, int idx)
{
    return sf__check(L, idx, TAG_EVENT, "event");
}

static int l_event_gc(lua_State *L)
{
    struct event *e = lua_touserdata(L, 1);
    free(e->waiters);
    e->waiters = NULL;
    return 0;
}

static struct event *new_event(lua_State *L, const char *name)
{
    struct event *e = lua_newuserdatauv(L, sizeof *e, UV_COUNT);

    memset(e, 0, sizeof *e);
    e->tag = TAG_EVENT;
    snprintf(e->name, sizeof e->name, "%s", name ? name : "");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setmetatable(L, -2);
    return e;
}

/* sim.event([name [, "idle"]]): "idle" marks waiting for it as waiting for work (see check_deadlock). */
static int l_event(lua_State *L)
{
    const char *how = luaL_optstring(L, 2, NULL);
    struct event *e;

    if (how && strcmp(how, "idle") != 0)
        return luaL_argerror(L, 2, "\"idle\" or nothing");
    e = new_event(L, luaL_optstring(L, 1, NULL));
    e->idle = how != NULL;
    return 1;
}

static void trigger(lua_State *L, int ev, int ok, int value);

/* A child of the composite at index `parent` triggered (child at `child`, its value at `value`). */
static void child_done(lua_State *L, int parent, int child, int ok, int value)
{
    struct event *p = lua_touserdata(L, parent);
    int top = lua_gettop(L);

    if (p->state != EV_PENDING)
        return;
    if (!ok) {
        trigger(L, parent, 0, value);
        return;
    }
    lua_getiuservalue(L, parent, UV_CHILDREN);
    if (p->composite == C_ANY) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1), i;
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            bool same = lua_rawequal(L, -1, child);
            lua_pop(L, 1);
            if (same)
                break;
        }
        lua_pushinteger(L, i);
        trigger(L, parent, 1, lua_gettop(L));
    } else if (--p->remaining == 0) {
        int children = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, children);
        lua_createtable(L, (int)n, 0);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, children, i);
            lua_getiuservalue(L, -1, UV_VALUE);
            lua_rawseti(L, -3, i);
            lua_pop(L, 1);
        }
        trigger(L, parent, 1, lua_gettop(L));
    }
    lua_settop(L, top);
}

/*
 * Trigger the event at index ev with the value (or error) at index
 * value: wake every waiter with it, then tell the composites watching.
 */
static void trigger(lua_State *L, int ev, int ok, int value)
{
    sf_script *S = sf__script(L);
    struct event *e = lua_touserdata(L, ev);
    int top = lua_gettop(L), parents;

    e->state = ok ? EV_OK : EV_FAILED;
    lua_pushvalue(L, value);
    lua_setiuservalue(L, ev, UV_VALUE);
    for (uint32_t i = 0; i < e->nwait; i++) {
        struct proc *p = &S->procs[e->waiters[i]];
        if (!lua_checkstack(p->co, 2))
            luaL_error(L, "out of stack waking a process");
        lua_pushvalue(L, value);
        lua_xmove(L, p->co, 1);
        p->nargs = 1;
        sf__wake(S, e->waiters[i], ok ? W_VALUES : W_RAISE);
    }
    e->nwait = 0;
    if (lua_getiuservalue(L, ev, UV_PARENTS) == LUA_TTABLE) {
        parents = lua_gettop(L);
        for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, parents); i <= n; i++) {
            lua_rawgeti(L, parents, i);
            child_done(L, lua_gettop(L), ev, ok, value);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
}

static int l_succeed(lua_State *L)
{
    struct event *e = check_event(L, 1);

    lua_settop(L, 2);
    if (e->state != EV_PENDING)
        return luaL_error(L, "event '%s' has already been triggered", e->name);
    trigger(L, 1, 1, 2);
    return 0;
}

static int l_fail(lua_State *L)
{
    struct event *e = check_event(L, 1);

    lua_settop(L, 2);
    if (lua_isnil(L, 2))
        return luaL_argerror(L, 2, "an event fails with an error value");
    if (e->state != EV_PENDING)
        return luaL_error(L, "event '%s' has already been triggered", e->name);
    trigger(L, 1, 0, 2);
    return 0;
}

/* ev:wait([timeout]): the value given to succeed; raises the error given to fail; nil, "timeout". */
static int l_ev_wait(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct event *e = check_event(L, 1);
    sf_time timeout = sf__opt_timeout(L, 2);
    uint32_t self;

    if (e->state == EV_OK) {
        lua_getiuservalue(L, 1, UV_VALUE);
        return 1;
    }
    if (e->state == EV_FAILED) {
        lua_getiuservalue(L, 1, UV_VALUE);
        return lua_error(L);
    }
    self = sf__blocking(L, S, "ev:wait");
    if (sf_grow(e->waiters, e->capwait, e->nwait + 1) != SF_OK)
        return luaL_error(L, "out of memory");
    e->waiters[e->nwait++] = self;
    S->procs[self].wev = e;
    lua_settop(L, 1); /* keeps the event alive while waited on */
    return sf__block(L, S, WT_EVENT, timeout, NULL);
}

void sf__event_forget(void *ev, uint32_t pid)
{
    struct event *e = ev;

    for (uint32_t i = 0; i < e->nwait; i++)
        if (e->waiters[i] == pid) {
            memmove(&e->waiters[i], &e->waiters[i + 1], (e->nwait - i - 1) * sizeof e->waiters[0]);
            e->nwait--;
            return;
        }
}

const char *sf__event_name(void *ev)
{
    return ((struct event *)ev)->name;
}

bool sf__event_idle(void *ev)
{
    return ((struct event *)ev)->idle;
}

static int l_triggered(lua_State *L)
{
    lua_pushboolean(L, check_event(L, 1)->state != EV_PENDING);
    return 1;
}

static int l_ok(lua_State *L)
{
    lua_pushboolean(L, check_event(L, 1)->state == EV_OK);
    return 1;
}

static int l_value(lua_State *L)
{
    check_event(L, 1);
    lua_getiuservalue(L, 1, UV_VALUE);
    return 1;
}

/* sim.any_of{...} / sim.all_of{...}: a composite over events. */
static int composite(lua_State *L, int kind)
{
    lua_Integer n;
    struct event *c;
    int cidx;

    luaL_checktype(L, 1, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 1);
    c = new_event(L, kind == C_ANY ? "any_of" : "all_of");
    cidx = lua_gettop(L);
    c->composite = (uint8_t)kind;
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        check_event(L, -1);
        lua_rawseti(L, -2, i);
    }
    lua_setiuservalue(L, cidx, UV_CHILDREN);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        int child = lua_gettop(L);
        struct event *e = lua_touserdata(L, child);
        if (e->state == EV_PENDING) {
            c->remaining++;
            if (lua_getiuservalue(L, child, UV_PARENTS) != LUA_TTABLE) {
                lua_pop(L, 1);
                lua_newtable(L);
                lua_pushvalue(L, -1);
                lua_setiuservalue(L, child, UV_PARENTS);
            }
            lua_pushvalue(L, cidx);
            lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    /* children already triggered decide at once */
    for (lua_Integer i = 1; i <= n && c->state == EV_PENDING; i++) {
        lua_rawgeti(L, 1, i);
        struct event *e = lua_touserdata(L, -1);
        if (e->state != EV_PENDING) {
            lua_getiuservalue(L, -1, UV_VALUE);
            if (kind == C_ANY || e->state == EV_FAILED) {
                if (e->state == EV_FAILED) {
                    trigger(L, cidx, 0, lua_gettop(L));
                } else {
                    lua_pushinteger(L, i);
                    trigger(L, cidx, 1, lua_gettop(L));
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (c->state == EV_PENDING && (n == 0 || (kind == C_ALL && c->remaining == 0))) {
        /* an empty any_of, or an all_of whose children all succeeded already */
        lua_createtable(L, (int)n, 0);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, 1, i);
            lua_getiuservalue(L, -1, UV_VALUE);
            lua_rawseti(L, -3, i);
            lua_pop(L, 1);
        }
        if (kind == C_ANY) {
            lua_pop(L, 1);
            lua_pushnil(L);
        }
        trigger(L, cidx, 1, lua_gettop(L));
        lua_pop(L, 1);
    }
    lua_settop(L, cidx);
    return 1;
}

static int l_any_of(lua_State *L)
{
    return composite(L, C_ANY);
}

static int l_all_of(lua_State *L)
{
    return composite(L, C_ALL);
}

/* sim.timeout(dt [, value]): an event that succeeds after dt with value. */
static int l_timeout(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_time dt;
    uint32_t slot;
    int rc;

    sf__check_time(L, 1, &dt);
    lua_settop(L, 2);
    new_event(L, "timeout");
    lua_pushvalue(L, 2);
    lua_setiuservalue(L, -2, UV_VALUE);
    slot = ++S->ntimers;
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_timers);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, slot);
    lua_pop(L, 1);
    if ((rc = sf_kernel_after(S->k, dt, 0, S->kind_evtimer, slot, NULL)) != SF_OK)
        return luaL_error(L, "cannot schedule a timeout: %s", sf_strerror(rc));
    return 1;
}

static int fire_timer(lua_State *L)
{
    sf_script *S = sf__script(L);
    lua_Integer slot = lua_tointeger(L, 1);

    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_timers);
    lua_rawgeti(L, -1, slot);
    lua_pushnil(L);
    lua_rawseti(L, -3, slot);
    if (((struct event *)lua_touserdata(L, -1))->state != EV_PENDING)
        return 0;
    lua_getiuservalue(L, -1, UV_VALUE);
    trigger(L, lua_gettop(L) - 1, 1, lua_gettop(L));
    return 0;
}

/* Kernel handler: a sim.timeout ran out. Triggering runs protected (it allocates). */
void sf__on_evtimer(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_script *S = ctx;

    (void)k;
    S->last = ev->time;
    lua_pushcfunction(S->L, fire_timer);
    lua_pushinteger(S->L, ev->target);
    if (lua_pcall(S->L, 1, 0, 0) != LUA_OK) {
        sf__fail(S, SF_ESCRIPT, "a timeout event failed: %s", lua_tostring(S->L, -1));
        lua_pop(S->L, 1);
    }
}

void sf__open_events(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"succeed", l_succeed}, {"fail", l_fail},   {"wait", l_ev_wait}, {"triggered", l_triggered},
        {"ok", l_ok},           {"value", l_value}, {"__gc", l_event_gc}, {NULL, NULL},
    };
    static const luaL_Reg fns[] = {
        {"event", l_event}, {"any_of", l_any_of}, {"all_of", l_all_of}, {"timeout", l_timeout}, {NULL, NULL},
    };

    sf__new_class(L);
    luaL_setfuncs(L, methods, 0);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushvalue(L, -1);
        lua_pushcclosure(L, f->func, 1);
        lua_setfield(L, -3, f->name);
    }
    lua_pop(L, 1);
}
