/*
 * checks.c: checks across sections, on a config whose sections each read
 * cleanly: places vehicles cannot reach, operations nobody can do, rack
 * levels no forklift can lift to, batteries with nowhere to charge.
 * Problems point at the definition the planner would change.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "model/safety.h"
#include "scenario/schema.h"


/*
 * Nodes reachable from `home` over the path network, one-way segments
 * followed only forwards. Breadth-first over an adjacency list built
 * once per call: O(nodes + segments). For people (`seg_fenced` and
 * `node_fenced` not NULL, from sf_safety_fences): never over a fenced
 * segment, and on from a fenced node only at `home`, as people's routes
 * go (model/network.h).
 */
static bool *reachable_by(sf_vctx *v, int home, const bool *seg_fenced, const bool *node_fenced)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    size_t n = L->n_nodes, m = L->n_segments;
    size_t *start = sf_calloc(n + 1, sizeof *start), *adj = sf_malloc((2 * m + 1) * sizeof *adj);
    size_t *fill = sf_calloc(n + 1, sizeof *fill), *queue = sf_malloc((n + 1) * sizeof *queue), head = 0, tail = 0;
    bool *seen = sf_calloc(n + 1, sizeof *seen);

    if (!start || !adj || !fill || !queue || !seen) {
        free(seen);
        seen = NULL;
        v->oom = true;
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        start[L->segments[i].from + 1]++;
        if (L->segments[i].two_way)
            start[L->segments[i].to + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < m; i++) {
        const sf_cfg_segment *s = &L->segments[i];
        if (seg_fenced && seg_fenced[i]) { /* an entry that leads nowhere new: the node itself */
            adj[start[s->from] + fill[s->from]++] = (size_t)s->from;
            if (s->two_way)
                adj[start[s->to] + fill[s->to]++] = (size_t)s->to;
            continue;
        }
        adj[start[s->from] + fill[s->from]++] = (size_t)s->to;
        if (s->two_way)
            adj[start[s->to] + fill[s->to]++] = (size_t)s->from;
    }
    seen[home] = true;
    queue[tail++] = (size_t)home;
    while (head < tail) {
        size_t u = queue[head++];
        if (node_fenced && node_fenced[u] && u != (size_t)home)
            continue;
        for (size_t k = start[u]; k < start[u + 1]; k++)
            if (!seen[adj[k]]) {
                seen[adj[k]] = true;
                queue[tail++] = adj[k];
            }
    }
done:
    free(start);
    free(adj);
    free(fill);
    free(queue);
    return seen;
}

static bool *reachable(sf_vctx *v, int home) { return reachable_by(v, home, NULL, NULL); }

/* Whether agents of type t can be in crew need cn. */
static bool crew_lists(const sf_cfg_crew_need *cn, const sf_cfg_agent_type *a, size_t t)
{
    bool listed = (cn->kinds >> a->kind) & 1u;
    for (size_t j = 0; !listed && j < cn->n_types; j++)
        listed = cn->types[j] == (int)t;
    return listed;
}

static bool has_skill(const sf_cfg_agent_type *a, const char *skill);

/* The place a node stands for in messages: the first station or dock at it, else the node. */
static void place_name(const sf_cfg_layout *L, int node, char *buf, size_t n)
{
    for (size_t i = 0; i < L->n_stations; i++)
        if (L->stations[i].node == node) {
            snprintf(buf, n, "station '%s' (node '%s')", L->stations[i].name, L->nodes[node].name);
            return;
        }
    for (size_t i = 0; i < L->n_docks; i++)
        if (L->docks[i].node == node) {
            snprintf(buf, n, "dock '%s' (node '%s')", L->docks[i].name, L->nodes[node].name);
            return;
        }
    snprintf(buf, n, "node '%s'", L->nodes[node].name);
}

