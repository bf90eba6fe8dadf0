/*
 * merge.c: overlays (`extends`) and `--set` on the YAML tree.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario/merge.h"
#include "core/mem.h"

static const char *item_name(const sf_ynode *item)
{
    const sf_ynode *n = sf_ynode_get(item, "name", NULL);
    return n && n->kind == SF_YSCALAR ? n->text : NULL;
}

/* A list whose entries are all mappings with a `name`; an empty list counts as one. */
static bool is_named_list(const sf_ynode *n)
{
    if (!n || n->kind != SF_YSEQ)
        return false;
    for (size_t i = 0; i < n->n; i++)
        if (!item_name(n->items[i]))
            return false;
    return true;
}

static sf_ynode *find_named(const sf_ynode *list, const char *name, size_t *index)
{
    for (size_t i = 0; i < list->n; i++) {
        const char *s = item_name(list->items[i]);
        if (s && strcmp(s, name) == 0) {
            if (index)
                *index = i;
            return list->items[i];
        }
    }
    return NULL;
}

/* "a, b, c" (at most 12 names) for messages that list what exists. */
static void list_names(const sf_ynode *list, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < list->n && used < n; i++) {
        const char *s = item_name(list->items[i]);
        if (i == 12) {
            snprintf(buf + used, n - used, ", ...");
            break;
        }
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s ? s : "?");
    }
    if (!list->n)
        snprintf(buf, n, "(none)");
}

/* Add `name: <key>` to an entry given in the mapping form, unless it says its name itself. */
static bool add_name(sf_ynode *entry, const sf_ynode *key)
{
    sf_ynode *k, *v;
    if (sf_ynode_get(entry, "name", NULL))
        return true;
    k = sf_ynode_scalar("name", key->file, key->line, key->col, true);
    v = sf_ynode_scalar(key->text, key->file, key->line, key->col, key->plain);
    if (!k || !v || !sf_ynode_append(entry, k, v)) {
        sf_ynode_free(k);
        sf_ynode_free(v);
        return false;
    }
    /* The name goes first, where a reader of --explain looks for it. */
    memmove(&entry->keys[1], &entry->keys[0], (entry->n - 1) * sizeof *entry->keys);
    memmove(&entry->items[1], &entry->items[0], (entry->n - 1) * sizeof *entry->items);
    entry->keys[0] = k;
    entry->items[0] = v;
    return true;
}

static void oom(sf_diags *d, const sf_ynode *at)
{
    sf_diags_add(d, at->file, at->line, at->col, "out of memory while merging");
}

/*
 * The entries of a base mapping or named list, sorted by key or name, so
 * that merging an overlay of m entries into a base of n costs
 * O((n + m) log n) rather than O(n m).
 */
struct slot {
    const char *name;
    size_t i;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * Keys are never replaced while merging, so the index may point at them;
 * a named entry's `name` value is replaced when an overlay entry states
 * it again, so names are copied into one block after the table, freed
 * with it.
 */
static struct slot *index_entries(const sf_ynode *base, bool by_key)
{
    size_t text = 0;
    struct slot *t;
    char *copy;

    if (!by_key)
        for (size_t i = 0; i < base->n; i++)
            text += strlen(item_name(base->items[i])) + 1;
    if (!(t = sf_malloc((base->n + 1) * sizeof *t + text)))
        return NULL;
    copy = (char *)(t + base->n + 1);
    for (size_t i = 0; i < base->n; i++) {
        if (by_key) {
            t[i].name = base->keys[i]->text;
        } else {
            size_t len = strlen(item_name(base->items[i])) + 1;
            memcpy(copy, item_name(base->items[i]), len);
            t[i].name = copy;
            copy += len;
        }
        t[i].i = i;
    }
    qsort(t, base->n, sizeof *t, cmp_slot);
    return t;
}

/* The first entry named `name` among the n indexed, or -1. */
static long lookup(const struct slot *t, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(t[lo].name, name) == 0 ? (long)t[lo].i : -1;
}

/* Drop the entries marked in `gone`, keeping the order of the rest. */
static void compact(sf_ynode *b, const bool *gone, size_t n_marked)
{
    size_t w = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (i < n_marked && gone[i]) {
            if (b->keys)
                sf_ynode_free(b->keys[i]);
            sf_ynode_free(b->items[i]);
            continue;
        }
        if (b->keys)
            b->keys[w] = b->keys[i];
        b->items[w++] = b->items[i];
    }
    b->n = w;
}

/*
 * Merge the entries of `over` (a mapping; or a named list, when `base`
 * is a named list) into `base`, matched by key or by name. Consumes
 * `over`. Deletions are marked and applied at the end so the index of
 * the base stays valid while merging.
 */
