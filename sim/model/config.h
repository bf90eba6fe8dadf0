/*
 * config.h: a validated scenario as plain C values.
 *
 * The model owns these types and the scenario layer (sim/scenario) fills
 * them, so the model never sees YAML or the loader. This is what the
 * loader hands to the model builder: no YAML types, no
 * text to parse again. Quantities are in SI units (s, m, m/s, W, J, kg,
 * currency per J or per s) and durations in sf_time nanoseconds;
 * references between sections are resolved to indices into the arrays
 * here; distributions are sf_dist values. Every named entity carries
 * the place it was defined, so the model can still report a problem
 * with `file:line:col`.
 *
 * All memory belongs to the sf_scenario_config and is released by
 * whoever filled it: sf_scenario_config_free for a loaded scenario
 * (scenario/scenario.h).
 */
#ifndef SF_MODEL_CONFIG_H
#define SF_MODEL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dist.h"
#include "core/time.h"
#include "model/kinds.h"

/* Where a value was written (file name owned by the config). */
typedef struct sf_cfg_place {
    const char *file;
    int line, col;
} sf_cfg_place;

/* ---- scenario ---------------------------------------------------------- */

typedef struct sf_cfg_scenario {
    const char *name, *description;
    uint64_t seed;
    sf_time horizon;  /* how long a run lasts */
    sf_time warmup;   /* statistics are reset at this time */
    int start_year, start_month, start_day; /* calendar date of time 0 */
    sf_time start_time_of_day;              /* clock time of time 0 */
    int start_weekday;                      /* 0 = Monday ... 6 = Sunday, from the date */
} sf_cfg_scenario;

/* ---- carbon: materials and fuels (docs/results.md, product carbon footprint) ---- */

/* One material in a unit of a product: cradle-to-gate emissions, not grid energy. */
typedef struct sf_cfg_material {
    const char *name;
    double mass;   /* kg per unit made */
    double factor; /* kg CO2e per kg of the material */
    sf_cfg_place at;
} sf_cfg_material;

/* A fuel a station burns while an operation runs (gas burners, furnaces): scope 1. */
typedef struct sf_cfg_fuel {
    const char *name; /* NULL: the station burns none */
    double power;     /* W of fuel (its energy content) burned from an operation's start to its end */
    double factor;    /* kg CO2e per J of fuel */
    sf_cfg_place at;
} sf_cfg_fuel;

/* ---- layout ------------------------------------------------------------ */

typedef struct sf_cfg_node {
    const char *name;
    double x, y; /* m */
    sf_cfg_place at;
} sf_cfg_node;

/* One directed or undirected edge of the path network (a `path` of k nodes gives k-1 segments). */
typedef struct sf_cfg_segment {
    int from, to;       /* node indices */
    bool two_way;
    double length;      /* m: given, or the straight distance between the nodes */
    double speed_limit; /* m/s; 0 = no limit beyond the vehicle's own */
    int capacity;       /* vehicles at once; 0 = no limit */
    sf_cfg_place at;
} sf_cfg_segment;

typedef enum sf_zone_kind {
    SF_ZONE_COLLABORATIVE, /* people and robots share it, robots follow the safety mode */
    SF_ZONE_PEOPLE_ONLY,
    SF_ZONE_ROBOTS_ONLY,
    SF_ZONE_AREA,          /* a named area with no rule of its own (occupancy loads, energy.occupancy) */
} sf_zone_kind;

typedef struct sf_cfg_zone {
    const char *name;
    sf_zone_kind kind;
    double *xy;      /* polygon corners x0, y0, x1, y1, ... in m */
    size_t n_points; /* >= 3 */
    double speed_limit; /* m/s for vehicles inside; 0 = none */
    sf_cfg_place at;
} sf_cfg_zone;

typedef enum sf_dock_kind { SF_DOCK_INBOUND, SF_DOCK_OUTBOUND, SF_DOCK_BOTH } sf_dock_kind;

typedef struct sf_cfg_dock {
    const char *name;
    int node;
    sf_dock_kind kind;
    int doors;
    sf_cfg_place at;
} sf_cfg_dock;

