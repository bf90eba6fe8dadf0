/*
 * Stations by hand: a two-station line whose completion times, blocked
 * and starved times are worked out on paper; setup only when the product
 * changes; a failure in the middle of an operation that resumes or
 * restarts, to the nanosecond; scrap and rework keep the books:
 * released = completed + scrapped + in progress, at every event.
 *
 * A small driver plays the behaviours' part: each slot takes a job, works
 * it without a crew and unloads it, over and over, continuing from a
 * kernel event after each `done` (as a Lua process would be resumed).
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
#include "model/stations.h"
#include "scenario/scenario.h"

#define S(x) ((sf_time)llround((x) * 1e9))
#define MAXJ 64

#define near(a, b, eps) near_at((a), (b), (eps), __LINE__)
static void near_at(double a, double b, double eps, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("line %d: %.9g differs from %.9g by more than %g", line, a, b, eps);
}

/* Stations with their agents and failures, wired as the world wires them (model/world.c). */
struct plant {
    sf_agents *a;
    sf_stations *s;
    sf_failures *f;
};

static sf_stations *plant_new(struct plant *p, sf_kernel *k, const sf_scenario_config *cfg, sf_stations_hooks h,
                              const sf_agent_kind *kinds, const int *types, uint32_t n)
{
    p->a = n ? sf_agents_new(cfg, types, n) : NULL;
    p->s = sf_stations_new(k, cfg, 1, h, kinds, types, n, p->a);
    p->f = sf_failures_new(k, cfg, 1, p->a, types, n, (sf_failures_hooks){0});
    if (!p->s || !p->f || (n && !p->a) || sf_stations_attach_failures(p->s, p->f) != SF_OK)
        return NULL;
    if (p->a)
        sf_agents_on_busy(p->a, sf_failures_agent_busy, p->f);
    return p->s;
}

static void plant_free(struct plant *p)
{
    sf_stations_free(p->s);
    sf_failures_free(p->f);
    sf_agents_free(p->a);
}

struct drv {
    sf_kernel *k;
    struct plant p;
    sf_stations *s;
    uint32_t kind;
    int step[8][4]; /* per station and slot: the next call, 0 take, 1 work, 2 unload */
    sf_time completed[MAXJ + 1], scrapped[MAXJ + 1];
    int ncompleted, nscrapped, nrework, nstart, nend;
    sf_state state[8];
    double watts[8];
    sf_job_counts last;
};

/* Call the slot's next step while they finish at once. */
static void advance(struct drv *d, uint32_t st, uint32_t slot)
{
    for (;;) {
        int *step = &d->step[st][slot], rc;
        if (*step == 0)
            rc = sf_stations_take(d->s, st, slot);
        else if (*step == 1)
            rc = sf_stations_work(d->s, st, slot, NULL, 0);
        else
            rc = sf_stations_unload(d->s, st, slot);
        assert_true(rc >= 0);
        if (rc == 0)
            return;
        *step = (*step + 1) % 3;
    }
}

static void on_drive(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct drv *d = ctx;
    uint32_t st = ev->target / 4, slot = ev->target % 4;
    (void)k;
    advance(d, st, slot);
}

static void done(void *ctx, uint32_t st, uint32_t slot, sf_step step, sf_time now)
{
    struct drv *d = ctx;
    (void)now;
    assert_int_equal((int)step, d->step[st][slot]);
    if (step == SF_STEP_WORK && sf_stations_result(d->s, st, slot) == SF_WORK_SCRAPPED)
        d->step[st][slot] = 0;
    else
        d->step[st][slot] = (d->step[st][slot] + 1) % 3;
    assert_int_equal(sf_kernel_after(d->k, 0, 0, d->kind, st * 4 + slot, NULL), SF_OK);
}

static void on_state(void *ctx, uint32_t st, sf_state s)
{
    ((struct drv *)ctx)->state[st] = s;
}

static void on_power(void *ctx, uint32_t st, sf_power_state s, double watts)
{
    (void)s;
    ((struct drv *)ctx)->watts[st] = watts;
}

