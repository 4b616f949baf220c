// SPDX-License-Identifier: MIT
// electron/detail/byte_kernels.hpp: the byte kernels behind electron::simd
// and electron::strings (equal, index_byte, last_index_byte, count, find,
// index_any).
//
// Every kernel has a scalar overload (detail::scalar_arch, plain loops) and a
// template on an xsimd architecture. xsimd 8 has no batch_bool -> bit mask
// operation, so `to_mask` is a small per-ISA shim (PMOVMSKB, VPMOVMSKB, the
// AVX-512BW mask register itself, or a narrowing shift on NEON).
//
// No kernel reads outside [p, p + n): full vectors inside the range, then
// either one more vector that overlaps the previous one and ends at p + n, a
// masked load (AVX-512BW), overlapping 64/32-bit words, or scalar code.
#ifndef ELECTRON_DETAIL_BYTE_KERNELS_HPP
#define ELECTRON_DETAIL_BYTE_KERNELS_HPP

#include "electron/config.hpp"
#include "electron/detail/simd.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

/// 1 when the byte kernels are vector ones (x86 SSE2 and up, AArch64 NEON),
/// 0 when every byte kernel is its scalar twin.
/// (Little-endian only: byte i of a 64-bit word is bits 8i..8i+7.)
#if ELECTRON_HAS_SIMD && (ELECTRON_ARCH_X86 || (defined(__aarch64__) && defined(__ARM_NEON) && \
                                                defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__))
#define ELECTRON_SIMD_BYTE_KERNELS 1
#else
#define ELECTRON_SIMD_BYTE_KERNELS 0
#endif

#if ELECTRON_SIMD_BYTE_KERNELS && ELECTRON_ARCH_X86
#include <immintrin.h>
#elif ELECTRON_SIMD_BYTE_KERNELS
#include <arm_neon.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace detail {

inline const byte* bytes_of(std::string_view s) noexcept { return reinterpret_cast<const byte*>(s.data()); }
inline const byte* bytes_of(std::span<const std::byte> s) noexcept { return reinterpret_cast<const byte*>(s.data()); }

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
/// index_byte for a byte usually found near the start (the next separator
/// of a split): the same result.
inline std::size_t index_byte_near(scalar_arch, const byte* p, std::size_t n, byte c) noexcept {
  return index_byte(scalar_arch{}, p, n, c);
}
/// One of the ASCII whitespace bytes: space, \t, \n, \v, \f, \r.
constexpr bool is_ascii_space(byte c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }
/// The next run of non-whitespace bytes in p[0, n): its start (npos when the
/// rest is all whitespace) and, through len, its length.
inline std::size_t next_field(scalar_arch, const byte* p, std::size_t n, std::size_t& len) noexcept {
  std::size_t i = 0;
  while (i < n && is_ascii_space(p[i])) ++i;
  if (i == n) return npos;
  std::size_t j = i + 1;
  while (j < n && !is_ascii_space(p[j])) ++j;
  len = j - i;
  return i;
}
/// Index of the last byte equal to c, or npos.
inline std::size_t last_index_byte(scalar_arch, const byte* p, std::size_t n, byte c) noexcept {
  for (std::size_t i = n; i-- > 0;) {
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

#if ELECTRON_SIMD_BYTE_KERNELS
// ---------------------------------------------------------------------------
// Vector kernels (x86: SSE2 and up; AArch64: NEON)
// ---------------------------------------------------------------------------

// The architecture byte kernels really run on: AVX-512 without BW has no byte
// compares into mask registers (use AVX2), AVX1 has no 256-bit integer
// compares (use SSE4.2), FMA variants are their base ISA. On Arm, only
// AArch64's NEON (xsimd's neon64); 32-bit NEON stays scalar.
template <class Arch>
using byte_arch = std::conditional_t<
    std::is_base_of_v<xsimd::avx512bw, Arch>, xsimd::avx512bw,
    std::conditional_t<
        std::is_base_of_v<xsimd::avx512f, Arch> || std::is_base_of_v<xsimd::avx2, Arch>, xsimd::avx2,
        std::conditional_t<std::is_base_of_v<xsimd::sse2, Arch> || std::is_base_of_v<xsimd::avx, Arch> ||
                               std::is_base_of_v<xsimd::fma4, Arch>,
                           xsimd::sse2,
                           std::conditional_t<std::is_base_of_v<xsimd::neon64, Arch>, xsimd::neon64, void>>>>;

template <class Arch>
concept vector_arch = electron::detail::is_simd_arch<Arch> && !std::is_void_v<byte_arch<Arch>>;

template <class A>
using bytes = xsimd::batch<byte, A>;
template <class A>
using bytes_bool = xsimd::batch_bool<byte, A>;

/// log2 of the bits per byte lane in a to_mask result: 0 on x86 (one bit per
/// lane), 2 on NEON (lane i at bit 4i).
template <class A>
inline constexpr int lane_shift = std::is_same_v<A, xsimd::neon64> ? 2 : 0;

/// A bit mask of a byte comparison, lowest lane lowest: exactly one bit per
/// true lane, at bit `i << lane_shift<A>` for lane i.
template <class A>
ELECTRON_ALWAYS_INLINE std::uint64_t to_mask(const bytes_bool<A>& b) noexcept {
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    return static_cast<std::uint64_t>(b.data);
  } else if constexpr (std::is_same_v<A, xsimd::avx2>) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(b.data));
  } else {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(b.data));
  }
