// SPDX-License-Identifier: MIT
// electron/simd/detail/kernels.hpp: byte kernels behind electron::simd.
//
// Every kernel has a scalar overload (detail::scalar_arch, plain loops) and a
// template on an xsimd architecture. xsimd 8 has no batch_bool -> bit mask
// operation, so `to_mask` is a small per-ISA shim (PMOVMSKB, VPMOVMSKB, or
// the AVX-512BW mask register itself).
//
// No kernel reads outside [p, p + n): full vectors inside the range, then
// either one more vector that overlaps the previous one and ends at p + n, a
// masked load (AVX-512BW), or scalar code.
#ifndef ELECTRON_SIMD_DETAIL_KERNELS_HPP
#define ELECTRON_SIMD_DETAIL_KERNELS_HPP

#include "electron/config.hpp"
#include "electron/detail/simd.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
#include <immintrin.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace simd::detail {

using electron::detail::scalar_arch;
using byte = unsigned char;
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// ---------------------------------------------------------------------------
// Scalar twins
// ---------------------------------------------------------------------------
inline bool equal(scalar_arch, const byte* a, const byte* b, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
inline std::size_t index_byte(scalar_arch, const byte* p, std::size_t n, byte c) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == c) return i;
  }
  return npos;
}
inline std::size_t count(scalar_arch, const byte* p, std::size_t n, byte c) noexcept {
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) k += p[i] == c;
  return k;
}

/// Index of the first byte of p that is in set[0, k), or npos.
inline std::size_t index_any(scalar_arch, const byte* p, std::size_t n, const byte* set, std::size_t k) noexcept {
  std::uint64_t bits[4] = {0, 0, 0, 0};
  for (std::size_t j = 0; j < k; ++j) bits[set[j] >> 6] |= std::uint64_t{1} << (set[j] & 63);
  for (std::size_t i = 0; i < n; ++i) {
    if ((bits[p[i] >> 6] >> (p[i] & 63)) & 1) return i;
  }
  return npos;
}

// ---------------------------------------------------------------------------
// Substring search. Candidates come from a filter (first and last byte of the
// needle, Muła, "SIMD-friendly algorithms for substring searching", 2016) and
// are verified with memcmp. Verification work is bounded: past a budget
// linear in the haystack, the rest of the search goes to a linear-time
// algorithm (glibc's memmem is Crochemore-Perrin Two-Way), so adversarial
// inputs (needle a...ab in a...a) stay O(n + m).
// ---------------------------------------------------------------------------
inline std::size_t find_linear(const byte* h, std::size_t n, const byte* s, std::size_t m) noexcept {
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
  const void* r = ::memmem(h, n, s, m);
  return r == nullptr ? npos : static_cast<std::size_t>(static_cast<const byte*>(r) - h);
#else
  // No memmem here: a plain scan (quadratic in the worst case on such
  // platforms; documented in electron/simd.hpp).
  for (std::size_t i = 0; i + m <= n; ++i)
    if (std::memcmp(h + i, s, m) == 0) return i;
  return npos;
#endif
}

/// Verification budget: how many bytes memcmp may compare in total before the
/// search switches to find_linear.
constexpr std::size_t verify_budget(std::size_t n) noexcept { return 4 * n + 256; }

inline std::size_t find(scalar_arch, const byte* h, std::size_t n, const byte* s, std::size_t m) noexcept {
  if (m == 0) return 0;
  if (m > n) return npos;
  std::size_t budget = verify_budget(n);
  for (std::size_t i = 0; i + m <= n; ++i) {
    if (h[i] != s[0] || h[i + m - 1] != s[m - 1]) continue;
    if (std::memcmp(h + i, s, m) == 0) return i;
    if (budget < m) {
      const std::size_t r = find_linear(h + i + 1, n - i - 1, s, m);
      return r == npos ? npos : r + i + 1;
    }
    budget -= m;
  }
  return npos;
}

#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
// ---------------------------------------------------------------------------
// Vector kernels (x86: SSE2 and up)
// ---------------------------------------------------------------------------

// The architecture byte kernels really run on: AVX-512 without BW has no byte
// compares into mask registers (use AVX2), AVX1 has no 256-bit integer
// compares (use SSE4.2), FMA variants are their base ISA.
template <class Arch>
using byte_arch = std::conditional_t<
    std::is_base_of_v<xsimd::avx512bw, Arch>, xsimd::avx512bw,
    std::conditional_t<std::is_base_of_v<xsimd::avx512f, Arch> || std::is_base_of_v<xsimd::avx2, Arch>, xsimd::avx2,
                       std::conditional_t<std::is_base_of_v<xsimd::sse2, Arch> || std::is_base_of_v<xsimd::avx, Arch> ||
                                              std::is_base_of_v<xsimd::fma4, Arch>,
                                          xsimd::sse2, void>>>;

template <class Arch>
concept vector_arch = electron::detail::is_simd_arch<Arch> && !std::is_void_v<byte_arch<Arch>>;