/* Every job event: record it, and check the books hold after it. */
static void on_job(void *ctx, const sf_job_event *ev)
{
    struct drv *d = ctx;
    sf_job_counts c = sf_stations_counts(d->s);

    assert_int_equal(c.released, c.completed + c.scrapped + c.in_progress);
    assert_true(ev->job >= 1 && ev->job <= MAXJ);
    if (ev->what == SF_JOB_COMPLETED) {
        d->completed[ev->job] = ev->now;
        d->ncompleted++;
    } else if (ev->what == SF_JOB_SCRAPPED) {
        d->scrapped[ev->job] = ev->now;
        d->nscrapped++;
    } else if (ev->what == SF_JOB_REWORK) {
        d->nrework++;
    } else if (ev->what == SF_JOB_OP_START) {
        d->nstart++;
    } else if (ev->what == SF_JOB_OP_END) {
        d->nend++;
    }
    d->last = c;
}

/* tests/model/data/<name>, loaded (the test fails if it does not load). */
static sf_scenario_config *load_data(const char *name)
{
    char path[1024];
    sf_diags d;
    sf_scenario_config *cfg;

    snprintf(path, sizeof path, "%s/tests/model/data/%s", getenv("SHOPFLOOR_SOURCE_DIR"), name);
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
}

static sf_scenario_config *load(void) { return load_data("line_small.yaml"); }

static void start(struct drv *d, const sf_scenario_config *cfg)
{
    sf_stations_hooks h = {done, NULL, on_state, on_power, on_job, NULL, d};
    int kind;

    memset(d, 0, sizeof *d);
    d->k = sf_kernel_new();
    assert_non_null(d->k);
    kind = sf_kernel_add_kind(d->k, "driver", on_drive, d);
    assert_true(kind >= 0);
    d->kind = (uint32_t)kind;
    d->s = plant_new(&d->p, d->k, cfg, h, NULL, NULL, 0);
    assert_non_null(d->s);
    for (uint32_t st = 0; st < sf_stations_count(d->s); st++)
        advance(d, st, 0);
}

static void stop(struct drv *d)
{
    plant_free(&d->p);
    sf_kernel_free(d->k);
}

static int product(const sf_scenario_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_products; i++)
        if (strcmp(cfg->products[i].name, name) == 0)
            return (int)i;
    fail_msg("no product %s", name);
    return -1;
}

/*
 * Ten parts at time 0. Drill (16 s) is the bottleneck: it starts at 10 s
 * and never stops, so part k leaves at 10 + 16 k. Cut (10 s) cannot hand
 * part 4 on at 40 s (drill busy, its one buffer place taken) until 42 s;
 * from part 5 on it works 10 s and waits 6 s each cycle: blocked
 * 2 + 6 x 6 = 38 s. It starves from 138 s (part 10 handed on) to 170 s.
 * Cut draws 5 kW working and 1 kW otherwise: 100 s x 5 kW + 70 s x 1 kW.
 */
