#!/bin/sh
# The command line contract: --help on every level, --version, exit codes
# (0 success, 1 model or input failure, 2 usage), repeatable output, and
# the option syntax every command shares (--opt VALUE and --opt=VALUE,
# "did you mean", help made from the option table).
# Usage: test_cli.sh path/to/shopfloor SOURCE_DIR
sf=$1
src=$2
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
lacks() { # lacks FILE TEXT DESCRIPTION
    if grep -q -- "$2" "$tmp/$1"; then echo "FAIL: $3: '$2' in $1"; fails=$((fails + 1)); else echo "ok: $3"; fi
}
same() { # same FILE_A FILE_B DESCRIPTION
    if cmp -s "$1" "$2"; then echo "ok: $3"; else echo "FAIL: $3: $1 and $2 differ"; fails=$((fails + 1)); fi
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
lacks err "did you mean" "nothing is suggested for a name far from every command"
check 2 "a mistyped command is a usage error" -- "$sf" rn
contains err "unknown command 'rn' (did you mean 'run'?)" "the nearest command is suggested"

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

# ---- option syntax ---------------------------------------------------------

mm1=$src/examples/mm1.lua
plant=$src/scenarios/examples/minimal_plant.yaml

# --opt=VALUE is --opt VALUE
check 0 "run --seed 7" -- "$sf" run "$mm1" --seed 7 --until "2 h" --out "$tmp/run_space"
grep fingerprint "$tmp/out" >"$tmp/fp_space"
check 0 "run --seed=7 --out=DIR" -- "$sf" run "$mm1" --seed=7 --until="2 h" --out="$tmp/run_eq"
grep fingerprint "$tmp/out" >"$tmp/fp_eq"
same "$tmp/fp_space" "$tmp/fp_eq" "--seed=7 gives the fingerprint line of --seed 7"
contains fp_eq "seed 7, fingerprint" "the fingerprint line names seed 7"
same "$tmp/run_space/results.csv" "$tmp/run_eq/results.csv" "run --out=DIR writes what --out DIR writes"
"$sf" run "$mm1" --seed 8 --until "2 h" | grep fingerprint >"$tmp/fp_other"
if cmp -s "$tmp/fp_space" "$tmp/fp_other"; then echo "FAIL: --seed 8 gave the fingerprint of --seed 7"; fails=$((fails + 1)); else echo "ok: --seed is read"; fi
check 0 "sweep --out DIR" -- "$sf" sweep "$plant" --vary fleet.reach_truck.count=1,2 --until "30 min" --quiet --out "$tmp/sweep_space"
check 0 "sweep --out=DIR --vary=..." -- "$sf" sweep "$plant" --vary=fleet.reach_truck.count=1,2 --until="30 min" --quiet --out="$tmp/sweep_eq"
same "$tmp/sweep_space/summary.csv" "$tmp/sweep_eq/summary.csv" "sweep --out=DIR writes what --out DIR writes"
same "$tmp/sweep_space/results.csv" "$tmp/sweep_eq/results.csv" "and the same results.csv"

# usage errors: unknown options with a suggestion, values on flags, missing values
check 2 "run --seeds is a usage error" -- "$sf" run "$mm1" --seeds 7
contains err "shopfloor run: unknown option '--seeds' (did you mean '--seed'?)" "run --seeds suggests --seed"
contains err "(see 'shopfloor run --help')" "and points to the help"
check 2 "an option's beginning is not taken for it" -- "$sf" run "$mm1" --prec 2%
contains err "did you mean '--precision'?" "run --prec suggests --precision"
check 2 "sweep --zp" -- "$sf" sweep "$plant" --zp --out "$tmp/never"
contains err "unknown option '--zp' (did you mean '--zip'?)" "sweep suggests from its own table"
check 2 "demo --no-such-option" -- "$sf" demo --no-such-option
lacks err "did you mean" "nothing is suggested for a name far from every option"
check 2 "a value on a flag is refused" -- "$sf" run "$mm1" --trace=yes --out "$tmp/never"
contains err "option --trace takes no value" "the flag is named"
check 2 "check --explain=1" -- "$sf" check --explain=1 "$plant"
check 2 "sweep --zip=no" -- "$sf" sweep "$plant" --zip=no --out "$tmp/never"
check 2 "a missing value" -- "$sf" run "$mm1" --out
contains err "option --out needs a value" "the missing value is named"
check 2 "a bad value after =" -- "$sf" run "$mm1" --until=soon
contains err "--until expects a duration" "the bad value is explained as with a space"
check 1 "-- ends the options" -- "$sf" check -- --explain
contains err "^--explain: cannot open" "after --, --explain is a file name"
check 2 "replication options need --reps" -- "$sf" run "$mm1" --max-reps 5
contains err "--max-reps applies to replications" "and say so"
check 2 "one run's options do not go with --reps" -- "$sf" run "$mm1" --reps 2 --budget 100
contains err "--budget applies to one run" "and say so"
check 2 "--budget 0 is refused, not read as the default" -- "$sf" run "$mm1" --budget 0
contains err "--budget must be at least 1" "and says why"
check 2 "--memory 0 is refused, not read as the default" -- "$sf" run "$mm1" --memory 0
contains err "--memory must be at least 1 MB" "and says why"
[ -e "$tmp/never" ] && { echo "FAIL: a refused command created its --out folder"; fails=$((fails + 1)); }

# run --help shows what `run --reps` takes, and the seed's real default
check 0 "run --help" -- "$sf" run --help
for opt in reps precision max-reps all seed set until out trace budget memory record; do
    contains out "^  --$opt\>" "run --help lists --$opt"
done
# the --seed entry with its continuation lines, on one line
awk '/^  --seed / { on = 1; printf "%s", $0; next } on && /^      / { sub(/^ +/, " "); printf "%s", $0; next } { on = 0 }' \
    "$tmp/out" >"$tmp/seed"
contains seed "^  --seed N .*(default: scenario.seed in the scenario; 1 for a Lua model)" \
    "run --help says a scenario brings its own seed"
lacks seed "default:\{0,1\} 1)" "run --help does not say the seed is always 1"

# every command's help lists its options, each of which the parser knows
expect_demo="help seed customers rho"
expect_run="help set until seed out trace budget memory record instruct reps precision max-reps all counterfactual"
expect_check="help set explain keys"
expect_init="help template force"
expect_compare="help reps seed set until out all counterfactual"
expect_sweep="help vary zip reps jobs timeout seed set until out quiet"
expect_view="help set seed until replay speed size every quit-after screenshot bench record instructions drive reserve"
expect_render="help at png frames every until replay set seed size heat trails select"
for cmd in init demo run check compare sweep view render; do
    "$sf" "$cmd" --help >"$tmp/help" 2>&1 || { echo "FAIL: $cmd --help exits $?"; fails=$((fails + 1)); }
    listed=$(sed -n 's/^  \(-[a-z], \)\{0,1\}--\([a-z-]*\).*/\2/p' "$tmp/help" | tr '\n' ' ')
    eval "expected=\$expect_$cmd"
    if [ "$listed" = "$expected " ]; then
        echo "ok: $cmd --help lists $expected"
    else
        echo "FAIL: $cmd --help lists '$listed', expected '$expected '"; fails=$((fails + 1))
    fi
    for opt in $listed; do
        [ "$opt" = help ] && continue
        "$sf" "$cmd" "--$opt" >/dev/null 2>"$tmp/err"
        if [ $? = 2 ] && ! grep -q "unknown option" "$tmp/err"; then :; else
            echo "FAIL: $cmd --$opt, listed by --help, is not a known option refused for want of its value or operand"
            fails=$((fails + 1))
        fi
    done
    for opt in $(sed -n '/^usage:/,/^$/p' "$tmp/help" | grep -o -- '--[a-z-]*' | sort -u); do
        grep -q -- "^  $opt\>" "$tmp/help" || { echo "FAIL: $cmd --help's usage names $opt, which it does not list"; fails=$((fails + 1)); }
    done
done

# init writes a plant and a what-if that check, run and compare accept, for every template
for t in warehouse line cell; do
    check 0 "init --template $t" -- "$sf" init "$tmp/init_$t" --template $t
    check 0 "the $t plant and its what-if pass check" -- "$sf" check "$tmp/init_$t/plant.yaml" "$tmp/init_$t/what_if.yaml"
    check 0 "the $t plant runs" -- "$sf" run "$tmp/init_$t/plant.yaml" --until 2h
    contains out "finished at t = 02:00:00" "the $t plant runs to the end"
    check 0 "the $t what-if compares" -- "$sf" compare "$tmp/init_$t/plant.yaml" "$tmp/init_$t/what_if.yaml" --reps 2 --until 2h
done
check 1 "init does not overwrite a plant" -- "$sf" init "$tmp/init_cell"
check 0 "init --force does" -- "$sf" init "$tmp/init_cell" --force
check 2 "init refuses an unknown template" -- "$sf" init "$tmp/init_x" --template foo
contains err "one of warehouse, line, cell" "the refusal lists the templates"

# check --keys lists what --set takes, and the bash completion made from the option tables offers it
check 0 "check --keys" -- "$sf" check --keys "$src/scenarios/warehouse_basic.yaml"
contains out "^fleet.reach_truck.count$" "check --keys lists a fleet entry's count"
contains out "^demand.arrivals.pallets_in.every$" "check --keys lists a named list's entry by name"
bash_completion=$(dirname "$sf")/share/shopfloor.bash
complete_words() { # complete_words WORD... : what bash completion offers for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _shopfloor; printf "%s\n" "${COMPREPLY[@]}"' \
        sh "$bash_completion" "$@"
}
if command -v bash >/dev/null 2>&1 && [ -f "$bash_completion" ]; then
    complete_words shopfloor run --se >"$tmp/out" 2>&1
    contains out "^--seed$" "bash completes 'run --se' to --seed"
    contains out "^--set$" "bash completes 'run --se' to --set"
    complete_words "$sf" run "$src/scenarios/warehouse_basic.yaml" --set fleet.reach_truck.co >"$tmp/out" 2>&1
    contains out "^fleet.reach_truck.count=$" "bash completes a --set key from the scenario on the line"
    complete_words shopfloor ru >"$tmp/out" 2>&1
    contains out "^run$" "bash completes a command"
else
    echo "FAIL: no bash or no $bash_completion"; fails=$((fails + 1))
fi

# a sweep checks every point before the first run: an unknown key stops it at once
check 1 "sweep with an unknown --vary key fails before any run" -- "$sf" sweep "$src/scenarios/warehouse_basic.yaml" \
    --vary fleet.reach_truk.count=1,2 --out "$tmp/sweep_bad"
contains err "there are: reach_truck" "the unknown key gets the names it could be"
contains err "no run was started" "the sweep says no run was started"
[ ! -e "$tmp/sweep_bad/runs" ] && echo "ok: no run was stored" || { echo "FAIL: runs were stored"; fails=$((fails + 1)); }

echo "$fails failed"
[ "$fails" = 0 ]