/* Mark the nodes of the stations of group g. */
static void mark_group(const sf_cfg_layout *L, int g, bool *served)
{
    for (size_t i = 0; i < L->n_stations; i++)
        if (L->stations[i].group_index == g && L->stations[i].node >= 0)
            served[L->stations[i].node] = true;
}

/* The stations of the operations agent type t (a) can be in the crew of; an arm's own station only. */
static void mark_operations(const sf_scenario_config *c, const sf_cfg_agent_type *a, size_t t, bool *served)
{
    const sf_cfg_layout *L = &c->layout;

    for (size_t p = 0; p < c->n_products; p++)
        for (size_t o = 0; o < c->products[p].n_ops; o++) {
            const sf_cfg_operation *op = &c->products[p].ops[o];
            bool in = false;
            for (size_t k = 0; !in && op->group >= 0 && has_skill(a, op->skill) && k < op->n_crew; k++)
                in = crew_lists(&op->crew[k], a, t);
            if (in && a->kind != SF_AGENT_ARM)
                mark_group(L, op->group, served);
            else if (in && a->home_station >= 0 && L->stations[a->home_station].group_index == op->group &&
                     L->stations[a->home_station].node >= 0)
                served[L->stations[a->home_station].node] = true;
        }
}

/*
 * A worker type (a) with a robot's `rescue_by` or `programming.by` skill
 * (check_helpers) walks to the stations where that robot works.
 */
static void mark_helped(const sf_scenario_config *c, const sf_cfg_agent_type *a, bool *served)
{
    for (size_t r = 0; r < c->fleet.n_types; r++) {
        const sf_cfg_agent_type *R = &c->fleet.types[r];
        if ((R->learning.on && R->learning.rescue_time > 0 && has_skill(a, R->learning.rescue_by)) ||
            (R->programming.on && R->programming.time > 0 && has_skill(a, R->programming.by)))
            mark_operations(c, R, r, served);
    }
}

/*
 * The nodes worker type t (a) walks to: the stations of the operations
 * and repairs it can be in the crew of, of the robots it rescues or
 * programs, and, when it carries a product, that product's docks and
 * stations.
 */
static void mark_served(const sf_scenario_config *c, const sf_cfg_agent_type *a, size_t t, bool *served)
{
    const sf_cfg_layout *L = &c->layout;

    mark_operations(c, a, t, served);
    mark_helped(c, a, served);
    for (size_t p = 0; p < c->n_products; p++) {
        const sf_cfg_product *pr = &c->products[p];
        bool carries = false;
        for (size_t k = 0; k < pr->transport.n_crew && has_skill(a, pr->transport.skill); k++)
            carries |= crew_lists(&pr->transport.crew[k], a, t);
        if (!carries)
            continue;
        if (pr->source >= 0 && L->docks[pr->source].node >= 0)
            served[L->docks[pr->source].node] = true;
        if (pr->sink >= 0 && L->docks[pr->sink].node >= 0)
            served[L->docks[pr->sink].node] = true;
        for (size_t o = 0; o < pr->n_ops; o++)
            if (pr->ops[o].group >= 0)
                mark_group(L, pr->ops[o].group, served);
    }
    for (size_t i = 0; i < c->n_failures; i++) {
        const sf_cfg_failure *f = &c->failures[i];
        bool in = false;
        for (size_t k = 0; !in && f->target >= 0 && has_skill(a, f->repair.skill) && k < f->repair.n_crew; k++)
            in = crew_lists(&f->repair.crew[k], a, t);
        if (in && f->target_kind == SF_FAIL_GROUP)
            mark_group(L, f->target, served);
        else if (in && f->target_kind == SF_FAIL_STATION && L->stations[f->target].node >= 0)
            served[L->stations[f->target].node] = true;
    }
}

/*
 * People go round the fences of guarded robots and robots_only zones
 * (model/safety.h, sf_safety_fences). A worker type walks from its home
 * to the places of mark_served (its operations' and repairs' stations,
 * what it carries to and from); it walks between them too, and a fenced station is reached but never passed through, so each
 * of those places must be reachable on foot from its home and from each
 * of the others. One search per place and worker type:
 * O(places x (nodes + segments)), only when the plant has fences.
 */
