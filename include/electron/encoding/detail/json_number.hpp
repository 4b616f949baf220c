// SPDX-License-Identifier: MIT
// electron/encoding/detail/json_number.hpp: the integer digit writer of
// json_writer: the digit count first (from the bit width), then two digits
// per step from the end, from parse's table of digit pairs.
#ifndef ELECTRON_ENCODING_DETAIL_JSON_NUMBER_HPP
#define ELECTRON_ENCODING_DETAIL_JSON_NUMBER_HPP

#include "electron/config.hpp"
#include "electron/detail/digits.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {
namespace detail {

inline constexpr std::uint64_t json_powers_of_10[20] = {1u,
                                                        10u,
                                                        100u,
                                                        1000u,
                                                        10000u,
                                                        100000u,
                                                        1000000u,
                                                        10000000u,
                                                        100000000u,
                                                        1000000000u,
                                                        10000000000u,
                                                        100000000000u,
                                                        1000000000000u,
                                                        10000000000000u,
                                                        100000000000000u,
                                                        1000000000000000u,
                                                        10000000000000000u,
                                                        100000000000000000u,
                                                        1000000000000000000u,
                                                        10000000000000000000u};

/// Decimal digits of v (1 for 0): floor(log10(2) * bit width) + 1 is exact
/// or one too many, which one comparison with a power of 10 settles
/// (1233 / 4096 approximates log10(2) closely enough for 64 bits).
constexpr int json_digit_count(std::uint64_t v) noexcept {
  const int t = static_cast<int>((std::bit_width(v | 1) * 1233) >> 12);
  return t + 1 - (v < json_powers_of_10[t] ? 1 : 0);
}

/// The n <= 8 last digits of x < 10^8 stored as one word at out (8 bytes
/// written); returns out + n.
inline char* json_store_digits(char* out, std::uint32_t x, int n) noexcept {
  const std::uint64_t w = electron::detail::ascii8(x) >> (8 * (8 - n));
  std::memcpy(out, &w, 8);
  return out + n;
}

/// Writes v in decimal at out, which has room for 24 bytes (whole words are
/// stored past the digits); returns the end. Little-endian targets convert 8
/// digits at once (parse's SWAR ascii8), others two at a time.
inline char* json_write_u64(char* out, std::uint64_t v) noexcept {
  if (v < 10) {
    *out = static_cast<char>('0' + v);
    return out + 1;
  }
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t e8 = 100000000u;
    if (v < e8) return json_store_digits(out, static_cast<std::uint32_t>(v), json_digit_count(v));
    if (v < e8 * e8) {
      const std::uint64_t high = v / e8;
      out = json_store_digits(out, static_cast<std::uint32_t>(high), json_digit_count(high));
      return json_store_digits(out, static_cast<std::uint32_t>(v - high * e8), 8);
    }
    const std::uint64_t top = v / (e8 * e8);  // at most 1844
    const std::uint64_t rest = v - top * (e8 * e8);
    out = json_store_digits(out, static_cast<std::uint32_t>(top), json_digit_count(top));
    out = json_store_digits(out, static_cast<std::uint32_t>(rest / e8), 8);
    return json_store_digits(out, static_cast<std::uint32_t>(rest % e8), 8);
  }
  const int n = json_digit_count(v);
  char* const end = out + n;
  char* q = end;
  while (v >= 100) {
    q -= 2;
    std::memcpy(q, &electron::detail::digit_pairs[2 * (v % 100)], 2);
    v /= 100;
  }
  if (v >= 10) {
    std::memcpy(q - 2, &electron::detail::digit_pairs[2 * v], 2);
  } else {
    q[-1] = static_cast<char>('0' + v);
  }
  return end;
}

/// Writes v in decimal at out (room for 25 bytes); returns the end.
inline char* json_write_i64(char* out, std::int64_t v) noexcept {
  std::uint64_t u = static_cast<std::uint64_t>(v);
  if (v < 0) {
    *out++ = '-';
    u = 0 - u;
  }
  return json_write_u64(out, u);
}

}  // namespace detail
}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_DETAIL_JSON_NUMBER_HPP
