// SPDX-License-Identifier: MIT
// electron::dense::soa against an array of structs, in the dense bench:
// - sum_float_field/<rows>/<impl>: the sum of one float field of a 64-byte
//   row, read from the soa's column, from a std::vector of the 64-byte
//   struct (aos), and from a hand-written std::vector<float> holding only
//   that field (vector: the memory-bandwidth limit). The soa is built two
//   ways: row by row with emplace_back after reserve (soa), and with
//   resize(n) then one column at a time (soa_columns). The first touches
//   the pages of its twelve columns in turn, so the kernel hands each column
//   every twelfth physical page; the second faults each column's pages in
//   order, as the vector's are: at 10M rows that alone moves the scan by
//   10-20%. The same 16-accumulator loop for every layout (one compiled
//   copy for all contiguous ones); bytes/s counts the float column only (4
//   bytes a row), so the rates compare directly.
// - sort_by_key/<rows>/<impl>: sorting rows of {float key, int, double,
//   uint64} by the key, with std::sort over the soa's proxy iterators
//   (soa_std_sort), std::ranges::sort with a projection (soa_ranges_sort),
//   and std::sort over a std::vector of the struct (aos), and the soa's own
//   sort_by<0>() (soa_permutation: a permutation of the row indices sorted
//   by key, applied to each column: a radix sort for the default order
//   of an arithmetic key), and sort_by<0>(lambda) (soa_permutation_comp:
//   the comparison sort of {key, index} pairs a comparator of its own gets). Each iteration
//   sorts a fresh copy of the same random rows (the copy is not timed).
#include "electron/dense/soa.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace ed = electron::dense;
using electron_bench::keep;

// A 64-byte row: the float that is summed and 60 bytes of other fields.
struct wide_row {
  float value;
  float other_floats[3];
  double doubles[2];
  std::uint64_t ids[3];
  std::int32_t counts[2];
};
static_assert(sizeof(wide_row) == 64);

using wide_soa = ed::soa<float, float, float, float, double, double, std::uint64_t, std::uint64_t, std::uint64_t,
                         std::int32_t, std::int32_t>;

// Sixteen independent sums: the loop is not bound by the latency of one
// float add chain, so it can run at the memory's speed (and vectorizes when
// the floats are contiguous).
template <class Get>
float sum16(std::size_t n, Get get) noexcept {
  float acc[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (std::size_t k = 0; k < 16; ++k) acc[k] += get(i + k);
  }
  for (; i < n; ++i) acc[i % 16] += get(i);
  float total = 0;
  for (float a : acc) total += a;
  return total;
}

// One out-of-line copy for every contiguous column, so soa and the separate
// vector run the same machine code (two inlined copies of one loop can
// differ by 10% in unrolling and alignment, which is not the layout's doing).
[[gnu::noinline]] float sum_contiguous(const float* p, std::size_t n) noexcept {
  return sum16(n, [p](std::size_t i) { return p[i]; });
}

float value_of(std::size_t i) noexcept { return static_cast<float>(i % 1024) * 0.25f; }

// The three layouts of the same rows, built once per size.
struct sum_data {
  std::vector<wide_row> aos;
  wide_soa soa;          // filled row by row with emplace_back
  wide_soa soa_columns;  // resize(n), then filled column by column
  std::vector<float> floats;
  explicit sum_data(std::size_t n) {
    aos.resize(n);
    soa.reserve(n);
    floats.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const float v = value_of(i);
      const auto d = static_cast<double>(i);
      aos[i] = wide_row{v, {1, 2, 3}, {d, d}, {i, i, i}, {1, 2}};
      soa.emplace_back(v, 1.0f, 2.0f, 3.0f, d, d, std::uint64_t{i}, std::uint64_t{i}, std::uint64_t{i}, std::int32_t{1},
                       std::int32_t{2});
      floats[i] = v;
    }
    soa_columns.resize(n);
    std::ranges::copy(floats, soa_columns.column<0>().begin());
  }
};

sum_data& data_for(std::size_t n) {
  // One set alive at a time: the 10M-row AoS alone is 640 MB.
  static std::unique_ptr<sum_data> d;
  if (!d || d->floats.size() != n) {
    d.reset();
    d = std::make_unique<sum_data>(n);
  }
  return *d;
}

enum class layout { soa, soa_columns, aos, vector };

