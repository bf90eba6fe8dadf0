/*
 * Production run end to end through a session (scenario, world, Lua
 * behaviours): the books of jobs, workers leaving at their shift's end
 * and for their breaks, humanoids replacing workers through an overlay,
 * and a crew deadlock reported with the operations and what each holds.
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
#include "metrics/kpis.h"
#include "model/failures.h"

#define H(x) ((sf_time)((x) * 3600.0 * 1e9 + 0.5))
#define MAXA 16

struct watch {
    sf_world *w;
    uint64_t jobs[SF_JOB_DELIVERED + 1];
    uint64_t ops_by[SF_AGENT_KINDS]; /* operations a kind took part in */
    sf_time completed_at[8];         /* the first jobs' completion times */
    sf_state state[MAXA];
    bool seen_off[MAXA], seen_break[MAXA];
    sf_time first_off[MAXA], first_break[MAXA];
    bool seen_work[MAXA];
    sf_time first_work[MAXA];
    sf_time worked[MAXA], work_since[MAXA]; /* time in the working state; since when, while working */
    uint64_t worked_after_leaving[MAXA]; /* working after its first time off shift */
    sf_time picked[8], delivered[8];     /* the first moves by carrier: pickup and delivery times */
    int32_t picked_at[8], delivered_at[8]; /* and the stations (-1: a dock) */
    unsigned npicked, ndelivered;
    sf_time failed_at[8];                /* the first times an agent failed */
    unsigned nfailed;
    uint64_t carried_jobs_in_transit;    /* picked up and not yet delivered, now */
};

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    struct watch *w = ctx;

    if (e != SF_ENTITY_AGENT || id >= MAXA)
        return;
    if (s == SF_STATE_OFF_SHIFT && !w->seen_off[id]) {
        w->seen_off[id] = true;
        w->first_off[id] = now;
    }
    if (s == SF_STATE_ON_BREAK && !w->seen_break[id]) {
        w->seen_break[id] = true;
        w->first_break[id] = now;
    }
    if (s == SF_STATE_WORKING && !w->seen_work[id]) {
        w->seen_work[id] = true;
        w->first_work[id] = now;
    }
    if (s == SF_STATE_FAILED && w->state[id] != SF_STATE_FAILED && w->nfailed < 8)
        w->failed_at[w->nfailed++] = now;
    if (s == SF_STATE_WORKING && w->state[id] != SF_STATE_WORKING)
        w->work_since[id] = now;
    if (s != SF_STATE_WORKING && w->state[id] == SF_STATE_WORKING)
        w->worked[id] += now - w->work_since[id];
    if (s == SF_STATE_WORKING && w->seen_off[id])
        w->worked_after_leaving[id]++;
    w->state[id] = s;
}

static void on_job(void *ctx, const sf_job_event *ev)
{
    struct watch *w = ctx;

    w->jobs[ev->what]++;
    if (ev->what == SF_JOB_PICKED_UP) {
        w->carried_jobs_in_transit++;
        if (w->npicked < 8) {
            w->picked_at[w->npicked] = ev->station;
            w->picked[w->npicked++] = ev->now;
        }
    }
    if (ev->what == SF_JOB_DELIVERED) {
        assert_true(w->carried_jobs_in_transit > 0);
        w->carried_jobs_in_transit--;
        if (w->ndelivered < 8) {
            w->delivered_at[w->ndelivered] = ev->station;
            w->delivered[w->ndelivered++] = ev->now;
        }
    }
    if (ev->what == SF_JOB_COMPLETED && ev->job < 8)
        w->completed_at[ev->job] = ev->now;
    if (ev->what == SF_JOB_OP_END)
        for (int k = 0; k < SF_AGENT_KINDS; k++)
            if (ev->crew & (1u << k))
                w->ops_by[k]++;
}

static sf_session *open_run(const char *file, struct watch *w, int *status)
{
    char path[1024];
    sf_session_spec spec = {0};
    sf_session *s;
    sf_observer o = {on_state, NULL, on_job, NULL, NULL, w, NULL};
    static FILE *devnull;

    if (!devnull)
        devnull = fopen("/dev/null", "w");
    snprintf(path, sizeof path, "%s/%s", getenv("SHOPFLOOR_SOURCE_DIR"), file);
    setenv("SHOPFLOOR_SCRIPTS", "", 0);
    if (!getenv("SHOPFLOOR_SCRIPTS") || !*getenv("SHOPFLOOR_SCRIPTS")) {
        char scripts[1024];
        snprintf(scripts, sizeof scripts, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
        setenv("SHOPFLOOR_SCRIPTS", scripts, 1);
    }
    spec.model = path;
    spec.log = devnull;
    memset(w, 0, sizeof *w);
    s = sf_session_new(&spec, status);
    assert_non_null(s);
    w->w = sf_session_world(s);
    assert_int_equal(sf_world_observe(w->w, &o), SF_OK);
    return s;
}

/*
 * 16 h of the test line: every job event the observers saw balances the
 * model's books, and they match the model's own counts.
 */
static void test_books_balance_after_a_run(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/model/data/production_line.yaml", &w, &st);
    sf_job_counts c;
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    c = sf_stations_counts(sf_world_stations(w.w));
    assert_true(c.released > 100);
    assert_int_equal(c.released, c.completed + c.scrapped + c.in_progress);
    assert_int_equal(w.jobs[SF_JOB_RELEASED], c.released);
    assert_int_equal(w.jobs[SF_JOB_COMPLETED], c.completed);
    assert_int_equal(w.jobs[SF_JOB_SCRAPPED], c.scrapped);
    assert_int_equal(w.jobs[SF_JOB_REWORK], c.reworked);
    /* every operation that started ended, but at most one running per station (three) at the end */
    assert_true(w.jobs[SF_JOB_OP_START] >= w.jobs[SF_JOB_OP_END]);
    assert_true(w.jobs[SF_JOB_OP_START] - w.jobs[SF_JOB_OP_END] <= 3);
    assert_true(w.jobs[SF_JOB_OP_END] >= 2 * c.completed);
    sf_session_free(s);
}

/*
 * Early operators leave for their 09:00 break and at 14:00 (3 h and 8 h
 * after the start), at most one operation late (the longest is 150 s plus
 * a 300 s setup); late operators are off from time 0 until 14:00; an
 * early operator never works again after leaving (the run ends at 22:00).
 */
static void test_workers_keep_their_shifts(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/model/data/production_line.yaml", &w, &st);
    uint32_t early = sf_world_find_agent(w.w, "operator_early.1"), late = sf_world_find_agent(w.w, "operator_late.1");
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_true(early < MAXA && late < MAXA);
    assert_true(w.seen_break[early] && w.seen_off[early] && w.seen_off[late]);
    assert_true(w.first_break[early] >= H(3) && w.first_break[early] <= H(3) + 450 * (sf_time)1000000000);
    assert_true(w.first_off[early] >= H(8) && w.first_off[early] <= H(8) + 450 * (sf_time)1000000000);
    assert_int_equal(w.first_off[late], 0);
    assert_true(!w.seen_break[late] || w.first_break[late] >= H(12));
    assert_true(w.ops_by[SF_AGENT_WORKER] > 0);
    assert_true(w.seen_work[early] && w.seen_work[late]);
    assert_true(w.first_work[late] >= H(8));
    assert_int_equal(w.worked_after_leaving[early], 0);
    sf_session_free(s);
}

/*
 * The overlay turns the operators into humanoids and changes nothing
 * else: the same demand (the same random streams), the line completes as
 * much within a few units, and no operation has a worker in its crew.
 */
static void test_humanoids_replace_workers_by_overlay(void **state)
{
    struct watch a, b;
    int st;
    sf_session *s1 = open_run("tests/model/data/production_line.yaml", &a, &st);
    sf_session *s2 = open_run("tests/model/data/production_humanoids.yaml", &b, &st);
    sf_job_counts c1, c2;
    (void)state;

    assert_int_equal(sf_session_run(s1), SF_OK);
    assert_int_equal(sf_session_run(s2), SF_OK);
    c1 = sf_stations_counts(sf_world_stations(a.w));
    c2 = sf_stations_counts(sf_world_stations(b.w));
    assert_int_equal(c1.released, c2.released);
    assert_true(c2.completed + 10 >= c1.completed && c1.completed + 10 >= c2.completed);
    assert_true(a.ops_by[SF_AGENT_WORKER] > 0);
    assert_int_equal(b.ops_by[SF_AGENT_WORKER], 0);
    assert_true(b.ops_by[SF_AGENT_HUMANOID] > a.ops_by[SF_AGENT_HUMANOID]);
    assert_true(b.ops_by[SF_AGENT_ARM] > 0);
    sf_session_free(s1);
    sf_session_free(s2);
}

/* The run stops with a deadlock that names both operations, their jobs, and who holds what. */
static void test_crew_deadlock_is_reported(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/crew_deadlock.yaml", &w, &st);
    const char *msg;
    (void)state;

    assert_int_equal(sf_session_run(s), SF_EDEADLOCK);
    msg = sf_session_error(s);
    assert_non_null(strstr(msg, "deadlock at t = 00:00:16"));
    assert_non_null(strstr(msg, "crew for operation 'join_a' of job 2 at 's1': needs humanoid, holds hand.1"));
    assert_non_null(strstr(msg, "crew for operation 'join_b' of job 3 at 's2': needs worker, holds robo.1"));
    sf_session_free(s);
}

/*
 * The scenario's dispatch module sequences the press by earliest due
 * date: job 1 (at 1 s) is taken at once and ends at 11 s; then job 3 (due
 * 50 s) before job 2 (due 300 s): 21 s and 31 s. First come, first
 * served would finish job 2 first.
 */
static void test_a_sequencing_rule_chooses_the_next_job(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/sequence_edd.yaml", &w, &st);
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_int_equal(w.completed_at[1], 11 * (sf_time)1000000000);
    assert_int_equal(w.completed_at[3], 21 * (sf_time)1000000000);
    assert_int_equal(w.completed_at[2], 31 * (sf_time)1000000000);
    sf_session_free(s);
}

#define S(x) ((sf_time)(x) * 1000000000)

/* The first three moves were picked up and delivered at these times. */
static void expect_moves(const struct watch *w, const sf_time picked[3], const sf_time delivered[3])
{
    assert_true(w->npicked >= 3 && w->ndelivered >= 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w->picked[i], picked[i]);
        assert_int_equal(w->delivered[i], delivered[i]);
    }
}

