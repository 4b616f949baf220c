// SPDX-License-Identifier: MIT
// electron/parse/detail/float_lemire.hpp: the two fast conversions of
// parse_float, from w * 10^q (w a 64-bit integer) to the nearest float:
//
// - Clinger's fast path (W. D. Clinger, "How to Read Floating Point Numbers
//   Accurately", PLDI 1990): when w and 10^|q| are both exact in T, one IEEE
//   multiplication or division is correctly rounded.
// - The Eisel-Lemire step (D. Lemire, "Number Parsing at a Gigabyte per
//   Second", Software: Practice and Experience 51(8), 2021, algorithm 1; N.
//   Noble, J. Mushtak, D. Lemire, "Fast Number Parsing Without Fallback",
//   Software: Practice and Experience 53(6), 2023): w times a 128-bit
//   approximation of 5^q, truncated to the bits a float needs plus a rounding
//   bit. It says when the approximation cannot decide the rounding; the
//   caller then asks float_exact.hpp.
#ifndef ELECTRON_PARSE_DETAIL_FLOAT_LEMIRE_HPP
#define ELECTRON_PARSE_DETAIL_FLOAT_LEMIRE_HPP

#include "electron/config.hpp"
#include "electron/parse/detail/float_tables.hpp"

#include <bit>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

__extension__ using uint128 = unsigned __int128;

