#!/usr/bin/env bash
# Installs what the build needs on Debian/Ubuntu: libsodium-dev and pkg-config (only when missing).
set -euo pipefail
if pkg-config --exists libsodium 2>/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "libsodium-dev is missing: run as root or install it with: sudo apt-get install -y libsodium-dev pkg-config" >&2
    exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq libsodium-dev pkg-config >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq libsodium-dev pkg-config
}
pkg-config --exists libsodium
