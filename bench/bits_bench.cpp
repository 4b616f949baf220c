// SPDX-License-Identifier: MIT
// electron::bits::bitset against std::vector<bool>, std::bitset, a naive
// bit-by-bit loop and (when installed) boost::dynamic_bitset, on the same
// bits. Names are group/implementation/bits, so a ratio is one lookup.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/bits.hpp"
#include "electron/test.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <random>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_BOOST)
#include <boost/dynamic_bitset.hpp>
#endif

namespace {

constexpr std::size_t fixed_bits = 1 << 20;  // std::bitset needs a compile-time size

// The same random bits for every implementation; density in percent.
std::vector<bool> make_bits(std::size_t n, unsigned density) {
  std::mt19937_64 rng(12345);
  std::vector<bool> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = rng() % 100 < density;
  return v;
}

electron::bits::bitset to_electron(const std::vector<bool>& v) {
  electron::bits::bitset b(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i]) b.set(i);
  return b;
}

template <std::size_t N>
std::unique_ptr<std::bitset<N>> to_std_bitset(const std::vector<bool>& v) {
  auto b = std::make_unique<std::bitset<N>>();
  for (std::size_t i = 0; i < v.size() && i < N; ++i)
    if (v[i]) b->set(i);
  return b;
}

#if defined(ELECTRON_BENCH_HAVE_BOOST)
boost::dynamic_bitset<std::uint64_t> to_boost(const std::vector<bool>& v) {
  boost::dynamic_bitset<std::uint64_t> b(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i]) b.set(i);
  return b;
}
#endif

void set_rate(benchmark::State& state, std::size_t bits) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bits));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bits / 8));
}

// ---- count ----------------------------------------------------------------
void count_electron(benchmark::State& state) {
  const auto b = to_electron(make_bits(static_cast<std::size_t>(state.range(0)), 50));
  for (auto _ : state) electron_bench::keep(b.count());
  set_rate(state, b.size());
}
void count_vector_bool(benchmark::State& state) {
  const auto v = make_bits(static_cast<std::size_t>(state.range(0)), 50);
  for (auto _ : state) electron_bench::keep(std::count(v.begin(), v.end(), true));
  set_rate(state, v.size());
}
void count_naive(benchmark::State& state) {
  const auto b = to_electron(make_bits(static_cast<std::size_t>(state.range(0)), 50));
  for (auto _ : state) {
    std::size_t c = 0;
    for (std::size_t i = 0; i < b.size(); ++i) c += b.test(i);
    electron_bench::keep(c);
  }
  set_rate(state, b.size());
}
void count_std_bitset(benchmark::State& state) {
  const auto b = to_std_bitset<fixed_bits>(make_bits(fixed_bits, 50));
  for (auto _ : state) {
    electron_bench::keep(b->count());
    electron_bench::clobber();
  }
  set_rate(state, fixed_bits);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void count_boost(benchmark::State& state) {
  const auto b = to_boost(make_bits(static_cast<std::size_t>(state.range(0)), 50));
  for (auto _ : state) electron_bench::keep(b.count());
  set_rate(state, b.size());
}
#endif

// ---- iterate the set bits (find_next_set) ------------------------------------
// range(0) = bits, range(1) = density in percent.
void iterate_electron(benchmark::State& state) {
  const auto b =
      to_electron(make_bits(static_cast<std::size_t>(state.range(0)), static_cast<unsigned>(state.range(1))));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (std::size_t i : b.set_bits()) sum += i;
    electron_bench::keep(sum);
  }
  set_rate(state, b.size());
}
void iterate_electron_find_next(benchmark::State& state) {
  const auto b =
      to_electron(make_bits(static_cast<std::size_t>(state.range(0)), static_cast<unsigned>(state.range(1))));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (std::size_t i = b.find_first_set(); i != b.npos; i = b.find_next_set(i)) sum += i;
    electron_bench::keep(sum);
  }
  set_rate(state, b.size());
}
void iterate_vector_bool(benchmark::State& state) {
  const auto v = make_bits(static_cast<std::size_t>(state.range(0)), static_cast<unsigned>(state.range(1)));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (auto it = std::find(v.begin(), v.end(), true); it != v.end(); it = std::find(it + 1, v.end(), true)) {
      sum += static_cast<std::size_t>(it - v.begin());
    }
    electron_bench::keep(sum);
  }
  set_rate(state, v.size());
}
void iterate_naive(benchmark::State& state) {
  const auto b =
      to_electron(make_bits(static_cast<std::size_t>(state.range(0)), static_cast<unsigned>(state.range(1))));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (std::size_t i = 0; i < b.size(); ++i)
      if (b.test(i)) sum += i;
    electron_bench::keep(sum);
  }
  set_rate(state, b.size());
}
#if defined(__GLIBCXX__)
void iterate_std_bitset(benchmark::State& state) {  // libstdc++'s _Find_next extension
  const auto b = to_std_bitset<fixed_bits>(make_bits(fixed_bits, static_cast<unsigned>(state.range(1))));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (std::size_t i = b->_Find_first(); i < fixed_bits; i = b->_Find_next(i)) sum += i;
    electron_bench::keep(sum);
  }
  set_rate(state, fixed_bits);
}
#endif
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void iterate_boost(benchmark::State& state) {
  const auto b = to_boost(make_bits(static_cast<std::size_t>(state.range(0)), static_cast<unsigned>(state.range(1))));
  for (auto _ : state) {
    std::size_t sum = 0;
    for (std::size_t i = b.find_first(); i != b.npos; i = b.find_next(i)) sum += i;
    electron_bench::keep(sum);
  }
  set_rate(state, b.size());
}
#endif

