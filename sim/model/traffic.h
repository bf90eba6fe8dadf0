/*
 * traffic.h: reservations of path segments, waiting lines and deadlocks.
 *
 * A mover reserves a segment before it enters it and holds it until it
 * has left it. A segment admits at most `capacity` movers at once (both
 * directions of a two-way segment share it). A mover that finds a segment
 * full joins its first-come-first-served waiting line and is granted the
 * segment, in order, when a holder releases it; the time spent waiting is
 * the segment's congestion time.
 *
 * Deadlock: a waiting mover can still move on if its segment has a holder
 * that can move on (that holder will leave the segment eventually). The
 * movers for which no such chain reaches a mover that is not waiting are
 * deadlocked: they can never move again. Cost: while the last check found
 * none, a check searches only from the movers that began to wait, and the
 * waiters of segments released, since then, along their wait-for chains
 * (each search stops at the first mover that does not wait); when that
 * finds one stuck, or a deadlock is standing, it is a fixed-point sweep,
 * O(waiting movers x holders).
 *
 * A segment's holders take its lowest free slot; whether a mover holds a
 * segment, and releasing it, cost O(segments the mover holds), whatever
 * the segment's capacity.
 */
#ifndef SF_MODEL_TRAFFIC_H
#define SF_MODEL_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "model/network.h"

#define SF_NO_MOVER UINT32_MAX

typedef struct sf_traffic sf_traffic;

/* Traffic control over the segments of `net` for movers 0 .. nmovers - 1. NULL when out of memory. */
sf_traffic *sf_traffic_new(const sf_network *net, uint32_t nmovers);
void sf_traffic_free(sf_traffic *t);

/*
 * Reserve `seg` for `mover` if there is room and nobody waits before it;
 * true when granted. A mover may hold several segments (the one it is on
 * and those ahead), each once.
 */
bool sf_traffic_try_reserve(sf_traffic *t, uint32_t seg, uint32_t mover);

/*
 * Join the waiting line of `seg` at `now`. A mover waits for one segment
 * at a time; SF_EINVAL otherwise. With `notify` the mover is not granted
 * the segment when it frees but only told (it leaves the line and tries
 * again itself): for movers that must take several segments at once and
 * so must never hold one while waiting for another.
 */
int sf_traffic_wait(sf_traffic *t, uint32_t seg, uint32_t mover, sf_time now, bool notify);

/* Leave a waiting line without being granted (the mover changed its mind). */
void sf_traffic_cancel_wait(sf_traffic *t, uint32_t mover, sf_time now);

/*
 * Release `seg` held by `mover` at `now`; waiters are granted in order
 * while there is room, and every notify-only waiter leaves the line. The
 * movers granted or notified are written to `granted` (at most `max`);
 * the count is returned. The caller wakes them.
 */
int sf_traffic_release(sf_traffic *t, uint32_t seg, uint32_t mover, sf_time now, uint32_t *granted, int max);

bool sf_traffic_holds(const sf_traffic *t, uint32_t seg, uint32_t mover);
int sf_traffic_occupancy(const sf_traffic *t, uint32_t seg);
/* The segment `mover` waits for, or UINT32_MAX; and since when. */
uint32_t sf_traffic_waiting_for(const sf_traffic *t, uint32_t mover, sf_time *since);
/*
 * For reports: the segments `mover` holds, in ascending order, and the
 * movers holding `seg`, written to `out` (at most `max`); each returns
 * how many there are. The first costs O(segments the mover holds ^ 2), the
 * second O(capacity).
 */
int sf_traffic_held(const sf_traffic *t, uint32_t mover, uint32_t *out, int max);
int sf_traffic_holders(const sf_traffic *t, uint32_t seg, uint32_t *out, int max);

/*
 * The deadlocked movers, written to `out` (at most `max`), in ascending
 * id; returns how many there are (which may exceed max). Not const: it
 * remembers that it found none, so the next check can look only at what
 * changed since.
 */
int sf_traffic_deadlocked(sf_traffic *t, uint32_t *out, int max);

/* Total seconds movers have waited for `seg` up to `now` (including those still waiting). */
double sf_traffic_congestion(const sf_traffic *t, uint32_t seg, sf_time now);

#endif
