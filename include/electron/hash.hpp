// SPDX-License-Identifier: MIT
// electron/hash.hpp: fast non-cryptographic hashes and a string interner.
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
#include "electron/hash/hasher.hpp"
#include "electron/hash/detail/common.hpp"
#include "electron/hash/detail/xxh3.hpp"

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
  /// Strong exception guarantee for the contents: if it throws, the strings,
  /// their ids and every view handed out are unchanged (the slot table may
  /// already have grown, which changes memory_bytes() but no answer).
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
    // Everything that can throw comes before the first change of contents
    // (grow() only rehashes what is there).
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
