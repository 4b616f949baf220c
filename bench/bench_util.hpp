// SPDX-License-Identifier: MIT
// Shared pieces of the benchmarks.
#ifndef ELECTRON_BENCH_BENCH_UTIL_HPP
#define ELECTRON_BENCH_BENCH_UTIL_HPP

#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#if defined(ELECTRON_BENCH_COUNT_ALLOCS)
// The *_allocs variant of a bench: the counting operator new is installed and
// every benchmark reports allocs/op and bytes/op. Its timings include the
// counter's overhead; read times from the plain variant. A bench built from
// several files (ELECTRON_BENCH_MULTI_FILE) installs the counter in the one
// file that defines ELECTRON_BENCH_MAIN_FILE.
#if !defined(ELECTRON_BENCH_MULTI_FILE) || defined(ELECTRON_BENCH_MAIN_FILE)
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#endif
#include "electron/test.hpp"
#endif

// Around a peer's #include: g++ 12 -O3 reports some warnings inside
// third-party headers once their code is inlined into a bench (null
// dereferences in moodycamel and boost.pool, uninitialized lanes in its own
// AVX-512 intrinsics as libxxhash uses them). The pragma covers the header's
// lines, which is where the inlining chain points.
#if defined(__GNUC__) && !defined(__clang__)
#define ELECTRON_BENCH_PEER_HEADERS_BEGIN                                                 \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wnull-dereference\"") \
      _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")                               \
          _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define ELECTRON_BENCH_PEER_HEADERS_END _Pragma("GCC diagnostic pop")
#else
#define ELECTRON_BENCH_PEER_HEADERS_BEGIN
#define ELECTRON_BENCH_PEER_HEADERS_END
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
  if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(void*) && !std::is_floating_point_v<T>) {
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

/// True in the token run ctest makes of every bench (ELECTRON_BENCH_SMOKE is
/// set): benches then leave out their largest sizes, which would only slow
/// the test suite down.
inline bool smoke_run() noexcept {
  const char* v = std::getenv("ELECTRON_BENCH_SMOKE");
  return v != nullptr && *v != '\0' && *v != '0';
}

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

/// Short inputs the way applications meet them: lines and fields of random
/// lengths, visited in an order the branch predictor cannot learn.
///
/// `count` inputs of lengths uniform in [min_len, max_len], cut back to back
/// from random lowercase text; in about half of them `mark` (one byte or a
/// short needle) is written at a uniformly random
/// position where it fits (the others do not contain it). A bench walks
/// `walk` (2^16 indices drawn at random into the pool, far longer than any
/// history a predictor keeps), one input per iteration, so neither the
/// length nor the outcome repeats in a pattern. The pool (~21 KB for the
/// defaults) stays in L1, as a line just read from a buffer does: the time
/// is the function's, not the cache's.
struct short_inputs {
  std::string text;
  std::vector<std::string_view> items;
  std::vector<std::uint16_t> walk;

  short_inputs(std::size_t min_len, std::size_t max_len, std::string_view mark, std::size_t count = 256,
               std::uint32_t seed = 11) {
    std::mt19937 rng(seed);
    std::vector<std::size_t> lens(count);
    std::size_t total = 0;
    for (auto& n : lens) {
      n = min_len + rng() % (max_len - min_len + 1);
      total += n;
    }
    text.resize(total);
    for (auto& c : text) c = static_cast<char>('a' + rng() % 26);
    std::size_t at = 0;
    for (const std::size_t n : lens) {
      if (n >= mark.size() && rng() % 2 == 0) {
        text.replace(at + rng() % (n - mark.size() + 1), mark.size(), mark);
      }
      at += n;
    }
    at = 0;
    for (const std::size_t n : lens) {
      items.emplace_back(text.data() + at, n);
      at += n;
    }
    walk.resize(std::size_t{1} << 16);
    for (auto& w : walk) w = static_cast<std::uint16_t>(rng() % count);
  }

  /// Runs `f(input)` once per iteration over the walk; reports bytes and items.
  template <class F>
  void run(benchmark::State& state, F&& f) const {
    std::size_t j = 0, bytes = 0;
    const std::size_t mask = walk.size() - 1;
    for (auto _ : state) {
      const std::string_view s = items[walk[j++ & mask]];
      bytes += s.size();
      keep(f(s));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
  }
};

}  // namespace electron_bench

#endif  // ELECTRON_BENCH_BENCH_UTIL_HPP
