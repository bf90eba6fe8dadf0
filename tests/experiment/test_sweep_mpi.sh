#!/bin/sh
# `mpirun -n 3 shopfloor sweep`: rank 0 hands out the runs, ranks 1 and 2
# run them; the files are byte-identical to a local sweep, with failures
# recorded the same way, and a partly stored sweep resumes under MPI.
# Usage: test_sweep_mpi.sh path/to/shopfloor source_dir path/to/mpirun
sf=$1
src=$2
mpirun=${3:-mpirun}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant=$src/tests/experiment/data/plant.yaml
export SHOPFLOOR_SCRIPTS=$src/scripts
# CI runs as root; Open MPI refuses that unless told
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# a sleeping rank 0 and two workers on however many cores there are
mpi="$mpirun --oversubscribe -n 3"

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
    if grep -q -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $1"; sed 's/^/  | /' "$1" | head -30; fails=$((fails + 1)); fi
}
same() { # same FILE1 FILE2 DESCRIPTION
    if cmp -s "$1" "$2"; then echo "ok: $3"; else echo "FAIL: $3: $1 and $2 differ"; diff "$1" "$2" | head -10; fails=$((fails + 1)); fi
}

grid="--vary fleet.tugger.behaviour=agv,seize --vary fleet.reach_truck.count=2,3 --reps 3"
check 1 "local sweep with a failing point" -- "$sf" sweep "$plant" $grid --jobs 2 --out "$tmp/local"
check 1 "the same sweep on 3 MPI ranks" -- $mpi "$sf" sweep "$plant" $grid --out "$tmp/mpi"
contains "$tmp/err" "sweep: 12/12 runs done, 6 failed" "rank 0 reports the progress"
for f in results.csv summary.csv failures.csv; do same "$tmp/local/$f" "$tmp/mpi/$f" "MPI $f is byte-identical to the local one"; done
contains "$tmp/mpi/failures.csv" "drive of tugger.1 seized" "failures recorded under MPI"

# resume under MPI a sweep that stored only some of its runs
grid="--vary fleet.reach_truck.count=2,3 --vary fleet.reach_truck.speed=1.6,2.2 --reps 3"
check 0 "reference" -- "$sf" sweep "$plant" $grid --jobs 2 --out "$tmp/ref"
mkdir -p "$tmp/part/runs"
cp "$tmp/ref/sweep.txt" "$tmp/part/"
cp "$tmp/ref/runs/p000001-"* "$tmp/ref/runs/p000003-r000002.tsv" "$tmp/part/runs/"
check 0 "MPI resumes it" -- $mpi "$sf" sweep "$plant" $grid --out "$tmp/part"
contains "$tmp/err" "resuming, 4 of 12 runs already stored" "skipping the stored runs"
for f in results.csv summary.csv; do same "$tmp/ref/$f" "$tmp/part/$f" "resumed MPI $f is byte-identical"; done

echo "$fails failure(s)"
[ "$fails" = 0 ]