typedef enum sf_rack_kind { SF_RACK_RACK, SF_RACK_ASRS } sf_rack_kind;

typedef struct sf_cfg_rack {
    const char *name;
    sf_rack_kind kind;
    int node;                /* where vehicles (or the AS/RS's I/O point) meet it */
    int bays, levels, depth; /* slots = bays * levels * depth */
    double *level_height;    /* m, `levels` entries, ascending, level 0 first */
    sf_dist cycle_time;      /* AS/RS: one storage or retrieval; constant 0 for racks */
    sf_cfg_place at, heights_at;
    /* AS/RS crane power (model/cranes.h; docs/scenario-format.md, racks `crane`); all 0: it draws nothing */
    double crane_idle, crane_travel; /* W: standing; travel drives and controls through a cycle */
    double crane_mass;               /* kg raised and lowered in each cycle: carriage and load */
    double crane_efficiency;         /* share of the lift's electric energy that becomes height (default 85 %) */
    double crane_regeneration;       /* share of the lowering's energy fed back to the grid (default 0) */
} sf_cfg_rack;

typedef struct sf_cfg_charger {
    const char *name;
    int node;
    double power; /* W */
    int slots;
    sf_cfg_place at;
} sf_cfg_charger;

typedef struct sf_cfg_parking {
    const char *name;
    int node;
    int slots;
    sf_cfg_place at;
} sf_cfg_parking;

typedef struct sf_cfg_station {
    const char *name;
    const char *group; /* operations name a group; several stations may share one */
    int group_index;   /* index into sf_cfg_layout.groups */
    int node;
    int capacity;              /* parts processed at once */
    int buffer_in, buffer_out; /* places; 0 = none */
    double power_idle, power_busy; /* W, the station's own equipment */
    sf_cfg_fuel fuel;              /* scope 1 fuel burned during operations; name NULL: none */
    double power_setup;            /* W while changing over (the scenario's default: power_idle) */
    sf_cfg_place at;
} sf_cfg_station;

typedef struct sf_cfg_storage {
    sf_storage_policy policy; /* default closest */
    int from;               /* dock index distances are measured from; -1 = the first inbound dock */
    double share_a, share_b;/* ABC: shares of the cells, closest first (defaults 20 %, 30 %) */
} sf_cfg_storage;

/* How vehicles reserve the way ahead (see model/movers.h). */
typedef struct sf_cfg_traffic {
    bool corridors; /* reserve chains without junctions whole (default) or segment by segment */
    int lookahead;  /* segments (or corridors) reserved ahead, default 2 */
    bool reroute;   /* on a deadlock, back out and go round (default) or stop the run */
} sf_cfg_traffic;

typedef struct sf_cfg_layout {
    sf_cfg_node *nodes;
    size_t n_nodes;
    sf_cfg_segment *segments;
    size_t n_segments;
    sf_cfg_zone *zones;
    size_t n_zones;
    sf_cfg_dock *docks;
    size_t n_docks;
    sf_cfg_rack *racks;
    size_t n_racks;
    sf_cfg_charger *chargers;
    size_t n_chargers;
    sf_cfg_parking *parking;
    size_t n_parking;
    sf_cfg_station *stations;
    size_t n_stations;
    const char **groups; /* distinct station groups, in order of first use */
    size_t n_groups;
    sf_cfg_traffic traffic;
    sf_cfg_storage storage;
} sf_cfg_layout;

/* ---- fleet ------------------------------------------------------------- */

