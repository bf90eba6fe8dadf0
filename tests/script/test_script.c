/*
 * test_script.c: the Lua process API: time, processes, interrupts,
 * events, resources, stores, containers, random streams, statistics,
 * errors and deadlocks. Each model checks its own facts with assert();
 * a failed assert fails the run, and the test shows its message.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "script/lua_harness.h"

static void expect_ok(const char *src)
{
    harness h = harness_run(src, SF_TIME_MAX, NULL);

    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    harness_close(&h);
}

static void test_wait_takes_seconds_and_unit_strings(void **state)
{
    (void)state;
    expect_ok("assert(sim.now() == 0)\n"
              "sim.wait(5); assert(sim.now() == 5)\n"
              "sim.wait('2 min'); assert(sim.now() == 125)\n"
              "sim.wait('250 ms'); assert(math.abs(sim.now() - 125.25) < 1e-12)\n"
              "sim.wait(0); assert(sim.now() == 125.25)\n"
              "assert(not pcall(sim.wait, -1))\n"
              "assert(not pcall(sim.wait, '3 kg'))\n");
}

static void test_spawn_passes_arguments_and_join_returns_results(void **state)
{
    (void)state;
    expect_ok("local p = sim.spawn('worker', function(a, b) sim.wait(10); return a + b, 'done' end, 2, 3)\n"
              "assert(p:is_alive() and p:name() == 'worker')\n"
              "local x, y = p:join()\n"
              "assert(x == 5 and y == 'done' and sim.now() == 10)\n"
              "assert(not p:is_alive())\n"
              "assert(p:join() == 5)\n"
              "local q = sim.spawn(function() sim.wait(100) end)\n"
              "local r, why = q:join(3)\n"
              "assert(r == nil and why == 'timeout' and sim.now() == 13)\n");
}

/*
 * sim.start makes no handle until one is asked for. The slot of an ended
 * process is reused by the next one; its old handle must not reach the
 * new occupant: not alive, its own results, an interrupt refused, and
 * the new process's own handle (made by sim.self) is another one.
 */
static void test_start_makes_no_handle_and_a_reused_slot_stays_apart(void **state)
{
    (void)state;
    expect_ok("local a = sim.spawn(function() sim.wait(1); return 7 end)\n"
              "assert(sim.start(function() end) == nil)\n"
              "sim.wait(2)\n"
              "local me, hit\n"
              "sim.start(function()\n"
              "  me = sim.self()\n"
              "  local ok, e = pcall(sim.wait, 5)\n"
              "  hit = not ok\n"
              "  return 'b'\n"
              "end)\n"
              "sim.start('named', function() sim.wait(1); assert(sim.self():name() == 'named') end)\n"
              "sim.wait(1)\n"
              "assert(me ~= a and me == me and me:is_alive() and not a:is_alive())\n"
              "assert(me:name() == 'process 4', me:name())\n"
              "assert(a:join() == 7 and a:name() == 'process 2')\n"
              "assert(a:interrupt('poke') == false)\n"
              "sim.wait(10)\n"
              "assert(hit == false and not me:is_alive() and me:join() == 'b')\n");
}

static void test_deadlock_names_a_started_process_by_its_serial(void **state)
{
    harness h = harness_run("sim.spawn('a', function() end)\n"
                            "sim.start(function() sim.event('go'):wait() end)\n",
                            SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_EDEADLOCK);
    assert_non_null(strstr(sf_script_error(h.S), "'process 3' waits for event 'go' since 00:00:00"));
    harness_close(&h);
}

static void test_processes_start_in_spawn_order_at_equal_times(void **state)
{
    (void)state;
    expect_ok("local seen = {}\n"
              "for i = 1, 5 do sim.spawn(function() sim.wait(1); seen[#seen + 1] = i end) end\n"
              "sim.wait(2)\n"
              "assert(table.concat(seen, ',') == '1,2,3,4,5')\n");
}

/*
 * A process made ready (spawned, granted) runs after what was due at that
 * moment, as if it were a kernel event scheduled then: after B, whose
 * timer is due at t = 1 when H releases, and before D, spawned after the
 * grant; with nothing else due, right after the process that woke it.
 */
static void test_processes_made_ready_keep_the_order_of_events(void **state)
{
    static const char *const model = "local seen, r = {}, sim.resource(1)\n"
                                     "sim.spawn(function()\n"
                                     "  r:acquire(); sim.wait(1); r:release()\n"
                                     "  sim.spawn(function() seen[#seen + 1] = 'D' end)\n"
                                     "  seen[#seen + 1] = 'H'\n"
                                     "end)\n"
                                     "sim.spawn(function() r:acquire(); seen[#seen + 1] = 'C'; r:release() end)\n"
                                     "if WITH_B then sim.spawn(function() sim.wait(1); seen[#seen + 1] = 'B' end) end\n"
                                     "sim.wait(2)\n"
                                     "assert(table.concat(seen, ',') == EXPECT, table.concat(seen, ','))\n";
    char src[1024];

    (void)state;
    snprintf(src, sizeof src, "local WITH_B, EXPECT = true, 'H,B,C,D'\n%s", model);
    expect_ok(src);
    snprintf(src, sizeof src, "local WITH_B, EXPECT = false, 'H,C,D'\n%s", model);
    expect_ok(src);
}

