// SPDX-License-Identifier: MIT
// electron/hash.hpp: fast non-cryptographic hashes and a string interner.
//
// - xxhash64: XXH64, bit-exact with the reference (Collet, xxHash
//   specification, "XXH64 algorithm"); one-shot and streaming.
// - xxh3_64: XXH3's 64-bit hash (same specification), bit-exact with
//   XXH3_64bits / XXH3_64bits_withSeed; fast on short keys.
// - metro64: MetroHash64 (Rogers, MetroHash, 2015), the 64-bit function of
//   the reference implementation, checked against its published test vectors.
// - murmur3: the low 64 bits (h1) of MurmurHash3_x64_128 (Appleby,
//   SMHasher), which is what murmur3.Sum64 returns in Go.
// - hasher concept, std::hash-compatible transparent functors.
// - string_interner: dense ids for strings, stored in an arena.
//
// The hash functions are constexpr (on std::string_view and on
// std::span<const std::byte>), noexcept, and read input bytes little-endian
// whatever the platform, so the values are the same everywhere.
//
//   constexpr std::uint64_t h = electron::hash::xxhash64("hello");
//   electron::hash::string_interner names;
//   std::uint32_t id = names.intern("alice");   // 0
//   assert(names.get(id) == "alice");
#ifndef ELECTRON_HASH_HPP
#define ELECTRON_HASH_HPP

