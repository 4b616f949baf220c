// SPDX-License-Identifier: MIT
// electron/cache/detail/map_group.hpp: the metadata group of compact_map and
// compact_set, and its tag matching (SSE2, NEON, or two 64-bit words).
//
// A group is 16 bytes that describe 15 slots (the layout of
// boost::unordered_flat_map, J. M. Lopez Munoz, "Inside
// boost::unordered_flat_map", 2022):
//   bytes 0..14  one tag per slot: 0 = empty, 1 = the end sentinel (the
//                last slot of the table, never used), 2..255 = occupied,
//                the value being a byte reduced from the element's hash;
//   byte 15      the overflow byte: bit b is set when an element whose home
//                group is this one and whose hash has overflow bit b was
//                placed further along its probe sequence. A lookup stops at
//                the first group whose bit is clear, so erasing needs no
//                tombstone: the tag just becomes 0.
// Every match returns a 15-bit mask (bit i = slot i); the vector and the
// word versions return the same bits.
#ifndef ELECTRON_CACHE_DETAIL_MAP_GROUP_HPP
#define ELECTRON_CACHE_DETAIL_MAP_GROUP_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

ELECTRON_BEGIN_NAMESPACE
namespace cache::detail {

/// Slots described by one group.
inline constexpr std::size_t group_slots = 15;
/// Mask of the slot bits in a match result.
inline constexpr std::uint32_t group_slot_mask = 0x7FFFu;
/// Tag of an empty slot.
inline constexpr byte empty_tag = 0;
/// Tag of the end sentinel (the table's last slot).
inline constexpr byte sentinel_tag = 1;

/// The tag of a hash: its low byte, with 0 and 1 (reserved) sent to 8 and 9
/// so every tag stays in 2..255.
ELECTRON_ALWAYS_INLINE constexpr byte tag_of(std::uint64_t h) noexcept {
  const auto t = static_cast<byte>(h);
  return static_cast<byte>(t < 2 ? t + 8 : t);
}
/// The overflow bit of a hash: taken from bits 8..10, which neither the tag
/// nor (on tables under 2^53 groups) the home group uses.
ELECTRON_ALWAYS_INLINE constexpr byte overflow_bit_of(std::uint64_t h) noexcept {
  return static_cast<byte>(1u << ((h >> 8) & 7u));
}

/// One metadata group (16 bytes, 16-aligned so one aligned load reads it).
struct alignas(16) group {
  byte tags[16];

  byte overflow() const noexcept { return tags[15]; }
  void mark_overflow(byte bit) noexcept { tags[15] = static_cast<byte>(tags[15] | bit); }
};
static_assert(sizeof(group) == 16);

// ---------------------------------------------------------------------------
// Portable word version (also the reference the vector one must equal).
// ---------------------------------------------------------------------------

/// Bit 7 of each byte of x set exactly where that byte is 0 (no false
/// positives, unlike the shorter (x - 0x01..) & ~x form, whose borrow can
/// mark the byte above a zero).
ELECTRON_ALWAYS_INLINE constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
  return ~(((x & low7) + low7) | x | low7);
}
/// The eight bit-7 flags of y packed into the low 8 bits (byte i -> bit i).
ELECTRON_ALWAYS_INLINE constexpr std::uint32_t pack_high_bits(std::uint64_t y) noexcept {
  return static_cast<std::uint32_t>(((y >> 7) * 0x0102040810204080ULL) >> 56);
}
ELECTRON_ALWAYS_INLINE std::uint32_t words_match(const group& g, byte t) noexcept {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  std::memcpy(&lo, g.tags, 8);
  std::memcpy(&hi, g.tags + 8, 8);
  const std::uint64_t b = 0x0101010101010101ULL * t;
  const std::uint32_t m = pack_high_bits(zero_bytes(lo ^ b)) | (pack_high_bits(zero_bytes(hi ^ b)) << 8);
  return m & group_slot_mask;
}
ELECTRON_ALWAYS_INLINE std::uint32_t words_match_empty(const group& g) noexcept { return words_match(g, empty_tag); }
ELECTRON_ALWAYS_INLINE std::uint32_t words_match_occupied(const group& g) noexcept {
  return ~words_match(g, empty_tag) & group_slot_mask;
}

#if ELECTRON_SIMD_BYTE_KERNELS && ELECTRON_ARCH_X86
// SSE2: PCMPEQB + PMOVMSKB (every x86-64 CPU has them).
ELECTRON_ALWAYS_INLINE std::uint32_t group_match(const group& g, byte t) noexcept {
  const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(g.tags));
  const __m128i eq = _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(t)));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(eq)) & group_slot_mask;
}
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_empty(const group& g) noexcept { return group_match(g, empty_tag); }
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_occupied(const group& g) noexcept {
  return ~group_match(g, empty_tag) & group_slot_mask;
}
inline constexpr const char* group_kernel_name = "sse2";
#elif ELECTRON_SIMD_BYTE_KERNELS
// NEON: VCEQ, then each byte keeps its own bit weight and the two halves are
// summed across lanes (NEON has no movemask).
ELECTRON_ALWAYS_INLINE std::uint32_t neon_to_mask(uint8x16_t eq) noexcept {
  static constexpr byte weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t w = vandq_u8(eq, vld1q_u8(weights));
  const std::uint32_t lo = vaddv_u8(vget_low_u8(w));
  const std::uint32_t hi = vaddv_u8(vget_high_u8(w));
  return (lo | (hi << 8)) & group_slot_mask;
}
ELECTRON_ALWAYS_INLINE std::uint32_t group_match(const group& g, byte t) noexcept {
  return neon_to_mask(vceqq_u8(vld1q_u8(g.tags), vdupq_n_u8(t)));
}
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_empty(const group& g) noexcept { return group_match(g, empty_tag); }
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_occupied(const group& g) noexcept {
  return ~group_match(g, empty_tag) & group_slot_mask;
}
inline constexpr const char* group_kernel_name = "neon";
#else
ELECTRON_ALWAYS_INLINE std::uint32_t group_match(const group& g, byte t) noexcept { return words_match(g, t); }
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_empty(const group& g) noexcept { return words_match_empty(g); }
ELECTRON_ALWAYS_INLINE std::uint32_t group_match_occupied(const group& g) noexcept { return words_match_occupied(g); }
inline constexpr const char* group_kernel_name = "scalar";
#endif

/// Index of the lowest set bit of a non-zero mask.
ELECTRON_ALWAYS_INLINE unsigned lowest(std::uint32_t m) noexcept { return static_cast<unsigned>(std::countr_zero(m)); }

/// The groups of a table that has no allocation: one group whose last slot
/// is the sentinel, so find misses (no tag matches, no overflow bit) and
/// begin() == end() without a branch on emptiness.
struct empty_groups_holder {
  static constexpr group value{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sentinel_tag, 0}};
};

}  // namespace cache::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CACHE_DETAIL_MAP_GROUP_HPP
