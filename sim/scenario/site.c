/*
 * site.c: the `scenario`, `energy`, `safety` and `outputs` sections.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/kinds.h"
#include "model/safety.h"
#include "scenario/schema.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- scenario ---------------------------------------------------------- */

/* Day of the week, 0 = Monday (Sakamoto's method, Gregorian calendar). */
static int weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y--;
    return ((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 6) % 7;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * "2026-03-02 06:00" or "2026-03-02T06:00:00" or a date alone. Read as
 * text: YAML 1.1 would have made it a timestamp in some unknown zone.
 */
static void start(sf_vctx *v, const sf_ynode *n, sf_cfg_scenario *s)
{
    int y, mo, d, used = 0, h = 0, mi = 0, sec = 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (!n)
        return;
    if (n->kind != SF_YSCALAR || sscanf(n->text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3)
        goto bad;
    if (n->text[used] == ' ' || n->text[used] == 'T') {
        int more = 0;
        const char *t = n->text + used + 1;
        if (sscanf(t, "%2d:%2d%n", &h, &mi, &more) != 2)
            goto bad;
        if (t[more] == ':') {
            int more2 = 0;
            if (sscanf(t + more + 1, "%2d%n", &sec, &more2) != 1)
                goto bad;
            more += 1 + more2;
        }
        used += 1 + more;
    }
    if (n->text[used] || y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 ||
        d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        goto bad;
    s->start_year = y;
    s->start_month = mo;
    s->start_day = d;
    s->start_time_of_day = h * SF_HOUR + mi * SF_MINUTE + sec * SF_SECOND;
    s->start_weekday = weekday(y, mo, d);
    return;
bad:
    sf_v_error(v, n, "start: expected a date and time such as '2026-03-02 06:00', got '%s'",
               n->kind == SF_YSCALAR ? n->text : sf_ynode_what(n));
}

void sf_v_scenario(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_scenario *s = &v->cfg->scenario;
    const sf_ynode *h, *w;

    s->name = "";
    s->description = "";
    s->seed = 1;
    s->start_year = 2024;
    s->start_month = 1;
    s->start_day = 1;
    s->start_weekday = 0;
    if (!n || sf_ynode_is_null(n)) {
        sf_v_error(v, n, "the scenario needs a 'scenario' section with its name and horizon");
        return;
    }
    if (!sf_v_map(v, n, KEYS("name", "description", "seed", "horizon", "warmup", "start"), "scenario") &&
        n->kind != SF_YMAP)
        return;
    sf_v_string(v, sf_v_need(v, n, "name", "scenario"), "name", &s->name);
    sf_v_string(v, sf_ynode_get(n, "description", NULL), "description", &s->description);
    sf_v_u64(v, sf_ynode_get(n, "seed", NULL), "seed", &s->seed);
    h = sf_v_need(v, n, "horizon", "scenario");
    if (sf_v_duration(v, h, "horizon", &s->horizon) && h && s->horizon <= 0)
        sf_v_error(v, h, "horizon must be greater than 0 s, got '%s'", h->text);
    w = sf_ynode_get(n, "warmup", NULL);
    if (sf_v_duration(v, w, "warmup", &s->warmup) && w && s->horizon > 0 && s->warmup >= s->horizon)
        sf_v_error(v, w, "warmup must be shorter than the horizon, got '%s'", w->text);
    start(v, sf_ynode_get(n, "start", NULL), s);
}

/* ---- energy ------------------------------------------------------------ */

static void tariff(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_energy *E = &v->cfg->energy;
    sf_quantity q;

    if (!n)
        return;
    if (n->kind == SF_YSCALAR) {
        if (!(E->tariff = sf_v_alloc(v, 1, sizeof *E->tariff)))
            return;
        if (sf_v_qty(v, n, "tariff", SF_DIM_TARIFF, 0, INFINITY, false, &E->tariff[0].price)) {
            E->n_tariff = 1;
            if (sf_units_parse(n->text, SF_DIM_TARIFF, &q) == 0)
                E->currency = sf_v_strdup(v, q.currency);
        }
        return;
    }
    if (!sf_v_list(v, n, "tariff") || !(E->tariff = sf_v_alloc(v, n->n, sizeof *E->tariff)))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *b = n->items[i], *from, *price;
        sf_cfg_tariff_band *t = &E->tariff[E->n_tariff];
        if (!sf_v_map(v, b, KEYS("from", "price"), "tariff band") && b->kind != SF_YMAP)
            continue;
        from = sf_v_need(v, b, "from", "tariff band");
        price = sf_v_need(v, b, "price", "tariff band");
        if (!sf_v_clock(v, from, "from", &t->from) || !from)
            continue;
        if (!sf_v_qty(v, price, "price", SF_DIM_TARIFF, 0, INFINITY, false, &t->price) || !price)
            continue;
        if (sf_units_parse(price->text, SF_DIM_TARIFF, &q) == 0) {
            if (!E->currency || !*E->currency)
                E->currency = sf_v_strdup(v, q.currency);
            else if (strcmp(E->currency, q.currency) != 0)
                sf_v_error(v, price, "price: all tariff bands must be in one currency; this is %s, earlier ones %s",
                           q.currency, E->currency);
        }
        if (E->n_tariff == 0 && t->from != 0)
            sf_v_error(v, from, "the first tariff band must start at 00:00, got '%s'", from->text);
        if (E->n_tariff > 0 && t->from <= E->tariff[E->n_tariff - 1].from)
            sf_v_error(v, from, "tariff bands must be in order of their start; '%s' comes too late", from->text);
        E->n_tariff++;
    }
}

/* A constant or a list of 24 hourly values, hour 0 first. */
static bool profile(sf_vctx *v, const sf_ynode *n, const char *what, double out[24])
{
    if (!n)
        return false;
    if (n->kind == SF_YSCALAR) {
        double x = 0;
        if (!sf_v_qty(v, n, what, SF_DIM_CARBON, 0, INFINITY, false, &x))
            return false;
        for (int h = 0; h < 24; h++)
            out[h] = x;
        return true;
    }
    if (n->kind != SF_YSEQ || n->n != 24) {
        sf_v_error(v, n, "%s: expected one value for all hours or a list of 24 hourly values, got %s", what,
                   n->kind == SF_YSEQ ? "a list of another length" : sf_ynode_what(n));
        return false;
    }
    for (int h = 0; h < 24; h++)
        sf_v_qty(v, n->items[h], what, SF_DIM_CARBON, 0, INFINITY, false, &out[h]);
    return true;
}

/*
 * `base_load`: a power, or a schedule of bands {from: clock time, power,
 * days} (days as a shift's, default every day). On each day the band in
 * force is the latest one of that day that has started; every day needs
 * one from 00:00.
 */
static void base_load(sf_vctx *v, const sf_ynode *n)
{
    static const char *const day[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    sf_cfg_energy *E = &v->cfg->energy;

    if (!n || sf_ynode_is_null(n))
        return;
    if (n->kind != SF_YSEQ) {
        sf_v_qty(v, n, "base_load", SF_DIM_POWER, 0, 1e9, false, &E->base_load);
        return;
    }
    if (!(E->base_schedule = sf_v_alloc(v, n->n ? n->n : 1, sizeof *E->base_schedule)))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *b = n->items[i];
        sf_cfg_base_band *t = &E->base_schedule[E->n_base_schedule];
        if (!sf_v_map(v, b, KEYS("from", "power", "days"), "base load band") && b->kind != SF_YMAP)
            continue;
        t->at = sf_v_place(v, b);
        sf_v_clock(v, sf_v_need(v, b, "from", "base load band"), "from", &t->from);
        sf_v_qty(v, sf_v_need(v, b, "power", "base load band"), "power", SF_DIM_POWER, 0, 1e9, false, &t->power);
        t->days = sf_v_days(v, sf_ynode_get(b, "days", NULL));
        if (t->from >= SF_DAY)
            sf_v_error(v, sf_ynode_get(b, "from", NULL), "from: a base load band starts before 24:00");
        E->n_base_schedule++;
    }
    for (int d = 0; d < 7; d++) {
        bool midnight = false;
        for (size_t i = 0; i < E->n_base_schedule; i++)
            midnight |= E->base_schedule[i].from == 0 && (E->base_schedule[i].days >> d & 1);
        if (!midnight) {
            sf_v_error(v, n, "base_load: no band from 00:00 on %s; every day needs one (add {from: 00:00, power: ...})",
                       day[d]);
            break;
        }
    }
}

/*
 * `occupancy`: loads switched by the people present in a zone, each
 * {zone, lighting, hvac, lighting_delay, hvac_delay} (delays default 15
 * min, the time an occupancy sensor typically waits).
 */
static void occupancy(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_energy *E = &v->cfg->energy;
    const sf_cfg_layout *L = &v->cfg->layout;

    if (!n || sf_ynode_is_null(n) || !sf_v_list(v, n, "occupancy"))
        return;
    if (!(E->occupancy = sf_v_alloc(v, n->n ? n->n : 1, sizeof *E->occupancy)))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const sf_ynode *o = n->items[i], *z;
        sf_cfg_occupancy *c = &E->occupancy[E->n_occupancy];
        if (!sf_v_map(v, o, KEYS("zone", "lighting", "hvac", "lighting_delay", "hvac_delay"), "occupancy load") &&
            o->kind != SF_YMAP)
            continue;
        c->at = sf_v_place(v, o);
        c->zone = -1;
        c->lighting_delay = c->hvac_delay = 15 * SF_MINUTE;
        if ((z = sf_v_need(v, o, "zone", "occupancy load")))
            c->zone = SF_V_REF(v, z, "zone", L->zones, L->n_zones);
        sf_v_qty(v, sf_ynode_get(o, "lighting", NULL), "lighting", SF_DIM_POWER, 0, 1e9, false, &c->lighting);
        sf_v_qty(v, sf_ynode_get(o, "hvac", NULL), "hvac", SF_DIM_POWER, 0, 1e9, false, &c->hvac);
        sf_v_duration(v, sf_ynode_get(o, "lighting_delay", NULL), "lighting_delay", &c->lighting_delay);
        sf_v_duration(v, sf_ynode_get(o, "hvac_delay", NULL), "hvac_delay", &c->hvac_delay);
        if (c->zone >= 0)
            E->n_occupancy++;
    }
}

void sf_v_energy(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_energy *E = &v->cfg->energy;
    const sf_ynode *c;

    E->currency = "";
    E->demand_period = 730 * SF_HOUR; /* a month: 8760 h / 12 */
    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("tariff", "carbon", "base_load", "demand_charge", "demand_period", "occupancy"), "energy") && n->kind != SF_YMAP)
        return;
    tariff(v, sf_ynode_get(n, "tariff", NULL));
    if ((c = sf_ynode_get(n, "carbon", NULL))) {
        if (c->kind == SF_YMAP) {
            sf_v_map(v, c, KEYS("average", "marginal"), "carbon");
            profile(v, sf_v_need(v, c, "average", "carbon"), "carbon average", E->carbon_average);
            E->has_marginal = profile(v, sf_ynode_get(c, "marginal", NULL), "carbon marginal", E->carbon_marginal);
        } else {
            profile(v, c, "carbon", E->carbon_average);
        }
    }
    base_load(v, sf_ynode_get(n, "base_load", NULL));
    occupancy(v, sf_ynode_get(n, "occupancy", NULL));
    sf_v_qty(v, sf_ynode_get(n, "demand_charge", NULL), "demand_charge", SF_DIM_DEMAND_CHARGE, 0, INFINITY, false,
             &E->demand_charge);
    sf_v_duration(v, sf_ynode_get(n, "demand_period", NULL), "demand_period", &E->demand_period);
    if (E->demand_period <= 0) {
        sf_v_error(v, sf_ynode_get(n, "demand_period", NULL),
                   "demand_period: expected a positive duration (730 h, a month, when not given)");
        E->demand_period = 730 * SF_HOUR;
    }
}

