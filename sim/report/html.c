/*
 * html.c: report.html, one self-contained page with inline SVG charts.
 *
 * No script, no font or style sheet from the network: the page opens the
 * same on a laptop in a plane. Charts are drawn here from the closed
 * metrics: throughput and WIP over time, the power profile with its peak
 * 15-minute window, state time per agent type and per station, energy by
 * power state and type, the lead-time histogram, and the safety figures.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "report/report.h"
#include "report/report_internal.h"

#define W 600
#define H 250
#define ML 56
#define MR 56
#define MT 18
#define MB 34

static const char *const state_colour[SF_STATES] = {
    "#cbd5e1", "#16a34a", "#84cc16", "#7dd3fc", "#2563eb", "#0891b2", "#f59e0b", "#a855f7", "#f97316",
    "#facc15", "#dc2626", "#e7e5e4", "#a8a29e", "#fb7185", "#db2777", "#14b8a6", "#7f1d1d", "#6366f1"};
static const char *const power_colour[SF_POWER_STATES] = {"#e7e5e4", "#cbd5e1", "#94a3b8", "#7dd3fc", "#2563eb",
                                                          "#0891b2", "#16a34a", "#a855f7", "#dc2626", "#84cc16"};

static void text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: putc(*s, f);
        }
    }
}

/* A tick step of 1, 2 or 5 x 10^k giving about `n` ticks up to `max`. */
static double tick_step(double max, int n)
{
    double raw = max / n, p, r;

    if (!(raw > 0))
        return 1;
    p = pow(10, floor(log10(raw)));
    r = raw / p;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * p;
}

static double nice_max(double max, int n)
{
    double s = tick_step(max, n);
    return max > 0 ? ceil(max / s - 1e-9) * s : 1;
}

static const char *label_of(double v, char *buf, size_t n)
{
    if (fabs(v) >= 1000 || v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%g", v);
    return buf;
}

static void svg_open(FILE *f, int w, int h, const char *title)
{
    fprintf(f, "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"", w, h);
    text(f, title);
    fputs("\" xmlns=\"http://www.w3.org/2000/svg\">\n", f);
}

/* Horizontal grid and left (and optionally right) value axes; x axis in hours. */
static void axes(FILE *f, double x0, double x1, double ymax, const char *yname, double y2max, const char *y2name)
{
    char b[32];
    double s = tick_step(ymax, 4), xs = tick_step(x1 - x0, 8);

    for (double y = 0; y <= ymax + 1e-9; y += s) {
        double py = MT + (H - MT - MB) * (1 - y / ymax);
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"gl\"/>", ML, W - MR, py, py);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n", ML - 6, py + 4,
                label_of(y, b, sizeof b));
    }
    if (y2max > 0) {
        double s2 = tick_step(y2max, 4);
        for (double y = 0; y <= y2max + 1e-9; y += s2) {
            double py = MT + (H - MT - MB) * (1 - y / y2max);
            fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>\n", W - MR + 6, py + 4, label_of(y, b, sizeof b));
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">", W - 4, MT - 6);
        text(f, y2name);
        fputs("</text>\n", f);
    }
    for (double x = ceil(x0 / xs) * xs; x <= x1 + 1e-9; x += xs) {
        double px = ML + (W - ML - MR) * (x - x0) / (x1 - x0);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>", px, H - MB + 16,
                label_of(x, b, sizeof b));
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">time (h)</text>\n", W - MR, H - 4);
    fprintf(f, "<text x=\"4\" y=\"%d\" class=\"axis\">", MT - 6);
    text(f, yname);
    fputs("</text>\n", f);
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"base\"/>\n", ML, W - MR, H - MB, H - MB);
}

static double px_of(double x, double x0, double x1)
{
    return ML + (W - ML - MR) * (x - x0) / (x1 - x0);
}

static double py_of(double y, double ymax)
{
    return MT + (H - MT - MB) * (1 - y / ymax);
}

static void warmup_band(FILE *f, double warm_h, double x0, double x1)
{
    if (warm_h <= x0)
        return;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"warm\"/>", ML, MT,
            px_of(warm_h, x0, x1) - ML, H - MT - MB);
    fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"note\">warm-up</text>\n", ML + 4, MT + 12);
}

