// SPDX-License-Identifier: MIT
// electron/test.hpp: testing helpers for Electron's tests and yours.
//
// - Allocation counting: define ELECTRON_TEST_COUNT_ALLOCATIONS in exactly one
//   TU of a program before including this header; that TU then replaces the
//   global operator new/delete with counting versions. `alloc_scope` reads
//   the counters (all threads, or the calling thread only).
// - `check_no_alloc(fn)`, `check_leaks(fn)`: run fn and return a
//   `check_result` (true or a message), made for CHECK(...) in Catch2 or any
//   framework that prints a streamable value.
// - `bench_allocs(state, fn)` / `report_allocs(state, scope)`: add
//   allocs/op and bytes/op counters to a Google Benchmark state.
// - `fuzz_bytes(prop)` / `fuzz_string(prop)`: run one property over
//   reproducible random inputs (fixed seed, failing input shrunk and printed
//   as a C string literal); `ELECTRON_FUZZ_TARGET(prop)` makes the same
//   property a libFuzzer target (clang -fsanitize=fuzzer).
// - The contract kit, for testing a container or concurrent type the way an
//   unusual but legal program uses it (docs/contracts.md):
//   `failing_allocator<T>` / `failing_resource` (fail the n-th allocation or
//   any above a size, through a shared `allocation_control`),
//   `throwing_value<NoexceptMove>` (throws on the n-th copy or move),
//   `hostile_operators` (unary operator& and operator, overloaded),
//   `lifetime_tracked` / `check_lifetimes(fn)` (balanced lifetimes, double
//   destruction caught), `check_allocation_failures(control, op, check)`,
//   `self_move_assign(x)` / `self_copy_assign(x)`.
//
//   #define ELECTRON_TEST_COUNT_ALLOCATIONS
//   #include "electron/test.hpp"
//   CHECK(electron::test::check_no_alloc([&] { sum = std::accumulate(v.begin(), v.end(), 0); }));
//
// Not for production binaries: the replaced operator new adds a 16-byte
// header and atomic counters to every allocation. Under ASan or TSan, whose
// runtimes own operator new, the counter uses the sanitizer's allocation
// hooks instead, and then counts malloc/free as well.
#ifndef ELECTRON_TEST_HPP
#define ELECTRON_TEST_HPP

#include "electron/config.hpp"

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <memory_resource>
#include <new>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace electron {
inline namespace ELECTRON_VERSION_NS {
namespace shared {
/// Allocation counters. Data only, shared by every ABI variant (see config.hpp).
struct alloc_totals {
  std::atomic<std::uint64_t> allocations{0};
  std::atomic<std::uint64_t> deallocations{0};
  std::atomic<std::uint64_t> bytes_allocated{0};
  std::atomic<std::uint64_t> bytes_freed{0};
};
struct thread_alloc_totals {
  std::uint64_t allocations = 0;
  std::uint64_t deallocations = 0;
  std::uint64_t bytes_allocated = 0;
  std::uint64_t bytes_freed = 0;
};
ELECTRON_VISIBLE inline alloc_totals g_alloc_totals;
// Constant-initialised and trivially destructible: safe to touch from
// operator new at any point of a thread's life.
ELECTRON_VISIBLE inline thread_local thread_alloc_totals t_alloc_totals;
ELECTRON_VISIBLE inline std::atomic<bool> g_alloc_counter_installed{false};
// Fault injection: when > 0, counts allocations down; the one that reaches 0
// fails (operator new throws std::bad_alloc). 0 = off.
ELECTRON_VISIBLE inline std::atomic<std::int64_t> g_fail_countdown{0};
}  // namespace shared
}  // namespace ELECTRON_VERSION_NS
}  // namespace electron

