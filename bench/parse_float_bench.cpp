// SPDX-License-Identifier: MIT
// electron::parse::parse_float<double> against std::from_chars (libstdc++),
// strtod and fast_float (when installed) on the same inputs:
//   canada   the numbers of canada.json (nativejson-benchmark; skipped when
//            the corpus folder is absent), ~111,000 coordinates of 15-17 digits
//   shortest 100,000 random doubles (random bit patterns) printed shortest
//            by std::to_chars
//   short    100,000 short decimals like 12.5 or 305.75 (1-4 digits, 0-2 decimals)
// Each iteration parses the whole set; bytes/s is MB/s of text and
// ns_per_number the time per number. Names: parse_float/<impl>/<input>.
#include "electron/parse/float.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_FAST_FLOAT)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <fast_float/fast_float.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

/// Numbers stored back to back, each followed by a NUL (strtod needs an end
/// it cannot read past), with their views.
struct number_set {
  std::string text;
  std::vector<std::string_view> items;
  std::size_t bytes = 0;

  void add(std::string_view s) {
    text.append(s);
    text.push_back('\0');
    bytes += s.size();
  }
  void finish() {
    std::size_t at = 0;
    while (at < text.size()) {
      const std::size_t end = text.find('\0', at);
      items.emplace_back(text.data() + at, end - at);
      at = end + 1;
    }
  }
};

std::string corpus_dir() {
  if (const char* env = std::getenv("ELECTRON_CORPUS_DIR"); env != nullptr) return env;
#if defined(ELECTRON_BENCH_CORPUS_DIR)
  return ELECTRON_BENCH_CORPUS_DIR;
#else
  return {};
#endif
}

const number_set& canada() {
  static const number_set set = [] {
    number_set s;
    std::ifstream in(corpus_dir() + "/encoding/json/nativejson-benchmark/data/canada.json");
    if (!in) return s;
    std::ostringstream whole;
    whole << in.rdbuf();
    const std::string json = whole.str();
    // Every number token: outside strings, starting with '-' or a digit.
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
      const char c = json[i];
      if (in_string) {
        if (c == '\\')
          ++i;
        else if (c == '"')
          in_string = false;
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        std::size_t j = i;
        while (j < json.size() && std::string_view("0123456789+-.eE").find(json[j]) != std::string_view::npos) ++j;
        s.add(std::string_view(json).substr(i, j - i));
        i = j - 1;
      }
    }
    s.finish();
    return s;
  }();
  return set;
}

const number_set& shortest() {
  static const number_set set = [] {
    number_set s;
    std::mt19937_64 rng(7);
    char buf[64];
    for (int n = 0; n < 100000;) {
      const double v = std::bit_cast<double>(rng());
      if (!std::isfinite(v)) continue;
      const auto r = std::to_chars(buf, buf + sizeof buf, v);
      s.add(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
      ++n;
    }
    s.finish();
    return s;
  }();
  return set;
}

const number_set& short_decimals() {
  static const number_set set = [] {
    number_set s;
    std::mt19937_64 rng(9);
    for (int i = 0; i < 100000; ++i) {
      std::string t = std::to_string(rng() % 10000);
      const auto decimals = rng() % 3;
      if (decimals > 0) {
        t += '.';
        for (std::uint64_t k = 0; k < decimals; ++k) t += static_cast<char>('0' + rng() % 10);
      }
      s.add(t);
    }
    s.finish();
    return s;
  }();
  return set;
}

enum class input { canada, shortest, short_decimals };
const number_set& set_of(input in) {
  switch (in) {
    case input::canada:
      return canada();
    case input::shortest:
      return shortest();
    default:
      return short_decimals();
  }
}

template <class Parse>
void run(benchmark::State& state, input in, Parse parse) {
  const number_set& set = set_of(in);
  if (set.items.empty()) {
    state.SkipWithError("canada.json not found (ELECTRON_CORPUS_DIR)");
    return;
  }
  double sum = 0;
  for (auto _ : state) {
    for (const std::string_view s : set.items) sum += parse(s);
    electron_bench::keep(sum);
  }
  const auto n = static_cast<double>(set.items.size());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(set.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(set.items.size()));
  state.counters["ns_per_number"] =
      benchmark::Counter(n * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

double with_electron(std::string_view s) { return electron::parse::parse_float<double>(s).value; }
double with_from_chars(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
double with_strtod(std::string_view s) { return std::strtod(s.data(), nullptr); }
#if defined(ELECTRON_BENCH_HAVE_FAST_FLOAT)
double with_fast_float(std::string_view s) {
  double v = 0;
  fast_float::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
#endif

void register_all() {
  struct named_input {
    const char* name;
    input in;
  };
  struct named_impl {
    const char* name;
    double (*parse)(std::string_view);
  };
  const named_input inputs[] = {
      {"canada", input::canada}, {"shortest", input::shortest}, {"short", input::short_decimals}};
  const named_impl impls[] = {
    {"electron", with_electron},
    {"from_chars", with_from_chars},
    {"strtod", with_strtod},
#if defined(ELECTRON_BENCH_HAVE_FAST_FLOAT)
    {"fast_float", with_fast_float},
#endif
  };
  for (const named_input& i : inputs) {
    for (const named_impl& m : impls) {
      const std::string name = std::string("parse_float/") + m.name + "/" + i.name;
      benchmark::RegisterBenchmark(name.c_str(),
                                   [in = i.in, parse = m.parse](benchmark::State& st) { run(st, in, parse); });
    }
  }
}

[[maybe_unused]] const int registered = (register_all(), 0);

}  // namespace
