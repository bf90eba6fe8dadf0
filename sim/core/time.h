/*
 * time.h: simulated time.
 *
 * Kernel time is a signed 64-bit count of nanoseconds (range about +-292
 * years). Integer time makes ties exact and runs repeatable; seconds as
 * doubles exist only at the boundary (scenario files, Lua, reports), and
 * every conversion is checked: a value that does not fit is SF_ERANGE,
 * never a wrapped or saturated number.
 */
#ifndef SF_CORE_TIME_H
#define SF_CORE_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t sf_time;

#define SF_TIME_MAX INT64_MAX
#define SF_TIME_MIN INT64_MIN
#define SF_NS ((sf_time)1)
#define SF_US ((sf_time)1000)
#define SF_MS ((sf_time)1000000)
#define SF_SECOND ((sf_time)1000000000)
#define SF_MINUTE (60 * SF_SECOND)
#define SF_HOUR (60 * SF_MINUTE)
#define SF_DAY (24 * SF_HOUR)
#define SF_SECONDS_PER_HOUR 3600.0 /* for hours and rates computed in double seconds */

/*
 * Seconds to time, rounded to the nearest nanosecond. SF_ERANGE when
 * `seconds` is NaN, infinite or outside the representable range.
 */
int sf_time_from_seconds(double seconds, sf_time *out);

/* Time to seconds. Exact for |t| < 2^53 ns (about 104 days); beyond, to double precision. */
double sf_time_to_seconds(sf_time t);

/* a + b and a * k, SF_ERANGE on overflow. */
int sf_time_add(sf_time a, sf_time b, sf_time *out);
int sf_time_mul(sf_time a, int64_t k, sf_time *out);

/*
 * Parse a duration such as "90", "90 s", "2.5 min", "8 h", "1 d",
 * "250 ms". A bare number is in `default_unit_ns` (SF_SECOND for most
 * uses). Whitespace around the parts is allowed. SF_EPARSE for text that
 * is not a number and a unit, SF_EUNIT for a unit that is not a time,
 * SF_ERANGE for a value that does not fit or is negative when
 * `allow_negative` is false.
 */
int sf_time_parse(const char *text, sf_time default_unit_ns, bool allow_negative, sf_time *out);

/*
 * Format as "HH:MM:SS" with ".mmm" when there are fractional seconds,
 * prefixed by "Nd " past one day and "-" when negative. Always
 * NUL-terminates when n > 0; returns the length it wanted (as snprintf).
 */
int sf_time_format(sf_time t, char *buf, size_t n);

#endif
