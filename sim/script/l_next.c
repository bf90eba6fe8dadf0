/*
 * l_next.c: next and pairs in a reproducible order.
 *
 * Lua's own traversal order depends on where keys hash, and Lua seeds its
 * string hash anew in every process (and hashes tables, functions and
 * other objects by address), so the same model with the same seed could
 * visit keys in a different order on each run and give different results
 * under one fingerprint. The sandbox's next and pairs visit keys in one
 * order instead: numbers ascending, then strings (bytewise), then false and
 * true. Keys of any other type have no order that holds from run to run:
 * a traversal that meets one is refused with the reason.
 *
 * next(t, nil) takes a snapshot of t's keys, sorted, into a weak-keyed
 * registry table (t -> {keys, index}); next(t, k) returns the key after k
 * in it, skipping keys cleared since (which Lua allows during a
 * traversal). A next(t, k) with a k the snapshot lacks takes a new one.
 * Building a snapshot of n keys is charged n instructions of the budget.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script_internal.h"

#define CACHE_KEY "shopfloor.next"

struct key {
    int type;       /* LUA_TNUMBER, LUA_TSTRING or LUA_TBOOLEAN */
    int isint;
    lua_Integer i;
    lua_Number d;
    const char *s;
    size_t len;
    int slot;       /* index in the unsorted key list */
};

static int rank(int type)
{
    return type == LUA_TNUMBER ? 0 : type == LUA_TSTRING ? 1 : 2;
}

static int cmp_keys(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;

    if (a->type != b->type)
        return rank(a->type) - rank(b->type);
    if (a->type == LUA_TSTRING) {
        int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    if (a->type == LUA_TBOOLEAN)
        return (int)(a->i - b->i);
    if (a->isint && b->isint)
        return (a->i > b->i) - (a->i < b->i);
    /* a float key is never integral (Lua stores those as integers), so converting the other side cannot tie wrongly */
    lua_Number x = a->isint ? (lua_Number)a->i : a->d, y = b->isint ? (lua_Number)b->i : b->d;
    return (x > y) - (x < y);
}

/* Under the table at index 1: push a new snapshot {keys = sorted list, index = key -> position}, store it in the cache. */
static void snapshot(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct key *keys;
    size_t n = 0, count = 0;
    int list, sorted, index;

    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        count++;
    }
    keys = lua_newuserdatauv(L, (count ? count : 1) * sizeof *keys, 0); /* freed by the collector, errors or not */
    lua_newtable(L); /* the keys as found, anchoring strings while they are sorted */
    list = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        int t = lua_type(L, -2);
        struct key k = {.type = t, .slot = (int)n + 1};

        lua_pop(L, 1);
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            luaL_error(L, "next/pairs: this table has a key of type %s, and such keys come in a different order "
                          "on every run; keep them in a list (ipairs) or key the table by names or numbers",
                       luaL_typename(L, -1));
        if (t == LUA_TNUMBER) {
            k.isint = lua_isinteger(L, -1);
            if (k.isint)
                k.i = lua_tointeger(L, -1);
            else
                k.d = lua_tonumber(L, -1);
        } else if (t == LUA_TSTRING) {
            k.s = lua_tolstring(L, -1, &k.len);
        } else {
            k.i = lua_toboolean(L, -1);
        }
        keys[n++] = k;
        lua_pushvalue(L, -1);
        lua_rawseti(L, list, (lua_Integer)n);
    }
    S->spent += n;
    qsort(keys, n, sizeof *keys, cmp_keys);
    lua_createtable(L, 2, 0);
    lua_createtable(L, (int)n, 0);
    sorted = lua_gettop(L);
    lua_createtable(L, 0, (int)n);
    index = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, list, keys[i].slot);
        lua_pushvalue(L, -1);
        lua_rawseti(L, sorted, (lua_Integer)i + 1);
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_rawset(L, index);
    }
    lua_rawseti(L, sorted - 1, 2);
    lua_rawseti(L, sorted - 1, 1);
    lua_remove(L, list);
    lua_remove(L, list - 1); /* the key array */
    /* cache[t] = snapshot */
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* next(t [, k]) */
static int l_next(lua_State *L)
{
    lua_Integer at = 0, n;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        snapshot(L);
    } else {
        lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
        lua_pushvalue(L, 1);
        if (lua_rawget(L, -2) != LUA_TTABLE) {
            lua_pop(L, 2);
            snapshot(L);
        } else {
            lua_remove(L, -2);
        }
        for (int tries = 0; tries < 2 && !at; tries++) {
            lua_rawgeti(L, -1, 2);
            lua_pushvalue(L, 2);
            if (lua_rawget(L, -2) == LUA_TNUMBER)
                at = lua_tointeger(L, -1);
            lua_pop(L, 2);
            if (!at && tries == 0) { /* a key of another snapshot: take a new one */
                lua_pop(L, 1);
                snapshot(L);
            }
        }
        if (!at)
            return luaL_error(L, "invalid key to 'next'");
    }
    lua_rawgeti(L, -1, 1);
    n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = at + 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL)
            return 2;
        lua_pop(L, 2);
    }
    /* the end: drop the snapshot */
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    lua_rawset(L, -3);
    lua_pushnil(L);
    return 1;
}

/* pairs(t): t's __pairs when it has one, else next, t, nil (the sandbox's next, upvalue 1). */
static int l_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void sf__open_next(lua_State *L)
{
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    lua_pushcfunction(L, l_next);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "next");
    lua_pushcclosure(L, l_pairs, 1);
    lua_setglobal(L, "pairs");
}
