// SPDX-License-Identifier: MIT
// Tests for electron/parse/float.hpp: against std::from_chars (libstdc++)
// and strtod on hand-picked, generated and random inputs, against the
// parse-number-fxx and Ryu corpora, halfway points and subnormals built
// exactly, 800-digit inputs, the json grammar, and the no-allocation claim.
#include "electron/parse/float.hpp"

#include "corpus.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/parse_float_property.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
using ep::float_format;
using ep::parse_float;

namespace {

template <class T>
using bits_of = typename ep::detail::float_traits<T>::bits_type;

template <class T>
bits_of<T> bits(T v) {
  return std::bit_cast<bits_of<T>>(v);
}

/// std::from_chars on the same text, for comparison.
template <class T>
std::from_chars_result std_parse(std::string_view s, T& out, std::chars_format f = std::chars_format::general) {
  return std::from_chars(s.data(), s.data() + s.size(), out, f);
}

/// Checks parse_float<T>(s) against std::from_chars: same ec, same end, same
/// bits on success.
template <class T>
bool agrees(std::string_view s) {
  return electron_fuzz::parse_float_model::agrees_with_from_chars<T>(s.data(), s.data() + s.size());
}

using electron_test::corpus_dir;

std::size_t random_scale() { return static_cast<std::size_t>(et::stress_scale()); }

}  // namespace

// ---------------------------------------------------------------------------
// API shape
// ---------------------------------------------------------------------------

static_assert(ep::parsable_float<float> && ep::parsable_float<double>);
static_assert(!ep::parsable_float<long double> && !ep::parsable_float<int>);
static_assert(noexcept(parse_float<double>(std::string_view{})));
static_assert(noexcept(parse_float<float>(static_cast<const char*>(nullptr), static_cast<const char*>(nullptr))));
static_assert(std::is_same_v<decltype(parse_float<float>("1")), ep::parse_result<float>>);
// constexpr, on each path: Clinger, Eisel-Lemire, the exact comparison.
static_assert(parse_float<double>("12.5").value == 12.5);
static_assert(parse_float<double>("0.1").value == 0.1);
static_assert(parse_float<double>("1.7976931348623157e308").value == 1.7976931348623157e308);
static_assert(parse_float<double>("9007199254740993").value == 9007199254740992.0);    // a tie, to even (exact product)
static_assert(parse_float<double>("9007199254740993.0").value == 9007199254740992.0);  // the same tie, exact comparison
static_assert(parse_float<double>("9007199254740993.00000000000000000001").value == 9007199254740994.0);  // > 19 digits
static_assert(parse_float<float>("1e-46").ec == std::errc::result_out_of_range);
static_assert(parse_float<float>("1.17549435e-38").value == 1.17549435e-38f);
static_assert(!parse_float<double>("01", float_format::json));

TEST_CASE("parse_float: simple values, ends and errors", "[parse][float]") {
  CHECK(parse_float<double>("0").value == 0.0);
  CHECK(parse_float<double>("12.5").value == 12.5);
  CHECK(parse_float<double>("-12.5e-1").value == -1.25);
  CHECK(parse_float<float>("3.25").value == 3.25f);
  CHECK(parse_float<double>(".5").value == 0.5);
  CHECK(parse_float<double>("5.").value == 5.0);
  CHECK(parse_float<double>("1E+2").value == 100.0);
  CHECK(std::signbit(parse_float<double>("-0").value));
  CHECK(std::signbit(parse_float<double>("-0.000e99").value));
  CHECK(std::signbit(parse_float<float>("-0").value));

  // The [first, last) form stops where the number stops.
  const std::string_view s = "1.5e+x";
  auto r = parse_float<double>(s.data(), s.data() + s.size());
  CHECK(r);
  CHECK(r.value == 1.5);
  CHECK(r.ptr == s.data() + 3);
  // The whole-string form: trailing characters are an error, value kept.
  auto w = parse_float<double>(s);
  CHECK(w.ec == std::errc::invalid_argument);
  CHECK(w.ptr == s.data() + 3);
  CHECK(w.value == 1.5);

  for (const std::string_view bad : {"", "-", "+", ".", "-.", "e5", ".e5", "x", "--1", " 1", "+1", "0x"}) {
    const auto b = parse_float<double>(bad.data(), bad.data() + bad.size());
    if (bad == "0x") {
      CHECK(b.ec == std::errc{});  // "0", as std::from_chars: no hex floats
      continue;
    }
    INFO(bad);
    CHECK(b.ec == std::errc::invalid_argument);
    CHECK(b.ptr == bad.data());
    CHECK(b.value == 0.0);
  }
  // '+' on request.
  CHECK(parse_float<double>("+2.5", float_format::general, ep::number_options::allow_plus).value == 2.5);
  CHECK(!parse_float<double>("+2.5", float_format::json, ep::number_options::allow_plus));
}

