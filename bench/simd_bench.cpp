// SPDX-License-Identifier: MIT
// electron::simd against glibc (memcmp, memchr, memmem) and the standard
// library (std::count, std::find, std::string_view::find) on the same bytes,
// in cache. The fixed-size rows search for something absent, so each call
// scans the whole input: the time is the kernel's throughput plus call
// overhead. The rand4-160 rows are lines and fields: random lengths of 4-160
// bytes, the target present at a random place in about half of them, in an
// order the branch predictor cannot learn (electron_bench::short_inputs).
#include "electron/simd.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

namespace {

// Printable random text without '#' (the byte searched for) and without the needle.
const std::string& text() {
  static const std::string t = [] {
    std::mt19937 rng(3);
    std::string s(1 << 20, ' ');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
    return s;
  }();
  return t;
}
std::string_view input(benchmark::State& state) { return {text().data(), static_cast<std::size_t>(state.range(0))}; }
void bytes(benchmark::State& state) { state.SetBytesProcessed(state.iterations() * state.range(0)); }

constexpr std::string_view needle8 = "zzqzzqzq";  // 8 bytes, absent from the text

void equal_electron(benchmark::State& state) {
  const std::string_view a = input(state);
  const std::string b(a);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(electron::simd::equal(a, b));
  }
  bytes(state);
}
void equal_memcmp(benchmark::State& state) {
  const std::string_view a = input(state);
  const std::string b(a);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(std::memcmp(a.data(), b.data(), a.size()));
  }
  bytes(state);
}

void index_electron(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(electron::simd::index_byte(a, '#'));
  }
  bytes(state);
}
void index_memchr(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(std::memchr(a.data(), '#', a.size()));
  }
  bytes(state);
}
void index_std_find(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(std::find(a.begin(), a.end(), '#'));
  }
  bytes(state);
}

void count_electron(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(electron::simd::count(a, 'e'));
  }
  bytes(state);
}
void count_std(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(std::count(a.begin(), a.end(), 'e'));
  }
  bytes(state);
}

void find_electron(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(electron::simd::find(a, needle8));
  }
  bytes(state);
}
void find_memmem(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(::memmem(a.data(), a.size(), needle8.data(), needle8.size()));
  }
  bytes(state);
}
void find_string_view(benchmark::State& state) {
  const std::string_view a = input(state);
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(a.find(needle8));
  }
  bytes(state);
}

const electron_bench::short_inputs& lines_with_hash() {
  static const electron_bench::short_inputs p(4, 160, "#");
  return p;
}
const electron_bench::short_inputs& lines_with_needle() {
  static const electron_bench::short_inputs p(4, 160, needle8);
  return p;
}

void index_rand_electron(benchmark::State& state) {
  lines_with_hash().run(state, [](std::string_view s) { return electron::simd::index_byte(s, '#'); });
}
void index_rand_memchr(benchmark::State& state) {
  lines_with_hash().run(state, [](std::string_view s) { return std::memchr(s.data(), '#', s.size()); });
}
void index_rand_std_find(benchmark::State& state) {
  lines_with_hash().run(state, [](std::string_view s) { return std::find(s.begin(), s.end(), '#'); });
}
void find_rand_electron(benchmark::State& state) {
  lines_with_needle().run(state, [](std::string_view s) { return electron::simd::find(s, needle8); });
}
void find_rand_memmem(benchmark::State& state) {
  lines_with_needle().run(
      state, [](std::string_view s) { return ::memmem(s.data(), s.size(), needle8.data(), needle8.size()); });
}
void find_rand_string_view(benchmark::State& state) {
  lines_with_needle().run(state, [](std::string_view s) { return s.find(needle8); });
}

}  // namespace

#define ELECTRON_SIMD_SIZES ->Arg(64)->Arg(4096)->Arg(1 << 20)
BENCHMARK(equal_electron)->Name("equal/electron") ELECTRON_SIMD_SIZES;
BENCHMARK(equal_memcmp)->Name("equal/memcmp") ELECTRON_SIMD_SIZES;
BENCHMARK(index_electron)->Name("index_byte/electron") ELECTRON_SIMD_SIZES;
BENCHMARK(index_memchr)->Name("index_byte/memchr") ELECTRON_SIMD_SIZES;
BENCHMARK(index_std_find)->Name("index_byte/std_find") ELECTRON_SIMD_SIZES;
BENCHMARK(index_rand_electron)->Name("index_byte/electron/rand4-160");
BENCHMARK(index_rand_memchr)->Name("index_byte/memchr/rand4-160");
BENCHMARK(index_rand_std_find)->Name("index_byte/std_find/rand4-160");
BENCHMARK(count_electron)->Name("count/electron") ELECTRON_SIMD_SIZES;
BENCHMARK(count_std)->Name("count/std_count") ELECTRON_SIMD_SIZES;
BENCHMARK(find_electron)->Name("find_8B/electron") ELECTRON_SIMD_SIZES;
BENCHMARK(find_memmem)->Name("find_8B/memmem") ELECTRON_SIMD_SIZES;
BENCHMARK(find_string_view)->Name("find_8B/string_view_find") ELECTRON_SIMD_SIZES;
BENCHMARK(find_rand_electron)->Name("find_8B/electron/rand4-160");
BENCHMARK(find_rand_memmem)->Name("find_8B/memmem/rand4-160");
BENCHMARK(find_rand_string_view)->Name("find_8B/string_view_find/rand4-160");

BENCHMARK_MAIN();
