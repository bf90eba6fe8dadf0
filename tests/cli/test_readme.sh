#!/bin/sh
# The README's example output cannot go stale: every line it shows of
# `shopfloor compare ...` (the planner's example) is a line of that
# command's output today. Regenerate the README's block when this fails.
#   test_readme.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmd=$(grep -m1 '^\./build/shopfloor compare ' "$src/README.md" | sed 's|^\./build/shopfloor ||')
[ -n "$cmd" ] || { echo "FAIL: no compare example in README.md"; exit 1; }
# the output block: the first fenced block after the command's
awk -v c="$cmd" 'index($0, c) { found = 1; next }
     found && /^```$/ { n++; if (n == 3) exit; next }
     found && n == 2 && $0 != "..." { print }' "$src/README.md" > "$tmp/shown"
[ -s "$tmp/shown" ] || { echo "FAIL: no example output after the command"; exit 1; }
(cd "$src" && eval "\"$sf\" $cmd") > "$tmp/now" 2>&1 || { echo "FAIL: $cmd failed"; cat "$tmp/now"; exit 1; }
fails=0
while IFS= read -r line; do
    if grep -qxF -- "$line" "$tmp/now"; then
        echo "ok: $(echo "$line" | cut -c1-60)"
    else
        echo "FAIL: README shows a line the command no longer prints:"; echo "  $line"; fails=$((fails + 1))
    fi
done < "$tmp/shown"
[ "$fails" = 0 ]
