// SPDX-License-Identifier: MIT
// electron/parse/detail/float_exact.hpp: the exact conversion parse_float
// falls back to when the fast ones cannot decide: halfway cases, more than
// 19 significant digits that straddle a rounding boundary, and the rare
// products the Eisel-Lemire step flags. It compares the decimal input with
// the halfway point between a candidate float and its neighbour in big
// integer arithmetic, and moves the candidate until it is the nearest
// (ties to even). Correctness over speed: it runs for a tiny share of real
// inputs.
//
// The decimal is cut to its first 800 significant digits plus a sticky
// nonzero digit when more follow. That keeps every comparison exact: a
// halfway point between two doubles has at most 767 significant digits
// (2^-1075's expansion, less its leading zeros), so no halfway point lies
// strictly between the cut decimal and the full one (the classic argument;
// see e.g. W. D. Clinger 1990, section 6, and Lemire 2021, section 11).
#ifndef ELECTRON_PARSE_DETAIL_FLOAT_EXACT_HPP
#define ELECTRON_PARSE_DETAIL_FLOAT_EXACT_HPP

#include "electron/config.hpp"
#include "electron/parse/detail/float_lemire.hpp"
#include "electron/parse/detail/float_scan.hpp"

#include <cstddef>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

inline constexpr std::int64_t exact_max_digits = 800;

/// A fixed-capacity unsigned big integer (little-endian 64-bit limbs), just
/// what the comparison needs. 64 limbs: both sides stay under ~2,800 bits
/// (10^801 on one side; 5^1124 times a 54-bit significand on the other,
/// the decimal being at least 10^-343 - 800 digits when this runs).
class exact_bigint {
 public:
  static constexpr std::size_t capacity = 64;

  constexpr void mul_small(std::uint64_t f) noexcept {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < m_size; ++i) {
      const uint128 v = static_cast<uint128>(m_limbs[i]) * f + carry;
      m_limbs[i] = static_cast<std::uint64_t>(v);
      carry = static_cast<std::uint64_t>(v >> 64);
    }
    if (carry != 0) push(carry);
  }
  constexpr void add_small(std::uint64_t a) noexcept {
    for (std::size_t i = 0; i < m_size && a != 0; ++i) {
      m_limbs[i] += a;
      a = m_limbs[i] < a ? 1 : 0;
    }
    if (a != 0) push(a);
  }
  constexpr void mul_pow5(std::int64_t n) noexcept {
    constexpr std::uint64_t pow5_27 = 7450580596923828125ULL;  // 5^27, the largest below 2^64
    for (; n >= 27; n -= 27) mul_small(pow5_27);
    std::uint64_t f = 1;
    for (; n > 0; --n) f *= 5;
    mul_small(f);
  }
  constexpr void shift_left(std::int64_t n) noexcept {
    if (m_size == 0 || n == 0) return;
    const auto limbs = static_cast<std::size_t>(n / 64);
    const auto bits = static_cast<unsigned>(n % 64);
    ELECTRON_ASSERT(m_size + limbs + 1 <= capacity, "parse_float: exact_bigint capacity");
    if (bits != 0) {
      std::uint64_t carry = 0;
      for (std::size_t i = 0; i < m_size; ++i) {
        const std::uint64_t v = m_limbs[i];
        m_limbs[i] = (v << bits) | carry;
        carry = v >> (64 - bits);
      }
      if (carry != 0) push(carry);
    }
    if (limbs != 0) {
      for (std::size_t i = m_size; i-- > 0;) m_limbs[i + limbs] = m_limbs[i];
      for (std::size_t i = 0; i < limbs; ++i) m_limbs[i] = 0;
      m_size += limbs;
    }
  }
  /// -1, 0 or 1 as *this is below, equal to or above o.
  constexpr int compare(const exact_bigint& o) const noexcept {
    if (m_size != o.m_size) return m_size < o.m_size ? -1 : 1;
    for (std::size_t i = m_size; i-- > 0;) {
      if (m_limbs[i] != o.m_limbs[i]) return m_limbs[i] < o.m_limbs[i] ? -1 : 1;
    }
    return 0;
  }

 private:
  constexpr void push(std::uint64_t v) noexcept {
    ELECTRON_ASSERT(m_size < capacity, "parse_float: exact_bigint capacity");
    if (m_size < capacity) m_limbs[m_size++] = v;
  }
  std::uint64_t m_limbs[capacity] = {};
  std::size_t m_size = 0;
};

