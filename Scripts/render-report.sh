#!/usr/bin/env bash
# Renders the HTML dashboard of a data directory to a PNG with headless Chromium, so a person can look at it.
# Usage: Scripts/render-report.sh [OUTPUT.png]   (uses INTERACTION_MONITOR_DATA_DIR / _KEYS_DIR like the CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-report.png}
html=$(mktemp --suffix=.html)
if ! command -v chromium >/dev/null; then
    echo "chromium is not installed: apt-get install -y chromium" >&2
    exit 2
fi
swift run -c release interaction-monitor report --output "$html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,2300 \
    --screenshot="$(realpath -m "$out")" "file://$html" 2>/dev/null
echo "rendered $out"
