/*
 * fleet.c: the `fleet` section (agent types) and the `products` section
 * (routings of operations, with the crew each needs).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/skills.h"
#include "scenario/schema.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The `battery` mapping of a fleet entry: capacity and charging thresholds, checked for order. */
/*
 * A behaviour is loaded as a module (require) from the scenario's folder
 * or the scripts folder, which accepts letters, digits and '_' in folder
 * and file names: say so here, where check sees it, not at run time.
 */
static bool behaviour_path_ok(const char *p)
{
    size_t n = strlen(p);

    if (p[0] == '.' && p[1] == '/')
        p += 2, n -= 2;
    if (n > 4 && strcmp(p + n - 4, ".lua") == 0)
        n -= 4;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        bool sep = (c == '/' || c == '.') && i > 0 && i + 1 < n && p[i - 1] != '/' && p[i - 1] != '.';
        if (!word && !sep)
            return false;
    }
    return true;
}

/*
 * A battery's chemistry and its keys: `cv_from` (Li-ion, default 80 %)
 * and `cool_down` (lead-acid, default 8 h) belong to one chemistry each.
 */
static void chemistry(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_battery *b)
{
    const sf_ynode *c = sf_ynode_get(n, "chemistry", NULL), *cv = sf_ynode_get(n, "cv_from", NULL),
                   *cool = sf_ynode_get(n, "cool_down", NULL);
    int k = SF_CHEMISTRY_CONSTANT;

    if (c && sf_v_enum(v, c, "chemistry", sf_battery_chemistry_names, &k) && k >= 0)
        b->chemistry = (sf_battery_chemistry)k;
    b->cv_from = 0.8;
    b->cool_down = b->chemistry == SF_CHEMISTRY_LEAD_ACID ? 8 * SF_HOUR : 0;
    if (cv && b->chemistry != SF_CHEMISTRY_LI_ION)
        sf_v_error(v, cv, "%s: 'cv_from' (where the constant-voltage taper starts) goes with chemistry: li_ion", what);
    else if (cv && sf_v_fraction(v, cv, "cv_from", &b->cv_from) && !(b->cv_from > 0 && b->cv_from < 1))
        sf_v_error(v, cv, "%s: cv_from must be above 0 %% and below 100 %%", what);
    if (cool && b->chemistry != SF_CHEMISTRY_LEAD_ACID)
        sf_v_error(v, cool, "%s: 'cool_down' (standing at the charger after each charge) goes with chemistry: lead_acid",
                   what);
    else if (cool)
        sf_v_duration(v, cool, "cool_down", &b->cool_down);
}

/*
 * A battery's `charging` rule. The default is what the kind's behaviour
 * did before the key existed: forklifts and AGVs top up when idle
 * (opportunity), others charge below charge_below only (threshold).
 * Topping up when idle is in the vehicles' behaviour only.
 */
static void charging_rule(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_agent_type *t)
{
    const sf_ynode *r = n && n->kind == SF_YMAP ? sf_ynode_get(n, "charging", NULL) : NULL;
    bool vehicle = (SF_VEHICLE_KINDS >> t->kind) & 1u;
    int k = vehicle ? SF_CHARGING_OPPORTUNITY : SF_CHARGING_THRESHOLD;

    if (r && sf_v_enum(v, r, "charging", sf_charging_rule_names, &k) && k >= 0 && k != SF_CHARGING_THRESHOLD &&
        !vehicle)
        sf_v_error(v, r, "%s: charging '%s' tops up when idle, which only forklifts and AGVs do; a %s charges below "
                   "charge_below (threshold)", what, sf_charging_rule_names[k], sf_agent_kind_name(t->kind));
    t->battery.rule = k >= 0 ? (sf_charging_rule)k : SF_CHARGING_THRESHOLD;
}

static void battery(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_battery *b)
{
    const sf_ynode *e;

    if (!n)
        return;
    if (!sf_v_map(v, n, KEYS("capacity", "initial", "charge_below", "charge_until", "charge_power", "swap", "spares",
                       "charge_efficiency", "chemistry", "cv_from", "cool_down", "charging"),
                  what) &&
        n->kind != SF_YMAP)
        return;
    b->present = true;
    b->initial = 1;
    b->charge_below = 0.2;
    b->charge_until = 0.9;
    sf_v_qty(v, sf_v_need(v, n, "capacity", what), "battery capacity", SF_DIM_ENERGY, 0, 1e12, true, &b->capacity);
    sf_v_fraction(v, sf_ynode_get(n, "initial", NULL), "battery initial", &b->initial);
    sf_v_fraction(v, sf_ynode_get(n, "charge_below", NULL), "charge_below", &b->charge_below);
    sf_v_fraction(v, sf_ynode_get(n, "charge_until", NULL), "charge_until", &b->charge_until);
    sf_v_qty(v, sf_v_need(v, n, "charge_power", what), "charge_power", SF_DIM_POWER, 0, 1e7, true, &b->charge_power);
    sf_v_duration(v, sf_ynode_get(n, "swap", NULL), "swap", &b->swap);
    b->efficiency = 1;
    if ((e = sf_ynode_get(n, "charge_efficiency", NULL)) &&
        sf_v_fraction(v, e, "charge_efficiency", &b->efficiency) && !(b->efficiency > 0))
        sf_v_error(v, e, "%s: charge_efficiency must be above 0 (the share of the grid's energy the battery keeps, "
                   "e.g. 90 %% for Li-ion, 75 %% for lead-acid)", what);
    chemistry(v, n, what, b);
    sf_v_int(v, sf_ynode_get(n, "spares", NULL), "spares", 1, 10000, &b->spares);
    if (sf_ynode_get(n, "spares", NULL) && b->swap <= 0)
        sf_v_error(v, sf_ynode_get(n, "spares", NULL), "%s: 'spares' goes with 'swap' (the time a battery swap takes)", what);
    if (b->charge_until <= b->charge_below)
        sf_v_error(v, sf_ynode_get(n, "charge_until", NULL) ? sf_ynode_get(n, "charge_until", NULL) : n,
                   "%s: charge_until (%g) must be above charge_below (%g)", what, b->charge_until, b->charge_below);
}

