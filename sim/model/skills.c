/*
 * skills.c: the learning curves and the experience of robot skills, and
 * which product variant each robot is programmed for (see model/skills.h
 * for the models and docs/production.md for their sources).
 *
 * Experience is one counter per (owner, operation): owners 0..ntypes-1
 * are the fleet entries (pooled experience), ntypes.. the agents
 * (individual experience); operations are numbered over all products.
 */
#include "model/skills.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct period {
    uint64_t attempts, successes;
};

struct series {
    struct period *v; /* per period from time 0 */
    size_t n, cap;
};

struct sf_skills {
    const sf_scenario_config *cfg;
    const int *agent_type;
    uint32_t nagents;
    size_t ntypes, nops;
    void *block;         /* op_first, experience, program, counts, series (sf_skills_new zeroes it) */
    size_t *op_first;    /* per product: the number of its first operation */
    uint64_t *experience;/* (ntypes + nagents) x nops */
    int64_t *program;    /* nagents x nops: the variant + 1 each robot is programmed for, 0 none */
    sf_skills_counts *counts; /* per fleet entry */
    struct series *series;    /* per fleet entry */
};

/* ---- the curves ----------------------------------------------------------- */

double sf_learning_success(const sf_cfg_learning *L, double n)
{
    return L->success_limit - (L->success_limit - L->success_first) * exp(-n / L->scale);
}

double sf_learning_time_factor(const sf_cfg_learning *L, double n)
{
    double b = L->progress > 0 && L->progress < 1 ? -log2(L->progress) : 0;
    double f = L->time_first * pow(n + 1, -b);
    return f > 1 ? f : 1;
}

/*
 * Instruction methods: assumptions of this project, stated in
 * docs/production.md ("Introducing a product") with the reasoning.
 */
const sf_instruction_defaults sf_programming_defaults[SF_INSTRUCTIONS] = {
    {"teach_pendant", 4, 0.05, "engineer"},
    {"offline_programming", 1, 0.10, "engineer"},
    {"natural_language", 0.25, 0.20, "operator"},
};
const char *const sf_instruction_names[SF_INSTRUCTIONS + 1] = {"teach_pendant", "offline_programming",
                                                               "natural_language", NULL};

/* ---- building ------------------------------------------------------------- */

sf_skills *sf_skills_new(const sf_scenario_config *cfg, const int *agent_type, uint32_t nagents, bool *failed)
{
    const sf_cfg_fleet *F = &cfg->fleet;
    size_t nops = 0;
    sf_skills *k;
    bool any = false;

    for (size_t t = 0; t < F->n_types; t++)
        any |= F->types[t].learning.on || F->types[t].programming.on;
    for (size_t p = 0; p < cfg->n_products; p++)
        nops += cfg->products[p].n_ops;
    *failed = false;
    if (!any || !agent_type)
        return NULL;
    k = SF_NEW(sf_skills, .cfg = cfg, .agent_type = agent_type, .nagents = nagents, .ntypes = F->n_types,
               .nops = nops);
    if (!k || !(k->block = SF_PARTS(SF_PART(k->op_first, cfg->n_products + 1),
                                    SF_PART(k->experience, (k->ntypes + nagents) * (nops ? nops : 1)),
                                    SF_PART(k->program, (size_t)nagents * (nops ? nops : 1)),
                                    SF_PART(k->counts, k->ntypes), SF_PART(k->series, k->ntypes)))) {
        free(k);
        *failed = true;
        return NULL;
    }
    for (size_t p = 0; p < cfg->n_products; p++)
        k->op_first[p + 1] = k->op_first[p] + cfg->products[p].n_ops;
    return k;
}

/* The period series, the block, the record: one free each (the series grow one array per fleet entry). */
void sf_skills_free(sf_skills *k)
{
    for (size_t t = 0; k && t < k->ntypes; t++)
        free(k->series[t].v);
    if (k)
        free(k->block);
    free(k);
}

/* ---- operating ------------------------------------------------------------ */

/* The experience counter robot `agent` reads and adds to at (product, op). */
static uint64_t *experience_of(const sf_skills *k, uint32_t agent, int product, int op)
{
    int type = k->agent_type[agent];
    size_t owner = k->cfg->fleet.types[type].learning.pooled ? (size_t)type : k->ntypes + agent;
    return &k->experience[owner * k->nops + k->op_first[product] + (size_t)op];
}