#else
  // NEON has no movemask. Each 16-bit pair of compare lanes (0x00 or 0xFF
  // bytes) shifted right by 4 and narrowed to 8 bits keeps the top nibble of
  // its low lane and the bottom nibble of its high lane, so one SHRN turns the
  // 16 lanes into 16 nibbles of a 64-bit value, lane i at bits 4i..4i+3
  // (D. Kutenin, "Porting x86 vector bitmask optimizations to Arm NEON", Arm
  // community blog, 2022). One bit of each nibble is kept, so that popcount
  // counts lanes and clearing the lowest bit clears one lane.
  const uint8x8_t nibbles = vshrn_n_u16(vreinterpretq_u16_u8(b.data), 4);
  return vget_lane_u64(vreinterpret_u64_u8(nibbles), 0) & 0x1111111111111111u;
#endif
}

/// The lane of a to_mask result's lowest set bit (m != 0).
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t first_lane(std::uint64_t m) noexcept {
  return static_cast<std::size_t>(std::countr_zero(m)) >> lane_shift<A>;
}
/// The lane of a to_mask result's highest set bit (m != 0). On NEON lane i
/// is bit 4i (one bit kept per nibble), so 63 - countl_zero is 4i there too.
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t last_lane(std::uint64_t m) noexcept {
  return static_cast<std::size_t>(63 - std::countl_zero(m)) >> lane_shift<A>;
}
/// How many lanes a to_mask result has set.
ELECTRON_ALWAYS_INLINE std::size_t lane_count(std::uint64_t m) noexcept {
  return static_cast<std::size_t>(std::popcount(m));
}

#if ELECTRON_ARCH_X86
/// Bytes of [p, p + n), n < width, as one vector's mask of `c` matches, without
/// reading outside the range (AVX-512BW: masked load). Only for avx512bw.
inline std::uint64_t short_match_avx512(const byte* p, std::size_t n, byte c) noexcept {
  const __mmask64 live = n >= 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
  const __m512i v = _mm512_maskz_loadu_epi8(live, p);
  return static_cast<std::uint64_t>(_mm512_mask_cmpeq_epi8_mask(live, v, _mm512_set1_epi8(static_cast<char>(c))));
}
#endif

// ---------------------------------------------------------------------------
// Short inputs (up to short_vectors vectors). Lines and fields come in random
// lengths, so a branch on the length is mispredicted about as often as not,
// and each miss costs more than scanning the bytes. The short path therefore
// reads every input of w..short_vectors*w bytes the same way, with no branch
// on its length: vector k at min(k*w, n - w) (the last ones overlap bytes
// already seen), and the first match is picked with conditional moves.
// AVX-512BW does the same with masked loads, which also covers n < w. Other
// ISAs take n < w in 64-bit words (SWAR), again without reading outside the
// input: words at min(8k, n - 8), or two overlapping 32-bit halves for n < 8.
// ---------------------------------------------------------------------------
inline constexpr std::uint64_t swar_ones = 0x0101010101010101u;
inline constexpr std::uint64_t swar_highs = 0x8080808080808080u;

/// 0x80 in each zero byte of x. Only bytes above a real zero byte can be
/// flagged falsely (by the borrow), so the lowest flag is always exact
/// (H. S. Warren, "Hacker's Delight", 2nd ed., section 6-1).
constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept { return (x - swar_ones) & ~x & swar_highs; }

