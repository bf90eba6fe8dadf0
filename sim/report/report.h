/*
 * report.h: what a scenario run writes for people and for data tools.
 *
 *   sf_report_table    headline KPIs and a line per agent type and
 *                      station, for an 80-column terminal
 *   sf_report_write    DIR/summary.json, kpis.csv, agents.csv,
 *                      stations.csv, timeseries.csv and report.html,
 *                      each written atomically (report/outfile.h), its
 *                      CSV and JSON fields by core/format.h
 *
 * The writers read the closed metrics (sf_metrics_close), the KPI list
 * and the provenance below; they allocate nothing the caller must free.
 * An incomplete run writes everything it has, marked incomplete.
 */
#ifndef SF_REPORT_REPORT_H
#define SF_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/time.h"
#include "metrics/kpis.h"
#include "metrics/metrics.h"
#include "model/config.h"

/* One intervention of the run (experiment/interventions.h): its time and how the grammar reads it back. */
typedef struct sf_report_intervention {
    sf_time at;
    const char *said; /* "+00:20:00 stop weld_1 for 20 min" */
} sf_report_intervention;

typedef struct sf_report_info {
    const char *scenario;          /* path as given */
    const char *version;           /* shopfloor version */
    const char *commit;            /* git commit at build time, "" when unknown */
    const char *const *sets;       /* --set overrides */
    size_t nsets;
    uint64_t seed;
    sf_time horizon;               /* the end the run aimed for */
    sf_time reached;               /* simulated time reached */
    double wall_seconds;           /* provenance only: never part of a result */
    uint64_t events, fingerprint;
    bool complete;
    const char *error;             /* why the run stopped early; NULL or "" when complete */
    const sf_report_intervention *interventions; /* what a trainer did to the run, in order (may be NULL) */
    size_t n_interventions;
} sf_report_info;

/* The opening of a summary.json, a scenario's or a Lua model's: the program, complete, error (no comma after). */
void sf_report_json_opening(FILE *f, const char *version, const char *commit, bool complete, const char *error);

/* FNV-1a 64 over the bytes of a file; SF_OK or SF_EIO. */
int sf_report_file_hash(const char *path, uint64_t *hash);

/* A warning when the MSER-5 warm-up is longer than the configured one ("" when none), into buf. */
const char *sf_report_warmup_warning(const sf_metrics *m, const sf_scenario_config *cfg, char *buf, size_t n);

/* The terminal summary. */
void sf_report_table(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg,
                     const sf_report_info *info, FILE *out);

/* Each file on its own stream; SF_OK or SF_EIO. */
int sf_report_json(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg, const sf_report_info *info,
                   FILE *f);
/* kpis.csv: metric,entity,value,unit,kind (kind: plant, product, type, agent, station or script). */
int sf_report_kpis_csv(const sf_kpis *k, const sf_metrics *m, const sf_scenario_config *cfg, FILE *f);
int sf_report_agents_csv(const sf_metrics *m, const sf_kpis *k, FILE *f);
int sf_report_stations_csv(const sf_metrics *m, const sf_kpis *k, FILE *f);
int sf_report_timeseries_csv(const sf_metrics *m, FILE *f);
int sf_report_html(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg, const sf_report_info *info,
                   FILE *f);

/* Every file into `dir` (which must exist). SF_OK, or SF_EIO after a message on stderr. */
int sf_report_write(const char *dir, const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg,
                    const sf_report_info *info);

#endif
