// SPDX-License-Identifier: MIT
// electron/encoding/detail/varint_bulk.hpp: encode_varints and
// decode_varints (declared in encoding/varint.hpp).
//
// Decode: the input in blocks of 32 bytes (AVX2) or 16 (SSE2, or two 64-bit
// words elsewhere); one vector compare gives the ends of all varints in the
// block, and each is decoded by the word kernel with no bounds check of its
// own; the last block + 16 bytes go through the checked single decode.
// Encode: 8-byte stores while the caller's room covers them, the exact byte
// loop for the last value.
//
// A shuffle-table decoder (Masked VByte: Plaisance, Kurz, Lemire, "Vectorized
// VByte Decoding", 2015) was not built; docs/encoding.md (varints) has the
// measured ratio of this kernel to the byte loop.
#ifndef ELECTRON_ENCODING_DETAIL_VARINT_BULK_HPP
#define ELECTRON_ENCODING_DETAIL_VARINT_BULK_HPP

#include "electron/encoding/varint.hpp"

ELECTRON_BEGIN_NAMESPACE
namespace encoding {

template <varint_element T>
std::size_t encode_varints(std::span<const T> values, char* out) noexcept {
  const std::size_t n = values.size();
  if (n == 0) return 0;
  std::size_t pos = 0;
  // uint64_t: value i starts at <= 10 i and its stores end by 10 i + 10.
  // uint32_t: value i starts at <= 5 i and its 8-byte store ends by 5 i + 8,
  // inside 5 n for every i < n - 1.
  for (std::size_t i = 0; i + 1 < n; ++i) pos += detail::encode_wide(values[i], out + pos);
  return pos + encode_varint(values[n - 1], out + pos);
}

namespace detail {

#if ELECTRON_DETAIL_VARINT_AVX2
inline constexpr std::size_t varint_block = 32;
inline constexpr std::uint32_t varint_block_bits = 0xffffffffu;
#else
inline constexpr std::size_t varint_block = 16;
inline constexpr std::uint32_t varint_block_bits = 0xffffu;
#endif

/// Bit i set when byte i of the block at p ends a varint (high bit clear).
ELECTRON_ALWAYS_INLINE std::uint32_t varint_stops(const char* p) noexcept {
#if ELECTRON_DETAIL_VARINT_AVX2
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return ~static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
#elif ELECTRON_DETAIL_VARINT_SSE2
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return ~static_cast<std::uint32_t>(_mm_movemask_epi8(v)) & 0xffffu;
#else
  // The high bits of 8 bytes to 8 bits: one multiply gathers bit 8i into
  // bit 56 + i.
  constexpr std::uint64_t gather = 0x0102040810204080ULL;
  const std::uint64_t a = ((~load64(p) & varint_highs) >> 7) * gather >> 56;
  const std::uint64_t b = ((~load64(p + 8) & varint_highs) >> 7) * gather >> 56;
  return static_cast<std::uint32_t>(a | (b << 8));
#endif
}

}  // namespace detail

template <varint_element T>
varint_bulk_result decode_varints(std::string_view in, std::span<T> out, varint_options options) noexcept {
  const bool reject = has(options, varint_options::reject_non_canonical);
  const char* const first = in.data();
  const std::size_t n = in.size();
  std::size_t pos = 0;
  std::size_t count = 0;
  const std::size_t m = out.size();
  // Blocks: every varint that ends inside the block, found from one mask of
  // the bytes' high bits. The values' loads depend only on the mask, not on
  // the previous value, so they overlap; the loop branches once per block,
  // not once per value. A block whose first varint does not end inside it
  // holds an overlong varint: the checked loop below reports it.
  constexpr std::size_t block = detail::varint_block;
  if (!reject) {
    while (pos + block + 16 <= n && count + block <= m) {
      const char* const b = first + pos;
      std::uint32_t stops = detail::varint_stops(b);
      if (stops == 0) break;
      std::size_t start = 0;
      // No run of 8 continuation bytes: every varint here is 1..8 bytes, and
      // the shorter loop needs no 9th or 10th byte and no error check.
      std::uint32_t run = ~stops & detail::varint_block_bits;
      run &= run >> 1;
      run &= run >> 2;
      run &= run >> 4;
      if (run == 0) {
        do {
          const auto end = static_cast<std::size_t>(std::countr_zero(stops));
          stops &= stops - 1;
          const std::size_t len = end - start + 1;
          const std::uint64_t v = detail::gather7(detail::load64(b + start) & (detail::varint_lows >> (64 - 8 * len)));
          if constexpr (sizeof(T) == 4) {
            if (v > 0xffffffffu) [[unlikely]] {
              return {count, pos + start, varint_error::overflow};
            }
          }
          out[count++] = static_cast<T>(v);
          start = end + 1;
        } while (stops != 0);
        pos += start;
        continue;
      }
      do {
        const auto end = static_cast<std::size_t>(std::countr_zero(stops));
        stops &= stops - 1;
        const std::size_t len = end - start + 1;
        // Lengths 1..10 without a branch on the length (a mixed stream would
        // mispredict it): bytes 8 and 9 are always loaded and masked away.
        const auto b9 = static_cast<unsigned char>(b[start + 9]);
        // Tested on the length first: b9 is usually a byte of later values,
        // and a branch on it would be a coin toss.
        if (len >= 10) [[unlikely]] {
          if (len > 10 || b9 > 1)
            return {count, pos + start, len > 10 ? varint_error::overlong : varint_error::overflow};
        }
        const std::size_t low = len < 8 ? len : 8;
        const std::uint64_t b8 = static_cast<unsigned char>(b[start + 8]) & 0x7fu;
        std::uint64_t v =
            detail::gather7(detail::load64(b + start) & (~std::uint64_t{0} >> (64 - 8 * low)) & detail::varint_lows);
        v |= (b8 << 56) & (std::uint64_t{0} - static_cast<std::uint64_t>(len >= 9));
        v |= static_cast<std::uint64_t>(b9 & 1u) << 63 & (std::uint64_t{0} - static_cast<std::uint64_t>(len == 10));
        if constexpr (sizeof(T) == 4) {
          if (v > 0xffffffffu) [[unlikely]] {
            return {count, pos + start, varint_error::overflow};
          }
        }
        out[count++] = static_cast<T>(v);
        start = end + 1;
      } while (stops != 0);
      pos += start;
    }
  }
  while (pos < n && count < m) {
    const auto r = detail::decode_any(first + pos, n - pos, options);
    if (!r) return {count, pos, r.error};
    if constexpr (sizeof(T) == 4) {
      if (r.value > 0xffffffffu) return {count, pos, varint_error::overflow};
    }
    out[count++] = static_cast<T>(r.value);
    pos += r.size;
  }
  return {count, pos, varint_error::none};
}

}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_DETAIL_VARINT_BULK_HPP
