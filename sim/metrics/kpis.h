/*
 * kpis.h: the figures a run produces, as a tidy list.
 *
 * One row per (metric, entity): "throughput" of "" (the plant), "kwh"
 * of "forklift", "utilisation" of "forklift.3". Every row carries its
 * unit. Headline rows are the ones a terminal summary, a comparison and
 * a precision target look at. Replications, comparisons and sweeps
 * (sim/experiment) work on these lists without knowing what they mean.
 */
#ifndef SF_METRICS_KPIS_H
#define SF_METRICS_KPIS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sf_kpi {
    char *metric;  /* "throughput" */
    char *entity;  /* "" for the whole plant, else a type, agent, station or product name */
    char *unit;    /* "1/h", "kWh", "" for a pure number */
    double value;
    bool headline;
} sf_kpi;

typedef struct sf_kpis {
    sf_kpi *v;
    size_t n, cap;
} sf_kpis;

void sf_kpis_init(sf_kpis *k);
void sf_kpis_free(sf_kpis *k);
/* Append a row (strings copied). SF_OK or SF_ENOMEM. */
int sf_kpis_add(sf_kpis *k, const char *metric, const char *entity, double value, const char *unit, bool headline);
/* The entity as files write it: "-" for the whole plant (""), else the name. */
static inline const char *sf_kpi_entity(const char *entity)
{
    return entity && *entity ? entity : "-";
}
/*
 * True for the figures a comparison shows beside the headline ones though
 * they are not headline themselves: CO2 at the marginal factor next to the
 * average one, and CO2 and the carbon footprint per unit (docs/results.md).
 */
bool sf_kpi_beside_headline(const char *metric);
/* The row for (metric, entity), or NULL. */
const sf_kpi *sf_kpis_find(const sf_kpis *k, const char *metric, const char *entity);

#endif
