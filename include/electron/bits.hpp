// SPDX-License-Identifier: MIT
// electron/bits.hpp: bit manipulation on unsigned words and a dynamic bitset.
//
// The word functions are constexpr, noexcept and defined for every input
// (including 0 and values whose next power of two does not fit): no UB.
// `bitset` is an allocator-aware dynamic bitset whose bulk operations (count,
// find, & | ^ ~, ==) run on SIMD kernels chosen at compile time.
//
//   electron::bits::bitset seen(1000);
//   seen.set(3); seen.set(700);
//   for (std::size_t i : seen.set_bits()) std::printf("%zu\n", i);  // 3, 700
//   static_assert(electron::bits::round_up_pow2(17u) == 32u);
#ifndef ELECTRON_BITS_HPP
#define ELECTRON_BITS_HPP

#include "electron/bits/detail/kernels.hpp"
#include "electron/config.hpp"
#include "electron/detail/simd.hpp"

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <memory_resource>
#include <ranges>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace bits {

// ===========================================================================
// Word functions
// ===========================================================================

/// An unsigned integer type the word functions accept: the standard unsigned
/// integers, not bool and not the character types (as for <bit>).
template <class T>
concept unsigned_word =
    std::unsigned_integral<T> && !std::same_as<std::remove_cv_t<T>, bool> && !std::same_as<std::remove_cv_t<T>, char> &&
    !std::same_as<std::remove_cv_t<T>, char8_t> && !std::same_as<std::remove_cv_t<T>, char16_t> &&
    !std::same_as<std::remove_cv_t<T>, char32_t> && !std::same_as<std::remove_cv_t<T>, wchar_t>;

/// Number of bits of T.
template <unsigned_word T>
inline constexpr int word_bits = std::numeric_limits<T>::digits;

/// Number of one bits. O(1).
template <unsigned_word T>
[[nodiscard]] constexpr int popcount(T x) noexcept {
  return std::popcount(x);
}

/// Number of consecutive zero bits from the most significant; word_bits<T> for 0.
template <unsigned_word T>
[[nodiscard]] constexpr int leading_zeros(T x) noexcept {
  return std::countl_zero(x);
}

/// Number of consecutive zero bits from the least significant; word_bits<T> for 0.
template <unsigned_word T>
[[nodiscard]] constexpr int trailing_zeros(T x) noexcept {
  return std::countr_zero(x);
}

/// Rotates left by k bits; any k (taken modulo word_bits<T>, negative rotates right).
template <unsigned_word T>
[[nodiscard]] constexpr T rotate_left(T x, int k) noexcept {
  return std::rotl(x, k);
}

/// Rotates right by k bits; any k (taken modulo word_bits<T>, negative rotates left).
template <unsigned_word T>
[[nodiscard]] constexpr T rotate_right(T x, int k) noexcept {
  return std::rotr(x, k);
}

/// True when x is a power of two (0 is not).
template <unsigned_word T>
[[nodiscard]] constexpr bool is_pow2(T x) noexcept {
  return std::has_single_bit(x);
}

/// Number of bits needed to represent x: 0 for 0, else 1 + floor(log2(x)).
template <unsigned_word T>
[[nodiscard]] constexpr int bit_width(T x) noexcept {
  return static_cast<int>(std::bit_width(x));
}

/// The smallest power of two >= x. Defined everywhere:
/// - round_up_pow2(0) == 1 (the smallest power of two);
/// - when the result does not fit in T (x > 2^(word_bits<T>-1)) it is 0, a
///   value no power of two equals, so `if (r == 0)` detects overflow.
/// (std::bit_ceil is undefined behaviour in that case.)
template <unsigned_word T>
[[nodiscard]] constexpr T round_up_pow2(T x) noexcept {
  if (x <= 1) return T{1};
  constexpr T top = static_cast<T>(T{1} << (word_bits<T> - 1));
  if (x > top) return T{0};
  return static_cast<T>(T{1} << std::bit_width(static_cast<T>(x - 1)));
}

// ===========================================================================
// bitset
// ===========================================================================

/// An allocator for the words of a bitset.
template <class A>
concept word_allocator = std::same_as<typename std::allocator_traits<A>::value_type, std::uint64_t>;

template <word_allocator Allocator = std::allocator<std::uint64_t>>
class basic_bitset;

