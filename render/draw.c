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
#include "render/draw_int.h"
#include "report/outfile.h"

#define PI_F 3.14159265f

/* ---- palette ----------------------------------------------------------- */

/*
 * State colours from the Okabe-Ito palette (Okabe and Ito, "Color Universal
 * Design", 2008), chosen to stay apart for the three common colour
 * vision deficiencies: its eight hues for the states a class looks for
 * (working bluish green, travelling sky blue and blue, waiting orange,
 * starved yellow, failed vermillion, setup reddish purple), and lighter or
 * darker shades of them, or greys, for the rarer ones; failures are also
 * the darkest warm colour, so they differ in lightness too.
 */
static const SDL_Color state_colors[SF_STATES] = {
    [SF_STATE_IDLE] = {160, 160, 160, 255},          [SF_STATE_WORKING] = {0, 158, 115, 255},
    [SF_STATE_SETUP] = {204, 121, 167, 255},         [SF_STATE_TRAVEL_EMPTY] = {86, 180, 233, 255},
    [SF_STATE_TRAVEL_LOADED] = {0, 114, 178, 255},   [SF_STATE_HANDLING] = {0, 96, 80, 255},
    [SF_STATE_WAIT_TRAFFIC] = {230, 159, 0, 255},    [SF_STATE_CHARGING] = {150, 215, 195, 255},
    [SF_STATE_BLOCKED] = {240, 190, 110, 255},       [SF_STATE_STARVED] = {240, 228, 66, 255},
    [SF_STATE_FAILED] = {213, 94, 0, 255},           [SF_STATE_OFF_SHIFT] = {90, 90, 90, 255},
    [SF_STATE_ON_BREAK] = {200, 185, 150, 255},      [SF_STATE_WAIT_PERSON] = {235, 175, 210, 255},
    [SF_STATE_WAIT_ROBOT] = {140, 70, 120, 255},     [SF_STATE_REDUCED_SPEED] = {255, 210, 150, 255},
    [SF_STATE_SAFETY_STOP] = {110, 20, 0, 255},      [SF_STATE_WAIT_TRANSPORT] = {120, 120, 200, 255},
};


SDL_Color sf_draw_state_color(sf_state s) { return (unsigned)s < SF_STATES ? state_colors[s] : state_colors[0]; }
SDL_Color sf_draw_cell_color(bool full) { return full ? C_CELL_FULL : C_CELL_EMPTY; }

SDL_Color sfd_alpha(SDL_Color c, Uint8 a)
{
    c.a = (Uint8)(c.a * a / 255);
    return c;
}

/* ---- the context ------------------------------------------------------- */


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
    d->font_path = path;
    path = NULL;
    if (sfd_set_ui(d, 1) != SF_OK) {
        snprintf(err, n, "cannot open the font %s: %s", d->font_path, TTF_GetError());
        goto fail;
    }
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        d->nagents += (uint32_t)cfg->fleet.types[t].count;
    d->block = SF_PARTS(SF_PART(d->agent_names, d->nagents + 1), SF_PART(d->spots, d->nagents + 1),
                        SF_PART(d->drawn, 2 * (size_t)d->nagents + 2),
                        SF_PART(d->queued, cfg->layout.n_chargers + cfg->layout.n_stations + 1));
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
    free(d->font_path);
    free(d->block);
    free(d->v);
    free(d->idx);
    free(d);
}

/* Fonts for a text scale `ui` (1: 12, 14 and 18 pixels), reopened and the text cache emptied when it changes. */
int sfd_set_ui(sf_draw *d, float ui)
{
    static const int sizes[3] = {12, 14, 18};
    if (d->font[0] && d->ui == ui)
        return SF_OK;
    for (int i = 0; i < TEXT_CACHE; i++)
        if (d->cache[i].tex) {
            SDL_DestroyTexture(d->cache[i].tex);
            d->cache[i].tex = NULL;
        }
    for (int i = 0; i < 3; i++) {
        if (d->font[i])
            TTF_CloseFont(d->font[i]);
        if (!(d->font[i] = TTF_OpenFont(d->font_path, (int)lroundf((float)sizes[i] * ui))))
            return SF_EIO;
    }
    d->ui = ui;
    return SF_OK;
}

