/*
 * l_resource.c: resources (units with priorities, optionally
 * preemptive), stores of items (with filtered get) and containers of a
 * continuous quantity, with their statistics.
 *
 * The objects live in C arrays of the state and are named by index; the
 * Lua userdata holds the index. Requests that cannot be served at once
 * queue in a struct wqueue (wqueue.c) ordered by (priority, arrival). Serving a
 * resource or a container never calls Lua, so it can run from a kernel
 * handler after a timeout; a store calls the getters' filters and is only
 * served from a binding.
 *
 * Every object records how busy it is (sf_level of units in use or of
 * content), how long its queue is (sf_level) and how long requests
 * waited (sf_tally), as they change.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/script_internal.h"

struct obj_ud {
    uint32_t tag, index;
};

/* ---- common ---- */

static bool push_to(sf_script *S, uint32_t pid)
{
    struct proc *p = &S->procs[pid];
    if (!lua_checkstack(p->co, 2)) {
        sf__fail(S, SF_ENOMEM, "out of stack waking a process");
        return false;
    }
    return true;
}

/* Wake pid with `true` as the result of its request. */
static void grant(sf_script *S, uint32_t pid)
{
    if (!push_to(S, pid))
        return;
    lua_pushboolean(S->procs[pid].co, 1);
    S->procs[pid].nargs = 1;
    sf__wake(S, pid, W_VALUES);
}

static double opt_capacity(lua_State *L, int idx)
{
    double c;

    if (lua_isnoneornil(L, idx))
        return INFINITY;
    if (lua_type(L, idx) == LUA_TSTRING && strcmp(lua_tostring(L, idx), "inf") == 0)
        return INFINITY;
    c = luaL_checknumber(L, idx);
    if (!(c > 0))
        luaL_argerror(L, idx, "a capacity must be > 0");
    return c;
}

/* Read {capacity=, name=, ...} or (capacity, name) into the stack slots 2 (capacity) and 3 (name). */
static void options(lua_State *L, const char *extra)
{
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_settop(L, 1);
        lua_getfield(L, 1, "capacity");
        lua_getfield(L, 1, "name");
        lua_getfield(L, 1, extra);
    } else {
        lua_settop(L, 2);
        lua_pushnil(L);
        lua_insert(L, 1);
        lua_pushnil(L);
    }
}

static char *default_name(lua_State *L, const char *kind, uint32_t index)
{
    char buf[64];
    const char *n = lua_tostring(L, 3);
    char *copy;

    if (!n) {
        snprintf(buf, sizeof buf, "%s %u", kind, (unsigned)index + 1);
        n = buf;
    } else {
        sf__check_name(L, 3, kind);
    }
    if (!(copy = sf_strdup(n)))
        luaL_error(L, "out of memory");
    return copy;
}

static void push_obj(lua_State *L, uint32_t tag, uint32_t index)
{
    struct obj_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->tag = tag;
    u->index = index;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setmetatable(L, -2);
}

static int priority_arg(lua_State *L, int idx)
{
    lua_Integer p = luaL_optinteger(L, idx, 0);
    luaL_argcheck(L, p >= -1000000 && p <= 1000000, idx, "priority out of range [-10^6, 10^6]");
    return (int)p;
}

/* The index of the object of kind `tag` that argument 1 is (raises otherwise), also stored at *index. */
static uint32_t self_index(lua_State *L, uint32_t tag, const char *what, uint32_t *index)
{
    uint32_t i = ((struct obj_ud *)sf__check(L, 1, tag, what))->index;
    if (index)
        *index = i;
    return i;
}

/* A new object, number *count of its kind: recorded in creation order (for reports) and returned to Lua. */
static int created(lua_State *L, sf_script *S, int kind, uint32_t tag, uint32_t *count, char **name)
{
    if (sf__add_order(S, kind, *count) != SF_OK) {
        free(*name);
        *name = NULL;
        return luaL_error(L, "out of memory");
    }
    push_obj(L, tag, (*count)++);
    return 1;
}

/* ---- resources ---- */

