/*
 * Collaboration safety: separation distances against a worked example, band
 * crossing times of walking people against hand calculation, and what each
 * mode does to a robot's work (ssm slow/stop/resume, fenced waits, pfl).
 */
#include <math.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/kernel.h"
#include "core/time.h"
#include "model/motion.h"
#include "model/movers.h"
#include "model/network.h"
#include "model/safety.h"
#include "model/work.h"
#include "model/config.h"
#include "../scenario/helpers.h"

#define S SF_SECOND

static sf_time ns(double seconds)
{
    return (sf_time)llround(seconds * 1e9);
}

static void near_ns(sf_time got, double want_s, const char *what)
{
    sf_time want = ns(want_s);
    if (got < want - 1 || got > want + 1)
        fail_msg("%s: got %lld ns, expected %lld ns", what, (long long)got, (long long)want);
}

static void near_m(double got, double want, const char *what)
{
    if (fabs(got - want) > 1e-9)
        fail_msg("%s: got %.12g m, expected %.12g m", what, got, want);
}

/* ---- the separation distance ------------------------------------------------ */

/*
 * v_h = 1.6 m/s, T_r = 0.1 s, T_s = 0.3 s, C = 0.2 m, Z_d = 0.1 m, Z_r = 0.02 m.
 * At v_r = 1 m/s, S_s = 1 * 0.3 / 2 = 0.15 m:
 *   S_p = 1.6 * 0.4 + 1 * 0.1 + 0.15 + 0.2 + 0.1 + 0.02 = 1.21 m.
 * At 0.25 m/s, S_s = 0.0375 m: S_p = 0.64 + 0.025 + 0.0375 + 0.32 = 1.0225 m.
 */
static void test_safety_separation_matches_the_worked_example(void **state)
{
    sf_cfg_safety_rule r;
    double slow, stop;
    (void)state;
    memset(&r, 0, sizeof r);
    r.mode = SF_SAFETY_SSM;
    r.person_speed = 1.6;
    r.reaction_time = 100 * SF_MS;
    r.stopping_time = 300 * SF_MS;
    r.stopping_distance = -1;
    r.intrusion = 0.2;
    r.person_uncertainty = 0.1;
    r.robot_uncertainty = 0.02;
    r.reduced_speed = 0.25;
    near_m(sf_safety_separation(&r, 1.0), 1.21, "S_p at full speed");
    near_m(sf_safety_separation(&r, 0.25), 1.0225, "S_p at reduced speed");
    sf_safety_distances(&r, 1.0, &slow, &stop);
    near_m(slow, 1.21, "computed slow distance");
    near_m(stop, 1.0225, "computed stop distance");
    /* a given stopping distance replaces v_r T_s / 2 */
    r.stopping_distance = 0.5;
    near_m(sf_safety_separation(&r, 1.0), 1.56, "S_p with S_s given");
    /* distances written in the scenario win */
    r.slow_distance = 2;
    r.stop_distance = 0.6;
    sf_safety_distances(&r, 1.0, &slow, &stop);
    near_m(slow, 2, "given slow distance");
    near_m(stop, 0.6, "given stop distance");
}

/* ---- crossing times from geometry --------------------------------------------- */

/*
 * A 20 m leg along the x axis walked from full speed 1.2 m/s (v0 = vmax),
 * braking at 0.5 m/s^2 only in the last 1.44 m. The circle of radius 2.5
 * around (10, 2) meets the line at x = 10 -+ 1.5: s = 8.5 m and 11.5 m,
 * reached at 8.5 / 1.2 and 11.5 / 1.2 s.
 */
static void test_safety_crossings_at_constant_speed(void **state)
{
    sf_motion m;
    sf_leg leg = {20, 1.2};
    double line[4] = {0, 0, 20, 0}, s_from = 0, len = 20, s;
    (void)state;
    sf_motion_init(&m);
    assert_int_equal(sf_motion_plan(&m, &leg, 1, 1.2, 0.5, 0.5, 0), SF_OK);
    s = sf_safety_next_crossing(&m, line, &s_from, &len, 10, 2, 2.5, 0);
    near_m(s, 8.5, "entry");
    near_ns(sf_motion_time_at(&m, s), 8.5 / 1.2, "entry time");
    s = sf_safety_next_crossing(&m, line, &s_from, &len, 10, 2, 2.5, s);
    near_m(s, 11.5, "exit");
    near_ns(sf_motion_time_at(&m, s), 11.5 / 1.2, "exit time");
    assert_true(isinf(sf_safety_next_crossing(&m, line, &s_from, &len, 10, 2, 2.5, s)));
    /* a circle the path only touches is no crossing; one it misses neither */
    assert_true(isinf(sf_safety_next_crossing(&m, line, &s_from, &len, 10, 2, 2, 0)));
    assert_true(isinf(sf_safety_next_crossing(&m, line, &s_from, &len, 10, 5, 2, 0)));
    sf_motion_close(&m);
}

/* ---- a small plant: one arm, one person -------------------------------------------- */

#define MAXREC 64

struct rec {
    sf_time t;
    uint32_t who;
    double value;
};

struct plant {
    sf_kernel *k;
    sf_network *net;
    sf_movers *ms;
    sf_safety *s;
    sf_scenario_config cfg;
    sf_cfg_agent_type types[2];
    sf_cfg_safety_rule rule;
    sf_cfg_zone zone;
    double zone_xy[8];
    sf_cfg_camera cam;
    int cam_zone;
    struct rec rates[MAXREC], states[MAXREC], admits[MAXREC];
    int nrates, nstates, nadmits, stops, slows, resumes, near;
    /* an operation of the arm run through sf_work, as the model does */
    sf_work op;
    bool op_running;
    sf_event_id op_ev;
    uint32_t kind_op_end, kind_walk;
    sf_time op_done;
};

static void rec(struct rec *r, int *n, sf_time t, uint32_t who, double value)
{
    assert_true(*n < MAXREC);
    r[*n].t = t;
    r[*n].who = who;
    r[*n].value = value;
    (*n)++;
}

static void on_rate(void *ctx, uint32_t robot, double rate, sf_time now)
{
    struct plant *p = ctx;
    rec(p->rates, &p->nrates, now, robot, rate);
    if (p->op_running) {
        sf_time end;
        sf_kernel_cancel(p->k, p->op_ev);
        p->op_ev = 0;
        end = sf_work_set_rate(&p->op, now, rate);
        if (end != SF_TIME_MAX)
            assert_int_equal(sf_kernel_at(p->k, end, 0, p->kind_op_end, 0, &p->op_ev), SF_OK);
    }
}

static void on_state(void *ctx, uint32_t agent, sf_state st, sf_time now)
{
    struct plant *p = ctx;
    rec(p->states, &p->nstates, now, agent, st);
}

static void on_event(void *ctx, const sf_safety_event *ev)
{
    struct plant *p = ctx;
    p->stops += ev->what == SF_SAFETY_STOP;
    p->slows += ev->what == SF_SAFETY_SLOW;
    p->resumes += ev->what == SF_SAFETY_RESUME;
    p->near += ev->what == SF_SAFETY_NEAR_MISS;
}

static void on_admit(void *ctx, uint32_t person, uint32_t robot, sf_time now)
{
    struct plant *p = ctx;
    rec(p->admits, &p->nadmits, now, person, robot);
}

static void on_op_end(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct plant *p = ctx;
    (void)k;
    (void)ev;
    p->op_ev = 0;
    p->op_running = false;
    p->op_done = sf_kernel_now(p->k);
    sf_safety_working(p->s, 0, false, NULL, 0);
}

static void on_walk(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct plant *p = ctx;
    (void)k;
    assert_int_equal(sf_movers_move_to(p->ms, 0, ev->target, false), SF_OK);
}

/*
 * Nodes a (0, 0) and b (20, 0), one segment, and a node (ax, ay) joined to
 * a; the arm (agent 0) stands at (bx, by) with a reach of 0.5 m; the person (agent 1, mover 0) at a walks at
 * 1 m/s, accelerating and braking at 0.5 m/s^2. The whole floor is a
 * collaborative zone watched by a camera unless `camera` is false.
 */