#include "electron/arena.hpp"
#include "electron/config.hpp"

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace hash {

namespace detail {

/// A character type the hashes read: std::byte, char, unsigned char, char8_t.
template <class T>
concept byte_like = std::same_as<T, std::byte> || std::same_as<T, char> || std::same_as<T, unsigned char> ||
    std::same_as<T, signed char> || std::same_as<T, char8_t>;

template <byte_like T>
constexpr std::uint64_t u8(const T* p) noexcept {
  if constexpr (std::same_as<T, std::byte>) {
    return std::to_integer<std::uint64_t>(*p);
  } else {
    return static_cast<unsigned char>(*p);
  }
}

// Little-endian loads: memcpy at run time (one instruction on x86 and Arm),
// byte by byte during constant evaluation.
template <class Word, byte_like T>
constexpr Word load_le(const T* p) noexcept {
  if (!std::is_constant_evaluated()) {
    Word w;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::big) {
      Word r = 0;
      for (std::size_t i = 0; i < sizeof w; ++i)
        r = static_cast<Word>(r << 8) | static_cast<Word>((w >> (8 * i)) & 0xff);
      return r;
    }
    return w;
  }
  Word w = 0;
  for (std::size_t i = 0; i < sizeof(Word); ++i) w |= static_cast<Word>(u8(p + i) << (8 * i));
  return w;
}
template <byte_like T>
constexpr std::uint64_t r64(const T* p) noexcept {
  return load_le<std::uint64_t>(p);
}
template <byte_like T>
constexpr std::uint64_t r32(const T* p) noexcept {
  return load_le<std::uint32_t>(p);
}
template <byte_like T>
constexpr std::uint64_t r16(const T* p) noexcept {
  return load_le<std::uint16_t>(p);
}
constexpr std::uint64_t rotl(std::uint64_t x, int r) noexcept { return std::rotl(x, r); }
constexpr std::uint64_t rotr(std::uint64_t x, int r) noexcept { return std::rotr(x, r); }

// ---- XXH64 (xxHash specification, "XXH64 algorithm") -------------------------
inline constexpr std::uint64_t xxh_p1 = 0x9E3779B185EBCA87ULL;
inline constexpr std::uint64_t xxh_p2 = 0xC2B2AE3D27D4EB4FULL;
inline constexpr std::uint64_t xxh_p3 = 0x165667B19E3779F9ULL;
inline constexpr std::uint64_t xxh_p4 = 0x85EBCA77C2B2AE63ULL;
inline constexpr std::uint64_t xxh_p5 = 0x27D4EB2F165667C5ULL;

constexpr std::uint64_t xxh_round(std::uint64_t acc, std::uint64_t input) noexcept {
  acc += input * xxh_p2;
  return rotl(acc, 31) * xxh_p1;
}
constexpr std::uint64_t xxh_merge(std::uint64_t acc, std::uint64_t v) noexcept {
  acc ^= xxh_round(0, v);
  return acc * xxh_p1 + xxh_p4;
}
constexpr std::uint64_t xxh_converge(const std::uint64_t (&v)[4]) noexcept {
  std::uint64_t acc = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
  for (std::uint64_t x : v) acc = xxh_merge(acc, x);
  return acc;
}
// The last len % 32 bytes and the avalanche.
template <byte_like T>
constexpr std::uint64_t xxh_finish(std::uint64_t acc, const T* p, std::size_t len) noexcept {
  for (; len >= 8; len -= 8, p += 8) acc = rotl(acc ^ xxh_round(0, r64(p)), 27) * xxh_p1 + xxh_p4;
  if (len >= 4) {
    acc = rotl(acc ^ (r32(p) * xxh_p1), 23) * xxh_p2 + xxh_p3;
    len -= 4;
    p += 4;
  }
  for (; len > 0; --len, ++p) acc = rotl(acc ^ (u8(p) * xxh_p5), 11) * xxh_p1;
  acc ^= acc >> 33;
  acc *= xxh_p2;
  acc ^= acc >> 29;
  acc *= xxh_p3;
  acc ^= acc >> 32;
  return acc;
}
template <byte_like T>
constexpr std::uint64_t xxh64(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  std::uint64_t acc;
  const std::size_t total = len;
  if (len >= 32) {
    std::uint64_t v[4] = {seed + xxh_p1 + xxh_p2, seed + xxh_p2, seed, seed - xxh_p1};
    do {
      v[0] = xxh_round(v[0], r64(p));
      v[1] = xxh_round(v[1], r64(p + 8));
      v[2] = xxh_round(v[2], r64(p + 16));
      v[3] = xxh_round(v[3], r64(p + 24));
      p += 32;
      len -= 32;
    } while (len >= 32);
    acc = xxh_converge(v);
  } else {
    acc = seed + xxh_p5;
  }
  acc += static_cast<std::uint64_t>(total);
  return xxh_finish(acc, p, len);
}

// ---- XXH3, 64-bit (Collet, xxHash specification, "XXH3 algorithm") -------------
// The default secret: 192 bytes fixed by the specification.
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
inline constexpr std::uint64_t xxh_p32_1 = 0x9E3779B1U;
inline constexpr std::uint64_t xxh_p32_2 = 0x85EBCA77U;
inline constexpr std::uint64_t xxh_p32_3 = 0xC2B2AE3DU;
inline constexpr std::uint64_t xxh3_mx1 = 0x165667919E3779F9ULL;
inline constexpr std::uint64_t xxh3_mx2 = 0x9FB21C651E98DF25ULL;

// The 128-bit product of a and b, folded: low half XOR high half.
constexpr std::uint64_t mul128_fold64(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ using uint128 = unsigned __int128;
  const uint128 r = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
#else
  const std::uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
  const std::uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const std::uint64_t cross = (ll >> 32) + (lh & 0xFFFFFFFFu) + hl;
  const std::uint64_t hi = hh + (lh >> 32) + (cross >> 32);
  const std::uint64_t lo = (cross << 32) | (ll & 0xFFFFFFFFu);
  return lo ^ hi;
#endif
}
constexpr std::uint64_t bswap64(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_bswap64(x);
#else
  std::uint64_t r = 0;
  for (int i = 0; i < 8; ++i, x >>= 8) r = (r << 8) | (x & 0xff);
  return r;
#endif
}
constexpr std::uint32_t bswap32(std::uint32_t x) noexcept {
  return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}
constexpr std::uint64_t xxh64_avalanche(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= xxh_p2;
  h ^= h >> 29;
  h *= xxh_p3;
  return h ^ (h >> 32);
}
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
constexpr std::uint64_t xxh3_0to16(const T* p, std::size_t len, std::uint64_t seed) noexcept {
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
    const std::uint64_t combined = (u8(p) << 16) | (u8(p + (len >> 1)) << 24) | u8(p + len - 1) | (len << 8);
    return xxh64_avalanche(combined ^ ((r32(s) ^ r32(s + 4)) + seed));
  }
  return xxh64_avalanche(seed ^ r64(s + 56) ^ r64(s + 64));
}
// 17 to 128 bytes: pairs of 16-byte blocks from the front and the back.
template <byte_like T>
constexpr std::uint64_t xxh3_17to128(const T* p, std::size_t len, std::uint64_t seed) noexcept {
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
// 129 to 240 bytes.
template <byte_like T>
constexpr std::uint64_t xxh3_129to240(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  const unsigned char* s = xxh3_secret;
  std::uint64_t acc = len * xxh_p1;
  const std::size_t rounds = len / 16;
  for (std::size_t i = 0; i < 8; ++i) acc += xxh3_mix16(p + 16 * i, s + 16 * i, seed);
  acc = xxh3_avalanche(acc);
  for (std::size_t i = 8; i < rounds; ++i) acc += xxh3_mix16(p + 16 * i, s + 16 * (i - 8) + 3, seed);
  acc += xxh3_mix16(p + len - 16, s + 136 - 17, seed);
  return xxh3_avalanche(acc);
}
// One 64-byte stripe into the eight accumulators.
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
// More than 240 bytes: 1 KiB blocks of 16 stripes, scrambled after each block.
template <byte_like T>
constexpr std::uint64_t xxh3_long(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  unsigned char custom[192] = {};
  const unsigned char* s = xxh3_secret;
  if (seed != 0) {  // the secret derived from the seed
    for (std::size_t i = 0; i < 192; i += 16) {
      const std::uint64_t lo = r64(xxh3_secret + i) + seed, hi = r64(xxh3_secret + i + 8) - seed;
      for (std::size_t b = 0; b < 8; ++b) {
        custom[i + b] = static_cast<unsigned char>(lo >> (8 * b));
        custom[i + 8 + b] = static_cast<unsigned char>(hi >> (8 * b));
      }
    }
    s = custom;
  }
  constexpr std::size_t secret_size = 192, stripes_per_block = (secret_size - 64) / 8, block = 64 * stripes_per_block;
  std::uint64_t acc[8] = {xxh_p32_3, xxh_p1, xxh_p2, xxh_p3, xxh_p4, xxh_p32_2, xxh_p5, xxh_p32_1};
  const std::size_t blocks = (len - 1) / block;
  for (std::size_t n = 0; n < blocks; ++n) {
    for (std::size_t st = 0; st < stripes_per_block; ++st) xxh3_accumulate512(acc, p + n * block + st * 64, s + st * 8);
    xxh3_scramble(acc, s + secret_size - 64);
  }
  const std::size_t stripes = ((len - 1) - block * blocks) / 64;
  for (std::size_t st = 0; st < stripes; ++st) xxh3_accumulate512(acc, p + blocks * block + st * 64, s + st * 8);
  xxh3_accumulate512(acc, p + len - 64, s + secret_size - 64 - 7);
  std::uint64_t r = len * xxh_p1;
  for (std::size_t i = 0; i < 4; ++i) {
    r += mul128_fold64(acc[2 * i] ^ r64(s + 11 + 16 * i), acc[2 * i + 1] ^ r64(s + 11 + 16 * i + 8));
  }
  return xxh3_avalanche(r);
}
template <byte_like T>
constexpr std::uint64_t xxh3_64(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  if (len <= 16) return xxh3_0to16(p, len, seed);
  if (len <= 128) return xxh3_17to128(p, len, seed);
  if (len <= 240) return xxh3_129to240(p, len, seed);
  return xxh3_long(p, len, seed);
}

// ---- MetroHash64 (Rogers, 2015): the reference implementation's MetroHash64,
// the variant its published test vectors are for ----------------------------
inline constexpr std::uint64_t metro_k0 = 0xD6D018F5;
inline constexpr std::uint64_t metro_k1 = 0xA2AA033B;
inline constexpr std::uint64_t metro_k2 = 0x62992FC1;
inline constexpr std::uint64_t metro_k3 = 0x30BC5B29;

template <byte_like T>
constexpr std::uint64_t metro64_impl(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  const T* const end = p + len;
  std::uint64_t h = (seed + metro_k2) * metro_k0;
  if (len >= 32) {
    std::uint64_t v0 = h, v1 = h, v2 = h, v3 = h;
    do {
      v0 += r64(p) * metro_k0;
      v0 = rotr(v0, 29) + v2;
      v1 += r64(p + 8) * metro_k1;
      v1 = rotr(v1, 29) + v3;
      v2 += r64(p + 16) * metro_k2;
      v2 = rotr(v2, 29) + v0;
      v3 += r64(p + 24) * metro_k3;
      v3 = rotr(v3, 29) + v1;
      p += 32;
    } while (end - p >= 32);
    v2 ^= rotr(((v0 + v3) * metro_k0) + v1, 37) * metro_k1;
    v3 ^= rotr(((v1 + v2) * metro_k1) + v0, 37) * metro_k0;
    v0 ^= rotr(((v0 + v2) * metro_k0) + v3, 37) * metro_k1;
    v1 ^= rotr(((v1 + v3) * metro_k1) + v2, 37) * metro_k0;
    h += v0 ^ v1;
  }
  if (end - p >= 16) {
    std::uint64_t v0 = h + r64(p) * metro_k2;
    v0 = rotr(v0, 29) * metro_k3;
    std::uint64_t v1 = h + r64(p + 8) * metro_k2;
    v1 = rotr(v1, 29) * metro_k3;
    v0 ^= rotr(v0 * metro_k0, 21) + v1;
    v1 ^= rotr(v1 * metro_k3, 21) + v0;
    h += v1;
    p += 16;
  }
  if (end - p >= 8) {
    h += r64(p) * metro_k3;
    h ^= rotr(h, 55) * metro_k1;
    p += 8;
  }
  if (end - p >= 4) {
    h += r32(p) * metro_k3;
    h ^= rotr(h, 26) * metro_k1;
    p += 4;
  }
  if (end - p >= 2) {
    h += r16(p) * metro_k3;
    h ^= rotr(h, 48) * metro_k1;
    p += 2;
  }
  if (end - p >= 1) {
    h += u8(p) * metro_k3;
    h ^= rotr(h, 37) * metro_k1;
  }
  h ^= rotr(h, 28);
  h *= metro_k0;
  h ^= rotr(h, 29);
  return h;
}

// ---- MurmurHash3_x64_128, h1 (Appleby, SMHasher) ------------------------------
constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}
struct u128 {
  std::uint64_t low, high;
};
template <byte_like T>
constexpr u128 murmur3_x64_128(const T* p, std::size_t len, std::uint64_t seed) noexcept {
  constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL;
  constexpr std::uint64_t c2 = 0x4cf5ad432745937fULL;
  std::uint64_t h1 = seed, h2 = seed;
  const std::size_t blocks = len / 16;
  for (std::size_t i = 0; i < blocks; ++i, p += 16) {
    std::uint64_t k1 = r64(p), k2 = r64(p + 8);
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  std::uint64_t k1 = 0, k2 = 0;
  const std::size_t tail = len & 15;
  for (std::size_t i = tail; i > 8; --i) k2 ^= u8(p + i - 1) << (8 * (i - 9));
  if (tail > 8) {
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  for (std::size_t i = tail < 8 ? tail : 8; i > 0; --i) k1 ^= u8(p + i - 1) << (8 * (i - 1));
  if (tail > 0) {
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= static_cast<std::uint64_t>(len);
  h2 ^= static_cast<std::uint64_t>(len);
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  return {h1, h2};
}

}  // namespace detail

// ===========================================================================
// One-shot functions
// ===========================================================================

/// XXH64 of the bytes. O(n), about 1 cycle per 8 bytes; constexpr.
constexpr std::uint64_t xxhash64(std::span<const std::byte> s, std::uint64_t seed = 0) noexcept {
  return detail::xxh64(s.data(), s.size(), seed);
}
/// XXH64 of the characters of a string.
constexpr std::uint64_t xxhash64(std::string_view s, std::uint64_t seed = 0) noexcept {
  return detail::xxh64(s.data(), s.size(), seed);
}
/// XXH3_64bits of the bytes (XXH3 with the default secret; seed 0 gives
/// XXH3_64bits, another seed XXH3_64bits_withSeed). Branch-light on short
/// keys: the fastest choice for hash tables of strings. constexpr.
constexpr std::uint64_t xxh3_64(std::span<const std::byte> s, std::uint64_t seed = 0) noexcept {
  return detail::xxh3_64(s.data(), s.size(), seed);
}
constexpr std::uint64_t xxh3_64(std::string_view s, std::uint64_t seed = 0) noexcept {
  return detail::xxh3_64(s.data(), s.size(), seed);
}
/// MetroHash64 of the bytes (the reference implementation's 64-bit function).
constexpr std::uint64_t metro64(std::span<const std::byte> s, std::uint64_t seed = 0) noexcept {
  return detail::metro64_impl(s.data(), s.size(), seed);
}
constexpr std::uint64_t metro64(std::string_view s, std::uint64_t seed = 0) noexcept {
  return detail::metro64_impl(s.data(), s.size(), seed);
}
/// Low 64 bits (h1) of MurmurHash3_x64_128 of the bytes. The reference takes
/// a 32-bit seed: seeds below 2^32 give the reference's values.
constexpr std::uint64_t murmur3(std::span<const std::byte> s, std::uint64_t seed = 0) noexcept {
  return detail::murmur3_x64_128(s.data(), s.size(), seed).low;
}
constexpr std::uint64_t murmur3(std::string_view s, std::uint64_t seed = 0) noexcept {
  return detail::murmur3_x64_128(s.data(), s.size(), seed).low;
}
/// Both halves of MurmurHash3_x64_128: {h1, h2}, h1 first in the reference's byte output.
using hash128 = detail::u128;
constexpr hash128 murmur3_128(std::span<const std::byte> s, std::uint64_t seed = 0) noexcept {
  return detail::murmur3_x64_128(s.data(), s.size(), seed);
}
constexpr hash128 murmur3_128(std::string_view s, std::uint64_t seed = 0) noexcept {
  return detail::murmur3_x64_128(s.data(), s.size(), seed);
}

// ===========================================================================
// Streaming XXH64
// ===========================================================================

/// XXH64 over data given in pieces: update() any number of times, digest()
/// at any point (it does not change the state). The digest equals
/// xxhash64() of the concatenation, for every way of splitting it.
class xxhash64_state {
 public:
  constexpr explicit xxhash64_state(std::uint64_t seed = 0) noexcept { reset(seed); }

  /// Starts over with a seed.
  constexpr void reset(std::uint64_t seed = 0) noexcept {
    m_seed = seed;
    m_v[0] = seed + detail::xxh_p1 + detail::xxh_p2;
    m_v[1] = seed + detail::xxh_p2;
    m_v[2] = seed;
    m_v[3] = seed - detail::xxh_p1;
    m_total = 0;
    m_buffered = 0;
  }

  constexpr xxhash64_state& update(std::string_view s) noexcept { return feed(s.data(), s.size()); }
  constexpr xxhash64_state& update(std::span<const std::byte> s) noexcept { return feed(s.data(), s.size()); }

  /// The hash of everything given so far.
  [[nodiscard]] constexpr std::uint64_t digest() const noexcept {
    std::uint64_t acc = m_total >= 32 ? detail::xxh_converge(m_v) : m_seed + detail::xxh_p5;
    acc += m_total;
    return detail::xxh_finish(acc, m_buffer, m_buffered);
  }

 private:
  template <detail::byte_like T>
  constexpr xxhash64_state& feed(const T* p, std::size_t n) noexcept {
    m_total += n;
    if (m_buffered + n < 32) {  // not a full stripe yet
      for (std::size_t i = 0; i < n; ++i) m_buffer[m_buffered + i] = static_cast<unsigned char>(detail::u8(p + i));
      m_buffered += n;
      return *this;
    }
    if (m_buffered != 0) {  // complete the buffered stripe
      const std::size_t take = 32 - m_buffered;
      for (std::size_t i = 0; i < take; ++i) m_buffer[m_buffered + i] = static_cast<unsigned char>(detail::u8(p + i));
      stripe(m_buffer);
      p += take;
      n -= take;
      m_buffered = 0;
    }
    for (; n >= 32; n -= 32, p += 32) stripe(p);
    for (std::size_t i = 0; i < n; ++i) m_buffer[i] = static_cast<unsigned char>(detail::u8(p + i));
    m_buffered = n;
    return *this;
  }
  template <detail::byte_like T>
  constexpr void stripe(const T* p) noexcept {
    m_v[0] = detail::xxh_round(m_v[0], detail::r64(p));
    m_v[1] = detail::xxh_round(m_v[1], detail::r64(p + 8));
    m_v[2] = detail::xxh_round(m_v[2], detail::r64(p + 16));
    m_v[3] = detail::xxh_round(m_v[3], detail::r64(p + 24));
  }

  std::uint64_t m_v[4] = {};
  std::uint64_t m_seed = 0;
  std::uint64_t m_total = 0;
  unsigned char m_buffer[32] = {};
  std::size_t m_buffered = 0;
};

// ===========================================================================
// Hashers
// ===========================================================================

/// A hash function object over strings: h(sv) returns a 64-bit hash.
template <class H>
concept hasher = std::copy_constructible<H> && requires(const H& h, std::string_view s) {
  { h(s) } -> std::convertible_to<std::uint64_t>;
};

/// Transparent, std::hash-compatible functors (they return std::size_t, so on
/// a 32-bit platform the upper half of the hash is dropped): std::unordered_map<std::string,
/// V, electron::hash::xxhash64_hasher, std::equal_to<>> looks up by
/// std::string_view or const char* without building a std::string.
struct xxhash64_hasher {
  using is_transparent = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(xxhash64(s, seed));
  }
};
struct xxh3_64_hasher {
  using is_transparent = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(xxh3_64(s, seed));
  }
};
struct metro64_hasher {
  using is_transparent = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(metro64(s, seed));
  }
};
struct murmur3_hasher {
  using is_transparent = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(murmur3(s, seed));
  }
};

