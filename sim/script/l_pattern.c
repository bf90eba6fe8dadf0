/*
 * l_pattern.c: string.find, string.match, string.gmatch and string.gsub
 * with Lua 5.4's pattern language, and a bound on their work.
 *
 * Lua's own matcher backtracks in C, where the instruction budget cannot
 * see it: string.find(string.rep("a", 5000), "a*a*a*a*a*b") runs for
 * hours, and no hook fires. This matcher follows the same algorithm (the
 * reference manual, 6.4.1: single-character classes, sets, the quantifiers
 * * + - ?, anchors, captures and position captures, %b, %f, back
 * references) and counts its steps: each attempt to match at a position
 * and each character a repetition takes or gives back is one step,
 * charged to the running process's instruction budget like one Lua
 * instruction. A call that would go past the budget raises an error
 * naming the function and the size of its subject; the process then
 * stops at its next instruction. A plain search (find with plain = true,
 * or a pattern without specials) is memmem, linear in the subject.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>

#include "script/script_internal.h"

#define L_ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_DEPTH 200 /* nested calls of match: as Lua's MAXCCALLS */
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)
#define CHECK_EVERY 4096 /* steps between looks at the budget */
#define MAX_CAPTURES 32  /* as Lua's LUA_MAXCAPTURES */

struct match_state {
    const char *src_init, *src_end, *p_end;
    lua_State *L;
    const char *fn; /* "string.find"... for the error */
    int depth;      /* calls of match left */
    int level;      /* captures open or closed */
    uint64_t steps, checked;
    struct {
        const char *init;
        ptrdiff_t len;
    } capture[MAX_CAPTURES];
};

static const char *match(struct match_state *ms, const char *s, const char *p);

/* Count n steps; past the budget, raise. */
static void step(struct match_state *ms, uint64_t n)
{
    sf_script *S;

    ms->steps += n;
    if (ms->steps - ms->checked < CHECK_EVERY)
        return;
    S = sf__script(ms->L);
    S->spent += ms->steps - ms->checked;
    ms->checked = ms->steps;
    if (S->spent > S->opt.budget)
        luaL_error(ms->L,
                   "%s ran past the instruction budget of %I on a subject of %I bytes (its pattern "
                   "backtracks: each character a repetition takes or gives back counts as an instruction)",
                   ms->fn, (lua_Integer)S->opt.budget, (lua_Integer)(ms->src_end - ms->src_init));
}

/* The steps not yet charged, charged. */
static void settle(struct match_state *ms)
{
    sf__script(ms->L)->spent += ms->steps - ms->checked;
    ms->checked = ms->steps;
}

static int class_end_error(struct match_state *ms, const char *what)
{
    return luaL_error(ms->L, "malformed pattern (%s)", what);
}

