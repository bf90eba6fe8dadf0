/*
 * script_arena.c: the memory of the Lua state: one allocation funnel
 * with a cap, and the blocks that hold process threads.
 *
 * This is the one file that knows how Lua 5.4 lays out a thread (what it
 * allocates when a thread is made, in which order, and how big): the
 * sizes in script_arena.h are Lua's, on 64-bit. Get them wrong and only
 * speed changes: a piece that does not fit its block goes to malloc.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/mem.h"
#include "model/stations.h"
#include "model/world.h"
#include "script/script_internal.h"

/*
 * Process threads live in blocks of one region, one block per slot, at
 * a fixed stride (ARENA_BLOCK bytes): the thread's state, its stack and
 * its first call frames, which is everything a resume of a waiting
 * process touches besides the slot and the kernel's event. Allocated
 * with malloc, these pieces land wherever the heap has room, some of
 * them only at the first resume; with 10^4 processes they are cache
 * misses on every resume, one after the other (each pointer leads to
 * the next). In a block they are found from the slot number alone, so
 * the kernel's next event tells which block to prefetch while the
 * current process runs (on_resume).
 *
 * The region is reserved once (address space only) and made writable as
 * slots are added. A piece of a block that Lua frees or shrinks stays
 * where it is; one that grows (a deeper stack) moves to malloc. Without
 * the region (mmap refused) or past its last slot, threads use malloc
 * as everything else does; only the speed differs.
 */
static bool in_arena(const sf_script *S, const void *p)
{
    return S->arena.base && (uintptr_t)p - (uintptr_t)S->arena.base < (uintptr_t)ARENA_SLOTS * ARENA_BLOCK;
}

/* Prepare slot's block for a thread about to be made; false when there is none. */
static bool arena_begin(sf_script *S, uint32_t slot)
{
    size_t need, page = ARENA_STEP;

    if (!S->arena.base || slot >= ARENA_SLOTS)
        return false;
    need = ((size_t)slot + 1) * ARENA_BLOCK;
    if (need > S->arena.ready) {
        size_t grow = (need + page - 1) / page * page;
        if (mprotect(S->arena.base + S->arena.ready, grow - S->arena.ready, PROT_READ | PROT_WRITE) != 0)
            return false;
        S->arena.ready = grow;
    }
    S->arena.fill = S->arena.base + (size_t)slot * ARENA_BLOCK;
    S->arena.fill_end = S->arena.fill + ARENA_BLOCK;
    S->arena.filling = 1; /* armed: the thread object comes first */
    return true;
}

static void *arena_take(sf_script *S, size_t osize, size_t nsize)
{
    size_t n = (nsize + 15) & ~(size_t)15;
    void *q;

    if (S->arena.filling == 1 && osize != LUA_TTHREAD)
        return NULL; /* something else allocated before the thread (none is expected) */
    if (n > (size_t)(S->arena.fill_end - S->arena.fill))
        return NULL;
    S->arena.filling = 2;
    q = S->arena.fill;
    S->arena.fill += n;
    return q;
}

/*
 * The Lua allocator. Above the cap it refuses to grow, and Lua turns the
 * refusal into a "not enough memory" error in the running coroutine,
 * which the resume reports as the memory limit; nothing crashes. Frees
 * and shrinks always succeed.
 */
void *sf__lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sf_script *S = ud;
    size_t old = ptr ? osize : 0;
    void *q;

    if (nsize == 0) {
        if (!in_arena(S, ptr))
            free(ptr);
        S->mem -= old;
        return NULL;
    }
    if (nsize > old && S->deny_alloc)
        goto refuse;
    if (nsize > old && S->opt.memory_limit && S->mem - old + nsize > S->opt.memory_limit) {
        S->mem_exceeded = true;
        goto refuse;
    }
    if (ptr && in_arena(S, ptr)) {
        if (nsize > old) {
            if (!(q = sf_malloc(nsize)))
                goto refuse;
            memcpy(q, ptr, old);
            ptr = q;
        }
        q = ptr;
    } else if (!(ptr == NULL && S->arena.filling && (q = arena_take(S, osize, nsize))) && !(q = sf_realloc(ptr, nsize))) {
        goto refuse;
    }
    S->mem = S->mem - old + nsize;
    if (S->mem > S->mem_peak)
        S->mem_peak = S->mem;
    return q;
refuse:
    /* Lua raises "not enough memory": a thread being made is given up, what comes next is not its */
    S->arena.filling = 0;
    return NULL;
}

/* Lua frames made at a thread's birth, so that its first CallInfos are in its block. */
static int prime_frames(lua_State *L)
{
    lua_Integer depth = lua_tointeger(L, 1);

    if (depth > 1) {
        lua_pushcfunction(L, prime_frames);
        lua_pushinteger(L, depth - 1);
        lua_call(L, 1, 0);
    }
    return 0;
}

/*
 * Push a new thread for process slot `slot`, in the slot's block when
 * there is one, with its first call frames made. Raises only when out of
 * memory (a LUA_ERRMEM that the resume reports as the memory limit); the
 * refused allocation has ended the filling then.
 */
