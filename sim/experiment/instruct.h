/*
 * instruct.h: instructions in plain words, turned into interventions
 * (experiment/interventions.h). The grammar, with examples, is in
 * docs/viewer.md ("Instructions in plain words").
 *
 * A line is an optional time, then one sentence:
 *
 *   10:30 stop weld_1 for 20 minutes      clock time: the first moment at or after the start the clock shows it
 *   +2h camera cell_cam down for half an hour
 *   +01:30:00 stop forklift 2 until 14:00
 *   rush order: five gearbox              no time: at the start
 *   +1h add 2 operators to the late shift
 *   14:00 remove forklift 3
 *   set cobot_1 to fenced
 *   +1h set cobot_1 to pfl for 30 min
 *   humanoid 1: tend mill_2 until 14:00
 *   set forklift speed to 1.5 m/s
 *
 * Names are the scenario's (stations, cameras, products; an agent as its
 * fleet entry and number, "forklift 2" or "forklift.2"); a name that is
 * not one gets the nearest as "did you mean". Instructions the model
 * cannot carry out (a safety mode the robot's rule gives no parameters
 * for, one no camera allows) are refused with that reason, never
 * guessed at.
 */
#ifndef SF_EXPERIMENT_INSTRUCT_H
#define SF_EXPERIMENT_INSTRUCT_H

#include <stddef.h>
#include <stdio.h>

#include "experiment/interventions.h"
#include "model/config.h"

/*
 * One line against the plant of cfg: SF_OK with *iv filled (iv->line =
 * line); SF_ENOTFOUND for a blank line or a comment ('#'), nothing to
 * do; otherwise SF_EPARSE, and why the line cannot be followed in `why`
 * (n bytes).
 */
int sf_instruct_parse(const sf_scenario_config *cfg, const char *text, int line, sf_intervention *iv, char *why,
                      size_t n);

/*
 * Every line of the file at `path`, in order, added to l; how each was
 * understood is printed on `said` ("path:line: understood \"...\" as:
 * ..."). At the first line that cannot be followed, `err` gets
 * "path:line: cannot follow \"sentence\": why" and the result is
 * SF_EPARSE (SF_EIO when the file cannot be read, SF_ENOMEM).
 */
int sf_instruct_file(const char *path, const sf_scenario_config *cfg, sf_interventions *l, FILE *said, FILE *err);

#endif