/* ---- safety ------------------------------------------------------------ */

static const char *const modes[] = {"fenced", "ssm", "pfl", NULL};
static const char *const fallbacks[] = {"fenced", NULL};
static const char *const detections[] = {"area", "body", "hand", NULL};
static const char *const partners[] = {"collaborative", "handover", NULL};

static void warn_at(sf_vctx *v, sf_cfg_place at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The intrusion distance C of an ssm rule: as written, or ISO 13855's for
 * the rule's detection type (area at floor height unless it says), with a
 * warning when a written C is below ISO 13855's.
 */
static void intrusion(sf_vctx *v, const sf_ynode *e, const char *what, sf_cfg_safety_rule *r)
{
    static const char *const clause[] = {"6.3", "6.2", "6.2"};
    const sf_ynode *det = sf_ynode_get(e, "detection", NULL), *cap = sf_ynode_get(e, "detection_capability", NULL);
    const sf_ynode *h = sf_ynode_get(e, "detection_height", NULL), *c = sf_ynode_get(e, "intrusion", NULL);
    int type = SF_DETECT_AREA;
    double iso;

    if (det)
        sf_v_enum(v, det, "detection", detections, &type);
    r->detection = (sf_detection)type;
    if (r->detection == SF_DETECT_HAND)
        sf_v_qty(v, sf_v_need(v, e, "detection_capability", what), "detection_capability", SF_DIM_LENGTH, 0.014,
                 0.04, false, &r->detection_capability);
    else if (cap)
        sf_v_error(v, cap, "%s: 'detection_capability' is for detection: hand (a field that detects a hand, "
                           "d up to 40 mm); a coarser field is body",
                   what);
    if (r->detection == SF_DETECT_AREA)
        sf_v_qty(v, h, "detection_height", SF_DIM_LENGTH, 0, 1, false, &r->detection_height);
    else if (h)
        sf_v_error(v, h, "%s: 'detection_height' is for detection: area", what);
    iso = sf_safety_iso13855_intrusion(r->detection, r->detection_capability, r->detection_height);
    r->intrusion = iso;
    if (c && sf_v_qty(v, c, "intrusion", SF_DIM_LENGTH, 0, 10, false, &r->intrusion) && r->intrusion < iso - 1e-9)
        warn_at(v, sf_v_place(v, c),
                "%s: intrusion %g m is below the %g m ISO 13855:2010 (%s) gives for detection %s%s; if the sensors "
                "detect a hand, say detection: hand with its detection_capability",
                what, r->intrusion, iso, clause[r->detection], detections[r->detection],
                r->detection == SF_DETECT_AREA ? " at the height given (0 m unless detection_height says)" : "");
}

/*
 * Written slow and stop distances against the protective separation
 * distance they stand for, when the rule gives the times to compute it
 * (ISO/TS 15066:2016, 5.5.4.2.3): a warning for each one below.
 */
static void check_distances(sf_vctx *v, const char *what, const sf_ynode *slow, const sf_ynode *stop,
                            const sf_cfg_safety_rule *r, double speed)
{
    const sf_ynode *given[2] = {slow, stop};
    const double dist[2] = {r->slow_distance, r->stop_distance};
    const double at[2] = {speed, fmin(r->reduced_speed, speed)};
    static const char *const key[2] = {"slow_distance", "stop_distance"};

    if (r->reaction_time <= 0 && r->stopping_time <= 0)
        return;
    for (int i = 0; i < 2; i++) {
        double sp = sf_safety_separation(r, at[i]);
        if (given[i] && dist[i] > 0 && dist[i] < sp - 1e-9)
            warn_at(v, sf_v_place(v, given[i]),
                    "%s: %s %g m is below the protective separation distance %.3g m at %g m/s (ISO/TS 15066:2016, "
                    "5.5.4.2.3: reaction %g s, stopping %g s, intrusion C %g m)",
                    what, key[i], dist[i], sp, at[i], sf_time_to_seconds(r->reaction_time),
                    sf_time_to_seconds(r->stopping_time), r->intrusion);
    }
}

static void safety_rule(sf_vctx *v, const sf_ynode *e, const sf_ynode *name, sf_cfg_safety_rule *r)
{
    const sf_cfg_fleet *f = &v->cfg->fleet;
    static const char *const ssm_keys[] = {"slow_distance", "stop_distance", "reduced_speed", "resume_delay",
                                           "person_speed", "reaction_time", "stopping_time", "stopping_distance",
                                           "intrusion", "person_uncertainty", "robot_uncertainty", "detection",
                                           "detection_capability", "detection_height", "partner", "handover_time"};
    const sf_ynode *slow, *stop, *tr, *ts, *mnode, *fb;
    char what[200];
    int mode = 0;

    snprintf(what, sizeof what, "safety rule for '%s'", name->text);
    r->at = sf_v_place(v, name);
    r->agent_type = SF_V_REF(v, name, "fleet entry", f->types, f->n_types);
    if (r->agent_type >= 0 && f->types[r->agent_type].kind == SF_AGENT_WORKER)
        sf_v_error(v, name, "%s: '%s' is a worker; safety modes are for robots and vehicles", what, name->text);
    sf_v_map(v, e,
             KEYS("name", "mode", "slow_distance", "stop_distance", "reduced_speed", "max_speed", "resume_delay",
                  "robot_speed", "person_speed", "reaction_time", "stopping_time", "stopping_distance", "intrusion",
                  "person_uncertainty", "robot_uncertainty", "fallback", "detection", "detection_capability",
                  "detection_height", "partner", "handover_time"),
             what);
    sf_v_enum(v, (mnode = sf_v_need(v, e, "mode", what)), "mode", modes, &mode);
    r->mode = (sf_safety_mode)mode;
    if (r->mode == SF_SAFETY_PFL && r->agent_type >= 0 && f->types[r->agent_type].kind == SF_AGENT_HUMANOID)
        sf_v_error(v, mnode,
                   "%s: mode pfl is not for a humanoid: the contact limits of power and force limiting (ISO/TS "
                   "15066:2016, 5.5.5 and Annex A) are for a robot arm's contact with a body region, not for a "
                   "walking machine of some 70 kg that can fall; use fenced, or ssm with its own speeds",
                   what);
    if ((fb = sf_ynode_get(e, "fallback", NULL))) {
        int which = -1;
        if (r->mode == SF_SAFETY_FENCED)
            sf_v_error(v, fb, "%s: 'fallback' is for modes ssm and pfl", what);
        else if (sf_v_enum(v, fb, "fallback", fallbacks, &which) && which == 0)
            r->fallback_fenced = true;
    }
    r->person_speed = 1.6;
    r->stopping_distance = -1;
    if (r->mode != SF_SAFETY_FENCED)
        sf_v_qty(v, sf_ynode_get(e, "robot_speed", NULL), "robot_speed", SF_DIM_SPEED, 0, 20, true,
                 &r->robot_speed);
    else if (sf_ynode_get(e, "robot_speed", NULL))
        sf_v_error(v, sf_ynode_get(e, "robot_speed", NULL), "%s: 'robot_speed' is for modes ssm and pfl", what);
    if (r->mode == SF_SAFETY_SSM) {
        slow = sf_ynode_get(e, "slow_distance", NULL);
        stop = sf_ynode_get(e, "stop_distance", NULL);
        tr = sf_ynode_get(e, "reaction_time", NULL);
        ts = sf_ynode_get(e, "stopping_time", NULL);
        if ((!slow || !stop) && (!tr || !ts))
            sf_v_error(v, e, "%s: mode ssm needs slow_distance and stop_distance, or reaction_time and "
                             "stopping_time to compute them",
                       what);
        sf_v_qty(v, slow, "slow_distance", SF_DIM_LENGTH, 0, 100, true, &r->slow_distance);
        sf_v_qty(v, stop, "stop_distance", SF_DIM_LENGTH, 0, 100, true, &r->stop_distance);
        sf_v_qty(v, sf_v_need(v, e, "reduced_speed", what), "reduced_speed", SF_DIM_SPEED, 0, 20, true,
                 &r->reduced_speed);
        sf_v_duration(v, sf_ynode_get(e, "resume_delay", NULL), "resume_delay", &r->resume_delay);
        sf_v_qty(v, sf_ynode_get(e, "person_speed", NULL), "person_speed", SF_DIM_SPEED, 0, 20, true,
                 &r->person_speed);
        sf_v_duration(v, tr, "reaction_time", &r->reaction_time);
        sf_v_duration(v, ts, "stopping_time", &r->stopping_time);
        sf_v_qty(v, sf_ynode_get(e, "stopping_distance", NULL), "stopping_distance", SF_DIM_LENGTH, 0, 100, false,
                 &r->stopping_distance);
        intrusion(v, e, what, r);
        {
            const sf_ynode *pm = sf_ynode_get(e, "partner", NULL), *ht = sf_ynode_get(e, "handover_time", NULL);
            int which = 0;
            if (pm && sf_v_enum(v, pm, "partner", partners, &which))
                r->handover = which == 1;
            if (r->handover)
                sf_v_duration(v, sf_v_need(v, e, "handover_time", what), "handover_time", &r->handover_time);
            else if (ht)
                sf_v_error(v, ht, "%s: 'handover_time' is for partner: handover", what);
        }
        sf_v_qty(v, sf_ynode_get(e, "person_uncertainty", NULL), "person_uncertainty", SF_DIM_LENGTH, 0, 10, false,
                 &r->person_uncertainty);
        sf_v_qty(v, sf_ynode_get(e, "robot_uncertainty", NULL), "robot_uncertainty", SF_DIM_LENGTH, 0, 10, false,
                 &r->robot_uncertainty);
        if (r->slow_distance > 0 && r->stop_distance > 0 && r->slow_distance <= r->stop_distance)
            sf_v_error(v, slow, "%s: slow_distance (%g m) must be greater than stop_distance (%g m)", what,
                       r->slow_distance, r->stop_distance);
        else if (r->agent_type >= 0)
            check_distances(v, what, slow, stop, r,
                            r->robot_speed > 0                       ? r->robot_speed
                            : f->types[r->agent_type].speed > 0      ? f->types[r->agent_type].speed
                                                                     : 1);
        if (sf_ynode_get(e, "max_speed", NULL))
            sf_v_error(v, sf_ynode_get(e, "max_speed", NULL), "%s: 'max_speed' is for mode pfl", what);
    } else {
        for (size_t i = 0; i < sizeof ssm_keys / sizeof ssm_keys[0]; i++)
            if (sf_ynode_get(e, ssm_keys[i], NULL))
                sf_v_error(v, sf_ynode_get(e, ssm_keys[i], NULL), "%s: '%s' is for mode ssm", what, ssm_keys[i]);
        if (r->mode == SF_SAFETY_PFL)
            sf_v_qty(v, sf_v_need(v, e, "max_speed", what), "max_speed", SF_DIM_SPEED, 0, 20, true,
                     &r->reduced_speed);
        else if (sf_ynode_get(e, "max_speed", NULL))
            sf_v_error(v, sf_ynode_get(e, "max_speed", NULL), "%s: 'max_speed' is for mode pfl", what);
    }
}

/* The camera's position, heading and field of view (`at`, `heading`, `fov`), and its latency. */
static void camera_geometry(sf_vctx *v, const sf_ynode *e, sf_cfg_camera *c, const char *what)
{
    const sf_ynode *at = sf_ynode_get(e, "at", NULL);

    c->fov = 360;
    sf_v_duration(v, sf_ynode_get(e, "latency", NULL), "latency", &c->latency);
    if (!at) {
        static const char *const keys[] = {"heading", "fov"};
        for (size_t i = 0; i < 2; i++)
            if (sf_ynode_get(e, keys[i], NULL))
                sf_v_error(v, sf_ynode_get(e, keys[i], NULL),
                           "%s: '%s' needs the camera's position: write 'at: [x, y]' too", what, keys[i]);
        return;
    }
    c->has_position = sf_v_point(v, at, "at", &c->x, &c->y);
    sf_v_qty(v, sf_ynode_get(e, "heading", NULL), "heading (degrees)", SF_DIM_NONE, -360, 360, false, &c->heading);
    sf_v_qty(v, sf_ynode_get(e, "fov", NULL), "fov (degrees)", SF_DIM_NONE, 0, 360, true, &c->fov);
}

/* A camera with a position that sees none or only part of one of its zones: a warning at its `at`. */
static void camera_coverage(sf_vctx *v, const sf_ynode *e, const sf_cfg_camera *c, const char *what)
{
    const sf_cfg_layout *L = &v->cfg->layout;

    for (size_t k = 0; c->has_position && k < c->n_zones; k++) {
        const sf_cfg_zone *z = c->zones[k] >= 0 && (size_t)c->zones[k] < L->n_zones ? &L->zones[c->zones[k]] : NULL;
        double share = z ? sf_safety_camera_share(c, z) : 1;
        if (share >= 0.995)
            continue;
        if (share <= 0)
            warn_at(v, sf_v_place(v, sf_ynode_get(e, "at", NULL)),
                    "%s: its sector (range %g m, fov %g deg, heading %g deg) covers none of zone '%s': a person "
                    "there is never seen; move or turn the camera, or widen 'fov' or 'range'",
                    what, c->detect_range, c->fov, c->heading, z->name);
        else
            warn_at(v, sf_v_place(v, sf_ynode_get(e, "at", NULL)),
                    "%s: its sector (range %g m, fov %g deg, heading %g deg) covers %.0f %% of zone '%s' "
                    "(sampled on a 200 x 200 grid): a person in the rest is not seen",
                    what, c->detect_range, c->fov, c->heading, 100 * share, z->name);
    }
}

static void camera_entry(sf_vctx *v, const sf_ynode *e, const sf_ynode *name, sf_cfg_camera *c)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode *z, *up = sf_ynode_get(e, "mtbf", NULL), *down = sf_ynode_get(e, "mttr", NULL);
    double detect = 1;
    char what[200];

    sf_v_entry(v, name, "camera", what, sizeof what, &c->name, &c->at);
    c->detect_range = 10;
    sf_v_map(v, e, KEYS("name", "zones", "range", "mtbf", "mttr", "detection", "at", "heading", "fov", "latency"), what);
    sf_v_fraction(v, sf_ynode_get(e, "detection", NULL), "detection", &detect);
    c->miss = 1 - detect;
    if ((up != NULL) != (down != NULL))
        sf_v_error(v, up ? up : down, "%s: a camera that fails needs both 'mtbf' and 'mttr'", what);
    else if (up)
        c->fails = sf_v_dist(v, up, "mtbf", SF_DIM_TIME, &c->mtbf) && sf_v_dist(v, down, "mttr", SF_DIM_TIME, &c->mttr);
    sf_v_qty(v, sf_ynode_get(e, "range", NULL), "range", SF_DIM_LENGTH, 0, 200, true, &c->detect_range);
    camera_geometry(v, e, c, what);
    if (!(z = sf_v_need(v, e, "zones", what)) || !sf_v_list(v, z, "zones"))
        return;
    if (!(c->zones = sf_v_alloc(v, z->n, sizeof *c->zones)))
        return;
    for (size_t k = 0; k < z->n; k++)
        c->zones[c->n_zones++] = SF_V_REF(v, z->items[k], "zone", L->zones, L->n_zones);
    camera_coverage(v, e, c, what);
}

