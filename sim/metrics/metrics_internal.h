/*
 * metrics_internal.h: the observer's state, shared by the files of
 * sim/metrics: metrics.c (the callbacks and the observer's life),
 * ledger.c (the plant's energy ledger, the peak and the time series) and
 * figures.c (the KPIs computed from them). Not for use outside sim/metrics.
 */
#ifndef SF_METRICS_INTERNAL_H
#define SF_METRICS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/time.h"
#include "metrics/metrics.h"

#define QUARTER (15 * SF_MINUTE) /* the window of the peak demand */

typedef struct ent {
    sf_metrics_entity pub;
    char name[64];
    sf_state state;
    sf_time since;
    sf_power_state pstate;
    sf_time psince;
    double watts; /* grid watts at psince */
    double slope; /* W/s: the draw ramps from psince (a mains-powered vehicle accelerating), else 0 */
    /* agents followed in a world: the meter as of the last power call, and as of the warm-up */
    sf_meter copy, snap;
    bool snapped;
    const sf_meter_step *step; /* a mains-powered vehicle's planned steps still to come (the ledger crosses them) */
    uint32_t nstep, gen;       /* gen: its plans so far, to tell a step of an older plan */
    sf_time full; /* when a charging battery fills and the charger stops drawing; SF_TIME_MAX */
    int type;     /* fleet type (agents), -1 for stations */
    /* stations */
    uint64_t ops, bad;
    double ideal; /* s of ideal operation time of the operations ended here */
    double fuel;  /* J of fuel burned by the operations ended here (their part after the warm-up) */
    /* its input buffer full with a unit upstream blocked (stability.c), as of the last observer call */
    bool buf_full;
    sf_time buf_spell;    /* when the current full spell began */
    double buf_full_time; /* s after the warm-up */
} ent;

/*
 * One product's figures. A made product (with a routing): its units;
 * a stored good: its pallets stored and shipped. `wip` is followed over
 * the whole run, its area only after the warm-up, closed at the product's
 * own job events (`since`).
 */
typedef struct product_figs {
    uint64_t completed, with_due, on_time; /* made units, after the warm-up */
    uint64_t stored, shipped;              /* pallets, after the warm-up */
    uint64_t scrapped;                     /* made units scrapped after the warm-up (their materials count) */
    double fuel_co2;                       /* kg, scope 1 of its operations ended after the warm-up */
    double wip, wip_area;
    sf_time since;
    sf_tally lead; /* s, release to completion of the good units */
    double work;   /* s after the warm-up: its units' operations (start to end) and moves (pickup to delivery);
                      the key by which cost, energy and CO2 are shared among made products (figures.c) */
} product_figs;

/* An occupancy load of a zone (occupancy.c): its people, its parts on or off, their pending switch-off. */
typedef struct occ_load {
    int people;                    /* workers on shift inside the zone */
    bool light, hvac;              /* on */
    sf_time light_off, hvac_off;   /* when the part switches off; SF_TIME_MAX: none pending */
    double light_energy, hvac_energy; /* J after the warm-up */
} occ_load;

struct sf_metrics {
    const sf_scenario_config *cfg;
    sf_world *w;
    sf_time W, begin, last;
    size_t na, ns, nt; /* entities: agents, stations, then the spare packs of each fleet entry, */
    size_t nr;         /* then each rack's AS/RS crane drawing, then each one feeding back (negative) */
    ent *e; /* agents, then stations */
    size_t charging; /* agents whose `full` is pending */
    ent *first_full; /* the one whose battery fills first, or NULL */
    double watts;    /* sum of entity watts (without the base load) at `last` */
    double slope;    /* sum of entity slopes (W/s): the sum ramps by this from `last` */
    /* the next planned step of each entity with a plan (and steps of older plans, skipped), soonest first */
    struct plan_step {
        sf_time at;
        uint32_t ent, gen;
    } *steps;
    size_t nsteps, capsteps;
    FILE *trace;

    /* jobs (after the warm-up, except wip). The plant's units are its made
       products, or its pallets when it makes none (`makes` false). */
    bool makes;
    bool oom; /* a lead time could not be kept: the KPIs would be wrong, so sf_metrics_kpis fails */
    double wip, wip_area, sojourn;
    uint64_t released, completed, scrapped, reworked, departed, with_due, on_time;
    product_figs *prod; /* per product */
    sf_tally lead;
    /* pallets of stored goods (after the warm-up, except stock) */
    uint64_t stored, shipped;
    double store_time, ship_time; /* s, release to stored and to shipped */
    double stock, stock_area;     /* pallets stored and not shipped since time 0 */
    double pending;               /* pallet jobs released and not complete (waiting for room, stock or a vehicle) */
    uint64_t to_store;            /* pallets received and not yet stored */
    /* the racks full with pallets waiting for space (stability.c), as of the last observer call */
    bool rack_full;
    sf_time rack_since, rack_spell; /* the last call; when the current full spell began */
    double rack_full_time;          /* s after the warm-up */
    uint64_t rack_waiting, rack_cells;
    uint64_t ops, ops_kind[SF_AGENT_KINDS];
    sf_time *picked;      /* per job number: when its unit was last picked up by a carrier */
    size_t npicked;
    sf_time *started;     /* per job number: when its current operation started */
    size_t nstarted;
    uint64_t moves;       /* deliveries by carrier */
    double move_time;     /* s, pickup to delivery */

