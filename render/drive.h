/*
 * drive.h: scripted input for the window (`shopfloor view --drive FILE`),
 * so tests and demonstrations can act on the live plant as a trainer
 * would, through the same events as the keyboard and the mouse.
 *
 * FILE has one action a line, at a simulated time (a duration from the
 * start, as for --until, or `end` for the end of the run); blank lines
 * and lines starting with '#' are skipped:
 *
 *   10min type stop weld_1 for 20 minutes   Enter, the text, Enter
 *   30min click weld_1                      a left click where a station or agent is drawn
 *   30min key b                             a key, by its SDL name (b, Return, Escape, space...)
 *   end quit                                close the window
 *
 * Each line is acted on at the first frame whose time is at or past its
 * own, in the order of the file (the file's times must not go back).
 */
#ifndef SF_RENDER_DRIVE_H
#define SF_RENDER_DRIVE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/time.h"
#include "model/world.h"
#include "render/draw.h"

typedef struct sf_drive_line sf_drive_line;

typedef struct sf_drive {
    sf_drive_line *lines;
    size_t n, next;
    const char *path;
} sf_drive;

/* Read FILE; SF_OK, or an error after "FILE:line:col: why" on err. */
int sf_drive_open(sf_drive *dr, const char *path, FILE *err);
void sf_drive_close(sf_drive *dr);

/*
 * Push the SDL events of every line whose time has come (`now`, or the
 * run's end reached). Positions of `click` come from the frame drawn
 * last with `d` and `v`. SF_OK, or SF_ENOTFOUND after a message on err
 * when a click names nothing of the plant.
 */
int sf_drive_step(sf_drive *dr, sf_time now, bool at_end, const sf_draw *d, const sf_view *v, sf_world *w, FILE *err);

#endif
