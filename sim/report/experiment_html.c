/*
 * experiment_html.c: report.html of an experiment (experiment_html.h).
 *
 * Every chart is a horizontal layout: one row per alternative, its label
 * on the left, so that grids of a few dozen alternatives with long
 * labels stay readable. The page has no script and loads nothing.
 */
#include "report/experiment_html.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "report/outfile.h"

#define PAGE_W 900   /* the SVG's width in its own units */
#define LABEL_W 330  /* room for the labels */
#define ROW_H 22
#define TOP 40       /* room for the axis and its name above the rows */

static const char page_style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}"
    "header{background:#0f172a;color:#f8fafc;padding:14px 24px}h1{margin:0;font-size:20px}"
    ".sub{color:#cbd5e1;font-size:13px}main{padding:12px 24px;max-width:1100px}"
    "section{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:10px 16px;margin:12px 0}"
    "h2{font-size:16px;margin:4px 0 8px}.answer{font-size:16px;font-weight:600}"
    "table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #e2e8f0;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.tick{font-size:11px;fill:#475569}.lab{font-size:12px;fill:#1f2937}"
    ".gl{stroke:#e2e8f0}.key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}";

/* The colour of a status, and of anything else. */
static const char *colour_of(const char *status)
{
    static const char *const pairs[][2] = {
        {"selected", "#16a34a"}, {"eliminated", "#94a3b8"}, {"infeasible", "#dc2626"}, {"undecided", "#f59e0b"},
        {"not significant", "#94a3b8"}};

    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (status && strcmp(status, pairs[i][0]) == 0)
            return pairs[i][1];
    return "#2563eb";
}

/* Text for HTML: the five characters that mean something there are escaped, runs of the rest written at once. */
static void esc(FILE *f, const char *s)
{
    static const char *const with[] = {['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['"'] = "&quot;", ['\''] = "&#39;"};

    while (s && *s) {
        size_t run = strcspn(s, "<>&\"'");
        fwrite(s, 1, run, f);
        s += run;
        if (*s)
            fputs(with[(unsigned char)*s++], f);
    }
}

/* A value axis from lo to hi drawn over [x0, x1] in page units, with round ticks. */
typedef struct scale {
    double lo, hi, x0, x1, step;
} scale;

static scale scale_for(double lo, double hi, double x0, double x1)
{
    scale s = {lo, hi, x0, x1, 1};
    double span, mag, unit;

    /* one value, or values a rounding apart (30.56 and 30.56 + 4e-15): the span of one value, or
     * the ticks' step would be below the doubles' resolution and the axis never end */
    if (!(hi - lo > 1e-9 * fmax(fabs(lo), fabs(hi)))) {
        s.lo = lo - (fabs(lo) > 0 ? fabs(lo) * 0.1 : 1);
        s.hi = hi + (fabs(hi) > 0 ? fabs(hi) * 0.1 : 1);
    }
    span = s.hi - s.lo;
    mag = pow(10, floor(log10(span / 5)));
    unit = span / 5 / mag;
    s.step = mag * (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10);
    s.lo = floor(s.lo / s.step) * s.step;
    s.hi = ceil(s.hi / s.step) * s.step;
    return s;
}

static double at(const scale *s, double v)
{
    return s->x0 + (s->x1 - s->x0) * (v - s->lo) / (s->hi - s->lo);
}

/* The axis along the top of a chart `height` high, with a name. */
static void draw_scale(FILE *f, const scale *s, double height, const char *name)
{
    long ticks = lround((s->hi - s->lo) / s->step); /* counted, not summed: a tick per step whatever the rounding */

    for (long k = 0; k <= ticks; k++) {
        double v = s->lo + (double)k * s->step, x = at(s, v), shown = fabs(v) < s->step * 1e-9 ? 0 : v;
        fprintf(f, "<line class=\"gl\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>", x, x, TOP - 4, height);
        fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.6g</text>\n", x, TOP - 8, shown);
    }
    fprintf(f, "<text class=\"tick\" x=\"%.0f\" y=\"12\">", at(s, s->lo) - 10); /* over the plot's left edge */
    esc(f, name);
    fputs("</text>\n", f);
}

/* The label of row i, ending at x. */
static void row_label_at(FILE *f, size_t i, const char *label, int x)
{
    fprintf(f, "<text class=\"lab\" x=\"%d\" y=\"%zu\" text-anchor=\"end\">", x - 8, TOP + i * ROW_H + 15);
    esc(f, label);
    fputs("</text>", f);
}

/* The label of row i, at the left. */
static void row_label(FILE *f, size_t i, const char *label)
{
    row_label_at(f, i, label, LABEL_W);
}

/* Room for the longest of the rows' labels (12 px text, about 7 units a character), LABEL_W to 560. */
static int label_room(const sf_xhtml_row *rows, size_t n)
{
    size_t most = 0;

    for (size_t i = 0; i < n; i++)
        if (rows[i].label && strlen(rows[i].label) > most)
            most = strlen(rows[i].label);
    return most * 7 + 16 < LABEL_W ? LABEL_W : most * 7 + 16 > 560 ? 560 : (int)(most * 7 + 16);
}

static void svg_begin(FILE *f, double height, const char *what)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" width=\"100%%\" role=\"img\" aria-label=\"",
            PAGE_W, height);
    esc(f, what);
    fputs("\">\n", f);
}