static_assert(std::endian::native == std::endian::little, "the SWAR paths number bytes from the low end");
ELECTRON_ALWAYS_INLINE std::uint64_t load_u64(const byte* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
ELECTRON_ALWAYS_INLINE std::uint64_t load_u32(const byte* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Matches one byte value: `vec` on a vector, `word` on 8 bytes (SWAR).
template <class A>
struct byte_matcher {
  bytes<A> needle;
  std::uint64_t repeated;
  explicit byte_matcher(byte c) noexcept : needle(c), repeated(swar_ones * c) {}
  ELECTRON_ALWAYS_INLINE bytes_bool<A> vec(const bytes<A>& v) const noexcept { return v == needle; }
  ELECTRON_ALWAYS_INLINE std::uint64_t word(std::uint64_t x) const noexcept { return zero_bytes(x ^ repeated); }
};

/// Sets of up to this many bytes are matched with one compare per member;
/// larger sets use the scalar bitmap.
inline constexpr std::size_t max_vector_set = 8;

/// Matches any byte of a set of 1..max_vector_set bytes.
template <class A>
struct set_matcher {
  bytes<A> members[max_vector_set];
  std::size_t k;
  set_matcher(const byte* set, std::size_t size) noexcept : k(size) {
    for (std::size_t j = 0; j < max_vector_set; ++j) members[j] = bytes<A>(set[j < k ? j : 0]);
  }
  ELECTRON_ALWAYS_INLINE bytes_bool<A> vec(const bytes<A>& v) const noexcept {
    auto any = v == members[0];
    for (std::size_t j = 1; j < k; ++j) any = any || (v == members[j]);
    return any;
  }
};

/// Inputs up to this many vectors take the short path: 256 bytes on AVX2 and
/// AVX-512BW, 64 on 16-byte vectors. (On AVX2, 4 vectors left the 129-160 B
/// quarter of the random 4-160 B bench to the loop: 14.3 ns against 10.4 ns
/// with 8, clang, same run.)
template <class A>
inline constexpr std::size_t short_vectors = std::is_same_v<A, xsimd::avx2> ? 8 : 4;
template <class A>
inline constexpr std::size_t short_limit = short_vectors<A>* bytes<A>::size;

// An empty asm statement: the compiler cannot see what comes out of it, so
// it cannot turn arithmetic on it back into a compare and a branch.
ELECTRON_ALWAYS_INLINE std::uint64_t opaque(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(x));
#endif
  return x;
}

/// min(a, b), as a conditional move. (Hiding it from clang as arithmetic cost
/// more than it saved: the clamps no longer moved out of loops over a fixed
/// length, 13 ns against 5 ns at 64 B.)
ELECTRON_ALWAYS_INLINE std::size_t min_no_branch(std::size_t a, std::size_t b) noexcept {
#if defined(__GNUC__) && !defined(__clang__)
  return __builtin_expect_with_probability(a < b, 1, 0.5) ? a : b;
#else
  return a < b ? a : b;
#endif
}
/// The low `bits` bits set, bits in [0, 64], by arithmetic (two shifts, so
/// that 64 wraps to all ones rather than shifting by the width).
ELECTRON_ALWAYS_INLINE std::uint64_t low_bits(std::size_t bits) noexcept {
  return ((std::uint64_t{1} << (bits >> 1)) << (bits - (bits >> 1))) - 1;
}
/// The answer from V match masks, mask k for the bytes from at(k) on with one
/// bit per byte at (byte << Shift): at(k) plus the first set byte of the first
/// nonzero mask, npos if none.
///
/// A chain of selects from the last mask to the first, kept free of branches
/// for each compiler: g++ keeps a select it is told is unpredictable as a
/// conditional move; clang would turn the selects inside the caller's loop
/// back into branches (its cmov conversion), so it gets a blend through a
/// mask it cannot see into.
template <int Shift, std::size_t V, class At>
ELECTRON_ALWAYS_INLINE std::size_t first_of_masks(const std::uint64_t (&m)[V], const At& at) noexcept {
  std::size_t r = npos;
  for (std::size_t k = V; k-- > 0;) {
    const std::size_t here = at(k) + (static_cast<std::size_t>(std::countr_zero(m[k])) >> Shift);
#if defined(__clang__)
    r ^= (r ^ here) & opaque(std::size_t{0} - static_cast<std::size_t>(m[k] != 0));
#elif defined(__GNUC__)
    r = __builtin_expect_with_probability(m[k] != 0, 1, 0.5) ? here : r;
#else
    r = m[k] != 0 ? here : r;
#endif
  }
  return r;
}

/// Index of the first byte of [p, p + n) that `match` accepts, or npos;
/// n <= short_limit<A>. Reads nothing outside the input.
template <class A, class M>
ELECTRON_ALWAYS_INLINE std::size_t first_match_short(const byte* p, std::size_t n, const M& match) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  constexpr std::size_t vectors = short_vectors<A>;
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    std::uint64_t m[vectors];
    for (std::size_t k = 0; k < vectors; ++k) {
      const std::size_t from = min_no_branch(k * w, n);  // keeps the pointer inside the input
      const __mmask64 live = low_bits(min_no_branch(n - from, w));
      m[k] = to_mask<A>(match.vec(bytes<A>(_mm512_maskz_loadu_epi8(live, p + from)))) & live;
    }
    return first_of_masks<lane_shift<A>, vectors>(m, [](std::size_t k) { return k * w; });
  } else
