// SPDX-License-Identifier: MIT
// electron/parse/format_float.hpp: float and double to text, the shortest
// form that reads back as the same value.
//
//   format_float(first, last, v)   v -> text in a caller buffer, byte for byte
//                                  what std::to_chars(first, last, v) writes
//   format_float(.., fmt[, prec])  fixed / scientific / general, as std::to_chars
//   format_float_ecmascript        double -> text as JavaScript's String(v)
//   float_chars                    v -> text in a small value
//   append_float                   v -> text appended to a builder (any text_sink)
//
// Everything here is constexpr; everything but append_float (whose sink may
// allocate) is noexcept and never allocates. Formatting never writes past
// last. Algorithm: Schubfach (R. Giulietti, "The Schubfach way to render
// doubles", 2020) for the digits, see docs/parse.md.
//
//   char buf[electron::parse::max_float_chars];
//   auto r = electron::parse::format_float(buf, buf + sizeof buf, 0.1);  // "0.1"
//   electron::parse::float_chars t(1e21);                                // t.view() == "1e+21"
#ifndef ELECTRON_PARSE_FORMAT_FLOAT_HPP
#define ELECTRON_PARSE_FORMAT_FLOAT_HPP

#include "electron/config.hpp"
#include "electron/parse/common.hpp"
#include "electron/parse/detail/format_float_exact.hpp"
#include "electron/parse/detail/format_float_shortest.hpp"
#include "electron/parse/detail/format_float_write.hpp"

#include <bit>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace parse {

/// The types format_float writes: float and double (IEEE binary32/64).
template <class T>
concept formattable_float = std::same_as<T, float> || std::same_as<T, double>;

/// Most characters format_float writes for any float or double:
/// "-1.7976931348623157e+308" and the longest fixed forms have 24.
inline constexpr std::size_t max_float_chars = 24;

/// Writes the shortest text of v that reads back as v (std::from_chars,
/// parse_float, strtod), exactly as std::to_chars(first, last, v) does
/// (libstdc++, and what the standard specifies): the printf %f or %e form
/// with the fewest characters, ties to %f ("1e+05", "10000", "0.001",
/// "1e-04", "123456789012345683968" for 1.2345678901234568e20, as %f prints an
/// integer exactly); exponents "e+XX"/"e-XX" with at least two digits;
/// "inf", "-inf", "nan", "-nan" (the sign bit of a NaN is shown; payloads
/// are not); "-0" for negative zero.
/// - {one past the last character, errc{}} on success (the bytes after
///   it, up to last, may have been overwritten: the text is stored in
///   whole words when there is room);
/// - {last, value_too_large} when the text does not fit: nothing is written
///   past last (what [first, last) holds then is unspecified).
/// O(1); noexcept, constexpr, no allocation; at most max_float_chars (24).
template <formattable_float T>
constexpr format_result format_float(char* first, char* last, T v) noexcept {
  using tr = detail::ieee_traits<T>;
  const auto f = detail::fields_of(v);
  const auto room = static_cast<std::size_t>(last - first);
  const std::size_t sign = f.negative ? 1 : 0;
  const std::string_view special =
      detail::special_text(f.negative, f.biased, f.fraction, (std::uint64_t{1} << tr::exponent_bits) - 1);
  if (!special.empty()) {
    if (special.size() > room) return {last, std::errc::value_too_large};
    for (std::size_t i = 0; i < special.size(); ++i) first[i] = special[i];
    return {first + special.size(), std::errc{}};
  }
  // The writer stores whole words past the text's end: straight into a
  // buffer with room for that, through a local one otherwise.
  if (room >= sign + detail::shortest_reach) {
    if (f.negative) *first = '-';
    return {detail::write_shortest<T>(first + sign, f.biased, f.fraction), std::errc{}};
  }
  char text[detail::shortest_reach] = {};
  const auto n = static_cast<std::size_t>(detail::write_shortest<T>(text, f.biased, f.fraction) - text);
  if (sign + n > room) return {last, std::errc::value_too_large};
  if (f.negative) *first = '-';
  for (std::size_t i = 0; i < n; ++i) first[sign + i] = text[i];
  return {first + sign + n, std::errc{}};
}

