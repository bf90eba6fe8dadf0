/*
 * report.c: the terminal table, summary.json and the CSV files.
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/format.h"
#include "report/outfile.h"
#include "report/report_internal.h"

/* ---- shared pieces ----------------------------------------------------- */

int sf_report_file_hash(const char *path, uint64_t *hash)
{
    FILE *f = fopen(path, "rb");
    uint64_t h = 0xcbf29ce484222325ull;
    int c;

    if (!f)
        return SF_EIO;
    while ((c = getc(f)) != EOF) {
        h ^= (unsigned char)c;
        h *= 0x100000001b3ull;
    }
    fclose(f);
    *hash = h;
    return SF_OK;
}

const char *sf__report_num(double v, char *buf, size_t n)
{
    double a = fabs(v);

    if (isnan(v))
        snprintf(buf, n, "-");
    else if (a < 1e7 && v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else if (a >= 1e7)
        snprintf(buf, n, "%.3g", v);
    else if (a >= 100)
        snprintf(buf, n, "%.1f", v);
    else if (a >= 1 || a == 0)
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "%.3g", v);
    return buf;
}

double sf__report_value(const sf_kpis *k, const char *metric, const char *entity)
{
    const sf_kpi *r = sf_kpis_find(k, metric, entity);
    return r ? r->value : NAN;
}

const char *const sf__report_footprint_metric[SF_REPORT_FOOTPRINT_COLS] = {
    "co2e_materials_per_unit", "co2e_scope1_per_unit", "co2e_scope2_per_unit",
    "co2e_scope2_marginal_per_unit", "co2e_per_unit", "co2e_marginal_per_unit"};
const char *const sf__report_footprint_head[SF_REPORT_FOOTPRINT_COLS] = {
    "materials", "scope 1", "scope 2 avg", "scope 2 marg", "total avg", "total marg"};

/*
 * Grid CO2 at the average and the marginal factor side by side, then each
 * made product's footprint per good unit by source (docs/results.md).
 */
static void carbon_table(const sf_kpis *k, const sf_scenario_config *cfg, FILE *out)
{
    const sf_kpi *avg = sf_kpis_find(k, "co2", ""), *marg = sf_kpis_find(k, "co2_marginal", "");
    bool head = false, declared = false;
    char a[32], b[32];

    for (size_t p = 0; p < cfg->n_products; p++)
        declared |= cfg->products[p].n_materials > 0;
    for (size_t s = 0; s < cfg->layout.n_stations; s++)
        declared |= cfg->layout.stations[s].fuel.name != NULL;
    if (avg && marg)
        fprintf(out, "\n  grid CO2 (scope 2): %s kg at the average factor, %s kg at the marginal (%+.0f %%)\n",
                sf__report_num(avg->value, a, sizeof a), sf__report_num(marg->value, b, sizeof b),
                avg->value > 0 ? 100 * (marg->value / avg->value - 1) : 0.0);
    for (size_t p = 0; declared && p < cfg->n_products; p++) { /* footprints, where materials or fuels are given */
        const char *n = cfg->products[p].name;
        if (!sf_kpis_find(k, "co2e_per_unit", n))
            continue;
        if (!head) {
            fprintf(out, "\n  %-20s", "kg CO2e a unit");
            for (int c = 0; c < SF_REPORT_FOOTPRINT_COLS; c++)
                if (sf_kpis_find(k, sf__report_footprint_metric[c], n))
                    fprintf(out, " %12s", sf__report_footprint_head[c]);
            fputc('\n', out);
        }
        head = true;
        fprintf(out, "  %-20.20s", n);
        for (int c = 0; c < SF_REPORT_FOOTPRINT_COLS; c++)
            if (sf_kpis_find(k, sf__report_footprint_metric[c], n))
                fprintf(out, " %12s", sf__report_num(sf__report_value(k, sf__report_footprint_metric[c], n), a, sizeof a));
        fputc('\n', out);
    }
}

const char *sf_report_warmup_warning(const sf_metrics *m, const sf_scenario_config *cfg, char *buf, size_t n)
{
    sf_time d = sf_metrics_mser5(m);
    char a[48], b[48];

    buf[0] = '\0';
    if (d > cfg->scenario.warmup) {
        sf_time_format(d, a, sizeof a);
        sf_time_format(cfg->scenario.warmup, b, sizeof b);
        snprintf(buf, n, "MSER-5 suggests a warm-up of %s; the configured %s looks too short (scenario.warmup)", a, b);
    }
    return buf;
}

