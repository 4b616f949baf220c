// SPDX-License-Identifier: MIT
// electron::strings against the standard library on the same text:
// index_any vs std::string_view::find_first_of (4-byte set, absent), equal_fold
// (ASCII) vs a byte loop with std::tolower, builder vs std::string appends,
// simd::last_index_byte vs string_view::rfind and memrchr;
// the text tools over a ~1 MiB access log: lines vs a string_view::find loop,
// std::getline and boost::split, split and fields on every line vs std loops
// and boost::split.
#include "electron/simd.hpp"
#include "electron/strings.hpp"

#include <benchmark/benchmark.h>

#include "bench_util.hpp"

#include <cctype>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_BOOST)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/range/iterator_range.hpp>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

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

// last_index_byte: the byte is absent (the whole input is scanned).
void last_electron(benchmark::State& state) {
  const std::string_view s = input(state);
  for (auto _ : state) {
    electron_bench::keep(s.data());
    electron_bench::keep(electron::simd::last_index_byte(s, '#'));
  }
  bytes(state);
}
void last_rfind(benchmark::State& state) {
  const std::string_view s = input(state);
  for (auto _ : state) {
    electron_bench::keep(s.data());
    electron_bench::keep(s.rfind('#'));
  }
  bytes(state);
}
#if defined(__GLIBC__)
void last_memrchr(benchmark::State& state) {
  const std::string_view s = input(state);
  for (auto _ : state) {
    electron_bench::keep(s.data());
    electron_bench::keep(::memrchr(s.data(), '#', s.size()));
  }
  bytes(state);
}
#endif

// ---------------------------------------------------------------------------
// Text tools over an access log: ~1 MiB of lines of 60-250 bytes, CRLF on a
// fifth of them, each with 9 space-separated fields.
// ---------------------------------------------------------------------------
const std::string& access_log() {
  static const std::string t = [] {
    std::mt19937 rng(7);
    const char* const paths[] = {"/",
                                 "/index.html",
                                 "/api/v1/users",
                                 "/static/app.js",
                                 "/img/logo.png",
                                 "/search?q=electron+simd+text&page=2",
                                 "/api/v1/orders/12345/items"};
    const char* const agents[] = {"curl/8.0", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0",
                                  "Go-http-client/1.1", "python-requests/2.31"};
    std::string s;
    while (s.size() < (1u << 20)) {
      s += "10." + std::to_string(rng() % 256) + '.' + std::to_string(rng() % 256) + '.' + std::to_string(rng() % 256) +
           " - - [01/Dec/2026:12:" + std::to_string(10 + rng() % 50) + ":00] \"GET " + paths[rng() % 7] +
           " HTTP/1.1\" " + (rng() % 5 == 0 ? "404 " : "200 ") + std::to_string(rng() % 90000) + " \"" +
           agents[rng() % 4] + '"' + (rng() % 5 == 0 ? "\r\n" : "\n");
    }
    return s;
  }();
  return t;
}
void log_bytes(benchmark::State& state) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(access_log().size()));
}

