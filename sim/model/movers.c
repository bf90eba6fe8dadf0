/*
 * movers.c: trips over the network with reservations and exact motion.
 *
 * A trip is a route of arcs. Index i is the arc the mover is on (or, when
 * it stands at a node, the arc it will enter next); arcs [i, reserved_to)
 * are reserved. The current motion covers arcs [base, reserved_to) from
 * `offset` metres into arc `base`, and `leg` is the motion leg whose end
 * the pending node event marks.
 *
 * A halted mover (sf_movers_halt) is either braking (its motion, planned
 * to stop v^2 / 2 decel on, still runs and its node event is pending) or
 * at rest: `rest` metres into arc i, or at the start node of arc i when
 * `rest` is 0. Its motion is live while its node event is pending.
 */
#include "model/movers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/geometry.h"
#include "model/movers_int.h"

static void on_node(sf_kernel *k, void *ctx, const sf_event *ev);
static void on_resume(sf_kernel *k, void *ctx, const sf_event *ev);
static void walk_on(sf_movers *ms, uint32_t id, uint32_t seg);

sf_movers *sf_movers_new(sf_kernel *k, sf_network *net, uint32_t n, int lookahead, sf_movers_hooks hooks)
{
    sf_movers *ms = SF_NEW(sf_movers, .k = k, .net = net, .n = n, .lookahead = lookahead > 0 ? lookahead : 1,
                           .hooks = hooks);
    uint32_t nsegs = sf_network_segment_count(net);

    if (!ms)
        return NULL;
    ms->block = SF_PARTS(SF_PART(ms->m, n), SF_PART(ms->cap, nsegs), SF_PART(ms->shared, nsegs),
                         SF_PART(ms->occupied, nsegs), SF_PART(ms->people_on, nsegs),
                         SF_PART(ms->degree, sf_network_node_count(net)), SF_PART(ms->people, n));
    if (!ms->block || !(ms->traffic = sf_traffic_new(net, n)))
        goto fail;
    for (uint32_t s = 0; s < nsegs; s++) {
        ms->cap[s] = INFINITY;
        ms->degree[sf_network_segment(net, s)->from]++;
        ms->degree[sf_network_segment(net, s)->to]++;
    }
    for (uint32_t i = 0; i < n; i++) {
        sf_motion_init(&ms->m[i].motion);
        ms->m[i].behind = NO_SEG;
        ms->m[i].on_seg = NO_SEG;
    }
    if (SF_KERNEL_ADD_KINDS(k, ms, {"mover.node", on_node, &ms->kind_node},
                            {"mover.resume", on_resume, &ms->kind_resume},
                            {"mover.zone", sf__movers_on_zone, &ms->kind_zone},
                            {"mover.field", sf__fields_on_event, &ms->kind_field}) != SF_OK)
        goto fail;
    return ms;
fail:
    sf_movers_free(ms);
    return NULL;
}

void sf_movers_free(sf_movers *ms)
{
    if (!ms)
        return;
    for (uint32_t i = 0; ms->m && i < ms->n; i++) {
        sf_motion_close(&ms->m[i].motion);
        sf_route_close(&ms->m[i].route);
        free(ms->m[i].legs);
        free(ms->m[i].inside);
        free(ms->m[i].in_field);
    }
    for (uint32_t z = 0; z < ms->nzones; z++) {
        free(ms->zones[z].xy);
        free(ms->zones[z].segs);
    }
    free(ms->zones);
    free(ms->scratch);
    free(ms->block);
    sf_traffic_free(ms->traffic);
    free(ms);
}

int sf_movers_place(sf_movers *ms, uint32_t id, uint32_t node, const sf_mover_spec *spec)
{
    struct mover *m;

    if (id >= ms->n || node >= sf_network_node_count(ms->net) || !(spec->vmax_empty > 0) ||
        !(spec->vmax_loaded > 0) || !(spec->accel > 0) || !(spec->decel > 0) || isinf(spec->vmax_empty) ||
        isinf(spec->vmax_loaded))
        return SF_EINVAL;
    m = &ms->m[id];
    if (m->state != SF_MOVER_IDLE || m->arrive_now)
        return SF_EINVAL;
    if (spec->person && !m->spec.person)
        ms->people[ms->npeople++] = id;
    else if (!spec->person && m->spec.person) /* placed again as a vehicle: off the list */
        for (uint32_t k = 0; k < ms->npeople; k++)
            if (ms->people[k] == id)
                ms->people[k] = ms->people[--ms->npeople];
    m->spec = *spec;
    m->node = node;
    m->placed = true;
    return SF_OK;
}

