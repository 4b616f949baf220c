// SPDX-License-Identifier: MIT
// electron/parse/float.hpp: text to float and double, correctly rounded for
// every input (round to nearest, ties to even), like std::from_chars and
// faster. Does not throw, does not allocate, never reads outside
// [first, last), constexpr.
//
//   auto r = electron::parse::parse_float<double>("12.5");  // r.value == 12.5
//   if (!r) { /* r.ec: invalid_argument or result_out_of_range */ }
//
// Formats (float_format): general, fixed and scientific follow
// std::chars_format; json is the RFC 8259 number grammar. Algorithm (docs/
// parse.md, docs/adr/0017-parse-float-parsing.md): Clinger's fast path, then
// the Eisel-Lemire 128-bit step, then an exact big-integer comparison for
// the cases those cannot decide.
#ifndef ELECTRON_PARSE_FLOAT_HPP
#define ELECTRON_PARSE_FLOAT_HPP

#include "electron/config.hpp"
#include "electron/parse/common.hpp"
#include "electron/parse/detail/float_exact.hpp"
#include "electron/parse/detail/float_lemire.hpp"
#include "electron/parse/detail/float_scan.hpp"

#include <bit>
#include <concepts>
#include <cstdint>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace parse {

/// The text forms parse_float accepts.
enum class float_format : unsigned char {
  /// `[-]digits[.digits][(e|E)[+|-]digits]`, as std::chars_format::general:
  /// the exponent is optional, either side of '.' may be empty (not both).
  general,
  /// As general without an exponent part (std::chars_format::fixed): "1e5"
  /// parses as 1 and stops at 'e'.
  fixed,
  /// As general with the exponent part required (std::chars_format::scientific):
  /// "1.5" is invalid_argument.
  scientific,
  /// RFC 8259 section 6: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. No
  /// '+' sign, no leading zeros, digits on both sides of '.', digits after
  /// 'e', no inf or nan. A number that the grammar would have to cut short
  /// ("01", "1.", "1e+") is invalid_argument, not a shorter number.
  json,
};

/// The types parse_float produces: float and double (IEEE binary32/64).
template <class T>
concept parsable_float = std::same_as<T, float> || std::same_as<T, double>;

/// Parses a floating-point number at the start of [first, last), in the
/// manner of std::from_chars. Needs first <= last.
///
/// - Sign: a leading '-'; a leading '+' only with number_options::allow_plus
///   (never in json). No whitespace skipping, no locale ('.' only).
/// - inf, infinity, nan and nan(chars) (chars: letters, digits, '_'), in any
///   case, after an optional sign, in every format but json; "-nan" has its
///   sign bit set. As strtod and std::from_chars.
/// - Result: ec == std::errc{} and ptr one past the number; or
///   invalid_argument, ptr == first, value 0, when no number starts at first
///   (and in json mode when the grammar is broken inside the number); or
///   result_out_of_range, ptr past the number, when the correctly rounded
///   value overflows to infinity (value is then +-infinity) or underflows a
///   nonzero number to zero (value +-0). std::from_chars reports the same
///   cases but leaves its output unmodified; subnormal results are not
///   errors in either.
/// - Signed zero: "-0", "-0.0e9" give -0.0, as std::from_chars.
///
/// O(length), no allocation, no shared state (call from any thread). The
/// inputs that need the exact comparison (about 1 in 4,000 random 1-40
/// digit decimals, none of the shortest printed doubles) cost up to a few
/// microseconds for 800 digits. Assumes the default floating-point
/// environment (round to nearest).
template <parsable_float T>
constexpr parse_result<T> parse_float(const char* first, const char* last, float_format fmt = float_format::general,
                                      number_options options = number_options::none) noexcept;

/// The whole of `text` as one number: as the [first, last) form, and
/// invalid_argument when characters follow the number (ptr then points at
/// the first of them and value holds the number before it).
///
///   parse_float<float>("3.25").value == 3.25f
///   parse_float<double>("1e400").ec == std::errc::result_out_of_range  (value +inf)
///   parse_float<double>("01", float_format::json).ec == std::errc::invalid_argument
template <parsable_float T>
constexpr parse_result<T> parse_float(std::string_view text, float_format fmt = float_format::general,
                                      number_options options = number_options::none) noexcept;

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

