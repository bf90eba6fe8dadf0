/*
 * test_optimize.c: the ranking-and-selection procedure's arithmetic,
 * checked against hand calculations (experiment/optimize.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "experiment/optimize.h"
#include "report/experiment_html.h"

/* eta = 1/2 [(2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1]: with n0 = 3 the power is -1. */
static void test_eta_matches_kim_nelson_by_hand(void **state)
{
    (void)state;
    assert_true(fabs(sf_optimize_eta(0.05, 2, 3) - 4.5) < 1e-12);  /* (0.1)^-1 = 10 */
    assert_true(fabs(sf_optimize_eta(0.05, 3, 3) - 9.5) < 1e-12);  /* (0.05)^-1 = 20 */
    /* n0 = 5: (0.1)^(-1/2) = 3.16227766..., eta = 1.08113883 */
    assert_true(fabs(sf_optimize_eta(0.05, 2, 5) - 0.5 * (sqrt(10) - 1)) < 1e-12);
}

/* Two alternatives, three replications each, filled by hand. */
static void two(sf_optimize *o, double delta)
{
    static const double a[] = {1, 2, 3}, b[] = {2, 4, 3};

    memset(o, 0, sizeof *o);
    o->delta = delta;
    o->alpha = 0.05;
    o->n0 = 3;
    assert_int_equal(sf_optimize_start(o, 2, 3), SF_OK);
    memcpy(o->alts[0].x, a, sizeof a);
    memcpy(o->alts[1].x, b, sizeof b);
}

/*
 * A - B = -1, -2, 0: S2 = 1; h^2 = 2 * 4.5 * 2 = 18. Means 2 and 3.
 * delta 1: W(3) = 1 / 6 * (18 - 3) = 2.5 > 1, both stay.
 * delta 2: W(3) = 2 / 6 * (18 / 4 - 3) = 0.5 < 1, B leaves and A is selected.
 */
static void test_elimination_follows_the_triangle_by_hand(void **state)
{
    sf_optimize o;

    (void)state;
    two(&o, 1);
    assert_true(fabs(o.h2 - 18) < 1e-12);
    assert_false(sf_optimize_check(&o, 3));
    assert_true(fabs(o.s2[1] - 1) < 1e-12);
    assert_int_equal(o.alts[0].status, SF_OPT_CONTENDING);
    assert_int_equal(o.alts[1].status, SF_OPT_CONTENDING);
    sf_optimize_close(&o);

    two(&o, 2);
    assert_true(sf_optimize_check(&o, 3));
    assert_int_equal(o.alts[0].status, SF_OPT_SELECTED);
    assert_int_equal(o.alts[1].status, SF_OPT_ELIMINATED);
    assert_int_equal(o.alts[1].left_at, 3);
    sf_optimize_close(&o);

    /* maximising, the same numbers eliminate A instead */
    two(&o, 2);
    o.maximise = true;
    assert_true(sf_optimize_check(&o, 3));
    assert_int_equal(o.alts[0].status, SF_OPT_ELIMINATED);
    assert_int_equal(o.alts[1].status, SF_OPT_SELECTED);
    sf_optimize_close(&o);
}

/* Two alternatives with the same figures every run (S2 = 0): the triangle is closed at once, the first wins. */
static void test_identical_alternatives_are_decided_for_the_first(void **state)
{
    sf_optimize o = {0};

    (void)state;
    o.delta = 1;
    o.alpha = 0.05;
    o.n0 = 3;
    assert_int_equal(sf_optimize_start(&o, 3, 3), SF_OK);
    for (int j = 0; j < 3; j++)
        o.alts[0].x[j] = o.alts[1].x[j] = o.alts[2].x[j] = 4 + j;
    assert_true(sf_optimize_check(&o, 3));
    assert_int_equal(o.alts[0].status, SF_OPT_SELECTED);
    assert_int_equal(o.alts[1].status, SF_OPT_ELIMINATED);
    assert_int_equal(o.alts[2].status, SF_OPT_ELIMINATED);
    sf_optimize_close(&o);
}

/*
 * One alternative, y >= 5 +- 1, y = q + 10 + (0, 1, -1): S2 = 1. beta =
 * (0.05 / 2) / (1 x 1) = 0.025, eta(0.025, 2, 3) = 1/2 (20 - 1) = 9.5,
 * h1^2 = 38; R(3) = 38 / 2 - 3 / 2 = 17.5. The sum of q - y is -30 <=
 * -17.5: feasible, and selected. With y = q + 2 + (0, 1, -1) the sum is
 * -6, inside (-17.5, 17.5): not decided yet. With y = q - 10 + ..., the
 * sum is +30: infeasible.
 */
