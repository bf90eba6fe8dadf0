/*
 * optimize.c: fully sequential ranking and selection over a sweep's grid
 * (optimize.h; docs/experiments.md).
 */
#include "experiment/optimize.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/format.h"
#include "core/mem.h"
#include "report/experiment_html.h"
#include "report/outfile.h"

const char *sf_opt_status_name(sf_opt_status s)
{
    static const char *const names[] = {"contending", "selected", "eliminated", "infeasible", "undecided", "unvisited"};

    return names[s];
}

/* ---- what to optimise ---------------------------------------------------- */

/* METRIC or METRIC[ENTITY] at *p (spaces around), into f; the rest after it in *p. */
static bool parse_figure(const char **p, sf_opt_figure *f)
{
    const char *s = *p, *m, *e = NULL, *ee = NULL;

    while (isspace((unsigned char)*s))
        s++;
    m = s;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    if (s == m)
        return false;
    if (*s == '[') {
        e = s + 1;
        if (!(ee = strchr(e, ']')) || ee == e)
            return false;
    }
    f->metric = sf_malloc((size_t)(s - m) + 1);
    f->entity = sf_malloc(ee ? (size_t)(ee - e) + 1 : 1);
    if (!f->metric || !f->entity)
        return false;
    memcpy(f->metric, m, (size_t)(s - m));
    f->metric[s - m] = '\0';
    f->entity[0] = '\0';
    if (ee) {
        memcpy(f->entity, e, (size_t)(ee - e));
        f->entity[ee - e] = '\0';
        s = ee + 1;
    }
    *p = s;
    return true;
}

static void free_figure(sf_opt_figure *f)
{
    free(f->metric);
    free(f->entity);
    f->metric = f->entity = NULL;
}

int sf_optimize_set_goal(sf_optimize *o, const char *text, char *err, size_t n)
{
    const char *p = text;

    while (isspace((unsigned char)*p))
        p++;
    free_figure(&o->goal);
    if (strncmp(p, "min ", 4) == 0 || strncmp(p, "max ", 4) == 0) {
        o->maximise = p[1] == 'a';
        p += 4;
        if (parse_figure(&p, &o->goal)) {
            while (isspace((unsigned char)*p))
                p++;
            if (!*p)
                return SF_OK;
        }
    }
    free_figure(&o->goal);
    snprintf(err, n, "--objective '%s': say 'min METRIC' or 'max METRIC' ('min cost_per_unit', 'min mean[cost]')",
             text);
    return SF_EUSAGE;
}

int sf_optimize_add_constraint(sf_optimize *o, const char *text, char *err, size_t n)
{
    sf_opt_constraint c = {0};
    const char *p = text, *u;
    char *end;

    if (!parse_figure(&p, &c.fig))
        goto bad;
    while (isspace((unsigned char)*p))
        p++;
    if ((p[0] != '>' && p[0] != '<') || p[1] != '=')
        goto bad;
    c.at_least = p[0] == '>';
    c.bound = strtod(p + 2, &end);
    if (end == p + 2 || !isfinite(c.bound))
        goto bad;
    for (p = end; isspace((unsigned char)*p); p++)
        ;
    for (u = p; *p && !isspace((unsigned char)*p) && *p != '+'; p++)
        ;
    if (p > u && !(c.unit = sf_malloc((size_t)(p - u) + 1)))
        goto nomem;
    if (c.unit) {
        memcpy(c.unit, u, (size_t)(p - u));
        c.unit[p - u] = '\0';
    }
    while (isspace((unsigned char)*p))
        p++;
    if (strncmp(p, "+-", 2) == 0) {
        c.eps = strtod(p + 2, &end);
        if (end == p + 2 || !(c.eps > 0) || !isfinite(c.eps))
            goto bad;
        c.eps_given = true;
        for (p = end; isspace((unsigned char)*p); p++)
            ;
    } else {
        c.eps = fabs(c.bound) * 0.01;
    }
    if (*p || !(c.eps > 0))
        goto bad;
    if (!(c.text = sf_strdup(text)) || sf_grow(o->cons, o->capcons, o->ncons + 1) != SF_OK)
        goto nomem;
    o->cons[o->ncons++] = c;
    return SF_OK;
nomem:
    snprintf(err, n, "out of memory");
    free(c.text);
    free(c.unit);
    free_figure(&c.fig);
    return SF_ENOMEM;
bad:
    snprintf(err, n,
             "--constraint '%s': say 'METRIC >= NUMBER' or 'METRIC <= NUMBER', with the KPI's unit and a "
             "tolerance if you like ('throughput >= 20/h +- 0.5'; a bound of 0 needs the tolerance)",
             text);
    free(c.unit);
    free_figure(&c.fig);
    return SF_EUSAGE;
}

