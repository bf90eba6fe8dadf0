/*
 * draw.c: the plant, its agents, the HUD and the overlays, from a snapshot.
 *
 * Cost per frame: O(agents + cells + segments) vertices, sent in a few
 * SDL_RenderGeometry calls (one per layer), plus one texture copy per
 * piece of text (textures are cached by string, so text that does not
 * change is rendered by SDL2_ttf once).
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/mem.h"
#include "render/draw.h"
#include "report/outfile.h"

#define PI_F 3.14159265f

/* ---- palette ----------------------------------------------------------- */

static const SDL_Color state_colors[SF_STATES] = {
    [SF_STATE_IDLE] = {148, 160, 172, 255},          [SF_STATE_WORKING] = {46, 158, 68, 255},
    [SF_STATE_SETUP] = {142, 108, 201, 255},         [SF_STATE_TRAVEL_EMPTY] = {58, 123, 213, 255},
    [SF_STATE_TRAVEL_LOADED] = {20, 70, 160, 255},   [SF_STATE_HANDLING] = {20, 163, 163, 255},
    [SF_STATE_WAIT_TRAFFIC] = {242, 165, 22, 255},   [SF_STATE_CHARGING] = {124, 194, 66, 255},
    [SF_STATE_BLOCKED] = {224, 102, 43, 255},        [SF_STATE_STARVED] = {230, 200, 50, 255},
    [SF_STATE_FAILED] = {214, 40, 40, 255},          [SF_STATE_OFF_SHIFT] = {92, 102, 112, 255},
    [SF_STATE_ON_BREAK] = {183, 167, 138, 255},      [SF_STATE_WAIT_PERSON] = {225, 127, 176, 255},
    [SF_STATE_WAIT_ROBOT] = {176, 95, 181, 255},     [SF_STATE_REDUCED_SPEED] = {255, 140, 0, 255},
    [SF_STATE_SAFETY_STOP] = {176, 0, 32, 255},
};

static const SDL_Color C_BG = {243, 244, 246, 255}, C_GRID = {228, 230, 234, 255}, C_GRID10 = {214, 217, 222, 255},
                       C_ROAD = {206, 210, 216, 255}, C_ROAD_LINE = {255, 255, 255, 255},
                       C_TEXT = {34, 40, 49, 255}, C_TEXT_DIM = {96, 104, 116, 255},
                       C_PANEL = {255, 255, 255, 230}, C_PANEL_EDGE = {200, 205, 212, 255},
                       C_RACK = {120, 128, 140, 255}, C_CELL_EMPTY = {235, 237, 240, 255},
                       C_CELL_FULL = {176, 122, 64, 255}, C_LOAD = {190, 135, 70, 255},
                       C_DOCK = {70, 90, 120, 255}, C_CHARGER = {60, 170, 90, 255}, C_PARK = {150, 158, 170, 255},
                       C_DARK = {45, 52, 62, 255}, C_WHITE = {255, 255, 255, 255}, C_ALARM = {200, 30, 30, 255},
                       C_HAT = {250, 204, 21, 255};

SDL_Color sf_draw_state_color(sf_state s) { return (unsigned)s < SF_STATES ? state_colors[s] : state_colors[0]; }
SDL_Color sf_draw_cell_color(bool full) { return full ? C_CELL_FULL : C_CELL_EMPTY; }

static SDL_Color alpha(SDL_Color c, Uint8 a)
{
    c.a = (Uint8)(c.a * a / 255);
    return c;
}

/* ---- the context ------------------------------------------------------- */

#define TEXT_CACHE 512

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
    TTF_Font *font[3]; /* small, normal, large */
    SDL_Vertex *v;
    int nv;
    size_t cap;
    int *idx;
    int ni;
    size_t icap;
    text_entry cache[TEXT_CACHE];
    uint64_t frame;
    void *block; /* agent_names, spots, drawn */
    char **agent_names;
    uint32_t nagents;
    float minpx; /* agents are drawn at least this many pixels long */
    bool flat;   /* no feathered rims (small shapes, where they cost more than they show) */
    struct spot { float x, y; uint32_t i; } *spots; /* agents sorted by position, to fan out stacks */
    float *drawn;                                   /* where each agent was drawn last (pixels x, y) */
};

enum { SMALL, NORMAL, LARGE };

/* The font file fontconfig chooses for "DejaVu Sans" (or $SHOPFLOOR_FONT); malloc'd, NULL when none. */
static char *find_font(void)
{
    const char *env = getenv("SHOPFLOOR_FONT");
    FcPattern *pat, *match;
    FcResult res;
    FcChar8 *file = NULL;
    char *out = NULL;

    if (env && *env)
        return sf_strdup(env);
    if (!FcInit() || !(pat = FcNameParse((const FcChar8 *)"DejaVu Sans:style=Book")))
        return NULL;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    match = FcFontMatch(NULL, pat, &res);
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && access((const char *)file, R_OK) == 0)
        out = sf_strdup((const char *)file);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return out;
}

sf_draw *sf_draw_new(SDL_Renderer *r, const sf_scenario_config *cfg, char *err, size_t n)
{
    sf_draw *d = sf_calloc(1, sizeof *d);
    static const int sizes[3] = {12, 14, 18};
    char *path = NULL;
    uint32_t id = 0;

    if (!d) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    d->r = r;
    d->cfg = cfg;
    d->minpx = 12;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, n, "SDL2_ttf cannot start: %s", TTF_GetError());
        goto fail;
    }
    if (!(path = find_font())) {
        snprintf(err, n, "no font found: install the Debian package fonts-dejavu-core "
                         "(fontconfig finds it), or set SHOPFLOOR_FONT to a .ttf file");
        goto fail;
    }
    for (int i = 0; i < 3; i++)
        if (!(d->font[i] = TTF_OpenFont(path, sizes[i]))) {
            snprintf(err, n, "cannot open the font %s: %s", path, TTF_GetError());
            goto fail;
        }
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        d->nagents += (uint32_t)cfg->fleet.types[t].count;
    d->block = SF_PARTS(SF_PART(d->agent_names, d->nagents + 1), SF_PART(d->spots, d->nagents + 1),
                        SF_PART(d->drawn, 2 * (size_t)d->nagents + 2));
    if (!d->block)
        goto nomem;
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        for (int c = 0; c < cfg->fleet.types[t].count; c++, id++) {
            char name[96];
            snprintf(name, sizeof name, "%s.%d", cfg->fleet.types[t].name, c + 1);
            if (!(d->agent_names[id] = sf_strdup(name)))
                goto nomem;
        }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    free(path);
    return d;
nomem:
    snprintf(err, n, "out of memory");
fail:
    free(path);
    sf_draw_free(d);
    return NULL;
}

void sf_draw_free(sf_draw *d)
{
    if (!d)
        return;
    for (int i = 0; i < TEXT_CACHE; i++)
        if (d->cache[i].tex)
            SDL_DestroyTexture(d->cache[i].tex);
    for (int i = 0; i < 3; i++)
        if (d->font[i])
            TTF_CloseFont(d->font[i]);
    for (uint32_t i = 0; d->agent_names && i < d->nagents; i++)
        free(d->agent_names[i]);
    free(d->block);
    free(d->v);
    free(d->idx);
    free(d);
}

/* ---- view -------------------------------------------------------------- */

static double bay_width(const sf_cfg_layout *L, const sf_cfg_rack *R);
static int rack_side(const sf_cfg_layout *L, const sf_cfg_rack *R);

