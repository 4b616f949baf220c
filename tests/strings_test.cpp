// SPDX-License-Identifier: MIT
// Tests for electron/strings.hpp.
#include "electron/strings.hpp"

#include "byte_paths.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/equal_fold_property.hpp"

#include <climits>
#include <cstring>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace es = electron::strings;
namespace et = electron::test;
using electron::detail::scalar_arch;

TEST_CASE("as_bytes and as_string_view are views of the same memory", "[strings]") {
  const std::string s = "bytes";
  const auto b = es::as_bytes(s);
  CHECK(static_cast<const void*>(b.data()) == static_cast<const void*>(s.data()));
  CHECK(b.size() == 5);
  CHECK(es::as_string_view(b) == "bytes");
  CHECK(es::as_string_view(b).data() == s.data());
  CHECK(et::check_no_alloc([&] { et::do_not_optimize(es::as_string_view(es::as_bytes(s)).size()); }));
}

TEST_CASE("builder appends strings, characters and integers", "[strings][builder]") {
  es::builder b;
  b.append("id=").append(42).append(',').append(-7).append(' ').append(std::uint64_t{18446744073709551615ULL});
  b += " min=";
  b.append(std::int64_t{LLONG_MIN});
  b += '!';
  CHECK(b.view() == "id=42,-7 18446744073709551615 min=-9223372036854775808!");
  CHECK(b.str() == std::string(b.view()));
  const std::size_t cap = b.capacity();
  b.clear();
  CHECK(b.empty());
  CHECK(b.capacity() == cap);
  std::string big(10000, 'x');
  b.append(big).append(big);
  CHECK(b.size() == 20000);
  CHECK(b.view().substr(19990) == "xxxxxxxxxx");
  es::builder moved = std::move(b);
  CHECK(moved.size() == 20000);
  CHECK(b.size() == 0);  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
  b.append("again");
  CHECK(b.view() == "again");
}

TEST_CASE("builder: reused in a loop, it stops allocating", "[strings][builder][alloc]") {
  es::builder b;
  auto line = [&](int i) {
    b.clear();
    b.append("GET /items/").append(i).append(" HTTP/1.1\r\n").append("Host: example.org\r\n");
    return b.size();
  };
  (void)line(123456);
  std::size_t total = 0;
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) total += line(i);
  }));
  CHECK(total > 0);
}

TEST_CASE("builder draws from a buffer_pool and gives it back", "[strings][builder][alloc]") {
  {  // (the first pool use on a thread registers a thread-exit hook: not a leak)
    electron::pool::buffer_pool warm;
    warm.put(warm.get(1));
  }
  CHECK(et::check_leaks([] {
    electron::pool::buffer_pool pool;
    {
      es::builder b(pool, 100);
      CHECK(b.capacity() >= 512);  // the pool's smallest class
      for (int i = 0; i < 1000; ++i) b.append("0123456789");
      CHECK(b.size() == 10000);
      CHECK(b.capacity() >= 10000);
    }
    {
      es::builder b(pool, 100);  // reuses a pooled buffer
      b.append("x");
      CHECK(b.view() == "x");
    }
  }));
}