/* Room in the fleet entry's series for period i (new periods zeroed). */
static int series_reach(struct series *S, size_t i)
{
    if (i < S->n)
        return SF_OK;
    if (sf_grow(S->v, S->cap, i + 1) != SF_OK)
        return SF_ENOMEM;
    memset(S->v + S->n, 0, (i + 1 - S->n) * sizeof *S->v);
    S->n = i + 1;
    return SF_OK;
}

/*
 * Attempts until one succeeds or a person rescues the operation: the
 * success rate of each is p at the experience so far, and each adds one.
 * Cost O(attempts); at most retries + 1 draws.
 */
int sf_skills_operate(sf_skills *k, uint32_t agent, int product, int op, sf_rng *rng, sf_time now, double *factor,
                      sf_time *extra)
{
    int type = k->agent_type[agent];
    const sf_cfg_agent_type *T = &k->cfg->fleet.types[type];
    const sf_cfg_learning *L = &T->learning;
    uint64_t *n = experience_of(k, agent, product, op);
    sf_skills_counts *c = &k->counts[type];
    struct series *S = &k->series[type];
    size_t period = (size_t)(now / (L->period > 0 ? L->period : SF_HOUR));
    int rc;

    *factor = sf_learning_time_factor(L, (double)*n);
    *extra = 0;
    if ((rc = series_reach(S, period)) != SF_OK)
        return rc;
    for (int failures = 0;; failures++) {
        bool ok = sf_rng_uniform(rng) < sf_learning_success(L, (double)*n);
        ++*n;
        c->attempts++;
        S->v[period].attempts++;
        if (ok) {
            c->successes++;
            S->v[period].successes++;
            return SF_OK;
        }
        if (failures >= L->retries) {
            c->rescues++;
            *extra += L->rescue_time;
            return SF_OK;
        }
        c->retries++;
        *extra += T->retry_time;
    }
}

/* ---- programming ---------------------------------------------------------- */

void sf_skills_program(sf_skills *k, uint32_t agent, int product, int op, sf_rng *rng, sf_time now, sf_time *time,
                       bool *first_run_failed)
{
    int type = k ? k->agent_type[agent] : -1;
    sf_time every = k ? k->cfg->products[product].variant_every : 0;
    int64_t variant = every > 0 ? now / every + 1 : 1, *held;
    const sf_cfg_programming *P;

    *time = 0;
    *first_run_failed = false;
    if (!sf_skills_programmed(k, type))
        return;
    held = &k->program[(size_t)agent * k->nops + k->op_first[product] + (size_t)op];
    if (*held == variant)
        return;
    P = &k->cfg->fleet.types[type].programming;
    *held = variant;
    *time = P->time;
    *first_run_failed = sf_rng_uniform(rng) < P->first_run_failure;
    k->counts[type].programmings++;
    k->counts[type].programming_time += sf_time_to_seconds(P->time);
    k->counts[type].first_run_failures += *first_run_failed;
}

/* ---- reading -------------------------------------------------------------- */

bool sf_skills_learns(const sf_skills *k, int type)
{
    return k && type >= 0 && (size_t)type < k->ntypes && k->cfg->fleet.types[type].learning.on;
}

bool sf_skills_programmed(const sf_skills *k, int type)
{
    return k && type >= 0 && (size_t)type < k->ntypes && k->cfg->fleet.types[type].programming.on;
}

sf_skills_counts sf_skills_type_counts(const sf_skills *k, int type)
{
    return sf_skills_learns(k, type) || sf_skills_programmed(k, type) ? k->counts[type] : (sf_skills_counts){0};
}

uint64_t sf_skills_experience(const sf_skills *k, uint32_t agent, int product, int op)
{
    if (!k || agent >= k->nagents || product < 0 || (size_t)product >= k->cfg->n_products || op < 0 ||
        (size_t)op >= k->cfg->products[product].n_ops || !sf_skills_learns(k, k->agent_type[agent]))
        return 0;
    return *experience_of(k, agent, product, op);
}

size_t sf_skills_periods(const sf_skills *k, int type)
{
    return sf_skills_learns(k, type) ? k->series[type].n : 0;
}

void sf_skills_period(const sf_skills *k, int type, size_t i, uint64_t *attempts, uint64_t *successes)
{
    *attempts = *successes = 0;
    if (i < sf_skills_periods(k, type)) {
        *attempts = k->series[type].v[i].attempts;
        *successes = k->series[type].v[i].successes;
    }
}
