#!/bin/sh
# `shopfloor run --reps`, `compare` and `sweep` as a user meets them:
# replications are repeatable, a plant compared with itself differs by
# exactly 0, a sweep gives the same bytes for any --jobs, failed and
# timed-out runs are recorded while the others finish, and a sweep killed
# with -9 (driver or worker) resumes to the same bytes.
# Usage: test_sweep.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/tests/experiment/data/plant.yaml
export SHOPFLOOR_SCRIPTS=$src/scripts
export SHOPFLOOR_PATH=$src/tests/experiment/data # edited copies of the plant in $tmp extend it

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
contains() { # contains FILE TEXT DESCRIPTION
    if grep -q -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $1"; sed 's/^/  | /' "$1" | head -30; fails=$((fails + 1)); fi
}
same() { # same FILE1 FILE2 DESCRIPTION
    if cmp -s "$1" "$2"; then echo "ok: $3"; else echo "FAIL: $3: $1 and $2 differ"; diff "$1" "$2" | head -10; fails=$((fails + 1)); fi
}
equal() { # equal GOT WANT DESCRIPTION
    if [ "$1" = "$2" ]; then echo "ok: $3"; else echo "FAIL: $3: got '$1', expected '$2'"; fails=$((fails + 1)); fi
}

# ---- replications -----------------------------------------------------------
check 0 "five replications run" -- "$sf" run "$plant" --reps 5 --out "$tmp/reps1"
contains "$tmp/out" "5 replications, seeds derived from base seed 7" "the base seed is the scenario's"
contains "$tmp/out" "^energy_grid  *-  *kWh  *5 " "the headline KPI has 5 values"
check 0 "and again" -- "$sf" run "$plant" --reps 5 --out "$tmp/reps2"
same "$tmp/reps1/summary.csv" "$tmp/reps2/summary.csv" "replications are repeatable to the byte"
equal "$(grep -c '^[0-9]*,[0-9]*,energy_grid,-,' "$tmp/reps1/replications.csv")" 5 "one plant energy value per replication"
# the summary's mean is the mean of the five values
mean=$(awk -F, '$3 == "energy_grid" && $4 == "-" { s += $5; n++ } END { printf "%.9g", s / n }' "$tmp/reps1/replications.csv")
smean=$(awk -F, '$1 == "energy_grid" && $2 == "-" { printf "%.9g", $6 }' "$tmp/reps1/summary.csv")
equal "$smean" "$mean" "summary mean = mean of the replications"
check 0 "precision target" -- "$sf" run "$plant" --precision 10% --max-reps 60
contains "$tmp/out" "precision 10% reached after [0-9]* replications" "says how many replications were needed"
check 1 "an unreachable precision fails" -- "$sf" run "$plant" --precision 0.0001% --reps 2 --max-reps 3
contains "$tmp/out" "NOT reached after 3 replications" "says it was not reached"
check 2 "--reps 0 is a usage error" -- "$sf" run "$plant" --reps 0
check 1 "a failing replication fails the command" -- "$sf" run "$plant" --reps 2 --set fleet.tugger.behaviour=seize
contains "$tmp/err" "replication 0 (seed [0-9]*) failed" "names the replication and its seed"

# ---- comparison -------------------------------------------------------------
check 0 "a plant compared with itself" -- "$sf" compare "$plant" "$plant" --reps 4 --out "$tmp/cmp"
contains "$tmp/out" "common random numbers from base seed 7" "says the seeds are shared"
# (a figure no run defines, such as a lead time without jobs, has n = 0 and empty fields)
nonzero=$(awk -F, 'NR > 1 && $5 != "0" && ($8 != "0" || $11 != "0" || $12 != "0") { n++ } END { print n + 0 }' "$tmp/cmp/compare.csv")
equal "$nonzero" 0 "every difference and its interval is exactly 0"
equal "$(awk -F, 'NR > 1 && $12 == "1"' "$tmp/cmp/compare.csv" | wc -l)" 0 "nothing is significant"
contains "$tmp/cmp/compare.json" '"significant": false' "JSON written"
check 0 "two forklifts instead of three" -- "$sf" compare "$plant" "$plant" --reps 4 --set fleet.reach_truck.count=3 --out "$tmp/cmp2"
check 0 "one tugger more" -- "$sf" compare "$src/scenarios/warehouse_basic.yaml" "$plant" --reps 3 --out "$tmp/cmp3"
contains "$tmp/cmp3/compare.csv" "^events,-,events,0,3," "a real difference is reported with its n"

