/*
 * cmd_check.c: `shopfloor check`, validate scenario files without
 * running them, and `--explain`, print the scenario a run would see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/mem.h"
#include "scenario/scenario.h"

static void help(void)
{
    printf("usage: shopfloor check FILE... [--set key.path=value]...\n"
           "       shopfloor check --explain FILE [--set key.path=value]...\n"
           "\n"
           "Read each scenario file (and the files it extends), check every section and\n"
           "the model as a whole, and print every problem as file:line:col: message.\n"
           "\n"
           "  --set key.path=value  change one value as if the file said so; the path walks\n"
           "                        sections by key and named lists by name, e.g.\n"
           "                        --set fleet.forklift.count=6 (applies to every FILE)\n"
           "  --explain             print the effective scenario, after 'extends' and --set,\n"
           "                        as YAML; then check it\n"
           "\n"
           "Exit status: 0 when every file is valid, 1 when any has a problem, 2 usage error.\n");
}

/* Check one file; print its problems, or a one-line summary when it is valid. */
static bool check_one(const char *path, const char *const *sets, size_t n_sets, bool explain)
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
    if (ok && explain && sf_scenario_doc_explain(doc, stdout) != SF_OK) {
        fprintf(stderr, "shopfloor check: cannot write the scenario\n");
        ok = false;
    }
    if (ok)
        ok = (cfg = sf_scenario_doc_validate(doc, &d)) != NULL;
    sf_diags_sort(&d);
    sf_diags_print(&d, stderr);
    if (ok && !explain)
        printf("%s: ok (%zu nodes, %zu stations, %zu agent types, %zu products)\n", path, cfg->layout.n_nodes,
               cfg->layout.n_stations, cfg->fleet.n_types, cfg->n_products);
    else if (!ok)
        fprintf(stderr, "%s: %zu problem%s\n", path, sf_diags_count(&d), sf_diags_count(&d) == 1 ? "" : "s");
    sf_scenario_config_free(cfg);
    sf_scenario_doc_free(doc);
    sf_diags_close(&d);
    return ok;
}

int sf_cmd_check(int argc, char **argv)
{
    const char **files = sf_calloc((size_t)argc, sizeof *files), **sets = sf_calloc((size_t)argc, sizeof *sets);
    size_t n_files = 0, n_sets = 0;
    bool explain = false, ok = true;
    int status = SF_EXIT_USAGE;

    if (!files || !sets) {
        fprintf(stderr, "shopfloor check: out of memory\n");
        status = SF_EXIT_FAIL;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (sf_cli_is_help(argv[i])) {
            help();
            status = SF_EXIT_OK;
            goto done;
        } else if (strcmp(argv[i], "--explain") == 0) {
            explain = true;
        } else if (strcmp(argv[i], "--set") == 0) {
            if (!(v = sf_cli_value("check", argc, argv, &i)))
                goto done;
            if (!strchr(v, '=') || v[0] == '=') {
                sf_cli_usage_error("check", "--set expects key.path=value, got '%s'", v);
                goto done;
            }
            sets[n_sets++] = v;
        } else if (strncmp(argv[i], "--set=", 6) == 0) {
            sets[n_sets++] = argv[i] + 6;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            sf_cli_usage_error("check", "unknown option '%s'", argv[i]);
            goto done;
        } else {
            files[n_files++] = argv[i];
        }
    }
    if (n_files == 0) {
        sf_cli_usage_error("check", "which scenario file?");
        goto done;
    }
    if (explain && n_files != 1) {
        sf_cli_usage_error("check", "--explain takes one scenario file, got %zu", n_files);
        goto done;
    }
    for (size_t i = 0; i < n_files; i++)
        ok = check_one(files[i], sets, n_sets, explain) && ok;
    status = ok ? SF_EXIT_OK : SF_EXIT_FAIL;
done:
    free(files);
    free(sets);
    return status;
}
