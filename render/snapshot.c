/*
 * snapshot.c: filling a snapshot from a running session.
 *
 * The live source attaches one observer to the world: it counts jobs,
 * keeps each entity's grid power (and integrates it into energy exactly,
 * power being constant between calls) and the state of every station.
 * Everything else (positions, batteries, rack cells, people in zones,
 * congestion) is read from the model's arrays when a snapshot is taken.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "model/calendar.h"
#include "model/stations.h"
#include "model/world.h"
#include "render/snapshot.h"

/* ---- snapshot arrays --------------------------------------------------- */

size_t sf_snapshot_rack_cells(const sf_cfg_rack *r)
{
    return (size_t)r->bays * (size_t)r->levels * (size_t)(r->depth > 0 ? r->depth : 1);
}

int sf_snapshot_init(sf_snapshot *s, const sf_scenario_config *cfg)
{
    const sf_cfg_layout *L = &cfg->layout;
    size_t cells = 0, agents = 0;

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < L->n_racks; i++)
        cells += sf_snapshot_rack_cells(&L->racks[i]);
    for (size_t t = 0; t < cfg->fleet.n_types; t++)
        agents += (size_t)cfg->fleet.types[t].count;
    s->nagents = (uint32_t)agents;
    s->nstations = (uint32_t)L->n_stations;
    s->ncells = (uint32_t)cells;
    s->nzones = (uint32_t)L->n_zones;
    s->nsegments = (uint32_t)L->n_segments;
    s->agents = sf_calloc(agents + 1, sizeof *s->agents);
    s->station_state = sf_calloc(L->n_stations + 1, 1);
    s->buffered = sf_calloc(2 * L->n_stations + 1, sizeof *s->buffered);
    s->cells = sf_calloc(cells + 1, 1);
    s->zone_people = sf_calloc(L->n_zones + 1, sizeof *s->zone_people);
    s->congestion = sf_calloc(L->n_segments + 1, sizeof *s->congestion);
    if (!s->agents || !s->station_state || !s->buffered || !s->cells || !s->zone_people || !s->congestion) {
        sf_snapshot_close(s);
        return SF_ENOMEM;
    }
    memset(s->station_state, SF_STATE_IDLE, L->n_stations);
    return SF_OK;
}

void sf_snapshot_close(sf_snapshot *s)
{
    free(s->agents);
    free(s->station_state);
    free(s->buffered);
    free(s->cells);
    free(s->zone_people);
    free(s->congestion);
    memset(s, 0, sizeof *s);
}

void sf_snapshot_copy(sf_snapshot *to, const sf_snapshot *from)
{
    sf_snap_agent *a = to->agents;
    uint8_t *st = to->station_state, *c = to->cells;
    uint16_t *bu = to->buffered;
    uint16_t *z = to->zone_people;
    float *g = to->congestion;

    memcpy(a, from->agents, from->nagents * sizeof *a);
    memcpy(st, from->station_state, from->nstations);
    memcpy(bu, from->buffered, 2 * (size_t)from->nstations * sizeof *bu);
    memcpy(c, from->cells, from->ncells);
    memcpy(z, from->zone_people, from->nzones * sizeof *z);
    memcpy(g, from->congestion, from->nsegments * sizeof *g);
    *to = *from;
    to->agents = a;
    to->station_state = st;
    to->buffered = bu;
    to->cells = c;
    to->zone_people = z;
    to->congestion = g;
}

void sf_snapshot_turn(sf_snapshot *next, const sf_snapshot *prev)
{
    for (uint32_t i = 0; i < next->nagents; i++) {
        sf_snap_agent *a = &next->agents[i];
        const sf_snap_agent *p = &prev->agents[i];
        float dx = a->x - p->x, dy = a->y - p->y;
        a->heading = p->heading;
        if (dx * dx + dy * dy > 1e-6f)
            a->heading = atan2f(dy, dx);
    }
}

/* ---- the live source --------------------------------------------------- */

struct sf_live {
    sf_session *ses;
    sf_world *w;
    const sf_scenario_config *cfg;
    sf_time every, next_grid, stopped;
    sf_snapshot grid; /* the last grid point */
    bool have_grid;
    void *block;                 /* agent_w, station_w, packs_of, arm_xy, arm_heading */
    double *agent_w, *station_w; /* grid draw now, W */
    double packs_w;              /* spare battery packs charging, all fleet entries */
    double *packs_of;            /* per fleet entry */
    double energy;               /* J up to `energy_at` */
    sf_time energy_at;
    uint64_t completed, released;
    uint32_t flat_seen;
    float *arm_xy; /* where each arm stands (x, y), NAN for mobile agents */
    float *arm_heading;
    char alarm[160];
};

