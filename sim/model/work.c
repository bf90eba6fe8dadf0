#include "model/work.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define ONE SF_WORK_RATE_ONE

int64_t sf_work_rate_parts(double rate)
{
    if (!(rate > 0)) /* also NaN */
        return 0;
    if (rate >= 1)
        return ONE;
    return (int64_t)llround(rate * (double)ONE);
}

static sf_work_band band_of(int64_t parts)
{
    return parts == ONE ? SF_WORK_FULL : parts == 0 ? SF_WORK_STOPPED : SF_WORK_REDUCED;
}

/*
 * The completion time at the current rate: since + ceil(R / r), with
 * R = left * 10^9 + left_part units. R does not fit in 64 bits, so split
 * left = a * r + b (b < r <= 10^9): R / r = a * 10^9 + (b * 10^9 + left_part) / r,
 * where b * 10^9 + left_part < 10^18 + 10^9 fits.
 */
static sf_time end_of(const sf_work *w)
{
    int64_t a, b, c;

    if (w->left == 0 && w->left_part == 0)
        return w->since;
    if (w->rate == 0)
        return SF_TIME_MAX;
    a = w->left / w->rate;
    b = w->left % w->rate;
    c = (b * ONE + w->left_part + w->rate - 1) / w->rate;
    if (a > (SF_TIME_MAX - c) / ONE)
        return SF_TIME_MAX;
    a = a * ONE + c;
    return a > SF_TIME_MAX - w->since ? SF_TIME_MAX : w->since + a;
}

/*
 * Count the work done in [since, now] at the current rate. Before the
 * completion time the work done is below the remaining work (the end is
 * the first nanosecond where it is not), so every product below is at
 * most `left` and fits: dt = q * 10^9 + m, dt * r = q * r whole ns plus
 * m * r units (< 10^18).
 */
static void advance(sf_work *w, sf_time now)
{
    sf_time dt;
    int64_t q, m, whole, part;

    assert(now >= w->since);
    if (now >= w->end) {
        w->time_at[band_of(w->rate)] += w->end - w->since;
        w->since = w->end;
        w->left = 0;
        w->left_part = 0;
        return;
    }
    dt = now - w->since;
    q = dt / ONE;
    m = dt % ONE;
    whole = q * w->rate + (m * w->rate) / ONE;
    part = (m * w->rate) % ONE;
    w->left -= whole;
    if (w->left_part < part) {
        w->left -= 1;
        w->left_part += ONE;
    }
    w->left_part -= part;
    assert(w->left >= 0);
    w->time_at[band_of(w->rate)] += dt;
    w->since = now;
}

sf_time sf_work_start_parts(sf_work *w, sf_time now, sf_time amount, int64_t parts)
{
    memset(w, 0, sizeof *w);
    w->amount = amount > 0 ? amount : 0;
    w->left = w->amount;
    w->rate = parts < 0 ? 0 : parts > ONE ? ONE : parts;
    w->since = now;
    w->end = end_of(w);
    return w->end;
}

sf_time sf_work_start(sf_work *w, sf_time now, sf_time amount, double rate)
{
    return sf_work_start_parts(w, now, amount, sf_work_rate_parts(rate));
}

sf_time sf_work_set_rate_parts(sf_work *w, sf_time now, int64_t parts)
{
    advance(w, now);
    if (w->left == 0 && w->left_part == 0)
        return w->end; /* complete: stays where it ended */
    w->rate = parts < 0 ? 0 : parts > ONE ? ONE : parts;
    w->end = end_of(w);
    return w->end;
}

sf_time sf_work_set_rate(sf_work *w, sf_time now, double rate)
{
    return sf_work_set_rate_parts(w, now, sf_work_rate_parts(rate));
}

sf_time sf_work_advance(sf_work *w, sf_time now)
{
    advance(w, now);
    return w->end;
}

double sf_work_rate(const sf_work *w)
{
    return (double)w->rate / (double)ONE;
}

bool sf_work_complete(const sf_work *w, sf_time now)
{
    return w->end != SF_TIME_MAX && now >= w->end;
}

double sf_work_progress(const sf_work *w, sf_time now)
{
    sf_work c = *w;

    if (c.amount == 0)
        return 1;
    advance(&c, now);
    return 1 - ((double)c.left + (double)c.left_part / (double)ONE) / (double)c.amount;
}

sf_time sf_work_remaining(const sf_work *w, sf_time now)
{
    sf_work c = *w;

    advance(&c, now);
    return c.left + (c.left_part > 0);
}

sf_time sf_work_time_at(const sf_work *w, sf_time now, sf_work_band band)
{
    sf_work c = *w;

    assert(band >= 0 && band < SF_WORK_BANDS);
    advance(&c, now);
    return c.time_at[band];
}
