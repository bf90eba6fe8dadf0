/*
 * The future event set against a plain reference on random input: every
 * pop must return exactly the event the reference says is first by
 * (time, priority, sequence), with ties, cancellations, stale handles and
 * time patterns that stress bucketed structures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/queue.h"
#include "core/rng.h"

struct ref {
    sf_time time;
    int priority;
    uint64_t seq;
    uint32_t kind, target;
    sf_event_id id;
    int live;
};

struct model {
    struct ref *v;
    size_t n, cap;
    uint64_t seq;
};

static void ref_push(struct model *m, struct ref r)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->v = realloc(m->v, m->cap * sizeof *m->v);
        assert_non_null(m->v);
    }
    r.seq = m->seq++;
    r.live = 1;
    m->v[m->n++] = r;
}

static int ref_before(const struct ref *a, const struct ref *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->priority != b->priority)
        return a->priority < b->priority;
    return a->seq < b->seq;
}

/* Index of the first live record, or -1. O(n), fine for a reference. */
static long ref_first(const struct model *m)
{
    long best = -1;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].live && (best < 0 || ref_before(&m->v[i], &m->v[best])))
            best = (long)i;
    return best;
}

static size_t ref_live(const struct model *m)
{
    size_t c = 0;
    for (size_t i = 0; i < m->n; i++)
        c += (size_t)m->v[i].live;
    return c;
}

/* Drop dead records now and then so the reference stays small. */
static void ref_compact(struct model *m)
{
    size_t j = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].live)
            m->v[j++] = m->v[i];
    m->n = j;
}

enum pattern { SMALL_RANGE, WIDE, ALL_EQUAL, HUGE_GAPS, NEAR_MAX, NEGATIVE, BURSTS, HOLD_EXP };

static sf_time next_time(enum pattern p, sf_rng *r, sf_time last)
{
    uint64_t u = sf_rng_u64(r);
    switch (p) {
    case SMALL_RANGE: return (sf_time)(u % 16);
    case WIDE: return (sf_time)(u >> 2);
    case ALL_EQUAL: return 42;
    case HUGE_GAPS: return (u & 7) == 0 ? (sf_time)(u >> 3) : (sf_time)(u % 1000);
    case NEAR_MAX: return SF_TIME_MAX - (sf_time)(u % 64);
    case NEGATIVE: return -(sf_time)(u >> 3) + (sf_time)(u % 3) * 1000;
    case BURSTS: return last + ((u & 3) == 0 ? (sf_time)(u % 100000) : 0);
    case HOLD_EXP: return last + (sf_time)(-1e9 * __builtin_log(((double)(u >> 11) + 0.5) * 0x1.0p-53));
    }
    return 0;
}

/*
 * Random operations against the reference. `monotone` keeps every new
 * time at or after the last popped one, as the kernel does; otherwise
 * times may lie anywhere, as a general priority queue allows.
 */
