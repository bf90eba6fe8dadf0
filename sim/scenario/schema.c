/*
 * schema.c: field readers shared by the section readers: the arena, errors,
 * mappings and named lists, scalars and references. Quantities and
 * distributions are in quantity.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "core/time.h"
#include "scenario/schema.h"

/* ---- arena ------------------------------------------------------------- */

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

struct sf_cfg_arena {
    struct chunk *head;
};

sf_cfg_arena *sf_arena_new(void)
{
    return sf_calloc(1, sizeof(sf_cfg_arena));
}

void sf_arena_free(sf_cfg_arena *a)
{
    if (!a)
        return;
    while (a->head) {
        struct chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    free(a);
}

/* Bump allocation in 64 KiB chunks (bigger requests get their own); zeroed. */
static void *arena_alloc(sf_cfg_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    struct chunk *c = a->head;

    size = (size + align - 1) / align * align;
    if (!c || c->size - c->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        if (!(c = sf_calloc(1, sizeof *c + cap)))
            return NULL;
        c->size = cap;
        c->next = a->head;
        a->head = c;
    }
    c->used += size;
    return (char *)c->data + c->used - size;
}

void *sf_v_alloc(sf_vctx *v, size_t n, size_t size)
{
    void *p;
    if (n == 0)
        n = 1;
    if (size && n > SIZE_MAX / 2 / size) {
        v->oom = true;
        return NULL;
    }
    if (!(p = arena_alloc(v->arena, n * size)))
        v->oom = true;
    return p;
}

const char *sf_v_strdup(sf_vctx *v, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sf_v_alloc(v, n, 1);
    if (p)
        memcpy(p, s, n);
    return p ? p : "";
}

/* ---- errors ------------------------------------------------------------ */

void sf_v_error_col(sf_vctx *v, const sf_ynode *at, int dcol, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!at)
        at = v->root;
    sf_diags_add(v->d, at ? at->file : NULL, at ? at->line : 0, at ? at->col + dcol : 0, "%s", buf);
    v->errors++;
}

void sf_v_error_place(sf_vctx *v, sf_cfg_place at, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sf_diags_add(v->d, at.file, at.line, at.col, "%s", buf);
    v->errors++;
}

void sf_v_warn_place(sf_vctx *v, const char ***list, size_t *n, sf_cfg_place at, const char *fmt, ...)
{
    char msg[700], line[900];
    const char **grown;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "%s:%d:%d: warning: %s", at.file ? at.file : "<input>", at.line, at.col, msg);
    /* the arena cannot grow a block: a new one each time (a handful of warnings per scenario) */
    if (!(grown = sf_v_alloc(v, *n + 1, sizeof *grown)))
        return;
    if (*n)
        memcpy(grown, *list, *n * sizeof *grown);
    grown[(*n)++] = sf_v_strdup(v, line);
    *list = grown;
}

void sf_v_error(sf_vctx *v, const sf_ynode *at, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sf_v_error_col(v, at, 0, "%s", buf);
}

sf_cfg_place sf_v_place(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_place p = {"", 0, 0};
    if (n) {
        p.file = sf_v_strdup(v, n->file);
        p.line = n->line;
        p.col = n->col;
    }
    return p;
}

void sf_v_entry(sf_vctx *v, const sf_ynode *name_node, const char *kind, char *what, size_t n, const char **name,
                sf_cfg_place *at)
{
    snprintf(what, n, "%s '%s'", kind, name_node->text);
    *name = sf_v_strdup(v, name_node->text);
    *at = sf_v_place(v, name_node);
}

/* ---- keys -------------------------------------------------------------- */

