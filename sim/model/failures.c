/*
 * failures.c: failure modes of stations and agents, their clocks and
 * repairs.
 *
 * Mode numbers are the event targets and what sim/script calls a mode:
 * station modes station by station, in the config's order of failures;
 * agent modes failure by failure, agent by agent.
 */
#include "model/failures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"
#include "model/calendar.h"

#define CREW_MAX 16

/* The clock of one failure mode, a station's or an agent's: its draws, busy time and events. */
struct fclock {
    const sf_cfg_failure *f;
    sf_rng up, down, remote;
    sf_time busy_left; /* busy basis: busy time to the next failure */
    sf_time busy_since;
    sf_event_id fail_ev, repair_ev;
    bool awaiting_crew; /* failed, its repair crew not there yet */
    uint32_t crew[CREW_MAX], ncrew;
};

struct smode {
    struct fclock c;
    uint32_t station;
};

struct amode {
    struct fclock c;
    uint32_t agent;
};

struct owner {
    uint32_t down;      /* modes failed and not repaired yet, and holds (sf_failures_hold) */
    uint32_t held;      /* holds not released yet */
    uint64_t failures;
};

struct sub {
    sf_failures_fn fn;
    void *ctx;
};

struct sf_failures {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    const sf_agents *agents;
    const int *agent_type;
    sf_failures_hooks h;
    void *block; /* the arrays below */
    struct smode *smodes;
    uint32_t nsmodes;
    struct amode *amodes;
    uint32_t namodes;
    struct owner *st, *ag;
    uint8_t *st_busy;     /* per station: working or in setup, as told */
    uint32_t nst, nagents;
    uint32_t *repairs;    /* modes waiting for a repair crew, oldest first (each at most once): station modes, then
                             agent modes numbered from nsmodes */
    sf_failures_callouts *called; /* per fleet entry: crew repairs done by a person called out */
    uint32_t nrepairs;
    bool repair_asked;    /* someone waits in sf_failures_next_repair */
    struct sub subs[SF_FAILURES_SUBSCRIBERS];
    int nsubs;
    uint32_t kind_sfail, kind_srepair, kind_afail, kind_arepair;
};

static sf_time seconds(double x)
{
    sf_time t;
    if (!(x > 0) || sf_time_from_seconds(x, &t) != SF_OK)
        return 0;
    return t;
}

static void tell(sf_failures *f, sf_entity e, uint32_t id, bool down, bool restart)
{
    sf_failure_change c = {e, id, down, restart};
    for (int i = 0; i < f->nsubs; i++)
        f->subs[i].fn(f->subs[i].ctx, &c);
}

static bool agent_busy(const sf_failures *f, uint32_t agent)
{
    return f->agents && sf_agents_busy(f->agents, agent);
}

/* ---- clocks ---------------------------------------------------------------- */

/*
 * Schedule the next failure of clock c (event `kind` for `target`): on the
 * busy basis after the busy time left, while its owner is busy; on the
 * calendar basis after a fresh draw of the time between failures.
 */
static void clock_schedule(sf_failures *f, struct fclock *c, bool owner_busy, uint32_t kind, uint32_t target)
{
    int rc;
    sf_time at;

    if (c->f->busy_time) {
        if (!owner_busy)
            return;
        at = sf_kernel_now(f->k) + c->busy_left;
    } else {
        at = sf_kernel_now(f->k) + seconds(sf_dist_sample(&c->f->mtbf, &c->up));
    }
    if ((rc = sf_kernel_at(f->k, at, 1, kind, target, &c->fail_ev)) != SF_OK)
        sf_kernel_fail(f->k, rc);
}

/* Its owner starts or stops being busy: a busy-basis clock (not under repair) runs or stops. */
static void clock_busy(sf_failures *f, struct fclock *c, bool busy, uint32_t kind, uint32_t target)
{
    sf_time now = sf_kernel_now(f->k);

    if (!c->f->busy_time || c->repair_ev)
        return;
    if (busy) {
        c->busy_since = now;
        clock_schedule(f, c, true, kind, target);
    } else if (c->fail_ev) {
        sf_kernel_cancel(f->k, c->fail_ev);
        c->fail_ev = 0;
        c->busy_left -= now - c->busy_since;
    }
}

