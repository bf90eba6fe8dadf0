/*
 * fuzz_scenario.c: libFuzzer entry point for the scenario loader.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DSHOPFLOOR_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_scenario
 *   build-fuzz/tests/fuzz/fuzz_scenario -max_total_time=60 CORPUS_DIR scenarios/examples tests/fuzz/corpus
 *
 * A crashing input found this way goes into tests/fuzz/regressions/,
 * where the `fuzz_replay` test runs it on every build.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_scenario_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sf_fuzz_scenario_one(data, size);
    return 0;
}
