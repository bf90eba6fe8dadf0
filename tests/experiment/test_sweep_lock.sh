#!/bin/sh
# Two sweeps on one --out: the second, with another grid, is refused at
# once while the first runs (exit 1, naming the folder), and the first
# finishes as if alone. A lock left by a killed sweep does not stop it
# from resuming.
# Usage: test_sweep_lock.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/tests/experiment/data/plant.yaml
export SHOPFLOOR_SCRIPTS=$src/scripts
slow="--set fleet.tugger.behaviour=slow --vary fleet.reach_truck.count=2,3 --reps 3"

ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

"$sf" sweep "$plant" $slow --jobs 1 --out "$tmp/s" >"$tmp/out1" 2>"$tmp/err1" &
first=$!
for _ in $(seq 1 600); do # wait until the first sweep is running (at most 30 s)
    [ -e "$tmp/s/sweep.txt" ] && break
    sleep 0.05
done
"$sf" sweep "$plant" --set fleet.tugger.behaviour=slow --vary fleet.reach_truck.count=4 --reps 3 \
    --jobs 1 --out "$tmp/s" >"$tmp/out2" 2>"$tmp/err2"
status=$?
if kill -0 $first 2>/dev/null; then running=yes; else running=no; fi
[ "$status" = 1 ] && ok "a second sweep on the folder exits 1" || fail "the second sweep exited $status, expected 1"
grep -q "$tmp/s is in use by another sweep" "$tmp/err2" && ok "it names the folder and says another sweep uses it" ||
    { fail "no message naming the folder"; sed 's/^/  | /' "$tmp/err2"; }
[ "$running" = yes ] && ok "(the first sweep was still running)" || fail "the first sweep ended before the second started: make it slower"
wait $first
status=$?
[ "$status" = 0 ] && ok "the first sweep completes" || { fail "the first sweep exited $status"; sed 's/^/  | /' "$tmp/err1"; }
rows=$(grep -c ',energy_grid,-,' "$tmp/s/results.csv")
[ "$rows" = 6 ] && ok "its results hold its own 6 runs" || fail "results.csv has $rows plant energy rows, expected 6"
grep -q 'fleet.reach_truck.count.*4' "$tmp/s/sweep.txt" && fail "sweep.txt names the second sweep's values" || ok "sweep.txt is the first sweep's"

# a sweep killed with -9 leaves the lock file, not the lock: the rerun resumes
"$sf" sweep "$plant" $slow --jobs 1 --out "$tmp/k" >/dev/null 2>&1 &
driver=$!
for _ in $(seq 1 600); do
    ls "$tmp/k/runs" 2>/dev/null | grep -q '\.tsv$' && break
    sleep 0.05
done
orphans=$(pgrep -P $driver)
kill -9 $driver
wait $driver 2>/dev/null
for p in $orphans; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
"$sf" sweep "$plant" $slow --jobs 1 --out "$tmp/k" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" = 0 ] && ok "a sweep killed with -9 resumes" || { fail "the resumed sweep exited $status"; sed 's/^/  | /' "$tmp/err"; }

[ $fails = 0 ] && echo "all passed" || echo "$fails failed"
[ $fails = 0 ]
