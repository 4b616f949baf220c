// SPDX-License-Identifier: MIT
// electron::result<T, E> against the ways C++20 code reports the same
// failure: std::optional<T> (no error kind), a std::pair<T, std::errc>, and
// an exception. The work: halve 4096 integers, a quarter of them odd (an
// error), and sum the halves. Names: result/<impl>/<error percent>.
#include "electron/result.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace {

using electron_bench::keep;

const std::vector<int>& inputs(int error_percent) {
  static std::vector<int> v[2];
  std::vector<int>& out = v[error_percent == 0 ? 0 : 1];
  if (out.empty()) {
    std::mt19937 rng(3);
    for (int i = 0; i < 4096; ++i) {
      const int x = static_cast<int>(rng() % 100000) * 2;
      out.push_back(static_cast<int>(rng() % 100) < error_percent ? x + 1 : x);
    }
  }
  return out;
}

[[gnu::noinline]] electron::result<int, std::errc> half_result(int v) {
  if (v % 2 != 0) return electron::result<int, std::errc>::failure(std::errc::invalid_argument);
  return v / 2;
}
[[gnu::noinline]] std::optional<int> half_optional(int v) {
  if (v % 2 != 0) return std::nullopt;
  return v / 2;
}
[[gnu::noinline]] std::pair<int, std::errc> half_pair(int v) {
  if (v % 2 != 0) return {0, std::errc::invalid_argument};
  return {v / 2, std::errc{}};
}
[[gnu::noinline]] int half_throw(int v) {
  if (v % 2 != 0) throw std::invalid_argument("odd");
  return v / 2;
}

template <class F>
void run(benchmark::State& state, F&& f) {
  const std::vector<int>& in = inputs(static_cast<int>(state.range(0)));
  std::int64_t sum = 0;
  for (auto _ : state) {
    for (const int x : in) sum += f(x);
    keep(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}

void electron_result(benchmark::State& state) {
  run(state, [](int x) {
    const auto r = half_result(x);
    return r ? *r : -1;
  });
}
void std_optional(benchmark::State& state) {
  run(state, [](int x) { return half_optional(x).value_or(-1); });
}
void std_pair_errc(benchmark::State& state) {
  run(state, [](int x) {
    const auto [v, ec] = half_pair(x);
    return ec == std::errc{} ? v : -1;
  });
}
void exception(benchmark::State& state) {
  run(state, [](int x) {
    try {
      return half_throw(x);
    } catch (const std::invalid_argument&) {
      return -1;
    }
  });
}

}  // namespace

BENCHMARK(electron_result)->Name("result/electron")->Arg(0)->Arg(25);
BENCHMARK(std_optional)->Name("result/std_optional")->Arg(0)->Arg(25);
BENCHMARK(std_pair_errc)->Name("result/std_pair_errc")->Arg(0)->Arg(25);
BENCHMARK(exception)->Name("result/exception")->Arg(0)->Arg(25);

BENCHMARK_MAIN();
