#include "core/rng.h"

#include "core/hash.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void sf_rng_init(sf_rng *r, uint64_t seed, const char *name)
{
    uint64_t x = seed, mixed;

    /* Two rounds so that nearby seeds and nearby names land far apart. */
    mixed = splitmix64(&x) ^ sf_hash_string(name ? name : "");
    x = mixed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) /* the one forbidden state */
        r->s[0] = 1;
}

uint64_t sf_rng_derive_seed(uint64_t seed, uint64_t rep)
{
    uint64_t x = seed ^ 0x5265706c69636174ull; /* "Replicat" */
    uint64_t a = splitmix64(&x);

    x = a + rep * 0xd1342543de82ef95ull;
    return splitmix64(&x);
}

uint64_t sf_rng_below(sf_rng *r, uint64_t n)
{
    __uint128_t m = (__uint128_t)sf_rng_u64(r) * n;
    uint64_t lo = (uint64_t)m;

    if (lo < n) {
        uint64_t threshold = -n % n;
        while (lo < threshold) {
            m = (__uint128_t)sf_rng_u64(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}
