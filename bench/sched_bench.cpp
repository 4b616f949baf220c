// SPDX-License-Identifier: MIT
// electron::sched against serial code and oneTBB on the same work, with the
// same number of threads running tasks (2):
// - fib/<impl>/30: recursive Fibonacci, one task per call above a cutoff;
// - spawn_overhead/<impl>: fib(25) spawning a task at every call (no
//   cutoff), reported as wall time per spawned task (ns_per_task);
// - parallel_for_sum/<impl>/100M: the sum of 100M uint32_t, a body per
//   piece adding into an atomic;
// - parallel_reduce_sum/<impl>/100M: the same sum as a reduction:
//   electron::sched::parallel_reduce, tbb::parallel_reduce, and a
//   hand-written split over std::thread (a thread per slice, started per
//   call, as an application without a pool would write it).
// Both schedulers run on 2 threads in all: the benchmark thread and one
// worker (electron::sched::scheduler(2): the thread that waits counts; TBB: a
// 2-slot task_arena with the global parallelism limited to 2).
#include "bench_util.hpp"
#include "electron/sched.hpp"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_TBB) && !defined(ELECTRON_BENCH_UNDER_TSAN)
#define ELECTRON_SCHED_BENCH_TBB 1
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif

namespace {

namespace es = electron::sched;

constexpr int thread_count = 2;
constexpr int fib_n = 30;
constexpr int fib_cutoff = 16;  // below it, serial calls
constexpr int spawn_n = 25;
#if defined(ELECTRON_BENCH_UNDER_TSAN)
constexpr std::size_t sum_n = 1'000'000;  // TSan's shadow memory: keep the array small
const char* const sum_label = "1M";
#else
constexpr std::size_t sum_n = 100'000'000;
const char* const sum_label = "100M";
#endif
constexpr std::size_t sum_grain = std::size_t{1} << 18;

es::scheduler& electron_scheduler() {
  static es::scheduler s(thread_count);
  return s;
}

long fib_serial(int n) { return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2); }

// Spawns counted by fib_spawning(n): one per call with n >= 2.
std::int64_t spawn_count(int n) { return n < 2 ? 0 : 1 + spawn_count(n - 1) + spawn_count(n - 2); }

long fib_electron(es::scheduler& s, int n, int cutoff) {
  if (n < cutoff || n < 2) return n < cutoff ? fib_serial(n) : n;
  long a = 0;
  es::task_group g(s);
  g.run([&s, &a, n, cutoff] { a = fib_electron(s, n - 1, cutoff); });
  const long b = fib_electron(s, n - 2, cutoff);
  g.wait();
  return a + b;
}

std::vector<std::uint32_t>& sum_input() {
  static std::vector<std::uint32_t> v = [] {
    std::vector<std::uint32_t> x(sum_n);
    std::uint32_t s = 1;
    for (auto& e : x) {
      s = s * 1664525u + 1013904223u;
      e = s >> 8;
    }
    return x;
  }();
  return v;
}
std::uint64_t sum_expected() {
  static const std::uint64_t expect = [] {
    std::uint64_t t = 0;
    for (std::uint32_t e : sum_input()) t += e;
    return t;
  }();
  return expect;
}

// ---- fib with a cutoff -------------------------------------------------------
void fib_serial_bench(benchmark::State& state) {
  for (auto _ : state) {
    int n = fib_n;
    electron_bench::escape(n);  // else the compiler folds fib(30)
    long r = fib_serial(n);
    electron_bench::keep(r);
  }
}
void fib_electron_bench(benchmark::State& state) {
  es::scheduler& s = electron_scheduler();
  const long expect = fib_serial(fib_n);
  for (auto _ : state) {
    long r = 0;
    r = s.execute([&] { return fib_electron(s, fib_n, fib_cutoff); });
    electron_bench::keep(r);
    if (r != expect) state.SkipWithError("wrong result");
  }
}

