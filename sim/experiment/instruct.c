/*
 * instruct.c: a small controlled English for interventions.
 *
 * A line is cut into lower-case words (punctuation separates them; a
 * dot or colon between two digits or letters stays, so "forklift.2",
 * "1.5" and "10:30" are one word; "20min" is two). Then: the time in
 * front, the verb (the first word of the verb table; words before it
 * address an agent), the target, and "for"/"until" with a duration or a
 * clock time. Every refusal says why in words a trainer understands.
 */
#include "experiment/instruct.h"
#include "experiment/instruct_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "scenario/schema.h"

int sf__in_refuse(parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, p->nwhy, fmt, ap);
    va_end(ap);
    return SF_EPARSE;
}

/* ---- words ------------------------------------------------------------------- */

static bool keeps(const char *s, size_t i)
{
    char c = s[i];
    if (isalnum((unsigned char)c) || c == '_' || c == '-' || c == '+')
        return true;
    return (c == '.' || c == ':') && i > 0 && isalnum((unsigned char)s[i - 1]) && isalnum((unsigned char)s[i + 1]);
}

/* A letter after a digit or a digit after a letter, in "20min" or "1h30m". */
static bool boundary(char a, char b)
{
    return (isdigit((unsigned char)a) && isalpha((unsigned char)b)) || (isalpha((unsigned char)a) && isdigit((unsigned char)b));
}

/*
 * Cut the line into lower-case words; false when there are too many or
 * one is too long. A word that starts with a digit is cut where digits
 * and letters meet, and so are the words cut from it: "1h30m" is four.
 */
static bool cut(const char *s, words *t)
{
    bool numeric = false; /* the word goes on from a number cut short */

    t->n = 0;
    for (size_t i = 0; s[i];) {
        size_t len = 0;
        if (!keeps(s, i)) {
            i++;
            numeric = false;
            continue;
        }
        if (t->n == WORDS)
            return false;
        char *w = t->w[t->n++];
        numeric |= isdigit((unsigned char)s[i]) != 0;
        if (s[i] == '+') /* "+2h": the sign is a word of its own */
            w[len++] = s[i++];
        else
            while (s[i] && keeps(s, i) && s[i] != '+' && !(numeric && len > 0 && boundary(w[len - 1], s[i]))) {
                if (len + 1 == WORD_LEN)
                    return false;
                w[len++] = (char)tolower((unsigned char)s[i++]);
            }
        w[len] = '\0';
        numeric = numeric && s[i] && keeps(s, i);
    }
    return true;
}

/* Drop the words that carry no meaning ("please"). */
static void drop_politeness(words *t)
{
    int j = 0;

    for (int i = 0; i < t->n; i++)
        if (strcmp(t->w[i], "please") != 0 && strcmp(t->w[i], "kindly") != 0) {
            if (j != i)
                memcpy(t->w[j], t->w[i], WORD_LEN);
            j++;
        }
    t->n = j;
}

const char *sf__in_word(const parse *p, int i) { return i < p->t.n ? p->t.w[i] : ""; }
bool sf__in_is(const parse *p, int i, const char *w) { return strcmp(sf__in_word(p, i), w) == 0; }

bool sf__in_one_of(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

/* ---- numbers, durations, clock times --------------------------------------------- */

static const char *const small[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                    "eighteen", "nineteen", NULL};
static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL};

static int index_of(const char *w, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return i;
    return -1;
}

/* A number in one word: digits, or a number word up to ninety-nine; false otherwise. */
bool sf__in_number_word(const char *w, double *v)
{
    char *end, head[WORD_LEN];
    const char *dash = strchr(w, '-');
    int a, b;

    if (isdigit((unsigned char)w[0])) {
        *v = strtod(w, &end);
        return *end == '\0';
    }
    if ((a = index_of(w, small)) >= 0 || (a = index_of(w, tens)) >= 0) {
        *v = index_of(w, small) >= 0 ? a : 20 + 10 * a;
        return true;
    }
    if (strcmp(w, "dozen") == 0 || strcmp(w, "a") == 0 || strcmp(w, "an") == 0 || strcmp(w, "half") == 0) {
        *v = w[0] == 'd' ? 12 : w[0] == 'h' ? 0.5 : 1;
        return true;
    }
    if (dash && (size_t)(dash - w) < sizeof head) { /* "twenty-five" */
        memcpy(head, w, (size_t)(dash - w));
        head[dash - w] = '\0';
        if ((a = index_of(head, tens)) >= 0 && (b = index_of(dash + 1, small)) > 0 && b < 10) {
            *v = 20 + 10 * a + b;
            return true;
        }
    }
    return false;
}

