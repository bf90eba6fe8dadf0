/*
 * Halting movers where they are: the braking point and times against hand
 * calculation (v^2 / 2 decel, v / decel), nested reasons, a halted mover
 * that keeps its place in line, and the protective field of a robot: the
 * exact instant and point at which it brakes for a person in a shared
 * zone, and the encounters it counts.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
    sf_time arrived_at[4];
    int arrivals[4];
    sf_time halted_at[4];
    int halted[4], told[4];
    sf_mover_state last[4]; /* what the state hook said last */
    sf_time stopped_at, released_at;
    int stops, releases;
};

static void on_arrived(void *ctx, uint32_t mover, sf_time now)
{
    struct world *w = ctx;
    w->arrived_at[mover] = now;
    w->arrivals[mover]++;
}

static void on_state(void *ctx, uint32_t mover, sf_mover_state s, sf_time now)
{
    struct world *w = ctx;
    sf_mover_state was = w->last[mover];
    w->last[mover] = s;
    if (s != SF_MOVER_HALTED)
        return;
    w->told[mover]++;
    if (was != SF_MOVER_HALTED) { /* a halt, not a new reason told again */
        w->halted[mover]++;
        w->halted_at[mover] = now;
    }
}

static void on_protect(void *ctx, uint32_t mover, bool stopped, sf_time now)
{
    struct world *w = ctx;
    (void)mover;
    if (stopped) {
        w->stops++;
        w->stopped_at = now;
    } else {
        w->releases++;
        w->released_at = now;
    }
}

/* Nodes n0 - n1 - ... along x with segments of the given lengths, two-way, capacity `cap`. */
static void line(struct world *w, const double *len, int nseg, int cap, uint32_t nmovers, int lookahead)
{
    sf_movers_hooks hooks = {on_arrived, on_state, NULL, NULL, on_protect, w};
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
        assert_int_equal(
            sf_network_add_segment(w->net, (uint32_t)i, (uint32_t)i + 1, 0, INFINITY, cap, true, NULL), SF_OK);
    w->ms = sf_movers_new(w->k, w->net, nmovers, lookahead, hooks);
    assert_non_null(w->ms);
}

static void finish(struct world *w)
{
    sf_movers_free(w->ms);
    sf_network_free(w->net);
    sf_kernel_free(w->k);
}

/* 2 m/s, 1 m/s^2 up, 0.8 m/s^2 down: from 2 m/s a stop takes 2.5 s and 2.5 m. */
static const sf_mover_spec truck = {2, 2, 1, 0.8, false, 0, 0, false, 0, 0};

static void at(const struct world *w, uint32_t mover, sf_time t, double x_want, double v_want)
{
    double x, y, v;
    sf_movers_position(w->ms, mover, t, &x, &y, &v);
    if (fabs(x - x_want) > 1e-9 || fabs(v - v_want) > 1e-9)
        fail_msg("at %.9f s: x %.12f (want %.12f), v %.12f (want %.12f)", (double)t / 1e9, x, x_want, v, v_want);
}

/*
 * 100 m free: 2 s up (2 m), 2.5 s down (2.5 m), 95.5 m at 2 m/s: 52.25 s.
 * Halted at 20 s at 38 m and 2 m/s: stops 2.5 m on, at 40.5 m, at 22.5 s.
 * Let go at 50 s: 59.5 m from rest: 2 + 27.5 + 2.5 s, arrival at 82 s.
 */
static void test_halt_brakes_to_the_exact_point_and_goes_on_from_rest(void **state)
{
    struct world w;
    const double len[] = {100};
    (void)state;
    line(&w, len, 1, 1, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_HALTED);
    assert_int_equal(w.halted_at[0], S(20));
    assert_non_null(sf_movers_motion(w.ms, 0)); /* braking: still a motion */
    at(&w, 0, S(21), 38 + 2 - 0.4, 1.2);
    assert_int_equal(sf_movers_motion(w.ms, 0)->end, S(22.5));
    assert_int_equal(sf_kernel_run_until(w.k, S(50)), SF_OK);
    assert_null(sf_movers_motion(w.ms, 0)); /* at rest */
    at(&w, 0, S(50), 40.5, 0);
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(50)) - 40.5) < 1e-9);
    assert_int_equal(w.arrivals[0], 0);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_MOVING);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(82));
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(82)) - 100) < 1e-9);
    assert_int_equal(w.halted[0], 1);
    finish(&w);
}