#endif
  {
    if (n >= w) {
      // Vector k at min(k * w, n - w). The bytes a vector shares with an
      // earlier one did not match there, so the first vector with a match
      // has the answer in its first matching lane.
      auto at = [n](std::size_t k) { return min_no_branch(k * w, n - w); };
      std::uint64_t m[vectors];
      for (std::size_t k = 0; k < vectors; ++k) m[k] = to_mask<A>(match.vec(bytes<A>::load_unaligned(p + at(k))));
      return first_of_masks<lane_shift<A>, vectors>(m, at);
    }
    if (n >= 8) {                           // 64-bit words at min(8k, n - 8)
      constexpr std::size_t words = w / 8;  // 8 * words > n
      auto at = [n](std::size_t k) { return min_no_branch(8 * k, n - 8); };
      std::uint64_t t[words];
      for (std::size_t k = 0; k < words; ++k) t[k] = match.word(load_u64(p + at(k)));
      return first_of_masks<3, words>(t, at);
    }
  }
  if (n >= 4) {  // bytes 0..3 and n-4..n-1
    const std::uint64_t t = match.word(load_u32(p) | (load_u32(p + n - 4) << 32));
    const std::size_t b = static_cast<std::size_t>(std::countr_zero(t)) >> 3;
    return t == 0 ? npos : (b < 4 ? b : b + n - 8);
  }
  if (n == 0) return npos;
  // Bytes 0, n/2 and n-1 (all of them for n <= 3); the last one fills the word.
  const std::uint64_t x =
      std::uint64_t{p[0]} | (std::uint64_t{p[n / 2]} << 8) | (std::uint64_t{p[n - 1]} * 0x0101010101010000u);
  const std::uint64_t t = match.word(x);
  const std::size_t b = static_cast<std::size_t>(std::countr_zero(t)) >> 3;
  return t == 0 ? npos : (b == 0 ? 0 : b == 1 ? n / 2 : n - 1);
}

// ---------------------------------------------------------------------------
// Long inputs
// ---------------------------------------------------------------------------
template <class A>
std::size_t index_byte_long(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  const bytes<A> needle(c);
  if (n < w) return first_match_short<A>(p, n, byte_matcher<A>(c));
  std::size_t i = 0;
  if (n >= 8 * w) {
    // The first vector, then vectors from the next w-aligned address on
    // (bytes between the two were in the first vector): no load straddles
    // two cache lines. With a 64-byte vector every unaligned load does, and
    // a split 512-bit load costs more on CPUs that run 512-bit operations
    // as two 256-bit halves (AMD Zen 4) than on Intel's; glibc's memchr
    // aligns its loop the same way.
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p) == needle)) return first_lane<A>(m);
    i = w - (reinterpret_cast<std::uintptr_t>(p) & (w - 1));
  }
  // Four vectors per step, one branch: the common "not here" case is cheap.
  for (; i + 4 * w <= n; i += 4 * w) {
    const auto e0 = bytes<A>::load_unaligned(p + i) == needle;
    const auto e1 = bytes<A>::load_unaligned(p + i + w) == needle;
    const auto e2 = bytes<A>::load_unaligned(p + i + 2 * w) == needle;
    const auto e3 = bytes<A>::load_unaligned(p + i + 3 * w) == needle;
    if (xsimd::any((e0 || e1) || (e2 || e3))) {
      if (const std::uint64_t m = to_mask<A>(e0)) return i + first_lane<A>(m);
      if (const std::uint64_t m = to_mask<A>(e1)) return i + w + first_lane<A>(m);
      if (const std::uint64_t m = to_mask<A>(e2)) return i + 2 * w + first_lane<A>(m);
      return i + 3 * w + first_lane<A>(to_mask<A>(e3));
    }
  }
  for (; i + w <= n; i += w) {
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + i) == needle)) {
      return i + first_lane<A>(m);
    }
  }
  if (i < n) {  // the last vector, overlapping bytes already seen (none of them matched)
    const std::size_t last = n - w;
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + last) == needle)) {
      return last + first_lane<A>(m);
    }
  }
  return npos;
}

/// 0x80 in exactly the zero bytes of x: unlike zero_bytes, no borrow crosses
/// bytes, so the highest flag is exact too (Hacker's Delight, 6-1).
constexpr std::uint64_t zero_bytes_exact(std::uint64_t x) noexcept {
  constexpr std::uint64_t lows = ~swar_highs;
  return ~(((x & lows) + lows) | x | lows);
}

