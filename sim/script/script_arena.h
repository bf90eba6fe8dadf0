/*
 * script_arena.h: the blocks that hold process threads (script_arena.c).
 *
 * One region is reserved at start (address space only) and made writable
 * in 2 MB steps; slot i's block is at base + i * ARENA_BLOCK and holds the
 * thread's state, its stack and its first call frames, so a resume of a
 * waiting process can be prefetched from the slot number alone.
 */
#ifndef SF_SCRIPT_ARENA_H
#define SF_SCRIPT_ARENA_H

#include <stddef.h>
#include <stdint.h>

/* A process thread's block: its state (208 bytes), stack (720) and ARENA_FRAMES call frames (64 each), in Lua 5.4 on 64-bit. */
#define ARENA_BLOCK 1152
#define ARENA_FRAMES 3
/* Prefetched on resume: [0, ARENA_HOT_LOW) (state, first stack slots) and [ARENA_HOT_HIGH, ARENA_BLOCK) (frames). */
#define ARENA_HOT_LOW 448
#define ARENA_HOT_HIGH 896
#define ARENA_SLOTS (1u << 19)
#define ARENA_STEP ((size_t)2 << 20) /* made writable in steps of one huge page */
#define ARENA_MAP_SIZE ((size_t)ARENA_SLOTS * ARENA_BLOCK + ARENA_STEP)

struct arena {
    char *base;          /* the first block, NULL when there is no region (mmap refused) */
    void *map;           /* the reservation it lies in */
    size_t ready;        /* bytes of it made writable */
    char *fill, *fill_end; /* while a thread is made: the rest of its block */
    int filling;         /* 0 no, 1 waiting for the thread object, 2 placing its pieces */
};

/* Reserve the region (none when refused: threads then use malloc); release it. */
void sf__arena_open(struct arena *A);
void sf__arena_close(struct arena *A);
/* A hint: bring the hot lines of slot's block into the cache. */
void sf__arena_prefetch(const struct arena *A, uint32_t slot);

#endif
