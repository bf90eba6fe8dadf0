#!/bin/sh
# Every flagship scenario runs its whole horizon (the golden figures cover
# only the first 4 h) and writes a complete report: what `make run` does,
# for each plant. A crash, a script error or an incomplete report fails.
#   test_full_runs.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
for f in "$src"/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    if ! "$sf" run "$f" --out "$tmp/$name" > "$tmp/$name.log" 2>&1; then
        echo "FAIL: $name: $(tail -3 "$tmp/$name.log")"
        fails=$((fails + 1))
    elif ! grep -q '"complete": true' "$tmp/$name/summary.json"; then
        echo "FAIL: $name: the report is not marked complete"
        fails=$((fails + 1))
    fi
done
[ "$fails" = 0 ] && echo "ok: every flagship scenario runs its horizon and writes a complete report"
