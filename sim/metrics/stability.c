/*
 * stability.c: does the plant keep up with what it is asked, over the
 * measured window? Apart from the warm-up: MSER-5 says where the start-up
 * transient ends; these tests say whether there is a steady state at all.
 *
 * The time-series steps after the warm-up are cut into BATCHES batches of
 * equal length (the first steps that do not fill a batch are left out),
 * and on the batch means:
 *
 *   - release vs departure: per batch, units released minus units that
 *     left (completed or scrapped), per hour; unstable when the lower end
 *     of its 99 % confidence interval (Student t, BATCHES - 1 degrees of
 *     freedom) is above zero: units arrive faster than they leave;
 *   - WIP trend, the pallet stock's and that of the pallets waiting to be
 *     stored or shipped (a full rack, order lines without stock): least-squares slope of the batch
 *     means over the batch index, with its t statistic (BATCHES - 2
 *     degrees of freedom); unstable when t > the one-sided 99.5 % quantile
 *     and the fitted growth over the window is at least 2 units and half
 *     the first batch's mean;
 *   - orders that end before the run: a stored good whose pallets keep
 *     arriving to the end while its last order comes before it;
 *   - racks full: no free cell in the storage while a pallet received
 *     has no cell reserved (it waits for space), for RACK_SHARE of the
 *     measured window or more, or without a break over its last
 *     RACK_END; followed at every observer call (a job event or a state
 *     change), so a cell freed by a retrieval counts from the next one;
 *   - a station buffer full: a station's input buffer holds or expects
 *     (places reserved for booked moves) as many units as it has places
 *     while a station that feeds it (the one before it in a product's
 *     routing) is blocked, a finished unit with nowhere to go; the same
 *     RACK_SHARE and RACK_END, followed the same way, one finding a station.
 *
 * Batch means make the tests robust to the autocorrelation of a queue;
 * 99 % keeps false alarms of a stable plant near one run in a hundred.
 */
#include <math.h>
#include <stdio.h>

#include "metrics/metrics_internal.h"
#include "model/stations.h"
#include "model/storage.h"
#include "model/world.h"

#define BATCHES 10
#define T99_9 3.2498  /* Student t, 0.995 quantile, 9 degrees of freedom (two-sided 99 %) */
#define T995_8 3.3554 /* Student t, 0.995 quantile, 8 degrees of freedom */
#define RACK_SHARE 0.25 /* of the measured window full with pallets waiting for space */
#define RACK_END 0.10   /* the last tenth of the window full without a break */

typedef struct batch {
    double released, departed, wip, stock, pending; /* per hour (flows) and time-averages (levels) */
} batch;

/* Batch means over the full steps after the warm-up; false when there are too few steps. */
static bool batches(const sf_metrics *m, batch *b, double *hours_per_batch)
{
    const sf_metrics_sample *v = m->smp;
    size_t first = 0, n, per;
    sf_time from = sf_metrics_from(m);

    while (first < m->nsmp && v[first].t < from)
        first++;
    n = m->nsmp - first;
    if (n < BATCHES)
        return false;
    per = n / BATCHES;
    first += n - per * BATCHES;
    *hours_per_batch = secs(m->step) * (double)per / SF_SECONDS_PER_HOUR;
    for (size_t i = 0; i < BATCHES; i++) {
        batch s = {0};
        for (size_t j = 0; j < per; j++) {
            const sf_metrics_sample *x = &v[first + i * per + j];
            s.released += x->released;
            s.departed += x->departed;
            s.wip += x->wip;
            s.stock += x->stock;
            s.pending += x->pending;
        }
        b[i] = (batch){s.released / *hours_per_batch, s.departed / *hours_per_batch, s.wip / (double)per,
                       s.stock / (double)per, s.pending / (double)per};
    }
    return true;
}

/* Least-squares slope of y over 0..BATCHES-1 and its t statistic (0 when the fit is exact and flat). */
static double slope(const double *y, double *t)
{
    double xm = (BATCHES - 1) / 2.0, ym = 0, sxx = 0, sxy = 0, sse = 0, b, a;

    for (int i = 0; i < BATCHES; i++)
        ym += y[i] / BATCHES;
    for (int i = 0; i < BATCHES; i++) {
        sxx += (i - xm) * (i - xm);
        sxy += (i - xm) * (y[i] - ym);
    }
    b = sxy / sxx;
    a = ym - b * xm;
    for (int i = 0; i < BATCHES; i++)
        sse += (y[i] - a - b * i) * (y[i] - a - b * i);
    *t = sse > 0 ? b / sqrt(sse / (BATCHES - 2) / sxx) : b > 0 ? INFINITY : 0;
    return b;
}

