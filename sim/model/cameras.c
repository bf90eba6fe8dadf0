/*
 * cameras.c: the safety cameras of a running plant: up or down, and the
 * passes they miss.
 */
#include "model/cameras.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/dist.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"
#include "model/safety.h"

struct camera {
    bool up;       /* not failed (its own failures and repairs) */
    uint32_t held; /* holds down by an intervention (sf_cameras_hold) */
    sf_rng failure, repair, detect;
    sf_event_id ev;
    uint64_t passes, missed;
    sf_time uncovered; /* person-time unseen in its zones near a working robot it watches, since the warm-up */
};

/* What a camera knows of a person ([person * n + camera]). */
enum {
    IN_ZONES = 1, /* inside its collaborative zones */
    COVERED = 2,  /* inside them and in its sector: a pass is under way */
    MISSED = 4,   /* missed on this pass */
    SEEN = 8,     /* seen on this pass (detected, its latency over) */
};

struct sf_cameras {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    uint32_t kind;
    size_t n;
    uint32_t npeople;
    void *block;     /* the arrays below */
    struct camera *cams;
    uint8_t *state;  /* [person * n + camera]: the bits above */
    sf_event_id *seen_ev; /* [person * n + camera]: the end of the latency of a detected pass */
    /* time uncovered (sf_cameras_account), per person: since when, the plant's flag and the cameras' mask */
    sf_time *unc_since;
    uint8_t *unc_plant;
    uint64_t *unc_mask;
    sf_time plant_uncovered;
    bool tracking;   /* people's passes are followed: some camera misses, waits, has a sector or fails */
};

sf_cameras *sf_cameras_new(sf_kernel *k, const sf_scenario_config *cfg, uint32_t npeople, uint32_t kind)
{
    size_t n = cfg->safety.n_cameras;
    sf_cameras *c = SF_NEW(sf_cameras, .k = k, .cfg = cfg, .kind = kind, .n = n,
                           .npeople = npeople);

    if (!c || !(c->block = SF_PARTS(SF_PART(c->cams, n), SF_PART(c->state, (size_t)npeople * n),
                                    SF_PART(c->seen_ev, (size_t)npeople * n), SF_PART(c->unc_since, npeople),
                                    SF_PART(c->unc_plant, npeople), SF_PART(c->unc_mask, npeople)))) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const sf_cfg_camera *cam = &cfg->safety.cameras[i];
        char name[256];
        c->cams[i].up = true;
        c->tracking |= cam->miss > 0 || cam->latency > 0 || cam->has_position || cam->fails;
        if (cam->miss > 0) {
            snprintf(name, sizeof name, "camera.detection.%s", cam->name);
            sf_rng_init(&c->cams[i].detect, cfg->scenario.seed, name);
        }
        if (cam->fails) {
            snprintf(name, sizeof name, "camera.failure.%s", cam->name);
            sf_rng_init(&c->cams[i].failure, cfg->scenario.seed, name);
            snprintf(name, sizeof name, "camera.repair.%s", cam->name);
            sf_rng_init(&c->cams[i].repair, cfg->scenario.seed, name);
        }
    }
    return c;
}

void sf_cameras_free(sf_cameras *c)
{
    free(c ? c->block : NULL);
    free(c);
}

int sf_cameras_next(sf_cameras *c, uint32_t i)
{
    const sf_cfg_camera *cfg = &c->cfg->safety.cameras[i];
    struct camera *cam = &c->cams[i];
    double dt = cam->up ? sf_dist_sample(&cfg->mtbf, &cam->failure) : sf_dist_sample(&cfg->mttr, &cam->repair);
    sf_time t;

    if (!(dt >= 0) || sf_time_from_seconds(dt, &t) != SF_OK)
        return SF_ERANGE;
    return sf_kernel_after(c->k, t, 0, c->kind, i, &cam->ev);
}

int sf_cameras_start(sf_cameras *c)
{
    for (uint32_t i = 0; i < c->n; i++)
        if (c->cfg->safety.cameras[i].fails) {
            int rc = sf_cameras_next(c, i);
            if (rc != SF_OK)
                return rc;
        }
    return SF_OK;
}

void sf_cameras_flip(sf_cameras *c, uint32_t cam)
{
    c->cams[cam].ev = 0;
    c->cams[cam].up = !c->cams[cam].up;
}

int sf_cameras_hold(sf_cameras *c, uint32_t cam, bool down)
{
    if (cam >= c->n || (!down && c->cams[cam].held == 0))
        return SF_EINVAL;
    c->cams[cam].held += down ? 1 : (uint32_t)-1;
    return SF_OK;
}

bool sf_cameras_up(const sf_cameras *c, uint32_t cam) { return cam < c->n && c->cams[cam].up && !c->cams[cam].held; }