/* Each row's mean as a dot and its interval as a whisker, on one axis. */
static void chart_intervals(FILE *f, const sf_xhtml_row *rows, size_t n, const char *name, int zero)
{
    double lo = INFINITY, hi = -INFINITY, height = TOP + (double)n * ROW_H + 6;
    int lw = label_room(rows, n);
    scale s;

    for (size_t i = 0; i < n; i++) {
        const double v[3] = {rows[i].mean, rows[i].low, rows[i].high};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) {
                lo = fmin(lo, v[j]);
                hi = fmax(hi, v[j]);
            }
    }
    if (!isfinite(lo))
        lo = hi = 0;
    if (zero) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    s = scale_for(lo, hi, lw + 10, PAGE_W - 20);
    svg_begin(f, height, name);
    draw_scale(f, &s, height, name);
    if (zero)
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#0f172a\"/>\n", at(&s, 0), at(&s, 0),
                TOP - 4, height);
    for (size_t i = 0; i < n; i++) {
        double y = TOP + (double)i * ROW_H + 11;
        const char *c = colour_of(rows[i].status);
        row_label_at(f, i, rows[i].label, lw);
        if (isfinite(rows[i].low) && isfinite(rows[i].high))
            fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
                    at(&s, rows[i].low), at(&s, rows[i].high), y, y, c);
        if (isfinite(rows[i].mean))
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%.6g</title></circle>\n",
                    at(&s, rows[i].mean), y, c, rows[i].mean);
    }
    fputs("</svg>\n", f);
}

/* Each row's replications as a bar, and where it left. */
static void chart_reps(FILE *f, const sf_xhtml_row *rows, size_t n)
{
    double most = 1, height = TOP + (double)n * ROW_H + 6;
    scale s;

    for (size_t i = 0; i < n; i++)
        most = fmax(most, (double)rows[i].reps);
    s = scale_for(0, most, LABEL_W + 10, PAGE_W - 140); /* room for "eliminated at 1234" */
    svg_begin(f, height, "replications per alternative");
    draw_scale(f, &s, height, "replications per alternative");
    for (size_t i = 0; i < n; i++) {
        double y = TOP + (double)i * ROW_H + 4;
        row_label(f, i, rows[i].label);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>", at(&s, 0), y,
                at(&s, (double)rows[i].reps) - at(&s, 0), colour_of(rows[i].status));
        fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%s", at(&s, (double)rows[i].reps) + 4, y + 11,
                rows[i].status);
        if (rows[i].left_at)
            fprintf(f, " at %zu", rows[i].left_at);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

