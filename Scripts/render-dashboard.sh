#!/usr/bin/env bash
# Starts `serve` on synthetic data in a temporary directory, plants an error spike from a second process while it
# runs, and screenshots the live page with headless Chromium twice (before and after), so a person can check that
# the page follows new data without a reload.
# Usage: Scripts/render-dashboard.sh [BINARY] [OUTPUT-PREFIX]
#   defaults: the release binary .build/release/interaction-monitor, ${TMPDIR:-/tmp}/interaction-monitor-dashboard
#   (writes OUTPUT-PREFIX-before.png and OUTPUT-PREFIX-after.png; never into the repository by default)
# Needs: chromium (apt-get install -y chromium) and the release binary (swift build -c release --product
# interaction-monitor). Data, keys and HOME are a temporary directory, removed afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/.build/release/interaction-monitor}
out=${2:-${TMPDIR:-/tmp}/interaction-monitor-dashboard}
command -v chromium >/dev/null || { echo "chromium is not installed: apt-get install -y chromium" >&2; exit 2; }
[ -x "$bin" ] || { echo "no binary at $bin: swift build -c release --product interaction-monitor" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export INTERACTION_MONITOR_DATA_DIR=$tmp/data INTERACTION_MONITOR_KEYS_DIR=$tmp/keys HOME=$tmp/home
export INTERACTION_MONITOR_TOKEN=dashboard-token-$RANDOM$RANDOM$RANDOM
"$bin" keys init >/dev/null
"$bin" demo --count 3000 >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --port "$port" --interval 1 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q serving "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/?token=$INTERACTION_MONITOR_TOKEN"
shot() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1600 \
    --virtual-time-budget="$2" --screenshot="$(realpath -m "$1")" "$url" 2>/dev/null; }
shot "$out-before.png" 1000
# One page load; 2 s in, another process writes a spike in `deploy`. Headless Chromium runs the page's timers on
# virtual time (each poll is a real request), so a large budget keeps the page polling for several real seconds; the
# screenshot, taken at the end, must show the spike (alerts, counts, the view number advanced by the page's script).
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1600 --virtual-time-budget=200000 \
    --screenshot="$(realpath -m "$out-after.png")" "$url" 2>/dev/null &
browser=$!
sleep 2
for i in $(seq 1 60); do
    s=success; [ $((i % 5)) -lt 3 ] && s=error
    echo "{\"command\":\"deploy\",\"status\":\"$s\",\"duration_ms\":80,\"user_id\":\"u$((i % 7))\",\"error_message\":\"lock wait timeout on /var/db/x\"}"
done | "$bin" ingest >/dev/null
wait "$browser"
echo "rendered $out-before.png and $out-after.png"
