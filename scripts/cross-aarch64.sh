#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-builds Electron's unit tests for aarch64 (Debian's g++-aarch64-linux-gnu,
# cmake/aarch64-linux-gnu.cmake) and runs them under qemu-user: the NEON byte
# kernels against their scalar twins, and everything else that is labelled
# "unit". Installs what it needs first. Its last lines are ctest's, with the
# test count.
#   scripts/cross-aarch64.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh --aarch64

echo "== electron tests: aarch64 (cross-compiled, run under qemu-aarch64)"
cmake --preset cross-aarch64 >/dev/null
cmake --build --preset cross-aarch64
ctest --preset cross-aarch64