/* Seed clock c's two streams by name and start it: a first failure drawn, or the busy time to it. */
static void clock_start(sf_failures *f, struct fclock *c, uint64_t seed, const char *what, bool owner_busy,
                        uint32_t kind, uint32_t target)
{
    char name[256];

    snprintf(name, sizeof name, "failure.%s", what);
    sf_rng_init(&c->up, seed, name);
    snprintf(name, sizeof name, "repair.%s", what);
    sf_rng_init(&c->down, seed, name);
    snprintf(name, sizeof name, "remote.%s", what);
    sf_rng_init(&c->remote, seed, name);
    if (c->fail_ev)
        sf_kernel_cancel(f->k, c->fail_ev);
    c->fail_ev = 0;
    if (c->f->busy_time)
        c->busy_left = seconds(sf_dist_sample(&c->f->mtbf, &c->up));
    else
        clock_schedule(f, c, owner_busy, kind, target);
}

/* Are all of mode m's on-site fleet entries off shift at t? *until: the first change of any of their rosters. */
static bool off_site(const sf_scenario_config *cfg, const sf_cfg_failure *m, sf_time t, sf_time *until)
{
    *until = SF_TIME_MAX;
    for (size_t i = 0; i < m->n_on_site; i++) {
        sf_time u;
        if (sf_calendar_at(cfg, m->on_site[i], t, &u) != SF_STATE_OFF_SHIFT)
            return false;
        *until = u < *until ? u : *until;
    }
    return true;
}

/*
 * How long a repair waits for someone to come: 0 while the mode's on-site
 * fleet entry is on shift (a break counts as on site) or for a repair done
 * remotely (a draw on "remote.<...>" below the remote share; *remote set);
 * otherwise the call-out, cut short if the entry's shift starts first
 * (*called set).
 */
static sf_time call_out(sf_failures *f, struct fclock *c, bool *remote, bool *called)
{
    const sf_cfg_failure *m = c->f;
    sf_time now = sf_kernel_now(f->k), until;

    *remote = *called = false;
    if (!m->on_call || (*remote = m->remote > 0 && sf_rng_uniform(&c->remote) < m->remote))
        return 0;
    if (!off_site(f->cfg, m, now, &until))
        return 0;
    *called = true;
    for (sf_time t = until; t < now + m->call_out; ) { /* the first change that brings them, if sooner */
        if (!off_site(f->cfg, m, t, &until))
            return t - now;
        if (until <= t)
            break;
        t = until;
    }
    return m->call_out;
}

/* The repair starts after `wait`: it ends after a time drawn from the mode's MTTR, returned in *len. */
static int repair_starts(sf_failures *f, struct fclock *c, sf_time wait, uint32_t kind, uint32_t target, sf_time *len)
{
    *len = seconds(sf_dist_sample(&c->f->mttr, &c->down));
    return sf_kernel_after(f->k, wait + *len, 1, kind, target, &c->repair_ev);
}

/* A repair without a crew: after the call-out, if any. */
static int repair_alone(sf_failures *f, struct fclock *c, uint32_t kind, uint32_t target)
{
    bool remote, called;
    sf_time len, wait = call_out(f, c, &remote, &called);
    return repair_starts(f, c, wait, kind, target, &len);
}

/*
 * A failure whose repair needs a crew (mode `qid` of the repair queue):
 * done remotely or by someone called out, it starts after the call-out
 * and takes nobody from the floor; else it waits in the queue for its
 * crew (sf_failures_repair), and whoever asked for the next one is told.
 */
