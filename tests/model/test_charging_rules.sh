#!/bin/sh
# Charging rules and charge efficiency through a whole run
# (data/charging_rules.yaml; its behaviour asserts the hand-calculated
# times, so a wrong decision fails the run), and what agents.csv shows:
# at 90 % the grid gives exactly the charged energy / 0.9.
#   test_charging_rules.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
if "$sf" run "$src/tests/model/data/charging_rules.yaml" --out "$tmp/r" > "$tmp/log" 2>&1; then
    echo "ok: the off-peak rule charges when and as far as charging_rules.lua works out by hand"
else
    echo "FAIL: the run failed:"; sed 's/^/  | /' "$tmp/log" | tail -15; fails=$((fails + 1))
fi
# high: 0.75 kWh into the battery, 0.75 / 0.9 from the grid; low: 0.15 kWh, 0.15 / 0.9
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
         {g = $col["grid_kwh"]; c = $col["charged_kwh"]; want = ($2 == "high") ? 0.75 : 0.15
          if (!(c - want < 1e-9 && want - c < 1e-9)) bad = bad " " $1 " charged " c
          d = g * 0.9 - c; if (d < 0) d = -d; if (!(d < 1e-12 * c)) bad = bad " " $1 " grid " g
          n++}
         END {if (bad != "" || n != 2) {print "FAIL: agents.csv:" bad; exit 1}}' "$tmp/r/agents.csv" \
    && echo "ok: agents.csv: grid_kwh = charged_kwh / 0.9 for each agent" || fails=$((fails + 1))
# the fleet entries' KPIs: energy_charged 0.75 kWh and 0.15 kWh, energy_charging (the grid's) those / 0.9
awk -F, '$1 == "energy_charged" {c[$2] = $3} $1 == "energy_charging" && $5 == "type" {g[$2] = $3}
         END {ok = 1
              if (!(c["high"] - 0.75 < 1e-9 && 0.75 - c["high"] < 1e-9)) ok = 0
              if (!(c["low"] - 0.15 < 1e-9 && 0.15 - c["low"] < 1e-9)) ok = 0
              for (t in c) {d = g[t] * 0.9 - c[t]; if (d < 0) d = -d; if (!(d < 1e-12)) ok = 0}
              exit !ok}' "$tmp/r/kpis.csv" \
    && echo "ok: kpis.csv: energy_charged per fleet entry, its energy_charging x 0.9" \
    || { echo "FAIL: kpis.csv energy_charged:"; grep "^energy_charg" "$tmp/r/kpis.csv"; fails=$((fails + 1)); }
[ "$fails" = 0 ]
