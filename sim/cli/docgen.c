/*
 * docgen.c: the manual page and the shell completions, made from the
 * option tables (sf_cli_commands), so that they cannot drift from what
 * the commands parse. The build runs it; it is not installed.
 *
 *   shopfloor-docgen man|bash|zsh > FILE
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "generated/version.h"

/* ---- the manual page (roff) ------------------------------------------- */

/* Text for roff: backslashes doubled, hyphens of options as minus signs, no line starting with a dot. */
static void roff(FILE *f, const char *s)
{
    bool bol = true;

    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", f);
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            putc(*s, f);
        bol = *s == '\n';
    }
}

/* Paragraphs of help text: its line breaks only wrap, blank lines separate paragraphs. */
static void roff_paragraphs(FILE *f, const char *s)
{
    while (*s) {
        const char *end = strstr(s, "\n\n");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        char buf[4096];

        snprintf(buf, sizeof buf, "%.*s", (int)n, s);
        fputs(".PP\n", f);
        roff(f, buf);
        if (n == 0 || buf[n - 1] != '\n')
            putc('\n', f);
        s += n;
        while (*s == '\n')
            s++;
    }
}

static void man_option(FILE *f, const sf_cli_option *o)
{
    fputs(".TP\n", f);
    if (o->alias)
        fprintf(f, "\\fB\\-%c\\fR, ", o->alias);
    fputs("\\fB\\-\\-", f);
    roff(f, o->name);
    fputs("\\fR", f);
    if (o->value) {
        fputs(" \\fI", f);
        roff(f, o->value);
        fputs("\\fR", f);
    }
    putc('\n', f);
    roff(f, o->help);
    if (o->by_default) {
        fputs(" (default: ", f);
        roff(f, o->by_default);
        putc(')', f);
    }
    fputs("\n", f);
}

static void man(FILE *f)
{
    fprintf(f, ".TH SHOPFLOOR 1 \"\" \"shopfloor %s\" \"User Commands\"\n", SF_VERSION);
    fputs(".SH NAME\nshopfloor \\- discrete\\-event simulation of factories where people and machines work together\n"
          ".SH SYNOPSIS\n.B shopfloor\n[\\fB\\-\\-version\\fR] [\\fB\\-\\-help\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n",
          f);
    fputs(".SH DESCRIPTION\nshopfloor simulates factories where unmanned forklifts and AGVs, robot arms, humanoid "
          "robots and human workers work together, and reports productivity, energy, carbon, cost and safety "
          "figures. A plant is a YAML scenario, behaviours are Lua 5.4 scripts.\n",
          f);
    fputs(".SH COMMANDS\n", f);
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++) {
        fputs(".SS \"shopfloor ", f);
        roff(f, (*c)->name);
        fputs("\"\n", f);
        roff(f, (*c)->summary);
        fputs(".\n", f);
        if ((*c)->description)
            roff_paragraphs(f, (*c)->description);
        for (const sf_cli_operand *p = (*c)->operands; p && p->name; p++) {
            fputs(".TP\n\\fI", f);
            roff(f, p->name);
            fputs("\\fR\n", f);
            roff(f, p->help);
            putc('\n', f);
        }
        for (const sf_cli_option *o = (*c)->options; o && o->name; o++)
            man_option(f, o);
        if ((*c)->epilogue)
            roff_paragraphs(f, (*c)->epilogue);
    }
    fputs(".SH EXIT STATUS\n0 success, 1 a failure of the model or its input (a bad scenario, a script error, a "
          "failed or interrupted run), 2 a usage error.\n",
          f);
    fputs(".SH ENVIRONMENT\n.TP\n.B SHOPFLOOR_SCRIPTS\nThe folder of the behaviour library (the one with "
          "plant.lua). When it is not set, shopfloor looks beside its executable (../share/shopfloor/scripts), "
          "then in the source tree it was built from, then in the folder it was installed to.\n"
          ".TP\n.B SHOPFLOOR_PATH\nFolders (separated by :) where a scenario's extends may lead, besides "
          "the folder of the scenario given and the scenarios folder.\n",
          f);
    fputs(".SH FILES\n.TP\n.I /usr/share/shopfloor/scenarios\nexample plants, each answering a question.\n"
          ".TP\n.I /usr/share/shopfloor/scripts\nthe behaviour library.\n"
          ".SH SEE ALSO\nThe documentation in /usr/share/doc/shopfloor: user\\-guide.md, scenario\\-format.md, "
          "lua\\-api.md, results.md.\n",
          f);
}