/// Forward iterator over the indices of the one bits, in increasing order.
/// Invalidated by any change to the bitset.
class set_bit_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using iterator_concept = std::forward_iterator_tag;
  using value_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = std::size_t;
  using pointer = void;

  set_bit_iterator() noexcept = default;
  [[nodiscard]] std::size_t operator*() const noexcept {
    return m_word * 64 + static_cast<std::size_t>(std::countr_zero(m_bits));
  }
  set_bit_iterator& operator++() noexcept {
    m_bits &= m_bits - 1;
    if (m_bits == 0) advance(m_word + 1);
    return *this;
  }
  set_bit_iterator operator++(int) noexcept {
    set_bit_iterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const set_bit_iterator& a, const set_bit_iterator& b) noexcept {
    return a.m_word == b.m_word && a.m_bits == b.m_bits;
  }

 private:
  friend class set_bit_range;
  set_bit_iterator(const std::uint64_t* words, std::size_t n, std::size_t from) noexcept : m_words(words), m_count(n) {
    advance(from);
  }
  void advance(std::size_t w) noexcept {
    // Dense sets: the next word is usually non-zero, so look at it first.
    if (w < m_count && m_words[w] != 0) {
      m_word = w;
      m_bits = m_words[w];
      return;
    }
    if (w < m_count) {
      w += detail::find_nonzero_word(electron::detail::default_arch{}, m_words + w, m_count - w);
    }
    m_word = w < m_count ? w : m_count;
    m_bits = w < m_count ? m_words[w] : 0;
  }
  const std::uint64_t* m_words = nullptr;
  std::size_t m_count = 0;
  std::size_t m_word = 0;
  std::uint64_t m_bits = 0;
};

/// The indices of the one bits, as a forward range (usable in range-for and
/// with std::ranges algorithms). Invalidated by any change to the bitset.
class set_bit_range : public std::ranges::view_base {
 public:
  set_bit_range() noexcept = default;
  [[nodiscard]] set_bit_iterator begin() const noexcept { return set_bit_iterator(m_words, m_count, 0); }
  [[nodiscard]] set_bit_iterator end() const noexcept { return set_bit_iterator(m_words, m_count, m_count); }

 private:
  template <word_allocator>
  friend class basic_bitset;
  set_bit_range(const std::uint64_t* w, std::size_t n) noexcept : m_words(w), m_count(n) {}
  const std::uint64_t* m_words = nullptr;
  std::size_t m_count = 0;
};

/// A dynamically sized sequence of bits, stored in 64-bit words.
///
/// - Index preconditions (`set`, `clear`, `flip`, `test`, `operator[]`):
///   `i < size()`, checked by ELECTRON_ASSERT (debug builds, or any build
///   with ELECTRON_ENABLE_ASSERTS); `at(i)` always checks and throws
///   std::out_of_range.
/// - Binary operations between bitsets of different sizes treat the shorter
///   as zero-extended; the result has the larger size. `==` compares size and bits.
/// - Not thread-safe for concurrent writes; const member functions may run
///   concurrently.
/// - Allocates only on construction, resize and growth of `*this` by a
///   binary operation, through its allocator.
/// - Sizes: at most max_size() bits (PTRDIFF_MAX, or less when the
///   allocator's max_size() is smaller). Like the std containers, a larger
///   size throws std::length_error, before anything is allocated or changed;
///   a size the allocator cannot serve throws what it throws
///   (std::bad_alloc), and leaves the bitset as it was.
template <word_allocator Allocator>
class basic_bitset {
 public:
  using word_type = std::uint64_t;
  using size_type = std::size_t;
  using allocator_type = Allocator;
  /// Returned by the find functions when there is no such bit.
  static constexpr size_type npos = electron::npos;
  static constexpr size_type bits_per_word = 64;