static void build(struct plant *p, sf_safety_mode mode, bool camera, double ax, double ay, double bx, double by,
                  sf_time resume_delay, bool humanoid)
{
    sf_safety_agent agents[2];
    sf_safety_hooks hooks = {on_rate, on_state, on_event, on_admit, p};
    sf_mover_spec spec = {1.0, 1.0, 0.5, 0.5, true, 0, 0, false, 0, 0};
    const double xy[8] = {-50, -50, 50, -50, 50, 50, -50, 50};
    uint32_t a, b;
    char err[200];
    int kind;

    memset(p, 0, sizeof *p);
    p->k = sf_kernel_new();
    p->net = sf_network_new();
    assert_int_equal(sf_network_add_node(p->net, "a", 0, 0, &a), SF_OK);
    assert_int_equal(sf_network_add_node(p->net, "b", 20, 0, &b), SF_OK);
    assert_int_equal(sf_network_add_node(p->net, "at_arm", ax, ay, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(p->net, a, b, 0, INFINITY, 1, true, NULL), SF_OK);
    assert_int_equal(sf_network_add_segment(p->net, a, 2, 0, INFINITY, 1, true, NULL), SF_OK);
    p->ms = sf_movers_new(p->k, p->net, humanoid ? 2 : 1, 4, (sf_movers_hooks){0});
    assert_non_null(p->ms);
    assert_int_equal(sf_movers_place(p->ms, 0, a, &spec), SF_OK);
    if (humanoid) /* the robot is a humanoid standing at node 2 */
        assert_int_equal(sf_movers_place(p->ms, 1, 2, &spec), SF_OK);

    p->types[0].kind = humanoid ? SF_AGENT_HUMANOID : SF_AGENT_ARM;
    p->types[0].reach = 0.5;
    p->types[0].speed = humanoid ? 1 : 0;
    p->types[1].kind = SF_AGENT_WORKER;
    p->types[1].speed = 1;
    p->cfg.fleet.types = p->types;
    p->cfg.fleet.n_types = 2;
    p->rule.agent_type = 0;
    p->rule.mode = mode;
    p->rule.slow_distance = 1.5;  /* radius 2.0 around the base */
    p->rule.stop_distance = 0.7;  /* radius 1.2 */
    p->rule.reduced_speed = 0.25; /* rate 0.25 at the default robot speed of 1 m/s */
    p->rule.resume_delay = resume_delay;
    p->rule.person_speed = 1.6;
    p->rule.stopping_distance = -1;
    p->cfg.safety.rules = &p->rule;
    p->cfg.safety.n_rules = 1;
    memcpy(p->zone_xy, xy, sizeof xy);
    p->zone.kind = SF_ZONE_COLLABORATIVE;
    p->zone.xy = p->zone_xy;
    p->zone.n_points = 4;
    p->cfg.layout.zones = &p->zone;
    p->cfg.layout.n_zones = 1;
    p->cam_zone = 0;
    p->cam.zones = &p->cam_zone;
    p->cam.n_zones = 1;
    p->cfg.safety.cameras = &p->cam;
    p->cfg.safety.n_cameras = camera ? 1 : 0;

    agents[0] = humanoid ? (sf_safety_agent){SF_AGENT_HUMANOID, 0, 1, 0, 0}
                         : (sf_safety_agent){SF_AGENT_ARM, 0, SF_SAFETY_NONE, bx, by};
    agents[1] = (sf_safety_agent){SF_AGENT_WORKER, 1, 0, 0, 0};
    p->s = sf_safety_new(p->k, p->ms, &p->cfg, agents, 2, hooks, err, sizeof err);
    assert_non_null(p->s);
    assert_true((kind = sf_kernel_add_kind(p->k, "test.op_end", on_op_end, p)) >= 0);
    p->kind_op_end = (uint32_t)kind;
    assert_true((kind = sf_kernel_add_kind(p->k, "test.walk", on_walk, p)) >= 0);
    p->kind_walk = (uint32_t)kind;
}

static void teardown_plant(struct plant *p)
{
    sf_safety_free(p->s);
    sf_movers_free(p->ms);
    sf_network_free(p->net);
    sf_kernel_free(p->k);
}

static const char *arm_name(void *ctx, uint32_t agent)
{
    (void)ctx;
    return agent == 0 ? "cobot.1" : "?";
}

/* Start `amount` of work on the arm now, at the rate safety gives. */
static void start_op(struct plant *p, sf_time amount, const uint32_t *partners, size_t n)
{
    double rate = sf_safety_working(p->s, 0, true, partners, n);
    sf_time end = sf_work_start(&p->op, sf_kernel_now(p->k), amount, rate);
    p->op_running = true;
    if (end != SF_TIME_MAX)
        assert_int_equal(sf_kernel_at(p->k, end, 0, p->kind_op_end, 0, &p->op_ev), SF_OK);
}

/*
 * Walking a to b at 1 m/s: accelerating for 2 s over 1 m, then t = s + 1
 * until braking in the last metre. Around the arm at (10, 1):
 *   slow disc r = 2.0: x = 10 -+ sqrt(3)    -> t1 = 11 - sqrt(3), t4 = 11 + sqrt(3)
 *   stop disc r = 1.2: x = 10 -+ sqrt(0.44) -> t2 = 11 - sqrt(0.44), t3 = 11 + sqrt(0.44)
 * The arm (60 s of work from 0) slows at t1, stops at t2, goes back to
 * reduced speed 0.5 s after t3 and to full speed 0.5 s after t4.
 */
static void test_safety_ssm_slows_stops_and_resumes_for_a_passer_by(void **state)
{
    struct plant p;
    double t1 = 11 - sqrt(3), t2 = 11 - sqrt(0.44), t3 = 11 + sqrt(0.44), t4 = 11 + sqrt(3), left;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 500 * SF_MS, false);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[0].t, t1, "slow");
    assert_true(p.rates[0].value == 0.25);
    near_ns(p.rates[1].t, t2, "stop");
    assert_true(p.rates[1].value == 0);
    near_ns(p.rates[2].t, t3 + 0.5, "back to reduced");
    assert_true(p.rates[2].value == 0.25);
    near_ns(p.rates[3].t, t4 + 0.5, "back to full");
    assert_true(p.rates[3].value == 1);
    /* states told while working: reduced, stop, reduced, working */
    assert_int_equal(p.nstates, 4);
    assert_int_equal(p.states[0].value, SF_STATE_REDUCED_SPEED);
    assert_int_equal(p.states[1].value, SF_STATE_SAFETY_STOP);
    assert_int_equal(p.states[2].value, SF_STATE_REDUCED_SPEED);
    assert_int_equal(p.states[3].value, SF_STATE_WORKING);
    assert_int_equal(p.stops, 1);
    assert_int_equal(p.near, 1);
    assert_int_equal(p.resumes, 1);
    /* the operation ends where the hand calculation says: work done before t4 + 0.5 at the rates above */
    left = 60 - t1 - 0.25 * (t2 - t1) - 0.25 * (t4 - t3);
    near_ns(p.op_done, t4 + 0.5 + left, "operation end");
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.stops, 1);
    assert_int_equal(st.near_misses, 1);
    near_ns(st.stopped, t3 + 0.5 - t2, "time stopped");
    near_ns(st.reduced, (t2 - t1) + (t4 - t3), "time reduced");
    near_ns(st.working, t4 + 0.5 + left, "time working");
    assert_true(fabs(st.lost - (0.75 * ((t2 - t1) + (t4 - t3)) + (t3 + 0.5 - t2))) < 1e-8);
    /* the closest pass, 1 m from the base (0.5 m from the reach), falls in the protective stop; while
       the arm moved, the closest was at the edge of the stop disc: 1.2 m less the 0.5 m reach */
    near_m(st.min_separation, 0.7, "closest approach while the arm moved");
    assert_int_equal(st.violations, 0); /* the written distances stand for S_p, and the arm obeyed them */
    {
        /* the report line says the same, in hours and shares of the working time */
        FILE *f = tmpfile();
        char head[256], line[256], name[32], mode[16], rule[16], sep[16];
        double work_h, red, stp, lost, waited;
        unsigned long long stops, near, waits;
        double work = t4 + 0.5 + left;
        assert_non_null(f);
        assert_int_equal(sf_safety_report(p.s, f, sf_kernel_now(p.k), arm_name, NULL), SF_OK);
        rewind(f);
        assert_non_null(fgets(head, sizeof head, f)); /* blank */
        assert_non_null(fgets(head, sizeof head, f));
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        assert_int_equal(sscanf(line, "%31s %15s %15s %lf %lf %lf %llu %llu %15s %lf %llu %lf", name, mode, rule,
                                &work_h, &red, &stp, &stops, &near, sep, &lost, &waits, &waited),
                         12);
        assert_string_equal(name, "cobot.1");
        assert_string_equal(mode, "ssm");
        assert_string_equal(rule, "ssm");
        assert_true(fabs(work_h - work / 3600) < 0.006);
        assert_true(fabs(red - 100 * ((t2 - t1) + (t4 - t3)) / work) < 0.06);
        assert_true(fabs(stp - 100 * (t3 + 0.5 - t2) / work) < 0.06);
        assert_true(stops == 1 && near == 1 && waits == 0);
        assert_string_equal(sep, "0.70");
        assert_true(fabs(lost - 100 * (0.75 * ((t2 - t1) + (t4 - t3)) + (t3 + 0.5 - t2)) / work) < 0.06);
    }
    teardown_plant(&p);
}

/* Build the monitor of plant p again (an arm at (bx, by)), after its rule was changed. */
static void rebuild(struct plant *p, double bx, double by)
{
    sf_safety_agent agents[2] = {{SF_AGENT_ARM, 0, SF_SAFETY_NONE, bx, by}, {SF_AGENT_WORKER, 1, 0, 0, 0}};
    sf_safety_hooks hooks = {on_rate, on_state, on_event, on_admit, p};
    char err[200];

    sf_safety_free(p->s);
    p->s = sf_safety_new(p->k, p->ms, &p->cfg, agents, 2, hooks, err, sizeof err);
    assert_non_null(p->s);
}

/*
 * Separation violations, by hand. The walk of the test above past the arm
 * at (10, 1) under the same rule (slow 1.5 m, stop 0.7 m, resume 0.5 s),
 * but the rule's times say S_p is larger than its slow distance:
 * v_h = 0, T_r = 2.5 s, T_s = 0, C = 0 give S_p = 2.5 m at 1 m/s and
 * 0.625 m at 0.25 m/s. At full speed a person within 0.5 + 2.5 = 3 m of
 * the base is a violation: from x = 10 - sqrt(8) (t = 11 - sqrt(8)) until
 * the arm slows at t1 = 11 - sqrt(3); at reduced speed the limit,
 * 1.125 m, lies inside the stop disc (1.2 m), where the arm stands still,
 * so none; back at full speed at t4 + 0.5 the person is 2.45 m away, a
 * violation until x = 10 + sqrt(8), t = 11 + sqrt(8). Two episodes,
 * 2 (sqrt(8) - sqrt(3)) - 0.5 s in all; the rates are those of the test
 * above.
 */
