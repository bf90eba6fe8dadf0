/*
 * instruct_fleet.c: the sentences about the fleet during a run: agents
 * added ("add 2 operators to the late shift") and removed ("remove
 * forklift 3"), a safety mode ("set cobot_1 to fenced", "set cobot_1
 * to pfl for 1 h") and a fleet
 * entry's speed ("set forklift speed to 1.5 m/s"), and tending ("humanoid
 * 1: tend mill_2 until 14:00"). The grammar is in
 * docs/viewer.md.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "experiment/instruct_int.h"
#include "model/kinds.h"
#include "model/safety.h"
#include "scenario/schema.h"

/* A fleet entry with a roster holding shift `shift` (any entry when shift < 0). */
static bool works_shift(const sf_scenario_config *c, size_t type, int shift)
{
    if (shift < 0)
        return true;
    for (size_t r = 0; r < c->shifts.n_rosters; r++)
        if (c->shifts.rosters[r].agent_type == (int)type)
            for (size_t k = 0; k < c->shifts.rosters[r].n_shifts; k++)
                if (c->shifts.rosters[r].shifts[k] == shift)
                    return true;
    return false;
}

/* Does `noun` ("forklift", "forklifts", "operators", "workers", "arm") name fleet entry t, by its name or kind? */
static bool names_entry(const sf_scenario_config *c, size_t t, const char *noun)
{
    static const char *const people[] = {"operator", "operators", "worker", "workers", "people", "person", "staff", NULL};
    const sf_cfg_agent_type *T = &c->fleet.types[t];
    const char *kind = sf_agent_kind_name(T->kind);
    size_t n = strlen(noun), k = strlen(kind), m = strlen(T->name);

    if (strcmp(noun, T->name) == 0 || (n == m + 1 && noun[m] == 's' && strncmp(noun, T->name, m) == 0))
        return true;
    if (strcmp(noun, kind) == 0 || (n == k + 1 && noun[k] == 's' && strncmp(noun, kind, k) == 0))
        return true;
    return T->kind == SF_AGENT_WORKER && sf__in_one_of(noun, people);
}

/* "to the late shift", "on late shift", "for the late shift": the shift's index, or -1 when there is none. */
static int shift_of(parse *p, int *shift)
{
    const sf_cfg_shifts *S = &p->cfg->shifts;
    const char *known[64];
    size_t n = 0;

    *shift = -1;
    if (!sf__in_one_of(sf__in_word(p, p->i), (const char *const[]){"to", "on", "in", "for", "into", NULL}))
        return SF_OK;
    p->i++;
    if (sf__in_is(p, p->i, "the"))
        p->i++;
    const char *w = sf__in_word(p, p->i);
    for (size_t k = 0; k < S->n_shifts; k++)
        if (strcmp(S->shifts[k].name, w) == 0)
            *shift = (int)k;
    if (*shift < 0) {
        for (size_t k = 0; k < S->n_shifts && n < 64; k++)
            known[n++] = S->shifts[k].name;
        const char *near = sf_v_nearest(w, known, n);
        return near ? sf__in_refuse(p, "there is no shift '%s'; did you mean '%s'?", w, near)
                    : sf__in_refuse(p, "there is no shift '%s' in this plant", w);
    }
    p->i++;
    if (sf__in_is(p, p->i, "shift"))
        p->i++;
    return SF_OK;
}

/* The one fleet entry `noun` names among those that work `shift`; a refusal when none or several. */
static int entry_of(parse *p, const char *noun, int shift, int *out)
{
    const sf_scenario_config *c = p->cfg;
    int found = -1, other = -1;

    for (size_t t = 0; t < c->fleet.n_types; t++)
        if (names_entry(c, t, noun) && works_shift(c, t, shift)) {
            if (found < 0)
                found = (int)t;
            else if (other < 0)
                other = (int)t;
        }
    if (found < 0) {
        for (size_t t = 0; t < c->fleet.n_types; t++)
            if (shift >= 0 && names_entry(c, t, noun))
                return sf__in_refuse(p, "the %s shift is not in the roster of any '%s' fleet entry", c->shifts.shifts[shift].name,
                              noun);
        return sf__in_unknown(p, "fleet entry", noun, ALL_FLEET);
    }
    if (other >= 0)
        return sf__in_refuse(p, "which %s: '%s' or '%s'? name the fleet entry%s", noun, c->fleet.types[found].name,
                      c->fleet.types[other].name, shift < 0 && c->shifts.n_shifts ? " or the shift" : "");
    *out = found;
    return SF_OK;
}

