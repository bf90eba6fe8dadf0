/*
 * sweep_internal.h: what sweep.c and sweep_grid.c share.
 */
#ifndef SF_EXPERIMENT_SWEEP_INTERNAL_H
#define SF_EXPERIMENT_SWEEP_INTERNAL_H

#include <stddef.h>

struct sf_sweep_failure {
    size_t run;
    char *reason;
};

/* Write a message into err (n bytes), printf-style. */
void sf__sweep_say(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

struct sf_sweep;
/* OUT/report.html from the stored runs (sweep_report.c). SF_OK, SF_EIO or SF_ENOMEM. */
int sf__sweep_report(const struct sf_sweep *sw);

#endif
