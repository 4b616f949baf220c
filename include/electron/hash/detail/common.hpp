// SPDX-License-Identifier: MIT
// electron/hash/detail/common.hpp: what the hash functions share: the
// byte-like character types, little-endian loads that also run during
// constant evaluation, rotations, the xxHash primes and the folded 128-bit
// multiply.
#ifndef ELECTRON_HASH_DETAIL_COMMON_HPP
#define ELECTRON_HASH_DETAIL_COMMON_HPP

#include "electron/config.hpp"

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace hash::detail {

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

// The primes of XXH64 (xxHash specification, "XXH64 algorithm"); XXH3 uses them too.
inline constexpr std::uint64_t xxh_p1 = 0x9E3779B185EBCA87ULL;
inline constexpr std::uint64_t xxh_p2 = 0xC2B2AE3D27D4EB4FULL;
inline constexpr std::uint64_t xxh_p3 = 0x165667B19E3779F9ULL;
inline constexpr std::uint64_t xxh_p4 = 0x85EBCA77C2B2AE63ULL;
inline constexpr std::uint64_t xxh_p5 = 0x27D4EB2F165667C5ULL;

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

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_COMMON_HPP
