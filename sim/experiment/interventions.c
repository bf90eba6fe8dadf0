/*
 * interventions.c: a list of interventions, printed as instructions,
 * turned into orders of the scenario and events of the run.
 */
#include "experiment/interventions.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/failures.h"
#include "model/world.h"
#include "model/safety.h"

struct sf_interventions {
    sf_intervention *iv;
    size_t n, cap;
    void *block;          /* orders and names */
    sf_cfg_order *orders; /* the config's orders with the rush orders after them */
    char (*names)[24];    /* the rush orders' names */
    sf_cfg_agent_type *fleet; /* the config's fleet entries, grown by the agents added */
    sf_kernel *k;         /* set by sf_interventions_start */
    sf_world *w;
    sf_script *S;         /* set by sf_interventions_script: rush orders after the start */
    size_t prepared;      /* the interventions there were at sf_interventions_prepare */
    int reserve;          /* agents per fleet entry (but arms) built out of the plant, for adds; 0: none */
    uint32_t kind;
};

sf_interventions *sf_interventions_new(void) { return sf_calloc(1, sizeof(sf_interventions)); }

void sf_interventions_free(sf_interventions *l)
{
    if (l) {
        free(l->iv);
        free(l->block);
        free(l->fleet);
    }
    free(l);
}

int sf_interventions_add(sf_interventions *l, const sf_intervention *iv)
{
    if (sf_grow(l->iv, l->cap, l->n + 1) != SF_OK)
        return SF_ENOMEM;
    l->iv[l->n++] = *iv;
    return SF_OK;
}

size_t sf_interventions_count(const sf_interventions *l) { return l->n; }
const sf_intervention *sf_interventions_get(const sf_interventions *l, size_t i) { return i < l->n ? &l->iv[i] : NULL; }

/* ---- words ------------------------------------------------------------------ */

/* A duration as the grammar reads it: whole hours, whole minutes, else seconds. */
static void duration_words(sf_time t, char *buf, size_t n)
{
    int64_t s = t / SF_SECOND;

    if (t % SF_SECOND != 0)
        snprintf(buf, n, "%.3f s", (double)t / SF_SECOND);
    else if (s % 3600 == 0)
        snprintf(buf, n, "%" PRId64 " h", s / 3600);
    else if (s % 60 == 0)
        snprintf(buf, n, "%" PRId64 " min", s / 60);
    else
        snprintf(buf, n, "%" PRId64 " s", s);
}

/* Fleet entry index and number (from 1) of agent `agent`; false when out of range. */
static bool agent_entry(const sf_scenario_config *cfg, uint32_t agent, size_t *type, int *nth)
{
    uint32_t first = 0;

    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        uint32_t count = (uint32_t)cfg->fleet.types[t].count;
        if (agent < first + count) {
            *type = t;
            *nth = (int)(agent - first) + 1;
            return true;
        }
        first += count;
    }
    return false;
}

/* Fleet entry name and number (from 1) of agent `agent`; false when out of range. */
static bool agent_name(const sf_scenario_config *cfg, uint32_t agent, const char **type, int *nth)
{
    size_t t;

    if (!agent_entry(cfg, agent, &t, nth))
        return false;
    *type = cfg->fleet.types[t].name;
    return true;
}

/* A transport's rack, dock or station by name. */
static const char *place_name(const sf_scenario_config *cfg, uint32_t place)
{
    return place & SF_IV_DOCK      ? cfg->layout.docks[place & ~SF_IV_DOCK].name
           : place & SF_IV_STATION ? cfg->layout.stations[place & ~SF_IV_STATION].name
                                   : cfg->layout.racks[place].name;
}

uint32_t sf_interventions_agent(const sf_scenario_config *cfg, size_t type, int n)
{
    uint32_t first = 0;

    if (type >= cfg->fleet.n_types || n < 1 || n > cfg->fleet.types[type].count)
        return UINT32_MAX;
    for (size_t t = 0; t < type; t++)
        first += (uint32_t)cfg->fleet.types[t].count;
    return first + (uint32_t)n - 1;
}