static bool merge_entries(sf_ynode *b, sf_ynode *over, bool base_by_key, sf_diags *d)
{
    size_t n0 = b->n;
    struct slot *t = index_entries(b, base_by_key);
    bool *gone = sf_calloc(n0 + 1, sizeof *gone), ok = true;

    if (!t || !gone) {
        free(t);
        free(gone);
        oom(d, over);
        sf_ynode_free(over);
        return false;
    }
    for (size_t i = 0; i < over->n; i++) {
        sf_ynode *k = over->keys ? over->keys[i] : NULL, *v = over->items[i];
        const char *name = k ? k->text : item_name(v);
        long at = lookup(t, n0, name);
        over->items[i] = NULL;
        if (at >= 0 && gone[at])
            at = -1;
        if (sf_ynode_is_null(v)) {
            if (at >= 0)
                gone[at] = true;
            sf_ynode_free(v);
        } else if (!base_by_key && v->kind != SF_YMAP) {
            sf_diags_add(d, v->file, v->line, v->col, "an entry of this list is a mapping, not %s", sf_ynode_what(v));
            sf_ynode_free(v);
            ok = false;
        } else if (at >= 0) {
            ok = sf_ymerge(&b->items[at], v, d) && ok;
        } else if (base_by_key) {
            over->keys[i] = NULL;
            if (!sf_ynode_append(b, k, v)) {
                oom(d, v);
                sf_ynode_free(k);
                sf_ynode_free(v);
                ok = false;
            }
        } else if ((k && !add_name(v, k)) || !sf_ynode_append(b, NULL, v)) {
            oom(d, v);
            sf_ynode_free(v);
            ok = false;
        }
    }
    compact(b, gone, n0);
    free(t);
    free(gone);
    sf_ynode_free(over);
    return ok;
}

/*
 * Merge `over` into *base by the rules in merge.h. Consumes `over`; the
 * result is in *base.
 */
bool sf_ymerge(sf_ynode **base, sf_ynode *over, sf_diags *d)
{
    sf_ynode *b = *base;

    if (b && b->kind == SF_YMAP && over->kind == SF_YMAP)
        return merge_entries(b, over, true, d);
    if (is_named_list(b) && (over->kind == SF_YMAP || (is_named_list(over) && b->n > 0)))
        return merge_entries(b, over, false, d);
    sf_ynode_free(b);
    *base = over;
    return true;
}

/* ---- extends ----------------------------------------------------------- */

/* `base` relative to the folder of `from`, unless it is absolute. */
static char *resolve(const char *from, const char *base)
{
    const char *slash = strrchr(from, '/');
    size_t dir = (base[0] == '/' || !slash) ? 0 : (size_t)(slash - from + 1);
    char *p = sf_malloc(dir + strlen(base) + 1);
    if (!p)
        return NULL;
    memcpy(p, from, dir);
    strcpy(p + dir, base);
    return p;
}

struct chain {
    const char *path;
    const struct chain *up;
};

/* Whether the real path `file` lies in the real folder `dir` or below it. */
static bool inside(const char *file, const char *dir)
{
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 1 && dir[0] == '/')
        return true;
    return strncmp(file, dir, n) == 0 && file[n] == '/';
}

/* Whether `file` (a real path) lies inside the folder `dir`, named as a user or the build gave it. */
static bool inside_named(const char *file, const char *dir, size_t n)
{
    char name[PATH_MAX], real[PATH_MAX];

    if (n == 0 || n >= sizeof name)
        return false;
    memcpy(name, dir, n);
    name[n] = '\0';
    return realpath(name, real) && inside(file, real);
}

/*
 * Where an `extends` may lead: the folder of the scenario named on the
 * command line (`root`, a real path) or below it, the project's or the
 * installed scenarios/ folder, or a folder listed in SHOPFLOOR_PATH
 * (colon-separated). `file` is a real path, so `..` and symlinks have
 * been followed before the comparison and cannot lead out.
 */
static bool allowed(const char *file, const char *root)
{
    const char *env = getenv("SHOPFLOOR_PATH");

    if ((root && inside(file, root)) || inside_named(file, SF_SOURCE_SCENARIOS, strlen(SF_SOURCE_SCENARIOS)) ||
        inside_named(file, SF_INSTALL_SCENARIOS, strlen(SF_INSTALL_SCENARIOS)))
        return true;
    while (env && *env) {
        size_t n = strcspn(env, ":");
        if (inside_named(file, env, n))
            return true;
        env += n + (env[n] == ':');
    }
    return false;
}

/*
 * Check the target of `extends` before anything of it is read: it must
 * be a regular file in an allowed folder. A refused file is never opened,
 * so its content cannot appear in a message. A target that does not
 * exist passes, and the read reports it as before.
 */
