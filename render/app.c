/*
 * app.c: the window loop (shopfloor view) and headless pictures
 * (shopfloor render).
 *
 * A source gives snapshots: a live session (advanced to the displayed
 * time, never further) or a recording. The window loop keeps its own
 * clock: each frame the displayed time moves on by the wall time since
 * the last frame times the speed; drawing reads the snapshot for that
 * time. The simulation can only go forward live; a replay goes both ways.
 */
#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/mem.h"
#include "report/outfile.h"
#include "model/stations.h"
#include "model/world.h"
#include "render/console.h"
#include "render/draw.h"
#include "render/drive.h"
#include "render/record.h"
#include "render/snapshot.h"
#include "render/view.h"

/* ---- sources ----------------------------------------------------------- */

typedef struct source {
    sf_session_spec spec;
    const char *replay_path;
    sf_session *ses; /* live */
    sf_live *live;
    sf_replay *replay;
    sf_recorder *rec; /* live, with --record */
    const sf_scenario_config *cfg;
    sf_time every, end, shown;
    int status;
} source;

static int source_open(source *src, const sf_session_spec *spec, const char *replay, sf_time every)
{
    int rc;

    memset(src, 0, sizeof *src);
    src->spec = *spec;
    src->replay_path = replay;
    src->every = every > 0 ? every : SF_RECORD_EVERY;
    if (replay) {
        if (!(src->replay = sf_replay_open(replay, stderr)))
            return SF_EIO;
        src->cfg = sf_replay_config(src->replay);
        src->end = sf_replay_end(src->replay);
        src->every = sf_replay_every(src->replay);
        return SF_OK;
    }
    if (!(src->ses = sf_session_new(spec, &rc)))
        return rc;
    if (!sf_session_world(src->ses)) {
        fprintf(stderr, "%s: the viewer shows factory scenarios (.yaml), not bare Lua models\n", spec->model);
        sf_session_free(src->ses);
        src->ses = NULL;
        return SF_EINVAL;
    }
    /* the list of interventions, started now as `run --instruct` starts its own: the same run */
    if (!sf_session_interventions(src->ses) || !(src->live = sf_live_new(src->ses, src->every))) {
        sf_session_free(src->ses);
        src->ses = NULL;
        return SF_ENOMEM;
    }
    src->cfg = sf_session_config(src->ses);
    src->end = sf_session_end(src->ses);
    return SF_OK;
}

static void source_close(source *src)
{
    sf_recorder_close(src->rec, true);
    src->rec = NULL;
    sf_live_free(src->live);
    sf_session_free(src->ses);
    sf_replay_free(src->replay);
    src->live = NULL;
    src->ses = NULL;
    src->replay = NULL;
}

/* The snapshot at t; live sources cannot go back and stay where they are asked to. */
static void source_snapshot(source *src, sf_time t, sf_snapshot *out)
{
    if (t < 0)
        t = 0;
    if (t > src->end)
        t = src->end;
    if (src->replay) {
        sf_replay_snapshot(src->replay, t, out);
    } else {
        if (t < src->shown)
            t = src->shown;
        src->status = sf_live_advance(src->live, t, out, src->rec ? sf_recorder_grid : NULL, src->rec);
    }
    src->shown = out->now;
}

/*
 * A still's KPI charts need the past: sample the source a minute apart
 * over the four hours before `at`, stopping short of the trails' two
 * minutes (a live source only goes forwards).
 */
static void sample_history(sf_draw *d, source *src, sf_snapshot *snap, sf_time at)
{
    sf_time from = at > 4 * SF_HOUR ? at - 4 * SF_HOUR : 0;
    for (sf_time t = from / SF_MINUTE * SF_MINUTE; t + 3 * SF_MINUTE < at; t += SF_MINUTE) {
        source_snapshot(src, t, snap);
        if (src->status != SF_OK)
            return;
        sf_draw_sample(d, snap);
    }
}

/* Live details of a station for the inspector: time working so far, operations, failures. */
static void inspect_station(source *src, int64_t station, char *buf, size_t n)
{
    sf_world *w;
    sf_stations *ss;
    double elapsed = sf_time_to_seconds(src->shown);

    buf[0] = '\0';
    if (!src->ses || station < 0 || !(w = sf_session_world(src->ses)) || !(ss = sf_world_stations(w)) ||
        (uint64_t)station >= sf_stations_count(ss))
        return;
    snprintf(buf, n, "working %.0f %% of the time so far\n%llu operations, %llu failures",
             elapsed > 0 ? 100.0 * sf_stations_time_in(ss, (uint32_t)station, SF_STATE_WORKING, src->shown) / elapsed
                         : 0.0,
             (unsigned long long)sf_stations_ops(ss, (uint32_t)station),
             (unsigned long long)sf_failures_count(sf_world_failures(w), SF_ENTITY_STATION, (uint32_t)station));
}

/* Live details of an agent for the inspector. */
static void inspect_text(source *src, int64_t agent, char *buf, size_t n)
{
    sf_world *w;
    sf_agent *a;
    double total = 0, busy;

    buf[0] = '\0';
    if (!src->ses || agent < 0 || !(w = sf_session_world(src->ses)) || (uint64_t)agent >= sf_world_agent_count(w))
        return;
    a = sf_world_agent(w, (uint32_t)agent);
    for (int s = 0; s < SF_POWER_STATES; s++)
        total += a->meter.time[s];
    total += sf_time_to_seconds(src->shown - a->meter.since);
    busy = total - a->meter.time[SF_POWER_IDLE] - a->meter.time[SF_POWER_OFF] - a->meter.time[SF_POWER_STANDBY];
    if (a->meter.state == SF_POWER_IDLE || a->meter.state == SF_POWER_OFF || a->meter.state == SF_POWER_STANDBY)
        busy -= sf_time_to_seconds(src->shown - a->meter.since);
    snprintf(buf, n, "trips %llu, picks %llu, drops %llu\nbusy %.0f %% of the time so far\nenergy %.2f kWh",
             (unsigned long long)a->trips, (unsigned long long)a->picks, (unsigned long long)a->drops,
             total > 0 ? 100.0 * busy / total : 0.0, sf_meter_total(&a->meter, src->shown) / 3.6e6);
}

/* ---- headless pictures ------------------------------------------------- */

