// SPDX-License-Identifier: MIT
// electron/cache/padded.hpp: cache-line padding against false sharing.
//
// Two threads that write words on the same cache line make that line bounce
// between their cores: each write waits for the other core to give the line
// up, although the threads share no data. padded<T> gives a value a cache
// line (or a pair of lines) of its own.
//
//   struct counters {
//     electron::cache::padded<std::atomic<std::uint64_t>> produced;  // own line
//     electron::cache::padded<std::atomic<std::uint64_t>> consumed;  // own line
//   };
//   c.produced->fetch_add(1, std::memory_order_relaxed);
//
// Header-only, no allocation, no exceptions of its own.
#ifndef ELECTRON_CACHE_PADDED_HPP
#define ELECTRON_CACHE_PADDED_HPP

#include "electron/config.hpp"

#include <concepts>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace cache {

/// The distance at which two hot words no longer interfere. On x86-64 the L2
/// "adjacent line" prefetcher fetches cache lines in aligned pairs, so words
/// 64 bytes apart can still slow each other down: Electron keeps its hottest
/// shared indices 128 bytes apart there (bench/cache_bench measures both).
#if defined(__x86_64__) || defined(_M_X64)
inline constexpr std::size_t false_sharing_range = 2 * cache_line_size;
#else
inline constexpr std::size_t false_sharing_range = cache_line_size;
#endif

/// One cache line of padding: put it between members that different threads
/// write. Trivial, empty of meaning, sizeof == cache_line_size.
struct alignas(cache_line_size) cache_line_pad {
  unsigned char bytes[cache_line_size];
};
static_assert(sizeof(cache_line_pad) == cache_line_size);

/// A power of two at least as large as alignof(T) and Align.
template <class T, std::size_t Align>
inline constexpr std::size_t padded_alignment = alignof(T) > Align ? alignof(T) : Align;

/// A T alone on its cache line(s): aligned to Align (a power of two, default
/// one line) and sized to a multiple of it, so no other object shares its
/// lines. Access with *p, p->member or p.get(). Construction forwards to T;
/// copy and move follow T's.
///   padded<std::atomic<int>> hits;  hits->fetch_add(1);
template <class T, std::size_t Align = cache_line_size>
requires(Align > 0 && (Align & (Align - 1)) == 0) class alignas(padded_alignment<T, Align>) padded {
 public:
  using value_type = T;
  static constexpr std::size_t alignment = padded_alignment<T, Align>;

  constexpr padded() noexcept(std::is_nothrow_default_constructible_v<T>) requires std::default_initializable<T>
      : m_value() {}

  /// Constructs the value from args (in place; T need not be movable).
  template <class... Args>
  requires std::constructible_from<T, Args...>
  constexpr explicit padded(std::in_place_t, Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>)
      : m_value(std::forward<Args>(args)...) {}

  /// Constructs the value from one argument; implicit exactly when the
  /// conversion to T is: padded<int> p = 5; but not padded<std::vector<int>> v = 5.
  template <class U>
  requires std::constructible_from<T, U&&> &&(!std::same_as<std::remove_cvref_t<U>, padded>)&&(
      !std::same_as<std::remove_cvref_t<U>, std::in_place_t>)constexpr explicit(!std::is_convertible_v<U&&, T>)
      padded(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>)
      : m_value(std::forward<U>(v)) {}

  constexpr T& get() & noexcept { return m_value; }
  constexpr const T& get() const& noexcept { return m_value; }
  constexpr T&& get() && noexcept { return std::move(m_value); }
  constexpr T& operator*() & noexcept { return m_value; }
  constexpr const T& operator*() const& noexcept { return m_value; }
  constexpr T* operator->() noexcept { return std::addressof(m_value); }
  constexpr const T* operator->() const noexcept { return std::addressof(m_value); }

 private:
  T m_value;
};

}  // namespace cache
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CACHE_PADDED_HPP