lua_State *sf__new_thread(lua_State *L, sf_script *S, uint32_t slot)
{
    lua_State *co;

    arena_begin(S, slot);
    co = lua_newthread(L);
    lua_pushcfunction(co, prime_frames);
    lua_pushinteger(co, ARENA_FRAMES);
    if (lua_pcall(co, 1, 0, 0) != LUA_OK)
        lua_settop(co, 0); /* out of memory: the frames will be made when needed */
    S->arena.filling = 0;
    S->arena.fill = S->arena.fill_end = NULL;
    return co;
}

/*
 * Reserve the region: address space only, made writable in 2 MB steps
 * from a 2 MB boundary, and marked for huge pages (10^4 blocks span
 * 11 MB, and with 4 kB pages the prefetches would wait for page walks
 * instead). Refused, threads go to malloc like everything else.
 */
void sf__arena_open(struct arena *A)
{
    A->map = mmap(NULL, ARENA_MAP_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (A->map == MAP_FAILED) {
        A->map = NULL;
        return;
    }
    A->base = (char *)(((uintptr_t)A->map + ARENA_STEP - 1) & ~(uintptr_t)(ARENA_STEP - 1));
#ifdef MADV_HUGEPAGE
    madvise(A->base, (size_t)ARENA_SLOTS * ARENA_BLOCK, MADV_HUGEPAGE); /* a hint; fine if refused */
#endif
}

void sf__arena_close(struct arena *A)
{
    if (A->map)
        munmap(A->map, ARENA_MAP_SIZE);
    A->map = NULL;
    A->base = NULL;
}

/* Ask for the lines a resume of slot's thread reads: the state and the bottom of the stack, then the call frames. */
void sf__arena_prefetch(const struct arena *A, uint32_t slot)
{
#if defined(__GNUC__)
    if (slot < ARENA_SLOTS && A->base) {
        const char *b = A->base + (size_t)slot * ARENA_BLOCK;
        for (size_t i = 0; i < ARENA_HOT_LOW; i += 64)
            __builtin_prefetch(b + i);
        for (size_t i = ARENA_HOT_HIGH; i < ARENA_BLOCK; i += 64)
            __builtin_prefetch(b + i);
    }
#else
    (void)A;
    (void)slot;
#endif
}

/* ---- the memory a run holds ---- */

/*
 * The cap (--memory) covers what a script makes the program hold, not
 * only the Lua heap: a tally's observations, processes, pending events,
 * the jobs of a scenario's arrivals are C memory. Counting each of them
 * where it grows would spread the cap over every module, so the check
 * reads the heap the process holds (glibc's count of bytes in use, small
 * blocks and mmap'd ones, where the Lua heap is too) plus the region of
 * process threads. It runs where scripts make things grow: every 2048
 * resumes, and each time a tally's observations double past 4096.
 */
static size_t held(const sf_script *S)
{
    size_t known = S->mem; /* at least what is counted here (the Lua heap, in the region or not), whatever the allocator reports */

    for (uint32_t i = 0; i < S->objs.ntallies; i++)
        known += S->objs.tallies[i].t.cap * sizeof(double);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    {
        /* (under a sanitizer's allocator this reads 0) */
        struct mallinfo2 mi = mallinfo2();
        if (mi.uordblks + mi.hblkhd + S->arena.ready > known)
            return mi.uordblks + mi.hblkhd + S->arena.ready;
    }
#endif
    return known;
}

const char *sf__mem_over(sf_script *S, char *buf, size_t n)
{
    size_t total = held(S), obs = 0, most = 0;
    const char *largest = NULL;
    char jobs[96] = "";

    if (!S->opt.memory_limit || total <= S->opt.memory_limit)
        return NULL;
    for (uint32_t i = 0; i < S->objs.ntallies; i++) {
        obs += S->objs.tallies[i].t.n;
        if (S->objs.tallies[i].t.n > most) {
            most = S->objs.tallies[i].t.n;
            largest = S->objs.tallies[i].name;
        }
    }
    S->mem_exceeded = true;
    if (S->shop.world) {
        sf_job_counts c = sf_stations_counts(sf_world_stations(S->shop.world));
        snprintf(jobs, sizeof jobs, ", %llu jobs in the plant (%llu released)", (unsigned long long)c.in_progress,
                 (unsigned long long)c.released);
    }
    snprintf(buf, n,
             "the run holds %zu MB, over the memory limit of %zu MB (--memory): %zu MB in the Lua state, %zu "
             "observations in %u tallies%s%s%s, %zu processes alive, %zu events pending%s",
             total >> 20, S->opt.memory_limit >> 20, S->mem >> 20, obs, (unsigned)S->objs.ntallies,
             largest ? " (the largest, '" : "", largest ? largest : "", largest ? "')" : "", (size_t)S->alive,
             sf_kernel_pending_count(S->k), jobs);
    return buf;
}
