/*
 * view.h: the viewer's two programs, for sim/cli.
 *
 * sf_view_run opens a window and plays a scenario live (the session
 * advances to the displayed time) or a recording (record.h) with pause,
 * speed and scrubbing. sf_render_run draws pictures without a display:
 * one PNG at a time, or numbered frames for a video.
 *
 * Both return SF_OK, or an error after writing the reason to stderr.
 */
#ifndef SF_RENDER_VIEW_H
#define SF_RENDER_VIEW_H

#include <stdbool.h>

#include "core/time.h"
#include "experiment/session.h"

typedef struct sf_view_opts {
    sf_session_spec spec;   /* the scenario (spec.model), unless `replay` */
    const char *replay;     /* a recording to play instead */
    double speed;           /* simulated seconds per second at the start (default 60) */
    int width, height;      /* window size (default 1280 x 800) */
    sf_time every;          /* the snapshot grid (default SF_RECORD_EVERY) */
    long frames_limit;      /* quit after this many frames; 0 = run until closed */
    const char *screenshot; /* save the last frame here on quitting */
    bool bench;             /* no vsync; print frame times on quitting */
    const char *record;     /* live: write a recording of what is shown, interventions included */
    const char *instructions; /* write the interventions here (W, and on quitting) as an --instruct file */
    const char *drive;      /* scripted input (render/drive.h) */
} sf_view_opts;

int sf_view_run(const sf_view_opts *o);

typedef struct sf_render_opts {
    sf_session_spec spec;  /* the scenario, unless `replay` */
    const char *replay;    /* draw from a recording instead */
    sf_time at;            /* the time of the picture (--png) */
    const char *png;       /* write one picture here */
    const char *frames;    /* or numbered frames into this folder */
    sf_time every;         /* between frames */
    sf_time until;         /* last frame (SF_TIME_MAX: the end) */
    int width, height;     /* default 1280 x 800 */
    bool heat, trails;
    const char *select;    /* inspect this agent ("forklift.2") or station in the picture, or NULL */
} sf_render_opts;

int sf_render_run(const sf_render_opts *o);

#endif
