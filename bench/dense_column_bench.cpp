// SPDX-License-Identifier: MIT
// electron::dense::column_store scans against the loops a user writes over a
// std::vector, on the same values in one binary:
// - sum of doubles: dense::sum on a column vs a loop with 16 accumulators
//   (which clang and g++ vectorise without -ffast-math: the accumulators
//   are independent, so the SLP vectorizer packs them) and a plain
//   sequential loop (which they cannot vectorise);
// - filter(x > t) into a bits::bitset vs a loop that pushes the indices
//   into a std::vector<uint32_t> (capacity kept between runs); t is the
//   median, so half the values pass, in random order;
// - min, max, count_if(x > t) and gather of that selection, each against
//   its plain loop.
// Values are uniform random doubles (int32: uniform random). Bytes per
// second count the column's bytes read once. Sizes: 100,000 rows (in
// cache) and 10,000,000 (80 MB, memory bound; left out of smoke runs).
// Names: <op>/<type>/<rows>/<impl>.
#include "electron/dense/column_store.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

namespace ed = electron::dense;
using electron_bench::keep;

template <class T>
struct table {
  ed::column_store store;
  std::vector<T> plain;  ///< the same values
  T threshold{};         ///< the median
  electron::bits::bitset selection;
  std::vector<std::uint32_t> indices;  ///< of the selection
};

template <class T>
table<T>& data(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<table<T>>> tables;
  auto& slot = tables[n];
  if (!slot) {
    slot = std::make_unique<table<T>>();
    table<T>& t = *slot;
    std::mt19937_64 rng(1234);
    t.plain.resize(n);
    for (auto& x : t.plain) {
      if constexpr (std::is_floating_point_v<T>) {
        x = std::uniform_real_distribution<T>(-1000, 1000)(rng);
      } else {
        x = static_cast<T>(rng());
      }
    }
    t.store.template add_column<T>("x");
    t.store.reserve(n);
    for (const T x : t.plain) t.store.append_row(x);
    std::vector<T> sorted = t.plain;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 2), sorted.end());
    t.threshold = sorted[n / 2];
    t.selection = t.store.template filter<T>("x", ed::compare::greater, t.threshold);
    for (std::size_t i = 0; i < n; ++i) {
      if (t.plain[i] > t.threshold) t.indices.push_back(static_cast<std::uint32_t>(i));
    }
  }
  return *slot;
}

template <class T>
void set_bytes(benchmark::State& state, std::size_t n) {
  const auto rows = static_cast<std::int64_t>(n);
  state.SetBytesProcessed(state.iterations() * rows * static_cast<std::int64_t>(sizeof(T)));
  state.SetItemsProcessed(state.iterations() * rows);
}

// ---- sum ------------------------------------------------------------------
template <class T>
void bm_sum_electron(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::span<const T> x = std::as_const(t.store).template column<T>("x");
  for (auto _ : state) keep(ed::sum(x));
  set_bytes<T>(state, n);
}
// The loop a performance-minded user writes: 16 independent accumulators, in
// a function of its own (inlined into the timing loop, g++ 12 unpacks it),
// which both compilers vectorise without -ffast-math (clang 14: four 256-bit
// accumulators; g++ 12: two 512-bit ones).
template <class T>
[[gnu::noinline]] ed::sum_type<T> sum16(const T* p, std::size_t size) noexcept {
  ed::sum_type<T> s[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= size; i += 16) {
    for (std::size_t k = 0; k < 16; ++k) s[k] += p[i + k];
  }
  ed::sum_type<T> total = 0;
  for (std::size_t k = 0; k < 16; ++k) total += s[k];
  for (; i < size; ++i) total += p[i];
  return total;
}
template <class T>
void bm_sum_loop(benchmark::State& state, std::size_t n) {
  const std::vector<T>& v = data<T>(n).plain;
  for (auto _ : state) keep(sum16(v.data(), v.size()));
  set_bytes<T>(state, n);
}
template <class T>
void bm_sum_sequential(benchmark::State& state, std::size_t n) {
  const std::vector<T>& v = data<T>(n).plain;
  for (auto _ : state) {
    ed::sum_type<T> s = 0;
    for (const T x : v) s += x;
    keep(s);
  }
  set_bytes<T>(state, n);
}

