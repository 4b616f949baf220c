// SPDX-License-Identifier: MIT
// metrics core: counter increment, histogram record, the clock and the timer,
// against a shared std::atomic counter and prometheus-cpp (Counter::Increment,
// Histogram::Observe) with 1 and 2 threads; and the histogram's relative
// error against exact percentiles (counters of histogram_accuracy/*).
#include "bench_util.hpp"

#include "electron/metrics.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <prometheus/client_metric.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace em = electron::metrics;

namespace {

// Latencies as a server sees them: log-uniform between 100 ns and 10 ms.
constexpr std::size_t sample_count = 4096;  // a power of two (index mask)

const std::vector<std::int64_t>& latencies() {
  static const std::vector<std::int64_t> v = [] {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> d(std::log(100.0), std::log(1e7));
    std::vector<std::int64_t> r(sample_count);
    for (auto& x : r) x = static_cast<std::int64_t>(std::exp(d(rng)));
    return r;
  }();
  return v;
}

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
// Bucket bounds a latency histogram would configure: 100 ns * 2^k up to ~13 ms.
prometheus::Histogram::BucketBoundaries prometheus_bounds() {
  prometheus::Histogram::BucketBoundaries b;
  for (double x = 100.0; x < 2e7; x *= 2.0) b.push_back(x);
  return b;
}
#endif

// ---------------------------------------------------------------------------
// counter increment
// ---------------------------------------------------------------------------

void counter_inc_electron(benchmark::State& state) {
  static em::counter c;
  for (auto _ : state) c.inc();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  electron_bench::keep(c.value());
}

void counter_inc_std_atomic(benchmark::State& state) {
  static std::atomic<std::uint64_t> c{0};
  for (auto _ : state) c.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  electron_bench::keep(c.load(std::memory_order_relaxed));
}

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
void counter_inc_prometheus_cpp(benchmark::State& state) {
  static prometheus::Counter c;
  for (auto _ : state) c.Increment();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  electron_bench::keep(c.Value());
}
#endif

#if defined(__linux__)
// The per-CPU alternative the design was weighed against: a padded cell per
// CPU picked by sched_getcpu (a vDSO call), with fetch_add since two threads
// may share a CPU between preemptions.
void counter_inc_percpu_sched_getcpu(benchmark::State& state) {
  static electron::cache::padded<std::atomic<std::uint64_t>> cells[256];
  for (auto _ : state) {
    const int cpu = sched_getcpu();
    cells[static_cast<unsigned>(cpu) & 255u]->fetch_add(1, std::memory_order_relaxed);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(counter_inc_percpu_sched_getcpu)
    ->Name("counter_inc/percpu_sched_getcpu")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
#endif

BENCHMARK(counter_inc_electron)->Name("counter_inc/electron")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(counter_inc_std_atomic)->Name("counter_inc/std_atomic")->Threads(1)->Threads(2)->UseRealTime();
#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
BENCHMARK(counter_inc_prometheus_cpp)->Name("counter_inc/prometheus_cpp")->Threads(1)->Threads(2)->UseRealTime();
#endif

// ---------------------------------------------------------------------------
// histogram record
// ---------------------------------------------------------------------------

void histogram_record_electron(benchmark::State& state) {
  static em::histogram h;  // 1 ns .. 3.6 s, 3 digits
  const std::vector<std::int64_t>& v = latencies();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 17;
  for (auto _ : state) {
    h.record(v[i]);
    i = (i + 1) & (sample_count - 1);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  electron_bench::keep(h.total_count());
}

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
void histogram_record_prometheus_cpp(benchmark::State& state) {
  static prometheus::Histogram h{prometheus_bounds()};
  const std::vector<std::int64_t>& v = latencies();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 17;
  for (auto _ : state) {
    h.Observe(static_cast<double>(v[i]));
    i = (i + 1) & (sample_count - 1);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
#endif

BENCHMARK(histogram_record_electron)->Name("histogram_record/electron")->Threads(1)->Threads(2)->UseRealTime();
#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
BENCHMARK(histogram_record_prometheus_cpp)
    ->Name("histogram_record/prometheus_cpp")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
#endif

// The read side (a scrape): merge the shards of a default histogram
// (23,552 buckets) recorded by 2 threads, then p50 and p99.
void histogram_snapshot_electron(benchmark::State& state) {
  static em::histogram h;
  static const bool filled = [] {
    auto fill = [] {
      for (const std::int64_t v : latencies()) h.record(v);
    };
    std::thread a(fill);
    std::thread b(fill);
    a.join();
    b.join();
    return true;
  }();
  electron_bench::keep(filled);
  for (auto _ : state) {
    const em::histogram_snapshot s = h.snapshot();
    electron_bench::keep(s.value_at_percentile(50.0));
    electron_bench::keep(s.value_at_percentile(99.0));
  }
}
BENCHMARK(histogram_snapshot_electron)->Name("histogram_snapshot/electron");

// ---------------------------------------------------------------------------
// clock and timer
// ---------------------------------------------------------------------------

void clock_read_electron(benchmark::State& state) {
  for (auto _ : state) electron_bench::keep(em::now_ns());
  state.SetLabel(em::clock_name());
}

void clock_read_steady_clock(benchmark::State& state) {
  for (auto _ : state) electron_bench::keep(std::chrono::steady_clock::now());
}

void timer_scope_electron(benchmark::State& state) {
  static em::histogram h;
  for (auto _ : state) {
    const em::timer t(h);
  }
  state.SetLabel(em::clock_name());
}

BENCHMARK(clock_read_electron)->Name("clock_read/electron");
BENCHMARK(clock_read_steady_clock)->Name("clock_read/steady_clock");
BENCHMARK(timer_scope_electron)->Name("timer_scope/electron");

// ---------------------------------------------------------------------------
// Accuracy: the relative error of p50, p90, p99 and p99.9 against the exact
// percentiles of 1M log-uniform latencies (100 ns .. 10 ms). prometheus-cpp
// has no percentile query; its error is that of Prometheus's
// histogram_quantile (linear interpolation within the bucket) on its buckets.
// ---------------------------------------------------------------------------

constexpr double accuracy_percentiles[] = {50.0, 90.0, 99.0, 99.9};

std::vector<std::int64_t> accuracy_sample() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(std::log(100.0), std::log(1e7));
  std::vector<std::int64_t> r(electron_bench::smoke_run() ? 10'000 : 1'000'000);
  for (auto& x : r) x = static_cast<std::int64_t>(std::exp(d(rng)));
  return r;
}

double exact_percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto rank =
      std::max<std::size_t>(1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5));
  return static_cast<double>(sorted[rank - 1]);
}

void histogram_accuracy_electron(benchmark::State& state) {
  std::vector<std::int64_t> values = accuracy_sample();
  double worst = 0.0;
  for (auto _ : state) {
    em::histogram h;
    for (const std::int64_t v : values) h.record(v);
    const em::histogram_snapshot s = h.snapshot();
    std::sort(values.begin(), values.end());
    worst = 0.0;
    for (const double p : accuracy_percentiles) {
      const double exact = exact_percentile(values, p);
      worst = std::max(worst, std::abs(static_cast<double>(s.value_at_percentile(p)) - exact) / exact);
    }
  }
  state.counters["max_rel_err"] = worst;
}
BENCHMARK(histogram_accuracy_electron)->Name("histogram_accuracy/electron")->Iterations(1);

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
void histogram_accuracy_prometheus_cpp(benchmark::State& state) {
  std::vector<std::int64_t> values = accuracy_sample();
  double worst = 0.0;
  for (auto _ : state) {
    const prometheus::Histogram::BucketBoundaries bounds = prometheus_bounds();
    prometheus::Histogram h{bounds};
    for (const std::int64_t v : values) h.Observe(static_cast<double>(v));
    const prometheus::ClientMetric m = h.Collect();
    std::sort(values.begin(), values.end());
    worst = 0.0;
    const auto total = static_cast<double>(values.size());
    for (const double p : accuracy_percentiles) {
      const double exact = exact_percentile(values, p);
      // histogram_quantile: find the bucket holding rank q * total and
      // interpolate linearly between its bounds.
      const double rank = p / 100.0 * total;
      double lower = 0.0;
      double below = 0.0;
      double estimate = bounds.back();
      for (const auto& b : m.histogram.bucket) {
        const auto cumulative = static_cast<double>(b.cumulative_count);
        if (cumulative >= rank) {
          const double upper = std::isinf(b.upper_bound) ? lower : b.upper_bound;
          estimate = lower + (upper - lower) * (rank - below) / std::max(1.0, cumulative - below);
          break;
        }
        lower = b.upper_bound;
        below = cumulative;
      }
      worst = std::max(worst, std::abs(estimate - exact) / exact);
    }
  }
  state.counters["max_rel_err"] = worst;
}
BENCHMARK(histogram_accuracy_prometheus_cpp)->Name("histogram_accuracy/prometheus_cpp")->Iterations(1);
#endif

}  // namespace
