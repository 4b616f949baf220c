// SPDX-License-Identifier: MIT
// electron/strings/detail/text.hpp: the machinery behind strings::lines,
// split, split_any, fields and trim: cutters that find the next piece of a
// text with the byte kernels, and the forward view over them.
#ifndef ELECTRON_STRINGS_DETAIL_TEXT_HPP
#define ELECTRON_STRINGS_DETAIL_TEXT_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <ranges>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace strings::detail {

/// One of the ASCII whitespace bytes: space, \t, \n, \v, \f, \r.
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || (static_cast<unsigned char>(c) >= '\t' && static_cast<unsigned char>(c) <= '\r');
}

/// A set of bytes as a 256-bit table (for trim with a set).
struct byte_table {
  std::uint64_t bits[4] = {0, 0, 0, 0};
  constexpr explicit byte_table(std::string_view chars) noexcept {
    for (const char ch : chars) {
      const auto b = static_cast<unsigned char>(ch);
      bits[b >> 6] |= std::uint64_t{1} << (b & 63);
    }
  }
  [[nodiscard]] constexpr bool contains(char ch) const noexcept {
    const auto b = static_cast<unsigned char>(ch);
    return ((bits[b >> 6] >> (b & 63)) & 1) != 0;
  }
};

inline const byte* text_bytes(const char* p) noexcept { return reinterpret_cast<const byte*>(p); }

// A cutter finds the next piece: from `rest` (nullptr: no piece left) up to
// `last`, it sets `piece` and moves `rest` past the piece's separator (nullptr
// when the text is used up), or returns false when there is no piece.

/// Lines: '\n' ends a line, one '\r' before it is dropped; no empty line
/// after a final '\n'.
struct line_cutter {
  bool next(const char*& rest, const char* last, std::string_view& piece) const noexcept {
    if (rest == nullptr || rest == last) return false;
    const auto n = static_cast<std::size_t>(last - rest);
    const std::size_t i = electron::detail::index_byte_near(electron::detail::kernel_arch{}, text_bytes(rest), n, '\n');
    if (i == npos) {
      piece = std::string_view(rest, n);
      rest = nullptr;
    } else {
      piece = std::string_view(rest, i != 0 && rest[i - 1] == '\r' ? i - 1 : i);
      rest += i + 1;
    }
    return true;
  }
};

/// Fields between separators found by `Find` (one byte, or a set): every
/// separator ends a field, so n separators make n + 1 fields.
template <class Find>
struct split_cutter {
  Find find;
  bool next(const char*& rest, const char* last, std::string_view& piece) const noexcept {
    if (rest == nullptr) return false;
    const auto n = static_cast<std::size_t>(last - rest);
    const std::size_t i = find(rest, n);
    if (i == npos) {
      piece = std::string_view(rest, n);
      rest = nullptr;
    } else {
      piece = std::string_view(rest, i);
      rest += i + 1;
    }
    return true;
  }
};
struct find_byte {
  char sep = '\0';
  std::size_t operator()(const char* p, std::size_t n) const noexcept {
    return electron::detail::index_byte_near(electron::detail::kernel_arch{}, text_bytes(p), n, static_cast<byte>(sep));
  }
};
struct find_any {
  std::string_view set;
  std::size_t operator()(const char* p, std::size_t n) const noexcept {
    return electron::detail::index_any(electron::detail::kernel_arch{}, text_bytes(p), n, text_bytes(set.data()),
                                       set.size());
  }
};

/// Runs of ASCII whitespace separate fields; no empty fields. With SIMD byte
/// kernels the cutter classifies a block of the text at a time (64 bytes;
/// 16 on NEON) into a bit mask and keeps it, so that each field costs two
/// counts of trailing zeros rather than a mispredicted branch per field
/// boundary; the scalar twin walks the bytes.
struct fields_cutter {
#if ELECTRON_SIMD_BYTE_KERNELS
  using scan = electron::detail::space_scan<electron::detail::kernel_arch>;
  const byte* m_first = nullptr;  // the text's start: reads stay in [m_first, last)
  const byte* m_block = nullptr;  // the classified block
  std::uint64_t m_space = 0;      // its whitespace bits
  std::uint64_t m_valid = 0;      // its bits inside the text

  static constexpr std::uint64_t from_bit(std::size_t k) noexcept { return k < 64 ? ~std::uint64_t{0} << k : 0; }

  void fill(const byte* at, const byte* last) noexcept {
    m_block = at;
    m_space = scan::load(at, m_first, last, m_valid);
  }

