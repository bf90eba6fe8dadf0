/*
 * main.c: `shopfloor`, one command with subcommands: the table of
 * commands and sf_cli_main, which shopfloor.c's main() calls (and the
 * allocation-failure sweep, in-process).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "generated/version.h"

const sf_cli_command *const sf_cli_commands[] = {
    &sf_cli_init, &sf_cli_demo, &sf_cli_run, &sf_cli_check, &sf_cli_compare, &sf_cli_sweep, &sf_cli_optimize, &sf_cli_view,
    &sf_cli_render, &sf_cli_fit, NULL,
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: shopfloor [--version] [--help] COMMAND [ARGS]\n"
            "\n"
            "Discrete-event simulation of factories where people and machines work together.\n"
            "\n"
            "Commands:\n");
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++)
        fprintf(out, "  %-10s %s\n", (*c)->name, (*c)->summary);
    fprintf(out,
            "\n"
            "'shopfloor COMMAND --help' explains a command.\n"
            "Exit status: 0 success, 1 failure of the model or its input, 2 usage error.\n");
}

static const sf_cli_command *find(const char *name)
{
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

/* "unknown command 'rn' (did you mean 'run'?)" */
static void unknown_command(const char *name)
{
    const char *names[16], *near;
    size_t n = 0;

    for (const sf_cli_command *const *c = sf_cli_commands; *c && n < 16; c++)
        names[n++] = (*c)->name;
    if ((near = sf_cli_nearest(name, strlen(name), names, n)))
        fprintf(stderr, "shopfloor: unknown command '%s' (did you mean '%s'?)\n\n", name, near);
    else
        fprintf(stderr, "shopfloor: unknown command '%s'\n\n", name);
}

int sf_cli_main(int argc, char **argv)
{
    const sf_cli_command *c;

    if (argc < 2) {
        usage(stderr);
        return SF_EXIT_USAGE;
    }
    if (sf_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0 && (c = find(argv[2]))) {
            sf_cli_help(c, stdout);
            return SF_EXIT_OK;
        }
        usage(stdout);
        return SF_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("shopfloor %s\n", SF_VERSION);
        return SF_EXIT_OK;
    }
    if ((c = find(argv[1])))
        return sf_cli_dispatch(c, argc - 1, argv + 1);
    unknown_command(argv[1]);
    usage(stderr);
    return SF_EXIT_USAGE;
}
