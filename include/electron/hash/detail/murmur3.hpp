// SPDX-License-Identifier: MIT
// electron/hash/detail/murmur3.hpp: MurmurHash3_x64_128 (Appleby, SMHasher), behind
// electron::hash::murmur3 and murmur3_128.
#ifndef ELECTRON_HASH_DETAIL_MURMUR3_HPP
#define ELECTRON_HASH_DETAIL_MURMUR3_HPP

#include "electron/config.hpp"
#include "electron/hash/detail/common.hpp"

#include <cstddef>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace hash::detail {

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

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_MURMUR3_HPP
