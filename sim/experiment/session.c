/*
 * session.c: load, build, run, and read the figures of one model.
 */
#include "experiment/session.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/mem.h"
#include "experiment/instruct.h"
#include "metrics/metrics.h"
#include "scenario/scenario.h"

struct sf_session {
    sf_session_spec spec;
    sf_scenario_config *cfg;
    sf_kernel *k;
    sf_script *S;
    sf_world *w;
    sf_metrics *m; /* follows the world from time 0 */
    sf_interventions *iv; /* from spec.instruct; owns the config's orders once rush orders are added */
    uint64_t seed;
    sf_time end;
    int status; /* SF_OK while the run may go on */
    bool done;
    char scripts[4096]; /* the script state keeps a pointer to it */
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool sf_session_is_scenario(const char *path)
{
    return ends_with(path, ".yaml") || ends_with(path, ".yml");
}

/* Whether dir holds the behaviour library (its plant.lua); appends dir to the list of places tried. */
static bool library_in(const char *dir, char *tried, size_t tn)
{
    char path[4200];
    struct stat st;
    size_t used = strlen(tried);

    if (used + 4 < tn)
        snprintf(tried + used, tn - used, "%s%s", used ? ", " : "", dir);
    snprintf(path, sizeof path, "%s/plant.lua", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The folder of the behaviour library, in this order: SHOPFLOOR_SCRIPTS
 * when set (explicit beats implicit: a wrong value is an error, not a
 * reason to look elsewhere); beside the executable, an installed tree
 * (../share/shopfloor/scripts) or the source tree (scripts, ../scripts);
 * the source tree the program was built from (a build folder anywhere);
 * the install path it was built for.
 */
const char *sf_session_scripts_dir(char *buf, size_t n, char *tried, size_t tn)
{
    static const char *const beside[] = {"/../share/shopfloor/scripts", "/scripts", "/../scripts"};
    const char *env = getenv("SHOPFLOOR_SCRIPTS");
    char exe[2048], none[1];
    ssize_t len;

    if (!tried || tn == 0) {
        tried = none;
        tn = 1;
    }
    tried[0] = '\0';
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return library_in(buf, tried, tn) ? buf : NULL;
    }
    if ((len = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
        exe[len] = '\0';
        *strrchr(exe, '/') = '\0';
        for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
            snprintf(buf, n, "%s%s", exe, beside[i]);
            if (library_in(buf, tried, tn))
                return buf;
        }
    }
    snprintf(buf, n, "%s", SF_SOURCE_SCRIPTS);
    if (library_in(buf, tried, tn))
        return buf;
    snprintf(buf, n, "%s", SF_INSTALL_SCRIPTS);
    return library_in(buf, tried, tn) ? buf : NULL;
}

/* The folder of a path ("." when it has none), into buf. */
static const char *folder_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    if (!slash || len + 1 > n)
        return ".";
    memcpy(buf, path, len);
    buf[len] = '\0';
    return buf;
}

static FILE *errs(const sf_session *s)
{
    return s->spec.err ? s->spec.err : stderr;
}

/* Build the factory model on the session's kernel and script state, and load the boot chunk that starts it. */
static int build_scenario(sf_session *s)
{
    char err[1024], dir[4096];
    sf_world_hooks hooks = {sf_script_world_done, sf_script_world_deadlock, s->S};
    int rc;

    if (!(s->w = sf_world_new(s->k, s->cfg, hooks, err, sizeof err))) {
        fprintf(errs(s), "%s\n", err);
        return SF_EINVAL;
    }
    s->m = sf_metrics_new(s->cfg, sf_kernel_now(s->k), s->cfg->outputs.sample_every ? 0 : sf_metrics_default_step(s->end));
    rc = s->m ? sf_metrics_attach(s->m, s->w) : SF_ENOMEM;
    if (rc != SF_OK) {
        fprintf(errs(s), "%s\n", sf_strerror(rc));
        return rc;
    }
    if ((rc = sf_script_attach_world(s->S, s->w)) != SF_OK ||
        (rc = sf_script_set_model_dir(s->S, folder_of(s->spec.model, dir, sizeof dir))) != SF_OK) {
        fprintf(errs(s), "%s\n", sf_strerror(rc));
        return rc;
    }
    if ((rc = sf_script_load_string(s->S, "require('plant').start()", "=plant")) != SF_OK)
        fprintf(errs(s), "%s\n", sf_script_error(s->S));
    else if (s->iv && (rc = sf_interventions_start(s->iv, s->k, s->w)) != SF_OK)
        fprintf(errs(s), "%s: %s\n", s->spec.instruct, sf_strerror(rc));
    else if (s->iv)
        sf_interventions_script(s->iv, s->S);
    return rc;
}

/* The instructions of spec.instruct, understood against the scenario, their rush orders added to it. */
static int instructions(sf_session *s)
{
    int rc;

    if (!s->spec.instruct && s->spec.reserve <= 0 && s->spec.nbuild == 0)
        return SF_OK;
    if (!s->cfg) {
        fprintf(errs(s), "%s: instructions need a scenario, not a Lua model\n", s->spec.instruct ? s->spec.instruct : "a reserve");
        return SF_EUSAGE;
    }
    if (!(s->iv = sf_interventions_new()))
        return SF_ENOMEM;
    /* a reserve asked for (a live viewer's): the list's first line, so that the printed list builds it too */
    rc = s->spec.reserve > 0 ? sf_interventions_add(s->iv, &(sf_intervention){.kind = SF_IV_RESERVE,
                                                                              .quantity = s->spec.reserve,
                                                                              .length = SF_TIME_MAX})
                             : SF_OK;
    for (size_t i = 0; i < s->spec.nbuild && rc == SF_OK; i++) {
        const sf_intervention *iv = &s->spec.build[i];
        if (iv->kind != SF_IV_ADD_AGENTS || iv->target >= s->cfg->fleet.n_types || iv->quantity < 1) {
            fprintf(errs(s), "%s: agents added to fleet entry %u, of %zu\n", s->spec.model, iv->target,
                    s->cfg->fleet.n_types);
            return SF_EINVAL;
        }
        rc = sf_interventions_add(s->iv, iv);
    }
    if (rc == SF_OK && s->spec.instruct)
        rc = sf_instruct_file(s->spec.instruct, s->cfg, s->iv, s->spec.said ? s->spec.said : stdout, errs(s));
    if (rc == SF_OK && (rc = sf_interventions_prepare(s->iv, s->cfg)) != SF_OK)
        fprintf(errs(s), "out of memory\n");
    return rc;
}

/* One Lua string literal of s, every byte outside plain ASCII letters, digits and spaces escaped as \ddd. */
static void lua_quoted(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '.' ||
            c == '_' || c == '-')
            putc(c, f);
        else
            fprintf(f, "\\%03u", c);
    }
    putc('"', f);
}

