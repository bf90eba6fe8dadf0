/*
 * kpis.c: a growable list of named figures.
 */
#include "metrics/kpis.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

void sf_kpis_init(sf_kpis *k)
{
    memset(k, 0, sizeof *k);
}

void sf_kpis_free(sf_kpis *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->v[i].metric);
        free(k->v[i].entity);
        free(k->v[i].unit);
    }
    free(k->v);
    sf_kpis_init(k);
}

int sf_kpis_add(sf_kpis *k, const char *metric, const char *entity, double value, const char *unit, bool headline)
{
    sf_kpi *r;

    if (sf_grow(k->v, k->cap, k->n + 1) != SF_OK)
        return SF_ENOMEM;
    r = &k->v[k->n];
    r->metric = sf_strdup(metric ? metric : "");
    r->entity = sf_strdup(entity ? entity : "");
    r->unit = sf_strdup(unit ? unit : "");
    r->value = value;
    r->headline = headline;
    if (!r->metric || !r->entity || !r->unit) {
        free(r->metric);
        free(r->entity);
        free(r->unit);
        return SF_ENOMEM;
    }
    k->n++;
    return SF_OK;
}

const sf_kpi *sf_kpis_find(const sf_kpis *k, const char *metric, const char *entity)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->v[i].metric, metric) == 0 && strcmp(k->v[i].entity, entity ? entity : "") == 0)
            return &k->v[i];
    return NULL;
}

bool sf_kpi_beside_headline(const char *metric)
{
    static const char *const beside[] = {"co2_marginal",      "co2_marginal_per_unit",  "co2_per_unit",
                                         "co2e_per_unit", "co2e_marginal_per_unit", NULL};

    for (size_t i = 0; beside[i]; i++)
        if (strcmp(metric, beside[i]) == 0)
            return true;
    return false;
}
