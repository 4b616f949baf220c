// SPDX-License-Identifier: MIT
// electron/trace/detail/recorder.hpp: the recording side of electron::trace:
// the event record, the clock, each thread's bounded single-producer buffer
// and the registry of those buffers that a collector drains.
#ifndef ELECTRON_TRACE_DETAIL_RECORDER_HPP
#define ELECTRON_TRACE_DETAIL_RECORDER_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/tsc.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <string_view>
#include <thread>
#include <type_traits>

/// 1 where trace may read the time stamp counter (x86, invariant TSC
/// checked at run time; electron/detail/tsc.hpp). Define
/// ELECTRON_TRACE_STEADY_CLOCK to always use std::chrono::steady_clock.
#if ELECTRON_DETAIL_HAVE_TSC && !defined(ELECTRON_TRACE_STEADY_CLOCK)
#define ELECTRON_TRACE_HAS_TSC 1
#else
#define ELECTRON_TRACE_HAS_TSC 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace trace {

/// What an event record is.
enum class event_kind : std::uint8_t {
  complete,  ///< a span: begin and end ("ph":"X")
  instant,   ///< a point in time on its thread ("ph":"i", "s":"t")
  counter,   ///< a counter sample ("ph":"C"), its value in attrs[0]
};

/// The type of an attribute's value.
enum class attr_type : std::uint8_t { int64, uint64, float64, string };

/// Bytes of a string attribute kept inline; longer strings are truncated to
/// at most this many bytes, at a UTF-8 code point boundary.
inline constexpr std::size_t max_attr_string = 22;
/// Attributes an event holds; more are counted in event::attrs_dropped.
inline constexpr std::size_t max_attrs = 3;

/// One attribute: a key (a string with static storage duration, e.g. a
/// literal: only the pointer is kept) and a value held inline. 32 bytes.
struct attribute {
  const char* key;
  char bytes[max_attr_string];
  attr_type type;
  std::uint8_t size;  ///< bytes of a string value

  /// The value as written, for int64 (and the bits of the others).
  [[nodiscard]] std::int64_t as_int64() const noexcept {
    std::int64_t v;
    std::memcpy(&v, bytes, sizeof v);
    return v;
  }
  /// The value of a uint64 attribute.
  [[nodiscard]] std::uint64_t as_uint64() const noexcept {
    std::uint64_t v;
    std::memcpy(&v, bytes, sizeof v);
    return v;
  }
  /// The value of a float64 attribute.
  [[nodiscard]] double as_double() const noexcept {
    double v;
    std::memcpy(&v, bytes, sizeof v);
    return v;
  }
  /// The (possibly truncated) text of a string attribute.
  [[nodiscard]] std::string_view as_string() const noexcept { return {bytes, size}; }
};
static_assert(sizeof(attribute) == 32 && std::is_trivially_copyable_v<attribute>);

/// One recorded event, 128 bytes (two cache lines). In a buffer, begin and
/// end are clock ticks; the events a collector hands out carry nanoseconds
/// of std::chrono::steady_clock (CLOCK_MONOTONIC on Linux).
struct event {
  const char* name;     ///< static storage duration (a literal)
  std::uint64_t begin;  ///< ns; the time of an instant or counter event
  std::uint64_t end;    ///< ns; == begin for instant and counter events
  event_kind kind;
  std::uint8_t attr_count;     ///< attrs[0..attr_count) are set
  std::uint8_t attrs_dropped;  ///< attr() calls beyond max_attrs (saturates at 255)
  std::uint8_t reserved;
  std::uint32_t depth;  ///< 0 for a span with no parent; parent's depth + 1
  attribute attrs[max_attrs];
};
static_assert(sizeof(event) == 128 && std::is_trivially_copyable_v<event>);