static void check_people_reach(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;
    const sf_cfg_layout *L = &c->layout;
    bool *seg = sf_calloc(L->n_segments + 1, sizeof *seg), *node = sf_calloc(L->n_nodes + 1, sizeof *node);
    bool *served = sf_calloc(L->n_nodes + 1, sizeof *served), *told = sf_calloc(L->n_nodes + 1, sizeof *told);

    if (!seg || !node || !served || !told) {
        v->oom = true;
        goto done;
    }
    if (sf_safety_fences(c, seg, node) == 0)
        goto done;
    for (size_t t = 0; t < c->fleet.n_types; t++) {
        const sf_cfg_agent_type *a = &c->fleet.types[t];
        if (a->kind != SF_AGENT_WORKER || a->home < 0 || a->count == 0)
            continue;
        memset(served, 0, (L->n_nodes + 1) * sizeof *served);
        memset(told, 0, (L->n_nodes + 1) * sizeof *told);
        mark_served(c, a, t, served);
        for (size_t from = 0; from < L->n_nodes; from++) {
            bool *seen;
            char a_place[300], b_place[300];
            if (!served[from] && from != (size_t)a->home)
                continue;
            if (!(seen = reachable_by(v, (int)from, seg, node)))
                goto done;
            for (size_t to = 0; to < L->n_nodes; to++) {
                if (!served[to] || seen[to] || told[to])
                    continue;
                told[to] = true; /* once per place it cannot reach */
                place_name(L, (int)to, a_place, sizeof a_place);
                if (from == (size_t)a->home)
                    sf_v_error_place(v, a->at,
                                     "%s cannot be reached on foot from '%s', the home of %s: every way crosses a "
                                     "fenced robot's reach or a robots_only zone; hint: route an aisle round the "
                                     "fence, at least the robot's reach from its station (docs/safety.md)",
                                     a_place, L->nodes[a->home].name, a->name);
                else {
                    place_name(L, (int)from, b_place, sizeof b_place);
                    sf_v_error_place(v, a->at,
                                     "%s cannot be reached on foot from %s, where %s also works: every way crosses a "
                                     "fenced robot's reach (a guarded station is walked to, not through) or a "
                                     "robots_only zone; hint: route an aisle round the fence (docs/safety.md)",
                                     a_place, b_place, a->name);
                }
            }
            free(seen);
        }
    }
done:
    free(seg);
    free(node);
    free(served);
    free(told);
}

/*
 * For each forklift and AGV type with agents, every dock, rack, parking
 * place and station (and charger, for battery vehicles) must be
 * reachable from the type's home. One search per type.
 */
static void check_reach(sf_vctx *v)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_cfg_fleet *f = &v->cfg->fleet;

    for (size_t t = 0; t < f->n_types; t++) {
        const sf_cfg_agent_type *a = &f->types[t];
        bool *seen;
        if ((a->kind != SF_AGENT_FORKLIFT && a->kind != SF_AGENT_AGV) || a->home < 0 || a->count == 0)
            continue;
        if (!(seen = reachable(v, a->home)))
            return;
#define CHECK(arr, n, what)                                                                                        \
    for (size_t i = 0; i < (n); i++)                                                                               \
        if ((arr)[i].node >= 0 && !seen[(arr)[i].node])                                                            \
            sf_v_error_place(v, (arr)[i].at, what " '%s' (node '%s') cannot be reached from '%s', the home of %s",          \
                     (arr)[i].name, L->nodes[(arr)[i].node].name, L->nodes[a->home].name, a->name);
        CHECK(L->docks, L->n_docks, "dock")
        CHECK(L->racks, L->n_racks, "rack")
        CHECK(L->chargers, a->battery.present ? L->n_chargers : 0, "charger")
        CHECK(L->parking, L->n_parking, "parking")
        CHECK(L->stations, L->n_stations, "station")
#undef CHECK
        free(seen);
    }
}