// ---- spawn overhead: fib(25), a task per call --------------------------------
void spawn_electron_bench(benchmark::State& state) {
  es::scheduler& s = electron_scheduler();
  const std::int64_t tasks = spawn_count(spawn_n);
  double ns = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    long r = 0;
    r = s.execute([&] { return fib_electron(s, spawn_n, 0); });
    electron_bench::keep(r);
    ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["tasks"] = static_cast<double>(tasks);
  state.counters["ns_per_task"] = ns / (static_cast<double>(tasks) * static_cast<double>(state.iterations()));
  state.SetItemsProcessed(tasks * static_cast<std::int64_t>(state.iterations()));
}

// ---- parallel_for sum ---------------------------------------------------------
void sum_serial_bench(benchmark::State& state) {
  const auto& v = sum_input();
  for (auto _ : state) {
    std::uint64_t t = 0;
    for (std::uint32_t e : v) t += e;
    electron_bench::keep(t);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}
void sum_electron_bench(benchmark::State& state) {
  es::scheduler& s = electron_scheduler();
  const auto& v = sum_input();
  const std::uint64_t expect = sum_expected();
  for (auto _ : state) {
    std::atomic<std::uint64_t> total{0};
    es::parallel_for(s, 0, v.size(), sum_grain, [&](std::size_t b, std::size_t e) {
      std::uint64_t t = 0;
      for (std::size_t i = b; i < e; ++i) t += v[i];
      total.fetch_add(t, std::memory_order_relaxed);
    });
    if (total.load() != expect) state.SkipWithError("wrong sum");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}

// ---- parallel_reduce sum --------------------------------------------------------
std::uint64_t slice_sum(const std::vector<std::uint32_t>& v, std::size_t b, std::size_t e) {
  std::uint64_t t = 0;
  for (std::size_t i = b; i < e; ++i) t += v[i];
  return t;
}
void reduce_electron_bench(benchmark::State& state) {
  es::scheduler& s = electron_scheduler();
  const auto& v = sum_input();
  const std::uint64_t expect = sum_expected();
  for (auto _ : state) {
    const std::uint64_t total = es::parallel_reduce(
        s, 0, v.size(), sum_grain, std::uint64_t{0}, [&](std::size_t b, std::size_t e) { return slice_sum(v, b, e); },
        std::plus<>{});
    electron_bench::keep(total);
    if (total != expect) state.SkipWithError("wrong sum");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}
void reduce_std_thread_bench(benchmark::State& state) {
  const auto& v = sum_input();
  const std::uint64_t expect = sum_expected();
  constexpr std::size_t slices = thread_count;
  for (auto _ : state) {
    std::uint64_t partial[slices] = {};
    std::vector<std::thread> helpers;
    const std::size_t step = v.size() / slices;
    for (std::size_t k = 1; k < slices; ++k) {
      helpers.emplace_back(
          [&, k] { partial[k] = slice_sum(v, k * step, k + 1 == slices ? v.size() : (k + 1) * step); });
    }
    partial[0] = slice_sum(v, 0, step);
    for (auto& t : helpers) t.join();
    std::uint64_t total = 0;
    for (std::uint64_t p : partial) total += p;
    electron_bench::keep(total);
    if (total != expect) state.SkipWithError("wrong sum");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}

#if defined(ELECTRON_SCHED_BENCH_TBB)
tbb::task_arena& tbb_arena() {
  static tbb::task_arena arena(thread_count);
  return arena;
}

long fib_tbb(int n, int cutoff) {
  if (n < cutoff || n < 2) return n < cutoff ? fib_serial(n) : n;
  long a = 0;
  tbb::task_group g;
  g.run([&a, n, cutoff] { a = fib_tbb(n - 1, cutoff); });
  const long b = fib_tbb(n - 2, cutoff);
  g.wait();
  return a + b;
}

void fib_tbb_bench(benchmark::State& state) {
  const long expect = fib_serial(fib_n);
  for (auto _ : state) {
    long r = 0;
    tbb_arena().execute([&] { r = fib_tbb(fib_n, fib_cutoff); });
    electron_bench::keep(r);
    if (r != expect) state.SkipWithError("wrong result");
  }
}

void spawn_tbb_bench(benchmark::State& state) {
  const std::int64_t tasks = spawn_count(spawn_n);
  double ns = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    long r = 0;
    tbb_arena().execute([&] { r = fib_tbb(spawn_n, 0); });
    electron_bench::keep(r);
    ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["tasks"] = static_cast<double>(tasks);
  state.counters["ns_per_task"] = ns / (static_cast<double>(tasks) * static_cast<double>(state.iterations()));
  state.SetItemsProcessed(tasks * static_cast<std::int64_t>(state.iterations()));
}

void sum_tbb_bench(benchmark::State& state) {
  const auto& v = sum_input();
  const std::uint64_t expect = sum_expected();
  for (auto _ : state) {
    std::atomic<std::uint64_t> total{0};
    tbb_arena().execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, v.size(), sum_grain),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          std::uint64_t t = 0;
                          for (std::size_t i = r.begin(); i < r.end(); ++i) t += v[i];
                          total.fetch_add(t, std::memory_order_relaxed);
                        });
    });
    if (total.load() != expect) state.SkipWithError("wrong sum");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}

