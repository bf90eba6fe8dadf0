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

static void help(void)
{
    printf("usage: shopfloor render SCENARIO --at T --png FILE [options]\n"
           "       shopfloor render SCENARIO --frames DIR [--every T] [--at T] [--until T] [options]\n"
           "       shopfloor render --replay REC (--png FILE | --frames DIR) [...]\n"
           "\n"
           "Draw the plant as the viewer shows it, without a display: one PNG at\n"
           "simulated time --at, or numbered frames DIR/frame_000000.png... from --at\n"
           "(default 0) every --every (default 10 s) to --until (default the end),\n"
           "for a video (ffmpeg -i DIR/frame_%%06d.png plant.mp4).\n"
           "\n"
           "  --set K=V, --seed N   as for 'shopfloor run'\n"
           "  --size WxH            picture size (default 1280x800)\n"
           "  --heat                the congestion heat map\n"
           "  --trails              recent paths of the agents\n");
}

int sf_cmd_render(int argc, char **argv)
{
    sf_cli_scenario sc = {0};
    const char *model = NULL, *replay = NULL, *png = NULL, *frames = NULL, *v;
    sf_time at = 0, every = 10 * SF_SECOND, until = SF_TIME_MAX;
    int w = 0, h = 0, r;
    bool heat = false, trails = false;

    for (int i = 1; i < argc; i++) {
        if (sf_cli_is_help(argv[i])) {
            help();
            return SF_EXIT_OK;
        } else if (strcmp(argv[i], "--until") == 0) {
            if (!(v = sf_cli_value("render", argc, argv, &i)) || !sf_cli_parse_duration("render", "--until", v, &until))
                return SF_EXIT_USAGE;
        } else if ((r = sf_cli_scenario_option("render", argc, argv, &i, &sc)) != 0) {
            if (r < 0)
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--replay") == 0) {
            if (!(replay = sf_cli_value("render", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--at") == 0) {
            if (!(v = sf_cli_value("render", argc, argv, &i)) || !sf_cli_parse_duration("render", "--at", v, &at))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--every") == 0) {
            if (!(v = sf_cli_value("render", argc, argv, &i)) || !sf_cli_parse_duration("render", "--every", v, &every))
                return SF_EXIT_USAGE;
            if (every <= 0) {
                sf_cli_usage_error("render", "--every must be longer than 0");
                return SF_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--png") == 0) {
            if (!(png = sf_cli_value("render", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--frames") == 0) {
            if (!(frames = sf_cli_value("render", argc, argv, &i)))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--size") == 0) {
            if (!(v = sf_cli_value("render", argc, argv, &i)) || !sf_cli_parse_size("render", v, &w, &h))
                return SF_EXIT_USAGE;
        } else if (strcmp(argv[i], "--heat") == 0) {
            heat = true;
        } else if (strcmp(argv[i], "--trails") == 0) {
            trails = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            sf_cli_usage_error("render", "unknown option '%s'", argv[i]);
            return SF_EXIT_USAGE;
        } else if (model) {
            sf_cli_usage_error("render", "one scenario at a time ('%s' and '%s')", model, argv[i]);
            return SF_EXIT_USAGE;
        } else {
            model = argv[i];
        }
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
        o.spec.model = model;
        o.spec.sets = sc.sets;
        o.spec.nsets = sc.nsets;
        o.spec.seed_given = sc.seed_given;
        o.spec.seed = sc.seed;
        o.replay = replay;
        o.at = at;
        o.png = png;
        o.frames = frames;
        o.every = every;
        o.until = until;
        o.width = w;
        o.height = h;
        o.heat = heat;
        o.trails = trails;
        return sf_render_run(&o) == SF_OK ? SF_EXIT_OK : SF_EXIT_FAIL;
    }
#else
    (void)w;
    (void)h;
    (void)heat;
    (void)trails;
    (void)every;
    (void)until;
    fprintf(stderr, "shopfloor render: this shopfloor was built without the viewer (SHOPFLOOR_VIEWER=OFF)\n");
    return SF_EXIT_FAIL;
#endif
}
