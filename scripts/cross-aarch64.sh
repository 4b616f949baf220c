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

want=(g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user cmake ninja-build libxsimd-dev catch2)
missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -ne 0 ]]; then
  echo "electron: installing missing packages: ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "electron: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== electron tests: aarch64 (cross-compiled, run under qemu-aarch64)"
cmake --preset cross-aarch64 >/dev/null
cmake --build --preset cross-aarch64
ctest --preset cross-aarch64
