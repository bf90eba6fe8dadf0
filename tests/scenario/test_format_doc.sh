#!/bin/sh
# docs/scenario-format.md's examples are one plant: its section examples,
# put together in the order of the page, make a scenario that checks and
# runs, and its overlay example checks against scenarios/examples.
#   test_format_doc.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# every ```yaml block that starts with a section key joins the plant; a block that
# continues the previous block's section (layout: traffic, storage) loses its key line
awk -v dir="$tmp" '
    /^```yaml$/ { on = 1; first = 1; next }
    /^```$/ && on { on = 0; next }
    on && first {
        first = 0; key = $0; sub(/:.*/, "", key)
        take = key ~ /^(scenario|layout|fleet|products|demand|shifts|failures|energy|safety|outputs|experiment)$/
        over = key == "extends"
        if (over) { print > (dir "/overlay.yaml"); next }
        if (take && key == last) next
        if (take) last = key
    }
    on && take { print > (dir "/plant.yaml") }
    on && over { print > (dir "/overlay.yaml") }' "$src/docs/scenario-format.md"

cd "$tmp" || exit 1
"$sf" check plant.yaml > out.txt 2>&1 || fail "the examples of docs/scenario-format.md do not make a valid plant: $(cat out.txt)"
for s in scenario layout fleet products demand shifts failures energy safety outputs; do
    grep -q "^$s:" plant.yaml || fail "no example of the '$s' section"
done
"$sf" run plant.yaml --until 2h > out.txt 2>&1 || fail "the plant of the examples does not run: $(tail -5 out.txt)"
grep -q "finished at t = 02:00:00" out.txt || fail "the plant of the examples stops early"

cp "$src/scenarios/examples/minimal_plant.yaml" . && cp -r "$src/scenarios/examples/scripts" .
"$sf" check overlay.yaml > out.txt 2>&1 || fail "the overlay example does not check: $(cat out.txt)"

[ "$fails" = 0 ] && echo "ok: the examples of docs/scenario-format.md make a plant that checks and runs"
exit "$fails"