  // ---- construction -------------------------------------------------------
  // (The trait, not noexcept(Allocator()): for an allocator without a
  // default constructor that expression is ill-formed, where the question
  // "is the bitset nothrow default constructible" must answer false.)
  basic_bitset() noexcept(std::is_nothrow_default_constructible_v<Allocator>) = default;
  explicit basic_bitset(const Allocator& alloc) noexcept : m_words(alloc) {}
  /// n bits, all equal to `value`.
  explicit basic_bitset(size_type n, bool value = false, const Allocator& alloc = Allocator())
      : m_words(checked_words(n, alloc), value ? ~word_type{0} : word_type{0}, alloc), m_size(n) {
    clear_padding();
  }
  basic_bitset(const basic_bitset&) = default;
  basic_bitset(const basic_bitset& other, const Allocator& alloc)
      : m_words(other.m_words, alloc), m_size(other.m_size) {}
  basic_bitset(basic_bitset&& other) noexcept
      : m_words(std::move(other.m_words)), m_size(std::exchange(other.m_size, 0)) {
    other.m_words.clear();
  }
  basic_bitset(basic_bitset&& other, const Allocator& alloc)
      : m_words(std::move(other.m_words), alloc), m_size(std::exchange(other.m_size, 0)) {
    other.m_words.clear();
  }
  basic_bitset& operator=(const basic_bitset&) = default;
  // NOLINTBEGIN(performance-noexcept-move-constructor): noexcept exactly when
  // the allocator lets the words move (a test allocator that neither
  // propagates nor compares equal makes it false, and must).
  basic_bitset& operator=(basic_bitset&& other) noexcept(
      std::allocator_traits<Allocator>::propagate_on_container_move_assignment::value ||
      std::allocator_traits<Allocator>::is_always_equal::value) {
    // NOLINTEND(performance-noexcept-move-constructor)
    // Self-move (std::swap(b, b) does one) leaves the bitset unchanged; the
    // vector's own self-move would empty the words but keep the size.
    if (this == std::addressof(other)) return *this;
    m_words = std::move(other.m_words);
    m_size = std::exchange(other.m_size, 0);
    other.m_words.clear();
    return *this;
  }
  ~basic_bitset() = default;

  [[nodiscard]] allocator_type get_allocator() const noexcept { return m_words.get_allocator(); }

  // ---- size ---------------------------------------------------------------
  [[nodiscard]] size_type size() const noexcept { return m_size; }
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  [[nodiscard]] size_type word_count() const noexcept { return m_words.size(); }
  /// The largest size(): PTRDIFF_MAX bits, since the distance between two
  /// set_bit_iterators is a std::ptrdiff_t (as std::vector<bool> has it), or
  /// fewer when the allocator cannot hand out that many words.
  [[nodiscard]] size_type max_size() const noexcept { return max_size_for(m_words.get_allocator()); }
  /// Read-only view of the words; bit i is bit (i % 64) of word i / 64, and
  /// the bits past size() in the last word are always zero.
  [[nodiscard]] const word_type* data() const noexcept { return m_words.data(); }
  /// Writable words, for kernels that build a selection a word at a time
  /// (dense::filter). The bits past size() in the last word must read zero
  /// again before the next other call: write them as zero, or call
  /// clear_unused_bits(). O(1), noexcept.
  ///   b.resize(n); fill(b.data(), b.word_count()); b.clear_unused_bits();
  [[nodiscard]] word_type* data() noexcept { return m_words.data(); }
  /// Zeroes the bits past size() in the last word (after writes through
  /// data()). O(1), noexcept.
  void clear_unused_bits() noexcept {
    if (const size_type rest = m_size % bits_per_word; rest != 0) {
      m_words.back() &= ~word_type{0} >> (bits_per_word - rest);
    }
  }

  /// Changes the size to n; new bits are `value`. Keeps the first min(n, size()) bits.
  /// Throws std::length_error when n > max_size(); if it throws, nothing changed.
  void resize(size_type n, bool value = false) {
    const size_type old = m_size;
    const size_type old_words = m_words.size();
    // The words first: when that throws (vector::resize then has no
    // effect), the padding bits of the last word must still be zero.
    m_words.resize(checked_words(n, m_words.get_allocator()), value ? ~word_type{0} : word_type{0});
    if (value && n > old && old % bits_per_word != 0) {
      m_words[old_words - 1] |= ~word_type{0} << (old % bits_per_word);
    }
    m_size = n;
    clear_padding();
  }
  /// Reserves storage for n bits. Throws std::length_error when n > max_size().
  void reserve(size_type n) { m_words.reserve(checked_words(n, m_words.get_allocator())); }
  /// Appends one bit.
  void push_back(bool value) {
    if (m_size % bits_per_word == 0) m_words.push_back(0);
    ++m_size;
    if (value) m_words.back() |= word_type{1} << ((m_size - 1) % bits_per_word);
  }
  void swap(basic_bitset& other) noexcept {
    m_words.swap(other.m_words);
    std::swap(m_size, other.m_size);
  }
  friend void swap(basic_bitset& a, basic_bitset& b) noexcept { a.swap(b); }

