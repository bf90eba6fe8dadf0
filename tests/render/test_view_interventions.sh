#!/bin/sh
# The live window's interventions, under a virtual X server: a scripted
# trainer (view --drive) types two instructions, has one refused, clicks a
# station and stops it with B, takes a camera down with C, stops a
# clicked forklift (three interventions and two instructions); the live run's
# recording equals to the byte the headless run of its printed instruction
# list, which gives the same fingerprint; the replay shows and writes the
# same list; agents typed in live from a reserve (view --reserve) are
# reproduced headless by the printed list.
# Usage: test_view_interventions.sh path/to/shopfloor source_dir
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
if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "skip: xvfb-run is missing (Debian package xvfb), the window is not tested"
    exit 77
fi
# a trainer's session, scripted: two typed instructions, one refused, one click and B (stop the clicked
# station), a camera taken down with C, a clicked forklift stopped; the live run's recording and its printed instructions
sff=$src/scenarios/smart_factory.yaml
printf '%s\n' '20min type stop weld_1 for 20 minutes' '25min type fence cobot_2 for 15 minutes' \
    '30min type stop weld_3 for 5 min' '40min click mill_2' \
    '40min key b' '50min click assy_1' '50min key c' '60min click forklift.2' '60min key b' 'end quit' >"$tmp/drive.txt"
check 0 "view follows a typed instruction, a click and the keys, recording the live run" -- \
    xvfb-run -a -s "-screen 0 1400x900x24" "$sf" view "$sff" --until 2h --speed 2000 --drive "$tmp/drive.txt" \
    --record "$tmp/live.rec" --instructions "$tmp/live.txt"
fpl=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
grep -q ", 5 interventions$" "$tmp/out" && [ "$(grep -c '^+' "$tmp/live.txt")" = 5 ] &&
    grep -q '^+00:[2-3][0-9]:[0-9][0-9] stop weld_1 for 20 min$' "$tmp/live.txt" &&
    grep -q '^+00:2[5-9]:[0-9][0-9] fence cobot_2 1 for 15 min$' "$tmp/live.txt" &&
    grep -q '^+00:[4-5][0-9]:[0-9][0-9] stop mill_2 for 20 min$' "$tmp/live.txt" &&
    grep -q '^+0[01]:[0-9][0-9]:[0-9][0-9] camera assembly_cam down for 20 min$' "$tmp/live.txt" &&
    grep -q '^+01:[0-9][0-9]:[0-9][0-9] stop forklift 2 for 20 min$' "$tmp/live.txt" &&
    ! grep -q weld_3 "$tmp/live.txt" &&
    grep -q "^refused: cannot follow \"stop weld_3 for 5 min\": there is no station, agent or camera 'weld_3'; did you mean 'weld_1'?\$" "$tmp/out" &&
    [ "$(grep -c '^done: ' "$tmp/out")" = 5 ] && echo "ok: the five interventions are listed, the refused one is not, with its reason" ||
    { echo "FAIL: the live interventions"; sed 's/^/  | /' "$tmp/out" "$tmp/err" "$tmp/live.txt"; fails=$((fails + 1)); }
check 0 "the printed list runs headless" -- "$sf" run "$sff" --until 2h --instruct "$tmp/live.txt" --record "$tmp/headless.rec"
fph=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
[ -n "$fpl" ] && [ "$fpl" = "$fph" ] && echo "ok: headless with --instruct gives the live run's $fpl" ||
    { echo "FAIL: live '$fpl', headless '$fph'"; fails=$((fails + 1)); }
gzip -dc "$tmp/live.rec" >"$tmp/live.raw" && gzip -dc "$tmp/headless.rec" >"$tmp/headless.raw" &&
    cmp -s "$tmp/live.raw" "$tmp/headless.raw" && echo "ok: the live recording and the headless one are the same bytes" ||
    { echo "FAIL: the live and headless recordings differ"; fails=$((fails + 1)); }
# agents added live from a reserve (view --reserve 2): two operators and a forklift join, a third forklift is
# refused (the reserve is used up); the printed list builds the same reserve and gives the same fingerprint
printf '%s\n' '20min type add 2 operators to the early shift' '30min type add 1 forklift' '40min type stop forklift 4 for 10 min' \
    '50min type add 2 forklifts' 'end quit' >"$tmp/drive_reserve.txt"
check 0 "view --reserve adds agents typed live" -- \
    xvfb-run -a -s "-screen 0 1400x900x24" "$sf" view "$sff" --until 2h --speed 2000 --reserve 2 \
    --drive "$tmp/drive_reserve.txt" --instructions "$tmp/reserve.txt"
fpl=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
[ "$(grep '^+' "$tmp/reserve.txt" | sed 's/^+[0-9:]* //' | tr '\n' ';')" = \
  "reserve 2 agents per fleet entry;add 2 operator_early;add 1 forklift;stop forklift 4 for 10 min;" ] &&
    grep -q "^refused: not done: +00:5[0-9]:[0-9][0-9] add 2 forklift: the fleet entry's reserve is used up" "$tmp/out" &&
    echo "ok: the reserve's agents are added live, and the add beyond it refused" ||
    { echo "FAIL: the live adds"; sed 's/^/  | /' "$tmp/out" "$tmp/err" "$tmp/reserve.txt"; fails=$((fails + 1)); }
check 0 "the printed list with its reserve runs headless" -- "$sf" run "$sff" --until 2h --instruct "$tmp/reserve.txt"
fph=$(grep -o 'fingerprint [0-9a-f]*' "$tmp/out")
[ -n "$fpl" ] && [ "$fpl" = "$fph" ] && echo "ok: headless with the reserve gives the live run's $fpl" ||
    { echo "FAIL: live '$fpl', headless '$fph'"; fails=$((fails + 1)); }
printf '%s\n' '20min key b' '20min key Return' '30min key w' 'end quit' >"$tmp/drive_replay.txt"
# the rest under SDL's dummy video driver: the same events, no X server
check 0 "view --replay plays the recorded interventions and writes them" -- \
    env SDL_VIDEODRIVER=dummy "$sf" view --replay "$tmp/live.rec" --speed 10000 \
    --drive "$tmp/drive_replay.txt" --instructions "$tmp/replayed.txt"
[ -s "$tmp/replayed.txt" ] && [ "$(grep '^+' "$tmp/replayed.txt")" = "$(grep '^+' "$tmp/live.txt")" ] &&
    echo "ok: the replay's list is the live one" ||
    { echo "FAIL: the replay's list differs"; diff "$tmp/live.txt" "$tmp/replayed.txt"; fails=$((fails + 1)); }
printf '%s\n' '1min click nothing_here' 'end quit' >"$tmp/drive_bad.txt"
check 1 "a scripted click on nothing fails the run" -- \
    env SDL_VIDEODRIVER=dummy "$sf" view "$wh" --until 5min --speed 1000 --drive "$tmp/drive_bad.txt"
printf '%s\n' '1min dance' >"$tmp/drive_bad.txt"
check 1 "a bad scripted line is refused with its place" -- \
    env SDL_VIDEODRIVER=dummy "$sf" view "$wh" --until 5min --drive "$tmp/drive_bad.txt"
grep -q "drive_bad.txt:1:[0-9]*: " "$tmp/err" && echo "ok: it names file:line:col" || { echo "FAIL: no place"; fails=$((fails + 1)); }

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