static void crew_repair(sf_failures *f, struct fclock *c, uint32_t kind, uint32_t target, uint32_t qid)
{
    int rc;
    bool remote, called;
    sf_time len, wait = call_out(f, c, &remote, &called);

    if (remote || called) { /* done from afar, or by someone called out: nobody is taken from the floor */
        if ((rc = repair_starts(f, c, wait, kind, target, &len)) != SF_OK)
            sf_kernel_fail(f->k, rc);
        if (called) {
            f->called[c->f->on_site[0]].repairs++;
            f->called[c->f->on_site[0]].time += wait + len;
        }
        return;
    }
    c->awaiting_crew = true;
    if (f->nrepairs == f->nsmodes + f->namodes) { /* cannot happen: a mode fails again only once repaired */
        sf_kernel_fail(f->k, SF_EINVAL);
        return;
    }
    f->repairs[f->nrepairs++] = qid;
    if (f->repair_asked && f->h.repair) {
        f->repair_asked = false;
        f->h.repair(f->h.ctx, UINT32_MAX);
    }
}

/* A crew repair is over (clock c, mode `qid`): its crew stops working and the waiting caller is told. */
static void crew_done(sf_failures *f, struct fclock *c, uint32_t qid)
{
    if (c->ncrew == 0)
        return;
    if (f->h.crew)
        f->h.crew(f->h.ctx, c->crew, c->ncrew, false);
    c->ncrew = 0;
    if (f->h.repair)
        f->h.repair(f->h.ctx, qid);
}

/* A repair is over: the next failure, on the calendar at once, on busy time while its owner is busy. */
static void clock_repaired(sf_failures *f, struct fclock *c, bool owner_busy, uint32_t kind, uint32_t target)
{
    if (!c->f->busy_time) {
        clock_schedule(f, c, owner_busy, kind, target);
    } else if (owner_busy && !c->fail_ev) {
        c->busy_since = sf_kernel_now(f->k);
        clock_schedule(f, c, true, kind, target);
    }
}

void sf_failures_busy(sf_failures *f, sf_entity e, uint32_t id, bool busy)
{
    if (!f)
        return;
    if (e == SF_ENTITY_STATION) {
        if (id >= f->nst || (bool)f->st_busy[id] == busy)
            return;
        f->st_busy[id] = busy;
        for (uint32_t i = 0; i < f->nsmodes; i++)
            if (f->smodes[i].station == id)
                clock_busy(f, &f->smodes[i].c, busy, f->kind_sfail, i);
        return;
    }
    if (id >= f->nagents || f->ag[id].down) /* under repair its clocks stand still; the last repair starts them again */
        return;
    for (uint32_t i = 0; i < f->namodes; i++)
        if (f->amodes[i].agent == id)
            clock_busy(f, &f->amodes[i].c, busy, f->kind_afail, i);
}

void sf_failures_agent_busy(void *failures, uint32_t agent, bool busy)
{
    sf_failures_busy(failures, SF_ENTITY_AGENT, agent, busy);
}

/* ---- stations ---------------------------------------------------------------- */

static void on_station_fail(sf_kernel *k, void *ctx, const sf_event *ev)
{
    int rc;
    sf_failures *f = ctx;
    struct smode *m = &f->smodes[ev->target];
    struct owner *o = &f->st[m->station];

    m->c.fail_ev = 0;
    m->c.busy_left = 0;
    o->failures++;
    if (o->down++ == 0)
        tell(f, SF_ENTITY_STATION, m->station, true, m->c.f->restart);
    if (m->c.f->repair.n_crew > 0)
        crew_repair(f, &m->c, f->kind_srepair, ev->target, ev->target);
    else if ((rc = repair_alone(f, &m->c, f->kind_srepair, ev->target)) != SF_OK)
        sf_kernel_fail(k, rc);
}

static void on_station_repair(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_failures *f = ctx;
    struct smode *m = &f->smodes[ev->target];

    (void)k;
    m->c.repair_ev = 0;
    crew_done(f, &m->c, ev->target);
    if (m->c.f->busy_time)
        m->c.busy_left = seconds(sf_dist_sample(&m->c.f->mtbf, &m->c.up));
    if (--f->st[m->station].down == 0)
        tell(f, SF_ENTITY_STATION, m->station, false, false); /* the station tells us when it is busy again */
    clock_repaired(f, &m->c, f->st_busy[m->station], f->kind_sfail, ev->target);
}

