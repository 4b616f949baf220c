// SPDX-License-Identifier: MIT
// electron::encoding varints against protobuf's coded streams and a plain
// byte loop, on the same 1M values in one binary.
// Shapes: "mixed" = bit widths uniform in 0..64 (every length 1..10 common,
// 5.4 bytes a value on average), "short" = bit widths 0..21 (1..3 bytes, the
// usual field tag / length / small counter).
// - varint_encode/<impl>/<shape>: 1M values into one buffer. electron =
//   encode_varint per value (exact stores), electron_wide =
//   encode_varint_wide per value (8-byte stores into 10 bytes of room),
//   electron_bulk = encode_varints, protobuf =
//   CodedOutputStream::WriteVarint64 over an ArrayOutputStream.
// - varint_decode/<impl>/<shape>: the same stream back. electron =
//   decode_varint per value (bounds-checked), electron_bulk = decode_varints
//   into a span, scalar_loop = the textbook bounded byte loop, protobuf =
//   CodedInputStream::ReadVarint64 over an ArrayInputStream.
// Bytes/s are encoded bytes; items/s are values.
#include "electron/encoding/varint.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_PROTOBUF)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

namespace ee = electron::encoding;
using electron_bench::clobber;
using electron_bench::keep;

constexpr std::size_t value_count = 1u << 20;

struct data_set {
  std::vector<std::uint64_t> values;
  std::string bytes;
};

const data_set& data(int shape) {
  static const data_set sets[2] = {[] {
                                     data_set d;
                                     std::mt19937_64 rng(42);
                                     for (std::size_t i = 0; i < value_count; ++i) {
                                       const auto bits = static_cast<unsigned>(rng() % 65);
                                       d.values.push_back(bits == 0 ? 0 : rng() >> (64 - bits));
                                     }
                                     ee::append_varints(d.bytes, std::span<const std::uint64_t>(d.values));
                                     return d;
                                   }(),
                                   [] {
                                     data_set d;
                                     std::mt19937_64 rng(43);
                                     for (std::size_t i = 0; i < value_count; ++i) {
                                       const auto bits = static_cast<unsigned>(rng() % 22);
                                       d.values.push_back(bits == 0 ? 0 : rng() >> (64 - bits));
                                     }
                                     ee::append_varints(d.bytes, std::span<const std::uint64_t>(d.values));
                                     return d;
                                   }()};
  return sets[shape];
}

void report(benchmark::State& state, const data_set& d) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(d.bytes.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.values.size()));
}

// ---------------------------------------------------------------------------
// Encode
// ---------------------------------------------------------------------------
void encode_electron(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<char> out(d.values.size() * ee::max_varint_size);
  for (auto _ : state) {
    char* p = out.data();
    for (const std::uint64_t v : d.values) p += ee::encode_varint(v, p);
    keep(p);
    clobber();
  }
  report(state, d);
}

void encode_electron_wide(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<char> out(d.values.size() * ee::max_varint_size);
  for (auto _ : state) {
    char* p = out.data();
    for (const std::uint64_t v : d.values) p += ee::encode_varint_wide(v, p);
    keep(p);
    clobber();
  }
  report(state, d);
}

void encode_electron_bulk(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<char> out(d.values.size() * ee::max_varint_size);
  for (auto _ : state) {
    keep(ee::encode_varints(std::span<const std::uint64_t>(d.values), out.data()));
    clobber();
  }
  report(state, d);
}

#if defined(ELECTRON_BENCH_HAVE_PROTOBUF)
void encode_protobuf(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<char> out(d.values.size() * ee::max_varint_size);
  for (auto _ : state) {
    google::protobuf::io::ArrayOutputStream stream(out.data(), static_cast<int>(out.size()));
    google::protobuf::io::CodedOutputStream coded(&stream);
    for (const std::uint64_t v : d.values) coded.WriteVarint64(v);
    keep(coded.ByteCount());
    clobber();
  }
  report(state, d);
}
#endif

// ---------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------
void decode_electron(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  for (auto _ : state) {
    const char* p = d.bytes.data();
    const char* const last = p + d.bytes.size();
    std::uint64_t sum = 0;
    while (p != last) {
      const auto r = ee::decode_varint(p, last);
      if (!r) break;
      sum += r.value;
      p += r.size;
    }
    keep(sum);
  }
  report(state, d);
}

void decode_electron_bulk(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<std::uint64_t> out(d.values.size());
  for (auto _ : state) {
    keep(ee::decode_varints(d.bytes, std::span<std::uint64_t>(out)).count);
    clobber();
  }
  report(state, d);
}

/// The textbook loop, bounds-checked and with the 10-byte limit, into a span.
void decode_scalar_loop(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  std::vector<std::uint64_t> out(d.values.size());
  for (auto _ : state) {
    const char* p = d.bytes.data();
    const char* const last = p + d.bytes.size();
    std::size_t n = 0;
    while (p != last) {
      std::uint64_t v = 0;
      unsigned shift = 0;
      std::size_t i = 0;
      for (;;) {
        if (p + i == last || i == 10) goto done;
        const auto b = static_cast<unsigned char>(p[i++]);
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
      }
      out[n++] = v;
      p += i;
    }
  done:
    keep(n);
    clobber();
  }
  report(state, d);
}

#if defined(ELECTRON_BENCH_HAVE_PROTOBUF)
void decode_protobuf(benchmark::State& state, int shape) {
  const data_set& d = data(shape);
  for (auto _ : state) {
    google::protobuf::io::ArrayInputStream stream(d.bytes.data(), static_cast<int>(d.bytes.size()));
    google::protobuf::io::CodedInputStream coded(&stream);
    std::uint64_t sum = 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < d.values.size() && coded.ReadVarint64(&v); ++i) sum += v;
    keep(sum);
  }
  report(state, d);
}
#endif

void register_all() {
  const char* shapes[2] = {"mixed", "short"};
  for (int s = 0; s < 2; ++s) {
    const std::string sh = shapes[s];
    benchmark::RegisterBenchmark(("varint_encode/electron/" + sh).c_str(), encode_electron, s);
    benchmark::RegisterBenchmark(("varint_encode/electron_wide/" + sh).c_str(), encode_electron_wide, s);
    benchmark::RegisterBenchmark(("varint_encode/electron_bulk/" + sh).c_str(), encode_electron_bulk, s);
#if defined(ELECTRON_BENCH_HAVE_PROTOBUF)
    benchmark::RegisterBenchmark(("varint_encode/protobuf/" + sh).c_str(), encode_protobuf, s);
#endif
    benchmark::RegisterBenchmark(("varint_decode/electron/" + sh).c_str(), decode_electron, s);
    benchmark::RegisterBenchmark(("varint_decode/electron_bulk/" + sh).c_str(), decode_electron_bulk, s);
    benchmark::RegisterBenchmark(("varint_decode/scalar_loop/" + sh).c_str(), decode_scalar_loop, s);
#if defined(ELECTRON_BENCH_HAVE_PROTOBUF)
    benchmark::RegisterBenchmark(("varint_decode/protobuf/" + sh).c_str(), decode_protobuf, s);
#endif
  }
}

[[maybe_unused]] const int registered = (register_all(), 0);

}  // namespace
