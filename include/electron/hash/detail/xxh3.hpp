// SPDX-License-Identifier: MIT
// electron/hash/detail/xxh3.hpp: XXH3, 64-bit (Collet, xxHash specification,
// "XXH3 algorithm"), behind electron::hash::xxh3_64.
//
// Up to 240 bytes the hash is a few multiplies on 16-byte blocks: scalar,
// constexpr code. Longer inputs go through XXH3's stripe loop: 64-byte
// stripes accumulated into eight 64-bit lanes, the lanes scrambled after
// every 1 KiB block. That loop has a scalar twin (constexpr; used during
// constant evaluation and without SIMD) and a vector kernel templated on an
// xsimd architecture, which tests compare on every length and alignment.
#ifndef ELECTRON_HASH_DETAIL_XXH3_HPP
#define ELECTRON_HASH_DETAIL_XXH3_HPP

#include "electron/config.hpp"
#include "electron/detail/simd.hpp"
#include "electron/hash/detail/common.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#if ELECTRON_HAS_SIMD && ELECTRON_ARCH_X86
#include <immintrin.h>
#endif
#if ELECTRON_HAS_SIMD && (defined(__ARM_NEON) || defined(__ARM_NEON__))
#include <arm_neon.h>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace hash::detail {

using electron::detail::scalar_arch;

// ---------------------------------------------------------------------------
// Constants and inputs of up to 240 bytes
// ---------------------------------------------------------------------------
// The default secret: 192 bytes fixed by the specification.
// clang-format off
inline constexpr unsigned char xxh3_secret[192] = {
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c,
    0xf7, 0x21, 0xad, 0x1c, 0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb,
    0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f, 0xcb, 0x79, 0xe6, 0x4e,
    0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
    0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6,
    0x81, 0x3a, 0x26, 0x4c, 0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb,
    0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3, 0x71, 0x64, 0x48, 0x97,
    0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
    0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7,
    0xc7, 0x0b, 0x4f, 0x1d, 0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31,
    0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64, 0xea, 0xc5, 0xac, 0x83,
    0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26,
    0x29, 0xd4, 0x68, 0x9e, 0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc,
    0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce, 0x45, 0xcb, 0x3a, 0x8f,
    0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};
// clang-format on
inline constexpr std::uint64_t xxh_p32_1 = 0x9E3779B1U;
inline constexpr std::uint64_t xxh_p32_2 = 0x85EBCA77U;
inline constexpr std::uint64_t xxh_p32_3 = 0xC2B2AE3DU;
inline constexpr std::uint64_t xxh3_mx1 = 0x165667919E3779F9ULL;
inline constexpr std::uint64_t xxh3_mx2 = 0x9FB21C651E98DF25ULL;