static void test_line_by_hand(void **state)
{
    sf_scenario_config *cfg = load();
    struct drv d;
    uint32_t cut, drill;
    (void)state;

    start(&d, cfg);
    cut = sf_stations_find(d.s, "cut");
    drill = sf_stations_find(d.s, "drill");
    for (int i = 0; i < 10; i++)
        assert_int_equal(sf_stations_release(d.s, product(cfg, "part"), 0, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(d.k, S(100)), SF_OK);
    assert_int_equal(d.last.released, 10);
    assert_int_equal(d.last.completed, 5); /* 26, 42, 58, 74, 90 */
    assert_int_equal(sf_kernel_run_until(d.k, S(170)), SF_OK);
    for (int k = 1; k <= 10; k++)
        assert_int_equal(d.completed[k], S(10 + 16 * k));
    assert_int_equal(d.ncompleted, 10);
    assert_int_equal(d.nstart, 20);
    assert_int_equal(d.nend, 20);
    near(sf_stations_time_in(d.s, drill, SF_STATE_WORKING, S(170)), 160, 1e-9);
    near(sf_stations_time_in(d.s, drill, SF_STATE_STARVED, S(170)), 10, 1e-9);
    near(sf_stations_time_in(d.s, cut, SF_STATE_WORKING, S(170)), 100, 1e-9);
    near(sf_stations_time_in(d.s, cut, SF_STATE_BLOCKED, S(170)), 38, 1e-9);
    near(sf_stations_time_in(d.s, cut, SF_STATE_STARVED, S(170)), 32, 1e-9);
    assert_int_equal(d.state[cut], SF_STATE_STARVED);
    assert_int_equal(sf_stations_ops(d.s, drill), 10);
    sf_stations_settle(d.s, S(170));
    near(sf_meter_total(sf_stations_meter(d.s, cut), S(170)), 100 * 5000.0 + 70 * 1000.0, 1e-6);
    near(d.watts[cut], 1000, 0);
    stop(&d);
    sf_scenario_config_free(cfg);
}

/*
 * Paint: red, red, blue, red at time 0, no failures. Setup 5 s only on a
 * change (the first job is a change from nothing): 15, 25, 40, 55.
 */
static void test_setup_only_on_product_change(void **state)
{
    sf_scenario_config *cfg = load();
    struct drv d;
    uint32_t paint;
    const char *order[] = {"red", "red", "blue", "red"};
    (void)state;

    cfg->n_failures = 0;
    for (size_t i = 0; i < cfg->layout.n_stations; i++) /* 1 kW idle, 8 kW working, 2 kW in setup */
        if (strcmp(cfg->layout.stations[i].name, "paint") == 0) {
            cfg->layout.stations[i].power_idle = 1000;
            cfg->layout.stations[i].power_busy = 8000;
            cfg->layout.stations[i].power_setup = 2000;
        }
    start(&d, cfg);
    paint = sf_stations_find(d.s, "paint");
    for (int i = 0; i < 4; i++)
        assert_int_equal(sf_stations_release(d.s, product(cfg, order[i]), 0, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(d.k, S(100)), SF_OK);
    /* setup draws power_setup, not power_busy: 15 s x 2 kW, 40 s x 8 kW, the other 45 s x 1 kW */
    sf_stations_settle(d.s, S(100));
    near(sf_stations_meter(d.s, paint)->energy[SF_POWER_SETUP], 15 * 2000.0, 1e-6);
    near(sf_stations_meter(d.s, paint)->energy[SF_POWER_WORKING], 40 * 8000.0, 1e-6);
    near(sf_stations_meter(d.s, paint)->energy[SF_POWER_IDLE], 45 * 1000.0, 1e-6);
    assert_int_equal(d.completed[1], S(15));
    assert_int_equal(d.completed[2], S(25));
    assert_int_equal(d.completed[3], S(40));
    assert_int_equal(d.completed[4], S(55));
    near(sf_stations_time_in(d.s, paint, SF_STATE_SETUP, S(100)), 15, 1e-9);
    near(sf_stations_time_in(d.s, paint, SF_STATE_WORKING, S(100)), 40, 1e-9);
    stop(&d);
    sf_scenario_config_free(cfg);
}

/*
 * Paint fails at 25 s (calendar), repaired at 32 s. Three red jobs at 0:
 * setup 0-5, job 1 5-15, job 2 15-25, job 3 25-... is hit at once:
 * resumed it needs its whole 10 s after 32 s, so the failure gives no
 * information; use a job 3 that started at 25 and... Instead: two jobs
 * released at 0 and one at 12 s: 1 ends 15, 2 ends 25, 3 (queued) starts
 * 25, is stopped at 25 + 0 = 25? The failure fires before the phase
 * event of the same time (priority 1 after 0), so job 3 starts at 25,
 * then fails at 25 with 10 s left. To cut an operation in the middle the
 * first job comes at 12 s: setup 12-17, job 1 17-27 is stopped at 25
 * with 2 s left; resumed after repair (32 s) it ends at 34 s; restarted,
 * at 42 s. The next failure is 25 s after the repair: 57 s.
 */
static void failure_case(bool restart, sf_time want_end, sf_time want_next_end)
{
    sf_scenario_config *cfg = load();
    struct drv d;
    uint32_t paint;

    cfg->failures[0].restart = restart;
    start(&d, cfg);
    paint = sf_stations_find(d.s, "paint");
    assert_int_equal(sf_kernel_run_until(d.k, S(12)), SF_OK);
    assert_int_equal(sf_stations_release(d.s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_release(d.s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(d.k, S(30)), SF_OK);
    assert_int_equal(d.state[paint], SF_STATE_FAILED);
    assert_int_equal(sf_kernel_run_until(d.k, S(200)), SF_OK);
    assert_int_equal(d.completed[1], want_end);
    assert_int_equal(d.completed[2], want_next_end);
    assert_true(sf_failures_count(d.p.f, SF_ENTITY_STATION, paint) >= 2);
    near(sf_stations_time_in(d.s, paint, SF_STATE_FAILED, S(200)),
                        7.0 * (double)sf_failures_count(d.p.f, SF_ENTITY_STATION, paint), 1e-9);
    stop(&d);
    sf_scenario_config_free(cfg);
}

/*
 * Job 2 after a resume: starts 34, would end 44 (before the next failure
 * at 57). After a restart: starts 42, ends 52.
 */
static void test_failure_resumes_exactly(void **state)
{
    (void)state;
    failure_case(false, S(34), S(44));
}

static void test_failure_restarts_exactly(void **state)
{
    (void)state;
    failure_case(true, S(42), S(52));
}

/*
 * Scrap and rework on the line: 40 parts, 30 % scrapped at cut, 20 %
 * reworked at drill. Every event checks released = completed + scrapped
 * + in progress; at the end nothing is in progress, every job ended once,
 * and the shares are near their values (40 draws: loose bounds that a
 * broken draw, all or nothing, still fails).
 */
static void test_scrap_and_rework_keep_the_books(void **state)
{
    sf_scenario_config *cfg = load();
    struct drv d;
    int part;
    (void)state;

    part = product(cfg, "part");
    cfg->products[part].ops[0].scrap = 0.3;
    cfg->products[part].ops[1].rework = 0.2;
    start(&d, cfg);
    for (int i = 0; i < 40; i++)
        assert_int_equal(sf_stations_release(d.s, part, 0, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(d.k, S(3000)), SF_OK);
    assert_int_equal(d.last.in_progress, 0);
    assert_int_equal(d.ncompleted + d.nscrapped, 40);
    assert_int_equal(d.last.completed, (uint64_t)d.ncompleted);
    assert_int_equal(d.last.reworked, (uint64_t)d.nrework);
    for (int k = 1; k <= 40; k++)
        assert_true((d.completed[k] > 0) != (d.scrapped[k] > 0));
    assert_true(d.nscrapped >= 4 && d.nscrapped <= 20);
    assert_true(d.nrework >= 1 && d.nrework <= 16);
    /* every start has its end: 40 cuts, a drill for each good part and each rework */
    assert_int_equal(d.nend, 40 + (40 - d.nscrapped) + d.nrework);
    assert_int_equal(d.nstart, d.nend);
    stop(&d);
    sf_scenario_config_free(cfg);
}

static sf_time work_done_at;

static void done_once(void *ctx, uint32_t st, uint32_t slot, sf_step step, sf_time now)
{
    (void)ctx;
    (void)st;
    (void)slot;
    assert_int_equal(step, SF_STEP_WORK);
    work_done_at = now;
}

/*
 * A robot of the crew slowed to half speed at 2 s (in the 5 s setup) and
 * back to full speed at 18 s: the setup's last 3 s take 6 s (ends 8 s);
 * processing does 5 s of its 10 s by 18 s, the rest at full speed: 23 s.
 */
static void test_crew_rate_changes_are_exact(void **state)
{
    sf_scenario_config *cfg = load();
    sf_stations_hooks h = {done_once, NULL, NULL, NULL, NULL, NULL, NULL};
    struct plant p;
    sf_agent_kind kinds[1] = {SF_AGENT_ARM};
    sf_kernel *k = sf_kernel_new();
    sf_stations *s;
    uint32_t paint, robot = 0;
    (void)state;

    cfg->n_failures = 0;
    s = plant_new(&p, k, cfg, h, kinds, NULL, 1);
    assert_non_null(s);
    paint = sf_stations_find(s, "paint");
    assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &robot, 1), 0);
    assert_int_equal(sf_kernel_run_until(k, S(2)), SF_OK);
    sf_stations_agent_rate(s, robot, 0.5);
    assert_int_equal(sf_kernel_run_until(k, S(18)), SF_OK);
    assert_int_equal(sf_stations_state(s, paint), SF_STATE_WORKING);
    sf_stations_agent_rate(s, robot, 1);
    assert_int_equal(sf_kernel_run_until(k, S(100)), SF_OK);
    assert_int_equal(work_done_at, S(23));
    plant_free(&p);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * The spray arm jams at 8 s (calendar) for 4 s. A red job at 0 with the
 * arm as its crew: setup 0-5, processing from 5; 3 s done at 8, stands
 * still to 12, the 7 s left end at 19 s. The next jam (20 s) comes after.
 */
static void test_agent_failure_stops_its_operation(void **state)
{
    sf_scenario_config *cfg = load();
    sf_stations_hooks h = {done_once, NULL, NULL, NULL, NULL, NULL, NULL};
    struct plant p;
    sf_agent_kind kinds[1] = {SF_AGENT_ARM};
    int types[1] = {0};
    sf_kernel *k = sf_kernel_new();
    sf_stations *s;
    uint32_t paint, arm = 0;
    (void)state;

    work_done_at = 0;
    cfg->failures[0] = cfg->failures[1]; /* the jam only */
    cfg->n_failures = 1;
    s = plant_new(&p, k, cfg, h, kinds, types, 1);
    assert_non_null(s);
    paint = sf_stations_find(s, "paint");
    assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &arm, 1), 0);
    assert_int_equal(sf_kernel_run_until(k, S(10)), SF_OK);
    assert_true(sf_failures_down(p.f, SF_ENTITY_AGENT, arm));
    assert_int_equal(sf_kernel_run_until(k, S(19) - 1), SF_OK);
    assert_int_equal(work_done_at, 0);
    assert_int_equal(sf_kernel_run_until(k, S(19)), SF_OK);
    assert_int_equal(work_done_at, S(19));
    assert_int_equal(sf_failures_count(p.f, SF_ENTITY_AGENT, arm), 1);
    plant_free(&p);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * A tiring painter (rate 0.01 /s, recovery 0.002 /s, slowdown 100 %):
 * job 1 at 0 takes setup 5 s + 10 s fresh, ends 15 s, the worker having
 * worked 15 s: F1 = 1 - e^-0.15. Job 2 (at once) takes 10 (1 + F1) s.
 * Job 3 comes at 1000 s: F grew during job 2, F2 = 1 - (1 - F1)
 * e^(-0.01 t2), then recovered until 1000 s: F3 = F2 e^(-0.002 (1000 -
 * end2)); job 3 takes 10 (1 + F3) s.
 */
static void test_fatigue_slows_and_recovers(void **state)
{
    sf_scenario_config *cfg = load();
    sf_stations_hooks h = {done_once, NULL, NULL, NULL, NULL, NULL, NULL};
    struct plant p;
    sf_agent_kind kinds[1] = {SF_AGENT_WORKER};
    int types[1] = {0};
    sf_kernel *k = sf_kernel_new();
    sf_stations *s;
    uint32_t paint, worker = 0;
    double F1, t2, end2, F2, F3;
    (void)state;

    cfg->n_failures = 0;
    cfg->fleet.types[0].fatigue_rate = 0.01;
    cfg->fleet.types[0].fatigue_recovery = 0.002;
    cfg->fleet.types[0].fatigue_slowdown = 1.0;
    s = plant_new(&p, k, cfg, h, kinds, types, 1);
    assert_non_null(s);
    paint = sf_stations_find(s, "paint");
    for (int j = 0; j < 2; j++)
        assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    work_done_at = 0;
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &worker, 1), 0);
    assert_int_equal(sf_kernel_run_until(k, S(100)), SF_OK);
    assert_int_equal(work_done_at, S(15));
    F1 = 1 - exp(-0.15);
    near(sf_agents_fatigue(p.a, worker, S(15)), F1, 1e-12);
    assert_int_equal(sf_stations_unload(s, paint, 0), 1);
    /* job 2 was released at 0 and waits in the input: take it now, at 100 s */
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    F1 = F1 * exp(-0.002 * 85); /* recovered from 15 s to 100 s */
    assert_int_equal(sf_stations_work(s, paint, 0, &worker, 1), 0);
    t2 = 10 * (1 + F1);
    end2 = 100 + t2;
    assert_int_equal(sf_kernel_run_until(k, S(500)), SF_OK);
    near((double)work_done_at, end2 * 1e9, 1.0);
    F2 = 1 - (1 - F1) * exp(-0.01 * t2);
    assert_int_equal(sf_stations_unload(s, paint, 0), 1);
    assert_int_equal(sf_kernel_run_until(k, S(1000)), SF_OK);
    assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &worker, 1), 0);
    F3 = F2 * exp(-0.002 * (1000 - end2));
    near(sf_agents_fatigue(p.a, worker, S(1000)), F3, 1e-9);
    assert_int_equal(sf_kernel_run_until(k, S(2000)), SF_OK);
    near((double)work_done_at, (1000 + 10 * (1 + F3)) * 1e9, 1.0);
    assert_true(F3 > 0.01 && F3 < F2); /* still a little tired, less so after the rest */
    plant_free(&p);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