static void test_safety_separation_violations_at_the_speed_the_robot_runs(void **state)
{
    struct plant p;
    double t1 = 11 - sqrt(3), t4 = 11 + sqrt(3);
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 500 * SF_MS, false);
    p.rule.person_speed = 0;
    p.rule.reaction_time = 2500 * SF_MS;
    rebuild(&p, 10, 1);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[0].t, t1, "slow");
    near_ns(p.rates[3].t, t4 + 0.5, "back to full");
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 2);
    near_ns(st.violation_time, 2 * (sqrt(8) - sqrt(3)) - 0.5, "time in violation");
    teardown_plant(&p);
}

/*
 * A fenced arm at (10, 0.3) with a reach of 0.5 m: the passer-by on y = 0
 * is inside its reach for |x - 10| <= 0.4, 0.8 s at 1 m/s, while it works:
 * one violation (a guard the layout lets people through) of 0.8 s, and
 * one near miss. Idle, the same walk is none.
 */
static void test_safety_fenced_reach_breached_is_a_violation(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 0.3, 0, false);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 1);
    near_ns(st.violation_time, 0.8, "inside the reach");
    assert_int_equal(st.near_misses, 1);
    teardown_plant(&p);
    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 0.3, 0, false);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 0);
    assert_int_equal(st.violation_time, 0);
    teardown_plant(&p);
}

/*
 * The passer-by inside the fenced arm's reach from 10.6 s to 11.4 s (0.3 m
 * from its base, within its 0.5 m reach) while the arm, at work from 0, is
 * down from 5 s to 12 s, as a repairer at a failed robot: no violation and
 * no closest approach counted (up at 11 s instead, the same walk is one
 * violation of 0.4 s, from 11 s, with a separation of 0).
 */
static void test_safety_failed_robot_is_no_hazard(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    for (int up_at = 12; up_at >= 11; up_at--) {
        build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 0.3, 0, false);
        start_op(&p, 60 * S, NULL, 0);
        assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
        assert_int_equal(sf_kernel_run_until(p.k, 5 * S), SF_OK);
        sf_safety_down(p.s, 0, true);
        assert_int_equal(sf_kernel_run_until(p.k, up_at * S), SF_OK);
        sf_safety_down(p.s, 0, false);
        assert_int_equal(sf_kernel_run(p.k), SF_OK);
        st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
        assert_int_equal(st.violations, up_at == 12 ? 0 : 1);
        near_ns(st.violation_time, up_at == 12 ? 0 : 0.4, "inside the reach after the repair");
        if (up_at == 12)
            assert_true(st.min_separation > 0);
        else
            assert_true(st.min_separation == 0);
        teardown_plant(&p);
    }
    /* back up and down again at the same instant, at 11 s with the person inside: an episode of no length is none */
    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 0.3, 0, false);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 5 * S), SF_OK);
    sf_safety_down(p.s, 0, true);
    assert_int_equal(sf_kernel_run_until(p.k, 11 * S), SF_OK);
    sf_safety_down(p.s, 0, false);
    sf_safety_down(p.s, 0, true);
    assert_int_equal(sf_kernel_run_until(p.k, 12 * S), SF_OK);
    sf_safety_down(p.s, 0, false);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 0);
    assert_int_equal(st.violation_time, 0);
    teardown_plant(&p);
}

/*
 * A camera outage turns the zone fenced for exactly the repair time: the
 * camera fails 100 s after the start (mtbf 100 s) and is repaired 30 s
 * later (mttr 30 s), then fails again at 230 s. The ssm arm runs fenced
 * from 100 s to 130 s: the passer-by who walks past it from 101 s (by the
 * arm from about 110 s to 114 s) slows and stops nothing, and its 300 s
 * of work end at 300 s; the time fenced by the outage is 30 s at 140 s
 * and 30 + 20 s at 250 s.
 */
static void test_safety_camera_outage_fences_the_robot_for_the_repair_time(void **state)
{
    struct plant p;
    sf_event_id walk;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    p.cam.name = "cell_cam";
    p.cam.fails = true;
    assert_int_equal(sf_dist_constant(&p.cam.mtbf, 100, NULL), SF_OK);
    assert_int_equal(sf_dist_constant(&p.cam.mttr, 30, NULL), SF_OK);
    rebuild(&p, 10, 1);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    start_op(&p, 300 * S, NULL, 0);
    assert_int_equal(sf_kernel_at(p.k, 101 * S, 0, p.kind_walk, 1, &walk), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 100 * S + 1), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_kernel_run_until(p.k, 140 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 140 * S).outage_fenced, 30 * S);
    assert_int_equal(sf_kernel_run_until(p.k, 250 * S), SF_OK);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 250 * S).outage_fenced, 50 * S);
    assert_int_equal(sf_kernel_run_until(p.k, 400 * S), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(p.op_done, 300 * S);
    teardown_plant(&p);
}

/*
 * A camera held down by an intervention fences the arm as its failures
 * do, and the two overlap: the camera above fails from 100 s to 130 s
 * and again from 230 s; held from 110 s to 150 s, the arm runs fenced
 * from 100 s to 150 s (50 s at 160 s) and again from 230 s (70 s at
 * 250 s). A release without a hold, or of a camera that is not there, is
 * refused.
 */
static void test_safety_camera_hold_overlaps_its_failure(void **state)
{
    struct plant p;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    p.cam.name = "cell_cam";
    p.cam.fails = true;
    assert_int_equal(sf_dist_constant(&p.cam.mtbf, 100, NULL), SF_OK);
    assert_int_equal(sf_dist_constant(&p.cam.mttr, 30, NULL), SF_OK);
    rebuild(&p, 10, 1);
    start_op(&p, 300 * S, NULL, 0);
    assert_int_equal(sf_kernel_run_until(p.k, 110 * S), SF_OK);
    assert_int_equal(sf_safety_camera_hold(p.s, 0, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 140 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_kernel_run_until(p.k, 150 * S), SF_OK);
    assert_int_equal(sf_safety_camera_hold(p.s, 0, false), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    assert_int_equal(sf_kernel_run_until(p.k, 160 * S), SF_OK);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 160 * S).outage_fenced, 50 * S);
    assert_int_equal(sf_kernel_run_until(p.k, 250 * S), SF_OK);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 250 * S).outage_fenced, 70 * S);
    assert_int_equal(sf_safety_camera_hold(p.s, 0, false), SF_EINVAL);
    assert_int_equal(sf_safety_camera_hold(p.s, 1, true), SF_EINVAL);
    teardown_plant(&p);
}

/*
 * An arm fenced by an intervention runs fenced while any fence is held,
 * whatever the cameras, and the time is no camera outage: the ssm arm
 * under a camera that never fails is fenced twice at 50 s, once lifted
 * at 60 s (still fenced), lifted again at 80 s (ssm), with no outage
 * counted; a person (agent 1) cannot be fenced, nor a fence lifted that
 * is not held.
 */
static void test_safety_fence_held_is_no_camera_outage(void **state)
{
    struct plant p;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    start_op(&p, 300 * S, NULL, 0);
    assert_int_equal(sf_kernel_run_until(p.k, 50 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    assert_int_equal(sf_safety_fence(p.s, 0, true, 50 * S), SF_OK);
    assert_int_equal(sf_safety_fence(p.s, 0, true, 50 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_kernel_run_until(p.k, 60 * S), SF_OK);
    assert_int_equal(sf_safety_fence(p.s, 0, false, 50 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_kernel_run_until(p.k, 80 * S), SF_OK);
    assert_int_equal(sf_safety_fence(p.s, 0, false, 50 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    assert_int_equal(sf_kernel_run_until(p.k, 100 * S), SF_OK);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 100 * S).outage_fenced, 0);
    assert_int_equal(sf_safety_fence(p.s, 0, false, 50 * S), SF_EINVAL);
    assert_int_equal(sf_safety_fence(p.s, 1, true, 50 * S), SF_EINVAL);
    assert_int_equal(sf_safety_fence(NULL, 0, true, 50 * S), SF_OK);
    teardown_plant(&p);
}

/*
 * A safety mode switched during a run (sf_safety_set_mode): the ssm arm
 * (collaborative speed 0.25 of full) fenced from the start, nobody near,
 * 100 s of work. Fenced 0-40 s: 40 s of work at rate 1; switched to pfl at
 * 40 s: the remaining 60 s at 0.25 from that instant; the pfl switch ends
 * at 120 s (20 s of work done in those 80 s): back to fenced, the mode
 * before it, and the last 40 s at rate 1: done at 160 s. By mode: fenced
 * 80 s working, nothing slowed or lost; pfl 80 s, all reduced, lost
 * 80 x 0.75 = 60 s; the totals are their sums.
 */
static void test_safety_switch_to_pfl_and_back_by_hand(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_FENCED, true), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    start_op(&p, 100 * S, NULL, 0);
    assert_true(sf_work_rate(&p.op) == 1);
    assert_int_equal(sf_kernel_run_until(p.k, 40 * S), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_PFL);
    assert_int_equal(p.nrates, 1);
    assert_int_equal(p.rates[0].t, 40 * S);
    assert_true(p.rates[0].value == 0.25);
    assert_int_equal(sf_kernel_run_until(p.k, 120 * S), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, false), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(p.nrates, 2);
    assert_true(p.rates[1].value == 1);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.op_done, 160 * S);
    st = sf_safety_robot_stats(p.s, 0, 160 * S);
    assert_true(st.switched);
    assert_int_equal(st.working, 160 * S);
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].working, 80 * S);
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].reduced, 0);
    assert_true(st.by_mode[SF_SAFETY_FENCED].lost == 0);
    assert_int_equal(st.by_mode[SF_SAFETY_PFL].working, 80 * S);
    assert_int_equal(st.by_mode[SF_SAFETY_PFL].reduced, 80 * S);
    assert_true(fabs(st.by_mode[SF_SAFETY_PFL].lost - 60) < 1e-9);
    assert_true(fabs(st.lost - 60) < 1e-9);
    assert_int_equal(st.by_mode[SF_SAFETY_SSM].working, 0);
    /* a switch ended after another one: the later stands */
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_SSM, true), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, false), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_SSM);
    teardown_plant(&p);
}

