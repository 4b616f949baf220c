// SPDX-License-Identifier: MIT
// io::writer against fwrite (the same buffer size through setvbuf, locked
// and unlocked) and std::ofstream: 100 MB of small writes to /dev/null,
// records of a u64 and a u32 in little endian, a varint and a 1..64-byte
// payload, so what is measured is the cost of each call, not the device. Every
// implementation writes the same bytes (checked once before timing).
#include "bench_util.hpp"

#include "electron/encoding/varint.hpp"
#include "electron/io/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace eio = electron::io;
namespace enc = electron::encoding;

constexpr std::size_t total_bytes = 100'000'000;  // per iteration
constexpr std::size_t buffer_size = 64 * 1024;    // the writer's and the peers'

// A record as a binary log writes it: an 8-byte timestamp, a 4-byte id, a
// varint (1..10 bytes, mostly short) and a 1..64-byte payload.
struct record {
  std::uint64_t time;
  std::uint32_t id;
  std::uint8_t len;
  std::uint16_t offset;
  std::uint64_t value;
};

// One pass of about 1 MiB of output, replayed until total_bytes.
struct workload {
  std::string payload;
  std::vector<record> records;
  std::size_t pass_bytes = 0;
  std::size_t passes = 0;
  workload() {
    std::mt19937_64 rng(12);
    payload.resize(4096 + 64);
    for (char& c : payload) c = static_cast<char>('a' + rng() % 26);
    std::uint64_t time = 1'700'000'000'000'000'000ull;
    while (pass_bytes < (1u << 20)) {
      record r{};
      time += rng() % 1000;
      r.time = time;
      r.id = static_cast<std::uint32_t>(rng());
      r.len = static_cast<std::uint8_t>(1 + rng() % 64);
      r.offset = static_cast<std::uint16_t>(rng() % 4096);
      r.value = rng() >> (rng() % 8 == 0 ? rng() % 64 : 50 + rng() % 14);
      char tmp[enc::max_varint_size];
      pass_bytes += 8 + 4 + enc::encode_varint(r.value, tmp) + r.len;
      records.push_back(r);
    }
    passes = (total_bytes + pass_bytes - 1) / pass_bytes;
  }
  [[nodiscard]] std::size_t bytes() const { return pass_bytes * passes; }
};

const workload& load() {
  static const workload w;
  return w;
}

template <class U>
U little(U v) {
  if constexpr (std::endian::native == std::endian::little) {
    return v;
  } else {
    return electron::io::detail::byte_swap(v);
  }
}

// The replay, written once per implementation the way its users write it.
template <class W>
void replay_writer(const workload& wl, W& w) {
  const char* payload = wl.payload.data();
  for (std::size_t pass = 0; pass < wl.passes; ++pass) {
    for (const record& r : wl.records) {
      w.u64_le(r.time);
      w.u32_le(r.id);
      w.varint(r.value);
      w.string(std::string_view(payload + r.offset, r.len));
    }
  }
}

template <bool Unlocked>
void replay_fwrite(const workload& wl, std::FILE* f) {
  const auto put = [f](const void* p, std::size_t n) {
    if constexpr (Unlocked) {
      fwrite_unlocked(p, 1, n, f);
    } else {
      std::fwrite(p, 1, n, f);
    }
  };
  const char* payload = wl.payload.data();
  for (std::size_t pass = 0; pass < wl.passes; ++pass) {
    for (const record& r : wl.records) {
      const std::uint64_t time = little(r.time);
      put(&time, 8);
      const std::uint32_t id = little(r.id);
      put(&id, 4);
      char tmp[enc::max_varint_size];
      put(tmp, enc::encode_varint(r.value, tmp));
      put(payload + r.offset, r.len);
    }
  }
}

void replay_ofstream(const workload& wl, std::ofstream& os) {
  const char* payload = wl.payload.data();
  for (std::size_t pass = 0; pass < wl.passes; ++pass) {
    for (const record& r : wl.records) {
      const std::uint64_t time = little(r.time);
      os.write(reinterpret_cast<const char*>(&time), 8);
      const std::uint32_t id = little(r.id);
      os.write(reinterpret_cast<const char*>(&id), 4);
      char tmp[enc::max_varint_size];
      os.write(tmp, static_cast<std::streamsize>(enc::encode_varint(r.value, tmp)));
      os << std::string_view(payload + r.offset, r.len);
    }
  }
}