/* The plant's grid power now; the base load by its schedule (occupancy loads are the metrics' only). */
static double total_power(const sf_live *L, sf_time now)
{
    double p = sf_calendar_base_load(L->cfg, now, NULL);
    for (uint32_t i = 0; i < L->grid.nagents; i++)
        p += L->agent_w[i];
    for (uint32_t i = 0; i < L->grid.nstations; i++)
        p += L->station_w[i];
    p += L->packs_w;
    return p;
}

static void integrate(sf_live *L, sf_time now)
{
    if (now > L->energy_at) {
        L->energy += total_power(L, L->energy_at) * sf_time_to_seconds(now - L->energy_at);
        L->energy_at = now;
    }
}

/* The plant's clock at t (from the scenario's start time of day), as the HUD shows it. */
static void clock_text(const sf_live *L, sf_time t, char *buf, size_t n)
{
    long long s = (long long)((t + L->cfg->scenario.start_time_of_day) / SF_SECOND);
    snprintf(buf, n, "day %lld %02lld:%02lld:%02lld", s / 86400 + 1, s / 3600 % 24, s / 60 % 60, s % 60);
}

static void on_state(void *ctx, sf_entity e, uint32_t id, sf_state s, sf_time now)
{
    sf_live *L = ctx;
    char when[40];

    if (e == SF_ENTITY_STATION && id < L->grid.nstations)
        L->grid.station_state[id] = (uint8_t)s;
    if (s == SF_STATE_FAILED) {
        const char *name = e == SF_ENTITY_STATION ? (id < L->cfg->layout.n_stations ? L->cfg->layout.stations[id].name : "?")
                                                  : sf_world_agent(L->w, id)->name;
        clock_text(L, now, when, sizeof when);
        snprintf(L->alarm, sizeof L->alarm, "%s failed (%s)", name, when);
    }
}

static void on_power(void *ctx, sf_entity e, uint32_t id, sf_power_state s, double watts, sf_time now)
{
    sf_live *L = ctx;

    (void)s;
    integrate(L, now);
    if (e == SF_ENTITY_AGENT && id < L->grid.nagents)
        L->agent_w[id] = watts;
    else if (e == SF_ENTITY_STATION && id < L->grid.nstations)
        L->station_w[id] = watts;
    else if (e == SF_ENTITY_PACKS && id < L->cfg->fleet.n_types) {
        L->packs_w += watts - L->packs_of[id];
        L->packs_of[id] = watts;
    }
}

static void on_job(void *ctx, const sf_job_event *ev)
{
    sf_live *L = ctx;

    if (ev->what == SF_JOB_COMPLETED)
        L->completed++;
    else if (ev->what == SF_JOB_RELEASED)
        L->released++;
}

/* Arms stand beside their station, side by side; mobile agents get NAN. */
static int place_arms(sf_live *L)
{
    const sf_scenario_config *cfg = L->cfg;
    uint32_t id = 0;
    int *at_station = sf_calloc(cfg->layout.n_stations + 1, sizeof *at_station);

    if (!at_station)
        return SF_ENOMEM;
    for (size_t t = 0; t < cfg->fleet.n_types; t++) {
        const sf_cfg_agent_type *T = &cfg->fleet.types[t];
        for (int c = 0; c < T->count; c++, id++) {
            L->arm_xy[2 * id] = L->arm_xy[2 * id + 1] = NAN;
            L->arm_heading[id] = 0;
            if (T->kind != SF_AGENT_ARM)
                continue;
            double x = 0, y = 0;
            int j = 0;
            if (T->home_station >= 0 && (size_t)T->home_station < cfg->layout.n_stations) {
                const sf_cfg_node *n = &cfg->layout.nodes[cfg->layout.stations[T->home_station].node];
                j = at_station[T->home_station]++;
                x = n->x;
                y = n->y;
            }
            /* 1.8 m beside the station, further arms 1.6 m apart along it */
            L->arm_xy[2 * id] = (float)(x - 0.8 * (j % 2 ? -1 : 1) * (1 + j / 2));
            L->arm_xy[2 * id + 1] = (float)(y + 1.8);
            L->arm_heading[id] = atan2f((float)y - L->arm_xy[2 * id + 1], (float)x - L->arm_xy[2 * id]);
        }
    }
    free(at_station);
    return SF_OK;
}