/// v in the form of `fmt` with `precision`, exactly as
/// std::to_chars(first, last, v, fmt, precision) (printf's %.Nf, %.Ne,
/// %.Ng): fixed (`precision` digits after the point), scientific
/// (`precision` digits after the first one), general (`precision`
/// significant digits, 0 meaning 1; %f when -4 <= exponent < precision,
/// else %e; trailing zeros removed). The value is rounded from its exact
/// binary expansion, half to even on an exact tie; a negative precision
/// means 6. inf/nan and the sign as format_float. chars_format::hex is not
/// supported: {first, invalid_argument}. Same buffer rules as format_float
/// (any precision: digits past the exact expansion are zeros). O(exact
/// digits^2 + output); noexcept, constexpr, no allocation (about 5 KiB of
/// stack).
template <formattable_float T>
constexpr format_result format_float(char* first, char* last, T v, std::chars_format fmt, int precision) noexcept {
  using tr = detail::ieee_traits<T>;
  if (fmt != std::chars_format::fixed && fmt != std::chars_format::scientific && fmt != std::chars_format::general) {
    return {first, std::errc::invalid_argument};
  }
  if (precision < 0) precision = 6;
  const auto f = detail::fields_of(v);
  if (f.biased == (std::uint64_t{1} << tr::exponent_bits) - 1) return format_float(first, last, v);
  detail::bounded_out o{first, last};
  if (f.negative) o.put('-');
  detail::decimal_expansion x{};
  detail::exact_of<T>(x, f.biased, f.fraction);
  const long long p = precision;
  if (fmt == std::chars_format::fixed) {
    if (x.count != 0) detail::round_expansion(x, static_cast<int>(x.point + p < 100000 ? x.point + p : 100000));
    detail::put_fixed(o, x, p);
  } else if (fmt == std::chars_format::scientific) {
    if (x.count != 0) detail::round_expansion(x, static_cast<int>(p + 1 < 100000 ? p + 1 : 100000));
    detail::put_scientific(o, x, p);
  } else {
    const long long g = p == 0 ? 1 : p;
    if (x.count != 0) detail::round_expansion(x, static_cast<int>(g < 100000 ? g : 100000));
    const long long e = x.count == 0 ? 0 : x.point - 1;
    if (e < g && e >= -4) {
      // %f with g - 1 - e fraction digits, without the trailing zeros
      const long long shown = x.count - x.point;
      detail::put_fixed(o, x, shown > 0 ? shown : 0);
    } else {
      detail::put_scientific(o, x, x.count > 1 ? x.count - 1 : 0);
    }
  }
  return o.result();
}

/// v in the form of `fmt` with the shortest digits that read back as v, as
/// std::to_chars(first, last, v, fmt) (libstdc++): fixed (an integer is
/// printed exactly: 1e300 has 301 digits), scientific, or general (the
/// fixed form when -4 <= exponent < 6, as %g with its default precision,
/// else scientific; the shortest digits either way). hex is not supported:
/// {first, invalid_argument}. Same buffer rules as format_float.
template <formattable_float T>
constexpr format_result format_float(char* first, char* last, T v, std::chars_format fmt) noexcept {
  using tr = detail::ieee_traits<T>;
  if (fmt != std::chars_format::fixed && fmt != std::chars_format::scientific && fmt != std::chars_format::general) {
    return {first, std::errc::invalid_argument};
  }
  const auto f = detail::fields_of(v);
  if (f.biased == (std::uint64_t{1} << tr::exponent_bits) - 1) return format_float(first, last, v);
  detail::bounded_out o{first, last};
  if (f.negative) o.put('-');
  detail::decimal_expansion x{};
  if (f.biased != 0 || f.fraction != 0) {
    const detail::decimal_fp d = detail::shortest_decimal<T>(f.biased, f.fraction);
    if (fmt == std::chars_format::fixed && d.exponent > 0) {
      detail::exact_of<T>(x, f.biased, f.fraction);  // an integer: printed exactly
    } else {
      detail::shortest_as_exact(x, d);
    }
  }
  const long long shown = x.count - x.point;
  if (fmt == std::chars_format::fixed) {
    detail::put_fixed(o, x, shown > 0 ? shown : 0);
  } else if (fmt == std::chars_format::scientific) {
    detail::put_scientific(o, x, x.count > 1 ? x.count - 1 : 0);
  } else {
    // libstdc++ decides as %g does with its default precision, 6: the
    // fixed form when -4 <= exponent < 6, whatever the digit count.
    const long long e = x.count == 0 ? 0 : x.point - 1;
    if (e < 6 && e >= -4) {
      detail::put_fixed(o, x, shown > 0 ? shown : 0);
    } else {
      detail::put_scientific(o, x, x.count > 1 ? x.count - 1 : 0);
    }
  }
  return o.result();
}

/// Most characters format_float_ecmascript writes: "-0.0000012345678901234567"
/// style values take 25.
inline constexpr std::size_t max_ecmascript_chars = 25;