constexpr std::uint64_t xxh3_avalanche(std::uint64_t h) noexcept {
  h ^= h >> 37;
  h *= xxh3_mx1;
  return h ^ (h >> 32);
}
constexpr std::uint64_t xxh3_rrmxmx(std::uint64_t h, std::uint64_t len) noexcept {
  h ^= rotl(h, 49) ^ rotl(h, 24);
  h *= xxh3_mx2;
  h ^= (h >> 35) + len;
  h *= xxh3_mx2;
  return h ^ (h >> 28);
}
template <byte_like T>
constexpr std::uint64_t xxh3_mix16(const T* p, const unsigned char* s, std::uint64_t seed) noexcept {
  return mul128_fold64(r64(p) ^ (r64(s) + seed), r64(p + 8) ^ (r64(s + 8) - seed));
}
// Inputs of 0 to 16 bytes.
template <byte_like T>
ELECTRON_ALWAYS_INLINE constexpr std::uint64_t xxh3_0to16(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  const unsigned char* s = xxh3_secret;
  if (len > 8) {
    const std::uint64_t lo = r64(p) ^ ((r64(s + 24) ^ r64(s + 32)) + seed);
    const std::uint64_t hi = r64(p + len - 8) ^ ((r64(s + 40) ^ r64(s + 48)) - seed);
    return xxh3_avalanche(len + bswap64(lo) + hi + mul128_fold64(lo, hi));
  }
  if (len >= 4) {
    seed ^= static_cast<std::uint64_t>(bswap32(static_cast<std::uint32_t>(seed))) << 32;
    const std::uint64_t in = r32(p + len - 4) + (r32(p) << 32);
    return xxh3_rrmxmx(in ^ ((r64(s + 8) ^ r64(s + 16)) - seed), len);
  }
  if (len > 0) {
    // A 32-bit word, as the specification has it (len < 4 fits in its byte).
    const auto combined =
        static_cast<std::uint32_t>((u8(p) << 16) | (u8(p + (len >> 1)) << 24) | u8(p + len - 1) | (len << 8));
    return xxh64_avalanche(combined ^ ((r32(s) ^ r32(s + 4)) + seed));
  }
  return xxh64_avalanche(seed ^ r64(s + 56) ^ r64(s + 64));
}
// 17 to 128 bytes: pairs of 16-byte blocks from the front and the back.
template <byte_like T>
ELECTRON_ALWAYS_INLINE constexpr std::uint64_t xxh3_17to128(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  const unsigned char* s = xxh3_secret;
  std::uint64_t acc = len * xxh_p1;
  if (len > 32) {
    if (len > 64) {
      if (len > 96) {
        acc += xxh3_mix16(p + 48, s + 96, seed);
        acc += xxh3_mix16(p + len - 64, s + 112, seed);
      }
      acc += xxh3_mix16(p + 32, s + 64, seed);
      acc += xxh3_mix16(p + len - 48, s + 80, seed);
    }
    acc += xxh3_mix16(p + 16, s + 32, seed);
    acc += xxh3_mix16(p + len - 32, s + 48, seed);
  }
  acc += xxh3_mix16(p, s, seed);
  acc += xxh3_mix16(p + len - 16, s + 16, seed);
  return xxh3_avalanche(acc);
}
// 129 to 240 bytes. Out of line: inlined into a caller's loop, its eight
// secret words competed for registers with the short paths' constants (g++
// then reloaded the avalanche multiplier on every 16-byte hash, 0.97x
// XXH3_64bits at 16 B), and the call is small next to 129+ bytes of work.
template <byte_like T>
ELECTRON_NOINLINE constexpr std::uint64_t xxh3_129to240(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  const unsigned char* s = xxh3_secret;
  std::uint64_t acc = len * xxh_p1;
  const std::size_t rounds = len / 16;
  for (std::size_t i = 0; i < 8; ++i) acc += xxh3_mix16(p + 16 * i, s + 16 * i, seed);
  acc = xxh3_avalanche(acc);
  for (std::size_t i = 8; i < rounds; ++i) acc += xxh3_mix16(p + 16 * i, s + 16 * (i - 8) + 3, seed);
  acc += xxh3_mix16(p + len - 16, s + 136 - 17, seed);
  return xxh3_avalanche(acc);
}

// ---------------------------------------------------------------------------
// More than 240 bytes
//
// Layout fixed by the specification: the secret is 192 bytes; a block is 16
// stripes of 64 bytes (stripe i of a block reads the secret from byte 8 i);
// after each block the lanes are scrambled with the secret's last 64 bytes;
// the last stripe of the input (its final 64 bytes, overlapping what came
// before) uses the secret from byte 192 - 64 - 7; the lanes are then merged
// pairwise with the secret from byte 11.
// ---------------------------------------------------------------------------
inline constexpr std::size_t xxh3_secret_size = 192;
inline constexpr std::size_t xxh3_stripe = 64;
inline constexpr std::size_t xxh3_stripes_per_block = (xxh3_secret_size - xxh3_stripe) / 8;
inline constexpr std::size_t xxh3_block = xxh3_stripe * xxh3_stripes_per_block;
inline constexpr std::size_t xxh3_scramble_offset = xxh3_secret_size - xxh3_stripe;
inline constexpr std::size_t xxh3_last_stripe_offset = xxh3_secret_size - xxh3_stripe - 7;
inline constexpr std::size_t xxh3_merge_offset = 11;
// The lanes' starting values.
inline constexpr std::uint64_t xxh3_init_acc[8] = {xxh_p32_3, xxh_p1,    xxh_p2, xxh_p3,
                                                   xxh_p4,    xxh_p32_2, xxh_p5, xxh_p32_1};

