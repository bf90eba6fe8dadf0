/*
 * stations.c: station slots and their steps (take, work, unload), the
 * phases' clocks, each station's state and meter, and what failures
 * (model/failures.c) do to the work in hand. Jobs entering stations,
 * buffers and moves by carrier are flow.c's.
 *
 * Jobs live in one array indexed by number - 1 (they are never reused: a
 * job costs 48 bytes for the whole run). Queues hold job indices.
 */
#include "model/stations.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/failures.h"
#include "model/safety.h"
#include "model/stations_int.h"

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

/*
 * Every finished unit still in a slot of station S has its carrier booked
 * (a place reserved where it goes, or its sink dock): the station waits
 * for transport, not for room downstream (docs/results.md).
 */
static bool waits_for_carrier(const sf_stations *s, const struct station *S)
{
    for (uint32_t k = 0; k < S->nslots; k++) {
        const struct slot *sl = &s->slots[S->first_slot + k];
        if (sl->state == SL_BLOCKED && !s->jobs[sl->job].booked)
            return false;
    }
    return true;
}

/*
 * Work out the station's state from its slots, and on a change close the
 * time in the old one, switch the meter and tell the observers.
 */
void sf__stations_refresh(sf_stations *s, uint32_t i)
{
    struct station *S = &s->st[i];
    sf_time now = now_of(s);
    int any[SL_BLOCKED + 1] = {0};
    sf_state ns;
    sf_power_state ps;
    bool busy;

    for (uint32_t k = 0; k < S->nslots; k++) {
        const struct slot *sl = &s->slots[S->first_slot + k];
        /* a person programming shows as setup, rescuing as work */
        any[sl->state != SL_ASSIST ? sl->state : sl->part == SF_HELP_PROGRAM ? SL_SETUP : SL_WORK]++;
    }
    if (station_down(s, i))
        ns = SF_STATE_FAILED;
    else if (any[SL_WORK])
        ns = SF_STATE_WORKING;
    else if (any[SL_SETUP])
        ns = SF_STATE_SETUP;
    else if (any[SL_BLOCKED] || any[SL_DONE])
        ns = any[SL_DONE] || !waits_for_carrier(s, S) ? SF_STATE_BLOCKED : SF_STATE_WAIT_TRANSPORT;
    else if (any[SL_HOLD] || any[SL_PENDING] || any[SL_HELP]) {
        ns = SF_STATE_WAIT_ROBOT;
        for (uint32_t k = 0; k < S->nslots; k++) {
            struct slot *sl = &s->slots[S->first_slot + k];
            if (sl->state == SL_HELP ||
                ((sl->state == SL_HOLD || sl->state == SL_PENDING) && needs_person(s, op_of(s, &s->jobs[sl->job]))))
                ns = SF_STATE_WAIT_PERSON;
        }
    } else
        ns = S->incoming > 0 ? SF_STATE_WAIT_TRANSPORT : SF_STATE_STARVED; /* its next unit is on its way */
    busy = ns == SF_STATE_WORKING || ns == SF_STATE_SETUP;
    sf_failures_busy(s->failures, SF_ENTITY_STATION, i, busy); /* the clocks of busy-time failures run or stop */
    if (ns == S->state)
        return;
    S->state_time[S->state] += sf_time_to_seconds(now - S->since);
    S->since = now;
    S->state = ns;
    ps = ns == SF_STATE_WORKING ? SF_POWER_WORKING : ns == SF_STATE_SETUP ? SF_POWER_SETUP : SF_POWER_IDLE;
    if (ps != S->meter.state) {
        sf_meter_set(&S->meter, now, ps);
        if (s->h.power)
            s->h.power(s->h.ctx, i, S->meter.state, S->meter.power[S->meter.state]);
    }
    if (s->h.state)
        s->h.state(s->h.ctx, i, ns);
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
        sf__stations_refresh(s, st);
        sf__stations_pull(s, S->cfg->group_index);
        return 1;
    }
    if (S->in.n > 0) {
        sl->job = fifo_pop(&S->in);
        sl->state = SL_HOLD;
        s->jobs[sl->job].where = J_SLOT;
        sf__stations_refresh(s, st);
        sf__stations_pull(s, S->cfg->group_index); /* a place in the input buffer is free */
        return 1;
    }
    sl->state = SL_TAKING;
    sl->sync = true;
    sf__stations_pull(s, S->cfg->group_index);
    sl->sync = false;
    sf__stations_refresh(s, st);
    return sl->state == SL_HOLD ? 1 : 0;
}