// ---- a &= b ---------------------------------------------------------------
void and_electron(benchmark::State& state) {
  auto a = to_electron(make_bits(static_cast<std::size_t>(state.range(0)), 50));
  const auto b = to_electron(make_bits(static_cast<std::size_t>(state.range(0)), 90));
  for (auto _ : state) {
    a &= b;
    electron_bench::keep(a.data());
    electron_bench::clobber();
  }
  set_rate(state, a.size());
}
void and_vector_bool(benchmark::State& state) {
  auto a = make_bits(static_cast<std::size_t>(state.range(0)), 50);
  const auto b = make_bits(static_cast<std::size_t>(state.range(0)), 90);
  for (auto _ : state) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = a[i] && b[i];
    electron_bench::clobber();
  }
  set_rate(state, a.size());
}
void and_std_bitset(benchmark::State& state) {
  auto a = to_std_bitset<fixed_bits>(make_bits(fixed_bits, 50));
  const auto b = to_std_bitset<fixed_bits>(make_bits(fixed_bits, 90));
  for (auto _ : state) {
    *a &= *b;
    electron_bench::keep(a.get());
    electron_bench::clobber();
  }
  set_rate(state, fixed_bits);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void and_boost(benchmark::State& state) {
  auto a = to_boost(make_bits(static_cast<std::size_t>(state.range(0)), 50));
  const auto b = to_boost(make_bits(static_cast<std::size_t>(state.range(0)), 90));
  for (auto _ : state) {
    a &= b;
    electron_bench::clobber();
  }
  set_rate(state, a.size());
}
#endif

// ---- allocations of a construction (the allocation-counter helper) ---------
void construct_electron(benchmark::State& state) {
  electron::test::bench_allocs(state, [&] {
    electron::bits::bitset b(static_cast<std::size_t>(state.range(0)));
    electron_bench::keep(b.data());
  });
}
void construct_vector_bool(benchmark::State& state) {
  electron::test::bench_allocs(state, [&] {
    std::vector<bool> v(static_cast<std::size_t>(state.range(0)));
    electron_bench::keep(&v);
  });
}

}  // namespace

constexpr std::int64_t k_small = 1 << 10, k_mid = 1 << 16, k_big = 1 << 20;

BENCHMARK(count_electron)->Name("count/electron")->Arg(k_small)->Arg(k_mid)->Arg(k_big);
BENCHMARK(count_vector_bool)->Name("count/vector_bool")->Arg(k_small)->Arg(k_mid)->Arg(k_big);
BENCHMARK(count_naive)->Name("count/naive")->Arg(k_small)->Arg(k_mid)->Arg(k_big);
BENCHMARK(count_std_bitset)->Name("count/std_bitset")->Arg(k_big);
#if defined(ELECTRON_BENCH_HAVE_BOOST)
BENCHMARK(count_boost)->Name("count/boost_dynamic_bitset")->Arg(k_small)->Arg(k_mid)->Arg(k_big);
#endif

BENCHMARK(iterate_electron)->Name("find_next_set/electron")->Args({k_big, 1})->Args({k_big, 50});
BENCHMARK(iterate_electron_find_next)->Name("find_next_set/electron_loop")->Args({k_big, 1})->Args({k_big, 50});
BENCHMARK(iterate_vector_bool)->Name("find_next_set/vector_bool")->Args({k_big, 1})->Args({k_big, 50});
BENCHMARK(iterate_naive)->Name("find_next_set/naive")->Args({k_big, 1})->Args({k_big, 50});
#if defined(__GLIBCXX__)
BENCHMARK(iterate_std_bitset)->Name("find_next_set/std_bitset")->Args({k_big, 1})->Args({k_big, 50});
#endif
#if defined(ELECTRON_BENCH_HAVE_BOOST)
BENCHMARK(iterate_boost)->Name("find_next_set/boost_dynamic_bitset")->Args({k_big, 1})->Args({k_big, 50});
#endif

BENCHMARK(and_electron)->Name("and/electron")->Arg(k_mid)->Arg(k_big);
BENCHMARK(and_vector_bool)->Name("and/vector_bool")->Arg(k_mid)->Arg(k_big);
BENCHMARK(and_std_bitset)->Name("and/std_bitset")->Arg(k_big);
#if defined(ELECTRON_BENCH_HAVE_BOOST)
BENCHMARK(and_boost)->Name("and/boost_dynamic_bitset")->Arg(k_mid)->Arg(k_big);
#endif

BENCHMARK(construct_electron)->Name("construct/electron")->Arg(4096);
BENCHMARK(construct_vector_bool)->Name("construct/vector_bool")->Arg(4096);

BENCHMARK_MAIN();