// The merge of the eight lanes into the hash.
constexpr std::uint64_t xxh3_merge(const std::uint64_t (&acc)[8], const unsigned char* s, std::size_t len) noexcept {
  std::uint64_t r = len * xxh_p1;
  for (std::size_t i = 0; i < 4; ++i) {
    r += mul128_fold64(acc[2 * i] ^ r64(s + xxh3_merge_offset + 16 * i),
                       acc[2 * i + 1] ^ r64(s + xxh3_merge_offset + 16 * i + 8));
  }
  return xxh3_avalanche(r);
}

// ---- Scalar twin ---------------------------------------------------------------
// One 64-byte stripe into the eight lanes: lane i gets the product of the two
// 32-bit halves of (data ^ secret), and its neighbour i ^ 1 the data itself.
template <byte_like T>
constexpr void xxh3_accumulate512(std::uint64_t (&acc)[8], const T* p, const unsigned char* s) noexcept {
  for (std::size_t i = 0; i < 8; ++i) {
    const std::uint64_t v = r64(p + 8 * i);
    const std::uint64_t k = v ^ r64(s + 8 * i);
    acc[i ^ 1] += v;
    acc[i] += (k & 0xFFFFFFFFu) * (k >> 32);
  }
}
constexpr void xxh3_scramble(std::uint64_t (&acc)[8], const unsigned char* s) noexcept {
  for (std::size_t i = 0; i < 8; ++i) acc[i] = (acc[i] ^ (acc[i] >> 47) ^ r64(s + 8 * i)) * xxh_p32_1;
}
template <byte_like T>
constexpr std::uint64_t xxh3_long(scalar_arch, const T* p, std::size_t len, std::uint64_t seed) noexcept {
  unsigned char custom[xxh3_secret_size] = {};
  const unsigned char* s = xxh3_secret;
  if (seed != 0) {  // the secret derived from the seed: +seed on even words, -seed on odd ones
    for (std::size_t i = 0; i < xxh3_secret_size; i += 16) {
      const std::uint64_t lo = r64(xxh3_secret + i) + seed, hi = r64(xxh3_secret + i + 8) - seed;
      for (std::size_t b = 0; b < 8; ++b) {
        custom[i + b] = static_cast<unsigned char>(lo >> (8 * b));
        custom[i + 8 + b] = static_cast<unsigned char>(hi >> (8 * b));
      }
    }
    s = custom;
  }
  std::uint64_t acc[8] = {};
  for (std::size_t i = 0; i < 8; ++i) acc[i] = xxh3_init_acc[i];
  const std::size_t blocks = (len - 1) / xxh3_block;
  for (std::size_t n = 0; n < blocks; ++n) {
    for (std::size_t st = 0; st < xxh3_stripes_per_block; ++st) {
      xxh3_accumulate512(acc, p + n * xxh3_block + st * xxh3_stripe, s + st * 8);
    }
    xxh3_scramble(acc, s + xxh3_scramble_offset);
  }
  const std::size_t stripes = ((len - 1) - xxh3_block * blocks) / xxh3_stripe;
  for (std::size_t st = 0; st < stripes; ++st) {
    xxh3_accumulate512(acc, p + blocks * xxh3_block + st * xxh3_stripe, s + st * 8);
  }
  xxh3_accumulate512(acc, p + len - xxh3_stripe, s + xxh3_last_stripe_offset);
  return xxh3_merge(acc, s, len);
}

#if ELECTRON_HAS_SIMD
// GCC 12 (before 12.3) implements most unmasked AVX-512 intrinsics with an
// "undefined" pass-through operand, and then reports that operand as used
// uninitialized wherever they are inlined (GCC bug 105593). The kernel
// xxh3_64 runs avoids those intrinsics (see xxh3_ops), which keeps users'
// -Werror builds clean even under LTO; the generic forms, which go through
// xsimd's own AVX-512 shifts and multiplies, are covered by this pragma.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// ---- Vector kernel ---------------------------------------------------------------
// The eight lanes live in 64 / W registers of W bytes. Per stripe and register:
//   k = data ^ secret;  acc += swap_pairs(data) + lo32(k) * hi32(k)
// (swap_pairs exchanges 64-bit lanes 2j and 2j + 1: the data of lane i goes to
// lane i ^ 1). xsimd 8 has neither an unsigned 32x32->64-bit multiply of the
// low halves (PMULUDQ, UMULL) nor a cheap pairwise swap for 64-bit lanes on
// every ISA: `xxh3_ops` below provides both, with intrinsics where the ISA is
// compiled in and xsimd's generic operations otherwise.

