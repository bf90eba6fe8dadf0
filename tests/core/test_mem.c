/* The allocation funnel: one block for a structure's arrays, and its failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"

struct three {
    double *d;
    char *c;
    uint64_t *u;
};

/* Every part is zeroed, aligned, inside the one block and apart from the others. */
static void test_parts_are_aligned_and_disjoint(void **state)
{
    struct three t = {0};
    char *block;

    (void)state;
    block = SF_PARTS(SF_PART(t.d, 3), SF_PART(t.c, 5), SF_PART(t.u, 2));
    assert_non_null(block);
    assert_ptr_equal(t.d, block);
    assert_true((uintptr_t)t.c % _Alignof(max_align_t) == 0);
    assert_true((uintptr_t)t.u % _Alignof(max_align_t) == 0);
    assert_true((char *)t.c >= (char *)(t.d + 3));
    assert_true((char *)t.u >= t.c + 5);
    for (int i = 0; i < 3; i++)
        assert_true(t.d[i] == 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(t.c[i], 0);
    t.d[2] = 1.5;
    memset(t.c, 'x', 5);
    t.u[0] = t.u[1] = UINT64_MAX;
    assert_true(t.d[2] == 1.5);
    assert_int_equal(t.c[4], 'x');
    free(block);
}

/* Empty parts get a pointer all the same, and a block with nothing in it is still a block. */
static void test_empty_parts(void **state)
{
    struct three t = {0};
    void *block;

    (void)state;
    block = SF_PARTS(SF_PART(t.d, 0), SF_PART(t.u, 0));
    assert_non_null(block);
    assert_non_null(t.d);
    assert_non_null(t.u);
    free(block);
}

/* A failed or overflowing request touches no pointer. */
static void test_failure_touches_nothing(void **state)
{
    struct three t = {0};

    (void)state;
    sf_mem_fail_at(1);
    assert_null(SF_PARTS(SF_PART(t.d, 3), SF_PART(t.c, 5)));
    assert_true(sf_mem_injected());
    assert_null(t.d);
    assert_null(t.c);
    assert_null(SF_PARTS(SF_PART(t.c, 16), SF_PART(t.u, SIZE_MAX / 8)));
    assert_null(SF_PARTS(SF_PART(t.u, SIZE_MAX / 16), SF_PART(t.u, SIZE_MAX / 16)));
    assert_null(t.c);
    assert_null(t.u);
}

/* SF_NEW sets the fields given and zeroes the rest; NULL when memory runs out. */
static void test_new(void **state)
{
    struct three *t;

    (void)state;
    t = SF_NEW(struct three, .c = "x");
    assert_non_null(t);
    assert_null(t->d);
    assert_string_equal(t->c, "x");
    assert_null(t->u);
    free(t);
    sf_mem_fail_at(1);
    assert_null(SF_NEW(struct three, .c = "x"));
}

/* sf_grow doubles from 8 and leaves the array alone when it cannot. */
static void test_grow(void **state)
{
    int *v = NULL;
    size_t cap = 0;

    (void)state;
    assert_int_equal(sf_grow(v, cap, 1), 0);
    assert_int_equal(cap, 8);
    v[7] = 7;
    assert_int_equal(sf_grow(v, cap, 9), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(v[7], 7);
    sf_mem_fail_at(1);
    assert_int_not_equal(sf_grow(v, cap, 17), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(v[7], 7);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_are_aligned_and_disjoint),
        cmocka_unit_test(test_empty_parts),
        cmocka_unit_test(test_failure_touches_nothing),
        cmocka_unit_test(test_new),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
