#!/bin/sh
# SIGTERM during a runaway resume (a loop whose budget only the signal can end)
# stops the run within 2 s, exit status 1, with its partial results written
# and marked incomplete.
# A scenario run stopped by SIGINT marks its figures incomplete: summary.json
# "complete": false and the row complete,-,0 in kpis.csv.
# Usage: test_signal_runaway.sh SHOPFLOOR SOURCE_DIR
set -u
bin=$1
src=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cat > "$dir/spin.lua" <<'LUA'
local t = sim.tally("before the loop")
t:add(1)
sim.wait(5)
local x = 0
while true do x = x + 1 end
LUA
"$bin" run "$dir/spin.lua" --budget 1000000000000000 --out "$dir/out" > "$dir/stdout" 2> "$dir/stderr" &
pid=$!
sleep 1
kill -TERM $pid
# wait up to 2 s for it to end
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $pid 2>/dev/null; then
  echo "FAIL: still running 2 s after SIGTERM"; kill -9 $pid; exit 1
fi
wait $pid
rc=$?
fail=0
[ $rc -eq 1 ] || { echo "FAIL: exit status $rc, not 1"; fail=1; }
grep -q "interrupted by SIGTERM" "$dir/stderr" || { echo "FAIL: no 'interrupted by SIGTERM' on stderr"; fail=1; }
grep -q "spin.lua:5: behaviour 'main' stopped by a signal" "$dir/stderr" || { echo "FAIL: no place of the stop on stderr"; fail=1; }
grep -q "INCOMPLETE at t = 00:00:05" "$dir/stdout" || { echo "FAIL: no INCOMPLETE line at t = 5 s"; fail=1; }
for f in results.json results.csv summary.json; do
  [ -s "$dir/out/$f" ] || { echo "FAIL: no $f"; fail=1; }
done
grep -q '"complete": false' "$dir/out/summary.json" 2>/dev/null || { echo "FAIL: summary.json not marked incomplete"; fail=1; }
grep -q 'before the loop' "$dir/out/results.csv" 2>/dev/null || { echo "FAIL: the tally is not in results.csv"; fail=1; }
[ $fail -eq 0 ] && echo "ok: stopped in $((i * 100)) ms after SIGTERM with partial results"

# a scenario, interrupted long before its (400-day) end
"$bin" run "$src/scenarios/smart_factory.yaml" --until 400d --out "$dir/plant" > /dev/null 2> "$dir/plant.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: the interrupted scenario exited $rc, not 1"; fail=1; }
grep -q '^complete,-,0,' "$dir/plant/kpis.csv" 2>/dev/null || { echo "FAIL: kpis.csv of an interrupted run has no complete,-,0 row"; fail=1; }
grep -q '"complete": false' "$dir/plant/summary.json" 2>/dev/null || { echo "FAIL: summary.json of an interrupted run not marked incomplete"; fail=1; }
[ $fail -eq 0 ] && echo "ok: an interrupted scenario's kpis.csv says complete = 0"
exit $fail
