/*
 * report_internal.h: what the writers of sim/report share.
 */
#ifndef SF_REPORT_INTERNAL_H
#define SF_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/kpis.h"
#include "model/config.h"

/* A number for people: 3 to 4 significant digits, "-" for NaN. */
const char *sf__report_num(double v, char *buf, size_t n);
/* The value of (metric, entity), NaN when absent. */
double sf__report_value(const sf_kpis *k, const char *metric, const char *entity);
/*
 * The columns of a product's carbon footprint table (terminal and HTML):
 * its kpis.csv metric and a short heading, SF_REPORT_FOOTPRINT_COLS of
 * them; the marginal ones are absent without a marginal factor.
 */
#define SF_REPORT_FOOTPRINT_COLS 6
extern const char *const sf__report_footprint_metric[SF_REPORT_FOOTPRINT_COLS];
extern const char *const sf__report_footprint_head[SF_REPORT_FOOTPRINT_COLS];
/* The files other than `main_file` that values of the config came from (its overlays); up to `max`. */
size_t sf__report_overlays(const sf_scenario_config *cfg, const char *main_file, const char **out, size_t max);

#endif
