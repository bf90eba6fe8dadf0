/*
 * cli.h: the shopfloor command and its subcommands.
 *
 * Exit codes that scripts can rely on: 0 success, 1 a failure of the
 * model or its input (a bad scenario, a script error, a failed run),
 * 2 a usage error (unknown option, missing argument).
 *
 * Every subcommand is described by one sf_cli_command: its name, its
 * help paragraphs, its operands and its option table. One parser reads
 * any command line against the table (args.c) and one printer makes the
 * command's --help from it, so what is parsed and what is documented
 * cannot drift apart. The tables are public (sf_cli_commands) so that a
 * man page or shell completion can be generated from them.
 */
#ifndef SF_CLI_H
#define SF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/time.h"
#include "experiment/session.h"

enum { SF_EXIT_OK = 0, SF_EXIT_FAIL = 1, SF_EXIT_USAGE = 2 };

/* ---- the option table ---------------------------------------------------- */

/* How an option's value is read, and where in sf_cli_value it is kept. */
typedef enum sf_cli_kind {
    SF_CLI_HELP,     /* -h, --help: print the command's help and exit 0 */
    SF_CLI_FLAG,     /* no value: given or not */
    SF_CLI_STRING,   /* text, kept as written (the last one wins) */
    SF_CLI_U64,      /* a non-negative integer, in u64 (sf_cli_parse_u64) */
    SF_CLI_DOUBLE,   /* a finite number, in num (sf_cli_parse_double) */
    SF_CLI_DURATION, /* '90 s', '2.5 min', '8h', in time (sf_cli_parse_duration) */
    SF_CLI_LIST,     /* text that may repeat: every value kept in list, in order */
} sf_cli_kind;

/* What a value or an operand names, for completion. */
typedef enum sf_cli_hint {
    SF_CLI_TEXT, /* anything */
    SF_CLI_FILE, /* a file; exts says which ones a completion offers */
    SF_CLI_DIR,  /* a folder */
    SF_CLI_KEY,  /* key.path=value of the scenario on the command line (check --keys lists them) */
} sf_cli_hint;

/*
 * One option. The tables are arrays indexed by an enum of the command's
 * (designated initializers keep the two in step), ended by an entry
 * whose name is NULL.
 */
typedef struct sf_cli_option {
    const char *name;           /* long name without "--": "seed" */
    char alias;                 /* one-letter alias ('h' for -h), or 0 */
    sf_cli_kind kind;
    const char *value;          /* the value's name in help: "N", "DIR"; NULL for flags */
    const char *help;           /* what it does, one sentence */
    const char *by_default;     /* what happens without it, as help says it; NULL: nothing */
    sf_cli_hint hint;           /* what the value names */
    const char *exts;           /* SF_CLI_FILE: extensions to offer, "yaml lua"; NULL: any */
    const char *const *choices; /* the closed set of values (NULL-ended), or NULL when open */
    const char *section;        /* a heading help prints before this option, or NULL */
} sf_cli_option;

/* An operand (a positional argument): its name in usage lines and what it is. */
typedef struct sf_cli_operand {
    const char *name; /* "SCENARIO", "A" */
    const char *help;
    bool optional, many; /* may be left out; may be given more than once */
    sf_cli_hint hint;
    const char *exts;
} sf_cli_operand;

/* Every command takes -h and --help; each table lists this entry first. */
#define SF_CLI_HELP_OPTION {"help", 'h', SF_CLI_HELP, .help = "print this help and exit"}
/* The options of the sweep machinery, the same in sweep and optimize. */
#define SF_CLI_JOBS_OPTION {"jobs", .kind = SF_CLI_U64, .value = "N", .help = "worker processes", .by_default = "one per core"}
#define SF_CLI_UNTIL_OPTION                                                                                            \
    {"until", .kind = SF_CLI_DURATION, .value = "T", .help = "stop every run at simulated time T",                   \
     .by_default = "the scenario's horizon"}
#define SF_CLI_OUT_DIR_OPTION                                                                                          \
    {"out", .kind = SF_CLI_STRING, .value = "DIR", .help = "output folder (required)", .hint = SF_CLI_DIR}

/* What the command line said about one option. */
typedef struct sf_cli_value {
    bool given;
    const char *text;  /* the last value as written; NULL for a flag */
    uint64_t u64;      /* SF_CLI_U64 */
    double num;        /* SF_CLI_DOUBLE */
    sf_time time;      /* SF_CLI_DURATION */
    const char **list; /* SF_CLI_LIST: every value, in order */
    size_t n;          /* how many times it was given */
} sf_cli_value;

typedef struct sf_cli_command sf_cli_command;

/* A parsed command line: one value per option of the table, by index, and the operands in order. */
typedef struct sf_cli_args {
    const sf_cli_command *cmd;
    sf_cli_value *opt;
    const char **operands;
    size_t n_operands;
    bool help; /* --help was given: nothing after it was read */
} sf_cli_args;

