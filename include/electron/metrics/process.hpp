// SPDX-License-Identifier: MIT
// electron/metrics/process.hpp: the process collector (the standard
// process_* metrics of the Prometheus client libraries), mem_stats() and
// alloc_stats().
//
//   electron::metrics::registry reg;
//   electron::metrics::add_process_collector(reg);   // process_cpu_seconds_total, ...
//   electron::metrics::memory_statistics m = electron::metrics::mem_stats();
//
// Per platform:
// - Linux: everything, from /proc/self/stat (CPU time, virtual size,
//   resident pages, page faults, start time with /proc/stat's btime),
//   /proc/self/fd (open descriptors), getrlimit(RLIMIT_NOFILE) (max
//   descriptors) and getrusage (peak resident).
// - Other POSIX systems: mem_stats() has peak resident and page faults
//   from getrusage (ru_maxrss is taken as KiB; macOS reports bytes), the
//   collector writes process_cpu_seconds_total and process_max_fds; the rest
//   is absent (not written, `available` flags false).
// - Elsewhere: nothing; the collector writes no family.
// alloc_stats(): see alloc_source.
#ifndef ELECTRON_METRICS_PROCESS_HPP
#define ELECTRON_METRICS_PROCESS_HPP

#include "electron/config.hpp"
#include "electron/metrics/counter.hpp"
#include "electron/metrics/detail/process_linux.hpp"
#include "electron/metrics/exposition.hpp"
#include "electron/metrics/registry.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>
#define ELECTRON_METRICS_DETAIL_POSIX 1
#else
#define ELECTRON_METRICS_DETAIL_POSIX 0
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define ELECTRON_METRICS_DETAIL_MALLINFO2 1
#else
#define ELECTRON_METRICS_DETAIL_MALLINFO2 0
#endif
#if ELECTRON_ASAN || ELECTRON_TSAN
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// g++ does not install this header of the sanitizer runtime it links.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();  // NOLINT(bugprone-reserved-identifier)
#endif
#endif

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// Memory of this process. Fields a platform cannot read are 0 and their
/// flag false.
struct memory_statistics {
  std::uint64_t resident_bytes = 0;       ///< resident set now (Linux)
  std::uint64_t peak_resident_bytes = 0;  ///< highest resident set (getrusage ru_maxrss)
  std::uint64_t virtual_bytes = 0;        ///< virtual size (Linux)
  std::uint64_t minor_faults = 0;         ///< page faults served without I/O
  std::uint64_t major_faults = 0;         ///< page faults that needed I/O
  bool has_resident = false;              ///< resident_bytes and virtual_bytes were read
  bool has_rusage = false;                ///< peak_resident_bytes and the faults were read
};

/// Reads the process's memory figures (see the header comment per
/// platform). noexcept; allocates nothing; a few system calls.
inline memory_statistics mem_stats() noexcept {
  memory_statistics m;
#if ELECTRON_METRICS_DETAIL_POSIX
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) == 0) {
#if defined(__APPLE__)
    m.peak_resident_bytes = static_cast<std::uint64_t>(ru.ru_maxrss);
#else
    m.peak_resident_bytes = static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
#endif
    m.minor_faults = static_cast<std::uint64_t>(ru.ru_minflt);
    m.major_faults = static_cast<std::uint64_t>(ru.ru_majflt);
    m.has_rusage = true;
  }
#endif
#if defined(__linux__)
  detail::process_stat_fields f;
  if (detail::process_read_stat(f)) {
    m.resident_bytes = f.resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    m.virtual_bytes = f.virtual_bytes;
    m.has_resident = true;
  }
#endif
  return m;
}

/// Where alloc_stats() took its figures from.
enum class alloc_source : std::uint8_t {
  none,          ///< no source on this platform: every field is 0
  mallinfo2,     ///< glibc >= 2.33: bytes_in_use = uordblks + hblkhd (heap and mmapped chunks in use);
                 ///< no block counts or totals
  sanitizer,     ///< ASan/TSan builds: __sanitizer_get_current_allocated_bytes(); no blocks or totals
  test_counter,  ///< electron/test.hpp's counting operator new (use_test_alloc_counter()): every field
};

/// Heap allocation figures.
struct alloc_statistics {
  alloc_source source = alloc_source::none;
  std::uint64_t bytes_in_use = 0;   ///< bytes allocated and not freed
  std::uint64_t blocks_in_use = 0;  ///< allocations not freed (test_counter only)
  std::uint64_t bytes_total = 0;    ///< bytes ever allocated (test_counter only)
  std::uint64_t blocks_total = 0;   ///< allocations ever made (test_counter only)
  /// True when blocks_in_use, bytes_total and blocks_total were counted.
  [[nodiscard]] bool has_counts() const noexcept { return source == alloc_source::test_counter; }
};

/// A function that fills in alloc_statistics and returns true, or returns
/// false to let alloc_stats() fall back to the platform's source.
using alloc_stats_provider = bool (*)(alloc_statistics&) noexcept;

namespace detail {
inline std::atomic<alloc_stats_provider> g_alloc_stats_provider{nullptr};
}  // namespace detail