int sf_intervention_describe(const sf_intervention *iv, const sf_scenario_config *cfg, char *buf, size_t n)
{
    char at[48], len[48];
    const char *type = "?";
    int nth = 0;

    snprintf(at, sizeof at, "+%02" PRId64 ":%02" PRId64 ":%02" PRId64, iv->at / SF_HOUR, iv->at / SF_MINUTE % 60,
             iv->at / SF_SECOND % 60);
    if (iv->length == SF_TIME_MAX)
        snprintf(len, sizeof len, "until the end");
    else {
        memcpy(len, "for ", 4);
        duration_words(iv->length, len + 4, sizeof len - 4);
    }
    switch (iv->kind) {
    case SF_IV_STOP_STATION:
        return snprintf(buf, n, "%s stop %s %s", at, cfg->layout.stations[iv->target].name, len);
    case SF_IV_STOP_AGENT:
        agent_name(cfg, iv->target, &type, &nth);
        return snprintf(buf, n, "%s stop %s %d %s", at, type, nth, len);
    case SF_IV_CAMERA_DOWN:
        return snprintf(buf, n, "%s camera %s down %s", at, cfg->safety.cameras[iv->target].name, len);
    case SF_IV_RUSH_ORDER:
        return snprintf(buf, n, "%s rush order: %d %s", at, iv->quantity, cfg->products[iv->target].name);
    case SF_IV_FENCE:
        agent_name(cfg, iv->target, &type, &nth);
        return snprintf(buf, n, "%s fence %s %d %s", at, type, nth, len);
    case SF_IV_SAFETY_MODE: {
        static const char *const modes[] = {"fenced", "ssm", "pfl"};
        size_t t = 0;
        bool by_ssm = false; /* pfl at an ssm rule's collaborative speed: said, never silent */
        agent_name(cfg, iv->target, &type, &nth);
        if (iv->quantity == SF_SAFETY_PFL && agent_entry(cfg, iv->target, &t, &nth))
            for (size_t r = 0; r < cfg->safety.n_rules; r++)
                if (cfg->safety.rules[r].agent_type == (int)t)
                    by_ssm = cfg->safety.rules[r].mode == SF_SAFETY_SSM;
        return snprintf(buf, n, "%s set %s %d to %s%s %s", at, type, nth,
                        iv->quantity >= 0 && iv->quantity < 3 ? modes[iv->quantity] : "?",
                        by_ssm ? " at its ssm rule's reduced_speed" : "", len);
    }
    case SF_IV_ADD_AGENTS:
        return snprintf(buf, n, "%s add %d %s", at, iv->quantity, cfg->fleet.types[iv->target].name);
    case SF_IV_RESERVE:
        return snprintf(buf, n, "%s reserve %d agents per fleet entry", at, iv->quantity);
    case SF_IV_REMOVE_AGENT:
        agent_name(cfg, iv->target, &type, &nth);
        return snprintf(buf, n, "%s remove %s %d", at, type, nth);
    case SF_IV_TEND:
        agent_name(cfg, iv->target, &type, &nth);
        return snprintf(buf, n, "%s %s %d: tend %s %s", at, type, nth, cfg->layout.stations[iv->station].name, len);
    case SF_IV_BRING:
        agent_name(cfg, iv->target, &type, &nth);
        return snprintf(buf, n, "%s %s %d, bring %d %s of %s from %s to %s", at, type, nth, iv->quantity,
                        cfg->products[iv->product].n_ops > 0 ? "units" : "pallets", cfg->products[iv->product].name,
                        place_name(cfg, iv->from), place_name(cfg, iv->to));
    case SF_IV_SPEED: {
        char v[32];
        snprintf(v, sizeof v, "%.15g", iv->speed); /* the shortest that reads back the same */
        if (strtod(v, NULL) != iv->speed)
            snprintf(v, sizeof v, "%.17g", iv->speed);
        return snprintf(buf, n, "%s set %s speed to %s m/s", at, cfg->fleet.types[iv->target].name, v);
    }
    }
    return snprintf(buf, n, "%s ?", at);
}