typedef struct sf_cfg_battery {
    bool present;
    double capacity;     /* J */
    double initial;      /* fraction 0..1 at time 0 */
    double charge_below; /* fraction: go to a charger under this */
    double charge_until; /* fraction: leave the charger at this */
    double charge_power; /* W drawn while charging (the charger may limit it) */
    sf_time swap;        /* > 0: at a charger the battery is swapped for a full spare in this time (model/packs.h) */
    int spares;          /* spare packs of a fleet entry that swaps (default 1 per agent) */
    /* charging (docs/scenario-format.md, `battery`) */
    double efficiency;   /* charge_efficiency: share of the grid's energy stored, (0, 1]; 0 (unset) = 1 */
    sf_battery_chemistry chemistry; /* default constant power */
    double cv_from;      /* Li-ion: fraction where the taper starts (default 80 %) */
    sf_time cool_down;   /* lead-acid: standing at the charger after each charge (default 8 h) */
    sf_charging_rule rule; /* `charging`; default opportunity for forklifts and AGVs, threshold otherwise */
} sf_cfg_battery;

/*
 * A robot's skill learning (model/skills.h, docs/production.md "Learning
 * robots"). A skill is a fleet entry's operation: (fleet entry, product,
 * operation). After n attempts at it, an attempt succeeds with
 * p(n) = limit - (limit - first) e^(-n / scale) and the operation takes
 * max(1, time_first (n + 1)^(-b)) times its time, b = -log2(progress).
 */
typedef struct sf_cfg_learning {
    bool on;              /* the fleet entry has a `learning` block */
    bool pooled;          /* experience shared by the fleet entry (default) or each robot's own */
    double success_first; /* p(0) */
    double success_limit; /* p(infinity) */
    double scale;         /* n0, attempts (> 0) */
    double time_first;    /* first attempt's time over the operation's time (>= 1, default 1) */
    double progress;      /* Wright's progress ratio in (0, 1] (default 1: no time learning) */
    int retries;          /* failed attempts of one operation retried before a person rescues it (default 3) */
    sf_time rescue_time;  /* a rescue's time, added to the operation's */
    const char *rescue_by; /* the skill of the person who rescues (default SF_RESCUE_SKILL) */
    sf_cfg_place at;      /* the block, for messages */
    sf_time period;       /* length of the periods of the success-rate series (default 1 h) */
} sf_cfg_learning;

/*
 * Programming a robot for a product (model/skills.h, docs/production.md
 * "Introducing a product"): before its first operation on a product's
 * variant a robot is programmed, `time` on the robot (a setup), and the
 * first run after it fails with `first_run_failure` (the operation is done
 * again). Defaults per instruction method: sf_programming_defaults.
 */
typedef enum sf_instruction { SF_TEACH_PENDANT, SF_OFFLINE_PROGRAMMING, SF_NATURAL_LANGUAGE, SF_INSTRUCTIONS } sf_instruction;

typedef struct sf_cfg_programming {
    bool on;                  /* the fleet entry has a `programming` block */
    sf_instruction method;
    sf_time time;             /* on the robot, per (product, operation) and variant */
    double first_run_failure; /* fraction 0..1 */
    const char *by;           /* the skill of the person who programs (engineer, operator) */
    sf_cfg_place at;          /* the block, for messages */
} sf_cfg_programming;

