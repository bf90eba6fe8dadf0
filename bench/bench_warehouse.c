/*
 * bench_warehouse.c: the whole material-flow model at speed.
 *
 * bench/data/warehouse_200.yaml (written by tools/gen_warehouse.py 200):
 * 200 forklifts, 50 racks of 200 cells (10,000 cells), a one-way ring
 * road with spurs to the racks, four inbound and four outbound docks,
 * chargers; the default Lua behaviours (scripts/plant.lua, dispatch.lua,
 * forklift.lua) run it for 7 simulated days, headless. Prints simulated
 * hours per wall second and kernel events per second, then a
 * `bench: warehouse ...` line. Usage: bench_warehouse [SCENARIO [HOURS]].
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

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : SF_SOURCE_DIR "/bench/data/warehouse_200.yaml";
    sf_diags d;
    sf_scenario_config *cfg;
    sf_kernel *k;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: bench_warehouse [SCENARIO.yaml (default bench/data/warehouse_200.yaml) [hours]]\n"
               "Runs the warehouse scenario with its Lua behaviours; prints events per second.\n");
        return 0;
    }
    k = sf_kernel_new();
    sf_script_options opt = {0};
    sf_script *S;
    sf_world *w;
    sf_world_hooks hooks;
    struct timespec t0, t1;
    sf_time until;
    char err[1024];
    double wall, hours;
    int rc;

    sf_diags_init(&d);
    if (!(cfg = sf_scenario_load(path, NULL, 0, &d))) {
        sf_diags_print(&d, stderr);
        return 1;
    }
    sf_diags_close(&d);
    until = argc > 2 ? (sf_time)atoll(argv[2]) * SF_HOUR : cfg->scenario.horizon;
    opt.seed = cfg->scenario.seed;
    opt.scripts_dir = SF_SOURCE_DIR "/scripts";
    S = sf_script_new(k, &opt);
    hooks = (sf_world_hooks){sf_script_world_done, sf_script_world_deadlock, S};
    if (!(w = sf_world_new(k, cfg, hooks, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (sf_script_attach_world(S, w) != SF_OK || sf_script_load_string(S, "require('plant').start()", "=plant") != SF_OK) {
        fprintf(stderr, "%s\n", sf_script_error(S));
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = sf_script_run(S, until);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != SF_OK) {
        fprintf(stderr, "%s\n", sf_script_error(S));
        return 1;
    }
    wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    hours = sf_time_to_seconds(sf_kernel_now(k)) / 3600;
    printf("warehouse: %u agents, %.0f simulated hours in %.2f s wall\n", sf_world_agent_count(w), hours, wall);
    printf("  %.1f simulated hours per second, %.0f kernel events per second (%llu events)\n", hours / wall,
           (double)sf_kernel_events(k) / wall, (unsigned long long)sf_kernel_events(k));
    printf("bench: warehouse agents=%u sim_hours=%.0f wall_s=%.3f sim_hours_per_s=%.2f events_per_s=%.0f "
           "events=%llu\n",
           sf_world_agent_count(w), hours, wall, hours / wall, (double)sf_kernel_events(k) / wall,
           (unsigned long long)sf_kernel_events(k));
    sf_script_free(S);
    sf_world_free(w);
    sf_scenario_config_free(cfg);
    sf_kernel_free(k);
    return 0;
}
