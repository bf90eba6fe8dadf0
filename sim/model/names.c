#include "model/names.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/mem.h"

void sf_names_init(sf_names *t)
{
    memset(t, 0, sizeof *t);
}

void sf_names_close(sf_names *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].name);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static struct sf_name_slot *probe(const sf_names *t, const char *name)
{
    size_t mask = t->cap - 1, i = (size_t)sf_hash_string(name) & mask;

    while (t->slots[i].name && strcmp(t->slots[i].name, name) != 0)
        i = (i + 1) & mask;
    return &t->slots[i];
}

static int grow(sf_names *t)
{
    sf_names bigger = {0};

    bigger.cap = t->cap ? t->cap * 2 : 64;
    if (!(bigger.slots = sf_calloc(bigger.cap, sizeof *bigger.slots)))
        return SF_ENOMEM;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].name)
            *probe(&bigger, t->slots[i].name) = t->slots[i];
    bigger.count = t->count;
    free(t->slots);
    *t = bigger;
    return SF_OK;
}

int sf_names_add(sf_names *t, const char *name, uint32_t id)
{
    struct sf_name_slot *s;
    char *copy;
    int rc;

    /* keep the load factor at or below one half */
    if ((t->count + 1) * 2 > t->cap && (rc = grow(t)) != SF_OK)
        return rc;
    s = probe(t, name);
    if (s->name)
        return SF_EINVAL;
    if (!(copy = sf_malloc(strlen(name) + 1)))
        return SF_ENOMEM;
    strcpy(copy, name);
    s->name = copy;
    s->id = id;
    t->count++;
    return SF_OK;
}

int sf_names_find(const sf_names *t, const char *name, uint32_t *id)
{
    const struct sf_name_slot *s;

    if (t->cap == 0)
        return SF_ENOTFOUND;
    s = probe(t, name);
    if (!s->name)
        return SF_ENOTFOUND;
    *id = s->id;
    return SF_OK;
}
