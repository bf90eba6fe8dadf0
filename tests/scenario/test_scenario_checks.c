/*
 * Model checks across sections: places a vehicle cannot reach, work no
 * crew can do, rack levels no forklift can lift to, batteries with no
 * charger, transports no carrier can do. They run only when every section reads cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#define PLANT(segments, fleet, racks, products)                                                                    \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: b, at: [10, 0]}, {name: c, at: [10, 10]}]\n"                          \
    "  segments: " segments "\n"                                                                                   \
    "  stations: [{name: weld1, group: weld, node: b}, {name: pack1, group: pack, node: c}]\n"                     \
    "  racks: " racks "\n"                                                                                         \
    "fleet:\n" fleet "products:\n" products

#define TWO_WAY "[{path: [a, b, c]}]"
#define NO_RACKS "[]"
#define WORKERS "  - {name: op, kind: worker, count: 2, home: a, speed: 1 m/s, skills: [welding]}\n"
#define NO_PRODUCTS "  []\n"

static void test_checks_a_valid_plant_passes(void **state)
{
    (void)state;
    sf_scenario_config_free(load_ok(PLANT(TWO_WAY,
                                          WORKERS "  - {name: fl, kind: forklift, count: 1, home: a, speed: 2 m/s, "
                                                  "lift_height: 5 m}\n",
                                          "[{name: r, node: c, bays: 4, levels: 3, level_height: 2 m}]",
                                          "  - {name: p, routing: [{station: weld, crew: {worker: 2}, skill: welding, "
                                          "time: 1 min}]}\n")));
}

static void test_checks_a_node_a_vehicle_cannot_reach_from_its_home(void **state)
{
    (void)state;
    /* b -> a is one-way, so an AGV at a never gets to b or c. */
    sf_diags d;
    sf_diags_init(&d);
    assert_null(load_text(PLANT("[{path: [b, a], two_way: false}, {path: [b, c]}]",
                                WORKERS "  - {name: tug, kind: agv, count: 1, home: a, speed: 1 m/s}\n", NO_RACKS,
                                NO_PRODUCTS),
                          &d));
    expect_diag(&d, "t.yaml:5:21: station 'weld1' (node 'b') cannot be reached from 'a', the home of tug");
    expect_diag(&d, "t.yaml:5:58: station 'pack1' (node 'c') cannot be reached from 'a', the home of tug");
    assert_int_equal(sf_diags_count(&d), 2);
    sf_diags_close(&d);
    /* Workers walk; the one-way rule is for vehicles, so the same plant without the AGV is fine. */
    sf_scenario_config_free(load_ok(PLANT("[{path: [b, a], two_way: false}, {path: [b, c]}]", WORKERS, NO_RACKS,
                                          NO_PRODUCTS)));
}

static void test_checks_a_rack_level_higher_than_any_forklift_can_lift(void **state)
{
    (void)state;
    expect_load_fails_with(PLANT(TWO_WAY,
                                 WORKERS "  - {name: fl, kind: forklift, count: 1, home: a, speed: 2 m/s, lift_height: 5 m}\n"
                                         "  - {name: reach, kind: forklift, count: 1, home: a, speed: 2 m/s, lift_height: 7.5 m}\n",
                                 "[{name: r, node: c, bays: 4, levels: 5, level_heights: [0 m, 2 m, 4 m, 6 m, 8 m]}]",
                                 NO_PRODUCTS),
                           "t.yaml:6:65: rack 'r' level 5 is at 8 m, higher than any forklift can lift (highest: 7.5 m, reach)");
    expect_load_fails_with(PLANT(TWO_WAY, WORKERS, "[{name: r, node: c, bays: 4, levels: 2, level_height: 2 m}]",
                                 NO_PRODUCTS),
                           "t.yaml:6:64: rack 'r' level 2 is at 2 m but the fleet has no forklift to lift to it");
    /* An AS/RS lifts its own loads. */
    sf_scenario_config_free(load_ok(PLANT(
        TWO_WAY, WORKERS,
        "[{name: r, kind: asrs, node: c, bays: 40, levels: 12, level_height: 1.5 m, cycle_time: 'tri(40 s, 50 s, 70 s)'}]",
        NO_PRODUCTS)));
}

