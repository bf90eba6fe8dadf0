/*
 * diag.c: the list of problems found in a scenario.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diag.h"
#include "core/error.h"
#include "core/mem.h"

void sf_diags_init(sf_diags *d)
{
    memset(d, 0, sizeof *d);
}

void sf_diags_close(sf_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].message);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

void sf_diags_add(sf_diags *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    sf_diag *e;

    if (d->n >= SF_DIAGS_MAX) {
        d->dropped++;
        return;
    }
    if (sf_grow(d->v, d->cap, d->n + 1) != SF_OK) {
        d->dropped++;
        d->lost++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e = &d->v[d->n];
    e->file = sf_strdup(file ? file : "<input>");
    e->message = sf_strdup(buf);
    e->line = line;
    e->col = col;
    if (!e->file || !e->message) {
        free(e->file);
        free(e->message);
        d->dropped++;
        d->lost++;
        return;
    }
    d->n++;
}

size_t sf_diags_count(const sf_diags *d)
{
    return d->n + d->dropped;
}

int sf_diags_format(const sf_diags *d, size_t i, char *buf, size_t n)
{
    const sf_diag *e = &d->v[i];
    if (e->line <= 0)
        return snprintf(buf, n, "%s: %s", e->file, e->message);
    return snprintf(buf, n, "%s:%d:%d: %s", e->file, e->line, e->col, e->message);
}

/* Insertion sort keeps equal places in the order found; lists are short. */
void sf_diags_sort(sf_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        sf_diag x = d->v[i];
        size_t j = i;
        while (j > 0) {
            const sf_diag *p = &d->v[j - 1];
            int c = strcmp(p->file, x.file);
            if (c < 0 || (c == 0 && (p->line < x.line || (p->line == x.line && p->col <= x.col))))
                break;
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = x;
    }
}

void sf_diags_print(const sf_diags *d, FILE *out)
{
    char buf[1400];
    for (size_t i = 0; i < d->n; i++) {
        sf_diags_format(d, i, buf, sizeof buf);
        fprintf(out, "%s\n", buf);
    }
    if (d->lost)
        fprintf(out, "(%zu more problems not shown: out of memory)\n", d->dropped);
    else if (d->dropped)
        fprintf(out, "(%zu more problems not shown)\n", d->dropped);
}
