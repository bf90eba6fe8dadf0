/*
 * helpers.h: loading scenario text in tests and asserting on the exact
 * problems reported.
 */
#ifndef SF_TESTS_SCENARIO_HELPERS_H
#define SF_TESTS_SCENARIO_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diag.h"
#include "scenario/scenario.h"

/* Print every problem (on a failed expectation, so the log shows what was reported instead). */
static inline void dump_diags(const sf_diags *d)
{
    char buf[1400];
    fprintf(stderr, "-- %zu problem(s) reported:\n", sf_diags_count(d));
    for (size_t i = 0; i < d->n; i++) {
        sf_diags_format(d, i, buf, sizeof buf);
        fprintf(stderr, "   %s\n", buf);
    }
}

static inline bool has_diag(const sf_diags *d, const char *want)
{
    char buf[1400];
    for (size_t i = 0; i < d->n; i++) {
        sf_diags_format(d, i, buf, sizeof buf);
        if (strcmp(buf, want) == 0)
            return true;
    }
    return false;
}

/* The problem `want` ("file:line:col: message") was reported, exactly. */
#define expect_diag(d, want)                                                                                       \
    do {                                                                                                           \
        if (!has_diag((d), (want))) {                                                                              \
            dump_diags(d);                                                                                         \
            fail_msg("expected the problem: %s", (want));                                                          \
        }                                                                                                          \
    } while (0)

/* Exactly one problem was reported, and it is `want`. */
#define expect_only(d, want)                                                                                       \
    do {                                                                                                           \
        expect_diag(d, want);                                                                                      \
        if (sf_diags_count(d) != 1) {                                                                              \
            dump_diags(d);                                                                                         \
            fail_msg("expected only one problem, got %zu", sf_diags_count(d));                                     \
        }                                                                                                          \
    } while (0)

/* Parse (no `extends`) and validate `text`, named "t.yaml". NULL with problems in d. */
static inline sf_scenario_config *load_text(const char *text, sf_diags *d)
{
    sf_scenario_doc *doc = sf_scenario_doc_parse("t.yaml", text, strlen(text), false, d);
    sf_scenario_config *cfg = doc ? sf_scenario_doc_validate(doc, d) : NULL;
    sf_scenario_doc_free(doc);
    return cfg;
}

/* Load `text` expecting exactly one problem, `want`. */
#define expect_load_fails_with(text, want)                                                                         \
    do {                                                                                                           \
        sf_diags d_;                                                                                               \
        sf_scenario_config *c_;                                                                                    \
        sf_diags_init(&d_);                                                                                        \
        c_ = load_text((text), &d_);                                                                               \
        if (c_)                                                                                                    \
            fail_msg("loaded, but expected: %s", (want));                                                         \
        expect_only(&d_, (want));                                                                                  \
        sf_diags_close(&d_);                                                                                       \
    } while (0)

/* Load `text`, which must be valid. */
static inline sf_scenario_config *load_ok(const char *text)
{
    sf_diags d;
    sf_scenario_config *cfg;
    sf_diags_init(&d);
    cfg = load_text(text, &d);
    if (!cfg) {
        dump_diags(&d);
        fail_msg("the scenario should load without problems");
    }
    sf_diags_close(&d);
    return cfg;
}

/* A valid small plant that tests extend by appending lines: the fleet list ends it, at line 10. */
#define BASE                                                                                                       \
    "scenario: {name: t, horizon: 8 h}\n"                                                                          \
    "layout:\n"                                                                                                    \
    "  nodes:\n"                                                                                                   \
    "    - {name: a, at: [0, 0]}\n"                                                                                \
    "    - {name: b, at: [10, 0]}\n"                                                                               \
    "  segments: [{path: [a, b]}]\n"                                                                               \
    "  stations: [{name: s1, group: g, node: b}, {name: s2, group: g, node: b}]\n"                                 \
    "  docks: [{name: in, node: a}]\n"                                                                             \
    "fleet:\n"                                                                                                     \
    "  - {name: op, kind: worker, count: 2, home: a, speed: 1 m/s}\n"

#endif
