/*
 * script.c: the process machinery under the Lua bindings.
 *
 * Each process is a slot in S->procs with its own Lua thread. A blocking
 * binding records what the process waits for and yields (sf__block); the
 * kernel event kind "lua resume" brings it back, either because its timer
 * ran out (a sim.wait, or the timeout of a blocking wait) or because
 * another process woke it (sf__wake schedules the resume at the current
 * time, so resumes never nest and ties keep the kernel's order).
 *
 * Lua code runs only under lua_resume or lua_pcall; the kernel handlers
 * call nothing that can raise outside them. Only the l_*.c bindings raise
 * Lua errors. Errors stop the run with SF_ESCRIPT or SF_ELIMIT and a
 * message naming file:line, the process, the simulated time and the
 * traceback; what was measured stays readable.
 */
#include <lualib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/script_internal.h"

/* ---- errors ---- */

/* Record the first failure and stop the kernel after the current event. */
int sf__fail(sf_script *S, int code, const char *fmt, ...)
{
    va_list ap;

    if (S->failed)
        return S->failed;
    S->failed = code;
    va_start(ap, fmt);
    vsnprintf(S->err, sizeof S->err, fmt, ap);
    va_end(ap);
    sf_kernel_fail(S->k, code);
    return code;
}

const char *sf__proc_name(sf_script *S, uint32_t pid, char *buf, size_t n)
{
    lua_State *L = S->L;
    const char *name;

    if (pid == NO_PROC || pid >= S->nprocs) {
        snprintf(buf, n, "(model setup)");
        return buf;
    }
    if (sf__push_handle(L, S, pid, false)) {
        lua_getiuservalue(L, -1, 1);
        name = lua_tostring(L, -1);
        lua_pop(L, 1);
    } else {
        name = NULL; /* started by sim.start and never asked for its handle: named by its serial */
    }
    lua_pop(L, 1);
    if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "process %u", (unsigned)S->serials[pid]);
    return buf;
}

static const char *fmt_now(sf_script *S, char *buf, size_t n)
{
    sf_time_format(sf_kernel_now(S->k), buf, n);
    return buf;
}

/* "file:line:" of the innermost Lua function on co's stack, "" when none. */
static const char *lua_where(lua_State *co, char *buf, size_t n)
{
    lua_Debug ar;

    buf[0] = '\0';
    for (int level = 0; lua_getstack(co, level, &ar); level++) {
        if (lua_getinfo(co, "Sl", &ar) && ar.currentline > 0) {
            snprintf(buf, n, "%s:%d:", ar.short_src, ar.currentline);
            break;
        }
    }
    return buf;
}

/* What build_report reads and writes. */
struct report {
    sf_script *S;
    lua_State *co;
    int status;
    const char *name, *now;
    size_t limit;
    int code; /* set by build_report */
};

/*
 * Runs under lua_pcall on the main thread: leaves the text of the report
 * on the stack. The error value is read raw (no metamethod runs: an
 * __index or __tostring of a hostile error object could raise, yield or
 * loop); whatever else raises here, out of memory among them, reaches
 * the pcall, and report_error falls back to a text made without Lua.
 */
