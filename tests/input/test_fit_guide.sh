#!/bin/sh
# The walk-through "times from the plant's own data" of docs/user-guide.md,
# as a reader would do it: fit the example's measured cycle times, find
# the output the guide shows, paste the winner into the overlay the guide
# writes, and compare it with the typed-in guess as the guide says.
#   test_fit_guide.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
guide=$src/docs/user-guide.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

awk -v dir="$tmp" '
    /^```yaml$/ { getline first; if (first ~ /^# [A-Za-z0-9_]+\.yaml$/) { f = dir "/" substr(first, 3); print first > f; on = 1 } next }
    /^```$/ && on { close(f); on = 0; next }
    on { print > f }' "$guide"
[ -f "$tmp/bench.yaml" ] && [ -f "$tmp/bench_measured.yaml" ] || fail "the guide's bench.yaml and bench_measured.yaml are not found"
mkdir -p "$tmp/examples" && cp "$src/examples/bench_cycle_times.csv" "$tmp/examples/"
cd "$tmp" || exit 1

# the command as the guide writes it, and the output the guide shows after it
cmd=$(grep -m1 '^shopfloor fit examples/' "$guide")
[ -n "$cmd" ] || fail "the guide runs no 'shopfloor fit examples/...'"
awk -v cmd="$cmd" '$0 == cmd { found = 1; next } found == 1 && /^```$/ { found = 2; next }
    found == 2 && /^```$/ { found = 3; next } found == 3 && /^```$/ { exit } found == 3' "$guide" > said.txt
[ -s said.txt ] || fail "the guide shows no output after '$cmd'"
eval "\"\$sf\" ${cmd#shopfloor }" > shown.txt 2> err.txt || fail "$cmd: $(cat err.txt)"
diff said.txt shown.txt > diff.txt || fail "the guide's output of '$cmd' is out of date: $(cat diff.txt)"

# the overlay holds the value the fit printed
value=$(tail -1 shown.txt | sed 's/^time: //')
grep -qF "time: \"$value\"" bench_measured.yaml || fail "bench_measured.yaml does not hold the fitted '$value'"
"$sf" check bench_measured.yaml > out.txt 2>&1 || fail "check bench_measured.yaml: $(cat out.txt)"

# the guide's figures: lead time about 12.8 -> 19.9 min (significant), throughput 12.4 -> 12.0 an hour
"$sf" compare bench.yaml bench_measured.yaml --reps 10 > out.txt 2>&1 || fail "compare: $(tail -5 out.txt)"
awk '$1 == "lead_time_mean" && $2 == "-" && $4 > 12.5 && $4 < 13.1 && $5 > 19.5 && $5 < 20.3 && $NF == "yes" { ok = 1 }
     END { exit !ok }' out.txt || fail "the lead times differ from the guide's: $(grep '^lead_time_mean' out.txt)"
awk '$1 == "throughput" && $2 == "-" && $4 > 12.3 && $4 < 12.5 && $5 > 11.9 && $5 < 12.1 { ok = 1 } END { exit !ok }' out.txt ||
    fail "the throughputs differ from the guide's: $(grep '^throughput' out.txt)"

[ "$fails" = 0 ] && echo "ok: the fit walk-through of docs/user-guide.md works as written"
exit "$fails"
