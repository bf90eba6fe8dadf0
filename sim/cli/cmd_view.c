/*
 * cmd_view.c: `shopfloor view SCENARIO` and `shopfloor view --replay FILE`,
 * the SDL2 window (render/view.h). Built without the viewer
 * (-DSHOPFLOOR_VIEWER=OFF), the command says so and fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#ifdef SF_HAVE_VIEWER
#include "render/view.h"
#endif

enum { O_HELP, O_SET, O_SEED, O_UNTIL, O_REPLAY, O_SPEED, O_SIZE, O_EVERY, O_QUIT_AFTER, O_SCREENSHOT, O_BENCH, O_RECORD, O_INSTRUCTIONS, O_DRIVE, O_RESERVE, O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY, .help = "change a scenario value, as for 'run'"},
    [O_SEED] = {"seed", .kind = SF_CLI_U64, .value = "N", .help = "base seed of every named random stream",
                .by_default = "scenario.seed in the scenario"},
    [O_UNTIL] = {"until", .kind = SF_CLI_DURATION, .value = "T", .help = "stop at simulated time T",
                 .by_default = "the scenario's horizon"},
    [O_REPLAY] = {"replay", .kind = SF_CLI_STRING, .value = "FILE",
                  .help = "play the recording FILE instead of running a scenario", .hint = SF_CLI_FILE,
                  .exts = "rec"},
    [O_SPEED] = {"speed", .kind = SF_CLI_DOUBLE, .value = "X", .help = "simulated seconds per second (1 to 10000)",
                 .by_default = "60"},
    [O_SIZE] = {"size", .kind = SF_CLI_STRING, .value = "WxH", .help = "window size in pixels",
                .by_default = "1280x800"},
    [O_EVERY] = {"every", .kind = SF_CLI_DURATION, .value = "T", .help = "snapshot grid of the live view",
                 .by_default = "0.5 s"},
    [O_QUIT_AFTER] = {"quit-after", .kind = SF_CLI_U64, .value = "N",
                      .help = "close after N frames (tests, benchmarks)"},
    [O_SCREENSHOT] = {"screenshot", .kind = SF_CLI_STRING, .value = "F",
                      .help = "with --quit-after: save the last frame as PNG F", .hint = SF_CLI_FILE, .exts = "png"},
    [O_BENCH] = {"bench", .kind = SF_CLI_FLAG, .help = "no vsync; print frame times when closing"},
    [O_RECORD] = {"record", .kind = SF_CLI_STRING, .value = "FILE",
                  .help = "write a recording of the live run, its interventions included, for 'view --replay FILE'",
                  .hint = SF_CLI_FILE, .exts = "rec"},
    [O_INSTRUCTIONS] = {"instructions", .kind = SF_CLI_STRING, .value = "FILE",
                        .help = "write the run's interventions to FILE (on W and when closing): the instructions "
                                "that reproduce the run with 'shopfloor run --instruct FILE'",
                        .hint = SF_CLI_FILE, .by_default = "W writes shopfloor_interventions.txt"},
    [O_DRIVE] = {"drive", .kind = SF_CLI_STRING, .value = "FILE",
                 .help = "scripted input (tests, demonstrations): lines 'TIME type TEXT', 'TIME click NAME', "
                         "'TIME key KEY', 'end quit' (docs/viewer.md)",
                 .hint = SF_CLI_FILE},
    [O_RESERVE] = {"reserve", .kind = SF_CLI_U64, .value = "N",
                   .help = "build every fleet entry but arms with N more agents, out of the plant until an 'add' "
                           "brings them in during the run (the printed instructions build the same reserve)",
                   .by_default = "none: agents are added only before a run"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"SCENARIO", "the scenario to run and watch (or --replay FILE)", .optional = true, .hint = SF_CLI_FILE,
     .exts = "yaml"},
    {NULL},
};

static const char *const usage[] = {"SCENARIO [--speed] [--set]... [--seed] [--until]", "--replay [--speed]", NULL};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_view = {
    .name = "view",
    .summary = "watch a scenario run in a window, or play a recording",
    .usage = usage,
    .description = "Watch a scenario run in a window, live (the model runs as far as the\n"
                   "picture shows), or play back a recording made by\n"
                   "'shopfloor run SCENARIO --record FILE' (forwards and backwards).",
    .operands = operands,
    .options = options,
    .epilogue = "Keys: space pause, + and - speed, right arrow one step (left: back, in a\n"
                "replay), wheel zoom, drag pan, click inspect, H heat map, T trails, F follow,\n"
                "R restart, S screenshot, 0 fit, ? help. Live: Enter types an instruction\n"
                "('stop weld_1 for 20 minutes'), B stops the selected station or agent for\n"
                "20 min, C takes its camera down, W writes the interventions. See docs/viewer.md.",
    .run = run,
};

static int run(const sf_cli_args *a)
{
    const sf_cli_value *opt = a->opt;
    const char *model = a->n_operands > 0 ? a->operands[0] : NULL, *replay = opt[O_REPLAY].text;
    const char *shot = opt[O_SCREENSHOT].text;
    double speed = opt[O_SPEED].given ? opt[O_SPEED].num : 60;
    uint64_t limit = opt[O_QUIT_AFTER].u64;
    sf_time every = opt[O_EVERY].time;
    int w = 0, h = 0;
    bool bench = opt[O_BENCH].given;

    if (opt[O_SPEED].given && !(speed >= 1 && speed <= 10000)) {
        sf_cli_usage_error("view", "--speed goes from 1 to 10000, got %g", speed);
        return SF_EXIT_USAGE;
    }
    if (opt[O_SIZE].given && !sf_cli_parse_size("view", opt[O_SIZE].text, &w, &h))
        return SF_EXIT_USAGE;
    if (opt[O_EVERY].given && every <= 0) {
        sf_cli_usage_error("view", "--every must be longer than 0");
        return SF_EXIT_USAGE;
    }
    if (a->n_operands > 1) {
        sf_cli_usage_error("view", "one scenario at a time ('%s' and '%s')", model, a->operands[1]);
        return SF_EXIT_USAGE;
    }
    if (!model == !replay) {
        sf_cli_usage_error("view", model ? "a scenario or --replay FILE, not both" : "which scenario? (shopfloor view SCENARIO)");
        return SF_EXIT_USAGE;
    }
    if (opt[O_RECORD].given && replay) {
        sf_cli_usage_error("view", "--record records a live run; a replay is a recording already");
        return SF_EXIT_USAGE;
    }
    if (opt[O_RESERVE].given && (replay || opt[O_RESERVE].u64 < 1 || opt[O_RESERVE].u64 > 100)) {
        sf_cli_usage_error("view", replay ? "--reserve is for a live run" : "--reserve goes from 1 to 100 agents per fleet entry");
        return SF_EXIT_USAGE;
    }
    if (shot && limit == 0) {
        sf_cli_usage_error("view", "--screenshot needs --quit-after N (the frame to save)");
        return SF_EXIT_USAGE;
    }
#ifdef SF_HAVE_VIEWER
    {
        sf_view_opts o = {0};
        o.spec = sf_cli_spec(a, model, O_SET, O_SEED, O_UNTIL);
        o.spec.reserve = (int)opt[O_RESERVE].u64;
        o.replay = replay;
        o.speed = speed;
        o.width = w;
        o.height = h;
        o.every = every;
        o.frames_limit = (long)limit;
        o.screenshot = shot;
        o.bench = bench;
        o.record = opt[O_RECORD].text;
        o.instructions = opt[O_INSTRUCTIONS].text;
        o.drive = opt[O_DRIVE].text;
        return sf_view_run(&o) == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    }
#else
    (void)speed;
    (void)w;
    (void)h;
    (void)every;
    (void)bench;
    fprintf(stderr, "shopfloor view: this shopfloor was built without the viewer (SHOPFLOOR_VIEWER=OFF; "
                    "it needs libsdl2-dev, libsdl2-ttf-dev, libsdl2-image-dev)\n");
    return SF_EXIT_FAIL;
#endif
}