/*
 * A switch to ssm slows the arm from the instant a person is in its band:
 * the passer-by of test_safety_ssm_slows_stops_and_resumes_for_a_passer_by
 * (slow disc entered at t1 = 11 - sqrt(3) = 9.27 s) passes an arm fenced
 * until 10 s: nothing slows before the switch; at 10 s the person is in
 * the slow band and the arm runs at 0.25 from then; the stop and the
 * resumes follow as under its rule. Switched at 5 s instead, the slowdown
 * comes at t1, as if it had run ssm all along.
 */
static void test_safety_switch_to_ssm_slows_from_the_switch(void **state)
{
    struct plant p;
    double t1 = 11 - sqrt(3), t2 = 11 - sqrt(0.44);
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 500 * SF_MS, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_FENCED, true), SF_OK);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 10 * S), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_SSM, true), SF_OK);
    assert_int_equal(p.nrates, 1);
    assert_int_equal(p.rates[0].t, 10 * S);
    assert_true(p.rates[0].value == 0.25);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[1].t, t2, "stop");
    assert_true(p.rates[1].value == 0);
    assert_true(p.rates[3].value == 1);
    teardown_plant(&p);

    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 500 * SF_MS, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_FENCED, true), SF_OK);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 5 * S), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_SSM, true), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[0].t, t1, "slow");
    teardown_plant(&p);
}

/*
 * What a robot can be switched to comes from its rule: an ssm arm takes
 * fenced, ssm and pfl (at its reduced_speed); a pfl arm not ssm (no
 * distances); a fenced arm neither collaborative mode; a humanoid under
 * ssm not pfl. A switch later than a fence wins over it, and lifting that
 * earlier fence changes nothing; a fence after the switch fences it again.
 */
static void test_safety_switch_follows_the_rule_and_the_later_fence(void **state)
{
    struct plant p;
    (void)state;
    build(&p, SF_SAFETY_PFL, true, 0, 5, 10, 1, 0, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_SSM, true), SF_EINVAL);
    assert_int_equal(sf_safety_fence(p.s, 0, true, 0), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_kernel_run_until(p.k, 10 * S), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_PFL);
    assert_int_equal(sf_kernel_run_until(p.k, 20 * S), SF_OK);
    assert_int_equal(sf_safety_fence(p.s, 0, true, 20 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_safety_fence(p.s, 0, false, 20 * S), SF_OK);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_PFL);
    assert_int_equal(sf_safety_fence(p.s, 0, false, 0), SF_OK); /* the fence from before the switch */
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_PFL);
    teardown_plant(&p);

    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 1, 0, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_EINVAL);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_SSM, true), SF_EINVAL);
    assert_int_equal(sf_safety_set_mode(p.s, 1, SF_SAFETY_FENCED, true), SF_EINVAL); /* a person */
    teardown_plant(&p);

    build(&p, SF_SAFETY_SSM, true, 10, 1, 0, 0, 0, true);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_EINVAL);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_FENCED, true), SF_OK);
    start_op(&p, 60 * S, NULL, 0); /* where it stands, fenced: a person asking in waits */
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_false(sf_safety_enter(p.s, 1, 0));
    assert_int_equal(sf_safety_set_mode(NULL, 0, SF_SAFETY_PFL, true), SF_OK);
    teardown_plant(&p);
}

/*
 * Violations count in the mode the robot was in: the pfl arm of
 * test_safety_fenced_reach_breached_is_a_violation's geometry (at (10,
 * 0.3), reach 0.5 m), fenced by a switch from the start. The passer-by is
 * inside its reach from t = 10.6 s (x = 9.6 at 1 m/s, 1 s behind after
 * accelerating); the switch to pfl at 11 s ends the episode (pfl has
 * none): one violation of 0.4 s, all of it fenced.
 */
static void test_safety_switch_splits_violations_by_mode(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_PFL, true, 0, 5, 10, 0.3, 0, false);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_FENCED, true), SF_OK);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 10800 * SF_MS), SF_OK); /* in the episode: 0.2 s so far, fenced */
    st = sf_safety_robot_stats(p.s, 0, 10800 * SF_MS);
    near_ns(st.violation_time, 0.2, "an episode going on");
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].violation_time, st.violation_time);
    assert_int_equal(sf_kernel_run_until(p.k, 11 * S), SF_OK);
    assert_int_equal(sf_safety_set_mode(p.s, 0, SF_SAFETY_PFL, true), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 1);
    near_ns(st.violation_time, 0.4, "inside the reach while fenced");
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].violations, 1);
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].violation_time, st.violation_time);
    assert_int_equal(st.by_mode[SF_SAFETY_PFL].violations, 0);
    assert_int_equal(st.by_mode[SF_SAFETY_PFL].violation_time, 0);
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].working, 11 * S);
    assert_int_equal(st.by_mode[SF_SAFETY_FENCED].working + st.by_mode[SF_SAFETY_PFL].working, st.working);
    teardown_plant(&p);
}

/* The plant with its zone cut down to x in [5, 15], y in [-3, 3], watched by a camera detecting with probability pd. */
static void cell_camera(struct plant *p, double pd)
{
    const double xy[8] = {5, -3, 15, -3, 15, 3, 5, 3};
    memcpy(p->zone_xy, xy, sizeof xy);
    p->cam.name = "cell_cam";
    p->cam.miss = 1 - pd;
}

/*
 * Detection per pass: a camera with p = 0.9 over 10,000 passes. The
 * person walks a -> b and back, 10,000 trips 30 s apart, each entering the
 * zone once; the misses are binomial (n = 10,000, p = 0.1: mean 1,000, sd
 * 30) and must lie within 1,000 -+ 3.29 sd (99.9 %): 901..1,099. The arm
 * is fenced, so nothing else changes.
 */
static void test_safety_camera_detection_is_binomial_per_pass(void **state)
{
    struct plant p;
    uint64_t passes, missed;
    sf_event_id ev;
    (void)state;
    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 1, 0, false);
    cell_camera(&p, 0.9);
    rebuild(&p, 10, 1);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(sf_kernel_at(p.k, (sf_time)(30 * i + 1) * S, 0, p.kind_walk, i % 2 ? 0 : 1, &ev), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    sf_safety_camera_stats(p.s, 0, &passes, &missed);
    assert_int_equal(passes, 10000);
    if (missed < 901 || missed > 1099)
        fail_msg("%llu passes missed of 10,000 at p = 0.9: outside 901..1,099", (unsigned long long)missed);
    teardown_plant(&p);
}

/*
 * What a camera misses, the arm does not see: with detection 0 the
 * passer-by of the ssm test walks by the arm at (10, 1) unseen: no slowing,
 * no stop, the 60 s of work end at 60 s; but the walk is a separation
 * violation while the person is within the slow distance (which stands
 * for S_p at full speed), x = 10 -+ sqrt(3): 2 sqrt(3) s at 1 m/s.
 */
static void test_safety_missed_person_is_unseen_but_violates(void **state)
{
    struct plant p;
    sf_safety_stats st;
    uint64_t passes, missed;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    cell_camera(&p, 0);
    rebuild(&p, 10, 1);
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(p.op_done, 60 * S);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.violations, 1);
    near_ns(st.violation_time, 2 * sqrt(3), "unseen within the slow distance");
    sf_safety_camera_stats(p.s, 0, &passes, &missed);
    assert_true(passes == 1 && missed == 1);
    teardown_plant(&p);
}

/*
 * A sector, by hand: a camera at (0, 0) heading 0 degrees with a field of
 * view of 90 degrees and a range of 5 m sees a person at 4 m ahead but not
 * at 6 m; at 45 degrees off its heading (3, 3), 4.24 m away, it sees
 * (the edge counts), at (3, 3.1) not; behind it, never. Without a
 * position it sees everywhere.
 */
static void test_safety_camera_sector_range_and_field(void **state)
{
    sf_cfg_camera cam = {.has_position = true, .x = 0, .y = 0, .heading = 0, .fov = 90, .detect_range = 5};
    (void)state;
    assert_true(sf_safety_camera_sector(&cam, 4, 0));
    assert_false(sf_safety_camera_sector(&cam, 6, 0));
    assert_true(sf_safety_camera_sector(&cam, 3, 3));
    assert_false(sf_safety_camera_sector(&cam, 3, 3.1));
    assert_false(sf_safety_camera_sector(&cam, -4, 0));
    cam.heading = 180; /* turned round: now it sees behind, and 350 degrees is 10 off 0 */
    assert_true(sf_safety_camera_sector(&cam, -4, 0.5));
    assert_false(sf_safety_camera_sector(&cam, 4, 0));
    cam.heading = 350;
    assert_true(sf_safety_camera_sector(&cam, 4, 0.5));
    cam.has_position = false;
    assert_true(sf_safety_camera_sector(&cam, 100, -100));
}

