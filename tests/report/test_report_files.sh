#!/bin/sh
# `shopfloor run SCENARIO --out DIR --trace`: every file is there, parses
# (JSON by Python's parser, CSV with the expected columns and one row per
# agent), agrees with the others, and an interrupted or failing run still
# writes its files, marked incomplete, with exit status 1.
# Usage: test_report_files.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wh=$src/scenarios/warehouse_basic.yaml
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
py=$(command -v python3)

"$sf" run "$wh" --out "$tmp/a" --trace --set energy.base_load=2kW >"$tmp/out" 2>"$tmp/err" && ok "the run succeeds" || bad "the run failed: $(cat "$tmp/err")"
for f in summary.json kpis.csv agents.csv stations.csv timeseries.csv report.html trace.csv; do
    [ -s "$tmp/a/$f" ] && ok "$f written" || bad "$f missing"
done
ls "$tmp/a" | grep -q tmp && bad "a temporary file was left behind" || ok "no temporary file left"

# JSON: parsed by a real parser, with provenance and every KPI
if [ -n "$py" ]; then
    "$py" - "$tmp/a/summary.json" "$wh" <<'PY' && ok "summary.json parses and carries provenance" || bad "summary.json"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["complete"] is True and s["error"] is None
assert s["scenario"]["file"] == sys.argv[2]
assert s["scenario"]["hash"].startswith("fnv1a64:") and len(s["scenario"]["hash"]) == 24
assert s["scenario"]["sets"] == ["energy.base_load=2kW"]
assert s["seed"] == 7 and s["horizon_s"] == 28800 and s["reached_s"] == 28800
assert s["events"] > 1000 and len(s["fingerprint"]) == 16 and s["wall_time_s"] >= 0
k = {(r["metric"], r["entity"]): r for r in s["kpis"]}
assert k[("energy_grid", "")]["unit"] == "kWh" and k[("energy_grid", "")]["headline"]
assert all("unit" in r and "value" in r for r in s["kpis"])
PY
    # the file hash is FNV-1a 64 of the scenario's bytes
    "$py" - "$tmp/a/summary.json" "$wh" <<'PY' && ok "the scenario hash is FNV-1a of its bytes" || bad "scenario hash"
