/*
 * Movers on the network: travel times against hand calculation, the
 * reservation rule checked on every event of a busy run, waiting and
 * congestion, a constructed deadlock, and speed caps changing mid-trip.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/kernel.h"
#include "core/rng.h"
#include "model/movers.h"

#define S(x) ((sf_time)llround((x) * 1e9))

struct world {
    sf_kernel *k;
    sf_network *net;
    sf_movers *ms;
    sf_time arrived_at[64];
    int arrivals[64];
    uint32_t deadlocked[64];
    int ndeadlocked;
    sf_time deadlock_at;
    int waits;
    sf_rng rng;
    bool random_trips;
    int trips_left;
};

static void on_arrived(void *ctx, uint32_t mover, sf_time now)
{
    struct world *w = ctx;
    w->arrived_at[mover] = now;
    w->arrivals[mover]++;
    if (w->random_trips && w->trips_left-- > 0) {
        uint32_t n = sf_network_node_count(w->net), to;
        do
            to = (uint32_t)sf_rng_below(&w->rng, n);
        while (to == sf_movers_node(w->ms, mover) && n > 1);
        assert_int_equal(sf_movers_move_to(w->ms, mover, to, sf_rng_below(&w->rng, 2)), SF_OK);
    }
}

static void on_state(void *ctx, uint32_t mover, sf_mover_state s, sf_time now)
{
    struct world *w = ctx;
    (void)mover;
    (void)now;
    if (s == SF_MOVER_WAITING)
        w->waits++;
}

static void on_deadlock(void *ctx, const uint32_t *who, int n, sf_time now)
{
    struct world *w = ctx;
    memcpy(w->deadlocked, who, (size_t)n * sizeof *who);
    w->ndeadlocked = n;
    w->deadlock_at = now;
    sf_kernel_stop(w->k);
}

/* A line of nodes n0 - n1 - ... with segments of the given lengths. */
static void line(struct world *w, const double *len, int nseg, int capacity, bool two_way)
{
    char name[16];
    double x = 0;
    memset(w, 0, sizeof *w);
    w->k = sf_kernel_new();
    w->net = sf_network_new();
    for (int i = 0; i <= nseg; i++) {
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(sf_network_add_node(w->net, name, x, 0, NULL), SF_OK);
        if (i < nseg)
            x += len[i];
    }
    for (int i = 0; i < nseg; i++)
        assert_int_equal(sf_network_add_segment(w->net, (uint32_t)i, (uint32_t)i + 1, 0, INFINITY, capacity, two_way,
                                                NULL),
                         SF_OK);
}

/* A dead-end spur from `node`, making it a junction (a node with other than two segments). */
static void spur(struct world *w, uint32_t node)
{
    char name[16];
    uint32_t id;
    const sf_node *n = sf_network_node(w->net, node);
    snprintf(name, sizeof name, "spur%u", node);
    assert_int_equal(sf_network_add_node(w->net, name, n->x, n->y + 5, &id), SF_OK);
    assert_int_equal(sf_network_add_segment(w->net, node, id, 0, INFINITY, 1, true, NULL), SF_OK);
}

static void start(struct world *w, uint32_t nmovers, int lookahead)
{
    sf_movers_hooks hooks = {on_arrived, on_state, on_deadlock, NULL, NULL, w};
    w->ms = sf_movers_new(w->k, w->net, nmovers, lookahead, hooks);
    assert_non_null(w->ms);
}

static void finish(struct world *w)
{
    sf_movers_free(w->ms);
    sf_network_free(w->net);
    sf_kernel_free(w->k);
}

static const sf_mover_spec spec = {2, 1, 1, 1, false, 0, 0, false, 0, 0};

static void test_movers_travel_time_includes_acceleration(void **state)
{
    struct world w;
    const double len[] = {5, 5};
    double x, y, v;
    (void)state;
    line(&w, len, 2, 1, true);
    start(&w, 1, 3);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    /* 10 m with both segments reserved: 2 s up, 3 s at 2 m/s, 2 s down */
    sf_movers_position(w.ms, 0, S(3), &x, &y, &v);
    assert_true(fabs(x - 4) < 1e-9 && fabs(v - 2) < 1e-9);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(7));
    assert_int_equal(sf_movers_node(w.ms, 0), 2);
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(7)) - 10) < 1e-9);
    /* loaded, back: 1 m/s top speed: 1 s up (0.5 m), 9 s cruise, 1 s down (0.5 m) */
    assert_int_equal(sf_movers_move_to(w.ms, 0, 0, true), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(18));
    finish(&w);
}