ELECTRON_BEGIN_NAMESPACE
namespace test {

// ===========================================================================
// Allocation counting
// ===========================================================================

/// Which allocations an alloc_scope counts.
enum class scope_threads {
  all_threads,  ///< every thread of the process
  this_thread,  ///< only the thread that created the scope
};

/// A snapshot of the counters.
struct alloc_counts {
  std::uint64_t allocations = 0;
  std::uint64_t deallocations = 0;
  std::uint64_t bytes_allocated = 0;
  std::uint64_t bytes_freed = 0;
};

/// How many times longer multi-threaded stress tests should run: the
/// ELECTRON_STRESS environment variable (`ctest -L stress` sets 50), at
/// least 1. Scale iteration counts by it so the default run stays short.
inline int stress_scale() noexcept {
  const char* s = std::getenv("ELECTRON_STRESS");
  const int v = s != nullptr ? std::atoi(s) : 1;
  return v < 1 ? 1 : v;
}

/// Sizes no allocation can serve, as a length prefix or a Content-Length
/// from the network can carry them: SIZE_MAX - k for every k in [0, below)
/// (pass at least the alignment the code under test rounds up to, so that
/// every value that wraps around is among them), then, on 64-bit targets,
/// 2^48, 2^52, 2^56, 2^60 and 2^63. Code that takes a size should refuse
/// each of them with its documented exception before any allocator sees it.
///
///   for (std::size_t n : electron::test::huge_sizes(64)) CHECK_THROWS_AS(pool.get(n), std::length_error);
inline std::vector<std::size_t> huge_sizes(std::size_t below = 64) {
  std::vector<std::size_t> sizes;
  constexpr std::size_t max = static_cast<std::size_t>(-1);
  for (std::size_t k = 0; k < below; ++k) sizes.push_back(max - k);
  if constexpr (sizeof(std::size_t) >= 8) {
    for (unsigned e : {48u, 52u, 56u, 60u, 63u}) sizes.push_back(std::size_t{1} << e);
  }
  return sizes;
}

/// True when `fn()` refuses a size no allocation can serve: it throws
/// std::length_error (above max_size(), before any allocator is asked) or
/// std::bad_alloc (what the allocator or resource threw). Returns false when
/// `fn()` returns normally; other exceptions propagate. Without exceptions
/// it cannot observe a refusal and returns false after `fn()` returns.
///
///   for (std::size_t n : electron::test::huge_sizes()) CHECK(electron::test::refuses_size([&] { v.reserve(n); }));
template <class Fn>
bool refuses_size(Fn&& fn) {
#if ELECTRON_HAS_EXCEPTIONS
  try {
    std::forward<Fn>(fn)();
  } catch (const std::length_error&) {
    return true;
  } catch (const std::bad_alloc&) {
    return true;
  }
#else
  std::forward<Fn>(fn)();
#endif
  return false;
}

/// True when this program counts allocations (one TU defined
/// ELECTRON_TEST_COUNT_ALLOCATIONS). Without it every count reads 0, so the
/// checks below fail rather than pass vacuously.
inline bool counting_allocations() noexcept {
  return shared::g_alloc_counter_installed.load(std::memory_order_relaxed);
}

/// True when fail_nth_allocation() works: the counting operator new is
/// installed and no sanitizer owns operator new.
inline bool allocation_failures_supported() noexcept {
#if ELECTRON_ASAN || ELECTRON_TSAN
  return false;
#else
  return counting_allocations();
#endif
}

/// Makes the n-th allocation (n >= 1, any thread) from now fail with
/// std::bad_alloc, once, while the scope lives: for testing what code does
/// when memory runs out. Needs allocation_failures_supported().
///
///   for (int n = 1;; ++n) {
///     electron::test::fail_nth_allocation f(n);
///     try { run(); break; } catch (const std::bad_alloc&) { check_invariants(); }
///   }
class fail_nth_allocation {
 public:
  explicit fail_nth_allocation(std::int64_t n) noexcept {
    shared::g_fail_countdown.store(n < 1 ? 1 : n, std::memory_order_seq_cst);
  }
  fail_nth_allocation(const fail_nth_allocation&) = delete;
  fail_nth_allocation& operator=(const fail_nth_allocation&) = delete;
  ~fail_nth_allocation() { shared::g_fail_countdown.store(0, std::memory_order_seq_cst); }
  /// True once the chosen allocation has failed.
  [[nodiscard]] bool fired() const noexcept { return shared::g_fail_countdown.load() < 0; }
};

/// The counters now, for all threads or the calling thread.
inline alloc_counts current_alloc_counts(scope_threads which) noexcept {
  if (which == scope_threads::this_thread) {
    const auto& t = shared::t_alloc_totals;
    return {t.allocations, t.deallocations, t.bytes_allocated, t.bytes_freed};
  }
  const auto& g = shared::g_alloc_totals;
  // Deallocations first: a concurrent thread's pair then never shows as a free
  // without its allocation.
  alloc_counts c;
  c.deallocations = g.deallocations.load(std::memory_order_acquire);
  c.bytes_freed = g.bytes_freed.load(std::memory_order_acquire);
  c.allocations = g.allocations.load(std::memory_order_acquire);
  c.bytes_allocated = g.bytes_allocated.load(std::memory_order_acquire);
  return c;
}

/// Counts the allocations made between its construction (or reset()) and a
/// read. Cheap to create; not thread-safe itself (read it from one thread).
///
///   electron::test::alloc_scope s;
///   std::vector<int> v(10);
///   assert(s.allocations() == 1);
class alloc_scope {
 public:
  explicit alloc_scope(scope_threads which = scope_threads::all_threads) noexcept
      : m_which(which), m_start(current_alloc_counts(which)) {}
  /// Restarts counting from now.
  void reset() noexcept { m_start = current_alloc_counts(m_which); }
  [[nodiscard]] alloc_counts counts() const noexcept {
    const alloc_counts now = current_alloc_counts(m_which);
    return {now.allocations - m_start.allocations, now.deallocations - m_start.deallocations,
            now.bytes_allocated - m_start.bytes_allocated, now.bytes_freed - m_start.bytes_freed};
  }
  [[nodiscard]] std::uint64_t allocations() const noexcept { return counts().allocations; }
  [[nodiscard]] std::uint64_t deallocations() const noexcept { return counts().deallocations; }
  [[nodiscard]] std::uint64_t bytes_allocated() const noexcept { return counts().bytes_allocated; }
  [[nodiscard]] std::uint64_t bytes_freed() const noexcept { return counts().bytes_freed; }
  /// Allocations not yet freed (negative when the scope freed older memory).
  [[nodiscard]] std::int64_t live_allocations() const noexcept {
    const alloc_counts c = counts();
    return static_cast<std::int64_t>(c.allocations) - static_cast<std::int64_t>(c.deallocations);
  }
  /// Bytes not yet freed (negative when the scope freed older memory).
  [[nodiscard]] std::int64_t live_bytes() const noexcept {
    const alloc_counts c = counts();
    return static_cast<std::int64_t>(c.bytes_allocated) - static_cast<std::int64_t>(c.bytes_freed);
  }
  [[nodiscard]] scope_threads threads() const noexcept { return m_which; }

 private:
  scope_threads m_which;
  alloc_counts m_start;
};

/// Outcome of a check: converts to true on success; otherwise `message`
/// says what went wrong. Streams its message, so CHECK(check_xxx(...))
/// prints it on failure.
struct check_result {
  bool ok = true;
  std::string message;
  constexpr explicit operator bool() const noexcept { return ok; }
  friend std::ostream& operator<<(std::ostream& os, const check_result& r) {
    return os << (r.ok ? std::string_view("ok") : std::string_view(r.message));
  }
};

namespace detail {
inline check_result not_installed() {
  return {false,
          "the allocation counter is not installed: define ELECTRON_TEST_COUNT_ALLOCATIONS in one TU before "
          "including electron/test.hpp"};
}
}  // namespace detail

/// Runs fn() and fails when it allocates (through operator new) at all.
/// Counts all threads by default: allocations by threads fn starts count too.
template <std::invocable Fn>
check_result check_no_alloc(Fn&& fn, scope_threads which = scope_threads::all_threads) {
  if (!counting_allocations()) return detail::not_installed();
  alloc_scope scope(which);
  std::invoke(std::forward<Fn>(fn));
  const alloc_counts c = scope.counts();
  if (c.allocations == 0) return {};
  return {false, "expected no allocation, got " + std::to_string(c.allocations) + " allocation(s) of " +
                     std::to_string(c.bytes_allocated) + " bytes in all"};
}

/// Runs fn() and fails when memory it allocated is not freed by the time it
/// returns.
template <std::invocable Fn>
check_result check_leaks(Fn&& fn, scope_threads which = scope_threads::all_threads) {
  if (!counting_allocations()) return detail::not_installed();
  alloc_scope scope(which);
  std::invoke(std::forward<Fn>(fn));
  const alloc_counts c = scope.counts();  // read once, before building the message allocates
  const std::int64_t n = static_cast<std::int64_t>(c.allocations) - static_cast<std::int64_t>(c.deallocations);
  const std::int64_t bytes = static_cast<std::int64_t>(c.bytes_allocated) - static_cast<std::int64_t>(c.bytes_freed);
  if (n == 0 && bytes == 0) return {};
  return {false, "leak: " + std::to_string(n) + " allocation(s) of " + std::to_string(bytes) + " bytes not freed (of " +
                     std::to_string(c.allocations) + " made)"};
}

/// Keeps the compiler from deleting the computation of `value` (and, for
/// pointers, from eliding the allocation behind it).
template <class T>
ELECTRON_ALWAYS_INLINE void do_not_optimize(T const& value) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__ volatile("" : : "r,m"(value) : "memory");
#else
  static volatile const void* sink;
  sink = std::addressof(value);
#endif
}

