// SPDX-License-Identifier: MIT
// electron/parse/detail/format_float_write.hpp: the text layouts behind
// electron/parse/format_float.hpp: the shortest form's choice between
// fixed and scientific and its writer, and the bounded writer of the forms
// with a format or a precision.
#ifndef ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_WRITE_HPP
#define ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_WRITE_HPP

#include "electron/config.hpp"
#include "electron/parse/common.hpp"
#include "electron/parse/detail/format_float_exact.hpp"
#include "electron/parse/detail/format_float_shortest.hpp"

#include <bit>
#include <cstdint>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

/// The pieces of a shortest form: what gets written where, decided before
/// anything is written so that the length check comes first.
struct float_layout {
  decimal_fp dec;
  std::uint64_t integer_low;   // the exact integer (fixed form, q >= 0)
  std::uint64_t integer_high;  //   as two halves: value = high * 10^19 + low
  int digit_count;             // of dec.digits
  int sci_exponent;            // exponent of the first digit
  int length;                  // without the sign
  bool fixed;
  bool exact_integer;  // write integer_high/low instead of dec + zeros
};

inline constexpr std::uint64_t pow10_19 = 10000000000000000000ULL;

/// Chooses between fixed and scientific as libstdc++'s std::to_chars does
/// for the shortest form: the printf %f or %e text of the value with the
/// fewest characters, ties to %f. The %f text of an integer above the
/// shortest digits is the exact integer (e.g. 2^70 prints all 22 digits).
template <class T>
constexpr float_layout layout_of(std::uint64_t biased, std::uint64_t fraction) noexcept {
  using tr = ieee_traits<T>;
  float_layout l{};
  l.dec = shortest_decimal<T>(biased, fraction);
  l.digit_count = format_digit_count(l.dec.digits);
  const int n = l.digit_count;
  const int e = l.dec.exponent;
  const int x = e + n - 1;
  l.sci_exponent = x;
  const int ax = x < 0 ? -x : x;
  const int sci = n + (n > 1 ? 1 : 0) + 2 + (ax >= 100 ? 3 : 2);
  int fix;
  if (e >= 0) {
    fix = n + e;
  } else if (x >= 0) {
    fix = n + 1;
  } else {
    fix = n + 1 - x;
  }
  l.fixed = fix <= sci;
  l.length = l.fixed ? fix : sci;
  if (l.fixed && e > 0) {
    const int q = static_cast<int>(biased) - tr::bias;
    if (biased != 0 && q > 0) {
      // fix <= sci <= 23 characters: the integer is below 10^23 < 2^77.
      const uint128 v = static_cast<uint128>(fraction | (std::uint64_t{1} << tr::significand_bits)) << q;
      l.exact_integer = true;
      l.integer_high = static_cast<std::uint64_t>(v / pow10_19);
      l.integer_low = static_cast<std::uint64_t>(v % pow10_19);
    }
  }
  return l;
}

/// Writes the layout's text (l.length characters) at out.
constexpr void write_layout(char* out, const float_layout& l) noexcept {
  const int n = l.digit_count;
  const std::uint64_t d = l.dec.digits;
  if (l.fixed) {
    const int e = l.dec.exponent;
    if (l.exact_integer) {
      if (l.integer_high != 0) {
        const int hn = format_digit_count(l.integer_high);
        format_digits(out, l.integer_high, hn);
        format_digits(out + hn, l.integer_low, 19);  // with its leading zeros
      } else {
        format_digits(out, l.integer_low, format_digit_count(l.integer_low));
      }
    } else if (e >= 0) {
      format_digits(out, d, n);
      for (char* z = out + n; z != out + n + e; ++z) *z = '0';
    } else if (l.sci_exponent >= 0) {
      // the integer digits, '.', the rest: written one place right, moved back
      const int ip = l.sci_exponent + 1;
      format_digits(out + 1, d, n);
      for (int i = 0; i < ip; ++i) out[i] = out[i + 1];
      out[ip] = '.';
    } else {
      out[0] = '0';
      out[1] = '.';
      const int zeros = -l.sci_exponent - 1;
      for (char* z = out + 2; z != out + 2 + zeros; ++z) *z = '0';
      format_digits(out + 2 + zeros, d, n);
    }
    return;
  }
  // d[.ddd]e(+|-)XX[X]
  format_digits(out + 1, d, n);
  out[0] = out[1];
  char* p = out + 1;
  if (n > 1) {
    out[1] = '.';
    p = out + n + 1;
  }
  *p++ = 'e';
  const int x = l.sci_exponent;
  *p++ = x < 0 ? '-' : '+';
  const auto ux = static_cast<unsigned>(x < 0 ? -x : x);
  if (ux >= 100) {
    *p++ = static_cast<char>('0' + ux / 100);
    *p++ = static_cast<char>('0' + ux / 10 % 10);
  } else {
    *p++ = static_cast<char>('0' + ux / 10);
  }
  *p = static_cast<char>('0' + ux % 10);
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
  const int n = format_digit_count(d.digits);
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
