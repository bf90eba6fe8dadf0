/*
 * report.c: the statistics of a Lua model, read from C and written as a
 * terminal table, JSON and CSV. Objects appear in the order the model
 * created them. Reading at the current simulated time closes the open
 * interval of every time-weighted level.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/format.h"
#include "script/script_internal.h"

const char *sf_script_kind_name(sf_script_kind kind)
{
    switch (kind) {
    case SF_SCRIPT_TALLY: return "tally";
    case SF_SCRIPT_LEVEL: return "level";
    case SF_SCRIPT_RESOURCE: return "resource";
    case SF_SCRIPT_STORE: return "store";
    case SF_SCRIPT_CONTAINER: return "container";
    }
    return "?";
}

size_t sf_script_stats_count(const sf_script *S)
{
    return S->objs.norder;
}

static void wait_stats(sf_script_stats *o, const sf_tally *t)
{
    o->n = t->n;
    o->mean = sf_tally_mean(t);
    o->sd = sf_tally_sd(t);
    o->min = t->n ? t->min : NAN;
    o->max = t->n ? t->max : NAN;
}

bool sf_script_stats_get(sf_script *S, size_t i, sf_script_stats *o)
{
    sf_time now = sf_kernel_now(S->k);
    const struct statref *ref;

    if (i >= S->objs.norder)
        return false;
    ref = &S->objs.order[i];
    memset(o, 0, sizeof *o);
    o->kind = (sf_script_kind)ref->kind;
    o->p50 = o->p90 = o->p99 = NAN;
    o->utilisation = o->queue_mean = o->queue_max = o->level_mean = o->level_now = o->capacity = NAN;
    switch (o->kind) {
    case SF_SCRIPT_TALLY: {
        sf_tally *t = &S->objs.tallies[ref->index].t;
        o->name = S->objs.tallies[ref->index].name;
        wait_stats(o, t);
        o->p50 = sf_tally_percentile(t, 0.5);
        o->p90 = sf_tally_percentile(t, 0.9);
        o->p99 = sf_tally_percentile(t, 0.99);
        break;
    }
    case SF_SCRIPT_LEVEL: {
        sf_level *l = &S->objs.levels[ref->index].l;
        o->name = S->objs.levels[ref->index].name;
        o->level_mean = sf_level_mean(l, now);
        o->level_now = l->value;
        o->mean = o->level_mean;
        o->sd = sf_level_sd(l, now);
        o->min = l->min;
        o->max = l->max;
        o->n = l->changes;
        break;
    }
    case SF_SCRIPT_RESOURCE: {
        struct resource *r = &S->objs.res[ref->index];
        o->name = r->name;
        o->capacity = r->capacity;
        o->level_mean = sf_level_mean(&r->busy, now);
        o->level_now = r->used;
        o->utilisation = o->level_mean / r->capacity;
        o->queue_mean = sf_level_mean(&r->queue, now);
        o->queue_max = r->queue.max;
        wait_stats(o, &r->wait);
        break;
    }
    case SF_SCRIPT_STORE: {
        struct store *s = &S->objs.stores[ref->index];
        o->name = s->name;
        o->capacity = s->capacity == INT32_MAX ? INFINITY : s->capacity;
        o->level_mean = sf_level_mean(&s->content, now);
        o->level_now = s->count;
        o->utilisation = isinf(o->capacity) ? NAN : o->level_mean / o->capacity;
        o->queue_mean = sf_level_mean(&s->queue, now);
        o->queue_max = s->queue.max;
        wait_stats(o, &s->wait);
        break;
    }
    case SF_SCRIPT_CONTAINER: {
        struct container *c = &S->objs.conts[ref->index];
        o->name = c->name;
        o->capacity = c->capacity;
        o->level_mean = sf_level_mean(&c->content, now);
        o->level_now = c->level;
        o->utilisation = isinf(c->capacity) ? NAN : o->level_mean / c->capacity;
        o->queue_mean = sf_level_mean(&c->queue, now);
        o->queue_max = c->queue.max;
        wait_stats(o, &c->wait);
        break;
    }
    }
    return true;
}

bool sf_script_stats_find(sf_script *S, sf_script_kind kind, const char *name, sf_script_stats *out)
{
    for (size_t i = 0; i < S->objs.norder; i++) {
        if (S->objs.order[i].kind != kind)
            continue;
        sf_script_stats_get(S, i, out);
        if (strcmp(out->name, name) == 0)
            return true;
    }
    return false;
}

int sf_script_write_json(sf_script *S, const sf_script_run_info *info, FILE *out)
{
    sf_script_stats st;
    static const char *const keys[] = {"capacity", "utilisation", "queue_mean", "queue_max", "level_mean",
                                       "level_now", "mean", "sd", "min", "max", "p50", "p90", "p99"};

    fputs("{\n  \"run\": {\"model\": ", out);
    sf_json_string(out, info->model ? info->model : "");
    fprintf(out, ", \"seed\": %llu, \"time\": ", (unsigned long long)info->seed);
    sf_json_num(out, sf_time_to_seconds(sf_kernel_now(S->k)));
    fprintf(out, ", \"events\": %llu, \"fingerprint\": \"%016llx\", \"complete\": %s",
            (unsigned long long)sf_kernel_events(S->k), (unsigned long long)sf_kernel_fingerprint(S->k),
            info->complete ? "true" : "false");
    if (info->error) {
        fputs(", \"error\": ", out);
        sf_json_string(out, info->error);
    }
    fputs("},\n  \"stats\": [", out);
    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++) {
        double v[] = {st.capacity, st.utilisation, st.queue_mean, st.queue_max, st.level_mean, st.level_now, st.mean,
                      st.sd,       st.min,         st.max,        st.p50,       st.p90,        st.p99};
        fputs(i ? ",\n    {" : "\n    {", out);
        fprintf(out, "\"kind\": \"%s\", \"name\": ", sf_script_kind_name(st.kind));
        sf_json_string(out, st.name);
        fprintf(out, ", \"n\": %llu", (unsigned long long)st.n);
        for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
            fprintf(out, ", \"%s\": ", keys[j]);
            sf_json_num(out, v[j]);
        }
        fputc('}', out);
    }
    fputs("\n  ]\n}\n", out);
    return ferror(out) ? SF_EIO : SF_OK;
}

int sf_script_write_csv(sf_script *S, FILE *out)
{
    sf_script_stats st;

    fputs("kind,name,n,capacity,utilisation,queue_mean,queue_max,level_mean,level_now,mean,sd,min,max,p50,p90,p99\n",
          out);
    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++) {
        double v[] = {st.capacity, st.utilisation, st.queue_mean, st.queue_max, st.level_mean, st.level_now, st.mean,
                      st.sd,       st.min,         st.max,        st.p50,       st.p90,        st.p99};
        fprintf(out, "%s,", sf_script_kind_name(st.kind));
        sf_csv_field(out, st.name);
        fprintf(out, ",%llu", (unsigned long long)st.n);
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            fputc(',', out);
            sf_csv_num(out, v[j]);
        }
        fputc('\n', out);
    }
    return ferror(out) ? SF_EIO : SF_OK;
}

static void cell(FILE *out, double v)
{
    if (isnan(v))
        fprintf(out, " %11s", "-");
    else
        fprintf(out, " %11.4g", v);
}

/* The width of the name column: the longest name of the statistics of kinds lo..hi, at least 24, at most 48. */
static int name_width(sf_script *S, int lo, int hi)
{
    sf_script_stats st;
    size_t w = 24;

    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++)
        if ((int)st.kind >= lo && (int)st.kind <= hi && st.name && strlen(st.name) > w)
            w = strlen(st.name);
    return w > 48 ? 48 : (int)w;
}