/* ---- the procedure ------------------------------------------------------- */

double sf_optimize_eta(double alpha, size_t k, size_t n0)
{
    return 0.5 * (pow(2 * alpha / (double)(k - 1), -2.0 / (double)(n0 - 1)) - 1);
}

/* The pairs' variances for k alternatives and the procedure's constants (h^2 for k, h1^2). SF_OK or SF_ENOMEM. */
static int prepare(sf_optimize *o, size_t k)
{
    double a_sel = o->ncons ? o->alpha / 2 : o->alpha, a_feas = o->alpha / 2;

    o->k = k;
    o->r = 0;
    o->decided = false;
    free(o->s2);
    free(o->s2_feas);
    if (!(o->s2 = sf_calloc(k ? k * k : 1, sizeof *o->s2)) ||
        !(o->s2_feas = sf_calloc(k * (o->ncons + 1), sizeof *o->s2_feas)))
        return SF_ENOMEM;
    /* One alternative has nothing to be compared with: only its constraints are checked. */
    o->h2 = k > 1 ? 2 * sf_optimize_eta(a_sel, k, o->n0) * (double)(o->n0 - 1) : 0;
    /* A single check with error beta is KN's pair bound with k = 2: eta(beta, 2, n0). */
    o->h2_feas = o->ncons ? 2 * sf_optimize_eta(a_feas / (double)(k * o->ncons), 2, o->n0) * (double)(o->n0 - 1) : 0;
    return SF_OK;
}

int sf_optimize_start(sf_optimize *o, size_t k, size_t cap)
{
    if (!(o->alts = sf_calloc(k ? k : 1, sizeof *o->alts)))
        return SF_ENOMEM;
    o->k = k;
    for (size_t i = 0; i < k; i++) {
        sf_opt_alt *a = &o->alts[i];
        if (!(a->x = sf_calloc(cap, sizeof *a->x)) || !(a->y = sf_calloc(o->ncons + 1, sizeof *a->y)) ||
            !(a->feasible = sf_calloc(o->ncons + 1, 1)))
            return SF_ENOMEM;
        for (size_t c = 0; c < o->ncons; c++)
            if (!(a->y[c] = sf_calloc(cap, sizeof *a->y[c])))
                return SF_ENOMEM;
    }
    return o->search ? SF_OK : prepare(o, k); /* a search prepares each step's problem */
}

/* Sample variance of a[j] - b[j] (b NULL: of a[j] alone), j < n. */
static double var_of(const double *a, const double *b, size_t n)
{
    double mean = 0, ss = 0;

    for (size_t j = 0; j < n; j++)
        mean += a[j] - (b ? b[j] : 0);
    mean /= (double)n;
    for (size_t j = 0; j < n; j++) {
        double d = a[j] - (b ? b[j] : 0) - mean;
        ss += d * d;
    }
    return ss / (double)(n - 1);
}

/* Constraint c's figure as the sum whose drift is negative when feasible: Y - q for <=, q - Y for >=. */
static double excess(const sf_opt_constraint *c, double y)
{
    return c->at_least ? c->bound - y : y - c->bound;
}

