/*
 * cli.h: the shopfloor command and its subcommands.
 *
 * Exit codes that scripts can rely on: 0 success, 1 a failure of the
 * model or its input (a bad scenario, a script error, a failed run),
 * 2 a usage error (unknown option, missing argument).
 */
#ifndef SF_CLI_H
#define SF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

enum { SF_EXIT_OK = 0, SF_EXIT_FAIL = 1, SF_EXIT_USAGE = 2 };

typedef struct sf_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
} sf_command;

/* The subcommands, in the order `shopfloor --help` lists them. */
extern const sf_command sf_commands[];

/* The whole command: `shopfloor ARGS...` with argv[0] the program; returns the exit status. */
int sf_cli_main(int argc, char **argv);

int sf_cmd_demo(int argc, char **argv);
int sf_cmd_run(int argc, char **argv);
int sf_cmd_check(int argc, char **argv);
int sf_cmd_compare(int argc, char **argv);
int sf_cmd_sweep(int argc, char **argv);
/* `run --reps N` / `run --precision P`: replications (cmd_reps.c); sf_cmd_run hands over to it. */
int sf_cmd_reps(int argc, char **argv);
bool sf_cmd_reps_wanted(int argc, char **argv);
int sf_cmd_view(int argc, char **argv);
int sf_cmd_render(int argc, char **argv);

/*
 * Helpers for option parsing, shared by the subcommands. Each reports a
 * usage error on stderr as "shopfloor CMD: message" and returns false.
 */
bool sf_cli_is_help(const char *arg);
/* Create folder `path` and its parents as needed (mkdir -p); false after saying why on stderr. */
bool sf_cli_make_dir(const char *cmd, const char *path);
bool sf_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
bool sf_cli_parse_double(const char *cmd, const char *opt, const char *text, double *out);
bool sf_cli_parse_duration(const char *cmd, const char *opt, const char *text, sf_time *out);
/* The value after option argv[*i]; advances *i. NULL (with a message) when missing. */
const char *sf_cli_value(const char *cmd, int argc, char **argv, int *i);
void sf_cli_usage_error(const char *cmd, const char *fmt, ...);

/* The scenario options every command that runs a model takes: --set K=V, --seed N, --until T. */
#define SF_CLI_MAX_SETS 256
typedef struct sf_cli_scenario {
    const char *sets[SF_CLI_MAX_SETS];
    size_t nsets;
    bool seed_given, until_given;
    uint64_t seed;
    sf_time until;
} sf_cli_scenario;
/* 1 when argv[*i] was one of them (consumed, *i advanced), 0 when not, -1 on a usage error. */
int sf_cli_scenario_option(const char *cmd, int argc, char **argv, int *i, sf_cli_scenario *sc);
/* "1280x800"; false with a message. */
bool sf_cli_parse_size(const char *cmd, const char *text, int *w, int *h);

#endif
