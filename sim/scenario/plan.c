/*
 * plan.c: the `demand`, `shifts` and `failures` sections: when work
 * arrives, when people and machines are there, and when they break.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/schema.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- demand ------------------------------------------------------------ */

/* `product: X` or `mix: {X: 3, Y: 1}` (weights, not necessarily summing to 1). */
static void mix(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_arrival *a)
{
    const sf_scenario_config *c = v->cfg;
    const sf_ynode *prod = sf_ynode_get(e, "product", NULL), *m = sf_ynode_get(e, "mix", NULL);
    double total = 0;

    if ((prod != NULL) == (m != NULL)) {
        sf_v_error(v, e, "%s needs either 'product' or 'mix', %s", what, prod ? "not both" : "and has neither");
        return;
    }
    if (prod) {
        a->products = sf_v_alloc(v, 1, sizeof *a->products);
        a->weights = sf_v_alloc(v, 1, sizeof *a->weights);
        if (!a->products || !a->weights)
            return;
        a->products[0] = SF_V_REF(v, prod, "product", c->products, c->n_products);
        a->weights[0] = 1;
        a->n_mix = 1;
        return;
    }
    if (m->kind != SF_YMAP || m->n == 0) {
        sf_v_error(v, m, "%s: 'mix' maps product names to weights, such as {bracket: 3, housing: 1}", what);
        return;
    }
    a->products = sf_v_alloc(v, m->n, sizeof *a->products);
    a->weights = sf_v_alloc(v, m->n, sizeof *a->weights);
    if (!a->products || !a->weights)
        return;
    for (size_t i = 0; i < m->n; i++) {
        a->products[i] = SF_V_REF(v, m->keys[i], "product", c->products, c->n_products);
        sf_v_qty(v, m->items[i], "mix weight", SF_DIM_NONE, 0, 1e9, false, &a->weights[i]);
        total += a->weights[i];
    }
    a->n_mix = m->n;
    if (total <= 0)
        sf_v_error(v, m, "%s: the mix weights add up to 0", what);
}

/*
 * Arrival streams: time between arrivals, product or mix, batch size,
 * active window and due date offset.
 */
static void demand_arrivals(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_demand *D = &v->cfg->demand;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "demand.arrivals", &e, &names);

    if (!(D->arrivals = sf_v_alloc(v, n, sizeof *D->arrivals)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_arrival *a = &D->arrivals[D->n_arrivals++];
        char what[200];
        sf_v_entry(v, names[i], "arrivals", what, sizeof what, &a->name, &a->at);
        a->batch = 1;
        a->stop = SF_TIME_MAX;
        sf_v_map(v, e[i], KEYS("name", "every", "product", "mix", "batch", "start", "stop", "due_in"), what);
        /* Only a value that reads is checked for its size: an unreadable one has its own message. */
        if (sf_v_dist(v, sf_v_need(v, e[i], "every", what), "every", SF_DIM_TIME, &a->every) &&
            a->every.kind == SF_DIST_CONSTANT && a->every.p[0] <= 0 && sf_ynode_get(e[i], "every", NULL))
            sf_v_error(v, sf_ynode_get(e[i], "every", NULL), "every: the time between arrivals must be above 0 s");
        mix(v, e[i], what, a);
        sf_v_int(v, sf_ynode_get(e[i], "batch", NULL), "batch", 1, 100000, &a->batch);
        sf_v_duration(v, sf_ynode_get(e[i], "start", NULL), "start", &a->start);
        sf_v_duration(v, sf_ynode_get(e[i], "stop", NULL), "stop", &a->stop);
        sf_v_duration(v, sf_ynode_get(e[i], "due_in", NULL), "due_in", &a->due_in);
        if (a->stop <= a->start)
            sf_v_error(v, sf_ynode_get(e[i], "stop", NULL), "%s: 'stop' must come after 'start'", what);
    }
}

/* Single orders at fixed times, with an optional due date after their arrival. */
static void demand_orders(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_demand *D = &v->cfg->demand;
    const sf_scenario_config *c = v->cfg;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "demand.orders", &e, &names);

    if (!(D->orders = sf_v_alloc(v, n, sizeof *D->orders)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_order *o = &D->orders[D->n_orders++];
        const sf_ynode *p;
        char what[200];
        sf_v_entry(v, names[i], "order", what, sizeof what, &o->name, &o->at);
        o->product = -1;
        o->quantity = 1;
        sf_v_map(v, e[i], KEYS("name", "at", "product", "quantity", "due", "every"), what);
        sf_v_duration(v, sf_v_need(v, e[i], "at", what), "at", &o->at_time);
        if ((p = sf_v_need(v, e[i], "product", what)))
            o->product = SF_V_REF(v, p, "product", c->products, c->n_products);
        sf_v_int(v, sf_ynode_get(e[i], "quantity", NULL), "quantity", 1, 10000000, &o->quantity);
        sf_v_duration(v, sf_ynode_get(e[i], "due", NULL), "due", &o->due);
        if (o->due && o->due <= o->at_time)
            sf_v_error(v, sf_ynode_get(e[i], "due", NULL), "%s: 'due' must come after 'at'", what);
        sf_v_duration(v, sf_ynode_get(e[i], "every", NULL), "every", &o->every);
        if (sf_ynode_get(e[i], "every", NULL) && o->every <= 0)
            sf_v_error(v, sf_ynode_get(e[i], "every", NULL), "%s: 'every' must be longer than 0 s", what);
    }
}

