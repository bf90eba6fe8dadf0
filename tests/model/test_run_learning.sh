#!/bin/sh
# `shopfloor run` on the learning cell (tests/model/data/learning_cell.yaml):
# the stations take the learning robots' time factor and a programmed
# robot's programming as setup, the KPIs and the report's learning curve
# are written, and the success rate climbs.
# Usage: test_run_learning.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cell=$src/tests/model/data/learning_cell.yaml
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Robots that never fail and keep twice the operation's time (no progress): every pick takes 2 x 20 s,
# so each station's producing time is its operations x 40 s, plus the part of the one still running.
set -- --set fleet.picker.learning.progress=100% --set fleet.picker_b.learning.progress=100%
for f in picker picker_b; do
    set -- "$@" --set fleet.$f.learning.success_first=100% --set fleet.$f.learning.success_limit=100%
done
"$sf" run "$cell" --until 2h --out "$tmp/slow" "$@" >"$tmp/out" 2>&1 || fail "the cell does not run: $(tail -5 "$tmp/out")"
awk -F, '$1 == "operations" && $2 == "pick_1" {ops = $3} $1 == "time_producing" && $2 == "pick_1" {h = $3}
         END {d = h * 3600 - ops * 40; if (ops > 100 && d >= 0 && d < 40) exit 0
              print "pick_1: " ops " operations, " h * 3600 " s producing, expected ops x 40 s"; exit 1}' \
    "$tmp/slow/kpis.csv" || fail "a first-attempt robot does not take time_first x the operation's time"
grep -q '^learning_rescues,picker,0,' "$tmp/slow/kpis.csv" || fail "a robot that never fails was rescued"
grep -q '^learning_success_rate,picker,100,' "$tmp/slow/kpis.csv" || fail "a robot that never fails has a success rate below 100 %"

# Programmed for 10 min for each hourly variant, with no first-run failure: in 2 h picker is programmed
# twice, and pick_1 (its station; the setup is the programming) spends exactly 20 min in setup.
"$sf" run "$cell" --until 2h --out "$tmp/prog" --set fleet.picker.programming.method=natural_language \
    --set fleet.picker.programming.time=10min --set fleet.picker.programming.first_run_failure=0 \
    --set products.part.variant_every=1h >"$tmp/out" 2>&1 || fail "the programmed cell does not run: $(tail -5 "$tmp/out")"
grep -q '^programmings,picker,2,' "$tmp/prog/kpis.csv" || fail "picker is not programmed twice in two hourly variants"
grep -q '^first_run_failures,picker,0,' "$tmp/prog/kpis.csv" || fail "a first run failed at a failure rate of 0"
awk -F, '$1 == "time_setup" && $2 == "pick_1" {h = $3} END {d = h * 60 - 20; if (d < 1e-9 && d > -1e-9) exit 0
         print "pick_1 in setup " h * 60 " min, expected 20"; exit 1}' "$tmp/prog/kpis.csv" ||
    fail "the programming is not the station's setup"
grep -q '^programmings,picker_b,' "$tmp/prog/kpis.csv" && fail "picker_b has programming rows without a programming block"

# The cell as written: rows for both fleet entries, a rising curve, the chart
"$sf" run "$cell" --out "$tmp/learn" >"$tmp/out" 2>&1 || fail "the cell does not run: $(tail -5 "$tmp/out")"
for f in picker picker_b; do
    for m in learning_attempts learning_success_rate learning_retries learning_rescues learning_success_rate_period_7; do
        grep -q "^$m,$f,[0-9.]*,[^,]*,type$" "$tmp/learn/kpis.csv" || fail "no $m row of $f in kpis.csv"
    done
    awk -F, -v f="$f" '$2 == f && $1 == "learning_success_rate_period_0" {a = $3}
                       $2 == f && $1 == "learning_success_rate_period_7" {b = $3}
                       END {if (a + 5 < b) exit 0; print f ": " a " % in the first hour, " b " % in the eighth"; exit 1}' \
        "$tmp/learn/kpis.csv" || fail "$f's success rate does not climb"
done
grep -q "Learning curves" "$tmp/learn/report.html" || fail "report.html has no learning curve"
"$sf" run "$cell" --out "$tmp/again" >/dev/null 2>&1
cmp -s "$tmp/learn/kpis.csv" "$tmp/again/kpis.csv" || fail "a rerun does not give the same kpis.csv"

[ "$fails" = 0 ] && echo "ok: the learning cell runs, times its picks by the learning curve and reports it"
exit "$fails"