/* Processes that wake each other again and again at one time: far more wakes in one event than there are processes. */
static void test_processes_woken_many_times_at_one_time(void **state)
{
    (void)state;
    expect_ok("local ping, pong, n = sim.store(), sim.store(), 0\n"
              "sim.spawn(function() for i = 1, 5000 do ping:put(i); pong:get() end end)\n"
              "sim.spawn(function() for i = 1, 5000 do n = n + ping:get(); pong:put(i) end end)\n"
              "sim.wait(1)\n"
              "assert(n == 5000 * 5001 / 2 and sim.now() == 1)\n");
}

static void test_interrupt_is_catchable_and_carries_cause(void **state)
{
    (void)state;
    expect_ok("local machine = sim.spawn('machine', function()\n"
              "  local ok, err = pcall(sim.wait, 100)\n"
              "  assert(not ok and sim.is_interrupt(err) and err.cause == 'breakdown')\n"
              "  assert(tostring(err):find('breakdown'))\n"
              "  sim.wait(5)\n"
              "  return sim.now()\n"
              "end)\n"
              "sim.wait(1)\n"
              "assert(machine:interrupt('breakdown') == true)\n"
              "assert(machine:join() == 6)\n"
              "assert(machine:interrupt('again') == false)\n");
}

static void test_interrupt_of_a_woken_process_waits_for_its_next_wait(void **state)
{
    (void)state;
    expect_ok("local s = sim.store()\n"
              "local got, caught\n"
              "local taker = sim.spawn('taker', function()\n"
              "  got = s:get()\n"
              "  local ok, err = pcall(sim.wait, 10)\n"
              "  caught = not ok and err.cause\n"
              "end)\n"
              "sim.wait(1)\n"
              "s:put('part')\n"
              "assert(taker:interrupt('stop') == true)\n"
              "assert(taker:interrupt('again') == false)\n"
              "taker:join()\n"
              "assert(got == 'part' and caught == 'stop' and sim.now() == 1)\n"
              "local late = sim.spawn(function() local ok, err = pcall(sim.wait, 5); return err.cause end)\n"
              "assert(late:interrupt('before start') == true)\n"
              "assert(late:join() == 'before start' and sim.now() == 1)\n");
}

static void test_uncaught_interrupt_fails_the_run_with_its_cause(void **state)
{
    harness h = harness_run("local p = sim.spawn('robot', function() sim.wait(10) end)\n"
                            "sim.wait(1); p:interrupt('collision')\n",
                            SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_ESCRIPT);
    assert_non_null(strstr(sf_script_error(h.S), "model.lua:1: uncaught interrupt (cause: collision)"));
    assert_non_null(strstr(sf_script_error(h.S), "'robot'"));
    harness_close(&h);
}

static void test_events_succeed_fail_and_compose(void **state)
{
    (void)state;
    expect_ok("local ev = sim.event('door')\n"
              "sim.spawn(function() sim.wait(3); ev:succeed(42) end)\n"
              "assert(ev:wait() == 42 and sim.now() == 3 and ev:ok() and ev:triggered())\n"
              "assert(ev:wait() == 42)\n"
              "assert(not pcall(ev.succeed, ev, 1))\n"
              "local bad = sim.event()\n"
              "sim.spawn(function() sim.wait(1); bad:fail('boom') end)\n"
              "local ok, e = pcall(bad.wait, bad)\n"
              "assert(not ok and e == 'boom' and sim.now() == 4)\n"
              "local a, b = sim.event(), sim.event()\n"
              "sim.spawn(function() sim.wait(1); b:succeed('B'); sim.wait(1); a:succeed('A') end)\n"
              "assert(sim.any_of{a, b}:wait() == 2 and sim.now() == 5)\n"
              "local all = sim.all_of{a, b}:wait()\n"
              "assert(all[1] == 'A' and all[2] == 'B' and sim.now() == 6)\n"
              "assert(sim.all_of{a, b}:wait()[2] == 'B')\n"
              "assert(sim.any_of{sim.event(), sim.timeout(5, 'x')}:wait() == 2 and sim.now() == 11)\n"
              "local c1, c2 = sim.event(), sim.event()\n"
              "sim.spawn(function() sim.wait(1); c2:fail('jam') end)\n"
              "local ok2, e2 = pcall(function() return sim.all_of{c1, c2}:wait() end)\n"
              "assert(not ok2 and e2 == 'jam')\n");
}

