/*
 * packs.h: the spare battery packs of a fleet entry that swaps batteries.
 *
 * A fleet entry whose battery has `swap` keeps `spares` packs of its
 * battery's capacity, all full at time 0. An agent swapping takes a full
 * one (waiting for the one that is ready first, if none is) and puts its
 * own back; a pack put back charges from the grid with the fleet's
 * chemistry: at the battery's charge_power, a Li-ion pack tapering from
 * its knee in steps of constant power as the agents' batteries do
 * (energy.h), a lead-acid pack then cooling down before it is ready.
 * Each pack is a meter (model/energy.h), brought forward only at its own
 * events (a taper step's end, full), so the grid draw is piecewise
 * constant, each pack's full time is known exactly when it starts
 * charging, and the energy drawn is the energy it missed over the
 * efficiency (to the nanosecond of rounding up per step).
 *
 * Ownership: sf_packs_init pairs with sf_packs_close.
 */
#ifndef SF_MODEL_PACKS_H
#define SF_MODEL_PACKS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"
#include "model/energy.h"

typedef struct sf_packs {
    uint32_t n;
    double capacity, power, efficiency; /* J per pack; W drawn while one charges at full rate; share of it stored */
    double cv_from;                     /* Li-ion: the taper's knee as a fraction (1: constant power to full) */
    sf_time cool_down;                  /* lead-acid: after a charge, before the pack is ready */
    sf_meter *m;                        /* per pack: charging, or off (standing, drawing nothing) */
    sf_time *next;                      /* a charging pack's next event (step end or full); SF_TIME_MAX otherwise */
    sf_time *ready;                     /* when the pack may go into an agent (full and cooled down) */
    bool *reserved;                     /* promised to an agent that is swapping */
} sf_packs;

/* n full packs. SF_OK, SF_EINVAL for bad values, SF_ENOMEM. */
int sf_packs_init(sf_packs *p, uint32_t n, double capacity, double power, double efficiency);
void sf_packs_close(sf_packs *p);
/* The fleet's chemistry: a Li-ion taper from cv_from x capacity (1 or more: none), a lead-acid cool_down (0: none). */
void sf_packs_chemistry(sf_packs *p, double cv_from, sf_time cool_down);

/*
 * Promise the pack not yet promised that is ready first to a swapping
 * agent: its index and, in *ready, when it is full and cooled down (now
 * when it is), or UINT32_MAX when every pack is promised.
 */
uint32_t sf_packs_reserve(sf_packs *p, sf_time now, sf_time *ready);
/* Pack i, promised and ready at `now`, goes into the agent; the agent's pack, holding `charge` J, takes its place and charges. */
int sf_packs_swap(sf_packs *p, uint32_t i, double charge, sf_time now);
/* Packs whose events have come take their next taper step or stop charging. Returns the grid draw from `now` on (W). */
double sf_packs_update(sf_packs *p, sf_time now);
/* The next time a charging pack's draw changes (a taper step ends, or it is full); SF_TIME_MAX when none charges. */
sf_time sf_packs_next_event(const sf_packs *p);
/* Energy drawn from the grid by the packs up to `now` (J), exactly: each pack's power over its charging time. */
double sf_packs_drawn(const sf_packs *p, sf_time now);
/* Energy held by pack i at `now` (J). */
double sf_packs_charge(const sf_packs *p, uint32_t i, sf_time now);

#endif