import json, sys
h = 0xcbf29ce484222325
for b in open(sys.argv[2], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
assert json.load(open(sys.argv[1]))["scenario"]["hash"] == "fnv1a64:%016x" % h
PY
else
    echo "SKIP: no python3 to parse JSON"
fi

# CSV: headers, the same number of fields on every row, one row per agent
head -1 "$tmp/a/kpis.csv" | grep -qx "metric,entity,value,unit,kind" && ok "kpis.csv header" || bad "kpis.csv header"
# the kind column tells the plant, a fleet entry (an aggregate), an agent and a product apart
grep -q "^energy_grid,-,.*,plant$" "$tmp/a/kpis.csv" && grep -q "^utilisation,reach_truck,.*,type$" "$tmp/a/kpis.csv" \
    && grep -q "^utilisation,reach_truck.1,.*,agent$" "$tmp/a/kpis.csv" && grep -q "^pallets_stored,pallet_a,.*,product$" "$tmp/a/kpis.csv" \
    && ok "kpis.csv: each row says what its entity is" || bad "kpis.csv kind column"
head -1 "$tmp/a/timeseries.csv" | grep -qx "t_s,t_h,length_s,completed,throughput_per_h,wip,power_kw,soc" && ok "timeseries.csv header" || bad "timeseries.csv header"
head -1 "$tmp/a/trace.csv" | grep -qx "time_s,entity,name,state" && ok "trace.csv header" || bad "trace.csv header"
head -1 "$tmp/a/agents.csv" | grep -q "^agent,type,idle_h,working_h,.*,utilisation_pct,energy_off_kwh,.*,grid_kwh,charged_kwh$" && ok "agents.csv header" || bad "agents.csv header"
for f in kpis agents stations timeseries trace; do
    awk -F, 'NR == 1 {n = NF} NF != n {exit 1}' "$tmp/a/$f.csv" && ok "$f.csv rows have the header's fields" || bad "$f.csv ragged"
done
[ "$(tail -n +2 "$tmp/a/agents.csv" | wc -l)" = 6 ] && ok "agents.csv: one row per agent" || bad "agents.csv rows"
[ "$(tail -n +2 "$tmp/a/timeseries.csv" | wc -l)" = 96 ] && ok "timeseries.csv: 8 h in 5-minute steps" || bad "timeseries rows"

# the files agree: plant kWh = agents' grid kWh + base load; the power series integrates to it
awk -F, 'FNR == 1 {for (i = 1; i <= NF; i++) if ($i == "grid_kwh") c = i; next} FILENAME ~ /agents/ {g += $c} FILENAME ~ /kpis/ && $1 == "energy_grid" && $2 == "-" {p = $3}
         END {d = p - (g + 2 * 8); if (d < 0) d = -d; exit !(d < 1e-9 * p)}' "$tmp/a/agents.csv" "$tmp/a/kpis.csv" \
    && ok "plant energy = agents + base load" || bad "plant energy does not add up"
awk -F, 'FNR == 1 {next} FILENAME ~ /timeseries/ {e += $7 * $3 / 3600} FILENAME ~ /kpis/ && $1 == "energy_grid" && $2 == "-" {p = $3}
         END {d = p - e; if (d < 0) d = -d; exit !(d < 1e-9 * p)}' "$tmp/a/timeseries.csv" "$tmp/a/kpis.csv" \
    && ok "the power series integrates to the plant energy" || bad "power series"
# the trace: one row per state change, each agent's rows in time order
awk -F, 'NR > 1 {if ($1 < last[$3]) exit 1; last[$3] = $1; n++} END {exit !(n > 100)}' "$tmp/a/trace.csv" \
    && ok "trace rows in time order per agent" || bad "trace order"
grep -q "^  pallet_throughput " "$tmp/out" && ok "the terminal table has the headline KPIs" || bad "no KPI table"
# a plant that makes nothing reports per pallet, and says so by the names
grep -q "^cost_per_pallet,-," "$tmp/a/kpis.csv" && ! grep -q "^cost_per_unit,\|^throughput," "$tmp/a/kpis.csv" \
    && ok "a warehouse reports cost per pallet, no per-unit figures" || bad "per-pallet figures of a warehouse"
# the warehouse's pallets are its put-aways and its order lines: as many stored and shipped as the
# warehouse's own tallies count, with the same mean times (a missing row fails)
putn=$(awk '/^put-away time/ {print $3}' "$tmp/out"); putm=$(awk '/^put-away time/ {print $4}' "$tmp/out")
olsn=$(awk '/^order line time/ {print $4}' "$tmp/out"); olsm=$(awk '/^order line time/ {print $5}' "$tmp/out")
awk -F, -v a="$putn" -v b="$olsn" '$2 == "-" && $1 == "pallets_stored" {s = $3} $2 == "-" && $1 == "pallets_shipped" {h = $3}
     END {exit !(s != "" && s == a && h == b && b > 0)}' "$tmp/a/kpis.csv" \
    && ok "pallets stored and shipped = put-aways and order lines ($putn, $olsn)" || bad "pallets stored and shipped differ from put-aways and order lines ($putn, $olsn)"
awk -F, -v ma="$putm" -v mb="$olsm" '$2 == "-" && $1 == "put_away_time_mean" {p = $3 * 60} $2 == "-" && $1 == "order_line_time_mean" {o = $3 * 60}
     function off(x, y) { d = x - y; if (d < 0) d = -d; return d > 0.001 * y }
     END {exit !(p != "" && o != "" && !off(p, ma) && !off(o, mb))}' "$tmp/a/kpis.csv" \
    && ok "put-away and order line times agree with the warehouse's tallies" || bad "put-away or order line time differs from the tallies"
awk '/^measured from/ {on = 1} on && length > 80 {exit 1}' "$tmp/out" && ok "the KPI table fits 80 columns" || bad "a KPI table line is wider than 80 columns"

# a production line: one row per station, OEE = availability x performance x quality on every row,
# and the figures start at the scenario's warm-up
"$sf" run "$src/scenarios/assembly_ssm.yaml" --out "$tmp/p" >/dev/null 2>&1 && ok "a production line runs" || bad "assembly_ssm failed"
head -1 "$tmp/p/stations.csv" | grep -q "^station,group,idle_h,.*,utilisation_pct,availability_pct,performance_pct,quality_pct,oee_pct,operations,energy_off_kwh,.*,grid_kwh$" \
    && ok "stations.csv header" || bad "stations.csv header"
nst=$("$sf" check "$src/scenarios/assembly_ssm.yaml" | sed -n 's/.*, \([0-9]*\) stations,.*/\1/p')
[ -n "$nst" ] && [ "$(tail -n +2 "$tmp/p/stations.csv" | wc -l)" = "$nst" ] && ok "stations.csv: one row per station ($nst)" || bad "stations.csv rows (check says '$nst')"
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
         {a = $c["availability_pct"]; p = $c["performance_pct"]; q = $c["quality_pct"]; o = $c["oee_pct"]
          d = a * p * q / 10000 - o; if (d < 0) d = -d; if (d > 1e-9 * o || $c["operations"] < 1) bad = 1}
         END {exit bad}' "$tmp/p/stations.csv" && ok "OEE = A x P x Q on every station" || bad "OEE is not A x P x Q"
grep -q '"measured_from_s": 1800' "$tmp/p/summary.json" && ok "measured from the 30 min warm-up" || bad "warm-up not applied"

# same run, same files (but the wall time)
"$sf" run "$wh" --out "$tmp/b" --set energy.base_load=2kW >/dev/null 2>&1
for f in kpis.csv agents.csv timeseries.csv; do
    cmp -s "$tmp/a/$f" "$tmp/b/$f" && ok "$f is repeatable" || bad "$f differs between two runs"
done

# a failing script: files still written, marked incomplete, exit 1
"$sf" run "$wh" --until 1h --set demand.dispatch=fastest --out "$tmp/c" >/dev/null 2>&1
[ $? = 1 ] && ok "a failing run exits 1" || bad "a failing run's status"
grep -q '"complete": false' "$tmp/c/summary.json" && ok "a failing run's summary says incomplete" || bad "failing summary"
grep -q "INCOMPLETE RUN" "$tmp/c/report.html" && ok "and its report says so" || bad "failing report"

# an interrupted run: SIGTERM stops it, files written, marked incomplete, exit 1
"$sf" run "$wh" --until 200000h --out "$tmp/d" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
[ $? = 1 ] && ok "an interrupted run exits 1" || bad "an interrupted run's status"
grep -q '"error": "interrupted by SIGTERM"' "$tmp/d/summary.json" && ok "its summary says it was interrupted" || bad "interrupted summary"
[ -s "$tmp/d/report.html" ] && [ -s "$tmp/d/kpis.csv" ] && ok "its files are there" || bad "interrupted files"

# --trace needs a scenario and --out
"$sf" run "$wh" --trace >/dev/null 2>&1
[ $? = 2 ] && ok "--trace without --out is a usage error" || bad "--trace without --out"

# stability: a line overloaded on purpose (a unit a minute, four times what it can make) gets the
# warning on stderr and stable false in summary.json; at its own demand it is stable
line=$src/tests/model/data/production_line.yaml
"$sf" run "$line" --set "demand.arrivals.0.every=exp(1 min)" --out "$tmp/over" >/dev/null 2>"$tmp/over.err"
grep -q "^warning: unstable: made products are released at " "$tmp/over.err" \
    && ok "an overloaded plant says so on stderr" || bad "no stability warning: $(cat "$tmp/over.err")"
grep -q '"stability": {"stable": false, "findings": \["made products are released' "$tmp/over/summary.json" \
    && ok "summary.json: stable false with the findings" || bad "summary.json stability"
grep -q "UNSTABLE" "$tmp/over/report.html" && ok "the report shows the banner" || bad "no banner"
grep -q "ISO 22400 losses per station" "$tmp/over/report.html" && grep -q "^loss_starved,weld_1," "$tmp/over/kpis.csv" \
    && ok "a line's report has the ISO 22400 loss chart and kpis.csv its buckets" || bad "no ISO 22400 losses"
"$sf" run "$line" --out "$tmp/steady" >/dev/null 2>"$tmp/steady.err"
! grep -q "unstable" "$tmp/steady.err" && grep -q '"stability": {"stable": true, "findings": \[\]}' "$tmp/steady/summary.json" \
    && ok "the same line at its own demand is stable" || bad "a stable line is called unstable: $(cat "$tmp/steady.err")"

# interventions: summary.json lists each with its time and how it was understood, report.html has a section
grep -q '"interventions": \[\]' "$tmp/steady/summary.json" && ok "a run without interventions lists none" || bad "interventions in a plain run"
printf '+20min stop weld_1 for 20 minutes\n07:00 camera assembly_cam down for half an hour\n' >"$tmp/class.txt"
"$sf" run "$src/scenarios/smart_factory.yaml" --until 90min --instruct "$tmp/class.txt" --out "$tmp/iv" >/dev/null 2>"$tmp/iv.err" \
    && ok "a run with --instruct and --out succeeds" || bad "run --instruct --out: $(cat "$tmp/iv.err")"
if [ -n "$py" ]; then
    "$py" - "$tmp/iv/summary.json" <<'PY' && ok "summary.json: the interventions with their times and read-back" || bad "summary.json interventions"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["interventions"] == [
    {"at_s": 1200, "said": "+00:20:00 stop weld_1 for 20 min"},
    {"at_s": 3600, "said": "+01:00:00 camera assembly_cam down for 30 min"},
], s["interventions"]
PY
fi
grep -q "<figcaption>Interventions" "$tmp/iv/report.html" && grep -q "<td>day 1 06:20:00</td><td>+00:20:00 stop weld_1 for 20 min</td>" "$tmp/iv/report.html" \
    && grep -q "<td>day 1 07:00:00</td>" "$tmp/iv/report.html" \
    && ok "report.html: a section lists them at the plant's clock time" || bad "report.html interventions section"
! grep -q "<figcaption>Interventions" "$tmp/steady/report.html" && ok "no section without interventions" || bad "an empty interventions section"

# the terminal as a planner reads it: the ISO 22400 hours with their full names, the script's levels
# with their full names (not cut at 24 characters); report.html lists each made product of a plant
# that makes two (production_line: frame and bracket), even without families
"$sf" run "$line" > "$tmp/steady.txt" 2>/dev/null
"$sf" run "$src/scenarios/smart_factory.yaml" --until 2h > "$tmp/sf.txt" 2>/dev/null
grep -A1 "^  where the stations' planned time went, hours" "$tmp/sf.txt" \
        | grep -q "^  station    planned producing setup failed starved blocked transport  crew stop$" \
    && awk '/^  where the stations/ {on = 1} on && /^$/ {exit} on && length > 80 {bad = 1} END {exit bad}' "$tmp/sf.txt" \
    && ok "the station hours table names its columns in full, in 80 columns" || bad "station hours heading: $(grep -A1 'where the stations' "$tmp/sf.txt")"
grep -q "^  station    planned producing setup failed starved blocked  crew stop$" "$tmp/steady.txt" \
    && ok "no transport column where moves take no time" || bad "station hours heading: $(grep -A1 'where the stations' "$tmp/steady.txt")"
! grep -q "^carries gathering a team" "$tmp/steady.txt" && ok "no row of zeros for an object nobody used" \
    || bad "an unused object is listed: $(grep gathering "$tmp/steady.txt")"
"$sf" run "$wh" > "$tmp/wh.txt" 2>/dev/null
grep -q "^tasks waiting for a vehicle " "$tmp/wh.txt" && grep -q "^order lines waiting for stock " "$tmp/wh.txt" \
    && ok "a level's name is printed whole" || bad "a level's name is cut: $(grep waiting "$tmp/wh.txt")"
grep -q "<figcaption>Made products <span>" "$tmp/steady/report.html" && grep -q "<tr><td>frame</td>" "$tmp/steady/report.html" \
    && grep -q "<tr><td>bracket</td>" "$tmp/steady/report.html" && grep -q "<tr><th>product</th>.*<th>cost a unit<br>EUR</th></tr>" "$tmp/steady/report.html" \
    && ok "report.html: a table of the made products, with units in its heading" || bad "no made products table"
! grep -q "<figcaption>Made products" "$tmp/a/report.html" && ok "no made products table in a warehouse" || bad "a warehouse shows made products"
# the energy chart leaves out the types that draw nothing (production_line's operators), not its robots
sed -n '/Energy used by power state/,/<\/figure>/p' "$tmp/steady/report.html" > "$tmp/energy.html"
! grep -q ">operator_early<" "$tmp/energy.html" && grep -q ">welder<" "$tmp/energy.html" \
    && ok "no row of zeros for people in the energy chart" || bad "the energy chart: $(grep -o '>[a-z_]*<' "$tmp/energy.html" | tr '\n' ' ')"

# compare's report.html: each row says A's and B's means in the KPI's unit, and the label column is as
# wide as its longest label (output_per_human_robot_hour's was cut at the page's left edge)
"$sf" compare "$line" "$line" --reps 2 --until 4h --set "demand.arrivals.0.every=exp(8 min)" --out "$tmp/cmp" >/dev/null 2>&1
grep -Eq '>throughput: [0-9.]+ to [0-9.]+ 1/h \([-+][0-9.e+-]+\)</text>' "$tmp/cmp/report.html" \
    && ok "compare's report labels each row with A's and B's means and the unit" || bad "compare's report labels"
grep -o '<text class="lab" x="[0-9]*"[^>]*>[^<]*<' "$tmp/cmp/report.html" \
    | awk -F'"' '{n = length($0) - index($0, ">") - 1; w = 7 * n + 16; if (w > 560) w = 560; if ($4 + 8 < w) bad = 1} END {exit bad}' \
    && ok "compare's report has room for its longest label" || bad "a label of compare's report is cut"

echo "$fails failed"
[ "$fails" = 0 ]