/* A cost per hour (`38 EUR/h`) into *out, per s; every cost of the fleet in one currency. */
static void cost_rate(sf_vctx *v, const sf_ynode *cost, double *out)
{
    sf_quantity q;
    sf_cfg_fleet *f = &v->cfg->fleet;

    if (!sf_v_qty(v, cost, "cost_per_hour", SF_DIM_COST_RATE, 0, INFINITY, false, out) ||
        sf_units_parse(cost->text, SF_DIM_COST_RATE, &q) != 0)
        return;
    if (!f->currency || !*f->currency)
        f->currency = sf_v_strdup(v, q.currency);
    else if (strcmp(f->currency, q.currency) != 0)
        sf_v_error(v, cost, "cost_per_hour: all costs must be in one currency; this is %s, earlier ones %s", q.currency,
                   f->currency);
}

/*
 * `supervision: {per: N, cost_per_hour: C}`: one person, not in the fleet
 * (a supervisor or teleoperator), for every N of the entry's agents while
 * they are busy, paid C; humanoids and arms only. With `by` (a fleet
 * entry of workers or a skill, resolved by checks.c) instead of C: a crew
 * need, people of the fleet who are paid as their entry.
 */
static void supervision(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_agent_type *t)
{
    static const char *const keys[] = {"per", "cost_per_hour", "by", NULL};
    const sf_ynode *cost;

    if (!n || !sf_v_map(v, n, keys, "supervision"))
        return;
    if (t->kind != SF_AGENT_HUMANOID && t->kind != SF_AGENT_ARM) {
        sf_v_error(v, n, "%s: only humanoids and arms are supervised ('supervision' is for kind humanoid or arm)",
                   what);
        return;
    }
    sf_v_qty(v, sf_v_need(v, n, "per", "supervision"), "per", SF_DIM_NONE, 0, 10000, true, &t->supervise_per);
    if ((cost = sf_ynode_get(n, "cost_per_hour", NULL)))
        cost_rate(v, cost, &t->supervision_cost);
    t->supervise_at = sf_v_place(v, n);
    sf_v_string(v, sf_ynode_get(n, "by", NULL), "by", &t->supervise_by);
    if (t->supervise_by && t->supervise_per != floor(t->supervise_per))
        sf_v_error(v, sf_ynode_get(n, "per", NULL), "%s: a supervisor watches a whole number of robots at once ('per' "
                                                    "with 'by'); this is %g", what, t->supervise_per);
    if (t->supervise_by && cost)
        sf_v_error(v, cost, "%s: supervision 'by' people of the fleet takes no cost_per_hour: they are paid as "
                            "their fleet entry (cost_per_hour there); hint: drop one of 'by' and 'cost_per_hour'",
                   what);
}

/* Every value d can give is above 0 (a bounded or positive distribution with a positive low end). */
static bool dist_positive(const sf_dist *d)
{
    switch (d->kind) {
    case SF_DIST_CONSTANT:
    case SF_DIST_UNIFORM:
    case SF_DIST_TRIANGULAR:
    case SF_DIST_PERT:
        return d->p[0] > 0; /* the value, or the low end */
    case SF_DIST_TRUNCNORMAL:
        return d->p[2] > 0;
    case SF_DIST_EXPONENTIAL:
    case SF_DIST_LOGNORMAL:
    case SF_DIST_GAMMA:
    case SF_DIST_WEIBULL:
        return true;
    case SF_DIST_DISCRETE:
    case SF_DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n; i++)
            if (!(d->x[i] > 0))
                return false;
        return d->n > 0;
    default: /* normal (unbounded below), bernoulli (0 or 1) */
        return false;
    }
}

/*
 * Its own pace: `time_factor`, a number or a distribution of them, times
 * the routing's time of each operation it works in (model/pace.h). A
 * humanoid that keeps both optimistic defaults (factor 1, success 100 %)
 * gets a warning `check` prints: it would copy a person's times exactly.
 */
