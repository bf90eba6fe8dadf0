/*
 * world.c: building the model from a config, and the activities agents
 * perform in it.
 */
#include "model/world.h"
#include "model/world_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/calendar.h"
#include "model/cranes.h"
#include "model/speed_power.h"




/* ---- observers --------------------------------------------------------- */

int sf_world_observe(sf_world *w, const sf_observer *o)
{
    if (w->nobs == SF_WORLD_OBSERVERS)
        return SF_ELIMIT;
    w->obs[w->nobs++] = *o;
    return SF_OK;
}

void sf_world_emit_state(sf_world *w, sf_entity e, uint32_t id, sf_state s)
{
    sf_time now = sf_kernel_now(w->k);

    if (e == SF_ENTITY_AGENT) {
        if (w->agents[id].state == s)
            return;
        w->agents[id].state = s;
    }
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].state)
            w->obs[i].state(w->obs[i].ctx, e, id, s, now);
}

/* An entity's grid draw changed: every observer is told. */
static void emit_power(sf_world *w, sf_entity e, uint32_t id, sf_power_state s, double watts)
{
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].power)
            w->obs[i].power(w->obs[i].ctx, e, id, s, watts, sf_kernel_now(w->k));
}

void sf_world_emit_job(sf_world *w, const sf_job_event *ev)
{
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].job)
            w->obs[i].job(w->obs[i].ctx, ev);
}

void sf_world_emit_safety(sf_world *w, const sf_safety_event *ev)
{
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].safety)
            w->obs[i].safety(w->obs[i].ctx, ev);
}

static void emit_motion(sf_world *w, uint32_t id)
{
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].motion)
            w->obs[i].motion(w->obs[i].ctx, id, sf_kernel_now(w->k));
}

/* What an agent draws from the grid in its meter's state: a battery takes grid power only while charging. */
static double grid_watts(const sf_meter *m)
{
    return sf_meter_draw(m);
}

/* ---- power and batteries ---------------------------------------------- */

static void on_battery(sf_kernel *k, void *ctx, const sf_event *ev);

/* Enter a power state and re-predict when the battery runs flat or is full. */
static void power(sf_world *w, uint32_t id, sf_power_state s)
{
    int rc;
    sf_agent *a = &w->agents[id];
    sf_time now = sf_kernel_now(w->k), t;

    sf_meter_set(&a->meter, now, s);
    emit_power(w, SF_ENTITY_AGENT, id, s, grid_watts(&a->meter));
    if (a->meter.capacity <= 0)
        return;
    if (a->battery_ev)
        sf_kernel_cancel(w->k, a->battery_ev);
    a->battery_ev = 0;
    if ((t = sf_meter_battery_event(&a->meter)) != SF_TIME_MAX &&
        (rc = sf_kernel_at(w->k, t, 0, w->kind_battery, id, &a->battery_ev)) != SF_OK)
        sf_kernel_fail(w->k, rc);
}

void sf__world_power(sf_world *w, uint32_t id, sf_power_state s) { power(w, id, s); }

/* The battery ran flat (or filled): bring the meter up to now; a flat battery is an incident on record. */
static void on_battery(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_world *w = ctx;
    sf_agent *a = &w->agents[ev->target];

    (void)k;
    a->battery_ev = 0;
    sf_meter_update(&a->meter, ev->time);
    if (a->meter.flat)
        a->flat_incidents++;
    if (a->meter.state == SF_POWER_CHARGING && a->meter.charge < a->meter.capacity)
        power(w, ev->target, SF_POWER_CHARGING); /* the next step of a taper: a new draw, a new event */
}

/* ---- mover hooks ------------------------------------------------------- */

/*
 * Work outside operations, for the clock of failures by `busy` time (and
 * a worker's fatigue): a vehicle's trips, picks and drops; a person's or
 * humanoid's picks, drops and trips carrying a load.
 */
void sf__world_operating(sf_world *w, uint32_t id, sf_activity what, bool on)
{
    const sf_agent *a = &w->agents[id];
    bool vehicle = a->kind == SF_AGENT_FORKLIFT || a->kind == SF_AGENT_AGV, arm = a->kind == SF_AGENT_ARM;

    if (!w->agent_work || arm)
        return;
    if (what == SF_ACT_PICK || what == SF_ACT_DROP || (what == SF_ACT_MOVE && (vehicle || a->loaded)))
        sf_agents_set_busy(w->agent_work, id, on, sf_kernel_now(w->k));
}

static void finish(sf_world *w, uint32_t id, sf_activity what, int status)
{
    sf__world_operating(w, id, what, false);
    w->agents[id].activity = SF_ACT_NONE;
    if (w->hooks.done)
        w->hooks.done(w->hooks.ctx, id, what, status, sf_kernel_now(w->k));
}