/* ---- view -------------------------------------------------------------- */

float sf_view_ui(const sf_view *v)
{
    /* 1 up to 1280 x 800; larger windows (and high-DPI screens, which have more pixels) get larger text */
    float f = fminf((float)v->w / 1280.0f, (float)v->h / 800.0f);
    f = f < 1 ? 1 : f > 2.5f ? 2.5f : f;
    return roundf(f * 20) / 20;
}

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
    /* leave the left 250 px for the HUD and legend, the right 262 for the KPI panel (unless hidden), when there is room */
    double ui = sf_view_ui(v), hud = w > 900 ? 250 * ui : 0, kpi = w >= SF_KPI_MIN_WIDTH && !v->no_kpi ? (SF_KPI_WIDTH + 12) * ui : 0;
    sx = (w - hud - kpi) / (x1 - x0);
    sy = h / (y1 - y0);
    v->scale = fmin(sx, sy);
    v->cx = (x0 + x1) / 2 - (hud - kpi) / 2 / v->scale;
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

void sfd_flush(sf_draw *d)
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
void sfd_poly(sf_draw *d, const float *p, int n, SDL_Color c)
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
        vert(d, p[2 * i] + ox[i] * 0.5f, p[2 * i + 1] + oy[i] * 0.5f, sfd_alpha(c, 0));
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

void sfd_circle(sf_draw *d, float x, float y, float r, SDL_Color c)
{
    float p[64];
    int n = r < 3 ? 8 : r < 8 ? 14 : r < 20 ? 22 : 32;
    for (int i = 0; i < n; i++) {
        float a = 2 * PI_F * (float)i / (float)n;
        p[2 * i] = x + r * cosf(a);
        p[2 * i + 1] = y + r * sinf(a);
    }
    sfd_poly(d, p, n, c);
}

/*
 * An axis-aligned rectangle: two triangles, no rim (straight edges on the
 * pixel grid need no smoothing, and racks have thousands of cells).
 */
void sfd_rect(sf_draw *d, float x, float y, float w, float h, SDL_Color c)
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
void sfd_obox(sf_draw *d, float x, float y, float a, float fx, float fy, float w, float h, SDL_Color c)
{
    float ca = cosf(a), sa = sinf(a), p[8];
    static const float corner[8] = {-0.5f, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f};
    for (int i = 0; i < 4; i++) {
        float u = fx + corner[2 * i] * w, v = fy + corner[2 * i + 1] * h;
        p[2 * i] = x + u * ca - v * sa;
        p[2 * i + 1] = y + u * sa + v * ca;
    }
    sfd_poly(d, p, 4, c);
}

/*
 * A thick line with feathered sides, as a strip cut every 24 pixels: the
 * software renderer scans each triangle's bounding box, so a long
 * diagonal in one piece would cost its whole square.
 */
void sfd_line(sf_draw *d, float x0, float y0, float x1, float y1, float w, SDL_Color c)
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
        vert(d, px + nx * (hw + 0.5f), py + ny * (hw + 0.5f), sfd_alpha(c, 0));
        vert(d, px + nx * (hw - 0.5f), py + ny * (hw - 0.5f), c);
        vert(d, px - nx * (hw - 0.5f), py - ny * (hw - 0.5f), c);
        vert(d, px - nx * (hw + 0.5f), py - ny * (hw + 0.5f), sfd_alpha(c, 0));
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

