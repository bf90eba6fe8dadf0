/*
 * replicate.c: seeds of replications, one replication, and the table of
 * their figures.
 */
#include "experiment/replicate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"
#include "scenario/scenario.h"

uint64_t sf_rep_seed(uint64_t base, uint64_t rep)
{
    return sf_rng_derive_seed(base, rep);
}

int sf_rep_base_seed(const sf_session_spec *spec, FILE *err, uint64_t *seed)
{
    sf_scenario_config *cfg;
    sf_diags d;

    if (spec->seed_given || !sf_session_is_scenario(spec->model)) {
        *seed = spec->seed_given ? spec->seed : 1;
        return SF_OK;
    }
    sf_diags_init(&d);
    cfg = sf_scenario_load(spec->model, spec->sets, spec->nsets, &d);
    if (!cfg)
        sf_diags_print(&d, err ? err : stderr);
    sf_diags_close(&d);
    if (!cfg)
        return SF_EINVAL;
    *seed = cfg->scenario.seed;
    sf_scenario_config_free(cfg);
    return SF_OK;
}

/* Copy at most n - 1 bytes of a message, without its trailing newlines. */
static void keep_message(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);

    while (len > 0 && src[len - 1] == '\n')
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int sf_rep_run(const sf_session_spec *spec, sf_kpis *out, char *err, size_t n)
{
    sf_session_spec s = *spec;
    sf_session *ses = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *log = NULL, *mem;
    int rc;

    if (n)
        err[0] = '\0';
    if (!(mem = open_memstream(&text, &len)))
        return SF_ENOMEM;
    s.err = mem;
    if (!s.log && !(s.log = log = fopen("/dev/null", "w"))) {
        rc = SF_EIO;
        goto done;
    }
    if (!(ses = sf_session_new(&s, &rc)))
        goto done;
    if ((rc = sf_session_run(ses)) != SF_OK) {
        fprintf(mem, "%s\n", sf_session_error(ses));
        goto done;
    }
    if ((rc = sf_session_kpis(ses, out)) != SF_OK)
        fprintf(mem, "%s\n", sf_strerror(rc));
done:
    sf_session_free(ses);
    if (log)
        fclose(log);
    fclose(mem);
    if (n && rc != SF_OK)
        keep_message(err, n, text && *text ? text : sf_strerror(rc));
    free(text);
    return rc;
}

bool sf_rep_counterfactual_known(const char *name)
{
    return name && strcmp(name, "safety") == 0;
}

/* The paired rows: `lost` = relaxed - actual of every `metric` row (sign -1: actual - relaxed). */
static int paired(const sf_kpis *actual, const sf_kpis *relaxed, const char *metric, const char *named, double sign,
                  sf_kpis *out)
{
    int rc = SF_OK;

    for (size_t i = 0; i < actual->n && rc == SF_OK; i++) {
        const sf_kpi *a = &actual->v[i], *r;
        if (strcmp(a->metric, metric) != 0 || !(r = sf_kpis_find(relaxed, metric, a->entity)))
            continue;
        rc = sf_kpis_add(out, named, a->entity, sign * (r->value - a->value), a->unit, a->headline);
    }
    return rc;
}

int sf_rep_run_counterfactual(const sf_session_spec *spec, sf_kpis *out, char *err, size_t n)
{
    sf_session_spec relaxed = *spec;
    sf_kpis a, r;
    int rc;

    sf_kpis_init(&a);
    sf_kpis_init(&r);
    relaxed.relax_safety = true;
    if ((rc = sf_rep_run(spec, &a, err, n)) != SF_OK)
        goto done;
    if ((rc = sf_rep_run(&relaxed, &r, err, n)) != SF_OK) {
        size_t len = n ? strlen(err) : 0;
        if (len + 1 < n)
            snprintf(err + len, n - len, " (the run with the safety rules relaxed)");
        goto done;
    }
    for (size_t i = 0; i < a.n && rc == SF_OK; i++)
        rc = sf_kpis_add(out, a.v[i].metric, a.v[i].entity, a.v[i].value, a.v[i].unit, a.v[i].headline);
    if (rc == SF_OK)
        rc = paired(&a, &r, "throughput", "throughput_lost_safety", 1, out);
    if (rc == SF_OK)
        rc = paired(&a, &r, "lead_time_mean", "lead_time_added_safety", -1, out);
done:
    sf_kpis_free(&a);
    sf_kpis_free(&r);
    return rc;
}