static bool has_skill(const sf_cfg_agent_type *a, const char *skill)
{
    if (!skill)
        return true;
    for (size_t i = 0; i < a->n_skills; i++)
        if (strcmp(a->skills[i], skill) == 0)
            return true;
    return false;
}

/*
 * Each crew need of `op` can be met by agents of the listed types that
 * have its skill; an arm only counts when it stands at a station of the
 * operation's group. Else an error at `at` about `name`, ending in `hint`.
 */
static void check_crew(sf_vctx *v, const sf_cfg_operation *op, sf_cfg_place at, const char *name, const char *hint)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t k = 0; k < op->n_crew; k++) {
        const sf_cfg_crew_need *cn = &op->crew[k];
        long avail = 0;
        bool misplaced = false;
        for (size_t i = 0; i < c->fleet.n_types; i++) {
            const sf_cfg_agent_type *a = &c->fleet.types[i];
            if (!crew_lists(cn, a, i) || !has_skill(a, op->skill))
                continue;
            if (a->kind == SF_AGENT_ARM &&
                (a->home_station < 0 || c->layout.stations[a->home_station].group_index != op->group)) {
                misplaced = true;
                continue;
            }
            avail += a->count;
        }
        if (avail >= cn->count)
            continue;
        sf_v_error_place(v, at, "%s needs %d %s%s%s%s but the fleet has %ld%s%s", name, cn->count, cn->label,
                         op->skill ? " with skill '" : "", op->skill ? op->skill : "", op->skill ? "'" : "", avail,
                         misplaced ? " (an arm counts only at a station of the operation's group)" : "", hint);
    }
}

/* An operation can run when its group has a station and its crew can be met (check_crew). */
static void check_operations(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t p = 0; p < c->n_products; p++)
        for (size_t o = 0; o < c->products[p].n_ops; o++) {
            const sf_cfg_operation *op = &c->products[p].ops[o];
            char opname[200];
            snprintf(opname, sizeof opname, "operation %zu%s%s%s of product '%s'", o + 1, *op->name ? " ('" : "",
                     op->name, *op->name ? "')" : "", c->products[p].name);
            if (op->group >= 0)
                check_crew(v, op, op->at, opname, "");
        }
}

/*
 * A failure mode's repair crew, written or the default one (one person
 * with skill `maintenance`), can be met by the fleet.
 */
static void check_repairs(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t i = 0; i < c->n_failures; i++) {
        const sf_cfg_failure *f = &c->failures[i];
        char name[200];
        snprintf(name, sizeof name, "the repair of failure '%s'%s%s%s", f->name,
                 f->default_crew ? " (by default one person with skill '" : "", f->default_crew ? f->repair.skill : "",
                 f->default_crew ? "')" : "");
        check_crew(v, &f->repair, f->at, name,
                   "; add maintenance people (a worker with skills: [" SF_MAINTENANCE_SKILL
                   "] and shifts or on_call covering the plant's hours) or write 'repair: none'");
    }
}

/*
 * Whom a robot calls (docs/production.md): a learning robot's rescue
 * (`rescue_by`) needs one worker or humanoid with that skill, its
 * programming (`programming.by`) one worker, checked as an operation's crew.
 */