static void test_movers_with_lookahead_one_stop_at_every_junction(void **state)
{
    struct world w;
    const double len[] = {5, 5};
    (void)state;
    line(&w, len, 2, 1, true);
    spur(&w, 1);
    start(&w, 1, 1);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    /* each 5 m: 2 s up (2 m), 0.5 s at 2 m/s (1 m), 2 s down (2 m) */
    assert_int_equal(w.arrived_at[0], S(9));
    finish(&w);
}

static void test_movers_a_trip_to_where_it_stands_arrives_from_an_event(void **state)
{
    struct world w;
    const double len[] = {5};
    (void)state;
    line(&w, len, 1, 1, true);
    start(&w, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 1, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(w.arrivals[0], 0); /* not from inside the call */
    assert_int_equal(sf_movers_move_to(w.ms, 0, 0, false), SF_EINVAL); /* busy until then */
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrivals[0], 1);
    assert_int_equal(w.arrived_at[0], 0);
    finish(&w);
}

static void test_movers_unreachable_destinations_are_refused(void **state)
{
    struct world w;
    const double len[] = {5};
    (void)state;
    line(&w, len, 1, 1, false);
    start(&w, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 1, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 0, false), SF_ENOTFOUND);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_IDLE);
    finish(&w);
}

/* Two movers in the same direction: the follower waits its turn, and the wait is recorded. */
static void test_movers_follower_waits_and_congestion_is_recorded(void **state)
{
    struct world w;
    const double len[] = {10};
    (void)state;
    line(&w, len, 1, 1, true);
    assert_int_equal(sf_network_add_node(w.net, "side", -5, 0, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 2, 0, 0, INFINITY, 2, true, NULL), SF_OK);
    spur(&w, 0);
    start(&w, 2, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 2, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK); /* 10 m: 7 s */
    assert_int_equal(sf_movers_move_to(w.ms, 1, 1, false), SF_OK); /* 5 m to n0, then waits for n0-n1 */
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(7));
    /* mover 1 cannot reserve n0-n1 (mover 0 holds it), so it plans to stop at n0: 5 m in 4.5 s,
     * then waits there, holding side-n0, until mover 0 arrives at 7 s */
    assert_true(w.waits >= 1);
    /* it starts from rest at n0 at 7 s and covers 10 m in 7 s */
    assert_int_equal(w.arrived_at[1], S(14));
    assert_true(fabs(sf_traffic_congestion(sf_movers_traffic(w.ms), 0, S(14)) - 2.5) < 1e-9);
    finish(&w);
}

/* A corridor (no junction between its ends) is reserved whole: head-on movers take turns, no deadlock. */
static void test_movers_take_corridors_whole(void **state)
{
    struct world w;
    const double len[] = {10, 10};
    (void)state;
    line(&w, len, 2, 1, true);
    start(&w, 2, 1);
    sf_movers_set_corridors(w.ms, true);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 2, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 1, 0, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.ndeadlocked, 0);
    /* 20 m: 2 s up, 8 s at 2 m/s, 2 s down; the other waits at its end, then the same */
    assert_int_equal(w.arrived_at[0], S(12));
    assert_int_equal(w.arrived_at[1], S(24));
    finish(&w);
}

/* Head-on on a single lane with a junction between: each holds what the other needs. */
static void test_movers_head_on_deadlock_is_detected_and_reported(void **state)
{
    struct world w;
    const double len[] = {10, 10};
    sf_time since;
    (void)state;
    line(&w, len, 2, 1, true);
    spur(&w, 1);
    start(&w, 2, 1);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 2, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 1, 0, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_ESTOPPED);
    assert_int_equal(w.ndeadlocked, 2);
    assert_int_equal(w.deadlocked[0], 0);
    assert_int_equal(w.deadlocked[1], 1);
    assert_int_equal(w.deadlock_at, S(7)); /* both reach n1 after 7 s */
    assert_int_equal(sf_traffic_waiting_for(sf_movers_traffic(w.ms), 0, &since), 1);
    assert_int_equal(since, S(7));
    assert_int_equal(sf_movers_node(w.ms, 0), 1);
    finish(&w);

    /* with the REROUTE policy there is no other way on a line: still reported */
    line(&w, len, 2, 1, true);
    spur(&w, 1);
    start(&w, 2, 1);
    sf_movers_set_deadlock_policy(w.ms, SF_DEADLOCK_REROUTE);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 2, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 1, 0, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_ESTOPPED);
    assert_int_equal(w.ndeadlocked, 2);
    finish(&w);
}

