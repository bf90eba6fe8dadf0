/*
 * fit_plot.c: the fits of `shopfloor fit` as one HTML page of inline SVG
 * (fit_plot.h).
 */
#include "cli/fit_plot.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "report/outfile.h"

enum { W = 520, H = 320, ML = 56, MR = 16, MT = 16, MB = 40, CURVES = 3, QQ_POINTS = 500 };

static const char *const colours[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd"};

/* A "nice" step (1, 2 or 5 times a power of ten) for about five ticks over `span`. */
static double tick_step(double span)
{
    double raw = span / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return p * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

typedef struct frame {
    double x0, x1, y0, y1; /* data ranges */
} frame;

static double px(const frame *f, double x)
{
    return ML + (x - f->x0) / (f->x1 - f->x0) * (W - ML - MR);
}

static double py(const frame *f, double y)
{
    return H - MB - (y - f->y0) / (f->y1 - f->y0) * (H - MT - MB);
}

static void axes(FILE *o, const frame *f, const char *xlabel, const char *ylabel, bool yticks)
{
    double step = tick_step(f->x1 - f->x0);
    fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", ML, MT,
            W - ML - MR, H - MT - MB);
    for (double t = ceil(f->x0 / step) * step; t <= f->x1 + 1e-9 * step; t += step)
        fprintf(o,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>\n",
                px(f, t), H - MB, px(f, t), H - MB + 4, px(f, t), H - MB + 16, fabs(t) < 1e-12 * step ? 0 : t);
    if (yticks) {
        step = tick_step(f->y1 - f->y0);
        for (double t = ceil(f->y0 / step) * step; t <= f->y1 + 1e-9 * step; t += step)
            fprintf(o,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n",
                    ML - 4, py(f, t), ML, py(f, t), ML - 6, py(f, t) + 4, fabs(t) < 1e-12 * step ? 0 : t);
    }
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", (ML + W - MR) / 2, H - 6, xlabel);
    fprintf(o, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>\n",
            (MT + H - MB) / 2, (MT + H - MB) / 2, ylabel);
}

/* The histogram (density scale) with up to CURVES ranked densities and the winner's, and a legend. */
static void histogram(FILE *o, const sf_fit_result *r, double factor, const char *unit)
{
    size_t bins = (size_t)ceil(sqrt((double)r->n)), counts[64] = {0}, k = 0;
    double lo = r->min, hi = r->max, width, top = 0;
    frame f;
    int shown[CURVES + 1];
    char label[64];

    bins = bins < 5 ? 5 : bins > 60 ? 60 : bins;
    width = (hi - lo) / (double)bins;
    for (size_t i = 0; i < r->n; i++) {
        size_t b = (size_t)((r->x[i] - lo) / width);
        counts[b >= bins ? bins - 1 : b]++;
    }
    for (size_t b = 0; b < bins; b++)
        top = fmax(top, (double)counts[b] / ((double)r->n * width));
    for (size_t i = 0; i < r->n_ranked && k < CURVES; i++)
        shown[k++] = r->order[i];
    if (r->winner == SF_FIT_EMPIRICAL)
        shown[k++] = SF_FIT_EMPIRICAL;
    f.x0 = (lo - 0.05 * (hi - lo)) / factor;
    f.x1 = (hi + 0.05 * (hi - lo)) / factor;
    for (size_t c = 0; c < k; c++)
        for (int s = 0; s <= 200; s++)
            top = fmax(top, fmin(sf_fit_pdf(&r->m[shown[c]], (f.x0 + (f.x1 - f.x0) * s / 200) * factor), 3 * top));
    f.y0 = 0;
    f.y1 = top * 1.08 * factor;
    fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">\n", W, H);
    for (size_t b = 0; b < bins; b++) {
        double x = (lo + (double)b * width) / factor, d = (double)counts[b] / ((double)r->n * width) * factor;
        fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ccc\" stroke=\"#fff\"/>\n",
                px(&f, x), py(&f, d), px(&f, x + width / factor) - px(&f, x), py(&f, 0) - py(&f, d));
    }
    for (size_t c = 0; c < k; c++) {
        const sf_fit_model *m = &r->m[shown[c]];
        fprintf(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" points=\"", colours[c],
                shown[c] == r->winner ? "2.5" : "1.2");
        for (int s = 0; s <= 200; s++) {
            double x = f.x0 + (f.x1 - f.x0) * s / 200, y = fmin(sf_fit_pdf(m, x * factor) * factor, f.y1);
            fprintf(o, "%.1f,%.1f ", px(&f, x), py(&f, y));
        }
        fprintf(o, "\"/>\n<text x=\"%d\" y=\"%zu\" fill=\"%s\" text-anchor=\"end\">%s%s</text>\n", W - MR - 6,
                MT + 14 + 14 * c, colours[c], sf_fit_family_name(m->family), shown[c] == r->winner ? " (chosen)" : "");
    }
    snprintf(label, sizeof label, "value (%s)", *unit ? unit : "as in the file");
    axes(o, &f, label, "density", false);
    fprintf(o, "</svg>\n");
}

