/*
 * draw_int.h: what draw.c (the plant and its agents) shares with hud.c
 * (the HUD, the legends, the KPI panel and the overlays). Internal to
 * render/: the drawing context, the palette, the geometry batch and text.
 */
#ifndef SF_RENDER_DRAW_INT_H
#define SF_RENDER_DRAW_INT_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "render/draw.h"

/* ---- palette (see docs/viewer.md for the states' colours) ---- */
#define C_BG ((SDL_Color){243, 244, 246, 255})
#define C_GRID ((SDL_Color){228, 230, 234, 255})
#define C_GRID10 ((SDL_Color){214, 217, 222, 255})
#define C_ROAD ((SDL_Color){206, 210, 216, 255})
#define C_ROAD_LINE ((SDL_Color){255, 255, 255, 255})
#define C_TEXT ((SDL_Color){34, 40, 49, 255})
#define C_TEXT_DIM ((SDL_Color){96, 104, 116, 255})
#define C_PANEL ((SDL_Color){255, 255, 255, 230})
#define C_PANEL_EDGE ((SDL_Color){200, 205, 212, 255})
#define C_RACK ((SDL_Color){120, 128, 140, 255})
#define C_CELL_EMPTY ((SDL_Color){235, 237, 240, 255})
#define C_CELL_FULL ((SDL_Color){176, 122, 64, 255})
#define C_LOAD ((SDL_Color){190, 135, 70, 255})
#define C_DOCK ((SDL_Color){70, 90, 120, 255})
#define C_CHARGER ((SDL_Color){60, 170, 90, 255})
#define C_PARK ((SDL_Color){150, 158, 170, 255})
#define C_DARK ((SDL_Color){45, 52, 62, 255})
#define C_WHITE ((SDL_Color){255, 255, 255, 255})
#define C_ALARM ((SDL_Color){200, 30, 30, 255})
/* a white hard hat: yellow is the colour of "starved" */
#define C_HAT ((SDL_Color){255, 255, 255, 255})
#define C_TAG ((SDL_Color){255, 255, 255, 255})

#define TEXT_CACHE 512
/* The KPI charts' history: one point a simulated minute, the last four hours. */
#define KPI_POINTS 240
#define KPI_STEP (60 * SF_SECOND)

typedef struct kpi_point {
    sf_time t;
    double completed; /* good units out so far */
    float wip;        /* released, not yet out */
    float power;      /* kW */
    float safety;     /* agents slowed or stopped for a person */
} kpi_point;

typedef struct text_entry {
    char s[120];
    int size;
    SDL_Color c;
    SDL_Texture *tex;
    int w, h;
    uint64_t used;
} text_entry;

struct sf_draw {
    SDL_Renderer *r;
    const sf_scenario_config *cfg;
    TTF_Font *font[3]; /* small, normal, large, at the text scale `ui` */
    char *font_path;
    float ui;     /* the fonts' scale (sf_view_ui) */
    float rscale; /* the renderer's scale now: ui while the HUD is drawn, else 1 */
    SDL_Vertex *v;
    int nv;
    size_t cap;
    int *idx;
    int ni;
    size_t icap;
    text_entry cache[TEXT_CACHE];
    uint64_t frame;
    kpi_point kpi[KPI_POINTS]; /* a ring: the oldest at kpi_head when full */
    int kpi_n, kpi_head;
    void *block; /* agent_names, spots, drawn, queued */
    char **agent_names;
    uint32_t nagents;
    float minpx; /* agents are drawn at least this many pixels long */
    bool flat;   /* no feathered rims (small shapes, where they cost more than they show) */
    struct spot { float x, y; uint32_t i; } *spots; /* agents sorted by position, to fan out stacks */
    float *drawn;                                   /* where each agent was drawn last (pixels x, y) */
    uint32_t *queued;                               /* agents queued at each charger, then each station */
};

enum { SMALL, NORMAL, LARGE };

typedef enum { LEFT, CENTER, RIGHT } align;

/* A colour with its alpha scaled by a/255. */
SDL_Color sfd_alpha(SDL_Color c, Uint8 a);
/* Send the shapes batched so far to the renderer. */
void sfd_flush(sf_draw *d);
/* Shapes in pixels, batched until the next flush. */
void sfd_poly(sf_draw *d, const float *p, int n, SDL_Color c);
void sfd_circle(sf_draw *d, float x, float y, float r, SDL_Color c);
void sfd_rect(sf_draw *d, float x, float y, float w, float h, SDL_Color c);
void sfd_obox(sf_draw *d, float x, float y, float a, float fx, float fy, float w, float h, SDL_Color c);
void sfd_line(sf_draw *d, float x0, float y0, float x1, float y1, float w, SDL_Color c);
void sfd_frame_rect(sf_draw *d, float x, float y, float w, float h, float t, SDL_Color c);
/* Text with its top at y, drawn at once (not batched); its width in pixels. */
int sfd_text(sf_draw *d, float x, float y, int size, SDL_Color c, align al, const char *s);
/* One agent's glyph at (x, y), facing h, k pixels per metre. */
void sfd_agent_shape(sf_draw *d, const sf_snap_agent *a, float x, float y, float h, float k, SDL_Color c, sf_time now);

/* The heat map's colour for a share f (0..1) of the worst waiting. */
SDL_Color sfd_heat_color(float f);

/* Open the fonts for text scale ui (1: 12, 14, 18 pixels); SF_OK or SF_EIO. */
int sfd_set_ui(sf_draw *d, float ui);

/* agents.c: the agents (placed, then drawn), their names, their trails. */
void sfd_draw_agents(sf_draw *d, const sf_view *v, const sf_snapshot *s);
void sfd_draw_names(sf_draw *d, const sf_view *v, const sf_snapshot *s);
void sfd_draw_trails(sf_draw *d, const sf_view *v, const sf_trails *t);

/* hud.c: the HUD, legends, KPI panel and inspector; the help overlay. */
void sfd_draw_hud(sf_draw *d, const sf_view *v, const sf_snapshot *s);
void sfd_draw_help(sf_draw *d, const sf_view *v);
/* The HUD and the help, scaled by the view's text scale (drawn in a view of w/ui x h/ui). */
void sfd_draw_overlays(sf_draw *d, const sf_view *v, const sf_snapshot *s);

#endif