/* Throughput per hour as bars and WIP as a line on its own axis. */
static void chart_flow(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg)
{
    const sf_metrics_sample *v;
    size_t n = sf_metrics_samples(m, &v);
    double x1 = sf_time_to_seconds(sf_metrics_to(m)) / 3600, x0 = 0, tmax = 0, wmax = 0, step_h;

    step_h = sf_time_to_seconds(sf_metrics_step(m)) / 3600;
    for (size_t i = 0; i < n; i++) {
        double len = (i + 1 < n ? sf_time_to_seconds(v[i + 1].t - v[i].t) : x1 * 3600 - sf_time_to_seconds(v[i].t));
        double tp = len > 0 ? v[i].completed * 3600 / len : 0;
        tmax = tp > tmax ? tp : tmax;
        wmax = v[i].wip > wmax ? v[i].wip : wmax;
    }
    tmax = nice_max(tmax, 4);
    wmax = nice_max(wmax, 4);
    svg_open(f, W, H, "throughput and work in progress over time");
    if (!(x1 > x0))
        x1 = x0 + 1;
    warmup_band(f, sf_time_to_seconds(cfg->scenario.warmup) / 3600, x0, x1);
    axes(f, x0, x1, tmax, "units / h", wmax, "WIP");
    for (size_t i = 0; i < n; i++) {
        double t = sf_time_to_seconds(v[i].t) / 3600, e = i + 1 < n ? sf_time_to_seconds(v[i + 1].t) / 3600 : x1;
        double tp = e > t ? v[i].completed / (e - t) : 0, px = px_of(t, x0, x1), pw = px_of(e, x0, x1) - px;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\"/>", px + pw * 0.08,
                py_of(tp, tmax), pw * 0.84, H - MB - py_of(tp, tmax));
    }
    fputs("\n<polyline class=\"wip\" points=\"", f);
    for (size_t i = 0; i < n; i++) {
        double t = sf_time_to_seconds(v[i].t) / 3600 + step_h / 2;
        if (t > x1)
            t = x1;
        fprintf(f, "%.1f,%.1f ", px_of(t, x0, x1), py_of(v[i].wip, wmax));
    }
    fputs("\"/>\n", f);
    fprintf(f, "<g class=\"legend\"><rect x=\"%d\" y=\"3\" width=\"10\" height=\"10\" class=\"bar\"/>"
               "<text x=\"%d\" y=\"12\">throughput</text><line x1=\"%d\" x2=\"%d\" y1=\"8\" y2=\"8\" class=\"wip\"/>"
               "<text x=\"%d\" y=\"12\">WIP (time-average)</text></g>\n",
            ML + 90, ML + 104, ML + 190, ML + 210, ML + 216);
    fputs("</svg>\n", f);
}

/* Mean grid power per step as a step line, the base load dashed, the peak 15-minute window marked. */
static void chart_power(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg)
{
    const sf_metrics_sample *v;
    size_t n = sf_metrics_samples(m, &v);
    double x1 = sf_time_to_seconds(sf_metrics_to(m)) / 3600, x0 = 0, pmax = 0, peak;
    sf_time at = -1;
    char b[32];

    peak = sf_metrics_peak(m, &at) / 1000;
    for (size_t i = 0; i < n; i++)
        pmax = v[i].power / 1000 > pmax ? v[i].power / 1000 : pmax;
    pmax = nice_max(peak > pmax ? peak * 1.08 : pmax * 1.08, 4);
    if (!(x1 > x0))
        x1 = x0 + 1;
    svg_open(f, W, H, "grid power over time with the peak 15-minute window");
    warmup_band(f, sf_time_to_seconds(cfg->scenario.warmup) / 3600, x0, x1);
    axes(f, x0, x1, pmax, "kW", 0, "");
    if (at >= 0 && peak > 0) {
        double a = sf_time_to_seconds(at) / 3600, e = a + 0.25;
        a = a < x0 ? x0 : a;
        e = e > x1 ? x1 : e;
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"peakband\"/>", px_of(a, x0, x1), MT,
                px_of(e, x0, x1) - px_of(a, x0, x1), H - MT - MB);
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"peak\"/>", ML, W - MR, py_of(peak, pmax),
                py_of(peak, pmax));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"peaklabel\" text-anchor=\"%s\">peak 15-min demand %s kW</text>\n",
                px_of(a, x0, x1) + (a > (x0 + x1) / 2 ? -6 : 6), py_of(peak, pmax) - 6, a > (x0 + x1) / 2 ? "end" : "start",
                sf__report_num(peak, b, sizeof b));
    }
    fputs("<path class=\"area\" d=\"", f);
    for (size_t i = 0; i < n; i++) {
        double t = sf_time_to_seconds(v[i].t) / 3600, e = i + 1 < n ? sf_time_to_seconds(v[i + 1].t) / 3600 : x1;
        fprintf(f, "%s%.1f,%.1f L%.1f,%.1f ", i ? "L" : "M", px_of(t, x0, x1), py_of(v[i].power / 1000, pmax),
                px_of(e, x0, x1), py_of(v[i].power / 1000, pmax));
    }
    if (n)
        fprintf(f, "L%.1f,%d L%d,%d Z", px_of(x1, x0, x1), H - MB, ML, H - MB);
    fputs("\"/>\n", f);
    if (cfg->energy.base_load > 0)
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"baseload\"/>"
                   "<text x=\"%d\" y=\"%.1f\" class=\"note\" text-anchor=\"end\">base load</text>\n",
                ML, W - MR, py_of(cfg->energy.base_load / 1000, pmax), py_of(cfg->energy.base_load / 1000, pmax),
                W - MR - 4, py_of(cfg->energy.base_load / 1000, pmax) - 4);
    fputs("</svg>\n", f);
}

/*
 * The learning curves over time: each learning fleet entry's success rate
 * per period (its KPI rows learning_success_rate_period_<i>, metrics/
 * learning.c) as a line at the periods' midpoints, 0 to 100 %. Nothing
 * when no fleet entry learns.
 */
static bool learning_rows(const sf_scenario_config *cfg, const sf_kpis *k)
{
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        if (cfg->fleet.types[t].learning.on && sf_kpis_find(k, "learning_success_rate_period_0", cfg->fleet.types[t].name))
            return true;
    return false;
}

