// SPDX-License-Identifier: MIT
// electron/parse/detail/int_digits.hpp: the digit kernels behind
// electron/parse/int.hpp (reading runs of digits, writing them back).
#ifndef ELECTRON_PARSE_DETAIL_INT_DIGITS_HPP
#define ELECTRON_PARSE_DETAIL_INT_DIGITS_HPP

#include "electron/config.hpp"
#include "electron/detail/digits.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace parse {
namespace detail {

// ===========================================================================
// Reading
// ===========================================================================

/// Value of a digit in bases up to 36 ('0'-'9', 'a'-'z', 'A'-'Z'), 0xFF for
/// any other byte: one load decides "digit of this base" as value < base.
inline constexpr std::array<std::uint8_t, 256> digit_values = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 10);
  return t;
}();

constexpr unsigned digit_value(char c) noexcept { return digit_values[static_cast<unsigned char>(c)]; }

inline constexpr std::array<std::uint64_t, 20> pow10_u64 = [] {
  std::array<std::uint64_t, 20> t{};
  std::uint64_t p = 1;
  for (auto& v : t) {
    v = p;
    p *= 10;  // wraps after 10^19, which is never stored
  }
  return t;
}();

/// x, through an empty asm statement at run time: the compiler no longer
/// knows where it came from, so a blend through it stays a blend (clang 14
/// turns selects on a random condition into branches otherwise).
constexpr std::uint64_t opaque_word(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  if (!std::is_constant_evaluated()) __asm__("" : "+r"(x));
#endif
  return x;
}

/// The run of digits at the start of an input, as an unsigned 64-bit value.
struct digit_run {
  std::uint64_t value;  ///< meaningful only when !overflow
  const char* end;      ///< one past the last digit
  bool overflow;        ///< the digits do not fit 64 bits
};

/// Digits of `base` from p while any: strtoull's cutoff test (value >
/// max / base, or == and digit > max % base), so one division per call, none
/// per digit. Keeps scanning after an overflow so that end is past them all.
constexpr digit_run radix_run(const char* p, const char* last, unsigned base) noexcept {
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t cutoff = max / base;
  const unsigned cutlim = static_cast<unsigned>(max % base);
  std::uint64_t v = 0;
  bool overflow = false;
  for (; p != last; ++p) {
    const unsigned d = digit_value(*p);
    if (d >= base) break;
    if (v > cutoff || (v == cutoff && d > cutlim)) {
      overflow = true;
    } else {
      v = v * base + d;
    }
  }
  return {overflow ? 0 : v, p, overflow};
}

// SWAR ("SIMD within a register") decimal digits, eight at a time. The
// digit test and the conversion follow Wojciech Muła and Daniel Lemire's
// published technique (D. Lemire, "Quickly parsing eight digits", 2018, and
// W. Muła, "SWAR parsing of decimal numbers"): a word whose bytes are the
// digit values (first digit in the low byte) becomes pairs with one
// multiply-add, then the four pairs are combined with two 32x32 products
// that land in the word's high half.

using electron::detail::ascii8;
using electron::detail::ascii_zeros;

/// 8 bytes from p in memory order (p[0] in the low byte).
constexpr std::uint64_t load8(const char* p) noexcept {
  if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return w;
  }
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

inline constexpr char zero_bytes[4] = {};

/// The 1 <= k <= 7 bytes at p in memory order, zero bytes above: never
/// reads past p + k. Two overlapping 4-byte loads (k >= 4) or three single
/// bytes, both computed and one selected, so that a random k costs no
/// misprediction (the 4-byte loads read zeros from a constant when k < 4).
constexpr std::uint64_t load_tail(const char* p, std::size_t k) noexcept {
  if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < k; ++i) w |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return w;
  }
  const bool wide = k >= 4;
  const char* const a = wide ? p : zero_bytes;
  const char* const b = wide ? p + k - 4 : zero_bytes;
  std::uint32_t lo, hi;
  std::memcpy(&lo, a, 4);
  std::memcpy(&hi, b, 4);
  const std::uint64_t four = std::uint64_t{lo} | (std::uint64_t{hi} << (8 * ((k - 4) & 7)));
  const std::uint64_t x = static_cast<unsigned char>(p[0]);
  const std::uint64_t y = static_cast<unsigned char>(p[k / 2]);
  const std::uint64_t z = static_cast<unsigned char>(p[k - 1]);
  const std::uint64_t three = x | (y << (8 * (k / 2))) | (z << (8 * (k - 1)));
  return wide ? four : three;
}