static void tell_watchers(sf_movers *ms, uint32_t id)
{
    for (int i = 0; i < ms->nwatch; i++)
        ms->watch[i].fn(ms->watch[i].ctx, id, sf_kernel_now(ms->k));
    sf__fields_touch(ms, id, NO_SEG);
}

static void set_state(sf_movers *ms, uint32_t id, sf_mover_state s)
{
    if (ms->m[id].state == s)
        return;
    ms->m[id].state = s;
    if (ms->hooks.state)
        ms->hooks.state(ms->hooks.ctx, id, s, sf_kernel_now(ms->k));
    if (s != SF_MOVER_MOVING) /* came to rest; a new motion is told from plan() */
        tell_watchers(ms, id);
}

uint32_t sf__movers_seg_of(const struct mover *m, uint32_t idx)
{
    return sf_arc_segment(m->route.arcs[idx]);
}

/* Release a segment and schedule the movers it lets go, in line order, at this instant. */
static void release(sf_movers *ms, uint32_t seg, uint32_t id)
{
    uint32_t granted[MAX_GRANTS];
    sf_time now = sf_kernel_now(ms->k);
    int n = sf_traffic_release(ms->traffic, seg, id, now, granted, MAX_GRANTS);

    for (int g = 0; g < n; g++) {
        int rc = sf_kernel_at(ms->k, now, 0, ms->kind_resume, granted[g], NULL);
        if (rc != SF_OK)
            sf_kernel_fail(ms->k, rc);
    }
}

/* The end (exclusive) of the corridor that starts with route arc j: up to the next junction or the route's end. */
static uint32_t corridor_end(const sf_movers *ms, const struct mover *m, uint32_t j)
{
    uint32_t end = j + 1;

    while (end < m->route.n && ms->degree[sf_network_arc_to(ms->net, m->route.arcs[end - 1])] == 2)
        end++;
    return end;
}

/*
 * Reserve ahead, a segment at a time or (with corridors on) a corridor at
 * a time: all the segments up to the next
 * junction (a node with other than two segments) or none of them, so a
 * mover never stops, nor holds a segment while waiting, inside a
 * corridor; waiting happens at junctions. Segments already granted to
 * the mover count as reserved; when a corridor cannot be had whole,
 * what was taken of it is given back. Returns the segment that blocked,
 * or NO_SEG.
 */
static uint32_t extend(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];

    while (m->reserved_to < m->route.n && m->reserved_to - m->i < (uint32_t)ms->lookahead) {
        uint32_t j = m->reserved_to, end = ms->corridors ? corridor_end(ms, m, j) : j + 1, k;
        for (k = j; k < end; k++) {
            uint32_t seg = sf__movers_seg_of(m, k);
            if (!sf_traffic_holds(ms->traffic, seg, id) && !sf_traffic_try_reserve(ms->traffic, seg, id))
                break;
        }
        if (k < end) {
            /* give back all of this corridor it holds, also segments granted beyond the one that
             * blocked, so it never waits while holding part of a corridor */
            uint32_t blocked = sf__movers_seg_of(m, k);
            for (uint32_t g = j; g < end; g++)
                if (sf_traffic_holds(ms->traffic, sf__movers_seg_of(m, g), id))
                    release(ms, sf__movers_seg_of(m, g), id);
            return blocked;
        }
        m->reserved_to = end;
    }
    return NO_SEG;
}

/* Plan from `offset` metres into arc i at speed v to a stop at the end of the reserved stretch. */
/*
 * The speed cap of segment s for mover m: the zones' caps while people are
 * inside, and a mobile robot's own collaboration speeds on segments that
 * cross shared zones (always, or while a person is inside). People are
 * never capped.
 */
