#!/bin/sh
# report.html in a real browser: headless Chromium renders it, the charts
# are there (inline SVG, no network), and the screenshot is not blank: it
# must hold far more than the screenshot of an empty page.
# Skips (status 77) only when no Chromium is installed (tools/deps.sh
# installs it).
# Usage: test_report_html.sh path/to/shopfloor source_dir
sf=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "SKIP: no Chromium to render report.html (apt-get install chromium)"
    exit 77
fi

"$sf" run "$src/scenarios/warehouse_basic.yaml" --out "$tmp/r" --set energy.base_load=2kW >/dev/null 2>&1 || bad "the run failed"
html=$tmp/r/report.html
n=$(grep -o "<svg " "$html" | wc -l)
[ "$n" -ge 5 ] && ok "$n inline SVG charts" || bad "only $n SVG charts"
for chart in "throughput and work in progress" "grid power over time" "per agent type" "energy used by power state" "histogram of lead times"; do
    grep -q "aria-label=\"[^\"]*$chart" "$html" && ok "chart: $chart" || bad "no chart '$chart'"
done
grep -q "peak 15-min demand" "$html" && ok "the peak is marked" || bad "no peak mark"
grep -Eq "(src|href)=\"https?:" "$html" && bad "the page loads something from the network" || ok "self-contained"

shot() { # shot URL PNG
    HOME=$tmp timeout 90 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$tmp/profile" --window-size=1280,1600 --screenshot="$2" "$1" >/dev/null 2>&1
}
printf '<!DOCTYPE html><html><body></body></html>\n' >"$tmp/blank.html"
shot "file://$tmp/blank.html" "$tmp/blank.png"
shot "file://$html" "$tmp/report.png"
if [ ! -s "$tmp/report.png" ] || [ ! -s "$tmp/blank.png" ]; then
    bad "Chromium wrote no screenshot"
else
    blank=$(wc -c <"$tmp/blank.png")
    full=$(wc -c <"$tmp/report.png")
    [ "$full" -gt $((blank * 5)) ] && [ "$full" -gt 40000 ] && ok "the screenshot is not blank ($full bytes, an empty page $blank)" \
        || bad "the screenshot looks blank ($full bytes, an empty page $blank)"
fi
echo "$fails failed"
[ "$fails" = 0 ]
