/*
 * network.h: the path network that vehicles, robots and people travel.
 *
 * Nodes have coordinates in metres. Segments join two nodes, have a
 * length (from geometry unless given), a speed limit, a capacity (how many
 * movers may be on it at once; traffic control enforces it) and are
 * one-way (from -> to) or two-way. Routing works on arcs: arc 2s is
 * segment s from -> to, arc 2s+1 is the reverse (two-way segments only).
 *
 * Routes are shortest by travel time at a mover's top speed, each segment
 * taken at min(top speed, speed limit); acceleration is left out of the
 * choice (it adds the same per-stop cost to every route without stops).
 * Cost: Dijkstra with a binary heap, O((V + E) log V) for the first route
 * from a source at a given top speed; the whole shortest-path tree is
 * then cached (12 bytes per node), so later routes from that source cost
 * O(route length). Adding nodes or segments drops the cache.
 *
 * Fences (sim/model/safety.h, sf_safety_fences): a fenced segment runs
 * through a guarded robot's working area and people may not walk it; a
 * fenced node is a guarded robot's station, which a person may walk to
 * (its crew, who wait at the guard as safety.h says) or from, but never
 * through. Routes for people (sf_network_route_as with person = true)
 * keep to both rules, so they go round a fenced cell; vehicles' routes
 * ignore them. People's trees are cached apart from vehicles'.
 */
#ifndef SF_MODEL_NETWORK_H
#define SF_MODEL_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/names.h"

typedef struct sf_node {
    char *name;
    double x, y; /* metres */
} sf_node;

typedef struct sf_segment {
    uint32_t from, to;
    double length;      /* metres, > 0 */
    double speed_limit; /* m/s, > 0; INFINITY for none */
    int capacity;       /* movers at once, >= 1 */
    bool two_way;
} sf_segment;

typedef struct sf_route {
    uint32_t *arcs; /* arc ids, in travel order; owned */
    uint32_t n;
    double length; /* metres */
    double time;   /* seconds at the speed the route was planned for, without acceleration */
} sf_route;

typedef struct sf_network sf_network;

sf_network *sf_network_new(void);
void sf_network_free(sf_network *net);

/* SF_EINVAL for a duplicate name or non-finite coordinates. */
int sf_network_add_node(sf_network *net, const char *name, double x, double y, uint32_t *id);

/*
 * A segment between two existing nodes. `length` <= 0 means "the straight
 * distance between the nodes" (which must then be > 0). SF_EINVAL for a
 * bad node, length, limit or capacity.
 */
int sf_network_add_segment(sf_network *net, uint32_t from, uint32_t to, double length, double speed_limit,
                           int capacity, bool two_way, uint32_t *id);

uint32_t sf_network_node_count(const sf_network *net);
uint32_t sf_network_segment_count(const sf_network *net);
const sf_node *sf_network_node(const sf_network *net, uint32_t id);
const sf_segment *sf_network_segment(const sf_network *net, uint32_t id);
int sf_network_find_node(const sf_network *net, const char *name, uint32_t *id);

/* Fence a segment or a node for people (see above); SF_EINVAL for a bad id. Drops the cache. */
int sf_network_fence_segment(sf_network *net, uint32_t seg);
int sf_network_fence_node(sf_network *net, uint32_t node);
bool sf_network_segment_fenced(const sf_network *net, uint32_t seg);
bool sf_network_node_fenced(const sf_network *net, uint32_t node);

/* Arc helpers: the segment, and the nodes an arc leaves and enters. */
static inline uint32_t sf_arc_segment(uint32_t arc) { return arc >> 1; }
uint32_t sf_network_arc_from(const sf_network *net, uint32_t arc);
uint32_t sf_network_arc_to(const sf_network *net, uint32_t arc);

/*
 * The fastest route from `from` to `to` for a mover with top speed
 * `vmax` (m/s, > 0). An empty route (n = 0) when from == to. SF_ENOTFOUND
 * when `to` cannot be reached, SF_EINVAL for bad arguments, SF_ENOMEM.
 * Free the route with sf_route_close. Equal-cost ties are broken the same
 * way on every run.
 */
int sf_network_route(sf_network *net, uint32_t from, uint32_t to, double vmax, sf_route *route);

/* The same for a person (person = true: keeping to the fences) or a vehicle (false, as sf_network_route). */
int sf_network_route_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person, sf_route *route);
void sf_route_close(sf_route *route);

/*
 * The length (metres) of the route sf_network_route would give, without
 * building it: O(route length), no allocation. SF_ENOTFOUND, SF_EINVAL.
 */
int sf_network_route_length(sf_network *net, uint32_t from, uint32_t to, double vmax, double *length);
/* The same for a person (person = true: keeping to the fences, as sf_network_route_as) or a vehicle. */
int sf_network_route_length_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person, double *length);

/*
 * The same, but never using the `n_avoid` segments listed (in either
 * direction). Not cached: O((V + E) log V) each call; for the rare
 * detours of deadlock resolution.
 */
int sf_network_route_avoiding(sf_network *net, uint32_t from, uint32_t to, double vmax, const uint32_t *avoid,
                              size_t n_avoid, sf_route *route);
int sf_network_route_avoiding_as(sf_network *net, uint32_t from, uint32_t to, double vmax, bool person,
                                 const uint32_t *avoid, size_t n_avoid, sf_route *route);

/* Whether `to` can be reached from `from` (any speed) by a vehicle: fences are not obstacles here. */
bool sf_network_reachable(sf_network *net, uint32_t from, uint32_t to);

/* Cached shortest-path trees and their bytes (for reports and tests). */
size_t sf_network_cache_bytes(const sf_network *net);

#endif
