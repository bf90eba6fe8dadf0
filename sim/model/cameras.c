/*
 * cameras.c: the safety cameras of a running plant: up or down, and the
 * passes they miss.
 */
#include "model/cameras.h"

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
};

struct sf_cameras {
    sf_kernel *k;
    const sf_scenario_config *cfg;
    uint32_t kind;
    size_t n;
    void *block;     /* cams and state */
    struct camera *cams;
    uint8_t *state;  /* [person * n + camera]: bit 0 inside its zones, bit 1 missed this pass */
    bool detecting;  /* some camera may miss a person */
};

sf_cameras *sf_cameras_new(sf_kernel *k, const sf_scenario_config *cfg, uint32_t npeople, uint32_t kind)
{
    size_t n = cfg->safety.n_cameras;
    sf_cameras *c = SF_NEW(sf_cameras, .k = k, .cfg = cfg, .kind = kind, .n = n);

    if (!c || !(c->block = SF_PARTS(SF_PART(c->cams, n), SF_PART(c->state, (size_t)npeople * n)))) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const sf_cfg_camera *cam = &cfg->safety.cameras[i];
        char name[256];
        c->cams[i].up = true;
        if (cam->miss > 0) {
            c->detecting = true;
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

bool sf_cameras_detecting(const sf_cameras *c)
{
    return c->detecting;
}

void sf_cameras_pass(sf_cameras *c, uint32_t person, double x, double y, bool counted)
{
    for (size_t i = 0; c->detecting && i < c->n; i++) {
        const sf_cfg_camera *cam = &c->cfg->safety.cameras[i];
        uint8_t *st = &c->state[(size_t)person * c->n + i];
        bool in;
        if (!(cam->miss > 0))
            continue;
        in = sf_safety_camera_contains(c->cfg, i, x, y);
        if (in && !(*st & 1)) {
            bool miss = sf_rng_uniform(&c->cams[i].detect) < cam->miss;
            *st = (uint8_t)(1 | (miss ? 2 : 0));
            if (counted) {
                c->cams[i].passes++;
                c->cams[i].missed += miss;
            }
        } else if (!in) {
            *st = 0;
        }
    }
}

bool sf_cameras_missed(const sf_cameras *c, uint32_t person, uint64_t cover)
{
    bool any = false;

    for (size_t i = 0; c->detecting && i < c->n && i < 64; i++) {
        uint8_t st;
        if (!(cover >> i & 1) || !c->cams[i].up || c->cams[i].held)
            continue;
        st = c->state[(size_t)person * c->n + i];
        if (!(st & 1) || !(st & 2))
            return false;
        any = true;
    }
    return any;
}

void sf_cameras_stats(const sf_cameras *c, size_t cam, uint64_t *passes, uint64_t *missed)
{
    bool ok = cam < c->n;

    *passes = ok ? c->cams[cam].passes : 0;
    *missed = ok ? c->cams[cam].missed : 0;
}
