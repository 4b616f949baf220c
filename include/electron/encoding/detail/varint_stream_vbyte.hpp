// SPDX-License-Identifier: MIT
// electron/encoding/detail/varint_stream_vbyte.hpp: the Stream VByte codec
// (declared in encoding/varint.hpp), a different format from LEB128.
//
// Format (Lemire, Kurz, Rupp, "Stream VByte: Faster Byte-Oriented Integer
// Compression", Information Processing Letters 130, 2018; the layout
// libstreamvbyte's streamvbyte_encode writes): for n 32-bit values, first
// ceil(n / 4) control bytes, then the data bytes. Value i's length minus 1
// (0..3: 1..4 bytes) is in bits 2 (i % 4) of control byte i / 4; its bytes
// are little endian. The count n is not stored.
//
// Decode: one control byte gives the lengths of 4 values, so one PSHUFB
// with a 16-byte pattern from a 256-entry table moves 4 values' bytes into
// place; the data pointer advances by a second table's total. No branch per
// value. The total data size is summed from the control bytes first, so a
// short input is an error, never a read past it; the vector loop runs while
// 16 bytes of data are left, the scalar loop after.
#ifndef ELECTRON_ENCODING_DETAIL_VARINT_STREAM_VBYTE_HPP
#define ELECTRON_ENCODING_DETAIL_VARINT_STREAM_VBYTE_HPP

#include "electron/encoding/varint.hpp"

#include <array>

#if ELECTRON_DETAIL_VARINT_SSE2 && defined(__SSSE3__)
#include <immintrin.h>
#define ELECTRON_DETAIL_STREAM_VBYTE_SSSE3 1
#else
#define ELECTRON_DETAIL_STREAM_VBYTE_SSSE3 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace encoding {
namespace detail {

/// Data bytes of the 4 values a control byte describes.
inline constexpr std::array<std::uint8_t, 256> svb_lengths = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    t[c] = static_cast<std::uint8_t>(4 + (c & 3) + ((c >> 2) & 3) + ((c >> 4) & 3) + (c >> 6));
  }
  return t;
}();

/// PSHUFB patterns: output byte 4 i + k takes data byte (offset of value i)
/// + k for k < its length, else zero (0x80).
inline constexpr std::array<std::array<std::uint8_t, 16>, 256> svb_shuffles = [] {
  std::array<std::array<std::uint8_t, 16>, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    unsigned at = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned len = ((c >> (2 * i)) & 3) + 1;
      for (unsigned k = 0; k < 4; ++k) t[c][4 * i + k] = static_cast<std::uint8_t>(k < len ? at + k : 0x80);
      at += len;
    }
  }
  return t;
}();

ELECTRON_ALWAYS_INLINE std::uint32_t svb_load(const char* p, unsigned len) noexcept {
  std::uint32_t v = 0;
  for (unsigned k = 0; k < len; ++k) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[k])) << (8 * k);
  return v;
}

}  // namespace detail

inline std::size_t stream_vbyte_encode(std::span<const std::uint32_t> values, char* out) noexcept {
  const std::size_t n = values.size();
  char* const control = out;
  char* data = out + (n + 3) / 4;
  for (std::size_t g = 0; g < n; g += 4) {
    unsigned c = 0;
    const std::size_t end = n - g < 4 ? n - g : 4;
    for (std::size_t i = 0; i < end; ++i) {
      const std::uint32_t v = values[g + i];
      const auto code = static_cast<unsigned>(std::bit_width(v | 1) - 1) / 8;  // length - 1
      c |= code << (2 * i);
      // 4-byte store: within the room, as every value has 4 bytes of it.
      if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(data, &v, 4);
      } else {
        for (unsigned k = 0; k < 4; ++k) data[k] = static_cast<char>(v >> (8 * k));
      }
      data += code + 1;
    }
    control[g / 4] = static_cast<char>(c);
  }
  return static_cast<std::size_t>(data - out);
}

inline varint_bulk_result stream_vbyte_decode(std::string_view in, std::span<std::uint32_t> out) noexcept {
  const std::size_t n = out.size();
  const std::size_t groups = (n + 3) / 4;
  if (in.size() < groups) return {0, 0, varint_error::truncated};
  const auto* const control = reinterpret_cast<const unsigned char*>(in.data());
  // The data size the control bytes promise (a partial last group counts
  // only its values).
  std::size_t total = groups;
  for (std::size_t g = 0; g + 1 < groups; ++g) total += detail::svb_lengths[control[g]];
  if (groups != 0) {
    const unsigned c = control[groups - 1];
    const std::size_t last = n - 4 * (groups - 1);
    for (std::size_t i = 0; i < last; ++i) total += ((c >> (2 * i)) & 3) + 1;
  }
  if (in.size() < total) return {0, 0, varint_error::truncated};
  const char* data = in.data() + groups;
  std::size_t g = 0;
#if ELECTRON_DETAIL_STREAM_VBYTE_SSSE3
  const char* const data_end = in.data() + total;
  // Full groups with 16 readable data bytes.
  const std::size_t full = n / 4;
  for (; g < full && data_end - data >= 16; ++g) {
    const unsigned c = control[g];
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
    const __m128i pattern = _mm_loadu_si128(reinterpret_cast<const __m128i*>(detail::svb_shuffles[c].data()));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + 4 * g), _mm_shuffle_epi8(bytes, pattern));
    data += detail::svb_lengths[c];
  }
#endif
  for (std::size_t i = 4 * g; i < n; ++i) {
    const unsigned len = ((control[i / 4] >> (2 * (i % 4))) & 3) + 1;
    out[i] = detail::svb_load(data, len);
    data += len;
  }
  return {n, total, varint_error::none};
}

}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_DETAIL_VARINT_STREAM_VBYTE_HPP
