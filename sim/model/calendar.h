/*
 * calendar.h: who is at work when, from the scenario's shifts and rosters.
 *
 * Time 0 is the scenario's start date and clock time; a shift starts on
 * the days it lists, at its clock time, and lasts its length (past
 * midnight if need be); its breaks are clock times within it. An agent
 * type is present while any shift of its roster is on and that shift is
 * not on a break; a type without a roster is always present.
 *
 * Cost: each call looks at the roster's shifts over the nine days around
 * `t`, O(shifts x breaks); it is called once per change of presence.
 */
#ifndef SF_MODEL_CALENDAR_H
#define SF_MODEL_CALENDAR_H

#include "core/time.h"
#include "model/observe.h"
#include "model/config.h"

/*
 * Presence of fleet entry `type` at time t: SF_STATE_IDLE (present),
 * SF_STATE_OFF_SHIFT or SF_STATE_ON_BREAK, and in *until the next time
 * any shift or break of its roster starts or ends (SF_TIME_MAX when none
 * ever does). Presence may be the same on both sides of that time.
 */
sf_state sf_calendar_at(const sf_scenario_config *cfg, int type, sf_time t, sf_time *until);

/*
 * The plant's base load in W at time t (energy.base_load, or the band of
 * energy.base_schedule in force on that day of the week at that clock
 * time), and in *until the next start of a band after t (SF_TIME_MAX
 * without a schedule). O(bands).
 */
double sf_calendar_base_load(const sf_scenario_config *cfg, sf_time t, sf_time *until);

#endif
