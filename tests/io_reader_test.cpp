// SPDX-License-Identifier: MIT
// Tests for electron/io/reader.hpp: every read against values written with
// memcpy and byte swaps, random streams, truncation at every position (exact
// size heap buffers), the sticky error model, lines and fields, and the
// fuzz property (a byte-by-byte model).
#include "electron/io/reader.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/io_reader_property.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace eio = electron::io;
namespace ee = electron::encoding;
namespace et = electron::test;
using eio::read_error;

namespace {

struct exact_buffer {
  std::unique_ptr<char[]> p;
  std::size_t n;
  explicit exact_buffer(std::string_view s) : p(new char[s.empty() ? 1 : s.size()]), n(s.size()) {
    if (!s.empty()) std::memcpy(p.get(), s.data(), s.size());
  }
  std::string_view view() const { return {p.get(), n}; }
};

/// v's bytes in order E, by memcpy and a byte reversal on the other order.
template <class T>
std::string bytes_of(T v, std::endian e) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  if (e != std::endian::native) std::reverse(s.begin(), s.end());
  return s;
}

/// One field of a random record stream: what was written, and how to read
/// it back and compare.
struct field {
  int kind;  // 0..15
  std::uint64_t bits;
  std::string text;
};

std::string write_field(const field& f) {
  using std::endian;
  switch (f.kind) {
    case 0:
      return bytes_of(static_cast<std::uint8_t>(f.bits), endian::little);
    case 1:
      return bytes_of(static_cast<std::uint16_t>(f.bits), endian::little);
    case 2:
      return bytes_of(static_cast<std::uint32_t>(f.bits), endian::little);
    case 3:
      return bytes_of(f.bits, endian::little);
    case 4:
      return bytes_of(static_cast<std::uint16_t>(f.bits), endian::big);
    case 5:
      return bytes_of(static_cast<std::uint32_t>(f.bits), endian::big);
    case 6:
      return bytes_of(f.bits, endian::big);
    case 7:
      return bytes_of(std::bit_cast<float>(static_cast<std::uint32_t>(f.bits)), endian::little);
    case 8:
      return bytes_of(std::bit_cast<double>(f.bits), endian::big);
    case 9:
      return bytes_of(static_cast<std::int16_t>(f.bits), endian::little);
    case 10:
      return bytes_of(static_cast<std::int64_t>(f.bits), endian::big);
    case 11: {
      char b[ee::max_varint_size];
      return std::string(b, ee::encode_varint(f.bits, b));
    }
    case 12: {
      char b[ee::max_varint_size];
      return std::string(b, ee::encode_zigzag(static_cast<std::int64_t>(f.bits), b));
    }
    case 13:
      return f.text;
    case 14:
      return f.text + "\n";
    default:
      return f.text + ";";
  }
}

/// Reads f back; true when the value matches what was written.
bool read_field(eio::reader& r, const field& f) {
  switch (f.kind) {
    case 0:
      return r.u8() == static_cast<std::uint8_t>(f.bits);
    case 1:
      return r.u16_le() == static_cast<std::uint16_t>(f.bits);
    case 2:
      return r.u32_le() == static_cast<std::uint32_t>(f.bits);
    case 3:
      return r.u64_le() == f.bits;
    case 4:
      return r.u16_be() == static_cast<std::uint16_t>(f.bits);
    case 5:
      return r.u32_be() == static_cast<std::uint32_t>(f.bits);
    case 6:
      return r.u64_be() == f.bits;
    case 7:
      return std::bit_cast<std::uint32_t>(r.f32_le()) == static_cast<std::uint32_t>(f.bits);
    case 8:
      return std::bit_cast<std::uint64_t>(r.f64_be()) == f.bits;
    case 9:
      return r.i16_le() == static_cast<std::int16_t>(f.bits);
    case 10:
      return r.i64_be() == static_cast<std::int64_t>(f.bits);
    case 11:
      return r.varint() == f.bits;
    case 12:
      return r.zigzag() == static_cast<std::int64_t>(f.bits);
    case 13:
      return r.string(f.text.size()) == f.text;
    case 14:
      return r.line() == std::optional<std::string_view>(f.text);
    default:
      return r.until(';') == std::optional<std::string_view>(f.text);
  }
}

std::vector<field> random_fields(std::mt19937_64& rng, std::size_t n) {
  std::vector<field> fs(n);
  for (auto& f : fs) {
    f.kind = static_cast<int>(rng() % 16);
    const auto width = static_cast<unsigned>(rng() % 65);
    f.bits = width == 0 ? 0 : rng() >> (64 - width);
    const std::size_t len = rng() % 12;
    for (std::size_t i = 0; i < len; ++i) f.text.push_back(static_cast<char>('a' + rng() % 26));
  }
  return fs;
}

}  // namespace

