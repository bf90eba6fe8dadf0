#!/bin/sh
# `shopfloor run` on a production line: it runs to its horizon, every
# station works, the books of jobs balance, a rerun gives the same bytes,
# an overlay that makes the operators humanoids runs too, --set reaches
# the new keys, and a crew deadlock fails the run naming the operations.
# Usage: test_run_production.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
line=$src/tests/model/data/production_line.yaml

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
    if grep -q -- "$2" "$tmp/$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $1"; sed 's/^/  | /' "$tmp/$1" | head -30; fails=$((fails + 1)); fi
}
books() { # the jobs line: released = completed + scrapped + in progress, and something completed
    awk '/^jobs:/ {r = $2; c = $4; s = $6; p = $8}
         END {if (r > 0 && c > 0 && r == c + s + p) exit 0; print "released " r ", completed " c ", scrapped " s ", in progress " p; exit 1}' "$tmp/out" \
        && echo "ok: $1: the books of jobs balance" || { echo "FAIL: $1: the books of jobs do not balance"; fails=$((fails + 1)); }
}

check 0 "the production line runs to its horizon" -- "$sf" run "$line"
contains out "finished at t = 16:00:00" "it finishes at the horizon"
books "line"
contains out "^welder.1 *fenced" "the arm without a safety rule is fenced, and the safety table says so"
for st in weld_1 assy_1 test_1; do
    awk -v st=$st '$1 == st && $2 > 0 {found = 1} END {exit !found}' "$tmp/out" \
        && echo "ok: $st did operations" || { echo "FAIL: $st did nothing"; fails=$((fails + 1)); }
done
awk '$1 == "weld_1" && $3 > 0 {found = 1} END {exit !found}' "$tmp/out" \
    && echo "ok: the welding cell failed and was repaired" || { echo "FAIL: no failure at weld_1"; fails=$((fails + 1)); }
awk '$1 == "helper" && $NF > 0 {found = 1} END {exit !found}' "$tmp/out" \
    && echo "ok: the humanoid failed and was repaired" || { echo "FAIL: no failure of the humanoid"; fails=$((fails + 1)); }
cp "$tmp/out" "$tmp/first"
"$sf" run "$line" >"$tmp/second" 2>&1
if cmp -s "$tmp/first" "$tmp/second"; then echo "ok: same scenario and seed, same bytes"; else echo "FAIL: a second run differs"; fails=$((fails + 1)); fi

awk '$1 == "weld_1" && $10 < 20 {found = 1} END {exit !found}' "$tmp/first" \
    && echo "ok: an operator repairs the welding cell" || { echo "FAIL: weld_1 failed too long"; fails=$((fails + 1)); }
check 1 "a repair nobody is skilled for is refused" -- "$sf" run "$line" --set failures.torch.skill=painting
contains err "production_line.yaml:86:12: the repair of failure 'torch' needs 1 any of worker, humanoid with skill 'painting' but the fleet has 0; add maintenance people" \
    "the message says who is missing, at the failure"

check 0 "the humanoid overlay runs" -- "$sf" run "$src/tests/model/data/production_humanoids.yaml"
books "humanoids"

check 0 "--set reaches a failure's 'after'" -- "$sf" run "$line" --until 4h --set failures.torch.after=restart
books "restart"
check 1 "a bad 'after' is an error with its place" -- "$sf" run "$line" --set failures.torch.after=later
contains err "after: .later. is not one of resume, restart" "the message says what is allowed"

check 1 "a crew deadlock fails the run" -- "$sf" run "$src/tests/script/data/crew_deadlock.yaml"
contains err "crew for operation 'join_a' of job 2 at 's1': needs humanoid, holds hand.1" "the message names the operation, the need and the holder"

[ "$fails" = 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }
