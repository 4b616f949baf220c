// SPDX-License-Identifier: MIT
// electron/metrics/detail/process_linux.hpp: reads of /proc/self for the
// process collector and mem_stats(), without allocating.
#ifndef ELECTRON_METRICS_DETAIL_PROCESS_LINUX_HPP
#define ELECTRON_METRICS_DETAIL_PROCESS_LINUX_HPP

#include "electron/config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__linux__)
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {

#if defined(__linux__)
// Reads up to n - 1 bytes of a /proc file into buf, NUL-terminated; the
// length, or -1.
inline long process_read_file(const char* path, char* buf, std::size_t n) noexcept {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::size_t got = 0;
  while (got + 1 < n) {
    const ssize_t r = ::read(fd, buf + got, n - 1 - got);
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  buf[got] = '\0';
  return static_cast<long>(got);
}

// The fields of /proc/self/stat the collector needs (proc(5)).
struct process_stat_fields {
  std::uint64_t minor_faults = 0;    // field 10, minflt
  std::uint64_t major_faults = 0;    // field 12, majflt
  std::uint64_t user_ticks = 0;      // field 14, utime
  std::uint64_t system_ticks = 0;    // field 15, stime
  std::uint64_t start_ticks = 0;     // field 22, starttime (ticks after boot)
  std::uint64_t virtual_bytes = 0;   // field 23, vsize
  std::uint64_t resident_pages = 0;  // field 24, rss
};

inline bool process_read_stat(process_stat_fields& out) noexcept {
  char buf[1024];
  if (process_read_file("/proc/self/stat", buf, sizeof buf) <= 0) return false;
  // The command name (field 2) is in parentheses and may hold spaces and
  // parentheses itself: fields resume after the last ')'.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return false;
  ++p;
  // Field 3 (state) is the first after ')'.
  for (int field = 3; field <= 24; ++field) {
    while (*p == ' ') ++p;
    if (*p == '\0') return false;
    std::uint64_t v = 0;
    const char* q = p;
    while (*q >= '0' && *q <= '9') v = v * 10 + static_cast<std::uint64_t>(*q++ - '0');
    switch (field) {
      case 10:
        out.minor_faults = v;
        break;
      case 12:
        out.major_faults = v;
        break;
      case 14:
        out.user_ticks = v;
        break;
      case 15:
        out.system_ticks = v;
        break;
      case 22:
        out.start_ticks = v;
        break;
      case 23:
        out.virtual_bytes = v;
        break;
      case 24:
        out.resident_pages = v;
        break;
      default:
        break;
    }
    while (*p != ' ' && *p != '\0') ++p;
  }
  return true;
}

// "btime" of /proc/stat: the boot time in seconds since the epoch; 0 when
// unknown.
inline std::uint64_t process_boot_time() noexcept {
  // /proc/stat may be long (an "intr" line of thousands of numbers comes
  // before btime): scan it in chunks, a line at a time.
  const int fd = ::open("/proc/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  constexpr std::string_view key = "btime ";
  char buf[4096];
  std::size_t matched = 0;  // bytes of key matched at the start of this line (key.size() + 1: reading digits)
  bool line_start = true;
  std::uint64_t v = 0;
  bool done = false;
  while (!done) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r && !done; ++i) {
      const char c = buf[i];
      if (matched == key.size()) {
        if (c >= '0' && c <= '9') {
          v = v * 10 + static_cast<std::uint64_t>(c - '0');
        } else {
          done = true;
        }
      } else if (line_start && c == key[matched]) {
        ++matched;
      } else {
        line_start = c == '\n';
        matched = 0;
        continue;
      }
      if (c == '\n') line_start = true;
    }
  }
  ::close(fd);
  return done || matched == key.size() ? v : 0;
}

// Open file descriptors: the entries of /proc/self/fd, less the one the
// directory read itself holds. -1 when unreadable.
inline long process_count_fds() noexcept {
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return -1;
  const int own = ::dirfd(d);
  long n = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const std::string_view name(e->d_name);
    long fd = 0;
    for (const char c : name) fd = fd * 10 + (c - '0');
    if (fd != own) ++n;
  }
  ::closedir(d);
  return n;
}
#endif

}  // namespace detail
}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_DETAIL_PROCESS_LINUX_HPP
