#!/usr/bin/env bash
# The whole test suite, as README.md and CI run it: install dependencies, run the soundness checks, build everything
# once (failing on any warning in our own code), run every test from that build, build the DocC documentation
# (warnings are errors), then the core tests under ThreadSanitizer and AddressSanitizer and a short fuzz smoke run.
#   Scripts/test.sh                 everything (CI)
#   Scripts/test.sh --fast          skip the sanitizer and fuzz stages (the documentation is still built)
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
# The PostgreSQL store's tests run against a real server (a throwaway cluster on loopback, stopped on exit). In CI
# a server that cannot be started fails the run; elsewhere those tests then skip and say why.
stage "PostgreSQL server for the store tests"
if [ -z "${INTERACTION_MONITOR_TEST_POSTGRES:-}" ]; then
    if pg_env="$(IM_PG_DURABLE=0 Scripts/start-postgres.sh)"; then
        eval "$pg_env"
        trap 'Scripts/start-postgres.sh --stop "$IM_TEST_PG_DIR"' EXIT
    elif [ "${CI:-}" = true ]; then
        echo "cannot start PostgreSQL for the store tests" >&2
        exit 1
    else
        echo "no PostgreSQL server: the PostgreSQL store tests will skip" >&2
    fi
fi
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
# The DocC catalog (Sources/InteractionMonitor/Documentation.docc) and the symbol documentation, with warnings as
# errors: a broken link or a renamed symbol fails the run. Its own scratch directory, so it never invalidates .build.
stage "documentation (DocC, warnings are errors)"
docs_log=$(mktemp)
if ! swift package --scratch-path .build-docs generate-documentation --target InteractionMonitor \
    --target InteractionMonitorAnalytics --warnings-as-errors >"$docs_log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\]' "$docs_log" | tail -40 >&2
    echo "the documentation does not build without warnings (Sources/InteractionMonitor*/Documentation.docc)" >&2
    exit 1
fi
grep -E "Generated|Finished|Compiling documentation" "$docs_log" | tail -2 || true
[ "$FAST" = 1 ] && exit 0
# Sanitizer builds leave the web-framework integrations and the PostgreSQL store out (IM_CORE_ONLY=1,
# IM_NO_POSTGRES=1): each is another long build (SwiftNIO, BoringSSL) under a sanitizer, and their code is tested above.
CORE_TESTS="MonitorCryptoTests|InteractionMonitorTests|InteractionMonitorIntegrationTests"
# Under TSan, -DIM_TSAN swaps Synchronization.Mutex (a raw futex TSan cannot see) for a pthread mutex (Locked.swift).
for sanitizer in thread address; do
    stage "core tests under --sanitize=$sanitizer"
    flags=()
    [ "$sanitizer" = thread ] && flags=(-Xswiftc -DIM_TSAN)
    IM_CORE_ONLY=1 IM_NO_POSTGRES=1 swift build --build-tests --sanitize="$sanitizer" "${flags[@]}" --scratch-path ".build-$sanitizer" 2>&1 \
        | grep -E "error|Build complete" | tail -3
    IM_CORE_ONLY=1 IM_NO_POSTGRES=1 TSAN_OPTIONS="halt_on_error=1" ASAN_OPTIONS="detect_leaks=0" \
        swift test --skip-build --sanitize="$sanitizer" "${flags[@]}" --scratch-path ".build-$sanitizer" --filter "$CORE_TESTS"
done
stage "fuzz smoke (8 s per target)"
Scripts/fuzz.sh 8
stage "done"
