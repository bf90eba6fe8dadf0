/*
 * lua_harness.h: run a Lua model given as text and keep the state for
 * inspection. Shared by the script tests.
 */
#ifndef SF_TEST_LUA_HARNESS_H
#define SF_TEST_LUA_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "script/script.h"

typedef struct harness {
    sf_kernel *k;
    sf_script *S;
    int rc;
} harness;

/* Load and run `src` until `until`; rc holds the result. Close with harness_close. */
static inline harness harness_run(const char *src, sf_time until, const sf_script_options *opt)
{
    harness h = {0};
    sf_script_options o = {.seed = 1};

    if (opt)
        o = *opt;
    h.k = sf_kernel_new();
    h.S = h.k ? sf_script_new(h.k, &o) : NULL;
    if (!h.S) {
        h.rc = SF_ENOMEM;
        return h;
    }
    h.rc = sf_script_load_string(h.S, src, "=model.lua");
    if (h.rc == SF_OK)
        h.rc = sf_script_run(h.S, until);
    if (h.rc != SF_OK && getenv("SHOPFLOOR_TEST_VERBOSE"))
        fprintf(stderr, "%s\n", sf_script_error(h.S));
    return h;
}

static inline void harness_close(harness *h)
{
    sf_script_free(h->S);
    sf_kernel_free(h->k);
}

#endif
