// SPDX-License-Identifier: MIT
// electron/parse/detail/format_float_write.hpp: the text layouts behind
// electron/parse/format_float.hpp: the shortest form's choice between
// fixed and scientific and its writer, and the bounded writer of the forms
// with a format or a precision.
#ifndef ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_WRITE_HPP
#define ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_WRITE_HPP

#include "electron/config.hpp"
#include "electron/detail/digits.hpp"
#include "electron/parse/common.hpp"
#include "electron/parse/detail/format_float_exact.hpp"
#include "electron/parse/detail/format_float_shortest.hpp"
#include "electron/parse/detail/int_digits.hpp"

#include <bit>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

// ---------------------------------------------------------------------------
// The shortest form
//
// libstdc++'s std::to_chars prints the shortest digits in the printf %f or
// %e form with the fewer characters, ties to %f. The writer below decides
// and writes in one pass, branching on the form only:
// - the digits (up to 17, 9 for float) are scaled to exactly 17 (9) by a
//   power of ten and converted 8 at a time (SWAR, parse/detail/int_digits),
//   so the first digit and the blocks after it always land at fixed
//   places; the trailing zeros (the decimal may have some) are counted in
//   the converted blocks (a leading-zero count of the digit values) instead
//   of by division;
// - a '.' after the first digit (scientific) or after the integer digits
//   (123.45) is inserted by shifting the blocks as one 128-bit value;
// - stores are whole words, so the text is written together with some
//   bytes after it, up to shortest_reach bytes from the start (never past
//   last: a shorter buffer goes through a local one).
// ---------------------------------------------------------------------------

/// How far the shortest writer may write, from the first character after
/// the sign: the digit blocks end 18 bytes in, "0.000" + 17 digits 22, an
/// exponent after 17 digits at 23.
inline constexpr int shortest_reach = 23;

inline constexpr std::uint64_t pow10_16 = 10000000000000000ULL;
inline constexpr std::uint64_t pow10_19 = 10000000000000000000ULL;

/// x, through an empty asm statement the optimizer cannot see into (no
/// instruction). Keeps the two 8-digit conversions of a double's digits
/// apart: side by side, compilers' SLP vectorizers pack them into vector
/// registers, where a 64-bit lane multiply (vpmullq) takes 15 cycles and the
/// whole is slower than the two scalar chains.
constexpr std::uint64_t opaque(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  if (!std::is_constant_evaluated()) asm("" : "+r"(x));
#endif
  return x;
}

/// The 16 digit values (not ASCII; leading zeros) of x < 10^16, the first
/// in the low byte of the low half.
constexpr uint128 digit_values16(std::uint64_t x) noexcept {
  const std::uint64_t high = opaque(ascii8(static_cast<std::uint32_t>(x / 100000000)) ^ ascii_zeros);
  const std::uint64_t low = ascii8(static_cast<std::uint32_t>(x % 100000000)) ^ ascii_zeros;
  return (static_cast<uint128>(low) << 64) | high;
}

using electron::detail::digit_pairs;

/// Writes 'e', the sign and the two or three digits of the exponent x
/// (|x| < 1000) at p[0, 5); returns the end (p + 4 or p + 5).
constexpr char* write_exponent(char* p, int x) noexcept {
  const auto ax = static_cast<std::uint32_t>(x < 0 ? -x : x);
  p[0] = 'e';
  p[1] = x < 0 ? '-' : '+';
  const std::uint32_t h = (ax * 5243) >> 19;  // ax / 100 for ax < 1000
  const std::uint32_t r = ax - h * 100;
  p[2] = static_cast<char>('0' + h);
  const int wide = h != 0 ? 1 : 0;
  p[2 + wide] = digit_pairs[2 * r];
  p[3 + wide] = digit_pairs[2 * r + 1];
  return p + 4 + wide;
}

/// The integer c * 2^q (q > 0, below 10^23) in full, as %f prints it; the
/// shortest digits are not enough there (2^70 prints all 22 digits).
constexpr char* write_exact_integer(char* out, std::uint64_t c, int q) noexcept {
  const uint128 v = static_cast<uint128>(c) << q;
  // v / 10^19 as (v / 2^19) / 5^19: nested floors, one 64-bit division
  // (v < 2^77, so v / 2^19 fits 64 bits).
  const std::uint64_t high = static_cast<std::uint64_t>(v >> 19) / 19073486328125ULL;
  const auto low = static_cast<std::uint64_t>(v - static_cast<uint128>(high) * pow10_19);
  if (high == 0) {
    const std::size_t n = decimal_digits(low);
    decimal_forward(out, low, n);
    return out + n;
  }
  const std::size_t hn = decimal_digits(high);
  decimal_forward(out, high, hn);
  out += hn;
  // the low half as exactly 19 digits, with its leading zeros
  const std::uint64_t low_top = low / pow10_16;  // < 1000
  const std::uint64_t low_rest = low - low_top * pow10_16;
  store_bytes(out, ascii8(static_cast<std::uint32_t>(low_top)) >> 40, 3);
  store_bytes(out + 3, ascii8(static_cast<std::uint32_t>(low_rest / 100000000)), 8);
  store_bytes(out + 11, ascii8(static_cast<std::uint32_t>(low_rest % 100000000)), 8);
  return out + 19;
}

