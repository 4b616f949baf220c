// SPDX-License-Identifier: MIT
// electron::parse::format_float (shortest) against std::to_chars, Dragonbox
// (jkj::dragonbox::to_chars_n, Debian libdragonbox-dev, when installed) and
// fmt::format_to (libfmt-dev, when installed) and double-conversion's
// DoubleToStringConverter::ToShortest (libdouble-conversion-dev, when
// installed), on the same values in one binary:
// - random: 4096 doubles from random bit patterns (finite), 15-17 digits,
//   exponents over the whole range;
// - short: 4096 doubles of 1-6 significant digits and exponents -6..6
//   (prices, measurements), where fixed and scientific both occur;
// - float: 4096 floats from random bit patterns.
// Names: format_float/<impl>/<shape>. Dragonbox and fmt write their own
// spellings ("1E5", "1e+05"...): the same digits, other formats.
#include "electron/parse/format_float.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_FMT)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <fmt/format.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif
#if defined(ELECTRON_BENCH_HAVE_DRAGONBOX)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <dragonbox/dragonbox_to_chars.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <double-conversion/double-conversion.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

namespace ep = electron::parse;

const std::vector<double>& doubles(int shape) {
  static const std::vector<double> random = [] {
    std::mt19937_64 rng(5);
    std::vector<double> v;
    while (v.size() < 4096) {
      const double x = std::bit_cast<double>(rng());
      if (std::isfinite(x)) v.push_back(x);
    }
    return v;
  }();
  static const std::vector<double> short_ = [] {
    std::mt19937_64 rng(6);
    std::vector<double> v;
    while (v.size() < 4096) {
      const int digits = 1 + static_cast<int>(rng() % 6);
      std::uint64_t p = 1;
      for (int k = 0; k < digits; ++k) p *= 10;
      const auto m = static_cast<double>(rng() % p);
      v.push_back(m * std::pow(10.0, static_cast<double>(static_cast<int>(rng() % 13) - 6 - digits / 2)));
    }
    return v;
  }();
  return shape == 0 ? random : short_;
}

const std::vector<float>& floats() {
  static const std::vector<float> v = [] {
    std::mt19937_64 rng(7);
    std::vector<float> out;
    while (out.size() < 4096) {
      const float x = std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
      if (std::isfinite(x)) out.push_back(x);
    }
    return out;
  }();
  return v;
}

template <class T, class F>
void run(benchmark::State& state, const std::vector<T>& v, F&& f) {
  std::size_t i = 0, bytes = 0;
  char buf[64];
  for (auto _ : state) {
    const std::size_t n = f(buf, v[i++ & 4095]);
    electron_bench::escape(buf);  // every byte written counts (an inlined formatter's stores stay)
    bytes += n;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

template <class T>
const std::vector<T>& input(int shape) {
  if constexpr (std::is_same_v<T, float>) {
    (void)shape;
    return floats();
  } else {
    return doubles(shape);
  }
}

template <class T>
void ours(benchmark::State& state) {
  run(state, input<T>(static_cast<int>(state.range(0))),
      [](char* b, T x) { return static_cast<std::size_t>(ep::format_float(b, b + 64, x).ptr - b); });
}
template <class T>
void std_to_chars(benchmark::State& state) {
  run(state, input<T>(static_cast<int>(state.range(0))),
      [](char* b, T x) { return static_cast<std::size_t>(std::to_chars(b, b + 64, x).ptr - b); });
}
#if defined(ELECTRON_BENCH_HAVE_DRAGONBOX)
template <class T>
void dragonbox(benchmark::State& state) {
  run(state, input<T>(static_cast<int>(state.range(0))),
      [](char* b, T x) { return static_cast<std::size_t>(jkj::dragonbox::to_chars_n(x, b) - b); });
}
#endif
#if defined(ELECTRON_BENCH_HAVE_FMT)
template <class T>
void fmt_format_to(benchmark::State& state) {
  run(state, input<T>(static_cast<int>(state.range(0))),
      [](char* b, T x) { return static_cast<std::size_t>(fmt::format_to(b, "{}", x) - b); });
}
#endif
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
// The ECMAScript converter (shortest digits, JavaScript's layout).
template <class T>
void double_conversion_shortest(benchmark::State& state) {
  const auto& conv = double_conversion::DoubleToStringConverter::EcmaScriptConverter();
  run(state, input<T>(static_cast<int>(state.range(0))), [&conv](char* b, T x) {
    double_conversion::StringBuilder out(b, 64);
    if constexpr (std::is_same_v<T, float>) {
      conv.ToShortestSingle(x, &out);
    } else {
      conv.ToShortest(x, &out);
    }
    return static_cast<std::size_t>(out.position());
  });
}
#endif

}  // namespace

BENCHMARK(ours<double>)->Name("format_float/electron/random")->Arg(0);
BENCHMARK(std_to_chars<double>)->Name("format_float/to_chars/random")->Arg(0);
BENCHMARK(ours<double>)->Name("format_float/electron/short")->Arg(1);
BENCHMARK(std_to_chars<double>)->Name("format_float/to_chars/short")->Arg(1);
BENCHMARK(ours<float>)->Name("format_float/electron/float")->Arg(0);
BENCHMARK(std_to_chars<float>)->Name("format_float/to_chars/float")->Arg(0);
#if defined(ELECTRON_BENCH_HAVE_DRAGONBOX)
BENCHMARK(dragonbox<double>)->Name("format_float/dragonbox/random")->Arg(0);
BENCHMARK(dragonbox<double>)->Name("format_float/dragonbox/short")->Arg(1);
BENCHMARK(dragonbox<float>)->Name("format_float/dragonbox/float")->Arg(0);
#endif
#if defined(ELECTRON_BENCH_HAVE_FMT)
BENCHMARK(fmt_format_to<double>)->Name("format_float/fmt/random")->Arg(0);
BENCHMARK(fmt_format_to<double>)->Name("format_float/fmt/short")->Arg(1);
BENCHMARK(fmt_format_to<float>)->Name("format_float/fmt/float")->Arg(0);
#endif
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
BENCHMARK(double_conversion_shortest<double>)->Name("format_float/double_conversion/random")->Arg(0);
BENCHMARK(double_conversion_shortest<double>)->Name("format_float/double_conversion/short")->Arg(1);
BENCHMARK(double_conversion_shortest<float>)->Name("format_float/double_conversion/float")->Arg(0);
#endif
