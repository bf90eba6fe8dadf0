/*
 * observe.h: what the model tells its observers as it happens.
 *
 * Metrics (sim/metrics), recordings for the viewer and traces are fed
 * by these calls, never by polling. Every agent and station is in one
 * state at a time; the model calls `state` on each change, `power` when
 * its draw from the grid changes, `job` as jobs move through the plant,
 * `safety` for what collaboration safety does, and `motion` when an
 * agent's path or speed changes (its position is then read from the
 * movers at any time).
 *
 * An observer attached after time 0 reads the current states from the
 * model's arrays once (sf_world_agent(...)->state), then follows the
 * calls. Any callback may be NULL.
 */
#ifndef SF_MODEL_OBSERVE_H
#define SF_MODEL_OBSERVE_H

#include <stdint.h>

#include "core/time.h"
#include "model/energy.h"

typedef enum sf_state {
    SF_STATE_IDLE,           /* present, nothing to do */
    SF_STATE_WORKING,        /* processing, or doing an operation */
    SF_STATE_SETUP,          /* a station changing product */
    SF_STATE_TRAVEL_EMPTY,
    SF_STATE_TRAVEL_LOADED,
    SF_STATE_HANDLING,       /* picking up or setting down a load */
    SF_STATE_WAIT_TRAFFIC,   /* stopped for a segment held by another vehicle */
    SF_STATE_CHARGING,
    SF_STATE_BLOCKED,        /* a station whose output buffer is full */
    SF_STATE_STARVED,        /* a station with nothing to work on */
    SF_STATE_FAILED,         /* broken down, or under repair */
    SF_STATE_OFF_SHIFT,
    SF_STATE_ON_BREAK,
    SF_STATE_WAIT_PERSON,    /* waiting for a crew member who is a person */
    SF_STATE_WAIT_ROBOT,     /* a person held outside a fenced robot's zone, or waiting for a robot */
    SF_STATE_REDUCED_SPEED,  /* working or moving at collaborative speed */
    SF_STATE_SAFETY_STOP,    /* protective stop */
    SF_STATE_WAIT_TRANSPORT, /* a station whose next unit is on its way by carrier, or whose finished unit waits for its carrier */
    SF_STATES
} sf_state;

/*
 * What a state or power change is about; SF_ENTITY_PACKS: the spare battery packs of fleet entry `id`
 * (model/packs.h); SF_ENTITY_CRANE: the AS/RS crane of rack `id`, drawing; SF_ENTITY_FEED_BACK: the
 * same crane feeding energy back to the grid, as a negative power (model/cranes.h).
 */
typedef enum sf_entity { SF_ENTITY_AGENT, SF_ENTITY_STATION, SF_ENTITY_PACKS, SF_ENTITY_CRANE, SF_ENTITY_FEED_BACK } sf_entity;

typedef enum sf_job_what {
    SF_JOB_RELEASED,  /* a unit entered the plant */
    SF_JOB_OP_START,  /* an operation started at a station */
    SF_JOB_OP_END,    /* and ended */
    SF_JOB_REWORK,    /* an operation's result failed and is done again */
    SF_JOB_COMPLETED, /* a good unit left the plant */
    SF_JOB_SCRAPPED,  /* a unit was scrapped */
    SF_JOB_PICKED_UP, /* a carrier took the unit from where it waited (station = where from, -1: its source dock) */
    SF_JOB_DELIVERED, /* and set it down (station = where to, -1: its sink dock) */
} sf_job_what;

/*
 * What a job is: a unit of a product made through its routing, or a
 * pallet of a stored good (no routing) that the warehouse puts away (the
 * job completes when it is stored) or ships for an order line (completes
 * when it leaves at the sink dock). Metrics count made products and
 * pallets apart (docs/results.md).
 */
typedef enum sf_job_flow { SF_FLOW_MADE, SF_FLOW_STORED, SF_FLOW_SHIPPED } sf_job_flow;

typedef struct sf_job_event {
    sf_job_what what;
    uint64_t job;       /* job number, from 1 in order of release */
    int product;        /* index into the config's products */
    int op;             /* operation index in the product's routing, -1 when none */
    int32_t station;    /* station index, -1 when none */
    unsigned crew;      /* OP_END: bit k set when an agent of sf_agent_kind k took part */
    sf_time released;   /* when the job was released */
    sf_time due;        /* absolute due time, 0 when none */
    sf_time now;
    sf_job_flow flow;   /* made product, pallet stored, or pallet shipped */
} sf_job_event;

typedef enum sf_safety_what {
    SF_SAFETY_SLOW,      /* a robot slowed for a person (ssm) */
    SF_SAFETY_STOP,      /* protective stop */
    SF_SAFETY_RESUME,    /* back to full speed */
    SF_SAFETY_NEAR_MISS, /* a person came within the stop distance */
} sf_safety_what;

typedef struct sf_safety_event {
    sf_safety_what what;
    uint32_t robot;      /* agent id */
    uint32_t person;     /* agent id, or UINT32_MAX */
    double separation;   /* m, the closest distance in the episode (or NAN) */
    sf_time now;
} sf_safety_event;

typedef struct sf_observer {
    void (*state)(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now);
    /* Grid draw of the entity in watts from now on, and its power state. */
    void (*power)(void *ctx, sf_entity e, uint32_t id, sf_power_state s, double grid_watts, sf_time now);
    void (*job)(void *ctx, const sf_job_event *ev);
    void (*safety)(void *ctx, const sf_safety_event *ev);
    void (*motion)(void *ctx, uint32_t agent, sf_time now);
    void *ctx;
    /* A mobile agent entered (inside = true) or left zone `zone` of the layout (after ctx, so that
       observers written without it leave it NULL). */
    void (*zone)(void *ctx, uint32_t agent, uint32_t zone, bool inside, sf_time now);
} sf_observer;

const char *sf_state_name(sf_state s);

#endif
