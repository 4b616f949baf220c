// SPDX-License-Identifier: MIT
// electron/metrics/timer.hpp: the metrics clock (a calibrated invariant TSC
// on x86, else std::chrono::steady_clock) and an RAII timer that records
// elapsed nanoseconds into a histogram.
#ifndef ELECTRON_METRICS_TIMER_HPP
#define ELECTRON_METRICS_TIMER_HPP

#include "electron/config.hpp"
#include "electron/metrics/histogram.hpp"

#include <chrono>
#include <cstdint>

#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__)) && !defined(ELECTRON_METRICS_STEADY_CLOCK)
#include <cpuid.h>
#include <x86intrin.h>
#define ELECTRON_METRICS_HAVE_TSC 1
#else
#define ELECTRON_METRICS_HAVE_TSC 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {

[[nodiscard]] inline std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The TSC's conversion to steady_clock nanoseconds:
// ns = steady0 + ((tsc - tsc0) * mult) >> 32.
#if ELECTRON_METRICS_HAVE_TSC
__extension__ using int128 = __int128;
#endif

struct tsc_clock {
  bool use_tsc = false;
  std::uint64_t tsc0 = 0;
  std::int64_t steady0 = 0;
  std::uint64_t mult = 0;  // nanoseconds per tick, times 2^32
  double ticks_per_second = 0.0;
};

#if ELECTRON_METRICS_HAVE_TSC
// CPUID 0x80000007 EDX bit 8: the TSC ticks at a constant rate in every
// P-, C- and T-state (Intel SDM vol. 3 section 17.17; AMD APM vol. 3), so it
// can be a clock.
inline bool invariant_tsc() noexcept {
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  if (__get_cpuid(0x80000000u, &a, &b, &c, &d) == 0 || a < 0x80000007u) return false;
  if (__get_cpuid(0x80000007u, &a, &b, &c, &d) == 0) return false;
  return ((d >> 8) & 1u) != 0;
}

// Calibrates the TSC against steady_clock over about 10 ms (the two clocks
// are read back to back; their skew, tens of nanoseconds, is a few parts per
// million of the interval). Refuses implausible rates (a hypervisor that
// traps rdtsc badly): steady_clock is then used.
inline tsc_clock calibrate_tsc() noexcept {
  tsc_clock c;
  if (!invariant_tsc()) return c;
  const std::int64_t s0 = steady_ns();
  const std::uint64_t t0 = __rdtsc();
  std::int64_t s1 = s0;
  std::uint64_t t1 = t0;
  while (s1 - s0 < 10'000'000) {
    s1 = steady_ns();
    t1 = __rdtsc();
  }
  const double ticks = static_cast<double>(t1 - t0);
  const double ns = static_cast<double>(s1 - s0);
  const double hz = ticks / ns * 1e9;
  if (!(hz > 1e8 && hz < 1e11)) return c;
  c.use_tsc = true;
  c.tsc0 = t1;
  c.steady0 = s1;
  c.ticks_per_second = hz;
  c.mult = static_cast<std::uint64_t>(ns / ticks * 4294967296.0);
  return c;
}
#endif

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
  if (ELECTRON_LIKELY(c.use_tsc)) {
    const std::uint64_t ticks = __rdtsc() - c.tsc0;
    // Before tsc0 (another thread calibrated) the difference wraps; the
    // signed view keeps it a small negative number of ticks.
    const auto signed_ticks = static_cast<std::int64_t>(ticks);
    const auto prod = static_cast<detail::int128>(signed_ticks) * static_cast<detail::int128>(c.mult);
    return c.steady0 + static_cast<std::int64_t>(prod >> 32);
  }
#endif
  return detail::steady_ns();
}

/// "tsc" or "steady_clock": the clock now_ns() reads.
[[nodiscard]] inline const char* clock_name() noexcept {
  return detail::metrics_clock().use_tsc ? "tsc" : "steady_clock";
}

/// The calibrated TSC rate in ticks per second, or 0 when now_ns() reads
/// steady_clock.
[[nodiscard]] inline double tsc_ticks_per_second() noexcept { return detail::metrics_clock().ticks_per_second; }

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
