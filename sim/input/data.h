/*
 * data.h: measured data from a CSV file, for fitting.
 *
 * The file is comma-separated text with a header row naming the columns
 * (a field may be quoted, "like, this"); blank lines and lines starting
 * with '#' are skipped. Three kinds:
 *
 *   durations   one column of numbers (cycle times), each above 0
 *   timestamps  one column of time stamps, ascending, strictly; the values
 *               fitted are the differences between successive stamps
 *   failures    columns machine, down, up: one stoppage a row; per machine
 *               the stoppages must be in time order and not overlap. Time
 *               to repair: up - down; time between failures: from one up
 *               to the next down (time running)
 *
 * A number is a plain decimal in the chosen unit. A time stamp is a
 * number (in the unit), "HH:MM[:SS[.frac]]" or "YYYY-MM-DD HH:MM[:SS]"
 * (also with a 'T'), which are read as seconds. Every error names the
 * place: "file:row:column: message", rows and columns counted from 1 as
 * a spreadsheet shows them.
 */
#ifndef SF_INPUT_DATA_H
#define SF_INPUT_DATA_H

#include <stddef.h>

typedef enum sf_data_kind { SF_DATA_DURATIONS, SF_DATA_TIMESTAMPS, SF_DATA_FAILURES } sf_data_kind;

typedef struct sf_data_series {
    char *name;    /* the column, or the machine (failures) */
    double *x;     /* values in seconds (owned) */
    size_t n;
    double *ttr;   /* failures: times to repair (owned), n_ttr of them; x holds the times between failures */
    size_t n_ttr;
    double *at;    /* timestamps: the stamps, seconds from the first (owned), n + 1 of them */
} sf_data_series;

typedef struct sf_data {
    sf_data_series *s;
    size_t n;
} sf_data;

/*
 * Read `path`: `column` is the column to read (NULL: the only one, or the
 * first whose first value is a number); `factor` the seconds in one unit
 * of the numbers. SF_OK; SF_EPARSE or SF_EIO with "file:row:col: message"
 * (and a hint) in err; SF_ENOMEM. The caller frees d with sf_data_free
 * whatever the outcome.
 */
int sf_data_read(const char *path, sf_data_kind kind, const char *column, double factor, sf_data *d, char *err,
                 size_t errlen);
void sf_data_free(sf_data *d);

/*
 * Laplace's test for a trend in the rate of events at times t[0] = 0 <
 * ... < t[n] (the stamps): U = (mean of t[1..n-1] - T/2) / (T sqrt(1 /
 * (12 (n-1)))), T = t[n], standard normal under a constant rate;
 * positive U: the events thin out, negative: they crowd. Returns U; the
 * two-sided p-value in *p.
 */
double sf_data_laplace_trend(const double *t, size_t n, double *p);

#endif
