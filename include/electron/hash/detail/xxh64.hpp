// SPDX-License-Identifier: MIT
// electron/hash/detail/xxh64.hpp: XXH64 (Collet, xxHash specification, "XXH64 algorithm"), behind
// electron::hash::xxhash64 and xxhash64_state.
#ifndef ELECTRON_HASH_DETAIL_XXH64_HPP
#define ELECTRON_HASH_DETAIL_XXH64_HPP

#include "electron/config.hpp"
#include "electron/hash/detail/common.hpp"

#include <cstddef>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace hash::detail {

// ---- XXH64 (xxHash specification, "XXH64 algorithm") -------------------------
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

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_XXH64_HPP