static const char *class_end(struct match_state *ms, const char *p)
{
    if (*p++ == L_ESC) {
        if (p == ms->p_end)
            class_end_error(ms, "ends with '%'");
        return p + 1;
    }
    if (p[-1] == '[') {
        if (*p == '^')
            p++;
        do { /* look for a ']' */
            if (p == ms->p_end)
                class_end_error(ms, "missing ']'");
            if (*(p++) == L_ESC && p < ms->p_end)
                p++; /* skip escapes (e.g. '%]') */
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

static int match_class(int c, int cl)
{
    int res;

    switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    default: return cl == c;
    }
    if (isupper(cl))
        res = !res;
    return res != 0;
}

/* c against the set [p, ec] (p at '[', ec at ']'). */
static int match_set(int c, const char *p, const char *ec)
{
    int sig = 1;

    if (p[1] == '^') {
        sig = 0;
        p++;
    }
    while (++p < ec) {
        if (*p == L_ESC) {
            p++;
            if (match_class(c, (unsigned char)*p))
                return sig;
        } else if (p[1] == '-' && p + 2 < ec) {
            p += 2;
            if ((unsigned char)*(p - 2) <= c && c <= (unsigned char)*p)
                return sig;
        } else if ((unsigned char)*p == c) {
            return sig;
        }
    }
    return !sig;
}

static int single_match(struct match_state *ms, const char *s, const char *p, const char *ep)
{
    int c;

    if (s >= ms->src_end)
        return 0;
    c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case L_ESC: return match_class(c, (unsigned char)p[1]);
    case '[': return match_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match_balance(struct match_state *ms, const char *s, const char *p)
{
    int b, e, cont = 1;

    if (p >= ms->p_end - 1)
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (*s != *p) /* Lua strings end with '\0': *src_end is readable */
        return NULL;
    b = *p;
    e = *(p + 1);
    while (++s < ms->src_end) {
        step(ms, 1);
        if (*s == e) {
            if (--cont == 0)
                return s + 1;
        } else if (*s == b) {
            cont++;
        }
    }
    return NULL;
}

static const char *max_expand(struct match_state *ms, const char *s, const char *p, const char *ep)
{
    ptrdiff_t i = 0;

    while (single_match(ms, s + i, p, ep)) {
        i++;
        step(ms, 1);
    }
    while (i >= 0) { /* try with the most repetitions, then one fewer... */
        const char *res = match(ms, s + i, ep + 1);
        if (res)
            return res;
        i--;
        step(ms, 1);
    }
    return NULL;
}

static const char *min_expand(struct match_state *ms, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *res = match(ms, s, ep + 1);
        if (res)
            return res;
        if (!single_match(ms, s, p, ep))
            return NULL;
        s++;
        step(ms, 1);
    }
}

static const char *start_capture(struct match_state *ms, const char *s, const char *p, ptrdiff_t what)
{
    const char *res;
    int level = ms->level;

    if (level >= MAX_CAPTURES)
        luaL_error(ms->L, "too many captures");
    ms->capture[level].init = s;
    ms->capture[level].len = what;
    ms->level = level + 1;
    if (!(res = match(ms, s, p)))
        ms->level--;
    return res;
}

static const char *end_capture(struct match_state *ms, const char *s, const char *p)
{
    int l = -1;
    const char *res;

    for (int level = ms->level - 1; level >= 0; level--) {
        if (ms->capture[level].len == CAP_UNFINISHED) {
            l = level;
            break;
        }
    }
    if (l < 0)
        luaL_error(ms->L, "invalid pattern capture");
    ms->capture[l].len = s - ms->capture[l].init;
    if (!(res = match(ms, s, p)))
        ms->capture[l].len = CAP_UNFINISHED;
    return res;
}

static int check_capture(struct match_state *ms, int l)
{
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED)
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    return l;
}

static const char *match_capture(struct match_state *ms, const char *s, int l)
{
    size_t len;

    l = check_capture(ms, l);
    len = (size_t)ms->capture[l].len;
    step(ms, len);
    if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0)
        return s + len;
    return NULL;
}

