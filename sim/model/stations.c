/*
 * stations.c: stations, buffers, jobs on their routings, failures.
 *
 * Jobs live in one array indexed by number - 1 (they are never reused: a
 * job costs 48 bytes for the whole run). Queues hold job indices. The
 * invariant that keeps the flow simple: a job waits in a group's `want`
 * queue only while no station of that group has room, so room appearing
 * at a station (a slot asking for work, a place freed in its input
 * buffer) is the only moment anything waiting can move, and `pull` is
 * called exactly then.
 */
#include "model/stations.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/work.h"

/* ---- queues of job indices -------------------------------------------- */

typedef struct fifo {
    uint32_t *v;
    uint32_t head, n;
    size_t cap;
} fifo;

static int fifo_push(fifo *q, uint32_t x)
{
    if (q->head + q->n == q->cap) {
        if (q->head > 0) {
            memmove(q->v, q->v + q->head, q->n * sizeof *q->v);
            q->head = 0;
        } else if (sf_grow(q->v, q->cap, q->head + q->n + 1) != SF_OK) {
            return SF_ENOMEM;
        }
    }
    q->v[q->head + q->n++] = x;
    return SF_OK;
}

static uint32_t fifo_pop(fifo *q)
{
    q->n--;
    return q->v[q->head++];
}

/* Remove x wherever it is; O(n), queues here are short. */
static void fifo_remove(fifo *q, uint32_t x)
{
    for (uint32_t i = 0; i < q->n; i++)
        if (q->v[q->head + i] == x) {
            memmove(q->v + q->head + i, q->v + q->head + i + 1, (q->n - i - 1) * sizeof *q->v);
            q->n--;
            return;
        }
}

/* ---- types ------------------------------------------------------------- */

enum where { J_STAGED, J_IN, J_SLOT, J_OUT, J_HELD, J_TRANSIT, J_STORED, J_GONE };

/* A booked move's destination when it is the product's sink dock. */
#define SINK UINT32_MAX

struct job {
    uint64_t number;
    int product, op;
    sf_time released, due;
    uint8_t where;
    bool booked;      /* a carrier is to move it to `dest` (a place there is reserved) */
    uint32_t station; /* J_IN, J_SLOT, J_OUT, J_HELD; J_TRANSIT: where it came from */
    uint32_t dest;    /* booked: the station it goes to, or SINK */
};

enum slot_state {
    SL_FREE,    /* no job, not asking */
    SL_TAKING,  /* asking for a job (station starved) */
    SL_HOLD,    /* a job, waiting for its crew (work not asked yet) */
    SL_PENDING, /* work asked while the station is failed */
    SL_SETUP,
    SL_WORK,
    SL_DONE,    /* a processed unit, not unloaded yet */
    SL_BLOCKED, /* unload asked, no room downstream */
};

#define CREW_MAX 16

struct slot {
    uint8_t state;
    uint32_t station;
    bool running;       /* a phase's clock is on (from run_phase to its end event) */
    bool sync;          /* inside sf_stations_take: no done hook for an immediate job */
    uint32_t job;
    sf_work work;       /* the running phase, at the crew's rate (0 while failed) */
    bool left_restart;  /* a crew member's failure that restarts the phase */
    sf_time total;      /* the phase's full length, for a restart */
    sf_time work_ns;    /* processing still to come after the setup */
    sf_event_id ev;
    uint32_t crew[CREW_MAX];
    uint32_t ncrew;
    unsigned crew_mask;
    sf_work_result result;
};

/* The clock of one failure mode, a station's or an agent's: its draws, busy time and events. */
struct fclock {
    const sf_cfg_failure *f;
    sf_rng up, down;
    sf_time busy_left; /* busy basis: working time to the next failure */
    sf_time busy_since;
    sf_event_id fail_ev, repair_ev;
};

struct fmode {
    struct fclock c;
    uint32_t station;
    bool awaiting_crew; /* failed, its repair crew not there yet */
    uint32_t crew[CREW_MAX], ncrew;
};

/* A failure mode of one agent (a fleet entry's `failures`): it stops the operations it works in. */
struct amode {
    struct fclock c;
    uint32_t agent;
};

struct station {
    const sf_cfg_station *cfg;
    uint32_t first_slot, nslots;
    fifo in, out;
    int last_product;
    uint32_t incoming;    /* places reserved for booked moves on their way here */
    sf_meter meter;
    sf_state state;
    bool busy;            /* working or in setup: the clock of busy-basis failures runs */
    int failed;           /* failure modes active now */
    bool restart;         /* the failure that stopped it restarts operations */
    sf_time since;        /* of the current state */
    double state_time[SF_STATES];
    uint64_t ops, failures;
    sf_rng rng_time, rng_setup, rng_quality;
    uint32_t *modes;      /* failure modes of this station */
    uint32_t nmodes;
};

struct sf_stations {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    sf_stations_hooks h;
    struct station *st;
    uint32_t nst;
    struct slot *slots;
    uint32_t nslots;
    fifo *want; /* per group */
    uint32_t **group_st;
    uint32_t *group_n;
    struct job *jobs;
    uint32_t njobs;
    size_t capjobs;
    struct fmode *modes;
    uint32_t nmodes;
    const sf_agent_kind *agent_kind;
    const int *agent_type;
    double *agent_rate; /* per agent, 1 unless safety slows it */
    uint8_t *agent_down;  /* per agent: failure modes under repair */
    uint8_t *agent_busy;  /* per agent: in an operation whose clock runs */
    double *fatigue;      /* per agent: fatigue level 0..1 at fatigue_since */
    sf_time *fatigue_since;
    uint64_t *agent_failures;
    struct amode *amodes;
    uint32_t namodes;
    uint32_t kind_afail, kind_arepair;
    fifo repairs;         /* station failure modes waiting for a repair crew, oldest first */
    bool repair_asked;    /* someone waits in sf_stations_next_repair */
    fifo moves;           /* booked moves no carrier was asked for yet, oldest first */
    bool move_asked;      /* someone waits in sf_stations_next_move */
    uint32_t nagents;
    sf_rng *retry; /* per agent type */
    sf_job_counts counts;
    uint32_t kind_phase, kind_fail, kind_repair;
};

static sf_time now_of(sf_stations *s) { return sf_kernel_now(s->k); }

static sf_time seconds(double x)
{
    sf_time t;
    if (!(x > 0) || sf_time_from_seconds(x, &t) != SF_OK)
        return 0;
    return t;
}

static const sf_cfg_operation *op_of(sf_stations *s, const struct job *j)
{
    return &s->cfg->products[j->product].ops[j->op];
}

static void emit_job(sf_stations *s, sf_job_what what, const struct job *j, int32_t station, unsigned crew)
{
    sf_job_event ev = {what, j->number, j->product, j->op, station, crew, j->released, j->due, now_of(s)};
    if (s->h.job)
        s->h.job(s->h.ctx, &ev);
}