void sf_v_safety(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_safety *S = &v->cfg->safety;
    const sf_ynode **e, **names, *cams;
    size_t count;

    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("robots", "cameras"), "safety") && n->kind != SF_YMAP)
        return;
    count = sf_v_named(v, sf_ynode_get(n, "robots", NULL), "safety.robots", &e, &names);
    if (!(S->rules = sf_v_alloc(v, count, sizeof *S->rules)))
        return;
    for (size_t i = 0; i < count; i++)
        safety_rule(v, e[i], names[i], &S->rules[S->n_rules++]);
    count = sf_v_named(v, (cams = sf_ynode_get(n, "cameras", NULL)), "safety.cameras", &e, &names);
    if (!(S->cameras = sf_v_alloc(v, count, sizeof *S->cameras)))
        return;
    for (size_t i = 0; i < count; i++)
        camera_entry(v, e[i], names[i], &S->cameras[S->n_cameras++]);
}

/* ---- outputs ----------------------------------------------------------- */

static const char *const formats[] = {"csv", "json", "html", NULL};

void sf_v_outputs(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_outputs *o = &v->cfg->outputs;
    const sf_ynode *f;

    o->dir = "out";
    o->formats = SF_OUT_CSV | SF_OUT_JSON;
    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("dir", "formats", "sample_every", "trace", "fingerprint"), "outputs") &&
        n->kind != SF_YMAP)
        return;
    sf_v_string(v, sf_ynode_get(n, "dir", NULL), "dir", &o->dir);
    if ((f = sf_ynode_get(n, "formats", NULL)) && sf_v_list(v, f, "formats")) {
        o->formats = 0;
        for (size_t i = 0; i < f->n; i++) {
            int k = -1;
            if (sf_v_enum(v, f->items[i], "format", formats, &k) && k >= 0)
                o->formats |= 1u << k;
        }
    }
    sf_v_duration(v, sf_ynode_get(n, "sample_every", NULL), "sample_every", &o->sample_every);
    sf_v_bool(v, sf_ynode_get(n, "trace", NULL), "trace", &o->trace);
    sf_v_bool(v, sf_ynode_get(n, "fingerprint", NULL), "fingerprint", &o->fingerprint);
}

