// SPDX-License-Identifier: MIT
// electron/parse/common.hpp: what the parse module's functions share:
// parse_result<T> (from_chars-style: value, where parsing stopped, an error
// code), the options flags, format_result and the text_sink concept.
#ifndef ELECTRON_PARSE_COMMON_HPP
#define ELECTRON_PARSE_COMMON_HPP

#include "electron/config.hpp"

#include <charconv>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace parse {

/// The result of parsing a number. `ptr` is one past the last character
/// used (the `[first, last)` overloads) and `ec` is std::errc{} on
/// success, std::errc::invalid_argument when no number starts at the input
/// (ptr == first), std::errc::result_out_of_range when the number does not
/// fit T (ptr past the whole number). What `value` holds after an error is
/// documented by each function.
template <class T>
struct parse_result {
  T value{};
  const char* ptr = nullptr;
  std::errc ec{};
  constexpr explicit operator bool() const noexcept { return ec == std::errc{}; }
  friend constexpr bool operator==(const parse_result&, const parse_result&) = default;
};

/// Flags for the number parsers (combine with |).
enum class number_options : unsigned {
  none = 0,
  allow_plus = 1u << 0,  ///< accept a leading '+'
};
constexpr number_options operator|(number_options a, number_options b) noexcept {
  return static_cast<number_options>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(number_options set, number_options flag) noexcept {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(flag)) != 0;
}

/// The result of formatting into a caller buffer: std::to_chars_result
/// (ptr one past the last character written; ec ==
/// std::errc::value_too_large, ptr == last, when the buffer is too short,
/// and then the buffer's contents are unspecified but nothing is written
/// past last).
using format_result = std::to_chars_result;

/// Anything text can be appended to with `append(std::string_view)`:
/// strings::basic_builder<S> for every buffer source S, std::string, or a
/// type of your own. append_int and append_float write into one.
template <class B>
concept text_sink = requires(B& b, std::string_view s) {
  b.append(s);
};

}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_COMMON_HPP
