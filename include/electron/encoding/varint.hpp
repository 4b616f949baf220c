// SPDX-License-Identifier: MIT
// electron/encoding/varint.hpp: LEB128 varints as protobuf and Go's
// encoding/binary write them, and zigzag for signed values.
//
//   encode_varint / encode_zigzag / encode_int64   value -> 1..10 bytes at a caller buffer
//   encode_varint_wide                             the same with 8-byte stores (needs 10 bytes of room)
//   decode_varint / decode_varint32                bytes -> {value, size, error}
//   decode_zigzag / decode_zigzag32 / decode_int32 the signed forms
//   append_varint / append_zigzag                  value -> bytes appended to any byte_sink
//   encode_varints / decode_varints                whole spans (word-at-a-time kernels)
//   stream_vbyte_encode / stream_vbyte_decode      Stream VByte, another format for uint32 spans
//
// The format: 7 bits a byte, least significant group first, the high bit of
// every byte but the last set. A 64-bit value takes 1..10 bytes; the 10th
// byte can only be 0 or 1. Signed values are either zigzag-mapped first
// (protobuf sint32/sint64, Go's PutVarint: 0, -1, 1, -2 -> 0, 1, 2, 3) or,
// as protobuf writes int32 and int64, sign-extended to 64 bits, so that a
// negative int32 always takes 10 bytes.
//
// Decoding never reads outside [first, last) and reports, with the number of
// bytes it looked at, the first of:
//   truncated       the input ends inside the varint (or is empty);
//   overlong        the 10th byte still has its high bit set;
//   overflow        the 10th byte is more than 1 (the value needs 65+ bits),
//                   or a 32-bit decode's value is above its type's range;
//   non_canonical   only with varint_options::reject_non_canonical: the
//                   varint ends in a 0x00 byte after others (e.g. 80 80 80 00
//                   for 0), i.e. it is longer than the shortest form.
// By default non-canonical encodings are accepted, as protobuf and Go do.
//
// Everything here is noexcept and allocation free except the append forms
// (whose sink may allocate); the single-value functions are constexpr.
//
//   char buf[electron::encoding::max_varint_size];
//   std::size_t n = electron::encoding::encode_varint(300, buf);      // n == 2: ac 02
//   auto r = electron::encoding::decode_varint(std::string_view(buf, n));  // r.value == 300, r.size == 2
#ifndef ELECTRON_ENCODING_VARINT_HPP
#define ELECTRON_ENCODING_VARINT_HPP

#include "electron/config.hpp"
#include "electron/encoding/detail/varint_kernels.hpp"
#include "electron/encoding/sink.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {

/// The longest varint: a 64-bit value in 7-bit groups.
inline constexpr std::size_t max_varint_size = 10;
/// The longest canonical varint of a 32-bit unsigned value.
inline constexpr std::size_t max_varint32_size = 5;

/// Why a decode failed (none: it did not).
enum class varint_error : unsigned char {
  none = 0,
  truncated,     ///< the input ends inside the varint, or is empty
  overlong,      ///< 10 bytes, and the 10th still has its continuation bit
  overflow,      ///< the 10th byte is above 1, or the value exceeds a 32-bit result
  non_canonical  ///< a zero last byte after others, when reject_non_canonical is set
};

/// Decode options (combine with |).
enum class varint_options : unsigned {
  none = 0,
  reject_non_canonical = 1u << 0,  ///< a varint longer than its value's shortest form is an error
};
/// Union of two option sets.
constexpr varint_options operator|(varint_options a, varint_options b) noexcept {
  return static_cast<varint_options>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
/// True when `flag` is in `set`.
constexpr bool has(varint_options set, varint_options flag) noexcept {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(flag)) != 0;
}

/// The result of a single decode: the value, the number of bytes it took (on
/// an error: the bytes examined; the whole input when truncated) and the
/// error. On an error value is 0.
template <class T>
struct varint_result {
  T value{};
  std::size_t size = 0;
  varint_error error = varint_error::none;
  /// True when the decode succeeded.
  constexpr explicit operator bool() const noexcept { return error == varint_error::none; }
  friend constexpr bool operator==(const varint_result&, const varint_result&) = default;
};

/// The result of a bulk decode: how many values were stored, how many bytes
/// they took, and the error that stopped it (none when the input or the
/// output ran out at a varint boundary).
struct varint_bulk_result {
  std::size_t count = 0;
  std::size_t size = 0;
  varint_error error = varint_error::none;
  /// True when no error stopped the decode.
  constexpr explicit operator bool() const noexcept { return error == varint_error::none; }
  friend constexpr bool operator==(const varint_bulk_result&, const varint_bulk_result&) = default;
};