int sf_failures_next_repair(sf_failures *f, uint32_t *mode)
{
    if (f->nrepairs > 0) {
        *mode = f->repairs[0];
        memmove(f->repairs, f->repairs + 1, --f->nrepairs * sizeof *f->repairs);
        return 1;
    }
    f->repair_asked = true;
    return 0;
}

/* The clock of queue mode `qid` (a station mode, or an agent mode numbered from nsmodes), its event kind and target. */
static struct fclock *queued(sf_failures *f, uint32_t qid, uint32_t *kind, uint32_t *target)
{
    if (qid < f->nsmodes) {
        *kind = f->kind_srepair;
        *target = qid;
        return &f->smodes[qid].c;
    }
    if (qid - f->nsmodes >= f->namodes)
        return NULL;
    *kind = f->kind_arepair;
    *target = qid - f->nsmodes;
    return &f->amodes[*target].c;
}

int sf_failures_repair(sf_failures *f, uint32_t mode, const uint32_t *crew, uint32_t ncrew)
{
    return sf_failures_repair_after(f, mode, crew, ncrew, 0);
}

int sf_failures_repair_after(sf_failures *f, uint32_t mode, const uint32_t *crew, uint32_t ncrew, sf_time walk)
{
    uint32_t kind, target;
    struct fclock *c = queued(f, mode, &kind, &target);

    if (!c || !c->awaiting_crew || ncrew > CREW_MAX)
        return SF_EINVAL;
    for (uint32_t i = 0; i < ncrew; i++)
        if (crew[i] >= f->nagents)
            return SF_EINVAL;
    c->awaiting_crew = false;
    c->ncrew = ncrew;
    memcpy(c->crew, crew, ncrew * sizeof *crew);
    if (f->h.crew && ncrew > 0)
        f->h.crew(f->h.ctx, c->crew, c->ncrew, true);
    sf_time len;
    if (repair_starts(f, c, walk, kind, target, &len) != SF_OK)
        return SF_ERANGE;
    return 0;
}

/* ---- agents ------------------------------------------------------------------ */

/*
 * Agent `agent` goes down once more (a failure or a hold): at its first,
 * its busy-time clocks stand still (a failing clock has no event, so it
 * is left as it is) and the subscribers are told.
 */
static void agent_down(sf_failures *f, uint32_t agent, bool restart)
{
    if (f->ag[agent].down++ > 0)
        return;
    for (uint32_t i = 0; i < f->namodes; i++)
        if (f->amodes[i].agent == agent)
            clock_busy(f, &f->amodes[i].c, false, f->kind_afail, i);
    tell(f, SF_ENTITY_AGENT, agent, true, restart);
}

/* Agent `agent` comes up once more: at its last, its clocks run again while it is busy, and the subscribers are told. */
static void agent_up(sf_failures *f, uint32_t agent)
{
    if (--f->ag[agent].down > 0)
        return;
    for (uint32_t i = 0; i < f->namodes && agent_busy(f, agent); i++)
        if (f->amodes[i].agent == agent && !f->amodes[i].c.fail_ev)
            clock_busy(f, &f->amodes[i].c, true, f->kind_afail, i);
    tell(f, SF_ENTITY_AGENT, agent, false, false);
}

/*
 * An agent fails on its own clock. Its other busy-time clocks stand
 * still until its last repair; the subscribers stop what it works in
 * (stations) and halt or suspend what it does (the world).
 */
static void on_agent_fail(sf_kernel *k, void *ctx, const sf_event *ev)
{
    int rc;
    sf_failures *f = ctx;
    struct amode *m = &f->amodes[ev->target];

    m->c.fail_ev = 0;
    m->c.busy_left = 0;
    f->ag[m->agent].failures++;
    agent_down(f, m->agent, m->c.f->restart);
    if (m->c.f->repair.n_crew > 0)
        crew_repair(f, &m->c, f->kind_arepair, ev->target, f->nsmodes + ev->target);
    else if ((rc = repair_alone(f, &m->c, f->kind_arepair, ev->target)) != SF_OK)
        sf_kernel_fail(k, rc);
}