/* The first-stage variances: of every pair's differences, and of every constraint's excess. */
static void first_stage(sf_optimize *o)
{
    size_t k = o->k, n = o->n0;

    for (size_t i = 0; i < k; i++)
        for (size_t l = i + 1; l < k; l++)
            o->s2[i * k + l] = o->s2[l * k + i] = var_of(o->alts[i].x, o->alts[l].x, n);
    for (size_t i = 0; i < k; i++)
        for (size_t c = 0; c < o->ncons; c++)
            o->s2_feas[i * o->ncons + c] = var_of(o->alts[i].y[c], NULL, n); /* a shift by q leaves it */
}

static double mean_of(const double *x, size_t n)
{
    double s = 0;

    for (size_t j = 0; j < n; j++)
        s += x[j];
    return s / (double)n;
}

static void leave(sf_opt_alt *a, sf_opt_status s, size_t r)
{
    a->status = s;
    a->left_at = r;
    a->reps = r;
}

/* Feasibility after r replications: an alternative infeasible on one constraint leaves. */
static void check_feasibility(sf_optimize *o, size_t r)
{
    for (size_t i = 0; i < o->k; i++) {
        sf_opt_alt *a = &o->alts[i];
        for (size_t c = 0; c < o->ncons && a->status == SF_OPT_CONTENDING; c++) {
            const sf_opt_constraint *con = &o->cons[c];
            double d = 0, R;
            if (a->feasible[c])
                continue;
            for (size_t j = 0; j < r; j++)
                d += excess(con, a->y[c][j]);
            R = fmax(0, o->h2_feas * o->s2_feas[i * o->ncons + c] / (2 * con->eps) - con->eps * (double)r / 2);
            if (d <= -R)
                a->feasible[c] = 1;
            else if (d >= R) {
                a->feasible[c] = -1;
                leave(a, SF_OPT_INFEASIBLE, r);
            }
        }
    }
}

static bool all_feasible(const sf_optimize *o, const sf_opt_alt *a)
{
    for (size_t c = 0; c < o->ncons; c++)
        if (a->feasible[c] != 1)
            return false;
    return true;
}

bool sf_optimize_check(sf_optimize *o, size_t r)
{
    size_t k = o->k, left = 0, last = 0;
    double sign = o->maximise ? -1 : 1, *mean = sf_calloc(k ? k : 1, sizeof *mean);
    bool *out = sf_calloc(k ? k : 1, sizeof *out);

    if (!mean || !out) { /* cannot decide this step: go on sampling (the cap ends it) */
        free(mean);
        free(out);
        return false;
    }
    o->r = r;
    if (r == o->n0)
        first_stage(o);
    check_feasibility(o, r);
    for (size_t i = 0; i < k; i++)
        if (o->alts[i].status == SF_OPT_CONTENDING)
            mean[i] = mean_of(o->alts[i].x, r);
    /* KN's screening, every pair against the contenders before this check (feasible eliminators only). */
    for (size_t i = 0; i < k; i++) {
        if (o->alts[i].status != SF_OPT_CONTENDING)
            continue;
        for (size_t l = 0; l < k && !out[i]; l++) {
            double w;
            if (l == i || o->alts[l].status != SF_OPT_CONTENDING || !all_feasible(o, &o->alts[l]))
                continue;
            w = fmax(0, o->delta / (2 * (double)r) * (o->h2 * o->s2[i * k + l] / (o->delta * o->delta) - (double)r));
            /* Once the triangle has closed (w = 0) the better mean wins, and a tie goes to the earlier
               alternative of the grid: two alternatives that give the same figures every run are decided. */
            out[i] = sign * (mean[i] - mean[l]) > w || (w == 0 && mean[i] == mean[l] && i > l);
        }
    }
    for (size_t i = 0; i < k; i++) {
        if (out[i])
            leave(&o->alts[i], SF_OPT_ELIMINATED, r);
        else if (o->alts[i].status == SF_OPT_CONTENDING) {
            o->alts[i].reps = r;
            left++;
            last = i;
        }
    }
    free(mean);
    free(out);
    if (left == 1 && all_feasible(o, &o->alts[last])) {
        o->alts[last].status = SF_OPT_SELECTED;
        o->decided = true;
    }
    if (left == 0)
        o->decided = true; /* every alternative infeasible */
    return o->decided;
}

