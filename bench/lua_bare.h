/* lua_bare.h: bench_lua's floor, bare Lua coroutines on the kernel (lua_bare.c). */
#ifndef SF_BENCH_LUA_BARE_H
#define SF_BENCH_LUA_BARE_H

#include <stdint.h>

#include "core/time.h"

/* Wall-clock and process CPU seconds, the two clocks of every bench_lua figure (bench_lua.c). */
typedef struct bench_span {
    double wall, cpu;
} bench_span;
bench_span bench_now(void);
bench_span bench_since(bench_span t0);

/* The hold model as n bare coroutines until `until`; SF_OK, the events and the time taken. */
int bare_hold(uint32_t n, sf_time until, uint64_t *events, bench_span *took);

#endif