static void test_checks_an_operation_no_crew_can_perform(void **state)
{
    (void)state;
    expect_load_fails_with(PLANT(TWO_WAY, WORKERS, NO_RACKS,
                                 "  - {name: p, routing: [{station: weld, crew: {worker: 3}, time: 1 min}]}\n"),
                           "t.yaml:10:25: operation 1 of product 'p' needs 3 worker but the fleet has 2");
    expect_load_fails_with(PLANT(TWO_WAY, WORKERS, NO_RACKS,
                                 "  - {name: p, routing: [{name: pk, station: pack, crew: {any: [worker, humanoid]}, "
                                 "skill: packing, time: 1 min}]}\n"),
                           "t.yaml:10:25: operation 1 ('pk') of product 'p' needs 1 any of worker, humanoid with skill "
                           "'packing' but the fleet has 0");
    /* An arm only works at its own station: one at weld1 cannot do the packing. */
    expect_load_fails_with(PLANT(TWO_WAY, WORKERS "  - {name: arm1, kind: arm, count: 1, home: weld1}\n", NO_RACKS,
                                 "  - {name: p, routing: [{station: pack, crew: {arm: 1}, time: 1 min}]}\n"),
                           "t.yaml:11:25: operation 1 of product 'p' needs 1 arm but the fleet has 0 (an arm counts "
                           "only at a station of the operation's group)");
}

static void test_checks_a_battery_without_a_charger(void **state)
{
    (void)state;
    expect_load_fails_with(PLANT(TWO_WAY,
                                 WORKERS "  - {name: tug, kind: agv, count: 1, home: a, speed: 1 m/s, battery: "
                                         "{capacity: 4 kWh, charge_power: 2 kW}}\n",
                                 NO_RACKS, NO_PRODUCTS),
                           "t.yaml:9:12: agv 'tug' runs on a battery but the layout has no charger");
}

/* A typo is reported once, not echoed as model problems that follow from it. */
static void test_checks_do_not_run_on_a_scenario_with_section_problems(void **state)
{
    (void)state;
    expect_load_fails_with(PLANT("[{path: [b, a], two_way: false}, {path: [b, c]}]",
                                 WORKERS "  - {name: tug, kind: agv, count: 1, home: a, speed: 1 m/s, colour: red}\n",
                                 NO_RACKS, NO_PRODUCTS),
                           "t.yaml:9:61: unknown key 'colour' in fleet entry 'tug'; known keys: name, kind, count, "
                           "home, speed, speed_loaded, accel, decel, payload, lift_height, lift_speed, handling, "
                           "reach, power, battery, skills, ...");
}

#define CARRIERS                                                                                                   \
    WORKERS "  - {name: tug, kind: agv, count: 1, home: a, speed: 1 m/s, payload: 50 kg}\n"                         \
            "  - {name: arm1, kind: arm, count: 1, home: weld1}\n"
#define CARRIED(what) "  - {name: p, transport: " what ", routing: [{station: weld, time: 1 min}]}\n"

/* A transport names vehicles or people the fleet has, one vehicle a unit, never arms, and a vehicle that can lift it. */
static void test_checks_a_transport_no_carrier_can_do(void **state)
{
    (void)state;
    sf_scenario_config_free(load_ok(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("{worker: 2}"))));
    sf_scenario_config_free(load_ok(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("tug"))));
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS,
                                 "  - {name: p, mass: 80 kg, transport: agv, routing: [{station: weld, time: 1 min}]}\n"),
                           "t.yaml:12:39: the transport of product 'p' (80 kg a unit) has no vehicle that carries it: "
                           "the highest payload among agv is 50 kg");
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("{any: [agv, worker]}")),
                           "t.yaml:12:26: the transport of product 'p' mixes vehicles and people; name one or the other "
                           "({any: [agv, forklift]} or {any: [worker, humanoid]})");
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("{arm: 1}")),
                           "t.yaml:12:26: the transport of product 'p' names an arm; arms stay at their station "
                           "(carry with forklift, agv, worker or humanoid)");
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("{agv: 2}")),
                           "t.yaml:12:26: the transport of product 'p': a unit rides one vehicle ({agv: 1} or "
                           "{any: [agv, forklift]})");
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS, CARRIED("{worker: 3}")),
                           "t.yaml:12:26: the transport of product 'p' needs 3 worker but the fleet has 2");
}

