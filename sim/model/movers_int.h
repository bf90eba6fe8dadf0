/*
 * movers_int.h: the movers' record, shared by movers.c (trips, halts,
 * protective stops) and zones.c (zones, speed caps, people's presence).
 * Nothing outside those files (and fields.c, the protective fields)
 * includes it.
 */
#ifndef SF_MODEL_MOVERS_INT_H
#define SF_MODEL_MOVERS_INT_H

#include "model/movers.h"

enum { MAX_GRANTS = 64, MAX_CROSSINGS = 16, MAX_REROUTES_AT_ONCE = 3, MAX_REROUTES_PER_TRIP = 4 };

#define NO_SEG UINT32_MAX

struct zone {
    double *xy;
    size_t n;
    double vehicle_speed;
    int people;
    uint32_t *segs; /* segments that cross the zone */
    uint32_t nsegs;
    bool shared;    /* collaborative: robots' own collaboration speeds apply */
};

struct mover {
    sf_mover_spec spec;
    bool placed, loaded, dirty, arrive_now;
    uint32_t behind;     /* segment held while standing at its end, NO_SEG when none */
    uint32_t dest;
    int reroutes;        /* detours at time `rerouted_at` */
    int trip_reroutes;   /* detours on this trip */
    sf_time rerouted_at;
    sf_mover_state state;
    uint32_t node;
    sf_route route;
    uint32_t i, reserved_to;
    sf_motion motion;
    uint32_t base, leg;
    double offset;
    double done;         /* metres travelled before the current motion */
    sf_event_id ev;
    sf_event_id zone_ev; /* next zone crossing, 0 when none */
    double zone_s;       /* distance along the motion of that crossing */
    uint8_t *inside;     /* per zone */
    unsigned halts;      /* SF_HALT_* reasons in force */
    bool braking;        /* halted, its braking motion still running */
    bool stop_mid;       /* the braking motion ends inside a segment, not at a node */
    double rest;         /* halted at rest: metres into arc i (0: at its start node) */
    uint32_t on_seg;     /* people: the segment they are on, NO_SEG at a node */
    sf_leg *legs;        /* scratch for planning */
    uint32_t legs_cap;
    /* vehicles: the protective field (fields.c) */
    sf_event_id field_ev;  /* next evaluation of the field, 0 when none */
    sf_time field_at;      /* its time */
    uint32_t *in_field;    /* people inside the field now */
    uint32_t n_in;
    size_t in_cap;
    uint64_t encounters;   /* people who entered the field, since measure_from */
    sf_time enc_time;      /* person-time inside the field, since measure_from */
    sf_time enc_since;     /* when n_in last changed (or was brought up to date) */
};

struct sf_movers {
    sf_kernel *k;
    sf_network *net;
    sf_traffic *traffic;
    void *block; /* m, cap, shared, occupied, people_on, degree, people */
    struct mover *m;
    uint32_t n;
    int lookahead;
    double *cap; /* per segment speed cap, INFINITY when none */
    uint16_t *shared;   /* per segment: shared zones that cross it */
    uint16_t *occupied; /* per segment: shared zones crossing it with a person inside */
    uint16_t *people_on; /* per segment: people on it (walking, or halted on it) */
    uint32_t *degree; /* segments at each node */
    uint32_t *people;  /* the movers placed as people, npeople of them (fields.c looks only at these) */
    uint32_t npeople;
    uint32_t kind_node, kind_resume, kind_zone, kind_field;
    sf_time measure_from; /* encounters count from here (the warm-up) */
    uint32_t *scratch;    /* fields.c: the people inside a field being looked at */
    size_t scratch_cap;
    sf_movers_hooks hooks;
    struct zone *zones;
    uint32_t nzones;
    sf_deadlock_policy policy;
    uint64_t reroutes;
    bool corridors;
    struct {
        sf_movers_watch_fn fn;
        void *ctx;
    } watch[SF_MOVERS_WATCHERS];
    int nwatch;
};

/* The mover's motion runs: moving, or halted and still braking (its node event pending). */
static inline bool sf__movers_live(const struct mover *m)
{
    return m->state == SF_MOVER_MOVING || (m->state == SF_MOVER_HALTED && m->ev != 0);
}

/* movers.c */
uint32_t sf__movers_seg_of(const struct mover *m, uint32_t idx);
/* apply the protective stop rule to a mover (act: halt or let go at once; otherwise set the reason only) */
void sf__movers_protect(sf_movers *ms, uint32_t id, bool act);
void sf__movers_replan_now(sf_movers *ms, uint32_t id);
/* zones.c: crossings of the current motion scheduled; presence of people settled at (x, y); a crossing is due */
void sf__movers_watch_zones(sf_movers *ms, uint32_t id);
void sf__movers_settle_presence(sf_movers *ms, uint32_t id, double x, double y);
void sf__movers_on_zone(sf_kernel *k, void *ctx, const sf_event *ev);
/*
 * fields.c: whether the protective stop rule holds mover id now; the
 * mover's motion or rest changed (a vehicle: its field is looked at again
 * at this instant; a person: so are the fields of the vehicles whose route
 * ahead holds `old` or the segment it is on); the field event.
 */
bool sf__fields_endangered(sf_movers *ms, uint32_t id);
void sf__fields_touch(sf_movers *ms, uint32_t id, uint32_t old);
void sf__fields_on_event(sf_kernel *k, void *ctx, const sf_event *ev);

#endif