static void test_feasibility_check_by_hand(void **state)
{
    const double shift[] = {10, 2, -10};
    const sf_opt_status want[] = {SF_OPT_SELECTED, SF_OPT_CONTENDING, SF_OPT_INFEASIBLE};

    (void)state;
    for (int t = 0; t < 3; t++) {
        sf_optimize o = {0};
        char err[256];
        o.delta = 1;
        o.alpha = 0.05;
        o.n0 = 3;
        assert_int_equal(sf_optimize_add_constraint(&o, "rate >= 5 +- 1", err, sizeof err), SF_OK);
        assert_int_equal(sf_optimize_start(&o, 1, 3), SF_OK);
        assert_true(fabs(o.h2_feas - 38) < 1e-12);
        for (int j = 0; j < 3; j++) {
            o.alts[0].x[j] = 1;
            o.alts[0].y[0][j] = 5 + shift[t] + (j == 1 ? 1 : j == 2 ? -1 : 0);
        }
        assert_int_equal(sf_optimize_check(&o, 3), t != 1);
        assert_int_equal(o.alts[0].status, want[t]);
        sf_optimize_close(&o);
    }
}

/* An alternative not yet known to be feasible cannot eliminate another, however good it looks. */
static void test_only_feasible_alternatives_eliminate(void **state)
{
    sf_optimize o = {0};
    char err[256];

    (void)state;
    o.delta = 100;
    o.alpha = 0.05;
    o.n0 = 3;
    assert_int_equal(sf_optimize_add_constraint(&o, "rate >= 5 +- 1", err, sizeof err), SF_OK);
    assert_int_equal(sf_optimize_start(&o, 2, 3), SF_OK);
    for (int j = 0; j < 3; j++) {
        o.alts[0].x[j] = 1 + j;       /* far better */
        o.alts[0].y[0][j] = 5 + j - 1; /* feasibility open: sum of q - y is 0 */
        o.alts[1].x[j] = 1000 + j;
        o.alts[1].y[0][j] = 50 + j;   /* clearly feasible: sum -135 */
    }
    assert_false(sf_optimize_check(&o, 3));
    assert_int_equal(o.alts[0].status, SF_OPT_CONTENDING); /* B is feasible but far worse: it cannot remove A */
    assert_int_equal(o.alts[1].status, SF_OPT_CONTENDING); /* and A, not known feasible, may not remove B */
    for (int j = 0; j < 3; j++)
        o.alts[0].y[0][j] = 50 + j; /* the same check once A's figures show it feasible */
    assert_true(sf_optimize_check(&o, 3));
    assert_int_equal(o.alts[0].status, SF_OPT_SELECTED);
    assert_int_equal(o.alts[1].status, SF_OPT_ELIMINATED);
    sf_optimize_close(&o);
}

static void test_objective_and_constraint_syntax(void **state)
{
    sf_optimize o = {0};
    char err[512];

    (void)state;
    assert_int_equal(sf_optimize_set_goal(&o, "min cost_per_unit", err, sizeof err), SF_OK);
    assert_string_equal(o.goal.metric, "cost_per_unit");
    assert_string_equal(o.goal.entity, "");
    assert_false(o.maximise);
    assert_int_equal(sf_optimize_set_goal(&o, "max mean[time in system]", err, sizeof err), SF_OK);
    assert_string_equal(o.goal.entity, "time in system");
    assert_true(o.maximise);
    assert_int_equal(sf_optimize_set_goal(&o, "lowest cost", err, sizeof err), SF_EUSAGE);
    assert_non_null(strstr(err, "min METRIC"));
    assert_int_equal(sf_optimize_add_constraint(&o, "throughput >= 20/h", err, sizeof err), SF_OK);
    assert_true(o.cons[0].at_least && o.cons[0].bound == 20 && fabs(o.cons[0].eps - 0.2) < 1e-12);
    assert_string_equal(o.cons[0].unit, "/h");
    assert_false(o.cons[0].eps_given);
    assert_int_equal(sf_optimize_add_constraint(&o, "wip_mean <= 8 +- 0.5", err, sizeof err), SF_OK);
    assert_true(!o.cons[1].at_least && o.cons[1].eps == 0.5 && o.cons[1].eps_given && !o.cons[1].unit);
    assert_int_equal(sf_optimize_add_constraint(&o, "stops <= 0", err, sizeof err), SF_EUSAGE); /* no tolerance possible */
    assert_int_equal(sf_optimize_add_constraint(&o, "throughput = 20", err, sizeof err), SF_EUSAGE);
    sf_optimize_close(&o);
}

