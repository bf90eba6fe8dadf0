/*
 * names.h: a name-to-index table (open addressing, FNV-1a, linear probing).
 *
 * The model names things (nodes, segments, stations) by strings in the
 * scenario and by integer ids everywhere else; this table is the one
 * place that maps the first to the second. Lookups cost O(1) expected.
 * Names are copied; ids are whatever the caller stores (usually the
 * index into its array).
 */
#ifndef SF_MODEL_NAMES_H
#define SF_MODEL_NAMES_H

#include <stddef.h>
#include <stdint.h>

typedef struct sf_names {
    struct sf_name_slot {
        char *name; /* NULL: empty slot */
        uint32_t id;
    } *slots;
    size_t cap, count; /* cap is a power of two or 0 */
} sf_names;

void sf_names_init(sf_names *t);
void sf_names_close(sf_names *t);

/* Add `name` -> `id`. SF_EINVAL when the name is already present, SF_ENOMEM. */
int sf_names_add(sf_names *t, const char *name, uint32_t id);

/* The id of `name`, or SF_ENOTFOUND. */
int sf_names_find(const sf_names *t, const char *name, uint32_t *id);

#endif
