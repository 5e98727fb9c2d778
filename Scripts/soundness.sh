#!/usr/bin/env bash
# Cheap structural checks that the compiler does not make.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
# Only MonitorCrypto may import the C library.
if grep -rnE "^\s*(@_implementationOnly |internal |public |package )?import CSodium" Sources | grep -v "^Sources/MonitorCrypto/"; then
    echo "soundness: CSodium imported outside Sources/MonitorCrypto" >&2; fail=1
fi
# The core library and its test kit never depend on a web framework (only the middleware targets do).
if grep -rnE "^\s*(@_exported |internal |public |package )?import (Hummingbird|Vapor|NIO)" \
    Sources/InteractionMonitor Sources/InteractionMonitorAnalytics Sources/InteractionMonitorTestKit \
    Sources/InteractionMonitorHTTP; then
    echo "soundness: a web framework imported by the core library" >&2; fail=1
fi
# The recorder never depends on the analytics built on it.
if grep -rnE "^\s*(@testable |@_exported |internal |public |package )?import InteractionMonitorAnalytics" Sources/InteractionMonitor --include=*.swift; then
    echo "soundness: the recorder imports InteractionMonitorAnalytics" >&2; fail=1
fi
# One frame opener: only FrameOpener opens a frame's AEAD.
if grep -rn "SegmentCodec.open(" Sources | grep -v "^Sources/InteractionMonitor/Storage/FrameOpener.swift:"; then
    echo "soundness: a frame opened outside FrameOpener" >&2; fail=1
fi
# No try! in library or CLI code.
if grep -rn "try!" Sources Examples Fuzz; then echo "soundness: try! in Sources, Examples or Fuzz" >&2; fail=1; fi
# No key material or raw ids in prints.
if grep -rnE "print\(.*(secretKey|activeDataKey\b|activeHashKey\b|base64EncodedBytes|userID\b)" Sources; then
    echo "soundness: a print may show key material or a raw user id" >&2; fail=1
fi
exit $fail