static void run_against_reference(enum pattern p, int monotone, int ops, uint64_t seed)
{
    sf_queue *q = sf_queue_new();
    struct model m = {0};
    sf_rng r;
    sf_time last = p == NEGATIVE ? -1000000 : 0;
    sf_event_id stale[64];
    int nstale = 0;

    assert_non_null(q);
    sf_rng_init(&r, seed, "queue-test");
    for (int op = 0; op < ops; op++) {
        uint64_t u = sf_rng_below(&r, 100);
        if (u < 55 || ref_live(&m) == 0) {
            struct ref x = {0};
            x.time = next_time(p, &r, last);
            if (monotone && x.time < last)
                x.time = last + (x.time & 1023) * (p == NEAR_MAX ? 0 : 1);
            x.priority = (int)sf_rng_below(&r, 4) - 2;
            if (sf_rng_below(&r, 50) == 0)
                x.priority = sf_rng_below(&r, 2) ? SF_PRIO_MAX : SF_PRIO_MIN;
            x.kind = (uint32_t)sf_rng_below(&r, 1000);
            x.target = (uint32_t)sf_rng_u64(&r);
            assert_int_equal(sf_queue_push(q, x.time, x.priority, x.kind, x.target, &x.id), SF_OK);
            assert_true(x.id != 0);
            assert_true(sf_queue_pending(q, x.id));
            ref_push(&m, x);
        } else if (u < 70) {
            /* cancel a random record: live ones succeed, dead ones are stale */
            size_t i = (size_t)sf_rng_below(&r, m.n);
            assert_int_equal(sf_queue_cancel(q, m.v[i].id), m.v[i].live);
            if (m.v[i].live && nstale < 64)
                stale[nstale++] = m.v[i].id;
            m.v[i].live = 0;
            assert_false(sf_queue_pending(q, m.v[i].id));
        } else if (u < 72 && nstale > 0) {
            /* an old handle never cancels a newer event in a reused slot */
            size_t before = sf_queue_size(q);
            assert_false(sf_queue_cancel(q, stale[sf_rng_below(&r, (uint64_t)nstale)]));
            assert_int_equal(sf_queue_size(q), before);
        } else {
            long i = ref_first(&m);
            sf_event ev;
            sf_time t;
            assert_true(sf_queue_peek_time(q, &t));
            assert_true(sf_queue_pop(q, &ev));
            assert_true(i >= 0);
            assert_int_equal(t, m.v[i].time);
            assert_int_equal(ev.time, m.v[i].time);
            assert_int_equal(ev.priority, m.v[i].priority);
            assert_int_equal(ev.kind, m.v[i].kind);
            assert_int_equal(ev.target, m.v[i].target);
            assert_int_equal(ev.id, m.v[i].id);
            assert_false(sf_queue_pending(q, ev.id));
            assert_false(sf_queue_cancel(q, ev.id));
            m.v[i].live = 0;
            if (nstale < 64)
                stale[nstale++] = ev.id;
            last = ev.time;
        }
        assert_int_equal(sf_queue_size(q), ref_live(&m));
        if (m.n > 4096 && op % 512 == 0)
            ref_compact(&m);
    }
    /* drain: everything left comes out in reference order */
    for (long i; (i = ref_first(&m)) >= 0;) {
        sf_event ev;
        assert_true(sf_queue_pop(q, &ev));
        assert_int_equal(ev.time, m.v[i].time);
        assert_int_equal(ev.id, m.v[i].id);
        m.v[i].live = 0;
    }
    {
        sf_event ev;
        sf_time t;
        assert_false(sf_queue_pop(q, &ev));
        assert_false(sf_queue_peek_time(q, &t));
    }
    assert_int_equal(sf_queue_size(q), 0);
    free(m.v);
    sf_queue_free(q);
}

#define PATTERN_TEST(name, pattern, monotone)                                                         \
    static void name(void **state)                                                                    \
    {                                                                                                 \
        (void)state;                                                                                  \
        for (uint64_t s = 1; s <= 3; s++)                                                             \
            run_against_reference(pattern, monotone, 20000, s);                                       \
    }

PATTERN_TEST(test_queue_matches_reference_with_many_ties, SMALL_RANGE, 0)
PATTERN_TEST(test_queue_matches_reference_on_wide_times, WIDE, 0)
PATTERN_TEST(test_queue_keeps_insertion_order_when_all_times_are_equal, ALL_EQUAL, 0)
PATTERN_TEST(test_queue_matches_reference_with_huge_gaps, HUGE_GAPS, 0)
PATTERN_TEST(test_queue_matches_reference_near_the_largest_time, NEAR_MAX, 0)
PATTERN_TEST(test_queue_matches_reference_with_negative_times, NEGATIVE, 0)
PATTERN_TEST(test_queue_matches_reference_on_monotone_bursts, BURSTS, 1)
PATTERN_TEST(test_queue_matches_reference_on_a_hold_model, HOLD_EXP, 1)
PATTERN_TEST(test_queue_matches_reference_on_monotone_wide_times, WIDE, 1)

