// SPDX-License-Identifier: MIT
// electron/detail/tsc.hpp: the time stamp counter as a clock, shared by
// metrics (timer, now_ns) and trace (span timestamps): detection of an
// invariant TSC, paired readings of the counter and steady_clock, and the
// tick-to-nanosecond rate measured between two such pairs.
#ifndef ELECTRON_DETAIL_TSC_HPP
#define ELECTRON_DETAIL_TSC_HPP

#include "electron/config.hpp"

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <x86intrin.h>
/// 1 where the TSC can be read (x86-64 with GCC or Clang); whether it is usable
/// as a clock is invariant_tsc()'s answer at run time.
#define ELECTRON_DETAIL_HAVE_TSC 1
#else
#define ELECTRON_DETAIL_HAVE_TSC 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace detail {

/// steady_clock now, in nanoseconds since its epoch.
[[nodiscard]] inline std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

#if ELECTRON_DETAIL_HAVE_TSC
__extension__ using tsc_uint128 = unsigned __int128;

/// CPUID 8000_0007h EDX bit 8: the TSC ticks at a constant rate in every P-,
/// C- and T-state (Intel SDM vol. 3, 17.17; AMD APM vol. 3, CPUID Fn8000_0007),
/// so it can serve as a clock.
[[nodiscard]] inline bool invariant_tsc() noexcept {
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  if (__get_cpuid(0x80000000u, &a, &b, &c, &d) == 0 || a < 0x80000007u) return false;
  if (__get_cpuid(0x80000007u, &a, &b, &c, &d) == 0) return false;
  return ((d >> 8) & 1u) != 0;
}

[[nodiscard]] ELECTRON_ALWAYS_INLINE std::uint64_t read_tsc() noexcept { return __rdtsc(); }
#else
[[nodiscard]] inline bool invariant_tsc() noexcept { return false; }
[[nodiscard]] inline std::uint64_t read_tsc() noexcept { return static_cast<std::uint64_t>(steady_ns()); }
#endif

/// A reading of the counter and of steady_clock taken together.
struct tsc_pair {
  std::uint64_t tick = 0;
  std::int64_t ns = 0;
};

/// The best of a few readings: the one whose two counter reads bracket the
/// steady_clock read most tightly, that read taken as at their middle. Its
/// error is a few tens of nanoseconds, whatever preempts a single reading.
[[nodiscard]] inline tsc_pair read_tsc_pair() noexcept {
  tsc_pair best{read_tsc(), steady_ns()};
  std::uint64_t best_window = ~std::uint64_t{0};
  for (int i = 0; i < 7; ++i) {
    const std::uint64_t t0 = read_tsc();
    const std::int64_t ns = steady_ns();
    const std::uint64_t t1 = read_tsc();
    if (t1 - t0 < best_window) {
      best_window = t1 - t0;
      best = {t0 + (t1 - t0) / 2, ns};
    }
  }
  return best;
}

/// The counter's rate between two pairs taken far enough apart (the error
/// is the pairs' few tens of ns over the interval: 10 ms gives a few ppm),
/// and the conversion of a tick to steady_clock nanoseconds through it.
struct tsc_rate {
  tsc_pair base;
  std::uint64_t ns_per_tick_q32 = std::uint64_t{1} << 32;  ///< ns per tick, times 2^32
  double ticks_per_second = 0.0;

  /// The rate from `from` to `to`; false (and no change) when the interval
  /// is empty, or when `plausible_only` and the rate is implausible (under
  /// 100 MHz or over 100 GHz: a hypervisor that traps or scales rdtsc
  /// badly). A caller that has already recorded ticks passes false: they
  /// need this rate, whatever it is.
  bool measure(const tsc_pair& from, const tsc_pair& to, bool plausible_only = true) noexcept {
    if (to.tick <= from.tick || to.ns <= from.ns) return false;
    const auto ticks = static_cast<double>(to.tick - from.tick);
    const auto ns = static_cast<double>(to.ns - from.ns);
    const double hz = ticks / ns * 1e9;
    if (plausible_only && !(hz > 1e8 && hz < 1e11)) return false;
    const double q32 = ns / ticks * 4294967296.0;
    if (!(q32 >= 1.0 && q32 < 18446744073709551616.0)) return false;  // a conversion that fits
    base = from;
    ticks_per_second = hz;
    ns_per_tick_q32 = static_cast<std::uint64_t>(q32);
    return true;
  }

  /// steady_clock nanoseconds of a tick, before or after the base.
  [[nodiscard]] std::int64_t to_ns(std::uint64_t tick) const noexcept {
#if ELECTRON_DETAIL_HAVE_TSC
    if (tick >= base.tick) {
      return base.ns + static_cast<std::int64_t>((static_cast<tsc_uint128>(tick - base.tick) * ns_per_tick_q32) >> 32);
    }
    return base.ns - static_cast<std::int64_t>((static_cast<tsc_uint128>(base.tick - tick) * ns_per_tick_q32) >> 32);
#else
    return static_cast<std::int64_t>(tick);
#endif
  }
};

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_TSC_HPP