static void done(sf_stations *s, uint32_t st, uint32_t slot, sf_step step)
{
    if (s->h.done)
        s->h.done(s->h.ctx, st, slot, step, now_of(s));
}

/* ---- state ------------------------------------------------------------- */

/* Does the operation's crew include a person (a worker kind or a worker fleet entry)? */
static bool needs_person(sf_stations *s, const sf_cfg_operation *op)
{
    for (size_t i = 0; i < op->n_crew; i++) {
        if (op->crew[i].kinds & (1u << SF_AGENT_WORKER))
            return true;
        for (size_t t = 0; t < op->crew[i].n_types; t++)
            if (s->cfg->fleet.types[op->crew[i].types[t]].kind == SF_AGENT_WORKER)
                return true;
    }
    return false;
}

static void busy_clock(sf_stations *s, struct station *S, bool busy);

/*
 * Work out the station's state from its slots, and on a change close the
 * time in the old one, switch the meter and tell the observers.
 */
static void refresh(sf_stations *s, uint32_t i)
{
    struct station *S = &s->st[i];
    sf_time now = now_of(s);
    int any[SL_BLOCKED + 1] = {0};
    sf_state ns;
    bool busy;

    for (uint32_t k = 0; k < S->nslots; k++)
        any[s->slots[S->first_slot + k].state]++;
    if (S->failed)
        ns = SF_STATE_FAILED;
    else if (any[SL_WORK])
        ns = SF_STATE_WORKING;
    else if (any[SL_SETUP])
        ns = SF_STATE_SETUP;
    else if (any[SL_BLOCKED] || any[SL_DONE])
        ns = SF_STATE_BLOCKED;
    else if (any[SL_HOLD] || any[SL_PENDING]) {
        ns = SF_STATE_WAIT_ROBOT;
        for (uint32_t k = 0; k < S->nslots; k++) {
            struct slot *sl = &s->slots[S->first_slot + k];
            if ((sl->state == SL_HOLD || sl->state == SL_PENDING) && needs_person(s, op_of(s, &s->jobs[sl->job])))
                ns = SF_STATE_WAIT_PERSON;
        }
    } else
        ns = SF_STATE_STARVED;
    busy = ns == SF_STATE_WORKING || ns == SF_STATE_SETUP;
    if (busy != S->busy)
        busy_clock(s, S, busy);
    if (ns == S->state)
        return;
    S->state_time[S->state] += sf_time_to_seconds(now - S->since);
    S->since = now;
    S->state = ns;
    if (busy != (S->meter.state == SF_POWER_WORKING)) {
        sf_meter_set(&S->meter, now, busy ? SF_POWER_WORKING : SF_POWER_IDLE);
        if (s->h.power)
            s->h.power(s->h.ctx, i, S->meter.state, S->meter.power[S->meter.state]);
    }
    if (s->h.state)
        s->h.state(s->h.ctx, i, ns);
}

/* ---- flow ---------------------------------------------------------------- */

/* Slots of a station asking for a job. */
static uint32_t taking(const sf_stations *s, const struct station *S)
{
    uint32_t n = 0;

    for (uint32_t k = 0; k < S->nslots; k++)
        n += s->slots[S->first_slot + k].state == SL_TAKING;
    return n;
}

/*
 * The station of `group` a job goes to: one with a slot asking that no
 * move on its way is meant for, else the emptiest input (counting the
 * units on their way) with a place neither taken nor reserved; UINT32_MAX.
 */
static uint32_t choose(sf_stations *s, int group)
{
    uint32_t best = UINT32_MAX, best_n = 0;

    for (uint32_t g = 0; g < s->group_n[group]; g++) {
        uint32_t i = s->group_st[group][g];
        const struct station *S = &s->st[i];
        uint32_t ask = taking(s, S), places = (uint32_t)S->cfg->buffer_in + ask, used = S->in.n + S->incoming;
        if (ask > S->incoming)
            return i;
        if (places > used && (best == UINT32_MAX || used < best_n)) {
            best = i;
            best_n = used;
        }
    }
    return best;
}