/* Levenshtein distance with a cap, on short words (keys and names). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];
    if (la > 64 || lb > 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

const char *sf_v_nearest(const char *word, const char *const *known, size_t n)
{
    const char *best = NULL;
    size_t best_d = 99, limit = strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < n; i++) {
        size_t dd = distance(word, known[i]);
        if (dd < best_d) {
            best_d = dd;
            best = known[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

void sf_v_join(char *buf, size_t n, const char *const *words, size_t count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && used + 1 < n; i++) {
        if (i == 16) {
            snprintf(buf + used, n - used, ", ...");
            return;
        }
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", words[i]);
    }
}

bool sf_v_map(sf_vctx *v, const sf_ynode *n, const char *const *keys, const char *what)
{
    size_t nk = 0;
    bool ok = true;

    if (!n || n->kind != SF_YMAP) {
        sf_v_error(v, n, "%s must be a mapping of keys to values, not %s", what, sf_ynode_what(n));
        return false;
    }
    while (keys[nk])
        nk++;
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->keys[i]->text, *near;
        size_t j;
        for (j = 0; j < nk; j++)
            if (strcmp(k, keys[j]) == 0)
                break;
        if (j < nk)
            continue;
        ok = false;
        if ((near = sf_v_nearest(k, keys, nk))) {
            sf_v_error(v, n->keys[i], "unknown key '%s' in %s; did you mean '%s'?", k, what, near);
        } else {
            char list[600];
            sf_v_join(list, sizeof list, keys, nk);
            sf_v_error(v, n->keys[i], "unknown key '%s' in %s; known keys: %s", k, what, list);
        }
    }
    return ok;
}

const sf_ynode *sf_v_need(sf_vctx *v, const sf_ynode *map, const char *key, const char *what)
{
    const sf_ynode *n = sf_ynode_get(map, key, NULL);
    if (!n || sf_ynode_is_null(n)) {
        sf_v_error(v, map, "%s needs '%s'", what, key);
        return NULL;
    }
    return n;
}

bool sf_v_list(sf_vctx *v, const sf_ynode *n, const char *what)
{
    if (!n || n->kind != SF_YSEQ) {
        sf_v_error(v, n, "%s must be a list, not %s", what, sf_ynode_what(n));
        return false;
    }
    return true;
}

static int cmp_slots(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * Report every name given twice (at the later one, naming the first)
 * and keep only the first of each, in the original order. Sorting makes
 * it O(n log n), so a list of many entries costs no more than reading it.
 */
static size_t drop_duplicates(sf_vctx *v, const char *what, const sf_ynode **entries, const sf_ynode **names,
                              size_t count)
{
    struct sf_named_slot *slots = sf_v_alloc(v, count, sizeof *slots);
    bool *dup = sf_v_alloc(v, count, sizeof *dup);
    size_t w = 0;

    if (!slots || !dup)
        return 0;
    for (size_t i = 0; i < count; i++) {
        slots[i].name = names[i]->text;
        slots[i].i = i;
    }
    qsort(slots, count, sizeof *slots, cmp_slots);
    for (size_t k = 1, first = 0; k < count; k++) {
        if (strcmp(slots[k].name, slots[first].name) != 0) {
            first = k;
            continue;
        }
        const sf_ynode *a = names[slots[first].i], *b = names[slots[k].i];
        sf_v_error(v, b, "%s '%s' is defined twice (first at %s:%d:%d)", what, b->text, a->file, a->line, a->col);
        dup[slots[k].i] = true;
    }
    for (size_t i = 0; i < count; i++)
        if (!dup[i]) {
            entries[w] = entries[i];
            names[w++] = names[i];
        }
    return w;
}

/* Whether a name is empty or only spaces. */
static bool blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

