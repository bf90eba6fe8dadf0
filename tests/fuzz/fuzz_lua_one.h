/*
 * fuzz_lua_one.h: one input as a Lua model in the sandbox, for the
 * libFuzzer target and for the replay test that runs without it.
 */
#ifndef SF_TESTS_FUZZ_LUA_ONE_H
#define SF_TESTS_FUZZ_LUA_ONE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Load `data` as a Lua model and run it for at most 2,000 events, with a
 * budget of 20,000 instructions per resume and 32 MB of memory. Aborts
 * when an invariant breaks: a failed run must say why, and the Lua heap
 * must stay under its cap.
 */
void sf_fuzz_lua_one(const uint8_t *data, size_t size);

#endif