static struct resource *check_res(lua_State *L, uint32_t *index)
{
    return &sf__script(L)->objs.res[self_index(L, TAG_RES, "resource", index)];
}

/* sim.resource{capacity = 1, name = "...", preemptive = false} or sim.resource(capacity, name) */
static int l_resource(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct resource *r;
    double cap;

    options(L, "preemptive");
    cap = lua_isnil(L, 2) ? 1 : luaL_checknumber(L, 2);
    luaL_argcheck(L, cap >= 1 && cap <= 1e9 && cap == floor(cap), 1, "a resource's capacity is a whole number >= 1");
    if (sf_grow(S->objs.res, S->objs.capres, S->objs.nres + 1) != SF_OK)
        return luaL_error(L, "out of memory");
    r = &S->objs.res[S->objs.nres];
    memset(r, 0, sizeof *r);
    r->capacity = (int)cap;
    r->preemptive = lua_toboolean(L, 4);
    r->name = default_name(L, "resource", S->objs.nres);
    sf_level_init(&r->busy, sf_kernel_now(S->k), 0);
    sf_level_init(&r->queue, sf_kernel_now(S->k), 0);
    sf_tally_init(&r->wait, false);
    return created(L, S, SF_SCRIPT_RESOURCE, TAG_RES, &S->objs.nres, &r->name);
}

static int add_holder(struct resource *r, uint32_t pid, uint32_t gen, int n, int prio, uint64_t seq)
{
    if (sf_grow(r->h, r->caph, r->nh + 1) != SF_OK)
        return SF_ENOMEM;
    r->h[r->nh++] = (struct holder){pid, gen, n, prio, seq};
    return SF_OK;
}

static void drop_holder(sf_script *S, struct resource *r, int i)
{
    struct proc *p = &S->procs[r->h[i].pid];

    if (p->gen == r->h[i].gen && p->nheld)
        p->nheld--;
    r->used -= r->h[i].n;
    r->h[i] = r->h[--r->nh];
}

/* Grant queued requests in order while the head fits. Pure C: safe from a kernel handler. */
static void serve_resource(sf_script *S, struct resource *r)
{
    sf_time now = sf_kernel_now(S->k);

    while (r->q.n > 0) {
        struct waiter *w = sf__wq_at(&r->q, 0);
        if (r->capacity - r->used < (int)w->amount)
            break;
        if (add_holder(r, w->pid, S->procs[w->pid].gen, (int)w->amount, w->prio, w->seq) != SF_OK) {
            sf__fail(S, SF_ENOMEM, "out of memory granting resource '%s'", r->name);
            return;
        }
        S->procs[w->pid].nheld++;
        r->used += (int)w->amount;
        sf_tally_add(&r->wait, sf_time_to_seconds(now - w->since));
        grant(S, w->pid);
        sf__wq_remove_at(&r->q, 0);
    }
    sf_level_set(&r->busy, now, r->used);
    sf_level_set(&r->queue, now, r->q.n);
}

/*
 * Preempt holders worse than `prio` (largest priority value first, the
 * most recent first among equals) until n units are free. Nothing is
 * preempted unless enough units can be freed.
 */
static bool preempt(lua_State *L, sf_script *S, struct resource *r, int n, int prio)
{
    int freeable = r->capacity - r->used;

    for (int i = 0; i < r->nh; i++)
        if (r->h[i].prio > prio)
            freeable += r->h[i].n;
    if (freeable < n)
        return false;
    while (r->capacity - r->used < n) {
        int worst = -1;
        for (int i = 0; i < r->nh; i++)
            if (r->h[i].prio > prio &&
                (worst < 0 || r->h[i].prio > r->h[worst].prio ||
                 (r->h[i].prio == r->h[worst].prio && r->h[i].seq > r->h[worst].seq)))
                worst = i;
        struct holder victim = r->h[worst];
        drop_holder(S, r, worst);
        lua_createtable(L, 0, 4);
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "preempted");
        lua_pushvalue(L, 1); /* the resource, argument 1 of acquire */
        lua_setfield(L, -2, "resource");
        lua_pushinteger(L, victim.n);
        lua_setfield(L, -2, "units");
        if (S->procs[victim.pid].gen == victim.gen)
            sf__interrupt(L, victim.pid, lua_gettop(L));
        lua_pop(L, 1);
    }
    return true;
}

