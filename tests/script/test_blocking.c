/*
 * Blocking calls return their item. A call of `shop` that waits for
 * something to appear (a job for a station slot, a unit to carry, a
 * failure to repair) returns that thing when the process is resumed, so
 * no behaviour has to ask twice; and an agent's activity interrupted in a
 * process can be waited for with agent:wait_idle(). The times are
 * checked by hand. The behaviours shipped in scripts/ are read to check
 * that none asks a blocking call again (the checker is shown to catch
 * the old way first).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "model/world.h"
#include "scenario/scenario.h"
#include "script/script.h"
#include "script/plant_harness.h"

/* Run `src` on scenario `file` until `until` seconds; it must end well and add its end time to tally "done". */
static double run_model(const char *file, const char *src, double until)
{
    struct run r;
    sf_script_stats st;
    int rc;

    start(&r, file);
    assert_int_equal(sf_script_load_string(r.S, src, "@model.lua"), SF_OK);
    rc = sf_script_run(r.S, (sf_time)(until * SF_SECOND));
    if (rc != SF_OK)
        fail_msg("%s", sf_script_error(r.S));
    assert_true(sf_script_stats_find(r.S, SF_SCRIPT_TALLY, "done", &st));
    assert_int_equal(st.n, 1);
    stop(&r);
    return st.mean;
}

/*
 * tests/script/data/blocking.yaml. A job is released at 5 s: cut's slot,
 * waiting since 0, takes it then. It works 10 s and hands it on at 15 s:
 * the unit waits in cut for a carrier, and the moves process, waiting
 * since 0, gets the move then. The carry is booked by hand: picked up at
 * 15 s, set down at drill 21 s later (36 s), when drill's slot, waiting
 * since 0, gets the job for its second operation. cut's blade fails at
 * 30 s: the repairs process, waiting since 0, gets the failure then; the
 * repair with the porter takes 5 s (35 s).
 */
static const char *every_wait =
    "local porter = assert(shop.agent('porter.1'))\n"
    "local released\n"
    "sim.spawn('release', function() sim.wait(5); released = shop.release('part') end)\n"
    "local moves = sim.spawn('moves', function()\n"
    "  local m = shop.next_move()\n"
    "  local at = sim.now()\n"
    "  shop.pickup(m.job)\n"
    "  sim.wait(21)\n"
    "  shop.deliver(m.job)\n"
    "  return m, at\n"
    "end)\n"
    "local drill = sim.spawn('drill', function()\n"
    "  local job = shop.take(2, 1)\n"
    "  return job, sim.now()\n"
    "end)\n"
    "local repairs = sim.spawn('repairs', function()\n"
    "  local r = shop.next_repair()\n"
    "  local at = sim.now()\n"
    "  assert(shop.repair(r.mode, {porter}) == true and sim.now() == 35, sim.now())\n"
    "  return r, at\n"
    "end)\n"
    "local job = shop.take(1, 1)\n"
    "assert(sim.now() == 5, sim.now())\n"
    "assert(type(job) == 'table', 'take returned ' .. tostring(job))\n"
    "assert(job.number == released and job.product == 'part' and job.op == 1)\n"
    "assert(shop.work(1, 1) == true and sim.now() == 15, sim.now())\n"
    "shop.unload(1, 1)\n"
    "local m, at = moves:join()\n"
    "assert(type(m) == 'table', 'next_move returned ' .. tostring(m))\n"
    "assert(at == 15, at)\n"
    "assert(m.job == job.number and m.product == 'part' and m.from == 'cut' and m.to == 'drill')\n"
    "assert(m.by == 'people' and m.carrier[1].count == 1)\n"
    "local second, t = drill:join()\n"
    "assert(type(second) == 'table', 'take returned ' .. tostring(second))\n"
    "assert(t == 36 and second.number == job.number and second.op == 2, t)\n"
    "local r, rt = repairs:join()\n"
    "assert(type(r) == 'table', 'next_repair returned ' .. tostring(r))\n"
    "assert(rt == 30 and r.mode == 1 and r.station == 1 and r.failure == 'blade', rt)\n"
    "assert(r.crew[1].count == 1)\n"
    "sim.tally('done'):add(sim.now())\n";

static void test_blocking_calls_return_their_item_after_the_wait(void **state)
{
    (void)state;
    assert_true(run_model("tests/script/data/blocking.yaml", every_wait, 120) == 36);
}

