// SPDX-License-Identifier: MIT
// electron/parse/int.hpp: integers from text and back.
//
//   parse_int<T> / parse_uint<T>   text -> integer (whole string, or a prefix of [first, last))
//   format_int / format_uint       integer -> text in a caller buffer
//   int_chars                      integer -> text in a small value (like fmt::format_int)
//   append_int                     integer -> text appended to a builder (any text_sink)
//
// Everything here is constexpr; everything but append_int (whose sink may
// allocate) is noexcept and never allocates. Parsing never reads outside
// [first, last); formatting never writes past last. No locale (only ASCII
// digits and letters), no whitespace skipping.
//
//   auto r = electron::parse::parse_int<int>("-42");          // r.value == -42, bool(r)
//   auto h = electron::parse::parse_uint<std::uint32_t>("0xff", 0);  // 255
//   electron::parse::int_chars t(-42);                          // t.view() == "-42"
#ifndef ELECTRON_PARSE_INT_HPP
#define ELECTRON_PARSE_INT_HPP

#include "electron/config.hpp"
#include "electron/parse/common.hpp"
#include "electron/parse/detail/int_digits.hpp"

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <system_error>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace parse {

/// The standard integer types: signed char, short, int, long, long long and
/// their unsigned versions (std::int8_t ... std::uint64_t). Not bool, char
/// or the character types (char8_t, char16_t, char32_t, wchar_t).
template <class T>
concept standard_integer =
    std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> && !std::same_as<std::remove_cv_t<T>, char> &&
    !std::same_as<std::remove_cv_t<T>, char8_t> && !std::same_as<std::remove_cv_t<T>, char16_t> &&
    !std::same_as<std::remove_cv_t<T>, char32_t> && !std::same_as<std::remove_cv_t<T>, wchar_t> &&
    !std::is_const_v<T> && !std::is_volatile_v<T> && sizeof(T) <= 8;

/// An unsigned standard_integer.
template <class T>
concept standard_unsigned = standard_integer<T> && std::is_unsigned_v<T>;

/// `const char*` or `char*`: the end of a [first, last) range. (A template
/// parameter, so that `parse_int<int>("10", 0)` means base 0, not last = 0.)
template <class P>
concept char_pointer = std::same_as<P, const char*> || std::same_as<P, char*>;

// ===========================================================================
// Parsing
// ===========================================================================

namespace detail {
/// parse_int in every base and every range (out of line: the decimal path
/// inside a longer text, inlined at the call, covers the common case).
template <class T>
constexpr parse_result<T> parse_int_any(const char* first, const char* end, int base, number_options options) noexcept {
  using U = std::make_unsigned_t<T>;
  parse_result<T> r{T{}, first, std::errc::invalid_argument};
  if (base < 0 || base == 1 || base > 36) return r;
  const char* p = first;
  bool negative = false;
  if (p != end) {
    // Flags, not branches: a sign that comes and goes at random costs no
    // misprediction.
    const bool minus = *p == '-';
    const bool plus = *p == '+' && has(options, number_options::allow_plus);
    if constexpr (std::is_unsigned_v<T>) {
      if (minus) return r;
    }
    negative = minus;
    p += (minus || plus) ? 1 : 0;
  }
  auto b = static_cast<unsigned>(base);
  if (b == 0) {
    b = 10;
    if (end - p >= 3 && p[0] == '0') {
      const char c = static_cast<char>(p[1] | 0x20);
      const unsigned prefixed = c == 'x' ? 16 : c == 'b' ? 2 : c == 'o' ? 8 : 0;
      if (prefixed != 0 && detail::digit_value(p[2]) < prefixed) {
        b = prefixed;
        p += 2;
      }
    }
  }
  if (p == end || detail::digit_value(*p) >= b) return r;
  const detail::digit_run run = b == 10 ? detail::decimal_run(first, p, end) : detail::radix_run(p, end, b);
  r.ptr = run.end;
  // The largest magnitude: max for a positive value, max + 1 for a negative one.
  const std::uint64_t limit = std::uint64_t{static_cast<U>(std::numeric_limits<T>::max())} + (negative ? 1 : 0);
  if (run.overflow || run.value > limit) {
    r.ec = std::errc::result_out_of_range;
    return r;
  }
  const auto magnitude = static_cast<U>(run.value);
  r.value = static_cast<T>(negative ? static_cast<U>(U{0} - magnitude) : magnitude);
  r.ec = std::errc{};
  return r;
}

}  // namespace detail

/// Parses an integer at the start of [first, last), as std::from_chars does,
/// and stops at the first character that is not a digit of the base.
///
/// - Grammar: an optional '-' (signed T only), or '+' when `options` has
///   number_options::allow_plus (one sign at most), then one or more digits
///   of `base`: '0'-'9', then 'a'-'z' or 'A'-'Z' for 10-35.
/// - `base`: 2 to 36, or 0: "0x"/"0X" (16), "0b"/"0B" (2) or "0o"/"0O" (8)
///   after the sign picks the base, else base 10. A lone leading 0 does NOT
///   mean octal ("010" is ten). A prefix counts only when a digit of its
///   base follows it: "0x" and "0xg" parse as 0, stopping at the 'x'.
///   Prefixes are not accepted with an explicit base ("0x1f" in base 16 is
///   0, stopping at the 'x').
/// - Errors (value is T{} after every error):
///   - invalid_argument, ptr == first: no digit where one must be (empty
///     input, a bare sign, a non-digit first), '-' for an unsigned T (even
///     "-0"), '+' without allow_plus, a base outside {0, 2..36}.
///   - result_out_of_range, ptr past every digit: the number does not fit T.
/// - No locale, no whitespace skipping, no digit separators.
///
/// O(ptr - first); reads nothing outside [first, last) (decimal digits are
/// read 8 bytes at a time, within the range); noexcept, constexpr, no
/// allocation.
template <standard_integer T = std::int64_t, char_pointer Last>
[[nodiscard]] ELECTRON_ALWAYS_INLINE constexpr parse_result<T> parse_int(
    const char* first, Last last, int base = 10, number_options options = number_options::none) noexcept {
  using U = std::make_unsigned_t<T>;
  const char* const end = last;
  parse_result<T> r{T{}, first, std::errc::invalid_argument};
  if (base == 10 && end - first >= 25) {
    // Inside a longer text (a CSV field, a JSON array), the common case:
    // the word at first and the one a byte later are loaded together, and
    // the sign only selects between them, so the digits' load does not
    // wait for the sign test. Up to seven digits end here with no branch
    // on their number.
    const std::uint64_t w0 = detail::load8(first);
    const std::uint64_t w1 = detail::load8(first + 1);
    const auto c = static_cast<char>(w0 & 0xFF);
    const bool minus = c == '-';
    if constexpr (std::is_unsigned_v<T>) {
      if (minus) return r;
    }
    const bool has_sign = minus || (c == '+' && has(options, number_options::allow_plus));
    // A blend through a mask the compiler cannot see into: clang 14 turns
    // `has_sign ? w1 : w0` (and a plain mask) back into a branch.
    const std::uint64_t pick = detail::opaque_word(std::uint64_t{0} - static_cast<std::uint64_t>(has_sign));
    const std::uint64_t x = ((w1 & pick) | (w0 & ~pick)) ^ detail::ascii_zeros;
    const int n = std::countr_zero(detail::non_digit_bits(x)) >> 3;
    const char* const p = first + (pick & 1);
    if (n == 0) return r;
    if (n < 8 && (sizeof(T) >= 4 || n <= std::numeric_limits<T>::digits10)) {
      const auto magnitude = static_cast<U>(detail::leading_digits(x, n));
      r.ptr = p + n;
      r.value = static_cast<T>(minus ? static_cast<U>(U{0} - magnitude) : magnitude);
      r.ec = std::errc{};
      return r;
    }
    const detail::digit_run run = detail::decimal_run(first, p, end);
    r.ptr = run.end;
    const std::uint64_t limit = std::uint64_t{static_cast<U>(std::numeric_limits<T>::max())} + (minus ? 1 : 0);
    if (run.overflow || run.value > limit) {
      r.ec = std::errc::result_out_of_range;
      return r;
    }
    const auto magnitude = static_cast<U>(run.value);
    r.value = static_cast<T>(minus ? static_cast<U>(U{0} - magnitude) : magnitude);
    r.ec = std::errc{};
    return r;
  }
  return detail::parse_int_any<T>(first, end, base, options);
}

/// Parses all of `text` as an integer: the [first, last) form, and then
/// anything left over is an error: invalid_argument with ptr at the first
/// unused character (value T{}). Leftovers win over result_out_of_range
/// ("99999999999999999999x" is invalid_argument at the 'x'). Same grammar,
/// base and options; noexcept, constexpr, no allocation.
///
///   parse_int<int>("123") -> {123, end, errc{}};  parse_int<int>("12a") -> {0, "a", invalid_argument}
template <standard_integer T = std::int64_t>
[[nodiscard]] ELECTRON_ALWAYS_INLINE constexpr parse_result<T> parse_int(
    std::string_view text, int base = 10, number_options options = number_options::none) noexcept {
  const char* const last = text.data() + text.size();
  parse_result<T> r = parse_int<T>(text.data(), last, base, options);
  if (r.ptr != last && r.ec != std::errc::invalid_argument) {
    r.value = T{};
    r.ec = std::errc::invalid_argument;
  }
  return r;
}

/// parse_int for an unsigned T only (the name says so at the call). A '-'
/// is invalid_argument, even in "-0", as std::from_chars does for unsigned types.
template <standard_unsigned T = std::uint64_t, char_pointer Last>
[[nodiscard]] constexpr parse_result<T> parse_uint(const char* first, Last last, int base = 10,
                                                   number_options options = number_options::none) noexcept {
  return parse_int<T>(first, last, base, options);
}

/// parse_int (whole string) for an unsigned T only.
template <standard_unsigned T = std::uint64_t>
[[nodiscard]] constexpr parse_result<T> parse_uint(std::string_view text, int base = 10,
                                                   number_options options = number_options::none) noexcept {
  return parse_int<T>(text, base, options);
}

// ===========================================================================
// Formatting
// ===========================================================================

/// Most characters format_int writes for any standard integer in any base:
/// 64 binary digits and a '-'.
inline constexpr std::size_t max_int_chars = 65;

/// Writes v in `base` (2-36; lowercase letters, '-' before a negative
/// value, no prefix, no leading zeros; the minimum value is exact) to
/// [first, last), as std::to_chars does.
/// - {one past the last character, errc{}} on success;
/// - {last, value_too_large} when the text does not fit: nothing is written
///   past last (what [first, last) holds then is unspecified);
/// - {first, invalid_argument} for a base outside 2..36 (nothing written).
/// O(digits); noexcept, constexpr, no allocation; decimal text at most 20
/// characters (with the sign), max_int_chars in any base.
template <standard_integer T>
constexpr format_result format_int(char* first, char* last, T v, int base = 10) noexcept {
  if (base < 2 || base > 36) return {first, std::errc::invalid_argument};
  using U = std::make_unsigned_t<T>;
  auto magnitude = static_cast<U>(v);
  bool negative = false;
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) {
      negative = true;
      magnitude = static_cast<U>(U{0} - magnitude);
    }
  }
  const auto room = static_cast<std::size_t>(last - first);
  const std::size_t sign = negative ? 1 : 0;
  if (base == 10) {
    const std::size_t n = sign + detail::decimal_digits(magnitude);
    if (n > room) return {last, std::errc::value_too_large};
    // No branch on the sign (a random one would mispredict): the '-' is
    // written either way, and the first digit overwrites it when the value
    // is not negative (n >= 1 characters fit).
    *first = '-';
    detail::decimal_forward(first + sign, magnitude, n - sign);
    return {first + n, std::errc{}};
  }
  char tmp[max_int_chars];
  char* const tmp_end = tmp + max_int_chars;
  const char* const digits = detail::radix_backward(tmp_end, magnitude, static_cast<unsigned>(base));
  const auto count = static_cast<std::size_t>(tmp_end - digits);
  if (sign + count > room) return {last, std::errc::value_too_large};
  if (negative) *first++ = '-';
  for (std::size_t i = 0; i < count; ++i) first[i] = digits[i];
  return {first + count, std::errc{}};
}