/* res:acquire([n], [priority], [timeout]): true once granted, or nil, "timeout". */
static int l_acquire(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t rindex;
    struct resource *r = check_res(L, &rindex);
    lua_Integer n = luaL_optinteger(L, 2, 1);
    int prio = priority_arg(L, 3);
    sf_time timeout = sf__opt_timeout(L, 4), now = sf_kernel_now(S->k);
    uint32_t self = sf__self(L, S, "res:acquire");
    struct waiter w;

    luaL_argcheck(L, n >= 1 && n <= r->capacity, 2, "must ask for 1 to capacity units");
    if ((r->q.n == 0 || prio < sf__wq_at(&r->q, 0)->prio) &&
        (r->capacity - r->used >= n || (r->preemptive && preempt(L, S, r, (int)n, prio)))) {
        r = &S->objs.res[rindex];
        if (add_holder(r, self, S->procs[self].gen, (int)n, prio, ++S->objs.seq) != SF_OK)
            return luaL_error(L, "out of memory");
        S->procs[self].nheld++;
        r->used += (int)n;
        sf_level_set(&r->busy, now, r->used);
        sf_tally_add(&r->wait, 0);
        lua_pushboolean(L, 1);
        return 1;
    }
    sf__can_block(L, "res:acquire");
    w = (struct waiter){self, prio, ++S->objs.seq, (double)n, now};
    if (sf__wq_insert(&r->q, &w) != SF_OK)
        return luaL_error(L, "out of memory");
    sf_level_set(&r->queue, now, r->q.n);
    S->procs[self].wobj = rindex;
    lua_settop(L, 0);
    return sf__block(L, S, WT_RESOURCE, timeout, NULL);
}

/*
 * res:release([n]): give back n (default: all) of the units the calling
 * process holds; true. False when its units were taken by a preemption it
 * has not been told of yet (its interrupt waits for its next blocking call).
 */
static int l_release(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct resource *r = check_res(L, NULL);
    uint32_t self = sf__self(L, S, "res:release");
    int i;

    for (i = r->nh - 1; i >= 0; i--)
        if (r->h[i].pid == self && r->h[i].gen == S->procs[self].gen)
            break;
    if (i < 0) {
        if (S->procs[self].pint) { /* preempted while woken: it learns at its next wait */
            lua_pushboolean(L, 0);
            return 1;
        }
        return luaL_error(L, "release of resource '%s' by a process that holds none of it", r->name);
    }
    lua_Integer n = luaL_optinteger(L, 2, r->h[i].n);
    luaL_argcheck(L, n >= 1 && n <= r->h[i].n, 2, "more units than the process holds");
    if (n == r->h[i].n) {
        drop_holder(S, r, i);
    } else {
        r->used -= (int)n;
        r->h[i].n -= (int)n;
    }
    serve_resource(S, r);
    lua_pushboolean(L, 1);
    return 1;
}

static int l_res_info(lua_State *L)
{
    struct resource *r = check_res(L, NULL);
    switch (lua_tointeger(L, lua_upvalueindex(2))) {
    case 0: lua_pushinteger(L, r->used); break;
    case 1: lua_pushinteger(L, r->q.n); break;
    case 2: lua_pushinteger(L, r->capacity); break;
    default: lua_pushstring(L, r->name); break;
    }
    return 1;
}

/* ---- stores ---- */

enum { ST_ITEMS = 1, ST_FILTERS, ST_PUTS };

static struct store *check_store(lua_State *L, uint32_t *index)
{
    return &sf__script(L)->objs.stores[self_index(L, TAG_STORE, "store", index)];
}

