/*
 * ytree.c: read YAML with libyaml's event parser into an sf_ynode tree.
 *
 * libyaml's document loader would build the whole tree with aliases
 * expanded lazily and no limits; reading events instead lets this file
 * count every node as it is made, stop at the nesting and size limits,
 * refuse aliases to a node that is still open (self-reference), copy an
 * alias only within a budget (so an expansion bomb fails fast), detect
 * duplicate keys and apply `<<` merge keys, all in one pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "scenario/ytree.h"
#include "core/error.h"
#include "core/mem.h"

/* ---- nodes ------------------------------------------------------------ */

sf_ynode *sf_ynode_new(sf_ynode_kind kind, const char *file, int line, int col)
{
    return SF_NEW(sf_ynode, .kind = kind, .file = file, .line = line, .col = col);
}

sf_ynode *sf_ynode_scalar(const char *text, const char *file, int line, int col, bool plain)
{
    sf_ynode *n = sf_ynode_new(SF_YSCALAR, file, line, col);
    size_t len = strlen(text);
    if (!n)
        return NULL;
    if (!(n->text = sf_malloc(len + 1))) {
        free(n);
        return NULL;
    }
    memcpy(n->text, text, len + 1);
    n->len = len;
    n->plain = plain;
    return n;
}

void sf_ynode_free(sf_ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            sf_ynode_free(n->keys[i]);
        sf_ynode_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->text);
    free(n);
}

/* Append a value (and for a map its key); false when out of memory. */
bool sf_ynode_append(sf_ynode *p, sf_ynode *key, sf_ynode *value)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        sf_ynode **items = sf_realloc(p->items, cap * sizeof *items);
        if (!items)
            return false;
        p->items = items;
        if (p->kind == SF_YMAP) {
            sf_ynode **keys = sf_realloc(p->keys, cap * sizeof *keys);
            if (!keys)
                return false;
            p->keys = keys;
        }
        p->cap = cap;
    }
    if (p->kind == SF_YMAP)
        p->keys[p->n] = key;
    p->items[p->n++] = value;
    return true;
}

/* Remove entry i of a map or a sequence, keeping the order of the rest. */
void sf_ynode_remove(sf_ynode *p, size_t i)
{
    if (p->keys) {
        sf_ynode_free(p->keys[i]);
        memmove(&p->keys[i], &p->keys[i + 1], (p->n - i - 1) * sizeof *p->keys);
    }
    sf_ynode_free(p->items[i]);
    memmove(&p->items[i], &p->items[i + 1], (p->n - i - 1) * sizeof *p->items);
    p->n--;
}

bool sf_ynode_is_null(const sf_ynode *n)
{
    if (!n || n->kind != SF_YSCALAR || !n->plain)
        return false;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

sf_ynode *sf_ynode_get(const sf_ynode *n, const char *key, size_t *index)
{
    if (!n || n->kind != SF_YMAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->keys[i]->text, key) == 0) {
            if (index)
                *index = i;
            return n->items[i];
        }
    return NULL;
}

const char *sf_ynode_what(const sf_ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->kind) {
    case SF_YMAP: return "a mapping";
    case SF_YSEQ: return "a list";
    default: return sf_ynode_is_null(n) ? "an empty value" : "a single value";
    }
}

/* ---- documents --------------------------------------------------------- */

const char *sf_ydoc_intern(sf_ydoc *doc, const char *file)
{
    char **files, *copy;
    size_t len = strlen(file);

    for (size_t i = 0; i < doc->n_files; i++)
        if (strcmp(doc->files[i], file) == 0)
            return doc->files[i];
    if (!(files = sf_realloc(doc->files, (doc->n_files + 1) * sizeof *files)))
        return NULL;
    doc->files = files;
    if (!(copy = sf_malloc(len + 1)))
        return NULL;
    memcpy(copy, file, len + 1);
    doc->files[doc->n_files++] = copy;
    return copy;
}

/* Names are moved, not copied: nodes moved from `from` keep pointing at them. */
bool sf_ydoc_adopt_files(sf_ydoc *to, sf_ydoc *from)
{
    char **files = sf_realloc(to->files, (to->n_files + from->n_files) * sizeof *files);
    if (!files && to->n_files + from->n_files)
        return false;
    to->files = files;
    for (size_t i = 0; i < from->n_files; i++)
        to->files[to->n_files++] = from->files[i];
    free(from->files);
    from->files = NULL;
    from->n_files = 0;
    return true;
}

