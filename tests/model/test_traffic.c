/*
 * Segment reservations without motion: the lowest free slot across a
 * capacity wider than one bitmap word, the segments a mover holds in
 * ascending order, and deadlock checks that look only at what changed
 * since a check that found none (a new waiter closing a cycle, a release
 * leaving a waiter with no holder, a standing deadlock reported again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/traffic.h"

/* `nsegs` one-way segments between nodes i and i + 1, all of capacity `cap`. */
static sf_network *chain(uint32_t nsegs, int cap)
{
    sf_network *net = sf_network_new();
    uint32_t id;

    assert_non_null(net);
    for (uint32_t i = 0; i <= nsegs; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%u", (unsigned)i);
        assert_int_equal(sf_network_add_node(net, name, (double)i * 10, 0, &id), SF_OK);
    }
    for (uint32_t i = 0; i < nsegs; i++)
        assert_int_equal(sf_network_add_segment(net, i, i + 1, 10, 1, cap, false, &id), SF_OK);
    return net;
}

/* 130 holders of one segment: slots 0..129 in order; freeing slots 3 and 70 gives 3 to the next, then 70. */
static void test_lowest_free_slot(void **state)
{
    sf_network *net = chain(1, 130);
    sf_traffic *t = sf_traffic_new(net, 140);
    uint32_t out[130], granted[4];

    (void)state;
    assert_non_null(t);
    for (uint32_t m = 0; m < 130; m++)
        assert_true(sf_traffic_try_reserve(t, 0, m));
    assert_false(sf_traffic_try_reserve(t, 0, 130)); /* full */
    assert_int_equal(sf_traffic_occupancy(t, 0), 130);
    assert_int_equal(sf_traffic_release(t, 0, 70, 0, granted, 4), 0);
    assert_int_equal(sf_traffic_release(t, 0, 3, 0, granted, 4), 0);
    assert_false(sf_traffic_holds(t, 0, 70));
    assert_false(sf_traffic_holds(t, 0, 3));
    assert_true(sf_traffic_holds(t, 0, 129));
    assert_true(sf_traffic_try_reserve(t, 0, 131));
    assert_true(sf_traffic_try_reserve(t, 0, 132));
    assert_false(sf_traffic_try_reserve(t, 0, 133));
    assert_int_equal(sf_traffic_holders(t, 0, out, 130), 130);
    assert_int_equal(out[2], 2);
    assert_int_equal(out[3], 131);
    assert_int_equal(out[4], 4);
    assert_int_equal(out[69], 69);
    assert_int_equal(out[70], 132);
    assert_int_equal(out[71], 71);
    assert_int_equal(out[129], 129);
    sf_traffic_free(t);
    sf_network_free(net);
}

/* Segments taken as 5, 2, 9, 0, 7: held gives 0 2 5 7 9; the two lowest with max 2; 0 5 7 9 after 2 goes. */
static void test_held_ascending(void **state)
{
    sf_network *net = chain(10, 1);
    sf_traffic *t = sf_traffic_new(net, 2);
    uint32_t order[] = {5, 2, 9, 0, 7}, out[5] = {0}, granted[1];

    (void)state;
    assert_non_null(t);
    for (int i = 0; i < 5; i++)
        assert_true(sf_traffic_try_reserve(t, order[i], 1));
    assert_false(sf_traffic_try_reserve(t, 9, 1)); /* each once */
    assert_int_equal(sf_traffic_held(t, 1, out, 5), 5);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 5);
    assert_int_equal(out[3], 7);
    assert_int_equal(out[4], 9);
    out[2] = 99;
    assert_int_equal(sf_traffic_held(t, 1, out, 2), 5);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 99); /* nothing written past max */
    assert_int_equal(sf_traffic_release(t, 2, 1, 0, granted, 1), 0);
    assert_int_equal(sf_traffic_held(t, 1, out, 5), 4);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 5);
    assert_int_equal(out[2], 7);
    assert_int_equal(out[3], 9);
    assert_int_equal(sf_traffic_held(t, 0, out, 5), 0);
    sf_traffic_free(t);
    sf_network_free(net);
}

/*
 * Mover 0 holds segment 0, mover 1 holds segment 1 and waits for 0: no
 * deadlock (0 moves on). Then 0 waits for 1: both are stuck, mover 2
 * (holding nothing, waiting for nothing) is not. Asked again without any
 * change, the standing deadlock is reported again; when 0 leaves the
 * line, it is gone.
 */
static void test_deadlock_by_a_new_waiter(void **state)
{
    sf_network *net = chain(2, 1);
    sf_traffic *t = sf_traffic_new(net, 3);
    uint32_t who[4];

    (void)state;
    assert_non_null(t);
    assert_true(sf_traffic_try_reserve(t, 0, 0));
    assert_true(sf_traffic_try_reserve(t, 1, 1));
    assert_int_equal(sf_traffic_wait(t, 0, 1, 0, false), SF_OK);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 0);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 0);
    assert_int_equal(sf_traffic_wait(t, 1, 0, 0, false), SF_OK);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 2);
    assert_int_equal(who[0], 0);
    assert_int_equal(who[1], 1);
    assert_int_equal(sf_traffic_deadlocked(t, who, 1), 2); /* still standing; one written */
    assert_int_equal(who[0], 0);
    sf_traffic_cancel_wait(t, 0, 0);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 0);
    sf_traffic_free(t);
    sf_network_free(net);
}

/*
 * A chain 3 -> 2 -> 1 -> 0: mover 3 waits for segment 2 held by 2, which
 * waits for segment 1 held by 1, which waits for segment 0 held by 0 (not
 * waiting): no deadlock. Mover 0 releases segment 0 granting nobody (room
 * for no grants): 1 waits for a segment nobody holds, and 1, 2 and 3 can
 * never move. The check after a check that found none must see it.
 */
static void test_deadlock_by_a_release(void **state)
{
    sf_network *net = chain(3, 1);
    sf_traffic *t = sf_traffic_new(net, 4);
    uint32_t who[4], granted[1];

    (void)state;
    assert_non_null(t);
    for (uint32_t m = 0; m < 3; m++)
        assert_true(sf_traffic_try_reserve(t, m, m));
    for (uint32_t m = 1; m < 4; m++)
        assert_int_equal(sf_traffic_wait(t, m - 1, m, 0, false), SF_OK);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 0);
    assert_int_equal(sf_traffic_release(t, 0, 0, 0, granted, 0), 0);
    assert_int_equal(sf_traffic_waiting_for(t, 1, NULL), 0);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 3);
    assert_int_equal(who[0], 1);
    assert_int_equal(who[1], 2);
    assert_int_equal(who[2], 3);
    /* nobody may pass the line; a release with room for a grant lets 1 take segment 0, and so 2 and 3 can move on */
    assert_false(sf_traffic_try_reserve(t, 0, 0));
    assert_int_equal(sf_traffic_release(t, 0, 0, 0, granted, 1), 1);
    assert_int_equal(granted[0], 1);
    assert_int_equal(sf_traffic_deadlocked(t, who, 4), 0);
    sf_traffic_free(t);
    sf_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lowest_free_slot),
        cmocka_unit_test(test_held_ascending),
        cmocka_unit_test(test_deadlock_by_a_new_waiter),
        cmocka_unit_test(test_deadlock_by_a_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
