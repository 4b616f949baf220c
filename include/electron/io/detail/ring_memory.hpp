// SPDX-License-Identifier: MIT
// electron/io/detail/ring_memory.hpp: the storage of io::ring_buffer: a
// block from a std::pmr::memory_resource, or (Linux) a mirrored mapping in
// which the ring's pages appear twice, back to back, so that every run of
// up to `capacity` bytes starting inside the first copy is contiguous.
#ifndef ELECTRON_IO_DETAIL_RING_MEMORY_HPP
#define ELECTRON_IO_DETAIL_RING_MEMORY_HPP

#include "electron/config.hpp"

#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <stdexcept>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<sys/mman.h>) && __has_include(<sys/syscall.h>) && __has_include(<unistd.h>)
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(SYS_memfd_create)
#define ELECTRON_IO_DETAIL_HAS_MIRRORED_RING 1
#endif
#endif
#endif
#if !defined(ELECTRON_IO_DETAIL_HAS_MIRRORED_RING)
#define ELECTRON_IO_DETAIL_HAS_MIRRORED_RING 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace io::detail {

// memcpy(dst, src, n) for n >= 1, with 8 to 64 bytes copied inline as two
// overlapping fixed-size moves (which compilers turn into a pair of
// register loads and stores): the small chunks a ring moves one by one
// would otherwise pay a library call and its size dispatch each time.
#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 -O3 flags the fixed-size moves as out of bounds when it has inlined
// a short array whose size it cannot relate to n (the branch is dead there).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
inline void ring_copy(byte* dst, const byte* src, std::size_t n) noexcept {
  if (n >= 8 && n <= 64) {
    if (n >= 32) {
      std::memcpy(dst, src, 32);
      std::memcpy(dst + n - 32, src + n - 32, 32);
    } else if (n >= 16) {
      std::memcpy(dst, src, 16);
      std::memcpy(dst + n - 16, src + n - 16, 16);
    } else {
      std::memcpy(dst, src, 8);
      std::memcpy(dst + n - 8, src + n - 8, 8);
    }
  } else {
    std::memcpy(dst, src, n);
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// A ring's bytes: `data` holds `capacity` bytes, and when `mirrored`, the
// same bytes again at data + capacity (the same physical pages).
struct ring_memory {
  byte* data = nullptr;
  std::size_t capacity = 0;
  bool mirrored = false;
};

// n rounded up to a power of two (at least 1); std::length_error above
// `max`, before anything is allocated.
inline std::size_t ring_round_capacity(std::size_t n, std::size_t max) {
  if (n > max) electron::detail::throw_error<std::length_error>("electron::io::ring_buffer: capacity too large");
  return std::bit_ceil(n == 0 ? std::size_t{1} : n);
}

inline ring_memory ring_allocate_plain(std::size_t capacity, std::pmr::memory_resource* upstream) {
  void* p = upstream->allocate(capacity, cache_line_size);
  return {static_cast<byte*>(p), capacity, false};
}

inline void ring_release_plain(const ring_memory& m, std::pmr::memory_resource* upstream) noexcept {
  upstream->deallocate(m.data, m.capacity, cache_line_size);
}

// The system's page size (a power of two on every Linux target), or 0 where
// there is no mirrored mapping.
inline std::size_t ring_page_size() noexcept {
#if ELECTRON_IO_DETAIL_HAS_MIRRORED_RING
  const long p = ::sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<std::size_t>(p) : 0;
#else
  return 0;
#endif
}

// Maps `capacity` bytes (a power-of-two multiple of the page size) twice in
// a row: an anonymous memory file (memfd_create) mapped shared at two
// adjacent addresses of a reserved range, so the kernel keeps the copies
// identical at no cost (they are the same pages). Returns 0 and fills `out`,
// or an errno value (ENOSYS where the platform has no such mapping) and
// leaves nothing mapped or open.
inline int ring_map_mirrored(std::size_t capacity, ring_memory& out) noexcept {
#if ELECTRON_IO_DETAIL_HAS_MIRRORED_RING
  const std::size_t page = ring_page_size();
  if (page == 0 || !std::has_single_bit(page) || capacity % page != 0) return EINVAL;
  // The raw system call: glibc's memfd_create wrapper arrived only in 2.27.
  const long fd_long = ::syscall(SYS_memfd_create, "electron-ring", 1U /* MFD_CLOEXEC */);
  if (fd_long < 0) return errno;
  const int fd = static_cast<int>(fd_long);
  int err = 0;
  void* const failed = reinterpret_cast<void*>(~std::uintptr_t{0});  // MAP_FAILED
  void* base = failed;
  if (::ftruncate(fd, static_cast<off_t>(capacity)) != 0) {
    err = errno;
  } else {
    // Reserve both halves at once so nothing else can be mapped between
    // them, then replace each half with the file (MAP_FIXED over our own
    // reservation only).
    base = ::mmap(nullptr, 2 * capacity, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == failed) {
      err = errno;
    } else {
      byte* const lo = static_cast<byte*>(base);
      if (::mmap(lo, capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == failed ||
          ::mmap(lo + capacity, capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == failed) {
        err = errno;
        ::munmap(base, 2 * capacity);
        base = failed;
      }
    }
  }
  ::close(fd);  // the mappings keep the pages alive
  if (err != 0) return err;
  out = {static_cast<byte*>(base), capacity, true};
  return 0;
#else
  static_cast<void>(capacity);
  static_cast<void>(out);
  return ENOSYS;
#endif
}

inline void ring_unmap_mirrored(const ring_memory& m) noexcept {
#if ELECTRON_IO_DETAIL_HAS_MIRRORED_RING
  ::munmap(m.data, 2 * m.capacity);
#else
  static_cast<void>(m);
#endif
}

}  // namespace io::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_IO_DETAIL_RING_MEMORY_HPP
