#!/bin/sh
# A safety mode switched during a run (shopfloor run --instruct), on the
# flagship, 4 h from 06:00:
#   - cobot_1 (ssm rule) runs pfl from +1 h for 1 h, cobot_2 pfl from
#     +2:30 and ssm again from +3 h: the read-back says pfl runs at the ssm
#     rule's reduced_speed; the run differs from the plain one and repeats;
#     the safety table splits each switched cobot's working time by mode,
#     the modes adding up to its total;
#   - the printed list reproduces the run (fingerprint), and so does the
#     list a replay of its recording writes (the same fingerprint, the same
#     recording to the byte);
#   - a fenced arm given a pfl rule by --set, fenced from the start by an
#     instruction and switched to pfl at +1 h, fenced again for 30 min at
#     +2 h, ends in pfl (the fence over, not the one from the start);
#   - refusals: no camera for ssm or pfl, no pfl speed for a fenced rule.
#   test_safety_switch_run.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/scenarios/smart_factory.yaml
fp() { sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$1"; }
fail() { echo "FAIL: $*"; exit 1; }

printf '+1h set cobot_1 to pfl for 1 h\n+2h30min set cobot_2 to pfl\n+3h set cobot_2 to ssm\n' > "$tmp/switch.txt"
"$sf" run "$plant" --until 4h > "$tmp/plain.txt" 2>&1 || fail "the plain run failed"
# a build without the viewer cannot record ("--record needs the viewer"): the recording part below is skipped there
viewer=true
"$sf" run "$plant" --until 4h --instruct "$tmp/switch.txt" --record "$tmp/a.rec" > "$tmp/a.txt" 2>&1 ||
    { grep -q 'needs the viewer' "$tmp/a.txt" && viewer=false; } ||
    { cat "$tmp/a.txt"; fail "the run with switches failed"; }
$viewer || "$sf" run "$plant" --until 4h --instruct "$tmp/switch.txt" > "$tmp/a.txt" 2>&1 ||
    { cat "$tmp/a.txt"; fail "the run with switches failed"; }
"$sf" run "$plant" --until 4h --instruct "$tmp/switch.txt" > "$tmp/b.txt" 2>&1 || fail "the second run failed"
grep -q 'switch.txt:1: "+1h set cobot_1 to pfl for 1 h" understood as: +01:00:00 set cobot_1 1 to pfl at its ssm rule.s reduced_speed for 1 h' "$tmp/a.txt" ||
    { cat "$tmp/a.txt"; fail "line 1 not read back with the speed it runs at"; }
p=$(fp "$tmp/plain.txt"); a=$(fp "$tmp/a.txt"); b=$(fp "$tmp/b.txt")
[ -n "$p" ] && [ -n "$a" ] || fail "no fingerprint"
[ "$a" != "$p" ] || fail "the switches changed nothing ($a)"
[ "$a" = "$b" ] || fail "two runs with the same switches differ ($a, $b)"

# the safety table: cobot_1 ssm and pfl rows adding up to its working hours, cobot_2 too
total() { awk -v r="$2" '$1 == r && NF == 12 { print $4; exit }' "$1"; }
bymode() { awk -v r="$2" -v m="$3" '/^robot +in / { t = 1; next } t && $1 == r && $2 == m { print $3 }' "$1"; }
for r in cobot_1.1 cobot_2.1; do
    s=$(bymode "$tmp/a.txt" $r ssm); q=$(bymode "$tmp/a.txt" $r pfl); w=$(total "$tmp/a.txt" $r)
    [ -n "$s" ] && [ -n "$q" ] && [ -n "$w" ] || { cat "$tmp/a.txt"; fail "$r: no rows by mode"; }
    awk -v s="$s" -v q="$q" -v w="$w" 'BEGIN { d = s + q - w; exit !(d < 0.011 && d > -0.011) }' ||
        fail "$r: ssm $s h + pfl $q h is not its $w working hours"
done
[ -z "$(bymode "$tmp/plain.txt" cobot_1.1 ssm)" ] || fail "a run without switches shows the table by mode"

# the printed list, and the list a replay of the recording writes, reproduce the run
sed -n 's/.*understood as: //p' "$tmp/a.txt" > "$tmp/printed.txt"
"$sf" run "$plant" --until 4h --instruct "$tmp/printed.txt" > "$tmp/c.txt" 2>&1 || fail "the printed list does not run"
[ "$(fp "$tmp/c.txt")" = "$a" ] || fail "the printed list gives $(fp "$tmp/c.txt"), not $a"
if $viewer; then
    env SDL_VIDEODRIVER=dummy "$sf" view --replay "$tmp/a.rec" --quit-after 2 --instructions "$tmp/replayed.txt" \
        > "$tmp/replay.out" 2>&1 || { cat "$tmp/replay.out"; fail "the recording does not replay"; }
    [ "$(grep '^+' "$tmp/replayed.txt")" = "$(cat "$tmp/printed.txt")" ] ||
        { diff "$tmp/printed.txt" "$tmp/replayed.txt"; fail "the replay's list is not the printed one"; }
    "$sf" run "$plant" --until 4h --instruct "$tmp/replayed.txt" --record "$tmp/d.rec" > "$tmp/d.txt" 2>&1 ||
        fail "the replayed list does not run"
    [ "$(fp "$tmp/d.txt")" = "$a" ] || fail "the replayed list gives $(fp "$tmp/d.txt"), not $a"
    gzip -dc "$tmp/a.rec" > "$tmp/a.raw" && gzip -dc "$tmp/d.rec" > "$tmp/d.raw" && cmp -s "$tmp/a.raw" "$tmp/d.raw" ||
        fail "the recordings of the run and of its replayed list differ"
fi

# a fenced arm given a pfl rule: fenced by an instruction until +1 h, pfl, fenced 30 min at +2 h, pfl again
printf 'fence weld_arm_1\n+1h set weld_arm_1 to pfl\n+2h set weld_arm_1 to fenced for 30 min\n' > "$tmp/weld.txt"
"$sf" run "$plant" --until 4h --set safety.robots.weld_arm_1.mode=pfl --set safety.robots.weld_arm_1.max_speed=0.25 \
    --instruct "$tmp/weld.txt" > "$tmp/w.txt" 2>&1 || { cat "$tmp/w.txt"; fail "the weld arm's switch failed"; }
awk '$1 == "weld_arm_1.1" && NF == 12 { exit !($2 == "pfl" && $3 == "pfl") }' "$tmp/w.txt" ||
    { grep weld_arm_1.1 "$tmp/w.txt"; fail "weld_arm_1 does not end in pfl"; }
[ -n "$(bymode "$tmp/w.txt" weld_arm_1.1 fenced)" ] && [ -n "$(bymode "$tmp/w.txt" weld_arm_1.1 pfl)" ] ||
    fail "weld_arm_1: no fenced and pfl rows"

# refusals: nothing runs
refused() { # refused FILE_TEXT MESSAGE -- run options...
    printf '%s\n' "$1" > "$tmp/r.txt"; want=$2; shift 3
    "$sf" run "$plant" --until 1h "$@" --instruct "$tmp/r.txt" > "$tmp/r.out" 2> "$tmp/r.err"
    [ $? = 1 ] || fail "\"$(cat "$tmp/r.txt")\" is not refused"
    grep -qF "$want" "$tmp/r.err" || { cat "$tmp/r.err"; fail "no reason \"$want\""; }
    ! grep -q fingerprint "$tmp/r.out" || fail "the run started"
}
nocam="--set safety.cameras=~ --set safety.robots.cobot_1.fallback=fenced --set safety.robots.cobot_2.fallback=fenced"
refused "set cobot_1 to ssm" "r.txt:1: cannot follow \"set cobot_1 to ssm\": ssm needs a camera watching where cobot_1 works, and none does" -- $nocam
refused "+1h set cobot_2 to pfl" "pfl needs a camera watching where cobot_2 works" -- $nocam
refused "set weld_arm_1 to pfl" "weld_arm_1 has no pfl speed (its safety rule is fenced): give it a pfl rule, --set safety.robots.weld_arm_1.mode=pfl" --
refused "set humanoid 1 to pfl" "pfl is not for a humanoid" --
echo "ok: safety modes switched during a run"