static void test_every_wait_can_time_out(void **state)
{
    (void)state;
    expect_ok("local v, why = sim.event('never'):wait(2)\n"
              "assert(v == nil and why == 'timeout' and sim.now() == 2)\n"
              "local r = sim.resource(1, 'crane')\n"
              "r:acquire()\n"
              "local got\n"
              "sim.spawn(function() got = {r:acquire(1, 0, 2)} end)\n"
              "sim.wait(5)\n"
              "assert(got[1] == nil and got[2] == 'timeout')\n"
              "assert(r:queue_length() == 0)\n"
              "r:release()\n"
              "local s = sim.store{capacity = 1}\n"
              "assert(select(2, s:get(nil, 1)) == 'timeout')\n"
              "s:put('a')\n"
              "assert(select(2, s:put('b', '1 s')) == 'timeout' and s:count() == 1)\n"
              "local c = sim.container{capacity = 10, init = 0}\n"
              "assert(select(2, c:get(5, 0, 1)) == 'timeout' and c:level() == 0)\n");
}

static void test_resource_serves_by_priority_then_arrival(void **state)
{
    (void)state;
    expect_ok("local r = sim.resource{capacity = 1, name = 'crane'}\n"
              "local order = {}\n"
              "r:acquire()\n"
              "for _, p in ipairs{5, 1, 3, 1} do\n"
              "  sim.spawn(function() r:acquire(1, p); order[#order + 1] = p; sim.wait(1); r:release() end)\n"
              "  sim.wait(0.1)\n"
              "end\n"
              "r:release()\n"
              "sim.wait(10)\n"
              "assert(table.concat(order, ',') == '1,1,3,5', table.concat(order, ','))\n"
              "assert(r:count() == 0)\n"
              "assert(not pcall(r.release, r))\n");
}

static void test_resource_with_capacity_grants_several_units(void **state)
{
    (void)state;
    expect_ok("local r = sim.resource{capacity = 3}\n"
              "r:acquire(2)\n"
              "local t\n"
              "sim.spawn(function() r:acquire(2); t = sim.now(); sim.wait(10) end)\n"
              "sim.wait(4); r:release(1)\n"
              "sim.wait(0)\n"
              "assert(t == 4 and r:count() == 3)\n");
}

static void test_units_held_when_a_process_ends_are_released(void **state)
{
    (void)state;
    expect_ok("local dock = sim.resource{capacity = 2, name = 'dock'}\n"
              "sim.spawn('careless', function() dock:acquire(2); sim.wait(3) end)\n"
              "sim.wait(1)\n"
              "assert(dock:count() == 2)\n"
              "dock:acquire(1)\n"
              "assert(sim.now() == 3 and dock:count() == 1)\n");
}

static void test_preemptive_resource_interrupts_lower_priority_holder(void **state)
{
    (void)state;
    expect_ok("local press = sim.resource{capacity = 1, preemptive = true, name = 'press'}\n"
              "local log = {}\n"
              "sim.spawn(function()\n"
              "  press:acquire(1, 10)\n"
              "  local ok, err = pcall(sim.wait, 100)\n"
              "  assert(not ok and err.cause.preempted and err.cause.resource == press)\n"
              "  log[#log + 1] = 'preempted at ' .. sim.now()\n"
              "end)\n"
              "sim.wait(1)\n"
              "sim.spawn(function() press:acquire(1, 0); log[#log + 1] = 'high'; sim.wait(1); press:release() end)\n"
              "sim.wait(5)\n"
              "assert(table.concat(log, ';') == 'high;preempted at 1.0', table.concat(log, ';'))\n"
              "local plain = sim.resource{capacity = 1}\n"
              "sim.spawn(function() plain:acquire(1, 10); sim.wait(10); plain:release() end)\n"
              "sim.wait(1)\n"
              "plain:acquire(1, 0)\n"
              "assert(sim.now() == 16)\n");
}

static void test_store_blocks_when_full_and_filters_gets(void **state)
{
    (void)state;
    expect_ok("local s = sim.store{capacity = 2, name = 'buffer'}\n"
              "s:put('a'); s:put('b')\n"
              "local put_at\n"
              "sim.spawn(function() s:put('c'); put_at = sim.now() end)\n"
              "sim.wait(1)\n"
              "assert(put_at == nil)\n"
              "assert(s:get() == 'a'); sim.wait(0)\n"
              "assert(put_at == 1)\n"
              "assert(s:get(function(x) return x == 'c' end) == 'c')\n"
              "assert(s:get() == 'b')\n"
              "local got\n"
              "sim.spawn(function() got = s:get(function(x) return x > 10 end) end)\n"
              "sim.wait(1); s:put(5); s:put(20); sim.wait(0)\n"
              "assert(got == 20 and s:count() == 1 and s:items()[1] == 5)\n");
}