// ---- filter ---------------------------------------------------------------
template <class T>
void bm_filter_electron(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::span<const T> x = std::as_const(t.store).template column<T>("x");
  electron::bits::bitset out(n);
  for (auto _ : state) {
    ed::filter(x, ed::compare::greater, t.threshold, out);
    keep(out.data());
  }
  set_bytes<T>(state, n);
}
template <class T>
void bm_filter_index_loop(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::vector<T>& v = t.plain;
  std::vector<std::uint32_t> out;
  out.reserve(n);
  for (auto _ : state) {
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] > t.threshold) out.push_back(static_cast<std::uint32_t>(i));
    }
    keep(out.data());
  }
  set_bytes<T>(state, n);
}

// ---- min, max, count_if ---------------------------------------------------
template <class T>
void bm_min_electron(benchmark::State& state, std::size_t n) {
  const std::span<const T> x = std::as_const(data<T>(n).store).template column<T>("x");
  for (auto _ : state) keep(*ed::min(x));
  set_bytes<T>(state, n);
}
template <class T>
void bm_min_loop(benchmark::State& state, std::size_t n) {
  const std::vector<T>& v = data<T>(n).plain;
  for (auto _ : state) keep(*std::min_element(v.begin(), v.end()));
  set_bytes<T>(state, n);
}
template <class T>
void bm_max_electron(benchmark::State& state, std::size_t n) {
  const std::span<const T> x = std::as_const(data<T>(n).store).template column<T>("x");
  for (auto _ : state) keep(*ed::max(x));
  set_bytes<T>(state, n);
}
template <class T>
void bm_max_loop(benchmark::State& state, std::size_t n) {
  const std::vector<T>& v = data<T>(n).plain;
  for (auto _ : state) {
    T m = v[0];
    for (const T x : v) m = x > m ? x : m;
    keep(m);
  }
  set_bytes<T>(state, n);
}
template <class T>
void bm_count_electron(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::span<const T> x = std::as_const(t.store).template column<T>("x");
  for (auto _ : state) keep(ed::count_if(x, ed::compare::greater, t.threshold));
  set_bytes<T>(state, n);
}
template <class T>
void bm_count_loop(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::vector<T>& v = t.plain;
  for (auto _ : state) {
    std::size_t k = 0;
    for (const T x : v) k += x > t.threshold;
    keep(k);
  }
  set_bytes<T>(state, n);
}

// ---- gather ---------------------------------------------------------------
template <class T>
void bm_gather_electron(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  const std::span<const T> x = std::as_const(t.store).template column<T>("x");
  std::vector<T> out(t.selection.count());
  for (auto _ : state) {
    keep(ed::gather(x, t.selection, std::span<T>(out)));
    keep(out.data());
  }
  set_bytes<T>(state, n);
}
template <class T>
void bm_gather_index_loop(benchmark::State& state, std::size_t n) {
  table<T>& t = data<T>(n);
  std::vector<T> out(t.indices.size());
  for (auto _ : state) {
    for (std::size_t k = 0; k < t.indices.size(); ++k) out[k] = t.plain[t.indices[k]];
    keep(out.data());
  }
  set_bytes<T>(state, n);
}

template <class T>
void register_all(const char* type, std::size_t n) {
  const std::string rows = "/" + std::string(type) + "/" + std::to_string(n) + "/";
  auto add = [&](const char* op, const char* impl, void (*fn)(benchmark::State&, std::size_t)) {
    benchmark::RegisterBenchmark((op + rows + impl).c_str(), fn, n);
  };
  add("column_sum", "electron", bm_sum_electron<T>);
  add("column_sum", "loop16", bm_sum_loop<T>);
  add("column_sum", "sequential", bm_sum_sequential<T>);
  add("column_filter_gt", "electron", bm_filter_electron<T>);
  add("column_filter_gt", "index_loop", bm_filter_index_loop<T>);
  add("column_min", "electron", bm_min_electron<T>);
  add("column_min", "min_element", bm_min_loop<T>);
  add("column_max", "electron", bm_max_electron<T>);
  add("column_max", "loop", bm_max_loop<T>);
  add("column_count_gt", "electron", bm_count_electron<T>);
  add("column_count_gt", "loop", bm_count_loop<T>);
  add("column_gather", "electron", bm_gather_electron<T>);
  add("column_gather", "index_loop", bm_gather_index_loop<T>);
}

const bool registered = [] {
  register_all<double>("f64", 100'000);
  register_all<std::int32_t>("i32", 100'000);
  if (!electron_bench::smoke_run()) {
    register_all<double>("f64", 10'000'000);
    register_all<std::int32_t>("i32", 10'000'000);
  }
  return true;
}();

}  // namespace