size_t sf_v_named(sf_vctx *v, const sf_ynode *n, const char *what, const sf_ynode ***entries,
                  const sf_ynode ***names)
{
    size_t count = 0;

    *entries = NULL;
    *names = NULL;
    if (!n || sf_ynode_is_null(n))
        return 0;
    if (n->kind == SF_YSCALAR) {
        sf_v_error(v, n, "%s must be a list of entries with a 'name', not %s", what, sf_ynode_what(n));
        return 0;
    }
    *entries = sf_v_alloc(v, n->n, sizeof **entries);
    *names = sf_v_alloc(v, n->n, sizeof **names);
    if (!*entries || !*names)
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *e = n->items[i], *name;
        if (n->kind == SF_YMAP) {
            name = n->keys[i];
            if (e->kind != SF_YMAP) {
                sf_v_error(v, e, "%s entry '%s' must be a mapping, not %s", what, name->text, sf_ynode_what(e));
                continue;
            }
        } else {
            if (e->kind != SF_YMAP) {
                sf_v_error(v, e, "each entry of %s must be a mapping with a 'name', not %s", what,
                           sf_ynode_what(e));
                continue;
            }
            name = sf_ynode_get(e, "name", NULL);
            if (!name || name->kind != SF_YSCALAR || sf_ynode_is_null(name)) {
                sf_v_error(v, name ? name : e, "each entry of %s needs a 'name'", what);
                continue;
            }
        }
        /* An empty name cannot be referred to, nor told apart in a report. */
        if (blank(name->text)) {
            sf_v_error(v, name, "a name in %s must not be empty", what);
            continue;
        }
        /* A name is printed in tables, reports and CSV files. */
        if (sf_name_problem(name->text)) {
            sf_v_error(v, name, "a name in %s %s", what, sf_name_problem(name->text));
            continue;
        }
        (*entries)[count] = e;
        (*names)[count] = name;
        count++;
    }
    return drop_duplicates(v, what, *entries, *names, count);
}
/* ---- scalars ----------------------------------------------------------- */

bool sf_v_scalar(sf_vctx *v, const sf_ynode *n, const char *what, const char *expected)
{
    if (n->kind != SF_YSCALAR || sf_ynode_is_null(n)) {
        sf_v_error(v, n, "%s: expected %s, got %s", what, expected, sf_ynode_what(n));
        return false;
    }
    return true;
}

bool sf_v_string(sf_vctx *v, const sf_ynode *n, const char *what, const char **out)
{
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a text"))
        return false;
    *out = sf_v_strdup(v, n->text);
    return true;
}

/* Decimal only: "0755" is 755, as a planner means it; YAML 1.1 octal and hex are not guessed. */
static bool parse_int(const char *s, int64_t *out)
{
    char *end;
    long long x;
    while (*s == ' ')
        s++;
    if (!(*s == '-' || *s == '+' || isdigit((unsigned char)*s)))
        return false;
    if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o')))
        return false;
    errno = 0;
    x = strtoll(s, &end, 10);
    if (errno || end == s)
        return false;
    while (*end == ' ')
        end++;
    if (*end)
        return false;
    *out = x;
    return true;
}

bool sf_v_int(sf_vctx *v, const sf_ynode *n, const char *what, int64_t min, int64_t max, int *out)
{
    int64_t x;
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a whole number"))
        return false;
    if (!parse_int(n->text, &x)) {
        sf_v_error(v, n, "%s: expected a whole number, got '%s'", what, n->text);
        return false;
    }
    if (x < min || x > max) {
        if (max >= INT32_MAX)
            sf_v_error(v, n, "%s must be at least %lld, got %s", what, (long long)min, n->text);
        else
            sf_v_error(v, n, "%s must be between %lld and %lld, got %s", what, (long long)min, (long long)max,
                       n->text);
        return false;
    }
    *out = (int)x;
    return true;
}

bool sf_v_u64(sf_vctx *v, const sf_ynode *n, const char *what, uint64_t *out)
{
    char *end;
    unsigned long long x;
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a whole number"))
        return false;
    errno = 0;
    x = strtoull(n->text, &end, 10);
    if (!isdigit((unsigned char)n->text[0]) || errno || *end) {
        sf_v_error(v, n, "%s: expected a whole number from 0 to 18446744073709551615, got '%s'", what, n->text);
        return false;
    }
    *out = x;
    return true;
}