void sf_v_demand(sf_vctx *v, const sf_ynode *n)
{
    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("arrivals", "orders", "dispatch"), "demand") && n->kind != SF_YMAP)
        return;
    if (sf_ynode_get(n, "dispatch", NULL))
        sf_v_string(v, sf_ynode_get(n, "dispatch", NULL), "dispatch", &v->cfg->demand.dispatch);
    demand_arrivals(v, sf_ynode_get(n, "arrivals", NULL));
    demand_orders(v, sf_ynode_get(n, "orders", NULL));
}

/* ---- shifts ------------------------------------------------------------ */

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

/* `days: [mon, tue]`, or one of `daily`, `weekdays`, `weekends`. */
uint8_t sf_v_days(sf_vctx *v, const sf_ynode *n)
{
    uint8_t bits = 0;
    if (!n)
        return 0x7f;
    if (n->kind == SF_YSCALAR) {
        if (strcmp(n->text, "daily") == 0)
            return 0x7f;
        if (strcmp(n->text, "weekdays") == 0)
            return 0x1f;
        if (strcmp(n->text, "weekends") == 0)
            return 0x60;
        sf_v_error(v, n, "days: expected a list of days [mon, tue, ...] or daily, weekdays, weekends; got '%s'",
                   n->text);
        return 0;
    }
    if (!sf_v_list(v, n, "days"))
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        int d = -1;
        if (sf_v_enum(v, n->items[i], "day", day_names, &d) && d >= 0)
            bits |= (uint8_t)(1u << d);
    }
    return bits;
}

/*
 * Shifts: days, start and end (or length; an end before the start runs
 * past midnight) and breaks, each of which must lie within its shift.
 */
static void calendar(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_shifts *S = &v->cfg->shifts;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "shifts.calendar", &e, &names);

    if (!(S->shifts = sf_v_alloc(v, n, sizeof *S->shifts)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_shift *s = &S->shifts[S->n_shifts++];
        const sf_ynode *endn, *lenn, *br;
        sf_time end = 0;
        char what[200];
        sf_v_entry(v, names[i], "shift", what, sizeof what, &s->name, &s->at);
        sf_v_map(v, e[i], KEYS("name", "days", "start", "end", "length", "breaks"), what);
        s->days = sf_v_days(v, sf_ynode_get(e[i], "days", NULL));
        sf_v_clock(v, sf_v_need(v, e[i], "start", what), "start", &s->start);
        endn = sf_ynode_get(e[i], "end", NULL);
        lenn = sf_ynode_get(e[i], "length", NULL);
        if ((endn != NULL) == (lenn != NULL)) {
            sf_v_error(v, e[i], "%s needs either 'end' or 'length', %s", what, endn ? "not both" : "and has neither");
        } else if (endn) {
            if (sf_v_clock(v, endn, "end", &end))
                s->length = end > s->start ? end - s->start : end + SF_DAY - s->start;
        } else if (sf_v_duration(v, lenn, "length", &s->length) && (s->length <= 0 || s->length > SF_DAY)) {
            sf_v_error(v, lenn, "length must be between 0 s and 24 h, got '%s'", lenn->text);
        }
        if ((br = sf_ynode_get(e[i], "breaks", NULL)) && sf_v_list(v, br, "breaks")) {
            if (!(s->breaks = sf_v_alloc(v, br->n, sizeof *s->breaks)))
                return;
            for (size_t k = 0; k < br->n; k++) {
                sf_cfg_break *b = &s->breaks[s->n_breaks++];
                const sf_ynode *at;
                sf_time off;
                if (!sf_v_map(v, br->items[k], KEYS("start", "length"), "break") && br->items[k]->kind != SF_YMAP)
                    continue;
                at = sf_v_need(v, br->items[k], "start", "break");
                sf_v_clock(v, at, "break start", &b->start);
                sf_v_duration(v, sf_v_need(v, br->items[k], "length", "break"), "break length", &b->length);
                off = b->start >= s->start ? b->start - s->start : b->start + SF_DAY - s->start;
                if (at && s->length > 0 && off + b->length > s->length)
                    sf_v_error(v, at, "%s: the break at %s does not lie within the shift", what, at->text);
            }
        }
    }
}

