/*
 * bench_lua.c: the cost of Lua behaviours over the kernel.
 *
 * Two models, each written twice, run in the same process:
 *   - M/M/1 (lambda 0.9, mu 1, 10^6 customers): in Lua, a source process
 *     starting one process per customer (sim.start, no handle; run again
 *     with sim.spawn, a handle per customer) that acquires a resource,
 *     waits its service time and releases; in C, arrival and departure
 *     events with a queue of arrival times (as `shopfloor demo`).
 *   - hold (10^4 entities, each waiting exp(1) in a loop): in Lua, 10^4
 *     processes looping sim.wait(exp); in C, 10^4 event targets each
 *     rescheduling itself.
 * A third hold model, bare coroutines looping on coroutine.yield() with
 * the same kernel and draws (lua_bare.c), is the floor: what lua_resume
 * and a yield cost with nothing of shopfloor around them.
 * Figures are customers per second for the M/M/1 (a Lua run may take
 * another number of kernel events per customer than the C one: the ratio
 * compares work done, and the events per customer are printed apart) and
 * kernel events per second for the hold models (setup excluded for C; for Lua
 * the loading of the model and the spawning of its processes included,
 * the making of the Lua state not: loading and spawning are part of what a
 * user waits for), the median over `reps` rounds; each round runs every
 * model once, so a C and a Lua figure of one round saw the same load,
 * and ratios are the medians of the rounds' ratios. Wall-clock figures
 * are the headline; process CPU time is printed too, which a shared
 * machine disturbs less. The last lines are machine-readable:
 *   bench: lua_mm1 customers=... events=... events_per_customer=... lua_cps=... c_cps=... ratio=... cpu_ratio=...
 *   bench: lua_mm1_spawn customers=... events=... lua_cps=... ratio=... cpu_ratio=...
 *   bench: lua_hold processes=... events=... lua_eps=... c_eps=... ratio=... cpu_ratio=...
 * Usage: bench_lua [customers [processes [hold_until_seconds [reps]]]]
 * (--help prints it).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kernel.h"
#include "core/rng.h"
#include "lua_bare.h"
#include "script/script.h"

bench_span bench_now(void)
{
    struct timespec w, c;

    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    return (bench_span){(double)w.tv_sec + (double)w.tv_nsec * 1e-9, (double)c.tv_sec + (double)c.tv_nsec * 1e-9};
}

bench_span bench_since(bench_span t0)
{
    bench_span t = bench_now();
    return (bench_span){t.wall - t0.wall, t.cpu - t0.cpu};
}

static sf_time exp_time(sf_rng *r, double mean)
{
    sf_time t;
    sf_time_from_seconds(-mean * log(sf_rng_open(r)), &t);
    return t;
}

/* ---- M/M/1 in C ---- */

struct mm1 {
    sf_rng arrivals, services;
    uint32_t arrive, depart;
    sf_time *ring;
    size_t head, count, cap;
    uint64_t arrived, total;
    double sum;
};

static void c_arrive(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct mm1 *m = ctx;

    m->ring[(m->head + m->count++) % m->cap] = ev->time;
    if (m->count == 1)
        sf_kernel_after(k, exp_time(&m->services, 1.0), 0, m->depart, 0, NULL);
    if (++m->arrived < m->total)
        sf_kernel_after(k, exp_time(&m->arrivals, 1 / 0.9), 0, m->arrive, 0, NULL);
}

static void c_depart(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct mm1 *m = ctx;

    m->sum += sf_time_to_seconds(ev->time - m->ring[m->head]);
    m->head = (m->head + 1) % m->cap;
    if (--m->count > 0)
        sf_kernel_after(k, exp_time(&m->services, 1.0), 0, m->depart, 0, NULL);
}

static int c_mm1(uint64_t customers, uint64_t *events, bench_span *took, double *w)
{
    struct mm1 m = {0};
    sf_kernel *k = sf_kernel_new();
    bench_span t0;

    m.total = customers;
    m.cap = 1 << 16; /* the queue of an M/M/1 at 0.9 stays far below this */
    m.ring = malloc(m.cap * sizeof *m.ring);
    if (!k || !m.ring)
        return SF_ENOMEM;
    sf_rng_init(&m.arrivals, 1, "arrivals");
    sf_rng_init(&m.services, 1, "services");
    m.arrive = (uint32_t)sf_kernel_add_kind(k, "arrive", c_arrive, &m);
    m.depart = (uint32_t)sf_kernel_add_kind(k, "depart", c_depart, &m);
    sf_kernel_after(k, exp_time(&m.arrivals, 1 / 0.9), 0, m.arrive, 0, NULL);
    t0 = bench_now();
    sf_kernel_run(k);
    *took = bench_since(t0);
    *events = sf_kernel_events(k);
    *w = m.sum / (double)customers;
    sf_kernel_free(k);
    free(m.ring);
    return SF_OK;
}

/* ---- hold in C ---- */

struct hold {
    sf_rng r;
    uint32_t kind;
};

static void c_hold_fire(sf_kernel *k, void *ctx, const sf_event *ev)
{
    struct hold *h = ctx;
    sf_kernel_after(k, exp_time(&h->r, 1.0), 0, h->kind, ev->target, NULL);
}

static int c_hold(uint32_t n, sf_time until, uint64_t *events, bench_span *took)
{
    struct hold h;
    sf_kernel *k = sf_kernel_new();
    bench_span t0;

    if (!k)
        return SF_ENOMEM;
    sf_rng_init(&h.r, 1, "hold");
    h.kind = (uint32_t)sf_kernel_add_kind(k, "hold", c_hold_fire, &h);
    for (uint32_t i = 0; i < n; i++)
        sf_kernel_after(k, exp_time(&h.r, 1.0), 0, h.kind, i, NULL);
    t0 = bench_now();
    sf_kernel_run_until(k, until);
    *took = bench_since(t0);
    *events = sf_kernel_events(k);
    sf_kernel_free(k);
    return SF_OK;
}

/* ---- the same in Lua ---- */

static const char lua_mm1_src[] =
    "local n = ...\n"
    "local server = sim.resource{capacity = 1, name = 'server'}\n"
    "local arrivals, services = sim.rng('arrivals'), sim.rng('services')\n"
    "local wait, start, now = sim.wait, sim[START], sim.now\n"
    "local total = 0\n"
    "local function customer()\n"
    "  local t0 = now()\n"
    "  server:acquire()\n"
    "  wait(services:exp(1.0))\n"
    "  server:release()\n"
    "  total = total + (now() - t0)\n"
    "end\n"
    "for _ = 1, N do\n"
    "  wait(arrivals:exp(1 / 0.9))\n"
    "  start(customer)\n"
    "end\n"
    "sim.tally('mean time in system'):add(0)\n";

static const char lua_hold_src[] =
    "local rng = sim.rng('hold')\n"
    "local wait = sim.wait\n"
    "local function holder()\n"
    "  while true do wait(rng:exp(1.0)) end\n"
    "end\n"
    "for _ = 1, N do sim.spawn(holder) end\n";

/* src runs with N = n and START = starter ("start" or "spawn": how the M/M/1 starts its customers). */
static int lua_model(const char *src, const char *starter, uint64_t n, sf_time until, uint64_t *events, bench_span *took)
{
    sf_kernel *k = sf_kernel_new();
    sf_script_options opt = {.seed = 1};
    sf_script *S;
    char *text;
    size_t len = strlen(src) + 64;
    bench_span t0;
    int rc;

    if (!k || !(S = sf_script_new(k, &opt)) || !(text = malloc(len)))
        return SF_ENOMEM;
    snprintf(text, len, "local N, START = %llu, '%s'\n%s", (unsigned long long)n, starter, src);
    t0 = bench_now();
    rc = sf_script_load_string(S, text, "=bench");
    if (rc == SF_OK)
        rc = sf_script_run(S, until);
    *took = bench_since(t0);
    *events = sf_kernel_events(k);
    if (rc != SF_OK && rc != SF_EDEADLOCK)
        fprintf(stderr, "bench_lua: %s\n", sf_script_error(S));
    sf_script_free(S);
    sf_kernel_free(k);
    free(text);
    return rc == SF_EDEADLOCK ? SF_OK : rc;
}

/* ---- rounds and medians ---- */

enum { MM1, MM1_SPAWN, HOLD, HOLD_SMALL, NMODELS };

struct round {
    uint64_t units[NMODELS]; /* what a rate counts: customers for the M/M/1, else 0 (kernel events) */
    uint64_t c_ev[NMODELS], l_ev[NMODELS], bare_ev;
    bench_span c[NMODELS], l[NMODELS], bare;
};

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