/* The crew starts or stops working: each member is busy (model/agents.h), and the world is told. */
static void crew_tell(sf_stations *s, struct slot *sl, bool working)
{
    for (uint32_t c = 0; c < sl->ncrew && s->agents; c++)
        sf_agents_set_busy(s->agents, sl->crew[c], working, now_of(s));
    if (s->h.crew && sl->ncrew > 0)
        s->h.crew(s->h.ctx, sl->crew, sl->ncrew, working,
                  s->cfg->products[s->jobs[sl->job].product].ops[s->jobs[sl->job].op].fixed_share);
}

/*
 * The rate a slot works at: the slowest of its crew, 1 without a crew.
 * Safety sets a robot's rate to its speed over full speed; only the
 * operation's motion share slows with it (sf_safety_work_rate).
 */
static double slot_rate(const sf_stations *s, const struct slot *sl)
{
    const struct job *J = &s->jobs[sl->job];
    double r = 1, fixed = s->cfg->products[J->product].ops[J->op].fixed_share;

    for (uint32_t c = 0; c < sl->ncrew && s->agents; c++) {
        double a = sf_safety_work_rate(sf_agents_rate(s->agents, sl->crew[c]), fixed);
        if (sf_failures_down(s->failures, SF_ENTITY_AGENT, sl->crew[c]))
            return 0;
        if (a < r)
            r = a;
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
        if (!sl->running || station_down(s, sl->station))
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
    if (!s->agents || agent >= s->nagents)
        return;
    sf_agents_set_rate(s->agents, agent, rate);
    rerate(s, agent);
}

/* The slot waits for a person to do `part` of its operation (sf_stations_help). */
static void wait_help(sf_stations *s, uint32_t st, struct slot *sl, int part)
{
    sl->state = SL_HELP;
    sl->part = (uint8_t)part;
    sf__stations_refresh(s, st);
}

/*
 * Begin the work asked of a slot: its programming by a person first (true:
 * the slot waits for that person), then setup when the product changes,
 * else processing.
 */
static bool start_work(sf_stations *s, uint32_t st, struct slot *sl)
{
    struct station *S = &s->st[st];
    struct job *J = &s->jobs[sl->job];
    const sf_cfg_operation *op = op_of(s, J);
    sf_time setup = 0;

    if (sl->program_ns > 0) {
        wait_help(s, st, sl, SF_HELP_PROGRAM);
        return true;
    }
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
    sf__stations_refresh(s, st);
    return false;
}

/*
 * The learning robots of the crew (model/skills.h): each makes its
 * attempts; the least experienced sets the time factor (returned), and
 * *extra gets the time their failed attempts add. 1 and 0 without one.
 */
static double learning_time(sf_stations *s, struct slot *sl, sf_time *extra)
{
    const struct job *J = &s->jobs[sl->job];
    double slow = 1;

    *extra = 0;
    sl->rescue_ns = 0;
    for (uint32_t c = 0; c < sl->ncrew && s->skills; c++) {
        int type = s->agent_type[sl->crew[c]], rc;
        const sf_cfg_learning *L = &s->cfg->fleet.types[type].learning;
        uint64_t rescues = sf_skills_type_counts(s->skills, type).rescues;
        double f;
        sf_time more;
        if (!sf_skills_learns(s->skills, type))
            continue;
        if ((rc = sf_skills_operate(s->skills, sl->crew[c], J->product, J->op, &s->retry[type], now_of(s), &f,
                                    &more)) != SF_OK)
            sf_kernel_fail(s->k, rc);
        slow = f > slow ? f : slow;
        if (sf_skills_type_counts(s->skills, type).rescues > rescues && L->rescue_time > 0) {
            more -= L->rescue_time; /* a person's part, after the processing */
            if (sl->rescue_ns == 0)
                sl->rescue_by = L->rescue_by;
            sl->rescue_ns += L->rescue_time;
        }
        *extra += more;
    }
    return slow;
}

/* Processing time of one attempt at the operation, plus a retry for each failed attempt of a crew member. */
/*
 * An operation timed at collaborative speed (`time_at: collaborative`):
 * the share of its time that is left at full speed, the slowest crew
 * robot's work rate at its collaborative speed (sf_safety_work_rate), so
 * that at that speed it takes `time` again; 1 for a time at full speed.
 */
static double collaborative_time(const sf_stations *s, const struct slot *sl)
{
    const sf_cfg_operation *op = &s->cfg->products[s->jobs[sl->job].product].ops[s->jobs[sl->job].op];
    double f = 1;

    for (uint32_t c = 0; op->time_collaborative && c < sl->ncrew && s->agent_type; c++)
        f = fmin(f, sf_safety_work_rate(sf_safety_collaborative_ratio(s->cfg, s->agent_type[sl->crew[c]]),
                                        op->fixed_share));
    return f;
}

static sf_time process_time(sf_stations *s, uint32_t st, struct slot *sl)
{
    struct job *J = &s->jobs[sl->job];
    double x = sf_dist_sample(&op_of(s, J)->time, &s->st[st].rng_time), slow = 1;
    sf_time t, t_learning;

    /* the most tired person of the crew sets the pace */
    for (uint32_t c = 0; c < sl->ncrew && s->agent_type; c++) {
        const sf_cfg_agent_type *T = &s->cfg->fleet.types[s->agent_type[sl->crew[c]]];
        double f = 1 + T->fatigue_slowdown * (s->agents ? sf_agents_fatigue(s->agents, sl->crew[c], now_of(s)) : 0);
        if (T->fatigue_rate > 0 && f > slow)
            slow = f;
    }
    x *= collaborative_time(s, sl);
    t = seconds(x * slow * learning_time(s, sl, &t_learning) * sf_pace_factor(s->pace, s->agent_type, sl->crew, sl->ncrew));
    t += t_learning;
    for (uint32_t c = 0; c < sl->ncrew && s->agent_type; c++) {
        int type = s->agent_type[sl->crew[c]];
        const sf_cfg_agent_type *T = &s->cfg->fleet.types[type];
        for (int tries = 0; !T->learning.on && T->success_rate < 1 && tries < 1000; tries++) {
            if (sf_rng_uniform(&s->retry[type]) < T->success_rate)
                break;
            t += T->retry_time;
        }
    }
    return t;
}

/*
 * The robots of the crew not programmed for the job's variant are
 * programmed now (model/skills.h): their times add up in the slot's
 * program_ns, done with the setup; a failed first run does the
 * processing again.
 */
static void program(sf_stations *s, struct slot *sl)
{
    const struct job *J = &s->jobs[sl->job];
    bool again = false;

    sl->program_ns = 0;
    for (uint32_t c = 0; c < sl->ncrew && s->skills; c++) {
        int type = s->agent_type[sl->crew[c]];
        sf_time t;
        bool failed;
        sf_skills_program(s->skills, sl->crew[c], J->product, J->op, &s->retry[type], now_of(s), &t, &failed);
        if (t > 0 && sl->program_ns == 0)
            sl->program_by = s->cfg->fleet.types[type].programming.by;
        sl->program_ns += t;
        again |= failed;
    }
    if (again)
        sl->work_ns *= 2;
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
    program(s, sl);
    if (station_down(s, st)) {
        sl->state = SL_PENDING;
        sf__stations_refresh(s, st);
        return 0;
    }
    return start_work(s, st, sl) ? 1 : 0;
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
        if (!sf__stations_carried(s, J) || s->cfg->products[J->product].sink < 0) {
            sl->state = SL_FREE;
            sf__stations_finish_job(s, J, SF_JOB_COMPLETED);
            sf__stations_refresh(s, st);
            return 1;
        }
        sf__stations_book(s, sl->job, SINK); /* to the sink dock */
    } else {
        J->op++;
        if (sf__stations_enter_group(s, sl->job) == ENTRY_PLACED)
            sl->state = SL_FREE;
    }
    if (sl->state != SL_FREE && S->out.n < (uint32_t)S->cfg->buffer_out) {
        J->where = J_OUT;
        if (fifo_push(&S->out, sl->job) != SF_OK)
            return SF_ENOMEM;
        sl->state = SL_FREE;
    }
    sf__stations_refresh(s, st);
    return sl->state == SL_FREE ? 1 : 0;
}

