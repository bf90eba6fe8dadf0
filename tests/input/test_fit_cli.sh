#!/bin/sh
# `shopfloor fit` from the command line: every family's printed value
# pasted into a scenario passes `check`; bad data is refused with
# file:row:column; time stamps, failure logs, the plot, determinism.
#   test_fit_cli.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
data=$src/tests/input/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$tmp" || exit 1

# ---- every family's value, pasted into the minimal plant, passes check ----
"$sf" fit "$src/examples/bench_cycle_times.csv" > fit.txt 2> err.txt || fail "fit of the example: $(cat err.txt)"
# the table's "as YAML" column: the text between the family and the AD figure
awk '$1 ~ /^[0-9]+$/ && NF >= 7 { v = ""; for (i = 3; i <= NF - 4; i++) v = v (v ? " " : "") $i; print v }' fit.txt > values.txt
[ "$(wc -l < values.txt)" -eq 7 ] || fail "the table ranks 7 families: $(cat fit.txt)"
for fam in exp gamma lognorm weibull truncnorm tri uniform; do
    grep -q "^$fam(" values.txt || fail "no $fam in the table"
done
tail -1 fit.txt | grep -q '^time: lognorm(' || fail "the winner is printed last as 'time: ...': $(tail -1 fit.txt)"
# a scenario with a value in place of the weld time; check must accept it
paste_check() {
    awk -v v="$1" '{ sub(/time: tri\(40 s, 45 s, 55 s\)/, "time: " v) } 1' "$src/scenarios/examples/minimal_plant.yaml" > plant.yaml
    grep -qF "time: $1" plant.yaml || fail "the value was not pasted: $1"
    "$sf" check plant.yaml > out.txt 2>&1 || fail "check refuses the fitted value '$1': $(cat out.txt)"
}
cp -r "$src/scenarios/examples/scripts" . 2> /dev/null
while IFS= read -r v; do paste_check "$v"; done < values.txt
paste_check "$(tail -1 fit.txt | sed 's/^time: //')"

# two humps: no family fits, the empirical table is printed, and pastes
awk 'BEGIN { print "t"; for (i = 0; i < 300; i++) printf "%.2f\n", (i % 2 ? 20 : 60) + (i % 37) / 12 }' > humps.csv
"$sf" fit humps.csv > fit.txt 2> err.txt || fail "fit of two humps: $(cat err.txt)"
grep -q "no family fits at the 5% level" err.txt || fail "no warning that no family fits: $(cat err.txt)"
tail -1 fit.txt | grep -q '^time: {empirical: \[\[' || fail "the empirical table is not printed: $(tail -1 fit.txt)"
paste_check "$(tail -1 fit.txt | sed 's/^time: //')"

# ---- the same data, the same output; --unit min; --bootstrap 0 ----
"$sf" fit "$src/examples/bench_cycle_times.csv" > a.txt 2>&1
"$sf" fit "$src/examples/bench_cycle_times.csv" > b.txt 2>&1
cmp -s a.txt b.txt || fail "two fits of the same file differ"
"$sf" fit "$src/examples/bench_cycle_times.csv" --seed 2 > c.txt 2>&1
cmp -s a.txt c.txt && fail "--seed does not reach the bootstrap"
awk -F, 'NR > 2 { printf "%.6f\n", $3 / 60 } NR == 2 { print "minutes" }' "$src/examples/bench_cycle_times.csv" > min.csv
"$sf" fit min.csv --unit min --bootstrap 0 > m.txt 2>&1 || fail "--unit min: $(cat m.txt)"
tail -1 m.txt | grep -q '^time: lognorm(4.475 min, 1.782 min)$' || fail "--unit min: $(tail -1 m.txt)"
grep -q "no p-values" m.txt || fail "--bootstrap 0 does not say there are no p-values"

# ---- warnings: few values, rounded values ----
printf 'x\n3\n4\n4\n5\n6\n5\n4\n' > few.csv
"$sf" fit few.csv > out.txt 2> err.txt || fail "fit of 7 values: $(cat err.txt)"
grep -q "only 7 values" err.txt || fail "no warning of few values"
grep -q "rounded to multiples of 1 s" err.txt || fail "no warning of rounding: $(cat err.txt)"
grep -q "repeat an earlier one" err.txt || fail "no warning of ties: $(cat err.txt)"

