#!/bin/sh
# A reserve of agents (docs/viewer.md) on the flagship (clock from 06:00,
# warm-up 1 h: figures from 07:00):
#   - "reserve 1 agent per fleet entry", "+2h add 1 operator_early", 3 h:
#     operator_early.5 is the entry's reserve agent, out of the plant until
#     08:00 and then at work: over the measured 07:00-09:00 it is off shift
#     1 h and 2 h in all (the early shift has no break before 09:30), as an
#     agent added without a reserve; operator_late.5 and forklift.4, never
#     added, are off shift the whole 2 h; there is no cobot_1.2 (arms have
#     no reserve);
#   - the list as printed (--out DIR/interventions.txt) runs the same run;
#   - adds beyond the reserve are refused before the run, with the line;
#   - after the reserve, "stop forklift 4" names the reserve's forklift; a
#     reserve after other instructions is refused (agents are numbered with it).
#   test_reserve_run.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/scenarios/smart_factory.yaml
fp() { sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$1"; }
fail() { echo "FAIL: $*"; exit 1; }
col() { awk -F, -v a="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } $1 == a { print $k }' "$1/agents.csv"; }
hours() {
    awk -F, -v a="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_h$/) h[i] = 1 }
        $1 == a { s = 0; for (i in h) s += $i; printf "%.9f\n", s }' "$1/agents.csv"
}
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'; }

printf '%s\n' "reserve 1 agent per fleet entry" "+2h add 1 operator_early" > "$tmp/r.txt"
"$sf" run "$plant" --until 3h --instruct "$tmp/r.txt" --out "$tmp/r" > "$tmp/r.log" 2>&1 || { cat "$tmp/r.log"; fail "the run failed"; }
grep -q 'understood as: +00:00:00 reserve 1 agents per fleet entry' "$tmp/r.log" || fail "the reserve is not understood"
[ "$(col "$tmp/r" operator_early.5 off_shift_h)" = 1 ] || fail "operator_early.5 off $(col "$tmp/r" operator_early.5 off_shift_h) h, not 1"
near "$(hours "$tmp/r" operator_early.5)" 2 || fail "operator_early.5 has $(hours "$tmp/r" operator_early.5) h in all, not 2"
[ "$(col "$tmp/r" operator_late.5 off_shift_h)" = 2 ] || fail "operator_late.5 not off the whole time"
[ "$(col "$tmp/r" forklift.4 off_shift_h)" = 2 ] || fail "forklift.4 not off the whole time"
[ -z "$(col "$tmp/r" cobot_1.2 off_shift_h)" ] || fail "an arm has a reserve"
"$sf" run "$plant" --until 3h --instruct "$tmp/r/interventions.txt" > "$tmp/again.log" 2>&1 || fail "the printed list does not run"
[ "$(fp "$tmp/again.log")" = "$(fp "$tmp/r.log")" ] || fail "the printed list gives another fingerprint"

printf '%s\n' "reserve 1 agent per fleet entry" "+1h add 1 forklift" "+2h add 1 forklift" > "$tmp/over.txt"
"$sf" run "$plant" --until 3h --instruct "$tmp/over.txt" > "$tmp/over.out" 2> "$tmp/over.err" && fail "an add beyond the reserve runs"
grep -q 'over.txt:3: cannot follow "+2h add 1 forklift": the reserve of forklift has 0 agents left' "$tmp/over.err" ||
    { cat "$tmp/over.err"; fail "no refusal with the line"; }
# after a reserve, agents are named as it builds them; a reserve after other instructions is refused
printf '%s\n' "reserve 1 agent per fleet entry" "+1h add 1 forklift" "+2h stop forklift 4 for 10 min" > "$tmp/named.txt"
"$sf" run "$plant" --until 3h --instruct "$tmp/named.txt" > "$tmp/named.log" 2>&1 || { cat "$tmp/named.log"; fail "forklift 4 is not known after the reserve"; }
grep -q 'understood as: +02:00:00 stop forklift 4 for 10 min' "$tmp/named.log" || fail "the stop of forklift 4 is not understood"
printf '%s\n' "stop weld_1 for 5 min" "reserve 1 agent per fleet entry" > "$tmp/late.txt"
"$sf" run "$plant" --until 3h --instruct "$tmp/late.txt" > "$tmp/late.out" 2> "$tmp/late.err" && fail "a reserve after other instructions runs"
grep -q 'late.txt:2: cannot follow "reserve 1 agent per fleet entry": a reserve comes first' "$tmp/late.err" ||
    { cat "$tmp/late.err"; fail "no refusal of a late reserve"; }
echo "reserve: ok"
