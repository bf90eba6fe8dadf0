/*
 * motion.c: the time-optimal speed profile over a chain of legs.
 */
#include "model/motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

void sf_motion_init(sf_motion *m)
{
    memset(m, 0, sizeof *m);
}

void sf_motion_close(sf_motion *m)
{
    free(m->phases);
    free(m->leg_end);
    free(m->leg_start_s);
    memset(m, 0, sizeof *m);
}

static int reserve(sf_motion *m, uint32_t nlegs)
{
    /* at most three phases a leg */
    uint32_t need = 3 * nlegs + 1;

    if (need > m->cap) {
        sf_phase *p = sf_realloc(m->phases, need * sizeof *p);
        sf_time *e;
        double *s;
        if (!p)
            return SF_ENOMEM;
        m->phases = p;
        if (!(e = sf_realloc(m->leg_end, (nlegs + 1) * sizeof *e)))
            return SF_ENOMEM;
        m->leg_end = e;
        if (!(s = sf_realloc(m->leg_start_s, (nlegs + 1) * sizeof *s)))
            return SF_ENOMEM;
        m->leg_start_s = s;
        m->cap = need;
    }
    return SF_OK;
}

struct builder {
    sf_motion *m;
    double t;  /* exact seconds since start */
    double s;  /* distance so far */
    int rc;
};

/* Append a phase of duration dt (seconds) starting at speed v with acceleration a. */
static void phase(struct builder *b, uint32_t leg, double v, double a, double dt, double ds)
{
    sf_time off;

    if (!(dt > 0))
        return;
    if (sf_time_from_seconds(b->t, &off) != SF_OK || sf_time_add(b->m->start, off, &off) != SF_OK) {
        b->rc = SF_ERANGE;
        return;
    }
    b->m->phases[b->m->n++] = (sf_phase){off, b->s, v, a, leg};
    b->t += dt;
    b->s += ds;
}

int sf_motion_plan(sf_motion *m, const sf_leg *legs, uint32_t nlegs, double v0, double accel, double decel,
                   sf_time start)
{
    double *b; /* speed at each node: b[0] start, b[nlegs] end */
    double total = 0, need;
    struct builder bd;
    sf_time off;
    int rc;

    if (!(accel > 0) || !(decel > 0) || !(v0 >= 0) || isinf(v0) || isinf(accel) || isinf(decel) ||
        (nlegs == 0 && v0 != 0))
        return SF_EINVAL;
    for (uint32_t i = 0; i < nlegs; i++) {
        if (!(legs[i].length > 0) || !(legs[i].vmax > 0) || isinf(legs[i].length) || isinf(legs[i].vmax))
            return SF_EINVAL;
        total += legs[i].length;
    }
    if ((rc = reserve(m, nlegs)) != SF_OK)
        return rc;
    if (!(b = sf_malloc((nlegs + 1) * sizeof *b)))
        return SF_ENOMEM;

    m->n = 0;
    m->start = start;
    m->length = total;
    m->nlegs = nlegs;
    m->emergency = 0;
    /* Too fast to stop within the route at `decel`: brake harder, uniformly, and say so. */
    need = v0 * v0 / (2 * total > 0 ? 2 * total : 1);
    if (nlegs > 0 && need > decel) {
        m->emergency = 1;
        decel = need;
    }

    b[0] = v0;
    b[nlegs] = 0;
    for (uint32_t j = 1; j < nlegs; j++)
        b[j] = fmin(legs[j - 1].vmax, legs[j].vmax);
    for (uint32_t j = nlegs; j-- > 1;) /* backward: braking must still reach b[j + 1] */
        b[j] = fmin(b[j], sqrt(b[j + 1] * b[j + 1] + 2 * decel * legs[j].length));
    /* forward, braking: a mover entering too fast brakes all the way until it is below the limits */
    for (uint32_t j = 0; j + 1 < nlegs; j++)
        b[j + 1] = fmax(b[j + 1], sqrt(fmax(0, b[j] * b[j] - 2 * decel * legs[j].length)));
    /* forward, accelerating: b[j + 1] must be reachable from b[j] */
    for (uint32_t j = 0; j + 1 < nlegs; j++)
        b[j + 1] = fmin(b[j + 1], sqrt(b[j] * b[j] + 2 * accel * legs[j].length));

    bd = (struct builder){m, 0, 0, SF_OK};
    for (uint32_t j = 0; j < nlegs; j++) {
        double u = b[j], w = b[j + 1], c = legs[j].vmax, L = legs[j].length;
        double vp, s1, s3, s2, a1;

        m->leg_start_s[j] = bd.s;
        if (u > c) {
            /* entering above the leg's top speed: brake to it, or to w when w is higher still */
            vp = fmax(c, w);
            a1 = -decel;
        } else {
            double peak2 = (2 * accel * decel * L + decel * u * u + accel * w * w) / (accel + decel);
            vp = fmin(c, sqrt(peak2));
            if (vp < u)
                vp = u; /* rounding: the passes guarantee peak >= max(u, w) */
            a1 = accel;
        }
        if (vp < w)
            vp = w;
        s1 = a1 > 0 ? (vp * vp - u * u) / (2 * accel) : (u * u - vp * vp) / (2 * decel);
        s3 = (vp * vp - w * w) / (2 * decel);
        s2 = L - s1 - s3;
        if (s2 < 0) { /* rounding only; fold the excess into the braking phase */
            s3 += s2;
            s2 = 0;
        }
        phase(&bd, j, u, a1, a1 > 0 ? (vp - u) / accel : (u - vp) / decel, s1);
        if (s2 > 0)
            phase(&bd, j, vp, 0, s2 / vp, s2);
        phase(&bd, j, vp, -decel, (vp - w) / decel, s3);
        bd.s = m->leg_start_s[j] + L; /* exact leg boundaries, whatever the rounding above */
        if (sf_time_from_seconds(bd.t, &off) != SF_OK || sf_time_add(start, off, &m->leg_end[j]) != SF_OK)
            bd.rc = SF_ERANGE;
    }
    free(b);
    if (bd.rc != SF_OK)
        return bd.rc;
    m->leg_start_s[nlegs] = total;
    if (sf_time_from_seconds(bd.t, &off) != SF_OK || sf_time_add(start, off, &m->end) != SF_OK)
        return SF_ERANGE;
    return SF_OK;
}

