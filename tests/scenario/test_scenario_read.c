/*
 * Reading YAML into the tree: places, limits and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "helpers.h"
#include "scenario/ytree.h"

/* Parse text expecting failure with exactly the problem `want`. */
static void expect_read_fails(const char *text, size_t len, const char *want)
{
    sf_ydoc doc = {0};
    sf_diags d;
    sf_diags_init(&d);
    if (sf_ydoc_parse(&doc, "t.yaml", text, len, &d))
        fail_msg("read without problems, expected: %s", want);
    expect_only(&d, want);
    sf_ydoc_close(&doc);
    sf_diags_close(&d);
}

static sf_ynode *read_ok(sf_ydoc *doc, const char *text)
{
    sf_diags d;
    sf_diags_init(&d);
    if (!sf_ydoc_parse(doc, "t.yaml", text, strlen(text), &d)) {
        dump_diags(&d);
        fail_msg("should read");
    }
    sf_diags_close(&d);
    return doc->root;
}

static void test_read_keeps_line_and_column_of_every_value(void **state)
{
    sf_ydoc doc = {0};
    sf_ynode *root, *list, *item;
    (void)state;
    root = read_ok(&doc, "# comment\nlayout:\n  nodes:\n    - {name: a, at: [1, 2.5]}\n    - name: 'b'\n");
    assert_int_equal(root->kind, SF_YMAP);
    assert_int_equal(root->keys[0]->line, 2);
    assert_int_equal(root->keys[0]->col, 1);
    list = sf_ynode_get(sf_ynode_get(root, "layout", NULL), "nodes", NULL);
    assert_non_null(list);
    assert_int_equal(list->kind, SF_YSEQ);
    assert_int_equal(list->line, 4);
    assert_int_equal(list->col, 5);
    item = sf_ynode_get(list->items[0], "at", NULL);
    assert_int_equal(item->items[1]->line, 4);
    assert_int_equal(item->items[1]->col, 25);
    assert_string_equal(item->items[1]->text, "2.5");
    item = sf_ynode_get(list->items[1], "name", NULL);
    assert_int_equal(item->line, 5);
    assert_int_equal(item->col, 13);
    assert_false(item->plain);
    assert_string_equal(item->file, "t.yaml");
    sf_ydoc_close(&doc);
}

static void test_read_keeps_yaml11_words_as_text(void **state)
{
    sf_ydoc doc = {0};
    sf_ynode *root;
    (void)state;
    root = read_ok(&doc, "a: no\nb: on\nc: 0755\nd: 06:00\ne: ~\nf: '~'\ng:\n");
    assert_string_equal(sf_ynode_get(root, "a", NULL)->text, "no");
    assert_string_equal(sf_ynode_get(root, "b", NULL)->text, "on");
    assert_string_equal(sf_ynode_get(root, "c", NULL)->text, "0755");
    assert_string_equal(sf_ynode_get(root, "d", NULL)->text, "06:00");
    assert_true(sf_ynode_is_null(sf_ynode_get(root, "e", NULL)));
    assert_false(sf_ynode_is_null(sf_ynode_get(root, "f", NULL)));
    assert_true(sf_ynode_is_null(sf_ynode_get(root, "g", NULL)));
    sf_ydoc_close(&doc);
}

static void test_read_rejects_an_empty_file(void **state)
{
    (void)state;
    const char *msg = "t.yaml:1:1: the file is empty; a scenario is a mapping with at least a 'scenario' section";
    expect_read_fails("", 0, msg);
    expect_read_fails("# only a comment\n\n", 18, msg);
    expect_read_fails("~\n", 2, msg);
    expect_read_fails("---\n...\n", 8, msg);
}

static void test_read_rejects_duplicate_keys_at_the_second(void **state)
{
    (void)state;
    expect_read_fails("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", 27, "t.yaml:5:3: duplicate key 'x' (first given at line 3)");
}

static void test_read_finds_duplicates_in_large_mappings(void **state)
{
    size_t n = 5000, cap = n * 16 + 64, len = 0;
    char *text = malloc(cap);
    (void)state;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "k%zu: %zu\n", i, i);
    len += (size_t)snprintf(text + len, cap - len, "k17: again\n");
    expect_read_fails(text, len, "t.yaml:5001:1: duplicate key 'k17' (first given at line 18)");
    free(text);
}

static void test_read_rejects_a_self_referencing_alias(void **state)
{
    (void)state;
    expect_read_fails("a: &x [1, *x]\n", 14, "t.yaml:1:11: alias '*x' refers to a value that contains it");
    expect_read_fails("a: &m {k: *m}\n", 14, "t.yaml:1:11: alias '*m' refers to a value that contains it");
}

static void test_read_rejects_an_undefined_alias(void **state)
{
    (void)state;
    expect_read_fails("a: *nothing\n", 12, "t.yaml:1:4: alias '*nothing' has no anchor '&' before it");
}

