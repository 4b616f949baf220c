// SPDX-License-Identifier: MIT
// electron::hash against libxxhash (XXH64 and XXH3, header-inlined),
// std::hash<std::string_view>, and for the interner std::unordered_map and
// (when installed) absl::flat_hash_map, on the same inputs.
#include "bench_util.hpp"
#include "electron/hash.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 warns inside its own AVX-512 intrinsics as inlined into libxxhash's
// XXH3 (third-party code, flagged at the point of inlining).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#if __has_include(<xxhash.h>)
#define XXH_INLINE_ALL
#include <xxhash.h>
#define ELECTRON_BENCH_HAVE_XXHASH 1
#endif
#if defined(ELECTRON_BENCH_HAVE_ABSL)
#include <absl/container/flat_hash_map.h>
#endif

namespace {

const std::string& input() {
  static const std::string s = [] {
    std::mt19937_64 rng(1);
    std::string r(1 << 20, '\0');
    for (auto& c : r) c = static_cast<char>(rng());
    return r;
  }();
  return s;
}

template <class Fn>
void hash_loop(benchmark::State& state, Fn fn) {
  const std::string_view in(input().data(), static_cast<std::size_t>(state.range(0)));
  std::uint64_t seed = 0;
  for (auto _ : state) {
    electron_bench::keep(in.data());
    electron_bench::keep(seed += fn(in, seed));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void h_electron(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return electron::hash::xxhash64(v, seed); });
}
void h_electron_xxh3(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return electron::hash::xxh3_64(v, seed); });
}
void h_metro(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return electron::hash::metro64(v, seed); });
}
void h_murmur(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return electron::hash::murmur3(v, seed); });
}
void h_std(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return std::hash<std::string_view>{}(v) + seed; });
}
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
void h_xxh64(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return XXH64(v.data(), v.size(), seed); });
}
void h_xxh3(benchmark::State& s) {
  hash_loop(s, [](std::string_view v, std::uint64_t seed) { return XXH3_64bits_withSeed(v.data(), v.size(), seed); });
}
#endif

// ---- XXH3_64bits (seed 0) against libxxhash -----------------------------------
// The rows xxh3/electron/<n> and xxh3/xxhash/<n>: the same bytes, seed 0, and
// a length the compiler cannot see (as for keys of a hash table), so the
// length dispatch runs on every call. Calls are independent: a throughput.
template <class Fn>
void xxh3_loop(benchmark::State& state, Fn fn) {
  const char* data = input().data();
  std::size_t n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    electron_bench::escape(n);  // re-read n (and the input) every iteration
    electron_bench::keep(fn(data, n));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
void xxh3_electron(benchmark::State& s) {
  xxh3_loop(s, [](const char* p, std::size_t n) { return electron::hash::xxh3_64(std::string_view(p, n)); });
}
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
void xxh3_xxhash(benchmark::State& s) {
  xxh3_loop(s, [](const char* p, std::size_t n) { return XXH3_64bits(p, n); });
}
#endif

// ---- interner: hit lookups in a 100k-string set ------------------------------
const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = [] {
    std::mt19937 rng(5);
    std::vector<std::string> v;
    for (int i = 0; i < 100000; ++i) {
      std::string s = "user:" + std::to_string(rng() % 100000000) + ":" + std::to_string(i);
      s.append(rng() % 12, 'x');
      v.push_back(std::move(s));
    }
    return v;
  }();
  return k;
}
// The order of lookups: every key once, shuffled.
const std::vector<std::string_view>& probes() {
  static const std::vector<std::string_view> p = [] {
    std::vector<std::string_view> v(keys().begin(), keys().end());
    std::shuffle(v.begin(), v.end(), std::mt19937(9));
    return v;
  }();
  return p;
}

// The same probes with their bytes in one buffer, in probe order: how keys
// arrive when they are tokens of a parsed input, read front to back.
const std::vector<std::string_view>& packed_probes() {
  static const std::string text = [] {
    std::string t;
    for (auto k : probes()) t.append(k);
    return t;
  }();
  static const std::vector<std::string_view> p = [] {
    std::vector<std::string_view> v;
    std::size_t at = 0;
    for (auto k : probes()) {
      v.emplace_back(text.data() + at, k.size());
      at += k.size();
    }
    return v;
  }();
  return p;
}

// Arg 0: each probe is a separate heap string (shuffled, so reading the
// probe's bytes is itself a cache miss); arg 1: the probes' bytes are packed.
const std::vector<std::string_view>& probe_set(const benchmark::State& state) {
  return state.range(0) == 0 ? probes() : packed_probes();
}

template <class Lookup>
void lookup_loop(benchmark::State& state, Lookup lookup) {
  const auto& p = probe_set(state);
  std::size_t i = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    sum += lookup(p[i]);
    if (++i == p.size()) i = 0;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
}

// Hashing the interner's keys (17-40 bytes, lengths vary from key to key,
// bytes packed): throughput, where the length-dependent branches of XXH64's
// tail loops mispredict and XXH3's fixed 16-byte blocks do not.
template <class Fn>
void keys_loop(benchmark::State& state, Fn fn) {
  const auto& p = packed_probes();
  std::size_t i = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    sum += fn(p[i]);
    if (++i == p.size()) i = 0;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
}
void keys_electron_xxhash64(benchmark::State& s) {
  keys_loop(s, [](std::string_view k) { return electron::hash::xxhash64(k); });
}
void keys_electron_xxh3(benchmark::State& s) {
  keys_loop(s, [](std::string_view k) { return electron::hash::xxh3_64(k); });
}
void keys_std(benchmark::State& s) {
  keys_loop(s, [](std::string_view k) { return std::hash<std::string_view>{}(k); });
}
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
void keys_xxh64(benchmark::State& s) {
  keys_loop(s, [](std::string_view k) { return XXH64(k.data(), k.size(), 0); });
}
void keys_xxh3(benchmark::State& s) {
  keys_loop(s, [](std::string_view k) { return XXH3_64bits(k.data(), k.size()); });
}
#endif

