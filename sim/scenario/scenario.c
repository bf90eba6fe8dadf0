/*
 * scenario.c: the loader's stages put together, and the config's release.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "scenario/merge.h"
#include "scenario/scenario.h"
#include "scenario/schema.h"
#include "scenario/ytree.h"

struct sf_scenario_doc {
    sf_ydoc y;
};

sf_scenario_doc *sf_scenario_doc_parse(const char *name, const char *buf, size_t len, bool follow_extends,
                                       sf_diags *d)
{
    sf_scenario_doc *doc = sf_calloc(1, sizeof *doc);
    if (!doc) {
        sf_diags_add(d, name, 0, 0, "out of memory");
        return NULL;
    }
    if (!sf_ymerge_load(&doc->y, name, buf, len, follow_extends, d)) {
        sf_scenario_doc_free(doc);
        return NULL;
    }
    return doc;
}

sf_scenario_doc *sf_scenario_doc_load(const char *path, sf_diags *d)
{
    sf_scenario_doc *doc = sf_calloc(1, sizeof *doc);
    if (!doc) {
        sf_diags_add(d, path, 0, 0, "out of memory");
        return NULL;
    }
    if (!sf_ymerge_load(&doc->y, path, NULL, 0, true, d)) {
        sf_diags_sort(d);
        sf_scenario_doc_free(doc);
        return NULL;
    }
    return doc;
}

bool sf_scenario_doc_overlay(sf_scenario_doc *doc, const char *name, const char *buf, size_t len, sf_diags *d)
{
    sf_ydoc over;
    bool ok;

    if (!sf_ymerge_load(&over, name, buf, len, false, d)) {
        sf_ydoc_close(&over);
        return false;
    }
    ok = sf_ydoc_adopt_files(&doc->y, &over);
    if (ok) {
        ok = sf_ymerge(&doc->y.root, over.root, d);
        over.root = NULL;
    }
    sf_ydoc_close(&over);
    return ok;
}

bool sf_scenario_doc_set(sf_scenario_doc *doc, const char *assignment, sf_diags *d)
{
    return sf_ymerge_set(&doc->y, assignment, d);
}

void sf_scenario_doc_free(sf_scenario_doc *doc)
{
    if (!doc)
        return;
    sf_ydoc_close(&doc->y);
    free(doc);
}

static const char *const sections[] = {"scenario", "layout", "fleet", "products", "demand", "shifts",
                                       "failures", "energy", "safety", "outputs", "experiment", NULL};

/*
 * Read the sections in dependency order (layout before the fleet that
 * lives in it, products before the demand for them...) and run the
 * model checks only on a config whose sections were all read cleanly,
 * so a typo is not echoed as a dozen unreachable nodes.
 */
sf_scenario_config *sf_scenario_doc_validate(const sf_scenario_doc *doc, sf_diags *d)
{
    sf_scenario_config *cfg = sf_calloc(1, sizeof *cfg);
    const sf_ynode *root = doc ? doc->y.root : NULL;
    sf_vctx v = {0};

    if (!cfg || !(cfg->arena = sf_arena_new())) {
        free(cfg);
        sf_diags_add(d, NULL, 0, 0, "out of memory");
        return NULL;
    }
    v.d = d;
    v.cfg = cfg;
    v.arena = cfg->arena;
    v.root = root;
    if (!root || root->kind != SF_YMAP) {
        sf_v_error(&v, root, "a scenario is a mapping of sections (scenario, layout, fleet...), not %s",
                   sf_ynode_what(root));
        goto fail;
    }
    sf_v_map(&v, root, sections, "the scenario");
    sf_v_scenario(&v, sf_ynode_get(root, "scenario", NULL));
    sf_v_layout(&v, sf_ynode_get(root, "layout", NULL));
    sf_v_fleet(&v, sf_ynode_get(root, "fleet", NULL));
    sf_v_products(&v, sf_ynode_get(root, "products", NULL));
    sf_v_demand(&v, sf_ynode_get(root, "demand", NULL));
    sf_v_shifts(&v, sf_ynode_get(root, "shifts", NULL));
    sf_v_failures(&v, sf_ynode_get(root, "failures", NULL));
    sf_v_energy(&v, sf_ynode_get(root, "energy", NULL));
    sf_v_safety(&v, sf_ynode_get(root, "safety", NULL));
    sf_v_outputs(&v, sf_ynode_get(root, "outputs", NULL));
    sf_v_experiment(&v, sf_ynode_get(root, "experiment", NULL));
    if (v.errors == 0 && !v.oom)
        sf_v_model_checks(&v);
    if (v.oom)
        sf_diags_add(d, root->file, 0, 0, "out of memory while reading the scenario");
    if (v.errors || v.oom)
        goto fail;
    return cfg;
fail:
    sf_diags_sort(d);
    sf_scenario_config_free(cfg);
    return NULL;
}

sf_scenario_config *sf_scenario_load(const char *path, const char *const *sets, size_t n_sets, sf_diags *d)
{
    sf_scenario_doc *doc = sf_scenario_doc_load(path, d);
    sf_scenario_config *cfg = NULL;
    bool ok = doc != NULL;

    for (size_t i = 0; ok && i < n_sets; i++)
        ok = sf_scenario_doc_set(doc, sets[i], d);
    if (ok)
        cfg = sf_scenario_doc_validate(doc, d);
    sf_diags_sort(d);
    sf_scenario_doc_free(doc);
    return cfg;
}

/* Distributions may own tables (malloc'd by core/dist.c), everything else is in the arena. */
void sf_scenario_config_free(sf_scenario_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->layout.n_racks; i++)
        sf_dist_close(&cfg->layout.racks[i].cycle_time);
    for (size_t p = 0; p < cfg->n_products; p++)
        for (size_t o = 0; o < cfg->products[p].n_ops; o++) {
            sf_dist_close(&cfg->products[p].ops[o].time);
            sf_dist_close(&cfg->products[p].ops[o].setup);
        }
    for (size_t i = 0; i < cfg->demand.n_arrivals; i++)
        sf_dist_close(&cfg->demand.arrivals[i].every);
    for (size_t i = 0; i < cfg->fleet.n_types; i++)
        sf_dist_close(&cfg->fleet.types[i].time_factor);
    for (size_t i = 0; i < cfg->n_failures; i++) {
        sf_dist_close(&cfg->failures[i].mtbf);
        sf_dist_close(&cfg->failures[i].mttr);
    }
    sf_arena_free(cfg->arena);
    free(cfg);
}

/* explain.c reaches the tree through this. */
const sf_ydoc *sf_scenario_doc_tree(const sf_scenario_doc *doc);
const sf_ydoc *sf_scenario_doc_tree(const sf_scenario_doc *doc)
{
    return &doc->y;
}
