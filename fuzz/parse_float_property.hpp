// SPDX-License-Identifier: MIT
// A property over strings, shared by tests/parse_float_test.cpp (fuzz_string)
// and fuzz/parse_float_fuzz.cpp (libFuzzer): parse_float<double> and
// parse_float<float> agree with std::from_chars (libstdc++) in the general,
// fixed and scientific formats: the same error, the same end, the same bits
// (NaNs: both NaN, same sign). On result_out_of_range std::from_chars leaves
// its output alone, where parse_float gives +-infinity or +-0 (documented);
// the sign and magnitude class are checked instead. The json format is
// checked against a small RFC 8259 recognizer of the model's own and, where
// it accepts, against the general format's value.
//
// Random bytes rarely spell a number, so the first byte picks an alphabet
// the rest is mapped into (digits and '.', 'e', signs; or the letters of inf
// and nan too; or raw bytes). Each input is parsed from its own exact-size
// allocation so that a read past the end is caught by ASan.
#ifndef ELECTRON_FUZZ_PARSE_FLOAT_PROPERTY_HPP
#define ELECTRON_FUZZ_PARSE_FLOAT_PROPERTY_HPP

#include "electron/parse/float.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace electron_fuzz {
namespace parse_float_model {

/// The length of the RFC 8259 number at the start of s, or 0 when the
/// grammar is broken inside it (parse_float's json mode rejects those).
inline std::size_t json_number_length(std::string_view s) {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return 0;
  if (s[i] == '0') {
    ++i;
    if (digit(i)) return 0;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return 0;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return 0;
    while (digit(i)) ++i;
  }
  return i;
}

template <class T>
bool same_value(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) && std::signbit(a) == std::signbit(b);
  return std::bit_cast<typename electron::parse::detail::float_traits<T>::bits_type>(a) ==
         std::bit_cast<typename electron::parse::detail::float_traits<T>::bits_type>(b);
}

template <class T>
bool agrees_with_from_chars(const char* first, const char* last) {
  using electron::parse::float_format;
  const std::chars_format std_formats[] = {std::chars_format::general, std::chars_format::fixed,
                                           std::chars_format::scientific};
  const float_format formats[] = {float_format::general, float_format::fixed, float_format::scientific};
  for (int f = 0; f < 3; ++f) {
    T expected{};
    const std::from_chars_result want = std::from_chars(first, last, expected, std_formats[f]);
    const auto got = electron::parse::parse_float<T>(first, last, formats[f]);
    if (got.ec != want.ec || got.ptr != want.ptr) return false;
    if (want.ec == std::errc{} && !same_value(got.value, expected)) return false;
    if (want.ec == std::errc::result_out_of_range) {
      // +-infinity for overflow, +-0 for underflow; the sign is the text's.
      const bool negative = *first == '-';
      if (std::signbit(got.value) != negative) return false;
      if (!std::isinf(got.value) && got.value != T{0}) return false;
    }
  }
  // json: accepted exactly where the model's recognizer is, with the
  // general format's result on the same characters.
  const std::size_t n = json_number_length(std::string_view(first, static_cast<std::size_t>(last - first)));
  const auto json = electron::parse::parse_float<T>(first, last, float_format::json);
  if (n == 0) return json.ec == std::errc::invalid_argument && json.ptr == first;
  const auto general = electron::parse::parse_float<T>(first, first + n, float_format::general);
  return json.ptr == first + n && json.ec == general.ec && same_value(json.value, general.value);
}

}  // namespace parse_float_model

/// The property: see the file comment.
inline bool parse_float_property(std::string_view data) {
  namespace model = parse_float_model;
  std::string text;
  if (!data.empty()) {
    static constexpr std::string_view numeric = "0123456789012345678901234567890123456789..eE+-";
    static constexpr std::string_view words = "0123456789.eE+-infinityINFNAN()_xnan(";
    const auto mode = static_cast<unsigned char>(data[0]) % 4;
    for (const char c : data.substr(1)) {
      const auto b = static_cast<unsigned char>(c);
      switch (mode) {
        case 0:
        case 1:
          text += numeric[b % numeric.size()];
          break;
        case 2:
          text += words[b % words.size()];
          break;
        default:
          text += c;
          break;
      }
    }
  }
  std::vector<char> buf(text.begin(), text.end());
  const char* first = buf.data();
  const char* last = first + buf.size();
  return model::agrees_with_from_chars<double>(first, last) && model::agrees_with_from_chars<float>(first, last);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_PARSE_FLOAT_PROPERTY_HPP