static int l_store(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct store *s;
    double cap;

    options(L, "unused");
    cap = opt_capacity(L, 2);
    luaL_argcheck(L, isinf(cap) || cap == floor(cap), 1, "a store's capacity is a whole number of items");
    if (sf_grow(S->objs.stores, S->objs.capstores, S->objs.nstores + 1) != SF_OK)
        return luaL_error(L, "out of memory");
    lua_createtable(L, 3, 0);
    for (int i = 1; i <= 3; i++) {
        lua_newtable(L);
        lua_rawseti(L, -2, i);
    }
    s = &S->objs.stores[S->objs.nstores];
    memset(s, 0, sizeof *s);
    s->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    s->capacity = isinf(cap) || cap > 2e9 ? INT32_MAX : (int)cap;
    s->name = default_name(L, "store", S->objs.nstores);
    sf_level_init(&s->content, sf_kernel_now(S->k), 0);
    sf_level_init(&s->queue, sf_kernel_now(S->k), 0);
    sf_tally_init(&s->wait, false);
    return created(L, S, SF_SCRIPT_STORE, TAG_STORE, &S->objs.nstores, &s->name);
}

/* Index of the first item the filter at `filter` (or none) accepts, 0 when none. */
static lua_Integer find_item(lua_State *L, int items, int filter, lua_Integer n)
{
    if (lua_isnil(L, filter))
        return n > 0 ? 1 : 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushvalue(L, filter);
        lua_rawgeti(L, items, i);
        lua_call(L, 1, 1);
        int ok = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (ok)
            return i;
    }
    return 0;
}

/* Move items to waiting getters (in order, each taking the first item its filter accepts), then let putters in. */
static void serve_store(lua_State *L, sf_script *S, uint32_t index)
{
    sf_time now = sf_kernel_now(S->k);
    bool changed = true;
    int top = lua_gettop(L);

    lua_rawgeti(L, LUA_REGISTRYINDEX, S->objs.stores[index].ref);
    int t = lua_gettop(L);
    lua_rawgeti(L, t, ST_ITEMS);
    lua_rawgeti(L, t, ST_FILTERS);
    lua_rawgeti(L, t, ST_PUTS);
    int items = t + 1, filters = t + 2, puts = t + 3;
    while (changed) {
        struct store *s = &S->objs.stores[index];
        changed = false;
        for (uint32_t i = 0; i < s->getq.n;) {
            struct waiter w = *sf__wq_at(&s->getq, i);
            lua_Integer n = (lua_Integer)lua_rawlen(L, items), at;
            lua_rawgeti(L, filters, w.pid);
            at = find_item(L, items, lua_gettop(L), n);
            lua_pop(L, 1);
            s = &S->objs.stores[index];
            if (!at) {
                i++;
                continue;
            }
            lua_rawgeti(L, items, at);
            for (lua_Integer j = at; j < n; j++) {
                lua_rawgeti(L, items, j + 1);
                lua_rawseti(L, items, j);
            }
            lua_pushnil(L);
            lua_rawseti(L, items, n);
            lua_pushnil(L);
            lua_rawseti(L, filters, w.pid);
            if (!push_to(S, w.pid))
                luaL_error(L, "out of stack");
            lua_xmove(L, S->procs[w.pid].co, 1);
            S->procs[w.pid].nargs = 1;
            sf__wake(S, w.pid, W_VALUES);
            sf__wq_remove_at(&s->getq, i);
            s->count--;
            sf_tally_add(&s->wait, sf_time_to_seconds(now - w.since));
            changed = true;
        }
        while (s->putq.n > 0 && s->count < s->capacity) {
            struct waiter w = *sf__wq_at(&s->putq, 0);
            lua_rawgeti(L, puts, w.pid);
            lua_rawseti(L, items, (lua_Integer)lua_rawlen(L, items) + 1);
            lua_pushnil(L);
            lua_rawseti(L, puts, w.pid);
            s->count++;
            sf__wq_remove_at(&s->putq, 0);
            grant(S, w.pid);
            changed = true;
        }
        sf_level_set(&s->content, now, s->count);
        sf_level_set(&s->queue, now, s->getq.n);
    }
    lua_settop(L, top);
}

