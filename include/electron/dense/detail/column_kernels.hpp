// SPDX-License-Identifier: MIT
// electron/dense/detail/column_kernels.hpp: the scans behind
// electron::dense's column operations (sum, min, max, count_if, filter,
// gather) over contiguous arrays of one numeric type.
//
// Every kernel has a scalar overload (detail::scalar_arch) and a template on
// an xsimd architecture, as the byte kernels have. The vector kernels cover
// the x86 families whose compare results become a bit mask in one
// instruction (SSE2 and up: MOVMSKPS/MOVMSKPD; AVX and AVX2: their 256-bit
// forms; AVX-512: the mask register itself); other architectures use the
// scalar overloads, which compilers auto-vectorise where IEEE semantics allow.
//
// Integer sum, min and max have one implementation for every architecture: a
// plain loop, which compilers vectorise since integer + and min/max are
// associative. Floating-point reductions are not (without -ffast-math), so
// they are written out with lane accumulators; their order is fixed below.
//
// No kernel reads outside [p, p + n): full vectors inside the range, then
// scalar code for the rest.
#ifndef ELECTRON_DENSE_DETAIL_COLUMN_KERNELS_HPP
#define ELECTRON_DENSE_DETAIL_COLUMN_KERNELS_HPP

#include "electron/config.hpp"
#include "electron/detail/simd.hpp"

#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
#include <immintrin.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace dense {
namespace detail {

using electron::detail::scalar_arch;

/// The comparisons of count_if and filter (dense::compare has the same values).
enum class cmp_kind : std::uint8_t { lt, le, gt, ge, eq, ne };

/// The type sums are computed in: int64_t for signed integers, uint64_t for
/// unsigned ones, double for float and double.
template <class T>
using sum_of = std::conditional_t<std::is_floating_point_v<T>, double,
                                  std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>>;

/// Floats are summed in float lanes over blocks of this many values; each
/// block's total is added to a double. The error of a block stays that of
/// 1024 float additions spread over the lanes, whatever the column length.
inline constexpr std::size_t float_sum_block = 1024;

template <cmp_kind C, class T>
ELECTRON_ALWAYS_INLINE bool compare_one(T a, T b) noexcept {
  if constexpr (C == cmp_kind::lt) return a < b;
  if constexpr (C == cmp_kind::le) return a <= b;
  if constexpr (C == cmp_kind::gt) return a > b;
  if constexpr (C == cmp_kind::ge) return a >= b;
  if constexpr (C == cmp_kind::eq) return a == b;
  if constexpr (C == cmp_kind::ne) return a != b;
}

// ---------------------------------------------------------------------------
// Integer reductions: one loop for every architecture.
// ---------------------------------------------------------------------------
template <class Arch, std::integral T>
inline sum_of<T> sum(Arch, const T* p, std::size_t n) noexcept {
  // Unsigned arithmetic: a signed total that leaves int64_t wraps (mod 2^64)
  // instead of being undefined.
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<std::uint64_t>(static_cast<sum_of<T>>(p[i]));
  return static_cast<sum_of<T>>(s);
}
/// Precondition: n > 0.
template <class Arch, std::integral T>
inline T min(Arch, const T* p, std::size_t n) noexcept {
  T m = p[0];
  for (std::size_t i = 1; i < n; ++i) m = p[i] < m ? p[i] : m;
  return m;
}
/// Precondition: n > 0.
template <class Arch, std::integral T>
inline T max(Arch, const T* p, std::size_t n) noexcept {
  T m = p[0];
  for (std::size_t i = 1; i < n; ++i) m = p[i] > m ? p[i] : m;
  return m;
}

// ---------------------------------------------------------------------------
// Floating-point reductions, scalar. Sum: 8 accumulators, value i going to
// accumulator i % 8, the rest added to accumulator 0 in order, then
// ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)).
// Min/max: NaN values are skipped; the result is NaN only when every value
// is NaN. Of equal values (-0.0 and +0.0) either may be returned.
// ---------------------------------------------------------------------------
template <std::floating_point T>
inline T sum_block(scalar_arch, const T* p, std::size_t n) noexcept {
  T s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t k = 0; k < 8; ++k) s[k] += p[i + k];
  }
  for (; i < n; ++i) s[0] += p[i];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// The skipped-NaN minimum of p[0, n) given the running value m (+inf at the
