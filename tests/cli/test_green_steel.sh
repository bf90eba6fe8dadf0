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

# the section, then each ```sh command followed by the ``` block (if any) that shows its output
awk '/^## A sustainability engineer/ { on = 1; next } on && /^## / { exit } on' "$src/docs/user-guide.md" > "$tmp/section.md"
[ -s "$tmp/section.md" ] || fail "the guide has no green steel section"
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
