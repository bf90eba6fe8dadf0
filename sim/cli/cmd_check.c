/*
 * cmd_check.c: `shopfloor check`, validate scenario files without
 * running them, and `--explain`, print the scenario a run would see.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "scenario/scenario.h"

enum { O_HELP, O_SET, O_EXPLAIN, O_KEYS, O_COUNT };

static const sf_cli_option options[] = {
    [O_HELP] = SF_CLI_HELP_OPTION,
    [O_SET] = {"set", .kind = SF_CLI_LIST, .value = "key.path=value", .hint = SF_CLI_KEY,
               .help = "change one value as if the file said so; the path walks sections by key and named lists by "
                       "name, e.g. --set fleet.forklift.count=6 (applies to every FILE)"},
    [O_EXPLAIN] = {"explain", .kind = SF_CLI_FLAG,
                   .help = "print the effective scenario, after 'extends' and --set, as YAML; then check it"},
    [O_KEYS] = {"keys", .kind = SF_CLI_FLAG,
                .help = "print every key path --set and --vary take (fleet.forklift.count), one a line; then check"},
    [O_COUNT] = {NULL},
};

static const sf_cli_operand operands[] = {
    {"FILE", "a scenario file", .many = true, .hint = SF_CLI_FILE, .exts = "yaml"},
    {NULL},
};

static const char *const usage[] = {"FILE... [--set]...", "--explain FILE [--set]...", "--keys FILE [--set]...",
                                    NULL};

static int run(const sf_cli_args *a);

const sf_cli_command sf_cli_check = {
    .name = "check",
    .summary = "validate scenario files; --explain prints the effective scenario",
    .usage = usage,
    .description = "Read each scenario file (and the files it extends), check every section and\n"
                   "the model as a whole, and print every problem as file:line:col: message.",
    .operands = operands,
    .options = options,
    .epilogue = "Exit status: 0 when every file is valid, 1 when any has a problem, 2 usage error.",
    .run = run,
};

/*
 * Check one file; print its problems, or a one-line summary when it is
 * valid. `print` is 'e' to print the effective scenario first, 'k' its
 * key paths (and no summary: the output feeds completions), 0 nothing.
 */
static bool check_one(const char *path, const char *const *sets, size_t n_sets, int print)
{
    sf_diags d;
    sf_scenario_doc *doc;
    sf_scenario_config *cfg = NULL;
    bool ok;

    sf_diags_init(&d);
    doc = sf_scenario_doc_load(path, &d);
    ok = doc != NULL;
    for (size_t i = 0; ok && i < n_sets; i++)
        ok = sf_scenario_doc_set(doc, sets[i], &d);
    if (ok && ((print == 'e' && sf_scenario_doc_explain(doc, stdout) != SF_OK) ||
               (print == 'k' && sf_scenario_doc_keys(doc, stdout) != SF_OK))) {
        fprintf(stderr, "shopfloor check: cannot write the scenario\n");
        ok = false;
    }
    if (ok)
        ok = (cfg = sf_scenario_doc_validate(doc, &d)) != NULL;
    sf_diags_sort(&d);
    sf_diags_print(&d, stderr);
    for (size_t i = 0; ok && i < cfg->safety.n_warnings; i++)
        fprintf(stderr, "%s\n", cfg->safety.warnings[i]);
    for (size_t i = 0; ok && i < cfg->fleet.n_warnings; i++) /* advice for the planner, check only */
        fprintf(stderr, "%s\n", cfg->fleet.warnings[i]);
    if (ok && !print)
        printf("%s: ok (%zu nodes, %zu stations, %zu agent types, %zu products)\n", path, cfg->layout.n_nodes,
               cfg->layout.n_stations, cfg->fleet.n_types, cfg->n_products);
    else if (!ok)
        fprintf(stderr, "%s: %zu problem%s\n", path, sf_diags_count(&d), sf_diags_count(&d) == 1 ? "" : "s");
    sf_scenario_config_free(cfg);
    sf_scenario_doc_free(doc);
    sf_diags_close(&d);
    return ok;
}

static int run(const sf_cli_args *a)
{
    const sf_cli_value *sets = &a->opt[O_SET];
    bool explain = a->opt[O_EXPLAIN].given, ok = true;
    int print = explain ? 'e' : a->opt[O_KEYS].given ? 'k' : 0;

    for (size_t i = 0; i < sets->n; i++)
        if (!strchr(sets->list[i], '=') || sets->list[i][0] == '=') {
            sf_cli_usage_error("check", "--set expects key.path=value, got '%s'", sets->list[i]);
            return SF_EXIT_USAGE;
        }
    if (a->n_operands == 0) {
        sf_cli_usage_error("check", "which scenario file?");
        return SF_EXIT_USAGE;
    }
    if (print && (a->n_operands != 1 || (explain && a->opt[O_KEYS].given))) {
        sf_cli_usage_error("check", "--explain or --keys, with one scenario file");
        return SF_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->n_operands; i++)
        ok = check_one(a->operands[i], sets->list, sets->n, print) && ok;
    return ok ? SF_EXIT_OK : SF_EXIT_FAIL;
}