/* The "billion laughs": nine levels of nine aliases would be 387 million values. */
static void test_read_rejects_an_alias_expansion_bomb_quickly(void **state)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "l0: &l0 [x, x, x, x, x, x, x, x, x]\n");
    clock_t t0 = clock();
    (void)state;
    for (int i = 1; i < 10; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i - 1,
                                i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    expect_read_fails(text, len, "t.yaml:6:10: aliases expand to more than 100000 nodes (an alias expansion bomb?)");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

/* A redefined anchor takes over its name, even inside the value that first had it. */
static void test_read_redefined_anchors_take_over_the_name(void **state)
{
    sf_ydoc doc = {0};
    sf_ynode *root, *a;
    (void)state;
    root = read_ok(&doc, "a: &x 1\nb: &x [&x 2, *x]\nc: *x\n");
    a = sf_ynode_get(root, "b", NULL);
    assert_int_equal(a->n, 2);
    assert_string_equal(a->items[1]->text, "2");
    assert_string_equal(sf_ynode_get(root, "c", NULL)->text, "2");
    sf_ydoc_close(&doc);
}

/* Anchors live in a hash table: a file with 100000 of them reads in a moment, not in half a minute. */
static void test_read_many_anchors_in_bounded_time(void **state)
{
    size_t n = 100000, cap = n * 24 + 64, len = 0;
    char *text = malloc(cap);
    sf_ydoc doc = {0};
    clock_t t0;
    (void)state;
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "x:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "  - &a%zu v%zu\n", i, i);
    len += (size_t)snprintf(text + len, cap - len, "y: [*a0, *a99999, *a4242]\n");
    t0 = clock();
    read_ok(&doc, text);
    assert_string_equal(sf_ynode_get(doc.root, "y", NULL)->items[2]->text, "v4242");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 10.0);
    sf_ydoc_close(&doc);
    free(text);
}

static void test_read_allows_64_levels_and_rejects_65(void **state)
{
    char text[200];
    sf_ydoc doc = {0};
    (void)state;
    memset(text, 0, sizeof text);
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    read_ok(&doc, text);
    sf_ydoc_close(&doc);
    memset(text, 0, sizeof text);
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    expect_read_fails(text, 130, "t.yaml:1:65: nesting deeper than 64 levels");
}

/* A deep nest far past the limit stops at level 65, not after reading it all. */
static void test_read_stops_a_very_deep_nest_at_the_limit(void **state)
{
    size_t n = 1000000;
    char *text = malloc(n);
    (void)state;
    assert_non_null(text);
    memset(text, '[', n);
    expect_read_fails(text, n, "t.yaml:1:65: nesting deeper than 64 levels");
    free(text);
}

static void test_read_rejects_a_value_over_1_mib(void **state)
{
    size_t n = (1u << 20) + 1;
    char *text = malloc(n + 8);
    (void)state;
    assert_non_null(text);
    memcpy(text, "a: ", 3);
    memset(text + 3, 'x', n);
    text[n + 3] = '\n';
    expect_read_fails(text, n + 4, "t.yaml:1:4: value longer than 1 MiB");
    /* Exactly 1 MiB is allowed. */
    {
        sf_ydoc doc = {0};
        sf_diags d;
        sf_diags_init(&d);
        text[(1u << 20) + 3] = '\n';
        assert_true(sf_ydoc_parse(&doc, "t.yaml", text, (1u << 20) + 4, &d));
        assert_int_equal(sf_ynode_get(doc.root, "a", NULL)->len, 1u << 20);
        sf_ydoc_close(&doc);
        sf_diags_close(&d);
    }
    free(text);
}

static void test_read_rejects_a_file_over_16_mib(void **state)
{
    size_t n = (16u << 20) + 1;
    char *text = malloc(n);
    (void)state;
    assert_non_null(text);
    memset(text, ' ', n);
    expect_read_fails(text, n, "t.yaml: file larger than 16 MiB");
    free(text);
}

static void test_read_rejects_binary_garbage(void **state)
{
    unsigned char junk[256];
    (void)state;
    for (int i = 0; i < 256; i++)
        junk[i] = (unsigned char)(255 - i);
    expect_read_fails((const char *)junk, sizeof junk, "t.yaml:1:1: not a text file: invalid leading UTF-8 octet at byte 0");
    expect_read_fails("a: 1\nb: \x01\n", 10, "t.yaml:2:4: not a text file: control characters are not allowed at byte 8");
}

static void test_read_reports_syntax_errors_with_their_place(void **state)
{
    (void)state;
    expect_read_fails("a: [1, 2\nb: 3\n", 14,
                      "t.yaml:2:2: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence (line 1)");
    expect_read_fails("a:\n  - 1\n  b: 2\n", 15,
                      "t.yaml:3:3: YAML syntax: did not find expected '-' indicator while parsing a block collection (line 2)");
}

