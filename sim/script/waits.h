/*
 * waits.h: the factory half of the script state, owned by the factory
 * bindings (shop_internal.h): the world, what processes wait for in it,
 * and the random streams of the demand and the cranes.
 *
 * A factory wait is typed: {kind, index}, the kind one of enum
 * factory_wait and the index one into that kind's own table (an agent, a
 * station slot, a failure mode). A waiting process keeps the pair in its
 * entry (wtype WT_FACTORY, wkind, wobj). Nothing is encoded by adding
 * offsets.
 */
#ifndef SF_SCRIPT_WAITS_H
#define SF_SCRIPT_WAITS_H

#include <stdint.h>

#include "core/rng.h"

struct sf_world;

enum factory_wait {
    FW_AGENT,       /* an agent's activity (move_to, pick, drop, charge, swap, rest), per agent */
    FW_AGENT_UP,    /* an agent back from its repairs (agent:repaired), per agent */
    FW_STEP,        /* a station slot's step (take, work, unload), per slot of every station */
    FW_REPAIR,      /* the repair of a failure mode by its crew (shop.repair), per failure mode */
    FW_NEXT_REPAIR, /* a failure waiting for its crew (shop.next_repair), one */
    FW_NEXT_MOVE,   /* a unit waiting for its carrier (shop.next_move), one */
    FW_KINDS
};

/* The process waiting, and its generation (its slot may have been reused since); pid NO_PROC when none. */
struct waitref {
    uint32_t pid, gen;
};

struct factory_waits {
    struct waitref *of[FW_KINDS]; /* per kind, one entry per thing of that kind */
    uint32_t count[FW_KINDS];
    uint32_t *slot_base;          /* per station: the index of its first slot in of[FW_STEP] */
};

struct shop_streams {
    sf_rng *arrival; /* one per demand arrival ("arrival.<name>") */
    sf_rng *crane;   /* one per rack, for AS/RS cranes ("crane.<name>") */
};

struct shop_state {
    struct sf_world *world; /* NULL when the run has no factory model */
    struct factory_waits waits;
    struct shop_streams streams;
};

#endif
