/* Racks: lanes filled from the back, the three policies, first in first out, conservation of loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/rng.h"
#include "model/storage.h"

/* A dock d and an aisle of four access nodes a0..a3 at 5, 10, 15, 20 m from it. */
static sf_network *aisle(uint32_t access[4])
{
    sf_network *net = sf_network_new();
    char name[8];
    assert_int_equal(sf_network_add_node(net, "dock", 0, 0, NULL), SF_OK);
    for (uint32_t i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "a%u", i);
        assert_int_equal(sf_network_add_node(net, name, 5.0 * (i + 1), 0, &access[i]), SF_OK);
        assert_int_equal(sf_network_add_segment(net, i, i + 1, 0, 1.5, 1, true, NULL), SF_OK);
    }
    return net;
}

static void test_storage_first_free_fills_lanes_from_the_back(void **state)
{
    uint32_t acc[4];
    sf_network *net = aisle(acc);
    sf_storage *st = sf_storage_new(net, SF_STORE_FIRST_FREE, 0, 0, 0);
    const double h[] = {0, 1.5};
    sf_rack_spec spec = {"R1", 2, 2, 2, h, acc};
    sf_cell_ref c, d;
    (void)state;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_OK);
    assert_int_equal(sf_storage_cells(st), 8);
    assert_int_equal(sf_storage_reserve_put(st, 'C', &c), SF_OK);
    assert_true(c.rack == 0 && c.bay == 0 && c.level == 0 && c.slot == 1); /* back of the first lane */
    /* the lane is busy while the load is on its way: the next goes elsewhere */
    assert_int_equal(sf_storage_reserve_put(st, 'C', &d), SF_OK);
    assert_true(d.bay == 0 && d.level == 1 && d.slot == 1);
    assert_int_equal(sf_storage_commit_put(st, &c, 7, 0), SF_OK);
    assert_int_equal(sf_storage_commit_put(st, &c, 7, 0), SF_EINVAL); /* not reserved any more */
    assert_int_equal(sf_storage_reserve_put(st, 'C', &c), SF_OK);
    assert_true(c.bay == 0 && c.level == 0 && c.slot == 0); /* then its front */
    assert_true(sf_storage_height(st, &d) == 1.5);
    assert_int_equal(sf_storage_access_node(st, &d), acc[0]);
    assert_true(sf_storage_max_height(st) == 1.5);
    sf_storage_free(st);
    sf_network_free(net);
}

static void test_storage_rejects_bad_racks(void **state)
{
    uint32_t acc[4], bad[2] = {0, 99};
    sf_network *net = aisle(acc);
    sf_storage *st = sf_storage_new(net, SF_STORE_FIRST_FREE, 0, 0, 0);
    const double h[] = {0, 1.5}, down[] = {1.5, 0};
    sf_rack_spec spec = {"R", 2, 2, 1, h, acc};
    (void)state;
    spec.level_height = down;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_EINVAL);
    spec.level_height = h;
    spec.access = bad;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_EINVAL);
    spec.access = acc;
    spec.depth = 0;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_EINVAL);
    assert_null(sf_storage_new(net, SF_STORE_CLOSEST, 99, 0, 0));
    assert_null(sf_storage_new(net, SF_STORE_CLASS_ABC, 0, 0.8, 0.5));
    sf_storage_free(st);
    sf_network_free(net);
}

static void test_storage_closest_prefers_near_bays_and_low_levels(void **state)
{
    uint32_t acc[4], rev[4];
    sf_network *net = aisle(acc);
    const double h[] = {0, 2};
    sf_rack_spec spec = {"R", 4, 2, 1, h, rev};
    sf_storage *st;
    sf_cell_ref c;
    (void)state;
    for (int i = 0; i < 4; i++)
        rev[i] = acc[3 - i]; /* bay 3 is nearest the dock */
    st = sf_storage_new(net, SF_STORE_CLOSEST, 0, 0, 0);
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_OK);
    const uint32_t want_bay[] = {3, 3, 2, 2, 1, 1, 0, 0}, want_level[] = {0, 1, 0, 1, 0, 1, 0, 1};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(sf_storage_reserve_put(st, 'A', &c), SF_OK);
        assert_int_equal(c.bay, want_bay[i]);
        assert_int_equal(c.level, want_level[i]);
        assert_int_equal(sf_storage_commit_put(st, &c, 1, 0), SF_OK);
    }
    assert_int_equal(sf_storage_reserve_put(st, 'A', &c), SF_ENOTFOUND);
    assert_int_equal(sf_storage_full(st), 8);
    sf_storage_free(st);
    sf_network_free(net);
}

static void test_storage_abc_keeps_fast_movers_near_the_dock(void **state)
{
    uint32_t acc[4];
    sf_network *net = aisle(acc);
    const double h[] = {0};
    sf_rack_spec spec = {"R", 4, 1, 1, h, acc};
    /* 25% A (bay 0), 25% B (bay 1), 50% C (bays 2, 3) */
    sf_storage *st = sf_storage_new(net, SF_STORE_CLASS_ABC, 0, 0.25, 0.25);
    sf_cell_ref c;
    (void)state;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_OK);
    assert_int_equal(sf_storage_reserve_put(st, 'C', &c), SF_OK);
    assert_int_equal(c.bay, 2);
    assert_int_equal(sf_storage_reserve_put(st, 'A', &c), SF_OK);
    assert_int_equal(c.bay, 0);
    assert_int_equal(sf_storage_reserve_put(st, 'A', &c), SF_OK); /* A full: falls back to B */
    assert_int_equal(c.bay, 1);
    assert_int_equal(sf_storage_reserve_put(st, 'B', &c), SF_OK); /* B full: C */
    assert_int_equal(c.bay, 3);
    assert_int_equal(sf_storage_reserve_put(st, 'C', &c), SF_ENOTFOUND);
    sf_storage_free(st);
    sf_network_free(net);
}

