/*
 * Metrics attached to a running warehouse (scenarios/warehouse_basic.yaml):
 * the plant's power profile integrates to the agents' exact meters, energy
 * by power state is the meters', every agent's state times fill the
 * measured window, and a warm-up leaves out exactly what a shorter run
 * measured; in every flagship scenario the plant's grid energy is the sum
 * of its parts.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "experiment/session.h"
#include "metrics/metrics.h"

static char scenario[4096];

static void rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want) + 1e-6))
        fail_msg("%s: got %.15g, expected %.15g", what, got, want);
}

static sf_session *open_run(const char *const *sets, size_t nsets, sf_time until)
{
    sf_session_spec spec = {0};
    sf_session *s;
    int rc;
    static FILE *quiet;

    if (!quiet)
        quiet = fopen("/dev/null", "w");
    spec.model = scenario;
    spec.sets = sets;
    spec.nsets = nsets;
    spec.log = quiet;
    if (until > 0) {
        spec.until_given = true;
        spec.until = until;
    }
    s = sf_session_new(&spec, &rc);
    assert_non_null(s);
    assert_int_equal(sf_session_run(s), SF_OK);
    return s;
}

static double kpi(sf_session *s, const char *metric, const char *entity)
{
    sf_kpis k;
    const sf_kpi *r;
    double v;

    sf_kpis_init(&k);
    assert_int_equal(sf_session_kpis(s, &k), SF_OK);
    r = sf_kpis_find(&k, metric, entity);
    if (!r)
        fail_msg("no KPI %s of '%s'", metric, entity);
    v = r->value;
    sf_kpis_free(&k);
    return v;
}

static void test_power_profile_integrates_to_the_meters(void **st)
{
    /* charging to 100 %: the battery fills at the instant the charging ends */
    const char *sets[] = {"energy.base_load=3 kW", "fleet.reach_truck.battery.charge_until=100 %"};
    sf_session *s = open_run(sets, 2, 0);
    sf_world *w = sf_session_world(s);
    sf_metrics *m = sf_session_metrics(s);
    double grid = 0, hours = sf_time_to_seconds(sf_session_end(s)) / 3600, plant;

    (void)st;
    plant = kpi(s, "energy_grid", "");
    for (uint32_t i = 0; i < sf_world_agent_count(w); i++) {
        const sf_meter *mt = &sf_world_agent(w, i)->meter;
        const sf_metrics_entity *x = sf_metrics_agent(m, i);
        double window = 0;
        grid += mt->grid;
        rel(x->grid, mt->grid, 1e-12, "agent grid");
        for (int p = 0; p < SF_POWER_STATES; p++)
            rel(x->energy[p], mt->energy[p], 1e-12, "energy by power state");
        for (int q = 0; q < SF_STATES; q++)
            window += x->time[q];
        rel(window, hours * 3600, 1e-12, "state times fill the run");
    }
    assert_true(grid > 3.6e6);
    /* the profile (base load + every agent's grid draw, batteries filling included) against the meters */
    rel(plant, (grid + 3000 * hours * 3600) / 3.6e6, 1e-9, "plant kWh");
    sf_session_free(s);
}

static void test_warmup_leaves_out_the_first_hours(void **st)
{
    const char *sets[] = {"scenario.warmup=2 h"};
    sf_session *early = open_run(NULL, 0, 2 * SF_HOUR), *full = open_run(NULL, 0, 0), *warm = open_run(sets, 1, 0);
    sf_world *we = sf_session_world(early), *wf = sf_session_world(full);
    double e_early = kpi(early, "energy_grid", ""), e_full = kpi(full, "energy_grid", "");

    (void)st;
    /* the warm-up does not change the run (same fingerprint), only what is measured */
    assert_true(sf_kernel_fingerprint(sf_session_kernel(full)) == sf_kernel_fingerprint(sf_session_kernel(warm)));
    rel(kpi(warm, "energy_grid", ""), e_full - e_early, 1e-9, "grid after the warm-up");
    for (uint32_t i = 0; i < sf_world_agent_count(wf); i++) {
        const sf_metrics_entity *x = sf_metrics_agent(sf_session_metrics(warm), i);
        double idle = sf_metrics_agent(sf_session_metrics(full), i)->time[SF_STATE_IDLE] -
                      sf_metrics_agent(sf_session_metrics(early), i)->time[SF_STATE_IDLE];
        rel(x->energy[SF_POWER_IDLE], sf_world_agent(wf, i)->meter.energy[SF_POWER_IDLE] -
                                          sf_world_agent(we, i)->meter.energy[SF_POWER_IDLE],
            1e-9, "idle energy after the warm-up");
        rel(x->time[SF_STATE_IDLE], idle, 1e-9, "idle time after the warm-up");
    }
    sf_session_free(early);
    sf_session_free(full);
    sf_session_free(warm);
}

