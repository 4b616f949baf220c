// SPDX-License-Identifier: MIT
// electron/strings.hpp: zero-allocation string utilities.
//
// - as_bytes / as_string_view: views of the same memory as bytes or characters.
// - builder: appends strings, characters and integers; clear() keeps the
//   capacity; can draw its buffer from any pool::buffer_source
//   (basic_builder<S>; builder is basic_builder<pool::buffer_pool>).
// - index_any / contains_any: first byte from a set (vectorized).
// - equal_fold: case-insensitive equality with Unicode simple case folding
//   over UTF-8 (the semantics of Go's strings.EqualFold), with a vectorized
//   ASCII fast path. Invalid UTF-8 compares byte-wise.
// - lines / split / split_any / fields: lazy views of the pieces of a text
//   ('\n' lines, Python's str.split(sep) and str.split() semantics);
//   cut / cut_last: the text around a separator; trim / trim_left /
//   trim_right: without ASCII whitespace or a set of bytes.
//
// Nothing here allocates except builder's growth (tested with the
// allocation counter).
//
//   electron::strings::builder b;
//   b.append("user=").append(42).append(',').append("ok");
//   std::string_view line = b.view();                       // "user=42,ok"
//   bool same = electron::strings::equal_fold("Straße", "STRASSE");   // false: ß has no simple fold to "ss"
//   bool kelvin = electron::strings::equal_fold("\u212A", "k");        // true (KELVIN SIGN folds to k)
//   for (std::string_view row : electron::strings::lines(csv))
//     for (std::string_view cell : electron::strings::split(row, ',')) ...
#ifndef ELECTRON_STRINGS_HPP
#define ELECTRON_STRINGS_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"
#include "electron/detail/simd.hpp"
#include "electron/pool.hpp"
#include "electron/strings/detail/equal_fold.hpp"
#include "electron/strings/detail/text.hpp"

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace strings {

// ===========================================================================
// Views
// ===========================================================================

/// The bytes of a string, no copy (a view of the same memory). Unambiguous
/// next to std::as_bytes, which takes only spans.
inline std::span<const std::byte> as_bytes(std::string_view s) noexcept {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}
/// The characters of bytes, no copy (a view of the same memory).
inline std::string_view as_string_view(std::span<const std::byte> b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// ===========================================================================
// index_any / contains_any
// ===========================================================================

/// Index of the first byte of s that is one of the bytes of chars, or npos.
/// The set is bytes (not code points): for ASCII sets that is the same.
/// Vectorized for sets of up to 8 bytes, a 256-bit table otherwise.
inline std::size_t index_any(std::string_view s, std::string_view chars) noexcept {
  namespace sd = electron::detail;
  return sd::index_any(sd::kernel_arch{}, reinterpret_cast<const electron::byte*>(s.data()), s.size(),
                       reinterpret_cast<const electron::byte*>(chars.data()), chars.size());
}
/// True when s contains any byte of chars.
inline bool contains_any(std::string_view s, std::string_view chars) noexcept { return index_any(s, chars) != npos; }

// ===========================================================================
// equal_fold (internals in electron/strings/detail/equal_fold.hpp)
// ===========================================================================

/// Case-insensitive equality under Unicode simple case folding (Unicode
/// CaseFolding.txt, status C and S; the semantics of Go's strings.EqualFold
/// for valid UTF-8). The strings may differ in byte length ("K" and U+212A
/// KELVIN SIGN are equal). Bytes that are not valid UTF-8 compare byte-wise.
inline bool equal_fold(std::string_view s, std::string_view t) noexcept {
  return detail::equal_fold(electron::detail::kernel_arch{}, s, t);
}

// ===========================================================================
// builder
// ===========================================================================

/// Builds a string by appending. view() sees the bytes without copying;
/// clear() empties it and keeps the capacity, so a builder reused in a loop
/// stops allocating. Storage comes from the heap, or, when constructed with
/// a source, from (and back to) any pool::buffer_source S: buffer_pool
/// (the `builder` alias), sized_pool, or a type of your own. The builder
/// uses a buffer's capacity() when it has one, else its size(). Not
/// thread-safe. Move-only.
///
/// Sizes: like std::string, a size above max_size() (2^47 bytes on 64-bit
/// targets) throws std::length_error, from append(), reserve() and the
/// constructor, before anything is allocated or changed. What the source's
/// get() throws (std::bad_alloc, ...) passes through, the text unchanged.
///
///   electron::pool::sized_pool pool;
///   electron::strings::basic_builder<electron::pool::sized_pool> b(pool);
template <pool::buffer_source S>
class basic_builder {
  using buffer_type = std::remove_cvref_t<decltype(std::declval<S&>().get(std::size_t{}))>;
  static constexpr bool nothrow_move = std::is_nothrow_move_assignable_v<buffer_type>;

 public:
  /// The buffer source type.
  using source_type = S;

  /// The largest size() and capacity(): electron::detail::max_allocation_size,
  /// what buffer_pool serves.
  [[nodiscard]] static constexpr std::size_t max_size() noexcept { return electron::detail::max_allocation_size; }

  /// An empty builder whose storage will come from the heap.
  basic_builder() noexcept = default;
  /// Storage from `source`, which must outlive the builder. Throws
  /// std::length_error when initial > max_size().
  explicit basic_builder(S& source, std::size_t initial = 512) : m_source(std::addressof(source)) { reserve(initial); }
  basic_builder(basic_builder&& o) noexcept(nothrow_move) { take(o); }
  basic_builder& operator=(basic_builder&& o) noexcept(nothrow_move) {
    if (this != &o) take(o);
    return *this;
  }
  basic_builder(const basic_builder&) = delete;
  basic_builder& operator=(const basic_builder&) = delete;

  /// Appends s; s may be a view of this builder's own text. Throws
  /// std::length_error when size() + s.size() > max_size() (s is not read).
  basic_builder& append(std::string_view s) {
    if (s.size() > m_capacity - m_size) {
      grow_with(s);  // copies s before the old storage is let go
    } else if (!s.empty()) {
      std::memcpy(m_data + m_size, s.data(), s.size());  // source before m_size: no overlap
      m_size += s.size();
    }
    return *this;
  }
  /// Appends one character. Only a real char: other types do not convert.
  template <std::same_as<char> C>
  basic_builder& append(C c) {
    return append(std::string_view(&c, 1));
  }
  /// Decimal text of an integer (std::to_chars, no locale, no allocation).
  /// signed/unsigned char count as numbers; bool and the character types
  /// (char, char8_t, char16_t, char32_t, wchar_t) are not accepted here.
  template <class Int>
  requires std::integral<Int> &&(!std::same_as<Int, bool>)&&(!std::same_as<Int, char>)&&(!std::same_as<Int, char8_t>)&&(
      !std::same_as<Int, char16_t>)&&(!std::same_as<Int, char32_t>)&&(!std::same_as<Int, wchar_t>)
      basic_builder& append(Int v) {
    char tmp[std::numeric_limits<Int>::digits10 + 3];  // all digits, and a sign
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    ELECTRON_ASSERT(r.ec == std::errc{}, "builder: integer text buffer too small");
    return append(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
  }
  /// append(s).
  basic_builder& operator+=(std::string_view s) { return append(s); }
  /// append(c), for a char only.
  template <std::same_as<char> C>
  basic_builder& operator+=(C c) {
    return append(c);
  }

  /// The text so far (valid until the next append, clear or destruction).
  [[nodiscard]] std::string_view view() const noexcept { return {m_data, m_size}; }
  /// A copy as a std::string.
  [[nodiscard]] std::string str() const { return std::string(view()); }
  /// Bytes appended since construction or the last clear().
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  /// size() == 0.
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  /// Bytes the current storage holds before the next allocation.
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  /// Empties the builder and keeps the capacity (std::string::clear()).
  void clear() noexcept { m_size = 0; }
  /// Keeps the first n bytes (n <= size()) and the capacity.
  void truncate(std::size_t n) noexcept {
    ELECTRON_ASSERT(n <= m_size, "builder::truncate: n above size()");
    m_size = n;
  }
  /// Room for n more bytes: a pointer to size() + [0, n) of the storage,
  /// valid until the next append, prepare, reserve or clear. Throws
  /// std::length_error when size() + n > max_size(), the text unchanged.
  /// With commit(), this makes the builder an encoding::contiguous_byte_sink.
  [[nodiscard]] char* prepare(std::size_t n) {
    if (n > m_capacity - m_size) {
      if (n > max_size() - m_size) too_long();
      const std::size_t doubled = m_capacity > max_size() / 2 ? max_size() : std::max<std::size_t>(64, m_capacity * 2);
      reallocate(std::max(m_size + n, doubled));
    }
    return m_data + m_size;
  }
  /// Appends the first k bytes written at the pointer the last prepare(n)
  /// returned (k <= n).
  void commit(std::size_t k) noexcept {
    ELECTRON_ASSERT(k <= m_capacity - m_size, "builder::commit: more than prepare() handed out");
    m_size += k;
  }
  /// Makes room for n bytes in total. Throws std::length_error when n > max_size().
  void reserve(std::size_t n) {
    if (n > max_size()) too_long();
    if (n > m_capacity) reallocate(n);
  }

 private:
  // Grows to hold m_size + extra.size() bytes and appends extra, which may
  // point into the current storage: the old storage is released last.
  void grow_with(std::string_view extra) {
    if (extra.size() > max_size() - m_size) too_long();
    // Doubling stops at max_size(): a long text must not double past what
    // can be allocated when what it needs would still fit.
    const std::size_t doubled = m_capacity > max_size() / 2 ? max_size() : std::max<std::size_t>(64, m_capacity * 2);
    reallocate(std::max(m_size + extra.size(), doubled), extra);
  }
  [[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD static void too_long() {
    electron::detail::throw_error<std::length_error>("electron::strings::builder: size above max_size()");
  }
  // The bytes of a buffer the builder may use.
  static std::size_t usable(buffer_type& b) noexcept {
    if constexpr (requires { b.capacity(); }) {
      return static_cast<std::size_t>(b.capacity());
    } else {
      return static_cast<std::size_t>(b.size());
    }
  }
  void reallocate(std::size_t cap, std::string_view extra = {}) {
    if (m_source != nullptr) {
      buffer_type next = m_source->get(cap);
      std::byte* bytes = next.data();
      auto* d = reinterpret_cast<char*>(bytes);
      const std::size_t got = usable(next);
      ELECTRON_ASSERT(got >= cap && (got == 0 || d != nullptr), "builder: buffer source returned a short buffer");
      if (m_size != 0) std::memcpy(d, m_data, m_size);
      if (!extra.empty()) std::memcpy(d + m_size, extra.data(), extra.size());
      m_capacity = got;
      m_data = d;
      m_buffer = std::move(next);  // the old buffer goes back to its source only now
    } else {
      auto next = std::make_unique_for_overwrite<char[]>(cap);
      if (m_size != 0) std::memcpy(next.get(), m_data, m_size);
      if (!extra.empty()) std::memcpy(next.get() + m_size, extra.data(), extra.size());
      m_capacity = cap;
      m_data = next.get();
      m_heap = std::move(next);  // the old storage is freed only now
    }
    m_size += extra.size();
  }

  void take(basic_builder& o) noexcept(nothrow_move) {
    m_source = o.m_source;
    m_buffer = std::move(o.m_buffer);
    m_heap = std::move(o.m_heap);
    m_data = std::exchange(o.m_data, nullptr);
    m_size = std::exchange(o.m_size, 0);
    m_capacity = std::exchange(o.m_capacity, 0);
  }

  S* m_source = nullptr;
  buffer_type m_buffer{};
  std::unique_ptr<char[]> m_heap;
  char* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
};

/// The builder over pool::buffer_pool (or the heap, default-constructed).
using builder = basic_builder<pool::buffer_pool>;

// ===========================================================================
// Text: lines, split, split_any, fields, cut, cut_any, cut_last, trim
//
// Lazy views of std::string_view pieces of a text: nothing is copied or
// allocated, and a piece stays valid as long as the text does (the views are
// borrowed ranges, so a piece obtained from a temporary view is fine, a piece
// of a temporary std::string is not). Separators are found with the byte
// kernels (index_byte_near: index_byte after one vector, since separators
// are usually close; index_any; last_index_byte).
//
//   for (std::string_view line : es::lines(log)) {
//     auto [method, rest, found] = es::cut(line, ' ');
//     for (std::string_view field : es::fields(rest)) ...
//   }
// ===========================================================================

/// The ASCII whitespace bytes: space, \t, \n, \v, \f, \r (C's isspace in the
/// "C" locale; Python's bytes.split() and bytes.strip()).
inline constexpr std::string_view ascii_whitespace = " \t\n\v\f\r";

/// The view lines() returns.
using lines_view = detail::piece_view<detail::line_cutter>;
/// The view split() returns.
using split_view = detail::piece_view<detail::split_cutter<detail::find_byte>>;
/// The view split_any() returns.
using split_any_view = detail::piece_view<detail::split_cutter<detail::find_any>>;
/// The view fields() returns.
using fields_view = detail::piece_view<detail::fields_cutter>;
/// The view fields(s, seps) returns.
using fields_any_view = detail::piece_view<detail::fields_any_cutter>;

/// The lines of a text, lazily: each ends at '\n' (not included), and one
/// '\r' right before the '\n' is dropped too; a last line without '\n'
/// counts; there is no empty line after a final '\n'. "" has no lines,
/// "\n" one empty line, "a\r\nb" {"a", "b"}, "a\r" {"a\r"}. A forward,
/// borrowed range; no allocation; O(1) per byte (index_byte kernel).
///
///   for (std::string_view line : electron::strings::lines(text)) ...
[[nodiscard]] inline lines_view lines(std::string_view text) noexcept { return lines_view(text, {}); }

/// The fields of s between separator bytes, lazily, with the semantics of
/// Python's s.split(sep): n separators give n + 1 fields, so "a,,b" is
/// {"a", "", "b"}, "a," {"a", ""} and "" {""}. A forward, borrowed range; no
/// allocation (index_byte kernel).
[[nodiscard]] inline split_view split(std::string_view s, char sep) noexcept {
  return split_view(s, {detail::find_byte{sep}});
}

/// Like split, where any byte of `seps` separates (each one separately: two
/// in a row make an empty field). With an empty `seps`, the single field s.
/// `seps` must outlive the view's iterators (a literal does). index_any
/// kernel: vectorized for up to 8 separators.
///
///   split_any("k=v;x=y", "=;")  // {"k", "v", "x", "y"}
[[nodiscard]] inline split_any_view split_any(std::string_view s, std::string_view seps) noexcept {
  return split_any_view(s, {detail::find_any{seps}});
}

/// The fields of s separated by runs of ASCII whitespace (ascii_whitespace),
/// lazily, with no empty fields: Python's s.split() with no argument,
/// restricted to ASCII whitespace (bytes >= 0x80 are never separators).
/// "  a \t b\n" is {"a", "b"}; "" and "   " have none. A forward, borrowed
/// range; no allocation.
[[nodiscard]] inline fields_view fields(std::string_view s) noexcept { return fields_view(s, {}); }

/// The fields of s separated by runs of bytes from `seps`, lazily, with no
/// empty fields: fields(s, ascii_whitespace) is fields(s), and
/// fields("a,,b;", ",;") is {"a", "b"}. With an empty `seps`, the single
/// field s (none when s is empty). `seps` must outlive the view's iterators
/// (a literal does). A forward, borrowed range; no allocation (index_any
/// kernel: vectorized for up to 8 separators).
[[nodiscard]] inline fields_any_view fields(std::string_view s, std::string_view seps) noexcept {
  return fields_any_view(s, {seps, detail::byte_table(seps)});
}

/// What cut and cut_last return: the text before and after the separator,
/// and whether there was one. Not found: before is the whole text, after is
/// empty (Go's strings.Cut).
struct cut_result {
  std::string_view before;
  std::string_view after;
  bool found = false;
};

/// Splits s around the first `sep`: cut("key=value=x", '=') is {"key",
/// "value=x", true}. O(position) (index_byte kernel).
[[nodiscard]] inline cut_result cut(std::string_view s, char sep) noexcept {
  const std::size_t i = electron::detail::index_byte_near(electron::detail::kernel_arch{}, detail::text_bytes(s.data()),
                                                          s.size(), static_cast<byte>(sep));
  if (i == npos) return {s, s.substr(s.size()), false};
  return {s.substr(0, i), s.substr(i + 1), true};
}
/// Splits s around the first occurrence of `sep` (a string; an empty one is
/// found at 0): cut("a: b: c", ": ") is {"a", "b: c", true}. O(n + m).
[[nodiscard]] inline cut_result cut(std::string_view s, std::string_view sep) noexcept {
  const std::size_t i = electron::detail::find(electron::detail::kernel_arch{}, detail::text_bytes(s.data()), s.size(),
                                               detail::text_bytes(sep.data()), sep.size());
  if (i == npos) return {s, s.substr(s.size()), false};
  return {s.substr(0, i), s.substr(i + sep.size()), true};
}
/// Splits s around the first byte that is in `seps` (the separator is then
/// s[before.size()]): cut_any("k: v=1", "=:") is {"k", " v=1", true}. An
/// empty `seps` is never found. O(position) (index_any kernel).
[[nodiscard]] inline cut_result cut_any(std::string_view s, std::string_view seps) noexcept {
  const std::size_t i = electron::detail::index_any(electron::detail::kernel_arch{}, detail::text_bytes(s.data()),
                                                    s.size(), detail::text_bytes(seps.data()), seps.size());
  if (i == npos) return {s, s.substr(s.size()), false};
  return {s.substr(0, i), s.substr(i + 1), true};
}
/// Splits s around the last `sep`: cut_last("/var/log/a.log", '/') is
/// {"/var/log", "a.log", true}. Not found: {s, "", false}, as cut.
/// (last_index_byte kernel.)
[[nodiscard]] inline cut_result cut_last(std::string_view s, char sep) noexcept {
  const std::size_t i = electron::detail::last_index_byte(electron::detail::kernel_arch{}, detail::text_bytes(s.data()),
                                                          s.size(), static_cast<byte>(sep));
  if (i == npos) return {s, s.substr(s.size()), false};
  return {s.substr(0, i), s.substr(i + 1), true};
}

/// s without its leading ASCII whitespace (ascii_whitespace).
[[nodiscard]] constexpr std::string_view trim_left(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && detail::is_ascii_space(s[i])) ++i;
  return s.substr(i);
}
/// s without its trailing ASCII whitespace.
[[nodiscard]] constexpr std::string_view trim_right(std::string_view s) noexcept {
  std::size_t n = s.size();
  while (n > 0 && detail::is_ascii_space(s[n - 1])) --n;
  return s.substr(0, n);
}
/// s without leading and trailing ASCII whitespace: Python's bytes.strip().
/// trim(" \t key \r\n") is "key".
[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept { return trim_right(trim_left(s)); }

/// s without its leading bytes that are in `chars` (Python's lstrip(chars)).
[[nodiscard]] constexpr std::string_view trim_left(std::string_view s, std::string_view chars) noexcept {
  const detail::byte_table set(chars);
  std::size_t i = 0;
  while (i < s.size() && set.contains(s[i])) ++i;
  return s.substr(i);
}
/// s without its trailing bytes that are in `chars` (Python's rstrip(chars)).
[[nodiscard]] constexpr std::string_view trim_right(std::string_view s, std::string_view chars) noexcept {
  const detail::byte_table set(chars);
  std::size_t n = s.size();
  while (n > 0 && set.contains(s[n - 1])) --n;
  return s.substr(0, n);
}
/// s without leading and trailing bytes that are in `chars` (Python's
/// strip(chars)): trim("--a-b--", "-") is "a-b".
[[nodiscard]] constexpr std::string_view trim(std::string_view s, std::string_view chars) noexcept {
  return trim_right(trim_left(s, chars), chars);
}

}  // namespace strings
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_STRINGS_HPP
