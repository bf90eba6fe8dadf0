/*
 * plant_harness.h: a factory scenario built with its world and a Lua
 * state attached, for the script tests that drive the `shop` API with
 * their own behaviours. Shared by test_world_lua.c and test_blocking.c.
 * Include after cmocka.h.
 */
#ifndef SF_TEST_PLANT_HARNESS_H
#define SF_TEST_PLANT_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/kernel.h"
#include "model/world.h"
#include "scenario/scenario.h"
#include "script/script.h"

struct run {
    sf_scenario_config *cfg;
    sf_kernel *k;
    sf_script *S;
    sf_world *w;
};

/* Load `file` (relative to the source tree), build its world on a new kernel and attach a Lua state (seed 1). */
static inline void start(struct run *r, const char *file)
{
    char path[1024], err[512];
    sf_diags d;
    sf_script_options opt = {.seed = 1};
    sf_world_hooks hooks;

    snprintf(path, sizeof path, "%s/%s", getenv("SHOPFLOOR_SOURCE_DIR"), file);
    sf_diags_init(&d);
    r->cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!r->cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(r->cfg);
    r->k = sf_kernel_new();
    r->S = sf_script_new(r->k, &opt);
    hooks = (sf_world_hooks){sf_script_world_done, sf_script_world_deadlock, r->S};
    r->w = sf_world_new(r->k, r->cfg, hooks, err, sizeof err);
    if (!r->w)
        fail_msg("%s", err);
    assert_int_equal(sf_script_attach_world(r->S, r->w), SF_OK);
}

static inline void stop(struct run *r)
{
    sf_script_free(r->S);
    sf_world_free(r->w);
    sf_kernel_free(r->k);
    sf_scenario_config_free(r->cfg);
}

#endif