TEST_CASE("parse_float: inf and nan as std::from_chars spells them", "[parse][float]") {
  for (const std::string_view s : {"inf", "INF", "-Inf", "infinity", "-INFINITY", "infin", "infinityx", "nan", "NaN",
                                   "-nan", "nan(", "nan()", "nan(abc_09)", "NAN(x)x", "nan(a b)", "in", "na", "-i"}) {
    INFO(s);
    CHECK(agrees<double>(s));
    CHECK(agrees<float>(s));
  }
  CHECK(std::isinf(parse_float<double>("-Infinity").value));
  CHECK(std::signbit(parse_float<double>("-nan").value));
  CHECK(std::isnan(parse_float<float>("nan(123)").value));
  for (const std::string_view s : {"inf", "nan", "-Infinity", "NaN"}) {
    CHECK(parse_float<double>(s, float_format::json).ec == std::errc::invalid_argument);
  }
}

TEST_CASE("parse_float: out of range gives +-inf or +-0 with result_out_of_range", "[parse][float]") {
  const auto big = parse_float<double>("1e309");
  CHECK(big.ec == std::errc::result_out_of_range);
  CHECK(big.value == std::numeric_limits<double>::infinity());
  const auto neg_big = parse_float<double>("-1.8e308");
  CHECK(neg_big.ec == std::errc::result_out_of_range);
  CHECK(neg_big.value == -std::numeric_limits<double>::infinity());
  const auto tiny = parse_float<double>("-2e-324");
  CHECK(tiny.ec == std::errc::result_out_of_range);
  CHECK(tiny.value == 0.0);
  CHECK(std::signbit(tiny.value));
  CHECK(parse_float<double>("3e-324").value == std::numeric_limits<double>::denorm_min());
  CHECK(parse_float<double>("3e-324").ec == std::errc{});
  CHECK(parse_float<float>("3.4028236e38").ec == std::errc::result_out_of_range);
  CHECK(parse_float<float>("1e-46").ec == std::errc::result_out_of_range);
  CHECK(parse_float<float>("1e-45").value == std::numeric_limits<float>::denorm_min());
  // Zero is never out of range, whatever the exponent.
  CHECK(parse_float<double>("0e999999999999999999999").ec == std::errc{});
  // Huge exponents with digits that would compensate.
  CHECK(parse_float<double>("0.0000000001e10").value == 1.0);
  CHECK(parse_float<double>("1000000000000000000000000e-24").value == 1.0);
  for (const std::string_view s :
       {"1e309", "-1e-400", "1e-2147483649", "1e99999999999999999999999", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "1.7976931348623158e308", "1.7976931348623159e308", "3.4028235677973366e38",
        "3.4028235677973367e38", "7.006492321624085e-46", "7.006492321624086e-46"}) {
    INFO(s);
    CHECK(agrees<double>(s));
    CHECK(agrees<float>(s));
  }
}