typedef struct sf_cfg_agent_type {
    const char *name;
    sf_agent_kind kind;
    int count;
    int home;           /* node index (mobile agents) or -1 */
    int home_station;   /* station index (arms) or -1 */
    double speed;       /* m/s, empty */
    double speed_loaded;/* m/s, carrying */
    double accel, decel;/* m/s^2 */
    double payload;     /* kg */
    double lift_height; /* m, forklifts: highest fork position */
    double lift_speed;  /* m/s, forklifts: forks up or down (default 0.4) */
    sf_time handling;   /* mobile agents: engaging or releasing a load (default 8 s) */
    double reach;       /* m, arms */
    /* vehicles (not workers): the protective field ahead, v field_response + v^2 / (2 decel) +
       field_clearance at speed v (docs/safety.md; defaults 0.3 s and 0.1 m) */
    sf_time field_response;
    double field_clearance;
    double power[SF_POWER_STATES]; /* W in each state */
    sf_cfg_battery battery;
    const char **skills;
    size_t n_skills;
    double cost_per_hour; /* currency per s of presence (name kept for the planner's word) */
    const char *behaviour; /* Lua script path, NULL for the default of the kind */
    double success_rate;   /* arms, humanoids: share of operations right first time (default 1) */
    bool vision;           /* `vision: true`: a vision-guided arm or humanoid (check warns at success 100 %) */
    sf_time retry_time;    /* added for each failed attempt */
    sf_cfg_learning learning; /* arms, humanoids: skill learning (on: replaces success_rate) */
    sf_cfg_programming programming; /* arms, humanoids: programmed per product variant */
    /* workers: fatigue F grows as 1 - (1 - F) e^(-rate t) while working, decays as F e^(-recovery t)
       otherwise; processing takes (1 + slowdown F) times as long. rate 0 = none. Per s. */
    double fatigue_rate, fatigue_recovery, fatigue_slowdown;
    /* its own pace (model/pace.h): an operation it works in takes time_factor times the routing's (human)
       time, drawn once per operation when it is a distribution; paced false = factor 1, nothing drawn */
    bool paced;
    sf_dist time_factor;
    /* supervision or teleoperation: one person (not in the fleet) for every `supervise_per` of them while they
       are busy, paid supervision_cost per s; counted in the human hours and labour cost. 0 = none */
    double supervise_per;
    double supervision_cost;
    /* `by`: a fleet entry of workers or a skill of workers; then supervision is a crew need of its operations
       (scripts/supervise.lua) by people of the fleet, not counted on the side. NULL = counted only */
    const char *supervise_by;
    sf_cfg_place supervise_at; /* the `supervision` block, for check's messages */
    sf_cfg_place at;
} sf_cfg_agent_type;

typedef struct sf_cfg_fleet {
    sf_cfg_agent_type *types;
    size_t n_types;
    const char *currency; /* of cost_per_hour, "" when no costs are given */
    /* advice `check` prints ("file:line:col: warning: ..."), a run keeps quiet: a humanoid that keeps the
       optimistic defaults (success 100 %, time factor 1) */
    const char **warnings;
    size_t n_warnings;
} sf_cfg_fleet;

/* ---- products ---------------------------------------------------------- */

/*
 * `count` agents, each of any of the listed kinds or agent types: an
 * agent of type t qualifies when bit kind(t) is in `kinds` or t is in
 * `types`.
 */
typedef struct sf_cfg_crew_need {
    const char *label; /* as written, for messages: "arm", "any of worker, humanoid" */
    int count;
    unsigned kinds; /* bit k: any agent of sf_agent_kind k */
    int *types;     /* agent type indices named one by one, each once */
    size_t n_types;
} sf_cfg_crew_need;

typedef struct sf_cfg_operation {
    const char *name;
    int group;           /* station group index */
    sf_cfg_crew_need *crew;
    size_t n_crew;
    const char *skill;   /* every crew member needs it; NULL = none */
    sf_dist time;        /* processing time, s */
    sf_dist setup;       /* setup when the station changes product, s */
    double scrap;        /* fraction 0..1 */
    double rework;       /* fraction 0..1 of the good units done again at once */
    /* 1 - motion_share: the part of the operation's time that is not robot motion, which a robot's speed
       limit does not slow (0, the default: all of it is motion; model/safety.h, sf_safety_work_rate) */
    double fixed_share;
    /* `time_at: collaborative`: `time` was measured with the crew's robots at their collaborative speed
       (their rule's reduced_speed or max_speed), not at full speed: at full speed it takes less
       (sf_safety_collaborative_ratio) */
    bool time_collaborative;
    sf_cfg_place at;
} sf_cfg_operation;

typedef struct sf_cfg_product {
    const char *name;
    const char *family; /* the product family a made product's figures are also summed in; NULL: none */
    char abc;     /* storage class 'A', 'B' or 'C' (default 'C') */
    double mass;  /* kg per unit, for vehicle payloads */
    int source;   /* dock index where raw material arrives, -1 none */
    int sink;     /* dock index where finished goods leave, -1 none */
    sf_cfg_operation *ops;
    size_t n_ops;
    /* who carries a unit from its source dock to the first station, between stations and to its sink
       dock: one need of vehicles (forklift, agv) or of people (worker, humanoid); none (n_crew 0): moves
       take no time */
    sf_cfg_operation transport;
    unsigned transport_kinds; /* bit k: the transport names kind k, directly or by a fleet entry */
    sf_time variant_every;      /* a new variant every this long from time 0 (0: never); robots are programmed again */
    sf_cfg_material *materials; /* bill of materials per unit, for its carbon footprint */
    size_t n_materials;
    sf_cfg_place at;
} sf_cfg_product;

