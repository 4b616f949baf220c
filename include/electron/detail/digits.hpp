// SPDX-License-Identifier: MIT
// electron/detail/digits.hpp: internal. Decimal digit writers shared by
// parse (format_int, format_float) and encoding (json_writer's numbers).
#ifndef ELECTRON_DETAIL_DIGITS_HPP
#define ELECTRON_DETAIL_DIGITS_HPP

#include "electron/config.hpp"

#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace detail {

/// '0' in every byte of a word.
inline constexpr std::uint64_t ascii_zeros = 0x3030303030303030ULL;

/// The 8 ASCII digits of x < 10^8 (leading zeros), the first in the low
/// byte: SWAR, every digit at once. The two 4-digit halves sit in 32-bit
/// lanes, are split into 2-digit values in 16-bit lanes and then into
/// digits in bytes, dividing by 100 and by 10 as multiplications by
/// 10486 / 2^20 and 103 / 2^10 (exact for values below 10^4 and 10^2; the
/// products stay inside their lanes).
constexpr std::uint64_t ascii8(std::uint32_t x) noexcept {
  std::uint64_t w = std::uint64_t{x / 10000} | (std::uint64_t{x % 10000} << 32);
  const std::uint64_t hundreds = ((w * 10486) >> 20) & 0x0000007F0000007FULL;
  w = hundreds | ((w - hundreds * 100) << 16);
  const std::uint64_t tens = ((w * 103) >> 10) & 0x000F000F000F000FULL;
  w = tens | ((w - tens * 10) << 8);
  return w | ascii_zeros;
}

/// "00" to "99", two characters each.
inline constexpr char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_DIGITS_HPP
