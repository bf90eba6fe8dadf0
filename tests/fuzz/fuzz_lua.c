/*
 * fuzz_lua.c: libFuzzer entry point for the Lua sandbox: the input is a
 * model's source text.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DSHOPFLOOR_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_lua
 *   build-fuzz/tests/fuzz/fuzz_lua -max_total_time=60 -dict=tests/fuzz/lua.dict \
 *       CORPUS_DIR examples tests/script/probes tests/fuzz/lua_corpus
 *
 * A crashing input found this way goes into tests/fuzz/lua_regressions/,
 * where the `fuzz_replay_lua` test runs it on every build.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_lua_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sf_fuzz_lua_one(data, size);
    return 0;
}
