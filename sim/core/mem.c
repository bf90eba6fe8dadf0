#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static uint64_t count;     /* allocations asked for so far */
static uint64_t fail_when; /* the allocation that fails (0: none) */
static bool fail_after;    /* and every one after it */
static bool injected;

/* Count one allocation; true when it is to fail. */
static bool refuse(void)
{
    ++count;
    if (!fail_when || count < fail_when || (count > fail_when && !fail_after))
        return false;
    injected = true;
    return true;
}

void *sf_malloc(size_t n)
{
    return refuse() ? NULL : malloc(n ? n : 1);
}

void *sf_calloc(size_t count_, size_t size)
{
    return refuse() ? NULL : calloc(count_ ? count_ : 1, size ? size : 1);
}

void *sf_realloc(void *p, size_t n)
{
    return refuse() ? NULL : realloc(p, n ? n : 1);
}

void *sf_memdup(const void *p, size_t n)
{
    void *c = sf_malloc(n);

    if (c && n)
        memcpy(c, p, n);
    return c;
}

char *sf_strdup(const char *s)
{
    return sf_memdup(s, strlen(s) + 1);
}

int sf_grow_(void *pv, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 8;
    void *v;

    while (n < need) {
        if (n > SIZE_MAX / 2)
            return SF_ENOMEM;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return SF_ENOMEM;
    /* The array's pointer is read and written as bytes: pv points to a T*, not a void*. */
    memcpy(&v, pv, sizeof v);
    if (!(v = sf_realloc(v, n * elem)))
        return SF_ENOMEM;
    memcpy(pv, &v, sizeof v);
    *cap = n;
    return SF_OK;
}

void *sf_parts_alloc(const sf_part *parts, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    size_t total = 0;
    char *block;

    for (size_t i = 0; i < n; i++) {
        if (total > SIZE_MAX / 4 || (parts[i].size && parts[i].count > (SIZE_MAX / 4 - total) / parts[i].size))
            return NULL;
        total = (total + parts[i].count * parts[i].size + align - 1) / align * align;
    }
    if (!(block = sf_calloc(1, total ? total : 1)))
        return NULL;
    total = 0;
    for (size_t i = 0; i < n; i++) {
        void *v = block + total;

        /* Written as bytes, as in sf_grow_: parts[i].at points to a T*, not a void*. */
        memcpy(parts[i].at, &v, sizeof v);
        total = (total + parts[i].count * parts[i].size + align - 1) / align * align;
    }
    return block;
}

void sf_mem_fail_at(uint64_t k)
{
    fail_when = k ? count + k : 0;
    fail_after = false;
    injected = false;
}

void sf_mem_fail_from(uint64_t k)
{
    sf_mem_fail_at(k);
    fail_after = k > 0;
}

uint64_t sf_mem_count(void)
{
    return count;
}

bool sf_mem_injected(void)
{
    return injected;
}
