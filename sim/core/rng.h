/*
 * rng.h: named random streams.
 *
 * The generator is xoshiro256** (Blackman and Vigna, 2018): 256 bits of
 * state, period 2^256 - 1, passes BigCrush and PractRand, about 1 ns a
 * draw. A stream is named: its state is derived from (seed, name) by
 * hashing the name with FNV-1a, mixing it with the seed, and expanding
 * the result with SplitMix64. Streams are therefore independent of the
 * order in which they are created, adding a stream never changes another
 * stream's draws, and two alternatives run with the same seed draw the
 * same numbers for the same names (common random numbers).
 */
#ifndef SF_CORE_RNG_H
#define SF_CORE_RNG_H

#include <stdint.h>

typedef struct sf_rng {
    uint64_t s[4];
} sf_rng;

/* Initialise the stream called `name` under `seed`. */
void sf_rng_init(sf_rng *r, uint64_t seed, const char *name);

/* Derive a seed for replication `rep` of base seed `seed` (used by experiments). */
uint64_t sf_rng_derive_seed(uint64_t seed, uint64_t rep);

/* Next 64 random bits. */
static inline uint64_t sf_rng_u64(sf_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform on [0, 1) with 53 random bits. */
static inline double sf_rng_uniform(sf_rng *r)
{
    return (double)(sf_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1): never 0, so log() of it is finite. */
static inline double sf_rng_open(sf_rng *r)
{
    return ((double)(sf_rng_u64(r) >> 12) + 0.5) * 0x1.0p-52;
}

/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method). */
uint64_t sf_rng_below(sf_rng *r, uint64_t n);

#endif
