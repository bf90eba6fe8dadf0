/*
 * bench_movers.c: vehicles on a warehouse floor, C only.
 *
 * A grid of 40 aisles x 30 nodes (aisles one-way, alternating, capacity
 * 1; three cross aisles two-way, capacity 4) with N forklifts (default
 * 100) making random trips between any two nodes for 7 simulated days,
 * reserving `lookahead` segments ahead (default 1), deadlocks resolved by
 * rerouting. Usage: bench_movers [N [hours [lookahead]]]. Prints
 * simulated hours per wall second and kernel events per second, then a
 * `bench: movers ...` line. Random trips on single-lane aisles are harsher
 * than dispatched warehouse work: at 200 vehicles this grid gridlocks
 * within the first simulated hour, and the run says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kernel.h"
#include "core/rng.h"
#include "model/movers.h"

enum { COLS = 40, ROWS = 30 };

struct bench {
    sf_kernel *k;
    sf_network *net;
    sf_movers *ms;
    sf_rng rng;
    uint32_t nmovers;
    uint64_t trips, waits, deadlocks;
};

static void arrived(void *ctx, uint32_t mover, sf_time now)
{
    struct bench *b = ctx;
    uint32_t n = sf_network_node_count(b->net), to;
    (void)now;
    b->trips++;
    do
        to = (uint32_t)sf_rng_below(&b->rng, n);
    while (to == sf_movers_node(b->ms, mover));
    if (sf_movers_move_to(b->ms, mover, to, sf_rng_below(&b->rng, 2)) != SF_OK)
        sf_kernel_fail(b->k, SF_EINVAL);
}

static void state(void *ctx, uint32_t mover, sf_mover_state s, sf_time now)
{
    (void)mover;
    (void)now;
    if (s == SF_MOVER_WAITING)
        ((struct bench *)ctx)->waits++;
}

static void deadlock(void *ctx, const uint32_t *who, int n, sf_time now)
{
    struct bench *b = ctx;
    (void)who;
    (void)n;
    (void)now;
    b->deadlocks++;
    sf_kernel_stop(b->k);
}

/*
 * Aisles run north-south; odd columns go north, even south (one-way, so
 * no head-on deadlock inside an aisle); cross aisles at the ends and the
 * middle run east-west both ways with capacity 4.
 */
static void build(struct bench *b)
{
    char name[32];
    b->net = sf_network_new();
    for (int c = 0; c < COLS; c++)
        for (int r = 0; r < ROWS; r++) {
            snprintf(name, sizeof name, "c%dr%d", c, r);
            sf_network_add_node(b->net, name, c * 4.0, r * 2.5, NULL);
        }
    for (int c = 0; c < COLS; c++)
        for (int r = 0; r + 1 < ROWS; r++) {
            uint32_t a = (uint32_t)(c * ROWS + r), z = a + 1;
            if (c % 2)
                sf_network_add_segment(b->net, a, z, 0, 2.0, 1, false, NULL);
            else
                sf_network_add_segment(b->net, z, a, 0, 2.0, 1, false, NULL);
        }
    for (int c = 0; c + 1 < COLS; c++) {
        const int cross[] = {0, ROWS / 2, ROWS - 1};
        for (int i = 0; i < 3; i++) {
            uint32_t a = (uint32_t)(c * ROWS + cross[i]), z = (uint32_t)((c + 1) * ROWS + cross[i]);
            sf_network_add_segment(b->net, a, z, 0, INFINITY, 4, true, NULL);
        }
    }
}

int main(int argc, char **argv)
{
    struct bench b;
    sf_movers_hooks hooks = {arrived, state, deadlock, NULL, NULL, &b};
    const sf_mover_spec forklift = {2.2, 1.6, 0.5, 0.8, false, 0, 0, false, 0, 0};
    sf_time horizon = 7 * SF_DAY;
    struct timespec t0, t1;
    double wall, sim_hours;
    int rc;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || atoi(argv[1]) <= 0)) {
        printf("usage: bench_movers [forklifts (>= 1, default 100) [hours (default 168) [reps]]]\n"
               "Forklifts on a 1,200-node grid for a week of trips; prints trips, waits, events per second.\n");
        return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : 2;
    }
    memset(&b, 0, sizeof b);
    b.nmovers = argc > 1 ? (uint32_t)atoi(argv[1]) : 100;
    if (argc > 2)
        horizon = (sf_time)atoll(argv[2]) * SF_HOUR;
    b.k = sf_kernel_new();
    build(&b);
    b.ms = sf_movers_new(b.k, b.net, b.nmovers, argc > 3 ? atoi(argv[3]) : 1, hooks);
    sf_movers_set_deadlock_policy(b.ms, SF_DEADLOCK_REROUTE);
    sf_rng_init(&b.rng, 1, "trips");
    for (uint32_t m = 0; m < b.nmovers; m++) {
        uint32_t node = (m * 7) % sf_network_node_count(b.net);
        sf_movers_place(b.ms, m, node, &forklift);
    }
    for (uint32_t m = 0; m < b.nmovers; m++)
        arrived(&b, m, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = sf_kernel_run_until(b.k, horizon);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    sim_hours = sf_time_to_seconds(sf_kernel_now(b.k)) / 3600;
    printf("movers: %u forklifts, %u nodes, %u segments, %.1f simulated hours%s%s\n", b.nmovers,
           sf_network_node_count(b.net), sf_network_segment_count(b.net), sim_hours,
           rc == SF_ESTOPPED ? " (stopped by a deadlock)" : "", rc != SF_OK && rc != SF_ESTOPPED ? sf_strerror(rc) : "");
    printf("  trips %llu, waits for a segment %llu, events %llu\n", (unsigned long long)b.trips,
           (unsigned long long)b.waits, (unsigned long long)sf_kernel_events(b.k));
    printf("  wall %.3f s: %.0f simulated hours per second, %.0f events per second\n", wall, sim_hours / wall,
           (double)sf_kernel_events(b.k) / wall);
    printf("bench: movers vehicles=%u sim_hours=%.1f wall_s=%.3f sim_hours_per_s=%.1f events_per_s=%.0f "
           "trips=%llu deadlocks=%llu\n",
           b.nmovers, sim_hours, wall, sim_hours / wall, (double)sf_kernel_events(b.k) / wall,
           (unsigned long long)b.trips, (unsigned long long)b.deadlocks);
    sf_movers_free(b.ms);
    sf_network_free(b.net);
    sf_kernel_free(b.k);
    return rc == SF_OK ? 0 : 1;
}
