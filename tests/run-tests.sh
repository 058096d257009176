#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every test.
#   1. unit and fuzz tests again under AddressSanitizer + UBSan (build-asan/)
#   2. the whole suite on the normal build (build/); ends with ctest's summary
# Extra arguments go to the final ctest (e.g. -L e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_if_needed platform/install-deps.sh

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSEGWARD_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
# DPDK keeps its memory until exit by design: leak reports would be noise.
ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure -j2 -L "fast|fuzz"

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# Network-namespace and capture tests need root.
sudo_if_needed ctest --test-dir build --output-on-failure -j2 "$@"