// The register width the kernel runs at: AVX-512F for every AVX-512 variant,
// AVX2 for AVX2 and FMA3+AVX2, SSE2 for the other x86 ISAs (AVX1 and FMA4
// have no 256-bit integer operations), the ISA itself elsewhere (NEON).
#if ELECTRON_ARCH_X86
template <class Arch>
using xxh3_lane_arch = std::conditional_t<
    std::is_base_of_v<xsimd::avx512f, Arch>, xsimd::avx512f,
    std::conditional_t<std::is_base_of_v<xsimd::avx2, Arch>, xsimd::avx2,
                       std::conditional_t<std::is_base_of_v<xsimd::sse2, Arch> || std::is_base_of_v<xsimd::avx, Arch>,
                                          xsimd::sse2, Arch>>>;
#else
template <class Arch>
using xxh3_lane_arch = Arch;
#endif

/// The two operations the kernel needs beyond xsimd's. Native = false forces
/// the generic forms (so tests run them on this machine too).
template <class A, bool Native>
struct xxh3_ops {
  using u64v = xsimd::batch<std::uint64_t, A>;
  using u8v = xsimd::batch<std::uint8_t, A>;

  // Loads through a byte pointer: the input has no alignment.
  static ELECTRON_ALWAYS_INLINE u64v load(const unsigned char* p) noexcept {
    return xsimd::bitwise_cast<u64v>(u8v::load_unaligned(p));
  }

  /// lo32(a) * lo32(b) in each 64-bit lane.
  static ELECTRON_ALWAYS_INLINE u64v mul32(const u64v& a, const u64v& b) noexcept {
    if constexpr (Native) {
#if ELECTRON_ARCH_X86 && defined(__AVX512F__)
      if constexpr (std::is_same_v<A, xsimd::avx512f>) return u64v(_mm512_maskz_mul_epu32(all8, a, b));
#endif
#if ELECTRON_ARCH_X86 && defined(__AVX2__)
      if constexpr (std::is_same_v<A, xsimd::avx2>) return u64v(_mm256_mul_epu32(a, b));
#endif
#if ELECTRON_ARCH_X86 && defined(__SSE2__)
      if constexpr (std::is_same_v<A, xsimd::sse2>) return u64v(_mm_mul_epu32(a, b));
#endif
#if defined(__ARM_NEON) || defined(__ARM_NEON__)
      if constexpr (std::is_base_of_v<xsimd::neon, A>) {
        return u64v(vmull_u32(vmovn_u64(a), vmovn_u64(b)));
      }
#endif
    }
    const u64v low(std::uint64_t{0xFFFFFFFFu});
    return (a & low) * (b & low);
  }

  /// Exchanges 64-bit lanes 2j and 2j + 1.
  static ELECTRON_ALWAYS_INLINE u64v swap_pairs(const u64v& v) noexcept {
    if constexpr (Native) {
      // On 32-bit lanes: (1 0 3 2) -> (2 3 0 1), i.e. _MM_SHUFFLE(1, 0, 3, 2).
#if ELECTRON_ARCH_X86 && defined(__AVX512F__)
      if constexpr (std::is_same_v<A, xsimd::avx512f>) {
        return u64v(_mm512_maskz_shuffle_epi32(all16, v, static_cast<_MM_PERM_ENUM>(0x4E)));
      }
#endif
#if ELECTRON_ARCH_X86 && defined(__AVX2__)
      if constexpr (std::is_same_v<A, xsimd::avx2>) return u64v(_mm256_shuffle_epi32(v, 0x4E));
#endif
#if ELECTRON_ARCH_X86 && defined(__SSE2__)
      if constexpr (std::is_same_v<A, xsimd::sse2>) return u64v(_mm_shuffle_epi32(v, 0x4E));
#endif
#if defined(__ARM_NEON) || defined(__ARM_NEON__)
      if constexpr (std::is_base_of_v<xsimd::neon, A>) return u64v(vextq_u64(v, v, 1));
#endif
    }
    alignas(64) std::uint64_t lanes[u64v::size];
    v.store_aligned(lanes);
    for (std::size_t i = 0; i < u64v::size; i += 2) std::swap(lanes[i], lanes[i + 1]);
    return u64v::load_aligned(lanes);
  }

