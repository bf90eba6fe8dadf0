/*
 * data.c: reading measured data (data.h) from CSV files.
 */
#include "input/data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

enum { MAX_FIELDS = 64, MAX_LINE = 4096 };

typedef struct row {
    char buf[MAX_LINE];
    char *f[MAX_FIELDS];
    size_t n;
} row;

/* Split `line` into fields at commas outside double quotes ("" is a quote); false when a quote is left open. */
static bool split(const char *line, row *r)
{
    char *out = r->buf;
    const char *p = line;
    r->n = 0;
    for (;;) {
        bool quoted = false;
        if (r->n == MAX_FIELDS)
            return true;
        r->f[r->n++] = out;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            quoted = true;
            p++;
        }
        for (; *p; p++) {
            if (quoted && *p == '"' && p[1] == '"') {
                *out++ = '"';
                p++;
            } else if (quoted && *p == '"') {
                quoted = false;
            } else if (!quoted && *p == ',') {
                break;
            } else {
                *out++ = *p;
            }
        }
        if (quoted)
            return false;
        while (out > r->f[r->n - 1] && (out[-1] == ' ' || out[-1] == '\t'))
            out--;
        *out++ = '\0';
        if (*p != ',')
            return true;
        p++;
    }
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(*out);
}

/* Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* A stamp: a number (times factor), "HH:MM[:SS[.f]]" or "YYYY-MM-DD[ T]HH:MM[:SS[.f]]", in seconds. */
static bool parse_stamp(const char *s, double factor, double *out)
{
    int y, mo, d, h, mi, used = 0;
    double sec = 0;
    long days = 0;
    if (parse_number(s, out)) {
        *out *= factor;
        return true;
    }
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 && (s[used] == ' ' || s[used] == 'T')) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31)
            return false;
        days = days_from_civil(y, mo, d);
        s += used + 1;
    }
    used = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &mi, &used) != 2 || h < 0 || h > 24 || mi < 0 || mi > 59)
        return false;
    if (s[used] == ':') {
        char *end;
        sec = strtod(s + used + 1, &end);
        if (end == s + used + 1 || *end || !(sec >= 0 && sec < 61))
            return false;
    } else if (s[used]) {
        return false;
    }
    *out = (double)days * 86400 + h * 3600.0 + mi * 60.0 + sec;
    return true;
}

static int fail(char *err, size_t errlen, const char *path, size_t line, size_t col, int rc, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int fail(char *err, size_t errlen, const char *path, size_t line, size_t col, int rc, const char *fmt, ...)
{
    va_list ap;
    int used = snprintf(err, errlen, "%s:%zu:%zu: ", path, line, col);
    va_start(ap, fmt);
    if (used > 0 && (size_t)used < errlen)
        vsnprintf(err + used, errlen - (size_t)used, fmt, ap);
    va_end(ap);
    return rc;
}

static int push(double **v, size_t *n, size_t *cap, double x)
{
    if (sf_grow(*v, *cap, *n + 1) != SF_OK)
        return SF_ENOMEM;
    (*v)[(*n)++] = x;
    return SF_OK;
}

/* The series named `name`, added when new; NULL when out of memory. */
static sf_data_series *series(sf_data *d, size_t *cap, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->s[i].name, name))
            return &d->s[i];
    if (sf_grow(d->s, *cap, d->n + 1) != SF_OK)
        return NULL;
    memset(&d->s[d->n], 0, sizeof d->s[0]);
    if (!(d->s[d->n].name = sf_strdup(name)))
        return NULL;
    return &d->s[d->n++];
}

static long find_column(const row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->f[i], name))
            return (long)i;
    return -1;
}

/* Per machine: failures state while reading (the last up stamp). */
typedef struct machine_state {
    double last_up;
    size_t cap_x, cap_t;
    bool seen;
} machine_state;