static void on_agent_repair(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_failures *f = ctx;
    struct amode *m = &f->amodes[ev->target];

    (void)k;
    m->c.repair_ev = 0;
    crew_done(f, &m->c, f->nsmodes + ev->target);
    if (m->c.f->busy_time)
        m->c.busy_left = seconds(sf_dist_sample(&m->c.f->mtbf, &m->c.up));
    agent_up(f, m->agent);
    clock_repaired(f, &m->c, agent_busy(f, m->agent), f->kind_afail, ev->target);
}

/*
 * A hold: the station or agent goes down (`down`) or comes up by an order
 * from outside its failure modes (an intervention). It counts with its
 * failures for "is it down?" and is told to the subscribers the same way
 * (interrupted work resumes), but it is no failure: no count, no repair,
 * no draw. Holds nest; releasing one that is not held is SF_EINVAL, as is
 * an id out of range.
 */
int sf_failures_hold(sf_failures *f, sf_entity e, uint32_t id, bool down)
{
    struct owner *o = e == SF_ENTITY_STATION ? (id < f->nst ? &f->st[id] : NULL)
                      : e == SF_ENTITY_AGENT  ? (id < f->nagents ? &f->ag[id] : NULL)
                                              : NULL;

    if (!o || (!down && o->held == 0))
        return SF_EINVAL;
    o->held += down ? 1 : (uint32_t)-1;
    if (e == SF_ENTITY_AGENT) {
        if (down)
            agent_down(f, id, false);
        else
            agent_up(f, id);
    } else if (down ? o->down++ == 0 : --o->down == 0) {
        tell(f, e, id, down, false);
    }
    return SF_OK;
}

/* ---- building ---------------------------------------------------------------- */

static bool applies(const sf_cfg_failure *c, const sf_cfg_station *st, size_t index)
{
    return (c->target_kind == SF_FAIL_STATION && (size_t)c->target == index) ||
           (c->target_kind == SF_FAIL_GROUP && c->target == st->group_index);
}

static bool applies_to_agent(const sf_cfg_failure *c, int type)
{
    return c->target_kind == SF_FAIL_AGENT_TYPE && c->target == type;
}

/* Count the modes, allocate every array and fill the modes: station by station, then failure by failure and agent by agent. */
static int build_modes(sf_failures *f)
{
    const sf_scenario_config *cfg = f->cfg;

    for (uint32_t i = 0; i < f->nst; i++)
        for (size_t c = 0; c < cfg->n_failures; c++)
            f->nsmodes += applies(&cfg->failures[c], &cfg->layout.stations[i], i);
    for (size_t c = 0; c < cfg->n_failures && f->agent_type; c++)
        for (uint32_t a = 0; a < f->nagents; a++)
            f->namodes += applies_to_agent(&cfg->failures[c], f->agent_type[a]);
    f->block = SF_PARTS(SF_PART(f->smodes, f->nsmodes), SF_PART(f->amodes, f->namodes), SF_PART(f->st, f->nst),
                        SF_PART(f->st_busy, f->nst), SF_PART(f->ag, f->nagents),
                        SF_PART(f->repairs, f->nsmodes + f->namodes),
                        SF_PART(f->called, cfg->fleet.n_types));
    if (!f->block)
        return SF_ENOMEM;
    for (uint32_t i = 0, n = 0; i < f->nst; i++)
        for (size_t c = 0; c < cfg->n_failures; c++)
            if (applies(&cfg->failures[c], &cfg->layout.stations[i], i)) {
                f->smodes[n].c.f = &cfg->failures[c];
                f->smodes[n++].station = i;
            }
    for (size_t c = 0, n = 0; c < cfg->n_failures && f->agent_type; c++)
        for (uint32_t a = 0; a < f->nagents; a++)
            if (applies_to_agent(&cfg->failures[c], f->agent_type[a])) {
                f->amodes[n].c.f = &cfg->failures[c];
                f->amodes[n++].agent = a;
            }
    return SF_OK;
}

