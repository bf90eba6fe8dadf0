/*
 * schema.h: reading the YAML tree into config values, one checked field
 * at a time (internal to sim/scenario).
 *
 * Each section reader (layout.c, fleet.c, plan.c, site.c) describes the
 * keys a mapping may hold and reads each field with the helpers below.
 * A helper that finds a problem adds it to the list with the node's
 * place and carries on with a default, so one pass reports everything.
 * Scalars are read by what the field expects: a name is text even when
 * it reads `no` or `on`; a count is decimal even when it reads `0755`; a
 * switch accepts true/false, yes/no, on/off.
 */
#ifndef SF_SCENARIO_SCHEMA_H
#define SF_SCENARIO_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/units.h"
#include "model/config.h"
#include "scenario/diag.h"
#include "scenario/ytree.h"

/* All config memory, released at once. */
typedef struct sf_cfg_arena sf_cfg_arena;
sf_cfg_arena *sf_arena_new(void);
void sf_arena_free(sf_cfg_arena *a);

/* A sorted view of the names of one array, so each reference costs O(log n). */
struct sf_name_index {
    const void *base;
    size_t count, stride;
    struct sf_named_slot {
        const char *name;
        size_t i;
    } *order; /* names with their indices, sorted by name */
};

#define SF_V_INDEXES 16

typedef struct sf_vctx {
    sf_diags *d;
    sf_scenario_config *cfg;
    const sf_ynode *root; /* problems without a node of their own are placed here */
    sf_cfg_arena *arena;
    size_t errors; /* problems this validation added */
    bool oom;
    struct sf_name_index index[SF_V_INDEXES]; /* most recently built first */
} sf_vctx;

/* Zeroed memory from the arena (NULL only when out of memory, which sets v->oom). */
void *sf_v_alloc(sf_vctx *v, size_t n, size_t size);
const char *sf_v_strdup(sf_vctx *v, const char *s);

