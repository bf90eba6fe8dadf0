/*
 * instruct_int.h: the sentence being read, shared by instruct.c (words,
 * numbers, names, stops, rush orders) and instruct_fleet.c (agents added
 * and removed, safety modes, speeds). Nothing else includes it.
 */
#ifndef SF_EXPERIMENT_INSTRUCT_INT_H
#define SF_EXPERIMENT_INSTRUCT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"
#include "experiment/interventions.h"
#include "model/config.h"

#define WORDS 48
#define WORD_LEN 48

typedef struct words {
    char w[WORDS][WORD_LEN];
    int n;
} words;

typedef struct parse {
    const sf_scenario_config *cfg;
    words t;
    int i;        /* next word */
    int type;     /* the fleet entry of the last agent named */
    char *why;
    size_t nwhy;
} parse;

/* Which names a did-you-mean looks among. */
enum { ALL_STATIONS = 1, ALL_CAMERAS = 2, ALL_FLEET = 4, ALL_PRODUCTS = 8 };

/* Why the sentence cannot be followed, into p->why; SF_EPARSE. */
int sf__in_refuse(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Word i ("" past the end); is it `w`; is `w` one of `list` (NULL-terminated)? */
const char *sf__in_word(const parse *p, int i);
bool sf__in_is(const parse *p, int i, const char *w);
bool sf__in_one_of(const char *w, const char *const *list);
/* A number in one word; a number at word p->i (words taken together: "twenty five"), advancing. */
bool sf__in_number_word(const char *w, double *v);
bool sf__in_number(parse *p, double *v);
bool sf__in_unit_word(const char *w, sf_time *size);
/* "there is no WHAT 'w'; did you mean ...?" among the names of the kinds in `which`: SF_EPARSE. */
int sf__in_unknown(parse *p, const char *what, const char *w, unsigned which);
int sf__in_find_name(const char *w, const void *base, size_t n, size_t stride);
/* A product at word p->i (its name, or its plural), advancing. */
int sf__in_product(parse *p, int *out);
/* [quantity] {filler} PRODUCT: the quantity (default 1) a whole number from 1 to max, `what` in a refusal. */
int sf__in_quantity_of(parse *p, const char *const *fillers, double max, const char *what, int *n, int *prod);
/* A station, camera or agent at word p->i (iv->kind and target say which); advances. */
int sf__in_target(parse *p, sf_intervention *iv);
/* "for DURATION", "until CLOCK" or nothing (to the end of the run). */
int sf__in_how_long(parse *p, sf_intervention *iv);

/* The sentences of instruct_fleet.c, from the word after the verb. */
int sf__in_add_agents(parse *p, sf_intervention *iv);
int sf__in_remove_agent(parse *p, sf_intervention *iv);
int sf__in_set(parse *p, sf_intervention *iv);
int sf__in_tend(parse *p, int verb_at, sf_intervention *iv);
/* "reserve 2 agents per fleet entry": at the start only. */
int sf__in_reserve(parse *p, int verb_at, sf_intervention *iv);
/* instruct_bring.c: "forklift 2, bring 10 pallets of component_a from receiving to high_bay_1". */
int sf__in_bring(parse *p, int verb_at, sf_intervention *iv);

#endif
