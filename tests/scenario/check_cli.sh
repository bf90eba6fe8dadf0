#!/bin/sh
# `shopfloor check`: exit codes 0/1/2 and the exact problem lines.
# usage: check_cli.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
ex=$src/scenarios/examples
data=$src/tests/scenario/data
out=$(mktemp) err=$(mktemp) tmp=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "-- stdout:"; cat "$out"; echo "-- stderr:"; cat "$err"; exit 1; }

expect_rc() { # expected-code args...
    want=$1; shift
    "$sf" check "$@" >"$out" 2>"$err"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "shopfloor check $* exited $rc, expected $want"
}
expect_line() { # file line
    grep -qxF -- "$2" "$1" || fail "missing line: $2"
}

expect_rc 0 "$ex/minimal_plant.yaml" "$ex/minimal_overlay.yaml"
expect_line "$out" "$ex/minimal_plant.yaml: ok (8 nodes, 2 stations, 5 agent types, 2 products)"
expect_line "$out" "$ex/minimal_overlay.yaml: ok (8 nodes, 3 stations, 5 agent types, 2 products)"

# A humanoid that keeps the optimistic defaults: check warns at its entry and still passes.
expect_rc 0 "$ex/minimal_plant.yaml"
expect_line "$err" "$ex/minimal_plant.yaml:94:11: warning: fleet entry 'helper' keeps the optimistic defaults success_rate 100 % and time_factor 1: every operation at a person's time, right first time; give a time_factor and a success_rate (docs/production.md, \"Humanoids at their own pace\")"
expect_rc 0 "$ex/minimal_plant.yaml" --set fleet.helper.time_factor=1.3 --set fleet.helper.success_rate=0.97
grep -q "warning: fleet entry 'helper'" "$err" && fail "a humanoid with a time_factor and a success_rate was warned about"

expect_rc 1 "$data/broken.yaml"
expect_line "$err" "$data/broken.yaml:4:12: horizon: expected a duration, got '3 kW'"
expect_line "$err" "$data/broken.yaml:9:27: node 'b' is not defined; defined: a"
expect_line "$err" "$data/broken.yaml:11:49: unknown key 'sped' in fleet entry 'op'; did you mean 'speed'?"
expect_line "$err" "$data/broken.yaml:11:5: fleet entry 'op' needs 'speed'"
expect_line "$err" "$data/broken.yaml: 4 problems"

# One bad file among good ones still fails, and the good ones are still checked.
expect_rc 1 "$ex/minimal_plant.yaml" "$data/broken.yaml"
expect_line "$out" "$ex/minimal_plant.yaml: ok (8 nodes, 2 stations, 5 agent types, 2 products)"

expect_rc 0 --explain "$ex/minimal_overlay.yaml" --set fleet.reach_truck.count=6
expect_line "$out" "  count: 6"
expect_line "$out" "  name: minimal plant, two arms"
grep -q extends "$out" && fail "--explain printed the extends key"

expect_rc 1 "$ex/minimal_plant.yaml" --set fleet.reach_truck.count=six
expect_line "$err" "--set fleet.reach_truck.count:1:25: count: expected a whole number, got 'six'"

# No silent fallback: an ssm arm no camera watches is refused by check and run, at its rule; with
# `fallback: fenced` both warn, naming the robot, the run's report repeats it and its safety table
# shows the mode in force beside the rule's.
refused="$ex/minimal_plant.yaml:187:13: safety rule for 'welder': arm 'welder' cannot run ssm at station 'weld_1': no camera watches a collaborative zone there, and without sensing nobody knows where people are; add a camera over a collaborative zone that holds the station, or write 'fallback: fenced' to run it fenced there"
warned="$ex/minimal_plant.yaml:187:13: warning: safety rule for 'welder': arm 'welder' runs fenced, not ssm, at station 'weld_1': no camera watches a collaborative zone there (fallback: fenced)"
expect_rc 1 "$ex/minimal_plant.yaml" --set safety.cameras=~
expect_line "$err" "$refused"
"$sf" run "$ex/minimal_plant.yaml" --set safety.cameras=~ --until 1h >"$out" 2>"$err" && fail "run accepted an unwatched ssm arm"
expect_line "$err" "$refused"
expect_rc 0 "$ex/minimal_plant.yaml" --set safety.cameras=~ --set safety.robots.welder.fallback=fenced
expect_line "$err" "$warned"
"$sf" run "$ex/minimal_plant.yaml" --set safety.cameras=~ --set safety.robots.welder.fallback=fenced --until 1h \
    --out "$tmp/fallback" >"$out" 2>"$err" || fail "run with fallback: fenced failed"
