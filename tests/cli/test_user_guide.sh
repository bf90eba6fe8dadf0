#!/bin/sh
# The planner's walk-through of docs/user-guide.md, as a reader would do
# it: the YAML files as written there, then check, run and compare.
#   test_user_guide.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# every ```yaml block whose first line is "# NAME.yaml" becomes that file
awk -v dir="$tmp" '
    /^```yaml$/ { getline first; if (first ~ /^# [A-Za-z0-9_]+\.yaml$/) { f = dir "/" substr(first, 3); print first > f; on = 1 } next }
    /^```$/ && on { close(f); on = 0; next }
    on { print > f }' "$src/docs/user-guide.md"
[ -f "$tmp/bench.yaml" ] && [ -f "$tmp/bench_cobot.yaml" ] || fail "the guide's bench.yaml and bench_cobot.yaml are not found"

cd "$tmp" || exit 1
"$sf" check bench.yaml > out.txt 2>&1 || fail "check bench.yaml: $(cat out.txt)"
grep -q "^bench.yaml: ok (3 nodes, 1 stations, 1 agent types, 1 products)$" out.txt || fail "check prints what the guide says"

sed 's/speed: 1.3 m\/s, skills/spead: 1.3 m\/s, skills/' bench.yaml > typo.yaml
"$sf" check typo.yaml > out.txt 2>&1 && fail "a typo is accepted"
sed 's/^typo/bench/' out.txt > shown.txt
awk '/^Had you written `spead/ { getline; getline; on = 1; next } on && /^```$/ { exit } on' "$src/docs/user-guide.md" > said.txt
diff said.txt shown.txt > /dev/null || fail "the typo's messages differ from the guide's: $(diff said.txt shown.txt)"

"$sf" run bench.yaml --out out/bench > out.txt 2>&1 || fail "run bench.yaml: $(tail -5 out.txt)"
for f in report.html summary.json kpis.csv; do
    [ -s "out/bench/$f" ] || fail "run --out wrote no $f"
done
"$sf" compare bench.yaml bench_cobot.yaml --reps 3 --out out/bench_vs_cobot > out.txt 2>&1 ||
    fail "compare: $(tail -5 out.txt)"
grep -q "^throughput " out.txt || fail "compare shows the throughput"
[ -s out/bench_vs_cobot/compare.csv ] || fail "compare --out wrote no compare.csv"

# the cobot working beside the operator at its collaborative speed costs throughput; handing over does not
"$sf" compare bench.yaml bench_cobot.yaml --reps 10 > out.txt 2>&1 || fail "compare bench_cobot: $(tail -5 out.txt)"
awk '$1 == "throughput" && $4 > 12 && $5 < 6 { ok = 1 } END { exit !ok }' out.txt ||
    fail "the collaborative cobot does not cost throughput as the guide says: $(grep '^throughput' out.txt)"
[ -f bench_handover.yaml ] || fail "the guide's bench_handover.yaml is not found"
"$sf" compare bench.yaml bench_handover.yaml --reps 10 > out.txt 2>&1 || fail "compare bench_handover: $(tail -5 out.txt)"
awk '$1 == "lead_time_mean" && $4 > 12 && $5 < 8 && $NF == "yes" { ok = 1 } END { exit !ok }' out.txt ||
    fail "handing over does not shorten the lead time as the guide says: $(grep '^lead_time_mean' out.txt)"

for f in bench_carried bench_tugger; do
    [ -f "$f.yaml" ] || fail "the guide's $f.yaml is not found"
    "$sf" check "$f.yaml" > out.txt 2>&1 || fail "check $f.yaml: $(cat out.txt)"
done
"$sf" compare bench.yaml bench_carried.yaml --reps 10 > out.txt 2>&1 || fail "compare bench_carried: $(tail -5 out.txt)"
awk '$1 == "throughput" && $4 > 12 && $5 < 11.5 { ok = 1 } END { exit !ok }' out.txt ||
    fail "carrying by the operator does not cost throughput as the guide says: $(grep '^throughput' out.txt)"
"$sf" compare bench.yaml bench_tugger.yaml --reps 10 > out.txt 2>&1 || fail "compare bench_tugger: $(tail -5 out.txt)"
awk '$1 == "throughput" && $NF == "no" { ok = 1 } END { exit !ok }' out.txt ||
    fail "the tugger does not bring the throughput back as the guide says: $(grep '^throughput' out.txt)"

[ "$fails" = 0 ] && echo "ok: the planner's walk-through of docs/user-guide.md works as written"
exit "$fails"
