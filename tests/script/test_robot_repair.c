/*
 * An agent's failure repaired by a crew, end to end through a session
 * (scenario, world, Lua behaviours): the crew walks to where the failed
 * agent stands (a humanoid at its bench, a vehicle halted mid-aisle),
 * repairs it for mttr, and at night one person is called out. Every time
 * below is worked out by hand in the scenario files.
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

#define S(x) ((sf_time)((x) * 1e9 + 0.5))
#define MAXA 4

struct watch {
    sf_world *w;
    sf_state state[MAXA];
    sf_time failed_at[MAXA], up_at[MAXA];      /* the first failure of each agent, and its end */
    sf_time first_work[MAXA];                  /* the first time in the working state */
    sf_time worked[MAXA], work_since[MAXA];    /* time in the working state */
    sf_time completed_at[4];                   /* the first jobs' completion times */
};

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    struct watch *w = ctx;

    if (e != SF_ENTITY_AGENT || id >= MAXA)
        return;
    if (s == SF_STATE_FAILED && w->state[id] != SF_STATE_FAILED && w->failed_at[id] < 0)
        w->failed_at[id] = now;
    if (s != SF_STATE_FAILED && w->state[id] == SF_STATE_FAILED && w->up_at[id] < 0)
        w->up_at[id] = now;
    if (s == SF_STATE_WORKING && w->first_work[id] < 0)
        w->first_work[id] = now;
    if (s == SF_STATE_WORKING && w->state[id] != SF_STATE_WORKING)
        w->work_since[id] = now;
    if (s != SF_STATE_WORKING && w->state[id] == SF_STATE_WORKING)
        w->worked[id] += now - w->work_since[id];
    w->state[id] = s;
}

static void on_job(void *ctx, const sf_job_event *ev)
{
    struct watch *w = ctx;

    if (ev->what == SF_JOB_COMPLETED && ev->job < 4)
        w->completed_at[ev->job] = ev->now;
}

static sf_session *open_run(const char *file, struct watch *w)
{
    char path[1024];
    sf_session_spec spec = {0};
    sf_session *s;
    sf_observer o = {on_state, NULL, on_job, NULL, NULL, w, NULL};
    static FILE *devnull;
    int status;

    if (!devnull)
        devnull = fopen("/dev/null", "w");
    snprintf(path, sizeof path, "%s/%s", getenv("SHOPFLOOR_SOURCE_DIR"), file);
    if (!getenv("SHOPFLOOR_SCRIPTS") || !*getenv("SHOPFLOOR_SCRIPTS")) {
        char scripts[1024];
        snprintf(scripts, sizeof scripts, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
        setenv("SHOPFLOOR_SCRIPTS", scripts, 1);
    }
    spec.model = path;
    spec.log = devnull;
    memset(w, 0, sizeof *w);
    for (int i = 0; i < MAXA; i++)
        w->failed_at[i] = w->up_at[i] = w->first_work[i] = -1;
    s = sf_session_new(&spec, &status);
    assert_non_null(s);
    w->w = sf_session_world(s);
    assert_int_equal(sf_world_observe(w->w, &o), SF_OK);
    assert_int_equal(sf_session_run(s), SF_OK);
    return s;
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
 * humanoid_repair.yaml: the humanoid (agent 0, itself with skill
 * maintenance) fails at 100 s; the fitter (agent 1) walks 30 m in 21 s,
 * repairs from 121 s to 181 s; the job that waited for the humanoid is
 * done at 191 s. The failed humanoid never works on its own repair.
 */
static void test_a_failed_humanoid_is_repaired_by_the_fitter_who_walks_to_it(void **state)
{
    struct watch w;
    sf_session *s = open_run("tests/script/data/humanoid_repair.yaml", &w);
    (void)state;

    assert_int_equal(w.failed_at[0], S(100));
    assert_int_equal(w.first_work[1], S(121));
    assert_int_equal(w.worked[1], S(60));
    assert_int_equal(w.up_at[0], S(181));
    assert_int_equal(w.first_work[0], S(181));
    assert_int_equal(w.completed_at[1], S(191));
    assert_int_equal(sf_failures_count(sf_world_failures(w.w), SF_ENTITY_AGENT, 0), 1);
    sf_session_free(s);
}

/*
 * agv_repair.yaml: the tugger (agent 0) fails at 110 s on its last trip
 * and brakes to a halt 8 m from a; the fitter (agent 1) walks 11 s to a
 * and 8 s along the aisle, working from 121 s (the walk along the aisle
 * and the 50 s repair: 58 s); up at 179 s, the unit delivered at 206 s.
 */
static void test_a_vehicle_halted_mid_aisle_is_repaired_where_it_stands(void **state)
{
    struct watch w;
    sf_session *s = open_run("tests/script/data/agv_repair.yaml", &w);
    (void)state;

    assert_int_equal(w.failed_at[0], S(110));
    assert_int_equal(w.first_work[1], S(121));
    assert_int_equal(w.up_at[0], S(179));
    assert_int_equal(w.completed_at[1], S(206));
    sf_session_free(s);
}

/*
 * humanoid_night_repair.yaml: the humanoid fails at midnight (18 h after
 * Monday 06:00) with the fitter off shift: one person is called out, 45
 * min, and repairs it in 40 min: up at 19:25 h, the call-out of 85 min
 * booked to the fitter, who stays off shift (never works). Without the
 * call-out (humanoid_night_wait.yaml) it waits for the fitter's shift:
 * the fitter works 06:00 to 06:40, up at 24:40 h.
 */
static void test_a_night_failure_of_a_humanoid_waits_exactly_the_call_out(void **state)
{
    struct watch a, b;
    sf_session *call = open_run("tests/script/data/humanoid_night_repair.yaml", &a);
    sf_session *wait = open_run("tests/script/data/humanoid_night_wait.yaml", &b);
    sf_failures_callouts c;
    (void)state;

    assert_int_equal(a.failed_at[0], S(18 * 3600));
    assert_int_equal(a.up_at[0], S(18 * 3600 + 85 * 60));
    assert_int_equal(a.first_work[1], -1);
    c = sf_failures_called_out(sf_world_failures(a.w), 1);
    assert_int_equal(c.repairs, 1);
    assert_int_equal(c.time, S(85 * 60));
    assert_true(fabs(kpi(call, "callout_hours", "fitter") - 85 / 60.0) < 1e-9);
    assert_int_equal(b.failed_at[0], S(18 * 3600));
    assert_int_equal(b.first_work[1], S(24 * 3600));
    assert_int_equal(b.worked[1], S(40 * 60));
    assert_int_equal(b.up_at[0], S(24 * 3600 + 40 * 60));
    assert_int_equal(sf_failures_called_out(sf_world_failures(b.w), 1).repairs, 0);
    sf_session_free(call);
    sf_session_free(wait);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_failed_humanoid_is_repaired_by_the_fitter_who_walks_to_it),
        cmocka_unit_test(test_a_vehicle_halted_mid_aisle_is_repaired_where_it_stands),
        cmocka_unit_test(test_a_night_failure_of_a_humanoid_waits_exactly_the_call_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