int sf_interventions_print(const sf_interventions *l, const sf_scenario_config *cfg, FILE *out)
{
    char line[256];

    for (size_t i = 0; i < l->n; i++) {
        sf_intervention_describe(&l->iv[i], cfg, line, sizeof line);
        if (fprintf(out, "%s\n", line) < 0)
            return SF_EIO;
    }
    return SF_OK;
}

/* ---- agents added ---------------------------------------------------------------- */

static bool names_agent(sf_iv_kind k)
{
    return k == SF_IV_STOP_AGENT || k == SF_IV_FENCE || k == SF_IV_REMOVE_AGENT || k == SF_IV_TEND || k == SF_IV_BRING ||
           k == SF_IV_SAFETY_MODE;
}

/* Does fleet entry t get a reserve (every entry but arms, which are part of their stations)? */
static bool reserved(const sf_scenario_config *cfg, size_t t) { return cfg->fleet.types[t].kind != SF_AGENT_ARM; }

int sf_interventions_reserve(const sf_interventions *l)
{
    int r = l->reserve;

    for (size_t i = 0; i < l->n; i++)
        if (l->iv[i].kind == SF_IV_RESERVE && l->iv[i].quantity > r)
            r = l->iv[i].quantity;
    return r;
}

int sf_interventions_reserve_left(const sf_interventions *l, size_t type)
{
    int used = 0, r = sf_interventions_reserve(l);

    for (size_t i = 0; i < l->n; i++)
        if (l->iv[i].kind == SF_IV_ADD_AGENTS && l->iv[i].target == type)
            used += l->iv[i].quantity;
    return r > used ? r - used : 0;
}

/*
 * Grow the fleet entries agents are added to (with a reserve: every entry
 * but arms, by the reserve, and adds take the entry's next reserve agents):
 * the list's copy of them replaces cfg's, each add learns its first agent,
 * and every agent target (numbered for the fleet as it was) is moved past
 * the agents added before it in fleet order. SF_OK, SF_ENOMEM, or
 * SF_ELIMIT for adds beyond an entry's reserve.
 */
static int grow_fleet(sf_interventions *l, sf_scenario_config *cfg)
{
    sf_scenario_config grown = *cfg;
    size_t nt = cfg->fleet.n_types, added = 0;

    l->reserve = sf_interventions_reserve(l);
    for (size_t i = 0; i < l->n; i++)
        added += l->iv[i].kind == SF_IV_ADD_AGENTS;
    if (added == 0 && l->reserve == 0)
        return SF_OK;
    if (!(l->fleet = sf_malloc(nt * sizeof *l->fleet)))
        return SF_ENOMEM;
    memcpy(l->fleet, cfg->fleet.types, nt * sizeof *l->fleet);
    for (size_t t = 0; t < nt; t++)
        if (l->reserve > 0 && reserved(cfg, t))
            l->fleet[t].count += l->reserve;
    for (size_t i = 0; i < l->n; i++)
        if (l->iv[i].kind == SF_IV_ADD_AGENTS) {
            size_t t = l->iv[i].target;
            int before = 0; /* the entry's reserve agents the adds before it took */
            for (size_t j = 0; j < i; j++)
                before += l->iv[j].kind == SF_IV_ADD_AGENTS && l->iv[j].target == t ? l->iv[j].quantity : 0;
            if (l->reserve > 0 && (!reserved(cfg, t) || before + l->iv[i].quantity > l->reserve))
                return SF_ELIMIT;
            /* its number - 1, for now: past the entry's own agents and the adds before it */
            l->iv[i].first = (uint32_t)(l->reserve > 0 ? cfg->fleet.types[t].count + before : l->fleet[t].count);
            if (l->reserve == 0)
                l->fleet[t].count += l->iv[i].quantity;
        }
    grown.fleet.types = l->fleet;
    for (size_t i = 0; i < l->n; i++) {
        sf_intervention *iv = &l->iv[i];
        size_t t;
        int nth;
        /* with a reserve, agents were named as it builds them already (experiment/instruct.h) */
        if (names_agent(iv->kind) && l->reserve == 0 && agent_entry(cfg, iv->target, &t, &nth))
            iv->target = sf_interventions_agent(&grown, t, nth);
        else if (iv->kind == SF_IV_ADD_AGENTS)
            iv->first = sf_interventions_agent(&grown, iv->target, (int)iv->first + 1);
    }
    cfg->fleet.types = l->fleet;
    return SF_OK;
}