// ---------------------------------------------------------------------------
// index_any
// ---------------------------------------------------------------------------
namespace {
template <class Arch>
std::string check_index_any(Arch arch) {
  std::ostringstream err;
  std::mt19937 rng(4);
  for (std::size_t n = 0; n <= 300 && err.str().empty(); ++n) {
    for (std::size_t k = 0; k <= 12; ++k) {
      std::string set, s(n, '\0');
      for (std::size_t j = 0; j < k; ++j) set += static_cast<char>(rng() % 2 ? rng() % 256 : 'a' + rng() % 26);
      for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
      if (n > 0 && rng() % 2) s[rng() % n] = static_cast<char>(0x80 | (rng() % 128));
      std::vector<unsigned char> exact(s.begin(), s.end());
      const std::size_t got =
          electron::detail::index_any(arch, exact.data(), n, reinterpret_cast<const unsigned char*>(set.data()), k);
      const std::size_t want = std::string_view(s).find_first_of(set);
      if (got != (want == std::string_view::npos ? electron::npos : want)) err << "n=" << n << " k=" << k;
    }
  }
  return err.str();
}

// A set absent from the input, then one member planted at each position
// (sampled above 80 bytes), at 64 alignments: every vector, word and
// overlap of the short and long paths decides the answer somewhere.
template <class Arch>
std::string check_index_any_positions(Arch arch) {
  std::ostringstream err;
  std::mt19937 rng(6);
  const unsigned char set[9] = {'#', 0x00, 0xFF, 0x80, '%', '&', 0x7F, '*', '+'};
  std::vector<unsigned char> buf(300 + 64);
  for (std::size_t off = 0; off < 64 && err.str().empty(); ++off) {
    for (std::size_t n = 0; n <= 300 && err.str().empty(); ++n) {
      const std::size_t k = 1 + (n + off) % 9;  // 9: the scalar table
      std::vector<unsigned char> exact(n);      // exactly sized: ASan sees any read past the end
      for (auto& c : exact) c = static_cast<unsigned char>('a' + rng() % 26);
      if (electron::detail::index_any(arch, exact.data(), n, set, k) != electron::npos) {
        err << "absent n=" << n << " k=" << k;
      }
      unsigned char* p = buf.data() + off;
      if (n != 0) std::memcpy(p, exact.data(), n);
      for (std::size_t at = 0; at < n; at += n <= 80 ? 1 : 7) {
        p[at] = set[(at + n) % k];
        if (electron::detail::index_any(arch, p, n, set, k) != at) err << "n=" << n << " k=" << k << " at=" << at;
        if (at + 1 < n) {  // a second member later must not change the answer
          p[n - 1] = set[0];
          if (electron::detail::index_any(arch, p, n, set, k) != at) err << "two, n=" << n << " at=" << at;
          p[n - 1] = exact[n - 1];
        }
        p[at] = exact[at];
      }
    }
  }
  return err.str();
}
}  // namespace

TEST_CASE("index_any: every path against string_view::find_first_of", "[strings][index_any]") {
  CHECK(check_index_any(scalar_arch{}).empty());
  CHECK(check_index_any_positions(scalar_arch{}).empty());
#if ELECTRON_SIMD_BYTE_KERNELS
  const std::set<std::string> paths = for_each_byte_path([&](auto arch) {
    const std::string e = check_index_any(arch) + check_index_any_positions(arch);
    INFO(electron::detail::byte_arch<decltype(arch)>::name() << ": " << e);
    CHECK(e.empty());
  });
  CHECK(paths.count(default_byte_path()) == 1);
#endif
  CHECK(es::index_any("hello, world", ",!") == 5);
  CHECK(es::index_any("hello", "") == electron::npos);
  CHECK(es::contains_any("key=value", "=:"));
  CHECK_FALSE(es::contains_any("keyvalue", "=:"));
  CHECK(et::check_no_alloc([] { et::do_not_optimize(es::index_any("abcdefghijklmnopqrstuvwxyz0123456789", "9")); }));
}

// ---------------------------------------------------------------------------
// equal_fold
// ---------------------------------------------------------------------------
TEST_CASE("equal_fold: ASCII and Unicode simple case folding", "[strings][equal_fold]") {
  CHECK(es::equal_fold("", ""));
  CHECK(es::equal_fold("Hello, World", "hELLO, wORLD"));
  CHECK_FALSE(es::equal_fold("Hello", "Hellp"));
  CHECK_FALSE(es::equal_fold("Hello", "Hello!"));
  CHECK_FALSE(es::equal_fold("@", "`"));  // 0x40 and 0x60 differ by 0x20 but are not letters
  CHECK_FALSE(es::equal_fold("[", "{"));
  CHECK(es::equal_fold("K", "\u212A"));  // KELVIN SIGN folds to k: different byte lengths
  CHECK(es::equal_fold("\u212Aelvin", "KELVIN"));
  CHECK(es::equal_fold("\u00DF", "\u1E9E"));                          // ß and capital ẞ (simple folding S)
  CHECK_FALSE(es::equal_fold("\u00DF", "ss"));                        // full folding only: not simple
  CHECK(es::equal_fold("\u03A3\u03C3\u03C2", "\u03C3\u03C3\u03C3"));  // Σ σ ς
  CHECK_FALSE(es::equal_fold("\u0130", "i"));                         // İ has no simple folding (T/F only)
  CHECK(es::equal_fold("\u017F", "S"));                               // long s folds to s
  CHECK(es::equal_fold("\u0410\u0411\u0412", "\u0430\u0431\u0432"));  // Cyrillic АБВ / абв
  CHECK(es::equal_fold("\U00010400", "\U00010428"));                  // Deseret, 4-byte sequences
  // Invalid UTF-8 compares byte-wise.
  CHECK(es::equal_fold("a\xff", "A\xff"));
  CHECK_FALSE(es::equal_fold("\xff", "\xfe"));
  CHECK_FALSE(es::equal_fold("\xc3", "\xc3\xa9"));   // truncated sequence
  CHECK_FALSE(es::equal_fold("\xed\xa0\x80", "x"));  // surrogate: invalid
}

