#include "model/geometry.h"

#include <assert.h>

#include <math.h>
#include <stdlib.h>

/* Point on an edge: within a relative tolerance of the segment. */
static bool on_edge(double x, double y, double x1, double y1, double x2, double y2)
{
    double cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    double len = hypot(x2 - x1, y2 - y1);
    if (fabs(cross) > 1e-12 * (len * len + 1))
        return false;
    return x >= fmin(x1, x2) - 1e-12 && x <= fmax(x1, x2) + 1e-12 && y >= fmin(y1, y2) - 1e-12 &&
           y <= fmax(y1, y2) + 1e-12;
}

bool sf_polygon_contains(const double *xy, size_t n, double x, double y)
{
    bool in = false;

    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if (on_edge(x, y, xi, yi, xj, yj))
            return true;
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

size_t sf_polygon_clip(const double *xy, size_t n, double ax, double ay, double bx, double by, double *out,
                       size_t max_intervals)
{
    double t[SF_POLYGON_MAX + 2]; /* on the stack: this runs for every zone a move may cross */
    double dx = bx - ax, dy = by - ay;
    size_t k = 0, m = 0;

    assert(n >= 3 && n <= SF_POLYGON_MAX);
    t[k++] = 0;
    t[k++] = 1;
    /* every parameter where the move crosses or touches an edge */
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double ex = xy[2 * i] - xy[2 * j], ey = xy[2 * i + 1] - xy[2 * j + 1];
        double den = dx * ey - dy * ex;
        double wx = xy[2 * j] - ax, wy = xy[2 * j + 1] - ay;
        if (den == 0)
            continue; /* parallel: collinear overlaps are caught by the midpoint test below */
        {
            double s = (wx * ey - wy * ex) / den; /* along the move */
            double u = (wx * dy - wy * dx) / den; /* along the edge */
            if (s > 0 && s < 1 && u >= 0 && u <= 1)
                t[k++] = s;
        }
    }
    qsort(t, k, sizeof *t, cmp);
    /* between consecutive crossings the move is wholly in or out: test the midpoint */
    for (size_t i = 0; i + 1 < k; i++) {
        double mid = (t[i] + t[i + 1]) / 2;
        if (t[i + 1] - t[i] <= 0)
            continue;
        if (!sf_polygon_contains(xy, n, ax + dx * mid, ay + dy * mid))
            continue;
        if (m > 0 && out[2 * m - 1] == t[i]) {
            out[2 * m - 1] = t[i + 1]; /* extend the previous interval */
        } else if (m < max_intervals) {
            out[2 * m] = t[i];
            out[2 * m + 1] = t[i + 1];
            m++;
        }
    }
    /* a move that only touches the zone at one point (k intervals of zero length) is not inside */
    return m;
}

double sf_polygon_distance(const double *xy, size_t n, double x, double y)
{
    double best = INFINITY;

    if (sf_polygon_contains(xy, n, x, y))
        return 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double x1 = xy[2 * j], y1 = xy[2 * j + 1], ex = xy[2 * i] - x1, ey = xy[2 * i + 1] - y1;
        double len2 = ex * ex + ey * ey, u = len2 > 0 ? ((x - x1) * ex + (y - y1) * ey) / len2 : 0;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        best = fmin(best, hypot(x - (x1 + u * ex), y - (y1 + u * ey)));
    }
    return best;
}

double sf_segment_distance(double ax, double ay, double bx, double by, double cx, double cy)
{
    double dx = bx - ax, dy = by - ay, d2 = dx * dx + dy * dy, u = 0;

    if (d2 > 0)
        u = ((cx - ax) * dx + (cy - ay) * dy) / d2;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return hypot(ax + u * dx - cx, ay + u * dy - cy);
}