void sf_v_error(sf_vctx *v, const sf_ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sf_v_error_col(sf_vctx *v, const sf_ynode *at, int dcol, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An error at a place kept from the YAML (a check across sections, after the nodes are read). */
void sf_v_error_place(sf_vctx *v, sf_cfg_place at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A warning "file:line:col: warning: ..." at `at`, appended to the list *list of *n (a list of the config). */
void sf_v_warn_place(sf_vctx *v, const char ***list, size_t *n, sf_cfg_place at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
sf_cfg_place sf_v_place(sf_vctx *v, const sf_ynode *n);
/*
 * The start of reading a named entry from its name node: `what` gets its
 * label for messages ("KIND 'NAME'"), *name a copy of the name, *at its place.
 */
void sf_v_entry(sf_vctx *v, const sf_ynode *name_node, const char *kind, char *what, size_t n, const char **name,
                sf_cfg_place *at);

/*
 * Check that `n` is a mapping whose keys are all in the NULL-terminated
 * `keys`; report unknown keys with the nearest known one ("did you mean").
 * `what` names the mapping in messages ("fleet entry 'tugger'").
 */
bool sf_v_map(sf_vctx *v, const sf_ynode *n, const char *const *keys, const char *what);

/* The value of a key that must be there, else an error at the mapping. */
const sf_ynode *sf_v_need(sf_vctx *v, const sf_ynode *map, const char *key, const char *what);

/*
 * A named list: a list of mappings each with a `name`, or a mapping from
 * name to entry. Fills arrays of the entries and their name nodes;
 * reports entries without names and duplicate names. Returns the count
 * (0 for an absent or null node).
 */
size_t sf_v_named(sf_vctx *v, const sf_ynode *n, const char *what, const sf_ynode ***entries,
                  const sf_ynode ***names);

/* A list (a single value is not a list here); NULL for a wrong kind, which it reports. */
bool sf_v_list(sf_vctx *v, const sf_ynode *n, const char *what);

/* A scalar that is not null; else an error "WHAT: expected EXPECTED, got ..." and false. */
bool sf_v_scalar(sf_vctx *v, const sf_ynode *n, const char *what, const char *expected);
/* `count` words joined by ", " into buf (the first 16, then ", ..."), for messages. */
void sf_v_join(char *buf, size_t n, const char *const *words, size_t count);

/* Field readers: each takes the value node (NULL = absent: *out keeps its default). */
bool sf_v_string(sf_vctx *v, const sf_ynode *n, const char *what, const char **out);
bool sf_v_int(sf_vctx *v, const sf_ynode *n, const char *what, int64_t min, int64_t max, int *out);
bool sf_v_u64(sf_vctx *v, const sf_ynode *n, const char *what, uint64_t *out);
bool sf_v_bool(sf_vctx *v, const sf_ynode *n, const char *what, bool *out);
/* One of `names` (NULL-terminated); *out gets its index. */
bool sf_v_enum(sf_vctx *v, const sf_ynode *n, const char *what, const char *const *names, int *out);

/*
 * A quantity of dimension `dim` in SI units. A bare number is in the
 * field's default unit (see unit_default in quantity.c); the value must lie
 * in [min, max] (use -INFINITY/INFINITY for open ends, `min_open` to
 * exclude min itself).
 */
bool sf_v_qty(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, double min, double max, bool min_open,
              double *out);
/* An operation's `crew` mapping into op->crew, op->n_crew (fleet.c; also a failure's repair crew). */
struct sf_cfg_operation;
void sf_v_crew(sf_vctx *v, const sf_ynode *n, struct sf_cfg_operation *op);
/* A fraction: "12 %" or 0.12, within [0, 1]. */
bool sf_v_fraction(sf_vctx *v, const sf_ynode *n, const char *what, double *out);
/* A non-negative duration ("90 s", "2 min"; a bare number is seconds). */
bool sf_v_duration(sf_vctx *v, const sf_ynode *n, const char *what, sf_time *out);
/* A clock time "06:00", "6:30", "14:00:30" (up to 24:00). */
bool sf_v_clock(sf_vctx *v, const sf_ynode *n, const char *what, sf_time *out);
/* `days: [mon, tue]`, or daily, weekdays, weekends: bit 0 = Monday; absent = every day (plan.c). */
uint8_t sf_v_days(sf_vctx *v, const sf_ynode *n);
/* A point [x, y] in metres. */
bool sf_v_point(sf_vctx *v, const sf_ynode *n, const char *what, double *x, double *y);
/* A distribution of a quantity of dimension `dim` (see the grammar in quantity.c). */
bool sf_v_dist(sf_vctx *v, const sf_ynode *n, const char *what, sf_dim dim, sf_dist *out);

/*
 * A reference to a named entity: the index of `n`'s text among `count`
 * structs of `stride` bytes at `base` whose first member is the name.
 * Unknown names are reported with the list of defined ones; -1 then.
 */
int sf_v_ref(sf_vctx *v, const sf_ynode *n, const char *kind, const void *base, size_t count, size_t stride);
#define SF_V_REF(v, n, kind, arr, count) sf_v_ref((v), (n), (kind), (arr), (count), sizeof *(arr))

/*
 * The index of `name` in the same kind of array, or -1. The first
 * lookup into an array (or after it grew) sorts its names once, so a
 * scenario with n references into m names costs O((n + m) log m).
 */
int sf_v_find(sf_vctx *v, const char *name, const void *base, size_t count, size_t stride);

/* The known word nearest to `word` (edit distance at most 2, or a third of its length), or NULL. */
const char *sf_v_nearest(const char *word, const char *const *known, size_t n);

/* Section readers, in the order they run (later ones refer to earlier ones). */
void sf_v_scenario(sf_vctx *v, const sf_ynode *n);
void sf_v_layout(sf_vctx *v, const sf_ynode *n);
void sf_v_fleet(sf_vctx *v, const sf_ynode *n);
void sf_v_products(sf_vctx *v, const sf_ynode *n);
void sf_v_demand(sf_vctx *v, const sf_ynode *n);
void sf_v_shifts(sf_vctx *v, const sf_ynode *n);
void sf_v_failures(sf_vctx *v, const sf_ynode *n);
void sf_v_energy(sf_vctx *v, const sf_ynode *n);
void sf_v_safety(sf_vctx *v, const sf_ynode *n);
void sf_v_outputs(sf_vctx *v, const sf_ynode *n);
void sf_v_experiment(sf_vctx *v, const sf_ynode *n);
/* Checks across sections, once everything else is read without problems. */
void sf_v_model_checks(sf_vctx *v);
/* Collaborative robots where no camera watches: refused, or run fenced with a warning (site.c). */
void sf_v_safety_checks(sf_vctx *v);

#endif