static int build_report(lua_State *L)
{
    struct report *r = lua_touserdata(L, 1);
    lua_State *co = r->co;
    const char *msg;
    char where[256];
    bool text;

    if (r->S->runaway) {
        r->code = r->S->runaway_code;
        luaL_traceback(L, co, NULL, 0);
        lua_pushfstring(L, "%s\n%s", r->S->runaway_msg, lua_tostring(L, -1));
        return 1;
    }
    if (r->status == LUA_ERRMEM && r->S->mem_exceeded) {
        r->code = SF_ELIMIT;
        luaL_traceback(L, co, NULL, 0);
        lua_pushfstring(L, "behaviour '%s' exceeded the memory limit of %I bytes (t = %s)\n%s", r->name,
                        (lua_Integer)r->limit, r->now, lua_tostring(L, -1));
        return 1;
    }
    r->code = SF_ESCRIPT;
    lua_xmove(co, L, 1); /* the error value, off the dead coroutine */
    text = lua_type(L, -1) == LUA_TSTRING;
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushliteral(L, "interrupted");
        if (lua_rawget(L, -2) == LUA_TBOOLEAN) {
            lua_pushliteral(L, "cause");
            lua_rawget(L, -3);
            msg = lua_pushfstring(L, "uncaught interrupt (cause: %s)",
                                  lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
                                      ? lua_tostring(L, -1)
                                      : luaL_typename(L, -1));
        } else {
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -2));
        }
    } else if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
        msg = lua_tostring(L, -1);
    } else {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
    }
    /* errors raised with a value (an interrupt, error(x, 0)) get the place from the stack */
    lua_where(co, where, sizeof where);
    if (*where && strncmp(msg, where, strlen(where)) != 0 && !(text && strstr(msg, ".lua:")))
        msg = lua_pushfstring(L, "%s %s", where, msg);
    luaL_traceback(L, co, NULL, 0);
    lua_pushfstring(L, "%s\n  in behaviour '%s' at t = %s\n%s", msg, r->name, r->now, lua_tostring(L, -1));
    return 1;
}

/*
 * A resume ended in an error: record the report built from the
 * coroutine's error value and stack. The cap is lifted while reporting
 * so that the report itself cannot hit the memory limit; when even so
 * there is no memory for it, a shorter report made without Lua says so.
 */
static void report_error(sf_script *S, uint32_t pid, int status)
{
    char name[128], now[48];
    struct report r = {S, S->procs[pid].co, status, name, now, S->opt.memory_limit, SF_ESCRIPT};
    lua_State *L = S->L;
    int top = lua_gettop(L);

    S->opt.memory_limit = 0;
    sf__proc_name(S, pid, name, sizeof name);
    fmt_now(S, now, sizeof now);
    lua_pushcfunction(L, build_report);
    lua_pushlightuserdata(L, &r);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK)
        sf__fail(S, r.code, "%s", lua_tostring(L, -1));
    else if (status == LUA_ERRMEM)
        sf__fail(S, S->mem_exceeded ? SF_ELIMIT : SF_ENOMEM, "behaviour '%s' failed at t = %s: not enough memory%s",
                 name, now, S->mem_exceeded ? " (the memory limit)" : "");
    else
        sf__fail(S, r.code, "behaviour '%s' failed at t = %s, and there was no memory left to report its error", name,
                 now);
    lua_settop(L, top);
    S->opt.memory_limit = r.limit;
}

/* ---- the instruction budget ---- */

/*
 * The budget is counted per resume of a process, over every thread that
 * runs in it. Each process thread carries a count hook called every
 * S->chunk (budget/16) instructions, set once when the thread is made;
 * each coroutine a script makes carries one called every COROUTINE_COUNT
 * instructions, and its birth is charged COROUTINE_COUNT (l_sim.c), so a
 * coroutine that dies before its first call is still paid for: short-lived
 * coroutines cannot run uncounted. Each call adds its thread's count to
 * S->spent; past the budget (or once sf_script_interrupt was called) the
 * resume is a runaway and must end.
 *
 * On the process thread where yielding is possible, the hook yields out of
 * the resume, which no pcall inside the behaviour can catch. Anywhere
 * else (a coroutine of the script's own, a C call such as a table.sort
 * comparator) it raises a memory error and makes every allocation fail
 * until the resume returns: Lua calls no message handler for a memory
 * error, so a looping xpcall handler never runs, and the hook, now called
 * at every instruction of the thread and of the process thread, raises
 * again after any pcall that caught it, until the error reaches the resume.
 */