/* One red job at the paint station worked by the sprayer alone; the time its work ends. */
static sf_time paint_once(sf_scenario_config *cfg)
{
    sf_stations_hooks h = {done_once, NULL, NULL, NULL, NULL, NULL, NULL};
    struct plant p;
    sf_agent_kind kinds[1] = {SF_AGENT_ARM};
    int types[1] = {0};
    sf_kernel *k = sf_kernel_new();
    sf_stations *s;
    uint32_t paint, sprayer = 0;

    cfg->n_failures = 0;
    s = plant_new(&p, k, cfg, h, kinds, types, 1);
    assert_non_null(s);
    paint = sf_stations_find(s, "paint");
    assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    work_done_at = -1;
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &sprayer, 1), 0);
    assert_int_equal(sf_kernel_run_until(k, S(100)), SF_OK);
    plant_free(&p);
    sf_kernel_free(k);
    return work_done_at;
}

/*
 * Its own pace: painting is 10 s of a person's time after a 5 s setup.
 * At time_factor 1.5 the sprayer ends at 5 + 15 = 20 s; at 0.8 (faster than
 * a person, alone in its crew) at 5 + 8 = 13 s; without one at 15 s. A
 * distribution, uniform(1, 2), is drawn from "pace.sprayer" (seed 1): the
 * work ends at 5 + 10 u.
 */