static const char *match(struct match_state *ms, const char *s, const char *p)
{
    if (ms->depth-- == 0)
        luaL_error(ms->L, "pattern too complex");
    step(ms, 1);
again:
    if (p != ms->p_end) {
        switch (*p) {
        case '(':
            if (*(p + 1) == ')')
                s = start_capture(ms, s, p + 2, CAP_POSITION);
            else
                s = start_capture(ms, s, p + 1, CAP_UNFINISHED);
            break;
        case ')':
            s = end_capture(ms, s, p + 1);
            break;
        case '$':
            if (p + 1 != ms->p_end)
                goto single;
            s = s == ms->src_end ? s : NULL;
            break;
        case L_ESC:
            switch (*(p + 1)) {
            case 'b':
                s = match_balance(ms, s, p + 2);
                if (s) {
                    p += 4;
                    goto again;
                }
                break;
            case 'f': {
                const char *ep;
                int prev;
                p += 2;
                if (*p != '[')
                    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                ep = class_end(ms, p);
                prev = s == ms->src_init ? '\0' : *(s - 1);
                if (!match_set((unsigned char)prev, p, ep - 1) && match_set((unsigned char)*s, p, ep - 1)) {
                    p = ep;
                    goto again;
                }
                s = NULL;
                break;
            }
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                s = match_capture(ms, s, (unsigned char)*(p + 1));
                if (s) {
                    p += 2;
                    goto again;
                }
                break;
            default:
                goto single;
            }
            break;
        default:
        single: {
            const char *ep = class_end(ms, p); /* at the optional quantifier */
            if (!single_match(ms, s, p, ep)) {
                if (*ep == '*' || *ep == '?' || *ep == '-') { /* may match nothing */
                    p = ep + 1;
                    goto again;
                }
                s = NULL;
            } else {
                switch (*ep) {
                case '?': {
                    const char *res = match(ms, s + 1, ep + 1);
                    if (res) {
                        s = res;
                    } else {
                        p = ep + 1;
                        goto again;
                    }
                    break;
                }
                case '+':
                    s = max_expand(ms, s + 1, p, ep);
                    break;
                case '*':
                    s = max_expand(ms, s, p, ep);
                    break;
                case '-':
                    s = min_expand(ms, s, p, ep);
                    break;
                default:
                    s++;
                    p = ep;
                    step(ms, 1);
                    goto again;
                }
            }
            break;
        }
        }
    }
    ms->depth++;
    return s;
}

/* ---- captures ---- */

/* Capture i: pushed (a position) and its length CAP_POSITION, or its text in *cap and its length. */
static ptrdiff_t one_capture(struct match_state *ms, int i, const char *s, const char *e, const char **cap)
{
    ptrdiff_t len;

    if (i >= ms->level) {
        if (i != 0)
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        *cap = s; /* no captures: the whole match */
        return e - s;
    }
    len = ms->capture[i].len;
    *cap = ms->capture[i].init;
    if (len == CAP_UNFINISHED)
        luaL_error(ms->L, "unfinished capture");
    else if (len == CAP_POSITION)
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    return len;
}

static void push_capture(struct match_state *ms, int i, const char *s, const char *e)
{
    const char *cap;
    ptrdiff_t len = one_capture(ms, i, s, e, &cap);

    if (len != CAP_POSITION)
        lua_pushlstring(ms->L, cap, (size_t)len);
}

/* The captures (the whole match when there are none and s is given); how many. */
static int push_captures(struct match_state *ms, const char *s, const char *e)
{
    int n = ms->level == 0 && s ? 1 : ms->level;

    luaL_checkstack(ms->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(ms, i, s, e);
    return n;
}

static void prepare(struct match_state *ms, lua_State *L, const char *fn, const char *s, size_t ls, const char *p,
                    size_t lp)
{
    ms->L = L;
    ms->fn = fn;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->steps = ms->checked = 0;
}

static void restart(struct match_state *ms)
{
    ms->level = 0;
    ms->depth = MAX_DEPTH;
}

/* A 1-based position, negative from the end, as a 0-based offset (Lua's posrelatI, minus one). */
static size_t offset_of(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return len + (size_t)pos;
}

static int no_specials(const char *p, size_t l)
{
    size_t upto = 0;

    do { /* past every '\0' inside the pattern */
        if (strpbrk(p + upto, SPECIALS))
            return 0;
        upto += strlen(p + upto) + 1;
    } while (upto <= l);
    return 1;
}

/* ---- the functions ---- */

static int find_aux(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = offset_of(luaL_optinteger(L, 3, 1), ls);
    struct match_state ms;

    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
        const char *at = memmem(s + init, ls - init, p, lp);
        sf__script(L)->spent += (ls - init) / 16 + 1; /* memmem is linear: about 16 bytes per instruction */
        if (at) {
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, (lua_Integer)((at - s) + lp));
            return 2;
        }
    } else {
        const char *s1 = s + init;
        int anchor = *p == '^';
        if (anchor) {
            p++;
            lp--;
        }
        prepare(&ms, L, find ? "string.find" : "string.match", s, ls, p, lp);
        do {
            const char *e;
            restart(&ms);
            if ((e = match(&ms, s1, p))) {
                settle(&ms);
                if (find) {
                    lua_pushinteger(L, (s1 - s) + 1);
                    lua_pushinteger(L, e - s);
                    return push_captures(&ms, NULL, 0) + 2;
                }
                return push_captures(&ms, s1, e);
            }
        } while (s1++ < ms.src_end && !anchor);
        settle(&ms);
    }
    luaL_pushfail(L);
    return 1;
}

