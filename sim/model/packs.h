/*
 * packs.h: the spare battery packs of a fleet entry that swaps batteries.
 *
 * A fleet entry whose battery has `swap` keeps `spares` packs of its
 * battery's capacity, all full at time 0. An agent swapping takes a full
 * one (waiting for the one that is full first, if none is) and puts its
 * own back; a pack put back charges at the battery's charge_power from
 * the grid until full. The grid draw is piecewise constant (charge_power
 * times the packs charging) and each pack's full time is computed once,
 * exactly, when it starts charging: the energy drawn is the energy it
 * missed over the efficiency (to the nanosecond of rounding up).
 *
 * Ownership: sf_packs_init pairs with sf_packs_close.
 */
#ifndef SF_MODEL_PACKS_H
#define SF_MODEL_PACKS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"

typedef struct sf_packs {
    uint32_t n;
    double capacity, power, efficiency; /* J per pack; W drawn while one charges; share of it stored */
    double *charge;                     /* J, at `since` */
    sf_time *since;
    sf_time *full;                      /* when a charging pack is full; SF_TIME_MAX when it is not charging */
    bool *reserved;                     /* promised to an agent that is swapping */
    sf_time *billed;                    /* a charging pack's draw is counted in `drawn` up to here */
    double drawn;                       /* J drawn from the grid up to the last update */
} sf_packs;

/* n full packs. SF_OK, SF_EINVAL for bad values, SF_ENOMEM. */
int sf_packs_init(sf_packs *p, uint32_t n, double capacity, double power, double efficiency);
void sf_packs_close(sf_packs *p);

/*
 * Promise the pack not yet promised that is full first to a swapping
 * agent: its index and, in *ready, when it is full (now when it is), or
 * UINT32_MAX when every pack is promised.
 */
uint32_t sf_packs_reserve(sf_packs *p, sf_time now, sf_time *ready);
/* Pack i, promised and full at `now`, goes into the agent; the agent's pack, holding `charge` J, takes its place and charges. */
int sf_packs_swap(sf_packs *p, uint32_t i, double charge, sf_time now);
/* Packs whose full time has come stop charging. Returns the grid draw from `now` on (W). */
double sf_packs_update(sf_packs *p, sf_time now);
/* The next time a charging pack is full; SF_TIME_MAX when none charges. */
sf_time sf_packs_next_full(const sf_packs *p);
/* Energy drawn from the grid by the packs up to `now` (J), exactly: each pack's power over its charging time. */
double sf_packs_drawn(const sf_packs *p, sf_time now);
/* Energy held by pack i at `now` (J). */
double sf_packs_charge(const sf_packs *p, uint32_t i, sf_time now);

#endif
