/*
 * fields.c: vehicles' protective fields (ISO 3691-4 style).
 *
 * A vehicle at speed v has a field along its route ahead of length
 *
 *     F(v) = v T + v^2 / (2 decel) + Z
 *
 * (T its field_response, Z its field_clearance): the stretch it needs to
 * stop in after it has seen a person. People are points on the path
 * network; a person counts for a vehicle when it is on a segment of the
 * vehicle's route from the vehicle's own onwards, in either direction of
 * travel, and inside when its distance along that route from the vehicle
 * is between 0 and F(v). A person at a node counts for no field.
 *
 * Both motions are piecewise quadratic in time (motion.h), and so is F(v)
 * (v is linear in each phase), so each boundary (the field's front, the
 * vehicle itself, and for a halted ssm robot the front of the field at its
 * top speed) is crossed at a root of a quadratic on each stretch of time
 * where neither motion changes phase. One kernel event per vehicle waits
 * for the next crossing; whenever a motion is planned again or a person
 * changes segment the vehicles concerned look again at that instant.
 * The side of a boundary is read 1 ns after the instant, so a person who
 * just touched the front is inside. Cost per look: people on the route
 * ahead x phases of the two motions.
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/movers_int.h"

/* A position along the vehicle's route as a function of time: c + sg * s(t) of a motion, or a constant. */
typedef struct track {
    const sf_motion *mo; /* NULL: at rest at x */
    double c, sg, x;
    sf_time end; /* valid until (the person's next node event), SF_TIME_MAX when at rest */
} track;

/* Position, speed and acceleration of a track at time t. */
static void state_at(const track *tr, sf_time t, double *x, double *v, double *a)
{
    const sf_motion *mo = tr->mo;
    uint32_t k = 0;
    double dt;

    if (!mo || t >= mo->end) {
        *x = mo ? tr->c + tr->sg * mo->length : tr->x;
        *v = *a = 0;
        return;
    }
    while (k + 1 < mo->n && mo->phases[k + 1].start <= t)
        k++;
    dt = sf_time_to_seconds(t - mo->phases[k].start);
    *x = tr->c + tr->sg * (mo->phases[k].s0 + mo->phases[k].v0 * dt + mo->phases[k].a * dt * dt / 2);
    *v = tr->sg * (mo->phases[k].v0 + mo->phases[k].a * dt);
    *a = tr->sg * mo->phases[k].a;
}

/* The first phase change of a track after t (SF_TIME_MAX: none). */
static sf_time next_change(const track *tr, sf_time t)
{
    const sf_motion *mo = tr->mo;

    if (!mo || t >= mo->end)
        return SF_TIME_MAX;
    for (uint32_t k = 0; k < mo->n; k++)
        if (mo->phases[k].start > t)
            return mo->phases[k].start;
    return mo->end;
}

static bool has_field(const struct mover *m)
{
    return m->placed && !m->spec.person && m->i < m->route.n; /* on a trip (an arrival closes the route) */
}

static double field_length(const struct mover *m, double v)
{
    return v * m->spec.field_response + v * v / (2 * m->spec.decel) + m->spec.field_clearance;
}

/* The field at the vehicle's top speed now: how far ahead a halted ssm robot keeps people clear to go on. */
static double hold_length(const struct mover *m)
{
    return field_length(m, m->loaded ? m->spec.vmax_loaded : m->spec.vmax_empty);
}

/*
 * The vehicle's own track: along its motion (whose start is `offset`
 * metres into arc base), or at rest at 0 (`rest` metres into arc i). The
 * start node of arc i is *u_i metres along it.
 */
static void vehicle_track(const sf_movers *ms, const struct mover *m, track *tr, double *u_i)
{
    *tr = (track){sf__movers_live(m) ? &m->motion : NULL, 0, 1, 0, SF_TIME_MAX};
    *u_i = tr->mo ? -m->offset : -m->rest;
    for (uint32_t k = m->base; tr->mo && k < m->i; k++)
        *u_i += sf_network_segment(ms->net, sf__movers_seg_of(m, k))->length;
}

/*
 * Person p on the vehicle's route arc j, whose start node is u metres
 * along the vehicle's track: the person's track in the vehicle's terms.
 */
static void person_track(const sf_movers *ms, const struct mover *v, uint32_t j, double u, const struct mover *p,
                         track *tr)
{
    uint32_t arc = v->route.arcs[j];
    bool same = sf_network_arc_from(ms->net, arc) == sf_network_arc_from(ms->net, p->route.arcs[p->i]);
    double len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
    double base = same ? u : u + len, sg = same ? 1 : -1;

    if (sf__movers_live(p)) {
        uint32_t leg = p->i - p->base;
        double from = p->motion.leg_start_s[leg] - (leg == 0 ? p->offset : 0);
        *tr = (track){&p->motion, base - sg * from, sg, 0, p->motion.leg_end[leg]};
    } else {
        *tr = (track){NULL, 0, sg, base + sg * p->rest, SF_TIME_MAX};
    }
}

