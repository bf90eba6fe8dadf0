/*
 * wqueue.c: the wait queues of resources, stores and containers:
 * requests ordered by (priority, arrival), a window [head, head + n) of a
 * growable array, so that serving the front is O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "script/script_internal.h"

/* Insert by (prio, seq): O(distance from the back), which is O(1) for equal priorities. */
int sf__wq_insert(struct wqueue *q, const struct waiter *w)
{
    uint32_t i;

    if (q->head + q->n == q->cap) {
        if (q->head > q->cap / 2) {
            memmove(q->v, q->v + q->head, q->n * sizeof *q->v);
            q->head = 0;
        } else if (sf_grow(q->v, q->cap, q->head + q->n + 1) != SF_OK) {
            return SF_ENOMEM;
        }
    }
    for (i = q->n; i > 0; i--) {
        const struct waiter *o = sf__wq_at(q, i - 1);
        if (o->prio < w->prio || (o->prio == w->prio && o->seq < w->seq))
            break;
        *sf__wq_at(q, i) = *o;
    }
    *sf__wq_at(q, i) = *w;
    q->n++;
    return SF_OK;
}

void sf__wq_remove_at(struct wqueue *q, uint32_t i)
{
    if (i == 0) {
        q->head++;
    } else {
        memmove(sf__wq_at(q, i), sf__wq_at(q, i + 1), (q->n - i - 1) * sizeof *q->v);
    }
    if (--q->n == 0)
        q->head = 0;
}

bool sf__wq_remove_pid(struct wqueue *q, uint32_t pid)
{
    for (uint32_t i = 0; i < q->n; i++)
        if (sf__wq_at(q, i)->pid == pid) {
            sf__wq_remove_at(q, i);
            return true;
        }
    return false;
}

void sf__wq_free(struct wqueue *q)
{
    free(q->v);
    memset(q, 0, sizeof *q);
}
