#!/usr/bin/env bash
# The whole test suite, as README.md and CI run it: install dependencies, build everything once (failing on any
# warning in our own code), run every test from that build, and run the soundness checks.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/soundness.sh
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests|Examples)/.*(warning|error):" "$log" >/dev/null; then
    echo "build produced warnings in our code (the project builds warning-free):" >&2
    grep -E "^$(pwd)/(Sources|Tests|Examples)/.*warning:" "$log" | sort -u >&2
    exit 1
fi
swift test --skip-build