// ===========================================================================
// Google Benchmark helpers (State is benchmark::State; no include needed here)
// ===========================================================================

/// Adds allocs/op and bytes/op (averaged over the state's iterations) for
/// the allocations counted by `scope`.
template <class State>
void report_allocs(State& state, const alloc_scope& scope) {
  using counter = typename std::remove_reference_t<decltype(state.counters)>::mapped_type;
  const alloc_counts c = scope.counts();
  state.counters["allocs/op"] = counter(static_cast<double>(c.allocations), counter::kAvgIterations);
  state.counters["bytes/op"] = counter(static_cast<double>(c.bytes_allocated), counter::kAvgIterations);
}

/// Runs fn once per benchmark iteration and reports allocs/op and bytes/op
/// (allocation count and memory per operation). Skips the benchmark with
/// an error when the allocation counter is not installed.
template <class State, std::invocable Fn>
void bench_allocs(State& state, Fn&& fn) {
  if (!counting_allocations()) {
    state.SkipWithError("allocation counter not installed (ELECTRON_TEST_COUNT_ALLOCATIONS)");
    return;
  }
  alloc_scope scope(scope_threads::this_thread);
  for ([[maybe_unused]] auto _ : state) {
    std::invoke(fn);
  }
  report_allocs(state, scope);
}

// ===========================================================================
// Property / fuzz helpers
// ===========================================================================

/// A property over bytes: returns bool (true = holds) or void (holds unless
/// it throws).
template <class P>
concept byte_property = std::invocable<P&, std::span<const std::byte>> &&
    (std::is_void_v<std::invoke_result_t<P&, std::span<const std::byte>>> ||
     std::convertible_to<std::invoke_result_t<P&, std::span<const std::byte>>, bool>);

/// A property over strings, in the same way.
template <class P>
concept string_property = std::invocable<P&, std::string_view> &&
    (std::is_void_v<std::invoke_result_t<P&, std::string_view>> ||
     std::convertible_to<std::invoke_result_t<P&, std::string_view>, bool>);

/// How fuzz_bytes/fuzz_string generate inputs.
struct fuzz_options {
  std::uint64_t seed = 0x5eedULL;    ///< same seed, same inputs, on every platform
  std::size_t runs = 2000;           ///< random inputs after the fixed edge cases
  std::size_t max_size = 256;        ///< longest input generated
  std::size_t shrink_budget = 2000;  ///< property calls spent shrinking a failure
};