int sf_render_run(const sf_render_opts *o)
{
    int w = o->width > 0 ? o->width : 1280, h = o->height > 0 ? o->height : 800, rc;
    SDL_Surface *surf = NULL;
    SDL_Renderer *r = NULL;
    sf_draw *d = NULL;
    sf_snapshot snap = {0};
    sf_trails trails = {0};
    sf_view v = {0};
    source src;
    char err[512], inspect[300] = "";

    if ((rc = source_open(&src, &o->spec, o->replay, 0)) != SF_OK)
        return rc;
    if (o->at > src.end) {
        char at[48], end[48];
        sf_time_format(o->at, at, sizeof at);
        sf_time_format(src.end, end, sizeof end);
        fprintf(stderr, "shopfloor render: --at %s lies past the end of the %s (%s)\n", at,
                src.replay ? "recording" : "run", end);
        rc = SF_ERANGE;
        goto done;
    }
    rc = SF_ENOMEM;
    if (!(surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888)) ||
        !(r = SDL_CreateSoftwareRenderer(surf))) {
        fprintf(stderr, "shopfloor render: cannot make a %d x %d picture: %s\n", w, h, SDL_GetError());
        goto done;
    }
    if (!(d = sf_draw_new(r, src.cfg, err, sizeof err))) {
        fprintf(stderr, "shopfloor render: %s\n", err);
        rc = SF_EINVAL;
        goto done;
    }
    if (sf_snapshot_init(&snap, src.cfg) != SF_OK || sf_trails_init(&trails, snap.nagents) != SF_OK)
        goto done;
    sf_view_fit(&v, src.cfg, w, h);
    v.selected_agent = v.selected_station = -1;
    v.heat = o->heat;
    v.trails = o->trails;
    v.speed = 1;
    v.still = true;
    if (o->select) {
        sf_world *world = sf_session_world(src.ses ? src.ses : sf_replay_session(src.replay));
        uint32_t a = sf_world_find_agent(world, o->select);
        for (size_t i = 0; i < src.cfg->layout.n_stations; i++)
            if (strcmp(src.cfg->layout.stations[i].name, o->select) == 0)
                v.selected_station = (int64_t)i;
        if (a != SF_NO_AGENT)
            v.selected_agent = a;
        else if (v.selected_station < 0) {
            fprintf(stderr, "shopfloor render: --select %s: no agent or station of that name\n", o->select);
            rc = SF_ENOTFOUND;
            goto done;
        }
    }
    if (o->png) {
        /* trails need the recent past: sample it on the grid first */
        if (o->trails)
            for (sf_time t = o->at - SF_TRAIL_POINTS * 2 * SF_SECOND; t < o->at; t += 2 * SF_SECOND)
                if (t >= 0) {
                    source_snapshot(&src, t, &snap);
                    sf_trails_add(&trails, &snap, 2 * SF_SECOND);
                }
        sample_history(d, &src, &snap, o->at);
        source_snapshot(&src, o->at, &snap);
        sf_trails_add(&trails, &snap, 0);
        if (v.selected_station >= 0)
            inspect_station(&src, v.selected_station, inspect, sizeof inspect);
        else
            inspect_text(&src, v.selected_agent, inspect, sizeof inspect);
        v.inspect = inspect;
        sf_draw_frame(d, &v, &snap, &trails);
        if (src.status != SF_OK)
            fprintf(stderr, "shopfloor render: the run stopped at %.0f s: %s; no picture written\n",
                    sf_time_to_seconds(snap.now), snap.alarm);
        else if ((rc = sf_draw_save_png(r, w, h, o->png, err, sizeof err)) != SF_OK)
            fprintf(stderr, "shopfloor render: %s\n", err);
    } else {
        sf_time until = o->until < src.end ? o->until : src.end, every = o->every > 0 ? o->every : 10 * SF_SECOND;
        long k = 0;
        if (mkdir(o->frames, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "shopfloor render: cannot create %s: %s\n", o->frames, strerror(errno));
            rc = SF_EIO;
            goto done;
        }
        rc = SF_OK;
        for (sf_time t = o->at; t <= until && rc == SF_OK; t += every, k++) {
            char path[4200];
            source_snapshot(&src, t, &snap);
            if (src.status != SF_OK) {
                fprintf(stderr, "shopfloor render: the run stopped at %.0f s: %s; frames up to it are written\n",
                        sf_time_to_seconds(snap.now), snap.alarm);
                break;
            }
            sf_trails_add(&trails, &snap, 0);
            sf_draw_frame(d, &v, &snap, &trails);
            snprintf(path, sizeof path, "%s/frame_%06ld.png", o->frames, k);
            if ((rc = sf_draw_save_png(r, w, h, path, err, sizeof err)) != SF_OK)
                fprintf(stderr, "shopfloor render: %s\n", err);
        }
        if (rc == SF_OK)
            printf("%ld frames in %s (frame_000000.png ...)\n", k, o->frames);
    }
    if (rc == SF_OK && src.status != SF_OK)
        rc = src.status;
done:
    sf_trails_close(&trails);
    sf_snapshot_close(&snap);
    sf_draw_free(d);
    if (r)
        SDL_DestroyRenderer(r);
    if (surf)
        SDL_FreeSurface(surf);
    source_close(&src);
    return rc;
}

/* ---- the window -------------------------------------------------------- */

typedef struct frame_times {
    double *ms;
    size_t n, cap;
} frame_times;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report_times(frame_times *ft, uint32_t nagents)
{
    double sum = 0;
    if (ft->n < 2)
        return;
    /* the first frames warm caches and textures: leave out the first 10 % */
    long skip = (long)ft->n / 10, n = (long)ft->n - skip;
    double *m = ft->ms + skip;
    for (long i = 0; i < n; i++)
        sum += m[i];
    qsort(m, (size_t)n, sizeof *m, cmp_double);
    printf("frames %ld, agents %u: frame time mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms "
           "(%.0f frames/s)\n",
           n, nagents, sum / n, m[n / 2], m[(long)(n * 0.95)], m[n - 1], 1000.0 * n / sum);
}

static void zoom_at(sf_view *v, float sx, float sy, double factor)
{
    double x, y, x2, y2;
    sf_view_to_world(v, sx, sy, &x, &y);
    v->scale = fmin(400, fmax(0.2, v->scale * factor));
    sf_view_to_world(v, sx, sy, &x2, &y2);
    v->cx += x - x2;
    v->cy += y - y2;
}