bool sf_v_bool(sf_vctx *v, const sf_ynode *n, const char *what, bool *out)
{
    static const char *yes[] = {"true", "yes", "on", "y"}, *no[] = {"false", "no", "off", "n"};
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "true or false"))
        return false;
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(n->text, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(n->text, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    sf_v_error(v, n, "%s: expected true or false (or yes/no, on/off), got '%s'", what, n->text);
    return false;
}

bool sf_v_enum(sf_vctx *v, const sf_ynode *n, const char *what, const char *const *names, int *out)
{
    size_t k = 0;
    char list[400];
    const char *near;
    if (!n)
        return true;
    if (!sf_v_scalar(v, n, what, "a word"))
        return false;
    for (; names[k]; k++)
        if (strcmp(n->text, names[k]) == 0) {
            *out = (int)k;
            return true;
        }
    sf_v_join(list, sizeof list, names, k);
    if ((near = sf_v_nearest(n->text, names, k)))
        sf_v_error(v, n, "%s: '%s' is not one of %s; did you mean '%s'?", what, n->text, list, near);
    else
        sf_v_error(v, n, "%s: '%s' is not one of %s", what, n->text, list);
    return false;
}

/* ---- references -------------------------------------------------------- */

static const char *name_at(const void *base, size_t stride, size_t i)
{
    return *(const char *const *)((const char *)base + i * stride);
}

static int cmp_names(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static struct sf_name_index *name_index(sf_vctx *v, const void *base, size_t count, size_t stride)
{
    struct sf_name_index *ix;
    for (size_t i = 0; i < SF_V_INDEXES; i++)
        if (v->index[i].base == base && v->index[i].count == count && v->index[i].stride == stride)
            return &v->index[i];
    memmove(&v->index[1], &v->index[0], (SF_V_INDEXES - 1) * sizeof v->index[0]);
    ix = &v->index[0];
    memset(ix, 0, sizeof *ix);
    if (!(ix->order = sf_v_alloc(v, count, sizeof *ix->order)))
        return NULL;
    for (size_t i = 0; i < count; i++) {
        const char *n = name_at(base, stride, i);
        ix->order[i].name = n ? n : "";
        ix->order[i].i = i;
    }
    qsort(ix->order, count, sizeof *ix->order, cmp_names);
    ix->base = base;
    ix->count = count;
    ix->stride = stride;
    return ix;
}

int sf_v_find(sf_vctx *v, const char *name, const void *base, size_t count, size_t stride)
{
    struct sf_name_index *ix;
    size_t lo = 0, hi;

    if (count < 8) {
        for (size_t i = 0; i < count; i++)
            if (name_at(base, stride, i) && strcmp(name_at(base, stride, i), name) == 0)
                return (int)i;
        return -1;
    }
    if (!(ix = name_index(v, base, count, stride)))
        return -1;
    hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->order[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && strcmp(ix->order[lo].name, name) == 0 ? (int)ix->order[lo].i : -1;
}

int sf_v_ref(sf_vctx *v, const sf_ynode *n, const char *kind, const void *base, size_t count, size_t stride)
{
    char list[600];
    size_t used = 0;
    int i;

    if (!n)
        return -1;
    if (!sf_v_scalar(v, n, kind, "a name"))
        return -1;
    if ((i = sf_v_find(v, n->text, base, count, stride)) >= 0)
        return i;
    list[0] = '\0';
    for (size_t k = 0; k < count && used < sizeof list; k++) {
        if (k == 16) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                                 *(const char *const *)((const char *)base + k * stride));
    }
    if (count)
        sf_v_error(v, n, "%s '%s' is not defined; defined: %s", kind, n->text, list);
    else
        sf_v_error(v, n, "%s '%s' is not defined; none are defined", kind, n->text);
    return -1;
}