    /* energy ledger (after the warm-up) */
    double energy, cost, co2, co2_marginal;
    sf_time win_start, win_from; /* the open 15-minute window and where its coverage starts */
    double win_energy;
    double peak, partial_peak;
    sf_time peak_at, partial_at;

    /* base load and occupancy loads (occupancy.c) */
    double base_energy;   /* J of base load after the warm-up */
    double occ_watts;     /* the occupancy loads switched on now */
    occ_load *occ;        /* per energy.occupancy entry */
    uint8_t *inside;      /* agent x occupancy load: the agent is inside the load's zone */

    /* safety (after the warm-up) */
    uint64_t stops, slows, near;
    double min_sep;

    /* time series (whole run) */
    sf_time step, step_start;
    double s_completed, s_wip, s_energy, s_soc, s_released, s_departed, s_stock, s_pending;
    sf_metrics_sample *smp; /* full steps, then room for the open one */
    size_t nsmp, capsmp;
    bool has_partial;
};

static inline sf_time clock_of(const sf_metrics *m, sf_time t)
{
    return m->cfg->scenario.start_time_of_day + t;
}

static inline double secs(sf_time dt)
{
    return sf_time_to_seconds(dt);
}

/*
 * stability.c: close the interval since the last observer call (the racks
 * and the stations' input buffers full or not) and look again: no free
 * cell in the storage (every cell holds a load or is reserved for one)
 * while a pallet received has no cell reserved; a station's input buffer
 * holding or expecting as many units as it has places while a station
 * that feeds it is blocked. Called after every job event and state change.
 */
void sf__metrics_rack_follow(sf_metrics *m, sf_time now);

/* learning.c: the KPIs of robots that learn (model/skills.h). */
int sf__metrics_learning_kpis(const sf_metrics *m, sf_kpis *out);
/* Fleet entry `type`'s call-outs for crew repairs as KPIs (none without one); *seconds their time, paid as labour. */
int sf__metrics_callout_kpis(const sf_metrics *m, size_t type, sf_kpis *out, double *seconds);

/* ledger.c: the plant's power, energy, cost and carbon, integrated piece by piece */

/* Bring the plant up to `now`, stopping where a charging battery fills (its charger's draw ends there). */
void sf__metrics_advance(sf_metrics *m, sf_time now);
/* Close entity x's energy of its power state up to now (the part after the warm-up). */
void sf__metrics_close_power(sf_metrics *m, ent *x, sf_time now);
/* Entity x now draws `watts` from the grid; the plant's sum follows. */
void sf__metrics_set_watts(sf_metrics *m, ent *x, double watts);
/* x's draw (just set) changes at each of the `n` steps, which the ledger crosses as it integrates. */
void sf__metrics_follow_plan(sf_metrics *m, ent *x, const sf_meter_step *steps, uint32_t n);
/* The same, ramping by `slope` W/s from now on; x closed up to now (sf__metrics_close_power) and the plant advanced to now. */
void sf__metrics_set_ramp(sf_metrics *m, ent *x, double watts, double slope);
/* The charging agent whose battery fills first: O(agents), only when a charging agent changes. */
void sf__metrics_find_first_full(sf_metrics *m);
/* Windowed length of [t0, t1): its part after the warm-up, in seconds. */
double sf__metrics_after_warmup(const sf_metrics *m, sf_time t0, sf_time t1);
/* Mean state of charge of the agents with a battery at t (NAN without a world or batteries). */
double sf__metrics_soc_at(const sf_metrics *m, sf_time t);
/* Room for one more time-series sample beyond the open one; SF_ENOMEM. */
int sf__metrics_grow_samples(sf_metrics *m);
/* The sample of the open step, as measured up to `to`. */
void sf__metrics_fill_sample(const sf_metrics *m, sf_metrics_sample *s, sf_time to);

/* occupancy.c: the loads switched by people present in zones */

/* Room for the occupancy loads (none: nothing); SF_OK or SF_ENOMEM. */
int sf__metrics_occ_new(sf_metrics *m);
/* Agent `agent` stands at (x, y) now (its home when the observer attaches): its presence in each zone. */
void sf__metrics_occ_place(sf_metrics *m, uint32_t agent, double x, double y);
/* Agent `agent` entered or left layout zone `zone`. */
void sf__metrics_occ_zone(sf_metrics *m, uint32_t agent, uint32_t zone, bool inside, sf_time now);
/* An agent's state changed (going off shift takes a worker out of the count); the ledger is at now. */
void sf__metrics_occ_state(sf_metrics *m, sf_time now);
/* The earliest pending switch-off of an occupancy load; SF_TIME_MAX for none. */
sf_time sf__metrics_occ_next(const sf_metrics *m);
/* Switch off the parts whose switch-off is due at or before t. */
void sf__metrics_occ_fire(sf_metrics *m, sf_time t);
/* Add dt seconds of the loads switched on to their energy (after the warm-up). */
void sf__metrics_occ_energy(sf_metrics *m, double dt);

#endif