/* The same kind of head-on meeting, but with a way round: the policy REROUTE resolves it. */
static void test_movers_reroute_policy_backs_out_and_goes_round(void **state)
{
    struct world w;
    (void)state;
    memset(&w, 0, sizeof w);
    w.k = sf_kernel_new();
    w.net = sf_network_new();
    /* a - b - c along a line, and d above b joined to a and c: the way round is longer */
    assert_int_equal(sf_network_add_node(w.net, "a", 0, 0, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(w.net, "b", 10, 0, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(w.net, "c", 20, 0, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(w.net, "d", 10, 10, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 0, 1, 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 1, 2, 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 2, 3, 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 3, 0, 0, INFINITY, 1, true, NULL), SF_OK);
    spur(&w, 1);
    start(&w, 2, 1);
    sf_movers_set_deadlock_policy(w.ms, SF_DEADLOCK_REROUTE);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 2, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 1, 0, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.ndeadlocked, 0);
    assert_int_equal(sf_movers_reroutes(w.ms), 1);
    assert_int_equal(w.arrivals[0], 1);
    assert_int_equal(w.arrivals[1], 1);
    assert_int_equal(sf_movers_node(w.ms, 0), 2);
    assert_int_equal(sf_movers_node(w.ms, 1), 0);
    /* mover 1 backed out to c and went round by d: 10 m back, then 2 x sqrt(200) m */
    assert_true(fabs(sf_movers_distance(w.ms, 1, w.arrived_at[1]) - (10 + 10 + 2 * sqrt(200))) < 1e-6);
    finish(&w);
}

/* Speed cap lowered mid-trip: brake from 2 to 0.5 m/s, cruise, stop; times by hand. */
static void test_movers_speed_cap_mid_trip_replans_exactly(void **state)
{
    struct world w;
    const double len[] = {100};
    (void)state;
    line(&w, len, 1, 1, true);
    start(&w, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &spec), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK); /* at 38 m, 2 m/s */
    assert_int_equal(sf_movers_set_cap(w.ms, 0, 0.5), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    /* 1.5 s braking over 1.875 m, 120 s for 60 m, 0.5 s stopping over 0.125 m */
    assert_int_equal(w.arrived_at[0], S(142));
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(142)) - 100) < 1e-6);
    finish(&w);
}

/*
 * A busy one-way ring, random trips: after every event no segment holds
 * more movers than its capacity, and every moving mover holds the segment
 * it is on.
 */
static struct world *checked;

static void check_invariants(void *ctx, const sf_event *ev, const char *name)
{
    struct world *w = checked;
    sf_traffic *t = sf_movers_traffic(w->ms);
    (void)ctx;
    (void)ev;
    (void)name;
    for (uint32_t s = 0; s < sf_network_segment_count(w->net); s++)
        assert_true(sf_traffic_occupancy(t, s) <= sf_network_segment(w->net, s)->capacity);
    for (uint32_t m = 0; m < 10; m++) {
        double x, y, v;
        sf_movers_position(w->ms, m, sf_kernel_now(w->k), &x, &y, &v);
        assert_true(v <= spec.vmax_empty + 1e-9);
        assert_true(x >= -1e-9 && x <= 31 && y >= -1e-9 && y <= 11);
    }
}

