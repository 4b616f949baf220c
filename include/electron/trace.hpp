// SPDX-License-Identifier: MIT
// electron/trace.hpp: electron::trace, spans, instant events and counters
// recorded into per-thread buffers at a few tens of nanoseconds, drained by a
// collector and exported as Chrome Trace Event JSON, which the Perfetto UI
// (ui.perfetto.dev) and chrome://tracing open.
//
//   void handle(request& r) {
//     electron::trace::span s("handle");      // begins now, ends at scope exit
//     s.attr("bytes", r.size());
//     { electron::trace::span p("parse"); parse(r); }   // a child of "handle"
//     electron::trace::counter("queue_depth", q.size());
//   }
//   ...
//   electron::trace::collector c;
//   c.write_json_file("trace.json");         // drains every thread's buffer
//
// Guarantees:
// - Recording allocates only on a thread's first event (its buffer), never
//   throws, takes no lock, and never blocks: a full buffer drops the new
//   event and counts it (drop newest). Counts of dropped events go into the
//   export; nothing is lost silently.
// - Within a thread, timestamps strictly increase (two readings that the
//   clock gives the same value are moved apart), so a child span always lies
//   strictly inside its parent, as the viewers need.
// - Names and attribute keys are kept by pointer: pass string literals (or
//   strings that outlive the export). String attribute values are copied,
//   at most max_attr_string bytes (truncated at a UTF-8 boundary).
// - ELECTRON_TRACE_DISABLED (defined before the include) turns span,
//   instant and counter into empty inline functions: no code, no events.
//   set_enabled(false) turns recording off at run time: each call is then one
//   relaxed load and a branch.
#ifndef ELECTRON_TRACE_HPP
#define ELECTRON_TRACE_HPP

#include "electron/config.hpp"
#include "electron/encoding/json_writer.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/io/writer.hpp"
#include "electron/trace/detail/recorder.hpp"

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <system_error>
#include <type_traits>

#if __has_include(<unistd.h>)
#include <unistd.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace trace {

// ===========================================================================
// Switches
// ===========================================================================

namespace detail {
ELECTRON_VISIBLE inline std::atomic<bool> g_enabled{true};
}  // namespace detail

/// Turns recording on or off for every thread (on at start). Spans begun
/// while on are recorded when they end. Thread-safe.
inline void set_enabled(bool on) noexcept { detail::g_enabled.store(on, std::memory_order_relaxed); }
/// Whether recording is on: one relaxed load.
[[nodiscard]] ELECTRON_ALWAYS_INLINE bool enabled() noexcept {
  return detail::g_enabled.load(std::memory_order_relaxed);
}

/// Capacity, in events, of the buffers of threads that record their first
/// event from now on (rounded up to a power of two, 2 to 2^24; 8192 at
/// start: 1 MiB per thread). Thread-safe.
inline void set_buffer_capacity(std::size_t events) noexcept {
  detail::the_registry().capacity.store(events, std::memory_order_relaxed);
}

/// "tsc" or "steady_clock": the clock the recorder reads. Exported times are
/// steady_clock nanoseconds either way (see docs/trace.md).
[[nodiscard]] inline const char* clock_name() noexcept { return detail::the_registry().tsc ? "tsc" : "steady_clock"; }

/// Names the calling thread in exports (thread_name metadata; "thread <tid>"
/// by default). At most 63 bytes are kept. Creates the thread's buffer if it
/// has none. Takes the registry's lock.
inline void set_thread_name(std::string_view name) noexcept {
  detail::thread_buffer* b = detail::thread_buffer_for_write();
  if (b == detail::no_buffer) return;
  detail::registry& r = detail::the_registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  const std::size_t n = std::min<std::size_t>(name.size(), sizeof b->name - 1);
  if (n != 0) std::memcpy(b->name, name.data(), n);
  b->name_size = static_cast<std::uint32_t>(n);
}

/// The values attr() takes: integers, floating-point numbers and strings.
template <class T>
concept attr_value = std::integral<T> || std::floating_point<T> || std::convertible_to<T, std::string_view>;

