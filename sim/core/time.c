#include "core/time.h"

#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "core/units.h"

int sf_time_from_seconds(double seconds, sf_time *out)
{
    double ns;

    if (!isfinite(seconds))
        return SF_ERANGE;
    ns = nearbyint(seconds * 1e9);
    /* INT64_MAX is not representable as a double; 2^63 is the first value out of range. */
    if (ns >= 9223372036854775808.0 || ns < -9223372036854775808.0)
        return SF_ERANGE;
    *out = (sf_time)ns;
    return SF_OK;
}

double sf_time_to_seconds(sf_time t)
{
    /* Split so that whole seconds and the remainder are each exact. */
    return (double)(t / SF_SECOND) + (double)(t % SF_SECOND) * 1e-9;
}

int sf_time_add(sf_time a, sf_time b, sf_time *out)
{
    if (__builtin_add_overflow(a, b, out))
        return SF_ERANGE;
    return SF_OK;
}

int sf_time_mul(sf_time a, int64_t k, sf_time *out)
{
    if (__builtin_mul_overflow(a, k, out))
        return SF_ERANGE;
    return SF_OK;
}

int sf_time_parse(const char *text, sf_time default_unit_ns, bool allow_negative, sf_time *out)
{
    sf_quantity q;
    int rc = sf_units_parse(text, SF_DIM_TIME, &q);

    if (rc != SF_OK)
        return rc;
    if (q.dim == SF_DIM_NONE) /* bare number: the caller's default unit */
        q.value *= (double)default_unit_ns / 1e9;
    if (!allow_negative && q.value < 0)
        return SF_ERANGE;
    return sf_time_from_seconds(q.value, out);
}

int sf_time_format(sf_time t, char *buf, size_t n)
{
    const char *sign = "";
    uint64_t u, days, h, m, s, frac;

    if (t < 0) {
        sign = "-";
        u = (uint64_t)0 - (uint64_t)t; /* well defined for INT64_MIN too */
    } else {
        u = (uint64_t)t;
    }
    frac = u % (uint64_t)SF_SECOND;
    s = u / (uint64_t)SF_SECOND;
    days = s / 86400;
    s %= 86400;
    h = s / 3600;
    m = s / 60 % 60;
    s %= 60;
    if (days > 0 && frac != 0)
        return snprintf(buf, n, "%s%llud %02llu:%02llu:%02llu.%03llu", sign, (unsigned long long)days,
                        (unsigned long long)h, (unsigned long long)m, (unsigned long long)s,
                        (unsigned long long)(frac / 1000000));
    if (days > 0)
        return snprintf(buf, n, "%s%llud %02llu:%02llu:%02llu", sign, (unsigned long long)days,
                        (unsigned long long)h, (unsigned long long)m, (unsigned long long)s);
    if (frac != 0)
        return snprintf(buf, n, "%s%02llu:%02llu:%02llu.%03llu", sign, (unsigned long long)h,
                        (unsigned long long)m, (unsigned long long)s, (unsigned long long)(frac / 1000000));
    return snprintf(buf, n, "%s%02llu:%02llu:%02llu", sign, (unsigned long long)h, (unsigned long long)m,
                    (unsigned long long)s);
}
