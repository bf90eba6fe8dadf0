/*
 * l_sim.c: the bindings for time, processes and logging (sim.now,
 * sim.wait, sim.spawn, proc:interrupt, proc:join, sim.log), and the
 * sandboxed versions of require, load, print and coroutines; random
 * streams, tallies and levels are in l_stats.c.
 *
 * Userdata carry a type tag in their first word, checked by sf__check;
 * the sandbox has no other source of userdata, so the tag is enough.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "script/script_internal.h"

void *sf__check(lua_State *L, int idx, uint32_t tag, const char *what)
{
    uint32_t *u = lua_touserdata(L, idx);

    /* every full userdata a script can reach is one of ours, with a tag first */
    if (!u || lua_type(L, idx) != LUA_TUSERDATA || *u != tag)
        luaL_typeerror(L, idx, what);
    return u;
}

/*
 * The running process, for a call that may block: raises before anything
 * is armed (a timer, a queue entry, a subscription) when the process
 * cannot yield here, inside a C function that calls Lua (a table.sort
 * comparator, a string.gsub callback, __tostring, a store:get filter).
 * Armed and then refused, the wait would stay behind and wake or serve
 * the process later, at another wait or after it ended.
 */
uint32_t sf__blocking(lua_State *L, sf_script *S, const char *what)
{
    uint32_t self = sf__self(L, S, what);

    sf__can_block(L, what);
    return self;
}

void sf__can_block(lua_State *L, const char *what)
{
    if (!lua_isyieldable(L))
        luaL_error(L, "%s cannot block here: inside a C function such as a table.sort comparator, a string.gsub "
                      "callback, a __tostring metamethod or a store:get filter",
                   what);
}

uint32_t sf__self(lua_State *L, sf_script *S, const char *what)
{
    if (S->cur == NO_PROC || S->procs[S->cur].co != L)
        luaL_error(L, "%s may only be called by a process (a function started with sim.spawn or the model's "
                      "top-level code), not inside a coroutine of its own",
                   what);
    return S->cur;
}

sf_time sf__opt_timeout(lua_State *L, int idx)
{
    sf_time t;

    if (lua_isnoneornil(L, idx))
        return -1;
    sf__check_time(L, idx, &t);
    return t;
}

/* ---- time and processes ---- */

static int l_now(lua_State *L)
{
    lua_pushnumber(L, sf_time_to_seconds(sf_kernel_now(sf__script(L)->k)));
    return 1;
}

/* sim.wait(dt): the hot path. One timer event, no allocation. */
static int l_wait(lua_State *L)
{
    sf_script *S = sf__script(L);
    sf_time dt;

    sf__blocking(L, S, "sim.wait");
    if (lua_type(L, 1) == LUA_TNUMBER) {
        double s = lua_tonumber(L, 1);
        if (!(s >= 0))
            return luaL_argerror(L, 1, lua_pushfstring(L, "a duration must be a number >= 0, got %f", s));
        if (sf_time_from_seconds(s, &dt) != SF_OK)
            return luaL_argerror(L, 1, lua_pushfstring(L, "a wait of %f s is too long: the longest is %f s", s,
                                                       sf_time_to_seconds(SF_TIME_MAX)));
    } else {
        sf__check_time(L, 1, &dt);
    }
    /* no lua_settop: the continuation returns only what is pushed above the arguments */
    return sf__block(L, S, WT_SLEEP, dt, NULL);
}

