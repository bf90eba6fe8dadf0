/*
 * lua_bare.c: the floor under bench_lua's hold model. N Lua coroutines
 * each loop on coroutine.yield(); a kernel event per coroutine resumes
 * it with lua_resume and, when it has yielded, schedules its next event
 * after an Exp(1) draw from the stream the other hold models use. No
 * process table, no bindings, no budget hook, no memory cap, the stock
 * allocator: what resuming and yielding a Lua 5.4 coroutine from C costs
 * on top of the kernel, with the coroutines where malloc put them.
 *
 * This file measures Lua itself, so it includes Lua's headers; nothing
 * of shopfloor's script layer is used.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/kernel.h"
#include "core/rng.h"
#include "lua_bare.h"

struct bare {
    lua_State **co;
    sf_rng r;
    uint32_t kind;
    int failed;
};

static void bare_fire(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct bare *b = ctx;
    sf_time dt;
    int nres;

    if (lua_resume(b->co[ev->target], NULL, 0, &nres) != LUA_YIELD) {
        b->failed = 1;
        sf_kernel_fail(k, SF_EINVAL);
        return;
    }
    lua_pop(b->co[ev->target], nres);
    sf_time_from_seconds(-log(sf_rng_open(&b->r)), &dt);
    sf_kernel_after(k, dt, 0, b->kind, ev->target, NULL);
}

int bare_hold(uint32_t n, sf_time until, uint64_t *events, bench_span *took)
{
    static const char body[] = "local yield = coroutine.yield\n"
                               "return function() while true do yield() end end\n";
    struct bare b = {0};
    sf_kernel *k = sf_kernel_new();
    lua_State *L = luaL_newstate();
    bench_span t0;
    int rc = SF_ENOMEM;

    if (!k || !L || !(b.co = malloc(n * sizeof *b.co)))
        goto done;
    luaL_openlibs(L);
    if (luaL_dostring(L, body) != LUA_OK) {
        rc = SF_EINVAL;
        goto done;
    }
    sf_rng_init(&b.r, 1, "hold");
    b.kind = (uint32_t)sf_kernel_add_kind(k, "bare resume", bare_fire, &b);
    t0 = bench_now();
    for (uint32_t i = 0; i < n; i++) {
        sf_time dt;
        b.co[i] = lua_newthread(L);
        lua_pushvalue(L, -2);
        lua_xmove(L, b.co[i], 1);
        luaL_ref(L, LUA_REGISTRYINDEX); /* the thread, kept alive */
        sf_time_from_seconds(-log(sf_rng_open(&b.r)), &dt);
        sf_kernel_after(k, dt, 0, b.kind, i, NULL);
    }
    rc = sf_kernel_run_until(k, until);
    *took = bench_since(t0);
    *events = sf_kernel_events(k);
    if (b.failed)
        rc = SF_EINVAL;
done:
    if (L)
        lua_close(L);
    free(b.co);
    sf_kernel_free(k);
    return rc;
}