// ===========================================================================
// Single values
// ===========================================================================

/// Bytes in v's varint: 1..10.
constexpr std::size_t varint_size(std::uint64_t v) noexcept { return detail::varint_length(v); }

/// Zigzag map (protobuf sint64, Go PutVarint): 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
constexpr std::uint64_t zigzag_encode(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
/// Inverse of zigzag_encode.
constexpr std::int64_t zigzag_decode(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}
/// Zigzag map of 32-bit values (protobuf sint32).
constexpr std::uint32_t zigzag_encode32(std::int32_t v) noexcept {
  return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}
/// Inverse of zigzag_encode32.
constexpr std::int32_t zigzag_decode32(std::uint32_t v) noexcept {
  return static_cast<std::int32_t>((v >> 1) ^ (~(v & 1u) + 1u));
}

/// Writes v's varint at out and returns its length (1..10). Exactly that
/// many bytes are written; out must have room for varint_size(v) bytes
/// (max_varint_size always suffices).
constexpr std::size_t encode_varint(std::uint64_t v, char* out) noexcept {
  if (!std::is_constant_evaluated()) {
    if constexpr (std::endian::native == std::endian::little) return detail::encode_exact(v, out);
  }
  std::size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<char>(static_cast<unsigned char>(v | 0x80));
    v >>= 7;
  }
  out[n++] = static_cast<char>(static_cast<unsigned char>(v));
  return n;
}
/// encode_varint for a buffer with room to spare: out must have room for
/// max_varint_size bytes, and the bytes after the returned count (up to
/// out + 10) may be overwritten. One 8-byte store (two more bytes for 9- and
/// 10-byte varints) and no loop: faster on mixed sizes. Not constexpr.
inline std::size_t encode_varint_wide(std::uint64_t v, char* out) noexcept { return detail::encode_wide(v, out); }
/// Writes zigzag_encode(v)'s varint (protobuf sint32/sint64, Go PutVarint).
constexpr std::size_t encode_zigzag(std::int64_t v, char* out) noexcept { return encode_varint(zigzag_encode(v), out); }
/// Writes v as protobuf writes an int32 or int64 field: sign-extended to 64
/// bits, so a negative value always takes 10 bytes.
constexpr std::size_t encode_int64(std::int64_t v, char* out) noexcept {
  return encode_varint(static_cast<std::uint64_t>(v), out);
}

namespace detail {
using u64_result = varint_result<std::uint64_t>;

/// The byte loop: any length of input, and constant evaluation.
constexpr u64_result decode_bytes(const char* p, std::size_t n, bool reject) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0;; ++i) {
    if (i == n) return {0, n, varint_error::truncated};
    const auto b = static_cast<unsigned char>(p[i]);
    if (i == max_varint_size - 1) {
      if (b & 0x80) return {0, max_varint_size, varint_error::overlong};
      if (b > 1) return {0, max_varint_size, varint_error::overflow};
    }
    v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (reject && b == 0 && i > 0) return {0, i + 1, varint_error::non_canonical};
      return {v, i + 1, varint_error::none};
    }
  }
}

/// The word path: n >= 8 bytes at p. Up to 8 bytes with no branch on the
/// length; the 9th and 10th byte one by one.
ELECTRON_ALWAYS_INLINE u64_result decode_wide(const char* p, std::size_t n, bool reject) noexcept {
  const std::uint64_t w = load64(p);
  const std::uint64_t stops = ~w & varint_highs;
  if (stops != 0) [[likely]] {
    const auto shift = static_cast<unsigned>(std::countr_zero(stops)) - 7;  // 8 * (len - 1)
    const std::size_t len = (shift >> 3) + 1;
    if (reject && shift != 0 && ((w >> shift) & 0xff) == 0) [[unlikely]]
      return {0, len, varint_error::non_canonical};
    const std::uint64_t keep = stops ^ (stops - 1);  // bytes 0..len-1
    return {gather7(w & keep & varint_lows), len, varint_error::none};
  }
  std::uint64_t v = gather7(w & varint_lows);
  if (n < 9) return {0, n, varint_error::truncated};
  const auto b8 = static_cast<unsigned char>(p[8]);
  v |= static_cast<std::uint64_t>(b8 & 0x7f) << 56;
  if ((b8 & 0x80) == 0) {
    if (reject && b8 == 0) return {0, 9, varint_error::non_canonical};
    return {v, 9, varint_error::none};
  }
  if (n < 10) return {0, n, varint_error::truncated};
  const auto b9 = static_cast<unsigned char>(p[9]);
  if (b9 & 0x80) return {0, 10, varint_error::overlong};
  if (b9 > 1) return {0, 10, varint_error::overflow};
  if (reject && b9 == 0) return {0, 10, varint_error::non_canonical};
  return {v | (static_cast<std::uint64_t>(b9) << 63), 10, varint_error::none};
}