/*
 * Whether a window can be seen: an X or Wayland display, or a video driver
 * chosen on purpose (SDL_VIDEODRIVER). Without one SDL falls back to a
 * driver that draws nowhere, and the window would run unseen until killed.
 */
static bool has_display(void)
{
    static const char *const vars[] = {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"};

    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]) && *getenv(vars[i]))
            return true;
    return false;
}

/* ---- interventions in the window ---------------------------------------- */

/* The run's interventions: the live session's, or the recording's. */
static const sf_interventions *source_interventions(source *src)
{
    return src->ses ? sf_session_interventions(src->ses) : sf_replay_interventions(src->replay);
}

/* The interventions as the instruction file that reproduces the run headless (W, and on quitting). */
static int write_instructions(source *src, const char *path, char *msg, size_t n)
{
    sf_outfile *o = sf_outfile_open(path);
    const sf_session_spec *sp = &src->spec;

    if (!o) {
        snprintf(msg, n, "cannot write %s", path);
        return SF_EIO;
    }
    if (src->replay)
        fprintf(o->f, "# the interventions of the recording %s\n", src->replay_path);
    else {
        fprintf(o->f, "# the interventions of a live run of %s, seed %llu; headless: shopfloor run %s --seed %llu",
                sp->model, (unsigned long long)sf_session_seed(src->ses), sp->model,
                (unsigned long long)sf_session_seed(src->ses));
        for (size_t i = 0; i < sp->nsets; i++)
            fprintf(o->f, " --set %s", sp->sets[i]);
        if (sp->until_given)
            fprintf(o->f, " --until %.17gs", sf_time_to_seconds(sp->until));
        fprintf(o->f, " --instruct %s\n", path);
    }
    if (sf_interventions_print(source_interventions(src), src->cfg, o->f) != SF_OK || sf_outfile_commit(o) != SF_OK) {
        snprintf(msg, n, "cannot write %s", path);
        return SF_EIO;
    }
    snprintf(msg, n, "%zu interventions written to %s", sf_interventions_count(source_interventions(src)), path);
    return SF_OK;
}

/* A key while the command line is open: Enter follows the line, Esc closes it, Backspace edits it. */
static void console_key(sf_console *con, source *src, SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        sf_console_submit(con, src->ses, con->line);
        /* fall through */
    case SDLK_ESCAPE:
        con->line[0] = '\0';
        con->open = false;
        break;
    case SDLK_BACKSPACE:
        sf_console_backspace(con);
        break;
    default:
        break;
    }
}

/* B and C: stop the selected station or agent, or take down the camera watching it, for SF_CONSOLE_STOP. */
static void intervene(sf_console *con, source *src, const sf_view *v, const sf_snapshot *snap, bool camera)
{
    sf_intervention iv = {.length = SF_CONSOLE_STOP};

    if (v->selected_agent < 0 && v->selected_station < 0) {
        sf_console_note(con, true, "select a station or an agent first (click it)");
        return;
    }
    if (camera) {
        if (sf_console_camera(src->cfg, snap, v->selected_agent, v->selected_station, &iv.target) != SF_OK) {
            sf_console_note(con, true, "no camera watches the selected station or agent");
            return;
        }
        iv.kind = SF_IV_CAMERA_DOWN;
    } else {
        iv.kind = v->selected_station >= 0 ? SF_IV_STOP_STATION : SF_IV_STOP_AGENT;
        iv.target = (uint32_t)(v->selected_station >= 0 ? v->selected_station : v->selected_agent);
    }
    sf_console_apply(con, src->ses, &iv);
}

/* A replay's log: the recorded interventions up to the time shown. */
static void replay_notes(sf_console *con, source *src, sf_time now)
{
    const sf_interventions *l = sf_replay_interventions(src->replay);
    char said[SF_VIEW_NOTE_LEN];

    con->nlog = 0;
    for (size_t i = 0; i < sf_interventions_count(l); i++)
        if (sf_interventions_get(l, i)->at <= now) {
            sf_intervention_describe(sf_interventions_get(l, i), src->cfg, said, sizeof said);
            sf_console_note(con, false, said);
        }
}

