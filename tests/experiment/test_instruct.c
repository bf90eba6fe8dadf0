/*
 * Instructions in plain words against the flagship plant
 * (scenarios/smart_factory.yaml: its clock starts at 06:00; stations
 * weld_1, mill_2...; three forklifts, one weld_arm_1, two humanoids;
 * cameras weld_cam and assembly_cam; products component_a, gearbox,
 * housing). Each sentence is either understood, and then its canonical
 * form (sf_intervention_describe: time from the start, target, duration
 * or quantity) is what the table says, or refused with the reason the
 * table names. Then: the canonical forms read back give the same
 * interventions, and a rush order becomes an order of the scenario.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/kernel.h"
#include "experiment/instruct.h"
#include "experiment/session.h"
#include "model/stations.h"
#include "model/world.h"
#include "scenario/scenario.h"

static sf_scenario_config *load(void)
{
    char path[1024];
    sf_diags d;
    sf_scenario_config *cfg;

    snprintf(path, sizeof path, "%s/scenarios/smart_factory.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    sf_diags_init(&d);
    cfg = sf_scenario_load(path, NULL, 0, &d);
    if (!cfg)
        sf_diags_print(&d, stderr);
    sf_diags_close(&d);
    assert_non_null(cfg);
    return cfg;
}

/* A sentence and what it must give: its canonical form (understood) or a part of the reason (refused). */
static const struct row {
    const char *said;
    const char *understood; /* NULL: refused */
    const char *why;
} table[] = {
    /* stops of stations, with every way of saying how long */
    {"stop weld_1 for 20 minutes", "+00:00:00 stop weld_1 for 20 min", NULL},
    {"Stop weld_1 for 20 min.", "+00:00:00 stop weld_1 for 20 min", NULL},
    {"halt mill_2 for 1 hour", "+00:00:00 stop mill_2 for 1 h", NULL},
    {"break station weld_2 for 90 s", "+00:00:00 stop weld_2 for 90 s", NULL},
    {"fail the machine mill_1 for 2 h", "+00:00:00 stop mill_1 for 2 h", NULL},
    {"please stop weld_1 for twenty minutes", "+00:00:00 stop weld_1 for 20 min", NULL},
    {"stop weld_1 for twenty five minutes", "+00:00:00 stop weld_1 for 25 min", NULL},
    {"stop weld_1 for twenty-five minutes", "+00:00:00 stop weld_1 for 25 min", NULL},
    {"stop weld_1 for half an hour", "+00:00:00 stop weld_1 for 30 min", NULL},
    {"stop weld_1 for an hour", "+00:00:00 stop weld_1 for 1 h", NULL},
    {"stop weld_1 for 1 h 30 min", "+00:00:00 stop weld_1 for 90 min", NULL},
    {"stop weld_1 for 1 hour and 15 minutes", "+00:00:00 stop weld_1 for 75 min", NULL},
    {"stop weld_1 for 1h30m", "+00:00:00 stop weld_1 for 90 min", NULL},
    {"stop weld_1 for 1.5 hours", "+00:00:00 stop weld_1 for 90 min", NULL},
    {"stop weld_1 for 20min", "+00:00:00 stop weld_1 for 20 min", NULL},
    {"stop weld_1 for 00:45", "+00:00:00 stop weld_1 for 45 min", NULL},
    {"stop weld_1 for 2 days", "+00:00:00 stop weld_1 for 48 h", NULL},
    {"shut down pack_1 for 10 minutes", "+00:00:00 stop pack_1 for 10 min", NULL},
    {"switch off kit_1 for 5 min", "+00:00:00 stop kit_1 for 5 min", NULL},
    {"take assy_2 down for 15 minutes", "+00:00:00 stop assy_2 for 15 min", NULL},
    {"stop weld_1", "+00:00:00 stop weld_1 until the end", NULL},
    {"stop weld_1 until 07:00", "+00:00:00 stop weld_1 for 1 h", NULL},
    {"stop weld_1 until the end of the run", "+00:00:00 stop weld_1 until the end", NULL},
    /* times in front */
    {"10:30 stop weld_1 for 20 minutes", "+04:30:00 stop weld_1 for 20 min", NULL},
    {"at 10:30 stop weld_1 for 20 minutes", "+04:30:00 stop weld_1 for 20 min", NULL},
    {"05:00 stop weld_1 for 20 minutes", "+23:00:00 stop weld_1 for 20 min", NULL},
    {"+2h stop weld_1 for 20 minutes", "+02:00:00 stop weld_1 for 20 min", NULL},
    {"+ 90 min stop weld_1 for 20 minutes", "+01:30:00 stop weld_1 for 20 min", NULL},
    {"+01:30:00 stop weld_1 for 20 min", "+01:30:00 stop weld_1 for 20 min", NULL},
    {"+1d stop weld_1 for 20 minutes", "+24:00:00 stop weld_1 for 20 min", NULL},
    {"10:30 stop mill_2 until 14:00", "+04:30:00 stop mill_2 for 210 min", NULL},
    {"13:00 stop mill_2 until 09:00", "+07:00:00 stop mill_2 for 20 h", NULL},
    /* agents */
    {"stop forklift 2 for 10 minutes", "+00:00:00 stop forklift 2 for 10 min", NULL},
    {"stop forklift.3 for 10 minutes", "+00:00:00 stop forklift 3 for 10 min", NULL},
    {"stop forklift number two for 10 minutes", "+00:00:00 stop forklift 2 for 10 min", NULL},
    {"forklift 2, stop for 10 minutes", "+00:00:00 stop forklift 2 for 10 min", NULL},
    {"humanoid 1: halt for 5 min", "+00:00:00 stop humanoid 1 for 5 min", NULL},
    {"stop weld_arm_1 for 30 min", "+00:00:00 stop weld_arm_1 1 for 30 min", NULL},
    {"stop robot tugger 2 for 1 h", "+00:00:00 stop tugger 2 for 1 h", NULL},
    /* cameras */
    {"camera weld_cam down for 45 min", "+00:00:00 camera weld_cam down for 45 min", NULL},
    {"take camera assembly_cam down for 1 hour", "+00:00:00 camera assembly_cam down for 1 h", NULL},
    {"stop camera weld_cam for 10 min", "+00:00:00 camera weld_cam down for 10 min", NULL},
    {"+3h fail weld_cam for 45 minutes", "+03:00:00 camera weld_cam down for 45 min", NULL},
    {"switch off the camera weld_cam", "+00:00:00 camera weld_cam down until the end", NULL},
    /* fences */
    {"fence cobot_1 for 1 h", "+00:00:00 fence cobot_1 1 for 1 h", NULL},
    {"+30 min cobot_2 fenced for 20 minutes", "+00:30:00 fence cobot_2 1 for 20 min", NULL},
    {"run cobot_1 fenced until 08:00", "+00:00:00 fence cobot_1 1 for 2 h", NULL},
    {"fence the arm cobot_2", "+00:00:00 fence cobot_2 1 until the end", NULL},
    {"fence weld_arm_1 for 1 h", NULL, "weld_arm_1 runs fenced already (its safety rule)"},
    {"fence forklift 1 for 1 h", NULL, "only an arm can be fenced"},
    {"fence weld_1 for 1 h", NULL, "only an arm can be fenced"},
    {"fence cobot_3 for 1 h", NULL, "did you mean 'cobot_1'?"},
    /* rush orders */
    {"rush order: 5 gearbox", "+00:00:00 rush order: 5 gearbox", NULL},
    {"rush order: five gearboxes", "+00:00:00 rush order: 5 gearbox", NULL},
    {"rush 3 housings", "+00:00:00 rush order: 3 housing", NULL},
    {"+1h rush order for 12 units of gearbox", "+01:00:00 rush order: 12 gearbox", NULL},
    {"rush order: a dozen gearbox", "+00:00:00 rush order: 12 gearbox", NULL},
    {"order 2 component_a now", "+00:00:00 rush order: 2 component_a", NULL},
    {"rush order: gearbox", "+00:00:00 rush order: 1 gearbox", NULL},
    {"urgent: 4 gearbox", "+00:00:00 rush order: 4 gearbox", NULL},
    /* blank lines and comments: nothing to do (checked apart) */
    /* refused: names */
    {"stop weld_3 for 20 minutes", NULL, "there is no station, agent or camera 'weld_3'; did you mean 'weld_1'?"},
    {"stop wled_1 for 20 minutes", NULL, "did you mean 'weld_1'?"},
    {"stop frklift 2 for 10 min", NULL, "did you mean 'forklift'?"},
    {"stop camera weld_cma for 10 min", NULL, "there is no camera 'weld_cma'; did you mean 'weld_cam'?"},
    {"stop dishwasher for 10 min", NULL, "there is no station, agent or camera 'dishwasher' in this plant"},
    {"rush order: 5 gearbx", NULL, "there is no product 'gearbx'; did you mean 'gearbox'?"},
    {"rush order: 5", NULL, "which product?"},
    {"stop forklift 7 for 10 minutes", NULL, "there is no forklift 7: the fleet has 3 of them"},
    {"stop forklift for 10 minutes", NULL, "which forklift? there are 3: say 'forklift 1' to 'forklift 3'"},
    {"stop forklifts for 10 minutes", NULL, "one agent at a time: say 'forklift 1'"},
    {"stop for 10 minutes", NULL, "stop what?"},
    /* refused: times and durations */
    {"stop weld_1 for 20", NULL, "'20' needs a unit of time"},
    {"stop weld_1 for ever", NULL, "expected a duration (as in 'for 20 minutes'), found 'ever'"},
    {"stop weld_1 for 0 min", NULL, "a duration must be longer than zero"},
    {"stop weld_1 until noon", NULL, "'until' needs a clock time"},
    {"stop weld_1 quickly", NULL, "expected 'for' a duration or 'until' a clock time after the target, found 'quickly'"},
    {"stop weld_1 for 5 min thanks", NULL, "did not understand 'thanks' at the end"},
    {"please, kindly stop weld_1 for 5 min", "+00:00:00 stop weld_1 for 5 min", NULL},
    {"+ stop weld_1 for 5 min", NULL, "after '+' comes how long after the start"},
    {"10:30", NULL, "a time but no instruction"},
    {"25:00 stop weld_1 for 5 min", NULL, "'25:00' is no time of day: hours go from 00 to 23"},
    {"stop weld_1 until 24:30", NULL, "'until' needs a clock time"},
    {"stop weld_1 for 30:00", "+00:00:00 stop weld_1 for 30 h", NULL},
    {"rush order: 2.5 gearbox", NULL, "a quantity is a whole number from 1 to 10000000, not 2.5"},
    /* refused: what the model cannot do yet */
    {"speed up forklift 1 to 2 m/s", NULL, "to change a speed, say 'set forklift speed to 1.5 m/s'"},
    {"make everything better", NULL, "no instruction here"},
    /* transport: a named vehicle moves pallets of a stored good between racks and docks */
    {"forklift 2, bring 10 pallets of component_a from receiving to high_bay_1",
     "+00:00:00 forklift 2, bring 10 pallets of component_a from inbound to high_bay_1", NULL},
    {"+2h forklift.1: move twelve pallets of component_b from high_bay_1 to high_bay_2",
     "+02:00:00 forklift 1, bring 12 pallets of component_b from high_bay_1 to high_bay_2", NULL},
    {"10:30 forklift 3, carry a pallet of component_a from the rack high_bay_2 to shipping",
     "+04:30:00 forklift 3, bring 1 pallets of component_a from high_bay_2 to outbound", NULL},
    {"forklift 3, fetch 4 loads of component_a from high_bay_1 into the dock outbound now",
     "+00:00:00 forklift 3, bring 4 pallets of component_a from high_bay_1 to outbound", NULL},
    {"tugger 2, fetch 4 loads of component_a from high_bay_1 into the dock outbound", NULL,
     "a pallet of component_a weighs 450 kg, more than a tugger carries (100 kg)"},
    {"bring 10 pallets of component_a from receiving to high_bay_1", NULL, "who brings them? name a vehicle first"},
    {"humanoid 1, bring 2 pallets of component_a from high_bay_1 to high_bay_2", NULL,
     "only a forklift or an AGV carries pallets; humanoid is a humanoid"},
    {"forklift 2, bring 10 pallets of gearbox from high_bay_1 to outbound", NULL,
     "gearbox is made on the line, not kept in racks: its units go from inbound along its routing"},
    {"forklift 2, bring 10 pallets of component_c from receiving to high_bay_1", NULL, "there is no product 'component_c'"},
    {"forklift 2, bring 10 pallets of component_a from shipping to high_bay_1", NULL,
     "component_a arrives at inbound, not at outbound"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_1 to receiving", NULL,
     "component_a leaves at outbound, not at inbound"},
    {"forklift 2, bring 10 pallets of component_a from receiving to shipping", NULL,
     "from a dock to a dock: a pallet received goes into a rack first"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_1 to high_bay_1", NULL,
     "from high_bay_1 to itself: nothing to move"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_1 to weld_1", NULL,
     "no station uses component_a: a stored good goes between racks and docks; weld_1 works on gearbox, housing"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_1 to assy_1", NULL,
     "no station uses component_a: a stored good goes between racks and docks; assy_1 works on gearbox"},
    {"forklift 2, bring 10 pallets of component_a from assy_1 to high_bay_1", NULL, "no station uses component_a"},
    /* units of a made product, along its routing, by a vehicle its transport names */
    {"tugger 1, bring 3 units of gearbox from receiving to kit_1",
     "+00:00:00 tugger 1, bring 3 units of gearbox from inbound to kit_1", NULL},
    {"+1h tugger 2: deliver two housings from the station weld_1 to pack_1",
     "+01:00:00 tugger 2, bring 2 units of housing from weld_1 to pack_1", NULL},
    {"tugger 1, bring 3 units of gearbox from mill_2 to weld_1",
     "+00:00:00 tugger 1, bring 3 units of gearbox from mill_2 to weld_1", NULL},
    {"tugger 1, bring 5 units of housing from pack_1 to shipping",
     "+00:00:00 tugger 1, bring 5 units of housing from pack_1 to outbound", NULL},
    {"forklift 1, bring 3 units of gearbox from inbound to kit_1", NULL,
     "gearbox's units are carried by tugger (its transport), not by a forklift"},
    {"tugger 1, bring 3 units of gearbox from inbound to mill_1", NULL, "from inbound, gearbox goes to kit next, not to mill_1"},
    {"tugger 1, bring 3 units of housing from weld_2 to assy_1", NULL, "from weld_2, housing goes to pack next, not to assy_1"},
    {"tugger 1, bring 3 units of gearbox from inbound to outbound", NULL,
     "from inbound, gearbox goes to kit next, not to outbound"},
    {"tugger 1, bring 3 units of housing from assy_1 to pack_1", NULL,
     "housing is not worked at assy_1: it arrives at inbound and goes through kit, mill, weld, pack"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_9 to high_bay_1", NULL,
     "there is no rack, dock or station 'high_bay_9'"},
    {"forklift 2, bring 10 pallets of component_a to high_bay_1", NULL, "from where? say 'from' a rack, a dock or a station"},
    {"forklift 2, bring 10 pallets of component_a from high_bay_1", NULL, "to where? say 'to' a rack, a dock or a station"},
    {"forklift 2, bring 2.5 pallets of component_a from high_bay_1 to high_bay_2", NULL,
     "a number of pallets is a whole number from 1 to 10000, not 2.5"},
    {"forklift 9, bring 1 pallet of component_a from high_bay_1 to high_bay_2", NULL, "forklift 9"},
    {"forklift 2, bring 1 pallet of component_a from high_bay_1 to high_bay_2 quickly", NULL,
     "did not understand 'quickly' at the end"},
    {"tell everyone a joke", NULL, "no instruction here"},
    /* agents joining during the run: a fleet entry by name, kind or "operators", with the shift it works */
    {"add 2 operators to the late shift", "+00:00:00 add 2 operator_late", NULL},
    {"+1h add two operators to the early shift", "+01:00:00 add 2 operator_early", NULL},
    {"14:00 hire three workers on late shift", "+08:00:00 add 3 operator_late", NULL},
    {"hire a forklift", "+00:00:00 add 1 forklift", NULL},
    {"add 2 forklifts", "+00:00:00 add 2 forklift", NULL},
    {"add 1 operator_early", "+00:00:00 add 1 operator_early", NULL},
    {"add humanoids", "+00:00:00 add 1 humanoid", NULL},
    {"add 2 operators", NULL, "which operators: 'operator_early' or 'operator_late'? name the fleet entry or the shift"},
    {"add 2 operators to the lat shift", NULL, "there is no shift 'lat'; did you mean 'late'?"},
    {"add 2 forklifts to the late shift", NULL, "the late shift is not in the roster of any 'forklifts' fleet entry"},
    {"add 1 cobot_1", NULL, "an arm is part of its station"},
    /* a reserve: every fleet entry but arms built with more agents, out of the plant until added */
    {"reserve 2 agents per fleet entry", "+00:00:00 reserve 2 agents per fleet entry", NULL},
    {"+00:00:00 reserve three agents for each fleet entry", "+00:00:00 reserve 3 agents per fleet entry", NULL},
    {"reserve 1", "+00:00:00 reserve 1 agents per fleet entry", NULL},
    {"+1h reserve 2 agents per fleet entry", NULL, "a reserve is built with the plant: give it at the start"},
    {"reserve agents per fleet entry", NULL, "how many? a reserve is a whole number of agents from 1 to 100"},
    {"reserve 101 agents per fleet entry", NULL, "how many? a reserve is a whole number of agents from 1 to 100"},
    {"forklift 2, reserve 2", NULL, "a reserve is for every fleet entry"},
    {"reserve 2 agents per fleet entry please hurry", NULL, "did not understand 'hurry' at the end"},
    {"add 0 forklifts", NULL, "whole numbers from 1 to 1000, not 0"},
    {"add 2.5 forklifts", NULL, "whole numbers from 1 to 1000, not 2.5"},
    {"add 2 forklfts", NULL, "there is no fleet entry 'forklfts'; did you mean 'forklift'?"},
    {"add", NULL, "add what?"},
    {"add 2 forklifts please now", NULL, "did not understand 'now' at the end"},
    /* agents leaving during the run */
    {"remove forklift 3", "+00:00:00 remove forklift 3", NULL},
    {"14:00 remove forklift.3", "+08:00:00 remove forklift 3", NULL},
    {"withdraw humanoid 2 from the plant", "+00:00:00 remove humanoid 2", NULL},
    {"+2h dismiss operator_late 4", "+02:00:00 remove operator_late 4", NULL},
    {"remove weld_1", NULL, "only an agent can be removed"},
    {"remove camera weld_cam", NULL, "only an agent can be removed"},
    {"remove forklift 9", NULL, "there is no forklift 9: the fleet has 3 of them"},
    {"remove forklifts", NULL, "one agent at a time: say 'forklift 1'"},
    {"remove forklift 3 for 10 min", NULL, "did not understand 'for' at the end"},
    /* safety modes: an arm with a collaborative rule is fenced; a switch runs a mode its rule gives the parameters of */
    {"set cobot_1 to fenced", "+00:00:00 fence cobot_1 1 until the end", NULL},
    {"+1h set cobot_2 safety mode to fenced for 30 minutes", "+01:00:00 fence cobot_2 1 for 30 min", NULL},
    {"set weld_arm_1 to fenced", NULL, "weld_arm_1 runs fenced already (its safety rule)"},
    {"set humanoid 1 to pfl", NULL, "pfl is not for a humanoid"},
    {"set cobot_1 to ssm", "+00:00:00 set cobot_1 1 to ssm until the end", NULL},
    {"set cobot_1 to pfl", "+00:00:00 set cobot_1 1 to pfl at its ssm rule's reduced_speed until the end", NULL},
    {"+2h set cobot_2 to pfl for 30 min", "+02:00:00 set cobot_2 1 to pfl at its ssm rule's reduced_speed for 30 min", NULL},
    {"+1h set cobot_1 safety mode to pfl at its ssm rule's reduced_speed until 09:00",
     "+01:00:00 set cobot_1 1 to pfl at its ssm rule's reduced_speed for 2 h", NULL},
    {"+3h set cobot_2 1 to ssm", "+03:00:00 set cobot_2 1 to ssm until the end", NULL},
    {"set weld_arm_1 to ssm", NULL, "weld_arm_1 has no ssm distances and speeds (its safety rule is fenced): give it an ssm "
                                    "rule, --set safety.robots.weld_arm_1.mode=ssm with reduced_speed, slow_distance and "
                                    "stop_distance, fenced from the start until the switch"},
    {"set weld_arm_2 to pfl", NULL, "weld_arm_2 has no pfl speed (its safety rule is fenced): give it a pfl rule, --set "
                                    "safety.robots.weld_arm_2.mode=pfl --set safety.robots.weld_arm_2.max_speed=0.25, fenced "
                                    "from the start until the switch"},
    {"set humanoid 1 to ssm", NULL, "humanoid has no ssm distances and speeds (its safety rule is fenced)"},
    {"set humanoid 2 to fenced", NULL, "humanoid runs fenced already (its safety rule)"},
    {"set forklift 1 to ssm", NULL, "a safety mode is for an arm or a humanoid; forklift is a forklift"},
    {"set cobot_1 to turbo", NULL, "set to what? a safety mode: fenced, ssm or pfl"},
    {"set weld_1 to fenced", NULL, "a safety mode is set on a robot"},
    /* tending: a humanoid or worker works only at one station for a while */
    {"humanoid 1: tend mill_2 until 14:00", "+00:00:00 humanoid 1: tend mill_2 for 8 h", NULL},
    {"+16h humanoid 2, tend the station kit_1 for 2 hours", "+16:00:00 humanoid 2: tend kit_1 for 2 h", NULL},
    {"operator_late 2: tend mill_1", "+00:00:00 operator_late 2: tend mill_1 until the end", NULL},
    {"operator_early.1: operate pack_1 for 30 min", "+00:00:00 operator_early 1: tend pack_1 for 30 min", NULL},
    {"humanoid 1: tend pack_1", NULL, "humanoid cannot work at pack_1: no operation there takes a humanoid with its skills"},
    {"tend mill_2", NULL, "who tends it? name the agent first"},
    {"forklift 1: tend mill_2", NULL, "only a humanoid or a worker tends a station; forklift is a forklift"},
    {"cobot_1: tend assy_1", NULL, "only a humanoid or a worker tends a station; cobot_1 is an arm"},
    {"humanoid 1: tend weld_1", NULL, "humanoid cannot work at weld_1: no operation there takes a humanoid with its skills"},
    {"humanoid 1: tend mil_2", NULL, "there is no station 'mil_2'; did you mean 'mill_2'?"},
    {"humanoid 1: tend", NULL, "tend what? name a station"},
    {"humanoid 1: tend mill_2 until noon", NULL, "'until' needs a clock time"},
    /* a fleet entry's speed from then on */
    {"set forklift speed to 1.5 m/s", "+00:00:00 set forklift speed to 1.5 m/s", NULL},
    {"+1h set the forklifts' speed to 9 km/h", "+01:00:00 set forklift speed to 2.5 m/s", NULL},
    {"change tugger speed to two m/s", "+00:00:00 set tugger speed to 2 m/s", NULL},
    {"set operator_late speed to 1 km/h", "+00:00:00 set operator_late speed to 0.27777777777777779 m/s", NULL},
    {"set forklift speed to 1.5", NULL, "'1.5' needs a unit of speed, m/s or km/h"},
    {"set forklift speed to 0 m/s", NULL, "a speed is more than 0 and at most 20 m/s, not 0 m/s"},
    {"set forklift speed to 30 m/s", NULL, "at most 20 m/s, not 30 m/s"},
    {"set forklift speed to fast", NULL, "to what speed?"},
    {"set forklift 2 speed to 1 m/s", NULL, "a speed is set for a fleet entry's agents together, not one of them: say 'set forklift speed"},
    {"set forklift.2 speed to 1 m/s", NULL, "not one of them: say 'set forklift speed to 1.5 m/s'"},
    {"set forklft speed to 1 m/s", NULL, "there is no fleet entry 'forklft'; did you mean 'forklift'?"},
    {"set cobot_1 speed to 1 m/s", NULL, "cobot_1 is an arm: it does not travel"},
    {"set cobot_1 to 1 m/s", NULL, "a speed is set for a fleet entry, as in 'set forklift speed to 1.5 m/s'"},
    /* every form docs/viewer.md's grammar lists, each once at least */
    {"pause weld_1 for 10 min", "+00:00:00 stop weld_1 for 10 min", NULL},
    {"disable mill_1 for 10 min", "+00:00:00 stop mill_1 for 10 min", NULL},
    {"freeze kit_1 for 10 min", "+00:00:00 stop kit_1 for 10 min", NULL},
    {"turn off pack_1 for 10 min", "+00:00:00 stop pack_1 for 10 min", NULL},
    {"take weld_2 out for 10 min", "+00:00:00 stop weld_2 for 10 min", NULL},
    {"take weld_2 off for 10 min", "+00:00:00 stop weld_2 for 10 min", NULL},
    {"stop weld_1 until the end", "+00:00:00 stop weld_1 until the end", NULL},
    {"stop weld_1 for 30 secs", "+00:00:00 stop weld_1 for 30 s", NULL},
    {"stop weld_1 for 2 hrs", "+00:00:00 stop weld_1 for 2 h", NULL},
    {"stop cobot_1 for 5 min", "+00:00:00 stop cobot_1 1 for 5 min", NULL},
    {"weld_cam down", "+00:00:00 camera weld_cam down until the end", NULL},
    {"camera weld_cam down until 09:00", "+00:00:00 camera weld_cam down for 3 h", NULL},
    {"expedite 4 housings", "+00:00:00 rush order: 4 housing", NULL},
    {"rush order: two dozen gearboxes", "+00:00:00 rush order: 24 gearbox", NULL},
    {"recruit 2 workers for the early shift", "+00:00:00 add 2 operator_early", NULL},
    {"add 1 operator in the late shift", "+00:00:00 add 1 operator_late", NULL},
    {"hire 2 people on the early shift", "+00:00:00 add 2 operator_early", NULL},
    {"add 1 staff to the late shift", "+00:00:00 add 1 operator_late", NULL},
    {"reserve 2 agents in each fleet entry", "+00:00:00 reserve 2 agents per fleet entry", NULL},
    {"reserve 2 for each fleet entry", "+00:00:00 reserve 2 agents per fleet entry", NULL},
    {"retire forklift 2 now", "+00:00:00 remove forklift 2", NULL},
    {"remove forklift 2 from the plant now", "+00:00:00 remove forklift 2", NULL},
    {"set cobot_1 in fenced for 10 min", "+00:00:00 fence cobot_1 1 for 10 min", NULL},
    {"set forklift speed to 2 mps", "+00:00:00 set forklift speed to 2 m/s", NULL},
    {"set forklift speed to 9 kmh", "+00:00:00 set forklift speed to 2.5 m/s", NULL},
    {"humanoid 1: staff kit_1 for 1 h", "+00:00:00 humanoid 1: tend kit_1 for 1 h", NULL},
    {"operator_early 3: help assy_1 until the end", "+00:00:00 operator_early 3: tend assy_1 until the end", NULL},
    {"operator_late 1: work at mill_1 for 2 h", "+00:00:00 operator_late 1: tend mill_1 for 2 h", NULL},
    {"humanoid 2, serve pack_1", NULL, "humanoid cannot work at pack_1"},
    {"forklift 1, take 2 pallets of component_b from the door receiving to high_bay_2",
     "+00:00:00 forklift 1, bring 2 pallets of component_b from inbound to high_bay_2", NULL},
    {"forklift 2, transport 3 pallets of component_a from high_bay_1 into shipping",
     "+00:00:00 forklift 2, bring 3 pallets of component_a from high_bay_1 to outbound", NULL},
    {"forklift 2, bring 3 loads component_a from the dock inbound to the rack high_bay_1",
     "+00:00:00 forklift 2, bring 3 pallets of component_a from inbound to high_bay_1", NULL},
    {"tugger 1, bring 3 units of gearbox from inbound to kit_1 now",
     "+00:00:00 tugger 1, bring 3 units of gearbox from inbound to kit_1", NULL},
};