/* "add 2 operators to the late shift", "hire a forklift", "add 1 operator_late". */
/*
 * "reserve 2 agents per fleet entry": every fleet entry but arms is built
 * with 2 more agents, out of the plant until an add brings them in (during
 * the run too, from a live viewer). With the plant, so at the start only.
 */
int sf__in_reserve(parse *p, int verb_at, sf_intervention *iv)
{
    static const char *const fillers[] = {"agents", "agent", "more", "per", "for", "in", "each", "every", "fleet",
                                          "entry", "entries", NULL};
    double v = 1;

    if (verb_at > 0)
        return sf__in_refuse(p, "a reserve is for every fleet entry: say 'reserve 2 agents per fleet entry'");
    if (iv->at != 0)
        return sf__in_refuse(p, "a reserve is built with the plant: give it at the start (no time, or +00:00:00)");
    if (!sf__in_number(p, &v) || v != (int)v || v < 1 || v > 100)
        return sf__in_refuse(p, "how many? a reserve is a whole number of agents from 1 to 100 per fleet entry");
    while (sf__in_one_of(sf__in_word(p, p->i), fillers))
        p->i++;
    iv->kind = SF_IV_RESERVE;
    iv->quantity = (int)v;
    iv->length = SF_TIME_MAX;
    return SF_OK;
}

int sf__in_add_agents(parse *p, sf_intervention *iv)
{
    double v = 1;
    int type = -1, shift, rc;
    char noun[WORD_LEN];

    if (sf__in_number(p, &v) && (v != (int)v || v < 1 || v > 1000))
        return sf__in_refuse(p, "agents are added by whole numbers from 1 to 1000, not %g", v);
    if (!*sf__in_word(p, p->i))
        return sf__in_refuse(p, "add what? name a fleet entry, as in 'add 1 forklift'");
    snprintf(noun, sizeof noun, "%s", sf__in_word(p, p->i++));
    if ((rc = shift_of(p, &shift)) != SF_OK || (rc = entry_of(p, noun, shift, &type)) != SF_OK)
        return rc;
    if (p->cfg->fleet.types[type].kind == SF_AGENT_ARM)
        return sf__in_refuse(p, "an arm is part of its station: it cannot be added during a run (change the fleet with --set)");
    iv->kind = SF_IV_ADD_AGENTS;
    iv->target = (uint32_t)type;
    iv->quantity = (int)v;
    iv->length = 0;
    return SF_OK;
}

/* "remove forklift 3", "withdraw humanoid 1 from the plant". */
int sf__in_remove_agent(parse *p, sf_intervention *iv)
{
    static const char *const fillers[] = {"from", "the", "plant", "floor", "fleet", "run", "now", "immediately", NULL};
    int rc = sf__in_target(p, iv);

    if (rc != SF_OK)
        return rc;
    if (iv->kind != SF_IV_STOP_AGENT)
        return sf__in_refuse(p, "only an agent can be removed: name one, as in 'remove forklift 3' (stop a station instead)");
    while (sf__in_one_of(sf__in_word(p, p->i), fillers))
        p->i++;
    iv->kind = SF_IV_REMOVE_AGENT;
    iv->length = SF_TIME_MAX;
    return SF_OK;
}

/* The safety rule of fleet entry `type`, or NULL. */
static const sf_cfg_safety_rule *rule_of(const sf_scenario_config *c, int type)
{
    const sf_cfg_safety_rule *rule = NULL;

    for (size_t r = 0; r < c->safety.n_rules; r++)
        if (c->safety.rules[r].agent_type == type)
            rule = &c->safety.rules[r];
    return rule;
}

