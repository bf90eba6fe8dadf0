/* The path network: building, routing by travel time, one-way segments, reachability, caching. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/network.h"

/*
 *   a ---10 m--- b ---10 m--- c
 *   |                         |
 *   5 m                      5 m
 *   |                         |
 *   d ---------20 m---------- e      (d-e has a 0.5 m/s limit)
 */
static sf_network *square(uint32_t id[5])
{
    sf_network *net = sf_network_new();
    const char *names[] = {"a", "b", "c", "d", "e"};
    const double xy[][2] = {{0, 0}, {10, 0}, {20, 0}, {0, -5}, {20, -5}};
    assert_non_null(net);
    for (int i = 0; i < 5; i++)
        assert_int_equal(sf_network_add_node(net, names[i], xy[i][0], xy[i][1], &id[i]), SF_OK);
    assert_int_equal(sf_network_add_segment(net, id[0], id[1], 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, id[1], id[2], 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, id[0], id[3], 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, id[2], id[4], 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, id[3], id[4], 0, 0.5, 1, true, NULL), SF_OK);
    return net;
}

static void test_network_lengths_come_from_geometry(void **state)
{
    uint32_t id[5];
    sf_network *net = square(id);
    (void)state;
    assert_true(sf_network_segment(net, 0)->length == 10);
    assert_true(sf_network_segment(net, 4)->length == 20);
    assert_int_equal(sf_network_node_count(net), 5);
    assert_int_equal(sf_network_segment_count(net), 5);
    sf_network_free(net);
}

static void test_network_route_is_fastest_not_shortest(void **state)
{
    uint32_t id[5];
    sf_network *net = square(id);
    sf_route r;
    (void)state;
    /* d -> e: direct is 20 m at 0.5 m/s = 40 s; around is 5 + 20 + 5 = 30 m at 1 m/s = 30 s */
    assert_int_equal(sf_network_route(net, id[3], id[4], 1.0, &r), SF_OK);
    assert_int_equal(r.n, 4);
    assert_true(r.length == 30 && r.time == 30);
    assert_int_equal(sf_network_arc_from(net, r.arcs[0]), id[3]);
    assert_int_equal(sf_network_arc_to(net, r.arcs[3]), id[4]);
    for (uint32_t i = 1; i < r.n; i++)
        assert_int_equal(sf_network_arc_from(net, r.arcs[i]), sf_network_arc_to(net, r.arcs[i - 1]));
    sf_route_close(&r);
    /* a mover whose top speed is 0.4 m/s is not held back by the 0.5 m/s limit: direct wins */
    assert_int_equal(sf_network_route(net, id[3], id[4], 0.4, &r), SF_OK);
    assert_int_equal(r.n, 1);
    assert_true(fabs(r.time - 50) < 1e-12);
    sf_route_close(&r);
    sf_network_free(net);
}