static void test_storage_takes_the_oldest_reachable_load(void **state)
{
    uint32_t acc[4];
    sf_network *net = aisle(acc);
    const double h[] = {0};
    sf_rack_spec spec = {"R", 2, 1, 2, h, acc};
    sf_storage *st = sf_storage_new(net, SF_STORE_FIRST_FREE, 0, 0, 0);
    sf_cell_ref c[4], t;
    (void)state;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_OK);
    /* lane 0: item 5 (back, oldest), then item 6 in front; lane 1: item 5, then item 5 */
    const uint32_t items[] = {5, 6, 5, 5};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sf_storage_reserve_put(st, 'C', &c[i]), SF_OK);
        assert_int_equal(sf_storage_commit_put(st, &c[i], items[i], 0), SF_OK);
    }
    assert_int_equal(sf_storage_count(st, 5), 3);
    /* the oldest 5 sits behind a 6: the oldest reachable 5 is the front of lane 1 */
    assert_int_equal(sf_storage_reserve_take(st, 5, &t), SF_OK);
    assert_true(t.bay == 1 && t.slot == 0);
    assert_int_equal(sf_storage_reserve_take(st, 5, &t), SF_ENOTFOUND); /* lane 1 busy, lane 0 blocked by a 6 */
    assert_int_equal(sf_storage_commit_take(st, &(sf_cell_ref){0, 1, 0, 0}), SF_OK);
    assert_int_equal(sf_storage_reserve_take(st, 6, &t), SF_OK);
    assert_int_equal(sf_storage_commit_take(st, &t), SF_OK);
    assert_int_equal(sf_storage_reserve_take(st, 5, &t), SF_OK);
    assert_true(t.bay == 0 && t.slot == 1); /* now the oldest is reachable */
    assert_int_equal(sf_storage_commit_take(st, &t), SF_OK);
    assert_int_equal(sf_storage_commit_take(st, &t), SF_EINVAL);
    assert_int_equal(sf_storage_count(st, 5), 1);
    sf_storage_free(st);
    sf_network_free(net);
}

/* Random put-aways and retrievals: received = stored + shipped + in transit, always. */
static void test_storage_conserves_loads(void **state)
{
    uint32_t acc[4];
    sf_network *net = aisle(acc);
    const double h[] = {0, 1, 2, 3};
    sf_rack_spec spec = {"R", 4, 4, 3, h, acc};
    sf_storage *st = sf_storage_new(net, SF_STORE_CLASS_ABC, 0, 0.2, 0.3);
    sf_cell_ref in_flight[64];
    int nin = 0, nout = 0;
    sf_cell_ref out[64];
    uint64_t received = 0, shipped = 0;
    sf_rng r;
    (void)state;
    assert_int_equal(sf_storage_add_rack(st, &spec, NULL), SF_OK);
    sf_rng_init(&r, 3, "storage");
    for (int step = 0; step < 20000; step++) {
        uint64_t u = sf_rng_below(&r, 4);
        if (u == 0 && nin < 64 && sf_storage_reserve_put(st, "ABC"[sf_rng_below(&r, 3)], &in_flight[nin]) == SF_OK) {
            nin++;
            received++;
        } else if (u == 1 && nin > 0) {
            int i = (int)sf_rng_below(&r, (uint64_t)nin);
            assert_int_equal(sf_storage_commit_put(st, &in_flight[i], (uint32_t)sf_rng_below(&r, 5), 0), SF_OK);
            in_flight[i] = in_flight[--nin];
        } else if (u == 2 && nout < 64 && sf_storage_reserve_take(st, (uint32_t)sf_rng_below(&r, 5), &out[nout]) == SF_OK) {
            nout++;
        } else if (u == 3 && nout > 0) {
            int i = (int)sf_rng_below(&r, (uint64_t)nout);
            assert_int_equal(sf_storage_commit_take(st, &out[i]), SF_OK);
            out[i] = out[--nout];
            shipped++;
        }
        assert_int_equal(received, sf_storage_full(st) + shipped + sf_storage_incoming(st));
        assert_int_equal(sf_storage_incoming(st), (uint64_t)nin);
        assert_true(sf_storage_full(st) + sf_storage_incoming(st) <= sf_storage_cells(st));
    }
    assert_true(shipped > 1000);
    sf_storage_free(st);
    sf_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_storage_first_free_fills_lanes_from_the_back),
        cmocka_unit_test(test_storage_rejects_bad_racks),
        cmocka_unit_test(test_storage_closest_prefers_near_bays_and_low_levels),
        cmocka_unit_test(test_storage_abc_keeps_fast_movers_near_the_dock),
        cmocka_unit_test(test_storage_takes_the_oldest_reachable_load),
        cmocka_unit_test(test_storage_conserves_loads),
    };
    return cmocka_run_group_tests_name("storage", tests, NULL, NULL);
}