/*
 * The same in a run: the person stands at (0, 0) in the zone while the
 * ssm arm at (5, 1) works 100 s; a camera all round with a range of 5 m
 * at (4, 0) sees them (4 m): no time uncovered; at (6, 0) it does not
 * (6 m): the whole 100 s. Both watch the arm's station (1.41 m away).
 */
static void test_safety_camera_range_in_a_run(void **state)
{
    struct plant p;
    (void)state;
    for (int far = 0; far < 2; far++) {
        build(&p, SF_SAFETY_SSM, true, 0, 5, 5, 1, 0, false);
        p.cam.has_position = true;
        p.cam.x = far ? 6 : 4, p.cam.y = 0, p.cam.fov = 360, p.cam.detect_range = 5;
        rebuild(&p, 5, 1);
        start_op(&p, 100 * S, NULL, 0);
        assert_int_equal(sf_kernel_run(p.k), SF_OK);
        assert_int_equal(p.op_done, 100 * S);
        near_ns(sf_safety_time_uncovered(p.s, SIZE_MAX, p.op_done), far ? 100 : 0, "standing 4 m or 6 m away");
        teardown_plant(&p);
    }
}

/*
 * Detection latency, by hand. The passer-by walks a -> b (from rest at
 * 0.5 m/s^2 to 1 m/s: x = t - 1 after 2 s) past the ssm arm at (10, 1)
 * and enters the camera's zone (x from 5) at 6 s; with a latency of 4 s
 * the camera sees them at 10 s, at (9, 0), already 1.41 m from the base,
 * inside the slow disc (2 m): the arm slows at exactly 10 s, not at
 * 11 - sqrt(3) s when the person crosses into the disc. Walking back at
 * 30 s, they enter the zone at x = 15 at 36 s and are seen at 40 s: each
 * pass is unseen for exactly the latency, 4 + 4 = 8 s of time uncovered,
 * for the plant and for the camera.
 */
static void test_safety_camera_latency_is_unseen_for_exactly_the_latency(void **state)
{
    struct plant p;
    sf_event_id ev;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    cell_camera(&p, 1);
    p.cam.latency = 4 * S;
    rebuild(&p, 10, 1);
    start_op(&p, 1000 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_at(p.k, 30 * S, 0, p.kind_walk, 0, &ev), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 100 * S), SF_OK);
    assert_true(p.nrates > 0);
    assert_int_equal(p.rates[0].t, 10 * S);
    assert_true(fabs(p.rates[0].value - 0.25) < 1e-12);
    near_ns(sf_safety_time_uncovered(p.s, SIZE_MAX, 100 * S), 8, "plant: two passes of 4 s");
    near_ns(sf_safety_time_uncovered(p.s, 0, 100 * S), 8, "the camera: two passes of 4 s");
    teardown_plant(&p);
    /* without the latency the arm slows where the person enters the disc, and nothing is uncovered */
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    cell_camera(&p, 1);
    p.cam.has_position = true; /* a sector all round, 20 m: follows passes, sees the whole zone */
    p.cam.x = 10, p.cam.y = 0, p.cam.fov = 360, p.cam.detect_range = 20;
    rebuild(&p, 10, 1);
    start_op(&p, 1000 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 100 * S), SF_OK);
    near_ns(p.rates[0].t, 11 - sqrt(3), "slowed on entering the disc");
    assert_int_equal(sf_safety_time_uncovered(p.s, SIZE_MAX, 100 * S), 0);
    teardown_plant(&p);
}

/*
 * Time uncovered of a known schedule: a camera at (10, 0) with a range
 * of 3 m over the zone x in [5, 15] sees the walk a -> b only for x in
 * [7, 13]; the person crosses the zone from 6 s to 16 s and is seen from
 * 8 s to 14 s: 4 s uncovered while the arm at (10, 1) works. With the
 * camera held down by an intervention from 20 s and the person walking
 * back at 30 s (in the zone from 36 s to 46 s), 10 s more: the arm runs
 * fenced, but the person is unseen near it. Before the arm works, or
 * after, nothing counts.
 */
static void test_safety_time_uncovered_of_a_known_walk(void **state)
{
    struct plant p;
    sf_event_id ev;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    cell_camera(&p, 1);
    p.cam.has_position = true;
    p.cam.x = 10, p.cam.y = 0, p.cam.fov = 360, p.cam.detect_range = 3;
    rebuild(&p, 10, 1);
    start_op(&p, 1000 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 20 * S), SF_OK);
    near_ns(sf_safety_time_uncovered(p.s, SIZE_MAX, 20 * S), 4, "outside the sector, x in [5, 7] and [13, 15]");
    assert_int_equal(sf_safety_camera_hold(p.s, 0, true), SF_OK);
    assert_int_equal(sf_kernel_at(p.k, 30 * S, 0, p.kind_walk, 0, &ev), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, 100 * S), SF_OK);
    near_ns(sf_safety_time_uncovered(p.s, SIZE_MAX, 100 * S), 14, "and the whole way back, the camera down");
    near_ns(sf_safety_time_uncovered(p.s, 0, 100 * S), 14, "the camera's own");
    teardown_plant(&p);
}

/*
 * The same walk starting from rest, crossing during the acceleration: a
 * slow disc of 2.0 m around a base at (1.5, 1) meets the path at
 * x = 1.5 -+ sqrt(3); the entry at s = 1.5 - sqrt(3) < 0 is behind the
 * start (the person starts inside), the exit at s = 1.5 + sqrt(3) = 3.232 m
 * is in the cruise: t = s + 1. A stop disc of 1.2 m: exit at
 * s = 1.5 + sqrt(0.44) = 2.163 m, cruise too; entry at 1.5 - 0.663 = 0.837 m
 * in the acceleration, s = 0.25 t^2: t = sqrt(4 s).
 */
static void test_safety_crossings_during_acceleration(void **state)
{
    struct plant p;
    double s_in = 1.5 - sqrt(0.44), s_out = 1.5 + sqrt(0.44), s_free = 1.5 + sqrt(3);
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 0, 5, 1.5, 1, 0, false);
    /* standing inside the slow band: reduced from the start */
    assert_true(sf_safety_working(p.s, 0, true, NULL, 0) == 0.25);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 4);
    assert_int_equal(p.rates[0].t, 0); /* told when the monitor found the person there */
    assert_true(p.rates[0].value == 0.25);
    near_ns(p.rates[1].t, sqrt(4 * s_in), "stop, while accelerating");
    assert_true(p.rates[1].value == 0);
    near_ns(p.rates[2].t, s_out + 1, "reduced again");
    assert_true(p.rates[2].value == 0.25);
    near_ns(p.rates[3].t, s_free + 1, "full");
    assert_true(p.rates[3].value == 1);
    teardown_plant(&p);
}

/* A crew partner standing at the arm keeps it at reduced speed, never stops it, and is no near miss. */
static void test_safety_ssm_partner_means_reduced_never_stop(void **state)
{
    struct plant p;
    uint32_t partner = 1;
    sf_safety_stats st;
    sf_time t0;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 10, 1, 10, 1, 500 * SF_MS, false); /* node 2 is at the arm's base */
    assert_int_equal(sf_movers_move_to(p.ms, 0, 2, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    t0 = sf_kernel_now(p.k);
    assert_true(t0 > 10 * S);
    start_op(&p, 10 * S, &partner, 1);
    assert_true(sf_work_rate(&p.op) == 0.25);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.op_done, t0 + 40 * S); /* 10 s of work at rate 0.25 */
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.stops, 0);
    assert_int_equal(st.near_misses, 0);
    assert_int_equal(st.reduced, 40 * S);
    teardown_plant(&p);
}

/* Fenced: a person who asks to enter while the arm works waits exactly until its operation ends. */
static void test_safety_fenced_person_waits_until_the_operation_ends(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_FENCED, true, 0, 5, 10, 1, 0, false);
    start_op(&p, 90 * S, NULL, 0);
    assert_int_equal(sf_kernel_run_until(p.k, 30 * S), SF_OK);
    assert_false(sf_safety_enter(p.s, 1, 0));
    assert_int_equal(p.nstates, 1);
    assert_int_equal(p.states[0].who, 1);
    assert_int_equal(p.states[0].value, SF_STATE_WAIT_ROBOT);
    /* the person walks past the arm meanwhile: a fenced robot never slows */
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(p.nadmits, 1);
    assert_int_equal(p.admits[0].t, 90 * S);
    assert_int_equal(p.admits[0].who, 1);
    assert_int_equal(p.op_done, 90 * S);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.waits, 1);
    assert_int_equal(st.waited, 60 * S);
    assert_int_equal(st.reduced, 0);
    assert_int_equal(st.stops, 0);
    /* an idle fenced robot lets people in at once */
    assert_true(sf_safety_enter(p.s, 1, 0));
    teardown_plant(&p);
}

/* PFL: always at collaborative speed while working, whoever passes, and never stopped. */
static void test_safety_pfl_always_reduced_never_stops(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    build(&p, SF_SAFETY_PFL, true, 0, 5, 10, 1, 0, false);
    start_op(&p, 10 * S, NULL, 0);
    assert_true(sf_work_rate(&p.op) == 0.25);
    assert_int_equal(p.nstates, 1);
    assert_int_equal(p.states[0].value, SF_STATE_REDUCED_SPEED);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(p.op_done, 40 * S);
    st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
    assert_int_equal(st.stops, 0);
    assert_int_equal(st.reduced, st.working);
    assert_int_equal(st.working, 40 * S);
    assert_int_equal(p.stops, 0);
    teardown_plant(&p);
}