/* Index of the phase in force at t (the last phase whose start <= t). */
static uint32_t phase_at(const sf_motion *m, sf_time t)
{
    uint32_t lo = 0, hi = m->n;

    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->phases[mid].start <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double phase_end_s(const sf_motion *m, uint32_t i)
{
    return i + 1 < m->n ? m->phases[i + 1].s0 : m->length;
}

double sf_motion_position(const sf_motion *m, sf_time t, double *v)
{
    const sf_phase *p;
    double dt, s, speed;
    uint32_t i;

    if (m->n == 0 || t >= m->end) {
        if (v)
            *v = 0;
        return t <= m->start && m->n ? 0 : m->length;
    }
    if (t <= m->start) {
        if (v)
            *v = m->phases[0].v0;
        return 0;
    }
    i = phase_at(m, t);
    p = &m->phases[i];
    dt = sf_time_to_seconds(t - p->start);
    speed = p->v0 + p->a * dt;
    if (speed < 0) /* past the phase's own stop through rounding */
        speed = 0, dt = p->a < 0 ? p->v0 / -p->a : dt;
    s = p->s0 + p->v0 * dt + 0.5 * p->a * dt * dt;
    if (s > phase_end_s(m, i))
        s = phase_end_s(m, i);
    if (v)
        *v = speed;
    return s;
}

sf_time sf_motion_time_at(const sf_motion *m, double s)
{
    const sf_phase *p;
    uint32_t lo = 0, hi;
    double ds, dt;
    sf_time off;

    if (m->n == 0 || s <= 0)
        return m->start;
    if (s >= m->length)
        return m->end;
    hi = m->n;
    while (hi - lo > 1) { /* the last phase with s0 <= s */
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->phases[mid].s0 <= s)
            lo = mid;
        else
            hi = mid;
    }
    p = &m->phases[lo];
    ds = s - p->s0;
    if (p->a == 0)
        dt = ds / p->v0;
    else {
        /* s0 + v0 dt + a dt^2 / 2 = s; the root nearest the phase start, in a stable form */
        double disc = p->v0 * p->v0 + 2 * p->a * ds;
        dt = 2 * ds / (p->v0 + sqrt(disc > 0 ? disc : 0));
    }
    if (sf_time_from_seconds(dt, &off) != SF_OK)
        return m->end;
    off += p->start;
    return off < m->end ? off : m->end;
}

uint32_t sf_motion_leg_at(const sf_motion *m, sf_time t)
{
    if (m->n == 0)
        return 0;
    if (t >= m->end)
        return m->nlegs - 1;
    return m->phases[phase_at(m, t)].leg;
}

double sf_motion_leg_end(const sf_motion *m, uint32_t j)
{
    return j + 1 < m->nlegs ? m->leg_start_s[j + 1] : m->length;
}
