/*
 * alloc_sweep.c: the allocation-failure sweep.
 *
 *   alloc_sweep [--persistent] [--jobs N] [--from K] [--to K] [--stride S] [--show K] -- ARGS...
 *
 * Runs `shopfloor ARGS...` in-process (sf_cli_main) once to count its
 * allocations (N), then once for each k in 1..N with the k-th allocation
 * failing (sf_mem_fail_at), each in a forked child so that one k cannot
 * disturb the next. With --persistent the k-th and every later allocation
 * fail (sf_mem_fail_from): memory has run out for good, and the error
 * paths themselves must do without. Every k must end in one of two ways:
 *
 *   - a clean error: exit status 1 and a message on stderr that says
 *     memory ran out ("out of memory" or Lua's "not enough memory");
 *   - a recovery: exit status 0 and the same standard output as the run
 *     without a failure (a cache or a speed-up given up, for instance).
 *
 * A k the run does not reach must give the undisturbed output too: Lua
 * seeds its string hashes per process (the time and addresses), which
 * moves a table's growth by an allocation or two from run to run, so
 * the last k or two may lie past the end of the run (counted apart).
 *
 * Anything else fails the sweep: a crash (a signal), a sanitizer's report
 * (a leak, under the ASan build), another exit status, a success with different
 * output (a silent wrong answer) or an error that does not say what went
 * wrong. The first few failures are shown with their stderr; `--show K`
 * replays one k with its output on the terminal.
 *
 * Children run --jobs at a time (default 2). The sweep prints one line:
 * the number of allocations, the k values tried, clean errors, recoveries
 * and failures. The exit status is 0 only when there is no failure.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/mem.h"

#define MAX_JOBS 16
#define SHOWN_FAILURES 500

static int nargs;
static bool persistent;
static char **args;
static char dir[64];

struct child {
    pid_t pid;
    uint64_t k;
    int pipe; /* the child writes its allocation count and whether the failure happened */
};

/* The text of a file (at most 64 KiB of it), NUL-terminated in buf. */
static const char *slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(buf, 1, n - 1, f) : 0;

    if (f)
        fclose(f);
    buf[got] = '\0';
    return buf;
}

/*
 * In a child: run the command with allocation k failing (0: none), its
 * stdout and stderr into files of the slot, and report through fd `out`
 * how many allocations it asked for and whether the failure happened.
 * exit() rather than _exit(), so that LeakSanitizer looks for leaks.
 */
