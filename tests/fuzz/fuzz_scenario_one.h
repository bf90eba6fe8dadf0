/*
 * fuzz_scenario_one.h: one input through the whole scenario loader, for
 * the libFuzzer target and for the replay test that runs without it.
 */
#ifndef SF_TESTS_FUZZ_SCENARIO_ONE_H
#define SF_TESTS_FUZZ_SCENARIO_ONE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read, validate and explain `data`. When it holds a line
 * `#--overlay--`, what follows is merged onto what precedes it as an
 * overlay. Aborts when an invariant breaks:
 * a rejected input must come with at least one problem, and what
 * --explain prints must read back as YAML.
 */
void sf_fuzz_scenario_one(const uint8_t *data, size_t size);

#endif
