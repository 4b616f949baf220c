// SPDX-License-Identifier: MIT
// electron/bits/detail/kernels.hpp: word-array kernels behind electron::bits::bitset.
//
// Each kernel has a scalar overload (detail::scalar_arch) and a template on an
// xsimd architecture; tests compare the two on every length and offset.
#ifndef ELECTRON_BITS_DETAIL_KERNELS_HPP
#define ELECTRON_BITS_DETAIL_KERNELS_HPP

#include "electron/config.hpp"
#include "electron/detail/simd.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86 && (defined(__AVX2__) || defined(__AVX512BW__))
#include <immintrin.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace bits::detail {

using word = std::uint64_t;
using electron::detail::scalar_arch;

/// The four two-operand word operations.
enum class word_op { and_, or_, xor_, and_not };

// ---------------------------------------------------------------------------
// Scalar twins
// ---------------------------------------------------------------------------
inline std::size_t popcount_words(scalar_arch, const word* w, std::size_t n) noexcept {
  std::size_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += static_cast<std::size_t>(std::popcount(w[i]));
  return c;
}

/// Index of the first non-zero word in w[0, n), or n.
inline std::size_t find_nonzero_word(scalar_arch, const word* w, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (w[i] != 0) return i;
  }
  return n;
}

template <word_op Op>
constexpr word apply_op(word a, word b) noexcept {
  if constexpr (Op == word_op::and_) return a & b;
  if constexpr (Op == word_op::or_) return a | b;
  if constexpr (Op == word_op::xor_) return a ^ b;
  if constexpr (Op == word_op::and_not) return a & ~b;
}

/// dst[i] = a[i] op b[i]; dst may alias a or b exactly (not partially).
template <word_op Op>
void combine_words(scalar_arch, word* dst, const word* a, const word* b, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dst[i] = apply_op<Op>(a[i], b[i]);
}

/// dst[i] = ~src[i]; dst may alias src exactly.
inline void not_words(scalar_arch, word* dst, const word* src, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dst[i] = ~src[i];
}

inline bool equal_words(scalar_arch, const word* a, const word* b, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

#if ELECTRON_HAS_SIMD
// ---------------------------------------------------------------------------
// Vector kernels
// ---------------------------------------------------------------------------
template <class Arch>
concept vector_arch = electron::detail::is_simd_arch<Arch>;

#if ELECTRON_ARCH_X86 && defined(__AVX2__)
/// Population count of 32 bytes per step: a 4-bit lookup with VPSHUFB, summed
/// with VPSADBW (Mula, Kurz, Lemire, "Faster Population Counts Using AVX2
/// Instructions", The Computer Journal 61(1), 2018).
inline std::size_t popcount_avx2(const word* w, std::size_t n) noexcept {
  const __m256i lut =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  __m256i total = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i));
    const __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(v, low));
    const __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
    total = _mm256_add_epi64(total, _mm256_sad_epu8(_mm256_add_epi8(lo, hi), _mm256_setzero_si256()));
  }
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), total);
  std::size_t c = static_cast<std::size_t>(lanes[0] + lanes[1] + lanes[2] + lanes[3]);
  return c + popcount_words(scalar_arch{}, w + i, n - i);
}
#endif

#if ELECTRON_ARCH_X86 && defined(__AVX512VPOPCNTDQ__) && defined(__AVX512F__)
/// Population count with VPOPCNTQ, 8 words per instruction.
inline std::size_t popcount_avx512_vpopcnt(const word* w, std::size_t n) noexcept {
  // Four accumulators: one add chain would cap the loop at one vector a cycle.
  __m512i t0 = _mm512_setzero_si512(), t1 = t0, t2 = t0, t3 = t0;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    t0 = _mm512_add_epi64(t0, _mm512_popcnt_epi64(_mm512_loadu_si512(w + i)));
    t1 = _mm512_add_epi64(t1, _mm512_popcnt_epi64(_mm512_loadu_si512(w + i + 8)));
    t2 = _mm512_add_epi64(t2, _mm512_popcnt_epi64(_mm512_loadu_si512(w + i + 16)));
    t3 = _mm512_add_epi64(t3, _mm512_popcnt_epi64(_mm512_loadu_si512(w + i + 24)));
  }
  __m512i total = _mm512_add_epi64(_mm512_add_epi64(t0, t1), _mm512_add_epi64(t2, t3));
  for (; i + 8 <= n; i += 8) {
    total = _mm512_add_epi64(total, _mm512_popcnt_epi64(_mm512_loadu_si512(w + i)));
  }
  if (i < n) {
    const __mmask8 m = static_cast<__mmask8>((1u << (n - i)) - 1u);
    total = _mm512_add_epi64(total, _mm512_popcnt_epi64(_mm512_maskz_loadu_epi64(m, w + i)));
  }
  // (_mm512_reduce_add_epi64 trips GCC 12's -Wuninitialized: sum by hand.)
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, total);
  std::uint64_t c = 0;
  for (std::uint64_t l : lanes) c += l;
  return static_cast<std::size_t>(c);
}
#endif