static void test_time_factor_sets_the_pace(void **state)
{
    sf_scenario_config *cfg = load();
    sf_cfg_agent_type *T = &cfg->fleet.types[0];
    sf_rng r;
    double u;
    (void)state;

    assert_int_equal(paint_once(cfg), S(15));
    T->paced = true;
    assert_int_equal(sf_dist_constant(&T->time_factor, 1.5, NULL), SF_OK);
    assert_int_equal(paint_once(cfg), S(20));
    assert_int_equal(sf_dist_constant(&T->time_factor, 0.8, NULL), SF_OK);
    assert_int_equal(paint_once(cfg), S(13));
    assert_int_equal(sf_dist_uniform(&T->time_factor, 1, 2, NULL), SF_OK);
    sf_rng_init(&r, 1, "pace.sprayer");
    u = sf_dist_sample(&T->time_factor, &r);
    assert_true(u > 1 && u < 2);
    near((double)paint_once(cfg), (5 + 10 * u) * 1e9, 1.0);
    sf_scenario_config_free(cfg);
}

/* The times the press went down and came up again, as its failures tell them. */
struct updown {
    sf_time at[8];
    int n;
    sf_kernel *k;
};

static void on_updown(void *ctx, const sf_failure_change *c)
{
    struct updown *u = ctx;
    if (c->entity == SF_ENTITY_STATION && u->n < 8)
        u->at[u->n++] = sf_kernel_now(u->k);
}

