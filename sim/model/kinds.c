#include "model/kinds.h"

#include <stddef.h>

const char *const sf_agent_kind_names[SF_AGENT_KINDS + 1] = {"forklift", "agv", "arm", "humanoid", "worker", NULL};

const char *const sf_power_state_names[SF_POWER_STATES + 1] = {
    "off", "standby", "idle", "moving", "moving_loaded", "lifting", "working", "charging", "failed", "setup", NULL};

const char *const sf_battery_chemistry_names[SF_CHEMISTRIES + 1] = {"constant", "li_ion", "lead_acid", NULL};

const char *const sf_charging_rule_names[SF_CHARGING_RULES + 1] = {"threshold", "opportunity", "off_peak", NULL};

const char *const sf_storage_policy_names[SF_STORE_POLICIES + 1] = {"closest", "first_free", "abc", NULL};

const char *sf_agent_kind_name(sf_agent_kind kind)
{
    return (unsigned)kind < SF_AGENT_KINDS ? sf_agent_kind_names[kind] : "?";
}

const char *sf_power_state_name(sf_power_state s)
{
    return (unsigned)s < SF_POWER_STATES ? sf_power_state_names[s] : "?";
}
