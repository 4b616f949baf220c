// SPDX-License-Identifier: MIT
// electron::parse integers against the standard library and fmt, on the same
// inputs in one binary:
// - parse_int<int64_t> vs std::from_chars vs strtoll, on one comma-separated
//   text of decimal numbers of 1-19 random digits or of 1-4 digits (a
//   quarter of them negative), parsed front to back (fast_float has no
//   integer parser);
// - format_int (buffer) and int_chars (value) vs std::to_chars vs
//   fmt::format_int (when libfmt-dev is installed), writing random int64 and
//   uint64 bit patterns and values of 1-20 random digits into one
//   comma-separated text.
// ns_per_number is the time per number.
// Names: parse_int64/<impl>/<shape>, format_int64/<impl>/<shape>, ...
#include "electron/parse/int.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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

// 16,384 numbers of min..max digits (a quarter negative), each followed by
// a ',', in one text ending in a NUL, as a CSV column or a JSON array holds
// them. Every implementation parses it front to back the same way: parse
// at p, continue one past the end it reports (strtoll gets the same
// pointer and stops at the ','). Lengths and signs are random, so the
// branch predictor cannot learn them.
struct number_texts {
  std::string text;
  std::size_t count = 0;
  std::size_t bytes = 0;  ///< characters of the numbers (not the commas)
  number_texts(int min_digits, int max_digits, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 16384; ++i) {
      const std::size_t before = text.size();
      if (rng() % 4 == 0) text += '-';
      const int n = min_digits + static_cast<int>(rng() % static_cast<unsigned>(max_digits - min_digits + 1));
      text += static_cast<char>('1' + rng() % 9);
      for (int k = 1; k < n; ++k) text += static_cast<char>('0' + rng() % 10);
      bytes += text.size() - before;
      text += ',';
      ++count;
    }
    text += '\0';
  }
  // f(p, last, next) returns the value and sets next one past the number.
  template <class F>
  void run(benchmark::State& state, F&& f) const {
    const char* const first = text.data();
    const char* const last = text.data() + text.size() - 1;  // before the NUL
    std::uint64_t sum = 0;                                   // wraps (a signed sum of random int64 would overflow)
    for (auto _ : state) {
      const char* p = first;
      while (p != last) {
        const char* next = p;
        sum += static_cast<std::uint64_t>(f(p, last, next));
        p = next + 1;  // past the ','
      }
      keep(sum);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
    state.counters["ns_per_number"] = benchmark::Counter(
        static_cast<double>(count) * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  }
};

const number_texts& texts(int shape) {
  static const number_texts up_to_19(1, 19, 1);
  static const number_texts up_to_4(1, 4, 2);
  return shape == 19 ? up_to_19 : up_to_4;
}

void parse_electron(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](const char* p, const char* last, const char*& next) {
    const auto r = ep::parse_int<std::int64_t>(p, last);
    next = r.ptr;
    return r.value;
  });
}
void parse_from_chars(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](const char* p, const char* last, const char*& next) {
    std::int64_t v = 0;
    next = std::from_chars(p, last, v).ptr;
    return v;
  });
}
void parse_strtoll(benchmark::State& state) {
  texts(static_cast<int>(state.range(0))).run(state, [](const char* p, const char*, const char*& next) {
    char* end = nullptr;
    const std::int64_t v = std::strtoll(p, &end, 10);
    next = end;
    return v;
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

// Formats the 4,096 values into one output text, each followed by a ','
// (as a CSV or JSON writer does), the same way for every implementation;
// the value forms (int_chars, fmt::format_int) are copied out with their
// size, as a writer copies them.
template <class T, class F>
void format_run(benchmark::State& state, F&& f) {
  const std::vector<T>& v = values<T>(static_cast<int>(state.range(0)));
  std::vector<char> out(v.size() * 24);
  std::size_t bytes = 0;
  for (auto _ : state) {
    char* p = out.data();
    for (const T x : v) {
      p = f(p, x);
      *p++ = ',';
    }
    bytes = static_cast<std::size_t>(p - out.data()) - v.size();
    keep(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(v.size()));
  state.counters["ns_per_number"] =
      benchmark::Counter(static_cast<double>(v.size()) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <class T>
void format_electron(benchmark::State& state) {
  format_run<T>(state, [](char* p, T x) { return ep::format_int(p, p + 24, x).ptr; });
}
template <class T>
void format_electron_value(benchmark::State& state) {
  format_run<T>(state, [](char* p, T x) {
    const ep::int_chars t(x);
    std::memcpy(p, t.data(), t.size());
    return p + t.size();
  });
}
template <class T>
void format_to_chars(benchmark::State& state) {
  format_run<T>(state, [](char* p, T x) { return std::to_chars(p, p + 24, x).ptr; });
}
#if defined(ELECTRON_BENCH_HAVE_FMT)
template <class T>
void format_fmt(benchmark::State& state) {
  format_run<T>(state, [](char* p, T x) {
    const fmt::format_int t(x);
    std::memcpy(p, t.data(), t.size());
    return p + t.size();
  });
}
#endif

// Arg: 19 = 1-19 digits, 4 = 1-4 digits.
BENCHMARK(parse_electron)->Name("parse_int64/electron/1-19")->Arg(19);
BENCHMARK(parse_from_chars)->Name("parse_int64/from_chars/1-19")->Arg(19);
BENCHMARK(parse_strtoll)->Name("parse_int64/strtoll/1-19")->Arg(19);
BENCHMARK(parse_electron)->Name("parse_int64/electron/1-4")->Arg(4);
BENCHMARK(parse_from_chars)->Name("parse_int64/from_chars/1-4")->Arg(4);
BENCHMARK(parse_strtoll)->Name("parse_int64/strtoll/1-4")->Arg(4);

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