/* ---- bash ---------------------------------------------------------------- */

static void words(FILE *f, const sf_cli_command *c)
{
    const char *sep = "";

    for (const sf_cli_option *o = c->options; o && o->name; o++, sep = " ")
        fprintf(f, "%s--%s", sep, o->name);
}

/* The bash pattern of a file's extensions: "yaml lua" -> "*.@(yaml|lua)". */
static void bash_glob(FILE *f, const char *exts)
{
    fputs("*.@(", f);
    for (const char *s = exts; *s; s++)
        putc(*s == ' ' ? '|' : *s, f);
    putc(')', f);
}

/* What a value or operand completes to: files (with their extensions), folders, or nothing. */
static void bash_values(FILE *f, sf_cli_hint hint, const char *exts)
{
    if (hint == SF_CLI_DIR)
        fputs("_shopfloor_dirs", f);
    else if (hint == SF_CLI_KEY)
        fputs("_shopfloor_keys", f);
    else if (hint == SF_CLI_FILE && exts) {
        fputs("_shopfloor_files '", f);
        bash_glob(f, exts);
        putc('\'', f);
    } else if (hint == SF_CLI_FILE)
        fputs("_shopfloor_files '*'", f);
    else
        fputs("COMPREPLY=()", f);
}

static void bash(FILE *f)
{
    fputs("# bash completion for shopfloor, made from its option tables\n"
          "_shopfloor_files() {\n"
          "    local IFS=$'\\n'; compopt -o filenames 2>/dev/null\n"
          "    COMPREPLY=($(shopt -s extglob; compgen -f -X \"!$1\" -- \"$cur\") $(compgen -d -- \"$cur\"))\n"
          "}\n"
          "_shopfloor_keys() {\n"
          "    local w f\n"
          "    for w in \"${COMP_WORDS[@]:2}\"; do case $w in *.yaml|*.yml) f=$w; break ;; esac; done\n"
          "    [ -n \"$f\" ] && [[ $cur != *=* ]] || return 0\n"
          "    compopt -o nospace 2>/dev/null\n"
          "    COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" check --keys \"$f\" 2>/dev/null | sed 's/$/=/')\" -- \"$cur\"))\n"
          "}\n"
          "_shopfloor_dirs() {\n"
          "    local IFS=$'\\n'; compopt -o filenames 2>/dev/null\n"
          "    COMPREPLY=($(compgen -d -- \"$cur\"))\n"
          "}\n"
          "_shopfloor() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"",
          f);
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++)
        fprintf(f, "%s%s", c == sf_cli_commands ? "" : " ", (*c)->name);
    fputs(" --help --version\" -- \"$cur\"))\n        return 0\n    fi\n    case ${COMP_WORDS[1]} in\n", f);
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++) {
        const sf_cli_operand *p = (*c)->operands;
        fprintf(f, "    %s)\n        case $prev in\n", (*c)->name);
        for (const sf_cli_option *o = (*c)->options; o && o->name; o++) {
            if (!o->value)
                continue;
            fprintf(f, "            --%s) ", o->name);
            if (o->choices) {
                fputs("COMPREPLY=($(compgen -W \"", f);
                for (const char *const *ch = o->choices; *ch; ch++)
                    fprintf(f, "%s%s", ch == o->choices ? "" : " ", *ch);
                fputs("\" -- \"$cur\"))", f);
            } else {
                bash_values(f, o->hint, o->exts);
            }
            fputs("; return 0 ;;\n", f);
        }
        fputs("        esac\n        if [[ $cur == -* ]]; then\n            COMPREPLY=($(compgen -W \"", f);
        words(f, *c);
        fputs("\" -- \"$cur\"))\n        else\n            ", f);
        bash_values(f, p && p->name ? p->hint : SF_CLI_TEXT, p && p->name ? p->exts : NULL);
        fputs("\n        fi ;;\n", f);
    }
    fputs("    esac\n}\ncomplete -F _shopfloor shopfloor\n", f);
}

