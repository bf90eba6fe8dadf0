/*
 * pairing.c: a pairing heap (Fredman, Sedgewick, Sleator, Tarjan 1986)
 * with the two-pass pop. Nodes live in a pool and link by index (a
 * 24-byte entry plus first child and next sibling: 32 bytes); freed nodes
 * are reused last-in first-out.
 */
#include <stdlib.h>

#include "queues.h"

#define NIL UINT32_MAX

struct node {
    struct qentry e;
    uint32_t child, sibling;
};

struct pheap {
    struct node *v;
    uint32_t used, cap, free_head, root;
};

static void *create(void)
{
    struct pheap *h = calloc(1, sizeof *h);
    if (h)
        h->free_head = h->root = NIL;
    return h;
}

static void destroy(void *p)
{
    struct pheap *h = p;
    free(h->v);
    free(h);
}

/* Link two roots; the later one becomes the first child of the earlier. */
static inline uint32_t meld(struct node *v, uint32_t a, uint32_t b)
{
    if (qentry_before(&v[b].e, &v[a].e)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    v[b].sibling = v[a].child;
    v[a].child = b;
    return a;
}

static int push(void *p, const struct qentry *e)
{
    struct pheap *h = p;
    uint32_t i;

    if (h->free_head != NIL) {
        i = h->free_head;
        h->free_head = h->v[i].child;
    } else {
        if (h->used == h->cap) {
            uint32_t cap = h->cap ? h->cap * 2 : 256;
            struct node *v = realloc(h->v, (size_t)cap * sizeof *v);
            if (!v)
                return -1;
            h->v = v;
            h->cap = cap;
        }
        i = h->used++;
    }
    h->v[i].e = *e;
    h->v[i].child = h->v[i].sibling = NIL;
    h->root = h->root == NIL ? i : meld(h->v, h->root, i);
    return 0;
}

static int pop(void *p, struct qentry *out)
{
    struct pheap *h = p;
    struct node *v = h->v;
    uint32_t r = h->root, c, pairs = NIL;

    if (r == NIL)
        return 0;
    *out = v[r].e;
    /* First pass: meld siblings in pairs, left to right, stacking the
     * results through the sibling links. */
    c = v[r].child;
    while (c != NIL) {
        uint32_t a = c, b = v[c].sibling, m;
        if (b == NIL) {
            c = NIL;
            m = a;
        } else {
            c = v[b].sibling;
            m = meld(v, a, b);
        }
        v[m].sibling = pairs;
        pairs = m;
    }
    /* Second pass: meld the pairs right to left (the stack's order). */
    h->root = NIL;
    while (pairs != NIL) {
        uint32_t next = v[pairs].sibling;
        v[pairs].sibling = NIL;
        h->root = h->root == NIL ? pairs : meld(v, h->root, pairs);
        pairs = next;
    }
    v[r].child = h->free_head;
    h->free_head = r;
    return 1;
}

static size_t bytes(const void *p)
{
    const struct pheap *h = p;
    return sizeof *h + (size_t)h->cap * sizeof *h->v;
}

const struct qvariant qv_pairing = {"pairing", "pairing heap", create, destroy, push, pop, bytes};
