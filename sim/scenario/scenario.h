/*
 * scenario.h: load a scenario file into a validated sf_scenario_config.
 *
 * The loader runs in stages, each reporting every problem it finds to
 * one sf_diags list as `file:line:col: message`:
 *
 *   read (ytree.c)      YAML text -> tree with places, within hard limits
 *   merge (merge.c)     `extends:` overlays, then `--set key.path=value`
 *   validate (*.c)      tree -> config structs, section by section
 *   model checks        reachability, crews, rack heights, chargers
 *
 * Most callers want sf_scenario_load. The staged functions exist for
 * `shopfloor check --explain`, which prints the merged document, and for
 * tests and the fuzzer, which feed text from memory.
 */
#ifndef SF_SCENARIO_SCENARIO_H
#define SF_SCENARIO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/config.h"
#include "scenario/diag.h"

/* A scenario document after overlays and settings, before validation. */
typedef struct sf_scenario_doc sf_scenario_doc;

/* Read `path` and the files it extends. NULL when there were problems (all in `d`). */
sf_scenario_doc *sf_scenario_doc_load(const char *path, sf_diags *d);

/*
 * Read a document from memory, named `name` in messages. With
 * `follow_extends` false an `extends:` key is an error, so no file is
 * opened (the fuzzer's mode); with true it is resolved next to `name`.
 */
sf_scenario_doc *sf_scenario_doc_parse(const char *name, const char *buf, size_t len, bool follow_extends,
                                       sf_diags *d);

/*
 * Merge an overlay given in memory onto `doc`, by the rules of
 * `extends` (merge.h), as if it named `doc` as its base. The overlay may
 * not itself extend a file. False, with problems in `d`, when it cannot
 * be read.
 */
bool sf_scenario_doc_overlay(sf_scenario_doc *doc, const char *name, const char *buf, size_t len, sf_diags *d);

/* Apply `key.path=value`; false (with problems in `d`) when it cannot be applied. */
bool sf_scenario_doc_set(sf_scenario_doc *doc, const char *assignment, sf_diags *d);

/*
 * Validate the document into a config. NULL when any problem was found;
 * the problems are in `d`, sorted by place.
 */
sf_scenario_config *sf_scenario_doc_validate(const sf_scenario_doc *doc, sf_diags *d);

/*
 * Print the document as YAML (through libyaml's emitter), preceded by a
 * comment naming the files and settings it came from. SF_OK or SF_EIO.
 */
int sf_scenario_doc_explain(const sf_scenario_doc *doc, FILE *out);

/*
 * Print the path of every value of the document, one a line, as --set
 * and --vary name them (sections by key, named lists by name:
 * fleet.forklift.count). For `check --keys` and the shell completions.
 */
int sf_scenario_doc_keys(const sf_scenario_doc *doc, FILE *out);

void sf_scenario_doc_free(sf_scenario_doc *doc);

/* Load, apply `n_sets` settings, validate: the whole pipeline. NULL on problems. */
sf_scenario_config *sf_scenario_load(const char *path, const char *const *sets, size_t n_sets, sf_diags *d);

/* Release a config and everything in it. NULL is fine. */
void sf_scenario_config_free(sf_scenario_config *cfg);

#endif
