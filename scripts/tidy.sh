#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs clang-tidy 14 (the repository's .clang-tidy) over the test TUs and
# reports what it finds in Electron's own headers (include/electron/); the
# test files themselves are compiled but not judged.
#   scripts/tidy.sh                          every tests/*_test.cpp
#   scripts/tidy.sh tests/config_test.cpp    only these TUs
# Environment: TIDY_BUILD_DIR (default build/release) is a configured build
# directory with compile_commands.json (configured here if missing);
# TIDY_JOBS (default 2) TUs at a time. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-tidy-14 >/dev/null; then
  scripts/deps.sh --lint
fi
build=${TIDY_BUILD_DIR:-build/release}
jobs=${TIDY_JOBS:-2}
if [[ ! -f "$build/compile_commands.json" ]]; then
  preset=$(basename "$build")
  echo "tidy: configuring preset $preset for compile_commands.json"
  cmake --preset "$preset" >/dev/null
fi

if [[ $# -gt 0 ]]; then
  tus=("$@")
else
  mapfile -t tus < <(git ls-files -- 'tests/*_test.cpp')
fi

# Diagnostics only in headers: the header filter keeps include/electron/,
# and the line filter drops those in the .cpp being compiled.
line_filter='[{"name":".hpp"},{"name":".h"}]'
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\n' "${tus[@]}" |
  xargs -P "$jobs" -I{} sh -c 'clang-tidy-14 -p "$1" --quiet --line-filter="$2" "$3" 2>/dev/null || echo "tidy: findings in $3"' \
    _ "$build" "$line_filter" {} >"$log" || status=1
# One finding reached through several TUs is printed once.
findings=$(grep -E '(^|: )(warning|error): ' "$log" | sort -u || true)
if [[ -n "$findings" ]]; then
  echo "$findings"
  echo "tidy: $(wc -l <<<"$findings") findings in include/electron/ (${#tus[@]} TUs)"
  exit 1
fi
if grep -q '^tidy: findings' "$log" || [[ $status -ne 0 ]]; then
  cat "$log"
  exit 1
fi
echo "tidy: ${#tus[@]} TUs, no findings in include/electron/"
