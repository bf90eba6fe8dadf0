/*
 * test_sandbox.c: what a script cannot reach, where it may load modules
 * from, and the two limits (instructions per resume, memory).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "script/lua_harness.h"

static void test_unsafe_libraries_are_absent(void **state)
{
    harness h = harness_run("assert(io == nil and os == nil and debug == nil and package == nil)\n"
                            "assert(dofile == nil and loadfile == nil)\n"
                            "assert(string.dump == nil and ('').dump == nil)\n"
                            "assert(getmetatable('') == 'locked')\n"
                            "assert(getmetatable(sim.rng('a')) == 'locked')\n"
                            "assert(not pcall(math.randomseed, 1))\n"
                            "local f, err = load(string.char(27) .. 'Lua')\n"
                            "assert(f == nil and err)\n"
                            "assert(load('return 1', 'x', 'b') == nil)\n"
                            "assert(load('return 1', 'x', 'bt') == nil)\n"
                            "assert(load('return 1 + 1')() == 2)\n"
                            "assert(load('return v', 'x', 't', {v = 7})() == 7)\n"
                            "assert(not pcall(require, 'os'))\n"
                            "assert(not pcall(require, '../secret'))\n"
                            "assert(not pcall(require, '/etc/passwd'))\n"
                            "assert(not pcall(setmetatable, {}, {__gc = function() while true do end end}))\n"
                            "local mt = {}\n"
                            "assert(getmetatable(setmetatable({}, mt)) == mt)\n",
                            SF_TIME_MAX, NULL);

    (void)state;
    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    harness_close(&h);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Modules load from the model's folder and the scripts folder, nowhere else. */
static void test_require_loads_from_model_and_scripts_folders_only(void **state)
{
    char root[] = "/tmp/sf_sandbox_XXXXXX", path[512], scripts[512], model[512];
    sf_kernel *k;
    sf_script *S;
    sf_script_options o = {.seed = 1};
    int rc;

    (void)state;
    assert_non_null(mkdtemp(root));
    snprintf(path, sizeof path, "%s/model", root);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/model/lib", root);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(scripts, sizeof scripts, "%s/scripts", root);
    assert_int_equal(mkdir(scripts, 0700), 0);
    snprintf(path, sizeof path, "%s/model/lib/rules.lua", root);
    write_text(path, "return {answer = 42}\n");
    snprintf(path, sizeof path, "%s/scripts/dispatch.lua", root);
    write_text(path, "return function() return 'nearest' end\n");
    snprintf(path, sizeof path, "%s/outside.lua", root);
    write_text(path, "return 1\n");
    snprintf(model, sizeof model, "%s/model/model.lua", root);
    write_text(model, "local rules = require('lib.rules')\n"
                      "assert(rules.answer == 42 and require('lib.rules') == rules)\n"
                      "assert(require('dispatch')() == 'nearest')\n"
                      "local ok, err = pcall(require, 'outside')\n"
                      "assert(not ok and err:find('not found'), err)\n"
                      "assert(not pcall(require, '..outside'))\n");
    o.scripts_dir = scripts;
    k = sf_kernel_new();
    S = sf_script_new(k, &o);
    rc = sf_script_load_file(S, model);
    if (rc == SF_OK)
        rc = sf_script_run(S, SF_TIME_MAX);
    if (rc != SF_OK)
        fail_msg("%s", sf_script_error(S));
    sf_script_free(S);
    sf_kernel_free(k);
    snprintf(path, sizeof path, "rm -r '%s'", root);
    assert_int_equal(system(path), 0);
}

static void test_budget_stops_a_runaway_loop_even_inside_pcall(void **state)
{
    sf_script_options o = {.seed = 1, .budget = 1000000};
    harness h = harness_run("sim.spawn('spinner', function()\n"
                            "  sim.wait(5025)\n"
                            "  while true do\n"
                            "    pcall(function() while true do end end)\n"
                            "  end\n"
                            "end)\n"
                            "sim.tally('kept'):add(1)\n",
                            SF_TIME_MAX, &o);
    sf_script_stats st;

    (void)state;
    assert_int_equal(h.rc, SF_ELIMIT);
    assert_non_null(strstr(sf_script_error(h.S), "model.lua:4: behaviour 'spinner' ran 1000000 instructions without "
                                                 "yielding (t = 01:23:45)"));
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "kept", &st));
    harness_close(&h);
}

