#!/bin/sh
# `mpirun -n 3 shopfloor optimize`: rank 0 decides stage by stage, ranks 1
# and 2 run the runs of every stage; the answer and its files are the same
# bytes as a local run, and a folder partly stored locally resumes under MPI.
# Usage: test_optimize_mpi.sh path/to/shopfloor source_dir path/to/mpirun
sf=$1
src=$2
mpirun=${3:-mpirun}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=$src/examples/known_means.lua
# CI runs as root; Open MPI refuses that unless told
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
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
same() { # same FILE1 FILE2 DESCRIPTION
    if cmp -s "$1" "$2"; then echo "ok: $3"; else echo "FAIL: $3: $1 and $2 differ"; diff "$1" "$2" | head -10; fails=$((fails + 1)); fi
}

set -- --vary x=1:5:1 --objective 'min mean[cost]' --constraint 'mean[rate] >= 20 +- 1' --delta 1 --seed 5
check 0 "local" -- "$sf" optimize "$model" "$@" --jobs 2 --out "$tmp/local"
cp "$tmp/out" "$tmp/local.out"
check 0 "the same on 3 MPI ranks" -- $mpi "$sf" optimize "$model" "$@" --out "$tmp/mpi"
for f in alternatives.csv report.html; do same "$tmp/local/$f" "$tmp/mpi/$f" "MPI $f is byte-identical to the local one"; done
grep -v '^runs:' "$tmp/local.out" >"$tmp/a"; grep -v '^runs:' "$tmp/out" >"$tmp/b"
same "$tmp/a" "$tmp/b" "the same answer on the terminal"

mkdir -p "$tmp/part/runs"
cp "$tmp/local/sweep.txt" "$tmp/part/"
cp "$tmp/local/runs/p000000-"* "$tmp/part/runs/"
check 0 "MPI resumes a partly stored folder" -- $mpi "$sf" optimize "$model" "$@" --out "$tmp/part"
same "$tmp/local/alternatives.csv" "$tmp/part/alternatives.csv" "resumed under MPI: the same bytes"

echo "$fails failure(s)"
[ "$fails" = 0 ]