// start): an all-NaN input leaves +inf, which the caller tells apart.
template <bool Min, std::floating_point T>
ELECTRON_ALWAYS_INLINE T pick(T m, T x) noexcept {
  if constexpr (Min) {
    return x < m ? x : m;
  } else {
    return x > m ? x : m;
  }
}
template <bool Min, std::floating_point T>
inline T extreme_scalar(const T* p, std::size_t n, T m) noexcept {
  for (std::size_t i = 0; i < n; ++i) m = pick<Min>(m, p[i]);
  return m;
}
// The result +inf (-inf for max) is also what an all-NaN input gives: one
// more pass tells the two apart (rare: only when the extreme is infinite).
template <bool Min, std::floating_point T>
inline T finish_extreme(const T* p, std::size_t n, T m) noexcept {
  constexpr T start = Min ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  if (m == start) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isnan(p[i])) return m;
    }
    return std::numeric_limits<T>::quiet_NaN();
  }
  return m;
}
template <bool Min, std::floating_point T>
inline T extreme(scalar_arch, const T* p, std::size_t n) noexcept {
  constexpr T start = Min ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  return finish_extreme<Min>(p, n, extreme_scalar<Min>(p, n, start));
}

// ---------------------------------------------------------------------------
// Compare masks, scalar: bit j of the word is compare(p[j], v).
// ---------------------------------------------------------------------------
template <cmp_kind C, class T>
ELECTRON_ALWAYS_INLINE std::uint64_t mask_tail(const T* p, std::size_t n, T v) noexcept {
  std::uint64_t m = 0;
  for (std::size_t j = 0; j < n; ++j) m |= static_cast<std::uint64_t>(compare_one<C>(p[j], v)) << j;
  return m;
}
template <cmp_kind C, class T>
ELECTRON_ALWAYS_INLINE std::uint64_t mask64(scalar_arch, const T* p, T v) noexcept {
  return mask_tail<C>(p, 64, v);
}

// ---------------------------------------------------------------------------
// Vector kernels (x86).
// ---------------------------------------------------------------------------
#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
/// An architecture whose compare results the kernels turn into bit masks.
template <class A>
concept mask_arch = electron::detail::is_simd_arch<A> &&
    (std::is_base_of_v<xsimd::sse2, A> || std::is_base_of_v<xsimd::avx, A> || std::is_base_of_v<xsimd::avx512f, A>);

/// One bit per lane of a compare result, lane i at bit i.
template <class A, class T>
ELECTRON_ALWAYS_INLINE std::uint64_t lane_mask(const xsimd::batch_bool<T, A>& b) noexcept {
  if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
    return static_cast<std::uint64_t>(b.data);
  } else if constexpr (std::is_base_of_v<xsimd::avx, A>) {
    if constexpr (sizeof(T) == 8) {
      return static_cast<std::uint32_t>(
          _mm256_movemask_pd(_mm256_castsi256_pd(reinterpret_cast<const __m256i&>(b.data))));
    } else {
      return static_cast<std::uint32_t>(
          _mm256_movemask_ps(_mm256_castsi256_ps(reinterpret_cast<const __m256i&>(b.data))));
    }
  } else {
    if constexpr (sizeof(T) == 8) {
      return static_cast<std::uint32_t>(_mm_movemask_pd(_mm_castsi128_pd(reinterpret_cast<const __m128i&>(b.data))));
    } else {
      return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(reinterpret_cast<const __m128i&>(b.data))));
    }
  }
}

template <cmp_kind C, class A, class T>
ELECTRON_ALWAYS_INLINE std::uint64_t compare_mask(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& v) noexcept {
  if constexpr (C == cmp_kind::lt) return lane_mask<A, T>(x < v);
  if constexpr (C == cmp_kind::le) return lane_mask<A, T>(x <= v);
  if constexpr (C == cmp_kind::gt) return lane_mask<A, T>(x > v);
  if constexpr (C == cmp_kind::ge) return lane_mask<A, T>(x >= v);
  // (not_equal as the complement of equal: the lanes where either side is NaN
  // are then "not equal", as for the scalar !=, whatever predicate the ISA's
  // != uses.)
  if constexpr (C == cmp_kind::eq || C == cmp_kind::ne) return lane_mask<A, T>(x == v);
}

template <cmp_kind C, mask_arch A, class T>
ELECTRON_ALWAYS_INLINE std::uint64_t mask64(A, const T* p, T value) noexcept {
  using batch = xsimd::batch<T, A>;
  constexpr std::size_t w = batch::size;
  static_assert(64 % w == 0);
  const batch v(value);
  std::uint64_t m = 0;
  for (std::size_t k = 0; k < 64 / w; ++k) {
    m |= compare_mask<C>(batch::load_unaligned(p + k * w), v) << (k * w);
  }
  if constexpr (C == cmp_kind::ne) m = ~m;
  return m;
}