  // ---- single bits --------------------------------------------------------
  /// Sets bit i to 1. Precondition: i < size().
  basic_bitset& set(size_type i) noexcept {
    check_index(i);
    m_words[i / bits_per_word] |= mask_of(i);
    return *this;
  }
  /// Sets bit i to `value`. Precondition: i < size().
  basic_bitset& set(size_type i, bool value) noexcept { return value ? set(i) : clear(i); }
  /// Sets bit i to 0. Precondition: i < size().
  basic_bitset& clear(size_type i) noexcept {
    check_index(i);
    m_words[i / bits_per_word] &= ~mask_of(i);
    return *this;
  }
  /// Same as clear(i), for std::bitset compatibility.
  basic_bitset& reset(size_type i) noexcept { return clear(i); }
  /// Inverts bit i. Precondition: i < size().
  basic_bitset& flip(size_type i) noexcept {
    check_index(i);
    m_words[i / bits_per_word] ^= mask_of(i);
    return *this;
  }
  /// Value of bit i. Precondition: i < size().
  [[nodiscard]] bool test(size_type i) const noexcept {
    check_index(i);
    return (m_words[i / bits_per_word] & mask_of(i)) != 0;
  }
  /// Value of bit i. Precondition: i < size().
  [[nodiscard]] bool operator[](size_type i) const noexcept { return test(i); }
  /// Value of bit i; throws std::out_of_range when i >= size().
  [[nodiscard]] bool at(size_type i) const {
    if (i >= m_size) electron::detail::throw_error<std::out_of_range>("electron::bits::bitset::at: index out of range");
    return (m_words[i / bits_per_word] & mask_of(i)) != 0;
  }

  // ---- all bits -----------------------------------------------------------
  /// Sets every bit to 1.
  basic_bitset& set() noexcept {
    std::fill(m_words.begin(), m_words.end(), ~word_type{0});
    clear_padding();
    return *this;
  }
  /// Sets every bit to 0.
  basic_bitset& reset() noexcept {
    std::fill(m_words.begin(), m_words.end(), word_type{0});
    return *this;
  }
  /// Inverts every bit.
  basic_bitset& flip() noexcept {
    detail::not_words(electron::detail::default_arch{}, m_words.data(), m_words.data(), m_words.size());
    clear_padding();
    return *this;
  }

  /// Number of one bits. O(size()/64), SIMD.
  [[nodiscard]] size_type count() const noexcept {
    return detail::popcount_words(electron::detail::default_arch{}, m_words.data(), m_words.size());
  }
  /// True when some bit is 1.
  [[nodiscard]] bool any() const noexcept { return find_word(0) != npos; }
  /// True when no bit is 1 (also for an empty bitset).
  [[nodiscard]] bool none() const noexcept { return !any(); }
  /// True when every bit is 1 (also for an empty bitset, like std::bitset).
  [[nodiscard]] bool all() const noexcept {
    const size_type full = m_size / bits_per_word;
    for (size_type w = 0; w < full; ++w) {
      if (m_words[w] != ~word_type{0}) return false;
    }
    const size_type rest = m_size % bits_per_word;
    return rest == 0 || m_words[full] == (~word_type{0} >> (bits_per_word - rest));
  }

  // ---- search -------------------------------------------------------------
  /// Index of the lowest one bit, or npos.
  [[nodiscard]] size_type find_first_set() const noexcept {
    const size_type w = find_word(0);
    return w == npos ? npos : w * bits_per_word + static_cast<size_type>(std::countr_zero(m_words[w]));
  }
  /// Index of the lowest one bit strictly after i, or npos (also when
  /// i >= size(); i == npos is allowed and returns npos).
  [[nodiscard]] size_type find_next_set(size_type i) const noexcept {
    if (i >= m_size || i + 1 >= m_size) return npos;
    const size_type start = i + 1;
    size_type w = start / bits_per_word;
    const word_type first = m_words[w] & (~word_type{0} << (start % bits_per_word));
    if (first != 0) return w * bits_per_word + static_cast<size_type>(std::countr_zero(first));
    w = find_word(w + 1);
    return w == npos ? npos : w * bits_per_word + static_cast<size_type>(std::countr_zero(m_words[w]));
  }
  /// Index of the highest one bit, or npos.
  [[nodiscard]] size_type find_last_set() const noexcept {
    for (size_type w = m_words.size(); w-- > 0;) {
      if (m_words[w] != 0) return w * bits_per_word + 63 - static_cast<size_type>(std::countl_zero(m_words[w]));
    }
    return npos;
  }

  using set_bit_iterator = bits::set_bit_iterator;
  using set_bit_range = bits::set_bit_range;

  /// Range of the indices of the one bits, lowest first. It refers to the
  /// bitset's words, so the bitset must outlive it.
  [[nodiscard]] set_bit_range set_bits() const& noexcept { return set_bit_range(m_words.data(), m_words.size()); }
  /// Deleted: the range of a temporary would dangle as soon as the full
  /// expression ends (`for (auto i : (a & b).set_bits())` before C++23).
  /// Name the bitset first: `auto c = a & b; for (auto i : c.set_bits())`.
  set_bit_range set_bits() const&& = delete;