/* The clock of a phase ran out. */
static void end_operation(sf_stations *s, uint32_t st, uint32_t slot, struct slot *sl, bool crew_working);
static void end_assist(sf_stations *s, uint32_t st, uint32_t slot, struct slot *sl);

static void on_phase(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_stations *s = ctx;
    struct slot *sl = &s->slots[ev->target];
    uint32_t st = sl->station, slot;

    (void)k;
    sl->ev = 0;
    sl->running = false;
    slot = ev->target - s->st[st].first_slot;
    if (sl->state == SL_SETUP) {
        sl->state = SL_WORK;
        sl->total = sl->work_ns;
        run_phase(s, sl, sl->work_ns);
        sf__stations_refresh(s, st);
    } else if (sl->state == SL_ASSIST) {
        end_assist(s, st, slot, sl);
    } else if (sl->rescue_ns > 0) { /* the robots gave up: a person rescues before the operation ends */
        crew_tell(s, sl, false);
        wait_help(s, st, sl, SF_HELP_RESCUE);
        done(s, st, slot, SF_STEP_WORK);
    } else {
        end_operation(s, st, slot, sl, true);
    }
}

/* The operation's processing is over (its crew still working or not): scrapped, reworked or done. */
static void end_operation(sf_stations *s, uint32_t st, uint32_t slot, struct slot *sl, bool crew_working)
{
    struct job *J = &s->jobs[sl->job];
    const sf_cfg_operation *op = op_of(s, J);

    s->st[st].ops++;
    emit_job(s, SF_JOB_OP_END, J, (int32_t)st, sl->crew_mask);
    if (sf_rng_uniform(&s->st[st].rng_quality) < op->scrap) {
        crew_tell(s, sl, false);
        sl->state = SL_FREE;
        sl->result = SF_WORK_SCRAPPED;
        sf__stations_finish_job(s, J, SF_JOB_SCRAPPED);
        sf__stations_refresh(s, st);
        done(s, st, slot, SF_STEP_WORK);
        return;
    }
    if (op->rework > 0 && sf_rng_uniform(&s->st[st].rng_quality) < op->rework) {
        s->counts.reworked++;
        emit_job(s, SF_JOB_REWORK, J, (int32_t)st, sl->crew_mask);
        emit_job(s, SF_JOB_OP_START, J, (int32_t)st, sl->crew_mask);
        if (!crew_working)
            crew_tell(s, sl, true);
        sl->state = SL_WORK;
        sl->work_ns = process_time(s, st, sl);
        sl->total = sl->work_ns;
        run_phase(s, sl, sl->work_ns);
        sf__stations_refresh(s, st);
        return;
    }
    crew_tell(s, sl, false);
    sl->state = SL_DONE;
    sl->result = SF_WORK_GOOD;
    sf__stations_refresh(s, st);
    done(s, st, slot, SF_STEP_WORK);
}