sf_live *sf_live_new(sf_session *ses, sf_time every)
{
    sf_live *L = sf_calloc(1, sizeof *L);
    sf_observer o = {on_state, on_power, on_job, NULL, NULL, NULL, NULL};

    if (!L || !sf_session_world(ses) || every <= 0)
        goto fail;
    L->ses = ses;
    L->w = sf_session_world(ses);
    L->cfg = sf_session_config(ses);
    L->every = every;
    L->stopped = SF_TIME_MAX;
    if (sf_snapshot_init(&L->grid, L->cfg) != SF_OK)
        goto fail;
    L->block = SF_PARTS(SF_PART(L->agent_w, L->grid.nagents), SF_PART(L->station_w, L->grid.nstations),
                        SF_PART(L->packs_of, L->cfg->fleet.n_types), SF_PART(L->arm_xy, 2 * (size_t)L->grid.nagents),
                        SF_PART(L->arm_heading, L->grid.nagents));
    if (!L->block || place_arms(L) != SF_OK)
        goto fail;
    /* the draw of every agent now: what the world set before we were attached */
    for (uint32_t i = 0; i < L->grid.nagents && i < sf_world_agent_count(L->w); i++) {
        const sf_meter *m = &sf_world_agent(L->w, i)->meter;
        if (m->capacity > 0)
            L->agent_w[i] = sf_meter_draw(m);
        else
            L->agent_w[i] = m->power[m->state];
        L->grid.agents[i].heading = L->arm_heading[i];
    }
    L->energy_at = sf_kernel_now(sf_session_kernel(ses));
    o.ctx = L;
    if (sf_world_observe(L->w, &o) != SF_OK)
        goto fail;
    return L;
fail:
    sf_live_free(L);
    return NULL;
}

void sf_live_free(sf_live *L)
{
    if (!L)
        return;
    sf_snapshot_close(&L->grid);
    free(L->block);
    free(L);
}

sf_time sf_live_every(const sf_live *L) { return L->every; }
sf_session *sf_live_session(sf_live *L) { return L->ses; }

/*
 * Read the model at time t (the session has run to t) into `s`, keeping
 * the headings already in it. O(agents + cells + segments); with `light`
 * only the agents, O(agents) (grid points nobody but the headings needs).
 */