/// last_index_byte below one vector: 64-bit words from the end, then one
/// word that overlaps bytes already seen (or two 32-bit halves, or bytes).
inline std::size_t last_index_byte_swar(const byte* p, std::size_t n, byte c) noexcept {
  const std::uint64_t repeated = swar_ones * c;
  auto top = [](std::uint64_t t) { return static_cast<std::size_t>(63 - std::countl_zero(t)) >> 3; };
  if (n >= 8) {
    std::size_t i = n;
    for (; i >= 8; i -= 8) {
      if (const std::uint64_t t = zero_bytes_exact(load_u64(p + i - 8) ^ repeated)) return i - 8 + top(t);
    }
    if (i == 0) return npos;
    // Bytes i..n-1 did not match, so a match in bytes 0..7 is below i.
    const std::uint64_t t = zero_bytes_exact(load_u64(p) ^ repeated);
    return t == 0 ? npos : top(t);
  }
  if (n >= 4) {  // bytes 0..3 (low half) and n-4..n-1 (high half, the later ones)
    const std::uint64_t t = zero_bytes_exact((load_u32(p) | (load_u32(p + n - 4) << 32)) ^ repeated);
    if (t == 0) return npos;
    const std::size_t b = top(t);
    return b >= 4 ? b + n - 8 : b;
  }
  return last_index_byte(scalar_arch{}, p, n, c);
}

/// last_index_byte: vectors from the end, four per branch; the first bytes
/// (fewer than a vector) through one vector at p that overlaps bytes already
/// seen, or SWAR below one vector (masked loads on AVX-512BW).
template <class A>
std::size_t last_index_byte_impl(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (n < w) {
#if ELECTRON_ARCH_X86
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      const std::uint64_t m = short_match_avx512(p, n, c);
      return m == 0 ? npos : last_lane<A>(m);
    }
#endif
    return last_index_byte_swar(p, n, c);
  }
  const bytes<A> needle(c);
  std::size_t i = n;  // bytes i..n-1 are done
  if (n >= 8 * w) {
    // The last vector, then vectors ending at w-aligned addresses: loads
    // that never straddle two cache lines (this kept up with memrchr at
    // 64 KiB; unaligned, it took 1.25x longer).
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + n - w) == needle)) {
      return n - w + last_lane<A>(m);
    }
    i = n - (reinterpret_cast<std::uintptr_t>(p + n) & (w - 1));
  }
  for (; i >= 4 * w; i -= 4 * w) {
    const auto e3 = bytes<A>::load_unaligned(p + i - w) == needle;
    const auto e2 = bytes<A>::load_unaligned(p + i - 2 * w) == needle;
    const auto e1 = bytes<A>::load_unaligned(p + i - 3 * w) == needle;
    const auto e0 = bytes<A>::load_unaligned(p + i - 4 * w) == needle;
    if (xsimd::any((e0 || e1) || (e2 || e3))) {
      if (const std::uint64_t m = to_mask<A>(e3)) return i - w + last_lane<A>(m);
      if (const std::uint64_t m = to_mask<A>(e2)) return i - 2 * w + last_lane<A>(m);
      if (const std::uint64_t m = to_mask<A>(e1)) return i - 3 * w + last_lane<A>(m);
      return i - 4 * w + last_lane<A>(to_mask<A>(e0));
    }
  }
  for (; i >= w; i -= w) {
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p + i - w) == needle)) {
      return i - w + last_lane<A>(m);
    }
  }
  if (i > 0) {  // the first vector, overlapping bytes i.. already seen (none matched)
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p) == needle)) return last_lane<A>(m);
  }
  return npos;
}

/// index_byte: short inputs inline, without a call; long ones out of line.
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t index_byte_impl(const byte* p, std::size_t n, byte c) noexcept {
  if (ELECTRON_LIKELY(n <= short_limit<A>)) return first_match_short<A>(p, n, byte_matcher<A>(c));
  return index_byte_long<A>(p, n, c);
}

/// index_byte_near: the first vector alone (one compare, and a branch that
/// a loop over short fields predicts well), then index_byte on the rest. The
/// short path of index_byte reads up to short_limit bytes whatever the
/// input; fields of a few bytes cost less this way, like memchr's first
/// vector. Below one vector: one masked load (AVX-512BW) or the short path.
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t index_byte_near_impl(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (n >= w) {
    if (const std::uint64_t m = to_mask<A>(bytes<A>::load_unaligned(p) == bytes<A>(c))) return first_lane<A>(m);
    const std::size_t r = index_byte_impl<A>(p + w, n - w, c);
    return r == npos ? npos : r + w;
  }
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    const std::uint64_t m = short_match_avx512(p, n, c);
    return m == 0 ? npos : static_cast<std::size_t>(std::countr_zero(m));
  }