static void pace(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_agent_type *t)
{
    const sf_ynode *f = sf_ynode_get(e, "time_factor", NULL);
    bool rate_kept = !sf_ynode_get(e, "success_rate", NULL);

    if (f && sf_v_dist(v, f, "time_factor", SF_DIM_NONE, &t->time_factor)) {
        if (!dist_positive(&t->time_factor))
            sf_v_error(v, f, "%s: a time_factor must be above 0 whatever it draws (for a spread around a value, "
                       "'lognorm(1.2, 0.2)' or 'tri(1, 1.2, 1.6)' rather than 'norm')", what);
        else
            t->paced = true;
    }
    if (t->kind != SF_AGENT_HUMANOID || (f && !rate_kept))
        return;
    sf_v_warn_place(v, &v->cfg->fleet.warnings, &v->cfg->fleet.n_warnings, t->at,
                    "%s keeps the optimistic default%s %s%s%s: %s; give %s (docs/production.md, \"Humanoids at "
                    "their own pace\")",
                    what, !f && rate_kept ? "s" : "", rate_kept ? "success_rate 100 %" : "",
                    !f && rate_kept ? " and " : "", f ? "" : "time_factor 1",
                    f ? "every operation right first time"
                      : rate_kept ? "every operation at a person's time, right first time"
                                  : "every operation at a person's time",
                    !f && rate_kept ? "a time_factor and a success_rate" : f ? "a success_rate" : "a time_factor");
}

/*
 * A fleet entry's block `key` that only robots (arms, humanoids) may
 * have, checked against `keys`: the block when it is there and a valid
 * mapping of a robot's entry, else NULL (with an error if it is there).
 */
static const sf_ynode *robot_block(sf_vctx *v, const sf_ynode *e, const char *key, const char *const *keys,
                                   const char *what, const sf_cfg_agent_type *t)
{
    const sf_ynode *n = sf_ynode_get(e, key, NULL);

    if (!n)
        return NULL;
    if (t->kind != SF_AGENT_ARM && t->kind != SF_AGENT_HUMANOID) {
        sf_v_error(v, n, "%s: only robots have '%s' (it is for kind arm or humanoid)", what, key);
        return NULL;
    }
    return sf_v_map(v, n, keys, key) && n->kind == SF_YMAP ? n : NULL;
}

/*
 * `vision: true` marks a vision-guided robot: an arm (or humanoid) that
 * finds its parts with a camera and so can miss. An arm so marked that
 * keeps the optimistic default success rate (100 %: no `success_rate`, no
 * `learning`) gets a warning `check` prints (a humanoid gets one anyway).
 */
static void vision(sf_vctx *v, const sf_ynode *n, const sf_ynode *e, const char *what, sf_cfg_agent_type *t)
{
    if (!n || !sf_v_bool(v, n, "vision", &t->vision) || !t->vision)
        return;
    if (t->kind != SF_AGENT_ARM && t->kind != SF_AGENT_HUMANOID) {
        sf_v_error(v, n, "%s: only arms and humanoids are vision-guided ('vision' is for kind arm or humanoid)", what);
        return;
    }
    if (t->kind == SF_AGENT_ARM && !sf_ynode_get(e, "success_rate", NULL) && !t->learning.on)
        sf_v_warn_place(v, &v->cfg->fleet.warnings, &v->cfg->fleet.n_warnings, t->at,
                        "%s is vision-guided and keeps the optimistic default success_rate 100 %%: every pick right "
                        "first time; give a success_rate or a learning block from trials (docs/production.md, "
                        "\"Vision-guided arms\")",
                        what);
}

/*
 * A robot's `learning` block (model/skills.h): the success curve's first
 * rate, limit and scale and a rescue's time are required; the rest has
 * defaults (docs/production.md, "Learning robots"). It replaces a
 * constant success_rate, so giving both is an error.
 */
static void learning(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_agent_type *t)
{
    static const char *const keys[] = {"experience", "success_first", "success_limit", "scale", "time_first",
                                       "progress", "retries", "rescue_time", "rescue_by", "period", NULL};
    static const char *const experience[] = {"pooled", "individual", NULL};
    const sf_ynode *n = robot_block(v, e, "learning", keys, what, t);
    sf_cfg_learning *L = &t->learning;
    int pooled = 0;

    if (n && sf_ynode_get(e, "success_rate", NULL))
        sf_v_error(v, sf_ynode_get(e, "success_rate", NULL),
                   "%s: 'learning' sets the success rate from experience; drop 'success_rate' or 'learning'", what);
    if (!n)
        return;
    *L = (sf_cfg_learning){.on = true, .pooled = true, .time_first = 1, .progress = 1, .retries = 3,
                           .period = SF_HOUR, .rescue_by = SF_RESCUE_SKILL, .at = sf_v_place(v, n)};
    if (sf_v_enum(v, sf_ynode_get(n, "experience", NULL), "experience", experience, &pooled))
        L->pooled = pooled == 0;
    sf_v_fraction(v, sf_v_need(v, n, "success_first", "learning"), "success_first", &L->success_first);
    sf_v_fraction(v, sf_v_need(v, n, "success_limit", "learning"), "success_limit", &L->success_limit);
    sf_v_qty(v, sf_v_need(v, n, "scale", "learning"), "scale", SF_DIM_NONE, 0, 1e12, true, &L->scale);
    sf_v_qty(v, sf_ynode_get(n, "time_first", NULL), "time_first", SF_DIM_NONE, 1, 100, false, &L->time_first);
    if (sf_v_fraction(v, sf_ynode_get(n, "progress", NULL), "progress", &L->progress) &&
        sf_ynode_get(n, "progress", NULL) && !(L->progress > 0))
        sf_v_error(v, sf_ynode_get(n, "progress", NULL), "%s: a progress ratio must be above 0 %% (100 %%: no "
                   "time learning)", what);
    sf_v_int(v, sf_ynode_get(n, "retries", NULL), "retries", 0, 1000, &L->retries);
    sf_v_duration(v, sf_v_need(v, n, "rescue_time", "learning"), "rescue_time", &L->rescue_time);
    sf_v_string(v, sf_ynode_get(n, "rescue_by", NULL), "rescue_by", &L->rescue_by);
    sf_v_duration(v, sf_ynode_get(n, "period", NULL), "period", &L->period);
    if (sf_ynode_get(n, "success_limit", NULL) && !(L->success_limit > 0))
        sf_v_error(v, sf_ynode_get(n, "success_limit", NULL), "%s: a success_limit must be above 0 %%", what);
    if (sf_ynode_get(n, "period", NULL) && L->period <= 0)
        sf_v_error(v, sf_ynode_get(n, "period", NULL), "%s: a learning period must be longer than 0 s", what);
}