namespace detail {
/// SplitMix64 (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number
/// Generators", OOPSLA 2014): tiny, and the same sequence everywhere.
struct splitmix64 {
  std::uint64_t state;
  constexpr std::uint64_t next() noexcept { return electron::detail::mix64(state += 0x9e3779b97f4a7c15ULL); }
  constexpr std::size_t below(std::size_t n) noexcept { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

/// Result of one property call: holds, or a reason.
struct property_outcome {
  bool holds = true;
  std::string reason;
};

template <class P, class Arg>
property_outcome call_property(P& prop, Arg arg) {
#if ELECTRON_HAS_EXCEPTIONS
  try {
#endif
    if constexpr (std::is_void_v<std::invoke_result_t<P&, Arg>>) {
      std::invoke(prop, arg);
      return {};
    } else {
      if (static_cast<bool>(std::invoke(prop, arg))) return {};
      return {false, "property returned false"};
    }
#if ELECTRON_HAS_EXCEPTIONS
  } catch (const std::exception& e) {
    return {false, std::string("property threw: ") + e.what()};
  } catch (...) {
    return {false, "property threw a non-std exception"};
  }
#endif
}

template <class P>
property_outcome call_on_bytes(P& prop, const std::vector<std::byte>& in) {
  if constexpr (byte_property<P>) {
    return call_property(prop, std::span<const std::byte>(in.data(), in.size()));
  } else {
    return call_property(prop, std::string_view(reinterpret_cast<const char*>(in.data()), in.size()));
  }
}

/// The input as a C string literal, pasteable into a regression test.
inline std::string escape_input(const std::vector<std::byte>& in) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s = "\"";
  bool after_hex = false;
  for (std::byte b : in) {
    const auto c = static_cast<unsigned char>(b);
    const bool is_hex_digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (c == '"' || c == '\\') {
      s += '\\';
      s += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && !(after_hex && is_hex_digit)) {
      s += static_cast<char>(c);
    } else {
      s += "\\x";
      s += hex[c >> 4];
      s += hex[c & 15];
      after_hex = true;
      continue;
    }
    after_hex = false;
  }
  return s + "\"";
}

/// Generates input number `run` (edge cases first, then random ones mixing
/// uniform bytes, a small alphabet of boundary bytes and repeated runs).
inline std::vector<std::byte> make_input(splitmix64& rng, std::size_t run, std::size_t max_size) {
  static constexpr unsigned char alphabet[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 'a', 'Z', '0', ' ', '\n', 0xc3, 0xa9};
  std::vector<std::byte> in;
  switch (run) {
    case 0:
      return in;
    case 1:
      return std::vector<std::byte>(1, std::byte{0});
    case 2:
      return std::vector<std::byte>(1, std::byte{0xff});
    case 3:
      return std::vector<std::byte>(max_size, std::byte{0});
    case 4:
      return std::vector<std::byte>(max_size, std::byte{0xff});
    default:
      break;
  }
  // Short inputs are where most bugs hide: favour them.
  const std::size_t limit = (rng.next() & 1) != 0 ? (max_size < 16 ? max_size : 16) : max_size;
  const std::size_t n = rng.below(limit + 1);
  in.resize(n);
  const std::uint64_t mode = rng.next() % 3;
  for (std::size_t i = 0; i < n; ++i) {
    if (mode == 0) {
      in[i] = static_cast<std::byte>(rng.next() & 0xff);
    } else if (mode == 1) {
      in[i] = static_cast<std::byte>(alphabet[rng.below(sizeof(alphabet))]);
    } else {
      in[i] = i > 0 && rng.below(4) != 0 ? in[i - 1] : static_cast<std::byte>(rng.next() & 0xff);
    }
  }
  return in;
}

/// Removes chunks (halves, quarters, ... single bytes) while the property
/// still fails, then lowers bytes; keeps the smallest failing input found.
template <class P>
std::vector<std::byte> shrink(P& prop, std::vector<std::byte> in, std::size_t budget) {
  for (std::size_t chunk = in.size() / 2; chunk >= 1 && budget > 0; chunk /= 2) {
    for (std::size_t at = 0; at + chunk <= in.size() && budget > 0;) {
      std::vector<std::byte> smaller(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(at));
      smaller.insert(smaller.end(), in.begin() + static_cast<std::ptrdiff_t>(at + chunk), in.end());
      --budget;
      if (!call_on_bytes(prop, smaller).holds) {
        in = std::move(smaller);
      } else {
        at += chunk;
      }
    }
  }
  for (std::size_t i = 0; i < in.size() && budget > 0; ++i) {
    if (in[i] == std::byte{0}) continue;
    const std::byte old = in[i];
    in[i] = std::byte{0};
    --budget;
    if (call_on_bytes(prop, in).holds) in[i] = old;
  }
  return in;
}

template <class P>
check_result fuzz_run(P& prop, const fuzz_options& opt) {
  splitmix64 rng{opt.seed};
  const std::size_t total = opt.runs + 5;
  for (std::size_t run = 0; run < total; ++run) {
    std::vector<std::byte> in = make_input(rng, run, opt.max_size);
    property_outcome out = call_on_bytes(prop, in);
    if (out.holds) continue;
    const std::size_t original = in.size();
    std::vector<std::byte> small = shrink(prop, in, opt.shrink_budget);
    const property_outcome again = call_on_bytes(prop, small);
    if (!again.holds) out = again;
    char seed[32];
    std::snprintf(seed, sizeof seed, "0x%llx", static_cast<unsigned long long>(opt.seed));
    return {false, out.reason + " on input #" + std::to_string(run) + " (seed " + seed + "), shrunk from " +
                       std::to_string(original) + " to " + std::to_string(small.size()) +
                       " bytes: " + escape_input(small)};
  }
  return {};
}
}  // namespace detail

/// Runs a byte property on opt.runs reproducible inputs plus edge cases (empty,
/// single 0x00/0xff, max_size zeros and 0xff). On failure the message gives
/// the reason, the input number and seed, and the shrunk input as a literal.
template <byte_property P>
check_result fuzz_bytes(P&& prop, const fuzz_options& opt = {}) {
  return detail::fuzz_run(prop, opt);
}

/// Same as fuzz_bytes for a property over std::string_view.
template <string_property P>
check_result fuzz_string(P&& prop, const fuzz_options& opt = {}) {
  return detail::fuzz_run(prop, opt);
}

namespace detail {
/// Body of a libFuzzer target: runs the property and aborts (which libFuzzer
/// reports as a crash and saves the input) when it does not hold.
template <class P>
int run_fuzz_input(P& prop, const std::uint8_t* data, std::size_t size) {
  property_outcome out;
  if constexpr (byte_property<P>) {
    out = call_property(prop, std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
  } else {
    out = call_property(prop, std::string_view(reinterpret_cast<const char*>(data), size));
  }
  if (!out.holds) {
    std::fprintf(stderr, "electron fuzz property failed: %s\n", out.reason.c_str());
    std::abort();
  }
  return 0;
}
}  // namespace detail

// ===========================================================================
// Contract kit: hostile allocators, values and operators
// ===========================================================================

/// The shared state of failing_allocator and failing_resource copies: when
/// allocations fail, and how many were made, refused and given back. The
/// allocators and the resource keep a pointer to it, so copies and rebinds
/// share one budget. Thread-safe (atomic counters); not copyable.
///
///   electron::test::allocation_control ctl;
///   ctl.fail_nth(3);   // the 3rd allocation from now, and every later one, throws std::bad_alloc
class allocation_control {
 public:
  allocation_control() noexcept = default;
  allocation_control(const allocation_control&) = delete;
  allocation_control& operator=(const allocation_control&) = delete;

  /// Makes the n-th allocation from now (n >= 1), and every later one, throw
  /// std::bad_alloc until disarm(); n = 0 turns this off.
  void fail_nth(std::size_t n) noexcept {
    m_attempts.store(0, std::memory_order_relaxed);
    m_fail_at.store(n, std::memory_order_release);
  }
  /// Makes every request for more than `bytes` bytes throw std::bad_alloc
  /// (until disarm()).
  void fail_above(std::size_t bytes) noexcept { m_limit.store(bytes, std::memory_order_release); }
  /// Turns fail_nth and fail_above off; the counters keep counting.
  void disarm() noexcept {
    m_fail_at.store(0, std::memory_order_release);
    m_limit.store(static_cast<std::size_t>(-1), std::memory_order_release);
  }

