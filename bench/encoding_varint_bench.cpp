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
// - u32_decode/<impl>: 1M uint32 of bit widths uniform in 0..32, decoded
//   from LEB128 (electron_leb128 = decode_varints into uint32_t) and from
//   Stream VByte (electron_svb = stream_vbyte_decode, libstreamvbyte =
//   streamvbyte_decode, on the same bytes: the bench checks the formats
//   agree); u32_encode/<impl> the same the other way.
// Bytes/s are encoded bytes; items/s are values.
#include "electron/encoding/varint.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_STREAMVBYTE)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <streamvbyte.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

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

// ---------------------------------------------------------------------------
// 32-bit values: LEB128 and Stream VByte
// ---------------------------------------------------------------------------
struct u32_set {
  std::vector<std::uint32_t> values;
  std::string leb128;
  std::string svb;
};

const u32_set& u32_data() {
  static const u32_set d = [] {
    u32_set s;
    std::mt19937_64 rng(44);
    for (std::size_t i = 0; i < value_count; ++i) {
      const auto bits = static_cast<unsigned>(rng() % 33);
      s.values.push_back(bits == 0 ? 0 : static_cast<std::uint32_t>(rng() >> (64 - bits)));
    }
    ee::append_varints(s.leb128, std::span<const std::uint32_t>(s.values));
    s.svb.resize(ee::stream_vbyte_max_size(s.values.size()));
    s.svb.resize(ee::stream_vbyte_encode(std::span<const std::uint32_t>(s.values), s.svb.data()));
    return s;
  }();
  return d;
}

void u32_report(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(value_count));
}

void u32_decode_leb128(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<std::uint32_t> out(d.values.size());
  for (auto _ : state) {
    keep(ee::decode_varints(d.leb128, std::span<std::uint32_t>(out)).count);
    clobber();
  }
  u32_report(state, d.leb128.size());
}

void u32_decode_svb(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<std::uint32_t> out(d.values.size());
  for (auto _ : state) {
    keep(ee::stream_vbyte_decode(d.svb, std::span<std::uint32_t>(out)).size);
    clobber();
  }
  if (out != d.values) state.SkipWithError("stream_vbyte_decode disagrees");
  u32_report(state, d.svb.size());
}

void u32_encode_leb128(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<char> out(d.values.size() * ee::max_varint32_size);
  for (auto _ : state) {
    keep(ee::encode_varints(std::span<const std::uint32_t>(d.values), out.data()));
    clobber();
  }
  u32_report(state, d.leb128.size());
}

void u32_encode_svb(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<char> out(ee::stream_vbyte_max_size(d.values.size()));
  for (auto _ : state) {
    keep(ee::stream_vbyte_encode(std::span<const std::uint32_t>(d.values), out.data()));
    clobber();
  }
  u32_report(state, d.svb.size());
}

#if defined(ELECTRON_BENCH_HAVE_STREAMVBYTE)
void u32_decode_libstreamvbyte(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<std::uint32_t> out(d.values.size());
  for (auto _ : state) {
    keep(streamvbyte_decode(reinterpret_cast<const std::uint8_t*>(d.svb.data()), out.data(),
                            static_cast<std::uint32_t>(out.size())));
    clobber();
  }
  if (out != d.values) state.SkipWithError("libstreamvbyte disagrees with stream_vbyte_encode");
  u32_report(state, d.svb.size());
}

void u32_encode_libstreamvbyte(benchmark::State& state) {
  const u32_set& d = u32_data();
  std::vector<std::uint8_t> out(streamvbyte_max_compressedbytes(static_cast<std::uint32_t>(d.values.size())));
  std::size_t n = 0;
  for (auto _ : state) {
    n = streamvbyte_encode(d.values.data(), static_cast<std::uint32_t>(d.values.size()), out.data());
    keep(n);
    clobber();
  }
  if (std::string_view(reinterpret_cast<const char*>(out.data()), n) != d.svb)
    state.SkipWithError("libstreamvbyte's bytes differ from stream_vbyte_encode's");
  u32_report(state, d.svb.size());
}
#endif

void register_all() {
  benchmark::RegisterBenchmark("u32_encode/electron_leb128", u32_encode_leb128);
  benchmark::RegisterBenchmark("u32_encode/electron_svb", u32_encode_svb);
#if defined(ELECTRON_BENCH_HAVE_STREAMVBYTE)
  benchmark::RegisterBenchmark("u32_encode/libstreamvbyte", u32_encode_libstreamvbyte);
#endif
  benchmark::RegisterBenchmark("u32_decode/electron_leb128", u32_decode_leb128);
  benchmark::RegisterBenchmark("u32_decode/electron_svb", u32_decode_svb);
#if defined(ELECTRON_BENCH_HAVE_STREAMVBYTE)
  benchmark::RegisterBenchmark("u32_decode/libstreamvbyte", u32_decode_libstreamvbyte);
#endif
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
