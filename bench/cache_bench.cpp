// SPDX-License-Identifier: MIT
// False sharing, measured: two threads each increment their own atomic
// counter. The counters are adjacent (one cache line), one line apart
// (electron::cache::padded<T>) or two lines apart (padded<T, 128>, for the
// adjacent-line prefetcher), against one thread alone. This file holds the
// cache bench's main; the map benchmarks are in cache_map_bench.cpp.
#define ELECTRON_BENCH_MAIN_FILE
#include "bench_util.hpp"
#include "electron/cache/padded.hpp"

#include <atomic>
#include <cstdint>

namespace {

namespace ec = electron::cache;

template <class Counters>
void increments(benchmark::State& state) {
  static Counters c;
  auto& mine = c.at(static_cast<std::size_t>(state.thread_index()));
  for (auto _ : state) {
    mine.fetch_add(1, std::memory_order_relaxed);
  }
  electron_bench::keep(mine.load(std::memory_order_relaxed));
  state.SetItemsProcessed(state.iterations());
}

struct adjacent {  // both counters on one cache line: what padding prevents
  alignas(electron::cache_line_size) std::atomic<std::uint64_t> v[2] = {0, 0};
  std::atomic<std::uint64_t>& at(std::size_t i) { return v[i]; }
};
template <std::size_t Align>
struct padded_pair {
  ec::padded<std::atomic<std::uint64_t>, Align> v[2];
  std::atomic<std::uint64_t>& at(std::size_t i) { return *v[i]; }
};

}  // namespace

BENCHMARK(increments<adjacent>)->Name("counter_increment/same_line")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(increments<padded_pair<64>>)
    ->Name("counter_increment/electron_padded_64")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
BENCHMARK(increments<padded_pair<128>>)
    ->Name("counter_increment/electron_padded_128")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

BENCHMARK_MAIN();
