/*
 * Conservation of energy in the ledger, in every flagship scenario
 * (every .yaml in scenarios/) over its whole horizon, as shipped and with every
 * battery charged at 90 %, at constant power, as Li-ion and as lead-acid:
 *
 *   energy from the grid = energy into batteries / charge_efficiency
 *                          + direct loads (agents without a battery, stations, AS/RS cranes)
 *                          + base load
 *                          - energy fed back (AS/RS cranes lowering)
 *
 * to 1e-9 relative. The left side is the plant's ledger (the integral of
 * the grid power profile, cut at tariff bands and 15-minute windows); the
 * right side is summed from each entity's own meter and the base load's
 * KPI, so it holds whatever the base load is made of.
 */
#include <dirent.h>
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

static sf_session *open_run(const char *path, const char *const *sets, size_t nsets)
{
    sf_session_spec spec = {0};
    sf_session *s;
    int rc;
    static FILE *quiet;

    if (!quiet)
        quiet = fopen("/dev/null", "w");
    spec.model = path;
    spec.sets = sets;
    spec.nsets = nsets;
    spec.log = quiet;
    if (!(s = sf_session_new(&spec, &rc)))
        fail_msg("%s: cannot load (%d)", path, rc);
    if (sf_session_run(s) != SF_OK)
        fail_msg("%s: the run failed: %s", path, sf_session_error(s));
    return s;
}

/* A plant KPI; `needed` false: 0 when the run has none (no AS/RS, no cranes). */
static double kpi(sf_session *s, const char *metric, bool needed)
{
    sf_kpis k;
    const sf_kpi *r;
    double v = 0;

    sf_kpis_init(&k);
    assert_int_equal(sf_session_kpis(s, &k), SF_OK);
    if ((r = sf_kpis_find(&k, metric, "")))
        v = r->value;
    else if (needed)
        fail_msg("no plant KPI %s", metric);
    sf_kpis_free(&k);
    return v;
}

static double efficiency(const sf_cfg_battery *b)
{
    return b->efficiency > 0 ? b->efficiency : 1;
}

static double regenerated; /* J fed back by AS/RS cranes over every run checked */

/* Check the balance of one finished run; returns the energy into batteries (J) for the caller's checks. */
static double balance(sf_session *s, const char *path)
{
    const sf_scenario_config *cfg = sf_session_config(s);
    sf_world *w = sf_session_world(s);
    sf_metrics *m = sf_session_metrics(s);
    double grid = kpi(s, "energy_grid", true) * 3.6e6, base = kpi(s, "energy_base_load", true) * 3.6e6;
    double cranes = kpi(s, "energy_cranes", false) * 3.6e6, fed_back = kpi(s, "energy_fed_back", false) * 3.6e6;
    double occupancy = kpi(s, "energy_occupancy", false) * 3.6e6; /* lighting and HVAC switched by people */
    double batteries = 0, charged = 0, direct = cranes + occupancy, sum;

    for (uint32_t i = 0; i < sf_world_agent_count(w); i++) {
        const sf_agent *a = sf_world_agent(w, i);
        const sf_metrics_entity *x = sf_metrics_agent(m, i);
        if (a->meter.capacity > 0) {
            batteries += x->charged / efficiency(&cfg->fleet.types[a->type].battery);
            charged += x->charged;
        } else
            direct += x->grid;
    }
    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        batteries += sf_metrics_packs(m, t)->charged / efficiency(&cfg->fleet.types[t].battery);
        charged += sf_metrics_packs(m, t)->charged;
    }
    for (size_t i = 0; i < sf_metrics_stations(m); i++)
        direct += sf_metrics_station(m, i)->grid;
    sum = batteries + direct + base - fed_back;
    if (!(grid > 0) || !(fabs(grid - sum) <= 1e-9 * grid))
        fail_msg("%s: grid %.17g J, batteries / efficiency %.17g + direct %.17g + base load %.17g - fed back %.17g "
                 "= %.17g", path, grid, batteries, direct, base, fed_back, sum);
    regenerated += fed_back;
    return charged;
}

static void test_grid_energy_is_batteries_over_efficiency_plus_direct_loads_plus_base_load(void **st)
{
    char dir[4096], path[8192], set[8][256];
    const char *sets[8];
    struct dirent *e;
    DIR *d;
    int runs = 0, charging = 0;

    (void)st;
    snprintf(dir, sizeof dir, "%s/scenarios", getenv("SHOPFLOOR_SOURCE_DIR"));
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name), nsets = 0;
        sf_session *s;
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        s = open_run(path, NULL, 0);
        balance(s, path);
        /* again with every battery at 90 %: the grid gives exactly its charge over 0.9; as Li-ion (a taper whose
           steps change the draw) and as lead-acid (a cool-down after each charge) */
        for (size_t t = 0; t < sf_session_config(s)->fleet.n_types && nsets + 2 <= 8; t++)
            if (sf_session_config(s)->fleet.types[t].battery.present) {
                snprintf(set[nsets], sizeof set[nsets], "fleet.%s.battery.charge_efficiency=90 %%",
                         sf_session_config(s)->fleet.types[t].name);
                snprintf(set[nsets + 1], sizeof set[nsets + 1], "fleet.%s.battery.chemistry=",
                         sf_session_config(s)->fleet.types[t].name);
                sets[nsets] = set[nsets];
                sets[nsets + 1] = set[nsets + 1];
                nsets += 2;
            }
        sf_session_free(s);
        runs++;
        for (int c = 0; nsets && c < 3; c++) {
            static const char *const chem[] = {"constant", "li_ion", "lead_acid"};
            for (size_t i = 1; i < nsets; i += 2)
                strcpy(strchr(set[i], '=') + 1, chem[c]);
            s = open_run(path, sets, nsets);
            if (balance(s, path) > 0)
                charging++;
            sf_session_free(s);
        }
    }
    closedir(d);
    assert_true(runs >= 9);     /* the flagship set */
    assert_true(charging >= 6); /* and some of them charge batteries within their horizon, in each chemistry */
    assert_true(regenerated > 0); /* and an AS/RS crane feeds energy back */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_energy_is_batteries_over_efficiency_plus_direct_loads_plus_base_load),
    };
    setenv("SHOPFLOOR_SCRIPTS", "", 0);
    if (!getenv("SHOPFLOOR_SCRIPTS") || !*getenv("SHOPFLOOR_SCRIPTS")) {
        static char dir[4096];
        snprintf(dir, sizeof dir, "%s/scripts", getenv("SHOPFLOOR_SOURCE_DIR"));
        setenv("SHOPFLOOR_SCRIPTS", dir, 1);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
