/*
 * l_stats.c: the bindings for random streams and statistics: sim.rng
 * (named, reproducible streams and their distributions), math.random on
 * the run's own stream, sim.tally and sim.level.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "script/script_internal.h"

struct rng_ud {
    uint32_t tag;
    sf_rng r;
};

struct stat_ud {
    uint32_t tag, index;
};

/* ---- random streams ---- */

static int l_rng(lua_State *L)
{
    sf_script *S = sf__script(L);
    const char *name = luaL_checkstring(L, 1);
    struct rng_ud *r;

    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    r = lua_newuserdatauv(L, sizeof *r, 0);
    r->tag = TAG_RNG;
    sf_rng_init(&r->r, S->opt.seed, name);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setmetatable(L, -2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, lua_upvalueindex(2));
    return 1;
}

static int l_rng_exp(lua_State *L)
{
    struct rng_ud *r = sf__check(L, 1, TAG_RNG, "random stream");
    double mean = luaL_checknumber(L, 2);

    if (!(mean > 0))
        return luaL_argerror(L, 2, "the mean of an exponential must be > 0");
    lua_pushnumber(L, -mean * log(sf_rng_open(&r->r)));
    return 1;
}

static int l_rng_random(lua_State *L)
{
    struct rng_ud *r = sf__check(L, 1, TAG_RNG, "random stream");
    lua_pushnumber(L, sf_rng_uniform(&r->r));
    return 1;
}

static int l_rng_integer(lua_State *L)
{
    struct rng_ud *r = sf__check(L, 1, TAG_RNG, "random stream");
    lua_Integer lo = luaL_checkinteger(L, 2), hi = luaL_checkinteger(L, 3);

    luaL_argcheck(L, lo <= hi, 3, "empty interval");
    lua_pushinteger(L, lo + (lua_Integer)sf_rng_below(&r->r, (uint64_t)(hi - lo) + 1));
    return 1;
}

/* Every other distribution goes through the core constructors, which check the parameters. */
static int l_rng_dist(lua_State *L)
{
    struct rng_ud *r = sf__check(L, 1, TAG_RNG, "random stream");
    int which = (int)lua_tointeger(L, lua_upvalueindex(1));
    double a = luaL_checknumber(L, 2), b = luaL_optnumber(L, 3, 0);
    char err[SF_DIST_ERRLEN];
    sf_dist d;
    int rc;

    switch (which) {
    case SF_DIST_UNIFORM: rc = sf_dist_uniform(&d, a, luaL_checknumber(L, 3), err); break;
    case SF_DIST_NORMAL: rc = sf_dist_normal(&d, a, luaL_checknumber(L, 3), err); break;
    case SF_DIST_LOGNORMAL: rc = sf_dist_lognormal(&d, a, luaL_checknumber(L, 3), err); break;
    case SF_DIST_TRIANGULAR: rc = sf_dist_triangular(&d, a, b, luaL_checknumber(L, 4), err); break;
    case SF_DIST_GAMMA: rc = sf_dist_gamma(&d, a, luaL_checknumber(L, 3), err); break;
    case SF_DIST_WEIBULL: rc = sf_dist_weibull(&d, a, luaL_checknumber(L, 3), err); break;
    case SF_DIST_PERT: rc = sf_dist_pert(&d, a, b, luaL_checknumber(L, 4), err); break;
    case SF_DIST_BERNOULLI: rc = sf_dist_bernoulli(&d, a, err); break;
    default: rc = sf_dist_erlang(&d, (int)a, luaL_checknumber(L, 3), err); break;
    }
    if (rc != SF_OK)
        return luaL_error(L, "%s", err);
    if (which == SF_DIST_BERNOULLI)
        lua_pushboolean(L, sf_dist_sample(&d, &r->r) != 0);
    else
        lua_pushnumber(L, sf_dist_sample(&d, &r->r));
    return 1;
}

/* math.random with Lua's signature, drawn from the stream "math.random" of the run's seed. */
static int l_math_random(lua_State *L)
{
    sf_script *S = sf__script(L);
    lua_Integer lo, hi;

    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, sf_rng_uniform(&S->math_rng));
        return 1;
    case 1:
        lo = 1;
        hi = luaL_checkinteger(L, 1);
        break;
    case 2:
        lo = luaL_checkinteger(L, 1);
        hi = luaL_checkinteger(L, 2);
        break;
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, lo <= hi, lua_gettop(L), "interval is empty");
    lua_pushinteger(L, lo + (lua_Integer)sf_rng_below(&S->math_rng, (uint64_t)(hi - lo) + 1));
    return 1;
}