/* The keys that act on the plant or its interventions (closed command line): true when k was one. */
static bool intervention_key(sf_console *con, source *src, const sf_view *v, const sf_snapshot *snap, SDL_Keycode k,
                             const char *instructions, char *status, size_t n)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_b:
    case SDLK_c:
        status[0] = '\0';
        if (!src->ses) /* in the status line: a replay's log is its recorded interventions */
            snprintf(status, n, "a replay shows the recorded interventions; it cannot be changed");
        else if (k == SDLK_b || k == SDLK_c)
            intervene(con, src, v, snap, k == SDLK_c);
        else
            con->open = true;
        return true;
    case SDLK_w:
        write_instructions(src, instructions ? instructions : "shopfloor_interventions.txt", status, n);
        return true;
    default:
        return false;
    }
}

/* On closing a live window: where the run got to, for comparing it with its headless equivalent. */
static void print_reached(source *src)
{
    sf_kernel *k;
    char now[48];

    if (!src->ses)
        return;
    k = sf_session_kernel(src->ses);
    sf_time_format(sf_kernel_now(k), now, sizeof now);
    printf("%s: live at t = %s after %llu events (seed %llu, fingerprint %016llx), %zu interventions\n",
           src->spec.model, now, (unsigned long long)sf_kernel_events(k),
           (unsigned long long)sf_session_seed(src->ses), (unsigned long long)sf_kernel_fingerprint(k),
           sf_interventions_count(sf_session_interventions(src->ses)));
}

/*
 * Whether a renderer draws with OpenGL on a software rasterizer (Mesa's
 * llvmpipe, softpipe or swrast: Xvfb, a machine without a GPU). There
 * SDL's own software renderer is two to three times faster for our
 * triangles (docs/viewer.md, "Speed"), the more so when its picture is
 * put on the screen without GL.
 */
static bool software_gl(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    const unsigned char *(*get_string)(unsigned) = NULL;
    const char *name;
    void *fn;

    if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0 ||
        !(fn = SDL_GL_GetProcAddress("glGetString")))
        return false;
    memcpy(&get_string, &fn, sizeof fn); /* an object pointer to a function pointer, as POSIX dlsym does */
    name = (const char *)get_string(0x1F01); /* GL_RENDERER */
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") || strstr(name, "swrast"));
}

/*
 * What a window adds to its source: scripted input (its log echoed), the
 * recorder of a live run, a replay's intervention marks for the timeline.
 * SF_OK, or an error after a message on stderr.
 */
static int open_extras(source *src, const sf_view_opts *o, sf_drive *drive, sf_console *con, sf_time **marks,
                       sf_view *v)
{
    const sf_interventions *l = src->replay ? sf_replay_interventions(src->replay) : NULL;
    int rc;

    if (o->drive && (rc = sf_drive_open(drive, o->drive, stderr)) != SF_OK)
        return rc;
    if (o->drive && src->ses)
        con->echo = stdout; /* what a scripted session did, for its tests */
    if (o->record && !src->ses) {
        fprintf(stderr, "shopfloor view: --record records a live run, not a replay\n");
        return SF_EINVAL;
    }
    if (o->record && !(src->rec = sf_recorder_open(src->ses, &src->spec, o->record, src->every, stderr)))
        return SF_EIO;
    if (l && sf_interventions_count(l) > 0) {
        if (!(*marks = sf_calloc(sf_interventions_count(l), sizeof **marks)))
            return SF_ENOMEM;
        for (size_t i = 0; i < sf_interventions_count(l); i++)
            (*marks)[i] = sf_interventions_get(l, i)->at;
        v->marks = *marks;
        v->nmarks = sf_interventions_count(l);
    }
    return SF_OK;
}

/*
 * The window's renderer: a GPU one with vsync, or SDL's software renderer
 * where OpenGL would be a software rasterizer (software_gl) or is
 * missing. NULL when there is none.
 */
static SDL_Renderer *make_renderer(SDL_Window *win, bool bench)
{
    SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | (bench ? 0 : SDL_RENDERER_PRESENTVSYNC));

    if (r && !getenv("SDL_RENDER_DRIVER") && software_gl(r)) {
        /* SDL's own software renderer, its surface put on the screen by X directly, not through GL */
        SDL_DestroyRenderer(r);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        r = NULL;
    }
    return r ? r : SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
}

