// SPDX-License-Identifier: MIT
// electron/encoding/detail/varint_kernels.hpp: the word-at-a-time LEB128
// kernels behind encoding/varint.hpp.
//
// A varint of up to 8 bytes is one unaligned 64-bit load: the first byte
// whose high bit is clear ends it (a count of trailing zeros of the inverted
// high bits), and its 7-bit groups are gathered with one PEXT (BMI2) or three
// mask-and-shift steps. Encoding is the inverse (PDEP, or three steps the
// other way). Neither branches on the length of the value, so a stream of
// mixed sizes costs no branch mispredictions, where a byte loop mispredicts
// about once per value. The loads and stores are used only where the bytes
// exist (decode: at least 8 bytes left; encode: the bulk paths, whose output
// has room by contract); everywhere else the byte loop runs.
#ifndef ELECTRON_ENCODING_DETAIL_VARINT_KERNELS_HPP
#define ELECTRON_ENCODING_DETAIL_VARINT_KERNELS_HPP

#include "electron/config.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

// ELECTRON_DISABLE_SIMD leaves every path below scalar (the tests build both).
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(ELECTRON_DISABLE_SIMD)
#include <immintrin.h>
#define ELECTRON_DETAIL_VARINT_SSE2 1
#if defined(__BMI2__)
#define ELECTRON_DETAIL_VARINT_BMI2 1
#else
#define ELECTRON_DETAIL_VARINT_BMI2 0
#endif
#if defined(__AVX2__)
#define ELECTRON_DETAIL_VARINT_AVX2 1
#else
#define ELECTRON_DETAIL_VARINT_AVX2 0
#endif
#else
#define ELECTRON_DETAIL_VARINT_SSE2 0
#define ELECTRON_DETAIL_VARINT_BMI2 0
#define ELECTRON_DETAIL_VARINT_AVX2 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace encoding {
namespace detail {

inline constexpr std::uint64_t varint_lows = 0x7f7f7f7f7f7f7f7fULL;
inline constexpr std::uint64_t varint_highs = 0x8080808080808080ULL;

/// The 7-bit groups of the bytes of w (byte i holds bits 7i..7i+6), packed:
/// the inverse of spread7. w's high bits must be clear.
ELECTRON_ALWAYS_INLINE std::uint64_t gather7(std::uint64_t w) noexcept {
#if ELECTRON_DETAIL_VARINT_BMI2
  return _pext_u64(w, varint_lows);
#else
  w = (w & 0x007f007f007f007fULL) | ((w & 0x7f007f007f007f00ULL) >> 1);
  w = (w & 0x00003fff00003fffULL) | ((w & 0x3fff00003fff0000ULL) >> 2);
  return (w & 0x000000000fffffffULL) | ((w & 0x0fffffff00000000ULL) >> 4);
#endif
}

/// The low 56 bits of v, 7 to a byte (byte i gets bits 7i..7i+6).
ELECTRON_ALWAYS_INLINE std::uint64_t spread7(std::uint64_t v) noexcept {
#if ELECTRON_DETAIL_VARINT_BMI2
  return _pdep_u64(v, varint_lows);
#else
  std::uint64_t x = v & 0x00ffffffffffffffULL;
  x = (x & 0x000000000fffffffULL) | ((x & 0x00fffffff0000000ULL) << 4);
  x = (x & 0x00003fff00003fffULL) | ((x & 0x0fffc0000fffc000ULL) << 2);
  return (x & 0x007f007f007f007fULL) | ((x & 0x3f803f803f803f80ULL) << 1);
#endif
}

ELECTRON_ALWAYS_INLINE std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}
ELECTRON_ALWAYS_INLINE void store64(char* p, std::uint64_t w) noexcept {
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  std::memcpy(p, &w, 8);
}

/// Bytes in v's varint, 1..10: ceil(bit_width(v | 1) / 7), without a divide.
constexpr std::size_t varint_length(std::uint64_t v) noexcept {
  const auto bits = static_cast<unsigned>(std::bit_width(v | 1));
  return (bits * 9 + 64) / 64;
}

/// Encodes v at out with 8-byte stores: writes out[0..7] always, and
/// out[8..9] when v needs more than 8 bytes. Returns the varint's length.
ELECTRON_ALWAYS_INLINE std::size_t encode_wide(std::uint64_t v, char* out) noexcept {
  const std::size_t len = varint_length(v);
  if (len <= 8) [[likely]] {
    // Continuation bits on bytes 0..len-2.
    const std::uint64_t cont = ((std::uint64_t{1} << (8 * (len - 1))) - 1) & varint_highs;
    store64(out, spread7(v) | cont);
    return len;
  }
  store64(out, spread7(v) | varint_highs);
  out[8] = static_cast<char>(static_cast<unsigned char>((v >> 56) & 0x7f) | (len == 10 ? 0x80 : 0));
  out[9] = static_cast<char>(v >> 63);
  return len;
}

/// Encodes v at out writing exactly its varint's bytes: up to 3 bytes as
/// three single-byte stores (first, middle, last: overlapping when shorter),
/// 4..8 bytes as two overlapping 4-byte stores, so only the length classes
/// branch, not every byte.
ELECTRON_ALWAYS_INLINE std::size_t encode_exact(std::uint64_t v, char* out) noexcept {
  const std::size_t len = varint_length(v);
  const std::uint64_t w = spread7(v) | (((std::uint64_t{1} << (8 * ((len - 1) & 7))) - 1) & varint_highs);
  if (len <= 3) {
    out[0] = static_cast<char>(w);
    out[len / 2] = static_cast<char>(w >> (8 * (len / 2)));
    out[len - 1] = static_cast<char>(w >> (8 * (len - 1)));
    return len;
  }
  if (len <= 8) [[likely]] {
    const auto lo = static_cast<std::uint32_t>(w);
    const auto hi = static_cast<std::uint32_t>(w >> (8 * (len - 4)));
    std::memcpy(out, &lo, 4);
    std::memcpy(out + len - 4, &hi, 4);
    return len;
  }
  store64(out, spread7(v) | varint_highs);
  out[8] = static_cast<char>(static_cast<unsigned char>((v >> 56) & 0x7f) | (len == 10 ? 0x80 : 0));
  if (len == 10) out[9] = 1;
  return len;
}

}  // namespace detail
}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_DETAIL_VARINT_KERNELS_HPP
