/*
 * ytree.h: a YAML document as a small tree that remembers where each
 * value was written.
 *
 * The reader (ytree.c) turns libyaml's events into this tree, keeping
 * the file, line and column of every node so that any later stage
 * (overlay merge, --set, validation) can point at the text a planner
 * wrote. It is the only stage that sees libyaml's parser; the tree has no
 * YAML types and holds scalars as text, read later by what the schema
 * expects at that place (so `no`, `on` and `0755` are not guessed).
 *
 * The reader enforces the limits in SF_YAML_*: input size, scalar size,
 * nesting depth, node count and alias expansion, so hostile input is
 * rejected in bounded time and memory.
 */
#ifndef SF_SCENARIO_YTREE_H
#define SF_SCENARIO_YTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "scenario/diag.h"

#define SF_YAML_MAX_FILE (16u << 20)       /* bytes in one file */
#define SF_YAML_MAX_SCALAR (1u << 20)      /* bytes in one scalar */
#define SF_YAML_MAX_DEPTH 64               /* nested mappings and sequences */
#define SF_YAML_MAX_NODES 500000           /* nodes in one document, aliases expanded */
#define SF_YAML_MAX_ALIAS_NODES 100000     /* nodes created by expanding aliases */
#define SF_YAML_MAX_TEXT (48u << 20)       /* scalar bytes in one document, aliases expanded */

typedef enum sf_ynode_kind { SF_YSCALAR, SF_YMAP, SF_YSEQ } sf_ynode_kind;

typedef struct sf_ynode sf_ynode;
struct sf_ynode {
    sf_ynode_kind kind;
    const char *file; /* owned by the sf_ydoc the node belongs to */
    int line, col;    /* 1-based place of the node's first character */
    bool plain;       /* scalar written without quotes (only plain scalars can be null or booleans) */
    char *text;       /* scalar: NUL-terminated text (owned) */
    size_t len;       /* scalar: bytes of text */
    sf_ynode **keys;  /* map: key scalars, parallel to items */
    sf_ynode **items; /* map: values; sequence: elements */
    size_t n, cap;
};

/* A document: its root (NULL when empty) and the names of the files its nodes came from. */
typedef struct sf_ydoc {
    sf_ynode *root;
    char **files;
    size_t n_files;
} sf_ydoc;

/*
 * Parse `len` bytes as one YAML document into `doc`, naming the place
 * `file`. Every problem is added to `d`; returns true when the text was
 * read without any. On false, doc->root may hold a partial tree (which
 * sf_ydoc_close frees) and must not be used.
 */
bool sf_ydoc_parse(sf_ydoc *doc, const char *file, const char *buf, size_t len, sf_diags *d);

/* What a file of this mode is, for a message ("a named pipe", "a folder"), or NULL for a regular file. */
const char *sf_yfile_kind(mode_t mode);

/*
 * Read a regular file (at most SF_YAML_MAX_FILE bytes; a folder, named
 * pipe or device is refused before anything is read) and parse it as
 * sf_ydoc_parse does.
 */
bool sf_ydoc_read(sf_ydoc *doc, const char *path, sf_diags *d);

void sf_ydoc_close(sf_ydoc *doc);

/* Keep a copy of a file name in the document; returns the stored name or NULL. */
const char *sf_ydoc_intern(sf_ydoc *doc, const char *file);

/* Move the file names of `from` into `to` (after moving nodes from one tree into the other). */
bool sf_ydoc_adopt_files(sf_ydoc *to, sf_ydoc *from);

/* Node helpers shared by the later stages. */
sf_ynode *sf_ynode_new(sf_ynode_kind kind, const char *file, int line, int col);
sf_ynode *sf_ynode_scalar(const char *text, const char *file, int line, int col, bool plain);
void sf_ynode_free(sf_ynode *n);
bool sf_ynode_append(sf_ynode *parent, sf_ynode *key, sf_ynode *value);
void sf_ynode_remove(sf_ynode *map, size_t i);

/* A plain `~`, `null`, `Null`, `NULL` or empty value. */
bool sf_ynode_is_null(const sf_ynode *n);

/* The value under `key` in a map, or NULL (also when n is not a map); *index gets its position. */
sf_ynode *sf_ynode_get(const sf_ynode *n, const char *key, size_t *index);

/* What a node is, for messages: "a mapping", "a list", "a value". */
const char *sf_ynode_what(const sf_ynode *n);

#endif
