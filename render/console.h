/*
 * console.h: what a trainer does to the live plant from the window: a
 * command line that takes the sentences of `shopfloor run --instruct`
 * (experiment/instruct.h), and keys that stop the selected station or
 * agent or take down the camera watching it. Each is an ordinary
 * intervention (experiment/interventions.h) at the current simulated
 * time, shown in a small log on the screen; the session's list of them
 * is what a recording keeps and what prints as the instruction file that
 * reproduces the run headless.
 */
#ifndef SF_RENDER_CONSOLE_H
#define SF_RENDER_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "experiment/interventions.h"
#include "experiment/session.h"
#include "render/draw.h"

/* How long the keys stop the selected station or agent, or take a camera down: 20 min. */
#define SF_CONSOLE_STOP (20 * SF_MINUTE)

typedef struct sf_console {
    bool open;                      /* the command line takes the keyboard */
    char line[SF_VIEW_NOTE_LEN];    /* what has been typed */
    sf_view_note log[SF_VIEW_NOTES]; /* the last answers, oldest first */
    int nlog;
    FILE *echo;                     /* each line of the log also written here (scripted input), or NULL */
} sf_console;

/* A line in the log (the oldest goes when it is full). */
void sf_console_note(sf_console *c, bool refused, const char *text);

/*
 * When an intervention made now starts: the session's clock rounded up
 * to the next whole second, since the printed list counts whole seconds
 * and must give the same run again.
 */
sf_time sf_console_now(sf_session *ses);

/*
 * Follow one typed sentence now: parse it against the session's plant,
 * schedule it, and log how it was understood or why not. SF_OK,
 * SF_ENOTFOUND for an empty line, else the refusal's code. Never fails
 * on any text.
 */
int sf_console_submit(sf_console *c, sf_session *ses, const char *text);

/* Schedule iv (its time is set to now) and log it. SF_OK or why not (logged). */
int sf_console_apply(sf_console *c, sf_session *ses, sf_intervention *iv);

/*
 * The camera watching a collaborative zone that holds the selected
 * station (its node) or agent (where it is drawn in `s`): SF_OK with
 * *camera set, else SF_ENOTFOUND.
 */
int sf_console_camera(const sf_scenario_config *cfg, const sf_snapshot *s, int64_t agent, int64_t station,
                      uint32_t *camera);

/* Every line appended to the text input so far, as typed (keeps the line within its size, whole characters). */
void sf_console_type(sf_console *c, const char *utf8);
/* Remove the last character (UTF-8 aware). */
void sf_console_backspace(sf_console *c);

#endif