/* A made product names its family; a family named like a product, or on a stored good, is refused. */
static void test_checks_a_product_family_has_a_name_of_its_own(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(PLANT(TWO_WAY, CARRIERS, NO_RACKS,
                      "  - {name: p, family: drive, routing: [{station: weld, time: 1 min}]}\n"
                      "  - {name: q, family: drive, routing: [{station: weld, time: 1 min}]}\n"));
    assert_string_equal(c->products[0].family, "drive");
    assert_string_equal(c->products[1].family, "drive");
    sf_scenario_config_free(c);
    expect_load_fails_with(PLANT(TWO_WAY, CARRIERS, NO_RACKS,
                                 "  - {name: p, family: q, routing: [{station: weld, time: 1 min}]}\n"
                                 "  - {name: q, routing: [{station: weld, time: 1 min}]}\n"),
                           "t.yaml:12:23: product p: family 'q' is also a product's name; give the family a name of "
                           "its own");
}

/*
 * People may not walk through a guarded robot's reach (model/safety.h,
 * sf_safety_fences): the arm at `cell` (1 m off the aisle a-m-z, reach
 * 1.5 m) fences both aisle segments, so the operator at `a` can no longer
 * walk to the packing station at `z`; a walkway round the cell mends it.
 */
#define FENCED_PLANT(walkway)                                                                                     \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: m, at: [10, 0]}, {name: z, at: [20, 0]}, {name: cell, at: [10, 1]},"  \
    " {name: s1, at: [0, -3]}, {name: s2, at: [20, -3]}]\n"                                                        \
    "  segments: [{path: [a, m, z]}, {path: [m, cell]}" walkway "]\n"                                             \
    "  stations: [{name: weld1, group: weld, node: cell}, {name: pack1, group: pack, node: z}]\n"                 \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [packing]}\n"                          \
    "  - {name: welder, kind: arm, count: 1, home: weld1, reach: 1.5 m, skills: [welding]}\n"                     \
    "products:\n"                                                                                                  \
    "  - {name: p, routing: [{station: weld, crew: {arm: 1}, skill: welding, time: 1 min},"                        \
    " {station: pack, crew: {worker: 1}, skill: packing, time: 1 min}]}\n"

/*
 * A repair crew walks too: the same plant where only the welding arm
 * works, and the packing station at `z` is reached by nobody but the
 * operator who repairs it (its failure's crew), is refused for that
 * reason; with the walkway it checks.
 */
#define REPAIRED_PLANT(walkway)                                                                                   \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: m, at: [10, 0]}, {name: z, at: [20, 0]}, {name: cell, at: [10, 1]},"  \
    " {name: s1, at: [0, -3]}, {name: s2, at: [20, -3]}]\n"                                                        \
    "  segments: [{path: [a, m, z]}, {path: [m, cell]}" walkway "]\n"                                             \
    "  stations: [{name: weld1, group: weld, node: cell}, {name: pack1, group: pack, node: z}]\n"                 \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [maintenance]}\n"                      \
    "  - {name: welder, kind: arm, count: 1, home: weld1, reach: 1.5 m, skills: [welding]}\n"                     \
    "products:\n"                                                                                                  \
    "  - {name: p, routing: [{station: weld, crew: {arm: 1}, skill: welding, time: 1 min}]}\n"                     \
    "failures:\n"                                                                                                  \
    "  - {name: jam, station: pack1, mtbf: 8 h, mttr: 10 min}\n"

static void test_checks_a_repair_crew_must_reach_its_station(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(REPAIRED_PLANT(""), &d));
    expect_diag(&d, "t.yaml:7:12: station 'pack1' (node 'z') cannot be reached on foot from 'a', the home of op: "
                    "every way crosses a fenced robot's reach or a robots_only zone; hint: route an aisle round the "
                    "fence, at least the robot's reach from its station (docs/safety.md)");
    assert_int_equal(sf_diags_count(&d), 1);
    sf_diags_close(&d);
    sf_scenario_config_free(load_ok(REPAIRED_PLANT(", {path: [a, s1, s2, z]}")));
}

/*
 * An agent's repair crew walks to where the agent stops (the node it
 * stands at or last passed): an AGV on the aisle a-m-z, whose node `m` is
 * within the welding arm's fenced reach (the cell 1 m off the aisle), may
 * stop right after passing `m`, where the operator cannot walk: refused
 * at the failure. With the cell 3 m off the aisle (out of reach), or with
 * 'repair: none', it checks.
 */