static uint32_t alloc_slot(lua_State *L, sf_script *S)
{
    uint32_t slot;
    lua_State *co;

    if (S->free_head != NO_PROC) {
        slot = S->free_head;
        S->free_head = S->procs[slot].next_free;
        return slot;
    }
    if (S->nprocs == S->capprocs) {
        uint32_t cap = S->capprocs ? S->capprocs * 2 : 64;
        /* one cache line per process: resuming one touches a single line of this array */
        struct proc *v = aligned_alloc(64, cap * sizeof *v);
        /* a process is made ready at most once at a time: the ready list never needs more room than this */
        if (!v || sf_grow(S->ready, S->capready, cap) != SF_OK || sf_grow(S->serials, S->capserials, cap) != SF_OK) {
            free(v);
            luaL_error(L, "out of memory for processes");
        }
        if (S->nprocs)
            memcpy(v, S->procs, S->nprocs * sizeof *v);
        free(S->procs);
        S->procs = v;
        S->capprocs = cap;
    }
    slot = S->nprocs;
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_threads);
    co = sf__new_thread(L, S, slot);
    lua_sethook(co, sf__budget_hook, LUA_MASKCOUNT, S->chunk);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_owned);
    lua_pushvalue(L, -2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_rawseti(L, -2, (lua_Integer)slot + 1);
    lua_pop(L, 1);
    memset(&S->procs[slot], 0, sizeof S->procs[slot]);
    S->procs[slot].co = co;
    S->procs[slot].gen = 1;
    S->nprocs++;
    return slot;
}

/* Make the handle of process `slot` and keep it in the handles table; leaves it on the stack. */
static void new_handle(lua_State *L, sf_script *S, uint32_t slot)
{
    struct handle *h = lua_newuserdatauv(L, sizeof *h, 2);

    h->tag = TAG_PROC;
    h->slot = slot;
    h->gen = S->procs[slot].gen;
    h->serial = S->serials[slot];
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_procmt);
    lua_setmetatable(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_handles);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, (lua_Integer)slot + 1);
    lua_pop(L, 1);
}

bool sf__push_handle(lua_State *L, sf_script *S, uint32_t slot, bool make)
{
    const struct handle *h;

    lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_handles);
    lua_rawgeti(L, -1, (lua_Integer)slot + 1);
    lua_remove(L, -2);
    h = lua_touserdata(L, -1);
    if (h && h->gen == S->procs[slot].gen)
        return true;
    lua_pop(L, 1);
    if (!make) {
        lua_pushnil(L);
        return false;
    }
    new_handle(L, S, slot);
    return true;
}

/*
 * sim.spawn([name,] fn, ...) and sim.start([name,] fn, ...): start fn(...)
 * as a process at the current time. spawn returns its handle; start
 * returns nothing and makes the handle only when one is asked for
 * (sim.self, an interrupt it raises) or a name needs a place: a process
 * nobody will join or interrupt costs no allocation.
 */
static int start_process(lua_State *L, bool handle)
{
    sf_script *S = sf__script(L);
    int first = lua_type(L, 1) == LUA_TSTRING ? 2 : 1, nargs, rc;
    uint32_t slot;
    struct proc *p;

    luaL_checktype(L, first, LUA_TFUNCTION);
    if (first == 2)
        sf__check_name(L, 1, "process");
    nargs = lua_gettop(L) - first;
    if (nargs > MAX_SPAWN_ARGS)
        return luaL_error(L, "too many arguments for a process (%d)", nargs);
    slot = alloc_slot(L, S);
    p = &S->procs[slot];
    if (!lua_checkstack(p->co, nargs + 1))
        return luaL_error(L, "too many arguments for a process");
    S->serials[slot] = ++S->serial;
    if (handle || first == 2) {
        new_handle(L, S, slot);
        if (first == 2) {
            lua_pushvalue(L, 1);
            lua_setiuservalue(L, -2, 1);
        }
        lua_insert(L, first);
    }
    lua_xmove(L, p->co, nargs + 1);
    p->nargs = (uint16_t)nargs;
    p->fresh = 1;
    p->state = P_READY;
    p->wtype = WT_NONE;
    p->since = sf_kernel_now(S->k);
    if ((rc = sf__ready(S, slot)) != SF_OK)
        return luaL_error(L, "cannot start a process: %s", sf_strerror(rc));
    S->alive++;
    return handle;
}

static int l_spawn(lua_State *L)
{
    return start_process(L, true);
}

static int l_start(lua_State *L)
{
    return start_process(L, false);
}

static struct proc *live(sf_script *S, const struct handle *h)
{
    struct proc *p = &S->procs[h->slot];
    return p->gen == h->gen && p->state != P_FREE ? p : NULL;
}

