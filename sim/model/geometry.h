/*
 * geometry.h: polygons and straight paths, for zones.
 *
 * A zone is a simple polygon (corners in order, either orientation). The
 * questions the model asks are "is this point inside" and "over which
 * parts of this straight move is the mover inside"; the second is
 * answered exactly, as parameter intervals of the move, by intersecting
 * the move with every edge, so entry and exit times come from geometry,
 * not from sampling positions.
 */
#ifndef SF_MODEL_GEOMETRY_H
#define SF_MODEL_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>

/* The most corners a polygon may have (a scenario's zones are checked against it in sim/scenario/layout.c). */
#define SF_POLYGON_MAX 1000

/* Whether (x, y) lies inside the polygon of n corners xy[0..2n) (boundary counts as inside). */
bool sf_polygon_contains(const double *xy, size_t n, double x, double y);

/*
 * The parts of the straight move from (ax, ay) to (bx, by) that lie inside
 * the polygon, as sorted, disjoint parameter intervals [t0, t1] within
 * [0, 1] (t = 0 at a, 1 at b) written to `out` as pairs; returns their
 * number (at most max_intervals; the polygon has at most n / 2 + 1).
 * n is 3 to SF_POLYGON_MAX. Allocates nothing.
 */
size_t sf_polygon_clip(const double *xy, size_t n, double ax, double ay, double bx, double by, double *out,
                       size_t max_intervals);

/* Distance from (x, y) to the polygon: 0 inside, else to the nearest edge. */
double sf_polygon_distance(const double *xy, size_t n, double x, double y);

/* Distance from (cx, cy) to the segment from (ax, ay) to (bx, by). */
double sf_segment_distance(double ax, double ay, double bx, double by, double cx, double cy);

#endif
