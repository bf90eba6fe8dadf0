/*
 * What-if overlays (`extends`) and `--set`: the merge rules, and that a
 * problem in a merged value is reported in the file that wrote it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/time.h"
#include "helpers.h"

static char dir[256];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sf_overlay_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int remove_dir(void **state)
{
    const char *names[] = {"base.yaml", "over.yaml", "over2.yaml", "a.yaml", "b.yaml", "bad.yaml"};
    char path[512];
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

/* Load dir/name with settings; the problems land in d. */
static sf_scenario_config *load(const char *name, const char *const *sets, size_t n, sf_diags *d)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sf_scenario_load(path, sets, n, d);
}

static sf_scenario_config *load_good(const char *name, const char *const *sets, size_t n)
{
    sf_diags d;
    sf_scenario_config *c;
    sf_diags_init(&d);
    if (!(c = load(name, sets, n, &d))) {
        dump_diags(&d);
        fail_msg("%s should load", name);
    }
    sf_diags_close(&d);
    return c;
}

/* Expect the load to fail with exactly `want`, where "DIR" stands for the temporary folder. */
static void load_bad(const char *name, const char *const *sets, size_t n, const char *want)
{
    sf_diags d;
    char full[1024];
    const char *at = strstr(want, "DIR");
    if (at)
        snprintf(full, sizeof full, "%.*s%s%s", (int)(at - want), want, dir, at + 3);
    else
        snprintf(full, sizeof full, "%s", want);
    sf_diags_init(&d);
    assert_null(load(name, sets, n, &d));
    expect_only(&d, full);
    sf_diags_close(&d);
}

static void put_base(void)
{
    put("base.yaml", BASE "  - {name: truck, kind: agv, count: 1, home: a, speed: 2 m/s, skills: [tow]}\n"
                          "outputs: {dir: out, trace: yes}\n");
}

static void test_overlay_maps_merge_and_named_lists_merge_by_name(void **state)
{
    sf_scenario_config *c;
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\n"
                     "scenario: {seed: 7}\n"
                     "layout:\n"
                     "  nodes: [{name: c, at: [20, 0]}, {name: b, at: [12, 0]}]\n"
                     "fleet:\n"
                     "  - {name: truck, count: 3}\n"
                     "  - {name: op, count: 4}\n"
                     "  - {name: truck, speed: 2.5 m/s}\n");
    c = load_good("over.yaml", NULL, 0);
    assert_string_equal(c->scenario.name, "t");
    assert_int_equal(c->scenario.seed, 7);
    assert_int_equal(c->scenario.horizon, 8 * SF_HOUR);
    assert_int_equal(c->layout.n_nodes, 3);
    assert_string_equal(c->layout.nodes[1].name, "b");
    assert_true(c->layout.nodes[1].x == 12);
    assert_string_equal(c->layout.nodes[2].name, "c");
    assert_int_equal(c->fleet.n_types, 2);
    assert_int_equal(c->fleet.types[0].count, 4);
    assert_int_equal(c->fleet.types[1].count, 3);
    assert_true(c->fleet.types[1].speed == 2.5);
    assert_int_equal(c->fleet.types[1].n_skills, 1);
    assert_true(c->outputs.trace);
    sf_scenario_config_free(c);
}

static void test_overlay_mapping_form_and_tilde_delete(void **state)
{
    sf_scenario_config *c;
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\n"
                     "fleet:\n"
                     "  truck: ~\n"
                     "  picker: {kind: humanoid, count: 2, home: b, speed: 1 m/s}\n"
                     "outputs:\n"
                     "  trace: ~\n");
    c = load_good("over.yaml", NULL, 0);
    assert_int_equal(c->fleet.n_types, 2);
    assert_string_equal(c->fleet.types[0].name, "op");
    assert_string_equal(c->fleet.types[1].name, "picker");
    assert_int_equal(c->fleet.types[1].kind, SF_AGENT_HUMANOID);
    assert_false(c->outputs.trace);
    assert_string_equal(c->outputs.dir, "out");
    sf_scenario_config_free(c);
}

static void test_overlay_lists_without_names_are_replaced(void **state)
{
    sf_scenario_config *c;
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\n"
                     "layout:\n"
                     "  segments: [{path: [a, b], two_way: false}]\n");
    c = load_good("over.yaml", NULL, 0);
    assert_int_equal(c->layout.n_segments, 1);
    assert_int_equal(c->layout.segments[0].from, 0);
    assert_false(c->layout.segments[0].two_way);
    sf_scenario_config_free(c);
}