namespace detail {

// ===========================================================================
// Clock. On x86-64 with an invariant TSC (CPUID 8000_0007h EDX bit 8: the
// counter runs at a constant rate in every P-, C- and T-state) the recorder
// reads rdtsc, which costs well under half of a steady_clock::now() through
// the vDSO on the machines measured (bench/trace_bench: clock_read/*). Ticks
// become steady_clock nanoseconds at drain time with one rate, measured
// between the registry's creation and the first drain (at least
// calibration_ns apart; the first drain waits for the rest), fixed from then
// on so every export converts the same tick to the same nanosecond.
// ===========================================================================
inline std::uint64_t steady_ns() noexcept { return static_cast<std::uint64_t>(electron::detail::steady_ns()); }

/// The shortest interval over which the counter's rate is measured: about
/// 1 ppm of rate error from readings a few tens of ns wide.
inline constexpr std::uint64_t calibration_ns = 50'000'000;

// Ticks between two events of one thread: a later event always gets a later
// tick, at least min_tick_gap ticks on, so that after conversion (at most
// 16 ticks per ns, i.e. a 16 GHz counter) two events of a thread never share a
// nanosecond and a child span lies strictly inside its parent.
inline constexpr std::uint64_t tsc_min_tick_gap = 16;

// ===========================================================================
// A thread's buffer: a bounded single-producer single-consumer ring of event
// records. The producer is the thread; the consumer is whoever holds the
// registry's mutex (one drain at a time). Full ring: the new event is dropped
// and counted (drop newest), so what a drain hands out of a thread is a
// prefix of its events since the previous drain. A span is written at its
// end, after its children: children may be kept and their parent dropped.
// ===========================================================================
struct producer_side {
  std::atomic<std::uint64_t> head{0};     // events written; written by the thread only
  std::uint64_t tail_cache = 0;           // the thread's last view of tail
  std::atomic<std::uint64_t> dropped{0};  // events refused; written by the thread only
};
struct consumer_side {
  std::atomic<std::uint64_t> tail{0};  // events drained; written by the drainer only
  std::uint64_t dropped_reported = 0;  // under the registry mutex
};
struct thread_buffer {
  cache::padded<producer_side> producer;
  cache::padded<consumer_side> consumer;
  std::atomic<bool> retired{false};  // the thread has exited: no more writes
  std::uint32_t tid = 0;             // 1, 2, 3... in order of first event
  std::uint32_t name_size = 0;       // under the registry mutex
  char name[64] = {};                // under the registry mutex
  thread_buffer* next = nullptr;     // under the registry mutex
  event* slots = nullptr;
  std::uint64_t mask = 0;

  // Producer: append e (its header and the attributes set), or count a drop.
  ELECTRON_ALWAYS_INLINE void push(const event& e) noexcept {
    producer_side& p = *producer;
    const std::uint64_t h = p.head.load(std::memory_order_relaxed);
    if (ELECTRON_UNLIKELY(h - p.tail_cache > mask)) {
      // acquire: the drainer's reads of these slots happen before our writes.
      p.tail_cache = consumer->tail.load(std::memory_order_acquire);
      if (h - p.tail_cache > mask) {
        p.dropped.store(p.dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return;
      }
    }
    // Constant sizes, so both compilers copy inline (a variable size is a
    // call to memcpy with g++).
    void* const slot = &slots[h & mask];
    constexpr std::size_t header = offsetof(event, attrs);
    switch (e.attr_count) {
      case 0:
        std::memcpy(slot, &e, header);
        break;
      case 1:
        std::memcpy(slot, &e, header + sizeof(attribute));
        break;
      case 2:
        std::memcpy(slot, &e, header + 2 * sizeof(attribute));
        break;
      default:
        std::memcpy(slot, &e, sizeof(event));
        break;
    }
    // release: the record is complete before the drainer sees head move.
    p.head.store(h + 1, std::memory_order_release);
  }
};

/// The registry: every thread buffer not yet drained and freed. Never
/// destroyed (threads may record after static destruction began) and not on
/// the heap.
struct registry {
  std::mutex mutex;
  thread_buffer* first = nullptr;
  thread_buffer* last = nullptr;
  std::uint32_t next_tid = 1;
  std::atomic<std::size_t> capacity{8192};           // events per new buffer (a power of two)
  std::atomic<std::uint64_t> unbuffered_dropped{0};  // events with no buffer to go to
  bool tsc = false;
  electron::detail::tsc_pair origin;  // taken at creation
  bool calibrated = false;            // under the mutex
  // Ticks to steady_clock ns, set by calibrate() (under the mutex). A member
  // in every configuration, so the layout does not depend on
  // ELECTRON_TRACE_STEADY_CLOCK.
  electron::detail::tsc_rate rate;

  registry() noexcept {
#if ELECTRON_TRACE_HAS_TSC
    tsc = electron::detail::invariant_tsc();
#endif
    origin = read_pair();
  }

  [[nodiscard]] electron::detail::tsc_pair read_pair() const noexcept {
#if ELECTRON_TRACE_HAS_TSC
    if (tsc) return electron::detail::read_tsc_pair();
#endif
    const std::int64_t ns = electron::detail::steady_ns();
    return {static_cast<std::uint64_t>(ns), ns};
  }

  // Under the mutex. Fixes the tick rate on first use.
  void calibrate() noexcept {
    if (calibrated) return;
    calibrated = true;
#if ELECTRON_TRACE_HAS_TSC
    if (!tsc) return;
    electron::detail::tsc_pair now = read_pair();
    const auto wanted = static_cast<std::int64_t>(calibration_ns);
    if (now.ns - origin.ns < wanted) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(wanted - (now.ns - origin.ns)));
      now = read_pair();
    }
    // The ticks already recorded need this rate, plausible or not.
    static_cast<void>(rate.measure(origin, now, false));
#endif
  }
  // Under the mutex, after calibrate().
  [[nodiscard]] std::uint64_t to_ns(std::uint64_t tick) const noexcept {
#if ELECTRON_TRACE_HAS_TSC
    if (tsc) return static_cast<std::uint64_t>(rate.to_ns(tick));
#endif
    return tick;
  }
};

ELECTRON_VISIBLE inline registry& the_registry() noexcept {
  alignas(registry) static unsigned char storage[sizeof(registry)];
  static registry* r = ::new (static_cast<void*>(storage)) registry;
  return *r;
}