void reduce_tbb_bench(benchmark::State& state) {
  const auto& v = sum_input();
  const std::uint64_t expect = sum_expected();
  for (auto _ : state) {
    std::uint64_t total = 0;
    tbb_arena().execute([&] {
      total = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, v.size(), sum_grain), std::uint64_t{0},
          [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t acc) {
            return acc + slice_sum(v, r.begin(), r.end());
          },
          std::plus<>{});
    });
    electron_bench::keep(total);
    if (total != expect) state.SkipWithError("wrong sum");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(sum_n * 4));
}
#endif

}  // namespace

int main(int argc, char** argv) {
#if defined(ELECTRON_SCHED_BENCH_TBB)
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, thread_count);
#endif
  const std::string fib_arg = "/" + std::to_string(fib_n);
  const std::string sum_arg = std::string("/") + sum_label;
  benchmark::RegisterBenchmark(("fib/serial" + fib_arg).c_str(), fib_serial_bench);
  benchmark::RegisterBenchmark(("fib/electron" + fib_arg).c_str(), fib_electron_bench)->UseRealTime();
#if defined(ELECTRON_SCHED_BENCH_TBB)
  benchmark::RegisterBenchmark(("fib/tbb_task_group" + fib_arg).c_str(), fib_tbb_bench)->UseRealTime();
#endif
  benchmark::RegisterBenchmark("spawn_overhead/electron", spawn_electron_bench)->UseRealTime();
#if defined(ELECTRON_SCHED_BENCH_TBB)
  benchmark::RegisterBenchmark("spawn_overhead/tbb", spawn_tbb_bench)->UseRealTime();
#endif
  benchmark::RegisterBenchmark(("parallel_for_sum/serial" + sum_arg).c_str(), sum_serial_bench)->UseRealTime();
  benchmark::RegisterBenchmark(("parallel_for_sum/electron" + sum_arg).c_str(), sum_electron_bench)->UseRealTime();
#if defined(ELECTRON_SCHED_BENCH_TBB)
  benchmark::RegisterBenchmark(("parallel_for_sum/tbb_parallel_for" + sum_arg).c_str(), sum_tbb_bench)->UseRealTime();
#endif
  benchmark::RegisterBenchmark(("parallel_reduce_sum/electron" + sum_arg).c_str(), reduce_electron_bench)
      ->UseRealTime();
  benchmark::RegisterBenchmark(("parallel_reduce_sum/std_thread" + sum_arg).c_str(), reduce_std_thread_bench)
      ->UseRealTime();
#if defined(ELECTRON_SCHED_BENCH_TBB)
  benchmark::RegisterBenchmark(("parallel_reduce_sum/tbb_parallel_reduce" + sum_arg).c_str(), reduce_tbb_bench)
      ->UseRealTime();
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