/* ---- safety across sections ------------------------------------------------- */


/* A warning with the place of `at`, kept in the config for check and run to print. */
static void warn_at(sf_vctx *v, sf_cfg_place at, const char *fmt, ...)
{
    char msg[700];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sf_v_warn_place(v, &v->cfg->safety.warnings, &v->cfg->safety.n_warnings, at, "%s", msg);
}

/* Agent type t may be one of the crew of operation `op`. */
static bool in_crew(const sf_cfg_fleet *f, const sf_cfg_operation *op, int t)
{
    for (size_t c = 0; c < op->n_crew; c++) {
        const sf_cfg_crew_need *need = &op->crew[c];
        if (need->kinds & (1u << f->types[t].kind))
            return true;
        for (size_t i = 0; i < need->n_types; i++)
            if (need->types[i] == t)
                return true;
    }
    return false;
}

/*
 * Marks in `where` (one flag per station) the stations at which agent
 * type t works as a robot: an arm at its home station, a humanoid at
 * every station of a group where an operation may take it as crew.
 */
static void robot_stations(const sf_scenario_config *cfg, int t, bool *where)
{
    const sf_cfg_agent_type *T = &cfg->fleet.types[t];

    if (T->kind == SF_AGENT_ARM) {
        if (T->home_station >= 0)
            where[T->home_station] = true;
        return;
    }
    for (size_t p = 0; p < cfg->n_products; p++)
        for (size_t o = 0; o < cfg->products[p].n_ops; o++) {
            const sf_cfg_operation *op = &cfg->products[p].ops[o];
            if (!in_crew(&cfg->fleet, op, t))
                continue;
            for (size_t st = 0; st < cfg->layout.n_stations; st++)
                if (cfg->layout.stations[st].group_index == op->group)
                    where[st] = true;
        }
}

