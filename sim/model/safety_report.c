/*
 * safety_report.c: the safety table of a run (sf_safety_report): one line
 * per robot, and for the robots an intervention switched, one line per
 * mode they worked in.
 */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "model/safety_int.h"

static const char *const modes[] = {"fenced", "ssm", "pfl"};

/* The working time, slowed and stopped shares, work lost and violations of each mode a switched robot worked in. */
static void by_mode(sf_safety *s, FILE *out, sf_time now, const char *(*name)(void *ctx, uint32_t agent), void *ctx)
{
    bool header = false;

    for (uint32_t i = 0; i < s->nrobots; i++) {
        sf_safety_stats st = sf_safety_robot_stats(s, s->robots[i].agent, now);
        if (!st.switched)
            continue;
        if (!header)
            fprintf(out, "\n%-16s %-6s %9s %8s %8s %7s %10s %8s\n", "robot", "in", "working_h", "reduced%", "stopped%",
                    "lost%", "violations", "viol_h");
        header = true;
        for (int m = 0; m < 3; m++) {
            const sf_safety_mode_stats *b = &st.by_mode[m];
            double work = sf_time_to_seconds(b->working), share = work > 0 ? 100 / work : 0;
            if (b->working == 0 && b->violations == 0)
                continue;
            fprintf(out, "%-16.16s %-6s %9.2f %8.1f %8.1f %7.1f %10llu %8.2f\n", name ? name(ctx, s->robots[i].agent) : "?",
                    modes[m], work / 3600, sf_time_to_seconds(b->reduced) * share, sf_time_to_seconds(b->stopped) * share,
                    b->lost * share, (unsigned long long)b->violations, sf_time_to_seconds(b->violation_time) / 3600);
        }
    }
}

int sf_safety_report(sf_safety *s, FILE *out, sf_time now, const char *(*name)(void *ctx, uint32_t agent),
                     void *ctx)
{
    if (s->nrobots == 0)
        return SF_OK;
    fprintf(out, "\n%-16s %-6s %-6s %9s %8s %8s %6s %6s %9s %7s %6s %8s\n", "robot", "mode", "rule", "working_h", "reduced%",
            "stopped%", "stops", "near", "min_sep_m", "lost%", "waits", "waited_h");
    for (uint32_t i = 0; i < s->nrobots; i++) {
        sf_safety_stats st = sf_safety_robot_stats(s, s->robots[i].agent, now);
        double work = sf_time_to_seconds(st.working), share = work > 0 ? 100 / work : 0;
        char sep[32];
        if (isinf(st.min_separation))
            snprintf(sep, sizeof sep, "-");
        else
            snprintf(sep, sizeof sep, "%.2f", st.min_separation);
        fprintf(out, "%-16.16s %-6s %-6s %9.2f %8.1f %8.1f %6llu %6llu %9s %7.1f %6llu %8.2f\n",
                name ? name(ctx, s->robots[i].agent) : "?", modes[st.mode], modes[st.rule], work / 3600,
                sf_time_to_seconds(st.reduced) * share, sf_time_to_seconds(st.stopped) * share,
                (unsigned long long)st.stops, (unsigned long long)st.near_misses, sep, st.lost * share,
                (unsigned long long)st.waits, sf_time_to_seconds(st.waited) / 3600);
    }
    by_mode(s, out, now, name, ctx);
    return ferror(out) ? SF_EIO : SF_OK;
}