/* store:put(item, [timeout]): true once the item is in, or nil, "timeout" when the store stayed full. */
static int l_put(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t index;
    struct store *s = check_store(L, &index);
    sf_time timeout = sf__opt_timeout(L, 3);
    uint32_t self;
    struct waiter w;

    luaL_checkany(L, 2);
    if (lua_isnil(L, 2))
        return luaL_argerror(L, 2, "nil cannot be stored");
    if (s->putq.n == 0 && s->count < s->capacity) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
        lua_rawgeti(L, -1, ST_ITEMS);
        lua_pushvalue(L, 2);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        lua_pop(L, 2);
        s->count++;
        serve_store(L, S, index);
        lua_pushboolean(L, 1);
        return 1;
    }
    self = sf__blocking(L, S, "store:put");
    w = (struct waiter){self, 0, ++S->objs.seq, 1, sf_kernel_now(S->k)};
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
    lua_rawgeti(L, -1, ST_PUTS);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, self);
    if (sf__wq_insert(&s->putq, &w) != SF_OK)
        return luaL_error(L, "out of memory");
    S->procs[self].wobj = index;
    lua_settop(L, 0);
    return sf__block(L, S, WT_STORE_PUT, timeout, NULL);
}

/* store:get([filter], [timeout]): the first item (that filter(item) accepts), or nil, "timeout". */
static int l_get(lua_State *L)
{
    sf_script *S = sf__script(L);
    uint32_t index;
    struct store *s = check_store(L, &index);
    sf_time timeout = sf__opt_timeout(L, 3);
    uint32_t self;
    lua_Integer at;
    struct waiter w;

    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
    lua_rawgeti(L, -1, ST_ITEMS);
    int items = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, items);
    if (S->objs.stores[index].getq.n == 0 && (at = find_item(L, items, 2, n))) {
        lua_rawgeti(L, items, at);
        for (lua_Integer j = at; j < n; j++) {
            lua_rawgeti(L, items, j + 1);
            lua_rawseti(L, items, j);
        }
        lua_pushnil(L);
        lua_rawseti(L, items, n);
        s = &S->objs.stores[index];
        s->count--;
        sf_tally_add(&s->wait, 0);
        serve_store(L, S, index);
        return 1;
    }
    self = sf__blocking(L, S, "store:get");
    s = &S->objs.stores[index];
    w = (struct waiter){self, 0, ++S->objs.seq, 1, sf_kernel_now(S->k)};
    lua_rawgeti(L, -2, ST_FILTERS);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, self);
    if (sf__wq_insert(&s->getq, &w) != SF_OK)
        return luaL_error(L, "out of memory");
    sf_level_set(&s->queue, sf_kernel_now(S->k), s->getq.n);
    S->procs[self].wobj = index;
    lua_settop(L, 0);
    return sf__block(L, S, WT_STORE_GET, timeout, NULL);
}

static int l_store_info(lua_State *L)
{
    struct store *s = check_store(L, NULL);
    switch (lua_tointeger(L, lua_upvalueindex(2))) {
    case 0: lua_pushinteger(L, s->count); break;
    case 1: lua_pushinteger(L, s->getq.n); break;
    case 2:
        if (s->capacity == INT32_MAX)
            lua_pushnumber(L, INFINITY);
        else
            lua_pushinteger(L, s->capacity);
        break;
    default: lua_pushstring(L, s->name); break;
    }
    return 1;
}

/* store:items(): a copy of the items, oldest first. */
static int l_store_items(lua_State *L)
{
    struct store *s = check_store(L, NULL);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
    lua_rawgeti(L, -1, ST_ITEMS);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -2, i);
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* ---- containers ---- */

static struct container *check_cont(lua_State *L, uint32_t *index)
{
    return &sf__script(L)->objs.conts[self_index(L, TAG_CONT, "container", index)];
}

