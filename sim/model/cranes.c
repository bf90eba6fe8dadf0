#include "model/cranes.h"

#include <stdlib.h>

#include "core/error.h"
#include "core/mem.h"

#define NONE UINT32_MAX

struct crane {
    double draw, fed_back; /* W of the cycles under way */
    uint32_t running;      /* cycles under way */
};

struct cycle {
    uint32_t rack;
    double draw, fed_back; /* W */
    uint32_t next;         /* free list */
};

struct sf_cranes {
    sf_kernel *k;
    const sf_cfg_layout *L;
    sf_cranes_power power;
    void *ctx;
    uint32_t kind;
    struct cycle *cycles; /* by event target; ended ones reused through `free_head` */
    uint32_t n, cap, free_head;
    struct crane crane[]; /* per rack */
};

void sf_crane_cycle_energy(const sf_cfg_rack *R, int level, double seconds, double *drawn, double *fed_back)
{
    double h = level >= 0 && level < R->levels ? R->level_height[level] : 0, work = R->crane_mass * SF_GRAVITY * h;
    double eff = R->crane_efficiency > 0 ? R->crane_efficiency : 1;

    *drawn = R->crane_travel * seconds + work / eff;
    *fed_back = R->crane_regeneration * eff * work;
}

/* Tell the ledger the crane's power now: idle when no cycle runs (exact zeros, no leftover of sums). */
static void tell(sf_cranes *c, uint32_t r, sf_time now)
{
    struct crane *x = &c->crane[r];

    if (!x->running)
        x->draw = x->fed_back = 0;
    c->power(c->ctx, r, x->running ? x->draw : c->L->racks[r].crane_idle, x->fed_back, now);
}

static void on_cycle_end(sf_kernel *k, void *ctx, const sf_event *ev)
{
    sf_cranes *c = ctx;
    struct cycle *y = &c->cycles[ev->target];
    struct crane *x = &c->crane[y->rack];

    x->draw -= y->draw;
    x->fed_back -= y->fed_back;
    x->running--;
    tell(c, y->rack, sf_kernel_now(k));
    y->next = c->free_head;
    c->free_head = ev->target;
}

sf_cranes *sf_cranes_new(sf_kernel *k, const sf_cfg_layout *L, sf_cranes_power power, void *ctx)
{
    sf_cranes *c = sf_calloc(1, sizeof *c + L->n_racks * sizeof c->crane[0]);
    int kind;

    if (!c || (kind = sf_kernel_add_kind(k, "crane.cycle", on_cycle_end, c)) < 0) {
        free(c);
        return NULL;
    }
    c->k = k;
    c->L = L;
    c->power = power;
    c->ctx = ctx;
    c->kind = (uint32_t)kind;
    c->free_head = NONE;
    return c;
}

/* The number (the event's target) of a cycle record to fill: an ended one, or a new one; NONE out of memory. */
static uint32_t take(sf_cranes *c)
{
    uint32_t id = c->free_head;

    if (id != NONE) {
        c->free_head = c->cycles[id].next;
        return id;
    }
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? 2 * c->cap : 8;
        struct cycle *v = sf_realloc(c->cycles, cap * sizeof *v);
        if (!v)
            return NONE;
        c->cycles = v;
        c->cap = cap;
    }
    return c->n++;
}

int sf_cranes_cycle(sf_cranes *c, uint32_t rack, int level, double seconds)
{
    const sf_cfg_rack *R;
    struct crane *x;
    double drawn, fed_back;
    sf_time dt, end;
    uint32_t id;
    int rc;

    if (rack >= c->L->n_racks || (R = &c->L->racks[rack])->kind != SF_RACK_ASRS || level < 0 || level >= R->levels)
        return SF_EINVAL;
    sf_crane_cycle_energy(R, level, seconds, &drawn, &fed_back);
    if (!(seconds > 0) || (drawn <= 0 && fed_back <= 0))
        return SF_OK; /* a crane without power figures draws nothing and schedules nothing */
    if ((rc = sf_time_from_seconds(seconds, &dt)) != SF_OK || (rc = sf_time_add(sf_kernel_now(c->k), dt, &end)) != SF_OK)
        return rc;
    if ((id = take(c)) == NONE)
        return SF_ENOMEM;
    c->cycles[id] = (struct cycle){rack, drawn / seconds, fed_back / seconds, NONE};
    if ((rc = sf_kernel_at(c->k, end, 0, c->kind, id, NULL)) != SF_OK) {
        c->cycles[id].next = c->free_head;
        c->free_head = id;
        return rc;
    }
    x = &c->crane[rack];
    x->draw += c->cycles[id].draw;
    x->fed_back += c->cycles[id].fed_back;
    x->running++;
    tell(c, rack, sf_kernel_now(c->k));
    return SF_OK;
}

void sf_cranes_free(sf_cranes *c)
{
    if (c)
        free(c->cycles);
    free(c);
}