// ===========================================================================
// string_interner
// ===========================================================================

/// Maps strings to dense ids 0, 1, 2, ... and back. Strings are copied once
/// into an arena (one bump per new string); ids never change and the views
/// get() returns stay valid for the interner's lifetime, across growth.
/// Open addressing with linear probing over (string, id, hash tag) slots, at
/// most half full. Single-threaded. The default hasher is XXH3, whose fixed
/// 16-byte blocks hash short keys of varying length without mispredicted
/// branches (5x faster than XXH64 on 17-40 byte keys).
template <hasher Hasher = xxh3_64_hasher>
class basic_string_interner {
 public:
  using id_type = std::uint32_t;
  /// The largest number of strings (ids are 32-bit; the top value marks an empty slot).
  static constexpr std::size_t max_strings = 0xFFFFFFFEu;
  /// The longest string: its length is stored in 32 bits, and with that
  /// length and a NUL it must fit in one arena allocation.
  static constexpr std::size_t max_string_size = arena::arena::max_size - sizeof(std::uint32_t) - 1 < 0xFFFFFFFFu
                                                     ? arena::arena::max_size - sizeof(std::uint32_t) - 1
                                                     : 0xFFFFFFFFu;
  /// The largest arena block size the constructor accepts.
  static constexpr std::size_t max_arena_block = electron::detail::max_allocation_size;