static void test_container_serves_gets_by_priority(void **state)
{
    (void)state;
    expect_ok("local tank = sim.container{capacity = 100, init = 50, name = 'tank'}\n"
              "tank:get(20); assert(tank:level() == 30)\n"
              "local seq = {}\n"
              "sim.spawn(function() tank:get(40, 5); seq[#seq + 1] = 'low' end)\n"
              "sim.spawn(function() tank:get(40, 1); seq[#seq + 1] = 'high' end)\n"
              "sim.wait(1); tank:put(20); sim.wait(0)\n"
              "assert(table.concat(seq, ',') == 'high' and tank:level() == 10, table.concat(seq, ','))\n"
              "tank:put(30); sim.wait(0)\n"
              "assert(table.concat(seq, ',') == 'high,low' and tank:level() == 0)\n"
              "tank:put(90)\n"
              "local full\n"
              "sim.spawn(function() tank:put(20); full = sim.now() end)\n"
              "sim.wait(2); assert(full == nil)\n"
              "tank:get(60); sim.wait(0)\n"
              "assert(full == 3 and tank:level() == 50, tank:level())\n");
}

static void test_random_streams_are_named_and_repeatable(void **state)
{
    const char *src = "local a = sim.rng('arrivals')\n"
                      "assert(a == sim.rng('arrivals'))\n"
                      "local t = sim.tally('draws')\n"
                      "for _ = 1, 1000 do t:add(a:exp(2)) end\n"
                      "assert(math.abs(t:mean() - 2) < 0.3)\n"
                      "local u = sim.rng('u'):uniform(3, 4); assert(u >= 3 and u < 4)\n"
                      "local n = sim.rng('n'):normal(10, 1); assert(n > 0)\n"
                      "local k = sim.rng('k'):integer(1, 6); assert(k >= 1 and k <= 6)\n"
                      "assert(type(sim.rng('b'):bernoulli(0.5)) == 'boolean')\n"
                      "assert(not pcall(sim.rng('x').exp, sim.rng('x'), -1))\n"
                      "local m = math.random(1, 6); assert(m >= 1 and m <= 6)\n"
                      "sim.tally('first'):add(sim.rng('arrivals'):random() + math.random())\n";
    harness h1 = harness_run(src, SF_TIME_MAX, NULL), h2 = harness_run(src, SF_TIME_MAX, NULL);
    sf_script_options other = {.seed = 2};
    harness h3 = harness_run(src, SF_TIME_MAX, &other);
    sf_script_stats s1, s2, s3;

    (void)state;
    assert_int_equal(h1.rc, SF_OK);
    assert_true(sf_script_stats_find(h1.S, SF_SCRIPT_TALLY, "first", &s1));
    assert_true(sf_script_stats_find(h2.S, SF_SCRIPT_TALLY, "first", &s2));
    assert_true(sf_script_stats_find(h3.S, SF_SCRIPT_TALLY, "first", &s3));
    assert_true(s1.mean == s2.mean);
    assert_true(s1.mean != s3.mean);
    harness_close(&h1);
    harness_close(&h2);
    harness_close(&h3);
}

static void test_same_seed_gives_same_fingerprint(void **state)
{
    const char *src = "local r = sim.resource(2)\n"
                      "local g = sim.rng('g')\n"
                      "for i = 1, 200 do\n"
                      "  sim.wait(g:exp(1))\n"
                      "  sim.spawn(function() r:acquire(); sim.wait(g:exp(1.8)); r:release() end)\n"
                      "end\n";
    harness a = harness_run(src, SF_TIME_MAX, NULL), b = harness_run(src, SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(a.rc, SF_OK);
    assert_int_equal(b.rc, SF_OK);
    /*
     * Two kernel events per customer (the main process's wait, the service
     * wait) and the main process's start: the spawn and the grant at a
     * release run in the resume that made them, not as events of their own.
     */
    assert_int_equal(sf_kernel_events(a.k), 401);
    assert_true(sf_kernel_fingerprint(a.k) == sf_kernel_fingerprint(b.k));
    harness_close(&a);
    harness_close(&b);
}

static void test_log_stamps_time_and_process(void **state)
{
    FILE *f = tmpfile();
    sf_script_options o = {.seed = 1, .log = f};
    harness h;
    char line[256] = "";

    (void)state;
    assert_non_null(f);
    h = harness_run("sim.spawn('forklift', function() sim.wait(3725.5); sim.log('at dock', 7) end)", SF_TIME_MAX,
                    &o);
    assert_int_equal(h.rc, SF_OK);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "[01:02:05.500] forklift: at dock 7\n");
    harness_close(&h);
    fclose(f);
}