TEST_CASE("parse_float: fixed and scientific formats as std::chars_format", "[parse][float]") {
  const std::string_view cases[] = {"1",       "1.5",  "1e5", "1.5E-3",  "1.5e",  "1.5e+",
                                    "1.e5",    ".5e1", "-2",  "5.",      "1e",    "12345678901234567890e-10",
                                    "0.1e400", "1x",   "e",   "1.5e+3x", "00012", "-0e0"};
  for (const std::string_view s : cases) {
    INFO(s);
    CHECK(agrees<double>(s));
    CHECK(agrees<float>(s));
  }
  CHECK(parse_float<double>("1.5", float_format::scientific).ec == std::errc::invalid_argument);
  CHECK(parse_float<double>("1.5e2", float_format::scientific).value == 150.0);
  const std::string_view fx = "1.5e2";
  const auto f = parse_float<double>(fx.data(), fx.data() + fx.size(), float_format::fixed);
  CHECK(f.value == 1.5);
  CHECK(f.ptr == fx.data() + 3);
}

TEST_CASE("parse_float: json accepts RFC 8259 numbers only", "[parse][float][json]") {
  for (const std::string_view good : {"0", "-0", "1", "-1", "0.5", "-0.5", "10", "1e5", "1E+5", "1e-5", "1.25e2", "0e0",
                                      "-0.0e-0", "123456789012345678901234567890"}) {
    INFO(good);
    const auto j = parse_float<double>(good, float_format::json);
    CHECK(j);
    CHECK(j.value == parse_float<double>(good).value);
  }
  for (const std::string_view bad : {"",    "-",  "+1",  "01",  "-01", "00", ".5",  "-.5",  "1.",  "1.e5", "1e",
                                     "1e+", "E5", "inf", "NaN", "1 ",  " 1", "0x1", "1.5e", "--1", "1e5.5"}) {
    INFO(bad);
    CHECK(parse_float<double>(bad, float_format::json).ec == std::errc::invalid_argument);
    CHECK(parse_float<float>(bad, float_format::json).ec == std::errc::invalid_argument);
  }
  // The [first, last) form: a complete number then anything not part of it.
  const std::string_view s = "-12.5e1,";
  const auto r = parse_float<double>(s.data(), s.data() + s.size(), float_format::json);
  CHECK(r.value == -125.0);
  CHECK(r.ptr == s.data() + 7);
  // Broken inside the number: not cut short to "1" or "0".
  for (const std::string_view bad : {"1.,", "01,", "1e,", "-,"}) {
    const auto b = parse_float<double>(bad.data(), bad.data() + bad.size(), float_format::json);
    CHECK(b.ec == std::errc::invalid_argument);
    CHECK(b.ptr == bad.data());
  }
}

// ---------------------------------------------------------------------------
// Corpora
// ---------------------------------------------------------------------------

TEST_CASE("parse_float: every line of parse-number-fxx, f32 and f64 bit for bit", "[parse][float][corpus]") {
  const std::string dir = corpus_dir();
  const char* files[] = {"exhaustive-float16.txt", "freetype-2-7.txt",    "google-wuffs.txt",
                         "lemire-fast-float.txt",  "more-test-cases.txt", "tencent-rapidjson.txt"};
  std::size_t lines = 0, f64_ok = 0, f32_ok = 0;
  for (const char* name : files) {
    std::ifstream in(dir + "/parse/parse-number-fxx/" + name);
    if (dir.empty() || !in) {
      WARN("skipped: parse-number-fxx corpus not found (ELECTRON_CORPUS_DIR=" << dir << ")");
      return;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() < 32) continue;
      ++lines;
      const auto f32 = static_cast<std::uint32_t>(std::strtoul(line.substr(5, 8).c_str(), nullptr, 16));
      const auto f64 = static_cast<std::uint64_t>(std::strtoull(line.substr(14, 16).c_str(), nullptr, 16));
      const std::string_view text = std::string_view(line).substr(31);
      const auto d = parse_float<double>(text);
      const auto f = parse_float<float>(text);
      // Infinity and zero from a nonzero number come with result_out_of_range.
      const bool d_ok = (d.ec == std::errc{} || d.ec == std::errc::result_out_of_range) && bits(d.value) == f64;
      const bool f_ok = (f.ec == std::errc{} || f.ec == std::errc::result_out_of_range) && bits(f.value) == f32;
      f64_ok += d_ok ? 1 : 0;
      f32_ok += f_ok ? 1 : 0;
      if (!d_ok || !f_ok) {
        INFO(name << ": " << line);
        CHECK(d_ok);
        CHECK(f_ok);
      }
    }
  }
  WARN("parse-number-fxx: " << lines << " lines, f64 " << f64_ok << " and f32 " << f32_ok << " bit-exact");
  CHECK(lines == 52977);
  CHECK(f64_ok == lines);
  CHECK(f32_ok == lines);
}