/*
 * As above, but let go at 50 s and halted again at that very instant (a
 * repair and the next failure at once): it stays at 40.5 m, and let go
 * at 60 s it arrives 32 s later, at 92 s.
 */
static void test_halt_let_go_and_halted_at_once_stays_and_goes_on_later(void **state)
{
    struct world w;
    const double len[] = {100};
    (void)state;
    line(&w, len, 1, 1, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(50)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(60)), SF_OK);
    at(&w, 0, S(60), 40.5, 0);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrivals[0], 1);
    assert_int_equal(w.arrived_at[0], S(92));
    finish(&w);
}

/*
 * Four movers in line along six segments (46 m; capacity 1 or 2,
 * lookahead 1 to 3), halted and let go at random moments for random
 * reasons, several at one instant now and then, 200 seeds of 300 changes. Whatever happens, once
 * every halt is lifted each mover arrives exactly once, having covered
 * exactly the route, and while halted a mover never moves.
 */
static void test_halt_random_halts_never_lose_a_trip(void **state)
{
    const double len[] = {5, 12, 3, 9, 7, 10};
    const unsigned reasons[] = {SF_HALT_FAILURE, SF_HALT_SAFETY};
    (void)state;

    for (uint64_t seed = 1; seed <= 200; seed++) {
        struct world w;
        sf_rng r;
        sf_time t = 0;
        unsigned halts[4] = {0};
        sf_rng_init(&r, seed, "halts");
        line(&w, len, 6, 1 + (int)(seed % 2), 4, 1 + (int)(seed / 2 % 3)); /* capacity 1-2, lookahead 1-3 */
        for (uint32_t m = 0; m < 4; m++) {
            assert_int_equal(sf_movers_place(w.ms, m, 0, &truck), SF_OK);
            assert_int_equal(sf_movers_move_to(w.ms, m, 6, false), SF_OK);
        }
        for (int step = 0; step < 300; step++) {
            uint32_t m = (uint32_t)sf_rng_below(&r, 4);
            unsigned why = reasons[sf_rng_below(&r, 2)];
            bool on = !(halts[m] & why);
            if (sf_rng_uniform(&r) < 0.8) /* else at the same instant as the last change */
                t += (sf_time)(sf_rng_uniform(&r) * (seed % 3 ? 0.4e9 : 3e9)) + 1;
            assert_int_equal(sf_kernel_run_until(w.k, t), SF_OK);
            if (halts[m] && sf_movers_motion(w.ms, m) == NULL && w.arrivals[m] == 0) {
                /* standing halted: it must not have moved since it came to rest */
                double before = sf_movers_distance(w.ms, m, t), after = sf_movers_distance(w.ms, m, t + S(5));
                assert_true(fabs(after - before) < 1e-9);
            }
            assert_int_equal(sf_movers_halt(w.ms, m, why, on), SF_OK);
            halts[m] = on ? halts[m] | why : halts[m] & ~why;
            assert_int_equal(sf_movers_halted(w.ms, m), halts[m]);
        }
        for (uint32_t m = 0; m < 4; m++)
            for (int k = 0; k < 2; k++)
                assert_int_equal(sf_movers_halt(w.ms, m, reasons[k], false), SF_OK);
        assert_int_equal(sf_kernel_run(w.k), SF_OK);
        for (uint32_t m = 0; m < 4; m++) {
            if (w.arrivals[m] != 1)
                fail_msg("seed %llu: mover %u arrived %d times", (unsigned long long)seed, m, w.arrivals[m]);
            if (fabs(sf_movers_distance(w.ms, m, w.arrived_at[m]) - 46) > 1e-6)
                fail_msg("seed %llu: mover %u covered %.9f m of 46", (unsigned long long)seed, m,
                         sf_movers_distance(w.ms, m, w.arrived_at[m]));
        }
        finish(&w);
    }
}