bool sf__world_agent_down(const sf_world *w, uint32_t id)
{
    return sf_failures_down(w->failures, SF_ENTITY_AGENT, id);
}

/* Show an agent's power and state; one under repair keeps showing failed and goes back to these after it. */
void sf__world_show(sf_world *w, uint32_t id, sf_power_state p, sf_state s)
{
    sf_agent *a = &w->agents[id];

    if (sf__world_agent_down(w, id)) {
        a->resume_power = p;
        a->resume_state = s;
        return;
    }
    power(w, id, p);
    sf_world_emit_state(w, SF_ENTITY_AGENT, id, s);
}

static void mover_arrived(void *ctx, uint32_t mover, sf_time now)
{
    sf_world *w = ctx;
    uint32_t id = w->agent_of_mover[mover];

    (void)now;
    w->agents[id].trips++;
    sf__world_show(w, id, SF_POWER_IDLE, SF_STATE_IDLE);
    emit_motion(w, id);
    finish(w, id, SF_ACT_MOVE, SF_OK);
}

/*
 * A mover's state shows as the agent's. Halted, it shows why: failed
 * (power failed) while under repair, else safety_stop (power idle); both
 * from the halt on, braking included.
 */
/* A mover crossed a zone boundary: observers that follow zones (occupancy loads, metrics) are told. */
static void mover_zone(void *ctx, uint32_t mover, uint32_t zone, bool inside, sf_time now)
{
    sf_world *w = ctx;

    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].zone)
            w->obs[i].zone(w->obs[i].ctx, w->agent_of_mover[mover], zone, inside, now);
}

static void mover_state(void *ctx, uint32_t mover, sf_mover_state s, sf_time now)
{
    sf_world *w = ctx;
    uint32_t id = w->agent_of_mover[mover];

    (void)now;
    if (s == SF_MOVER_HALTED) {
        bool failed = sf_movers_halted(w->movers, mover) & SF_HALT_FAILURE;
        power(w, id, failed ? SF_POWER_FAILED : SF_POWER_IDLE);
        sf_world_emit_state(w, SF_ENTITY_AGENT, id, failed ? SF_STATE_FAILED : SF_STATE_SAFETY_STOP);
        emit_motion(w, id);
        return;
    }
    if (s == SF_MOVER_MOVING)
        power(w, id, w->agents[id].loaded ? SF_POWER_MOVING_LOADED : SF_POWER_MOVING);
    else
        power(w, id, SF_POWER_IDLE);
    sf_world_emit_state(w, SF_ENTITY_AGENT, id,
                        s == SF_MOVER_MOVING ? (w->agents[id].loaded ? SF_STATE_TRAVEL_LOADED : SF_STATE_TRAVEL_EMPTY)
                        : s == SF_MOVER_WAITING ? SF_STATE_WAIT_TRAFFIC
                                                : SF_STATE_IDLE);
    emit_motion(w, id);
}

/* A mobile robot's protective stop began or ended: counted with the arms' (metrics: protective_stops). */
static void mover_protect(void *ctx, uint32_t mover, bool stopped, sf_time now)
{
    sf_world *w = ctx;
    sf_safety_event ev = {stopped ? SF_SAFETY_STOP : SF_SAFETY_RESUME, w->agent_of_mover[mover], UINT32_MAX, NAN, now};

    sf_world_emit_safety(w, &ev);
}

static void mover_deadlock(void *ctx, const uint32_t *who, int n, sf_time now)
{
    sf_world *w = ctx;
    uint32_t agents[256];

    for (int i = 0; i < n && i < 256; i++)
        agents[i] = w->agent_of_mover[who[i]];
    if (w->hooks.deadlock)
        w->hooks.deadlock(w->hooks.ctx, agents, n < 256 ? n : 256, now);
}

/* ---- battery swaps ------------------------------------------------------ */

/* The spare packs of fleet entry t draw `watts` from now: tell the observers, and wake up when a draw changes next. */
static void packs_changed(sf_world *w, uint32_t t)
{
    int rc;
    sf_time now = sf_kernel_now(w->k), next;
    double watts = sf_packs_update(&w->packs[t], now);

    emit_power(w, SF_ENTITY_PACKS, t, watts > 0 ? SF_POWER_CHARGING : SF_POWER_IDLE, watts);
    if (w->packs_ev[t])
        sf_kernel_cancel(w->k, w->packs_ev[t]);
    w->packs_ev[t] = 0;
    if ((next = sf_packs_next_event(&w->packs[t])) != SF_TIME_MAX &&
        (rc = sf_kernel_at(w->k, next, 0, w->kind_packs, t, &w->packs_ev[t])) != SF_OK)
        sf_kernel_fail(w->k, rc);
}