namespace {
// Reference: decode everything, fold with a linear search of the table.
std::vector<std::int64_t> folded(std::string_view s) {
  std::vector<std::int64_t> out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = 0;
    const std::size_t len = es::detail::decode(p + i, s.size() - i, c);
    if (len == 0) {
      out.push_back(-1 - static_cast<std::int64_t>(p[i]));  // an invalid byte stands for itself
      ++i;
      continue;
    }
    char32_t f = (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
    for (const auto& pr : es::detail::fold_table)
      if (pr.from == c) f = pr.to;
    out.push_back(static_cast<std::int64_t>(f));
    i += len;
  }
  return out;
}
}  // namespace

TEST_CASE("equal_fold agrees with a decode-and-fold reference on random strings", "[strings][equal_fold]") {
  const std::vector<std::string> atoms = {
      "a",      "A", "k", "K", "\u212A", "s",    "S",      "\u017F", "\u00DF", "\u1E9E", "\u03A3",     "\u03C3",
      "\u03C2", "z", "0", " ", "\xff",   "\xc3", "\u0130", "i",      "\u00E9", "\u00C9", "\U00010400", "\U00010428"};
  std::mt19937 rng(12);
  std::size_t bad = 0, equal_pairs = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s, t;
    const std::size_t len = rng() % 12;
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t a = rng() % atoms.size();
      s += atoms[a];
      // t: the same atom, a case variant of it, or a random one.
      const unsigned r = rng() % 8;
      t += r == 0 ? atoms[rng() % atoms.size()] : atoms[(a ^ (r == 1 ? 1u : 0u)) % atoms.size()];
    }
    if (rng() % 4 == 0) {  // long ASCII runs exercise the vector fast path
      const std::string run(rng() % 200, 'q');
      s = run + s + run;
      t = run + t + std::string(run.size(), 'Q');
    }
    const bool want = folded(s) == folded(t);
    equal_pairs += want;
    bad += es::equal_fold(s, t) != want;
    bad += es::detail::equal_fold(scalar_arch{}, s, t) != want;
  }
  CHECK(bad == 0);
  CHECK(equal_pairs > 1000);  // the generator produced many equal pairs, not only unequal ones
}

TEST_CASE("equal_fold fuzz model follows the documented contract", "[strings][equal_fold][fuzz]") {
  namespace model = electron_fuzz::equal_fold_model;
  CHECK(model::equal_fold("\u212Aelvin", "kelvin"));
  CHECK(model::equal_fold("\u00DF", "\u1E9E"));
  CHECK_FALSE(model::equal_fold("Stra\u00DFe", "STRASSE"));
  CHECK_FALSE(model::equal_fold("\u0130", "i"));
  CHECK(model::equal_fold("\xff\x80", "\xff\x80"));
  CHECK_FALSE(model::equal_fold("\xff", "\xfe"));                  // invalid bytes: byte-wise, not both U+FFFD
  CHECK_FALSE(model::equal_fold("\xef\xbf\xbd", "\xff"));          // U+FFFD itself is not an invalid byte
  CHECK_FALSE(model::equal_fold("\xc0\xaf", "/"));                 // overlong
  CHECK_FALSE(model::equal_fold("\xed\xa0\x80", "\xed\xa0\x81"));  // surrogates: three invalid bytes each
  CHECK(model::equal_fold("\xf4\x8f\xbf\xbf", "\U0010FFFF"));
  CHECK(model::decode("\xf4\x90\x80\x80").size() == 4);  // above U+10FFFF
  CHECK(model::decode("\xe2\x84").size() == 2);          // truncated
}

TEST_CASE("equal_fold against the decode-and-fold model (the libFuzzer property)", "[strings][equal_fold][fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::equal_fold_property, {.seed = 1, .runs = 3000, .max_size = 300}));
  CHECK(et::fuzz_bytes(electron_fuzz::equal_fold_property, {.seed = 2, .runs = 200, .max_size = 2000}));
}