static void test_statistics_readable_from_lua_and_c(void **state)
{
    harness h = harness_run("local r = sim.resource{capacity = 1, name = 'machine'}\n"
                            "sim.spawn(function() r:acquire(); sim.wait(6); r:release() end)\n"
                            "sim.spawn(function() r:acquire(); sim.wait(2); r:release() end)\n"
                            "sim.wait(10)\n"
                            "local st = r:stats()\n"
                            "assert(math.abs(st.utilisation - 0.8) < 1e-12, st.utilisation)\n"
                            "assert(math.abs(st.queue_mean - 0.6) < 1e-12, st.queue_mean)\n"
                            "assert(st.served == 2 and math.abs(st.wait_mean - 3) < 1e-12)\n"
                            "local lv = sim.level('wip')\n"
                            "lv:set(4); sim.wait(10); lv:add(-4)\n"
                            "sim.tally('x'):add(1); sim.tally('x'):add(3)\n",
                            SF_TIME_MAX, NULL);
    sf_script_stats st;

    (void)state;
    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    assert_int_equal(sf_script_stats_count(h.S), 3);
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_RESOURCE, "machine", &st));
    assert_float_equal(st.utilisation, 8.0 / 20.0, 1e-12);
    assert_int_equal(st.n, 2);
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_LEVEL, "wip", &st));
    assert_float_equal(st.level_mean, 4.0, 1e-12); /* observed from its creation at t = 10 */
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "x", &st));
    assert_float_equal(st.mean, 2.0, 1e-12);
    assert_float_equal(st.p50, 2.0, 1e-12);
    assert_false(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "none", &st));
    harness_close(&h);
}

static void test_error_names_file_line_process_time_and_traceback(void **state)
{
    harness h = harness_run("local function pick(x)\n"
                            "  return x.y\n"
                            "end\n"
                            "sim.spawn('picker', function() sim.wait(60); pick(nil) end)\n"
                            "sim.tally('kept'):add(1)\n",
                            SF_TIME_MAX, NULL);
    sf_script_stats st;
    const char *e;

    (void)state;
    assert_int_equal(h.rc, SF_ESCRIPT);
    e = sf_script_error(h.S);
    assert_non_null(strstr(e, "model.lua:2: attempt to index a nil value"));
    assert_non_null(strstr(e, "behaviour 'picker'"));
    assert_non_null(strstr(e, "t = 00:01:00"));
    assert_non_null(strstr(e, "stack traceback:"));
    assert_non_null(strstr(e, "in upvalue 'pick'") ? strstr(e, "in upvalue 'pick'") : strstr(e, "pick"));
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "kept", &st)); /* measurements survive */
    assert_int_equal(st.n, 1);
    harness_close(&h);
}

static void test_syntax_error_names_the_line(void **state)
{
    harness h = harness_run("local x = 1\nlocal = 2\n", SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_ESCRIPT);
    assert_non_null(strstr(sf_script_error(h.S), "model.lua:2:"));
    harness_close(&h);
}

static void test_deadlock_lists_each_blocked_process(void **state)
{
    harness h = harness_run("local r = sim.resource{capacity = 1, name = 'robot'}\n"
                            "local ev = sim.event('go')\n"
                            "sim.spawn('a', function() r:acquire(); ev:wait() end)\n"
                            "sim.spawn('b', function() sim.wait(2); r:acquire() end)\n"
                            "local s = sim.store{name = 'parts'}\n"
                            "sim.spawn('c', function() sim.wait(3); s:get() end)\n",
                            SF_TIME_MAX, NULL);
    const char *e;

    (void)state;
    assert_int_equal(h.rc, SF_EDEADLOCK);
    e = sf_script_error(h.S);
    assert_non_null(strstr(e, "deadlock at t = 00:00:03: 3 processes wait"));
    assert_non_null(strstr(e, "'a' waits for event 'go' since 00:00:00"));
    assert_non_null(strstr(e, "'b' waits for resource 'robot' since 00:00:02"));
    assert_non_null(strstr(e, "'c' waits for an item from store 'parts' since 00:00:03"));
    harness_close(&h);
}

static void test_deadlock_within_until_reports_when_it_happened(void **state)
{
    harness h = harness_run("sim.spawn('agv', function() sim.wait(90); sim.event('charger free'):wait() end)\n",
                            10 * SF_HOUR, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_EDEADLOCK);
    assert_non_null(strstr(sf_script_error(h.S), "deadlock at t = 00:01:30: 1 process waits"));
    assert_non_null(strstr(sf_script_error(h.S), "'agv' waits for event 'charger free' since 00:01:30"));
    harness_close(&h);
}

static void test_run_until_stops_without_deadlock(void **state)
{
    harness h = harness_run("local s = sim.store()\n"
                            "sim.spawn('server', function() while true do s:get() end end)\n"
                            "sim.spawn('source', function() while true do sim.wait(1); s:put(1) end end)\n",
                            100 * SF_SECOND, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_OK);
    assert_true(sf_kernel_now(h.k) == 100 * SF_SECOND);
    assert_int_equal(sf_script_processes(h.S), 2);
    harness_close(&h);
}

static void test_ended_processes_give_their_coroutines_to_new_ones(void **state)
{
    harness h = harness_run("for i = 1, 20000 do\n"
                            "  sim.spawn(function() sim.wait(1) end)\n"
                            "  sim.wait(2)\n"
                            "end\n"
                            "collectgarbage()\n"
                            "MEM = collectgarbage('count')\n",
                            SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_OK);
    /* two slots (main and one worker at a time): the state stays small */
    assert_true(sf_script_memory(h.S) < 512 * 1024);
    harness_close(&h);
}

