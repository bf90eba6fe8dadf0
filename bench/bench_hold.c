/*
 * bench_hold.c: the classic hold model on the kernel's event queue.
 *
 * N events are pending; each step pops the earliest and schedules one new
 * event at now + Exp(1) seconds. For each N the kernel's queue (through
 * its public API, so cancellation bookkeeping is paid for) runs against a
 * plain binary heap compiled into this file, both fed the same Exp(1)
 * stream. Both must pop the same events in the same order (checked by a
 * running hash), so the comparison is between two implementations of one
 * order. Each figure is the median of `reps` runs, queue and heap
 * alternating so that background load hits both alike.
 *
 *   bench_hold [steps [reps]]        defaults: 10^7 steps, 3 repetitions
 *
 * Output: a table, then one line per N:
 *   bench: hold n=N queue_eps=.. heap_eps=.. ratio=.. bytes_per_event=.. heap_bytes_per_event=..
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/queue.h"
#include "core/rng.h"

/* ---- the baseline: a plain binary heap ----------------------------------
 * Same 24-byte entry and same key comparison as the kernel: time, then
 * (priority + 32768) << 48 | sequence in one word. Sift with a hole (move
 * the parent or child into the hole, write the new entry once). No
 * cancellation, so no slot table. */

struct hentry {
    sf_time time;
    uint64_t key;
    uint32_t kind;
    uint32_t target;
};

struct bheap {
    struct hentry *v;
    size_t n, cap;
    uint64_t seq;
};

static inline int hbefore(const struct hentry *a, const struct hentry *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

static void bheap_push(struct bheap *h, sf_time t, int priority, uint32_t kind, uint32_t target)
{
    struct hentry e = {t, (uint64_t)(priority + 32768) << 48 | h->seq++, kind, target};
    size_t i;

    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        if (!h->v) {
            fprintf(stderr, "bench_hold: out of memory\n");
            exit(1);
        }
    }
    i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hbefore(&e, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = e;
}

static void bheap_pop(struct bheap *h, struct hentry *out)
{
    struct hentry last;
    size_t i = 0, n;

    *out = h->v[0];
    n = --h->n;
    if (n == 0)
        return;
    last = h->v[n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && hbefore(&h->v[c + 1], &h->v[c]))
            c++;
        if (!hbefore(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = last;
}

/* ---- the model ---------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Exp(1) in seconds as kernel time (1 s = 10^9 ns), rounded. */
static inline sf_time exp_increment(sf_rng *r)
{
    return (sf_time)llround(-log(sf_rng_open(r)) * 1e9);
}

static inline uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

struct result {
    double eps;
    double bytes_per_event;
    uint64_t hash;
};

static struct result hold_queue(size_t n, long steps)
{
    sf_queue *q = sf_queue_new();
    struct result res = {0, 0, 0};
    sf_rng r;
    sf_event ev;
    double t0, t1;

    if (!q) {
        fprintf(stderr, "bench_hold: out of memory\n");
        exit(1);
    }
    sf_rng_init(&r, 1, "hold");
    for (size_t i = 0; i < n; i++)
        if (sf_queue_push(q, exp_increment(&r), 0, 0, (uint32_t)i, NULL) != 0) {
            fprintf(stderr, "bench_hold: push failed\n");
            exit(1);
        }
    t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
        sf_queue_pop(q, &ev);
        res.hash = mix(res.hash, (uint64_t)ev.time ^ (uint64_t)ev.target << 40);
        sf_queue_push(q, ev.time + exp_increment(&r), 0, 0, ev.target, NULL);
    }
    t1 = now_seconds();
    res.eps = (double)steps / (t1 - t0);
    res.bytes_per_event = (double)sf_queue_bytes(q) / (double)n;
    sf_queue_free(q);
    return res;
}

static struct result hold_heap(size_t n, long steps)
{
    struct bheap h = {NULL, 0, 0, 0};
    struct result res = {0, 0, 0};
    struct hentry ev;
    sf_rng r;
    double t0, t1;

    sf_rng_init(&r, 1, "hold");
    for (size_t i = 0; i < n; i++)
        bheap_push(&h, exp_increment(&r), 0, 0, (uint32_t)i);
    t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
        bheap_pop(&h, &ev);
        res.hash = mix(res.hash, (uint64_t)ev.time ^ (uint64_t)ev.target << 40);
        bheap_push(&h, ev.time + exp_increment(&r), 0, 0, ev.target);
    }
    t1 = now_seconds();
    res.eps = (double)steps / (t1 - t0);
    res.bytes_per_event = (double)(sizeof h + h.cap * sizeof *h.v) / (double)n;
    free(h.v);
    return res;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {1000, 10000, 100000, 1000000};
    long steps = argc > 1 ? atol(argv[1]) : 10000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    double qeps[16], heps[16];

    if (steps <= 0 || reps <= 0 || reps > 16) {
        fprintf(stderr, "usage: bench_hold [steps [reps (1..16)]]\n");
        return 2;
    }
    printf("hold model: %ld steps per N, Exp(1) increments, median of %d runs\n", steps, reps);
    printf("%10s %14s %14s %8s %12s %12s\n", "N", "queue ev/s", "heap ev/s", "ratio", "queue B/ev", "heap B/ev");
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        struct result rq = {0, 0, 0}, rh = {0, 0, 0};
        double qm, hm;

        for (int k = 0; k < reps; k++) {
            rq = hold_queue(n, steps);
            rh = hold_heap(n, steps);
            if (rq.hash != rh.hash) {
                fprintf(stderr, "bench_hold: n=%zu: the queue and the heap popped different events\n", n);
                return 1;
            }
            qeps[k] = rq.eps;
            heps[k] = rh.eps;
        }
        qm = median(qeps, reps);
        hm = median(heps, reps);
        printf("%10zu %14.0f %14.0f %8.2f %12.1f %12.1f\n", n, qm, hm, qm / hm, rq.bytes_per_event,
               rh.bytes_per_event);
        fflush(stdout);
        printf("bench: hold n=%zu queue_eps=%.0f heap_eps=%.0f ratio=%.3f bytes_per_event=%.2f "
               "heap_bytes_per_event=%.2f\n",
               n, qm, hm, qm / hm, rq.bytes_per_event, rh.bytes_per_event);
    }
    return 0;
}
