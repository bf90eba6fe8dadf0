/*
 * The future event set under long random runs against a reference heap:
 * hold models with clustered times and cancellations, times over the
 * whole int64 range, pushes before the front, mass cancellation in the
 * middle of a run, and reuse after clear. Every pop must be exactly the
 * reference's first event by (time, priority, sequence).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/queue.h"
#include "core/rng.h"

/* ---- reference: a binary heap by (time, priority, seq), lazy cancellation ---- */

struct rev {
    sf_time time;
    int priority;
    uint64_t seq;
    uint32_t kind, target;
};

struct ref {
    struct rev *heap;
    size_t n, cap;
    uint64_t seq;
    unsigned char *dead; /* by seq */
    sf_event_id *ids;    /* by seq */
    size_t seq_cap;
    size_t live;
};

static int rev_before(const struct rev *a, const struct rev *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->priority != b->priority)
        return a->priority < b->priority;
    return a->seq < b->seq;
}

static void ref_push(struct ref *r, struct rev e, sf_event_id id)
{
    size_t i;

    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->heap = realloc(r->heap, r->cap * sizeof *r->heap);
        assert_non_null(r->heap);
    }
    if (r->seq == r->seq_cap) {
        r->seq_cap = r->seq_cap ? r->seq_cap * 2 : 1024;
        r->dead = realloc(r->dead, r->seq_cap);
        r->ids = realloc(r->ids, r->seq_cap * sizeof *r->ids);
        assert_non_null(r->dead);
        assert_non_null(r->ids);
    }
    e.seq = r->seq++;
    r->dead[e.seq] = 0;
    r->ids[e.seq] = id;
    r->live++;
    i = r->n++;
    while (i > 0 && rev_before(&e, &r->heap[(i - 1) / 2])) {
        r->heap[i] = r->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    r->heap[i] = e;
}

static void ref_remove_top(struct ref *r)
{
    struct rev last = r->heap[--r->n];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= r->n)
            break;
        if (c + 1 < r->n && rev_before(&r->heap[c + 1], &r->heap[c]))
            c++;
        if (!rev_before(&r->heap[c], &last))
            break;
        r->heap[i] = r->heap[c];
        i = c;
    }
    if (r->n > 0)
        r->heap[i] = last;
}

/* First live event, removed; 0 when none. */
static int ref_pop(struct ref *r, struct rev *out)
{
    while (r->n > 0) {
        struct rev top = r->heap[0];
        ref_remove_top(r);
        if (!r->dead[top.seq]) {
            r->dead[top.seq] = 1;
            r->live--;
            *out = top;
            return 1;
        }
    }
    return 0;
}

static void ref_free(struct ref *r)
{
    free(r->heap);
    free(r->dead);
    free(r->ids);
}

/* ---- driving both -------------------------------------------------------- */

static void push_both(sf_queue *q, struct ref *r, sf_time t, int priority, uint32_t kind, uint32_t target)
{
    sf_event_id id;
    struct rev e = {t, priority, 0, kind, target};

    assert_int_equal(sf_queue_push(q, t, priority, kind, target, &id), SF_OK);
    assert_true(sf_queue_pending(q, id));
    ref_push(r, e, id);
}

/* Pop from both and compare; returns 0 when both are empty. */
static int pop_both(sf_queue *q, struct ref *r, sf_time *now)
{
    struct rev want;
    sf_event got;
    sf_time peek;
    int have = ref_pop(r, &want);

    assert_int_equal(sf_queue_peek_time(q, &peek), have);
    assert_int_equal(sf_queue_pop(q, &got), have);
    if (!have)
        return 0;
    assert_int_equal(peek, want.time);
    assert_int_equal(got.time, want.time);
    assert_int_equal(got.priority, want.priority);
    assert_int_equal(got.kind, want.kind);
    assert_int_equal(got.target, want.target);
    assert_int_equal(got.id, r->ids[want.seq]);
    assert_false(sf_queue_pending(q, got.id));
    assert_false(sf_queue_cancel(q, got.id));
    assert_int_equal(sf_queue_size(q), r->live);
    if (now)
        *now = got.time;
    return 1;
}

