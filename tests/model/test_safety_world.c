/*
 * The three collaboration modes keep their meaning in a running plant
 * (tests/model/data/safety_cell.yaml: an arm beside an aisle, operators
 * who fit parts with it and walk past it):
 *   fenced  people wait for the robot; it never slows or stops;
 *   ssm     nobody waits; the robot runs at full speed part of its working
 *           time and at reduced speed (or stopped) only while a person is
 *           within its slow (stop) distance, checked at every change from
 *           the people's exact positions;
 *   pfl     nobody waits; the robot is at reduced speed all its working
 *           time and never stops.
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
#include "experiment/session.h"
#include "model/network.h"
#include "model/safety.h"

#define MAXA 8

struct watch {
    sf_world *w;
    sf_state state[MAXA];
    sf_time since[MAXA];
    sf_time in[MAXA][SF_STATES];
    uint32_t arm;
    uint64_t changes_checked, too_far;
    uint64_t events[SF_SAFETY_NEAR_MISS + 1];
};

/* The closest person to the arm's base now, in metres from the edge of its reach. */
static double closest_person(struct watch *w, sf_time now)
{
    double slow, stop, best = INFINITY;
    sf_safety *s = sf_world_safety(w->w);
    uint32_t n = sf_world_agent_count(w->w);
    const sf_agent *arm = sf_world_agent(w->w, w->arm);
    const sf_scenario_config *cfg = sf_world_config(w->w);
    const sf_cfg_node *base = &cfg->layout.nodes[cfg->layout.stations[cfg->fleet.types[arm->type].home_station].node];

    sf_safety_mode_of(s, w->arm, &slow, &stop);
    for (uint32_t i = 0; i < n; i++) {
        const sf_agent *a = sf_world_agent(w->w, i);
        double x, y;
        if (a->kind != SF_AGENT_WORKER)
            continue;
        sf_movers_position(sf_world_movers(w->w), a->mover, now, &x, &y, NULL);
        best = fmin(best, hypot(x - base->x, y - base->y));
    }
    return best;
}

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    struct watch *w = ctx;

    if (e != SF_ENTITY_AGENT || id >= MAXA)
        return;
    w->in[id][w->state[id]] += now - w->since[id];
    w->state[id] = s;
    w->since[id] = now;
    if (id == w->arm && (s == SF_STATE_REDUCED_SPEED || s == SF_STATE_SAFETY_STOP) &&
        sf_safety_mode_of(sf_world_safety(w->w), w->arm, NULL, NULL) == SF_SAFETY_SSM) {
        double slow, stop, d = closest_person(w, now);
        sf_safety_mode_of(sf_world_safety(w->w), w->arm, &slow, &stop);
        w->changes_checked++;
        if (d > (s == SF_STATE_SAFETY_STOP ? stop : slow) + 1e-6) {
            w->too_far++;
            fprintf(stderr, "arm %s at t = %.3f s with the closest person %.6f m from its base\n",
                    sf_state_name(s), (double)now / 1e9, d);
        }
    }
}

static void on_safety(void *ctx, const sf_safety_event *ev)
{
    struct watch *w = ctx;
    w->events[ev->what]++;
}

static sf_session *open_file(struct watch *w, const char *file, const char *const *sets, size_t nsets);

static sf_session *open_run(struct watch *w, const char *const *sets, size_t nsets)
{
    return open_file(w, "safety_cell.yaml", sets, nsets);
}

