// SPDX-License-Identifier: MIT
// Shared pieces of the benchmarks.
#ifndef ELECTRON_BENCH_BENCH_UTIL_HPP
#define ELECTRON_BENCH_BENCH_UTIL_HPP

#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstddef>
#include <memory>
#include <type_traits>

#if defined(ELECTRON_BENCH_COUNT_ALLOCS)
// The *_allocs variant of a bench: the counting operator new is installed and
// every benchmark reports allocs/op and bytes/op. Its timings include the
// counter's overhead; read times from the plain variant.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/test.hpp"
#endif

namespace electron_bench {

// keep / escape / clobber: what Google Benchmark's DoNotOptimize and
// ClobberMemory do, without its one unsafe form. Google Benchmark 1.7.1's
// DoNotOptimize(T&) tells g++ the value may be rewritten in place ("+m,r");
// g++ 12 at -O3 -march=native then miscompiles
//   int n = 30; DoNotOptimize(n); fib(n);
// (fib receives garbage and recurses until the stack overflows). The helpers
// below only ever give the asm statement inputs, plus a memory clobber, which
// every compiler handles: a value is forced to exist, and an object whose
// address escapes must be re-read from memory afterwards.

/// Forces `value` to be computed (as if it were printed). Through the memory
/// clobber, anything reachable from a pointer the program has published is
/// also assumed read and possibly written.
template <class T>
inline __attribute__((always_inline)) void keep(const T& value) noexcept {
  if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(void*) &&
                !std::is_floating_point_v<T>) {
    asm volatile("" : : "r"(value) : "memory");
  } else {
    asm volatile("" : : "m"(value) : "memory");
  }
}

/// Makes the compiler forget what it knows about `object`: its address is
/// published to an opaque asm statement that may read and write memory, so
/// its value is re-read after the call (use it to stop constant folding of an
/// input, e.g. `int n = 30; escape(n); fib(n);`).
template <class T>
inline __attribute__((always_inline)) void escape(T& object) noexcept {
  asm volatile("" : : "r"(static_cast<void*>(std::addressof(object))) : "memory");
}

/// A compiler barrier: every write before it is performed, every read after it
/// is made again.
inline __attribute__((always_inline)) void clobber() noexcept { asm volatile("" : : : "memory"); }

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
