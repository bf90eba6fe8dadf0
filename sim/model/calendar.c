/*
 * calendar.c: presence from shifts, breaks and rosters.
 */
#include "model/calendar.h"

#define DAY SF_DAY

static void earliest(sf_time *until, sf_time t, sf_time edge)
{
    if (edge > t && edge < *until)
        *until = edge;
}

sf_state sf_calendar_at(const sf_scenario_config *cfg, int type, sf_time t, sf_time *until)
{
    const sf_cfg_roster *r = NULL;
    const sf_cfg_scenario *sc = &cfg->scenario;
    sf_time clock = t + sc->start_time_of_day; /* time since midnight of the start date */
    int64_t today = clock / DAY;
    bool on = false, pause = false;

    *until = SF_TIME_MAX;
    for (size_t i = 0; i < cfg->shifts.n_rosters; i++)
        if (cfg->shifts.rosters[i].agent_type == type)
            r = &cfg->shifts.rosters[i];
    if (!r)
        return SF_STATE_IDLE;
    for (size_t i = 0; i < r->n_shifts; i++) {
        const sf_cfg_shift *sh = &cfg->shifts.shifts[r->shifts[i]];
        for (int64_t d = today - 1; d <= today + 8; d++) {
            int weekday = (int)((sc->start_weekday + d % 7 + 7) % 7);
            sf_time from = d * DAY + sh->start, to = from + sh->length;
            bool in_break = false;
            if (!(sh->days & (1u << weekday)))
                continue;
            earliest(until, clock, from);
            earliest(until, clock, to);
            for (size_t b = 0; b < sh->n_breaks; b++) {
                /* a break clock time before the shift's start is on the next day */
                sf_time bs = d * DAY + sh->breaks[b].start + (sh->breaks[b].start < sh->start ? DAY : 0);
                sf_time be = bs + sh->breaks[b].length;
                earliest(until, clock, bs);
                earliest(until, clock, be);
                in_break |= clock >= bs && clock < be;
            }
            if (clock >= from && clock < to) {
                if (in_break)
                    pause = true;
                else
                    on = true;
            }
        }
    }
    if (*until != SF_TIME_MAX)
        *until -= sc->start_time_of_day;
    return on ? SF_STATE_IDLE : pause ? SF_STATE_ON_BREAK : SF_STATE_OFF_SHIFT;
}

double sf_calendar_base_load(const sf_scenario_config *cfg, sf_time t, sf_time *until)
{
    const sf_cfg_energy *E = &cfg->energy;
    sf_time c = cfg->scenario.start_time_of_day + t, tod = c % SF_DAY, best = -1, next = SF_DAY;
    int d = (int)((cfg->scenario.start_weekday + c / SF_DAY) % 7); /* 0 = Monday */
    double p = E->base_load;

    for (size_t i = 0; i < E->n_base_schedule; i++) {
        const sf_cfg_base_band *b = &E->base_schedule[i];
        if (!(b->days >> d & 1))
            continue;
        if (b->from <= tod && b->from >= best) {
            best = b->from;
            p = b->power;
        } else if (b->from > tod && b->from < next) {
            next = b->from;
        }
    }
    if (until)
        *until = E->n_base_schedule ? c - tod + next - cfg->scenario.start_time_of_day : SF_TIME_MAX;
    return p;
}
