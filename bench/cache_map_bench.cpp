// SPDX-License-Identifier: MIT
// electron::cache::compact_map against std::unordered_map and the flat maps
// found at configure time (boost::unordered_flat_map, absl::flat_hash_map,
// tsl::robin_map, tsl::hopscotch_map).
//
// Workloads: random 64-bit keys (1k, 100k; 1M and 10M outside the smoke run)
// and random lowercase string keys of 16..40 bytes (100k; 1M outside the
// smoke run). Every map gets the same hasher where the hasher decides the
// result ("u64": a 64x64->128 multiply fold declared avalanching; "str":
// electron's xxh3_64_hasher), and the u64 keys are run once more with each
// map's own default hasher ("u64_own": std::hash for electron, std and tsl,
// boost::hash for boost, absl::Hash for absl). Ops: find_hit, find_miss,
// insert (empty map, no reserve), insert_reserved, erase_half, iterate.
// Names are <op>/<keys>/<size>/<map>; each reports bytes_per_elem (the
// bytes the map has allocated, counted by an allocator, over its size).
#include "bench_util.hpp"
#include "electron/cache/compact_map.hpp"
#include "electron/hash/functions.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

ELECTRON_BENCH_PEER_HEADERS_BEGIN
#if defined(ELECTRON_BENCH_HAVE_BOOST_UNORDERED_FLAT)
#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#endif
#if defined(ELECTRON_BENCH_HAVE_ABSL)
#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_ROBIN_MAP)
#include <tsl/robin_map.h>
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_HOPSCOTCH_MAP)
#include <tsl/hopscotch_map.h>
#endif
ELECTRON_BENCH_PEER_HEADERS_END

namespace {

namespace ec = electron::cache;

/// The shared u64 hasher: multiply by 2^64/phi into 128 bits, fold.
struct u64_mix_hash {
  using is_avalanching = void;
  std::size_t operator()(std::uint64_t x) const noexcept {
    __extension__ using uint128 = unsigned __int128;
    const uint128 r = static_cast<uint128>(x) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64));
  }
};
/// The shared string hasher.
struct str_hash {
  using is_avalanching = void;
  std::size_t operator()(const std::string& s) const noexcept { return electron::hash::xxh3_64_hasher{}(s); }
};

/// Bytes currently allocated through count_alloc (all instances).
std::size_t g_counted_bytes = 0;
template <class T>
struct count_alloc {
  using value_type = T;
  count_alloc() noexcept = default;
  template <class U>
  count_alloc(const count_alloc<U>&) noexcept {}  // NOLINT: rebinding copy
  T* allocate(std::size_t n) {
    g_counted_bytes += n * sizeof(T);
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    g_counted_bytes -= n * sizeof(T);
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  bool operator==(const count_alloc<U>&) const noexcept {
    return true;
  }
};

template <class K, class V>
using value_alloc = std::allocator<std::pair<const K, V>>;
template <class K, class V>
using counting_value_alloc = count_alloc<std::pair<const K, V>>;

struct electron_impl {
  static constexpr const char* name = "electron";
  template <class K, class V, class H, class A>
  using map = ec::compact_map<K, V, H, std::equal_to<K>, A>;
  template <class K>
  using own_hash = std::hash<K>;
};
struct std_impl {
  static constexpr const char* name = "std";
  template <class K, class V, class H, class A>
  using map = std::unordered_map<K, V, H, std::equal_to<K>, A>;
  template <class K>
  using own_hash = std::hash<K>;
};
#if defined(ELECTRON_BENCH_HAVE_BOOST_UNORDERED_FLAT)
struct boost_impl {
  static constexpr const char* name = "boost_flat";
  template <class K, class V, class H, class A>
  using map = boost::unordered_flat_map<K, V, H, std::equal_to<K>, A>;
  template <class K>
  using own_hash = boost::hash<K>;
};
#endif
#if defined(ELECTRON_BENCH_HAVE_ABSL)
struct absl_impl {
  static constexpr const char* name = "absl";
  template <class K, class V, class H, class A>
  using map = absl::flat_hash_map<K, V, H, std::equal_to<K>, A>;
  template <class K>
  using own_hash = absl::Hash<K>;
};
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_ROBIN_MAP)
/// tsl stores std::pair<K, V> (not pair<const K, V>): the allocator is rebound.
struct robin_impl {
  static constexpr const char* name = "tsl_robin";
  template <class K, class V, class H, class A>
  using map = tsl::robin_map<K, V, H, std::equal_to<K>,
                             typename std::allocator_traits<A>::template rebind_alloc<std::pair<K, V>>>;
  template <class K>
  using own_hash = std::hash<K>;
};
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_HOPSCOTCH_MAP)
struct hopscotch_impl {
  static constexpr const char* name = "tsl_hopscotch";
  // Its overflow list is a std::list<std::pair<K, V>, A>: libstdc++ 12 in
  // C++20 insists on A's value_type being that pair (non-const key).
  template <class K, class V, class H, class A>
  using map = tsl::hopscotch_map<K, V, H, std::equal_to<K>,
                                 typename std::allocator_traits<A>::template rebind_alloc<std::pair<K, V>>>;
  template <class K>
  using own_hash = std::hash<K>;
};
#endif

