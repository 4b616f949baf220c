// SPDX-License-Identifier: MIT
// electron/parse/detail/format_float_shortest.hpp: the shortest decimal that
// rounds back to a float or double, by Schubfach (R. Giulietti, "The
// Schubfach way to render doubles", 2020), implemented from the paper.
//
// For v = c * 2^q the rounding interval R_v has the halfway points to the
// neighbours as ends (both included when c is even: round-to-nearest-even
// reads them back as v). Schubfach picks k with 10^k near the ulp, scales
// 4v, 4v_left and 4v_right by 10^-k with one 64x128-bit product each
// ("round to odd": floor, with the lowest bit set when the product was not
// an integer, which is enough to compare against integers exactly), and
// then decides between the (at most two) multiples of 10 and of 1 in R_v.
#ifndef ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_SHORTEST_HPP
#define ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_SHORTEST_HPP

#include "electron/config.hpp"
#include "electron/parse/detail/format_float_table.hpp"

#include <bit>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

__extension__ using uint128 = unsigned __int128;

/// digits * 10^exponent (shortest_decimal's digits have no trailing zeros).
struct decimal_fp {
  std::uint64_t digits;
  int exponent;
};

/// IEEE layout of float and double.
template <class T>
struct ieee_traits;
template <>
struct ieee_traits<double> {
  using bits_type = std::uint64_t;
  static constexpr int significand_bits = 52;  // stored, without the hidden bit
  static constexpr int exponent_bits = 11;
  static constexpr int q_min = -1074;  // exponent of the subnormals
  static constexpr int bias = 1075;    // q = biased - bias for normal numbers
};
template <>
struct ieee_traits<float> {
  using bits_type = std::uint32_t;
  static constexpr int significand_bits = 23;
  static constexpr int exponent_bits = 8;
  static constexpr int q_min = -149;
  static constexpr int bias = 150;
};

/// floor(q * log10(2)), floor(q * log10(2) + log10(3/4)) and
/// floor(e * log2(10)) as multiply-shifts; scripts/gen_pow10_schubfach.py
/// checks them for |q| < 1200 and |e| < 400 (wider than any use).
constexpr int floor_log10_pow2(int q) noexcept { return (q * 315653) >> 20; }
constexpr int floor_log10_three_quarters_pow2(int q) noexcept { return (q * 315653 - 131237) >> 20; }
constexpr int floor_log2_pow10_schubfach(int e) noexcept { return (e * 1741647) >> 19; }

/// Round to odd of g * cp / 2^127 (g = the table entry, 126 bits): the
/// floor, with bit 0 set when the bits below it are not all zero. Only
/// floor(g * cp / 2^64) is formed (the low product's low half is dropped);
/// as g overestimates 10^e by less than one unit, a zero remainder below
/// 2^64 means an exact product (the paper's section 9).
constexpr std::uint64_t round_to_odd(const pow10_g& g, std::uint64_t cp) noexcept {
  const auto x1 = static_cast<std::uint64_t>((static_cast<uint128>(g.low) * cp) >> 64);
  const uint128 z = static_cast<uint128>(g.high) * cp + x1;
  const auto vb = static_cast<std::uint64_t>(z >> 63);
  const auto rest = static_cast<std::uint64_t>(z) & ((std::uint64_t{1} << 63) - 1);
  return vb | (rest != 0 ? 1u : 0u);
}

/// x / 10^k when 10^k divides x, else a value above (2^64 - 1) / 10^k:
/// x times the inverse of 5^k modulo 2^64, rotated right by k (the
/// divisibility test of T. Granlund and P. Montgomery, "Division by
/// invariant integers using multiplication", 1994, as J. Jeon uses it to
/// remove trailing zeros in "Dragonbox", 2020). One multiply, no division.
template <int K>
constexpr std::uint64_t exact_quotient_pow10(std::uint64_t x) noexcept {
  std::uint64_t inverse = 1;
  for (int i = 0; i < K; ++i) inverse *= 0xCCCCCCCCCCCCCCCDULL;  // 5 * 0xCC..CD == 1 (mod 2^64)
  return std::rotr(x * inverse, K);
}

/// Removes the trailing zeros of d (d > 0), adding them to e: 8 at a time
/// (doubles can carry up to 16 of them), then 4, 2 and 1 once each.
constexpr decimal_fp strip_zeros(std::uint64_t d, int e) noexcept {
  for (;;) {
    const std::uint64_t q = exact_quotient_pow10<8>(d);
    if (q > 0xFFFFFFFFFFFFFFFFULL / 100000000) break;
    d = q;
    e += 8;
  }
  std::uint64_t q = exact_quotient_pow10<4>(d);
  const bool by4 = q <= 0xFFFFFFFFFFFFFFFFULL / 10000;
  d = by4 ? q : d;
  e += by4 ? 4 : 0;
  q = exact_quotient_pow10<2>(d);
  const bool by2 = q <= 0xFFFFFFFFFFFFFFFFULL / 100;
  d = by2 ? q : d;
  e += by2 ? 2 : 0;
  q = exact_quotient_pow10<1>(d);
  const bool by1 = q <= 0xFFFFFFFFFFFFFFFFULL / 10;
  d = by1 ? q : d;
  e += by1 ? 1 : 0;
  return {d, e};
}