  /// Allocations that succeeded.
  [[nodiscard]] std::size_t allocations() const noexcept { return m_allocations.load(std::memory_order_acquire); }
  /// Allocations given back.
  [[nodiscard]] std::size_t deallocations() const noexcept { return m_deallocations.load(std::memory_order_acquire); }
  /// Allocations refused (std::bad_alloc thrown).
  [[nodiscard]] std::size_t failures() const noexcept { return m_failures.load(std::memory_order_acquire); }
  /// Allocations not yet given back (0 when nothing leaked).
  [[nodiscard]] std::size_t live() const noexcept { return allocations() - deallocations(); }
  /// Bytes not yet given back.
  [[nodiscard]] std::size_t live_bytes() const noexcept {
    return m_bytes.load(std::memory_order_acquire) - m_bytes_freed.load(std::memory_order_acquire);
  }
  /// Deallocations of more bytes than were allocated: a free of memory that
  /// did not come from here, or a second free (0 when all is well).
  [[nodiscard]] std::size_t errors() const noexcept { return m_errors.load(std::memory_order_acquire); }

  /// Called by an allocator before it allocates `bytes`: throws
  /// std::bad_alloc when this allocation must fail.
  void admit(std::size_t bytes) {
    const std::size_t n = m_attempts.fetch_add(1, std::memory_order_acq_rel) + 1;
    const std::size_t at = m_fail_at.load(std::memory_order_acquire);
    if ((at != 0 && n >= at) || bytes > m_limit.load(std::memory_order_acquire)) {
      m_failures.fetch_add(1, std::memory_order_relaxed);
      electron::detail::throw_error<std::bad_alloc>("electron::test: allocation refused");
    }
  }
  /// Called by an allocator after it allocated `bytes`.
  void allocated(std::size_t bytes) noexcept {
    m_bytes.fetch_add(bytes, std::memory_order_relaxed);
    m_allocations.fetch_add(1, std::memory_order_release);
  }
  /// Called by an allocator when it gives back `bytes`.
  void deallocated(std::size_t bytes) noexcept {
    m_bytes_freed.fetch_add(bytes, std::memory_order_relaxed);
    const std::size_t d = m_deallocations.fetch_add(1, std::memory_order_release) + 1;
    if (d > allocations() || live_bytes() > m_bytes.load(std::memory_order_relaxed)) {
      m_errors.fetch_add(1, std::memory_order_relaxed);
    }
  }

  /// The control of default-constructed failing_allocators (never fails
  /// unless armed).
  static allocation_control& shared_default() noexcept {
    static allocation_control c;
    return c;
  }

 private:
  std::atomic<std::size_t> m_fail_at{0};
  std::atomic<std::size_t> m_attempts{0};
  std::atomic<std::size_t> m_limit{static_cast<std::size_t>(-1)};
  std::atomic<std::size_t> m_allocations{0};
  std::atomic<std::size_t> m_deallocations{0};
  std::atomic<std::size_t> m_failures{0};
  std::atomic<std::size_t> m_bytes{0};
  std::atomic<std::size_t> m_bytes_freed{0};
  std::atomic<std::size_t> m_errors{0};
};

/// A standard allocator (std::allocator_traits-complete, rebindable) that
/// asks its allocation_control before each allocation, so a test can make
/// the n-th allocation, or any one above a size, throw std::bad_alloc, and
/// count what was allocated and freed. Copies and rebinds share the
/// control; two allocators are equal when they share it. It propagates on
/// copy and move assignment and swap, so containers move in O(1) and
/// noexcept. Memory comes from ::operator new. Default-constructed, it uses
/// allocation_control::shared_default().
///
///   electron::test::allocation_control ctl;
///   std::vector<int, electron::test::failing_allocator<int>> v{electron::test::failing_allocator<int>(ctl)};
///   ctl.fail_above(1000);   // v.reserve(1000) now throws std::bad_alloc
template <class T>
class failing_allocator {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;
  template <class U>
  struct rebind {
    using other = failing_allocator<U>;
  };

  failing_allocator() noexcept : m_control(std::addressof(allocation_control::shared_default())) {}
  /// An allocator that asks `control` (which must outlive it and its copies).
  explicit failing_allocator(allocation_control& control) noexcept : m_control(std::addressof(control)) {}
  template <class U>
  failing_allocator(const failing_allocator<U>& other) noexcept : m_control(other.control()) {}

  /// n objects' worth of memory; throws std::bad_array_new_length when n >
  /// max_size(), std::bad_alloc when the control says so.
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > max_size()) electron::detail::throw_error<std::bad_array_new_length>("failing_allocator: n > max_size()");
    m_control->admit(n * sizeof(T));
    void* p = nullptr;
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      p = ::operator new (n * sizeof(T), std::align_val_t{alignof(T)});
    } else {
      p = ::operator new(n * sizeof(T));
    }
    m_control->allocated(n * sizeof(T));
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    m_control->deallocated(n * sizeof(T));
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      ::operator delete(p);
    }
  }
  [[nodiscard]] std::size_t max_size() const noexcept { return static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T); }
  /// The shared control.
  [[nodiscard]] allocation_control* control() const noexcept { return m_control; }

  template <class U>
  friend bool operator==(const failing_allocator& a, const failing_allocator<U>& b) noexcept {
    return a.control() == b.control();
  }

 private:
  allocation_control* m_control;
};

/// A std::pmr::memory_resource that asks an allocation_control before each
/// allocation and passes the request on to `upstream` (new/delete by
/// default): the failing_allocator of the types that take a memory
/// resource. Equal only to itself.
///
///   electron::test::failing_resource r;
///   r.control().fail_nth(1);   // the next allocation throws std::bad_alloc
class failing_resource : public std::pmr::memory_resource {
 public:
  explicit failing_resource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) noexcept
      : m_upstream(upstream) {}
  failing_resource(const failing_resource&) = delete;
  failing_resource& operator=(const failing_resource&) = delete;
  ~failing_resource() override = default;
  /// When allocations fail, and the counters.
  [[nodiscard]] allocation_control& control() noexcept { return m_control; }
  [[nodiscard]] const allocation_control& control() const noexcept { return m_control; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    m_control.admit(bytes);
    void* p = m_upstream->allocate(bytes, align);
    m_control.allocated(bytes);
    return p;
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    m_control.deallocated(bytes);
    m_upstream->deallocate(p, bytes, align);
  }
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  allocation_control m_control;
  std::pmr::memory_resource* m_upstream;
};