/// The decimal as digits * 10^exponent10, digits cut to exact_max_digits.
struct exact_decimal {
  exact_bigint digits;
  std::int64_t exponent10 = 0;
};

constexpr exact_decimal make_exact_decimal(const float_scan& s) noexcept {
  exact_decimal d;
  std::uint64_t chunk = 0, scale = 1;
  const significant_digits r = walk_significant(s, exact_max_digits, [&](unsigned v) {
    chunk = chunk * 10 + v;
    scale *= 10;
    if (scale == 10000000000000000000ULL) {  // 19 digits at a time
      d.digits.mul_small(scale);
      d.digits.add_small(chunk);
      chunk = 0;
      scale = 1;
    }
  });
  if (scale != 1) {
    d.digits.mul_small(scale);
    d.digits.add_small(chunk);
  }
  d.exponent10 = s.explicit_exponent + r.point_shift;
  if (r.dropped_nonzero) {  // the sticky digit
    d.digits.mul_small(10);
    d.digits.add_small(1);
    --d.exponent10;
  }
  return d;
}

/// Compares the decimal with the point halfway between the float with bits
/// b and the next one up, (2f + 1) * 2^(e - 1) for b = f * 2^e.
template <class T>
constexpr int compare_with_halfway(const exact_decimal& d, typename float_traits<T>::bits_type b) noexcept {
  using tr = float_traits<T>;
  const auto field = static_cast<std::int64_t>(b >> tr::mantissa_bits);
  const std::uint64_t frac = b & ((std::uint64_t{1} << tr::mantissa_bits) - 1);
  const std::uint64_t f = field == 0 ? frac : frac | (std::uint64_t{1} << tr::mantissa_bits);
  const std::int64_t e = (field == 0 ? 1 : field) - tr::exponent_bias - tr::mantissa_bits;
  // digits * 10^x against h * 2^y: both sides as integers times a power of
  // two, then the smaller power shifted onto the other side.
  exact_bigint left = d.digits, right;
  right.add_small(2 * f + 1);
  std::int64_t left_exp = 0, right_exp = e - 1;
  if (d.exponent10 >= 0) {
    left.mul_pow5(d.exponent10);
    left_exp = d.exponent10;
  } else {
    right.mul_pow5(-d.exponent10);
    right_exp -= d.exponent10;
  }
  if (left_exp > right_exp) {
    left.shift_left(left_exp - right_exp);
  } else {
    right.shift_left(right_exp - left_exp);
  }
  return left.compare(right);
}

/// The correctly rounded bits of |decimal| for the number at the start of
/// [first, last) (scanned again here: the hot path keeps its scan in
/// registers and hands over only the text), from a candidate within one
/// unit in the last place (bits_type of T; an infinity when it overflows).
template <class T>
ELECTRON_NOINLINE constexpr typename float_traits<T>::bits_type exact_round(
    const char* first, const char* last, float_syntax syn, typename float_traits<T>::bits_type candidate) noexcept {
  using tr = float_traits<T>;
  using bits_type = typename tr::bits_type;
  constexpr auto infinity_bits = static_cast<bits_type>(bits_type{tr::infinite_exponent} << tr::mantissa_bits);
  const exact_decimal d = make_exact_decimal(scan_float(first, last, syn));
  bits_type c = candidate;
  for (;;) {
    // Past the largest finite value, the next one up is treated as 2^(max
    // exponent + 1): the halfway point between them is where IEEE rounding
    // overflows to infinity.
    if (c < infinity_bits) {
      const int up = compare_with_halfway<T>(d, c);
      if (up > 0 || (up == 0 && (c & 1) != 0)) {
        ++c;
        continue;
      }
    }
    if (c > 0) {
      const int down = compare_with_halfway<T>(d, static_cast<bits_type>(c - 1));
      if (down < 0 || (down == 0 && (c & 1) != 0)) {
        --c;
        continue;
      }
    }
    return c;
  }
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FLOAT_EXACT_HPP