struct sf_cli_command {
    const char *name;
    const char *summary; /* one line, for `shopfloor --help` */
    /*
     * The forms of the command line, NULL-ended, each printed after
     * "shopfloor NAME" with every --option in it followed by its value
     * name from the table ("--png|--frames" prints "--png FILE|--frames
     * DIR"). NULL: one form, the operands and then every option.
     */
    const char *const *usage;
    const char *description;        /* the paragraphs between the usage and the options */
    const sf_cli_operand *operands; /* NULL-name-ended, or NULL for none */
    const sf_cli_option *options;   /* NULL-name-ended, in the order help lists them */
    const char *epilogue;           /* the paragraphs after the options, or NULL */
    int (*run)(const sf_cli_args *a); /* returns the exit status */
};

/* The subcommands, in the order `shopfloor --help` lists them, NULL-ended. */
extern const sf_cli_command *const sf_cli_commands[];

/*
 * The session of `model` with the scenario options of a command: the
 * indices in a->opt of its --set, --seed and --until (-1 for one the
 * command has not). The rest of the spec is zero.
 */
sf_session_spec sf_cli_spec(const sf_cli_args *a, const char *model, int set, int seed, int until);

/* The whole command: `shopfloor ARGS...` with argv[0] the program; returns the exit status. */
int sf_cli_main(int argc, char **argv);

extern const sf_cli_command sf_cli_init, sf_cli_demo, sf_cli_run, sf_cli_check, sf_cli_compare, sf_cli_sweep, sf_cli_optimize,
    sf_cli_view, sf_cli_render, sf_cli_fit;

/*
 * Parse argv (argv[0] is the command's name) against c's table into a,
 * which the caller releases with sf_cli_args_free whatever the outcome.
 * SF_OK, SF_EUSAGE after a usage error on stderr, or SF_ENOMEM.
 */
int sf_cli_parse(const sf_cli_command *c, int argc, char **argv, sf_cli_args *a);
void sf_cli_args_free(sf_cli_args *a);
/* Parse, then print the help or run the command; the exit status. */
int sf_cli_dispatch(const sf_cli_command *c, int argc, char **argv);
/* The command's --help, made from its table. */
void sf_cli_help(const sf_cli_command *c, FILE *out);
/* Of the n names, the one nearest to the len bytes of word, for "did you mean"; NULL when none is near. */
const char *sf_cli_nearest(const char *word, size_t len, const char *const *names, size_t n);

/* ---- run ------------------------------------------------------------------ */

/*
 * The options of `run`, shared with cmd_reps.c: `run` hands over to
 * sf_cli_reps when --reps or --precision is given. The ones from
 * SF_RUN_TRACE to SF_RUN_RECORD apply to one run only, those from
 * SF_RUN_REPS on to replications only.
 */
enum sf_run_option {
    SF_RUN_HELP,
    SF_RUN_SET,
    SF_RUN_UNTIL,
    SF_RUN_SEED,
    SF_RUN_OUT,
    SF_RUN_TRACE,
    SF_RUN_BUDGET,
    SF_RUN_MEMORY,
    SF_RUN_RECORD,
    SF_RUN_INSTRUCT,
    SF_RUN_REPS,
    SF_RUN_PRECISION,
    SF_RUN_MAX_REPS,
    SF_RUN_ALL,
    SF_RUN_COUNTERFACTUAL,
    SF_RUN_NOPTIONS
};
int sf_cli_reps(const sf_cli_args *a);

/* ---- sweep, shared with optimize ------------------------------------------- */

struct sf_sweep;
/* The scenario with the common --set values, or NULL after printing its problems. */
sf_scenario_config *sf_cli_sweep_load(const char *model, const char *const *sets, size_t nsets);
/* Load every point of the grid before the first run; SF_OK, or SF_EINVAL after saying which point (as `shopfloor CMD`). */
int sf_cli_sweep_check_points(const char *cmd, const struct sf_sweep *sw, const char *model, const char *const *sets,
                              size_t nsets);
/* A hash of the scenario as it reads after `extends`, so that a folder is not resumed into with another version. */
uint64_t sf_cli_sweep_digest(const char *model);

/* ---- helpers ---------------------------------------------------------------- */

/*
 * Helpers for the commands. Each reports a usage error on stderr as
 * "shopfloor CMD: message" followed by "(see 'shopfloor CMD --help')",
 * and returns false.
 */
bool sf_cli_is_help(const char *arg);
/* Create folder `path` and its parents as needed (mkdir -p); false after saying why on stderr. */
bool sf_cli_make_dir(const char *cmd, const char *path);
bool sf_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
bool sf_cli_parse_double(const char *cmd, const char *opt, const char *text, double *out);
bool sf_cli_parse_duration(const char *cmd, const char *opt, const char *text, sf_time *out);
/* "1280x800"; false with a message. */
bool sf_cli_parse_size(const char *cmd, const char *text, int *w, int *h);
void sf_cli_usage_error(const char *cmd, const char *fmt, ...);

#endif
