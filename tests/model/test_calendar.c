/*
 * Shift calendars by hand: the production test line starts on Monday
 * 2 March 2026 at 06:00. The early operators work 06:00-14:00 with
 * breaks at 09:00 (15 min) and 11:30 (30 min); the late ones 14:00-22:00
 * with a break at 18:00 (30 min); robots have no roster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/calendar.h"
#include "scenario/scenario.h"

#define H(x) ((sf_time)((x) * 3600.0 * 1e9 + 0.5))

static sf_scenario_config *load(void)
{
    char path[1024];
    sf_diags d;
    sf_scenario_config *cfg;

    snprintf(path, sizeof path, "%s/tests/model/data/production_line.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
}

static int type(const sf_scenario_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->fleet.n_types; i++)
        if (strcmp(cfg->fleet.types[i].name, name) == 0)
            return (int)i;
    fail_msg("no fleet entry %s", name);
    return -1;
}

static void expect(const sf_scenario_config *cfg, int t, sf_time at, sf_state want, sf_time until)
{
    sf_time u;
    sf_state s = sf_calendar_at(cfg, t, at, &u);
    if (s != want || u != until)
        fail_msg("at %lld ns: %s until %lld, expected %s until %lld", (long long)at, sf_state_name(s), (long long)u,
                 sf_state_name(want), (long long)until);
}

static void test_early_shift_breaks_and_end(void **state)
{
    sf_scenario_config *cfg = load();
    int early = type(cfg, "operator_early");
    (void)state;

    expect(cfg, early, 0, SF_STATE_IDLE, H(3));                       /* 06:00, break at 09:00 */
    expect(cfg, early, H(3) - 1, SF_STATE_IDLE, H(3));
    expect(cfg, early, H(3), SF_STATE_ON_BREAK, H(3.25));             /* 09:00-09:15 */
    expect(cfg, early, H(3.25), SF_STATE_IDLE, H(5.5));               /* back until 11:30 */
    expect(cfg, early, H(5.5), SF_STATE_ON_BREAK, H(6));
    expect(cfg, early, H(8) - 1, SF_STATE_IDLE, H(8));                /* the last ns of the shift */
    expect(cfg, early, H(8), SF_STATE_OFF_SHIFT, H(24));              /* off until 06:00 on Tuesday */
    sf_scenario_config_free(cfg);
}

static void test_late_shift_and_no_roster(void **state)
{
    sf_scenario_config *cfg = load();
    int late = type(cfg, "operator_late");
    (void)state;

    expect(cfg, late, 0, SF_STATE_OFF_SHIFT, H(8));
    expect(cfg, late, H(8), SF_STATE_IDLE, H(12));
    expect(cfg, late, H(12), SF_STATE_ON_BREAK, H(12.5));
    expect(cfg, late, H(15), SF_STATE_IDLE, H(16));
    expect(cfg, late, H(16), SF_STATE_OFF_SHIFT, H(32));
    expect(cfg, type(cfg, "welder"), H(16), SF_STATE_IDLE, SF_TIME_MAX);
    sf_scenario_config_free(cfg);
}

/* On weekdays only: Friday 14:00 (4 d 8 h) the early shift ends until Monday 06:00 (7 d). */
static void test_weekdays_skip_the_weekend(void **state)
{
    sf_scenario_config *cfg = load();
    int early = type(cfg, "operator_early");
    (void)state;

    for (size_t i = 0; i < cfg->shifts.n_shifts; i++)
        cfg->shifts.shifts[i].days = 0x1f;
    expect(cfg, early, H(4 * 24 + 7), SF_STATE_IDLE, H(4 * 24 + 8));
    expect(cfg, early, H(4 * 24 + 8), SF_STATE_OFF_SHIFT, H(7 * 24));
    expect(cfg, early, H(5 * 24 + 2), SF_STATE_OFF_SHIFT, H(7 * 24)); /* Saturday 08:00 */
    sf_scenario_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_early_shift_breaks_and_end),
        cmocka_unit_test(test_late_shift_and_no_roster),
        cmocka_unit_test(test_weekdays_skip_the_weekend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