namespace detail {
template <attr_value T>
ELECTRON_ALWAYS_INLINE void set_attr(event& e, const char* key, const T& v) noexcept {
  if (ELECTRON_UNLIKELY(e.attr_count == max_attrs)) {
    if (e.attrs_dropped != 255) ++e.attrs_dropped;
    return;
  }
  attribute& a = e.attrs[e.attr_count++];
  a.key = key;
  if constexpr (std::same_as<T, bool> || (std::integral<T> && std::is_signed_v<T>)) {
    const auto x = static_cast<std::int64_t>(v);
    std::memcpy(a.bytes, &x, sizeof x);
    a.type = attr_type::int64;
  } else if constexpr (std::integral<T>) {
    const auto x = static_cast<std::uint64_t>(v);
    std::memcpy(a.bytes, &x, sizeof x);
    a.type = attr_type::uint64;
  } else if constexpr (std::floating_point<T>) {
    const auto x = static_cast<double>(v);
    std::memcpy(a.bytes, &x, sizeof x);
    a.type = attr_type::float64;
  } else {
    set_string_attr(a, std::string_view(v));
  }
}

// An instant (nested one deeper than the thread's open span) or a counter
// (depth 0) event, stamped now, with the attributes set_attrs(e) sets.
template <class F>
ELECTRON_ALWAYS_INLINE void record_point(const char* name, event_kind kind, F&& set_attrs) noexcept {
  if (!enabled()) return;
  thread_buffer* b = thread_buffer_for_write();
  thread_state& ts = t_state;
  event e;
  e.name = name;
  e.kind = kind;
  e.attr_count = 0;
  e.attrs_dropped = 0;
  e.reserved = 0;
  e.depth = kind == event_kind::instant && ts.current != nullptr ? ts.current->depth + 1 : 0;
  set_attrs(e);
  e.begin = e.end = next_tick(ts);
  push_event(b, e);
}
}  // namespace detail

// ===========================================================================
// Recording. Two definitions, in inline namespaces of different names, so a
// TU built with ELECTRON_TRACE_DISABLED and one built without can be linked
// together (different entities, no ODR clash).
// ===========================================================================
#if !defined(ELECTRON_TRACE_DISABLED)
inline namespace recording {

/// A span: begins at construction, ends at destruction (or end()), and is
/// then written as one complete event to the thread's buffer. Its parent is
/// the thread's innermost open span (or, for child(), the span it was made
/// from). Spans of a thread end in the reverse order of their beginning
/// (RAII does this) and on the thread that began them. Not copyable or
/// movable; child() returns one by guaranteed elision.
///   trace::span s("load");  s.attr("file", path);  auto c = s.child("decode");
class span {
 public:
  /// Begins a span named `name` (a string with static storage duration).
  ELECTRON_ALWAYS_INLINE explicit span(const char* name) noexcept {
    if (!enabled()) {
      m_buffer = nullptr;
      return;
    }
    begin(name, detail::t_state.current);
  }
  span(const span&) = delete;
  span& operator=(const span&) = delete;
  /// end().
  ELECTRON_ALWAYS_INLINE ~span() { end(); }

  /// A span that begins now as a child of this one (depth + 1), also when
  /// this span is not the thread's innermost. Not recorded when this span
  /// is not.
  [[nodiscard]] span child(const char* name) noexcept { return span(name, *this); }

  /// Adds an attribute (key: static storage duration). Integers (bool as
  /// 0/1), floating-point numbers (as double) and strings (copied, at most
  /// max_attr_string bytes). Beyond max_attrs attributes, counted in the
  /// event's attrs_dropped and exported as the arg "attrs_dropped". No
  /// allocation.
  template <attr_value T>
  ELECTRON_ALWAYS_INLINE span& attr(const char* key, const T& value) noexcept {
    if (m_buffer != nullptr) detail::set_attr(m_event, key, value);
    return *this;
  }

  /// Ends the span now and records it; later calls do nothing.
  ELECTRON_ALWAYS_INLINE void end() noexcept {
    if (m_buffer == nullptr) return;
    detail::thread_state& ts = detail::t_state;
    ELECTRON_ASSERT(ts.current == &m_link, "trace::span ended out of order or on another thread");
    m_event.end = detail::next_tick(ts);
    ts.current = m_link.parent;
    detail::push_event(m_buffer, m_event);
    m_buffer = nullptr;
  }

  /// Whether the span is recording (began while enabled() and not ended).
  [[nodiscard]] bool active() const noexcept { return m_buffer != nullptr; }
  /// 0 for a span with no parent.
  [[nodiscard]] std::uint32_t depth() const noexcept { return m_link.depth; }

 private:
  span(const char* name, span& parent) noexcept {
    if (parent.m_buffer == nullptr) {
      m_buffer = nullptr;
      return;
    }
    begin(name, &parent.m_link);
  }
  ELECTRON_ALWAYS_INLINE void begin(const char* name, detail::span_link* parent) noexcept {
    m_buffer = detail::thread_buffer_for_write();
    detail::thread_state& ts = detail::t_state;
    m_link.parent = ts.current;
    m_link.depth = parent != nullptr ? parent->depth + 1 : 0;
    ts.current = &m_link;
    m_event.name = name;
    m_event.kind = event_kind::complete;
    m_event.attr_count = 0;
    m_event.attrs_dropped = 0;
    m_event.reserved = 0;
    m_event.depth = m_link.depth;
    m_event.begin = detail::next_tick(ts);
  }

  detail::thread_buffer* m_buffer;
  detail::span_link m_link;
  event m_event;
};

/// Records an instant event (a point in time on this thread, "ph":"i").
ELECTRON_ALWAYS_INLINE void instant(const char* name) noexcept {
  detail::record_point(name, event_kind::instant, [](event&) noexcept {});
}
/// An instant event with one attribute.
template <attr_value T>
ELECTRON_ALWAYS_INLINE void instant(const char* name, const char* key, const T& value) noexcept {
  detail::record_point(name, event_kind::instant, [&](event& e) noexcept { detail::set_attr(e, key, value); });
}

/// Records a counter sample ("ph":"C", args {"value": v}); the viewers draw
/// one track per counter name.
template <class T>
requires(std::integral<T> || std::floating_point<T>) ELECTRON_ALWAYS_INLINE
    void counter(const char* name, T value) noexcept {
  detail::record_point(name, event_kind::counter, [&](event& e) noexcept { detail::set_attr(e, "value", value); });
}

}  // namespace recording
#else
inline namespace disabled {

/// ELECTRON_TRACE_DISABLED: an empty span; every call compiles to nothing.
class span {
 public:
  constexpr explicit span(const char*) noexcept {}
  // User-provided (and empty) so that `span s("x");` draws no unused-variable
  // warning in disabled builds.
  constexpr ~span() {}  // NOLINT(modernize-use-equals-default)
  span(const span&) = delete;
  span& operator=(const span&) = delete;
  [[nodiscard]] constexpr span child(const char*) const noexcept { return span(nullptr); }
  template <attr_value T>
  constexpr span& attr(const char*, const T&) noexcept {
    return *this;
  }
  constexpr void end() noexcept {}
  [[nodiscard]] constexpr bool active() const noexcept { return false; }
  [[nodiscard]] constexpr std::uint32_t depth() const noexcept { return 0; }
};
constexpr void instant(const char*) noexcept {}
template <attr_value T>
constexpr void instant(const char*, const char*, const T&) noexcept {}
template <class T>
requires(std::integral<T> || std::floating_point<T>) constexpr void counter(const char*, T) noexcept {}

}  // namespace disabled
#endif