constexpr u64_result decode_any(const char* p, std::size_t n, varint_options options) noexcept {
  const bool reject = has(options, varint_options::reject_non_canonical);
  if (!std::is_constant_evaluated()) {
    if (n >= 8) return decode_wide(p, n, reject);
  }
  return decode_bytes(p, n, reject);
}

/// A 64-bit result narrowed to T when it fits, overflow otherwise.
template <class T>
constexpr varint_result<T> narrow(u64_result r, std::int64_t lo, std::uint64_t hi, bool as_signed) noexcept {
  if (!r) return {T{}, r.size, r.error};
  const bool fits = as_signed ? (static_cast<std::int64_t>(r.value) >= lo &&
                                 static_cast<std::int64_t>(r.value) <= static_cast<std::int64_t>(hi))
                              : r.value <= hi;
  if (!fits) return {T{}, r.size, varint_error::overflow};
  return {static_cast<T>(r.value), r.size, varint_error::none};
}
}  // namespace detail

/// Decodes the varint at the start of [first, last) (first == last is a
/// truncated input). Never reads outside the range. O(1).
constexpr varint_result<std::uint64_t> decode_varint(const char* first, const char* last,
                                                     varint_options options = varint_options::none) noexcept {
  return detail::decode_any(first, static_cast<std::size_t>(last - first), options);
}
/// decode_varint over a string_view.
constexpr varint_result<std::uint64_t> decode_varint(std::string_view in,
                                                     varint_options options = varint_options::none) noexcept {
  return detail::decode_any(in.data(), in.size(), options);
}
/// decode_varint over bytes.
inline varint_result<std::uint64_t> decode_varint(std::span<const std::byte> in,
                                                  varint_options options = varint_options::none) noexcept {
  return detail::decode_any(reinterpret_cast<const char*>(in.data()), in.size(), options);
}

/// Decodes a varint whose value must fit 32 bits (protobuf uint32): a larger
/// value is an overflow. Longer encodings of a 32-bit value (up to 10 bytes)
/// are non-canonical, accepted unless rejected.
constexpr varint_result<std::uint32_t> decode_varint32(std::string_view in,
                                                       varint_options options = varint_options::none) noexcept {
  return detail::narrow<std::uint32_t>(detail::decode_any(in.data(), in.size(), options), 0,
                                       std::numeric_limits<std::uint32_t>::max(), false);
}
/// Decodes a zigzag varint (protobuf sint64, Go Varint).
constexpr varint_result<std::int64_t> decode_zigzag(std::string_view in,
                                                    varint_options options = varint_options::none) noexcept {
  const auto r = detail::decode_any(in.data(), in.size(), options);
  return {r ? zigzag_decode(r.value) : 0, r.size, r.error};
}
/// Decodes a zigzag varint of a 32-bit value (protobuf sint32); a value
/// beyond 32 bits is an overflow.
constexpr varint_result<std::int32_t> decode_zigzag32(std::string_view in,
                                                      varint_options options = varint_options::none) noexcept {
  const auto r = decode_varint32(in, options);
  return {r ? zigzag_decode32(r.value) : 0, r.size, r.error};
}
/// Decodes a protobuf int64 field: the varint's 64 bits as a signed value.
constexpr varint_result<std::int64_t> decode_int64(std::string_view in,
                                                   varint_options options = varint_options::none) noexcept {
  const auto r = detail::decode_any(in.data(), in.size(), options);
  return {static_cast<std::int64_t>(r.value), r.size, r.error};
}
/// Decodes a protobuf int32 field: negative values are the 10-byte
/// sign-extended form. Strict where protobuf truncates: a value outside
/// [INT32_MIN, INT32_MAX] read as a signed 64-bit value (e.g. the 5-byte
/// ff ff ff ff 0f, 2^32 - 1) is an overflow.
constexpr varint_result<std::int32_t> decode_int32(std::string_view in,
                                                   varint_options options = varint_options::none) noexcept {
  return detail::narrow<std::int32_t>(detail::decode_any(in.data(), in.size(), options),
                                      std::numeric_limits<std::int32_t>::min(),
                                      static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()), true);
}

// ===========================================================================
// Appending to a sink
// ===========================================================================