static bool extends_target_ok(const sf_ynode *ext, const char *bpath, const char *root, sf_diags *d)
{
    char real[PATH_MAX];
    struct stat st;
    const char *kind;

    if (!realpath(bpath, real))
        return errno == ENOENT;
    if (stat(real, &st) == 0 && (kind = sf_yfile_kind(st.st_mode))) {
        sf_diags_add(d, ext->file, ext->line, ext->col, "'extends: %s' names %s; a scenario is a regular file",
                     ext->text, kind);
        return false;
    }
    if (!allowed(real, root)) {
        sf_diags_add(d, ext->file, ext->line, ext->col,
                     "'extends: %s' lies outside the folder of the scenario (%s), the scenarios folder and the "
                     "folders in SHOPFLOOR_PATH; add its folder to SHOPFLOOR_PATH to allow it",
                     ext->text, root ? root : "unknown");
        return false;
    }
    return true;
}

static bool load(sf_ydoc *doc, const char *path, const char *buf, size_t len, bool follow, int level,
                 const struct chain *up, const char *root, sf_diags *d)
{
    sf_ydoc top = {0}, base = {0};
    sf_ynode *ext;
    size_t at;
    char *bpath = NULL;
    struct chain me = {path, up};
    bool ok;

    ok = buf ? sf_ydoc_parse(&top, path, buf, len, d) : sf_ydoc_read(&top, path, d);
    if (!ok)
        goto done;
    if (top.root->kind != SF_YMAP) {
        sf_diags_add(d, top.root->file, top.root->line, top.root->col,
                     "a scenario is a mapping of sections (scenario, layout, fleet...), not %s",
                     sf_ynode_what(top.root));
        ok = false;
        goto done;
    }
    if (!(ext = sf_ynode_get(top.root, "extends", &at))) {
        *doc = top;
        return true;
    }
    if (ext->kind != SF_YSCALAR || sf_ynode_is_null(ext)) {
        sf_diags_add(d, ext->file, ext->line, ext->col, "'extends' names one scenario file, not %s",
                     sf_ynode_what(ext));
        ok = false;
        goto done;
    }
    if (!follow) {
        sf_diags_add(d, ext->file, ext->line, ext->col, "'extends' is not allowed here");
        ok = false;
        goto done;
    }
    /* The file at `level` is the (level + 1)-th of the chain; its base would be one more. */
    if (level + 1 >= SF_SCENARIO_MAX_EXTENDS) {
        sf_diags_add(d, ext->file, ext->line, ext->col, "'extends' chains more than %d files",
                     SF_SCENARIO_MAX_EXTENDS);
        ok = false;
        goto done;
    }
    if (!(bpath = resolve(path, ext->text))) {
        oom(d, ext);
        ok = false;
        goto done;
    }
    if (!extends_target_ok(ext, bpath, root, d)) {
        ok = false;
        goto done;
    }
    for (const struct chain *c = &me; c; c = c->up)
        if (strcmp(c->path, bpath) == 0) {
            sf_diags_add(d, ext->file, ext->line, ext->col, "'extends: %s' makes a cycle: %s extends itself",
                         ext->text, bpath);
            ok = false;
            goto done;
        }
    if (!load(&base, bpath, NULL, 0, follow, level + 1, &me, root, d)) {
        sf_diags_add(d, ext->file, ext->line, ext->col, "the scenario this file extends, '%s', has problems",
                     ext->text);
        ok = false;
        goto done;
    }
    sf_ynode_remove(top.root, at);
    ok = sf_ydoc_adopt_files(&base, &top);
    if (ok) {
        ok = sf_ymerge(&base.root, top.root, d);
        top.root = NULL;
    }
    sf_ydoc_close(&top);
    free(bpath);
    *doc = base;
    return ok;
done:
    free(bpath);
    sf_ydoc_close(&base);
    sf_ydoc_close(&top);
    return ok;
}