static double vehicle_cap(const sf_movers *ms, const struct mover *m, uint32_t s)
{
    double cap = ms->cap[s];

    if (m->spec.person)
        return INFINITY;
    if (ms->shared[s] && m->spec.collab_speed > 0)
        cap = fmin(cap, m->spec.collab_speed);
    if (ms->occupied[s] && m->spec.shared_speed > 0)
        cap = fmin(cap, m->spec.shared_speed);
    return cap;
}

/* Room for n legs in the mover's scratch (corridors can be longer than the lookahead). */
static bool legs_room(sf_movers *ms, struct mover *m, uint32_t n)
{
    sf_leg *legs;

    if (n <= m->legs_cap)
        return true;
    if (!(legs = sf_realloc(m->legs, n * sizeof *legs))) {
        sf_kernel_fail(ms->k, SF_ENOMEM);
        return false;
    }
    m->legs = legs;
    m->legs_cap = n;
    return true;
}

/* The point `into` metres along route arc `idx` of the mover. */
static void arc_point(const sf_movers *ms, const struct mover *m, uint32_t idx, double into, double *x, double *y)
{
    uint32_t arc = m->route.arcs[idx];
    const sf_node *a = sf_network_node(ms->net, sf_network_arc_from(ms->net, arc));
    const sf_node *b = sf_network_node(ms->net, sf_network_arc_to(ms->net, arc));
    double len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
    double f = len > 0 ? into / len : 0;

    f = f < 0 ? 0 : f > 1 ? 1 : f;
    *x = a->x + (b->x - a->x) * f;
    *y = a->y + (b->y - a->y) * f;
}

/* A motion is planned and its first node event set: tell the state, zones, watchers and segment of people. */
static void started(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];

    m->base = m->i;
    m->leg = 0;
    m->dirty = false;
    set_state(ms, id, m->halts ? SF_MOVER_HALTED : SF_MOVER_MOVING);
    sf__movers_watch_zones(ms, id);
    tell_watchers(ms, id);
    walk_on(ms, id, sf__movers_seg_of(m, m->i));
}

/*
 * A halted mover stands still `into` metres along arc i (0: at its start
 * node) with no motion running; a zone crossing the old motion had
 * ahead is dropped and presence settled where it stands.
 */
static void rest_here(sf_movers *ms, uint32_t id, double into)
{
    struct mover *m = &ms->m[id];
    double x, y;

    m->braking = false;
    m->rest = into;
    if (m->zone_ev) {
        sf_kernel_cancel(ms->k, m->zone_ev);
        m->zone_ev = 0;
        if (into > 0) {
            arc_point(ms, m, m->i, into, &x, &y);
        } else { /* at a node, maybe the last of the route (there is no arc i then) */
            const sf_node *n = sf_network_node(ms->net, m->node);
            x = n->x;
            y = n->y;
        }
        sf__movers_settle_presence(ms, id, x, y);
    }
    walk_on(ms, id, into > 0 ? sf__movers_seg_of(m, m->i) : NO_SEG);
    if (m->state == SF_MOVER_HALTED)
        tell_watchers(ms, id);
    else
        set_state(ms, id, SF_MOVER_HALTED);
}

/* Plan the motion over the mover's first `nlegs` legs from speed v, `offset` metres into arc i, and set it going. */
static void launch(sf_movers *ms, uint32_t id, uint32_t nlegs, double v, double offset)
{
    struct mover *m = &ms->m[id];
    int rc = sf_motion_plan(&m->motion, m->legs, nlegs, v, m->spec.accel, m->spec.decel, sf_kernel_now(ms->k));

    if (rc == SF_OK)
        rc = sf_kernel_at(ms->k, m->motion.leg_end[0], 0, ms->kind_node, id, &m->ev);
    if (rc != SF_OK) {
        sf_kernel_fail(ms->k, rc);
        return;
    }
    m->offset = offset;
    started(ms, id);
}

/*
 * Halted at speed v, `offset` metres into arc i: brake at decel to a stop
 * v^2 / (2 decel) further on. The legs run over the segments it holds,
 * the last one cut where the stop falls (a stop within a nanometre of a
 * node is at the node); each leg's top speed is v, so the time-optimal
 * plan over them is exactly the braking at decel. Cost: one plan over at
 * most the reserved legs.
 */