/*
 * A worker carries three units from cut to drill, 20 m apart (see the
 * scenario): 8 s to take one in hand, 21 s to walk, 8 s to set it down.
 * Unit 1 is cut by 10 s, picked up at 18, delivered at 47 and drilled by
 * 63. Unit 2 is cut 18-28 and waits: the worker, back from drill at 47,
 * walks to cut (68) and has it in hand at 76, delivers at 105, drilled by
 * 121; unit 3 likewise 58 s later. Cut has no output buffer, so a
 * finished unit keeps it from working: 8 + 48 + 48 s. Blocked (no place
 * at drill) while unit 2 waits for drill to finish unit 1 (28 to 63 s)
 * and unit 3 for unit 2 (86 to 121 s): 70 s; waiting for transport (the
 * worker booked, a place reserved at drill) 10 to 18, 63 to 76 and 121
 * to 134 s: 34 s.
 */
static void test_a_worker_carries_units_between_stations(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport.yaml", &w, &st);
    sf_stations *sts;
    const sf_time picked[] = {S(18), S(76), S(134)}, delivered[] = {S(47), S(105), S(163)};
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    sts = sf_world_stations(w.w);
    assert_int_equal(w.npicked, 3);
    assert_int_equal(w.ndelivered, 3);
    expect_moves(&w, picked, delivered);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w.picked_at[i], (int32_t)sf_stations_find(sts, "cut"));
        assert_int_equal(w.delivered_at[i], (int32_t)sf_stations_find(sts, "drill"));
    }
    assert_int_equal(w.completed_at[1], S(63));
    assert_int_equal(w.completed_at[2], S(121));
    assert_int_equal(w.completed_at[3], S(179));
    assert_true(fabs(sf_stations_time_in(sts, sf_stations_find(sts, "cut"), SF_STATE_BLOCKED, S(3600)) - 70) < 1e-9);
    assert_true(fabs(sf_stations_time_in(sts, sf_stations_find(sts, "cut"), SF_STATE_WAIT_TRANSPORT, S(3600)) - 34) <
                1e-9);
    sf_session_free(s);
}