bool sf_ymerge_load(sf_ydoc *doc, const char *path, const char *buf, size_t len, bool follow, sf_diags *d)
{
    char dir[PATH_MAX], root[PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    bool known;

    memset(doc, 0, sizeof *doc);
    /* The folder of the scenario named on the command line bounds where its `extends` may lead. */
    if (!slash) {
        strcpy(dir, ".");
    } else if (n == 0) {
        strcpy(dir, "/");
    } else if (n < sizeof dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    } else {
        dir[0] = '\0';
    }
    known = dir[0] && realpath(dir, root) != NULL;
    return load(doc, path, buf, len, follow, 0, NULL, known ? root : NULL, d);
}

/* ---- --set ------------------------------------------------------------- */

static bool is_index(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool null_text(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0;
}

/* Shift the columns of the nodes of a one-line value so they count from the start of "key=value". */
static void shift_cols(sf_ynode *n, int by)
{
    if (!n)
        return;
    if (n->line == 1)
        n->col += by;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            shift_cols(n->keys[i], by);
        shift_cols(n->items[i], by);
    }
}

/*
 * The entry of list `list` that a --set path component names: by its
 * name in a list of named entries, else by a 0-based index (`comp` is
 * one). False after saying why there is none.
 */
static bool list_entry(const sf_ynode *list, const char *comp, const char *file, int col, size_t *at, sf_diags *d)
{
    if (is_named_list(list) && !is_index(comp)) {
        char names[400];
        if (find_named(list, comp, at))
            return true;
        list_names(list, names, sizeof names);
        sf_diags_add(d, file, 1, col, "no entry named '%s' here; there are: %s", comp, names);
        return false;
    }
    *at = (size_t)strtoul(comp, NULL, 10);
    if (*at < list->n)
        return true;
    sf_diags_add(d, file, 1, col, "index %s is past the end of a list of %zu entries", comp, list->n);
    return false;
}

/*
 * Walk `key.path` from the root, creating missing mapping keys (the
 * validator then says whether they are known), and merge the value at
 * the end. Problems are reported at the setting itself, named
 * `--set key.path`, with the column counted in the "key=value" text.
 */
bool sf_ymerge_set(sf_ydoc *doc, const char *assignment, sf_diags *d)
{
    const char *eq = strchr(assignment, '=');
    char *key = NULL, *label = NULL, *comp, *next;
    const char *file, *value;
    sf_ydoc val = {0};
    sf_ynode **slot = &doc->root, *cur, *v = NULL;
    bool ok = false;
    size_t klen;

    if (!eq || eq == assignment) {
        sf_diags_add(d, "--set", 0, 0, "'%s' is not of the form key.path=value", assignment);
        return false;
    }
    klen = (size_t)(eq - assignment);
    value = eq + 1;
    if (!(key = sf_malloc(klen + 1)) || !(label = sf_malloc(klen + 7)))
        goto nomem;
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    snprintf(label, klen + 7, "--set %s", key);
    if (!(file = sf_ydoc_intern(doc, label)))
        goto nomem;
    if (null_text(value)) {
        v = NULL;
    } else {
        if (!sf_ydoc_parse(&val, label, value, strlen(value), d))
            goto done;
        v = val.root;
        val.root = NULL;
        shift_cols(v, (int)klen + 1);
        if (!sf_ydoc_adopt_files(doc, &val))
            goto nomem;
    }
    if (!doc->root && !(doc->root = sf_ynode_new(SF_YMAP, file, 1, 1)))
        goto nomem;
    comp = key;
    for (;;) {
        int col = (int)(comp - key) + 1;
        size_t at;
        next = strchr(comp, '.');
        if (next)
            *next = '\0';
        if (!*comp) {
            sf_diags_add(d, file, 1, col, "empty part in the key path '%.*s'", (int)klen, assignment);
            goto done;
        }
        cur = *slot;
        if (cur->kind == SF_YMAP) {
            sf_ynode *child = sf_ynode_get(cur, comp, &at);
            if (!next) {
                if (!v) {
                    if (child)
                        sf_ynode_remove(cur, at);
                    ok = true;
                    goto done;
                }
                if (child) {
                    ok = sf_ymerge(&cur->items[at], v, d);
                    v = NULL;
                    goto done;
                }
                sf_ynode *k = sf_ynode_scalar(comp, file, 1, col, true);
                if (!k || !sf_ynode_append(cur, k, v)) {
                    sf_ynode_free(k);
                    goto nomem;
                }
                v = NULL;
                ok = true;
                goto done;
            }
            if (!child) {
                sf_ynode *k = sf_ynode_scalar(comp, file, 1, col, true);
                child = sf_ynode_new(SF_YMAP, file, 1, col);
                if (!k || !child || !sf_ynode_append(cur, k, child)) {
                    sf_ynode_free(k);
                    sf_ynode_free(child);
                    goto nomem;
                }
                at = cur->n - 1;
            }
            slot = &cur->items[at];
        } else if (cur->kind == SF_YSEQ && (is_index(comp) || is_named_list(cur))) {
            if (!list_entry(cur, comp, file, col, &at, d))
                goto done;
            if (!next && !v) {
                sf_ynode_remove(cur, at);
                ok = true;
                goto done;
            }
            slot = &cur->items[at];
        } else {
            sf_diags_add(d, file, 1, col, "'%s' cannot be looked up in %s (written at %s:%d:%d)", comp,
                         sf_ynode_what(cur), cur->file, cur->line, cur->col);
            goto done;
        }
        if (!next) {
            ok = sf_ymerge(slot, v, d);
            v = NULL;
            goto done;
        }
        comp = next + 1;
    }
nomem:
    sf_diags_add(d, "--set", 0, 0, "out of memory");
done:
    sf_ynode_free(v);
    sf_ydoc_close(&val);
    free(key);
    free(label);
    return ok;
}