void intern_electron(benchmark::State& state) {
  electron_bench::alloc_report r;
  electron::hash::string_interner in;
  for (const auto& k : keys()) (void)in.intern(k);
  lookup_loop(state, [&](std::string_view k) { return in.intern(k).id; });
  state.counters["bytes/string"] = static_cast<double>(in.memory_bytes()) / static_cast<double>(keys().size());
  r.done(state);
}
// std::unordered_map with C++20 heterogeneous lookup (a transparent
// std::hash<std::string_view>), so a std::string_view probe builds no string.
struct std_transparent_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
void intern_unordered_map(benchmark::State& state) {
  electron_bench::alloc_report r;
  std::unordered_map<std::string, std::uint32_t, std_transparent_hash, std::equal_to<>> m;
  for (const auto& k : keys()) m.emplace(k, static_cast<std::uint32_t>(m.size()));
  lookup_loop(state, [&](std::string_view k) {
    const auto it = m.find(k);
    return it != m.end() ? it->second : 0u;
  });
  r.done(state);
}
void intern_unordered_map_string_per_lookup(benchmark::State& state) {
  electron_bench::alloc_report r;
  std::unordered_map<std::string, std::uint32_t> m;
  for (const auto& k : keys()) m.emplace(k, static_cast<std::uint32_t>(m.size()));
  // What a caller holding a std::string_view pays with the default map: a std::string per lookup.
  lookup_loop(state, [&](std::string_view k) {
    const auto it = m.find(std::string(k));
    return it != m.end() ? it->second : 0u;
  });
  r.done(state);
}
#if defined(ELECTRON_BENCH_HAVE_ABSL)
void intern_absl(benchmark::State& state) {
  absl::flat_hash_map<std::string, std::uint32_t> m;
  for (const auto& k : keys()) m.emplace(k, static_cast<std::uint32_t>(m.size()));
  lookup_loop(state, [&](std::string_view k) {
    const auto it = m.find(absl::string_view(k.data(), k.size()));
    return it != m.end() ? it->second : 0u;
  });
}
#endif

}  // namespace

#define ELECTRON_HASH_SIZES ->Arg(16)->Arg(64)->Arg(1024)->Arg(1 << 20)
BENCHMARK(h_electron)->Name("xxhash64/electron") ELECTRON_HASH_SIZES;
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
BENCHMARK(h_xxh64)->Name("xxhash64/libxxhash_XXH64") ELECTRON_HASH_SIZES;
BENCHMARK(h_xxh3)->Name("xxhash64/libxxhash_XXH3_64bits") ELECTRON_HASH_SIZES;
#endif
BENCHMARK(h_electron_xxh3)->Name("xxhash64/electron_xxh3_64") ELECTRON_HASH_SIZES;
BENCHMARK(h_metro)->Name("xxhash64/electron_metro64") ELECTRON_HASH_SIZES;
BENCHMARK(h_murmur)->Name("xxhash64/electron_murmur3") ELECTRON_HASH_SIZES;
BENCHMARK(h_std)->Name("xxhash64/std_hash") ELECTRON_HASH_SIZES;

#define ELECTRON_XXH3_SIZES ->Arg(16)->Arg(128)->Arg(1024)->Arg(1 << 20)
BENCHMARK(xxh3_electron)->Name("xxh3/electron") ELECTRON_XXH3_SIZES;
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
BENCHMARK(xxh3_xxhash)->Name("xxh3/xxhash") ELECTRON_XXH3_SIZES;
#endif

BENCHMARK(keys_electron_xxhash64)->Name("hash_keys_17_40B/electron_xxhash64");
BENCHMARK(keys_electron_xxh3)->Name("hash_keys_17_40B/electron_xxh3_64");
#if defined(ELECTRON_BENCH_HAVE_XXHASH)
BENCHMARK(keys_xxh64)->Name("hash_keys_17_40B/libxxhash_XXH64");
BENCHMARK(keys_xxh3)->Name("hash_keys_17_40B/libxxhash_XXH3_64bits");
#endif
BENCHMARK(keys_std)->Name("hash_keys_17_40B/std_hash");

BENCHMARK(intern_electron)->Name("intern_hit_100k/electron")->ArgName("packed")->Arg(0)->Arg(1);
BENCHMARK(intern_unordered_map)->Name("intern_hit_100k/std_unordered_map")->ArgName("packed")->Arg(0)->Arg(1);
BENCHMARK(intern_unordered_map_string_per_lookup)
    ->Name("intern_hit_100k/std_unordered_map_string_per_lookup")
    ->ArgName("packed")
    ->Arg(0)
    ->Arg(1);
#if defined(ELECTRON_BENCH_HAVE_ABSL)
BENCHMARK(intern_absl)->Name("intern_hit_100k/absl_flat_hash_map")->ArgName("packed")->Arg(0)->Arg(1);
#endif

BENCHMARK_MAIN();
