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

static void help(void)
{
    printf("usage: shopfloor view SCENARIO [--speed X] [--set K=V]... [--seed N] [--until T]\n"
           "       shopfloor view --replay FILE [--speed X]\n"
           "\n"
           "Watch a scenario run in a window, live (the model runs as far as the\n"
           "picture shows), or play back a recording made by\n"
           "'shopfloor run SCENARIO --record FILE' (forwards and backwards).\n"
           "\n"
           "  --speed X        simulated seconds per second (default 60; 1 to 10000)\n"
           "  --size WxH       window size in pixels (default 1280x800)\n"
           "  --every T        snapshot grid of the live view (default 0.5 s)\n"
           "  --quit-after N   close after N frames (tests, benchmarks)\n"
           "  --screenshot F   with --quit-after: save the last frame as PNG F\n"
           "  --bench          no vsync; print frame times when closing\n"
           "\n"
           "Keys: space pause, + and - speed, right arrow one step (left: back, in a\n"
           "replay), wheel zoom, drag pan, click inspect, H heat map, T trails, F follow,\n"
           "R restart, S screenshot, 0 fit, ? help. See docs/viewer.md.\n");
}

bool sf_cli_parse_size(const char *cmd, const char *text, int *w, int *h)
{
    char *end;
    long a = strtol(text, &end, 10), b;
    if (*end != 'x' || a < 64 || a > 16384)
        goto bad;
    b = strtol(end + 1, &end, 10);
    if (*end || b < 64 || b > 16384)
        goto bad;
    *w = (int)a;
    *h = (int)b;
    return true;
bad:
    sf_cli_usage_error(cmd, "--size expects WIDTHxHEIGHT such as 1280x800, got '%s'", text);
    return false;
}

int sf_cmd_view(int argc, char **argv)
{
    sf_cli_scenario sc = {0};
    const char *model = NULL, *replay = NULL, *shot = NULL, *v;
    double speed = 60;
    uint64_t limit = 0;
    sf_time every = 0;
    int w = 0, h = 0, r;
    bool bench = false;

    for (int i = 1; i < argc; i++) {
        if (sf_cli_is_help(argv[i])) {
            help();
            return SF_EXIT_OK;
        } else if ((r = sf_cli_scenario_option("view", argc, argv, &i, &sc)) != 0) {
            if (r < 0)
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--replay") == 0) {
            if (!(replay = sf_cli_value("view", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--speed") == 0) {
            if (!(v = sf_cli_value("view", argc, argv, &i)) || !sf_cli_parse_double("view", "--speed", v, &speed))
                return SF_EXIT_USAGE;
            if (!(speed >= 1 && speed <= 10000)) {
                sf_cli_usage_error("view", "--speed goes from 1 to 10000, got %g", speed);
                return SF_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--size") == 0) {
            if (!(v = sf_cli_value("view", argc, argv, &i)) || !sf_cli_parse_size("view", v, &w, &h))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--every") == 0) {
            if (!(v = sf_cli_value("view", argc, argv, &i)) || !sf_cli_parse_duration("view", "--every", v, &every))
                return SF_EXIT_USAGE;
            if (every <= 0) {
                sf_cli_usage_error("view", "--every must be longer than 0");
                return SF_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--quit-after") == 0) {
            if (!(v = sf_cli_value("view", argc, argv, &i)) || !sf_cli_parse_u64("view", "--quit-after", v, &limit))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--screenshot") == 0) {
            if (!(shot = sf_cli_value("view", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--bench") == 0) {
            bench = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            sf_cli_usage_error("view", "unknown option '%s'", argv[i]);
            return SF_EXIT_USAGE;
        } else if (model) {
            sf_cli_usage_error("view", "one scenario at a time ('%s' and '%s')", model, argv[i]);
            return SF_EXIT_USAGE;
        } else {
            model = argv[i];
        }
    }
    if (!model == !replay) {
        sf_cli_usage_error("view", model ? "a scenario or --replay FILE, not both" : "which scenario? (shopfloor view SCENARIO)");
        return SF_EXIT_USAGE;
    }
    if (shot && limit == 0) {
        sf_cli_usage_error("view", "--screenshot needs --quit-after N (the frame to save)");
        return SF_EXIT_USAGE;
    }
#ifdef SF_HAVE_VIEWER
    {
        sf_view_opts o = {0};
        o.spec.model = model;
        o.spec.sets = sc.sets;
        o.spec.nsets = sc.nsets;
        o.spec.seed_given = sc.seed_given;
        o.spec.seed = sc.seed;
        o.spec.until_given = sc.until_given;
        o.spec.until = sc.until;
        o.replay = replay;
        o.speed = speed;
        o.width = w;
        o.height = h;
        o.every = every;
        o.frames_limit = (long)limit;
        o.screenshot = shot;
        o.bench = bench;
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
