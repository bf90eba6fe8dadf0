/*
 * script_internal.h: what the files of sim/script share.
 *
 * Processes live in a C array indexed by slot; each slot owns one Lua
 * thread for life, so a process that ends hands its coroutine to the
 * next one spawned (no allocation per spawn beyond the handle, none per
 * wait). The state pointer sits in every thread's extra space, so a
 * binding finds it without a registry lookup.
 */
#ifndef SF_SCRIPT_INTERNAL_H
#define SF_SCRIPT_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>
#include <signal.h>

#include "core/kernel.h"
#include "core/rng.h"
#include "core/stats.h"
#include "script/script.h"
#include "script/script_arena.h"
#include "script/waits.h"

enum pstate { P_FREE, P_READY, P_RUNNING, P_SLEEP, P_BLOCKED };

/* How the continuation of a blocking call returns when resumed. */
enum wake { W_VALUES, W_TIMEOUT, W_RAISE };

/* What a blocked process waits for (for timeouts, interrupts and deadlock reports). */
enum wtype { WT_NONE, WT_SLEEP, WT_RESOURCE, WT_STORE_GET, WT_STORE_PUT, WT_CONT_GET, WT_CONT_PUT, WT_EVENT, WT_JOIN, WT_FACTORY };

struct proc {
    lua_State *co;      /* 64 bytes in all, allocated on cache-line boundaries */
    sf_event_id timer;  /* pending timer or wake-up event, 0 when none */
    void *wev;          /* event waited on */
    sf_time since;      /* when the current wait began */
    uint32_t gen;       /* bumped when the slot is reused; handles carry it */
    uint32_t wobj;      /* object waited on: resource/store/container id, joined slot, index of a factory wait */
    uint32_t wgen;      /* joined process's generation */
    uint32_t njoin;     /* processes joining this one */
    uint32_t nheld;     /* resource holdings, released when the process ends */
    uint32_t next_free;
    uint16_t nargs;     /* values pushed on co for the next resume */
    uint8_t state, wake, wtype, fresh;
    uint8_t pint;       /* an interrupt waits for the process's next blocking call */
    uint8_t wkind;      /* WT_FACTORY: the kind of factory wait (enum factory_wait, waits.h) */
};
_Static_assert(sizeof(struct proc) == 64, "a process entry fills one cache line");

/* A request queued on a resource, store or container. */
struct waiter {
    uint32_t pid;
    int prio;
    uint64_t seq;
    double amount;
    sf_time since;
};

struct wqueue {
    struct waiter *v;
    uint32_t head, n;
    size_t cap; /* live entries are v[head .. head+n) */
};

struct holder {
    uint32_t pid, gen;
    int n, prio;
    uint64_t seq;
};

struct resource {
    char *name;
    int capacity, used;
    bool preemptive;
    struct wqueue q;
    struct holder *h;
    int nh;
    size_t caph;
    sf_level busy, queue;
    sf_tally wait;
};

struct store {
    char *name;
    int capacity, count;
    struct wqueue getq, putq;
    int ref;            /* registry: {items = {...}, filters = {[pid] = fn}, puts = {[pid] = item}} */
    sf_level content, queue;
    sf_tally wait;
};

struct container {
    char *name;
    double capacity, level;
    struct wqueue getq, putq;
    sf_level content, queue;
    sf_tally wait;
};

struct named_tally {
    char *name;
    sf_tally t;
};

struct named_level {
    char *name;
    sf_level l;
};

/* An entry in the report order: kind and index into that kind's array. */
struct statref {
    uint8_t kind;
    uint32_t index;
};

/* The SimPy-style objects of a run and the order they are reported in (l_resource.c, l_sim.c, report.c). */
struct sim_objects {
    uint64_t seq;         /* request order for queues */
    struct resource *res;
    uint32_t nres;
    size_t capres;
    struct store *stores;
    uint32_t nstores;
    size_t capstores;
    struct container *conts;
    uint32_t nconts;
    size_t capconts;
    struct named_tally *tallies;
    uint32_t ntallies;
    size_t captallies;
    struct named_level *levels;
    uint32_t nlevels;
    size_t caplevels;
    struct statref *order;
    uint32_t norder;
    size_t caporder;

};

/*
 * The script state, by responsibility: the Lua state and the kernel; the
 * process machinery (script.c: the process table, the registry tables of
 * threads, handles, timers and deferred interrupts); the SimPy-style
 * objects (objs); the factory (shop); the memory (arena, the counters and
 * the cap, script_arena.c); the failure of the run and the budget.
 */
