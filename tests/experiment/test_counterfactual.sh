#!/bin/sh
# What safety costs, measured by paired runs (--counterfactual safety):
# tests/experiment/data/safety_cost.yaml works out by hand that its ssm
# rule costs 12 units per hour (4 /h made, 16 /h with the rule relaxed)
# and adds 5.5 min to the mean lead time, in every replication. A single
# run reports no throughput_lost_safety (no estimate from one run).
#   test_counterfactual.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/tests/experiment/data/safety_cost.yaml
# value of column $3 of (metric, entity) in a CSV whose first columns are metric,entity
col() { awk -F, -v m="$2" -v e="$3" -v c="$4" '$1 == m && $2 == e {print $c}' "$1"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && d < 1e-9 && d > -1e-9) }'; }

"$sf" run "$plant" --reps 3 --counterfactual safety --out "$tmp/reps" > "$tmp/reps.txt" 2>&1 ||
    { echo "FAIL: run --reps 3 --counterfactual safety failed"; cat "$tmp/reps.txt"; exit 1; }
for e in - unit; do
    v=$(col "$tmp/reps/summary.csv" throughput_lost_safety $e 6)
    near "$v" 12 || { echo "FAIL: throughput_lost_safety of '$e' is '$v' /h, by hand 16 - 4 = 12"; exit 1; }
    v=$(col "$tmp/reps/summary.csv" lead_time_added_safety $e 6)
    near "$v" 5.5 || { echo "FAIL: lead_time_added_safety of '$e' is '$v' min, by hand (2200 - 1870) / 60 = 5.5"; exit 1; }
    n=$(col "$tmp/reps/summary.csv" throughput_lost_safety $e 5)
    [ "$n" = 3 ] || { echo "FAIL: throughput_lost_safety of '$e' over $n replications, not 3"; exit 1; }
done
v=$(col "$tmp/reps/summary.csv" throughput - 6)
near "$v" 4 || { echo "FAIL: the figures of the run as it is changed: throughput '$v' /h, by hand 4"; exit 1; }
grep -q "^throughput_lost_safety " "$tmp/reps.txt" || { echo "FAIL: the terminal does not show throughput_lost_safety"; exit 1; }

"$sf" run "$plant" --reps 2 --out "$tmp/plain" > /dev/null 2>&1 || { echo "FAIL: run --reps 2 failed"; exit 1; }
! grep -q "lost_safety" "$tmp/plain/summary.csv" || { echo "FAIL: replications without --counterfactual report throughput_lost_safety"; exit 1; }
"$sf" run "$plant" --out "$tmp/one" > /dev/null 2>&1 || { echo "FAIL: the single run failed"; exit 1; }
! grep -q "lost_safety" "$tmp/one/kpis.csv" || { echo "FAIL: a single run reports throughput_lost_safety"; exit 1; }

"$sf" compare "$plant" "$plant" --reps 2 --counterfactual safety --out "$tmp/cmp" > /dev/null 2>&1 ||
    { echo "FAIL: compare --counterfactual safety failed"; exit 1; }
a=$(col "$tmp/cmp/compare.csv" throughput_lost_safety unit 6)
d=$(col "$tmp/cmp/compare.csv" throughput_lost_safety unit 8)
near "$a" 12 && near "$d" 0 || { echo "FAIL: compare: throughput_lost_safety of unit '$a' (by hand 12), difference '$d' (0)"; exit 1; }
# each alternative's own interval: every replication loses exactly 12 /h, so it is [12, 12] for A and B
for c in 13 14 15 16; do
    v=$(col "$tmp/cmp/compare.csv" throughput_lost_safety unit $c)
    near "$v" 12 || { echo "FAIL: compare.csv column $c (ci95_low_a ... ci95_high_b) of throughput_lost_safety is '$v', by hand 12"; exit 1; }
    v=$(col "$tmp/cmp/compare.csv" lead_time_added_safety unit $c)
    near "$v" 5.5 || { echo "FAIL: compare.csv column $c of lead_time_added_safety is '$v', by hand 5.5"; exit 1; }
done
head -1 "$tmp/cmp/compare.csv" | grep -q ',ci95_low_a,ci95_high_a,ci95_low_b,ci95_high_b$' ||
    { echo "FAIL: compare.csv header lacks each alternative's interval"; exit 1; }
tr -d ' \n' < "$tmp/cmp/compare.json" |
    grep -q '"metric":"throughput_lost_safety","entity":"unit",[^}]*"ci95_low_a":12,"ci95_high_a":12,"ci95_low_b":12,"ci95_high_b":12}' ||
    { echo "FAIL: compare.json does not carry each alternative's interval of throughput_lost_safety ([12, 12])"; exit 1; }

"$sf" run "$plant" --reps 2 --counterfactual speed > /dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL: --counterfactual speed exits $rc, not 2 (usage)"; exit 1; }
"$sf" run "$plant" --counterfactual safety > /dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL: --counterfactual without --reps exits $rc, not 2 (usage)"; exit 1; }
echo "ok: safety costs 12 /h and 5.5 min of lead time, as by hand; a single run reports no estimate"