expect_line "$err" "$warned"
expect_line "$out" "$warned"
grep -q "^welder.1  *fenced  *ssm " "$out" || fail "the safety table does not show welder.1 fenced under its ssm rule"
grep -qF "\"warnings\": [\"$warned\"]" "$tmp/fallback/summary.json" || fail "summary.json does not carry the warning"

# One currency: another would be summed into cost_total as if it were EUR.
expect_rc 1 "$ex/minimal_plant.yaml" --set "energy.tariff=0.2 USD/kWh"
expect_line "$err" "--set energy.tariff:1:15: tariff: unknown currency USD in '0.2 USD/kWh': the currency of this model is EUR"
expect_rc 0 "$ex/minimal_plant.yaml" --set "energy.tariff=0.2 EUR/kWh"

# `extends` reads regular files in allowed folders only, and never prints a refused one.
mkdir "$tmp/secret" "$tmp/plant"
printf 'password: hunter2\n' >"$tmp/secret/secrets.yaml"
cp "$ex/minimal_plant.yaml" "$tmp/plant/base.yaml"
printf 'extends: ../secret/secrets.yaml\n' >"$tmp/plant/up.yaml"
expect_rc 1 "$tmp/plant/up.yaml"
expect_line "$err" "$tmp/plant/up.yaml:1:10: 'extends: ../secret/secrets.yaml' lies outside the folder of the scenario ($tmp/plant), the scenarios folder and the folders in SHOPFLOOR_PATH; add its folder to SHOPFLOOR_PATH to allow it"
grep -q hunter2 "$out" "$err" && fail "a refused file was printed"
expect_rc 1 --explain "$tmp/plant/up.yaml"
grep -q hunter2 "$out" "$err" && fail "--explain printed a refused file"
printf 'extends: %s\n' "$tmp/secret/secrets.yaml" >"$tmp/plant/abs.yaml"
expect_rc 1 "$tmp/plant/abs.yaml"
grep -q "lies outside the folder of the scenario" "$err" || fail "an absolute path outside is not refused"
ln -s ../secret/secrets.yaml "$tmp/plant/link.yaml"
printf 'extends: link.yaml\n' >"$tmp/plant/via_link.yaml"
expect_rc 1 "$tmp/plant/via_link.yaml"
grep -q "'extends: link.yaml' lies outside" "$err" || fail "a symlink leads out of the folder"
grep -q hunter2 "$out" "$err" && fail "a file behind a symlink was printed"
env SHOPFLOOR_PATH="/nonexistent:$tmp/secret" "$sf" check "$tmp/plant/up.yaml" >"$out" 2>"$err"
grep -q "unknown key 'password'" "$err" || fail "a folder in SHOPFLOOR_PATH is not allowed"
mkdir "$tmp/plant/sub"
printf 'extends: ../base.yaml\nscenario: {seed: 3}\n' >"$tmp/plant/sub/over.yaml"
printf 'extends: sub/over.yaml\n' >"$tmp/plant/top.yaml"
expect_rc 0 "$tmp/plant/top.yaml"
mkfifo "$tmp/plant/pipe.yaml"
printf 'extends: pipe.yaml\n' >"$tmp/plant/piped.yaml"
timeout 20 "$sf" check "$tmp/plant/piped.yaml" >"$out" 2>"$err"
rc=$?
[ $rc -eq 1 ] || fail "extends of a named pipe exited $rc, expected 1"
expect_line "$err" "$tmp/plant/piped.yaml:1:10: 'extends: pipe.yaml' names a named pipe; a scenario is a regular file"
timeout 20 "$sf" check "$tmp/plant/pipe.yaml" >"$out" 2>"$err"
rc=$?
[ $rc -eq 1 ] || fail "check of a named pipe exited $rc, expected 1"
expect_line "$err" "$tmp/plant/pipe.yaml: cannot read a named pipe: a scenario is a regular file"
printf 'extends: sub\n' >"$tmp/plant/folder.yaml"
expect_rc 1 "$tmp/plant/folder.yaml"
expect_line "$err" "$tmp/plant/folder.yaml:1:10: 'extends: sub' names a folder; a scenario is a regular file"

