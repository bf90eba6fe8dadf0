/*
 * Robots that learn (model/skills.h): the curves against their formulas
 * by hand, the success rate after n attempts against p(n) within its
 * binomial interval, pooled and individual experience on two robots,
 * retries and a rescue timed by hand, programming by instruction method
 * (time, first-run failures within their binomial interval, a new
 * variant), and the scenario's refusals.
 *
 * The cell (tests/model/data/learning_cell.yaml): first 60 %, limit 95 %,
 * scale 100 attempts, time_first 2, progress 80 %, retries 2, retry_time
 * 10 s, rescue_time 3 min.
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
#include "core/rng.h"
#include "model/skills.h"
#include "scenario/scenario.h"

static sf_scenario_config *load(const char *const *sets, size_t n, sf_diags *d)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/tests/model/data/learning_cell.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(d);
    return sf_scenario_load(path, sets, n, d);
}

static sf_scenario_config *load_ok(const char *const *sets, size_t n)
{
    sf_diags d;
    sf_scenario_config *cfg = load(sets, n, &d);

    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
}

/*
 * p(n) = 0.95 - 0.35 e^(-n / 100): p(0) = 0.6, p(100) = 0.95 - 0.35 / e
 * = 0.821242, p(200) = 0.95 - 0.35 / e^2 = 0.902633. f(n) = max(1,
 * 2 (n + 1)^(-b)), b = -log2 0.8 = 0.321928: f(0) = 2, f(1) = 2 x 0.8 =
 * 1.6, f(3) = 2 x 0.64 = 1.28, f(7) = 2 x 0.512 = 1.024, f(8) = 2 x 9^(-b)
 * = 0.986 below the operation's own time: 1.
 */
static void test_learning_curves_by_hand(void **state)
{
    sf_cfg_learning L = {.on = true, .success_first = 0.6, .success_limit = 0.95, .scale = 100, .time_first = 2,
                         .progress = 0.8};
    (void)state;

    assert_true(fabs(sf_learning_success(&L, 0) - 0.6) < 1e-12);
    assert_true(fabs(sf_learning_success(&L, 100) - 0.821242) < 1e-6);
    assert_true(fabs(sf_learning_success(&L, 200) - 0.902633) < 1e-6);
    assert_true(fabs(sf_learning_time_factor(&L, 0) - 2) < 1e-12);
    assert_true(fabs(sf_learning_time_factor(&L, 1) - 1.6) < 1e-12);
    assert_true(fabs(sf_learning_time_factor(&L, 3) - 1.28) < 1e-12);
    assert_true(fabs(sf_learning_time_factor(&L, 7) - 1.024) < 1e-12);
    assert_true(sf_learning_time_factor(&L, 8) == 1);
    L.progress = 1; /* no time learning: the first time throughout */
    assert_true(sf_learning_time_factor(&L, 1000) == 2);
}

/*
 * 4000 robots of the fleet entry, each with its own experience, operate
 * until each made 120 attempts. An operation of a attempts that ended in
 * a success failed its first a - 1 and succeeded at the last; one that
 * ended in a rescue failed them all. At n = 0 the successes are binomial
 * (4000, 0.6): 2400 within 4 standard deviations (31). Over n = 100..119
 * each trial at n succeeds with p(n): the successes lie within 4 standard
 * deviations of the sum of p(n) (a Poisson binomial).
 */