/// format_int for an unsigned T only.
template <standard_unsigned T>
constexpr format_result format_uint(char* first, char* last, T v, int base = 10) noexcept {
  return format_int(first, last, v, base);
}

/// The text of one integer, held by value: formats on construction (in
/// decimal, whole 8-digit blocks are written back from the end, as many as
/// the value needs, and the significant digits are shown), then
/// data()/size()/view()/c_str() read it. Like fmt::format_int, in any
/// base 2-36. 67 bytes, trivially copyable, no allocation; constexpr.
///
///   electron::parse::int_chars t(255, 16);  // t.view() == "ff", t.c_str() is NUL-terminated
class int_chars {
 public:
  /// The text of v in `base`. Precondition: 2 <= base <= 36
  /// (ELECTRON_ASSERT; with assertions off the text is empty).
  template <standard_integer T>
  constexpr explicit int_chars(T v, int base = 10) noexcept {
    if (std::is_constant_evaluated()) {
      for (char& c : m_buf) c = '\0';  // a constant may not hold indeterminate bytes
    }
    m_buf[max_int_chars] = '\0';
    char* const end = m_buf + max_int_chars;
    m_begin = static_cast<std::uint8_t>(max_int_chars);
    ELECTRON_ASSERT(base >= 2 && base <= 36, "electron::parse::int_chars: base outside 2..36");
    if (base < 2 || base > 36) return;
    using U = std::make_unsigned_t<T>;
    auto magnitude = static_cast<U>(v);
    bool negative = false;
    if constexpr (std::is_signed_v<T>) {
      if (v < 0) {
        negative = true;
        magnitude = static_cast<U>(U{0} - magnitude);
      }
    }
    char* p = base == 10 ? detail::decimal_backward_blocks(end, magnitude)
                         : detail::radix_backward(end, magnitude, static_cast<unsigned>(base));
    // The '-' written either way, before the digits, and kept or not: no
    // branch on the sign (there is room: at most 24 digits are written).
    *(p - 1) = '-';
    p -= negative ? 1 : 0;
    m_begin = static_cast<std::uint8_t>(p - m_buf);
  }