/* Customers (M/M/1) or events per second of Lua, C and the bare floor in one round, by wall clock or CPU time. */
static double lua_eps(const struct round *R, int m, bool cpu)
{
    return (double)(R->units[m] ? R->units[m] : R->l_ev[m]) / (cpu ? R->l[m].cpu : R->l[m].wall);
}

static double c_eps(const struct round *R, int m, bool cpu)
{
    return (double)(R->units[m] ? R->units[m] : R->c_ev[m]) / (cpu ? R->c[m].cpu : R->c[m].wall);
}

static double bare_eps(const struct round *R, int m, bool cpu)
{
    (void)m;
    return (double)R->bare_ev / (cpu ? R->bare.cpu : R->bare.wall);
}

typedef double (*eps_fn)(const struct round *R, int m, bool cpu);

/* Median over the rounds of f, or of f / (C's figure) when ratio. */
static double over_rounds(const struct round *rounds, int reps, eps_fn f, int m, bool cpu, bool ratio)
{
    double v[64];

    for (int r = 0; r < reps; r++)
        v[r] = f(&rounds[r], m, cpu) / (ratio ? c_eps(&rounds[r], m, cpu) : 1);
    return median(v, reps);
}

int main(int argc, char **argv)
{
    uint64_t customers = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    uint64_t procs = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000;
    double hold_until = argc > 3 ? atof(argv[3]) : 200;
    int reps = argc > 4 ? atoi(argv[4]) : 3;
    uint64_t small = procs / 10 ? procs / 10 : 1;
    struct round rounds[64];
    double w = 0;
    sf_time until;
    static const char *const names[NMODELS] = {"M/M/1, process per customer (customers/s)",
                                               "the same, customers by sim.spawn (a handle each)",
                                               "hold, processes looping wait(exp)", "hold with a tenth of the processes"};
    static const char *const keys[NMODELS] = {"lua_mm1", "lua_mm1_spawn", "lua_hold", "lua_hold_small"};

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: bench_lua [customers [processes [hold_until_seconds [reps (1-64)]]]]\n"
               "  Lua behaviours against the same models in C: an M/M/1 with a process per customer\n"
               "  (default 1000000 customers; ratio in customers per second), the hold model\n"
               "  (default 10000 processes for 200 s) and bare coroutines; medians of reps rounds (3).\n");
        return 0;
    }
    if (sf_time_from_seconds(hold_until, &until) != SF_OK || customers == 0 || procs == 0 || reps < 1 || reps > 64) {
        fprintf(stderr, "usage: bench_lua [customers [processes [hold_until_seconds [reps (1-64)]]]]\n");
        return 2;
    }
    for (int r = 0; r < reps; r++) {
        struct round *R = &rounds[r];
        memset(R->units, 0, sizeof R->units);
        R->units[MM1] = R->units[MM1_SPAWN] = customers;
        if (c_mm1(customers, &R->c_ev[MM1], &R->c[MM1], &w) != SF_OK ||
            lua_model(lua_mm1_src, "start", customers, SF_TIME_MAX, &R->l_ev[MM1], &R->l[MM1]) != SF_OK ||
            lua_model(lua_mm1_src, "spawn", customers, SF_TIME_MAX, &R->l_ev[MM1_SPAWN], &R->l[MM1_SPAWN]) != SF_OK ||
            c_hold((uint32_t)procs, until, &R->c_ev[HOLD], &R->c[HOLD]) != SF_OK ||
            lua_model(lua_hold_src, "start", procs, until, &R->l_ev[HOLD], &R->l[HOLD]) != SF_OK ||
            bare_hold((uint32_t)procs, until, &R->bare_ev, &R->bare) != SF_OK ||
            c_hold((uint32_t)small, until * 10, &R->c_ev[HOLD_SMALL], &R->c[HOLD_SMALL]) != SF_OK ||
            lua_model(lua_hold_src, "start", small, until * 10, &R->l_ev[HOLD_SMALL], &R->l[HOLD_SMALL]) != SF_OK) {
            fprintf(stderr, "bench_lua: a model failed\n");
            return 1;
        }
        R->c[MM1_SPAWN] = R->c[MM1]; /* one C M/M/1 for both Lua ways of starting customers */
        R->c_ev[MM1_SPAWN] = R->c_ev[MM1];
    }
    printf("Lua behaviours against the same models written in C (per second, median of %d rounds)\n\n", reps);
    printf("  %-42s %10s %12s %12s %7s %7s\n", "model", "events", "Lua", "C", "Lua/C", "CPU");
    for (int m = 0; m < NMODELS; m++) {
        double c = over_rounds(rounds, reps, c_eps, m, false, false);
        printf("  %-42s %10llu %12.0f %12.0f %7.3f %7.3f\n", names[m], (unsigned long long)rounds[0].l_ev[m],
               over_rounds(rounds, reps, lua_eps, m, false, false), c, over_rounds(rounds, reps, lua_eps, m, false, true),
               over_rounds(rounds, reps, lua_eps, m, true, true));
        if (m == HOLD)
            printf("  %-42s %10llu %12.0f %12.0f %7.3f %7.3f\n", "hold, bare coroutines (the floor)",
                   (unsigned long long)rounds[0].bare_ev, over_rounds(rounds, reps, bare_eps, m, false, false), c,
                   over_rounds(rounds, reps, bare_eps, m, false, true), over_rounds(rounds, reps, bare_eps, m, true, true));
    }
    printf("\n  M/M/1 kernel events per customer: Lua %.2f, C %.2f\n",
           (double)rounds[0].l_ev[MM1] / (double)customers, (double)rounds[0].c_ev[MM1] / (double)customers);
    printf("  C M/M/1 mean time in system %.3f (theory 10)\n", w);
