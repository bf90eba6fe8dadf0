/*
 * args.c: the option parser every subcommand shares, the help it makes
 * from the same table, and the helpers that read option values.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/mem.h"

/* ---- messages and values --------------------------------------------------- */

void sf_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "shopfloor %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'shopfloor %s --help')\n", cmd);
}

bool sf_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

bool sf_cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    if (!text || *text == '-' || *text == '\0')
        goto bad;
    v = strtoull(text, &end, 10);
    if (errno || *end)
        goto bad;
    *out = v;
    return true;
bad:
    sf_cli_usage_error(cmd, "%s expects a non-negative integer, got '%s'", opt, text ? text : "");
    return false;
}

bool sf_cli_parse_double(const char *cmd, const char *opt, const char *text, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (errno || *end || end == text || !isfinite(v)) {
        sf_cli_usage_error(cmd, "%s expects a number, got '%s'", opt, text);
        return false;
    }
    *out = v;
    return true;
}

bool sf_cli_parse_duration(const char *cmd, const char *opt, const char *text, sf_time *out)
{
    int rc = sf_time_parse(text, SF_SECOND, false, out);

    if (rc == SF_OK)
        return true;
    sf_cli_usage_error(cmd, "%s expects a duration such as '90 s', '2.5 min' or '8h', got '%s' (%s)", opt, text,
                       sf_strerror(rc));
    return false;
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

bool sf_cli_make_dir(const char *cmd, const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    struct stat st;

    if (n == 0 || n >= sizeof buf) {
        fprintf(stderr, "shopfloor %s: bad folder name '%s'\n", cmd, path);
        return false;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "shopfloor %s: cannot create %s: %s\n", cmd, path, strerror(errno));
        return false;
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "shopfloor %s: %s exists and is not a folder\n", cmd, path);
        return false;
    }
    return true;
}

/* ---- did you mean ---------------------------------------------------------- */

/*
 * Damerau-Levenshtein distance (optimal string alignment: a swap of two
 * neighbours counts 1) between the la bytes of a and the string b. Names
 * are short; longer ones are simply far. O(la * lb).
 */