/*
 * A robot's `programming` block (model/skills.h): the instruction method
 * sets the defaults of the time, the first-run failure rate and the skill
 * of who programs (sf_programming_defaults); each may be given instead.
 */
static void programming(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_agent_type *t)
{
    static const char *const keys[] = {"method", "time", "first_run_failure", "by", NULL};
    const sf_ynode *n = robot_block(v, e, "programming", keys, what, t);
    sf_cfg_programming *P = &t->programming;
    int method = 0;

    if (!n)
        return;
    if (!sf_v_enum(v, sf_v_need(v, n, "method", "programming"), "method", sf_instruction_names, &method) || method < 0)
        method = 0;
    *P = (sf_cfg_programming){.on = true, .method = (sf_instruction)method,
                              .time = (sf_time)llround(sf_programming_defaults[method].hours * 3600) * SF_SECOND,
                              .first_run_failure = sf_programming_defaults[method].first_run_failure,
                              .by = sf_programming_defaults[method].by, .at = sf_v_place(v, n)};
    sf_v_duration(v, sf_ynode_get(n, "time", NULL), "time", &P->time);
    sf_v_fraction(v, sf_ynode_get(n, "first_run_failure", NULL), "first_run_failure", &P->first_run_failure);
    sf_v_string(v, sf_ynode_get(n, "by", NULL), "by", &P->by);
}

/*
 * A vehicle's protective field (docs/safety.md): the response time of its
 * personnel detection and the clearance added to its stopping distance.
 * People have none, and arms do not travel.
 */
static void field(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_agent_type *t)
{
    static const char *const keys[] = {"field_response", "field_clearance"};
    bool vehicle = t->kind != SF_AGENT_ARM && t->kind != SF_AGENT_WORKER;

    t->field_response = 3 * SF_SECOND / 10;
    t->field_clearance = 0.1;
    for (size_t i = 0; i < 2 && !vehicle; i++)
        if (sf_ynode_get(e, keys[i], NULL))
            sf_v_error(v, sf_ynode_get(e, keys[i], NULL), "%s: only a vehicle (forklift, agv, humanoid) has a "
                       "protective field ('%s')", what, keys[i]);
    if (!vehicle)
        return;
    sf_v_duration(v, sf_ynode_get(e, "field_response", NULL), "field_response", &t->field_response);
    sf_v_qty(v, sf_ynode_get(e, "field_clearance", NULL), "field_clearance", SF_DIM_LENGTH, 0, 50, false,
             &t->field_clearance);
}

/*
 * One fleet entry. What is required depends on the kind: mobile agents
 * need a home node and a speed, an arm a home station and no travel
 * settings, a forklift its lift height.
 */
