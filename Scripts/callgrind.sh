#!/usr/bin/env bash
# Instruction counts per record for the hot paths, under valgrind's callgrind: repeatable where seconds are not.
#
#   Scripts/callgrind.sh [COUNT]        (default 20000 records per measurement; needs valgrind and a C compiler)
#
# Runs `interaction-monitor bench --only …` on a `strip -g` copy of the release binary, one measurement at a time,
# and prints the instructions each path costs per record. Nothing is written into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-20000}"
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install -y valgrind" >&2; exit 2; }
command -v cc >/dev/null || { echo "a C compiler is missing: apt-get install -y gcc" >&2; exit 2; }
swift build -c release --product interaction-monitor >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp .build/release/interaction-monitor "$work/im"
strip -g "$work/im"
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

# measurement, function (mangled-name fragment), label, records the measurement passes through it
run() {
    local only="$1"
    SWIFT_BACKTRACE=enable=no LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind \
        --callgrind-out-file="$work/$only.out" "$work/im" bench --only "$only" --count "$count" >/dev/null 2>"$work/$only.log" \
        || { tail -5 "$work/$only.log" >&2; exit 1; }
    callgrind_annotate --inclusive=yes "$work/$only.out" 2>/dev/null >"$work/$only.txt"
}
per_record() {
    local file="$1" fragment="$2" label="$3" records="$4"
    local ir
    ir="$(awk -v f="$fragment" 'index($0, f) && index($0, "'"'"'2") == 0 { gsub(",", "", $1); print $1; exit }' "$work/$file.txt")"
    if [ -z "$ir" ]; then
        printf '  %-44s %s\n' "$label" "(not found)"
    else
        printf '  %-44s %8d instructions/record\n' "$label" "$((ir / records))"
    fi
}

echo "callgrind, $count records per measurement (strip -g release build)"
run record
# record: two runs of (count + 2000 warm-up) calls, plus 1100 for the buffered-bytes figure
per_record record 'InteractionMonitorAAC6record_7command' 'record() (caller path)' $((2 * (count + 2000) + 1100))
# flush: one batch below the two-core threshold (8,192), so that all of its work is on the counted thread
full="$count"
count=$((count < 8000 ? count : 8000))
run flush
per_record flush 'PrivacyTransformV11storedBatch' 'flush: privacy transform + encoding' "$count"
per_record flush 'crypto_aead_xchacha20poly1305_ietf_encrypt_detached' 'flush: sealing (libsodium)' "$count"
per_record flush 'AAC14flushNowLocked' 'flush: everything (also writing)' "$count"
count="$full"
run stats
# stats: the sealed ingest writes the store (count records), then the stats pass reads it
per_record stats 'DecryptingReaderV4read' 'read: checking and delivery (reader thread)' "$count"
per_record stats 'ChunkOpenerV7openOne' 'read: opening and parsing (worker threads)' "$count"
per_record stats 'FrameOpener' 'read: opening frames' "$count"
per_record stats 'RecordLineDecoderV6decode' 'read: parsing records' "$count"
per_record stats 'StatisticsV3add' 'read: the statistics themselves' "$count"
