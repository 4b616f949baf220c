// SPDX-License-Identifier: MIT
// Shared pieces of the benchmarks.
#ifndef ELECTRON_BENCH_BENCH_UTIL_HPP
#define ELECTRON_BENCH_BENCH_UTIL_HPP

#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstddef>

#if defined(ELECTRON_BENCH_COUNT_ALLOCS)
// The *_allocs variant of a bench: the counting operator new is installed and
// every benchmark reports allocs/op and bytes/op. Its timings include the
// counter's overhead; read times from the plain variant.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/test.hpp"
#endif

namespace electron_bench {

/// Reports allocs/op and bytes/op for the benchmark's loop in the *_allocs
/// variant; nothing in the timing variant.
class alloc_report {
 public:
#if defined(ELECTRON_BENCH_COUNT_ALLOCS)
  void done(benchmark::State& state) const { electron::test::report_allocs(state, m_scope); }

 private:
  electron::test::alloc_scope m_scope{electron::test::scope_threads::this_thread};
#else
  void done(benchmark::State&) const {}
#endif
};

/// mimalloc, when installed, loaded privately (RTLD_LOCAL) so that it does
/// not replace malloc and operator new for the other implementations in the
/// same binary. Calls go through function pointers.
struct mimalloc_api {
  void* (*malloc)(std::size_t) = nullptr;
  void (*free)(void*) = nullptr;
  explicit operator bool() const { return malloc != nullptr && free != nullptr; }
};
inline const mimalloc_api& mimalloc() {
  static const mimalloc_api api = [] {
    mimalloc_api a;
    void* h = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return a;
    a.malloc = reinterpret_cast<void* (*)(std::size_t)>(dlsym(h, "mi_malloc"));
    a.free = reinterpret_cast<void (*)(void*)>(dlsym(h, "mi_free"));
    return a;
  }();
  return api;
}

}  // namespace electron_bench

#endif  // ELECTRON_BENCH_BENCH_UTIL_HPP