TEST_CASE("equal_fold ASCII fast path: vector against scalar", "[strings][equal_fold]") {
#if ELECTRON_SIMD_BYTE_KERNELS
  std::mt19937 rng(5);
  std::size_t bad = 0;
  for_each_byte_path([&](auto arch) {
    for (std::size_t n = 0; n <= 300; ++n) {
      std::string a(n, 'x'), b;
      for (auto& c : a) c = static_cast<char>(0x20 + rng() % 95);
      b = a;
      for (auto& c : b)
        if (rng() % 2 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 0x20);
      if (n > 0 && rng() % 3 == 0) b[rng() % n] = static_cast<char>(rng() % 2 ? 0xC3 : '#');
      const auto* pa = reinterpret_cast<const unsigned char*>(a.data());
      const auto* pb = reinterpret_cast<const unsigned char*>(b.data());
      bad += es::detail::ascii_fold_prefix(arch, pa, pb, n) != es::detail::ascii_fold_prefix(scalar_arch{}, pa, pb, n);
    }
  });
  CHECK(bad == 0);
#else
  SUCCEED("scalar build");
#endif
  CHECK(et::check_no_alloc([] { et::do_not_optimize(es::equal_fold("Content-Type: TEXT", "content-type: text")); }));
}

TEST_CASE("builder: appending its own text is safe across reallocation", "[strings][builder]") {
  es::builder b;
  b.append("abc");
  for (int i = 0; i < 12; ++i) b.append(b.view());  // doubles, reallocating several times
  CHECK(b.size() == 3u << 12);
  CHECK(b.view().substr(b.size() - 6) == "abcabc");
  electron::pool::buffer_pool pool;
  es::builder p(pool, 16);
  p.append("xy");
  for (int i = 0; i < 12; ++i) p.append(p.view());
  CHECK(p.size() == 2u << 12);
  CHECK(p.view().substr(0, 4) == "xyxy");
}

TEST_CASE("builder: a size above max_size() is refused before anything is allocated", "[strings][builder][sizes]") {
  electron::pool::buffer_pool pool;
  es::builder heap;
  es::builder pooled(pool, 16);
  heap.append("head");
  pooled.append("head");
  const std::size_t heap_cap = heap.capacity();
  const std::size_t pooled_cap = pooled.capacity();
  // Views of impossible lengths over a short buffer: never read.
  const char text[] = "the bytes past this buffer are never read";
  for (std::size_t n : et::huge_sizes(64)) {
    CAPTURE(n);
    // Before the fix reserve(SIZE_MAX - k) from a pool gave a capacity of
    // about SIZE_MAX over a few bytes, and without one asked operator new[]
    // for SIZE_MAX - k; append() of 2^48 bytes asked for 2^48.
    CHECK_THROWS_AS(heap.reserve(n), std::length_error);
    CHECK_THROWS_AS(pooled.reserve(n), std::length_error);
    CHECK_THROWS_AS(heap.append(std::string_view(text, n)), std::length_error);
    CHECK_THROWS_AS(pooled.append(std::string_view(text, n)), std::length_error);
    CHECK_THROWS_AS(es::builder(pool, n), std::length_error);
    REQUIRE(heap.view() == "head");
    REQUIRE(pooled.view() == "head");
    REQUIRE(heap.capacity() == heap_cap);
    REQUIRE(pooled.capacity() == pooled_cap);
  }
  // The sum is checked too: what is there plus what comes must fit.
  CHECK_THROWS_AS(heap.append(std::string_view(text, es::builder::max_size() - 3)), std::length_error);
  CHECK_THROWS_AS(heap.reserve(es::builder::max_size() + 1), std::length_error);
  heap.append(" and tail");
  pooled.append(" and tail");
  CHECK(heap.view() == "head and tail");
  CHECK(pooled.view() == "head and tail");
}

template <class B, class T>
concept appendable = requires(B& b, T v) {
  b.append(v);
};
static_assert(appendable<es::builder, char> && appendable<es::builder, int> &&
              appendable<es::builder, std::string_view>);
static_assert(!appendable<es::builder, double> && !appendable<es::builder, bool> && !appendable<es::builder, char32_t>);

TEST_CASE("builder: integers of every width, including 128-bit where available", "[strings][builder]") {
  es::builder b;
  b.append(static_cast<signed char>(-128)).append(' ').append(static_cast<unsigned char>(255));
  b.append(' ').append(std::int16_t{-32768}).append(' ').append(std::uint32_t{4294967295u});
  CHECK(b.view() == "-128 255 -32768 4294967295");
#if defined(__SIZEOF_INT128__)
  __extension__ typedef __int128 int128;  // (-Wpedantic: a GNU extension)
  if constexpr (std::integral<int128>) {  // gnu++20: __int128 is an integral type
    es::builder w;
    const int128 big = -(static_cast<int128>(1) << 100);
    w.append(big);
    CHECK(w.view() == "-1267650600228229401496703205376");
  }
#endif
}
