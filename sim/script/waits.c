/*
 * waits.c: what a process waits for in the factory, and who wakes it.
 *
 * A factory wait is a pair {kind, index} (waits.h): an agent's activity,
 * an agent's repair, a station slot's step, a failure mode's repair, the
 * next failure to repair, the next unit to carry. Each kind has its own
 * table with one entry per thing of that kind, holding the one process
 * that waits for it. The world tells when a thing is done (its `done`
 * hook for agents' activities, the station hook for everything else);
 * the entry's process is woken with true, or nil and a message. What the
 * process returns after that is its continuation's business (the
 * bindings in l_agents.c and l_production.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/shop_internal.h"

static struct waitref *ref(sf_script *S, enum factory_wait kind, uint32_t id)
{
    struct factory_waits *W = &S->shop.waits;
    return W->of[kind] && id < W->count[kind] ? &W->of[kind][id] : NULL;
}

uint32_t sf__slot_wait(sf_script *S, uint32_t station, uint32_t slot)
{
    return S->shop.waits.slot_base[station] + slot;
}

/* The station of WT_STEP index id, and its slot there. */
static uint32_t slot_station(sf_script *S, uint32_t id, uint32_t *slot)
{
    const uint32_t *base = S->shop.waits.slot_base;

    for (uint32_t i = sf_stations_count(sf_world_stations(S->shop.world)); i-- > 0;)
        if (base[i] <= id) {
            *slot = id - base[i];
            return i;
        }
    *slot = 0;
    return UINT32_MAX;
}

/*
 * Block the running process until (kind, id) is done. One process a wait:
 * a second one would take the first one's place and leave it asleep for
 * good, so it is an error that names both.
 */
int sf__wait_for(lua_State *L, sf_script *S, enum factory_wait kind, uint32_t id, lua_KFunction k)
{
    struct waitref *w = ref(S, kind, id);
    uint32_t pid = S->cur;
    char what[200], who[100];

    sf__can_block(L, "a factory wait");

    if (w->pid != NO_PROC && w->pid != pid) {
        const struct proc *o = &S->procs[w->pid];
        if (o->gen == w->gen && o->state == P_BLOCKED && o->wtype == WT_FACTORY && o->wkind == kind && o->wobj == id)
            return luaL_error(L, "process '%s' already waits for %s; one process may wait for it",
                              sf__proc_name(S, w->pid, who, sizeof who), sf__waits_name(S, w->pid, what, sizeof what));
    }
    w->pid = pid;
    w->gen = S->procs[pid].gen;
    S->procs[pid].wkind = (uint8_t)kind;
    S->procs[pid].wobj = id;
    return sf__block(L, S, WT_FACTORY, -1, k);
}