#endif
  return first_match_short<A>(p, n, byte_matcher<A>(c));
}

/// The sum of the 8-bit lanes of four vectors, in 64 bits (SAD against zero
/// on x86, added as 64-bit lanes, then one reduction; widening adds across
/// the vector on NEON). Not for AVX-512 (count keeps masks there).
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t lane_sum(const bytes<A>& a, const bytes<A>& b, const bytes<A>& c,
                                            const bytes<A>& d) noexcept {
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx2>) {
    const __m256i z = _mm256_setzero_si256();
    const __m256i s = _mm256_add_epi64(_mm256_add_epi64(_mm256_sad_epu8(a.data, z), _mm256_sad_epu8(b.data, z)),
                                       _mm256_add_epi64(_mm256_sad_epu8(c.data, z), _mm256_sad_epu8(d.data, z)));
    const __m128i t = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    return static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_add_epi64(t, _mm_unpackhi_epi64(t, t))));
  } else {
    const __m128i z = _mm_setzero_si128();
    const __m128i s = _mm_add_epi64(_mm_add_epi64(_mm_sad_epu8(a.data, z), _mm_sad_epu8(b.data, z)),
                                    _mm_add_epi64(_mm_sad_epu8(c.data, z), _mm_sad_epu8(d.data, z)));
    return static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_add_epi64(s, _mm_unpackhi_epi64(s, s))));
  }
#else
  return static_cast<std::size_t>(vaddlvq_u8(a.data)) + vaddlvq_u8(b.data) + vaddlvq_u8(c.data) + vaddlvq_u8(d.data);
#endif
}

/// acc plus one in every lane where e holds (8-bit lanes, wrapping). For
/// ISAs whose compares give a vector (not AVX-512's mask registers).
template <class A>
ELECTRON_ALWAYS_INLINE bytes<A> add_matches(const bytes<A>& acc, const bytes_bool<A>& e) noexcept {
  static_assert(!std::is_same_v<A, xsimd::avx512bw>);
  // A true lane is all ones, -1 as a byte: subtracting it adds one.
  return acc - bytes<A>(e.data);
}

/// count: from 8 vectors on, the loop reads w-aligned vectors (the lanes
/// before the first aligned address come from one unaligned vector). Where
/// a compare gives a vector (SSE2, AVX2, NEON), per-lane 8-bit counters
/// take the matches and are summed across the vector (lane_sum) before they
/// could wrap: no mask leaves the vector unit and no popcount per vector.
/// AVX-512 compares into masks and counts them with POPCNT. The last,
/// overlapping vector goes through a mask.
template <class A>
ELECTRON_ALWAYS_INLINE std::size_t count_impl(const byte* p, std::size_t n, byte c) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  const bytes<A> needle(c);
  if (n < w) {
#if ELECTRON_ARCH_X86
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      return static_cast<std::size_t>(std::popcount(short_match_avx512(p, n, c)));
    }
#endif
    return count(scalar_arch{}, p, n, c);
  }
  std::size_t k = 0, i = 0;
  if (n >= 8 * w) {
    // Lanes before the first w-aligned address, from the first vector.
    i = w - (reinterpret_cast<std::uintptr_t>(p) & (w - 1));
    k += lane_count(to_mask<A>(bytes<A>::load_unaligned(p) == needle) & low_bits(i << lane_shift<A>));
#if ELECTRON_ARCH_X86
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      // Compares into mask registers: moving a mask back into a vector for
      // the counters would cost a second port-5 operation per vector on
      // Intel (VPMOVM2B); a mask to a general register and POPCNT run on
      // other ports.
      for (; i + 4 * w <= n; i += 4 * w) {
        k += lane_count(to_mask<A>(bytes<A>::load_unaligned(p + i) == needle)) +
             lane_count(to_mask<A>(bytes<A>::load_unaligned(p + i + w) == needle)) +
             lane_count(to_mask<A>(bytes<A>::load_unaligned(p + i + 2 * w) == needle)) +
             lane_count(to_mask<A>(bytes<A>::load_unaligned(p + i + 3 * w) == needle));
      }
    } else