/* An AS/RS crane's draw and what it feeds back changed: two entities for the ledger, the second negative. */
static void crane_power(void *ctx, uint32_t rack, double draw, double fed_back, sf_time now)
{
    sf_world *w = ctx;
    (void)now;
    emit_power(w, SF_ENTITY_CRANE, rack, fed_back > 0 || draw > w->cfg->layout.racks[rack].crane_idle ? SF_POWER_WORKING
                                                                                                      : SF_POWER_IDLE,
               draw);
    emit_power(w, SF_ENTITY_FEED_BACK, rack, fed_back > 0 ? SF_POWER_WORKING : SF_POWER_IDLE, -fed_back);
}

static void on_pack_full(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_world *w = ctx;
    (void)k;
    w->packs_ev[ev->target] = 0;
    packs_changed(w, ev->target);
}

/* The swap is over: the agent leaves with the full spare, its own pack charges in its place. */
static void swapped(sf_world *w, uint32_t id)
{
    sf_agent *a = &w->agents[id];
    sf_time now = sf_kernel_now(w->k);
    double own;

    sf_meter_update(&a->meter, now);
    own = a->meter.charge;
    a->meter.charge = a->meter.capacity;
    a->meter.flat = false;
    a->swaps++;
    if (sf_packs_swap(&w->packs[a->type], a->pack, own, now) != SF_OK)
        sf_kernel_fail(w->k, SF_EINVAL);
    packs_changed(w, (uint32_t)a->type);
}

static void on_activity(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_world *w = ctx;
    sf_agent *a = &w->agents[ev->target];
    sf_activity what = a->activity;

    (void)k;
    a->timer = 0;
    if (what == SF_ACT_CHARGE && a->meter.state == SF_POWER_CHARGING) {
        sf_meter_update(&a->meter, ev->time);
        a->meter.charge_power = a->charge_power;
    }
    if (a->then > 0) {
        /* a second phase in the same state: the forks come down and the load is handled (working power, not
           lifting), or a lead-acid battery cools down at the charger (standby) */
        sf_time rest = a->then;
        int rc;
        a->then = 0;
        if ((rc = sf__world_timed(w, ev->target, what, rest, a->then_power, a->state)) != SF_OK)
            sf_kernel_fail(w->k, rc);
        return;
    }
    if (what == SF_ACT_SWAP)
        swapped(w, ev->target);
    if (what == SF_ACT_PICK) {
        a->loaded = true;
        a->picks++;
    } else if (what == SF_ACT_DROP) {
        a->loaded = false;
        a->drops++;
    }
    sf__world_show(w, ev->target, SF_POWER_IDLE, SF_STATE_IDLE);
    finish(w, ev->target, what, SF_OK);
}

/* ---- stations ---------------------------------------------------------- */

static void station_done(void *ctx, uint32_t station, uint32_t slot, sf_step step, sf_time now)
{
    sf_world *w = ctx;
    if (w->station_done)
        w->station_done(w->station_ctx, station, slot, step, now);
}

static bool is_robot(const sf_world *w, uint32_t agent)
{
    return w->agents[agent].kind == SF_AGENT_ARM || w->agents[agent].kind == SF_AGENT_HUMANOID;
}

/*
 * A robot's working power follows its speed: idle + (working - idle) x
 * the speed ratio safety allows (1 full, the reduced speed's share, 0 in
 * a protective stop or a hand-over pause), so a robot slowed for people
 * draws less for longer instead of its full power for longer. The power
 * of the working state changes at once, and the ledger hears of it when
 * the robot is in that state.
 */
static void working_power(sf_world *w, uint32_t id, double ratio, sf_time now)
{
    sf_agent *a = &w->agents[id];
    const double *P = w->cfg->fleet.types[a->type].power;
    double p = P[SF_POWER_IDLE] + (P[SF_POWER_WORKING] - P[SF_POWER_IDLE]) * fmin(1, fmax(0, ratio));

    if (p == a->meter.power[SF_POWER_WORKING])
        return;
    sf_meter_update(&a->meter, now);
    a->meter.power[SF_POWER_WORKING] = p;
    if (a->meter.state == SF_POWER_WORKING)
        power(w, id, SF_POWER_WORKING);
}

/*
 * A vehicle's travel power follows its speed v: idle + (moving - idle) x
 * v / vmax, vmax its own top speed (loaded or empty, as its state), so a
 * trip of T seconds over D metres draws idle x T + (moving - idle) x D /
 * vmax whatever slowed it. Within a phase of acceleration a the draw
 * ramps by (moving - idle) x a / vmax per second; the meter is handed the
 * whole motion's phases at once (model/speed_power.h). A mover come to
 * rest ends the plan where the draw stands.
 */