/*
 * The files a scenario was built from besides its own: its `extends:`
 * overlays, as recorded in the places of its entities. Up to `max`.
 */
size_t sf__report_overlays(const sf_scenario_config *cfg, const char *main_file, const char **out, size_t max)
{
    size_t n = 0;
#define SEEN(place)                                                                                                  \
    do {                                                                                                             \
        const char *f_ = (place).file;                                                                               \
        bool dup_ = !f_ || strcmp(f_, main_file) == 0;                                                               \
        for (size_t i_ = 0; i_ < n && !dup_; i_++)                                                                   \
            dup_ = strcmp(out[i_], f_) == 0;                                                                         \
        if (!dup_ && n < max)                                                                                        \
            out[n++] = f_;                                                                                           \
    } while (0)
    for (size_t i = 0; i < cfg->layout.n_nodes; i++)
        SEEN(cfg->layout.nodes[i].at);
    for (size_t i = 0; i < cfg->layout.n_stations; i++)
        SEEN(cfg->layout.stations[i].at);
    for (size_t i = 0; i < cfg->fleet.n_types; i++)
        SEEN(cfg->fleet.types[i].at);
    for (size_t i = 0; i < cfg->n_products; i++)
        SEEN(cfg->products[i].at);
    for (size_t i = 0; i < cfg->demand.n_arrivals; i++)
        SEEN(cfg->demand.arrivals[i].at);
    for (size_t i = 0; i < cfg->demand.n_orders; i++)
        SEEN(cfg->demand.orders[i].at);
    for (size_t i = 0; i < cfg->n_failures; i++)
        SEEN(cfg->failures[i].at);
    for (size_t i = 0; i < cfg->shifts.n_shifts; i++)
        SEEN(cfg->shifts.shifts[i].at);
#undef SEEN
    return n;
}

/* ---- terminal ---------------------------------------------------------- */

/* Product p is the first made product of its family (products[].family), which is listed there once. */
static bool first_of_family(const sf_scenario_config *cfg, size_t p)
{
    for (size_t i = 0; i < p; i++)
        if (cfg->products[i].family && cfg->products[i].n_ops > 0 && strcmp(cfg->products[i].family, cfg->products[p].family) == 0)
            return false;
    return cfg->products[p].n_ops > 0;
}

/*
 * One line of the made products' table for a product or a family `n` (when
 * it has a throughput row), the heading first unless `head`. Returns
 * whether the heading is out.
 */
static bool unit_row(const sf_kpis *k, const char *n, bool family, bool head, FILE *out)
{
    char c[6][32], label[80];

    if (!sf_kpis_find(k, "throughput", n))
        return head;
    if (!head)
        fprintf(out, "\n  %-20s %7s %7s %9s %9s %7s %8s\n", "product", "made", "per h", "lead min", "p90 min", "WIP",
                "on time%");
    snprintf(label, sizeof label, "%s%s", family ? "family " : "", n);
    fprintf(out, "  %-20.20s %7s %7s %9s %9s %7s %8s\n", label, sf__report_num(sf__report_value(k, "completed", n), c[0], 32),
            sf__report_num(sf__report_value(k, "throughput", n), c[1], 32),
            sf__report_num(sf__report_value(k, "lead_time_mean", n), c[2], 32),
            sf__report_num(sf__report_value(k, "lead_time_p90", n), c[3], 32),
            sf__report_num(sf__report_value(k, "wip_mean", n), c[4], 32),
            sf__report_num(sf__report_value(k, "on_time_rate", n), c[5], 32));
    return true;
}

/* Hours in at most 5 characters up to 9,999 h, so the columns stay aligned: 2 decimals below 10 h, 1 below 1,000. */
static const char *hours(double v, char *b, size_t n)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else if (v == 0)
        snprintf(b, n, "0");
    else
        snprintf(b, n, "%.*f", fabs(v) < 10 ? 2 : fabs(v) < 1000 ? 1 : 0, v);
    return b;
}

/* Does a product name a `transport` (its moves take a carrier's time)? */
static bool carried(const sf_scenario_config *cfg)
{
    for (size_t p = 0; p < cfg->n_products; p++)
        if (cfg->products[p].transport.n_crew > 0)
            return true;
    return false;
}