/* ---- zsh ----------------------------------------------------------------- */

/* Text inside a zsh _arguments spec: brackets, colons and quotes escaped. */
static void zsh_text(FILE *f, const char *s)
{
    for (; *s && *s != '\n'; s++) {
        if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
            putc('\\', f);
        if (*s == '\'')
            fputs("'\\''", f);
        else
            putc(*s, f);
    }
}

static void zsh_action(FILE *f, sf_cli_hint hint, const char *exts)
{
    if (hint == SF_CLI_DIR)
        fputs("_files -/", f);
    else if (hint == SF_CLI_FILE && exts) {
        fputs("_files -g \"*.(", f);
        for (const char *s = exts; *s; s++)
            putc(*s == ' ' ? '|' : *s, f);
        fputs(")\"", f);
    } else if (hint == SF_CLI_FILE)
        fputs("_files", f);
    else
        fputs(" ", f);
}

static void zsh(FILE *f)
{
    fputs("#compdef shopfloor\n# zsh completion for shopfloor, made from its option tables\n_shopfloor() {\n"
          "    local -a commands\n    commands=(\n",
          f);
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++) {
        fprintf(f, "        '%s:", (*c)->name);
        zsh_text(f, (*c)->summary);
        fputs("'\n", f);
    }
    fputs("    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' commands\n        return\n    fi\n"
          "    shift words; (( CURRENT-- ))\n    case $words[1] in\n",
          f);
    for (const sf_cli_command *const *c = sf_cli_commands; *c; c++) {
        fprintf(f, "    %s)\n        _arguments -s \\\n", (*c)->name);
        for (const sf_cli_option *o = (*c)->options; o && o->name; o++) {
            fprintf(f, "            '%s--%s%s[", o->kind == SF_CLI_LIST ? "*" : "", o->name, o->value ? "=" : "");
            zsh_text(f, o->help);
            putc(']', f);
            if (o->value) {
                putc(':', f);
                zsh_text(f, o->value);
                putc(':', f);
                if (o->choices) {
                    putc('(', f);
                    for (const char *const *ch = o->choices; *ch; ch++)
                        fprintf(f, "%s%s", ch == o->choices ? "" : " ", *ch);
                    putc(')', f);
                } else {
                    zsh_action(f, o->hint, o->exts);
                }
            }
            fputs("' \\\n", f);
        }
        for (const sf_cli_operand *p = (*c)->operands; p && p->name; p++) {
            fprintf(f, "            '%s:", p->many ? "*" : "");
            zsh_text(f, p->name);
            putc(':', f);
            zsh_action(f, p->hint, p->exts);
            fputs("' \\\n", f);
        }
        fputs("            ;;\n", f);
    }
    fputs("    esac\n}\n_shopfloor \"$@\"\n", f);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "man") == 0)
        man(stdout);
    else if (argc == 2 && strcmp(argv[1], "bash") == 0)
        bash(stdout);
    else if (argc == 2 && strcmp(argv[1], "zsh") == 0)
        zsh(stdout);
    else {
        fprintf(stderr, "usage: shopfloor-docgen man|bash|zsh\n");
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