static void test_movers_never_share_a_capacity_one_segment(void **state)
{
    struct world w;
    char name[16];
    uint32_t total = 0;
    (void)state;
    memset(&w, 0, sizeof w);
    w.k = sf_kernel_new();
    w.net = sf_network_new();
    /* a 30 x 10 m rectangle of 8 nodes, one-way, plus a two-way shortcut of capacity 2 */
    const double xy[][2] = {{0, 0}, {10, 0}, {20, 0}, {30, 0}, {30, 10}, {20, 10}, {10, 10}, {0, 10}};
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "r%d", i);
        assert_int_equal(sf_network_add_node(w.net, name, xy[i][0], xy[i][1], NULL), SF_OK);
    }
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(sf_network_add_segment(w.net, i, (i + 1) % 8, 0, i == 3 ? 1.0 : INFINITY, 1, false, NULL),
                         SF_OK);
    assert_int_equal(sf_network_add_segment(w.net, 1, 6, 0, INFINITY, 2, false, NULL), SF_OK);
    start(&w, 10, 1);
    sf_rng_init(&w.rng, 11, "trips");
    w.random_trips = true;
    w.trips_left = 400;
    for (uint32_t m = 0; m < 5; m++) /* five movers on a ring of eight nodes */
        assert_int_equal(sf_movers_place(w.ms, m, m, &spec), SF_OK);
    checked = &w;
    sf_kernel_set_trace(w.k, check_invariants, NULL);
    for (uint32_t m = 0; m < 5; m++)
        assert_int_equal(sf_movers_move_to(w.ms, m, (m + 3) % 8, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    for (int m = 0; m < 5; m++)
        total += (uint32_t)w.arrivals[m];
    assert_int_equal(total, 405); /* every trip ended: no deadlock, nobody lost */
    assert_int_equal(w.ndeadlocked, 0);
    assert_true(w.waits > 0); /* and they did get in each other's way */
    finish(&w);
}

/* A person crossing a shared zone: entry and exit from geometry, vehicles slowed while inside. */
struct crossing {
    sf_time when[4];
    bool in[4];
    uint32_t who[4];
    int n;
    sf_time arrived[2];
};

static void zone_seen(void *ctx, uint32_t mover, uint32_t zone, bool inside, sf_time now)
{
    struct crossing *c = ctx;
    (void)zone;
    if (c->n < 4) {
        c->when[c->n] = now;
        c->in[c->n] = inside;
        c->who[c->n] = mover;
    }
    c->n++;
}

static void zone_arrived(void *ctx, uint32_t mover, sf_time now)
{
    ((struct crossing *)ctx)->arrived[mover] = now;
}

static void test_movers_people_in_a_zone_slow_vehicles_exactly(void **state)
{
    sf_kernel *k = sf_kernel_new();
    sf_network *net = sf_network_new();
    struct crossing c = {0};
    sf_movers_hooks hooks = {zone_arrived, NULL, NULL, zone_seen, NULL, &c};
    const double zone[] = {0, 0, 10, 0, 10, 10, 0, 10};
    const sf_mover_spec walker = {1, 1, 1, 1, true, 0, 0, false, 0, 0}, truck = {2, 2, 1, 1, false, 0, 0, false, 0, 0};
    sf_movers *ms;
    (void)state;
    assert_int_equal(sf_network_add_node(net, "w0", -20, 5, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "w1", 20, 5, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "v0", -50, 2, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "v1", 60, 2, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, 0, 1, 0, INFINITY, 10, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, 2, 3, 0, INFINITY, 1, true, NULL), SF_OK);
    ms = sf_movers_new(k, net, 2, 2, hooks);
    assert_int_equal(sf_movers_add_zone(ms, zone, 4, 0.5), 0);
    assert_int_equal(sf_movers_place(ms, 0, 0, &walker), SF_OK);
    assert_int_equal(sf_movers_place(ms, 1, 2, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_movers_move_to(ms, 1, 3, false), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    /* the walker: 1 s to reach 1 m/s (0.5 m), then 1 m/s: x = 0 at 20.5 s, x = 10 at 30.5 s */
    assert_int_equal(c.n, 4); /* the truck crosses too, after the walker has left */
    assert_int_equal(c.who[0], 0);
    assert_true(c.in[0]);
    assert_int_equal(c.when[0], S(20.5));
    assert_int_equal(c.who[1], 0);
    assert_false(c.in[1]);
    assert_int_equal(c.when[1], S(30.5));
    assert_int_equal(sf_movers_zone_people(ms, 0), 0);
    /* the truck: 39 m at 2 m/s by 20.5 s, brakes to 0.5 m/s (1.5 s, 1.875 m), crawls to 30.5 s,
     * speeds up again (1.5 s, 1.875 m) to 47 m at 32 s, 61 m at 2 m/s, 2 s to stop: 64.5 s */
    assert_int_equal(c.arrived[1], S(64.5));
    assert_int_equal(c.arrived[0], S(41));
    assert_true(fabs(sf_movers_distance(ms, 1, S(64.5)) - 110) < 1e-6);
    sf_movers_free(ms);
    sf_network_free(net);
    sf_kernel_free(k);
}

/*
 * One trip of a robot along v0 -> v1 (110 m, crossing the zone x 0..10)
 * while a walker may cross the zone from 20.5 s to 30.5 s. The zone has
 * no speed limit of its own; it may be marked shared (collaborative).
 */
static sf_time robot_trip(sf_mover_spec robot, bool shared, bool walker_goes)
{
    sf_kernel *k = sf_kernel_new();
    sf_network *net = sf_network_new();
    struct crossing c = {0};
    sf_movers_hooks hooks = {zone_arrived, NULL, NULL, zone_seen, NULL, &c};
    const double zone[] = {0, 0, 10, 0, 10, 10, 0, 10};
    const sf_mover_spec walker = {1, 1, 1, 1, true, 0, 0, false, 0, 0};
    sf_movers *ms;
    sf_time t;

    assert_int_equal(sf_network_add_node(net, "w0", -20, 5, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "w1", 20, 5, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "v0", -50, 2, NULL), SF_OK);
    assert_int_equal(sf_network_add_node(net, "v1", 60, 2, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, 0, 1, 0, INFINITY, 10, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, 2, 3, 0, INFINITY, 1, true, NULL), SF_OK);
    ms = sf_movers_new(k, net, 2, 2, hooks);
    assert_int_equal(sf_movers_add_zone(ms, zone, 4, INFINITY), 0);
    if (shared)
        assert_int_equal(sf_movers_share_zone(ms, 0), SF_OK);
    assert_int_equal(sf_movers_share_zone(ms, 1), SF_EINVAL);
    assert_int_equal(sf_movers_place(ms, 0, 0, &walker), SF_OK);
    assert_int_equal(sf_movers_place(ms, 1, 2, &robot), SF_OK);
    if (walker_goes)
        assert_int_equal(sf_movers_move_to(ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_movers_move_to(ms, 1, 3, false), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    t = c.arrived[1];
    sf_movers_free(ms);
    sf_network_free(net);
    sf_kernel_free(k);
    return t;
}

/*
 * Mobile robots' collaboration modes: under ssm a robot slows to its
 * reduced speed on segments crossing a shared zone while a person is
 * inside (the walker: 20.5 s to 30.5 s), exactly as a zone speed limit
 * would; under pfl it never exceeds its collaborative speed there; in a
 * zone that is not shared, or for a robot without a mode, nothing slows.
 */
static void test_movers_mobile_robots_keep_their_collaboration_speeds(void **state)
{
    const sf_mover_spec plain = {2, 2, 1, 1, false, 0, 0, false, 0, 0};
    const sf_mover_spec ssm = {2, 2, 1, 1, false, 0.5, 0, false, 0, 0};
    const sf_mover_spec pfl = {2, 2, 1, 1, false, 0, 0.5, false, 0, 0};
    (void)state;
    /* free run: 2 s to 2 m/s (2 m), 106 m at 2 m/s (53 s), 2 s to stop (2 m): 57 s */
    assert_int_equal(robot_trip(plain, true, true), S(57));
    assert_int_equal(robot_trip(ssm, false, true), S(57));
    assert_int_equal(robot_trip(ssm, true, false), S(57));
    /* ssm with the walker inside from 20.5 s to 30.5 s: as the zone limit of 0.5 m/s (see above) */
    assert_int_equal(robot_trip(ssm, true, true), S(64.5));
    /* pfl: the whole segment crosses the shared zone, so 0.5 m/s throughout:
     * 0.5 s to 0.5 m/s (0.125 m), 109.75 m at 0.5 m/s (219.5 s), 0.5 s to stop: 220.5 s */
    assert_int_equal(robot_trip(pfl, true, false), S(220.5));
    assert_int_equal(robot_trip(pfl, false, false), S(57));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_movers_travel_time_includes_acceleration),
        cmocka_unit_test(test_movers_with_lookahead_one_stop_at_every_junction),
        cmocka_unit_test(test_movers_a_trip_to_where_it_stands_arrives_from_an_event),
        cmocka_unit_test(test_movers_unreachable_destinations_are_refused),
        cmocka_unit_test(test_movers_follower_waits_and_congestion_is_recorded),
        cmocka_unit_test(test_movers_take_corridors_whole),
        cmocka_unit_test(test_movers_head_on_deadlock_is_detected_and_reported),
        cmocka_unit_test(test_movers_reroute_policy_backs_out_and_goes_round),
        cmocka_unit_test(test_movers_speed_cap_mid_trip_replans_exactly),
        cmocka_unit_test(test_movers_never_share_a_capacity_one_segment),
        cmocka_unit_test(test_movers_people_in_a_zone_slow_vehicles_exactly),
        cmocka_unit_test(test_movers_mobile_robots_keep_their_collaboration_speeds),
    };
    return cmocka_run_group_tests_name("movers", tests, NULL, NULL);
}
