// SPDX-License-Identifier: MIT
// electron/metrics.hpp: counts and latencies recorded at a few nanoseconds
// (namespace electron::metrics).
//
//   counter, counter_f64   monotonic, sharded per thread, summed on read
//   gauge, gauge_f64       one atomic value: set, add, sub
//                          (electron/metrics/counter.hpp)
//   histogram              HdrHistogram-style log-linear buckets, per-thread
//                          shards merged on read; snapshot() for queries
//                          (electron/metrics/histogram.hpp)
//   timer, now_ns          RAII latency into a histogram; the clock is a
//                          calibrated invariant TSC or steady_clock
//                          (electron/metrics/timer.hpp)
//   registry               named families with labels, written in the
//                          Prometheus text format 0.0.4 into any byte sink
//                          (electron/metrics/registry.hpp; the writer itself:
//                          electron/metrics/exposition.hpp)
//   process_collector      the standard process_* metrics; mem_stats(),
//   mem_stats, alloc_stats alloc_stats() (electron/metrics/process.hpp)
//
//   electron::metrics::counter requests;
//   electron::metrics::histogram latency;   // 1 ns .. 3.6 s, 3 digits
//   { electron::metrics::timer t(latency); requests.inc(); serve(); }
//   std::int64_t p99 = latency.value_at_percentile(99.0);
//
// docs/metrics.md has the reference and the measured comparison with a
// shared std::atomic and prometheus-cpp.
#ifndef ELECTRON_METRICS_HPP
#define ELECTRON_METRICS_HPP

#include "electron/metrics/counter.hpp"
#include "electron/metrics/histogram.hpp"
#include "electron/metrics/process.hpp"
#include "electron/metrics/registry.hpp"
#include "electron/metrics/timer.hpp"

#endif  // ELECTRON_METRICS_HPP