static void layout_bounds(const sf_scenario_config *cfg, double *x0, double *y0, double *x1, double *y1)
{
    const sf_cfg_layout *L = &cfg->layout;
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
#define GROW(x, y)                                                                                  \
    do {                                                                                            \
        *x0 = fmin(*x0, (x));                                                                       \
        *x1 = fmax(*x1, (x));                                                                       \
        *y0 = fmin(*y0, (y));                                                                       \
        *y1 = fmax(*y1, (y));                                                                       \
    } while (0)
    for (size_t i = 0; i < L->n_nodes; i++)
        GROW(L->nodes[i].x, L->nodes[i].y);
    for (size_t z = 0; z < L->n_zones; z++)
        for (size_t i = 0; i < L->zones[z].n_points; i++)
            GROW(L->zones[z].xy[2 * i], L->zones[z].xy[2 * i + 1]);
    for (size_t i = 0; i < L->n_racks; i++) {
        const sf_cfg_node *n = &L->nodes[L->racks[i].node];
        double bw = bay_width(L, &L->racks[i]), h = 1.0 + L->racks[i].levels * 0.6;
        double side = rack_side(L, &L->racks[i]);
        GROW(n->x - L->racks[i].bays * bw / 2, n->y + side * h);
        GROW(n->x + L->racks[i].bays * bw / 2, n->y);
    }
#undef GROW
    if (!isfinite(*x0)) {
        *x0 = *y0 = 0;
        *x1 = *y1 = 10;
    }
}

void sf_view_fit(sf_view *v, const sf_scenario_config *cfg, int w, int h)
{
    double x0, y0, x1, y1, sx, sy;

    layout_bounds(cfg, &x0, &y0, &x1, &y1);
    x0 -= 4;
    x1 += 4;
    y0 -= 5;
    y1 += 4;
    v->w = w;
    v->h = h;
    /* leave the left 250 px for the HUD and legend when there is room */
    double hud = w > 900 ? 250 : 0;
    sx = (w - hud) / (x1 - x0);
    sy = h / (y1 - y0);
    v->scale = fmin(sx, sy);
    v->cx = (x0 + x1) / 2 - hud / 2 / v->scale;
    v->cy = (y0 + y1) / 2;
}

void sf_view_to_screen(const sf_view *v, double x, double y, float *sx, float *sy)
{
    *sx = (float)(v->w / 2.0 + (x - v->cx) * v->scale);
    *sy = (float)(v->h / 2.0 - (y - v->cy) * v->scale);
}

void sf_view_to_world(const sf_view *v, float sx, float sy, double *x, double *y)
{
    *x = v->cx + (sx - v->w / 2.0) / v->scale;
    *y = v->cy - (sy - v->h / 2.0) / v->scale;
}

/* ---- geometry batch ---------------------------------------------------- */

static bool reserve(sf_draw *d, int nv, int ni)
{
    return sf_grow(d->v, d->cap, (size_t)(d->nv + nv)) == SF_OK && sf_grow(d->idx, d->icap, (size_t)(d->ni + ni)) == SF_OK;
}

static void flush(sf_draw *d)
{
    if (d->ni > 0)
        SDL_RenderGeometry(d->r, NULL, d->v, d->nv, d->idx, d->ni);
    d->nv = d->ni = 0;
}

static int vert(sf_draw *d, float x, float y, SDL_Color c)
{
    d->v[d->nv] = (SDL_Vertex){{x, y}, c, {0, 0}};
    return d->nv++;
}

/*
 * A convex polygon of n screen points, filled, with a feathered rim one
 * pixel wide (its outer edge fully transparent): edges look smooth
 * without multisampling.
 */
static void poly(sf_draw *d, const float *p, int n, SDL_Color c)
{
    float area = 0, ox[64], oy[64];
    int base, outer;

    if (n < 3 || n > 64 || c.a == 0 || !reserve(d, 2 * n, 3 * (n - 2) + 6 * n))
        return;
    if (d->flat) {
        base = d->nv;
        for (int i = 0; i < n; i++)
            vert(d, p[2 * i], p[2 * i + 1], c);
        for (int i = 1; i + 1 < n; i++) {
            d->idx[d->ni++] = base;
            d->idx[d->ni++] = base + i;
            d->idx[d->ni++] = base + i + 1;
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        area += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
    }
    float sign = area > 0 ? 1.0f : -1.0f;
    for (int i = 0; i < n; i++) {
        int a = (i + n - 1) % n, b = (i + 1) % n;
        /* outward normals of the edges before and after vertex i */
        float ex = p[2 * i] - p[2 * a], ey = p[2 * i + 1] - p[2 * a + 1];
        float fx = p[2 * b] - p[2 * i], fy = p[2 * b + 1] - p[2 * i + 1];
        float le = sqrtf(ex * ex + ey * ey), lf = sqrtf(fx * fx + fy * fy);
        float n1x = le > 0 ? sign * ey / le : 0, n1y = le > 0 ? -sign * ex / le : 0;
        float n2x = lf > 0 ? sign * fy / lf : 0, n2y = lf > 0 ? -sign * fx / lf : 0;
        float mx = n1x + n2x, my = n1y + n2y, dot = 1 + n1x * n2x + n1y * n2y;
        float k = dot > 0.25f ? 1.0f / dot : 4.0f;
        ox[i] = mx * k;
        oy[i] = my * k;
    }
    base = d->nv;
    for (int i = 0; i < n; i++)
        vert(d, p[2 * i] - ox[i] * 0.5f, p[2 * i + 1] - oy[i] * 0.5f, c);
    outer = d->nv;
    for (int i = 0; i < n; i++)
        vert(d, p[2 * i] + ox[i] * 0.5f, p[2 * i + 1] + oy[i] * 0.5f, alpha(c, 0));
    for (int i = 1; i + 1 < n; i++) {
        d->idx[d->ni++] = base;
        d->idx[d->ni++] = base + i;
        d->idx[d->ni++] = base + i + 1;
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        d->idx[d->ni++] = base + i;
        d->idx[d->ni++] = base + j;
        d->idx[d->ni++] = outer + j;
        d->idx[d->ni++] = base + i;
        d->idx[d->ni++] = outer + j;
        d->idx[d->ni++] = outer + i;
    }
}

static void circle(sf_draw *d, float x, float y, float r, SDL_Color c)
{
    float p[64];
    int n = r < 3 ? 8 : r < 8 ? 14 : r < 20 ? 22 : 32;
    for (int i = 0; i < n; i++) {
        float a = 2 * PI_F * (float)i / (float)n;
        p[2 * i] = x + r * cosf(a);
        p[2 * i + 1] = y + r * sinf(a);
    }
    poly(d, p, n, c);
}

/*
 * An axis-aligned rectangle: two triangles, no rim (straight edges on the
 * pixel grid need no smoothing, and racks have thousands of cells).
 */
static void rect(sf_draw *d, float x, float y, float w, float h, SDL_Color c)
{
    int b;
    if (w <= 0 || h <= 0 || c.a == 0 || !reserve(d, 4, 6))
        return;
    b = vert(d, x, y, c);
    vert(d, x + w, y, c);
    vert(d, x + w, y + h, c);
    vert(d, x, y + h, c);
    d->idx[d->ni++] = b;
    d->idx[d->ni++] = b + 1;
    d->idx[d->ni++] = b + 2;
    d->idx[d->ni++] = b;
    d->idx[d->ni++] = b + 2;
    d->idx[d->ni++] = b + 3;
}

/* A w x h box centred at (x, y) (pixels), turned by angle a (radians, screen y down), offset by (fx, fy) along it. */
static void obox(sf_draw *d, float x, float y, float a, float fx, float fy, float w, float h, SDL_Color c)
{
    float ca = cosf(a), sa = sinf(a), p[8];
    static const float corner[8] = {-0.5f, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f};
    for (int i = 0; i < 4; i++) {
        float u = fx + corner[2 * i] * w, v = fy + corner[2 * i + 1] * h;
        p[2 * i] = x + u * ca - v * sa;
        p[2 * i + 1] = y + u * sa + v * ca;
    }
    poly(d, p, 4, c);
}

/*
 * A thick line with feathered sides, as a strip cut every 24 pixels: the
 * software renderer scans each triangle's bounding box, so a long
 * diagonal in one piece would cost its whole square.
 */
static void line(sf_draw *d, float x0, float y0, float x1, float y1, float w, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy), ux, uy, nx, ny, hw = w / 2;
    int k, base;
    if (l <= 0 || w <= 0 || c.a == 0)
        return;
    ux = dx / l;
    uy = dy / l;
    nx = -uy;
    ny = ux;
    /* reach a little past both ends so joints close */
    x0 -= ux * w * 0.15f;
    y0 -= uy * w * 0.15f;
    l += w * 0.3f;
    k = (int)ceilf(l / 24.0f);
    if (k < 1)
        k = 1;
    if (k > 4096 || !reserve(d, 4 * (k + 1), 18 * k))
        return;
    base = d->nv;
    for (int i = 0; i <= k; i++) {
        float px = x0 + ux * l * (float)i / (float)k, py = y0 + uy * l * (float)i / (float)k;
        vert(d, px + nx * (hw + 0.5f), py + ny * (hw + 0.5f), alpha(c, 0));
        vert(d, px + nx * (hw - 0.5f), py + ny * (hw - 0.5f), c);
        vert(d, px - nx * (hw - 0.5f), py - ny * (hw - 0.5f), c);
        vert(d, px - nx * (hw + 0.5f), py - ny * (hw + 0.5f), alpha(c, 0));
    }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < 3; j++) {
            int a = base + 4 * i + j, b = a + 4;
            d->idx[d->ni++] = a;
            d->idx[d->ni++] = a + 1;
            d->idx[d->ni++] = b + 1;
            d->idx[d->ni++] = a;
            d->idx[d->ni++] = b + 1;
            d->idx[d->ni++] = b;
        }
}

