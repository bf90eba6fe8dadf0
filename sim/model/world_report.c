/*
 * world_report.c: the world's tables for people: the agent and station
 * table of `shopfloor run`, and one waiting agent of a traffic deadlock.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "model/world_int.h"

static const char *agent_name(void *ctx, uint32_t agent)
{
    sf_world *w = ctx;
    return agent < w->nagents ? w->agents[agent].name : "?";
}

int sf_world_report(sf_world *w, FILE *out)
{
    const sf_cfg_fleet *F = &w->cfg->fleet;
    sf_time now = sf_kernel_now(w->k);
    uint32_t id = 0;

    sf_world_settle(w, now);
    fprintf(out, "%-14s %5s %7s %8s %6s %10s %8s %8s %8s %8s %5s %5s\n", "agent type", "count", "trips", "km",
            "picks", "kWh moving", "kWh lift", "kWh idle", "kWh used", "kWh grid", "flat", "fails");
    for (size_t t = 0; t < F->n_types; t++) {
        double km = 0, e[SF_POWER_STATES] = {0}, used = 0, grid = 0;
        uint64_t trips = 0, picks = 0, flat = 0, fails = 0;
        for (int c = 0; c < F->types[t].count; c++, id++) {
            const sf_agent *a = &w->agents[id];
            if (a->mover != SF_NO_AGENT)
                km += sf_movers_distance(w->movers, a->mover, now) / 1000;
            for (int s = 0; s < SF_POWER_STATES; s++) {
                e[s] += a->meter.energy[s] / 3.6e6;
                if (s != SF_POWER_CHARGING) /* charging is grid energy into the battery, not use */
                    used += a->meter.energy[s] / 3.6e6;
            }
            grid += a->meter.grid / 3.6e6;
            trips += a->trips;
            picks += a->picks;
            flat += a->flat_incidents;
            fails += sf_failures_count(w->failures, SF_ENTITY_AGENT, id);
        }
        if (w->packs[t].n > 0) /* a fleet entry that swaps: its spare packs draw from the grid, not its agents */
            grid += sf_packs_drawn(&w->packs[t], now) / 3.6e6;
        fprintf(out, "%-14.14s %5d %7llu %8.2f %6llu %10.3f %8.3f %8.3f %8.3f %8.3f %5llu %5llu\n", F->types[t].name,
                F->types[t].count, (unsigned long long)trips, km, (unsigned long long)picks,
                e[SF_POWER_MOVING] + e[SF_POWER_MOVING_LOADED], e[SF_POWER_LIFTING], e[SF_POWER_IDLE], used, grid,
                (unsigned long long)flat, (unsigned long long)fails);
    }
    /* production: jobs, then per station the share of time in each state */
    if (w->stations && sf_stations_count(w->stations) > 0) {
        sf_job_counts c = sf_stations_counts(w->stations);
        static const sf_state shown[] = {SF_STATE_WORKING, SF_STATE_SETUP, SF_STATE_BLOCKED, SF_STATE_STARVED,
                                         SF_STATE_WAIT_PERSON, SF_STATE_WAIT_ROBOT, SF_STATE_FAILED,
                                         SF_STATE_WAIT_TRANSPORT}; /* last: the columns before keep their places */
        double total = sf_time_to_seconds(now);
        fprintf(out, "\njobs: %llu released, %llu completed, %llu scrapped, %llu in progress, %llu reworked\n",
                (unsigned long long)c.released, (unsigned long long)c.completed, (unsigned long long)c.scrapped,
                (unsigned long long)c.in_progress, (unsigned long long)c.reworked);
        fprintf(out, "\n%-14s %6s %5s", "station", "ops", "fails");
        for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
            fprintf(out, " %7.7s%%", sf_state_name(shown[i]));
        fprintf(out, " %8s\n", "kWh");
        for (uint32_t i = 0; i < sf_stations_count(w->stations); i++) {
            fprintf(out, "%-14.14s %6llu %5llu", w->cfg->layout.stations[i].name,
                    (unsigned long long)sf_stations_ops(w->stations, i),
                    (unsigned long long)sf_failures_count(w->failures, SF_ENTITY_STATION, i));
            for (size_t k = 0; k < sizeof shown / sizeof *shown; k++)
                fprintf(out, " %8.1f", total > 0 ? 100 * sf_stations_time_in(w->stations, i, shown[k], now) / total : 0);
            fprintf(out, " %8.3f\n", sf_meter_total(sf_stations_meter(w->stations, i), now) / 3.6e6);
        }
    }
    /* collaboration safety: a table per robot (nothing without robots) */
    if (w->safety && sf_safety_report(w->safety, out, now, agent_name, w) != SF_OK)
        return SF_EIO;
    /* where vehicles waited for each other: the five segments with the most waiting */
    {
        enum { TOP = 5 };
        uint32_t top[TOP], ntop = 0, nsegs = sf_network_segment_count(w->net);
        double wait[TOP];
        sf_traffic *t = sf_movers_traffic(w->movers);
        for (uint32_t sg = 0; sg < nsegs; sg++) {
            double c = sf_traffic_congestion(t, sg, now);
            uint32_t i;
            if (!(c > 0))
                continue;
            for (i = ntop < TOP ? ntop++ : TOP; i > 0 && wait[i - 1] < c; i--)
                if (i < TOP) {
                    top[i] = top[i - 1];
                    wait[i] = wait[i - 1];
                }
            if (i < TOP) {
                top[i] = sg;
                wait[i] = c;
            }
        }
        if (ntop > 0) {
            fprintf(out, "\n%-36s %14s\n", "segments vehicles waited for", "waiting (h)");
            for (uint32_t i = 0; i < ntop; i++) {
                const sf_segment *g = sf_network_segment(w->net, top[i]);
                char name[80];
                snprintf(name, sizeof name, "%s - %s", sf_network_node(w->net, g->from)->name,
                         sf_network_node(w->net, g->to)->name);
                fprintf(out, "%-36.36s %14.3f\n", name, wait[i] / 3600);
            }
        }
    }
    return ferror(out) ? SF_EIO : SF_OK;
}

