// SPDX-License-Identifier: MIT
// What electron/test.hpp's allocation counter costs: operator new/delete
// through the counting replacement against malloc/free, which the
// replacement does not touch, in the same binary.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/test.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cstdlib>

namespace {

void alloc_counted_new(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    void* p = ::operator new(n);
    electron_bench::keep(p);
    ::operator delete(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void alloc_malloc(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    void* p = std::malloc(n);
    electron_bench::keep(p);
    std::free(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void scope_read(benchmark::State& state) {
  electron::test::alloc_scope scope;
  for (auto _ : state) electron_bench::keep(scope.counts());
}

}  // namespace

// The counted path is Electron's here; malloc is the baseline it wraps.
BENCHMARK(alloc_counted_new)->Name("alloc_counter_overhead/counted_new_delete")->Arg(64)->Arg(4096);
BENCHMARK(alloc_malloc)->Name("alloc_counter_overhead/malloc_free")->Arg(64)->Arg(4096);
BENCHMARK(scope_read)->Name("alloc_scope_read/electron");

BENCHMARK_MAIN();
