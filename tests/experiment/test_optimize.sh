#!/bin/sh
# `shopfloor optimize` as a user meets it: the usage it refuses, the
# alternative it selects on a model whose true means are known
# (examples/known_means.lua), constraints, the honest 'not decided' at the
# cap, the same bytes for any --jobs and after a resumption, and a scenario.
# Usage: test_optimize.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=$src/examples/known_means.lua
plant=$src/tests/experiment/data/plant.yaml
export SHOPFLOOR_SCRIPTS=$src/scripts

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

opt() { # opt OUT [more options]: the known-means model's five alternatives
    out=$1; shift
    "$sf" optimize "$model" --vary x=1:5:1 --objective 'min mean[cost]' --delta 1 --seed 3 --out "$out" "$@"
}

# ---- usage ------------------------------------------------------------------
check 2 "--delta is required" -- "$sf" optimize "$model" --vary x=1,2 --objective 'min mean[cost]' --out "$tmp/u"
contains "$tmp/err" "delta D is required" "says why"
check 2 "an objective it cannot read" -- "$sf" optimize "$model" --vary x=1,2 --objective 'cheapest' --delta 1 --out "$tmp/u"
contains "$tmp/err" "min METRIC" "with the form it wants"
check 2 "nothing to vary" -- "$sf" optimize "$model" --objective 'min mean[cost]' --delta 1 --out "$tmp/u"
check 2 "a constraint without a comparison" -- opt "$tmp/u" --constraint 'mean[rate] = 20'
check 2 "--n0 below 2" -- opt "$tmp/u" --n0 1
check 1 "a KPI the runs do not report" -- "$sf" optimize "$model" --vary x=1,2 --objective 'min mean[price]' --delta 1 --out "$tmp/k"
contains "$tmp/err" "no KPI 'mean\[price\]'" "names the missing KPI"

# ---- the known best -----------------------------------------------------------
check 0 "selects among five alternatives" -- opt "$tmp/j1" --jobs 1
contains "$tmp/out" "selected x=3" "the true best, x = 3"
contains "$tmp/j1/alternatives.csv" "^x,reps,mean,ci_low,ci_high,status,eliminated_at$" "the header of the contract"
contains "$tmp/j1/alternatives.csv" "^3,[0-9]*,.*,selected,$" "x = 3 selected"
contains "$tmp/j1/alternatives.csv" "^1,[0-9]*,.*,eliminated,[0-9]*$" "x = 1 eliminated, with its stage"
contains "$tmp/j1/report.html" "<svg" "report.html has its charts"
if grep -v "www.w3.org/2000/svg" "$tmp/j1/report.html" | grep -q "http"; then echo "FAIL: report.html loads something"; fails=$((fails + 1)); fi
check 0 "the same on two workers" -- opt "$tmp/j2" --jobs 2
for f in alternatives.csv report.html; do same "$tmp/j1/$f" "$tmp/j2/$f" "$f is the same bytes for --jobs 1 and 2"; done

# resume: only some of the stored runs, then the same command
mkdir -p "$tmp/part/runs"
cp "$tmp/j1/sweep.txt" "$tmp/part/"
cp "$tmp/j1/runs/p000002-"* "$tmp/j1/runs/p000000-r000003.tsv" "$tmp/part/runs/"
check 0 "resumes from the stored runs" -- opt "$tmp/part" --jobs 2
for f in alternatives.csv report.html; do same "$tmp/j1/$f" "$tmp/part/$f" "resumed $f is the same bytes"; done
check 2 "another cap in the same folder is refused" -- opt "$tmp/j1" --max-reps 50

# ---- constraints ---------------------------------------------------------------
check 0 "the best feasible alternative" -- opt "$tmp/c" --constraint 'mean[rate] >= 20 +- 1'
contains "$tmp/out" "selected x=4" "x = 4: x = 2 and 3 are infeasible (rate 19 and 18)"
contains "$tmp/c/alternatives.csv" "^2,[0-9]*,.*,infeasible,[0-9]*$" "x = 2 infeasible"
contains "$tmp/c/alternatives.csv" "^3,[0-9]*,.*,infeasible,[0-9]*$" "x = 3 infeasible"
check 0 "no alternative feasible" -- opt "$tmp/none" --constraint 'mean[rate] >= 40 +- 1'
contains "$tmp/out" "no alternative meets the constraints" "says so"
check 0 "a constraint without a tolerance gets 1% of its bound, said aloud" -- opt "$tmp/c1" --constraint 'mean[rate] >= 20'
contains "$tmp/err" "no tolerance: deciding it within +- 0.2" "on stderr"
contains "$tmp/c1/report.html" "1% of the bound" "and in the report"

# ---- the cap: an honest 'not decided' ---------------------------------------------
check 1 "a delta too small for the cap" -- opt "$tmp/cap" --delta 0.01 --max-reps 12
contains "$tmp/out" "not decided: 5 alternatives are still in contention after 12 replications" "says so"
contains "$tmp/cap/alternatives.csv" "^3,12,.*,undecided,$" "rows marked undecided"