void sf__budget_hook(lua_State *L, lua_Debug *ar)
{
    sf_script *S = sf__script(L);
    char name[128], now[48];

    if (!S->runaway) {
        S->spent += (uint64_t)lua_gethookcount(L);
        if (S->spent <= S->opt.budget && !S->signalled)
            return;
        lua_getinfo(L, "Sl", ar);
        sf__proc_name(S, S->cur, name, sizeof name);
        fmt_now(S, now, sizeof now);
        if (S->signalled)
            snprintf(S->runaway_msg, sizeof S->runaway_msg, "%s:%d: behaviour '%s' stopped by a signal while running (t = %s)",
                     ar->short_src, ar->currentline, name, now);
        else
            snprintf(S->runaway_msg, sizeof S->runaway_msg,
                     "%s:%d: behaviour '%s' ran %llu instructions without yielding (t = %s)", ar->short_src,
                     ar->currentline, name, (unsigned long long)S->opt.budget, now);
        S->runaway = true;
        S->runaway_code = S->signalled ? SF_ESTOPPED : SF_ELIMIT;
    }
    if (L == S->running && lua_isyieldable(L)) {
        lua_yield(L, 0); /* in a hook, lua_yield returns: the thread yields when the hook returns */
        return;
    }
    lua_sethook(L, sf__budget_hook, LUA_MASKCOUNT, 1);
    if (S->running && S->running != L)
        lua_sethook(S->running, sf__budget_hook, LUA_MASKCOUNT, 1);
    S->deny_alloc = true;
    lua_newuserdatauv(L, 64, 0); /* fails: a memory error, which no message handler sees */
}

/*
 * Async-signal-safe: end the running resume at its next line or backward
 * jump, and the run after it. The line mask is what makes this certain: the
 * VM may be halfway through counting down the hook count in place when the
 * signal comes (a load, a decrement, a store: tools/lua-count-hook.patch)
 * and then store its old count over the 1 set here, which would leave the
 * loop running to the end of its chunk; it never writes the mask, and with
 * any hook but the count one every instruction goes through the hook check.
 */