static int l_math_randomseed(lua_State *L)
{
    return luaL_error(L, "math.randomseed is not available: the run's seed (--seed) sets every random stream");
}

/* ---- tallies and levels ---- */

static int named(lua_State *L, uint32_t tag)
{
    sf_script *S = sf__script(L);
    const char *name = (luaL_checkstring(L, 1), sf__check_name(L, 1, tag == TAG_TALLY ? "tally" : "level"));
    struct stat_ud *u;
    char *copy;
    uint32_t index;

    lua_settop(L, 2);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (!(copy = sf_strdup(name)))
        return luaL_error(L, "out of memory");
    if (tag == TAG_TALLY) {
        if (sf_grow(S->objs.tallies, S->objs.captallies, S->objs.ntallies + 1) != SF_OK)
            return free(copy), luaL_error(L, "out of memory");
        index = S->objs.ntallies++;
        S->objs.tallies[index].name = copy;
        sf_tally_init(&S->objs.tallies[index].t, true);
    } else {
        if (sf_grow(S->objs.levels, S->objs.caplevels, S->objs.nlevels + 1) != SF_OK)
            return free(copy), luaL_error(L, "out of memory");
        index = S->objs.nlevels++;
        S->objs.levels[index].name = copy;
        sf_level_init(&S->objs.levels[index].l, sf_kernel_now(S->k), luaL_optnumber(L, 2, 0));
    }
    if (sf__add_order(S, tag == TAG_TALLY ? SF_SCRIPT_TALLY : SF_SCRIPT_LEVEL, index) != SF_OK)
        return luaL_error(L, "out of memory");
    u = lua_newuserdatauv(L, sizeof *u, 0);
    u->tag = tag;
    u->index = index;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setmetatable(L, -2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, lua_upvalueindex(2));
    return 1;
}

static int l_tally(lua_State *L)
{
    return named(L, TAG_TALLY);
}

static int l_level(lua_State *L)
{
    return named(L, TAG_LEVEL);
}

static sf_tally *check_tally(lua_State *L)
{
    struct stat_ud *u = sf__check(L, 1, TAG_TALLY, "tally");
    return &sf__script(L)->objs.tallies[u->index].t;
}

static sf_level *check_level(lua_State *L)
{
    struct stat_ud *u = sf__check(L, 1, TAG_LEVEL, "level");
    return &sf__script(L)->objs.levels[u->index].l;
}

static int l_tally_add(lua_State *L)
{
    sf_tally *t = check_tally(L);
    double x = luaL_checknumber(L, 2);

    if (x != x) /* one NaN would make every statistic of the tally NaN */
        return luaL_argerror(L, 2, "an observation must be a number, got not a number (NaN)");
    if (sf_tally_add(t, x) != SF_OK)
        return luaL_error(L, "out of memory keeping an observation");
    if (t->n >= 4096 && (t->n & (t->n - 1)) == 0) { /* its observations doubled */
        char why[512];
        if (sf__mem_over(sf__script(L), why, sizeof why))
            return luaL_error(L, "%s", why);
    }
    return 0;
}

static int l_tally_get(lua_State *L)
{
    sf_tally *t = check_tally(L);
    const char *what = lua_tostring(L, lua_upvalueindex(1));

    if (strcmp(what, "n") == 0)
        lua_pushinteger(L, (lua_Integer)t->n);
    else if (strcmp(what, "mean") == 0)
        lua_pushnumber(L, sf_tally_mean(t));
    else if (strcmp(what, "sd") == 0)
        lua_pushnumber(L, sf_tally_sd(t));
    else if (strcmp(what, "min") == 0)
        lua_pushnumber(L, t->n ? t->min : NAN);
    else if (strcmp(what, "max") == 0)
        lua_pushnumber(L, t->n ? t->max : NAN);
    else if (strcmp(what, "percentile") == 0) {
        double q = luaL_checknumber(L, 2);
        luaL_argcheck(L, q >= 0 && q <= 1, 2, "a percentile is a fraction in [0, 1]");
        lua_pushnumber(L, sf_tally_percentile(t, q));
    } else {
        sf_tally_reset(t);
        return 0;
    }
    return 1;
}