static void plan_brake(sf_movers *ms, uint32_t id, double v, double offset)
{
    struct mover *m = &ms->m[id];
    double left = v * v / (2 * m->spec.decel);
    uint32_t nlegs = 0;

    m->dirty = false;
    m->stop_mid = false;
    if (!(left > 1e-9)) { /* as good as at rest (within a nanometre): stand here */
        rest_here(ms, id, offset);
        return;
    }
    if (!legs_room(ms, m, m->reserved_to - m->i))
        return;
    for (uint32_t j = m->i; j < m->reserved_to && left > 1e-9; j++) {
        double len = sf_network_segment(ms->net, sf__movers_seg_of(m, j))->length - (j == m->i ? offset : 0);
        if (left < len - 1e-9) {
            m->legs[nlegs++] = (sf_leg){left, v};
            m->stop_mid = true;
            break;
        }
        m->legs[nlegs++] = (sf_leg){len, v};
        left -= len;
    }
    m->braking = true;
    m->rest = 0;
    launch(ms, id, nlegs, v, offset);
}

static void plan(sf_movers *ms, uint32_t id, double v, double offset)
{
    struct mover *m = &ms->m[id];
    double vmax = m->loaded ? m->spec.vmax_loaded : m->spec.vmax_empty;
    uint32_t nlegs = m->reserved_to - m->i;

    if (m->halts) {
        plan_brake(ms, id, v, offset);
        return;
    }
    m->braking = m->stop_mid = false;
    m->rest = 0;
    if (!legs_room(ms, m, nlegs))
        return;
    for (uint32_t j = 0; j < nlegs; j++) {
        uint32_t s = sf__movers_seg_of(m, m->i + j);
        const sf_segment *g = sf_network_segment(ms->net, s);
        m->legs[j].length = g->length - (j == 0 ? offset : 0);
        m->legs[j].vmax = fmin(vmax, fmin(g->speed_limit, vehicle_cap(ms, m, s)));
    }
    launch(ms, id, nlegs, v, offset);
}

static void advance(sf_movers *ms, uint32_t id);

/*
 * Take another way to the destination that avoids `seg`. The mover
 * stands at a node, holding the segment behind it (if any); when the
 * detour starts back over that segment, it keeps holding it. False when
 * there is no such way.
 */
static bool reroute(sf_movers *ms, uint32_t id, uint32_t seg)
{
    struct mover *m = &ms->m[id];
    sf_route detour;
    sf_time now = sf_kernel_now(ms->k);

    if (m->rerouted_at != now) {
        m->rerouted_at = now;
        m->reroutes = 0;
    }
    /* a mover that keeps backing out without getting anywhere is shuttling, not resolving: report */
    if (m->reroutes >= MAX_REROUTES_AT_ONCE || m->trip_reroutes >= MAX_REROUTES_PER_TRIP ||
        sf_network_route_avoiding_as(ms->net, m->node, m->dest, m->loaded ? m->spec.vmax_loaded : m->spec.vmax_empty,
                                     m->spec.person, &seg, 1, &detour) != SF_OK)
        return false;
    m->reroutes++;
    m->trip_reroutes++;
    ms->reroutes++;
    sf_traffic_cancel_wait(ms->traffic, id, now);
    sf_route_close(&m->route);
    m->route = detour;
    m->i = m->reserved_to = 0;
    if (m->route.n > 0 && m->behind == sf__movers_seg_of(m, 0)) {
        m->reserved_to = 1; /* backing out over the segment it already holds */
        m->behind = NO_SEG;
    }
    advance(ms, id);
    return true;
}

/* `id` has just started to wait: if that closed a deadlock, resolve it by the policy or report it. */
static void check_deadlock(sf_movers *ms, uint32_t id)
{
    uint32_t who[256];
    int n = sf_traffic_deadlocked(ms->traffic, who, 256);
    bool involved = false;

    if (n <= 0)
        return;
    for (int i = 0; i < n && i < 256; i++)
        involved |= who[i] == id;
    if (ms->policy == SF_DEADLOCK_REROUTE && involved &&
        reroute(ms, id, sf_traffic_waiting_for(ms->traffic, id, NULL)))
        return;
    if (ms->hooks.deadlock)
        ms->hooks.deadlock(ms->hooks.ctx, who, n < 256 ? n : 256, sf_kernel_now(ms->k));
}

