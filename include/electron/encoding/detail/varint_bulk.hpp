// SPDX-License-Identifier: MIT
// electron/encoding/detail/varint_bulk.hpp: encode_varints and
// decode_varints (declared in encoding/varint.hpp).
//
// Decode: while 16 bytes or more are left, every varint is decoded by the
// word kernel with no bounds check of its own (a varint is at most 10
// bytes); the last 15 bytes go through the checked single decode. Encode:
// 8-byte stores while the caller's room covers them, the exact byte loop for
// the last value.
//
// A SIMD decoder (a shuffle table per mask of continuation bits, as in
// Masked VByte) was left out: on the mixed-size streams measured here the
// branch-free word kernel already runs at more than twice the byte loop
// (docs/encoding_varint.md has the numbers).
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

template <varint_element T>
varint_bulk_result decode_varints(std::string_view in, std::span<T> out, varint_options options) noexcept {
  const bool reject = has(options, varint_options::reject_non_canonical);
  const char* const first = in.data();
  const std::size_t n = in.size();
  std::size_t pos = 0;
  std::size_t count = 0;
  const std::size_t m = out.size();
  if (n >= 16) {
    const std::size_t fast_end = n - 15;
    while (pos < fast_end && count < m) {
      const std::uint64_t w = detail::load64(first + pos);
      const std::uint64_t stops = ~w & detail::varint_highs;
      if (stops != 0 && !reject) [[likely]] {
        const std::uint64_t keep = stops ^ (stops - 1);
        const std::uint64_t v = detail::gather7(w & keep & detail::varint_lows);
        if constexpr (sizeof(T) == 4) {
          if (v > 0xffffffffu) [[unlikely]] {
            return {count, pos, varint_error::overflow};
          }
        }
        out[count++] = static_cast<T>(v);
        pos += (static_cast<unsigned>(std::countr_zero(stops)) >> 3) + 1;
        continue;
      }
      const auto r = detail::decode_wide(first + pos, n - pos, reject);
      if (!r) return {count, pos, r.error};
      if constexpr (sizeof(T) == 4) {
        if (r.value > 0xffffffffu) return {count, pos, varint_error::overflow};
      }
      out[count++] = static_cast<T>(r.value);
      pos += r.size;
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
