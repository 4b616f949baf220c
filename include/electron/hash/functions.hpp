// SPDX-License-Identifier: MIT
// electron/hash/functions.hpp: the hash functions and hashers of
// electron/hash.hpp, without the interner (so without the arena and without
// any allocation). What simd::batch_hash and other light users include.
//
// - xxhash64: XXH64, bit-exact with the reference (Collet, xxHash
//   specification, "XXH64 algorithm"); one-shot and streaming.
// - xxh3_64: XXH3's 64-bit hash (same specification), bit-exact with
//   XXH3_64bits / XXH3_64bits_withSeed; fast on short keys, and a SIMD
//   stripe loop (AVX-512, AVX2, SSE2, NEON) above 240 bytes. One-shot only.
// - metro64: MetroHash64 (Rogers, MetroHash, 2015), the 64-bit function of
//   the reference implementation, checked against its published test vectors.
// - murmur3: the low 64 bits (h1) of MurmurHash3_x64_128 (Appleby,
//   SMHasher), which is what murmur3.Sum64 returns in Go.
// - xxhash64_hasher, xxh3_64_hasher, metro64_hasher, murmur3_hasher:
//   transparent, std::hash-compatible functors that model hash::hasher.
//
// The functions are constexpr (on std::string_view and on
// std::span<const std::byte>), noexcept, never allocate, and read input
// bytes little-endian whatever the platform, so the values are the same
// everywhere.
//
//   constexpr std::uint64_t h = electron::hash::xxhash64("hello");
//   std::unordered_set<std::string, electron::hash::xxh3_64_hasher, std::equal_to<>> seen;
#ifndef ELECTRON_HASH_FUNCTIONS_HPP
#define ELECTRON_HASH_FUNCTIONS_HPP

#include "electron/config.hpp"
#include "electron/hash/detail/common.hpp"
#include "electron/hash/detail/metro64.hpp"
#include "electron/hash/detail/murmur3.hpp"
#include "electron/hash/detail/xxh3.hpp"
#include "electron/hash/detail/xxh64.hpp"
#include "electron/hash/hasher.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace hash {

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
/// XXH3_64bits of the bytes: XXH3 with the default secret. Branch-light on
/// short keys (the fastest choice for hash tables of strings); above 240
/// bytes a SIMD loop (AVX-512, AVX2, SSE2 or NEON, as compiled). O(n);
/// constexpr (scalar during constant evaluation).
constexpr std::uint64_t xxh3_64(std::span<const std::byte> s) noexcept { return detail::xxh3_64(s.data(), s.size()); }
constexpr std::uint64_t xxh3_64(std::string_view s) noexcept { return detail::xxh3_64(s.data(), s.size()); }
/// XXH3_64bits_withSeed (seed 0 gives XXH3_64bits again). Without a seed,
/// the overloads above fold the default secret into constants: prefer them.
constexpr std::uint64_t xxh3_64(std::span<const std::byte> s, std::uint64_t seed) noexcept {
  return detail::xxh3_64(s.data(), s.size(), seed);
}
constexpr std::uint64_t xxh3_64(std::string_view s, std::uint64_t seed) noexcept {
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
  constexpr void reset(std::uint64_t seed = 0) noexcept { detail::xxh64_stream_reset(m_s, seed); }

  constexpr xxhash64_state& update(std::string_view s) noexcept {
    detail::xxh64_stream_feed(m_s, s.data(), s.size());
    return *this;
  }
  constexpr xxhash64_state& update(std::span<const std::byte> s) noexcept {
    detail::xxh64_stream_feed(m_s, s.data(), s.size());
    return *this;
  }

  /// The hash of everything given so far.
  [[nodiscard]] constexpr std::uint64_t digest() const noexcept { return detail::xxh64_stream_digest(m_s); }

 private:
  // The steps live in hash/detail/xxh64.hpp, defined before this class: a
  // member function template defined below its caller in the class is not
  // usable in constant evaluation on clang++ 14 ("undefined function").
  detail::xxh64_stream m_s;
};

// ===========================================================================
// Hashers
// ===========================================================================

/// Transparent, std::hash-compatible functors (they return std::size_t, so on
/// a 32-bit platform the upper half of the hash is dropped): std::unordered_map<std::string,
/// V, electron::hash::xxhash64_hasher, std::equal_to<>> looks up by
/// std::string_view or const char* without building a std::string.
struct xxhash64_hasher {
  using is_transparent = void;
  using is_avalanching = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(xxhash64(s, seed));
  }
};
struct xxh3_64_hasher {
  using is_transparent = void;
  using is_avalanching = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(xxh3_64(s, seed));
  }
};
struct metro64_hasher {
  using is_transparent = void;
  using is_avalanching = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(metro64(s, seed));
  }
};
struct murmur3_hasher {
  using is_transparent = void;
  using is_avalanching = void;
  std::uint64_t seed = 0;
  constexpr std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(murmur3(s, seed));
  }
};

static_assert(hasher<xxhash64_hasher> && hasher<xxh3_64_hasher> && hasher<metro64_hasher> && hasher<murmur3_hasher>);

}  // namespace hash
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_FUNCTIONS_HPP