void sf_script_interrupt(sf_script *S)
{
    lua_State *co = S->running;

    S->signalled = 1;
    if (co)
        lua_sethook(co, sf__budget_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
}

/* ---- processes ---- */

static void finish(sf_script *S, uint32_t pid, int nres);

static int store_results(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t pid = (uint32_t)lua_tointeger(L, 1);
    lua_State *co = S->procs[pid].co;
    int nres = (int)lua_tointeger(L, 2);

    if (!sf__push_handle(L, S, pid, false))
        return 0; /* no handle was ever made: nobody can join it */
    lua_createtable(L, nres, 1);
    for (int i = 0; i < nres; i++) {
        lua_pushvalue(co, -nres + i);
        lua_xmove(co, L, 1);
        lua_rawseti(L, -2, i + 1);
    }
    lua_pushinteger(L, nres);
    lua_setfield(L, -2, "n");
    lua_setiuservalue(L, -2, 2);
    return 0;
}

/* Resume process `pid` with the values pushed for it and act on how it stopped. */
static void resume(sf_script *S, uint32_t pid)
{
    struct proc *p = &S->procs[pid];
    lua_State *co = p->co;
    int nres, st, nargs = p->nargs;

    p->state = P_RUNNING;
    p->nargs = 0;
    p->fresh = 0;
    S->cur = pid;
    S->spent = 0;
    S->running = co;
    st = lua_resume(co, S->L, nargs, &nres);
    S->running = NULL;
    S->deny_alloc = false;
    S->cur = NO_PROC;
    if (++S->resumes >= 4096) {
        char why[512];
        S->resumes = 0;
        if (sf__mem_over(S, why, sizeof why)) {
            char name[128], now[48];
            sf__fail(S, SF_ELIMIT, "behaviour '%s' at t = %s: %s", sf__proc_name(S, pid, name, sizeof name),
                     fmt_now(S, now, sizeof now), why);
        }
    }
    if (st == LUA_YIELD) {
        p = &S->procs[pid]; /* the array may have grown */
        if (S->runaway) {
            /* the budget hook yielded: nres counts no values of the thread's stack, so nothing is popped */
            report_error(S, pid, st);
            return;
        }
        if (p->state == P_RUNNING) {
            char name[128];
            sf__proc_name(S, pid, name, sizeof name);
            sf__fail(S, SF_ESCRIPT,
                     "behaviour '%s' yielded with coroutine.yield outside a coroutine of its own "
                     "(a process waits with sim.wait or a blocking call)",
                     name);
        }
        if (nres > 0) /* sf__block yields none: a lua_settop costs 20 instructions even when it does nothing */
            lua_pop(co, nres < lua_gettop(co) ? nres : lua_gettop(co));
        return;
    }
    if (st == LUA_OK)
        finish(S, pid, nres);
    else
        report_error(S, pid, st);
}

/* The process ended normally: keep its results for join, wake joiners, recycle the slot. */
static void finish(sf_script *S, uint32_t pid, int nres)
{
    struct proc *p = &S->procs[pid];
    lua_State *co = p->co;

    if (nres > MAX_SPAWN_ARGS) {
        lua_pop(co, nres - MAX_SPAWN_ARGS);
        nres = MAX_SPAWN_ARGS;
    }
    if (nres > 0) {
        lua_pushcfunction(S->L, store_results);
        lua_pushinteger(S->L, pid);
        lua_pushinteger(S->L, nres);
        if (lua_pcall(S->L, 2, 0, 0) != LUA_OK) {
            sf__fail(S, SF_ELIMIT, "out of Lua memory keeping the results of a process");
            lua_pop(S->L, 1);
        }
    }
    if (p->njoin) {
        for (uint32_t i = 0; i < S->nprocs; i++) {
            struct proc *j = &S->procs[i];
            if (j->state != P_BLOCKED || j->wtype != WT_JOIN || j->wobj != pid || j->wgen != p->gen)
                continue;
            if (!lua_checkstack(j->co, nres + 1)) {
                sf__fail(S, SF_ENOMEM, "out of memory waking a joining process");
                return;
            }
            for (int r = 0; r < nres; r++) {
                lua_pushvalue(co, -nres + r);
                lua_xmove(co, j->co, 1);
            }
            j->nargs = (uint16_t)nres;
            sf__wake(S, i, W_VALUES);
        }
        p->njoin = 0;
    }
    if (p->nheld)
        sf__release_all(S, pid);
    if (p->pint) { /* it ended before blocking again: the interrupt has nobody to reach */
        p->pint = 0;
        lua_rawgeti(S->L, LUA_REGISTRYINDEX, S->ref_pending);
        lua_pushnil(S->L);
        lua_rawseti(S->L, -2, (lua_Integer)pid + 1);
        lua_pop(S->L, 1);
    }
    lua_settop(co, 0);
    p->gen++;
    p->state = P_FREE;
    p->wtype = WT_NONE;
    p->next_free = S->free_head;
    S->free_head = pid;
    S->alive--;
}

/*
 * Ask for the cache lines the next event's process will touch (its slot
 * and its thread's block) while this one runs: with many processes they
 * have left the caches, and a resume otherwise waits for each in turn.
 * A hint only: the running process may schedule something earlier.
 */
static void prefetch_next(sf_script *S)
{
#if defined(__GNUC__)
    sf_event next;

    if (!sf_kernel_peek(S->k, &next) || next.kind != S->kind_resume || next.target >= S->nprocs)
        return;
    __builtin_prefetch(&S->procs[next.target]);
    sf__arena_prefetch(&S->arena, next.target);
#else
    (void)S;
#endif
}

/*
 * Run what was made ready during this event, in the order it was made
 * ready. Each entry would have been a kernel event at the current time
 * scheduled when nothing else was due now, so nothing in the kernel comes
 * before it: later events at the current time were scheduled after it
 * (no kind uses a negative priority). When the run stops or fails here,
 * what is left becomes kernel events, pending as before.
 */
static void drain_ready(sf_script *S)
{
    while (S->rhead < S->nready && !S->failed && !S->signalled)
        resume(S, S->ready[S->rhead++]);
    S->draining = false;
    for (; S->rhead < S->nready; S->rhead++) {
        uint32_t pid = S->ready[S->rhead];
        int rc = sf_kernel_after(S->k, 0, 0, S->kind_resume, pid, &S->procs[pid].timer);
        if (rc != SF_OK)
            sf__fail(S, rc, "cannot schedule a process: %s", sf_strerror(rc));
    }
    S->rhead = S->nready = 0;
}

static void on_resume(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_script *S = ctx;
    struct proc *p = &S->procs[ev->target];

    (void)k;
    prefetch_next(S);
    S->last = ev->time;
    p->timer = 0;
    if (p->state == P_BLOCKED) { /* the timeout of a blocking wait */
        sf__cancel_wait(S, ev->target);
        p->wake = W_TIMEOUT;
    }
    S->draining = true;
    resume(S, ev->target);
    drain_ready(S);
}

/* Is nothing in the kernel due at the current time? (false when the queue cannot tell cheaply) */
static bool nothing_due_now(sf_script *S)
{
    sf_event next;
    sf_time t;

    if (sf_kernel_peek(S->k, &next))
        return next.time > sf_kernel_now(S->k);
    return !sf_kernel_next_time(S->k, &t) || t > sf_kernel_now(S->k);
}

int sf__ready(sf_script *S, uint32_t pid)
{
    struct proc *p = &S->procs[pid];

    p->timer = 0;
    if (S->draining && nothing_due_now(S)) {
        if (S->nready == S->capready) { /* drop the entries already run: what is left are ready processes, fewer than the slots */
            memmove(S->ready, S->ready + S->rhead, (S->nready - S->rhead) * sizeof *S->ready);
            S->nready -= S->rhead;
            S->rhead = 0;
        }
        S->ready[S->nready++] = pid; /* capready >= the slots (alloc_slot) */
        return SF_OK;
    }
    return sf_kernel_after(S->k, 0, 0, S->kind_resume, pid, &p->timer);
}

void sf__wake(sf_script *S, uint32_t pid, enum wake how)
{
    struct proc *p = &S->procs[pid];
    int rc;

    p->wake = (uint8_t)how;
    p->state = P_READY;
    p->wtype = WT_NONE;
    if (p->timer)
        sf_kernel_cancel(S->k, p->timer);
    if ((rc = sf__ready(S, pid)) != SF_OK)
        sf__fail(S, rc, "cannot schedule a process: %s", sf_strerror(rc));
}

/* Undo whatever pid waits on (queue entry, event subscription, join, timer). */
void sf__cancel_wait(sf_script *S, uint32_t pid)
{
    struct proc *p = &S->procs[pid];

    switch (p->wtype) {
    case WT_RESOURCE:
    case WT_STORE_GET:
    case WT_STORE_PUT:
    case WT_CONT_GET:
    case WT_CONT_PUT:
        sf__resource_forget(S, pid);
        break;
    case WT_EVENT:
        sf__event_forget(p->wev, pid);
        break;
    case WT_JOIN:
        if (p->wobj < S->nprocs && S->procs[p->wobj].njoin)
            S->procs[p->wobj].njoin--;
        break;
    case WT_FACTORY:
        sf__waits_forget(S, pid);
        break;
    default:
        break;
    }
    p->wtype = WT_NONE;
    if (p->timer) {
        sf_kernel_cancel(S->k, p->timer);
        p->timer = 0;
    }
}

/*
 * The start of every continuation: an interrupt (its value on top of the
 * stack) is raised here; otherwise the wait ended with values or timed out.
 */
enum wake sf__woken(lua_State *L)
{
    sf_script *S = sf__script(L);
    enum wake how = (enum wake)S->procs[S->cur].wake;

    if (how == W_RAISE)
        lua_error(L);
    return how;
}

/* The continuation of a blocking call that returns what its waker gave: those values, or nil and "timeout". */
static int finish_wait(lua_State *L, int status, lua_KContext base)
{
    (void)status;
    if (sf__woken(L) == W_TIMEOUT) {
        lua_pushnil(L);
        lua_pushliteral(L, "timeout");
        return 2;
    }
    return lua_gettop(L) - (int)base;
}

/*
 * Suspend the running process (whose thread is L) until woken; with
 * timeout >= 0 the kernel resumes it after that long. For a
 * sleep the timer is the wake-up itself. Must be the binding's return.
 */
int sf__block(lua_State *L, sf_script *S, enum wtype wt, sf_time timeout, lua_KFunction k)
{
    struct proc *p = &S->procs[S->cur];
    int rc;

    if (!lua_isyieldable(L)) { /* the binding checks before arming; this undoes what it armed all the same */
        p->wtype = (uint8_t)wt;
        sf__cancel_wait(S, S->cur);
        sf__can_block(L, "a blocking call");
    }
    if (p->pint) { /* an interrupt came while it was ready: raise it instead of waiting */
        p->pint = 0;
        p->wtype = (uint8_t)wt;
        sf__cancel_wait(S, S->cur);
        lua_rawgeti(L, LUA_REGISTRYINDEX, S->ref_pending);
        lua_rawgeti(L, -1, (lua_Integer)S->cur + 1);
        lua_pushnil(L);
        lua_rawseti(L, -3, (lua_Integer)S->cur + 1);
        return lua_error(L);
    }
    p->state = wt == WT_SLEEP ? P_SLEEP : P_BLOCKED;
    p->wtype = (uint8_t)wt;
    p->wake = W_VALUES;
    p->since = sf_kernel_now(S->k);
    if (timeout >= 0 && (rc = sf_kernel_after(S->k, timeout, 0, S->kind_resume, S->cur, &p->timer)) != SF_OK)
        return luaL_error(L, "cannot schedule a wait: %s", sf_strerror(rc));
    return lua_yieldk(L, 0, lua_gettop(L), k ? k : finish_wait);
}

/* ---- the state ---- */

static int lua_panic(lua_State *L)
{
    fprintf(stderr, "shopfloor: unrecoverable Lua error: %s\n", lua_tostring(L, -1));
    abort();
}

static int new_ref_table(lua_State *L)
{
    lua_newtable(L);
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Runs under lua_pcall: open the safe libraries, the bindings and the reference tables. */
static int setup(lua_State *L)
{
    sf_script *S = sf__script(L);
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},        {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},    {LUA_UTF8LIBNAME, luaopen_utf8},
        {NULL, NULL},
    };

    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    S->ref_threads = new_ref_table(L);
    S->ref_owned = new_ref_table(L);
    S->ref_handles = new_ref_table(L);
    S->ref_timers = new_ref_table(L);
    S->ref_pending = new_ref_table(L);
    sf__open_next(L);
    sf__open_patterns(L);
    lua_newtable(L); /* sim */
    sf__open_sim(L);
    sf__open_events(L);
    sf__open_resources(L);
    lua_setglobal(L, "sim");
    return 0;
}