/* Data quantiles against the winner's at (i - 0.5) / n, at most QQ_POINTS of them, and the line y = x. */
static void qq(FILE *o, const sf_fit_result *r, double factor, const char *unit)
{
    const sf_fit_model *m = &r->m[r->winner];
    size_t step = r->n > QQ_POINTS ? (r->n + QQ_POINTS - 1) / QQ_POINTS : 1;
    double lo = fmin(r->min, sf_fit_quantile(m, 0.5 / (double)r->n)), hi = fmax(r->max, sf_fit_quantile(m, 1 - 0.5 / (double)r->n));
    frame f = {lo / factor, hi / factor, lo / factor, hi / factor};
    char xl[96], yl[64];

    fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">\n", W, H);
    fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n",
            px(&f, f.x0), py(&f, f.y0), px(&f, f.x1), py(&f, f.y1));
    for (size_t i = 0; i < r->n; i += step) {
        double q = sf_fit_quantile(m, ((double)i + 0.5) / (double)r->n);
        fprintf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>\n", px(&f, q / factor),
                py(&f, r->x[i] / factor), colours[0]);
    }
    snprintf(xl, sizeof xl, "%s quantile (%s)", sf_fit_family_name(m->family), *unit ? unit : "as in the file");
    snprintf(yl, sizeof yl, "data (%s)", *unit ? unit : "as in the file");
    axes(o, &f, xl, yl, true);
    fprintf(o, "</svg>\n");
}

static void html_text(FILE *o, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        default: fputc(*s, o);
        }
}

int sf_fit_plot_html(const char *path, const sf_fit_plot_item *items, size_t n, double factor, const char *unit)
{
    sf_outfile *out = sf_outfile_open(path);
    FILE *o;
    char yaml[2048];

    if (!out)
        return SF_EIO;
    o = out->f;
    fprintf(o, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>shopfloor fit</title>\n"
               "<style>body{font-family:sans-serif;margin:1.5em} .row{display:flex;gap:1em;flex-wrap:wrap}"
               " code{background:#f4f4f4;padding:2px 4px}</style></head><body>\n");
    for (size_t i = 0; i < n; i++) {
        const sf_fit_result *r = items[i].fit;
        fputs("<h2>", o);
        html_text(o, items[i].title);
        fprintf(o, "</h2>\n<p>n = %zu; chosen: <code>", r->n);
        html_text(o, sf_fit_yaml(&r->m[r->winner], factor, unit, yaml, sizeof yaml));
        fputs("</code></p>\n<div class=\"row\">\n", o);
        histogram(o, r, factor, unit);
        qq(o, r, factor, unit);
        fputs("</div>\n", o);
    }
    fputs("</body></html>\n", o);
    return sf_outfile_close(out, SF_OK);
}