/*
 * Halted at 2 s (2 m, just at 2 m/s) on a 3 m segment: the stop 2.5 m on
 * lies 1.5 m into the next segment. It passes the node on the way (the
 * segment behind is released), stands at 4.5 m from 4.5 s, and from rest
 * at 10 s covers the last 8.5 m in 2 + 2 + 2.5 s: arrival at 16.5 s.
 */
static void test_halt_passes_nodes_while_braking_and_keeps_what_it_holds(void **state)
{
    struct world w;
    const double len[] = {3, 10};
    sf_traffic *t;
    (void)state;
    line(&w, len, 2, 1, 1, 2);
    t = sf_movers_traffic(w.ms);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(2)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_SAFETY, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(10)), SF_OK);
    at(&w, 0, S(10), 4.5, 0);
    assert_int_equal(sf_movers_node(w.ms, 0), 1);
    assert_false(sf_traffic_holds(t, 0, 0));
    assert_true(sf_traffic_holds(t, 1, 0));
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_SAFETY, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(16.5));
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(16.5)) - 13) < 1e-9);
    finish(&w);
}

/*
 * Reasons nest: halted for a failure at 20 s, then for safety too; the
 * failure repaired at 40 s leaves it halted (and the state is told
 * again), the safety reason taken back at 50 s lets it go: as above,
 * arrival at 82 s. Taking back a reason it does not have changes nothing.
 */
static void test_halt_reasons_nest(void **state)
{
    struct world w;
    const double len[] = {100};
    (void)state;
    line(&w, len, 1, 1, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, 0, true), SF_EINVAL);
    assert_int_equal(sf_movers_halt(w.ms, 3, SF_HALT_FAILURE, true), SF_EINVAL);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(30)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_SAFETY, true), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_SAFETY, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(40)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_movers_halted(w.ms, 0), SF_HALT_SAFETY);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_HALTED);
    assert_int_equal(sf_kernel_run_until(w.k, S(50)), SF_OK);
    at(&w, 0, S(50), 40.5, 0);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_HALTED);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_SAFETY, false), SF_OK);
    assert_int_equal(sf_movers_halted(w.ms, 0), 0);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(82));
    assert_int_equal(w.halted[0], 1);
    assert_int_equal(w.told[0], 3); /* the halt, the safety reason added, the failure gone */
    finish(&w);
}

/*
 * Halted while braking, let go before it stops: it goes on from its exact
 * speed. Halted at 20 s (38 m, 2 m/s), let go at 21 s at 39.6 m and
 * 1.2 m/s: 0.8 s back up to 2 m/s (1.28 m), then 56.62 m at 2 m/s
 * (28.31 s) and the last 2.5 m in 2.5 s: arrival at 52.61 s.
 */