/*
 * `rosters` maps fleet entries to the shifts they work: a list of shift
 * names or a single one.
 */
static void rosters(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_shifts *S = &v->cfg->shifts;
    const sf_cfg_fleet *f = &v->cfg->fleet;

    if (!n || sf_ynode_is_null(n))
        return;
    if (n->kind != SF_YMAP) {
        sf_v_error(v, n, "rosters maps fleet entries to their shifts, such as {pickers: [early, late]}, not %s",
                   sf_ynode_what(n));
        return;
    }
    if (!(S->rosters = sf_v_alloc(v, n->n, sizeof *S->rosters)))
        return;
    for (size_t i = 0; i < n->n; i++) {
        sf_cfg_roster *r = &S->rosters[S->n_rosters];
        const sf_ynode *list = n->items[i];
        r->agent_type = SF_V_REF(v, n->keys[i], "fleet entry", f->types, f->n_types);
        r->at = sf_v_place(v, n->keys[i]);
        if (list->kind == SF_YSCALAR && !sf_ynode_is_null(list)) {
            r->shifts = sf_v_alloc(v, 1, sizeof *r->shifts);
            if (r->shifts)
                r->shifts[r->n_shifts++] = SF_V_REF(v, list, "shift", S->shifts, S->n_shifts);
        } else if (sf_v_list(v, list, "roster")) {
            if (!(r->shifts = sf_v_alloc(v, list->n, sizeof *r->shifts)))
                return;
            for (size_t k = 0; k < list->n; k++)
                r->shifts[r->n_shifts++] = SF_V_REF(v, list->items[k], "shift", S->shifts, S->n_shifts);
        }
        S->n_rosters++;
    }
}

void sf_v_shifts(sf_vctx *v, const sf_ynode *n)
{
    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("calendar", "rosters"), "shifts") && n->kind != SF_YMAP)
        return;
    calendar(v, sf_ynode_get(n, "calendar", NULL));
    rosters(v, sf_ynode_get(n, "rosters", NULL));
}

/* ---- failures ---------------------------------------------------------- */

static const char *const bases[] = {"calendar", "busy", NULL};
static const char *const afters[] = {"resume", "restart", NULL};

/*
 * `on_call: {on_site: ENTRY, call_out: 45 min, remote: 20 %}`: who must be
 * on shift for a repair to start at once, how long a call-out takes
 * outside their shifts, and the share of repairs done remotely. With a
 * repair crew, ENTRY is the crew's people: off their shifts one of them is
 * called out (model/failures.h). The entry must have a roster (one always
 * there would make it moot).
 */
static void on_call(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_failure *f)
{
    static const char *const keys[] = {"on_site", "call_out", "remote", NULL};
    const sf_ynode *site;
    bool ok = true;

    if (!n || !sf_v_map(v, n, keys, "on_call"))
        return;
    sf_v_duration(v, sf_v_need(v, n, "call_out", "on_call"), "call_out", &f->call_out);
    sf_v_fraction(v, sf_ynode_get(n, "remote", NULL), "remote", &f->remote);
    if (!(site = sf_v_need(v, n, "on_site", "on_call")))
        return;
    if (site->kind == SF_YSEQ && (site->n == 0 || site->n > 100)) {
        sf_v_error(v, site, "%s: on_site lists 1 to 100 fleet entries", what);
        return;
    }
    size_t count = site->kind == SF_YSEQ ? site->n : 1;
    if (!(f->on_site = sf_v_alloc(v, count, sizeof *f->on_site)))
        return;
    for (size_t i = 0; i < count; i++) {
        const sf_ynode *e = site->kind == SF_YSEQ ? site->items[i] : site;
        bool rostered = false;
        int t = SF_V_REF(v, e, "fleet entry", v->cfg->fleet.types, v->cfg->fleet.n_types);
        for (size_t r = 0; t >= 0 && r < v->cfg->shifts.n_rosters; r++)
            rostered |= v->cfg->shifts.rosters[r].agent_type == t;
        if (t >= 0 && !rostered)
            sf_v_error(v, e, "%s: on_site '%s' has no roster, so it is always there and no repair would wait for "
                       "a call-out; give it shifts in shifts.rosters", what, v->cfg->fleet.types[t].name);
        ok = ok && t >= 0 && rostered;
        f->on_site[i] = t;
    }
    f->n_on_site = count;
    f->on_call = ok;
}

