/* The run loop: clock, order, stop and failure, stepping, cancellation, fingerprints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/kernel.h"

struct log {
    sf_time time[64];
    uint32_t target[64];
    int n;
    int stop_at, fail_at; /* target that stops or fails the run, -1 for none */
    uint32_t kind;
};

static void record(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct log *l = ctx;
    assert_int_equal(sf_kernel_now(k), ev->time);
    if (l->n < 64) {
        l->time[l->n] = ev->time;
        l->target[l->n] = ev->target;
    }
    l->n++;
    if ((int)ev->target == l->stop_at)
        sf_kernel_stop(k);
    if ((int)ev->target == l->fail_at)
        sf_kernel_fail(k, SF_ESCRIPT);
}

static sf_kernel *make(struct log *l)
{
    sf_kernel *k = sf_kernel_new();
    int kind;
    assert_non_null(k);
    memset(l, 0, sizeof *l);
    l->stop_at = l->fail_at = -1;
    kind = sf_kernel_add_kind(k, "record", record, l);
    assert_true(kind >= 0);
    l->kind = (uint32_t)kind;
    return k;
}

static void test_kernel_run_until_stops_at_the_horizon_and_sets_the_clock(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    (void)state;
    assert_int_equal(sf_kernel_at(k, 10, 0, l.kind, 1, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 20, 0, l.kind, 2, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 30, 0, l.kind, 3, NULL), SF_OK);
    assert_int_equal(sf_kernel_run_until(k, 20), SF_OK); /* events at the horizon run */
    assert_int_equal(l.n, 2);
    assert_int_equal(sf_kernel_now(k), 20);
    assert_int_equal(sf_kernel_run_until(k, 25), SF_OK);
    assert_int_equal(sf_kernel_now(k), 25);
    assert_int_equal(sf_kernel_pending_count(k), 1);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(sf_kernel_now(k), 30);
    sf_kernel_free(k);
}

static void test_kernel_rejects_the_past_overflow_and_unknown_kinds(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    (void)state;
    assert_int_equal(sf_kernel_run_until(k, 100), SF_OK);
    assert_int_equal(sf_kernel_at(k, 99, 0, l.kind, 0, NULL), SF_EPAST);
    assert_int_equal(sf_kernel_after(k, -1, 0, l.kind, 0, NULL), SF_EPAST);
    assert_int_equal(sf_kernel_after(k, SF_TIME_MAX, 0, l.kind, 0, NULL), SF_ERANGE);
    assert_int_equal(sf_kernel_at(k, 100, 0, l.kind + 1, 0, NULL), SF_EINVAL);
    assert_int_equal(sf_kernel_at(k, 100, 0, l.kind, 0, NULL), SF_OK); /* now itself is fine */
    assert_int_equal(sf_kernel_pending_count(k), 1);
    sf_kernel_free(k);
}