namespace {
/// The "bits"/"string"/"error" triples of one section of ryu-vectors.json
/// (its layout: one key per line), without a JSON library.
struct ryu_vector {
  std::string bits, text, error;
};
std::vector<ryu_vector> ryu_section(const std::string& json, std::string_view section) {
  std::vector<ryu_vector> out;
  const std::size_t start = json.find("\"" + std::string(section) + "\"");
  if (start == std::string::npos) return out;
  const std::size_t end = json.find(']', start);
  std::istringstream in(json.substr(start, end - start));
  std::string line;
  auto value = [](const std::string& l) {
    const std::size_t colon = l.find(':');
    const std::size_t q1 = l.find('"', colon);
    if (q1 == std::string::npos) return std::string();  // null
    return l.substr(q1 + 1, l.rfind('"') - q1 - 1);
  };
  while (std::getline(in, line)) {
    if (line.find('{') != std::string::npos) out.emplace_back();
    if (out.empty()) continue;
    if (line.find("\"bits\"") != std::string::npos) out.back().bits = value(line);
    if (line.find("\"string\"") != std::string::npos) out.back().text = value(line);
    if (line.find("\"error\"") != std::string::npos) out.back().error = value(line);
  }
  return out;
}
}  // namespace

TEST_CASE("parse_float: the Ryu vectors (s2d, s2f, and d2s/f2s read back)", "[parse][float][corpus]") {
  const std::string dir = corpus_dir();
  std::ifstream in(dir + "/parse/ryu/ryu-vectors.json");
  if (dir.empty() || !in) {
    WARN("skipped: ryu-vectors.json not found (ELECTRON_CORPUS_DIR=" << dir << ")");
    return;
  }
  std::ostringstream whole;
  whole << in.rdbuf();
  const std::string json = whole.str();
  std::size_t passed = 0, total = 0, not_applicable = 0;
  auto run = [&](std::string_view section, bool is_double) {
    for (const ryu_vector& v : ryu_section(json, section)) {
      ++total;
      INFO(section << ": \"" << v.text << "\" bits " << v.bits << " error " << v.error);
      if (v.error == "INPUT_TOO_LONG") {  // a limit of Ryu's parser, not of the format
        ++not_applicable;
        continue;
      }
      bool ok = false;
      if (!v.error.empty()) {
        ok = parse_float<double>(v.text).ec == std::errc::invalid_argument &&
             parse_float<float>(v.text).ec == std::errc::invalid_argument;
      } else if (is_double) {
        const auto r = parse_float<double>(v.text);
        ok = v.bits.empty() ? std::isnan(r.value) : bits(r.value) == std::strtoull(v.bits.c_str(), nullptr, 16);
      } else {
        const auto r = parse_float<float>(v.text);
        ok = v.bits.empty() ? std::isnan(r.value) : bits(r.value) == std::strtoul(v.bits.c_str(), nullptr, 16);
      }
      CHECK(ok);
      passed += ok ? 1 : 0;
    }
  };
  run("s2d", true);
  run("s2f", false);
  run("d2s", true);
  run("f2s", false);
  WARN("ryu vectors: " << passed << " of " << total << " pass, " << not_applicable << " not applicable");
  CHECK(passed + not_applicable == total);
  CHECK(total > 200);
}

// ---------------------------------------------------------------------------
// Generated and random inputs
// ---------------------------------------------------------------------------

