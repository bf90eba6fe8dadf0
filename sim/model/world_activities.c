/*
 * world_activities.c: what a behaviour asks an agent to do (move, pick,
 * drop, pause, charge, swap a battery, a crane cycle): checked, started,
 * and ended by the world's events (world.c).
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "model/cranes.h"
#include "model/world_int.h"

/* ---- activities -------------------------------------------------------- */

static sf_agent *idle_agent(sf_world *w, uint32_t id)
{
    if (id >= w->nagents || w->agents[id].activity != SF_ACT_NONE)
        return NULL;
    return &w->agents[id];
}

int sf_world_move_to(sf_world *w, uint32_t id, uint32_t node)
{
    sf_agent *a = idle_agent(w, id);
    int rc;

    if (!a || a->mover == SF_NO_AGENT)
        return SF_EINVAL;
    a->activity = SF_ACT_MOVE;
    if ((rc = sf_movers_move_to(w->movers, a->mover, node, a->loaded)) != SF_OK)
        a->activity = SF_ACT_NONE;
    else
        sf__world_operating(w, id, SF_ACT_MOVE, true);
    return rc;
}

int sf_world_hold(sf_world *w, uint32_t id, sf_state s)
{
    if (!idle_agent(w, id) || (s != SF_STATE_WORKING && s != SF_STATE_WAIT_PERSON && s != SF_STATE_IDLE))
        return SF_EINVAL;
    sf__world_show(w, id, s == SF_STATE_WORKING ? SF_POWER_WORKING : SF_POWER_IDLE, s);
    return SF_OK;
}

/* A timed activity; one started under repair (a pick, drop or charge) waits for the repair, then takes all of dt. */
int sf__world_timed(sf_world *w, uint32_t id, sf_activity what, sf_time dt, sf_power_state s, sf_state st)
{
    sf_agent *a = &w->agents[id];
    int rc;

    if (sf__world_suspends(what) && sf__world_agent_down(w, id)) {
        a->left = dt;
        a->activity = what;
        sf__world_show(w, id, s, st);
        return SF_OK;
    }
    if ((rc = sf_time_add(sf_kernel_now(w->k), dt, &a->until)) != SF_OK ||
        (rc = sf_kernel_at(w->k, a->until, 0, w->kind_activity, id, &a->timer)) != SF_OK)
        return rc;
    a->activity = what;
    sf__world_show(w, id, s, st);
    return SF_OK;
}

/*
 * Forks up to `height` at lift_speed in the lifting power state, then down
 * again at lift_speed and the handling time in the working state: lowering
 * is not charged as lifting (docs/scenario-format.md, fleet `power`). Two
 * timed phases, so a failure suspends either exactly.
 */
static int handle(sf_world *w, uint32_t id, double height, bool pick)
{
    sf_agent *a = idle_agent(w, id);
    sf_time rest, lift;
    int rc;

    if (!a || a->kind == SF_AGENT_ARM || a->loaded == pick || !(height >= 0))
        return SF_EINVAL;
    if (height > a->lift_height + 1e-9)
        return SF_ERANGE;
    if (sf_time_from_seconds(height / a->lift_speed, &lift) != SF_OK || sf_time_add(lift, a->handling, &rest) != SF_OK)
        return SF_ERANGE;
    a->then = lift > 0 ? rest : 0;
    a->then_power = SF_POWER_WORKING;
    if ((rc = sf__world_timed(w, id, pick ? SF_ACT_PICK : SF_ACT_DROP, lift > 0 ? lift : rest,
                    lift > 0 ? SF_POWER_LIFTING : SF_POWER_WORKING, SF_STATE_HANDLING)) == SF_OK)
        sf__world_operating(w, id, pick ? SF_ACT_PICK : SF_ACT_DROP, true);
    return rc;
}

int sf_world_pick(sf_world *w, uint32_t id, double height)
{
    return handle(w, id, height, true);
}

int sf_world_drop(sf_world *w, uint32_t id, double height)
{
    return handle(w, id, height, false);
}

int sf_world_pause(sf_world *w, uint32_t id, sf_time dt)
{
    if (!idle_agent(w, id) || dt < 0)
        return SF_EINVAL;
    return sf__world_timed(w, id, SF_ACT_PAUSE, dt, SF_POWER_IDLE, SF_STATE_IDLE);
}