static void agent_type(sf_vctx *v, const sf_ynode *e, const sf_ynode *name, sf_cfg_agent_type *t)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode *home, *power, *skills, *cost, *fatigue;
    char what[200];
    int kind = -1;
    bool mobile;

    sf_v_entry(v, name, "fleet entry", what, sizeof what, &t->name, &t->at);
    t->home = t->home_station = -1;
    sf_v_map(v, e,
             KEYS("name", "kind", "count", "home", "speed", "speed_loaded", "accel", "decel", "payload",
                  "lift_height", "lift_speed", "handling", "reach", "power", "battery", "skills", "cost_per_hour",
                  "behaviour", "success_rate", "retry_time", "fatigue", "learning", "programming",
                  "time_factor", "supervision", "vision", "field_response", "field_clearance"),
             what);
    if (!sf_v_enum(v, sf_v_need(v, e, "kind", what), "agent kind", sf_agent_kind_names, &kind) || kind < 0)
        kind = SF_AGENT_WORKER;
    t->kind = (sf_agent_kind)kind;
    mobile = t->kind != SF_AGENT_ARM;
    sf_v_int(v, sf_v_need(v, e, "count", what), "count", 0, 10000, &t->count);
    home = sf_v_need(v, e, "home", what);
    if (home && mobile)
        t->home = SF_V_REF(v, home, "node", L->nodes, L->n_nodes);
    else if (home)
        t->home_station = SF_V_REF(v, home, "station", L->stations, L->n_stations);
    if (mobile) {
        sf_v_qty(v, sf_v_need(v, e, "speed", what), "speed", SF_DIM_SPEED, 0, 20, true, &t->speed);
        t->speed_loaded = t->speed;
        sf_v_qty(v, sf_ynode_get(e, "speed_loaded", NULL), "speed_loaded", SF_DIM_SPEED, 0, 20, true,
                 &t->speed_loaded);
        t->accel = t->decel = 0.5;
        sf_v_qty(v, sf_ynode_get(e, "accel", NULL), "accel", SF_DIM_ACCEL, 0, 20, true, &t->accel);
        sf_v_qty(v, sf_ynode_get(e, "decel", NULL), "decel", SF_DIM_ACCEL, 0, 20, true, &t->decel);
        t->handling = 8 * SF_SECOND;
        sf_v_duration(v, sf_ynode_get(e, "handling", NULL), "handling", &t->handling);
    } else {
        static const char *const moving[] = {"speed", "speed_loaded", "accel", "decel", "lift_height",
                                             "lift_speed", "handling"};
        for (size_t i = 0; i < 5; i++) {
            const sf_ynode *k = sf_ynode_get(e, moving[i], NULL);
            if (k)
                sf_v_error(v, k, "%s: an arm stays at its station and has no '%s'", what, moving[i]);
        }
    }
    field(v, e, what, t);
    sf_v_qty(v, sf_ynode_get(e, "payload", NULL), "payload", SF_DIM_MASS, 0, 1e5, false, &t->payload);
    if (t->kind == SF_AGENT_FORKLIFT)
        sf_v_qty(v, sf_v_need(v, e, "lift_height", what), "lift_height", SF_DIM_LENGTH, 0, 50, false,
                 &t->lift_height);
    t->lift_speed = 0.4;
    if (t->kind == SF_AGENT_FORKLIFT)
        sf_v_qty(v, sf_ynode_get(e, "lift_speed", NULL), "lift_speed", SF_DIM_SPEED, 0, 5, true, &t->lift_speed);
    else if (sf_ynode_get(e, "lift_speed", NULL) && mobile)
        sf_v_error(v, sf_ynode_get(e, "lift_speed", NULL), "%s: only a forklift has a 'lift_speed'", what);
    else if (sf_ynode_get(e, "lift_height", NULL) && mobile)
        sf_v_error(v, sf_ynode_get(e, "lift_height", NULL), "%s: only a forklift has a 'lift_height'", what);
    sf_v_qty(v, sf_ynode_get(e, "reach", NULL), "reach", SF_DIM_LENGTH, 0, 50, false, &t->reach);
    if ((power = sf_ynode_get(e, "power", NULL)) &&
        (sf_v_map(v, power, sf_power_state_names, "power") || power->kind == SF_YMAP))
        for (size_t i = 0; i < power->n; i++) {
            int s;
            for (s = 0; s < SF_POWER_STATES; s++)
                if (s == SF_POWER_SETUP && strcmp(power->keys[i]->text, sf_power_state_names[s]) == 0)
                    sf_v_error(v, power->keys[i], "%s: 'setup' is a station's power (power_setup in layout.stations); "
                               "agents have none", what);
                else if (strcmp(power->keys[i]->text, sf_power_state_names[s]) == 0)
                    sf_v_qty(v, power->items[i], sf_power_state_names[s], SF_DIM_POWER, 0, 1e7, false, &t->power[s]);
        }
    battery(v, sf_ynode_get(e, "battery", NULL), "battery", &t->battery);
    charging_rule(v, sf_ynode_get(e, "battery", NULL), what, t);
    if (t->battery.swap > 0 && t->battery.spares == 0)
        t->battery.spares = t->count > 0 ? t->count : 1; /* one spare per agent */
    if ((skills = sf_ynode_get(e, "skills", NULL)) && sf_v_list(v, skills, "skills")) {
        if ((t->skills = sf_v_alloc(v, skills->n, sizeof *t->skills)))
            for (size_t i = 0; i < skills->n; i++)
                if (sf_v_string(v, skills->items[i], "skill", &t->skills[t->n_skills]))
                    t->n_skills++;
    }
    if ((cost = sf_ynode_get(e, "cost_per_hour", NULL)))
        cost_rate(v, cost, &t->cost_per_hour);
    if (sf_v_string(v, sf_ynode_get(e, "behaviour", NULL), "behaviour", &t->behaviour) && t->behaviour &&
        !behaviour_path_ok(t->behaviour)) {
        sf_v_error(v, sf_ynode_get(e, "behaviour", NULL),
                   "behaviour '%s' must be a Lua file inside the scenario's folder or the scripts folder: a relative "
                   "path of letters, digits and '_' separated by '/' (or a module name, with '.'), .lua or not "
                   "(no '..', no absolute path)",
                   t->behaviour);
        t->behaviour = NULL;
    }
    t->success_rate = 1;
    sf_v_fraction(v, sf_ynode_get(e, "success_rate", NULL), "success_rate", &t->success_rate);
    sf_v_duration(v, sf_ynode_get(e, "retry_time", NULL), "retry_time", &t->retry_time);
    learning(v, e, what, t);
    programming(v, e, what, t);
    if ((fatigue = sf_ynode_get(e, "fatigue", NULL))) {
        static const char *const fkeys[] = {"rate", "recovery", "slowdown", NULL};
        if (t->kind != SF_AGENT_WORKER)
            sf_v_error(v, fatigue, "%s: only workers tire ('fatigue' is for kind worker)", what);
        else if (sf_v_map(v, fatigue, fkeys, "fatigue")) {
            sf_v_qty(v, sf_v_need(v, fatigue, "rate", "fatigue"), "rate", SF_DIM_RATE, 0, 1, true, &t->fatigue_rate);
            sf_v_qty(v, sf_v_need(v, fatigue, "recovery", "fatigue"), "recovery", SF_DIM_RATE, 0, 1, false,
                     &t->fatigue_recovery);
            sf_v_qty(v, sf_v_need(v, fatigue, "slowdown", "fatigue"), "slowdown", SF_DIM_NONE, 0, 10, false,
                     &t->fatigue_slowdown);
        }
    }
    if (sf_ynode_get(e, "success_rate", NULL) && !(t->success_rate > 0))
        sf_v_error(v, sf_ynode_get(e, "success_rate", NULL), "%s: a success_rate must be above 0 %%", what);
    pace(v, e, what, t);
    vision(v, sf_ynode_get(e, "vision", NULL), e, what, t);
    supervision(v, sf_ynode_get(e, "supervision", NULL), what, t);
}

