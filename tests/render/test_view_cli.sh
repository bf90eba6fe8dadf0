#!/bin/sh
# `shopfloor render`, `run --record`, `view --replay` and the window:
# pictures are PNGs of the asked size, frames are numbered and counted,
# recording does not change the run, and the real window opens, draws
# frames, saves a screenshot and closes with status 0 (under xvfb-run).
# Usage: test_view_cli.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wh=$src/scenarios/warehouse_basic.yaml

check() { # check EXPECTED_STATUS DESCRIPTION -- command...
    want=$1; what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -40
        fails=$((fails + 1))
    else
        echo "ok: $what"
    fi
}
is_png() { # is_png FILE WIDTH HEIGHT DESCRIPTION: the PNG signature and the IHDR size
    if [ "$(od -An -tx1 -N8 "$1" 2>/dev/null | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
       [ "$(od -An -tu1 -j16 -N8 "$1" | awk '{print $3 * 256 + $4 "x" $7 * 256 + $8}')" = "$2x$3" ]; then
        echo "ok: $4"
    else
        echo "FAIL: $4: $1 is not a $2x$3 PNG"; fails=$((fails + 1))
    fi
}

check 0 "render writes one picture" -- "$sf" render "$wh" --at 2h --png "$tmp/two_hours.png"
is_png "$tmp/two_hours.png" 1280 800 "the picture is a 1280x800 PNG"
check 0 "render takes a size, the heat map and trails" -- "$sf" render "$wh" --at 30min --size 640x400 --heat --trails --png "$tmp/small.png"
is_png "$tmp/small.png" 640 400 "the small picture is 640x400"
check 0 "render writes frames" -- "$sf" render "$wh" --frames "$tmp/frames" --at 1min --every 30s --until 3min --size 320x200
n=$(ls "$tmp/frames" | grep -c '^frame_[0-9]*\.png$')
[ "$n" = 5 ] && echo "ok: 1 to 3 min every 30 s is 5 frames" || { echo "FAIL: $n frames, expected 5"; fails=$((fails + 1)); }
is_png "$tmp/frames/frame_000004.png" 320 200 "the last frame is a PNG"
check 0 "render inspects an agent with --select" -- "$sf" render "$wh" --at 20min --select reach_truck.2 --png "$tmp/select.png"
check 1 "render --select of an unknown name fails" -- "$sf" render "$wh" --at 20min --select forklift.9 --png "$tmp/select9.png"
check 2 "render needs --png or --frames" -- "$sf" render "$wh" --at 1h
check 2 "render refuses a bad size" -- "$sf" render "$wh" --png x.png --size 12
check 1 "render of a missing scenario fails" -- "$sf" render "$tmp/none.yaml" --png "$tmp/none.png"
[ ! -e "$tmp/none.png" ] && echo "ok: no picture from a failed render" || { echo "FAIL: a picture was left"; fails=$((fails + 1)); }
check 1 "render --at past the horizon is an error" -- "$sf" render "$wh" --at 400d --png "$tmp/late.png"
grep -q "past the end of the run" "$tmp/err" && [ ! -e "$tmp/late.png" ] && echo "ok: it says so and writes no picture" ||
    { echo "FAIL: render --at past the horizon"; sed 's/^/  | /' "$tmp/err"; fails=$((fails + 1)); }

"$sf" run "$wh" --until 1h >"$tmp/plain" 2>&1
check 0 "run --record writes a recording" -- "$sf" run "$wh" --until 1h --record "$tmp/wh.rec"
fp1=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/plain"); fp2=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
[ -n "$fp1" ] && [ "$fp1" = "$fp2" ] && echo "ok: recording leaves the run unchanged ($fp1)" || { echo "FAIL: '$fp1' vs '$fp2'"; fails=$((fails + 1)); }
ls "$tmp"/wh.rec.tmp.* >/dev/null 2>&1 && { echo "FAIL: a temporary file was left"; fails=$((fails + 1)); } || echo "ok: no temporary file left"
check 0 "render --replay draws from the recording" -- "$sf" render --replay "$tmp/wh.rec" --at 40min --png "$tmp/replay.png"
check 0 "render live at the same time" -- "$sf" render "$wh" --at 40min --png "$tmp/live.png"
cmp -s "$tmp/replay.png" "$tmp/live.png" && echo "ok: replay and live pictures are the same bytes" || { echo "FAIL: replay and live pictures differ"; fails=$((fails + 1)); }
printf 'local r = sim.resource(1)\n' >"$tmp/model.lua"
check 2 "run --record refuses a bare Lua model" -- "$sf" run "$tmp/model.lua" --record "$tmp/model.rec"
check 1 "view --replay of a scenario file is refused" -- "$sf" render --replay "$wh" --png "$tmp/x.png"

# a headless run with every kind of intervention (agents added before it and during it, a rush order at the start
# and one later, stops, a camera down, a fence, a removal, a speed, tending, transports to a rack and to a station),
# recorded: the replay builds the same plant (the added agents), gives back the same list of interventions, and
# that list run headless gives the same fingerprint
sff=$src/scenarios/smart_factory.yaml
cat >"$tmp/all.txt" <<'EOF2'
add 2 operators to the early shift
rush order: 3 gearbox
+10min stop weld_1 for 20 minutes
+12min forklift 2, stop for 10 minutes
+15min camera weld_cam down for 30 min
+20min fence cobot_1 for 15 min
+25min rush order: 2 housings
+30min add 1 forklift
+35min remove forklift 3
+40min set tugger speed to 1 m/s
+45min humanoid 1: tend mill_2 for 1 h
+50min forklift 1, bring 2 pallets of component_a from receiving to high_bay_1
+55min tugger 2, bring 2 units of gearbox from inbound to kit_1
EOF2
check 0 "run --instruct --record with every kind of intervention" -- \
    "$sf" run "$sff" --until 2h --instruct "$tmp/all.txt" --record "$tmp/all.rec" --out "$tmp/all"
fpa=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
printf '%s\n' '1min key w' 'end quit' >"$tmp/drive_w.txt"
check 0 "view --replay of it writes its interventions" -- env SDL_VIDEODRIVER=dummy "$sf" view --replay "$tmp/all.rec" \
    --speed 10000 --drive "$tmp/drive_w.txt" --instructions "$tmp/all_replayed.txt"
[ "$(grep -c '^+' "$tmp/all_replayed.txt")" = 13 ] &&
    [ "$(grep '^+' "$tmp/all_replayed.txt")" = "$(grep '^+' "$tmp/all/interventions.txt")" ] &&
    echo "ok: the replay's 13 interventions are the run's" ||
    { echo "FAIL: the replay's list"; diff "$tmp/all/interventions.txt" "$tmp/all_replayed.txt"; fails=$((fails + 1)); }
check 0 "the replay's list runs headless" -- "$sf" run "$sff" --until 2h --instruct "$tmp/all_replayed.txt"
fpb=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
[ -n "$fpa" ] && [ "$fpa" = "$fpb" ] && echo "ok: the same $fpa" || { echo "FAIL: '$fpa' vs '$fpb'"; fails=$((fails + 1)); }
check 0 "render --replay draws it with the added agents" -- "$sf" render --replay "$tmp/all.rec" --at 1h --png "$tmp/all.png"

# the real window, under a virtual X server
if command -v xvfb-run >/dev/null 2>&1; then
    check 0 "view opens a window, draws 150 frames and saves a screenshot" -- \
        xvfb-run -a -s "-screen 0 1400x900x24" "$sf" view "$wh" --speed 600 --quit-after 150 --screenshot "$tmp/window.png"
    is_png "$tmp/window.png" 1280 800 "the screenshot is a 1280x800 PNG"
    check 0 "view --replay plays the recording" -- \
        xvfb-run -a -s "-screen 0 1400x900x24" "$sf" view --replay "$tmp/wh.rec" --speed 1000 --quit-after 60 --screenshot "$tmp/replay_window.png"
    is_png "$tmp/replay_window.png" 1280 800 "the replay screenshot is a PNG"
else
    echo "skip: xvfb-run is missing (Debian package xvfb), the window is not tested"
    [ $fails = 0 ] && exit 77
fi
check 2 "view needs a scenario" -- "$sf" view
check 1 "view without a display fails at once" -- env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$sf" view "$wh"
grep -q "shopfloor render" "$tmp/err" && grep -q "xvfb-run" "$tmp/err" && echo "ok: the error names render and xvfb-run" ||
    { echo "FAIL: the no-display error does not name render and xvfb-run"; sed 's/^/  | /' "$tmp/err"; fails=$((fails + 1)); }
check 2 "view refuses a speed above 10000" -- "$sf" view "$wh" --speed 20000

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
