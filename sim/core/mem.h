/*
 * mem.h: the one allocation funnel.
 *
 * Every allocation shopfloor makes goes through these functions, the Lua
 * state's allocator among them, so that a test can make the k-th one
 * fail (sf_mem_fail_at) and check that the caller turns the failure into
 * a clean error: no crash, no leak, a message that says what failed.
 * That is how SQLite and Lua test their allocation failures, and the
 * allocation-failure sweep (tests/cli/test_alloc_sweep.c) does it for
 * scenario loading, building the plant and running it.
 *
 * Memory from these functions is released with free(). The functions are
 * not thread-safe (shopfloor runs in parallel with processes, not threads).
 */
#ifndef SF_CORE_MEM_H
#define SF_CORE_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *sf_malloc(size_t n);
void *sf_calloc(size_t count, size_t size);
/* realloc for n > 0; on failure p is untouched and NULL is returned. */
void *sf_realloc(void *p, size_t n);
char *sf_strdup(const char *s);
/* A copy of the n bytes at p. */
void *sf_memdup(const void *p, size_t n);

/*
 * Growable arrays, in the spirit of Lua's luaM_growvector: make array v
 * (elements of sizeof *v bytes, capacity cap, a size_t lvalue) hold at
 * least `need` elements, doubling its capacity (8 at first). SF_OK, or
 * SF_ENOMEM with v and cap untouched. Amortised O(1) per element.
 *
 *     if (sf_grow(q->items, q->cap, q->n + 1) != SF_OK)
 *         return SF_ENOMEM;
 *     q->items[q->n++] = x;
 */
#define sf_grow(v, cap, need) ((size_t)(need) <= (cap) ? 0 : sf_grow_((void *)&(v), &(cap), (need), sizeof *(v)))
int sf_grow_(void *pv, size_t *cap, size_t need, size_t elem);

/*
 * One block for a structure's fixed-size arrays. Each part names an array
 * pointer (a T* lvalue), its element count and size; sf_parts_alloc makes
 * one zeroed allocation that holds every part, each aligned for any type,
 * points each array at its part and returns the block, which one free()
 * releases. NULL, with no pointer touched, when memory runs out or the
 * sizes overflow. One allocation instead of one per array: one failure
 * to handle when a structure is built, one free when it goes, and arrays
 * used together lie together.
 *
 *     t->block = SF_PARTS(SF_PART(t->segs, nsegs), SF_PART(t->slots, nslots));
 *     if (!t->block)
 *         goto fail;
 */
/*
 * A new T on the heap, zeroed but for the fields given, as in a designated
 * initializer; NULL when memory runs out:
 *
 *     sf_traffic *t = SF_NEW(sf_traffic, .net = net, .nmovers = n);
 */
#define SF_NEW(T, ...) ((T *)sf_memdup(&(T){__VA_ARGS__}, sizeof(T)))

typedef struct {
    void *at; /* the address of the array's pointer, a T** */
    size_t count, size;
} sf_part;
#define SF_PART(v, n) {(void *)&(v), (n), sizeof *(v)}
#define SF_PARTS(...) sf_parts_alloc((sf_part[]){__VA_ARGS__}, sizeof((sf_part[]){__VA_ARGS__}) / sizeof(sf_part))
void *sf_parts_alloc(const sf_part *parts, size_t n);

/*
 * Failure injection, for tests. sf_mem_fail_at(k) makes the k-th
 * allocation from now fail, once (k = 1: the next one); 0 turns it off.
 * sf_mem_fail_from(k) makes the k-th and every later one fail, as when
 * memory has truly run out (Lua's emergency collection cannot help then).
 * sf_mem_count tells how many allocations were asked for since the
 * program started, sf_mem_injected whether the injected failure happened.
 */
void sf_mem_fail_at(uint64_t k);
void sf_mem_fail_from(uint64_t k);
uint64_t sf_mem_count(void);
bool sf_mem_injected(void);

#endif