void sf_v_fleet(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_fleet *f = &v->cfg->fleet;
    const sf_ynode **e, **names;
    size_t count;

    f->currency = "";
    if (!n || sf_ynode_is_null(n))
        return;
    count = sf_v_named(v, n, "fleet", &e, &names);
    if (!(f->types = sf_v_alloc(v, count, sizeof *f->types)))
        return;
    for (size_t i = 0; i < count; i++)
        agent_type(v, e[i], names[i], &f->types[f->n_types++]);
}

/* ---- products ---------------------------------------------------------- */

/*
 * Resolve one crew name: an agent type's name (added to the need's
 * types once) or an agent kind (a bit in its kinds).
 */
static bool crew_name(sf_vctx *v, const sf_ynode *n, sf_cfg_crew_need *need)
{
    const sf_cfg_fleet *f = &v->cfg->fleet;
    int t = n->kind == SF_YSCALAR ? sf_v_find(v, n->text, f->types, f->n_types, sizeof *f->types) : -1;

    if (t >= 0) {
        for (size_t i = 0; i < need->n_types; i++)
            if (need->types[i] == t)
                return true;
        need->types[need->n_types++] = t;
        return true;
    }
    if (n->kind == SF_YSCALAR)
        for (int k = 0; sf_agent_kind_names[k]; k++)
            if (strcmp(n->text, sf_agent_kind_names[k]) == 0) {
                need->kinds |= 1u << k;
                return true;
            }
    if (n->kind == SF_YSCALAR) {
        char list[600];
        size_t used = 0;
        for (int k = 0; sf_agent_kind_names[k]; k++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", sf_agent_kind_names[k]);
        for (size_t i = 0; i < f->n_types && used < sizeof list; i++) {
            if (i == 16) {
                snprintf(list + used, sizeof list - used, ", ...");
                break;
            }
            used += (size_t)snprintf(list + used, sizeof list - used, ", %s", f->types[i].name);
        }
        sf_v_error(v, n, "crew member '%s' is neither an agent kind nor a fleet entry; defined: %s", n->text, list);
    } else {
        sf_v_error(v, n, "crew: expected an agent kind or fleet entry name, got %s", sf_ynode_what(n));
    }
    return false;
}

/*
 * `{arm: 1}`, `{operator: 2}`, `{any: [worker, humanoid], count: 2}`;
 * several keys are several needs. The explicit types of an `any` list
 * are deduplicated as they are added (lists are short: O(n^2) in the
 * length of one list, which the planner wrote out by hand).
 */
void sf_v_crew(sf_vctx *v, const sf_ynode *n, sf_cfg_operation *op)
{
    const sf_ynode *any = sf_ynode_get(n, "any", NULL), *cnt = sf_ynode_get(n, "count", NULL);
    size_t needs = 0;

    if (!n || sf_ynode_is_null(n))
        return;
    if (n->kind != SF_YMAP) {
        sf_v_error(v, n, "crew must be a mapping such as {arm: 1} or {any: [worker, humanoid]}, not %s",
                   sf_ynode_what(n));
        return;
    }
    if (cnt && !any)
        sf_v_error(v, cnt, "crew: 'count' goes with 'any' ({any: [worker, humanoid], count: 2})");
    if (!(op->crew = sf_v_alloc(v, n->n, sizeof *op->crew)))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *k = n->keys[i], *val = n->items[i];
        sf_cfg_crew_need *need = &op->crew[needs];
        bool ok = true;
        if (strcmp(k->text, "count") == 0)
            continue;
        need->count = 1;
        if (strcmp(k->text, "any") == 0) {
            char label[300];
            size_t used;
            if (!sf_v_list(v, val, "crew 'any'"))
                continue;
            if (val->n == 0 || val->n > 100) {
                sf_v_error(v, val, "crew 'any' lists 1 to 100 agent kinds or fleet entries");
                continue;
            }
            if (!(need->types = sf_v_alloc(v, val->n, sizeof *need->types)))
                return;
            for (size_t j = 0; j < val->n; j++)
                ok = crew_name(v, val->items[j], need) && ok;
            sf_v_int(v, cnt, "crew count", 1, 1000, &need->count);
            used = (size_t)snprintf(label, sizeof label, "any of ");
            for (size_t j = 0; j < val->n && used < sizeof label; j++)
                used += (size_t)snprintf(label + used, sizeof label - used, "%s%s", j ? ", " : "",
                                         val->items[j]->kind == SF_YSCALAR ? val->items[j]->text : "?");
            need->label = sf_v_strdup(v, label);
        } else {
            if (!(need->types = sf_v_alloc(v, 1, sizeof *need->types)))
                return;
            ok = crew_name(v, k, need);
            sf_v_int(v, val, "crew count", 1, 1000, &need->count);
            need->label = sf_v_strdup(v, k->text);
        }
        if (ok)
            op->n_crew = ++needs;
    }
}