/*
 * An ended process's thread runs the next process started in its slot:
 * nothing of the first reaches the second. The first closes its
 * to-be-closed variables when it ends (once each, counted here: 2), its
 * caught error stays caught, and the second sees only its own arguments
 * (select('#', ...) == 2), its own fresh locals and no error.
 */
static void test_a_reused_thread_carries_nothing_of_the_previous_process(void **state)
{
    (void)state;
    expect_ok("local closed = 0\n"
              "local function closer() return setmetatable({}, {__close = function() closed = closed + 1 end}) end\n"
              "local first = sim.spawn(function(a)\n"
              "  local c <close> = closer()\n"
              "  local left = {a, 'stale'}\n"
              "  local ok, e = pcall(function() local d <close> = closer(); sim.wait(1); error('caught') end)\n"
              "  assert(not ok and e:find('caught') and closed == 1)\n"
              "  sim.wait(1)\n"
              "  return left[2]\n"
              "end, 'x')\n"
              "assert(first:join() == 'stale' and closed == 2 and sim.now() == 2)\n"
              "local second = sim.spawn(function(...)\n"
              "  local n, a, b = select('#', ...), ...\n"
              "  local fresh\n"
              "  sim.wait(1)\n"
              "  return n, a, b, fresh\n"
              "end, 'y', nil)\n"
              "local n, a, b, fresh = second:join()\n"
              "assert(n == 2 and a == 'y' and b == nil and fresh == nil, tostring(n))\n"
              "assert(closed == 2 and sim.now() == 3)\n");
}

/*
 * 'obj:method()' on the userdata of the API (a resource, a random stream,
 * a process) finds its method in the metatable's __index table directly
 * (tools/lua-count-hook.patch); everything else is found as before: a
 * missing method is the usual error naming it, a field of a table or of
 * its __index chain, a string's methods, a table with a function as
 * __index. Each result is written down here by hand.
 */
static void test_method_calls_find_the_same_values_by_every_path(void **state)
{
    (void)state;
    expect_ok("local r = sim.resource{capacity = 2, name = 'm'}\n"
              "local g = sim.rng('m')\n"
              "assert(r.acquire == r.acquire and type(r.acquire) == 'function')\n"
              "assert(r:capacity() == 2 and r:name() == 'm')\n"
              "local ok, e = pcall(function() return r:nope() end)\n"
              "assert(not ok and e:find(\"method 'nope'\"), e)\n"
              "ok, e = pcall(function() return g:nope() end)\n"
              "assert(not ok and e:find(\"method 'nope'\"), e)\n"
              "local x = g:exp(1)\n"
              "assert(type(x) == 'number' and x > 0)\n"
              "local base = {hello = function(self) return 'hi ' .. self.n end}\n"
              "local mid = setmetatable({}, {__index = base})\n"
              "local obj = setmetatable({n = 'o'}, {__index = mid})\n"
              "assert(obj:hello() == 'hi o')\n"
              "local fn = setmetatable({}, {__index = function(t, k) return function() return k end end})\n"
              "assert(fn:anything() == 'anything')\n"
              "local plain = {}\n"
              "ok, e = pcall(function() return plain:nope() end)\n"
              "assert(not ok and e:find(\"method 'nope'\"), e)\n"
              "assert(('abc'):upper() == 'ABC')\n"
              "local me = sim.spawn(function() sim.wait(1) end)\n"
              "assert(me:is_alive() and me:name() == 'process 2')\n"
              "me:join()\n"
              "assert(not me:is_alive())\n");
}

/*
 * Errors and yields jump back to where their resume or pcall began
 * (tools/lua-count-hook.patch makes these jumps GCC's builtins): an error
 * raised after several waits inside nested pcalls reaches the innermost
 * pcall, a coroutine of the process that errors after yielding reports it
 * to its resumer, and the process goes on waiting afterwards; values and
 * times are counted by hand.
 */
static void test_errors_and_yields_return_to_their_own_pcall(void **state)
{
    (void)state;
    expect_ok("local log = {}\n"
              "local p = sim.spawn(function()\n"
              "  local ok1, e1 = pcall(function()\n"
              "    local ok2, e2 = pcall(function() sim.wait(1); sim.wait(2); error({code = 7}) end)\n"
              "    log[#log + 1] = (ok2 and 'ok' or e2.code) .. '@' .. sim.now()\n"
              "    sim.wait(1)\n"
              "    error('outer', 0)\n"
              "  end)\n"
              "  log[#log + 1] = tostring(ok1) .. ':' .. e1 .. '@' .. sim.now()\n"
              "  local co = coroutine.create(function(a) local b = coroutine.yield(a + 1); error('co' .. b, 0) end)\n"
              "  local _, v = coroutine.resume(co, 1)\n"
              "  local okc, ec = coroutine.resume(co, v * 10)\n"
              "  log[#log + 1] = tostring(okc) .. ':' .. ec .. ':' .. coroutine.status(co)\n"
              "  sim.wait(5)\n"
              "  return #log\n"
              "end)\n"
              "assert(p:join() == 3 and sim.now() == 9)\n"
              "assert(table.concat(log, ' ') == '7@3.0 false:outer@4.0 false:co20:dead', table.concat(log, ' '))\n");
}

