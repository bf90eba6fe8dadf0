/*
 * draw.h: drawing a snapshot with SDL2.
 *
 * One drawing routine for the window, the headless pictures and the
 * replay: it reads a snapshot (snapshot.h), the scenario's layout and a
 * view (zoom, pan, overlays, the pointer) and nothing else but the KPI
 * charts' history, a point a simulated minute from the snapshots drawn
 * before; so equal inputs in the same order give equal pixels. Shapes are filled triangles with a one-pixel feathered edge
 * (alpha falling to zero), all sent in one SDL_RenderGeometry batch per
 * layer; text is DejaVu Sans through SDL2_ttf, found with fontconfig.
 */
#ifndef SF_RENDER_DRAW_H
#define SF_RENDER_DRAW_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "render/snapshot.h"
#include "model/config.h"

/* One line of the interventions' log in the window: how an instruction was understood, or why it was refused. */
#define SF_VIEW_NOTES 6
#define SF_VIEW_NOTE_LEN 200
typedef struct sf_view_note {
    char text[SF_VIEW_NOTE_LEN];
    bool refused;
} sf_view_note;

/* Where the camera is and what is shown; the caller owns it. */
typedef struct sf_view {
    double scale;  /* pixels per metre */
    double cx, cy; /* the point (metres) at the centre of the picture */
    int w, h;      /* picture size in pixels */
    bool heat;     /* congestion heat map on the path network */
    bool trails;   /* recent paths of the agents */
    bool help;     /* the controls overlay */
    bool paused;
    double speed;  /* simulated seconds per second of wall time (for the HUD) */
    int64_t selected_agent;   /* -1 when none */
    int64_t selected_station; /* -1 when none */
    const char *inspect;      /* extra lines for the selected agent ("" or NULL) */
    const char *status;       /* a short message in the HUD ("" or NULL) */
    sf_time end;              /* > 0: a timeline from 0 to `end` along the bottom (replays) */
    bool still;               /* a picture, not a window: no speed, no "paused" */
    bool no_kpi;              /* hide the KPI side panel */
    bool pointer;             /* the mouse is over the picture at (px, py): name what is under it */
    float px, py;
    const char *command;       /* the command line being typed (shown with a cursor), or NULL when closed */
    const sf_view_note *notes; /* the interventions' log, oldest first (bottom left) */
    int nnotes;
    const sf_time *marks;      /* interventions' times, marked on the timeline */
    size_t nmarks;
} sf_view;

/* The KPI side panel along the right edge: its width, and the narrowest picture that has one. */
#define SF_KPI_WIDTH 250
#define SF_KPI_MIN_WIDTH 1100
/* Names are written beside every agent when it is drawn at least this many pixels long (zoomed in). */
#define SF_NAMES_AT_PX 36

/*
 * The text scale of a view: 1 up to 1280 x 800, more for larger pictures
 * (up to 2.5), so text, the HUD and the panels keep their share of the
 * window. The HUD is laid out in a picture of w/ui x h/ui and scaled.
 */
float sf_view_ui(const sf_view *v);

/* The timeline's bar (pixels), for seeking with the mouse. */
void sf_view_timeline(const sf_view *v, float *x, float *y, float *w, float *h);

/* The recent positions of every agent, for trails (owned by the caller). */
#define SF_TRAIL_POINTS 64
typedef struct sf_trails {
    float *xy;        /* nagents x SF_TRAIL_POINTS x 2 */
    uint32_t nagents;
    uint32_t head, count;
    sf_time last;
} sf_trails;

int sf_trails_init(sf_trails *t, uint32_t nagents);
void sf_trails_close(sf_trails *t);
/* Add the snapshot's positions when at least `every` has passed since the last point; clear when time went back. */
void sf_trails_add(sf_trails *t, const sf_snapshot *s, sf_time every);

typedef struct sf_draw sf_draw;

/*
 * A drawing context for `r` and the layout of `cfg` (both must outlive
 * it). NULL with a message in err when the font cannot be found or opened.
 */
sf_draw *sf_draw_new(SDL_Renderer *r, const sf_scenario_config *cfg, char *err, size_t n);
void sf_draw_free(sf_draw *d);

/* A view of w x h pixels that shows the whole layout with a margin, beside the HUD and (unless v->no_kpi) the KPI panel. */
void sf_view_fit(sf_view *v, const sf_scenario_config *cfg, int w, int h);
/* Metres to pixels and back. */
void sf_view_to_screen(const sf_view *v, double x, double y, float *sx, float *sy);
void sf_view_to_world(const sf_view *v, float sx, float sy, double *x, double *y);

/* Draw one frame (layout, agents, HUD, legend, overlays). Does not present it. */
void sf_draw_frame(sf_draw *d, const sf_view *v, const sf_snapshot *s, const sf_trails *trails);

/*
 * The agent or station under pixel (sx, sy) in the frame drawn last with
 * this view and snapshot: SF_OK with *agent or *station set (the other
 * -1), else SF_ENOTFOUND.
 */
int sf_draw_pick(const sf_draw *d, const sf_view *v, const sf_snapshot *s, float sx, float sy, int64_t *agent,
                 int64_t *station);
/* Where agent i was drawn in the last frame (pixels): agents waiting at a charger or station are queued beside it, others parked on one point fanned out. */
void sf_draw_agent_at(const sf_draw *d, uint32_t i, float *sx, float *sy);

/* The centre (pixels) of a rack's cell (bay, level) as drawn; level 0 is the lowest. */
void sf_draw_rack_cell(const sf_view *v, const sf_scenario_config *cfg, size_t rack, int bay, int level, float *sx,
                       float *sy);
/* The centre (pixels) of slot k (0 at the bottom) of a station's input or output buffer. */
void sf_draw_buffer_slot(const sf_view *v, const sf_scenario_config *cfg, size_t station, bool output, int k,
                         float *sx, float *sy);
/* The colours of an empty and a full rack cell (a full buffer slot is drawn like a full cell). */
SDL_Color sf_draw_cell_color(bool full);

/* The colour agents and stations in state `s` are drawn with. */
SDL_Color sf_draw_state_color(sf_state s);

/*
 * The KPI panel's charts: add the snapshot's figures to the history when
 * a minute of simulated time has passed since the last point (cleared
 * when time goes back). sf_draw_frame calls it; a still picture calls it
 * for earlier times first so its charts have a past.
 */
void sf_draw_sample(sf_draw *d, const sf_snapshot *s);
/* The history's points so far (for tests). */
int sf_draw_samples(const sf_draw *d);

/* Write the renderer's current picture to a PNG file, atomically (report/outfile.h); SF_OK, or SF_EIO, why in err. */
int sf_draw_save_png(SDL_Renderer *r, int w, int h, const char *path, char *err, size_t n);

#endif