/*
 * Who repairs a failure mode: its `crew` (and `skill`) as written; a
 * station's or agent's mode without one gets the default crew, one person (a worker
 * or a humanoid) with skill `maintenance`; `repair: none` says on purpose
 * that nobody in particular repairs it (the repair starts at once). An
 * agent's mode is repaired the same way, the crew walking to the agent.
 */
static void repair_crew(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_failure *f)
{
    static const char *const nones[] = {"none", NULL};
    const sf_ynode *none = sf_ynode_get(e, "repair", NULL), *crew = sf_ynode_get(e, "crew", NULL);
    int ignored;

    f->repair.name = f->name;
    f->repair.group = -1;
    sf_v_crew(v, crew, &f->repair);
    sf_v_string(v, sf_ynode_get(e, "skill", NULL), "skill", &f->repair.skill);
    if (none && sf_v_enum(v, none, "repair", nones, &ignored) && (crew || sf_ynode_get(e, "skill", NULL)))
        sf_v_error(v, none, "%s: 'repair: none' says nobody in particular repairs it; drop it or 'crew' and 'skill'",
                   what);
    if (none || crew || !(f->repair.crew = sf_v_alloc(v, 1, sizeof *f->repair.crew)))
        return;
    f->repair.crew[0] = (sf_cfg_crew_need){.label = "person (worker or humanoid)", .count = 1,
                                           .kinds = 1u << SF_AGENT_WORKER | 1u << SF_AGENT_HUMANOID};
    f->repair.n_crew = 1;
    f->default_crew = true;
    if (!f->repair.skill)
        f->repair.skill = SF_MAINTENANCE_SKILL;
}

void sf_v_failures(sf_vctx *v, const sf_ynode *n)
{
    sf_scenario_config *c = v->cfg;
    const sf_ynode **e, **names;
    size_t count = sf_v_named(v, n, "failures", &e, &names);

    if (!(c->failures = sf_v_alloc(v, count, sizeof *c->failures)))
        return;
    for (size_t i = 0; i < count; i++) {
        sf_cfg_failure *f = &c->failures[c->n_failures++];
        const sf_ynode *st = sf_ynode_get(e[i], "station", NULL), *gr = sf_ynode_get(e[i], "group", NULL),
                       *ag = sf_ynode_get(e[i], "agents", NULL);
        char what[200];
        int basis = 0, after = 0;
        sf_v_entry(v, names[i], "failure", what, sizeof what, &f->name, &f->at);
        f->target = -1;
        sf_dist_constant(&f->mttr, 0, NULL);
        sf_dist_constant(&f->mtbf, 0, NULL);
        sf_v_map(v, e[i], KEYS("name", "station", "group", "agents", "mtbf", "mttr", "basis", "after", "crew", "skill", "repair",
                                "on_call"), what);
        if ((st != NULL) + (gr != NULL) + (ag != NULL) != 1) {
            sf_v_error(v, e[i], "%s applies to exactly one of 'station', 'group' or 'agents'", what);
        } else if (st) {
            f->target_kind = SF_FAIL_STATION;
            f->target = SF_V_REF(v, st, "station", c->layout.stations, c->layout.n_stations);
        } else if (gr) {
            f->target_kind = SF_FAIL_GROUP;
            f->target = gr->kind == SF_YSCALAR
                            ? sf_v_find(v, gr->text, c->layout.groups, c->layout.n_groups, sizeof *c->layout.groups)
                            : -1;
            if (f->target < 0)
                SF_V_REF(v, gr, "station group", c->layout.groups, c->layout.n_groups);
        } else {
            f->target_kind = SF_FAIL_AGENT_TYPE;
            f->target = SF_V_REF(v, ag, "fleet entry", c->fleet.types, c->fleet.n_types);
        }
        bool mtbf_read = sf_v_dist(v, sf_v_need(v, e[i], "mtbf", what), "mtbf", SF_DIM_TIME, &f->mtbf);
        sf_v_dist(v, sf_v_need(v, e[i], "mttr", what), "mttr", SF_DIM_TIME, &f->mttr);
        if (sf_v_enum(v, sf_ynode_get(e[i], "basis", NULL), "basis", bases, &basis))
            f->busy_time = basis == 1;
        if (sf_v_enum(v, sf_ynode_get(e[i], "after", NULL), "after", afters, &after))
            f->restart = after == 1;
        repair_crew(v, e[i], what, f);
        on_call(v, sf_ynode_get(e[i], "on_call", NULL), what, f);
        if (mtbf_read && sf_ynode_get(e[i], "mtbf", NULL) && sf_dist_mean(&f->mtbf) <= 0)
            sf_v_error(v, sf_ynode_get(e[i], "mtbf", NULL), "%s: the mean time between failures must be above 0 s",
                       what);
    }
}