/* "from-to" of segment `seg`, by its nodes' names, appended at buf + len (bounded by n). */
static size_t put_segment(const sf_world *w, uint32_t seg, char *buf, size_t len, size_t n)
{
    const sf_segment *s = sf_network_segment(w->net, seg);
    int k;

    if (len >= n)
        return len;
    k = snprintf(buf + len, n - len, "%s-%s", sf_network_node(w->net, s->from)->name,
                 sf_network_node(w->net, s->to)->name);
    return k < 0 ? len : len + (size_t)k;
}

static size_t put(char *buf, size_t len, size_t n, const char *text)
{
    int k;

    if (len >= n)
        return len;
    k = snprintf(buf + len, n - len, "%s", text);
    return k < 0 ? len : len + (size_t)k;
}

/*
 * One agent waiting in traffic, for a deadlock report: its node, since
 * when it waits, the path segments it holds (in segment order) and the
 * one it waits for with who holds that one. O(segments) for the holding.
 */
int sf_world_describe_wait(sf_world *w, uint32_t agent, char *buf, size_t n)
{
    const sf_agent *a;
    sf_traffic *t;
    uint32_t held[32], who[16], want;
    sf_time since;
    char when[48];
    size_t len;
    int nh, nw, k;

    if (!buf || n == 0 || agent >= w->nagents || (a = &w->agents[agent])->mover == SF_NO_AGENT)
        return SF_EINVAL;
    t = sf_movers_traffic(w->movers);
    want = sf_traffic_waiting_for(t, a->mover, &since);
    sf_time_format(since, when, sizeof when);
    k = snprintf(buf, n, "'%s' at node '%s' since %s: holds ", a->name,
                 sf_network_node(w->net, sf_movers_node(w->movers, a->mover))->name, when);
    len = k < 0 ? 0 : (size_t)k;
    nh = sf_traffic_held(t, a->mover, held, 32);
    for (int i = 0; i < nh && i < 32; i++) {
        len = i ? put(buf, len, n, ", ") : len;
        len = put_segment(w, held[i], buf, len, n);
    }
    len = put(buf, len, n, nh == 0 ? "nothing" : nh > 32 ? ", ..." : "");
    if (want == UINT32_MAX)
        return (int)put(buf, len, n, "; waits for no segment");
    len = put(buf, len, n, "; wants ");
    len = put_segment(w, want, buf, len, n);
    nw = sf_traffic_holders(t, want, who, 16);
    for (int i = 0; i < nw && i < 16; i++) {
        len = put(buf, len, n, i ? ", '" : " (held by '");
        len = put(buf, len, n, w->agents[w->agent_of_mover[who[i]]].name);
        len = put(buf, len, n, "'");
    }
    return (int)put(buf, len, n, nw > 0 ? ")" : "");
}