void sfd_frame_rect(sf_draw *d, float x, float y, float w, float h, float t, SDL_Color c)
{
    sfd_rect(d, x, y, w, t, c);
    sfd_rect(d, x, y + h - t, w, t, c);
    sfd_rect(d, x, y, t, h, c);
    sfd_rect(d, x + w - t, y, t, h, c);
}

/* ---- text -------------------------------------------------------------- */

/* Draw text with its top at y; returns its width in pixels. Cached by (string, size, colour). */
int sfd_text(sf_draw *d, float x, float y, int size, SDL_Color c, align al, const char *s)
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
    /* under the HUD's render scale the font is already that much larger: draw it 1:1 in pixels */
    float tw = (float)e->w / d->rscale, th = (float)e->h / d->rscale;
    SDL_FRect dst = {al == LEFT ? x : al == CENTER ? x - tw / 2 : x - tw, y, tw, th};
    SDL_RenderCopyF(d->r, e->tex, NULL, &dst);
    return (int)lroundf(tw);
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
        sfd_rect(d, sx - 0.5f, 0, 1, (float)v->h, fmod(fabs(x), 2 * step) < 1e-9 ? C_GRID10 : C_GRID);
    }
    for (double y = floor(y0 / step) * step; y <= y1; y += step) {
        float sx, sy;
        to_screen(v, 0, y, &sx, &sy);
        sfd_rect(d, 0, sy - 0.5f, (float)v->w, 1, fmod(fabs(y), 2 * step) < 1e-9 ? C_GRID10 : C_GRID);
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
        sfd_poly(d, p, (int)n, sfd_alpha(c, people ? 110 : 40));
        for (size_t i = 0; i < n; i++) {
            size_t j = (i + 1) % n;
            sfd_line(d, p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1], Z->kind == SF_ZONE_COLLABORATIVE ? 2.5f : 1.5f,
                 sfd_alpha(c, 220));
        }
    }
}

