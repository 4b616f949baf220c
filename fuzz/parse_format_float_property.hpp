// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/parse_format_float_test.cpp
// (fuzz_string) and fuzz/parse_format_float_fuzz.cpp (libFuzzer): the
// input's bytes, taken 8 (double) and 4 (float) at a time, are bit patterns;
// format_float must write what std::to_chars (libstdc++) writes, byte for
// byte, report value_too_large with ptr == last into every shorter buffer
// (each an exact-size allocation, so a write past its end is caught by
// ASan), and parse_float must read its text back to the same bits (NaNs:
// NaN with the same sign); the fixed/scientific/general forms, with a
// precision from the bits and without, must equal std::to_chars too.
#ifndef ELECTRON_FUZZ_PARSE_FORMAT_FLOAT_PROPERTY_HPP
#define ELECTRON_FUZZ_PARSE_FORMAT_FLOAT_PROPERTY_HPP

#include "electron/parse/float.hpp"
#include "electron/parse/format_float.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace electron_fuzz {
namespace parse_format_float_model {

template <class T>
bool agrees_with_to_chars(T v) {
  namespace ep = electron::parse;
  char expect[64];
  const auto r = std::to_chars(expect, expect + sizeof expect, v);
  if (r.ec != std::errc{}) return false;
  const auto n = static_cast<std::size_t>(r.ptr - expect);
  for (std::size_t room = 0; room <= n; ++room) {
    const std::unique_ptr<char[]> buf(new char[room == 0 ? 1 : room]);
    const ep::format_result got = ep::format_float(buf.get(), buf.get() + room, v);
    if (room < n) {
      if (got.ec != std::errc::value_too_large || got.ptr != buf.get() + room) return false;
      continue;
    }
    if (got.ec != std::errc{} || got.ptr != buf.get() + n) return false;
    if (std::memcmp(buf.get(), expect, n) != 0) return false;
    const auto back = ep::parse_float<T>(std::string_view(buf.get(), n));
    if (!back || back.ptr != buf.get() + n) return false;
    if (std::isnan(v)) {
      if (!std::isnan(back.value) || std::signbit(back.value) != std::signbit(v)) return false;
    } else if (std::bit_cast<std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>(back.value) !=
               std::bit_cast<std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>(v)) {
      return false;
    }
  }
  // The forms with a format, with and without a precision (from the bits).
  const auto b =
      static_cast<std::uint64_t>(std::bit_cast<std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>(v));
  const std::chars_format formats[] = {std::chars_format::fixed, std::chars_format::scientific,
                                       std::chars_format::general};
  const std::chars_format fmt = formats[b % 3];
  const int precision = static_cast<int>((b >> 2) % 40) - 1;
  static char a[1600], c[1600];
  const auto r1 = std::to_chars(a, a + sizeof a, v, fmt, precision);
  const auto r2 = ep::format_float(c, c + sizeof c, v, fmt, precision);
  if (r1.ec != r2.ec || r1.ptr - a != r2.ptr - c || std::memcmp(a, c, static_cast<std::size_t>(r1.ptr - a)) != 0) {
    return false;
  }
  const auto r3 = std::to_chars(a, a + sizeof a, v, fmt);
  const auto r4 = ep::format_float(c, c + sizeof c, v, fmt);
  return r3.ec == r4.ec && r3.ptr - a == r4.ptr - c && std::memcmp(a, c, static_cast<std::size_t>(r3.ptr - a)) == 0;
}

}  // namespace parse_format_float_model

inline bool parse_format_float_property(std::string_view data) {
  for (std::size_t i = 0; i + 8 <= data.size(); i += 8) {
    std::uint64_t b = 0;
    std::memcpy(&b, data.data() + i, 8);
    if (!parse_format_float_model::agrees_with_to_chars(std::bit_cast<double>(b))) return false;
    if (!parse_format_float_model::agrees_with_to_chars(std::bit_cast<float>(static_cast<std::uint32_t>(b))))
      return false;
    if (!parse_format_float_model::agrees_with_to_chars(std::bit_cast<float>(static_cast<std::uint32_t>(b >> 32)))) {
      return false;
    }
  }
  // A short tail: its bytes as the low bytes of a pattern.
  std::uint64_t tail = 0;
  const std::size_t rest = data.size() % 8;
  if (rest != 0) std::memcpy(&tail, data.data() + data.size() - rest, rest);
  return parse_format_float_model::agrees_with_to_chars(std::bit_cast<double>(tail)) &&
         parse_format_float_model::agrees_with_to_chars(std::bit_cast<float>(static_cast<std::uint32_t>(tail)));
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_PARSE_FORMAT_FLOAT_PROPERTY_HPP