#ifdef SHOPFLOOR_LUA_PATCHED
    printf("  Lua: built from its source package with the count-hook patch (docs/architecture.md)\n");
#else
    printf("  Lua: the packaged library (the budget's count hook runs luaG_traceexec on every instruction)\n");
#endif
    printf("  CPU: the same ratio in process CPU time. The floor resumes bare coroutines (lua_bare.c):\n"
           "  no bindings, no budget hook, threads where malloc put them.\n\n");
    printf("bench: lua_mm1 customers=%llu events=%llu events_per_customer=%.2f c_events=%llu lua_cps=%.0f "
           "c_cps=%.0f ratio=%.3f cpu_ratio=%.3f reps=%d (customers per second)\n",
           (unsigned long long)customers, (unsigned long long)rounds[0].l_ev[MM1],
           (double)rounds[0].l_ev[MM1] / (double)customers, (unsigned long long)rounds[0].c_ev[MM1],
           over_rounds(rounds, reps, lua_eps, MM1, false, false), over_rounds(rounds, reps, c_eps, MM1, false, false),
           over_rounds(rounds, reps, lua_eps, MM1, false, true), over_rounds(rounds, reps, lua_eps, MM1, true, true), reps);
    printf("bench: lua_mm1_spawn customers=%llu events=%llu lua_cps=%.0f ratio=%.3f cpu_ratio=%.3f reps=%d "
           "(customers started by sim.spawn)\n",
           (unsigned long long)customers, (unsigned long long)rounds[0].l_ev[MM1_SPAWN],
           over_rounds(rounds, reps, lua_eps, MM1_SPAWN, false, false),
           over_rounds(rounds, reps, lua_eps, MM1_SPAWN, false, true),
           over_rounds(rounds, reps, lua_eps, MM1_SPAWN, true, true), reps);
    for (int m = HOLD; m < NMODELS; m++) {
        printf("bench: %s processes=%llu events=%llu c_events=%llu lua_eps=%.0f c_eps=%.0f ratio=%.3f cpu_ratio=%.3f reps=%d\n",
               keys[m], (unsigned long long)(m == HOLD ? procs : small),
               (unsigned long long)rounds[0].l_ev[m], (unsigned long long)rounds[0].c_ev[m],
               over_rounds(rounds, reps, lua_eps, m, false, false), over_rounds(rounds, reps, c_eps, m, false, false),
               over_rounds(rounds, reps, lua_eps, m, false, true), over_rounds(rounds, reps, lua_eps, m, true, true),
               reps);
    }
    printf("bench: lua_hold_bare processes=%llu events=%llu lua_eps=%.0f ratio=%.3f cpu_ratio=%.3f reps=%d\n",
           (unsigned long long)procs, (unsigned long long)rounds[0].bare_ev,
           over_rounds(rounds, reps, bare_eps, HOLD, false, false), over_rounds(rounds, reps, bare_eps, HOLD, false, true),
           over_rounds(rounds, reps, bare_eps, HOLD, true, true), reps);
    return 0;
}