static void test_halt_let_go_while_braking_goes_on_from_its_speed(void **state)
{
    struct world w;
    const double len[] = {100};
    (void)state;
    line(&w, len, 1, 1, 1, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(21)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_true(llabs(w.arrived_at[0] - S(52.61)) <= 1);
    finish(&w);
}

/*
 * Mover 1 waits at n1 for the segment mover 0 drives on (10 m: 2 + 2.75 +
 * 2.5 s, 7.25 s). Halted while it waits, it is granted the segment at
 * 7.25 s but does not start; let go at 20 s it leaves then: arrival at
 * 27.25 s.
 * A halted idle mover sent on a trip does not start either.
 */
static void test_halt_waiting_mover_keeps_its_place_but_does_not_start(void **state)
{
    struct world w;
    const double len[] = {10};
    (void)state;
    line(&w, len, 1, 1, 2, 2);
    assert_int_equal(sf_movers_place(w.ms, 0, 0, &truck), SF_OK);
    assert_int_equal(sf_movers_place(w.ms, 1, 1, &truck), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 1, 0, false), SF_OK);
    assert_int_equal(sf_movers_state(w.ms, 1), SF_MOVER_WAITING);
    assert_int_equal(sf_kernel_run_until(w.k, S(1)), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 1, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(w.k, S(20)), SF_OK);
    assert_int_equal(w.arrived_at[0], S(7.25));
    assert_true(sf_traffic_holds(sf_movers_traffic(w.ms), 0, 1)); /* granted, held, not used */
    assert_int_equal(sf_movers_state(w.ms, 1), SF_MOVER_HALTED);
    assert_true(sf_movers_distance(w.ms, 1, S(20)) == 0);
    /* the idle mover 0, halted, is sent back: it stays */
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, true), SF_OK);
    assert_int_equal(sf_movers_halt(w.ms, 1, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w.ms, 0, 0, false), SF_OK);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_HALTED);
    assert_int_equal(sf_kernel_run_until(w.k, S(40)), SF_OK);
    assert_int_equal(w.arrived_at[1], S(27.25));
    assert_int_equal(w.arrivals[0], 1);
    assert_int_equal(sf_movers_halt(w.ms, 0, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_kernel_run(w.k), SF_OK);
    assert_int_equal(w.arrived_at[0], S(47.25));
    finish(&w);
}

/*
 * The protective field (fields.c): a robot from n0 to n2 over A (n0-n1,
 * 20 m) and B (n1-n2, 20 m), a shared zone across B only. The truck with
 * a 0.5 s response and a 0.5 m clearance has a field of 2 x 0.5 + 2^2 /
 * (2 x 0.8) + 0.5 = 4 m at 2 m/s. Free, it arrives at 22.25 s (2 s up,
 * 35.5 m at 2 m/s, 2.5 s down), at s = 2t - 2 while it cruises.
 */
static const sf_mover_spec walker = {1, 1, 1, 1, true, 0, 0, false, 0, 0};

static void field_line(struct world *w, bool shared, const sf_mover_spec *robot)
{
    const double len[] = {20, 20};
    const double zone[] = {25, -5, 35, -5, 35, 5, 25, 5};
    int z;

    line(w, len, 2, 2, 2, 2);
    z = sf_movers_add_zone(w->ms, zone, 4, INFINITY);
    assert_true(z >= 0);
    if (shared)
        assert_int_equal(sf_movers_share_zone(w->ms, (uint32_t)z), SF_OK);
    assert_int_equal(sf_movers_place(w->ms, 0, 0, robot), SF_OK);
}

/*
 * A person walks from n2 towards n1 at 0 s (1 m/s, 1 m/s^2) and is halted
 * at 10 s, 9.5 m on: braking 0.5 m, it stands at x = 30 from 11 s. The
 * field's front, s + 4 while the robot cruises, reaches 30 m at 14 s
 * (s = 26 m): the robot brakes there, 2.5 m, to stand at 28.5 m from
 * 16.5 s, 1.5 m short of the person (the response time's 1 m and the
 * clearance). Braking, its front is 30 - 0.4 t: the person is inside the
 * field for an instant, an encounter of no duration. The person, let go
 * at 20 s, walks past the robot at 22 s (0.5 m in 1 s, then 1 m/s), inside
 * the 0.5 m field of the robot at rest from 21.5 s: a second encounter,
 * of 0.5 s. The robot goes on from rest at 22 s, 11.5 m in 2 + 3.5 +
 * 2.5 s, to arrive at 30 s.
 * Without the rule it drives on: the person is inside its field from 14 s
 * until it passes them at 16 s, one encounter of 2 s, and it arrives at
 * 22.25 s.
 */