static void frame_rect(sf_draw *d, float x, float y, float w, float h, float t, SDL_Color c)
{
    rect(d, x, y, w, t, c);
    rect(d, x, y + h - t, w, t, c);
    rect(d, x, y, t, h, c);
    rect(d, x + w - t, y, t, h, c);
}

/* ---- text -------------------------------------------------------------- */

typedef enum { LEFT, CENTER, RIGHT } align;

/* Draw text with its top at y; returns its width in pixels. Cached by (string, size, colour). */
static int text(sf_draw *d, float x, float y, int size, SDL_Color c, align al, const char *s)
{
    uint32_t h = 2166136261u;
    text_entry *e = NULL, *victim = &d->cache[0];

    if (!s[0])
        return 0;
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    h = (h ^ (uint32_t)size) * 16777619u;
    h ^= (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    for (int probe = 0; probe < 8; probe++) {
        text_entry *t = &d->cache[(h + (uint32_t)probe) % TEXT_CACHE];
        if (t->tex && t->size == size && memcmp(&t->c, &c, sizeof c) == 0 && strcmp(t->s, s) == 0) {
            e = t;
            break;
        }
        if (probe == 0 || (victim->tex && (!t->tex || t->used < victim->used)))
            victim = t;
    }
    if (!e) {
        SDL_Surface *surf;
        if (strlen(s) >= sizeof e->s)
            return 0;
        e = victim;
        if (e->tex)
            SDL_DestroyTexture(e->tex);
        e->tex = NULL;
        if (!(surf = TTF_RenderUTF8_Blended(d->font[size], s, c)))
            return 0;
        e->tex = SDL_CreateTextureFromSurface(d->r, surf);
        e->w = surf->w;
        e->h = surf->h;
        SDL_FreeSurface(surf);
        if (!e->tex)
            return 0;
        snprintf(e->s, sizeof e->s, "%s", s);
        e->size = size;
        e->c = c;
    }
    e->used = d->frame;
    SDL_Rect dst = {(int)lroundf(al == LEFT ? x : al == CENTER ? x - e->w / 2.0f : x - e->w), (int)lroundf(y), e->w, e->h};
    SDL_RenderCopy(d->r, e->tex, NULL, &dst);
    return e->w;
}

/* ---- the layout -------------------------------------------------------- */

static void to_screen(const sf_view *v, double x, double y, float *sx, float *sy) { sf_view_to_screen(v, x, y, sx, sy); }

static void draw_grid(sf_draw *d, const sf_view *v)
{
    double x0, y0, x1, y1, step = 5;
    while (step * v->scale < 12)
        step *= 2;
    sf_view_to_world(v, 0, (float)v->h, &x0, &y0);
    sf_view_to_world(v, (float)v->w, 0, &x1, &y1);
    for (double x = floor(x0 / step) * step; x <= x1; x += step) {
        float sx, sy;
        to_screen(v, x, 0, &sx, &sy);
        rect(d, sx - 0.5f, 0, 1, (float)v->h, fmod(fabs(x), 2 * step) < 1e-9 ? C_GRID10 : C_GRID);
    }
    for (double y = floor(y0 / step) * step; y <= y1; y += step) {
        float sx, sy;
        to_screen(v, 0, y, &sx, &sy);
        rect(d, 0, sy - 0.5f, (float)v->w, 1, fmod(fabs(y), 2 * step) < 1e-9 ? C_GRID10 : C_GRID);
    }
}

static SDL_Color zone_color(sf_zone_kind k)
{
    return k == SF_ZONE_COLLABORATIVE ? (SDL_Color){255, 170, 60, 255}
           : k == SF_ZONE_PEOPLE_ONLY ? (SDL_Color){80, 180, 110, 255}
                                       : (SDL_Color){90, 120, 200, 255};
}

static void draw_zones(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    for (size_t z = 0; z < L->n_zones; z++) {
        const sf_cfg_zone *Z = &L->zones[z];
        SDL_Color c = zone_color(Z->kind);
        float p[128];
        size_t n = Z->n_points > 64 ? 64 : Z->n_points;
        bool people = z < s->nzones && s->zone_people[z] > 0;
        for (size_t i = 0; i < n; i++)
            to_screen(v, Z->xy[2 * i], Z->xy[2 * i + 1], &p[2 * i], &p[2 * i + 1]);
        /* zones are usually convex; a fan from the first corner covers the rest well enough */
        poly(d, p, (int)n, alpha(c, people ? 110 : 40));
        for (size_t i = 0; i < n; i++) {
            size_t j = (i + 1) % n;
            line(d, p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1], Z->kind == SF_ZONE_COLLABORATIVE ? 2.5f : 1.5f,
                 alpha(c, 220));
        }
    }
}

static SDL_Color heat_color(float f)
{
    /* yellow to red as waiting grows */
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (SDL_Color){(Uint8)(250 - 30 * f), (Uint8)(220 - 190 * f), (Uint8)(60 - 40 * f), (Uint8)(90 + 165 * f)};
}

