// SPDX-License-Identifier: MIT
// electron/metrics/counter.hpp: a sharded monotonic counter (one padded cell
// per thread, summed on read) and a gauge (one atomic value).
#ifndef ELECTRON_METRICS_COUNTER_HPP
#define ELECTRON_METRICS_COUNTER_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/thread_slots.hpp"

#include <atomic>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <new>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// The value types a counter counts in: std::uint64_t and double.
template <class T>
concept counter_value = std::same_as<T, std::uint64_t> || std::same_as<T, double>;

/// The value types a gauge holds: std::int64_t and double.
template <class T>
concept gauge_value = std::same_as<T, std::int64_t> || std::same_as<T, double>;

/// A monotonic counter whose increments scale with the number of threads.
///
/// Each thread adds into a cell of its own (a cache line, allocated on the
/// thread's first increment and indexed by electron/detail/thread_slots.hpp's
/// dense per-thread index), with a relaxed load and store: no read-modify-write
/// and no line shared between writers. `value()` sums the cells.
///
/// - `inc()` / `add(n)`: wait-free, noexcept; a few instructions once the
///   thread's cell exists. The first increment of a thread allocates one cell
///   (64 B); if that fails, or the process has more than 128 live threads
///   with a slot, the increment goes to one shared cell with `fetch_add`.
///   Nothing is lost.
/// - `value()`: O(threads that ever incremented); monotonic for a reader
///   (each later call returns at least the previous value) until `reset()`.
/// - `add(n)` on `counter_f64` ignores a negative, NaN or infinite `n` and
///   counts it in `rejected_count()` (a counter only goes up).
/// - A cell stays with its slot when a thread exits: the next thread given
///   the slot adds to it, so no count is stranded.
/// - Neither copyable nor movable (threads hold no pointer to it, but its
///   cells are its identity). Destruction frees the cells; it must not race
///   with increments.
///
///   electron::metrics::counter requests;
///   requests.inc();            // from any thread
///   std::uint64_t n = requests.value();
template <counter_value T>
class basic_counter {
 public:
  using value_type = T;

  basic_counter() noexcept = default;
  basic_counter(const basic_counter&) = delete;
  basic_counter& operator=(const basic_counter&) = delete;
  ~basic_counter() {
    const std::uint32_t n = m_used.load(std::memory_order_acquire);
    for (std::uint32_t s = 0; s < n; ++s) delete m_cells[s].load(std::memory_order_acquire);
  }

  /// Adds one.
  ELECTRON_ALWAYS_INLINE void inc() noexcept { add_unchecked(T{1}); }

  /// Adds n. For counter_f64, n must be finite and >= 0; otherwise the call
  /// does nothing but count itself in rejected_count().
  ELECTRON_ALWAYS_INLINE void add(T n) noexcept {
    if constexpr (std::is_floating_point_v<T>) {
      if (ELECTRON_UNLIKELY(!(n >= 0.0) || !std::isfinite(n))) {
        m_rejected.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
    add_unchecked(n);
  }

  /// The sum of all increments since construction or the last reset().
  [[nodiscard]] T value() const noexcept {
    // The base first: a reset() that lands between the two reads then only
    // makes this value larger, never negative.
    const T base = m_base.load(std::memory_order_acquire);
    return static_cast<T>(raw_sum() - base);
  }

  /// Starts the count again from zero. The cells are not written (only
  /// their owners write them): the current sum becomes the base subtracted
  /// by value(). Increments racing with reset() may land on either side.
  void reset() noexcept { m_base.store(raw_sum(), std::memory_order_release); }

  /// How many add(n) calls were ignored (counter_f64: n negative, NaN or
  /// infinite; always 0 for the unsigned counter).
  [[nodiscard]] std::uint64_t rejected_count() const noexcept { return m_rejected.load(std::memory_order_relaxed); }

 private:
  using cell = cache::padded<std::atomic<T>>;

  ELECTRON_ALWAYS_INLINE void add_unchecked(T n) noexcept {
    const std::uint32_t s = electron::detail::thread_slot();
    if (ELECTRON_LIKELY(s < electron::detail::max_thread_slots)) {
      // Only the slot's owner stores this pointer, and slots change owner
      // through a mutex: a relaxed load sees the owner's own store.
      cell* c = m_cells[s].load(std::memory_order_relaxed);
      if (ELECTRON_LIKELY(c != nullptr)) {
        // The owner is the only writer of its cell: load + store, no RMW.
        std::atomic<T>& a = c->get();
        a.store(static_cast<T>(a.load(std::memory_order_relaxed) + n), std::memory_order_relaxed);
        return;
      }
    }
    add_slow(s, n);
  }

  ELECTRON_NOINLINE void add_slow(std::uint32_t s, T n) noexcept {
    if (s < electron::detail::max_thread_slots) {
      cell* c = new (std::nothrow) cell(std::in_place, n);
      if (c != nullptr) {
        m_cells[s].store(c, std::memory_order_release);
        std::uint32_t used = m_used.load(std::memory_order_relaxed);
        while (used <= s &&
               !m_used.compare_exchange_weak(used, s + 1, std::memory_order_release, std::memory_order_relaxed)) {
        }
        return;
      }
    }
    m_shared->fetch_add(n, std::memory_order_relaxed);
  }

  [[nodiscard]] T raw_sum() const noexcept {
    T sum = m_shared->load(std::memory_order_relaxed);
    const std::uint32_t n = m_used.load(std::memory_order_acquire);
    for (std::uint32_t s = 0; s < n; ++s) {
      const cell* c = m_cells[s].load(std::memory_order_acquire);
      if (c != nullptr) sum = static_cast<T>(sum + c->get().load(std::memory_order_relaxed));
    }
    return sum;
  }

  std::atomic<cell*> m_cells[electron::detail::max_thread_slots] = {};
  std::atomic<std::uint32_t> m_used{0};  // 1 + the highest slot with a cell
  std::atomic<T> m_base{};
  std::atomic<std::uint64_t> m_rejected{0};
  cache::padded<std::atomic<T>> m_shared{};  // threads without a slot or a cell
};

/// The unsigned counter (Prometheus counters of events, bytes...).
using counter = basic_counter<std::uint64_t>;
/// The floating-point counter (e.g. seconds spent).
using counter_f64 = basic_counter<double>;

/// A value that goes up and down: one atomic, so set() is exact and every
/// operation is linearizable. add/sub/inc/dec are atomic read-modify-writes
/// (a compare-exchange loop for double); a gauge updated from many threads
/// at a high rate contends on its line, unlike a counter. Lock-free,
/// noexcept, allocates nothing; neither copyable nor movable.
///
///   electron::metrics::gauge in_flight;
///   in_flight.inc(); ... in_flight.dec();
template <gauge_value T>
class basic_gauge {
 public:
  using value_type = T;

  constexpr basic_gauge() noexcept = default;
  constexpr explicit basic_gauge(T initial) noexcept : m_value(initial) {}
  basic_gauge(const basic_gauge&) = delete;
  basic_gauge& operator=(const basic_gauge&) = delete;

  void set(T v) noexcept { m_value.store(v, std::memory_order_relaxed); }
  void add(T n) noexcept { m_value.fetch_add(n, std::memory_order_relaxed); }
  void sub(T n) noexcept { m_value.fetch_sub(n, std::memory_order_relaxed); }
  void inc() noexcept { add(T{1}); }
  void dec() noexcept { sub(T{1}); }
  [[nodiscard]] T value() const noexcept { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<T> m_value{};
};

using gauge = basic_gauge<std::int64_t>;
using gauge_f64 = basic_gauge<double>;

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_COUNTER_HPP
