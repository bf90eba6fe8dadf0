#!/bin/sh
# The same model and seed give the same bytes in 10 separate processes, for
# a model that spawns its processes in pairs() order over string keys (Lua
# seeds its string hash anew in every process; the sandbox's pairs does not
# depend on it).
# Usage: test_pairs_order.sh SHOPFLOOR
set -u
bin=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cat > "$dir/order.lua" <<'LUA'
local machines = {}
for i = 1, 40 do machines["machine_" .. i] = i end
local r = sim.rng("arrivals")
local order = sim.tally("order")
local n = 0
for name, i in pairs(machines) do
  n = n + 1
  order:add(n * i)
  sim.spawn(name, function()
    sim.wait(r:exp(i))
    sim.tally("done"):add(sim.now() * i)
  end)
end
LUA
fail=0
for run in 1 2 3 4 5 6 7 8 9 10; do
  "$bin" run "$dir/order.lua" --seed 7 --out "$dir/run$run" > "$dir/stdout$run" 2>&1 || { echo "FAIL: run $run failed"; cat "$dir/stdout$run"; exit 1; }
  if [ $run -gt 1 ] && ! cmp -s "$dir/run1/results.csv" "$dir/run$run/results.csv"; then
    echo "FAIL: run $run gave other results than run 1"; diff "$dir/run1/results.csv" "$dir/run$run/results.csv" | head; fail=1
  fi
done
[ $fail -eq 0 ] && echo "ok: 10 processes, one results.csv"
exit $fail
