/*
 * test_experiment.c: Student-t quantiles against published tables,
 * confidence intervals against a hand calculation, seeds of
 * replications, the replication table, the grid of a sweep, and common
 * random numbers on a real plant.
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
#include "experiment/ci.h"
#include "experiment/replicate.h"
#include "experiment/sweep.h"

/* t quantiles from the NIST/SEMATECH e-Handbook table 1.3.6.7.2 (and R's qt for the extra digits). */
static void test_t_quantile_matches_tables(void **state)
{
    static const struct {
        double p, df, t;
    } table[] = {
        {0.975, 1, 12.7062047}, {0.975, 2, 4.30265273}, {0.975, 3, 3.18244631}, {0.975, 5, 2.57058184},
        {0.975, 7, 2.36462425}, {0.975, 10, 2.22813885}, {0.975, 30, 2.04227246}, {0.975, 100, 1.98397152},
        {0.95, 1, 6.31375151},  {0.95, 5, 2.01504837},  {0.95, 20, 1.72471824},  {0.995, 4, 4.60409487},
        {0.9995, 1, 636.619249}, {0.975, 1e6, 1.95996635},
    };
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        double t = sf_ci_t_quantile(table[i].p, table[i].df);
        assert_true(fabs(t - table[i].t) < 1e-6 * table[i].t);
        /* symmetric, and the cdf inverts it */
        assert_true(fabs(sf_ci_t_quantile(1 - table[i].p, table[i].df) + t) < 1e-6 * t);
        assert_true(fabs(sf_ci_t_cdf(t, table[i].df) - table[i].p) < 1e-9);
    }
    assert_true(sf_ci_t_quantile(0.5, 3) == 0);
    assert_true(isnan(sf_ci_t_quantile(1, 3)));
    assert_true(isnan(sf_ci_t_quantile(0.9, 0)));
}

/* x = 2 4 4 4 5 5 7 9: mean 5, sum of squares 32, sd sqrt(32/7), half t(.975, 7) sd / sqrt 8. */
static void test_ci_matches_hand_calculation(void **state)
{
    double x[] = {2, 4, NAN, 4, 4, 5, 5, 7, 9}; /* the NaN is a replication without the figure */
    sf_ci c = sf_ci_of(x, 9, 0.95);
    (void)state;
    assert_int_equal(c.n, 8);
    assert_true(fabs(c.mean - 5) < 1e-12);
    assert_true(fabs(c.sd - sqrt(32.0 / 7)) < 1e-12);
    assert_true(fabs(c.half - 2.36462425 * sqrt(32.0 / 7) / sqrt(8)) < 1e-7);
    assert_true(fabs(c.half - 1.78748) < 1e-5);

    c = sf_ci_of(x, 1, 0.95); /* one value: no interval */
    assert_int_equal(c.n, 1);
    assert_true(c.mean == 2 && c.sd == 0 && isnan(c.half));
    double same[] = {3.25, 3.25, 3.25};
    c = sf_ci_of(same, 3, 0.95);
    assert_true(c.sd == 0 && c.half == 0 && c.mean == 3.25);
}

static void test_seeds_are_a_function_of_base_and_replication(void **state)
{
    (void)state;
    assert_true(sf_rep_seed(7, 0) == sf_rep_seed(7, 0));
    assert_true(sf_rep_seed(7, 3) == sf_rep_seed(7, 3));
    for (uint64_t r = 0; r < 100; r++) {
        assert_true(sf_rep_seed(7, r) != sf_rep_seed(7, r + 1));
        assert_true(sf_rep_seed(7, r) != sf_rep_seed(8, r));
    }
    /* fixed forever: stored sweeps and printed reproducing commands rely on it */
    assert_true(sf_rep_seed(7, 0) == 1554918455231291416ull);
    assert_true(sf_rep_seed(7, 1) == 5842335685837420485ull);
}

static void add(sf_kpis *k, const char *metric, const char *entity, double v, bool headline)
{
    assert_int_equal(sf_kpis_add(k, metric, entity, v, "", headline), SF_OK);
}