/*
 * No silent fallback: an arm or humanoid whose rule is ssm or pfl must
 * work where a camera watches a collaborative zone (without sensing
 * nobody knows where people are, ISO/TS 15066:2016, 5.5.4, and the run
 * would treat it as fenced). Where it does not, the rule is refused at
 * its place, unless it says `fallback: fenced`: then a warning names the
 * robot and the stations where it will run fenced. Mobile robots
 * (forklifts, AGVs) carry their own scanners and need no camera.
 * Cost: rules x (operations x stations + stations x cameras x zones).
 */
void sf_v_safety_checks(sf_vctx *v)
{
    const sf_scenario_config *cfg = v->cfg;
    const sf_cfg_layout *L = &cfg->layout;
    bool *where;

    if (!(where = sf_v_alloc(v, L->n_stations ? L->n_stations : 1, sizeof *where)))
        return;
    for (size_t i = 0; i < cfg->safety.n_rules; i++) {
        const sf_cfg_safety_rule *r = &cfg->safety.rules[i];
        const sf_cfg_agent_type *T;
        char names[300] = "";
        size_t len = 0, uncovered = 0;
        if (r->mode == SF_SAFETY_FENCED || r->agent_type < 0)
            continue;
        T = &cfg->fleet.types[r->agent_type];
        if (T->kind != SF_AGENT_ARM && T->kind != SF_AGENT_HUMANOID)
            continue;
        memset(where, 0, (L->n_stations ? L->n_stations : 1) * sizeof *where);
        robot_stations(cfg, r->agent_type, where);
        for (size_t st = 0; st < L->n_stations; st++) {
            const sf_cfg_node *nd = &L->nodes[L->stations[st].node];
            if (!where[st] || sf_safety_watched(cfg, nd->x, nd->y))
                continue;
            if (uncovered++ < 4 && len < sizeof names)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s'%s'", uncovered > 1 ? ", " : "",
                                        L->stations[st].name);
        }
        if (!uncovered)
            continue;
        if (uncovered > 4 && len < sizeof names)
            snprintf(names + len, sizeof names - len, " and %zu more", uncovered - 4);
        if (r->fallback_fenced)
            warn_at(v, r->at,
                    "safety rule for '%s': %s '%s' runs fenced, not %s, at station%s %s: no camera watches a "
                    "collaborative zone there (fallback: fenced)",
                    T->name, sf_agent_kind_name(T->kind), T->name, modes[r->mode], uncovered > 1 ? "s" : "",
                    names);
        else
            sf_v_error_place(v, r->at,
                     "safety rule for '%s': %s '%s' cannot run %s at station%s %s: no camera watches a "
                     "collaborative zone there, and without sensing nobody knows where people are; add a camera "
                     "over a collaborative zone that holds the station, or write 'fallback: fenced' to run it "
                     "fenced there",
                     T->name, sf_agent_kind_name(T->kind), T->name, modes[r->mode], uncovered > 1 ? "s" : "", names);
    }
}