static sf_session *open_file(struct watch *w, const char *file, const char *const *sets, size_t nsets)
{
    char path[1024];
    sf_session_spec spec = {0};
    sf_session *s;
    sf_observer o = {on_state, NULL, NULL, on_safety, NULL, w, NULL};
    int status;
    static FILE *devnull;

    if (!devnull)
        devnull = fopen("/dev/null", "w");
    snprintf(path, sizeof path, "%s/tests/model/data/%s", getenv("SHOPFLOOR_SOURCE_DIR"), file);
    if (!getenv("SHOPFLOOR_SCRIPTS")) {
        char scripts[1024];
        snprintf(scripts, sizeof scripts, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
        setenv("SHOPFLOOR_SCRIPTS", scripts, 1);
    }
    spec.model = path;
    spec.sets = sets;
    spec.nsets = nsets;
    spec.log = devnull;
    memset(w, 0, sizeof *w);
    s = sf_session_new(&spec, &status);
    assert_non_null(s);
    w->w = sf_session_world(s);
    w->arm = sf_world_find_agent(w->w, "welder.1");
    assert_true(w->arm < MAXA);
    assert_true(sf_world_agent_count(w->w) <= MAXA);
    for (uint32_t i = 0; i < sf_world_agent_count(w->w); i++)
        w->state[i] = sf_world_agent(w->w, i)->state;
    assert_int_equal(sf_world_observe(w->w, &o), SF_OK);
    return s;
}

/* Close the state intervals at the end and add up the people's time in `st`. */
static sf_time people_in(struct watch *w, sf_state st, sf_time end)
{
    sf_time t = 0;

    for (uint32_t i = 0; i < sf_world_agent_count(w->w); i++) {
        if (w->since[i] < end) {
            w->in[i][w->state[i]] += end - w->since[i];
            w->since[i] = end;
        }
        if (sf_world_agent(w->w, i)->kind == SF_AGENT_WORKER)
            t += w->in[i][st];
    }
    return t;
}

static void run(struct watch *w, sf_session *s, sf_safety_stats *st)
{
    sf_time end;

    assert_int_equal(sf_session_run(s), SF_OK);
    end = sf_kernel_now(sf_session_kernel(s));
    people_in(w, SF_STATE_IDLE, end);
    *st = sf_safety_robot_stats(sf_world_safety(w->w), w->arm, end);
    assert_true(sf_stations_counts(sf_world_stations(w->w)).completed > 20);
}

static void test_safety_world_fenced_people_wait_and_the_arm_never_slows(void **state)
{
    static const char *const sets[] = {
        "safety.robots.welder.mode=fenced",         "safety.robots.welder.slow_distance=~",
        "safety.robots.welder.stop_distance=~",     "safety.robots.welder.reduced_speed=~",
        "safety.robots.welder.resume_delay=~",
    };
    struct watch w;
    sf_safety_stats st;
    sf_session *s = open_run(&w, sets, 5);
    (void)state;
    run(&w, s, &st);
    assert_int_equal(st.mode, SF_SAFETY_FENCED);
    assert_true(people_in(&w, SF_STATE_WAIT_ROBOT, 0) > 0);
    assert_true(st.waits > 0 && st.waited > 0);
    assert_int_equal(w.in[w.arm][SF_STATE_REDUCED_SPEED], 0);
    assert_int_equal(w.in[w.arm][SF_STATE_SAFETY_STOP], 0);
    assert_int_equal(st.reduced, 0);
    assert_int_equal(st.stops, 0);
    assert_true(st.lost == 0);
    assert_int_equal(w.events[SF_SAFETY_SLOW] + w.events[SF_SAFETY_STOP], 0);
    assert_true(w.in[w.arm][SF_STATE_WORKING] > 0);
    sf_session_free(s);
}

static void test_safety_world_ssm_slows_only_while_people_are_near(void **state)
{
    struct watch w;
    sf_safety_stats st;
    sf_session *s = open_run(&w, NULL, 0);
    (void)state;
    run(&w, s, &st);
    assert_int_equal(st.mode, SF_SAFETY_SSM);
    assert_int_equal(people_in(&w, SF_STATE_WAIT_ROBOT, 0), 0);
    assert_int_equal(st.waits, 0);
    /* reduced some of the time, full speed some of the time */
    assert_true(w.in[w.arm][SF_STATE_REDUCED_SPEED] > 0);
    assert_true(w.in[w.arm][SF_STATE_WORKING] > 0);
    assert_int_equal(st.reduced, w.in[w.arm][SF_STATE_REDUCED_SPEED]);
    assert_int_equal(st.stopped, w.in[w.arm][SF_STATE_SAFETY_STOP]);
    /* and only ever with a person near */
    assert_true(w.changes_checked > 0);
    assert_int_equal(w.too_far, 0);
    sf_session_free(s);
}

static void test_safety_world_pfl_is_reduced_all_its_working_time(void **state)
{
    static const char *const sets[] = {
        "safety.robots.welder.mode=pfl",            "safety.robots.welder.max_speed=0.25 m/s",
        "safety.robots.welder.slow_distance=~",     "safety.robots.welder.stop_distance=~",
        "safety.robots.welder.reduced_speed=~",     "safety.robots.welder.resume_delay=~",
        "fleet.welder.power={idle: 0.2 kW, working: 1 kW}",
    };
    struct watch w;
    sf_safety_stats st;
    sf_session *s = open_run(&w, sets, 7);
    const sf_meter *m;
    (void)state;
    run(&w, s, &st);
    assert_int_equal(st.mode, SF_SAFETY_PFL);
    assert_int_equal(people_in(&w, SF_STATE_WAIT_ROBOT, 0), 0);
    assert_true(st.working > 0);
    assert_int_equal(st.reduced, st.working);
    assert_int_equal(st.stops, 0);
    assert_int_equal(w.in[w.arm][SF_STATE_SAFETY_STOP], 0);
    /* the crew hook says working, safety says reduced at the same instant: no time at full speed */
    assert_int_equal(w.in[w.arm][SF_STATE_WORKING], 0);
    assert_int_equal(w.in[w.arm][SF_STATE_REDUCED_SPEED], st.working);
    /* at a quarter of its 1 m/s it draws idle + (working - idle) x 0.25 = 200 + 800 x 0.25 = 400 W while working */
    m = &sf_world_agent(w.w, w.arm)->meter;
    assert_true(m->time[SF_POWER_WORKING] > 0);
    assert_true(fabs(m->energy[SF_POWER_WORKING] - 400 * m->time[SF_POWER_WORKING]) <= 1e-9 * m->energy[SF_POWER_WORKING]);
    sf_session_free(s);
}

/*
 * A fenced cell is an obstacle on foot (tests/model/data/fenced_cell.yaml):
 * the aisle west-mid-east passes 1 m from the arm's base, inside its 1.5 m
 * reach, so the operator who preps at `west` and checks at `east` walks
 * the walkway 3 m south: 3 + 20 + 3 = 26 m each way instead of 20 m (a
 * vehicle would still take the aisle). Its closest approach is then the
 * walkway's 4 m from the base less the 1.5 m reach, 2.5 m, and it makes
 * no separation violation; through the cell it made 39 in this run.
 */
static void test_safety_world_a_passer_by_goes_round_a_fenced_cell(void **state)
{
    struct watch w;
    sf_safety_stats st;
    sf_session *s = open_file(&w, "fenced_cell.yaml", NULL, 0);
    sf_network *net = sf_world_network(w.w);
    uint32_t west, east;
    sf_route r;
    (void)state;
    w.arm = sf_world_find_agent(w.w, "welder.1");
    assert_int_equal(sf_network_find_node(net, "west", &west), SF_OK);
    assert_int_equal(sf_network_find_node(net, "east", &east), SF_OK);
    assert_int_equal(sf_network_route_as(net, west, east, 1, true, &r), SF_OK);
    assert_true(fabs(r.length - 26) < 1e-9);
    sf_route_close(&r);
    assert_int_equal(sf_network_route_as(net, east, west, 1, true, &r), SF_OK);
    assert_true(fabs(r.length - 26) < 1e-9);
    sf_route_close(&r);
    assert_int_equal(sf_network_route_as(net, west, east, 1, false, &r), SF_OK);
    assert_true(fabs(r.length - 20) < 1e-9);
    sf_route_close(&r);
    run(&w, s, &st);
    assert_int_equal(st.mode, SF_SAFETY_FENCED);
    assert_true(st.working > 0);
    assert_int_equal(st.violations, 0);
    assert_int_equal(st.violation_time, 0);
    assert_int_equal(st.near_misses, 0);
    assert_true(fabs(st.min_separation - 2.5) < 1e-9);
    assert_int_equal(people_in(&w, SF_STATE_WAIT_ROBOT, 0), 0);
    sf_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safety_world_fenced_people_wait_and_the_arm_never_slows),
        cmocka_unit_test(test_safety_world_ssm_slows_only_while_people_are_near),
        cmocka_unit_test(test_safety_world_pfl_is_reduced_all_its_working_time),
        cmocka_unit_test(test_safety_world_a_passer_by_goes_round_a_fenced_cell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