/*
 * Conservation in every flagship scenario over a day (shifts begin and
 * end, the lights-out hall goes dark): the plant's grid energy is its
 * fleet types' (agents and spare packs) + its stations' + the base load
 * (by schedule) + the occupancy loads + the AS/RS cranes' draw - what
 * their lowering fed back, to 1e-9.
 */
/* Every station's producing time and ISO 22400 loss buckets add up to its planned busy time. */
static void buckets_add_up(const sf_kpis *k, const char *where)
{
    static const char *const parts[] = {"time_producing", "loss_setup", "loss_failed", "loss_starved", "loss_blocked",
                                        "loss_wait_transport", "loss_wait_crew", "loss_safety_stop"};

    for (size_t i = 0; i < k->n; i++) {
        const sf_kpi *r = &k->v[i];
        double sum = 0;
        if (strcmp(r->metric, "time_planned") != 0)
            continue;
        for (size_t j = 0; j < sizeof parts / sizeof parts[0]; j++)
            sum += sf_kpis_find(k, parts[j], r->entity)->value;
        if (!(fabs(sum - r->value) <= 1e-9 * r->value + 1e-12))
            fail_msg("%s, station %s: planned %.15g h, buckets %.15g h", where, r->entity, r->value, sum);
    }
}

/*
 * One AGV carries one unit dock -> cut -> drill -> dock
 * (tests/script/data/transport_agv.yaml, timed by hand in
 * tests/script/test_production.c): cut waits for its unit from 0 to 27 s
 * (ordered at 0, delivered at 27) and for the pickup from 37 to 45 s: 35
 * s; drill for its unit from 37 (cut done, the AGV booked) to 74 s and
 * for the pickup to the dock from 90 to 98 s: 45 s. That is waiting for
 * transport, not starved or blocked; the buckets still fill the hour.
 */