/// Writes v as JavaScript's String(v) / Number.prototype.toString() does
/// (ECMA-262, Number::toString, radix 10), from the same shortest digits:
/// with k digits and the decimal point n places after the first one,
/// - k <= n <= 21: the digits and n - k zeros ("1e+21" starts at n = 22);
/// - 0 < n <= 21: the digits with a '.' after the n-th;
/// - -6 < n <= 0: "0.", -n zeros, the digits (1e-7 is "1e-7");
/// - otherwise d[.ddd]e+X / e-X with no leading zeros in the exponent;
/// "NaN", "Infinity", "-Infinity"; both zeros print "0".
/// Same result and buffer rules as format_float; at most
/// max_ecmascript_chars (25). noexcept, constexpr, no allocation.
constexpr format_result format_float_ecmascript(char* first, char* last, double v) noexcept {
  const auto f = detail::fields_of(v);
  const auto room = static_cast<std::size_t>(last - first);
  std::string_view special;
  if (f.biased == 0x7FF) {
    special = f.fraction != 0 ? std::string_view("NaN")
              : f.negative    ? std::string_view("-Infinity")
                              : std::string_view("Infinity");
  } else if (f.biased == 0 && f.fraction == 0) {
    special = "0";
  }
  if (!special.empty()) {
    if (special.size() > room) return {last, std::errc::value_too_large};
    for (std::size_t i = 0; i < special.size(); ++i) first[i] = special[i];
    return {first + special.size(), std::errc{}};
  }
  const detail::decimal_fp d = detail::shortest_decimal<double>(f.biased, f.fraction);
  const int k = static_cast<int>(detail::decimal_digits(d.digits));
  const int n = d.exponent + k;
  const int sign = f.negative ? 1 : 0;
  int length;
  if (k <= n && n <= 21) {
    length = n;
  } else if (0 < n && n <= 21) {
    length = k + 1;
  } else if (-6 < n && n <= 0) {
    length = 2 - n + k;
  } else {
    const int x = n - 1 < 0 ? 1 - n : n - 1;
    length = k + (k > 1 ? 1 : 0) + 2 + (x >= 100 ? 3 : x >= 10 ? 2 : 1);
  }
  if (static_cast<std::size_t>(sign) + static_cast<std::size_t>(length) > room)
    return {last, std::errc::value_too_large};
  char* out = first;
  if (f.negative) *out++ = '-';
  if (k <= n && n <= 21) {
    detail::decimal_forward(out, d.digits, static_cast<std::size_t>(k));
    for (char* z = out + k; z != out + n; ++z) *z = '0';
  } else if (0 < n && n <= 21) {
    detail::decimal_forward(out + 1, d.digits, static_cast<std::size_t>(k));
    for (int i = 0; i < n; ++i) out[i] = out[i + 1];
    out[n] = '.';
  } else if (-6 < n && n <= 0) {
    out[0] = '0';
    out[1] = '.';
    for (char* z = out + 2; z != out + 2 - n; ++z) *z = '0';
    detail::decimal_forward(out + 2 - n, d.digits, static_cast<std::size_t>(k));
  } else {
    detail::decimal_forward(out + 1, d.digits, static_cast<std::size_t>(k));
    out[0] = out[1];
    char* p = out + 1;
    if (k > 1) {
      out[1] = '.';
      p = out + k + 1;
    }
    *p++ = 'e';
    *p++ = n - 1 < 0 ? '-' : '+';
    const int x = n - 1 < 0 ? 1 - n : n - 1;
    detail::decimal_forward(p, static_cast<std::uint64_t>(x), detail::decimal_digits(static_cast<std::uint64_t>(x)));
  }
  return {first + sign + length, std::errc{}};
}

/// The shortest text of one float or double, held by value (as
/// format_float writes it): data()/size()/view()/c_str() read it. 26 bytes,
/// trivially copyable, no allocation; constexpr.
///
///   electron::parse::float_chars t(0.3);  // t.view() == "0.3", t.c_str() is NUL-terminated
class float_chars {
 public:
  /// The text of v.
  template <formattable_float T>
  constexpr explicit float_chars(T v) noexcept : m_buf{}, m_size{} {
    const format_result r = format_float(m_buf, m_buf + max_float_chars, v);
    m_size = static_cast<std::uint8_t>(r.ptr - m_buf);
    m_buf[m_size] = '\0';
  }

  /// The first character (the text is followed by a NUL).
  [[nodiscard]] constexpr const char* data() const noexcept { return m_buf; }
  /// The same pointer, NUL-terminated.
  [[nodiscard]] constexpr const char* c_str() const noexcept { return m_buf; }
  /// Number of characters (no NUL).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return m_size; }
  /// The text, valid as long as this object.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {m_buf, m_size}; }
  constexpr explicit operator std::string_view() const noexcept { return view(); }
  [[nodiscard]] constexpr const char* begin() const noexcept { return m_buf; }
  [[nodiscard]] constexpr const char* end() const noexcept { return m_buf + m_size; }

 private:
  char m_buf[max_float_chars + 1];
  std::uint8_t m_size;
};

/// Appends v's shortest text (as format_float) to `sink`
/// (strings::basic_builder<S>, std::string, ...) with one
/// append(std::string_view) call and returns sink. Only what sink.append
/// does may allocate or throw.
///
///   electron::strings::builder b;  electron::parse::append_float(b, 0.5).append(",");
template <text_sink B, formattable_float T>
constexpr B& append_float(B& sink, T v) {
  const float_chars text(v);
  sink.append(text.view());
  return sink;
}

}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_FORMAT_FLOAT_HPP
