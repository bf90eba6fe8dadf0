/*
 * safety_rules.c: collaboration safety as configured: the distances of a
 * rule (ISO/TS 15066, ISO 13855), where cameras watch, which paths the
 * guards close to people, the rate of partly slowed work, and when a
 * planned motion crosses a circle. Nothing here depends on a run.
 */
#include "model/safety.h"

#include <math.h>

#include "model/geometry.h"

/* ---- the separation distance --------------------------------------------- */

double sf_safety_separation(const sf_cfg_safety_rule *r, double v_r)
{
    double tr = sf_time_to_seconds(r->reaction_time), ts = sf_time_to_seconds(r->stopping_time);
    double ss = r->stopping_distance >= 0 ? r->stopping_distance : v_r * ts / 2;

    return r->person_speed * (tr + ts) + v_r * tr + ss + r->intrusion + r->person_uncertainty + r->robot_uncertainty;
}

double sf_safety_iso13855_intrusion(sf_detection type, double capability, double height)
{
    switch (type) {
    case SF_DETECT_AREA:
        return fmax(0.85, 1.2 - 0.4 * height);
    case SF_DETECT_BODY:
        return 0.85;
    case SF_DETECT_HAND:
        return fmax(0, 8 * (capability - 0.014));
    }
    return 0.85;
}

void sf_safety_distances(const sf_cfg_safety_rule *r, double robot_speed, double *slow, double *stop)
{
    *slow = r->slow_distance > 0 ? r->slow_distance : sf_safety_separation(r, robot_speed);
    *stop = r->stop_distance > 0 ? r->stop_distance : sf_safety_separation(r, fmin(r->reduced_speed, robot_speed));
    if (*slow < *stop)
        *slow = *stop;
}

double sf_safety_work_rate(double q, double fixed)
{
    if (!(q > 0))
        return 0;
    if (q >= 1 || !(fixed > 0))
        return q;
    return 1 / (fixed + (1 - fixed) / q);
}

double sf_safety_collaborative_ratio(const sf_scenario_config *cfg, int type)
{
    const sf_cfg_safety_rule *rule = NULL;
    const sf_cfg_agent_type *t;
    double speed;

    if (type < 0 || (size_t)type >= cfg->fleet.n_types)
        return 1;
    for (size_t i = 0; i < cfg->safety.n_rules; i++)
        if (cfg->safety.rules[i].agent_type == type)
            rule = &cfg->safety.rules[i];
    if (!rule || rule->mode == SF_SAFETY_FENCED)
        return 1;
    t = &cfg->fleet.types[type];
    speed = rule->robot_speed > 0 ? rule->robot_speed : t->speed > 0 ? t->speed : 1;
    return fmin(1, rule->reduced_speed / speed);
}

bool sf_safety_can_switch(const sf_scenario_config *cfg, int type, sf_safety_mode mode)
{
    const sf_cfg_safety_rule *rule = NULL;
    sf_agent_kind kind;

    if (type < 0 || (size_t)type >= cfg->fleet.n_types)
        return false;
    kind = cfg->fleet.types[type].kind;
    if (kind != SF_AGENT_ARM && kind != SF_AGENT_HUMANOID)
        return false;
    for (size_t i = 0; i < cfg->safety.n_rules; i++)
        if (cfg->safety.rules[i].agent_type == type)
            rule = &cfg->safety.rules[i];
    switch (mode) {
    case SF_SAFETY_FENCED:
        return true;
    case SF_SAFETY_SSM:
        return rule && rule->mode == SF_SAFETY_SSM;
    case SF_SAFETY_PFL:
        return kind == SF_AGENT_ARM && rule && rule->mode != SF_SAFETY_FENCED;
    }
    return false;
}

bool sf_safety_camera_sector(const sf_cfg_camera *cam, double x, double y)
{
    double dx, dy, off;

    if (!cam->has_position)
        return true;
    dx = x - cam->x;
    dy = y - cam->y;
    if (hypot(dx, dy) > cam->detect_range)
        return false;
    if (cam->fov >= 360 || (dx == 0 && dy == 0))
        return true;
    off = fmod(fabs(atan2(dy, dx) * 180 / 3.14159265358979323846 - cam->heading), 360); /* the angle off its heading, degrees */
    return fmin(off, 360 - off) <= cam->fov / 2;
}

bool sf_safety_camera_in_zones(const sf_scenario_config *cfg, size_t c, double x, double y)
{
    const sf_cfg_layout *L = &cfg->layout;
    const sf_cfg_camera *cam = &cfg->safety.cameras[c];

    for (size_t i = 0; i < cam->n_zones; i++) {
        int z = cam->zones[i];
        if (z >= 0 && (size_t)z < L->n_zones && L->zones[z].kind == SF_ZONE_COLLABORATIVE &&
            sf_polygon_contains(L->zones[z].xy, L->zones[z].n_points, x, y))
            return true;
    }
    return false;
}

bool sf_safety_camera_contains(const sf_scenario_config *cfg, size_t c, double x, double y)
{
    return sf_safety_camera_in_zones(cfg, c, x, y) && sf_safety_camera_sector(&cfg->safety.cameras[c], x, y);
}