/*
 * The work lost to safety counts the operation's motion share: the pfl
 * arm at 0.25 of full speed for 40 s loses 40 x 0.75 = 30 s when all of
 * the cycle is motion, and 40 (1 - 1 / (0.6 + 0.4 x 4)) = 40 x 1.2 / 2.2
 * = 21.818 s with motion_share 0.4 (the work rate is 1 / 2.2, not 0.25).
 */
static void test_safety_lost_counts_the_motion_share(void **state)
{
    struct plant p;
    sf_safety_stats st;
    (void)state;
    for (int share = 0; share < 2; share++) {
        build(&p, SF_SAFETY_PFL, true, 0, 5, 10, 1, 0, false);
        sf_safety_motion_share(p.s, 0, share ? 0.6 : 0);
        start_op(&p, 10 * S, NULL, 0);
        assert_int_equal(sf_kernel_run(p.k), SF_OK);
        assert_int_equal(p.op_done, 40 * S); /* the harness runs the work at the speed ratio */
        st = sf_safety_robot_stats(p.s, 0, sf_kernel_now(p.k));
        assert_int_equal(st.working, 40 * S);
        assert_true(fabs(st.lost - (share ? 40 * 1.2 / 2.2 : 30)) < 1e-9);
        teardown_plant(&p);
    }
}

/*
 * Without a camera over its zone an ssm robot runs fenced (a scenario
 * allows it only with `fallback: fenced`): the same walk changes nothing,
 * and the report shows the mode in force beside the rule's.
 */
static void test_safety_unwatched_zone_falls_back_to_fenced(void **state)
{
    struct plant p;
    FILE *f = tmpfile();
    char line[256], name[32], mode[16], rule[16];
    (void)state;
    build(&p, SF_SAFETY_SSM, false, 0, 5, 10, 1, 0, false);
    assert_int_equal(sf_safety_mode_of(p.s, 0, NULL, NULL), SF_SAFETY_FENCED);
    assert_int_equal(sf_safety_robot_stats(p.s, 0, 0).rule, SF_SAFETY_SSM);
    assert_non_null(f);
    assert_int_equal(sf_safety_report(p.s, f, 0, arm_name, NULL), SF_OK);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f)); /* blank */
    assert_non_null(fgets(line, sizeof line, f)); /* heading */
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_int_equal(sscanf(line, "%31s %15s %15s", name, mode, rule), 3);
    assert_string_equal(mode, "fenced");
    assert_string_equal(rule, "ssm");
    start_op(&p, 60 * S, NULL, 0);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 0);
    assert_int_equal(p.op_done, 60 * S);
    teardown_plant(&p);
}

/*
 * A walk over three 10 m segments, reserving two at a time (the one it
 * is on and the next): the first plan stops at x = 20; at x = 10 the
 * movers reserve the third segment and replan, and the monitor must
 * follow the new plan. The person passes x = 10 at cruising speed (braking
 * for x = 20 would only start at 19), so t = s + 1 throughout;
 * an arm at (25, 1) is met at x = 25 -+ sqrt(3) (slow) and 25 -+ sqrt(0.44) (stop),
 * all on the third segment, beyond the end of the first plan.
 */
static void test_safety_follows_replans_in_mid_trip(void **state)
{
    sf_kernel *k = sf_kernel_new();
    sf_network *net = sf_network_new();
    sf_movers *ms;
    struct plant p;
    sf_safety_agent agents[2];
    sf_safety_hooks hooks = {on_rate, on_state, on_event, on_admit, &p};
    sf_mover_spec spec = {1.0, 1.0, 0.5, 0.5, true, 0, 0, false, 0, 0};
    char err[200];
    (void)state;
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(sf_network_add_node(net, name, 10.0 * i, 0, NULL), SF_OK);
    }
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(sf_network_add_segment(net, i, i + 1, 0, INFINITY, 1, true, NULL), SF_OK);
    ms = sf_movers_new(k, net, 1, 2, (sf_movers_hooks){0});
    assert_non_null(ms);
    assert_int_equal(sf_movers_place(ms, 0, 0, &spec), SF_OK);
    /* the rule, zone and camera of the small plant, on this network */
    build(&p, SF_SAFETY_SSM, true, 0, 5, 10, 1, 0, false);
    sf_safety_free(p.s);
    agents[0] = (sf_safety_agent){SF_AGENT_ARM, 0, SF_SAFETY_NONE, 25, 1};
    agents[1] = (sf_safety_agent){SF_AGENT_WORKER, 1, 0, 0, 0};
    p.s = sf_safety_new(k, ms, &p.cfg, agents, 2, hooks, err, sizeof err);
    assert_non_null(p.s);
    p.nrates = 0;
    assert_int_equal(sf_movers_move_to(ms, 0, 3, false), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[0].t, 26 - sqrt(3), "slow");
    near_ns(p.rates[1].t, 26 - sqrt(0.44), "stop");
    near_ns(p.rates[2].t, 26 + sqrt(0.44), "reduced");
    near_ns(p.rates[3].t, 26 + sqrt(3), "full");
    sf_safety_free(p.s);
    p.s = NULL;
    sf_movers_free(ms);
    sf_network_free(net);
    sf_kernel_free(k);
    teardown_plant(&p);
}

/*
 * A humanoid is monitored where it works, while it works: the same walk as
 * for the arm (base (10, 1), reach 0.5 m) changes nothing while it is idle,
 * and while it works at (10, 1) the crossings are those of the arm, mirrored
 * (the person walks back from b): t1..t4 after the start of the walk.
 */
static void test_safety_humanoid_is_monitored_where_it_works(void **state)
{
    struct plant p;
    double t1 = 11 - sqrt(3), t2 = 11 - sqrt(0.44), t3 = 11 + sqrt(0.44), t4 = 11 + sqrt(3);
    double slow, stop;
    sf_time t0;
    (void)state;
    build(&p, SF_SAFETY_SSM, true, 10, 1, 0, 0, 500 * SF_MS, true);
    assert_int_equal(sf_movers_move_to(p.ms, 0, 1, false), SF_OK);
    assert_int_equal(sf_kernel_run(p.k), SF_OK);
    assert_int_equal(p.nrates, 0);
    t0 = sf_kernel_now(p.k);
    assert_int_equal(t0, 22 * S); /* 20 m: 2 s up to speed, 18 s cruising, 2 s braking */
    start_op(&p, 600 * S, NULL, 0);
    assert_int_equal(sf_safety_mode_of(p.s, 0, &slow, &stop), SF_SAFETY_SSM);
    near_m(slow, 2.0, "slow radius around the humanoid");
    near_m(stop, 1.2, "stop radius");
    assert_int_equal(sf_movers_move_to(p.ms, 0, 0, false), SF_OK);
    assert_int_equal(sf_kernel_run_until(p.k, t0 + 60 * S), SF_OK);
    assert_int_equal(p.nrates, 4);
    near_ns(p.rates[0].t - t0, t1, "slow");
    near_ns(p.rates[1].t - t0, t2, "stop");
    near_ns(p.rates[2].t - t0, t3 + 0.5, "reduced");
    near_ns(p.rates[3].t - t0, t4 + 0.5, "full");
    teardown_plant(&p);
}

/* ---- the safety section of a scenario ------------------------------------------ */

#define ARM BASE "  - {name: arm1, kind: arm, count: 1, home: s1, reach: 1 m}\nsafety:\n  robots:\n"

/* BASE with a collaborative zone around node b (10, 0), where both stations stand, and an arm at s1. */
#define CELL                                                                                                       \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes:\n"                                                                                                   \
    "    - {name: a, at: [0, 0]}\n"                                                                                \
    "    - {name: b, at: [10, 0]}\n"                                                                               \
    "  segments: [{path: [a, b]}]\n"                                                                               \
    "  stations: [{name: s1, group: g, node: b}, {name: s2, group: g, node: b}]\n"                                 \
    "  docks: [{name: in, node: a}]\n"                                                                             \
    "  zones: [{name: cell, kind: collaborative, polygon: [[8, -2], [12, -2], [12, 2], [8, 2]]}]\n"              \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 2, home: a, speed: 1 m/s}\n"                                              \
    "  - {name: arm1, kind: arm, count: 1, home: s1, reach: 1 m}\n"
#define CAMERA "  cameras: [{name: cam, zones: [cell]}]\n"
/* a humanoid that assembles at the stations of group g */
#define HUMANOID                                                                                                   \
    "  - {name: bot, kind: humanoid, count: 1, home: a, speed: 1 m/s, skills: [assembly]}\n"                       \
    "products:\n"                                                                                                  \
    "  - name: unit\n"                                                                                             \
    "    source: in\n"                                                                                             \
    "    routing: [{name: fit, station: g, crew: {any: [worker, humanoid]}, skill: assembly, time: 1 min}]\n"

static bool reported(const sf_diags *d, const char *part)
{
    char buf[1400];
    for (size_t i = 0; i < d->n; i++) {
        sf_diags_format(d, i, buf, sizeof buf);
        if (strstr(buf, part))
            return true;
    }
    dump_diags(d);
    return false;
}