/// The IEEE binary formats parse_float produces.
template <class T>
struct float_traits;
template <>
struct float_traits<double> {
  using bits_type = std::uint64_t;
  static constexpr int mantissa_bits = 52;  ///< stored significand bits
  static constexpr int exponent_bias = 1023;
  static constexpr int infinite_exponent = 2047;  ///< biased exponent of inf and nan
  // w * 10^q with w < 2^64 and q below this is under half the smallest
  // subnormal (2^64 * 10^-343 < 2^-1075), so rounds to zero; with w >= 1 and
  // q above largest_power it is at least 1e309, above the largest double.
  static constexpr int smallest_power = -342;
  static constexpr int largest_power = 308;
  // Clinger: 10^22 is the largest power of ten a double holds exactly.
  static constexpr int clinger_max = 22;
  // Only products with q in [0, 27] are exact (5^27 < 2^64): ties below
  // and above that range go to the exact comparison.
  static constexpr double powers[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
};
template <>
struct float_traits<float> {
  using bits_type = std::uint32_t;
  static constexpr int mantissa_bits = 23;
  static constexpr int exponent_bias = 127;
  static constexpr int infinite_exponent = 255;
  // 2^64 * 10^-65 < 2^-150; 10^39 > FLT_MAX.
  static constexpr int smallest_power = -64;
  static constexpr int largest_power = 38;
  static constexpr int clinger_max = 10;
  static constexpr float powers[11] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
};

/// Clinger's fast path: the value when w * 10^q is computed exactly rounded
/// by one IEEE operation, otherwise false. Needs round-to-nearest and no
/// excess precision (FLT_EVAL_METHOD 0, which x86-64 and AArch64 have).
template <class T>
ELECTRON_ALWAYS_INLINE constexpr bool clinger(std::uint64_t w, std::int64_t q, T& out) noexcept {
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ != 0
  static_cast<void>(w);
  static_cast<void>(q);
  static_cast<void>(out);
  return false;
#else
  using tr = float_traits<T>;
  constexpr std::uint64_t exact_limit = std::uint64_t{1} << (tr::mantissa_bits + 1);
  if (w > exact_limit) return false;
  if (q >= -tr::clinger_max && q <= tr::clinger_max) {
    const T v = static_cast<T>(w);
    // q == 0 divides by 1 (exact): a number with and one without a
    // fraction then take the same branch, which a mix of "12" and "12.5"
    // would otherwise mispredict.
    out = q <= 0 ? v / tr::powers[-q] : v * tr::powers[q];
    return true;
  }
  // 123e25: w * 10^(q - 22) is still an exact integer in T, then one
  // correctly rounded multiplication by 10^22.
  if (q > tr::clinger_max && q <= tr::clinger_max + 16) {
    for (std::int64_t k = q; k > tr::clinger_max; --k) {
      w *= 10;
      if (w > exact_limit) return false;
    }
    out = static_cast<T>(w) * tr::powers[tr::clinger_max];
    return true;
  }
  return false;
#endif
}

/// The outcome of the Eisel-Lemire step: the bits of |value| (an infinity
/// when it overflows), and whether they are certainly the correctly rounded
/// ones. When !exact, bits is within one unit in the last place of the
/// answer (the exact comparison starts there).
template <class T>
struct lemire_result {
  typename float_traits<T>::bits_type bits;
  bool exact;
};

/// floor(q * log2(10)) for |q| <= 1650 (checked for the table's range by
/// scripts/gen_pow5_table.py).
constexpr std::int64_t floor_log2_pow10(std::int64_t q) noexcept { return (q * 217706) >> 16; }

/// w * 10^q rounded to T (w != 0, q in [smallest_power, largest_power]).
///
/// Why the approximation decides (a restatement of the paper's argument for
/// this code): let T(q) be the table's 128-bit 5^q, which is within 1 of the
/// real 5^q * 2^k. After normalizing w to w' (top bit set), the 192-bit
/// product P = w' * T(q) is within w' < 2^64 of the real one. The code keeps
/// z, the top 128 bits of P: from the first 64x64 product alone z is within
/// (-1, 2^64 + 1) of the real value (in units of z's last bit), and after
/// adding the second product within (-1, 2). The float's significand and its
/// rounding bit are the top bits of z; call r the bits below the rounding
/// bit. When r is 0 the real value may sit exactly on, or just above, a
/// halfway point; when r is all ones (with the second product added) it may
/// sit on, or just below, one. Anywhere else the error cannot change the
/// rounding bit nor whether r is zero, so the rounding is decided. The second
/// product is computed only when the bits of z's high word below the
/// rounding bit are all ones, the only case where the first product's error
/// can carry into the rounding bit. For q in [0, 27], 5^q < 2^64 and the
/// product is exact, so an r of 0 is a true tie, broken to even here.
template <class T>
ELECTRON_ALWAYS_INLINE constexpr lemire_result<T> eisel_lemire(std::uint64_t w, std::int64_t q) noexcept {
  using tr = float_traits<T>;
  using bits_type = typename tr::bits_type;
  constexpr int m_bits = tr::mantissa_bits;
  constexpr int spare = 64 - m_bits - 3;  // bits of the high word below the rounding bit (when its top bit is 0)
  constexpr std::uint64_t spare_mask = (std::uint64_t{1} << spare) - 1;
  constexpr bits_type infinity_bits = static_cast<bits_type>(bits_type{tr::infinite_exponent} << m_bits);

  const int l = std::countl_zero(w);
  w <<= l;
  const pow5_entry& t = pow5_table[q - pow5_smallest];
  const uint128 first = static_cast<uint128>(w) * t.high;
  std::uint64_t hi = static_cast<std::uint64_t>(first >> 64);
  std::uint64_t lo = static_cast<std::uint64_t>(first);
  bool second = false;
  if ((hi & spare_mask) == spare_mask) {
    const auto add = static_cast<std::uint64_t>((static_cast<uint128>(w) * t.low) >> 64);
    lo += add;
    hi += lo < add ? 1 : 0;
    second = true;
  }
  const int upper = static_cast<int>(hi >> 63);
  const int shift = upper + spare;
  const std::uint64_t below_mask = (std::uint64_t{1} << shift) - 1;
  std::uint64_t m = hi >> shift;  // m_bits + 2 bits: implicit one, significand, rounding bit
  // Bitwise, not short-circuit: both are almost always false, and a branch
  // on the (random) rounding bit first would mispredict half the time.
  const bool r_zero = ((hi & below_mask) | lo) == 0;
  const bool r_ones = second & ((((~hi) & below_mask) | ~lo) == 0);
  const bool exact_product = q >= 0 && q <= 27;
  // The biased exponent of m / 2 (see the paper, section 5: 63 - l + upper
  // places the top bit; floor(q log2 10) the power of ten).
  std::int64_t p = floor_log2_pow10(q) + 63 - l + upper + tr::exponent_bias;

  if (p <= 0) {
    // Subnormal (or zero): the rounding bit moves up by 1 - p bits. No tie
    // is possible here (it would need q >= -27), so only the error matters.
    const std::int64_t drop = 1 - p;
    if (drop >= 64) return {0, true};  // below a quarter of the smallest subnormal
    const std::uint64_t dropped_mask = (std::uint64_t{1} << drop) - 1;
    const bool ambiguous = (r_zero && (m & dropped_mask) == 0 && ((m >> drop) & 1) != 0) ||
                           (r_ones && (m & dropped_mask) == dropped_mask && ((m >> drop) & 1) == 0);
    m >>= drop;
    m += m & 1;
    m >>= 1;
    // Rounding up may reach the smallest normal: its exponent field is 1,
    // which the carry into bit m_bits encodes by itself.
    return {static_cast<bits_type>(m), !ambiguous};
  }

  bool ambiguous = false;
  if (ELECTRON_UNLIKELY(r_zero | r_ones)) {
    if ((m & 1) != 0 && r_zero) {
      if (exact_product) {
        if ((m & 2) == 0) m &= ~std::uint64_t{1};  // a true tie, and even is below: do not round up
      } else {
        ambiguous = true;
      }
    } else if ((m & 1) == 0 && r_ones) {
      ambiguous = true;
    }
  }
  m += m & 1;
  m >>= 1;
  if (m >= (std::uint64_t{2} << m_bits)) {  // rounded up into the next binade
    m >>= 1;
    ++p;
  }
  if (p >= tr::infinite_exponent) return {infinity_bits, !ambiguous};
  m &= ~(std::uint64_t{1} << m_bits);
  return {static_cast<bits_type>((static_cast<bits_type>(p) << m_bits) | static_cast<bits_type>(m)), !ambiguous};
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FLOAT_LEMIRE_HPP
