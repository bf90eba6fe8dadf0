/*
 * snapshot.h: what the viewer draws, at one simulated time.
 *
 * The drawing code (draw.h) reads only this struct, never the model, so
 * the live view and the replay of a recording draw through the same code:
 * the live view fills a snapshot from a running session (sf_live), a
 * replay from a recording (record.h).
 *
 * Time grid. Both sources share a sampling step `every`: at each grid time
 * t_k = k * every the whole snapshot is taken (the live view advances the
 * session grid point by grid point, the recorder writes each grid point as
 * a diff of the one before). Between grid points the live view reads exact
 * positions from the model (trapezoid motion, interpolated exactly) while a
 * replay interpolates linearly between two grid points; at grid times the
 * two are the same bytes. Headings change only at grid times, from the
 * displacement since the grid point before, so they too agree.
 *
 * Memory: sf_snapshot_init allocates the arrays for a layout and fleet;
 * sf_snapshot_close frees them.
 */
#ifndef SF_RENDER_SNAPSHOT_H
#define SF_RENDER_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "experiment/session.h"
#include "model/observe.h"
#include "model/config.h"

/* One agent: where it is, which way it faces, what it does. */
typedef struct sf_snap_agent {
    float x, y;        /* m */
    float heading;     /* radians, counter-clockwise from +x */
    float battery;     /* state of charge 0..1, or -1 without a battery */
    uint8_t kind;      /* sf_agent_kind */
    uint8_t state;     /* sf_state */
    uint8_t loaded;    /* carrying a load */
    uint8_t flat;      /* its battery ran flat */
} sf_snap_agent;

typedef struct sf_snapshot {
    sf_time now;
    uint32_t nagents, nstations, ncells, nzones, nsegments;
    sf_snap_agent *agents;
    uint8_t *station_state; /* sf_state per station */
    uint16_t *buffered;     /* per station: units in its input buffer, then in its output buffer (2 each) */
    uint8_t *cells;         /* per rack cell, racks in order, bay-major then level: 1 when holding a load */
    uint16_t *zone_people;  /* people inside each zone */
    float *congestion;      /* seconds movers have waited for each segment so far */
    uint64_t completed;     /* good units that left the plant so far */
    uint64_t released;      /* units released so far */
    uint32_t failures;      /* agents and stations failed now */
    uint32_t flat;          /* agents with a flat battery now */
    float power;            /* W drawn from the grid now, base load included */
    double energy;          /* J drawn from the grid so far, base load included */
    char alarm[160];        /* the latest alarm ("" when none) */
} sf_snapshot;

/* Cells of a rack in the snapshot's `cells` order: bays * levels * depth. */
size_t sf_snapshot_rack_cells(const sf_cfg_rack *r);

/* Arrays sized for `cfg`'s layout and fleet, zeroed. SF_OK or SF_ENOMEM. */
int sf_snapshot_init(sf_snapshot *s, const sf_scenario_config *cfg);
void sf_snapshot_close(sf_snapshot *s);
/* Copy `from` into `to` (same sizes). */
void sf_snapshot_copy(sf_snapshot *to, const sf_snapshot *from);

/*
 * The step shared by the live view and the replay at each grid time:
 * `next` holds the new grid point with the headings of `prev` still in
 * it; each agent that moved more than a millimetre since `prev` turns to
 * face the way it went.
 */
void sf_snapshot_turn(sf_snapshot *next, const sf_snapshot *prev);

/*
 * A live source: a session, an observer on its world for jobs, power and
 * failures, and the last grid snapshot. The session is not owned.
 */
typedef struct sf_live sf_live;

/* NULL when the session has no world (a Lua model) or on ENOMEM. */
sf_live *sf_live_new(sf_session *ses, sf_time every);
void sf_live_free(sf_live *L);
sf_time sf_live_every(const sf_live *L);
/*
 * Advance the session to `t` (>= the last time asked), grid point by grid
 * point, calling `grid(ctx, snapshot)` at each one (for a recorder; may be
 * NULL); then fill `out` for time `t`. Returns the session's status: after
 * a failure the model stays where it stopped and the alarm says why.
 */
int sf_live_advance(sf_live *L, sf_time t, sf_snapshot *out,
                    int (*grid)(void *ctx, const sf_snapshot *s), void *ctx);
sf_session *sf_live_session(sf_live *L);

#endif