/* ---- demand ------------------------------------------------------------ */

typedef struct sf_cfg_arrival {
    const char *name;
    sf_dist every;    /* time between arrivals, s */
    int *products;    /* product mix: indices and weights */
    double *weights;
    size_t n_mix;
    int batch;        /* units per arrival */
    sf_time start, stop; /* stop = SF_TIME_MAX when open */
    sf_time due_in;   /* due date after arrival; 0 = none */
    sf_cfg_place at;
} sf_cfg_arrival;

typedef struct sf_cfg_order {
    const char *name;
    sf_time at_time;
    int product;
    int quantity;
    sf_time due;      /* absolute; 0 = none */
    sf_time every;    /* repeated every this long from at_time on (due moves with it); 0 = once */
    sf_cfg_place at;
} sf_cfg_order;

typedef struct sf_cfg_demand {
    const char *dispatch; /* who does which transport task: "nearest", "oldest" or a Lua module; NULL = nearest */
    sf_cfg_arrival *arrivals;
    size_t n_arrivals;
    sf_cfg_order *orders;
    size_t n_orders;
} sf_cfg_demand;

/* ---- shifts ------------------------------------------------------------ */

typedef struct sf_cfg_break {
    sf_time start;  /* time of day */
    sf_time length;
} sf_cfg_break;

typedef struct sf_cfg_shift {
    const char *name;
    uint8_t days;   /* bit 0 = Monday ... bit 6 = Sunday */
    sf_time start;  /* time of day */
    sf_time length; /* may run past midnight */
    sf_cfg_break *breaks;
    size_t n_breaks;
    sf_cfg_place at;
} sf_cfg_shift;

/* Which shifts an agent type works; agent types without a roster are always present. */
typedef struct sf_cfg_roster {
    int agent_type;
    int *shifts;
    size_t n_shifts;
    sf_cfg_place at;
} sf_cfg_roster;

typedef struct sf_cfg_shifts {
    sf_cfg_shift *shifts;
    size_t n_shifts;
    sf_cfg_roster *rosters;
    size_t n_rosters;
} sf_cfg_shifts;

/* ---- failures ---------------------------------------------------------- */

/* The skill of the default repair crew of a station's failure mode. */
#define SF_MAINTENANCE_SKILL "maintenance"
/* A learning robot's rescue without `rescue_by`: a person with this skill (docs/production.md, "Learning robots"). */
#define SF_RESCUE_SKILL "operator"

typedef enum sf_failure_target { SF_FAIL_STATION, SF_FAIL_GROUP, SF_FAIL_AGENT_TYPE } sf_failure_target;

typedef struct sf_cfg_failure {
    const char *name;
    sf_failure_target target_kind;
    int target;      /* index of the station, group or agent type */
    sf_dist mtbf;    /* time between failures, s */
    sf_dist mttr;    /* time to repair, s */
    bool busy_time;  /* mtbf counts working time only (else calendar time) */
    bool restart;    /* an interrupted operation starts again after repair (else it resumes) */
    sf_cfg_operation repair; /* the crew (and skill) a station's or agent's repair needs; 0 = none (`repair: none`) */
    bool default_crew;       /* the crew was not written: one person with skill SF_MAINTENANCE_SKILL */
    /* on call (model/failures.h): while the fleet entries `on_site` are off shift by their rosters, a repair starts
       `call_out` later (or when it comes on shift, if sooner), but for a share `remote` of repairs, done
       remotely at once; with a crew, a called-out person (not taken from the floor) repairs it then, and
       the call-out and repair are booked as that entry's labour; on_call false: someone is always there */
    bool on_call;
    int *on_site;      /* fleet entries: off shift when all of them are; call-outs are booked to the first */
    size_t n_on_site;
    sf_time call_out;
    double remote;
    sf_cfg_place at;
} sf_cfg_failure;