/*
 * An AGV carries one unit on all three legs: parts dock to cut (picked up
 * at 8, 11 s for 10 m, delivered at 27), cut to drill (cut by 37, picked up
 * at 45, delivered at 74), drill to the goods dock (drilled by 90, picked
 * up at 98, 31 s for 30 m, delivered at 137). The job is complete only
 * when it reaches the dock.
 */
static void test_an_agv_carries_a_unit_from_dock_to_dock(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport_agv.yaml", &w, &st);
    sf_stations *sts;
    const sf_time picked[] = {S(8), S(45), S(98)}, delivered[] = {S(27), S(74), S(137)};
    int32_t cut, drill;
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    sts = sf_world_stations(w.w);
    cut = (int32_t)sf_stations_find(sts, "cut");
    drill = (int32_t)sf_stations_find(sts, "drill");
    assert_int_equal(w.npicked, 3);
    assert_int_equal(w.ndelivered, 3);
    expect_moves(&w, picked, delivered);
    assert_int_equal(w.picked_at[0], -1);
    assert_int_equal(w.delivered_at[0], cut);
    assert_int_equal(w.picked_at[1], cut);
    assert_int_equal(w.delivered_at[1], drill);
    assert_int_equal(w.picked_at[2], drill);
    assert_int_equal(w.delivered_at[2], -1);
    assert_int_equal(w.completed_at[1], S(137));
    sf_session_free(s);
}

/*
 * The same unit with a tugger that fails 30 s after each repair, for
 * 50 s (transport_agv_failing.yaml). Down at 30 s while it waits, it gets
 * the cut unit only when repaired at 80 s: picked up at 88, at drill at
 * 109, where its drop fails at 110 after 1 s and ends 7 s after the
 * repair (167). The drilled unit (183) is in hand after 7 s, the failure
 * at 190 and 1 s more: 241. On the 31 s trip to the dock it fails at
 * 270, cruising at 1 m/s 28.5 m out: it brakes 0.5 m in 1 s, and from
 * rest at 320 covers the last metre in 2 s; set down by 330.
 */
static void test_a_failing_agv_stops_where_it_is(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport_agv_failing.yaml", &w, &st);
    const sf_time picked[] = {S(8), S(88), S(241)}, delivered[] = {S(27), S(167), S(330)};
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_int_equal(w.npicked, 3);
    expect_moves(&w, picked, delivered);
    assert_int_equal(w.completed_at[1], S(330));
    sf_session_free(s);
}

/*
 * The tugger fails after each 30 s of operating time instead
 * (transport_agv_wearing.yaml): 27 s by the time it sets the first unit
 * down at cut, then 3 s into the next pick: at 40 s. Repaired at 90: 5 s
 * of pick, 21 s to drill, 4 s into the drop: 120 s. Repaired at 170: 4 s
 * of drop, idle while drill works (to 190), 8 s of pick and 18 s of the
 * trip to the dock: 216 s, cruising 17.5 m out; it brakes to 18 m and from
 * rest at 266 covers the last 12 m in 13 s: set down by 287.
 */
