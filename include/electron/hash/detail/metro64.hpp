// SPDX-License-Identifier: MIT
// electron/hash/detail/metro64.hpp: MetroHash64 (Rogers, MetroHash, 2015), behind
// electron::hash::metro64.
#ifndef ELECTRON_HASH_DETAIL_METRO64_HPP
#define ELECTRON_HASH_DETAIL_METRO64_HPP

#include "electron/config.hpp"
#include "electron/hash/detail/common.hpp"

#include <cstddef>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace hash::detail {

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

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_METRO64_HPP
