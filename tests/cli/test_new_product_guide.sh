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

# the section, then each ```sh command followed by the ``` block (if any) that shows its output
awk '/^## A planner: a new product/ { on = 1; next } on && /^## / { exit } on' "$src/docs/user-guide.md" > "$tmp/section.md"
[ -s "$tmp/section.md" ] || fail "the guide has no new product section"
awk -v dir="$tmp" '
    /^```/ && fence { if (kind == "out") close(f); fence = 0; next }
    /^```/ { fence = 1; kind = "skip"
             if ($0 == "```sh") { kind = "cmd"; getline cmd; n++; print cmd > (dir "/cmd." n); close(dir "/cmd." n) }
             else if ($0 == "```" && n) { kind = "out"; f = dir "/out." n }
             next }
    fence && kind == "out" { print > f }' "$tmp/section.md"
[ -f "$tmp/cmd.3" ] || fail "the guide's section has fewer than three commands"

cd "$src" || exit 1
for c in "$tmp"/cmd.*; do
    i=${c##*.}
    cmd=$(sed "s|^shopfloor |$sf |; s|--out out/|--out $tmp/out/|" "$c")
    sh -c "$cmd" > "$tmp/got.$i" 2>&1 || fail "$(cat "$c"): $(tail -3 "$tmp/got.$i")"
    [ -f "$tmp/out.$i" ] || continue
    while IFS= read -r line; do
        grep -qxF -- "$line" "$tmp/got.$i" || fail "$(cat "$c") does not print, as the guide says: $line"
    done < "$tmp/out.$i"
done

# the sweep wrote the programming time per arm at each frequency: 14 programs of 15 min daily, 2 weekly
k=$tmp/out/new_product_sweep/summary.csv
[ -s "$k" ] || fail "the sweep wrote no summary.csv"
grep -q '^0,1d,programming_time,picker,h,3,3.5,' "$k" || fail "daily changes: picker's programming_time is not 3.5 h"
grep -q '^1,7d,programming_time,picker,h,3,0.5,' "$k" || fail "weekly changes: picker's programming_time is not 0.5 h"

[ "$fails" = 0 ] && echo "ok: the new product walk-through of docs/user-guide.md works as written"
exit "$fails"
