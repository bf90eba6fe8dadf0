/* Zone geometry: containment, exact crossing intervals, distances. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/geometry.h"

static const double square[] = {0, 0, 10, 0, 10, 10, 0, 10};
/* a U shape: a move across its arms enters twice */
static const double u_shape[] = {0, 0, 30, 0, 30, 10, 20, 10, 20, 5, 10, 5, 10, 10, 0, 10};

static void test_geometry_contains_inside_outside_and_boundary(void **state)
{
    (void)state;
    assert_true(sf_polygon_contains(square, 4, 5, 5));
    assert_false(sf_polygon_contains(square, 4, 15, 5));
    assert_true(sf_polygon_contains(square, 4, 10, 5)); /* on an edge */
    assert_true(sf_polygon_contains(square, 4, 0, 0));  /* a corner */
    assert_false(sf_polygon_contains(u_shape, 8, 15, 8)); /* in the notch */
    assert_true(sf_polygon_contains(u_shape, 8, 15, 3));
}

static void test_geometry_clip_gives_exact_entry_and_exit(void **state)
{
    double iv[8];
    (void)state;
    /* from (-5, 5) to (15, 5): inside from x = 0 to 10, i.e. t = 0.25 .. 0.75 */
    assert_int_equal(sf_polygon_clip(square, 4, -5, 5, 15, 5, iv, 4), 1);
    assert_true(fabs(iv[0] - 0.25) < 1e-15 && fabs(iv[1] - 0.75) < 1e-15);
    /* starting inside */
    assert_int_equal(sf_polygon_clip(square, 4, 5, 5, 25, 5, iv, 4), 1);
    assert_true(iv[0] == 0 && fabs(iv[1] - 0.25) < 1e-15);
    /* wholly inside */
    assert_int_equal(sf_polygon_clip(square, 4, 1, 1, 9, 9, iv, 4), 1);
    assert_true(iv[0] == 0 && iv[1] == 1);
    /* missing it */
    assert_int_equal(sf_polygon_clip(square, 4, -5, 20, 15, 20, iv, 4), 0);
    /* across both arms of the U at y = 8: inside for x in [0, 10] and [20, 30] */
    assert_int_equal(sf_polygon_clip(u_shape, 8, -10, 8, 40, 8, iv, 4), 2);
    assert_true(fabs(iv[0] - 0.2) < 1e-15 && fabs(iv[1] - 0.4) < 1e-15);
    assert_true(fabs(iv[2] - 0.6) < 1e-15 && fabs(iv[3] - 0.8) < 1e-15);
    /* along the bottom of the U at y = 3: one interval, x in [0, 30] */
    assert_int_equal(sf_polygon_clip(u_shape, 8, -10, 3, 40, 3, iv, 4), 1);
    assert_true(fabs(iv[0] - 0.2) < 1e-15 && fabs(iv[1] - 0.8) < 1e-15);
    /* diagonal through a corner only touches: not inside */
    assert_int_equal(sf_polygon_clip(square, 4, -5, 5, 5, 15, iv, 4), 0);
}

static void test_geometry_distance_to_a_zone(void **state)
{
    (void)state;
    assert_true(sf_polygon_distance(square, 4, 5, 5) == 0);
    assert_true(fabs(sf_polygon_distance(square, 4, 13, 5) - 3) < 1e-12);
    assert_true(fabs(sf_polygon_distance(square, 4, 13, 14) - 5) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_contains_inside_outside_and_boundary),
        cmocka_unit_test(test_geometry_clip_gives_exact_entry_and_exit),
        cmocka_unit_test(test_geometry_distance_to_a_zone),
    };
    return cmocka_run_group_tests_name("geometry", tests, NULL, NULL);
}