sf_ci sf_optimize_ci(const sf_optimize *o, size_t i)
{
    return sf_ci_of(o->alts[i].x, o->alts[i].reps, 1 - o->alpha);
}

/* ---- running it on the sweep --------------------------------------------- */

/* KPI f of k, or NULL. */
static const sf_kpi *figure_in(const sf_kpis *k, const sf_opt_figure *f)
{
    return sf_kpis_find(k, f->metric, f->entity);
}

/* "/h" written after a bound matches the KPI's "1/h"; no unit matches any. */
static bool unit_matches(const char *written, const char *kpi)
{
    return !written || strcmp(written, kpi) == 0 || (kpi[0] == '1' && strcmp(written, kpi + 1) == 0);
}

/*
 * The figures of alternative p's replications [from, to) into its arrays.
 * SF_OK, or SF_EINVAL after saying which figure a run does not report (or
 * reports as not a number, or in another unit), SF_EIO.
 */
static size_t point_of(const sf_optimize *o, size_t i)
{
    return o->point ? o->point[i] : i;
}

static int load_figures(sf_optimize *o, size_t i, size_t from, size_t to)
{
    sf_sweep *sw = o->sw;
    size_t p = point_of(o, i);

    for (size_t r = from; r < to; r++) {
        sf_kpis k;
        int rc;
        sf_kpis_init(&k);
        if ((rc = sf_sweep_load(sw, p * sw->reps + r, &k)) != SF_OK) {
            sf_kpis_free(&k);
            if (rc == SF_ENOTFOUND)
                fprintf(stderr, "shopfloor optimize: run %zu of alternative %zu is missing from %s/runs\n", r, p, sw->out);
            return rc == SF_ENOTFOUND ? SF_EIO : rc;
        }
        for (size_t c = 0; c <= o->ncons && rc == SF_OK; c++) {
            const sf_opt_figure *f = c < o->ncons ? &o->cons[c].fig : &o->goal;
            const sf_kpi *v = figure_in(&k, f);
            if (!v || isnan(v->value)) {
                fprintf(stderr,
                        "shopfloor optimize: alternative %zu, replication %zu: the run reports %s '%s%s%s%s'%s\n"
                        "  (the KPI names are in a run's kpis.csv or a sweep's summary.csv)\n",
                        p, r, v ? "no number for" : "no KPI", f->metric, *f->entity ? "[" : "", f->entity,
                        *f->entity ? "]" : "", c < o->ncons ? " (a --constraint)" : " (the --objective)");
                rc = SF_EINVAL;
            } else if (c < o->ncons && !unit_matches(o->cons[c].unit, v->unit)) {
                fprintf(stderr, "shopfloor optimize: --constraint '%s': %s is in '%s', not '%s'\n", o->cons[c].text,
                        f->metric, v->unit, o->cons[c].unit);
                rc = SF_EINVAL;
            } else if (c < o->ncons) {
                o->alts[i].y[c][r] = v->value;
            } else {
                o->alts[i].x[r] = v->value;
            }
        }
        sf_kpis_free(&k);
        if (rc != SF_OK)
            return rc;
    }
    return SF_OK;
}

static size_t contenders(const sf_optimize *o)
{
    size_t n = 0;

    for (size_t i = 0; i < o->k; i++)
        n += o->alts[i].status == SF_OPT_CONTENDING;
    return n;
}

static double wall_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * One stage: the replications [from, to) of every contender, run where
 * they are not stored yet, then read. The exit code of sf_sweep_run, or
 * -1 / 1 after a message when the figures cannot be read.
 */