static void draw_segments(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    float width = fmaxf(3.0f, (float)(1.4 * v->scale)), maxc = 0;

    for (uint32_t i = 0; i < s->nsegments; i++)
        maxc = fmaxf(maxc, s->congestion[i]);
    for (size_t i = 0; i < L->n_segments; i++) {
        const sf_cfg_segment *g = &L->segments[i];
        float x0, y0, x1, y1;
        to_screen(v, L->nodes[g->from].x, L->nodes[g->from].y, &x0, &y0);
        to_screen(v, L->nodes[g->to].x, L->nodes[g->to].y, &x1, &y1);
        line(d, x0, y0, x1, y1, width, C_ROAD);
    }
    for (size_t i = 0; i < L->n_segments; i++) {
        const sf_cfg_segment *g = &L->segments[i];
        float x0, y0, x1, y1;
        to_screen(v, L->nodes[g->from].x, L->nodes[g->from].y, &x0, &y0);
        to_screen(v, L->nodes[g->to].x, L->nodes[g->to].y, &x1, &y1);
        if (v->heat && i < s->nsegments && s->congestion[i] > 0 && maxc > 0)
            line(d, x0, y0, x1, y1, width, heat_color(s->congestion[i] / maxc));
        else
            line(d, x0, y0, x1, y1, fmaxf(1.0f, width * 0.08f), C_ROAD_LINE);
        if (!g->two_way) {
            /* a chevron in the middle pointing the one way */
            float mx = (x0 + x1) / 2, my = (y0 + y1) / 2, a = atan2f(y1 - y0, x1 - x0), k = width * 0.35f;
            float p[6] = {mx + k * cosf(a), my + k * sinf(a), mx + k * cosf(a + 2.4f), my + k * sinf(a + 2.4f),
                          mx + k * cosf(a - 2.4f), my + k * sinf(a - 2.4f)};
            poly(d, p, 3, C_TEXT_DIM);
        }
    }
}

/*
 * A rack's bay width (metres): 1 m, narrower when another rack in the same
 * row stands closer than its bays would need, so neighbours never overlap.
 * The scenario gives a rack's access node, not its footprint. O(racks).
 */
static double bay_width(const sf_cfg_layout *L, const sf_cfg_rack *R)
{
    const sf_cfg_node *n = &L->nodes[R->node];
    double room = INFINITY;
    for (size_t i = 0; i < L->n_racks; i++) {
        const sf_cfg_node *m = &L->nodes[L->racks[i].node];
        if (&L->racks[i] != R && fabs(m->y - n->y) < 3 && fabs(m->x - n->x) > 1e-9)
            room = fmin(room, fabs(m->x - n->x));
    }
    return R->bays > 0 ? fmin(1.0, 0.9 * room / R->bays) : 1.0;
}

/*
 * Which side of its node a rack stands on: +1 above, -1 below, away from
 * the way vehicles come to it (the mean direction of the segments at the
 * node; above when they run level).
 */
static int rack_side(const sf_cfg_layout *L, const sf_cfg_rack *R)
{
    double dy = 0;
    for (size_t i = 0; i < L->n_segments; i++) {
        const sf_cfg_segment *g = &L->segments[i];
        if (g->from == R->node)
            dy += L->nodes[g->to].y - L->nodes[R->node].y;
        else if (g->to == R->node)
            dy += L->nodes[g->from].y - L->nodes[R->node].y;
    }
    return dy > 1e-9 ? -1 : 1;
}

/* Where a rack is drawn: its bays side by side beside its node, levels stacked upwards. */
static void rack_box(const sf_view *v, const sf_cfg_layout *L, const sf_cfg_rack *R, float *x, float *y, float *cw,
                     float *ch)
{
    const sf_cfg_node *n = &L->nodes[R->node];
    double bw = bay_width(L, R), top = rack_side(L, R) > 0 ? n->y + 1.0 + R->levels * 0.6 : n->y - 1.0;
    to_screen(v, n->x - R->bays * bw / 2, top, x, y);
    *cw = (float)(v->scale * bw);
    *ch = (float)v->scale * 0.6f;
}

void sf_draw_rack_cell(const sf_view *v, const sf_scenario_config *cfg, size_t rack, int bay, int level, float *sx,
                       float *sy)
{
    const sf_cfg_rack *R = &cfg->layout.racks[rack];
    float x, y, cw, ch;
    rack_box(v, &cfg->layout, R, &x, &y, &cw, &ch);
    *sx = x + (bay + 0.5f) * cw;
    *sy = y + (R->levels - 1 - level + 0.5f) * ch;
}

static void draw_racks(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    size_t c = 0;

    for (size_t r = 0; r < L->n_racks; r++) {
        const sf_cfg_rack *R = &L->racks[r];
        int depth = R->depth > 0 ? R->depth : 1;
        float x, y, cw, ch;
        rack_box(v, L, R, &x, &y, &cw, &ch);
        rect(d, x - 2, y - 2, cw * R->bays + 4, ch * R->levels + 4, C_RACK);
        for (int b = 0; b < R->bays; b++)
            for (int l = 0; l < R->levels; l++) {
                int full = 0;
                for (int k = 0; k < depth; k++)
                    full += c < s->ncells && s->cells[c++];
                SDL_Color col = full ? C_CELL_FULL : C_CELL_EMPTY;
                if (full && depth > 1)
                    col = alpha(col, (Uint8)(120 + 135 * full / depth));
                /* level 0 at the bottom */
                float gap = cw > 5 ? 1 : 0;
                rect(d, x + b * cw + gap, y + (R->levels - 1 - l) * ch + gap, cw - 2 * gap, ch - 2 * gap, col);
            }
    }
}

/* Slot k (0 at the bottom) of a station's input (side 0, left) or output (side 1, right) buffer, in pixels. */
static void slot_box(const sf_view *v, const sf_cfg_layout *L, size_t station, int side, int k, float *x, float *y,
                     float *w, float *h)
{
    float cx, cy, m = (float)v->scale, size = fmaxf(12, 2.4f * m);
    to_screen(v, L->nodes[L->stations[station].node].x, L->nodes[L->stations[station].node].y, &cx, &cy);
    *w = fmaxf(4, 0.45f * m);
    *h = size / 8 - 1;
    *x = side == 0 ? cx - size / 2 - *w - 2 : cx + size / 2 + 2;
    *y = cy + size / 2 - (float)(k + 1) * size / 8;
}

void sf_draw_buffer_slot(const sf_view *v, const sf_scenario_config *cfg, size_t station, bool output, int k,
                         float *sx, float *sy)
{
    float x, y, w, h;
    slot_box(v, &cfg->layout, station, output, k, &x, &y, &w, &h);
    *sx = x + w / 2;
    *sy = y + h / 2;
}