static void check_helpers(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;
    sf_cfg_crew_need person = {.label = "person (worker)", .count = 1, .kinds = 1u << SF_AGENT_WORKER};
    sf_cfg_crew_need rescuer = {.label = "rescuer (worker or humanoid)", .count = 1,
                                .kinds = 1u << SF_AGENT_WORKER | 1u << SF_AGENT_HUMANOID};

    for (size_t i = 0; i < c->fleet.n_types; i++) {
        const sf_cfg_agent_type *a = &c->fleet.types[i];
        char name[200];
        if (a->learning.on && a->learning.rescue_time > 0) {
            snprintf(name, sizeof name, "a rescue of fleet entry '%s' (rescue_by)", a->name);
            check_crew(v, &(sf_cfg_operation){.crew = &rescuer, .n_crew = 1, .skill = a->learning.rescue_by, .group = -1},
                       a->learning.at, name, "; add a worker or humanoid with that skill, or name another in 'rescue_by'");
        }
        if (a->programming.on && a->programming.time > 0) {
            snprintf(name, sizeof name, "programming fleet entry '%s' (programming.by)", a->name);
            check_crew(v, &(sf_cfg_operation){.crew = &person, .n_crew = 1, .skill = a->programming.by, .group = -1},
                       a->programming.at, name, "; add a worker with that skill (an engineer or operator), or name "
                                                "another in 'by'");
        }
    }
}

/*
 * Supervision as a crew need (`supervision.by`, docs/production.md): a
 * fleet entry of workers, else a skill of the fleet's workers; at least
 * one person of it.
 */
static void check_supervision(sf_vctx *v)
{
    const sf_cfg_fleet *f = &v->cfg->fleet;

    for (size_t t = 0; t < f->n_types; t++) {
        const sf_cfg_agent_type *a = &f->types[t];
        const sf_cfg_agent_type *entry = NULL;
        long people = 0;
        if (!a->supervise_by)
            continue;
        for (size_t i = 0; i < f->n_types && !entry; i++)
            if (strcmp(f->types[i].name, a->supervise_by) == 0)
                entry = &f->types[i];
        if (entry && entry->kind != SF_AGENT_WORKER) {
            sf_v_error_place(v, a->supervise_at,
                             "supervision of fleet entry '%s' is by '%s', a fleet entry of kind %s: a supervisor is "
                             "a person; hint: name a fleet entry of kind worker, or a skill of the workers",
                             a->name, entry->name, sf_agent_kind_name(entry->kind));
            continue;
        }
        for (size_t i = 0; i < f->n_types; i++)
            if (entry ? &f->types[i] == entry : f->types[i].kind == SF_AGENT_WORKER && has_skill(&f->types[i], a->supervise_by))
                people += f->types[i].count;
        if (people == 0)
            sf_v_error_place(v, a->supervise_at,
                             "supervision of fleet entry '%s' is by '%s', but the fleet has no %s; hint: name a fleet "
                             "entry of kind worker, or a skill of the workers ('skills' of a worker entry)",
                             a->name, a->supervise_by, entry ? "person in that entry" : "fleet entry and no worker with that skill");
    }
}

/*
 * The top level of every rack (an AS/RS lifts its own loads) must be
 * within the lift height of the highest-lifting forklift in the fleet.
 */
static void check_racks(sf_vctx *v)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_cfg_fleet *f = &v->cfg->fleet;
    double best = -1;
    const char *who = NULL;

    for (size_t t = 0; t < f->n_types; t++)
        if (f->types[t].kind == SF_AGENT_FORKLIFT && f->types[t].count > 0 && f->types[t].lift_height > best) {
            best = f->types[t].lift_height;
            who = f->types[t].name;
        }
    for (size_t r = 0; r < L->n_racks; r++) {
        const sf_cfg_rack *k = &L->racks[r];
        double top;
        if (k->kind != SF_RACK_RACK || k->levels < 1)
            continue;
        top = k->level_height[k->levels - 1];
        if (top <= best)
            continue;
        if (who)
            sf_v_error_place(v, k->heights_at,
                     "rack '%s' level %d is at %g m, higher than any forklift can lift (highest: %g m, %s)", k->name,
                     k->levels, top, best, who);
        else if (top > 0)
            sf_v_error_place(v, k->heights_at, "rack '%s' level %d is at %g m but the fleet has no forklift to lift to it",
                     k->name, k->levels, top);
    }
}