template <std::floating_point T, mask_arch A>
inline T sum_block(A, const T* p, std::size_t n) noexcept {
  using batch = xsimd::batch<T, A>;
  constexpr std::size_t w = batch::size;
  batch a0(T{0}), a1(T{0}), a2(T{0}), a3(T{0});
  std::size_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    a0 += batch::load_unaligned(p + i);
    a1 += batch::load_unaligned(p + i + w);
    a2 += batch::load_unaligned(p + i + 2 * w);
    a3 += batch::load_unaligned(p + i + 3 * w);
  }
  for (; i + w <= n; i += w) a0 += batch::load_unaligned(p + i);
  // The lanes through memory rather than xsimd::hadd, whose AVX-512 form
  // g++ 12 reports as reading an uninitialized register (a false positive
  // inside its intrinsics headers).
  alignas(A::alignment()) T lanes[w];
  ((a0 + a1) + (a2 + a3)).store_aligned(lanes);
  for (; i < n; ++i) lanes[0] += p[i];
  for (std::size_t half = w / 2; half != 0; half /= 2) {
    for (std::size_t k = 0; k < half; ++k) lanes[k] += lanes[k + half];
  }
  return lanes[0];
}

template <bool Min, std::floating_point T, mask_arch A>
inline T extreme(A, const T* p, std::size_t n) noexcept {
  using batch = xsimd::batch<T, A>;
  constexpr std::size_t w = batch::size;
  constexpr T start = Min ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  batch a0(start), a1(start);
  std::size_t i = 0;
  // select(x < m, x, m): a NaN x compares false and leaves m.
  for (; i + 2 * w <= n; i += 2 * w) {
    const batch x0 = batch::load_unaligned(p + i), x1 = batch::load_unaligned(p + i + w);
    if constexpr (Min) {
      a0 = xsimd::select(x0 < a0, x0, a0);
      a1 = xsimd::select(x1 < a1, x1, a1);
    } else {
      a0 = xsimd::select(x0 > a0, x0, a0);
      a1 = xsimd::select(x1 > a1, x1, a1);
    }
  }
  if constexpr (Min) {
    a0 = xsimd::select(a1 < a0, a1, a0);
  } else {
    a0 = xsimd::select(a1 > a0, a1, a0);
  }
  alignas(A::alignment()) T lanes[w];
  a0.store_aligned(lanes);
  T m = extreme_scalar<Min>(lanes, w, start);
  m = extreme_scalar<Min>(p + i, n - i, m);
  return finish_extreme<Min>(p, n, m);
}
#endif

// ---------------------------------------------------------------------------
// Entry points (dispatch on the architecture, then on the comparison).
// ---------------------------------------------------------------------------
template <class Arch, class T>
inline constexpr bool vector_kernel = false;
#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
template <mask_arch A, class T>
inline constexpr bool vector_kernel<A, T> = !std::is_same_v<T, bool>;
#endif

template <class Arch, std::floating_point T>
inline double sum(Arch arch, const T* p, std::size_t n) noexcept {
  auto run = [&](auto a) {
    if constexpr (std::is_same_v<T, double>) {
      return sum_block(a, p, n);
    } else {
      double total = 0;
      for (std::size_t i = 0; i < n; i += float_sum_block) {
        const std::size_t k = n - i < float_sum_block ? n - i : float_sum_block;
        total += static_cast<double>(sum_block(a, p + i, k));
      }
      return total;
    }
  };
  if constexpr (vector_kernel<Arch, T>) {
    return run(arch);
  } else {
    return run(scalar_arch{});
  }
}
/// Precondition: n > 0.
template <class Arch, std::floating_point T>
inline T min(Arch arch, const T* p, std::size_t n) noexcept {
  if constexpr (vector_kernel<Arch, T>) {
    return extreme<true>(arch, p, n);
  } else {
    return extreme<true>(scalar_arch{}, p, n);
  }
}
/// Precondition: n > 0.
template <class Arch, std::floating_point T>
inline T max(Arch arch, const T* p, std::size_t n) noexcept {
  if constexpr (vector_kernel<Arch, T>) {
    return extreme<false>(arch, p, n);
  } else {
    return extreme<false>(scalar_arch{}, p, n);
  }
}

