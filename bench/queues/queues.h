/*
 * queues.h: candidate future event sets for bench_queues.
 *
 * Each candidate keeps events in the kernel's order, (time, key) with
 * key = (priority + 32768) << 48 | sequence, and carries the same payload
 * (kind, target). The caller assigns the sequence, so every candidate
 * sees exactly the same keys. Candidates other than "kernel" have no
 * cancellation; "kernel" is sim/core/queue.c through its public API.
 */
#ifndef BENCH_QUEUES_H
#define BENCH_QUEUES_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

struct qentry {
    sf_time time;
    uint64_t key;
    uint32_t kind;
    uint32_t target;
};

struct qvariant {
    const char *id;   /* one word, for the machine-readable lines */
    const char *name;
    void *(*create)(void);                   /* NULL when out of memory */
    void (*destroy)(void *q);
    int (*push)(void *q, const struct qentry *e); /* 0, or -1 when out of memory */
    int (*pop)(void *q, struct qentry *e);         /* 1, or 0 when empty */
    size_t (*bytes)(const void *q);                /* memory held now */
};

static inline int qentry_before(const struct qentry *a, const struct qentry *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

extern const struct qvariant qv_binary;   /* binary.c: implicit binary heap */
extern const struct qvariant qv_quad;     /* quad.c: implicit 4-ary heap */
extern const struct qvariant qv_pairing;  /* pairing.c: pairing heap, two-pass */
extern const struct qvariant qv_calendar; /* calendar.c: calendar queue (Brown 1988) */
extern const struct qvariant qv_ladder;   /* ladder.c: ladder queue (Tang, Goh, Thng 2005) */
extern const struct qvariant qv_kernel;   /* kernel.c: sf_queue through its API */

#endif