/// Writes the shortest text of a finite, nonzero, positive value with
/// these biased exponent and stored significand bits at out and returns
/// its end. Writes into [out, out + shortest_reach) whatever the length.
template <class T>
constexpr char* write_shortest(char* out, std::uint64_t biased, std::uint64_t fraction) noexcept {
  using tr = ieee_traits<T>;
  constexpr bool is_double = sizeof(T) == 8;
  constexpr int width = is_double ? 17 : 9;  // the most shortest digits
  const decimal_fp d = shortest_digits<T>(biased, fraction);
  const int len = static_cast<int>(decimal_digits(d.digits));
  const int x = d.exponent + len - 1;  // the exponent of the first digit
  // The digits scaled to `width`: the first, then the others as digit
  // values, the second digit in the low byte.
  const std::uint64_t scaled = d.digits * pow10_u64[static_cast<std::size_t>(width - len)];
  std::uint64_t first;
  uint128 rest;
  int zero_bits;  // 8 per trailing zero digit
  if constexpr (is_double) {
    first = scaled / pow10_16;
    rest = digit_values16(scaled - first * pow10_16);
    const auto high = static_cast<std::uint64_t>(rest >> 64);
    zero_bits = high != 0 ? std::countl_zero(high) : 64 + std::countl_zero(static_cast<std::uint64_t>(rest));
  } else {
    first = scaled / 100000000;
    const std::uint64_t low = ascii8(static_cast<std::uint32_t>(scaled - first * 100000000)) ^ ascii_zeros;
    rest = low;
    zero_bits = std::countl_zero(low);
  }
  const int n = width - (zero_bits >> 3);  // digits without trailing zeros
  const int ax = x < 0 ? -x : x;
  const int sci = n + (n > 1 ? 1 : 0) + (ax >= 100 ? 5 : 4);
  constexpr uint128 zeros128 = (static_cast<uint128>(ascii_zeros) << 64) | ascii_zeros;
  const uint128 blocks = rest | zeros128;
  const auto lead = static_cast<char>('0' + first);
  // A fixed form can win only for 10^-4 <= v < 10^(width + 5) (at most 5
  // zeros after the digits, 3 after the point): outside [2^-14, 2^74)
  // (2^47 for float) the form is scientific, known from the exponent bits
  // long before the digits are.
  constexpr std::uint64_t biased_one = tr::bias - tr::significand_bits;
  constexpr std::uint64_t fixed_binades = is_double ? 14 + 74 : 14 + 47;
  if (biased - (biased_one - 14) < fixed_binades) {
    const int e = x - n + 1;  // the exponent of the last digit
    if (biased >= biased_one) {
      if (e >= 0) {
        // An integer: %f is the digits and e zeros.
        if (n + e <= sci) {
          const int q = static_cast<int>(biased) - tr::bias;
          if (e > 0 && q > 0) return write_exact_integer(out, fraction | (std::uint64_t{1} << tr::significand_bits), q);
          // Below 2^53 (2^24) when e > 0, or the digits alone: at most
          // `width` characters, which the scaled digits already hold
          // (their zeros included).
          out[0] = lead;
          store_bytes(out + 1, static_cast<std::uint64_t>(blocks), 8);
          if constexpr (is_double) store_bytes(out + 9, static_cast<std::uint64_t>(blocks >> 64), 8);
          return out + n + e;
        }
      } else {
        // ddd.ddd (always shorter than scientific): the '.' after digit x.
        const int shift = 8 * x;  // x <= n - 2 <= 15
        const uint128 below = shift == 0 ? 0 : blocks & ((static_cast<uint128>(1) << shift) - 1);
        const uint128 text = below | (static_cast<uint128>('.') << shift) | ((blocks - below) << 8);
        out[0] = lead;
        store_bytes(out + 1, static_cast<std::uint64_t>(text), 8);
        if constexpr (is_double) {
          store_bytes(out + 9, static_cast<std::uint64_t>(text >> 64), 8);
          out[17] = static_cast<char>(static_cast<std::uint64_t>(blocks >> 120));  // shifted out: digit 16
        } else {
          out[9] = static_cast<char>(static_cast<std::uint64_t>(blocks >> 56));  // digit 8
        }
        return out + n + 1;
      }
    } else if (n + 1 - x <= sci) {
      // 0.000ddd, when no longer than d.ddde-XX
      const int zeros = -x - 1;                    // at most 3
      store_bytes(out, 0x3030303030302E30ULL, 8);  // "0.000000"
      char* p = out + 2 + zeros;
      p[0] = lead;
      store_bytes(p + 1, static_cast<std::uint64_t>(blocks), 8);
      if constexpr (is_double) store_bytes(p + 9, static_cast<std::uint64_t>(blocks >> 64), 8);
      return p + n;
    }
  }
  // d.ddde+XX: the '.' after the first digit (overwritten by the 'e' when n == 1)
  out[0] = lead;
  out[1] = '.';
  store_bytes(out + 2, static_cast<std::uint64_t>(blocks), 8);
  if constexpr (is_double) store_bytes(out + 10, static_cast<std::uint64_t>(blocks >> 64), 8);
  return write_exponent(out + n + (n > 1 ? 1 : 0), x);
}

