/*
 * learning.c: the KPIs of robots that learn (model/skills.h): per fleet
 * entry that learns, its attempts, success rate, retries and rescues over
 * the whole run (experience counts from time 0, warm-up included: what a
 * robot learned then it keeps), and its success rate period by period,
 * the learning curve over time; per fleet entry that is programmed per
 * product variant, its programs, their time on the robot and the first
 * runs that failed (docs/results.md); per fleet entry whose people are
 * called out for crew repairs (model/failures.h), the call-outs and their
 * hours, counted from time 0 like the learning.
 */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "metrics/metrics_internal.h"
#include "model/failures.h"
#include "model/world.h"

/* Period i's row: the success rate of the attempts made in [i period, (i + 1) period), empty without one. */
static int period_row(sf_kpis *out, const char *name, size_t i, uint64_t attempts, uint64_t successes)
{
    char metric[64];

    snprintf(metric, sizeof metric, "learning_success_rate_period_%zu", i);
    return sf_kpis_add(out, metric, name, attempts ? 100.0 * (double)successes / (double)attempts : NAN, "%", false);
}

int sf__metrics_callout_kpis(const sf_metrics *m, size_t type, sf_kpis *out, double *seconds)
{
    sf_failures_callouts c = sf_failures_called_out(m->w ? sf_world_failures(m->w) : NULL, (int)type);
    const char *name = m->cfg->fleet.types[type].name;
    int rc;

    *seconds = sf_time_to_seconds(c.time);
    if (c.repairs == 0)
        return SF_OK;
    if ((rc = sf_kpis_add(out, "callouts", name, (double)c.repairs, "call-outs", false)) != SF_OK)
        return rc;
    return sf_kpis_add(out, "callout_hours", name, *seconds / SF_SECONDS_PER_HOUR, "h", false);
}

int sf__metrics_learning_kpis(const sf_metrics *m, sf_kpis *out)
{
    const sf_skills *k = m->w ? sf_stations_skills(sf_world_stations(m->w)) : NULL;
    int rc = SF_OK;

    for (size_t t = 0; k && t < m->cfg->fleet.n_types && rc == SF_OK; t++) {
        const sf_cfg_agent_type *T = &m->cfg->fleet.types[t];
        sf_skills_counts c = sf_skills_type_counts(k, (int)t);
        if (sf_skills_programmed(k, (int)t) &&
            ((rc = sf_kpis_add(out, "programmings", T->name, (double)c.programmings, "programs", false)) ||
             (rc = sf_kpis_add(out, "programming_time", T->name, c.programming_time / SF_SECONDS_PER_HOUR, "h", false)) ||
             (rc = sf_kpis_add(out, "first_run_failures", T->name, (double)c.first_run_failures, "runs", false))))
            break;
        if (!sf_skills_learns(k, (int)t))
            continue;
        if ((rc = sf_kpis_add(out, "learning_attempts", T->name, (double)c.attempts, "attempts", false)) ||
            (rc = sf_kpis_add(out, "learning_success_rate", T->name,
                              c.attempts ? 100.0 * (double)c.successes / (double)c.attempts : NAN, "%", false)) ||
            (rc = sf_kpis_add(out, "learning_retries", T->name, (double)c.retries, "retries", false)) ||
            (rc = sf_kpis_add(out, "learning_rescues", T->name, (double)c.rescues, "rescues", false)))
            break;
        for (size_t i = 0; i < sf_skills_periods(k, (int)t) && rc == SF_OK; i++) {
            uint64_t a, s;
            sf_skills_period(k, (int)t, i, &a, &s);
            rc = period_row(out, T->name, i, a, s);
        }
    }
    return rc;
}