static void test_success_rate_after_n_attempts_matches_the_formula(void **state)
{
    static const char *const sets[] = {"fleet.picker.learning.experience=individual"};
    enum { ROBOTS = 4000 };
    sf_scenario_config *cfg = load_ok(sets, 1);
    const sf_cfg_learning *L = &cfg->fleet.types[0].learning;
    static int type[ROBOTS];
    double first_ok = 0, ok = 0, expect = 0, var = 0;
    bool failed;
    sf_skills *k;
    sf_rng r;
    (void)state;

    sf_rng_init(&r, 11, "test.learning");
    k = sf_skills_new(cfg, type, ROBOTS, &failed);
    assert_non_null(k);
    for (uint32_t a = 0; a < ROBOTS; a++) {
        uint64_t n;
        while ((n = sf_skills_experience(k, a, 0, 0)) < 120) {
            sf_skills_counts before = sf_skills_type_counts(k, 0), after;
            double f;
            sf_time extra;
            assert_int_equal(sf_skills_operate(k, a, 0, 0, &r, 0, &f, &extra), SF_OK);
            after = sf_skills_type_counts(k, 0);
            for (uint64_t i = 0; i < after.attempts - before.attempts; i++, n++) {
                bool success = i + 1 == after.attempts - before.attempts && after.successes > before.successes;
                first_ok += n == 0 && success;
                if (n >= 100 && n < 120) {
                    double p = sf_learning_success(L, (double)n);
                    ok += success;
                    expect += p;
                    var += p * (1 - p);
                }
            }
        }
    }
    assert_true(fabs(first_ok - 2400) < 4 * sqrt(4000 * 0.6 * 0.4));
    assert_true(fabs(ok - expect) < 4 * sqrt(var));
    assert_true(fabs(expect / (ROBOTS * 20.0) - 0.83) < 0.01); /* p(100..119) averages about 0.83, not 0.6 or 0.95 */
    sf_skills_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * Two robots of one fleet entry that never fail (first = limit = 100 %):
 * robot 0 operates 3 times, then robot 1 once. Pooled, robot 1 reads the
 * fleet entry's 3 attempts: its operation takes f(3) = 1.28 times the
 * operation's time, and both robots then stand at 4. Individual, robot 1
 * starts from nothing: f(0) = 2, and they stand at 3 and 1.
 */
static void test_pooled_and_individual_experience_on_two_robots(void **state)
{
    static const char *const pooled[] = {"fleet.picker.learning.success_first=100%",
                                         "fleet.picker.learning.success_limit=100%"};
    static const char *const own[] = {"fleet.picker.learning.success_first=100%",
                                      "fleet.picker.learning.success_limit=100%",
                                      "fleet.picker.learning.experience=individual"};
    static const int type[2] = {0, 0};
    (void)state;

    for (int individual = 0; individual < 2; individual++) {
        sf_scenario_config *cfg = individual ? load_ok(own, 3) : load_ok(pooled, 2);
        bool failed;
        sf_skills *k = sf_skills_new(cfg, type, 2, &failed);
        double f;
        sf_time extra;
        sf_rng r;

        sf_rng_init(&r, 1, "test.pooled");
        assert_non_null(k);
        for (int i = 0; i < 3; i++)
            assert_int_equal(sf_skills_operate(k, 0, 0, 0, &r, 0, &f, &extra), SF_OK);
        assert_int_equal(sf_skills_operate(k, 1, 0, 0, &r, 0, &f, &extra), SF_OK);
        assert_int_equal(extra, 0);
        assert_true(fabs(f - (individual ? 2 : 1.28)) < 1e-12);
        assert_int_equal(sf_skills_experience(k, 0, 0, 0), individual ? 3 : 4);
        assert_int_equal(sf_skills_experience(k, 1, 0, 0), individual ? 1 : 4);
        assert_int_equal(sf_skills_type_counts(k, 0).attempts, 4);
        assert_int_equal(sf_skills_type_counts(k, 0).successes, 4);
        sf_skills_free(k);
        sf_scenario_config_free(cfg);
    }
}

/*
 * A robot that all but never succeeds (first 0 %, limit 1 %, scale 10^12
 * attempts: p < 10^-13): an operation fails 3 times, is retried twice
 * (2 x 10 s) and rescued once (3 min): 200 s added, 3 attempts of
 * experience. Two operations an hour apart fall in periods 0 and 1.
 */
static void test_failed_attempts_cost_retries_then_a_rescue(void **state)
{
    static const char *const sets[] = {"fleet.picker.learning.success_first=0%",
                                       "fleet.picker.learning.success_limit=1%",
                                       "fleet.picker.learning.scale=1e12"};
    static const int type[1] = {0};
    sf_scenario_config *cfg = load_ok(sets, 3);
    bool failed;
    sf_skills *k = sf_skills_new(cfg, type, 1, &failed);
    sf_skills_counts c;
    uint64_t a, s;
    double f;
    sf_time extra;
    sf_rng r;
    (void)state;

    sf_rng_init(&r, 5, "test.rescue");
    assert_non_null(k);
    assert_int_equal(sf_skills_operate(k, 0, 0, 0, &r, 0, &f, &extra), SF_OK);
    assert_int_equal(extra, 200 * SF_SECOND);
    assert_int_equal(sf_skills_operate(k, 0, 0, 0, &r, SF_HOUR, &f, &extra), SF_OK);
    c = sf_skills_type_counts(k, 0);
    assert_int_equal(c.attempts, 6);
    assert_int_equal(c.successes, 0);
    assert_int_equal(c.retries, 4);
    assert_int_equal(c.rescues, 2);
    assert_int_equal(sf_skills_experience(k, 0, 0, 0), 6);
    assert_int_equal(sf_skills_periods(k, 0), 2);
    sf_skills_period(k, 0, 1, &a, &s);
    assert_int_equal(a, 3);
    assert_int_equal(s, 0);
    assert_false(sf_skills_learns(k, 1 + (int)cfg->fleet.n_types)); /* no such fleet entry */
    sf_skills_free(k);
    sf_scenario_config_free(cfg);
}

/*
 * Programming by natural language (defaults: 15 min on the robot, 20 % of
 * first runs fail) for a product with a new variant every day. 2000
 * robots each programmed once on day 0: 2000 x 900 s, and the failed
 * first runs binomial (2000, 0.2): 400 within 4 standard deviations
 * (sqrt(2000 x 0.2 x 0.8) = 17.9). Asked again the same day, nothing; on
 * day 1, a new variant: programmed again. Teach pendant sets 4 h, 5 %.
 */
static void test_programming_time_and_first_run_failures_by_method(void **state)
{
    static const char *const sets[] = {"fleet.picker.programming.method=natural_language",
                                       "products.part.variant_every=1d"};
    static const char *const pendant[] = {"fleet.picker.programming.method=teach_pendant"};
    enum { ROBOTS = 2000 };
    static int type[ROBOTS];
    sf_scenario_config *cfg = load_ok(sets, 2);
    bool failed, first;
    sf_skills *k = sf_skills_new(cfg, type, ROBOTS, &failed);
    sf_skills_counts c;
    sf_time t;
    sf_rng r;
    (void)state;

    sf_rng_init(&r, 9, "test.program");
    assert_non_null(k);
    assert_string_equal(cfg->fleet.types[0].programming.by, "operator");
    for (uint32_t a = 0; a < ROBOTS; a++) {
        sf_skills_program(k, a, 0, 0, &r, 3 * SF_HOUR, &t, &first);
        assert_int_equal(t, 900 * SF_SECOND);
    }
    c = sf_skills_type_counts(k, 0);
    assert_int_equal(c.programmings, ROBOTS);
    assert_true(fabs(c.programming_time - ROBOTS * 900.0) < 1e-6);
    assert_true(fabs((double)c.first_run_failures - 400) < 4 * sqrt(ROBOTS * 0.2 * 0.8));
    sf_skills_program(k, 7, 0, 0, &r, 23 * SF_HOUR, &t, &first); /* the same variant: programmed already */
    assert_int_equal(t, 0);
    assert_false(first);
    sf_skills_program(k, 7, 0, 0, &r, 24 * SF_HOUR, &t, &first); /* day 1: the next variant */
    assert_int_equal(t, 900 * SF_SECOND);
    assert_int_equal(sf_skills_type_counts(k, 0).programmings, ROBOTS + 1);
    assert_false(sf_skills_programmed(k, 1)); /* picker_b has no programming block */
    sf_skills_free(k);
    sf_scenario_config_free(cfg);

    cfg = load_ok(pendant, 1);
    assert_int_equal(cfg->fleet.types[0].programming.time, 4 * SF_HOUR);
    assert_true(cfg->fleet.types[0].programming.first_run_failure == 0.05);
    assert_string_equal(cfg->fleet.types[0].programming.by, "engineer");
    assert_int_equal(cfg->products[0].variant_every, 0);
    sf_scenario_config_free(cfg);
}

/* What the scenario refuses, each with its place. */
static void test_learning_refused_where_it_means_nothing(void **state)
{
    static const char *const cases[][4] = {
        {"fleet.picker.success_rate=90%", NULL, NULL, "'learning' sets the success rate from experience"},
        {"fleet.picker.kind=worker", "fleet.picker.home=a", "fleet.picker.speed=1", "only robots have 'learning'"},
        {"fleet.picker.learning.experience=both", NULL, NULL, "is not one of pooled, individual"},
        {"fleet.picker.learning.success_limit=0", NULL, NULL, "a success_limit must be above 0 %"},
        {"fleet.picker.learning.progress=0", NULL, NULL, "a progress ratio must be above 0 %"},
        {"fleet.picker.learning.time_first=0.5", NULL, NULL, "time_first"},
        {"fleet.picker.programming.method=telepathy", NULL, NULL, "is not one of teach_pendant"},
        {"products.part.variant_every=0s", NULL, NULL, "'variant_every' must be longer than 0 s"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *sets[3];
        size_t n = 0;
        sf_diags d;
        sf_scenario_config *cfg;
        bool found = false;
        for (int j = 0; j < 3; j++)
            if (cases[i][j])
                sets[n++] = cases[i][j];
        cfg = load(sets, n, &d);
        assert_null(cfg);
        for (size_t j = 0; j < d.n; j++)
            found |= strstr(d.v[j].message, cases[i][3]) != NULL && d.v[j].line > 0;
        if (!found)
            sf_diags_print(&d, stderr);
        assert_true(found);
        sf_diags_close(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learning_curves_by_hand),
        cmocka_unit_test(test_success_rate_after_n_attempts_matches_the_formula),
        cmocka_unit_test(test_pooled_and_individual_experience_on_two_robots),
        cmocka_unit_test(test_failed_attempts_cost_retries_then_a_rescue),
        cmocka_unit_test(test_programming_time_and_first_run_failures_by_method),
        cmocka_unit_test(test_learning_refused_where_it_means_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
