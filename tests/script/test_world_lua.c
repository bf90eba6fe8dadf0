/*
 * The factory model from Lua: a behaviour drives a forklift through a
 * put-away with blocking activities; the times are the same as the C
 * test's hand calculation, errors carry messages, and a traffic deadlock
 * fails the run naming the agents.
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
#include "model/world.h"
#include "scenario/scenario.h"
#include "script/script.h"
#include "script/plant_harness.h"

static const char *put_away =
    "local truck = assert(shop.agent('truck.1'))\n"
    "assert(truck:kind() == 'forklift' and truck:name() == 'truck.1' and not truck:loaded())\n"
    "assert(truck:node() == 'park' and truck:battery() == 1)\n"
    "assert(#shop.agents() == 2 and #shop.agents('worker') == 1)\n"
    "assert(shop.agent('truck.9') == nil)\n"
    "local cell = assert(shop.put_away('A'))\n"
    "assert(cell.place == 'rack_face' and cell.height == 0)\n"
    "local ok, err = pcall(truck.pick, truck, -1)\n"
    "assert(not ok and err:find('out of range'), err)\n"
    "truck:move_to('rack_a')\n"
    "assert(sim.now() == 11 and truck:node() == 'rack_face')\n"
    "assert(truck:pick(3))\n"
    "assert(sim.now() == 31 and truck:loaded())\n"
    "ok, err = pcall(truck.pick, truck, 1)\n"
    "assert(not ok and err:find(\"already carries a load\"), err)\n"
    "truck:move_to('inbound')\n"
    "assert(sim.now() == 50)\n"
    "truck:drop()\n"
    "assert(sim.now() == 58 and not truck:loaded())\n"
    "shop.stored(cell, 7)\n"
    "local out = assert(shop.retrieve(7))\n"
    "assert(out.rack == cell.rack and out.bay == cell.bay)\n"
    "shop.taken(out)\n"
    "assert(shop.retrieve(7) == nil)\n"
    "ok, err = pcall(truck.move_to, truck, 'nowhere')\n"
    "assert(not ok and err:find(\"no place 'nowhere'\"), err)\n"
    "ok, err = pcall(truck.pick, truck, 9)\n"
    "assert(not ok and err:find('above what agent'), err)\n"
    "sim.tally('done'):add(sim.now())\n";

static void test_world_lua_put_away_times_match_the_hand_calculation(void **state)
{
    struct run r;
    sf_script_stats st;
    int rc;
    (void)state;
    start(&r, "tests/model/data/world_small.yaml");
    assert_int_equal(sf_script_load_string(r.S, put_away, "@put_away.lua"), SF_OK);
    rc = sf_script_run(r.S, 60 * SF_SECOND);
    if (rc != SF_OK)
        fail_msg("%s", sf_script_error(r.S));
    assert_true(sf_script_stats_find(r.S, SF_SCRIPT_TALLY, "done", &st));
    assert_int_equal(st.n, 1);
    assert_true(st.mean == 58);
    assert_int_equal(sf_world_agent(r.w, 0)->trips, 2);
    stop(&r);
}

static void test_world_lua_errors_name_the_line_and_the_agent(void **state)
{
    struct run r;
    (void)state;
    start(&r, "tests/model/data/world_small.yaml");
    assert_int_equal(sf_script_load_string(r.S,
                                           "local t = shop.agent('truck.1')\n"
                                           "t:move_to('rack_a')\n"
                                           "t:drop(0)\n",
                                           "@bad.lua"),
                     SF_OK);
    assert_int_equal(sf_script_run(r.S, SF_TIME_MAX), SF_ESCRIPT);
    assert_non_null(strstr(sf_script_error(r.S), "bad.lua:3:"));
    assert_non_null(strstr(sf_script_error(r.S), "drop: agent 'truck.1' carries nothing"));
    stop(&r);
}

/* Two trucks meet head-on on a single lane with no way round: the run fails naming both, what each holds and wants. */
static void test_world_lua_traffic_deadlock_fails_the_run_with_the_agents(void **state)
{
    struct run r;
    int rc;
    (void)state;
    start(&r, "tests/script/data/head_on.yaml");
    assert_int_equal(sf_script_load_string(r.S,
                                           "sim.spawn('a', function() shop.agent('truck.1'):move_to('east') end)\n"
                                           "sim.spawn('b', function() shop.agent('truck_east.1'):move_to('west') end)\n",
                                           "meet.lua"),
                     SF_OK);
    rc = sf_script_run(r.S, SF_TIME_MAX);
    assert_int_equal(rc, SF_EDEADLOCK);
    /* truck.1 covers 20 m (2 s up, 18 s at 1 m/s, 2 s down) to m2, where truck_east.1 already waits */
    if (!strstr(sf_script_error(r.S), "traffic deadlock at t = 00:00:22: 2 agents wait for each other:"))
        fail_msg("%s", sf_script_error(r.S));
    /* each names the segments it holds and the one it wants, with who holds that: the circle is plain */
    assert_non_null(strstr(sf_script_error(r.S), "\n  'truck.1' at node 'm2' since 00:00:22: holds m1-m2; wants m2-east "
                                                 "(held by 'truck_east.1')\n"));
    /* truck_east.1 reached m2 after 10 m: 2 s up, 8 s at 1 m/s, 2 s down */
    assert_non_null(strstr(sf_script_error(r.S), "\n  'truck_east.1' at node 'm2' since 00:00:12: holds m2-east; "
                                                 "wants m1-m2 (held by 'truck.1')"));
    stop(&r);
}

/*
 * shop.distance on foot keeps to the fences (tests/model/data/fenced_cell.yaml):
 * the aisle west-mid-east runs through the guarded arm's 1.5 m reach, so a
 * vehicle's way is 10 + 10 = 20 m and a person's the walkway 3 m south,
 * 3 + 20 + 3 = 26 m; a way that is neither is an error.
 */
static void test_world_lua_distance_on_foot_goes_round_the_fence(void **state)
{
    struct run r;
    (void)state;
    start(&r, "tests/model/data/fenced_cell.yaml");
    assert_int_equal(sf_script_load_string(r.S,
                                           "assert(shop.distance('west', 'east') == 20)\n"
                                           "assert(shop.distance('west', 'east', 'vehicle') == 20)\n"
                                           "assert(shop.distance('west', 'east', 'foot') == 26)\n"
                                           "assert(shop.distance('east', 'west', 'foot') == 26)\n"
                                           "shop.distance('west', 'east', 'feet')\n",
                                           "@foot.lua"),
                     SF_OK);
    assert_int_equal(sf_script_run(r.S, SF_TIME_MAX), SF_ESCRIPT);
    if (!strstr(sf_script_error(r.S), "foot.lua:5:") ||
        !strstr(sf_script_error(r.S), "distance: way 'feet' is neither 'vehicle' nor 'foot'"))
        fail_msg("%s", sf_script_error(r.S));
    stop(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_lua_put_away_times_match_the_hand_calculation),
        cmocka_unit_test(test_world_lua_errors_name_the_line_and_the_agent),
        cmocka_unit_test(test_world_lua_traffic_deadlock_fails_the_run_with_the_agents),
        cmocka_unit_test(test_world_lua_distance_on_foot_goes_round_the_fence),
    };
    return cmocka_run_group_tests_name("world_lua", tests, NULL, NULL);
}