static void test_table_pairs_rows_by_metric_and_entity(void **state)
{
    sf_rep_table t;
    sf_kpis a, b;
    (void)state;
    sf_rep_table_init(&t);
    sf_kpis_init(&a);
    sf_kpis_init(&b);
    add(&a, "throughput", "", 100, true);
    add(&a, "trips", "agv", 10, false);
    add(&b, "trips", "forklift", 4, false); /* new key in the second replication */
    add(&b, "throughput", "", 102, true);
    assert_int_equal(sf_rep_table_add(&t, &a), SF_OK);
    assert_false(sf_rep_table_precise(&t, 0.5, 0.95)); /* one replication */
    assert_int_equal(sf_rep_table_add(&t, &b), SF_OK);
    assert_int_equal(t.nreps, 2);
    assert_int_equal(t.nkeys, 3);
    assert_int_equal(sf_rep_table_find(&t, "trips", "forklift"), 2);
    assert_true(isnan(t.keys[2].v[0]) && t.keys[2].v[1] == 4);
    assert_true(t.keys[1].v[0] == 10 && isnan(t.keys[1].v[1]));
    sf_ci c = sf_rep_table_ci(&t, 0, 0.95);
    assert_true(c.n == 2 && c.mean == 101);
    /* half = 12.706 * sqrt(2) / sqrt(2) = 12.706: 12.6% of 101 */
    assert_false(sf_rep_table_precise(&t, 0.12, 0.95));
    assert_true(sf_rep_table_precise(&t, 0.13, 0.95));
    sf_kpis_free(&a);
    sf_kpis_free(&b);
    sf_rep_table_free(&t);
}

static void test_vary_lists_ranges_grid_and_zip(void **state)
{
    sf_sweep sw = {0};
    char err[256];
    (void)state;
    assert_int_equal(sf_sweep_add_vary(&sw, "fleet.agv.count=2,4,8", err, sizeof err), SF_OK);
    assert_int_equal(sf_sweep_add_vary(&sw, "safety.ssm.reduced_speed=0.1:0.5:0.1", err, sizeof err), SF_OK);
    assert_int_equal(sw.vars[1].n, 5);
    assert_string_equal(sw.vars[1].values[2], "0.3");
    assert_string_equal(sw.vars[1].values[4], "0.5");
    assert_int_equal(sf_sweep_points(&sw), 15);
    /* the first --vary changes slowest */
    assert_string_equal(sf_sweep_value(&sw, 0, 0), "2");
    assert_string_equal(sf_sweep_value(&sw, 4, 0), "2");
    assert_string_equal(sf_sweep_value(&sw, 5, 0), "4");
    assert_string_equal(sf_sweep_value(&sw, 6, 1), "0.2");
    assert_string_equal(sf_sweep_value(&sw, 14, 0), "8");
    assert_string_equal(sf_sweep_value(&sw, 14, 1), "0.5");
    sw.zip = true;
    assert_int_equal(sf_sweep_points(&sw), 0); /* 3 and 5 values do not pair */
    sf_sweep_close(&sw);

    assert_int_equal(sf_sweep_add_vary(&sw, "a=1,2,3", err, sizeof err), SF_OK);
    assert_int_equal(sf_sweep_add_vary(&sw, "b=x,y,z", err, sizeof err), SF_OK);
    sw.zip = true;
    assert_int_equal(sf_sweep_points(&sw), 3);
    assert_string_equal(sf_sweep_value(&sw, 1, 0), "2");
    assert_string_equal(sf_sweep_value(&sw, 1, 1), "y");
    assert_int_equal(sf_sweep_add_vary(&sw, "a=5", err, sizeof err), SF_EUSAGE); /* twice */
    assert_int_equal(sf_sweep_add_vary(&sw, "c=1,,2", err, sizeof err), SF_EUSAGE);
    assert_int_equal(sf_sweep_add_vary(&sw, "nokey", err, sizeof err), SF_EUSAGE);
    assert_int_equal(sf_sweep_add_vary(&sw, "d=5:1:1", err, sizeof err), SF_EUSAGE);
    assert_int_equal(sf_sweep_add_vary(&sw, "e=0:1:0", err, sizeof err), SF_EUSAGE);
    assert_int_equal(sf_sweep_add_vary(&sw, "f=0:1:0.25", err, sizeof err), SF_OK);
    assert_int_equal(sw.vars[2].n, 5);
    sf_sweep_close(&sw);
}