/* ---- energy ------------------------------------------------------------ */

typedef struct sf_cfg_tariff_band {
    sf_time from;  /* time of day the band starts */
    double price;  /* currency per J */
} sf_cfg_tariff_band;

/* One band of the base load schedule: from `from` on the days in `days` (bit 0 = Monday) until the next. */
typedef struct sf_cfg_base_band {
    uint8_t days;
    sf_time from;  /* time of day */
    double power;  /* W */
    sf_cfg_place at;
} sf_cfg_base_band;

/*
 * Loads switched by the people present in a zone of the layout (workers
 * on shift inside it): on when the first comes in, off `delay` after the
 * last leaves (lighting and HVAC each with its own power and delay).
 */
typedef struct sf_cfg_occupancy {
    int zone;                          /* index into layout.zones */
    double lighting, hvac;             /* W */
    sf_time lighting_delay, hvac_delay;
    sf_cfg_place at;
} sf_cfg_occupancy;

typedef struct sf_cfg_energy {
    sf_cfg_tariff_band *tariff; /* sorted by `from`, first from 00:00 */
    size_t n_tariff;
    const char *currency;
    double carbon_average[24];  /* kg per J, hour of day; a constant fills all 24 */
    double carbon_marginal[24];
    bool has_marginal;
    double base_load;           /* W, lights and building */
    double demand_charge;       /* currency per W of the peak 15-minute demand per billing period; 0 = none */
    /* carbon and base load */
    sf_time demand_period;      /* the demand charge's billing period; a run pays its share (default 730 h) */
    sf_cfg_base_band *base_schedule; /* n > 0: the base load by time of day and day type (base_load is 0) */
    size_t n_base_schedule;          /* every day has a band from 00:00 (the loader checks) */
    sf_cfg_occupancy *occupancy;
    size_t n_occupancy;
} sf_cfg_energy;

/* ---- safety ------------------------------------------------------------ */

typedef enum sf_safety_mode {
    SF_SAFETY_FENCED, /* behind a guard; people never share its space */
    SF_SAFETY_SSM,    /* speed and separation monitoring */
    SF_SAFETY_PFL,    /* power and force limiting */
} sf_safety_mode;

/*
 * How the sensors that watch a robot detect a person, for the intrusion
 * distance C of ISO 13855:2010 (docs/safety.md).
 */
typedef enum sf_detection {
    SF_DETECT_AREA, /* a field parallel to the approach (a camera or scanner watching the floor), 6.3 */
    SF_DETECT_BODY, /* a field across the approach that detects a body or an arm (d > 40 mm), 6.2 */
    SF_DETECT_HAND, /* a field across the approach that detects a hand or finger (d <= 40 mm), 6.2 */
} sf_detection;

typedef struct sf_cfg_safety_rule {
    int agent_type;
    sf_safety_mode mode;
    double slow_distance;  /* SSM: m, slow down when a person is nearer; 0: computed (below) */
    double stop_distance;  /* SSM: m, protective stop; 0: computed (below) */
    double reduced_speed;  /* SSM: m/s between the two; PFL: the speed cap */
    sf_time resume_delay;  /* after the person leaves */
    double robot_speed;    /* m/s the robot's cycle times hold for; 0: the agent's speed (arms 1 m/s) */
    /* SSM distances from ISO/TS 15066 when not given (see docs/safety.md): */
    double person_speed;   /* m/s, v_h (default 1.6, ISO 13855) */
    sf_time reaction_time; /* T_r */
    sf_time stopping_time; /* T_s */
    double stopping_distance; /* m, S_s; < 0: v_r * T_s / 2 (constant deceleration) */
    double intrusion;      /* m, C; not given: ISO 13855's for the detection below */
    sf_detection detection;
    double detection_capability; /* m, d: the smallest object detected (hand detection) */
    double detection_height;     /* m, H: height of a parallel detection field above the floor (area) */
    double person_uncertainty, robot_uncertainty; /* m, Z_d and Z_r */
    /* ssm, pfl on an arm or humanoid: where no camera watches its station, run fenced (with a warning)
       instead of refusing the scenario */
    bool fallback_fenced;
    /* ssm: how a crew partner (a person or a humanoid) works with it: false, at the collaborative speed
       (reduced_speed) for the whole operation; true, hand-over: paused for handover_time at the start of
       each operation (the partner's hands in the shared space), at full speed after */
    bool handover;
    sf_time handover_time;
    sf_cfg_place at;
} sf_cfg_safety_rule;