static int l_level_set(lua_State *L)
{
    sf_level *l = check_level(L);
    sf_time now = sf_kernel_now(sf__script(L)->k);
    double v = luaL_checknumber(L, 2);

    if (lua_toboolean(L, lua_upvalueindex(1)))
        sf_level_add(l, now, v);
    else
        sf_level_set(l, now, v);
    return 0;
}

static int l_level_get(lua_State *L)
{
    sf_level *l = check_level(L);
    sf_time now = sf_kernel_now(sf__script(L)->k);
    const char *what = lua_tostring(L, lua_upvalueindex(1));

    if (strcmp(what, "mean") == 0)
        lua_pushnumber(L, sf_level_mean(l, now));
    else if (strcmp(what, "value") == 0)
        lua_pushnumber(L, l->value);
    else if (strcmp(what, "sd") == 0)
        lua_pushnumber(L, sf_level_sd(l, now));
    else if (strcmp(what, "max") == 0)
        lua_pushnumber(L, l->max);
    else if (strcmp(what, "min") == 0)
        lua_pushnumber(L, l->min);
    else {
        sf_level_reset(l, now);
        return 0;
    }
    return 1;
}

void sf__open_stats(lua_State *L, int sim)
{
    static const char *const tally_getters[] = {"n", "mean", "sd", "min", "max", "percentile", "reset"};
    static const char *const level_getters[] = {"mean", "value", "sd", "min", "max", "reset"};
    static const struct {
        const char *name;
        int kind;
    } dists[] = {{"uniform", SF_DIST_UNIFORM},       {"normal", SF_DIST_NORMAL},   {"lognormal", SF_DIST_LOGNORMAL},
                 {"triangular", SF_DIST_TRIANGULAR}, {"gamma", SF_DIST_GAMMA},     {"weibull", SF_DIST_WEIBULL},
                 {"pert", SF_DIST_PERT},             {"bernoulli", SF_DIST_BERNOULLI}, {"erlang", -1}};
    static const luaL_Reg rng_methods[] = {{"exp", l_rng_exp}, {"random", l_rng_random}, {"integer", l_rng_integer},
                                           {NULL, NULL}};
    static const luaL_Reg math_functions[] = {{"random", l_math_random}, {"randomseed", l_math_randomseed}, {NULL, NULL}};

    /* random streams */
    sf__new_class(L);
    luaL_setfuncs(L, rng_methods, 0);
    for (size_t i = 0; i < sizeof dists / sizeof dists[0]; i++) {
        lua_pushinteger(L, dists[i].kind);
        lua_pushcclosure(L, l_rng_dist, 1);
        lua_setfield(L, -2, dists[i].name);
    }
    lua_newtable(L);
    lua_pushcclosure(L, l_rng, 2);
    lua_setfield(L, sim, "rng");

    /* tallies and levels */
    sf__new_class(L);
    lua_pushcfunction(L, l_tally_add);
    lua_setfield(L, -2, "add");
    for (size_t i = 0; i < sizeof tally_getters / sizeof tally_getters[0]; i++) {
        lua_pushstring(L, tally_getters[i]);
        lua_pushcclosure(L, l_tally_get, 1);
        lua_setfield(L, -2, tally_getters[i]);
    }
    lua_newtable(L);
    lua_pushcclosure(L, l_tally, 2);
    lua_setfield(L, sim, "tally");
    sf__new_class(L);
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, l_level_set, 1);
    lua_setfield(L, -2, "set");
    lua_pushboolean(L, 1);
    lua_pushcclosure(L, l_level_set, 1);
    lua_setfield(L, -2, "add");
    for (size_t i = 0; i < sizeof level_getters / sizeof level_getters[0]; i++) {
        lua_pushstring(L, level_getters[i]);
        lua_pushcclosure(L, l_level_get, 1);
        lua_setfield(L, -2, level_getters[i]);
    }
    lua_newtable(L);
    lua_pushcclosure(L, l_level, 2);
    lua_setfield(L, sim, "level");

    lua_getglobal(L, "math");
    luaL_setfuncs(L, math_functions, 0);
    lua_pop(L, 1);
}
