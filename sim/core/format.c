/*
 * format.c: numbers and fields of the data files (format.h).
 */
#include "core/format.h"

#include <stdarg.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * A figure that is a short decimal (528.5, 0.1, 2.2) reads back exactly
 * from 15 significant digits, since every decimal of up to 15 digits is
 * a distinct double (DBL_DIG); a sum or a quotient with noise in its last
 * bits needs 16 or 17, and 17 always suffice. The first candidate that
 * reads back is final, more digits being never shorter, except in one
 * case: %g switches to exponent form at 10^precision, so 15 or 16 digits
 * may give "1.234567890123456e+16" where 17 give "12345678901234560";
 * after a positive exponent the higher precisions are tried too and the
 * shortest kept. At most three snprintf and strtod calls.
 */
char *sf_format_double(double v, char buf[SF_FORMAT_DOUBLE_SIZE])
{
    char cand[SF_FORMAT_DOUBLE_SIZE];
    size_t best = 0;

    if (!isfinite(v)) {
        snprintf(buf, SF_FORMAT_DOUBLE_SIZE, "%g", v);
        return buf;
    }
    for (int digits = 15; digits <= 17; digits++) {
        size_t len = (size_t)snprintf(cand, sizeof cand, "%.*g", digits, v);
        if (strtod(cand, NULL) != v)
            continue;
        if (best == 0 || len < best) {
            memcpy(buf, cand, len + 1);
            best = len;
        }
        if (!strstr(cand, "e+"))
            break;
    }
    return buf;
}

void sf_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

void sf_csv_num(FILE *f, double v)
{
    char buf[SF_FORMAT_DOUBLE_SIZE];

    if (isfinite(v))
        fputs(sf_format_double(v, buf), f);
}

void sf_json_string(FILE *f, const char *s)
{
    putc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
}

void sf_json_num(FILE *f, double v)
{
    char buf[SF_FORMAT_DOUBLE_SIZE];

    fputs(isfinite(v) ? sf_format_double(v, buf) : "null", f);
}

void sf_csv_row(FILE *f, const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    for (const char *t = types; *t; t++) {
        if (t != types)
            putc(',', f);
        if (*t == 's')
            sf_csv_field(f, va_arg(ap, const char *));
        else if (*t == 'n')
            sf_csv_num(f, va_arg(ap, double));
        else
            fprintf(f, "%zu", va_arg(ap, size_t));
    }
    va_end(ap);
    putc('\n', f);
}

const char *sf_name_problem(const char *name)
{
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 32 || *c == 127)
            return "must not hold control characters (a tab, a new line, a terminal escape)";
    if (*name == '=' || *name == '+' || *name == '-' || *name == '@')
        return "must not begin with '=', '+', '-' or '@' (a spreadsheet would run it as a formula)";
    return NULL;
}