static void test_kernel_orders_equal_times_by_priority_then_schedule_order(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    (void)state;
    assert_int_equal(sf_kernel_at(k, 5, 1, l.kind, 1, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 5, 0, l.kind, 2, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 5, 1, l.kind, 3, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 4, 9, l.kind, 4, NULL), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    assert_int_equal(l.target[0], 4);
    assert_int_equal(l.target[1], 2);
    assert_int_equal(l.target[2], 1);
    assert_int_equal(l.target[3], 3);
    sf_kernel_free(k);
}

static void test_kernel_stop_and_fail_end_the_run_after_the_event(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    (void)state;
    for (uint32_t i = 1; i <= 5; i++)
        assert_int_equal(sf_kernel_at(k, (sf_time)i * 10, 0, l.kind, i, NULL), SF_OK);
    l.stop_at = 2;
    assert_int_equal(sf_kernel_run_until(k, 1000), SF_ESTOPPED);
    assert_int_equal(l.n, 2);
    assert_int_equal(sf_kernel_now(k), 20); /* the clock stays at the stopping event */
    l.fail_at = 4;
    assert_int_equal(sf_kernel_run(k), SF_ESCRIPT);
    assert_int_equal(l.n, 4);
    assert_int_equal(sf_kernel_now(k), 40);
    assert_int_equal(sf_kernel_run(k), SF_OK); /* a run can go on after either */
    assert_int_equal(l.n, 5);
    sf_kernel_free(k);
}

static void test_kernel_step_runs_one_event_at_a_time(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    sf_time next;
    (void)state;
    assert_int_equal(sf_kernel_step(k), 0);
    assert_int_equal(sf_kernel_at(k, 7, 0, l.kind, 1, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 9, 0, l.kind, 2, NULL), SF_OK);
    assert_true(sf_kernel_next_time(k, &next));
    assert_int_equal(next, 7);
    assert_int_equal(sf_kernel_step(k), 1);
    assert_int_equal(sf_kernel_now(k), 7);
    assert_int_equal(l.n, 1);
    l.fail_at = 2;
    assert_int_equal(sf_kernel_step(k), SF_ESCRIPT);
    assert_int_equal(sf_kernel_step(k), 0);
    assert_false(sf_kernel_next_time(k, &next));
    sf_kernel_free(k);
}

static void test_kernel_cancelled_events_never_run(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    sf_event_id a, b;
    (void)state;
    assert_int_equal(sf_kernel_at(k, 1, 0, l.kind, 1, &a), SF_OK);
    assert_int_equal(sf_kernel_at(k, 2, 0, l.kind, 2, &b), SF_OK);
    assert_true(sf_kernel_pending(k, a));
    assert_true(sf_kernel_cancel(k, a));
    assert_false(sf_kernel_cancel(k, a));
    assert_int_equal(sf_kernel_run(k), SF_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.target[0], 2);
    assert_false(sf_kernel_cancel(k, b)); /* fired: stale */
    sf_kernel_free(k);
}

/* A small model with random delays: each event schedules a successor until 10,000 have run. */
struct chain {
    sf_rng rng;
    sf_dist delay;
    uint32_t kind;
    int left;
};

static void chain_step(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct chain *c = ctx;
    sf_time dt;
    if (--c->left <= 0)
        return;
    assert_int_equal(sf_time_from_seconds(sf_dist_sample(&c->delay, &c->rng), &dt), SF_OK);
    assert_int_equal(sf_kernel_after(k, dt, 0, c->kind, (ev->target * 7 + 1) % 13, NULL), SF_OK);
}

static uint64_t chain_fingerprint(uint64_t seed, int fanout)
{
    struct chain c;
    sf_kernel *k = sf_kernel_new();
    int kind = sf_kernel_add_kind(k, "chain", chain_step, &c);
    uint64_t fp;
    sf_rng_init(&c.rng, seed, "delays");
    assert_int_equal(sf_dist_exponential(&c.delay, 2.0, NULL), SF_OK);
    c.kind = (uint32_t)kind;
    c.left = 10000;
    for (int i = 0; i < fanout; i++)
        assert_int_equal(sf_kernel_at(k, 0, 0, c.kind, (uint32_t)i, NULL), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    fp = sf_kernel_fingerprint(k);
    sf_kernel_free(k);
    return fp;
}

static void test_kernel_fingerprint_is_stable_and_sensitive(void **state)
{
    (void)state;
    assert_true(chain_fingerprint(1, 3) == chain_fingerprint(1, 3));
    assert_true(chain_fingerprint(1, 3) != chain_fingerprint(2, 3));
    assert_true(chain_fingerprint(1, 3) != chain_fingerprint(1, 4));
    /*
     * Golden value: the hash, the stream derivation, the exponential
     * sampler and the event order all feed it. It changes only when one of
     * them changes on purpose; update it in the same commit and say why.
     */
    assert_int_equal(chain_fingerprint(1, 3), UINT64_C(0x70df309edfbc2b8e));
}

static int traced;
static void trace(void *ctx, const sf_event *ev, const char *name)
{
    (void)ctx;
    (void)ev;
    assert_string_equal(name, "record");
    traced++;
}

static void test_kernel_trace_sees_every_event_with_its_kind_name(void **state)
{
    struct log l;
    sf_kernel *k = make(&l);
    (void)state;
    traced = 0;
    sf_kernel_set_trace(k, trace, NULL);
    assert_int_equal(sf_kernel_at(k, 1, 0, l.kind, 1, NULL), SF_OK);
    assert_int_equal(sf_kernel_at(k, 2, 0, l.kind, 2, NULL), SF_OK);
    assert_int_equal(sf_kernel_run(k), SF_OK);
    assert_int_equal(traced, 2);
    assert_int_equal(sf_kernel_events(k), 2);
    assert_string_equal(sf_kernel_kind_name(k, 99), "?");
    sf_kernel_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_run_until_stops_at_the_horizon_and_sets_the_clock),
        cmocka_unit_test(test_kernel_rejects_the_past_overflow_and_unknown_kinds),
        cmocka_unit_test(test_kernel_orders_equal_times_by_priority_then_schedule_order),
        cmocka_unit_test(test_kernel_stop_and_fail_end_the_run_after_the_event),
        cmocka_unit_test(test_kernel_step_runs_one_event_at_a_time),
        cmocka_unit_test(test_kernel_cancelled_events_never_run),
        cmocka_unit_test(test_kernel_fingerprint_is_stable_and_sensitive),
        cmocka_unit_test(test_kernel_trace_sees_every_event_with_its_kind_name),
    };
    return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