/// Appends v's varint to s. Into a contiguous_byte_sink it encodes in place
/// (prepare(max_varint_size), commit(n)); into others through append().
/// Allocates only as the sink does; what the sink throws passes through.
template <byte_sink S>
constexpr void append_varint(S& s, std::uint64_t v) {
  if constexpr (contiguous_byte_sink<S>) {
    char* p = sink_prepare(s, max_varint_size);
    if (std::is_constant_evaluated()) {
      sink_commit(s, encode_varint(v, p));
    } else {
      sink_commit(s, encode_varint_wide(v, p));  // prepared room: bytes past the varint are not output
    }
  } else {
    char buf[max_varint_size] = {};
    sink_append(s, std::string_view(buf, encode_varint(v, buf)));
  }
}
/// Appends zigzag_encode(v)'s varint to s.
template <byte_sink S>
constexpr void append_zigzag(S& s, std::int64_t v) {
  append_varint(s, zigzag_encode(v));
}
/// Appends v as protobuf writes an int32/int64 field (sign-extended).
template <byte_sink S>
constexpr void append_int64(S& s, std::int64_t v) {
  append_varint(s, static_cast<std::uint64_t>(v));
}

// ===========================================================================
// Spans
// ===========================================================================

/// The unsigned element types of the bulk forms.
template <class T>
concept varint_element = std::same_as<T, std::uint64_t> || std::same_as<T, std::uint32_t>;

/// Total bytes of the values' varints.
template <varint_element T>
constexpr std::size_t varints_size(std::span<const T> values) noexcept {
  std::size_t n = 0;
  for (const T v : values) n += varint_size(v);
  return n;
}

/// Encodes every value, one varint after the other, at out; returns the
/// bytes written. out must have room for max_varint_size (uint64_t) or
/// max_varint32_size (uint32_t) bytes per value; bytes past the returned
/// size within that room may be overwritten. O(n), 8-byte stores.
template <varint_element T>
std::size_t encode_varints(std::span<const T> values, char* out) noexcept;

/// Decodes up to out.size() varints from the start of in into out. Stops at
/// the end of in, when out is full, or at the first error (whose varint is
/// not stored; size then counts the bytes before it). Into uint32_t a value
/// above 32 bits is an overflow. Never reads outside in. O(n).
template <varint_element T>
varint_bulk_result decode_varints(std::string_view in, std::span<T> out,
                                  varint_options options = varint_options::none) noexcept;

/// Appends every value's varint to s (one prepare() for a contiguous sink).
template <varint_element T, byte_sink S>
void append_varints(S& s, std::span<const T> values) {
  constexpr std::size_t room = sizeof(T) == 8 ? max_varint_size : max_varint32_size;
  if constexpr (contiguous_byte_sink<S>) {
    char* p = sink_prepare(s, room * values.size());
    sink_commit(s, encode_varints(values, p));
  } else {
    char buf[64 * room];
    for (std::size_t i = 0; i < values.size(); i += 64) {
      const std::size_t k = values.size() - i < 64 ? values.size() - i : 64;
      sink_append(s, std::string_view(buf, encode_varints(values.subspan(i, k), buf)));
    }
  }
}

// ===========================================================================
// Stream VByte: a different format, for 32-bit values in bulk
// ===========================================================================
// Not LEB128: ceil(n / 4) control bytes (2 bits a value: its length 1..4
// minus 1), then each value's 1..4 bytes, little endian; the layout of
// libstreamvbyte's streamvbyte_encode (Lemire, Kurz, Rupp 2018). The count
// is not stored. Decoding moves 4 values with one byte shuffle (SSSE3).

/// Bytes stream_vbyte_encode may write for n values: ceil(n / 4) + 4 n.
constexpr std::size_t stream_vbyte_max_size(std::size_t n) noexcept { return (n + 3) / 4 + 4 * n; }

/// Encodes the values as Stream VByte at out; returns the bytes written.
/// out must have room for stream_vbyte_max_size(values.size()) bytes (the
/// bytes past the returned size within it may be overwritten). O(n).
inline std::size_t stream_vbyte_encode(std::span<const std::uint32_t> values, char* out) noexcept;

/// Decodes out.size() values (the count the encoder was given) from the
/// start of in. The control bytes are summed first: an input shorter than
/// they promise is `truncated` (count 0), and nothing outside in is read.
/// On success count == out.size() and size is the bytes used. O(n).
inline varint_bulk_result stream_vbyte_decode(std::string_view in, std::span<std::uint32_t> out) noexcept;

}  // namespace encoding
ELECTRON_END_NAMESPACE

#include "electron/encoding/detail/varint_bulk.hpp"
#include "electron/encoding/detail/varint_stream_vbyte.hpp"

#endif  // ELECTRON_ENCODING_VARINT_HPP