/* A number at word i, words as "twenty five" or "half an" taken together; advances i. */
bool sf__in_number(parse *p, double *v)
{
    double x, y;

    if (!sf__in_number_word(sf__in_word(p, p->i), &x))
        return false;
    p->i++;
    if (x >= 20 && x < 100 && (int)x % 10 == 0 && sf__in_number_word(sf__in_word(p, p->i), &y) && y >= 1 && y <= 9 &&
        index_of(sf__in_word(p, p->i), small) > 0)
        p->i++, x += y; /* "twenty five" */
    else if (x == 0.5 && (sf__in_is(p, p->i, "a") || sf__in_is(p, p->i, "an")))
        p->i++; /* "half an hour" */
    if (sf__in_is(p, p->i, "dozen") && x >= 1)
        p->i++, x *= 12; /* "a dozen", "two dozen" */
    *v = x;
    return true;
}

static const struct unit {
    const char *names[6];
    sf_time size;
} units[] = {
    {{"s", "sec", "secs", "second", "seconds", NULL}, SF_SECOND},
    {{"m", "min", "mins", "minute", "minutes", NULL}, SF_MINUTE},
    {{"h", "hr", "hrs", "hour", "hours", NULL}, SF_HOUR},
    {{"d", "day", "days", NULL}, SF_DAY},
};

bool sf__in_unit_word(const char *w, sf_time *size)
{
    for (size_t u = 0; u < sizeof units / sizeof *units; u++)
        if (sf__in_one_of(w, units[u].names)) {
            *size = units[u].size;
            return true;
        }
    return false;
}

/* "HH:MM" or "HH:MM:SS" as seconds; false otherwise. */
static bool clock_word(const char *w, sf_time *t)
{
    int h, m, s = 0, used = 0;

    if (!isdigit((unsigned char)w[0]) || (sscanf(w, "%d:%d%n:%d%n", &h, &m, &used, &s, &used) < 2) || w[used] != '\0')
        return false;
    if (h < 0 || m < 0 || m > 59 || s < 0 || s > 59)
        return false;
    *t = h * SF_HOUR + m * SF_MINUTE + s * SF_SECOND;
    return true;
}

/*
 * A duration at word i: "HH:MM[:SS]", or amounts with units ("1 h 30 min",
 * "half an hour", "twenty minutes"), "and" between them. SF_OK, or a
 * refusal when there is a number without a unit or nothing at all.
 */
static int duration(parse *p, sf_time *out)
{
    double v;
    sf_time size, t = 0;
    bool any = false;

    if (clock_word(sf__in_word(p, p->i), out)) {
        p->i++;
        return SF_OK;
    }
    while (sf__in_number(p, &v)) {
        if (!sf__in_unit_word(sf__in_word(p, p->i), &size))
            return sf__in_refuse(p, "'%s' needs a unit of time (s, min, h, d), as in 'for 20 minutes'", sf__in_word(p, p->i - 1));
        p->i++;
        t += (sf_time)(v * (double)size + 0.5);
        any = true;
        if (sf__in_is(p, p->i, "and"))
            p->i++;
    }
    if (!any)
        return sf__in_refuse(p, "expected a duration (as in 'for 20 minutes'), found '%s'", p->i < p->t.n ? sf__in_word(p, p->i) : "nothing");
    if (t <= 0)
        return sf__in_refuse(p, "a duration must be longer than zero");
    *out = t;
    return SF_OK;
}

/* A time of day "HH:MM[:SS]" (hours up to 23), as seconds since midnight; false otherwise. */
static bool time_of_day(const char *w, sf_time *t)
{
    return clock_word(w, t) && *t < SF_DAY;
}

