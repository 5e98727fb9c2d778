#!/usr/bin/env bash
# Overhead of the Hummingbird middleware: example-server (release) with and without the monitor on loopback,
# measured with wrk, runs interleaved. Needs `wrk` and `curl` (apt-get install -y wrk curl); builds the release
# example-server first.
#   Scripts/bench-middleware.sh [RUNS] [DURATION]      e.g. Scripts/bench-middleware.sh 3 10s
# SERVER=PATH measures that example-server binary instead of building one (to compare two builds in turn).
# WITH_DISABLED=1 adds runs with the middleware and a disabled monitor (INTERACTION_MONITOR_DISABLED=1).
# PIN=1 runs the server on CPU 0 and wrk (one thread) on CPU 1 (taskset, from util-linux), so the server and the
# load generator never take turns on a core: the ratio then shows the monitor's cost on the server's own core.
# Data and keys go to a temporary directory that is removed afterwards. Each run with the monitor prints how many
# records the server recorded, stored and dropped; the script exits 1 when any run dropped a record.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duration=${2:-10s}
scratch=${SCRATCH_PATH:-.build}
port=${PORT:-18080}
if [ -n "${SERVER:-}" ]; then
    server=$SERVER  # a build of example-server to compare with another, side by side
else
    swift build -c release --scratch-path "$scratch" --product example-server >/dev/null
    server="$scratch/release/example-server"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
server_pin=()
load_generator=(wrk -t2 -c32)
if [ -n "${PIN:-}" ]; then
    command -v taskset >/dev/null || { echo "PIN=1 needs taskset (apt-get install -y util-linux)" >&2; exit 2; }
    server_pin=(taskset -c 0)
    load_generator=(taskset -c 1 wrk -t1 -c32)
    echo "server on CPU 0, wrk on CPU 1"
fi

run() {  # $1 = with | without | disabled (the middleware with a monitor that records nothing), $2 = run number
    local dir="$tmp/$1-$2" pid
    mkdir -p "$dir/data" "$dir/keys"
    chmod 700 "$dir/keys"
    unset EXAMPLE_NO_MONITOR INTERACTION_MONITOR_DISABLED
    if [ "$1" = without ]; then export EXAMPLE_NO_MONITOR=1; fi
    if [ "$1" = disabled ]; then export INTERACTION_MONITOR_DISABLED=1; fi
    INTERACTION_MONITOR_DATA_DIR="$dir/data" INTERACTION_MONITOR_KEYS_DIR="$dir/keys" LOG_LEVEL=warning \
        ${server_pin[@]+"${server_pin[@]}"} "$server" --port "$port" 2>"$dir/stderr" &
    pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/hello" >/dev/null && break; sleep 0.1; done
    "${load_generator[@]}" -d2s "http://127.0.0.1:$port/hello" >/dev/null  # warm-up
    local load rps cpu0 cpu1 out requests
    load=$(cut -d' ' -f1 /proc/loadavg)
    cpu0=$(cpu_ticks "$pid")
    out=$("${load_generator[@]}" -d"$duration" "http://127.0.0.1:$port/hello")
    cpu1=$(cpu_ticks "$pid")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    kill -INT "$pid"
    wait "$pid" || true
    # Server CPU time (user + system, all threads, the monitor's flushes included) per request: steadier than
    # requests/s when something else shares the cores.
    local us=$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / requests ))
    local summary dropped
    summary=$(grep -o 'recorded .*' "$dir/stderr" | tail -1 || true)
    dropped=$(sed -n 's/.*dropped \([0-9]*\).*/\1/p' <<<"$summary")
    echo "$1 run $2: $rps requests/s, $us µs server CPU per request (load average before: $load)${summary:+; $summary}"
    echo "$1 $rps $us" >>"$tmp/results"
    if [ "$1" = with ] && [ "${dropped:-0}" != 0 ]; then echo "$1 run $2 dropped $dropped records" >>"$tmp/drops"; fi
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for i in $(seq "$runs"); do
    run with "$i"
    run without "$i"
    if [ -n "${WITH_DISABLED:-}" ]; then run disabled "$i"; fi
done
awk '{sum[$1] += $2; cpu[$1] += $3; n[$1]++} END {
    w = sum["with"] / n["with"]; wo = sum["without"] / n["without"];
    printf "mean with: %.0f requests/s, without: %.0f requests/s, ratio with/without: %.3f\n", w, wo, w / wo
    cw = cpu["with"] / n["with"]; cwo = cpu["without"] / n["without"];
    printf "mean server CPU per request with: %.1f µs, without: %.1f µs, difference %.1f µs\n", cw, cwo, cw - cwo
    if (n["disabled"]) printf "mean with the monitor disabled (middleware only): %.0f requests/s, %.1f µs CPU per request\n",
        sum["disabled"] / n["disabled"], cpu["disabled"] / n["disabled"] }' \
    "$tmp/results"
if [ -s "$tmp/drops" ]; then
    echo "FAIL: the server dropped records:" >&2
    cat "$tmp/drops" >&2
    exit 1
fi
echo "no records dropped in any run"
