#!/bin/sh
# The closest approach a run reports (min_separation in kpis.csv) is the
# smallest of the robots' own closest approaches in the safety table,
# and is defined when people pass the arms (assembly_ssm.yaml: the aisle
# runs half a metre from the arms' reach).
#   test_separation.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sf" run "$src/scenarios/assembly_ssm.yaml" --out "$tmp/o" > "$tmp/out" 2>&1 || { echo "FAIL: the run failed"; cat "$tmp/out"; exit 1; }
table=$(awk '/^robot .*min_sep_m/ {on = 1; for (i = 1; i <= NF; i++) if ($i == "min_sep_m") c = i; next}
             on && NF == 0 {exit} on {if (m == "" || $c + 0 < m) m = $c + 0} END {print m}' "$tmp/out")
kpi=$(awk -F, '$1 == "min_separation" && $2 == "-" {print $3}' "$tmp/o/kpis.csv")
echo "safety table minimum: $table m; min_separation KPI: $kpi m"
[ -n "$kpi" ] && [ -n "$table" ] || { echo "FAIL: min_separation is not defined"; exit 1; }
awk -v a="$kpi" -v b="$table" 'BEGIN {d = a - b; if (d < 0) d = -d; exit !(d < 0.005 && a > 0 && a < 1.2)}' ||
    { echo "FAIL: the KPI differs from the table or lies outside the slow band"; exit 1; }
# separation violations: a row per robot of the safety table, and the plant's row is their sum
# (smart_factory: people go round the fenced weld cells, so the weld arms have none; walking through
# them, as people did before fences were obstacles on foot, gave 4 and 1 in these 4 hours)
"$sf" run "$src/scenarios/smart_factory.yaml" --until 4h --out "$tmp/f" > "$tmp/out" 2>&1 || { echo "FAIL: the run failed"; cat "$tmp/out"; exit 1; }
for m in separation_violations separation_violation_time; do
    awk -F, -v m="$m" '$1 == m && $2 != "-" {n++; s += $3} $1 == m && $2 == "-" {p = $3; seen = 1}
        END {d = s - p; if (d < 0) d = -d; exit !(seen && n == 6 && d < 1e-9 * (1 + p))}' "$tmp/f/kpis.csv" ||
        { echo "FAIL: $m is not one row per robot plus their sum"; grep "^$m," "$tmp/f/kpis.csv"; exit 1; }
done
awk -F, '$1 == "separation_violations" && $2 ~ /^weld_arm_/ {n++; s += $3} END {exit !(n == 2 && s == 0)}' "$tmp/f/kpis.csv" ||
    { echo "FAIL: people walk through the fenced weld cells"; grep "^separation_violations," "$tmp/f/kpis.csv"; exit 1; }
# vehicle-pedestrian encounters (docs/safety.md, protective fields): a row per fleet entry of vehicles
# (forklift, tugger, humanoid) and the plant's sum; the tuggers meet people (88 in these 4 hours)
for m in vehicle_encounters vehicle_encounter_time; do
    awk -F, -v m="$m" '$1 == m && $2 != "-" {n++; s += $3} $1 == m && $2 == "-" {p = $3; seen = 1}
        END {d = s - p; if (d < 0) d = -d; exit !(seen && n == 3 && d < 1e-9 * (1 + p))}' "$tmp/f/kpis.csv" ||
        { echo "FAIL: $m is not one row per fleet entry of vehicles plus their sum"; grep "^$m," "$tmp/f/kpis.csv"; exit 1; }
done
awk -F, '$1 == "vehicle_encounters" && $2 == "tugger" {exit !($3 > 0)}' "$tmp/f/kpis.csv" ||
    { echo "FAIL: no tugger-pedestrian encounter in the flagship"; grep "^vehicle_encounters," "$tmp/f/kpis.csv"; exit 1; }
echo "ok"