/*
 * A process thread starts in its slot's block; stacks that grow out of it
 * (deep recursion around waits) move to the heap and keep every value,
 * also in slots reused by later processes.
 */
static void test_processes_whose_stacks_outgrow_their_block_keep_their_values(void **state)
{
    harness h = harness_run("local function down(n, acc)\n"
                            "  if n == 0 then sim.wait(1) return acc end\n"
                            "  local r = down(n - 1, acc + n)\n"
                            "  sim.wait(0.001)\n"
                            "  return r\n"
                            "end\n"
                            "for round = 1, 2 do\n"
                            "  local procs = {}\n"
                            "  for i = 1, 300 do\n"
                            "    local d = (i * 37 + round) % 400\n"
                            "    procs[i] = sim.spawn(function() return down(d, 0), d end)\n"
                            "  end\n"
                            "  for i = 1, 300 do\n"
                            "    local sum, d = procs[i]:join()\n"
                            "    assert(sum == d * (d + 1) // 2, 'process ' .. i .. ' got ' .. tostring(sum))\n"
                            "  end\n"
                            "end\n"
                            "sim.tally('done'):add(sim.now())\n",
                            SF_TIME_MAX, NULL);
    sf_script_stats st;

    (void)state;
    if (h.rc != SF_OK)
        fail_msg("%s", sf_script_error(h.S));
    assert_true(sf_script_stats_find(h.S, SF_SCRIPT_TALLY, "done", &st));
    assert_int_equal(st.n, 1);
    /* each round: the deepest (399 levels) waits 1 s and then 0.001 s per level */
    assert_true(fabs(st.mean - 2 * (1 + 0.399)) < 1e-6);
    harness_close(&h);
}

static void test_coroutine_yield_in_a_process_is_an_error(void **state)
{
    harness h = harness_run("sim.spawn('bad', function() coroutine.yield() end)\n"
                            "local gen = coroutine.wrap(function() coroutine.yield(1) end)\n"
                            "assert(gen() == 1)\n",
                            SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_ESCRIPT);
    assert_non_null(strstr(sf_script_error(h.S), "behaviour 'bad' yielded with coroutine.yield"));
    harness_close(&h);
}

static void test_blocking_inside_own_coroutine_is_an_error(void **state)
{
    harness h = harness_run("local co = coroutine.wrap(function() sim.wait(1) end)\nco()\n", SF_TIME_MAX, NULL);

    (void)state;
    assert_int_equal(h.rc, SF_ESCRIPT);
    assert_non_null(strstr(sf_script_error(h.S), "sim.wait may only be called by a process"));
    harness_close(&h);
}

/*
 * Random processes acquire, put, get, wait on events, time out and
 * interrupt each other; the model keeps its own account of what each
 * object should hold. Bounds hold after every step; the accounts match
 * the objects exactly once every process has ended (in between, a
 * process woken with what it asked for has not yet counted it).
 */