/*
 * The mover stands at the start node of arc i: reserve ahead and go, or
 * wait in line. Halted, it stays where it is, reserving nothing more (a
 * segment granted while it waited in line stays its own).
 */
static void advance(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];
    uint32_t blocked;

    if (m->spec.stop_for_people)
        sf__movers_protect(ms, id, false);
    if (m->halts) {
        rest_here(ms, id, 0);
        return;
    }
    blocked = extend(ms, id);
    if (m->reserved_to == m->i) {
        walk_on(ms, id, NO_SEG);
        if (sf_traffic_waiting_for(ms->traffic, id, NULL) == UINT32_MAX &&
            sf_traffic_wait(ms->traffic, blocked, id, sf_kernel_now(ms->k), ms->corridors) != SF_OK) {
            sf_kernel_fail(ms->k, SF_EINVAL);
            return;
        }
        set_state(ms, id, SF_MOVER_WAITING);
        check_deadlock(ms, id);
        return;
    }
    if (m->behind != NO_SEG) {
        uint32_t seg = m->behind;
        m->behind = NO_SEG;
        release(ms, seg, id);
    }
    plan(ms, id, 0, 0);
}

int sf_movers_move_to(sf_movers *ms, uint32_t id, uint32_t node, bool loaded)
{
    struct mover *m;
    int rc;

    if (id >= ms->n || !ms->m[id].placed)
        return SF_EINVAL;
    m = &ms->m[id];
    if (m->state != SF_MOVER_IDLE || m->arrive_now)
        return SF_EINVAL;
    sf_route_close(&m->route);
    /* people keep to the fences of guarded robots (network.h) */
    rc = sf_network_route_as(ms->net, m->node, node, loaded ? m->spec.vmax_loaded : m->spec.vmax_empty, m->spec.person,
                             &m->route);
    if (rc != SF_OK)
        return rc;
    m->loaded = loaded;
    m->dest = node;
    m->trip_reroutes = 0;
    m->i = m->reserved_to = 0;
    m->behind = NO_SEG;
    if (m->route.n == 0) { /* already there: arrive from an event, not from inside this call */
        m->arrive_now = true;
        return sf_kernel_at(ms->k, sf_kernel_now(ms->k), 0, ms->kind_resume, id, NULL);
    }
    advance(ms, id);
    return SF_OK;
}

static void arrive(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];

    if (m->zone_ev) { /* a crossing due at this very instant: settle it here, the route goes away */
        const sf_node *n = sf_network_node(ms->net, m->node);
        sf_kernel_cancel(ms->k, m->zone_ev);
        m->zone_ev = 0;
        sf__movers_settle_presence(ms, id, n->x, n->y);
    }
    walk_on(ms, id, NO_SEG);
    sf_route_close(&m->route);
    set_state(ms, id, SF_MOVER_IDLE);
    if (ms->hooks.arrived)
        ms->hooks.arrived(ms->hooks.ctx, id, sf_kernel_now(ms->k));
}

static void on_resume(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_movers *ms = ctx;
    struct mover *m = &ms->m[ev->target];

    (void)k;
    if (m->arrive_now) {
        m->arrive_now = false;
        arrive(ms, ev->target);
        return;
    }
    /* granted a segment ahead: try for the corridor again, unless it is on its way already (a halt on
       it was lifted between the grant and this event, and go() set it going) */
    if (m->state == SF_MOVER_MOVING || m->ev)
        return;
    advance(ms, ev->target);
}

/*
 * The braking motion of a halted mover has ended: it stands inside arc i,
 * or at the far node of arc i (which it passes: the segment stays held
 * behind it, as for a mover that waits there). At rest the protective
 * stop rule looks again, since at a node only the segment ahead counts.
 */
static void braked(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];
    uint32_t last = m->motion.nlegs - 1;

    m->done += m->motion.length;
    if (m->stop_mid) {
        rest_here(ms, id, m->motion.length - m->motion.leg_start_s[last] + (last == 0 ? m->offset : 0));
    } else {
        uint32_t arc = m->i++;
        m->node = sf_network_arc_to(ms->net, m->route.arcs[arc]);
        m->behind = sf__movers_seg_of(m, arc);
        rest_here(ms, id, 0);
    }
    if (m->spec.stop_for_people)
        sf__movers_protect(ms, id, true);
}