namespace {
template <class T>
T random_finite(std::mt19937_64& rng) {
  for (;;) {
    const auto b = static_cast<bits_of<T>>(rng());
    const T v = std::bit_cast<T>(b);
    if (std::isfinite(v)) return v;
  }
}

/// strtod (strtof for float) on a NUL-terminated text: the C library's
/// correctly rounded answer, a second reference beside std::from_chars.
template <class T>
T c_library_value(const std::string& text) {
  if constexpr (std::is_same_v<T, float>) {
    return std::strtof(text.c_str(), nullptr);
  } else {
    return std::strtod(text.c_str(), nullptr);
  }
}

/// Prints v three ways (shortest, %.17g / %.9g, shortest fixed) and checks
/// each parses back to v, as std::from_chars (and, for the first two,
/// strtod) does, bit for bit.
template <class T>
bool round_trips(T v, std::string& failed) {
  char buf[512];
  const std::to_chars_result s = std::to_chars(buf, buf + sizeof buf, v);
  const std::string shortest(buf, s.ptr);
  std::snprintf(buf, sizeof buf, std::is_same_v<T, double> ? "%.17g" : "%.9g", static_cast<double>(v));
  const std::string full(buf);
  const std::to_chars_result f = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  const std::string fixed(buf, f.ptr);
  for (const std::string* t : {&shortest, &full, &fixed}) {
    const auto r = parse_float<T>(*t);
    if (r.ec != std::errc{} || bits(r.value) != bits(v) || !agrees<T>(*t) || bits(c_library_value<T>(*t)) != bits(v)) {
      failed = *t;
      return false;
    }
  }
  return true;
}
}  // namespace

TEMPLATE_TEST_CASE("parse_float: random values printed and parsed back", "[parse][float][random]", float, double) {
  // 200,000 per type (10 million with ctest -L stress).
  const std::size_t n = 200000 * random_scale();
  std::mt19937_64 rng(std::is_same_v<TestType, double> ? 11 : 12);
  std::string failed;
  std::size_t ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (round_trips(random_finite<TestType>(rng), failed)) {
      ++ok;
    } else {
      INFO(failed);
      CHECK(false);
      break;
    }
  }
  CHECK(ok == n);
}

TEMPLATE_TEST_CASE("parse_float: random decimal strings agree with std::from_chars and strtod", "[parse][float]", float,
                   double) {
  std::mt19937_64 rng(21);
  const std::size_t n = 100000;
  for (std::size_t i = 0; i < n; ++i) {
    // 1 to 40 digits with a point somewhere and an exponent near the type's
    // range, where Eisel-Lemire, truncation and the exact path all run.
    std::string s;
    if (rng() % 2) s += '-';
    const std::size_t digits = 1 + rng() % (rng() % 4 == 0 ? 40 : 20);
    const std::size_t point = rng() % (digits + 1);
    for (std::size_t k = 0; k < digits; ++k) {
      if (k == point) s += '.';
      s += static_cast<char>('0' + rng() % 10);
    }
    const int range = std::is_same_v<TestType, double> ? 330 : 50;
    s += 'e';
    s += std::to_string(static_cast<int>(rng() % (2 * range + 1)) - range);
    INFO(s);
    if (!agrees<TestType>(s)) {
      CHECK(agrees<TestType>(s));
      break;
    }
    const auto r = parse_float<TestType>(s);
    const TestType c = std::is_same_v<TestType, double> ? static_cast<TestType>(std::strtod(s.c_str(), nullptr))
                                                        : static_cast<TestType>(std::strtof(s.c_str(), nullptr));
    if (bits(r.value) != bits(c)) {
      CHECK(bits(r.value) == bits(c));
      break;
    }
  }
}

