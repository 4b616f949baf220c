// SPDX-License-Identifier: MIT
// electron/dense/detail/column_buffer.hpp: the storage of one column of
// electron::dense::column_store (a growable array of a trivially copyable
// type, aligned to 64 bytes so that every column starts on a cache line and a
// full AVX-512 vector), and the error helper that puts a column's name in
// the message.
#ifndef ELECTRON_DENSE_DETAIL_COLUMN_BUFFER_HPP
#define ELECTRON_DENSE_DETAIL_COLUMN_BUFFER_HPP

#include "electron/config.hpp"
#include "electron/dense/detail/alignment.hpp"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace dense {
namespace detail {

/// Throws E("electron::dense::<what> '<name>'<tail>"), or prints it and aborts
/// when exceptions are off.
template <class E>
[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD void throw_named(std::string_view what, std::string_view name,
                                                              std::string_view tail = {}) {
  std::string msg = "electron::dense::";
  msg.append(what).append(" '").append(name).append("'").append(tail);
#if ELECTRON_HAS_EXCEPTIONS
  throw E(msg);
#else
  std::fprintf(stderr, "electron: %s\n", msg.c_str());
  std::abort();
#endif
}

/// A growable array of a trivially copyable T in one 64-byte-aligned block.
/// Copies allocate exactly size() values; growth doubles.
template <class T>
class column_buffer {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  column_buffer() noexcept = default;
  column_buffer(const column_buffer& o) : m_data(allocate(o.m_size)), m_size(o.m_size), m_capacity(o.m_size) {
    if (m_size != 0) std::memcpy(m_data, o.m_data, m_size * sizeof(T));
  }
  column_buffer(column_buffer&& o) noexcept
      : m_data(std::exchange(o.m_data, nullptr)),
        m_size(std::exchange(o.m_size, 0)),
        m_capacity(std::exchange(o.m_capacity, 0)) {}
  column_buffer& operator=(const column_buffer& o) {
    if (this != &o) {
      column_buffer copy(o);
      swap(copy);
    }
    return *this;
  }
  column_buffer& operator=(column_buffer&& o) noexcept {
    if (this != &o) {
      column_buffer moved(std::move(o));
      swap(moved);
    }
    return *this;
  }
  ~column_buffer() { deallocate(m_data); }

  void swap(column_buffer& o) noexcept {
    std::swap(m_data, o.m_data);
    std::swap(m_size, o.m_size);
    std::swap(m_capacity, o.m_capacity);
  }

  [[nodiscard]] T* data() noexcept { return m_data; }
  [[nodiscard]] const T* data() const noexcept { return m_data; }
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }

  /// Room for n values. Throws std::length_error past max_size, or what
  /// operator new throws; unchanged then.
  void reserve(std::size_t n) {
    if (n <= m_capacity) return;
    T* p = allocate(n);
    if (m_size != 0) std::memcpy(p, m_data, m_size * sizeof(T));
    deallocate(m_data);
    m_data = p;
    m_capacity = n;
  }
  /// Room for one more value, growing geometrically.
  void reserve_one_more() {
    if (m_size < m_capacity) return;
    reserve(m_capacity < 8 ? 8 : (m_capacity > max_size / 2 ? max_size : 2 * m_capacity));
  }
  /// Precondition: size() < capacity().
  void push_back_unchecked(T v) noexcept { m_data[m_size++] = v; }
  /// Changes the size to n; new values are `fill`.
  void resize(std::size_t n, T fill) {
    reserve(n);
    for (std::size_t i = m_size; i < n; ++i) m_data[i] = fill;
    m_size = n;
  }
  void clear() noexcept { m_size = 0; }

  static constexpr std::size_t max_size = std::numeric_limits<std::ptrdiff_t>::max() / sizeof(T);

 private:
  static T* allocate(std::size_t n) {
    if (n == 0) return nullptr;
    if (n > max_size) throw_named<std::length_error>("column", "", ": size above max_size");
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{column_alignment}));
  }
  static void deallocate(T* p) noexcept {
    if (p != nullptr) ::operator delete (p, std::align_val_t{column_alignment});
  }

  T* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
};

}  // namespace detail
}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_COLUMN_BUFFER_HPP
