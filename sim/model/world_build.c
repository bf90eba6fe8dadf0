/*
 * world_build.c: the parts of the world built straight from the config:
 * the path network, the racks, the agents with their movers and meters,
 * and the table of place names. Errors carry the config's place.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/safety.h"
#include "model/world_int.h"

int sf__world_fail(char *err, size_t n, const sf_cfg_place *at, const char *fmt, ...)
{
    va_list ap;
    int used = 0;

    if (!err || n == 0)
        return SF_EINVAL;
    if (at && at->file)
        used = snprintf(err, n, "%s:%d:%d: ", at->file, at->line, at->col);
    if (used < 0 || (size_t)used >= n)
        used = 0;
    va_start(ap, fmt);
    vsnprintf(err + used, n - (size_t)used, fmt, ap);
    va_end(ap);
    return SF_EINVAL;
}

/* People go round guarded robots' cells and robots_only zones (safety.h, sf_safety_fences). */
static int build_fences(sf_world *w, char *err, size_t n)
{
    const sf_cfg_layout *L = &w->cfg->layout;
    bool *seg = sf_calloc(L->n_segments + 1, sizeof *seg), *node = sf_calloc(L->n_nodes + 1, sizeof *node);
    int rc = seg && node ? SF_OK : SF_ENOMEM;

    if (rc == SF_OK && sf_safety_fences(w->cfg, seg, node) > 0) {
        for (size_t i = 0; rc == SF_OK && i < L->n_segments; i++)
            if (seg[i])
                rc = sf_network_fence_segment(w->net, (uint32_t)i);
        for (size_t i = 0; rc == SF_OK && i < L->n_nodes; i++)
            if (node[i])
                rc = sf_network_fence_node(w->net, (uint32_t)i);
    }
    free(seg);
    free(node);
    if (rc != SF_OK)
        return sf__world_fail(err, n, NULL, "the fences of guarded robots cannot be laid in the path network (%s)",
                              sf_strerror(rc));
    return SF_OK;
}

int sf__world_build_network(sf_world *w, uint32_t nmobile, char *err, size_t n)
{
    const sf_cfg_layout *L = &w->cfg->layout;
    int rc;

    if (!(w->net = sf_network_new()))
        return SF_ENOMEM;
    for (size_t i = 0; i < L->n_nodes; i++)
        if ((rc = sf_network_add_node(w->net, L->nodes[i].name, L->nodes[i].x, L->nodes[i].y, NULL)) != SF_OK)
            return sf__world_fail(err, n, &L->nodes[i].at, "node '%s' cannot be added (%s)", L->nodes[i].name, sf_strerror(rc));
    for (size_t i = 0; i < L->n_segments; i++) {
        const sf_cfg_segment *s = &L->segments[i];
        int cap = s->capacity > 0 ? s->capacity : (int)(nmobile > 0 ? nmobile : 1);
        double limit = s->speed_limit > 0 ? s->speed_limit : INFINITY;
        if ((rc = sf_network_add_segment(w->net, (uint32_t)s->from, (uint32_t)s->to, s->length, limit, cap,
                                         s->two_way, NULL)) != SF_OK)
            return sf__world_fail(err, n, &s->at, "segment %s - %s cannot be added (%s)", L->nodes[s->from].name,
                        L->nodes[s->to].name, sf_strerror(rc));
    }
    return build_fences(w, err, n);
}

int sf__world_build_storage(sf_world *w, char *err, size_t n)
{
    const sf_cfg_layout *L = &w->cfg->layout;
    uint32_t reference = 0;
    int rc;

    const sf_cfg_storage *S = &L->storage;

    /* put-away measures from the dock the scenario names, else the first inbound dock, the first dock, node 0 */
    if (S->from >= 0)
        reference = (uint32_t)L->docks[S->from].node;
    else
        for (size_t i = L->n_docks; i-- > 0;)
            if (L->docks[i].kind != SF_DOCK_OUTBOUND || i == 0)
                reference = (uint32_t)L->docks[i].node;
    if (!(w->storage = sf_storage_new(w->net, S->policy, reference, S->share_a, S->share_b)))
        return SF_ENOMEM;
    for (size_t i = 0; i < L->n_racks; i++) {
        const sf_cfg_rack *r = &L->racks[i];
        uint32_t *access = sf_malloc((size_t)r->bays * sizeof *access);
        sf_rack_spec spec = {r->name, (uint32_t)r->bays, (uint32_t)r->levels, (uint32_t)r->depth,
                             r->level_height, access};
        if (!access)
            return SF_ENOMEM;
        for (int b = 0; b < r->bays; b++)
            access[b] = (uint32_t)r->node;
        rc = sf_storage_add_rack(w->storage, &spec, NULL);
        free(access);
        if (rc != SF_OK)
            return sf__world_fail(err, n, &r->at, "rack '%s' cannot be built (%s)", r->name, sf_strerror(rc));
    }
    return SF_OK;
}

