/*
 * cmd_demo.c: `shopfloor demo`, an M/M/1 queue written directly against
 * the kernel, with its answer checked against queueing theory.
 *
 * Customers arrive at rate lambda and are served one at a time at rate
 * mu = 1. The mean time in system of an M/M/1 queue is 1 / (mu - lambda)
 * and the mean number in system rho / (1 - rho); the demo reports the
 * simulated values with a 95% confidence interval from 20 batch means,
 * the theoretical values, and the kernel's speed and fingerprint.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/dist.h"
#include "core/error.h"
#include "core/kernel.h"
#include "core/mem.h"
#include "core/stats.h"

enum { BATCHES = 20 };

/* Student t quantile 0.975 for 19 degrees of freedom. */
#define T_975_19 2.093024

struct mm1 {
    sf_rng arrivals, services;
    sf_dist interarrival, service;
    uint32_t arrive, depart; /* event kinds */
    sf_time *ring;           /* arrival times of the customers in the system, oldest first */
    size_t head, count, cap;
    uint64_t arrived, departed, warmup, total, per_batch;
    sf_tally system_time, batches;
    double batch_sum;
    sf_level in_system;
};

static void fail_on(sf_kernel *k, int rc)
{
    if (rc != SF_OK)
        sf_kernel_fail(k, rc);
}

static sf_time draw(const sf_dist *d, sf_rng *r)
{
    sf_time t;
    return sf_time_from_seconds(sf_dist_sample(d, r), &t) == SF_OK ? t : SF_TIME_MAX;
}

static int push_customer(struct mm1 *m, sf_time t)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        sf_time *ring = sf_malloc(cap * sizeof *ring);
        if (!ring)
            return SF_ENOMEM;
        for (size_t i = 0; i < m->count; i++)
            ring[i] = m->ring[(m->head + i) % m->cap];
        free(m->ring);
        m->ring = ring;
        m->head = 0;
        m->cap = cap;
    }
    m->ring[(m->head + m->count++) % m->cap] = t;
    return SF_OK;
}

static void on_arrive(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct mm1 *m = ctx;
    int rc = push_customer(m, ev->time);

    if (rc != SF_OK) {
        sf_kernel_fail(k, rc);
        return;
    }
    sf_level_add(&m->in_system, ev->time, 1);
    if (m->count == 1)
        fail_on(k, sf_kernel_after(k, draw(&m->service, &m->services), 0, m->depart, 0, NULL));
    if (++m->arrived < m->total)
        fail_on(k, sf_kernel_after(k, draw(&m->interarrival, &m->arrivals), 0, m->arrive, 0, NULL));
}

static void on_depart(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct mm1 *m = ctx;
    double w = sf_time_to_seconds(ev->time - m->ring[m->head]);

    m->head = (m->head + 1) % m->cap;
    m->count--;
    sf_level_add(&m->in_system, ev->time, -1);
    if (++m->departed == m->warmup)
        sf_level_reset(&m->in_system, ev->time);
    if (m->departed > m->warmup) {
        sf_tally_add(&m->system_time, w);
        m->batch_sum += w;
        if ((m->departed - m->warmup) % m->per_batch == 0) {
            sf_tally_add(&m->batches, m->batch_sum / (double)m->per_batch);
            m->batch_sum = 0;
        }
    }
    if (m->count > 0)
        fail_on(k, sf_kernel_after(k, draw(&m->service, &m->services), 0, m->depart, 0, NULL));
}

enum { O_HELP, O_SEED, O_CUSTOMERS, O_RHO, O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "N", .help = "base seed of the random streams", .by_default = "1"},
    [O_CUSTOMERS] = {"customers", .kind = SF_CLI_U64, .value = "N", .help = "customers measured after a 10% warm-up",
                     .by_default = "1000000"},
    [O_RHO] = {"rho", .kind = SF_CLI_DOUBLE, .value = "R", .help = "utilisation, 0 < R < 1", .by_default = "0.8"},
    [O_COUNT] = {NULL},
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_demo = {
    .name = "demo",
    .summary = "run the kernel demo: an M/M/1 queue checked against theory",
    .description = "Run an M/M/1 queue (service rate 1, arrival rate R) written directly against\n"
                   "the event kernel and compare the mean time in system and the mean number in\n"
                   "system with the values from queueing theory.",
    .options = options,
    .run = run,
};