/*
 * Charging takes exactly the time the meter needs to store the missing
 * energy at the charging rate; the event at its end finds the battery at
 * the target (to the nanosecond of rounding up).
 */
int sf_world_charge(sf_world *w, uint32_t id, double to, double charger_power)
{
    sf_agent *a = idle_agent(w, id);
    const sf_cfg_battery *B;
    double rate, seconds;
    sf_time dt;

    if (!a || a->meter.capacity <= 0 || !(to > 0 && to <= 1) || !(charger_power > 0))
        return SF_EINVAL;
    sf_meter_update(&a->meter, sf_kernel_now(w->k));
    if (a->meter.charge_power <= 0)
        return SF_EINVAL;
    rate = fmin(a->meter.charge_power, charger_power);
    a->charge_power = a->meter.charge_power;
    a->meter.charge_power = rate; /* the charger limits the draw while this lasts */
    seconds = sf_meter_charge_seconds(&a->meter, a->meter.charge, fmax(a->meter.charge, to * a->meter.capacity));
    if (sf_time_from_seconds(seconds, &dt) != SF_OK) {
        a->meter.charge_power = a->charge_power;
        return SF_ERANGE;
    }
    B = &w->cfg->fleet.types[a->type].battery;
    if (B->rule == SF_CHARGING_OFF_PEAK) { /* a charge started off peak stops where a peak band starts */
        sf_time now = sf_kernel_now(w->k), peak = sf_tariff_next_peak(&w->cfg->energy,
                                                                       w->cfg->scenario.start_time_of_day, now);
        if (peak > now && peak - now <= dt)
            dt = peak - now - 1; /* ends at the band's start (dt + 1 below) */
    }
    a->then = B->chemistry == SF_CHEMISTRY_LEAD_ACID ? B->cool_down : 0;
    a->then_power = SF_POWER_STANDBY;
    return sf__world_timed(w, id, SF_ACT_CHARGE, dt + 1, SF_POWER_CHARGING, SF_STATE_CHARGING);
}

int sf_world_swap(sf_world *w, uint32_t id)
{
    sf_agent *a = idle_agent(w, id);
    sf_time now = sf_kernel_now(w->k), ready;
    sf_packs *p;
    uint32_t i;

    if (!a || a->meter.capacity <= 0 || (p = &w->packs[a->type])->n == 0)
        return SF_EINVAL;
    if ((i = sf_packs_reserve(p, now, &ready)) == UINT32_MAX)
        return SF_ELIMIT;
    a->pack = i;
    return sf__world_timed(w, id, SF_ACT_SWAP, ready - now + w->cfg->fleet.types[a->type].battery.swap, SF_POWER_IDLE,
                 SF_STATE_CHARGING);
}

int sf_world_crane_cycle(sf_world *w, uint32_t rack, int level, double seconds)
{
    return sf_cranes_cycle(w->cranes, rack, level, seconds);
}

const sf_packs *sf_world_packs(const sf_world *w, int type)
{
    return type >= 0 && (size_t)type < w->cfg->fleet.n_types && w->packs[type].n > 0 ? &w->packs[type] : NULL;
}

int sf_world_rest(sf_world *w, uint32_t id)
{
    sf_time until;
    sf_state s;

    if (!idle_agent(w, id) || (s = sf_world_shift(w, id, &until)) == SF_STATE_IDLE)
        return SF_EINVAL;
    if (until == SF_TIME_MAX) { /* gone for good: off, no end */
        if (!sf_world_gone(w, id))
            return SF_EINVAL;
        w->agents[id].activity = SF_ACT_REST;
        sf__world_show(w, id, SF_POWER_OFF, SF_STATE_OFF_SHIFT);
        return SF_OK;
    }
    return sf__world_timed(w, id, SF_ACT_REST, until - sf_kernel_now(w->k), s == SF_STATE_OFF_SHIFT ? SF_POWER_OFF : SF_POWER_IDLE,
                 s);
}

void sf_world_settle(sf_world *w, sf_time now)
{
    for (uint32_t i = 0; i < w->nagents; i++)
        sf_meter_update(&w->agents[i].meter, now);
    if (w->stations)
        sf_stations_settle(w->stations, now);
}