static const char mix_model[] =
    "local g = sim.rng('mix')\n"
    "local res = sim.resource{capacity = 3, preemptive = true, name = 'r'}\n"
    "local store = sim.store{capacity = 5, name = 's'}\n"
    "local tank = sim.container{capacity = 50, init = 25, name = 'c'}\n"
    "local held, items, level = 0, 0, 25\n"
    "local events, procs = {}, {}\n"
    "local function check(exact)\n"
    "  assert(res:count() <= 3 and store:count() <= 5)\n"
    "  assert(tank:level() >= 0 and tank:level() <= 50)\n"
    "  if exact then\n"
    "    assert(res:count() == held, 'resource ' .. res:count() .. ' vs ' .. held)\n"
    "    assert(store:count() == items, 'store ' .. store:count() .. ' vs ' .. items)\n"
    "    assert(math.abs(tank:level() - level) < 1e-9, 'tank ' .. tank:level() .. ' vs ' .. level)\n"
    "  end\n"
    "end\n"
    "local function worker(id)\n"
    "  for step = 1, 150 do\n"
    "    local op = g:integer(1, 7)\n"
    "    local ok, err = pcall(function()\n"
    "      if op == 1 then\n"
    "        local n = g:integer(1, 2)\n"
    "        if res:acquire(n, g:integer(0, 3), g:uniform(0, 3)) then\n"
    "          held = held + n\n"
    "          local ok2, e2 = pcall(sim.wait, g:exp(1))\n"
    "          if ok2 then res:release(); held = held - n\n"
    "          elseif e2.cause and type(e2.cause) == 'table' and e2.cause.preempted then held = held - n\n"
    "          else res:release(); held = held - n; error(e2) end\n"
    "        end\n"
    "      elseif op == 2 then\n"
    "        if store:put(id, g:uniform(0, 2)) then items = items + 1 end\n"
    "      elseif op == 3 then\n"
    "        local want = g:integer(1, 8)\n"
    "        if store:get(function(x) return x % 2 == want % 2 end, g:uniform(0, 2)) then items = items - 1 end\n"
    "      elseif op == 4 then\n"
    "        local a = g:uniform(0, 20)\n"
    "        if tank:get(a, g:integer(0, 2), g:uniform(0, 2)) then level = level - a end\n"
    "      elseif op == 5 then\n"
    "        local a = g:uniform(0, 20)\n"
    "        if tank:put(a, g:uniform(0, 2)) then level = level + a end\n"
    "      elseif op == 6 then\n"
    "        local ev = events[g:integer(1, #events)]\n"
    "        if not ev:triggered() and g:bernoulli(0.3) then ev:succeed(id) else ev:wait(g:uniform(0, 2)) end\n"
    "      else\n"
    "        local p = procs[g:integer(1, #procs)]\n"
    "        if p ~= sim.self() then p:interrupt('poke') end\n"
    "        sim.wait(g:exp(0.5))\n"
    "      end\n"
    "    end)\n"
    "    if not ok then\n"
    "      assert(sim.is_interrupt(err), tostring(err))\n"
    "    end\n"
    "    check()\n"
    "  end\n"
    "end\n"
    "for i = 1, 20 do events[i] = sim.event('e' .. i) end\n"
    "for i = 1, 25 do procs[i] = sim.spawn('worker ' .. i, worker, i) end\n"
    "for _, p in ipairs(procs) do p:join() end\n"
    "check(true)\n"
    "assert(res:count() == 0 and res:queue_length() == 0)\n";

static void test_random_mix_keeps_every_object_consistent(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        sf_script_options o = {.seed = seed};
        harness h = harness_run(mix_model, SF_TIME_MAX, &o);
        if (h.rc != SF_OK)
            fail_msg("seed %llu: %s", (unsigned long long)seed, sf_script_error(h.S));
        harness_close(&h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_takes_seconds_and_unit_strings),
        cmocka_unit_test(test_spawn_passes_arguments_and_join_returns_results),
        cmocka_unit_test(test_start_makes_no_handle_and_a_reused_slot_stays_apart),
        cmocka_unit_test(test_deadlock_names_a_started_process_by_its_serial),
        cmocka_unit_test(test_processes_start_in_spawn_order_at_equal_times),
        cmocka_unit_test(test_processes_made_ready_keep_the_order_of_events),
        cmocka_unit_test(test_processes_woken_many_times_at_one_time),
        cmocka_unit_test(test_interrupt_is_catchable_and_carries_cause),
        cmocka_unit_test(test_interrupt_of_a_woken_process_waits_for_its_next_wait),
        cmocka_unit_test(test_uncaught_interrupt_fails_the_run_with_its_cause),
        cmocka_unit_test(test_events_succeed_fail_and_compose),
        cmocka_unit_test(test_every_wait_can_time_out),
        cmocka_unit_test(test_resource_serves_by_priority_then_arrival),
        cmocka_unit_test(test_resource_with_capacity_grants_several_units),
        cmocka_unit_test(test_units_held_when_a_process_ends_are_released),
        cmocka_unit_test(test_preemptive_resource_interrupts_lower_priority_holder),
        cmocka_unit_test(test_store_blocks_when_full_and_filters_gets),
        cmocka_unit_test(test_container_serves_gets_by_priority),
        cmocka_unit_test(test_random_streams_are_named_and_repeatable),
        cmocka_unit_test(test_same_seed_gives_same_fingerprint),
        cmocka_unit_test(test_log_stamps_time_and_process),
        cmocka_unit_test(test_statistics_readable_from_lua_and_c),
        cmocka_unit_test(test_error_names_file_line_process_time_and_traceback),
        cmocka_unit_test(test_syntax_error_names_the_line),
        cmocka_unit_test(test_deadlock_lists_each_blocked_process),
        cmocka_unit_test(test_deadlock_within_until_reports_when_it_happened),
        cmocka_unit_test(test_run_until_stops_without_deadlock),
        cmocka_unit_test(test_ended_processes_give_their_coroutines_to_new_ones),
        cmocka_unit_test(test_a_reused_thread_carries_nothing_of_the_previous_process),
        cmocka_unit_test(test_method_calls_find_the_same_values_by_every_path),
        cmocka_unit_test(test_errors_and_yields_return_to_their_own_pcall),
        cmocka_unit_test(test_processes_whose_stacks_outgrow_their_block_keep_their_values),
        cmocka_unit_test(test_coroutine_yield_in_a_process_is_an_error),
        cmocka_unit_test(test_blocking_inside_own_coroutine_is_an_error),
        cmocka_unit_test(test_random_mix_keeps_every_object_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