/* A level that grows: significant slope, and a growth that matters. */
static bool grows(const double *y, double *growth)
{
    double t, b = slope(y, &t);

    *growth = b * (BATCHES - 1);
    return t > T995_8 && *growth >= 2 && *growth >= 0.5 * y[0];
}

/* "<what> grow(s) by ..." as a finding. */
static void say_growth(char (*out)[SF_FINDING_LEN], size_t max, size_t *n, const char *what, double growth, const double *y)
{
    if (*n < max)
        snprintf(out[*n], SF_FINDING_LEN, "%s by %.3g over the measured window (batch means %.3g to %.3g)", what, growth,
                 y[0], y[BATCHES - 1]);
    (*n)++;
}

/* Does a station of group `from` feed one of group `to`: is `to` the next operation's after `from` in a routing? */
static bool feeds(const sf_scenario_config *cfg, int from, int to)
{
    for (size_t p = 0; p < cfg->n_products; p++)
        for (size_t k = 0; k + 1 < cfg->products[p].n_ops; k++)
            if (cfg->products[p].ops[k].group == from && cfg->products[p].ops[k + 1].group == to)
                return true;
    return false;
}

/* Station i's input buffer full (held or reserved) while a station that feeds it is blocked. */
static bool buffer_full(const sf_metrics *m, sf_stations *s, size_t i)
{
    const sf_cfg_station *cs = m->cfg->layout.stations;
    uint32_t places = (uint32_t)cs[i].buffer_in;

    if (places == 0 || sf_stations_buffered(s, (uint32_t)i, false) + sf_stations_incoming(s, (uint32_t)i) < places)
        return false;
    for (size_t t = 0; t < m->ns; t++)
        if (m->e[m->na + t].state == SF_STATE_BLOCKED && feeds(m->cfg, cs[t].group_index, cs[i].group_index))
            return true;
    return false;
}

/* Close [prev, now) for every station with an input buffer and look again. */
static void buffers_follow(sf_metrics *m, sf_time prev, sf_time now)
{
    sf_stations *s = m->w ? sf_world_stations(m->w) : NULL;

    for (size_t i = 0; s && i < m->ns && i < m->cfg->layout.n_stations; i++) {
        ent *x = &m->e[m->na + i];
        bool full;
        if (x->buf_full)
            x->buf_full_time += sf__metrics_after_warmup(m, prev, now);
        full = buffer_full(m, s, i);
        if (full && !x->buf_full)
            x->buf_spell = now;
        x->buf_full = full;
    }
}

void sf__metrics_rack_follow(sf_metrics *m, sf_time now)
{
    sf_storage *st = m->w ? sf_world_storage(m->w) : NULL;
    uint64_t cells = st ? sf_storage_cells(st) : 0, incoming = st ? sf_storage_incoming(st) : 0;
    bool full;

    buffers_follow(m, m->rack_since, now);
    if (m->rack_full)
        m->rack_full_time += sf__metrics_after_warmup(m, m->rack_since, now);
    m->rack_since = now;
    full = cells > 0 && sf_storage_full(st) + incoming >= cells && m->to_store > incoming;
    if (full && !m->rack_full)
        m->rack_spell = now;
    m->rack_full = full;
    m->rack_cells = cells;
    m->rack_waiting = full ? m->to_store - incoming : 0;
}

/*
 * A condition followed over the run (full for `time` s after the warm-up, `full` now since `spell`)
 * that held for RACK_SHARE of the measured window or more, or without a break over its last RACK_END;
 * *share its share of the window.
 */
static bool long_spell(const sf_metrics *m, double time, bool full, sf_time spell, double *share)
{
    sf_time from = sf_metrics_from(m);
    double window = m->last > from ? secs(m->last - from) : 0;
    bool at_end = full && window > 0 && secs(m->last - (spell > from ? spell : from)) >= RACK_END * window;

    *share = window > 0 ? time / window : 0;
    return *share >= RACK_SHARE || at_end;
}

