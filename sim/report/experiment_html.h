/*
 * experiment_html.h: report.html of an experiment (optimize), one
 * self-contained page with inline SVG charts and no network.
 *
 * The experiment layer hands over plain rows (labels, means, intervals,
 * statuses); nothing here knows how they were computed. The charts:
 *   - intervals: one row per alternative, its mean and confidence
 *     interval on a shared axis, coloured by status;
 *   - replications: one bar per alternative, as long as the replications
 *     it received, so an alternative eliminated early is a short bar;
 *   - contention: the number of alternatives still in contention after
 *     each number of replications.
 */
#ifndef SF_REPORT_EXPERIMENT_HTML_H
#define SF_REPORT_EXPERIMENT_HTML_H

#include <stddef.h>

typedef struct sf_xhtml_row {
    const char *label;       /* "fleet.tugger.count=3, fleet.humanoid.count=2" */
    double mean, low, high;  /* the figure and its interval (NaN: none) */
    const char *status;      /* "selected", "eliminated", "infeasible", "undecided" */
    size_t reps;             /* replications it received */
    size_t left_at;          /* replications per alternative when it left; 0 when it did not */
} sf_xhtml_row;

typedef struct sf_xhtml_optimize {
    const char *title;       /* the model's path */
    const char *objective;   /* "min cost_per_unit" */
    const char *answer;      /* the answer, one sentence */
    const char *const *facts; /* "label: value" lines describing the procedure, NULL-ended */
    const sf_xhtml_row *rows;
    size_t n;
} sf_xhtml_optimize;

/* Write the page to path (atomically, report/outfile.h). SF_OK or SF_EIO. */
int sf_experiment_html_optimize(const char *path, const sf_xhtml_optimize *x);

#endif