void sf_ydoc_close(sf_ydoc *doc)
{
    sf_ynode_free(doc->root);
    for (size_t i = 0; i < doc->n_files; i++)
        free(doc->files[i]);
    free(doc->files);
    memset(doc, 0, sizeof *doc);
}

/* ---- the reader -------------------------------------------------------- */

struct anchor {
    char *name; /* NULL: an empty slot */
    sf_ynode *node;
    bool open; /* still being read: an alias to it would contain itself */
};

struct reader {
    const char *file;
    sf_diags *d;
    sf_ynode *stack[SF_YAML_MAX_DEPTH + 1];
    sf_ynode *pending_key[SF_YAML_MAX_DEPTH + 1]; /* per open map: key waiting for its value */
    int depth;
    sf_ynode *root;
    struct anchor *anchors; /* open-addressing hash table, at most half full */
    size_t n_anchors, cap_anchors;
    const char *open_anchor[SF_YAML_MAX_DEPTH + 1]; /* per open container: its anchor name, or NULL */
    sf_ynode **grave; /* `<<` values taken out of their maps, freed when reading ends */
    size_t n_grave, cap_grave;
    size_t nodes, alias_nodes, text;
    bool failed;
};

static void fail_at(struct reader *r, yaml_mark_t m, const char *msg, const char *arg)
{
    char buf[600];
    snprintf(buf, sizeof buf, msg, arg);
    sf_diags_add(r->d, r->file, (int)m.line + 1, (int)m.column + 1, "%s", buf);
    r->failed = true;
}

static void oom(struct reader *r, yaml_mark_t m)
{
    fail_at(r, m, "out of memory while reading %s", "the document");
}

/* Count a node against the document limits; false (with a message) past them. */
static bool count_node(struct reader *r, yaml_mark_t m, size_t text, bool alias)
{
    r->nodes++;
    r->text += text;
    if (alias && ++r->alias_nodes > SF_YAML_MAX_ALIAS_NODES) {
        char lim[32];
        snprintf(lim, sizeof lim, "%d", SF_YAML_MAX_ALIAS_NODES);
        fail_at(r, m, "aliases expand to more than %s nodes (an alias expansion bomb?)", lim);
        return false;
    }
    if (r->nodes > SF_YAML_MAX_NODES) {
        char lim[32];
        snprintf(lim, sizeof lim, "%d", SF_YAML_MAX_NODES);
        fail_at(r, m, "the document has more than %s values", lim);
        return false;
    }
    if (r->text > SF_YAML_MAX_TEXT) {
        fail_at(r, m, "the document holds more than %s of text once aliases are expanded", "48 MiB");
        return false;
    }
    return true;
}

/* Deep copy for an alias, counted against the alias budget. Depth is bounded by the nesting limit. */
static sf_ynode *copy_node(struct reader *r, const sf_ynode *src, yaml_mark_t m)
{
    sf_ynode *n;

    if (!count_node(r, m, src->len, true))
        return NULL;
    if (src->kind == SF_YSCALAR)
        return sf_ynode_scalar(src->text, src->file, src->line, src->col, src->plain);
    if (!(n = sf_ynode_new(src->kind, src->file, src->line, src->col)))
        return NULL;
    for (size_t i = 0; i < src->n; i++) {
        sf_ynode *k = NULL, *v;
        if (src->keys && !(k = copy_node(r, src->keys[i], m)))
            goto fail;
        if (!(v = copy_node(r, src->items[i], m))) {
            sf_ynode_free(k);
            goto fail;
        }
        if (!sf_ynode_append(n, k, v)) {
            sf_ynode_free(k);
            sf_ynode_free(v);
            goto fail;
        }
    }
    return n;
fail:
    sf_ynode_free(n);
    return NULL;
}

