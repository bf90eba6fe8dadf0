/*
 * diag.h: the problems found in a scenario, each with its place.
 *
 * Every layer of the loader adds to one list instead of stopping at the
 * first problem, so a planner sees all of them in one run. A problem is
 * printed as `file:line:col: message` with 1-based line and column; a
 * problem without a place (a file that cannot be opened) has line 0 and
 * prints as `file: message`.
 */
#ifndef SF_SCENARIO_DIAG_H
#define SF_SCENARIO_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* At most this many problems are kept; the rest are counted in `dropped`. */
#define SF_DIAGS_MAX 200

typedef struct sf_diag {
    char *file;    /* owned */
    int line, col; /* 1-based; 0 when the problem has no place in a file */
    char *message; /* owned, without the place */
} sf_diag;

typedef struct sf_diags {
    sf_diag *v;
    size_t n, cap;
    size_t dropped; /* problems past SF_DIAGS_MAX, or lost to a failed allocation */
    size_t lost;    /* of those, lost to a failed allocation */
} sf_diags;

void sf_diags_init(sf_diags *d);
void sf_diags_close(sf_diags *d);

/* Add a problem. `file` may be NULL (printed as "<input>"). Never fails: a lost message is counted. */
void sf_diags_add(sf_diags *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Total problems seen, kept or dropped. */
size_t sf_diags_count(const sf_diags *d);

/* Format problem i as "file:line:col: message" into buf (snprintf semantics). */
int sf_diags_format(const sf_diags *d, size_t i, char *buf, size_t n);

/* Order the problems by file, line and column (stable), for reading. */
void sf_diags_sort(sf_diags *d);

/* Print every problem, one a line, and a count of dropped ones. */
void sf_diags_print(const sf_diags *d, FILE *out);

#endif