static void draw_places(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    float m = (float)v->scale;

    for (size_t i = 0; i < L->n_docks; i++) {
        float x, y;
        to_screen(v, L->nodes[L->docks[i].node].x, L->nodes[L->docks[i].node].y, &x, &y);
        int doors = L->docks[i].doors > 0 ? L->docks[i].doors : 1;
        float w = fmaxf(10, 1.6f * m), h = fmaxf(8, 1.2f * m);
        float x0 = x - w / 2 * doors - (doors - 1) * 0.1f * m;
        for (int k = 0; k < doors; k++)
            rect(d, x0 + k * (w + 0.2f * m), y + 0.8f * m, w, h, C_DOCK);
    }
    for (size_t i = 0; i < L->n_parking; i++) {
        float x, y, w = fmaxf(10, 2.4f * m);
        to_screen(v, L->nodes[L->parking[i].node].x, L->nodes[L->parking[i].node].y, &x, &y);
        frame_rect(d, x - w / 2, y - w / 2, w, w, fmaxf(1, 0.12f * m), C_PARK);
    }
    for (size_t i = 0; i < L->n_chargers; i++) {
        float x, y, w = fmaxf(10, 1.4f * m);
        to_screen(v, L->nodes[L->chargers[i].node].x, L->nodes[L->chargers[i].node].y, &x, &y);
        float bx = x + 1.4f * m, by = y - w / 2;
        rect(d, bx, by, w, w, C_CHARGER);
        /* a lightning bolt */
        float p1[8] = {bx + 0.55f * w, by + 0.12f * w, bx + 0.25f * w, by + 0.55f * w, bx + 0.5f * w, by + 0.55f * w,
                       bx + 0.62f * w, by + 0.3f * w};
        float p2[8] = {bx + 0.45f * w, by + 0.88f * w, bx + 0.75f * w, by + 0.45f * w, bx + 0.5f * w, by + 0.45f * w,
                       bx + 0.38f * w, by + 0.7f * w};
        poly(d, p1, 4, C_WHITE);
        poly(d, p2, 4, C_WHITE);
    }
    for (size_t i = 0; i < L->n_stations; i++) {
        const sf_cfg_station *S = &L->stations[i];
        float x, y, w = fmaxf(12, 2.4f * m);
        sf_state st = i < s->nstations && s->station_state[i] < SF_STATES ? s->station_state[i] : SF_STATE_IDLE;
        to_screen(v, L->nodes[S->node].x, L->nodes[S->node].y, &x, &y);
        rect(d, x - w / 2 - 2, y - w / 2 - 2, w + 4, w + 4, C_DARK);
        rect(d, x - w / 2, y - w / 2, w, w, sf_draw_state_color(st));
        /* buffers: in on the left, out on the right, one slot per place (up to 8), filled per unit */
        for (int side = 0; side < 2; side++) {
            int places = side == 0 ? S->buffer_in : S->buffer_out;
            int units = i < s->nstations ? s->buffered[2 * i + (size_t)side] : 0;
            for (int k = 0; k < places && k < 8; k++) {
                /* more than 8 places: each slot stands for a share of them */
                int need = places > 8 ? (k + 1) * places / 8 : k + 1;
                float sx, sy, bw, bh;
                slot_box(v, L, i, side, k, &sx, &sy, &bw, &bh);
                if (units >= need)
                    rect(d, sx, sy, bw, bh, C_CELL_FULL);
                frame_rect(d, sx, sy, bw, bh, 1, C_DARK);
            }
        }
        if ((int64_t)i == v->selected_station)
            frame_rect(d, x - w / 2 - 5, y - w / 2 - 5, w + 10, w + 10, 2, C_TEXT);
    }
}

static void draw_labels(sf_draw *d, const sf_view *v)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    float m = (float)v->scale, x, y;

    if (m < 3)
        return;
    for (size_t i = 0; i < L->n_docks; i++) {
        to_screen(v, L->nodes[L->docks[i].node].x, L->nodes[L->docks[i].node].y, &x, &y);
        text(d, x, y + 0.8f * m + fmaxf(8, 1.2f * m) + 2, SMALL, C_TEXT_DIM, CENTER, L->docks[i].name);
    }
    for (size_t i = 0; i < L->n_racks; i++) {
        float cw, ch;
        rack_box(v, L, &L->racks[i], &x, &y, &cw, &ch);
        if (cw * (float)L->racks[i].bays >= 7.0f * (float)strlen(L->racks[i].name))
            text(d, x, y - 18, SMALL, C_TEXT_DIM, LEFT, L->racks[i].name);
    }
    for (size_t i = 0; i < L->n_chargers; i++) {
        to_screen(v, L->nodes[L->chargers[i].node].x, L->nodes[L->chargers[i].node].y, &x, &y);
        text(d, x + 1.4f * m, y + fmaxf(10, 1.4f * m) / 2 + 2, SMALL, C_TEXT_DIM, LEFT, L->chargers[i].name);
    }
    for (size_t i = 0; i < L->n_stations; i++) {
        to_screen(v, L->nodes[L->stations[i].node].x, L->nodes[L->stations[i].node].y, &x, &y);
        text(d, x, y + fmaxf(12, 2.4f * m) / 2 + 4, SMALL, C_TEXT, CENTER, L->stations[i].name);
    }
    for (size_t i = 0; i < L->n_zones; i++) {
        const sf_cfg_zone *Z = &L->zones[i];
        double zx = Z->xy[0], zy = Z->xy[1];
        for (size_t k = 1; k < Z->n_points; k++) {
            zx = fmin(zx, Z->xy[2 * k]);
            zy = fmax(zy, Z->xy[2 * k + 1]);
        }
        to_screen(v, zx, zy, &x, &y);
        text(d, x + 4, y + 3, SMALL, C_TEXT_DIM, LEFT, Z->name);
    }
}

/* ---- agents ------------------------------------------------------------ */

/*
 * One agent at screen point (x, y) facing `h` (screen angle), `k` pixels
 * per metre (at least enough to see it), in colour c.
 */
static void agent_shape(sf_draw *d, const sf_snap_agent *a, float x, float y, float h, float k, SDL_Color c,
                        sf_time now)
{
    switch (a->kind) {
    case SF_AGENT_FORKLIFT:
        /* forks ahead, mast, body; the load on the forks */
        obox(d, x, y, h, 0.75f * k, -0.25f * k, 1.1f * k, 0.14f * k, C_DARK);
        obox(d, x, y, h, 0.75f * k, 0.25f * k, 1.1f * k, 0.14f * k, C_DARK);
        if (a->loaded)
            obox(d, x, y, h, 0.8f * k, 0, 1.0f * k, 0.9f * k, C_LOAD);
        obox(d, x, y, h, -0.45f * k, 0, 1.3f * k + 2, 1.0f * k + 2, C_DARK);
        obox(d, x, y, h, -0.45f * k, 0, 1.3f * k, 1.0f * k, c);
        obox(d, x, y, h, 0.2f * k, 0, 0.12f * k, 0.9f * k, C_DARK);
        break;
    case SF_AGENT_AGV: {
        float p[16], w = 0.6f * k, l = 0.55f * k, ch = 0.15f * k, ca = cosf(h), sa = sinf(h);
        const float u[8] = {-l, -l + ch, l - ch, l, l, l - ch, -l + ch, -l};
        const float q[8] = {-w + ch, -w, -w, -w + ch, w - ch, w, w, w - ch};
        for (int i = 0; i < 8; i++) {
            p[2 * i] = x + u[i] * ca - q[i] * 0.75f * sa;
            p[2 * i + 1] = y + u[i] * sa + q[i] * 0.75f * ca;
        }
        obox(d, x, y, h, 0, 0, 2 * l + 2, 1.5f * w + 2, C_DARK);
        poly(d, p, 8, c);
        if (a->loaded)
            obox(d, x, y, h, 0, 0, 0.7f * k, 0.6f * k, C_LOAD);
        /* a chevron pointing forward */
        float t[6] = {x + 0.5f * k * ca, y + 0.5f * k * sa, x + 0.25f * k * ca - 0.2f * k * sa,
                      y + 0.25f * k * sa + 0.2f * k * ca, x + 0.25f * k * ca + 0.2f * k * sa,
                      y + 0.25f * k * sa - 0.2f * k * ca};
        poly(d, t, 3, C_WHITE);
        break;
    }
    case SF_AGENT_ARM: {
        /* base, then two links; they sweep while the arm works */
        double ts = (double)now / 1e9;
        bool busy = a->state == SF_STATE_WORKING || a->state == SF_STATE_REDUCED_SPEED;
        float speed = a->state == SF_STATE_REDUCED_SPEED ? 0.35f : 1.0f;
        float a1 = h + (busy ? 0.7f * (float)sin(2 * 3.14159265358979 * fmod(ts * speed / 4.0, 1.0)) : 0.5f);
        float a2 = busy ? 0.9f * (float)sin(2 * 3.14159265358979 * fmod(ts * speed / 2.7, 1.0)) - 0.4f : -1.6f;
        float ex = x + 0.8f * k * cosf(a1), ey = y + 0.8f * k * sinf(a1);
        float tx = ex + 0.6f * k * cosf(a1 + a2), ty = ey + 0.6f * k * sinf(a1 + a2);
        circle(d, x, y, 0.45f * k + 1, C_DARK);
        circle(d, x, y, 0.45f * k, c);
        line(d, x, y, ex, ey, 0.24f * k + 1, C_DARK);
        line(d, ex, ey, tx, ty, 0.18f * k + 1, C_DARK);
        line(d, x, y, ex, ey, 0.24f * k - 1, c);
        line(d, ex, ey, tx, ty, 0.18f * k - 1, c);
        circle(d, ex, ey, 0.14f * k, C_DARK);
        circle(d, tx, ty, 0.1f * k, C_HAT);
        break;
    }
    case SF_AGENT_HUMANOID:
        /* a robot seen from above: square shoulders, square head with a visor */
        obox(d, x, y, h, 0, 0, 0.42f * k + 2, 0.8f * k + 2, C_DARK);
        obox(d, x, y, h, 0, 0, 0.42f * k, 0.8f * k, c);
        obox(d, x, y, h, 0.02f * k, 0, 0.34f * k, 0.34f * k, C_DARK);
        obox(d, x, y, h, 0.14f * k, 0, 0.07f * k, 0.26f * k, (SDL_Color){120, 220, 255, 255});
        break;
    default: {
        /* a person: round shoulders and a yellow hard hat */
        float ca = cosf(h), sa = sinf(h);
        circle(d, x, y, 0.38f * k + 1, C_DARK);
        circle(d, x, y, 0.38f * k, c);
        circle(d, x + 0.05f * k * ca, y + 0.05f * k * sa, 0.2f * k, C_HAT);
        break;
    }
    }
}