/* FNV-1a: anchor names are short and chosen by the file's author, so a simple hash does. */
static size_t hash_name(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

/* The slot holding `name`, or the empty slot where it would go. The table is never full. */
static struct anchor *anchor_slot(struct anchor *table, size_t cap, const char *name)
{
    size_t i = hash_name(name) & (cap - 1);
    while (table[i].name && strcmp(table[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &table[i];
}

static struct anchor *find_anchor(struct reader *r, const char *name)
{
    struct anchor *a;
    if (!r->cap_anchors)
        return NULL;
    a = anchor_slot(r->anchors, r->cap_anchors, name);
    return a->name ? a : NULL;
}

/*
 * Record an anchor (a redefined one takes over the name from here on, as
 * YAML says) and return its stored name. The table doubles when half
 * full, so each anchor and each alias costs O(1) on average however many
 * a file defines.
 */
static const char *add_anchor(struct reader *r, const char *name, sf_ynode *node, bool open, yaml_mark_t m)
{
    struct anchor *a;
    size_t len = strlen(name);

    if (2 * (r->n_anchors + 1) > r->cap_anchors) {
        size_t cap = r->cap_anchors ? r->cap_anchors * 2 : 16;
        struct anchor *t = sf_calloc(cap, sizeof *t);
        if (!t) {
            oom(r, m);
            return NULL;
        }
        for (size_t i = 0; i < r->cap_anchors; i++)
            if (r->anchors[i].name)
                *anchor_slot(t, cap, r->anchors[i].name) = r->anchors[i];
        free(r->anchors);
        r->anchors = t;
        r->cap_anchors = cap;
    }
    a = anchor_slot(r->anchors, r->cap_anchors, name);
    if (!a->name) {
        if (!(a->name = sf_malloc(len + 1))) {
            oom(r, m);
            return NULL;
        }
        memcpy(a->name, name, len + 1);
        r->n_anchors++;
    }
    a->node = node;
    a->open = open;
    return a->name;
}

/*
 * Hand a finished node to its parent: the root, a sequence, or a map
 * where it is either the next key or the value of the pending key.
 */
static bool attach(struct reader *r, sf_ynode *n, yaml_mark_t m)
{
    sf_ynode *p;

    if (r->depth == 0) {
        r->root = n;
        return true;
    }
    p = r->stack[r->depth - 1];
    if (p->kind == SF_YSEQ) {
        if (!sf_ynode_append(p, NULL, n)) {
            sf_ynode_free(n);
            oom(r, m);
            return false;
        }
        return true;
    }
    if (!r->pending_key[r->depth - 1]) {
        if (n->kind != SF_YSCALAR) {
            sf_diags_add(r->d, r->file, n->line, n->col, "a key must be a single value, not %s",
                         sf_ynode_what(n));
            sf_ynode_free(n);
            r->failed = true;
            return false;
        }
        r->pending_key[r->depth - 1] = n;
        return true;
    }
    if (!sf_ynode_append(p, r->pending_key[r->depth - 1], n)) {
        sf_ynode_free(n);
        oom(r, m);
        return false;
    }
    r->pending_key[r->depth - 1] = NULL;
    return true;
}

static int cmp_key(const void *a, const void *b)
{
    const sf_ynode *x = *(sf_ynode *const *)a, *y = *(sf_ynode *const *)b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

static bool is_merge_key(const sf_ynode *k)
{
    return k->plain && strcmp(k->text, "<<") == 0;
}

static sf_ynode *find_sorted(sf_ynode **sorted, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid]->text, key);
        if (c == 0)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

struct merged {
    sf_ynode *key, *value;
    size_t order; /* position among all merged entries: earlier merged mappings win */
    bool take;
};

static int cmp_merged(const void *a, const void *b)
{
    const struct merged *x = *(struct merged *const *)a, *y = *(struct merged *const *)b;
    int c = strcmp(x->key->text, y->key->text);
    return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* Keep a node alive until the end of reading: anchors may still point into it. */
static bool bury(struct reader *r, sf_ynode *n, yaml_mark_t m)
{
    if (sf_grow(r->grave, r->cap_grave, r->n_grave + 1) != SF_OK) {
        sf_ynode_free(n);
        oom(r, m);
        return false;
    }
    r->grave[r->n_grave++] = n;
    return true;
}

/*
 * `<<` merge keys: add copies of the entries of the merged mappings that
 * the map does not set itself; of two merged mappings, the earlier wins.
 * Copies, not moves, because an anchor may name the merged mapping (`<<:
 * &base {...}`) and a later alias must still find it whole; the merged
 * values are kept until the end of reading, and the copies count against
 * the alias budget. Sorting the candidates keeps it O(n log n).
 */
static bool apply_merge_keys(struct reader *r, sf_ynode *map, sf_ynode **explicit_keys, size_t n_explicit,
                             yaml_mark_t m)
{
    struct merged *c = NULL, **by_key = NULL;
    size_t nc = 0, cap = 0;
    bool ok = true, any = false;

    for (size_t i = 0; ok && i < map->n; i++) {
        sf_ynode *src = map->items[i], **from;
        size_t nfrom;
        if (!is_merge_key(map->keys[i]))
            continue;
        any = true;
        if (src->kind == SF_YMAP) {
            from = &map->items[i];
            nfrom = 1;
        } else if (src->kind == SF_YSEQ) {
            from = src->items;
            nfrom = src->n;
        } else {
            sf_diags_add(r->d, r->file, src->line, src->col, "'<<' merges a mapping or a list of mappings, not %s",
                         sf_ynode_what(src));
            r->failed = true;
            ok = false;
            break;
        }
        for (size_t j = 0; ok && j < nfrom; j++) {
            sf_ynode *sm = from[j];
            if (sm->kind != SF_YMAP) {
                sf_diags_add(r->d, r->file, sm->line, sm->col, "'<<' merges mappings, not %s", sf_ynode_what(sm));
                r->failed = true;
                ok = false;
                break;
            }
            for (size_t k = 0; k < sm->n; k++) {
                if (sf_grow(c, cap, nc + 1) != SF_OK) {
                    oom(r, m);
                    ok = false;
                    break;
                }
                c[nc].key = sm->keys[k];
                c[nc].value = sm->items[k];
                c[nc].order = nc;
                c[nc].take = false;
                nc++;
            }
        }
    }
    if (!any)
        return ok;
    if (ok && nc && !(by_key = sf_malloc(nc * sizeof *by_key))) {
        oom(r, m);
        ok = false;
    }
    if (ok && nc) {
        for (size_t i = 0; i < nc; i++)
            by_key[i] = &c[i];
        qsort(by_key, nc, sizeof *by_key, cmp_merged);
        for (size_t i = 0; i < nc; i++)
            by_key[i]->take = (i == 0 || strcmp(by_key[i - 1]->key->text, by_key[i]->key->text) != 0) &&
                              !find_sorted(explicit_keys, n_explicit, by_key[i]->key->text);
    }
    /* Take the `<<` entries out of the map, keeping them alive for anchors, before adding the copies. */
    for (size_t i = map->n; ok && i-- > 0;)
        if (is_merge_key(map->keys[i])) {
            sf_ynode *k = map->keys[i], *v = map->items[i];
            memmove(&map->keys[i], &map->keys[i + 1], (map->n - i - 1) * sizeof *map->keys);
            memmove(&map->items[i], &map->items[i + 1], (map->n - i - 1) * sizeof *map->items);
            map->n--;
            ok = bury(r, k, m) && bury(r, v, m);
        }
    for (size_t i = 0; ok && i < nc; i++) {
        sf_ynode *k, *v;
        if (!c[i].take)
            continue;
        if (!(k = copy_node(r, c[i].key, m)) || !(v = copy_node(r, c[i].value, m))) {
            sf_ynode_free(k);
            if (!r->failed)
                oom(r, m);
            ok = false;
            break;
        }
        if (!sf_ynode_append(map, k, v)) {
            sf_ynode_free(k);
            sf_ynode_free(v);
            oom(r, m);
            ok = false;
        }
    }
    free(by_key);
    free(c);
    return ok;
}

/*
 * A finished mapping: report duplicate keys (sorting a copy of the keys,
 * so a map of n keys costs O(n log n)), then apply `<<` merge keys.
 */
static bool finish_map(struct reader *r, sf_ynode *map, yaml_mark_t m)
{
    sf_ynode **sorted;
    size_t n = 0;
    bool ok = true;

    if (map->n == 0)
        return true;
    if (!(sorted = sf_malloc(map->n * sizeof *sorted))) {
        oom(r, m);
        return false;
    }
    for (size_t i = 0; i < map->n; i++)
        if (!is_merge_key(map->keys[i]))
            sorted[n++] = map->keys[i];
    qsort(sorted, n, sizeof *sorted, cmp_key);
    for (size_t i = 1; i < n; i++)
        if (strcmp(sorted[i]->text, sorted[i - 1]->text) == 0) {
            size_t first = i - 1;
            while (first > 0 && strcmp(sorted[first - 1]->text, sorted[i]->text) == 0)
                first--;
            sf_diags_add(r->d, r->file, sorted[i]->line, sorted[i]->col,
                         "duplicate key '%s' (first given at line %d)", sorted[i]->text, sorted[first]->line);
            r->failed = true;
            ok = false;
        }
    if (ok)
        ok = apply_merge_keys(r, map, sorted, n, m);
    free(sorted);
    return ok;
}

static bool handle(struct reader *r, yaml_event_t *ev)
{
    yaml_mark_t m = ev->start_mark;
    sf_ynode *n;
    const char *anchor = NULL;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (r->root) {
            fail_at(r, m, "a scenario file holds one document; found a second one %s", "here");
            return false;
        }
        return true;
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.length > SF_YAML_MAX_SCALAR) {
            fail_at(r, m, "value longer than %s", "1 MiB");
            return false;
        }
        if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
            fail_at(r, m, "value contains a NUL %s", "character");
            return false;
        }
        if (!count_node(r, m, ev->data.scalar.length, false))
            return false;
        {
            bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            const char *tag = (const char *)ev->data.scalar.tag;
            if (tag && strcmp(tag, YAML_STR_TAG) == 0)
                plain = false; /* !!str: a string, never null or a boolean */
            n = sf_ynode_scalar((const char *)ev->data.scalar.value, r->file, (int)m.line + 1,
                                (int)m.column + 1, plain);
        }
        if (!n) {
            oom(r, m);
            return false;
        }
        anchor = (const char *)ev->data.scalar.anchor;
        if (anchor && !add_anchor(r, anchor, n, false, m)) {
            sf_ynode_free(n);
            return false;
        }
        return attach(r, n, m);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (r->depth >= SF_YAML_MAX_DEPTH) {
            char lim[16];
            snprintf(lim, sizeof lim, "%d", SF_YAML_MAX_DEPTH);
            fail_at(r, m, "nesting deeper than %s levels", lim);
            return false;
        }
        if (!count_node(r, m, 0, false))
            return false;
        n = sf_ynode_new(ev->type == YAML_MAPPING_START_EVENT ? SF_YMAP : SF_YSEQ, r->file, (int)m.line + 1,
                         (int)m.column + 1);
        if (!n) {
            oom(r, m);
            return false;
        }
        anchor = (const char *)(ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor
                                                                     : ev->data.sequence_start.anchor);
        r->open_anchor[r->depth] = NULL;
        if (anchor && !(r->open_anchor[r->depth] = add_anchor(r, anchor, n, true, m))) {
            sf_ynode_free(n);
            return false;
        }
        r->pending_key[r->depth] = NULL;
        r->stack[r->depth++] = n;
        return true;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        n = r->stack[--r->depth];
        r->stack[r->depth] = NULL;
        if (r->open_anchor[r->depth]) {
            struct anchor *a = find_anchor(r, r->open_anchor[r->depth]);
            if (a && a->node == n)
                a->open = false;
        }
        if (n->kind == SF_YMAP && !finish_map(r, n, m)) {
            sf_ynode_free(n);
            return false;
        }
        return attach(r, n, m);
    case YAML_ALIAS_EVENT:
        anchor = (const char *)ev->data.alias.anchor;
        {
            struct anchor *a = find_anchor(r, anchor);
            if (a) {
                if (a->open) {
                    fail_at(r, m, "alias '*%s' refers to a value that contains it", anchor);
                    return false;
                }
                if (!(n = copy_node(r, a->node, m))) {
                    if (!r->failed)
                        oom(r, m);
                    return false;
                }
                return attach(r, n, m);
            }
        }
        fail_at(r, m, "alias '*%s' has no anchor '&' before it", anchor);
        return false;
    default:
        return true;
    }
}

/* libyaml's problem text, with its context when it has one, at the problem's place. */
static void parser_error(struct reader *r, yaml_parser_t *p, const char *buf, size_t len)
{
    yaml_mark_t m = p->problem ? p->problem_mark : p->mark;
    const char *what = p->problem ? p->problem : "malformed YAML";
    char msg[400];

    if (p->error == YAML_READER_ERROR) {
        /*
         * The reader checks a whole chunk before the scanner moves, so
         * its mark is not the problem's place: count lines up to the
         * byte offset it reports instead (columns in bytes).
         */
        int line = 1, col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        snprintf(msg, sizeof msg, "not a text file: %s at byte %zu", what, p->problem_offset);
        sf_diags_add(r->d, r->file, line, col, "%s", msg);
    } else if (p->context) {
        snprintf(msg, sizeof msg, "%s %s (line %d)", what, p->context, (int)p->context_mark.line + 1);
        sf_diags_add(r->d, r->file, (int)m.line + 1, (int)m.column + 1, "YAML syntax: %s", msg);
    } else {
        sf_diags_add(r->d, r->file, (int)m.line + 1, (int)m.column + 1, "YAML syntax: %s", what);
    }
    r->failed = true;
}

bool sf_ydoc_parse(sf_ydoc *doc, const char *file, const char *buf, size_t len, sf_diags *d)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct reader r;
    bool done = false;
    const char *name = sf_ydoc_intern(doc, file ? file : "<input>");

    memset(&r, 0, sizeof r);
    r.file = name ? name : "<input>";
    r.d = d;
    if (!name) {
        sf_diags_add(d, file, 0, 0, "out of memory");
        return false;
    }
    if (len > SF_YAML_MAX_FILE) {
        sf_diags_add(d, r.file, 0, 0, "file larger than 16 MiB");
        return false;
    }
    if (!yaml_parser_initialize(&parser)) {
        sf_diags_add(d, r.file, 0, 0, "out of memory");
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    while (!done && !r.failed) {
        if (!yaml_parser_parse(&parser, &ev)) {
            parser_error(&r, &parser, buf, len);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        handle(&r, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    /* Free what an early stop left open. */
    while (r.depth > 0) {
        r.depth--;
        sf_ynode_free(r.pending_key[r.depth]);
        if (r.depth == 0 && !r.root)
            r.root = r.stack[0];
        else
            sf_ynode_free(r.stack[r.depth]);
    }
    for (size_t i = 0; i < r.cap_anchors; i++)
        free(r.anchors[i].name);
    for (size_t i = 0; i < r.n_grave; i++)
        sf_ynode_free(r.grave[i]);
    free(r.grave);
    free(r.anchors);
    if (r.failed) {
        sf_ynode_free(r.root);
        return false;
    }
    if (!r.root || sf_ynode_is_null(r.root)) {
        sf_ynode_free(r.root);
        sf_diags_add(d, r.file, 1, 1, "the file is empty; a scenario is a mapping with at least a 'scenario' section");
        return false;
    }
    doc->root = r.root;
    return true;
}

const char *sf_yfile_kind(mode_t mode)
{
    return S_ISREG(mode)    ? NULL
           : S_ISDIR(mode)  ? "a folder"
           : S_ISFIFO(mode) ? "a named pipe"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "not a regular file";
}

/*
 * Open a regular file only: a named pipe would block the reader until a
 * writer comes (for ever, for `check`), a device may never end. The
 * file is opened without blocking and checked again through its
 * descriptor, so a pipe put in its place after the stat cannot hang us.
 */
static FILE *open_regular(const char *path, sf_diags *d)
{
    struct stat st;
    const char *kind;
    int fd;
    FILE *f;

    if (stat(path, &st) != 0) {
        sf_diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if ((kind = sf_yfile_kind(st.st_mode))) {
        sf_diags_add(d, path, 0, 0, "cannot read %s: a scenario is a regular file", kind);
        return NULL;
    }
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
        sf_diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || (kind = sf_yfile_kind(st.st_mode))) {
        sf_diags_add(d, path, 0, 0, "cannot read %s: a scenario is a regular file", kind ? kind : "it");
        close(fd);
        return NULL;
    }
    if (!(f = fdopen(fd, "rb"))) {
        sf_diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

bool sf_ydoc_read(sf_ydoc *doc, const char *path, sf_diags *d)
{
    FILE *f = open_regular(path, d);
    char *buf = NULL;
    size_t len = 0, got;
    bool ok;

    if (!f)
        return false;
    /* Read one byte past the limit to tell "exactly 16 MiB" from "more". */
    if (!(buf = sf_malloc(SF_YAML_MAX_FILE + 1))) {
        fclose(f);
        sf_diags_add(d, path, 0, 0, "out of memory");
        return false;
    }
    while ((got = fread(buf + len, 1, SF_YAML_MAX_FILE + 1 - len, f)) > 0 && len < SF_YAML_MAX_FILE + 1)
        len += got;
    if (ferror(f)) {
        sf_diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
        fclose(f);
        free(buf);
        return false;
    }
    fclose(f);
    if (len > SF_YAML_MAX_FILE) {
        sf_diags_add(d, path, 0, 0, "file larger than 16 MiB");
        free(buf);
        return false;
    }
    ok = sf_ydoc_parse(doc, path, buf, len, d);
    free(buf);
    return ok;
}
