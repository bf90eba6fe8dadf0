/*
 * fuzz_lua_one.c: see fuzz_lua_one.h.
 */
#include "fuzz_lua_one.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kernel.h"
#include "script/script.h"

#define EVENTS 2000
#define MEMORY ((size_t)32 << 20)

void sf_fuzz_lua_one(const uint8_t *data, size_t size)
{
    sf_kernel *k = sf_kernel_new();
    FILE *log = fopen("/dev/null", "w");
    sf_script_options opt = {.seed = 1, .budget = 20000, .memory_limit = MEMORY, .log = log};
    sf_script *S = k ? sf_script_new(k, &opt) : NULL;
    char *src = malloc(size + 1);
    int rc;

    if (!S || !src || !log)
        abort();
    memcpy(src, data, size);
    src[size] = '\0';
    rc = sf_script_load_string(S, src, "=fuzz.lua");
    for (int i = 0; rc == SF_OK && i < EVENTS; i++) {
        sf_time t;
        if (!sf_kernel_next_time(k, &t))
            break;
        rc = sf_kernel_step(k); /* 1: an event ran; below 0: the run failed */
        if (rc == 1)
            rc = SF_OK;
    }
    if (rc != SF_OK && rc != SF_ESTOPPED && !*sf_script_error(S)) {
        fprintf(stderr, "fuzz_lua: the run failed (%s) and says nothing about why\n", sf_strerror(rc));
        abort();
    }
    if (sf_script_memory(S) > MEMORY) {
        fprintf(stderr, "fuzz_lua: the Lua heap holds %zu bytes over its cap of %zu\n", sf_script_memory(S), MEMORY);
        abort();
    }
    sf_script_free(S);
    sf_kernel_free(k);
    fclose(log);
    free(src);
}