static_assert(eio::fixed_width<std::uint8_t> && eio::fixed_width<std::int64_t> && eio::fixed_width<double>);
static_assert(!eio::fixed_width<bool> && !eio::fixed_width<long double> && !eio::fixed_width<std::string>);
static_assert(std::is_nothrow_copy_constructible_v<eio::reader> && std::is_trivially_copyable_v<eio::reader>);
static_assert(noexcept(std::declval<eio::reader&>().u32_le()) && noexcept(std::declval<eio::reader&>().line()));
static_assert(eio::reader("abc").size() == 3 && eio::reader().empty());

TEST_CASE("reader: fixed-width reads in both byte orders", "[reader]") {
  const std::string s = "\x01\x02\x03\x04\x05\x06\x07\x08\x09";
  eio::reader r(s);
  CHECK(r.u8() == 0x01);
  CHECK(r.u16_le() == 0x0302);
  CHECK(r.u16_be() == 0x0405);
  CHECK(r.u32_be() == 0x06070809u);
  CHECK(r.empty());
  CHECK(r.ok());
  eio::reader b(s);
  CHECK(b.u64_le() == 0x0807060504030201ull);
  eio::reader c(s);
  CHECK(c.u64_be() == 0x0102030405060708ull);
  CHECK(c.i8() == 9);
  const std::string neg = bytes_of(std::int32_t{-5}, std::endian::big) + bytes_of(-2.5, std::endian::little) +
                          bytes_of(1.5f, std::endian::big) + bytes_of(std::int64_t{-7}, std::endian::little);
  eio::reader d(std::span<const std::byte>(reinterpret_cast<const std::byte*>(neg.data()), neg.size()));
  CHECK(d.i32_be() == -5);
  CHECK(d.f64_le() == -2.5);
  CHECK(d.f32_be() == 1.5f);
  CHECK(d.i64_le() == -7);
  CHECK((d.ok() && d.empty() && d.offset() == neg.size()));
}

TEST_CASE("reader: random record streams against the writer model", "[reader][model]") {
  std::mt19937_64 rng(12);
  for (int round = 0; round < 400; ++round) {
    const auto fs = random_fields(rng, rng() % 40);
    std::string s;
    for (const auto& f : fs) s += write_field(f);
    const exact_buffer buf(s);
    eio::reader r(buf.view());
    for (const auto& f : fs) REQUIRE(read_field(r, f));
    CHECK((r.ok() && r.empty() && r.offset() == s.size() && r.remaining() == 0));
  }
}

TEST_CASE("reader: truncation at every position", "[reader][model]") {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 40; ++round) {
    // Lines and fields read to the end of the input when cut, so they go last.
    auto fs = random_fields(rng, 12);
    for (auto& f : fs) f.kind %= 13;
    std::string s;
    std::vector<std::size_t> ends;
    for (const auto& f : fs) ends.push_back((s += write_field(f)).size());
    for (std::size_t cut = 0; cut <= s.size(); ++cut) {
      const exact_buffer buf(std::string_view(s).substr(0, cut));
      eio::reader r(buf.view());
      std::size_t start = 0;
      for (std::size_t i = 0; i < fs.size(); ++i) {
        const bool fits = ends[i] <= cut;
        const std::size_t before = r.offset();
        const bool match = read_field(r, fs[i]);
        if (fits) {
          REQUIRE(match);
          REQUIRE(r.ok());
          start = ends[i];
        } else {
          // The failing read and every later one consume nothing; the error
          // and its offset stay those of the first failure.
          REQUIRE(!r.ok());
          REQUIRE(r.error() == read_error::truncated);
          REQUIRE(r.error_offset() == start);
          REQUIRE(r.offset() == before);
          REQUIRE(r.offset() == start);
          REQUIRE(r.remaining() == cut - start);
        }
      }
    }
  }
}