/* Inside a C call that cannot yield (a sort comparator), the hook raises until the error escapes every pcall. */
static void test_budget_stops_a_runaway_where_yielding_is_impossible(void **state)
{
    sf_script_options o = {.seed = 1, .budget = 100000};
    harness h = harness_run("sim.spawn('sorter', function()\n"
                            "  sim.wait(1)\n"
                            "  while true do\n"
                            "    pcall(table.sort, {3, 2, 1, 5, 4}, function(a, b) while true do end end)\n"
                            "  end\n"
                            "end)\n",
                            SF_TIME_MAX, &o);

    (void)state;
    assert_int_equal(h.rc, SF_ELIMIT);
    assert_non_null(strstr(sf_script_error(h.S), "behaviour 'sorter' ran 100000 instructions without yielding "
                                                 "(t = 00:00:01)"));
    harness_close(&h);
}

/*
 * The budget stops a script at the same instruction with either Lua the
 * build may use (the packaged library, or the source with the count hook
 * that skips luaG_traceexec until it is due). A budget of 100,000 gives a
 * hook call every 6,250 instructions of the thread; the 17th is the first
 * past the budget: 106,250 instructions. The loop takes 5 a turn (MOVE,
 * MOVE, MOVE, CALL, FORLOOP); 10 lie outside whole turns (the wait before
 * the loop, the loop's set-up, the start of the turn cut short):
 * (106,250 - 10) / 5 = 21,248 turns.
 */
static void test_budget_stops_at_the_same_instruction(void **state)
{
    sf_script_options o = {.seed = 1, .budget = 100000};
    harness h = harness_run("local t = sim.tally('turns')\n"
                            "local add = t.add\n"
                            "sim.spawn('counter', function()\n"
                            "  sim.wait(1)\n"
                            "  for i = 1, 1e9 do add(t, i) end\n"
                            "end)\n",
                            SF_TIME_MAX, &o);
    sf_script_stats st;

    (void)state;
    assert_int_equal(h.rc, SF_ELIMIT);
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "turns", &st));
    assert_int_equal(st.n, 21248);
    harness_close(&h);
}

/* A generous budget does not trip on ordinary work spread over many resumes. */
static void test_budget_counts_per_resume(void **state)
{
    sf_script_options o = {.seed = 1, .budget = 100000};
    harness h = harness_run("for i = 1, 200 do\n"
                            "  local x = 0\n"
                            "  for j = 1, 2000 do x = x + j end\n"
                            "  sim.wait(1)\n"
                            "end\n",
                            SF_TIME_MAX, &o);

    (void)state;
    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    harness_close(&h);
}

static void test_memory_cap_gives_a_clear_error(void **state)
{
    sf_script_options o = {.seed = 1, .memory_limit = 8u << 20};
    harness h = harness_run("sim.spawn('hoarder', function()\n"
                            "  sim.wait(2)\n"
                            "  local t = {}\n"
                            "  for i = 1, 1e9 do t[i] = {i} end\n"
                            "end)\n",
                            SF_TIME_MAX, &o);

    (void)state;
    assert_int_equal(h.rc, SF_ELIMIT);
    assert_non_null(strstr(sf_script_error(h.S), "behaviour 'hoarder' exceeded the memory limit of 8388608 bytes "
                                                 "(t = 00:00:02)"));
    assert_true(sf_script_memory(h.S) < (9u << 20)); /* the report may add a little past the cap */
    harness_close(&h);
}