/* The racks full with pallets waiting for space for a long share of the window, or over its end. */
static void rack_finding(const sf_metrics *m, char (*out)[SF_FINDING_LEN], size_t max, size_t *n)
{
    double share;

    if (!long_spell(m, m->rack_full_time, m->rack_full, m->rack_spell, &share))
        return;
    if (*n < max)
        snprintf(out[*n], SF_FINDING_LEN, "the racks are full (all %llu cells taken or reserved) with pallets waiting for "
                 "space %.3g%% of the measured window; %llu wait at the end", (unsigned long long)m->rack_cells,
                 100 * share, (unsigned long long)m->rack_waiting);
    (*n)++;
}

/* Each station whose input buffer is full with a station upstream blocked for long, or over the end. */
static void buffer_findings(const sf_metrics *m, char (*out)[SF_FINDING_LEN], size_t max, size_t *n)
{
    for (size_t i = 0; i < m->ns && i < m->cfg->layout.n_stations; i++) {
        const ent *x = &m->e[m->na + i];
        double share;
        if (!long_spell(m, x->buf_full_time, x->buf_full, x->buf_spell, &share))
            continue;
        if (*n < max)
            snprintf(out[*n], SF_FINDING_LEN, "the input buffer of %s is full (all %d places taken or reserved) with a "
                     "station upstream blocked %.3g%% of the measured window%s", m->cfg->layout.stations[i].name,
                     m->cfg->layout.stations[i].buffer_in, 100 * share, x->buf_full ? ", and at the end" : "");
        (*n)++;
    }
}

size_t sf_metrics_stability(const sf_metrics *m, char (*out)[SF_FINDING_LEN], size_t max)
{
    const sf_scenario_config *cfg = m->cfg;
    const char *what = m->makes ? "made products" : "pallets";
    batch b[BATCHES];
    double h, y[BATCHES], growth;
    size_t n = 0;

    if (batches(m, b, &h)) {
        double mean = 0, rel = 0, dep = 0, sd = 0, half;
        for (int i = 0; i < BATCHES; i++) {
            double d = b[i].released - b[i].departed;
            mean += d / BATCHES;
            rel += b[i].released / BATCHES;
            dep += b[i].departed / BATCHES;
        }
        for (int i = 0; i < BATCHES; i++) {
            double d = b[i].released - b[i].departed - mean;
            sd += d * d / (BATCHES - 1);
        }
        half = T99_9 * sqrt(sd / BATCHES);
        if (mean - half > 0 && n < max)
            snprintf(out[n], SF_FINDING_LEN,
                     "%s are released at %.3g /h and leave at %.3g /h: %.3g /h more arrive than leave "
                     "(99%% CI %.3g to %.3g /h)",
                     what, rel, dep, mean, mean - half, mean + half);
        n += mean - half > 0;
        for (int i = 0; i < BATCHES; i++)
            y[i] = b[i].wip;
        if (grows(y, &growth))
            say_growth(out, max, &n, "work in progress grows", growth, y);
        for (int i = 0; i < BATCHES; i++)
            y[i] = b[i].stock;
        if (grows(y, &growth))
            say_growth(out, max, &n, "pallets in stock grow", growth, y);
        for (int i = 0; i < BATCHES; i++)
            y[i] = b[i].pending;
        if (m->makes && grows(y, &growth)) /* in a plant that makes nothing these are its WIP, tested above */
            say_growth(out, max, &n, "pallets waiting to be stored or shipped (for room, stock or a vehicle) grow", growth, y);
    }
    rack_finding(m, out, max, &n);
    buffer_findings(m, out, max, &n);
    for (size_t p = 0; p < cfg->n_products; p++) {
        sf_time last = -1;
        bool open = false;
        if (cfg->products[p].n_ops > 0)
            continue;
        for (size_t i = 0; i < cfg->demand.n_orders; i++)
            if (cfg->demand.orders[i].product == (int)p)
                last = cfg->demand.orders[i].every > 0 ? SF_TIME_MAX
                       : cfg->demand.orders[i].at_time > last ? cfg->demand.orders[i].at_time : last;
        for (size_t i = 0; i < cfg->demand.n_arrivals; i++)
            for (size_t j = 0; j < cfg->demand.arrivals[i].n_mix; j++)
                open |= cfg->demand.arrivals[i].products[j] == (int)p && cfg->demand.arrivals[i].stop >= m->last;
        if (open && last >= 0 && last < m->last) {
            if (n < max)
                snprintf(out[n], SF_FINDING_LEN, "the last order for %s comes at %.3g h, its pallets keep arriving to the end (%.3g h)",
                         cfg->products[p].name, secs(last) / SF_SECONDS_PER_HOUR, secs(m->last) / SF_SECONDS_PER_HOUR);
            n++;
        }
    }
    return n;
}