void sum_float_field(benchmark::State& state, layout which, std::size_t n) {
  sum_data& d = data_for(n);
  const float* column = d.soa.column<0>().data();
  const wide_row* rows = d.aos.data();
  const float* floats = d.floats.data();
  const float* by_columns = d.soa_columns.column<0>().data();
  for (auto _ : state) {
    float s = 0;
    switch (which) {
      case layout::soa:
        s = sum_contiguous(column, n);
        break;
      case layout::soa_columns:
        s = sum_contiguous(by_columns, n);
        break;
      case layout::aos:
        s = sum16(n, [&](std::size_t i) { return rows[i].value; });
        break;
      case layout::vector:
        s = sum_contiguous(floats, n);
        break;
    }
    keep(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n * sizeof(float)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

// Rows of {float key, int, double, uint64}.
struct key_row {
  float key;
  int count;
  double weight;
  std::uint64_t id;
};
using key_soa = ed::soa<float, int, double, std::uint64_t>;

std::vector<key_row> random_key_rows(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<float> key(0.0f, 1e6f);
  std::vector<key_row> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = {key(rng), static_cast<int>(i), static_cast<double>(i) * 0.5, rng()};
  return rows;
}

enum class sorter { soa_std, soa_ranges, soa_permutation, soa_permutation_comp, aos };

void sort_by_key(benchmark::State& state, sorter which, std::size_t n) {
  const std::vector<key_row> source = random_key_rows(n);
  key_soa source_soa;
  source_soa.reserve(n);
  for (const key_row& r : source) source_soa.emplace_back(r.key, r.count, r.weight, r.id);
  std::vector<key_row> aos;
  key_soa soa;
  for (auto _ : state) {
    state.PauseTiming();
    aos = source;
    soa = source_soa;
    state.ResumeTiming();
    switch (which) {
      case sorter::soa_std:
        std::sort(soa.begin(), soa.end(), [](const auto& a, const auto& b) { return get<0>(a) < get<0>(b); });
        keep(soa.column<0>()[n / 2]);
        break;
      case sorter::soa_ranges:
        std::ranges::sort(soa, std::ranges::less{}, ed::field<0>);
        keep(soa.column<0>()[n / 2]);
        break;
      case sorter::soa_permutation:
        soa.sort_by<0>();
        keep(soa.column<0>()[n / 2]);
        break;
      case sorter::soa_permutation_comp:  // a comparator of its own: no radix sort
        soa.sort_by<0>([](float a, float b) { return a < b; });
        keep(soa.column<0>()[n / 2]);
        break;
      case sorter::aos:
        std::sort(aos.begin(), aos.end(), [](const key_row& a, const key_row& b) { return a.key < b.key; });
        keep(aos[n / 2].key);
        break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

void register_all() {
  std::vector<std::size_t> sum_sizes{100000};
  std::vector<std::size_t> sort_sizes{10000, 100000};
  if (!electron_bench::smoke_run()) {
    sum_sizes.push_back(10000000);
    sort_sizes.push_back(1000000);
  }
  for (std::size_t n : sum_sizes) {
    const std::string size = "/" + std::to_string(n);
    benchmark::RegisterBenchmark(("sum_float_field" + size + "/soa").c_str(), sum_float_field, layout::soa, n);
    benchmark::RegisterBenchmark(("sum_float_field" + size + "/aos").c_str(), sum_float_field, layout::aos, n);
    benchmark::RegisterBenchmark(("sum_float_field" + size + "/vector").c_str(), sum_float_field, layout::vector, n);
    benchmark::RegisterBenchmark(("sum_float_field" + size + "/soa_columns").c_str(), sum_float_field,
                                 layout::soa_columns, n);
  }
  for (std::size_t n : sort_sizes) {
    const std::string size = "/" + std::to_string(n);
    benchmark::RegisterBenchmark(("sort_by_key" + size + "/soa_std_sort").c_str(), sort_by_key, sorter::soa_std, n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("sort_by_key" + size + "/soa_ranges_sort").c_str(), sort_by_key, sorter::soa_ranges,
                                 n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("sort_by_key" + size + "/soa_permutation").c_str(), sort_by_key,
                                 sorter::soa_permutation, n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("sort_by_key" + size + "/soa_permutation_comp").c_str(), sort_by_key,
                                 sorter::soa_permutation_comp, n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("sort_by_key" + size + "/aos").c_str(), sort_by_key, sorter::aos, n)
        ->Unit(benchmark::kMillisecond);
  }
}

[[maybe_unused]] const bool registered = (register_all(), true);

}  // namespace