/* Run night_repair.yaml (with what `edit` changes) for 40 h; the press's downs and ups. */
static struct updown night_repairs(void (*edit)(sf_scenario_config *))
{
    sf_scenario_config *cfg = load_data("night_repair.yaml");
    struct updown u = {0};
    sf_failures *f;

    if (edit)
        edit(cfg);
    u.k = sf_kernel_new();
    assert_non_null(u.k);
    f = sf_failures_new(u.k, cfg, 1, NULL, NULL, 0, (sf_failures_hooks){0});
    assert_non_null(f);
    assert_int_equal(sf_failures_subscribe(f, on_updown, &u), SF_OK);
    assert_int_equal(sf_kernel_run_until(u.k, S(40 * 3600)), SF_OK);
    sf_failures_free(f);
    sf_kernel_free(u.k);
    sf_scenario_config_free(cfg);
    return u;
}

static void long_call_out(sf_scenario_config *cfg) { cfg->failures[0].call_out = 8 * SF_HOUR; }
static void all_remote(sf_scenario_config *cfg) { cfg->failures[0].remote = 1; }

/*
 * Who repairs at night: the press fails at midnight (18 h after the 06:00
 * start), when the fitter is off shift: the repair waits exactly the
 * 45 min call-out, then takes 40 min: up at 19:25 h. The next failure, at
 * 37:25 h (19:25, on shift), is repaired at once: up at 38:05 h. An 8 h
 * call-out is cut short when the fitter's shift starts at 06:00 (24 h):
 * up at 24:40 h. All repairs remote: no wait, up at 18:40 h.
 */