/* Alternatives in contention after each number of replications: a falling step line. */
static void chart_contention(FILE *f, const sf_xhtml_row *rows, size_t n)
{
    size_t most = 1;
    double height = 200, bottom = 180;
    scale s;

    for (size_t i = 0; i < n; i++)
        most = rows[i].reps > most ? rows[i].reps : most;
    s = scale_for(0, (double)most, 60, PAGE_W - 20);
    svg_begin(f, height, "alternatives in contention");
    draw_scale(f, &s, bottom, "replications per alternative");
    fputs("<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" points=\"", f);
    for (size_t r = 0, before = n; r <= most; r++) { /* a step: down at the check where alternatives left */
        size_t in = 0;
        for (size_t i = 0; i < n; i++)
            in += rows[i].left_at == 0 || rows[i].left_at > r;
        fprintf(f, "%.1f,%.1f %.1f,%.1f ", at(&s, (double)r), bottom - (bottom - TOP) * (double)before / (double)(n ? n : 1),
                at(&s, (double)r), bottom - (bottom - TOP) * (double)in / (double)(n ? n : 1));
        before = in;
    }
    fprintf(f, "\"/><text class=\"tick\" x=\"4\" y=\"%d\">%zu</text><text class=\"tick\" x=\"4\" y=\"%.0f\">0</text>"
               "<text class=\"tick\" x=\"4\" y=\"%.0f\">in contention</text>\n</svg>\n",
            TOP + 4, n, bottom, bottom + 16);
}