/* pfl from an ssm rule runs at the rule's reduced_speed: the read-back says so, and reads back ("at its ssm rule's reduced_speed"). */
static void pfl_speed_words(parse *p)
{
    static const char *const said[] = {"at", "its", "ssm", "rule", "s", "reduced_speed", NULL};
    int j = p->i;

    if (!sf__in_is(p, j, "at"))
        return;
    while (sf__in_one_of(sf__in_word(p, j), said))
        if (sf__in_is(p, j++, "reduced_speed"))
            p->i = j;
}

/* Why fleet entry T (rule `now`, or none) cannot be switched to ssm or pfl with its rule's parameters, and the --set. */
static int no_parameters(parse *p, const sf_cfg_agent_type *T, const sf_cfg_safety_rule *rule, bool pfl)
{
    static const char *const names[] = {"fenced", "ssm", "pfl"};
    char has[64];

    if (rule)
        snprintf(has, sizeof has, "its safety rule is %s", names[rule->mode]);
    else
        snprintf(has, sizeof has, "it has no safety rule");
    if (pfl) /* the mode from the start, fenced by an instruction until the switch */
        return sf__in_refuse(p, "%s has no pfl speed (%s): give it a pfl rule, --set safety.robots.%s.mode=pfl --set "
                                "safety.robots.%s.max_speed=0.25, fenced from the start until the switch",
                             T->name, has, T->name, T->name);
    return sf__in_refuse(p, "%s has no ssm distances and speeds (%s): give it an ssm rule, --set "
                            "safety.robots.%s.mode=ssm with reduced_speed, slow_distance and stop_distance, fenced from "
                            "the start until the switch",
                         T->name, has, T->name);
}

/*
 * "set cobot_1 to fenced" (for a time or for good): an arm with a
 * collaborative rule is fenced (SF_IV_FENCE); "set cobot_1 to pfl", "set
 * humanoid 1 to fenced": the robot runs that mode from then, with the
 * parameters of its safety rule (sf_safety_can_switch), where a camera
 * watches it; what it cannot run is refused with the reason.
 */
static int safety_mode(parse *p, const char *mode, sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    const sf_cfg_agent_type *T = &c->fleet.types[p->type];
    const sf_cfg_safety_rule *rule = rule_of(c, p->type);
    sf_safety_mode now = rule ? rule->mode : SF_SAFETY_FENCED;
    bool fenced = strcmp(mode, "fenced") == 0 || strcmp(mode, "fence") == 0, pfl = strcmp(mode, "pfl") == 0;

    if (T->kind != SF_AGENT_ARM && T->kind != SF_AGENT_HUMANOID)
        return sf__in_refuse(p, "a safety mode is for an arm or a humanoid; %s is a %s", T->name, sf_agent_kind_name(T->kind));
    if (fenced) {
        if (now == SF_SAFETY_FENCED)
            return sf__in_refuse(p, "%s runs fenced already (its safety rule)", T->name);
        iv->kind = T->kind == SF_AGENT_ARM ? SF_IV_FENCE : SF_IV_SAFETY_MODE;
        iv->quantity = T->kind == SF_AGENT_ARM ? 0 : SF_SAFETY_FENCED;
        return sf__in_how_long(p, iv);
    }
    if (pfl && T->kind == SF_AGENT_HUMANOID)
        return sf__in_refuse(p, "pfl is not for a humanoid: power and force limiting's contact limits are for an arm, not a "
                         "walking machine that can fall (use fenced, or ssm)");
    bool watched = c->safety.n_cameras > 0;
    if (T->home_station >= 0) {
        const sf_cfg_node *nd = &c->layout.nodes[c->layout.stations[T->home_station].node];
        watched = sf_safety_watched(c, nd->x, nd->y);
    }
    if (!watched)
        return sf__in_refuse(p, "%s needs a camera watching where %s works, and none does: without sensing nobody "
                             "knows where people are", mode, T->name);
    if (!sf_safety_can_switch(c, p->type, pfl ? SF_SAFETY_PFL : SF_SAFETY_SSM))
        return no_parameters(p, T, rule, pfl);
    if (pfl)
        pfl_speed_words(p);
    iv->kind = SF_IV_SAFETY_MODE;
    iv->quantity = pfl ? SF_SAFETY_PFL : SF_SAFETY_SSM;
    return sf__in_how_long(p, iv);
}