/*
 * The ISO 22400 time model: where each station's planned busy time went,
 * in hours. Waiting for transport only in a plant whose moves take a
 * carrier: elsewhere it is nought by definition (docs/results.md).
 */
static void station_hours(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg, FILE *out)
{
    static const char *const cols[] = {"time_planned", "time_producing", "loss_setup",
                                       "loss_failed",  "loss_starved",   "loss_blocked",
                                       "loss_wait_transport", "loss_wait_crew", "loss_safety_stop"};
    static const char *const head[] = {"planned", "producing", "setup", "failed", "starved",
                                       "blocked", "transport", "crew",  "stop"};
    static const int width[] = {7, 9, 5, 6, 7, 7, 9, 5, 4}; /* with the name's 10, 80 columns */
    bool moves = carried(cfg);
    char c[32];

    fprintf(out, "\n  where the stations' planned time went, hours (ISO 22400; docs/results.md)\n  %-10s", "station");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (moves || i != 6)
            fprintf(out, " %*s", width[i], head[i]);
    fputc('\n', out);
    for (size_t s = 0; s < sf_metrics_stations(m); s++) {
        const char *n = sf_metrics_station(m, s)->name;
        fprintf(out, "  %-10.10s", n);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            if (moves || i != 6)
                fprintf(out, " %*s", width[i], hours(sf__report_value(k, cols[i], n), c, sizeof c));
        fputc('\n', out);
    }
}

void sf_report_table(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg,
                     const sf_report_info *info, FILE *out)
{
    char a[48], b[48], v[32], warn[256];

    sf_time_format(sf_metrics_from(m), a, sizeof a);
    sf_time_format(sf_metrics_to(m), b, sizeof b);
    fprintf(out, "%.60s%s\n", cfg->scenario.name && *cfg->scenario.name ? cfg->scenario.name : info->scenario,
            info->complete ? "" : "  [INCOMPLETE]");
    fprintf(out, "measured from %s to %s (after the warm-up), seed %llu\n\n", a, b, (unsigned long long)info->seed);
    for (size_t i = 0; i < k->n; i++) {
        const sf_kpi *r = &k->v[i];
        char label[40];
        if (!r->headline || *r->entity) /* a product's headline rows are in its own table below */
            continue;
        snprintf(label, sizeof label, "%s%s%s", r->metric, *r->entity ? " " : "", r->entity);
        fprintf(out, "  %-32.32s %12s%s%.20s\n", label, sf__report_num(r->value, v, sizeof v), *r->unit ? " " : "",
                r->unit);
    }
    if (sf_kpis_find(k, "throughput", "")) { /* made products, each apart, then their families */
        bool head = false;
        for (size_t p = 0; p < cfg->n_products; p++)
            head = unit_row(k, cfg->products[p].name, false, head, out);
        for (size_t p = 0; p < cfg->n_products; p++)
            if (cfg->products[p].family && first_of_family(cfg, p))
                head = unit_row(k, cfg->products[p].family, true, head, out);
    }
    carbon_table(k, cfg, out);
    if (sf_kpis_find(k, "pallets_stored", "")) {
        char c[4][32];
        fprintf(out, "\n  pallets: %s stored, %s shipped, dwell %s h, order line %s min\n",
                sf__report_num(sf__report_value(k, "pallets_stored", ""), c[0], 32),
                sf__report_num(sf__report_value(k, "pallets_shipped", ""), c[1], 32),
                sf__report_num(sf__report_value(k, "pallet_dwell_mean", ""), c[2], 32),
                sf__report_num(sf__report_value(k, "order_line_time_mean", ""), c[3], 32));
    }
    fprintf(out, "\n  %-20s %5s %7s %7s %8s %8s %9s\n", "agent type", "count", "util %", "busy h", "travel h",
            "charge h", "grid kWh");
    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        const char *n = cfg->fleet.types[t].name;
        char c[5][32];
        double util = sf__report_value(k, "utilisation", n), presence = sf__report_value(k, "presence", n);
        double trav = sf__report_value(k, "time_travel_empty", n) + sf__report_value(k, "time_travel_loaded", n);
        fprintf(out, "  %-20.20s %5d %7s %7s %8s %8s %9s\n", n, cfg->fleet.types[t].count,
                sf__report_num(util, c[0], 32), sf__report_num(isnan(util) ? 0 : util * presence / 100, c[1], 32),
                sf__report_num(trav, c[2], 32), sf__report_num(sf__report_value(k, "time_charging", n), c[3], 32),
                sf__report_num(sf__report_value(k, "energy_grid", n), c[4], 32));
    }
    if (sf_metrics_stations(m) > 0) {
        fprintf(out, "\n  %-20s %7s %7s %7s %7s %7s %9s\n", "station", "util %", "avail %", "perf %", "qual %", "OEE %",
                "ops");
        for (size_t s = 0; s < sf_metrics_stations(m); s++) {
            const char *n = sf_metrics_station(m, s)->name;
            char c[6][32];
            fprintf(out, "  %-20.20s %7s %7s %7s %7s %7s %9s\n", n,
                    sf__report_num(sf__report_value(k, "utilisation", n), c[0], 32),
                    sf__report_num(sf__report_value(k, "availability", n), c[1], 32),
                    sf__report_num(sf__report_value(k, "performance", n), c[2], 32),
                    sf__report_num(sf__report_value(k, "quality", n), c[3], 32),
                    sf__report_num(sf__report_value(k, "oee", n), c[4], 32),
                    sf__report_num(sf__report_value(k, "operations", n), c[5], 32));
        }
        /* ISO 22400 time model: where each station's planned busy time went */
        station_hours(m, k, cfg, out);
    }
    if (*sf_report_warmup_warning(m, cfg, warn, sizeof warn))
        fprintf(out, "\nwarning: %s\n", warn);
    for (size_t i = 0; i < cfg->safety.n_warnings; i++)
        fprintf(out, "%s%s\n", i ? "" : "\n", cfg->safety.warnings[i]);
}