/*
 * Raise an interrupt carrying the value at index `cause` inside process
 * pid at the current time: it stops waiting for whatever it waited on
 * and its blocking call raises {interrupted = true, cause = ..., by = ...}.
 * False for a process that has ended or not started yet.
 */
bool sf__interrupt(lua_State *L, uint32_t pid, int cause)
{
    sf_script *S = sf__script(L);
    struct proc *p = &S->procs[pid];

    if (p->state == P_FREE)
        return false;
    if (p->state == P_READY && p->pint)
        return false;
    if (!lua_checkstack(p->co, 2))
        luaL_error(L, "out of stack interrupting a process");
    cause = lua_absindex(L, cause);
    lua_createtable(L, 0, 3);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "interrupted");
    lua_pushvalue(L, cause);
    lua_setfield(L, -2, "cause");
    if (S->cur != NO_PROC) {
        sf__push_handle(L, S, S->cur, true);
        lua_setfield(L, -2, "by");
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "shopfloor.interrupt");
    lua_setmetatable(L, -2);
    if (p->state == P_READY) {
        /*
         * Its wait has completed (an item taken, units granted) or it has
         * not started: raising now would lose what it got, so the
         * interrupt waits for its next blocking call.
         */
        lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_pending);
        lua_insert(L, -2);
        lua_rawseti(L, -2, (lua_Integer)pid + 1);
        lua_pop(L, 1);
        p->pint = 1;
        return true;
    }
    sf__cancel_wait(S, pid);
    lua_pop(p->co, p->nargs);
    p->nargs = 0;
    lua_xmove(L, p->co, 1);
    p->nargs = 1;
    sf__wake(S, pid, W_RAISE);
    return true;
}

/* proc:interrupt([cause]): true when raised or pending, false for a process that ended or already has one pending. */
static int l_proc_interrupt(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct handle *h = sf__check(L, 1, TAG_PROC, "process");
    struct proc *p = live(S, h);

    lua_settop(L, 2);
    if (p && h->slot == S->cur)
        return luaL_error(L, "a process cannot interrupt itself");
    lua_pushboolean(L, p && sf__interrupt(L, h->slot, 2));
    return 1;
}

static int push_results(lua_State *L, int idx)
{
    int n;

    if (lua_getiuservalue(L, idx, 2) != LUA_TTABLE)
        return 0;
    lua_getfield(L, -1, "n");
    n = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    luaL_checkstack(L, n, "too many results");
    for (int i = 1; i <= n; i++)
        lua_rawgeti(L, -i, i);
    return n;
}

/* proc:join([timeout]): wait until the process ends; returns what its function returned. */
static int l_proc_join(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct handle *h = sf__check(L, 1, TAG_PROC, "process");
    struct proc *p = live(S, h);
    uint32_t self;
    sf_time timeout = sf__opt_timeout(L, 2);

    if (!p)
        return push_results(L, 1);
    self = sf__blocking(L, S, "proc:join");
    if (self == h->slot)
        return luaL_error(L, "a process cannot join itself");
    p->njoin++;
    S->procs[self].wobj = h->slot;
    S->procs[self].wgen = h->gen;
    lua_settop(L, 0);
    return sf__block(L, S, WT_JOIN, timeout, NULL);
}

static int l_proc_alive(lua_State *L)
{
    struct handle *h = sf__check(L, 1, TAG_PROC, "process");
    lua_pushboolean(L, live(sf__script(L), h) != NULL);
    return 1;
}

static int l_proc_name(lua_State *L)
{
    struct handle *h = sf__check(L, 1, TAG_PROC, "process");

    if (lua_getiuservalue(L, 1, 1) != LUA_TSTRING)
        lua_pushfstring(L, "process %d", (int)h->serial);
    return 1;
}

static int l_proc_tostring(lua_State *L)
{
    sf__check(L, 1, TAG_PROC, "process");
    l_proc_name(L);
    lua_pushfstring(L, "process '%s'", lua_tostring(L, -1));
    return 1;
}

/* sim.self(): the handle of the running process. */
static int l_self(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t slot = sf__self(L, S, "sim.self");

    sf__push_handle(L, S, slot, true);
    return 1;
}

