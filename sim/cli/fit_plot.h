/*
 * fit_plot.h: `shopfloor fit --plot FILE.html`, the fits drawn: for each
 * fitted series a histogram of the data with the densities of the best
 * ranked families, and a Q-Q plot of the data against the winner. One
 * self-contained HTML file with inline SVG: no script, no other file.
 */
#ifndef SF_CLI_FIT_PLOT_H
#define SF_CLI_FIT_PLOT_H

#include <stddef.h>

#include "input/fit.h"

typedef struct sf_fit_plot_item {
    const char *title;        /* "cycle_time", "press_1: time between failures" */
    const sf_fit_result *fit;
} sf_fit_plot_item;

/* Write the page atomically (report/outfile.h); SF_OK, or SF_EIO/SF_ENOMEM after a message. */
int sf_fit_plot_html(const char *path, const sf_fit_plot_item *items, size_t n, double factor, const char *unit);

#endif