/*
 * The route arc of vehicle m that person p is on, from arc i on and
 * starting before `reach` metres along the vehicle's track, with the
 * distance of its start node in *u; false when none.
 */
static bool arc_of(const sf_movers *ms, const struct mover *m, double u_i, double reach, const struct mover *p,
                   uint32_t *j, double *u)
{
    double at = u_i;

    for (uint32_t k = m->i; k < m->route.n && at <= reach; k++) {
        uint32_t seg = sf__movers_seg_of(m, k);
        if (seg == p->on_seg) {
            *j = k;
            *u = at;
            return true;
        }
        at += sf_network_segment(ms->net, seg)->length;
    }
    return false;
}

/* The smallest root of a t^2 + b t + c in (lo, hi], INFINITY when none. */
static double first_root(double a, double b, double c, double lo, double hi)
{
    double r[2], best = INFINITY;
    int n = 0;

    if (fabs(a) < 1e-12) {
        if (fabs(b) > 1e-12)
            r[n++] = -c / b;
    } else {
        double d = b * b - 4 * a * c, q;
        if (d < 0)
            return INFINITY;
        q = -0.5 * (b + copysign(sqrt(d), b));
        r[n++] = q / a;
        if (q != 0)
            r[n++] = c / q;
    }
    for (int i = 0; i < n; i++)
        if (r[i] > lo && r[i] <= hi && r[i] < best)
            best = r[i];
    return best;
}

/* Where a person stands against a vehicle's field at one instant. */
typedef struct side {
    bool inside; /* within the field */
    bool held;   /* within the field of the top speed */
} side;

static side side_at(const struct mover *m, const track *vt, const track *pt, sf_time t)
{
    double s, v, a, d, dv, da;

    state_at(vt, t, &s, &v, &a);
    state_at(pt, t, &d, &dv, &da);
    return (side){d >= s && d <= s + field_length(m, v), d >= s && d <= s + hold_length(m)};
}

/*
 * The first instant after `now` at which the person crosses a boundary of
 * the vehicle's field (SF_TIME_MAX: none while both keep their motions).
 * On each stretch where neither changes phase the vehicle is at s + w t +
 * b t^2 / 2 with speed w + b t and the person at d + e t + f t^2 / 2: the
 * gaps to the person from the vehicle, from the field's front and from
 * the front at top speed are quadratics in t.
 */
static sf_time next_crossing(const struct mover *m, const track *vt, const track *pt, sf_time now)
{
    double T = m->spec.field_response, D = m->spec.decel, Z = m->spec.field_clearance, H = hold_length(m);
    sf_time ta = now + 1, horizon = pt->mo ? pt->end : vt->mo ? vt->mo->end : ta;

    while (ta < horizon) {
        sf_time tb = next_change(vt, ta), tp = next_change(pt, ta);
        double s, w, b, d, e, f, span, r = INFINITY;
        tb = tp < tb ? tp : tb;
        tb = horizon < tb ? horizon : tb;
        span = sf_time_to_seconds(tb - ta);
        state_at(vt, ta, &s, &w, &b);
        state_at(pt, ta, &d, &e, &f);
        r = fmin(r, first_root((f - b) / 2, e - w, d - s, 0, span));
        r = fmin(r, first_root(b / 2 + b * b / (2 * D) - f / 2, w + T * b + w * b / D - e,
                               s + T * w + w * w / (2 * D) + Z - d, 0, span));
        if (m->spec.stop_for_people && (m->halts & SF_HALT_SAFETY))
            r = fmin(r, first_root((b - f) / 2, w - e, s + H - d, 0, span));
        if (isfinite(r))
            return ta + (sf_time)llround(r * 1e9);
        ta = tb;
    }
    return SF_TIME_MAX;
}

/*
 * Look at vehicle id's field now: the people inside it (the encounters,
 * into ms' scratch), whether the protective stop rule holds it (people on
 * segments that cross a shared zone: inside the field, or while halted
 * for them within the field at its top speed), and, with `next`, the
 * first crossing after now.
 */
static bool look(sf_movers *ms, uint32_t id, uint32_t **in, uint32_t *n_in, sf_time *next)
{
    struct mover *m = &ms->m[id];
    sf_time now = sf_kernel_now(ms->k);
    bool held = m->halts & SF_HALT_SAFETY, hold = false;
    double u_i, reach;
    track vt;

    *n_in = 0;
    if (in)
        *in = ms->scratch;
    if (next)
        *next = SF_TIME_MAX;
    if (!has_field(m))
        return false;
    vehicle_track(ms, m, &vt, &u_i);
    reach = (vt.mo ? vt.mo->length : 0) + hold_length(m) + 1e-9;
    for (uint32_t k = 0; k < ms->npeople; k++) {
        uint32_t q = ms->people[k];
        const struct mover *p = &ms->m[q];
        uint32_t j;
        double u;
        track pt;
        side sd;
        if (!p->spec.person || p->on_seg == NO_SEG || !arc_of(ms, m, u_i, reach, p, &j, &u))
            continue;
        person_track(ms, m, j, u, p, &pt);
        sd = side_at(m, &vt, &pt, now + 1);
        if (sd.inside && in) {
            if (sf_grow(ms->scratch, ms->scratch_cap, *n_in + 1) != SF_OK) {
                sf_kernel_fail(ms->k, SF_ENOMEM);
                return false;
            }
            ms->scratch[(*n_in)++] = q;
        }
        if (ms->shared[p->on_seg])
            hold |= held ? sd.held : sd.inside;
        if (next) {
            sf_time t = next_crossing(m, &vt, &pt, now);
            *next = t < *next ? t : *next;
        }
    }
    if (in)
        *in = ms->scratch;
    return hold;
}