/*
 * A product's transport names vehicles (forklift, agv) or people
 * (worker, humanoid), not both and never arms; a unit rides one
 * vehicle, and some vehicle listed must carry its mass. People may carry
 * it together ({worker: 2}). The fleet must have as many as it asks.
 */
static void check_transport(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t p = 0; p < c->n_products; p++) {
        const sf_cfg_product *P = &c->products[p];
        const sf_cfg_operation *t = &P->transport;
        const unsigned people = (1u << SF_AGENT_WORKER) | (1u << SF_AGENT_HUMANOID);
        unsigned kinds = P->transport_kinds;
        if (kinds & (1u << SF_AGENT_ARM)) {
            sf_v_error_place(v, t->at, "the transport of product '%s' names an arm; arms stay at their station "
                     "(carry with forklift, agv, worker or humanoid)", P->name);
            continue;
        }
        if ((kinds & SF_VEHICLE_KINDS) && (kinds & people)) {
            sf_v_error_place(v, t->at, "the transport of product '%s' mixes vehicles and people; name one or the other "
                     "({any: [agv, forklift]} or {any: [worker, humanoid]})", P->name);
            continue;
        }
        if ((kinds & SF_VEHICLE_KINDS) && (t->n_crew > 1 || t->crew[0].count > 1)) {
            sf_v_error_place(v, t->at, "the transport of product '%s': a unit rides one vehicle ({agv: 1} or "
                     "{any: [agv, forklift]})", P->name);
            continue;
        }
        for (size_t k = 0; k < t->n_crew; k++) {
            const sf_cfg_crew_need *cn = &t->crew[k];
            long avail = 0;
            double payload = 0;
            for (size_t i = 0; i < c->fleet.n_types; i++) {
                const sf_cfg_agent_type *a = &c->fleet.types[i];
                bool listed = (cn->kinds >> a->kind) & 1u;
                for (size_t j = 0; !listed && j < cn->n_types; j++)
                    listed = cn->types[j] == (int)i;
                if (listed && a->count > 0) {
                    avail += a->count;
                    payload = a->payload > payload ? a->payload : payload;
                }
            }
            if (avail < cn->count)
                sf_v_error_place(v, t->at, "the transport of product '%s' needs %d %s but the fleet has %ld", P->name,
                         cn->count, cn->label, avail);
            else if ((kinds & SF_VEHICLE_KINDS) && payload < P->mass)
                sf_v_error_place(v, t->at, "the transport of product '%s' (%g kg a unit) has no vehicle that carries it: "
                         "the highest payload among %s is %g kg", P->name, P->mass, cn->label, payload);
        }
    }
}

/* Battery agents need somewhere to charge, and off-peak charging a tariff with a peak. */
static void check_batteries(sf_vctx *v)
{
    const sf_cfg_fleet *f = &v->cfg->fleet;
    const sf_cfg_energy *E = &v->cfg->energy;
    bool peak = false;

    for (size_t i = 1; i < E->n_tariff; i++)
        peak = peak || E->tariff[i].price != E->tariff[0].price;
    for (size_t t = 0; t < f->n_types; t++)
        if (f->types[t].battery.present && f->types[t].battery.rule == SF_CHARGING_OFF_PEAK && !peak)
            sf_v_error_place(v, f->types[t].at, "%s '%s' charges off peak, but energy.tariff has no peak band (it needs "
                             "bands at two prices or more)", sf_agent_kind_name(f->types[t].kind), f->types[t].name);
    for (size_t t = 0; t < f->n_types; t++)
        if (f->types[t].battery.present && f->types[t].count > 0 && v->cfg->layout.n_chargers == 0)
            sf_v_error_place(v, f->types[t].at, "%s '%s' runs on a battery but the layout has no charger",
                     sf_agent_kind_name(f->types[t].kind), f->types[t].name);
}

