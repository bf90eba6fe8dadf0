/*
 * zones.c: zones of the movers: speed caps for vehicles, shared
 * (collaborative) zones whose caps hold while a person is inside, and
 * each mover's exact crossing times, one kernel event per crossing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/geometry.h"
#include "model/movers_int.h"

/* ---- zones ------------------------------------------------------------- */

int sf_movers_add_zone(sf_movers *ms, const double *xy, size_t n, double vehicle_speed)
{
    struct zone *zones, *z;
    uint32_t nsegs = sf_network_segment_count(ms->net);

    if (n < 3 || n > SF_POLYGON_MAX || !(vehicle_speed > 0))
        return SF_EINVAL;
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]))
            return SF_EINVAL;
    if (!(zones = sf_realloc(ms->zones, (ms->nzones + 1) * sizeof *zones)))
        return SF_ENOMEM;
    ms->zones = zones;
    z = &zones[ms->nzones];
    memset(z, 0, sizeof *z);
    z->n = n;
    z->vehicle_speed = vehicle_speed;
    z->xy = sf_malloc(2 * n * sizeof *z->xy);
    z->segs = sf_malloc((nsegs ? nsegs : 1) * sizeof *z->segs);
    if (!z->xy || !z->segs) {
        free(z->xy);
        free(z->segs);
        return SF_ENOMEM;
    }
    memcpy(z->xy, xy, 2 * n * sizeof *xy);
    for (uint32_t s = 0; s < nsegs; s++) {
        const sf_segment *g = sf_network_segment(ms->net, s);
        const sf_node *a = sf_network_node(ms->net, g->from), *b = sf_network_node(ms->net, g->to);
        double iv[2 * MAX_CROSSINGS];
        if (sf_polygon_clip(z->xy, n, a->x, a->y, b->x, b->y, iv, MAX_CROSSINGS) > 0)
            z->segs[z->nsegs++] = s;
    }
    for (uint32_t id = 0; id < ms->n; id++) {
        uint8_t *in = sf_realloc(ms->m[id].inside, ms->nzones + 1);
        if (!in) { /* the zone is not added; the flags already grown keep their room */
            free(z->xy);
            free(z->segs);
            return SF_ENOMEM;
        }
        in[ms->nzones] = 0;
        ms->m[id].inside = in;
    }
    return (int)ms->nzones++;
}

int sf_movers_share_zone(sf_movers *ms, uint32_t zone)
{
    struct zone *z;

    if (zone >= ms->nzones)
        return SF_EINVAL;
    z = &ms->zones[zone];
    if (!z->shared) {
        z->shared = true;
        for (uint32_t i = 0; i < z->nsegs; i++)
            ms->shared[z->segs[i]]++;
    }
    return SF_OK;
}

int sf_movers_zone_people(const sf_movers *ms, uint32_t zone)
{
    return zone < ms->nzones ? ms->zones[zone].people : 0;
}

bool sf_movers_in_zone(const sf_movers *ms, uint32_t mover, uint32_t zone)
{
    return zone < ms->nzones && ms->m[mover].inside && ms->m[mover].inside[zone];
}

/* The cap of a segment from the occupied zones it crosses. */
static void recap(sf_movers *ms, uint32_t seg)
{
    double cap = INFINITY;

    for (uint32_t z = 0; z < ms->nzones; z++) {
        if (ms->zones[z].people == 0)
            continue;
        for (uint32_t i = 0; i < ms->zones[z].nsegs; i++)
            if (ms->zones[z].segs[i] == seg)
                cap = fmin(cap, ms->zones[z].vehicle_speed);
    }
    sf_movers_set_cap(ms, seg, cap);
}

/* Point at distance s along the current motion. */
static void point_at(const sf_movers *ms, const struct mover *m, double s, double *x, double *y)
{
    uint32_t j = 0;

    while (j + 1 < m->motion.nlegs && m->motion.leg_start_s[j + 1] <= s)
        j++;
    {
        uint32_t arc = m->route.arcs[m->base + j];
        const sf_node *a = sf_network_node(ms->net, sf_network_arc_from(ms->net, arc));
        const sf_node *b = sf_network_node(ms->net, sf_network_arc_to(ms->net, arc));
        double len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
        double f = (s - m->motion.leg_start_s[j] + (j == 0 ? m->offset : 0)) / len;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        *x = a->x + (b->x - a->x) * f;
        *y = a->y + (b->y - a->y) * f;
    }
}

/*
 * The first zone boundary along the current motion strictly after
 * distance `after`, or INFINITY. Each leg is clipped against each zone;
 * the interval ends are the boundaries.
 */
