#!/bin/sh
# `shopfloor run`: exit codes, the report, and the output files of a
# complete and of a failed run. Usage: test_run_cli.sh SHOPFLOOR SOURCE_DIR
set -u
bin=$1
src=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" run "$src/examples/mm1.lua" --until 2h --seed 3 --out "$dir/ok" > "$dir/ok.txt" || fail "mm1 exited $?"
grep -q "finished at t = 02:00:00" "$dir/ok.txt" || fail "no finish line: $(cat "$dir/ok.txt")"
grep -q "time in system" "$dir/ok.txt" || fail "no tally in the table"
grep -q '"complete": true' "$dir/ok/results.json" || fail "results.json not complete"
grep -q '"seed": 3' "$dir/ok/results.json" || fail "results.json lacks the seed"
"$bin" run "$src/examples/mm1.lua" --until 2h --seed 3 > "$dir/again.txt" || fail "second run exited $?"
[ "$(head -1 "$dir/ok.txt")" = "$(head -1 "$dir/again.txt")" ] || fail "the same seed gave another fingerprint"
"$bin" run "$src/examples/mm1.lua" --until 2h --seed 4 > "$dir/other.txt" || fail "third run exited $?"
[ "$(head -1 "$dir/ok.txt")" != "$(head -1 "$dir/other.txt")" ] || fail "another seed gave the same fingerprint"
grep -q '^resource,server,' "$dir/ok/results.csv" || fail "results.csv lacks the server"
ls "$dir/ok" | grep -q tmp && fail "a temporary file was left"

# names are quoted only when CSV needs it, numbers read back as the doubles they were
cat > "$dir/names.lua" <<'LUA'
local t = sim.tally('wait "long", short')
sim.spawn("p", function() t:add(0.1); t:add(528.5) end)
LUA
"$bin" run "$dir/names.lua" --out "$dir/names" > /dev/null || fail "names.lua exited $?"
grep -q '^tally,"wait ""long"", short",2,' "$dir/names/results.csv" || fail "a name with a comma and quotes: $(cat "$dir/names/results.csv")"
grep -q ',0.1,528.5,' "$dir/names/results.csv" || fail "min and max not as added: $(cat "$dir/names/results.csv")"
grep -q '"min": 0.1, "max": 528.5' "$dir/names/results.json" || fail "JSON min and max: $(cat "$dir/names/results.json")"

cat > "$dir/broken.lua" <<'LUA'
local done = sim.tally("done")
sim.spawn("packer", function()
  for i = 1, 3 do sim.wait(10); done:add(i) end
  local box = nil
  box.weight = 1
end)
LUA
"$bin" run "$dir/broken.lua" --out "$dir/bad" > "$dir/bad.txt" 2> "$dir/bad.err"
[ $? -eq 1 ] || fail "a script error must exit 1"
grep -q "broken.lua:5: attempt to index a nil value" "$dir/bad.err" || fail "no file:line: $(cat "$dir/bad.err")"
grep -q "behaviour 'packer' at t = 00:00:30" "$dir/bad.err" || fail "no process and time: $(cat "$dir/bad.err")"
grep -q "INCOMPLETE" "$dir/bad.txt" || fail "the table does not say incomplete"
grep -q '"complete": false' "$dir/bad/results.json" || fail "results.json not marked incomplete"
grep -q '"name": "done", "n": 3' "$dir/bad/results.json" || fail "measurements were lost"

printf 'plant: {}\n' > "$dir/plant.yaml"
"$bin" run "$dir/plant.yaml" > /dev/null 2> "$dir/yaml.err"
[ $? -eq 1 ] || fail "a broken scenario must exit 1"
grep -q "plant.yaml:1:1: unknown key 'plant'" "$dir/yaml.err" || fail "a broken scenario's problems need their places"

"$bin" run "$src/examples/mm1.lua" --until soon > /dev/null 2>&1
[ $? -eq 2 ] || fail "a bad --until must be a usage error"
echo "ok"
