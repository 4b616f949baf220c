// SPDX-License-Identifier: MIT
// electron::arena::arena against std::pmr::monotonic_buffer_resource,
// new/delete, malloc/free and (when installed) mimalloc, on the same loops:
// a batch of allocations, then everything given back (reset() for the
// arena-like ones, a free per allocation for the others). Times are per
// allocation (items/s).
#include "bench_util.hpp"
#include "electron/arena.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <memory_resource>
#include <random>
#include <vector>

namespace {

constexpr std::size_t batch = 1000;

// The same sizes for every implementation: 8..512 bytes, uniformly.
const std::vector<std::size_t>& mixed_sizes() {
  static const std::vector<std::size_t> s = [] {
    std::mt19937 rng(77);
    std::vector<std::size_t> v(batch);
    for (auto& x : v) x = 8 + rng() % 505;
    return v;
  }();
  return s;
}

std::size_t size_at(benchmark::State& state, std::size_t i) {
  return state.range(0) == 0 ? mixed_sizes()[i] : static_cast<std::size_t>(state.range(0));
}

void finish(benchmark::State& state, const electron_bench::alloc_report& r) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  r.done(state);
}

// range(0): allocation size, or 0 for the mixed 8-512 B sizes.
void alloc_electron(benchmark::State& state) {
  electron::arena::arena a;
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(a.allocate(size_at(state, i)));
    a.reset();
  }
  finish(state, r);
}

void alloc_pmr_monotonic(benchmark::State& state) {
  // An initial buffer as large as the arena's block, so release() never goes
  // upstream either: the same steady state as the arena's reset().
  static std::array<std::byte, 1 << 20> buffer;
  std::pmr::monotonic_buffer_resource res(buffer.data(), buffer.size());
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(res.allocate(size_at(state, i), 16));
    res.release();
  }
  finish(state, r);
}

void alloc_new_delete(benchmark::State& state) {
  std::vector<char*> ptrs(batch);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      ptrs[i] = new char[size_at(state, i)];
      electron_bench::keep(ptrs[i]);
    }
    for (char* p : ptrs) delete[] p;
  }
  finish(state, r);
}

void alloc_malloc(benchmark::State& state) {
  std::vector<void*> ptrs(batch);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(ptrs[i] = std::malloc(size_at(state, i)));
    for (void* p : ptrs) std::free(p);
  }
  finish(state, r);
}

void alloc_mimalloc(benchmark::State& state) {
  const auto& mi = electron_bench::mimalloc();
  if (!mi) {
    state.SkipWithError("mimalloc not installed");
    return;
  }
  std::vector<void*> ptrs(batch);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(ptrs[i] = mi.malloc(size_at(state, i)));
    for (void* p : ptrs) mi.free(p);
  }
  finish(state, r);
}

// make<T> of a trivially destructible T against its peers.
struct point {
  double x, y, z;
};

void make_electron(benchmark::State& state) {
  electron::arena::arena a;
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(electron::arena::make<point>(a));
    a.reset();
  }
  finish(state, r);
}

void make_pmr_monotonic(benchmark::State& state) {
  static std::array<std::byte, 1 << 20> buffer;
  std::pmr::monotonic_buffer_resource res(buffer.data(), buffer.size());
  std::pmr::polymorphic_allocator<point> alloc(&res);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) electron_bench::keep(alloc.new_object<point>());
    res.release();
  }
  finish(state, r);
}

void make_new_delete(benchmark::State& state) {
  std::vector<point*> ptrs(batch);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      ptrs[i] = new point{};
      electron_bench::keep(ptrs[i]);
    }
    for (point* p : ptrs) delete p;
  }
  finish(state, r);
}

}  // namespace

// alloc_64B: every allocation 64 bytes; alloc_mixed: 8-512 bytes (same sequence for all).
#define ELECTRON_ALLOC_BENCH(fn, impl)             \
  BENCHMARK(fn)->Name("alloc_64B/" impl)->Arg(64); \
  BENCHMARK(fn)->Name("alloc_mixed_8_512B/" impl)->Arg(0)
ELECTRON_ALLOC_BENCH(alloc_electron, "electron");
ELECTRON_ALLOC_BENCH(alloc_pmr_monotonic, "pmr_monotonic");
ELECTRON_ALLOC_BENCH(alloc_new_delete, "new_delete");
ELECTRON_ALLOC_BENCH(alloc_malloc, "malloc_free");
ELECTRON_ALLOC_BENCH(alloc_mimalloc, "mimalloc");

BENCHMARK(make_electron)->Name("make_point/electron");
BENCHMARK(make_pmr_monotonic)->Name("make_point/pmr_monotonic");
BENCHMARK(make_new_delete)->Name("make_point/new_delete");

BENCHMARK_MAIN();
