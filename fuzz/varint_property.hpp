// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/encoding_varint_test.cpp
// (fuzz_bytes) and fuzz/varint_fuzz.cpp (libFuzzer): every decode form of
// encoding/varint.hpp against a byte-at-a-time model of the documented
// rules, and encode/decode round trips.
//
// Layout: [flags][input...]. Flags bit 0: reject_non_canonical. The input is
// copied into a heap buffer of exactly its size, so a read past it is an
// AddressSanitizer error.
#ifndef ELECTRON_FUZZ_VARINT_PROPERTY_HPP
#define ELECTRON_FUZZ_VARINT_PROPERTY_HPP

#include "electron/encoding/varint.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace electron_fuzz {
namespace varint_model {

namespace ee = electron::encoding;

/// The documented decode, one byte at a time, written apart from the library.
inline ee::varint_result<std::uint64_t> decode(std::string_view in, bool reject) {
  std::uint64_t v = 0;
  unsigned shift = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto b = static_cast<std::uint64_t>(static_cast<unsigned char>(in[i]));
    if (i == 9 && b >= 0x80) return {0, 10, ee::varint_error::overlong};
    if (i == 9 && b > 1) return {0, 10, ee::varint_error::overflow};
    v += (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) {
      if (reject && i > 0 && b == 0) return {0, i + 1, ee::varint_error::non_canonical};
      return {v, i + 1, ee::varint_error::none};
    }
  }
  return {0, in.size(), ee::varint_error::truncated};
}

/// The shortest encoding, the textbook loop.
inline std::string encode(std::uint64_t v) {
  std::string s;
  do {
    unsigned char b = static_cast<unsigned char>(v & 0x7f);
    v >>= 7;
    if (v != 0) b |= 0x80;
    s.push_back(static_cast<char>(b));
  } while (v != 0);
  return s;
}

/// Stream VByte from its definition: control bytes, then 1..4 bytes a
/// value, little endian. nullopt when the input is too short.
inline std::optional<std::pair<std::vector<std::uint32_t>, std::size_t>> stream_vbyte_decode(std::string_view in,
                                                                                             std::size_t n) {
  const std::size_t groups = (n + 3) / 4;
  if (in.size() < groups) return std::nullopt;
  std::size_t pos = groups;
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = ((static_cast<unsigned char>(in[i / 4]) >> (2 * (i % 4))) & 3) + 1;
    if (in.size() - pos < len) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < len; ++k)
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[pos + k])) << (8 * k);
    out.push_back(v);
    pos += len;
  }
  return std::make_pair(out, pos);
}

inline std::string stream_vbyte_encode(const std::vector<std::uint32_t>& values) {
  std::string control((values.size() + 3) / 4, '\0');
  std::string data;
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint32_t v = values[i];
    std::size_t len = 1;
    while (len < 4 && (v >> (8 * len)) != 0) ++len;
    control[i / 4] = static_cast<char>(static_cast<unsigned char>(control[i / 4]) | ((len - 1) << (2 * (i % 4))));
    for (std::size_t k = 0; k < len; ++k) data.push_back(static_cast<char>(v >> (8 * k)));
  }
  return control + data;
}

}  // namespace varint_model

