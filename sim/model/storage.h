/*
 * storage.h: racks and automated storage (AS/RS): cells, their state and
 * the storage policies that choose them.
 *
 * A rack is bays x levels x depth cells. Each bay is served from an
 * access node of the path network; each level has a height (metres) that
 * a forklift must lift to; depth counts positions behind each other (deep
 * lanes: only the front free position of a lane can be filled, only the
 * front full one taken). A cell is empty, reserved (a put-away or a
 * retrieval is on its way) or full with a load of some item (an integer
 * SKU id the model gives) and an ABC class.
 *
 * Policies for put-away:
 *  - FIRST_FREE: the first free cell in (rack, bay, level) order;
 *  - CLOSEST: the free cell whose access node is fastest to reach from a
 *    given node (a dock), ties by level then order;
 *  - CLASS_ABC: cells are ranked once by travel time from the reference
 *    node and split into A, B, C zones by the configured shares; a load
 *    of class A goes to the closest free A cell, falling back to B, then C
 *    (a B load to B then C then A, a C load to C then B then A).
 * Retrieval takes the oldest stored load of an item (first in, first
 * out) among the cells that can be reached (front of their lane).
 */
#ifndef SF_MODEL_STORAGE_H
#define SF_MODEL_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"
#include "model/kinds.h"
#include "model/network.h"

typedef enum sf_cell_state { SF_CELL_EMPTY, SF_CELL_RESERVED_IN, SF_CELL_FULL, SF_CELL_RESERVED_OUT } sf_cell_state;

typedef struct sf_rack_spec {
    const char *name;
    uint32_t bays, levels, depth;
    const double *level_height; /* `levels` heights in metres, ascending */
    const uint32_t *access;     /* `bays` access nodes */
} sf_rack_spec;

typedef struct sf_cell_ref {
    uint32_t rack, bay, level, slot; /* slot: 0 is the front of the lane */
} sf_cell_ref;

typedef struct sf_storage sf_storage;

/* Empty storage over `net` with a policy; `reference` is the node CLOSEST and CLASS_ABC measure from. */
sf_storage *sf_storage_new(sf_network *net, sf_storage_policy policy, uint32_t reference, double share_a,
                           double share_b);
void sf_storage_free(sf_storage *st);

/* SF_EINVAL for zero sizes, heights not ascending or not positive, or unknown access nodes. */
int sf_storage_add_rack(sf_storage *st, const sf_rack_spec *spec, uint32_t *id);

/*
 * Choose a cell for a load of class `abc` ('A', 'B' or 'C'; other values
 * count as 'C') and reserve it. SF_ENOTFOUND when the store is full.
 */
int sf_storage_reserve_put(sf_storage *st, char abc, sf_cell_ref *cell);
/* The load arrives in a cell reserved for it at time `now`. */
int sf_storage_commit_put(sf_storage *st, const sf_cell_ref *cell, uint32_t item, sf_time now);

/* Reserve the oldest reachable load of `item` for retrieval; SF_ENOTFOUND when none. */
int sf_storage_reserve_take(sf_storage *st, uint32_t item, sf_cell_ref *cell);
/* The load leaves a cell reserved for retrieval. */
int sf_storage_commit_take(sf_storage *st, const sf_cell_ref *cell);

/*
 * The same in one rack (an instruction's transport, docs/viewer.md): a cell
 * of rack `rack` at a level no higher than `reach` (metres), the first free
 * lane in the rack's order (bays, then levels); the oldest front load of
 * `item` there. SF_ENOTFOUND when there is none.
 */
int sf_storage_reserve_put_in(sf_storage *st, uint32_t rack, double reach, sf_cell_ref *cell);
int sf_storage_reserve_take_from(sf_storage *st, uint32_t rack, uint32_t item, double reach, sf_cell_ref *cell);
/* A put-away reserved and not made after all: the cell is free again. SF_EINVAL when it was not reserved. */
int sf_storage_cancel_put(sf_storage *st, const sf_cell_ref *cell);
/* Loads of `item` in rack `rack` (full cells and those reserved for retrieval). */
uint64_t sf_storage_rack_count(const sf_storage *st, uint32_t rack, uint32_t item);

sf_cell_state sf_storage_cell(const sf_storage *st, const sf_cell_ref *cell, uint32_t *item);
uint32_t sf_storage_access_node(const sf_storage *st, const sf_cell_ref *cell);
double sf_storage_height(const sf_storage *st, const sf_cell_ref *cell);
/* The highest level height of all racks (for the "can any forklift lift it" check). */
double sf_storage_max_height(const sf_storage *st);

/* Counts: cells in all, full (including reserved for retrieval), reserved for put-away. */
uint64_t sf_storage_cells(const sf_storage *st);
uint64_t sf_storage_full(const sf_storage *st);
uint64_t sf_storage_incoming(const sf_storage *st);
/* Full cells holding `item`. */
uint64_t sf_storage_count(const sf_storage *st, uint32_t item);

#endif
