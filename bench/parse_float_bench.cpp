// SPDX-License-Identifier: MIT
// electron::parse::parse_float<double> against std::from_chars (libstdc++),
// strtod, fast_float and double-conversion (when installed) on the same inputs:
//   canada   the numbers of canada.json (nativejson-benchmark; skipped when
//            the corpus folder is absent), ~111,000 coordinates of 15-17 digits
//   shortest 100,000 random doubles (random bit patterns) printed shortest
//            by std::to_chars
//   short    100,000 short decimals like 12.5 or 305.75 (1-4 digits, 0-2 decimals)
// Each input is one text of comma-separated numbers, parsed front to back
// the way a JSON or CSV reader does; each iteration parses the whole text.
// bytes/s is MB/s of number characters and ns_per_number the time per
// number. Names: parse_float/<impl>/<input>.
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
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <double-conversion/double-conversion.h>
ELECTRON_BENCH_PEER_HEADERS_END
#include <limits>
#endif

namespace {

/// The numbers of one input as a JSON array or a CSV column holds them: one
/// contiguous text, each number followed by a ',' (the last one too), then a
/// NUL. Every implementation parses it front to back the same way: parse at
/// p, continue one past the end it reports. strtod gets the same pointer and
/// stops at the ','; the final NUL bounds it.
struct number_set {
  std::string text;
  std::size_t count = 0;
  std::size_t bytes = 0;  ///< characters of the numbers (not the commas)

  void add(std::string_view s) {
    text.append(s);
    text.push_back(',');
    bytes += s.size();
    ++count;
  }
  void finish() {
    text.push_back('\0');
    text.shrink_to_fit();
  }
  [[nodiscard]] const char* begin() const { return text.data(); }
  [[nodiscard]] const char* end() const { return text.data() + text.size() - 1; }  // before the NUL
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

// Parse returns the value and sets `next` one past the number. Each
// implementation is a lambda, inlined into its own copy of the loop as a
// caller's code would have it (std::from_chars and strtod are calls into the
// C++ and C runtimes, as they are for every program).
template <class Parse>
void run(benchmark::State& state, input in, Parse parse) {
  const number_set& set = set_of(in);
  if (set.count == 0) {
    state.SkipWithError("canada.json not found (ELECTRON_CORPUS_DIR)");
    return;
  }
  const char* const first = set.begin();
  const char* const last = set.end();
  double sum = 0;
  for (auto _ : state) {
    const char* p = first;
    while (p != last) {
      const char* next = p;
      sum += parse(p, last, next);
      p = next + 1;  // past the ','
    }
    electron_bench::keep(sum);
  }
  const auto n = static_cast<double>(set.count);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(set.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(set.count));
  state.counters["ns_per_number"] =
      benchmark::Counter(n * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

struct with_electron {
  double operator()(const char* p, const char* last, const char*& next) const {
    const auto r = electron::parse::parse_float<double>(p, last);
    next = r.ptr;
    return r.value;
  }
};
struct with_from_chars {
  double operator()(const char* p, const char* last, const char*& next) const {
    double v = 0;
    next = std::from_chars(p, last, v).ptr;
    return v;
  }
};
struct with_strtod {
  double operator()(const char* p, const char*, const char*& next) const {
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    next = end;
    return v;
  }
};
#if defined(ELECTRON_BENCH_HAVE_FAST_FLOAT)
struct with_fast_float {
  double operator()(const char* p, const char* last, const char*& next) const {
    double v = 0;
    next = fast_float::from_chars(p, last, v).ptr;
    return v;
  }
};
#endif
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
// double-conversion's StringToDoubleConverter (V8's), told to stop at the
// ',' like the others (ALLOW_TRAILING_JUNK) and given the rest of the text.
struct with_double_conversion {
  double_conversion::StringToDoubleConverter conv{double_conversion::StringToDoubleConverter::ALLOW_TRAILING_JUNK, 0.0,
                                                  std::numeric_limits<double>::quiet_NaN(), "inf", "nan"};
  double operator()(const char* p, const char* last, const char*& next) const {
    int processed = 0;
    const double v = conv.StringToDouble(p, static_cast<int>(last - p), &processed);
    next = p + processed;
    return v;
  }
};
#endif

template <class Parse>
void add(const char* impl, const char* input_name, input in) {
  const std::string name = std::string("parse_float/") + impl + "/" + input_name;
  benchmark::RegisterBenchmark(name.c_str(), [in](benchmark::State& st) { run(st, in, Parse{}); });
}

void register_all() {
  struct named_input {
    const char* name;
    input in;
  };
  const named_input inputs[] = {
      {"canada", input::canada}, {"shortest", input::shortest}, {"short", input::short_decimals}};
  for (const named_input& i : inputs) {
    add<with_electron>("electron", i.name, i.in);
    add<with_from_chars>("from_chars", i.name, i.in);
    add<with_strtod>("strtod", i.name, i.in);
#if defined(ELECTRON_BENCH_HAVE_FAST_FLOAT)
    add<with_fast_float>("fast_float", i.name, i.in);
#endif
#if defined(ELECTRON_BENCH_HAVE_DOUBLE_CONVERSION)
    add<with_double_conversion>("double_conversion", i.name, i.in);
#endif
  }
}

[[maybe_unused]] const int registered = (register_all(), 0);

}  // namespace
