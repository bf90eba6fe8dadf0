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
#include "model/world.h"
#include "render/record.h"
#include "report/outfile.h"

#define MAGIC "SFREC2\n"
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
 * zlib writes into a duplicate of the atomic writer's descriptor
 * (gzclose closes only that one); the commit then syncs, closes and
 * renames the file like every other output.
 */
int sf_record_run(sf_session *ses, const sf_session_spec *spec, const char *path, sf_time every, FILE *err)
{
    writer w = {0};
    sf_live *L = NULL;
    sf_outfile *o = NULL;
    int rc = SF_ENOMEM, closed, fd;

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
    if (sf_snapshot_init(&w.prev, sf_session_config(ses)) != SF_OK)
        goto fail;
    if (!(o = sf_outfile_open(path))) {
        rc = SF_EIO;
        goto fail;
    }
    if ((fd = dup(fileno(o->f))) < 0 || !(w.gz = gzdopen(fd, "wb6"))) {
        fprintf(err, "%s: cannot write: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        rc = SF_EIO;
        goto fail;
    }
    gzprintf(w.gz, "%smodel %s\nseed %llu\nevery %lld\n", MAGIC, spec->model,
             (unsigned long long)sf_session_seed(ses), (long long)every);
    for (size_t i = 0; i < spec->nsets; i++)
        gzprintf(w.gz, "set %s\n", spec->sets[i]);
    gzprintf(w.gz, "data\n");
    rc = sf_live_advance(L, sf_session_end(ses), NULL, write_frame, &w);
    closed = gzclose(w.gz);
    w.gz = NULL;
    if (w.status != SF_OK || closed != Z_OK) {
        fprintf(err, "%s: cannot write the recording (%s)\n", path, sf_strerror(w.status ? w.status : SF_EIO));
        rc = w.status ? w.status : SF_EIO;
        goto fail;
    }
    if (sf_outfile_commit(o) != SF_OK)
        rc = SF_EIO;
    o = NULL;
fail:
    if (w.gz)
        gzclose(w.gz);
    sf_outfile_abort(o);
    free(w.buf);
    sf_snapshot_close(&w.prev);
    sf_live_free(L);
    return rc;
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
};

typedef struct reader {
    const unsigned char *p, *end;
    bool bad;
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
    if (r->len < strlen(MAGIC) || memcmp(p, MAGIC, strlen(MAGIC)) != 0) {
        fprintf(err, "%s: not a shopfloor recording (shopfloor run SCENARIO --record FILE writes one)\n", path);
        goto fail;
    }
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
    if (!(p = line_after(p, end, "data", text, sizeof text)) || r->every <= 0)
        goto bad;

    spec.model = r->model;
    spec.sets = (const char *const *)r->sets;
    spec.nsets = r->nsets;
    spec.seed_given = true;
    spec.seed = r->seed;
    spec.err = err;
    if (!(r->ses = sf_session_new(&spec, &status))) {
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
    free(r->model);
    free(r->frame);
    free(r->times);
    free(r->data);
    sf_session_free(r->ses);
    free(r);
}

sf_session *sf_replay_session(sf_replay *r) { return r->ses; }
const sf_scenario_config *sf_replay_config(const sf_replay *r) { return sf_session_config(r->ses); }
sf_time sf_replay_every(const sf_replay *r) { return r->every; }
sf_time sf_replay_end(const sf_replay *r) { return r->times[r->nframes - 1]; }

/* Bring `cur` to frame f: forward from where it is, or from the key frame before f. */
static void seek(sf_replay *r, size_t f)
{
    if (f < r->at || f - r->at > KEY_EVERY) {
        sf_snapshot_copy(&r->cur, &r->keys[f / KEY_EVERY]);
        r->at = f / KEY_EVERY * KEY_EVERY;
    }
    while (r->at < f) {
        reader rd = {r->data + r->frame[r->at + 1], r->data + r->len, false};
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
        reader rd = {r->data + r->frame[lo + 1], r->data + r->len, false};
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