static void chart_learning(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg, const sf_kpis *k)
{
    static const char *const colour[] = {"#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2"};
    double x1 = sf_time_to_seconds(sf_metrics_to(m)) / 3600;
    char metric[64];
    int shown = 0;

    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        const sf_cfg_agent_type *T = &cfg->fleet.types[t];
        double h = sf_time_to_seconds(T->learning.period) / 3600;
        const sf_kpi *r;
        if (!T->learning.on || !sf_kpis_find(k, "learning_success_rate_period_0", T->name))
            continue;
        if (shown == 0) {
            svg_open(f, W, H, "success rate per period of the robots that learn");
            axes(f, 0, x1 > 0 ? x1 : 1, 100, "success %", 0, "");
        }
        fprintf(f, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"", colour[shown % 6]);
        for (size_t i = 0; snprintf(metric, sizeof metric, "learning_success_rate_period_%zu", i) > 0 &&
                           (r = sf_kpis_find(k, metric, T->name)); i++) {
            double x = fmin(((double)i + 0.5) * h, x1 > 0 ? x1 : 1);
            if (!isnan(r->value))
                fprintf(f, "%.1f,%.1f ", px_of(x, 0, x1 > 0 ? x1 : 1), py_of(r->value, 100));
        }
        fprintf(f, "\"/><text x=\"%d\" y=\"12\" class=\"leg\" fill=\"%s\">", ML + 10 + 120 * shown,
                colour[shown % 6]);
        text(f, T->name);
        fputs("</text>\n", f);
        shown++;
    }
    if (shown)
        fputs("</svg>\n", f);
}

typedef struct row {
    const char *name;
    double v[SF_STATES]; /* large enough for power states too */
    double grid;         /* kWh from the grid, shown after the bar when > 0 */
} row;

/*
 * Horizontal stacked bars, one per row; `share` scales each bar to 100 %
 * of its own total, else to the largest total (in `unit`). A legend of
 * the categories that occur follows.
 */
static void chart_stacked(FILE *f, const row *rows, size_t n, int ncat, const char *const *names,
                          const char *const *colours, bool share, const char *unit, const char *title)
{
    const int lw = 130, bh = 20, gap = 8, top = 8;
    int used[SF_STATES] = {0}, nused = 0, legend_rows, h;
    double max = 0;
    char b[32];

    for (size_t r = 0; r < n; r++) {
        double t = 0;
        for (int c = 0; c < ncat; c++) {
            t += rows[r].v[c];
            if (rows[r].v[c] > 0 && !used[c])
                used[c] = ++nused;
        }
        max = t > max ? t : max;
    }
    if (!share)
        max = nice_max(max * 1.25, 4); /* room for the total after the longest bar */
    legend_rows = (nused + 3) / 4;
    h = top + (int)n * (bh + gap) + 24 + legend_rows * 18 + 6;
    svg_open(f, W, h, title);
    for (size_t r = 0; r < n; r++) {
        double t = 0, x = lw, y = top + (double)r * (bh + gap);
        for (int c = 0; c < ncat; c++)
            t += rows[r].v[c];
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"rowname\" text-anchor=\"end\">", lw - 8, y + bh * 0.7);
        text(f, rows[r].name);
        fputs("</text>", f);
        fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" class=\"track\"/>", lw, y, W - lw - 16, bh);
        for (int c = 0; c < ncat; c++) {
            double wdt = (share ? (t > 0 ? rows[r].v[c] / t : 0) : (max > 0 ? rows[r].v[c] / max : 0)) * (W - lw - 16);
            if (wdt <= 0)
                continue;
            fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>", x, y, wdt, bh,
                    colours[c]);
            text(f, rows[r].name);
            fprintf(f, ": %s %s %s</title></rect>", names[c], sf__report_num(share ? 100 * rows[r].v[c] / t : rows[r].v[c], b, sizeof b),
                    share ? "%" : unit);
            if (share && wdt > 34)
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"inbar\" text-anchor=\"middle\">%.0f%%</text>",
                        x + wdt / 2, y + bh * 0.7, 100 * rows[r].v[c] / t);
            x += wdt;
        }
        if (!share) {
            char g[32];
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%s", x + 4, y + bh * 0.7,
                    sf__report_num(t, b, sizeof b));
            if (rows[r].grid > 0)
                fprintf(f, " (grid %s)", sf__report_num(rows[r].grid, g, sizeof g));
            fputs("</text>", f);
        }
        fputs("\n", f);
    }
    if (!share) {
        double s = tick_step(max, 4), y = top + (double)n * (bh + gap);
        for (double v = 0; v <= max + 1e-9; v += s)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                    lw + (W - lw - 16) * v / max, y + 10, label_of(v, b, sizeof b));
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>\n", lw - 8, y + 10, unit);
    }
    for (int c = 0, k = 0; c < ncat; c++) {
        double lx, ly;
        if (!used[c])
            continue;
        lx = lw + (k % 4) * 112;
        ly = top + (double)n * (bh + gap) + 22 + (k / 4) * 18;
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\" class=\"leg\">%s</text>",
                lx, ly, colours[c], lx + 14, ly + 9, names[c]);
        k++;
    }
    fputs("\n</svg>\n", f);
}

static void chart_states(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg, bool stations)
{
    const char *names[SF_STATES];
    size_t n = stations ? sf_metrics_stations(m) : cfg->fleet.n_types;
    row *rows = sf_calloc(n ? n : 1, sizeof *rows);

    if (!rows)
        return;
    for (int s = 0; s < SF_STATES; s++)
        names[s] = sf_state_name((sf_state)s);
    if (stations) {
        for (size_t i = 0; i < n; i++) {
            rows[i].name = sf_metrics_station(m, i)->name;
            memcpy(rows[i].v, sf_metrics_station(m, i)->time, sizeof rows[i].v);
        }
    } else {
        for (size_t t = 0; t < n; t++)
            rows[t].name = cfg->fleet.types[t].name;
        for (size_t i = 0; i < sf_metrics_agents(m); i++) {
            const sf_metrics_entity *x = sf_metrics_agent(m, i);
            for (size_t t = 0; t < n; t++)
                if (strcmp(x->type, cfg->fleet.types[t].name) == 0)
                    for (int s = 0; s < SF_STATES; s++)
                        rows[t].v[s] += x->time[s];
        }
    }
    chart_stacked(f, rows, n, SF_STATES, names, state_colour, true, "%",
                  stations ? "share of time in each state per station" : "share of time in each state per agent type");
    free(rows);
}

