/*
 * safety_cover.c: what the cameras see of the people near the robots: the
 * crossings of the cameras' zones and sectors along a person's path (when
 * a pass begins or ends), and the time a person near a working robot goes
 * unseen (time uncovered, docs/safety.md).
 */
#include <math.h>

#include "model/geometry.h"
#include "model/safety_int.h"

double sf__safety_polygon_crossing(const struct person *p, const double *xy, size_t n, double after, double best)
{
    for (uint32_t j = 0; j < p->motion.nlegs; j++) {
        const double *l = &p->line[4 * j];
        double dx = l[2] - l[0], dy = l[3] - l[1], lo = p->motion.leg_start_s[j], hi = sf_motion_leg_end(&p->motion, j);
        if (lo > best)
            break;
        for (size_t k = 0; k < n; k++) {
            double cx = xy[2 * k], cy = xy[2 * k + 1], ex = xy[2 * ((k + 1) % n)] - cx, ey = xy[2 * ((k + 1) % n) + 1] - cy;
            double den = dx * ey - dy * ex, wx = cx - l[0], wy = cy - l[1], u, t, s;
            if (fabs(den) < 1e-12)
                continue; /* parallel: running along an edge crosses nothing */
            u = (wx * ey - wy * ex) / den;
            t = (wx * dy - wy * dx) / den;
            if (u < 0 || u > 1 || t < 0 || t > 1)
                continue;
            s = p->s_from[j] + u * p->len[j];
            if (s >= lo && s <= hi && s > after + 1e-9 && s < best)
                best = s;
        }
    }
    return best;
}

/* The first crossing after `after` of camera cam's sector: its range circle and the two edges of its field of view. */
static double sector_crossing(const struct person *p, const sf_cfg_camera *cam, double after, double best)
{
    best = fmin(best, sf_safety_next_crossing(&p->motion, p->line, p->s_from, p->len, cam->x, cam->y,
                                              cam->detect_range, after));
    for (int side = -1; cam->fov < 360 && side <= 1; side += 2) {
        double a = (cam->heading + side * cam->fov / 2) * 3.14159265358979323846 / 180;
        const double edge[4] = {cam->x, cam->y, cam->x + cam->detect_range * cos(a), cam->y + cam->detect_range * sin(a)};
        best = sf__safety_polygon_crossing(p, edge, 2, after, best);
    }
    return best;
}

double sf__safety_camera_crossing(const sf_safety *s, const struct person *p, double after)
{
    double best = INFINITY;
    const sf_cfg_layout *L = &s->cfg->layout;

    for (size_t c = 0; sf_cameras_tracking(s->cams) && c < s->cfg->safety.n_cameras; c++) {
        const sf_cfg_camera *cam = &s->cfg->safety.cameras[c];
        for (size_t i = 0; i < cam->n_zones; i++) {
            int z = cam->zones[i];
            if (z >= 0 && (size_t)z < L->n_zones && L->zones[z].kind == SF_ZONE_COLLABORATIVE)
                best = sf__safety_polygon_crossing(p, L->zones[z].xy, L->zones[z].n_points, after, best);
        }
        if (cam->has_position)
            best = sector_crossing(p, cam, after, best);
    }
    return best;
}

/* A collaborative zone of camera c holds both the robot's station and (x, y). */
static bool shares_zone(const sf_scenario_config *cfg, size_t c, const struct robot *r, double x, double y)
{
    const sf_cfg_layout *L = &cfg->layout;
    const sf_cfg_camera *cam = &cfg->safety.cameras[c];

    for (size_t i = 0; i < cam->n_zones; i++) {
        const sf_cfg_zone *z = cam->zones[i] >= 0 && (size_t)cam->zones[i] < L->n_zones ? &L->zones[cam->zones[i]] : NULL;
        if (z && z->kind == SF_ZONE_COLLABORATIVE && sf_polygon_contains(z->xy, z->n_points, x, y) &&
            sf_polygon_contains(z->xy, z->n_points, r->x, r->y))
            return true;
    }
    return false;
}

/*
 * Person pi, last settled at (p->sx, p->sy): uncovered for the plant while
 * they are in a collaborative zone with a working robot whose rule relies
 * on cameras (ssm or pfl, its station watched), and no camera up over that
 * robot sees them; uncovered for camera c while they are in a zone of c
 * with such a robot that c watches, and c does not see them (down, missed,
 * within its latency, outside its sector).
 */
void sf__safety_cover(sf_safety *s, uint32_t pi)
{
    const struct person *p = &s->people[pi];
    uint64_t mask = 0;
    bool plant = false;

    if (!sf_cameras_tracking(s->cams))
        return; /* every camera up sees whoever is in its zones, and none fails */
    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        const struct robot *r = &s->robots[ri];
        bool near = false, seen = false;
        if (!r->working || !r->active || r->want == SF_SAFETY_FENCED || !r->cover)
            continue;
        for (size_t c = 0; c < s->cfg->safety.n_cameras && c < 64; c++) {
            bool in;
            if (!(r->cover >> c & 1))
                continue;
            in = shares_zone(s->cfg, c, r, p->sx, p->sy);
            seen |= sf_cameras_sees(s->cams, pi, c);
            near |= in;
            if (in && !sf_cameras_sees(s->cams, pi, c))
                mask |= (uint64_t)1 << c;
        }
        plant |= near && !seen;
    }
    sf_cameras_account(s->cams, pi, sf_kernel_now(s->k), s->measure_from, plant, mask);
}

void sf__safety_cover_all(sf_safety *s)
{
    for (uint32_t pi = 0; pi < s->npeople; pi++)
        sf__safety_cover(s, pi);
}

sf_time sf_safety_time_uncovered(const sf_safety *s, size_t camera, sf_time now)
{
    return s ? sf_cameras_uncovered(s->cams, camera, now, s->measure_from) : 0;
}