/* Cancel a random earlier handle (pending or not) in both. */
static void cancel_some(sf_queue *q, struct ref *r, sf_rng *g)
{
    uint64_t seq = sf_rng_below(g, r->seq);
    int pending = !r->dead[seq];

    assert_int_equal(sf_queue_pending(q, r->ids[seq]), pending);
    assert_int_equal(sf_queue_cancel(q, r->ids[seq]), pending);
    if (pending) {
        r->dead[seq] = 1;
        r->live--;
    }
    assert_false(sf_queue_pending(q, r->ids[seq]));
    assert_false(sf_queue_cancel(q, r->ids[seq]));
}

/* Increments of a clustered model: 30% zero, 0.1% huge, else up to ~5 s. */
static sf_time clustered_increment(sf_rng *g)
{
    double u = sf_rng_uniform(g);

    if (u < 0.3)
        return 0;
    if (u < 0.301)
        return (sf_time)sf_rng_below(g, (uint64_t)1 << 50);
    return (sf_time)sf_rng_below(g, 5000000000ull);
}

static void test_queue_stress_clustered_hold_with_cancellations(void **state)
{
    static const size_t sizes[] = {10, 1000, 30000};
    (void)state;

    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        sf_queue *q = sf_queue_new();
        struct ref r = {0};
        sf_rng g;
        sf_time now = 0;

        sf_rng_init(&g, k, "clustered hold");
        for (size_t i = 0; i < sizes[k]; i++)
            push_both(q, &r, clustered_increment(&g), (int)sf_rng_below(&g, 3) - 1, (uint32_t)sf_rng_below(&g, 7),
                      (uint32_t)i);
        for (int s = 0; s < 300000; s++) {
            assert_true(pop_both(q, &r, &now));
            push_both(q, &r, now + clustered_increment(&g), (int)sf_rng_below(&g, 3) - 1, (uint32_t)sf_rng_below(&g, 7),
                      (uint32_t)s);
            if (sf_rng_below(&g, 4) == 0) {
                /* a timeout that is usually cancelled before it fires */
                push_both(q, &r, now + clustered_increment(&g), 0, 1, (uint32_t)s);
                cancel_some(q, &r, &g);
            }
        }
        while (pop_both(q, &r, NULL))
            ;
        assert_int_equal(sf_queue_size(q), 0);
        sf_queue_free(q);
        ref_free(&r);
    }
}

/* Times anywhere in int64, pushed in any order, including before the
 * events already popped (the queue itself does not forbid it). */
static void test_queue_stress_any_times_any_order(void **state)
{
    sf_queue *q = sf_queue_new();
    struct ref r = {0};
    sf_rng g;
    (void)state;

    sf_rng_init(&g, 7, "any times");
    for (int round = 0; round < 200; round++) {
        int pushes = (int)sf_rng_below(&g, 2000), pops = (int)sf_rng_below(&g, 2000);
        for (int i = 0; i < pushes; i++) {
            sf_time t;
            switch (sf_rng_below(&g, 6)) {
            case 0: t = (sf_time)sf_rng_u64(&g); break;                     /* anywhere */
            case 1: t = SF_TIME_MAX - (sf_time)sf_rng_below(&g, 3); break;  /* the top end */
            case 2: t = SF_TIME_MIN + (sf_time)sf_rng_below(&g, 3); break;  /* the bottom end */
            case 3: t = (sf_time)sf_rng_below(&g, 100) - 50; break;         /* around zero */
            case 4: t = round * 1000 + (sf_time)sf_rng_below(&g, 1000); break;
            default: t = 42; break;                                          /* one busy instant */
            }
            push_both(q, &r, t, (int)sf_rng_below(&g, 5) - 2, (uint32_t)sf_rng_below(&g, 1u << 30), (uint32_t)i);
        }
        for (int i = 0; i < pops && pop_both(q, &r, NULL); i++)
            ;
        if (round % 10 == 0 && r.seq > 0)
            for (int i = 0; i < 100; i++)
                cancel_some(q, &r, &g);
    }
    while (pop_both(q, &r, NULL))
        ;
    sf_queue_free(q);
    ref_free(&r);
}

