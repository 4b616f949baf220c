// SPDX-License-Identifier: MIT
// Tests for electron/parse/format_float.hpp: against std::to_chars
// (libstdc++) byte for byte on hand-picked values, every special value,
// powers of two and ten and their neighbours, subnormals, the floats around
// every binade's ends, millions of random bit patterns and the Ryu vectors;
// read back bit for bit by parse_float; short buffers; no allocation.
#include "electron/parse/format_float.hpp"

#include "corpus.hpp"
#include "electron/parse/float.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/parse_format_float_property.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ep = electron::parse;
namespace et = electron::test;
using ep::format_float;

namespace {

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

template <class T>
bits_of<T> bits(T v) {
  return std::bit_cast<bits_of<T>>(v);
}

using electron_test::corpus_dir;

std::size_t random_scale() { return static_cast<std::size_t>(et::stress_scale()); }

template <class T>
std::string std_text(T v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

template <class T>
std::string our_text(T v) {
  char buf[64];
  const auto r = format_float(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// format_float(v) == std::to_chars(v) byte for byte and parse_float reads
/// it back to the same bits. Cheap enough for millions of calls.
template <class T>
bool same(T v) {
  char a[64], b[64];
  const auto r1 = std::to_chars(a, a + sizeof a, v);
  const auto r2 = format_float(b, b + sizeof b, v);
  if (r2.ec != std::errc{} || r1.ptr - a != r2.ptr - b) return false;
  const auto n = static_cast<std::size_t>(r1.ptr - a);
  if (std::memcmp(a, b, n) != 0) return false;
  if (std::isnan(v)) return true;
  const auto back = ep::parse_float<T>(b, b + n);
  return back.ec == std::errc{} && back.ptr == b + n && bits(back.value) == bits(v);
}

/// Checks same() over a range of values; reports the first failure only.
template <class T, class Gen>
std::size_t check_all(std::size_t count, Gen&& gen) {
  std::size_t ok = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const T v = gen(i);
    if (!same(v)) {
      INFO("bits " << std::hex << bits(v) << ": std \"" << std_text(v) << "\" electron \"" << our_text(v) << "\"");
      CHECK(same(v));
      return ok;
    }
    ++ok;
  }
  return ok;
}

}  // namespace

// ---------------------------------------------------------------------------
// API shape
// ---------------------------------------------------------------------------

static_assert(ep::formattable_float<float> && ep::formattable_float<double>);
static_assert(!ep::formattable_float<long double> && !ep::formattable_float<int>);
static_assert(noexcept(format_float(static_cast<char*>(nullptr), static_cast<char*>(nullptr), 1.0)));
static_assert(std::is_same_v<decltype(format_float(static_cast<char*>(nullptr), static_cast<char*>(nullptr), 1.0f)),
                             ep::format_result>);
static_assert(std::is_trivially_copyable_v<ep::float_chars>);
// constexpr on each output form.
static_assert(ep::float_chars(0.1).view() == "0.1");
static_assert(ep::float_chars(1e5).view() == "1e+05");
static_assert(ep::float_chars(-1e4).view() == "-10000");
static_assert(ep::float_chars(1.2345678901234568e20).view() == "123456789012345683968");
static_assert(ep::float_chars(5e-324).view() == "5e-324");
static_assert(ep::float_chars(0.000123).view() == "0.000123");
static_assert(ep::float_chars(3.4028235e38f).view() == "3.4028235e+38");
static_assert(ep::float_chars(-0.0).view() == "-0");
static_assert(ep::float_chars(std::numeric_limits<double>::infinity()).view() == "inf");

TEST_CASE("format_float: hand-picked values", "[parse][format_float]") {
  const std::pair<double, std::string_view> doubles[] = {
      {0.0, "0"},
      {-0.0, "-0"},
      {1.0, "1"},
      {-1.5, "-1.5"},
      {0.1, "0.1"},
      {0.3, "0.3"},
      {1.0 / 3, "0.3333333333333333"},
      {1e4, "10000"},
      {1e5, "1e+05"},
      {123456.0, "123456"},
      {0.001, "0.001"},
      {1e-4, "1e-04"},
      {0.000123, "0.000123"},
      {1.5e-7, "1.5e-07"},
      {1e21, "1e+21"},
      {1e22, "1e+22"},
      {1e23, "1e+23"},
      {1e100, "1e+100"},
      {1.2345678901234568e20, "123456789012345683968"},
      {12345678901234567890.0, "12345678901234567168"},
      {9007199254740993.0 * 4, "36028797018963968"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
  };
  for (const auto& [v, text] : doubles) {
    INFO(text);
    CHECK(our_text(v) == text);
    CHECK(std_text(v) == text);
  }
  const std::pair<float, std::string_view> floats[] = {
      {1e5f, "1e+05"},
      {1073741824.f, "1073741824"},
      {1.2345678e13f, "1.2345678e+13"},
      {3.4028235e38f, "3.4028235e+38"},
      {1e-45f, "1e-45"},
      {0.1f, "0.1"},
      {16777216.f, "16777216"},
      {1.1e10f, "1.1e+10"},
  };
  for (const auto& [v, text] : floats) {
    INFO(text);
    CHECK(our_text(v) == text);
    CHECK(std_text(v) == text);
  }
}

TEMPLATE_TEST_CASE("format_float: inf, nan and zeros as std::to_chars spells them", "[parse][format_float]", float,
                   double) {
  using T = TestType;
  using L = std::numeric_limits<T>;
  const T specials[] = {L::infinity(),      -L::infinity(),      L::quiet_NaN(), -L::quiet_NaN(),
                        L::signaling_NaN(), -L::signaling_NaN(), T{0},           -T{0}};
  for (const T v : specials) {
    INFO(std_text(v));
    CHECK(our_text(v) == std_text(v));
  }
  CHECK(our_text(L::quiet_NaN()) == "nan");
  CHECK(our_text(-L::quiet_NaN()) == "-nan");
  // NaN payloads are not shown.
  const T payload = std::bit_cast<T>(static_cast<bits_of<T>>(bits(L::quiet_NaN()) | 5));
  CHECK(our_text(payload) == "nan");
  CHECK(our_text(payload) == std_text(payload));
}

TEMPLATE_TEST_CASE("format_float: limits, powers of two and ten and their neighbours", "[parse][format_float]", float,
                   double) {
  using T = TestType;
  using L = std::numeric_limits<T>;
  std::vector<T> values = {L::min(), L::max(), L::denorm_min(), L::lowest(), L::epsilon(), T{1}, T{2}, T{10}};
  for (int e = L::min_exponent - L::digits - 1; e <= L::max_exponent; ++e) values.push_back(std::ldexp(T{1}, e));
  for (int e = L::min_exponent10 - L::digits10 - 3; e <= L::max_exponent10; ++e) {
    const std::string s = "1e" + std::to_string(e);
    const auto r = ep::parse_float<T>(s);
    if (r.value != 0 && std::isfinite(r.value)) values.push_back(r.value);
  }
  const std::size_t base = values.size();
  for (std::size_t i = 0; i < base; ++i) {
    T up = values[i], down = values[i];
    for (int k = 0; k < 3; ++k) {
      up = std::nextafter(up, L::infinity());
      down = std::nextafter(down, T{0});
      values.push_back(up);
      values.push_back(down);
    }
  }
  std::vector<T> all;
  for (const T v : values) {
    all.push_back(v);
    all.push_back(-v);
  }
  const std::size_t ok = check_all<T>(all.size(), [&](std::size_t i) { return all[i]; });
  CHECK(ok == all.size());
}

TEST_CASE("format_float: every float subnormal, and doubles with the 2^20 smallest significands",
          "[parse][format_float]") {
  const std::size_t nf = std::size_t{1} << 23;
  CHECK(check_all<float>(nf, [](std::size_t i) { return std::bit_cast<float>(static_cast<std::uint32_t>(i)); }) == nf);
  const std::size_t nd = std::size_t{1} << 20;
  CHECK(check_all<double>(nd, [](std::size_t i) { return std::bit_cast<double>(static_cast<std::uint64_t>(i)); }) ==
        nd);
  // The largest subnormals and the first normals.
  CHECK(check_all<double>(nd, [](std::size_t i) {
          return std::bit_cast<double>((std::uint64_t{1} << 52) - (std::uint64_t{1} << 19) + i);
        }) == nd);
}

TEST_CASE("format_float: every float within 512 of each binade's ends", "[parse][format_float]") {
  // The significands near 2^23 and 2^24 in every binade: where the
  // interval is asymmetric and where the digit count changes.
  const std::uint32_t span = 512;
  std::vector<float> values;
  for (std::uint32_t e = 1; e < 255; ++e) {
    for (std::uint32_t m = 0; m < span; ++m) {
      values.push_back(std::bit_cast<float>((e << 23) | m));
      values.push_back(std::bit_cast<float>((e << 23) | ((1u << 23) - 1 - m)));
    }
  }
  CHECK(check_all<float>(values.size(), [&](std::size_t i) { return values[i]; }) == values.size());
  std::vector<double> doubles;
  for (std::uint64_t e = 1; e < 2047; ++e) {
    for (std::uint64_t m = 0; m < 64; ++m) {
      doubles.push_back(std::bit_cast<double>((e << 52) | m));
      doubles.push_back(std::bit_cast<double>((e << 52) | ((std::uint64_t{1} << 52) - 1 - m)));
    }
  }
  CHECK(check_all<double>(doubles.size(), [&](std::size_t i) { return doubles[i]; }) == doubles.size());
}

TEMPLATE_TEST_CASE("format_float: random bit patterns equal std::to_chars and read back",
                   "[parse][format_float][random]", float, double) {
  // 1,000,000 per type (50 million with ctest -L stress).
  using T = TestType;
  std::mt19937_64 rng(std::is_same_v<T, double> ? 11 : 12);
  const std::size_t n = 1000000 * random_scale();
  CHECK(check_all<T>(n, [&](std::size_t) { return std::bit_cast<T>(static_cast<bits_of<T>>(rng())); }) == n);
}

TEMPLATE_TEST_CASE("format_float: random integers and short decimals", "[parse][format_float]", float, double) {
  // Values whose shortest form is short: where fixed and scientific tie.
  using T = TestType;
  std::mt19937_64 rng(13);
  const std::size_t n = 200000;
  CHECK(check_all<T>(n, [&](std::size_t) {
          const auto digits = static_cast<std::int64_t>(rng() % 100000);
          const int e = static_cast<int>(rng() % 60) - 30;
          const std::string s = std::to_string(digits) + "e" + std::to_string(e);
          return ep::parse_float<T>(s).value;
        }) == n);
}

TEMPLATE_TEST_CASE("format_float: short buffers give value_too_large and are not written past", "[parse][format_float]",
                   float, double) {
  using T = TestType;
  std::mt19937_64 rng(14);
  std::vector<T> values = {T{0},
                           -T{0},
                           std::numeric_limits<T>::infinity(),
                           -std::numeric_limits<T>::quiet_NaN(),
                           std::numeric_limits<T>::lowest(),
                           std::numeric_limits<T>::denorm_min()};
  for (int i = 0; i < 2000; ++i) values.push_back(std::bit_cast<T>(static_cast<bits_of<T>>(rng())));
  for (const T v : values) {
    const std::string expect = std_text(v);
    for (std::size_t room = 0; room <= expect.size(); ++room) {
      char buf[64];
      std::memset(buf, '#', sizeof buf);
      const auto r = format_float(buf, buf + room, v);
      INFO(expect << " room " << room);
      if (room < expect.size()) {
        CHECK(r.ec == std::errc::value_too_large);
        CHECK(r.ptr == buf + room);
      } else {
        CHECK(r.ec == std::errc{});
        CHECK(std::string_view(buf, r.ptr) == expect);
      }
      CHECK(buf[room] == '#');
    }
  }
  CHECK(our_text(-std::numeric_limits<double>::max()).size() <= ep::max_float_chars);
}

TEMPLATE_TEST_CASE("format_float: roomy buffers are not written past last either", "[parse][format_float]", float,
                   double) {
  // With 23 bytes of room after the sign the text is stored in whole words
  // (some bytes after it written too); at every room from the text's length
  // up to well past that threshold, nothing at or after last may change.
  using T = TestType;
  std::mt19937_64 rng(15);
  std::vector<T> values = {T{1},
                           T{-1},
                           T{0.5},
                           static_cast<T>(-0.001),
                           static_cast<T>(1e4),
                           T{123456},
                           std::numeric_limits<T>::max(),
                           -std::numeric_limits<T>::denorm_min(),
                           static_cast<T>(1e-4),
                           static_cast<T>(0.000123)};
  for (int i = 0; i < 3000; ++i) values.push_back(std::bit_cast<T>(static_cast<bits_of<T>>(rng())));
  std::size_t checked = 0;
  for (const T v : values) {
    const std::string expect = std_text(v);
    for (std::size_t room = expect.size(); room <= 40; ++room) {
      char buf[64];
      std::memset(buf, '#', sizeof buf);
      const auto r = format_float(buf, buf + room, v);
      bool ok = r.ec == std::errc{} && std::string_view(buf, r.ptr) == expect;
      for (std::size_t i = room; i < sizeof buf; ++i) ok = ok && buf[i] == '#';
      if (!ok) {
        INFO(expect << " room " << room);
        CHECK(ok);
        return;
      }
      ++checked;
    }
  }
  CHECK(checked > 50000);
}

TEST_CASE("format_float: the Ryu vectors (d2s, f2s): the same shortest digits", "[parse][format_float][corpus]") {
  const std::string dir = corpus_dir();
  std::ifstream in(dir + "/parse/ryu/ryu-vectors.json");
  if (dir.empty() || !in) {
    WARN("skipped: ryu-vectors.json not found (ELECTRON_CORPUS_DIR=" << dir << ")");
    return;
  }
  std::ostringstream whole;
  whole << in.rdbuf();
  const std::string json = whole.str();
  // Ryu's form: [-]d[.ddd]E[-]x, "NaN", "Infinity", "0E0".
  auto ryu_text = [](auto v) -> std::string {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
    std::string s = v < 0 || std::signbit(v) ? "-" : "";
    if (v == 0) return s + "0E0";
    const auto f = ep::detail::fields_of(v);
    const ep::detail::decimal_fp d = ep::detail::shortest_decimal<decltype(v)>(f.biased, f.fraction);
    const std::string digits = std::to_string(d.digits);
    s += digits[0];
    if (digits.size() > 1) s += "." + digits.substr(1);
    return s + "E" + std::to_string(d.exponent + static_cast<int>(digits.size()) - 1);
  };
  std::size_t total = 0, passed = 0;
  auto run = [&](std::string_view section, bool is_double) {
    const std::size_t start = json.find("\"" + std::string(section) + "\"");
    REQUIRE(start != std::string::npos);
    std::istringstream lines(json.substr(start, json.find(']', start) - start));
    std::string line, bits_text;
    bool have_bits = false;
    while (std::getline(lines, line)) {
      auto value = [&] {
        const std::size_t q1 = line.find('"', line.find(':'));
        return q1 == std::string::npos ? std::string() : line.substr(q1 + 1, line.rfind('"') - q1 - 1);
      };
      if (line.find("\"bits\"") != std::string::npos) {
        bits_text = value();
        have_bits = !bits_text.empty();
      }
      if (line.find("\"string\"") == std::string::npos) continue;
      const std::string expect = value();
      ++total;
      bool ok = false;
      if (!have_bits) {  // NaN given without bits
        ok = expect == "NaN";
      } else if (is_double) {
        const double v =
            std::bit_cast<double>(static_cast<std::uint64_t>(std::strtoull(bits_text.c_str(), nullptr, 16)));
        ok = ryu_text(v) == expect && same(v);
      } else {
        const float v = std::bit_cast<float>(static_cast<std::uint32_t>(std::strtoul(bits_text.c_str(), nullptr, 16)));
        ok = ryu_text(v) == expect && same(v);
      }
      INFO(section << " " << bits_text << " \"" << expect << "\"");
      CHECK(ok);
      passed += ok ? 1 : 0;
      have_bits = false;
    }
  };
  run("d2s", true);
  run("f2s", false);
  WARN("ryu vectors d2s + f2s: " << passed << " of " << total << " pass");
  CHECK(passed == total);
  CHECK(total >= 190);
}

TEST_CASE("float_chars and append_float", "[parse][format_float]") {
  const ep::float_chars t(-2.5e-10);
  CHECK(t.view() == "-2.5e-10");
  CHECK(t.size() == 8);
  CHECK(std::strlen(t.c_str()) == 8);
  CHECK(std::string_view(t.begin(), t.end()) == "-2.5e-10");
  CHECK(static_cast<std::string_view>(ep::float_chars(0.5f)) == "0.5");
  electron::strings::builder b;
  ep::append_float(b, 0.1).append(",");
  ep::append_float(b, 3.0f);
  CHECK(b.view() == "0.1,3");
  std::string s;
  ep::append_float(s, -std::numeric_limits<double>::infinity());
  CHECK(s == "-inf");
}

TEST_CASE("format_float: does not allocate", "[parse][format_float]") {
  double sum = 0;
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 100; ++i) {
      char buf[32];
      sum += static_cast<double>(format_float(buf, buf + sizeof buf, 1.0 / (i + 1)).ptr - buf);
      sum += static_cast<double>(format_float(buf, buf + 3, 1e300).ptr - buf);
      sum += static_cast<double>(ep::float_chars(static_cast<float>(i) * 1e-40f).size());
      char big[1200];
      sum += static_cast<double>(format_float(big, big + sizeof big, 5e-324 * i, std::chars_format::fixed, 1100).ptr -
                                 big);
      sum +=
          static_cast<double>(format_float(big, big + sizeof big, 1e300 / (i + 1), std::chars_format::fixed).ptr - big);
      sum += static_cast<double>(ep::format_float_ecmascript(big, big + sizeof big, 1.0 / (i + 3)).ptr - big);
    }
  }));
  CHECK(sum > 0);
}