static void test_sentences_understood_or_refused_with_their_reason(void **state)
{
    sf_scenario_config *cfg = load();
    size_t n = sizeof table / sizeof *table;
    (void)state;

    assert_true(n >= 50);
    for (size_t i = 0; i < n; i++) {
        sf_intervention iv;
        char why[256] = "", got[256] = "";
        int rc = sf_instruct_parse(cfg, table[i].said, (int)i + 1, &iv, why, sizeof why);
        if (table[i].understood) {
            if (rc != SF_OK)
                fail_msg("\"%s\" refused: %s", table[i].said, why);
            sf_intervention_describe(&iv, cfg, got, sizeof got);
            if (strcmp(got, table[i].understood) != 0)
                fail_msg("\"%s\" understood as \"%s\", not \"%s\"", table[i].said, got, table[i].understood);
            if (iv.timed != (table[i].said[0] == '+' || strncmp(table[i].said, "at ", 3) == 0 ||
                             (table[i].said[0] >= '0' && table[i].said[0] <= '9')))
                fail_msg("\"%s\": timed is %d", table[i].said, iv.timed);
            if (iv.line != (int)i + 1)
                fail_msg("\"%s\": line %d, not %d", table[i].said, iv.line, (int)i + 1);
        } else {
            if (rc != SF_EPARSE)
                fail_msg("\"%s\" not refused (%d)", table[i].said, rc);
            if (!strstr(why, table[i].why))
                fail_msg("\"%s\" refused with \"%s\", not \"%s\"", table[i].said, why, table[i].why);
        }
    }
    sf_scenario_config_free(cfg);
}

