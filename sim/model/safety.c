#include "model/safety.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/geometry.h"

/* Bands a person can be in around a robot: outside, slow disc, stop disc, the robot's reach. */
enum { OUTSIDE, SLOW, STOP, CONTACT };
/* Levels a robot runs at. */
enum { FULL, REDUCED, STOPPED };

struct robot {
    uint32_t agent;
    uint32_t mover;       /* a mobile robot's mover, SF_SAFETY_NONE for arms */
    bool active;          /* its bands count: arms always, mobile robots while they work */
    double x, y, reach;
    sf_safety_mode mode, rule_mode;
    double slow, stop;    /* the rule's distances (ssm) */
    double r_slow, r_stop; /* radii around the base; 0 when not ssm */
    double rate_reduced;
    double sep_full, sep_red; /* ssm: the protective separation distance at full and reduced speed */
    double v_full, v_red;  /* violation radii around the base (reach + S_p at full and reduced speed); 0: none */
    bool violating;
    sf_time violating_since;
    bool handover;        /* ssm partner work by hand-over (else at the collaborative speed) */
    sf_time handover_time;
    bool paused;          /* in a hand-over: rate 0 until handover_ev */
    sf_event_id handover_ev;
    bool covered;         /* its station is watched when every camera is up */
    uint64_t cover;       /* bit c: camera c (c < 64) watches its station */
    bool outage;          /* fenced now because the cameras over it are down */
    sf_time outage_since;
    sf_time resume_delay;
    bool working;
    uint32_t *partners;
    size_t npartners, cap;
    int applied;          /* the level in force */
    int resume_target;
    sf_event_id resume_ev;
    sf_time since;        /* statistics are counted up to here */
    sf_safety_stats st;
};

struct person {
    uint32_t agent, mover;
    bool moving;
    sf_motion motion;   /* a copy of the mover's motion while moving */
    double *line, *s_from, *len;
    double x, y;        /* where the person stands when not moving */
    sf_event_id ev;     /* next band crossing */
    double ev_s;
    double fold_s;      /* minimum separations are counted up to here along the motion */
    uint32_t waiting_for;
    sf_time wait_since;
};

struct camera {
    bool up;
    sf_rng failure, repair, detect;
    sf_event_id ev;
    uint64_t passes, missed;
};

struct sf_safety {
    sf_kernel *k;
    sf_movers *ms;
    const sf_scenario_config *cfg;
    sf_safety_hooks hooks;
    void *block; /* the arrays below, but for each robot's partners and each person's route */
    struct robot *robots;
    uint32_t nrobots;
    struct person *people;
    uint32_t npeople;
    uint8_t *band;          /* [person * nrobots + robot] */
    uint8_t *inside;        /* [person * nrobots + robot]: bit 0 within v_full, bit 1 within v_red */
    sf_time measure_from;   /* the warm-up: violations are counted from here */
    uint32_t *robot_of;     /* agent -> robot index or SF_SAFETY_NONE */
    uint32_t *person_of;    /* agent -> person index */
    uint32_t *person_of_mover;
    uint32_t nagents, nmovers;
    uint32_t kind_cross, kind_resume, kind_camera, kind_handover;
    struct camera *cams; /* one per configured camera */
    bool detecting;      /* some camera may miss a person (detection below 1) */
    uint8_t *cam_state;  /* [person * n_cameras + camera]: bit 0 inside its zones, bit 1 missed this pass */
};

static void on_camera(sf_kernel *k, void *ctx, const sf_event *ev);
static bool camera_contains(const sf_scenario_config *cfg, size_t c, double x, double y);
static void on_handover(sf_kernel *k, void *ctx, const sf_event *ev);
static int camera_next(sf_safety *s, uint32_t c, const sf_dist *d, sf_rng *rng);

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

/* ---- geometry of a motion ------------------------------------------------ */

static double leg_end_s(const sf_motion *m, uint32_t j)
{
    return j + 1 < m->nlegs ? m->leg_start_s[j + 1] : m->length;
}

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
        double lo = m->leg_start_s[j], hi = leg_end_s(m, j), u[2];

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

static void point_at(const struct person *p, double s, double *x, double *y)
{
    uint32_t j = 0;
    double u;

    while (j + 1 < p->motion.nlegs && p->motion.leg_start_s[j + 1] <= s)
        j++;
    u = (s - p->s_from[j]) / p->len[j];
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    *x = p->line[4 * j] + (p->line[4 * j + 2] - p->line[4 * j]) * u;
    *y = p->line[4 * j + 1] + (p->line[4 * j + 3] - p->line[4 * j + 1]) * u;
}

/* Distance from (cx, cy) to the segment between two points. */
static double segment_distance(double ax, double ay, double bx, double by, double cx, double cy)
{
    double dx = bx - ax, dy = by - ay, d2 = dx * dx + dy * dy, u = 0;

    if (d2 > 0)
        u = ((cx - ax) * dx + (cy - ay) * dy) / d2;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return hypot(ax + u * dx - cx, ay + u * dy - cy);
}

/* The closest the person's path between distances s0 and s1 comes to (cx, cy). */
static double path_distance(const struct person *p, double s0, double s1, double cx, double cy)
{
    double best = INFINITY;

    for (uint32_t j = 0; j < p->motion.nlegs; j++) {
        double lo = fmax(s0, p->motion.leg_start_s[j]), hi = fmin(s1, leg_end_s(&p->motion, j));
        double ax, ay, bx, by;
        if (lo > hi)
            continue;
        point_at(p, lo, &ax, &ay);
        point_at(p, hi, &bx, &by);
        best = fmin(best, segment_distance(ax, ay, bx, by, cx, cy));
    }
    return best;
}

