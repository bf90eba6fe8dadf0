/*
 * sweep_report.c: a sweep's report.html: every headline KPI (every KPI of
 * a Lua model, which has no headline) against the grid, one chart per
 * KPI with a row per point: its mean and 95% interval over the stored
 * replications. Read from the stored runs in point order, so it is the
 * same bytes for any number of workers, like the CSV files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "experiment/replicate.h"
#include "experiment/sweep.h"
#include "experiment/sweep_internal.h"
#include "report/experiment_html.h"

enum { MOST_CHARTS = 40 }; /* a Lua model may report hundreds of figures: the first 40 */

/* Point p's replications as a table; SF_OK, or the error of a stored run. */
static int point_table(const sf_sweep *sw, size_t p, sf_rep_table *t)
{
    int rc = SF_OK;

    for (size_t r = 0; r < sw->reps && rc == SF_OK; r++) {
        sf_kpis k;
        sf_kpis_init(&k);
        rc = sf_sweep_load(sw, p * sw->reps + r, &k);
        if (rc == SF_ENOTFOUND) /* a failed run: absent here as in results.csv */
            rc = SF_OK;
        else if (rc == SF_OK)
            rc = sf_rep_table_add(t, &k);
        sf_kpis_free(&k);
    }
    return rc;
}

int sf__sweep_report(const sf_sweep *sw)
{
    size_t np = sf_sweep_points(sw), nk = 0;
    sf_rep_table *tabs = sf_calloc(np ? np : 1, sizeof *tabs);
    sf_xhtml_chart *charts = sf_calloc(MOST_CHARTS, sizeof *charts);
    sf_xhtml_row *rows = sf_calloc(MOST_CHARTS * (np ? np : 1), sizeof *rows);
    char (*labels)[512] = sf_calloc(np ? np : 1, sizeof *labels), (*titles)[256] = sf_calloc(MOST_CHARTS, sizeof *titles);
    char path[4200], fact[512];
    const char *facts[] = {fact, NULL};
    bool any_headline = false;
    int rc = SF_ENOMEM;

    if (!tabs || !charts || !rows || !labels || !titles)
        goto done;
    rc = SF_OK;
    for (size_t p = 0; p < np && rc == SF_OK; p++) {
        size_t len = 0;
        sf_rep_table_init(&tabs[p]);
        rc = point_table(sw, p, &tabs[p]);
        for (size_t v = 0; v < sw->nvars && len < sizeof labels[p]; v++)
            len += (size_t)snprintf(labels[p] + len, sizeof labels[p] - len, "%s%s=%s", v ? ", " : "", sw->vars[v].key,
                                    sf_sweep_value(sw, p, v));
    }
    if (rc != SF_OK || np == 0)
        goto done;
    for (size_t j = 0; j < tabs[0].nkeys; j++)
        any_headline = any_headline || tabs[0].keys[j].headline;
    /* the keys of the first point, found by name in the others (a point may report more or fewer) */
    for (size_t j = 0; j < tabs[0].nkeys && nk < MOST_CHARTS; j++) {
        const sf_rep_key *key = &tabs[0].keys[j];
        sf_xhtml_row *r = &rows[nk * np];
        if (any_headline && !key->headline)
            continue;
        for (size_t p = 0; p < np; p++) {
            long i = sf_rep_table_find(&tabs[p], key->metric, key->entity);
            sf_ci c = i < 0 ? (sf_ci){0, NAN, NAN, NAN} : sf_rep_table_ci(&tabs[p], (size_t)i, 0.95);
            r[p] = (sf_xhtml_row){labels[p], c.mean, c.mean - c.half, c.mean + c.half, NULL, c.n, 0};
        }
        snprintf(titles[nk], sizeof titles[nk], "%s%s%s%s%s%s", key->metric, *key->entity ? " [" : "", key->entity,
                 *key->entity ? "]" : "", *key->unit ? ", " : "", key->unit);
        charts[nk] = (sf_xhtml_chart){titles[nk], titles[nk], r, np, 0};
        nk++;
    }
    snprintf(fact, sizeof fact, "%zu points x %zu replications, common random numbers across points; every chart: "
                                "the mean and its 95%% interval at each point", np, sw->reps);
    snprintf(path, sizeof path, "%s/report.html", sw->out);
    rc = sf_experiment_html_charts(path, "sweep", sw->model, facts, charts, nk);
done:
    for (size_t p = 0; tabs && p < np; p++)
        sf_rep_table_free(&tabs[p]);
    free(tabs);
    free(charts);
    free(rows);
    free(labels);
    free(titles);
    return rc;
}
