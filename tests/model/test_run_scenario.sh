#!/bin/sh
# `shopfloor run SCENARIO.yaml`: a warehouse runs, keeps its books, is
# repeatable to the byte, takes --set, and fails with places on bad input.
# Usage: test_run_scenario.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wh=$src/scenarios/warehouse_basic.yaml

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
    if grep -q -- "$2" "$tmp/$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $1"; sed 's/^/  | /' "$tmp/$1" | head -30; fails=$((fails + 1)); fi
}

check 0 "the warehouse runs to its horizon" -- "$sf" run "$wh"
contains out "finished at t = 08:00:00" "it finishes at the horizon"
contains out "^reach_truck " "the agent table lists the forklifts"
contains out "put-away time" "put-aways are measured"
contains out "segments vehicles waited for" "congestion is reported by segment"
# the books: received = in racks + shipped + in transit, read off the final levels
awk '/^pallets received/ {r = $NF} /^pallets shipped/ {s = $NF} /^pallets in racks/ {k = $NF}
     /^pallets in transit/ {t = $NF}
     END {if (r > 0 && r == s + k + t) exit 0; print "received " r ", shipped " s ", racks " k ", transit " t; exit 1}' "$tmp/out" \
    && echo "ok: no pallet is lost" || { echo "FAIL: the books do not balance"; fails=$((fails + 1)); }
cp "$tmp/out" "$tmp/first"
"$sf" run "$wh" >"$tmp/second" 2>"$tmp/second.err"
if cmp -s "$tmp/first" "$tmp/second"; then echo "ok: same scenario and seed, same bytes"; else echo "FAIL: a second run differs"; fails=$((fails + 1)); fi
"$sf" run "$wh" --seed 99 >"$tmp/third" 2>&1
if cmp -s "$tmp/first" "$tmp/third"; then echo "FAIL: another seed gave the same run"; fails=$((fails + 1)); else echo "ok: another seed, another run"; fi

check 0 "--set changes the fleet" -- "$sf" run "$wh" --until 2h --set fleet.reach_truck.count=1
contains out "^reach_truck        1 " "one forklift after --set"
check 0 "an AS/RS tower is served by its crane" -- "$sf" run "$src/tests/model/data/warehouse_asrs.yaml"
contains out "^crane of rack 2 " "the crane's statistics are reported"
awk '/^pallets received/ {r = $NF} /^pallets shipped/ {s = $NF} /^pallets in racks/ {k = $NF}
     /^pallets in transit/ {t = $NF}
     END {if (r > 0 && r == s + k + t) exit 0; exit 1}' "$tmp/out" \
    && echo "ok: no pallet is lost in the AS/RS either" || { echo "FAIL: AS/RS books do not balance"; fails=$((fails + 1)); }
check 0 "another put-away policy and dispatch rule run" -- "$sf" run "$wh" --until 3h --set layout.storage.policy=abc --set demand.dispatch=oldest
contains out "finished at t = 03:00:00" "they run to the end"
check 1 "an unknown dispatch rule is an error" -- "$sf" run "$wh" --until 1h --set demand.dispatch=fastest
contains err "module 'fastest' not found" "the missing rule module is named"
check 1 "a wrong --set is an error with its place" -- "$sf" run "$wh" --set fleet.reach_truck.speed="3 kW"
contains err "expected a speed, got '3 kW'" "the message names what was expected"
check 2 "--set on a Lua model is a usage error" -- "$sf" run "$src/examples/mm1.lua" --set a.b=1
printf 'scenario: {name: x}\nlayout: {nodes: [{name: a, at: [0, 0]}]}\nfleet: []\nbogus: 1\n' >"$tmp/bad.yaml"
check 1 "a broken scenario does not run" -- "$sf" run "$tmp/bad.yaml"
contains err "bad.yaml:4:1: " "its problems carry file:line:col"

# an order that repeats: wave_1 (12 pallets at 1 h) every hour gives 12 more at 2 h and 3 h, so
# 3.5 h ship 12 x 3 + 8 + 15 = 59 order lines instead of 35 (the racks hold the stock for them)
asrs=$src/tests/model/data/warehouse_asrs.yaml
check 0 "orders once" -- "$sf" run "$asrs" --until 3.5h
contains out "^order line time  *35 " "35 order lines shipped"
check 0 "an order every hour" -- "$sf" run "$asrs" --until 3.5h --set demand.orders.0.every=1h
contains out "^order line time  *59 " "59 order lines shipped: the first order came three times"
check 1 "an order every 0 s is refused" -- "$sf" run "$asrs" --set demand.orders.0.every=0s
contains err "demand.orders.0.every:1:23: order 'wave_1': 'every' must be longer than 0 s" "with its place"

# sections only when the plant has them: an assembly cell (no stored goods, no vehicles) shows no
# empty warehouse tables; the warehouse above shows them (put-away time, the books)
lacks() { # lacks FILE TEXT DESCRIPTION
    if grep -q -- "$2" "$tmp/$1"; then echo "FAIL: $3: '$2' in $1"; fails=$((fails + 1)); else echo "ok: $3"; fi
}
check 0 "an assembly cell runs" -- "$sf" run "$src/scenarios/assembly_ssm.yaml" --until 1h
for t in "put-away time" "order line time" "pallets received" "pallets waiting for spac" "tasks waiting for a vehi"; do  # names cut at 24
    lacks out "^$t" "a plant without a warehouse has no '$t' table"
done
check 0 "the warehouse runs" -- "$sf" run "$wh" --until 1h
contains out "^tasks waiting for a vehi" "a plant with vehicles' tasks keeps their queue"

echo "$fails failed"
[ "$fails" = 0 ]