/// For x = bytes ^ '0' in each byte: bit 7 of each byte set where the byte
/// was not a digit ((x & 0x7F) + 0x76 carries into bit 7 exactly when it is
/// 10 or more; no byte carries into the next).
constexpr std::uint64_t non_digit_bits(std::uint64_t x) noexcept {
  return (((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL;
}

/// The number spelled by 8 digit values (first, most significant, in the low byte).
constexpr std::uint32_t eight_digits(std::uint64_t x) noexcept {
  x = x * 10 + (x >> 8);  // bytes 0, 2, 4, 6: two-digit values
  x = (((x & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((x >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  return static_cast<std::uint32_t>(x);
}

/// Word k (bytes [p + 8k, p + 8k + 8)) of a range whose last 8 bytes are
/// readable (last - 8 is not before the input): a word that would cross
/// last is read as the range's last 8 bytes, shifted down, so bytes at or
/// after last read as zero (a non-digit) and no branch depends on the length.
constexpr std::uint64_t word_in_range(const char* p, std::ptrdiff_t avail, std::ptrdiff_t offset) noexcept {
  const std::ptrdiff_t at = offset < avail - 8 ? offset : avail - 8;
  const std::ptrdiff_t drop = offset - at;  // 0 when the word is whole, 8 or more when it is past last
  const std::uint64_t w = load8(p + at) >> (8 * (drop < 8 ? drop : 0));
  return drop < 8 ? w : 0;
}

/// x (digit values, the first n of them valid, 1 <= n <= 8) as the last n
/// of eight digits: the zero bytes shifted in are leading zeros, the
/// non-digits are shifted out. 0 when n == 0.
constexpr std::uint32_t leading_digits(std::uint64_t x, int n) noexcept {
  return n == 0 ? 0 : eight_digits(x << (64 - 8 * n));
}

/// Decimal digits from p (no sign; p[0] is a digit) up to last; `lowest`
/// (<= p) is the start of the input, which may be read too. Up to 24
/// digits in three SWAR words computed side by side and combined without a
/// branch on the length (a random length then costs no misprediction
/// beyond "is the input shorter than 8 bytes"). A checked loop runs only
/// beyond 19 digits (10^19 - 1 is the longest run that always fits 64
/// bits; leading zeros also end up there, and are exact).
///
/// Always inlined: as a call, the result came back through memory (clang
/// 14 does not inline it on its own), and a parser that continues at
/// `end` waited for that store and load on every number.
ELECTRON_ALWAYS_INLINE constexpr digit_run decimal_run(const char* lowest, const char* p, const char* last) noexcept {
  const std::ptrdiff_t avail = last - p;
  std::uint64_t x1, x2, x3;
  if (avail >= 24) {
    // Inside a longer text (a CSV field, a JSON array): three plain loads.
    x1 = load8(p) ^ ascii_zeros;
    x2 = load8(p + 8) ^ ascii_zeros;
    x3 = load8(p + 16) ^ ascii_zeros;
  } else {
    if (last - lowest < 8) {
      // The whole input is shorter than a word: at most 7 digits.
      const std::uint64_t x = load_tail(p, static_cast<std::size_t>(avail)) ^ ascii_zeros;
      const int n = std::countr_zero(non_digit_bits(x)) >> 3;
      return {leading_digits(x, n), p + n, false};
    }
    x1 = word_in_range(p, avail, 0) ^ ascii_zeros;
    x2 = word_in_range(p, avail, 8) ^ ascii_zeros;
    x3 = word_in_range(p, avail, 16) ^ ascii_zeros;
  }
  // Digits at the start of each word (8 when all are; countr_zero(0) == 64).
  const int n1 = std::countr_zero(non_digit_bits(x1)) >> 3;
  const int n2 = std::countr_zero(non_digit_bits(x2)) >> 3;
  const int n3 = std::countr_zero(non_digit_bits(x3)) >> 3;
  // Word 2 counts only after a full word 1, word 3 after full words 1 and 2.
  const int use2 = n1 == 8 ? ~0 : 0;
  const int use3 = n2 == 8 ? use2 : 0;
  const int k2 = n2 & use2, k3 = n3 & use3;
  std::uint64_t v = leading_digits(x1, n1);
  v = v * pow10_u64[static_cast<std::size_t>(k2)] + leading_digits(x2, k2);
  v = v * pow10_u64[static_cast<std::size_t>(k3)] + leading_digits(x3, k3);
  const int n = n1 + k2 + k3;
  if (n <= 19) return {v, p + n, false};
  return radix_run(p, last, 10);
}

// ===========================================================================
// Writing
// ===========================================================================

inline constexpr char radix_digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/// For each count of leading zero bits of a 64-bit value: the fewest
/// decimal digits a value with that bit width has, and the power of ten at
/// which it has one more (all ones when the width crosses no power of ten).
struct digits_at_width {
  std::uint64_t threshold;
  std::uint64_t digits;
};
inline constexpr std::array<digits_at_width, 64> digits_by_leading_zeros = [] {
  std::array<digits_at_width, 64> t{};
  for (int lz = 0; lz < 64; ++lz) {
    const std::uint64_t lowest = std::uint64_t{1} << (63 - lz);  // the smallest value of this width
    const std::uint64_t highest = lowest + (lowest - 1);
    std::uint64_t d = 1, p = 10;
    while (lowest >= p) {
      ++d;
      p *= 10;
    }
    // p: the first power of ten above lowest (p wraps only past 10^19,
    // which no 64-bit value reaches, so d <= 19 here and p <= 10^19).
    t[static_cast<std::size_t>(lz)] = {highest >= p ? p : ~std::uint64_t{0}, d};
  }
  return t;
}();

/// Number of decimal digits of v (1 for 0): a table indexed by the count of
/// leading zero bits gives the digits of the width and the power of ten
/// that adds one (the bit-width estimate of S. E. Anderson's "Bit Twiddling
/// Hacks", IntegerLog10, precomputed): one load on the way from v to the
/// length, which a writer that continues after the text waits for.
constexpr std::size_t decimal_digits(std::uint64_t v) noexcept {
  const digits_at_width& e = digits_by_leading_zeros[static_cast<std::size_t>(std::countl_zero(v | 1))];
  return static_cast<std::size_t>(e.digits + (v >= e.threshold ? 1 : 0));
}

/// Stores the low n bytes of w (1 <= n <= 8) at out in memory order.
constexpr void store_bytes(char* out, std::uint64_t w, std::size_t n) noexcept {
  if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>(static_cast<unsigned char>(w >> (8 * i)));
    return;
  }
  if (n == 8) {
    std::memcpy(out, &w, 8);
  } else if (n >= 4) {  // two 4-byte stores that overlap
    const auto a = static_cast<std::uint32_t>(w);
    const auto b = static_cast<std::uint32_t>(w >> (8 * (n - 4)));
    std::memcpy(out, &a, 4);
    std::memcpy(out + n - 4, &b, 4);
  } else {
    out[0] = static_cast<char>(static_cast<unsigned char>(w));
    out[n / 2] = static_cast<char>(static_cast<unsigned char>(w >> (8 * (n / 2))));
    out[n - 1] = static_cast<char>(static_cast<unsigned char>(w >> (8 * (n - 1))));
  }
}

/// Writes the n = decimal_digits(v) digits of v at [out, out + n): in 8-digit
/// SWAR blocks; the first block, shorter, is stored as 8 bytes whose tail
/// the next block overwrites, so only numbers of 8 digits or fewer need an
/// exact-length store. Nothing outside [out, out + n) is written.
constexpr void decimal_forward(char* out, std::uint64_t v, std::size_t n) noexcept {
  if (n <= 8) {
    store_bytes(out, ascii8(static_cast<std::uint32_t>(v)) >> (8 * (8 - n)), n);
    return;
  }
  const auto low = static_cast<std::uint32_t>(v % 100000000);
  const std::uint64_t upper = v / 100000000;
  if (n <= 16) {
    const std::size_t m = n - 8;
    store_bytes(out, ascii8(static_cast<std::uint32_t>(upper)) >> (8 * (8 - m)), 8);
    store_bytes(out + m, ascii8(low), 8);
    return;
  }
  const std::size_t m = n - 16;
  store_bytes(out, ascii8(static_cast<std::uint32_t>(upper / 100000000)) >> (8 * (8 - m)), 8);
  store_bytes(out + m, ascii8(static_cast<std::uint32_t>(upper % 100000000)), 8);
  store_bytes(out + m + 8, ascii8(low), 8);
}

/// Writes v as 24 digits (leading zeros) ending just before `end`
/// and returns where its decimal_digits(v) significant digits start: no
/// branch on the length, so numbers of random sizes cost no misprediction;
/// for a buffer with room before the text (int_chars).
constexpr char* decimal_backward_24(char* end, std::uint64_t v) noexcept {
  const std::uint64_t upper = v / 100000000;
  store_bytes(end - 8, ascii8(static_cast<std::uint32_t>(v % 100000000)), 8);
  store_bytes(end - 16, ascii8(static_cast<std::uint32_t>(upper % 100000000)), 8);
  store_bytes(end - 24, ascii8(static_cast<std::uint32_t>(upper / 100000000)), 8);
  return end - decimal_digits(v);
}

/// decimal_backward_24 with only the 8-digit blocks v needs (one, two or
/// three, by two branches on its size): less work for short values, where
/// the branches cost less than the blocks they skip.
constexpr char* decimal_backward_blocks(char* end, std::uint64_t v) noexcept {
  store_bytes(end - 8, ascii8(static_cast<std::uint32_t>(v % 100000000)), 8);
  if (v >= 100000000) {
    const std::uint64_t upper = v / 100000000;
    store_bytes(end - 16, ascii8(static_cast<std::uint32_t>(upper % 100000000)), 8);
    if (upper >= 100000000) store_bytes(end - 24, ascii8(static_cast<std::uint32_t>(upper / 100000000)), 8);
  }
  return end - decimal_digits(v);
}

/// The same in any base 2-36 (lowercase letters); a power of two shifts.
constexpr char* radix_backward(char* end, std::uint64_t v, unsigned base) noexcept {
  if (std::has_single_bit(base)) {
    const int shift = std::countr_zero(base);
    const std::uint64_t mask = base - 1;
    do {
      *--end = radix_digits[v & mask];
      v >>= shift;
    } while (v != 0);
  } else {
    do {
      *--end = radix_digits[v % base];
      v /= base;
    } while (v != 0);
  }
  return end;
}

}  // namespace detail
}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_INT_DIGITS_HPP