static float agent_scale(const sf_draw *d, const sf_view *v)
{
    float k = (float)v->scale;
    return k * 1.3f < d->minpx ? d->minpx / 1.3f : k;
}

static int spot_cmp(const void *pa, const void *pb)
{
    const struct spot *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/*
 * Screen positions of the agents. Agents standing on the very same point
 * (parked at one node) are fanned out in rows of four beside the first,
 * so a trainer sees three forklifts at the charger, not one. O(n log n).
 */
static void place_agents(sf_draw *d, const sf_view *v, const sf_snapshot *s, float k)
{
    uint32_t n = s->nagents < d->nagents ? s->nagents : d->nagents;
    for (uint32_t i = 0; i < n; i++)
        d->spots[i] = (struct spot){s->agents[i].x, s->agents[i].y, i};
    qsort(d->spots, n, sizeof *d->spots, spot_cmp);
    for (uint32_t j = 0, run = 0; j < n; j++) {
        const struct spot *p = &d->spots[j];
        float x, y;
        run = j > 0 && p->x == d->spots[j - 1].x && p->y == d->spots[j - 1].y ? run + 1 : 0;
        to_screen(v, p->x, p->y, &x, &y);
        uint32_t slot = run < 16 ? run : 15;
        d->drawn[2 * p->i] = x + (float)(slot % 4) * 1.5f * k;
        d->drawn[2 * p->i + 1] = y + (float)(slot / 4) * 1.5f * k;
    }
}

static void draw_agents(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    float k = agent_scale(d, v);

    /* agents under 20 pixels long are drawn without rims: a third of the triangles */
    d->flat = k * 1.3f < 20;
    place_agents(d, v, s, k);

    for (uint32_t i = 0; i < s->nagents && i < d->nagents; i++) {
        const sf_snap_agent *a = &s->agents[i];
        float x = d->drawn[2 * i], y = d->drawn[2 * i + 1];
        if (x < -50 || y < -50 || x > v->w + 50 || y > v->h + 50)
            continue;
        SDL_Color c = sf_draw_state_color(a->state);
        /* safety: a halo, orange when slowed, red when stopped */
        if (a->state == SF_STATE_REDUCED_SPEED || a->state == SF_STATE_SAFETY_STOP)
            circle(d, x, y, 1.1f * k, alpha(sf_draw_state_color(a->state), 90));
        if ((int64_t)i == v->selected_agent)
            circle(d, x, y, 1.0f * k + 4, alpha(C_TEXT, 70));
        agent_shape(d, a, x, y, -a->heading, k, c, s->now);
        if (a->battery >= 0 && k >= 6) {
            /* battery bar above */
            float bw = 1.2f * k, bh = fmaxf(3, 0.18f * k), bx = x - bw / 2, by = y - 0.85f * k - bh;
            float f = a->battery < 0 ? 0 : a->battery > 1 ? 1 : a->battery;
            SDL_Color bc = a->flat ? C_ALARM : f < 0.25f ? (SDL_Color){230, 80, 40, 255}
                                   : f < 0.5f ? (SDL_Color){235, 175, 30, 255} : (SDL_Color){60, 170, 80, 255};
            rect(d, bx - 1, by - 1, bw + 2, bh + 2, C_DARK);
            rect(d, bx, by, bw * f, bh, bc);
        }
    }
    d->flat = false;
}

static void draw_trails(sf_draw *d, const sf_view *v, const sf_trails *t)
{
    if (!t || t->count < 2)
        return;
    for (uint32_t i = 0; i < t->nagents; i++)
        for (uint32_t k = 1; k < t->count; k++) {
            uint32_t a = (t->head + SF_TRAIL_POINTS - t->count + k - 1) % SF_TRAIL_POINTS;
            uint32_t b = (a + 1) % SF_TRAIL_POINTS;
            const float *pa = &t->xy[((size_t)i * SF_TRAIL_POINTS + a) * 2], *pb = &t->xy[((size_t)i * SF_TRAIL_POINTS + b) * 2];
            float x0, y0, x1, y1;
            if (pa[0] == pb[0] && pa[1] == pb[1])
                continue;
            to_screen(v, pa[0], pa[1], &x0, &y0);
            to_screen(v, pb[0], pb[1], &x1, &y1);
            line(d, x0, y0, x1, y1, 2, (SDL_Color){58, 123, 213, (Uint8)(30 + 150 * k / t->count)});
        }
}

/* ---- HUD, legend, overlays --------------------------------------------- */

static void panel(sf_draw *d, float x, float y, float w, float h)
{
    rect(d, x - 1, y - 1, w + 2, h + 2, C_PANEL_EDGE);
    rect(d, x, y, w, h, C_PANEL);
}

static const char *const kind_labels[SF_AGENT_KINDS] = {"forklift", "AGV", "robot arm", "humanoid", "worker"};

/* The inspector's extra lines (text with line breaks), from y down to the panel's end, 60 characters each. */
static void inspect_lines(sf_draw *d, const char *p, float x, float y)
{
    char buf[64];

    while (p && *p && y < 150) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s", (int)(n < 60 ? n : 60), p);
        text(d, x, y, SMALL, C_TEXT_DIM, LEFT, buf);
        y += 17;
        p += n + (nl ? 1 : 0);
    }
}
/* Two lines of an alarm at (x, y), without the folders of a file name it starts with. */
static void draw_alarm(sf_draw *d, float x, float y, const char *alarm)
{
    char a[64];
    const char *p = alarm, *colon = strchr(p, ':');

    for (const char *q = p; colon && q < colon; q++)
        if (*q == '/')
            p = q + 1;
    snprintf(a, sizeof a, "%.34s", p);
    text(d, x, y, SMALL, C_ALARM, LEFT, a);
    if (strlen(p) > 34) {
        snprintf(a, sizeof a, "%.34s%s", p + 34, strlen(p) > 68 ? "..." : "");
        text(d, x, y + 16, SMALL, C_ALARM, LEFT, a);
    }
}