  // ---- bitwise operators --------------------------------------------------
  basic_bitset& operator&=(const basic_bitset& o) { return combine<detail::word_op::and_>(o); }
  basic_bitset& operator|=(const basic_bitset& o) { return combine<detail::word_op::or_>(o); }
  basic_bitset& operator^=(const basic_bitset& o) { return combine<detail::word_op::xor_>(o); }
  /// *this &= ~o (set difference), without a temporary.
  basic_bitset& and_not(const basic_bitset& o) { return combine<detail::word_op::and_not>(o); }

  // a & b, a | b, a ^ b allocate once, for the copy of a: they return the
  // parameter itself, which is moved out (`return a &= b;` would copy the
  // reference that &= returns).
  [[nodiscard]] friend basic_bitset operator&(basic_bitset a, const basic_bitset& b) {
    a &= b;
    return a;
  }
  [[nodiscard]] friend basic_bitset operator|(basic_bitset a, const basic_bitset& b) {
    a |= b;
    return a;
  }
  [[nodiscard]] friend basic_bitset operator^(basic_bitset a, const basic_bitset& b) {
    a ^= b;
    return a;
  }
  [[nodiscard]] friend basic_bitset operator~(basic_bitset a) {
    a.flip();
    return a;
  }

  /// Same size and same bits.
  [[nodiscard]] friend bool operator==(const basic_bitset& a, const basic_bitset& b) noexcept {
    return a.m_size == b.m_size &&
           detail::equal_words(electron::detail::default_arch{}, a.m_words.data(), b.m_words.data(), a.m_words.size());
  }

 private:
  static constexpr size_type words_for(size_type n) noexcept { return n / bits_per_word + (n % bits_per_word != 0); }
  static size_type max_size_for(const Allocator& a) noexcept {
    constexpr auto limit = static_cast<size_type>(std::numeric_limits<std::ptrdiff_t>::max());
    const size_type words =
        std::min<size_type>(std::allocator_traits<Allocator>::max_size(a), limit / sizeof(word_type));
    return words > limit / bits_per_word ? limit : words * bits_per_word;
  }
  static size_type checked_words(size_type n, const Allocator& a) {
    if (ELECTRON_UNLIKELY(n > max_size_for(a))) {
      electron::detail::throw_error<std::length_error>("electron::bits::bitset: size above max_size()");
    }
    return words_for(n);
  }
  static constexpr word_type mask_of(size_type i) noexcept { return word_type{1} << (i % bits_per_word); }
  void check_index([[maybe_unused]] size_type i) const noexcept {
    ELECTRON_ASSERT(i < m_size, "bitset index out of range");
  }
  // Keeps the invariant that bits at or past size() are zero.
  void clear_padding() noexcept {
    const size_type rest = m_size % bits_per_word;
    // (m_words is never empty when rest != 0; saying so keeps g++ -O3's
    // -Wnull-dereference from flagging the back() of an empty vector.)
    if (rest != 0 && !m_words.empty()) m_words.back() &= ~word_type{0} >> (bits_per_word - rest);
  }
  // Index of the first non-zero word at or after w, or npos.
  size_type find_word(size_type w) const noexcept {
    if (w >= m_words.size()) return npos;
    const size_type r =
        w + detail::find_nonzero_word(electron::detail::default_arch{}, m_words.data() + w, m_words.size() - w);
    return r == m_words.size() ? npos : r;
  }
  template <detail::word_op Op>
  basic_bitset& combine(const basic_bitset& o) {
    if (o.m_size > m_size) resize(o.m_size);
    const size_type common = o.m_words.size();
    detail::combine_words<Op>(electron::detail::default_arch{}, m_words.data(), m_words.data(), o.m_words.data(),
                              common);
    // Words past `o`: o is zero there, so | ^ and and_not keep ours; & clears them.
    if constexpr (Op == detail::word_op::and_)
      std::fill(m_words.begin() + static_cast<std::ptrdiff_t>(common), m_words.end(), 0);
    return *this;
  }

  std::vector<word_type, Allocator> m_words;
  size_type m_size = 0;
};

/// The bitset with std::allocator.
using bitset = basic_bitset<>;

namespace pmr {
/// The bitset with a std::pmr::polymorphic_allocator.
using bitset = basic_bitset<std::pmr::polymorphic_allocator<std::uint64_t>>;
}  // namespace pmr

}  // namespace bits
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_BITS_HPP