static void speed_power(void *ctx, uint32_t mover, const sf_speed_plan *p, sf_time now)
{
    sf_world *w = ctx;
    uint32_t id = w->agent_of_mover[mover];
    sf_agent *a = &w->agents[id];
    const sf_cfg_agent_type *T = &w->cfg->fleet.types[a->type];
    sf_power_state s = a->meter.state;
    double vmax = s == SF_POWER_MOVING_LOADED && T->speed_loaded > 0 ? T->speed_loaded : T->speed;
    double idle = T->power[SF_POWER_IDLE], full = T->power[s], k;

    if (!p->moving) {
        if (a->meter.plan_n) {
            sf_meter_update(&a->meter, now);
            sf_meter_plan(&a->meter, now, a->meter.power[s], a->meter.slope, NULL, 0);
            power(w, id, s);
        }
        return;
    }
    if (s == SF_POWER_MOVING_LOADED && full == 0) /* not given: carrying costs what moving costs */
        full = T->power[SF_POWER_MOVING];
    if ((s != SF_POWER_MOVING && s != SF_POWER_MOVING_LOADED) || !(vmax > 0) || full == idle)
        return;
    k = (full - idle) / vmax;
    for (uint32_t i = 0; i < p->n; i++)
        p->out[i] = (sf_meter_step){p->steps[i].at, idle + k * p->steps[i].v, k * p->steps[i].a};
    sf_meter_plan(&a->meter, now, idle + k * p->v, k * p->a, p->out, p->n);
    power(w, id, s);
}

/*
 * A crew works while the operation's clock runs and stands idle at the
 * station otherwise. Safety then sets each robot's rate with its partners:
 * the people and the humanoids of the crew other than itself (under ssm a
 * partner keeps it at its collaborative speed and never stops it, the same
 * rule whether the partner is a person or a humanoid), and the people ask
 * to enter each arm's zone (under fenced they wait outside while it
 * works). Working is told first, so wait_robot is the last state the
 * people are told.
 */
static void station_crew(void *ctx, const uint32_t *crew, uint32_t n, bool working, double fixed_share)
{
    sf_world *w = ctx;
    uint32_t people[16], np = 0, partners[16], nq;
    double q;

    for (uint32_t c = 0; c < n; c++) {
        if (sf__world_agent_down(w, crew[c])) /* under repair: it stays failed */
            w->agents[crew[c]].resume_state = working ? SF_STATE_WORKING : SF_STATE_IDLE;
        else {
            power(w, crew[c], working ? SF_POWER_WORKING : SF_POWER_IDLE);
            sf_world_emit_state(w, SF_ENTITY_AGENT, crew[c], working ? SF_STATE_WORKING : SF_STATE_IDLE);
        }
        if (w->agents[crew[c]].kind == SF_AGENT_WORKER && np < 16)
            people[np++] = crew[c];
    }
    if (!w->safety)
        return;
    for (uint32_t c = 0; c < n; c++) {
        if (!is_robot(w, crew[c]))
            continue;
        nq = 0;
        for (uint32_t o = 0; o < n && nq < 16; o++)
            if (o != c && (w->agents[crew[o]].kind == SF_AGENT_WORKER || w->agents[crew[o]].kind == SF_AGENT_HUMANOID))
                partners[nq++] = crew[o];
        sf_safety_motion_share(w->safety, crew[c], fixed_share);
        q = sf_safety_working(w->safety, crew[c], working, partners, nq);
        sf_stations_agent_rate(w->stations, crew[c], q);
        working_power(w, crew[c], q, sf_kernel_now(w->k));
    }
    for (uint32_t p = 0; p < np; p++)
        for (uint32_t c = 0; c < n; c++)
            if (w->agents[crew[c]].kind == SF_AGENT_ARM) {
                if (working)
                    sf_safety_enter(w->safety, people[p], crew[c]);
                else
                    sf_safety_leave(w->safety, people[p], crew[c]);
            }
}

/* A repair crew starts or stops: as an operation's crew, all of whose work is motion. */
static void repair_crew(void *ctx, const uint32_t *crew, uint32_t n, bool working)
{
    station_crew(ctx, crew, n, working, 0);
}

/* ---- safety hooks ------------------------------------------------------ */

static void safety_rate(void *ctx, uint32_t robot, double rate, sf_time now)
{
    sf_world *w = ctx;
    if (w->stations)
        sf_stations_agent_rate(w->stations, robot, rate);
    working_power(w, robot, rate, now);
}

static void safety_state(void *ctx, uint32_t agent, sf_state s, sf_time now)
{
    (void)now;
    sf_world_emit_state(ctx, SF_ENTITY_AGENT, agent, s);
}

static void safety_event(void *ctx, const sf_safety_event *ev)
{
    sf_world_emit_safety(ctx, ev);
}