inline bool varint_property(std::span<const std::byte> data) {
  namespace ee = electron::encoding;
  namespace m = varint_model;
  if (data.empty()) return true;
  const bool reject = (std::to_integer<unsigned>(data[0]) & 1) != 0;
  const auto options = reject ? ee::varint_options::reject_non_canonical : ee::varint_options::none;
  const std::size_t n = data.size() - 1;
  const std::unique_ptr<char[]> heap(new char[n == 0 ? 1 : n]);
  if (n != 0) std::memcpy(heap.get(), data.data() + 1, n);
  const std::string_view in(heap.get(), n);

  // Single decodes, and every prefix of the input (truncation anywhere).
  for (std::size_t len = 0; len <= n && len <= 12; ++len) {
    const std::string_view part = in.substr(0, len);
    const auto want = m::decode(part, reject);
    const auto got = ee::decode_varint(part, options);
    if (!(got == want)) return false;
    if (!(ee::decode_varint(part.data(), part.data() + part.size(), options) == want)) return false;
    const auto g32 = ee::decode_varint32(part, options);
    if (want && want.value > 0xffffffffu) {
      if (g32.error != ee::varint_error::overflow || g32.size != want.size) return false;
    } else if (g32.value != want.value || g32.size != want.size || g32.error != want.error) {
      return false;
    }
    const auto z = ee::decode_zigzag(part, options);
    if (z.error != want.error || z.size != want.size || (want && z.value != ee::zigzag_decode(want.value)))
      return false;
    const auto i32 = ee::decode_int32(part, options);
    const auto sv = static_cast<std::int64_t>(want.value);
    const bool fits = sv >= INT32_MIN && sv <= INT32_MAX;
    if (want && fits && (!i32 || i32.value != sv || i32.size != want.size)) return false;
    if (want && !fits && i32.error != ee::varint_error::overflow) return false;
    if (!want && i32.error != want.error) return false;
    // A decoded value encodes back to the shortest form; canonical input is that form.
    if (want) {
      char buf[ee::max_varint_size];
      const std::size_t k = ee::encode_varint(want.value, buf);
      if (std::string_view(buf, k) != m::encode(want.value) || k != ee::varint_size(want.value)) return false;
      const bool canonical = want.size == 1 || part[want.size - 1] != 0;
      if (canonical != (std::string_view(buf, k) == part.substr(0, want.size))) return false;
    }
  }

  // Bulk decode against repeated single decodes, into both element types.
  std::vector<std::uint64_t> want_values;
  std::size_t pos = 0;
  ee::varint_error want_error = ee::varint_error::none;
  while (pos < n) {
    const auto r = m::decode(in.substr(pos), reject);
    if (!r) {
      want_error = r.error;
      break;
    }
    want_values.push_back(r.value);
    pos += r.size;
  }
  std::vector<std::uint64_t> got64(want_values.size() + 1);
  const auto b64 = ee::decode_varints(in, std::span<std::uint64_t>(got64), options);
  if (b64.count != want_values.size() || b64.size != pos || b64.error != want_error) return false;
  for (std::size_t i = 0; i < want_values.size(); ++i) {
    if (got64[i] != want_values[i]) return false;
  }
  std::vector<std::uint32_t> got32(want_values.size() + 1);
  const auto b32 = ee::decode_varints(in, std::span<std::uint32_t>(got32), options);
  std::size_t fit = 0;
  std::size_t fit_pos = 0;
  while (fit < want_values.size() && want_values[fit] <= 0xffffffffu)
    fit_pos += m::decode(in.substr(fit_pos), reject).size, ++fit;
  const auto want32_error = fit < want_values.size() ? ee::varint_error::overflow : want_error;
  if (b32.count != fit || b32.size != fit_pos || b32.error != want32_error) return false;
  for (std::size_t i = 0; i < fit; ++i) {
    if (got32[i] != want_values[i]) return false;
  }

  // Bulk encode of the decoded values: the concatenated shortest forms.
  std::string want_bytes;
  for (const std::uint64_t v : want_values) want_bytes += m::encode(v);
  const std::unique_ptr<char[]> room(new char[want_values.size() * ee::max_varint_size + 1]);
  const std::size_t k = ee::encode_varints(std::span<const std::uint64_t>(want_values), room.get());
  if (std::string_view(room.get(), k) != want_bytes) return false;
  std::string appended;
  ee::append_varints(appended, std::span<const std::uint64_t>(want_values));
  if (appended != want_bytes) return false;

  // Stream VByte: the input as a stream of some count of values, then the
  // decoded values encoded again.
  const std::size_t count = n == 0 ? 0 : static_cast<std::size_t>(static_cast<unsigned char>(in[0]) % 64u);
  std::vector<std::uint32_t> svb(count);
  const auto sr = ee::stream_vbyte_decode(in, std::span<std::uint32_t>(svb));
  const auto sw = m::stream_vbyte_decode(in, count);
  if (!sw) return sr.error == ee::varint_error::truncated && sr.count == 0;
  if (!sr || sr.count != count || sr.size != sw->second || svb != sw->first) return false;
  const std::unique_ptr<char[]> svb_room(new char[ee::stream_vbyte_max_size(count) + 1]);
  const std::size_t sk = ee::stream_vbyte_encode(std::span<const std::uint32_t>(svb), svb_room.get());
  return std::string_view(svb_room.get(), sk) == m::stream_vbyte_encode(svb);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_VARINT_PROPERTY_HPP
