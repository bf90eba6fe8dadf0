/*
 * merge.h: what-if overlays and command-line settings on the YAML tree.
 *
 * An overlay names its base with `extends: base.yaml` (relative to the
 * overlay's folder) and holds only what changes. The rules:
 *   - mappings merge key by key, recursively;
 *   - a list whose entries all have a `name` (nodes, stations, fleet,
 *     products...) merges entry by entry, matched by name; new names are
 *     appended; in an overlay such a list may also be written as a
 *     mapping from name to entry;
 *   - a key (or a named entry) set to `~` is deleted;
 *   - anything else replaces the base value.
 * Every node keeps the file it came from, so a problem in a merged value
 * is reported in the file that wrote it.
 *
 * `--set key.path=value` applies the same rules to one value: the path
 * walks mappings by key, named lists by name and other lists by index,
 * and the value is read as YAML, so it is typed and checked exactly as
 * if it had been written in the file.
 */
#ifndef SF_SCENARIO_MERGE_H
#define SF_SCENARIO_MERGE_H

#include <stdbool.h>

#include "scenario/diag.h"
#include "scenario/ytree.h"

/* Overlays may extend overlays, up to this many files deep. */
#define SF_SCENARIO_MAX_EXTENDS 8

/*
 * Read `path` and, when it extends another file, that file first, and
 * merge them. `buf` (when not NULL) is the text of `path`, already in
 * memory; `follow` false refuses `extends` (used for untrusted input).
 */
bool sf_ymerge_load(sf_ydoc *doc, const char *path, const char *buf, size_t len, bool follow, sf_diags *d);

/* Merge `over` (consumed) into *base by the rules above. */
bool sf_ymerge(sf_ynode **base, sf_ynode *over, sf_diags *d);

/* Apply one `key.path=value` setting to the document. */
bool sf_ymerge_set(sf_ydoc *doc, const char *assignment, sf_diags *d);

#endif