/*
 * A mobile robot's collaboration mode from its safety rule: in shared
 * (collaborative) zones, ssm caps it at its reduced speed while a person is
 * inside and stops it (protective stop) when a person enters its
 * protective field (see sf_mover_spec.stop_for_people), pfl at its maximum
 * speed at all times; fenced changes nothing
 * (a fenced vehicle keeps to robots-only aisles).
 */
static void mobile_robot_speeds(const sf_scenario_config *cfg, int type, sf_mover_spec *spec)
{
    if (cfg->safety.relaxed) /* the counterfactual without safety rules */
        return;
    for (size_t i = 0; i < cfg->safety.n_rules; i++) {
        const sf_cfg_safety_rule *r = &cfg->safety.rules[i];
        if (r->agent_type != type)
            continue;
        if (r->mode == SF_SAFETY_SSM) {
            spec->shared_speed = r->reduced_speed;
            spec->stop_for_people = true;
        }
        else if (r->mode == SF_SAFETY_PFL)
            spec->collab_speed = r->reduced_speed;
    }
}

int sf__world_build_agents(sf_world *w, uint32_t nmobile, char *err, size_t n)
{
    const sf_cfg_fleet *F = &w->cfg->fleet;
    uint32_t id = 0, mover = 0;

    for (size_t t = 0; t < F->n_types; t++) {
        const sf_cfg_agent_type *T = &F->types[t];
        double pw[SF_POWER_STATES];
        memcpy(pw, T->power, sizeof pw);
        if (pw[SF_POWER_MOVING_LOADED] == 0) /* not given: carrying costs what moving costs */
            pw[SF_POWER_MOVING_LOADED] = pw[SF_POWER_MOVING];
        for (int c = 0; c < T->count; c++, id++) {
            sf_agent *a = &w->agents[id];
            snprintf(a->name, sizeof a->name, "%s.%d", T->name, c + 1);
            a->type = (int)t;
            a->kind = T->kind;
            a->mover = SF_NO_AGENT;
            a->home = T->home >= 0 ? (uint32_t)T->home : UINT32_MAX;
            a->lift_speed = T->lift_speed > 0 ? T->lift_speed : 0.4;
            a->lift_height = T->kind == SF_AGENT_FORKLIFT ? T->lift_height : 0;
            a->handling = T->handling;
            a->leaves = SF_TIME_MAX;
            sf_meter_init(&a->meter, pw, SF_POWER_IDLE, sf_kernel_now(w->k));
            if (T->battery.present)
                sf_meter_battery(&a->meter, T->battery.capacity, T->battery.initial * T->battery.capacity,
                                 T->battery.charge_power, T->battery.efficiency);
            if (T->battery.present && T->battery.chemistry == SF_CHEMISTRY_LI_ION)
                sf_meter_taper(&a->meter, T->battery.cv_from);
            if (T->kind != SF_AGENT_ARM) {
                sf_mover_spec spec = {T->speed, T->speed_loaded > 0 ? T->speed_loaded : T->speed,
                                      T->accel > 0 ? T->accel : 0.5, T->decel > 0 ? T->decel : 0.5,
                                      T->kind == SF_AGENT_WORKER, 0, 0, false,
                                      sf_time_to_seconds(T->field_response), T->field_clearance};
                mobile_robot_speeds(w->cfg, (int)t, &spec);
                if (mover >= nmobile || sf_movers_place(w->movers, mover, a->home, &spec) != SF_OK)
                    return sf__world_fail(err, n, &T->at, "fleet entry '%s': cannot place its agents at their home",
                                T->name);
                a->mover = mover;
                w->agent_of_mover[mover++] = id;
            }
            sf__world_power(w, id, SF_POWER_IDLE);
        }
    }
    return SF_OK;
}

/*
 * One table from every place name to its node, so lookups cost O(1). A
 * name used twice (a dock named like a node) keeps its first meaning, in
 * the order nodes, docks, racks, chargers, parking, stations.
 */
int sf__world_build_places(sf_world *w)
{
    const sf_cfg_layout *L = &w->cfg->layout;
    uint32_t id;
    int rc;

#define ADD(name, node)                                                                           \
    if (sf_names_find(&w->places, (name), &id) != SF_OK &&                                         \
        (rc = sf_names_add(&w->places, (name), (uint32_t)(node))) != SF_OK)                        \
        return rc;
    for (size_t i = 0; i < L->n_nodes; i++)
        ADD(L->nodes[i].name, i)
    for (size_t i = 0; i < L->n_docks; i++)
        ADD(L->docks[i].name, L->docks[i].node)
    for (size_t i = 0; i < L->n_racks; i++)
        ADD(L->racks[i].name, L->racks[i].node)
    for (size_t i = 0; i < L->n_chargers; i++)
        ADD(L->chargers[i].name, L->chargers[i].node)
    for (size_t i = 0; i < L->n_parking; i++)
        ADD(L->parking[i].name, L->parking[i].node)
    for (size_t i = 0; i < L->n_stations; i++)
        ADD(L->stations[i].name, L->stations[i].node)
#undef ADD
    return SF_OK;
}