/* Simulated time of the first moment at or after `from` when the clock shows `clock` (seconds of the day). */
static sf_time clock_at(const sf_scenario_config *cfg, sf_time from, sf_time clock)
{
    sf_time day_now = (cfg->scenario.start_time_of_day + from) % SF_DAY;
    sf_time ahead = ((clock - day_now) % SF_DAY + SF_DAY) % SF_DAY;
    return from + ahead;
}

/* ---- names ----------------------------------------------------------------------- */


/* "unknown X 'w'; did you mean 'v'?" among the names of the kinds in `which`. */
int sf__in_unknown(parse *p, const char *what, const char *w, unsigned which)
{
    const char *known[256];
    size_t n = 0;
    const sf_scenario_config *c = p->cfg;

    for (size_t i = 0; (which & ALL_STATIONS) && i < c->layout.n_stations && n < 256; i++)
        known[n++] = c->layout.stations[i].name;
    for (size_t i = 0; (which & ALL_CAMERAS) && i < c->safety.n_cameras && n < 256; i++)
        known[n++] = c->safety.cameras[i].name;
    for (size_t i = 0; (which & ALL_FLEET) && i < c->fleet.n_types && n < 256; i++)
        known[n++] = c->fleet.types[i].name;
    for (size_t i = 0; (which & ALL_PRODUCTS) && i < c->n_products && n < 256; i++)
        known[n++] = c->products[i].name;
    const char *near = sf_v_nearest(w, known, n);
    if (near)
        return sf__in_refuse(p, "there is no %s '%s'; did you mean '%s'?", what, w, near);
    return sf__in_refuse(p, "there is no %s '%s' in this plant", what, w);
}

int sf__in_find_name(const char *w, const void *base, size_t n, size_t stride)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(*(const char *const *)((const char *)base + i * stride), w) == 0)
            return (int)i;
    return -1;
}

/* The product at word i, singular or plural ("gearboxes"); advances i. */
int sf__in_product(parse *p, int *out)
{
    const char *w = sf__in_word(p, p->i);
    char one[WORD_LEN];
    size_t len = strlen(w);
    int i = sf__in_find_name(w, p->cfg->products, p->cfg->n_products, sizeof *p->cfg->products);

    for (int cut_off = 1; i < 0 && cut_off <= 2 && len > (size_t)cut_off; cut_off++) {
        memcpy(one, w, len - (size_t)cut_off);
        one[len - (size_t)cut_off] = '\0';
        if (w[len - 1] == 's')
            i = sf__in_find_name(one, p->cfg->products, p->cfg->n_products, sizeof *p->cfg->products);
    }
    if (!*w)
        return sf__in_refuse(p, "which product? name one after the quantity, as in 'rush order: 5 gearbox'");
    if (i < 0)
        return sf__in_unknown(p, "product", w, ALL_PRODUCTS);
    p->i++;
    *out = i;
    return SF_OK;
}

/* An agent of fleet entry `type`: the number at word i, or the only one; advances i. */
static int agent_of(parse *p, int type, const char *nth_text, sf_intervention *iv)
{
    const sf_cfg_agent_type *T = &p->cfg->fleet.types[type];
    double v;
    int nth;

    if (!nth_text && (sf__in_is(p, p->i, "number") || sf__in_is(p, p->i, "no")))
        p->i++;
    if (nth_text) {
        if (!sf__in_number_word(nth_text, &v) || v != (int)v)
            return sf__in_refuse(p, "'%s' is not a number of a %s", nth_text, T->name);
        nth = (int)v;
    } else if (sf__in_number_word(sf__in_word(p, p->i), &v) && v == (int)v && !sf__in_unit_word(sf__in_word(p, p->i + 1), &(sf_time){0})) {
        nth = (int)v;
        p->i++;
    } else if (T->count == 1) {
        nth = 1;
    } else {
        return sf__in_refuse(p, "which %s? there are %d: say '%s 1' to '%s %d'", T->name, T->count, T->name, T->name, T->count);
    }
    if (nth < 1 || nth > T->count)
        return sf__in_refuse(p, "there is no %s %d: the fleet has %d of them", T->name, nth, T->count);
    iv->kind = SF_IV_STOP_AGENT;
    iv->target = sf_interventions_agent(p->cfg, (size_t)type, nth);
    p->type = type;
    return SF_OK;
}