static void test_a_station_fed_by_one_agv_waits_for_transport(void **st)
{
    char saved[sizeof scenario];
    sf_session *s;
    sf_kpis k;

    (void)st;
    memcpy(saved, scenario, sizeof saved);
    snprintf(scenario, sizeof scenario, "%s/tests/script/data/transport_agv.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    s = open_run(NULL, 0, 0);
    sf_kpis_init(&k);
    assert_int_equal(sf_session_kpis(s, &k), SF_OK);
    rel(sf_kpis_find(&k, "loss_wait_transport", "cut")->value * 3600, 35, 1e-9, "cut waits 27 + 8 s");
    rel(sf_kpis_find(&k, "loss_wait_transport", "drill")->value * 3600, 45, 1e-9, "drill waits 37 + 8 s");
    rel(sf_kpis_find(&k, "loss_starved", "cut")->value * 3600, 3600 - 35 - 10, 1e-9, "cut starved the rest");
    rel(sf_kpis_find(&k, "loss_starved", "drill")->value * 3600, 3600 - 45 - 16, 1e-9, "drill starved the rest");
    rel(sf_kpis_find(&k, "loss_blocked", "cut")->value, 0, 0, "cut never blocked");
    rel(sf_kpis_find(&k, "loss_blocked", "drill")->value, 0, 0, "drill never blocked");
    buckets_add_up(&k, "transport_agv");
    sf_kpis_free(&k);
    sf_session_free(s);
    memcpy(scenario, saved, sizeof saved);
}

/*
 * Run `file` (under the source tree): its stability findings must include
 * `want`; then run `quiet` (NULL: the default scenario): none of its
 * findings may hold `absent`.
 */
static void finding_in(const char *file, const char *want, const char *quiet, const char *absent)
{
    char saved[sizeof scenario], found[8][SF_FINDING_LEN];
    sf_session *s;
    size_t n;
    bool seen = false;

    memcpy(saved, scenario, sizeof saved);
    snprintf(scenario, sizeof scenario, "%s/%s", getenv("SHOPFLOOR_SOURCE_DIR"), file);
    s = open_run(NULL, 0, 0);
    n = sf_metrics_stability(sf_session_metrics(s), found, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        seen = seen || strcmp(found[i], want) == 0;
    if (!seen)
        fail_msg("no finding '%s' among %zu (first: '%s')", want, n, n ? found[0] : "");
    sf_session_free(s);
    memcpy(scenario, saved, sizeof saved);
    if (quiet)
        snprintf(scenario, sizeof scenario, "%s/%s", getenv("SHOPFLOOR_SOURCE_DIR"), quiet);
    s = open_run(NULL, 0, 0);
    n = sf_metrics_stability(sf_session_metrics(s), found, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        assert_null(strstr(found[i], absent));
    sf_session_free(s);
    memcpy(scenario, saved, sizeof saved);
}

/*
 * Racks full (tests/metrics/data/rack_full.yaml): 4 cells, a pallet every
 * 5 minutes from 5 min on, no order. The fourth (20 min) takes the last
 * cell; from the fifth (25 min) on a pallet waits for space to the end:
 * 455 of 480 min, 94.8 %, and 96 - 4 = 92 wait at the end. The basic
 * warehouse, whose orders keep cells free, says nothing about its racks.
 */
static void test_a_rack_full_with_pallets_waiting_is_a_stability_finding(void **st)
{
    (void)st;
    finding_in("tests/metrics/data/rack_full.yaml",
               "the racks are full (all 4 cells taken or reserved) with pallets waiting for space 94.8% of the "
               "measured window; 92 wait at the end",
               NULL, "racks are full");
}

/*
 * A station buffer full (tests/metrics/data/buffer_full.yaml): cut 10 s
 * feeds drill 40 s through 2 places, a part every 10 s. Drill takes part
 * 1 at 20 s; parts 2 and 3 fill its buffer at 30 and 40 s; part 4 is done
 * at 50 s with nowhere to go (cut blocked) until drill takes part 2 at
 * 60 s and part 4 takes the freed place at once. From then on cut works
 * 10 s and is blocked 30 s of every 40: [50, 60) and [70 + 40k, 100 + 40k)
 * to the end of 7,200 s, 10 + 178 x 30 + 10 = 5,360 s, 74.4 %, full at
 * the end. The production test line at its own demand says nothing.
 */
static void test_a_station_buffer_full_with_its_feeder_blocked_is_a_stability_finding(void **st)
{
    (void)st;
    finding_in("tests/metrics/data/buffer_full.yaml",
               "the input buffer of drill is full (all 2 places taken or reserved) with a station upstream "
               "blocked 74.4% of the measured window, and at the end",
               "tests/model/data/production_line.yaml", "input buffer");
}

static void test_grid_energy_is_the_sum_of_its_parts_in_every_flagship_scenario(void **st)
{
    static const char *const flagship[] = {"smart_factory", "humanoid_swap",   "warehouse_asrs", "assembly_fenced",
                                           "assembly_ssm",  "assembly_pfl",    "lights_out",     "upgrade_manual",
                                           "upgrade_automated", "green_steel"};
    char saved[sizeof scenario];

    (void)st;
    memcpy(saved, scenario, sizeof saved);
    for (size_t f = 0; f < sizeof flagship / sizeof flagship[0]; f++) {
        sf_session *s;
        sf_kpis k;
        double parts = 0, plant;
        snprintf(scenario, sizeof scenario, "%s/scenarios/%s.yaml", getenv("SHOPFLOOR_SOURCE_DIR"), flagship[f]);
        s = open_run(NULL, 0, 24 * SF_HOUR);
        sf_kpis_init(&k);
        assert_int_equal(sf_session_kpis(s, &k), SF_OK);
        for (size_t i = 0; i < k.n; i++) {
            const sf_kpi *r = &k.v[i];
            if (!*r->entity && (!strcmp(r->metric, "energy_base_load") || !strcmp(r->metric, "energy_occupancy") ||
                                !strcmp(r->metric, "energy_cranes")))
                parts += r->value;
            if (!*r->entity && !strcmp(r->metric, "energy_fed_back")) /* AS/RS cranes lowering */
                parts -= r->value;
            if (*r->entity && !strcmp(r->metric, "energy_grid") && !strchr(r->entity, '.')) /* types and stations */
                parts += r->value;
        }
        plant = sf_kpis_find(&k, "energy_grid", "")->value;
        if (!(fabs(plant - parts) <= 1e-9 * plant))
            fail_msg("%s: plant %.15g kWh, parts %.15g kWh", flagship[f], plant, parts);
        buckets_add_up(&k, flagship[f]);
        if (!strcmp(flagship[f], "lights_out"))
            assert_true(sf_kpis_find(&k, "energy_lighting", "inspection_hall")->value > 0);
        sf_kpis_free(&k);
        sf_session_free(s);
    }
    memcpy(scenario, saved, sizeof saved);
}

/*
 * Supervision of humanoids (one person for every 4 while busy, 40 EUR/h)
 * changes nothing in the run, and adds to the people's figures exactly:
 * supervision_hours = busy hours / 4 = utilisation x presence / 4, the
 * same added to worker_hours, 40 EUR for each of them added to the
 * labour cost.
 */
static void test_supervision_is_a_quarter_of_the_humanoids_busy_hours(void **st)
{
    static const char *const sup[] = {"fleet.humanoid.supervision={per: 4, cost_per_hour: 40 EUR/h}"};
    char saved[sizeof scenario];
    sf_session *a, *b;
    double busy_h, h;

    (void)st;
    memcpy(saved, scenario, sizeof saved);
    snprintf(scenario, sizeof scenario, "%s/scenarios/humanoid_swap.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    a = open_run(NULL, 0, 24 * SF_HOUR);
    b = open_run(sup, 1, 24 * SF_HOUR);
    busy_h = kpi(b, "utilisation", "humanoid") / 100 * kpi(b, "presence", "humanoid");
    h = kpi(b, "supervision_hours", "humanoid");
    assert_true(h > 1);
    rel(h, busy_h / 4, 1e-12, "supervision_hours of the humanoids");
    rel(kpi(b, "supervision_hours", ""), h, 1e-12, "supervision_hours of the plant");
    rel(kpi(b, "utilisation", "humanoid"), kpi(a, "utilisation", "humanoid"), 1e-15, "the run is the same");
    rel(kpi(b, "worker_hours", "") - kpi(a, "worker_hours", ""), h, 1e-9, "worker_hours grow by it");
    rel(kpi(b, "cost_labour", "") - kpi(a, "cost_labour", ""), 40 * h, 1e-9, "cost_labour grows by 40 EUR/h");
    sf_session_free(a);
    sf_session_free(b);
    memcpy(scenario, saved, sizeof saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_profile_integrates_to_the_meters),
        cmocka_unit_test(test_warmup_leaves_out_the_first_hours),
        cmocka_unit_test(test_supervision_is_a_quarter_of_the_humanoids_busy_hours),
        cmocka_unit_test(test_grid_energy_is_the_sum_of_its_parts_in_every_flagship_scenario),
        cmocka_unit_test(test_a_station_fed_by_one_agv_waits_for_transport),
        cmocka_unit_test(test_a_rack_full_with_pallets_waiting_is_a_stability_finding),
        cmocka_unit_test(test_a_station_buffer_full_with_its_feeder_blocked_is_a_stability_finding),
    };
    snprintf(scenario, sizeof scenario, "%s/scenarios/warehouse_basic.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    setenv("SHOPFLOOR_SCRIPTS", "", 0);
    if (!getenv("SHOPFLOOR_SCRIPTS") || !*getenv("SHOPFLOOR_SCRIPTS")) {
        static char dir[4096];
        snprintf(dir, sizeof dir, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
        setenv("SHOPFLOOR_SCRIPTS", dir, 1);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
