/*
 * agents.c: per-agent working rate, busy flag and fatigue.
 */
#include "model/agents.h"

#include <math.h>
#include <stdlib.h>

#include "core/mem.h"

struct sf_agents {
    const sf_scenario_config *cfg;
    const int *type;    /* per agent: fleet entry, or NULL */
    uint32_t n;
    void *block;        /* the arrays below */
    double *rate;       /* 1 unless safety slows it */
    uint8_t *busy;      /* in an operation whose clock runs, or working outside operations */
    double *fatigue;    /* fatigue level 0..1 at fatigue_since */
    sf_time *fatigue_since;
    sf_agents_busy_fn on_busy;
    void *on_busy_ctx;
};

sf_agents *sf_agents_new(const sf_scenario_config *cfg, const int *agent_type, uint32_t n)
{
    sf_agents *a = SF_NEW(sf_agents, .cfg = cfg, .type = agent_type, .n = n);

    if (!a)
        return NULL;
    a->block = SF_PARTS(SF_PART(a->rate, n), SF_PART(a->busy, n), SF_PART(a->fatigue, n),
                        SF_PART(a->fatigue_since, n));
    if (!a->block) {
        free(a);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        a->rate[i] = 1;
    return a;
}

void sf_agents_free(sf_agents *a)
{
    free(a ? a->block : NULL);
    free(a);
}

void sf_agents_on_busy(sf_agents *a, sf_agents_busy_fn fn, void *ctx)
{
    a->on_busy = fn;
    a->on_busy_ctx = ctx;
}

uint32_t sf_agents_count(const sf_agents *a) { return a->n; }

double sf_agents_rate(const sf_agents *a, uint32_t agent) { return agent < a->n ? a->rate[agent] : 1; }

void sf_agents_set_rate(sf_agents *a, uint32_t agent, double rate)
{
    if (agent < a->n)
        a->rate[agent] = rate;
}

bool sf_agents_busy(const sf_agents *a, uint32_t agent) { return agent < a->n && a->busy[agent]; }

/*
 * Fatigue at `now`: while busy F grows as 1 - (1 - F) e^(-rate dt),
 * otherwise it recovers as F e^(-recovery dt). Exact between changes of
 * busy, which is when it is brought up to date.
 */
double sf_agents_fatigue(const sf_agents *a, uint32_t agent, sf_time now)
{
    const sf_cfg_agent_type *T;
    double dt, F;

    if (!a->type || agent >= a->n)
        return 0;
    T = &a->cfg->fleet.types[a->type[agent]];
    if (!(T->fatigue_rate > 0))
        return 0;
    dt = sf_time_to_seconds(now - a->fatigue_since[agent]);
    F = a->fatigue[agent];
    return a->busy[agent] ? 1 - (1 - F) * exp(-T->fatigue_rate * dt) : F * exp(-T->fatigue_recovery * dt);
}

void sf_agents_set_busy(sf_agents *a, uint32_t agent, bool busy, sf_time now)
{
    if (agent >= a->n || (bool)a->busy[agent] == busy)
        return;
    a->fatigue[agent] = sf_agents_fatigue(a, agent, now);
    a->fatigue_since[agent] = now;
    a->busy[agent] = busy;
    if (a->on_busy)
        a->on_busy(a->on_busy_ctx, agent, busy);
}