/// A span's link in its thread's current-span stack.
struct span_link {
  span_link* parent;
  std::uint32_t depth;
};

/// A sentinel: the thread has exited (or ran out of memory); its events are
/// counted in registry::unbuffered_dropped.
inline thread_buffer* const no_buffer = reinterpret_cast<thread_buffer*>(std::uintptr_t{1});

// Per-thread state: trivially destructible and constant-initialized, so
// reading it costs a TLS access and no guard.
struct thread_state {
  thread_buffer* buffer = nullptr;
  span_link* current = nullptr;
  std::uint64_t last_tick = 0;
  bool tsc = false;
};
ELECTRON_VISIBLE inline constinit thread_local thread_state t_state{};

// Marks the thread's buffer retired when the thread exits (the buffer stays
// in the registry until drained).
struct retire_at_exit {
  thread_buffer* buffer = nullptr;
  retire_at_exit() noexcept = default;
  retire_at_exit(const retire_at_exit&) = delete;
  retire_at_exit& operator=(const retire_at_exit&) = delete;
  ~retire_at_exit() {
    if (buffer != nullptr) {
      // release: every write of the thread happens before a drainer that
      // sees retired frees the buffer.
      buffer->retired.store(true, std::memory_order_release);
      t_state.buffer = no_buffer;
    }
  }
};
ELECTRON_VISIBLE inline thread_local retire_at_exit t_retire;

inline std::size_t round_capacity(std::size_t n) noexcept {
  n = std::clamp<std::size_t>(n, 2, std::size_t{1} << 24);
  std::size_t c = 2;
  while (c < n) c <<= 1;
  return c;
}

// The thread's first event: its buffer, registered. Allocates.
ELECTRON_NOINLINE inline thread_buffer* attach_thread() noexcept {
  thread_state& ts = t_state;
  if (ts.buffer != nullptr) return ts.buffer;
  registry& r = the_registry();
  ts.tsc = r.tsc;
  const std::size_t cap = round_capacity(r.capacity.load(std::memory_order_relaxed));
  auto* b = new (std::nothrow) thread_buffer;
  event* slots = b != nullptr ? new (std::nothrow) event[cap]() : nullptr;
  if (slots == nullptr) {
    delete b;
    ts.buffer = no_buffer;
    return no_buffer;
  }
  b->slots = slots;
  b->mask = cap - 1;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    b->tid = r.next_tid++;
    char* p = b->name;
    std::memcpy(p, "thread ", 7);
    std::uint32_t n = 7;
    char digits[10];
    std::uint32_t k = 0;
    for (std::uint32_t v = b->tid; v != 0; v /= 10) digits[k++] = static_cast<char>('0' + v % 10);
    while (k != 0) p[n++] = digits[--k];
    b->name_size = n;
    if (r.last != nullptr) {
      r.last->next = b;
    } else {
      r.first = b;
    }
    r.last = b;
  }
  t_retire.buffer = b;
  ts.buffer = b;
  return b;
}

ELECTRON_ALWAYS_INLINE thread_buffer* thread_buffer_for_write() noexcept {
  thread_buffer* b = t_state.buffer;
  if (ELECTRON_UNLIKELY(b == nullptr)) b = attach_thread();
  return b;
}

// The next timestamp of this thread: now, and strictly after the previous one.
ELECTRON_ALWAYS_INLINE std::uint64_t next_tick(thread_state& ts) noexcept {
#if ELECTRON_TRACE_HAS_TSC
  if (ELECTRON_LIKELY(ts.tsc)) {
    std::uint64_t t = electron::detail::read_tsc();
    if (ELECTRON_UNLIKELY(t < ts.last_tick + tsc_min_tick_gap)) t = ts.last_tick + tsc_min_tick_gap;
    ts.last_tick = t;
    return t;
  }
#endif
  std::uint64_t t = steady_ns();
  if (ELECTRON_UNLIKELY(t <= ts.last_tick)) t = ts.last_tick + 1;
  ts.last_tick = t;
  return t;
}

ELECTRON_ALWAYS_INLINE void push_event(thread_buffer* b, const event& e) noexcept {
  if (ELECTRON_LIKELY(b != no_buffer)) {
    b->push(e);
  } else {
    the_registry().unbuffered_dropped.fetch_add(1, std::memory_order_relaxed);
  }
}

// Copies s into a, truncated to max_attr_string bytes at a code point boundary.
inline void set_string_attr(attribute& a, std::string_view s) noexcept {
  std::size_t n = s.size();
  if (n > max_attr_string) {
    n = max_attr_string;
    // Back off continuation bytes (10xxxxxx) so no code point is cut.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u) --n;
  }
  if (n != 0) std::memcpy(a.bytes, s.data(), n);
  a.type = attr_type::string;
  a.size = static_cast<std::uint8_t>(n);
}

}  // namespace detail
}  // namespace trace
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_TRACE_DETAIL_RECORDER_HPP