static void test_queue_ties_break_by_priority_then_insertion(void **state)
{
    sf_queue *q = sf_queue_new();
    sf_event ev;
    (void)state;
    assert_int_equal(sf_queue_push(q, 10, 0, 1, 100, NULL), SF_OK);
    assert_int_equal(sf_queue_push(q, 10, -1, 1, 101, NULL), SF_OK);
    assert_int_equal(sf_queue_push(q, 10, 0, 1, 102, NULL), SF_OK);
    assert_int_equal(sf_queue_push(q, 5, 7, 1, 103, NULL), SF_OK);
    assert_true(sf_queue_pop(q, &ev));
    assert_int_equal(ev.target, 103);
    assert_true(sf_queue_pop(q, &ev));
    assert_int_equal(ev.target, 101);
    assert_int_equal(ev.priority, -1);
    assert_true(sf_queue_pop(q, &ev));
    assert_int_equal(ev.target, 100);
    assert_true(sf_queue_pop(q, &ev));
    assert_int_equal(ev.target, 102);
    sf_queue_free(q);
}

static void test_queue_rejects_out_of_range_priority_and_kind(void **state)
{
    sf_queue *q = sf_queue_new();
    (void)state;
    assert_int_equal(sf_queue_push(q, 0, SF_PRIO_MAX + 1, 0, 0, NULL), SF_ERANGE);
    assert_int_equal(sf_queue_push(q, 0, SF_PRIO_MIN - 1, 0, 0, NULL), SF_ERANGE);
    assert_int_equal(sf_queue_push(q, 0, 0, 1u << 30, 0, NULL), SF_ERANGE);
    assert_int_equal(sf_queue_size(q), 0);
    sf_queue_free(q);
}

static void test_queue_never_valid_handles_are_harmless(void **state)
{
    sf_queue *q = sf_queue_new();
    sf_event_id id;
    (void)state;
    assert_false(sf_queue_cancel(q, 0));
    assert_false(sf_queue_cancel(q, ~(sf_event_id)0));
    assert_int_equal(sf_queue_push(q, 1, 0, 0, 0, &id), SF_OK);
    assert_false(sf_queue_cancel(q, id + 1)); /* right slot, wrong generation */
    assert_false(sf_queue_cancel(q, id + ((sf_event_id)5 << 32)));
    assert_int_equal(sf_queue_size(q), 1);
    sf_queue_free(q);
}

/* Cancelling nearly everything must not keep the dead entries' memory forever. */
static void test_queue_mass_cancellation_releases_memory(void **state)
{
    sf_queue *q = sf_queue_new();
    enum { N = 200000 };
    sf_event_id *ids = malloc(N * sizeof *ids);
    size_t peak;
    sf_event ev;
    (void)state;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < N; i++)
            assert_int_equal(sf_queue_push(q, (sf_time)(1000000 + i), 0, 0, (uint32_t)i, &ids[i]), SF_OK);
        for (int i = 0; i < N; i++)
            if (i % 1000)
                assert_true(sf_queue_cancel(q, ids[i]));
        assert_int_equal(sf_queue_size(q), N / 1000);
        for (int i = 0; i < N / 1000; i++) {
            assert_true(sf_queue_pop(q, &ev));
            assert_int_equal(ev.target, (uint32_t)(i * 1000));
        }
        assert_false(sf_queue_pop(q, &ev));
    }
    peak = sf_queue_bytes(q);
    /* five rounds of 200,000 pushes must reuse memory: well under 5 x 200,000 x 32 bytes */
    assert_true(peak < (size_t)2 * N * 32 + 65536);
    free(ids);
    sf_queue_free(q);
}