/// Makes alloc_stats() ask `p` first (null: the platform's source only).
/// electron/metrics/detail/process_test_alloc.hpp installs the test
/// allocation counter this way.
inline void set_alloc_stats_provider(alloc_stats_provider p) noexcept {
  detail::g_alloc_stats_provider.store(p, std::memory_order_release);
}

/// Heap figures: from the installed provider (the test allocation counter),
/// else glibc's mallinfo2 (>= 2.33), else the sanitizer's allocator
/// interface in ASan/TSan builds (which replace malloc), else none. See
/// alloc_source for what each fills in. noexcept; allocates nothing
/// (mallinfo2 walks the arenas under their locks).
inline alloc_statistics alloc_stats() noexcept {
  alloc_statistics s;
  if (const alloc_stats_provider p = detail::g_alloc_stats_provider.load(std::memory_order_acquire)) {
    if (p(s)) return s;
    s = alloc_statistics{};
  }
#if ELECTRON_ASAN || ELECTRON_TSAN
  s.source = alloc_source::sanitizer;
  s.bytes_in_use = static_cast<std::uint64_t>(__sanitizer_get_current_allocated_bytes());
#elif ELECTRON_METRICS_DETAIL_MALLINFO2
  const struct mallinfo2 mi = ::mallinfo2();
  s.source = alloc_source::mallinfo2;
  s.bytes_in_use = static_cast<std::uint64_t>(mi.uordblks) + static_cast<std::uint64_t>(mi.hblkhd);
#endif
  return s;
}

/// What the process collector reads; fields a platform cannot read are 0
/// with their flag false.
struct process_statistics {
  double cpu_seconds = 0;         ///< user + system CPU time
  double start_time_seconds = 0;  ///< since the Unix epoch
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;
  bool has_cpu = false;
  bool has_start_time = false;
  bool has_memory = false;
  bool has_open_fds = false;
  bool has_max_fds = false;
};

/// Reads the figures of the process collector. noexcept; a few system
/// calls (on Linux, opendir() allocates its buffer: the one allocation).
inline process_statistics process_stats() noexcept {
  process_statistics p;
#if defined(__linux__)
  detail::process_stat_fields f;
  if (detail::process_read_stat(f)) {
    const auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    p.cpu_seconds = static_cast<double>(f.user_ticks + f.system_ticks) / ticks;
    p.has_cpu = true;
    p.resident_bytes = f.resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    p.virtual_bytes = f.virtual_bytes;
    p.has_memory = true;
    if (const std::uint64_t boot = detail::process_boot_time(); boot != 0) {
      p.start_time_seconds = static_cast<double>(boot) + static_cast<double>(f.start_ticks) / ticks;
      p.has_start_time = true;
    }
  }
  if (const long n = detail::process_count_fds(); n >= 0) {
    p.open_fds = static_cast<std::uint64_t>(n);
    p.has_open_fds = true;
  }
#elif ELECTRON_METRICS_DETAIL_POSIX
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) == 0) {
    p.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    p.has_cpu = true;
  }
#endif
#if ELECTRON_METRICS_DETAIL_POSIX
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    p.max_fds = static_cast<std::uint64_t>(rl.rlim_cur);
    p.has_max_fds = true;
  }
#endif
  return p;
}

/// The standard process metrics, with the names, types and HELP texts of
/// the Prometheus client libraries: process_cpu_seconds_total (counter),
/// process_open_fds, process_max_fds, process_virtual_memory_bytes,
/// process_resident_memory_bytes, process_start_time_seconds (gauges).
/// Read on each collect(); a figure the platform lacks is not written.
class process_collector final : public collector {
 public:
  void collect(text_writer& out) override {
    const process_statistics p = process_stats();
    const auto one = [&](bool has, std::string_view name, std::string_view help, metric_type type, auto value) {
      if (!has) return;
      out.family(name, help, type);
      out.sample(name, value);
    };
    one(p.has_cpu, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        metric_type::counter, p.cpu_seconds);
    one(p.has_open_fds, "process_open_fds", "Number of open file descriptors.", metric_type::gauge, p.open_fds);
    one(p.has_max_fds, "process_max_fds", "Maximum number of open file descriptors.", metric_type::gauge, p.max_fds);
    one(p.has_memory, "process_virtual_memory_bytes", "Virtual memory size in bytes.", metric_type::gauge,
        p.virtual_bytes);
    one(p.has_memory, "process_resident_memory_bytes", "Resident memory size in bytes.", metric_type::gauge,
        p.resident_bytes);
    one(p.has_start_time, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
        metric_type::gauge, p.start_time_seconds);
  }
  [[nodiscard]] std::vector<std::string> family_names() const override {
    return {
        "process_cpu_seconds_total",     "process_open_fds",          "process_max_fds", "process_virtual_memory_bytes",
        "process_resident_memory_bytes", "process_start_time_seconds"};
  }
};

/// Adds a process_collector to reg.
inline void add_process_collector(registry& reg) { reg.add_collector(std::make_unique<process_collector>()); }

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_PROCESS_HPP