static int l_container(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct container *c;
    double cap, init;

    options(L, "init");
    cap = opt_capacity(L, 2);
    init = luaL_optnumber(L, 4, 0);
    luaL_argcheck(L, init >= 0 && init <= cap, 1, "the initial level must lie in [0, capacity]");
    if (sf_grow(S->objs.conts, S->objs.capconts, S->objs.nconts + 1) != SF_OK)
        return luaL_error(L, "out of memory");
    c = &S->objs.conts[S->objs.nconts];
    memset(c, 0, sizeof *c);
    c->capacity = cap;
    c->level = init;
    c->name = default_name(L, "container", S->objs.nconts);
    sf_level_init(&c->content, sf_kernel_now(S->k), init);
    sf_level_init(&c->queue, sf_kernel_now(S->k), 0);
    sf_tally_init(&c->wait, false);
    return created(L, S, SF_SCRIPT_CONTAINER, TAG_CONT, &S->objs.nconts, &c->name);
}

/* Serve gets in priority order while the head fits, then puts in order while they fit; repeat. */
static void serve_container(sf_script *S, struct container *c)
{
    sf_time now = sf_kernel_now(S->k);
    bool changed = true;

    while (changed) {
        changed = false;
        while (c->getq.n > 0 && sf__wq_at(&c->getq, 0)->amount <= c->level) {
            struct waiter w = *sf__wq_at(&c->getq, 0);
            c->level -= w.amount;
            sf__wq_remove_at(&c->getq, 0);
            sf_tally_add(&c->wait, sf_time_to_seconds(now - w.since));
            grant(S, w.pid);
            changed = true;
        }
        while (c->putq.n > 0 && sf__wq_at(&c->putq, 0)->amount <= c->capacity - c->level) {
            struct waiter w = *sf__wq_at(&c->putq, 0);
            c->level += w.amount;
            sf__wq_remove_at(&c->putq, 0);
            grant(S, w.pid);
            changed = true;
        }
    }
    sf_level_set(&c->content, now, c->level);
    sf_level_set(&c->queue, now, c->getq.n);
}

static int cont_op(lua_State *L, bool is_get)
{
    sf_script *S = sf__script(L);
    uint32_t index;
    struct container *c = check_cont(L, &index);
    double amount = luaL_checknumber(L, 2);
    int prio = is_get ? priority_arg(L, 3) : 0;
    sf_time timeout = sf__opt_timeout(L, is_get ? 4 : 3), now = sf_kernel_now(S->k);
    struct wqueue *q = is_get ? &c->getq : &c->putq;
    uint32_t self;
    struct waiter w;

    luaL_argcheck(L, amount >= 0 && amount <= c->capacity, 2, "amount must lie in [0, capacity]");
    if (is_get ? ((q->n == 0 || prio < sf__wq_at(q, 0)->prio) && amount <= c->level)
               : (q->n == 0 && amount <= c->capacity - c->level)) {
        c->level += is_get ? -amount : amount;
        if (is_get)
            sf_tally_add(&c->wait, 0);
        serve_container(S, c);
        lua_pushboolean(L, 1);
        return 1;
    }
    self = sf__blocking(L, S, is_get ? "c:get" : "c:put");
    w = (struct waiter){self, prio, ++S->objs.seq, amount, now};
    if (sf__wq_insert(q, &w) != SF_OK)
        return luaL_error(L, "out of memory");
    sf_level_set(&c->queue, now, c->getq.n);
    S->procs[self].wobj = index;
    lua_settop(L, 0);
    return sf__block(L, S, is_get ? WT_CONT_GET : WT_CONT_PUT, timeout, NULL);
}

/* c:get(amount, [priority], [timeout]) */
static int l_cont_get(lua_State *L)
{
    return cont_op(L, true);
}

/* c:put(amount, [timeout]) */
static int l_cont_put(lua_State *L)
{
    return cont_op(L, false);
}

static int l_cont_info(lua_State *L)
{
    struct container *c = check_cont(L, NULL);
    switch (lua_tointeger(L, lua_upvalueindex(2))) {
    case 0: lua_pushnumber(L, c->level); break;
    case 1: lua_pushinteger(L, c->getq.n); break;
    case 2: lua_pushnumber(L, c->capacity); break;
    default: lua_pushstring(L, c->name); break;
    }
    return 1;
}

