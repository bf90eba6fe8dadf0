/*
 * layout.c: the `layout` section: nodes, path segments, zones, docks,
 * racks and AS/RS, chargers, parking and stations.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/geometry.h"
#include "scenario/schema.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void nodes(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.nodes", &e, &names);

    L->nodes = sf_v_alloc(v, n, sizeof *L->nodes);
    if (!L->nodes)
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_node *nd = &L->nodes[L->n_nodes++];
        char what[200];
        sf_v_entry(v, names[i], "node", what, sizeof what, &nd->name, &nd->at);
        sf_v_map(v, e[i], KEYS("name", "at"), what);
        sf_v_point(v, sf_v_need(v, e[i], "at", what), what, &nd->x, &nd->y);
    }
}

static int node_ref(sf_vctx *v, const sf_ynode *map, const char *what)
{
    const sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode *n = sf_v_need(v, map, "node", what);
    return n ? SF_V_REF(v, n, "node", L->nodes, L->n_nodes) : -1;
}

/* Each `path: [a, b, c]` adds the segments a-b and b-c with the entry's settings. */
static void segments(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    size_t total = 0;

    if (!list || sf_ynode_is_null(list))
        return;
    if (!sf_v_list(v, list, "layout.segments"))
        return;
    for (size_t i = 0; i < list->n; i++) {
        const sf_ynode *p = sf_ynode_get(list->items[i], "path", NULL);
        if (p && p->kind == SF_YSEQ && p->n > 1)
            total += p->n - 1;
    }
    if (!(L->segments = sf_v_alloc(v, total, sizeof *L->segments)))
        return;
    for (size_t i = 0; i < list->n; i++) {
        const sf_ynode *s = list->items[i], *path;
        char what[64];
        bool two_way = true;
        double limit = 0, length = -1;
        int capacity = 0;
        snprintf(what, sizeof what, "segment %zu", i + 1);
        if (!sf_v_map(v, s, KEYS("name", "path", "two_way", "speed_limit", "capacity", "length"), what) &&
            s->kind != SF_YMAP)
            continue;
        sf_v_bool(v, sf_ynode_get(s, "two_way", NULL), "two_way", &two_way);
        sf_v_qty(v, sf_ynode_get(s, "speed_limit", NULL), "speed_limit", SF_DIM_SPEED, 0, 50, true, &limit);
        sf_v_int(v, sf_ynode_get(s, "capacity", NULL), "capacity", 0, 1000, &capacity);
        sf_v_qty(v, sf_ynode_get(s, "length", NULL), "length", SF_DIM_LENGTH, 0, 1e6, true, &length);
        if (!(path = sf_v_need(v, s, "path", what)))
            continue;
        if (path->kind != SF_YSEQ || path->n < 2) {
            sf_v_error(v, path, "%s: 'path' lists at least two nodes, got %s", what,
                       path->kind == SF_YSEQ ? "fewer" : sf_ynode_what(path));
            continue;
        }
        if (length > 0 && path->n > 2)
            sf_v_error(v, sf_ynode_get(s, "length", NULL),
                       "%s: 'length' applies to a path of two nodes; this path has %zu", what, path->n);
        int *ids = sf_v_alloc(v, path->n, sizeof *ids);
        if (!ids)
            return;
        for (size_t k = 0; k < path->n; k++)
            ids[k] = SF_V_REF(v, path->items[k], "node", L->nodes, L->n_nodes);
        for (size_t k = 0; k + 1 < path->n; k++) {
            int a = ids[k], b = ids[k + 1];
            sf_cfg_segment *g;
            if (a < 0 || b < 0)
                continue;
            if (a == b) {
                sf_v_error(v, path->items[k + 1], "%s: node '%s' follows itself", what, L->nodes[a].name);
                continue;
            }
            g = &L->segments[L->n_segments++];
            g->from = a;
            g->to = b;
            g->two_way = two_way;
            g->speed_limit = limit;
            g->capacity = capacity;
            g->length = length > 0 ? length : hypot(L->nodes[a].x - L->nodes[b].x, L->nodes[a].y - L->nodes[b].y);
            g->at = sf_v_place(v, path->items[k]);
            if (g->length <= 0)
                sf_v_error(v, path->items[k + 1], "%s: nodes '%s' and '%s' are at the same place; give a 'length'",
                           what, L->nodes[a].name, L->nodes[b].name);
        }
    }
}

static const char *const zone_kinds[] = {"collaborative", "people_only", "robots_only", "area", NULL};

