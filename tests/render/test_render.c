/*
 * test_render.c: headless pictures of scenarios have the right colours at
 * the places the layout puts things, and a replay draws exactly what the
 * live view draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"
#include "experiment/session.h"
#include "experiment/instruct.h"
#include "render/console.h"
#include "render/draw.h"
#include "render/record.h"
#include "render/snapshot.h"
#include "model/stations.h"
#include "model/world.h"

enum { W = 1280, H = 800 };

static char path_buf[4096];

static const char *source_path(const char *rel)
{
    const char *src = getenv("SHOPFLOOR_SOURCE_DIR");
    snprintf(path_buf, sizeof path_buf, "%s/%s", src ? src : ".", rel);
    return path_buf;
}

/* A software renderer drawing into a surface. */
typedef struct canvas {
    SDL_Surface *surf;
    SDL_Renderer *r;
    sf_draw *d;
    sf_view v;
    uint32_t *px; /* W x H ARGB, read back after each frame */
} canvas;

static void canvas_open(canvas *c, const sf_scenario_config *cfg)
{
    char err[256];
    c->surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(c->surf);
    c->r = SDL_CreateSoftwareRenderer(c->surf);
    assert_non_null(c->r);
    c->d = sf_draw_new(c->r, cfg, err, sizeof err);
    if (!c->d)
        fail_msg("%s", err);
    memset(&c->v, 0, sizeof c->v);
    sf_view_fit(&c->v, cfg, W, H);
    c->v.selected_agent = c->v.selected_station = -1;
    c->v.speed = 60;
    c->px = malloc((size_t)W * H * 4);
    assert_non_null(c->px);
}

static void canvas_close(canvas *c)
{
    sf_draw_free(c->d);
    SDL_DestroyRenderer(c->r);
    SDL_FreeSurface(c->surf);
    free(c->px);
}

static void canvas_draw(canvas *c, const sf_snapshot *s)
{
    sf_draw_frame(c->d, &c->v, s, NULL);
    assert_int_equal(SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, c->px, W * 4), 0);
}

/* The pixel at metres (x, y) plus a pixel offset. */
static SDL_Color pixel_at(const canvas *c, double x, double y, float dx, float dy)
{
    float sx, sy;
    sf_view_to_screen(&c->v, x, y, &sx, &sy);
    int ix = (int)lroundf(sx + dx), iy = (int)lroundf(sy + dy);
    assert_true(ix >= 0 && iy >= 0 && ix < W && iy < H);
    uint32_t p = c->px[(size_t)iy * W + (size_t)ix];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, (Uint8)(p >> 24)};
}

static void assert_color(SDL_Color got, SDL_Color want, const char *what)
{
    if (got.r != want.r || got.g != want.g || got.b != want.b)
        fail_msg("%s: pixel is (%d, %d, %d), expected (%d, %d, %d)", what, got.r, got.g, got.b, want.r, want.g,
                 want.b);
}

static sf_session *open_session(const char *rel, sf_time until)
{
    sf_session_spec spec = {0};
    int status;
    FILE *devnull = fopen("/dev/null", "w");
    spec.model = source_path(rel);
    spec.log = devnull;
    if (until > 0) {
        spec.until_given = true;
        spec.until = until;
    }
    sf_session *s = sf_session_new(&spec, &status);
    if (!s)
        fail_msg("cannot load %s (%s)", rel, sf_strerror(status));
    return s;
}

/* The pixel at screen point (sx, sy). */
static SDL_Color pixel_xy(const canvas *c, float sx, float sy)
{
    int ix = (int)lroundf(sx), iy = (int)lroundf(sy);
    assert_true(ix >= 0 && iy >= 0 && ix < W && iy < H);
    uint32_t p = c->px[(size_t)iy * W + (size_t)ix];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, (Uint8)(p >> 24)};
}

/* Pixels at the body of each agent, where it was drawn: no other agent drawn within `clear` metres. */
static void check_agents(const canvas *c, const sf_snapshot *s, double clear, int *checked)
{
    float k = (float)c->v.scale < 12 / 1.3f ? 12 / 1.3f : (float)c->v.scale;
    for (uint32_t i = 0; i < s->nagents; i++) {
        const sf_snap_agent *a = &s->agents[i];
        bool alone = true;
        char what[80];
        float ax, ay;
        sf_draw_agent_at(c->d, i, &ax, &ay);
        for (uint32_t j = 0; j < s->nagents && alone; j++) {
            float bx, by;
            sf_draw_agent_at(c->d, j, &bx, &by);
            if (j != i && hypotf(ax - bx, ay - by) < clear * k)
                alone = false;
        }
        if (!alone || a->state == SF_STATE_REDUCED_SPEED || a->state == SF_STATE_SAFETY_STOP)
            continue;
        /* where each kind's body is, relative to its position (pixels, screen y down) */
        float bx = 0, by = 0, h = -a->heading;
        switch (a->kind) {
        case SF_AGENT_FORKLIFT:
            bx = -0.7f * k * cosf(h);
            by = -0.7f * k * sinf(h);
            break;
        case SF_AGENT_AGV:
            bx = -0.3f * k * cosf(h);
            by = -0.3f * k * sinf(h);
            break;
        case SF_AGENT_ARM: /* the base */
            break;
        case SF_AGENT_HUMANOID: /* a shoulder, beside the head */
            bx = -0.3f * k * sinf(h);
            by = 0.3f * k * cosf(h);
            break;
        default: /* a worker: the shoulders, behind the hat */
            bx = -0.3f * k * cosf(h);
            by = -0.3f * k * sinf(h);
            break;
        }
        snprintf(what, sizeof what, "agent %u (kind %d, %s)", i, a->kind, sf_state_name(a->state));
        assert_color(pixel_xy(c, ax + bx, ay + by), sf_draw_state_color(a->state), what);
        (*checked)++;
    }
}