static void test_safety_scenario_gives_the_separation_parameters(void **state)
{
    sf_scenario_config *c;
    const sf_cfg_safety_rule *r;
    double slow, stop;
    (void)state;
    c = load_ok(CELL "safety:\n  robots:\n"
                     "    - {name: arm1, mode: ssm, reduced_speed: 0.25 m/s, robot_speed: 1.5 m/s, reaction_time: 0.1 s,\n"
                     "       stopping_time: 0.3 s, intrusion: 0.2 m, person_uncertainty: 0.1 m, robot_uncertainty: 0.02 m}\n"
                     CAMERA);
    r = &c->safety.rules[0];
    assert_int_equal(r->mode, SF_SAFETY_SSM);
    near_m(r->person_speed, 1.6, "person speed defaults to ISO 13855's 1.6 m/s");
    assert_int_equal(r->reaction_time, 100 * SF_MS);
    assert_int_equal(r->stopping_time, 300 * SF_MS);
    assert_true(r->stopping_distance < 0);
    near_m(r->robot_speed, 1.5, "robot speed");
    /* 1.6 * 0.4 + 1.5 * 0.1 + 1.5 * 0.3 / 2 + 0.32 = 1.335; at 0.25 m/s 1.0225 */
    sf_safety_distances(r, r->robot_speed, &slow, &stop);
    near_m(slow, 1.335, "slow distance");
    near_m(stop, 1.0225, "stop distance");
    /* C = 0.2 m is below ISO 13855's 1.2 m for a floor field: it loads, with a warning at the intrusion */
    assert_int_equal(c->safety.n_warnings, 1);
    assert_string_equal(c->safety.warnings[0],
                        "t.yaml:16:41: warning: safety rule for 'arm1': intrusion 0.2 m is below the 1.2 m ISO "
                        "13855:2010 (6.3) gives for detection area at the height given (0 m unless detection_height "
                        "says); if the sensors detect a hand, say detection: hand with its detection_capability");
    sf_scenario_config_free(c);
    /* written distances still load as before */
    c = load_ok(CELL "safety:\n  robots:\n"
                     "    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 0.6 m, reduced_speed: 0.25 m/s}\n"
                     CAMERA);
    near_m(c->safety.rules[0].slow_distance, 2, "slow");
    sf_scenario_config_free(c);
}

/*
 * No silent fallback: an ssm or pfl arm whose station no camera watches
 * is refused at its rule, naming the station; with `fallback: fenced` it
 * loads with one warning naming the robot; with a camera over the zone
 * holding its station it loads without a word. The zone alone, unwatched,
 * is not enough.
 */
static void test_safety_scenario_refuses_a_collaborative_arm_no_camera_watches(void **state)
{
    sf_scenario_config *c;
    (void)state;
    expect_load_fails_with(ARM "    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 0.6 m, reduced_speed: 0.25 m/s}\n",
                           "t.yaml:14:14: safety rule for 'arm1': arm 'arm1' cannot run ssm at station 's1': no camera "
                           "watches a collaborative zone there, and without sensing nobody knows where people are; add "
                           "a camera over a collaborative zone that holds the station, or write 'fallback: fenced' to "
                           "run it fenced there");
    expect_load_fails_with(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n",
                           "t.yaml:14:19: safety rule for 'arm1': arm 'arm1' cannot run pfl at station 's1': no camera "
                           "watches a collaborative zone there, and without sensing nobody knows where people are; add "
                           "a camera over a collaborative zone that holds the station, or write 'fallback: fenced' to "
                           "run it fenced there");
    c = load_ok(ARM "    - {name: arm1, mode: pfl, max_speed: 0.25 m/s, fallback: fenced}\n");
    assert_int_equal(c->safety.n_warnings, 1);
    assert_string_equal(c->safety.warnings[0], "t.yaml:14:14: warning: safety rule for 'arm1': arm 'arm1' runs "
                                               "fenced, not pfl, at station 's1': no camera watches a collaborative "
                                               "zone there (fallback: fenced)");
    assert_true(c->safety.rules[0].fallback_fenced);
    sf_scenario_config_free(c);
    c = load_ok(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n" CAMERA);
    assert_int_equal(c->safety.n_warnings, 0);
    sf_scenario_config_free(c);
    c = load_ok(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n"
                     "  cameras: [{name: cam, zones: [cell], mtbf: exp(8 h), mttr: 30 min, detection: 90 %}]\n");
    assert_true(c->safety.cameras[0].fails);
    assert_true(fabs(c->safety.cameras[0].miss - 0.1) < 1e-12);
    assert_true(fabs(sf_dist_mean(&c->safety.cameras[0].mttr) - 1800) < 1e-9);
    sf_scenario_config_free(c);
    expect_load_fails_with(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n"
                                "  cameras: [{name: cam, zones: [cell], mtbf: exp(8 h)}]\n",
                           "t.yaml:15:46: camera 'cam': a camera that fails needs both 'mtbf' and 'mttr'");
    c = load_ok(CELL "safety:\n  robots:\n    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 1 m, "
                     "reduced_speed: 0.25 m/s,\n       partner: handover, handover_time: 12 s}\n" CAMERA);
    assert_true(c->safety.rules[0].handover);
    assert_int_equal(c->safety.rules[0].handover_time, 12 * S);
    sf_scenario_config_free(c);
    expect_load_fails_with(CELL "safety:\n  robots:\n    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 1 m, "
                                "reduced_speed: 0.25 m/s,\n       partner: handover}\n" CAMERA,
                           "t.yaml:15:7: safety rule for 'arm1' needs 'handover_time'");
    expect_load_fails_with(CELL "safety:\n  robots:\n    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 1 m, "
                                "reduced_speed: 0.25 m/s,\n       handover_time: 12 s}\n" CAMERA,
                           "t.yaml:16:23: safety rule for 'arm1': 'handover_time' is for partner: handover");
    expect_load_fails_with(ARM "    - {name: arm1, mode: fenced, fallback: fenced}\n",
                           "t.yaml:14:44: safety rule for 'arm1': 'fallback' is for modes ssm and pfl");
}

/*
 * A camera's geometry in a scenario: `at`, `heading`, `fov`, `range` and
 * `latency` load; a camera whose sector covers none of its zone, or part,
 * warns at its `at`. The cell is the square [8, 12] x [-2, 2]: a camera at
 * its centre with a range of 1 m covers pi / 16 = 19.6 % of it (sampled:
 * "20 %"); one at (30, 0) with a range of 5 m none of it. `heading` or
 * `fov` without `at` is refused.
 */
static void test_safety_scenario_camera_geometry_and_coverage(void **state)
{
    sf_scenario_config *c;
    (void)state;
    c = load_ok(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n"
                     "  cameras:\n"
                     "    - {name: wide, zones: [cell], at: [10, 0], range: 5 m, heading: 90, fov: 360, latency: 150 ms}\n"
                     "    - {name: small, zones: [cell], at: [10, 0], range: 1 m}\n"
                     "    - {name: away, zones: [cell], at: [30, 0], range: 5 m, heading: 180, fov: 60}\n");
    assert_true(c->safety.cameras[0].has_position);
    assert_int_equal(c->safety.cameras[0].latency, 150 * SF_MS);
    near_m(c->safety.cameras[0].heading, 90, "heading");
    near_m(c->safety.cameras[2].fov, 60, "fov");
    near_m(c->safety.cameras[1].fov, 360, "fov defaults to all round");
    assert_int_equal(c->safety.n_warnings, 2);
    assert_string_equal(c->safety.warnings[0],
                        "t.yaml:17:40: warning: camera 'small': its sector (range 1 m, fov 360 deg, heading 0 deg) "
                        "covers 20 % of zone 'cell' (sampled on a 200 x 200 grid): a person in the rest is not seen");
    assert_string_equal(c->safety.warnings[1],
                        "t.yaml:18:39: warning: camera 'away': its sector (range 5 m, fov 60 deg, heading 180 deg) "
                        "covers none of zone 'cell': a person there is never seen; move or turn the camera, or widen "
                        "'fov' or 'range'");
    sf_scenario_config_free(c);
    expect_load_fails_with(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n"
                                "  cameras: [{name: cam, zones: [cell], fov: 90}]\n",
                           "t.yaml:15:45: camera 'cam': 'fov' needs the camera's position: write 'at: [x, y]' too");
    /* a camera whose sector misses the station does not watch it: the pfl arm is refused */
    expect_load_fails_with(CELL "safety:\n  robots: [{name: arm1, mode: pfl, max_speed: 0.25 m/s}]\n"
                                "  cameras: [{name: cam, zones: [cell], at: [8, 0], range: 1.5 m}]\n",
                           "t.yaml:14:19: safety rule for 'arm1': arm 'arm1' cannot run pfl at station 's1': no camera "
                           "watches a collaborative zone there, and without sensing nobody knows where people are; add "
                           "a camera over a collaborative zone that holds the station, or write 'fallback: fenced' to "
                           "run it fenced there");
}

/*
 * Humanoids: pfl is refused with the reason; under ssm a humanoid must be
 * watched at every station where an operation may take it (here s1 and
 * s2 of group g, both in the zone): without the camera both are named.
 */
static void test_safety_scenario_humanoids_are_fenced_or_watched_ssm(void **state)
{
    sf_scenario_config *c;
    (void)state;
    expect_load_fails_with(CELL HUMANOID "safety:\n  robots: [{name: bot, mode: pfl, max_speed: 0.8 m/s}]\n",
                           "t.yaml:19:30: safety rule for 'bot': mode pfl is not for a humanoid: the contact limits of "
                           "power and force limiting (ISO/TS 15066:2016, 5.5.5 and Annex A) are for a robot arm's "
                           "contact with a body region, not for a walking machine of some 70 kg that can fall; use "
                           "fenced, or ssm with its own speeds");
    expect_load_fails_with(CELL HUMANOID "safety:\n  robots: [{name: bot, mode: ssm, slow_distance: 2 m, stop_distance: "
                                         "1 m, reduced_speed: 0.3 m/s}]\n",
                           "t.yaml:19:19: safety rule for 'bot': humanoid 'bot' cannot run ssm at stations 's1', 's2': "
                           "no camera watches a collaborative zone there, and without sensing nobody knows where people "
                           "are; add a camera over a collaborative zone that holds the station, or write 'fallback: "
                           "fenced' to run it fenced there");
    c = load_ok(CELL HUMANOID "safety:\n  robots: [{name: bot, mode: ssm, slow_distance: 2 m, stop_distance: 1 m, "
                              "reduced_speed: 0.3 m/s}]\n" CAMERA);
    assert_int_equal(c->safety.n_warnings, 0);
    sf_scenario_config_free(c);
}

/*
 * Only the motion share of a cycle slows with the robot: motion_share 0.4
 * (fixed share 0.6) at 0.25 of full speed takes 0.6 + 0.4 x 4 = 2.2 times
 * as long; all motion is the speed ratio itself; none is never slowed;
 * a protective stop halts the cycle whatever its share.
 */
static void test_safety_work_rate_slows_only_the_motion_share(void **state)
{
    (void)state;
    assert_true(fabs(sf_safety_work_rate(0.25, 0.6) - 1 / (0.6 + 0.4 * 4)) < 1e-15);
    assert_true(sf_safety_work_rate(0.25, 0) == 0.25);
    assert_true(sf_safety_work_rate(0.25, 1) == 1);
    assert_true(sf_safety_work_rate(0, 0.6) == 0);
    assert_true(sf_safety_work_rate(1, 0.6) == 1);
}

/*
 * ISO 13855:2010's intrusion distance C by detection type: a field
 * parallel to the approach at height H (6.3), C = 1200 - 0.4 H mm, at
 * least 850 mm: 1.2 m at the floor, 1.0 m at 0.5 m, 0.85 m (not 0.8) at
 * 1 m; a field that detects a body or arm (6.2), 850 mm; one that detects
 * a hand of d = 30 mm, 8 (30 - 14) = 128 mm, and d = 14 mm, 0.
 */
static void test_safety_iso13855_intrusion_by_detection_type(void **state)
{
    (void)state;
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_AREA, 0, 0), 1.2, "area at the floor");
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_AREA, 0, 0.5), 1.0, "area at 0.5 m");
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_AREA, 0, 1.0), 0.85, "area at 1 m, held at 850 mm");
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_BODY, 0, 0), 0.85, "body");
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_HAND, 0.030, 0), 0.128, "hand, d = 30 mm");
    near_m(sf_safety_iso13855_intrusion(SF_DETECT_HAND, 0.014, 0), 0, "hand, d = 14 mm");
}