/* ---- robots ---------------------------------------------------------------- */

static double rate_of(const struct robot *r, int level)
{
    return r->paused ? 0 : level == FULL ? 1 : level == REDUCED ? r->rate_reduced : 0;
}

static bool is_partner(const struct robot *r, uint32_t agent)
{
    for (size_t i = 0; i < r->npartners; i++)
        if (r->partners[i] == agent)
            return true;
    return false;
}

/* Close the statistics interval since the last change. */
static void account(struct robot *r, sf_time now)
{
    if (r->working && now > r->since) {
        sf_time dt = now - r->since;
        r->st.working += dt;
        if (r->applied == REDUCED)
            r->st.reduced += dt;
        else if (r->applied == STOPPED)
            r->st.stopped += dt;
        r->st.lost += sf_time_to_seconds(dt) * (1 - rate_of(r, r->applied));
    }
    r->since = now;
}

static void emit(sf_safety *s, sf_safety_what what, const struct robot *r, uint32_t person)
{
    sf_safety_event ev = {what, r->agent, person, NAN, sf_kernel_now(s->k)};

    if (s->hooks.event)
        s->hooks.event(s->hooks.ctx, &ev);
}

static void tell_state(sf_safety *s, uint32_t agent, sf_state st)
{
    if (s->hooks.state)
        s->hooks.state(s->hooks.ctx, agent, st, sf_kernel_now(s->k));
}

static sf_state state_of(int level)
{
    return level == FULL ? SF_STATE_WORKING : level == REDUCED ? SF_STATE_REDUCED_SPEED : SF_STATE_SAFETY_STOP;
}

/* The level the people around a robot call for now. */
static int target(const sf_safety *s, uint32_t ri)
{
    const struct robot *r = &s->robots[ri];
    int level = FULL;

    if (r->mode == SF_SAFETY_PFL)
        return REDUCED;
    if (r->mode != SF_SAFETY_SSM)
        return FULL;
    if (r->npartners > 0 && !r->handover) /* partner work, a person's or a humanoid's: at the collaborative speed */
        level = REDUCED;
    for (uint32_t p = 0; p < s->npeople; p++) {
        int b = s->band[p * s->nrobots + ri];
        if (b >= SLOW && is_partner(r, s->people[p].agent))
            b = r->handover ? OUTSIDE : SLOW; /* a crew partner: hand-over pauses, else reduced speed; never a stop */
        if (b >= STOP)
            return STOPPED;
        if (b == SLOW)
            level = REDUCED;
    }
    return level;
}

static void fold(sf_safety *s, uint32_t pi, sf_time now);

/*
 * A separation violation: a person (not a crew partner) nearer than the
 * robot may have them at the speed it runs at, while it works and moves.
 * Under ssm that is the protective separation distance at its present
 * speed (v_full, v_red); under fenced, inside its reach (a guard
 * breached); pfl has none. A robot in a protective stop has none.
 */
static bool violated(const sf_safety *s, uint32_t ri)
{
    const struct robot *r = &s->robots[ri];

    if (!r->working || !r->active || r->applied == STOPPED || r->mode == SF_SAFETY_PFL)
        return false;
    for (uint32_t p = 0; p < s->npeople; p++) {
        size_t k = (size_t)p * s->nrobots + ri;
        if (is_partner(r, s->people[p].agent))
            continue;
        if (r->mode == SF_SAFETY_FENCED ? s->band[k] == CONTACT : (s->inside[k] & (r->applied == FULL ? 1 : 2)) != 0)
            return true;
    }
    return false;
}

/* Open or close a violation episode; episodes begun and time spent count from the warm-up. */
static void check_violation(sf_safety *s, uint32_t ri)
{
    struct robot *r = &s->robots[ri];
    bool v = violated(s, ri);
    sf_time now = sf_kernel_now(s->k), from;

    if (v == r->violating)
        return;
    if (v) {
        r->violating_since = now;
        if (now >= s->measure_from)
            r->st.violations++;
    } else {
        from = r->violating_since > s->measure_from ? r->violating_since : s->measure_from;
        if (now > from)
            r->st.violation_time += now - from;
    }
    r->violating = v;
}

static void set_level(sf_safety *s, uint32_t ri, int level)
{
    struct robot *r = &s->robots[ri];
    int old = r->applied;
    sf_time now = sf_kernel_now(s->k);

    if (level == old)
        return;
    account(r, now);
    for (uint32_t p = 0; p < s->npeople; p++) /* closest approaches so far count at the old level */
        fold(s, p, now);
    r->applied = level;
    if (s->hooks.rate)
        s->hooks.rate(s->hooks.ctx, r->agent, rate_of(r, level), now);
    check_violation(s, ri);
    if (!r->working)
        return;
    if (!r->paused) /* in a hand-over it shows waiting for its partner until the hand-over ends */
        tell_state(s, r->agent, state_of(level));
    if (level == STOPPED) {
        r->st.stops++;
        emit(s, SF_SAFETY_STOP, r, SF_SAFETY_NONE);
    } else if (level == REDUCED) {
        if (r->mode == SF_SAFETY_SSM)
            emit(s, SF_SAFETY_SLOW, r, SF_SAFETY_NONE);
    } else {
        emit(s, SF_SAFETY_RESUME, r, SF_SAFETY_NONE);
    }
}

/*
 * Follow the people: a higher level applies at once; a lower one, while
 * the robot works, after resume_delay, counted from the last change of
 * what the people call for (a person who comes back during the delay
 * starts it again).
 */
