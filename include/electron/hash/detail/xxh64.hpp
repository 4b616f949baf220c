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

// ---- Streaming (electron::hash::xxhash64_state) -----------------------------
struct xxh64_stream {
  std::uint64_t v[4] = {};
  std::uint64_t seed = 0;
  std::uint64_t total = 0;
  unsigned char buffer[32] = {};
  std::size_t buffered = 0;
};
constexpr void xxh64_stream_reset(xxh64_stream& s, std::uint64_t seed) noexcept {
  s.seed = seed;
  s.v[0] = seed + xxh_p1 + xxh_p2;
  s.v[1] = seed + xxh_p2;
  s.v[2] = seed;
  s.v[3] = seed - xxh_p1;
  s.total = 0;
  s.buffered = 0;
}
template <byte_like T>
constexpr void xxh64_stream_stripe(xxh64_stream& s, const T* p) noexcept {
  s.v[0] = xxh_round(s.v[0], r64(p));
  s.v[1] = xxh_round(s.v[1], r64(p + 8));
  s.v[2] = xxh_round(s.v[2], r64(p + 16));
  s.v[3] = xxh_round(s.v[3], r64(p + 24));
}
template <byte_like T>
constexpr void xxh64_stream_feed(xxh64_stream& s, const T* p, std::size_t n) noexcept {
  s.total += n;
  if (s.buffered + n < 32) {  // not a full stripe yet
    for (std::size_t i = 0; i < n; ++i) s.buffer[s.buffered + i] = static_cast<unsigned char>(u8(p + i));
    s.buffered += n;
    return;
  }
  if (s.buffered != 0) {  // complete the buffered stripe
    const std::size_t take = 32 - s.buffered;
    for (std::size_t i = 0; i < take; ++i) s.buffer[s.buffered + i] = static_cast<unsigned char>(u8(p + i));
    xxh64_stream_stripe(s, s.buffer);
    p += take;
    n -= take;
    s.buffered = 0;
  }
  for (; n >= 32; n -= 32, p += 32) xxh64_stream_stripe(s, p);
  for (std::size_t i = 0; i < n; ++i) s.buffer[i] = static_cast<unsigned char>(u8(p + i));
  s.buffered = n;
}
constexpr std::uint64_t xxh64_stream_digest(const xxh64_stream& s) noexcept {
  std::uint64_t acc = s.total >= 32 ? xxh_converge(s.v) : s.seed + xxh_p5;
  acc += s.total;
  return xxh_finish(acc, s.buffer, s.buffered);
}

}  // namespace hash::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_DETAIL_XXH64_HPP
