// SPDX-License-Identifier: MIT
// io::reader against std::istream (std::istringstream::read) on the same
// binary record stream, parsed by the same code in one binary.
// A record: u8 kind, u32 LE id, u64 LE timestamp, varint length (0..24),
// zigzag delta (mixed sizes), u16 BE flags, f64 LE value, then `length`
// bytes of name: 37 bytes on average, 100k records (3.7 MB).
// - read_records/electron: io::reader, one ok() check per record.
// - read_records/istream: std::istringstream, read() for fixed fields and
//   get() per varint byte, the name read into a reused std::string.
// - read_lines/<impl>: the same bytes as text lines (reader::line vs
//   std::getline), 40-byte lines.
// Bytes/s are input bytes.
#include "electron/io/reader.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <istream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

namespace {

namespace eio = electron::io;
namespace ee = electron::encoding;
using electron_bench::keep;

constexpr std::size_t record_count = 100000;

template <class T>
void put_le(std::string& s, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  s.append(b, sizeof(T));
}

const std::string& records() {
  static const std::string s = [] {
    std::string out;
    std::mt19937_64 rng(7);
    for (std::size_t i = 0; i < record_count; ++i) {
      out.push_back(static_cast<char>(rng() % 8));
      put_le(out, static_cast<std::uint32_t>(rng()));
      put_le(out, static_cast<std::uint64_t>(1700000000000000000ULL + i * 1000));
      const std::size_t len = rng() % 25;
      ee::append_varint(out, len);
      const auto bits = static_cast<unsigned>(rng() % 40);
      ee::append_zigzag(out, static_cast<std::int64_t>(bits == 0 ? 0 : rng() >> (64 - bits)) * (rng() % 2 ? 1 : -1));
      const auto flags = static_cast<std::uint16_t>(rng());
      out.push_back(static_cast<char>(flags >> 8));
      out.push_back(static_cast<char>(flags));
      put_le(out, static_cast<double>(rng() % 100000) / 7.0);
      for (std::size_t k = 0; k < len; ++k) out.push_back(static_cast<char>('a' + rng() % 26));
    }
    return out;
  }();
  return s;
}

/// The record parser, written once over a source with the reader's calls.
template <class Source>
std::uint64_t parse_records(Source& src) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < record_count; ++i) {
    const std::uint8_t kind = src.u8();
    const std::uint32_t id = src.u32_le();
    const std::uint64_t ts = src.u64_le();
    const std::uint64_t len = src.varint();
    const std::int64_t delta = src.zigzag();
    const std::uint16_t flags = src.u16_be();
    const double value = src.f64_le();
    const std::string_view name = src.string(len);
    if (!src.ok()) break;
    sum += kind + id + ts + static_cast<std::uint64_t>(delta) + flags + static_cast<std::uint64_t>(value) +
           name.size() + static_cast<unsigned char>(name.empty() ? 0 : name[0]);
  }
  return sum;
}

/// The same calls over a std::istream.
struct istream_source {
  std::istream& in;
  std::string name;
  template <class T>
  T fixed() {
    T v{};
    in.read(reinterpret_cast<char*>(&v), sizeof(T));
    return v;
  }
  std::uint8_t u8() { return fixed<std::uint8_t>(); }
  std::uint32_t u32_le() { return fixed<std::uint32_t>(); }
  std::uint64_t u64_le() { return fixed<std::uint64_t>(); }
  double f64_le() { return fixed<double>(); }
  std::uint16_t u16_be() {
    const auto v = fixed<std::uint16_t>();
    return static_cast<std::uint16_t>((v >> 8) | (v << 8));
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
      const int c = in.get();
      if (c == std::char_traits<char>::eof()) return 0;
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) break;
    }
    return v;
  }
  std::int64_t zigzag() { return ee::zigzag_decode(varint()); }
  std::string_view string(std::uint64_t n) {
    name.resize(static_cast<std::size_t>(n));
    in.read(name.data(), static_cast<std::streamsize>(n));
    return name;
  }
  bool ok() const { return static_cast<bool>(in); }
};

void read_records_electron(benchmark::State& state) {
  const std::string& s = records();
  for (auto _ : state) {
    eio::reader r(s);
    keep(parse_records(r));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(record_count));
}

void read_records_istream(benchmark::State& state) {
  const std::string& s = records();
  std::istringstream in(s);
  for (auto _ : state) {
    in.clear();
    in.seekg(0);
    istream_source src{in, {}};
    keep(parse_records(src));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(record_count));
}

const std::string& text_lines() {
  static const std::string s = [] {
    std::string out;
    std::mt19937_64 rng(9);
    while (out.size() < (4u << 20)) {
      const std::size_t len = 20 + rng() % 41;
      for (std::size_t k = 0; k < len; ++k) out.push_back(static_cast<char>('a' + rng() % 26));
      out += rng() % 4 == 0 ? "\r\n" : "\n";
    }
    return out;
  }();
  return s;
}

void read_lines_electron(benchmark::State& state) {
  const std::string& s = text_lines();
  for (auto _ : state) {
    eio::reader r(s);
    std::size_t total = 0;
    while (auto l = r.line()) total += l->size();
    keep(total);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}

void read_lines_istream(benchmark::State& state) {
  const std::string& s = text_lines();
  std::istringstream in(s);
  std::string line;
  for (auto _ : state) {
    in.clear();
    in.seekg(0);
    std::size_t total = 0;
    while (std::getline(in, line)) total += line.size() - (!line.empty() && line.back() == '\r' ? 1 : 0);
    keep(total);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}

BENCHMARK(read_records_electron)->Name("read_records/electron");
BENCHMARK(read_records_istream)->Name("read_records/istream");
BENCHMARK(read_lines_electron)->Name("read_lines/electron");
BENCHMARK(read_lines_istream)->Name("read_lines/istream");

}  // namespace
