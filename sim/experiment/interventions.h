/*
 * interventions.h: what a trainer does to a running plant, as ordinary
 * events of the run (docs/viewer.md, "Interventions").
 *
 * An intervention happens at a simulated time: a station or an agent is
 * stopped for a while (held down as by a failure, not counted as one:
 * model/failures.h, sf_failures_hold), a safety camera is taken down for
 * a while (sf_safety_camera_hold), a collaborative arm is fenced for a
 * while (sf_safety_fence), or a rush order asks for n units of a
 * product. Stops, camera outages and fences are events of kind "intervention"
 * (priority 1, as failures), target 2 i for the start of intervention i
 * and 2 i + 1 for its end; a rush order at the start is an order of the
 * scenario (`demand.orders`, named "rush_<i>") added before the plant is
 * built, so the behaviours treat it as any order; one later is an event
 * of kind "intervention" too, at which the plant's script releases its
 * units (the same way, from headless instructions or a live viewer). Agents added during the run
 * are built with the plant: sf_interventions_prepare grows their fleet
 * entry's count (so the world's fixed arrays hold them) and they join at
 * their time (model/world.h, sf_world_presence); agents are numbered by
 * fleet entry, so the agent index of every other intervention is moved
 * past the added ones. With a reserve in the list (SF_IV_RESERVE, at the
 * start) every fleet entry but arms is built with that many more agents,
 * out of the plant, and agents added (before the run or during it, from a
 * live viewer) are the entry's next reserve agents, joining at an event
 * at their time: a list with a reserve builds the same plant headless as
 * live. A removed agent leaves when its task in hand ends:
 * an event of kind "intervention", target 2 i, at its time. A transport
 * (one vehicle alone moves n pallets from a rack or dock to a rack or dock,
 * or n units of a made product along its routing: from its source dock or
 * a station to the station or sink dock its routing takes them to next)
 * is handed to the plant's script at its time, as a rush order is
 * ("require('plant').bring(...)", scripts/warehouse.lua). Everything is
 * deterministic:
 * the same list on the same scenario and seed gives the same run, and
 * the list printed (sf_interventions_print) is the instruction file that
 * reproduces it (`shopfloor run --instruct FILE`).
 *
 * Ownership: sf_interventions_new pairs with sf_interventions_free; once
 * sf_interventions_prepare has added rush orders to a config, the list
 * owns the config's order array (and, with agents added, its fleet
 * entries) and must outlive the config: free it after the config.
 */
#ifndef SF_EXPERIMENT_INTERVENTIONS_H
#define SF_EXPERIMENT_INTERVENTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/kernel.h"
#include "core/time.h"
#include "model/config.h"
#include "model/world.h"
#include "script/script.h"

typedef enum sf_iv_kind {
    SF_IV_STOP_STATION, /* target: station index */
    SF_IV_STOP_AGENT,   /* target: agent index (fleet order, as the world numbers them) */
    SF_IV_CAMERA_DOWN,  /* target: camera index */
    SF_IV_RUSH_ORDER,   /* target: product index; quantity units */
    SF_IV_FENCE,        /* target: agent index of an arm with a collaborative rule (ssm, pfl) */
    SF_IV_ADD_AGENTS,   /* target: fleet entry; quantity agents join at `at` (first: the first of them, once prepared) */
    SF_IV_REMOVE_AGENT, /* target: agent index; it leaves when its task in hand ends */
    SF_IV_SPEED,        /* target: fleet entry; its agents' top speed from `at` on (speed, m/s) */
    SF_IV_TEND,         /* target: agent index (a humanoid or worker); it works only at `station` for `length` */
    SF_IV_BRING,        /* target: agent index (a forklift or AGV); it alone moves `quantity` pallets of `product` from `from` to `to` */
    SF_IV_RESERVE,      /* at the start: every fleet entry but arms is built with `quantity` more agents, off until added */
    SF_IV_SAFETY_MODE,  /* target: agent index of an arm or humanoid; quantity: the sf_safety_mode it runs from `at` for `length` */
} sf_iv_kind;

/* A transport's place: a rack index, SF_IV_DOCK | a dock index, or SF_IV_STATION | a station index. */
#define SF_IV_DOCK 0x80000000u
#define SF_IV_STATION 0x40000000u