/* A person held outside a fenced robot may go in: its crew work goes on as it was (the station's clock never stopped). */
static void safety_admit(void *ctx, uint32_t person, uint32_t robot, sf_time now)
{
    (void)ctx;
    (void)person;
    (void)robot;
    (void)now;
}

sf_safety *sf_world_safety(sf_world *w) { return w->safety; }

static int build_safety(sf_world *w, char *err, size_t errlen)
{
    const sf_scenario_config *cfg = w->cfg;
    sf_safety_agent *sa = sf_calloc(w->nagents ? w->nagents : 1, sizeof *sa);
    sf_safety_hooks hooks = {safety_rate, safety_state, safety_event, safety_admit, w};

    if (!sa)
        return SF_ENOMEM;
    if (cfg->safety.relaxed) { /* the counterfactual without safety rules: no monitor, robots never wait for people */
        free(sa);
        return SF_OK;
    }
    for (uint32_t i = 0; i < w->nagents; i++) {
        const sf_agent *a = &w->agents[i];
        sa[i].kind = a->kind;
        sa[i].type = a->type;
        sa[i].mover = a->mover == SF_NO_AGENT ? SF_SAFETY_NONE : a->mover;
        if (a->kind == SF_AGENT_ARM) {
            int st = cfg->fleet.types[a->type].home_station;
            if (st >= 0) {
                const sf_cfg_node *nd = &cfg->layout.nodes[cfg->layout.stations[st].node];
                sa[i].x = nd->x;
                sa[i].y = nd->y;
            }
        }
    }
    w->safety = sf_safety_new(w->k, w->movers, cfg, sa, w->nagents, hooks, err, errlen);
    free(sa);
    return w->safety ? SF_OK : SF_ENOMEM;
}

static void station_state(void *ctx, uint32_t station, sf_state s)
{
    sf_world_emit_state(ctx, SF_ENTITY_STATION, station, s);
}

static void station_power(void *ctx, uint32_t station, sf_power_state s, double watts)
{
    emit_power(ctx, SF_ENTITY_STATION, station, s, watts);
}

static void station_job(void *ctx, const sf_job_event *ev)
{
    sf_world_emit_job(ctx, ev);
}

/* A pick, drop, charge or battery swap stands still while its agent is under repair: its end moves back by the repair. */
bool sf__world_suspends(sf_activity what)
{
    return what == SF_ACT_PICK || what == SF_ACT_DROP || what == SF_ACT_CHARGE || what == SF_ACT_SWAP;
}

/*
 * An agent failed or is repaired. Its mover (forklift, AGV, humanoid,
 * worker) halts for the repair wherever it is: on a trip it brakes to a
 * stop and shows failed from the failure instant, braking included, and
 * goes on with the trip after the repair (the mover hooks show it); an
 * agent that stands does not start a trip until repaired. A pick, drop or
 * charge is suspended: its end comes exactly the repair's length later
 * (charging draws nothing meanwhile). A pause or a rest runs on. Other
 * than on a trip, the agent shows the failed state and power while under
 * repair; afterwards it is back at work if its operation goes on, else in
 * the state the failure interrupted (idle if that ended meanwhile).
 */
static void agent_failed(sf_world *w, uint32_t agent, bool failed)
{
    int rc;
    sf_agent *a = &w->agents[agent];
    sf_time now = sf_kernel_now(w->k);
    bool working;

    /* back from every repair: the behaviours may offer it work again (reported as a step, slot = the agent) */
    if (!failed && !sf__world_agent_down(w, agent) && w->station_done)
        w->station_done(w->station_ctx, UINT32_MAX, agent, SF_STEP_AGENT_UP, now);
    if (a->mover != SF_NO_AGENT)
        sf_movers_halt(w->movers, a->mover, SF_HALT_FAILURE, failed);
    if (a->activity == SF_ACT_MOVE)
        return;
    if (failed) {
        if (sf__world_suspends(a->activity) && a->timer) {
            sf_kernel_cancel(w->k, a->timer);
            a->timer = 0;
            a->left = a->until - now;
        }
        a->resume_state = a->state;
        a->resume_power = a->meter.state;
        power(w, agent, SF_POWER_FAILED);
        sf_world_emit_state(w, SF_ENTITY_AGENT, agent, SF_STATE_FAILED);
        return;
    }
    if (a->activity != SF_ACT_NONE) {
        if (sf__world_suspends(a->activity) && !a->timer &&
            ((rc = sf_time_add(now, a->left, &a->until)) != SF_OK ||
             (rc = sf_kernel_at(w->k, a->until, 0, w->kind_activity, agent, &a->timer)) != SF_OK))
            sf_kernel_fail(w->k, rc);
        power(w, agent, a->resume_power);
        sf_world_emit_state(w, SF_ENTITY_AGENT, agent, a->resume_state);
        return;
    }
    if (a->state != SF_STATE_FAILED)
        return;
    working = a->resume_state == SF_STATE_WORKING || a->resume_state == SF_STATE_REDUCED_SPEED ||
              a->resume_state == SF_STATE_SAFETY_STOP;
    power(w, agent, working ? SF_POWER_WORKING : SF_POWER_IDLE);
    sf_world_emit_state(w, SF_ENTITY_AGENT, agent, working ? a->resume_state : SF_STATE_IDLE);
}