// ===========================================================================
// Collecting
// ===========================================================================

/// A recording thread as a collector reports it.
struct thread_info {
  std::uint32_t tid;      ///< 1, 2, 3... in order of the threads' first events
  std::string_view name;  ///< valid during the visit only
  bool exited;            ///< the thread has exited (its buffer is freed once drained)
};

/// What a drain or an export handled.
struct drain_stats {
  std::uint64_t events = 0;   ///< events handed out (written)
  std::uint64_t dropped = 0;  ///< events dropped since the previous drain (full buffers and unbuffered_dropped)
  std::uint32_t threads = 0;  ///< buffers visited
  std::uint64_t unbuffered_dropped = 0;  ///< of dropped: events of threads with no buffer
};

/// Options of collector::write_json.
struct json_export_options {
  /// The "pid" of every event (0: the process id where the system has one, else 1).
  std::uint64_t pid = 0;
  /// Name given in a process_name metadata event (none when empty).
  std::string_view process_name = {};
};

/// Drains the buffers of every thread. Drains are serialized (one at a time,
/// under the registry's lock, which a thread also takes for its first event
/// and set_thread_name); threads keep recording meanwhile, lock-free. Each
/// event is handed out by exactly one drain.
class collector {
 public:
  /// Hands each buffered event to visit(const thread_info&, const event&),
  /// thread by thread in order of tid, each thread's events in the order
  /// they were recorded (a span is recorded when it ends), with times in
  /// steady_clock nanoseconds. Frees the buffers of exited threads once
  /// empty. Memory: one event at a time. visit must not record trace events
  /// or call the collector.
  template <class F>
  drain_stats drain(F&& visit) {
    return drain_impl(visit, [](const thread_info&, std::uint64_t) {});
  }