static void update(sf_safety *s, uint32_t ri)
{
    int rc;
    struct robot *r = &s->robots[ri];
    int t = target(s, ri);

    if (t >= r->applied || r->resume_delay <= 0 || !r->working) { /* an idle robot has nothing to resume */
        if (r->resume_ev) {
            sf_kernel_cancel(s->k, r->resume_ev);
            r->resume_ev = 0;
        }
        set_level(s, ri, t);
        return;
    }
    if (r->resume_ev && r->resume_target == t)
        return;
    if (r->resume_ev)
        sf_kernel_cancel(s->k, r->resume_ev);
    r->resume_ev = 0;
    r->resume_target = t;
    if ((rc = sf_kernel_after(s->k, r->resume_delay, 0, s->kind_resume, ri, &r->resume_ev)) != SF_OK)
        sf_kernel_fail(s->k, rc);
}

static void on_resume(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_safety *s = ctx;
    struct robot *r = &s->robots[ev->target];
    int t = target(s, ev->target);

    (void)k;
    r->resume_ev = 0;
    if (t < r->applied)
        set_level(s, ev->target, t);
}

/* ---- people ----------------------------------------------------------------- */

static int band_at(const struct robot *r, double x, double y)
{
    double d = hypot(x - r->x, y - r->y);

    if (!r->active)
        return OUTSIDE;
    if (d <= r->reach)
        return CONTACT;
    if (d <= r->r_stop)
        return STOP;
    if (d <= r->r_slow)
        return SLOW;
    return OUTSIDE;
}

/* The person is at (x, y) from now until the next crossing: set every band. */
/*
 * The person at (x, y) enters or leaves the zones of cameras that may miss
 * them: each entry is a pass, detected with the camera's probability (one
 * draw from "camera.detection.NAME"); a missed pass lasts until they leave.
 */
static void passes(sf_safety *s, uint32_t pi, double x, double y)
{
    size_t nc = s->cfg->safety.n_cameras;
    sf_time now = sf_kernel_now(s->k);

    for (size_t c = 0; s->detecting && c < nc; c++) {
        const sf_cfg_camera *cam = &s->cfg->safety.cameras[c];
        uint8_t *st = &s->cam_state[(size_t)pi * nc + c];
        bool in;
        if (!(cam->miss > 0))
            continue;
        in = camera_contains(s->cfg, c, x, y);
        if (in && !(*st & 1)) {
            bool miss = sf_rng_uniform(&s->cams[c].detect) < cam->miss;
            *st = (uint8_t)(1 | (miss ? 2 : 0));
            if (now >= s->measure_from) {
                s->cams[c].passes++;
                s->cams[c].missed += miss;
            }
        } else if (!in) {
            *st = 0;
        }
    }
}

/*
 * The monitor does not see the person: every camera up over the robot's
 * station holds the person in its zones and missed them on this pass (a
 * person outside those zones counts as seen, as without detection).
 */
static bool hidden(const sf_safety *s, uint32_t pi, const struct robot *r)
{
    size_t nc = s->cfg->safety.n_cameras;
    bool any = false;

    if (!s->detecting || r->mode == SF_SAFETY_FENCED)
        return false;
    for (size_t c = 0; c < nc && c < 64; c++) {
        uint8_t st;
        if (!(r->cover >> c & 1) || !s->cams[c].up)
            continue;
        st = s->cam_state[(size_t)pi * nc + c];
        if (!(st & 1) || !(st & 2))
            return false;
        any = true;
    }
    return any;
}

static void settle(sf_safety *s, uint32_t pi, double x, double y)
{
    struct person *p = &s->people[pi];

    passes(s, pi, x, y);
    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        struct robot *r = &s->robots[ri];
        uint8_t *b = &s->band[pi * s->nrobots + ri], *ib = &s->inside[pi * s->nrobots + ri], in = 0;
        int nb = hidden(s, pi, r) ? OUTSIDE : band_at(r, x, y), near = r->mode == SF_SAFETY_SSM ? STOP : CONTACT;
        double d = hypot(x - r->x, y - r->y);
        if (r->active)
            in = (uint8_t)((r->v_full > 0 && d <= r->v_full ? 1 : 0) | (r->v_red > 0 && d <= r->v_red ? 2 : 0));
        if (nb == *b && in == *ib)
            continue;
        if (nb >= near && *b < near && r->working && !is_partner(r, p->agent)) {
            r->st.near_misses++;
            emit(s, SF_SAFETY_NEAR_MISS, r, p->agent);
        }
        *b = (uint8_t)nb;
        *ib = in;
        update(s, ri);
        check_violation(s, ri);
    }
}

/* Fold the closest approach since the last fold into the working robots' minimum separations. */
static void fold(sf_safety *s, uint32_t pi, sf_time now)
{
    struct person *p = &s->people[pi];
    double s_now = p->moving ? sf_motion_position(&p->motion, now, NULL) : 0;

    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        struct robot *r = &s->robots[ri];
        double d;
        if (!r->working || r->applied == STOPPED || is_partner(r, p->agent))
            continue; /* a robot in a protective stop is no hazard: nearness then is not separation */
        d = p->moving ? path_distance(p, p->fold_s, s_now, r->x, r->y) : hypot(p->x - r->x, p->y - r->y);
        d = fmax(0, d - r->reach);
        if (d < r->st.min_separation)
            r->st.min_separation = d;
    }
    p->fold_s = s_now;
}

/*
 * The first distance s > after along the person's motion where a leg
 * crosses an edge of the polygon xy (n corners): segment against segment,
 * per leg and edge. Cost: legs x corners.
 */
