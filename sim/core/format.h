/*
 * format.h: numbers and fields of the data files shopfloor writes.
 *
 *   sf_format_double   a double in its shortest round-trip form
 *   sf_csv_field       a CSV field, quoted as RFC 4180 asks
 *   sf_csv_num         a number in a CSV file, empty when not finite
 *   sf_csv_row         the rest of a CSV row, its fields typed by a string
 *   sf_json_string     a JSON string literal
 *   sf_json_num        a JSON number, null when not finite
 *
 * Every CSV and JSON file of every layer is written through these, so a
 * field is quoted one way and a number reads back as the same double
 * everywhere. They use only stdio: a layer as low as sim/metrics (the
 * trace) can reach them. Where the files go and how they are committed
 * is sim/report/outfile.h.
 */
#ifndef SF_CORE_FORMAT_H
#define SF_CORE_FORMAT_H

#include <stdio.h>

/* Room sf_format_double needs: "-2.2250738585072014e-308" and the NUL fit. */
#define SF_FORMAT_DOUBLE_SIZE 32

/*
 * The shortest of %.15g, %.16g and %.17g that strtod reads back as v,
 * into buf, which is returned: 528.5 stays "528.5", 0.1 is "0.1", 1/3 is
 * "0.3333333333333333". Never longer than %.17g. NaN and infinities
 * come out as %g writes them ("nan", "inf", "-inf").
 */
char *sf_format_double(double v, char buf[SF_FORMAT_DOUBLE_SIZE]);

/*
 * Why `name` cannot name a thing of the model, NULL when it can. Names
 * reach terminal tables, reports and CSV files: no control characters (an
 * escape sequence repaints a terminal), and no '=', '+', '-' or '@' first
 * (a spreadsheet opening the CSV file would run the name as a formula).
 */
const char *sf_name_problem(const char *name);

/* s as one CSV field: quoted when it holds a comma, a quote, CR or LF, its quotes doubled. */
void sf_csv_field(FILE *f, const char *s);
/* v as one CSV field: sf_format_double, unquoted; an empty field for NaN or an infinity. */
void sf_csv_num(FILE *f, double v);
/*
 * The rest of a CSV row, then its end: one field for each character of
 * `types`, in order, separated by commas: 's' a string (sf_csv_field),
 * 'n' a double (sf_csv_num), 'u' a size_t. Fields written before, by the
 * caller, end with their comma.
 *
 *     sf_csv_row(f, "ssns", metric, entity, value, unit);
 */
void sf_csv_row(FILE *f, const char *types, ...);
/* s as a JSON string literal ("" for NULL), quotes, backslashes and control characters escaped. */
void sf_json_string(FILE *f, const char *s);
/* v as a JSON number: sf_format_double; null for NaN or an infinity, which JSON cannot hold. */
void sf_json_num(FILE *f, double v);

#endif
