/*
 * drive.c: scripted input for the window (drive.h).
 */
#include <SDL.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "render/drive.h"

typedef enum { A_TYPE, A_CLICK, A_KEY, A_QUIT } action;

struct sf_drive_line {
    sf_time at; /* SF_TIME_MAX: the end */
    action what;
    char arg[200];
    int line;
};

static int bad(FILE *err, const char *path, int line, int col, const char *why)
{
    fprintf(err, "%s:%d:%d: %s (a line is: TIME type TEXT | TIME click NAME | TIME key KEY | TIME quit; "
                 "TIME is a duration such as 10min, or end)\n",
            path, line, col, why);
    return SF_EPARSE;
}

/* One line "TIME ACTION [ARG]" into *out; SF_OK or SF_EPARSE (reported). */
static int parse_line(char *p, const char *path, int line, sf_time last, sf_drive_line *out, FILE *err)
{
    char *start = p, *sp = strchr(p, ' '), *arg;
    size_t n;

    if (!sp)
        return bad(err, path, line, 1, "a time and an action are needed");
    *sp = '\0';
    out->line = line;
    if (strcmp(p, "end") == 0)
        out->at = SF_TIME_MAX;
    else if (sf_time_parse(p, SF_SECOND, false, &out->at) != SF_OK)
        return bad(err, path, line, 1, "the time is not a duration");
    if (out->at < last)
        return bad(err, path, line, 1, "the times of the lines must not go back");
    p = sp + 1;
    arg = strchr(p, ' ');
    if (arg)
        *arg++ = '\0';
    else
        arg = p + strlen(p);
    if (strcmp(p, "type") == 0)
        out->what = A_TYPE;
    else if (strcmp(p, "click") == 0)
        out->what = A_CLICK;
    else if (strcmp(p, "key") == 0)
        out->what = A_KEY;
    else if (strcmp(p, "quit") == 0)
        out->what = A_QUIT;
    else
        return bad(err, path, line, (int)(p - start) + 1, "unknown action");
    if ((n = strlen(arg)) >= sizeof out->arg)
        return bad(err, path, line, (int)(arg - start) + 1, "the text is too long");
    if (out->what == A_KEY && SDL_GetKeyFromName(arg) == SDLK_UNKNOWN)
        return bad(err, path, line, (int)(arg - start) + 1, "no key of that name");
    if ((out->what == A_CLICK || out->what == A_KEY) && n == 0)
        return bad(err, path, line, (int)(arg - start) + 1, "what to click or press?");
    memcpy(out->arg, arg, n + 1);
    return SF_OK;
}

int sf_drive_open(sf_drive *dr, const char *path, FILE *err)
{
    FILE *f = fopen(path, "r");
    char buf[512];
    size_t cap = 0;
    int line = 0, rc = SF_OK;

    memset(dr, 0, sizeof *dr);
    if (!f) {
        fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
        return SF_EIO;
    }
    while (rc == SF_OK && fgets(buf, sizeof buf, f)) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '\0' || buf[0] == '#')
            continue;
        if ((rc = sf_grow(dr->lines, cap, dr->n + 1)) != SF_OK)
            break;
        if ((rc = parse_line(buf, path, line, dr->n ? dr->lines[dr->n - 1].at : 0, &dr->lines[dr->n], err)) == SF_OK)
            dr->n++;
    }
    fclose(f);
    dr->path = path;
    if (rc != SF_OK)
        sf_drive_close(dr);
    return rc;
}

void sf_drive_close(sf_drive *dr)
{
    free(dr->lines);
    memset(dr, 0, sizeof *dr);
}

static void push_key(SDL_Keycode k)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    SDL_PushEvent(&e);
}

/* Enter opens the command line, the text arrives as text input (in pieces SDL's event holds), Enter follows it. */
static void push_typed(const char *text)
{
    size_t n = strlen(text);

    push_key(SDLK_RETURN);
    for (size_t i = 0; i < n;) {
        SDL_Event e = {0};
        size_t k = n - i < sizeof e.text.text - 1 ? n - i : sizeof e.text.text - 1;
        while (k > 0 && i + k < n && ((unsigned char)text[i + k] & 0xC0) == 0x80)
            k--; /* whole UTF-8 characters */
        e.type = SDL_TEXTINPUT;
        memcpy(e.text.text, text + i, k);
        SDL_PushEvent(&e);
        i += k;
    }
    push_key(SDLK_RETURN);
}

/* A left click where a station or an agent named `name` was drawn. */
static int push_click(const char *name, const sf_draw *d, const sf_view *v, sf_world *w)
{
    const sf_scenario_config *cfg = sf_world_config(w);
    uint32_t a = sf_world_find_agent(w, name);
    float x = -1, y = -1;
    SDL_Event e = {0};

    if (a != SF_NO_AGENT)
        sf_draw_agent_at(d, a, &x, &y);
    for (size_t i = 0; a == SF_NO_AGENT && i < cfg->layout.n_stations; i++)
        if (strcmp(cfg->layout.stations[i].name, name) == 0 && cfg->layout.stations[i].node >= 0) {
            const sf_cfg_node *nd = &cfg->layout.nodes[cfg->layout.stations[i].node];
            sf_view_to_screen(v, nd->x, nd->y, &x, &y);
        }
    if (x < 0)
        return SF_ENOTFOUND;
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.x = (int)x;
    e.button.y = (int)y;
    SDL_PushEvent(&e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    return SF_OK;
}

int sf_drive_step(sf_drive *dr, sf_time now, bool at_end, const sf_draw *d, const sf_view *v, sf_world *w, FILE *err)
{
    for (; dr->next < dr->n; dr->next++) {
        const sf_drive_line *l = &dr->lines[dr->next];
        SDL_Event e = {0};
        if (l->at == SF_TIME_MAX ? !at_end : l->at > now && !at_end)
            break;
        switch (l->what) {
        case A_TYPE:
            push_typed(l->arg);
            break;
        case A_KEY:
            push_key(SDL_GetKeyFromName(l->arg));
            break;
        case A_CLICK:
            if (!w || push_click(l->arg, d, v, w) != SF_OK) {
                fprintf(err, "%s:%d:1: nothing called '%s' to click (a station or an agent, as 'forklift.2')\n",
                        dr->path, l->line, l->arg);
                dr->next++;
                return SF_ENOTFOUND;
            }
            break;
        case A_QUIT:
            e.type = SDL_QUIT;
            SDL_PushEvent(&e);
            break;
        }
    }
    return SF_OK;
}