/*
 * The ISO 22400 losses per station as one bar each, its planned busy time
 * from left to right: the ideal time of the good operations (OEE), then
 * what quality, speed (producing slower than planned) and each
 * availability loss took. The bar's segments add up to the planned busy
 * time, as a waterfall's steps do (docs/results.md).
 */
static void chart_losses(FILE *f, const sf_metrics *m, const sf_kpis *k)
{
    static const char *const names[] = {"good (OEE)", "quality loss", "speed loss", "setup", "failed", "starved",
                                        "blocked", "waiting for transport", "waiting for crew", "protective stop"};
    static const char *const colours[] = {"#16a34a", "#a855f7", "#ec4899", "#0ea5e9", "#dc2626",
                                          "#94a3b8", "#f97316", "#6366f1", "#eab308", "#7f1d1d"};
    static const char *const losses[] = {"loss_setup",          "loss_failed",    "loss_starved",    "loss_blocked",
                                         "loss_wait_transport", "loss_wait_crew", "loss_safety_stop"};
    size_t n = sf_metrics_stations(m);
    row *rows = sf_calloc(n ? n : 1, sizeof *rows);

    if (!rows)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *name = sf_metrics_station(m, i)->name;
        double producing = sf__report_value(k, "time_producing", name);
        double perf = sf__report_value(k, "performance", name) / 100, q = sf__report_value(k, "quality", name) / 100;
        double ideal = producing * (isnan(perf) ? 0 : perf > 1 ? 1 : perf), good = ideal * (isnan(q) ? 1 : q);
        rows[i].name = name;
        rows[i].v[0] = good;
        rows[i].v[1] = ideal - good;
        rows[i].v[2] = producing - ideal;
        for (int j = 0; j < 7; j++)
            rows[i].v[3 + j] = sf__report_value(k, losses[j], name);
    }
    chart_stacked(f, rows, n, 10, names, colours, true, "%", "planned busy time per station, ISO 22400");
    free(rows);
}

static void chart_energy(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg)
{
    const char *names[SF_POWER_STATES];
    size_t nt = cfg->fleet.n_types, ns = sf_metrics_stations(m), n = 0;
    row *rows = sf_calloc(nt + ns + 1, sizeof *rows);

    if (!rows)
        return;
    for (int s = 0; s < SF_POWER_STATES; s++)
        names[s] = sf_power_state_name((sf_power_state)s);
    /* battery agents: energy used from the battery by state; what charging drew shows as "grid" */
    for (size_t t = 0; t < nt; t++) {
        bool battery = cfg->fleet.types[t].battery.present;
        double sum = 0;
        rows[n].name = cfg->fleet.types[t].name;
        for (size_t i = 0; i < sf_metrics_agents(m); i++) {
            const sf_metrics_entity *x = sf_metrics_agent(m, i);
            if (strcmp(x->type, rows[n].name) != 0)
                continue;
            for (int s = 0; s < SF_POWER_STATES; s++)
                if (!battery || s != SF_POWER_CHARGING)
                    rows[n].v[s] += x->energy[s] / 3.6e6;
            if (battery)
                rows[n].grid += x->grid / 3.6e6;
        }
        for (int s = 0; s < SF_POWER_STATES; s++)
            sum += rows[n].v[s];
        if (sum > 0 || rows[n].grid > 0) /* people draw nothing: no row of zeros */
            n++;
        else
            rows[n] = (row){0};
    }
    for (size_t i = 0; i < ns; i++, n++) {
        rows[n].name = sf_metrics_station(m, i)->name;
        for (int s = 0; s < SF_POWER_STATES; s++)
            rows[n].v[s] = sf_metrics_station(m, i)->energy[s] / 3.6e6;
    }
    chart_stacked(f, rows, n, SF_POWER_STATES, names, power_colour, false, "kWh", "energy used by power state and type");
    free(rows);
}

