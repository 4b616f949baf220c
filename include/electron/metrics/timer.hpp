// SPDX-License-Identifier: MIT
// electron/metrics/timer.hpp: the metrics clock (a calibrated invariant TSC
// on x86, else std::chrono::steady_clock) and an RAII timer that records
// elapsed nanoseconds into a histogram.
#ifndef ELECTRON_METRICS_TIMER_HPP
#define ELECTRON_METRICS_TIMER_HPP

#include "electron/config.hpp"
#include "electron/detail/tsc.hpp"
#include "electron/metrics/histogram.hpp"

#include <chrono>
#include <cstdint>

#if ELECTRON_DETAIL_HAVE_TSC && !defined(ELECTRON_METRICS_STEADY_CLOCK)
#define ELECTRON_METRICS_HAVE_TSC 1
#else
#define ELECTRON_METRICS_HAVE_TSC 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {

[[nodiscard]] inline std::int64_t steady_ns() noexcept { return electron::detail::steady_ns(); }

struct tsc_clock {
  bool use_tsc = false;
  electron::detail::tsc_rate rate;  // ticks to steady_clock nanoseconds
};

// Calibrates the TSC against steady_clock over about 10 ms (paired readings,
// electron/detail/tsc.hpp: a few ppm of rate error). An implausible rate (a
// hypervisor that traps rdtsc badly) leaves steady_clock in use.
inline tsc_clock calibrate_tsc() noexcept {
  tsc_clock c;
  if (!electron::detail::invariant_tsc()) return c;
  const electron::detail::tsc_pair from = electron::detail::read_tsc_pair();
  while (electron::detail::steady_ns() - from.ns < 10'000'000) {
  }
  c.use_tsc = c.rate.measure(from, electron::detail::read_tsc_pair());
  return c;
}

inline const tsc_clock& metrics_clock() noexcept {
#if ELECTRON_METRICS_HAVE_TSC
  static const tsc_clock c = calibrate_tsc();
#else
  static const tsc_clock c{};
#endif
  return c;
}

}  // namespace detail

/// The metrics clock, in nanoseconds on steady_clock's epoch: the TSC
/// converted with a multiply and a shift when it is invariant (x86 with
/// CPUID's invariant-TSC bit; calibrated against steady_clock over 10 ms on
/// the first call), else steady_clock itself. Define
/// ELECTRON_METRICS_STEADY_CLOCK to always use steady_clock. Thread-safe;
/// noexcept. Monotonic on one thread; across threads as far as the cores'
/// TSCs agree (they are synchronised on current x86 systems).
[[nodiscard]] inline std::int64_t now_ns() noexcept {
#if ELECTRON_METRICS_HAVE_TSC
  const detail::tsc_clock& c = detail::metrics_clock();
  if (ELECTRON_LIKELY(c.use_tsc)) return c.rate.to_ns(electron::detail::read_tsc());
#endif
  return detail::steady_ns();
}

/// "tsc" or "steady_clock": the clock now_ns() reads.
[[nodiscard]] inline const char* clock_name() noexcept {
  return detail::metrics_clock().use_tsc ? "tsc" : "steady_clock";
}

/// The calibrated TSC rate in ticks per second, or 0 when now_ns() reads
/// steady_clock.
[[nodiscard]] inline double tsc_ticks_per_second() noexcept { return detail::metrics_clock().rate.ticks_per_second; }

/// Records the nanoseconds between its construction and its destruction (or
/// stop()) into a histogram. Not copyable or movable; noexcept.
///
///   { electron::metrics::timer t(latency); handle(request); }  // recorded here
class timer {
 public:
  explicit timer(histogram& h) noexcept : m_histogram(&h), m_start(now_ns()) {}
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;
  ~timer() { static_cast<void>(stop()); }

  /// Records the elapsed time (once; later calls record nothing and return
  /// 0) and returns it in nanoseconds.
  std::int64_t stop() noexcept {
    if (m_histogram == nullptr) return 0;
    const std::int64_t e = elapsed_ns();
    m_histogram->record(e);
    m_histogram = nullptr;
    return e;
  }

  /// Disarms the timer: nothing is recorded.
  void cancel() noexcept { m_histogram = nullptr; }

  /// Nanoseconds since construction (0 if the clock stepped back across
  /// cores).
  [[nodiscard]] std::int64_t elapsed_ns() const noexcept {
    const std::int64_t e = now_ns() - m_start;
    return e > 0 ? e : 0;
  }

 private:
  histogram* m_histogram;
  std::int64_t m_start;
};

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_TIMER_HPP