  /// The first character (not NUL-terminated as seen through size(); c_str() is).
  [[nodiscard]] constexpr const char* data() const noexcept { return m_buf + m_begin; }
  /// The same pointer: the text is followed by a NUL.
  [[nodiscard]] constexpr const char* c_str() const noexcept { return m_buf + m_begin; }
  /// Number of characters (no NUL).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return max_int_chars - m_begin; }
  /// The text, valid as long as this object.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data(), size()}; }
  constexpr explicit operator std::string_view() const noexcept { return view(); }
  [[nodiscard]] constexpr const char* begin() const noexcept { return data(); }
  [[nodiscard]] constexpr const char* end() const noexcept { return m_buf + max_int_chars; }

 private:
  char m_buf[max_int_chars + 1];
  std::uint8_t m_begin;
};

/// Appends v's text in `base` to `sink` (strings::basic_builder<S> for any
/// buffer source S, std::string, ...) with one append(std::string_view) call
/// and returns sink. Precondition: 2 <= base <= 36 (as int_chars). Only what
/// sink.append does may allocate or throw.
///
///   electron::strings::builder b;  electron::parse::append_int(b, -7).append(",");
template <text_sink B, standard_integer T>
constexpr B& append_int(B& sink, T v, int base = 10) {
  const int_chars text(v, base);
  sink.append(text.view());
  return sink;
}

}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_INT_HPP