static void on_node(sf_kernel *k, void *ctx, const sf_event *ev)
{
    int rc;
    sf_movers *ms = ctx;
    uint32_t id = ev->target, arc;
    struct mover *m = &ms->m[id];
    double v, travelled = sf_motion_position(&m->motion, ev->time, &v);
    uint32_t before;

    (void)k;
    m->ev = 0;
    if (m->braking && m->leg + 1 == m->motion.nlegs) {
        braked(ms, id);
        return;
    }
    arc = m->i++;
    m->node = sf_network_arc_to(ms->net, m->route.arcs[arc]);
    if (m->i == m->route.n) { /* arrived */
        m->done += m->motion.length;
        release(ms, sf__movers_seg_of(m, arc), id);
        arrive(ms, id);
        return;
    }
    if (m->i == m->reserved_to) { /* end of the reserved stretch: at rest, standing at the end of arc */
        m->done += m->motion.length;
        m->behind = sf__movers_seg_of(m, arc);
        advance(ms, id);
        return;
    }
    before = m->reserved_to;
    if (m->spec.stop_for_people)
        sf__movers_protect(ms, id, false);
    if (!m->halts)
        extend(ms, id);
    release(ms, sf__movers_seg_of(m, arc), id);
    /* replan when the way ahead grew, a cap changed, or a halt began or ended here */
    if (m->reserved_to > before || m->dirty || (m->halts != 0) != m->braking) {
        m->done += travelled;
        plan(ms, id, v, 0);
        return;
    }
    m->leg++;
    walk_on(ms, id, sf__movers_seg_of(m, m->i));
    if ((rc = sf_kernel_at(ms->k, m->motion.leg_end[m->leg], 0, ms->kind_node, id, &m->ev)) != SF_OK)
        sf_kernel_fail(ms->k, rc);
}

/* Replan a moving (or braking) mover from where it is now (a speed cap changed on its way, a halt). */
void sf__movers_replan_now(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];
    sf_time now = sf_kernel_now(ms->k);
    double v, s = sf_motion_position(&m->motion, now, &v);
    double into = s - m->motion.leg_start_s[m->leg] + (m->leg == 0 ? m->offset : 0);
    double len = sf_network_segment(ms->net, sf__movers_seg_of(m, m->i))->length;

    /* At (or within a nanometre of) the node ending this leg, its pending event replans. */
    if (into >= len - 1e-9) {
        m->dirty = true;
        return;
    }
    sf_kernel_cancel(ms->k, m->ev);
    m->ev = 0; /* a plan that brakes to rest at once sets no new one, and go() reads it */
    /* the zone watch keeps running: plan() schedules it afresh from the new motion */
    m->done += s;
    plan(ms, id, v, into > 0 ? into : 0);
}

/* ---- halts -------------------------------------------------------------- */

/* The reasons changed while the mover stays halted: tell the state hook again (what it shows may differ). */
static void retell(sf_movers *ms, uint32_t id)
{
    if (ms->m[id].state == SF_MOVER_HALTED && ms->hooks.state)
        ms->hooks.state(ms->hooks.ctx, id, SF_MOVER_HALTED, sf_kernel_now(ms->k));
}

/* The first reason came: a mover on a trip halts (an idle one only keeps the reasons for its next trip). */
static void stop(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];

    if (m->state == SF_MOVER_WAITING) {
        rest_here(ms, id, 0); /* keeps its place in line */
    } else if (m->state == SF_MOVER_MOVING) {
        m->braking = true;
        set_state(ms, id, SF_MOVER_HALTED);
        sf__movers_replan_now(ms, id); /* at a node, its node event plans the braking */
    }
}

/* The last reason went: brake no more, or start from rest where it stands. */
static void go(sf_movers *ms, uint32_t id)
{
    struct mover *m = &ms->m[id];

    if (m->state != SF_MOVER_HALTED)
        return;
    if (m->ev) { /* still braking: on from its exact position and speed */
        m->braking = false;
        set_state(ms, id, SF_MOVER_MOVING);
        sf__movers_replan_now(ms, id);
    } else if (m->rest > 0) {
        double at = m->rest;
        m->rest = 0;
        plan(ms, id, 0, at);
    } else if (m->i >= m->route.n) { /* came to rest on its destination */
        uint32_t seg = m->behind;
        m->behind = NO_SEG;
        if (seg != NO_SEG)
            release(ms, seg, id);
        arrive(ms, id);
    } else if (sf_traffic_waiting_for(ms->traffic, id, NULL) != UINT32_MAX) {
        set_state(ms, id, SF_MOVER_WAITING);
    } else {
        advance(ms, id);
    }
}

