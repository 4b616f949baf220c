// SPDX-License-Identifier: MIT
// electron::parse integers against the standard library and fmt, on the same
// inputs in one binary:
// - parse_int<int64_t> vs std::from_chars vs strtoll, on decimal numbers of
//   1-19 random digits and of 1-4 digits (a quarter of them negative), visited
//   in an order the branch predictor cannot learn (fast_float has no integer
//   parser);
// - format_int (buffer) and int_chars (value) vs std::to_chars vs
//   fmt::format_int (when libfmt-dev is installed), on random int64 and
//   uint64 bit patterns and on values of 1-20 random digits.
// Names: parse_int64/<impl>/<shape>, format_int64/<impl>/<shape>, ...
#include "electron/parse/int.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_FMT)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <fmt/format.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

namespace ep = electron::parse;
using electron_bench::keep;

// 1024 numbers of min..max digits (a quarter negative), each followed by a
// NUL (strtoll needs one) in one buffer, and a 2^16-step random walk over them.
struct number_texts {
  std::string text;
  std::vector<std::string_view> items;
  std::vector<std::uint16_t> walk;
  number_texts(int min_digits, int max_digits, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> starts;
    for (int i = 0; i < 1024; ++i) {
      starts.push_back(text.size());
      if (rng() % 4 == 0) text += '-';
      const int n = min_digits + static_cast<int>(rng() % static_cast<unsigned>(max_digits - min_digits + 1));
      text += static_cast<char>('1' + rng() % 9);
      for (int k = 1; k < n; ++k) text += static_cast<char>('0' + rng() % 10);
      text += '\0';
    }
    for (const std::size_t s : starts) items.emplace_back(text.data() + s);  // up to the NUL
    walk.resize(std::size_t{1} << 16);
    for (auto& w : walk) w = static_cast<std::uint16_t>(rng() % items.size());
  }
  template <class F>
  void run(benchmark::State& state, F&& f) const {
    std::size_t j = 0, bytes = 0;
    const std::size_t mask = walk.size() - 1;
    for (auto _ : state) {
      const std::string_view s = items[walk[j++ & mask]];
      bytes += s.size();
      keep(f(s));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
  }
};

const number_texts& texts(int shape) {
  static const number_texts up_to_19(1, 19, 1);
  static const number_texts up_to_4(1, 4, 2);
  return shape == 19 ? up_to_19 : up_to_4;
}

void parse_electron(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](std::string_view s) {
    return ep::parse_int<std::int64_t>(s.data(), s.data() + s.size()).value;
  });
}
void parse_from_chars(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](std::string_view s) {
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  });
}
void parse_strtoll(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](std::string_view s) {
    char* end = nullptr;
    return std::strtoll(s.data(), &end, 10);
  });
}
// The whole-string form (one more comparison).
void parse_electron_whole(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](std::string_view s) {
    return ep::parse_int<std::int64_t>(s).value;
  });
}

// Values to format: random bit patterns, or 1-20 random digits.
template <class T>
const std::vector<T>& values(int shape) {
  static const std::vector<T> bits = [] {
    std::mt19937_64 rng(3);
    std::vector<T> v(4096);
    for (auto& x : v) x = static_cast<T>(rng());
    return v;
  }();
  static const std::vector<T> digits = [] {
    std::mt19937_64 rng(4);
    std::vector<T> v(4096);
    for (auto& x : v) {
      const int n = 1 + static_cast<int>(rng() % 20);
      std::uint64_t p = 1;
      for (int k = 1; k < n && p <= std::numeric_limits<std::uint64_t>::max() / 10; ++k) p *= 10;
      x = static_cast<T>(rng() % p + (n > 1 ? p / 10 : 0));
      if (std::is_signed_v<T> && rng() % 4 == 0) x = static_cast<T>(std::uint64_t{0} - static_cast<std::uint64_t>(x));
    }
    return v;
  }();
  return shape == 0 ? bits : digits;
}

template <class T, class F>
void format_run(benchmark::State& state, F&& f) {
  const std::vector<T>& v = values<T>(static_cast<int>(state.range(0)));
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    bytes += f(v[i++ & 4095]);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

template <class T>
void format_electron(benchmark::State& state) {
  format_run<T>(state, [](T x) {
    char buf[24];
    const auto r = ep::format_int(buf, buf + sizeof buf, x);
    keep(buf);
    return static_cast<std::size_t>(r.ptr - buf);
  });
}
template <class T>
void format_electron_value(benchmark::State& state) {
  format_run<T>(state, [](T x) {
    const ep::int_chars t(x);
    keep(t);
    return t.size();
  });
}
template <class T>
void format_to_chars(benchmark::State& state) {
  format_run<T>(state, [](T x) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    keep(buf);
    return static_cast<std::size_t>(r.ptr - buf);
  });
}
#if defined(ELECTRON_BENCH_HAVE_FMT)
template <class T>
void format_fmt(benchmark::State& state) {
  format_run<T>(state, [](T x) {
    const fmt::format_int t(x);
    keep(t);
    return t.size();
  });
}
#endif

// Arg: 19 = 1-19 digits, 4 = 1-4 digits.
BENCHMARK(parse_electron)->Name("parse_int64/electron/1-19")->Arg(19);
BENCHMARK(parse_from_chars)->Name("parse_int64/from_chars/1-19")->Arg(19);
BENCHMARK(parse_strtoll)->Name("parse_int64/strtoll/1-19")->Arg(19);
BENCHMARK(parse_electron_whole)->Name("parse_int64/electron_whole/1-19")->Arg(19);
BENCHMARK(parse_electron)->Name("parse_int64/electron/1-4")->Arg(4);
BENCHMARK(parse_from_chars)->Name("parse_int64/from_chars/1-4")->Arg(4);
BENCHMARK(parse_strtoll)->Name("parse_int64/strtoll/1-4")->Arg(4);
BENCHMARK(parse_electron_whole)->Name("parse_int64/electron_whole/1-4")->Arg(4);

// Arg: 0 = random bits, 1 = 1-20 random digits.
#define ELECTRON_FORMAT_BENCH(T, tname, shape, arg)                                                  \
  BENCHMARK(format_electron<T>)->Name("format_" tname "/electron/" shape)->Arg(arg);                 \
  BENCHMARK(format_electron_value<T>)->Name("format_" tname "/electron_int_chars/" shape)->Arg(arg); \
  BENCHMARK(format_to_chars<T>)->Name("format_" tname "/to_chars/" shape)->Arg(arg);                 \
  ELECTRON_FORMAT_BENCH_FMT(T, tname, shape, arg)
#if defined(ELECTRON_BENCH_HAVE_FMT)
#define ELECTRON_FORMAT_BENCH_FMT(T, tname, shape, arg) \
  BENCHMARK(format_fmt<T>)->Name("format_" tname "/fmt_format_int/" shape)->Arg(arg);
#else
#define ELECTRON_FORMAT_BENCH_FMT(T, tname, shape, arg)
#endif
ELECTRON_FORMAT_BENCH(std::int64_t, "int64", "random", 0)
ELECTRON_FORMAT_BENCH(std::uint64_t, "uint64", "random", 0)
ELECTRON_FORMAT_BENCH(std::int64_t, "int64", "1-20digits", 1)
ELECTRON_FORMAT_BENCH(std::uint64_t, "uint64", "1-20digits", 1)

}  // namespace
