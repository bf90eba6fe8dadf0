#!/bin/sh
# Fails when a source file includes a header its layer may not see.
#
#   - Lua headers only in sim/script, yaml.h only in sim/scenario, SDL only
#     in render/; sim/core includes nothing but the C standard library.
#   - Project headers point one way, down this ranking:
#       core 0 < model, input 1 < scenario, metrics 2 < script 3
#       < report 4 < experiment, render 5 < cli 6
#     A file may include headers of its own rank or below. The model owns
#     the config types the scenario layer fills, so it never sees scenario.
root=${1:-.}
cd "$root" || exit 2

find sim render -name '*.[ch]' 2>/dev/null | sort | awk '
function rank(layer) {
    if (layer == "core") return 0
    if (layer == "model" || layer == "input") return 1
    if (layer == "scenario" || layer == "metrics") return 2
    if (layer == "script") return 3
    if (layer == "report") return 4
    if (layer == "experiment" || layer == "render") return 5
    if (layer == "cli") return 6
    return -1
}
BEGIN {
    split("assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h", std, " ")
    for (i in std) libc[std[i]] = 1
    bad = 0
}
{
    file = $0
    n = split(file, parts, "/")
    layer = (parts[1] == "render") ? "render" : parts[2]
    if (rank(layer) < 0) next
    line = 0
    while ((getline text < file) > 0) {
        line++
        if (text !~ /^[ \t]*#[ \t]*include/) continue
        hdr = text
        sub(/^[ \t]*#[ \t]*include[ \t]*/, "", hdr)
        quoted = substr(hdr, 1, 1) == "\""
        sub(/^[<"]/, "", hdr); sub(/[>"].*$/, "", hdr)
        why = ""
        if (hdr ~ /^(lua|lauxlib|lualib|luaconf)\.h$/ && layer != "script") why = "only sim/script may include Lua headers"
        else if (hdr ~ /^yaml\.h$/ && layer != "scenario") why = "only sim/scenario may include yaml.h"
        else if (hdr ~ /^SDL/ && layer != "render") why = "only render/ may include SDL headers"
        else if (!quoted && layer == "core" && !(hdr in libc)) why = "sim/core includes only the C standard library"
        else if (quoted) {
            m = split(hdr, hp, "/")
            target = hp[1]
            if (m > 1 && rank(target) > rank(layer)) why = "layer " layer " may not include " target " (dependencies point down)"
            else if (m > 1 && target == "render" && layer != "render" && layer != "cli") why = "only cli may include render"
            else if (hdr ~ /^generated\// && layer != "cli") why = "generated headers are for cli only"
        }
        if (why != "") { printf "%s:%d: #include <%s>: %s\n", file, line, hdr, why; bad = 1 }
    }
    close(file)
}
END { exit bad }
'