SDL_Color sfd_heat_color(float f)
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
        sfd_line(d, x0, y0, x1, y1, width, C_ROAD);
    }
    for (size_t i = 0; i < L->n_segments; i++) {
        const sf_cfg_segment *g = &L->segments[i];
        float x0, y0, x1, y1;
        to_screen(v, L->nodes[g->from].x, L->nodes[g->from].y, &x0, &y0);
        to_screen(v, L->nodes[g->to].x, L->nodes[g->to].y, &x1, &y1);
        if (v->heat && i < s->nsegments && s->congestion[i] > 0 && maxc > 0)
            sfd_line(d, x0, y0, x1, y1, width, sfd_heat_color(s->congestion[i] / maxc));
        else
            sfd_line(d, x0, y0, x1, y1, fmaxf(1.0f, width * 0.08f), C_ROAD_LINE);
        if (!g->two_way) {
            /* a chevron in the middle pointing the one way */
            float mx = (x0 + x1) / 2, my = (y0 + y1) / 2, a = atan2f(y1 - y0, x1 - x0), k = width * 0.35f;
            float p[6] = {mx + k * cosf(a), my + k * sinf(a), mx + k * cosf(a + 2.4f), my + k * sinf(a + 2.4f),
                          mx + k * cosf(a - 2.4f), my + k * sinf(a - 2.4f)};
            sfd_poly(d, p, 3, C_TEXT_DIM);
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
        sfd_rect(d, x - 2, y - 2, cw * R->bays + 4, ch * R->levels + 4, C_RACK);
        for (int b = 0; b < R->bays; b++)
            for (int l = 0; l < R->levels; l++) {
                int full = 0;
                for (int k = 0; k < depth; k++)
                    full += c < s->ncells && s->cells[c++];
                SDL_Color col = full ? C_CELL_FULL : C_CELL_EMPTY;
                if (full && depth > 1)
                    col = sfd_alpha(col, (Uint8)(120 + 135 * full / depth));
                /* level 0 at the bottom */
                float gap = cw > 5 ? 1 : 0;
                sfd_rect(d, x + b * cw + gap, y + (R->levels - 1 - l) * ch + gap, cw - 2 * gap, ch - 2 * gap, col);
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
            sfd_rect(d, x0 + k * (w + 0.2f * m), y + 0.8f * m, w, h, C_DOCK);
    }
    for (size_t i = 0; i < L->n_parking; i++) {
        float x, y, w = fmaxf(10, 2.4f * m);
        to_screen(v, L->nodes[L->parking[i].node].x, L->nodes[L->parking[i].node].y, &x, &y);
        sfd_frame_rect(d, x - w / 2, y - w / 2, w, w, fmaxf(1, 0.12f * m), C_PARK);
    }
    for (size_t i = 0; i < L->n_chargers; i++) {
        float x, y, w = fmaxf(10, 1.4f * m);
        to_screen(v, L->nodes[L->chargers[i].node].x, L->nodes[L->chargers[i].node].y, &x, &y);
        float bx = x + 1.4f * m, by = y - w / 2;
        sfd_rect(d, bx, by, w, w, C_CHARGER);
        /* a lightning bolt */
        float p1[8] = {bx + 0.55f * w, by + 0.12f * w, bx + 0.25f * w, by + 0.55f * w, bx + 0.5f * w, by + 0.55f * w,
                       bx + 0.62f * w, by + 0.3f * w};
        float p2[8] = {bx + 0.45f * w, by + 0.88f * w, bx + 0.75f * w, by + 0.45f * w, bx + 0.5f * w, by + 0.45f * w,
                       bx + 0.38f * w, by + 0.7f * w};
        sfd_poly(d, p1, 4, C_WHITE);
        sfd_poly(d, p2, 4, C_WHITE);
    }
    for (size_t i = 0; i < L->n_stations; i++) {
        const sf_cfg_station *S = &L->stations[i];
        float x, y, w = fmaxf(12, 2.4f * m);
        sf_state st = i < s->nstations && s->station_state[i] < SF_STATES ? s->station_state[i] : SF_STATE_IDLE;
        to_screen(v, L->nodes[S->node].x, L->nodes[S->node].y, &x, &y);
        sfd_rect(d, x - w / 2 - 2, y - w / 2 - 2, w + 4, w + 4, C_DARK);
        sfd_rect(d, x - w / 2, y - w / 2, w, w, sf_draw_state_color(st));
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
                    sfd_rect(d, sx, sy, bw, bh, C_CELL_FULL);
                sfd_frame_rect(d, sx, sy, bw, bh, 1, C_DARK);
            }
        }
        if ((int64_t)i == v->selected_station)
            sfd_frame_rect(d, x - w / 2 - 5, y - w / 2 - 5, w + 10, w + 10, 2, C_TEXT);
    }
}

/* Units in a station's buffers under its name: "2|0" (units in | units out), or one side. */
static void buffer_counts(sf_draw *d, float x, float y, const sf_snapshot *s, size_t i)
{
    const sf_cfg_station *S = &d->cfg->layout.stations[i];
    unsigned in = i < s->nstations ? s->buffered[2 * i] : 0, out = i < s->nstations ? s->buffered[2 * i + 1] : 0;
    char buf[64];
    if (S->buffer_in > 0 && S->buffer_out > 0)
        snprintf(buf, sizeof buf, "%u|%u", in, out);
    else if (S->buffer_in > 0)
        snprintf(buf, sizeof buf, "%u|", in);
    else if (S->buffer_out > 0)
        snprintf(buf, sizeof buf, "|%u", out);
    else
        return;
    sfd_text(d, x, y, SMALL, C_TEXT_DIM, CENTER, buf);
}

