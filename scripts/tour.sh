#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: build Electron in Release with native flags, run the tour
# (CPU features, the compiled SIMD architecture, every module at work), then a
# short side-by-side benchmark summary: Electron vs std vs the peers found.
#   scripts/tour.sh [seconds per benchmark, default 0.05]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
min_time="${1:-0.05}"
cmake --preset release >/dev/null
# Every module's side-by-side bench. (test_bench is left out: it measures the
# allocation counter's own overhead, not Electron against a peer.)
benches=(bits_bench arena_bench pool_bench hash_bench simd_bench strings_bench cache_bench lockfree_bench sync_bench
         sched_bench parse_bench encoding_bench io_bench dense_bench metrics_bench trace_bench cpu_bench)
cmake --build --preset release --target tour access_log "${benches[@]}"

echo
build/release/examples/tour build/release  # writes build/release/electron_tour_trace.json

echo
echo "== an application: examples/access_log.cpp, written with Electron and with std only (same threads, same output)"
build/release/examples/access_log 64

echo
echo "== benchmark summary (median of 3 repetitions, ${min_time}s each; ratio = other / electron time)"
out=build/release/bench-results
mkdir -p "$out"
for name in "${benches[@]}"; do
  b="build/release/bench/$name"
  # The maps' 1M and 10M sizes take minutes to build for every peer: the
  # summary leaves them out (build/release/bench/cache_bench runs them all).
  extra=()
  [[ $name == cache_bench ]] && extra=("--benchmark_filter=-/(1000000|10000000)/")
  "$b" --benchmark_min_time="$min_time" --benchmark_repetitions=3 \
       --benchmark_report_aggregates_only=true "${extra[@]}" \
       --benchmark_out="$out/$name.json" --benchmark_out_format=json >"$out/$name.log" 2>&1 ||
    { cat "$out/$name.log"; exit 1; }
  python3 scripts/bench_summary.py "$out/$name.json"
done
