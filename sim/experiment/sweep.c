/*
 * sweep.c: a sweep's worker processes, its stored runs and the files
 * assembled from them (the grid is in sweep_grid.c).
 */
#include "experiment/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "core/time.h"
#include "experiment/replicate.h"
#include "experiment/sweep_internal.h"
#include "report/outfile.h"


void sf__sweep_say(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* ---- small helpers ------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run_path(const sf_sweep *sw, size_t i, char *buf, size_t n)
{
    snprintf(buf, n, "%s/runs/p%06zu-r%06zu.tsv", sw->out, i / sw->reps, i % sw->reps);
}

/* Read a whole file (malloc'd, NUL-terminated), or NULL. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *b = sf_realloc(buf, cap = 2 * cap + 8192);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A growing text buffer for the files this module writes. */
typedef struct text {
    char *s;
    size_t n, cap;
    bool oom;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    int len;

    if (t->oom)
        return;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->n + (size_t)len + 1 > t->cap) {
        size_t cap = 2 * t->cap + (size_t)len + 4096;
        char *s = sf_realloc(t->s, cap);
        if (!s) {
            t->oom = true;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    t->n += (size_t)len;
}

/* A shell word, single-quoted unless it is plainly safe. */
static void put_shell(text *t, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") == strlen(s)) {
        put(t, "%s", s);
        return;
    }
    put(t, "'");
    for (; *s; s++)
        put(t, *s == '\'' ? "'\\''" : "%c", *s);
    put(t, "'");
}

/* ---- the output folder --------------------------------------------------- */

/* What sweep.txt says: everything that decides the results, nothing that does not (--jobs, --timeout). */
static void describe(const sf_sweep *sw, text *t)
{
    put(t, "model\t%s\nscenario\t%016llx\n", sw->model, (unsigned long long)sw->digest);
    for (size_t i = 0; i < sw->nsets; i++)
        put(t, "set\t%s\n", sw->sets[i]);
    put(t, "until\t%s\n", sw->until ? sw->until : "-");
    put(t, "seed\t%llu\nreps\t%zu\nzip\t%d\n", (unsigned long long)sw->seed, sw->reps, sw->zip ? 1 : 0);
    for (size_t v = 0; v < sw->nvars; v++) {
        put(t, "vary\t%s", sw->vars[v].key);
        for (size_t i = 0; i < sw->vars[v].n; i++)
            put(t, "\t%s", sw->vars[v].values[i]);
        put(t, "\n");
    }
}

/* Remove temporary files a killed worker or driver left in runs/. */
static void remove_leftovers(const char *dir) /* dir: at most 4200 bytes */
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4608];

    if (!d)
        return;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            remove(path);
        }
    closedir(d);
}

