// SPDX-License-Identifier: MIT
// electron/dense/detail/soa_storage.hpp: the one-allocation column layout of
// soa and the element loops with rollback that keep its guarantees.
#ifndef ELECTRON_DENSE_DETAIL_SOA_STORAGE_HPP
#define ELECTRON_DENSE_DETAIL_SOA_STORAGE_HPP

#include "electron/config.hpp"
#include "electron/dense/detail/alignment.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace dense {
namespace detail {

// Columns live one after another in one allocation of `capacity` rows each,
// every column starting on a multiple of `align`: a growth is one allocation,
// and a column is contiguous and aligned for the widest vector load.
template <class... Ts>
struct soa_layout {
  static constexpr std::size_t columns = sizeof...(Ts);
  static constexpr std::size_t align = std::max({column_alignment, alignof(Ts)...});
  static constexpr std::array<std::size_t, columns> sizes{sizeof(Ts)...};
  static constexpr std::size_t row_bytes = (sizeof(Ts) + ...);

  struct alignas(align) block {
    std::byte bytes[align];
  };

  // Byte offset of each column for `capacity` rows (capacity <= max_rows).
  static constexpr std::array<std::size_t, columns> offsets(std::size_t capacity) noexcept {
    std::array<std::size_t, columns> off{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < columns; ++i) {
      off[i] = at;
      at += round_up(capacity * sizes[i]);
    }
    return off;
  }
  // Blocks of `align` bytes that hold `capacity` rows.
  static constexpr std::size_t blocks(std::size_t capacity) noexcept {
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < columns; ++i) bytes += round_up(capacity * sizes[i]);
    return bytes / align;
  }
  // The most rows whose blocks fit in `max_blocks` and in PTRDIFF_MAX bytes.
  static constexpr std::size_t max_rows(std::size_t max_blocks) noexcept {
    const std::size_t limit_blocks = std::min(max_blocks, static_cast<std::size_t>(PTRDIFF_MAX) / align);
    // Each column wastes less than one block to padding.
    if (limit_blocks <= columns) return 0;
    return (limit_blocks - columns) / row_bytes * align;
  }

 private:
  static constexpr std::size_t round_up(std::size_t n) noexcept { return (n + align - 1) / align * align; }
};

/// Runs a callable at scope exit unless dismissed: the rollback of a
/// half-done operation, so it also runs when an exception unwinds.
template <class F>
class rollback {
 public:
  explicit rollback(F f) noexcept : m_f(std::move(f)) {}
  rollback(const rollback&) = delete;
  rollback& operator=(const rollback&) = delete;
  ~rollback() {
    if (m_armed) m_f();
  }
  void dismiss() noexcept { m_armed = false; }

 private:
  F m_f;
  bool m_armed = true;
};

// Element loops on one column through the allocator (rebound to T), so a
// std::pmr allocator's uses-allocator construction applies. Trivially
// copyable elements are copied as bytes.
template <class A, class T>
void destroy_range(A& alloc, T* p, std::size_t n) noexcept {
  if constexpr (!std::is_trivially_destructible_v<T>) {
    for (std::size_t i = 0; i < n; ++i) std::allocator_traits<A>::destroy(alloc, p + i);
  } else {
    static_cast<void>(alloc);
    static_cast<void>(p);
    static_cast<void>(n);
  }
}

// Constructs dst[i] from src[i] for i < n, moving when the move cannot
// throw (or there is no copy), copying otherwise; on an exception destroys
// what it built and rethrows.
template <class A, class T>
void relocate_construct(A& alloc, T* src, std::size_t n, T* dst) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    if (n != 0) std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), n * sizeof(T));
  } else {
    std::size_t i = 0;
    rollback undo([&] { destroy_range(alloc, dst, i); });
    for (; i < n; ++i) std::allocator_traits<A>::construct(alloc, dst + i, std::move_if_noexcept(src[i]));
    undo.dismiss();
  }
}

// Copy-constructs dst[i] from src[i]; on an exception destroys what it built.
template <class A, class T>
void copy_construct(A& alloc, const T* src, std::size_t n, T* dst) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    if (n != 0) std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), n * sizeof(T));
  } else {
    std::size_t i = 0;
    rollback undo([&] { destroy_range(alloc, dst, i); });
    for (; i < n; ++i) std::allocator_traits<A>::construct(alloc, dst + i, src[i]);
    undo.dismiss();
  }
}

// Constructs p[i] from args for i < n (value-initializes without args); on
// an exception destroys what it built.
template <class A, class T, class... Args>
void fill_construct(A& alloc, T* p, std::size_t n, const Args&... args) {
  std::size_t i = 0;
  rollback undo([&] { destroy_range(alloc, p, i); });
  for (; i < n; ++i) std::allocator_traits<A>::construct(alloc, p + i, args...);
  undo.dismiss();
}

// Writes one byte in every 4 KiB page of raw (not yet constructed) memory,
// in address order, when the range is large enough for page placement to
// matter: the kernel then backs the range with pages faulted in order
// instead of interleaved with the other columns' (see basic_soa::reserve).
inline void touch_pages(void* raw, std::size_t bytes) noexcept {
  constexpr std::size_t page = 4096;
  constexpr std::size_t worth_it = 256 * 1024;
  if (bytes < worth_it) return;
  auto* p = static_cast<volatile unsigned char*>(raw);
  for (std::size_t at = 0; at < bytes; at += page) p[at] = 0;
}

}  // namespace detail
}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_SOA_STORAGE_HPP
