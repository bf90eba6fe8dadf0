#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/error.h"

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

const char *sf_cli_value(const char *cmd, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        sf_cli_usage_error(cmd, "option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
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

int sf_cli_scenario_option(const char *cmd, int argc, char **argv, int *i, sf_cli_scenario *sc)
{
    const char *v;

    if (strcmp(argv[*i], "--set") == 0) {
        if (!(v = sf_cli_value(cmd, argc, argv, i)))
            return -1;
        if (sc->nsets == SF_CLI_MAX_SETS) {
            sf_cli_usage_error(cmd, "at most %d --set options", SF_CLI_MAX_SETS);
            return -1;
        }
        sc->sets[sc->nsets++] = v;
        return 1;
    }
    if (strcmp(argv[*i], "--seed") == 0) {
        if (!(v = sf_cli_value(cmd, argc, argv, i)) || !sf_cli_parse_u64(cmd, "--seed", v, &sc->seed))
            return -1;
        sc->seed_given = true;
        return 1;
    }
    if (strcmp(argv[*i], "--until") == 0) {
        if (!(v = sf_cli_value(cmd, argc, argv, i)) || !sf_cli_parse_duration(cmd, "--until", v, &sc->until))
            return -1;
        sc->until_given = true;
        return 1;
    }
    return 0;
}