  /// Drains every buffer into `sink` as one Chrome Trace Event JSON object
  /// (the "JSON Object Format"):
  ///   {"traceEvents":[...],"displayTimeUnit":"ns","otherData":{...}}
  /// Events: a thread_name metadata event per thread ("ph":"M"), a complete
  /// event per span ("ph":"X", ts and dur in microseconds with three
  /// decimals, i.e. exact nanoseconds), "ph":"i" instants ("s":"t"),
  /// "ph":"C" counters, attributes as "args". A thread whose buffer
  /// overflowed since the previous drain gets an instant event
  /// "trace_events_dropped" with args {"count": n} at the time of the drain;
  /// otherData holds "clock", "dropped_events" (the total) and
  /// "exported_events". Streamed: memory stays bounded by json_writer's
  /// window and the sink's own buffer.
  template <encoding::byte_sink S>
  drain_stats write_json(S& sink, const json_export_options& options = {}) {
    encoding::json_options jo;
    jo.non_finite = encoding::json_non_finite::null;
    encoding::json_writer<S> w(sink, jo);
    const std::uint64_t pid = options.pid != 0 ? options.pid : default_pid();
    w.begin_object();
    w.key("traceEvents");
    w.begin_array();
    if (!options.process_name.empty()) {
      w.begin_object();
      w.write("name", "process_name");
      w.write("ph", "M");
      w.write("pid", pid);
      w.write("tid", 0);
      w.key("args");
      w.begin_object();
      w.write("name", options.process_name);
      w.end_object();
      w.end_object();
    }
    std::uint32_t last_tid = 0;
    std::uint64_t last_ns = 0;  // of the thread last_tid
    std::uint64_t max_ns = 0;
    char buf[32];
    drain_stats stats = drain_impl(
        [&](const thread_info& t, const event& e) {
          if (t.tid != last_tid) {
            last_tid = t.tid;
            last_ns = 0;
            write_thread_name(w, pid, t);
          }
          last_ns = std::max(last_ns, e.end);
          max_ns = std::max(max_ns, e.end);
          write_event(w, pid, t.tid, e);
        },
        [&](const thread_info& t, std::uint64_t n) {
          if (t.tid != last_tid) {
            last_tid = t.tid;
            last_ns = 0;
            write_thread_name(w, pid, t);
          }
          // After the thread's last exported event, so its time still increases.
          last_ns = std::max(last_ns + 1, detail::steady_ns());
          max_ns = std::max(max_ns, last_ns);
          write_dropped(w, pid, t.tid, "t", micros(buf, last_ns), n);
        });
    if (stats.unbuffered_dropped != 0) {
      write_dropped(w, pid, 0, "p", micros(buf, std::max(max_ns + 1, detail::steady_ns())), stats.unbuffered_dropped);
    }
    w.end_array();
    w.write("displayTimeUnit", "ns");
    w.key("otherData");
    w.begin_object();
    w.write("clock", clock_name());
    w.write("exported_events", stats.events);
    w.write("dropped_events", stats.dropped);
    w.write("version", "electron::trace 1");
    w.end_object();
    w.end_object();
    w.finish();
    return stats;
  }

  /// write_json into the file at `path` (created or truncated), through an
  /// io::writer with a 64 KiB buffer. Returns the first I/O error.
  std::error_code write_json_file(const char* path, const json_export_options& options = {},
                                  drain_stats* stats = nullptr) {
    std::FILE* f = std::fopen(path, "wb");
    if (f == nullptr) return std::error_code(errno != 0 ? errno : EIO, std::generic_category());
    std::error_code ec;
    {
      io::writer<io::file_output> out{io::file_output(f)};
      const drain_stats s = write_json(out, options);
      if (stats != nullptr) *stats = s;
      ec = out.flush();
    }
    if (std::fclose(f) != 0 && !ec) ec = std::error_code(errno != 0 ? errno : EIO, std::generic_category());
    return ec;
  }

  /// Drops every buffered event unseen (counted in no export). Returns how
  /// many were discarded and dropped.
  drain_stats discard() {
    return drain([](const thread_info&, const event&) {});
  }

 private:
  static std::uint64_t default_pid() noexcept {
#if __has_include(<unistd.h>)
    return static_cast<std::uint64_t>(::getpid());
#else
    return 1;
#endif
  }