/* Put job j into station i, which has room: to a slot asking for one, else the input buffer. */
static void accept(sf_stations *s, uint32_t i, uint32_t j)
{
    struct station *S = &s->st[i];
    struct job *J = &s->jobs[j];

    J->station = i;
    for (uint32_t k = 0; k < S->nslots; k++) {
        struct slot *sl = &s->slots[S->first_slot + k];
        if (sl->state != SL_TAKING)
            continue;
        sl->state = SL_HOLD;
        sl->job = j;
        J->where = J_SLOT;
        refresh(s, i);
        if (!sl->sync)
            done(s, i, k, SF_STEP_TAKE);
        return;
    }
    J->where = J_IN;
    if (fifo_push(&S->in, j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
}

static void pull(sf_stations *s, int group);

/* Room in station i's output buffer: blocked slots hand their units to it, in slot order. */
static void refill_out(sf_stations *s, uint32_t i)
{
    struct station *S = &s->st[i];

    for (uint32_t k = 0; k < S->nslots && S->out.n < (uint32_t)S->cfg->buffer_out; k++) {
        struct slot *sl = &s->slots[S->first_slot + k];
        if (sl->state != SL_BLOCKED)
            continue;
        s->jobs[sl->job].where = J_OUT;
        if (fifo_push(&S->out, sl->job) != SF_OK)
            sf_kernel_fail(s->k, SF_ENOMEM);
        sl->state = SL_FREE;
        refresh(s, i);
        done(s, i, k, SF_STEP_UNLOAD);
    }
}

/*
 * The unit of job j leaves the output buffer or the blocked slot of the
 * station it was made at. A place in the output buffer is refilled by
 * the caller (refill_out), after the unit has found its next place.
 */
static void leave_station(sf_stations *s, uint32_t j)
{
    struct job *J = &s->jobs[j];
    uint32_t from = J->station;
    struct station *F = &s->st[from];

    if (J->where == J_OUT) {
        fifo_remove(&F->out, j);
        return;
    }
    for (uint32_t k = 0; k < F->nslots; k++) {
        struct slot *sl = &s->slots[F->first_slot + k];
        if (sl->state == SL_BLOCKED && sl->job == j) {
            sl->state = SL_FREE;
            refresh(s, from);
            done(s, from, k, SF_STEP_UNLOAD);
            return;
        }
    }
}

/* Is job j moved to its next place by a carrier? From a station always, from release only with a source dock. */
static bool carried(const sf_stations *s, const struct job *J)
{
    const sf_cfg_product *p = &s->cfg->products[J->product];
    return p->transport.n_crew > 0 && (J->where != J_STAGED || p->source >= 0);
}

/* A carrier is to move job j to `dest` (a station, with a place reserved there, or SINK); the unit stays put until picked up. */
static void book(sf_stations *s, uint32_t j, uint32_t dest)
{
    struct job *J = &s->jobs[j];

    J->booked = true;
    J->dest = dest;
    if (dest != SINK)
        s->st[dest].incoming++;
    if (fifo_push(&s->moves, j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
    if (s->move_asked && s->h.move) {
        s->move_asked = false;
        s->h.move(s->h.ctx);
    }
}

/* Move the jobs waiting to enter `group` while a station of it has room, oldest first. */
static void pull(sf_stations *s, int group)
{
    fifo *w = &s->want[group];
    uint32_t i;

    while (w->n > 0 && (i = choose(s, group)) != UINT32_MAX) {
        uint32_t j = fifo_pop(w);
        struct job *J = &s->jobs[j];
        uint8_t was = J->where;
        uint32_t from = J->station;
        if (carried(s, J)) {
            book(s, j, i);
            continue;
        }
        if (was == J_OUT || was == J_HELD)
            leave_station(s, j);
        accept(s, i, j);
        if (was == J_OUT)
            refill_out(s, from);
    }
}

enum entry { ENTRY_QUEUED, ENTRY_PLACED, ENTRY_BOOKED };

/* Job j heads for the group of its current operation: a station now (or a carrier booked to it), or the group's queue. */
static enum entry enter_group(sf_stations *s, uint32_t j)
{
    int group = op_of(s, &s->jobs[j])->group;
    uint32_t i;

    if (s->want[group].n == 0 && (i = choose(s, group)) != UINT32_MAX) {
        if (carried(s, &s->jobs[j])) {
            book(s, j, i);
            return ENTRY_BOOKED;
        }
        accept(s, i, j);
        return ENTRY_PLACED;
    }
    if (fifo_push(&s->want[group], j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
    return ENTRY_QUEUED;
}

int sf_stations_release(sf_stations *s, int product, sf_time due, uint64_t *number)
{
    struct job *J;

    if (product < 0 || (size_t)product >= s->cfg->n_products)
        return SF_EINVAL;
    if (sf_grow(s->jobs, s->capjobs, s->njobs + 1) != SF_OK)
        return SF_ENOMEM;
    J = &s->jobs[s->njobs];
    *J = (struct job){s->njobs + 1u, product, 0, now_of(s), due, J_STAGED, false, UINT32_MAX, UINT32_MAX};
    s->njobs++;
    s->counts.released++;
    s->counts.in_progress++;
    if (number)
        *number = J->number;
    emit_job(s, SF_JOB_RELEASED, J, -1, 0);
    if (s->cfg->products[product].n_ops == 0) {
        J->where = J_STORED;
        J->op = -1;
        return SF_OK;
    }
    enter_group(s, s->njobs - 1);
    return SF_OK;
}

static void finish_job(sf_stations *s, struct job *J, sf_job_what what)
{
    J->where = J_GONE;
    s->counts.in_progress--;
    if (what == SF_JOB_COMPLETED)
        s->counts.completed++;
    else
        s->counts.scrapped++;
    emit_job(s, what, J, J->station == UINT32_MAX ? -1 : (int32_t)J->station, 0);
}

int sf_stations_complete(sf_stations *s, uint64_t number)
{
    struct job *J;

    if (number < 1 || number > s->njobs || (J = &s->jobs[number - 1])->where != J_STORED)
        return SF_EINVAL;
    finish_job(s, J, SF_JOB_COMPLETED);
    return SF_OK;
}

/* ---- moves by carrier ------------------------------------------------------ */

int sf_stations_next_move(sf_stations *s, sf_move *out)
{
    const struct job *J;

    if (s->moves.n == 0) {
        s->move_asked = true;
        return 0;
    }
    J = &s->jobs[fifo_pop(&s->moves)];
    out->job = J->number;
    out->product = J->product;
    out->from = J->where == J_STAGED ? SINK : J->station;
    out->to = J->dest;
    return 1;
}

static struct job *job_at(sf_stations *s, uint64_t number)
{
    return number >= 1 && number <= s->njobs ? &s->jobs[number - 1] : NULL;
}

int sf_stations_pickup(sf_stations *s, uint64_t number)
{
    struct job *J = job_at(s, number);
    uint32_t j, from;
    uint8_t was;

    if (!J || !J->booked || (J->where != J_STAGED && J->where != J_OUT && J->where != J_HELD))
        return SF_EINVAL;
    j = (uint32_t)(number - 1);
    was = J->where;
    from = J->station;
    fifo_remove(&s->moves, j); /* when picked up without asking sf_stations_next_move */
    if (was != J_STAGED)
        leave_station(s, j);
    J->where = J_TRANSIT;
    emit_job(s, SF_JOB_PICKED_UP, J, was == J_STAGED ? -1 : (int32_t)from, 0);
    if (was == J_OUT)
        refill_out(s, from);
    return SF_OK;
}

int sf_stations_deliver(sf_stations *s, uint64_t number)
{
    struct job *J = job_at(s, number);

    if (!J || J->where != J_TRANSIT)
        return SF_EINVAL;
    J->booked = false;
    if (J->dest == SINK) {
        emit_job(s, SF_JOB_DELIVERED, J, -1, 0);
        finish_job(s, J, SF_JOB_COMPLETED);
        return SF_OK;
    }
    s->st[J->dest].incoming--;
    emit_job(s, SF_JOB_DELIVERED, J, (int32_t)J->dest, 0);
    accept(s, J->dest, (uint32_t)(number - 1));
    return SF_OK;
}

/* ---- the steps ------------------------------------------------------------ */

static struct slot *slot_at(sf_stations *s, uint32_t st, uint32_t slot)
{
    if (st >= s->nst || slot >= s->st[st].nslots)
        return NULL;
    return &s->slots[s->st[st].first_slot + slot];
}

int sf_stations_take(sf_stations *s, uint32_t st, uint32_t slot)
{
    return sf_stations_take_job(s, st, slot, 0);
}

int sf_stations_take_job(sf_stations *s, uint32_t st, uint32_t slot, uint64_t number)
{
    struct slot *sl = slot_at(s, st, slot);
    struct station *S = &s->st[st];

    if (!sl || sl->state != SL_FREE)
        return SF_EINVAL;
    if (number > 0) { /* a chosen job of the input buffer */
        uint32_t j = (uint32_t)(number - 1);
        if (number > s->njobs || s->jobs[j].where != J_IN || s->jobs[j].station != st)
            return SF_EINVAL;
        fifo_remove(&S->in, j);
        sl->job = j;
        sl->state = SL_HOLD;
        s->jobs[j].where = J_SLOT;
        refresh(s, st);
        pull(s, S->cfg->group_index);
        return 1;
    }
    if (S->in.n > 0) {
        sl->job = fifo_pop(&S->in);
        sl->state = SL_HOLD;
        s->jobs[sl->job].where = J_SLOT;
        refresh(s, st);
        pull(s, S->cfg->group_index); /* a place in the input buffer is free */
        return 1;
    }
    sl->state = SL_TAKING;
    sl->sync = true;
    pull(s, S->cfg->group_index);
    sl->sync = false;
    refresh(s, st);
    return sl->state == SL_HOLD ? 1 : 0;
}

static void agent_busy_clock(sf_stations *s, uint32_t agent, bool busy);

static void crew_tell(sf_stations *s, struct slot *sl, bool working)
{
    for (uint32_t c = 0; c < sl->ncrew; c++)
        agent_busy_clock(s, sl->crew[c], working);
    if (s->h.crew && sl->ncrew > 0)
        s->h.crew(s->h.ctx, sl->crew, sl->ncrew, working);
}

/* The rate a slot works at: the slowest of its crew (safety slows robots), 1 without a crew. */
static double slot_rate(const sf_stations *s, const struct slot *sl)
{
    double r = 1;

    for (uint32_t c = 0; c < sl->ncrew && s->agent_rate; c++) {
        if (s->agent_down[sl->crew[c]])
            return 0;
        if (s->agent_rate[sl->crew[c]] < r)
            r = s->agent_rate[sl->crew[c]];
    }
    return r;
}

static void schedule_end(sf_stations *s, struct slot *sl, sf_time end);

/* Every running operation with `agent` in its crew goes on at its crew's rate from now. */
static void rerate(sf_stations *s, uint32_t agent)
{
    for (uint32_t i = 0; i < s->nslots; i++) {
        struct slot *sl = &s->slots[i];
        bool in_crew = false;
        if (!sl->running || s->st[sl->station].failed)
            continue;
        for (uint32_t c = 0; c < sl->ncrew; c++)
            in_crew |= sl->crew[c] == agent;
        if (in_crew)
            schedule_end(s, sl, sf_work_set_rate(&sl->work, now_of(s), slot_rate(s, sl)));
    }
}

/* (Re)schedule the end of the slot's phase from its work's completion time. */
static void schedule_end(sf_stations *s, struct slot *sl, sf_time end)
{
    int rc;
    if (sl->ev)
        sf_kernel_cancel(s->k, sl->ev);
    sl->ev = 0;
    if (end != SF_TIME_MAX &&
        (rc = sf_kernel_at(s->k, end, 0, s->kind_phase, (uint32_t)(sl - s->slots), &sl->ev)) != SF_OK)
        sf_kernel_fail(s->k, rc);
}

/* Start the slot's current phase (setup or processing): `dt` of work at full rate. */
static void run_phase(sf_stations *s, struct slot *sl, sf_time dt)
{
    sl->running = true;
    schedule_end(s, sl, sf_work_start(&sl->work, now_of(s), dt, slot_rate(s, sl)));
}

void sf_stations_agent_rate(sf_stations *s, uint32_t agent, double rate)
{
    if (!s->agent_rate || agent >= s->nagents)
        return;
    s->agent_rate[agent] = rate;
    rerate(s, agent);
}

/* Begin the work asked of a slot: setup when the product changes, else processing. */
static void start_work(sf_stations *s, uint32_t st, struct slot *sl)
{
    struct station *S = &s->st[st];
    struct job *J = &s->jobs[sl->job];
    const sf_cfg_operation *op = op_of(s, J);
    sf_time setup = 0;

    if (S->last_product != J->product)
        setup = seconds(sf_dist_sample(&op->setup, &S->rng_setup));
    S->last_product = J->product;
    emit_job(s, SF_JOB_OP_START, J, (int32_t)st, sl->crew_mask);
    crew_tell(s, sl, true);
    if (setup > 0) {
        sl->state = SL_SETUP;
        sl->total = setup;
        run_phase(s, sl, setup);
    } else {
        sl->state = SL_WORK;
        sl->total = sl->work_ns;
        run_phase(s, sl, sl->work_ns);
    }
    refresh(s, st);
}

static double fatigue_at(const sf_stations *s, uint32_t agent, sf_time now);

/* Processing time of one attempt at the operation, plus a retry for each failed attempt of a crew member. */
static sf_time process_time(sf_stations *s, uint32_t st, struct slot *sl)
{
    struct job *J = &s->jobs[sl->job];
    double x = sf_dist_sample(&op_of(s, J)->time, &s->st[st].rng_time), slow = 1;
    sf_time t;

    /* the most tired person of the crew sets the pace */
    for (uint32_t c = 0; c < sl->ncrew && s->agent_type; c++) {
        const sf_cfg_agent_type *T = &s->cfg->fleet.types[s->agent_type[sl->crew[c]]];
        double f = 1 + T->fatigue_slowdown * fatigue_at(s, sl->crew[c], now_of(s));
        if (T->fatigue_rate > 0 && f > slow)
            slow = f;
    }
    t = seconds(x * slow);
    for (uint32_t c = 0; c < sl->ncrew && s->agent_type; c++) {
        int type = s->agent_type[sl->crew[c]];
        const sf_cfg_agent_type *T = &s->cfg->fleet.types[type];
        for (int tries = 0; T->success_rate < 1 && tries < 1000; tries++) {
            if (sf_rng_uniform(&s->retry[type]) < T->success_rate)
                break;
            t += T->retry_time;
        }
    }
    return t;
}

int sf_stations_work(sf_stations *s, uint32_t st, uint32_t slot, const uint32_t *crew, uint32_t ncrew)
{
    struct slot *sl = slot_at(s, st, slot);

    if (!sl || sl->state != SL_HOLD || ncrew > CREW_MAX)
        return SF_EINVAL;
    sl->ncrew = 0;
    sl->crew_mask = 0;
    for (uint32_t c = 0; c < ncrew; c++) {
        if (crew[c] >= s->nagents)
            return SF_EINVAL;
        sl->crew[sl->ncrew++] = crew[c];
        sl->crew_mask |= 1u << s->agent_kind[crew[c]];
    }
    sl->work_ns = process_time(s, st, sl);
    if (s->st[st].failed) {
        sl->state = SL_PENDING;
        refresh(s, st);
        return 0;
    }
    start_work(s, st, sl);
    return 0;
}

int sf_stations_unload(sf_stations *s, uint32_t st, uint32_t slot)
{
    struct slot *sl = slot_at(s, st, slot);
    struct station *S = &s->st[st];
    struct job *J;

    if (!sl || sl->state != SL_DONE)
        return SF_EINVAL;
    J = &s->jobs[sl->job];
    J->where = J_HELD; /* until it finds its place */
    sl->state = SL_BLOCKED;
    if ((size_t)J->op + 1 == s->cfg->products[J->product].n_ops) {
        if (!carried(s, J) || s->cfg->products[J->product].sink < 0) {
            sl->state = SL_FREE;
            finish_job(s, J, SF_JOB_COMPLETED);
            refresh(s, st);
            return 1;
        }
        book(s, sl->job, SINK); /* to the sink dock */
    } else {
        J->op++;
        if (enter_group(s, sl->job) == ENTRY_PLACED)
            sl->state = SL_FREE;
    }
    if (sl->state != SL_FREE && S->out.n < (uint32_t)S->cfg->buffer_out) {
        J->where = J_OUT;
        if (fifo_push(&S->out, sl->job) != SF_OK)
            return SF_ENOMEM;
        sl->state = SL_FREE;
    }
    refresh(s, st);
    return sl->state == SL_FREE ? 1 : 0;
}

/* The clock of a phase ran out. */
static void on_phase(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_stations *s = ctx;
    struct slot *sl = &s->slots[ev->target];
    uint32_t st = sl->station, slot;
    struct job *J;
    const sf_cfg_operation *op;
    double u;

    (void)k;
    sl->ev = 0;
    sl->running = false;
    slot = ev->target - s->st[st].first_slot;
    J = &s->jobs[sl->job];
    op = op_of(s, J);
    if (sl->state == SL_SETUP) {
        sl->state = SL_WORK;
        sl->total = sl->work_ns;
        run_phase(s, sl, sl->work_ns);
        refresh(s, st);
        return;
    }
    s->st[st].ops++;
    emit_job(s, SF_JOB_OP_END, J, (int32_t)st, sl->crew_mask);
    u = sf_rng_uniform(&s->st[st].rng_quality);
    if (u < op->scrap) {
        crew_tell(s, sl, false);
        sl->state = SL_FREE;
        sl->result = SF_WORK_SCRAPPED;
        finish_job(s, J, SF_JOB_SCRAPPED);
        refresh(s, st);
        done(s, st, slot, SF_STEP_WORK);
        return;
    }
    if (op->rework > 0 && sf_rng_uniform(&s->st[st].rng_quality) < op->rework) {
        s->counts.reworked++;
        emit_job(s, SF_JOB_REWORK, J, (int32_t)st, sl->crew_mask);
        emit_job(s, SF_JOB_OP_START, J, (int32_t)st, sl->crew_mask);
        sl->work_ns = process_time(s, st, sl);
        sl->total = sl->work_ns;
        run_phase(s, sl, sl->work_ns);
        return;
    }
    crew_tell(s, sl, false);
    sl->state = SL_DONE;
    sl->result = SF_WORK_GOOD;
    refresh(s, st);
    done(s, st, slot, SF_STEP_WORK);
}

/* ---- failures ------------------------------------------------------------- */

/*
 * Schedule the next failure of clock c (event `kind` for `target`): on the
 * busy basis after the working time left, while its owner is busy; on the
 * calendar basis after a fresh draw of the time between failures.
 */
static void clock_schedule(sf_stations *s, struct fclock *c, bool owner_busy, uint32_t kind, uint32_t target)
{
    int rc;
    sf_time at;

    if (c->f->busy_time) {
        if (!owner_busy)
            return;
        at = now_of(s) + c->busy_left;
    } else {
        at = now_of(s) + seconds(sf_dist_sample(&c->f->mtbf, &c->up));
    }
    if ((rc = sf_kernel_at(s->k, at, 1, kind, target, &c->fail_ev)) != SF_OK)
        sf_kernel_fail(s->k, rc);
}

/* Its owner starts or stops being busy: a busy-basis clock (not under repair) runs or stops. */
static void clock_busy(sf_stations *s, struct fclock *c, bool busy, uint32_t kind, uint32_t target)
{
    sf_time now = now_of(s);

    if (!c->f->busy_time || c->repair_ev)
        return;
    if (busy) {
        c->busy_since = now;
        clock_schedule(s, c, true, kind, target);
    } else if (c->fail_ev) {
        sf_kernel_cancel(s->k, c->fail_ev);
        c->fail_ev = 0;
        c->busy_left -= now - c->busy_since;
    }
}

/* Seed clock c's two streams by name and start it: a first failure drawn, or the busy time to it. */
static void clock_start(sf_stations *s, struct fclock *c, uint64_t seed, const char *what, bool owner_busy,
                        uint32_t kind, uint32_t target)
{
    char name[256];

    snprintf(name, sizeof name, "failure.%s", what);
    sf_rng_init(&c->up, seed, name);
    snprintf(name, sizeof name, "repair.%s", what);
    sf_rng_init(&c->down, seed, name);
    if (c->fail_ev)
        sf_kernel_cancel(s->k, c->fail_ev);
    c->fail_ev = 0;
    if (c->f->busy_time)
        c->busy_left = seconds(sf_dist_sample(&c->f->mtbf, &c->up));
    else
        clock_schedule(s, c, owner_busy, kind, target);
}

static void schedule_failure(sf_stations *s, struct fmode *m)
{
    clock_schedule(s, &m->c, s->st[m->station].busy, s->kind_fail, (uint32_t)(m - s->modes));
}

/* A station starts or stops being busy: the clocks of its busy-basis failures run or stop. */
static void busy_clock(sf_stations *s, struct station *S, bool busy)
{
    S->busy = busy;
    for (uint32_t i = 0; i < S->nmodes; i++)
        clock_busy(s, &s->modes[S->modes[i]].c, busy, s->kind_fail, S->modes[i]);
}

static void on_fail(sf_kernel *k, void *ctx, const sf_event *ev)
{
    int rc;
    sf_stations *s = ctx;
    struct fmode *m = &s->modes[ev->target];
    struct station *S = &s->st[m->station];
    sf_time now = sf_kernel_now(k);

    m->c.fail_ev = 0;
    m->c.busy_left = 0;
    S->failures++;
    if (S->failed++ == 0) {
        S->restart = m->c.f->restart;
        for (uint32_t i = 0; i < S->nslots; i++) {
            struct slot *sl = &s->slots[S->first_slot + i];
            if (sl->state != SL_SETUP && sl->state != SL_WORK)
                continue;
            schedule_end(s, sl, sf_work_set_rate(&sl->work, now, 0));
            crew_tell(s, sl, false);
        }
    }
    refresh(s, m->station);
    if (m->c.f->repair.n_crew > 0) { /* the repair starts when its crew is there (sf_stations_repair) */
        m->awaiting_crew = true;
        if (fifo_push(&s->repairs, ev->target) != SF_OK)
            sf_kernel_fail(k, SF_ENOMEM);
        if (s->repair_asked && s->h.repair) {
            s->repair_asked = false;
            s->h.repair(s->h.ctx, UINT32_MAX);
        }
        return;
    }
    if ((rc = sf_kernel_after(k, seconds(sf_dist_sample(&m->c.f->mttr, &m->c.down)), 1, s->kind_repair, ev->target,
                        &m->c.repair_ev)) != SF_OK)
        sf_kernel_fail(k, rc);
}

int sf_stations_next_repair(sf_stations *s, uint32_t *mode)
{
    if (s->repairs.n > 0) {
        *mode = fifo_pop(&s->repairs);
        return 1;
    }
    s->repair_asked = true;
    return 0;
}

int sf_stations_repair(sf_stations *s, uint32_t mode, const uint32_t *crew, uint32_t ncrew)
{
    struct fmode *m;

    if (mode >= s->nmodes || !(m = &s->modes[mode])->awaiting_crew || ncrew > CREW_MAX)
        return SF_EINVAL;
    for (uint32_t c = 0; c < ncrew; c++)
        if (crew[c] >= s->nagents)
            return SF_EINVAL;
    m->awaiting_crew = false;
    m->ncrew = ncrew;
    memcpy(m->crew, crew, ncrew * sizeof *crew);
    if (s->h.crew && ncrew > 0)
        s->h.crew(s->h.ctx, m->crew, m->ncrew, true);
    if (sf_kernel_after(s->k, seconds(sf_dist_sample(&m->c.f->mttr, &m->c.down)), 1, s->kind_repair, mode,
                        &m->c.repair_ev) != SF_OK)
        return SF_ERANGE;
    return 0;
}

bool sf_stations_failure_of(const sf_stations *s, uint32_t mode, uint32_t *station, const sf_cfg_failure **f)
{
    if (mode >= s->nmodes)
        return false;
    *station = s->modes[mode].station;
    *f = s->modes[mode].c.f;
    return true;
}

static void on_repair(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_stations *s = ctx;
    struct fmode *m = &s->modes[ev->target];
    struct station *S = &s->st[m->station];

    (void)k;
    m->c.repair_ev = 0;
    if (m->ncrew > 0) { /* the repair crew is done */
        if (s->h.crew)
            s->h.crew(s->h.ctx, m->crew, m->ncrew, false);
        m->ncrew = 0;
        if (s->h.repair)
            s->h.repair(s->h.ctx, ev->target);
    }
    if (m->c.f->busy_time)
        m->c.busy_left = seconds(sf_dist_sample(&m->c.f->mtbf, &m->c.up));
    if (--S->failed == 0)
        for (uint32_t i = 0; i < S->nslots; i++) {
            struct slot *sl = &s->slots[S->first_slot + i];
            if (sl->state == SL_SETUP || sl->state == SL_WORK) {
                crew_tell(s, sl, true);
                if (S->restart)
                    run_phase(s, sl, sl->total);
                else
                    schedule_end(s, sl, sf_work_set_rate(&sl->work, sf_kernel_now(k), slot_rate(s, sl)));
            } else if (sl->state == SL_PENDING) {
                start_work(s, m->station, sl);
            }
        }
    refresh(s, m->station); /* restarts the busy clocks when working */
    if (!m->c.f->busy_time)
        schedule_failure(s, m);
    else if (S->busy && !m->c.fail_ev) {
        m->c.busy_since = sf_kernel_now(k);
        schedule_failure(s, m);
    }
}

/* ---- failures of agents --------------------------------------------------- */

/*
 * An agent fails on its own clock (calendar, or its time working in
 * operations). While it is under repair every operation it works in
 * stands still (rate 0) and goes on after the repair; an operation it
 * joins meanwhile waits for the repair. The world halts it on its trip
 * (model/world.c).
 */
static void schedule_agent_failure(sf_stations *s, struct amode *m)
{
    clock_schedule(s, &m->c, s->agent_busy[m->agent], s->kind_afail, (uint32_t)(m - s->amodes));
}

/*
 * Fatigue of a worker at `now` (Jaber, Givi and Neumann 2013): while it
 * works F grows as 1 - (1 - F) e^(-rate dt), otherwise it recovers as
 * F e^(-recovery dt). Exact between changes of working, which is when it
 * is brought up to date.
 */
static double fatigue_at(const sf_stations *s, uint32_t agent, sf_time now)
{
    const sf_cfg_agent_type *T;
    double dt, F;

    if (!s->agent_type || !s->fatigue)
        return 0;
    T = &s->cfg->fleet.types[s->agent_type[agent]];
    if (!(T->fatigue_rate > 0))
        return 0;
    dt = sf_time_to_seconds(now - s->fatigue_since[agent]);
    F = s->fatigue[agent];
    return s->agent_busy[agent] ? 1 - (1 - F) * exp(-T->fatigue_rate * dt) : F * exp(-T->fatigue_recovery * dt);
}

void sf_stations_agent_operating(sf_stations *s, uint32_t agent, bool on)
{
    agent_busy_clock(s, agent, on);
}

static void agent_busy_clock(sf_stations *s, uint32_t agent, bool busy)
{
    sf_time now = now_of(s);

    if (!s->agent_busy || agent >= s->nagents || (bool)s->agent_busy[agent] == busy)
        return;
    s->fatigue[agent] = fatigue_at(s, agent, now);
    s->fatigue_since[agent] = now;
    s->agent_busy[agent] = busy;
    if (s->agent_down[agent]) /* under repair its clocks stand still; the last repair starts them again */
        return;
    for (uint32_t i = 0; i < s->namodes; i++)
        if (s->amodes[i].agent == agent)
            clock_busy(s, &s->amodes[i].c, busy, s->kind_afail, i);
}

static void on_agent_fail(sf_kernel *k, void *ctx, const sf_event *ev)
{
    int rc;
    sf_stations *s = ctx;
    struct amode *m = &s->amodes[ev->target];

    m->c.fail_ev = 0;
    m->c.busy_left = 0;
    s->agent_failures[m->agent]++;
    if (s->agent_down[m->agent]++ == 0) {
        for (uint32_t i = 0; i < s->namodes; i++) /* its other clocks stand still during the repair */
            if (s->amodes[i].agent == m->agent && i != ev->target)
                clock_busy(s, &s->amodes[i].c, false, s->kind_afail, i);
        if (m->c.f->restart)
            for (uint32_t i = 0; i < s->nslots; i++) {
                struct slot *sl = &s->slots[i];
                for (uint32_t c = 0; c < sl->ncrew && sl->running; c++)
                    if (sl->crew[c] == m->agent)
                        sl->left_restart = true;
            }
        rerate(s, m->agent);
        if (s->h.agent_failed)
            s->h.agent_failed(s->h.ctx, m->agent, true);
    }
    if ((rc = sf_kernel_after(k, seconds(sf_dist_sample(&m->c.f->mttr, &m->c.down)), 1, s->kind_arepair, ev->target,
                        &m->c.repair_ev)) != SF_OK)
        sf_kernel_fail(k, rc);
}

static void on_agent_repair(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_stations *s = ctx;
    struct amode *m = &s->amodes[ev->target];

    m->c.repair_ev = 0;
    if (m->c.f->busy_time)
        m->c.busy_left = seconds(sf_dist_sample(&m->c.f->mtbf, &m->c.up));
    if (--s->agent_down[m->agent] == 0) {
        for (uint32_t i = 0; i < s->namodes && s->agent_busy[m->agent]; i++) /* its clocks run again */
            if (s->amodes[i].agent == m->agent && !s->amodes[i].c.fail_ev)
                clock_busy(s, &s->amodes[i].c, true, s->kind_afail, i);
        for (uint32_t i = 0; i < s->nslots; i++) {
            struct slot *sl = &s->slots[i];
            if (sl->running && sl->left_restart && !s->st[sl->station].failed && slot_rate(s, sl) > 0) {
                sl->left_restart = false;
                run_phase(s, sl, sl->total);
            }
        }
        rerate(s, m->agent);
        if (s->h.agent_failed)
            s->h.agent_failed(s->h.ctx, m->agent, false);
    }
    if (!m->c.f->busy_time)
        schedule_agent_failure(s, m);
    else if (s->agent_busy[m->agent] && !m->c.fail_ev) {
        m->c.busy_since = sf_kernel_now(k);
        schedule_agent_failure(s, m);
    }
}

double sf_stations_fatigue(const sf_stations *s, uint32_t agent, sf_time now)
{
    return agent < s->nagents ? fatigue_at(s, agent, now) : 0;
}

uint64_t sf_stations_agent_failures(const sf_stations *s, uint32_t agent)
{
    return agent < s->nagents ? s->agent_failures[agent] : 0;
}

bool sf_stations_agent_down(const sf_stations *s, uint32_t agent)
{
    return agent < s->nagents && s->agent_down[agent];
}

/* ---- building ------------------------------------------------------------- */

static bool applies(const sf_cfg_failure *f, const sf_cfg_station *st, size_t index)
{
    return (f->target_kind == SF_FAIL_STATION && (size_t)f->target == index) ||
           (f->target_kind == SF_FAIL_GROUP && f->target == st->group_index);
}

sf_stations *sf_stations_new(sf_kernel *k, const sf_scenario_config *cfg, uint64_t seed, sf_stations_hooks hooks,
                             const sf_agent_kind *agent_kind, const int *agent_type, uint32_t nagents)
{
    sf_stations *s = sf_calloc(1, sizeof *s);
    const sf_cfg_layout *L = &cfg->layout;
    int kind;

    if (!s)
        return NULL;
    s->k = k;
    s->cfg = cfg;
    s->h = hooks;
    s->agent_kind = agent_kind;
    s->agent_type = agent_type;
    s->nagents = agent_kind ? nagents : 0;
    s->nst = (uint32_t)L->n_stations;
    s->st = sf_calloc(s->nst ? s->nst : 1, sizeof *s->st);
    s->want = sf_calloc(L->n_groups ? L->n_groups : 1, sizeof *s->want);
    s->group_st = sf_calloc(L->n_groups ? L->n_groups : 1, sizeof *s->group_st);
    s->group_n = sf_calloc(L->n_groups ? L->n_groups : 1, sizeof *s->group_n);
    s->retry = sf_calloc(cfg->fleet.n_types ? cfg->fleet.n_types : 1, sizeof *s->retry);
    if (s->nagents && (s->agent_rate = sf_malloc(s->nagents * sizeof *s->agent_rate)))
        for (uint32_t a = 0; a < s->nagents; a++)
            s->agent_rate[a] = 1;
    s->agent_down = sf_calloc(s->nagents ? s->nagents : 1, 1);
    s->agent_busy = sf_calloc(s->nagents ? s->nagents : 1, 1);
    s->agent_failures = sf_calloc(s->nagents ? s->nagents : 1, sizeof *s->agent_failures);
    s->fatigue = sf_calloc(s->nagents ? s->nagents : 1, sizeof *s->fatigue);
    s->fatigue_since = sf_calloc(s->nagents ? s->nagents : 1, sizeof *s->fatigue_since);
    for (size_t f = 0; f < cfg->n_failures && agent_type; f++)
        for (uint32_t a = 0; a < s->nagents; a++)
            s->namodes += cfg->failures[f].target_kind == SF_FAIL_AGENT_TYPE && cfg->failures[f].target == agent_type[a];
    s->amodes = sf_calloc(s->namodes ? s->namodes : 1, sizeof *s->amodes);
    if (!s->agent_down || !s->agent_busy || !s->agent_failures || !s->amodes || !s->fatigue || !s->fatigue_since)
        goto fail;
    s->namodes = 0;
    for (size_t f = 0; f < cfg->n_failures && agent_type; f++)
        for (uint32_t a = 0; a < s->nagents; a++)
            if (cfg->failures[f].target_kind == SF_FAIL_AGENT_TYPE && cfg->failures[f].target == agent_type[a]) {
                s->amodes[s->namodes].c.f = &cfg->failures[f];
                s->amodes[s->namodes++].agent = a;
            }
    if ((s->nagents && !s->agent_rate) || !s->st || !s->want || !s->group_st || !s->group_n || !s->retry)
        goto fail;
    for (uint32_t i = 0; i < s->nst; i++)
        s->nslots += (uint32_t)(L->stations[i].capacity > 0 ? L->stations[i].capacity : 1);
    if (!(s->slots = sf_calloc(s->nslots ? s->nslots : 1, sizeof *s->slots)))
        goto fail;
    for (size_t f = 0; f < cfg->n_failures; f++)
        for (uint32_t i = 0; i < s->nst; i++)
            s->nmodes += applies(&cfg->failures[f], &L->stations[i], i);
    if (!(s->modes = sf_calloc(s->nmodes ? s->nmodes : 1, sizeof *s->modes)))
        goto fail;
    if ((kind = sf_kernel_add_kind(k, "station.phase", on_phase, s)) < 0)
        goto fail;
    s->kind_phase = (uint32_t)kind;
    if ((kind = sf_kernel_add_kind(k, "station.failure", on_fail, s)) < 0)
        goto fail;
    s->kind_fail = (uint32_t)kind;
    if ((kind = sf_kernel_add_kind(k, "station.repair", on_repair, s)) < 0)
        goto fail;
    s->kind_repair = (uint32_t)kind;
    if ((kind = sf_kernel_add_kind(k, "agent.failure", on_agent_fail, s)) < 0)
        goto fail;
    s->kind_afail = (uint32_t)kind;
    if ((kind = sf_kernel_add_kind(k, "agent.repair", on_agent_repair, s)) < 0)
        goto fail;
    s->kind_arepair = (uint32_t)kind;
    for (uint32_t i = 0, slot = 0, mode = 0; i < s->nst; i++) {
        struct station *S = &s->st[i];
        double pw[SF_POWER_STATES] = {0};
        S->cfg = &L->stations[i];
        S->first_slot = slot;
        S->nslots = (uint32_t)(S->cfg->capacity > 0 ? S->cfg->capacity : 1);
        slot += S->nslots;
        S->last_product = -1;
        S->state = SF_STATE_STARVED;
        S->since = sf_kernel_now(k);
        for (int p = 0; p < SF_POWER_STATES; p++)
            pw[p] = S->cfg->power_idle;
        pw[SF_POWER_WORKING] = S->cfg->power_busy;
        sf_meter_init(&S->meter, pw, SF_POWER_IDLE, S->since);
        for (uint32_t q = 0; q < S->nslots; q++)
            s->slots[S->first_slot + q].station = i;
        for (size_t f = 0; f < cfg->n_failures; f++)
            S->nmodes += applies(&cfg->failures[f], S->cfg, i);
        if (S->nmodes && !(S->modes = sf_calloc(S->nmodes, sizeof *S->modes)))
            goto fail;
        S->nmodes = 0;
        for (size_t f = 0; f < cfg->n_failures; f++) {
            struct fmode *m;
            if (!applies(&cfg->failures[f], S->cfg, i))
                continue;
            m = &s->modes[mode];
            S->modes[S->nmodes++] = mode++;
            m->c.f = &cfg->failures[f];
            m->station = i;
        }
        if (S->cfg->group_index >= 0 && (size_t)S->cfg->group_index < L->n_groups) {
            uint32_t g = (uint32_t)S->cfg->group_index, *v = sf_realloc(s->group_st[g], (s->group_n[g] + 1) * sizeof *v);
            if (!v)
                goto fail;
            v[s->group_n[g]++] = i;
            s->group_st[g] = v;
        }
    }
    sf_stations_reseed(s, seed);
    return s;
fail:
    sf_stations_free(s);
    return NULL;
}

/*
 * Every random stream from `seed`, and the first failures drawn again.
 * Only before anything happened: the first failures are the only events
 * there are then.
 */
void sf_stations_reseed(sf_stations *s, uint64_t seed)
{
    char name[256];

    for (size_t t = 0; t < s->cfg->fleet.n_types; t++) {
        snprintf(name, sizeof name, "retry.%s", s->cfg->fleet.types[t].name);
        sf_rng_init(&s->retry[t], seed, name);
    }
    for (uint32_t i = 0; i < s->nst; i++) {
        struct station *S = &s->st[i];
        snprintf(name, sizeof name, "process.%s", S->cfg->name);
        sf_rng_init(&S->rng_time, seed, name);
        snprintf(name, sizeof name, "setup.%s", S->cfg->name);
        sf_rng_init(&S->rng_setup, seed, name);
        snprintf(name, sizeof name, "quality.%s", S->cfg->name);
        sf_rng_init(&S->rng_quality, seed, name);
    }
    for (uint32_t i = 0; i < s->nmodes; i++) {
        struct fmode *m = &s->modes[i];
        snprintf(name, sizeof name, "%s.%s", m->c.f->name, s->st[m->station].cfg->name);
        clock_start(s, &m->c, seed, name, s->st[m->station].busy, s->kind_fail, i);
    }
    for (uint32_t i = 0; i < s->namodes; i++) {
        struct amode *m = &s->amodes[i];
        const char *type = s->cfg->fleet.types[s->agent_type[m->agent]].name;
        int nth = 1;
        for (uint32_t a = 0; a < m->agent; a++)
            nth += s->agent_type[a] == s->agent_type[m->agent];
        snprintf(name, sizeof name, "%s.%s.%d", m->c.f->name, type, nth);
        clock_start(s, &m->c, seed, name, s->agent_busy[m->agent], s->kind_afail, i);
    }
}

void sf_stations_free(sf_stations *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; s->st && i < s->nst; i++) {
        free(s->st[i].in.v);
        free(s->st[i].out.v);
        free(s->st[i].modes);
    }
    for (size_t g = 0; g < s->cfg->layout.n_groups && s->want; g++) {
        free(s->want[g].v);
        if (s->group_st)
            free(s->group_st[g]);
    }
    free(s->repairs.v);
    free(s->moves.v);
    free(s->want);
    free(s->group_st);
    free(s->group_n);
    free(s->retry);
    free(s->agent_rate);
    free(s->agent_down);
    free(s->agent_busy);
    free(s->agent_failures);
    free(s->fatigue);
    free(s->fatigue_since);
    free(s->amodes);
    free(s->st);
    free(s->slots);
    free(s->modes);
    free(s->jobs);
    free(s);
}

/* ---- reading -------------------------------------------------------------- */

uint32_t sf_stations_count(const sf_stations *s) { return s->nst; }
uint32_t sf_stations_failure_modes(const sf_stations *s) { return s->nmodes; }
uint32_t sf_stations_slots(const sf_stations *s, uint32_t st) { return st < s->nst ? s->st[st].nslots : 0; }

uint32_t sf_stations_find(const sf_stations *s, const char *name)
{
    for (uint32_t i = 0; i < s->nst; i++)
        if (strcmp(s->st[i].cfg->name, name) == 0)
            return i;
    return UINT32_MAX;
}

bool sf_stations_slot_job(const sf_stations *s, uint32_t st, uint32_t slot, sf_job_info *out)
{
    const struct slot *sl;
    const struct job *J;

    if (st >= s->nst || slot >= s->st[st].nslots)
        return false;
    sl = &s->slots[s->st[st].first_slot + slot];
    if (sl->state == SL_FREE || sl->state == SL_TAKING)
        return false;
    J = &s->jobs[sl->job];
    *out = (sf_job_info){J->number, J->product, J->op, J->released, J->due};
    return true;
}

bool sf_stations_taking(const sf_stations *s, uint32_t st, uint32_t slot)
{
    return st < s->nst && slot < s->st[st].nslots && s->slots[s->st[st].first_slot + slot].state == SL_TAKING;
}

sf_work_result sf_stations_result(const sf_stations *s, uint32_t st, uint32_t slot)
{
    return s->slots[s->st[st].first_slot + slot].result;
}

sf_state sf_stations_state(const sf_stations *s, uint32_t st) { return s->st[st].state; }

double sf_stations_time_in(const sf_stations *s, uint32_t st, sf_state state, sf_time now)
{
    const struct station *S = &s->st[st];
    return S->state_time[state] + (S->state == state ? sf_time_to_seconds(now - S->since) : 0);
}

uint32_t sf_stations_input(const sf_stations *s, uint32_t st, sf_job_info *out, uint32_t max)
{
    const fifo *q = &s->st[st].in;
    uint32_t n = q->n < max ? q->n : max;

    for (uint32_t i = 0; i < n; i++) {
        const struct job *J = &s->jobs[q->v[q->head + i]];
        out[i] = (sf_job_info){J->number, J->product, J->op, J->released, J->due};
    }
    return q->n;
}

uint32_t sf_stations_buffered(const sf_stations *s, uint32_t st, bool output)
{
    return output ? s->st[st].out.n : s->st[st].in.n;
}

uint64_t sf_stations_ops(const sf_stations *s, uint32_t st) { return s->st[st].ops; }
uint64_t sf_stations_failures(const sf_stations *s, uint32_t st) { return s->st[st].failures; }
sf_meter *sf_stations_meter(sf_stations *s, uint32_t st) { return &s->st[st].meter; }
sf_job_counts sf_stations_counts(const sf_stations *s) { return s->counts; }

void sf_stations_settle(sf_stations *s, sf_time now)
{
    for (uint32_t i = 0; i < s->nst; i++)
        sf_meter_update(&s->st[i].meter, now);
}
