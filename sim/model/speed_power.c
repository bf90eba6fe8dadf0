#include "model/speed_power.h"

#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/motion.h"

/* A mover's meter steps, two buffers in turn: the one the meter (or a copy) may still read is never rewritten. */
typedef struct steps {
    sf_meter_step *s[2];
    size_t cap[2];
    int cur;
} steps;

struct sf_speed_power {
    sf_kernel *k;
    sf_movers *ms;
    uint32_t n;
    sf_speed_fn fn;
    void *ctx;
    steps *out;           /* per mover */
    sf_speed_step *speed; /* scratch: the later phases of the motion being told */
    size_t cap;
};

/* The phase of `m` running at `now` (the last one started) and when it ends. */
static uint32_t phase_at(const sf_motion *m, sf_time now, sf_time *end)
{
    uint32_t lo = 0, hi = m->n; /* the first phase starting after now, by bisection */

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->phases[mid].start <= now)
            lo = mid + 1;
        else
            hi = mid;
    }
    *end = lo < m->n ? m->phases[lo].start : m->end;
    return lo > 0 ? lo - 1 : 0;
}

/* Speed at `t` and the acceleration of the phase running then (0 when it lasts no time). */
static sf_time speed_at(const sf_motion *m, sf_time t, double *v, double *a)
{
    sf_time end;
    uint32_t i = phase_at(m, t, &end);

    sf_motion_position(m, t, v);
    *a = end > t ? m->phases[i].a : 0;
    return end;
}

/* Tell the owner the mover's plan from `now`: each later phase start before the end of the motion. */
static void follow(sf_speed_power *sp, uint32_t id, sf_time now)
{
    const sf_motion *m;
    sf_speed_plan p = {0};
    steps *o = &sp->out[id];
    sf_time end;
    uint32_t n = 0;
    int b = !o->cur;

    if (sf_movers_state(sp->ms, id) != SF_MOVER_MOVING || !(m = sf_movers_motion(sp->ms, id)) || m->n == 0) {
        sp->fn(sp->ctx, id, &p, now);
        return;
    }
    if (sf_grow(sp->speed, sp->cap, m->n) != SF_OK || sf_grow(o->s[b], o->cap[b], m->n) != SF_OK) {
        sf_kernel_fail(sp->k, SF_ENOMEM);
        return;
    }
    p.moving = true;
    end = speed_at(m, now, &p.v, &p.a);
    while (end > now && end < m->end) {
        sf_speed_step *s = &sp->speed[n++];
        s->at = end;
        end = speed_at(m, s->at, &s->v, &s->a);
    }
    p.steps = sp->speed;
    p.n = n;
    p.out = o->s[b];
    o->cur = b;
    sp->fn(sp->ctx, id, &p, now);
}

static void on_motion(void *ctx, uint32_t mover, sf_time now)
{
    follow(ctx, mover, now);
}

sf_speed_power *sf_speed_power_new(sf_kernel *k, sf_movers *ms, uint32_t n, sf_speed_fn fn, void *ctx)
{
    sf_speed_power *sp = SF_NEW(sf_speed_power, .k = k, .ms = ms, .n = n, .fn = fn, .ctx = ctx);

    if (!sp)
        return NULL;
    if (!(sp->out = sf_calloc(n ? n : 1, sizeof *sp->out)) || sf_movers_watch(ms, on_motion, sp) != SF_OK) {
        free(sp->out);
        free(sp);
        return NULL;
    }
    return sp;
}

void sf_speed_power_free(sf_speed_power *sp)
{
    if (!sp)
        return;
    sf_movers_unwatch(sp->ms, on_motion, sp);
    for (uint32_t i = 0; i < sp->n; i++) {
        free(sp->out[i].s[0]);
        free(sp->out[i].s[1]);
    }
    free(sp->out);
    free(sp->speed);
    free(sp);
}