/* With a reserve, once the plant is built: every reserve agent is out of the plant until an add brings it in. */
static int out_of_plant(sf_interventions *l)
{
    const sf_scenario_config *cfg = sf_world_config(l->w);

    for (size_t t = 0; l->reserve > 0 && t < cfg->fleet.n_types; t++)
        for (int k = 0; reserved(cfg, t) && k < l->reserve; k++) {
            uint32_t a = sf_interventions_agent(cfg, t, cfg->fleet.types[t].count - l->reserve + k + 1);
            int rc = sf_world_presence(l->w, a, 0, 0);
            if (rc != SF_OK)
                return rc;
        }
    return SF_OK;
}

/* ---- rush orders --------------------------------------------------------------- */

/* A rush order at the start: an order of the scenario (later ones: events, released by the script). */
static bool at_start(const sf_intervention *iv) { return iv->kind == SF_IV_RUSH_ORDER && iv->at == 0; }

void sf_interventions_script(sf_interventions *l, sf_script *S) { l->S = S; }

/* A transport's place for the script: {rack = i, name = "..."}, {dock = "..."} or {station = "..."}. */
static void script_place(const sf_scenario_config *cfg, uint32_t place, char *buf, size_t n)
{
    if (place & SF_IV_STATION)
        snprintf(buf, n, "{station = [[%s]]}", place_name(cfg, place));
    else if (place & SF_IV_DOCK)
        snprintf(buf, n, "{dock = [[%s]]}", cfg->layout.docks[place & ~SF_IV_DOCK].name);
    else
        snprintf(buf, n, "{rack = %" PRIu32 ", name = [[%s]]}", place + 1, cfg->layout.racks[place].name);
}

static bool by_script(sf_iv_kind k) { return k == SF_IV_RUSH_ORDER || k == SF_IV_TEND || k == SF_IV_BRING; }

/*
 * What the plant's script does now for intervention iv: release a rush
 * order's units, start (`start`) or end a tending, or hand a transport to its vehicle.
 */
static int through_script(sf_interventions *l, const sf_intervention *iv, bool start)
{
    char chunk[512], from[200], to[200];

    if (!l->S)
        return SF_EINVAL;
    if (iv->kind == SF_IV_BRING) {
        const sf_scenario_config *cfg = sf_world_config(l->w);
        script_place(cfg, iv->from, from, sizeof from);
        script_place(cfg, iv->to, to, sizeof to);
        snprintf(chunk, sizeof chunk, "require('plant').bring(%" PRIu32 ", %d, %" PRIu32 ", %s, %s)", iv->target + 1,
                 iv->quantity, iv->product + 1, from, to);
        return sf_script_load_string(l->S, chunk, "=bring");
    }
    if (iv->kind == SF_IV_RUSH_ORDER)
        snprintf(chunk, sizeof chunk, "require('plant').rush(%" PRIu32 ", %d)", iv->target + 1, iv->quantity);
    else if (start)
        snprintf(chunk, sizeof chunk, "require('plant').tend(%" PRIu32 ", %" PRIu32 ")", iv->target + 1, iv->station + 1);
    else
        snprintf(chunk, sizeof chunk, "require('plant').tend(%" PRIu32 ", nil)", iv->target + 1);
    return sf_script_load_string(l->S, chunk, iv->kind == SF_IV_RUSH_ORDER ? "=rush order" : "=tend");
}