static size_t distance(const char *a, size_t la, const char *b)
{
    enum { MAX = 32 };
    size_t lb = strlen(b), d[MAX + 1][MAX + 1];

    if (la > MAX || lb > MAX)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/*
 * A name within two edits of the word (one, for words of three letters
 * or fewer, so that '--x' suggests nothing), or one the word begins:
 * '--prec' suggests '--precision'. The nearest wins, the first on a tie.
 */
const char *sf_cli_nearest(const char *word, size_t len, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = len <= 3 ? 2 : 3;

    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, len, names[i]);
        if (len >= 3 && strncmp(names[i], word, len) == 0 && d > 1)
            d = 1;
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

/* "unknown option '--seeds' (did you mean '--seed'?)" for the option arg, whose name is len bytes. */
static void unknown_option(const sf_cli_command *c, const char *arg, size_t len)
{
    const char *names[64], *word = arg + strspn(arg, "-"), *near;
    size_t n = 0;

    for (const sf_cli_option *o = c->options; o->name && n < 64; o++)
        names[n++] = o->name;
    near = sf_cli_nearest(word, len - (size_t)(word - arg), names, n);
    if (near)
        sf_cli_usage_error(c->name, "unknown option '%.*s' (did you mean '--%s'?)", (int)len, arg, near);
    else
        sf_cli_usage_error(c->name, "unknown option '%.*s'", (int)len, arg);
}

/* ---- parsing --------------------------------------------------------------- */

static const sf_cli_option *find(const sf_cli_command *c, const char *arg, size_t len)
{
    for (const sf_cli_option *o = c->options; o->name; o++) {
        if (arg[1] == '-' ? len == strlen(o->name) + 2 && strncmp(arg + 2, o->name, len - 2) == 0
                          : len == 2 && o->alias == arg[1])
            return o;
    }
    return NULL;
}

/* Read the value text of option o into v; SF_OK, SF_EUSAGE after a message, SF_ENOMEM. */
static int store(const char *cmd, const sf_cli_option *o, const char *text, sf_cli_value *v, int argc)
{
    char opt[64];

    snprintf(opt, sizeof opt, "--%s", o->name);
    if (o->choices) {
        const char *const *c = o->choices;
        while (*c && strcmp(*c, text) != 0)
            c++;
        if (!*c) {
            char all[256] = "";
            for (c = o->choices; *c; c++)
                snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", c == o->choices ? "" : ", ", *c);
            sf_cli_usage_error(cmd, "%s is one of %s, not '%s'", opt, all, text);
            return SF_EUSAGE;
        }
    }
    switch (o->kind) {
    case SF_CLI_U64:
        if (!sf_cli_parse_u64(cmd, opt, text, &v->u64))
            return SF_EUSAGE;
        break;
    case SF_CLI_DOUBLE:
        if (!sf_cli_parse_double(cmd, opt, text, &v->num))
            return SF_EUSAGE;
        break;
    case SF_CLI_DURATION:
        if (!sf_cli_parse_duration(cmd, opt, text, &v->time))
            return SF_EUSAGE;
        break;
    case SF_CLI_LIST:
        /* no option is given more often than there are arguments */
        if (!v->list && !(v->list = sf_calloc((size_t)argc, sizeof *v->list)))
            return SF_ENOMEM;
        v->list[v->n] = text;
        break;
    default:
        break;
    }
    v->given = true;
    v->text = text;
    v->n++;
    return SF_OK;
}

/*
 * One pass over argv. "--name VALUE" and "--name=VALUE" are the same;
 * "-x" is an alias; "--" ends the options and a lone "-" is an operand.
 * A value is the next argument whatever it looks like, so "--out -" and
 * "--set -x=1" work. --help stops the pass: what follows is not read, as
 * a reader asking for help may not have finished the line.
 */
int sf_cli_parse(const sf_cli_command *c, int argc, char **argv, sf_cli_args *a)
{
    size_t nopts = 0;
    bool operands_only = false;
    int rc;

    memset(a, 0, sizeof *a);
    a->cmd = c;
    while (c->options[nopts].name)
        nopts++;
    a->opt = sf_calloc(nopts, sizeof *a->opt);
    a->operands = sf_calloc((size_t)argc, sizeof *a->operands);
    if (!a->opt || !a->operands)
        goto oom;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *text;
        const sf_cli_option *o;
        sf_cli_value *v;
        size_t len;
        if (operands_only || arg[0] != '-' || arg[1] == '\0') {
            a->operands[a->n_operands++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            operands_only = true;
            continue;
        }
        eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
        len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (!(o = find(c, arg, len))) {
            unknown_option(c, arg, len);
            return SF_EUSAGE;
        }
        v = &a->opt[o - c->options];
        if (o->kind == SF_CLI_HELP || o->kind == SF_CLI_FLAG) {
            if (eq) {
                sf_cli_usage_error(c->name, "option --%s takes no value ('%s')", o->name, arg);
                return SF_EUSAGE;
            }
            a->help = o->kind == SF_CLI_HELP;
            if (a->help)
                return SF_OK;
            v->given = true;
            v->n++;
            continue;
        }
        if (eq)
            text = eq + 1;
        else if (i + 1 < argc)
            text = argv[++i];
        else {
            sf_cli_usage_error(c->name, "option %s needs a value", arg);
            return SF_EUSAGE;
        }
        if ((rc = store(c->name, o, text, v, argc)) == SF_ENOMEM)
            goto oom;
        if (rc != SF_OK)
            return rc;
    }
    return SF_OK;
oom:
    fprintf(stderr, "shopfloor %s: out of memory\n", c->name);
    return SF_ENOMEM;
}

void sf_cli_args_free(sf_cli_args *a)
{
    if (a->opt)
        for (const sf_cli_option *o = a->cmd->options; o->name; o++)
            free(a->opt[o - a->cmd->options].list);
    free(a->opt);
    free(a->operands);
    memset(a, 0, sizeof *a);
}

int sf_cli_dispatch(const sf_cli_command *c, int argc, char **argv)
{
    sf_cli_args a;
    int rc = sf_cli_parse(c, argc, argv, &a), status;

    if (rc != SF_OK)
        status = rc == SF_ENOMEM ? SF_EXIT_FAIL : SF_EXIT_USAGE;
    else if (a.help) {
        sf_cli_help(c, stdout);
        status = SF_EXIT_OK;
    } else
        status = c->run(&a);
    sf_cli_args_free(&a);
    return status;
}

/* ---- help ------------------------------------------------------------------ */

enum { WIDTH = 79, LABEL_MAX = 24 }; /* help fits 80 columns; option names take at most LABEL_MAX */
#define NBSP '\x1f' /* a space a line is not broken at: between an option and its value */

/*
 * Print text's words from column col, starting a new line indented by
 * indent before a word that would pass WIDTH.
 */
static void wrap(FILE *out, const char *text, size_t col, size_t indent)
{
    for (const char *p = text + strspn(text, " "); *p; p += strspn(p, " ")) {
        size_t w = strcspn(p, " ");
        if (col > indent && col + 1 + w > WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        for (size_t i = 0; i < w; i++)
            fputc(p[i] == NBSP ? ' ' : p[i], out);
        col += w;
        p += w;
    }
}

static size_t put(char *buf, size_t n, size_t used, const char *fmt, ...)
{
    va_list ap;

    if (used >= n)
        return used;
    va_start(ap, fmt);
    used += (size_t)vsnprintf(buf + used, n - used, fmt, ap);
    va_end(ap);
    return used;
}

/*
 * One form of the command line: each --name in it followed by the
 * option's value name, and no line break inside brackets or parentheses.
 */
static void form(const sf_cli_command *c, const char *text, char *buf, size_t n)
{
    size_t used = 0, depth = 0;

    buf[0] = '\0';
    while (*text) {
        size_t len = strspn(text, "-") == 2 ? 2 + strspn(text + 2, "abcdefghijklmnopqrstuvwxyz0123456789-") : 0;
        const sf_cli_option *o = len > 2 ? find(c, text, len) : NULL;
        if (len > 0) {
            used = put(buf, n, used, "%.*s", (int)len, text);
            if (o && o->value)
                used = put(buf, n, used, "%c%s", NBSP, o->value);
            text += len;
            continue;
        }
        depth += *text == '[' || *text == '(';
        depth -= depth > 0 && (*text == ']' || *text == ')');
        used = put(buf, n, used, "%c", *text == ' ' && depth > 0 ? NBSP : *text);
        text++;
    }
}

/* The form of a command without forms of its own: its operands, then every option. */
static void default_form(const sf_cli_command *c, char *buf, size_t n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const sf_cli_operand *p = c->operands; p && p->name; p++)
        used = put(buf, n, used, "%s%s%s%s%s", used ? " " : "", p->optional ? "[" : "", p->name,
                   p->optional ? "]" : "", p->many ? "..." : "");
    for (const sf_cli_option *o = c->options; o->name; o++) {
        if (o->kind == SF_CLI_HELP)
            continue;
        used = put(buf, n, used, "%s[--%s", used ? " " : "", o->name);
        if (o->value)
            used = put(buf, n, used, "%c%s", NBSP, o->value);
        used = put(buf, n, used, "]%s", o->kind == SF_CLI_LIST ? "..." : "");
    }
}

/* "  -h, --help" or "  --seed N": an option as help lists it; its width. */
static size_t label_of(const sf_cli_option *o, char *buf, size_t n)
{
    size_t used = put(buf, n, 0, "  ");

    if (o->alias)
        used = put(buf, n, used, "-%c, ", o->alias);
    used = put(buf, n, used, "--%s", o->name);
    if (o->value)
        used = put(buf, n, used, " %s", o->value);
    return used < n ? used : n - 1;
}

/*
 * The usage lines (each form after "shopfloor NAME", wrapped under its
 * start), the description, every option with its value, what it does
 * and its default (sections under their headings), and the epilogue.
 */
void sf_cli_help(const sf_cli_command *c, FILE *out)
{
    char buf[1024], name[64];
    size_t indent = strlen("usage: shopfloor ") + strlen(c->name) + 1, label = 0, col;

    for (size_t i = 0; c->usage ? c->usage[i] != NULL : i == 0; i++) {
        if (c->usage)
            form(c, c->usage[i], buf, sizeof buf);
        else
            default_form(c, buf, sizeof buf);
        fprintf(out, "%s %s%s", i ? "       shopfloor" : "usage: shopfloor", c->name, buf[0] ? " " : "");
        wrap(out, buf, indent, indent);
        fputc('\n', out);
    }
    fprintf(out, "\n%s\n\n", c->description);
    for (const sf_cli_option *o = c->options; o->name; o++) {
        size_t w = label_of(o, name, sizeof name);
        if (w <= LABEL_MAX && w > label)
            label = w;
    }
    for (const sf_cli_option *o = c->options; o->name; o++) {
        if (o->section)
            fprintf(out, "%s%s\n", o == c->options ? "" : "\n", o->section);
        col = label_of(o, name, sizeof name);
        if (col > label)
            fprintf(out, "%s\n%*s", name, (int)(label + 2), "");
        else
            fprintf(out, "%s%*s", name, (int)(label + 2 - col), "");
        if (o->by_default)
            snprintf(buf, sizeof buf, "%s (default: %s)", o->help, o->by_default);
        else
            snprintf(buf, sizeof buf, "%s", o->help);
        wrap(out, buf, label + 2, label + 2);
        fputc('\n', out);
    }
    if (c->epilogue)
        fprintf(out, "\n%s\n", c->epilogue);
}

sf_session_spec sf_cli_spec(const sf_cli_args *a, const char *model, int set, int seed, int until)
{
    sf_session_spec spec = {0};

    spec.model = model;
    if (set >= 0) {
        spec.sets = a->opt[set].list;
        spec.nsets = a->opt[set].n;
    }
    if (seed >= 0) {
        spec.seed_given = a->opt[seed].given;
        spec.seed = a->opt[seed].u64;
    }
    if (until >= 0) {
        spec.until_given = a->opt[until].given;
        spec.until = a->opt[until].time;
    }
    return spec;
}