/* ---- summary.json ------------------------------------------------------ */

void sf_report_json_opening(FILE *f, const char *version, const char *commit, bool complete, const char *error)
{
    fputs("{\n  \"shopfloor\": {\"version\": ", f);
    sf_json_string(f, version);
    fputs(", \"commit\": ", f);
    sf_json_string(f, commit);
    fprintf(f, "},\n  \"complete\": %s,\n  \"error\": ", complete ? "true" : "false");
    if (error && *error)
        sf_json_string(f, error);
    else
        fputs("null", f);
}

int sf_report_json(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg, const sf_report_info *info,
                   FILE *f)
{
    const char *ov[64];
    size_t nov = sf__report_overlays(cfg, info->scenario, ov, 64);
    uint64_t hash = 0;
    char warn[256];
    bool hashed = sf_report_file_hash(info->scenario, &hash) == SF_OK;
    sf_time peak_at = -1;
    double peak = sf_metrics_peak(m, &peak_at);

    sf_report_json_opening(f, info->version, info->commit, info->complete, info->error);
    fputs(",\n  \"scenario\": {\"file\": ", f);
    sf_json_string(f, info->scenario);
    fputs(", \"name\": ", f);
    sf_json_string(f, cfg->scenario.name ? cfg->scenario.name : "");
    if (hashed)
        fprintf(f, ", \"hash\": \"fnv1a64:%016llx\"", (unsigned long long)hash);
    fputs(", \"overlays\": [", f);
    for (size_t i = 0; i < nov; i++) {
        fputs(i ? ", " : "", f);
        sf_json_string(f, ov[i]);
    }
    fputs("], \"sets\": [", f);
    for (size_t i = 0; i < info->nsets; i++) {
        fputs(i ? ", " : "", f);
        sf_json_string(f, info->sets[i]);
    }
    fprintf(f, "]},\n  \"seed\": %llu,\n  \"horizon_s\": ", (unsigned long long)info->seed);
    sf_json_num(f, sf_time_to_seconds(info->horizon));
    fputs(",\n  \"reached_s\": ", f);
    sf_json_num(f, sf_time_to_seconds(info->reached));
    fputs(",\n  \"warmup_s\": ", f);
    sf_json_num(f, sf_time_to_seconds(cfg->scenario.warmup));
    fputs(",\n  \"measured_from_s\": ", f);
    sf_json_num(f, sf_time_to_seconds(sf_metrics_from(m)));
    fputs(",\n  \"sample_every_s\": ", f);
    sf_json_num(f, sf_time_to_seconds(sf_metrics_step(m)));
    fputs(",\n  \"peak_window_start_s\": ", f);
    if (peak_at >= 0 && peak > 0)
        sf_json_num(f, sf_time_to_seconds(peak_at));
    else
        fputs("null", f);
    fputs(",\n  \"wall_time_s\": ", f);
    sf_json_num(f, info->wall_seconds);
    fprintf(f, ",\n  \"events\": %llu,\n  \"fingerprint\": \"%016llx\",\n  \"warnings\": [",
            (unsigned long long)info->events, (unsigned long long)info->fingerprint);
    if (*sf_report_warmup_warning(m, cfg, warn, sizeof warn))
        sf_json_string(f, warn);
    for (size_t i = 0; i < cfg->safety.n_warnings; i++) {
        fputs(i || *warn ? ", " : "", f);
        sf_json_string(f, cfg->safety.warnings[i]);
    }
    fputs("],\n  \"interventions\": [", f);
    for (size_t i = 0; i < info->n_interventions; i++) {
        fputs(i ? ",\n    {\"at_s\": " : "\n    {\"at_s\": ", f);
        sf_json_num(f, sf_time_to_seconds(info->interventions[i].at));
        fputs(", \"said\": ", f);
        sf_json_string(f, info->interventions[i].said);
        fputs("}", f);
    }
    fputs(info->n_interventions ? "\n  ],\n  \"stability\": {" : "],\n  \"stability\": {", f);
    {
        char found[8][SF_FINDING_LEN];
        size_t n = sf_metrics_stability(m, found, 8);
        fprintf(f, "\"stable\": %s, \"findings\": [", n == 0 ? "true" : "false");
        for (size_t i = 0; i < n && i < 8; i++) {
            fputs(i ? ", " : "", f);
            sf_json_string(f, found[i]);
        }
    }
    fputs("]},\n  \"kpis\": [\n", f);
    for (size_t i = 0; i < k->n; i++) {
        fputs("    {\"metric\": ", f);
        sf_json_string(f, k->v[i].metric);
        fputs(", \"entity\": ", f);
        sf_json_string(f, k->v[i].entity);
        fputs(", \"value\": ", f);
        sf_json_num(f, k->v[i].value);
        fputs(", \"unit\": ", f);
        sf_json_string(f, k->v[i].unit);
        fprintf(f, ", \"headline\": %s}%s\n", k->v[i].headline ? "true" : "false", i + 1 < k->n ? "," : "");
    }
    fputs("  ]\n}\n", f);
    return ferror(f) ? SF_EIO : SF_OK;
}