/*
 * One operation of a routing: its station group (by name, among the
 * groups the stations define), crew, skill, times and scrap.
 */
static void operation(sf_vctx *v, const sf_ynode *e, size_t index, const char *product, sf_cfg_operation *op)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode *st, *nm;
    char what[300];

    snprintf(what, sizeof what, "operation %zu of product '%s'", index + 1, product);
    op->at = sf_v_place(v, e);
    op->group = -1;
    sf_dist_constant(&op->time, 0, NULL);
    sf_dist_constant(&op->setup, 0, NULL);
    if (!sf_v_map(v, e, KEYS("name", "station", "crew", "skill", "time", "setup", "scrap", "rework", "motion_share",
                                "time_at"),
                  what) &&
        e->kind != SF_YMAP)
        return;
    op->name = "";
    /* An operation's name is optional; one that is given must say something. */
    if ((nm = sf_ynode_get(e, "name", NULL)) && sf_v_string(v, nm, "name", &op->name) &&
        !op->name[strspn(op->name, " \t")])
        sf_v_error(v, nm, "name of %s must not be empty", what);
    if ((st = sf_v_need(v, e, "station", what))) {
        if (st->kind == SF_YSCALAR) {
            op->group = sf_v_find(v, st->text, L->groups, L->n_groups, sizeof *L->groups);
            if (op->group < 0) {
                char list[600];
                size_t used = 0;
                list[0] = '\0';
                for (size_t g = 0; g < L->n_groups && used < sizeof list; g++)
                    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", g ? ", " : "", L->groups[g]);
                sf_v_error(v, st, "station group '%s' is not defined; defined: %s", st->text,
                           L->n_groups ? list : "(no stations)");
            }
        } else {
            sf_v_error(v, st, "station: expected a station group name, got %s", sf_ynode_what(st));
        }
    }
    sf_v_crew(v, sf_ynode_get(e, "crew", NULL), op);
    sf_v_string(v, sf_ynode_get(e, "skill", NULL), "skill", &op->skill);
    sf_v_dist(v, sf_v_need(v, e, "time", what), "time", SF_DIM_TIME, &op->time);
    sf_v_dist(v, sf_ynode_get(e, "setup", NULL), "setup", SF_DIM_TIME, &op->setup);
    sf_v_fraction(v, sf_ynode_get(e, "scrap", NULL), "scrap", &op->scrap);
    sf_v_fraction(v, sf_ynode_get(e, "rework", NULL), "rework", &op->rework);
    if (op->rework >= 1)
        sf_v_error(v, sf_ynode_get(e, "rework", NULL), "%s: a rework share of 100 %% never ends", what);
    {
        double motion = 1;
        sf_v_fraction(v, sf_ynode_get(e, "motion_share", NULL), "motion_share", &motion);
        op->fixed_share = 1 - motion;
    }
    {
        static const char *const at[] = {"full", "collaborative", NULL};
        int k = 0;
        if (sf_v_enum(v, sf_ynode_get(e, "time_at", NULL), "time_at", at, &k))
            op->time_collaborative = k == 1;
    }
}

/*
 * `materials`: a product's bill of materials per unit, each a list entry
 * {name, mass per unit, factor in kg CO2e per kg}, for its carbon
 * footprint (docs/results.md). The factor is a plain number of kg per kg.
 */
static void materials(sf_vctx *v, const sf_ynode *n, sf_cfg_product *p)
{
    const sf_ynode **e, **names;
    size_t count;

    if (!n || sf_ynode_is_null(n))
        return;
    count = sf_v_named(v, n, "materials", &e, &names);
    if (count == 0 || !(p->materials = sf_v_alloc(v, count, sizeof *p->materials)))
        return;
    for (size_t i = 0; i < count; i++) {
        sf_cfg_material *m = &p->materials[p->n_materials++];
        char what[200];
        sf_v_entry(v, names[i], "material", what, sizeof what, &m->name, &m->at);
        sf_v_map(v, e[i], KEYS("name", "mass", "factor"), what);
        sf_v_qty(v, sf_v_need(v, e[i], "mass", what), "mass", SF_DIM_MASS, 0, 1e5, false, &m->mass);
        sf_v_qty(v, sf_v_need(v, e[i], "factor", what), "factor", SF_DIM_NONE, 0, 1e3, false, &m->factor);
    }
}

