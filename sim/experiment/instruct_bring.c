/*
 * instruct_bring.c: transport instructions, "forklift 2, bring 10 pallets
 * of component_a from receiving to high_bay_1" (docs/viewer.md, grammar).
 *
 * The named vehicle alone moves the pallets (no other is offered them) and
 * takes them before any other work. From a rack: the oldest pallets of the
 * product there when the instruction comes, to a cell of the destination
 * rack or out at the product's sink dock. From the product's source dock:
 * the pallets of it waiting there (oldest first), then the next that
 * arrive, put away into the destination rack.
 * Units of a made product go along its routing: from its source dock or a
 * station to the station (its input buffer) or sink dock the routing takes
 * them to next, by a vehicle its transport names: the next n such moves
 * the plant books (those waiting for a vehicle first). A stored good has
 * no station that uses it. What the plant cannot do then (too few
 * pallets, no free cell) is refused in the run's log and counted
 * (scripts/warehouse.lua); what the scenario rules out is refused here.
 */
#include <string.h>

#include "core/error.h"
#include "experiment/instruct_int.h"

/* A rack, a dock, a dock by the node it stands at ("receiving"), or a station. */
static int place(parse *p, const char *role, uint32_t *out)
{
    static const char *const skip[] = {"the", "rack", "dock", "door", "station", NULL};
    const sf_cfg_layout *L = &p->cfg->layout;
    int i;

    while (sf__in_one_of(sf__in_word(p, p->i), skip))
        p->i++;
    const char *w = sf__in_word(p, p->i);
    if (!*w)
        return sf__in_refuse(p, "%s where? name a rack, a dock or a station", role);
    if ((i = sf__in_find_name(w, L->racks, L->n_racks, sizeof *L->racks)) >= 0) {
        if (L->racks[i].kind == SF_RACK_ASRS)
            return sf__in_refuse(p, "%s is an AS/RS: its crane stores and retrieves, not a vehicle; name a rack", w);
        *out = (uint32_t)i;
    } else if ((i = sf__in_find_name(w, L->docks, L->n_docks, sizeof *L->docks)) >= 0) {
        *out = SF_IV_DOCK | (uint32_t)i;
    } else if ((i = sf__in_find_name(w, L->stations, L->n_stations, sizeof *L->stations)) >= 0) {
        *out = SF_IV_STATION | (uint32_t)i;
    } else {
        for (size_t d = 0; d < L->n_docks && i < 0; d++)
            if (strcmp(L->nodes[L->docks[d].node].name, w) == 0)
                i = (int)d;
        if (i < 0)
            return sf__in_refuse(p, "there is no rack, dock or station '%s'", w);
        *out = SF_IV_DOCK | (uint32_t)i;
    }
    p->i++;
    return SF_OK;
}

static const char *dock_name(const sf_scenario_config *c, int d) { return d >= 0 ? c->layout.docks[d].name : "no dock"; }

/* The products whose routing has an operation at station st, "a, b" into buf ("nothing" when none). */
static const char *made_at(const sf_scenario_config *c, uint32_t st, char *buf, size_t n)
{
    size_t used = 0;

    snprintf(buf, n, "nothing");
    for (size_t k = 0; k < c->n_products; k++)
        for (size_t o = 0; o < c->products[k].n_ops; o++)
            if (c->products[k].ops[o].group == c->layout.stations[st].group_index) {
                if (used + 1 < n)
                    used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", c->products[k].name);
                break;
            }
    return buf;
}

/* A transport's dock or station by name. */
static const char *end_name(const sf_scenario_config *c, uint32_t place)
{
    return place & SF_IV_STATION ? c->layout.stations[place & ~SF_IV_STATION].name : c->layout.docks[place & ~SF_IV_DOCK].name;
}

/*
 * Whether a unit of made product P goes from place `from` straight to
 * place `to` along its routing; if not, why, into why.
 */
static bool next_on_routing(const sf_scenario_config *c, const sf_cfg_product *P, uint32_t from, uint32_t to, char *why,
                            size_t n)
{
    int gf = from & SF_IV_STATION ? c->layout.stations[from & ~SF_IV_STATION].group_index : -1;
    int gt = to & SF_IV_STATION ? c->layout.stations[to & ~SF_IV_STATION].group_index : -1;
    size_t o = 0;

    if (from != (SF_IV_DOCK | (uint32_t)P->source)) {
        while (o < P->n_ops && P->ops[o].group != gf)
            o++;
        if (o == P->n_ops) {
            size_t used = (size_t)snprintf(why, n, "%s is not worked at %s: it arrives at %s and goes through", P->name,
                                           end_name(c, from), dock_name(c, P->source));
            for (size_t k = 0; k < P->n_ops && used + 1 < n; k++)
                used += (size_t)snprintf(why + used, n - used, "%s %s", k ? "," : "", c->layout.groups[P->ops[k].group]);
            return false;
        }
        o++; /* the operation after the one at `from` */
    }
    if (o == P->n_ops ? to == (SF_IV_DOCK | (uint32_t)P->sink) : P->ops[o].group == gt)
        return true;
    snprintf(why, n, "from %s, %s goes to %s next, not to %s", end_name(c, from), P->name,
             o == P->n_ops ? dock_name(c, P->sink) : c->layout.groups[P->ops[o].group], end_name(c, to));
    return false;
}