/* A speed at word i: a number and "m/s" ("m s", "mps") or "km/h" ("km h", "kmh"), as m/s; advances i. */
static int speed_value(parse *p, double *out)
{
    double v;

    if (!sf__in_number(p, &v))
        return sf__in_refuse(p, "to what speed? as in 'set forklift speed to 1.5 m/s', found '%s'", sf__in_word(p, p->i));
    if ((sf__in_is(p, p->i, "m") && sf__in_is(p, p->i + 1, "s")) || (sf__in_is(p, p->i, "km") && sf__in_is(p, p->i + 1, "h"))) {
        v /= sf__in_is(p, p->i, "km") ? 3.6 : 1;
        p->i += 2;
    } else if (sf__in_is(p, p->i, "mps") || sf__in_is(p, p->i, "kmh")) {
        v /= sf__in_is(p, p->i, "kmh") ? 3.6 : 1;
        p->i++;
    } else {
        return sf__in_refuse(p, "'%s' needs a unit of speed, m/s or km/h", sf__in_word(p, p->i - 1));
    }
    if (!(v > 0) || v > 20)
        return sf__in_refuse(p, "a speed is more than 0 and at most 20 m/s, not %g m/s", v);
    *out = v;
    return SF_OK;
}

/* "set forklift speed to 1.5 m/s", "set the forklifts' speed to 6 km/h": a fleet entry's agents from then on. */
static int set_speed(parse *p, sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    char noun[WORD_LEN];
    int type = -1;

    if (sf__in_is(p, p->i, "the"))
        p->i++;
    snprintf(noun, sizeof noun, "%s", sf__in_word(p, p->i));
    size_t len = strlen(noun);
    for (size_t t = 0; t < c->fleet.n_types && type < 0; t++)
        if (strcmp(noun, c->fleet.types[t].name) == 0 ||
            (len > 1 && noun[len - 1] == 's' && strlen(c->fleet.types[t].name) == len - 1 &&
             strncmp(noun, c->fleet.types[t].name, len - 1) == 0))
            type = (int)t;
    bool one = strchr(noun, '.') || (type >= 0 && !sf__in_is(p, p->i + 1, "speed") && !sf__in_is(p, p->i + 1, "s"));
    if (one)
        return sf__in_refuse(p, "a speed is set for a fleet entry's agents together, not one of them: say 'set %.*s "
                                "speed to 1.5 m/s'", (int)strcspn(noun, "."), noun);
    if (type < 0)
        return sf__in_unknown(p, "fleet entry", noun, ALL_FLEET);
    if (c->fleet.types[type].kind == SF_AGENT_ARM)
        return sf__in_refuse(p, "%s is an arm: it does not travel", noun);
    p->i++;
    if (sf__in_is(p, p->i, "s")) /* "forklifts' speed" */
        p->i++;
    if (!sf__in_is(p, p->i, "speed"))
        return sf__in_refuse(p, "set what of %s? its speed, as in 'set %s speed to 1.5 m/s'", noun, noun);
    p->i++;
    if (sf__in_is(p, p->i, "to") || sf__in_is(p, p->i, "="))
        p->i++;
    iv->kind = SF_IV_SPEED;
    iv->target = (uint32_t)type;
    iv->length = SF_TIME_MAX;
    return speed_value(p, &iv->speed);
}