void sf_rep_table_init(sf_rep_table *t)
{
    memset(t, 0, sizeof *t);
}

void sf_rep_table_free(sf_rep_table *t)
{
    for (size_t i = 0; i < t->nkeys; i++) {
        free(t->keys[i].metric);
        free(t->keys[i].entity);
        free(t->keys[i].unit);
        free(t->keys[i].v);
    }
    free(t->keys);
    sf_rep_table_init(t);
}

long sf_rep_table_find(const sf_rep_table *t, const char *metric, const char *entity)
{
    for (size_t i = 0; i < t->nkeys; i++)
        if (strcmp(t->keys[i].metric, metric) == 0 && strcmp(t->keys[i].entity, entity) == 0)
            return (long)i;
    return -1;
}

/* Make room for one more replication in every key (NaN until set). */
static int grow_reps(sf_rep_table *t)
{
    if (t->nreps == t->repcap) {
        size_t cap = t->repcap ? 2 * t->repcap : 8;
        for (size_t i = 0; i < t->nkeys; i++) {
            double *v = sf_realloc(t->keys[i].v, cap * sizeof *v);
            if (!v)
                return SF_ENOMEM;
            t->keys[i].v = v;
        }
        t->repcap = cap;
    }
    for (size_t i = 0; i < t->nkeys; i++)
        t->keys[i].v[t->nreps] = NAN;
    t->nreps++;
    return SF_OK;
}

static long add_key(sf_rep_table *t, const sf_kpi *k)
{
    sf_rep_key *key;

    if (sf_grow(t->keys, t->cap, t->nkeys + 1) != SF_OK)
        return -1;
    key = &t->keys[t->nkeys];
    memset(key, 0, sizeof *key);
    key->headline = k->headline;
    if (!(key->metric = sf_strdup(k->metric)) || !(key->entity = sf_strdup(k->entity)) || !(key->unit = sf_strdup(k->unit)) ||
        !(key->v = sf_malloc((t->repcap ? t->repcap : 1) * sizeof *key->v))) {
        free(key->metric);
        free(key->entity);
        free(key->unit);
        free(key->v);
        return -1;
    }
    for (size_t r = 0; r < t->nreps; r++)
        key->v[r] = NAN;
    return (long)t->nkeys++;
}

int sf_rep_table_add(sf_rep_table *t, const sf_kpis *k)
{
    if (grow_reps(t) != SF_OK)
        return SF_ENOMEM;
    for (size_t i = 0; i < k->n; i++) {
        long at = sf_rep_table_find(t, k->v[i].metric, k->v[i].entity);
        if (at < 0 && (at = add_key(t, &k->v[i])) < 0)
            return SF_ENOMEM;
        t->keys[at].v[t->nreps - 1] = k->v[i].value;
    }
    return SF_OK;
}

sf_ci sf_rep_table_ci(const sf_rep_table *t, size_t i, double level)
{
    return sf_ci_of(t->keys[i].v, t->nreps, level);
}

bool sf_rep_table_precise(const sf_rep_table *t, double rel, double level)
{
    bool any_headline = false;

    if (t->nreps < 2 || t->nkeys == 0)
        return false;
    for (size_t i = 0; i < t->nkeys; i++)
        any_headline = any_headline || t->keys[i].headline;
    for (size_t i = 0; i < t->nkeys; i++) {
        sf_ci c;
        if (any_headline && !t->keys[i].headline)
            continue;
        c = sf_rep_table_ci(t, i, level);
        if (c.n < 2 || !(c.sd == 0 || c.half <= rel * fabs(c.mean)))
            return false;
    }
    return true;
}