sf_script *sf_script_new(sf_kernel *k, const sf_script_options *opt)
{
    sf_script *S = sf_calloc(1, sizeof *S);

    if (!S)
        return NULL;
    if (opt)
        S->opt = *opt;
    if (!S->opt.budget)
        S->opt.budget = SF_SCRIPT_DEFAULT_BUDGET;
    if (S->opt.budget > SF_SCRIPT_MAX_BUDGET)
        S->opt.budget = SF_SCRIPT_MAX_BUDGET;
    S->chunk = (int)(S->opt.budget / BUDGET_CHUNKS > 0x7fffffff ? 0x7fffffff
                                                                : (S->opt.budget + BUDGET_CHUNKS - 1) / BUDGET_CHUNKS);
    if (!S->opt.memory_limit)
        S->opt.memory_limit = SF_SCRIPT_DEFAULT_MEMORY;
    if (!S->opt.log)
        S->opt.log = stdout;
    S->k = k;
    S->cur = NO_PROC;
    S->free_head = NO_PROC;
    sf_rng_init(&S->math_rng, S->opt.seed, "math.random");
    if (SF_KERNEL_ADD_KINDS(k, S, {"lua resume", on_resume, &S->kind_resume},
                            {"lua timeout event", sf__on_evtimer, &S->kind_evtimer}) != SF_OK)
        goto fail;
    sf__arena_open(&S->arena);
    if (!(S->L = lua_newstate(sf__lua_alloc, S)))
        goto fail;
    lua_atpanic(S->L, lua_panic);
    *(sf_script **)lua_getextraspace(S->L) = S;
    lua_pushcfunction(S->L, setup);
    if (lua_pcall(S->L, 0, 0, 0) != LUA_OK)
        goto fail;
    return S;
fail:
    sf_script_free(S);
    return NULL;
}

