/*
 * safety_build.c: collaboration safety built from the scenario: each
 * robot's rule, distances and mode where it stands, the people who walk,
 * the cameras, and where everybody stands when the run starts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/safety_int.h"

static void build_robot(sf_safety *s, const sf_safety_agent *a, uint32_t agent, struct robot *r)
{
    const sf_scenario_config *cfg = s->cfg;
    const sf_cfg_agent_type *t = &cfg->fleet.types[a->type];
    const sf_cfg_safety_rule *rule = NULL;
    double speed, slow, stop;
    bool timed;

    for (size_t i = 0; i < cfg->safety.n_rules; i++)
        if (cfg->safety.rules[i].agent_type == a->type)
            rule = &cfg->safety.rules[i];
    memset(r, 0, sizeof *r);
    r->agent = agent;
    r->mover = a->mover;
    r->active = a->mover == SF_SAFETY_NONE;
    r->x = a->x;
    r->y = a->y;
    r->reach = t->reach;
    r->type = a->type;
    r->rule_mode = rule ? rule->mode : SF_SAFETY_FENCED;
    r->want = r->prev_want = r->rule_mode;
    r->rate_reduced = sf_safety_collaborative_ratio(cfg, a->type);
    if (r->rule_mode == SF_SAFETY_SSM) {
        speed = rule->robot_speed > 0 ? rule->robot_speed : t->speed > 0 ? t->speed : 1;
        sf_safety_distances(rule, speed, &slow, &stop);
        r->slow = slow;
        r->stop = stop;
        /* S_p at each speed: from the times when the rule gives them, else the rule's distances stand for it */
        timed = rule->reaction_time > 0 || rule->stopping_time > 0;
        r->sep_full = timed ? sf_safety_separation(rule, speed) : slow;
        r->sep_red = timed ? sf_safety_separation(rule, fmin(rule->reduced_speed, speed)) : stop;
        r->resume_delay = rule->resume_delay;
        r->handover = rule->handover;
        r->handover_time = rule->handover_time;
    }
    sf__safety_place_robot(s, r, r->x, r->y);
    sf__safety_outage_update(s, r, sf_kernel_now(s->k));
    r->applied = r->mode == SF_SAFETY_PFL ? REDUCED : FULL;
    r->st.min_separation = INFINITY;
}

static void message(char *err, size_t n, const char *text)
{
    if (err && n)
        snprintf(err, n, "%s", text);
}

/* Robots: arms, and humanoids that move (a humanoid at a station is a pair of hands). People: workers who walk. */
static bool is_robot(const sf_safety_agent *a)
{
    return a->kind == SF_AGENT_ARM || (a->kind == SF_AGENT_HUMANOID && a->mover != SF_SAFETY_NONE);
}

static bool is_person(const sf_safety_agent *a)
{
    return !is_robot(a) && a->kind == SF_AGENT_WORKER && a->mover != SF_SAFETY_NONE;
}

sf_safety *sf_safety_new(sf_kernel *k, sf_movers *ms, const sf_scenario_config *cfg, const sf_safety_agent *agents,
                         uint32_t n, sf_safety_hooks hooks, char *err, size_t errlen)
{
    sf_safety *s = SF_NEW(sf_safety, .k = k, .ms = ms, .cfg = cfg, .hooks = hooks, .nagents = n);
    uint32_t nmovers = 0, nrobots = 0, npeople = 0;

    if (!s)
        goto fail;
    for (uint32_t i = 0; i < n; i++) {
        if (agents[i].mover != SF_SAFETY_NONE && agents[i].mover + 1 > nmovers)
            nmovers = agents[i].mover + 1;
        nrobots += is_robot(&agents[i]);
        npeople += is_person(&agents[i]);
    }
    s->nmovers = nmovers;
    s->block = SF_PARTS(SF_PART(s->robot_of, n), SF_PART(s->person_of, n), SF_PART(s->person_of_mover, nmovers),
                        SF_PART(s->robots, nrobots), SF_PART(s->people, npeople), SF_PART(s->band, (size_t)npeople * nrobots),
                        SF_PART(s->inside, (size_t)npeople * nrobots));
    if (!s->block)
        goto fail;
    if (SF_KERNEL_ADD_KINDS(k, s, {"safety.cross", sf__safety_on_cross, &s->kind_cross},
                            {"safety.resume", sf__safety_on_resume, &s->kind_resume},
                            {"safety.camera", sf__safety_on_camera, &s->kind_camera},
                            {"safety.handover", sf__safety_on_handover, &s->kind_handover}) != SF_OK)
        goto fail;
    if (!(s->cams = sf_cameras_new(k, cfg, npeople, s->kind_camera)))
        goto fail;
    s->measure_from = cfg->scenario.warmup;
    for (uint32_t m = 0; m < nmovers; m++)
        s->person_of_mover[m] = SF_SAFETY_NONE;
    for (uint32_t i = 0; i < n; i++) {
        s->robot_of[i] = s->person_of[i] = SF_SAFETY_NONE;
        if (is_robot(&agents[i])) {
            s->robot_of[i] = s->nrobots;
            build_robot(s, &agents[i], i, &s->robots[s->nrobots++]);
        } else if (is_person(&agents[i])) {
            struct person *p = &s->people[s->npeople];
            p->agent = i;
            p->mover = agents[i].mover;
            p->waiting_for = SF_SAFETY_NONE;
            sf_motion_init(&p->motion);
            s->person_of[i] = s->npeople;
            s->person_of_mover[p->mover] = s->npeople++;
        }
    }
    if (sf_cameras_start(s->cams) != SF_OK)
        goto fail;
    if (s->npeople && s->nrobots && sf_movers_watch(ms, sf__safety_on_motion, s) != SF_OK)
        goto fail;
    /* where everybody stands now */
    for (uint32_t p = 0; p < s->npeople && s->nrobots; p++) {
        sf_movers_position(ms, s->people[p].mover, sf_kernel_now(k), &s->people[p].x, &s->people[p].y, NULL);
        sf__safety_settle(s, p, s->people[p].x, s->people[p].y);
    }
    return s;
fail:
    message(err, errlen, "collaboration safety cannot be set up: out of memory or too many kinds of event");
    sf_safety_free(s);
    return NULL;
}

void sf_safety_free(sf_safety *s)
{
    if (!s)
        return;
    if (s->ms)
        sf_movers_unwatch(s->ms, sf__safety_on_motion, s);
    for (uint32_t p = 0; s->people && p < s->npeople; p++) {
        sf_motion_close(&s->people[p].motion);
        free(s->people[p].line);
        free(s->people[p].s_from);
        free(s->people[p].len);
    }
    for (uint32_t r = 0; s->robots && r < s->nrobots; r++)
        free(s->robots[r].partners);
    sf_cameras_free(s->cams);
    free(s->block);
    free(s);
}