static void capture(sf_live *L, sf_time t, sf_snapshot *s, bool light)
{
    sf_movers *ms = sf_world_movers(L->w);
    sf_storage *st = sf_world_storage(L->w);
    const sf_cfg_layout *lay = &L->cfg->layout;
    uint32_t failures = 0, flat = 0, first_flat = UINT32_MAX;
    size_t c = 0;

    s->now = t;
    for (uint32_t i = 0; i < s->nagents; i++) {
        sf_agent *a = sf_world_agent(L->w, i);
        sf_snap_agent *g = &s->agents[i];
        double x, y;
        if (a->mover != SF_NO_AGENT) {
            sf_movers_position(ms, a->mover, t, &x, &y, NULL);
            g->x = (float)x;
            g->y = (float)y;
        } else {
            g->x = L->arm_xy[2 * i];
            g->y = L->arm_xy[2 * i + 1];
        }
        g->kind = (uint8_t)a->kind;
        g->state = (uint8_t)a->state;
        g->loaded = a->loaded;
        g->flat = a->meter.flat;
        g->battery = a->meter.capacity > 0 ? (float)(sf_meter_charge_at(&a->meter, t) / a->meter.capacity) : -1.0f;
        failures += a->state == SF_STATE_FAILED;
        if (a->meter.flat) {
            flat++;
            if (first_flat == UINT32_MAX)
                first_flat = i;
        }
    }
    if (light)
        return;
    memcpy(s->station_state, L->grid.station_state, s->nstations);
    if (sf_world_stations(L->w) && sf_stations_count(sf_world_stations(L->w)) == s->nstations)
        for (uint32_t i = 0; i < s->nstations; i++) {
            const sf_stations *ss = sf_world_stations(L->w);
            uint32_t in = sf_stations_buffered(ss, i, false), out = sf_stations_buffered(ss, i, true);
            s->buffered[2 * i] = (uint16_t)(in > 65535 ? 65535 : in);
            s->buffered[2 * i + 1] = (uint16_t)(out > 65535 ? 65535 : out);
        }
    for (uint32_t i = 0; i < s->nstations; i++)
        failures += s->station_state[i] == SF_STATE_FAILED;
    for (size_t r = 0; r < lay->n_racks; r++) {
        const sf_cfg_rack *R = &lay->racks[r];
        int depth = R->depth > 0 ? R->depth : 1;
        for (int b = 0; b < R->bays; b++)
            for (int l = 0; l < R->levels; l++)
                for (int d = 0; d < depth; d++) {
                    sf_cell_ref ref = {(uint32_t)r, (uint32_t)b, (uint32_t)l, (uint32_t)d};
                    sf_cell_state cs = sf_storage_cell(st, &ref, NULL);
                    s->cells[c++] = cs == SF_CELL_FULL || cs == SF_CELL_RESERVED_OUT;
                }
    }
    for (uint32_t z = 0; z < s->nzones; z++) {
        int n = sf_movers_zone_people(ms, z);
        s->zone_people[z] = (uint16_t)(n < 0 ? 0 : n > 65535 ? 65535 : n);
    }
    for (uint32_t g = 0; g < s->nsegments; g++)
        s->congestion[g] = (float)sf_traffic_congestion(sf_movers_traffic(ms), g, t);
    /* not integrate(L, t): a sum split at the times a window happens to show would round differently from
       one split only at the model's own power changes, and the recording of a live window must equal the
       headless one to the byte */
    s->completed = L->completed;
    s->released = L->released;
    s->failures = failures;
    s->flat = flat;
    s->power = (float)total_power(L, t);
    s->energy = L->energy + (t > L->energy_at ? total_power(L, L->energy_at) * sf_time_to_seconds(t - L->energy_at) : 0);
    if (flat > L->flat_seen && first_flat != UINT32_MAX) {
        char when[40];
        clock_text(L, t, when, sizeof when);
        snprintf(L->alarm, sizeof L->alarm, "%s battery flat (%s)", sf_world_agent(L->w, first_flat)->name, when);
    }
    L->flat_seen = flat;
    if (sf_session_error(L->ses)[0])
        snprintf(L->alarm, sizeof L->alarm, "%s", sf_session_error(L->ses));
    memcpy(s->alarm, L->alarm, sizeof s->alarm);
}

int sf_live_advance(sf_live *L, sf_time t, sf_snapshot *out, int (*grid)(void *ctx, const sf_snapshot *s), void *ctx)
{
    sf_time end = sf_session_end(L->ses);
    int rc = SF_OK;

    if (t > end)
        t = end;
    if (t > L->stopped)
        t = L->stopped;
    while (L->next_grid <= t) {
        sf_time g = L->next_grid;
        rc = sf_session_advance(L->ses, g);
        if (rc != SF_OK) {
            L->stopped = sf_kernel_now(sf_session_kernel(L->ses));
            t = g = L->stopped;
        }
        {
            sf_snapshot *s = &L->grid;
            sf_snap_agent *keep = sf_malloc(s->nagents * sizeof *keep + 1);
            if (!keep)
                return SF_ENOMEM;
            memcpy(keep, s->agents, s->nagents * sizeof *keep);
            /* without a recorder, only the headings need the grid points: the agents suffice */
            capture(L, g, s, grid == NULL);
            /* turn from the grid point before (kept in `keep`) */
            sf_snapshot prev = *s;
            prev.agents = keep;
            if (L->have_grid)
                sf_snapshot_turn(s, &prev);
            free(keep);
        }
        L->have_grid = true;
        if (grid) {
            int wr = grid(ctx, &L->grid);
            if (wr != SF_OK)
                return wr;
        }
        if (rc != SF_OK) {
            L->next_grid = SF_TIME_MAX;
            break;
        }
        if (g == end) {
            L->next_grid = SF_TIME_MAX;
            break;
        }
        L->next_grid = g + L->every > end ? end : g + L->every;
    }
    if (rc == SF_OK)
        rc = sf_session_advance(L->ses, t);
    if (!out)
        return rc;
    sf_snapshot_copy(out, &L->grid);
    capture(L, out->now > t ? out->now : t, out, false); /* headings stay those of the last grid point */
    return rc == SF_OK ? (sf_session_error(L->ses)[0] ? SF_ESCRIPT : SF_OK) : rc;
}
