#!/bin/sh
# shopfloor run --instruct on the flagship, 4 h from 06:00 (warm-up 1 h):
#   - the run follows the instructions: weld_1 stopped 20 min (failed_h
#     1/3 in stations.csv, none without), assembly_cam down for 1 h from
#     07:00 (both ssm cobots it watches run fenced 1 h each, 2 h for the
#     plant; the weld cell's arms are fenced by rule, so 0 for them); a
#     cobot fenced by an instruction over the outage counts none;
#   - its fingerprint differs from the plain run's and is the same run
#     after run, and the same again from the interventions as printed
#     ("understood as: ...") written back as an instruction file, or as
#     --out writes them (DIR/interventions.txt);
#   - a sentence it cannot follow stops the run before it starts: exit 1,
#     its file, line, the sentence and why, and no run.
#   test_instruct_run.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/scenarios/smart_factory.yaml
fp() { sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$1"; }
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/class.txt" <<'EOT'
# a class's morning
+1h stop weld_1 for 20 minutes
07:00 camera assembly_cam down for one hour
rush order: five gearboxes
+2h forklift 2, stop for half an hour
EOT
"$sf" run "$plant" --until 4h --out "$tmp/plain" > "$tmp/plain.txt" 2>&1 || fail "the plain run failed"
"$sf" run "$plant" --until 4h --instruct "$tmp/class.txt" --out "$tmp/a" > "$tmp/a.txt" 2>&1 || { cat "$tmp/a.txt"; fail "the run with instructions failed"; }
"$sf" run "$plant" --until 4h --instruct "$tmp/class.txt" > "$tmp/b.txt" 2>&1 || fail "the second run failed"
[ "$(grep -c 'understood as' "$tmp/a.txt")" = 4 ] || { cat "$tmp/a.txt"; fail "four sentences, not four understood"; }
grep -q "class.txt:3: \"07:00 camera assembly_cam down for one hour\" understood as: +01:00:00 camera assembly_cam down for 1 h" "$tmp/a.txt" ||
    fail "line 3 not shown as understood"
p=$(fp "$tmp/plain.txt"); a=$(fp "$tmp/a.txt"); b=$(fp "$tmp/b.txt")
[ -n "$p" ] && [ -n "$a" ] || fail "no fingerprint"
[ "$a" != "$p" ] || fail "the instructions changed nothing ($a)"
[ "$a" = "$b" ] || fail "two runs with the same instructions differ ($a, $b)"
failed() { awk -F, -v s="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "failed_h") c = i } $1 == s { print $c }' "$1/stations.csv"; }
[ "$(failed "$tmp/a" weld_1)" = "0.3333333333333333" ] || fail "weld_1 failed $(failed "$tmp/a" weld_1) h, not 20 min"
[ "$(failed "$tmp/plain" weld_1)" = "0" ] || fail "weld_1 fails in the plain run"
outage() { awk -F, -v w="$2" '$1 == "camera_outage_fenced_time" && $2 == w {print $3}' "$1/kpis.csv"; }
[ "$(outage "$tmp/a" cobot_1.1)" = 1 ] && [ "$(outage "$tmp/a" cobot_2.1)" = 1 ] && [ "$(outage "$tmp/a" -)" = 2 ] ||
    fail "assembly_cam down 1 h: cobots fenced $(outage "$tmp/a" cobot_1.1) and $(outage "$tmp/a" cobot_2.1) h"
[ "$(outage "$tmp/a" weld_arm_1.1)" = 0 ] || fail "a fenced arm counts a camera outage"

# a fence held over a camera outage: cobot_1, fenced from 07:00 to 09:00, counts no outage; cobot_2 the hour
printf '+1h fence cobot_1 for 2 h\n+1h camera assembly_cam down for 1 h\n' > "$tmp/fence.txt"
"$sf" run "$plant" --until 4h --instruct "$tmp/fence.txt" --out "$tmp/f" > "$tmp/f.txt" 2>&1 || fail "the fenced run failed"
[ "$(outage "$tmp/f" cobot_1.1)" = 0 ] && [ "$(outage "$tmp/f" cobot_2.1)" = 1 ] ||
    fail "fenced cobot_1 counts $(outage "$tmp/f" cobot_1.1) h of outage, cobot_2 $(outage "$tmp/f" cobot_2.1) h"
[ "$(fp "$tmp/f.txt")" != "$p" ] || fail "the fence changed nothing"

# the interventions as printed reproduce the run
sed -n 's/.*understood as: //p' "$tmp/a.txt" > "$tmp/printed.txt"
"$sf" run "$plant" --until 4h --instruct "$tmp/printed.txt" > "$tmp/c.txt" 2>&1 || fail "the printed list does not run"
[ "$(fp "$tmp/c.txt")" = "$a" ] || fail "the printed list gives $(fp "$tmp/c.txt"), not $a"

# and so does the list written with --out
grep -q "^# the interventions of a run of .*smart_factory.yaml, seed 2026" "$tmp/a/interventions.txt" || fail "no interventions.txt"
"$sf" run "$plant" --until 4h --instruct "$tmp/a/interventions.txt" > "$tmp/d.txt" 2>&1 || fail "interventions.txt does not run"
[ "$(fp "$tmp/d.txt")" = "$a" ] || fail "interventions.txt gives $(fp "$tmp/d.txt"), not $a"
[ ! -e "$tmp/plain/interventions.txt" ] || fail "a run without instructions writes interventions.txt"

# a sentence it cannot follow: nothing runs
printf 'stop weld_1 for 20 minutes\nforklift 2, bring 10 pallets of component_a from shipping to high_bay_1\n' > "$tmp/bad.txt"
"$sf" run "$plant" --until 4h --instruct "$tmp/bad.txt" > "$tmp/bad.out" 2> "$tmp/bad.err"
[ $? = 1 ] || fail "a sentence it cannot follow does not exit 1"
grep -q "bad.txt:2: cannot follow \"forklift 2, bring 10 pallets of component_a from shipping to high_bay_1\": component_a arrives at inbound, not at outbound" "$tmp/bad.err" ||
    { cat "$tmp/bad.err"; fail "no message with the line, the sentence and why"; }
! grep -q "fingerprint" "$tmp/bad.out" || fail "the run started"
printf 'stop weld_3 for 5 min\n' > "$tmp/name.txt"
"$sf" run "$plant" --instruct "$tmp/name.txt" > /dev/null 2> "$tmp/name.err" && fail "an unknown name runs"
grep -q "name.txt:1: cannot follow \"stop weld_3 for 5 min\": there is no station, agent or camera 'weld_3'; did you mean 'weld_1'?" "$tmp/name.err" ||
    { cat "$tmp/name.err"; fail "no did-you-mean"; }
"$sf" run "$plant" --instruct "$tmp/missing.txt" > /dev/null 2> "$tmp/missing.err" && fail "a missing file runs"
grep -q "missing.txt: cannot read the instructions" "$tmp/missing.err" || fail "no message for a missing file"
"$sf" run "$src/examples/mm1.lua" --instruct "$tmp/class.txt" > /dev/null 2> "$tmp/lua.err" && fail "a Lua model takes instructions"
grep -q "instructs a factory scenario" "$tmp/lua.err" || { cat "$tmp/lua.err"; fail "no message for a Lua model"; }
echo "ok: fingerprint $p plain, $a with instructions, the same again and from the printed list; refusals stop the run"
