// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/io_reader_test.cpp (fuzz_bytes)
// and fuzz/io_reader_fuzz.cpp (libFuzzer): io::reader against a model that
// assembles every value from single bytes with shifts, op by op, including
// the sticky error, its offset, and reads after it.
//
// Layout: [op count k][k op bytes][input...]. Each op byte: low 5 bits the
// read, high 3 bits its argument (a length or a delimiter choice). The input
// is copied into a heap buffer of exactly its size.
#ifndef ELECTRON_FUZZ_IO_READER_PROPERTY_HPP
#define ELECTRON_FUZZ_IO_READER_PROPERTY_HPP

#include "electron/io/reader.hpp"
#include "fuzz/varint_property.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace electron_fuzz {
namespace io_reader_model {

namespace eio = electron::io;

/// The documented reader, with positions and byte-by-byte loads.
struct model {
  std::string_view in;
  std::size_t pos = 0;
  eio::read_error error = eio::read_error::none;
  std::size_t error_offset = 0;
  bool reject = false;

  std::size_t left() const { return error == eio::read_error::none ? in.size() - pos : 0; }
  void fail(eio::read_error e) {
    if (error == eio::read_error::none) {
      error = e;
      error_offset = pos;
    }
  }
  /// k bytes as an unsigned number in the given order; nullopt on error.
  std::optional<std::uint64_t> fixed(std::size_t k, bool big) {
    if (left() < k) {
      fail(eio::read_error::truncated);
      return std::nullopt;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const auto b = static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i]));
      v |= b << (8 * (big ? k - 1 - i : i));
    }
    pos += k;
    return v;
  }
  std::optional<std::uint64_t> varint(bool narrow32) {
    const auto r = varint_model::decode(in.substr(pos, left()), reject);
    if (!r) {
      fail(static_cast<eio::read_error>(static_cast<unsigned char>(r.error)));
      return std::nullopt;
    }
    if (narrow32 && r.value > 0xffffffffu) {
      fail(eio::read_error::overflow);
      return std::nullopt;
    }
    pos += r.size;
    return r.value;
  }
  std::optional<std::string_view> string(std::size_t n) {
    if (left() < n) {
      fail(eio::read_error::truncated);
      return std::nullopt;
    }
    pos += n;
    return in.substr(pos - n, n);
  }
  std::optional<std::string_view> line() {
    if (left() == 0) return std::nullopt;
    const std::string_view rest = in.substr(pos);
    const std::size_t i = rest.find('\n');
    if (i == std::string_view::npos) {
      pos = in.size();
      return rest;
    }
    pos += i + 1;
    return rest.substr(0, i > 0 && rest[i - 1] == '\r' ? i - 1 : i);
  }
  std::optional<std::string_view> until(char c) {
    const std::string_view rest = in.substr(pos, left());
    const std::size_t i = rest.find(c);
    if (i == std::string_view::npos) return std::nullopt;
    pos += i + 1;
    return rest.substr(0, i);
  }
};

template <class T>
std::uint64_t bits_of(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (sizeof(T) == 4) return std::bit_cast<std::uint32_t>(v);
    if constexpr (sizeof(T) == 8) return std::bit_cast<std::uint64_t>(v);
  } else {
    return static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(v));
  }
}

/// One fixed-width read on both, compared: value bits (0 on error).
template <class T, std::endian E>
bool same_fixed(eio::reader& r, model& m) {
  const auto want = m.fixed(sizeof(T), E == std::endian::big);
  const T got = r.read<T, E>();
  return bits_of(got) == want.value_or(0);
}

}  // namespace io_reader_model