sf_failures *sf_failures_new(sf_kernel *k, const sf_scenario_config *cfg, uint64_t seed, const sf_agents *agents,
                             const int *agent_type, uint32_t nagents, sf_failures_hooks hooks)
{
    sf_failures *f = SF_NEW(sf_failures, .k = k, .cfg = cfg, .agents = agents, .agent_type = agent_type,
                            .h = hooks, .nst = (uint32_t)cfg->layout.n_stations, .nagents = nagents);

    if (!f)
        return NULL;
    if (build_modes(f) != SF_OK)
        goto fail;
    if (SF_KERNEL_ADD_KINDS(k, f, {"station.failure", on_station_fail, &f->kind_sfail},
                            {"station.repair", on_station_repair, &f->kind_srepair},
                            {"agent.failure", on_agent_fail, &f->kind_afail},
                            {"agent.repair", on_agent_repair, &f->kind_arepair}) != SF_OK)
        goto fail;
    sf_failures_reseed(f, seed);
    return f;
fail:
    sf_failures_free(f);
    return NULL;
}

void sf_failures_reseed(sf_failures *f, uint64_t seed)
{
    char name[256];

    for (uint32_t i = 0; i < f->nsmodes; i++) {
        struct smode *m = &f->smodes[i];
        snprintf(name, sizeof name, "%s.%s", m->c.f->name, f->cfg->layout.stations[m->station].name);
        clock_start(f, &m->c, seed, name, f->st_busy[m->station], f->kind_sfail, i);
    }
    for (uint32_t i = 0; i < f->namodes; i++) {
        struct amode *m = &f->amodes[i];
        const char *type = f->cfg->fleet.types[f->agent_type[m->agent]].name;
        int nth = 1;
        for (uint32_t a = 0; a < m->agent; a++)
            nth += f->agent_type[a] == f->agent_type[m->agent];
        snprintf(name, sizeof name, "%s.%s.%d", m->c.f->name, type, nth);
        clock_start(f, &m->c, seed, name, agent_busy(f, m->agent), f->kind_afail, i);
    }
}

void sf_failures_free(sf_failures *f)
{
    free(f ? f->block : NULL);
    free(f);
}

int sf_failures_subscribe(sf_failures *f, sf_failures_fn fn, void *ctx)
{
    if (f->nsubs == SF_FAILURES_SUBSCRIBERS)
        return SF_ELIMIT;
    f->subs[f->nsubs++] = (struct sub){fn, ctx};
    return SF_OK;
}

/* ---- reading ----------------------------------------------------------------- */

bool sf_failures_down(const sf_failures *f, sf_entity e, uint32_t id)
{
    if (!f)
        return false;
    if (e == SF_ENTITY_STATION)
        return id < f->nst && f->st[id].down > 0;
    return e == SF_ENTITY_AGENT && id < f->nagents && f->ag[id].down > 0;
}

uint64_t sf_failures_count(const sf_failures *f, sf_entity e, uint32_t id)
{
    if (!f)
        return 0;
    if (e == SF_ENTITY_STATION)
        return id < f->nst ? f->st[id].failures : 0;
    return e == SF_ENTITY_AGENT && id < f->nagents ? f->ag[id].failures : 0;
}

sf_failures_callouts sf_failures_called_out(const sf_failures *f, int type)
{
    return f && type >= 0 && (size_t)type < f->cfg->fleet.n_types ? f->called[type] : (sf_failures_callouts){0, 0};
}

uint32_t sf_failures_station_modes(const sf_failures *f) { return f ? f->nsmodes : 0; }

uint32_t sf_failures_modes(const sf_failures *f) { return f ? f->nsmodes + f->namodes : 0; }

bool sf_failures_agent_mode(const sf_failures *f, uint32_t mode, uint32_t *agent, const sf_cfg_failure **cfg)
{
    if (!f || mode < f->nsmodes || mode - f->nsmodes >= f->namodes)
        return false;
    *agent = f->amodes[mode - f->nsmodes].agent;
    *cfg = f->amodes[mode - f->nsmodes].c.f;
    return true;
}

bool sf_failures_mode(const sf_failures *f, uint32_t mode, uint32_t *station, const sf_cfg_failure **cfg)
{
    if (!f || mode >= f->nsmodes)
        return false;
    *station = f->smodes[mode].station;
    *cfg = f->smodes[mode].c.f;
    return true;
}