/* Lead times in 20 bins from 0 to the longest, with the mean and p90 marked. */
static void chart_lead(FILE *f, const sf_metrics *m, const sf_kpis *k)
{
    enum { BINS = 20 };
    const sf_tally *t = sf_metrics_lead_times(m);
    double max = t->n ? t->max / 60 : 0, width, cmax = 0, counts[BINS] = {0}, mean, p90;
    char b[32];

    if (!t->obs || t->nobs == 0) {
        fputs("<p class=\"empty\">No job was completed after the warm-up.</p>\n", f);
        return;
    }
    width = max > 0 ? nice_max(max, 5) / BINS : 1;
    for (size_t i = 0; i < t->nobs; i++) {
        int bin = (int)(t->obs[i] / 60 / width);
        counts[bin >= BINS ? BINS - 1 : bin] += 1;
    }
    for (int i = 0; i < BINS; i++)
        cmax = counts[i] > cmax ? counts[i] : cmax;
    cmax = nice_max(cmax, 4);
    svg_open(f, W, H, "histogram of lead times");
    {
        double s = tick_step(cmax, 4), xs = tick_step(width * BINS, 8);
        for (double y = 0; y <= cmax + 1e-9; y += s) {
            double py = py_of(y, cmax);
            fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"gl\"/>", ML, W - MR, py, py);
            fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n", ML - 6, py + 4,
                    label_of(y, b, sizeof b));
        }
        for (double x = 0; x <= width * BINS + 1e-9; x += xs)
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                    px_of(x, 0, width * BINS), H - MB + 16, label_of(x, b, sizeof b));
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">lead time (min)</text>"
                   "<text x=\"4\" y=\"%d\" class=\"axis\">jobs</text>\n",
                W - MR, H - 4, MT - 6);
    }
    for (int i = 0; i < BINS; i++) {
        double x = px_of(i * width, 0, width * BINS), wd = px_of(width, 0, width * BINS) - ML;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"hist\"><title>%g-%g min: %.0f</title></rect>",
                x + 1, py_of(counts[i], cmax), wd - 2, H - MB - py_of(counts[i], cmax), i * width, (i + 1) * width,
                counts[i]);
    }
    mean = sf__report_value(k, "lead_time_mean", "");
    p90 = sf__report_value(k, "lead_time_p90", "");
    if (!isnan(mean))
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"mark\"/><text x=\"%.1f\" y=\"%d\" class=\"note\">mean %s</text>",
                px_of(mean, 0, width * BINS), px_of(mean, 0, width * BINS), MT, H - MB, px_of(mean, 0, width * BINS) + 4,
                MT + 10, sf__report_num(mean, b, sizeof b));
    if (!isnan(p90))
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"mark p90\"/><text x=\"%.1f\" y=\"%d\" class=\"note\">p90 %s</text>",
                px_of(p90, 0, width * BINS), px_of(p90, 0, width * BINS), MT, H - MB, px_of(p90, 0, width * BINS) + 4,
                MT + 24, sf__report_num(p90, b, sizeof b));
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"base\"/>\n</svg>\n", ML, W - MR, H - MB, H - MB);
}

/* OEE and its three factors per station, each a number with a bar under it. */
static void table_oee(FILE *f, const sf_metrics *m, const sf_kpis *k)
{
    static const char *const cols[] = {"availability", "performance", "quality", "oee", "utilisation"};
    char b[32];

    fputs("<table class=\"oee\"><tr><th>station</th><th>availability</th><th>performance</th><th>quality</th>"
          "<th>OEE</th><th>utilisation</th><th>operations</th></tr>\n",
          f);
    for (size_t s = 0; s < sf_metrics_stations(m); s++) {
        const char *name = sf_metrics_station(m, s)->name;
        fputs("<tr><td>", f);
        text(f, name);
        fputs("</td>", f);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            double v = sf__report_value(k, cols[c], name);
            double w = isnan(v) ? 0 : v < 0 ? 0 : v > 100 ? 100 : v;
            fprintf(f, "<td class=\"n%s\">%s %%<div class=\"meter\"><i style=\"width:%.1f%%\"></i></div></td>",
                    c == 3 ? " strong" : "", sf__report_num(v, b, sizeof b), w);
        }
        fprintf(f, "<td class=\"n\">%s</td></tr>\n", sf__report_num(sf__report_value(k, "operations", name), b, sizeof b));
    }
    fputs("</table>\n", f);
}