int sf_movers_halt(sf_movers *ms, uint32_t id, unsigned reason, bool halt)
{
    struct mover *m;
    unsigned before;

    if (id >= ms->n || !ms->m[id].placed || reason == 0)
        return SF_EINVAL;
    m = &ms->m[id];
    before = m->halts;
    m->halts = halt ? before | reason : before & ~reason;
    if (m->halts == before)
        return SF_OK;
    if (before && m->halts)
        retell(ms, id);
    else if (m->halts)
        stop(ms, id);
    else
        go(ms, id);
    return SF_OK;
}

unsigned sf_movers_halted(const sf_movers *ms, uint32_t id)
{
    return id < ms->n ? ms->m[id].halts : 0;
}

/* ---- protective stops ---------------------------------------------------- */

/*
 * Apply the rule to mover id. With `act` the halt takes effect at once
 * (sf_movers_halt); without, only the reason changes and the caller, in
 * the middle of the mover's own node or start, plans accordingly.
 */
void sf__movers_protect(sf_movers *ms, uint32_t id, bool act)
{
    struct mover *m = &ms->m[id];
    bool want = sf__fields_endangered(ms, id);
    unsigned before = m->halts;

    if (want == (bool)(before & SF_HALT_SAFETY))
        return;
    if (ms->hooks.protect)
        ms->hooks.protect(ms->hooks.ctx, id, want, sf_kernel_now(ms->k));
    if (act) {
        sf_movers_halt(ms, id, SF_HALT_SAFETY, want);
        return;
    }
    m->halts ^= SF_HALT_SAFETY;
    if (before && m->halts)
        retell(ms, id);
}

/* A person is now on `seg` (NO_SEG: at a node): the fields that may hold them look again (fields.c). */
static void walk_on(sf_movers *ms, uint32_t id, uint32_t seg)
{
    struct mover *m = &ms->m[id];
    uint32_t old = m->on_seg;

    if (!m->spec.person || old == seg)
        return;
    m->on_seg = seg;
    if (old != NO_SEG)
        ms->people_on[old]--;
    if (seg != NO_SEG)
        ms->people_on[seg]++;
    sf__fields_touch(ms, id, old);
}

/* ---- speed caps ---------------------------------------------------------- */

int sf_movers_set_cap(sf_movers *ms, uint32_t seg, double cap)
{
    if (seg >= sf_network_segment_count(ms->net) || !(cap > 0))
        return SF_EINVAL;
    if (ms->cap[seg] == cap)
        return SF_OK;
    ms->cap[seg] = cap;
    for (uint32_t id = 0; id < ms->n; id++) {
        struct mover *m = &ms->m[id];
        if (m->state != SF_MOVER_MOVING || m->spec.person)
            continue;
        for (uint32_t j = m->i; j < m->reserved_to; j++)
            if (sf__movers_seg_of(m, j) == seg) {
                sf__movers_replan_now(ms, id);
                break;
            }
    }
    return SF_OK;
}

void sf_movers_set_deadlock_policy(sf_movers *ms, sf_deadlock_policy policy)
{
    ms->policy = policy;
}

void sf_movers_set_corridors(sf_movers *ms, bool on)
{
    ms->corridors = on;
}

uint64_t sf_movers_reroutes(const sf_movers *ms)
{
    return ms->reroutes;
}

sf_mover_state sf_movers_state(const sf_movers *ms, uint32_t id)
{
    return ms->m[id].state;
}

uint32_t sf_movers_node(const sf_movers *ms, uint32_t id)
{
    return ms->m[id].node;
}