/* model/failures.h tells of every station or agent going down or up; the world acts on agents. */
/* A robot stands still while it, or the station it belongs to (an arm's), is under repair. */
static bool robot_down(const sf_world *w, uint32_t id)
{
    int st = w->cfg->fleet.types[w->agents[id].type].home_station;
    return sf__world_agent_down(w, id) || (st >= 0 && sf_failures_down(w->failures, SF_ENTITY_STATION, (uint32_t)st));
}

static void on_failure(void *ctx, const sf_failure_change *c)
{
    sf_world *w = ctx;
    bool down;

    if (c->entity == SF_ENTITY_STATION) { /* its arms stand still with it */
        for (uint32_t i = 0; i < w->nagents; i++)
            if (w->cfg->fleet.types[w->agents[i].type].home_station == (int)c->id)
                sf_safety_down(w->safety, i, robot_down(w, i));
        return;
    }
    if (c->entity != SF_ENTITY_AGENT)
        return;
    down = robot_down(w, c->id);
    if (down) /* safety first knows it stands still; repaired, it is told last, after its state is shown */
        sf_safety_down(w->safety, c->id, true);
    agent_failed(w, c->id, c->down);
    if (!down)
        sf_safety_down(w->safety, c->id, false);
}

/* Repairs with a crew: reported as a step of station UINT32_MAX, slot = the failure mode (UINT32_MAX: one waits). */
static void station_repair(void *ctx, uint32_t mode)
{
    sf_world *w = ctx;
    if (w->station_done)
        w->station_done(w->station_ctx, UINT32_MAX, mode, SF_STEP_REPAIR, sf_kernel_now(w->k));
}

/* A booked move waits for its carrier: reported as a step of station UINT32_MAX. */
static void station_move(void *ctx)
{
    sf_world *w = ctx;
    if (w->station_done)
        w->station_done(w->station_ctx, UINT32_MAX, UINT32_MAX, SF_STEP_MOVE, sf_kernel_now(w->k));
}

sf_stations *sf_world_stations(sf_world *w) { return w->stations; }
sf_failures *sf_world_failures(sf_world *w) { return w->failures; }
sf_agents *sf_world_agent_work(sf_world *w) { return w->agent_work; }

void sf_world_on_station(sf_world *w, void (*fn)(void *, uint32_t, uint32_t, sf_step, sf_time), void *ctx)
{
    w->station_done = fn;
    w->station_ctx = ctx;
}

/* ---- shifts ------------------------------------------------------------ */

int sf_world_presence(sf_world *w, uint32_t agent, sf_time joins, sf_time leaves)
{
    if (agent >= w->nagents || joins < 0 || joins > leaves)
        return SF_EINVAL;
    sf_agent *a = &w->agents[agent];
    a->joins = joins;
    a->leaves = leaves;
    /* out of the plant for good (resting with no end) and now to join: its rest ends when it joins */
    if (a->activity == SF_ACT_REST && !a->timer && leaves == SF_TIME_MAX) {
        sf_time now = sf_kernel_now(w->k);
        a->until = joins > now ? joins : now;
        return sf_kernel_at(w->k, a->until, 0, w->kind_activity, agent, &a->timer);
    }
    /* gone while it stands waiting (for work, a crew, a charger): off now; else when its task in hand ends */
    if (sf_world_gone(w, agent) && a->activity == SF_ACT_NONE && a->state == SF_STATE_IDLE &&
        !sf_agents_busy(w->agent_work, agent))
        sf__world_show(w, agent, SF_POWER_OFF, SF_STATE_OFF_SHIFT);
    return SF_OK;
}

bool sf_world_gone(const sf_world *w, uint32_t agent)
{
    return agent < w->nagents && sf_kernel_now(w->k) >= w->agents[agent].leaves;
}

sf_state sf_world_shift(const sf_world *w, uint32_t agent, sf_time *until)
{
    const sf_agent *a = &w->agents[agent];
    sf_time t = sf_kernel_now(w->k), u;

    if (t < a->joins || t >= a->leaves) { /* not with the plant yet, or gone for good */
        if (until)
            *until = t < a->joins ? a->joins : SF_TIME_MAX;
        return SF_STATE_OFF_SHIFT;
    }
    sf_state s = sf_calendar_at(w->cfg, a->type, t, &u);

    /* presence may be the same on both sides of a boundary (shifts back to back): look past it */
    for (int i = 0; i < 64 && u != SF_TIME_MAX; i++) {
        sf_time next;
        if (sf_calendar_at(w->cfg, a->type, u, &next) != s)
            break;
        u = next;
    }
    if (until)
        *until = u < a->leaves ? u : a->leaves;
    return s;
}