static void test_night_failure_waits_the_call_out(void **state)
{
    struct updown u;
    (void)state;

    u = night_repairs(NULL);
    assert_int_equal(u.n, 4);
    assert_int_equal(u.at[0], S(18 * 3600));
    assert_int_equal(u.at[1], S(18 * 3600 + 45 * 60 + 40 * 60));
    assert_int_equal(u.at[2], S(37 * 3600 + 25 * 60));
    assert_int_equal(u.at[3], S(38 * 3600 + 5 * 60));
    u = night_repairs(long_call_out);
    assert_int_equal(u.at[1], S(24 * 3600 + 40 * 60));
    u = night_repairs(all_remote);
    assert_int_equal(u.at[1], S(18 * 3600 + 40 * 60));
}


/*
 * A hold (an intervention) stops paint as a failure would, without being
 * one. No failure modes; two red jobs at 12 s: setup 12-17, job 1 from
 * 17 is held at 20 s with 7 s left; a second hold nests; released once
 * at 30 s it stays down, released again at 33 s it resumes: job 1 ends
 * 40, job 2 50. No failure is counted, and releasing a third time is
 * refused.
 */
static void test_hold_stops_and_resumes_exactly(void **state)
{
    sf_scenario_config *cfg = load();
    struct drv d;
    uint32_t paint;
    (void)state;

    cfg->n_failures = 0;
    start(&d, cfg);
    paint = sf_stations_find(d.s, "paint");
    assert_int_equal(sf_kernel_run_until(d.k, S(12)), SF_OK);
    assert_int_equal(sf_stations_release(d.s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_release(d.s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(d.k, S(20)), SF_OK);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, paint, true), SF_OK);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, paint, true), SF_OK);
    assert_int_equal(d.state[paint], SF_STATE_FAILED);
    assert_int_equal(sf_kernel_run_until(d.k, S(30)), SF_OK);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, paint, false), SF_OK);
    assert_true(sf_failures_down(d.p.f, SF_ENTITY_STATION, paint));
    assert_int_equal(sf_kernel_run_until(d.k, S(33)), SF_OK);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, paint, false), SF_OK);
    assert_false(sf_failures_down(d.p.f, SF_ENTITY_STATION, paint));
    assert_int_equal(sf_kernel_run_until(d.k, S(200)), SF_OK);
    assert_int_equal(d.completed[1], S(40));
    assert_int_equal(d.completed[2], S(50));
    assert_int_equal(sf_failures_count(d.p.f, SF_ENTITY_STATION, paint), 0);
    near(sf_stations_time_in(d.s, paint, SF_STATE_FAILED, S(200)), 13, 1e-9);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, paint, false), SF_EINVAL);
    assert_int_equal(sf_failures_hold(d.p.f, SF_ENTITY_STATION, 99, true), SF_EINVAL);
    stop(&d);
    sf_scenario_config_free(cfg);
}

