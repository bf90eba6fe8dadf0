#include "core/kernel.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct kind {
    sf_handler fn;
    void *ctx;
    char *name;
};

struct sf_kernel {
    sf_queue *queue;
    sf_time now;
    struct kind *kinds;
    uint32_t nkinds;
    size_t kinds_cap;
    uint64_t fingerprint;
    uint64_t events;
    int halt; /* 0 running, SF_ESTOPPED, or a failure code */
    sf_trace_fn trace;
    void *trace_ctx;
};

sf_kernel *sf_kernel_new(void)
{
    sf_kernel *k = sf_calloc(1, sizeof *k);

    if (!k)
        return NULL;
    if (!(k->queue = sf_queue_new())) {
        free(k);
        return NULL;
    }
    k->fingerprint = 0x9e3779b97f4a7c15ull;
    return k;
}

void sf_kernel_free(sf_kernel *k)
{
    if (!k)
        return;
    for (uint32_t i = 0; i < k->nkinds; i++)
        free(k->kinds[i].name);
    free(k->kinds);
    sf_queue_free(k->queue);
    free(k);
}

int sf_kernel_add_kind(sf_kernel *k, const char *name, sf_handler fn, void *ctx)
{
    char *copy;

    if (k->nkinds == SF_KIND_MAX)
        return SF_ELIMIT;
    if (sf_grow(k->kinds, k->kinds_cap, k->nkinds + 1) != SF_OK)
        return SF_ENOMEM;
    if (!(copy = sf_strdup(name)))
        return SF_ENOMEM;
    k->kinds[k->nkinds] = (struct kind){fn, ctx, copy};
    return (int)k->nkinds++;
}

int sf_kernel_add_kinds(sf_kernel *k, const sf_kind_def *defs, size_t n, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        int kind = sf_kernel_add_kind(k, defs[i].name, defs[i].fn, ctx);
        if (kind < 0)
            return kind;
        *defs[i].kind = (uint32_t)kind;
    }
    return SF_OK;
}

const char *sf_kernel_kind_name(const sf_kernel *k, uint32_t kind)
{
    return kind < k->nkinds ? k->kinds[kind].name : "?";
}

sf_time sf_kernel_now(const sf_kernel *k)
{
    return k->now;
}

int sf_kernel_at(sf_kernel *k, sf_time t, int priority, uint32_t kind, uint32_t target, sf_event_id *id)
{
    if (t < k->now)
        return SF_EPAST;
    if (kind >= k->nkinds)
        return SF_EINVAL;
    return sf_queue_push(k->queue, t, priority, kind, target, id);
}

int sf_kernel_after(sf_kernel *k, sf_time dt, int priority, uint32_t kind, uint32_t target, sf_event_id *id)
{
    sf_time t;

    if (dt < 0)
        return SF_EPAST;
    if (sf_time_add(k->now, dt, &t) != SF_OK)
        return SF_ERANGE;
    return sf_kernel_at(k, t, priority, kind, target, id);
}

bool sf_kernel_cancel(sf_kernel *k, sf_event_id id)
{
    return sf_queue_cancel(k->queue, id);
}

bool sf_kernel_pending(const sf_kernel *k, sf_event_id id)
{
    return sf_queue_pending(k->queue, id);
}

/* A cheap, well-mixed running hash (the 64-bit finaliser of MurmurHash3 on each word). */
static inline uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static void execute(sf_kernel *k, const sf_event *ev)
{
    const struct kind *kd = &k->kinds[ev->kind];

    k->now = ev->time;
    k->events++;
    k->fingerprint = mix(mix(k->fingerprint, (uint64_t)ev->time), (uint64_t)ev->kind << 32 | ev->target);
    if (k->trace)
        k->trace(k->trace_ctx, ev, kd->name);
    kd->fn(k, kd->ctx, ev);
}

int sf_kernel_run_until(sf_kernel *k, sf_time until)
{
    sf_event ev;
    sf_time t;
    int halt;

    k->halt = 0;
    while (sf_queue_peek_time(k->queue, &t) && t <= until) {
        sf_queue_pop(k->queue, &ev);
        execute(k, &ev);
        if (k->halt)
            goto halted;
    }
    if (sf_queue_error(k->queue) != SF_OK)
        return sf_queue_error(k->queue);
    if (until > k->now)
        k->now = until;
    return SF_OK;
halted:
    halt = k->halt;
    k->halt = 0;
    return halt;
}

int sf_kernel_run(sf_kernel *k)
{
    sf_event ev;
    int halt;

    k->halt = 0;
    while (sf_queue_pop(k->queue, &ev)) {
        execute(k, &ev);
        if (k->halt) {
            halt = k->halt;
            k->halt = 0;
            return halt;
        }
    }
    return sf_queue_error(k->queue);
}

int sf_kernel_step(sf_kernel *k)
{
    sf_event ev;
    int halt;

    k->halt = 0;
    if (!sf_queue_pop(k->queue, &ev))
        return sf_queue_error(k->queue);
    execute(k, &ev);
    halt = k->halt;
    k->halt = 0;
    return halt < 0 && halt != SF_ESTOPPED ? halt : 1;
}

void sf_kernel_stop(sf_kernel *k)
{
    if (!k->halt)
        k->halt = SF_ESTOPPED;
}

void sf_kernel_fail(sf_kernel *k, int code)
{
    if (!k->halt || k->halt == SF_ESTOPPED)
        k->halt = code < 0 ? code : SF_EINVAL;
}

bool sf_kernel_next_time(sf_kernel *k, sf_time *t)
{
    return sf_queue_peek_time(k->queue, t);
}

bool sf_kernel_peek(const sf_kernel *k, sf_event *ev)
{
    return sf_queue_peek(k->queue, ev);
}

uint64_t sf_kernel_fingerprint(const sf_kernel *k)
{
    return k->fingerprint;
}

uint64_t sf_kernel_events(const sf_kernel *k)
{
    return k->events;
}

size_t sf_kernel_pending_count(const sf_kernel *k)
{
    return sf_queue_size(k->queue);
}

void sf_kernel_set_trace(sf_kernel *k, sf_trace_fn fn, void *ctx)
{
    k->trace = fn;
    k->trace_ctx = ctx;
}