int sf_view_run(const sf_view_opts *o)
{
    int w = o->width > 0 ? o->width : 1280, h = o->height > 0 ? o->height : 800, rc;
    SDL_Window *win = NULL;
    SDL_Renderer *r = NULL;
    sf_draw *d = NULL;
    sf_snapshot snap = {0};
    sf_trails trails = {0};
    sf_view v = {0};
    frame_times ft = {0};
    source src;
    char err[512], status[200] = "", inspect[300] = "", title[300];
    double t = 0, speed = o->speed > 0 ? o->speed : 60;
    bool quit = false, follow = false, dragging = false, seeking = false, moved = false;
    int drag_x = 0, drag_y = 0;
    Uint64 last, status_until = 0;
    long frames = 0;
    sf_console con = {0};
    sf_drive drive = {0};
    sf_time *marks = NULL;

    if (!has_display()) {
        fprintf(stderr, "shopfloor view: no display (neither DISPLAY nor WAYLAND_DISPLAY is set): "
                        "'shopfloor render SCENARIO --at T --png FILE' draws pictures without one, "
                        "or run the window on a virtual display with 'xvfb-run shopfloor view ...'\n");
        return SF_EINVAL;
    }
    if ((rc = source_open(&src, &o->spec, o->replay, o->every)) != SF_OK)
        return rc;
    if ((rc = open_extras(&src, o, &drive, &con, &marks, &v)) != SF_OK)
        goto done;
    rc = SF_EINVAL;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "shopfloor view: no display (%s); 'shopfloor render' draws pictures without one\n",
                SDL_GetError());
        goto done;
    }
    snprintf(title, sizeof title, "shopfloor - %s%s", src.cfg->scenario.name ? src.cfg->scenario.name : "",
             src.replay ? " (replay)" : "");
    if (!(win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                                 SDL_WINDOW_RESIZABLE))) {
        fprintf(stderr, "shopfloor view: cannot open a window: %s\n", SDL_GetError());
        goto done;
    }
    if (!(r = make_renderer(win, o->bench))) {
        fprintf(stderr, "shopfloor view: cannot draw in the window: %s\n", SDL_GetError());
        goto done;
    }
    SDL_GetRendererOutputSize(r, &w, &h);
    if (!(d = sf_draw_new(r, src.cfg, err, sizeof err))) {
        fprintf(stderr, "shopfloor view: %s\n", err);
        goto done;
    }
    rc = SF_ENOMEM;
    if (sf_snapshot_init(&snap, src.cfg) != SF_OK || sf_trails_init(&trails, snap.nagents) != SF_OK)
        goto done;
    sf_view_fit(&v, src.cfg, w, h);
    v.selected_agent = v.selected_station = -1;
    v.end = src.replay ? src.end : 0;
    rc = SF_OK;
    last = SDL_GetPerformanceCounter();
    while (!quit) {
        SDL_Event e;
        Uint64 start = SDL_GetPerformanceCounter();
        double step = sf_time_to_seconds(src.every);
        if (drive.n > 0 && frames > 0 &&
            sf_drive_step(&drive, snap.now, snap.now >= src.end || src.status != SF_OK, d, &v,
                          sf_session_world(src.ses ? src.ses : sf_replay_session(src.replay)), stderr) != SF_OK)
            rc = SF_ENOTFOUND;
        while (SDL_PollEvent(&e)) {
            switch (e.type) {
            case SDL_QUIT:
                quit = true;
                break;
            case SDL_WINDOWEVENT:
                if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                    SDL_GetRendererOutputSize(r, &v.w, &v.h);
                }
                if (e.window.event == SDL_WINDOWEVENT_LEAVE)
                    v.pointer = false;
                break;
            case SDL_TEXTINPUT:
                if (con.open)
                    sf_console_type(&con, e.text.text);
                break;
            case SDL_KEYDOWN:
                if (con.open) {
                    console_key(&con, &src, e.key.keysym.sym);
                    break;
                }
                if (intervention_key(&con, &src, &v, &snap, e.key.keysym.sym, o->instructions, status,
                                     sizeof status)) {
                    status_until = SDL_GetPerformanceCounter() + 3 * SDL_GetPerformanceFrequency();
                    break;
                }
                switch (e.key.keysym.sym) {
                case SDLK_ESCAPE:
                case SDLK_q:
                    if (v.help)
                        v.help = false;
                    else
                        quit = true;
                    break;
                case SDLK_SPACE:
                    v.paused = !v.paused;
                    break;
                case SDLK_PLUS:
                case SDLK_EQUALS:
                case SDLK_KP_PLUS:
                    speed = fmin(10000, speed < 1 ? 1 : speed * (speed >= 1000 ? 10.0 / 5 : 2));
                    break;
                case SDLK_MINUS:
                case SDLK_KP_MINUS:
                    speed = fmax(1, speed / 2);
                    break;
                case SDLK_RIGHT:
                    v.paused = true;
                    t = floor(t / step + 1e-9) * step + step;
                    break;
                case SDLK_LEFT:
                    v.paused = true;
                    if (src.replay)
                        t = fmax(0, ceil(t / step - 1e-9) * step - step);
                    break;
                case SDLK_PAGEUP:
                    if (src.replay)
                        t = fmax(0, t - 60);
                    break;
                case SDLK_PAGEDOWN:
                    t += 60;
                    break;
                case SDLK_HOME:
                    if (src.replay)
                        t = 0;
                    break;
                case SDLK_h:
                    v.heat = !v.heat;
                    break;
                case SDLK_t:
                    v.trails = !v.trails;
                    break;
                case SDLK_k:
                    v.no_kpi = !v.no_kpi;
                    sf_view_fit(&v, src.cfg, v.w, v.h);
                    break;
                case SDLK_f:
                    follow = !follow && v.selected_agent >= 0;
                    break;
                case SDLK_0:
                    sf_view_fit(&v, src.cfg, v.w, v.h);
                    break;
                case SDLK_SLASH:
                case SDLK_QUESTION:
                    v.help = !v.help;
                    break;
                case SDLK_r:
                    if (src.rec) {
                        sf_console_note(&con, true, "no restart while recording: the recording would no longer be one run");
                        break;
                    }
                    if (src.replay) {
                        t = 0;
                    } else {
                        source fresh;
                        if (source_open(&fresh, &src.spec, NULL, src.every) == SF_OK) {
                            source_close(&src);
                            src = fresh;
                            t = 0;
                        }
                    }
                    sf_trails_close(&trails);
                    sf_trails_init(&trails, snap.nagents);
                    snprintf(status, sizeof status, "restarted");
                    status_until = SDL_GetPerformanceCounter() + 2 * SDL_GetPerformanceFrequency();
                    break;
                case SDLK_s: {
                    char path[64];
                    long long sec = (long long)(snap.now / SF_SECOND);
                    snprintf(path, sizeof path, "shopfloor_%03lld_%02lld%02lld%02lld.png", sec / 86400 + 1,
                             sec / 3600 % 24, sec / 60 % 60, sec % 60);
                    if (sf_draw_save_png(r, v.w, v.h, path, err, sizeof err) == SF_OK)
                        snprintf(status, sizeof status, "saved %s", path);
                    else
                        snprintf(status, sizeof status, "%.150s", err);
                    status_until = SDL_GetPerformanceCounter() + 3 * SDL_GetPerformanceFrequency();
                    break;
                }
                default:
                    break;
                }
                break;
            case SDL_MOUSEWHEEL: {
                int mx, my;
                SDL_GetMouseState(&mx, &my);
                zoom_at(&v, (float)mx, (float)my, e.wheel.y > 0 ? 1.2 : 1 / 1.2);
                break;
            }
            case SDL_MOUSEBUTTONDOWN:
                if (e.button.button == SDL_BUTTON_LEFT) {
                    float tx, ty, tw, th;
                    sf_view_timeline(&v, &tx, &ty, &tw, &th);
                    if (v.end > 0 && e.button.y >= ty - 8 && e.button.y <= ty + th + 8 && e.button.x >= tx &&
                        e.button.x <= tx + tw) {
                        seeking = true;
                        t = sf_time_to_seconds(v.end) * (e.button.x - tx) / tw;
                    } else {
                        dragging = true;
                        moved = false;
                        drag_x = e.button.x;
                        drag_y = e.button.y;
                    }
                }
                break;
            case SDL_MOUSEMOTION:
                /* the name of what is under the pointer */
                v.pointer = true;
                v.px = (float)e.motion.x;
                v.py = (float)e.motion.y;
                if (seeking) {
                    float tx, ty, tw, th;
                    sf_view_timeline(&v, &tx, &ty, &tw, &th);
                    t = fmax(0, sf_time_to_seconds(v.end) * (e.motion.x - tx) / tw);
                } else if (dragging) {
                    if (abs(e.motion.x - drag_x) + abs(e.motion.y - drag_y) > 3)
                        moved = true;
                    if (moved) {
                        v.cx -= e.motion.xrel / v.scale;
                        v.cy += e.motion.yrel / v.scale;
                        follow = false;
                    }
                }
                break;
            case SDL_MOUSEBUTTONUP:
                if (e.button.button == SDL_BUTTON_LEFT) {
                    if (dragging && !moved) {
                        int64_t a, s;
                        sf_draw_pick(d, &v, &snap, (float)e.button.x, (float)e.button.y, &a, &s);
                        v.selected_agent = a;
                        v.selected_station = s;
                        if (a < 0)
                            follow = false;
                    }
                    dragging = seeking = false;
                }
                break;
            default:
                break;
            }
        }
        Uint64 now = SDL_GetPerformanceCounter();
        double wall = (double)(now - last) / (double)SDL_GetPerformanceFrequency();
        last = now;
        if (!v.paused && !seeking)
            t += fmin(wall, 0.25) * speed;
        if (t > sf_time_to_seconds(src.end))
            t = sf_time_to_seconds(src.end);
        {
            sf_time at;
            if (sf_time_from_seconds(t, &at) != SF_OK)
                at = src.end;
            source_snapshot(&src, at, &snap);
            t = sf_time_to_seconds(snap.now) > t ? sf_time_to_seconds(snap.now) : t;
            if (!src.replay && snap.now < at)
                t = sf_time_to_seconds(snap.now); /* the run stopped */
        }
        sf_trails_add(&trails, &snap, 2 * SF_SECOND);
        if (follow && v.selected_agent >= 0 && (uint64_t)v.selected_agent < snap.nagents) {
            v.cx = snap.agents[v.selected_agent].x;
            v.cy = snap.agents[v.selected_agent].y;
        }
        if (v.selected_station >= 0)
            inspect_station(&src, v.selected_station, inspect, sizeof inspect);
        else
            inspect_text(&src, v.selected_agent, inspect, sizeof inspect);
        v.inspect = inspect;
        if (src.replay)
            replay_notes(&con, &src, snap.now);
        v.command = con.open ? con.line : NULL;
        v.notes = con.log;
        v.nnotes = con.nlog;
        v.speed = speed;
        v.status = SDL_GetPerformanceCounter() < status_until ? status : "";
        sf_draw_frame(d, &v, &snap, &trails);
        frames++;
        if (o->screenshot && o->frames_limit > 0 && frames == o->frames_limit &&
            sf_draw_save_png(r, v.w, v.h, o->screenshot, err, sizeof err) != SF_OK) {
            fprintf(stderr, "shopfloor view: %s\n", err);
            rc = SF_EIO;
        }
        SDL_RenderPresent(r);
        if (!o->bench) { /* at most 60 frames/s, also where presenting does not wait for the screen (software) */
            Uint64 used = (SDL_GetPerformanceCounter() - start) * 1000 / SDL_GetPerformanceFrequency();
            if (used < 16)
                SDL_Delay((Uint32)(16 - used));
        }
        if (o->bench) {
            if (sf_grow(ft.ms, ft.cap, ft.n + 1) == SF_OK)
                ft.ms[ft.n++] = 1000.0 * (double)(SDL_GetPerformanceCounter() - start) /
                                (double)SDL_GetPerformanceFrequency();
        }
        if (o->frames_limit > 0 && frames >= o->frames_limit)
            quit = true;
    }
    if (o->bench)
        report_times(&ft, snap.nagents);
    print_reached(&src);
    if (o->instructions && write_instructions(&src, o->instructions, err, sizeof err) != SF_OK) {
        fprintf(stderr, "shopfloor view: %s\n", err);
        rc = SF_EIO;
    }
done:
    free(ft.ms);
    free(marks);
    sf_drive_close(&drive);
    sf_trails_close(&trails);
    sf_snapshot_close(&snap);
    sf_draw_free(d);
    if (r)
        SDL_DestroyRenderer(r);
    if (win)
        SDL_DestroyWindow(win);
    source_close(&src);
    SDL_Quit();
    return rc;
}