/* Cancelling most pending events in the middle of a run (which compacts
 * the structure) keeps the order of the rest and the run going. */
static void test_queue_stress_mass_cancellation_mid_run(void **state)
{
    sf_queue *q = sf_queue_new();
    struct ref r = {0};
    sf_rng g;
    sf_time now = 0;
    (void)state;

    sf_rng_init(&g, 3, "mass cancel");
    for (int i = 0; i < 50000; i++)
        push_both(q, &r, (sf_time)sf_rng_below(&g, 1000000000), 0, 0, (uint32_t)i);
    for (int round = 0; round < 6; round++) {
        for (int s = 0; s < 20000; s++) {
            assert_true(pop_both(q, &r, &now));
            push_both(q, &r, now + (sf_time)sf_rng_below(&g, 1000000000), 0, 0, (uint32_t)s);
        }
        /* cancel about nine in ten of the pending events */
        for (uint64_t seq = 0; seq < r.seq; seq++)
            if (!r.dead[seq] && sf_rng_below(&g, 10) != 0) {
                assert_true(sf_queue_cancel(q, r.ids[seq]));
                r.dead[seq] = 1;
                r.live--;
            }
        assert_int_equal(sf_queue_size(q), r.live);
        for (size_t i = r.live; i < 50000; i++)
            push_both(q, &r, now + (sf_time)sf_rng_below(&g, 1000000000), 0, 0, (uint32_t)i);
    }
    while (pop_both(q, &r, NULL))
        ;
    /* the memory held stays bounded by what was pending at once */
    assert_true(sf_queue_bytes(q) < (size_t)100000 * 32);
    sf_queue_free(q);
    ref_free(&r);
}

/* After clear, old handles are stale, and the queue orders new events
 * exactly; repeated many times on a half-consumed ladder. */
static void test_queue_stress_reuse_after_clear(void **state)
{
    sf_queue *q = sf_queue_new();
    sf_rng g;
    sf_event ev;
    sf_event_id old[64];
    (void)state;

    sf_rng_init(&g, 11, "clear");
    for (int round = 0; round < 50; round++) {
        struct ref r = {0};
        int n = 1 + (int)sf_rng_below(&g, 5000);
        for (int i = 0; i < n; i++)
            push_both(q, &r, (sf_time)sf_rng_below(&g, 1000000), (int)sf_rng_below(&g, 3), 0, (uint32_t)i);
        for (int i = 0; i < n / 3; i++)
            assert_true(pop_both(q, &r, NULL));
        for (int i = 0; i < 64; i++)
            old[i] = r.ids[sf_rng_below(&g, r.seq)];
        sf_queue_clear(q);
        assert_int_equal(sf_queue_size(q), 0);
        assert_false(sf_queue_pop(q, &ev));
        for (int i = 0; i < 64; i++) {
            assert_false(sf_queue_pending(q, old[i]));
            assert_false(sf_queue_cancel(q, old[i]));
        }
        ref_free(&r);
        memset(&r, 0, sizeof r);
        for (int i = 0; i < n; i++)
            push_both(q, &r, (sf_time)sf_rng_below(&g, 1000), 0, 0, (uint32_t)i);
        for (int i = 0; i < 64; i++)
            assert_false(sf_queue_pending(q, old[i]));
        while (pop_both(q, &r, NULL))
            ;
        ref_free(&r);
    }
    /* clearing reuses the slots instead of growing */
    assert_true(sf_queue_bytes(q) < (size_t)5000 * 64 + 65536);
    sf_queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_stress_clustered_hold_with_cancellations),
        cmocka_unit_test(test_queue_stress_any_times_any_order),
        cmocka_unit_test(test_queue_stress_mass_cancellation_mid_run),
        cmocka_unit_test(test_queue_stress_reuse_after_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