/* ---- building ---------------------------------------------------------- */

/*
 * Production and its failures. Order matters for fingerprints: the
 * stations register "station.phase" before the failures register their
 * four kinds and schedule the first failures. The stations subscribe to
 * the failures before the world, so an operation has stopped when the
 * world halts its crew.
 */
static int build_production(sf_world *w)
{
    sf_stations_hooks sh = {station_done, station_crew, station_state, station_power, station_job, station_move, w};
    sf_failures_hooks fh = {repair_crew, station_repair, w};
    int rc;

    if (!(w->agent_work = sf_agents_new(w->cfg, w->types, w->nagents)) ||
        !(w->stations = sf_stations_new(w->k, w->cfg, w->cfg->scenario.seed, sh, w->kinds, w->types, w->nagents,
                                        w->agent_work)) ||
        !(w->failures = sf_failures_new(w->k, w->cfg, w->cfg->scenario.seed, w->agent_work, w->types, w->nagents, fh)))
        return SF_ENOMEM;
    if ((rc = sf_stations_attach_failures(w->stations, w->failures)) != SF_OK ||
        (rc = sf_failures_subscribe(w->failures, on_failure, w)) != SF_OK)
        return rc;
    sf_agents_on_busy(w->agent_work, sf_failures_agent_busy, w->failures);
    return SF_OK;
}

sf_world *sf_world_new(sf_kernel *k, const sf_scenario_config *cfg, sf_world_hooks hooks, char *err, size_t errlen)
{
    sf_world *w = sf_calloc(1, sizeof *w);
    const sf_cfg_fleet *F = &cfg->fleet;
    uint32_t nmobile = 0;
    sf_movers_hooks mh;
    int rc = SF_ENOMEM;

    if (err && errlen)
        err[0] = '\0';
    if (!w)
        goto fail;
    w->k = k;
    w->cfg = cfg;
    w->hooks = hooks;
    sf_names_init(&w->places);
    for (size_t t = 0; t < F->n_types; t++) {
        w->nagents += (uint32_t)F->types[t].count;
        if (F->types[t].kind != SF_AGENT_ARM)
            nmobile += (uint32_t)F->types[t].count;
    }
    w->agents = sf_calloc(w->nagents ? w->nagents : 1, sizeof *w->agents);
    w->agent_of_mover = sf_calloc(nmobile ? nmobile : 1, sizeof *w->agent_of_mover);
    if (!w->agents || !w->agent_of_mover)
        goto fail;
    if (SF_KERNEL_ADD_KINDS(k, w, {"agent.activity", on_activity, &w->kind_activity},
                            {"agent.battery", on_battery, &w->kind_battery}) != SF_OK)
        goto fail;
    if ((rc = sf__world_build_network(w, nmobile, err, errlen)) != SF_OK)
        goto fail;
    mh = (sf_movers_hooks){mover_arrived, mover_state, mover_deadlock, mover_zone, mover_protect, w};
    rc = SF_ENOMEM;
    if (!(w->movers = sf_movers_new(k, w->net, nmobile, cfg->layout.traffic.lookahead, mh)))
        goto fail;
    sf_movers_set_corridors(w->movers, cfg->layout.traffic.corridors);
    sf_movers_measure_from(w->movers, cfg->scenario.warmup);
    sf_movers_set_deadlock_policy(w->movers, cfg->layout.traffic.reroute ? SF_DEADLOCK_REROUTE : SF_DEADLOCK_REPORT);
    for (size_t z = 0; z < cfg->layout.n_zones; z++) {
        const sf_cfg_zone *Z = &cfg->layout.zones[z];
        double cap = Z->speed_limit > 0 ? Z->speed_limit : INFINITY;
        int id = sf_movers_add_zone(w->movers, Z->xy, Z->n_points, cap);
        rc = id < 0 ? id : Z->kind == SF_ZONE_COLLABORATIVE ? sf_movers_share_zone(w->movers, (uint32_t)id) : SF_OK;
        if (rc != SF_OK) {
            rc = sf__world_fail(err, errlen, &Z->at, "zone '%s' cannot be built (%s)", Z->name, sf_strerror(rc));
            goto fail;
        }
    }
    if ((rc = sf__world_build_storage(w, err, errlen)) != SF_OK || (rc = sf__world_build_agents(w, nmobile, err, errlen)) != SF_OK ||
        (rc = sf__world_build_places(w)) != SF_OK)
        goto fail;
    rc = SF_ENOMEM;
    w->kinds = sf_calloc(w->nagents ? w->nagents : 1, sizeof *w->kinds);
    w->types = sf_calloc(w->nagents ? w->nagents : 1, sizeof *w->types);
    if (!w->kinds || !w->types)
        goto fail;
    for (uint32_t i = 0; i < w->nagents; i++) {
        w->kinds[i] = w->agents[i].kind;
        w->types[i] = w->agents[i].type;
    }
    if ((rc = build_production(w)) != SF_OK)
        goto fail;
    if ((rc = build_safety(w, err, errlen)) != SF_OK)
        goto fail;
    /* spare battery packs; their event kind comes last, so runs without swaps keep their fingerprints */
    rc = SF_ENOMEM;
    if (SF_KERNEL_ADD_KINDS(k, w, {"packs.full", on_pack_full, &w->kind_packs}) != SF_OK)
        goto fail;
    w->packs = sf_calloc(F->n_types ? F->n_types : 1, sizeof *w->packs);
    w->packs_ev = sf_calloc(F->n_types ? F->n_types : 1, sizeof *w->packs_ev);
    if (!w->packs || !w->packs_ev)
        goto fail;
    for (size_t t = 0; t < F->n_types; t++) {
        const sf_cfg_battery *B = &F->types[t].battery;
        if (B->present && B->swap > 0 && (rc = sf_packs_init(&w->packs[t], (uint32_t)B->spares, B->capacity,
                                                                 B->charge_power,
                                                                 B->efficiency > 0 ? B->efficiency : 1)) != SF_OK)
            goto fail;
        if (B->present && B->swap > 0) /* the spares charge as the fleet's own batteries do */
            sf_packs_chemistry(&w->packs[t], B->chemistry == SF_CHEMISTRY_LI_ION ? B->cv_from : 1,
                               B->chemistry == SF_CHEMISTRY_LEAD_ACID ? B->cool_down : 0);
    }
    /* the AS/RS cranes; their event kind after the packs', so runs without cranes keep their fingerprints */
    rc = SF_ENOMEM;
    if (!(w->cranes = sf_cranes_new(k, &cfg->layout, crane_power, w)))
        goto fail;
    /* last, as the packs' and the cranes' kinds */
    if (!(w->speed_power = sf_speed_power_new(k, w->movers, nmobile, speed_power, w)))
        goto fail;
    return w;
fail:
    if (err && errlen && !err[0])
        sf__world_fail(err, errlen, NULL, "cannot build the model: %s", sf_strerror(rc));
    sf_world_free(w);
    return NULL;
}