typedef struct sf_intervention {
    sf_iv_kind kind;
    sf_time at;       /* simulated time it happens */
    sf_time length;   /* stops, camera outages, fences: how long; SF_TIME_MAX = to the end of the run */
    uint32_t target;
    int quantity;     /* rush orders: units, >= 1; safety modes: the mode (sf_safety_mode) */
    int line;         /* the instruction's line (0: none), for messages */
    bool timed;       /* the instruction gave its time (else `at` is the start; a viewer takes it as now) */
    uint32_t first;   /* adds, once prepared: the agent index of the first agent added */
    double speed;     /* speeds: m/s, empty (loaded: in the fleet entry's ratio of loaded to empty) */
    uint32_t station; /* tending: the station's index */
    uint32_t product; /* transport: the product's index (a stored good) */
    uint32_t from, to;/* transport: a rack index, SF_IV_DOCK | a dock index, or SF_IV_STATION | a station index */
} sf_intervention;

typedef struct sf_interventions sf_interventions;

/* An empty list; NULL when out of memory. */
sf_interventions *sf_interventions_new(void);
void sf_interventions_free(sf_interventions *l);

/* Append a copy of iv. SF_OK or SF_ENOMEM. */
int sf_interventions_add(sf_interventions *l, const sf_intervention *iv);
size_t sf_interventions_count(const sf_interventions *l);
const sf_intervention *sf_interventions_get(const sf_interventions *l, size_t i);

/*
 * One intervention in the words the instruction grammar reads back, with
 * its time as an offset from the start: "+04:30:00 stop weld_1 for 20 min",
 * "+00:00:00 rush order: 5 gearbox". Returns what snprintf returns.
 */
int sf_intervention_describe(const sf_intervention *iv, const sf_scenario_config *cfg, char *buf, size_t n);

/* Every intervention, one a line, in the order of the list: the instruction file that reproduces the run. */
int sf_interventions_print(const sf_interventions *l, const sf_scenario_config *cfg, FILE *out);

/* The agent index of the n-th (from 1) agent of fleet entry `type`, or UINT32_MAX when there is none. */
uint32_t sf_interventions_agent(const sf_scenario_config *cfg, size_t type, int n);

/*
 * Before the plant is built: add the rush orders at the start to cfg's orders, and
 * grow the fleet entries that agents are added to (the list owns the
 * new arrays; agent targets are renumbered for the grown fleet). Call it
 * once. SF_OK or SF_ENOMEM.
 */
int sf_interventions_prepare(sf_interventions *l, sf_scenario_config *cfg);

/*
 * After the plant is built: register the kind "intervention" and
 * schedule every stop and camera outage of the list on the world's
 * kernel. SF_OK, SF_EPAST for a time before now, or the kernel's error.
 */
int sf_interventions_start(sf_interventions *l, sf_kernel *k, sf_world *w);

/*
 * Hold the target of a stop, camera outage or fence down (`down`) or
 * release it, now; a removal: the agent leaves now (released: it stays);
 * a speed: set now (released: nothing); agents added: they join at their
 * time (released: never). What the events do, and what a live viewer
 * calls for an intervention it makes at the current time (a stop for a
 * while is a hold now and a release later: add it to a started list with
 * sf_interventions_schedule). SF_EINVAL for a rush order or tending (the
 * script's: sf_interventions_schedule) or a bad target.
 */
int sf_intervention_hold(sf_world *w, const sf_intervention *iv, bool down);

/*
 * Add iv to a started list and schedule it (a stop, camera outage, fence,
 * removal or rush order from its time, at or after now). Agents can be
 * added once the plant is built only from a reserve (SF_EINVAL without
 * one, SF_ELIMIT when the entry's is used up: their capacity is fixed
 * then); a rush order, tending or a transport needs the script
 * (sf_interventions_script): SF_EINVAL. A reserve cannot be scheduled.
 */
int sf_interventions_schedule(sf_interventions *l, const sf_intervention *iv);

/* The reserve of the list (agents per fleet entry, 0: none), and how many of fleet entry `type`'s are left. */
int sf_interventions_reserve(const sf_interventions *l);
int sf_interventions_reserve_left(const sf_interventions *l, size_t type);

/*
 * The script state that runs the plant (scripts/plant.lua): a rush order
 * after the start is released by it at its time, as the scenario's orders
 * are ("require('plant').rush(product, quantity)" in a process of its
 * own), and tending starts and ends through it (the crews are the
 * script's: "require('plant').tend(agent, station)"). Without it these
 * fail the run (SF_EINVAL).
 */
void sf_interventions_script(sf_interventions *l, sf_script *S);

#endif
