/*
 * test_patterns.c: the sandbox's string.find, match, gmatch and gsub
 * (l_pattern.c) against Lua's own, on generated patterns and subjects,
 * and the bound on their work.
 *
 * One Lua program makes 40,000 (pattern, subject) cases from a fixed
 * generator (its own, so that both states draw the same cases) and writes
 * what each function returns, or the error it raises, one line per call.
 * It runs once in a plain Lua state with the standard string library and
 * once in the sandbox; the two texts must be equal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "script/lua_harness.h"

static const char *program =
    "local seed = 12345\n"
    "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end\n"
    "local atoms = {'a', 'b', '.', '%a', '%d', '%s', '%S', '[ab]', '[^a]', '[a-c]', '[%d ]', '(', ')', '()',\n"
    "  '%1', '%2', '%bab', '%b()', '%f[%a]', '%f[%A]', '^', '$', '%', '[', ']', '%%', '-', '%]', 'x'}\n"
    "local quants = {'', '', '', '*', '+', '-', '?'}\n"
    "local chars = {'a', 'b', 'a', 'b', ' ', '1', '(', ')', 'c', 'x'}\n"
    "local function show(ok, ...)\n"
    "  local t = {ok and 'ok' or 'err'}\n"
    "  for i = 1, select('#', ...) do t[#t + 1] = tostring((select(i, ...))) end\n"
    "  return table.concat(t, '|')\n"
    "end\n"
    "local function gm(s, p)\n"
    "  local t, n = {}, 0\n"
    "  for a, b in string.gmatch(s, p) do\n"
    "    n = n + 1; t[#t + 1] = tostring(a) .. ',' .. tostring(b)\n"
    "    if n > 20 then break end\n"
    "  end\n"
    "  return table.concat(t, ';')\n"
    "end\n"
    "local repl = {'%0<%1>', '[%%]', function(a, b) if a == 'a' then return nil end return '{' .. tostring(a) .. '}' end,\n"
    "  {a = 'A', ab = false, b = 1.5}, '%2', '%x', 7}\n"
    "function cases(emit)\n"
    "  for c = 1, 40000 do\n"
    "    local p, s = {}, {}\n"
    "    for i = 1, rnd(5) do p[#p + 1] = atoms[rnd(#atoms)] .. quants[rnd(#quants)] end\n"
    "    for i = 1, rnd(12) - 1 do s[#s + 1] = chars[rnd(#chars)] end\n"
    "    p, s = table.concat(p), table.concat(s)\n"
    "    local init = rnd(16) - 8\n"
    "    emit(show(pcall(string.find, s, p)))\n"
    "    emit(show(pcall(string.find, s, p, init)))\n"
    "    emit(show(pcall(string.find, s, p, init, true)))\n"
    "    emit(show(pcall(string.match, s, p, init)))\n"
    "    emit(show(pcall(gm, s, p)))\n"
    "    emit(show(pcall(string.gsub, s, p, repl[rnd(#repl)], rnd(4) - 1)))\n"
    "  end\n"
    "end\n";

/* The program's lines, from a plain Lua state. */
static char *reference(void)
{
    lua_State *L = luaL_newstate();
    char *out;

    luaL_openlibs(L);
    assert_true((luaL_loadbuffer(L, program, strlen(program), "=model.lua") || lua_pcall(L, 0, 0, 0)) == LUA_OK);
    assert_true(luaL_dostring(L, "local t = {} cases(function(l) t[#t + 1] = l end) return table.concat(t, '\\n')") ==
          LUA_OK);
    out = strdup(lua_tostring(L, -1));
    lua_close(L);
    return out;
}

/* The same lines from the sandbox: each sim.log line is "[time] main: TEXT". */
static char *sandboxed(void)
{
    char *buf = NULL, *out, *w;
    size_t n = 0;
    FILE *log = open_memstream(&buf, &n);
    sf_script_options opt = {.seed = 1, .log = log, .budget = 1000000000000ull};
    size_t len = strlen(program) + 200;
    char *src = malloc(len);
    harness h;

    snprintf(src, len, "%s\ncases(function(l) sim.log(l) end)\n", program);
    h = harness_run(src, SF_TIME_MAX, &opt);
    assert_int_equal(h.rc, SF_OK);
    harness_close(&h);
    fclose(log);
    out = w = malloc(n + 1);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        const char *text = strstr(line, "main: ");
        text = text ? text + 6 : line;
        w += sprintf(w, "%s%s", w == out ? "" : "\n", text);
    }
    *w = '\0';
    free(buf);
    free(src);
    return out;
}

static void test_patterns_match_lua(void **state)
{
    char *want = reference(), *got = sandboxed();
    (void)state;
    size_t i = 0, line = 1;

    while (want[i] && want[i] == got[i]) {
        line += want[i] == '\n';
        i++;
    }
    if (want[i] || got[i]) {
        fprintf(stderr, "first difference at line %zu:\n  lua:     %.300s\n  sandbox: %.300s\n", line,
                want + i - (i > 40 ? 40 : i), got + i - (i > 40 ? 40 : i));
    }
    assert_true(strcmp(want, got) == 0);
    free(want);
    free(got);
}

/* A pattern that backtracks for hours is stopped by the budget, with the function and subject named. */
static void test_backtracking_is_bounded(void **state)
{
    sf_script_options opt = {.seed = 1, .budget = 10000000};
    (void)state;
    harness h = harness_run("local s = string.rep('a', 5000)\n"
                            "local ok, err = pcall(string.find, s, 'a*a*a*a*a*b')\n"
                            "assert(not ok)\n"
                            "assert(err:find('string.find ran past the instruction budget of 10000000 on a subject "
                            "of 5000 bytes', 1, true), err)\n"
                            "while true do end\n",
                            SF_TIME_MAX, &opt);
    assert_int_equal(h.rc, SF_ELIMIT); /* the budget is spent: the loop after the pcall is stopped at once */
    assert_true(strstr(sf_script_error(h.S), "model.lua:5:") != NULL);
    harness_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_match_lua),
        cmocka_unit_test(test_backtracking_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
