/*
 * pace.c: operations at a fleet entry's own pace (model/pace.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"
#include "core/rng.h"
#include "model/pace.h"

struct sf_pace {
    const sf_scenario_config *cfg;
    sf_rng *rng; /* per fleet entry */
};

sf_pace *sf_pace_new(const sf_scenario_config *cfg, uint64_t seed)
{
    sf_pace *p = SF_NEW(sf_pace, .cfg = cfg);

    if (!p)
        return NULL;
    if (cfg->fleet.n_types && !(p->rng = sf_calloc(cfg->fleet.n_types, sizeof *p->rng))) {
        free(p);
        return NULL;
    }
    sf_pace_reseed(p, seed);
    return p;
}

void sf_pace_free(sf_pace *p)
{
    if (!p)
        return;
    free(p->rng);
    free(p);
}

void sf_pace_reseed(sf_pace *p, uint64_t seed)
{
    char name[256];

    for (size_t t = 0; t < p->cfg->fleet.n_types; t++) {
        snprintf(name, sizeof name, "pace.%s", p->cfg->fleet.types[t].name);
        sf_rng_init(&p->rng[t], seed, name);
    }
}

/*
 * One draw per paced member, in crew order (the order the behaviour gathered it), so runs repeat exactly; a
 * member not paced counts as 1.
 */
double sf_pace_factor(sf_pace *p, const int *agent_type, const uint32_t *crew, uint32_t ncrew)
{
    double pace = 0;

    if (!p || !agent_type || ncrew == 0)
        return 1;
    for (uint32_t c = 0; c < ncrew; c++) {
        int t = agent_type[crew[c]];
        const sf_cfg_agent_type *T = &p->cfg->fleet.types[t];
        double f = T->paced ? sf_dist_sample(&T->time_factor, &p->rng[t]) : 1;
        if (f > pace)
            pace = f;
    }
    return pace;
}