static void test_overlay_overlays_chain(void **state)
{
    sf_scenario_config *c;
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\nscenario: {seed: 7}\nfleet: {truck: {count: 4}}\n");
    put("over2.yaml", "extends: over.yaml\nscenario: {seed: 9}\n");
    c = load_good("over2.yaml", NULL, 0);
    assert_int_equal(c->scenario.seed, 9);
    assert_int_equal(c->fleet.types[1].count, 4);
    sf_scenario_config_free(c);
}

/* A bad value is reported where it was written: here, the overlay, not the base. */
static void test_overlay_problems_name_the_file_that_wrote_them(void **state)
{
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\nfleet:\n  truck: {speed: 3 kW}\n");
    load_bad("over.yaml", NULL, 0, "DIR/over.yaml:3:18: speed: expected a speed, got '3 kW'");
    put("over.yaml", "extends: base.yaml\nfleet:\n  truck: {count: 2}\n  op: {home: zz}\n");
    load_bad("over.yaml", NULL, 0, "DIR/over.yaml:4:14: node 'zz' is not defined; defined: a, b");
}

static void test_overlay_cycles_and_missing_bases_are_reported(void **state)
{
    sf_diags d;
    (void)state;
    put("a.yaml", "extends: b.yaml\n");
    put("b.yaml", "extends: a.yaml\n");
    sf_diags_init(&d);
    assert_null(load("a.yaml", NULL, 0, &d));
    {
        char want[1024];
        snprintf(want, sizeof want, "%s/b.yaml:1:10: 'extends: a.yaml' makes a cycle: %s/a.yaml extends itself", dir,
                 dir);
        expect_diag(&d, want);
        snprintf(want, sizeof want, "%s/a.yaml:1:10: the scenario this file extends, 'b.yaml', has problems", dir);
        expect_diag(&d, want);
    }
    sf_diags_close(&d);
    put("over.yaml", "extends: nowhere.yaml\n");
    sf_diags_init(&d);
    assert_null(load("over.yaml", NULL, 0, &d));
    {
        char want[1024];
        snprintf(want, sizeof want, "%s/nowhere.yaml: cannot open: No such file or directory", dir);
        expect_diag(&d, want);
    }
    sf_diags_close(&d);
    put("over.yaml", "extends: [base.yaml]\n");
    load_bad("over.yaml", NULL, 0, "DIR/over.yaml:1:10: 'extends' names one scenario file, not a list");
}

static void test_overlay_extends_is_refused_for_text_from_memory(void **state)
{
    sf_diags d;
    (void)state;
    sf_diags_init(&d);
    assert_null(sf_scenario_doc_parse("t.yaml", "extends: /etc/passwd\n", 21, false, &d));
    expect_only(&d, "t.yaml:1:10: 'extends' is not allowed here");
    sf_diags_close(&d);
}

static void test_overlay_from_memory_merges_and_refuses_extends(void **state)
{
    sf_diags d;
    sf_scenario_doc *doc;
    sf_scenario_config *c;
    const char *over = "fleet:\n  op: {count: 5}\n  op2: {kind: worker, count: 1, home: b, speed: 1}\n";
    (void)state;
    sf_diags_init(&d);
    doc = sf_scenario_doc_parse("t.yaml", BASE, strlen(BASE), false, &d);
    assert_non_null(doc);
    assert_true(sf_scenario_doc_overlay(doc, "o.yaml", over, strlen(over), &d));
    c = sf_scenario_doc_validate(doc, &d);
    assert_non_null(c);
    assert_int_equal(c->fleet.n_types, 2);
    assert_int_equal(c->fleet.types[0].count, 5);
    assert_string_equal(c->fleet.types[1].name, "op2");
    assert_string_equal(c->fleet.types[1].at.file, "o.yaml");
    sf_scenario_config_free(c);
    assert_false(sf_scenario_doc_overlay(doc, "o2.yaml", "extends: t.yaml\n", 16, &d));
    expect_only(&d, "o2.yaml:1:10: 'extends' is not allowed here");
    sf_scenario_doc_free(doc);
    sf_diags_close(&d);
}

