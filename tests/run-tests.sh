#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every test.
# Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_if_needed platform/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# Network-namespace and capture tests need root.
sudo_if_needed ctest --test-dir build --output-on-failure -j2 "$@"
