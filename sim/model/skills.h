/*
 * skills.h: robots that learn their skills from experience. The one owner
 * of a skill's experience (attempts made) and of the learning counts:
 * attempts, successes, retries, rescues, and the success rate per period.
 *
 * A skill is a fleet entry's operation: (fleet entry, product, operation).
 * With `learning: {experience: pooled}` every robot of the fleet entry
 * adds to one count per skill and reads it ("data is copied at no cost");
 * with `individual` each robot keeps its own.
 *
 * The model (docs/production.md, "Learning robots"): after n attempts an
 * attempt succeeds with
 *
 *     p(n) = limit - (limit - first) e^(-n / scale)
 *
 * (an exponential approach to a plateau), and the operation's time is
 * its sampled time times
 *
 *     f(n) = max(1, time_first (n + 1)^(-b)),  b = -log2(progress)
 *
 * (Wright's law from the first attempt's time down to the operation's
 * time, which is the mature robot's). An operation draws attempts until
 * one succeeds; the first `retries` failures each cost the fleet entry's
 * retry_time, the next one is rescued by a person (rescue_time added, the
 * operation done). Every attempt, failed or not, adds one to experience.
 *
 * Ownership: sf_skills_new pairs with sf_skills_free; the config and
 * `agent_type` must outlive it. sf_skills_new returns NULL when no fleet
 * entry learns or is programmed (nothing to keep) or memory ran out
 * (*failed set).
 */
#ifndef SF_MODEL_SKILLS_H
#define SF_MODEL_SKILLS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rng.h"
#include "core/time.h"
#include "model/config.h"

typedef struct sf_skills sf_skills;

typedef struct sf_skills_counts {
    uint64_t attempts, successes, retries, rescues;
    uint64_t programmings, first_run_failures; /* robots programmed for a product variant; first runs that failed */
    double programming_time;                   /* s on the robot */
} sf_skills_counts;

/*
 * The defaults of each instruction method (docs/production.md, where
 * each is said to be an assumption or sourced): time on the robot,
 * first-run failure rate, and the skill of who programs.
 */
typedef struct sf_instruction_defaults {
    const char *name; /* teach_pendant, offline_programming, natural_language */
    double hours, first_run_failure;
    const char *by;
} sf_instruction_defaults;
extern const sf_instruction_defaults sf_programming_defaults[SF_INSTRUCTIONS];
/* NULL-terminated method names, in sf_instruction order. */
extern const char *const sf_instruction_names[SF_INSTRUCTIONS + 1];

/* The learning curves: success rate and time factor after n attempts. */
double sf_learning_success(const sf_cfg_learning *L, double n);
double sf_learning_time_factor(const sf_cfg_learning *L, double n);

sf_skills *sf_skills_new(const sf_scenario_config *cfg, const int *agent_type, uint32_t nagents, bool *failed);
void sf_skills_free(sf_skills *k);

/*
 * One operation of robot `agent` at (product, op) at time `now`: *factor
 * gets its time factor f(n) before its attempts, *extra the time its
 * failed attempts add (retries and a rescue), drawn from `rng`. SF_OK, or
 * SF_ENOMEM when the period series cannot grow.
 */
int sf_skills_operate(sf_skills *k, uint32_t agent, int product, int op, sf_rng *rng, sf_time now, double *factor,
                      sf_time *extra);

/*
 * Programming (sf_cfg_programming): robot `agent` is about to work on
 * (product, op) at `now`. When it is not programmed for the product's
 * current variant (now / variant_every, 0 without changes), *time gets
 * the programming time and *first_run_failed a draw from `rng`; else
 * both are 0. A fleet entry without programming: 0 and false, no draw.
 */
void sf_skills_program(sf_skills *k, uint32_t agent, int product, int op, sf_rng *rng, sf_time now, sf_time *time,
                       bool *first_run_failed);

/* Reading. A fleet entry that does not learn has zero counts and no periods. */
bool sf_skills_learns(const sf_skills *k, int type);
bool sf_skills_programmed(const sf_skills *k, int type);
sf_skills_counts sf_skills_type_counts(const sf_skills *k, int type);
uint64_t sf_skills_experience(const sf_skills *k, uint32_t agent, int product, int op);
/* Periods of `period` from time 0 up to the last attempt; period i's attempts and successes. */
size_t sf_skills_periods(const sf_skills *k, int type);
void sf_skills_period(const sf_skills *k, int type, size_t i, uint64_t *attempts, uint64_t *successes);

#endif