/*
 * A family's figures are rows whose entity is its name, beside the
 * products' (docs/results.md): it must not be a product's name too, or
 * a row could not say which it is.
 */
static void families(sf_vctx *v, const sf_ynode **e)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t i = 0; i < c->n_products; i++)
        for (size_t j = 0; c->products[i].family && j < c->n_products; j++)
            if (strcmp(c->products[i].family, c->products[j].name) == 0)
                sf_v_error(v, sf_ynode_get(e[i], "family", NULL), "product %s: family '%s' is also a product's name; "
                           "give the family a name of its own", c->products[i].name, c->products[i].family);
}

void sf_v_products(sf_vctx *v, const sf_ynode *n)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t count = sf_v_named(v, n, "products", &e, &names);

    if (!(v->cfg->products = sf_v_alloc(v, count, sizeof *v->cfg->products)))
        return;
    for (size_t i = 0; i < count; i++) {
        sf_cfg_product *p = &v->cfg->products[v->cfg->n_products++];
        const sf_ynode *r, *src, *snk, *tr;
        char what[200];
        sf_v_entry(v, names[i], "product", what, sizeof what, &p->name, &p->at);
        p->source = p->sink = -1;
        sf_v_map(v, e[i], KEYS("name", "mass", "class", "source", "sink", "routing", "transport", "materials",
                               "variant_every", "family"), what);
        sf_v_string(v, sf_ynode_get(e[i], "family", NULL), "family", &p->family);
        if (sf_v_duration(v, sf_ynode_get(e[i], "variant_every", NULL), "variant_every", &p->variant_every) &&
            sf_ynode_get(e[i], "variant_every", NULL) && p->variant_every <= 0)
            sf_v_error(v, sf_ynode_get(e[i], "variant_every", NULL), "%s: 'variant_every' must be longer than 0 s "
                       "(leave it out for a product that never changes)", what);
        p->abc = 'C';
        if (sf_ynode_get(e[i], "class", NULL)) {
            static const char *const classes[] = {"A", "B", "C", NULL};
            int k;
            if (sf_v_enum(v, sf_ynode_get(e[i], "class", NULL), "storage class", classes, &k))
                p->abc = (char)('A' + k);
        }
        sf_v_qty(v, sf_ynode_get(e[i], "mass", NULL), "mass", SF_DIM_MASS, 0, 1e5, false, &p->mass);
        materials(v, sf_ynode_get(e[i], "materials", NULL), p);
        if ((src = sf_ynode_get(e[i], "source", NULL)))
            p->source = SF_V_REF(v, src, "dock", L->docks, L->n_docks);
        if ((snk = sf_ynode_get(e[i], "sink", NULL)))
            p->sink = SF_V_REF(v, snk, "dock", L->docks, L->n_docks);
        /* who carries its units: a crew-like need, checked against the fleet in checks.c */
        p->transport.name = "transport";
        p->transport.group = -1;
        if ((tr = sf_ynode_get(e[i], "transport", NULL)) && !sf_ynode_is_null(tr)) {
            p->transport.at = sf_v_place(v, tr);
            if (tr->kind == SF_YSCALAR) { /* `transport: agv` is {agv: 1} */
                sf_cfg_crew_need *need = sf_v_alloc(v, 1, sizeof *need);
                if (!need || !(need->types = sf_v_alloc(v, 1, sizeof *need->types)))
                    return;
                need->count = 1;
                need->label = sf_v_strdup(v, tr->text);
                if (crew_name(v, tr, need)) {
                    p->transport.crew = need;
                    p->transport.n_crew = 1;
                }
            } else {
                sf_v_crew(v, tr, &p->transport);
            }
            for (size_t k = 0; k < p->transport.n_crew; k++) {
                p->transport_kinds |= p->transport.crew[k].kinds;
                for (size_t j = 0; j < p->transport.crew[k].n_types; j++)
                    p->transport_kinds |= 1u << v->cfg->fleet.types[p->transport.crew[k].types[j]].kind;
            }
        }
        /* without a routing it is a stored good: it comes in at one dock and leaves by another */
        if (!(r = sf_ynode_get(e[i], "routing", NULL))) {
            if (p->source < 0 || p->sink < 0)
                sf_v_error(v, names[i], "%s has no routing, so it is a stored good and needs a 'source' and a 'sink' dock",
                           what);
            if (tr && p->transport.n_crew > 0)
                sf_v_error(v, tr, "%s is a stored good, moved by the forklifts' and AGVs' put-away and order tasks; "
                           "'transport' is for products with a routing", what);
            if (p->family)
                sf_v_error(v, sf_ynode_get(e[i], "family", NULL), "%s is a stored good; a 'family' sums the figures of "
                           "made products (products with a routing)", what);
            continue;
        }
        if (!sf_v_list(v, r, "routing"))
            continue;
        if (r->n == 0) {
            sf_v_error(v, r, "%s: the routing needs at least one operation", what);
            continue;
        }
        if (!(p->ops = sf_v_alloc(v, r->n, sizeof *p->ops)))
            return;
        for (size_t k = 0; k < r->n; k++)
            operation(v, r->items[k], k, p->name, &p->ops[p->n_ops++]);
    }
    families(v, e);
}