#endif
    {
      while (n - i >= 4 * w) {
        // At most 255 steps: a lane counts one match per step.
        const std::size_t left = (n - i) / (4 * w);
        const std::size_t steps = left < 255 ? left : 255;
        bytes<A> c0(byte{0}), c1(byte{0}), c2(byte{0}), c3(byte{0});
        for (std::size_t s = 0; s < steps; ++s, i += 4 * w) {
          c0 = add_matches<A>(c0, bytes<A>::load_unaligned(p + i) == needle);
          c1 = add_matches<A>(c1, bytes<A>::load_unaligned(p + i + w) == needle);
          c2 = add_matches<A>(c2, bytes<A>::load_unaligned(p + i + 2 * w) == needle);
          c3 = add_matches<A>(c3, bytes<A>::load_unaligned(p + i + 3 * w) == needle);
        }
        k += lane_sum<A>(c0, c1, c2, c3);
      }
    }
  }
  for (; i + w <= n; i += w) {
    k += lane_count(to_mask<A>(bytes<A>::load_unaligned(p + i) == needle));
  }
  if (i < n) {  // last vector overlapping: count only its new bytes
    const std::size_t fresh = n - i;
    k += lane_count(to_mask<A>(bytes<A>::load_unaligned(p + n - w) == needle) >> ((w - fresh) << lane_shift<A>));
  }
  return k;
}

/// True when every byte of d is zero: one test instruction and a branch
/// (VPTESTMB into a mask on AVX-512BW, VPTEST on AVX2, a compare and
/// PMOVMSKB on SSE2, a maximum across the vector on NEON).
template <class A>
ELECTRON_ALWAYS_INLINE bool all_zero(const bytes<A>& d) noexcept {
#if ELECTRON_ARCH_X86
  if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
    return _mm512_test_epi8_mask(d.data, d.data) == 0;
  } else if constexpr (std::is_same_v<A, xsimd::avx2>) {
    return _mm256_testz_si256(d.data, d.data) != 0;
  } else {
    return _mm_movemask_epi8(_mm_cmpeq_epi8(d.data, _mm_setzero_si128())) == 0xFFFF;
  }
#else
  return vmaxvq_u8(d.data) == 0;
#endif
}

template <class A>
bool equal_impl(const byte* a, const byte* b, std::size_t n) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  if (n < w) {
#if ELECTRON_ARCH_X86
    if constexpr (std::is_same_v<A, xsimd::avx512bw>) {
      const __mmask64 live = (__mmask64{1} << n) - 1;
      return _mm512_mask_cmpneq_epi8_mask(live, _mm512_maskz_loadu_epi8(live, a), _mm512_maskz_loadu_epi8(live, b)) ==
             0;
    }
#endif
    return equal(scalar_arch{}, a, b, n);
  }
  std::size_t i = 0;
  if (n >= 8 * w) {
    // The first vector, then a's vectors from its next w-aligned address
    // on: half the loads at most straddle two cache lines (b's, unless b
    // is aligned the same way).
    if (!all_zero<A>(bytes<A>::load_unaligned(a) ^ bytes<A>::load_unaligned(b))) return false;
    i = w - (reinterpret_cast<std::uintptr_t>(a) & (w - 1));
  }
  // Four vectors per step: XOR each pair, OR the four differences, one test
  // and one branch (no compare per vector).
  for (; i + 4 * w <= n; i += 4 * w) {
    const bytes<A> d0 = bytes<A>::load_unaligned(a + i) ^ bytes<A>::load_unaligned(b + i);
    const bytes<A> d1 = bytes<A>::load_unaligned(a + i + w) ^ bytes<A>::load_unaligned(b + i + w);
    const bytes<A> d2 = bytes<A>::load_unaligned(a + i + 2 * w) ^ bytes<A>::load_unaligned(b + i + 2 * w);
    const bytes<A> d3 = bytes<A>::load_unaligned(a + i + 3 * w) ^ bytes<A>::load_unaligned(b + i + 3 * w);
    if (!all_zero<A>((d0 | d1) | (d2 | d3))) return false;
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
      const std::size_t at = i + first_lane<A>(cand);
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
#if ELECTRON_ARCH_X86
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
  }
#endif
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

template <class A>
std::size_t index_any_long(const byte* p, std::size_t n, const set_matcher<A>& match) noexcept {
  constexpr std::size_t w = bytes<A>::size;
  std::size_t i = 0;
  for (; i + w <= n; i += w) {
    if (const std::uint64_t m = to_mask<A>(match.vec(bytes<A>::load_unaligned(p + i)))) return i + first_lane<A>(m);
  }
  if (i < n) {  // last vector, overlapping bytes that did not match
    if (const std::uint64_t m = to_mask<A>(match.vec(bytes<A>::load_unaligned(p + n - w)))) {
      return n - w + first_lane<A>(m);
    }
  }
  return npos;
}

