/* kernel.c: the kernel's sf_queue (sim/core/queue.c) through its public API. */
#include "core/queue.h"
#include "queues.h"

static void *create(void)
{
    return sf_queue_new();
}

static void destroy(void *q)
{
    sf_queue_free(q);
}

/* The kernel numbers pushes itself; the caller's sequence, also counted
 * from zero in push order, is the same number. */
static int push(void *q, const struct qentry *e)
{
    return sf_queue_push(q, e->time, (int)(e->key >> 48) + SF_PRIO_MIN, e->kind, e->target, NULL) ? -1 : 0;
}

static int pop(void *q, struct qentry *out)
{
    sf_event ev;

    if (!sf_queue_pop(q, &ev))
        return 0;
    out->time = ev.time;
    out->key = (uint64_t)(ev.priority - SF_PRIO_MIN) << 48;
    out->kind = ev.kind;
    out->target = ev.target;
    return 1;
}

static size_t bytes(const void *q)
{
    return sf_queue_bytes(q);
}

const struct qvariant qv_kernel = {"kernel", "kernel: ladder + heap front", create, destroy, push, pop, bytes};
