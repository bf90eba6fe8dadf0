#!/bin/sh
# Agents added and removed during a run, and a rush order after the start,
# on the flagship (clock from 06:00, warm-up 1 h: figures from 07:00):
#   - "+2h add 1 operator_early", 3 h: operator_early.5 is built with the
#     plant and joins at 08:00, so over the measured 07:00-09:00 it is off
#     shift 1 h and at work the other hour (the early shift has no break
#     before 09:30); operator_early.1 is off shift 0 h;
#   - "+2h remove forklift 3", 4 h: forklift 3 waits for work at 08:00, so
#     it is off from then on (trace: off_shift at 7200 s, nothing after;
#     2 h off shift);
#   - "+01:48:20 remove forklift 3", 4 h: at 6500 s forklift 3 is picking a
#     pallet up; it finishes that task (one more handling, the drop), is
#     off when it ends at T, never moves again: off shift (14400 - T) s;
#   - "+2h rush order: 5 housing", 1 day: 5 more housings completed than
#     without;
#   - "set forklift speed to 0.5 m/s" (from 2 m/s; loaded 1.5 m/s, so
#     0.375 m/s loaded; accel 0.5, decel 0.7 m/s^2): a trip of L m that
#     reaches top speed v takes L/v + v/(2 accel) + v/(2 decel); forklift 1's
#     first empty trip takes t = 14.2595 s in the plain run, so L = 2 (t - 3.428571)
#     m, and 2 L + 0.857143 s at 0.5 m/s; its first loaded trip likewise
#     (L = 1.5 (t - 2.571429), then L / 0.375 + 0.642857 s);
#   - "22:00 humanoid 1: tend kit_1 until 02:00", 1 day: at night only the
#     humanoids work; without the instruction humanoid 1 works at kit_1,
#     mill_1, mill_2...; with it, each spell of work it starts between 22:05
#     (the task in hand done) and 02:00 starts with one of kit_1's, and after
#     02:00 it works elsewhere too;
#   - the list as printed (--out DIR/interventions.txt) runs the same run.
#   test_agents_run.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/scenarios/smart_factory.yaml
fp() { sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$1"; }
fail() { echo "FAIL: $*"; exit 1; }
# col DIR AGENT COLUMN: a figure of agents.csv
col() { awk -F, -v a="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } $1 == a { print $k }' "$1/agents.csv"; }
# hours DIR AGENT: the agent's hours in every state (the measured window)
hours() {
    awk -F, -v a="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_h$/) h[i] = 1 }
        $1 == a { s = 0; for (i in h) s += $i; printf "%.9f\n", s }' "$1/agents.csv"
}
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'; }
run() { # run NAME UNTIL LINES...
    name=$1 until=$2
    shift 2
    printf '%s\n' "$@" > "$tmp/$name.txt"
    "$sf" run "$plant" --until "$until" --instruct "$tmp/$name.txt" --out "$tmp/$name" --trace > "$tmp/$name.log" 2>&1 ||
        { cat "$tmp/$name.log"; fail "the run $name failed"; }
}

# an operator added at 08:00
run add 3h "+2h add 1 operator_early"
grep -q 'understood as: +02:00:00 add 1 operator_early' "$tmp/add.log" || fail "the add is not shown as understood"
[ "$(col "$tmp/add" operator_early.5 off_shift_h)" = 1 ] || fail "operator_early.5 off $(col "$tmp/add" operator_early.5 off_shift_h) h, not 1"
[ "$(col "$tmp/add" operator_early.5 on_break_h)" = 0 ] || fail "operator_early.5 on a break before 09:30"
near "$(hours "$tmp/add" operator_early.5)" 2 || fail "operator_early.5 has $(hours "$tmp/add" operator_early.5) h in all, not 2"
[ "$(col "$tmp/add" operator_early.1 off_shift_h)" = 0 ] || fail "operator_early.1 is off shift"
[ -z "$(col "$tmp/add" operator_early.6 off_shift_h)" ] || fail "a sixth operator_early"

# a forklift removed while it waits for work: off at once
run idle 4h "+2h remove forklift 3"
last=$(grep ',forklift.3,' "$tmp/idle/trace.csv" | tail -1)
[ "$last" = "7200,agent,forklift.3,off_shift" ] || fail "forklift 3 waiting for work at 08:00: last state '$last'"
[ "$(col "$tmp/idle" forklift.3 off_shift_h)" = 2 ] || fail "forklift 3 off $(col "$tmp/idle" forklift.3 off_shift_h) h, not 2"

# a forklift removed while it picks a pallet up: the task in hand ends, then off
run busy 4h "+01:48:20 remove forklift 3"
awk -F, '$3 == "forklift.3" && $1 <= 6500 { s = $4 } END { exit s != "handling" }' "$tmp/busy/trace.csv" ||
    fail "forklift 3 is not handling a pallet at 6500 s (the test's premise)"
after=$(awk -F, '$3 == "forklift.3" && $1 > 6500 { print $4 }' "$tmp/busy/trace.csv" | tr '\n' ' ')
[ "$(echo "$after" | grep -o handling | wc -l)" = 1 ] || fail "forklift 3 after its removal: $after (one drop expected)"
echo "$after" | grep -q 'handling idle off_shift $' || fail "forklift 3 is not off once its drop ends: $after"
t=$(awk -F, '$3 == "forklift.3" { t = $1 } END { print t }' "$tmp/busy/trace.csv")
near "$(col "$tmp/busy" forklift.3 off_shift_h)" "$(awk -v t="$t" 'BEGIN { printf "%.12f", (14400 - t) / 3600 }')" ||
    fail "forklift 3 off $(col "$tmp/busy" forklift.3 off_shift_h) h, not from $t s"

# a rush order after the start completes
"$sf" run "$plant" --until 1d --out "$tmp/plain" > "$tmp/plain.log" 2>&1 || fail "the plain run failed"
run rush 1d "+2h rush order: 5 housing"
done_h() { awk -F, '$1 == "completed" && $2 == "housing" { print $3 }' "$1/kpis.csv"; }
[ "$(done_h "$tmp/rush")" = "$(($(done_h "$tmp/plain") + 5))" ] ||
    fail "housings completed: $(done_h "$tmp/rush") with the rush order, $(done_h "$tmp/plain") without"

# a fleet entry's speed: forklift 1's first trips, by the formula from the plain run's
"$sf" run "$plant" --until 2h --out "$tmp/plain2" --trace > /dev/null 2>&1 || fail "the plain 2 h run failed"
run slow 2h "set forklift speed to 0.5 m/s"
grep -q 'understood as: +00:00:00 set forklift speed to 0.5 m/s' "$tmp/slow.log" || fail "the speed is not shown as understood"
first() { # first DIR STATE: how long forklift 1's first spell in STATE lasts
    awk -F, -v s="$2" '$3 == "forklift.1" { if (p == s && !done) { printf "%.9f\n", $1 - t; done = 1 } p = $4; t = $1 }' "$1/trace.csv"
}
e=$(first "$tmp/plain2" travel_empty) l=$(first "$tmp/plain2" travel_loaded)
near "$(first "$tmp/slow" travel_empty)" "$(awk -v t="$e" 'BEGIN { printf "%.9f", 2 * (2 * (t - 2 - 2 / 1.4)) + 0.5 + 0.5 / 1.4 }')" ||
    fail "forklift 1's first empty trip at 0.5 m/s takes $(first "$tmp/slow" travel_empty) s (plain: $e s)"
near "$(first "$tmp/slow" travel_loaded)" "$(awk -v t="$l" 'BEGIN { printf "%.9f", 1.5 * (t - 1.5 - 1.5 / 1.4) / 0.375 + 0.375 + 0.375 / 1.4 }')" ||
    fail "forklift 1's first loaded trip at 0.375 m/s takes $(first "$tmp/slow" travel_loaded) s (plain: $l s)"

# tending: humanoid 1 works only at kit_1 from 22:00 to 02:00
run tend 1d "22:00 humanoid 1: tend kit_1 until 02:00"
"$sf" run "$plant" --until 1d --out "$tmp/plain1d" --trace > /dev/null 2>&1 || fail "the plain 1 day run failed"
# where WINDOW_FROM WINDOW_TO DIR: the stations that start working when humanoid 1 starts a spell of work
where() {
    awk -F, -v a="$1" -v b="$2" '$1 > a && $1 < b && $4 == "working" {
            if ($2 == "station") st[$1] = st[$1] $3; else if ($3 == "humanoid.1") h[$1] = 1 }
        END { for (t in h) print (t in st) ? st[t] : "elsewhere" }' "$3/trace.csv" | sort -u | tr '\n' ' '
}
[ "$(where 57900 72000 "$tmp/plain1d")" != "kit_1 " ] || fail "humanoid 1 works only at kit_1 at night without tending it"
[ "$(where 57900 72000 "$tmp/tend")" = "kit_1 " ] || fail "humanoid 1 tending kit_1 works at: $(where 57900 72000 "$tmp/tend")"
[ "$(where 72000 86400 "$tmp/tend")" != "kit_1 " ] || fail "humanoid 1 still tends kit_1 after 02:00"

# the list printed runs the same run
run all 6h "+1h add 2 operators to the late shift" "+01:48:20 remove forklift 3" "+90min set cobot_1 to fenced" \
    "+2h rush order: 3 gearboxes" "+3h stop humanoid 2 for 10 min" "+150 min set forklift speed to 1 m/s" \
    "+4h humanoid 1: tend mill_2 for 1 h"
"$sf" run "$plant" --until 6h --instruct "$tmp/all/interventions.txt" > "$tmp/again.log" 2>&1 || fail "interventions.txt does not run"
[ "$(fp "$tmp/again.log")" = "$(fp "$tmp/all.log")" ] || fail "interventions.txt gives $(fp "$tmp/again.log"), not $(fp "$tmp/all.log")"
[ "$(fp "$tmp/all.log")" != "$(fp "$tmp/plain.log")" ] || fail "no fingerprint"
echo ok
