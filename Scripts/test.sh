#!/usr/bin/env bash
# The whole test suite, as README.md and CI run it: install dependencies, build everything once (failing on any
# warning in our own code), run every test from that build, run the soundness checks, then the core tests under
# ThreadSanitizer and AddressSanitizer and a short fuzz smoke run.
#   Scripts/test.sh                 everything (CI)
#   Scripts/test.sh --fast          skip the sanitizer and fuzz stages
# Full-size runs by hand: IM_SOAK=1 (8 threads x 100,000 and 8 processes x 20,000 records), IM_CRASH_LOOPS=50,
# Scripts/fuzz.sh 600 (10 minutes per fuzz target).
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=0
[ "${1:-}" = "--fast" ] && FAST=1
stage() { echo "=== $1 ($(date -u +%H:%M:%S))"; }
stage "dependencies and soundness"
Scripts/install-deps.sh
Scripts/soundness.sh
stage "build (debug, every target)"
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log" | grep -E "error|warning|Compiling|Build complete" | tail -5
if grep -E "^$(pwd)/(Sources|Tests|Examples|Fuzz)/.*(warning|error):" "$log" >/dev/null; then
    echo "build produced warnings in our code (the project builds warning-free):" >&2
    grep -E "^$(pwd)/(Sources|Tests|Examples|Fuzz)/.*(warning|error):" "$log" | sort -u >&2
    exit 1
fi
stage "tests"
swift test --skip-build
[ "$FAST" = 1 ] && exit 0
# Sanitizer builds leave the web-framework integrations out (IM_CORE_ONLY=1): they are another full build each
# and their code is tested above.
CORE_TESTS="MonitorCryptoTests|InteractionMonitorTests|InteractionMonitorIntegrationTests"
# Under TSan, -DIM_TSAN swaps Synchronization.Mutex (a raw futex TSan cannot see) for a pthread mutex (Locked.swift).
for sanitizer in thread address; do
    stage "core tests under --sanitize=$sanitizer"
    flags=()
    [ "$sanitizer" = thread ] && flags=(-Xswiftc -DIM_TSAN)
    IM_CORE_ONLY=1 swift build --build-tests --sanitize="$sanitizer" "${flags[@]}" --scratch-path ".build-$sanitizer" 2>&1 \
        | grep -E "error|Build complete" | tail -3
    IM_CORE_ONLY=1 TSAN_OPTIONS="halt_on_error=1" ASAN_OPTIONS="detect_leaks=0" \
        swift test --skip-build --sanitize="$sanitizer" "${flags[@]}" --scratch-path ".build-$sanitizer" --filter "$CORE_TESTS"
done
stage "fuzz smoke (8 s per target)"
Scripts/fuzz.sh 8
stage "done"