namespace detail {
// The schedule of throwing_value: copies and moves counted down; the one
// that reaches 0 throws, as does every later one until disarmed.
inline std::atomic<std::int64_t>& throw_countdown() noexcept {
  static std::atomic<std::int64_t> n{0};
  return n;
}
inline void tick_throw() {
  auto& c = throw_countdown();
  std::int64_t v = c.load(std::memory_order_relaxed);
  while (v > 0 && !c.compare_exchange_weak(v, v - 1, std::memory_order_relaxed)) {
  }
  if (v == 1 || v < 0) {
    c.store(-1, std::memory_order_relaxed);
    electron::detail::throw_error<std::runtime_error>("electron::test::throwing_value: planned failure");
  }
}
}  // namespace detail

/// The exception throwing_value throws.
using planned_failure = std::runtime_error;

/// A value (an int) whose copies, and moves unless NoexceptMove, throw
/// planned_failure (std::runtime_error) on the n-th one from
/// throwing_value_fail_nth(n) on, until throwing_value_disarm(). With
/// NoexceptMove the move constructor and assignment are noexcept and never
/// throw, so code that picks std::move_if_noexcept paths can be tested both
/// ways. The schedule is process-wide (one counter for every
/// instantiation); use it from one thread at a time.
///
///   electron::test::throwing_value_fail_nth(2);   // the 2nd copy or move from now throws
template <bool NoexceptMove = false>
class throwing_value {
 public:
  throwing_value() noexcept = default;
  throwing_value(int v) noexcept : m_value(v) {}  // NOLINT: implicit, like the int it wraps
  throwing_value(const throwing_value& o) : m_value(o.m_value) { detail::tick_throw(); }
  // NOLINTNEXTLINE(performance-noexcept-move-constructor): a move that may throw is the point
  throwing_value(throwing_value&& o) noexcept(NoexceptMove) : m_value(o.m_value) {
    if constexpr (!NoexceptMove) detail::tick_throw();
  }
  throwing_value& operator=(const throwing_value& o) {
    detail::tick_throw();
    m_value = o.m_value;
    return *this;
  }
  // NOLINTNEXTLINE(performance-noexcept-move-constructor): a move that may throw is the point
  throwing_value& operator=(throwing_value&& o) noexcept(NoexceptMove) {
    if constexpr (!NoexceptMove) detail::tick_throw();
    m_value = o.m_value;
    return *this;
  }
  ~throwing_value() = default;
  [[nodiscard]] int value() const noexcept { return m_value; }
  friend bool operator==(const throwing_value& a, const throwing_value& b) noexcept { return a.m_value == b.m_value; }

 private:
  int m_value = 0;
};

/// Makes the n-th copy or (throwing) move of a throwing_value from now
/// (n >= 1), and every later one, throw; 0 turns it off.
inline void throwing_value_fail_nth(std::int64_t n) noexcept {
  detail::throw_countdown().store(n < 0 ? 0 : n, std::memory_order_relaxed);
}
/// Stops throwing_value from throwing.
inline void throwing_value_disarm() noexcept { throwing_value_fail_nth(0); }

/// What hostile_operators' comma operator returns: nothing usable.
struct useless {};

/// A value (an int) with an overloaded unary operator& that returns nullptr
/// and an overloaded operator, that returns `useless`: generic code that
/// takes `&x` instead of std::addressof(x), or writes `a, b` over values of
/// the user's type, misbehaves or does not compile. Store it in every
/// container that is a template on its value type.
struct hostile_operators {
  int value = 0;
  hostile_operators() noexcept = default;
  hostile_operators(int v) noexcept : value(v) {}  // NOLINT: implicit, like the int it wraps
  hostile_operators* operator&() noexcept { return nullptr; }
  const hostile_operators* operator&() const noexcept { return nullptr; }
  template <class U>
  useless operator,(U&&) const noexcept {
    return {};
  }
  friend bool operator==(const hostile_operators& a, const hostile_operators& b) noexcept { return a.value == b.value; }
};

/// Totals of every lifetime_tracked object since the program started.
struct lifetime_counts {
  std::uint64_t constructions = 0;  ///< every constructor, copies and moves included
  std::uint64_t destructions = 0;   ///< destructors of live objects
  std::uint64_t copies = 0;         ///< copy constructions and assignments
  std::uint64_t moves = 0;          ///< move constructions and assignments
  std::uint64_t errors = 0;         ///< destruction of a dead object (twice, or never built), or use of a dead one
};

namespace detail {
struct lifetime_totals {
  std::atomic<std::uint64_t> constructions{0};
  std::atomic<std::uint64_t> destructions{0};
  std::atomic<std::uint64_t> copies{0};
  std::atomic<std::uint64_t> moves{0};
  std::atomic<std::uint64_t> errors{0};
};
inline lifetime_totals& lifetimes() noexcept {
  static lifetime_totals t;
  return t;
}
}  // namespace detail

/// The lifetime totals now.
inline lifetime_counts current_lifetime_counts() noexcept {
  auto& t = detail::lifetimes();
  lifetime_counts c;
  c.errors = t.errors.load(std::memory_order_acquire);
  c.destructions = t.destructions.load(std::memory_order_acquire);
  c.constructions = t.constructions.load(std::memory_order_acquire);
  c.copies = t.copies.load(std::memory_order_acquire);
  c.moves = t.moves.load(std::memory_order_acquire);
  return c;
}

