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
 * What the plant cannot do then (too few pallets, no free cell) is
 * refused in the run's log and counted (scripts/warehouse.lua); what the
 * scenario rules out is refused here.
 */
#include <string.h>

#include "core/error.h"
#include "experiment/instruct_int.h"

/* A rack, a dock, or a dock by the node it stands at ("receiving"); a station is refused by name. */
static int place(parse *p, const char *role, uint32_t *out)
{
    static const char *const skip[] = {"the", "rack", "dock", "door", NULL};
    const sf_cfg_layout *L = &p->cfg->layout;
    int i;

    while (sf__in_one_of(sf__in_word(p, p->i), skip))
        p->i++;
    const char *w = sf__in_word(p, p->i);
    if (!*w)
        return sf__in_refuse(p, "%s where? name a rack or a dock", role);
    if ((i = sf__in_find_name(w, L->racks, L->n_racks, sizeof *L->racks)) >= 0) {
        if (L->racks[i].kind == SF_RACK_ASRS)
            return sf__in_refuse(p, "%s is an AS/RS: its crane stores and retrieves, not a vehicle; name a rack", w);
        *out = (uint32_t)i;
    } else if ((i = sf__in_find_name(w, L->docks, L->n_docks, sizeof *L->docks)) >= 0) {
        *out = SF_IV_DOCK | (uint32_t)i;
    } else {
        for (size_t d = 0; d < L->n_docks && i < 0; d++)
            if (strcmp(L->nodes[L->docks[d].node].name, w) == 0)
                i = (int)d;
        if (i < 0 && sf__in_find_name(w, L->stations, L->n_stations, sizeof *L->stations) >= 0)
            return sf__in_refuse(p, "%s is a station: a station's units come by its routing's transport; pallets go "
                                 "between racks and docks", w);
        if (i < 0)
            return sf__in_refuse(p, "there is no rack or dock '%s'", w);
        *out = SF_IV_DOCK | (uint32_t)i;
    }
    p->i++;
    return SF_OK;
}

static const char *dock_name(const sf_scenario_config *c, int d) { return d >= 0 ? c->layout.docks[d].name : "no dock"; }

/* What the scenario rules out: a made product, the wrong docks, dock to dock, a rack to itself. */
static int possible(parse *p, const sf_intervention *iv)
{
    const sf_scenario_config *c = p->cfg;
    const sf_cfg_product *P = &c->products[iv->product];
    const sf_cfg_agent_type *T = &c->fleet.types[p->type];

    if (P->n_ops > 0)
        return sf__in_refuse(p, "%s is made on the line, not kept in pallets: only stored goods are brought", P->name);
    if (T->payload > 0 && P->mass > T->payload) /* none given: no limit */
        return sf__in_refuse(p, "a pallet of %s weighs %g kg, more than a %s carries (%g kg)", P->name, P->mass, T->name,
                             T->payload);
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
        return sf__in_refuse(p, "from where? say 'from' a rack or a dock after the product");
    p->i++;
    if ((rc = place(p, "from", &iv->from)) != SF_OK)
        return rc;
    if (!sf__in_is(p, p->i, "to") && !sf__in_is(p, p->i, "into"))
        return sf__in_refuse(p, "to where? say 'to' a rack or a dock after the source");
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
