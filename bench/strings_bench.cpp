// SPDX-License-Identifier: MIT
// electron::strings against the standard library on the same text:
// index_any vs std::string_view::find_first_of (4-byte set, absent), equal_fold
// (ASCII) vs a byte loop with std::tolower, builder vs std::string appends.
#include "electron/strings.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cctype>
#include <random>
#include <string>
#include <string_view>

namespace {

const std::string& text() {
  static const std::string t = [] {
    std::mt19937 rng(3);
    std::string s(1 << 16, ' ');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
    return s;
  }();
  return t;
}
const std::string& upper_text() {
  static const std::string u = [] {
    std::string s = text();
    for (std::size_t i = 0; i < s.size(); i += 3) s[i] = static_cast<char>(s[i] - 0x20);
    return s;
  }();
  return u;
}
std::string_view input(benchmark::State& state) { return {text().data(), static_cast<std::size_t>(state.range(0))}; }
void bytes(benchmark::State& state) { state.SetBytesProcessed(state.iterations() * state.range(0)); }
constexpr std::string_view set4 = "#$%&";  // absent from the text

void any_electron(benchmark::State& state) {
  const std::string_view s = input(state);
  for (auto _ : state) {
    electron_bench::keep(s.data());
    electron_bench::keep(electron::strings::index_any(s, set4));
  }
  bytes(state);
}
void any_find_first_of(benchmark::State& state) {
  const std::string_view s = input(state);
  for (auto _ : state) {
    electron_bench::keep(s.data());
    electron_bench::keep(s.find_first_of(set4));
  }
  bytes(state);
}

const electron_bench::short_inputs& lines_with_member() {
  static const electron_bench::short_inputs p(4, 160, "%");  // one of set4
  return p;
}
void any_rand_electron(benchmark::State& state) {
  lines_with_member().run(state, [](std::string_view s) { return electron::strings::index_any(s, set4); });
}
void any_rand_find_first_of(benchmark::State& state) {
  lines_with_member().run(state, [](std::string_view s) { return s.find_first_of(set4); });
}

bool tolower_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}
void fold_electron(benchmark::State& state) {
  const std::string_view a = input(state);
  const std::string_view b(upper_text().data(), a.size());
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(electron::strings::equal_fold(a, b));
  }
  bytes(state);
}
void fold_tolower(benchmark::State& state) {
  const std::string_view a = input(state);
  const std::string_view b(upper_text().data(), a.size());
  for (auto _ : state) {
    electron_bench::keep(a.data());
    electron_bench::keep(tolower_equal(a, b));
  }
  bytes(state);
}

void build_electron(benchmark::State& state) {
  electron::strings::builder b;
  for (auto _ : state) {
    b.clear();
    for (int i = 0; i < 20; ++i) b.append("key").append(i).append('=').append("value;");
    electron_bench::keep(b.view().data());
  }
  state.SetItemsProcessed(state.iterations() * 80);
}
// A fresh builder per line, its storage from a buffer_pool (the seam): the
// pool hands the same buffer back each time.
void build_electron_pooled(benchmark::State& state) {
  electron::pool::buffer_pool pool;
  for (auto _ : state) {
    electron::strings::builder b(pool);
    for (int i = 0; i < 20; ++i) b.append("key").append(i).append('=').append("value;");
    electron_bench::keep(b.view().data());
  }
  state.SetItemsProcessed(state.iterations() * 80);
}
// The same with a fresh std::string per line.
void build_std_string_fresh(benchmark::State& state) {
  for (auto _ : state) {
    std::string s;
    for (int i = 0; i < 20; ++i) {
      s += "key";
      s += std::to_string(i);
      s += '=';
      s += "value;";
    }
    electron_bench::keep(s.data());
  }
  state.SetItemsProcessed(state.iterations() * 80);
}
void build_std_string(benchmark::State& state) {
  std::string s;
  for (auto _ : state) {
    s.clear();
    for (int i = 0; i < 20; ++i) {
      s += "key";
      s += std::to_string(i);
      s += '=';
      s += "value;";
    }
    electron_bench::keep(s.data());
  }
  state.SetItemsProcessed(state.iterations() * 80);
}

}  // namespace

BENCHMARK(any_electron)->Name("index_any_4/electron")->Arg(64)->Arg(4096)->Arg(65536);
BENCHMARK(any_find_first_of)->Name("index_any_4/find_first_of")->Arg(64)->Arg(4096)->Arg(65536);
BENCHMARK(any_rand_electron)->Name("index_any_4/electron/rand4-160");
BENCHMARK(any_rand_find_first_of)->Name("index_any_4/find_first_of/rand4-160");
BENCHMARK(fold_electron)->Name("equal_fold_ascii/electron")->Arg(16)->Arg(64)->Arg(4096);
BENCHMARK(fold_tolower)->Name("equal_fold_ascii/tolower_loop")->Arg(16)->Arg(64)->Arg(4096);
BENCHMARK(build_electron)->Name("builder_80_appends/electron");
BENCHMARK(build_std_string)->Name("builder_80_appends/std_string");
BENCHMARK(build_electron_pooled)->Name("builder_80_appends_fresh/electron_pooled");
BENCHMARK(build_std_string_fresh)->Name("builder_80_appends_fresh/std_string");

BENCHMARK_MAIN();