/* Agents parked on one point are drawn side by side, each in its own colour. */
static void test_agents_on_one_spot_are_fanned_out(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/warehouse_basic.yaml", 0);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int checked = 0;
    float x0, y0, x1, y1, x2, y2;

    assert_int_equal(sf_snapshot_init(&s, sf_session_config(ses)), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    /* the three reach trucks start at the charger, (8, -6) */
    for (int i = 0; i < 3; i++)
        assert_true(s.agents[i].x == 8 && s.agents[i].y == -6);
    canvas_open(&c, sf_session_config(ses));
    canvas_draw(&c, &s);
    sf_draw_agent_at(c.d, 0, &x0, &y0);
    sf_draw_agent_at(c.d, 1, &x1, &y1);
    sf_draw_agent_at(c.d, 2, &x2, &y2);
    assert_true(x1 - x0 > 10 && x2 - x1 > 10 && y0 == y1 && y1 == y2);
    check_agents(&c, &s, 1.4, &checked);
    assert_true(checked >= 4); /* the three trucks and the tugger; the two pickers share a spot too */
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/* At time 0 everything is where the scenario puts it, idle, and the rack is empty. */
static void test_cell_at_start_has_state_colours_at_known_places(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int checked = 0;

    assert_non_null(live);
    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);

    /* by hand: the AGV stands at the dock (0, 0), the worker at park (30, -6), the humanoid at west (10, 0) */
    assert_true(s.agents[1].kind == SF_AGENT_AGV && s.agents[1].x == 0 && s.agents[1].y == 0);
    assert_color(pixel_at(&c, 0, 0, -4, 0), sf_draw_state_color(SF_STATE_IDLE), "the AGV at the dock");
    assert_color(pixel_at(&c, 30 - 0.3, -6, 0, 0), sf_draw_state_color(SF_STATE_IDLE), "the worker at park");
    assert_color(pixel_at(&c, 10, 0.3, 0, 0), sf_draw_state_color(SF_STATE_IDLE), "the humanoid at west");
    /* the stations, idle until the model says otherwise: 0.6 m below their node */
    assert_color(pixel_at(&c, 20, -0.6, 0, 0), sf_draw_state_color(SF_STATE_IDLE), "press_1");
    assert_color(pixel_at(&c, 30, -0.6, 0, 0), sf_draw_state_color(SF_STATE_IDLE), "bench_1");
    /* the road between them, and the charger's green box to the right of its node */
    assert_color(pixel_at(&c, 25, 0, 0, -6), (SDL_Color){206, 210, 216, 255}, "the road");
    /* every rack cell empty */
    for (int b = 0; b < 6; b++)
        for (int l = 0; l < 3; l++) {
            float sx, sy;
            sf_draw_rack_cell(&c.v, cfg, 0, b, l, &sx, &sy);
            uint32_t p = c.px[(size_t)lroundf(sy) * W + (size_t)lroundf(sx)];
            SDL_Color want = sf_draw_cell_color(false);
            assert_int_equal(p & 0xffffff, (uint32_t)want.r << 16 | (uint32_t)want.g << 8 | want.b);
        }
    check_agents(&c, &s, 1.4, &checked);
    assert_int_equal(checked, 5);

    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/* A station told it is failed is drawn red; told working, green. */
static void test_station_colour_follows_its_state(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    sf_world_emit_state(sf_session_world(ses), SF_ENTITY_STATION, 0, SF_STATE_FAILED);
    sf_world_emit_state(sf_session_world(ses), SF_ENTITY_STATION, 1, SF_STATE_WORKING);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);
    assert_color(pixel_at(&c, 20, -0.6, 0, 0), (SDL_Color){213, 94, 0, 255}, "press_1 failed (Okabe-Ito vermillion)");
    assert_color(pixel_at(&c, 30, -0.6, 0, 0), (SDL_Color){0, 158, 115, 255}, "bench_1 working (Okabe-Ito bluish green)");
    assert_int_equal(s.failures, 1);
    assert_non_null(strstr(s.alarm, "press_1 failed"));
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/* In the warehouse under way, every agent standing alone shows its state's colour; full cells are brown. */
static void test_warehouse_agents_and_cells_show_their_state(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/warehouse_basic.yaml", 2 * SF_HOUR);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int checked = 0, full = 0, cells = 0;
    bool moving_seen = false;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    canvas_open(&c, cfg);
    for (sf_time t = 0; t <= 2 * SF_HOUR; t += 3 * SF_MINUTE + 7 * SF_SECOND) {
        assert_int_equal(sf_live_advance(live, t, &s, NULL, NULL), SF_OK);
        canvas_draw(&c, &s);
        check_agents(&c, &s, 1.4, &checked);
        for (uint32_t i = 0; i < s.nagents; i++)
            moving_seen |= s.agents[i].state == SF_STATE_TRAVEL_EMPTY || s.agents[i].state == SF_STATE_TRAVEL_LOADED;
        size_t k = 0;
        for (size_t r = 0; r < cfg->layout.n_racks; r++)
            for (int b = 0; b < cfg->layout.racks[r].bays; b++)
                for (int l = 0; l < cfg->layout.racks[r].levels; l++, k++) {
                    float sx, sy;
                    bool near = false;
                    sf_draw_rack_cell(&c.v, cfg, r, b, l, &sx, &sy);
                    for (uint32_t i = 0; i < s.nagents; i++) {
                        float ax, ay;
                        sf_view_to_screen(&c.v, s.agents[i].x, s.agents[i].y, &ax, &ay);
                        near |= hypotf(ax - sx, ay - sy) < 3 * (float)c.v.scale;
                    }
                    if (near)
                        continue;
                    uint32_t p = c.px[(size_t)lroundf(sy) * W + (size_t)lroundf(sx)];
                    SDL_Color want = sf_draw_cell_color(s.cells[k]);
                    assert_int_equal(p & 0xffffff, (uint32_t)want.r << 16 | (uint32_t)want.g << 8 | want.b);
                    full += s.cells[k];
                    cells++;
                }
        /* the snapshot's cells are the store's */
        uint64_t stored = 0;
        for (uint32_t i = 0; i < s.ncells; i++)
            stored += s.cells[i];
        assert_int_equal(stored, sf_storage_full(sf_world_storage(sf_session_world(ses))));
    }
    assert_true(checked > 20);
    assert_true(moving_seen);
    assert_true(full > 0 && cells > full);
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/*
 * Record 20 minutes of the warehouse, then draw the replay and the live
 * view at grid times: the same pixels. Between grid points the replay
 * interpolates linearly, so positions may differ by millimetres there.
 */
static void test_replay_matches_live_pixel_for_pixel(void **state)
{
    (void)state;
    char rec[256];
    sf_session_spec spec = {0};
    FILE *devnull = fopen("/dev/null", "w");
    int status, differ = 0;
    static const sf_time at[] = {0, 90 * SF_SECOND, 5 * SF_MINUTE + SF_SECOND / 2, 11 * SF_MINUTE,
                                 17 * SF_MINUTE + 30 * SF_SECOND, 20 * SF_MINUTE};
    uint32_t *prev = malloc((size_t)W * H * 4);

    snprintf(rec, sizeof rec, "/tmp/sf_test_render_%ld.rec", (long)getpid());
    spec.model = source_path("scenarios/warehouse_basic.yaml");
    spec.log = devnull;
    spec.until_given = true;
    spec.until = 20 * SF_MINUTE;
    sf_session *ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    uint64_t fp = sf_kernel_fingerprint(sf_session_kernel(ses));
    sf_session_free(ses);

    /* recording does not change the run */
    ses = sf_session_new(&spec, &status);
    assert_int_equal(sf_session_run(ses), SF_OK);
    assert_int_equal(sf_kernel_fingerprint(sf_session_kernel(ses)), fp);
    sf_session_free(ses);

    sf_replay *rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    assert_int_equal(sf_replay_end(rp), 20 * SF_MINUTE);
    ses = sf_session_new(&spec, &status);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_snapshot ls, rs;
    canvas cl, cr;
    assert_int_equal(sf_snapshot_init(&ls, cfg), SF_OK);
    assert_int_equal(sf_snapshot_init(&rs, sf_replay_config(rp)), SF_OK);
    canvas_open(&cl, cfg);
    canvas_open(&cr, sf_replay_config(rp));
    /* the replay is asked out of order on purpose: backwards works */
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        assert_int_equal(sf_live_advance(live, at[i], &ls, NULL, NULL), SF_OK);
        assert_int_equal(sf_replay_snapshot(rp, 20 * SF_MINUTE, &rs), SF_OK);
        assert_int_equal(sf_replay_snapshot(rp, at[i], &rs), SF_OK);
        assert_int_equal(rs.now, at[i]);
        assert_memory_equal(ls.agents, rs.agents, ls.nagents * sizeof *ls.agents);
        assert_memory_equal(ls.cells, rs.cells, ls.ncells);
        canvas_draw(&cl, &ls);
        canvas_draw(&cr, &rs);
        if (memcmp(cl.px, cr.px, (size_t)W * H * 4) != 0)
            fail_msg("replay and live differ at t = %.1f s", sf_time_to_seconds(at[i]));
        if (i > 0 && memcmp(prev, cl.px, (size_t)W * H * 4) != 0)
            differ++;
        memcpy(prev, cl.px, (size_t)W * H * 4);
    }
    /* the pictures do change with time (else the comparison proves nothing) */
    assert_true(differ >= 4);
    /* between grid points the replay is within a few millimetres of the exact motion */
    assert_int_equal(sf_live_advance(live, 20 * SF_MINUTE, &ls, NULL, NULL), SF_OK);

    canvas_close(&cl);
    canvas_close(&cr);
    sf_snapshot_close(&ls);
    sf_snapshot_close(&rs);
    sf_live_free(live);
    sf_session_free(ses);
    sf_replay_free(rp);
    remove(rec);
    free(prev);
}

/* Between grid points, linear interpolation stays close to the exact trapezoid motion. */
static void test_replay_between_grid_points_is_close_to_exact(void **state)
{
    (void)state;
    char rec[256];
    sf_session_spec spec = {0};
    FILE *devnull = fopen("/dev/null", "w");
    int status;
    double worst = 0;

    snprintf(rec, sizeof rec, "/tmp/sf_test_render_mid_%ld.rec", (long)getpid());
    spec.model = source_path("scenarios/warehouse_basic.yaml");
    spec.log = devnull;
    spec.until_given = true;
    spec.until = 15 * SF_MINUTE;
    sf_session *ses = sf_session_new(&spec, &status);
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    sf_session_free(ses);
    sf_replay *rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    ses = sf_session_new(&spec, &status);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot ls, rs;
    assert_int_equal(sf_snapshot_init(&ls, sf_session_config(ses)), SF_OK);
    assert_int_equal(sf_snapshot_init(&rs, sf_replay_config(rp)), SF_OK);
    for (sf_time t = 0; t < 15 * SF_MINUTE; t += 3 * SF_SECOND + SF_SECOND / 4) {
        assert_int_equal(sf_live_advance(live, t, &ls, NULL, NULL), SF_OK);
        sf_replay_snapshot(rp, t, &rs);
        for (uint32_t i = 0; i < ls.nagents; i++)
            worst = fmax(worst, hypot(ls.agents[i].x - rs.agents[i].x, ls.agents[i].y - rs.agents[i].y));
    }
    /* at most a*dt^2/8 off a straight constant-acceleration leg (0.8 m/s^2, 0.5 s: 25 mm), a little more at corners */
    assert_true(worst < 0.5);
    sf_snapshot_close(&ls);
    sf_snapshot_close(&rs);
    sf_live_free(live);
    sf_session_free(ses);
    sf_replay_free(rp);
    remove(rec);
}

/* Clicking an agent or a station picks it; the heat map paints the most waited-for segment red. */
static void test_pick_and_heat_map(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/warehouse_basic.yaml", 3 * SF_HOUR);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int64_t agent, station;
    float sx, sy;
    uint32_t worst = 0;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 3 * SF_HOUR, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);
    /* a click where an agent was drawn picks it */
    for (uint32_t i = 0; i < s.nagents; i++) {
        sf_draw_agent_at(c.d, i, &sx, &sy);
        assert_int_equal(sf_draw_pick(c.d, &c.v, &s, sx + 2, sy - 1, &agent, &station), SF_OK);
        assert_int_equal(station, -1);
        float bx, by;
        sf_draw_agent_at(c.d, (uint32_t)agent, &bx, &by);
        assert_true(hypotf(bx - sx, by - sy) < 1e-3f); /* it, or one drawn on the same spot */
    }
    assert_int_equal(sf_draw_pick(c.d, &c.v, &s, 2, (float)H - 2, &agent, &station), SF_ENOTFOUND);

    for (uint32_t g = 0; g < s.nsegments; g++)
        if (s.congestion[g] > s.congestion[worst])
            worst = g;
    assert_true(s.congestion[worst] > 0); /* vehicles did wait in three hours */
    c.v.heat = true;
    canvas_draw(&c, &s);
    {
        const sf_cfg_segment *g = &cfg->layout.segments[worst];
        const sf_cfg_node *a = &cfg->layout.nodes[g->from], *b = &cfg->layout.nodes[g->to];
        double mx = (a->x + b->x) / 2, my = (a->y + b->y) / 2;
        bool clear = true;
        for (uint32_t i = 0; i < s.nagents; i++)
            clear &= hypot(s.agents[i].x - mx, s.agents[i].y - my) > 2;
        if (clear)
            assert_color(pixel_at(&c, mx, my, 0, 0), (SDL_Color){220, 30, 20, 255}, "the most waited-for segment");
        c.v.heat = false;
        canvas_draw(&c, &s);
        if (clear) {
            /* the one-pixel centre line, wherever the pixel grid puts it */
            bool white = false;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    SDL_Color p = pixel_at(&c, mx, my, (float)dx, (float)dy);
                    white |= p.r == 255 && p.g == 255 && p.b == 255;
                }
            assert_true(white);
        }
        assert_true(clear);
    }
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/* In the lights-out cell, buffers fill: the snapshot has the model's counts and the slots show them. */
static void test_station_buffers_show_their_units(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/lights_out.yaml", 4 * SF_HOUR);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int filled = 0, empty = 0;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    canvas_open(&c, cfg);
    /* without the KPI panel the layout is drawn larger: slots several pixels high */
    c.v.no_kpi = true;
    sf_view_fit(&c.v, cfg, W, H);
    for (sf_time t = 10 * SF_MINUTE; t <= 4 * SF_HOUR; t += 11 * SF_MINUTE) {
        assert_int_equal(sf_live_advance(live, t, &s, NULL, NULL), SF_OK);
        canvas_draw(&c, &s);
        for (uint32_t i = 0; i < s.nstations; i++)
            for (int side = 0; side < 2; side++) {
                int places = side ? cfg->layout.stations[i].buffer_out : cfg->layout.stations[i].buffer_in;
                uint32_t units = s.buffered[2 * i + (uint32_t)side];
                assert_int_equal(units, sf_stations_buffered(sf_world_stations(sf_session_world(ses)), i, side));
                for (int k = 0; k < places && k < 8; k++) {
                    float sx, sy;
                    bool near = false;
                    if (places > 8)
                        continue;
                    sf_draw_buffer_slot(&c.v, cfg, i, side, k, &sx, &sy);
                    for (uint32_t a = 0; a < s.nagents; a++) {
                        float ax, ay;
                        sf_draw_agent_at(c.d, a, &ax, &ay);
                        near |= hypotf(ax - sx, ay - sy) < 2 * (float)c.v.scale;
                    }
                    if (near)
                        continue;
                    SDL_Color got = pixel_xy(&c, sx, sy), full = sf_draw_cell_color(true);
                    if (units > (uint32_t)k)
                        assert_color(got, full, "a filled buffer slot");
                    else
                        assert_false(got.r == full.r && got.g == full.g && got.b == full.b);
                    filled += units > (uint32_t)k;
                    empty += units <= (uint32_t)k;
                }
            }
    }
    assert_true(filled > 0 && empty > 0);
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

static void test_replay_refuses_what_is_not_a_recording(void **state)
{
    (void)state;
    FILE *devnull = fopen("/dev/null", "w");
    assert_null(sf_replay_open(source_path("scenarios/warehouse_basic.yaml"), devnull));
    assert_null(sf_replay_open("/nonexistent/file.rec", devnull));
    fclose(devnull);
}

/* Is the pixel at (x, y) exactly colour c? */
static bool pixel_is(const canvas *c, int x, int y, SDL_Color want)
{
    SDL_Color p = pixel_xy(c, (float)x, (float)y);
    return p.r == want.r && p.g == want.g && p.b == want.b;
}

/*
 * A name tag's left edge: scanning left from (x, y) through its text and
 * white box, the first pixel of the tag's frame (200, 205, 212) within
 * 160 pixels, with white just inside it; -1 when there is none.
 */
static int tag_edge_left_of(const canvas *c, float x, float y)
{
    const SDL_Color edge = {200, 205, 212, 255}, white = {255, 255, 255, 255};
    int ix = (int)lroundf(x), iy = (int)lroundf(y);
    for (int k = 0; k < 160 && ix - k - 1 >= 0; k++)
        if (pixel_is(c, ix - k - 1, iy, edge) && pixel_is(c, ix - k, iy, white))
            return ix - k - 1;
    return -1;
}

/*
 * Names: none at the fitted view (agents under 36 pixels), the agent under
 * the pointer gets a tag above it, and zoomed in every agent on screen
 * that has room gets one.
 */
static void test_names_on_hover_and_at_zoom(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/warehouse_basic.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    float ax, ay, k;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);
    /* the tugger (agent 3) stands alone; a tag's middle is 0.9 k + 4 + 9 pixels above the agent */
    sf_draw_agent_at(c.d, 3, &ax, &ay);
    k = (float)c.v.scale < 12 / 1.3f ? 12 / 1.3f : (float)c.v.scale;
    assert_true(k * 1.3f < SF_NAMES_AT_PX);
    assert_int_equal(tag_edge_left_of(&c, ax, ay - 0.9f * k - 13), -1);
    c.v.pointer = true;
    c.v.px = ax + 1;
    c.v.py = ay;
    canvas_draw(&c, &s);
    assert_true(tag_edge_left_of(&c, ax, ay - 0.9f * k - 13) > (int)ax - 160);
    /* zoomed in on the tugger at 40 px/m: its name without the pointer */
    c.v.pointer = false;
    c.v.scale = 40;
    c.v.cx = s.agents[3].x;
    c.v.cy = s.agents[3].y;
    canvas_draw(&c, &s);
    sf_draw_agent_at(c.d, 3, &ax, &ay);
    assert_true(fabsf(ax - W / 2.0f) < 1 && fabsf(ay - H / 2.0f) < 1);
    assert_true(tag_edge_left_of(&c, ax, ay - 0.9f * 40 - 13) > (int)ax - 160);
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/*
 * The three reach trucks start on the charger's node (8, -6): they queue
 * in a row below its box, the j-th at (x + 2.4 k j, y + w / 2 + 1.4 k)
 * with w the box (at least 10 pixels, 1.4 m) and k the agents' scale.
 */
static void test_agents_at_the_charger_queue_below_it(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/warehouse_basic.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    float nx, ny;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);
    sf_view_to_screen(&c.v, 8, -6, &nx, &ny);
    float k = (float)c.v.scale < 12 / 1.3f ? 12 / 1.3f : (float)c.v.scale, w = fmaxf(10, 1.4f * (float)c.v.scale);
    for (uint32_t j = 0; j < 3; j++) {
        float x, y;
        sf_draw_agent_at(c.d, j, &x, &y);
        assert_true(fabsf(x - (nx + 2.4f * k * (float)j)) < 1e-3f);
        assert_true(fabsf(y - (ny + w / 2 + 1.4f * k)) < 1e-3f);
    }
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/*
 * The HUD of a still says neither "paused" nor a speed: the line under the
 * clock (panel at 12, 12; the line at y + 62) is blank. In a paused window
 * it holds text.
 */
static void test_still_has_no_pause_line(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    int marks = 0;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    c.v.paused = true;
    c.v.still = true;
    canvas_draw(&c, &s);
    SDL_Color panel = pixel_xy(&c, 20, 70);
    for (int y = 74; y < 92; y++)
        for (int x = 24; x < 220; x++)
            marks += !pixel_is(&c, x, y, panel);
    assert_int_equal(marks, 0);
    c.v.still = false;
    canvas_draw(&c, &s);
    for (int y = 74; y < 92; y++)
        for (int x = 24; x < 220; x++)
            marks += !pixel_is(&c, x, y, panel);
    assert_true(marks > 20);
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/*
 * With the heat map on, its legend sits bottom right: a panel 250 wide at
 * (W - 262, H - 118), its ramp 12 pixels in and 26 down, 226 long, the
 * last swatch the colour of the worst segment, (220, 30, 20) opaque.
 */
static void test_heat_map_has_a_legend(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot s;
    canvas c;
    const SDL_Color worst = {220, 30, 20, 255};
    int x = W - 262 + 12 + 226 - 4, y = H - 118 + 32;

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    assert_int_equal(sf_live_advance(live, 0, &s, NULL, NULL), SF_OK);
    canvas_open(&c, cfg);
    canvas_draw(&c, &s);
    assert_false(pixel_is(&c, x, y, worst));
    c.v.heat = true;
    canvas_draw(&c, &s);
    assert_true(pixel_is(&c, x, y, worst));
    assert_false(pixel_is(&c, W - 262 + 14, y, worst)); /* the ramp starts pale */
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_live_free(live);
    sf_session_free(ses);
}

/* The KPI charts keep a point a simulated minute and start again when time goes back. */
static void test_kpi_history_takes_a_point_a_minute(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_snapshot s;
    canvas c;
    /* 0 (a point), 30 s, 59 s (too soon), 60 s (a point), 90 s, 2 min (a point), 10 min: 4 */
    static const int64_t at[] = {0, 30, 59, 60, 90, 120, 600};
    static const int want[] = {1, 1, 1, 2, 2, 3, 4};

    assert_int_equal(sf_snapshot_init(&s, cfg), SF_OK);
    canvas_open(&c, cfg);
    for (int i = 0; i < 7; i++) {
        s.now = at[i] * SF_SECOND;
        canvas_draw(&c, &s);
        assert_int_equal(sf_draw_samples(c.d), want[i]);
    }
    s.now = 5 * SF_SECOND; /* a seek back */
    canvas_draw(&c, &s);
    assert_int_equal(sf_draw_samples(c.d), 1);
    for (int i = 0; i < 300; i++) { /* four hours at most: 240 points */
        s.now = (6 + i * 60) * SF_SECOND;
        sf_draw_sample(c.d, &s);
    }
    assert_int_equal(sf_draw_samples(c.d), 240);
    canvas_close(&c);
    sf_snapshot_close(&s);
    sf_session_free(ses);
}

/* Text grows with the picture: 1 up to 1280 x 800, the smaller of the two ratios above it, at most 2.5. */
static void test_text_scales_with_the_window(void **state)
{
    (void)state;
    sf_view v = {0};
    v.w = 1280, v.h = 800;
    assert_true(sf_view_ui(&v) == 1.0f);
    v.w = 800, v.h = 600;
    assert_true(sf_view_ui(&v) == 1.0f);
    v.w = 1920, v.h = 1080; /* min(1.5, 1.35) */
    assert_true(fabsf(sf_view_ui(&v) - 1.35f) < 1e-6f);
    v.w = 2560, v.h = 1600;
    assert_true(sf_view_ui(&v) == 2.0f);
    v.w = 7680, v.h = 4320;
    assert_true(sf_view_ui(&v) == 2.5f);
}

/*
 * The window's command line: typing keeps whole UTF-8 characters within
 * the line, a sentence is followed at the current time rounded up to a
 * whole second, a refusal is logged with its reason, any text is safe,
 * and the log keeps the last six answers.
 */
static void test_console_follows_typed_instructions(void **state)
{
    (void)state;
    sf_console con = {0};
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_interventions *l = sf_session_interventions(ses);
    char big[600] = "";

    for (int i = 0; i < 250; i++)
        strcat(big, "\xc3\xa9"); /* é: two bytes each */
    sf_console_type(&con, "stop ");
    sf_console_type(&con, big);
    assert_int_equal(strlen(con.line), 5 + 2 * 97); /* 199 bytes at most, whole characters: 5 + 194 */
    sf_console_backspace(&con);
    assert_int_equal(strlen(con.line), 5 + 2 * 96);
    con.line[0] = '\0';

    assert_int_equal(sf_session_advance(ses, 61 * SF_SECOND + 3 * SF_SECOND / 10), SF_OK);
    assert_int_equal(sf_console_now(ses), 62 * SF_SECOND);
    assert_int_equal(sf_console_submit(&con, ses, "stop press_1 for 20 minutes"), SF_OK);
    assert_int_equal(sf_interventions_count(l), 1);
    assert_int_equal(sf_interventions_get(l, 0)->at, 62 * SF_SECOND);
    assert_int_equal(sf_interventions_get(l, 0)->length, 20 * SF_MINUTE);
    assert_int_equal(con.nlog, 1);
    assert_string_equal(con.log[0].text, "+00:01:02 stop press_1 for 20 min");
    assert_false(con.log[0].refused);

    assert_int_equal(sf_console_submit(&con, ses, "stop press_9 for 5 min"), SF_EPARSE);
    assert_true(con.log[1].refused);
    assert_non_null(strstr(con.log[1].text, "did you mean 'press_1'"));
    assert_int_equal(sf_console_submit(&con, ses, "   "), SF_ENOTFOUND);
    assert_int_equal(con.nlog, 2);
    /* agents to add are built with the plant: refused live, with the way to give them */
    assert_int_not_equal(sf_console_submit(&con, ses, "add 1 truck"), SF_OK);
    assert_true(con.log[2].refused);
    assert_non_null(strstr(con.log[2].text, "--instruct"));
    assert_int_equal(sf_interventions_count(l), 1);
    /* nothing typed crashes it */
    static const char *const junk[] = {"\xff\xfe\xfd", "stop", "for 99999999999999999999 h", "::::", "+", "stop press_1 for -3 min",
                                       "10:30", "camera", "a a a a a a a a a a a a a a a a a a a a a a a a a a a a"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
        assert_int_not_equal(sf_console_submit(&con, ses, junk[i]), SF_OK);
    assert_int_equal(con.nlog, SF_VIEW_NOTES);
    for (int i = 0; i < con.nlog; i++)
        assert_true(con.log[i].refused);
    assert_int_equal(sf_interventions_count(l), 1);
    /* the stop happens: press_1 is down at 62 s and up again 20 min later */
    assert_int_equal(sf_session_advance(ses, 63 * SF_SECOND), SF_OK);
    assert_true(sf_failures_down(sf_world_failures(sf_session_world(ses)), SF_ENTITY_STATION, 0));
    assert_int_equal(sf_session_advance(ses, 62 * SF_SECOND + 20 * SF_MINUTE + SF_SECOND), SF_OK);
    assert_false(sf_failures_down(sf_world_failures(sf_session_world(ses)), SF_ENTITY_STATION, 0));
    /* no camera watches the cell */
    uint32_t cam;
    sf_snapshot snap;
    assert_int_equal(sf_snapshot_init(&snap, sf_session_config(ses)), SF_OK);
    assert_int_equal(sf_console_camera(sf_session_config(ses), &snap, -1, 0, &cam), SF_ENOTFOUND);
    assert_int_equal(sf_console_camera(sf_session_config(ses), &snap, -1, -1, &cam), SF_ENOTFOUND);
    sf_snapshot_close(&snap);
    sf_session_free(ses);
}

/* The camera keys find the camera watching a station's zone (the flagship's assembly cell). */
static void test_console_finds_the_camera_of_a_station(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/smart_factory.yaml", 10 * SF_MINUTE);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_snapshot snap;
    uint32_t cam = 99;
    int64_t assy = -1, kit = -1;

    for (size_t i = 0; i < cfg->layout.n_stations; i++) {
        if (strcmp(cfg->layout.stations[i].name, "assy_1") == 0)
            assy = (int64_t)i;
        if (strcmp(cfg->layout.stations[i].name, "kit_1") == 0)
            kit = (int64_t)i;
    }
    assert_true(assy >= 0 && kit >= 0);
    assert_int_equal(sf_snapshot_init(&snap, cfg), SF_OK);
    assert_int_equal(sf_console_camera(cfg, &snap, -1, assy, &cam), SF_OK);
    assert_string_equal(cfg->safety.cameras[cam].name, "assembly_cam");
    assert_int_equal(sf_console_camera(cfg, &snap, -1, kit, &cam), SF_ENOTFOUND); /* no camera watches kitting */
    sf_snapshot_close(&snap);
    sf_session_free(ses);
}

/* The whole decompressed content of a recording, and writing it back compressed. */
static unsigned char *gz_read_all(const char *path, size_t *n)
{
    gzFile gz = gzopen(path, "rb");
    size_t cap = 1 << 20;
    unsigned char *buf = malloc(cap);
    int got;
    *n = 0;
    assert_non_null(gz);
    while ((got = gzread(gz, buf + *n, (unsigned)(cap - *n))) > 0) {
        *n += (size_t)got;
        if (*n == cap)
            buf = realloc(buf, cap *= 2);
    }
    gzclose(gz);
    return buf;
}

static void gz_write_all(const char *path, const unsigned char *buf, size_t n)
{
    gzFile gz = gzopen(path, "wb1");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, buf, (unsigned)n), (int)n);
    gzclose(gz);
}

/*
 * A recording keeps the run's interventions after its frames and the
 * replay gives them back; a damaged list is refused; a recording of the
 * version before (SFREC2, no list) is still read, with no interventions.
 */
static void test_recording_keeps_the_interventions(void **state)
{
    (void)state;
    char rec[256];
    sf_session_spec spec = {0};
    FILE *devnull = fopen("/dev/null", "w");
    int status;
    sf_intervention iv = {.kind = SF_IV_STOP_STATION, .at = 2 * SF_MINUTE, .length = 5 * SF_MINUTE, .target = 1};
    size_t n;

    snprintf(rec, sizeof rec, "/tmp/sf_test_render_iv_%ld.rec", (long)getpid());
    spec.model = source_path("tests/render/data/cell.yaml");
    spec.log = devnull;
    spec.until_given = true;
    spec.until = 10 * SF_MINUTE;
    sf_session *ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    assert_int_equal(sf_interventions_schedule(sf_session_interventions(ses), &iv), SF_OK);
    /* a kind with fields of its own: the trucks' top speed set to 1.5 m/s at 1 min */
    sf_intervention speed = {.kind = SF_IV_SPEED, .at = SF_MINUTE, .target = 0, .speed = 1.5, .timed = true};
    assert_int_equal(sf_interventions_schedule(sf_session_interventions(ses), &speed), SF_OK);
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    sf_session_free(ses);

    sf_replay *rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    const sf_interventions *l = sf_replay_interventions(rp);
    assert_int_equal(sf_interventions_count(l), 2);
    assert_int_equal(sf_interventions_get(l, 1)->kind, SF_IV_SPEED);
    assert_int_equal(sf_interventions_get(l, 1)->at, SF_MINUTE);
    assert_int_equal(sf_interventions_get(l, 1)->target, 0);
    assert_true(sf_interventions_get(l, 1)->speed == 1.5);
    assert_int_equal(sf_interventions_get(l, 0)->kind, SF_IV_STOP_STATION);
    assert_int_equal(sf_interventions_get(l, 0)->at, 2 * SF_MINUTE);
    assert_int_equal(sf_interventions_get(l, 0)->length, 5 * SF_MINUTE);
    assert_int_equal(sf_interventions_get(l, 0)->target, 1);
    /* bench_1 (station 1) shows failed while stopped, idle or working after */
    sf_snapshot s;
    assert_int_equal(sf_snapshot_init(&s, sf_replay_config(rp)), SF_OK);
    sf_replay_snapshot(rp, 3 * SF_MINUTE, &s);
    assert_int_equal(s.station_state[1], SF_STATE_FAILED);
    sf_replay_snapshot(rp, 8 * SF_MINUTE, &s);
    assert_int_not_equal(s.station_state[1], SF_STATE_FAILED);
    sf_snapshot_close(&s);
    sf_replay_free(rp);

    /*
     * The trailer is the last 8 + 4 + 2 x 56 bytes: i64 -1, u32 2, two
     * interventions (at, length, kind, target, quantity, first, speed,
     * station, product, from, to); the stop's target is at 20 bytes into
     * the first, the speed's at 32 into the second.
     */
    unsigned char *buf = gz_read_all(rec, &n);
    int64_t mark;
    double v;
    memcpy(&mark, buf + n - 124, 8);
    assert_int_equal(mark, -1);
    memcpy(&v, buf + n - 56 + 32, 8);
    assert_true(v == 1.5);
    buf[n - 112 + 20] = 77; /* no station 77 */
    gz_write_all(rec, buf, n);
    assert_null(sf_replay_open(rec, devnull));
    buf[n - 112 + 20] = 1;
    memset(buf + n - 56 + 32, 0, 8); /* a speed of 0 */
    gz_write_all(rec, buf, n);
    assert_null(sf_replay_open(rec, devnull));
    /* version 3: the same frames and a trailer of the first kinds only (at, length, kind, target, quantity) */
    {
        unsigned char *v3 = malloc(n);
        uint32_t one = 1;
        assert_non_null(v3);
        memcpy(v3, buf, n - 124);
        memcpy(v3, "SFREC3\n", 7);
        memcpy(v3 + n - 124, &mark, 8);
        memcpy(v3 + n - 116, &one, 4);
        memcpy(v3 + n - 112, buf + n - 112, 28); /* the stop, without the later fields */
        gz_write_all(rec, v3, n - 124 + 8 + 4 + 28);
        free(v3);
        rp = sf_replay_open(rec, stderr);
        assert_non_null(rp);
        assert_int_equal(sf_interventions_count(sf_replay_interventions(rp)), 1);
        assert_int_equal(sf_interventions_get(sf_replay_interventions(rp), 0)->length, 5 * SF_MINUTE);
        sf_replay_free(rp);
    }
    /* version 2: the same frames without the "until" line and the trailer */
    unsigned char *until = (unsigned char *)strstr((char *)buf, "until ");
    unsigned char *data = (unsigned char *)strstr((char *)buf, "data\n");
    assert_non_null(until);
    assert_non_null(data);
    memcpy(buf, "SFREC2\n", 7);
    memmove(until, data, (size_t)(buf + n - data));
    n -= (size_t)(data - until);
    gz_write_all(rec, buf, n - 124);
    rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    assert_int_equal(sf_interventions_count(sf_replay_interventions(rp)), 0);
    assert_int_equal(sf_replay_end(rp), 10 * SF_MINUTE);
    sf_replay_free(rp);
    free(buf);
    remove(rec);
    fclose(devnull);
}

/*
 * A headless run with agents added (two fitters before the run, a tug at
 * 5 min) is built with the grown fleet; its recording carries the adds in
 * its header, so the replay builds the same plant: 3 fitters and 2 tugs,
 * the same 8 agents at every minute as the run, the same interventions,
 * and their printed list run again gives the same fingerprint. A header
 * naming a fleet entry the scenario does not have is refused. A reserve
 * given in the instruction file is in the header too.
 */
static void test_recording_of_a_run_with_added_agents(void **state)
{
    (void)state;
    char rec[256], ins[256], again[256];
    sf_session_spec spec = {0};
    FILE *devnull = fopen("/dev/null", "w"), *f;
    int status;
    size_t n;

    snprintf(rec, sizeof rec, "/tmp/sf_test_render_add_%ld.rec", (long)getpid());
    snprintf(ins, sizeof ins, "/tmp/sf_test_render_add_%ld.txt", (long)getpid());
    snprintf(again, sizeof again, "/tmp/sf_test_render_again_%ld.txt", (long)getpid());
    assert_non_null(f = fopen(ins, "w"));
    fputs("add 2 fitters\n+5min add 1 tug\n", f);
    fclose(f);
    spec.model = source_path("tests/render/data/cell.yaml");
    spec.log = devnull;
    spec.said = devnull;
    spec.instruct = ins;
    spec.until_given = true;
    spec.until = 10 * SF_MINUTE;
    sf_session *ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    uint64_t fp = sf_kernel_fingerprint(sf_session_kernel(ses));
    const sf_interventions *run = sf_session_interventions(ses);

    sf_replay *rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    const sf_scenario_config *cfg = sf_replay_config(rp);
    assert_int_equal(cfg->fleet.types[1].count, 2); /* tug */
    assert_int_equal(cfg->fleet.types[3].count, 3); /* fitter */
    assert_int_equal(sf_replay_end(rp), 10 * SF_MINUTE);
    const sf_interventions *l = sf_replay_interventions(rp);
    assert_int_equal(sf_interventions_count(l), 2);
    for (size_t i = 0; i < 2; i++) {
        const sf_intervention *a = sf_interventions_get(run, i), *b = sf_interventions_get(l, i);
        assert_int_equal(b->kind, SF_IV_ADD_AGENTS);
        assert_int_equal(b->at, a->at);
        assert_int_equal(b->target, a->target);
        assert_int_equal(b->quantity, a->quantity);
        assert_int_equal(b->first, a->first);
    }
    assert_int_equal(sf_interventions_get(l, 1)->at, 5 * SF_MINUTE);
    sf_session_free(ses);

    /* the replay shows what the run did, minute by minute */
    ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);
    sf_snapshot ls, rs;
    assert_int_equal(sf_snapshot_init(&ls, sf_session_config(ses)), SF_OK);
    assert_int_equal(sf_snapshot_init(&rs, cfg), SF_OK);
    assert_int_equal(rs.nagents, 8);
    for (sf_time t = 0; t <= 10 * SF_MINUTE; t += SF_MINUTE) {
        assert_int_equal(sf_live_advance(live, t, &ls, NULL, NULL), SF_OK);
        assert_int_equal(sf_replay_snapshot(rp, t, &rs), SF_OK);
        assert_int_equal(ls.nagents, rs.nagents);
        assert_memory_equal(ls.agents, rs.agents, ls.nagents * sizeof *ls.agents);
    }
    sf_snapshot_close(&ls);
    sf_snapshot_close(&rs);
    sf_live_free(live);
    sf_session_free(ses);

    /* the replay's list, printed, is the instruction file of the same run */
    assert_non_null(f = fopen(again, "w"));
    assert_true(sf_interventions_print(l, cfg, f) >= 0);
    fclose(f);
    spec.instruct = again;
    ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    assert_int_equal(sf_session_run(ses), SF_OK);
    assert_int_equal(sf_kernel_fingerprint(sf_session_kernel(ses)), fp);
    sf_session_free(ses);
    sf_replay_free(rp);

    /* "add 3 fitter 2 0" naming an entry the scenario does not have: refused */
    unsigned char *buf = gz_read_all(rec, &n);
    assert_null(strstr((char *)buf, "reserve "));
    char *add = strstr((char *)buf, "add 3 fitter ");
    assert_non_null(add);
    memcpy(add + 6, "fixer ", 6);
    gz_write_all(rec, buf, n);
    assert_null(sf_replay_open(rec, devnull));
    free(buf);

    /* a reserve from the instruction file (every entry but the arm built with 1 more, out of the plant) and
       a tug added from it at 5 min: the header says "reserve 1", and the replay builds 2 of each entry */
    assert_non_null(f = fopen(ins, "w"));
    fputs("reserve 1 agent per fleet entry\n+5min add 1 tug\n", f);
    fclose(f);
    spec.instruct = ins;
    assert_non_null(ses = sf_session_new(&spec, &status));
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    sf_session_free(ses);
    buf = gz_read_all(rec, &n);
    assert_non_null(strstr((char *)buf, "\nreserve 1\nadd 1 tug 1 300000000000\ndata\n"));
    free(buf);
    assert_non_null(rp = sf_replay_open(rec, stderr));
    assert_int_equal(sf_replay_config(rp)->fleet.types[1].count, 2);
    assert_int_equal(sf_replay_config(rp)->fleet.types[3].count, 2);
    assert_int_equal(sf_interventions_count(sf_replay_interventions(rp)), 2);
    sf_replay_free(rp);
    remove(rec);
    remove(ins);
    remove(again);
    fclose(devnull);
}

/*
 * A transport's places are checked when a recording is read: rack 0 to
 * the dock is read back; a station index past the scenario's two (the
 * last 4 bytes of the trailer's only intervention are its `to`) is
 * refused as damaged, station 1 (bench_1) is read.
 */
static void test_recording_checks_a_transport_s_places(void **state)
{
    (void)state;
    char rec[256];
    sf_session_spec spec = {0};
    FILE *devnull = fopen("/dev/null", "w");
    int status;
    size_t n;
    sf_intervention iv = {.kind = SF_IV_BRING, .at = SF_MINUTE, .length = SF_TIME_MAX, .target = 0, .quantity = 1,
                          .product = 0, .from = 0, .to = SF_IV_DOCK | 0, .timed = true};

    snprintf(rec, sizeof rec, "/tmp/sf_test_render_bring_%ld.rec", (long)getpid());
    spec.model = source_path("tests/render/data/cell.yaml");
    spec.log = devnull;
    spec.until_given = true;
    spec.until = 2 * SF_MINUTE;
    sf_session *ses = sf_session_new(&spec, &status);
    assert_non_null(ses);
    assert_int_equal(sf_interventions_schedule(sf_session_interventions(ses), &iv), SF_OK);
    assert_int_equal(sf_record_run(ses, &spec, rec, SF_RECORD_EVERY, stderr), SF_OK);
    sf_session_free(ses);
    sf_replay *rp = sf_replay_open(rec, stderr);
    assert_non_null(rp);
    assert_int_equal(sf_interventions_get(sf_replay_interventions(rp), 0)->to, SF_IV_DOCK);
    sf_replay_free(rp);

    unsigned char *buf = gz_read_all(rec, &n);
    uint32_t to = SF_IV_STATION | 2;
    memcpy(buf + n - 4, &to, 4);
    gz_write_all(rec, buf, n);
    assert_null(sf_replay_open(rec, devnull));
    to = SF_IV_STATION | 1;
    memcpy(buf + n - 4, &to, 4);
    gz_write_all(rec, buf, n);
    assert_non_null(rp = sf_replay_open(rec, stderr));
    sf_replay_free(rp);
    free(buf);
    remove(rec);
    fclose(devnull);
}

/* A stop shows as the station's failure in the HUD's alarm, at the plant's clock time (the flagship starts at 06:00). */
static void test_alarm_of_a_stop_gives_the_clock_time(void **state)
{
    (void)state;
    sf_session *ses = open_session("scenarios/smart_factory.yaml", 10 * SF_MINUTE);
    sf_intervention iv;
    char why[200];
    sf_snapshot snap;
    sf_live *live = sf_live_new(ses, SF_RECORD_EVERY);

    assert_non_null(live);
    assert_int_equal(sf_instruct_parse(sf_session_config(ses), "+2min stop weld_1 for 5 min", 1, &iv, why, sizeof why),
                     SF_OK);
    assert_int_equal(sf_interventions_schedule(sf_session_interventions(ses), &iv), SF_OK);
    assert_int_equal(sf_snapshot_init(&snap, sf_session_config(ses)), SF_OK);
    assert_int_equal(sf_live_advance(live, 3 * SF_MINUTE, &snap, NULL, NULL), SF_OK);
    assert_string_equal(snap.alarm, "weld_1 failed (day 1 06:02:00)");
    sf_snapshot_close(&snap);
    sf_live_free(live);
    sf_session_free(ses);
}

/* The interventions' log: a long refusal is wrapped onto a second line, red, inside the log's panel. */
static void test_log_wraps_a_long_refusal(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_snapshot snap;
    canvas c;
    sf_view_note notes[2] = {{"+00:01:02 stop press_1 for 20 min", false},
                             {"cannot follow \"add 2 operators to the late shift\": agents cannot be added or removed "
                              "during a run yet: change the fleet's count with --set",
                              true}};
    int red_low = 0, red_high = 0;

    assert_int_equal(sf_snapshot_init(&snap, cfg), SF_OK);
    canvas_open(&c, cfg);
    c.v.notes = notes;
    c.v.nnotes = 2;
    canvas_draw(&c, &snap);
    /* three lines end 8 px above the command line's place (h - 40): rows h-48-54 .. h-48; the refusal is the lower two */
    for (int y = H - 48 - 36; y < H - 48; y++)
        for (int x = 270; x < 900; x++) {
            uint32_t p = c.px[(size_t)y * W + (size_t)x];
            bool red = (p >> 16 & 255) > 150 && (p >> 8 & 255) < 90 && (p & 255) < 90;
            if (red)
                *(y < H - 48 - 18 ? &red_high : &red_low) += 1;
        }
    assert_true(red_high > 50);
    assert_true(red_low > 50);
    canvas_close(&c);
    sf_snapshot_close(&snap);
    sf_session_free(ses);
}

/* A replay's timeline marks each intervention with a red tick where its time falls. */
static void test_timeline_marks_the_interventions(void **state)
{
    (void)state;
    sf_session *ses = open_session("tests/render/data/cell.yaml", 0);
    const sf_scenario_config *cfg = sf_session_config(ses);
    sf_snapshot snap;
    canvas c;
    sf_time marks[1] = {15 * SF_MINUTE};
    float tx, ty, tw, th;
    const SDL_Color alarm = {200, 30, 30, 255};

    assert_int_equal(sf_snapshot_init(&snap, cfg), SF_OK);
    canvas_open(&c, cfg);
    c.v.end = SF_HOUR;
    canvas_draw(&c, &snap);
    sf_view_timeline(&c.v, &tx, &ty, &tw, &th);
    /* a quarter of the way along the bar: no tick before it is marked */
    assert_false(pixel_is(&c, (int)lroundf(tx + tw / 4), (int)lroundf(ty - 3), alarm));
    c.v.marks = marks;
    c.v.nmarks = 1;
    canvas_draw(&c, &snap);
    assert_true(pixel_is(&c, (int)lroundf(tx + tw / 4), (int)lroundf(ty - 3), alarm));
    assert_true(pixel_is(&c, (int)lroundf(tx + tw / 4), (int)lroundf(ty + th + 3), alarm));
    assert_false(pixel_is(&c, (int)lroundf(tx + tw / 2), (int)lroundf(ty - 3), alarm));
    canvas_close(&c);
    sf_snapshot_close(&snap);
    sf_session_free(ses);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cell_at_start_has_state_colours_at_known_places),
        cmocka_unit_test(test_station_colour_follows_its_state),
        cmocka_unit_test(test_agents_on_one_spot_are_fanned_out),
        cmocka_unit_test(test_warehouse_agents_and_cells_show_their_state),
        cmocka_unit_test(test_replay_matches_live_pixel_for_pixel),
        cmocka_unit_test(test_replay_between_grid_points_is_close_to_exact),
        cmocka_unit_test(test_pick_and_heat_map),
        cmocka_unit_test(test_station_buffers_show_their_units),
        cmocka_unit_test(test_replay_refuses_what_is_not_a_recording),
        cmocka_unit_test(test_names_on_hover_and_at_zoom),
        cmocka_unit_test(test_agents_at_the_charger_queue_below_it),
        cmocka_unit_test(test_still_has_no_pause_line),
        cmocka_unit_test(test_heat_map_has_a_legend),
        cmocka_unit_test(test_kpi_history_takes_a_point_a_minute),
        cmocka_unit_test(test_text_scales_with_the_window),
        cmocka_unit_test(test_console_follows_typed_instructions),
        cmocka_unit_test(test_console_finds_the_camera_of_a_station),
        cmocka_unit_test(test_recording_keeps_the_interventions),
        cmocka_unit_test(test_recording_of_a_run_with_added_agents),
        cmocka_unit_test(test_recording_checks_a_transport_s_places),
        cmocka_unit_test(test_alarm_of_a_stop_gives_the_clock_time),
        cmocka_unit_test(test_log_wraps_a_long_refusal),
        cmocka_unit_test(test_timeline_marks_the_interventions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