/* Zones: a kind and a polygon of at least three corners. */
static void zones(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.zones", &e, &names);

    if (!(L->zones = sf_v_alloc(v, n, sizeof *L->zones)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_zone *z = &L->zones[L->n_zones++];
        const sf_ynode *poly;
        char what[200];
        int kind = 0;
        sf_v_entry(v, names[i], "zone", what, sizeof what, &z->name, &z->at);
        sf_v_map(v, e[i], KEYS("name", "kind", "polygon", "speed_limit"), what);
        sf_v_enum(v, sf_v_need(v, e[i], "kind", what), "zone kind", zone_kinds, &kind);
        z->kind = (sf_zone_kind)kind;
        sf_v_qty(v, sf_ynode_get(e[i], "speed_limit", NULL), "speed_limit", SF_DIM_SPEED, 0, 50, true,
                 &z->speed_limit);
        if (!(poly = sf_v_need(v, e[i], "polygon", what)))
            continue;
        if (poly->kind != SF_YSEQ || poly->n < 3 || poly->n > SF_POLYGON_MAX) {
            sf_v_error(v, poly, "%s: 'polygon' lists 3 to %d corners [x, y], got %s", what, SF_POLYGON_MAX,
                       poly->kind != SF_YSEQ ? sf_ynode_what(poly) : poly->n < 3 ? "fewer" : "more");
            continue;
        }
        if (!(z->xy = sf_v_alloc(v, poly->n * 2, sizeof *z->xy)))
            return;
        z->n_points = poly->n;
        for (size_t k = 0; k < poly->n; k++)
            sf_v_point(v, poly->items[k], "polygon corner", &z->xy[2 * k], &z->xy[2 * k + 1]);
    }
}

static const char *const dock_kinds[] = {"inbound", "outbound", "both", NULL};

static void docks(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.docks", &e, &names);

    if (!(L->docks = sf_v_alloc(v, n, sizeof *L->docks)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_dock *k = &L->docks[L->n_docks++];
        char what[200];
        int kind = SF_DOCK_BOTH;
        sf_v_entry(v, names[i], "dock", what, sizeof what, &k->name, &k->at);
        k->doors = 1;
        sf_v_map(v, e[i], KEYS("name", "node", "kind", "doors"), what);
        k->node = node_ref(v, e[i], what);
        sf_v_enum(v, sf_ynode_get(e[i], "kind", NULL), "dock kind", dock_kinds, &kind);
        k->kind = (sf_dock_kind)kind;
        sf_v_int(v, sf_ynode_get(e[i], "doors", NULL), "doors", 1, 100, &k->doors);
    }
}

static const char *const rack_kinds[] = {"rack", "asrs", NULL};

/*
 * An AS/RS crane's power (model/cranes.h): `power_idle`, `power_travel`,
 * `lift_mass`, `efficiency` (default 85 %), `regeneration` (default 0).
 */
static void crane(sf_vctx *v, const sf_ynode *n, const char *what, sf_cfg_rack *r)
{
    r->crane_efficiency = 0.85;
    if (!n)
        return;
    if (r->kind != SF_RACK_ASRS) {
        sf_v_error(v, n, "%s: 'crane' is for an AS/RS (kind: asrs); forklifts serve a rack", what);
        return;
    }
    if (!sf_v_map(v, n, KEYS("power_idle", "power_travel", "lift_mass", "efficiency", "regeneration"), "crane") &&
        n->kind != SF_YMAP)
        return;
    sf_v_qty(v, sf_ynode_get(n, "power_idle", NULL), "power_idle", SF_DIM_POWER, 0, 1e8, false, &r->crane_idle);
    sf_v_qty(v, sf_ynode_get(n, "power_travel", NULL), "power_travel", SF_DIM_POWER, 0, 1e8, false, &r->crane_travel);
    sf_v_qty(v, sf_ynode_get(n, "lift_mass", NULL), "lift_mass", SF_DIM_MASS, 0, 1e6, false, &r->crane_mass);
    if (sf_v_fraction(v, sf_ynode_get(n, "efficiency", NULL), "crane efficiency", &r->crane_efficiency) &&
        !(r->crane_efficiency > 0))
        sf_v_error(v, sf_ynode_get(n, "efficiency", NULL), "%s: crane efficiency must be above 0", what);
    sf_v_fraction(v, sf_ynode_get(n, "regeneration", NULL), "regeneration", &r->crane_regeneration);
}

/*
 * Level heights come as a list (one per level, ascending, from the
 * floor) or as `level_height: 1.5 m`, the spacing of evenly spaced levels
 * with the first on the floor.
 */
static void racks(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.racks", &e, &names);

    if (!(L->racks = sf_v_alloc(v, n, sizeof *L->racks)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_rack *r = &L->racks[L->n_racks++];
        const sf_ynode *hl, *hs, *ct;
        char what[200];
        int kind = SF_RACK_RACK;
        double spacing = 0;
        sf_v_entry(v, names[i], "rack", what, sizeof what, &r->name, &r->at);
        r->bays = r->levels = r->depth = 1;
        sf_v_map(v, e[i],
                 KEYS("name", "node", "kind", "bays", "levels", "depth", "level_heights", "level_height",
                      "cycle_time", "crane"),
                 what);
        r->node = node_ref(v, e[i], what);
        sf_v_enum(v, sf_ynode_get(e[i], "kind", NULL), "rack kind", rack_kinds, &kind);
        r->kind = (sf_rack_kind)kind;
        sf_v_int(v, sf_v_need(v, e[i], "bays", what), "bays", 1, 10000, &r->bays);
        sf_v_int(v, sf_v_need(v, e[i], "levels", what), "levels", 1, 200, &r->levels);
        sf_v_int(v, sf_ynode_get(e[i], "depth", NULL), "depth", 1, 100, &r->depth);
        hl = sf_ynode_get(e[i], "level_heights", NULL);
        hs = sf_ynode_get(e[i], "level_height", NULL);
        if (!(r->level_height = sf_v_alloc(v, (size_t)r->levels, sizeof *r->level_height)))
            return;
        r->heights_at = sf_v_place(v, hl ? hl : hs ? hs : names[i]);
        if (hl && hs) {
            sf_v_error(v, hs, "%s: give 'level_heights' or 'level_height', not both", what);
        } else if (hl) {
            if (hl->kind != SF_YSEQ || hl->n != (size_t)r->levels) {
                sf_v_error(v, hl, "%s: 'level_heights' lists one height per level (%d), got %s", what, r->levels,
                           hl->kind == SF_YSEQ ? "a different number" : sf_ynode_what(hl));
            } else {
                for (size_t k = 0; k < hl->n; k++) {
                    sf_v_qty(v, hl->items[k], "level height", SF_DIM_LENGTH, 0, 100, false, &r->level_height[k]);
                    if (k > 0 && r->level_height[k] <= r->level_height[k - 1])
                        sf_v_error(v, hl->items[k], "%s: level heights must rise from the floor up", what);
                }
            }
        } else {
            sf_v_qty(v, hs, "level_height", SF_DIM_LENGTH, 0, 100, true, &spacing);
            if (!hs && r->levels > 1)
                sf_v_error(v, e[i], "%s needs 'level_heights' or 'level_height'", what);
            for (int k = 0; k < r->levels; k++)
                r->level_height[k] = spacing * k;
        }
        ct = sf_ynode_get(e[i], "cycle_time", NULL);
        sf_dist_constant(&r->cycle_time, 0, NULL);
        if (r->kind == SF_RACK_ASRS)
            sf_v_dist(v, sf_v_need(v, e[i], "cycle_time", what), "cycle_time", SF_DIM_TIME, &r->cycle_time);
        else if (ct)
            sf_v_error(v, ct, "%s: 'cycle_time' is for an AS/RS (kind: asrs); forklifts serve a rack", what);
        crane(v, sf_ynode_get(e[i], "crane", NULL), what, r);
    }
}

static void chargers(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.chargers", &e, &names);

    if (!(L->chargers = sf_v_alloc(v, n, sizeof *L->chargers)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_charger *c = &L->chargers[L->n_chargers++];
        char what[200];
        sf_v_entry(v, names[i], "charger", what, sizeof what, &c->name, &c->at);
        c->slots = 1;
        sf_v_map(v, e[i], KEYS("name", "node", "power", "slots"), what);
        c->node = node_ref(v, e[i], what);
        sf_v_qty(v, sf_v_need(v, e[i], "power", what), "power", SF_DIM_POWER, 0, 1e7, true, &c->power);
        sf_v_int(v, sf_ynode_get(e[i], "slots", NULL), "slots", 1, 100, &c->slots);
    }
}

static void parking(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.parking", &e, &names);

    if (!(L->parking = sf_v_alloc(v, n, sizeof *L->parking)))
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_parking *p = &L->parking[L->n_parking++];
        char what[200];
        sf_v_entry(v, names[i], "parking", what, sizeof what, &p->name, &p->at);
        p->slots = 1;
        sf_v_map(v, e[i], KEYS("name", "node", "slots"), what);
        p->node = node_ref(v, e[i], what);
        sf_v_int(v, sf_ynode_get(e[i], "slots", NULL), "slots", 1, 1000, &p->slots);
    }
}

static int cmp_group_slot(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int cmp_first_use(const void *a, const void *b)
{
    const struct sf_named_slot *x = a, *y = b;
    return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Number the station groups in order of first use, sorting instead of
 * searching so that many stations cost O(n log n).
 */
static void assign_groups(sf_vctx *v)
{
    sf_cfg_layout *L = &v->cfg->layout;
    size_t n = L->n_stations, ng = 0;
    struct sf_named_slot *slots = sf_v_alloc(v, n, sizeof *slots), *firsts = sf_v_alloc(v, n, sizeof *firsts);

    if (!slots || !firsts)
        return;
    for (size_t i = 0; i < n; i++) {
        slots[i].name = L->stations[i].group;
        slots[i].i = i;
    }
    qsort(slots, n, sizeof *slots, cmp_group_slot);
    for (size_t k = 0; k < n; k++)
        if (k == 0 || strcmp(slots[k].name, slots[k - 1].name) != 0)
            firsts[ng++] = slots[k];
    qsort(firsts, ng, sizeof *firsts, cmp_first_use);
    for (size_t g = 0; g < ng; g++) {
        L->groups[g] = firsts[g].name;
        /* The first station of each group carries the group number; the rest copy it below. */
        L->stations[firsts[g].i].group_index = (int)g;
    }
    L->n_groups = ng;
    for (size_t k = 0, first = 0; k < n; k++) {
        if (strcmp(slots[k].name, slots[first].name) != 0)
            first = k;
        L->stations[slots[k].i].group_index = L->stations[slots[first].i].group_index;
    }
}

/*
 * A station's `fuel`: {name, power, factor}, the fuel it burns from an
 * operation's start to its end (power as the fuel's energy content per
 * second) and its emission factor, as scope 1 (docs/results.md).
 */
static void fuel(sf_vctx *v, const sf_ynode *n, sf_cfg_station *s, const char *what)
{
    sf_cfg_fuel *f = &s->fuel;

    if (!n || sf_ynode_is_null(n))
        return;
    if (!sf_v_map(v, n, KEYS("name", "power", "factor"), "fuel") && n->kind != SF_YMAP)
        return;
    f->at = sf_v_place(v, n);
    f->name = "fuel";
    sf_v_string(v, sf_ynode_get(n, "name", NULL), "fuel name", &f->name);
    sf_v_qty(v, sf_v_need(v, n, "power", what), "fuel power", SF_DIM_POWER, 0, 1e10, false, &f->power);
    sf_v_qty(v, sf_v_need(v, n, "factor", what), "fuel factor", SF_DIM_CARBON, 0, INFINITY, false, &f->factor);
}


/*
 * Stations, each in a group (its own name unless it says `group:`);
 * operations name groups, numbered afterwards by assign_groups.
 */
static void stations(sf_vctx *v, const sf_ynode *list)
{
    sf_cfg_layout *L = &v->cfg->layout;
    const sf_ynode **e, **names;
    size_t n = sf_v_named(v, list, "layout.stations", &e, &names);

    L->stations = sf_v_alloc(v, n, sizeof *L->stations);
    L->groups = sf_v_alloc(v, n, sizeof *L->groups);
    if (!L->stations || !L->groups)
        return;
    for (size_t i = 0; i < n; i++) {
        sf_cfg_station *s = &L->stations[L->n_stations++];
        char what[200];
        sf_v_entry(v, names[i], "station", what, sizeof what, &s->name, &s->at);
        s->capacity = 1;
        s->group = s->name;
        sf_v_map(v, e[i],
                 KEYS("name", "group", "node", "capacity", "buffer_in", "buffer_out", "power_idle", "power_busy",
                      "fuel", "power_setup"),
                 what);
        sf_v_string(v, sf_ynode_get(e[i], "group", NULL), "group", &s->group);
        s->node = node_ref(v, e[i], what);
        sf_v_int(v, sf_ynode_get(e[i], "capacity", NULL), "capacity", 1, 1000, &s->capacity);
        sf_v_int(v, sf_ynode_get(e[i], "buffer_in", NULL), "buffer_in", 0, 100000, &s->buffer_in);
        sf_v_int(v, sf_ynode_get(e[i], "buffer_out", NULL), "buffer_out", 0, 100000, &s->buffer_out);
        sf_v_qty(v, sf_ynode_get(e[i], "power_idle", NULL), "power_idle", SF_DIM_POWER, 0, 1e8, false,
                 &s->power_idle);
        sf_v_qty(v, sf_ynode_get(e[i], "power_busy", NULL), "power_busy", SF_DIM_POWER, 0, 1e8, false,
                 &s->power_busy);
        fuel(v, sf_ynode_get(e[i], "fuel", NULL), s, what);
        /* a changeover is tooling and fixture work with the process stopped: the idle draw unless stated */
        s->power_setup = s->power_idle;
        sf_v_qty(v, sf_ynode_get(e[i], "power_setup", NULL), "power_setup", SF_DIM_POWER, 0, 1e8, false,
                 &s->power_setup);
    }
    assign_groups(v);
}

/*
 * `traffic`: how vehicles reserve the way ahead and what happens when
 * they lock each other. Defaults: corridors, a lookahead of 2, reroute.
 */
static void traffic(sf_vctx *v, const sf_ynode *n)
{
    static const char *const reserve[] = {"segments", "corridors", NULL};
    static const char *const on_deadlock[] = {"stop", "reroute", NULL};
    sf_cfg_traffic *t = &v->cfg->layout.traffic;
    int k;

    t->corridors = true;
    t->lookahead = 2;
    t->reroute = true;
    if (!n || (!sf_v_map(v, n, KEYS("reserve", "lookahead", "on_deadlock"), "traffic") && n->kind != SF_YMAP))
        return;
    if (sf_ynode_get(n, "reserve", NULL) && sf_v_enum(v, sf_ynode_get(n, "reserve", NULL), "reserve", reserve, &k))
        t->corridors = k == 1;
    if (sf_ynode_get(n, "lookahead", NULL))
        sf_v_int(v, sf_ynode_get(n, "lookahead", NULL), "lookahead", 1, 64, &t->lookahead);
    if (sf_ynode_get(n, "on_deadlock", NULL) &&
        sf_v_enum(v, sf_ynode_get(n, "on_deadlock", NULL), "on_deadlock", on_deadlock, &k))
        t->reroute = k == 1;
}

/*
 * `storage`: the put-away policy, the dock distances count from, and the
 * ABC shares. Runs after the docks are read, so `from` can name one.
 */
static void storage(sf_vctx *v, const sf_ynode *n)
{
    sf_cfg_storage *st = &v->cfg->layout.storage;
    const sf_cfg_layout *L = &v->cfg->layout;
    int k;

    st->policy = SF_STORE_CLOSEST;
    st->from = -1;
    st->share_a = 0.2;
    st->share_b = 0.3;
    if (!n || (!sf_v_map(v, n, KEYS("policy", "from", "a", "b"), "storage") && n->kind != SF_YMAP))
        return;
    if (sf_ynode_get(n, "policy", NULL) && sf_v_enum(v, sf_ynode_get(n, "policy", NULL), "policy", sf_storage_policy_names, &k))
        st->policy = (sf_storage_policy)k;
    if (sf_ynode_get(n, "from", NULL))
        st->from = SF_V_REF(v, sf_ynode_get(n, "from", NULL), "dock", L->docks, L->n_docks);
    if (sf_ynode_get(n, "a", NULL))
        sf_v_fraction(v, sf_ynode_get(n, "a", NULL), "a", &st->share_a);
    if (sf_ynode_get(n, "b", NULL))
        sf_v_fraction(v, sf_ynode_get(n, "b", NULL), "b", &st->share_b);
    if (st->share_a + st->share_b > 1)
        sf_v_error(v, n, "storage: the A and B shares add up to more than 100 %% (%g %% + %g %%)", st->share_a * 100,
                   st->share_b * 100);
}

void sf_v_layout(sf_vctx *v, const sf_ynode *n)
{
    if (!n || sf_ynode_is_null(n)) {
        sf_v_error(v, n, "the scenario needs a 'layout' section with at least its nodes");
        return;
    }
    if (!sf_v_map(v, n,
                  KEYS("nodes", "segments", "zones", "docks", "racks", "chargers", "parking", "stations", "traffic",
                       "storage"),
                  "layout") &&
        n->kind != SF_YMAP)
        return;
    nodes(v, sf_ynode_get(n, "nodes", NULL));
    if (v->cfg->layout.n_nodes == 0)
        sf_v_error(v, n, "layout needs at least one entry in 'nodes'");
    segments(v, sf_ynode_get(n, "segments", NULL));
    zones(v, sf_ynode_get(n, "zones", NULL));
    docks(v, sf_ynode_get(n, "docks", NULL));
    racks(v, sf_ynode_get(n, "racks", NULL));
    chargers(v, sf_ynode_get(n, "chargers", NULL));
    parking(v, sf_ynode_get(n, "parking", NULL));
    stations(v, sf_ynode_get(n, "stations", NULL));
    traffic(v, sf_ynode_get(n, "traffic", NULL));
    storage(v, sf_ynode_get(n, "storage", NULL));
}