namespace detail {

template <class T>
constexpr T from_bits(typename float_traits<T>::bits_type bits, bool negative) noexcept {
  using bits_type = typename float_traits<T>::bits_type;
  constexpr bits_type sign = bits_type{1} << (sizeof(bits_type) * 8 - 1);
  return std::bit_cast<T>(negative ? static_cast<bits_type>(bits | sign) : bits);
}

constexpr float_syntax syntax_of(float_format fmt, number_options options) noexcept {
  return {fmt != float_format::fixed, fmt == float_format::scientific, fmt == float_format::json,
          has(options, number_options::allow_plus)};
}

/// More than 19 significant digits (q in the table's range): the value lies
/// in [w, w + 1) * 10^q, and when both ends round the same way, so does
/// everything between (Lemire 2021, section 11). Out of line: rare, and
/// keeps the common path small.
template <class T>
ELECTRON_NOINLINE constexpr typename float_traits<T>::bits_type convert_long(std::uint64_t w, std::int64_t q,
                                                                             const char* first, const char* last,
                                                                             float_syntax syn) noexcept {
  const lemire_result<T> a = eisel_lemire<T>(w, q);
  if (a.exact) {
    const lemire_result<T> b = eisel_lemire<T>(w + 1, q);
    if (b.exact && b.bits == a.bits) return a.bits;
  }
  return exact_round<T>(first, last, syn, a.bits);
}

template <class T>
ELECTRON_ALWAYS_INLINE constexpr parse_result<T> convert(const float_scan& s, const char* first, const char* last,
                                                         float_syntax syn) noexcept {
  using tr = float_traits<T>;
  using bits_type = typename tr::bits_type;
  constexpr auto infinity_bits = static_cast<bits_type>(bits_type{tr::infinite_exponent} << tr::mantissa_bits);
  parse_result<T> r{T{}, s.end, std::errc{}};
  if (s.kind != scan_kind::number) {
    if (s.kind == scan_kind::infinity) {
      r.value = from_bits<T>(infinity_bits, s.negative);
    } else if (s.kind == scan_kind::nan) {
      // The default quiet NaN (top significand bit), as strtod gives.
      r.value =
          from_bits<T>(static_cast<bits_type>(infinity_bits | (bits_type{1} << (tr::mantissa_bits - 1))), s.negative);
    } else {
      r.ec = std::errc::invalid_argument;
    }
    return r;
  }
  bits_type bits = 0;
  if (s.mantissa == 0) {
    // Only zeros (mantissa keeps every nonzero digit among the first 19
    // significant ones, and there is always one when the input has one).
    r.value = from_bits<T>(0, s.negative);
    return r;
  }
  if (s.exponent < tr::smallest_power) {
    bits = 0;
  } else if (s.exponent > tr::largest_power) {
    bits = infinity_bits;
  } else {
    T fast{};
    if (!s.truncated && clinger<T>(s.mantissa, s.exponent, fast)) {
      r.value = s.negative ? -fast : fast;
      return r;
    }
    // The slow paths get the text, not the scan: taking the scan's address
    // would keep it in memory on the fast path too.
    if (ELECTRON_UNLIKELY(s.truncated)) {
      bits = convert_long<T>(s.mantissa, s.exponent, first, last, syn);
    } else {
      const lemire_result<T> a = eisel_lemire<T>(s.mantissa, s.exponent);
      bits = ELECTRON_LIKELY(a.exact) ? a.bits : exact_round<T>(first, last, syn, a.bits);
    }
  }
  r.value = from_bits<T>(bits, s.negative);
  if (bits == 0 || bits == infinity_bits) r.ec = std::errc::result_out_of_range;
  return r;
}

}  // namespace detail

template <parsable_float T>
ELECTRON_ALWAYS_INLINE constexpr parse_result<T> parse_float(const char* first, const char* last, float_format fmt,
                                                             number_options options) noexcept {
  ELECTRON_ASSERT(first <= last, "parse_float: first must not be after last");
  const detail::float_syntax syn = detail::syntax_of(fmt, options);
  return detail::convert<T>(detail::scan_float(first, last, syn), first, last, syn);
}

template <parsable_float T>
ELECTRON_ALWAYS_INLINE constexpr parse_result<T> parse_float(std::string_view text, float_format fmt,
                                                             number_options options) noexcept {
  const char* first = text.data();
  const char* last = first + text.size();
  parse_result<T> r = parse_float<T>(first, last, fmt, options);
  if (r.ptr != last && r.ec != std::errc::invalid_argument) r.ec = std::errc::invalid_argument;
  return r;
}

}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_FLOAT_HPP
