# Sourced by the walk-through tests of docs/user-guide.md: run_guide_section
# PATTERN NAME takes the guide's section whose heading matches PATTERN,
# runs every `shopfloor` command of its ```sh blocks from the source tree
# ($sf, $src, $tmp and fail() come from the test), and checks that every
# line of the output block after a command appears in what it printed.
run_guide_section() {
    # the section, then each ```sh command followed by the ``` block (if any) that shows its output
    awk -v head="$1" '$0 ~ head { on = 1; next } on && /^## / { exit } on' "$src/docs/user-guide.md" > "$tmp/section.md"
    [ -s "$tmp/section.md" ] || fail "the guide has no $2 section"
    awk -v dir="$tmp" '
        /^```/ && fence { if (kind == "out") close(f); fence = 0; next }
        /^```/ { fence = 1; kind = "skip"
                 if ($0 == "```sh") { kind = "cmd"; getline cmd; n++; print cmd > (dir "/cmd." n); close(dir "/cmd." n) }
                 else if ($0 == "```" && n) { kind = "out"; f = dir "/out." n }
                 next }
        fence && kind == "out" { print > f }' "$tmp/section.md"
    [ -f "$tmp/cmd.3" ] || fail "the guide's section has fewer than three commands"

    cd "$src" || exit 1
    for c in "$tmp"/cmd.*; do
        i=${c##*.}
        cmd=$(sed "s|^shopfloor |$sf |; s|--out out/|--out $tmp/out/|" "$c")
        sh -c "$cmd" > "$tmp/got.$i" 2>&1 || fail "$(cat "$c"): $(tail -3 "$tmp/got.$i")"
        [ -f "$tmp/out.$i" ] || continue
        while IFS= read -r line; do
            grep -qxF -- "$line" "$tmp/got.$i" || fail "$(cat "$c") does not print, as the guide says: $line"
        done < "$tmp/out.$i"
    done
}