template <class A>
using bytes = xsimd::batch<byte, A>;
template <class A>
using bytes_bool = xsimd::batch_bool<byte, A>;

/// One bit per byte lane of a comparison, lowest lane in bit 0.
template <class A>
ELECTRON_ALWAYS_INLINE std::uint64_t to_mask(const bytes_bool<A>& b) noexcept {
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    return static_cast<std::uint64_t>(b.data);
  } else if constexpr (std::is_same_v<A, xsimd::avx2>) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(b.data));
  } else {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(b.data));
  }
}

/// Bytes of [p, p + n), n < width, as one vector's mask of `c` matches, without
/// reading outside the range (AVX-512BW: masked load). Only for avx512bw.
inline std::uint64_t short_match_avx512(const byte* p, std::size_t n, byte c) noexcept {
  const __mmask64 live = n >= 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
  const __m512i v = _mm512_maskz_loadu_epi8(live, p);
  return static_cast<std::uint64_t>(_mm512_mask_cmpeq_epi8_mask(live, v, _mm512_set1_epi8(static_cast<char>(c))));
}

template <class A>
std::size_t index_byte_impl(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  const bytes<A> needle(c);
  if (n < w) {
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      const std::uint64_t m = short_match_avx512(p, n, c);
      return m != 0 ? static_cast<std::size_t>(std::countr_zero(m)) : npos;
    } else {
      return index_byte(scalar_arch{}, p, n, c);
    }
  }
  std::size_t i = 0;
  // Four vectors per step, one branch: the common "not here" case is cheap.
  for (; i + 4 * w <= n; i += 4 * w) {
    const auto e0 = bytes<A>::load_unaligned(p + i) == needle;
    const auto e1 = bytes<A>::load_unaligned(p + i + w) == needle;
    const auto e2 = bytes<A>::load_unaligned(p + i + 2 * w) == needle;
    const auto e3 = bytes<A>::load_unaligned(p + i + 3 * w) == needle;
    if (xsimd::any((e0 || e1) || (e2 || e3))) {
      if (const std::uint64_t m = to_mask<A>(e0)) return i + static_cast<std::size_t>(std::countr_zero(m));
      if (const std::uint64_t m = to_mask<A>(e1)) return i + w + static_cast<std::size_t>(std::countr_zero(m));
      if (const std::uint64_t m = to_mask<A>(e2)) return i + 2 * w + static_cast<std::size_t>(std::countr_zero(m));
      return i + 3 * w + static_cast<std::size_t>(std::countr_zero(to_mask<A>(e3)));
    }
  }
  for (; i + w <= n; i += w) {
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + i) == needle)) {
      return i + static_cast<std::size_t>(std::countr_zero(m));
    }
  }
  if (i < n) {  // the last vector, overlapping bytes already seen (none of them matched)
    const std::size_t last = n - w;
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + last) == needle)) {
      return last + static_cast<std::size_t>(std::countr_zero(m));
    }
  }
  return npos;
}

template <class A>
ELECTRON_ALWAYS_INLINE std::size_t count_impl(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  const bytes<A> needle(c);
  if (n < w) {
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      return static_cast<std::size_t>(std::popcount(short_match_avx512(p, n, c)));
    } else {
      return count(scalar_arch{}, p, n, c);
    }
  }
  std::size_t k = 0, i = 0;
  for (; i + 2 * w <= n; i += 2 * w) {
    k += static_cast<std::size_t>(std::popcount(to_mask<A>(bytes<A>::load_unaligned(p + i) == needle)));
    k += static_cast<std::size_t>(std::popcount(to_mask<A>(bytes<A>::load_unaligned(p + i + w) == needle)));
  }
  for (; i + w <= n; i += w) {
    k += static_cast<std::size_t>(std::popcount(to_mask<A>(bytes<A>::load_unaligned(p + i) == needle)));
  }
  if (i < n) {  // last vector overlapping: count only its new bytes
    const std::size_t fresh = n - i;
    const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + n - w) == needle) >> (w - fresh);
    k += static_cast<std::size_t>(std::popcount(m));
  }
  return k;
}

template <class A>
bool equal_impl(const byte* a, const byte* b, std::size_t n) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (n < w) {
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      const __mmask64 live = (__mmask64{1} << n) - 1;
      return _mm512_mask_cmpneq_epi8_mask(live, _mm512_maskz_loadu_epi8(live, a), _mm512_maskz_loadu_epi8(live, b)) ==
             0;
    } else {
      return equal(scalar_arch{}, a, b, n);
    }
  }
  std::size_t i = 0;
  for (; i + 2 * w <= n; i += 2 * w) {
    const auto d0 = bytes<A>::load_unaligned(a + i) != bytes<A>::load_unaligned(b + i);
    const auto d1 = bytes<A>::load_unaligned(a + i + w) != bytes<A>::load_unaligned(b + i + w);
    if (xsimd::any(d0 || d1)) return false;
  }
  for (; i + w <= n; i += w) {
    if (xsimd::any(bytes<A>::load_unaligned(a + i) != bytes<A>::load_unaligned(b + i))) return false;
  }
  if (i < n && xsimd::any(bytes<A>::load_unaligned(a + n - w) != bytes<A>::load_unaligned(b + n - w))) return false;
  return true;
}