/*
 * A Lua model's parameters: the spec's "key=value" settings (the
 * alternatives `shopfloor optimize` runs) become the global table
 * `param`, each value a number when it reads as one, else its text. A
 * chunk scheduled before the model's, so the model's top-level code sees
 * it. Nothing is loaded when there are no settings, so a model run
 * without them is the same events as before. SF_OK, SF_EINVAL for a
 * setting without '=', SF_ENOMEM, or the script's load failure.
 */
static int lua_params(sf_session *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    int rc = SF_OK;

    if (s->spec.nsets == 0)
        return SF_OK;
    if (!(f = open_memstream(&text, &len)))
        return SF_ENOMEM;
    fputs("param = {}\n", f);
    for (size_t i = 0; i < s->spec.nsets && rc == SF_OK; i++) {
        const char *set = s->spec.sets[i], *eq = strchr(set, '=');
        char *key;
        if (!eq || eq == set) {
            fprintf(errs(s), "%s: parameter '%s' is not key=value\n", s->spec.model, set);
            rc = SF_EINVAL;
            break;
        }
        if (!(key = sf_malloc((size_t)(eq - set) + 1))) {
            rc = SF_ENOMEM;
            break;
        }
        memcpy(key, set, (size_t)(eq - set));
        key[eq - set] = '\0';
        fputs("param[", f);
        lua_quoted(f, key);
        fputs("] = tonumber(", f);
        lua_quoted(f, eq + 1);
        fputs(") or ", f);
        lua_quoted(f, eq + 1);
        fputs("\n", f);
        free(key);
    }
    if (fclose(f) != 0 && rc == SF_OK)
        rc = SF_ENOMEM;
    if (rc == SF_OK)
        rc = sf_script_load_string(s->S, text, "=param");
    free(text);
    return rc;
}