static void test_a_vehicle_fails_by_its_operating_time(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport_agv_wearing.yaml", &w, &st);
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_true(w.nfailed >= 3);
    assert_int_equal(w.failed_at[0], S(40));
    assert_int_equal(w.failed_at[1], S(120));
    assert_int_equal(w.failed_at[2], S(216));
    assert_int_equal(w.completed_at[1], S(287));
    sf_session_free(s);
}

/*
 * Two failure modes counted in operating time (transport_agv_two_wears.yaml):
 * while one is repaired the other's clock stands still. Wear at 40 s; the
 * sensor fault 15 s of work after wear's repair at 90 s: 105 s; wear again
 * 30 s of work after 90 s, less the sensor's repair: 130 s; at 226 s both
 * are due, wear comes first and the fault waits, coming the moment wear is
 * repaired (276 s); the unit is set down at the dock by 307 s.
 */
static void test_a_repair_stops_the_other_failure_clocks(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport_agv_two_wears.yaml", &w, &st);
    const sf_time failed[] = {S(40), S(105), S(130), S(226), S(276)};
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_true(w.nfailed >= 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(w.failed_at[i], failed[i]);
    assert_int_equal(w.completed_at[1], S(307));
    sf_session_free(s);
}

/* Carrying is work for a person or humanoid: a carrier that never works in an operation still wears out (see the scenario). */
static void test_carrying_counts_as_work(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/transport_wearing_carrier.yaml", &w, &st);
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_true(w.nfailed >= 1);
    assert_int_equal(w.failed_at[0], S(40));
    sf_session_free(s);
}

/*
 * The test line with frames on a tugger AGV and brackets carried by
 * people, 16 h with shifts, failures, scrap and rework: the books
 * balance, every unit picked up was delivered or is still on its way,
 * each completed unit was carried once per leg at least (its operations
 * plus one), and some units wait for a carrier at the end or not, but
 * the line still makes most of what the uncarried line makes.
 */
static void test_carried_line_keeps_its_books(void **state)
{
    struct watch a, b;
    int st;
    sf_session *s1 = open_run("tests/model/data/production_line.yaml", &a, &st);
    sf_session *s2 = open_run("tests/model/data/production_carried.yaml", &b, &st);
    sf_job_counts c1, c2;
    (void)state;

    assert_int_equal(sf_session_run(s1), SF_OK);
    assert_int_equal(sf_session_run(s2), SF_OK);
    c1 = sf_stations_counts(sf_world_stations(a.w));
    c2 = sf_stations_counts(sf_world_stations(b.w));
    assert_int_equal(a.jobs[SF_JOB_PICKED_UP], 0);
    assert_int_equal(c2.released, c1.released); /* the same demand */
    assert_int_equal(c2.released, c2.completed + c2.scrapped + c2.in_progress);
    assert_int_equal(b.jobs[SF_JOB_COMPLETED], c2.completed);
    assert_int_equal(b.jobs[SF_JOB_PICKED_UP], b.jobs[SF_JOB_DELIVERED] + b.carried_jobs_in_transit);
    assert_true(b.carried_jobs_in_transit <= c2.in_progress);
    assert_true(b.jobs[SF_JOB_DELIVERED] >= 3 * c2.completed);
    assert_true(c2.completed > 100 && c2.completed <= c1.completed + 5);
    sf_session_free(s1);
    sf_session_free(s2);
}

/*
 * A worker under repair is passed over (see the scenario): the other one
 * walks 11 s and finishes at 81 s. Alone, the failed one takes the job
 * the moment it is repaired (150 s) and finishes at 160 s.
 */
static void test_a_failed_worker_is_passed_over_until_repaired(void **state)
{
    struct watch a, b;
    int st;
    sf_session *s1 = open_run("tests/script/data/failed_worker.yaml", &a, &st);
    sf_session *s2 = open_run("tests/script/data/failed_worker_alone.yaml", &b, &st);
    (void)state;

    assert_int_equal(sf_session_run(s1), SF_OK);
    assert_int_equal(sf_session_run(s2), SF_OK);
    assert_int_equal(a.completed_at[1], S(81));
    assert_int_equal(b.completed_at[1], S(160));
    sf_session_free(s1);
    sf_session_free(s2);
}

/* The value of KPI `metric` of `entity` ("" for the plant) of a finished session. */
static double kpi(sf_session *s, const char *metric, const char *entity)
{
    sf_kpis k;
    const sf_kpi *x;
    double v;

    sf_kpis_init(&k);
    assert_int_equal(sf_session_kpis(s, &k), SF_OK);
    x = sf_kpis_find(&k, metric, entity);
    assert_non_null(x);
    v = x->value;
    sf_kpis_free(&k);
    return v;
}

/*
 * Repairs by a crew (the default: one person with skill maintenance). A
 * press fails 18 h after each 40 min repair; the fitter works 06:00-22:00
 * at the press (no walk); the run starts Monday 06:00 and lasts 72 h.
 * Without a call-out (night_repair_wait.yaml) every failure comes at night
 * and waits for the fitter's shift: down 18 -> 24:40 h, 42:40 -> 48:40 h,
 * 66:40 -> 72 h: 18 h failed. With a 45 min call-out
 * (night_repair_crew.yaml) the midnight failure waits exactly the
 * call-out, then the repair: up at 19:25 h; the next two, at 37:25 h and
 * 56:05 h (on shift), are repaired by the fitter at once: 85 + 40 + 40 =
 * 165 min failed. The called-out person is booked as the fitter's labour:
 * one call-out of 85 min, worker_hours 48 h of shifts + 85 min, at
 * 60 EUR/h.
 */
static void test_a_crew_repair_waits_for_its_shift_or_the_call_out(void **state)
{
    struct watch a, b;
    int st;
    sf_session *wait = open_run("tests/script/data/night_repair_wait.yaml", &a, &st);
    sf_session *call = open_run("tests/script/data/night_repair_crew.yaml", &b, &st);
    sf_failures_callouts c;
    (void)state;

    assert_int_equal(sf_session_run(wait), SF_OK);
    assert_int_equal(sf_session_run(call), SF_OK);
    assert_true(fabs(sf_stations_time_in(sf_world_stations(a.w), 0, SF_STATE_FAILED, S(72 * 3600)) - 18 * 3600.0) < 1e-6);
    assert_true(fabs(sf_stations_time_in(sf_world_stations(b.w), 0, SF_STATE_FAILED, S(72 * 3600)) - 165 * 60.0) < 1e-6);
    assert_int_equal(sf_failures_count(sf_world_failures(b.w), SF_ENTITY_STATION, 0), 3);
    c = sf_failures_called_out(sf_world_failures(b.w), 0);
    assert_int_equal(c.repairs, 1);
    assert_int_equal(c.time, S(85 * 60));
    assert_int_equal(sf_failures_called_out(sf_world_failures(a.w), 0).repairs, 0);
    assert_true(fabs(kpi(call, "callout_hours", "fitter") - 85 / 60.0) < 1e-9);
    assert_true(fabs(kpi(call, "worker_hours", "") - (48 + 85 / 60.0)) < 1e-9);
    assert_true(fabs(kpi(call, "cost_labour", "") - 60 * (48 + 85 / 60.0)) < 1e-6);
    sf_session_free(wait);
    sf_session_free(call);
}

/*
 * A robot's rescue and its programming take a person
 * (rescue_person.yaml, program_person.yaml, worked out in them): the
 * rescuer walks 11 s, is there at 41 s and works exactly the 3 min
 * rescue_time; the part is done at 221 s and the station waited 11 s for
 * its person. The engineer is there at 11 s and programs exactly 30 min
 * (the station's setup); the part is done at 1811 + 20 = 1831 s. A
 * station failure from 200 to 220 s stops the rescue: done at 241 s, the
 * operator's working time still 180 s (rescue_person_failed.yaml).
 */
static void test_a_rescue_and_a_programming_take_a_person(void **state)
{
    struct watch r, p;
    int st;
    sf_session *rescue = open_run("tests/script/data/rescue_person.yaml", &r, &st);
    sf_session *program = open_run("tests/script/data/program_person.yaml", &p, &st);
    (void)state;

    assert_int_equal(sf_session_run(rescue), SF_OK);
    assert_int_equal(sf_session_run(program), SF_OK);
    assert_int_equal(r.completed_at[1], S(221));
    assert_int_equal(r.first_work[1], S(41));
    assert_int_equal(r.worked[1], S(180));
    assert_int_equal(r.worked[0], S(30)); /* the arm: its two attempts, not the rescue */
    assert_true(fabs(sf_stations_time_in(sf_world_stations(r.w), 0, SF_STATE_WAIT_PERSON, S(600)) - 11) < 1e-9);
    assert_true(fabs(sf_stations_time_in(sf_world_stations(r.w), 0, SF_STATE_WORKING, S(600)) - 210) < 1e-9);
    assert_true(fabs(kpi(rescue, "learning_rescues", "picker") - 1) < 1e-12);
    assert_int_equal(p.completed_at[1], S(1831));
    assert_int_equal(p.first_work[1], S(11));
    assert_int_equal(p.worked[1], S(1800));
    assert_true(fabs(sf_stations_time_in(sf_world_stations(p.w), 0, SF_STATE_SETUP, S(3600)) - 1800) < 1e-9);
    assert_true(fabs(sf_stations_time_in(sf_world_stations(p.w), 0, SF_STATE_WAIT_PERSON, S(3600)) - 11) < 1e-9);
    sf_session_free(rescue);
    sf_session_free(program);
    rescue = open_run("tests/script/data/rescue_person_failed.yaml", &r, &st);
    assert_int_equal(sf_session_run(rescue), SF_OK);
    assert_int_equal(r.completed_at[1], S(241));
    assert_int_equal(r.worked[1], S(180));
    sf_session_free(rescue);
}

/*
 * A humanoid with the skill rescues as a person would (rescue_humanoid.yaml):
 * it walks its 11 s, is there at 41 s, rescues exactly the 3 min
 * rescue_time (not scaled by its time_factor) and the part is done at 221 s.
 */
static void test_a_humanoid_rescues_a_robot(void **state)
{
    struct watch r;
    int st;
    sf_session *s = open_run("tests/script/data/rescue_humanoid.yaml", &r, &st);
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    assert_int_equal(r.completed_at[1], S(221));
    assert_int_equal(r.first_work[1], S(41));
    assert_int_equal(r.worked[1], S(180));
    assert_true(fabs(kpi(s, "learning_rescues", "picker") - 1) < 1e-12);
    sf_session_free(s);
}

/*
 * Supervision as a crew need (supervised_pair.yaml, supervised_pair2.yaml,
 * supervised_break.yaml, worked out in them): with one supervisor
 * watching one robot at a time, two 60 s operations released together
 * end at 60 and 120 s, one humanoid waiting exactly 60 s in wait_person,
 * and the supervisor (who never walks) watches 120 s; watching two at
 * once both end at 60 s and it watches 60 s. A teleoperator whose break
 * begins mid-operation sees it through (done at 120 s) and the next part
 * waits for its return at 360 s: done at 480 s, the humanoid waiting
 * 240 s, the operator watching 240 s; its labour is its presence, 1/6 h
 * and 6 EUR at 36 EUR/h, nothing counted on the side.
 */
static void test_supervision_is_a_crew_need(void **state)
{
    struct watch a, b, c;
    int st;
    sf_session *one = open_run("tests/script/data/supervised_pair.yaml", &a, &st);
    sf_session *two = open_run("tests/script/data/supervised_pair2.yaml", &b, &st);
    sf_session *away = open_run("tests/script/data/supervised_break.yaml", &c, &st);
    (void)state;

    assert_int_equal(sf_session_run(one), SF_OK);
    assert_int_equal(sf_session_run(two), SF_OK);
    assert_int_equal(sf_session_run(away), SF_OK);
    assert_int_equal(a.completed_at[1] + a.completed_at[2], S(180));
    assert_int_equal(a.completed_at[1] > a.completed_at[2] ? a.completed_at[1] : a.completed_at[2], S(120));
    assert_int_equal(a.worked[2], S(120));
    assert_true(a.seen_work[2]);
    assert_int_equal(a.first_work[2], 0); /* at its console from 0 s, 10 m away: no walk */
    assert_true(fabs(kpi(one, "time_wait_person", "ha") + kpi(one, "time_wait_person", "hb") - 60 / 3600.0) < 1e-12);
    assert_int_equal(b.completed_at[1], S(60));
    assert_int_equal(b.completed_at[2], S(60));
    assert_int_equal(b.worked[2], S(60));
    assert_true(fabs(kpi(two, "time_wait_person", "ha") + kpi(two, "time_wait_person", "hb")) < 1e-12);
    assert_int_equal(c.completed_at[1], S(120));
    assert_int_equal(c.completed_at[2], S(480));
    assert_int_equal(c.worked[0], S(240));
    assert_int_equal(c.worked[1], S(240));
    assert_true(fabs(kpi(away, "time_wait_person", "h") - 240 / 3600.0) < 1e-12);
    assert_true(fabs(kpi(away, "worker_hours", "") - 1 / 6.0) < 1e-12);
    assert_true(fabs(kpi(away, "cost_labour", "") - 6) < 1e-9);
    sf_session_free(one);
    sf_session_free(two);
    sf_session_free(away);
}

/* Carries by two people that start together gather in turn instead of deadlocking (see the scenario). */
static void test_team_carries_do_not_deadlock(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/team_carry.yaml", &w, &st);
    sf_job_counts c;
    (void)state;

    assert_int_equal(sf_session_run(s), SF_OK);
    c = sf_stations_counts(sf_world_stations(w.w));
    assert_int_equal(c.completed, 20);
    assert_int_equal(w.jobs[SF_JOB_DELIVERED], 20);
    sf_session_free(s);
}

/* Two processes waiting for one agent's repair: the second would silently take the first's place; it is an error. */
static void test_a_second_wait_for_a_repair_is_refused(void **state)
{
    struct watch w;
    int st;
    sf_session *s = open_run("tests/script/data/repaired_twice.yaml", &w, &st);
    (void)state;

    assert_int_equal(sf_session_run(s), SF_ESCRIPT);
    assert_non_null(strstr(sf_session_error(s), "repaired_twice.lua:6:"));
    assert_non_null(strstr(sf_session_error(s), "already waits for the repair of agent 'near.1'"));
    sf_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_books_balance_after_a_run),
        cmocka_unit_test(test_workers_keep_their_shifts),
        cmocka_unit_test(test_humanoids_replace_workers_by_overlay),
        cmocka_unit_test(test_crew_deadlock_is_reported),
        cmocka_unit_test(test_a_sequencing_rule_chooses_the_next_job),
        cmocka_unit_test(test_a_worker_carries_units_between_stations),
        cmocka_unit_test(test_an_agv_carries_a_unit_from_dock_to_dock),
        cmocka_unit_test(test_a_failing_agv_stops_where_it_is),
        cmocka_unit_test(test_a_vehicle_fails_by_its_operating_time),
        cmocka_unit_test(test_carrying_counts_as_work),
        cmocka_unit_test(test_a_repair_stops_the_other_failure_clocks),
        cmocka_unit_test(test_carried_line_keeps_its_books),
        cmocka_unit_test(test_a_failed_worker_is_passed_over_until_repaired),
        cmocka_unit_test(test_a_second_wait_for_a_repair_is_refused),
        cmocka_unit_test(test_supervision_is_a_crew_need),
        cmocka_unit_test(test_a_humanoid_rescues_a_robot),
        cmocka_unit_test(test_team_carries_do_not_deadlock),
        cmocka_unit_test(test_a_crew_repair_waits_for_its_shift_or_the_call_out),
        cmocka_unit_test(test_a_rescue_and_a_programming_take_a_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
