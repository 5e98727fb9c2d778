#!/usr/bin/env bash
# The middleware's cost in instructions per request, under valgrind's callgrind: repeatable where requests/s on a
# shared two-core machine are not.
#
#   Scripts/callgrind-middleware.sh [SECONDS]      (default 15 s of load per server; needs valgrind, wrk, curl, cc)
#
# Runs the release example-server (a `strip -g` copy) under callgrind three times: without the monitor, with the
# middleware and a disabled monitor (INTERACTION_MONITOR_DISABLED=1: the middleware's own work and Hummingbird's
# middleware layer, nothing recorded), and with the monitor. Each server is warmed up, its counters are dumped,
# then `wrk -t1 -c${CONNECTIONS:-1}` loads GET /hello for SECONDS and the counters of that window alone are divided by the requests
# wrk completed. The monitor's share is also split into the recording path, the flush, and the flush's fixed
# costs (the manifest's intent and confirmation, once per flush): under valgrind the server answers ~1,000
# requests/s, so each flush carries ~50 times fewer records than at full speed and this fixed part is inflated by
# as much. Data and keys go to a temporary directory that is removed afterwards (KEEP=1 keeps it, with the
# profiles). CONNECTIONS=N loads with N connections instead of one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
for tool in valgrind callgrind_control callgrind_annotate wrk curl cc; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y valgrind wrk curl gcc" >&2; exit 2; }
done
swift build -c release --product example-server >/dev/null
work="$(mktemp -d)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
cp .build/release/example-server "$work/server"
strip -g "$work/server"
# valgrind 3.19 cannot run libdispatch's main-queue wait (it writes to the constant signal mask passed to
# sigsuspend): a copy of the mask on the stack avoids it. Only used under valgrind.
cat >"$work/sigsuspend.c" <<'EOF'
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int sigsuspend(const sigset_t *mask) { sigset_t copy = *mask; return (int)syscall(SYS_rt_sigsuspend, &copy, 8); }
EOF
cc -shared -fPIC -O2 -o "$work/sigsuspend.so" "$work/sigsuspend.c"
port="${PORT:-18095}"

# $1 = without | disabled | with; prints "<requests> <instructions>" of the measured window and keeps its profile.
measure() {
    local mode="$1" dir="$work/$1" pid out requests
    mkdir -p "$dir/data" "$dir/keys"
    chmod 700 "$dir/keys"
    (
        unset EXAMPLE_NO_MONITOR INTERACTION_MONITOR_DISABLED
        if [ "$mode" = without ]; then export EXAMPLE_NO_MONITOR=1; fi
        if [ "$mode" = disabled ]; then export INTERACTION_MONITOR_DISABLED=1; fi
        INTERACTION_MONITOR_DATA_DIR="$dir/data" INTERACTION_MONITOR_KEYS_DIR="$dir/keys" LOG_LEVEL=warning \
            SWIFT_BACKTRACE=enable=no LD_PRELOAD="$work/sigsuspend.so" \
            exec valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$work/server" --port "$port"
    ) 2>"$dir/stderr" &
    pid=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/hello" >/dev/null && break; sleep 0.2; done
    wrk -t1 -c${CONNECTIONS:-1} -d5s "http://127.0.0.1:$port/hello" >/dev/null  # warm-up
    sleep 1
    callgrind_control -d "$pid" >/dev/null 2>&1  # part 1: start-up and warm-up
    out=$(wrk -t1 -c${CONNECTIONS:-1} -d"${seconds}s" "http://127.0.0.1:$port/hello")
    sleep 1.5  # the flush of the window's last records (at most 250 ms apart under load)
    callgrind_control -d "$pid" >/dev/null 2>&1  # part 2: the measured window
    kill -INT "$pid"
    wait "$pid" || true
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    callgrind_annotate --inclusive=yes --threshold=100 "$dir/callgrind.out.2" 2>/dev/null >"$dir/profile.txt"
    echo "$requests $(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}' "$dir/profile.txt")"
}

# Inclusive instructions of the first function whose name holds $2, in the profile of mode $1.
inclusive() {
    awk -v f="$2" 'index($0, f) && index($0, "'"'"'2") == 0 { gsub(",", "", $1); print $1; exit }' "$work/$1/profile.txt"
}

echo "callgrind, GET /hello for ${seconds} s per server under wrk -t1 -c${CONNECTIONS:-1} (strip -g release example-server)"
declare -A per count
for mode in without disabled with; do
    read -r requests instructions < <(measure "$mode") || true
    if [ -z "${requests:-}" ] || [ -z "${instructions:-}" ] || [ "$requests" = 0 ]; then
        echo "the $mode run measured nothing (see $work/$mode/stderr; KEEP=1 keeps it)" >&2
        exit 1
    fi
    per[$mode]=$((instructions / requests))
    printf '  %-9s %7d requests %9d instructions/request\n' "$mode" "$requests" "${per[$mode]}"
    count[$mode]=$requests
done
with_requests=${count[with]}
flush=$(( $(inclusive with 'AAC14flushNowLocked') / with_requests ))
manifest=$(( $(inclusive with 'StoreManifestV6update5store') / with_requests ))
recording=$(( $(inclusive with 'InteractionMonitorAAC6record_7command') / with_requests ))
echo "  the middleware with a disabled monitor: +$((per[disabled] - per[without])) instructions/request ($(awk -v a="${per[disabled]}" -v b="${per[without]}" 'BEGIN { printf "%.1f", 100 * (a - b) / b }') %)"
echo "  the monitor: +$((per[with] - per[without])) instructions/request ($(awk -v a="${per[with]}" -v b="${per[without]}" 'BEGIN { printf "%.1f", 100 * (a - b) / b }') %), of which"
echo "    record() itself              $recording"
echo "    the flush, in all            $flush"
echo "    the flush's fixed part       $manifest (manifest intent and confirmation: ~50 times less at full speed)"
echo "  without the fixed part at full speed: about +$((per[with] - per[without] - manifest + manifest / 50)) instructions/request ($(awk -v a="$((per[with] - manifest + manifest / 50))" -v b="${per[without]}" 'BEGIN { printf "%.1f", 100 * (a - b) / b }') %)"