# An extends chain holds at most 8 files, as the format's limits say.
mkdir "$tmp/chain"
cp "$ex/minimal_plant.yaml" "$tmp/chain/c8.yaml"
for i in 1 2 3 4 5 6 7; do printf 'extends: c%d.yaml\n' $((i + 1)) >"$tmp/chain/c$i.yaml"; done
printf 'extends: c1.yaml\n' >"$tmp/chain/c0.yaml"
expect_rc 0 "$tmp/chain/c1.yaml"
expect_rc 1 "$tmp/chain/c0.yaml"
expect_line "$err" "$tmp/chain/c7.yaml:1:10: 'extends' chains more than 8 files"

# `check` catches what `run` would reject: a travel that ends past what sf_time counts.
expect_rc 1 "$ex/minimal_plant.yaml" --set "fleet.tugger.speed=1e-300 m/s"
expect_line "$err" "$ex/minimal_plant.yaml:68:11: agv 'tugger': at 1e-300 m/s, crossing the path network (66.4853 m) takes longer than a run can count (292 years); the slowest speed, limits included, must be above 7.20837e-09 m/s"
expect_rc 0 "$ex/minimal_plant.yaml" --set "fleet.tugger.speed=1e-8 m/s"

# Empty names cannot be referred to: refused for every named entity.
expect_rc 1 "$ex/minimal_plant.yaml" --set 'layout.stations.0.name=""'
expect_line "$err" "--set layout.stations.0.name:1:24: a name in layout.stations must not be empty"
expect_rc 1 "$ex/minimal_plant.yaml" --set 'fleet.0.name=" "'
expect_line "$err" "--set fleet.0.name:1:14: a name in fleet must not be empty"
expect_rc 1 "$ex/minimal_plant.yaml" --set 'products.0.routing.0.name=""'
grep -q "must not be empty" "$err" || fail "an empty operation name is accepted"

# Names reach terminals and files: a terminal escape or a new line in one is refused.
expect_rc 1 "$ex/minimal_plant.yaml" --set 'layout.stations.0.name="weld\e[31m_1"'
expect_line "$err" "--set layout.stations.0.name:1:24: a name in layout.stations must not hold control characters (a tab, a new line, a terminal escape)"
expect_rc 1 "$ex/minimal_plant.yaml" --set 'fleet.0.name="a\nb"'
grep -q "must not hold control characters" "$err" || fail "a new line in a fleet name is accepted"
# A behaviour outside the scenario's and the scripts' folders is refused by check, not at run time.
expect_rc 1 "$ex/minimal_plant.yaml" --set 'fleet.0.behaviour=../../etc/shadow.lua'
grep -q "behaviour '../../etc/shadow.lua' must be a Lua file inside the scenario's folder" "$err" || fail "a behaviour outside the project passes check"
expect_rc 1 "$ex/minimal_plant.yaml" --set 'fleet.0.behaviour=/tmp/x.lua'
grep -q "no absolute path" "$err" || fail "an absolute behaviour path passes check"
# ... and one a spreadsheet opening a CSV file would run as a formula.
expect_rc 1 "$ex/minimal_plant.yaml" --set 'layout.stations.0.name="=1+2"'
grep -q "a name in layout.stations must not begin with '=', '+', '-' or '@'" "$err" || fail "a formula as a station name is accepted"

# A value that does not read says why, and nothing about its size.
expect_rc 1 "$ex/minimal_plant.yaml" --set "demand.arrivals.0.every=exp(1 kg)"
expect_line "$err" "--set demand.arrivals.0.every:1:29: every: exp argument 1: expected a duration, got '1 kg'"
grep -q "above 0 s" "$err" && fail "a wrong unit is reported as a size"
expect_rc 1 "$ex/minimal_plant.yaml" --set "demand.arrivals.0.every=exp(1 min"
grep -q "missing ')'" "$err" || fail "a missing parenthesis is not named"
grep -q "above 0 s" "$err" && fail "a missing parenthesis is reported as a size"
expect_rc 1 "$ex/minimal_plant.yaml" --set "failures.weld_faults.mtbf=exp(1 kg)"
grep -q "above 0 s" "$err" && fail "a wrong unit in mtbf is reported as a size"

expect_rc 1 "$data/no_such_file.yaml"
expect_line "$err" "$data/no_such_file.yaml: cannot open: No such file or directory"

expect_rc 2
expect_rc 2 --frobnicate "$ex/minimal_plant.yaml"
expect_rc 2 --explain "$ex/minimal_plant.yaml" "$ex/minimal_overlay.yaml"
expect_rc 2 "$ex/minimal_plant.yaml" --set nokey
expect_rc 0 --help
echo "shopfloor check: all expectations met"