/*
 * Every travel must end at a time the kernel can count: a move is planned
 * from now (at most the horizon) to its end in sf_time nanoseconds, and
 * past SF_TIME_MAX (292 years) the run fails with "value out of range".
 * A route repeats no segment, so it is at most the whole network long,
 * and nowhere faster than the slowest of the vehicle's speeds and the
 * limits of segments and zones. Ranges per value cannot say this (1e-9
 * m/s is fine on a 1 mm path), so the check is on the whole model here,
 * where `check` sees it, instead of in the middle of a run.
 */
static void check_travel_times(sf_vctx *v)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_cfg_fleet *f = &v->cfg->fleet;
    double length = 0, limit = INFINITY;
    double room = (double)SF_TIME_MAX / 1e9 - (double)v->cfg->scenario.horizon / 1e9;

    for (size_t i = 0; i < L->n_segments; i++) {
        length += L->segments[i].length;
        if (L->segments[i].speed_limit > 0 && L->segments[i].speed_limit < limit)
            limit = L->segments[i].speed_limit;
    }
    for (size_t i = 0; i < L->n_zones; i++)
        if (L->zones[i].speed_limit > 0 && L->zones[i].speed_limit < limit)
            limit = L->zones[i].speed_limit;
    for (size_t t = 0; t < f->n_types; t++) {
        const sf_cfg_agent_type *a = &f->types[t];
        double slowest = a->speed < a->speed_loaded ? a->speed : a->speed_loaded;
        if (a->kind == SF_AGENT_ARM || slowest <= 0 || length == 0)
            continue;
        if (limit < slowest)
            slowest = limit;
        if (!(length / slowest < room))
            sf_v_error_place(v, a->at,
                     "%s '%s': at %g m/s, crossing the path network (%g m) takes longer than a run can count "
                     "(292 years); the slowest speed, limits included, must be above %g m/s",
                     sf_agent_kind_name(a->kind), a->name, slowest, length, length / room);
    }
}

/*
 * A failed agent never repairs itself: an agent failure's crew must be met
 * without the failing agent, when its fleet entry is one the crew may take
 * (check_repairs has said so already when the fleet has nobody at all).
 */
static void check_agent_repairs_others(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;

    for (size_t i = 0; i < c->n_failures; i++) {
        const sf_cfg_failure *f = &c->failures[i];
        const sf_cfg_agent_type *failing;
        if (f->target_kind != SF_FAIL_AGENT_TYPE || f->target < 0)
            continue;
        failing = &c->fleet.types[f->target];
        for (size_t k = 0; k < f->repair.n_crew; k++) {
            const sf_cfg_crew_need *cn = &f->repair.crew[k];
            long avail = 0;
            if (!crew_lists(cn, failing, (size_t)f->target) || !has_skill(failing, f->repair.skill))
                continue;
            for (size_t t = 0; t < c->fleet.n_types; t++)
                if (crew_lists(cn, &c->fleet.types[t], t) && has_skill(&c->fleet.types[t], f->repair.skill) &&
                    c->fleet.types[t].kind != SF_AGENT_ARM)
                    avail += c->fleet.types[t].count;
            if (avail >= cn->count && avail - 1 < cn->count)
                sf_v_error_place(v, f->at, "the repair of failure '%s' needs %d %s%s%s%s besides the failed %s "
                                 "'%s', but the fleet has %ld in all; a failed agent never repairs itself: add "
                                 "maintenance people, or write 'repair: none'", f->name, cn->count, cn->label,
                                 f->repair.skill ? " with skill '" : "", f->repair.skill ? f->repair.skill : "",
                                 f->repair.skill ? "'" : "", sf_agent_kind_name(failing->kind), failing->name, avail);
        }
    }
}

/*
 * Nodes people of a repair crew `op` can walk to: from the home of every
 * worker or humanoid type that may be in it (listed, with its skill), as
 * people go round fences (sf_safety_fences). NULL when out of memory.
 */