/// A value (an int) that counts its constructions, destructions, copies and
/// moves in process-wide atomic totals, and carries a magic number that its
/// destructor checks and overwrites: destroying an object twice (or one
/// never constructed), or copying or moving from a destroyed one, counts an
/// error instead of passing silently. Thread-safe. check_lifetimes() turns
/// the totals into a check.
///
///   CHECK(electron::test::check_lifetimes([] { std::vector<electron::test::lifetime_tracked> v(3); }));
class lifetime_tracked {
 public:
  lifetime_tracked() noexcept : m_value(0) { born(); }
  lifetime_tracked(int v) noexcept : m_value(v) { born(); }  // NOLINT: implicit, like the int it wraps
  lifetime_tracked(const lifetime_tracked& o) noexcept : m_value(o.value()) {
    born();
    detail::lifetimes().copies.fetch_add(1, std::memory_order_relaxed);
  }
  lifetime_tracked(lifetime_tracked&& o) noexcept : m_value(o.value()) {
    born();
    detail::lifetimes().moves.fetch_add(1, std::memory_order_relaxed);
  }
  lifetime_tracked& operator=(const lifetime_tracked& o) noexcept {
    check_alive();
    m_value = o.value();
    detail::lifetimes().copies.fetch_add(1, std::memory_order_relaxed);
    return *this;
  }
  lifetime_tracked& operator=(lifetime_tracked&& o) noexcept {
    check_alive();
    m_value = o.value();
    detail::lifetimes().moves.fetch_add(1, std::memory_order_relaxed);
    return *this;
  }
  ~lifetime_tracked() {
    if (magic() != alive) {
      detail::lifetimes().errors.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    set_magic(dead);
    detail::lifetimes().destructions.fetch_add(1, std::memory_order_release);
  }
  /// The value; reading a dead object counts an error.
  [[nodiscard]] int value() const noexcept {
    check_alive();
    return m_value;
  }
  friend bool operator==(const lifetime_tracked& a, const lifetime_tracked& b) noexcept {
    return a.value() == b.value();
  }

 private:
  static constexpr std::uint64_t alive = 0xA11CE5A11CE5A11CULL;
  static constexpr std::uint64_t dead = 0xDEADDEADDEADDEADULL;
  // Volatile accesses: the store in the destructor must not be removed as
  // a dead store, nor the load folded to `alive`. The address also goes
  // through an empty asm: after a first destructor g++ knows the object is
  // dead and would warn (maybe-uninitialized) on the read that detects it.
  std::uint64_t magic() const noexcept {
    const volatile std::uint64_t* p = &m_magic;
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(p));
#endif
    return *p;
  }
  void set_magic(std::uint64_t v) noexcept { *static_cast<volatile std::uint64_t*>(&m_magic) = v; }
  void born() noexcept {
    set_magic(alive);
    detail::lifetimes().constructions.fetch_add(1, std::memory_order_relaxed);
  }
  void check_alive() const noexcept {
    if (magic() != alive) detail::lifetimes().errors.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t m_magic = alive;
  int m_value;
};

/// Runs fn() and fails unless every lifetime_tracked constructed during the
/// call was destroyed exactly once by its end (constructions ==
/// destructions, no error).
template <std::invocable Fn>
check_result check_lifetimes(Fn&& fn) {
  const lifetime_counts before = current_lifetime_counts();
  std::invoke(std::forward<Fn>(fn));
  const lifetime_counts after = current_lifetime_counts();
  const std::uint64_t built = after.constructions - before.constructions;
  const std::uint64_t destroyed = after.destructions - before.destructions;
  const std::uint64_t errors = after.errors - before.errors;
  if (built == destroyed && errors == 0) return {};
  return {false, "lifetimes: " + std::to_string(built) + " constructed, " + std::to_string(destroyed) + " destroyed, " +
                     std::to_string(errors) + " destroyed twice or used dead"};
}

/// Assigns x to itself by move, through a second reference (the compilers'
/// -Wself-move does not fire): what std::swap(x, x) and some algorithms do.
template <class T>
void self_move_assign(T& x) noexcept(std::is_nothrow_move_assignable_v<T>) {
  T& alias = x;
  x = std::move(alias);
}
/// Assigns x to itself by copy, through a second reference.
template <class T>
void self_copy_assign(T& x) {
  const T& alias = x;
  x = alias;
}

/// Runs op() with the n-th allocation counted by `control` failing, for
/// n = 1, 2, 3, ... until op() succeeds; after each failure (the control
/// disarmed) calls check(), which returns false (or a failing check_result)
/// when the object under test broke its guarantee, e.g. is no longer what it
/// was before op() (strong guarantee) or no longer valid (basic). `op` must
/// redo the operation from the same state each time. Fails when check
/// fails, or when op() still fails after `limit` tries; exceptions other
/// than std::bad_alloc propagate. Without exceptions it runs op() once.
///
///   CHECK(electron::test::check_allocation_failures(ctl, [&] { b.resize(1000, true); },
///                                                   [&] { return b == before; }));
template <std::invocable Op, std::invocable Check>
check_result check_allocation_failures(allocation_control& control, Op&& op, Check&& check, std::size_t limit = 10000) {
#if ELECTRON_HAS_EXCEPTIONS
  for (std::size_t n = 1; n <= limit; ++n) {
    control.fail_nth(n);
    try {
      std::invoke(op);
      control.disarm();
      return {};
    } catch (const std::bad_alloc&) {
      control.disarm();
    } catch (...) {
      control.disarm();
      throw;
    }
    if (!static_cast<bool>(std::invoke(check))) {
      return {false, "the guarantee does not hold after allocation " + std::to_string(n) + " failed"};
    }
  }
  return {false, "still failing after " + std::to_string(limit) + " allocations"};
#else
  static_cast<void>(control);
  static_cast<void>(check);
  static_cast<void>(limit);
  std::invoke(op);
  return {};
#endif
}

}  // namespace test
ELECTRON_END_NAMESPACE

/// Defines LLVMFuzzerTestOneInput running `property` (a byte_property or
/// string_property object or function). Use in a TU of its own built with
/// clang -fsanitize=fuzzer.
#define ELECTRON_FUZZ_TARGET(property)                                                \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    return ::electron::test::detail::run_fuzz_input(property, data, size);            \
  }

#endif  // ELECTRON_TEST_HPP

// ---------------------------------------------------------------------------
// The counting operator new/delete: compiled only in the one TU that defines
// ELECTRON_TEST_COUNT_ALLOCATIONS (outside the include guard, so the macro
// works even when this header was included earlier in that TU).
// ---------------------------------------------------------------------------
#if defined(ELECTRON_TEST_COUNT_ALLOCATIONS) && !defined(ELECTRON_DETAIL_ALLOC_HOOKS_DEFINED)
#define ELECTRON_DETAIL_ALLOC_HOOKS_DEFINED 1