static void test_read_rejects_a_second_document(void **state)
{
    (void)state;
    expect_read_fails("a: 1\n---\nb: 2\n", 14, "t.yaml:2:1: a scenario file holds one document; found a second one here");
}

static void test_read_rejects_a_key_that_is_not_a_single_value(void **state)
{
    (void)state;
    expect_read_fails("? [a, b]\n: 1\n", 12, "t.yaml:1:3: a key must be a single value, not a list");
}

static void test_read_applies_merge_keys_without_overriding(void **state)
{
    sf_ydoc doc = {0};
    sf_ynode *root, *t;
    (void)state;
    root = read_ok(&doc, "base: &b {speed: 1 m/s, count: 2}\n"
                         "truck:\n  <<: *b\n  count: 5\n");
    t = sf_ynode_get(root, "truck", NULL);
    assert_int_equal(t->n, 2);
    assert_string_equal(sf_ynode_get(t, "count", NULL)->text, "5");
    assert_string_equal(sf_ynode_get(t, "speed", NULL)->text, "1 m/s");
    assert_null(sf_ynode_get(t, "<<", NULL));
    sf_ydoc_close(&doc);
    expect_read_fails("a:\n  <<: 3\n", 11, "t.yaml:2:7: '<<' merges a mapping or a list of mappings, not a single value");
}

/* An anchor on the merged mapping itself still names the whole mapping afterwards (the fuzzer found a use after free here). */
static void test_read_merge_keys_keep_anchored_values_whole(void **state)
{
    sf_ydoc doc = {0};
    sf_ynode *root, *t, *u;
    (void)state;
    root = read_ok(&doc, "t:\n  <<: &b {kind: agv, count: 1}\n  count: 2\n"
                         "u: *b\n"
                         "v:\n  <<: [&c {a: 1}, {a: 2, b: 2}]\n"
                         "w: *c\n");
    t = sf_ynode_get(root, "t", NULL);
    assert_int_equal(t->n, 2);
    assert_string_equal(sf_ynode_get(t, "count", NULL)->text, "2");
    assert_string_equal(sf_ynode_get(t, "kind", NULL)->text, "agv");
    u = sf_ynode_get(root, "u", NULL);
    assert_int_equal(u->n, 2);
    assert_string_equal(sf_ynode_get(u, "count", NULL)->text, "1");
    u = sf_ynode_get(root, "v", NULL);
    assert_string_equal(sf_ynode_get(u, "a", NULL)->text, "1");
    assert_string_equal(sf_ynode_get(u, "b", NULL)->text, "2");
    assert_int_equal(sf_ynode_get(root, "w", NULL)->n, 1);
    sf_ydoc_close(&doc);
}

static void test_read_file_reports_a_missing_file(void **state)
{
    sf_ydoc doc = {0};
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_false(sf_ydoc_read(&doc, "/nonexistent/x.yaml", &d));
    expect_only(&d, "/nonexistent/x.yaml: cannot open: No such file or directory");
    sf_ydoc_close(&doc);
    sf_diags_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_keeps_line_and_column_of_every_value),
        cmocka_unit_test(test_read_keeps_yaml11_words_as_text),
        cmocka_unit_test(test_read_rejects_an_empty_file),
        cmocka_unit_test(test_read_rejects_duplicate_keys_at_the_second),
        cmocka_unit_test(test_read_finds_duplicates_in_large_mappings),
        cmocka_unit_test(test_read_rejects_a_self_referencing_alias),
        cmocka_unit_test(test_read_rejects_an_undefined_alias),
        cmocka_unit_test(test_read_rejects_an_alias_expansion_bomb_quickly),
        cmocka_unit_test(test_read_redefined_anchors_take_over_the_name),
        cmocka_unit_test(test_read_many_anchors_in_bounded_time),
        cmocka_unit_test(test_read_allows_64_levels_and_rejects_65),
        cmocka_unit_test(test_read_stops_a_very_deep_nest_at_the_limit),
        cmocka_unit_test(test_read_rejects_a_value_over_1_mib),
        cmocka_unit_test(test_read_rejects_a_file_over_16_mib),
        cmocka_unit_test(test_read_rejects_binary_garbage),
        cmocka_unit_test(test_read_reports_syntax_errors_with_their_place),
        cmocka_unit_test(test_read_rejects_a_second_document),
        cmocka_unit_test(test_read_rejects_a_key_that_is_not_a_single_value),
        cmocka_unit_test(test_read_applies_merge_keys_without_overriding),
        cmocka_unit_test(test_read_merge_keys_keep_anchored_values_whole),
        cmocka_unit_test(test_read_file_reports_a_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