/* Is fleet entry `type` one of the carriers the product's transport names (a kind or the entry)? */
static bool carries(const sf_scenario_config *c, const sf_cfg_product *P, int type)
{
    const sf_cfg_crew_need *need = P->transport.n_crew > 0 ? &P->transport.crew[0] : NULL;

    if (!need)
        return false;
    if (need->kinds & (1u << c->fleet.types[type].kind))
        return true;
    for (size_t k = 0; k < need->n_types; k++)
        if (need->types[k] == type)
            return true;
    return false;
}

/* Units of a made product: only along its routing, and only by a vehicle its transport names. */
static int possible_units(parse *p, const sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    const sf_cfg_product *P = &c->products[iv->product];
    char why[512];

    if (!(iv->from & (SF_IV_DOCK | SF_IV_STATION)) || !(iv->to & (SF_IV_DOCK | SF_IV_STATION)))
        return sf__in_refuse(p, "%s is made on the line, not kept in racks: its units go from %s along its routing",
                             P->name, dock_name(c, P->source));
    if (!(P->transport_kinds & SF_VEHICLE_KINDS))
        return sf__in_refuse(p, "%s's units are not carried by vehicles (%s)", P->name,
                             P->transport.n_crew ? "people carry them" : "it has no transport: moves take no time");
    if (!carries(c, P, p->type))
        return sf__in_refuse(p, "%s's units are carried by %s (its transport), not by a %s", P->name,
                             P->transport.crew[0].label, c->fleet.types[p->type].name);
    if (!next_on_routing(c, P, iv->from, iv->to, why, sizeof why))
        return sf__in_refuse(p, "%s", why);
    return SF_OK;
}

/* What the scenario rules out: the wrong docks, dock to dock, a rack to itself, a station for a stored good. */
static int possible(parse *p, const sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    const sf_cfg_product *P = &c->products[iv->product];
    const sf_cfg_agent_type *T = &c->fleet.types[p->type];
    char names[256];

    if (T->payload > 0 && P->mass > T->payload) /* none given: no limit */
        return sf__in_refuse(p, "a pallet of %s weighs %g kg, more than a %s carries (%g kg)", P->name, P->mass, T->name,
                             T->payload);
    if (P->n_ops > 0)
        return possible_units(p, iv);
    if ((iv->from | iv->to) & SF_IV_STATION) {
        uint32_t st = (iv->to & SF_IV_STATION ? iv->to : iv->from) & ~SF_IV_STATION;
        return sf__in_refuse(p, "no station uses %s: a stored good goes between racks and docks; %s works on %s", P->name,
                             c->layout.stations[st].name, made_at(c, st, names, sizeof names));
    }
    if ((iv->from & SF_IV_DOCK) && (iv->to & SF_IV_DOCK))
        return sf__in_refuse(p, "from a dock to a dock: a pallet received goes into a rack first");
    if ((iv->from & SF_IV_DOCK) && (int)(iv->from & ~SF_IV_DOCK) != P->source)
        return sf__in_refuse(p, "%s arrives at %s, not at %s", P->name, dock_name(c, P->source),
                             c->layout.docks[iv->from & ~SF_IV_DOCK].name);
    if ((iv->to & SF_IV_DOCK) && (int)(iv->to & ~SF_IV_DOCK) != P->sink)
        return sf__in_refuse(p, "%s leaves at %s, not at %s", P->name, dock_name(c, P->sink),
                             c->layout.docks[iv->to & ~SF_IV_DOCK].name);
    if (iv->from == iv->to)
        return sf__in_refuse(p, "from %s to itself: nothing to move", c->layout.racks[iv->from].name);
    return SF_OK;
}

int sf__in_bring(parse *p, int verb_at, sf_intervention *iv)
{
    static const char *const fillers[] = {"pallets", "pallet", "loads", "load", "units", "unit", "of", NULL};
    int rc, after = p->i, prod, n;

    if (verb_at == 0)
        return sf__in_refuse(p, "who brings them? name a vehicle first, as in 'forklift 2, bring 10 pallets of "
                             "component_a from receiving to high_bay_1'");
    p->i = 0;
    if ((rc = sf__in_target(p, iv)) != SF_OK)
        return rc;
    if (iv->kind != SF_IV_STOP_AGENT || p->i != verb_at)
        return sf__in_refuse(p, "who brings them? name one vehicle first, as in 'forklift 2, bring 10 pallets of ...'");
    const sf_cfg_agent_type *T = &p->cfg->fleet.types[p->type];
    if (T->kind != SF_AGENT_FORKLIFT && T->kind != SF_AGENT_AGV)
        return sf__in_refuse(p, "only a forklift or an AGV carries pallets; %s is a%s %s", T->name,
                             T->kind == SF_AGENT_ARM ? "n" : "", sf_agent_kind_name(T->kind));
    p->i = after;
    if ((rc = sf__in_quantity_of(p, fillers, 10000, "a number of pallets", &n, &prod)) != SF_OK)
        return rc;
    iv->product = (uint32_t)prod;
    if (!sf__in_is(p, p->i, "from"))
        return sf__in_refuse(p, "from where? say 'from' a rack, a dock or a station after the product");
    p->i++;
    if ((rc = place(p, "from", &iv->from)) != SF_OK)
        return rc;
    if (!sf__in_is(p, p->i, "to") && !sf__in_is(p, p->i, "into"))
        return sf__in_refuse(p, "to where? say 'to' a rack, a dock or a station after the source");
    p->i++;
    if ((rc = place(p, "to", &iv->to)) != SF_OK)
        return rc;
    if (sf__in_is(p, p->i, "now") || sf__in_is(p, p->i, "immediately"))
        p->i++;
    iv->kind = SF_IV_BRING;
    iv->quantity = n;
    iv->length = SF_TIME_MAX;
    return possible(p, iv);
}