// A single pass through each implementation into a string or a temporary
// file, compared once: the benchmarks below time the same bytes.
bool same_bytes() {
  workload wl = load();
  wl.passes = 1;
  std::string a;
  {
    eio::writer w(eio::string_output(a), buffer_size);
    replay_writer(wl, w);
  }
  std::FILE* f = std::tmpfile();
  if (f == nullptr) return false;
  replay_fwrite<false>(wl, f);
  std::fflush(f);
  std::string b(a.size(), '\0');
  std::rewind(f);
  const bool fwrite_ok = std::fread(b.data(), 1, b.size(), f) == b.size() && std::fgetc(f) == EOF && a == b;
  std::fclose(f);
  std::string path = "/tmp/electron_io_rw_bench_XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return false;
  {
    std::ofstream os(path, std::ios::binary);
    replay_ofstream(wl, os);
  }
  std::string c(a.size() + 1, '\0');
  const auto got = ::pread(fd, c.data(), c.size(), 0);
  ::close(fd);
  ::unlink(path.c_str());
  c.resize(got < 0 ? 0 : static_cast<std::size_t>(got));
  return fwrite_ok && a.size() == wl.pass_bytes && c == a;
}

bool check_once(benchmark::State& state) {
  static const bool ok = same_bytes();
  if (!ok) state.SkipWithError("the implementations disagree on the bytes written");
  return ok;
}

void writer_small_electron(benchmark::State& state) {
  const workload& wl = load();
  if (!check_once(state)) return;
  const int fd = ::open("/dev/null", O_WRONLY);
  for (auto _ : state) {
    eio::writer w(eio::fd_output(fd), buffer_size);
    replay_writer(wl, w);
    electron_bench::keep(w.flush().value());
  }
  ::close(fd);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wl.bytes()));
}
BENCHMARK(writer_small_electron)->Name("writer_small/electron")->Unit(benchmark::kMillisecond);

void writer_small_electron_file(benchmark::State& state) {
  const workload& wl = load();
  if (!check_once(state)) return;
  std::FILE* f = std::fopen("/dev/null", "wb");
  for (auto _ : state) {
    eio::writer w(eio::file_output(f), buffer_size);
    replay_writer(wl, w);
    electron_bench::keep(w.flush().value());
  }
  std::fclose(f);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wl.bytes()));
}
BENCHMARK(writer_small_electron_file)->Name("writer_small/electron_file")->Unit(benchmark::kMillisecond);

template <bool Unlocked>
void writer_small_fwrite(benchmark::State& state) {
  const workload& wl = load();
  if (!check_once(state)) return;
  std::FILE* f = std::fopen("/dev/null", "wb");
  auto buf = std::make_unique<char[]>(buffer_size);
  std::setvbuf(f, buf.get(), _IOFBF, buffer_size);
  for (auto _ : state) {
    replay_fwrite<Unlocked>(wl, f);
    electron_bench::keep(std::fflush(f));
  }
  std::fclose(f);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wl.bytes()));
}
BENCHMARK(writer_small_fwrite<false>)->Name("writer_small/fwrite")->Unit(benchmark::kMillisecond);
BENCHMARK(writer_small_fwrite<true>)->Name("writer_small/fwrite_unlocked")->Unit(benchmark::kMillisecond);

void writer_small_ofstream(benchmark::State& state) {
  const workload& wl = load();
  if (!check_once(state)) return;
  auto buf = std::make_unique<char[]>(buffer_size);
  std::ofstream os;
  os.rdbuf()->pubsetbuf(buf.get(), static_cast<std::streamsize>(buffer_size));
  os.open("/dev/null", std::ios::binary);
  for (auto _ : state) {
    replay_ofstream(wl, os);
    os.flush();
    electron_bench::keep(os.good());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wl.bytes()));
}
BENCHMARK(writer_small_ofstream)->Name("writer_small/ofstream")->Unit(benchmark::kMillisecond);

}  // namespace
