/*
 * record.c: writing recordings as snapshot diffs, and reading them back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"
#include "core/mem.h"
#include "experiment/interventions.h"
#include "model/world.h"
#include "render/record.h"
#include "report/outfile.h"

#define MAGIC "SFREC4\n"
#define MAGIC_V3 "SFREC3\n" /* a trailer of stops, camera outages, fences and rush orders only: still read */
#define MAGIC_V2 "SFREC2\n" /* the same without the interventions' trailer: still read */
#define TRAILER (-1)         /* a frame time that starts the trailer instead of a frame */
#define KEY_EVERY 256
#define AGENT_BYTES 20 /* x, y, heading, battery (f32), kind, state, loaded, flat (u8) */

/* ---- writing ----------------------------------------------------------- */

typedef struct writer {
    gzFile gz;
    sf_snapshot prev;
    unsigned char *buf;
    size_t len, cap;
    int status;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (sf_grow(w->buf, w->cap, w->len + n) != SF_OK) {
        w->status = SF_ENOMEM;
        return;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

#define PUT(w, v) put((w), &(v), sizeof(v))

static void put_agent(writer *w, const sf_snap_agent *a)
{
    PUT(w, a->x);
    PUT(w, a->y);
    PUT(w, a->heading);
    PUT(w, a->battery);
    PUT(w, a->kind);
    PUT(w, a->state);
    PUT(w, a->loaded);
    PUT(w, a->flat);
}

/* Count-prefixed list of the changed entries of one array; `pos` is where the count goes. */
#define DIFF(w, n, cur, old, WRITE)                                                                 \
    do {                                                                                            \
        size_t pos = (w)->len;                                                                      \
        uint32_t cnt = 0;                                                                           \
        PUT(w, cnt);                                                                                \
        for (uint32_t i = 0; i < (n); i++)                                                          \
            if (memcmp(&(cur)[i], &(old)[i], sizeof (cur)[i]) != 0) {                              \
                PUT(w, i);                                                                          \
                WRITE;                                                                              \
                cnt++;                                                                              \
            }                                                                                       \
        if ((w)->status == SF_OK)                                                                   \
            memcpy((w)->buf + pos, &cnt, sizeof cnt);                                               \
    } while (0)

static int write_frame(void *ctx, const sf_snapshot *s)
{
    writer *w = ctx;
    uint8_t alen = 255;

    w->len = 0;
    PUT(w, s->now);
    PUT(w, s->completed);
    PUT(w, s->released);
    PUT(w, s->failures);
    PUT(w, s->flat);
    PUT(w, s->power);
    PUT(w, s->energy);
    if (strcmp(s->alarm, w->prev.alarm) != 0)
        alen = (uint8_t)strnlen(s->alarm, 160);
    PUT(w, alen);
    if (alen != 255)
        put(w, s->alarm, alen);
    DIFF(w, s->nagents, s->agents, w->prev.agents, put_agent(w, &s->agents[i]));
    DIFF(w, s->nstations, s->station_state, w->prev.station_state, PUT(w, s->station_state[i]));
    DIFF(w, 2 * s->nstations, s->buffered, w->prev.buffered, PUT(w, s->buffered[i]));
    DIFF(w, s->ncells, s->cells, w->prev.cells, PUT(w, s->cells[i]));
    DIFF(w, s->nzones, s->zone_people, w->prev.zone_people, PUT(w, s->zone_people[i]));
    DIFF(w, s->nsegments, s->congestion, w->prev.congestion, PUT(w, s->congestion[i]));
    if (w->status != SF_OK)
        return w->status;
    if (gzwrite(w->gz, w->buf, (unsigned)w->len) != (int)w->len)
        return w->status = SF_EIO;
    sf_snapshot_copy(&w->prev, s);
    return SF_OK;
}

/*
 * The interventions after the last frame: i64 -1, u32 n, n x (i64 at,
 * i64 length, u32 kind, u32 target, i32 quantity, u32 first, f64 speed,
 * u32 station, u32 product, u32 from, u32 to): every field of every kind.
 */
static void write_trailer(writer *w, const sf_interventions *l)
{
    int64_t mark = TRAILER;
    uint32_t n = l ? (uint32_t)sf_interventions_count(l) : 0;

    w->len = 0;
    PUT(w, mark);
    PUT(w, n);
    for (uint32_t i = 0; i < n; i++) {
        const sf_intervention *iv = sf_interventions_get(l, i);
        uint32_t kind = (uint32_t)iv->kind;
        int32_t q = iv->quantity;
        PUT(w, iv->at);
        PUT(w, iv->length);
        PUT(w, kind);
        PUT(w, iv->target);
        PUT(w, q);
        PUT(w, iv->first);
        PUT(w, iv->speed);
        PUT(w, iv->station);
        PUT(w, iv->product);
        PUT(w, iv->from);
        PUT(w, iv->to);
    }
    if (w->status == SF_OK && gzwrite(w->gz, w->buf, (unsigned)w->len) != (int)w->len)
        w->status = SF_EIO;
}

/*
 * What the plant was built with, so that the replay builds it the same:
 * the reserve ("reserve N": a live window's, or an instruction file's
 * "reserve" line) and the agents added before the run ("add T NAME N AT"
 * lines: the fleet entry's index and name, how many, when).
 */
static void write_build(gzFile gz, const sf_interventions *l, const sf_session_spec *spec, const sf_scenario_config *cfg)
{
    int reserve = l ? sf_interventions_reserve(l) : spec->reserve;

    if (reserve > 0)
        gzprintf(gz, "reserve %d\n", reserve);
    for (size_t i = 0; l && i < sf_interventions_count(l); i++) {
        const sf_intervention *iv = sf_interventions_get(l, i);
        if (iv->kind == SF_IV_ADD_AGENTS)
            gzprintf(gz, "add %u %s %d %lld\n", iv->target, cfg->fleet.types[iv->target].name, iv->quantity,
                     (long long)iv->at);
    }
}

struct sf_recorder {
    writer w;
    sf_session *ses;
    sf_outfile *o;
    const char *path;
    FILE *err;
};

/*
 * zlib writes into a duplicate of the atomic writer's descriptor
 * (gzclose closes only that one); the commit then syncs, closes and
 * renames the file like every other output.
 */
sf_recorder *sf_recorder_open(sf_session *ses, const sf_session_spec *spec, const char *path, sf_time every, FILE *err)
{
    sf_recorder *rec = sf_calloc(1, sizeof *rec);
    int fd = -1;

    if (!err)
        err = stderr;
    if (!rec || sf_snapshot_init(&rec->w.prev, sf_session_config(ses)) != SF_OK) {
        fprintf(err, "%s: %s\n", path, sf_strerror(SF_ENOMEM));
        goto fail;
    }
    rec->ses = ses;
    rec->path = path;
    rec->err = err;
    if (!(rec->o = sf_outfile_open(path)))
        goto fail;
    if ((fd = dup(fileno(rec->o->f))) < 0 || !(rec->w.gz = gzdopen(fd, "wb6"))) {
        fprintf(err, "%s: cannot write: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    gzprintf(rec->w.gz, "%smodel %s\nseed %llu\nevery %lld\n", MAGIC, spec->model,
             (unsigned long long)sf_session_seed(ses), (long long)every);
    for (size_t i = 0; i < spec->nsets; i++)
        gzprintf(rec->w.gz, "set %s\n", spec->sets[i]);
    if (spec->until_given)
        gzprintf(rec->w.gz, "until %lld\n", (long long)spec->until);
    write_build(rec->w.gz, sf_session_interventions(ses), spec, sf_session_config(ses));
    gzprintf(rec->w.gz, "data\n");
    return rec;
fail:
    sf_recorder_close(rec, false);
    return NULL;
}

int sf_recorder_grid(void *ctx, const sf_snapshot *s) { return write_frame(&((sf_recorder *)ctx)->w, s); }

int sf_recorder_close(sf_recorder *rec, bool commit)
{
    int rc = SF_OK, closed;

    if (!rec)
        return SF_OK;
    if (rec->w.gz) {
        if (commit)
            write_trailer(&rec->w, sf_session_interventions(rec->ses));
        closed = gzclose(rec->w.gz);
        if (commit && (rec->w.status != SF_OK || closed != Z_OK)) {
            rc = rec->w.status ? rec->w.status : SF_EIO;
            fprintf(rec->err, "%s: cannot write the recording (%s)\n", rec->path, sf_strerror(rc));
        }
    }
    if (commit && rc == SF_OK && rec->o) {
        if (sf_outfile_commit(rec->o) != SF_OK)
            rc = SF_EIO;
    } else {
        sf_outfile_abort(rec->o);
        if (commit && rc == SF_OK)
            rc = SF_EIO;
    }
    free(rec->w.buf);
    sf_snapshot_close(&rec->w.prev);
    free(rec);
    return rc;
}

int sf_record_run(sf_session *ses, const sf_session_spec *spec, const char *path, sf_time every, FILE *err)
{
    sf_live *L = NULL;
    sf_recorder *rec;
    int rc, closed;

    if (!err)
        err = stderr;
    if (!sf_session_world(ses)) {
        fprintf(err, "%s: a recording needs a scenario (a factory model), not a bare Lua model\n", path);
        return SF_EINVAL;
    }
    if (!(L = sf_live_new(ses, every))) {
        fprintf(err, "%s: cannot follow the model (out of memory, or all %d observer places taken)\n", path,
                SF_WORLD_OBSERVERS);
        return SF_ELIMIT;
    }
    if (!(rec = sf_recorder_open(ses, spec, path, every, err))) {
        sf_live_free(L);
        return SF_EIO;
    }
    rc = sf_live_advance(L, sf_session_end(ses), NULL, sf_recorder_grid, rec);
    closed = sf_recorder_close(rec, true);
    sf_live_free(L);
    return closed != SF_OK ? closed : rc;
}

/* ---- reading ----------------------------------------------------------- */

struct sf_replay {
    sf_session *ses;
    char *model;
    char **sets;
    size_t nsets;
    uint64_t seed;
    sf_time every;
    unsigned char *data;
    size_t len;
    size_t *frame;     /* offset of each frame in data */
    sf_time *times;    /* time of each frame */
    size_t nframes;
    sf_snapshot *keys; /* full snapshot at frames 0, 256, 512... */
    sf_snapshot cur;   /* frame `at`, applied */
    size_t at;
    sf_snapshot next;  /* frame at + 1 (for interpolation) */
    sf_interventions *ivs; /* from the trailer (empty for a recording without one) */
    bool until_given;
    sf_time until;
    int reserve; /* agents per fleet entry built out of the plant (view --reserve) */
    sf_intervention *adds; /* agents added before the run ("add" lines), built with the plant */
    char **add_names;      /* the fleet entry each names, checked against the scenario */
    size_t nadds;
};

typedef struct reader {
    const unsigned char *p, *end;
    bool bad;
    bool v3; /* a trailer without the fields of the later kinds */
} reader;

static void get(reader *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

#define GET(r, v) get((r), &(v), sizeof(v))

/* Apply one frame's diff to `s`; false when the frame is malformed. */
static bool apply(reader *r, sf_snapshot *s)
{
    uint8_t alen;
    uint32_t n, i;

    GET(r, s->now);
    GET(r, s->completed);
    GET(r, s->released);
    GET(r, s->failures);
    GET(r, s->flat);
    GET(r, s->power);
    GET(r, s->energy);
    GET(r, alen);
    if (alen != 255) {
        if (alen >= sizeof s->alarm)
            return false;
        get(r, s->alarm, alen);
        s->alarm[alen] = '\0';
    }
#define LIST(count, BODY)                                                                           \
    GET(r, n);                                                                                      \
    for (uint32_t k = 0; k < n && !r->bad; k++) {                                                   \
        GET(r, i);                                                                                  \
        if (i >= (count))                                                                           \
            return false;                                                                           \
        BODY;                                                                                       \
    }
    LIST(s->nagents, {
        sf_snap_agent *a = &s->agents[i];
        GET(r, a->x);
        GET(r, a->y);
        GET(r, a->heading);
        GET(r, a->battery);
        GET(r, a->kind);
        GET(r, a->state);
        GET(r, a->loaded);
        GET(r, a->flat);
    })
    LIST(s->nstations, GET(r, s->station_state[i]))
    LIST(2 * s->nstations, GET(r, s->buffered[i]))
    LIST(s->ncells, GET(r, s->cells[i]))
    LIST(s->nzones, GET(r, s->zone_people[i]))
    LIST(s->nsegments, GET(r, s->congestion[i]))
#undef LIST
    return !r->bad;
}

/* Whether a transport's place is a rack, dock or station of the scenario. */
static bool place_fits(uint32_t place, const sf_scenario_config *cfg)
{
    uint32_t i = place & ~(SF_IV_DOCK | SF_IV_STATION);

    if ((place & SF_IV_DOCK) && (place & SF_IV_STATION))
        return false;
    return place & SF_IV_DOCK ? i < cfg->layout.n_docks : place & SF_IV_STATION ? i < cfg->layout.n_stations : i < cfg->layout.n_racks;
}

/* Whether a recorded intervention names something of the scenario (an agent's name is checked by describe). */
static bool target_fits(const sf_intervention *iv, uint32_t kind, const sf_scenario_config *cfg)
{
    switch (kind) {
    case SF_IV_STOP_STATION:
        return iv->target < cfg->layout.n_stations;
    case SF_IV_CAMERA_DOWN:
        return iv->target < cfg->safety.n_cameras;
    case SF_IV_RUSH_ORDER:
        return iv->target < cfg->n_products && iv->quantity >= 1;
    case SF_IV_ADD_AGENTS:
        return iv->target < cfg->fleet.n_types && iv->quantity >= 1;
    case SF_IV_SPEED:
        return iv->target < cfg->fleet.n_types && iv->speed > 0;
    case SF_IV_TEND:
        return iv->station < cfg->layout.n_stations;
    case SF_IV_BRING:
        return iv->product < cfg->n_products && iv->quantity >= 1 && place_fits(iv->from, cfg) && place_fits(iv->to, cfg);
    case SF_IV_RESERVE:
        return iv->quantity >= 1;
    case SF_IV_SAFETY_MODE:
        return iv->quantity >= SF_SAFETY_FENCED && iv->quantity <= SF_SAFETY_PFL;
    case SF_IV_STOP_AGENT:
    case SF_IV_FENCE:
    case SF_IV_REMOVE_AGENT:
        return true;
    default:
        return false;
    }
}

/* Stops, camera outages, fences, mode switches and tending last a while; other kinds happen at their time. */
static bool lasts(uint32_t kind)
{
    return kind == SF_IV_STOP_STATION || kind == SF_IV_STOP_AGENT || kind == SF_IV_CAMERA_DOWN || kind == SF_IV_FENCE ||
           kind == SF_IV_TEND || kind == SF_IV_SAFETY_MODE;
}

/* The interventions after the frames (write_trailer), each checked against the scenario. */
static bool read_trailer(reader *r, sf_interventions *l, const sf_scenario_config *cfg)
{
    int64_t mark;
    uint32_t n;

    GET(r, mark);
    GET(r, n);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        sf_intervention iv = {0};
        uint32_t kind;
        int32_t q;
        char said[256];
        GET(r, iv.at);
        GET(r, iv.length);
        GET(r, kind);
        GET(r, iv.target);
        GET(r, q);
        if (!r->v3) {
            GET(r, iv.first);
            GET(r, iv.speed);
            GET(r, iv.station);
            GET(r, iv.product);
            GET(r, iv.from);
            GET(r, iv.to);
        }
        iv.kind = (sf_iv_kind)kind;
        iv.quantity = q;
        iv.timed = true;
        if (r->bad || !target_fits(&iv, kind, cfg) || iv.at < 0 || iv.length < 0 || (lasts(kind) && iv.length == 0) ||
            sf_intervention_describe(&iv, cfg, said, sizeof said) <= 0 || strchr(said, '?') ||
            sf_interventions_add(l, &iv) != SF_OK)
            return false;
    }
    return !r->bad && r->p == r->end;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    int got;

    if (!gz)
        return NULL;
    do {
        if (sf_grow(buf, cap, n + 65536) != SF_OK) {
            free(buf);
            gzclose(gz);
            return NULL;
        }
        got = gzread(gz, buf + n, 65536);
        if (got > 0)
            n += (size_t)got;
    } while (got > 0);
    gzclose(gz);
    if (got < 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const char *line_after(const char *p, const char *end, const char *key, char *out, size_t n)
{
    size_t k = strlen(key);
    const char *nl = memchr(p, '\n', (size_t)(end - p));

    if (!nl || (size_t)(nl - p) < k || memcmp(p, key, k) != 0 || (size_t)(nl - p - k) >= n)
        return NULL;
    memcpy(out, p + k, (size_t)(nl - p - k));
    out[nl - p - k] = '\0';
    return nl + 1;
}

/* One "add ENTRY NAME N AT" line of the header (write_adds); false when it does not read as one. */
static bool read_add(sf_replay *r, const char *text)
{
    sf_intervention iv = {.kind = SF_IV_ADD_AGENTS, .timed = true};
    char name[256];
    long long at;
    int used = 0;

    if (sscanf(text, "%u %255s %d %lld%n", &iv.target, name, &iv.quantity, &at, &used) != 4 || text[used] != '\0' ||
        iv.quantity < 1 || at < 0)
        return false;
    iv.at = at;
    sf_intervention *adds = sf_realloc(r->adds, (r->nadds + 1) * sizeof *adds);
    if (!adds)
        return false;
    r->adds = adds;
    r->adds[r->nadds] = iv;
    char **names = sf_realloc(r->add_names, (r->nadds + 1) * sizeof *names);
    if (!names)
        return false;
    r->add_names = names;
    if (!(names[r->nadds] = sf_strdup(name)))
        return false;
    r->nadds++;
    return true;
}

/* Whether the fleet entries the "add" lines name are those of the scenario as loaded, with a message if not. */
static bool adds_fit(const sf_replay *r, const sf_scenario_config *cfg, FILE *err)
{
    for (size_t i = 0; i < r->nadds; i++)
        if (strcmp(cfg->fleet.types[r->adds[i].target].name, r->add_names[i]) != 0) {
            fprintf(err, "%s: the recording adds %s, which is not the scenario's fleet entry %u\n", r->model,
                    r->add_names[i], r->adds[i].target);
            return false;
        }
    return true;
}

sf_replay *sf_replay_open(const char *path, FILE *err)
{
    sf_replay *r = sf_calloc(1, sizeof *r);
    sf_session_spec spec = {0};
    char text[4200];
    const char *p, *end;
    reader rd;
    int status;
    size_t fcap = 0, tcap = 0;
    sf_snapshot work = {0};

    if (!err)
        err = stderr;
    if (!r)
        goto fail;
    if (!(r->data = slurp(path, &r->len))) {
        fprintf(err, "%s: cannot read the recording: %s\n", path, errno ? strerror(errno) : "bad data");
        goto fail;
    }
    p = (const char *)r->data;
    end = p + r->len;
    if (r->len < strlen(MAGIC) || (memcmp(p, MAGIC, strlen(MAGIC)) != 0 && memcmp(p, MAGIC_V3, strlen(MAGIC)) != 0 &&
                                   memcmp(p, MAGIC_V2, strlen(MAGIC)) != 0)) {
        fprintf(err, "%s: not a shopfloor recording (shopfloor run SCENARIO --record FILE writes one)\n", path);
        goto fail;
    }
    rd.v3 = memcmp(p, MAGIC_V3, strlen(MAGIC)) == 0;
    p += strlen(MAGIC);
    if (!(p = line_after(p, end, "model ", text, sizeof text)) || !(r->model = sf_strdup(text)))
        goto bad;
    if (!(p = line_after(p, end, "seed ", text, sizeof text)))
        goto bad;
    r->seed = strtoull(text, NULL, 10);
    if (!(p = line_after(p, end, "every ", text, sizeof text)))
        goto bad;
    r->every = strtoll(text, NULL, 10);
    while (line_after(p, end, "set ", text, sizeof text)) {
        char **s = sf_realloc(r->sets, (r->nsets + 1) * sizeof *s);
        if (!s)
            goto fail;
        r->sets = s;
        if (!(r->sets[r->nsets] = sf_strdup(text)))
            goto fail;
        r->nsets++;
        p = line_after(p, end, "set ", text, sizeof text);
    }
    if (line_after(p, end, "until ", text, sizeof text)) {
        r->until_given = true;
        r->until = strtoll(text, NULL, 10);
        p = line_after(p, end, "until ", text, sizeof text);
    }
    if (line_after(p, end, "reserve ", text, sizeof text)) {
        r->reserve = atoi(text);
        p = line_after(p, end, "reserve ", text, sizeof text);
    }
    while (line_after(p, end, "add ", text, sizeof text)) {
        if (!read_add(r, text))
            goto bad;
        p = line_after(p, end, "add ", text, sizeof text);
    }
    if (!(p = line_after(p, end, "data", text, sizeof text)) || r->every <= 0 || !(r->ivs = sf_interventions_new()))
        goto bad;

    spec.model = r->model;
    spec.sets = (const char *const *)r->sets;
    spec.nsets = r->nsets;
    spec.seed_given = true;
    spec.seed = r->seed;
    spec.reserve = r->reserve;
    spec.build = r->adds;
    spec.nbuild = r->nadds;
    spec.err = err;
    if (!(r->ses = sf_session_new(&spec, &status)) || !adds_fit(r, sf_session_config(r->ses), err)) {
        fprintf(err, "%s: the scenario it was recorded from, %s, cannot be loaded\n", path, r->model);
        goto fail;
    }
    if (!sf_session_world(r->ses) || sf_snapshot_init(&work, sf_session_config(r->ses)) != SF_OK ||
        sf_snapshot_init(&r->cur, sf_session_config(r->ses)) != SF_OK ||
        sf_snapshot_init(&r->next, sf_session_config(r->ses)) != SF_OK)
        goto fail;

    /* index the frames, keeping a full snapshot every KEY_EVERY */
    rd.p = (const unsigned char *)p;
    rd.end = r->data + r->len;
    rd.bad = false;
    while (rd.p < rd.end) {
        int64_t mark;
        if ((size_t)(rd.end - rd.p) >= sizeof mark && (memcpy(&mark, rd.p, sizeof mark), mark == TRAILER)) {
            if (!read_trailer(&rd, r->ivs, sf_session_config(r->ses))) {
                fprintf(err, "%s: the recording's list of interventions is damaged\n", path);
                goto fail;
            }
            break;
        }
        if (sf_grow(r->frame, fcap, r->nframes + 1) != SF_OK || sf_grow(r->times, tcap, r->nframes + 1) != SF_OK)
            goto fail;
        r->frame[r->nframes] = (size_t)(rd.p - r->data);
        if (!apply(&rd, &work)) {
            fprintf(err, "%s: the recording is damaged or was made from a different scenario (frame %zu)\n", path,
                    r->nframes);
            goto fail;
        }
        r->times[r->nframes] = work.now;
        if (r->nframes % KEY_EVERY == 0) {
            size_t k = r->nframes / KEY_EVERY;
            sf_snapshot *ks = sf_realloc(r->keys, (k + 1) * sizeof *ks);
            if (!ks)
                goto fail;
            r->keys = ks;
            if (sf_snapshot_init(&r->keys[k], sf_session_config(r->ses)) != SF_OK)
                goto fail;
            sf_snapshot_copy(&r->keys[k], &work);
        }
        r->nframes++;
    }
    if (r->nframes == 0)
        goto bad;
    sf_snapshot_copy(&r->cur, &r->keys[0]);
    r->at = 0;
    sf_snapshot_close(&work);
    return r;
bad:
    fprintf(err, "%s: the recording's header is damaged\n", path);
fail:
    sf_snapshot_close(&work);
    sf_replay_free(r);
    return NULL;
}

void sf_replay_free(sf_replay *r)
{
    if (!r)
        return;
    for (size_t k = 0; r->keys && k * KEY_EVERY < r->nframes; k++)
        sf_snapshot_close(&r->keys[k]);
    free(r->keys);
    sf_snapshot_close(&r->cur);
    sf_snapshot_close(&r->next);
    for (size_t i = 0; i < r->nsets; i++)
        free(r->sets[i]);
    free(r->sets);
    for (size_t i = 0; i < r->nadds; i++)
        free(r->add_names[i]);
    free(r->add_names);
    free(r->adds);
    free(r->model);
    free(r->frame);
    free(r->times);
    free(r->data);
    sf_interventions_free(r->ivs);
    sf_session_free(r->ses);
    free(r);
}

sf_session *sf_replay_session(sf_replay *r) { return r->ses; }
const sf_scenario_config *sf_replay_config(const sf_replay *r) { return sf_session_config(r->ses); }
sf_time sf_replay_every(const sf_replay *r) { return r->every; }
const sf_interventions *sf_replay_interventions(const sf_replay *r) { return r->ivs; }
sf_time sf_replay_end(const sf_replay *r) { return r->times[r->nframes - 1]; }

/* Bring `cur` to frame f: forward from where it is, or from the key frame before f. */
static void seek(sf_replay *r, size_t f)
{
    if (f < r->at || f - r->at > KEY_EVERY) {
        sf_snapshot_copy(&r->cur, &r->keys[f / KEY_EVERY]);
        r->at = f / KEY_EVERY * KEY_EVERY;
    }
    while (r->at < f) {
        reader rd = {.p = r->data + r->frame[r->at + 1], .end = r->data + r->len};
        apply(&rd, &r->cur);
        r->at++;
    }
}

int sf_replay_snapshot(sf_replay *r, sf_time t, sf_snapshot *out)
{
    size_t lo = 0, hi = r->nframes - 1;

    /* the last frame at or before t */
    if (t <= r->times[0])
        hi = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (r->times[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    seek(r, lo);
    sf_snapshot_copy(out, &r->cur);
    if (lo + 1 < r->nframes && t > r->times[lo]) {
        reader rd = {.p = r->data + r->frame[lo + 1], .end = r->data + r->len};
        double f = (double)(t - r->times[lo]) / (double)(r->times[lo + 1] - r->times[lo]);
        sf_snapshot_copy(&r->next, &r->cur);
        apply(&rd, &r->next);
        for (uint32_t i = 0; i < out->nagents; i++) {
            sf_snap_agent *a = &out->agents[i];
            const sf_snap_agent *b = &r->next.agents[i];
            a->x = (float)(a->x + (b->x - a->x) * f);
            a->y = (float)(a->y + (b->y - a->y) * f);
            if (a->battery >= 0 && b->battery >= 0)
                a->battery = (float)(a->battery + (b->battery - a->battery) * f);
        }
        out->now = t;
    }
    return SF_OK;
}
