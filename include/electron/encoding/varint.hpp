// SPDX-License-Identifier: MIT
// electron/encoding/varint.hpp: unsigned LEB128 and zigzag encoding.
// placeholder: replaced by the full varint header
#ifndef ELECTRON_ENCODING_VARINT_HPP
#define ELECTRON_ENCODING_VARINT_HPP

#include "electron/config.hpp"

#include <cstddef>
#include <cstdint>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {

/// The most bytes an unsigned LEB128 encoding of a 64-bit value takes.
inline constexpr std::size_t max_varint_size = 10;

/// Writes v as unsigned LEB128 (7 bits a byte, low group first, the high bit
/// set on every byte but the last) at out, which has room for
/// max_varint_size bytes. Returns the bytes written (1..10).
constexpr std::size_t encode_varint(std::uint64_t v, char* out) noexcept {
  std::size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<char>(static_cast<unsigned char>(v | 0x80));
    v >>= 7;
  }
  out[n++] = static_cast<char>(static_cast<unsigned char>(v));
  return n;
}

/// Zigzag mapping of a signed value to an unsigned one (0, -1, 1, -2, ... ->
/// 0, 1, 2, 3, ...), as protobuf's sint64 uses it.
constexpr std::uint64_t zigzag_encode(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_VARINT_HPP
