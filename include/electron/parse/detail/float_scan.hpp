// SPDX-License-Identifier: MIT
// electron/parse/detail/float_scan.hpp: the syntax half of parse_float. One
// pass over the text finds the sign, the integer and fraction digits and the
// exponent, and folds the first 19 significant digits into a 64-bit
// integer; the conversion (float_lemire.hpp, float_exact.hpp) works from that
// and, for the rare hard cases, from the digit ranges kept here.
#ifndef ELECTRON_PARSE_DETAIL_FLOAT_SCAN_HPP
#define ELECTRON_PARSE_DETAIL_FLOAT_SCAN_HPP

#include "electron/config.hpp"
#include "electron/parse/detail/int_digits.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

/// What a float's text may look like (from float_format and number_options).
struct float_syntax {
  bool allow_exponent;    ///< an exponent part may follow (general, scientific, json)
  bool require_exponent;  ///< scientific: without one there is no number
  bool json;              ///< RFC 8259 number grammar, no inf/nan, malformed tails are errors
  bool allow_plus;        ///< a leading '+' (never in json)
};

enum class scan_kind : unsigned char { number, infinity, nan, invalid };

/// One number's text, taken apart. value = mantissa * 10^exponent when
/// !truncated; otherwise the digits go on past the 19 folded into mantissa
/// and the value lies in [mantissa, mantissa + 1) * 10^exponent.
struct float_scan {
  const char* end = nullptr;  ///< one past the number (invalid: the input's first)
  std::uint64_t mantissa = 0;
  std::int64_t exponent = 0;
  std::int64_t explicit_exponent = 0;  ///< the exponent part's value (clamped, see below)
  const char* int_first = nullptr;     ///< the integer digits
  const char* int_last = nullptr;
  const char* frac_first = nullptr;  ///< the fraction digits (empty when there is no '.')
  const char* frac_last = nullptr;
  scan_kind kind = scan_kind::invalid;
  bool negative = false;
  bool truncated = false;  ///< a nonzero digit past the 19th significant one
};

constexpr std::uint64_t byteswap64(std::uint64_t v) noexcept {
  v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
  v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
  return (v << 32) | (v >> 32);
}

constexpr bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }
constexpr unsigned float_digit_value(char c) noexcept { return static_cast<unsigned char>(c - '0'); }
constexpr char lower_ascii(char c) noexcept { return static_cast<char>(c | 0x20); }

/// True when [p, last) starts with `word` (lowercase ASCII letters), in any case.
constexpr bool starts_with_fold(const char* p, const char* last, const char* word, int n) noexcept {
  if (last - p < n) return false;
  for (int i = 0; i < n; ++i) {
    if (lower_ascii(p[i]) != word[i]) return false;
  }
  return true;
}

/// The significant digits of the integer and fraction parts, in order, with
/// leading zeros skipped: calls take(d) for the first `limit` of them and
/// reports where the decimal point falls. Used for the 19 digits of the fast
/// paths (only when there are more than 19 digits in all) and for the up to
/// 800 digits of the exact comparison.
struct significant_digits {
  std::int64_t point_shift = 0;  ///< value = (taken digits as an integer) * 10^(point_shift + explicit exponent)
  bool dropped_nonzero = false;  ///< a nonzero digit past the limit
};
template <class Take>
constexpr significant_digits walk_significant(const float_scan& s, std::int64_t limit, Take&& take) noexcept {
  significant_digits r;
  std::int64_t taken = 0;
  for (const char* p = s.int_first; p != s.int_last; ++p) {
    const unsigned d = float_digit_value(*p);
    if (taken == 0 && d == 0) continue;
    if (taken < limit) {
      take(d);
      ++taken;
    } else {
      ++r.point_shift;  // a dropped integer digit still scales the value by 10
      r.dropped_nonzero |= d != 0;
    }
  }
  for (const char* p = s.frac_first; p != s.frac_last; ++p) {
    const unsigned d = float_digit_value(*p);
    if (taken == 0 && d == 0) {
      --r.point_shift;
      continue;
    }
    if (taken < limit) {
      take(d);
      ++taken;
      --r.point_shift;
    } else {
      r.dropped_nonzero |= d != 0;
    }
  }
  return r;
}

/// Eight bytes at p as a little-endian word (a byte copy: any alignment).
ELECTRON_ALWAYS_INLINE std::uint64_t float_load8(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = byteswap64(v);
  return v;
}

