#!/bin/sh
# The golden figures of the flagship scenarios: for each, a short run's
# fingerprint line and its headline KPIs.
#
#   tools/golden.sh SHOPFLOOR            print them (what tests/flagship compares)
#   tools/golden.sh SHOPFLOOR --update   rewrite tests/flagship/golden.txt
#
# Regenerate only when a change is meant to alter results, and say why in
# the commit that carries the new file.
set -eu
sf=${1:?usage: tools/golden.sh SHOPFLOOR [--update]}
root=$(cd "$(dirname "$0")/.." && pwd)
horizon="4 h"

figures() {
    for s in smart_factory humanoid_swap warehouse_asrs assembly_fenced assembly_ssm assembly_pfl \
             lights_out upgrade_manual upgrade_automated; do
        echo "== $s (--until $horizon)"
        (cd "$root" && "$sf" run "scenarios/$s.yaml" --until "$horizon") > "${TMPDIR:-/tmp}/golden.$$" 2>&1 || {
            echo "run failed"; cat "${TMPDIR:-/tmp}/golden.$$"; }
        # the first line (events, seed, fingerprint) and the headline block after "measured from"
        sed -n '1p' "${TMPDIR:-/tmp}/golden.$$"
        awk '/^measured from/ { on = 1; next } on && /^$/ { if (seen) exit; next } on { seen = 1; print }' \
            "${TMPDIR:-/tmp}/golden.$$"
    done
    rm -f "${TMPDIR:-/tmp}/golden.$$"
}

if [ "${2:-}" = "--update" ]; then
    figures > "$root/tests/flagship/golden.txt"
    echo "wrote tests/flagship/golden.txt"
else
    figures
fi