static const char *plant(char *buf, size_t n)
{
    const char *src = getenv("SHOPFLOOR_SOURCE_DIR");
    snprintf(buf, n, "%s/tests/experiment/data/plant.yaml", src ? src : ".");
    return buf;
}

/*
 * Common random numbers: the same plant with the same seed gives exactly
 * the same figures (differences of 0, not merely small ones), and another
 * seed gives other figures.
 */
static void test_same_seed_same_figures_other_seed_others(void **state)
{
    char path[4096], err[2048];
    sf_session_spec spec = {0};
    sf_kpis k[3];
    (void)state;
    spec.model = plant(path, sizeof path);
    spec.seed_given = true;
    for (int i = 0; i < 3; i++) {
        sf_kpis_init(&k[i]);
        spec.seed = sf_rep_seed(7, i == 2 ? 1 : 0);
        assert_int_equal(sf_rep_run(&spec, &k[i], err, sizeof err), SF_OK);
    }
    assert_true(k[0].n > 5 && k[0].n == k[1].n);
    bool differs = false;
    for (size_t j = 0; j < k[0].n; j++) {
        const sf_kpi *other = sf_kpis_find(&k[2], k[0].v[j].metric, k[0].v[j].entity);
        assert_string_equal(k[0].v[j].metric, k[1].v[j].metric);
        /* a figure a run cannot define (a lead time without jobs) is NaN in both */
        assert_true(k[1].v[j].value - k[0].v[j].value == 0 || (isnan(k[0].v[j].value) && isnan(k[1].v[j].value)));
        differs = differs || (other && other->value != k[0].v[j].value);
    }
    assert_true(differs);
    for (int i = 0; i < 3; i++)
        sf_kpis_free(&k[i]);
}

/* A failing replication reports the script's message with its place. */
static void test_failed_replication_says_why(void **state)
{
    char path[4096], err[2048];
    const char *sets[] = {"fleet.tugger.behaviour=seize"};
    sf_session_spec spec = {0};
    sf_kpis k;
    (void)state;
    spec.model = plant(path, sizeof path);
    spec.sets = sets;
    spec.nsets = 1;
    sf_kpis_init(&k);
    assert_int_not_equal(sf_rep_run(&spec, &k, err, sizeof err), SF_OK);
    assert_non_null(strstr(err, "seize.lua:5: drive of tugger.1 seized"));
    sf_kpis_free(&k);
    sets[0] = "fleet.tugger.count=many";
    assert_int_equal(sf_rep_run(&spec, &k, err, sizeof err), SF_EINVAL);
    assert_non_null(strstr(err, "count"));
    sf_kpis_free(&k);
}

int main(void)
{
    char scripts[4096];
    const char *src = getenv("SHOPFLOOR_SOURCE_DIR");

    if (src && !getenv("SHOPFLOOR_SCRIPTS")) {
        snprintf(scripts, sizeof scripts, "%s/scripts", src);
        setenv("SHOPFLOOR_SCRIPTS", scripts, 1);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantile_matches_tables),
        cmocka_unit_test(test_ci_matches_hand_calculation),
        cmocka_unit_test(test_seeds_are_a_function_of_base_and_replication),
        cmocka_unit_test(test_table_pairs_rows_by_metric_and_entity),
        cmocka_unit_test(test_vary_lists_ranges_grid_and_zip),
        cmocka_unit_test(test_same_seed_same_figures_other_seed_others),
        cmocka_unit_test(test_failed_replication_says_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
