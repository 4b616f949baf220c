// SPDX-License-Identifier: MIT
// The parse module's bench: one binary with every part side by side, so each
// ratio is read from one run. The benchmarks live in parse_int_bench.cpp
// (parse_int64/*, format_int64/*, format_uint64/*), parse_float_bench.cpp
// (parse_float/*), parse_format_float_bench.cpp (format_float/*) and
// parse_url_bench.cpp (parse_url/*); this file holds main (and, in the
// *_allocs variant, the counting operator new).
#define ELECTRON_BENCH_MAIN_FILE
#include "bench_util.hpp"

BENCHMARK_MAIN();
