#include "model/speed_power.h"

#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/motion.h"

struct sf_speed_power {
    sf_kernel *k;
    sf_movers *ms;
    sf_speed_fn fn;
    void *ctx;
    uint32_t kind;
    sf_event_id *ev; /* per mover: the end of its current phase */
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

/* Tell the owner where the mover's speed stands and follow it to the end of the phase. */
static void follow(sf_speed_power *sp, uint32_t id, sf_time now)
{
    const sf_motion *m;
    sf_time end;
    double v, a = 0;
    uint32_t i;
    int rc;

    if (sp->ev[id]) {
        sf_kernel_cancel(sp->k, sp->ev[id]);
        sp->ev[id] = 0;
    }
    if (sf_movers_state(sp->ms, id) != SF_MOVER_MOVING || !(m = sf_movers_motion(sp->ms, id)) || m->n == 0)
        return;
    sf_motion_position(m, now, &v);
    i = phase_at(m, now, &end);
    if (end > now)
        a = m->phases[i].a;
    if (sp->fn(sp->ctx, id, v, a, now) && end > now && end < m->end &&
        (rc = sf_kernel_at(sp->k, end, 0, sp->kind, id, &sp->ev[id])) != SF_OK)
        sf_kernel_fail(sp->k, rc);
}

static void on_motion(void *ctx, uint32_t mover, sf_time now)
{
    follow(ctx, mover, now);
}

static void on_phase(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_speed_power *sp = ctx;

    (void)k;
    sp->ev[ev->target] = 0;
    follow(sp, ev->target, ev->time);
}

sf_speed_power *sf_speed_power_new(sf_kernel *k, sf_movers *ms, uint32_t n, sf_speed_fn fn, void *ctx)
{
    sf_speed_power *sp = SF_NEW(sf_speed_power, .k = k, .ms = ms, .fn = fn, .ctx = ctx);

    if (!sp)
        return NULL;
    if (!(sp->ev = sf_calloc(n ? n : 1, sizeof *sp->ev)) ||
        SF_KERNEL_ADD_KINDS(k, sp, {"mover.phase", on_phase, &sp->kind}) != SF_OK ||
        sf_movers_watch(ms, on_motion, sp) != SF_OK) {
        free(sp->ev);
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
    free(sp->ev);
    free(sp);
}