/* Each made product's carbon footprint per good unit by source, average and marginal side by side. */
static void table_footprint(FILE *f, const sf_scenario_config *cfg, const sf_kpis *k)
{
    char b[32];

    fputs("<table class=\"oee\"><tr><th>kg CO2e a unit</th>", f);
    for (int c = 0; c < SF_REPORT_FOOTPRINT_COLS; c++)
        if (cfg->energy.has_marginal || !strstr(sf__report_footprint_metric[c], "marginal"))
            fprintf(f, "<th>%s</th>", sf__report_footprint_head[c]);
    fputs("</tr>\n", f);
    for (size_t p = 0; p < cfg->n_products; p++) {
        const char *name = cfg->products[p].name;
        if (!sf_kpis_find(k, "co2e_per_unit", name))
            continue;
        fputs("<tr><td>", f);
        text(f, name);
        fputs("</td>", f);
        for (int c = 0; c < SF_REPORT_FOOTPRINT_COLS; c++)
            if (cfg->energy.has_marginal || !strstr(sf__report_footprint_metric[c], "marginal"))
                fprintf(f, "<td class=\"n%s\">%s</td>", c >= 4 ? " strong" : "",
                        sf__report_num(sf__report_value(k, sf__report_footprint_metric[c], name), b, sizeof b));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* The currency of the cost per unit, as its plant-wide row says. */
static const char *cost_unit(const sf_kpis *k)
{
    const sf_kpi *r = sf_kpis_find(k, "cost_per_unit", "");

    return r && *r->unit ? r->unit : "EUR";
}

/* Does a made product name a family with figures of its own? */
static bool made_families(const sf_scenario_config *cfg, const sf_kpis *k)
{
    for (size_t p = 0; p < cfg->n_products; p++)
        if (cfg->products[p].family && sf_kpis_find(k, "throughput", cfg->products[p].family))
            return true;
    return false;
}

/* The made products with figures of their own. */
static size_t made_rows(const sf_scenario_config *cfg, const sf_kpis *k)
{
    size_t n = 0;

    for (size_t p = 0; p < cfg->n_products; p++)
        n += sf_kpis_find(k, "throughput", cfg->products[p].name) != NULL;
    return n;
}

/*
 * The made products and then their families (products[].family), one row
 * each: units, throughput, lead time mean and p90, WIP, on time, cost per
 * unit. Shown in a plant that makes more than one product, or has
 * families; a family's row sums its products (docs/results.md).
 */
static void table_families(FILE *f, const sf_scenario_config *cfg, const sf_kpis *k)
{
    static const char *const metric[] = {"completed", "throughput", "lead_time_mean", "lead_time_p90", "wip_mean",
                                         "on_time_rate", "cost_per_unit"};
    char b[32];

    fprintf(f, "<table class=\"oee\"><tr><th>%s</th><th>made<br>units</th><th>throughput<br>1/h</th>"
               "<th>lead time<br>mean, min</th><th>lead time<br>p90, min</th><th>WIP<br>units</th><th>on time<br>%%</th>"
               "<th>cost a unit<br>", cfg->n_products && made_families(cfg, k) ? "product or family" : "product");
    text(f, cost_unit(k));
    fputs("</th></tr>\n", f);
    for (size_t p = 0; p < 2 * cfg->n_products; p++) {
        bool fam = p >= cfg->n_products;
        const sf_cfg_product *q = &cfg->products[fam ? p - cfg->n_products : p];
        const char *name = fam ? q->family : q->name;
        bool seen = false;
        for (const sf_cfg_product *r = cfg->products; fam && name && r < q; r++)
            seen = seen || (r->family && strcmp(r->family, name) == 0);
        if (!name || seen || !sf_kpis_find(k, "throughput", name))
            continue;
        fprintf(f, "<tr><td>%s", fam ? "family " : "");
        text(f, name);
        fputs("</td>", f);
        for (size_t c = 0; c < sizeof metric / sizeof metric[0]; c++)
            fprintf(f, "<td class=\"n\">%s</td>", sf__report_num(sf__report_value(k, metric[c], name), b, sizeof b));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void card(FILE *f, const sf_kpis *k, const char *metric, const char *label, const char *cls)
{
    const sf_kpi *r = sf_kpis_find(k, metric, "");
    char b[32];

    if (!r)
        return;
    fprintf(f, "<div class=\"card %s\"><div class=\"v\">%s <span class=\"u\">", cls, sf__report_num(r->value, b, sizeof b));
    text(f, r->unit);
    fputs("</span></div><div class=\"l\">", f);
    text(f, label);
    fputs("</div></div>\n", f);
}

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1e293b;"
    "background:#f1f5f9;margin:0}"
    "header{background:#0f172a;color:#f8fafc;padding:22px 36px 18px}header h1{margin:0;font-size:24px;font-weight:650}"
    "header .sub{color:#94a3b8;margin-top:4px}main{padding:20px 36px 36px;max-width:1240px}"
    ".banner{background:#fee2e2;color:#7f1d1d;border:1px solid #fca5a5;border-radius:8px;padding:10px 14px;"
    "margin-bottom:16px;font-weight:600}.warn{background:#fef3c7;color:#78350f;border-color:#fcd34d}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(168px,1fr));gap:12px;margin-bottom:20px}"
    ".card{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px #0f172a14;"
    "border-top:3px solid #2563eb}.card.e{border-top-color:#a855f7}.card.c{border-top-color:#16a34a}"
    ".card.s{border-top-color:#dc2626}.card .v{font-size:22px;font-weight:650}.card .u{font-size:13px;"
    "color:#64748b;font-weight:500}.card .l{color:#475569;font-size:12.5px}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:16px}"
    "figure{background:#fff;margin:0;border-radius:10px;padding:14px 16px 10px;box-shadow:0 1px 2px #0f172a14;"
    "overflow-x:auto}"
    "figcaption{font-weight:650;margin-bottom:6px}figcaption span{font-weight:400;color:#64748b;font-size:12.5px}"
    "svg text{font-family:inherit}.tick{font-size:11px;fill:#64748b}.axis{font-size:11px;fill:#334155}"
    ".gl{stroke:#e2e8f0}.base{stroke:#94a3b8}.bar{fill:#93c5fd}.wip{fill:none;stroke:#ea580c;"
    "stroke-width:2.2}.legend text{font-size:11px;fill:#334155}.warm{fill:#e2e8f0;opacity:.6}"
    ".note{font-size:11px;fill:#475569}.area{fill:#ddd6fe;stroke:#7c3aed;stroke-width:1.6}"
    ".peakband{fill:#fecaca;opacity:.7}.peak{stroke:#dc2626;stroke-dasharray:5 4}.peaklabel{font-size:12px;"
    "fill:#b91c1c;font-weight:600}.baseload{stroke:#475569;stroke-dasharray:2 3}.rowname{font-size:12px;fill:#1e293b}"
    ".track{fill:#f8fafc}.inbar{font-size:10px;fill:#fff;font-weight:600}.leg{font-size:11px;fill:#334155}"
    ".hist{fill:#60a5fa}.mark{stroke:#0f172a;stroke-width:1.5}.mark.p90{stroke-dasharray:4 3}"
    ".empty{color:#64748b;font-style:italic}table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}"
    "td,th{padding:4px 10px;border-bottom:1px solid #e2e8f0;text-align:left}td.n{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}details{margin-top:20px}summary{cursor:pointer;font-weight:650}"
    "footer{color:#64748b;font-size:12px;margin-top:22px}footer code{color:#334155}"
    ".safety{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}"
    "table.oee td,table.oee th{border-bottom:1px solid #f1f5f9;padding:4px 7px}table.oee th{font-size:12px;color:#475569;"
    "font-weight:600}.meter{height:5px;background:#e2e8f0;border-radius:3px;margin-top:3px}.meter i{display:block;"
    "height:5px;background:#16a34a;border-radius:3px}td.strong{font-weight:700}";

/* What the reader must know before the figures: an incomplete run, a short warm-up, an unstable plant, safety fallbacks. */
static void banners(FILE *f, const sf_metrics *m, const sf_scenario_config *cfg, const sf_report_info *info)
{
    char warn[256];

    if (!info->complete) {
        fputs("<div class=\"banner\">INCOMPLETE RUN: the figures cover the time simulated so far", f);
        if (info->error && *info->error) {
            fputs(" &mdash; ", f);
            text(f, info->error);
        }
        fputs("</div>\n", f);
    }
    if (*sf_report_warmup_warning(m, cfg, warn, sizeof warn)) {
        fputs("<div class=\"banner warn\">", f);
        text(f, warn);
        fputs("</div>\n", f);
    }
    {
        char found[8][SF_FINDING_LEN];
        size_t n = sf_metrics_stability(m, found, 8);
        if (n > 0) {
            fputs("<div class=\"banner\">UNSTABLE: the plant does not keep up over the measured window, so its averages "
                  "depend on the run's length (docs/results.md, Stability)<ul>",
                  f);
            for (size_t i = 0; i < n && i < 8; i++) {
                fputs("<li>", f);
                text(f, found[i]);
                fputs("</li>", f);
            }
            fputs("</ul></div>\n", f);
        }
    }
    for (size_t i = 0; i < cfg->safety.n_warnings; i++) {
        fputs("<div class=\"banner warn\">", f);
        text(f, cfg->safety.warnings[i]);
        fputs("</div>\n", f);
    }
}

/* Every KPI row, as in kpis.csv, folded away. */
static void every_figure(FILE *f, const sf_kpis *k)
{
    char num[32];

    fputs("<details><summary>Every figure (", f);
    fprintf(f, "%zu rows; also in kpis.csv)</summary>\n<table><tr><th>metric</th><th>entity</th><th>value</th>"
               "<th>unit</th></tr>\n",
            k->n);
    for (size_t i = 0; i < k->n; i++) {
        fputs("<tr><td>", f);
        text(f, k->v[i].metric);
        fputs("</td><td>", f);
        text(f, k->v[i].entity);
        fprintf(f, "</td><td class=\"n\">%s</td><td>", sf__report_num(k->v[i].value, num, sizeof num));
        text(f, k->v[i].unit);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></details>\n", f);
}

/* The program, the run's fingerprint and the values changed on the command line. */
static void footer(FILE *f, const sf_report_info *info)
{
    fputs("<footer>shopfloor ", f);
    text(f, info->version);
    if (info->commit && *info->commit) {
        fputs(" (", f);
        text(f, info->commit);
        fputs(")", f);
    }
    fprintf(f, " &middot; %llu events &middot; fingerprint <code>%016llx</code>", (unsigned long long)info->events,
            (unsigned long long)info->fingerprint);
    for (size_t i = 0; i < info->nsets; i++) {
        fputs(" &middot; --set <code>", f);
        text(f, info->sets[i]);
        fputs("</code>", f);
    }
    fputs("</footer>\n</main></body></html>\n", f);
}

/* What a trainer did to the run (shopfloor run --instruct, the viewer), with the plant's clock time of each. */
static void interventions(FILE *f, const sf_scenario_config *cfg, const sf_report_info *info)
{
    if (info->n_interventions == 0)
        return;
    fputs("<figure><figcaption>Interventions <span>what was done to the running plant, as the instructions that "
          "reproduce the run (docs/viewer.md)</span></figcaption>\n<table><thead><tr><th>clock</th><th>instruction"
          "</th></tr></thead><tbody>\n",
          f);
    for (size_t i = 0; i < info->n_interventions; i++) {
        long long s = (long long)((cfg->scenario.start_time_of_day + info->interventions[i].at) / SF_SECOND);
        fprintf(f, "<tr><td>day %lld %02lld:%02lld:%02lld</td><td>", s / 86400 + 1, s / 3600 % 24, s / 60 % 60, s % 60);
        text(f, info->interventions[i].said);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</figure>\n", f);
}

int sf_report_html(const sf_metrics *m, const sf_kpis *k, const sf_scenario_config *cfg, const sf_report_info *info,
                   FILE *f)
{
    const char *name = cfg->scenario.name && *cfg->scenario.name ? cfg->scenario.name : info->scenario;
    char a[48], b[48];
    bool safety = false;
    static const char *const safety_kpis[][2] = {
        {"protective_stops", "protective stops"}, {"near_misses", "near misses"},
        {"min_separation", "closest person-robot distance"}, {"reduced_speed_time", "time at reduced speed"},
        {"safety_stop_time", "time in protective stop"}, {"throughput_lost_safety", "throughput lost to safety"},
        {"vehicle_encounters", "people entering vehicles' protective fields"},
        {"vehicle_encounter_time", "time people spent in vehicles' protective fields"}};

    sf_time_format(sf_metrics_from(m), a, sizeof a);
    sf_time_format(sf_metrics_to(m), b, sizeof b);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
          f);
    text(f, name);
    fprintf(f, " - shopfloor report</title><style>%s</style></head><body>\n<header><h1>", style);
    text(f, name);
    fputs("</h1><div class=\"sub\">", f);
    text(f, info->scenario);
    fprintf(f, " &middot; seed %llu &middot; measured from %s to %s &middot; every chart and figure after the warm-up "
               "unless it says otherwise</div></header>\n<main>\n",
            (unsigned long long)info->seed, a, b);
    banners(f, m, cfg, info);
    fputs("<section class=\"cards\">\n", f);
    card(f, k, "throughput", "throughput (made products)", "");
    card(f, k, "completed", "good units made", "");
    card(f, k, "lead_time_mean", "mean lead time", "");
    card(f, k, "wip_mean", "work in progress (time-average)", "");
    if (sf_kpis_find(k, "on_time_rate", "") && !isnan(sf__report_value(k, "on_time_rate", "")))
        card(f, k, "on_time_rate", "on time", "");
    card(f, k, "pallet_throughput", "pallets stored and shipped", "");
    card(f, k, "pallets_stored", "pallets stored", "");
    card(f, k, "pallets_shipped", "pallets shipped", "");
    card(f, k, "output_per_human_hour", "output per human hour", "");
    card(f, k, "output_per_human_robot_hour", "output per human-plus-robot hour", "");
    card(f, k, "pallets_per_human_hour", "pallets per human hour", "");
    card(f, k, "pallets_per_human_robot_hour", "pallets per human-plus-robot hour", "");
    card(f, k, "energy_grid", "energy from the grid", "e");
    card(f, k, "kwh_per_unit", "energy per good unit", "e");
    card(f, k, "kwh_per_pallet", "energy per pallet handled", "e");
    card(f, k, "peak_demand_15min", "peak 15-minute demand", "e");
    card(f, k, "co2", "CO2 (average factor)", "e");
    card(f, k, "co2_marginal", "CO2 (marginal factor)", "e");
    card(f, k, "cost_per_unit", "cost per good unit", "c");
    card(f, k, "cost_per_pallet", "cost per pallet handled", "c");
    card(f, k, "cost_total", "total cost", "c");
    card(f, k, "protective_stops", "protective stops", "s");
    fputs("</section>\n<section class=\"charts\">\n", f);
    fputs("<figure><figcaption>Throughput and work in progress <span>per time step, whole run</span></figcaption>\n", f);
    chart_flow(f, m, cfg);
    fputs("</figure>\n<figure><figcaption>Grid power <span>mean per time step, peak 15-minute window marked</span>"
          "</figcaption>\n",
          f);
    chart_power(f, m, cfg);
    fputs("</figure>\n<figure><figcaption>Where the time goes: agent types</figcaption>\n", f);
    chart_states(f, m, cfg, false);
    fputs("</figure>\n", f);
    if (sf_metrics_stations(m) > 0) {
        fputs("<figure><figcaption>Where the time goes: stations</figcaption>\n", f);
        chart_states(f, m, cfg, true);
        fputs("</figure>\n<figure><figcaption>OEE by station <span>availability x performance x quality "
              "(docs/results.md)</span></figcaption>\n",
              f);
        table_oee(f, m, k);
        fputs("</figure>\n<figure><figcaption>Where the planned time goes: ISO 22400 losses per station "
              "<span>good time, then what quality, speed and each availability loss took (docs/results.md)</span>"
              "</figcaption>\n",
              f);
        chart_losses(f, m, k);
        fputs("</figure>\n", f);
    }
    bool families = made_families(cfg, k);
    if (made_rows(cfg, k) > 1 || families) {
        fputs(families ? "<figure><figcaption>Made products and their families <span>a family sums its products: units "
                         "and WIP add up, lead times are pooled (docs/results.md)</span></figcaption>\n"
                       : "<figure><figcaption>Made products <span>each apart, after the warm-up (docs/results.md)</span>"
                         "</figcaption>\n",
              f);
        table_families(f, cfg, k);
        fputs("</figure>\n", f);
    }
    if (sf_kpis_find(k, "co2e_per_unit", cfg->n_products ? cfg->products[0].name : "")) {
        fputs("<figure><figcaption>Product carbon footprint <span>cradle to gate, per good unit: materials, scope 1 "
              "fuels, scope 2 grid at the average and the marginal factor (docs/results.md)</span></figcaption>\n",
              f);
        table_footprint(f, cfg, k);
        fputs("</figure>\n", f);
    }
    if (learning_rows(cfg, k)) {
        fputs("<figure><figcaption>Learning curves <span>success rate of the robots' attempts per period, from time 0 "
              "(docs/production.md)</span></figcaption>\n", f);
        chart_learning(f, m, cfg, k);
        fputs("</figure>\n", f);
    }
    fputs("<figure><figcaption>Energy used by power state and type <span>kWh; battery vehicles: from the battery, with what their charging drew from the grid; types that draw nothing (people) left out</span></figcaption>\n", f);
    chart_energy(f, m, cfg);
    fputs("</figure>\n<figure><figcaption>Lead times <span>release to completion</span></figcaption>\n", f);
    chart_lead(f, m, k);
    fputs("</figure>\n<figure><figcaption>Safety</figcaption>\n<div class=\"safety\">\n", f);
    for (size_t i = 0; i < sizeof safety_kpis / sizeof safety_kpis[0]; i++) {
        double v = sf__report_value(k, safety_kpis[i][0], "");
        safety |= !isnan(v) && v > 0;
        card(f, k, safety_kpis[i][0], safety_kpis[i][1], "s");
    }
    fputs("</div>\n", f);
    if (!safety)
        fputs("<p class=\"empty\">No safety event was recorded in this run.</p>\n", f);
    fputs("</figure>\n", f);
    interventions(f, cfg, info);
    fputs("</section>\n", f);
    every_figure(f, k);
    footer(f, info);
    return ferror(f) ? SF_EIO : SF_OK;
}
