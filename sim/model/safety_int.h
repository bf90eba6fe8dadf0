/*
 * safety_int.h: the state of collaboration safety, shared by safety.c (the
 * run: bands, rates, violations, partners) and safety_build.c (building it
 * from the scenario). Not for other modules: they use safety.h.
 */
#ifndef SF_MODEL_SAFETY_INT_H
#define SF_MODEL_SAFETY_INT_H

#include "model/cameras.h"
#include "model/safety.h"

/* Bands a person can be in around a robot: outside, slow disc, stop disc, the robot's reach. */
enum { OUTSIDE, SLOW, STOP, CONTACT };
/* Levels a robot runs at. */
enum { FULL, REDUCED, STOPPED };

struct robot {
    uint32_t agent;
    int type;             /* its fleet entry */
    uint32_t mover;       /* a mobile robot's mover, SF_SAFETY_NONE for arms */
    bool active;          /* its bands count: arms always, mobile robots while they work */
    double x, y, reach;
    sf_safety_mode mode, rule_mode;
    double slow, stop;    /* the rule's distances (ssm) */
    double r_slow, r_stop; /* radii around the base; 0 when not ssm */
    double rate_reduced;
    double fixed;         /* its operation's part that is not motion (sf_safety_motion_share) */
    double sep_full, sep_red; /* ssm: the protective separation distance at full and reduced speed */
    double v_full, v_red;  /* violation radii around the base (reach + S_p at full and reduced speed); 0: none */
    bool violating;
    sf_time violating_since;
    sf_time violation_began; /* the episode's start (violating_since moves to a mode switch) */
    bool handover;        /* ssm partner work by hand-over (else at the collaborative speed) */
    sf_time handover_time;
    bool paused;          /* in a hand-over: rate 0 until handover_ev */
    sf_event_id handover_ev;
    bool covered;         /* its station is watched when every camera is up */
    uint64_t cover;       /* bit c: camera c (c < 64) watches its station */
    uint32_t fenced_held; /* fences held by interventions (sf_safety_fence): fenced while any is */
    sf_safety_mode want;  /* the mode asked for: its rule's until an intervention switches it (sf_safety_set_mode) */
    sf_safety_mode prev_want; /* before the last switch: where a switch for a while goes back to */
    uint32_t fences_after; /* fences held that were put on since the last switch: fenced while any is */
    uint32_t prev_fences; /* fences_after before the last switch (restored with it at the switch's end) */
    sf_time switched_at;  /* the last switch (0: none) */
    bool outage;          /* fenced now because the cameras over it are down (not while a fence is held) */
    sf_time outage_since;
    sf_time resume_delay;
    bool working;
    bool down;            /* failed (sf_safety_down): standing still, no hazard to the people repairing it */
    uint32_t *partners;
    size_t npartners, cap;
    int applied;          /* the level in force */
    int resume_target;
    sf_event_id resume_ev;
    sf_time since;        /* statistics are counted up to here */
    sf_safety_stats st;
};

struct person {
    uint32_t agent, mover;
    bool moving;
    sf_motion motion;   /* a copy of the mover's motion while moving */
    double *line, *s_from, *len;
    double x, y;        /* where the person stands when not moving */
    double sx, sy;      /* where they were last settled (a point of the stretch they are on now) */
    sf_event_id ev;     /* next band crossing */
    double ev_s;
    double fold_s;      /* minimum separations are counted up to here along the motion */
    uint32_t waiting_for;
    sf_time wait_since;
};

struct sf_safety {
    sf_kernel *k;
    sf_movers *ms;
    const sf_scenario_config *cfg;
    sf_safety_hooks hooks;
    void *block; /* the arrays below, but for each robot's partners and each person's route */
    struct robot *robots;
    uint32_t nrobots;
    struct person *people;
    uint32_t npeople;
    uint8_t *band;          /* [person * nrobots + robot] */
    uint8_t *inside;        /* [person * nrobots + robot]: bit 0 within v_full, bit 1 within v_red */
    sf_time measure_from;   /* the warm-up: violations are counted from here */
    uint32_t *robot_of;     /* agent -> robot index or SF_SAFETY_NONE */
    uint32_t *person_of;    /* agent -> person index */
    uint32_t *person_of_mover;
    uint32_t nagents, nmovers;
    uint32_t kind_cross, kind_resume, kind_camera, kind_handover;
    sf_cameras *cams;
};

/*
 * Kernel handlers: a person crosses a band's edge, a robot resumes, a camera fails or is repaired (or the
 * latency of one of its passes ends: a target of at least the number of cameras), a hand-over ends.
 */
void sf__safety_on_cross(sf_kernel *k, void *ctx, const sf_event *ev);
void sf__safety_on_resume(sf_kernel *k, void *ctx, const sf_event *ev);
void sf__safety_on_camera(sf_kernel *k, void *ctx, const sf_event *ev);
void sf__safety_on_handover(sf_kernel *k, void *ctx, const sf_event *ev);
/*
 * The first distance after `after` along the person's motion where they
 * cross a camera's zone or the edge of its sector: where a pass may begin
 * or end (INFINITY when no camera is tracking, or none). safety_cover.c.
 */
double sf__safety_camera_crossing(const sf_safety *s, const struct person *p, double after);
/* The first crossing after `after` of an edge of the polygon xy (n corners; n = 2: one segment), or `best`. */
double sf__safety_polygon_crossing(const struct person *p, const double *xy, size_t n, double after, double best);
/* Person pi's time uncovered from now, from the robots at work and the cameras that see them (safety_cover.c). */
void sf__safety_cover(sf_safety *s, uint32_t pi);
void sf__safety_cover_all(sf_safety *s);
/* Movers watcher: a new motion plan of a mover. */
void sf__safety_on_motion(void *ctx, uint32_t mover, sf_time now);
/* Person pi stands at (x, y): their band around every robot, near misses and violations. */
void sf__safety_settle(sf_safety *s, uint32_t pi, double x, double y);
/* The robot works at (x, y): its cameras, the mode in force there and its band radii. */
void sf__safety_place_robot(sf_safety *s, struct robot *r, double x, double y);
/* The mode the interventions ask of the robot: fenced while a fence held is later than its last switch. */
sf_safety_mode sf__safety_asked(const struct robot *r);
/* Open or close the robot's time fenced by a camera outage (counted from the warm-up). */
void sf__safety_outage_update(sf_safety *s, struct robot *r, sf_time now);

#endif