TEMPLATE_TEST_CASE("parse_float: numbers inside longer text (word-at-a-time paths) agree with std::from_chars",
                   "[parse][float]", float, double) {
  // The scanner reads the integer part's end, the '.' and up to eight
  // fraction or exponent digits as whole words when the range goes on far
  // enough: numbers of every shape here, followed by text that continues
  // (digits after a separator, letters, a second '.', 'e', signs), each
  // range alone in an allocation of its size so that ASan sees a read past
  // it, and parsed from every offset of the first few characters too.
  std::mt19937_64 rng(33);
  const std::string_view tail_bytes = "0123456789.eE+-,; xn\n";
  const std::size_t n = 40000 * random_scale();
  for (std::size_t i = 0; i < n; ++i) {
    std::string s;
    const auto pick = [&](std::size_t m) { return static_cast<std::size_t>(rng() % m); };
    if (pick(3) == 0) s += pick(4) == 0 ? '+' : '-';
    const std::size_t int_digits = pick(4) == 0 ? pick(25) : pick(6);
    for (std::size_t k = 0; k < int_digits; ++k) s += static_cast<char>('0' + pick(10));
    if (pick(3) != 0) {
      s += '.';
      const std::size_t frac_digits = pick(3) == 0 ? pick(30) : pick(10);
      for (std::size_t k = 0; k < frac_digits; ++k) s += static_cast<char>('0' + pick(10));
    }
    if (pick(4) == 0) {
      s += pick(2) == 0 ? 'e' : 'E';
      if (pick(2) == 0) s += pick(2) == 0 ? '+' : '-';
      const std::size_t exp_digits = pick(11);
      for (std::size_t k = 0; k < exp_digits; ++k) s += static_cast<char>('0' + pick(10));
    }
    const std::size_t tail = pick(4) == 0 ? pick(4) : pick(30);
    for (std::size_t k = 0; k < tail; ++k) s += tail_bytes[pick(tail_bytes.size())];
    const std::vector<char> buf(s.begin(), s.end());
    for (std::size_t at = 0; at < std::min<std::size_t>(buf.size(), 3); ++at) {
      const char* const first = buf.data() + at;
      if (!electron_fuzz::parse_float_model::agrees_with_from_chars<TestType>(first, buf.data() + buf.size())) {
        INFO(std::string_view(first, static_cast<std::size_t>(buf.data() + buf.size() - first)));
        CHECK(false);
        return;
      }
    }
  }
}

namespace {
/// The exact decimal expansion of a binary value (glibc prints long double
/// exactly; every halfway point of a double or float is a long double).
std::string exact_decimal(long double v) {
  std::vector<char> buf(1400);
  const int n = std::snprintf(buf.data(), buf.size(), "%.1100Le", v);
  std::string s(buf.data(), static_cast<std::size_t>(n));
  // Trim the zeros after the significant digits, keeping the exponent.
  const std::size_t e = s.find('e');
  std::size_t end = e;
  while (end > 0 && s[end - 1] == '0') --end;
  if (s[end - 1] == '.') --end;
  return s.substr(0, end) + s.substr(e);
}
}  // namespace

TEMPLATE_TEST_CASE("parse_float: exact halfway points round to even, and a digit more or less decides",
                   "[parse][float]", float, double) {
  using T = TestType;
  std::mt19937_64 rng(31);
  std::vector<T> values = {std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max(), T{1}, static_cast<T>(0.1)};
  // Subnormals, the normal-subnormal boundary, large values, and random.
  for (int i = 0; i < 300; ++i) {
    values.push_back(std::bit_cast<T>(static_cast<bits_of<T>>(rng() % 4096)));
    values.push_back(std::bit_cast<T>(static_cast<bits_of<T>>(bits(std::numeric_limits<T>::min()) - 32 + rng() % 64)));
    values.push_back(random_finite<T>(rng));
  }
  values.push_back(T{0});
  std::size_t checked = 0;
  for (T v : values) {
    v = std::fabs(v);
    const T next = std::nextafter(v, std::numeric_limits<T>::infinity());
    const long double mid =
        std::isinf(next) ? static_cast<long double>(v) +
                               (static_cast<long double>(v) - static_cast<long double>(std::nextafter(v, T{0}))) / 2
                         : (static_cast<long double>(v) + static_cast<long double>(next)) / 2;
    const std::string h = exact_decimal(mid);
    INFO(h);
    const auto r = parse_float<T>(h);
    const T even = (bits(v) & 1) == 0 ? v : next;
    CHECK(bits(r.value) == bits(even));
    CHECK(agrees<T>(h));
    // One more digit above the halfway point: up; one less: down.
    const std::size_t e = h.find('e');
    const bool has_point = h.find('.') < e;
    const std::string above = h.substr(0, e) + (has_point ? "" : ".") + "000000000000000000001" + h.substr(e);
    CHECK(bits(parse_float<T>(above).value) == bits(next));
    CHECK(agrees<T>(above));
    std::string below = h.substr(0, e);
    if (has_point && below.back() != '0') {
      --below.back();
      below += std::string(30, '9') + h.substr(e);
      CHECK(bits(parse_float<T>(below).value) == bits(v));
      CHECK(agrees<T>(below));
    }
    ++checked;
  }
  CHECK(checked == values.size());
}