/* What sf_intervention_describe writes reads back as the same intervention: the printed list reproduces the run. */
static void test_canonical_forms_read_back_the_same(void **state)
{
    sf_scenario_config *cfg = load();
    (void)state;

    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        sf_intervention a, b;
        char why[256], text[256];
        if (!table[i].understood)
            continue;
        if (sf_instruct_parse(cfg, table[i].said, 1, &a, why, sizeof why) != SF_OK)
            fail_msg("\"%s\" refused: %s", table[i].said, why);
        sf_intervention_describe(&a, cfg, text, sizeof text);
        if (sf_instruct_parse(cfg, text, 1, &b, why, sizeof why) != SF_OK)
            fail_msg("\"%s\" does not read back: %s", text, why);
        assert_int_equal(a.kind, b.kind);
        assert_int_equal(a.at, b.at);
        assert_int_equal(a.length, b.length);
        assert_int_equal(a.target, b.target);
        assert_int_equal(a.quantity, b.quantity);
        assert_true(a.speed == b.speed);
        assert_int_equal(a.station, b.station);
    }
    sf_scenario_config_free(cfg);
}

/* Blank lines and comments are no instruction; they are not refused either. */
static void test_blank_lines_and_comments_are_skipped(void **state)
{
    sf_scenario_config *cfg = load();
    sf_intervention iv;
    char why[256];
    (void)state;

    assert_int_equal(sf_instruct_parse(cfg, "", 1, &iv, why, sizeof why), SF_ENOTFOUND);
    assert_int_equal(sf_instruct_parse(cfg, "   \t", 1, &iv, why, sizeof why), SF_ENOTFOUND);
    assert_int_equal(sf_instruct_parse(cfg, "# stop weld_1", 1, &iv, why, sizeof why), SF_ENOTFOUND);
    sf_scenario_config_free(cfg);
}