/* A station, a camera ("camera NAME" or its name) or an agent ("forklift 2", "forklift.2") at word i. */
int sf__in_target(parse *p, sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    static const char *const skip[] = {"the", "station", "machine", "robot", "agent", "arm", "run", NULL};
    bool camera = false;
    char head[WORD_LEN];
    int i;

    for (; sf__in_one_of(sf__in_word(p, p->i), skip) || sf__in_is(p, p->i, "camera") || sf__in_is(p, p->i, "cam"); p->i++)
        camera |= sf__in_is(p, p->i, "camera") || sf__in_is(p, p->i, "cam");
    const char *w = sf__in_word(p, p->i);
    if (!*w || sf__in_one_of(w, (const char *const[]){"for", "until", "till", NULL}))
        return sf__in_refuse(p, "stop what? name a station, an agent or a camera");
    if ((i = sf__in_find_name(w, c->safety.cameras, c->safety.n_cameras, sizeof *c->safety.cameras)) >= 0) {
        p->i++;
        iv->kind = SF_IV_CAMERA_DOWN;
        iv->target = (uint32_t)i;
        return SF_OK;
    }
    if (camera)
        return sf__in_unknown(p, "camera", w, ALL_CAMERAS);
    if ((i = sf__in_find_name(w, c->layout.stations, c->layout.n_stations, sizeof *c->layout.stations)) >= 0) {
        p->i++;
        iv->kind = SF_IV_STOP_STATION;
        iv->target = (uint32_t)i;
        return SF_OK;
    }
    const char *dot = strrchr(w, '.');
    snprintf(head, sizeof head, "%.*s", dot ? (int)(dot - w) : (int)strlen(w), w);
    if ((i = sf__in_find_name(head, c->fleet.types, c->fleet.n_types, sizeof *c->fleet.types)) >= 0) {
        p->i++;
        return agent_of(p, i, dot ? dot + 1 : NULL, iv);
    }
    if (head[0] && head[strlen(head) - 1] == 's' &&
        sf__in_find_name((head[strlen(head) - 1] = '\0', head), c->fleet.types, c->fleet.n_types, sizeof *c->fleet.types) >= 0)
        return sf__in_refuse(p, "one agent at a time: say '%s 1'", head);
    return sf__in_unknown(p, "station, agent or camera", w, ALL_STATIONS | ALL_CAMERAS | ALL_FLEET);
}

/* ---- sentences -------------------------------------------------------------------- */

typedef enum verb { V_NONE, V_STOP, V_FENCE, V_RUSH, V_BRING, V_TEND, V_ADD, V_REMOVE, V_SET, V_SPEED, V_RESERVE } verb;

static const struct verbs {
    verb v;
    const char *words[12];
} verbs[] = {
    {V_STOP, {"stop", "halt", "break", "fail", "pause", "disable", "shut", "switch", "turn", "freeze", "down", NULL}},
    {V_FENCE, {"fence", "fenced", NULL}},
    {V_RUSH, {"rush", "expedite", "urgent", "order", NULL}},
    {V_BRING, {"bring", "fetch", "carry", "move", "deliver", "transport", "take", NULL}},
    {V_TEND, {"tend", "operate", "staff", "serve", "help", "work", NULL}},
    {V_ADD, {"add", "hire", "recruit", NULL}},
    {V_REMOVE, {"remove", "withdraw", "dismiss", "retire", NULL}},
    {V_SET, {"set", "change", NULL}},
    {V_SPEED, {"speed", "slow", "accelerate", "faster", "slower", NULL}},
    {V_RESERVE, {"reserve", NULL}},
};

/* The first verb of the sentence and where it is (words before it address someone). */
static verb find_verb(parse *p, int *at)
{
    for (int i = 0; i < p->t.n; i++)
        for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++)
            if (sf__in_one_of(p->t.w[i], verbs[v].words)) {
                *at = i;
                /* "take ... down/out/off" stops; "take X from A to B" carries */
                if (verbs[v].v == V_BRING && strcmp(p->t.w[i], "take") == 0)
                    for (int j = i + 1; j < p->t.n; j++)
                        if (sf__in_one_of(p->t.w[j], (const char *const[]){"down", "out", "off", NULL}))
                            return V_STOP;
                return verbs[v].v;
            }
    return V_NONE;
}

