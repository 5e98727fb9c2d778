#!/usr/bin/env bash
# Renders the HTML report of a store to a PNG with headless Chromium, so a person can look at it.
# Usage: Scripts/render-report.sh [OUTPUT.png]
#   default output: ${TMPDIR:-/tmp}/interaction-monitor-report.png (never the repository)
# Needs: chromium (apt-get install -y chromium) and a keyring and data, found like the CLI finds them
# (INTERACTION_MONITOR_DATA_DIR / _KEYS_DIR / _STORE, or the defaults). Builds the release binary
# (.build/release/interaction-monitor) when it is missing.
set -euo pipefail
out=$(realpath -m "${1:-${TMPDIR:-/tmp}/interaction-monitor-report.png}")
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    echo "chromium is not installed: apt-get install -y chromium" >&2
    exit 2
fi
bin=.build/release/interaction-monitor
[ -x "$bin" ] || swift build -c release --product interaction-monitor >/dev/null
html=$(mktemp --suffix=.html)
trap 'rm -f "$html"' EXIT
"$bin" report --output "$html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,2300 \
    --screenshot="$out" "file://$html" 2>/dev/null
echo "rendered $out"