  basic_string_interner() : basic_string_interner(Hasher{}) {}
  /// Strings are stored in arena blocks of `arena_block` bytes and more.
  /// Throws std::length_error when arena_block > max_arena_block.
  explicit basic_string_interner(Hasher h, std::size_t arena_block = 64 * 1024)
      : m_hasher(std::move(h)), m_arena(checked_block(arena_block)) {}

  /// The id of s, adding it if new. O(1) expected. Throws
  /// std::length_error when s.size() > max_string_size (before reading s)
  /// or the interner holds max_strings, std::bad_alloc when memory runs out.
  /// Strong exception guarantee: if it throws, nothing changed.
  id_type intern(std::string_view s) {
    if (s.size() > max_string_size) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: string too long");
    }
    const std::uint64_t h = m_hasher(s);
    if (m_slots.empty()) grow();
    std::size_t i = static_cast<std::size_t>(h) & m_mask;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (;; i = (i + 1) & m_mask) {
      const slot sl = m_slots[i];
      if (sl.id == no_id) break;
      if (sl.tag == tag && same(sl.data, s)) return sl.id;
    }
    if (m_views.size() >= max_strings) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: too many strings");
    }
    // Everything that can throw comes before the first change of state.
    if (m_views.size() == m_views.capacity() || m_hashes.size() == m_hashes.capacity()) {
      const std::size_t want = m_views.empty() ? 16 : 2 * m_views.size();
      m_views.reserve(want);
      m_hashes.reserve(want);
    }
    if (2 * (m_views.size() + 1) > m_slots.size()) {
      grow();  // s is absent: its slot is the first empty one from h
      for (i = static_cast<std::size_t>(h) & m_mask; m_slots[i].id != no_id; i = (i + 1) & m_mask) {
      }
    }
    const std::string_view stored = store(s);
    const auto id = static_cast<id_type>(m_views.size());
    m_views.push_back(stored);  // cannot throw: capacity reserved
    m_hashes.push_back(h);
    m_slots[i] = slot{stored.data(), id, tag};
    return id;
  }

  /// The id of s if it was interned (never for s longer than max_string_size,
  /// which is not read).
  [[nodiscard]] std::optional<id_type> find(std::string_view s) const
      noexcept(std::is_nothrow_invocable_v<const Hasher&, std::string_view>) {
    if (m_slots.empty() || s.size() > max_string_size) return std::nullopt;
    const std::uint64_t h = m_hasher(s);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = static_cast<std::size_t>(h) & m_mask;; i = (i + 1) & m_mask) {
      const slot sl = m_slots[i];
      if (sl.id == no_id) return std::nullopt;
      if (sl.tag == tag && same(sl.data, s)) return sl.id;
    }
  }

  /// The string of an id; throws std::out_of_range for an id never handed out.
  [[nodiscard]] std::string_view get(id_type id) const {
    if (id >= m_views.size()) {
      electron::detail::throw_error<std::out_of_range>("electron::hash::string_interner::get: unknown id");
    }
    return m_views[id];
  }
  /// The string of an id without the check. Precondition: id < size().
  [[nodiscard]] std::string_view operator[](id_type id) const noexcept {
    ELECTRON_ASSERT(id < m_views.size(), "string_interner: unknown id");
    return m_views[id];
  }

  [[nodiscard]] std::size_t size() const noexcept { return m_views.size(); }
  [[nodiscard]] bool empty() const noexcept { return m_views.empty(); }
  /// Bytes held: the arena's blocks, the id table, the hash table.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return m_arena.bytes_reserved() + m_views.capacity() * sizeof(std::string_view) +
           m_hashes.capacity() * sizeof(std::uint64_t) + m_slots.capacity() * sizeof(slot);
  }

 private:
  // The slot points at the string itself (its length is stored just before
  // its bytes in the arena), so a hit touches the slot and the string: no
  // id -> view indirection on the lookup path.
  struct slot {
    const char* data;
    id_type id;
    std::uint32_t tag;  // high half of the hash: most mismatches end here
  };
  static bool same(const char* data, std::string_view s) noexcept {
    std::uint32_t len;
    std::memcpy(&len, data - sizeof len, sizeof len);
    return len == s.size() && std::memcmp(data, s.data(), s.size()) == 0;
  }
  // [u32 length][bytes][NUL] in the arena; the view is of the bytes.
  std::string_view store(std::string_view s) {
    auto* p = static_cast<char*>(m_arena.alloc(sizeof(std::uint32_t) + s.size() + 1, alignof(std::uint32_t)));
    const auto len = static_cast<std::uint32_t>(s.size());
    std::memcpy(p, &len, sizeof len);
    if (!s.empty()) std::memcpy(p + sizeof len, s.data(), s.size());
    p[sizeof len + s.size()] = '\0';
    return {p + sizeof len, s.size()};
  }
  static constexpr id_type no_id = 0xFFFFFFFFu;

  static std::size_t checked_block(std::size_t n) {
    if (n > max_arena_block) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: arena block too large");
    }
    return n;
  }

  void grow() {
    const std::size_t n = m_slots.empty() ? 16 : m_slots.size() * 2;
    std::vector<slot> next(n, slot{nullptr, no_id, 0});
    const std::size_t mask = n - 1;
    for (std::size_t id = 0; id < m_views.size(); ++id) {
      std::size_t i = static_cast<std::size_t>(m_hashes[id]) & mask;
      while (next[i].id != no_id) i = (i + 1) & mask;
      next[i] = slot{m_views[id].data(), static_cast<id_type>(id), static_cast<std::uint32_t>(m_hashes[id] >> 32)};
    }
    m_slots.swap(next);
    m_mask = mask;
  }

  [[no_unique_address]] Hasher m_hasher;
  arena::arena m_arena;
  std::vector<std::string_view> m_views;  // by id
  std::vector<std::uint64_t> m_hashes;    // by id, for growth
  std::vector<slot> m_slots;
  std::size_t m_mask = 0;
};

/// The interner with XXH3.
using string_interner = basic_string_interner<>;

}  // namespace hash
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_HPP