/* "for DURATION", "until CLOCK" or nothing (to the end of the run) after a stop's target. */
int sf__in_how_long(parse *p, sf_intervention *iv)
{
    static const char *const particles[] = {"down", "off", "out", "now", "immediately", "please", NULL};
    sf_time t;

    while (sf__in_one_of(sf__in_word(p, p->i), particles))
        p->i++;
    if (p->i >= p->t.n) {
        iv->length = SF_TIME_MAX;
        return SF_OK;
    }
    if (sf__in_is(p, p->i, "for")) {
        p->i++;
        return duration(p, &iv->length);
    }
    if (sf__in_is(p, p->i, "until") || sf__in_is(p, p->i, "till") || sf__in_is(p, p->i, "to")) {
        p->i++;
        if (sf__in_is(p, p->i, "the") && sf__in_is(p, p->i + 1, "end")) { /* "until the end [of the run]" */
            p->i += 2;
            for (int k = 0; k < 3 && sf__in_one_of(sf__in_word(p, p->i), (const char *const[]){"of", "the", "run", NULL}); k++)
                p->i++;
            iv->length = SF_TIME_MAX;
            return SF_OK;
        }
        if (!time_of_day(sf__in_word(p, p->i), &t))
            return sf__in_refuse(p, "'until' needs a clock time, as in 'until 14:00', or 'the end'");
        p->i++;
        iv->length = clock_at(p->cfg, iv->at, t) - iv->at;
        return iv->length > 0 ? SF_OK : sf__in_refuse(p, "it would end when it starts");
    }
    return sf__in_refuse(p, "expected 'for' a duration or 'until' a clock time after the target, found '%s'", sf__in_word(p, p->i));
}

/* Stop or take down: the addressee (words before the verb) or the target after it, then how long. */
static int stop(parse *p, int verb_at, sf_intervention *iv)
{
    static const char *const particles[] = {"down", "off", "out", "please", NULL};
    int rc, after = p->i;

    if (verb_at > 0) { /* "forklift 2, stop for 10 min": the addressee is the target */
        p->i = 0;
        if ((rc = sf__in_target(p, iv)) != SF_OK)
            return rc;
        p->i = after;
    } else {
        while (sf__in_one_of(sf__in_word(p, p->i), particles))
            p->i++;
        if ((rc = sf__in_target(p, iv)) != SF_OK)
            return rc;
    }
    return sf__in_how_long(p, iv);
}

/*
 * "fence cobot_1 for 1 h", "cobot_1 fenced for 30 min": a stop's words,
 * for an arm whose rule lets it work beside people (ssm or pfl).
 */
static int fence(parse *p, int verb_at, sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    const sf_cfg_safety_rule *rule = NULL;
    int rc = stop(p, verb_at, iv);

    if (rc != SF_OK)
        return rc;
    if (iv->kind != SF_IV_STOP_AGENT || c->fleet.types[p->type].kind != SF_AGENT_ARM)
        return sf__in_refuse(p, "only an arm can be fenced: name one, as in 'fence cobot_1 for 1 h'");
    for (size_t r = 0; r < c->safety.n_rules; r++)
        if (c->safety.rules[r].agent_type == p->type)
            rule = &c->safety.rules[r];
    if (!rule || rule->mode == SF_SAFETY_FENCED)
        return sf__in_refuse(p, "%s runs fenced already (its safety rule)", c->fleet.types[p->type].name);
    iv->kind = SF_IV_FENCE;
    return SF_OK;
}

int sf__in_quantity_of(parse *p, const char *const *fillers, double max, const char *what, int *n, int *prod)
{
    double v = 1;

    if (sf__in_number(p, &v) && (v != (int)v || v < 1 || v > max))
        return sf__in_refuse(p, "%s is a whole number from 1 to %.0f, not %g", what, max, v);
    while (sf__in_one_of(sf__in_word(p, p->i), fillers))
        p->i++;
    *n = (int)v;
    return sf__in_product(p, prod);
}