bool sf__fields_endangered(sf_movers *ms, uint32_t id)
{
    const struct mover *m = &ms->m[id];

    if (!m->spec.stop_for_people || m->spec.person)
        return false;
    return look(ms, id, NULL, &(uint32_t){0}, NULL);
}

/* ---- encounters ------------------------------------------------------- */

/* Bring the vehicle's person-time inside its field up to now. */
static void close_time(sf_movers *ms, struct mover *m, sf_time now)
{
    sf_time from = m->enc_since > ms->measure_from ? m->enc_since : ms->measure_from;

    if (now > from)
        m->enc_time += (now - from) * (sf_time)m->n_in;
    m->enc_since = now;
}

/* The people inside the field are now in[0..n): count those who entered. */
static void settle(sf_movers *ms, struct mover *m, const uint32_t *in, uint32_t n)
{
    sf_time now = sf_kernel_now(ms->k);

    close_time(ms, m, now);
    for (uint32_t a = 0; a < n; a++) {
        bool was = false;
        for (uint32_t b = 0; b < m->n_in && !was; b++)
            was = m->in_field[b] == in[a];
        m->encounters += !was && now >= ms->measure_from;
    }
    if (sf_grow(m->in_field, m->in_cap, n ? n : 1) != SF_OK) {
        sf_kernel_fail(ms->k, SF_ENOMEM);
        return;
    }
    for (uint32_t a = 0; a < n; a++)
        m->in_field[a] = in[a];
    m->n_in = n;
}

void sf_movers_measure_from(sf_movers *ms, sf_time from)
{
    ms->measure_from = from;
}

void sf_movers_encounters(sf_movers *ms, uint32_t id, sf_time now, uint64_t *count, double *seconds)
{
    struct mover *m = &ms->m[id];
    sf_time from = m->enc_since > ms->measure_from ? m->enc_since : ms->measure_from;
    sf_time t = m->enc_time + (now > from ? (now - from) * (sf_time)m->n_in : 0);

    *count = m->encounters;
    *seconds = sf_time_to_seconds(t);
}

/* ---- looking again ---------------------------------------------------- */

/* Look at vehicle id's field at this instant (one pending event at most). */
static void again(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];
    sf_time now = sf_kernel_now(ms->k);
    int rc;

    if (m->field_ev && m->field_at == now)
        return;
    if (m->field_ev)
        sf_kernel_cancel(ms->k, m->field_ev);
    m->field_at = now;
    if ((rc = sf_kernel_at(ms->k, now, 0, ms->kind_field, id, &m->field_ev)) != SF_OK)
        sf_kernel_fail(ms->k, rc);
}

/* Whether vehicle v's route ahead holds segment seg, or person q is inside its field. */
static bool concerns(const struct mover *v, uint32_t seg, uint32_t q)
{
    for (uint32_t b = 0; b < v->n_in; b++)
        if (v->in_field[b] == q)
            return true;
    if (seg == NO_SEG || !has_field(v))
        return false;
    for (uint32_t k = v->i; k < v->route.n; k++)
        if (sf__movers_seg_of(v, k) == seg)
            return true;
    return false;
}

void sf__fields_touch(sf_movers *ms, uint32_t id, uint32_t old)
{
    const struct mover *m = &ms->m[id];

    if (!m->spec.person) {
        if (has_field(m) || m->n_in)
            again(ms, id);
        return;
    }
    for (uint32_t r = 0; r < ms->n; r++) {
        const struct mover *v = &ms->m[r];
        if (!v->spec.person && v->placed && (concerns(v, m->on_seg, id) || (old != NO_SEG && concerns(v, old, id))))
            again(ms, r);
    }
}

/*
 * The field event: settle who is inside, apply the protective stop rule
 * (a halt or a let-go replans, which looks again at this instant), or
 * wait for the next crossing.
 */
void sf__fields_on_event(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_movers *ms = ctx;
    struct mover *m = &ms->m[ev->target];
    uint32_t *in, n;
    sf_time next;
    int rc;

    (void)k;
    m->field_ev = 0;
    look(ms, ev->target, &in, &n, &next);
    settle(ms, m, in, n);
    if (m->spec.stop_for_people)
        sf__movers_protect(ms, ev->target, true);
    if (m->field_ev || next == SF_TIME_MAX)
        return;
    m->field_at = next;
    if ((rc = sf_kernel_at(ms->k, next, 0, ms->kind_field, ev->target, &m->field_ev)) != SF_OK)
        sf_kernel_fail(ms->k, rc);
}
