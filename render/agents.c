/*
 * agents.c: the agents from a snapshot: each kind's glyph in its state's
 * colour, where each is drawn (queues at chargers and stations, stacks
 * fanned out), their names on hover and at zoom, and their trails.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "render/draw_int.h"

/* ---- agents ------------------------------------------------------------ */

/*
 * One agent at screen point (x, y) facing `h` (screen angle), `k` pixels
 * per metre (at least enough to see it), in colour c.
 */
void sfd_agent_shape(sf_draw *d, const sf_snap_agent *a, float x, float y, float h, float k, SDL_Color c,
                        sf_time now)
{
    switch (a->kind) {
    case SF_AGENT_FORKLIFT:
        /* forks ahead, mast, body; the load on the forks */
        sfd_obox(d, x, y, h, 0.75f * k, -0.25f * k, 1.1f * k, 0.14f * k, C_DARK);
        sfd_obox(d, x, y, h, 0.75f * k, 0.25f * k, 1.1f * k, 0.14f * k, C_DARK);
        if (a->loaded)
            sfd_obox(d, x, y, h, 0.8f * k, 0, 1.0f * k, 0.9f * k, C_LOAD);
        sfd_obox(d, x, y, h, -0.45f * k, 0, 1.3f * k + 2, 1.0f * k + 2, C_DARK);
        sfd_obox(d, x, y, h, -0.45f * k, 0, 1.3f * k, 1.0f * k, c);
        sfd_obox(d, x, y, h, 0.2f * k, 0, 0.12f * k, 0.9f * k, C_DARK);
        break;
    case SF_AGENT_AGV: {
        float p[16], w = 0.6f * k, l = 0.55f * k, ch = 0.15f * k, ca = cosf(h), sa = sinf(h);
        const float u[8] = {-l, -l + ch, l - ch, l, l, l - ch, -l + ch, -l};
        const float q[8] = {-w + ch, -w, -w, -w + ch, w - ch, w, w, w - ch};
        for (int i = 0; i < 8; i++) {
            p[2 * i] = x + u[i] * ca - q[i] * 0.75f * sa;
            p[2 * i + 1] = y + u[i] * sa + q[i] * 0.75f * ca;
        }
        sfd_obox(d, x, y, h, 0, 0, 2 * l + 2, 1.5f * w + 2, C_DARK);
        sfd_poly(d, p, 8, c);
        if (a->loaded)
            sfd_obox(d, x, y, h, 0, 0, 0.7f * k, 0.6f * k, C_LOAD);
        /* a chevron pointing forward */
        float t[6] = {x + 0.5f * k * ca, y + 0.5f * k * sa, x + 0.25f * k * ca - 0.2f * k * sa,
                      y + 0.25f * k * sa + 0.2f * k * ca, x + 0.25f * k * ca + 0.2f * k * sa,
                      y + 0.25f * k * sa - 0.2f * k * ca};
        sfd_poly(d, t, 3, C_WHITE);
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
        sfd_circle(d, x, y, 0.45f * k + 1, C_DARK);
        sfd_circle(d, x, y, 0.45f * k, c);
        sfd_line(d, x, y, ex, ey, 0.24f * k + 1, C_DARK);
        sfd_line(d, ex, ey, tx, ty, 0.18f * k + 1, C_DARK);
        sfd_line(d, x, y, ex, ey, 0.24f * k - 1, c);
        sfd_line(d, ex, ey, tx, ty, 0.18f * k - 1, c);
        sfd_circle(d, ex, ey, 0.14f * k, C_DARK);
        sfd_circle(d, tx, ty, 0.1f * k, C_HAT);
        break;
    }
    case SF_AGENT_HUMANOID:
        /* a robot seen from above: square shoulders, square head with a visor */
        sfd_obox(d, x, y, h, 0, 0, 0.42f * k + 2, 0.8f * k + 2, C_DARK);
        sfd_obox(d, x, y, h, 0, 0, 0.42f * k, 0.8f * k, c);
        sfd_obox(d, x, y, h, 0.02f * k, 0, 0.34f * k, 0.34f * k, C_DARK);
        sfd_obox(d, x, y, h, 0.14f * k, 0, 0.07f * k, 0.26f * k, (SDL_Color){120, 220, 255, 255});
        break;
    default: {
        /* a person: round shoulders and a yellow hard hat */
        float ca = cosf(h), sa = sinf(h);
        sfd_circle(d, x, y, 0.38f * k + 1, C_DARK);
        sfd_circle(d, x, y, 0.38f * k, c);
        sfd_circle(d, x + 0.05f * k * ca, y + 0.05f * k * sa, 0.2f * k, C_HAT);
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
/*
 * The charger or station an agent waits at, as an index into the places
 * (chargers first, then stations), or -1: an agent on a charger's node or
 * not on the move within 3 m of it, or a person or humanoid not on the
 * move within 1.5 m of a station.
 * Arms stand beside their station and keep their place.
 */
static int32_t queue_place(const sf_draw *d, const sf_snap_agent *a)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    bool moving = a->state == SF_STATE_TRAVEL_EMPTY || a->state == SF_STATE_TRAVEL_LOADED;
    if (a->kind == SF_AGENT_ARM)
        return -1;
    /* on the charger's node even when about to leave (its state already says travelling) */
    for (size_t c = 0; c < L->n_chargers; c++) {
        double r = hypot(a->x - L->nodes[L->chargers[c].node].x, a->y - L->nodes[L->chargers[c].node].y);
        if (r < 0.05 || (!moving && r < 3.0))
            return (int32_t)c;
    }
    if (moving || (a->kind != SF_AGENT_WORKER && a->kind != SF_AGENT_HUMANOID))
        return -1;
    for (size_t i = 0; i < L->n_stations; i++) {
        const sf_cfg_node *n = &L->nodes[L->stations[i].node];
        if (hypot(a->x - n->x, a->y - n->y) < 1.5)
            return (int32_t)(L->n_chargers + i);
    }
    return -1;
}

/*
 * Agents waiting at a charger queue in rows of six below it; people at a
 * station in a row above it (clear of its name and buffers). Slot j of
 * place p is where the j-th such agent, in agent order, is drawn.
 */
static void queue_slot(const sf_draw *d, const sf_view *v, int32_t p, uint32_t j, float k, float *x, float *y)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    bool charger = (size_t)p < L->n_chargers;
    const sf_cfg_node *n = &L->nodes[charger ? L->chargers[p].node : L->stations[(size_t)p - L->n_chargers].node];
    float size = fmaxf(12, 2.4f * (float)v->scale);
    j = j < 24 ? j : 23;
    sf_view_to_screen(v, n->x, n->y, x, y);
    if (charger) {
        /* rows far enough apart for a forklift's length and a battery bar */
        *x += (float)(j % 6) * 2.4f * k;
        *y += fmaxf(10, 1.4f * (float)v->scale) / 2 + (1.4f + (float)(j / 6) * 1.9f) * k;
    } else {
        *x += ((float)(j % 6) - 0.5f) * 1.2f * k;
        *y -= size / 2 + (0.8f + (float)(j / 6) * 1.2f) * k;
    }
}

/*
 * Screen positions of the agents. Agents waiting at a charger or a
 * station are drawn in a queue beside it (queue_slot); others standing on
 * the very same point (parked at one node) are fanned out in rows of four
 * beside the first, so a trainer sees three forklifts at the charger, not
 * one. O(n log n).
 */
static void place_agents(sf_draw *d, const sf_view *v, const sf_snapshot *s, float k)
{
    const sf_cfg_layout *L = &d->cfg->layout;
    uint32_t n = s->nagents < d->nagents ? s->nagents : d->nagents, m = 0;
    memset(d->queued, 0, (L->n_chargers + L->n_stations + 1) * sizeof *d->queued);
    for (uint32_t i = 0; i < n; i++) {
        int32_t p = queue_place(d, &s->agents[i]);
        if (p >= 0)
            queue_slot(d, v, p, d->queued[p]++, k, &d->drawn[2 * i], &d->drawn[2 * i + 1]);
        else
            d->spots[m++] = (struct spot){s->agents[i].x, s->agents[i].y, i};
    }
    qsort(d->spots, m, sizeof *d->spots, spot_cmp);
    for (uint32_t j = 0, run = 0; j < m; j++) {
        const struct spot *p = &d->spots[j];
        float x, y;
        run = j > 0 && p->x == d->spots[j - 1].x && p->y == d->spots[j - 1].y ? run + 1 : 0;
        sf_view_to_screen(v, p->x, p->y, &x, &y);
        uint32_t slot = run < 16 ? run : 15;
        d->drawn[2 * p->i] = x + (float)(slot % 4) * 1.5f * k;
        d->drawn[2 * p->i + 1] = y + (float)(slot / 4) * 1.5f * k;
    }
}

void sfd_draw_agents(sf_draw *d, const sf_view *v, const sf_snapshot *s)
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
            sfd_circle(d, x, y, 1.1f * k, sfd_alpha(sf_draw_state_color(a->state), 90));
        if ((int64_t)i == v->selected_agent)
            sfd_circle(d, x, y, 1.0f * k + 4, sfd_alpha(C_TEXT, 70));
        sfd_agent_shape(d, a, x, y, -a->heading, k, c, s->now);
        if (a->battery >= 0 && k >= 6) {
            /* battery bar above */
            float bw = 1.2f * k, bh = fmaxf(3, 0.18f * k), bx = x - bw / 2, by = y - 0.85f * k - bh;
            float f = a->battery < 0 ? 0 : a->battery > 1 ? 1 : a->battery;
            SDL_Color bc = a->flat ? C_ALARM : f < 0.25f ? (SDL_Color){230, 80, 40, 255}
                                   : f < 0.5f ? (SDL_Color){235, 175, 30, 255} : (SDL_Color){60, 170, 80, 255};
            sfd_rect(d, bx - 1, by - 1, bw + 2, bh + 2, C_DARK);
            sfd_rect(d, bx, by, bw * f, bh, bc);
        }
    }
    d->flat = false;
}

