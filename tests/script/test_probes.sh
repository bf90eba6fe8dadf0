#!/bin/sh
# Hostile behaviour scripts (tests/script/probes/*.lua) must fail cleanly:
# exit status 1 (no crash: a signal gives 128 and more), the message of the
# probe's "-- expect:" line, and the file:line of the line marked "-- <- here"
# (a "-- options:" line adds options to the run).
# Under ASan the same runs also catch memory errors.
# Usage: test_probes.sh SHOPFLOOR PROBE_DIR
set -u
bin=$1
probes=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
# a memory error under ASan counts as a crash, not as the exit status 1 of a script error
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}exitcode=199"
failed=0
for f in "$probes"/*.lua; do
  name=$(basename "$f")
  expect=$(sed -n 's/^-- expect: //p' "$f")
  line=$(grep -n -- '-- <- here' "$f" | cut -d: -f1)
  opts=$(sed -n 's/^-- options: //p' "$f")
  # a probe that outlives its budget by far is a hang: timeout ends it with status 124
  timeout -s KILL 30 "$bin" run "$f" --budget 100000 $opts > "$dir/out" 2> "$dir/err"
  rc=$?
  why=
  if [ "$rc" -ge 128 ]; then why="crashed (status $rc)"
  elif [ "$rc" -ne 1 ]; then why="exited $rc, not 1"
  elif ! grep -qF -- "$expect" "$dir/err"; then why="no '$expect'"
  elif ! grep -qF -- "$name:$line:" "$dir/err"; then why="no '$name:$line:'"
  fi
  if [ -n "$why" ]; then
    echo "FAIL $name: $why"
    sed 's/^/    /' "$dir/err" | head -12
    failed=1
  else
    echo "ok   $name"
  fi
done
exit $failed
