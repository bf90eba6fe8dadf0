/*
 * cmd_init.c: `shopfloor init DIR`, the first step of the user guide:
 * a small commented plant (DIR/plant.yaml) and an overlay that changes
 * one thing (DIR/what_if.yaml), which check, run and compare accept as
 * they are. The plants are the files of scenarios/templates, built in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/error.h"
#include "generated/templates.h"
#include "report/outfile.h"

enum { O_HELP, O_TEMPLATE, O_FORCE, O_COUNT };

static const char *const template_names[] = {"warehouse", "line", "cell", NULL};

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_TEMPLATE] = {"template", .kind = SF_CLI_STRING, .value = "NAME", .choices = template_names,
                    .help = "the plant to start from: warehouse (docks, a rack, forklifts), line (a robot arm "
                            "and an operator in a row) or cell (an operator beside a collaborative arm)",
                    .by_default = "warehouse"},
    [O_FORCE] = {"force", .kind = SF_CLI_FLAG, .help = "replace plant.yaml and what_if.yaml when DIR has them"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"DIR", "the folder to write into (made when missing)", .hint = SF_CLI_DIR},
    {NULL},
};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_init = {
    .name = "init",
    .summary = "write a small commented plant and a what-if to start from",
    .description = "Write DIR/plant.yaml, a small plant with a comment on each section, and\n"
                   "DIR/what_if.yaml, an overlay that changes one thing in it. Both pass\n"
                   "'shopfloor check' and run as they are; edit them from there.",
    .operands = operands,
    .options = options,
    .epilogue = "Exit status: 0 success, 1 the files could not be written, 2 usage error.",
    .run = run,
};

/* Write text to DIR/name through a temporary name; false after saying why. */
static bool write_one(const char *dir, const char *name, const char *text)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sf_outfile_write(path, text, strlen(text)) == SF_OK;
}

static int run(const sf_cli_args *a)
{
    const char *dir = a->n_operands > 0 ? a->operands[0] : NULL;
    const char *name = a->opt[O_TEMPLATE].given ? a->opt[O_TEMPLATE].text : "warehouse";
    const char *plant = tpl_warehouse, *what_if = tpl_warehouse_what_if;
    char path[4200];
    struct stat st;

    if (!dir || a->n_operands > 1) {
        sf_cli_usage_error("init", dir ? "one folder at a time" : "which folder? (shopfloor init DIR)");
        return SF_EXIT_USAGE;
    }
    if (strcmp(name, "line") == 0) {
        plant = tpl_line;
        what_if = tpl_line_what_if;
    } else if (strcmp(name, "cell") == 0) {
        plant = tpl_cell;
        what_if = tpl_cell_what_if;
    }
    for (int i = 0; i < 2 && !a->opt[O_FORCE].given; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, i ? "what_if.yaml" : "plant.yaml");
        if (stat(path, &st) == 0) {
            fprintf(stderr, "shopfloor init: %s exists; --force replaces it\n", path);
            return SF_EXIT_FAIL;
        }
    }
    if (!sf_cli_make_dir("init", dir) || !write_one(dir, "plant.yaml", plant) ||
        !write_one(dir, "what_if.yaml", what_if))
        return SF_EXIT_FAIL;
    printf("wrote %s/plant.yaml (a %s) and %s/what_if.yaml (a what-if on it); next:\n"
           "  shopfloor check %s/plant.yaml %s/what_if.yaml\n"
           "  shopfloor run %s/plant.yaml --out %s/out\n"
           "  shopfloor compare %s/plant.yaml %s/what_if.yaml --reps 5\n",
           dir, name, dir, dir, dir, dir, dir, dir, dir);
    return SF_EXIT_OK;
}