/* "set AGENT [safety] [mode] to MODE [for ...]", "set forklift speed to 1.5 m/s". */
int sf__in_set(parse *p, sf_intervention *iv)
{
    static const char *const modes[] = {"fenced", "fence", "ssm", "pfl", NULL};
    static const char *const fillers[] = {"safety", "mode", "to", "in", "into", "=", "the", NULL};
    double v;
    int rc;

    for (int j = p->i; j < p->t.n; j++)
        if (sf__in_is(p, j, "speed"))
            return set_speed(p, iv);
    if ((rc = sf__in_target(p, iv)) != SF_OK)
        return rc;
    if (iv->kind != SF_IV_STOP_AGENT)
        return sf__in_refuse(p, "a safety mode is set on a robot: name one, as in 'set cobot_1 to fenced'");
    while (sf__in_one_of(sf__in_word(p, p->i), fillers))
        p->i++;
    if (sf__in_number_word(sf__in_word(p, p->i), &v))
        return sf__in_refuse(p, "a speed is set for a fleet entry, as in 'set forklift speed to 1.5 m/s'");
    if (!sf__in_one_of(sf__in_word(p, p->i), modes))
        return sf__in_refuse(p, "set to what? a safety mode: fenced, ssm or pfl, as in 'set cobot_1 to fenced'");
    return safety_mode(p, p->t.w[p->i++], iv);
}

/* Can fleet entry `type` be in the crew of some operation at station `st` (its kind or entry, and the skill)? */
static bool works_at(const sf_scenario_config *c, int type, size_t st)
{
    const sf_cfg_agent_type *T = &c->fleet.types[type];

    for (size_t p = 0; p < c->n_products; p++)
        for (size_t o = 0; o < c->products[p].n_ops; o++) {
            const sf_cfg_operation *op = &c->products[p].ops[o];
            bool skilled = !op->skill;
            for (size_t k = 0; k < T->n_skills && !skilled; k++)
                skilled = strcmp(T->skills[k], op->skill) == 0;
            if (op->group != c->layout.stations[st].group_index || !skilled)
                continue;
            for (size_t n = 0; n < op->n_crew; n++) {
                const sf_cfg_crew_need *need = &op->crew[n];
                if (need->kinds & (1u << T->kind))
                    return true;
                for (size_t i = 0; i < need->n_types; i++)
                    if (need->types[i] == type)
                        return true;
            }
        }
    return false;
}

/*
 * "humanoid 1: tend mill_2 until 14:00": the agent addressed works only
 * at that station's operations (and its repairs), and waits there between
 * them, for the time given (nothing: to the end of the run).
 */
int sf__in_tend(parse *p, int verb_at, sf_intervention *iv)
{
    static const char *const skip[] = {"the", "station", "machine", "at", NULL};
    const sf_scenario_config *c = p->cfg;
    int rc, after = p->i, st;

    if (verb_at == 0)
        return sf__in_refuse(p, "who tends it? name the agent first, as in 'humanoid 1: tend mill_2 until 14:00'");
    p->i = 0;
    if ((rc = sf__in_target(p, iv)) != SF_OK)
        return rc;
    if (iv->kind != SF_IV_STOP_AGENT || p->i != verb_at)
        return sf__in_refuse(p, "who tends it? name one agent first, as in 'humanoid 1: tend mill_2 until 14:00'");
    const sf_cfg_agent_type *T = &c->fleet.types[p->type];
    if (T->kind != SF_AGENT_HUMANOID && T->kind != SF_AGENT_WORKER)
        return sf__in_refuse(p, "only a humanoid or a worker tends a station; %s is a%s %s", T->name,
                             T->kind == SF_AGENT_ARM || T->kind == SF_AGENT_AGV ? "n" : "", sf_agent_kind_name(T->kind));
    for (p->i = after; sf__in_one_of(sf__in_word(p, p->i), skip); p->i++)
        ;
    const char *w = sf__in_word(p, p->i);
    if (!*w)
        return sf__in_refuse(p, "tend what? name a station, as in 'humanoid 1: tend mill_2 until 14:00'");
    if ((st = sf__in_find_name(w, c->layout.stations, c->layout.n_stations, sizeof *c->layout.stations)) < 0)
        return sf__in_unknown(p, "station", w, ALL_STATIONS);
    if (!works_at(c, p->type, (size_t)st))
        return sf__in_refuse(p, "%s cannot work at %s: no operation there takes a %s with its skills", T->name, w,
                             sf_agent_kind_name(T->kind));
    p->i++;
    iv->kind = SF_IV_TEND;
    iv->station = (uint32_t)st;
    return sf__in_how_long(p, iv);
}