sf_session *sf_session_new(const sf_session_spec *spec, int *status)
{
    sf_session *s = sf_calloc(1, sizeof *s);
    sf_script_options opt = {0};
    char tried[4096];
    int rc = SF_ENOMEM;

    if (!s) {
        fprintf(spec->err ? spec->err : stderr, "out of memory\n");
        goto fail;
    }
    s->spec = *spec;
    s->seed = spec->seed_given ? spec->seed : 1;
    s->end = spec->until_given ? spec->until : SF_TIME_MAX;
    if (sf_session_is_scenario(spec->model)) {
        sf_diags d;
        sf_diags_init(&d);
        s->cfg = sf_scenario_load(spec->model, spec->sets, spec->nsets, &d);
        if (!s->cfg)
            sf_diags_print(&d, errs(s));
        sf_diags_close(&d);
        if (!s->cfg) {
            rc = SF_EINVAL;
            goto fail;
        }
        if (!spec->seed_given)
            s->seed = s->cfg->scenario.seed;
        /* the model's own streams (processing times, failures, cameras) are seeded from the
           scenario's seed: make it the run's, so --seed and each replication draw them anew too */
        s->cfg->scenario.seed = s->seed;
        s->cfg->safety.relaxed = spec->relax_safety;
        if (!spec->until_given)
            s->end = s->cfg->scenario.horizon;
    }
    if ((rc = instructions(s)) != SF_OK)
        goto fail;
    opt.seed = s->seed;
    opt.budget = spec->budget;
    opt.memory_limit = spec->memory_limit;
    opt.scripts_dir = sf_session_scripts_dir(s->scripts, sizeof s->scripts, tried, sizeof tried);
    if (s->cfg && !opt.scripts_dir) {
        fprintf(errs(s),
                "%s: cannot find the behaviour library (a folder with plant.lua)%s: looked in %s; "
                "set SHOPFLOOR_SCRIPTS to the scripts folder of shopfloor\n",
                spec->model, getenv("SHOPFLOOR_SCRIPTS") && *getenv("SHOPFLOOR_SCRIPTS") ? " where SHOPFLOOR_SCRIPTS says" : "",
                tried);
        rc = SF_ENOTFOUND;
        goto fail;
    }
    opt.log = spec->log;
    if (!(s->k = sf_kernel_new()) || !(s->S = sf_script_new(s->k, &opt))) {
        fprintf(errs(s), "out of memory\n");
        goto fail;
    }
    if (s->cfg)
        rc = build_scenario(s);
    else if ((rc = lua_params(s)) != SF_OK && rc != SF_EINVAL)
        fprintf(errs(s), "%s\n", rc == SF_ENOMEM ? "out of memory" : sf_script_error(s->S));
    else if ((rc = sf_script_load_file(s->S, spec->model)) != SF_OK)
        fprintf(errs(s), "%s\n", sf_script_error(s->S));
    if (rc != SF_OK)
        goto fail;
    if (status)
        *status = SF_OK;
    return s;
fail:
    if (status)
        *status = rc;
    sf_session_free(s);
    return NULL;
}

void sf_session_free(sf_session *s)
{
    if (!s)
        return;
    sf_script_free(s->S);
    sf_metrics_free(s->m);
    sf_world_free(s->w);
    sf_scenario_config_free(s->cfg);
    sf_interventions_free(s->iv);
    sf_kernel_free(s->k);
    free(s);
}

int sf_session_advance(sf_session *s, sf_time t)
{
    if (s->status != SF_OK || s->done)
        return s->status;
    if (t >= s->end)
        t = s->end;
    s->status = sf_script_run(s->S, t);
    if (s->status == SF_OK && t == s->end)
        s->done = true;
    return s->status;
}