void lines_electron(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) n += line.size();
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void lines_find(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view rest = text; !rest.empty();) {
      const std::size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
      n += line.size();
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void lines_getline(benchmark::State& state) {
  // The stream is built in the loop: that is how it is used (its copy of
  // the text is a small part of the time).
  std::string line;
  for (auto _ : state) {
    std::istringstream in(access_log());
    std::size_t n = 0;
    while (std::getline(in, line)) n += line.size() - (!line.empty() && line.back() == '\r');
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
using boost_piece = boost::iterator_range<std::string_view::const_iterator>;
void lines_boost_split(benchmark::State& state) {
  // Pieces as iterator ranges into the text (no string copies), the vector
  // reused; boost::split has no CR handling, so the CR is dropped here.
  const std::string_view text = access_log();
  std::vector<boost_piece> pieces;
  for (auto _ : state) {
    boost::split(pieces, text, boost::is_any_of("\n"));
    std::size_t n = 0;
    for (const auto& p : pieces) n += p.size() - (!p.empty() && p.back() == '\r');
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#endif

void split_electron(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      for (std::string_view field : electron::strings::split(line, ' ')) n += field.size() + 1;
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void split_find(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      for (std::size_t from = 0;;) {
        const std::size_t at = line.find(' ', from);
        n += (at == std::string_view::npos ? line.size() : at) - from + 1;
        if (at == std::string_view::npos) break;
        from = at + 1;
      }
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void split_boost(benchmark::State& state) {
  const std::string_view text = access_log();
  std::vector<boost_piece> pieces;
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      boost::split(pieces, line, boost::is_any_of(" "));
      for (const auto& p : pieces) n += p.size() + 1;
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#endif

void fields_electron(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      for (std::string_view field : electron::strings::fields(line)) n += field.size() + 1;
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void fields_std(benchmark::State& state) {
  // find_first_not_of / find_first_of over the six ASCII whitespace bytes.
  constexpr std::string_view ws = " \t\n\v\f\r";
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      for (std::size_t from = line.find_first_not_of(ws); from != std::string_view::npos;) {
        const std::size_t to = line.find_first_of(ws, from);
        n += (to == std::string_view::npos ? line.size() : to) - from + 1;
        from = to == std::string_view::npos ? to : line.find_first_not_of(ws, to);
      }
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
// The access-log pattern: the fields up to a given index (6, the path, and
// 8, the status), leaving the loop early. Compilers peel such a loop by
// its counter, which once inflated a byte-by-byte fields loop 6x (clang).
void fields_nth_electron(benchmark::State& state) {
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      int i = 0;
      for (std::string_view field : electron::strings::fields(line)) {
        if (i == 6) n += field.size();
        if (i++ == 8) {
          n += field.size();
          break;
        }
      }
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void fields_nth_std(benchmark::State& state) {
  constexpr std::string_view ws = " \t\n\v\f\r";
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      int i = 0;
      for (std::size_t from = line.find_first_not_of(ws); from != std::string_view::npos;) {
        const std::size_t to = line.find_first_of(ws, from);
        const std::size_t len = (to == std::string_view::npos ? line.size() : to) - from;
        if (i == 6) n += len;
        if (i++ == 8) {
          n += len;
          break;
        }
        from = to == std::string_view::npos ? to : line.find_first_not_of(ws, to);
      }
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
void fields_isspace(benchmark::State& state) {
  // The hand-written loop: std::isspace byte by byte.
  const std::string_view text = access_log();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      std::size_t i = 0;
      while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i == line.size()) break;
        const std::size_t from = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        n += i - from + 1;
      }
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void fields_boost(benchmark::State& state) {
  // token_compress_on merges runs; a leading run still yields one empty piece.
  const std::string_view text = access_log();
  std::vector<boost_piece> pieces;
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::string_view line : electron::strings::lines(text)) {
      boost::split(pieces, line, boost::is_space(), boost::token_compress_on);
      for (const auto& p : pieces) n += p.size() + !p.empty();
    }
    electron_bench::keep(n);
  }
  log_bytes(state);
}
#endif

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

BENCHMARK(last_electron)->Name("last_index_byte/electron")->Arg(64)->Arg(4096)->Arg(65536);
BENCHMARK(last_rfind)->Name("last_index_byte/rfind")->Arg(64)->Arg(4096)->Arg(65536);
#if defined(__GLIBC__)
BENCHMARK(last_memrchr)->Name("last_index_byte/memrchr")->Arg(64)->Arg(4096)->Arg(65536);
#endif
BENCHMARK(lines_electron)->Name("lines_1MiB/electron");
BENCHMARK(lines_find)->Name("lines_1MiB/find_loop");
BENCHMARK(lines_getline)->Name("lines_1MiB/getline");
BENCHMARK(split_electron)->Name("split_1MiB/electron");
BENCHMARK(split_find)->Name("split_1MiB/find_loop");
BENCHMARK(fields_electron)->Name("fields_1MiB/electron");
BENCHMARK(fields_std)->Name("fields_1MiB/find_first_of");
BENCHMARK(fields_nth_electron)->Name("fields_nth_1MiB/electron");
BENCHMARK(fields_nth_std)->Name("fields_nth_1MiB/find_first_of");
BENCHMARK(fields_isspace)->Name("fields_1MiB/isspace_loop");
#if defined(ELECTRON_BENCH_HAVE_BOOST)
BENCHMARK(lines_boost_split)->Name("lines_1MiB/boost_split");
BENCHMARK(split_boost)->Name("split_1MiB/boost_split");
BENCHMARK(fields_boost)->Name("fields_1MiB/boost_split");
#endif

BENCHMARK_MAIN();