void sf_script_free(sf_script *S)
{
    if (!S)
        return;
    if (S->L)
        lua_close(S->L);
    sf__arena_close(&S->arena);
    sf__resources_free(S);
    for (uint32_t i = 0; i < S->objs.ntallies; i++) {
        free(S->objs.tallies[i].name);
        sf_tally_close(&S->objs.tallies[i].t);
    }
    for (uint32_t i = 0; i < S->objs.nlevels; i++)
        free(S->objs.levels[i].name);
    free(S->objs.tallies);
    free(S->objs.levels);
    free(S->objs.order);
    free(S->procs);
    free(S->ready);
    free(S->serials);
    free(S->model_dir);
    sf__shop_free(S);
    free(S);
}

/* Under lua_pcall: the chunk at index 1 becomes process "main". */
static int spawn_main(lua_State *L)
{
    lua_getglobal(L, "sim");
    lua_getfield(L, -1, "spawn");
    lua_pushliteral(L, "main");
    lua_pushvalue(L, 1);
    lua_call(L, 2, 0);
    return 0;
}

static int load_chunk(sf_script *S, int status)
{
    if (status != LUA_OK) {
        S->failed = status == LUA_ERRFILE ? SF_EIO : SF_ESCRIPT;
        snprintf(S->err, sizeof S->err, "%s", lua_tostring(S->L, -1));
        lua_pop(S->L, 1);
        return S->failed;
    }
    lua_pushcfunction(S->L, spawn_main);
    lua_insert(S->L, -2);
    if (lua_pcall(S->L, 1, 0, 0) != LUA_OK) {
        snprintf(S->err, sizeof S->err, "%s", lua_tostring(S->L, -1));
        lua_pop(S->L, 1);
        return S->failed = SF_ESCRIPT;
    }
    return SF_OK;
}