static double polygon_crossing(const struct person *p, const double *xy, size_t n, double after, double best)
{
    for (uint32_t j = 0; j < p->motion.nlegs; j++) {
        const double *l = &p->line[4 * j];
        double dx = l[2] - l[0], dy = l[3] - l[1], lo = p->motion.leg_start_s[j], hi = leg_end_s(&p->motion, j);
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

static double next_boundary(const sf_safety *s, const struct person *p, double after)
{
    double best = INFINITY;
    const sf_cfg_layout *L = &s->cfg->layout;

    for (size_t c = 0; s->detecting && c < s->cfg->safety.n_cameras; c++) {
        const sf_cfg_camera *cam = &s->cfg->safety.cameras[c];
        if (!(cam->miss > 0))
            continue;
        for (size_t i = 0; i < cam->n_zones; i++) {
            int z = cam->zones[i];
            if (z >= 0 && (size_t)z < L->n_zones && L->zones[z].kind == SF_ZONE_COLLABORATIVE)
                best = polygon_crossing(p, L->zones[z].xy, L->zones[z].n_points, after, best);
        }
    }

    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        const struct robot *r = &s->robots[ri];
        const double radii[5] = {r->r_slow, r->r_stop, r->reach, r->v_full, r->v_red};
        if (!r->active)
            continue;
        for (int i = 0; i < 5; i++)
            if (radii[i] > 0)
                best = fmin(best, sf_safety_next_crossing(&p->motion, p->line, p->s_from, p->len, r->x, r->y,
                                                          radii[i], after));
    }
    return best;
}

static void schedule_crossing(sf_safety *s, uint32_t pi, double after)
{
    int rc;
    struct person *p = &s->people[pi];
    double at = next_boundary(s, p, after);
    sf_time t, now = sf_kernel_now(s->k);

    if (isinf(at))
        return;
    p->ev_s = at;
    t = sf_motion_time_at(&p->motion, at);
    if ((rc = sf_kernel_at(s->k, t > now ? t : now, 0, s->kind_cross, pi, &p->ev)) != SF_OK)
        sf_kernel_fail(s->k, rc);
}

/* Which side of a boundary the person goes to: the midpoint up to the next one. */
static void settle_after(sf_safety *s, uint32_t pi, double at)
{
    struct person *p = &s->people[pi];
    double next = fmin(next_boundary(s, p, at), p->motion.length), x, y;

    point_at(p, next > at ? (at + next) / 2 : at, &x, &y);
    settle(s, pi, x, y);
}

static void on_cross(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_safety *s = ctx;
    struct person *p = &s->people[ev->target];

    (void)k;
    p->ev = 0;
    settle_after(s, ev->target, p->ev_s);
    schedule_crossing(s, ev->target, p->ev_s);
}

static int copy_motion(struct person *p, const sf_motion *m, const sf_movers *ms)
{
    sf_phase *ph = sf_malloc((m->n ? m->n : 1) * sizeof *ph);
    sf_time *le = sf_malloc((m->nlegs ? m->nlegs : 1) * sizeof *le);
    double *ls = sf_malloc((m->nlegs ? m->nlegs : 1) * sizeof *ls);
    double *line = sf_malloc((m->nlegs ? m->nlegs : 1) * 4 * sizeof *line);
    double *sf = sf_malloc((m->nlegs ? m->nlegs : 1) * sizeof *sf), *len = sf_malloc((m->nlegs ? m->nlegs : 1) * sizeof *len);

    if (!ph || !le || !ls || !line || !sf || !len) {
        free(ph), free(le), free(ls), free(line), free(sf), free(len);
        return SF_ENOMEM;
    }
    sf_motion_close(&p->motion);
    free(p->line), free(p->s_from), free(p->len);
    p->motion = *m;
    p->motion.phases = memcpy(ph, m->phases, m->n * sizeof *ph);
    p->motion.cap = m->n;
    p->motion.leg_end = memcpy(le, m->leg_end, m->nlegs * sizeof *le);
    p->motion.leg_start_s = memcpy(ls, m->leg_start_s, m->nlegs * sizeof *ls);
    p->line = line;
    p->s_from = sf;
    p->len = len;
    for (uint32_t j = 0; j < m->nlegs; j++)
        sf_movers_leg_line(ms, p->mover, j, &line[4 * j], &sf[j], &len[j]);
    return SF_OK;
}

/* The movers planned a new motion for a mover, or it came to rest. */
static void on_motion(void *ctx, uint32_t mover, sf_time now)
{
    sf_safety *s = ctx;
    uint32_t pi = mover < s->nmovers ? s->person_of_mover[mover] : SF_SAFETY_NONE;
    struct person *p;
    const sf_motion *m;

    if (pi == SF_SAFETY_NONE)
        return;
    p = &s->people[pi];
    fold(s, pi, now);
    if (p->ev) {
        sf_kernel_cancel(s->k, p->ev);
        p->ev = 0;
    }
    m = sf_movers_motion(s->ms, mover);
    if (m && m->nlegs > 0) {
        if (copy_motion(p, m, s->ms) != SF_OK) {
            sf_kernel_fail(s->k, SF_ENOMEM);
            return;
        }
        p->moving = true;
        p->fold_s = sf_motion_position(&p->motion, now, NULL);
        settle_after(s, pi, p->fold_s);
        schedule_crossing(s, pi, p->fold_s);
    } else {
        p->moving = false;
        p->fold_s = 0;
        sf_movers_position(s->ms, mover, now, &p->x, &p->y, NULL);
        settle(s, pi, p->x, p->y);
    }
}

/* ---- building ---------------------------------------------------------------- */

double sf_safety_work_rate(double q, double fixed)
{
    if (!(q > 0))
        return 0;
    if (q >= 1 || !(fixed > 0))
        return q;
    return 1 / (fixed + (1 - fixed) / q);
}

/* Camera c watches a collaborative zone that holds (x, y). */
static bool camera_contains(const sf_scenario_config *cfg, size_t c, double x, double y)
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

bool sf_safety_watched(const sf_scenario_config *cfg, double x, double y)
{
    for (size_t c = 0; c < cfg->safety.n_cameras; c++)
        if (camera_contains(cfg, c, x, y))
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
            if (segment_distance(p->x, p->y, q->x, q->y, c->x, c->y) < a->reach) {
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

/* As sf_safety_watched, by the cameras that are up now. */
static bool watched_now(const sf_safety *s, double x, double y)
{
    for (size_t c = 0; c < s->cfg->safety.n_cameras; c++)
        if (s->cams[c].up && camera_contains(s->cfg, c, x, y))
            return true;
    return false;
}

/* Open or close the robot's time fenced by a camera outage (counted from the warm-up). */
static void outage_update(sf_safety *s, struct robot *r, sf_time now)
{
    bool o = r->rule_mode != SF_SAFETY_FENCED && r->covered && r->mode == SF_SAFETY_FENCED && r->active;
    sf_time from;

    if (o == r->outage)
        return;
    if (o) {
        r->outage_since = now;
    } else {
        from = r->outage_since > s->measure_from ? r->outage_since : s->measure_from;
        if (now > from)
            r->st.outage_fenced += now - from;
    }
    r->outage = o;
}

/*
 * The robot works at (x, y): the mode in force there and its band radii.
 * Where no camera watches, a collaborative rule runs fenced: the scenario
 * loader refuses that unless the rule says `fallback: fenced`, and warns
 * when it does, so this is never silent. Where the cameras that watch are
 * all down (a failure), it runs fenced until one is repaired.
 */
static void place_robot(sf_safety *s, struct robot *r, double x, double y)
{
    r->x = x;
    r->y = y;
    r->covered = sf_safety_watched(s->cfg, x, y);
    r->cover = 0;
    for (size_t c = 0; c < s->cfg->safety.n_cameras && c < 64; c++)
        if (camera_contains(s->cfg, c, x, y))
            r->cover |= (uint64_t)1 << c;
    r->mode = r->rule_mode != SF_SAFETY_FENCED && !watched_now(s, x, y) ? SF_SAFETY_FENCED : r->rule_mode;
    r->r_slow = r->mode == SF_SAFETY_SSM ? r->reach + r->slow : 0;
    r->r_stop = r->mode == SF_SAFETY_SSM ? r->reach + r->stop : 0;
    r->v_full = r->mode == SF_SAFETY_SSM ? r->reach + r->sep_full : 0;
    r->v_red = r->mode == SF_SAFETY_SSM ? r->reach + r->sep_red : 0;
    r->st.mode = r->mode;
    r->st.rule = r->rule_mode;
    r->st.monitored = true;
}

static void build_robot(sf_safety *s, const sf_safety_agent *a, uint32_t agent, struct robot *r)
{
    const sf_scenario_config *cfg = s->cfg;
    const sf_cfg_agent_type *t = &cfg->fleet.types[a->type];
    const sf_cfg_safety_rule *rule = NULL;
    double speed, slow, stop;
    bool timed;

    for (size_t i = 0; i < cfg->safety.n_rules; i++)
        if (cfg->safety.rules[i].agent_type == a->type)
            rule = &cfg->safety.rules[i];
    memset(r, 0, sizeof *r);
    r->agent = agent;
    r->mover = a->mover;
    r->active = a->mover == SF_SAFETY_NONE;
    r->x = a->x;
    r->y = a->y;
    r->reach = t->reach;
    r->rule_mode = rule ? rule->mode : SF_SAFETY_FENCED;
    r->rate_reduced = 1;
    if (r->rule_mode != SF_SAFETY_FENCED) {
        speed = rule->robot_speed > 0 ? rule->robot_speed : t->speed > 0 ? t->speed : 1;
        r->rate_reduced = fmin(1, rule->reduced_speed / speed);
    }
    if (r->rule_mode == SF_SAFETY_SSM) {
        sf_safety_distances(rule, speed, &slow, &stop);
        r->slow = slow;
        r->stop = stop;
        /* S_p at each speed: from the times when the rule gives them, else the rule's distances stand for it */
        timed = rule->reaction_time > 0 || rule->stopping_time > 0;
        r->sep_full = timed ? sf_safety_separation(rule, speed) : slow;
        r->sep_red = timed ? sf_safety_separation(rule, fmin(rule->reduced_speed, speed)) : stop;
        r->resume_delay = rule->resume_delay;
        r->handover = rule->handover;
        r->handover_time = rule->handover_time;
    }
    place_robot(s, r, r->x, r->y);
    outage_update(s, r, sf_kernel_now(s->k));
    r->applied = r->mode == SF_SAFETY_PFL ? REDUCED : FULL;
    r->st.min_separation = INFINITY;
}

static void message(char *err, size_t n, const char *text)
{
    if (err && n)
        snprintf(err, n, "%s", text);
}

/* Robots: arms, and humanoids that move (a humanoid at a station is a pair of hands). People: workers who walk. */
static bool is_robot(const sf_safety_agent *a)
{
    return a->kind == SF_AGENT_ARM || (a->kind == SF_AGENT_HUMANOID && a->mover != SF_SAFETY_NONE);
}

static bool is_person(const sf_safety_agent *a)
{
    return !is_robot(a) && a->kind == SF_AGENT_WORKER && a->mover != SF_SAFETY_NONE;
}

sf_safety *sf_safety_new(sf_kernel *k, sf_movers *ms, const sf_scenario_config *cfg, const sf_safety_agent *agents,
                         uint32_t n, sf_safety_hooks hooks, char *err, size_t errlen)
{
    sf_safety *s = SF_NEW(sf_safety, .k = k, .ms = ms, .cfg = cfg, .hooks = hooks, .nagents = n);
    uint32_t nmovers = 0, nrobots = 0, npeople = 0;
    size_t ncams = cfg->safety.n_cameras;

    if (!s)
        goto fail;
    for (uint32_t i = 0; i < n; i++) {
        if (agents[i].mover != SF_SAFETY_NONE && agents[i].mover + 1 > nmovers)
            nmovers = agents[i].mover + 1;
        nrobots += is_robot(&agents[i]);
        npeople += is_person(&agents[i]);
    }
    s->nmovers = nmovers;
    s->block = SF_PARTS(SF_PART(s->robot_of, n), SF_PART(s->person_of, n), SF_PART(s->person_of_mover, nmovers),
                        SF_PART(s->robots, nrobots), SF_PART(s->people, npeople), SF_PART(s->cams, ncams),
                        SF_PART(s->cam_state, (size_t)n * ncams), SF_PART(s->band, (size_t)npeople * nrobots),
                        SF_PART(s->inside, (size_t)npeople * nrobots));
    if (!s->block)
        goto fail;
    s->measure_from = cfg->scenario.warmup;
    for (size_t c = 0; c < cfg->safety.n_cameras; c++) {
        char name[256];
        s->cams[c].up = true;
        if (!(cfg->safety.cameras[c].miss > 0))
            continue;
        s->detecting = true;
        snprintf(name, sizeof name, "camera.detection.%s", cfg->safety.cameras[c].name);
        sf_rng_init(&s->cams[c].detect, cfg->scenario.seed, name);
    }
    for (uint32_t m = 0; m < nmovers; m++)
        s->person_of_mover[m] = SF_SAFETY_NONE;
    for (uint32_t i = 0; i < n; i++) {
        s->robot_of[i] = s->person_of[i] = SF_SAFETY_NONE;
        if (is_robot(&agents[i])) {
            s->robot_of[i] = s->nrobots;
            build_robot(s, &agents[i], i, &s->robots[s->nrobots++]);
        } else if (is_person(&agents[i])) {
            struct person *p = &s->people[s->npeople];
            p->agent = i;
            p->mover = agents[i].mover;
            p->waiting_for = SF_SAFETY_NONE;
            sf_motion_init(&p->motion);
            s->person_of[i] = s->npeople;
            s->person_of_mover[p->mover] = s->npeople++;
        }
    }
    s->measure_from = cfg->scenario.warmup;
    if (SF_KERNEL_ADD_KINDS(k, s, {"safety.cross", on_cross, &s->kind_cross},
                            {"safety.resume", on_resume, &s->kind_resume},
                            {"safety.camera", on_camera, &s->kind_camera},
                            {"safety.handover", on_handover, &s->kind_handover}) != SF_OK)
        goto fail;
    for (size_t c = 0; c < cfg->safety.n_cameras; c++) {
        char name[256];
        if (!cfg->safety.cameras[c].fails)
            continue;
        snprintf(name, sizeof name, "camera.failure.%s", cfg->safety.cameras[c].name);
        sf_rng_init(&s->cams[c].failure, cfg->scenario.seed, name);
        snprintf(name, sizeof name, "camera.repair.%s", cfg->safety.cameras[c].name);
        sf_rng_init(&s->cams[c].repair, cfg->scenario.seed, name);
        if (camera_next(s, (uint32_t)c, &cfg->safety.cameras[c].mtbf, &s->cams[c].failure) != SF_OK)
            goto fail;
    }
    if (s->npeople && s->nrobots && sf_movers_watch(ms, on_motion, s) != SF_OK)
        goto fail;
    /* where everybody stands now */
    for (uint32_t p = 0; p < s->npeople && s->nrobots; p++) {
        sf_movers_position(ms, s->people[p].mover, sf_kernel_now(k), &s->people[p].x, &s->people[p].y, NULL);
        settle(s, p, s->people[p].x, s->people[p].y);
    }
    return s;
fail:
    message(err, errlen, "collaboration safety cannot be set up: out of memory or too many kinds of event");
    sf_safety_free(s);
    return NULL;
}

void sf_safety_free(sf_safety *s)
{
    if (!s)
        return;
    if (s->ms)
        sf_movers_unwatch(s->ms, on_motion, s);
    for (uint32_t p = 0; s->people && p < s->npeople; p++) {
        sf_motion_close(&s->people[p].motion);
        free(s->people[p].line);
        free(s->people[p].s_from);
        free(s->people[p].len);
    }
    for (uint32_t r = 0; s->robots && r < s->nrobots; r++)
        free(s->robots[r].partners);
    free(s->block);
    free(s);
}

/* ---- the model's questions ------------------------------------------------------ */

static struct robot *robot_of(const sf_safety *s, uint32_t agent, uint32_t *ri)
{
    uint32_t i = agent < s->nagents ? s->robot_of[agent] : SF_SAFETY_NONE;

    if (ri)
        *ri = i;
    return i == SF_SAFETY_NONE ? NULL : &s->robots[i];
}

static void resettle(sf_safety *s, uint32_t ri, bool on);

/* Schedule camera c's next change after a draw from `d` on stream `rng`. */
static int camera_next(sf_safety *s, uint32_t c, const sf_dist *d, sf_rng *rng)
{
    double dt = sf_dist_sample(d, rng);
    sf_time t;

    if (!(dt >= 0) || sf_time_from_seconds(dt, &t) != SF_OK)
        return SF_ERANGE;
    return sf_kernel_after(s->k, t, 0, s->kind_camera, c, &s->cams[c].ev);
}

/*
 * A camera fails or is repaired: every arm (and every working humanoid)
 * takes the mode the cameras up now allow where it works; one whose mode
 * changes gets its bands placed again and everyone's band settled again.
 */
static void on_camera(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_safety *s = ctx;
    struct camera *cam = &s->cams[ev->target];
    const sf_cfg_camera *cfg = &s->cfg->safety.cameras[ev->target];
    sf_time now = sf_kernel_now(k);
    int rc;

    cam->ev = 0;
    cam->up = !cam->up;
    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        struct robot *r = &s->robots[ri];
        sf_safety_mode old = r->mode;
        if (!r->active)
            continue;
        account(r, now);
        for (uint32_t p = 0; p < s->npeople; p++)
            fold(s, p, now);
        place_robot(s, r, r->x, r->y);
        outage_update(s, r, now);
        if (r->mode == old)
            continue;
        resettle(s, ri, true);
        update(s, ri);
        check_violation(s, ri);
    }
    rc = cam->up ? camera_next(s, ev->target, &cfg->mtbf, &cam->failure)
                 : camera_next(s, ev->target, &cfg->mttr, &cam->repair);
    if (rc != SF_OK)
        sf_kernel_fail(k, rc);
}

/*
 * A mobile robot (a humanoid) is monitored while it works, where it
 * stands: its bands are placed there (with the mode the cameras allow
 * there), every person's band is set from where they are now, and their
 * next crossings are computed again with the new circles. When it stops
 * working its bands are lifted.
 */
static void activate(sf_safety *s, uint32_t ri, bool on)
{
    struct robot *r = &s->robots[ri];
    sf_time now = sf_kernel_now(s->k);

    if (on) {
        double x, y;
        sf_movers_position(s->ms, r->mover, now, &x, &y, NULL);
        place_robot(s, r, x, y);
        r->applied = r->mode == SF_SAFETY_PFL ? REDUCED : FULL;
    }
    r->active = on;
    outage_update(s, r, now);
    resettle(s, ri, on);
}

/* Every person's band around robot ri from where they are now, and their next crossings (bands moved). */
static void resettle(sf_safety *s, uint32_t ri, bool on)
{
    sf_time now = sf_kernel_now(s->k);

    for (uint32_t pi = 0; pi < s->npeople; pi++) {
        struct person *p = &s->people[pi];
        double x = p->x, y = p->y, at = 0;
        if (!on) {
            s->band[pi * s->nrobots + ri] = OUTSIDE;
            s->inside[pi * s->nrobots + ri] = 0;
            continue;
        }
        if (p->moving) {
            at = sf_motion_position(&p->motion, now, NULL);
            if (p->ev) {
                sf_kernel_cancel(s->k, p->ev);
                p->ev = 0;
            }
            settle_after(s, pi, at);
            schedule_crossing(s, pi, at);
        } else {
            settle(s, pi, x, y);
        }
    }
}

/* The partner's hands have left the shared space: the robot works at the rate its level gives. */
static void on_handover(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_safety *s = ctx;
    struct robot *r = &s->robots[ev->target];
    sf_time now = sf_kernel_now(k);

    r->handover_ev = 0;
    account(r, now);
    r->paused = false;
    if (s->hooks.rate)
        s->hooks.rate(s->hooks.ctx, r->agent, rate_of(r, r->applied), now);
    tell_state(s, r->agent, state_of(r->applied));
}

double sf_safety_working(sf_safety *s, uint32_t robot, bool working, const uint32_t *partners, size_t npartners)
{
    uint32_t ri;
    struct robot *r = robot_of(s, robot, &ri);
    sf_time now = sf_kernel_now(s->k);

    if (!r)
        return 1;
    account(r, now);
    for (uint32_t p = 0; p < s->npeople; p++)
        fold(s, p, now);
    if (npartners > r->cap) {
        uint32_t *np = sf_realloc(r->partners, npartners * sizeof *np);
        if (!np) {
            sf_kernel_fail(s->k, SF_ENOMEM);
            npartners = 0;
        } else {
            r->partners = np;
            r->cap = npartners;
        }
    }
    r->npartners = working ? npartners : 0;
    if (r->npartners)
        memcpy(r->partners, partners, npartners * sizeof *partners);
    if (!working && r->handover_ev) { /* the operation ended during its hand-over */
        sf_kernel_cancel(s->k, r->handover_ev);
        r->handover_ev = 0;
        r->paused = false;
    }
    if (working && !r->working && r->mover != SF_SAFETY_NONE)
        activate(s, ri, true);
    if (working && !r->working) {
        update(s, ri); /* not yet working: only the rate is told */
        r->working = true;
        if (r->handover && r->npartners > 0 && r->handover_time > 0 && r->mode == SF_SAFETY_SSM) {
            int rc = sf_kernel_after(s->k, r->handover_time, 0, s->kind_handover, ri, &r->handover_ev);
            if (rc != SF_OK)
                sf_kernel_fail(s->k, rc);
            r->paused = true; /* the partner's hands are in the shared space first */
            tell_state(s, r->agent, SF_STATE_WAIT_PERSON);
        } else if (r->applied != FULL)
            tell_state(s, r->agent, state_of(r->applied));
        if (r->applied == STOPPED) {
            r->st.stops++;
            emit(s, SF_SAFETY_STOP, r, SF_SAFETY_NONE);
        } else if (r->applied == REDUCED && r->mode == SF_SAFETY_SSM) {
            emit(s, SF_SAFETY_SLOW, r, SF_SAFETY_NONE);
        }
    } else if (!working && r->working) {
        r->working = false;
        if (r->mover != SF_SAFETY_NONE)
            activate(s, ri, false);
        update(s, ri);
        for (uint32_t p = 0; p < s->npeople; p++) {
            struct person *q = &s->people[p];
            if (q->waiting_for != robot)
                continue;
            q->waiting_for = SF_SAFETY_NONE;
            r->st.waited += now - q->wait_since;
            if (s->hooks.admit)
                s->hooks.admit(s->hooks.ctx, q->agent, robot, now);
        }
    } else {
        update(s, ri);
    }
    check_violation(s, ri);
    return rate_of(r, r->applied);
}

double sf_safety_rate(const sf_safety *s, uint32_t robot)
{
    const struct robot *r = robot_of(s, robot, NULL);

    return r ? rate_of(r, r->applied) : 1;
}

bool sf_safety_enter(sf_safety *s, uint32_t person, uint32_t robot)
{
    struct robot *r = robot_of(s, robot, NULL);
    uint32_t pi = person < s->nagents ? s->person_of[person] : SF_SAFETY_NONE;

    if (!r || pi == SF_SAFETY_NONE || r->mode != SF_SAFETY_FENCED || !r->working)
        return true;
    s->people[pi].waiting_for = robot;
    s->people[pi].wait_since = sf_kernel_now(s->k);
    r->st.waits++;
    tell_state(s, person, SF_STATE_WAIT_ROBOT);
    return false;
}

void sf_safety_leave(sf_safety *s, uint32_t person, uint32_t robot)
{
    struct robot *r = robot_of(s, robot, NULL);
    uint32_t pi = person < s->nagents ? s->person_of[person] : SF_SAFETY_NONE;

    if (!r || pi == SF_SAFETY_NONE || s->people[pi].waiting_for != robot)
        return;
    s->people[pi].waiting_for = SF_SAFETY_NONE;
    r->st.waited += sf_kernel_now(s->k) - s->people[pi].wait_since;
}

sf_safety_stats sf_safety_robot_stats(sf_safety *s, uint32_t robot, sf_time now)
{
    struct robot *r = robot_of(s, robot, NULL);
    sf_safety_stats st;

    memset(&st, 0, sizeof st);
    st.min_separation = INFINITY; /* an agent that is not a monitored robot saw nobody */
    if (!r)
        return st;
    account(r, now);
    for (uint32_t p = 0; p < s->npeople; p++)
        fold(s, p, now);
    st = r->st;
    for (uint32_t p = 0; p < s->npeople; p++)
        if (s->people[p].waiting_for == robot)
            st.waited += now - s->people[p].wait_since;
    if (r->violating) {
        sf_time from = r->violating_since > s->measure_from ? r->violating_since : s->measure_from;
        if (now > from)
            st.violation_time += now - from;
    }
    if (r->outage) {
        sf_time from = r->outage_since > s->measure_from ? r->outage_since : s->measure_from;
        if (now > from)
            st.outage_fenced += now - from;
    }
    return st;
}

void sf_safety_camera_stats(const sf_safety *s, size_t camera, uint64_t *passes, uint64_t *missed)
{
    bool ok = camera < s->cfg->safety.n_cameras;

    *passes = ok ? s->cams[camera].passes : 0;
    *missed = ok ? s->cams[camera].missed : 0;
}

sf_safety_mode sf_safety_mode_of(const sf_safety *s, uint32_t robot, double *slow_radius, double *stop_radius)
{
    const struct robot *r = robot_of(s, robot, NULL);

    if (slow_radius)
        *slow_radius = r ? r->r_slow : 0;
    if (stop_radius)
        *stop_radius = r ? r->r_stop : 0;
    return r ? r->mode : SF_SAFETY_FENCED;
}

int sf_safety_report(sf_safety *s, FILE *out, sf_time now, const char *(*name)(void *ctx, uint32_t agent),
                     void *ctx)
{
    static const char *const modes[] = {"fenced", "ssm", "pfl"};

    if (s->nrobots == 0)
        return SF_OK;
    fprintf(out, "\n%-16s %-6s %-6s %9s %8s %8s %6s %6s %9s %7s %6s %8s\n", "robot", "mode", "rule", "working_h", "reduced%",
            "stopped%", "stops", "near", "min_sep_m", "lost%", "waits", "waited_h");
    for (uint32_t i = 0; i < s->nrobots; i++) {
        sf_safety_stats st = sf_safety_robot_stats(s, s->robots[i].agent, now);
        double work = sf_time_to_seconds(st.working), share = work > 0 ? 100 / work : 0;
        char sep[32];
        if (isinf(st.min_separation))
            snprintf(sep, sizeof sep, "-");
        else
            snprintf(sep, sizeof sep, "%.2f", st.min_separation);
        fprintf(out, "%-16.16s %-6s %-6s %9.2f %8.1f %8.1f %6llu %6llu %9s %7.1f %6llu %8.2f\n",
                name ? name(ctx, s->robots[i].agent) : "?", modes[st.mode], modes[st.rule], work / 3600,
                sf_time_to_seconds(st.reduced) * share, sf_time_to_seconds(st.stopped) * share,
                (unsigned long long)st.stops, (unsigned long long)st.near_misses, sep, st.lost * share,
                (unsigned long long)st.waits, sf_time_to_seconds(st.waited) / 3600);
    }
    return ferror(out) ? SF_EIO : SF_OK;
}
