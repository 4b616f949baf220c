// SPDX-License-Identifier: MIT
// trace: a span's begin and end (span/*), on 1 and 2 threads, against a
// mutex-protected std::vector span recorder, the usual first tracer; the
// clock read alone (clock_read/*), the floor of any span; and the export to
// Chrome Trace Event JSON (export_json/*, MB/s of JSON).
//
// Recording path measured: each bench thread drains the buffers (collector
// discard, every 1024 spans, the drain's cost included in the figure), so
// the buffers never fill and the figures are of the recording path, not of
// the drop path. The mutex recorder likewise clears its vector every 1024
// records (capacity kept), so neither side pays for growth.
#include "bench_util.hpp"

#include "electron/trace.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#if ELECTRON_TRACE_HAS_TSC
#include <x86intrin.h>
#endif

namespace trace = electron::trace;

namespace {

constexpr int drain_every = 1024;

void clock_steady(benchmark::State& state) {
  for (auto _ : state) {
    electron_bench::keep(std::chrono::steady_clock::now());
  }
  state.SetItemsProcessed(state.iterations());
}

#if ELECTRON_TRACE_HAS_TSC
void clock_tsc(benchmark::State& state) {
  for (auto _ : state) {
    electron_bench::keep(__rdtsc());
  }
  state.SetItemsProcessed(state.iterations());
}
#endif

void span_electron(benchmark::State& state) {
  trace::set_enabled(true);
  trace::collector c;
  int n = 0;
  for (auto _ : state) {
    trace::span s("bench");
    if (++n == drain_every) {
      n = 0;
      (void)c.discard();
    }
  }
  (void)c.discard();
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(trace::clock_name());
}

void span_electron_attrs(benchmark::State& state) {
  trace::set_enabled(true);
  trace::collector c;
  int n = 0;
  for (auto _ : state) {
    trace::span s("bench");
    s.attr("n", n).attr("what", "request");
    if (++n == drain_every) {
      n = 0;
      (void)c.discard();
    }
  }
  (void)c.discard();
  state.SetItemsProcessed(state.iterations());
}

void span_electron_off(benchmark::State& state) {
  if (state.thread_index() == 0) trace::set_enabled(false);
  for (auto _ : state) {
    trace::span s("bench");
    electron_bench::clobber();
  }
  if (state.thread_index() == 0) trace::set_enabled(true);
  state.SetItemsProcessed(state.iterations());
}

// The peer: every span end takes a mutex and appends a record to a shared
// vector; begin and end read steady_clock (or, _tsc, the counter electron
// reads, which isolates the recording machinery from the clock).
struct mutex_record {
  const char* name;
  std::uint64_t begin;
  std::uint64_t end;
  std::uint64_t tid;
};
struct mutex_recorder {
  std::mutex mutex;
  std::vector<mutex_record> records;
};
mutex_recorder& the_mutex_recorder() {
  static mutex_recorder r;
  return r;
}

template <bool Tsc>
std::uint64_t peer_now() noexcept {
#if ELECTRON_TRACE_HAS_TSC
  if constexpr (Tsc) return __rdtsc();
#endif
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

template <bool Tsc>
class mutex_span {
 public:
  explicit mutex_span(const char* name, std::uint64_t tid) noexcept
      : m_name(name), m_tid(tid), m_begin(peer_now<Tsc>()) {}
  mutex_span(const mutex_span&) = delete;
  mutex_span& operator=(const mutex_span&) = delete;
  ~mutex_span() {
    const std::uint64_t end = peer_now<Tsc>();
    mutex_recorder& r = the_mutex_recorder();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.records.push_back({m_name, m_begin, end, m_tid});
    if (r.records.size() == drain_every) r.records.clear();
  }

 private:
  const char* m_name;
  std::uint64_t m_tid;
  std::uint64_t m_begin;
};

template <bool Tsc>
void span_mutex_vector(benchmark::State& state) {
  if (state.thread_index() == 0) {
    std::lock_guard<std::mutex> lock(the_mutex_recorder().mutex);
    the_mutex_recorder().records.reserve(drain_every);
  }
  const auto tid = static_cast<std::uint64_t>(state.thread_index()) + 1;
  for (auto _ : state) {
    mutex_span<Tsc> s("bench", tid);
  }
  state.SetItemsProcessed(state.iterations());
}

// Export: 8192 events (spans with 2 attributes, counters, instants: the
// default buffer's capacity) recorded outside the timing, then drained as
// JSON into a sink that counts bytes. The bench runs on the main thread,
// whose buffer has the default capacity whatever ran before.
struct counting_sink {
  std::size_t bytes = 0;
  void append(std::string_view s) noexcept {
    bytes += s.size();
    electron_bench::clobber();
  }
};

void export_json(benchmark::State& state) {
  const int events = electron_bench::smoke_run() ? 1024 : 8192;
  trace::collector c;
  std::size_t total = 0;
  std::uint64_t exported = 0, dropped = 0;
  for (auto _ : state) {
    state.PauseTiming();
    (void)c.discard();
    for (int i = 0; i < events / 4; ++i) {
      trace::span outer("request");
      outer.attr("id", i).attr("path", "/api/v1/items");
      {
        trace::span inner("parse");
        inner.attr("bytes", 1234.5);
      }
      trace::counter("queue_depth", i & 63);
      trace::instant("flush");
    }
    state.ResumeTiming();
    counting_sink sink;
    const trace::drain_stats st = c.write_json(sink);
    exported += st.events;
    dropped += st.dropped;
    total += sink.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(total));
  state.SetItemsProcessed(static_cast<std::int64_t>(exported));
  state.counters["dropped"] = static_cast<double>(dropped);  // 0: every event went out
  state.counters["bytes_per_event"] = exported != 0 ? static_cast<double>(total) / static_cast<double>(exported) : 0;
}

}  // namespace

BENCHMARK(clock_steady)->Name("clock_read/steady_clock");
#if ELECTRON_TRACE_HAS_TSC
BENCHMARK(clock_tsc)->Name("clock_read/tsc");
#endif
BENCHMARK(span_electron)->Name("span/electron")->Threads(1)->Threads(2);
BENCHMARK(span_mutex_vector<false>)->Name("span/mutex_vector")->Threads(1)->Threads(2);
#if ELECTRON_TRACE_HAS_TSC
BENCHMARK(span_mutex_vector<true>)->Name("span/mutex_vector_tsc")->Threads(1)->Threads(2);
#endif
BENCHMARK(span_electron_attrs)->Name("span_attrs/electron")->Threads(1)->Threads(2);
BENCHMARK(span_electron_off)->Name("span_disabled/electron")->Threads(1)->Threads(2);
BENCHMARK(export_json)->Name("export_json/electron")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