/* Read a whole small file into buf. */
static void slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got;

    assert_non_null(f);
    got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

/*
 * A trace by hand: agent a idle from 0 and working from 1800 s, station s
 * working from 0 to 900 s, then blocked; the run ends at 3600 s. The time
 * axis is 560 columns from x = 340, so a's idle bar is 280 wide at 340 and
 * its working bar 280 wide at 620; s's bars are 140 and 420 wide.
 */
static void test_gantt_bars_by_hand(void **state)
{
    char trace[] = "/tmp/sf_gantt_XXXXXX", html[64], page[65536];
    FILE *f;
    int fd;

    (void)state;
    assert_true((fd = mkstemp(trace)) >= 0);
    assert_non_null(f = fdopen(fd, "w"));
    fputs("time_s,entity,name,state\n0,agent,a,idle\n0,station,s,working\n900,station,s,blocked\n"
          "1800,agent,a,working\n", f);
    fclose(f);
    snprintf(html, sizeof html, "%s.html", trace);
    assert_int_equal(sf_experiment_html_gantt(trace, html, 3600, "hand"), SF_OK);
    slurp(html, page, sizeof page);
    /* idle #cbd5e1, working #16a34a, blocked #f97316 */
    assert_non_null(strstr(page, "<rect x=\"340.0\" y=\"43\" width=\"280\" height=\"16\" fill=\"#cbd5e1\"/>"));
    assert_non_null(strstr(page, "<rect x=\"620.0\" y=\"43\" width=\"280\" height=\"16\" fill=\"#16a34a\"/>"));
    assert_non_null(strstr(page, "<rect x=\"340.0\" y=\"65\" width=\"140\" height=\"16\" fill=\"#16a34a\"/>"));
    assert_non_null(strstr(page, "<rect x=\"480.0\" y=\"65\" width=\"420\" height=\"16\" fill=\"#f97316\"/>"));
    assert_non_null(strstr(page, ">agent a</text>"));
    assert_non_null(strstr(page, ">station s</text>"));
    assert_int_equal(sf_experiment_html_gantt(html, trace, 3600, "not a trace"), SF_EINVAL);
    remove(trace);
    remove(html);
}

/*
 * Two sweep points whose throughput differs by a rounding (30.56 and the
 * next doubles above it, as two runs that differ only in a speed the
 * bottleneck never uses): the axis is that of one value, 30.56 +- 10 %
 * (27.504 to 33.616, ticks every 1 from 27 to 34: 8 ticks), where its
 * step of 1e-15 made the tick loop add nothing and write without end.
 */
static void test_chart_of_values_a_rounding_apart_has_a_finite_axis(void **state)
{
    char html[] = "/tmp/sf_chart_XXXXXX", page[65536];
    const sf_xhtml_row rows[] = {{"a", 30.56, NAN, NAN, NULL, 1, 0}, {"b", 30.56 + 4e-15, NAN, NAN, NULL, 1, 0}};
    const sf_xhtml_chart chart = {"throughput", "throughput (1/h)", rows, 2, 0};
    int fd, ticks = 0;

    (void)state;
    assert_true((fd = mkstemp(html)) >= 0);
    close(fd);
    assert_int_equal(sf_experiment_html_charts(html, "sweep", "rounding", NULL, &chart, 1), SF_OK);
    slurp(html, page, sizeof page);
    for (const char *p = page; (p = strstr(p, "class=\"tick\" x=")) != NULL; p++)
        ticks++;
    assert_int_equal(ticks, 8 + 1); /* 8 ticks and the axis's name */
    assert_non_null(strstr(page, ">27</text>"));
    assert_non_null(strstr(page, ">34</text>"));
    remove(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eta_matches_kim_nelson_by_hand),
        cmocka_unit_test(test_elimination_follows_the_triangle_by_hand),
        cmocka_unit_test(test_identical_alternatives_are_decided_for_the_first),
        cmocka_unit_test(test_feasibility_check_by_hand),
        cmocka_unit_test(test_only_feasible_alternatives_eliminate),
        cmocka_unit_test(test_objective_and_constraint_syntax),
        cmocka_unit_test(test_gantt_bars_by_hand),
        cmocka_unit_test(test_chart_of_values_a_rounding_apart_has_a_finite_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
