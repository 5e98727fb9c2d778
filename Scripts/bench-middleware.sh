#!/usr/bin/env bash
# Overhead of the Hummingbird middleware: example-server (release) with and without the monitor on loopback,
# measured with wrk, runs interleaved. Needs `wrk` (apt-get install -y wrk).
#   Scripts/bench-middleware.sh [RUNS] [DURATION]      e.g. Scripts/bench-middleware.sh 3 10s
# Data and keys go to a temporary directory that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duration=${2:-10s}
scratch=${SCRATCH_PATH:-.build}
port=${PORT:-18080}
swift build -c release --scratch-path "$scratch" --product example-server >/dev/null
server="$scratch/release/example-server"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {  # $1 = with|without
    local dir="$tmp/$1-$2" pid
    mkdir -p "$dir/data" "$dir/keys"
    chmod 700 "$dir/keys"
    if [ "$1" = without ]; then export EXAMPLE_NO_MONITOR=1; else unset EXAMPLE_NO_MONITOR; fi
    INTERACTION_MONITOR_DATA_DIR="$dir/data" INTERACTION_MONITOR_KEYS_DIR="$dir/keys" LOG_LEVEL=warning \
        "$server" --port "$port" &
    pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/hello" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c32 -d2s "http://127.0.0.1:$port/hello" >/dev/null  # warm-up
    local load rps
    load=$(cut -d' ' -f1 /proc/loadavg)
    rps=$(wrk -t2 -c32 -d"$duration" "http://127.0.0.1:$port/hello" | awk '/Requests\/sec/ {print $2}')
    kill -INT "$pid"
    wait "$pid" || true
    echo "$1 run $2: $rps requests/s (load average before: $load)"
    echo "$1 $rps" >>"$tmp/results"
}

for i in $(seq "$runs"); do
    run with "$i"
    run without "$i"
done
awk '{sum[$1] += $2; n[$1]++} END {
    w = sum["with"] / n["with"]; wo = sum["without"] / n["without"];
    printf "mean with: %.0f requests/s, without: %.0f requests/s, ratio with/without: %.3f\n", w, wo, w / wo }' \
    "$tmp/results"