bool sf_cameras_watching(const sf_cameras *c, double x, double y)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->cams[i].up && !c->cams[i].held && sf_safety_camera_contains(c->cfg, i, x, y))
            return true;
    return false;
}

bool sf_cameras_tracking(const sf_cameras *c)
{
    return c->tracking;
}

/* A pass of the person into camera i's sector begins: detected (seen at once or after its latency) or missed. */
static void pass_begins(sf_cameras *c, size_t i, size_t at, bool counted)
{
    const sf_cfg_camera *cam = &c->cfg->safety.cameras[i];
    bool miss = cam->miss > 0 && sf_rng_uniform(&c->cams[i].detect) < cam->miss;
    int rc;

    c->state[at] |= COVERED | (miss ? MISSED : 0);
    if (counted && cam->miss > 0) {
        c->cams[i].passes++;
        c->cams[i].missed += miss;
    }
    if (miss)
        return;
    if (cam->latency <= 0)
        c->state[at] |= SEEN;
    else if ((rc = sf_kernel_after(c->k, cam->latency, 0, c->kind, (uint32_t)(c->n + at), &c->seen_ev[at])) != SF_OK)
        sf_kernel_fail(c->k, rc);
}

void sf_cameras_pass(sf_cameras *c, uint32_t person, double x, double y, bool counted)
{
    for (size_t i = 0; c->tracking && i < c->n; i++) {
        size_t at = (size_t)person * c->n + i;
        bool zones = sf_safety_camera_in_zones(c->cfg, i, x, y);
        bool in = zones && sf_safety_camera_sector(&c->cfg->safety.cameras[i], x, y);
        if (in && !(c->state[at] & COVERED)) {
            pass_begins(c, i, at, counted);
        } else if (!in && (c->state[at] & COVERED)) {
            c->state[at] = 0; /* the pass ends */
            if (c->seen_ev[at])
                sf_kernel_cancel(c->k, c->seen_ev[at]);
            c->seen_ev[at] = 0;
        }
        c->state[at] = (uint8_t)((c->state[at] & ~IN_ZONES) | (zones ? IN_ZONES : 0));
    }
}

uint32_t sf_cameras_seen(sf_cameras *c, uint32_t target)
{
    size_t at = target - c->n;

    c->seen_ev[at] = 0;
    c->state[at] |= SEEN;
    return (uint32_t)(at / c->n);
}

bool sf_cameras_sees(const sf_cameras *c, uint32_t person, size_t cam)
{
    return c->tracking ? sf_cameras_up(c, (uint32_t)cam) && (c->state[(size_t)person * c->n + cam] & SEEN)
                       : sf_cameras_up(c, (uint32_t)cam);
}

bool sf_cameras_unseen(const sf_cameras *c, uint32_t person, uint64_t cover)
{
    bool inside = false;

    for (size_t i = 0; c->tracking && i < c->n && i < 64; i++) {
        if (!(cover >> i & 1) || !sf_cameras_up(c, (uint32_t)i))
            continue;
        if (c->state[(size_t)person * c->n + i] & SEEN)
            return false;
        inside |= (c->state[(size_t)person * c->n + i] & IN_ZONES) != 0;
    }
    return inside;
}

/* `from` closed up to `now`, after the warm-up `measure_from`. */
static sf_time span(sf_time from, sf_time now, sf_time measure_from)
{
    from = from > measure_from ? from : measure_from;
    return now > from ? now - from : 0;
}

void sf_cameras_account(sf_cameras *c, uint32_t person, sf_time now, sf_time measure_from, bool plant,
                        uint64_t mask)
{
    sf_time dt = span(c->unc_since[person], now, measure_from);

    if (c->unc_plant[person])
        c->plant_uncovered += dt;
    for (size_t i = 0; i < c->n && i < 64; i++)
        if (c->unc_mask[person] >> i & 1)
            c->cams[i].uncovered += dt;
    c->unc_since[person] = now;
    c->unc_plant[person] = plant;
    c->unc_mask[person] = mask;
}

sf_time sf_cameras_uncovered(const sf_cameras *c, size_t cam, sf_time now, sf_time measure_from)
{
    sf_time t = cam == SIZE_MAX ? c->plant_uncovered : cam < c->n ? c->cams[cam].uncovered : 0;

    for (uint32_t p = 0; p < c->npeople && (cam == SIZE_MAX || cam < c->n); p++)
        if (cam == SIZE_MAX ? c->unc_plant[p] : (cam < 64 && (c->unc_mask[p] >> cam & 1)))
            t += span(c->unc_since[p], now, measure_from);
    return t;
}

void sf_cameras_stats(const sf_cameras *c, size_t cam, uint64_t *passes, uint64_t *missed)
{
    bool ok = cam < c->n;

    *passes = ok ? c->cams[cam].passes : 0;
    *missed = ok ? c->cams[cam].missed : 0;
}