/// True when all eight bytes of v (first byte lowest) are ASCII digits:
/// each byte's high nibble is 3, and adding 6 does not carry out of the low
/// nibble (so it is at most 9).
constexpr bool float_eight_digits(std::uint64_t v) noexcept {
  return (((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
          0x3333333333333333ULL);
}

/// The value of eight ASCII digits (first byte lowest, most significant
/// digit first), in three multiply steps that combine neighbouring digits,
/// then pairs, then quads (the SWAR reduction of W. Muła and D. Lemire's
/// digit-parsing notes; see "Number Parsing at a Gigabyte per Second",
/// section 6).
constexpr std::uint32_t eight_digits_value(std::uint64_t v) noexcept {
  v -= 0x3030303030303030ULL;
  v = (v * 10) + (v >> 8);  // each 16-bit lane: its two digits as a number (low byte)
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  return static_cast<std::uint32_t>(v);
}

/// x (digit values, as leading_digits) with its first n in 0..8 digits as a
/// number; no branch on n, n == 0 included (the mask clears the word).
constexpr std::uint64_t float_leading_digits(std::uint64_t x, int n) noexcept {
  const std::uint64_t keep = std::uint64_t{0} - static_cast<std::uint64_t>(n != 0);
  return eight_digits((x << ((64 - 8 * n) & 63)) & keep);
}

/// Folds the digits at [p, last) into m; returns one past the last digit.
/// Eight at a time while whole words are digits; the word where the run
/// ends is counted and converted at once, with no branch on where in it
/// the run ends.
ELECTRON_ALWAYS_INLINE constexpr const char* fold_digits(const char* p, const char* last, std::uint64_t& m) noexcept {
  while (last - p >= 8) {
    const std::uint64_t x = load8(p) ^ ascii_zeros;
    const std::uint64_t stops = non_digit_bits(x);
    if (stops != 0) {
      const int k = std::countr_zero(stops) >> 3;
      m = m * pow10_u64[static_cast<std::size_t>(k)] + float_leading_digits(x, k);
      return p + k;
    }
    m = m * 100000000 + eight_digits(x);
    p += 8;
  }
  while (p != last && is_digit(*p)) {
    m = m * 10 + float_digit_value(*p);
    ++p;
  }
  return p;
}

// The exponent part is folded while below this bound and only consumed after
// it: no 64-bit overflow, and a value this far out is 0 or infinity whatever
// the digits before it (they would need 10^17 characters to compensate).
inline constexpr std::int64_t exponent_clamp = 100000000000000000;  // 1e17

/// Scans a number (or inf/nan) at the start of [first, last).
ELECTRON_ALWAYS_INLINE constexpr float_scan scan_float(const char* first, const char* last, float_syntax syn) noexcept {
  float_scan s;
  s.end = first;
  const char* p = first;
  if (p != last) {
    // Flags, not branches: signs that come and go at random (coordinates)
    // cost no misprediction.
    const bool minus = *p == '-';
    const bool plus = *p == '+' && syn.allow_plus && !syn.json;
    s.negative = minus;
    p += (minus || plus) ? 1 : 0;
  }
  if (p == last) return s;
  if (!syn.json && !is_digit(*p) && *p != '.') {
    // inf, infinity, nan, nan(n-char-sequence), in any case: strtod's and
    // std::from_chars's spellings (C17 7.22.1.3).
    if (starts_with_fold(p, last, "inf", 3)) {
      s.kind = scan_kind::infinity;
      s.end = starts_with_fold(p + 3, last, "inity", 5) ? p + 8 : p + 3;
    } else if (starts_with_fold(p, last, "nan", 3)) {
      s.kind = scan_kind::nan;
      s.end = p + 3;
      if (s.end != last && *s.end == '(') {
        const char* q = s.end + 1;
        while (q != last && (is_digit(*q) || (lower_ascii(*q) >= 'a' && lower_ascii(*q) <= 'z') || *q == '_')) ++q;
        if (q != last && *q == ')') s.end = q + 1;
      }
    }
    return s;
  }

  // The common case, at most 19 digits in all, folds the digits on the way;
  // mantissa is then exact (it may wrap for longer inputs, which are redone
  // by walk_significant below).
  std::uint64_t m = 0;
  s.int_first = p;
  // Integer parts are short and of steady length in most text (coordinates,
  // prices, printed doubles): a plain loop, whose exits the branch
  // predictor learns, so the next number's start is known early.
  while (p != last && is_digit(*p)) {
    m = m * 10 + float_digit_value(*p);
    ++p;
  }
  s.int_last = p;
  bool dot = false;
  const char* frac_end = p;  // one past the fraction digits
  int after = -1;            // the byte at frac_end when already in a register
  if (last - p >= 9) {
    // The eight bytes after the integer part's end, as one word, loaded
    // whether or not a '.' is there (the load then does not wait for the
    // test). Eight fraction digits or more (printed doubles, coordinates):
    // the digit loops, whose exits are as steady as the text. Fewer (12,
    // 12.5, 12.25: prices, measures): counted and converted with
    // arithmetic, not branches, so lengths that vary at random cost no
    // misprediction, and the byte after them is taken from the word.
    const char c = *p;
    dot = c == '.';
    s.frac_first = p + static_cast<int>(dot);
    const std::uint64_t y = load8(p + 1) ^ ascii_zeros;
    const std::uint64_t stops = non_digit_bits(y);
    if (dot && stops == 0) {
      m = m * 100000000 + eight_digits(y);
      frac_end = fold_digits(p + 9, last, m);
    } else {
      const int k = (std::countr_zero(stops) >> 3) & -static_cast<int>(dot);
      m = m * pow10_u64[static_cast<std::size_t>(k)] + float_leading_digits(y, k);
      frac_end = s.frac_first + k;
      after = dot ? static_cast<int>(((y >> (8 * k)) & 0xFF) ^ '0') : static_cast<unsigned char>(c);
    }
  } else {
    dot = p != last && *p == '.';
    s.frac_first = p + (dot ? 1 : 0);
    frac_end = dot ? fold_digits(s.frac_first, last, m) : s.frac_first;
  }
  // Without a '.', frac_first == frac_end == int_last: an empty fraction.
  s.frac_last = frac_end;
  const auto int_digits = s.int_last - s.int_first;
  const bool no_frac_digits = s.frac_first == s.frac_last;
  if (syn.json && (int_digits == 0 || (int_digits > 1 && *s.int_first == '0') || (dot && no_frac_digits))) {
    return s;  // RFC 8259: digits before '.', no leading zeros, digits after '.'
  }
  if (int_digits == 0 && no_frac_digits) return s;  // no digits (a lone '.', a sign alone)
  p = frac_end;
  const auto frac_digits = s.frac_last - s.frac_first;

  bool has_exponent = false;
  const bool e_next = after >= 0 ? (after | 0x20) == 'e' : (p != last && lower_ascii(*p) == 'e');
  if (syn.allow_exponent && e_next) {
    const char* q = p + 1;
    bool exp_negative = false;
    if (q != last) {
      // Flags, not branches: printed doubles carry "e+" and "e-" at random.
      exp_negative = *q == '-';
      q += (exp_negative | (*q == '+')) ? 1 : 0;
    }
    if (q != last && is_digit(*q)) {
      std::int64_t e = 0;
      if (last - q >= 8) {
        // Up to seven exponent digits in one word (no branch on how many).
        const std::uint64_t x = load8(q) ^ ascii_zeros;
        const int n = std::countr_zero(non_digit_bits(x)) >> 3;
        if (n < 8) {
          e = static_cast<std::int64_t>(float_leading_digits(x, n));
          q += n;
        }
      }
      for (; q != last && is_digit(*q); ++q) {
        if (e < exponent_clamp) e = e * 10 + float_digit_value(*q);
      }
      const std::int64_t flip = -static_cast<std::int64_t>(exp_negative);
      s.explicit_exponent = (e ^ flip) - flip;
      has_exponent = true;
      p = q;
    } else if (syn.json) {
      return s;  // RFC 8259: digits after 'e'
    }
    // otherwise "1e" or "1e+": the number ends before the 'e', as in strtod
  }
  if (syn.require_exponent && !has_exponent) return s;

  s.kind = scan_kind::number;
  s.end = p;
  if (int_digits + frac_digits <= 19) {
    s.mantissa = m;
    s.exponent = s.explicit_exponent - frac_digits;
  } else {
    std::uint64_t w = 0;
    const significant_digits d = walk_significant(s, 19, [&](unsigned v) { w = w * 10 + v; });
    s.mantissa = w;
    s.exponent = s.explicit_exponent + d.point_shift;
    s.truncated = d.dropped_nonzero;
  }
  return s;
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FLOAT_SCAN_HPP