static void draw_labels(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    float m = (float)v->scale, x, y;

    if (m < 3)
        return;
    for (size_t i = 0; i < L->n_docks; i++) {
        to_screen(v, L->nodes[L->docks[i].node].x, L->nodes[L->docks[i].node].y, &x, &y);
        sfd_text(d, x, y + 0.8f * m + fmaxf(8, 1.2f * m) + 2, SMALL, C_TEXT_DIM, CENTER, L->docks[i].name);
    }
    for (size_t i = 0, cell = 0; i < L->n_racks; i++) {
        float cw, ch;
        char buf[160];
        size_t n = sf_snapshot_rack_cells(&L->racks[i]), full = 0;
        for (size_t c = cell; c < cell + n && c < s->ncells; c++)
            full += s->cells[c] != 0;
        cell += n;
        rack_box(v, L, &L->racks[i], &x, &y, &cw, &ch);
        /* the name and how many of its cells hold a load */
        snprintf(buf, sizeof buf, "%.100s  %zu/%zu", L->racks[i].name, full, n);
        if (cw * (float)L->racks[i].bays >= 7.0f * (float)strlen(buf))
            sfd_text(d, x, y - 18, SMALL, C_TEXT_DIM, LEFT, buf);
        else if (cw * (float)L->racks[i].bays >= 7.0f * (float)strlen(L->racks[i].name))
            sfd_text(d, x, y - 18, SMALL, C_TEXT_DIM, LEFT, L->racks[i].name);
    }
    for (size_t i = 0; i < L->n_chargers; i++) {
        to_screen(v, L->nodes[L->chargers[i].node].x, L->nodes[L->chargers[i].node].y, &x, &y);
        /* above the box: the queue of agents waiting for it is below */
        sfd_text(d, x + 1.4f * m, y - fmaxf(10, 1.4f * m) / 2 - 2 - (float)TTF_FontLineSkip(d->font[SMALL]), SMALL,
                 C_TEXT_DIM, LEFT, L->chargers[i].name);
    }
    for (size_t i = 0; i < L->n_stations; i++) {
        to_screen(v, L->nodes[L->stations[i].node].x, L->nodes[L->stations[i].node].y, &x, &y);
        sfd_text(d, x, y + fmaxf(12, 2.4f * m) / 2 + 4, SMALL, C_TEXT, CENTER, L->stations[i].name);
        buffer_counts(d, x, y + fmaxf(12, 2.4f * m) / 2 + 4 + (float)TTF_FontLineSkip(d->font[SMALL]), s, i);
    }
    for (size_t i = 0; i < L->n_zones; i++) {
        const sf_cfg_zone *Z = &L->zones[i];
        double zx = Z->xy[0], zy = Z->xy[1];
        for (size_t k = 1; k < Z->n_points; k++) {
            zx = fmin(zx, Z->xy[2 * k]);
            zy = fmin(zy, Z->xy[2 * k + 1]);
        }
        /* bottom left, inside: stations often stand on a zone's top edge */
        to_screen(v, zx, zy, &x, &y);
        sfd_text(d, x + 4, y - 3 - (float)TTF_FontLineSkip(d->font[SMALL]), SMALL, C_TEXT_DIM, LEFT, Z->name);
    }
}

void sf_draw_frame(sf_draw *d, const sf_view *v, const sf_snapshot *s, const sf_trails *trails)
{
    d->frame++;
    d->rscale = 1;
    if (sfd_set_ui(d, sf_view_ui(v)) != SF_OK)
        sfd_set_ui(d, 1);
    SDL_SetRenderDrawColor(d->r, C_BG.r, C_BG.g, C_BG.b, 255);
    SDL_RenderClear(d->r);
    draw_grid(d, v);
    draw_zones(d, v, s);
    draw_segments(d, v, s);
    draw_racks(d, v, s);
    draw_places(d, v, s);
    sfd_flush(d);
    draw_labels(d, v, s);
    if (v->trails)
        sfd_draw_trails(d, v, trails);
    sfd_draw_agents(d, v, s);
    sfd_flush(d);
    sfd_draw_names(d, v, s);
    sf_draw_sample(d, s);
    sfd_draw_overlays(d, v, s);
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