static int stage(sf_optimize *o, unsigned char *want, size_t from, size_t to)
{
    sf_sweep *sw = o->sw;
    int rc;

    memset(want, 0, sf_sweep_points(sw) * sw->reps);
    for (size_t i = 0; i < o->k; i++)
        if (o->alts[i].status == SF_OPT_CONTENDING)
            for (size_t r = from; r < to; r++)
                want[point_of(o, i) * sw->reps + r] = 1;
    if ((rc = sf_sweep_run(sw)) != 0) {
        if (rc == 1 && sw->failed)
            fprintf(stderr, "shopfloor optimize: %zu run(s) failed (above); a ranking needs every run: fix the model "
                            "or leave the failing alternatives out\n", sw->failed);
        return rc;
    }
    o->stages++;
    for (size_t p = 0; p < o->k; p++)
        if (o->alts[p].status == SF_OPT_CONTENDING && (rc = load_figures(o, p, from, to)) != SF_OK)
            return rc == SF_EINVAL ? 1 : -1;
    return 0;
}

/*
 * The procedure on o's alternatives, stage after stage, until decided or
 * at the cap (then the contenders are undecided and the result is 1).
 * 0, or the failure of a stage.
 */
static int procedure(sf_optimize *o, unsigned char *want)
{
    size_t cap = o->sw->reps;
    int rc = 0;

    for (size_t r = 0; !o->decided;) {
        size_t to = r < o->n0 ? o->n0 : r + 1;
        if (to > cap) {
            for (size_t i = 0; i < o->k; i++)
                if (o->alts[i].status == SF_OPT_CONTENDING)
                    o->alts[i].status = SF_OPT_UNDECIDED;
            return 1;
        }
        if ((rc = stage(o, want, r, to)) != 0)
            return rc;
        r = to;
        sf_optimize_check(o, r);
        if (!o->decided && !o->quiet)
            fprintf(stderr, isatty(STDERR_FILENO) ? "\roptimize: %zu replications, %zu alternative(s) in contention "
                                                  : "optimize: %zu replications, %zu alternative(s) in contention\n",
                    r, contenders(o));
    }
    return rc;
}

/* The points one value away from p in one variable of the grid (not zipped): into nb, which gets p first. */
static size_t neighbours(const sf_sweep *sw, size_t p, size_t *nb)
{
    size_t n = 0, stride = 1;

    nb[n++] = p;
    for (size_t v = sw->nvars; v-- > 0;) { /* the last variable changes fastest */
        size_t at = p / stride % sw->vars[v].n;
        if (at > 0)
            nb[n++] = p - stride;
        if (at + 1 < sw->vars[v].n)
            nb[n++] = p + stride;
        stride *= sw->vars[v].n;
    }
    return n;
}

/*
 * One step of the search: the procedure on the points cand[0..nc) as a
 * problem of its own whose alternatives share the grid's arrays of
 * figures; their outcome is copied back to the grid's alternatives. The
 * index (in cand) of the one selected, or nc when none; *rc the
 * procedure's result.
 */
static size_t step(sf_optimize *o, unsigned char *want, const size_t *cand, size_t nc, size_t *most, int *rc)
{
    sf_optimize sub = *o;
    size_t best = nc;

    sub.point = cand;
    sub.s2 = sub.s2_feas = NULL;
    sub.stages = 0;
    if (!(sub.alts = sf_calloc(nc, sizeof *sub.alts)) || prepare(&sub, nc) != SF_OK) {
        *rc = -1;
        goto done;
    }
    for (size_t j = 0; j < nc; j++) {
        sub.alts[j] = o->alts[cand[j]];
        sub.alts[j].status = SF_OPT_CONTENDING;
        sub.alts[j].reps = sub.alts[j].left_at = 0;
        memset(sub.alts[j].feasible, 0, o->ncons + 1);
    }
    *rc = procedure(&sub, want);
    for (size_t j = 0; j < nc; j++) {
        o->alts[cand[j]] = sub.alts[j];
        if (sub.alts[j].reps > most[cand[j]])
            most[cand[j]] = sub.alts[j].reps;
        if (sub.alts[j].status == SF_OPT_SELECTED)
            best = j;
    }
    o->stages += sub.stages;
    o->r = sub.r;
done:
    free(sub.alts);
    free(sub.s2);
    free(sub.s2_feas);
    return best;
}

