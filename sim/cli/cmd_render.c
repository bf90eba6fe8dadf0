/*
 * cmd_render.c: `shopfloor render SCENARIO --at T --png FILE` and
 * `--frames DIR --every T`: pictures without a display (render/view.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#ifdef SF_HAVE_VIEWER
#include "render/view.h"
#endif

enum { O_HELP, O_AT, O_PNG, O_FRAMES, O_EVERY, O_UNTIL, O_REPLAY, O_SET, O_SEED, O_SIZE, O_HEAT, O_TRAILS, O_SELECT,
       O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_AT] = {"at", .kind = SF_CLI_DURATION, .value = "T",
              .help = "simulated time of the picture, or of the first frame", .by_default = "0"},
    [O_PNG] = {"png", .kind = SF_CLI_STRING, .value = "FILE", .help = "draw one picture into FILE",
               .hint = SF_CLI_FILE, .exts = "png"},
    [O_FRAMES] = {"frames", .kind = SF_CLI_STRING, .value = "DIR",
                  .help = "draw numbered frames DIR/frame_000000.png...", .hint = SF_CLI_DIR},
    [O_EVERY] = {"every", .kind = SF_CLI_DURATION, .value = "T", .help = "simulated time between two frames",
                 .by_default = "10 s"},
    [O_UNTIL] = {"until", .kind = SF_CLI_DURATION, .value = "T", .help = "the time of the last frame",
                 .by_default = "the end"},
    [O_REPLAY] = {"replay", .kind = SF_CLI_STRING, .value = "REC",
                  .help = "draw from a recording made by 'shopfloor run --record' instead of running a scenario",
                  .hint = SF_CLI_FILE, .exts = "rec"},
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY, .help = "as for 'shopfloor run'"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "N", .help = "as for 'shopfloor run'",
                .by_default = "scenario.seed in the scenario"},
    [O_SIZE] = {"size", .kind = SF_CLI_STRING, .value = "WxH", .help = "picture size", .by_default = "1280x800"},
    [O_HEAT] = {"heat", .kind = SF_CLI_FLAG, .help = "the congestion heat map"},
    [O_TRAILS] = {"trails", .kind = SF_CLI_FLAG, .help = "recent paths of the agents"},
    [O_SELECT] = {"select", .kind = SF_CLI_STRING, .value = "NAME",
                  .help = "inspect an agent (forklift.2) or a station in the picture"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"SCENARIO", "the scenario to draw (or --replay REC)", .optional = true, .hint = SF_CLI_FILE, .exts = "yaml"},
    {NULL},
};

static const char *const usage[] = {
    "SCENARIO --at --png [options]",
    "SCENARIO --frames [--every] [--at] [--until] [options]",
    "--replay (--png | --frames) [...]",
    NULL,
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_render = {
    .name = "render",
    .summary = "draw the plant at a time into a PNG, or frames for a video",
    .usage = usage,
    .description = "Draw the plant as the viewer shows it, without a display: one PNG at\n"
                   "simulated time --at, or numbered frames DIR/frame_000000.png... from --at\n"
                   "(default 0) every --every (default 10 s) to --until (default the end),\n"
                   "for a video (ffmpeg -i DIR/frame_%06d.png plant.mp4).",
    .operands = operands,
    .options = options,
    .run = run,
};

static int run(const sf_cli_args *a)
{
    const sf_cli_value *opt = a->opt;
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL, *replay = opt[O_REPLAY].text;
    const char *png = opt[O_PNG].text, *frames = opt[O_FRAMES].text;
    sf_time at = opt[O_AT].time, every = opt[O_EVERY].given ? opt[O_EVERY].time : 10 * SF_SECOND;
    sf_time until = opt[O_UNTIL].given ? opt[O_UNTIL].time : SF_TIME_MAX;
    int w = 0, h = 0;

    if (opt[O_EVERY].given && every <= 0) {
        sf_cli_usage_error("render", "--every must be longer than 0");
        return SF_EXIT_USAGE;
    }
    if (opt[O_SIZE].given && !sf_cli_parse_size("render", opt[O_SIZE].text, &w, &h))
        return SF_EXIT_USAGE;
    if (a->n_operands > 1) {
        sf_cli_usage_error("render", "one scenario at a time ('%s' and '%s')", model, a->operands[1]);
        return SF_EXIT_USAGE;
    }
    if (!model == !replay) {
        sf_cli_usage_error("render", model ? "a scenario or --replay FILE, not both" : "which scenario? (shopfloor render SCENARIO --png FILE)");
        return SF_EXIT_USAGE;
    }
    if (!png == !frames) {
        sf_cli_usage_error("render", "say where the picture goes: --png FILE or --frames DIR (one of them)");
        return SF_EXIT_USAGE;
    }
    if (at < 0) {
        sf_cli_usage_error("render", "--at must not be negative");
        return SF_EXIT_USAGE;
    }
#ifdef SF_HAVE_VIEWER
    {
        sf_render_opts o = {0};
        o.spec = sf_cli_spec(a, model, O_SET, O_SEED, -1); /* render's --until ends the frames, not the run */
        o.replay = replay;
        o.at = at;
        o.png = png;
        o.frames = frames;
        o.every = every;
        o.until = until;
        o.width = w;
        o.height = h;
        o.heat = opt[O_HEAT].given;
        o.trails = opt[O_TRAILS].given;
        o.select = opt[O_SELECT].text;
        return sf_render_run(&o) == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    }
#else
    (void)w;
    (void)h;
    (void)every;
    (void)until;
    fprintf(stderr, "shopfloor render: this shopfloor was built without the viewer (SHOPFLOOR_VIEWER=OFF)\n");
    return SF_EXIT_FAIL;
#endif
}