/// Portable vector population count: the SWAR reduction of Warren, "Hacker's
/// Delight", 2nd ed., 5-1, applied per 64-bit lane, with per-byte counts
/// accumulated for up to 31 steps (31 * 8 < 256) before widening.
template <vector_arch Arch>
std::size_t popcount_swar(const word* w, std::size_t n) noexcept {
  using batch = xsimd::batch<word, Arch>;
  constexpr std::size_t lanes = batch::size;
  const batch m1(0x5555555555555555ull), m2(0x3333333333333333ull), m4(0x0f0f0f0f0f0f0f0full);
  const batch m8(0x00ff00ff00ff00ffull), m16(0x0000ffff0000ffffull), m32(0x00000000ffffffffull);
  batch total(word{0});
  std::size_t i = 0;
  while (n - i >= lanes) {
    std::size_t steps = (n - i) / lanes;
    if (steps > 31) steps = 31;
    batch acc(word{0});
    for (std::size_t s = 0; s < steps; ++s, i += lanes) {
      batch x = batch::load_unaligned(w + i);
      x = x - ((x >> 1) & m1);
      x = (x & m2) + ((x >> 2) & m2);
      acc += (x + (x >> 4)) & m4;
    }
    acc = (acc & m8) + ((acc >> 8) & m8);
    acc = (acc & m16) + ((acc >> 16) & m16);
    total += (acc & m32) + (acc >> 32);
  }
  return static_cast<std::size_t>(xsimd::hadd(total)) + popcount_words(scalar_arch{}, w + i, n - i);
}

template <vector_arch Arch>
std::size_t popcount_words(Arch, const word* w, std::size_t n) noexcept {
#if ELECTRON_ARCH_X86 && defined(__AVX512VPOPCNTDQ__) && defined(__AVX512F__)
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) return popcount_avx512_vpopcnt(w, n);
#endif
#if ELECTRON_ARCH_X86 && defined(__AVX2__)
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch> || std::is_base_of_v<xsimd::avx512f, Arch>) {
    return popcount_avx2(w, n);
  }
#endif
  return popcount_swar<Arch>(w, n);
}

template <vector_arch Arch>
std::size_t find_nonzero_word(Arch, const word* w, std::size_t n) noexcept {
  using batch = xsimd::batch<word, Arch>;
  constexpr std::size_t lanes = batch::size;
  const batch zero(word{0});
  std::size_t i = 0;
  // Two vectors per step: sparse bitsets are the case this kernel is for.
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    const batch a = batch::load_unaligned(w + i);
    const batch b = batch::load_unaligned(w + i + lanes);
    if (xsimd::any((a | b) != zero)) break;
  }
  return i + find_nonzero_word(scalar_arch{}, w + i, n - i);
}

template <word_op Op, class Batch>
ELECTRON_ALWAYS_INLINE Batch apply_batch(const Batch& x, const Batch& y) noexcept {
  if constexpr (Op == word_op::and_) return x & y;
  if constexpr (Op == word_op::or_) return x | y;
  if constexpr (Op == word_op::xor_) return x ^ y;
  if constexpr (Op == word_op::and_not) return x & ~y;  // (xsimd 8's bitwise_andnot computes ~x & y)
}

template <word_op Op, vector_arch Arch>
void combine_words(Arch, word* dst, const word* a, const word* b, std::size_t n) noexcept {
  using batch = xsimd::batch<word, Arch>;
  constexpr std::size_t lanes = batch::size;
  std::size_t i = 0;
  // Four vectors per step: keeps both load ports and the store port busy.
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const batch x0 = batch::load_unaligned(a + i), y0 = batch::load_unaligned(b + i);
    const batch x1 = batch::load_unaligned(a + i + lanes), y1 = batch::load_unaligned(b + i + lanes);
    const batch x2 = batch::load_unaligned(a + i + 2 * lanes), y2 = batch::load_unaligned(b + i + 2 * lanes);
    const batch x3 = batch::load_unaligned(a + i + 3 * lanes), y3 = batch::load_unaligned(b + i + 3 * lanes);
    apply_batch<Op>(x0, y0).store_unaligned(dst + i);
    apply_batch<Op>(x1, y1).store_unaligned(dst + i + lanes);
    apply_batch<Op>(x2, y2).store_unaligned(dst + i + 2 * lanes);
    apply_batch<Op>(x3, y3).store_unaligned(dst + i + 3 * lanes);
  }
  for (; i + lanes <= n; i += lanes) {
    apply_batch<Op>(batch::load_unaligned(a + i), batch::load_unaligned(b + i)).store_unaligned(dst + i);
  }
  combine_words<Op>(scalar_arch{}, dst + i, a + i, b + i, n - i);
}

template <vector_arch Arch>
void not_words(Arch, word* dst, const word* src, std::size_t n) noexcept {
  using batch = xsimd::batch<word, Arch>;
  constexpr std::size_t lanes = batch::size;
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) (~batch::load_unaligned(src + i)).store_unaligned(dst + i);
  not_words(scalar_arch{}, dst + i, src + i, n - i);
}

#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 -O3 flags the vector load below as out of bounds when it has inlined
// a short array whose size it cannot relate to n (the load is dead there).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
template <vector_arch Arch>
bool equal_words(Arch, const word* a, const word* b, std::size_t n) noexcept {
  using batch = xsimd::batch<word, Arch>;
  constexpr std::size_t lanes = batch::size;
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    if (xsimd::any(batch::load_unaligned(a + i) != batch::load_unaligned(b + i))) return false;
  }
  return equal_words(scalar_arch{}, a + i, b + i, n - i);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif  // ELECTRON_HAS_SIMD

}  // namespace bits::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_BITS_DETAIL_KERNELS_HPP