/*
 * A person's part is over: the person stops (and the operation's crew is
 * the robots again); after a programming the work begins, after a rescue
 * the operation ends. Either way the assist step is done.
 */
static void end_assist(sf_stations *s, uint32_t st, uint32_t slot, struct slot *sl)
{
    int part = sl->part;

    crew_tell(s, sl, false);
    sl->ncrew = sl->nkept;
    memcpy(sl->crew, sl->kept, sl->nkept * sizeof *sl->crew);
    sl->part = SF_HELP_NONE;
    if (part == SF_HELP_PROGRAM) {
        sl->program_ns = 0;
        start_work(s, st, sl);
        done(s, st, slot, SF_STEP_WORK);
        return;
    }
    sl->rescue_ns = 0;
    sl->state = SL_WORK;
    end_operation(s, st, slot, sl, false);
    if (sl->state == SL_WORK) /* reworked: the assist step is over all the same */
        done(s, st, slot, SF_STEP_WORK);
}

int sf_stations_help(const sf_stations *s, uint32_t st, uint32_t slot, const char **skill)
{
    const struct slot *sl = st < s->nst && slot < s->st[st].nslots ? &s->slots[s->st[st].first_slot + slot] : NULL;

    if (!sl || sl->state != SL_HELP)
        return SF_HELP_NONE;
    if (skill)
        *skill = sl->part == SF_HELP_PROGRAM ? sl->program_by : sl->rescue_by;
    return sl->part;
}