static int l_cont_level(lua_State *L)
{
    lua_pushnumber(L, check_cont(L, NULL)->level);
    return 1;
}

/* ---- statistics from Lua: obj:stats() ---- */

static int l_stats(lua_State *L)
{
    sf_script *S = sf__script(L);
    struct obj_ud *u = lua_touserdata(L, 1);
    sf_script_stats st;
    int kind;

    if (!u || lua_type(L, 1) != LUA_TUSERDATA)
        return luaL_typeerror(L, 1, "resource, store or container");
    kind = u->tag == TAG_RES ? SF_SCRIPT_RESOURCE : u->tag == TAG_STORE ? SF_SCRIPT_STORE : SF_SCRIPT_CONTAINER;
    for (size_t i = 0; i < S->objs.norder; i++)
        if (S->objs.order[i].kind == kind && S->objs.order[i].index == u->index) {
            sf_script_stats_get(S, i, &st);
            lua_createtable(L, 0, 10);
            lua_pushstring(L, st.name);
            lua_setfield(L, -2, "name");
            lua_pushnumber(L, st.utilisation);
            lua_setfield(L, -2, "utilisation");
            lua_pushnumber(L, st.queue_mean);
            lua_setfield(L, -2, "queue_mean");
            lua_pushnumber(L, st.queue_max);
            lua_setfield(L, -2, "queue_max");
            lua_pushnumber(L, st.level_mean);
            lua_setfield(L, -2, "level_mean");
            lua_pushinteger(L, (lua_Integer)st.n);
            lua_setfield(L, -2, "served");
            lua_pushnumber(L, st.mean);
            lua_setfield(L, -2, "wait_mean");
            lua_pushnumber(L, st.sd);
            lua_setfield(L, -2, "wait_sd");
            lua_pushnumber(L, st.max);
            lua_setfield(L, -2, "wait_max");
            return 1;
        }
    return luaL_error(L, "unknown object");
}

/* ---- removal on timeout or interrupt; names for reports ---- */

void sf__resource_forget(sf_script *S, uint32_t pid)
{
    struct proc *p = &S->procs[pid];
    sf_time now = sf_kernel_now(S->k);

    switch (p->wtype) {
    case WT_RESOURCE: {
        struct resource *r = &S->objs.res[p->wobj];
        sf__wq_remove_pid(&r->q, pid);
        serve_resource(S, r);
        break;
    }
    case WT_STORE_GET:
    case WT_STORE_PUT: {
        struct store *s = &S->objs.stores[p->wobj];
        sf__wq_remove_pid(p->wtype == WT_STORE_GET ? &s->getq : &s->putq, pid);
        lua_rawgeti(S->L, LUA_REGISTRYINDEX, s->ref);
        lua_rawgeti(S->L, -1, p->wtype == WT_STORE_GET ? ST_FILTERS : ST_PUTS);
        lua_pushnil(S->L);
        lua_rawseti(S->L, -2, pid);
        lua_pop(S->L, 2);
        sf_level_set(&s->queue, now, s->getq.n);
        break;
    }
    case WT_CONT_GET:
    case WT_CONT_PUT: {
        struct container *c = &S->objs.conts[p->wobj];
        sf__wq_remove_pid(p->wtype == WT_CONT_GET ? &c->getq : &c->putq, pid);
        serve_container(S, c);
        break;
    }
    default:
        break;
    }
}

/*
 * A process ended while holding units: give them back and serve the
 * queues. O(resources x holders), paid only by processes that end
 * holding something.
 */
void sf__release_all(sf_script *S, uint32_t pid)
{
    uint32_t gen = S->procs[pid].gen;

    for (uint32_t k = 0; k < S->objs.nres && S->procs[pid].nheld; k++) {
        struct resource *r = &S->objs.res[k];
        bool freed = false;
        for (int i = r->nh - 1; i >= 0; i--)
            if (r->h[i].pid == pid && r->h[i].gen == gen) {
                drop_holder(S, r, i);
                freed = true;
            }
        if (freed)
            serve_resource(S, r);
    }
    S->procs[pid].nheld = 0;
}