/*
 * tests/model/data/world_small.yaml: truck.1 drives from park to rack_a
 * in 11 s and picks at 3 m in 20 s. Its driver holds a preemptive aisle
 * and is preempted at 5 s, in the middle of the drive: the interrupt
 * reaches the driver, the truck drives on; a pick asked for meanwhile is
 * refused (the truck is busy), agent:wait_idle() returns when it arrives
 * (11 s), at once when it is idle, and the pick then ends at 31 s.
 */
static const char *interrupted_drive =
    "local truck = assert(shop.agent('truck.1'))\n"
    "local aisle = sim.resource{capacity = 1, preemptive = true, name = 'aisle'}\n"
    "sim.spawn('driver', function()\n"
    "  aisle:acquire(1, 10)\n"
    "  local ok, err = pcall(truck.move_to, truck, 'rack_a')\n"
    "  assert(not ok and sim.is_interrupt(err) and err.cause.preempted and sim.now() == 5, tostring(err))\n"
    "  ok, err = pcall(truck.pick, truck, 3)\n"
    "  assert(not ok and err:find('still busy with its last activity') and err:find('wait_idle'), err)\n"
    "  assert(truck:wait_idle() == true and sim.now() == 11 and truck:node() == 'rack_face', sim.now())\n"
    "  assert(truck:wait_idle() == true and sim.now() == 11)\n"
    "  assert(truck:pick(3) == true and sim.now() == 31, sim.now())\n"
    "  sim.tally('done'):add(sim.now())\n"
    "end)\n"
    "sim.wait(5)\n"
    "aisle:acquire(1, 0)\n";

static void test_blocking_an_interrupted_activity_goes_on_and_can_be_waited_for(void **state)
{
    (void)state;
    assert_true(run_model("tests/model/data/world_small.yaml", interrupted_drive, 60) == 31);
}

/* Reading a script, line by line: what a caller that asks again looks like. */
static const char *const blocking[] = {"shop.next_move(", "shop.next_repair(", "shop.take("};

/*
 * The first line of `text` (from `name`) where a blocking call's result
 * is asked again: compared with true (the old "blocked, call again"
 * answer), or a shop.take followed by a shop.slot_job for the job it has
 * just returned. 0 when none.
 */
static int asks_again(const char *text, const char *name)
{
    int line = 1;
    bool after_take = false;

    for (const char *p = text; *p; line++) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char buf[1024];
        bool call = false;

        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), p);
        for (size_t i = 0; i < sizeof blocking / sizeof *blocking; i++)
            call |= strstr(buf, blocking[i]) != NULL;
        if ((call && (strstr(buf, "== true") || strstr(buf, "~= true"))) ||
            (after_take && strstr(buf, "shop.slot_job("))) {
            print_message("%s:%d: asks a blocking call again: %s\n", name, line, buf);
            return line;
        }
        if (strspn(buf, " \t") < strlen(buf) && strncmp(buf + strspn(buf, " \t"), "--", 2) != 0)
            after_take = strstr(buf, "shop.take(") != NULL;
        p += n + (end != NULL);
    }
    return 0;
}

static void test_blocking_the_checker_catches_a_caller_that_asks_again(void **state)
{
    (void)state;
    assert_int_equal(asks_again("local m = shop.next_move()\nif m == true then m = shop.next_move() end\n", "old"), 2);
    assert_int_equal(asks_again("local r = shop.next_repair()\n  if r == true then r = shop.next_repair() end\n", "old"),
                     2);
    assert_int_equal(asks_again("shop.take(i, k, number)\nlocal job = shop.slot_job(i, k)\n", "old"), 2);
    assert_int_equal(asks_again("local job = shop.take(i, k, number)\nlocal m = shop.next_move()\n", "new"), 0);
}

static void test_blocking_no_script_asks_a_blocking_call_again(void **state)
{
    char dir[1024], path[1300];
    DIR *d;
    struct dirent *e;
    int files = 0, bad = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        FILE *f;
        char *text;
        long size;
        if (n < 5 || strcmp(e->d_name + n - 4, ".lua") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_non_null(f = fopen(path, "rb"));
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        rewind(f);
        text = calloc(1, (size_t)size + 1);
        assert_non_null(text);
        assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
        fclose(f);
        bad += asks_again(text, path) != 0;
        files++;
        free(text);
    }
    closedir(d);
    assert_true(files >= 8);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocking_calls_return_their_item_after_the_wait),
        cmocka_unit_test(test_blocking_an_interrupted_activity_goes_on_and_can_be_waited_for),
        cmocka_unit_test(test_blocking_the_checker_catches_a_caller_that_asks_again),
        cmocka_unit_test(test_blocking_no_script_asks_a_blocking_call_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