/// The text of a non-finite value or a zero ("inf", "-nan", "0", ...), or
/// an empty view for the others.
constexpr std::string_view special_text(bool negative, std::uint64_t biased, std::uint64_t fraction,
                                        std::uint64_t max_biased) noexcept {
  if (biased == max_biased) {
    if (fraction == 0) return negative ? std::string_view("-inf") : std::string_view("inf");
    return negative ? std::string_view("-nan") : std::string_view("nan");
  }
  if (biased == 0 && fraction == 0) return negative ? std::string_view("-0") : std::string_view("0");
  return {};
}

template <class T>
struct float_fields {
  bool negative;
  std::uint64_t biased;
  std::uint64_t fraction;
};

template <class T>
constexpr float_fields<T> fields_of(T v) noexcept {
  using tr = ieee_traits<T>;
  const auto bits = static_cast<std::uint64_t>(std::bit_cast<typename tr::bits_type>(v));
  return {((bits >> (tr::significand_bits + tr::exponent_bits)) & 1) != 0,
          (bits >> tr::significand_bits) & ((std::uint64_t{1} << tr::exponent_bits) - 1),
          bits & ((std::uint64_t{1} << tr::significand_bits) - 1)};
}

/// Writes into [p, last) one character at a time; once full, stops writing
/// and remembers it.
struct bounded_out {
  char* p;
  char* last;
  bool full = false;
  constexpr void put(char c) noexcept {
    if (p == last) {
      full = true;
      return;
    }
    *p++ = c;
  }
  constexpr void fill(char c, long long n) noexcept {
    for (long long i = 0; i < n && !full; ++i) put(c);
  }
  constexpr format_result result() const noexcept {
    return full ? format_result{last, std::errc::value_too_large} : format_result{p, std::errc{}};
  }
};

/// The k-th digit of x as a character, '0' outside [0, count).
constexpr char digit_at(const decimal_expansion& x, long long k) noexcept {
  return k >= 0 && k < x.count ? static_cast<char>('0' + x.d[k]) : '0';
}

/// x (already rounded) in fixed form with `fraction` digits after the point.
constexpr void put_fixed(bounded_out& o, const decimal_expansion& x, long long fraction) noexcept {
  if (x.count == 0 || x.point <= 0) {
    o.put('0');
  } else {
    for (long long k = 0; k < x.point && !o.full; ++k) o.put(digit_at(x, k));
  }
  if (fraction > 0) {
    o.put('.');
    const long long start = x.count == 0 ? 0 : x.point;
    for (long long k = 0; k < fraction && !o.full; ++k) o.put(x.count == 0 ? '0' : digit_at(x, start + k));
  }
}

/// x (already rounded) in scientific form with `fraction` digits after the point.
constexpr void put_scientific(bounded_out& o, const decimal_expansion& x, long long fraction) noexcept {
  o.put(digit_at(x, 0));
  if (fraction > 0) {
    o.put('.');
    for (long long k = 1; k <= fraction && !o.full; ++k) o.put(digit_at(x, k));
  }
  const int e = x.count == 0 ? 0 : x.point - 1;
  o.put('e');
  o.put(e < 0 ? '-' : '+');
  const auto ue = static_cast<unsigned>(e < 0 ? -e : e);
  if (ue >= 100) o.put(static_cast<char>('0' + ue / 100));
  o.put(static_cast<char>('0' + ue / 10 % 10));
  o.put(static_cast<char>('0' + ue % 10));
}

/// The exact digits of a finite float or double's magnitude.
template <class T>
constexpr void exact_of(decimal_expansion& x, std::uint64_t biased, std::uint64_t fraction) noexcept {
  using tr = ieee_traits<T>;
  if (biased == 0) {
    expand_exact(x, fraction, tr::q_min);
  } else {
    expand_exact(x, fraction | (std::uint64_t{1} << tr::significand_bits), static_cast<int>(biased) - tr::bias);
  }
}

/// The shortest digits as an decimal_expansion (for the shortest fixed,
/// scientific and general forms).
constexpr void shortest_as_exact(decimal_expansion& x, const decimal_fp& d) noexcept {
  const int n = static_cast<int>(decimal_digits(d.digits));
  std::uint64_t v = d.digits;
  for (int i = n - 1; i >= 0; --i) {
    x.d[i] = static_cast<unsigned char>(v % 10);
    v /= 10;
  }
  x.count = n;
  x.point = d.exponent + n;
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_WRITE_HPP