static void test_set_is_typed_and_validated_as_the_file_is(void **state)
{
    sf_scenario_config *c;
    const char *good[] = {"fleet.truck.count=6", "scenario.horizon=2 h", "outputs.formats=[html]",
                          "layout.nodes.b.at=[30, 1]", "fleet.op.skills=[pick, pack]"};
    (void)state;
    put_base();
    c = load_good("base.yaml", good, 5);
    assert_int_equal(c->fleet.types[1].count, 6);
    assert_int_equal(c->scenario.horizon, 2 * SF_HOUR);
    assert_int_equal(c->outputs.formats, SF_OUT_HTML);
    assert_true(c->layout.nodes[1].x == 30);
    assert_int_equal(c->fleet.types[0].n_skills, 2);
    sf_scenario_config_free(c);
    {
        const char *s[] = {"fleet.truck.count=six"};
        load_bad("base.yaml", s, 1, "--set fleet.truck.count:1:19: count: expected a whole number, got 'six'");
    }
    {
        const char *s[] = {"fleet.truck.speed=3 kW"};
        load_bad("base.yaml", s, 1, "--set fleet.truck.speed:1:19: speed: expected a speed, got '3 kW'");
    }
    {
        const char *s[] = {"fleet.truck.sped=2"};
        load_bad("base.yaml", s, 1, "--set fleet.truck.sped:1:13: unknown key 'sped' in fleet entry 'truck'; did you mean 'speed'?");
    }
    {
        const char *s[] = {"fleet.lorry.count=2"};
        load_bad("base.yaml", s, 1, "--set fleet.lorry.count:1:7: no entry named 'lorry' here; there are: op, truck");
    }
    {
        const char *s[] = {"layout.segments.3.capacity=2"};
        load_bad("base.yaml", s, 1, "--set layout.segments.3.capacity:1:17: index 3 is past the end of a list of 1 entries");
    }
    {
        const char *s[] = {"scenario.name.first=x"};
        load_bad("base.yaml", s, 1, "--set scenario.name.first:1:15: 'first' cannot be looked up in a single value (written at DIR/base.yaml:1:18)");
    }
    {
        const char *s[] = {"scenario..seed=1"};
        load_bad("base.yaml", s, 1, "--set scenario..seed:1:10: empty part in the key path 'scenario..seed'");
    }
}

static void test_set_deletes_with_tilde_and_walks_indices(void **state)
{
    sf_scenario_config *c;
    const char *sets[] = {"fleet.truck=~", "layout.segments.0.capacity=3", "outputs.trace="};
    (void)state;
    put_base();
    c = load_good("base.yaml", sets, 3);
    assert_int_equal(c->fleet.n_types, 1);
    assert_int_equal(c->layout.segments[0].capacity, 3);
    assert_false(c->outputs.trace);
    sf_scenario_config_free(c);
}

static void test_explain_prints_the_merged_document(void **state)
{
    sf_diags d;
    sf_scenario_doc *doc;
    char path[512], *buf = NULL;
    size_t len = 0;
    FILE *out;
    (void)state;
    put_base();
    put("over.yaml", "extends: base.yaml\nfleet: {truck: {count: 3}}\nscenario: {name: 'no'}\n");
    snprintf(path, sizeof path, "%s/over.yaml", dir);
    sf_diags_init(&d);
    assert_non_null(doc = sf_scenario_doc_load(path, &d));
    assert_true(sf_scenario_doc_set(doc, "outputs.dir=elsewhere", &d));
    out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(sf_scenario_doc_explain(doc, out), 0);
    fclose(out);
    assert_non_null(strstr(buf, "count: 3\n"));
    assert_non_null(strstr(buf, "name: 'no'\n"));
    assert_non_null(strstr(buf, "dir: elsewhere\n"));
    assert_null(strstr(buf, "extends"));
    assert_non_null(strstr(buf, "over.yaml, --set outputs.dir\n"));
    /* What --explain prints reads back to the same scenario. */
    {
        const char *body = strchr(buf, '\n') + 1;
        sf_scenario_doc *again = sf_scenario_doc_parse("explained.yaml", body, strlen(body), false, &d);
        sf_scenario_config *c;
        assert_non_null(again);
        c = sf_scenario_doc_validate(again, &d);
        if (!c)
            dump_diags(&d);
        assert_non_null(c);
        assert_string_equal(c->scenario.name, "no");
        assert_int_equal(c->fleet.types[1].count, 3);
        assert_string_equal(c->outputs.dir, "elsewhere");
        sf_scenario_config_free(c);
        sf_scenario_doc_free(again);
    }
    free(buf);
    sf_scenario_doc_free(doc);
    sf_diags_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_maps_merge_and_named_lists_merge_by_name),
        cmocka_unit_test(test_overlay_mapping_form_and_tilde_delete),
        cmocka_unit_test(test_overlay_lists_without_names_are_replaced),
        cmocka_unit_test(test_overlay_overlays_chain),
        cmocka_unit_test(test_overlay_problems_name_the_file_that_wrote_them),
        cmocka_unit_test(test_overlay_cycles_and_missing_bases_are_reported),
        cmocka_unit_test(test_overlay_extends_is_refused_for_text_from_memory),
        cmocka_unit_test(test_overlay_from_memory_merges_and_refuses_extends),
        cmocka_unit_test(test_set_is_typed_and_validated_as_the_file_is),
        cmocka_unit_test(test_set_deletes_with_tilde_and_walks_indices),
        cmocka_unit_test(test_explain_prints_the_merged_document),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