constexpr decimal_fp strip_zeros_any(decimal_fp d) noexcept { return strip_zeros(d.digits, d.exponent); }

/// Round to odd of g1 * cp / 2^95 for float, with g1 = floor(g / 2^63) + 1
/// (63 bits): one 64x64-bit product. Float's 24-bit significands leave room
/// for the coarser factor; checked, not proved, here: equal to the 128-bit
/// path on every positive finite float (docs/parse.md).
constexpr std::uint64_t round_to_odd_float(std::uint64_t g1, std::uint64_t cp) noexcept {
  const auto x1 = static_cast<std::uint64_t>((static_cast<uint128>(g1) * cp) >> 64);
  return (x1 >> 31) | ((x1 & ((std::uint64_t{1} << 31) - 1)) != 0 ? 1u : 0u);
}

/// Schubfach proper: v = c * 2^q (c > 0); c_is_min when c is the smallest
/// normal significand (the lower neighbour is closer); out_inclusive when
/// the interval's ends read back as v (c even). Inlined into its one
/// caller, whose flags then become plain conditions on the bits.
template <class T>
constexpr ELECTRON_ALWAYS_INLINE decimal_fp schubfach(std::uint64_t c, int q, bool c_is_min,
                                                      bool out_inclusive) noexcept {
  const std::uint64_t out = out_inclusive ? 0 : 1;  // the paper's "out": 1 when the ends are excluded
  const std::uint64_t cb = c << 2;
  const std::uint64_t cbr = cb + 2;
  std::uint64_t cbl;
  int k;
  if (!c_is_min) {
    cbl = cb - 2;
    k = floor_log10_pow2(q);
  } else {
    // At a power of two the lower neighbour is half an ulp away: the
    // interval is asymmetric, and 10^k follows its lower end (3/4 * 2^q).
    cbl = cb - 1;
    k = floor_log10_three_quarters_pow2(q);
  }
  const pow10_g& g = pow10_g_table[-k - pow10_g_smallest];
  std::uint64_t vb, vbl, vbr;
  if constexpr (sizeof(T) == 8) {
    const int h = q + floor_log2_pow10_schubfach(-k) + 2;  // 0 <= h <= 3: cb << h fits 64 bits
    vb = round_to_odd(g, cb << h);
    vbl = round_to_odd(g, cbl << h);
    vbr = round_to_odd(g, cbr << h);
  } else {
    const int h = q + floor_log2_pow10_schubfach(-k) + 33;  // 31 <= h <= 34: cb << h < 2^61
    const std::uint64_t g1 = ((g.high << 1) | (g.low >> 63)) + 1;
    vb = round_to_odd_float(g1, cb << h);
    vbl = round_to_odd_float(g1, cbl << h);
    vbr = round_to_odd_float(g1, cbr << h);
  }
  const std::uint64_t s = vb >> 2;
  if (s >= 10) {
    // One digit fewer: is exactly one multiple of 10 in R_v? (R_v is
    // narrower than 10^(k+1), so never two.) For normal numbers s has 16 or
    // more digits; the small subnormals need the test from s = 10 on, where
    // the paper rescales them instead.
    const std::uint64_t sp10 = s / 10 * 10;
    const std::uint64_t tp10 = sp10 + 10;
    const bool upin = vbl + out <= sp10 << 2;
    const bool wpin = (tp10 << 2) + out <= vbr;
    if (upin != wpin) return {upin ? sp10 : tp10, k};
  }
  const std::uint64_t t = s + 1;
  const bool uin = vbl + out <= s << 2;
  const bool win = (t << 2) + out <= vbr;
  if (uin != win) return {uin ? s : t, k};
  // Both in R_v: the closer to v, ties to the even one.
  const auto cmp = static_cast<std::int64_t>(vb - ((s + t) << 1));
  return {cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t, k};
}

/// The shortest decimal of a finite, nonzero, positive value with these
/// biased exponent and stored significand bits, possibly with trailing
/// zeros (at most 17 digits for double, 9 for float).
template <class T>
constexpr ELECTRON_ALWAYS_INLINE decimal_fp shortest_digits(std::uint64_t biased, std::uint64_t fraction) noexcept {
  using tr = ieee_traits<T>;
  constexpr std::uint64_t hidden = std::uint64_t{1} << tr::significand_bits;
  // The smallest subnormals need no special case: the tests check every
  // float subnormal and the doubles with c < 2^24 against std::to_chars.
  std::uint64_t c = fraction;
  int q = tr::q_min;
  if (biased != 0) {
    c = fraction | hidden;
    q = static_cast<int>(biased) - tr::bias;
    // An integer below 2^53 (2^24 for float): its interval is narrower
    // than 1, so its own digits are the shortest; no scaling needed.
    if (q < 0 && q > -tr::significand_bits - 1) {
      const std::uint64_t f = c >> -q;
      if ((f << -q) == c) return {f, 0};
    }
  }
  return schubfach<T>(c, q, fraction == 0 && biased > 1, (c & 1) == 0);
}

/// The same without trailing zeros.
template <class T>
constexpr decimal_fp shortest_decimal(std::uint64_t biased, std::uint64_t fraction) noexcept {
  return strip_zeros_any(shortest_digits<T>(biased, fraction));
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_SHORTEST_HPP
