/*
 * hash.h: the one string hash of the project (64-bit FNV-1a).
 *
 * Used where a name must become a number: stream names into seeds
 * (rng.c) and names into table slots (model/names.c). Not for security.
 */
#ifndef SF_CORE_HASH_H
#define SF_CORE_HASH_H

#include <stdint.h>

static inline uint64_t sf_hash_string(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

#endif
