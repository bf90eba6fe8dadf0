#!/bin/sh
# bench_sweep: what a sweep costs and gains.
#   1. 48 runs (4 points x 12 replications) of the test plant with a busy
#      tugger (about 0.15 s of Lua each): wall time of `shopfloor sweep`
#      with 1 and with 2 worker processes, and the speed-up.
#   2. Per-run overhead of a sweep point (fork, storing the run file,
#      assembling the CSVs) against the same 48 runs as plain
#      `shopfloor run` commands one after the other, and against
#      `run --reps 12` in one process, in CPU time (user + system of
#      the child processes), which a loaded machine distorts less than
#      wall time.
# Usage: bench_sweep.sh path/to/shopfloor source_dir
# Prints a table and "bench: sweep key=value ..." lines.
case "${3:-}" in
-h|--help)
    echo "usage: bench_sweep [--help]"
    echo "48 runs of the test plant as a sweep on 1 and 2 workers, against plain runs and run --reps; prints 'bench: sweep' lines."
    exit 0 ;;
esac
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SHOPFLOOR_SCRIPTS=$src/scripts
plant=$src/tests/experiment/data/plant.yaml
work="--set fleet.tugger.behaviour=slow"
grid="--vary fleet.reach_truck.count=2,3 --vary fleet.reach_truck.speed=1.6,2.2 --reps 12"
runs=48

now() { date +%s.%N; }
# CPU seconds (user + system) used so far by the finished children of this shell
# (`times` runs in this shell, not in a $(...) subshell, which has no children of its own)
cpu() {
    times >"$tmp/times"
    CPU=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print t }' "$tmp/times")
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

cpu; c0=$CPU; t0=$(now); "$sf" sweep "$plant" $work $grid --jobs 1 --quiet --out "$tmp/j1" || exit 1; t1=$(now); cpu; c1=$CPU
"$sf" sweep "$plant" $work $grid --jobs 2 --quiet --out "$tmp/j2" || exit 1; t2=$(now); cpu; c2=$CPU
cmp -s "$tmp/j1/results.csv" "$tmp/j2/results.csv" || { echo "bench_sweep: --jobs 1 and 2 differ" >&2; exit 1; }
# the same 48 runs as separate commands, and as in-process replications
"$sf" run "$plant" $work --reps 12 --out "$tmp/reps" >/dev/null || exit 1
seeds=$(awk -F, 'NR > 1 && $3 == "events" { print $2 }' "$tmp/reps/replications.csv")
cpu; c3=$CPU; t3=$(now)
for count in 2 3; do for speed in 1.6 2.2; do for seed in $seeds; do
    "$sf" run "$plant" $work --seed "$seed" --set fleet.reach_truck.count=$count --set fleet.reach_truck.speed=$speed >/dev/null || exit 1
done; done; done
t4=$(now); cpu; c4=$CPU
for count in 2 3; do for speed in 1.6 2.2; do
    "$sf" run "$plant" $work --reps 12 --set fleet.reach_truck.count=$count --set fleet.reach_truck.speed=$speed >/dev/null || exit 1
done; done
t5=$(now); cpu; c5=$CPU

w1=$(elapsed "$t0" "$t1"); w2=$(elapsed "$t1" "$t2"); plain=$(elapsed "$t3" "$t4"); inproc=$(elapsed "$t4" "$t5")
u1=$(elapsed "$c0" "$c1"); u2=$(elapsed "$c1" "$c2"); uplain=$(elapsed "$c3" "$c4"); uinproc=$(elapsed "$c4" "$c5")
speedup=$(calc "$w1 / $w2")
over_plain=$(calc "($u1 - $uplain) / $runs * 1000")
over_inproc=$(calc "($u1 - $uinproc) / $runs * 1000")
printf "%-44s %10s %10s\n" "what ($runs runs, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))" "wall s" "cpu s"
printf "%-44s %10.3f %10.3f\n" "sweep --jobs 1" "$w1" "$u1" "sweep --jobs 2" "$w2" "$u2" \
    "$runs plain 'shopfloor run' commands" "$plain" "$uplain" "4 x 'run --reps 12' (in one process each)" "$inproc" "$uinproc"
printf "speed-up with 2 workers (wall): %.2fx\n" "$speedup"
printf "CPU overhead of a sweep run: %+.2f ms against a plain run, %+.2f ms against an in-process replication\n" \
    "$over_plain" "$over_inproc"
printf "bench: sweep runs=%d jobs1_s=%.3f jobs2_s=%.3f speedup=%.3f plain_runs_s=%.3f inprocess_s=%.3f jobs1_cpu_s=%.3f jobs2_cpu_s=%.3f plain_cpu_s=%.3f inprocess_cpu_s=%.3f overhead_vs_run_cpu_ms=%.3f overhead_vs_inprocess_cpu_ms=%.3f\n" \
    "$runs" "$w1" "$w2" "$speedup" "$plain" "$inproc" "$u1" "$u2" "$uplain" "$uinproc" "$over_plain" "$over_inproc"