/*
 * A name tag: white box, dark text, centred above (x, y). With `placed`
 * (n boxes so far, room for 300), a tag that would overlap one of them is
 * left out and false returned; a drawn tag is added.
 */
static bool name_tag(sf_draw *d, float x, float y, const char *line1, float (*placed)[4], int *n)
{
    int w = 0, h = 0;
    TTF_SizeUTF8(d->font[SMALL], line1, &w, &h);
    float bx = x - (float)w / 2 - 4, by = y - (float)h - 3, bw = (float)w + 8, bh = (float)h + 2;
    for (int i = 0; placed && i < *n; i++)
        if (bx < placed[i][0] + placed[i][2] && placed[i][0] < bx + bw && by < placed[i][1] + placed[i][3] &&
            placed[i][1] < by + bh)
            return false;
    if (placed && *n < 300) {
        placed[*n][0] = bx, placed[*n][1] = by, placed[*n][2] = bw, placed[*n][3] = bh;
        (*n)++;
    }
    sfd_rect(d, bx, by, bw, bh, C_TAG);
    sfd_frame_rect(d, bx, by, bw, bh, 1, C_PANEL_EDGE);
    sfd_flush(d);
    sfd_text(d, x, y - (float)h - 2, SMALL, C_TEXT, CENTER, line1);
    return true;
}