/* ---- CSV --------------------------------------------------------------- */

/*
 * What a KPI row's entity is: the plant, a made or stored product, a
 * product family, a fleet type (the sum of its agents), an agent, a
 * station, a zone of the layout (its occupancy loads), or an object of
 * the behaviour scripts (a Lua resource, level or tally). O(entities) a
 * row.
 */
static const char *entity_kind(const char *e, const sf_metrics *m, const sf_scenario_config *cfg)
{
    if (!*e)
        return "plant";
    for (size_t i = 0; i < cfg->n_products; i++)
        if (strcmp(e, cfg->products[i].name) == 0)
            return "product";
    for (size_t i = 0; i < cfg->n_products; i++)
        if (cfg->products[i].family && strcmp(e, cfg->products[i].family) == 0)
            return "family";
    for (size_t i = 0; i < cfg->fleet.n_types; i++)
        if (strcmp(e, cfg->fleet.types[i].name) == 0)
            return "type";
    for (size_t i = 0; i < sf_metrics_agents(m); i++)
        if (strcmp(e, sf_metrics_agent(m, i)->name) == 0)
            return "agent";
    for (size_t i = 0; i < sf_metrics_stations(m); i++)
        if (strcmp(e, sf_metrics_station(m, i)->name) == 0)
            return "station";
    for (size_t i = 0; i < cfg->layout.n_zones; i++)
        if (strcmp(e, cfg->layout.zones[i].name) == 0)
            return "zone";
    return "script";
}

int sf_report_kpis_csv(const sf_kpis *k, const sf_metrics *m, const sf_scenario_config *cfg, FILE *f)
{
    fputs("metric,entity,value,unit,kind\n", f);
    for (size_t i = 0; i < k->n; i++)
        sf_csv_row(f, "ssnss", k->v[i].metric, sf_kpi_entity(k->v[i].entity), k->v[i].value, k->v[i].unit,
                   entity_kind(k->v[i].entity, m, cfg));
    return ferror(f) ? SF_EIO : SF_OK;
}