/* The neighbourhood search (optimize.h). 0 when a step selected its centre (or none was feasible), else as procedure. */
static int search(sf_optimize *o, unsigned char *want)
{
    size_t k = o->k, cur = 0, *cand = sf_calloc(1 + 2 * o->sw->nvars, sizeof *cand), *most = sf_calloc(k, sizeof *most);
    unsigned char *centred = sf_calloc(k, 1);
    int rc = -1;

    for (size_t i = 0; i < k; i++)
        o->alts[i].status = SF_OPT_UNVISITED;
    while (cand && most && centred) {
        size_t nc = neighbours(o->sw, cur, cand), best;
        o->steps++;
        best = step(o, want, cand, nc, most, &rc);
        if (rc != 0 || best == nc || cand[best] == cur || centred[cand[best]]) {
            o->decided = rc == 0;
            break;
        }
        if (!o->quiet)
            fprintf(stderr, "optimize: step %zu: from point %zu to point %zu\n", o->steps, cur, cand[best]);
        centred[cur] = 1;
        cur = cand[best];
    }
    o->runs = 0;
    for (size_t i = 0; most && i < k; i++)
        o->runs += most[i];
    free(cand);
    free(most);
    free(centred);
    return rc;
}

int sf_optimize_run(sf_optimize *o)
{
    sf_sweep *sw = o->sw;
    size_t k = sf_sweep_points(sw), cap = sw->reps;
    unsigned char *want = sf_calloc(k * cap, 1);
    int rank = 0, size = 1, rc = 0;
    double t0 = wall_seconds();

    if (!want)
        return -1;
    sw->want = want;
    sw->quiet = true;
    if (sf_sweep_mpi_active(&rank, &size) && size > 1 && rank != 0) {
        o->worker = true; /* runs what rank 0 hands out, stage after stage, until it releases the ranks */
        rc = sf_sweep_run(sw);
        sf_sweep_release();
        free(want);
        return rc;
    }
    if (sf_optimize_start(o, k, cap) != SF_OK) {
        fprintf(stderr, "shopfloor optimize: out of memory\n");
        rc = -1;
    } else if (o->search) {
        rc = search(o, want);
    } else {
        rc = procedure(o, want);
        o->runs = 0;
        for (size_t i = 0; i < k; i++)
            o->runs += o->alts[i].reps;
    }
    if (!o->quiet && isatty(STDERR_FILENO))
        fputc('\n', stderr);
    sf_sweep_release();
    sw->want = NULL;
    free(want);
    o->seconds = wall_seconds() - t0;
    return rc;
}

static void free_alt(sf_opt_alt *a, size_t ncons)
{
    for (size_t c = 0; a->y && c < ncons; c++)
        free(a->y[c]);
    free(a->y);
    free(a->x);
    free(a->feasible);
}

void sf_optimize_close(sf_optimize *o)
{
    for (size_t i = 0; o->alts && i < o->k; i++)
        free_alt(&o->alts[i], o->ncons);
    free(o->alts);
    free(o->s2);
    free(o->s2_feas);
    for (size_t c = 0; c < o->ncons; c++) {
        free(o->cons[c].text);
        free(o->cons[c].unit);
        free_figure(&o->cons[c].fig);
    }
    free(o->cons);
    free_figure(&o->goal);
    o->alts = NULL;
    o->s2 = o->s2_feas = NULL;
    o->cons = NULL;
    o->ncons = o->capcons = o->k = 0;
}

/* ---- the answer ------------------------------------------------------------ */

/*
 * Replications per alternative that KN's first stage asks for at most:
 * its continuation region closes when r reaches h^2 S2_il / delta^2, so
 * running every alternative that far and keeping the best mean is a
 * two-stage design (Rinott's shape) with the same guarantee. The
 * equal-allocation count the sequential procedure is measured against.
 */
static size_t fixed_reps(const sf_optimize *o)
{
    double most = (double)o->n0;

    if (o->search || !o->s2)
        return 0;
    for (size_t i = 0; i < o->k * o->k; i++)
        most = fmax(most, floor(o->h2 * o->s2[i] / (o->delta * o->delta)) + 1);
    return (size_t)most;
}

