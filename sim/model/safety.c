#include "model/safety.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/geometry.h"
#include "model/safety_int.h"



/* ---- geometry of a motion ------------------------------------------------ */

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

/* The closest the person's path between distances s0 and s1 comes to (cx, cy). */
static double path_distance(const struct person *p, double s0, double s1, double cx, double cy)
{
    double best = INFINITY;

    for (uint32_t j = 0; j < p->motion.nlegs; j++) {
        double lo = fmax(s0, p->motion.leg_start_s[j]), hi = fmin(s1, sf_motion_leg_end(&p->motion, j));
        double ax, ay, bx, by;
        if (lo > hi)
            continue;
        point_at(p, lo, &ax, &ay);
        point_at(p, hi, &bx, &by);
        best = fmin(best, sf_segment_distance(ax, ay, bx, by, cx, cy));
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
        double lost = sf_time_to_seconds(dt) * (1 - sf_safety_work_rate(rate_of(r, r->applied), r->fixed));
        sf_safety_mode_stats *m = &r->st.by_mode[r->mode];
        r->st.lost += lost;
        m->lost += lost;
        m->working += dt;
        if (r->applied == REDUCED)
            m->reduced += dt;
        else if (r->applied == STOPPED)
            m->stopped += dt;
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

    if (!r->working || !r->active || r->down || r->applied == STOPPED || r->mode == SF_SAFETY_PFL)
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
        r->violating_since = r->violation_began = now;
        if (now >= s->measure_from) {
            r->st.violations++;
            r->st.by_mode[r->mode].violations++;
        }
    } else {
        from = r->violating_since > s->measure_from ? r->violating_since : s->measure_from;
        if (now > from) {
            r->st.violation_time += now - from;
            r->st.by_mode[r->mode].violation_time += now - from;
        } else if (now == r->violation_began && now >= s->measure_from) {
            /* an episode of no length (a path that only touches the boundary, a repaired robot's crew
               leaving at the instant it is back) is none */
            r->st.violations--;
            r->st.by_mode[r->mode].violations--;
        }
    }
    r->violating = v;
}

/* A violation episode that goes on across a change of mode: its time so far counts in the mode it had. */
static void split_violation(sf_safety *s, struct robot *r, sf_time now)
{
    sf_time from = r->violating_since > s->measure_from ? r->violating_since : s->measure_from;

    if (!r->violating || now <= from)
        return;
    r->st.violation_time += now - from;
    r->st.by_mode[r->mode].violation_time += now - from;
    r->violating_since = now;
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

void sf__safety_on_resume(sf_kernel *k, void *ctx, const sf_event *ev)
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
void sf__safety_settle(sf_safety *s, uint32_t pi, double x, double y)
{
    struct person *p = &s->people[pi];

    p->sx = x;
    p->sy = y;
    sf_cameras_pass(s->cams, pi, x, y, sf_kernel_now(s->k) >= s->measure_from);
    sf__safety_cover(s, pi);
    for (uint32_t ri = 0; ri < s->nrobots; ri++) {
        struct robot *r = &s->robots[ri];
        uint8_t *b = &s->band[pi * s->nrobots + ri], *ib = &s->inside[pi * s->nrobots + ri], in = 0;
        bool unseen = r->mode != SF_SAFETY_FENCED && sf_cameras_unseen(s->cams, pi, r->cover);
        int nb = unseen ? OUTSIDE : band_at(r, x, y), near = r->mode == SF_SAFETY_SSM ? STOP : CONTACT;
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
        if (!r->working || r->down || r->applied == STOPPED || is_partner(r, p->agent))
            continue; /* a failed robot or one in a protective stop is no hazard: nearness then is not separation */
        d = p->moving ? path_distance(p, p->fold_s, s_now, r->x, r->y) : hypot(p->x - r->x, p->y - r->y);
        d = fmax(0, d - r->reach);
        if (d < r->st.min_separation)
            r->st.min_separation = d;
    }
    p->fold_s = s_now;
}

static double next_boundary(const sf_safety *s, const struct person *p, double after)
{
    double best = sf__safety_camera_crossing(s, p, after);

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
    sf__safety_settle(s, pi, x, y);
}

void sf__safety_on_cross(sf_kernel *k, void *ctx, const sf_event *ev)
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

/* A camera's latency is over: it sees the person now, settled where they are. */
static void on_seen(sf_kernel *k, sf_safety *s, const sf_event *ev)
{
    uint32_t pi = sf_cameras_seen(s->cams, ev->target);
    struct person *p = &s->people[pi];
    double x = p->x, y = p->y;

    if (p->moving)
        point_at(p, sf_motion_position(&p->motion, sf_kernel_now(k), NULL), &x, &y);
    sf__safety_settle(s, pi, x, y);
}

/* The movers planned a new motion for a mover, or it came to rest. */
void sf__safety_on_motion(void *ctx, uint32_t mover, sf_time now)
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
        sf__safety_settle(s, pi, p->x, p->y);
    }
}

