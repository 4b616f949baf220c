#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs Electron's whole test suite through ctest, after installing
# what it needs. With no argument it runs both compilers, the way CI does:
#   debug-asan  g++, Debug, ASan+UBSan
#   release     clang++, Release, -march=native
# Or name presets: scripts/test.sh release tsan
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
presets=("$@")
[[ ${#presets[@]} -eq 0 ]] && presets=(debug-asan release)

for p in "${presets[@]}"; do
  echo "== electron tests: preset $p (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p"
  ctest --preset "$p"
done