void sf_world_free(sf_world *w)
{
    if (!w)
        return;
    sf_safety_free(w->safety); /* before the movers: it unregisters its watcher */
    sf_speed_power_free(w->speed_power); /* so does this */
    sf_stations_free(w->stations);
    sf_failures_free(w->failures);
    sf_agents_free(w->agent_work);
    for (size_t t = 0; w->packs && t < w->cfg->fleet.n_types; t++)
        sf_packs_close(&w->packs[t]);
    free(w->packs);
    free(w->packs_ev);
    sf_cranes_free(w->cranes);
    free(w->kinds);
    free(w->types);
    sf_movers_free(w->movers);
    sf_storage_free(w->storage);
    sf_network_free(w->net);
    free(w->agents);
    free(w->agent_of_mover);
    sf_names_close(&w->places);
    free(w);
}

const char *sf_state_name(sf_state s)
{
    static const char *const names[SF_STATES] = {
        "idle",      "working",  "setup",  "travel_empty", "travel_loaded", "handling",
        "wait_traffic", "charging", "blocked", "starved",   "failed",        "off_shift",
        "on_break",  "wait_person", "wait_robot", "reduced_speed", "safety_stop", "wait_transport"};
    return (unsigned)s < SF_STATES ? names[s] : "?";
}

uint32_t sf_world_agent_count(const sf_world *w) { return w->nagents; }
sf_agent *sf_world_agent(sf_world *w, uint32_t id) { return id < w->nagents ? &w->agents[id] : NULL; }
const sf_scenario_config *sf_world_config(const sf_world *w) { return w->cfg; }
sf_network *sf_world_network(sf_world *w) { return w->net; }
sf_movers *sf_world_movers(sf_world *w) { return w->movers; }
sf_storage *sf_world_storage(sf_world *w) { return w->storage; }

uint32_t sf_world_find_agent(const sf_world *w, const char *name)
{
    for (uint32_t i = 0; i < w->nagents; i++)
        if (strcmp(w->agents[i].name, name) == 0)
            return i;
    return SF_NO_AGENT;
}

int sf_world_place(const sf_world *w, const char *name, uint32_t *node)
{
    return sf_names_find(&w->places, name, node);
}