/*
 * Names: beside agents on screen when agents are drawn at least
 * SF_NAMES_AT_PX long (up to 300, none over another), else only for the
 * agent or station under the pointer (with its state), so a thousand
 * agents cost no text.
 */
void sfd_draw_names(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    float k = agent_scale(d, v), placed[300][4];
    int64_t agent = -1, station = -1;
    int n = 0;
    char buf[200];

    if (k * 1.3f >= SF_NAMES_AT_PX)
        for (uint32_t i = 0; i < s->nagents && i < d->nagents && n < 300; i++) {
            float x = d->drawn[2 * i], y = d->drawn[2 * i + 1];
            if (x >= 0 && y >= 0 && x <= v->w && y <= v->h)
                name_tag(d, x, y - 0.9f * k - 4, d->agent_names[i], placed, &n);
        }
    if (!v->pointer || sf_draw_pick(d, v, s, v->px, v->py, &agent, &station) != SF_OK)
        return;
    if (agent >= 0) {
        const sf_snap_agent *a = &s->agents[agent];
        snprintf(buf, sizeof buf, "%.90s: %s%s", d->agent_names[agent], sf_state_name(a->state),
                 a->loaded ? ", loaded" : "");
        name_tag(d, d->drawn[2 * agent], d->drawn[2 * agent + 1] - 0.9f * k - 4, buf, NULL, NULL);
    } else {
        const sf_cfg_station *S = &d->cfg->layout.stations[station];
        float x, y;
        sf_view_to_screen(v, d->cfg->layout.nodes[S->node].x, d->cfg->layout.nodes[S->node].y, &x, &y);
        snprintf(buf, sizeof buf, "%.90s: %s", S->name,
                 sf_state_name(s->station_state[station] < SF_STATES ? s->station_state[station] : 0));
        name_tag(d, x, y - fmaxf(12, 2.4f * (float)v->scale) / 2 - 4, buf, NULL, NULL);
    }
}

void sfd_draw_trails(sf_draw *d, const sf_view *v, const sf_trails *t)
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
            sf_view_to_screen(v, pa[0], pa[1], &x0, &y0);
            sf_view_to_screen(v, pb[0], pb[1], &x1, &y1);
            sfd_line(d, x0, y0, x1, y1, 2, (SDL_Color){58, 123, 213, (Uint8)(30 + 150 * k / t->count)});
        }
}

