#!/bin/sh
# The sustainability engineer's walk-through of docs/user-guide.md ("green
# steel or green power?"), as a reader would do it: every `shopfloor`
# command of its ```sh blocks is run from the source tree, and every line
# of its output blocks must appear in what that command printed.
#   test_green_steel.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

. "$src/tests/cli/guide_section.sh"
run_guide_section '^## A sustainability engineer' 'green steel'

# the footprint is its parts' sum, and the rows are named as the guide says
k=$tmp/out/green_steel/kpis.csv
[ -s "$k" ] || fail "run --out wrote no kpis.csv"
awk -F, '$2 == "flange" { v[$1] = $3 }
    END { s = v["co2e_materials_per_unit"] + v["co2e_scope1_per_unit"] + v["co2e_scope2_per_unit"]
          d = s - v["co2e_per_unit"]; if (d < 0) d = -d
          exit !("co2e_per_unit" in v && d <= 1e-9 * s) }' "$k" ||
    fail "co2e_per_unit of flange is not the sum of its parts: $(grep '^co2e' "$k")"

[ "$fails" = 0 ] && echo "ok: the green steel walk-through of docs/user-guide.md works as written"
exit "$fails"