static void test_network_one_way_segments_are_respected(void **state)
{
    sf_network *net = sf_network_new();
    uint32_t a, b, c;
    sf_route r;
    (void)state;
    assert_int_equal(sf_network_add_node(net, "a", 0, 0, &a), SF_OK);
    assert_int_equal(sf_network_add_node(net, "b", 1, 0, &b), SF_OK);
    assert_int_equal(sf_network_add_node(net, "c", 2, 0, &c), SF_OK);
    assert_int_equal(sf_network_add_segment(net, a, b, 0, 1, 1, false, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(net, b, c, 0, 1, 1, false, NULL), SF_OK);
    assert_int_equal(sf_network_route(net, a, c, 1, &r), SF_OK);
    assert_int_equal(r.n, 2);
    sf_route_close(&r);
    assert_int_equal(sf_network_route(net, c, a, 1, &r), SF_ENOTFOUND);
    assert_false(sf_network_reachable(net, c, a));
    assert_true(sf_network_reachable(net, a, c));
    assert_int_equal(sf_network_route(net, b, b, 1, &r), SF_OK); /* already there */
    assert_int_equal(r.n, 0);
    sf_route_close(&r);
    sf_network_free(net);
}

static void test_network_names_are_found_and_unique(void **state)
{
    uint32_t id[5], x;
    sf_network *net = square(id);
    (void)state;
    assert_int_equal(sf_network_find_node(net, "c", &x), SF_OK);
    assert_int_equal(x, id[2]);
    assert_int_equal(sf_network_find_node(net, "z", &x), SF_ENOTFOUND);
    assert_int_equal(sf_network_add_node(net, "c", 5, 5, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_node(net, "nan", NAN, 0, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_segment(net, id[0], id[0], 1, 1, 1, true, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_segment(net, id[0], 99, 1, 1, 1, true, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_segment(net, id[0], id[1], 1, 0, 1, true, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_segment(net, id[0], id[1], 1, 1, 0, true, NULL), SF_EINVAL);
    assert_int_equal(sf_network_add_segment(net, id[0], id[1], INFINITY, 1, 1, true, NULL), SF_EINVAL);
    sf_network_free(net);
}

/* A grid against a brute-force Bellman-Ford: every pair's travel time must agree. */
static void test_network_grid_routes_match_bellman_ford(void **state)
{
    enum { W = 12, H = 9, N = W * H };
    sf_network *net = sf_network_new();
    static double dist[N][N];
    uint32_t nseg;
    (void)state;
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(sf_network_add_node(net, name, i % W, i / W, NULL), SF_OK);
    }
    for (int i = 0; i < N; i++) {
        double limit = 0.5 + (double)((i * 7) % 5) * 0.3;
        if (i % W + 1 < W)
            assert_int_equal(sf_network_add_segment(net, (uint32_t)i, (uint32_t)i + 1, 0, limit, 1, i % 3 != 0, NULL),
                             SF_OK);
        if (i + W < N)
            assert_int_equal(sf_network_add_segment(net, (uint32_t)(i + W), (uint32_t)i, 0, limit, 1, i % 4 != 1, NULL),
                             SF_OK);
    }
    nseg = sf_network_segment_count(net);
    for (int s = 0; s < N; s++) {
        for (int i = 0; i < N; i++)
            dist[s][i] = i == s ? 0 : INFINITY;
        for (int round = 0; round < N; round++)
            for (uint32_t k = 0; k < nseg; k++) {
                const sf_segment *g = sf_network_segment(net, k);
                double t = g->length / fmin(g->speed_limit, 1.5);
                if (dist[s][g->from] + t < dist[s][g->to])
                    dist[s][g->to] = dist[s][g->from] + t;
                if (g->two_way && dist[s][g->to] + t < dist[s][g->from])
                    dist[s][g->from] = dist[s][g->to] + t;
            }
    }
    for (uint32_t s = 0; s < N; s++)
        for (uint32_t t = 0; t < N; t++) {
            sf_route r;
            int rc = sf_network_route(net, s, t, 1.5, &r);
            if (isinf(dist[s][t])) {
                assert_int_equal(rc, SF_ENOTFOUND);
                continue;
            }
            assert_int_equal(rc, SF_OK);
            if (fabs(r.time - dist[s][t]) > 1e-9)
                fail_msg("%u -> %u: %g s, Bellman-Ford %g s", s, t, r.time, dist[s][t]);
            {
                double len;
                assert_int_equal(sf_network_route_length(net, s, t, 1.5, &len), SF_OK);
                assert_true(len == r.length);
            }
            sf_route_close(&r);
        }
    /* one tree per source for this speed: 12 bytes a node each */
    assert_int_equal(sf_network_cache_bytes(net), (size_t)N * N * 12);
    sf_network_free(net);
}

/*
 * Fences are for people: a fenced node (a guarded robot's station) is
 * walked to and from but never through, a fenced segment never walked;
 * vehicles ignore both. On the square (vmax 1 so the d-e limit of 0.5
 * m/s is the only one that counts: people take it at 0.5 m/s too):
 *   b fenced: a -> c on foot is a-d-e-c, 5 + 20 + 5 = 30 m (5 + 40 + 5 = 50 s);
 *             a -> b and b -> c are 10 m each (to and from the station);
 *   a-b fenced too: a -> b on foot is a-d-e-c-b, 5 + 20 + 5 + 10 = 40 m;
 *   a vehicle still goes a-b-c, 20 m, and a-b, 10 m.
 */
static void test_network_people_go_round_fences(void **state)
{
    uint32_t id[5];
    sf_network *net = square(id);
    sf_route r;
    (void)state;
    assert_int_equal(sf_network_route_as(net, id[0], id[2], 1, true, &r), SF_OK); /* no fence yet */
    assert_true(r.length == 20);
    sf_route_close(&r);
    assert_int_equal(sf_network_fence_node(net, id[1]), SF_OK);
    assert_true(sf_network_node_fenced(net, id[1]) && !sf_network_node_fenced(net, id[0]));
    assert_int_equal(sf_network_route_as(net, id[0], id[2], 1, true, &r), SF_OK);
    assert_true(r.length == 30);
    assert_true(fabs(r.time - 50) < 1e-9);
    assert_int_equal(r.n, 3);
    sf_route_close(&r);
    assert_int_equal(sf_network_route_as(net, id[0], id[1], 1, true, &r), SF_OK);
    assert_true(r.length == 10);
    sf_route_close(&r);
    assert_int_equal(sf_network_route_as(net, id[1], id[2], 1, true, &r), SF_OK);
    assert_true(r.length == 10);
    sf_route_close(&r);
    assert_int_equal(sf_network_route_as(net, id[0], id[2], 1, false, &r), SF_OK);
    assert_true(r.length == 20);
    sf_route_close(&r);
    assert_int_equal(sf_network_fence_segment(net, 0), SF_OK);
    assert_true(sf_network_segment_fenced(net, 0) && !sf_network_segment_fenced(net, 1));
    assert_int_equal(sf_network_route_as(net, id[0], id[1], 1, true, &r), SF_OK);
    assert_true(r.length == 40);
    sf_route_close(&r);
    assert_int_equal(sf_network_route(net, id[0], id[1], 1, &r), SF_OK);
    assert_true(r.length == 10);
    sf_route_close(&r);
    /* the detour of deadlock resolution keeps to the fences too: without d-e, b is out of reach on foot */
    {
        uint32_t avoid = 4;
        assert_int_equal(sf_network_route_avoiding_as(net, id[0], id[1], 1, true, &avoid, 1, &r), SF_ENOTFOUND);
        assert_int_equal(sf_network_route_avoiding_as(net, id[0], id[1], 1, false, &avoid, 1, &r), SF_OK);
        assert_true(r.length == 10);
        sf_route_close(&r);
    }
    assert_int_equal(sf_network_fence_node(net, 99), SF_EINVAL);
    assert_int_equal(sf_network_fence_segment(net, 99), SF_EINVAL);
    sf_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_lengths_come_from_geometry),
        cmocka_unit_test(test_network_route_is_fastest_not_shortest),
        cmocka_unit_test(test_network_one_way_segments_are_respected),
        cmocka_unit_test(test_network_names_are_found_and_unique),
        cmocka_unit_test(test_network_grid_routes_match_bellman_ford),
        cmocka_unit_test(test_network_people_go_round_fences),
    };
    return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}
