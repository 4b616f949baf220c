// SPDX-License-Identifier: MIT
// The metrics module's bench: one binary with every part side by side, so
// each ratio is read from one run. The benchmarks live in metrics_*_bench.cpp;
// this file holds main.
#define ELECTRON_BENCH_MAIN_FILE
#include "bench_util.hpp"

BENCHMARK_MAIN();