/* "rush order: 5 gearbox", "rush five gearboxes", "order 5 gearbox now". */
static int rush(parse *p, sf_intervention *iv)
{
    static const char *const fillers[] = {"order", "orders", "for", "of", "units", "unit", "pieces", "piece", "x", NULL};
    int prod = 0, n = 1, rc;

    while (sf__in_one_of(sf__in_word(p, p->i), fillers))
        p->i++;
    if ((rc = sf__in_quantity_of(p, fillers, 1e7, "a quantity", &n, &prod)) != SF_OK)
        return rc;
    if (sf__in_is(p, p->i, "now") || sf__in_is(p, p->i, "immediately"))
        p->i++;
    iv->kind = SF_IV_RUSH_ORDER;
    iv->target = (uint32_t)prod;
    iv->quantity = n;
    iv->length = 0;
    return SF_OK;
}

/* What cannot be done yet, in words. */
static int not_yet(parse *p, verb v)
{
    switch (v) {
    case V_SPEED:
        return sf__in_refuse(p, "to change a speed, say 'set forklift speed to 1.5 m/s' (a fleet entry's agents together)");
    default:
        return sf__in_refuse(p, "no instruction here: start with a verb such as 'stop', 'fence' or 'rush order', or name a camera "
                         "and 'down'");
    }
}

/* The time in front: "10:30", "+2h", "+01:30:00", "at 10:30"; none is the start. */
static int when(parse *p, sf_time *at)
{
    sf_time t;

    *at = 0;
    if (sf__in_is(p, 0, "+")) {
        p->i = 1;
        return duration(p, at) == SF_OK ? SF_OK : sf__in_refuse(p, "after '+' comes how long after the start, as in '+2h'");
    }
    p->i = sf__in_is(p, 0, "at");
    if (clock_word(sf__in_word(p, p->i), &t)) {
        if (t >= SF_DAY)
            return sf__in_refuse(p, "'%s' is no time of day: hours go from 00 to 23", sf__in_word(p, p->i));
        p->i++;
        *at = clock_at(p->cfg, 0, t);
    } else {
        p->i = 0;
    }
    return SF_OK;
}

int sf_instruct_parse(const sf_scenario_config *cfg, const char *text, int line, sf_intervention *iv, char *why, size_t n)
{
    parse p = {.cfg = cfg, .why = why, .nwhy = n};
    sf_time at;
    int rc, verb_at = 0, start;
    verb v;

    while (isspace((unsigned char)*text))
        text++;
    if (!*text || *text == '#')
        return SF_ENOTFOUND;
    if (!cut(text, &p.t))
        return sf__in_refuse(&p, "too long: one short sentence a line");
    drop_politeness(&p.t);
    if ((rc = when(&p, &at)) != SF_OK)
        return rc;
    start = p.i;
    *iv = (sf_intervention){.at = at, .line = line, .timed = start > 0};
    p.t.n -= start; /* the words after the time */
    memmove(p.t.w, p.t.w + start, (size_t)p.t.n * sizeof *p.t.w);
    p.i = 0;
    if ((v = find_verb(&p, &verb_at)) != V_STOP && v != V_FENCE && v != V_RUSH && v != V_ADD && v != V_REMOVE &&
        v != V_SET && v != V_TEND && v != V_BRING && v != V_RESERVE)
        return p.t.n == 0 ? sf__in_refuse(&p, "a time but no instruction") : not_yet(&p, v);
    if (v == V_STOP && strcmp(p.t.w[verb_at], "down") == 0) { /* "camera cell_cam down for 45 min" */
        memmove(p.t.w[verb_at], p.t.w[verb_at + 1], (size_t)(p.t.n - verb_at - 1) * sizeof *p.t.w);
        p.t.n--;
        rc = stop(&p, 0, iv);
    } else {
        p.i = verb_at + 1;
        rc = v == V_STOP     ? stop(&p, verb_at, iv)
             : v == V_FENCE  ? fence(&p, verb_at, iv)
             : v == V_ADD    ? sf__in_add_agents(&p, iv)
             : v == V_REMOVE ? sf__in_remove_agent(&p, iv)
             : v == V_SET    ? sf__in_set(&p, iv)
             : v == V_TEND   ? sf__in_tend(&p, verb_at, iv)
             : v == V_BRING  ? sf__in_bring(&p, verb_at, iv)
             : v == V_RESERVE ? sf__in_reserve(&p, verb_at, iv)
                             : rush(&p, iv);
    }
    if (rc == SF_OK && p.i < p.t.n)
        return sf__in_refuse(&p, "did not understand '%s' at the end", sf__in_word(&p, p.i));
    return rc;
}