double sf_safety_camera_share(const sf_cfg_camera *cam, const sf_cfg_zone *z)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    size_t in = 0, seen = 0;
    const int n = 200;

    for (size_t k = 0; k < z->n_points; k++) {
        x0 = fmin(x0, z->xy[2 * k]), x1 = fmax(x1, z->xy[2 * k]);
        y0 = fmin(y0, z->xy[2 * k + 1]), y1 = fmax(y1, z->xy[2 * k + 1]);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double x = x0 + (x1 - x0) * (i + 0.5) / n, y = y0 + (y1 - y0) * (j + 0.5) / n;
            if (!sf_polygon_contains(z->xy, z->n_points, x, y))
                continue;
            in++;
            seen += sf_safety_camera_sector(cam, x, y);
        }
    return in ? (double)seen / (double)in : 0;
}

bool sf_safety_watched(const sf_scenario_config *cfg, double x, double y)
{
    for (size_t c = 0; c < cfg->safety.n_cameras; c++)
        if (sf_safety_camera_contains(cfg, c, x, y))
            return true;
    return false;
}



size_t sf_safety_fences(const sf_scenario_config *cfg, bool *seg_fenced, bool *node_fenced)
{
    const sf_cfg_layout *L = &cfg->layout;
    size_t n = 0;

    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        const sf_cfg_agent_type *a = &cfg->fleet.types[t];
        const sf_cfg_safety_rule *rule = NULL;
        const sf_cfg_node *c;
        int node;
        if (a->kind != SF_AGENT_ARM || a->count <= 0 || a->home_station < 0 || !(a->reach > 0))
            continue;
        node = L->stations[a->home_station].node;
        c = &L->nodes[node];
        for (size_t i = 0; i < cfg->safety.n_rules; i++)
            if (cfg->safety.rules[i].agent_type == (int)t)
                rule = &cfg->safety.rules[i];
        /* guarded: a fenced rule (or none), or a collaborative one that falls back where no camera watches */
        if (rule && rule->mode != SF_SAFETY_FENCED && sf_safety_watched(cfg, c->x, c->y))
            continue;
        if (!node_fenced[node])
            n++;
        node_fenced[node] = true;
        for (size_t i = 0; i < L->n_segments; i++) {
            const sf_cfg_segment *g = &L->segments[i];
            const sf_cfg_node *p = &L->nodes[g->from], *q = &L->nodes[g->to];
            if (seg_fenced[i] || g->from == node || g->to == node) /* the station's own access */
                continue;
            if (sf_segment_distance(p->x, p->y, q->x, q->y, c->x, c->y) < a->reach) {
                seg_fenced[i] = true;
                n++;
            }
        }
    }
    for (size_t z = 0; z < L->n_zones; z++) {
        const sf_cfg_zone *zone = &L->zones[z];
        if (zone->kind != SF_ZONE_ROBOTS_ONLY)
            continue;
        for (size_t i = 0; i < L->n_segments; i++) {
            const sf_cfg_segment *g = &L->segments[i];
            const sf_cfg_node *p = &L->nodes[g->from], *q = &L->nodes[g->to];
            double iv[2 * (SF_POLYGON_MAX / 2 + 1)];
            size_t k = sf_polygon_clip(zone->xy, zone->n_points, p->x, p->y, q->x, q->y, iv, SF_POLYGON_MAX / 2 + 1);
            bool inside = false;
            for (size_t j = 0; j < k; j++)
                inside |= iv[2 * j + 1] > iv[2 * j];
            if (inside && !seg_fenced[i]) {
                seg_fenced[i] = true;
                n++;
            }
        }
    }
    return n;
}

/* ---- geometry of a motion ------------------------------------------------ */

/*
 * Per leg, the straight line a + u (b - a), u = (s - s_from) / len, meets
 * the circle |p - c| = r where A u^2 + B u + C = 0. Roots outside the
 * part of the leg this motion covers, or not beyond `after`, are not
 * crossings. Cost: one quadratic per leg.
 */
double sf_safety_next_crossing(const sf_motion *m, const double *line, const double *s_from, const double *len,
                               double cx, double cy, double r, double after)
{
    double best = INFINITY;

    for (uint32_t j = 0; j < m->nlegs; j++) {
        const double *l = &line[4 * j];
        double dx = l[2] - l[0], dy = l[3] - l[1], ex = l[0] - cx, ey = l[1] - cy;
        double A = dx * dx + dy * dy, B = 2 * (ex * dx + ey * dy), C = ex * ex + ey * ey - r * r, D, q;
        double lo = m->leg_start_s[j], hi = sf_motion_leg_end(m, j), u[2];

        if (lo > best)
            break;
        if (!(A > 0) || (D = B * B - 4 * A * C) <= 0) /* a tangent touches without crossing */
            continue;
        /* the numerically stable pair of roots */
        q = -0.5 * (B + copysign(sqrt(D), B));
        u[0] = q / A;
        u[1] = q != 0 ? C / q : -u[0];
        for (int i = 0; i < 2; i++) {
            double s = s_from[j] + u[i] * len[j];
            if (s >= lo && s <= hi && s > after + 1e-9 && s < best)
                best = s;
        }
    }
    return best;
}