static void test_queue_clear_makes_handles_stale(void **state)
{
    sf_queue *q = sf_queue_new();
    sf_event_id a, b;
    sf_event ev;
    (void)state;
    assert_int_equal(sf_queue_push(q, 3, 0, 0, 1, &a), SF_OK);
    assert_int_equal(sf_queue_push(q, 4, 0, 0, 2, NULL), SF_OK);
    sf_queue_clear(q);
    assert_int_equal(sf_queue_size(q), 0);
    assert_false(sf_queue_pending(q, a));
    assert_false(sf_queue_pop(q, &ev));
    assert_int_equal(sf_queue_push(q, 1, 0, 0, 9, &b), SF_OK);
    assert_false(sf_queue_cancel(q, a));
    assert_true(sf_queue_pop(q, &ev));
    assert_int_equal(ev.target, 9);
    sf_queue_free(q);
}

/*
 * Peeking shows exactly the event the next pop removes, or nothing (never
 * a wrong one), changes nothing, and shows it in the common case: not
 * after the last event of a refill of the front, nor behind a cancelled one.
 */
static void test_queue_peek_shows_the_next_pop(void **state)
{
    sf_queue *q = sf_queue_new();
    sf_event_id ids[4096];
    size_t nids = 0, pops = 0, shown = 0;
    sf_event peeked, popped;
    sf_rng r;

    (void)state;
    assert_false(sf_queue_peek(q, &peeked));
    sf_rng_init(&r, 7, "peek-test");
    for (int step = 0; step < 40000; step++) {
        uint64_t u = sf_rng_below(&r, 10);
        if (u < 5 || sf_queue_size(q) == 0) {
            sf_event_id id;
            assert_int_equal(sf_queue_push(q, (sf_time)(step + sf_rng_below(&r, 1000)), (int)sf_rng_below(&r, 3) - 1,
                                           1, (uint32_t)step, &id),
                             SF_OK);
            if (nids < 4096)
                ids[nids++] = id;
        } else if (u < 6 && nids) {
            size_t i = sf_rng_below(&r, nids);
            sf_queue_cancel(q, ids[i]);
            ids[i] = ids[--nids];
        } else {
            size_t before = sf_queue_size(q);
            bool seen = sf_queue_peek(q, &peeked);
            assert_int_equal(sf_queue_size(q), before);
            assert_true(sf_queue_pop(q, &popped));
            pops++;
            if (!seen)
                continue;
            shown++;
            assert_true(peeked.time == popped.time);
            assert_int_equal(peeked.priority, popped.priority);
            assert_int_equal(peeked.kind, popped.kind);
            assert_int_equal(peeked.target, popped.target);
            assert_true(peeked.id == popped.id);
            assert_false(sf_queue_pending(q, popped.id));
        }
    }
    assert_true(shown * 4 > pops * 3); /* 88% with this mix, where a cancelled first event hides the next */
    while (sf_queue_pop(q, &popped))
        ;
    assert_false(sf_queue_peek(q, &peeked));
    sf_queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_peek_shows_the_next_pop),
        cmocka_unit_test(test_queue_ties_break_by_priority_then_insertion),
        cmocka_unit_test(test_queue_matches_reference_with_many_ties),
        cmocka_unit_test(test_queue_matches_reference_on_wide_times),
        cmocka_unit_test(test_queue_keeps_insertion_order_when_all_times_are_equal),
        cmocka_unit_test(test_queue_matches_reference_with_huge_gaps),
        cmocka_unit_test(test_queue_matches_reference_near_the_largest_time),
        cmocka_unit_test(test_queue_matches_reference_with_negative_times),
        cmocka_unit_test(test_queue_matches_reference_on_monotone_bursts),
        cmocka_unit_test(test_queue_matches_reference_on_a_hold_model),
        cmocka_unit_test(test_queue_matches_reference_on_monotone_wide_times),
        cmocka_unit_test(test_queue_rejects_out_of_range_priority_and_kind),
        cmocka_unit_test(test_queue_never_valid_handles_are_harmless),
        cmocka_unit_test(test_queue_mass_cancellation_releases_memory),
        cmocka_unit_test(test_queue_clear_makes_handles_stale),
    };
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
