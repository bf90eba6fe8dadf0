#!/bin/sh
# The new-product walk-through of docs/user-guide.md ("a new product every
# week, or every day?"), as a reader would do it: every `shopfloor`
# command of its ```sh blocks is run from the source tree, and every line
# of its output blocks must appear in what that command printed.
#   test_new_product_guide.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

. "$src/tests/cli/guide_section.sh"
run_guide_section '^## A planner: a new product' 'new product'

# the sweep wrote the programming time per arm at each frequency: 14 programs of 15 min daily, 2 weekly
k=$tmp/out/new_product_sweep/summary.csv
[ -s "$k" ] || fail "the sweep wrote no summary.csv"
grep -q '^0,1d,programming_time,picker,h,3,3.5,' "$k" || fail "daily changes: picker's programming_time is not 3.5 h"
grep -q '^1,7d,programming_time,picker,h,3,0.5,' "$k" || fail "weekly changes: picker's programming_time is not 0.5 h"

[ "$fails" = 0 ] && echo "ok: the new product walk-through of docs/user-guide.md works as written"
exit "$fails"