namespace electron {
inline namespace ELECTRON_VERSION_NS {
// The hooks exist in one TU only, so they need no ABI namespace.
namespace alloc_hooks {
// Every block carries a header holding its size; 16 bytes keeps malloc's
// alignment. Over-aligned blocks keep the size just before the user pointer.
constexpr std::size_t header = 16;

inline void record(std::size_t n, bool alloc) noexcept {
  auto& t = shared::t_alloc_totals;
  if (alloc) {
    ++t.allocations;
    t.bytes_allocated += n;
    shared::g_alloc_totals.bytes_allocated.fetch_add(n, std::memory_order_relaxed);
    shared::g_alloc_totals.allocations.fetch_add(1, std::memory_order_release);
  } else {
    ++t.deallocations;
    t.bytes_freed += n;
    shared::g_alloc_totals.bytes_freed.fetch_add(n, std::memory_order_relaxed);
    shared::g_alloc_totals.deallocations.fetch_add(1, std::memory_order_release);
  }
}

#if ELECTRON_ASAN || ELECTRON_TSAN
// Under ASan and TSan the sanitizer runtime owns operator new (clang links it
// statically, so a second definition cannot link). Count through the
// sanitizer's allocation hooks instead; they see malloc too.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void*, std::size_t),
                                                         void (*)(const volatile void*));
extern "C" std::size_t __sanitizer_get_allocated_size(const volatile void*);

inline void on_malloc(const volatile void*, std::size_t n) { record(n, true); }
inline void on_free(const volatile void* p) {
  if (p != nullptr) record(__sanitizer_get_allocated_size(p), false);
}

// Installs the hooks and marks the counter installed before main() runs
// (this block exists in one TU).
[[maybe_unused]] const bool installed =
    (__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free),
     shared::g_alloc_counter_installed.store(true, std::memory_order_relaxed), true);
}  // namespace alloc_hooks
}  // namespace ELECTRON_VERSION_NS
}  // namespace electron
#else
inline bool injected_failure() noexcept {
  std::int64_t c = shared::g_fail_countdown.load(std::memory_order_relaxed);
  while (c > 0) {
    if (shared::g_fail_countdown.compare_exchange_weak(c, c == 1 ? -1 : c - 1, std::memory_order_relaxed)) {
      return c == 1;
    }
  }
  return false;
}

inline void* allocate(std::size_t n, std::size_t align) noexcept {
  if (ELECTRON_UNLIKELY(injected_failure())) return nullptr;
  if (align <= header) {
    if (n > static_cast<std::size_t>(-1) - header) return nullptr;
    void* raw = std::malloc(n + header);
    if (raw == nullptr) return nullptr;
    *static_cast<std::size_t*>(raw) = n;
    record(n, true);
    return static_cast<char*>(raw) + header;
  }
  // Over-aligned: malloc enough to align by hand (std::aligned_alloc is not
  // in every C library: MSVC's lacks it), and keep the size and malloc's
  // pointer in the two words before the user pointer.
  constexpr std::size_t words = sizeof(std::size_t) + sizeof(void*);
  if (n > static_cast<std::size_t>(-1) - words - align) return nullptr;
  char* raw = static_cast<char*>(std::malloc(n + words + align - 1));
  if (raw == nullptr) return nullptr;
  const std::uintptr_t first = reinterpret_cast<std::uintptr_t>(raw) + words;
  char* user =
      raw + ((first + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1)) - reinterpret_cast<std::uintptr_t>(raw);
  std::memcpy(user - sizeof n, &n, sizeof n);
  std::memcpy(user - sizeof n - sizeof raw, &raw, sizeof raw);
  record(n, true);
  return user;
}

inline void deallocate(void* p, std::size_t align) noexcept {
  if (p == nullptr) return;
  char* user = static_cast<char*>(p);
  if (align <= header) {
    char* raw = user - header;
    record(*reinterpret_cast<std::size_t*>(raw), false);
    std::free(raw);
    return;
  }
  std::size_t n = 0;
  char* raw = nullptr;
  std::memcpy(&n, user - sizeof n, sizeof n);
  std::memcpy(&raw, user - sizeof n - sizeof raw, sizeof raw);
  record(n, false);
  std::free(raw);
}

inline void* allocate_or_throw(std::size_t n, std::size_t align) {
  for (;;) {
    if (void* p = allocate(n, align)) return p;
    std::new_handler h = std::get_new_handler();
    if (h == nullptr) {
#if ELECTRON_HAS_EXCEPTIONS
      throw std::bad_alloc();
#else
      std::abort();
#endif
    }
    h();
  }
}

// Marks the counter installed before main() runs (this block exists in one TU).
[[maybe_unused]] const bool installed =
    (shared::g_alloc_counter_installed.store(true, std::memory_order_relaxed), true);
}  // namespace alloc_hooks
}  // namespace ELECTRON_VERSION_NS
}  // namespace electron

#define ELECTRON_DETAIL_HOOKS ::electron::alloc_hooks
#define ELECTRON_DETAIL_DEFAULT_ALIGN __STDCPP_DEFAULT_NEW_ALIGNMENT__

void* operator new(std::size_t n) { return ELECTRON_DETAIL_HOOKS::allocate_or_throw(n, ELECTRON_DETAIL_DEFAULT_ALIGN); }
void* operator new[](std::size_t n) {
  return ELECTRON_DETAIL_HOOKS::allocate_or_throw(n, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return ELECTRON_DETAIL_HOOKS::allocate(n, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return ELECTRON_DETAIL_HOOKS::allocate(n, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return ELECTRON_DETAIL_HOOKS::allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return ELECTRON_DETAIL_HOOKS::allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return ELECTRON_DETAIL_HOOKS::allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return ELECTRON_DETAIL_HOOKS::allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN); }
void operator delete[](void* p) noexcept { ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN); }
void operator delete(void* p, std::size_t) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void operator delete[](void* p, std::size_t) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, ELECTRON_DETAIL_DEFAULT_ALIGN);
}
void operator delete(void* p, std::align_val_t a) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::size_t, std::align_val_t a) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::align_val_t a, const std::nothrow_t&) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a, const std::nothrow_t&) noexcept {
  ELECTRON_DETAIL_HOOKS::deallocate(p, static_cast<std::size_t>(a));
}

#undef ELECTRON_DETAIL_HOOKS
#undef ELECTRON_DETAIL_DEFAULT_ALIGN
#endif  // ELECTRON_ASAN || ELECTRON_TSAN
#endif  // ELECTRON_TEST_COUNT_ALLOCATIONS