TEST_CASE("parse_float: 800-digit and longer inputs", "[parse][float]") {
  // 2^-1075, half the smallest subnormal: exactly a tie (to even: 0), and
  // with one more nonzero digit anywhere after it, the smallest subnormal.
  const std::string half_min = exact_decimal(std::ldexp(1.0L, -1075));
  REQUIRE(half_min.size() > 750);
  CHECK(parse_float<double>(half_min).value == 0.0);
  CHECK(parse_float<double>(half_min).ec == std::errc::result_out_of_range);
  const std::size_t e = half_min.find('e');
  const std::string above = half_min.substr(0, e) + std::string(300, '0') + "1" + half_min.substr(e);
  CHECK(parse_float<double>(above).value == std::numeric_limits<double>::denorm_min());
  CHECK(agrees<double>(half_min));
  CHECK(agrees<double>(above));

  std::mt19937_64 rng(41);
  for (int i = 0; i < 300; ++i) {
    std::string s = "0.";
    const std::size_t zeros = rng() % 400, digits = 700 + rng() % 400;
    s += std::string(zeros, '0');
    for (std::size_t k = 0; k < digits; ++k) s += static_cast<char>('0' + rng() % 10);
    s += "e" + std::to_string(static_cast<int>(rng() % 700) - 300 + static_cast<int>(zeros));
    INFO(s);
    CHECK(agrees<double>(s));
    CHECK(agrees<float>(s));
  }
  // Long runs: digits that only matter as "not zero", zeros that do not.
  const std::string ones(5000, '1');
  CHECK(agrees<double>(ones));
  CHECK(agrees<double>("0." + std::string(10000, '0') + "1e10010"));
  CHECK(parse_float<double>("0." + std::string(10000, '0') + "1e10010").value == 1e9);
  CHECK(parse_float<double>("1" + std::string(400, '0') + "e-400").value == 1.0);
  CHECK(parse_float<double>("9007199254740993" + std::string(2000, '0') + "e-2000").value == 9007199254740992.0);
  CHECK(parse_float<double>("9007199254740993" + std::string(2000, '0') + "1e-2001").value == 9007199254740994.0);
}

TEST_CASE("parse_float: does not allocate, on any path", "[parse][float]") {
  const std::string long_input = exact_decimal(std::ldexp(1.0L, -1075)) + "1";
  double sum = 0;
  CHECK(et::check_no_alloc([&] {
    for (const std::string_view s : {"12.5", "0.1", "1.7976931348623157e308", "9007199254740993",
                                     "123456789012345678901234567890", "nan", "-inf", "1e-400"}) {
      sum += parse_float<double>(s).value + static_cast<double>(parse_float<float>(s).value);
    }
    sum += parse_float<double>(long_input).value;
  }));
  et::do_not_optimize(sum);
}

TEST_CASE("parse_float: fuzz property against std::from_chars", "[parse][float][fuzz]") {
  CHECK(et::fuzz_string(electron_fuzz::parse_float_property, {.seed = 1, .runs = 20000, .max_size = 40}));
  CHECK(et::fuzz_string(electron_fuzz::parse_float_property, {.seed = 2, .runs = 2000, .max_size = 400}));
}
