/*
 * main.c: `shopfloor`, one command with subcommands: the table of
 * commands and sf_cli_main, which shopfloor.c's main() calls (and the
 * allocation-failure sweep, in-process).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "generated/version.h"

const sf_command sf_commands[] = {
    {"demo", "run the kernel demo: an M/M/1 queue checked against theory", sf_cmd_demo},
    {"run", "run a model (MODEL.lua or SCENARIO.yaml); --reps N replicates it", sf_cmd_run},
    {"check", "validate scenario files; --explain prints the effective scenario", sf_cmd_check},
    {"compare", "compare two alternatives with common random numbers: paired differences", sf_cmd_compare},
    {"sweep", "run a grid of scenario variants with replications on every core (or MPI)", sf_cmd_sweep},
    {"view", "watch a scenario run in a window, or play a recording", sf_cmd_view},
    {"render", "draw the plant at a time into a PNG, or frames for a video", sf_cmd_render},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: shopfloor [--version] [--help] COMMAND [ARGS]\n"
            "\n"
            "Discrete-event simulation of factories where people and machines work together.\n"
            "\n"
            "Commands:\n");
    for (const sf_command *c = sf_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out,
            "\n"
            "'shopfloor COMMAND --help' explains a command.\n"
            "Exit status: 0 success, 1 failure of the model or its input, 2 usage error.\n");
}

int sf_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SF_EXIT_USAGE;
    }
    if (sf_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0) {
            char help[] = "--help";
            char *sub[] = {argv[2], help, NULL};
            for (const sf_command *c = sf_commands; c->name; c++)
                if (strcmp(c->name, argv[2]) == 0)
                    return c->run(2, sub);
        }
        usage(stdout);
        return SF_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("shopfloor %s\n", SF_VERSION);
        return SF_EXIT_OK;
    }
    for (const sf_command *c = sf_commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "shopfloor: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return SF_EXIT_USAGE;
}