static bool *crew_walks_to(sf_vctx *v, const sf_cfg_operation *op, const bool *seg, const bool *node)
{
    const sf_scenario_config *c = v->cfg;
    bool *all = sf_calloc(c->layout.n_nodes + 1, sizeof *all);

    for (size_t t = 0; all && t < c->fleet.n_types; t++) {
        const sf_cfg_agent_type *a = &c->fleet.types[t];
        bool in = false, *seen;
        for (size_t k = 0; !in && has_skill(a, op->skill) && k < op->n_crew; k++)
            in = crew_lists(&op->crew[k], a, t);
        if (!in || a->home < 0 || a->count == 0 || (a->kind != SF_AGENT_WORKER && a->kind != SF_AGENT_HUMANOID))
            continue;
        if (!(seen = reachable_by(v, a->home, seg, node))) {
            free(all);
            return NULL;
        }
        for (size_t i = 0; i < c->layout.n_nodes; i++)
            all[i] |= seen[i];
        free(seen);
    }
    if (!all)
        v->oom = true;
    return all;
}

/*
 * An agent's repair crew walks to the node the failed agent stands at or
 * last passed (docs/production.md, "Who repairs"): for a vehicle, any node
 * it can reach from its home; for an arm, its station's; for a person, its
 * home. Each must be reachable on foot by someone of the crew.
 */
static void check_agent_repairs_reach(sf_vctx *v)
{
    const sf_scenario_config *c = v->cfg;
    const sf_cfg_layout *L = &c->layout;
    bool *seg = sf_calloc(L->n_segments + 1, sizeof *seg), *node = sf_calloc(L->n_nodes + 1, sizeof *node);

    if (!seg || !node) {
        v->oom = true;
        goto done;
    }
    sf_safety_fences(c, seg, node);
    for (size_t i = 0; i < c->n_failures; i++) {
        const sf_cfg_failure *f = &c->failures[i];
        const sf_cfg_agent_type *a =
            f->target_kind == SF_FAIL_AGENT_TYPE && f->target >= 0 ? &c->fleet.types[f->target] : NULL;
        int at = !a                        ? -1
                 : a->kind != SF_AGENT_ARM ? a->home
                 : a->home_station >= 0    ? L->stations[a->home_station].node
                                           : -1;
        bool vehicle = a && (a->kind == SF_AGENT_FORKLIFT || a->kind == SF_AGENT_AGV), *stops, *walks;
        if (!a || a->count == 0 || f->repair.n_crew == 0 || at < 0)
            continue;
        if (!(stops = vehicle ? reachable(v, at) : sf_calloc(L->n_nodes + 1, sizeof *stops))) {
            v->oom = true;
            goto done;
        }
        stops[at] = true;
        if (!(walks = crew_walks_to(v, &f->repair, seg, node))) {
            free(stops);
            goto done;
        }
        bool anyone = false; /* nobody at all: check_repairs says so */
        for (size_t n = 0; n < L->n_nodes; n++)
            anyone |= walks[n];
        for (size_t n = 0; anyone && n < L->n_nodes; n++)
            if (stops[n] && !walks[n]) {
                char place[300];
                place_name(L, (int)n, place, sizeof place);
                sf_v_error_place(v, f->at, "the repair of failure '%s' walks to where %s '%s' stands, but %s, where it "
                                 "may stop, cannot be reached on foot by anyone of its crew: every way crosses a fenced "
                                 "robot's reach or a robots_only zone; hint: open a walkway to it, or write "
                                 "'repair: none' (recovered by nobody of the fleet)", f->name,
                                 sf_agent_kind_name(a->kind), a->name, place);
                break;
            }
        free(stops);
        free(walks);
    }
done:
    free(seg);
    free(node);
}

void sf_v_model_checks(sf_vctx *v)
{
    check_travel_times(v);
    check_reach(v);
    check_people_reach(v);
    check_operations(v);
    check_repairs(v);
    check_agent_repairs_reach(v);
    check_agent_repairs_others(v);
    check_helpers(v);
    check_supervision(v);
    check_transport(v);
    check_racks(v);
    check_batteries(v);
    sf_v_safety_checks(v);
}
