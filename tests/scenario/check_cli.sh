#!/bin/sh
# `shopfloor check`: exit codes 0/1/2 and the exact problem lines.
# usage: check_cli.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
ex=$src/scenarios/examples
data=$src/tests/scenario/data
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
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

# One currency: another would be summed into cost_total as if it were EUR.
expect_rc 1 "$ex/minimal_plant.yaml" --set "energy.tariff=0.2 USD/kWh"
expect_line "$err" "--set energy.tariff:1:15: tariff: unknown currency USD in '0.2 USD/kWh': the currency of this model is EUR"
expect_rc 0 "$ex/minimal_plant.yaml" --set "energy.tariff=0.2 EUR/kWh"

expect_rc 1 "$data/no_such_file.yaml"
expect_line "$err" "$data/no_such_file.yaml: cannot open: No such file or directory"

expect_rc 2
expect_rc 2 --frobnicate "$ex/minimal_plant.yaml"
expect_rc 2 --explain "$ex/minimal_plant.yaml" "$ex/minimal_overlay.yaml"
expect_rc 2 "$ex/minimal_plant.yaml" --set nokey
expect_rc 0 --help
echo "shopfloor check: all expectations met"