/* A bar of 1, 5, 10, 20... m, at least 60 pixels long, in the bottom right corner. */
static void draw_scale_bar(sf_draw *d, const sf_view *v)
{
    char buf[32];
    double m = 1;

    while (m * v->scale < 60)
        m *= m == 1 ? 5 : 2;
    float bx = (float)v->w - 20 - (float)(m * v->scale), by = (float)v->h - 24;
    rect(d, bx, by, (float)(m * v->scale), 4, C_TEXT);
    rect(d, bx, by - 6, 2, 10, C_TEXT);
    rect(d, bx + (float)(m * v->scale) - 2, by - 6, 2, 10, C_TEXT);
    flush(d);
    snprintf(buf, sizeof buf, "%g m", m);
    text(d, bx + (float)(m * v->scale) / 2, by - 22, SMALL, C_TEXT, CENTER, buf);
}

/* The inspector's text: the selected agent or station, and what the view was told about it. */
static void draw_inspector(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    char buf[200];

    if (v->selected_agent >= 0 && (uint64_t)v->selected_agent < s->nagents) {
        const sf_snap_agent *a = &s->agents[v->selected_agent];
        float ix = (float)v->w - 250, iy = 20;
        text(d, ix, iy, LARGE, C_TEXT, LEFT, d->agent_names[v->selected_agent]);
        snprintf(buf, sizeof buf, "%s, %s%s", kind_labels[a->kind % SF_AGENT_KINDS], sf_state_name(a->state),
                 a->loaded ? ", loaded" : "");
        text(d, ix, iy + 26, NORMAL, C_TEXT, LEFT, buf);
        if (a->battery >= 0) {
            snprintf(buf, sizeof buf, "battery %.0f %%%s", 100.0 * a->battery, a->flat ? " (flat)" : "");
            text(d, ix, iy + 46, NORMAL, C_TEXT, LEFT, buf);
        }
        inspect_lines(d, v->inspect, ix, iy + 66);
    } else if (v->selected_station >= 0 && (uint64_t)v->selected_station < d->cfg->layout.n_stations) {
        const sf_cfg_station *S = &d->cfg->layout.stations[v->selected_station];
        float ix = (float)v->w - 250, iy = 20;
        text(d, ix, iy, LARGE, C_TEXT, LEFT, S->name);
        snprintf(buf, sizeof buf, "group %s, %s", S->group ? S->group : "-",
                 sf_state_name(s->station_state[v->selected_station] < SF_STATES ? s->station_state[v->selected_station] : 0));
        text(d, ix, iy + 26, NORMAL, C_TEXT, LEFT, buf);
        snprintf(buf, sizeof buf, "buffers %u of %d in, %u of %d out", s->buffered[2 * v->selected_station],
                 S->buffer_in, s->buffered[2 * v->selected_station + 1], S->buffer_out);
        text(d, ix, iy + 46, SMALL, C_TEXT_DIM, LEFT, buf);
        snprintf(buf, sizeof buf, "power %.1f kW idle, %.1f kW busy, %.1f kW setup", S->power_idle / 1000,
                 S->power_busy / 1000, S->power_setup / 1000);
        text(d, ix, iy + 64, SMALL, C_TEXT_DIM, LEFT, buf);
        inspect_lines(d, v->inspect, ix, iy + 84);
    }
}

static void draw_hud(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    char buf[200], when[64];
    long long sec = (long long)(s->now / SF_SECOND);
    double hours = (double)s->now / 3.6e12;
    bool states[SF_STATES] = {false}, kinds[SF_AGENT_KINDS] = {false};
    int nstates = 0, nkinds = 0;
    float x = 12, y = 12, w = 226;

    /* which states and kinds to explain */
    for (uint32_t i = 0; i < s->nagents; i++) {
        if (s->agents[i].state < SF_STATES)
            states[s->agents[i].state] = true;
        if (s->agents[i].kind < SF_AGENT_KINDS)
            kinds[s->agents[i].kind] = true;
    }
    for (uint32_t i = 0; i < s->nstations; i++)
        if (s->station_state[i] < SF_STATES)
            states[s->station_state[i]] = true;
    for (int i = 0; i < SF_STATES; i++)
        nstates += states[i];
    for (int i = 0; i < SF_AGENT_KINDS; i++)
        nkinds += kinds[i];

    /* panels and swatches first (one batch), text after */
    float hud_h = s->alarm[0] ? 204 : 170;
    float leg_y = y + hud_h + 10, leg_h = 30 + 18 * (float)nstates + 8 + 22 * (float)nkinds;
    panel(d, x, y, w, hud_h);
    panel(d, x, leg_y, w, leg_h);
    {
        float ly = leg_y + 28;
        for (int i = 0; i < SF_STATES; i++)
            if (states[i]) {
                rect(d, x + 12, ly + 2, 14, 12, sf_draw_state_color((sf_state)i));
                ly += 18;
            }
        ly += 8;
        for (int i = 0; i < SF_AGENT_KINDS; i++)
            if (kinds[i]) {
                sf_snap_agent a = {0};
                a.kind = (uint8_t)i;
                a.loaded = i == SF_AGENT_FORKLIFT;
                agent_shape(d, &a, x + 20, ly + 9, i == SF_AGENT_ARM ? -0.8f : 0, 12, state_colors[SF_STATE_TRAVEL_EMPTY], 0);
                ly += 22;
            }
    }
    if (v->selected_agent >= 0 || v->selected_station >= 0)
        panel(d, (float)v->w - 262, 12, 250, 150);
    if (v->end > 0) {
        float tx, ty, tw, th, f = (float)((double)s->now / (double)v->end);
        sf_view_timeline(v, &tx, &ty, &tw, &th);
        rect(d, tx, ty, tw, th, C_PANEL_EDGE);
        rect(d, tx, ty, tw * (f < 0 ? 0 : f > 1 ? 1 : f), th, state_colors[SF_STATE_TRAVEL_EMPTY]);
        circle(d, tx + tw * (f < 0 ? 0 : f > 1 ? 1 : f), ty + th / 2, th, C_DARK);
    }
    draw_scale_bar(d, v);
    flush(d);

    text(d, x + 12, y + 8, LARGE, C_TEXT, LEFT, d->cfg->scenario.name ? d->cfg->scenario.name : "shopfloor");
    {
        long long tod = sec + d->cfg->scenario.start_time_of_day / SF_SECOND;
        snprintf(when, sizeof when, "day %lld  %02lld:%02lld:%02lld", tod / 86400 + 1, tod / 3600 % 24, tod / 60 % 60,
                 tod % 60);
    }
    text(d, x + 12, y + 36, LARGE, C_TEXT, LEFT, when);
    if (v->paused)
        snprintf(buf, sizeof buf, "paused");
    else
        snprintf(buf, sizeof buf, "speed %gx", v->speed);
    text(d, x + 12, y + 62, NORMAL, v->paused ? C_ALARM : C_TEXT_DIM, LEFT, buf);
    snprintf(buf, sizeof buf, "done %llu of %llu released", (unsigned long long)s->completed,
             (unsigned long long)s->released);
    text(d, x + 12, y + 84, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "throughput %.1f / h", hours > 0 ? (double)s->completed / hours : 0.0);
    text(d, x + 12, y + 104, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "power %.1f kW", s->power / 1000.0);
    text(d, x + 12, y + 124, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "energy %.1f kWh", s->energy / 3.6e6);
    text(d, x + 12, y + 144, NORMAL, C_TEXT, LEFT, buf);
    if (s->alarm[0])
        draw_alarm(d, x + 12, y + 166, s->alarm);
    if (v->status && v->status[0])
        text(d, (float)v->w / 2, (float)v->h - 30, NORMAL, C_TEXT, CENTER, v->status);

    text(d, x + 12, leg_y + 6, NORMAL, C_TEXT, LEFT, "state");
    {
        float ly = leg_y + 28;
        for (int i = 0; i < SF_STATES; i++)
            if (states[i]) {
                text(d, x + 34, ly, SMALL, C_TEXT, LEFT, sf_state_name((sf_state)i));
                ly += 18;
            }
        ly += 8;
        for (int i = 0; i < SF_AGENT_KINDS; i++)
            if (kinds[i]) {
                text(d, x + 42, ly + 2, SMALL, C_TEXT, LEFT, kind_labels[i]);
                ly += 22;
            }
    }
    if (v->end > 0) {
        float tx, ty, tw, th;
        char a[40], b[40];
        sf_time_format(s->now, a, sizeof a);
        sf_time_format(v->end, b, sizeof b);
        sf_view_timeline(v, &tx, &ty, &tw, &th);
        snprintf(buf, sizeof buf, "%s / %s", a, b);
        text(d, tx, ty - 18, SMALL, C_TEXT_DIM, LEFT, buf);
    }
    if (v->heat || v->trails) {
        snprintf(buf, sizeof buf, "%s%s", v->heat ? "heat map: waiting per segment  " : "", v->trails ? "trails" : "");
        text(d, (float)v->w / 2, 8, SMALL, C_TEXT_DIM, CENTER, buf);
    }
    draw_inspector(d, v, s);
}