struct sf_script {
    lua_State *L;
    sf_kernel *k;
    uint32_t kind_resume; /* kernel event kinds */
    uint32_t kind_evtimer;
    sf_script_options opt;
    char *model_dir;

    /* the process machinery (script.c, l_sim.c) */
    struct proc *procs;
    uint32_t nprocs, capprocs, free_head, alive;
    uint32_t cur;         /* slot of the running process, UINT32_MAX when none */
    uint32_t serial;      /* processes spawned so far, for default names */
    uint32_t *serials;    /* slot -> the serial of its process (a handle made later names it by this) */
    size_t capserials;    /* the slots of the process table */
    sf_time last;         /* time of the last event of this layer */
    int ref_threads;      /* registry table: slot -> thread */
    int ref_owned;        /* registry table: process thread -> true (coroutine.resume and close refuse them) */
    int ref_handles;      /* registry table: slot -> process handle (a former occupant's until one is asked for) */
    int ref_procmt;       /* registry: the metatable of process handles */
    int ref_timers;       /* registry table: timer slot -> event (sim.timeout) */
    int ref_pending;      /* registry table: slot -> interrupt deferred to the next blocking call */
    uint32_t ntimers;
    uint32_t *ready;      /* processes made ready at the current time, resumed by the running resume event (sf__ready) */
    uint32_t rhead, nready; /* ready[rhead .. nready) wait to run, in order */
    size_t capready;      /* at least the slots of the process table */
    bool draining;        /* inside on_resume: a process made ready now joins `ready` instead of the kernel */

    struct sim_objects objs; /* resources, stores, containers, tallies, levels (l_resource.c, l_sim.c) */
    struct shop_state shop;  /* the factory model, its waits and streams, when the run has one (waits.h) */
    sf_rng math_rng;         /* behind math.random */

    /* memory (script_arena.c) */
    struct arena arena;   /* blocks of process threads, one per slot */
    size_t mem, mem_peak;
    uint32_t resumes;     /* since the last check of the memory held (sf__mem_over) */
    bool mem_exceeded;

    /* failure and the instruction budget */
    int failed;           /* SF_ESCRIPT / SF_ELIMIT / SF_EDEADLOCK once the run failed */
    bool runaway;
    int runaway_code;     /* SF_ELIMIT (the budget) or SF_ESTOPPED (a signal) */
    bool deny_alloc;      /* while a runaway unwinds: every allocation fails (see sf__budget_hook) */
    uint64_t spent;       /* instructions counted in the current resume, over all its coroutines */
    int chunk;            /* instructions between hook calls on a process thread */
    lua_State *volatile running; /* the process thread being resumed (read by sf_script_interrupt) */
    volatile sig_atomic_t signalled; /* sf_script_interrupt was called */
    char err[8192];
    char runaway_msg[512];
};

static inline sf_script *sf__script(lua_State *L)
{
    return *(sf_script **)lua_getextraspace(L);
}

#define NO_PROC UINT32_MAX
#define MAX_SPAWN_ARGS 60000
#define BUDGET_CHUNKS 16
/* Instructions between hook calls on a coroutine a script makes, and what its birth costs (see sf__budget_hook). */
#define COROUTINE_COUNT 256

/* script_arena.c: push a new thread for process slot `slot` (in its block when there is one); raises when out of memory. */
lua_State *sf__new_thread(lua_State *L, sf_script *S, uint32_t slot);
/* script_arena.c: the Lua allocator (ud is the script state), with the memory cap. */
void *sf__lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* script_arena.c: NULL while the run holds no more than its memory cap, else why it is over, in buf. */
const char *sf__mem_over(sf_script *S, char *buf, size_t n);

/* The instruction-budget hook, set on each process thread when it is made. */
void sf__budget_hook(lua_State *L, lua_Debug *ar);

struct handle {
    uint32_t tag, slot, gen, serial;
};

/*
 * Push the handle of process `slot` (live or not yet started) and return
 * true; a process started by sim.start has none until one is asked for:
 * with `make` it is made then (may raise: out of memory), else nil is
 * pushed and the result is false. A handle left in the table by the
 * slot's former occupant is never returned (its generation differs).
 */
bool sf__push_handle(lua_State *L, sf_script *S, uint32_t slot, bool make);

/* A metatable whose __index is itself and whose __metatable is locked, left on the stack. */
/* The name at idx (a string) may name a thing of the model (sf_name_problem), else raise; returns it. */
const char *sf__check_name(lua_State *L, int idx, const char *what);
void sf__new_class(lua_State *L);