int sf_stations_assist(sf_stations *s, uint32_t st, uint32_t slot, const uint32_t *helpers, uint32_t n)
{
    struct slot *sl = slot_at(s, st, slot);

    if (!sl || sl->state != SL_HELP || n == 0 || n > CREW_MAX)
        return SF_EINVAL;
    for (uint32_t c = 0; c < n; c++)
        if (helpers[c] >= s->nagents)
            return SF_EINVAL;
    sl->nkept = sl->ncrew;
    memcpy(sl->kept, sl->crew, sl->ncrew * sizeof *sl->crew);
    sl->ncrew = n;
    memcpy(sl->crew, helpers, n * sizeof *helpers);
    sl->state = SL_ASSIST;
    sl->total = sl->part == SF_HELP_PROGRAM ? sl->program_ns : sl->rescue_ns;
    crew_tell(s, sl, true);
    run_phase(s, sl, sl->total);
    if (station_down(s, st)) { /* it waits for the repair */
        schedule_end(s, sl, sf_work_set_rate(&sl->work, now_of(s), 0));
        crew_tell(s, sl, false);
    }
    sf__stations_refresh(s, st);
    return 0;
}

int sf_stations_follow(sf_stations *s, uint32_t st, uint32_t slot)
{
    struct slot *sl = slot_at(s, st, slot);

    if (!sl)
        return SF_EINVAL;
    return sl->state == SL_SETUP || sl->state == SL_WORK || sl->state == SL_PENDING || sl->state == SL_ASSIST ? 0 : 1;
}

/* ---- failures ------------------------------------------------------------- */

/*
 * What a failure does to the work in hand (model/failures.c keeps the
 * clocks). A station down stops every running slot; up again, they go on
 * where they stopped or start their phase again (`after: restart`), and
 * a slot whose work was asked meanwhile starts. An agent down stops
 * every operation it works in (rate 0); up again, they go on, or restart
 * their phase if its failure said so.
 */
static void station_failed(sf_stations *s, uint32_t st, bool restart)
{
    struct station *S = &s->st[st];
    sf_time now = now_of(s);

    S->restart = restart;
    for (uint32_t i = 0; i < S->nslots; i++) {
        struct slot *sl = &s->slots[S->first_slot + i];
        if (sl->state != SL_SETUP && sl->state != SL_WORK && sl->state != SL_ASSIST)
            continue;
        schedule_end(s, sl, sf_work_set_rate(&sl->work, now, 0));
        crew_tell(s, sl, false);
    }
    sf__stations_refresh(s, st);
}

static void station_repaired(sf_stations *s, uint32_t st)
{
    struct station *S = &s->st[st];

    for (uint32_t i = 0; i < S->nslots; i++) {
        struct slot *sl = &s->slots[S->first_slot + i];
        if (sl->state == SL_SETUP || sl->state == SL_WORK || sl->state == SL_ASSIST) {
            crew_tell(s, sl, true);
            if (S->restart)
                run_phase(s, sl, sl->total);
            else
                schedule_end(s, sl, sf_work_set_rate(&sl->work, now_of(s), slot_rate(s, sl)));
        } else if (sl->state == SL_PENDING && start_work(s, st, sl)) {
            done(s, st, i, SF_STEP_WORK); /* it waits for its programmer */
        }
    }
    sf__stations_refresh(s, st); /* restarts the busy clocks when working */
}

static void agent_failed(sf_stations *s, uint32_t agent, bool restart)
{
    for (uint32_t i = 0; i < s->nslots && restart; i++) {
        struct slot *sl = &s->slots[i];
        for (uint32_t c = 0; c < sl->ncrew && sl->running; c++)
            if (sl->crew[c] == agent)
                sl->left_restart = true;
    }
    rerate(s, agent);
}

static void agent_repaired(sf_stations *s, uint32_t agent)
{
    for (uint32_t i = 0; i < s->nslots; i++) {
        struct slot *sl = &s->slots[i];
        if (sl->running && sl->left_restart && !station_down(s, sl->station) && slot_rate(s, sl) > 0) {
            sl->left_restart = false;
            run_phase(s, sl, sl->total);
        }
    }
    rerate(s, agent);
}

static void on_failure(void *ctx, const sf_failure_change *c)
{
    sf_stations *s = ctx;

    if (c->entity == SF_ENTITY_STATION && c->id < s->nst) {
        if (c->down)
            station_failed(s, c->id, c->restart);
        else
            station_repaired(s, c->id);
    } else if (c->entity == SF_ENTITY_AGENT && c->id < s->nagents) {
        if (c->down)
            agent_failed(s, c->id, c->restart);
        else
            agent_repaired(s, c->id);
    }
}

