/*
 * console.c: the live window's command line, its intervention keys and
 * their log (console.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/kernel.h"
#include "experiment/instruct.h"
#include "model/safety.h"
#include "render/console.h"

void sf_console_note(sf_console *c, bool refused, const char *text)
{
    size_t n, max;

    if (c->nlog == SF_VIEW_NOTES) {
        memmove(c->log, c->log + 1, (SF_VIEW_NOTES - 1) * sizeof *c->log);
        c->nlog--;
    }
    n = strlen(text);
    max = sizeof c->log[0].text - 1;

    if (n > max) { /* cut at a whole UTF-8 character */
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(c->log[c->nlog].text, text, n);
    c->log[c->nlog].text[n] = '\0';
    c->log[c->nlog].refused = refused;
    if (c->echo)
        fprintf(c->echo, "%s%s\n", refused ? "refused: " : "done: ", c->log[c->nlog].text);
    c->nlog++;
}

sf_time sf_console_now(sf_session *ses)
{
    sf_time now = sf_kernel_now(sf_session_kernel(ses));
    return (now + SF_SECOND - 1) / SF_SECOND * SF_SECOND;
}

/* Why the list refused an intervention, in words. */
static const char *refusal(int rc, const sf_intervention *iv)
{
    if (iv->kind == SF_IV_ADD_AGENTS && rc == SF_ELIMIT)
        return "the fleet entry's reserve is used up (view --reserve N builds N per entry)";
    if (iv->kind == SF_IV_ADD_AGENTS)
        return "agents are added during a run from a reserve: open the window with 'view --reserve N' (or add them "
               "before the run, in a file for 'shopfloor run --instruct')";
    if (rc == SF_EPAST)
        return "that time has gone by";
    return sf_strerror(rc);
}

int sf_console_apply(sf_console *c, sf_session *ses, sf_intervention *iv)
{
    sf_interventions *l = sf_session_interventions(ses);
    char said[SF_VIEW_NOTE_LEN], msg[SF_VIEW_NOTE_LEN + 64];
    int rc;

    if (!iv->timed)
        iv->at = sf_console_now(ses);
    rc = l ? sf_interventions_schedule(l, iv) : SF_ENOMEM;
    sf_intervention_describe(iv, sf_session_config(ses), said, sizeof said);
    if (rc == SF_OK)
        snprintf(msg, sizeof msg, "%s", said);
    else
        snprintf(msg, sizeof msg, "not done: %s: %s", said, refusal(rc, iv));
    sf_console_note(c, rc != SF_OK, msg);
    return rc;
}

int sf_console_submit(sf_console *c, sf_session *ses, const char *text)
{
    sf_intervention iv;
    char why[256], msg[SF_VIEW_NOTE_LEN + 300];
    int rc = sf_instruct_parse(sf_session_config(ses), text, 0, &iv, why, sizeof why);

    if (rc == SF_ENOTFOUND)
        return rc;
    if (rc != SF_OK) {
        snprintf(msg, sizeof msg, "cannot follow \"%.60s\": %s", text, why);
        sf_console_note(c, true, msg);
        return rc;
    }
    return sf_console_apply(c, ses, &iv);
}

int sf_console_camera(const sf_scenario_config *cfg, const sf_snapshot *s, int64_t agent, int64_t station,
                      uint32_t *camera)
{
    double x, y;

    if (station >= 0 && (size_t)station < cfg->layout.n_stations && cfg->layout.stations[station].node >= 0) {
        x = cfg->layout.nodes[cfg->layout.stations[station].node].x;
        y = cfg->layout.nodes[cfg->layout.stations[station].node].y;
    } else if (agent >= 0 && (uint64_t)agent < s->nagents) {
        x = s->agents[agent].x;
        y = s->agents[agent].y;
    } else {
        return SF_ENOTFOUND;
    }
    for (size_t i = 0; i < cfg->safety.n_cameras; i++)
        if (sf_safety_camera_contains(cfg, i, x, y)) {
            *camera = (uint32_t)i;
            return SF_OK;
        }
    return SF_ENOTFOUND;
}

void sf_console_type(sf_console *c, const char *utf8)
{
    size_t n = strlen(c->line), k = strlen(utf8);

    /* whole characters only: stop before a lead byte whose sequence does not fit */
    while (k > 0 && n + k >= sizeof c->line) {
        k--;
        while (k > 0 && ((unsigned char)utf8[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(c->line + n, utf8, k);
    c->line[n + k] = '\0';
}

void sf_console_backspace(sf_console *c)
{
    size_t n = strlen(c->line);

    while (n > 0 && ((unsigned char)c->line[n - 1] & 0xC0) == 0x80)
        n--;
    if (n > 0)
        n--;
    c->line[n] = '\0';
}
