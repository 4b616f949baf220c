// SPDX-License-Identifier: MIT
// electron/strings/detail/equal_fold.hpp: the machinery behind
// electron::strings::equal_fold: simple case folding through the generated
// table, a UTF-8 decoder, and the vectorized ASCII prefix.
#ifndef ELECTRON_STRINGS_DETAIL_EQUAL_FOLD_HPP
#define ELECTRON_STRINGS_DETAIL_EQUAL_FOLD_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"
#include "electron/detail/simd.hpp"
#include "electron/strings/detail/casefold_table.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace strings {

namespace detail {

/// The simple case folding of a code point (itself when it has none).
inline char32_t simple_fold(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  const fold_pair* first = fold_table;
  const fold_pair* last = fold_table + sizeof(fold_table) / sizeof(fold_table[0]);
  const fold_pair* it = std::lower_bound(first, last, c, [](const fold_pair& p, char32_t v) { return p.from < v; });
  return (it != last && it->from == c) ? it->to : c;
}

/// Decodes one UTF-8 sequence at p (n > 0 bytes left). Returns its length,
/// or 0 when the bytes there are not valid UTF-8 (overlong forms,
/// surrogates and values above U+10FFFF are invalid).
inline std::size_t decode(const byte* p, std::size_t n, char32_t& out) noexcept {
  const byte b0 = p[0];
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t len;
  char32_t c;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    c = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    c = b0 & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3F);
  }
  if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (len == 4 && (c < 0x10000 || c > 0x10FFFF))) {
    return 0;
  }
  out = c;
  return len;
}

// ASCII fast path: how many leading bytes of a and b (same length n) are
// ASCII and equal up to ASCII case, in whole vectors; stops at the first
// vector with a non-ASCII byte or a difference (the caller resumes there).
inline std::size_t ascii_fold_prefix(electron::detail::scalar_arch, const byte* a, const byte* b,
                                     std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i < n; ++i) {
    const byte x = a[i], y = b[i];
    if ((x | y) >= 0x80) break;
    const byte fx = (x >= 'A' && x <= 'Z') ? static_cast<byte>(x | 0x20) : x;
    const byte fy = (y >= 'A' && y <= 'Z') ? static_cast<byte>(y | 0x20) : y;
    if (fx != fy) break;
  }
  return i;
}

#if ELECTRON_SIMD_BYTE_KERNELS
template <class Arch>
requires electron::detail::vector_arch<Arch> std::size_t ascii_fold_prefix(Arch, const byte* a, const byte* b,
                                                                           std::size_t n)
noexcept {
  using A = electron::detail::byte_arch<Arch>;
  using v = xsimd::batch<byte, A>;
  constexpr std::size_t w = v::size;
  const v zero(0), bit(0x20), high(0x80), lower_a('a'), lower_z('z');
  std::size_t i = 0;
  for (; i + w <= n; i += w) {
    const v x = v::load_unaligned(a + i), y = v::load_unaligned(b + i);
    // Equal up to ASCII case: the same byte, or bytes differing only in 0x20
    // where that byte (lowered) is a letter. (Compares only: xsimd 8's
    // select on AVX-512BW bytes does not compile.)
    const v diff = x ^ y, lowered = x | bit;
    const auto same = (diff == zero) || ((diff == bit) && (lowered >= lower_a) && (lowered <= lower_z));
    if (xsimd::any((x | y) >= high) || !xsimd::all(same)) break;
  }
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    if (i + w > n && i < n) {
      // The rest (< 64 bytes) with masked loads; the first bad lane ends the prefix.
      const std::size_t r = n - i;
      const __mmask64 live = (__mmask64{1} << r) - 1;
      const v x(_mm512_maskz_loadu_epi8(live, a + i)), y(_mm512_maskz_loadu_epi8(live, b + i));
      const v diff = x ^ y, lowered = x | bit;
      const auto same = (diff == zero) || ((diff == bit) && (lowered >= lower_a) && (lowered <= lower_z));
      const std::uint64_t bad =
          (~electron::detail::to_mask<A>(same) | electron::detail::to_mask<A>((x | y) >= high)) & live;
      return bad == 0 ? n : i + static_cast<std::size_t>(std::countr_zero(bad));
    }
  }
#endif
  return i + ascii_fold_prefix(electron::detail::scalar_arch{}, a + i, b + i, n - i);
}
#endif

template <class Arch>
bool equal_fold(Arch arch, std::string_view s, std::string_view t) noexcept {
  const auto* a = reinterpret_cast<const byte*>(s.data());
  const auto* b = reinterpret_cast<const byte*>(t.data());
  const std::size_t common = std::min(s.size(), t.size());
  // ASCII runs are one byte per code point in both strings: a common prefix
  // that folds equal can be skipped in both.
  std::size_t i = ascii_fold_prefix(arch, a, b, common), j = i;
  while (i < s.size() && j < t.size()) {
    char32_t x = 0, y = 0;
    const std::size_t lx = decode(a + i, s.size() - i, x);
    const std::size_t ly = decode(b + j, t.size() - j, y);
    if (lx == 0 || ly == 0) {  // invalid UTF-8 on either side: byte-wise
      if (a[i] != b[j]) return false;
      ++i;
      ++j;
      continue;
    }
    if (x != y && simple_fold(x) != simple_fold(y)) return false;
    i += lx;
    j += ly;
    if (lx == 1 && ly == 1) {  // back in ASCII: take the fast path again
      const std::size_t k = ascii_fold_prefix(arch, a + i, b + j, std::min(s.size() - i, t.size() - j));
      i += k;
      j += k;
    }
  }
  return i == s.size() && j == t.size();
}
}  // namespace detail

}  // namespace strings
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_STRINGS_DETAIL_EQUAL_FOLD_HPP