static void draw_help(sf_draw *d, const sf_view *v)
{
    static const char *const lines[][2] = {
        {"space", "pause / go on"},
        {"+  -", "faster / slower (1x to 10,000x)"},
        {"right", "one step forward (pauses)"},
        {"left, PgUp, Home", "back a step, a minute, to the start (replay)"},
        {"PgDn", "a minute forward"},
        {"wheel", "zoom at the pointer"},
        {"drag", "move the picture"},
        {"click", "inspect an agent or a station"},
        {"H", "heat map of waiting (congestion)"},
        {"T", "trails"},
        {"F", "follow the selected agent"},
        {"R", "restart"},
        {"S", "save a PNG screenshot"},
        {"0", "fit the layout"},
        {"?", "this help"},
        {"Esc, Q", "close the help, or quit"},
    };
    int n = (int)(sizeof lines / sizeof lines[0]);
    float w = 520, h = 56 + 21 * (float)n, x = (float)v->w / 2 - w / 2, y = (float)v->h / 2 - h / 2;

    rect(d, 0, 0, (float)v->w, (float)v->h, (SDL_Color){30, 35, 45, 90});
    panel(d, x, y, w, h);
    flush(d);
    text(d, x + 20, y + 12, LARGE, C_TEXT, LEFT, "controls");
    for (int i = 0; i < n; i++) {
        text(d, x + 20, y + 44 + 21 * (float)i, NORMAL, C_TEXT, LEFT, lines[i][0]);
        text(d, x + 170, y + 44 + 21 * (float)i, NORMAL, C_TEXT_DIM, LEFT, lines[i][1]);
    }
}

void sf_draw_frame(sf_draw *d, const sf_view *v, const sf_snapshot *s, const sf_trails *trails)
{
    d->frame++;
    SDL_SetRenderDrawColor(d->r, C_BG.r, C_BG.g, C_BG.b, 255);
    SDL_RenderClear(d->r);
    draw_grid(d, v);
    draw_zones(d, v, s);
    draw_segments(d, v, s);
    draw_racks(d, v, s);
    draw_places(d, v, s);
    flush(d);
    draw_labels(d, v);
    if (v->trails)
        draw_trails(d, v, trails);
    draw_agents(d, v, s);
    flush(d);
    draw_hud(d, v, s);
    if (v->help)
        draw_help(d, v);
    flush(d);
}

int sf_draw_pick(const sf_draw *d, const sf_view *v, const sf_snapshot *s, float sx, float sy, int64_t *agent,
                 int64_t *station)
{
    const sf_scenario_config *cfg = d->cfg;
    float best = 14 * 14;
    *agent = *station = -1;
    for (uint32_t i = 0; i < s->nagents && i < d->nagents; i++) {
        float x = d->drawn[2 * i], y = d->drawn[2 * i + 1];
        float dd = (x - sx) * (x - sx) + (y - sy) * (y - sy);
        if (dd < best) {
            best = dd;
            *agent = i;
        }
    }
    if (*agent >= 0)
        return SF_OK;
    for (size_t i = 0; i < cfg->layout.n_stations; i++) {
        const sf_cfg_node *n = &cfg->layout.nodes[cfg->layout.stations[i].node];
        float x, y, w = fmaxf(12, 2.4f * (float)v->scale);
        sf_view_to_screen(v, n->x, n->y, &x, &y);
        if (fabsf(sx - x) <= w / 2 && fabsf(sy - y) <= w / 2) {
            *station = (int64_t)i;
            return SF_OK;
        }
    }
    return SF_ENOTFOUND;
}

void sf_view_timeline(const sf_view *v, float *x, float *y, float *w, float *h)
{
    *x = 260;
    *w = (float)v->w - 260 - 160;
    *h = 6;
    *y = (float)v->h - 22;
}

void sf_draw_agent_at(const sf_draw *d, uint32_t i, float *sx, float *sy)
{
    *sx = i < d->nagents ? d->drawn[2 * i] : NAN;
    *sy = i < d->nagents ? d->drawn[2 * i + 1] : NAN;
}

/* ---- trails ------------------------------------------------------------ */

int sf_trails_init(sf_trails *t, uint32_t nagents)
{
    memset(t, 0, sizeof *t);
    t->nagents = nagents;
    t->xy = sf_calloc((size_t)nagents * SF_TRAIL_POINTS * 2 + 1, sizeof *t->xy);
    t->last = SF_TIME_MIN;
    return t->xy ? SF_OK : SF_ENOMEM;
}

void sf_trails_close(sf_trails *t)
{
    free(t->xy);
    memset(t, 0, sizeof *t);
}

void sf_trails_add(sf_trails *t, const sf_snapshot *s, sf_time every)
{
    if (s->now < t->last) {
        t->count = 0;
        t->last = SF_TIME_MIN;
    }
    if (t->last != SF_TIME_MIN && s->now - t->last < every)
        return;
    for (uint32_t i = 0; i < t->nagents && i < s->nagents; i++) {
        t->xy[((size_t)i * SF_TRAIL_POINTS + t->head) * 2] = s->agents[i].x;
        t->xy[((size_t)i * SF_TRAIL_POINTS + t->head) * 2 + 1] = s->agents[i].y;
    }
    t->head = (t->head + 1) % SF_TRAIL_POINTS;
    if (t->count < SF_TRAIL_POINTS)
        t->count++;
    t->last = s->now;
}

/* ---- pictures ---------------------------------------------------------- */

/*
 * The PNG is encoded straight into the atomic writer's temporary file
 * (an SDL stream over its FILE), so a picture is synced and renamed like
 * every other output file and a failed one leaves no partial PNG.
 */
int sf_draw_save_png(SDL_Renderer *r, int w, int h, const char *path, char *err, size_t n)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_RWops *rw;
    sf_outfile *o;
    int rc = SF_EIO;

    if (!s) {
        snprintf(err, n, "out of memory");
        return SF_ENOMEM;
    }
    if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0)
        snprintf(err, n, "cannot read the picture: %s", SDL_GetError());
    else if (!(o = sf_outfile_open(path)))
        snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
    else if (!(rw = SDL_RWFromFP(o->f, SDL_FALSE)) || IMG_SavePNG_RW(s, rw, 1) != 0) {
        snprintf(err, n, "cannot write %s: %s", path, IMG_GetError());
        sf_outfile_abort(o);
    } else if (sf_outfile_commit(o) != SF_OK)
        snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
    else
        rc = SF_OK;
    SDL_FreeSurface(s);
    return rc;
}