# ---- a scenario ---------------------------------------------------------------------
check 0 "a scenario's fleet size" -- "$sf" optimize "$plant" --vary fleet.reach_truck.count=1,3 \
    --objective 'min energy_grid' --delta 1 --n0 3 --max-reps 20 --jobs 2 --out "$tmp/plant"
contains "$tmp/plant/alternatives.csv" "^fleet.reach_truck.count,reps," "the key is the column"
contains "$tmp/out" "selected fleet.reach_truck.count=1" "one reach truck draws less energy than three (the pallets are the same)"

# ---- a Lua model's param table, and a failing run -------------------------------------
# x = 2 or 5 as numbers; name = a"b\ (4 characters, quoted for Lua) as text; no noise: means 2 and 5.
check 0 "param reaches a Lua model" -- "$sf" optimize "$src/tests/experiment/data/param_echo.lua" --vary x=2,5 \
    --set 'name=a"b\' --objective 'max mean[x]' --delta 0.5 --n0 2 --out "$tmp/param"
contains "$tmp/param/alternatives.csv" "^5,2,5,5,5,selected,$" "x = 5 selected with mean exactly 5"
contains "$tmp/param/alternatives.csv" "^2,2,2,2,2,eliminated,2$" "x = 2 eliminated with mean exactly 2"
check 0 "the text parameter arrives whole" -- "$sf" optimize "$src/tests/experiment/data/param_echo.lua" --vary x=2,5 \
    --set 'name=a"b\' --objective 'min mean[name is text]' --delta 0.5 --n0 2 --out "$tmp/param2"
contains "$tmp/param2/alternatives.csv" "^2,2,4,4,4,selected,$" "name has its 4 characters"
check 1 "a failing run stops the procedure" -- "$sf" optimize "$plant" --vary fleet.tugger.behaviour=agv,seize \
    --objective 'max pallets_handled' --delta 1 --n0 2 --max-reps 4 --jobs 2 --out "$tmp/fail"
contains "$tmp/err" "a ranking needs every run" "says why"

# ---- the neighbourhood search ----------------------------------------------------------
# From x = 1: {1, 2} selects 2, {2, 1, 3} selects 3, {3, 2, 4} keeps 3; x = 5 is never run.
check 0 "a neighbourhood search" -- opt "$tmp/nb1" --search neighbourhood --jobs 1
contains "$tmp/out" "selected x=3: .* the best of its neighbourhood" "walks to the true best"
contains "$tmp/out" "3 steps, 4 of 5 alternatives visited" "in three steps"
if grep -q "^5," "$tmp/nb1/alternatives.csv"; then echo "FAIL: x = 5 was never visited but has a row"; fails=$((fails + 1)); else echo "ok: no row for the alternative never visited"; fi
if ls "$tmp/nb1/runs" | grep -q "^p000004-"; then echo "FAIL: x = 5 was run"; fails=$((fails + 1)); else echo "ok: and no run of it"; fi
check 0 "the same search on two workers" -- opt "$tmp/nb2" --search neighbourhood --jobs 2
same "$tmp/nb1/alternatives.csv" "$tmp/nb2/alternatives.csv" "the search's alternatives.csv is the same bytes for --jobs 1 and 2"
check 2 "an unknown search" -- opt "$tmp/u" --search genetic

# ---- the reports of sweep and compare ---------------------------------------------------
check 0 "compare a plant with itself" -- "$sf" compare "$plant" "$plant" --reps 3 --until "30 min" --out "$tmp/cmp"
contains "$tmp/cmp/report.html" "Paired differences B - A" "compare writes report.html"
contains "$tmp/cmp/report.html" "pallet_throughput: 8.667 to 8.667 1/h (+0)" "a difference of exactly 0, beside the means of A and B"
if grep -q 'fill="#2563eb"' "$tmp/cmp/report.html"; then
    echo "FAIL: a plant against itself shows a significant difference"; fails=$((fails + 1))
else
    echo "ok: every difference of a plant with itself is grey (its interval holds 0)"
fi
for j in 1 2; do
    check 0 "sweep --jobs $j" -- "$sf" sweep "$plant" --vary fleet.reach_truck.count=1,2 --reps 2 --until "30 min" --quiet \
        --jobs $j --out "$tmp/sw$j"
done
contains "$tmp/sw1/report.html" "fleet.reach_truck.count=2" "the sweep's report has a row per point"
contains "$tmp/sw1/report.html" "<h2>pallets_stored, pallets</h2>" "and a chart per headline KPI"
same "$tmp/sw1/report.html" "$tmp/sw2/report.html" "the sweep's report.html is the same bytes for --jobs 1 and 2"

echo "$fails failure(s)"
[ "$fails" = 0 ]
