/*
 * stations_int.h: the record of the stations, shared by stations.c
 * (slots, steps, phases, what failures do to them, building, reading)
 * and flow.c (jobs entering groups, buffers, moves by carrier). Nothing
 * outside those two files includes it.
 */
#ifndef SF_MODEL_STATIONS_INT_H
#define SF_MODEL_STATIONS_INT_H

#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/skills.h"
#include "model/pace.h"
#include "model/stations.h"
#include "model/work.h"

/* ---- queues of job indices -------------------------------------------- */

typedef struct fifo {
    uint32_t *v;
    uint32_t head, n;
    size_t cap;
} fifo;

static inline int fifo_push(fifo *q, uint32_t x)
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

static inline uint32_t fifo_pop(fifo *q)
{
    q->n--;
    return q->v[q->head++];
}

/* Remove x wherever it is; O(n), queues here are short. */
static inline void fifo_remove(fifo *q, uint32_t x)
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
    uint8_t flow;     /* sf_job_flow */
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
    SL_HELP,    /* a robot's programming or rescue waits for its person (part) */
    SL_ASSIST,  /* the person programs or rescues: the crew is the person, the robots kept aside */
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
    sf_time program_ns; /* robots' programming for the job's variant, by a person before the setup (model/skills.h) */
    sf_time rescue_ns;  /* learning robots' rescues, by a person after the processing */
    const char *program_by, *rescue_by; /* the skills of those persons */
    uint8_t part;       /* SL_HELP, SL_ASSIST: SF_HELP_PROGRAM or SF_HELP_RESCUE (model/stations.h) */
    uint32_t kept[CREW_MAX]; /* SL_ASSIST: the operation's crew, while crew[] holds the person */
    uint32_t nkept;
    sf_event_id ev;
    uint32_t crew[CREW_MAX];
    uint32_t ncrew;
    unsigned crew_mask;
    sf_work_result result;
};

struct station {
    const sf_cfg_station *cfg;
    uint32_t first_slot, nslots;
    fifo in, out;
    int last_product;
    uint32_t incoming;    /* places reserved for booked moves on their way here */
    sf_meter meter;
    sf_state state;
    bool restart;         /* the failure that stopped it restarts operations */
    sf_time since;        /* of the current state */
    double state_time[SF_STATES];
    uint64_t ops;
    sf_rng rng_time, rng_setup, rng_quality;
};

struct sf_stations {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    sf_stations_hooks h;
    void *block; /* st, slots, want, group_st, group_n, members, retry */
    struct station *st;
    uint32_t nst;
    struct slot *slots;
    uint32_t nslots;
    fifo *want; /* per group */
    uint32_t **group_st; /* per group: its stations, a run of members */
    uint32_t *group_n;
    uint32_t *members;
    struct job *jobs;
    uint32_t njobs;
    size_t capjobs;
    const sf_agent_kind *agent_kind;
    const int *agent_type;
    sf_agents *agents;      /* rates, busy, fatigue (model/agents.h); NULL without agents */
    sf_failures *failures;  /* down or not (model/failures.h); NULL: nothing fails */
    fifo moves;           /* booked moves no carrier was asked for yet, oldest first */
    bool move_asked;      /* someone waits in sf_stations_next_move */
    uint32_t nagents;
    sf_rng *retry; /* per agent type */
    sf_skills *skills;     /* robots that learn (model/skills.h); NULL: none does */
    sf_pace *pace; /* fleet entries' own pace (model/pace.h) */
    sf_job_counts counts;
    uint32_t kind_phase;
};

static inline sf_time now_of(sf_stations *s) { return sf_kernel_now(s->k); }

static inline bool station_down(const sf_stations *s, uint32_t st)
{
    return sf_failures_down(s->failures, SF_ENTITY_STATION, st);
}

static inline sf_time seconds(double x)
{
    sf_time t;
    if (!(x > 0) || sf_time_from_seconds(x, &t) != SF_OK)
        return 0;
    return t;
}

static inline const sf_cfg_operation *op_of(sf_stations *s, const struct job *j)
{
    return &s->cfg->products[j->product].ops[j->op];
}

static inline void emit_job(sf_stations *s, sf_job_what what, const struct job *j, int32_t station, unsigned crew)
{
    sf_job_event ev = {what, j->number, j->product, j->op, station, crew, j->released, j->due, now_of(s), (sf_job_flow)j->flow};
    if (s->h.job)
        s->h.job(s->h.ctx, &ev);
}

static inline void done(sf_stations *s, uint32_t st, uint32_t slot, sf_step step)
{
    if (s->h.done)
        s->h.done(s->h.ctx, st, slot, step, now_of(s));
}

/* stations.c: work out a station's state from its slots and tell it on a change. */
void sf__stations_refresh(sf_stations *s, uint32_t i);
/* flow.c */
enum entry { ENTRY_QUEUED, ENTRY_PLACED, ENTRY_BOOKED };
void sf__stations_pull(sf_stations *s, int group);
bool sf__stations_carried(const sf_stations *s, const struct job *J);
void sf__stations_book(sf_stations *s, uint32_t j, uint32_t dest);
enum entry sf__stations_enter_group(sf_stations *s, uint32_t j);
void sf__stations_finish_job(sf_stations *s, struct job *J, sf_job_what what);

#endif