/*
 * Rush orders at the start become orders of the scenario after its own
 * (the flagship has none): two, named rush_1 and rush_2, for their
 * products and quantities; a stop adds none, nor a rush order later
 * (an event of the run, released by the plant's script then).
 */
static void test_rush_orders_join_the_scenario_orders(void **state)
{
    sf_scenario_config *cfg = load();
    sf_interventions *l = sf_interventions_new();
    const char *lines[] = {"rush order: 5 gearbox", "+1h stop weld_1 for 5 min", "rush 3 housings", "+2h rush 4 housings"};
    size_t before = cfg->demand.n_orders;
    (void)state;

    for (size_t i = 0; i < 4; i++) {
        sf_intervention iv;
        char why[256];
        assert_int_equal(sf_instruct_parse(cfg, lines[i], (int)i + 1, &iv, why, sizeof why), SF_OK);
        assert_int_equal(sf_interventions_add(l, &iv), SF_OK);
    }
    assert_int_equal(sf_interventions_count(l), 4);
    assert_int_equal(sf_interventions_get(l, 1)->kind, SF_IV_STOP_STATION);
    assert_int_equal(sf_interventions_get(l, 1)->line, 2);
    assert_null(sf_interventions_get(l, 4));
    assert_int_equal(sf_interventions_prepare(l, cfg), SF_OK);
    assert_int_equal(cfg->demand.n_orders, before + 2);
    const sf_cfg_order *o = &cfg->demand.orders[before];
    assert_string_equal(o[0].name, "rush_1");
    assert_int_equal(o[0].at_time, 0);
    assert_string_equal(cfg->products[o[0].product].name, "gearbox");
    assert_int_equal(o[0].quantity, 5);
    assert_string_equal(o[1].name, "rush_2");
    assert_int_equal(o[1].at_time, 0);
    assert_string_equal(cfg->products[o[1].product].name, "housing");
    assert_int_equal(o[1].quantity, 3);
    assert_int_equal(o[1].every, 0);
    sf_scenario_config_free(cfg);
    sf_interventions_free(l);
}