/*
 * A hold on the spray arm nests with its jam. As above, the jam stops
 * the job at 8 s with 7 s left; held at 10 s until 14 s, the arm stays
 * down past the repair at 12 s. Working again from 14 s, the next jam
 * (calendar: 8 s after the repair, at 20 s) cuts it with 1 s left; after
 * its repair at 24 s the job ends at 25 s. Two failures, the hold none.
 */
static void test_agent_hold_nests_with_its_failures(void **state)
{
    sf_scenario_config *cfg = load();
    sf_stations_hooks h = {done_once, NULL, NULL, NULL, NULL, NULL, NULL};
    struct plant p;
    sf_agent_kind kinds[1] = {SF_AGENT_ARM};
    int types[1] = {0};
    sf_kernel *k = sf_kernel_new();
    sf_stations *s;
    uint32_t paint, arm = 0;
    (void)state;

    work_done_at = 0;
    cfg->failures[0] = cfg->failures[1]; /* the jam only */
    cfg->n_failures = 1;
    s = plant_new(&p, k, cfg, h, kinds, types, 1);
    assert_non_null(s);
    paint = sf_stations_find(s, "paint");
    assert_int_equal(sf_stations_release(s, product(cfg, "red"), 0, NULL), SF_OK);
    assert_int_equal(sf_stations_take(s, paint, 0), 1);
    assert_int_equal(sf_stations_work(s, paint, 0, &arm, 1), 0);
    assert_int_equal(sf_kernel_run_until(k, S(10)), SF_OK);
    assert_int_equal(sf_failures_hold(p.f, SF_ENTITY_AGENT, arm, true), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, S(14)), SF_OK);
    assert_true(sf_failures_down(p.f, SF_ENTITY_AGENT, arm));
    assert_int_equal(sf_failures_hold(p.f, SF_ENTITY_AGENT, arm, false), SF_OK);
    assert_false(sf_failures_down(p.f, SF_ENTITY_AGENT, arm));
    assert_int_equal(sf_kernel_run_until(k, S(25) - 1), SF_OK);
    assert_int_equal(work_done_at, 0);
    assert_int_equal(sf_kernel_run_until(k, S(25)), SF_OK);
    assert_int_equal(work_done_at, S(25));
    assert_int_equal(sf_failures_count(p.f, SF_ENTITY_AGENT, arm), 2);
    assert_int_equal(sf_failures_hold(p.f, SF_ENTITY_AGENT, 1, true), SF_EINVAL);
    plant_free(&p);
    sf_kernel_free(k);
    sf_scenario_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_by_hand),
        cmocka_unit_test(test_setup_only_on_product_change),
        cmocka_unit_test(test_failure_resumes_exactly),
        cmocka_unit_test(test_failure_restarts_exactly),
        cmocka_unit_test(test_scrap_and_rework_keep_the_books),
        cmocka_unit_test(test_crew_rate_changes_are_exact),
        cmocka_unit_test(test_agent_failure_stops_its_operation),
        cmocka_unit_test(test_fatigue_slows_and_recovers),
        cmocka_unit_test(test_time_factor_sets_the_pace),
        cmocka_unit_test(test_night_failure_waits_the_call_out),
        cmocka_unit_test(test_hold_stops_and_resumes_exactly),
        cmocka_unit_test(test_agent_hold_nests_with_its_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