typedef struct sf_cfg_camera {
    const char *name;
    int *zones;
    size_t n_zones;
    double detect_range; /* m: with a position, how far it sees (default 10 m); without, unused */
    /* a position (has_position): it sees the sector of radius detect_range around (x, y), centred on
       `heading` (degrees, anticlockwise from +x) and `fov` wide (degrees, 360: all round); without one
       it sees the whole of its zones */
    bool has_position;
    double x, y, heading, fov;
    sf_time latency;     /* a person entering what it sees is seen this long after (0: at once) */
    double miss;         /* probability that it misses a person at a pass (an entry into its zones): 1 - detection */
    bool fails;          /* mtbf and mttr given: the camera fails and is repaired (model/safety.h) */
    sf_dist mtbf, mttr;  /* time to a failure, time to repair, s */
    sf_cfg_place at;
} sf_cfg_camera;

typedef struct sf_cfg_safety {
    sf_cfg_safety_rule *rules;
    size_t n_rules;
    sf_cfg_camera *cameras;
    size_t n_cameras;
    /* what a planner must hear about but may run: "file:line:col: warning: ..." (check and run print
       them on stderr, a run's report repeats them) */
    const char **warnings;
    size_t n_warnings;
    /* the counterfactual of `--counterfactual safety` (never set by a scenario file): no robot slows,
       stops or holds a person outside for people; no safety monitor is built and mobile robots keep
       their speed in collaborative zones whatever their rule (zones' own speed limits still apply) */
    bool relaxed;
} sf_cfg_safety;

/* ---- outputs ----------------------------------------------------------- */

enum { SF_OUT_CSV = 1, SF_OUT_JSON = 2, SF_OUT_HTML = 4 };

typedef struct sf_cfg_outputs {
    const char *dir;
    unsigned formats;     /* SF_OUT_* bits */
    sf_time sample_every; /* time series step; 0 = none */
    bool trace;           /* write the event trace */
    bool fingerprint;
} sf_cfg_outputs;

/* ---- experiment: what `shopfloor sweep` varies (a run ignores it) ------- */

typedef struct sf_cfg_vary {
    const char *key;     /* a --set path: "fleet.reach_truck.count" */
    const char **values; /* as written; a range's numbers with %.12g */
    size_t n_values;
    sf_cfg_place at;
} sf_cfg_vary;

typedef struct sf_cfg_experiment {
    int reps;          /* replications per point; 0 = not given */
    bool zip;          /* pair the lists instead of crossing them */
    sf_time timeout;   /* wall time per run; 0 = none */
    sf_cfg_vary *vary;
    size_t n_vary;
} sf_cfg_experiment;

typedef struct sf_scenario_config {
    sf_cfg_scenario scenario;
    sf_cfg_layout layout;
    sf_cfg_fleet fleet;
    sf_cfg_product *products;
    size_t n_products;
    sf_cfg_demand demand;
    sf_cfg_shifts shifts;
    sf_cfg_failure *failures;
    size_t n_failures;
    sf_cfg_energy energy;
    sf_cfg_safety safety;
    sf_cfg_outputs outputs;
    sf_cfg_experiment experiment;
    struct sf_cfg_arena *arena; /* owns every string and array above */
} sf_scenario_config;

#endif