// ---- inputs -------------------------------------------------------------

std::string random_string(std::mt19937_64& rng) {
  const std::size_t len = 16 + static_cast<std::size_t>(rng() % 25);
  std::string s(len, 'a');
  for (char& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}
template <class K>
K random_key(std::mt19937_64& rng) {
  if constexpr (std::is_same_v<K, std::string>) {
    return random_string(rng);
  } else {
    return rng();
  }
}

/// n distinct keys to insert (in insertion order), the same keys shuffled
/// (lookup order), and n keys that are absent.
template <class K>
struct key_set {
  std::vector<K> keys;
  std::vector<K> lookups;
  std::vector<K> misses;
};
template <class K>
const key_set<K>& keys_for(std::size_t n) {
  static std::unordered_map<std::size_t, key_set<K>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(0x5eed0000 + n);
  key_set<K> ks;
  std::unordered_map<K, char> seen;
  seen.reserve(2 * n);
  while (ks.keys.size() < n) {
    K k = random_key<K>(rng);
    if (seen.emplace(k, 0).second) ks.keys.push_back(std::move(k));
  }
  while (ks.misses.size() < n) {
    K k = random_key<K>(rng);
    if (seen.emplace(k, 0).second) ks.misses.push_back(std::move(k));
  }
  ks.lookups = ks.keys;
  std::shuffle(ks.lookups.begin(), ks.lookups.end(), rng);
  std::shuffle(ks.misses.begin(), ks.misses.end(), rng);
  return cache.emplace(n, std::move(ks)).first->second;
}

template <class Map, class K>
void fill(Map& m, const std::vector<K>& keys) {
  std::uint64_t v = 0;
  for (const K& k : keys) m.emplace(k, v++);
}

/// bytes_per_elem: a twin of the map built with the counting allocator.
template <class Impl, class K, class H>
void report_bytes(benchmark::State& state, const std::vector<K>& keys) {
  using counted = typename Impl::template map<K, std::uint64_t, H, counting_value_alloc<K, std::uint64_t>>;
  const std::size_t before = g_counted_bytes;
  {
    counted m;
    fill(m, keys);
    const std::size_t bytes = g_counted_bytes - before;
    state.counters["bytes_per_elem"] = static_cast<double>(bytes) / static_cast<double>(m.size());
  }
}

template <class Impl, class K, class H>
using map_of = typename Impl::template map<K, std::uint64_t, H, value_alloc<K, std::uint64_t>>;

// ---- ops ----------------------------------------------------------------

template <class Impl, class K, class H>
void find_hit(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const key_set<K>& ks = keys_for<K>(n);
  map_of<Impl, K, H> m;
  fill(m, ks.keys);
  std::size_t i = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    auto it = m.find(ks.lookups[i]);
    if (it != m.end()) sum += it->second;
    i = i + 1 == n ? 0 : i + 1;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
  report_bytes<Impl, K, H>(state, ks.keys);
}

template <class Impl, class K, class H>
void find_miss(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const key_set<K>& ks = keys_for<K>(n);
  map_of<Impl, K, H> m;
  fill(m, ks.keys);
  std::size_t i = 0;
  std::uint64_t found = 0;
  for (auto _ : state) {
    found += m.find(ks.misses[i]) != m.end() ? 1u : 0u;
    i = i + 1 == n ? 0 : i + 1;
  }
  electron_bench::keep(found);
  state.SetItemsProcessed(state.iterations());
  report_bytes<Impl, K, H>(state, ks.keys);
}

template <class Impl, class K, class H, bool Reserve>
void insert(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const key_set<K>& ks = keys_for<K>(n);
  for (auto _ : state) {
    map_of<Impl, K, H> m;
    if constexpr (Reserve) m.reserve(n);
    fill(m, ks.keys);
    electron_bench::keep(m.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  report_bytes<Impl, K, H>(state, ks.keys);
}

template <class Impl, class K, class H>
void erase_half(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const key_set<K>& ks = keys_for<K>(n);
  map_of<Impl, K, H> full;
  fill(full, ks.keys);
  for (auto _ : state) {
    state.PauseTiming();
    auto m = full;
    state.ResumeTiming();
    for (std::size_t i = 0; i < n; i += 2) m.erase(ks.lookups[i]);
    electron_bench::keep(m.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n / 2));
  report_bytes<Impl, K, H>(state, ks.keys);
}

template <class Impl, class K, class H>
void iterate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const key_set<K>& ks = keys_for<K>(n);
  map_of<Impl, K, H> m;
  fill(m, ks.keys);
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& e : m) sum += e.second;
    electron_bench::keep(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  report_bytes<Impl, K, H>(state, ks.keys);
}

// ---- registration ---------------------------------------------------------

template <class Impl, class K, class H>
void register_ops(const std::string& keys, const std::vector<std::int64_t>& sizes) {
  for (const std::int64_t n : sizes) {
    const std::string tail = "/" + keys + "/" + std::to_string(n) + "/" + Impl::name;
    benchmark::RegisterBenchmark(("find_hit" + tail).c_str(), find_hit<Impl, K, H>)->Arg(n);
    benchmark::RegisterBenchmark(("find_miss" + tail).c_str(), find_miss<Impl, K, H>)->Arg(n);
    benchmark::RegisterBenchmark(("insert" + tail).c_str(), insert<Impl, K, H, false>)->Arg(n);
    benchmark::RegisterBenchmark(("insert_reserved" + tail).c_str(), insert<Impl, K, H, true>)->Arg(n);
    benchmark::RegisterBenchmark(("erase_half" + tail).c_str(), erase_half<Impl, K, H>)->Arg(n);
    benchmark::RegisterBenchmark(("iterate" + tail).c_str(), iterate<Impl, K, H>)->Arg(n);
  }
}

template <class Impl>
void register_impl() {
  const bool smoke = electron_bench::smoke_run();
  // The token run (also under the sanitizers) takes the smallest size only.
  std::vector<std::int64_t> u64_sizes{1000};
  std::vector<std::int64_t> str_sizes{1000};
  if (!smoke) {
    u64_sizes = {1000, 100000, 1000000, 10000000};
    str_sizes = {100000, 1000000};
  }
  register_ops<Impl, std::uint64_t, u64_mix_hash>("u64", u64_sizes);
  register_ops<Impl, std::uint64_t, typename Impl::template own_hash<std::uint64_t>>("u64_own", u64_sizes);
  register_ops<Impl, std::string, str_hash>("str", str_sizes);
}

template <class... Impls>
bool register_all() {
  (register_impl<Impls>(), ...);
  return true;
}

const bool registered = register_all<electron_impl, std_impl
#if defined(ELECTRON_BENCH_HAVE_BOOST_UNORDERED_FLAT)
                                     ,
                                     boost_impl
#endif
#if defined(ELECTRON_BENCH_HAVE_ABSL)
                                     ,
                                     absl_impl
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_ROBIN_MAP)
                                     ,
                                     robin_impl
#endif
#if defined(ELECTRON_BENCH_HAVE_TSL_HOPSCOTCH_MAP)
                                     ,
                                     hopscotch_impl
#endif
                                     >();

}  // namespace
