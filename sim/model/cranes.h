/*
 * cranes.h: the energy of AS/RS cranes, cycle by cycle.
 *
 * A crane stands at its rack's `crane.power_idle` and, for each storage
 * or retrieval, draws for the cycle's time T (the rack's cycle_time):
 *   travel    power_travel x T (travel drives and controls);
 *   lift      m g h / efficiency to raise its carriage and load (mass m)
 *             to the cell's level height h;
 *   lowering  nothing from the grid; regeneration x efficiency x m g h
 *             fed back (0 without regeneration: a braking resistor).
 * The drawn and the fed-back energy are each spread evenly over the
 * cycle, so each is a constant power from its start to its end (one
 * event at the end) and the ledger stays exact per cycle. Cycles of one
 * crane that overlap add up.
 */
#ifndef SF_MODEL_CRANES_H
#define SF_MODEL_CRANES_H

#include <stdint.h>

#include "core/kernel.h"
#include "model/config.h"

#define SF_GRAVITY 9.80665 /* m/s^2 */

typedef struct sf_cranes sf_cranes;

/* A crane's draw (W, >= 0) and what it feeds back (W, >= 0) from `now` on. */
typedef void (*sf_cranes_power)(void *ctx, uint32_t rack, double draw, double fed_back, sf_time now);

/* Cranes for the layout's AS/RS racks (one event kind, "crane.cycle"); NULL when out of memory. */
sf_cranes *sf_cranes_new(sf_kernel *k, const sf_cfg_layout *L, sf_cranes_power power, void *ctx);
void sf_cranes_free(sf_cranes *c);

/* Start a cycle of rack's crane to `level`, lasting `seconds`. SF_EINVAL for a rack that is not an AS/RS. */
int sf_cranes_cycle(sf_cranes *c, uint32_t rack, int level, double seconds);

/* The energy (J) one cycle of `seconds` to `level` draws from the grid and feeds back to it. */
void sf_crane_cycle_energy(const sf_cfg_rack *R, int level, double seconds, double *drawn, double *fed_back);

#endif
