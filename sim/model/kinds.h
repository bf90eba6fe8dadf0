/*
 * kinds.h: the enumerations the config and the model share, each with
 * its one table of names.
 *
 * Agent kinds, power states and storage policies are written by name in
 * a scenario, kept as these numbers in the config and the model, and
 * shown by name again in scripts, metrics, reports and the viewer. Each
 * name is written here once: the scenario parser reads the tables (they
 * end with NULL, as the parser's enum readers expect) and everyone else
 * asks the *_name functions.
 */
#ifndef SF_MODEL_KINDS_H
#define SF_MODEL_KINDS_H

typedef enum sf_agent_kind {
    SF_AGENT_FORKLIFT,
    SF_AGENT_AGV,
    SF_AGENT_ARM,
    SF_AGENT_HUMANOID,
    SF_AGENT_WORKER,
    SF_AGENT_KINDS
} sf_agent_kind;

/* The kinds that drive (a product's transport names these or people, never both). */
#define SF_VEHICLE_KINDS ((1u << SF_AGENT_FORKLIFT) | (1u << SF_AGENT_AGV))

/* "forklift", "agv", "arm", "humanoid", "worker", then NULL. */
extern const char *const sf_agent_kind_names[SF_AGENT_KINDS + 1];

/* The scenario's name of a kind, "?" for a number out of range. */
const char *sf_agent_kind_name(sf_agent_kind kind);

/*
 * Power states every powered thing is in one of at a time (energy is
 * power times time in each; model/energy.h integrates it). A fleet
 * entry's power table is indexed by these.
 */
typedef enum sf_power_state {
    SF_POWER_OFF,
    SF_POWER_STANDBY,
    SF_POWER_IDLE,
    SF_POWER_MOVING,
    SF_POWER_MOVING_LOADED,
    SF_POWER_LIFTING,
    SF_POWER_WORKING,
    SF_POWER_CHARGING,
    SF_POWER_FAILED,
    SF_POWER_SETUP, /* stations only: changing over between products (power_setup) */
    SF_POWER_STATES
} sf_power_state;

/* "off", "standby", ..., "failed", "setup", then NULL. */
extern const char *const sf_power_state_names[SF_POWER_STATES + 1];

/* The name of a power state, "?" for a number out of range. */
const char *sf_power_state_name(sf_power_state s);

/*
 * How a battery charges (model/energy.h): at constant power to the
 * target (the default, so it is 0); Li-ion, constant power to its knee
 * then a stepped constant-voltage taper; lead-acid, constant power, then
 * a cool-down standing at the charger.
 */
typedef enum sf_battery_chemistry {
    SF_CHEMISTRY_CONSTANT,
    SF_CHEMISTRY_LI_ION,
    SF_CHEMISTRY_LEAD_ACID,
    SF_CHEMISTRIES
} sf_battery_chemistry;

/* "constant", "li_ion", "lead_acid", then NULL. */
extern const char *const sf_battery_chemistry_names[SF_CHEMISTRIES + 1];

/*
 * When a battery vehicle goes to a charger (scripts/charging.lua): below
 * charge_below only; also to top up when idle; or both, avoiding the
 * tariff's peak bands (docs/scenario-format.md, battery `charging`).
 */
typedef enum sf_charging_rule {
    SF_CHARGING_THRESHOLD,
    SF_CHARGING_OPPORTUNITY,
    SF_CHARGING_OFF_PEAK,
    SF_CHARGING_RULES
} sf_charging_rule;

/* "threshold", "opportunity", "off_peak", then NULL. */
extern const char *const sf_charging_rule_names[SF_CHARGING_RULES + 1];

/*
 * Where put-away stores loads (model/storage.h): the free cell closest
 * to the reference node, the first free cell in rack order, or by ABC
 * class (A closest). Closest is the default, so it is 0.
 */
typedef enum sf_storage_policy {
    SF_STORE_CLOSEST,
    SF_STORE_FIRST_FREE,
    SF_STORE_CLASS_ABC,
    SF_STORE_POLICIES
} sf_storage_policy;

/* "closest", "first_free", "abc", then NULL. */
extern const char *const sf_storage_policy_names[SF_STORE_POLICIES + 1];

#endif