int sf_data_read(const char *path, sf_data_kind kind, const char *column, double factor, sf_data *d, char *err,
                 size_t errlen)
{
    static row header, r;
    char line[MAX_LINE + 2];
    FILE *f = fopen(path, "r");
    size_t lineno = 0, cap_s = 0, cap_x = 0, cap_at = 0, rows = 0;
    long col = -1, c_machine = -1, c_down = -1, c_up = -1;
    bool have_header = false;
    machine_state *ms = NULL;
    size_t cap_ms = 0;
    sf_data_series *one = NULL;
    int rc = SF_OK;
    double prev = 0;

    memset(d, 0, sizeof *d);
    if (!f)
    {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return SF_EIO;
    }
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        lineno++;
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = fail(err, errlen, path, lineno, 1, SF_EPARSE, "line longer than %d characters", MAX_LINE);
            goto out;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
            memmove(line, line + 3, len - 2); /* a byte-order mark, as spreadsheets write */
        if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
            continue;
        if (!split(line, have_header ? &r : &header)) {
            rc = fail(err, errlen, path, lineno, 1, SF_EPARSE, "a quote is not closed on this line");
            goto out;
        }
        if (!have_header) {
            have_header = true;
            if (kind == SF_DATA_FAILURES) {
                c_machine = find_column(&header, "machine");
                c_down = find_column(&header, "down");
                c_up = find_column(&header, "up");
                if (c_machine < 0 || c_down < 0 || c_up < 0) {
                    rc = fail(err, errlen, path, lineno, 1, SF_EPARSE,
                              "a failure log needs the columns machine, down, up (one stoppage a row)");
                    goto out;
                }
            } else if (column) {
                if ((col = find_column(&header, column)) < 0) {
                    rc = fail(err, errlen, path, lineno, 1, SF_EPARSE, "no column '%s' (the header has %zu column%s: '%s'%s)",
                              column, header.n, header.n == 1 ? "" : "s", header.f[0], header.n > 1 ? ", ..." : "");
                    goto out;
                }
            } else if (header.n == 1) {
                col = 0;
            }
            continue;
        }
        if (kind == SF_DATA_FAILURES) {
            double down, up;
            sf_data_series *s;
            machine_state *m;
            size_t need = (size_t)(c_machine > c_down ? c_machine : c_down);
            need = (size_t)c_up > need ? (size_t)c_up : need;
            if (r.n <= need) {
                rc = fail(err, errlen, path, lineno, r.n + 1, SF_EPARSE, "missing field: the row has %zu of %zu columns",
                          r.n, need + 1);
                goto out;
            }
            if (!r.f[c_machine][0]) {
                rc = fail(err, errlen, path, lineno, (size_t)c_machine + 1, SF_EPARSE, "empty machine name");
                goto out;
            }
            if (!parse_stamp(r.f[c_down], factor, &down) || !parse_stamp(r.f[c_up], factor, &up)) {
                long c = parse_stamp(r.f[c_down], factor, &down) ? c_up : c_down;
                rc = fail(err, errlen, path, lineno, (size_t)c + 1, SF_EPARSE,
                          "expected a time stamp (a number, HH:MM:SS or YYYY-MM-DD HH:MM:SS), got '%s'", r.f[c]);
                goto out;
            }
            if (!(up > down)) {
                rc = fail(err, errlen, path, lineno, (size_t)c_up + 1, SF_EPARSE,
                          "the machine comes up (%s) no later than it went down (%s)", r.f[c_up], r.f[c_down]);
                goto out;
            }
            size_t before = d->n;
            if (!(s = series(d, &cap_s, r.f[c_machine])) || sf_grow(ms, cap_ms, d->n) != SF_OK) {
                rc = SF_ENOMEM;
                goto out;
            }
            if (d->n > before)
                memset(&ms[d->n - 1], 0, sizeof ms[0]);
            m = &ms[s - d->s];
            if (m->seen && !(down >= m->last_up)) {
                rc = fail(err, errlen, path, lineno, (size_t)c_down + 1, SF_EPARSE,
                          "%s goes down (%s) before it came up from its last stoppage: sort the log by time per machine",
                          s->name, r.f[c_down]);
                goto out;
            }
            if ((m->seen && push(&s->x, &s->n, &m->cap_x, down - m->last_up) != SF_OK) ||
                push(&s->ttr, &s->n_ttr, &m->cap_t, up - down) != SF_OK) {
                rc = SF_ENOMEM;
                goto out;
            }
            m->seen = true;
            m->last_up = up;
            rows++;
            continue;
        }
        if (col < 0) { /* the first column whose first value reads as a number */
            for (size_t i = 0; i < r.n && col < 0; i++) {
                double v;
                if (kind == SF_DATA_TIMESTAMPS ? parse_stamp(r.f[i], factor, &v) : parse_number(r.f[i], &v))
                    col = (long)i;
            }
            if (col < 0) {
                rc = fail(err, errlen, path, lineno, 1, SF_EPARSE, "no column of %s here: name one with --column",
                          kind == SF_DATA_TIMESTAMPS ? "time stamps" : "numbers");
                goto out;
            }
        }
        if (!one) {
            if (!(one = series(d, &cap_s, header.f[col]))) {
                rc = SF_ENOMEM;
                goto out;
            }
        }
        if ((size_t)col >= r.n || !r.f[col][0]) {
            rc = fail(err, errlen, path, lineno, (size_t)col + 1, SF_EPARSE, "empty field where a %s belongs",
                      kind == SF_DATA_TIMESTAMPS ? "time stamp" : "number");
            goto out;
        }
        if (kind == SF_DATA_TIMESTAMPS) {
            double t;
            if (!parse_stamp(r.f[col], factor, &t)) {
                rc = fail(err, errlen, path, lineno, (size_t)col + 1, SF_EPARSE,
                          "expected a time stamp (a number, HH:MM:SS or YYYY-MM-DD HH:MM:SS), got '%s'", r.f[col]);
                goto out;
            }
            if (rows > 0 && !(t > prev)) {
                rc = fail(err, errlen, path, lineno, (size_t)col + 1, SF_EPARSE,
                          "time stamp '%s' is %s the one before: stamps must rise (sort the file; two arrivals at "
                          "one instant are a batch, which an inter-arrival time cannot describe)",
                          r.f[col], t == prev ? "equal to" : "earlier than");
                goto out;
            }
            if (push(&one->at, &rows, &cap_at, t) != SF_OK) {
                rc = SF_ENOMEM;
                goto out;
            }
            if (rows > 1 && push(&one->x, &one->n, &cap_x, t - prev) != SF_OK) {
                rc = SF_ENOMEM;
                goto out;
            }
            prev = t;
            continue;
        }
        double v;
        if (!parse_number(r.f[col], &v)) {
            rc = fail(err, errlen, path, lineno, (size_t)col + 1, SF_EPARSE, "expected a number, got '%s'", r.f[col]);
            goto out;
        }
        if (!(v > 0)) {
            rc = fail(err, errlen, path, lineno, (size_t)col + 1, SF_EPARSE,
                      "a duration must be above 0, got %s (a %s time is a missing or a wrong measurement)", r.f[col],
                      v == 0 ? "zero" : "negative");
            goto out;
        }
        if (push(&one->x, &one->n, &cap_x, v * factor) != SF_OK) {
            rc = SF_ENOMEM;
            goto out;
        }
        rows++;
    }
    if (ferror(f)) {
        rc = fail(err, errlen, path, lineno, 1, SF_EIO, "read error");
        goto out;
    }
    if (!have_header || rows == 0) {
        rc = fail(err, errlen, path, lineno ? lineno : 1, 1, SF_EPARSE,
                  "%s: the file needs a header row naming the columns and then one value a row",
                  have_header ? "no data rows" : "empty file");
        goto out;
    }
    if (kind == SF_DATA_TIMESTAMPS)
        for (size_t i = rows; i-- > 0;)
            one->at[i] -= one->at[0];
out:
    free(ms);
    fclose(f);
    return rc;
}

void sf_data_free(sf_data *d)
{
    for (sf_data_series *s = d->s; s < d->s + d->n; s++) {
        double *owned[] = {s->x, s->ttr, s->at};
        for (size_t k = 0; k < sizeof owned / sizeof owned[0]; k++)
            free(owned[k]);
        free(s->name);
    }
    free(d->s);
    memset(d, 0, sizeof *d);
}

double sf_data_laplace_trend(const double *t, size_t n, double *p)
{
    double T = t[n], s = 0, u;
    size_t k = n - 1;
    if (k < 1 || !(T > 0)) {
        *p = NAN;
        return NAN;
    }
    for (size_t i = 1; i < n; i++)
        s += t[i];
    u = (s / (double)k - T / 2) / (T * sqrt(1 / (12.0 * (double)k)));
    *p = erfc(fabs(u) / sqrt(2.0));
    return u;
}