int sf_script_load_file(sf_script *S, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;

    free(S->model_dir);
    if (!(S->model_dir = sf_malloc(n + 1)))
        return SF_ENOMEM;
    memcpy(S->model_dir, slash ? path : ".", n);
    S->model_dir[n] = '\0';
    return load_chunk(S, luaL_loadfilex(S->L, path, "t"));
}

int sf_script_set_model_dir(sf_script *S, const char *dir)
{
    char *copy = sf_strdup(dir);

    if (!copy)
        return SF_ENOMEM;
    free(S->model_dir);
    S->model_dir = copy;
    return SF_OK;
}

int sf_script_load_string(sf_script *S, const char *source, const char *name)
{
    return load_chunk(S, luaL_loadbufferx(S->L, source, strlen(source), name, "t"));
}

/* Waiting for work: on an event made with "idle", or a station slot waiting for a job. */
static bool idle_wait(sf_script *S, uint32_t pid)
{
    const struct proc *p = &S->procs[pid];
    return (p->wtype == WT_EVENT && sf__event_idle(p->wev)) || (p->wtype == WT_FACTORY && sf__waits_idle(S, pid));
}

/*
 * Processes blocked with nothing pending in the kernel can never wake:
 * list them. When every one of them only waits for work (idle), the
 * model has simply run out of things to do: that is no deadlock.
 */