/* ---- building ---------------------------------------------------------------- */

/* Open or close the robot's time fenced by a camera outage (counted from the warm-up). */
void sf__safety_outage_update(sf_safety *s, struct robot *r, sf_time now)
{
    bool o = sf__safety_asked(r) != SF_SAFETY_FENCED && r->covered && r->mode == SF_SAFETY_FENCED && r->active;
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
sf_safety_mode sf__safety_asked(const struct robot *r)
{
    return r->fences_after ? SF_SAFETY_FENCED : r->want;
}

void sf__safety_place_robot(sf_safety *s, struct robot *r, double x, double y)
{
    sf_safety_mode asked = sf__safety_asked(r);

    r->x = x;
    r->y = y;
    r->covered = sf_safety_watched(s->cfg, x, y);
    r->cover = 0;
    for (size_t c = 0; c < s->cfg->safety.n_cameras && c < 64; c++)
        if (sf_safety_camera_contains(s->cfg, c, x, y))
            r->cover |= (uint64_t)1 << c;
    r->mode = asked != SF_SAFETY_FENCED && !sf_cameras_watching(s->cams, x, y) ? SF_SAFETY_FENCED : asked;
    r->r_slow = r->mode == SF_SAFETY_SSM ? r->reach + r->slow : 0;
    r->r_stop = r->mode == SF_SAFETY_SSM ? r->reach + r->stop : 0;
    r->v_full = r->mode == SF_SAFETY_SSM ? r->reach + r->sep_full : 0;
    r->v_red = r->mode == SF_SAFETY_SSM ? r->reach + r->sep_red : 0;
    r->st.mode = r->mode;
    r->st.rule = r->rule_mode;
    r->st.monitored = true;
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

/*
 * Robot ri (active) takes the mode allowed now where it works (the
 * cameras up, a fence held); when its mode changes its bands are placed
 * again and everyone's band settled again.
 */
static void mode_changed(sf_safety *s, uint32_t ri, sf_time now)
{
    struct robot *r = &s->robots[ri];
    sf_safety_mode old = r->mode;

    account(r, now);
    for (uint32_t p = 0; p < s->npeople; p++)
        fold(s, p, now);
    split_violation(s, r, now);
    sf__safety_place_robot(s, r, r->x, r->y);
    sf__safety_outage_update(s, r, now);
    if (r->mode == old)
        return;
    resettle(s, ri, true);
    update(s, ri);
    check_violation(s, ri);
}

/* A camera fails, is repaired or held: every arm (and every working humanoid) takes the mode allowed now. */
static void cameras_changed(sf_safety *s, sf_time now)
{
    for (uint32_t ri = 0; ri < s->nrobots; ri++)
        if (s->robots[ri].active)
            mode_changed(s, ri, now);
    sf__safety_cover_all(s);
}

/* An intervention fences an arm, or lifts one fence (sf_safety_fence in safety.h). */
int sf_safety_fence(sf_safety *s, uint32_t agent, bool on, sf_time put_on)
{
    uint32_t ri;
    struct robot *r;

    if (!s)
        return SF_OK; /* relaxed: no monitor, every robot runs as if alone */
    if (!(r = robot_of(s, agent, &ri)) || r->mover != SF_SAFETY_NONE || (!on && r->fenced_held == 0))
        return SF_EINVAL;
    r->fenced_held += on ? 1 : (uint32_t)-1;
    if (on)
        r->fences_after++;
    else if (put_on >= r->switched_at && r->fences_after > 0) /* a fence put on before the last switch is over already */
        r->fences_after--;
    mode_changed(s, ri, sf_kernel_now(s->k));
    return SF_OK;
}

/* An intervention switches a robot's mode, or ends the switch (sf_safety_set_mode in safety.h). */
int sf_safety_set_mode(sf_safety *s, uint32_t agent, sf_safety_mode mode, bool on)
{
    uint32_t ri;
    struct robot *r;

    if (!s)
        return SF_OK; /* relaxed: no monitor, every robot runs as if alone */
    if (!(r = robot_of(s, agent, &ri)))
        return SF_EINVAL;
    if (!sf_safety_can_switch(s->cfg, r->type, mode))
        return SF_EINVAL;
    if (on) {
        r->prev_want = r->want;
        r->prev_fences = r->fences_after;
        r->want = mode;
        r->fences_after = 0;
        r->switched_at = sf_kernel_now(s->k);
        r->st.switched = true;
    } else if (r->want == mode) { /* as before the switch, but for the fences lifted since */
        r->want = r->prev_want;
        r->fences_after = r->fences_after + r->prev_fences < r->fenced_held ? r->fences_after + r->prev_fences
                                                                            : r->fenced_held;
    } else {
        return SF_OK; /* switched again since: the later switch stands */
    }
    if (!r->active)
        return SF_OK; /* a humanoid between operations: its mode is placed where it starts the next */
    mode_changed(s, ri, sf_kernel_now(s->k));
    if (r->resume_ev) { /* the new mode's level at once: a switch is not a person leaving the band */
        sf_kernel_cancel(s->k, r->resume_ev);
        r->resume_ev = 0;
        set_level(s, ri, target(s, ri));
    }
    return SF_OK;
}

void sf__safety_on_camera(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_safety *s = ctx;
    int rc;

    if (ev->target >= s->cfg->safety.n_cameras) { /* the end of a detected pass's latency */
        on_seen(k, s, ev);
        return;
    }
    sf_cameras_flip(s->cams, ev->target);
    cameras_changed(s, sf_kernel_now(k));
    if ((rc = sf_cameras_next(s->cams, ev->target)) != SF_OK)
        sf_kernel_fail(k, rc);
}

/* An intervention holds camera `camera` down or releases it (sf_cameras_hold); the robots react as to a failure. */
int sf_safety_camera_hold(sf_safety *s, uint32_t camera, bool down)
{
    int rc;

    if (!s)
        return SF_OK; /* relaxed: no monitor, nothing watches */
    if ((rc = sf_cameras_hold(s->cams, camera, down)) == SF_OK)
        cameras_changed(s, sf_kernel_now(s->k));
    return rc;
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
        sf__safety_place_robot(s, r, x, y);
        r->applied = r->mode == SF_SAFETY_PFL ? REDUCED : FULL;
    }
    r->active = on;
    sf__safety_outage_update(s, r, now);
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
            sf__safety_settle(s, pi, x, y);
        }
    }
}

/* The partner's hands have left the shared space: the robot works at the rate its level gives. */
void sf__safety_on_handover(sf_kernel *k, void *ctx, const sf_event *ev)
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
    sf__safety_cover_all(s);
    return rate_of(r, r->applied);
}

void sf_safety_motion_share(sf_safety *s, uint32_t robot, double fixed_share)
{
    struct robot *r = s ? robot_of(s, robot, NULL) : NULL;

    if (r) {
        account(r, sf_kernel_now(s->k));
        r->fixed = fixed_share;
    }
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

void sf_safety_down(sf_safety *s, uint32_t robot, bool down)
{
    uint32_t ri;
    struct robot *r = s ? robot_of(s, robot, &ri) : NULL;
    sf_time now;

    if (!r || r->down == down)
        return;
    now = sf_kernel_now(s->k);
    for (uint32_t p = 0; p < s->npeople; p++) /* closest approaches up to the failure count */
        fold(s, p, now);
    r->down = down;
    check_violation(s, ri);
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
        if (now > from) {
            st.violation_time += now - from;
            st.by_mode[r->mode].violation_time += now - from;
        }
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
    sf_cameras_stats(s->cams, camera, passes, missed);
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