/// Calls f(std::integral_constant<cmp_kind, c>{}) for the runtime c.
template <class F>
ELECTRON_ALWAYS_INLINE decltype(auto) with_cmp(cmp_kind c, F&& f) {
  switch (c) {
    case cmp_kind::lt:
      return f(std::integral_constant<cmp_kind, cmp_kind::lt>{});
    case cmp_kind::le:
      return f(std::integral_constant<cmp_kind, cmp_kind::le>{});
    case cmp_kind::gt:
      return f(std::integral_constant<cmp_kind, cmp_kind::gt>{});
    case cmp_kind::ge:
      return f(std::integral_constant<cmp_kind, cmp_kind::ge>{});
    case cmp_kind::eq:
      return f(std::integral_constant<cmp_kind, cmp_kind::eq>{});
    case cmp_kind::ne:
      break;
  }
  return f(std::integral_constant<cmp_kind, cmp_kind::ne>{});
}

/// Writes the compare mask of p[0, n) to words[0, ceil(n / 64)): bit i % 64
/// of word i / 64 is compare(p[i], v); the bits past n are zero.
template <class Arch, class T>
inline void filter_words(Arch arch, const T* p, std::size_t n, cmp_kind c, T v, std::uint64_t* words) noexcept {
  with_cmp(c, [&](auto k) {
    constexpr cmp_kind kind = decltype(k)::value;
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
      if constexpr (vector_kernel<Arch, T>) {
        *words++ = mask64<kind>(arch, p + i, v);
      } else {
        *words++ = mask64<kind>(scalar_arch{}, p + i, v);
      }
    }
    if (i < n) *words = mask_tail<kind>(p + i, n - i, v);
  });
}

/// How many i in [0, n) have compare(p[i], v).
template <class Arch, class T>
inline std::size_t count(Arch arch, const T* p, std::size_t n, cmp_kind c, T v) noexcept {
  return with_cmp(c, [&](auto k) {
    constexpr cmp_kind kind = decltype(k)::value;
    std::size_t total = 0;
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
      if constexpr (vector_kernel<Arch, T>) {
        total += static_cast<std::size_t>(std::popcount(mask64<kind>(arch, p + i, v)));
      } else {
        total += static_cast<std::size_t>(std::popcount(mask64<kind>(scalar_arch{}, p + i, v)));
      }
    }
    if (i < n) total += static_cast<std::size_t>(std::popcount(mask_tail<kind>(p + i, n - i, v)));
    return total;
  });
}

// The values at the set bits of m, lowest first.
template <class T>
ELECTRON_ALWAYS_INLINE T* gather_bits(const T* base, std::uint64_t m, T* o) noexcept {
  while (m != 0) {
    *o++ = base[std::countr_zero(m)];
    m &= m - 1;
  }
  return o;
}

/// Copies p[i] for every set bit i of the selection words (bit i % 64 of
/// word i / 64; none at or past n) to out, lowest first; returns how many.
/// [out, out_end) has room for all of them.
template <class Arch, class T>
inline std::size_t gather(Arch, const T* p, std::size_t n, const std::uint64_t* words, T* out,
                          [[maybe_unused]] T* out_end) noexcept {
  T* o = out;
  std::size_t w = 0;
#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch> && (sizeof(T) == 4 || sizeof(T) == 8)) {
    // VPCOMPRESSD/Q packs the selected lanes of a vector to its low end; a
    // full-width store then writes them (and garbage above, overwritten by
    // the next store), so it needs a vector's room left before out_end.
    constexpr std::size_t lanes = 64 / sizeof(T);
    for (; w < n / 64; ++w) {
      const std::uint64_t m = words[w];
      const T* base = p + w * 64;
      for (std::size_t k = 0; k < 64 / lanes; ++k) {
        const auto part = static_cast<unsigned>(m >> (k * lanes)) & ((1u << lanes) - 1u);
        const __m512i v = _mm512_loadu_si512(base + k * lanes);
        if (static_cast<std::size_t>(out_end - o) >= lanes) {
          if constexpr (sizeof(T) == 4) {
            _mm512_storeu_si512(o, _mm512_maskz_compress_epi32(static_cast<__mmask16>(part), v));
          } else {
            _mm512_storeu_si512(o, _mm512_maskz_compress_epi64(static_cast<__mmask8>(part), v));
          }
          o += std::popcount(part);
        } else {
          o = gather_bits(base + k * lanes, part, o);
        }
      }
    }
  }
#endif
  for (; w < n / 64; ++w) {
    const std::uint64_t m = words[w];
    if (m == ~std::uint64_t{0}) {
      for (std::size_t j = 0; j < 64; ++j) o[j] = p[w * 64 + j];
      o += 64;
    } else {
      o = gather_bits(p + w * 64, m, o);
    }
  }
  // The last word's bits past n are zero: never the full-word copy.
  if (n % 64 != 0) o = gather_bits(p + w * 64, words[w], o);
  return static_cast<std::size_t>(o - out);
}

}  // namespace detail
}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_COLUMN_KERNELS_HPP