  /// v >> N and v << N on 64-bit lanes.
  template <unsigned N>
  static ELECTRON_ALWAYS_INLINE u64v shift_right(const u64v& v) noexcept {
#if ELECTRON_ARCH_X86 && defined(__AVX512F__)
    if constexpr (Native && std::is_same_v<A, xsimd::avx512f>) return u64v(_mm512_maskz_srli_epi64(all8, v, N));
#endif
    return v >> static_cast<int>(N);
  }
  template <unsigned N>
  static ELECTRON_ALWAYS_INLINE u64v shift_left(const u64v& v) noexcept {
#if ELECTRON_ARCH_X86 && defined(__AVX512F__)
    if constexpr (Native && std::is_same_v<A, xsimd::avx512f>) return u64v(_mm512_maskz_slli_epi64(all8, v, N));
#endif
    return v << static_cast<int>(N);
  }

#if ELECTRON_ARCH_X86 && defined(__AVX512F__)
  // AVX-512: the zero-masked forms with every lane on, which compilers emit
  // as the plain instructions, and which GCC 12 does not warn about (see
  // the pragma above: no pragma reaches warnings issued at LTO time).
  static constexpr __mmask8 all8 = 0xFF;
  static constexpr __mmask16 all16 = 0xFFFF;
#endif
};

template <class A, bool Native>
struct xxh3_vector {
  using ops = xxh3_ops<A, Native>;
  using u64v = typename ops::u64v;
  static constexpr std::size_t lanes = u64v::size;
  static constexpr std::size_t regs = 8 / lanes;  // registers holding the eight lanes
  static_assert(regs * lanes == 8, "a stripe fills whole registers");

  // The lanes go in and out by value: updated through a reference to an
  // array, g++ kept them in memory and reloaded them through the stack
  // between the loops and before the merge.
  using acc_t = std::array<u64v, regs>;
  static ELECTRON_ALWAYS_INLINE acc_t accumulate(acc_t acc, const unsigned char* p, const unsigned char* s) noexcept {
    for (std::size_t r = 0; r < regs; ++r) {
      const u64v data = ops::load(p + 8 * lanes * r);
      const u64v k = data ^ ops::load(s + 8 * lanes * r);
      // One add on the lane's dependency chain per stripe.
      acc[r] += ops::swap_pairs(data) + ops::mul32(k, ops::template shift_right<32>(k));
    }
    return acc;
  }
  // acc * PRIME32_1 as two 32x32 products: lo32(x) * P + (hi32(x) * P << 32).
  static ELECTRON_ALWAYS_INLINE acc_t scramble(acc_t acc, const unsigned char* s) noexcept {
    const u64v prime(xxh_p32_1);
    for (std::size_t r = 0; r < regs; ++r) {
      const u64v x = acc[r] ^ ops::template shift_right<47>(acc[r]) ^ ops::load(s + 8 * lanes * r);
      acc[r] = ops::mul32(x, prime) + ops::template shift_left<32>(ops::mul32(ops::template shift_right<32>(x), prime));
    }
    return acc;
  }
  // The secret derived from a seed: +seed on even 64-bit words, -seed on odd ones.
  static ELECTRON_ALWAYS_INLINE void derive_secret(std::uint64_t* out, std::uint64_t seed) noexcept {
    alignas(64) std::uint64_t pattern[lanes];
    for (std::size_t i = 0; i < lanes; ++i) pattern[i] = i % 2 == 0 ? seed : 0 - seed;
    const u64v add = u64v::load_aligned(pattern);
    for (std::size_t i = 0; i < xxh3_secret_size / 8; i += lanes) {
      (ops::load(xxh3_secret + 8 * i) + add).store_aligned(out + i);
    }
  }