int sf_interventions_prepare(sf_interventions *l, sf_scenario_config *cfg)
{
    size_t rush = 0, n = cfg->demand.n_orders;
    int rc;

    if ((rc = grow_fleet(l, cfg)) != SF_OK)
        return rc;
    l->prepared = l->n;

    for (size_t i = 0; i < l->n; i++)
        rush += at_start(&l->iv[i]);
    if (rush == 0)
        return SF_OK;
    free(l->block);
    if (!(l->block = SF_PARTS(SF_PART(l->orders, n + rush), SF_PART(l->names, rush))))
        return SF_ENOMEM;
    if (n > 0)
        memcpy(l->orders, cfg->demand.orders, n * sizeof *l->orders);
    for (size_t i = 0, r = 0; i < l->n; i++) {
        if (!at_start(&l->iv[i]))
            continue;
        snprintf(l->names[r], sizeof l->names[r], "rush_%zu", r + 1);
        l->orders[n + r] = (sf_cfg_order){.name = l->names[r], .at_time = l->iv[i].at, .product = (int)l->iv[i].target,
                                          .quantity = l->iv[i].quantity, .at = {.line = l->iv[i].line}};
        r++;
    }
    cfg->demand.orders = l->orders;
    cfg->demand.n_orders = n + rush;
    return SF_OK;
}

/* ---- events -------------------------------------------------------------------- */

/* Every agent of fleet entry iv->target travels at iv->speed from now (loaded: in the entry's ratio). */
static int set_speed(sf_world *w, const sf_intervention *iv)
{
    const sf_scenario_config *cfg = sf_world_config(w);
    const sf_cfg_agent_type *T;
    uint32_t first;

    if (iv->target >= cfg->fleet.n_types || (first = sf_interventions_agent(cfg, iv->target, 1)) == UINT32_MAX)
        return SF_EINVAL;
    T = &cfg->fleet.types[iv->target];
    double loaded = T->speed_loaded > 0 && T->speed > 0 ? iv->speed * T->speed_loaded / T->speed : iv->speed;
    for (int k = 0; k < T->count; k++) {
        const sf_agent *a = sf_world_agent(w, first + (uint32_t)k);
        int rc;
        if (a->mover == SF_NO_AGENT)
            return SF_EINVAL;
        if ((rc = sf_movers_set_speed(sf_world_movers(w), a->mover, iv->speed, loaded)) != SF_OK)
            return rc;
    }
    return SF_OK;
}

int sf_intervention_hold(sf_world *w, const sf_intervention *iv, bool down)
{
    switch (iv->kind) {
    case SF_IV_STOP_STATION:
        return sf_failures_hold(sf_world_failures(w), SF_ENTITY_STATION, iv->target, down);
    case SF_IV_STOP_AGENT:
        return sf_failures_hold(sf_world_failures(w), SF_ENTITY_AGENT, iv->target, down);
    case SF_IV_CAMERA_DOWN:
        if (iv->target >= sf_world_config(w)->safety.n_cameras)
            return SF_EINVAL;
        return sf_safety_camera_hold(sf_world_safety(w), iv->target, down);
    case SF_IV_FENCE:
        return sf_safety_fence(sf_world_safety(w), iv->target, down, iv->at);
    case SF_IV_SAFETY_MODE: /* switched now (held down), back to the mode before (released) */
        if (iv->quantity < SF_SAFETY_FENCED || iv->quantity > SF_SAFETY_PFL)
            return SF_EINVAL;
        return sf_safety_set_mode(sf_world_safety(w), iv->target, (sf_safety_mode)iv->quantity, down);
    case SF_IV_REMOVE_AGENT: /* leaves now (held down) or stays (released) */
        if (iv->target >= sf_world_agent_count(w))
            return SF_EINVAL;
        return sf_world_presence(w, iv->target, sf_world_agent(w, iv->target)->joins,
                                 down ? iv->at : SF_TIME_MAX);
    case SF_IV_ADD_AGENTS: /* join at its time (held down) or not at all (released) */
        for (int k = 0; k < iv->quantity; k++) {
            int rc = sf_world_presence(w, iv->first + (uint32_t)k, down ? iv->at : SF_TIME_MAX, SF_TIME_MAX);
            if (rc != SF_OK)
                return rc;
        }
        return SF_OK;
    case SF_IV_SPEED: /* from now on; there is no end to release */
        return down ? set_speed(w, iv) : SF_OK;
    case SF_IV_RUSH_ORDER: /* the script's: sf_interventions_schedule */
    case SF_IV_TEND:
    case SF_IV_BRING:
    case SF_IV_RESERVE: /* built with the plant (sf_interventions_prepare) */
        break;
    }
    return SF_EINVAL;
}