int sf_script_print_table(sf_script *S, FILE *out)
{
    sf_script_stats st;
    bool any;
    int w;

    any = false;
    w = name_width(S, SF_SCRIPT_TALLY, SF_SCRIPT_TALLY);
    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++) {
        if (st.kind != SF_SCRIPT_TALLY)
            continue;
        if (!any)
            fprintf(out, "\n%-*s %11s %11s %11s %11s %11s %11s %11s\n", w, "tally", "n", "mean", "sd", "min", "p50",
                    "p90", "max");
        any = true;
        fprintf(out, "%-*.*s %11llu", w, w, st.name, (unsigned long long)st.n);
        cell(out, st.mean), cell(out, st.sd), cell(out, st.min), cell(out, st.p50), cell(out, st.p90),
            cell(out, st.max);
        fputc('\n', out);
    }
    any = false;
    w = name_width(S, SF_SCRIPT_LEVEL, SF_SCRIPT_LEVEL);
    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++) {
        if (st.kind != SF_SCRIPT_LEVEL)
            continue;
        if (!any)
            fprintf(out, "\n%-*s %11s %11s %11s %11s %11s\n", w, "level", "time-mean", "sd", "min", "max", "now");
        any = true;
        fprintf(out, "%-*.*s", w, w, st.name);
        cell(out, st.level_mean), cell(out, st.sd), cell(out, st.min), cell(out, st.max), cell(out, st.level_now);
        fputc('\n', out);
    }
    any = false;
    w = name_width(S, SF_SCRIPT_RESOURCE, INT_MAX);
    for (size_t i = 0; sf_script_stats_get(S, i, &st); i++) {
        if (st.kind < SF_SCRIPT_RESOURCE || (st.n == 0 && !(st.level_mean > 0) && !(st.queue_mean > 0)))
            continue; /* an object nobody used (a team carry in a plant whose carries take one person) is a row of zeros */
        if (!any)
            fprintf(out, "\n%-*s %-9s %11s %11s %11s %11s %11s %11s\n", w, "object", "kind", "capacity", "utilisation",
                    "mean level", "mean queue", "served", "mean wait");
        any = true;
        fprintf(out, "%-*.*s %-9s", w, w, st.name, sf_script_kind_name(st.kind));
        cell(out, st.capacity), cell(out, st.utilisation), cell(out, st.level_mean), cell(out, st.queue_mean);
        fprintf(out, " %11llu", (unsigned long long)st.n);
        cell(out, st.mean);
        fputc('\n', out);
    }
    return ferror(out) ? SF_EIO : SF_OK;
}