# ---- sweep: same bytes for any --jobs ----------------------------------------
grid="--vary fleet.reach_truck.count=2,3 --vary fleet.reach_truck.speed=1.6:2.2:0.6 --reps 3"
check 0 "sweep with one worker" -- "$sf" sweep "$plant" $grid --jobs 1 --out "$tmp/j1"
check 0 "sweep with two workers" -- "$sf" sweep "$plant" $grid --jobs 2 --out "$tmp/j2"
contains "$tmp/err" "sweep: 12/12 runs done, 0 failed" "plain progress lines when not on a terminal"
for f in results.csv summary.csv failures.csv; do same "$tmp/j1/$f" "$tmp/j2/$f" "--jobs 1 and 2 give the same $f"; done
contains "$tmp/j1/results.csv" "^point,replication,fleet.reach_truck.count,fleet.reach_truck.speed,metric,entity,value,unit,stable$" "tidy header"
contains "$tmp/j1/results.csv" "^3,2,3,2.2,energy_grid,-,[0-9.]*,kWh,\(true\|false\)$" "point 3 is count 3, speed 2.2"
equal "$(wc -l <"$tmp/j1/failures.csv")" 1 "no failures"
# replication r of every point has the seed of replication r of a plain --reps run
seed=$(awk -F, 'NR == 2 { print $2 }' "$tmp/reps1/replications.csv")
check 0 "a point rerun alone" -- "$sf" run "$plant" --seed "$seed" --set fleet.reach_truck.count=2 --set fleet.reach_truck.speed=1.6
ev=$(awk '/finished at/ { for (i = 1; i <= NF; i++) if ($i == "after") print $(i + 1) }' "$tmp/out")
equal "$(awk -F, '$1 == 0 && $2 == 0 && $5 == "events" { print $7 }' "$tmp/j1/results.csv")" "$ev" "point 0, replication 0 is that run"
check 2 "another sweep in the same folder is refused" -- "$sf" sweep "$plant" --vary fleet.reach_truck.count=4 --out "$tmp/j1"
contains "$tmp/err" "holds the results of another sweep" "and says why"
check 0 "the same sweep again skips every run" -- "$sf" sweep "$plant" $grid --jobs 2 --out "$tmp/j1"
contains "$tmp/err" "resuming, 12 of 12 runs already stored" "nothing was rerun"
same "$tmp/j1/results.csv" "$tmp/j2/results.csv" "and the results are unchanged"
printf 'extends: %s\nscenario: {horizon: 1 h}\n' "$plant" >"$tmp/edit.yaml"
check 0 "a sweep of a scenario" -- "$sf" sweep "$tmp/edit.yaml" --vary fleet.reach_truck.count=2 --out "$tmp/edit"
printf 'extends: %s\nscenario: {horizon: 90 min}\n' "$plant" >"$tmp/edit.yaml"
check 2 "is not resumed after the scenario was edited" -- "$sf" sweep "$tmp/edit.yaml" --vary fleet.reach_truck.count=2 --out "$tmp/edit"
check 2 "--vary without values" -- "$sf" sweep "$plant" --vary fleet.reach_truck.count= --out "$tmp/x"
check 2 "--zip of lists of other lengths" -- "$sf" sweep "$plant" --vary a=1,2 --vary b=1 --zip --out "$tmp/x"
check 2 "--out is required" -- "$sf" sweep "$plant" --vary fleet.reach_truck.count=2

# ---- sweep: the experiment section of a scenario ------------------------------
check 0 "a sweep from the scenario's experiment section" -- "$sf" sweep "$src/tests/experiment/data/plant_sweep.yaml" --jobs 2 --out "$tmp/yaml"
equal "$(awk -F, 'NR > 1 { print $1 }' "$tmp/yaml/results.csv" | sort -u | wc -l)" 6 "2 x 3 points"
equal "$(awk -F, 'NR > 1 { print $2 }' "$tmp/yaml/results.csv" | sort -u | tr '\n' ' ')" "0 1 " "2 replications each"
check 0 "the same sweep written as options" -- "$sf" sweep "$src/tests/experiment/data/plant_sweep.yaml" --reps 2 \
    --vary fleet.reach_truck.count=2,3 --vary fleet.reach_truck.speed=1.6:2.2:0.3 --jobs 1 --out "$tmp/opts"
for f in results.csv summary.csv; do same "$tmp/yaml/$f" "$tmp/opts/$f" "experiment section and --vary give the same $f"; done
check 0 "--vary replaces the section's variables" -- "$sf" sweep "$src/tests/experiment/data/plant_sweep.yaml" \
    --vary fleet.reach_truck.count=4 --reps 1 --out "$tmp/repl"
equal "$(awk -F, 'NR > 1 { print $1 }' "$tmp/repl/results.csv" | sort -u | tr '\n' ' ')" "0 " "one point"
check 1 "problems in the experiment section" -- "$sf" sweep "$src/tests/experiment/data/bad_experiment.yaml" --out "$tmp/badx"
contains "$tmp/err" "bad_experiment.yaml:4:9: reps: expected a whole number, got 'two'" "reps reported with its place"
contains "$tmp/err" "bad_experiment.yaml:6:30: fleet.reach_truck.count: expected a list of values" "a lone value reported with its place"
contains "$tmp/err" "bad_experiment.yaml:7:30: fleet.reach_truck.speed: a range needs from <= to" "an empty range reported with its place"
check 2 "nothing to vary" -- "$sf" sweep "$plant" --out "$tmp/none"

