#!/bin/sh
# Transport instructions on the basic warehouse (seed 7), its arrivals
# stopped at 2 h (--set demand.arrivals.0.stop=2h) so that between 02:30 and
# the next order wave (3 h) nothing else moves a pallet:
#   - "+2h30m reach_truck 2, bring 10 pallets of pallet_a from rack_1 to
#     rack_2": rack_1 holds 22 pallet_a then and rack_2 none; when the last
#     is set down rack_1 holds 12 and rack_2 10; between 02:30 and then
#     reach_truck.2 drives loaded exactly 10 times and no other vehicle
#     drives loaded at all; 10 pallets moved by instruction, none refused;
#   - "+2h30m reach_truck 3: bring 30 pallets of pallet_a from rack_1 to
#     outbound": only the 22 there are moved; 8 are refused in the run's log
#     at 02:30 with the reason; shipped at 3 h: 20 without, 42 with;
#   - "+1h reach_truck 1, bring 5 pallets of pallet_a from dock_in to
#     rack_2": the next 5 pallet_a received go to rack_2 (0 -> 5), by
#     reach_truck.1;
#   - pallets already waiting at the dock (arrivals every 5 min from 5 min,
#     pallet_a only; every vehicle stopped from the start, reach_truck 1 for
#     1 h: the first four pallets go to the four stopped vehicles, which were
#     waiting for work, so at 00:50 the six received from 00:25 to 00:50
#     wait at inbound): "bring 4" takes the oldest four (received 1500 s to
#     2400 s); "bring 10" takes the six, then the arrivals at 55, 60, 65 and
#     70 min, all ten in rack_2 by 01:14 (the next ten arrivals would end at
#     100 min);
#   - units of a made product to a station, on the flagship (gearbox
#     orders every 5 min from 00:05, no housings, no components before 9 h;
#     both tuggers stopped for the first hour): at 00:50 ten gearboxes are
#     released, kit_1 has room for seven (6 in its input buffer, 1 at
#     work), so seven moves inbound -> kit_1 are booked: the first two went
#     to the two tuggers waiting for work when stopped, five wait; "bring 6
#     units of gearbox from inbound to kit_1" takes those five and the next
#     move booked; tugger.2 drives loaded 7 times (the unit it held, and
#     the six) by the last drop; 6 moved by instruction, none refused;
#   - the list as printed (--out DIR/interventions.txt) runs the same run;
#   - a sentence the scenario rules out stops the run before it starts.
#   test_transport_run.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wh=$src/scenarios/warehouse_basic.yaml
fp() { sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$1"; }
fail() { echo "FAIL: $*"; exit 1; }
# now LOG LEVEL: a level's value at the end of the run
now() { awk -v l="$2" 'index($0, l) == 1 { print $NF; exit }' "$1"; }
run() { # run NAME LINES...
    name=$1
    shift
    printf '%s\n' "$@" > "$tmp/$name.txt"
    "$sf" run "$wh" --until 3h --set demand.arrivals.0.stop=2h --instruct "$tmp/$name.txt" --out "$tmp/$name" --trace \
        > "$tmp/$name.log" 2>&1 || { cat "$tmp/$name.log"; fail "the run $name failed"; }
}

# rack to rack
run relocate "+2h30m reach_truck 2, bring 10 pallets of pallet_a from rack_1 to rack_2"
grep -q '^\[02:30:00\] main: reach_truck.2, bring 10 pallets of pallet_a from rack_1 to rack_2 (rack_1 holds 22, rack_2 holds 0)$' \
    "$tmp/relocate.log" || fail "the stock when told is not 22 and 0"
done_line=$(grep 'reach_truck.2 brought' "$tmp/relocate.log")
echo "$done_line" | grep -q 'brought 10 of 10 pallets of pallet_a (rack_1 holds 12, rack_2 holds 10)$' ||
    fail "not 10 brought, 22 -> 12 and 0 -> 10: $done_line"
t_done=$(echo "$done_line" | sed 's/^\[\([0-9]*\):\([0-9]*\):\([0-9.]*\)\].*/\1 \2 \3/' | awk '{ print $1 * 3600 + $2 * 60 + $3 }')
loaded=$(awk -F, -v t="$t_done" '$1 >= 9000 && $1 <= t && $4 == "travel_loaded" { print $3 }' "$tmp/relocate/trace.csv" | sort | uniq -c |
         awk '{ printf "%s=%s ", $2, $1 }')
[ "$loaded" = "reach_truck.2=10 " ] || fail "loaded trips from 02:30 to the last drop: $loaded"
[ "$(now "$tmp/relocate.log" "pallets moved by instruc")" = 10 ] || fail "pallets moved by instruction not 10"
[ "$(now "$tmp/relocate.log" "pallets of instructions")" = 0 ] || fail "pallets refused"

# more than the rack holds, out at the sink dock
run ship "+2h30m reach_truck 3: bring 30 pallets of pallet_a from rack_1 to outbound"
grep -q '^\[02:30:00\] main: cannot follow "reach_truck.3, bring 30 pallets of pallet_a" for 8 of them: no more pallets of pallet_a in rack_1 within its reach$' \
    "$tmp/ship.log" || { cat "$tmp/ship.log"; fail "the 8 pallets not there are not refused in the log"; }
grep -q 'reach_truck.3 brought 22 of 30 pallets of pallet_a (rack_1 holds 0)$' "$tmp/ship.log" || fail "not 22 brought"
[ "$(now "$tmp/ship.log" "pallets shipped")" = 42 ] || fail "shipped $(now "$tmp/ship.log" "pallets shipped"), not 20 + 22"
[ "$(now "$tmp/ship.log" "pallets of instructions")" = 8 ] || fail "refused not 8"

# from the dock: the next pallets received
run dock "+1h reach_truck 1, bring 5 pallets of pallet_a from dock_in to rack_2"
grep -q '^\[01:00:00\] main: reach_truck.1, bring 5 pallets of pallet_a from inbound to rack_2 (rack_2 holds 0)$' "$tmp/dock.log" ||
    fail "rack_2 not empty when told"
grep -q 'reach_truck.1: reach_truck.1 brought 5 of 5 pallets of pallet_a (rack_2 holds 5)$' "$tmp/dock.log" || fail "not 5 into rack_2"

# from the dock: the pallets waiting there first, oldest first
dock_wait() { # dock_wait NAME N
    printf '%s\n' 'stop reach_truck 1 for 1 h' 'stop reach_truck 2 for 3 h' 'stop reach_truck 3 for 3 h' 'stop tugger 1 for 3 h' \
        "+50min reach_truck 1, bring $2 pallets of pallet_a from inbound to rack_2" > "$tmp/$1.txt"
    "$sf" run "$wh" --until 2h --set demand.arrivals.0.every=5min --set demand.arrivals.0.mix.pallet_b=0 \
        --set fleet.0.battery.initial=95% --set demand.orders.wave_1.at=3h --instruct "$tmp/$1.txt" > "$tmp/$1.log" 2>&1 ||
        { cat "$tmp/$1.log"; fail "the run $1 failed"; }
}
dock_wait waiting4 4
grep -q '^\[00:50:00\] main: reach_truck.1 takes the oldest 4 of the 6 pallets of pallet_a waiting at inbound (received from 1500 s to 2400 s)$' \
    "$tmp/waiting4.log" || { cat "$tmp/waiting4.log"; fail "not the oldest 4 of the 6 waiting"; }
grep -q 'reach_truck.1 brought 4 of 4 pallets of pallet_a (rack_2 holds 4)$' "$tmp/waiting4.log" || fail "not 4 into rack_2"
dock_wait waiting10 10
grep -q '^\[00:50:00\] main: reach_truck.1 takes the oldest 6 of the 6 pallets of pallet_a waiting at inbound (received from 1500 s to 3000 s)$' \
    "$tmp/waiting10.log" || { cat "$tmp/waiting10.log"; fail "not the 6 waiting"; }
grep -q '^\[01:1[0-4]:[0-9.]*\] reach_truck.1: reach_truck.1 brought 10 of 10 pallets of pallet_a (rack_2 holds 10)$' "$tmp/waiting10.log" ||
    { grep brought "$tmp/waiting10.log"; fail "not 10 into rack_2 by 01:14"; }
[ "$(now "$tmp/waiting10.log" "pallets moved by instruc")" = 10 ] || fail "pallets moved by instruction not 10"

# units of a made product into a station's input buffer
printf '%s\n' 'stop tugger 1 for 1 h' 'stop tugger 2 for 1 h' '+50min tugger 2, bring 6 units of gearbox from inbound to kit_1' \
    > "$tmp/units.txt"
"$sf" run "$src/scenarios/smart_factory.yaml" --until 2h --set demand.arrivals.line_orders.every=5min \
    --set demand.arrivals.line_orders.mix.housing=0 --set demand.arrivals.component_a_in.start=9h \
    --set demand.arrivals.component_b_in.start=9h --instruct "$tmp/units.txt" --out "$tmp/units" --trace > "$tmp/units.log" 2>&1 ||
    { cat "$tmp/units.log"; fail "the run units failed"; }
grep -q '^\[00:50:00\] main: tugger.2 takes the oldest 5 units of gearbox waiting at inbound for kit_1$' "$tmp/units.log" ||
    { cat "$tmp/units.log"; fail "not the 5 units waiting"; }
done_line=$(grep 'tugger.2 brought' "$tmp/units.log")
echo "$done_line" | grep -q 'tugger.2 brought 6 of 6 units of gearbox$' || fail "not 6 units brought: $done_line"
t_done=$(echo "$done_line" | sed 's/^\[\([0-9]*\):\([0-9]*\):\([0-9.]*\)\].*/\1 \2 \3/' | awk '{ print $1 * 3600 + $2 * 60 + $3 }')
[ "$(awk -F, -v t="$t_done" '$1 <= t && $3 == "tugger.2" && $4 == "travel_loaded"' "$tmp/units/trace.csv" | wc -l)" = 7 ] ||
    fail "tugger.2 did not drive loaded 7 times by the last drop"
[ "$(now "$tmp/units.log" "pallets moved by instruc")" = 6 ] || fail "units moved by instruction not 6"
[ "$(now "$tmp/units.log" "pallets of instructions")" = 0 ] || fail "units refused"

# the printed list runs the same run
"$sf" run "$wh" --until 3h --set demand.arrivals.0.stop=2h --instruct "$tmp/relocate/interventions.txt" > "$tmp/again.log" 2>&1 ||
    fail "the printed list does not run"
[ "$(fp "$tmp/again.log")" = "$(fp "$tmp/relocate.log")" ] || fail "the printed list gives another fingerprint"

# refused before the run
printf '%s\n' "reach_truck 2, bring 3 pallets of pallet_a from dock_out to rack_1" > "$tmp/bad.txt"
if "$sf" run "$wh" --instruct "$tmp/bad.txt" > "$tmp/bad.log" 2>&1; then fail "a pallet from the wrong dock was accepted"; fi
grep -q 'bad.txt:1: cannot follow "reach_truck 2, bring 3 pallets of pallet_a from dock_out to rack_1": pallet_a arrives at inbound, not at outbound' \
    "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "the refusal is not quoted with its reason"; }
echo "transport instructions: ok"