inline bool io_reader_property(std::span<const std::byte> data) {
  namespace eio = electron::io;
  using namespace io_reader_model;
  if (data.empty()) return true;
  const std::size_t k = std::to_integer<std::size_t>(data[0]) % 48;
  if (data.size() < 1 + k) return true;
  const std::span<const std::byte> ops = data.subspan(1, k);
  const std::size_t n = data.size() - 1 - k;
  const std::unique_ptr<char[]> heap(new char[n == 0 ? 1 : n]);
  if (n != 0) std::memcpy(heap.get(), data.data() + 1 + k, n);
  const std::string_view in(heap.get(), n);
  const bool reject = k > 0 && (std::to_integer<unsigned>(ops[0]) & 0x20) != 0;

  eio::reader r(in);
  r.reject_non_canonical(reject);
  model m{in};
  m.reject = reject;
  using std::endian;
  for (const std::byte op_byte : ops) {
    const unsigned op = std::to_integer<unsigned>(op_byte) & 31;
    const unsigned arg = std::to_integer<unsigned>(op_byte) >> 5;
    bool same = true;
    switch (op) {
      case 0:
        same = same_fixed<std::uint8_t, endian::little>(r, m);
        break;
      case 1:
        same = same_fixed<std::uint16_t, endian::little>(r, m);
        break;
      case 2:
        same = same_fixed<std::uint32_t, endian::little>(r, m);
        break;
      case 3:
        same = same_fixed<std::uint64_t, endian::little>(r, m);
        break;
      case 4:
        same = same_fixed<std::uint16_t, endian::big>(r, m);
        break;
      case 5:
        same = same_fixed<std::uint32_t, endian::big>(r, m);
        break;
      case 6:
        same = same_fixed<std::uint64_t, endian::big>(r, m);
        break;
      case 7:
        same = same_fixed<std::int32_t, endian::little>(r, m);
        break;
      case 8:
        same = same_fixed<std::int64_t, endian::big>(r, m);
        break;
      case 9:
        same = same_fixed<float, endian::little>(r, m);
        break;
      case 10:
        same = same_fixed<double, endian::big>(r, m);
        break;
      case 11:
        same = r.varint() == m.varint(false).value_or(0);
        break;
      case 12:
        same = r.varint32() == m.varint(true).value_or(0);
        break;
      case 13: {
        const auto w = m.varint(false);
        same = r.zigzag() == (w ? electron::encoding::zigzag_decode(*w) : 0);
        break;
      }
      case 14:
        same = r.string(arg * 3) == m.string(arg * 3).value_or(std::string_view{});
        break;
      case 15: {
        const auto b = r.bytes(arg);
        const auto w = m.string(arg).value_or(std::string_view{});
        same = b.size() == w.size() && (w.empty() || std::memcmp(b.data(), w.data(), w.size()) == 0);
        break;
      }
      case 16:
        same = r.skip(arg * 2) == m.string(arg * 2).has_value();
        break;
      case 17:
        same = r.line() == m.line();
        break;
      case 18: {
        const char c = "\n,\0\x80 ;a\xff"[arg];
        same = r.until(c) == m.until(c);
        break;
      }
      case 19: {  // try_ forms leave the sticky error alone
        const auto before = m.error;
        model probe = m;
        const auto want = probe.fixed(4, false);
        const auto got = r.try_read<std::uint32_t>();
        same = got.has_value() == want.has_value() && (!got || *got == *want);
        if (got) m.pos = probe.pos;
        if (!got) same = same && got.error() == (before != eio::read_error::none ? before : eio::read_error::truncated);
        break;
      }
      case 20: {
        model probe = m;
        const auto want = probe.varint(false);
        const auto got = r.try_varint();
        same = got.has_value() == want.has_value() && (!got || *got == *want);
        if (got) m.pos = probe.pos;
        if (!got) same = same && got.error() == (m.error != eio::read_error::none ? m.error : probe.error);
        break;
      }
      case 21: {
        model probe = m;
        const auto want = probe.string(arg);
        const auto got = r.try_string(arg);
        same = got.has_value() == want.has_value() && (!got || *got == *want);
        if (got) m.pos = probe.pos;
        break;
      }
      case 22:
        if (arg == 0) {
          r.clear_error();
          m.error = eio::read_error::none;
        }
        break;
      default:
        same = same_fixed<std::int16_t, endian::big>(r, m);
        break;
    }
    if (!same) return false;
    if (r.offset() != m.pos || r.remaining() != in.size() - m.pos || r.error() != m.error ||
        r.ok() != (m.error == eio::read_error::none))
      return false;
    if (!r.ok() && r.error_offset() != m.error_offset) return false;
    if (r.rest() != in.substr(m.pos)) return false;
  }
  return true;
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_IO_READER_PROPERTY_HPP