template <class A>
ELECTRON_ALWAYS_INLINE std::size_t index_any_impl(const byte* p, std::size_t n, const byte* set,
                                                  std::size_t k) noexcept {
  if (k == 0) return npos;
  if (k > max_vector_set) return index_any(scalar_arch{}, p, n, set, k);
  // Not the short path of index_byte: with one compare per member per
  // vector it cost more than it saved (random 4-160 B lines: 27 -> 45 ns on
  // AVX2 with clang; fixed 64 B: 2 -> 25 ns on AVX-512), so short inputs
  // stay scalar here.
  if (n < bytes<A>::size) return index_any(scalar_arch{}, p, n, set, k);
  return index_any_long<A>(p, n, set_matcher<A>(set, k));
}

template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t index_any(Arch, const byte* p, std::size_t n, const byte* set,
                                             std::size_t k) noexcept {
  return index_any_impl<byte_arch<Arch>>(p, n, set, k);
}

// space_scan: the whitespace bytes of a 64-byte block (16 on NEON, whose
// to_mask keeps one bit per nibble) as one bit mask, so that a fields loop
// finds each field's start and end with a count of trailing zeros instead of
// a data-dependent branch per byte. Space is ' ' or \t..\r (an unsigned
// range test: min(v - 9, 4) == v - 9).
template <class A>
ELECTRON_ALWAYS_INLINE std::uint64_t space_lanes(const byte* p) noexcept {
  const bytes<A> v = bytes<A>::load_unaligned(p);
  const bytes<A> r = v - bytes<A>(static_cast<byte>('\t'));
  return to_mask<A>((v == bytes<A>(static_cast<byte>(' '))) | (xsimd::min(r, bytes<A>(static_cast<byte>(4))) == r));
}

template <class Arch>
struct space_scan {
  using A = byte_arch<Arch>;
  /// log2 of the bits per byte in a mask.
  static constexpr int shift = lane_shift<A>;
  /// Bytes a block covers.
  static constexpr std::size_t block = 64u >> shift;
  static constexpr std::uint64_t all = shift == 0 ? ~std::uint64_t{0} : 0x1111111111111111u;

  /// The whitespace bits of [p, p + min(block, last - p)) (byte k at bit
  /// k << shift) and, through valid, the bits inside the text. Reads only
  /// [first, last), first <= p < last.
  static ELECTRON_ALWAYS_INLINE std::uint64_t load(const byte* p, const byte* first, const byte* last,
                                                   std::uint64_t& valid) noexcept {
    const auto avail = static_cast<std::size_t>(last - p);
    if (avail >= block) {
      valid = all;
      return full(p);
    }
    if (static_cast<std::size_t>(last - first) >= block) {  // the block that ends at last, shifted down
      const std::size_t drop = (block - avail) << shift;
      valid = all >> drop;
      return full(last - block) >> drop;
    }
    std::uint64_t m = 0;  // a text shorter than a block: byte by byte, without branches
    for (std::size_t k = 0; k < avail; ++k) {
      const byte c = p[k];
      m |= static_cast<std::uint64_t>(c == ' ' || static_cast<byte>(c - '\t') <= 4) << (k << shift);
    }
    valid = all >> ((block - avail) << shift);
    return m;
  }

 private:
  static ELECTRON_ALWAYS_INLINE std::uint64_t full(const byte* p) noexcept {
    constexpr std::size_t w = bytes<A>::size;
    if constexpr (w >= block) {
      return space_lanes<A>(p);
    } else {
      std::uint64_t m = 0;
      for (std::size_t k = 0; k < block / w; ++k) m |= space_lanes<A>(p + k * w) << (k * w);
      return m;
    }
  }
};

template <vector_arch Arch>
bool equal(Arch, const byte* a, const byte* b, std::size_t n) noexcept {
  return equal_impl<byte_arch<Arch>>(a, b, n);
}
template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t index_byte(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return index_byte_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t index_byte_near(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return index_byte_near_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t last_index_byte(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return last_index_byte_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
ELECTRON_ALWAYS_INLINE std::size_t count(Arch, const byte* p, std::size_t n, byte c) noexcept {
  return count_impl<byte_arch<Arch>>(p, n, c);
}
template <vector_arch Arch>
std::size_t find(Arch, const byte* h, std::size_t n, const byte* s, std::size_t m) noexcept {
  return find_impl<byte_arch<Arch>>(h, n, s, m);
}
#endif  // ELECTRON_SIMD_BYTE_KERNELS

/// The architecture the public functions use for byte kernels: the SIMD one
/// on x86 and AArch64, the scalar twins elsewhere.
#if ELECTRON_SIMD_BYTE_KERNELS
using kernel_arch = electron::detail::default_arch;
#else
using kernel_arch = scalar_arch;
#endif

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_BYTE_KERNELS_HPP