template <class A>
std::size_t find_impl(const byte* h, std::size_t n, const byte* s, std::size_t m) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (m == 0) return 0;
  if (m > n) return npos;
  if (m == 1) return index_byte_impl<A>(h, n, s[0]);
  const bytes<A> first(s[0]), last(s[m - 1]);
  std::size_t budget = verify_budget(n);
  std::size_t i = 0;
  // Positions i .. i+w-1 need bytes up to i + w - 1 + m - 1 < n.
  for (; i + w + m - 1 <= n; i += w) {
    std::uint64_t cand =
        to_mask<A>((bytes<A>::load_unaligned(h + i) == first) && (bytes<A>::load_unaligned(h + i + m - 1) == last));
    while (cand != 0) {
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(cand));
      if (std::memcmp(h + at + 1, s + 1, m - 2) == 0) return at;
      if (budget < m) {
        const std::size_t r = find_linear(h + at + 1, n - at - 1, s, m);
        return r == npos ? npos : r + at + 1;
      }
      budget -= m;
      cand &= cand - 1;
    }
  }
  // The last positions (fewer than w of them; all of them for a short haystack).
  const std::size_t left = n - m + 1 - i;
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    // Masked loads read only the live bytes: h+i .. h+i+left-1 and
    // h+i+m-1 .. h+n-1.
    const __mmask64 live = (__mmask64{1} << left) - 1;
    const __m512i f = _mm512_maskz_loadu_epi8(live, h + i);
    const __m512i l = _mm512_maskz_loadu_epi8(live, h + i + m - 1);
    std::uint64_t cand = _mm512_mask_cmpeq_epi8_mask(live, f, _mm512_set1_epi8(static_cast<char>(s[0]))) &
                         _mm512_mask_cmpeq_epi8_mask(live, l, _mm512_set1_epi8(static_cast<char>(s[m - 1])));
    for (; cand != 0; cand &= cand - 1) {
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(cand));
      if (std::memcmp(h + at + 1, s + 1, m - 2) == 0) return at;
    }
    return npos;
  } else {
    // Jump between occurrences of the first byte with the vector index_byte.
    for (std::size_t at = i; at < i + left;) {
      const std::size_t k = index_byte_impl<A>(h + at, i + left - at, s[0]);
      if (k == npos) return npos;
      at += k;
      if (h[at + m - 1] == s[m - 1] && std::memcmp(h + at + 1, s + 1, m - 2) == 0) return at;
      ++at;
    }
    return npos;
  }
}

/// Sets of up to this many bytes are matched with one compare per member;
/// larger sets use the scalar bitmap.
inline constexpr std::size_t max_vector_set = 8;

template <class A>
std::size_t index_any_impl(const byte* p, std::size_t n, const byte* set, std::size_t k) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (k == 0) return npos;
  if (k > max_vector_set || n < w) return index_any(scalar_arch{}, p, n, set, k);
  bytes<A> members[max_vector_set];
  for (std::size_t j = 0; j < max_vector_set; ++j) members[j] = bytes<A>(set[j < k ? j : 0]);
  auto hits = [&](const bytes<A>& v) {
    auto any = v == members[0];
    for (std::size_t j = 1; j < k; ++j) any = any || (v == members[j]);
    return to_mask<A>(any);
  };
  std::size_t i = 0;
  for (; i + w <= n; i += w) {
    if (const std::uint64_t m = hits(bytes<A>::load_unaligned(p + i)))
      return i + static_cast<std::size_t>(std::countr_zero(m));
  }
  if (i < n) {  // last vector, overlapping bytes that did not match
    if (const std::uint64_t m = hits(bytes<A>::load_unaligned(p + n - w))) {
      return n - w + static_cast<std::size_t>(std::countr_zero(m));
    }
  }
  return npos;
}

template <vector_arch Arch>
std::size_t index_any(Arch, const byte* p, std::size_t n, const byte* set, std::size_t k) noexcept {
  return index_any_impl<byte_arch<Arch>>(p, n, set, k);
}

template <vector_arch Arch>
bool equal(Arch, const byte* a, const byte* b, std::size_t n) noexcept {
  return equal_impl<byte_arch<Arch>>(a, b, n);
}
template <vector_arch Arch>
std::size_t index_byte(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return index_byte_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t count(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return count_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
std::size_t find(Arch, const byte* h, std::size_t n, const byte* s, std::size_t m) noexcept {
  return find_impl<byte_arch<Arch>>(h, n, s, m);
}
#endif  // ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86

/// The architecture the public functions use for byte kernels: the SIMD one
/// on x86, the scalar twins elsewhere (no movemask shim for other ISAs yet).
#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
using kernel_arch = electron::detail::default_arch;
#else
using kernel_arch = scalar_arch;
#endif

}  // namespace simd::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SIMD_DETAIL_KERNELS_HPP