/* "key=value, key=value" of alternative p into buf. */
static const char *label_of(const sf_optimize *o, size_t p, char *buf, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t v = 0; v < o->sw->nvars && len < n; v++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", v ? ", " : "", o->sw->vars[v].key,
                                sf_sweep_value(o->sw, p, v));
    return buf;
}

/*
 * What the runs used are measured against: the equal-replication design
 * over the grid, or for a search how much of the grid it visited.
 */
static void design_note(const sf_optimize *o, char *buf, size_t n)
{
    size_t seen = 0, fixed = fixed_reps(o);

    for (size_t i = 0; i < o->k; i++)
        seen += o->alts[i].status != SF_OPT_UNVISITED;
    if (o->search)
        snprintf(buf, n, "a neighbourhood search: %zu steps, %zu of %zu alternatives visited", o->steps, seen, o->k);
    else
        snprintf(buf, n, "the same guarantee with equal replications, KN's bound from the same first stage: %zu x %zu = "
                         "%zu runs", o->k, fixed, o->k * fixed);
}

static void goal_name(const sf_optimize *o, char *buf, size_t n)
{
    snprintf(buf, n, "%s %s%s%s%s", o->maximise ? "max" : "min", o->goal.metric, *o->goal.entity ? "[" : "",
             o->goal.entity, *o->goal.entity ? "]" : "");
}

/* The answer in one sentence. */
static void answer(const sf_optimize *o, char *buf, size_t n)
{
    char lab[1024];
    size_t undecided = 0, best = SIZE_MAX;

    for (size_t i = 0; i < o->k; i++) {
        undecided += o->alts[i].status == SF_OPT_UNDECIDED;
        if (o->alts[i].status == SF_OPT_SELECTED)
            best = i;
    }
    if (best != SIZE_MAX) {
        sf_ci c = sf_optimize_ci(o, best);
        snprintf(buf, n, "selected %s: %s %.6g [%.6g, %.6g], the best%s within %g with probability >= %g",
                 label_of(o, best, lab, sizeof lab), o->goal.metric, c.mean, c.mean - c.half, c.mean + c.half,
                 o->search ? " of its neighbourhood" : "", o->delta, 1 - o->alpha);
    } else if (undecided) {
        snprintf(buf, n,
                 "not decided: %zu alternatives are still in contention after %zu replications each (the cap); "
                 "their means may differ by less than %g, or more replications are needed (--max-reps)",
                 undecided, o->r, o->delta);
    } else {
        snprintf(buf, n, "no alternative %smeets the constraints", o->search ? "of the last neighbourhood searched " : "");
    }
}