/* Intervention target / 2 starts (even target) or ends (odd). */
static void on_intervention(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_interventions *l = ctx;
    const sf_intervention *iv = &l->iv[ev->target / 2];
    bool start = ev->target % 2 == 0;
    int rc = by_script(iv->kind) ? through_script(l, iv, start) : sf_intervention_hold(l->w, iv, start);

    if (rc != SF_OK)
        sf_kernel_fail(k, rc);
}

/* Schedule intervention i: its start, and its end unless it lasts to the end of the run. */
static int schedule(sf_interventions *l, size_t i)
{
    const sf_intervention *iv = &l->iv[i];
    sf_time end;
    int rc;

    if (at_start(iv) && i < l->prepared)
        return SF_OK; /* an order of the scenario (sf_interventions_prepare) */
    if (iv->kind == SF_IV_RESERVE) /* built with the plant (prepared), out of it until added */
        return SF_OK;
    if (iv->kind == SF_IV_ADD_AGENTS && l->reserve == 0) /* built with the plant (prepared), off until they join */
        return l->fleet ? sf_intervention_hold(l->w, iv, true) : SF_EINVAL;
    if (i > UINT32_MAX / 2 - 1)
        return SF_ELIMIT;
    if ((rc = sf_kernel_at(l->k, iv->at, 1, l->kind, (uint32_t)(2 * i), NULL)) != SF_OK)
        return rc;
    if (iv->kind == SF_IV_RUSH_ORDER || iv->kind == SF_IV_ADD_AGENTS || iv->length == SF_TIME_MAX ||
        sf_time_add(iv->at, iv->length, &end) != SF_OK)
        return SF_OK;
    return sf_kernel_at(l->k, end, 1, l->kind, (uint32_t)(2 * i + 1), NULL);
}

int sf_interventions_start(sf_interventions *l, sf_kernel *k, sf_world *w)
{
    int rc;

    l->k = k;
    l->w = w;
    if ((rc = SF_KERNEL_ADD_KINDS(k, l, {"intervention", on_intervention, &l->kind})) != SF_OK ||
        (rc = out_of_plant(l)) != SF_OK)
        return rc;
    for (size_t i = 0; i < l->n; i++)
        if ((rc = schedule(l, i)) != SF_OK)
            return rc;
    return SF_OK;
}

int sf_interventions_schedule(sf_interventions *l, const sf_intervention *iv)
{
    sf_intervention add;
    int rc;

    if (!l->k || iv->kind == SF_IV_RESERVE || (iv->kind == SF_IV_ADD_AGENTS && (!l->reserve || iv->quantity < 1)) ||
        (iv->kind == SF_IV_RUSH_ORDER && (!l->S || iv->quantity < 1)) ||
        ((iv->kind == SF_IV_TEND || iv->kind == SF_IV_BRING) && !l->S))
        return SF_EINVAL;
    if (iv->kind == SF_IV_ADD_AGENTS) { /* the entry's next reserve agents */
        const sf_scenario_config *cfg = sf_world_config(l->w);
        int left = iv->target < cfg->fleet.n_types && reserved(cfg, iv->target)
                       ? sf_interventions_reserve_left(l, iv->target) : 0;
        if (iv->quantity > left)
            return SF_ELIMIT;
        add = *iv;
        add.first = sf_interventions_agent(cfg, iv->target, cfg->fleet.types[iv->target].count - left + 1);
        iv = &add;
    }
    if ((rc = sf_interventions_add(l, iv)) != SF_OK)
        return rc;
    if ((rc = schedule(l, l->n - 1)) != SF_OK)
        l->n--;
    return rc;
}