  // Exact nanoseconds as microseconds with three decimals ("12.345").
  static std::string_view micros(char (&buf)[32], std::uint64_t ns) noexcept {
    char* p = buf + sizeof buf;
    std::uint64_t frac = ns % 1000;
    for (int i = 0; i < 3; ++i) {
      *--p = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    *--p = '.';
    std::uint64_t us = ns / 1000;
    do {
      *--p = static_cast<char>('0' + us % 10);
      us /= 10;
    } while (us != 0);
    return {p, static_cast<std::size_t>(buf + sizeof buf - p)};
  }

  template <class W>
  static void write_thread_name(W& w, std::uint64_t pid, const thread_info& t) {
    w.begin_object();
    w.write("name", "thread_name");
    w.write("ph", "M");
    w.write("pid", pid);
    w.write("tid", t.tid);
    w.key("args");
    w.begin_object();
    w.write("name", t.name);
    w.end_object();
    w.end_object();
  }

  template <class W>
  static void write_event(W& w, std::uint64_t pid, std::uint32_t tid, const event& e) {
    char buf[32];
    w.begin_object();
    w.write("name", e.name != nullptr ? std::string_view(e.name) : std::string_view());
    switch (e.kind) {
      case event_kind::complete:
        w.write("ph", "X");
        break;
      case event_kind::instant:
        w.write("ph", "i");
        w.write("s", "t");
        break;
      case event_kind::counter:
        w.write("ph", "C");
        break;
    }
    w.write("pid", pid);
    w.write("tid", tid);
    w.key("ts");
    w.raw(micros(buf, e.begin));
    if (e.kind == event_kind::complete) {
      w.key("dur");
      w.raw(micros(buf, e.end - e.begin));
    }
    if (e.attr_count != 0 || e.attrs_dropped != 0) {
      w.key("args");
      w.begin_object();
      for (std::size_t i = 0; i < e.attr_count && i < max_attrs; ++i) {
        const attribute& a = e.attrs[i];
        w.key(a.key != nullptr ? std::string_view(a.key) : std::string_view());
        switch (a.type) {
          case attr_type::int64:
            w.number(a.as_int64());
            break;
          case attr_type::uint64:
            w.number(a.as_uint64());
            break;
          case attr_type::float64:
            w.number(a.as_double());
            break;
          case attr_type::string:
            w.string(a.as_string());
            break;
        }
      }
      if (e.attrs_dropped != 0) w.write("attrs_dropped", e.attrs_dropped);
      w.end_object();
    }
    w.end_object();
  }

  template <class W>
  static void write_dropped(W& w, std::uint64_t pid, std::uint32_t tid, std::string_view scope, std::string_view ts,
                            std::uint64_t n) {
    w.begin_object();
    w.write("name", "trace_events_dropped");
    w.write("ph", "i");
    w.write("s", scope);
    w.write("pid", pid);
    w.write("tid", tid);
    w.key("ts");
    w.raw(ts);
    w.key("args");
    w.begin_object();
    w.write("count", n);
    w.end_object();
    w.end_object();
  }

  template <class F, class D>
  drain_stats drain_impl(F&& visit, D&& on_drop) {
    detail::registry& r = detail::the_registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.calibrate();
    drain_stats stats;
    stats.unbuffered_dropped = r.unbuffered_dropped.exchange(0, std::memory_order_relaxed);
    stats.dropped = stats.unbuffered_dropped;
    detail::thread_buffer* prev = nullptr;
    for (detail::thread_buffer* b = r.first; b != nullptr;) {
      ++stats.threads;
      // acquire, and before reading head: once retired is seen, head is final.
      const bool exited = b->retired.load(std::memory_order_acquire);
      const thread_info info{b->tid, std::string_view(b->name, b->name_size), exited};
      const std::uint64_t head = b->producer->head.load(std::memory_order_acquire);
      std::uint64_t tail = b->consumer->tail.load(std::memory_order_relaxed);
      while (tail != head) {
        event e;
        std::memcpy(static_cast<void*>(&e), &b->slots[tail & b->mask], sizeof e);
        e.begin = r.to_ns(e.begin);
        e.end = r.to_ns(e.end);
        ++tail;
        ++stats.events;
        // release: our read of the slot happens before the thread reuses it.
        b->consumer->tail.store(tail, std::memory_order_release);
        visit(info, static_cast<const event&>(e));
      }
      const std::uint64_t dropped = b->producer->dropped.load(std::memory_order_relaxed);
      const std::uint64_t new_drops = dropped - b->consumer->dropped_reported;
      b->consumer->dropped_reported = dropped;
      stats.dropped += new_drops;
      if (new_drops != 0) on_drop(info, new_drops);
      detail::thread_buffer* const next = b->next;
      if (exited) {
        // The thread is gone and its last event is drained: free the buffer.
        if (prev != nullptr) {
          prev->next = next;
        } else {
          r.first = next;
        }
        if (r.last == b) r.last = prev;
        delete[] b->slots;
        delete b;
      } else {
        prev = b;
      }
      b = next;
    }
    return stats;
  }
};

}  // namespace trace
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_TRACE_HPP