# ---- sweep: failures are recorded, the others finish --------------------------
check 1 "a sweep with a script error and a runaway run" -- "$sf" sweep "$plant" \
    --vary fleet.tugger.behaviour=agv,seize,stall --reps 2 --jobs 2 --timeout 3s --out "$tmp/bad"
equal "$(awk -F, 'NR > 1 { print $1 }' "$tmp/bad/results.csv" | sort -u | tr '\n' ' ')" "0 " "only point 0 has results"
equal "$(awk -F, 'NR > 1 && $1 == 0 && $4 == "energy_grid" && $5 == "-"' "$tmp/bad/results.csv" | wc -l)" 2 "both its replications"
equal "$(grep -c 'seize.lua:5: drive of tugger.1 seized' "$tmp/bad/failures.csv")" 2 "the script error is recorded with its place"
equal "$(grep -c '^2,[01],[0-9]*,timed out after 3 s' "$tmp/bad/failures.csv")" 2 "the timeouts are recorded"
contains "$tmp/err" "reproduce: .* run .*plant.yaml --seed [0-9]* --set fleet.tugger.behaviour=seize" "stderr gives the command"
# the recorded command reproduces the failure
cmd=$(awk -F, 'NR == 2 { print $5 }' "$tmp/bad/failures.csv")
check 1 "the recorded command fails the same way" -- sh -c "$cmd"
contains "$tmp/err" "drive of tugger.1 seized" "with the same message"

# ---- sweep: kill -9 of the driver, then of a worker, and resume ---------------
slow="--set fleet.tugger.behaviour=slow --vary fleet.reach_truck.count=2,3 --vary fleet.reach_truck.speed=1.6,2.2 --reps 3"
check 0 "the reference, uninterrupted" -- "$sf" sweep "$plant" $slow --jobs 2 --out "$tmp/ref"
"$sf" sweep "$plant" $slow --jobs 2 --out "$tmp/k" >/dev/null 2>&1 &
driver=$!
for _ in $(seq 1 600); do # kill it as soon as the first run is stored (at most 30 s)
    ls "$tmp/k/runs" 2>/dev/null | grep -q '\.tsv$' && break
    sleep 0.05
done
orphans=$(pgrep -P $driver)
kill -9 $driver
wait $driver 2>/dev/null
for p in $orphans; do # the orphaned workers finish and store their runs (at most 30 s; a zombie counts as done)
    for _ in $(seq 1 600); do
        [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" = "" ] && break
        [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" = "Z" ] && break
        sleep 0.05
    done
done
stored=$(ls "$tmp/k/runs" | grep -c '\.tsv$')
if [ "$stored" -gt 0 ] && [ ! -e "$tmp/k/results.csv" ]; then
    echo "ok: the killed sweep stored $stored of 12 runs and no results.csv"
else
    echo "FAIL: after kill -9 of the driver: $stored runs stored, results.csv $(ls "$tmp/k/results.csv" 2>&1)"; fails=$((fails + 1))
fi
for f in "$tmp"/k/runs/*.tsv; do
    if ! awk -F'\t' 'NR == 1 && $1 != "seed" { exit 1 } NR > 1 && NF != 5 { exit 1 } END { if (NR < 2) exit 1 }' "$f"; then
        echo "FAIL: $f is not a whole run"; fails=$((fails + 1))
    fi
done
# now kill a worker: the run it had is recorded as crashed, the others finish
"$sf" sweep "$plant" $slow --jobs 2 --out "$tmp/k" >"$tmp/out" 2>"$tmp/err" &
driver=$!
victim=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    victim=$(pgrep -P $driver | head -n 1)
    [ -n "$victim" ] && break
    sleep 0.05
done
[ -n "$victim" ] && kill -9 "$victim"
wait $driver
status=$?
if [ -n "$victim" ]; then
    equal "$status" 1 "a sweep with a killed worker exits 1"
    contains "$tmp/err" "crashed: signal 9" "the killed worker's run is recorded as crashed"
else
    echo "ok: (every run was stored before a worker could be killed)"
fi
check 0 "resuming finishes the sweep" -- "$sf" sweep "$plant" $slow --jobs 1 --out "$tmp/k"
contains "$tmp/err" "resuming, [0-9]* of 12 runs already stored" "it resumed"
for f in results.csv summary.csv failures.csv; do same "$tmp/ref/$f" "$tmp/k/$f" "resumed $f is byte-identical to the uninterrupted one"; done
equal "$(ls "$tmp/k/runs" | grep -c tmp)" 0 "no temporary files are left"

echo "$fails failure(s)"
[ "$fails" = 0 ]