static double next_boundary(const sf_movers *ms, const struct mover *m, double after)
{
    double best = INFINITY;

    for (uint32_t j = 0; j < m->motion.nlegs; j++) {
        uint32_t arc = m->route.arcs[m->base + j];
        const sf_node *a = sf_network_node(ms->net, sf_network_arc_from(ms->net, arc));
        const sf_node *b = sf_network_node(ms->net, sf_network_arc_to(ms->net, arc));
        double len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
        double s0 = m->motion.leg_start_s[j] - (j == 0 ? m->offset : 0); /* distance where the arc starts */
        if (m->motion.leg_start_s[j] > best)
            break;
        for (uint32_t z = 0; z < ms->nzones; z++) {
            double iv[2 * MAX_CROSSINGS];
            size_t k = sf_polygon_clip(ms->zones[z].xy, ms->zones[z].n, a->x, a->y, b->x, b->y, iv, MAX_CROSSINGS);
            for (size_t i = 0; i < 2 * k; i++) {
                double s = s0 + iv[i] * len;
                if (s > after + 1e-9 && s < best && s <= m->motion.length)
                    best = s;
            }
        }
    }
    return best;
}

/*
 * A shared zone crossing segment `seg` gained its first person or lost its
 * last: robots that slow for people (shared_speed) and hold the segment
 * replan from where they are.
 */
static void reshare(sf_movers *ms, uint32_t seg)
{
    for (uint32_t id = 0; id < ms->n; id++) {
        struct mover *m = &ms->m[id];
        if (m->state != SF_MOVER_MOVING || m->spec.person || !(m->spec.shared_speed > 0))
            continue;
        for (uint32_t j = m->i; j < m->reserved_to; j++)
            if (sf__movers_seg_of(m, j) == seg) {
                sf__movers_replan_now(ms, id);
                break;
            }
    }
}

/* Set the mover's presence in every zone from a point, telling hooks and capping vehicles. */
void sf__movers_settle_presence(sf_movers *ms, uint32_t id, double x, double y)
{
    struct mover *m = &ms->m[id];

    for (uint32_t z = 0; z < ms->nzones; z++) {
        bool in = sf_polygon_contains(ms->zones[z].xy, ms->zones[z].n, x, y);
        if (in == (bool)m->inside[z])
            continue;
        m->inside[z] = in;
        if (m->spec.person) {
            ms->zones[z].people += in ? 1 : -1;
            if (ms->zones[z].people == (in ? 1 : 0)) {
                struct zone *Z = &ms->zones[z];
                for (uint32_t i = 0; i < Z->nsegs && Z->shared; i++)
                    ms->occupied[Z->segs[i]] += in ? 1 : -1;
                for (uint32_t i = 0; i < Z->nsegs && isfinite(Z->vehicle_speed); i++)
                    recap(ms, Z->segs[i]);
                for (uint32_t i = 0; i < Z->nsegs && Z->shared; i++)
                    reshare(ms, Z->segs[i]);
            }
        }
        if (ms->hooks.zone)
            ms->hooks.zone(ms->hooks.ctx, id, z, in, sf_kernel_now(ms->k));
    }
}

/* Schedule the mover's next zone crossing on its current motion. */
static void schedule_crossing(sf_movers *ms, uint32_t id, double after)
{
    int rc;
    struct mover *m = &ms->m[id];
    double s = next_boundary(ms, m, after);

    if (m->zone_ev)
        sf_kernel_cancel(ms->k, m->zone_ev);
    m->zone_ev = 0;
    if (isinf(s))
        return;
    m->zone_s = s;
    if ((rc = sf_kernel_at(ms->k, sf_motion_time_at(&m->motion, s), 0, ms->kind_zone, id, &m->zone_ev)) != SF_OK)
        sf_kernel_fail(ms->k, rc);
}

/* A new motion was planned: presence now, then the first crossing ahead. */
void sf__movers_watch_zones(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];
    double x, y, ahead;

    if (ms->nzones == 0)
        return;
    /* presence just after the start (boundary points belong to the side the mover goes) */
    ahead = fmin(next_boundary(ms, m, 0), m->motion.length);
    point_at(ms, m, ahead > 0 && isfinite(ahead) ? ahead / 2 : 0, &x, &y);
    sf__movers_settle_presence(ms, id, x, y);
    schedule_crossing(ms, id, 0);
}

void sf__movers_on_zone(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_movers *ms = ctx;
    struct mover *m = &ms->m[ev->target];
    double s = m->zone_s, next, x, y;

    (void)k;
    m->zone_ev = 0;
    /* which side of the boundary the mover goes to: the midpoint up to the next boundary */
    next = fmin(next_boundary(ms, m, s), m->motion.length);
    point_at(ms, m, next > s ? (s + next) / 2 : s, &x, &y);
    sf__movers_settle_presence(ms, ev->target, x, y);
    if (m->zone_ev == 0) /* a recap may have replanned this mover and scheduled afresh */
        schedule_crossing(ms, ev->target, s);
}

int sf_movers_set_speed(sf_movers *ms, uint32_t mover, double vmax_empty, double vmax_loaded)
{
    if (mover >= ms->n || !(vmax_empty > 0) || !(vmax_loaded > 0))
        return SF_EINVAL;
    ms->m[mover].spec.vmax_empty = vmax_empty;
    ms->m[mover].spec.vmax_loaded = vmax_loaded;
    if (ms->m[mover].state == SF_MOVER_MOVING)
        sf__movers_replan_now(ms, mover);
    return SF_OK;
}
