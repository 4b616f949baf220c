#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages Electron's builds need, if any are missing.
# Idempotent and quiet when everything is present.
#   scripts/deps.sh            build + test + bench dependencies
#   scripts/deps.sh --minimal  only what the tests need
#   scripts/deps.sh --aarch64  only what the aarch64 cross build and its qemu
#                              test run need (scripts/cross-aarch64.sh)
#   scripts/deps.sh --qemu-user only qemu-user and the compilers
#                              (scripts/old-cpu-check.sh)
#   scripts/deps.sh --lint     only clang-format-14 and clang-tidy-14
#                              (scripts/check-format.sh, scripts/tidy.sh)
set -euo pipefail

required=(g++ clang cmake ninja-build python3 git libxsimd-dev catch2 libclang-rt-14-dev python3-prometheus-client)
bench=(libbenchmark-dev libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev libabsl-dev libxxhash-dev libconcurrentqueue-dev libfast-float-dev
       libtbb-dev libfmt-dev libdragonbox-dev libmimalloc-dev liburiparser-dev libcurl4-openssl-dev libdouble-conversion-dev
       rapidjson-dev nlohmann-json3-dev libprotobuf-dev libstreamvbyte-dev robin-map-dev libtsl-hopscotch-map-dev prometheus-cpp-dev)

lint=(clang-format-14 clang-tidy-14 git)

qemu_user=(qemu-user g++ clang)

aarch64=(g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user cmake ninja-build libxsimd-dev catch2)

case "${1:-}" in
  --minimal) want=("${required[@]}") ;;
  --aarch64) want=("${aarch64[@]}") ;;
  --qemu-user) want=("${qemu_user[@]}") ;;
  --lint) want=("${lint[@]}") ;;
  *) want=("${required[@]}" "${bench[@]}" "${lint[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "electron: installing missing packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "electron: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "electron: packages installed"