static int l_interrupt_tostring(lua_State *L)
{
    lua_getfield(L, 1, "cause");
    lua_pushfstring(L, "interrupted (cause: %s)", luaL_tolstring(L, -1, NULL));
    return 1;
}

/* sim.is_interrupt(err): true when err is the value a proc:interrupt raised. */
static int l_is_interrupt(lua_State *L)
{
    lua_pushboolean(L, lua_type(L, 1) == LUA_TTABLE && lua_getfield(L, 1, "interrupted") == LUA_TBOOLEAN &&
                           lua_toboolean(L, -1));
    return 1;
}

/* ---- logging ---- */

static int l_log(lua_State *L)
{
    sf_script *S = sf__script(L);
    char now[48], name[128];
    int n = lua_gettop(L);
    luaL_Buffer b;

    sf_time_format(sf_kernel_now(S->k), now, sizeof now);
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    fprintf(S->opt.log, "[%s] %s: %s\n", now, sf__proc_name(S, S->cur, name, sizeof name), lua_tostring(L, -1));
    return 0;
}

/* ---- the sandbox: require, load, print ---- */

static bool module_name_ok(const char *s)
{
    if (!*s || *s == '.')
        return false;
    for (const char *c = s; *c; c++) {
        bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_';
        if (!alnum && !(*c == '.' && c[1] && c[1] != '.'))
            return false;
    }
    return true;
}

/*
 * require(name): Lua source only, from the model's folder or the
 * project's scripts/ folder, cached like the standard require. Dots in
 * the name are folders; nothing else than letters, digits and '_'.
 */
static int l_require(lua_State *L)
{
    sf_script *S = sf__script(L);
    const char *name = luaL_checkstring(L, 1);
    const char *dirs[2] = {S->model_dir ? S->model_dir : ".", S->opt.scripts_dir};
    char rel[256], path[1024];
    FILE *f;

    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (!module_name_ok(name) || strlen(name) + 5 > sizeof rel)
        return luaL_error(L, "require '%s': a module name has letters, digits, '_' and dots", name);
    snprintf(rel, sizeof rel, "%s.lua", name);
    for (char *c = rel; *c && strcmp(c, ".lua") != 0; c++)
        if (*c == '.')
            *c = '/';
    for (int i = 0; i < 2; i++) {
        if (!dirs[i])
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], rel);
        if (!(f = fopen(path, "r")))
            continue;
        fclose(f);
        if (luaL_loadfilex(L, path, "t") != LUA_OK)
            return lua_error(L);
        lua_pushstring(L, name);
        lua_call(L, 1, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
        }
        lua_pushvalue(L, 1);
        lua_pushvalue(L, -2);
        lua_rawset(L, lua_upvalueindex(1));
        return 1;
    }
    return luaL_error(L, "module '%s' not found in the model's folder (%s) or the scripts folder (%s)", name,
                      dirs[0], dirs[1] ? dirs[1] : "none");
}

/*
 * setmetatable(t, mt) without finalizers: Lua runs __gc with hooks off,
 * so a finalizer would escape the instruction budget. A __gc added to
 * the metatable later has no effect (Lua marks objects for finalization
 * only when the metatable is set).
 */
static int l_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: finalizers (__gc) are not available to scripts");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/*
 * coroutine.resume and coroutine.close, refusing a process's thread: only
 * the kernel resumes a process, with what its wait gave. Handed to another
 * process (coroutine.running() is a value like any other), the thread
 * could otherwise be resumed out of a wait, which then returns what the
 * caller passed, or closed while the kernel still waits on it. Upvalue 1
 * is the original function, upvalue 2 its name.
 */