/*
 * A rule that computes its distances takes C from its detection type
 * (area at the floor unless it says): T_r = 0.1 s, T_s = 0.3 s at 1 m/s
 * and 0.25 m/s give S_p = 0.64 + 0.1 + 0.15 + C and 0.64 + 0.025 +
 * 0.0375 + C: 2.09 m and 1.9025 m with C = 1.2 m; 1.018 m and 0.8305 m with
 * a hand field of 30 mm. Written distances with the times given are
 * checked: a stop distance of 0.5 m below 1.9025 m warns at its place,
 * a slow distance of 2.5 m above 2.09 m does not.
 */
static void test_safety_scenario_defaults_intrusion_by_detection_and_warns_below(void **state)
{
    sf_scenario_config *c;
    double slow, stop;
    (void)state;
    c = load_ok(CELL "safety:\n  robots:\n"
                     "    - {name: arm1, mode: ssm, reduced_speed: 0.25 m/s, reaction_time: 0.1 s, stopping_time: 0.3 s}\n"
                     CAMERA);
    near_m(c->safety.rules[0].intrusion, 1.2, "C of a floor field");
    sf_safety_distances(&c->safety.rules[0], 1, &slow, &stop);
    near_m(slow, 2.09, "slow distance");
    near_m(stop, 1.9025, "stop distance");
    assert_int_equal(c->safety.n_warnings, 0);
    sf_scenario_config_free(c);
    c = load_ok(CELL "safety:\n  robots:\n"
                     "    - {name: arm1, mode: ssm, reduced_speed: 0.25 m/s, reaction_time: 0.1 s, stopping_time: 0.3 s,\n"
                     "       detection: hand, detection_capability: 30 mm}\n" CAMERA);
    sf_safety_distances(&c->safety.rules[0], 1, &slow, &stop);
    near_m(slow, 1.018, "slow distance with a hand field");
    near_m(stop, 0.8305, "stop distance with a hand field");
    sf_scenario_config_free(c);
    c = load_ok(CELL "safety:\n  robots:\n"
                     "    - {name: arm1, mode: ssm, reduced_speed: 0.25 m/s, reaction_time: 0.1 s, stopping_time: 0.3 s,\n"
                     "       slow_distance: 2.5 m, stop_distance: 0.5 m}\n" CAMERA);
    assert_int_equal(c->safety.n_warnings, 1);
    assert_string_equal(c->safety.warnings[0],
                        "t.yaml:16:45: warning: safety rule for 'arm1': stop_distance 0.5 m is below the protective "
                        "separation distance 1.9 m at 0.25 m/s (ISO/TS 15066:2016, 5.5.4.2.3: reaction 0.1 s, "
                        "stopping 0.3 s, intrusion C 1.2 m)");
    sf_scenario_config_free(c);
    expect_load_fails_with(CELL "safety:\n  robots:\n"
                                "    - {name: arm1, mode: ssm, slow_distance: 2 m, stop_distance: 1 m, reduced_speed: 0.25 m/s,\n"
                                "       detection: body, detection_capability: 30 mm}\n" CAMERA,
                           "t.yaml:16:47: safety rule for 'arm1': 'detection_capability' is for detection: hand (a "
                           "field that detects a hand, d up to 40 mm); a coarser field is body");
}

static void test_safety_scenario_errors_name_the_rule(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(load_text(ARM "    - {name: arm1, mode: ssm, reduced_speed: 0.25 m/s, reaction_time: 0.1 s}\n", &d));
    assert_true(reported(&d, "t.yaml:14:7: safety rule for 'arm1': mode ssm needs slow_distance and stop_distance, "
                             "or reaction_time and stopping_time to compute them"));
    sf_diags_close(&d);
    sf_diags_init(&d);
    assert_null(load_text(ARM "    - {name: arm1, mode: pfl, max_speed: 0.25 m/s, reaction_time: 0.1 s}\n", &d));
    assert_true(reported(&d, "safety rule for 'arm1': 'reaction_time' is for mode ssm"));
    sf_diags_close(&d);
    sf_diags_init(&d);
    assert_null(load_text(ARM "    - {name: arm1, mode: fenced, robot_speed: 1 m/s}\n", &d));
    assert_true(reported(&d, "safety rule for 'arm1': 'robot_speed' is for modes ssm and pfl"));
    sf_diags_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safety_separation_matches_the_worked_example),
        cmocka_unit_test(test_safety_crossings_at_constant_speed),
        cmocka_unit_test(test_safety_ssm_slows_stops_and_resumes_for_a_passer_by),
        cmocka_unit_test(test_safety_crossings_during_acceleration),
        cmocka_unit_test(test_safety_separation_violations_at_the_speed_the_robot_runs),
        cmocka_unit_test(test_safety_fenced_reach_breached_is_a_violation),
        cmocka_unit_test(test_safety_failed_robot_is_no_hazard),
        cmocka_unit_test(test_safety_camera_outage_fences_the_robot_for_the_repair_time),
        cmocka_unit_test(test_safety_camera_hold_overlaps_its_failure),
        cmocka_unit_test(test_safety_fence_held_is_no_camera_outage),
        cmocka_unit_test(test_safety_switch_to_pfl_and_back_by_hand),
        cmocka_unit_test(test_safety_switch_to_ssm_slows_from_the_switch),
        cmocka_unit_test(test_safety_switch_follows_the_rule_and_the_later_fence),
        cmocka_unit_test(test_safety_switch_splits_violations_by_mode),
        cmocka_unit_test(test_safety_camera_detection_is_binomial_per_pass),
        cmocka_unit_test(test_safety_missed_person_is_unseen_but_violates),
        cmocka_unit_test(test_safety_camera_sector_range_and_field),
        cmocka_unit_test(test_safety_camera_range_in_a_run),
        cmocka_unit_test(test_safety_camera_latency_is_unseen_for_exactly_the_latency),
        cmocka_unit_test(test_safety_time_uncovered_of_a_known_walk),
        cmocka_unit_test(test_safety_lost_counts_the_motion_share),
        cmocka_unit_test(test_safety_scenario_camera_geometry_and_coverage),
        cmocka_unit_test(test_safety_ssm_partner_means_reduced_never_stop),
        cmocka_unit_test(test_safety_fenced_person_waits_until_the_operation_ends),
        cmocka_unit_test(test_safety_pfl_always_reduced_never_stops),
        cmocka_unit_test(test_safety_unwatched_zone_falls_back_to_fenced),
        cmocka_unit_test(test_safety_follows_replans_in_mid_trip),
        cmocka_unit_test(test_safety_humanoid_is_monitored_where_it_works),
        cmocka_unit_test(test_safety_scenario_gives_the_separation_parameters),
        cmocka_unit_test(test_safety_scenario_errors_name_the_rule),
        cmocka_unit_test(test_safety_scenario_refuses_a_collaborative_arm_no_camera_watches),
        cmocka_unit_test(test_safety_iso13855_intrusion_by_detection_type),
        cmocka_unit_test(test_safety_work_rate_slows_only_the_motion_share),
        cmocka_unit_test(test_safety_scenario_defaults_intrusion_by_detection_and_warns_below),
        cmocka_unit_test(test_safety_scenario_humanoids_are_fenced_or_watched_ssm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
