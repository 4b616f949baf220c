// SPDX-License-Identifier: MIT
// electron/parse/detail/format_float_exact.hpp: the exact decimal expansion
// of a float or double (every binary value has a finite one), for the
// forms with a precision: v = c * 2^q is the integer c * 2^q (q >= 0) or
// c * 5^-q / 10^-q (q < 0), built in base 10^9 limbs. At most 767
// significant digits (the smallest double subnormals), so O(digits^2) with
// small constants; no allocation.
#ifndef ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_EXACT_HPP
#define ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_EXACT_HPP

#include "electron/config.hpp"

#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace parse::detail {

/// value = 0.d[0]d[1]...d[count-1] * 10^point (digits as values 0-9, no
/// leading zero unless the value is zero: then count == 0).
struct decimal_expansion {
  unsigned char d[780];
  int count;
  int point;
};

/// The exact digits of c * 2^q (c < 2^53, -1074 <= q <= 971).
constexpr void expand_exact(decimal_expansion& out, std::uint64_t c, int q) noexcept {
  std::uint32_t limb[90] = {};  // little-endian base 10^9
  int n = 0;
  while (c != 0) {
    limb[n++] = static_cast<std::uint32_t>(c % 1000000000);
    c /= 1000000000;
  }
  auto mul = [&](std::uint32_t m) {
    std::uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t t = std::uint64_t{limb[i]} * m + carry;
      limb[i] = static_cast<std::uint32_t>(t % 1000000000);
      carry = t / 1000000000;
    }
    while (carry != 0) {
      limb[n++] = static_cast<std::uint32_t>(carry % 1000000000);
      carry /= 1000000000;
    }
  };
  int shift = 0;  // value = N * 10^-shift
  if (q >= 0) {
    for (int k = q; k > 0; k -= 31) mul(std::uint32_t{1} << (k < 31 ? k : 31));
  } else {
    for (int k = -q; k > 0; k -= 13) {
      std::uint32_t p = 1;
      for (int i = 0; i < (k < 13 ? k : 13); ++i) p *= 5;
      mul(p);
    }
    shift = -q;
  }
  out.count = 0;
  out.point = 0;
  if (n == 0) return;
  // most significant limb without leading zeros, the others with 9 digits
  int top[10] = {};
  int t = 0;
  for (std::uint32_t x = limb[n - 1]; x != 0; x /= 10) top[t++] = static_cast<int>(x % 10);
  for (int i = t - 1; i >= 0; --i) out.d[out.count++] = static_cast<unsigned char>(top[i]);
  for (int i = n - 2; i >= 0; --i) {
    std::uint32_t x = limb[i];
    for (int j = 8; j >= 0; --j) {
      out.d[out.count + j] = static_cast<unsigned char>(x % 10);
      x /= 10;
    }
    out.count += 9;
  }
  out.point = out.count - shift;
  while (out.count > 0 && out.d[out.count - 1] == 0) --out.count;
}

/// Rounds x to its first `keep` digits (keep may be <= 0 or >= count),
/// half to even on an exact tie, as printf does in the default rounding
/// mode. A carry out of the first digit adds one to point.
constexpr void round_expansion(decimal_expansion& x, int keep) noexcept {
  if (keep >= x.count) return;
  if (keep < 0) {
    x.count = 0;
    return;
  }
  const int next = x.d[keep];
  bool up = next > 5;
  if (next == 5) {
    bool more = false;
    for (int i = keep + 1; i < x.count; ++i) more |= x.d[i] != 0;
    up = more || (keep > 0 && (x.d[keep - 1] & 1) != 0);
  }
  x.count = keep;
  if (up) {
    int i = keep - 1;
    while (i >= 0 && x.d[i] == 9) --i;
    if (i < 0) {  // 99..9 -> 1 followed by zeros
      x.d[0] = 1;
      x.count = 1;
      x.point += 1;
    } else {
      x.d[i] = static_cast<unsigned char>(x.d[i] + 1);
      x.count = i + 1;
    }
  }
  while (x.count > 0 && x.d[x.count - 1] == 0) --x.count;
}

}  // namespace parse::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_FORMAT_FLOAT_EXACT_HPP