static void entity_row(FILE *f, const sf_metrics_entity *x, const sf_kpis *k, bool agent)
{
    sf_csv_field(f, x->name);
    putc(',', f);
    sf_csv_field(f, x->type);
    for (int s = 0; s < SF_STATES; s++) {
        putc(',', f);
        sf_csv_num(f, x->time[s] / 3600);
    }
    putc(',', f);
    sf_csv_num(f, sf__report_value(k, "utilisation", x->name));
    if (!agent) {
        static const char *const more[] = {"availability", "performance", "quality", "oee", "operations"};
        for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
            putc(',', f);
            sf_csv_num(f, sf__report_value(k, more[i], x->name));
        }
    }
    for (int s = 0; s < SF_POWER_STATES; s++) {
        putc(',', f);
        sf_csv_num(f, x->energy[s] / 3.6e6);
    }
    putc(',', f);
    sf_csv_num(f, x->grid / 3.6e6);
    if (agent) {
        putc(',', f);
        sf_csv_num(f, x->charged / 3.6e6);
    }
    putc('\n', f);
}

static void entity_header(FILE *f, const char *first, const char *second, bool agent)
{
    fprintf(f, "%s,%s", first, second);
    for (int s = 0; s < SF_STATES; s++)
        fprintf(f, ",%s_h", sf_state_name((sf_state)s));
    fputs(",utilisation_pct", f);
    if (!agent)
        fputs(",availability_pct,performance_pct,quality_pct,oee_pct,operations", f);
    for (int s = 0; s < SF_POWER_STATES; s++)
        fprintf(f, ",energy_%s_kwh", sf_power_state_name((sf_power_state)s));
    fputs(agent ? ",grid_kwh,charged_kwh\n" : ",grid_kwh\n", f);
}

int sf_report_agents_csv(const sf_metrics *m, const sf_kpis *k, FILE *f)
{
    entity_header(f, "agent", "type", true);
    for (size_t i = 0; i < sf_metrics_agents(m); i++)
        entity_row(f, sf_metrics_agent(m, i), k, true);
    return ferror(f) ? SF_EIO : SF_OK;
}

int sf_report_stations_csv(const sf_metrics *m, const sf_kpis *k, FILE *f)
{
    entity_header(f, "station", "group", false);
    for (size_t i = 0; i < sf_metrics_stations(m); i++)
        entity_row(f, sf_metrics_station(m, i), k, false);
    return ferror(f) ? SF_EIO : SF_OK;
}

int sf_report_timeseries_csv(const sf_metrics *m, FILE *f)
{
    const sf_metrics_sample *v;
    size_t n = sf_metrics_samples(m, &v);
    sf_time to = sf_metrics_to(m), step = sf_metrics_step(m);

    fputs("t_s,t_h,length_s,completed,throughput_per_h,wip,power_kw,soc\n", f);
    for (size_t i = 0; i < n; i++) {
        sf_time end = i + 1 < n ? v[i + 1].t : (v[i].t + step < to ? v[i].t + step : to);
        double len = sf_time_to_seconds(end - v[i].t);
        sf_csv_row(f, "nnnnnnnn", sf_time_to_seconds(v[i].t), sf_time_to_seconds(v[i].t) / 3600, len,
                   (double)v[i].completed, len > 0 ? v[i].completed * 3600 / len : NAN, v[i].wip, v[i].power / 1000,
                   v[i].soc);
    }
    return ferror(f) ? SF_EIO : SF_OK;
}

/* ---- all files --------------------------------------------------------- */

int sf_report_write(const char *dir, const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg,
                    const sf_report_info *info)
{
    static const char *const names[] = {"summary.json", "kpis.csv", "agents.csv", "stations.csv", "timeseries.csv",
                                        "report.html"};
    int status = SF_OK;

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4200];
        sf_outfile *o;
        FILE *f;
        int rc;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!(o = sf_outfile_open(path))) {
            status = SF_EIO;
            continue;
        }
        f = o->f;
        switch (i) {
        case 0: rc = sf_report_json(m, k, cfg, info, f); break;
        case 1: rc = sf_report_kpis_csv(k, m, cfg, f); break;
        case 2: rc = sf_report_agents_csv(m, k, f); break;
        case 3: rc = sf_report_stations_csv(m, k, f); break;
        case 4: rc = sf_report_timeseries_csv(m, f); break;
        default: rc = sf_report_html(m, k, cfg, info, f); break;
        }
        if (sf_outfile_close(o, rc) != SF_OK)
            status = SF_EIO;
    }
    return status;
}