/* Up to 10 s: the robot on its way, the person halted at 10 s (standing at x = 30 from 11 s). */
static void person_halted_ahead(struct world *w, bool shared, bool rule)
{
    sf_mover_spec robot = truck;

    robot.stop_for_people = rule;
    robot.field_response = 0.5;
    robot.field_clearance = 0.5;
    field_line(w, shared, &robot);
    assert_int_equal(sf_movers_place(w->ms, 1, 2, &walker), SF_OK);
    assert_int_equal(sf_movers_move_to(w->ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w->ms, 1, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(w->k, S(10)), SF_OK);
    assert_int_equal(sf_movers_halt(w->ms, 1, SF_HALT_FAILURE, true), SF_OK);
}

static void person_standing_ahead(struct world *w, bool rule)
{
    person_halted_ahead(w, true, rule);
    assert_int_equal(sf_kernel_run_until(w->k, S(20)), SF_OK);
    at(w, 1, S(20), 30, 0);
    assert_int_equal(sf_movers_halt(w->ms, 1, SF_HALT_FAILURE, false), SF_OK);
    assert_int_equal(sf_kernel_run(w->k), SF_OK);
    assert_int_equal(w->arrived_at[1], S(31));
}

static void test_halt_protective_field_reaches_a_person_standing_ahead(void **state)
{
    struct world w;
    uint64_t n;
    double t;
    (void)state;
    person_standing_ahead(&w, true);
    assert_int_equal(w.stops, 1);
    assert_int_equal(w.releases, 1);
    assert_int_equal(w.stopped_at, S(14));
    assert_int_equal(w.halted_at[0], S(14));
    assert_int_equal(w.released_at, S(22));
    assert_int_equal(w.arrived_at[0], S(30));
    sf_movers_encounters(w.ms, 0, S(40), &n, &t);
    assert_int_equal(n, 2);
    assert_true(fabs(t - 0.5) < 1e-8);
    finish(&w);
    person_standing_ahead(&w, false);
    assert_int_equal(w.stops, 0);
    assert_int_equal(w.arrived_at[0], S(22.25));
    sf_movers_encounters(w.ms, 0, S(40), &n, &t);
    assert_int_equal(n, 1);
    assert_true(fabs(t - 2) < 1e-8);
    finish(&w);
}

/*
 * Encounters count from the warm-up: measured from 15 s, the encounter
 * without the rule (14 s to 16 s) began before and is not counted; its
 * time after, 1 s, is.
 */
static void test_halt_protective_field_encounters_count_from_the_warm_up(void **state)
{
    struct world w;
    uint64_t n;
    double t;
    (void)state;
    person_halted_ahead(&w, true, false);
    sf_movers_measure_from(w.ms, S(15));
    assert_int_equal(sf_kernel_run_until(w.k, S(18)), SF_OK);
    sf_movers_encounters(w.ms, 0, S(18), &n, &t);
    assert_int_equal(n, 0);
    assert_true(fabs(t - 1) < 1e-8);
    finish(&w);
}

/* Where the robot stands while it is held (16.5 s to 22 s): 28.5 m on, at rest. */
static void test_halt_protective_field_brakes_to_the_exact_point(void **state)
{
    struct world w;
    (void)state;
    person_halted_ahead(&w, true, true);
    assert_int_equal(sf_kernel_run_until(w.k, S(14)), SF_OK);
    at(&w, 0, S(14), 26, 2);
    assert_int_equal(sf_kernel_run_until(w.k, S(15)), SF_OK);
    at(&w, 0, S(15), 26 + 2 - 0.4, 2 - 0.8);
    assert_int_equal(sf_kernel_run_until(w.k, S(19)), SF_OK);
    at(&w, 0, S(19), 28.5, 0);
    assert_int_equal(sf_movers_state(w.ms, 0), SF_MOVER_HALTED);
    assert_true(fabs(sf_movers_distance(w.ms, 0, S(19)) - 28.5) < 1e-9);
    finish(&w);
}

/*
 * A person walks ahead of the robot, from n1 to n2 from 0 s (at x = 19.5
 * + t from 1 s to 20 s, at n2 at 21 s). At 2 m/s the robot's front, 2t +
 * 2, reaches them at 17.5 s (s = 33 m): it brakes to 35.5 m at 20 s, when
 * the person, 4 m ahead (its field at top speed), walks out of it; it goes
 * on from rest, 4.5 m in 2 + 2.5 s, to arrive at 24.5 s. At 1 m/s its field
 * is 0.5 + 0.625 + 0.5 = 1.625 m and its front, t + 1.125, never reaches
 * them: it arrives at 41.125 s (1 s up, 38.875 m at 1 m/s, 1.25 s down)
 * as if nobody were there (a rule by segment stopped it while the person
 * was on B).
 */
static void person_walking_ahead(struct world *w, double vmax)
{
    sf_mover_spec robot = truck;

    robot.vmax_empty = robot.vmax_loaded = vmax;
    robot.stop_for_people = true;
    robot.field_response = 0.5;
    robot.field_clearance = 0.5;
    field_line(w, true, &robot);
    assert_int_equal(sf_movers_place(w->ms, 1, 1, &walker), SF_OK);
    assert_int_equal(sf_movers_move_to(w->ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_movers_move_to(w->ms, 1, 2, false), SF_OK);
    assert_int_equal(sf_kernel_run(w->k), SF_OK);
    assert_int_equal(w->arrived_at[1], S(21));
}

static void test_halt_protective_field_grows_with_speed(void **state)
{
    struct world w;
    uint64_t n;
    double t;
    (void)state;
    person_walking_ahead(&w, 2);
    assert_int_equal(w.stops, 1);
    assert_int_equal(w.stopped_at, S(17.5));
    assert_int_equal(w.released_at, S(20));
    assert_int_equal(w.arrived_at[0], S(24.5));
    sf_movers_encounters(w.ms, 0, S(30), &n, &t);
    assert_int_equal(n, 1);
    finish(&w);
    person_walking_ahead(&w, 1);
    assert_int_equal(w.stops, 0);
    assert_int_equal(w.arrived_at[0], S(41.125));
    sf_movers_encounters(w.ms, 0, S(50), &n, &t);
    assert_int_equal(n, 0);
    finish(&w);
}

/*
 * Only people on segments that cross a shared zone stop the robot: with
 * the zone not shared, the person standing ahead is an encounter and the
 * robot drives on (22.25 s).
 */
static void test_halt_protective_field_stops_only_in_shared_zones(void **state)
{
    struct world w;
    uint64_t n;
    double t;
    (void)state;
    person_halted_ahead(&w, false, true);
    assert_int_equal(sf_kernel_run_until(w.k, S(30)), SF_OK);
    assert_int_equal(w.stops, 0);
    assert_int_equal(w.arrived_at[0], S(22.25));
    sf_movers_encounters(w.ms, 0, S(30), &n, &t);
    assert_int_equal(n, 1);
    assert_true(fabs(t - 2) < 1e-8);
    finish(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_halt_brakes_to_the_exact_point_and_goes_on_from_rest),
        cmocka_unit_test(test_halt_let_go_and_halted_at_once_stays_and_goes_on_later),
        cmocka_unit_test(test_halt_random_halts_never_lose_a_trip),
        cmocka_unit_test(test_halt_passes_nodes_while_braking_and_keeps_what_it_holds),
        cmocka_unit_test(test_halt_reasons_nest),
        cmocka_unit_test(test_halt_let_go_while_braking_goes_on_from_its_speed),
        cmocka_unit_test(test_halt_waiting_mover_keeps_its_place_but_does_not_start),
        cmocka_unit_test(test_halt_protective_field_reaches_a_person_standing_ahead),
        cmocka_unit_test(test_halt_protective_field_brakes_to_the_exact_point),
        cmocka_unit_test(test_halt_protective_field_encounters_count_from_the_warm_up),
        cmocka_unit_test(test_halt_protective_field_grows_with_speed),
        cmocka_unit_test(test_halt_protective_field_stops_only_in_shared_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