#define AGV_REPAIRED_PLANT(cell, how)                                                                          \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: m, at: [10, 0]}, {name: z, at: [20, 0]}, {name: cell, at: [10, " cell \
    "]}]\n"                                                                                                        \
    "  segments: [{path: [a, m, z]}, {path: [m, cell]}]\n"                                                        \
    "  stations: [{name: weld1, group: weld, node: cell}]\n"                                                      \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [maintenance]}\n"                      \
    "  - {name: welder, kind: arm, count: 1, home: weld1, reach: 1.5 m, skills: [welding]}\n"                     \
    "  - {name: tugger, kind: agv, count: 1, home: z, speed: 1 m/s}\n"                                            \
    "products:\n"                                                                                                  \
    "  - {name: p, routing: [{station: weld, crew: {arm: 1}, skill: welding, time: 1 min}]}\n"                     \
    "failures:\n"                                                                                                  \
    "  - {name: flat, agents: tugger, mtbf: 8 h, mttr: 10 min" how "}\n"

static void test_checks_an_agent_repair_crew_must_reach_where_it_stops(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(AGV_REPAIRED_PLANT("1", ""), &d));
    expect_diag(&d, "t.yaml:13:12: the repair of failure 'flat' walks to where agv 'tugger' stands, but node 'm', "
                    "where it may stop, cannot be reached on foot by anyone of its crew: every way crosses a fenced "
                    "robot's reach or a robots_only zone; hint: open a walkway to it, or write 'repair: none' "
                    "(recovered by nobody of the fleet)");
    assert_int_equal(sf_diags_count(&d), 1);
    sf_diags_close(&d);
    sf_scenario_config_free(load_ok(AGV_REPAIRED_PLANT("3", "")));
    sf_scenario_config_free(load_ok(AGV_REPAIRED_PLANT("1", ", repair: none")));
}

static void test_checks_a_station_people_cannot_reach_round_a_fence(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(FENCED_PLANT(""), &d));
    expect_diag(&d, "t.yaml:7:12: station 'pack1' (node 'z') cannot be reached on foot from 'a', the home of op: "
                    "every way crosses a fenced robot's reach or a robots_only zone; hint: route an aisle round the "
                    "fence, at least the robot's reach from its station (docs/safety.md)");
    assert_int_equal(sf_diags_count(&d), 1);
    sf_diags_close(&d);
    sf_scenario_config_free(load_ok(FENCED_PLANT(", {path: [a, s1, s2, z]}")));
}

/*
 * Whom a robot calls walks too: the packing station at `z` is worked by a
 * learning arm alone, and the operator who rescues it (rescue_by operator)
 * or the engineer who programs it cannot reach it past the welding arm's
 * fence: refused at the person's entry; with the walkway it checks.
 */
#define HELPED_PLANT(walkway, skill, picker)                                                                      \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: m, at: [10, 0]}, {name: z, at: [20, 0]}, {name: cell, at: [10, 1]},"  \
    " {name: s1, at: [0, -3]}, {name: s2, at: [20, -3]}]\n"                                                        \
    "  segments: [{path: [a, m, z]}, {path: [m, cell]}" walkway "]\n"                                             \
    "  stations: [{name: weld1, group: weld, node: cell}, {name: pack1, group: pack, node: z}]\n"                 \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 1, home: a, speed: 1 m/s, skills: [" skill "]}\n"                        \
    "  - {name: welder, kind: arm, count: 1, home: weld1, reach: 1.5 m, skills: [welding]}\n"                     \
    "  - {name: picker, kind: arm, count: 1, home: pack1, reach: 1.5 m, skills: [packing], " picker "}\n"         \
    "products:\n"                                                                                                  \
    "  - {name: p, routing: [{station: weld, crew: {arm: 1}, skill: welding, time: 1 min},"                        \
    " {station: pack, crew: {arm: 1}, skill: packing, time: 1 min}]}\n"

#define RESCUED "learning: {success_first: 60 %, success_limit: 95 %, scale: 100, rescue_time: 3 min}"
#define PROGRAMMED "programming: {method: teach_pendant}"