/* ---- files ----------------------------------------------------------------------- */

/*
 * With a reserve of r agents per fleet entry, the sentences after it name agents as the reserve
 * builds them ("stop forklift 4" with 3 forklifts and a reserve): *out is cfg with every entry but
 * arms grown by r, its entries in *types (freed and made again).
 */
static int reserved_config(const sf_scenario_config *cfg, int r, sf_scenario_config *out, sf_cfg_agent_type **types)
{
    size_t nt = cfg->fleet.n_types;

    free(*types);
    if (!(*types = sf_malloc((nt ? nt : 1) * sizeof **types)))
        return SF_ENOMEM;
    if (nt > 0)
        memcpy(*types, cfg->fleet.types, nt * sizeof **types);
    for (size_t t = 0; t < nt; t++)
        (*types)[t].count += (*types)[t].kind == SF_AGENT_ARM ? 0 : r;
    *out = *cfg;
    out->fleet.types = *types;
    return SF_OK;
}

/* Why iv cannot join list l with a reserve (one comes first; adds take from it), into why; NULL when it can. */
static const char *reserve_refusal(const sf_interventions *l, const sf_intervention *iv, const sf_scenario_config *cfg,
                                   char *why, size_t n)
{
    if (iv->kind == SF_IV_RESERVE && sf_interventions_count(l) > (size_t)(sf_interventions_reserve(l) > 0))
        return "a reserve comes first, before the other instructions (agents are numbered with it)";
    if (iv->kind != SF_IV_ADD_AGENTS || sf_interventions_reserve(l) == 0 ||
        iv->quantity <= sf_interventions_reserve_left(l, iv->target))
        return NULL;
    snprintf(why, n, "the reserve of %s has %d agents left", cfg->fleet.types[iv->target].name,
             sf_interventions_reserve_left(l, iv->target));
    return why;
}

int sf_instruct_file(const char *path, const sf_scenario_config *cfg, sf_interventions *l, FILE *said, FILE *err)
{
    FILE *f = fopen(path, "r");
    char text[1024], why[256], understood[256];
    const char *refused;
    int line = 0, rc = SF_OK;
    const sf_scenario_config *base = cfg;
    sf_scenario_config grown;
    sf_cfg_agent_type *types = NULL;

    if (!f) {
        fprintf(err, "%s: cannot read the instructions\n", path);
        return SF_EIO;
    }
    if (sf_interventions_reserve(l) > 0 && (rc = reserved_config(base, sf_interventions_reserve(l), &grown, &types)) == SF_OK)
        cfg = &grown;
    while (rc == SF_OK && fgets(text, sizeof text, f)) {
        sf_intervention iv;
        line++;
        text[strcspn(text, "\r\n")] = '\0';
        rc = sf_instruct_parse(cfg, text, line, &iv, why, sizeof why);
        if (rc == SF_ENOTFOUND) {
            rc = SF_OK;
        } else if (rc != SF_OK) {
            fprintf(err, "%s:%d: cannot follow \"%s\": %s\n", path, line, text, why);
        } else if ((refused = reserve_refusal(l, &iv, cfg, why, sizeof why))) {
            fprintf(err, "%s:%d: cannot follow \"%s\": %s\n", path, line, text, refused);
            rc = SF_EPARSE;
        } else if ((rc = sf_interventions_add(l, &iv)) == SF_OK) {
            if (iv.kind == SF_IV_RESERVE && (rc = reserved_config(base, sf_interventions_reserve(l), &grown, &types)) == SF_OK)
                cfg = &grown;
            sf_intervention_describe(&iv, cfg, understood, sizeof understood);
            fprintf(said, "%s:%d: \"%s\" understood as: %s\n", path, line, text, understood);
        }
    }
    if (ferror(f) && rc == SF_OK) {
        fprintf(err, "%s: cannot read the instructions\n", path);
        rc = SF_EIO;
    }
    fclose(f);
    free(types);
    return rc;
}