static int l_coroutine_guard(lua_State *L)
{
    sf_script *S = sf__script(L);

    if (lua_type(L, 1) == LUA_TTHREAD) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_owned);
        lua_pushvalue(L, 1);
        if (lua_rawget(L, -2) != LUA_TNIL)
            return luaL_error(L, "%s: a process's thread is not a coroutine: only the simulation resumes or ends it "
                                 "(proc:interrupt reaches another process)",
                              lua_tostring(L, lua_upvalueindex(2)));
        lua_pop(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/*
 * coroutine.create and coroutine.wrap: the original (upvalue 1), then the
 * new thread gets a budget hook of its own, called every COROUTINE_COUNT
 * instructions, and its birth is charged that much (see sf__budget_hook).
 */
static int l_coroutine_counted(lua_State *L)
{
    sf_script *S = sf__script(L);
    lua_State *co;

    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    co = lua_tothread(L, -1);
    if (!co && lua_getupvalue(L, -1, 1)) { /* wrap: the thread is its closure's upvalue */
        co = lua_tothread(L, -1);
        lua_pop(L, 1);
    }
    if (co) {
        lua_sethook(co, sf__budget_hook, LUA_MASKCOUNT, COROUTINE_COUNT);
        S->spent += COROUTINE_COUNT;
    }
    return 1;
}

/* load(chunk [, name [, mode [, env]]]): text chunks only. */
static int l_load(lua_State *L)
{
    int env = !lua_isnone(L, 4);
    const char *mode = luaL_optstring(L, 3, "t");

    if (strcmp(mode, "t") != 0) {
        lua_pushnil(L);
        lua_pushliteral(L, "load: only text chunks may be loaded (mode 't')");
        return 2;
    }
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    if (!env)
        lua_settop(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

const char *sf__check_name(lua_State *L, int idx, const char *what)
{
    const char *name = lua_tostring(L, idx), *why = name ? sf_name_problem(name) : NULL;

    if (why)
        luaL_error(L, "the name of a %s %s", what, why);
    return name;
}

/* Make a metatable whose __index is itself, leave it on the stack. */
void sf__new_class(lua_State *L)
{
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
}

/* Add the bindings to table `sim` on the top of the stack and tighten the globals. */
void sf__open_sim(lua_State *L)
{
    static const luaL_Reg sim_functions[] = {{"now", l_now},       {"wait", l_wait}, {"log", l_log},
                                             {"is_interrupt", l_is_interrupt}, {"self", l_self}, {NULL, NULL}};
    static const luaL_Reg proc_methods[] = {{"__tostring", l_proc_tostring}, {"join", l_proc_join},
                                            {"is_alive", l_proc_alive},      {"name", l_proc_name},
                                            {"interrupt", l_proc_interrupt}, {NULL, NULL}};
    static const luaL_Reg interrupt_methods[] = {{"__tostring", l_interrupt_tostring}, {NULL, NULL}};
    int sim = lua_gettop(L);

    luaL_setfuncs(L, sim_functions, 0);

    /* processes and interrupts */
    sf__new_class(L); /* process metatable */
    luaL_setfuncs(L, proc_methods, 0);
    sf__new_class(L); /* the metatable of interrupts */
    luaL_setfuncs(L, interrupt_methods, 0);
    lua_setfield(L, LUA_REGISTRYINDEX, "shopfloor.interrupt");
    sf__script(L)->ref_procmt = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, l_spawn);
    lua_setfield(L, sim, "spawn");
    lua_pushcfunction(L, l_start);
    lua_setfield(L, sim, "start");

    sf__open_stats(L, sim);

    /* the sandbox */
    lua_getglobal(L, "load");
    lua_pushcclosure(L, l_load, 1);
    lua_setglobal(L, "load");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setglobal(L, "setmetatable");
    lua_getglobal(L, "coroutine");
    lua_getfield(L, -1, "resume");
    lua_pushliteral(L, "coroutine.resume");
    lua_pushcclosure(L, l_coroutine_guard, 2);
    lua_setfield(L, -2, "resume");
    lua_getfield(L, -1, "close");
    lua_pushliteral(L, "coroutine.close");
    lua_pushcclosure(L, l_coroutine_guard, 2);
    lua_setfield(L, -2, "close");
    lua_getfield(L, -1, "create");
    lua_pushcclosure(L, l_coroutine_counted, 1);
    lua_setfield(L, -2, "create");
    lua_getfield(L, -1, "wrap");
    lua_pushcclosure(L, l_coroutine_counted, 1);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcclosure(L, l_require, 1);
    lua_setglobal(L, "require");
    lua_pushcfunction(L, l_log);
    lua_setglobal(L, "print");
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}