static void test_checks_a_rescuer_or_programmer_must_reach_the_robot(void **state)
{
    static const char *const msg = "t.yaml:7:12: station 'pack1' (node 'z') cannot be reached on foot from 'a', the "
                                   "home of op: every way crosses a fenced robot's reach or a robots_only zone; hint: "
                                   "route an aisle round the fence, at least the robot's reach from its station "
                                   "(docs/safety.md)";
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(HELPED_PLANT("", "operator", RESCUED), &d));
    expect_diag(&d, msg);
    assert_int_equal(sf_diags_count(&d), 1);
    sf_diags_close(&d);
    sf_diags_init(&d);
    assert_null(load_text(HELPED_PLANT("", "engineer", PROGRAMMED), &d));
    expect_diag(&d, msg);
    assert_int_equal(sf_diags_count(&d), 1);
    sf_diags_close(&d);
    sf_scenario_config_free(load_ok(HELPED_PLANT(", {path: [a, s1, s2, z]}", "operator", RESCUED)));
    sf_scenario_config_free(load_ok(HELPED_PLANT(", {path: [a, s1, s2, z]}", "engineer", PROGRAMMED)));
}

/*
 * A guarded station is walked to, not through: the operator's home is the
 * welding arm's own station node `m`, in the middle of the line a-m-z, so
 * it reaches both its stations (a walk may start at a guarded station) but
 * cannot walk between them, a -> z or z -> a: the run would find no route
 * on the first trip from one to the other.
 */
#define GUARDED_LINE                                                                                              \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes: [{name: a, at: [0, 0]}, {name: m, at: [10, 0]}, {name: z, at: [20, 0]}]\n"                          \
    "  segments: [{path: [a, m, z]}]\n"                                                                            \
    "  stations: [{name: prep1, group: prep, node: a}, {name: weld1, group: weld, node: m},"                       \
    " {name: pack1, group: pack, node: z}]\n"                                                                      \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 1, home: m, speed: 1 m/s, skills: [prep, packing]}\n"                    \
    "  - {name: welder, kind: arm, count: 1, home: weld1, reach: 1.5 m, skills: [welding]}\n"                     \
    "products:\n"                                                                                                  \
    "  - {name: p, routing: [{station: prep, crew: {worker: 1}, skill: prep, time: 1 min},"                        \
    " {station: weld, crew: {arm: 1}, skill: welding, time: 1 min},"                                               \
    " {station: pack, crew: {worker: 1}, skill: packing, time: 1 min}]}\n"

static void test_checks_people_cannot_walk_through_a_guarded_station(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(GUARDED_LINE, &d));
    expect_diag(&d, "t.yaml:7:12: station 'pack1' (node 'z') cannot be reached on foot from station 'prep1' (node "
                    "'a'), where op also works: every way crosses a fenced robot's reach (a guarded station is walked "
                    "to, not through) or a robots_only zone; hint: route an aisle round the fence (docs/safety.md)");
    expect_diag(&d, "t.yaml:7:12: station 'prep1' (node 'a') cannot be reached on foot from station 'pack1' (node "
                    "'z'), where op also works: every way crosses a fenced robot's reach (a guarded station is walked "
                    "to, not through) or a robots_only zone; hint: route an aisle round the fence (docs/safety.md)");
    assert_int_equal(sf_diags_count(&d), 2);
    sf_diags_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_a_valid_plant_passes),
        cmocka_unit_test(test_checks_a_node_a_vehicle_cannot_reach_from_its_home),
        cmocka_unit_test(test_checks_a_rack_level_higher_than_any_forklift_can_lift),
        cmocka_unit_test(test_checks_an_operation_no_crew_can_perform),
        cmocka_unit_test(test_checks_a_battery_without_a_charger),
        cmocka_unit_test(test_checks_a_transport_no_carrier_can_do),
        cmocka_unit_test(test_checks_a_rescuer_or_programmer_must_reach_the_robot),
        cmocka_unit_test(test_checks_a_product_family_has_a_name_of_its_own),
        cmocka_unit_test(test_checks_do_not_run_on_a_scenario_with_section_problems),
        cmocka_unit_test(test_checks_a_station_people_cannot_reach_round_a_fence),
        cmocka_unit_test(test_checks_an_agent_repair_crew_must_reach_where_it_stops),
        cmocka_unit_test(test_checks_a_repair_crew_must_reach_its_station),
        cmocka_unit_test(test_checks_people_cannot_walk_through_a_guarded_station),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
