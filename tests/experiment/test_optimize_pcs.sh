#!/bin/sh
# The guarantee of `shopfloor optimize`, measured: 200 macro-replications
# (base seeds 1..200) of the procedure on examples/known_means.lua, whose
# true best is x = 3 with its neighbours worse by exactly delta = 1 (the
# slippage configuration). The best must be selected in at least
# (1 - alpha) 200 = 190 of them, with fewer runs than an equal-replication
# design with the same guarantee.
#
# Two such designs are counted. (1) What the procedure itself would run
# with the same first stage and no early elimination (KN's bound
# h^2 S2 / delta^2 + 1 replications for every alternative: a two-stage
# design of Rinott's shape), printed by optimize on each macro-replication.
# (2) The equal n of a design that knows the variance of the differences
# (4.5 here) and splits alpha over the k - 1 = 4 comparisons with the
# best (Bonferroni): n = ceil((z(1 - 0.05/4) sqrt(4.5) / 1)^2) =
# ceil(2.241403^2 x 4.5) = 23 per alternative, 115 runs, a bound no design
# that must estimate the variance can beat.
# The folders go to /dev/shm when it is there: every stored run is synced
# to the disk otherwise, which costs more than the run.
# Usage: test_optimize_pcs.sh path/to/shopfloor source_dir
sf=$1
src=$2
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$base/optimize_pcs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
model=$src/examples/known_means.lua

macro() { # macro FIRST LAST: seeds FIRST..LAST, one result line each
    s=$1
    while [ "$s" -le "$2" ]; do
        "$sf" optimize "$model" --vary x=1:5:1 --objective 'min mean[cost]' --delta 1 --seed "$s" --jobs 1 --quiet \
            --out "$tmp/m$s" 2>/dev/null | tr '\n' ' '
        echo
        rm -rf "$tmp/m$s"
        s=$((s + 1))
    done
}
start=$(date +%s)
macro 1 100 >"$tmp/a" &
macro 101 200 >"$tmp/b"
wait
cat "$tmp/a" "$tmp/b" >"$tmp/all"
took=$(($(date +%s) - start))
awk -v took="$took" '
    { n++ }
    /selected x=3:/ { right++ }
    match($0, /runs: [0-9]+/) { runs += substr($0, RSTART + 6, RLENGTH - 6) }
    match($0, /= [0-9]+ runs/) { fixed += substr($0, RSTART + 2, RLENGTH - 7) }
    END {
        printf "%d macro-replications in %d s: the best selected in %d (%.1f%%; at least 190 = 95%% wanted)\n", n, took, right, 100 * right / n
        printf "runs per macro-replication: %.1f on average (KN, fully sequential)\n", runs / n
        printf "  equal replications, same first stage (KN bound, Rinott shape): %.1f on average\n", fixed / n
        printf "  equal replications, variance known (Bonferroni): 115\n"
        ok = n == 200 && right >= 190 && runs / n < 115 && runs / n < fixed / n
        print ok ? "ok" : "FAIL"
        exit ok ? 0 : 1
    }' "$tmp/all"