/*
 * What a live viewer does: run the flagship to 07:00 (1 h), stop weld_1
 * now for 20 min, then at 2 h for ever (to the end, 4 h). weld_1 is
 * failed 20 min + 2 h, and not at all in the same run without. A stop in
 * the past is refused, and so are agents added once the plant is built;
 * a rush order now is taken (its units: test_agents_run.sh).
 */
static void test_a_live_stop_holds_the_station_for_its_time(void **state)
{
    char path[1024];
    sf_session_spec spec = {0};
    (void)state;

    snprintf(path, sizeof path, "%s/scenarios/smart_factory.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    spec.model = path;
    spec.until_given = true;
    spec.until = 4 * SF_HOUR;
    spec.log = stderr;
    for (int live = 0; live < 2; live++) {
        sf_session *ses = sf_session_new(&spec, NULL);
        assert_non_null(ses);
        sf_stations *st = sf_world_stations(sf_session_world(ses));
        uint32_t weld = sf_stations_find(st, "weld_1");
        assert_int_equal(sf_session_advance(ses, SF_HOUR), SF_OK);
        if (live) {
            sf_interventions *l = sf_session_interventions(ses);
            sf_intervention iv = {.kind = SF_IV_STOP_STATION, .at = SF_HOUR, .length = 20 * SF_MINUTE, .target = weld};
            assert_non_null(l);
            assert_int_equal(sf_interventions_schedule(l, &iv), SF_OK);
            iv.at = 2 * SF_HOUR;
            iv.length = SF_TIME_MAX;
            assert_int_equal(sf_interventions_schedule(l, &iv), SF_OK);
            iv.at = 0;
            assert_int_equal(sf_interventions_schedule(l, &iv), SF_EPAST);
            assert_int_equal(sf_interventions_count(l), 2);
            iv = (sf_intervention){.kind = SF_IV_ADD_AGENTS, .at = SF_HOUR, .quantity = 1};
            assert_int_equal(sf_interventions_schedule(l, &iv), SF_EINVAL);
            iv = (sf_intervention){.kind = SF_IV_RUSH_ORDER, .at = SF_HOUR, .quantity = 1};
            assert_int_equal(sf_interventions_schedule(l, &iv), SF_OK);
            assert_int_equal(sf_interventions_count(l), 3);
        }
        assert_int_equal(sf_session_run(ses), SF_OK);
        double failed = sf_stations_time_in(st, weld, SF_STATE_FAILED, 4 * SF_HOUR);
        if (live)
            assert_true(fabs(failed - (20 * 60 + 2 * 3600)) < 1e-6);
        else
            assert_true(failed == 0);
        sf_session_free(ses);
    }
}

/*
 * A safety mode switched live equals the same switch from an instruction
 * file: cobot_1 runs pfl from 07:00 for 1 h, typed at 07:00 into a running
 * session (what the viewer's command line does) or read from the file
 * before the run; the two runs have the same fingerprint, and not the
 * plain run's.
 */
static void test_a_live_safety_switch_equals_the_headless_one(void **state)
{
    char path[1024], file[] = "/tmp/sf_switch_XXXXXX";
    sf_session_spec spec = {0};
    uint64_t fp[3];
    int fd = mkstemp(file);
    (void)state;

    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("+1h set cobot_1 to pfl for 1 h\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/scenarios/smart_factory.yaml", getenv("SHOPFLOOR_SOURCE_DIR"));
    spec.model = path;
    spec.until_given = true;
    spec.until = 4 * SF_HOUR;
    spec.log = stderr;
    for (int run = 0; run < 3; run++) { /* headless, live, plain */
        spec.instruct = run == 0 ? file : NULL;
        spec.said = stderr;
        sf_session *ses = sf_session_new(&spec, NULL);
        assert_non_null(ses);
        if (run == 1) {
            const sf_scenario_config *cfg = sf_world_config(sf_session_world(ses));
            char why[256];
            sf_intervention iv;
            assert_int_equal(sf_session_advance(ses, SF_HOUR), SF_OK);
            assert_int_equal(sf_instruct_parse(cfg, "set cobot_1 to pfl for 1 h", 1, &iv, why, sizeof why), SF_OK);
            iv.at = SF_HOUR; /* typed now */
            assert_int_equal(iv.kind, SF_IV_SAFETY_MODE);
            assert_int_equal(sf_interventions_schedule(sf_session_interventions(ses), &iv), SF_OK);
        }
        assert_int_equal(sf_session_run(ses), SF_OK);
        fp[run] = sf_kernel_fingerprint(sf_session_kernel(ses));
        sf_session_free(ses);
    }
    remove(file);
    assert_true(fp[0] == fp[1]);
    assert_true(fp[0] != fp[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_understood_or_refused_with_their_reason),
        cmocka_unit_test(test_canonical_forms_read_back_the_same),
        cmocka_unit_test(test_blank_lines_and_comments_are_skipped),
        cmocka_unit_test(test_rush_orders_join_the_scenario_orders),
        cmocka_unit_test(test_a_live_stop_holds_the_station_for_its_time),
        cmocka_unit_test(test_a_live_safety_switch_equals_the_headless_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