static int l_find(lua_State *L)
{
    return find_aux(L, 1);
}

static int l_match(lua_State *L)
{
    return find_aux(L, 0);
}

struct gmatch_state {
    const char *src, *p, *lastmatch;
    struct match_state ms;
};

static int gmatch_next(lua_State *L)
{
    struct gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));

    gm->ms.L = L;
    for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
        const char *e;
        restart(&gm->ms);
        if ((e = match(&gm->ms, src, gm->p)) && e != gm->lastmatch) {
            settle(&gm->ms);
            gm->src = gm->lastmatch = e;
            return push_captures(&gm->ms, src, e);
        }
    }
    settle(&gm->ms);
    return 0;
}

static int l_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = offset_of(luaL_optinteger(L, 3, 1), ls);
    struct gmatch_state *gm;

    lua_settop(L, 2); /* the subject and the pattern stay alive as upvalues */
    gm = lua_newuserdatauv(L, sizeof *gm, 0);
    if (init > ls)
        init = ls + 1;
    prepare(&gm->ms, L, "string.gmatch", s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

static void add_string(struct match_state *ms, luaL_Buffer *b, const char *s, const char *e)
{
    size_t l;
    lua_State *L = ms->L;
    const char *news = lua_tolstring(L, 3, &l), *p;

    while ((p = memchr(news, L_ESC, l))) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;
        if (*p == L_ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*p)) {
            const char *cap;
            ptrdiff_t len = one_capture(ms, *p - '1', s, e, &cap);
            if (len == CAP_POSITION)
                luaL_addvalue(b);
            else
                luaL_addlstring(b, cap, (size_t)len);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

/* The replacement of the match [s, e) into b; whether it replaced (false: the match kept as it was). */
static int add_value(struct match_state *ms, luaL_Buffer *b, const char *s, const char *e, int tr)
{
    lua_State *L = ms->L;

    switch (tr) {
    case LUA_TFUNCTION:
        lua_pushvalue(L, 3);
        lua_call(L, push_captures(ms, s, e), 1);
        break;
    case LUA_TTABLE:
        push_capture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default: /* a string or a number */
        add_string(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int l_gsub(lua_State *L)
{
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *lastmatch = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1), n = 0;
    int anchor = *p == '^', changed = 0;
    struct match_state ms;
    luaL_Buffer b;

    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    prepare(&ms, L, "string.gsub", src, srcl, p, lp);
    while (n < max_s) {
        const char *e;
        restart(&ms);
        if ((e = match(&ms, src, p)) && e != lastmatch) {
            n++;
            settle(&ms); /* a replacement function runs Lua, which counts itself */
            changed = add_value(&ms, &b, src, e, tr) | changed;
            src = lastmatch = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    settle(&ms);
    if (!changed) {
        lua_pushvalue(L, 1); /* nothing replaced: the subject itself */
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void sf__open_patterns(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}, {NULL, NULL},
    };

    lua_getglobal(L, "string");
    luaL_setfuncs(L, fns, 0);
    lua_pop(L, 1);
}