void sf__waits_done(sf_script *S, enum factory_wait kind, uint32_t id, int status)
{
    struct waitref *w = ref(S, kind, id);
    uint32_t pid;
    struct proc *p;

    if (!w || (pid = w->pid) == NO_PROC)
        return;
    w->pid = NO_PROC;
    p = &S->procs[pid];
    if (p->gen != w->gen || p->state != P_BLOCKED || p->wtype != WT_FACTORY || p->wkind != kind || p->wobj != id)
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

void sf__waits_forget(sf_script *S, uint32_t pid)
{
    const struct proc *p = &S->procs[pid];
    struct waitref *w = ref(S, (enum factory_wait)p->wkind, p->wobj);

    if (w && w->pid == pid)
        w->pid = NO_PROC;
}

/* Waiting for work: a slot for its next job, the repairs and moves process for the next one, an agent's repairs. */
bool sf__waits_idle(sf_script *S, uint32_t pid)
{
    const struct proc *p = &S->procs[pid];
    uint32_t station, slot;

    if (!S->shop.world)
        return false;
    switch ((enum factory_wait)p->wkind) {
    case FW_STEP:
        station = slot_station(S, p->wobj, &slot);
        return station != UINT32_MAX && sf_stations_taking(sf_world_stations(S->shop.world), station, slot);
    case FW_NEXT_REPAIR:
    case FW_NEXT_MOVE:
    case FW_AGENT_UP:
        return true;
    default:
        return false;
    }
}

static const char *agent_name(sf_script *S, uint32_t agent)
{
    sf_agent *a = S->shop.world ? sf_world_agent(S->shop.world, agent) : NULL;
    return a ? a->name : "?";
}

const char *sf__waits_name(sf_script *S, uint32_t pid, char *buf, size_t n)
{
    const struct proc *p = &S->procs[pid];
    uint32_t id = p->wobj, station, slot;
    const sf_cfg_failure *f;

    switch ((enum factory_wait)p->wkind) {
    case FW_AGENT:
        snprintf(buf, n, "agent '%s' to finish its activity", agent_name(S, id));
        break;
    case FW_AGENT_UP:
        snprintf(buf, n, "the repair of agent '%s'", agent_name(S, id));
        break;
    case FW_STEP:
        if ((station = slot_station(S, id, &slot)) != UINT32_MAX)
            snprintf(buf, n, "station '%s' (slot %u)", sf_world_config(S->shop.world)->layout.stations[station].name,
                     slot + 1);
        else
            snprintf(buf, n, "a station");
        break;
    case FW_REPAIR:
        if (sf_failures_mode(sf_world_failures(S->shop.world), id, &station, &f))
            snprintf(buf, n, "the repair of failure '%s' at station '%s'", f->name,
                     sf_world_config(S->shop.world)->layout.stations[station].name);
        else if (sf_failures_agent_mode(sf_world_failures(S->shop.world), id, &station, &f))
            snprintf(buf, n, "the repair of failure '%s' of agent '%s'", f->name, agent_name(S, station));
        else
            snprintf(buf, n, "a repair");
        break;
    case FW_NEXT_REPAIR:
        snprintf(buf, n, "a failure to repair");
        break;
    default:
        snprintf(buf, n, "a unit to carry");
        break;
    }
    return buf;
}

/* The world's station hook: a slot's step, a repair, a move or an agent's repairs that did not end at once have. */
static void station_done(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now)
{
    sf_script *S = ctx;

    (void)now;
    if (step == SF_STEP_MOVE)
        sf__waits_done(S, FW_NEXT_MOVE, 0, SF_OK);
    else if (step == SF_STEP_AGENT_UP)
        sf__waits_done(S, FW_AGENT_UP, slot, SF_OK);
    else if (step == SF_STEP_REPAIR && slot == UINT32_MAX)
        sf__waits_done(S, FW_NEXT_REPAIR, 0, SF_OK);
    else if (step == SF_STEP_REPAIR)
        sf__waits_done(S, FW_REPAIR, slot, SF_OK);
    else
        sf__waits_done(S, FW_STEP, sf__slot_wait(S, station, slot), SF_OK);
}

/* The world's `done` hook: an agent's activity has ended. */
void sf_script_world_done(void *ctx, uint32_t agent, sf_activity what, int status, sf_time now)
{
    (void)what;
    (void)now;
    sf__waits_done(ctx, FW_AGENT, agent, status);
}

/* Make the tables for world w, every entry empty, and hook the stations. SF_ENOMEM when out of memory. */
int sf__waits_init(sf_script *S, sf_world *w)
{
    struct factory_waits *W = &S->shop.waits;
    sf_stations *st = sf_world_stations(w);
    uint32_t nst = sf_stations_count(st), slots = 0;

    if (!(W->slot_base = sf_malloc((nst ? nst : 1) * sizeof *W->slot_base)))
        return SF_ENOMEM;
    for (uint32_t i = 0; i < nst; i++) {
        W->slot_base[i] = slots;
        slots += sf_stations_slots(st, i);
    }
    W->count[FW_AGENT] = W->count[FW_AGENT_UP] = sf_world_agent_count(w);
    W->count[FW_STEP] = slots;
    W->count[FW_REPAIR] = sf_failures_modes(sf_world_failures(w));
    W->count[FW_NEXT_REPAIR] = W->count[FW_NEXT_MOVE] = 1;
    for (int k = 0; k < FW_KINDS; k++) {
        if (!(W->of[k] = sf_malloc((W->count[k] ? W->count[k] : 1) * sizeof *W->of[k])))
            return SF_ENOMEM;
        for (uint32_t i = 0; i < W->count[k]; i++)
            W->of[k][i] = (struct waitref){NO_PROC, 0};
    }
    sf_world_on_station(w, station_done, S);
    return SF_OK;
}

void sf__waits_free(sf_script *S)
{
    for (int k = 0; k < FW_KINDS; k++)
        free(S->shop.waits.of[k]);
    free(S->shop.waits.slot_base);
}
