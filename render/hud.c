/*
 * hud.c: what is drawn over the plant: the HUD (clock, speed, figures),
 * the legend of states and kinds, the inspector and the help overlay.
 */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/draw_int.h"

/* ---- HUD, legend, overlays --------------------------------------------- */

/* The timeline's bar in the HUD's own (unscaled) picture. */
static void timeline_box(const sf_view *v, float *x, float *y, float *w, float *h)
{
    *x = 260;
    *w = (float)v->w - 260 - 160;
    *h = 6;
    *y = (float)v->h - 22;
}

void sf_view_timeline(const sf_view *v, float *x, float *y, float *w, float *h)
{
    float ui = sf_view_ui(v);
    sf_view hv = *v;
    hv.w = (int)lroundf((float)v->w / ui);
    hv.h = (int)lroundf((float)v->h / ui);
    timeline_box(&hv, x, y, w, h);
    *x *= ui;
    *y *= ui;
    *w *= ui;
    *h *= ui;
}

static void panel(sf_draw *d, float x, float y, float w, float h)
{
    sfd_rect(d, x - 1, y - 1, w + 2, h + 2, C_PANEL_EDGE);
    sfd_rect(d, x, y, w, h, C_PANEL);
}

/* Simulated time t as the plant's clock: "day 1  10:30:00" (from the scenario's start time of day). */
static void clock_text(const sf_draw *d, sf_time t, char *buf, size_t n)
{
    long long tod = (long long)(t / SF_SECOND) + d->cfg->scenario.start_time_of_day / SF_SECOND;
    snprintf(buf, n, "day %lld  %02lld:%02lld:%02lld", tod / 86400 + 1, tod / 3600 % 24, tod / 60 % 60, tod % 60);
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
        sfd_text(d, x, y, SMALL, C_TEXT_DIM, LEFT, buf);
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
    sfd_text(d, x, y, SMALL, C_ALARM, LEFT, a);
    if (strlen(p) > 34) {
        snprintf(a, sizeof a, "%.34s%s", p + 34, strlen(p) > 68 ? "..." : "");
        sfd_text(d, x, y + 16, SMALL, C_ALARM, LEFT, a);
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
    sfd_rect(d, bx, by, (float)(m * v->scale), 4, C_TEXT);
    sfd_rect(d, bx, by - 6, 2, 10, C_TEXT);
    sfd_rect(d, bx + (float)(m * v->scale) - 2, by - 6, 2, 10, C_TEXT);
    sfd_flush(d);
    snprintf(buf, sizeof buf, "%g m", m);
    sfd_text(d, bx + (float)(m * v->scale) / 2, by - 22, SMALL, C_TEXT, CENTER, buf);
}

/* The inspector's text: the selected agent or station, and what the view was told about it. */
static void draw_inspector(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    char buf[200];

    if (v->selected_agent >= 0 && (uint64_t)v->selected_agent < s->nagents) {
        const sf_snap_agent *a = &s->agents[v->selected_agent];
        float ix = (float)v->w - 250, iy = 20;
        sfd_text(d, ix, iy, LARGE, C_TEXT, LEFT, d->agent_names[v->selected_agent]);
        snprintf(buf, sizeof buf, "%s, %s%s", kind_labels[a->kind % SF_AGENT_KINDS], sf_state_name(a->state),
                 a->loaded ? ", loaded" : "");
        sfd_text(d, ix, iy + 26, NORMAL, C_TEXT, LEFT, buf);
        if (a->battery >= 0) {
            snprintf(buf, sizeof buf, "battery %.0f %%%s", 100.0 * a->battery, a->flat ? " (flat)" : "");
            sfd_text(d, ix, iy + 46, NORMAL, C_TEXT, LEFT, buf);
        }
        inspect_lines(d, v->inspect, ix, iy + 66);
    } else if (v->selected_station >= 0 && (uint64_t)v->selected_station < d->cfg->layout.n_stations) {
        const sf_cfg_station *S = &d->cfg->layout.stations[v->selected_station];
        float ix = (float)v->w - 250, iy = 20;
        sfd_text(d, ix, iy, LARGE, C_TEXT, LEFT, S->name);
        snprintf(buf, sizeof buf, "group %s, %s", S->group ? S->group : "-",
                 sf_state_name(s->station_state[v->selected_station] < SF_STATES ? s->station_state[v->selected_station] : 0));
        sfd_text(d, ix, iy + 26, NORMAL, C_TEXT, LEFT, buf);
        snprintf(buf, sizeof buf, "buffers %u of %d in, %u of %d out", s->buffered[2 * v->selected_station],
                 S->buffer_in, s->buffered[2 * v->selected_station + 1], S->buffer_out);
        sfd_text(d, ix, iy + 46, SMALL, C_TEXT_DIM, LEFT, buf);
        snprintf(buf, sizeof buf, "power %.1f kW idle, %.1f kW busy, %.1f kW setup", S->power_idle / 1000,
                 S->power_busy / 1000, S->power_setup / 1000);
        sfd_text(d, ix, iy + 64, SMALL, C_TEXT_DIM, LEFT, buf);
        inspect_lines(d, v->inspect, ix, iy + 84);
    }
}

/* ---- the heat map's legend --------------------------------------------- */

/* Bottom right, above the scale bar: the colour ramp from 0 s to the worst segment's waiting so far. */
static void draw_heat_legend(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    float maxc = 0, w = SF_KPI_WIDTH, x = (float)v->w - w - 12, y = (float)v->h - 118, bw = w - 24;
    char buf[64];

    for (uint32_t i = 0; i < s->nsegments; i++)
        maxc = fmaxf(maxc, s->congestion[i]);
    panel(d, x, y, w, 66);
    for (int i = 0; i < 24; i++)
        sfd_rect(d, x + 12 + bw * (float)i / 24, y + 26, bw / 24 + 0.5f, 12, sfd_heat_color((float)i / 23));
    sfd_flush(d);
    sfd_text(d, x + 12, y + 6, SMALL, C_TEXT, LEFT, "heat: seconds waited per segment");
    sfd_text(d, x + 12, y + 42, SMALL, C_TEXT_DIM, LEFT, "0 s");
    snprintf(buf, sizeof buf, "%.0f s (the worst)", (double)maxc);
    sfd_text(d, x + 12 + bw, y + 42, SMALL, C_TEXT_DIM, RIGHT, buf);
}

/* ---- the KPI panel ----------------------------------------------------- */

void sf_draw_sample(sf_draw *d, const sf_snapshot *s)
{
    kpi_point *last = d->kpi_n ? &d->kpi[(d->kpi_head + d->kpi_n - 1) % KPI_POINTS] : NULL;
    float safety = 0;

    if (last && s->now < last->t)
        d->kpi_n = d->kpi_head = 0; /* time went back (a seek in a replay, a restart) */
    else if (last && s->now < last->t + KPI_STEP)
        return;
    for (uint32_t i = 0; i < s->nagents; i++)
        safety += s->agents[i].state == SF_STATE_REDUCED_SPEED || s->agents[i].state == SF_STATE_SAFETY_STOP;
    kpi_point p = {s->now, (double)s->completed, (float)(s->released - s->completed), s->power / 1000.0f, safety};
    if (d->kpi_n < KPI_POINTS)
        d->kpi[(d->kpi_head + d->kpi_n++) % KPI_POINTS] = p;
    else {
        d->kpi[d->kpi_head] = p;
        d->kpi_head = (d->kpi_head + 1) % KPI_POINTS;
    }
}

int sf_draw_samples(const sf_draw *d) { return d->kpi_n; }

static const kpi_point *kpi_at(const sf_draw *d, int i) { return &d->kpi[(d->kpi_head + i) % KPI_POINTS]; }

/* Units out per hour over the quarter hour up to point i (from the start for the first ones). */
static float kpi_rate(const sf_draw *d, int i)
{
    const kpi_point *b = kpi_at(d, i), *a = kpi_at(d, i > 15 ? i - 15 : 0);
    if (b->t <= a->t)
        return b->t > 0 ? (float)(b->completed * 3.6e12 / (double)b->t) : 0;
    return (float)((b->completed - a->completed) * 3.6e12 / (double)(b->t - a->t));
}

static float kpi_value(const sf_draw *d, int series, int i)
{
    const kpi_point *p = kpi_at(d, i);
    return series == 0 ? kpi_rate(d, i) : series == 1 ? p->wip : series == 2 ? p->power : p->safety;
}

/*
 * One chart of a series over the history, in a box at (x, y), scaled to
 * its largest value: a bar per three points (80 bars, two triangles each,
 * so four charts cost less to draw than a tenth of a thousand agents).
 */
static void kpi_chart(sf_draw *d, int series, float x, float y, float w, float h, float *top)
{
    float hi = 0, bw = w / (KPI_POINTS / 3);
    SDL_Color c = sf_draw_state_color(series == 0 ? SF_STATE_WORKING : series == 1 ? SF_STATE_TRAVEL_LOADED
                                                    : series == 2 ? SF_STATE_WAIT_TRAFFIC : SF_STATE_FAILED);
    for (int i = 0; i < d->kpi_n; i++)
        hi = fmaxf(hi, kpi_value(d, series, i));
    *top = hi;
    hi = hi > 0 ? hi * 1.1f : 1;
    sfd_rect(d, x, y, w, h, C_CELL_EMPTY);
    for (int b = 0; b * 3 < d->kpi_n; b++) {
        float f = 0;
        for (int i = 3 * b; i < 3 * b + 3 && i < d->kpi_n; i++)
            f = fmaxf(f, kpi_value(d, series, i));
        f = h * f / hi;
        sfd_rect(d, x + bw * (float)b, y + h - f, bw, f, c);
    }
}

/* Right edge: throughput, WIP, power and safety now, each over the last four hours. */
static void draw_kpi(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    static const char *const fmt[4] = {"throughput (last 15 min) %.1f/h", "units in progress %.0f",
                                       "grid power %.1f kW", "slowed or stopped %.0f"};
    static const char *const top_fmt[4] = {"%.0f/h", "%.0f", "%.0f kW", "%.0f"};
    float w = SF_KPI_WIDTH, x = (float)v->w - w - 12, y = 12 + (v->selected_agent >= 0 || v->selected_station >= 0 ? 160 : 0);
    float ch = 44, row = ch + 30, tops[4];
    double hours = (double)s->now / 3.6e12;
    float now[4] = {d->kpi_n > 1 ? kpi_rate(d, d->kpi_n - 1) : (float)(hours > 0 ? (double)s->completed / hours : 0),
                    (float)(s->released - s->completed), s->power / 1000.0f, 0};
    char buf[80], a[40];

    for (uint32_t i = 0; i < s->nagents; i++)
        now[3] += s->agents[i].state == SF_STATE_REDUCED_SPEED || s->agents[i].state == SF_STATE_SAFETY_STOP;
    panel(d, x, y, w, 34 + 4 * row + 16);
    for (int k = 0; k < 4; k++)
        kpi_chart(d, k, x + 12, y + 34 + row * (float)k + 20, w - 24, ch, &tops[k]);
    sfd_flush(d);
    sfd_text(d, x + 12, y + 8, NORMAL, C_TEXT, LEFT, "plant figures");
    for (int k = 0; k < 4; k++) {
        float ry = y + 34 + row * (float)k;
        snprintf(buf, sizeof buf, fmt[k], (double)now[k]);
        sfd_text(d, x + 12, ry, SMALL, C_TEXT, LEFT, buf);
        snprintf(buf, sizeof buf, top_fmt[k], (double)tops[k]);
        sfd_text(d, x + w - 14, ry + 20, SMALL, C_TEXT_DIM, RIGHT, buf);
    }
    if (d->kpi_n > 0) {
        clock_text(d, kpi_at(d, 0)->t, a, sizeof a);
        snprintf(buf, sizeof buf, "since %s", a);
        sfd_text(d, x + 12, y + 34 + 4 * row - 4, SMALL, C_TEXT_DIM, LEFT, buf);
    }
}

/* Where the interventions' log and the command line go: above the timeline, beside the legend. */
static float console_y(const sf_view *v) { return (float)v->h - (v->end > 0 ? 64 : 40); }

/* A log line longer than this many bytes is wrapped at a space before it (one more line at most). */
#define NOTE_WRAP 96

/* Where a note is wrapped: the length of its first line (its whole length when it fits). */
static size_t note_cut(const char *t)
{
    size_t n = strlen(t), k = NOTE_WRAP;

    if (n <= NOTE_WRAP)
        return n;
    while (k > NOTE_WRAP / 2 && t[k] != ' ')
        k--;
    return t[k] == ' ' ? k : NOTE_WRAP;
}

static int note_lines(const sf_view *v)
{
    int n = 0;
    for (int i = 0; i < v->nnotes; i++)
        n += 1 + (note_cut(v->notes[i].text) < strlen(v->notes[i].text));
    return n;
}

/* The panels of the log and the command line (drawn in the shapes' batch). */
static void console_panels(sf_draw *d, const sf_view *v)
{
    float y = console_y(v), w = (float)v->w - 260 - 270;
    int lines = note_lines(v);

    if (v->command)
        panel(d, 260, y - 4, w, 28);
    if (lines > 0)
        panel(d, 260, y - 8 - 18 * (float)lines - 6, w, 18 * (float)lines + 6);
}

/* The log, oldest at the top, refusals in red, and the command line with its cursor. */
static void console_text(sf_draw *d, const sf_view *v)
{
    float y = console_y(v), ly = y - 8 - 18 * (float)note_lines(v);
    char buf[SF_VIEW_NOTE_LEN + 16];

    for (int i = 0; i < v->nnotes; i++) {
        const char *t = v->notes[i].text;
        size_t cut = note_cut(t);
        SDL_Color c = v->notes[i].refused ? C_ALARM : C_TEXT;
        snprintf(buf, sizeof buf, "%.*s", (int)cut, t);
        sfd_text(d, 270, ly, SMALL, c, LEFT, buf);
        ly += 18;
        if (t[cut]) {
            snprintf(buf, sizeof buf, "    %s", t + cut + (t[cut] == ' '));
            sfd_text(d, 270, ly, SMALL, c, LEFT, buf);
            ly += 18;
        }
    }
    if (v->command) {
        size_t n = strlen(v->command), from = n > NOTE_WRAP ? n - NOTE_WRAP : 0;
        /* a long line shows its end, where the typing is, from a whole UTF-8 character */
        while (from > 0 && ((unsigned char)v->command[from] & 0xC0) == 0x80)
            from++;
        snprintf(buf, sizeof buf, from ? "> ...%s_" : "> %s_", v->command + from);
        sfd_text(d, 270, y, NORMAL, C_TEXT, LEFT, buf);
    }
}

void sfd_draw_hud(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    char buf[200], when[64];
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
    float leg_y = y + hud_h + 10, leg_h = 30 + 18 * (float)nstates + 8 + 22 * (float)nkinds + (s->nstations ? 22 : 0);
    panel(d, x, y, w, hud_h);
    panel(d, x, leg_y, w, leg_h);
    {
        float ly = leg_y + 28;
        for (int i = 0; i < SF_STATES; i++)
            if (states[i]) {
                sfd_rect(d, x + 12, ly + 2, 14, 12, sf_draw_state_color((sf_state)i));
                ly += 18;
            }
        ly += 8;
        for (int i = 0; i < SF_AGENT_KINDS; i++)
            if (kinds[i]) {
                sf_snap_agent a = {0};
                a.kind = (uint8_t)i;
                a.loaded = i == SF_AGENT_FORKLIFT;
                sfd_agent_shape(d, &a, x + 20, ly + 9, i == SF_AGENT_ARM ? -0.8f : 0, 12, sf_draw_state_color(SF_STATE_TRAVEL_EMPTY), 0);
                ly += 22;
            }
    }
    if (v->selected_agent >= 0 || v->selected_station >= 0)
        panel(d, (float)v->w - 262, 12, 250, 150);
    if (v->end > 0) {
        float tx, ty, tw, th, f = (float)((double)s->now / (double)v->end);
        timeline_box(v, &tx, &ty, &tw, &th);
        sfd_rect(d, tx, ty, tw, th, C_PANEL_EDGE);
        sfd_rect(d, tx, ty, tw * (f < 0 ? 0 : f > 1 ? 1 : f), th, sf_draw_state_color(SF_STATE_TRAVEL_EMPTY));
        sfd_circle(d, tx + tw * (f < 0 ? 0 : f > 1 ? 1 : f), ty + th / 2, th, C_DARK);
        for (size_t i = 0; i < v->nmarks; i++) /* an intervention: a red tick across the bar */
            sfd_rect(d, tx + tw * (float)((double)v->marks[i] / (double)v->end) - 1.5f, ty - 5, 3, th + 10, C_ALARM);
    }
    console_panels(d, v);
    draw_scale_bar(d, v);
    sfd_flush(d);

    sfd_text(d, x + 12, y + 8, LARGE, C_TEXT, LEFT, d->cfg->scenario.name ? d->cfg->scenario.name : "shopfloor");
    clock_text(d, s->now, when, sizeof when);
    sfd_text(d, x + 12, y + 36, LARGE, C_TEXT, LEFT, when);
    /* a still picture has no speed and is not "paused" */
    if (!v->still) {
        snprintf(buf, sizeof buf, v->paused ? "paused (space goes on)" : "speed %gx", v->speed);
        sfd_text(d, x + 12, y + 62, NORMAL, C_TEXT_DIM, LEFT, buf);
    }
    snprintf(buf, sizeof buf, "done %llu of %llu released", (unsigned long long)s->completed,
             (unsigned long long)s->released);
    sfd_text(d, x + 12, y + 84, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "throughput %.1f / h (mean)", hours > 0 ? (double)s->completed / hours : 0.0);
    sfd_text(d, x + 12, y + 104, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "power %.1f kW", s->power / 1000.0);
    sfd_text(d, x + 12, y + 124, NORMAL, C_TEXT, LEFT, buf);
    snprintf(buf, sizeof buf, "energy %.1f kWh", s->energy / 3.6e6);
    sfd_text(d, x + 12, y + 144, NORMAL, C_TEXT, LEFT, buf);
    if (s->alarm[0])
        draw_alarm(d, x + 12, y + 166, s->alarm);
    if (v->status && v->status[0])
        sfd_text(d, (float)v->w / 2, (float)v->h - 30, NORMAL, C_TEXT, CENTER, v->status);

    sfd_text(d, x + 12, leg_y + 6, NORMAL, C_TEXT, LEFT, "state");
    {
        float ly = leg_y + 28;
        for (int i = 0; i < SF_STATES; i++)
            if (states[i]) {
                sfd_text(d, x + 34, ly, SMALL, C_TEXT, LEFT, sf_state_name((sf_state)i));
                ly += 18;
            }
        ly += 8;
        for (int i = 0; i < SF_AGENT_KINDS; i++)
            if (kinds[i]) {
                sfd_text(d, x + 42, ly + 2, SMALL, C_TEXT, LEFT, kind_labels[i]);
                ly += 22;
            }
        if (s->nstations)
            sfd_text(d, x + 12, ly + 2, SMALL, C_TEXT_DIM, LEFT, "2|1 under a station: units in|out");
    }
    if (v->end > 0) {
        float tx, ty, tw, th;
        char a[40], b[40];
        clock_text(d, s->now, a, sizeof a);
        clock_text(d, v->end, b, sizeof b);
        timeline_box(v, &tx, &ty, &tw, &th);
        snprintf(buf, sizeof buf, "%s / %s", a, b);
        sfd_text(d, tx, ty - 18, SMALL, C_TEXT_DIM, LEFT, buf);
    }
    if (v->trails)
        sfd_text(d, (float)v->w / 2, 8, SMALL, C_TEXT_DIM, CENTER, "trails: the last 64 positions, 2 s apart");
    console_text(d, v);
    draw_inspector(d, v, s);
    if (v->heat)
        draw_heat_legend(d, v, s);
    if (!v->no_kpi && v->w >= SF_KPI_MIN_WIDTH)
        draw_kpi(d, v, s);
}

void sfd_draw_help(sf_draw *d, const sf_view *v)
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
        {"K", "the KPI side panel"},
        {"pointer", "the name and state of what is under it"},
        {"F", "follow the selected agent"},
        {"Enter", "type an instruction (live; Esc closes)"},
        {"B", "stop the selected station or agent 20 min"},
        {"C", "its camera down for 20 min"},
        {"W", "write the interventions as instructions"},
        {"R", "restart"},
        {"S", "save a PNG screenshot"},
        {"0", "fit the layout"},
        {"?", "this help"},
        {"Esc, Q", "close the help, or quit"},
    };
    int n = (int)(sizeof lines / sizeof lines[0]);
    float w = 520, h = 56 + 21 * (float)n, x = (float)v->w / 2 - w / 2, y = (float)v->h / 2 - h / 2;

    sfd_rect(d, 0, 0, (float)v->w, (float)v->h, (SDL_Color){30, 35, 45, 90});
    panel(d, x, y, w, h);
    sfd_flush(d);
    sfd_text(d, x + 20, y + 12, LARGE, C_TEXT, LEFT, "controls");
    for (int i = 0; i < n; i++) {
        sfd_text(d, x + 20, y + 44 + 21 * (float)i, NORMAL, C_TEXT, LEFT, lines[i][0]);
        sfd_text(d, x + 170, y + 44 + 21 * (float)i, NORMAL, C_TEXT_DIM, LEFT, lines[i][1]);
    }
}


void sfd_draw_overlays(sf_draw *d, const sf_view *v, const sf_snapshot *s)
{
    sf_view hv = *v;
    float ui = d->ui;

    hv.w = (int)lroundf((float)v->w / ui);
    hv.h = (int)lroundf((float)v->h / ui);
    if (ui != 1)
        SDL_RenderSetScale(d->r, ui, ui);
    d->rscale = ui;
    sfd_draw_hud(d, &hv, s);
    if (v->help)
        sfd_draw_help(d, &hv);
    sfd_flush(d);
    if (ui != 1)
        SDL_RenderSetScale(d->r, 1, 1);
    d->rscale = 1;
}
