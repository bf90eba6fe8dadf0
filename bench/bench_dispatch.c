/*
 * bench_dispatch.c: what one dispatch decision costs, as the backlog and
 * the fleet grow.
 *
 * The warehouse of bench/data/warehouse_200.yaml with F forklifts (F = 50,
 * 200, 1000) and the real scripts/dispatch.lua: B transport tasks wait
 * (B = 10 to 10,000, picked up at the 50 rack places), then K times a
 * random forklift takes the task the "nearest" rule gives it and a new
 * task arrives, so the backlog stays B. The cost of a decision is the
 * wall time from the first decision (at t = 1 s, the backlog made) to the
 * last, over K.
 * The same decisions with the rule given as a list rule (a pass over the
 * whole backlog per decision, as every rule was before) are the baseline.
 *
 * Prints "bench: dispatch ..." lines and, per fleet, the cost at the
 * largest backlog over the cost at the smallest (the target: at most 1.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kernel.h"
#include "model/world.h"
#include "scenario/scenario.h"
#include "script/script.h"

static const char *driver =
    "local dispatch = require('dispatch')\n"
    "local nearest = dispatch.rules.nearest\n"
    "local rule = LIST and {vehicle = nearest.vehicle, task = function(a, p) return nearest.task(a, p) end}\n"
    "  or 'nearest'\n"
    "local d = dispatch.new(rule)\n"
    "local agents = shop.agents()\n"
    "local r = sim.rng('bench')\n"
    "local function task() return {kind = 'move', from = 'rack_node_' .. r:integer(0, 49), to = 'charge_node'} end\n"
    "for i = 1, BACKLOG do d:submit(task()) end\n"
    "sim.wait(1) -- the clock starts here\n"
    "for k = 1, DECISIONS do\n"
    "  assert(d:try_task(agents[r:integer(1, #agents)]))\n"
    "  d:submit(task())\n"
    "  if k % 500 == 0 then sim.wait(0) end\n"
    "end\n";

/* Wall seconds of the decisions of one run of the driver. */
static double run(int fleet, int backlog, int decisions, int list)
{
    char set[64], src[2048], err[1024];
    const char *sets[] = {set};
    sf_diags d;
    sf_scenario_config *cfg;
    sf_kernel *k = sf_kernel_new();
    sf_script_options opt = {.seed = 1, .scripts_dir = SF_SOURCE_DIR "/scripts", .budget = 1000000000000ull};
    sf_script *S;
    sf_world *w;
    struct timespec t0, t1;

    snprintf(set, sizeof set, "fleet.0.count=%d", fleet);
    sf_diags_init(&d);
    if (!(cfg = sf_scenario_load(SF_SOURCE_DIR "/bench/data/warehouse_200.yaml", sets, 1, &d))) {
        sf_diags_print(&d, stderr);
        exit(1);
    }
    sf_diags_close(&d);
    S = sf_script_new(k, &opt);
    if (!(w = sf_world_new(k, cfg, (sf_world_hooks){sf_script_world_done, sf_script_world_deadlock, S}, err,
                           sizeof err))) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    snprintf(src, sizeof src, "LIST = %s\nBACKLOG = %d\nDECISIONS = %d\n%s", list ? "true" : "false", backlog,
             decisions, driver);
    if (sf_script_attach_world(S, w) != SF_OK || sf_script_load_string(S, src, "=bench_dispatch") != SF_OK ||
        sf_script_run(S, SF_SECOND / 2) != SF_OK) {
        fprintf(stderr, "%s\n", sf_script_error(S));
        exit(1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sf_script_run(S, SF_HOUR) != SF_OK) {
        fprintf(stderr, "%s\n", sf_script_error(S));
        exit(1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sf_script_free(S);
    sf_world_free(w);
    sf_scenario_config_free(cfg);
    sf_kernel_free(k);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
}

/* Microseconds per decision: the best of 3 runs, against the noise of a loaded machine. */
static double per_decision(int fleet, int backlog, int decisions, int list)
{
    double best = 1e30;

    for (int rep = 0; rep < 3; rep++) {
        double t = run(fleet, backlog, decisions, list) / decisions * 1e6;
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    static const int fleets[] = {50, 200, 1000}, backlogs[] = {10, 100, 1000, 10000};
    int decisions = 4000;

    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || atoi(argv[1]) <= 0) {
            printf("usage: bench_dispatch [decisions per point (default 4000)]\n"
                   "The cost of a dispatch decision of scripts/dispatch.lua for backlogs of 10 to 10,000 tasks and\n"
                   "fleets of 50 to 1,000 forklifts; prints 'bench: dispatch' lines.\n");
            return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : 2;
        }
        decisions = atoi(argv[1]);
    }
    for (size_t f = 0; f < sizeof fleets / sizeof fleets[0]; f++) {
        double first = 0, last = 0;
        for (size_t b = 0; b < sizeof backlogs / sizeof backlogs[0]; b++) {
            double us = per_decision(fleets[f], backlogs[b], decisions, 0);
            if (b == 0)
                first = us;
            last = us;
            printf("bench: dispatch fleet=%d backlog=%d us_per_decision=%.2f", fleets[f], backlogs[b], us);
            /* the list rule at the smallest fleet only: its cost does not depend on the fleet */
            if (f == 0)
                printf(" list_rule_us_per_decision=%.2f",
                       per_decision(fleets[f], backlogs[b], backlogs[b] > 1000 ? decisions / 10 : decisions, 1));
            printf("\n");
        }
        printf("bench: dispatch fleet=%d backlog_10000_over_10=%.2f (target <= 1.5)\n", fleets[f], last / first);
    }
    return 0;
}