sf_mover_spot sf_movers_rest_spot(const sf_movers *ms, uint32_t id)
{
    const struct mover *m = &ms->m[id];
    sf_mover_spot p = {m->node, m->node, 0, 0};
    uint32_t arc;

    if (sf__movers_live(m) && m->motion.nlegs > 0) { /* moving or braking: where its motion ends */
        uint32_t leg = sf_motion_leg_at(&m->motion, m->motion.end);
        arc = m->route.arcs[m->base + leg];
        p.into = m->motion.length - m->motion.leg_start_s[leg] + (leg == 0 ? m->offset : 0);
    } else if (m->state == SF_MOVER_HALTED && m->rest > 0) {
        arc = m->route.arcs[m->i];
        p.into = m->rest;
    } else {
        return p;
    }
    p.from = sf_network_arc_from(ms->net, arc);
    p.to = sf_network_arc_to(ms->net, arc);
    p.length = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
    p.into = p.into < 0 ? 0 : p.into > p.length ? p.length : p.into;
    return p;
}

void sf_movers_position(const sf_movers *ms, uint32_t id, sf_time t, double *x, double *y, double *speed)
{
    const struct mover *m = &ms->m[id];
    const sf_node *n = sf_network_node(ms->net, m->node);
    double v = 0;

    *x = n->x;
    *y = n->y;
    if (m->state == SF_MOVER_HALTED && !m->ev && m->rest > 0)
        arc_point(ms, m, m->i, m->rest, x, y);
    if (sf__movers_live(m)) {
        double s = sf_motion_position(&m->motion, t, &v);
        uint32_t leg = sf_motion_leg_at(&m->motion, t);
        uint32_t arc = m->route.arcs[m->base + leg];
        const sf_node *a = sf_network_node(ms->net, sf_network_arc_from(ms->net, arc));
        const sf_node *b = sf_network_node(ms->net, sf_network_arc_to(ms->net, arc));
        double len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
        double into = s - m->motion.leg_start_s[leg] + (leg == 0 ? m->offset : 0);
        double f = len > 0 ? into / len : 0;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        *x = a->x + (b->x - a->x) * f;
        *y = a->y + (b->y - a->y) * f;
    }
    if (speed)
        *speed = v;
}

double sf_movers_distance(const sf_movers *ms, uint32_t id, sf_time t)
{
    const struct mover *m = &ms->m[id];

    if (sf__movers_live(m))
        return m->done + sf_motion_position(&m->motion, t, NULL);
    return m->done;
}

sf_traffic *sf_movers_traffic(sf_movers *ms)
{
    return ms->traffic;
}

/* ---- watchers ---------------------------------------------------------- */

int sf_movers_watch(sf_movers *ms, sf_movers_watch_fn fn, void *ctx)
{
    if (ms->nwatch == SF_MOVERS_WATCHERS)
        return SF_ELIMIT;
    ms->watch[ms->nwatch].fn = fn;
    ms->watch[ms->nwatch].ctx = ctx;
    ms->nwatch++;
    return SF_OK;
}

void sf_movers_unwatch(sf_movers *ms, sf_movers_watch_fn fn, void *ctx)
{
    for (int i = 0; i < ms->nwatch; i++)
        if (ms->watch[i].fn == fn && ms->watch[i].ctx == ctx) {
            memmove(&ms->watch[i], &ms->watch[i + 1], (size_t)(ms->nwatch - i - 1) * sizeof ms->watch[0]);
            ms->nwatch--;
            return;
        }
}

const sf_motion *sf_movers_motion(const sf_movers *ms, uint32_t id)
{
    return sf__movers_live(&ms->m[id]) ? &ms->m[id].motion : NULL;
}

void sf_movers_leg_line(const sf_movers *ms, uint32_t id, uint32_t leg, double line[4], double *s_from, double *len)
{
    const struct mover *m = &ms->m[id];
    uint32_t arc = m->route.arcs[m->base + leg];
    const sf_node *a = sf_network_node(ms->net, sf_network_arc_from(ms->net, arc));
    const sf_node *b = sf_network_node(ms->net, sf_network_arc_to(ms->net, arc));

    line[0] = a->x;
    line[1] = a->y;
    line[2] = b->x;
    line[3] = b->y;
    *len = sf_network_segment(ms->net, sf_arc_segment(arc))->length;
    *s_from = m->motion.leg_start_s[leg] - (leg == 0 ? m->offset : 0);
}