/* script.c: the process machinery. */
void sf__wake(sf_script *S, uint32_t pid, enum wake how);
/*
 * Resume process pid (made P_READY) at the current time, after what is
 * already due now: in the running resume event when nothing else is due
 * now (no kernel event), else by a kernel event at the current time.
 */
int sf__ready(sf_script *S, uint32_t pid);
/*
 * Block the running process; timeout < 0: none. When it is resumed, the
 * continuation k runs (NULL: return the values its waker pushed, or nil
 * and "timeout"). A continuation starts with sf__woken. Must be the
 * binding's return.
 */
int sf__block(lua_State *L, sf_script *S, enum wtype wt, sf_time timeout, lua_KFunction k);
/* In a continuation: raise the interrupt that ended the wait, or say how it ended (W_VALUES or W_TIMEOUT). */
enum wake sf__woken(lua_State *L);
/* The running process's slot; raises unless L is a process's own thread. */
uint32_t sf__self(lua_State *L, sf_script *S, const char *what);
/* sf__self for a call that may block; sf__can_block raises when the running code cannot yield. */
uint32_t sf__blocking(lua_State *L, sf_script *S, const char *what);
void sf__can_block(lua_State *L, const char *what);
/* Optional timeout argument at idx (nil = none, -1). */
sf_time sf__opt_timeout(lua_State *L, int idx);
enum { TAG_PROC = 0x50524f43, TAG_EVENT, TAG_RES, TAG_STORE, TAG_CONT, TAG_RNG, TAG_TALLY, TAG_LEVEL, TAG_AGENT };
/* Userdata of tag `tag` at idx, or a type error naming `what`. */
void *sf__check(lua_State *L, int idx, uint32_t tag, const char *what);
int sf__fail(sf_script *S, int code, const char *fmt, ...);
const char *sf__proc_name(sf_script *S, uint32_t pid, char *buf, size_t n);
void sf__cancel_wait(sf_script *S, uint32_t pid);
int sf__check_time(lua_State *L, int idx, sf_time *out); /* raises on bad input */
int sf__add_order(sf_script *S, int kind, uint32_t index);

/* l_sim.c: raise an interrupt with the value at `cause` in process pid; false when it cannot be. */
bool sf__interrupt(lua_State *L, uint32_t pid, int cause);

/* wqueue.c: wait queues */
int sf__wq_insert(struct wqueue *q, const struct waiter *w);
void sf__wq_remove_at(struct wqueue *q, uint32_t i);
bool sf__wq_remove_pid(struct wqueue *q, uint32_t pid);
void sf__wq_free(struct wqueue *q);
static inline struct waiter *sf__wq_at(struct wqueue *q, uint32_t i)
{
    return &q->v[q->head + i];
}

/* l_sim.c, l_event.c, l_resource.c: open the bindings into table `sim` at the top of the stack. */
void sf__open_sim(lua_State *L);
/* sim.rng, sim.tally, sim.level into the table at `sim`; math.random on the run's stream. */
void sf__open_stats(lua_State *L, int sim);
/* l_pattern.c: string.find, match, gmatch and gsub whose work counts against the budget. */
void sf__open_patterns(lua_State *L);
/* l_next.c: next and pairs in a reproducible order (replacing the base library's). */
void sf__open_next(lua_State *L);
void sf__open_events(lua_State *L);
void sf__open_resources(lua_State *L);
/* l_event.c: timer kind handler for sim.timeout events. */
void sf__on_evtimer(sf_kernel *k, void *ctx, const sf_event *ev);
/* l_event.c: remove pid from the waiters of event `ev`. */
void sf__event_forget(void *ev, uint32_t pid);
const char *sf__event_name(void *ev);
bool sf__event_idle(void *ev);
/* l_shop.c: free what the factory bindings hold. */
void sf__shop_free(sf_script *S);
/* waits.c: is process pid, waiting in the factory, waiting for work (a job, a repair or a move to make)? */
bool sf__waits_idle(sf_script *S, uint32_t pid);
/* waits.c: forget the factory wait of process pid; what it waits for, for reports. */
void sf__waits_forget(sf_script *S, uint32_t pid);
const char *sf__waits_name(sf_script *S, uint32_t pid, char *buf, size_t n);

/* l_resource.c: remove pid from the queue of the object it waits on; names for reports. */
void sf__resource_forget(sf_script *S, uint32_t pid);
const char *sf__wait_object_name(sf_script *S, uint32_t pid, char *buf, size_t n);
void sf__resources_free(sf_script *S);
/* l_resource.c: give back every unit process pid still holds (it has ended). */
void sf__release_all(sf_script *S, uint32_t pid);

#endif