  bool next(const char*& rest, const char* last_char, std::string_view& piece) noexcept {
    if (rest == nullptr) return false;
    const byte* p = text_bytes(rest);
    const byte* last = text_bytes(last_char);
    if (m_first == nullptr) m_first = p;  // the first call starts at the text's start
    if (p == last) return false;
    if (m_block == nullptr || static_cast<std::size_t>(p - m_block) >= scan::block) fill(p, last);
    // The field's start: the first non-space at or after p.
    std::uint64_t word = ~m_space & m_valid & from_bit(static_cast<std::size_t>(p - m_block) << scan::shift);
    while (word == 0) {
      if (static_cast<std::size_t>(last - m_block) <= scan::block) {
        rest = nullptr;
        return false;
      }
      fill(m_block + scan::block, last);
      word = ~m_space & m_valid;
    }
    const byte* start = m_block + (static_cast<std::size_t>(std::countr_zero(word)) >> scan::shift);
    // Its end: the first space after the start, or the end of the text.
    std::uint64_t space = m_space & m_valid & from_bit(static_cast<std::size_t>(start - m_block + 1) << scan::shift);
    const byte* end = last;
    for (;;) {
      if (space != 0) {
        end = m_block + (static_cast<std::size_t>(std::countr_zero(space)) >> scan::shift);
        break;
      }
      if (static_cast<std::size_t>(last - m_block) <= scan::block) break;
      fill(m_block + scan::block, last);
      space = m_space & m_valid;
    }
    piece = std::string_view(rest + (start - p), static_cast<std::size_t>(end - start));
    rest = end == last ? nullptr : rest + (end - p) + 1;
    return true;
  }
#else
  bool next(const char*& rest, const char* last, std::string_view& piece) const noexcept {
    if (rest == nullptr) return false;
    while (rest != last && is_ascii_space(*rest)) ++rest;
    if (rest == last) return false;
    const char* end = rest + 1;
    while (end != last && !is_ascii_space(*end)) ++end;
    piece = std::string_view(rest, static_cast<std::size_t>(end - rest));
    rest = end == last ? nullptr : end + 1;
    return true;
  }
#endif
};

/// Runs of bytes from a set separate fields; no empty fields. The set is
/// skipped through a 256-bit table and the field's end found with the
/// index_any kernel (vectorized for up to 8 separators).
struct fields_any_cutter {
  std::string_view set;
  byte_table table{std::string_view{}};

  bool next(const char*& rest, const char* last, std::string_view& piece) const noexcept {
    if (rest == nullptr) return false;
    while (rest != last && table.contains(*rest)) ++rest;
    if (rest == last) return false;
    const auto tail = static_cast<std::size_t>(last - rest) - 1;
    const std::size_t i = electron::detail::index_any(electron::detail::kernel_arch{}, text_bytes(rest + 1), tail,
                                                      text_bytes(set.data()), set.size());
    const char* end = i == npos ? last : rest + 1 + i;
    piece = std::string_view(rest, static_cast<std::size_t>(end - rest));
    rest = end == last ? nullptr : end + 1;
    return true;
  }
};

/// A forward view of the pieces a Cutter finds in a text. The iterators hold
/// the current piece and the position after it; a piece is a view of the
/// text (a borrowed range: valid while the text is, not the view).
/// (std::ranges::view_base rather than view_interface: clang 14 with
/// libstdc++ 12 checks view_interface's constraints on the still incomplete
/// derived class and rejects it.)
template <class Cutter>
class piece_view : public std::ranges::view_base {
 public:
  class iterator {
   public:
    using value_type = std::string_view;
    using reference = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;  // operator* returns a value

    iterator() noexcept = default;

    [[nodiscard]] std::string_view operator*() const noexcept { return m_piece; }
    iterator& operator++() noexcept {
      m_done = !m_cut.next(m_rest, m_last, m_piece);
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    // Pieces start at strictly increasing positions, so the start tells two
    // positions in the same text apart.
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.m_done == b.m_done && (a.m_done || a.m_piece.data() == b.m_piece.data());
    }

   private:
    friend class piece_view;
    iterator(Cutter cut, std::string_view text) noexcept
        : m_cut(cut), m_rest(text.data()), m_last(text.data() + text.size()) {
      m_done = !m_cut.next(m_rest, m_last, m_piece);
    }

    Cutter m_cut{};
    const char* m_rest = nullptr;
    const char* m_last = nullptr;
    std::string_view m_piece;
    bool m_done = true;
  };

  piece_view() noexcept = default;
  // An empty text with a null data() (std::string_view{}) points at a
  // literal instead: a null position means "no piece left".
  piece_view(std::string_view text, Cutter cut) noexcept
      : m_text(text.data() != nullptr ? text : std::string_view("")), m_cut(cut) {}

  /// O(length of the first piece).
  [[nodiscard]] iterator begin() const noexcept { return iterator(m_cut, m_text); }
  [[nodiscard]] iterator end() const noexcept { return iterator(); }
  /// True when there is no piece. O(length of the first piece).
  [[nodiscard]] bool empty() const noexcept { return begin() == end(); }
  [[nodiscard]] explicit operator bool() const noexcept { return !empty(); }
  /// The first piece. Precondition: !empty() (ELECTRON_ASSERT).
  [[nodiscard]] std::string_view front() const noexcept {
    const iterator it = begin();
    ELECTRON_ASSERT(it != end(), "front() of an empty text view");
    return *it;
  }
  /// The whole text the pieces come from.
  [[nodiscard]] std::string_view text() const noexcept { return m_text; }

 private:
  std::string_view m_text = std::string_view("");
  Cutter m_cut{};
};

}  // namespace strings::detail
ELECTRON_END_NAMESPACE

// The text views are borrowed ranges: their pieces point into the text, not
// into the view.
template <class Cutter>
inline constexpr bool std::ranges::enable_borrowed_range<electron::strings::detail::piece_view<Cutter>> = true;

#endif  // ELECTRON_STRINGS_DETAIL_TEXT_HPP
