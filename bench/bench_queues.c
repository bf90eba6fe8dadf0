/*
 * bench_queues.c: the candidates for the kernel's future event set, side
 * by side in the hold model (bench/queues/).
 *
 * For each time distribution and each N, every candidate runs the hold
 * model (N pending events; pop the earliest, push one at now + increment)
 * on the same random stream and must pop the same events in the same
 * order (checked by a running hash). Distributions:
 *
 *   exp        increments Exp(1) s
 *   clustered  30% of increments 0 (many equal times), 0.1% Exp(1000) s
 *              (a few far-future events), the rest Exp(1) s
 *
 * The kernel's queue also runs a cancellation variant of the hold model:
 * each step pops, pushes the next event and a timeout at now + Exp(1) s,
 * and cancels that timeout; the extra time per step over the plain hold
 * model is the cost of a push plus a cancel plus dropping the dead entry.
 *
 *   bench_queues [steps [reps [ids [dist]]]]   defaults: 10^7 steps, 1 run
 *       (median of reps), every candidate, both distributions; ids is a
 *       comma-separated list such as kernel,ladder (the binary heap always
 *       runs, as reference) or "all"; dist is exp or clustered
 *
 * Output: tables, then lines
 *   bench: queues dist=D n=N variant=V eps=.. bytes_per_event=..
 *   bench: queues cancel n=N hold_eps=.. cancel_eps=.. ns_per_cancel=..
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/queue.h"
#include "core/rng.h"
#include "queues/queues.h"

static const struct qvariant *const variants[] = {&qv_binary, &qv_quad, &qv_pairing, &qv_calendar, &qv_ladder, &qv_kernel};
enum { NVAR = sizeof variants / sizeof *variants, MAXREPS = 16 };

static const size_t sizes[] = {1000, 10000, 100000, 1000000};
enum { NSIZES = sizeof sizes / sizeof *sizes };

enum dist { EXP, CLUSTERED, NDIST };
static const char *const dist_names[NDIST] = {"exp", "clustered"};

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline sf_time increment(sf_rng *r, enum dist d)
{
    double x;

    if (d == CLUSTERED) {
        double u = sf_rng_uniform(r);
        if (u < 0.3)
            return 0;
        x = -log(sf_rng_open(r)) * (u < 0.301 ? 1000.0 : 1.0);
    } else {
        x = -log(sf_rng_open(r));
    }
    return (sf_time)llround(x * 1e9);
}

static inline uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_queues: %s\n", what);
    exit(1);
}

struct result {
    double eps, bytes_per_event;
    uint64_t hash;
    long stopped; /* steps done when stopped early, -1 when not even filled, else 0 */
};

enum { BUDGET = 20 }; /* seconds per run at most */

static struct result hold(const struct qvariant *v, enum dist d, size_t n, long steps)
{
    void *q = v->create();
    struct result res = {0, 0, 0, 0};
    struct qentry e;
    uint64_t seq = 0;
    sf_rng r;
    double t0;

    if (!q)
        die("out of memory");
    sf_rng_init(&r, 1, "hold");
    t0 = now_seconds();
    for (size_t i = 0; i < n; i++) {
        e = (struct qentry){increment(&r, d), (uint64_t)32768 << 48 | seq++, 0, (uint32_t)i};
        if (v->push(q, &e) != 0)
            die("push failed");
        if ((i & 0xff) == 0 && now_seconds() - t0 > BUDGET) {
            res.stopped = -1; /* could not even fill the queue */
            v->destroy(q);
            return res;
        }
    }
    t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
        /* A candidate that degrades is stopped after BUDGET seconds and
         * measured over the steps it did; its hash then says so. */
        if ((s & 0x3ff) == 0 && s > 0 && now_seconds() - t0 > BUDGET) {
            res.stopped = s;
            steps = s;
            break;
        }
        v->pop(q, &e);
        res.hash = mix(res.hash, (uint64_t)e.time ^ (uint64_t)e.target << 40);
        e.time += increment(&r, d);
        e.key = (uint64_t)32768 << 48 | seq++;
        v->push(q, &e);
    }
    res.eps = (double)steps / (now_seconds() - t0);
    res.bytes_per_event = (double)v->bytes(q) / (double)n;
    v->destroy(q);
    return res;
}

/* The hold model on the kernel's queue, with or without a cancelled timeout per step. */
static double hold_cancel(size_t n, long steps, int cancel)
{
    sf_queue *q = sf_queue_new();
    sf_rng r;
    sf_event ev;
    sf_event_id id;
    double t0;
    uint64_t h = 0;

    if (!q)
        die("out of memory");
    sf_rng_init(&r, 1, "hold");
    for (size_t i = 0; i < n; i++)
        if (sf_queue_push(q, increment(&r, EXP), 0, 0, (uint32_t)i, NULL) != 0)
            die("push failed");
    t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
        sf_queue_pop(q, &ev);
        h = mix(h, (uint64_t)ev.time);
        sf_queue_push(q, ev.time + increment(&r, EXP), 0, 0, ev.target, NULL);
        if (cancel) {
            sf_queue_push(q, ev.time + increment(&r, EXP), 0, 1, ev.target, &id);
            if (!sf_queue_cancel(q, id))
                die("cancel failed");
        }
    }
    t0 = now_seconds() - t0;
    if (sf_queue_size(q) != n || h == 0)
        die("cancellation changed the number of pending events");
    sf_queue_free(q);
    return (double)steps / t0;
}

/* True when `id` is in the comma-separated list (or there is no list). */
static int selected(const char *list, const char *id)
{
    size_t n = strlen(id);

    if (!list)
        return 1;
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
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
    long steps = argc > 1 ? atol(argv[1]) : 10000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 1;
    static double eps[NDIST][NSIZES][NVAR], bpe[NDIST][NSIZES][NVAR];
    static long stopped[NDIST][NSIZES][NVAR];
    static int skip[NVAR];
    static int skipd[NDIST];
    const char *only = argc > 3 && strcmp(argv[3], "all") != 0 ? argv[3] : NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (steps <= 0 || reps <= 0 || reps > MAXREPS) {
        fprintf(stderr, "usage: bench_queues [steps [reps (1..16)]]\n");
        return 2;
    }
    for (int d = 0; d < NDIST; d++) {
        if (argc > 4 && strcmp(argv[4], dist_names[d]) != 0) {
            skipd[d] = 1;
            continue;
        }
        printf("hold model, %s increments: %ld steps per N, median of %d runs; events/s (bytes per pending event)\n",
               dist_names[d], steps, reps);
        printf("%-28s", "N");
        for (int i = 0; i < NSIZES; i++)
            printf(" %20zu", sizes[i]);
        printf("\n");
        for (int i = 0; i < NSIZES; i++) {
            uint64_t hash0 = 0;
            for (int k = 0; k < NVAR; k++) {
                double runs[MAXREPS];
                if (k > 0 && !selected(only, variants[k]->id)) {
                    skip[k] = 1;
                    continue;
                }
                struct result res = {0, 0, 0, 0};
                for (int rep = 0; rep < reps; rep++) {
                    res = hold(variants[k], (enum dist)d, sizes[i], steps);
                    runs[rep] = res.eps;
                    if (res.stopped)
                        break; /* a degenerate case once is enough */
                }
                if (k == 0)
                    hash0 = res.hash;
                else if (res.stopped < 0)
                    fprintf(stderr, "bench_queues: %s, %s, n=%zu: filling the queue took over %d s\n", variants[k]->name,
                            dist_names[d], sizes[i], (int)BUDGET);
                else if (res.stopped)
                    fprintf(stderr, "bench_queues: %s, %s, n=%zu: stopped after %ld steps (%d s)\n", variants[k]->name,
                            dist_names[d], sizes[i], res.stopped, (int)BUDGET);
                else if (res.hash != hash0) {
                    fprintf(stderr, "bench_queues: %s, %s, n=%zu: popped other events than %s\n", variants[k]->name,
                            dist_names[d], sizes[i], variants[0]->name);
                    return 1;
                }
                eps[d][i][k] = res.stopped ? res.eps : median(runs, reps);
                stopped[d][i][k] = res.stopped;
                bpe[d][i][k] = res.bytes_per_event;
            }
        }
        for (int k = 0; k < NVAR; k++) {
            if (skip[k])
                continue;
            printf("%-28s", variants[k]->name);
            for (int i = 0; i < NSIZES; i++)
                if (stopped[d][i][k] < 0)
                    printf(" %20s", "not filled*");
                else
                    printf(" %11.2fM%s(%4.1f)", eps[d][i][k] / 1e6, stopped[d][i][k] ? "* " : "  ", bpe[d][i][k]);
            printf("\n");
        }
        printf("* stopped after %d s: measured over the steps done (not filled: filling N events took longer)\n\n",
               (int)BUDGET);
    }
    printf("kernel queue, hold model with one cancelled timeout per step (exp increments)\n");
    printf("%10s %14s %14s %14s\n", "N", "hold ev/s", "cancel ev/s", "ns per cancel");
    {
        double hc[NSIZES][2];
        for (int i = 0; i < NSIZES; i++) {
            double runs[2][MAXREPS];
            for (int rep = 0; rep < reps; rep++) {
                runs[0][rep] = hold_cancel(sizes[i], steps, 0);
                runs[1][rep] = hold_cancel(sizes[i], steps, 1);
            }
            hc[i][0] = median(runs[0], reps);
            hc[i][1] = median(runs[1], reps);
            printf("%10zu %14.0f %14.0f %14.1f\n", sizes[i], hc[i][0], hc[i][1], 1e9 / hc[i][1] - 1e9 / hc[i][0]);
        }
        for (int d = 0; d < NDIST; d++)
            for (int i = 0; i < NSIZES && !skipd[d]; i++)
                for (int k = 0; k < NVAR; k++)
                    if (!skip[k])
                        printf("bench: queues dist=%s n=%zu variant=%s eps=%.0f bytes_per_event=%.2f stopped_at=%ld\n",
                           dist_names[d], sizes[i], variants[k]->id, eps[d][i][k], bpe[d][i][k], stopped[d][i][k]);
        for (int i = 0; i < NSIZES; i++)
            printf("bench: queues cancel n=%zu hold_eps=%.0f cancel_eps=%.0f ns_per_cancel=%.1f\n", sizes[i], hc[i][0],
                   hc[i][1], 1e9 / hc[i][1] - 1e9 / hc[i][0]);
    }
    return 0;
}