int sf_sweep_prepare(const sf_sweep *sw)
{
    char path[4200], runs[4200];
    text t = {0};
    char *old;
    int rc = SF_OK;

    snprintf(path, sizeof path, "%s/sweep.txt", sw->out);
    snprintf(runs, sizeof runs, "%s/runs", sw->out);
    if ((mkdir(sw->out, 0777) != 0 && errno != EEXIST) || (mkdir(runs, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "shopfloor sweep: cannot create %s: %s\n", runs, strerror(errno));
        return SF_EIO;
    }
    describe(sw, &t);
    if (t.oom)
        return SF_ENOMEM;
    if ((old = read_all(path, NULL))) {
        if (strcmp(old, t.s) != 0) {
            fprintf(stderr,
                    "shopfloor sweep: %s holds the results of another sweep (see %s);\n"
                    "  give another --out, or remove the folder to start again\n",
                    sw->out, path);
            rc = SF_EUSAGE;
        }
        free(old);
    } else if (sf_outfile_write(path, t.s, t.n) != SF_OK) {
        rc = SF_EIO;
    }
    free(t.s);
    if (rc == SF_OK)
        remove_leftovers(runs);
    return rc;
}

bool sf_sweep_done(const sf_sweep *sw, size_t i)
{
    char path[4200];
    struct stat st;

    run_path(sw, i, path, sizeof path);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Parse a stored run into a KPI list; false when malformed. */
static bool parse_run(char *s, sf_kpis *k);

int sf_sweep_load(const sf_sweep *sw, size_t i, sf_kpis *k)
{
    char path[4200], *s;
    int rc = SF_OK;

    run_path(sw, i, path, sizeof path);
    if (!(s = read_all(path, NULL)))
        return errno == ENOENT ? SF_ENOTFOUND : SF_EIO;
    if (!parse_run(s, k)) {
        fprintf(stderr, "shopfloor: %s is malformed; remove it to run it again\n", path);
        rc = SF_EIO;
    }
    free(s);
    return rc;
}

int sf_sweep_store(const sf_sweep *sw, size_t i, const char *content)
{
    char path[4200];

    run_path(sw, i, path, sizeof path);
    return sf_outfile_write(path, content, strlen(content));
}

/* ---- one run ------------------------------------------------------------- */

const char *sf_sweep_point_set(const sf_sweep *sw, size_t p, size_t v, char *buf, size_t n)
{
    snprintf(buf, n, "%s=%s", sw->vars[v].key, sf_sweep_value(sw, p, v));
    return buf;
}

/* The command that reproduces run i on its own. */
static void reproduce(const sf_sweep *sw, size_t i, text *t)
{
    char set[4096];

    put_shell(t, sw->exe ? sw->exe : "shopfloor");
    put(t, " run ");
    put_shell(t, sw->model);
    put(t, " --seed %llu", (unsigned long long)sf_rep_seed(sw->seed, i % sw->reps));
    if (sw->until) {
        put(t, " --until ");
        put_shell(t, sw->until);
    }
    for (size_t s = 0; s < sw->nsets; s++) {
        put(t, " --set ");
        put_shell(t, sw->sets[s]);
    }
    for (size_t v = 0; v < sw->nvars; v++) {
        put(t, " --set ");
        put_shell(t, sf_sweep_point_set(sw, i / sw->reps, v, set, sizeof set));
    }
}

/* A name for a TSV field: tabs and line breaks would split it. */
static void put_tsv(text *t, const char *s)
{
    for (; *s; s++)
        put(t, "%c", (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s);
}

/*
 * Run i in this process, the figures as the stored text: "seed\tS" then
 * one line per KPI, metric, entity, unit, headline (0/1), value (in its
 * shortest round-trip form, core/format.h).
 */
static int run_here(const sf_sweep *sw, size_t i, text *t, char *err, size_t n)
{
    size_t nsets = sw->nsets + sw->nvars;
    const char **sets = sf_calloc(nsets ? nsets : 1, sizeof *sets);
    char(*bufs)[4096] = sf_calloc(sw->nvars ? sw->nvars : 1, sizeof *bufs);
    sf_session_spec spec = {0};
    sf_kpis k;
    char num[SF_FORMAT_DOUBLE_SIZE];
    int rc = SF_ENOMEM;

    sf_kpis_init(&k);
    if (!sets || !bufs) {
        sf__sweep_say(err, n, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < sw->nsets; s++)
        sets[s] = sw->sets[s];
    for (size_t v = 0; v < sw->nvars; v++)
        sets[sw->nsets + v] = sf_sweep_point_set(sw, i / sw->reps, v, bufs[v], sizeof bufs[v]);
    spec.model = sw->model;
    spec.sets = sets;
    spec.nsets = nsets;
    spec.seed_given = true;
    spec.seed = sf_rep_seed(sw->seed, i % sw->reps);
    if (sw->until) {
        if ((rc = sf_time_parse(sw->until, SF_SECOND, false, &spec.until)) != SF_OK) {
            sf__sweep_say(err, n, "--until '%s': %s", sw->until, sf_strerror(rc));
            goto done;
        }
        spec.until_given = true;
    }
    if ((rc = sf_rep_run(&spec, &k, err, n)) != SF_OK)
        goto done;
    put(t, "seed\t%llu\n", (unsigned long long)spec.seed);
    for (size_t r = 0; r < k.n; r++) {
        put_tsv(t, k.v[r].metric);
        put(t, "\t");
        put_tsv(t, k.v[r].entity);
        put(t, "\t");
        put_tsv(t, k.v[r].unit);
        put(t, "\t%d\t%s\n", k.v[r].headline ? 1 : 0, sf_format_double(k.v[r].value, num));
    }
    if (t->oom) {
        sf__sweep_say(err, n, "out of memory");
        rc = SF_ENOMEM;
    }
done:
    sf_kpis_free(&k);
    free(sets);
    free(bufs);
    return rc;
}

/*
 * The child side: run i, then either store the result itself (so that a
 * killed driver loses no finished run) or send it through the pipe. A
 * failure's message goes through the pipe; the exit status says which.
 */
static void child_main(const sf_sweep *sw, size_t i, bool want_text, int fd)
{
    text t = {0};
    char err[2048];
    int rc = run_here(sw, i, &t, err, sizeof err);
    const char *msg = err;
    size_t len;

    if (rc == SF_OK && !want_text && sf_sweep_store(sw, i, t.s) != SF_OK) {
        snprintf(err, sizeof err, "cannot store the result in %s/runs", sw->out);
        rc = SF_EIO;
    }
    if (rc == SF_OK)
        msg = want_text ? t.s : "";
    len = strlen(msg);
    while (len > 0) {
        ssize_t w = write(fd, msg, len);
        if (w <= 0)
            break;
        msg += w;
        len -= (size_t)w;
    }
    _exit(rc == SF_OK ? 0 : 3);
}

typedef struct child {
    pid_t pid;
    int fd;
    size_t run;
    double started;
    bool want_text, timed_out, eof;
    text out;
} child;

static int child_start(const sf_sweep *sw, size_t i, bool want_text, child *c)
{
    int p[2];

    memset(c, 0, sizeof *c);
    if (pipe(p) != 0)
        return SF_EIO;
    fflush(NULL); /* or the child would write the driver's buffered output again */
    if ((c->pid = fork()) < 0) {
        close(p[0]);
        close(p[1]);
        return SF_EIO;
    }
    if (c->pid == 0) {
        close(p[0]);
        signal(SIGPIPE, SIG_DFL);
        child_main(sw, i, want_text, p[1]);
    }
    close(p[1]);
    c->fd = p[0];
    c->run = i;
    c->want_text = want_text;
    c->started = now_seconds();
    return SF_OK;
}

/*
 * A failure's message on one line, for failures.csv: its lines joined by
 * "; ", up to a Lua stack traceback (the place and the agent come before
 * it; the reproducing command gives the rest).
 */
static void one_line(char *dst, size_t n, const char *msg)
{
    size_t len = 0;

    dst[0] = '\0';
    while (*msg && len + 1 < n) {
        const char *end = strchr(msg, '\n');
        size_t l = end ? (size_t)(end - msg) : strlen(msg);
        const char *line = msg;
        msg = end ? end + 1 : msg + l;
        while (l > 0 && (*line == ' ' || *line == '\t')) {
            line++;
            l--;
        }
        if (l == 0)
            continue;
        if (strncmp(line, "stack traceback:", 16) == 0)
            break;
        len += (size_t)snprintf(dst + len, n - len, "%s%.*s", len ? "; " : "", (int)l, line);
        if (len >= n)
            len = n - 1;
    }
}

/* How a child ended, from its exit status and what it wrote. */
static void child_outcome(const sf_sweep *sw, child *c, int status, sf_sweep_outcome *o)
{
    size_t len = c->out.s ? strlen(c->out.s) : 0;

    o->ok = !c->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !c->out.oom;
    o->reason[0] = '\0';
    if (o->ok)
        return;
    while (len > 0 && (c->out.s[len - 1] == '\n' || c->out.s[len - 1] == ' '))
        c->out.s[--len] = '\0';
    if (c->timed_out)
        snprintf(o->reason, sizeof o->reason, "timed out after %g s (--timeout)", sw->timeout);
    else if (WIFSIGNALED(status))
        snprintf(o->reason, sizeof o->reason, "crashed: signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 3 && len)
        one_line(o->reason, sizeof o->reason, c->out.s);
    else if (WIFEXITED(status))
        snprintf(o->reason, sizeof o->reason, "the worker exited with status %d", WEXITSTATUS(status));
    else
        snprintf(o->reason, sizeof o->reason, "the worker ended abnormally");
}

/*
 * Wait until one of the children cs[0..n) has ended: read what they
 * write, kill those past the timeout, and return the index of one that
 * ended (its outcome in *o; its text, when it was asked for, moved to
 * *out). Wakes at least every 200 ms to check the timeouts.
 */
static size_t children_wait(const sf_sweep *sw, child *cs, size_t n, sf_sweep_outcome *o, char **out)
{
    struct pollfd pf[256];

    for (;;) {
        size_t np = 0;
        double now = now_seconds();

        for (size_t j = 0; j < n; j++) {
            if (cs[j].eof) {
                int status = 0;
                while (waitpid(cs[j].pid, &status, 0) < 0 && errno == EINTR)
                    ;
                close(cs[j].fd);
                child_outcome(sw, &cs[j], status, o);
                if (out) {
                    *out = o->ok && cs[j].want_text ? cs[j].out.s : NULL;
                    if (*out)
                        cs[j].out.s = NULL;
                }
                free(cs[j].out.s);
                cs[j].out.s = NULL;
                return j;
            }
            if (sw->timeout > 0 && !cs[j].timed_out && now - cs[j].started > sw->timeout) {
                kill(cs[j].pid, SIGKILL);
                cs[j].timed_out = true;
            }
            pf[np].fd = cs[j].fd;
            pf[np].events = POLLIN;
            pf[np].revents = 0;
            np++;
        }
        if (poll(pf, np, 200) < 0 && errno != EINTR)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (!(pf[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t got = read(cs[j].fd, buf, sizeof buf);
            if (got > 0)
                put(&cs[j].out, "%.*s", (int)got, buf);
            else if (got == 0 || errno != EINTR)
                cs[j].eof = true;
        }
    }
}

void sf_sweep_run_child(const sf_sweep *sw, size_t i, bool want_text, char **out, sf_sweep_outcome *o)
{
    child c;

    *out = NULL;
    if (child_start(sw, i, want_text, &c) != SF_OK) {
        o->ok = false;
        snprintf(o->reason, sizeof o->reason, "cannot start a worker process: %s", strerror(errno));
        return;
    }
    children_wait(sw, &c, 1, o, out);
}

/* ---- progress and failures ----------------------------------------------- */

static void fmt_duration(double s, char *buf, size_t n)
{
    long t = (long)(s + 0.5);

    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

/*
 * A bar redrawn in place on a terminal, plain lines otherwise (a log
 * file, a batch job's output). The estimate divides the time spent by
 * the runs done in this invocation, not those found stored.
 */
void sf_sweep_progress(sf_sweep *sw, bool ok)
{
    double elapsed = now_seconds() - sw->started;
    size_t fresh, left;
    char el[32], eta[32] = "?";

    static double shown = -1;

    sw->finished++;
    if (!ok)
        sw->failed++;
    /* At most one line a second (ten redraws on a terminal), and always the last. */
    if (sw->quiet || (sw->finished < sw->total && shown >= 0 && elapsed - shown < (isatty(STDERR_FILENO) ? 0.1 : 1.0)))
        return;
    shown = elapsed;
    fresh = sw->finished - sw->stored_before;
    left = sw->total - sw->finished;
    fmt_duration(elapsed, el, sizeof el);
    if (fresh > 0)
        fmt_duration(elapsed / (double)fresh * (double)left, eta, sizeof eta);
    if (isatty(STDERR_FILENO)) {
        int width = 30, full = (int)((double)width * (double)sw->finished / (double)sw->total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs, %zu failed, %s elapsed, ETA %s ", full,
                "##############################", width - full, "", sw->finished, sw->total, sw->failed, el, eta);
        if (sw->finished == sw->total)
            fprintf(stderr, "\n");
    } else {
        fprintf(stderr, "sweep: %zu/%zu runs done, %zu failed, %s elapsed, ETA %s\n", sw->finished, sw->total,
                sw->failed, el, eta);
    }
    fflush(stderr);
}

void sf_sweep_failed(sf_sweep *sw, size_t i, const char *reason)
{
    text cmd = {0};

    reproduce(sw, i, &cmd);
    if (!sw->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "\n");
    fprintf(stderr, "shopfloor sweep: run %zu (point %zu, replication %zu) failed: %s\n  reproduce: %s\n", i,
            i / sw->reps, i % sw->reps, reason, cmd.s ? cmd.s : "");
    free(cmd.s);
    if (sf_grow(sw->failures, sw->capfailures, sw->nfailures + 1) != SF_OK)
        return;
    sw->failures[sw->nfailures].run = i;
    if ((sw->failures[sw->nfailures].reason = sf_strdup(reason)))
        sw->nfailures++;
}

static int by_run(const void *a, const void *b)
{
    const struct sf_sweep_failure *x = a, *y = b;

    return (x->run > y->run) - (x->run < y->run);
}

/* ---- the files assembled from the stored runs ---------------------------- */

static bool parse_run(char *s, sf_kpis *k)
{
    char *line, *save = NULL;

    for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[5], *end;
        size_t nf = 0;
        double v;
        if (strncmp(line, "seed\t", 5) == 0)
            continue;
        for (char *p = line; nf < 5; nf++) {
            f[nf] = p;
            if (!(p = strchr(p, '\t')))
                break;
            *p++ = '\0';
        }
        if (nf != 4)
            return false;
        v = strtod(f[4], &end);
        if (*end || sf_kpis_add(k, f[0], f[1], v, f[2], f[3][0] == '1') != SF_OK)
            return false;
    }
    return true;
}

static void header_vars(const sf_sweep *sw, FILE *f)
{
    for (size_t v = 0; v < sw->nvars; v++) {
        sf_csv_field(f, sw->vars[v].key);
        putc(',', f);
    }
}

static void point_vars(const sf_sweep *sw, size_t p, FILE *f)
{
    for (size_t v = 0; v < sw->nvars; v++) {
        sf_csv_field(f, sf_sweep_value(sw, p, v));
        putc(',', f);
    }
}

/* Open OUT/name, atomically (report/outfile.h); NULL after a message. */
static sf_outfile *open_out(const sf_sweep *sw, const char *name)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/%s", sw->out, name);
    return sf_outfile_open(path);
}

/*
 * The three files are written side by side as the stored runs are read,
 * point by point, and committed together at the end; a malformed run
 * aborts all three, so the previous ones (if any) stay as they were.
 */
int sf_sweep_finish(sf_sweep *sw)
{
    sf_outfile *out[3] = {open_out(sw, "results.csv"), open_out(sw, "summary.csv"), open_out(sw, "failures.csv")};
    size_t npoints = sf_sweep_points(sw), stored = 0;
    FILE *res, *sum, *fail;
    int rc = SF_OK;

    if (!out[0] || !out[1] || !out[2]) {
        for (int i = 0; i < 3; i++)
            sf_outfile_abort(out[i]);
        return -1;
    }
    res = out[0]->f;
    sum = out[1]->f;
    fail = out[2]->f;
    fputs("point,replication,", res);
    header_vars(sw, res);
    fputs("metric,entity,value,unit,stable\n", res);
    fputs("point,", sum);
    header_vars(sw, sum);
    fputs("metric,entity,unit,n,mean,sd,ci95_low,ci95_high\n", sum);
    for (size_t p = 0; p < npoints && rc == SF_OK; p++) {
        sf_rep_table tab;
        sf_rep_table_init(&tab);
        for (size_t r = 0; r < sw->reps && rc == SF_OK; r++) {
            char path[4200], *s;
            const sf_kpi *stable;
            sf_kpis k;
            run_path(sw, p * sw->reps + r, path, sizeof path);
            if (!(s = read_all(path, NULL)))
                continue; /* failed or not run: absent from the results */
            sf_kpis_init(&k);
            if (!parse_run(s, &k)) {
                fprintf(stderr, "shopfloor sweep: %s is malformed; remove it to run it again\n", path);
                rc = SF_EIO;
            } else if (sf_rep_table_add(&tab, &k) != SF_OK) {
                rc = SF_ENOMEM;
            }
            stable = sf_kpis_find(&k, "stable", ""); /* the run's stability (docs/results.md), on each of its rows */
            for (size_t j = 0; j < k.n && rc == SF_OK; j++) {
                fprintf(res, "%zu,%zu,", p, r);
                point_vars(sw, p, res);
                sf_csv_row(res, "ssnss", k.v[j].metric, sf_kpi_entity(k.v[j].entity), k.v[j].value, k.v[j].unit,
                           !stable || isnan(stable->value) ? "" : stable->value != 0 ? "true" : "false");
            }
            stored++;
            sf_kpis_free(&k);
            free(s);
        }
        for (size_t j = 0; j < tab.nkeys && rc == SF_OK; j++) {
            sf_ci c = sf_rep_table_ci(&tab, j, 0.95);
            fprintf(sum, "%zu,", p);
            point_vars(sw, p, sum);
            sf_csv_row(sum, "sssunnnn", tab.keys[j].metric, sf_kpi_entity(tab.keys[j].entity), tab.keys[j].unit, c.n, c.mean, c.sd,
                       c.mean - c.half, c.mean + c.half);
        }
        sf_rep_table_free(&tab);
    }
    if (sw->nfailures)
        qsort(sw->failures, sw->nfailures, sizeof *sw->failures, by_run);
    fputs("point,replication,seed,reason,command\n", fail);
    for (size_t f = 0; f < sw->nfailures && rc == SF_OK; f++) {
        text cmd = {0};
        size_t i = sw->failures[f].run;
        reproduce(sw, i, &cmd);
        if (cmd.oom)
            rc = SF_ENOMEM;
        fprintf(fail, "%zu,%zu,%llu,", i / sw->reps, i % sw->reps, (unsigned long long)sf_rep_seed(sw->seed, i % sw->reps));
        sf_csv_field(fail, sw->failures[f].reason);
        putc(',', fail);
        sf_csv_field(fail, cmd.s ? cmd.s : "");
        putc('\n', fail);
        free(cmd.s);
    }
    for (int i = 0; i < 3; i++) {
        if (rc != SF_OK)
            sf_outfile_abort(out[i]);
        else if (sf_outfile_commit(out[i]) != SF_OK)
            rc = SF_EIO;
    }
    if (rc == SF_OK)
        rc = sf__sweep_report(sw);
    if (rc == SF_ENOMEM)
        fprintf(stderr, "shopfloor sweep: out of memory\n");
    if (rc != SF_OK)
        return -1;
    if (!sw->quiet)
        fprintf(stderr, "sweep: %zu points x %zu replications: %zu runs stored, %zu failed; %s/results.csv, %s/summary.csv\n",
                npoints, sw->reps, stored, sw->total - stored, sw->out, sw->out);
    return stored == sw->total ? 0 : 1;
}

/* ---- local worker processes ---------------------------------------------- */

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (unsigned)n : 1;
}

/*
 * Keep `jobs` children busy with the runs not stored yet, in run order.
 * Each child stores its own result, so the driver holds nothing that a
 * kill -9 could lose.
 */
static int run_local(sf_sweep *sw)
{
    child cs[256];
    size_t active = 0, next = 0, jobs = sw->jobs ? sw->jobs : cores();

    if (jobs > 256)
        jobs = 256;
    for (;;) {
        sf_sweep_outcome o;
        size_t j;
        while (active < jobs && next < sw->total) {
            size_t i = next++;
            if ((sw->want && !sw->want[i]) || sf_sweep_done(sw, i))
                continue;
            if (child_start(sw, i, false, &cs[active]) != SF_OK) {
                snprintf(o.reason, sizeof o.reason, "cannot start a worker process: %s", strerror(errno));
                sf_sweep_failed(sw, i, o.reason);
                sf_sweep_progress(sw, false);
                continue;
            }
            active++;
        }
        if (active == 0)
            break;
        j = children_wait(sw, cs, active, &o, NULL);
        /* A worker killed after it stored its run (between the rename and its exit) finished it. */
        if (!o.ok && sf_sweep_done(sw, cs[j].run))
            o.ok = true;
        if (!o.ok)
            sf_sweep_failed(sw, cs[j].run, o.reason);
        sf_sweep_progress(sw, o.ok);
        cs[j] = cs[--active];
    }
    if (sw->want)
        return sw->failed ? 1 : 0;
    return sf_sweep_finish(sw);
}

/* Count the stored runs and start the clock. */
static void begin(sf_sweep *sw)
{
    sw->total = sf_sweep_points(sw) * sw->reps;
    sw->finished = sw->failed = sw->stored_before = 0;
    for (size_t i = 0; i < sw->total; i++) /* a stage looks only at its own runs: a large grid's are many */
        if ((!sw->want || sw->want[i]) && sf_sweep_done(sw, i))
            sw->stored_before++;
    sw->finished = sw->stored_before;
    sw->started = now_seconds();
    if (sw->stored_before && !sw->quiet)
        fprintf(stderr, "sweep: resuming, %zu of %zu runs already stored in %s/runs\n", sw->stored_before, sw->total,
                sw->out);
}

/*
 * Hold the output folder for the whole sweep: an exclusive, non-blocking
 * flock on OUT/.lock, so that two sweeps started on one folder cannot mix
 * their runs (a second one with another grid would otherwise pass the
 * sweep.txt check before the first had written it). The lock belongs to
 * the open file, so it is gone when the process holding it dies and an
 * interrupted sweep resumes; local workers inherit it, so a driver killed
 * with -9 keeps the folder locked until its orphaned workers have stored
 * their runs. Returns the descriptor, or -1 with a message on stderr and
 * *rc set to what sf_sweep_run returns: 1 when another sweep holds the
 * folder, -1 when it cannot be made or locked.
 */
static int lock_out(const sf_sweep *sw, int *rc)
{
    char path[4200];
    int fd;

    snprintf(path, sizeof path, "%s/.lock", sw->out);
    if ((mkdir(sw->out, 0777) != 0 && errno != EEXIST) ||
        (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
        fprintf(stderr, "shopfloor sweep: cannot lock %s: %s\n", path, strerror(errno));
        *rc = -1;
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        if (busy)
            fprintf(stderr,
                    "shopfloor sweep: %s is in use by another sweep (it holds %s);\n"
                    "  wait for it to end, or give another --out\n",
                    sw->out, path);
        else
            fprintf(stderr, "shopfloor sweep: cannot lock %s: %s\n", path, strerror(errno));
        close(fd);
        *rc = busy ? 1 : -1;
        return -1;
    }
    return fd;
}

/* Lock the folder, then prepare it: 0, or the exit status of sf_sweep_run. */
static int take_out(const sf_sweep *sw, int *lock)
{
    int rc = 0;

    if ((*lock = lock_out(sw, &rc)) < 0)
        return rc;
    if ((rc = sf_sweep_prepare(sw)) != SF_OK) {
        close(*lock);
        *lock = -1;
        return rc == SF_EUSAGE ? 2 : -1;
    }
    return 0;
}

int sf_sweep_run(sf_sweep *sw)
{
    int rank = 0, size = 1, rc, lock = -1;

    if (sf_sweep_mpi_active(&rank, &size) && size > 1) {
        /* Only rank 0 touches --out, so only it takes the lock. */
        if (rank == 0) {
            if ((rc = take_out(sw, &lock)) == 0)
                begin(sw);
        } else {
            rc = 0;
        }
        rc = sf_sweep_mpi_run(sw, rank, size, rc);
        if (!sw->want)
            sf_sweep_mpi_end();
        if (lock >= 0)
            close(lock);
        return rc;
    }
    if ((rc = take_out(sw, &lock)) != 0) {
        if (!sw->want)
            sf_sweep_mpi_end();
        return rc;
    }
    begin(sw);
    rc = run_local(sw);
    if (!sw->want)
        sf_sweep_mpi_end();
    close(lock);
    return rc;
}