static void table_rows(FILE *f, const sf_xhtml_row *rows, size_t n)
{
    fputs("<table><tr><th>alternative</th><th>reps</th><th>mean</th><th>interval</th><th>status</th><th>left at</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        esc(f, rows[i].label);
        fprintf(f, "</td><td>%zu</td><td>%.6g</td><td>[%.6g, %.6g]</td><td style=\"color:%s\">%s</td><td>", rows[i].reps,
                rows[i].mean, rows[i].low, rows[i].high, colour_of(rows[i].status), rows[i].status);
        if (rows[i].left_at)
            fprintf(f, "%zu", rows[i].left_at);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* The page's head, its heading and subtitle, and a section with the lead sentence (may be NULL) and the facts. */
static void page_open(FILE *f, const char *heading, const char *subtitle, const char *lead, const char *const *facts)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    esc(f, heading);
    fprintf(f, "</title><style>%s</style></head><body>\n<header><h1>", page_style);
    esc(f, heading);
    fputs("</h1><div class=\"sub\">", f);
    esc(f, subtitle);
    fputs("</div></header>\n<main>\n<section>", f);
    if (lead) {
        fputs("<div class=\"answer\">", f);
        esc(f, lead);
        fputs("</div>", f);
    }
    fputs("<ul>", f);
    for (const char *const *l = facts; l && *l; l++) {
        fputs("<li>", f);
        esc(f, *l);
        fputs("</li>", f);
    }
    fputs("</ul></section>\n", f);
}

int sf_experiment_html_optimize(const char *path, const sf_xhtml_optimize *x)
{
    sf_outfile *o = sf_outfile_open(path);
    char heading[512];
    FILE *f;

    if (!o)
        return SF_EIO;
    f = o->f;
    snprintf(heading, sizeof heading, "optimize: %s", x->objective);
    page_open(f, heading, x->title, x->answer, x->facts);
    fputs("<section><h2>The objective of every alternative, with its confidence interval</h2><div class=\"key\">", f);
    for (const char *const *s = (const char *const[]){"selected", "eliminated", "infeasible", "undecided", NULL}; *s; s++)
        fprintf(f, "<span style=\"background:%s\"></span>%s", colour_of(*s), *s);
    fputs("</div>\n", f);
    chart_intervals(f, x->rows, x->n, x->objective, 0);
    fputs("</section>\n<section><h2>Replications each alternative received, and when it left</h2>\n", f);
    chart_reps(f, x->rows, x->n);
    fputs("</section>\n<section><h2>Alternatives in contention</h2>\n", f);
    chart_contention(f, x->rows, x->n);
    fputs("</section>\n<section><h2>Alternatives</h2>\n", f);
    table_rows(f, x->rows, x->n);
    fputs("</section>\n</main></body></html>\n", f);
    return sf_outfile_commit(o);
}

int sf_experiment_html_charts(const char *path, const char *heading, const char *subtitle, const char *const *facts,
                              const sf_xhtml_chart *charts, size_t n)
{
    sf_outfile *o = sf_outfile_open(path);

    if (!o)
        return SF_EIO;
    page_open(o->f, heading, subtitle, NULL, facts);
    for (size_t i = 0; i < n; i++) {
        fputs("<section><h2>", o->f);
        esc(o->f, charts[i].title);
        fputs("</h2>\n", o->f);
        chart_intervals(o->f, charts[i].rows, charts[i].n, charts[i].axis, charts[i].zero);
        fputs("</section>\n", o->f);
    }
    fputs("</main></body></html>\n", o->f);
    return sf_outfile_commit(o);
}

/* ---- the Gantt chart of a trace ------------------------------------------- */

enum { GANTT_COLS = 560 }; /* the time axis's width in page units: one state per column at most */

typedef struct gantt_row {
    char name[96];           /* "agent cobot_a.1" */
    unsigned char col[GANTT_COLS]; /* the state that holds most of each column, as an index into the states + 1 */
    double held[GANTT_COLS];       /* how long it held it there */
    double since;            /* the current state's start */
    int state;               /* the current state's index, -1 before the first row */
} gantt_row;

/*
 * A colour for a state: the common ones by name, as the run's report
 * colours them (working green, idle grey, failures red), the others by
 * the order they were met in from a palette, then dark grey.
 */
static const char *state_colour(const char *name, size_t i)
{
    static const char *const named[][2] = {
        {"working", "#16a34a"}, {"idle", "#cbd5e1"},     {"off_shift", "#f1f5f9"}, {"failed", "#dc2626"},
        {"blocked", "#f97316"}, {"starved", "#facc15"},  {"charging", "#a855f7"},  {"travel_empty", "#7dd3fc"},
        {"travel_loaded", "#2563eb"}, {"setup", "#0891b2"}, {"safety_stop", "#7f1d1d"}, {"reduced_speed", "#fb7185"}};
    static const char *const palette[] = {"#84cc16", "#db2777", "#14b8a6", "#f59e0b", "#6366f1", "#a8a29e", "#0ea5e9"};

    for (size_t k = 0; k < sizeof named / sizeof *named; k++)
        if (strcmp(name, named[k][0]) == 0)
            return named[k][1];
    return i < sizeof palette / sizeof *palette ? palette[i] : "#475569";
}

/* Give columns [t0, t1) of the time axis (0..end) to state s of row g, where it holds longer than what is there. */
static void gantt_fill(gantt_row *g, double t0, double t1, double end, int s)
{
    double w = end / GANTT_COLS;

    for (long c = (long)(t0 / w); c < GANTT_COLS && (double)c * w < t1; c++) {
        double lo = fmax(t0, (double)c * w), hi = fmin(t1, (double)(c + 1) * w);
        if (c >= 0 && hi - lo > g->held[c]) {
            g->held[c] = hi - lo;
            g->col[c] = (unsigned char)(s + 1);
        }
    }
}

/*
 * Read the trace (time_s,entity,name,state, in time order) into rows and
 * states. The rows are kept in the order entities first appear. SF_OK,
 * SF_EIO, SF_EINVAL (not a trace), SF_ENOMEM.
 */
static int gantt_read(FILE *in, double end, gantt_row **rows, size_t *nrows, char (*states)[40], size_t *nstates)
{
    char line[512];
    size_t cap = 0;

    if (!fgets(line, sizeof line, in) || strncmp(line, "time_s,entity,name,state", 24) != 0)
        return SF_EINVAL;
    while (fgets(line, sizeof line, in)) {
        char *f[4], *p = line;
        size_t r, s;
        double t;
        for (int i = 0; i < 4; i++) {
            f[i] = p;
            p += strcspn(p, i < 3 ? "," : "\r\n");
            if (i < 3 && *p != ',')
                return SF_EINVAL;
            *p++ = '\0';
        }
        t = atof(f[0]);
        for (s = 0; s < *nstates && strcmp(states[s], f[3]) != 0; s++)
            ;
        if (s == *nstates && s < 250)
            snprintf(states[(*nstates)++], sizeof states[0], "%s", f[3]);
        for (r = 0; r < *nrows; r++) {
            const char *n = (*rows)[r].name;
            size_t el = strlen(f[1]);
            if (strncmp(n, f[1], el) == 0 && n[el] == ' ' && strcmp(n + el + 1, f[2]) == 0)
                break;
        }
        if (r == *nrows) {
            if (sf_grow(*rows, cap, *nrows + 1) != SF_OK)
                return SF_ENOMEM;
            memset(&(*rows)[r], 0, sizeof **rows);
            snprintf((*rows)[r].name, sizeof (*rows)[r].name, "%s %s", f[1], f[2]);
            (*rows)[r].state = -1;
            (*nrows)++;
        }
        if ((*rows)[r].state >= 0)
            gantt_fill(&(*rows)[r], (*rows)[r].since, t, end, (*rows)[r].state);
        (*rows)[r].since = t;
        (*rows)[r].state = s < *nstates ? (int)s : (int)*nstates - 1;
    }
    for (size_t r = 0; r < *nrows; r++)
        if ((*rows)[r].state >= 0)
            gantt_fill(&(*rows)[r], (*rows)[r].since, end, end, (*rows)[r].state);
    return ferror(in) ? SF_EIO : SF_OK;
}

int sf_experiment_html_gantt(const char *trace, const char *path, double end, const char *title)
{
    FILE *in = fopen(trace, "r");
    gantt_row *rows = NULL;
    char states[250][40];
    size_t nrows = 0, nstates = 0;
    sf_outfile *o = NULL;
    scale s;
    int rc;

    if (!in)
        return SF_EIO;
    rc = gantt_read(in, end > 0 ? end : 1, &rows, &nrows, states, &nstates);
    fclose(in);
    if (rc == SF_OK && !(o = sf_outfile_open(path)))
        rc = SF_EIO;
    if (rc == SF_OK) {
        double height = TOP + (double)nrows * ROW_H + 6, w = (double)GANTT_COLS;
        s = scale_for(0, (end > 0 ? end : 1) / 3600, LABEL_W + 10, LABEL_W + 10 + w);
        s.hi = (end > 0 ? end : 1) / 3600; /* the axis ends where the run did */
        page_open(o->f, "states over time", title, NULL,
                  (const char *const[]){"one row per agent and station, coloured by its state (the state that held "
                                        "longest where a pixel covers several); from the run's trace.csv",
                                        NULL});
        fputs("<section><div class=\"key\">", o->f);
        for (size_t i = 0; i < nstates; i++) {
            fprintf(o->f, "<span style=\"background:%s\"></span>", state_colour(states[i], i));
            esc(o->f, states[i]);
        }
        fputs("</div>\n", o->f);
        svg_begin(o->f, height, "states over time");
        draw_scale(o->f, &s, height, "time (h)");
        for (size_t r = 0; r < nrows; r++) {
            row_label(o->f, r, rows[r].name);
            for (int c = 0; c < GANTT_COLS;) {
                int e = c;
                while (e < GANTT_COLS && rows[r].col[e] == rows[r].col[c])
                    e++;
                if (rows[r].col[c])
                    fprintf(o->f, "<rect x=\"%.1f\" y=\"%zu\" width=\"%d\" height=\"16\" fill=\"%s\"/>",
                            (double)(LABEL_W + 10 + c), TOP + r * ROW_H + 3, e - c,
                            state_colour(states[rows[r].col[c] - 1u], rows[r].col[c] - 1u));
                c = e;
            }
            fputc('\n', o->f);
        }
        fputs("</svg></section>\n</main></body></html>\n", o->f);
        rc = sf_outfile_commit(o);
    }
    free(rows);
    return rc;
}
