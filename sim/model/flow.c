/*
 * flow.c: jobs through the stations: release, entering a station group
 * (a slot asking, a free input place, or the group's queue), output
 * buffers, blocked slots handing on, and moves by carrier (booked with a
 * reserved place, picked up, delivered).
 *
 * The invariant that keeps the flow simple: a job waits in a group's
 * `want` queue only while no station of that group has room, so room
 * appearing at a station (a slot asking for work, a place freed in its
 * input buffer) is the only moment anything waiting can move, and
 * `pull` is called exactly then.
 */
#include "model/stations_int.h"

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
        sf__stations_refresh(s, i);
        if (!sl->sync)
            done(s, i, k, SF_STEP_TAKE);
        return;
    }
    J->where = J_IN;
    if (fifo_push(&S->in, j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
}


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
        sf__stations_refresh(s, i);
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
            sf__stations_refresh(s, from);
            done(s, from, k, SF_STEP_UNLOAD);
            return;
        }
    }
}

/* Is job j moved to its next place by a carrier? From a station always, from release only with a source dock. */
bool sf__stations_carried(const sf_stations *s, const struct job *J)
{
    const sf_cfg_product *p = &s->cfg->products[J->product];
    return p->transport.n_crew > 0 && (J->where != J_STAGED || p->source >= 0);
}

/* A carrier is to move job j to `dest` (a station, with a place reserved there, or SINK); the unit stays put until picked up. */
void sf__stations_book(sf_stations *s, uint32_t j, uint32_t dest)
{
    struct job *J = &s->jobs[j];

    J->booked = true;
    J->dest = dest;
    if (dest != SINK) {
        s->st[dest].incoming++;
        sf__stations_refresh(s, dest); /* starved becomes waiting for transport */
    }
    if (J->where == J_HELD)
        sf__stations_refresh(s, J->station); /* blocked becomes waiting for transport */
    if (fifo_push(&s->moves, j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
    if (s->move_asked && s->h.move) {
        s->move_asked = false;
        s->h.move(s->h.ctx);
    }
}

/* Move the jobs waiting to enter `group` while a station of it has room, oldest first. */
void sf__stations_pull(sf_stations *s, int group)
{
    fifo *w = &s->want[group];
    uint32_t i;

    while (w->n > 0 && (i = choose(s, group)) != UINT32_MAX) {
        uint32_t j = fifo_pop(w);
        struct job *J = &s->jobs[j];
        uint8_t was = J->where;
        uint32_t from = J->station;
        if (sf__stations_carried(s, J)) {
            sf__stations_book(s, j, i);
            continue;
        }
        if (was == J_OUT || was == J_HELD)
            leave_station(s, j);
        accept(s, i, j);
        if (was == J_OUT)
            refill_out(s, from);
    }
}

/* Job j heads for the group of its current operation: a station now (or a carrier booked to it), or the group's queue. */
enum entry sf__stations_enter_group(sf_stations *s, uint32_t j)
{
    int group = op_of(s, &s->jobs[j])->group;
    uint32_t i;

    if (s->want[group].n == 0 && (i = choose(s, group)) != UINT32_MAX) {
        if (sf__stations_carried(s, &s->jobs[j])) {
            sf__stations_book(s, j, i);
            return ENTRY_BOOKED;
        }
        accept(s, i, j);
        return ENTRY_PLACED;
    }
    if (fifo_push(&s->want[group], j) != SF_OK)
        sf_kernel_fail(s->k, SF_ENOMEM);
    return ENTRY_QUEUED;
}

static int release(sf_stations *s, int product, sf_time due, bool order, uint64_t *number)
{
    struct job *J;
    bool made;

    if (product < 0 || (size_t)product >= s->cfg->n_products)
        return SF_EINVAL;
    made = s->cfg->products[product].n_ops > 0;
    if (order && made)
        return SF_EINVAL;
    if (sf_grow(s->jobs, s->capjobs, s->njobs + 1) != SF_OK)
        return SF_ENOMEM;
    J = &s->jobs[s->njobs];
    *J = (struct job){s->njobs + 1u, product, 0, now_of(s), due, J_STAGED,
                      (uint8_t)(made ? SF_FLOW_MADE : order ? SF_FLOW_SHIPPED : SF_FLOW_STORED), false, UINT32_MAX, UINT32_MAX};
    s->njobs++;
    s->counts.released++;
    s->counts.in_progress++;
    if (number)
        *number = J->number;
    emit_job(s, SF_JOB_RELEASED, J, -1, 0);
    if (!made) {
        J->where = J_STORED;
        J->op = -1;
        return SF_OK;
    }
    sf__stations_enter_group(s, s->njobs - 1);
    return SF_OK;
}

int sf_stations_release(sf_stations *s, int product, sf_time due, uint64_t *number)
{
    return release(s, product, due, false, number);
}

int sf_stations_release_order(sf_stations *s, int product, sf_time due, uint64_t *number)
{
    return release(s, product, due, true, number);
}

void sf__stations_finish_job(sf_stations *s, struct job *J, sf_job_what what)
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
    sf__stations_finish_job(s, J, SF_JOB_COMPLETED);
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
        sf__stations_finish_job(s, J, SF_JOB_COMPLETED);
        return SF_OK;
    }
    s->st[J->dest].incoming--;
    emit_job(s, SF_JOB_DELIVERED, J, (int32_t)J->dest, 0);
    accept(s, J->dest, (uint32_t)(number - 1));
    sf__stations_refresh(s, J->dest);
    return SF_OK;
}
