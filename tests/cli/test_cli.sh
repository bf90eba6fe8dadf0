#!/bin/sh
# The command line contract: --help on every level, --version, exit codes
# (0 success, 1 model or input failure, 2 usage), and repeatable output.
# Usage: test_cli.sh path/to/shopfloor
sf=$1
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check EXPECTED_STATUS DESCRIPTION -- command...
    want=$1; what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
        fails=$((fails + 1))
    else
        echo "ok: $what"
    fi
}
contains() { # contains FILE TEXT DESCRIPTION
    if grep -q -- "$2" "$tmp/$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $1"; fails=$((fails + 1)); fi
}

check 0 "--help" -- "$sf" --help
contains out "usage: shopfloor" "--help prints usage"
check 0 "help" -- "$sf" help
check 2 "no arguments is a usage error" -- "$sf"
contains err "usage:" "no arguments shows usage on stderr"
check 0 "--version" -- "$sf" --version
contains out "^shopfloor [0-9][0-9.]*$" "--version prints the version"
check 2 "an unknown command is a usage error" -- "$sf" frobnicate
contains err "unknown command 'frobnicate'" "unknown command is named"

# every command listed by --help has its own --help, also as 'help CMD'
for cmd in $("$sf" --help | awk '/^Commands:/ {on = 1; next} on && !NF {exit} on {print $1}'); do
    check 0 "$cmd --help" -- "$sf" "$cmd" --help
    contains out "usage: shopfloor $cmd" "$cmd --help prints its usage"
    check 0 "help $cmd" -- "$sf" help "$cmd"
    check 2 "$cmd with an unknown option" -- "$sf" "$cmd" --no-such-option
done

check 2 "demo: a missing option value" -- "$sf" demo --seed
check 2 "demo: a bad number" -- "$sf" demo --seed twelve
contains err "expects a non-negative integer, got 'twelve'" "bad number is explained"
check 2 "demo: utilisation out of range" -- "$sf" demo --rho 1.5
check 0 "demo runs" -- "$sf" demo --customers 20000 --seed 3
contains out "theory" "demo compares with theory"
grep -v -e "wall time" -e "events per second" "$tmp/out" >"$tmp/a"
"$sf" demo --customers 20000 --seed 3 | grep -v -e "wall time" -e "events per second" >"$tmp/b"
if cmp -s "$tmp/a" "$tmp/b"; then echo "ok: same seed, same output"; else echo "FAIL: same seed gave different output"; fails=$((fails + 1)); fi
"$sf" demo --customers 20000 --seed 4 | grep fingerprint >"$tmp/c"
if grep fingerprint "$tmp/a" | cmp -s - "$tmp/c"; then echo "FAIL: another seed gave the same fingerprint"; fails=$((fails + 1)); else echo "ok: another seed, another fingerprint"; fi

echo "$fails failed"
[ "$fails" = 0 ]