static int check_deadlock(sf_script *S)
{
    size_t len;
    uint32_t busy = 0;
    char now[48], since[48], name[128], what[320];

    if (sf_kernel_pending_count(S->k) > 0)
        return SF_OK;
    for (uint32_t i = 0; i < S->nprocs; i++)
        busy += S->procs[i].state == P_BLOCKED && !idle_wait(S, i);
    if (!busy)
        return SF_OK;
    sf_time_format(S->last, now, sizeof now); /* when the last process ran, not the end of --until */
    len = (size_t)snprintf(S->err, sizeof S->err,
                           "deadlock at t = %s: %u process%s wait%s and nothing can wake %s:", now, busy,
                           busy == 1 ? "" : "es", busy == 1 ? "s" : "", busy == 1 ? "it" : "them");
    for (uint32_t i = 0; i < S->nprocs && len < sizeof S->err; i++) {
        if (S->procs[i].state != P_BLOCKED || idle_wait(S, i))
            continue;
        sf_time_format(S->procs[i].since, since, sizeof since);
        len += (size_t)snprintf(S->err + len, sizeof S->err - len, "\n  '%s' waits for %s since %s",
                                sf__proc_name(S, i, name, sizeof name), sf__wait_object_name(S, i, what, sizeof what),
                                since);
    }
    return S->failed = SF_EDEADLOCK;
}

int sf_script_run(sf_script *S, sf_time until)
{
    int rc;

    if (S->failed)
        return S->failed;
    rc = until == SF_TIME_MAX ? sf_kernel_run(S->k) : sf_kernel_run_until(S->k, until);
    if (S->failed)
        return S->failed;
    if (rc != SF_OK) {
        if (rc != SF_ESTOPPED)
            snprintf(S->err, sizeof S->err, "the run failed: %s", sf_strerror(rc));
        return rc;
    }
    return check_deadlock(S);
}

const char *sf_script_error(const sf_script *S)
{
    return S->err;
}

size_t sf_script_processes(const sf_script *S)
{
    return S->alive;
}

size_t sf_script_memory(const sf_script *S)
{
    return S->mem;
}

int sf__add_order(sf_script *S, int kind, uint32_t index)
{
    if (sf_grow(S->objs.order, S->objs.caporder, S->objs.norder + 1) != SF_OK)
        return SF_ENOMEM;
    S->objs.order[S->objs.norder++] = (struct statref){(uint8_t)kind, index};
    return SF_OK;
}

/* Seconds (a number) or a duration with a unit ("5 min") at idx, as kernel time. */
int sf__check_time(lua_State *L, int idx, sf_time *out)
{
    int rc;

    if (lua_type(L, idx) == LUA_TNUMBER) {
        double s = lua_tonumber(L, idx);
        if (!(s >= 0))
            return luaL_argerror(L, idx, lua_pushfstring(L, "a duration must be >= 0, got %f", s));
        if (sf_time_from_seconds(s, out) != SF_OK)
            return luaL_argerror(L, idx, "duration out of range");
        return SF_OK;
    }
    if (lua_type(L, idx) == LUA_TSTRING) {
        rc = sf_time_parse(lua_tostring(L, idx), SF_SECOND, false, out);
        if (rc != SF_OK)
            return luaL_argerror(L, idx,
                                 lua_pushfstring(L, "'%s' is not a duration such as '90 s' or '5 min' (%s)",
                                                 lua_tostring(L, idx), sf_strerror(rc)));
        return SF_OK;
    }
    return luaL_typeerror(L, idx, "duration (seconds or a string such as '5 min')");
}
