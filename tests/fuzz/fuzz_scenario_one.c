/*
 * fuzz_scenario_one.c: the loader on arbitrary bytes, with invariants.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_scenario_one.h"

/* Splits an input into a base scenario and an overlay merged onto it. */
#define SEPARATOR "\n#--overlay--\n"
#include "scenario/scenario.h"

static void broken(const char *what, const sf_diags *d)
{
    fprintf(stderr, "invariant broken: %s\n", what);
    sf_diags_print(d, stderr);
    abort();
}

void sf_fuzz_scenario_one(const uint8_t *data, size_t size)
{
    sf_diags d;
    sf_scenario_doc *doc;
    sf_scenario_config *cfg;
    const uint8_t *overlay = NULL;
    size_t base_len = size, overlay_len = 0;

    sf_diags_init(&d);
    /* An input may carry an overlay after a separator line: the base first, then what it merges. */
    for (size_t i = 0; i + sizeof SEPARATOR - 1 <= size; i++)
        if (memcmp(data + i, SEPARATOR, sizeof SEPARATOR - 1) == 0) {
            base_len = i;
            overlay = data + i + sizeof SEPARATOR - 1;
            overlay_len = size - i - (sizeof SEPARATOR - 1);
            break;
        }
    doc = sf_scenario_doc_parse("fuzz.yaml", (const char *)data, base_len, false, &d);
    if (doc && overlay && !sf_scenario_doc_overlay(doc, "overlay.yaml", (const char *)overlay, overlay_len, &d)) {
        if (sf_diags_count(&d) == 0)
            broken("the overlay was rejected without a problem", &d);
        sf_scenario_doc_free(doc);
        sf_diags_close(&d);
        return;
    }
    if (!doc) {
        if (sf_diags_count(&d) == 0)
            broken("the document was rejected without a problem", &d);
        sf_diags_close(&d);
        return;
    }
    /* Settings go through the same path as the file: try one on every document. */
    sf_scenario_doc_set(doc, "fleet.truck.count=2", &d);
    cfg = sf_scenario_doc_validate(doc, &d);
    if (!cfg && sf_diags_count(&d) == 0)
        broken("the scenario was rejected without a problem", &d);
    sf_scenario_config_free(cfg);
    if (size < 65536) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        if (out) {
            int rc = sf_scenario_doc_explain(doc, out);
            fclose(out);
            if (rc == 0) {
                sf_diags again;
                sf_scenario_doc *back;
                sf_diags_init(&again);
                back = sf_scenario_doc_parse("explained.yaml", buf, len, false, &again);
                if (!back)
                    broken("what --explain printed does not read back", &again);
                sf_scenario_doc_free(back);
                sf_diags_close(&again);
            }
            free(buf);
        }
    }
    sf_scenario_doc_free(doc);
    sf_diags_close(&d);
}