int sf_optimize_write(const sf_optimize *o)
{
    char path[4200], goal[256], facts[8][512], ans[2048], note[256];
    const char *fact[9] = {0};
    sf_xhtml_row *rows = sf_calloc(o->k ? o->k : 1, sizeof *rows);
    char (*labels)[1024] = sf_calloc(o->k ? o->k : 1, sizeof *labels);
    sf_outfile *f;
    size_t nf = 0, m = 0;
    int rc = SF_EIO;

    snprintf(path, sizeof path, "%s/alternatives.csv", o->sw->out);
    if (!rows || !labels || !(f = sf_outfile_open(path)))
        goto done;
    for (size_t v = 0; v < o->sw->nvars; v++) {
        sf_csv_field(f->f, o->sw->vars[v].key);
        putc(',', f->f);
    }
    fputs("reps,mean,ci_low,ci_high,status,eliminated_at\n", f->f);
    for (size_t i = 0; i < o->k; i++) {
        const sf_opt_alt *a = &o->alts[i];
        sf_ci c = sf_optimize_ci(o, i);
        if (a->status == SF_OPT_UNVISITED)
            continue;
        for (size_t v = 0; v < o->sw->nvars; v++) {
            sf_csv_field(f->f, sf_sweep_value(o->sw, i, v));
            putc(',', f->f);
        }
        fprintf(f->f, "%zu,", a->reps);
        sf_csv_num(f->f, c.mean);
        putc(',', f->f);
        sf_csv_num(f->f, c.mean - c.half);
        putc(',', f->f);
        sf_csv_num(f->f, c.mean + c.half);
        fprintf(f->f, ",%s,", sf_opt_status_name(a->status));
        if (a->left_at)
            fprintf(f->f, "%zu", a->left_at);
        putc('\n', f->f);
        rows[m] = (sf_xhtml_row){label_of(o, i, labels[m], sizeof labels[m]), c.mean, c.mean - c.half, c.mean + c.half,
                                 sf_opt_status_name(a->status), a->reps, a->left_at};
        m++;
    }
    if ((rc = sf_outfile_commit(f)) != SF_OK)
        goto done;
    goal_name(o, goal, sizeof goal);
    answer(o, ans, sizeof ans);
    snprintf(facts[nf++], sizeof facts[0],
             "procedure: KN (Kim and Nelson 2001), fully sequential, common random numbers; delta %g, alpha %g, "
             "first stage n0 = %zu, cap %zu replications per alternative",
             o->delta, o->alpha, o->n0, o->sw->reps);
    if (o->search)
        snprintf(facts[nf++], sizeof facts[0], "%zu alternatives; each step runs KN on the current point and its "
                 "neighbours; interval: Student-t at %g%%", o->k, 100 * (1 - o->alpha));
    else
        snprintf(facts[nf++], sizeof facts[0], "%zu alternatives; eta %.6g, h^2 %.6g; interval: Student-t at %g%%", o->k,
                 o->k > 1 ? sf_optimize_eta(o->ncons ? o->alpha / 2 : o->alpha, o->k, o->n0) : 0.0, o->h2,
                 100 * (1 - o->alpha));
    design_note(o, note, sizeof note);
    snprintf(facts[nf++], sizeof facts[0], "runs used: %zu in %zu stages; %s", o->runs, o->stages, note);
    for (size_t c = 0; c < o->ncons && nf < 8; c++)
        snprintf(facts[nf++], sizeof facts[0], "constraint %s: tolerance %g%s, checked with error alpha/2 over %zu checks",
                 o->cons[c].text, o->cons[c].eps, o->cons[c].eps_given ? "" : " (1% of the bound: none was given)",
                 o->k * o->ncons);
    for (size_t i = 0; i < nf; i++)
        fact[i] = facts[i];
    snprintf(path, sizeof path, "%s/report.html", o->sw->out);
    rc = sf_experiment_html_optimize(path, &(sf_xhtml_optimize){o->sw->model, goal, ans, fact, rows, m});
done:
    free(rows);
    free(labels);
    return rc;
}

void sf_optimize_print(const sf_optimize *o, FILE *out, bool table)
{
    char lab[1024], ans[2048], goal[256];

    goal_name(o, goal, sizeof goal);
    if (table)
        fprintf(out, "%-44s %6s %14s  %-32s %-10s %s\n", "alternative", "reps", o->goal.metric, "interval", "status",
                "left at");
    for (size_t i = 0; table && i < o->k; i++) {
        sf_ci c = sf_optimize_ci(o, i);
        char iv[80];
        if (o->alts[i].status == SF_OPT_UNVISITED)
            continue;
        snprintf(iv, sizeof iv, "[%.6g, %.6g]", c.mean - c.half, c.mean + c.half);
        fprintf(out, "%-44s %6zu %14.6g  %-32s %-10s", label_of(o, i, lab, sizeof lab), o->alts[i].reps, c.mean, iv,
                sf_opt_status_name(o->alts[i].status));
        if (o->alts[i].left_at)
            fprintf(out, " %zu", o->alts[i].left_at);
        fputc('\n', out);
    }
    answer(o, ans, sizeof ans);
    fprintf(out, "optimize (%s): %s\n", goal, ans);
    design_note(o, ans, sizeof ans);
    fprintf(out, "runs: %zu (%s); %.1f s\n", o->runs, ans, o->seconds);
}
