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
#include "core/format.h"
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
    for (char *c = err; errlen && *c; c++) /* a field quoted from the file prints no control character */
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
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
    for (char *c = d->s[d->n].name; *c; c++) /* a column's name is printed: no control character reaches a terminal */
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
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

/* A file being read: where, what kind, the columns found, and what has been read so far. */
struct reader {
    const char *path;
    sf_data_kind kind;
    double factor;
    sf_data *d;
    char *err;
    size_t errlen;
    size_t lineno, cap_s, cap_x, cap_at, rows;
    long col, c_machine, c_down, c_up;
    row header, r;
    machine_state *ms;
    size_t cap_ms;
    sf_data_series *one;
    double prev;
};

#define FAIL(rd, col, ...) fail((rd)->err, (rd)->errlen, (rd)->path, (rd)->lineno, (col), SF_EPARSE, __VA_ARGS__)

/* The header row: the columns a failure log needs, or the column named with --column. */
static int header_row(struct reader *rd, const char *column)
{
    const row *h = &rd->header;

    if (rd->kind == SF_DATA_FAILURES) {
        rd->c_machine = find_column(h, "machine");
        rd->c_down = find_column(h, "down");
        rd->c_up = find_column(h, "up");
        if (rd->c_machine < 0 || rd->c_down < 0 || rd->c_up < 0)
            return FAIL(rd, 1, "a failure log needs the columns machine, down, up (one stoppage a row)");
    } else if (column) {
        if ((rd->col = find_column(h, column)) < 0)
            return FAIL(rd, 1, "no column '%s' (the header has %zu column%s: '%s'%s)", column, h->n,
                        h->n == 1 ? "" : "s", h->f[0], h->n > 1 ? ", ..." : "");
    } else if (h->n == 1) {
        rd->col = 0;
    }
    return SF_OK;
}

/* One stoppage of a failure log: the time between failures since the machine's last repair, and the time to repair. */
static int failure_row(struct reader *rd)
{
    const row *r = &rd->r;
    sf_data *d = rd->d;
    double down, up;
    sf_data_series *s;
    machine_state *m;
    size_t need = (size_t)(rd->c_machine > rd->c_down ? rd->c_machine : rd->c_down), before = d->n;

    need = (size_t)rd->c_up > need ? (size_t)rd->c_up : need;
    if (r->n <= need)
        return FAIL(rd, r->n + 1, "missing field: the row has %zu of %zu columns", r->n, need + 1);
    if (!r->f[rd->c_machine][0])
        return FAIL(rd, (size_t)rd->c_machine + 1, "empty machine name");
    if (sf_name_problem(r->f[rd->c_machine])) /* it is printed as a scenario name */
        return FAIL(rd, (size_t)rd->c_machine + 1, "machine name '%s': %s", r->f[rd->c_machine],
                    sf_name_problem(r->f[rd->c_machine]));
    if (!parse_stamp(r->f[rd->c_down], rd->factor, &down) || !parse_stamp(r->f[rd->c_up], rd->factor, &up)) {
        long c = parse_stamp(r->f[rd->c_down], rd->factor, &down) ? rd->c_up : rd->c_down;
        return FAIL(rd, (size_t)c + 1, "expected a time stamp (a number, HH:MM:SS or YYYY-MM-DD HH:MM:SS), got '%s'",
                    r->f[c]);
    }
    if (!(up > down))
        return FAIL(rd, (size_t)rd->c_up + 1, "the machine comes up (%s) no later than it went down (%s)",
                    r->f[rd->c_up], r->f[rd->c_down]);
    if (!(s = series(d, &rd->cap_s, r->f[rd->c_machine])) || sf_grow(rd->ms, rd->cap_ms, d->n) != SF_OK)
        return SF_ENOMEM;
    if (d->n > before)
        memset(&rd->ms[d->n - 1], 0, sizeof rd->ms[0]);
    m = &rd->ms[s - d->s];
    if (m->seen && !(down >= m->last_up))
        return FAIL(rd, (size_t)rd->c_down + 1,
                    "%s goes down (%s) before it came up from its last stoppage: sort the log by time per machine",
                    s->name, r->f[rd->c_down]);
    if ((m->seen && push(&s->x, &s->n, &m->cap_x, down - m->last_up) != SF_OK) ||
        push(&s->ttr, &s->n_ttr, &m->cap_t, up - down) != SF_OK)
        return SF_ENOMEM;
    m->seen = true;
    m->last_up = up;
    rd->rows++;
    return SF_OK;
}