const char *sf__wait_object_name(sf_script *S, uint32_t pid, char *buf, size_t n)
{
    struct proc *p = &S->procs[pid];
    char joined[128];

    switch (p->wtype) {
    case WT_RESOURCE: snprintf(buf, n, "resource '%s'", S->objs.res[p->wobj].name); break;
    case WT_STORE_GET: snprintf(buf, n, "an item from store '%s'", S->objs.stores[p->wobj].name); break;
    case WT_FACTORY: sf__waits_name(S, pid, buf, n); break;
    case WT_STORE_PUT: snprintf(buf, n, "room in store '%s'", S->objs.stores[p->wobj].name); break;
    case WT_CONT_GET: snprintf(buf, n, "an amount from container '%s'", S->objs.conts[p->wobj].name); break;
    case WT_CONT_PUT: snprintf(buf, n, "room in container '%s'", S->objs.conts[p->wobj].name); break;
    case WT_EVENT: {
        const char *name = sf__event_name(p->wev);
        if (*name)
            snprintf(buf, n, "event '%s'", name);
        else
            snprintf(buf, n, "an unnamed event");
        break;
    }
    case WT_JOIN: snprintf(buf, n, "process '%s' to end", sf__proc_name(S, p->wobj, joined, sizeof joined)); break;
    default: snprintf(buf, n, "nothing"); break;
    }
    return buf;
}

void sf__resources_free(sf_script *S)
{
    for (uint32_t i = 0; i < S->objs.nres; i++) {
        free(S->objs.res[i].name);
        free(S->objs.res[i].h);
        sf__wq_free(&S->objs.res[i].q);
        sf_tally_close(&S->objs.res[i].wait);
    }
    for (uint32_t i = 0; i < S->objs.nstores; i++) {
        free(S->objs.stores[i].name);
        sf__wq_free(&S->objs.stores[i].getq);
        sf__wq_free(&S->objs.stores[i].putq);
        sf_tally_close(&S->objs.stores[i].wait);
    }
    for (uint32_t i = 0; i < S->objs.nconts; i++) {
        free(S->objs.conts[i].name);
        sf__wq_free(&S->objs.conts[i].getq);
        sf__wq_free(&S->objs.conts[i].putq);
        sf_tally_close(&S->objs.conts[i].wait);
    }
    free(S->objs.res);
    free(S->objs.stores);
    free(S->objs.conts);
}

static void open_class(lua_State *L, const char *ctor_name, lua_CFunction ctor, const luaL_Reg *methods,
                       lua_CFunction info)
{
    static const char *const infos[] = {"count", "queue_length", "capacity", "name"};

    sf__new_class(L);
    for (const luaL_Reg *m = methods; m->name; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    for (int i = 0; i < 4; i++) {
        lua_pushvalue(L, -1);
        lua_pushinteger(L, i);
        lua_pushcclosure(L, info, 2);
        lua_setfield(L, -2, infos[i]);
    }
    lua_pushcfunction(L, l_stats);
    lua_setfield(L, -2, "stats");
    lua_pushcclosure(L, ctor, 1);
    lua_setfield(L, -2, ctor_name);
}

void sf__open_resources(lua_State *L)
{
    static const luaL_Reg res_methods[] = {{"acquire", l_acquire}, {"release", l_release}, {NULL, NULL}};
    static const luaL_Reg store_methods[] = {{"put", l_put}, {"get", l_get}, {"items", l_store_items}, {NULL, NULL}};
    static const luaL_Reg cont_methods[] = {{"put", l_cont_put}, {"get", l_cont_get}, {"level", l_cont_level}, {NULL, NULL}};

    open_class(L, "resource", l_resource, res_methods, l_res_info);
    open_class(L, "store", l_store, store_methods, l_store_info);
    open_class(L, "container", l_container, cont_methods, l_cont_info);
}
