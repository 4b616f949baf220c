#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs programs built for newer CPUs on emulated older ones (qemu-user), and
# expects electron::check_cpu() to refuse with its message and exit code,
# never SIGILL. Each program is built with g++ and with clang++:
#   main    calls check_cpu() first thing in main()
#   static  calls it from a static initialiser, before main()
# and run
#   -march=native  under qemu-x86_64 -cpu Nehalem (SSE4.2, no AVX)
#   -march=haswell under -cpu Haswell without F16C and RDRAND, which
#                  has every extension the check knew before it read the
#                  whole table, so only a complete table refuses it
# and, as a control, natively, where it must pass. Installs qemu-user
# through scripts/deps.sh if it is missing. Takes a few seconds.
#   scripts/old-cpu-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $(uname -m) == x86_64 ]] || { echo "old-cpu-check: not an x86-64 host; skipped"; exit 0; }
command -v qemu-x86_64 >/dev/null || scripts/deps.sh --qemu-user

echo "== check_cpu() on older CPUs (qemu-x86_64)"
qemu_cpus=$(qemu-x86_64 -cpu help || true)  # exits non-zero after the list
for model in Nehalem Haswell; do
  grep -qw "$model" <<<"$qemu_cpus" || { echo "old-cpu-check: qemu-x86_64 has no CPU model $model" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.cpp" <<'CPP'
#include "electron/cpu.hpp"

#include <cstdio>

int main() {
  if (const electron::cpu_check c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "%s\n", c.message());
    return 3;
  }
  std::puts("check_cpu: ok");
  return 0;
}
CPP
cat >"$work/static.cpp" <<'CPP'
#include "electron/cpu.hpp"

#include <cstdio>
#include <cstdlib>

namespace {
const bool cpu_ok = [] {
  if (const electron::cpu_check c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "%s\n", c.message());
    std::exit(3);
  }
  return true;
}();
}  // namespace

int main() {
  std::puts(cpu_ok ? "check_cpu: ok" : "check_cpu: not run");
  return 0;
}
CPP

expect_text="this program was compiled for CPU instructions this processor lacks"
failures=0
# run LABEL EXPECTED_EXIT COMMAND...: the exit code must be EXPECTED_EXIT, and
# a refusal must carry the message.
run() {
  local label=$1 want=$2
  shift 2
  local rc=0
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  if [[ $rc -ne $want ]]; then
    local why="exit code $rc"
    ((rc > 128)) && why="killed by signal $((rc - 128))$([[ $rc -eq 132 ]] && echo ' (SIGILL)')"
    echo "old-cpu-check: FAIL $label: $why, expected $want" >&2
    sed 's/^/    /' "$work/err" >&2
    failures=$((failures + 1))
  elif [[ $want -ne 0 ]] && ! grep -q "$expect_text" "$work/err"; then
    echo "old-cpu-check: FAIL $label: exit code $rc but no message" >&2
    failures=$((failures + 1))
  else
    echo "old-cpu-check: ok   $label (exit $rc) $(head -c 160 "$work/err" "$work/out" 2>/dev/null | tr '\n' ' ')"
  fi
}

for cxx in g++ clang++; do
  command -v "$cxx" >/dev/null || { echo "old-cpu-check: $cxx not found" >&2; exit 1; }
  for prog in main static; do
    for march in native haswell; do
      bin="$work/$prog-$cxx-$march"
      "$cxx" -std=c++20 -O2 "-march=$march" -Iinclude "$work/$prog.cpp" -o "$bin"
    done
    run "$cxx $prog -march=native, natively" 0 "$work/$prog-$cxx-native"
    run "$cxx $prog -march=native, -cpu Nehalem" 3 qemu-x86_64 -cpu Nehalem "$work/$prog-$cxx-native"
    run "$cxx $prog -march=haswell, -cpu Haswell,-f16c,-rdrand" 3 \
      qemu-x86_64 -cpu Haswell,-f16c,-rdrand "$work/$prog-$cxx-haswell"
  done
done
if ((failures)); then
  echo "old-cpu-check: $failures failed" >&2
  exit 1
fi
echo "old-cpu-check: all passed"
