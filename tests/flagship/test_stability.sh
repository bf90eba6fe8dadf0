#!/bin/sh
# Every flagship scenario is stable over a week (docs/results.md,
# Stability): a 7-day run says "stable": true in summary.json and prints no
# `warning: unstable:` line, unless its header says that overload is the
# point ("Overloaded on purpose"); then it must get the warning.
#   test_stability.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
for f in "$src"/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    "$sf" run "$f" --until 7d --out "$tmp/$name" > /dev/null 2> "$tmp/$name.err"
    if sed -n '/^[a-z]/q;p' "$f" | grep -q "Overloaded on purpose"; then
        if grep -q '^warning: unstable: ' "$tmp/$name.err" && grep -q '"stable": false' "$tmp/$name/summary.json"; then
            echo "ok: $name is overloaded, as its header says"
        else
            echo "FAIL: $name says it is overloaded on purpose, but its run is stable"; fails=$((fails + 1))
        fi
    elif grep -q '"stability": {"stable": true, "findings": \[\]}' "$tmp/$name/summary.json" &&
         ! grep -q 'unstable' "$tmp/$name.err"; then
        echo "ok: $name is stable over 7 days"
    else
        echo "FAIL: $name is not stable over 7 days:"; grep 'unstable' "$tmp/$name.err"; fails=$((fails + 1))
    fi
done
[ "$fails" = 0 ]
