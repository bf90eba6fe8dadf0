/*
 * experiment_html.h: report.html of an experiment (optimize, sweep,
 * compare), one self-contained page with inline SVG charts and no network.
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

/* One chart of intervals: a row per alternative (sweep: per point) or per KPI (compare: per difference). */
typedef struct sf_xhtml_chart {
    const char *title;        /* the section's heading */
    const char *axis;         /* the value axis's name, with its unit */
    const sf_xhtml_row *rows; /* status: a colour's name ("selected"...) or "not significant" (grey); NULL: blue */
    size_t n;
    int zero;                 /* nonzero: keep 0 on the axis and draw it (differences) */
} sf_xhtml_chart;

/*
 * A page of interval charts under a heading, a subtitle and some "label:
 * value" facts (NULL-ended, may be NULL). SF_OK or SF_EIO.
 */
int sf_experiment_html_charts(const char *path, const char *heading, const char *subtitle, const char *const *facts,
                              const sf_xhtml_chart *charts, size_t n);

/*
 * The Gantt chart of a run's trace (`run --trace`: time_s,entity,name,state)
 * as a page: a row per agent and station, its states as coloured bars over
 * [0, end] seconds; where a pixel column covers several states, the one
 * that held longest. Reads the whole trace once, O(rows + states) memory per
 * entity. SF_OK, SF_EIO, SF_EINVAL (not a trace) or SF_ENOMEM.
 */
int sf_experiment_html_gantt(const char *trace, const char *path, double end, const char *title);

#endif