/* A string too large to build is caught too, also inside pcall, and the run still fails clearly. */
static void test_memory_cap_holds_inside_pcall(void **state)
{
    sf_script_options o = {.seed = 1, .memory_limit = 4u << 20};
    harness h = harness_run("local ok = pcall(string.rep, 'x', 64 * 1024 * 1024)\n"
                            "assert(not ok)\n"
                            "sim.tally('after'):add(1)\n",
                            SF_TIME_MAX, &o);
    sf_script_stats st;

    (void)state;
    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "after", &st));
    harness_close(&h);
}

/*
 * Sweep the memory cap across the range where the model runs out at
 * every point of its life (loading, spawning, events, stores, reports):
 * each run either finishes or fails with a clear message; none crashes.
 */
/* Spawning until the cap (each process's thread is about 1.2 kB) names the spawner and the limit. */
static void test_memory_cap_stops_a_process_spawning_without_end(void **state)
{
    sf_script_options o = {.seed = 1, .memory_limit = 4u << 20};
    harness h = harness_run("sim.spawn('breeder', function()\n"
                            "  sim.wait(3)\n"
                            "  while true do sim.spawn(function() sim.wait(1e9) end) end\n"
                            "end)\n",
                            SF_TIME_MAX, &o);

    (void)state;
    assert_int_equal(h.rc, SF_ELIMIT);
    assert_non_null(strstr(sf_script_error(h.S), "behaviour 'breeder' exceeded the memory limit of 4194304 bytes "
                                                 "(t = 00:00:03)"));
    assert_true(sf_script_processes(h.S) > 1000);
    harness_close(&h);
}

static void test_memory_cap_swept_never_crashes(void **state)
{
    const char *src = "local s = sim.store{name = 'parts'}\n"
                      "local r = sim.resource{capacity = 2, name = 'cell'}\n"
                      "local done = sim.event('done')\n"
                      "local t = sim.tally('lead')\n"
                      "for i = 1, 200 do\n"
                      "  sim.spawn('worker ' .. i, function(k)\n"
                      "    r:acquire(); sim.wait(1); s:put({id = k, tag = string.rep('x', k)}); r:release()\n"
                      "    t:add(sim.now())\n"
                      "    if k == 200 then done:succeed(k) end\n"
                      "  end, i)\n"
                      "end\n"
                      "assert(done:wait() == 200)\n"
                      "while s:count() > 0 do s:get() end\n";
    int finished = 0, limited = 0;

    (void)state;
    for (size_t cap = 16 << 10; cap <= 640 << 10; cap += 4 << 10) {
        sf_script_options o = {.seed = 1, .memory_limit = cap};
        harness h = harness_run(src, SF_TIME_MAX, &o);
        if (!h.S) {
            sf_kernel_free(h.k);
            continue; /* the cap is below what an empty state needs */
        }
        if (h.rc == SF_OK) {
            finished++;
        } else {
            if (h.rc != SF_ELIMIT && h.rc != SF_ESCRIPT)
                fail_msg("cap %zu: unexpected code %d: %s", cap, h.rc, sf_script_error(h.S));
            if (!strstr(sf_script_error(h.S), "memory"))
                fail_msg("cap %zu: the message does not say memory: %s", cap, sf_script_error(h.S));
            limited++;
        }
        harness_close(&h);
    }
    assert_true(limited > 0);
    assert_true(finished > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsafe_libraries_are_absent),
        cmocka_unit_test(test_require_loads_from_model_and_scripts_folders_only),
        cmocka_unit_test(test_budget_stops_a_runaway_loop_even_inside_pcall),
        cmocka_unit_test(test_budget_stops_a_runaway_where_yielding_is_impossible),
        cmocka_unit_test(test_budget_stops_at_the_same_instruction),
        cmocka_unit_test(test_budget_counts_per_resume),
        cmocka_unit_test(test_memory_cap_gives_a_clear_error),
        cmocka_unit_test(test_memory_cap_holds_inside_pcall),
        cmocka_unit_test(test_memory_cap_stops_a_process_spawning_without_end),
        cmocka_unit_test(test_memory_cap_swept_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