  static std::uint64_t hash_long(const unsigned char* p, std::size_t len, std::uint64_t seed) noexcept {
    alignas(64) std::uint64_t custom[xxh3_secret_size / 8];
    const unsigned char* s = xxh3_secret;
    if (seed != 0) {
      derive_secret(custom, seed);
      s = reinterpret_cast<const unsigned char*>(custom);
    }
    acc_t acc;
    for (std::size_t r = 0; r < regs; ++r) acc[r] = u64v::load_unaligned(xxh3_init_acc + lanes * r);
    const std::size_t blocks = (len - 1) / xxh3_block;
    for (std::size_t n = 0; n < blocks; ++n, p += xxh3_block) {
      for (std::size_t st = 0; st < xxh3_stripes_per_block; ++st) {
        // One block ahead. Measured on a 2 MiB-L2 Xeon: without it the AVX2
        // kernel ran 1 MiB inputs (L2) at 0.90-0.93x libxxhash and every
        // kernel 16 MiB inputs (L3) at 0.90-0.98x; with it, 1.00-1.09x.
        electron::detail::prefetch_read(p + st * xxh3_stripe, xxh3_block);
        acc = accumulate(acc, p + st * xxh3_stripe, s + st * 8);
      }
      acc = scramble(acc, s + xxh3_scramble_offset);
    }
    const std::size_t rest = len - blocks * xxh3_block;  // 1 to 1024 bytes
    const std::size_t stripes = (rest - 1) / xxh3_stripe;
    for (std::size_t st = 0; st < stripes; ++st) acc = accumulate(acc, p + st * xxh3_stripe, s + st * 8);
    acc = accumulate(acc, p + rest - xxh3_stripe, s + xxh3_last_stripe_offset);
    alignas(64) std::uint64_t out[8];
    for (std::size_t r = 0; r < regs; ++r) acc[r].store_aligned(out + lanes * r);
    return xxh3_merge(out, s, len);
  }
};

template <class Arch>
concept xxh3_vector_arch = electron::detail::is_simd_arch<Arch>;

/// XXH3 of more than 240 bytes with the vector kernel for Arch. Native =
/// false: the generic forms of the two shimmed operations.
template <xxh3_vector_arch Arch, bool Native = true>
std::uint64_t xxh3_long(Arch, const unsigned char* p, std::size_t len, std::uint64_t seed) noexcept {
  return xxh3_vector<xxh3_lane_arch<Arch>, Native>::hash_long(p, len, seed);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif  // ELECTRON_HAS_SIMD

/// The architecture xxh3_64 runs the stripe loop with at run time: the best
/// vector ISA the flags allow (lanes are loaded as little-endian words, so
/// big-endian targets take the scalar twin).
using xxh3_kernel_arch =
    std::conditional_t<std::endian::native == std::endian::little, electron::detail::default_arch, scalar_arch>;

// Out of line, so the short-input paths inlined into callers stay small.
ELECTRON_NOINLINE inline std::uint64_t xxh3_long_runtime(const unsigned char* p, std::size_t len,
                                                         std::uint64_t seed) noexcept {
  return xxh3_long(xxh3_kernel_arch{}, p, len, seed);
}

// The paths up to 128 bytes are forced inline into the two entry points
// below, so that the unseeded one folds the secret words (seed 0) into
// constants even where the compiler keeps it out of line: otherwise every
// 8-byte word of input pays an extra add of the seed.
template <byte_like T>
ELECTRON_ALWAYS_INLINE constexpr std::uint64_t xxh3_dispatch(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  if (len <= 16) return xxh3_0to16(p, len, seed);
  if (len <= 128) return xxh3_17to128(p, len, seed);
  if (len <= 240) return xxh3_129to240(p, len, seed);
  if (std::is_constant_evaluated()) return xxh3_long(scalar_arch{}, p, len, seed);
  return xxh3_long_runtime(reinterpret_cast<const unsigned char*>(p), len, seed);
}
template <byte_like T>
constexpr std::uint64_t xxh3_64(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  return xxh3_dispatch(p, len, seed);
}
template <byte_like T>
constexpr std::uint64_t xxh3_64(const T* p, std::size_t len) noexcept {
  return xxh3_dispatch(p, len, 0);
}

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_XXH3_HPP