# ---- bad data: file:row:column ----
expect_error() { # file, expected message start, options...
    f=$1
    want=$2
    shift 2
    "$sf" fit "$f" "$@" > out.txt 2>&1
    rc=$?
    [ $rc -eq 1 ] || fail "$f: exit $rc, expected 1"
    grep -qF "$want" out.txt || fail "$f: expected '$want', got: $(cat out.txt)"
}
: > empty.csv
expect_error empty.csv "empty.csv:1:1: empty file"
printf 'cycle\n' > header.csv
expect_error header.csv "header.csv:1:1: no data rows"
printf 'cycle\n40\n4\0331m\n' > escape.csv
expect_error escape.csv "escape.csv:3:1: expected a number, got '4?1m'"
printf 'machine,down,up\n\033[2Jm1,1,5\n' > escname.csv
expect_error escname.csv "escname.csv:2:1: machine name '?[2Jm1': must not hold control characters" --kind failures
printf '\033[31mcycle\n41\n42\n43\n44\n45\n46\n' > eschead.csv
"$sf" fit eschead.csv --bootstrap 0 > out.txt 2>&1 || fail "eschead.csv: a column name with an escape is still data"
if grep -q "$(printf '\033')" out.txt; then fail "eschead.csv: an escape sequence reached the terminal"; fi
printf 'id,cycle\n1,40\n2,4O\n' > text.csv
expect_error text.csv "text.csv:3:2: expected a number, got '4O'" --column cycle
printf 'cycle\n40\n-3\n' > negative.csv
expect_error negative.csv "negative.csv:3:1: a duration must be above 0, got -3"
printf '# comment\ncycle\n40\n\n0\n' > zero.csv
expect_error zero.csv "zero.csv:5:1: a duration must be above 0, got 0"
printf 'cycle\n40\n41\n' > nocol.csv
expect_error nocol.csv "nocol.csv:1:1: no column 'time'" --column time
printf 'at\n06:00:00\n06:01:10\n06:00:50\n' > unsorted.csv
expect_error unsorted.csv "unsorted.csv:4:1: time stamp '06:00:50' is earlier than the one before" --kind timestamps
printf 'at\n06:00:00\n06:01:10\n06:01:10\n' > equal.csv
expect_error equal.csv "equal.csv:4:1: time stamp '06:01:10' is equal to the one before" --kind timestamps
printf 'at\n06:00:00\nsix\n' > badstamp.csv
expect_error badstamp.csv "badstamp.csv:3:1: expected a time stamp" --kind timestamps
printf 'machine,down,up\npress,10:00,10:20\npress,10:10,10:30\n' > overlap.csv
expect_error overlap.csv "overlap.csv:3:2: press goes down (10:10) before it came up" --kind failures
printf 'machine,down,up\npress,10:00,09:20\n' > backwards.csv
expect_error backwards.csv "backwards.csv:2:3: the machine comes up (09:20) no later than it went down" --kind failures
printf 'machine,down\npress,10:00\n' > nocols.csv
expect_error nocols.csv "nocols.csv:1:1: a failure log needs the columns machine, down, up" --kind failures
expect_error missing.csv "missing.csv: cannot open"

# ---- time stamps: inter-arrival times and the trend test ----
"$sf" fit "$data/arrivals.csv" --kind timestamps --unit min > out.txt 2> err.txt || fail "timestamps: $(cat err.txt)"
grep -q "^trend: Laplace test over 316 stamps" out.txt || fail "no trend test: $(head -3 out.txt)"
grep -q "arrival rate changes" err.txt && fail "a constant rate is reported as a trend"
tail -1 out.txt | grep -q '^every: exp(1.523 min)$' || fail "exponential arrivals: $(tail -1 out.txt)"
"$sf" fit "$data/arrivals_rush.csv" --kind timestamps --column seconds > out.txt 2> err.txt ||
    fail "timestamps in seconds: $(cat err.txt)"
grep -q "arrival rate changes over the data" err.txt || fail "a rate that doubles is not reported: $(head -2 out.txt)"

# stamps across midnight and the month's end, with 'T', in seconds: gaps of 10, 20, 30, 40, 50 s
printf 'at\n2026-02-28T23:59:00\n2026-02-28T23:59:10\n2026-02-28T23:59:30\n2026-03-01T00:00:00\n2026-03-01 00:00:40\n2026-03-01 00:01:30\n' > iso.csv
"$sf" fit iso.csv --kind timestamps --bootstrap 0 > out.txt 2> err.txt || fail "ISO stamps: $(cat err.txt)"
grep -q "n = 5, mean 30 s, sd 15.81 s, min 10 s, max 50 s" out.txt || fail "ISO stamps: $(grep 'n = ' out.txt)"

# ---- failures: MTBF and MTTR per machine, pasted into a scenario ----
"$sf" fit "$data/failures.csv" --kind failures --unit h --plot fail.html > out.txt 2> err.txt || fail "failures: $(cat err.txt)"
grep -q "^press_1: 40 stoppages, MTBF 6.422 h (over 39 times between failures), MTTR 0.3275 h$" out.txt ||
    fail "press_1's MTBF and MTTR: $(grep '^press_1:' out.txt)"
grep -q "oven: time between failures: n = 2" out.txt || fail "the oven's two intervals"
grep -q "too few to fit" err.txt || fail "no warning for the oven's few stoppages"
sed -n '/^failures:$/,$p' out.txt > failures.yaml
[ "$(grep -c 'station:' failures.yaml)" -eq 3 ] || fail "three machines in the failures block: $(cat failures.yaml)"
# the minimal plant's failures replaced by the fitted ones, for its one station weld_1 as each machine
awk '/^failures:/ { skip = 1; next } skip && /^[a-z]/ { skip = 0 } !skip' "$src/scenarios/examples/minimal_plant.yaml" > plant.yaml
sed 's/station: .*/station: weld_1/' failures.yaml >> plant.yaml
"$sf" check plant.yaml > out.txt 2>&1 || fail "check refuses the fitted failures: $(cat out.txt)"

# ---- the plot: one page, inline SVG, nothing fetched ----
[ -s fail.html ] || fail "--plot wrote nothing"
[ "$(grep -c '<svg' fail.html)" -eq 8 ] || fail "--plot: a histogram and a Q-Q plot for each of 4 fits"
grep -qiE '<script|src=|href=' fail.html && fail "--plot page refers to other files or runs scripts"

[ "$fails" = 0 ] && echo "ok: shopfloor fit"
exit "$fails"