static int run(const sf_cli_args *a)
{
    uint64_t seed = a->opt[O_SEED].given ? a->opt[O_SEED].u64 : 1;
    uint64_t customers = a->opt[O_CUSTOMERS].given ? a->opt[O_CUSTOMERS].u64 : 1000000;
    double rho = a->opt[O_RHO].given ? a->opt[O_RHO].num : 0.8, elapsed, w_theory, l_theory, half, l_mean;
    struct mm1 m;
    sf_kernel *k = NULL;
    struct timespec t0, t1;
    char err[SF_DIST_ERRLEN];
    int rc, status = SF_EXIT_FAIL;

    if (a->n_operands > 0) {
        sf_cli_usage_error("demo", "unexpected argument '%s'", a->operands[0]);
        return SF_EXIT_USAGE;
    }
    if (!(rho > 0 && rho < 1)) {
        sf_cli_usage_error("demo", "--rho must lie strictly between 0 and 1, got %g", rho);
        return SF_EXIT_USAGE;
    }
    if (customers < BATCHES * 10) {
        sf_cli_usage_error("demo", "--customers must be at least %d", BATCHES * 10);
        return SF_EXIT_USAGE;
    }

    memset(&m, 0, sizeof m);
    sf_rng_init(&m.arrivals, seed, "arrivals");
    sf_rng_init(&m.services, seed, "services");
    if (sf_dist_exponential(&m.interarrival, 1 / rho, err) != SF_OK ||
        sf_dist_exponential(&m.service, 1.0, err) != SF_OK) {
        fprintf(stderr, "shopfloor demo: %s\n", err);
        return SF_EXIT_FAIL;
    }
    m.per_batch = customers / BATCHES;
    m.warmup = customers / 10;
    m.total = m.warmup + m.per_batch * BATCHES;
    sf_tally_init(&m.system_time, false);
    sf_tally_init(&m.batches, false);
    sf_level_init(&m.in_system, 0, 0);

    if (!(k = sf_kernel_new()))
        goto oom;
    if (SF_KERNEL_ADD_KINDS(k, &m, {"arrive", on_arrive, &m.arrive}, {"depart", on_depart, &m.depart}) != SF_OK)
        goto oom;
    if ((rc = sf_kernel_after(k, draw(&m.interarrival, &m.arrivals), 0, m.arrive, 0, NULL)) != SF_OK)
        goto fail;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = sf_kernel_run(k);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != SF_OK)
        goto fail;
    elapsed = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;

    w_theory = 1 / (1 - rho);
    l_theory = rho / (1 - rho);
    half = T_975_19 * sf_tally_sd(&m.batches) / sqrt(BATCHES);
    l_mean = sf_level_mean(&m.in_system, sf_kernel_now(k));
    printf("M/M/1 queue, service rate 1/s, arrival rate %.3g/s (utilisation %.3g), seed %llu\n", rho, rho,
           (unsigned long long)seed);
    printf("%llu customers measured after a warm-up of %llu\n\n", (unsigned long long)m.system_time.n,
           (unsigned long long)m.warmup);
    printf("  %-26s %12s %22s %12s\n", "", "simulated", "95% confidence", "theory");
    printf("  %-26s %12.4f  [%9.4f, %9.4f] %12.4f\n", "mean time in system (s)", sf_tally_mean(&m.system_time),
           sf_tally_mean(&m.batches) - half, sf_tally_mean(&m.batches) + half, w_theory);
    printf("  %-26s %12.4f %22s %12.4f\n\n", "mean number in system", l_mean, "", l_theory);
    printf("  %-26s %12llu\n", "events executed", (unsigned long long)sf_kernel_events(k));
    printf("  %-26s %12.3f\n", "wall time (s)", elapsed);
    printf("  %-26s %12.0f\n", "events per second", (double)sf_kernel_events(k) / elapsed);
    printf("  %-26s %016llx\n", "fingerprint", (unsigned long long)sf_kernel_fingerprint(k));
    status = SF_EXIT_OK;
    printf("\n  theory %s the confidence interval\n",
           fabs(sf_tally_mean(&m.batches) - w_theory) <= half ? "lies inside" : "lies OUTSIDE");
    goto done;
oom:
    rc = SF_ENOMEM;
fail:
    fprintf(stderr, "shopfloor demo: %s\n", sf_strerror(rc));
done:
    sf_kernel_free(k);
    free(m.ring);
    return status;
}