int sf_stations_attach_failures(sf_stations *s, sf_failures *f)
{
    s->failures = f;
    return sf_failures_subscribe(f, on_failure, s);
}

/* ---- building ------------------------------------------------------------- */

sf_stations *sf_stations_new(sf_kernel *k, const sf_scenario_config *cfg, uint64_t seed, sf_stations_hooks hooks,
                             const sf_agent_kind *agent_kind, const int *agent_type, uint32_t nagents,
                             sf_agents *agents)
{
    const sf_cfg_layout *L = &cfg->layout;
    sf_stations *s = SF_NEW(sf_stations, .k = k, .cfg = cfg, .h = hooks, .agent_kind = agent_kind,
                            .agent_type = agent_type, .nagents = agent_kind ? nagents : 0,
                            .agents = agent_kind && nagents ? agents : NULL, .nst = (uint32_t)L->n_stations);
    bool failed = false;

    if (!s)
        return NULL;
    for (uint32_t i = 0; i < s->nst; i++)
        s->nslots += (uint32_t)(L->stations[i].capacity > 0 ? L->stations[i].capacity : 1);
    s->block = SF_PARTS(SF_PART(s->st, s->nst), SF_PART(s->slots, s->nslots), SF_PART(s->want, L->n_groups),
                        SF_PART(s->group_st, L->n_groups), SF_PART(s->group_n, L->n_groups),
                        SF_PART(s->members, s->nst), SF_PART(s->retry, cfg->fleet.n_types));
    if (!s->block || !(s->pace = sf_pace_new(cfg, seed)))
        goto fail;
    for (size_t g = 0, used = 0; g < L->n_groups; g++) { /* each group's stations in order */
        s->group_st[g] = s->members + used;
        for (uint32_t i = 0; i < s->nst; i++)
            if (L->stations[i].group_index == (int)g)
                s->group_st[g][s->group_n[g]++] = i;
        used += s->group_n[g];
    }
    if (SF_KERNEL_ADD_KINDS(k, s, {"station.phase", on_phase, &s->kind_phase}) != SF_OK)
        goto fail;
    for (uint32_t i = 0, slot = 0; i < s->nst; i++) {
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
        pw[SF_POWER_SETUP] = S->cfg->power_setup;
        sf_meter_init(&S->meter, pw, SF_POWER_IDLE, S->since);
        for (uint32_t q = 0; q < S->nslots; q++)
            s->slots[S->first_slot + q].station = i;
    }
    s->skills = sf_skills_new(cfg, agent_type, s->nagents, &failed);
    if (failed)
        goto fail;
    sf_stations_reseed(s, seed);
    return s;
fail:
    sf_stations_free(s);
    return NULL;
}

/*
 * Every random stream from `seed`, and (model/failures.h) the first
 * failures drawn again. Only before anything happened: the first failures
 * are the only events there are then.
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
    if (s->pace)
        sf_pace_reseed(s->pace, seed);
    if (s->failures)
        sf_failures_reseed(s->failures, seed);
}

void sf_stations_free(sf_stations *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; s->st && i < s->nst; i++) {
        free(s->st[i].in.v);
        free(s->st[i].out.v);
    }
    for (size_t g = 0; g < s->cfg->layout.n_groups && s->want; g++)
        free(s->want[g].v);
    sf_skills_free(s->skills);
    free(s->moves.v);
    free(s->jobs);
    sf_pace_free(s->pace);
    free(s->block);
    free(s);
}

/* ---- reading -------------------------------------------------------------- */

uint32_t sf_stations_count(const sf_stations *s) { return s->nst; }
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

uint32_t sf_stations_incoming(const sf_stations *s, uint32_t st) { return s->st[st].incoming; }
uint64_t sf_stations_ops(const sf_stations *s, uint32_t st) { return s->st[st].ops; }
sf_meter *sf_stations_meter(sf_stations *s, uint32_t st) { return &s->st[st].meter; }
sf_job_counts sf_stations_counts(const sf_stations *s) { return s->counts; }
const sf_skills *sf_stations_skills(const sf_stations *s) { return s->skills; }

void sf_stations_settle(sf_stations *s, sf_time now)
{
    for (uint32_t i = 0; i < s->nst; i++)
        sf_meter_update(&s->st[i].meter, now);
}
