#!/bin/sh
# Writes docs/validation.md's content to stdout: every model of
# tests/validation against its queueing formula, and the conservation
# laws with the test that checks each, run now.
#
#   tools/validation-report.sh BUILD_DIR > docs/validation.md
#
# The queueing rows use fixed seeds, so the output is the same on every
# run; tests/validation checks that docs/validation.md is this output.
set -eu
build=${1:?usage: tools/validation-report.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
export SHOPFLOOR_SOURCE_DIR="$root" SHOPFLOOR_BINARY_DIR="$build"

cat <<'HEAD'
# Validation

What shopfloor computes, checked against what theory says it must be.
This page is the output of `tools/validation-report.sh build` (after
`make test` has built `build/`); a test fails when it no longer matches.

## Queueing theory

Each model is a Lua process model in `tests/validation/` (the carrier: a
scenario, `carrier.yaml`, run through the factory model and its default
behaviours) run for 10 independent replications (seeds 1 to 10). A row passes when the formula's
value lies inside the 99.9 % confidence interval of the replication means
(Student t, 9 degrees of freedom) and the interval's half-width is within
5 % of that value.

| case | model and measure | theory | simulated (99.9 % CI) | half-width | result |
|---|---|---|---|---|---|
HEAD
"$build/tests/validation/test_queueing" --markdown

cat <<'MID'

Formulas: M/M/1 W = 1/(μ − λ); M/M/c Wq = C(c, a)/(cμ − λ) with Erlang's C;
M/D/1 by Pollaczek-Khinchine, W = ρ/(2μ(1 − ρ)) + 1/μ; the machine-repairman
model by its birth-death stationary distribution (finite source, R
repairers); the carrier as M/D/1, Wq = ρD/(2(1 − ρ)), its service D = 58 s
being the fixed cycle of taking a unit in hand, carrying it 20 m, setting
it down and walking back (measured: release to pickup, less the 8 s of
taking it in hand, for units released after the first day).

## Conservation laws and exact integrals

| law | checked by | result |
|---|---|---|
MID
row() { # law, test executable (relative to the build), test case names
    law=$1; exe=$2; what=$3
    if "$build/$exe" >/dev/null 2>&1; then r=pass; else r=FAIL; fi
    printf '| %s | `%s` (%s) | %s |\n' "$law" "$(basename "$exe")" "$what" "$r"
}
run() { # law, scenario: a run that stops with an error when the law breaks
    law=$1; scenario=$2
    if "$build/shopfloor" run "$root/$scenario" >/dev/null 2>&1; then r=pass; else r=FAIL; fi
    printf '| %s | `shopfloor run %s` (checked at every step) | %s |\n' "$law" "$scenario" "$r"
}
row "energy per power state = power × time, exactly" tests/model/test_energy "test_energy_per_state_is_power_times_time"
row "a battery runs flat at the predicted nanosecond; charging stops when full" tests/model/test_energy "battery_runs_flat_when_predicted, charging_draws_from_the_grid_until_full"
row "loads in racks: stored − retrieved = held, no cell holds two" tests/model/test_storage "test_storage_conserves_loads"
row "travel time of a trapezoid profile, with acceleration, exact" tests/model/test_movers "travel_time_includes_acceleration, speed_cap_mid_trip_replans_exactly"
row "vehicles never share a capacity-one segment" tests/model/test_movers "never_share_a_capacity_one_segment"
row "time-weighted levels and tallies against direct sums" tests/core/test_stats "all cases"
row "distribution moments against their formulas (10^6 draws)" tests/core/test_dist "all cases"
run "pallets: received = in racks + in transit + shipped" scenarios/warehouse_basic.yaml