static void child(uint64_t k, int slot, int out, bool quiet)
{
    char path[128];
    int rc, fd;
    uint64_t report[2];
    char **argv = calloc((size_t)nargs + 2, sizeof *argv);

    if (quiet) {
        snprintf(path, sizeof path, "%s/out.%d", dir, slot);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        close(fd);
        snprintf(path, sizeof path, "%s/err.%d", dir, slot);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    argv[0] = "shopfloor";
    for (int i = 0; i < nargs; i++)
        argv[i + 1] = args[i];
    if (persistent)
        sf_mem_fail_from(k);
    else
        sf_mem_fail_at(k);
    rc = sf_cli_main(nargs + 1, argv);
    report[0] = sf_mem_count();
    report[1] = sf_mem_injected();
    free(argv);
    fflush(stdout);
    fflush(stderr);
    if (write(out, report, sizeof report) != (ssize_t)sizeof report)
        rc = 99;
    close(out);
    exit(rc);
}

static pid_t start(uint64_t k, int slot, int *fd)
{
    int p[2];
    pid_t pid;

    if (pipe(p) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    if ((pid = fork()) == 0) {
        close(p[0]);
        child(k, slot, p[1], true);
    }
    close(p[1]);
    *fd = p[0];
    return pid;
}

/* Wait for the child in `slot`; fill status and the report. */
static void finish(struct child *c, int *status, uint64_t report[2])
{
    report[0] = report[1] = 0;
    if (read(c->pipe, report, 2 * sizeof *report) != (ssize_t)(2 * sizeof *report))
        report[0] = report[1] = 0;
    close(c->pipe);
    while (waitpid(c->pid, status, 0) < 0 && errno == EINTR)
        ;
}

static bool says_out_of_memory(const char *err)
{
    return strstr(err, "out of memory") || strstr(err, "not enough memory");
}

int main(int argc, char **argv)
{
    uint64_t from = 1, to = 0, stride = 1, show = 0, total, report[2];
    uint64_t tried = 0, clean = 0, recovered = 0, unreached = 0, failed = 0, next;
    int jobs = 2, status, i;
    struct child kids[MAX_JOBS] = {{0}};
    static char ref[1 << 16], out[1 << 16], err[1 << 16];
    char path[128];

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        uint64_t *target = strcmp(argv[i], "--from") == 0     ? &from
                           : strcmp(argv[i], "--to") == 0     ? &to
                           : strcmp(argv[i], "--stride") == 0 ? &stride
                           : strcmp(argv[i], "--show") == 0   ? &show
                                                              : NULL;
        if (strcmp(argv[i], "--persistent") == 0) {
            persistent = true;
        } else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
            jobs = atoi(argv[++i]);
            jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
        } else if (target && i + 1 < argc) {
            *target = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: alloc_sweep [--persistent] [--jobs N] [--from K] [--to K] [--stride S] [--show K] -- ARGS...\n");
            return 2;
        }
    }
    if (i >= argc - 1 || stride == 0) {
        fprintf(stderr, "usage: alloc_sweep [--persistent] [--jobs N] [--from K] [--to K] [--stride S] [--show K] -- ARGS...\n");
        return 2;
    }
    args = argv + i + 1;
    nargs = argc - i - 1;
    if (show) {
        int p[2];
        pid_t pid;
        if (pipe(p) != 0)
            return 2;
        if ((pid = fork()) == 0) {
            close(p[0]);
            child(show, 0, p[1], false);
        }
        close(p[1]);
        struct child c = {pid, show, p[0]};
        finish(&c, &status, report);
        printf("alloc_sweep: k=%llu: %s %d, failure %s\n", (unsigned long long)show,
               WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
               report[1] ? "injected" : "not reached");
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/alloc_sweep.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("alloc_sweep: mkdtemp");
        return 2;
    }

    /* The run without a failure: its output and its number of allocations. */
    kids[0].pid = start(0, 0, &kids[0].pipe);
    finish(&kids[0], &status, report);
    kids[0].pid = 0;
    snprintf(path, sizeof path, "%s/out.0", dir);
    slurp(path, ref, sizeof ref);
    total = report[0];
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || total == 0) {
        snprintf(path, sizeof path, "%s/err.0", dir);
        fprintf(stderr, "alloc_sweep: the run without a failure did not succeed:\n%s", slurp(path, err, sizeof err));
        return 1;
    }
    if (to == 0 || to > total)
        to = total;

    /* Every k from..to by stride, `jobs` children at a time. */
    next = from;
    for (;;) {
        int running = 0;
        for (int s = 0; s < jobs; s++) {
            if (kids[s].pid <= 0 && next <= to) {
                kids[s].k = next;
                kids[s].pid = start(next, s, &kids[s].pipe);
                next += stride;
            }
            running += kids[s].pid > 0;
        }
        if (!running)
            break;
        for (int s = 0; s < jobs; s++) {
            const char *why = NULL;
            if (kids[s].pid <= 0)
                continue;
            finish(&kids[s], &status, report);
            kids[s].pid = 0;
            tried++;
            snprintf(path, sizeof path, "%s/out.%d", dir, s);
            slurp(path, out, sizeof out);
            snprintf(path, sizeof path, "%s/err.%d", dir, s);
            slurp(path, err, sizeof err);
            if (WIFSIGNALED(status))
                why = strsignal(WTERMSIG(status));
            else if (strstr(err, "Sanitizer"))
                why = "a sanitizer's report";
            else if (!report[1] && WEXITSTATUS(status) == 0 && strcmp(out, ref) == 0)
                unreached++; /* Lua seeds its string hashes per process: a run's count varies by one or two */
            else if (!report[1])
                why = "the failure was not reached, and the output differs";
            else if (WEXITSTATUS(status) == 1 && says_out_of_memory(err))
                clean++;
            else if (WEXITSTATUS(status) == 1)
                why = "exit 1 without saying that memory ran out";
            else if (WEXITSTATUS(status) == 0 && strcmp(out, ref) == 0)
                recovered++;
            else if (WEXITSTATUS(status) == 0)
                why = "success with different output";
            else
                why = "unexpected exit status";
            if (why) {
                if (failed < SHOWN_FAILURES) {
                    printf("FAIL k=%llu: %s (exit %d)\n--- stderr ---\n%s--------------\n",
                           (unsigned long long)kids[s].k, why, WIFEXITED(status) ? WEXITSTATUS(status) : -1, err);
                }
                failed++;
            }
        }
    }
    for (int s = 0; s < jobs; s++) {
        snprintf(path, sizeof path, "%s/out.%d", dir, s);
        remove(path);
        snprintf(path, sizeof path, "%s/err.%d", dir, s);
        remove(path);
    }
    rmdir(dir);
    printf("alloc_sweep: %llu allocations; %s failure of k = %llu..%llu by %llu: %llu runs, %llu clean errors, "
           "%llu recoveries, %llu past the end, %llu failures\n",
           (unsigned long long)total, persistent ? "lasting" : "one-shot", (unsigned long long)from, (unsigned long long)to, (unsigned long long)stride,
           (unsigned long long)tried, (unsigned long long)clean, (unsigned long long)recovered,
           (unsigned long long)unreached, (unsigned long long)failed);
    return failed ? 1 : 0;
}