TEST_CASE("reader: the sticky error and the try_ forms", "[reader][errors]") {
  const std::string s = "\x01\x02\x03";
  eio::reader r(s);
  CHECK(r.u16_le() == 0x0201);
  CHECK(r.u32_le() == 0);  // fails: one byte left
  CHECK(r.error() == read_error::truncated);
  CHECK(r.error_offset() == 2);
  CHECK(r.u8() == 0);  // after the error: 0, nothing consumed, even if it would fit
  CHECK(r.offset() == 2);
  CHECK(r.remaining() == 1);
  CHECK(r.string(1).empty());
  CHECK(!r.skip(1));
  CHECK(!r.line());
  CHECK(!r.until('\x03'));
  CHECK(r.varint() == 0);
  auto t = r.try_read<std::uint8_t>();
  REQUIRE(!t);
  CHECK(t.error() == read_error::truncated);
  r.clear_error();
  CHECK(r.ok());
  CHECK(r.u8() == 3);
  // try_ forms do not set the sticky error.
  eio::reader q(s);
  CHECK(!q.try_read<std::uint32_t>());
  CHECK(q.ok());
  CHECK(*q.try_read<std::uint16_t, std::endian::big>() == 0x0102);
  CHECK(!q.try_string(2));
  CHECK(*q.try_string(1) == "\x03");
  CHECK(q.try_varint().error() == read_error::truncated);
  CHECK(q.ok());
  // Varint errors, and the first error wins.
  const std::string bad = std::string(10, '\xff') + "\x01";
  eio::reader v(bad);
  CHECK(v.varint() == 0);
  CHECK(v.error() == read_error::overlong);
  CHECK(v.error_offset() == 0);
  CHECK(v.u8() == 0);
  CHECK(v.error() == read_error::overlong);
  const std::string big = std::string(9, '\xff') + "\x02";
  CHECK(eio::reader(big).try_varint().error() == read_error::overflow);
  char enc[ee::max_varint_size];
  const std::string over32(enc, ee::encode_varint(0x100000000ull, enc));
  eio::reader w(over32);
  CHECK(w.varint32() == 0);
  CHECK(w.error() == read_error::overflow);
  CHECK(w.offset() == 0);
  eio::reader nc(std::string_view("\x80\x00", 2));
  nc.reject_non_canonical();
  CHECK(nc.varint() == 0);
  CHECK(nc.error() == read_error::non_canonical);
  CHECK(eio::reader(std::string_view("\x80\x00", 2)).varint() == 0);
  CHECK(eio::reader(std::string_view("\x80\x00", 2)).try_varint().has_value());
  // zigzag32 and try_zigzag.
  const std::string z(enc, ee::encode_zigzag(-3, enc));
  CHECK(eio::reader(z).zigzag32() == -3);
  CHECK(*eio::reader(z).try_zigzag() == -3);
}

TEST_CASE("reader: lines", "[reader][line]") {
  auto lines = [](std::string_view s) {
    const exact_buffer b(s);
    eio::reader r(b.view());
    std::vector<std::string> out;
    while (auto l = r.line()) out.emplace_back(*l);
    CHECK(r.empty());
    CHECK(r.ok());
    return out;
  };
  using v = std::vector<std::string>;
  CHECK(lines("") == v{});
  CHECK(lines("\n") == v{""});
  CHECK(lines("a") == v{"a"});
  CHECK(lines("a\n") == v{"a"});
  CHECK(lines("a\r\nb\r\n") == v{"a", "b"});
  CHECK(lines("a\nb") == v{"a", "b"});
  CHECK(lines("\n\n") == v{"", ""});
  CHECK(lines("\r\n") == v{""});
  CHECK(lines("a\r") == v{"a\r"});  // a lone CR is not a line end
  CHECK(lines("a\r\r\n") == v{"a\r"});
  // Long lines (the vector kernel) at every length and offset.
  std::mt19937_64 rng(3);
  for (std::size_t len = 0; len < 300; ++len) {
    std::string s;
    v want;
    for (int i = 0; i < 3; ++i) {
      std::string l(len + static_cast<std::size_t>(i), 'x');
      for (char& c : l) c = static_cast<char>('a' + rng() % 26);
      want.push_back(l);
      s += l + (i == 1 ? "\r\n" : "\n");
    }
    REQUIRE(lines(s) == want);
  }
}

TEST_CASE("reader: until and skip", "[reader]") {
  eio::reader r(std::string_view("key=value;x;tail"));
  CHECK(r.until('=') == std::optional<std::string_view>("key"));
  CHECK(r.until(';') == std::optional<std::string_view>("value"));
  CHECK(r.skip(1));
  CHECK(r.until(';') == std::optional<std::string_view>(""));
  CHECK(!r.until(';'));  // not found: nothing consumed, no error
  CHECK(r.ok());
  CHECK(r.rest() == "tail");
  CHECK(!r.skip(5));
  CHECK(r.error() == read_error::truncated);
  CHECK(r.rest() == "tail");
}

TEST_CASE("reader: fuzz property", "[reader][fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::io_reader_property, {.seed = 1, .runs = 20000, .max_size = 96}));
  CHECK(et::fuzz_bytes(electron_fuzz::io_reader_property, {.seed = 2, .runs = 3000, .max_size = 400}));
  // Op lists over real record streams.
  std::mt19937_64 rng(8);
  for (int i = 0; i < 3000; ++i) {
    const std::size_t k = rng() % 48;
    std::string s(1, static_cast<char>(k));
    for (std::size_t j = 0; j < k; ++j) s.push_back(static_cast<char>(rng()));
    for (const auto& f : random_fields(rng, rng() % 12)) s += write_field(f);
    REQUIRE(electron_fuzz::io_reader_property(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(s.data()), s.size())));
  }
}
