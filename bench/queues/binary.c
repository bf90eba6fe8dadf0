/* binary.c: an implicit binary min-heap, sift with a hole. */
#include <stdlib.h>

#include "queues.h"

struct heap {
    struct qentry *v;
    size_t n, cap;
};

static void *create(void)
{
    return calloc(1, sizeof(struct heap));
}

static void destroy(void *p)
{
    struct heap *h = p;
    free(h->v);
    free(h);
}

static int push(void *p, const struct qentry *e)
{
    struct heap *h = p;
    size_t i;

    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        struct qentry *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!qentry_before(e, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = *e;
    return 0;
}

static int pop(void *p, struct qentry *out)
{
    struct heap *h = p;
    struct qentry last;
    size_t i = 0, n;

    if (h->n == 0)
        return 0;
    *out = h->v[0];
    n = --h->n;
    if (n == 0)
        return 1;
    last = h->v[n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && qentry_before(&h->v[c + 1], &h->v[c]))
            c++;
        if (!qentry_before(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = last;
    return 1;
}

static size_t bytes(const void *p)
{
    const struct heap *h = p;
    return sizeof *h + h->cap * sizeof *h->v;
}

const struct qvariant qv_binary = {"binary", "binary heap", create, destroy, push, pop, bytes};