TEST_CASE("format_float: fuzz property against std::to_chars", "[parse][format_float][fuzz]") {
  CHECK(et::fuzz_string(electron_fuzz::parse_format_float_property, {.seed = 1, .runs = 20000, .max_size = 40}));
}

TEST_CASE("format_float: every float (4 billion, hidden: run with [.exhaustive])", "[.exhaustive]") {
  std::size_t bad = 0;
  for (std::uint64_t b = 0; b < (std::uint64_t{1} << 32); ++b) {
    if (!same(std::bit_cast<float>(static_cast<std::uint32_t>(b)))) ++bad;
  }
  CHECK(bad == 0);
}

// ---------------------------------------------------------------------------
// ECMAScript: node is the oracle when it is installed
// ---------------------------------------------------------------------------

static_assert(noexcept(ep::format_float_ecmascript(static_cast<char*>(nullptr), static_cast<char*>(nullptr), 1.0)));

namespace {
std::string js_text(double v) {
  char buf[64];
  const auto r = ep::format_float_ecmascript(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
}  // namespace

TEST_CASE("format_float_ecmascript: the rules of Number::toString", "[parse][format_float][ecmascript]") {
  CHECK(js_text(0.0) == "0");
  CHECK(js_text(-0.0) == "0");
  CHECK(js_text(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(js_text(-std::numeric_limits<double>::infinity()) == "-Infinity");
  CHECK(js_text(-std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(js_text(1e21) == "1e+21");
  CHECK(js_text(1e20) == "100000000000000000000");
  CHECK(js_text(123456789012345680000.0) == "123456789012345680000");
  CHECK(js_text(1e-7) == "1e-7");
  CHECK(js_text(1.5e-6) == "0.0000015");
  CHECK(js_text(-2.5e-7) == "-2.5e-7");
  CHECK(js_text(1.25) == "1.25");
  CHECK(js_text(1e100) == "1e+100");
  CHECK(js_text(5e-324) == "5e-324");
  CHECK(js_text(-1.2345678901234567e-7) == "-1.2345678901234566e-7");
  CHECK(js_text(-1.2345678901234567e-6).size() <= ep::max_ecmascript_chars);
  // Short buffers.
  for (std::size_t room = 0; room < 7; ++room) {
    char buf[16];
    std::memset(buf, '#', sizeof buf);
    const auto r = ep::format_float_ecmascript(buf, buf + room, -2.5e-7);
    CHECK(r.ec == std::errc::value_too_large);
    CHECK(r.ptr == buf + room);
    CHECK(buf[room] == '#');
  }
}

TEST_CASE("format_float_ecmascript: equal to node's String(x) on random and chosen values",
          "[parse][format_float][ecmascript]") {
  if (std::system("node --version > /dev/null 2>&1") != 0) {
    WARN("skipped: node not found");
    return;
  }
  std::mt19937_64 rng(15);
  std::vector<double> values;
  for (int i = 0; i < 20000; ++i) {
    const double v = std::bit_cast<double>(rng());
    if (std::isfinite(v)) values.push_back(v);
  }
  for (int e = -330; e <= 310; ++e) {
    const double v = ep::parse_float<double>("1.5e" + std::to_string(e)).value;
    values.push_back(v);
    values.push_back(-v);
    values.push_back(ep::parse_float<double>("1e" + std::to_string(e)).value);
  }
  for (int i = 0; i < 20000; ++i) {  // short digits around the 1e-7 and 1e21 switches
    const std::string s = std::to_string(rng() % 100000) + "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
    values.push_back(ep::parse_float<double>(s).value);
  }
  const std::string in = "format_float_ecmascript_in.txt", out = "format_float_ecmascript_out.txt";
  {
    std::ofstream f(in);
    for (const double v : values) f << std::hex << std::bit_cast<std::uint64_t>(v) << '\n';
  }
  const std::string script =
      "const fs=require('fs');const b=Buffer.alloc(8);const o=[];"
      "for(const l of fs.readFileSync('" +
      in +
      "','utf8').split('\\n')){if(!l)continue;"
      "b.writeBigUInt64LE(BigInt('0x'+l));o.push(String(b.readDoubleLE(0)));}"
      "fs.writeFileSync('" +
      out + "',o.join('\\n')+'\\n');";
  REQUIRE(std::system(("node -e \"" + script + "\"").c_str()) == 0);
  std::ifstream f(out);
  std::string line;
  std::size_t i = 0, ok = 0;
  while (std::getline(f, line) && i < values.size()) {
    const std::string ours = js_text(values[i]);
    if (ours != line) {
      INFO("bits " << std::hex << std::bit_cast<std::uint64_t>(values[i]));
      CHECK(ours == line);
    } else {
      ++ok;
    }
    ++i;
  }
  CHECK(i == values.size());
  CHECK(ok == values.size());
  WARN("format_float_ecmascript: " << ok << " values equal to node's String(x)");
  std::remove(in.c_str());
  std::remove(out.c_str());
}

// ---------------------------------------------------------------------------
// fixed / scientific / general, with and without a precision
// ---------------------------------------------------------------------------

static_assert(noexcept(format_float(static_cast<char*>(nullptr), static_cast<char*>(nullptr), 1.0,
                                    std::chars_format::fixed, 3)));
static_assert([] {
  char buf[32] = {};
  const auto r = format_float(buf, buf + sizeof buf, 2.5, std::chars_format::fixed, 0);
  return r.ptr == buf + 1 && buf[0] == '2';  // half to even
}());

namespace {
/// format_float(v, fmt[, precision]) == std::to_chars(v, fmt[, precision]),
/// byte for byte, in a buffer of `room` bytes (checked for overruns).
template <class T>
bool same_format(T v, std::chars_format fmt, int precision, bool with_precision, std::size_t room = 4000) {
  static char a[4096], b[4096];
  const std::size_t cap = room < sizeof b - 1 ? room : sizeof b - 1;
  const auto r1 =
      with_precision ? std::to_chars(a, a + sizeof a, v, fmt, precision) : std::to_chars(a, a + sizeof a, v, fmt);
  if (r1.ec != std::errc{}) return false;
  const auto n = static_cast<std::size_t>(r1.ptr - a);
  b[cap] = '#';
  const auto r2 = with_precision ? format_float(b, b + cap, v, fmt, precision) : format_float(b, b + cap, v, fmt);
  if (b[cap] != '#') return false;
  if (n > cap) return r2.ec == std::errc::value_too_large && r2.ptr == b + cap;
  return r2.ec == std::errc{} && static_cast<std::size_t>(r2.ptr - b) == n && std::memcmp(a, b, n) == 0;
}
}  // namespace

TEMPLATE_TEST_CASE("format_float with a format and a precision equals std::to_chars",
                   "[parse][format_float][precision]", float, double) {
  using T = TestType;
  const std::chars_format formats[] = {std::chars_format::fixed, std::chars_format::scientific,
                                       std::chars_format::general};
  std::mt19937_64 rng(16);
  std::size_t checked = 0;
  auto check = [&](T v) {
    for (const auto fmt : formats) {
      const int precision = static_cast<int>(rng() % 25) - 1;
      const bool a = same_format(v, fmt, precision, true);
      const bool b = same_format(v, fmt, 0, false);
      if (!a || !b) {
        INFO("bits " << std::hex << bits(v) << std::dec << " format " << static_cast<int>(fmt) << " precision "
                     << precision);
        CHECK(a);
        CHECK(b);
        return false;
      }
      checked += 2;
    }
    return true;
  };
  const std::size_t n = 30000 * random_scale();
  for (std::size_t i = 0; i < n; ++i) {
    T v;
    if (i % 2 == 0) {
      v = std::bit_cast<T>(static_cast<bits_of<T>>(rng()));
      if (!std::isfinite(v)) continue;
    } else {  // short decimals and binary fractions: ties and the %g switch
      const std::string s = std::to_string(rng() % 100000) + "e" + std::to_string(static_cast<int>(rng() % 24) - 12);
      v = i % 3 == 0 ? static_cast<T>(static_cast<double>(rng() % 4096) / 16) : ep::parse_float<T>(s).value;
    }
    if (!check(v)) break;
  }
  using L = std::numeric_limits<T>;
  for (const T v : {T{0}, -T{0}, T{0.5}, T{1.5}, T{2.5}, T{9.5}, T{0.125}, L::max(), L::min(), L::denorm_min(),
                    -L::infinity(), L::quiet_NaN()}) {
    check(v);
    for (const auto fmt : formats) {
      for (int p = -1; p < 40; ++p) CHECK(same_format(v, fmt, p, true));
    }
  }
  // Very long outputs: every digit of the smallest subnormal and the largest value.
  CHECK(same_format(L::denorm_min(), std::chars_format::fixed, 1100, true));
  CHECK(same_format(L::max(), std::chars_format::scientific, 800, true));
  CHECK(same_format(L::max(), std::chars_format::fixed, 0, false));
  WARN("format_float with a format: " << checked << " comparisons");
  // hex is not offered.
  char buf[8];
  CHECK(format_float(buf, buf + 8, T{1}, std::chars_format::hex).ec == std::errc::invalid_argument);
  CHECK(format_float(buf, buf + 8, T{1}, std::chars_format::hex, 2).ec == std::errc::invalid_argument);
}

TEMPLATE_TEST_CASE("format_float with a format: short buffers", "[parse][format_float][precision]", float, double) {
  using T = TestType;
  std::mt19937_64 rng(17);
  for (int i = 0; i < 300; ++i) {
    const T v = std::bit_cast<T>(static_cast<bits_of<T>>(rng()));
    for (const auto fmt : {std::chars_format::fixed, std::chars_format::scientific, std::chars_format::general}) {
      for (std::size_t room = 0; room < 60; room += 1 + rng() % 7) {
        CHECK(same_format(v, fmt, 12, true, room));
        CHECK(same_format(v, fmt, 0, false, room));
      }
    }
  }
}

TEST_CASE("format_float: the examples of the docs", "[parse][format_float]") {
  CHECK(our_text(0x1.ap+66) == "119903836479112085504");
  CHECK(ep::float_chars(-2.5e-10f).view() == "-2.5e-10");
  CHECK(js_text(1e-7) == "1e-7");
}