int sf_session_run(sf_session *s)
{
    return sf_session_advance(s, s->end);
}

sf_time sf_session_end(const sf_session *s) { return s->end; }
uint64_t sf_session_seed(const sf_session *s) { return s->seed; }
bool sf_session_complete(const sf_session *s) { return s->done && s->status == SF_OK; }
const char *sf_session_error(const sf_session *s) { return s->status == SF_OK ? "" : sf_script_error(s->S); }
sf_kernel *sf_session_kernel(sf_session *s) { return s->k; }
sf_script *sf_session_script(sf_session *s) { return s->S; }
sf_world *sf_session_world(sf_session *s) { return s->w; }
const sf_scenario_config *sf_session_config(const sf_session *s) { return s->cfg; }
sf_metrics *sf_session_metrics(sf_session *s) { return s->m; }
sf_interventions *sf_session_interventions(sf_session *s)
{
    if (s->iv || !s->w)
        return s->iv;
    if ((s->iv = sf_interventions_new()) && sf_interventions_start(s->iv, s->k, s->w) != SF_OK) {
        sf_interventions_free(s->iv);
        s->iv = NULL;
    }
    if (s->iv)
        sf_interventions_script(s->iv, s->S);
    return s->iv;
}

/* The statistics objects of the script state, one row per figure. */
static int script_kpis(sf_script *S, sf_kpis *out)
{
    size_t n = sf_script_stats_count(S);
    int rc = SF_OK;

    for (size_t i = 0; i < n && rc == SF_OK; i++) {
        sf_script_stats st;
        if (!sf_script_stats_get(S, i, &st))
            continue;
        switch (st.kind) {
        case SF_SCRIPT_TALLY:
            if ((rc = sf_kpis_add(out, "count", st.name, (double)st.n, "", false)) == SF_OK)
                rc = sf_kpis_add(out, "mean", st.name, st.mean, "", false);
            break;
        case SF_SCRIPT_LEVEL:
            rc = sf_kpis_add(out, "time_average", st.name, st.level_mean, "", false);
            break;
        default:
            if ((rc = sf_kpis_add(out, "utilisation", st.name, 100 * st.utilisation, "%", false)) == SF_OK &&
                (rc = sf_kpis_add(out, "queue_mean", st.name, st.queue_mean, "", false)) == SF_OK)
                rc = sf_kpis_add(out, "wait_mean", st.name, st.n ? st.mean : 0, "s", false);
            break;
        }
    }
    return rc;
}

/* Per agent type: trips and distance; then every KPI of the metrics (docs/results.md). */
static int world_kpis(sf_session *s, sf_time now, sf_kpis *out)
{
    const sf_scenario_config *cfg = s->cfg;
    sf_movers *ms = sf_world_movers(s->w);
    uint32_t id = 0;
    int rc = SF_OK;

    sf_world_settle(s->w, now);
    for (size_t t = 0; t < cfg->fleet.n_types && rc == SF_OK; t++) {
        const char *type = cfg->fleet.types[t].name;
        double km = 0, trips = 0;
        for (int c = 0; c < cfg->fleet.types[t].count; c++, id++) {
            const sf_agent *a = sf_world_agent(s->w, id);
            if (a->mover != SF_NO_AGENT)
                km += sf_movers_distance(ms, a->mover, now) / 1000;
            trips += (double)a->trips;
        }
        if ((rc = sf_kpis_add(out, "trips", type, trips, "trips", false)) == SF_OK)
            rc = sf_kpis_add(out, "distance", type, km, "km", false);
    }
    if (rc == SF_OK) {
        sf_metrics_close(s->m, now);
        rc = sf_metrics_kpis(s->m, out);
    }
    return rc;
}

int sf_session_kpis(sf_session *s, sf_kpis *out)
{
    int rc = sf_kpis_add(out, "events", "", (double)sf_kernel_events(s->k), "events", false);

    if (rc == SF_OK && s->w)
        rc = world_kpis(s, sf_kernel_now(s->k), out);
    if (rc == SF_OK)
        rc = script_kpis(s->S, out);
    return rc;
}