/* One time stamp: stamps must rise; the gap since the one before is an inter-arrival time. */
static int stamp_row(struct reader *rd, const char *field)
{
    double t;

    if (!parse_stamp(field, rd->factor, &t))
        return FAIL(rd, (size_t)rd->col + 1,
                    "expected a time stamp (a number, HH:MM:SS or YYYY-MM-DD HH:MM:SS), got '%s'", field);
    if (rd->rows > 0 && !(t > rd->prev))
        return FAIL(rd, (size_t)rd->col + 1,
                    "time stamp '%s' is %s the one before: stamps must rise (sort the file; two arrivals at "
                    "one instant are a batch, which an inter-arrival time cannot describe)",
                    field, t == rd->prev ? "equal to" : "earlier than");
    if (push(&rd->one->at, &rd->rows, &rd->cap_at, t) != SF_OK ||
        (rd->rows > 1 && push(&rd->one->x, &rd->one->n, &rd->cap_x, t - rd->prev) != SF_OK))
        return SF_ENOMEM;
    rd->prev = t;
    return SF_OK;
}

/* One row of a single column: a time stamp, or a duration above 0. */
static int value_row(struct reader *rd)
{
    const row *r = &rd->r;
    double v;

    if (rd->col < 0) { /* the first column whose first value reads as a number */
        for (size_t i = 0; i < r->n && rd->col < 0; i++)
            if (rd->kind == SF_DATA_TIMESTAMPS ? parse_stamp(r->f[i], rd->factor, &v) : parse_number(r->f[i], &v))
                rd->col = (long)i;
        if (rd->col < 0)
            return FAIL(rd, 1, "no column of %s here: name one with --column",
                        rd->kind == SF_DATA_TIMESTAMPS ? "time stamps" : "numbers");
    }
    if (!rd->one && !(rd->one = series(rd->d, &rd->cap_s, rd->header.f[rd->col])))
        return SF_ENOMEM;
    if ((size_t)rd->col >= r->n || !r->f[rd->col][0])
        return FAIL(rd, (size_t)rd->col + 1, "empty field where a %s belongs",
                    rd->kind == SF_DATA_TIMESTAMPS ? "time stamp" : "number");
    if (rd->kind == SF_DATA_TIMESTAMPS)
        return stamp_row(rd, r->f[rd->col]);
    if (!parse_number(r->f[rd->col], &v))
        return FAIL(rd, (size_t)rd->col + 1, "expected a number, got '%s'", r->f[rd->col]);
    if (!(v > 0))
        return FAIL(rd, (size_t)rd->col + 1, "a duration must be above 0, got %s (a %s time is a missing or a wrong measurement)",
                    r->f[rd->col], v == 0 ? "zero" : "negative");
    if (push(&rd->one->x, &rd->one->n, &rd->cap_x, v * rd->factor) != SF_OK)
        return SF_ENOMEM;
    rd->rows++;
    return SF_OK;
}

/* Read the next line into `line` without its end; SF_OK, 1 at the end of the file, or an error. */
static int next_line(struct reader *rd, FILE *f, char *line, size_t size)
{
    size_t len;

    if (!fgets(line, (int)size, f))
        return 1;
    len = strlen(line);
    rd->lineno++;
    if (len == size - 1 && line[len - 1] != '\n')
        return fail(rd->err, rd->errlen, rd->path, rd->lineno, 1, SF_EPARSE, "line longer than %d characters", MAX_LINE);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (rd->lineno == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
        (unsigned char)line[2] == 0xBF)
        memmove(line, line + 3, len - 2); /* a byte-order mark, as spreadsheets write */
    return SF_OK;
}

int sf_data_read(const char *path, sf_data_kind kind, const char *column, double factor, sf_data *d, char *err,
                 size_t errlen)
{
    char line[MAX_LINE + 2];
    FILE *f = fopen(path, "r");
    struct reader *rd = SF_NEW(struct reader, .path = path, .kind = kind, .factor = factor, .d = d, .err = err,
                               .errlen = errlen, .col = -1, .c_machine = -1, .c_down = -1, .c_up = -1);
    bool have_header = false;
    int rc = SF_OK;

    memset(d, 0, sizeof *d);
    if (!f || !rd) {
        if (f)
            fclose(f);
        free(rd);
        if (f)
            return SF_ENOMEM;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return SF_EIO;
    }
    while ((rc = next_line(rd, f, line, sizeof line)) == SF_OK) {
        if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
            continue;
        if (!split(line, have_header ? &rd->r : &rd->header))
            rc = FAIL(rd, 1, "a quote is not closed on this line");
        else if (!have_header)
            rc = header_row(rd, column);
        else
            rc = kind == SF_DATA_FAILURES ? failure_row(rd) : value_row(rd);
        have_header = true;
        if (rc != SF_OK)
            break;
    }
    if (rc == 1) { /* the end of the file */
        rc = SF_OK;
        if (ferror(f))
            rc = fail(err, errlen, path, rd->lineno, 1, SF_EIO, "read error");
        else if (!have_header || rd->rows == 0)
            rc = fail(err, errlen, path, rd->lineno ? rd->lineno : 1, 1, SF_EPARSE,
                      "%s: the file needs a header row naming the columns and then one value a row",
                      have_header ? "no data rows" : "empty file");
        else if (kind == SF_DATA_TIMESTAMPS)
            for (size_t i = rd->rows; i-- > 0;)
                rd->one->at[i] -= rd->one->at[0];
    }
    free(rd->ms);
    free(rd);
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
