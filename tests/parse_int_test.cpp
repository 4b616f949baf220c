// SPDX-License-Identifier: MIT
// Tests for electron/parse/int.hpp: parse_int, parse_uint, format_int,
// format_uint, int_chars, append_int, against std::from_chars and
// std::to_chars.
#include "electron/parse/int.hpp"

#include "electron/pool.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/parse_int_property.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ep = electron::parse;
namespace et = electron::test;
using std::errc;

// ---------------------------------------------------------------------------
// Concepts, noexcept, constexpr
// ---------------------------------------------------------------------------
static_assert(ep::standard_integer<int> && ep::standard_integer<unsigned long long> &&
              ep::standard_integer<signed char>);
static_assert(!ep::standard_integer<bool> && !ep::standard_integer<char> && !ep::standard_integer<char8_t> &&
              !ep::standard_integer<wchar_t> && !ep::standard_integer<double> && !ep::standard_integer<const int>);
static_assert(ep::standard_unsigned<unsigned char> && !ep::standard_unsigned<int>);
static_assert(ep::char_pointer<char*> && ep::char_pointer<const char*> && !ep::char_pointer<int>);
static_assert(ep::text_sink<std::string> && ep::text_sink<electron::strings::builder> && !ep::text_sink<int>);

static_assert(noexcept(ep::parse_int<int>(std::string_view{})));
static_assert(noexcept(ep::parse_uint<unsigned>(static_cast<const char*>(nullptr), static_cast<const char*>(nullptr))));
static_assert(noexcept(ep::format_int(static_cast<char*>(nullptr), static_cast<char*>(nullptr), 1)));
static_assert(noexcept(ep::int_chars(1)));
static_assert(std::is_trivially_copyable_v<ep::int_chars>);

// `parse_int<int>("10", 0)` is the whole-string form with base 0, not a
// range ending at a null pointer.
static_assert(ep::parse_int<int>("10", 0).value == 10);
static_assert(ep::parse_int<int>("-42").value == -42);
static_assert(ep::parse_int("9223372036854775807").value == std::numeric_limits<std::int64_t>::max());
static_assert(ep::parse_int<std::int8_t>("-128").value == -128);
static_assert(ep::parse_int<std::int8_t>("128").ec == errc::result_out_of_range);
static_assert(ep::parse_uint("18446744073709551615").value == std::numeric_limits<std::uint64_t>::max());
static_assert(ep::parse_uint("18446744073709551616").ec == errc::result_out_of_range);
static_assert(ep::parse_uint<unsigned>("0xff", 0).value == 255);
static_assert(ep::parse_uint<unsigned>("0B101", 0).value == 5);
static_assert(ep::parse_uint<unsigned>("0o17", 0).value == 15);
static_assert(ep::parse_uint<unsigned>("017", 0).value == 17);  // no implicit octal
static_assert(ep::parse_int<int>("Zz", 36).value == 35 * 36 + 35);
static_assert(ep::parse_int<int>("+5", 10, ep::number_options::allow_plus).value == 5);
static_assert(ep::parse_int<int>("+5").ec == errc::invalid_argument);
static_assert(ep::parse_uint<unsigned>("-0").ec == errc::invalid_argument);
static_assert(ep::parse_int<int>("12a").ec == errc::invalid_argument);
static_assert(ep::parse_int<int>("000000000000000000000000000000000000000000000000000012345678").value == 12345678);
static_assert(ep::int_chars(-42).view() == "-42");
static_assert(ep::int_chars(std::numeric_limits<std::int64_t>::min()).view() == "-9223372036854775808");
static_assert(ep::int_chars(255u, 16).view() == "ff");
static_assert(ep::int_chars(std::int8_t{-128}, 2).view() == "-10000000");
static_assert([] {
  char buf[20];
  const auto r = ep::format_int(buf, buf + 20, std::numeric_limits<std::uint64_t>::max());
  return std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)) == "18446744073709551615";
}());
static_assert([] {
  char buf[3];
  const auto r = ep::format_int(buf, buf + 3, -100);
  return r.ec == errc::value_too_large && r.ptr == buf + 3;
}());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------
namespace {

template <class T>
std::string to_text(T v, int base = 10) {
  char buf[80];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, base);
  return std::string(buf, r.ptr);
}

// The text of a magnitude plus one, in `base` ("-" kept).
std::string plus_one(std::string s, int base) {
  const std::string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::size_t i = s.size();
  while (i-- > 0 && s[i] != '-') {
    const auto d = digits.find(s[i]);
    if (static_cast<int>(d) + 1 < base) {
      s[i] = digits[d + 1];
      return s;
    }
    s[i] = '0';
  }
  s.insert(i + 1, 1, '1');
  return s;
}

// The parse, and std::from_chars on the same bytes (held alone in an
// allocation of their size, so that a read past them is an ASan error).
template <class T>
void check_like_from_chars(std::string_view text, int base) {
  std::vector<char> buf(text.begin(), text.end());
  const char* first = buf.data();
  const char* last = first + buf.size();
  T want{};
  const auto ref = std::from_chars(first, last, want, base);
  const auto got = ep::parse_int<T>(first, last, base);
  INFO("text \"" << std::string(text) << "\" base " << base);
  CHECK(got.ptr == ref.ptr);
  CHECK(got.ec == ref.ec);
  if (ref.ec == errc{}) {
    CHECK(got.value == want);
  } else {
    CHECK(got.value == T{});
  }
  // The whole-string form.
  const auto whole = ep::parse_int<T>(std::string_view(first, buf.size()), base);
  if (ref.ec == errc::invalid_argument || ref.ptr != last) {
    CHECK(whole.ec == (ref.ec == errc{} || ref.ptr != last ? errc::invalid_argument : ref.ec));
    CHECK(whole.ptr == ref.ptr);
    CHECK(whole.value == T{});
  } else {
    CHECK(whole.ec == ref.ec);
    CHECK(whole.value == got.value);
  }
}

}  // namespace

#define ELECTRON_INT_TYPES \
  signed char, unsigned char, short, unsigned short, int, unsigned, long, unsigned long, long long, unsigned long long

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------
TEMPLATE_TEST_CASE("parse_int: min, max, one past them, in every base", "[parse][int]", ELECTRON_INT_TYPES) {
  using T = TestType;
  for (int base = 2; base <= 36; ++base) {
    const std::string max = to_text(std::numeric_limits<T>::max(), base);
    const std::string min = to_text(std::numeric_limits<T>::min(), base);
    check_like_from_chars<T>(max, base);
    check_like_from_chars<T>(min, base);
    check_like_from_chars<T>(plus_one(max, base), base);
    check_like_from_chars<T>(plus_one(plus_one(max, base), base), base);
    check_like_from_chars<T>(max + "0", base);
    check_like_from_chars<T>("000000000000000000000000000000000000000000000000000000000000000000000" + max, base);
    check_like_from_chars<T>(max + "!", base);
    check_like_from_chars<T>(plus_one(max, base) + "!", base);
    CHECK(ep::parse_int<T>(max, base).value == std::numeric_limits<T>::max());
    CHECK(ep::parse_int<T>(min, base).value == std::numeric_limits<T>::min());
    CHECK(ep::parse_int<T>(plus_one(max, base), base).ec == errc::result_out_of_range);
    if constexpr (std::is_signed_v<T>) {
      check_like_from_chars<T>(plus_one(min, base), base);  // min - 1
      CHECK(ep::parse_int<T>(plus_one(min, base), base).ec == errc::result_out_of_range);
      CHECK(ep::parse_int<T>("-0", base).value == 0);
    } else {
      CHECK(ep::parse_uint<T>(max, base).value == std::numeric_limits<T>::max());
      CHECK(ep::parse_uint<T>("-0", base).ec == errc::invalid_argument);
      CHECK(ep::parse_uint<T>("-0", base).ptr != nullptr);
    }
    for (const char* s : {"",  "-", "+", "--1", "+-1", "-+1", " 1", "1 ", "0",  "00",  "-00",  "1",
                          "z", "Z", "@", "[",   "`",   "{",   "/",  ":",  "0x", "0x1", "\x80", "1\xff"}) {
      check_like_from_chars<T>(s, base);
    }
    const std::string huge(300, '1');
    check_like_from_chars<T>(huge, base);
    check_like_from_chars<T>(std::string(300, '0') + "1", base);
    check_like_from_chars<T>(std::string(300, '0'), base);
  }
}

TEMPLATE_TEST_CASE("parse_int agrees with std::from_chars on random text", "[parse][int]", ELECTRON_INT_TYPES) {
  using T = TestType;
  std::mt19937_64 rng(11);
  const std::string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-+ .";
  for (int i = 0; i < 20000; ++i) {
    const int base = 2 + static_cast<int>(rng() % 35);
    // Mostly digits of the base (lengths around each SWAR word), sometimes anything.
    const std::size_t len = rng() % 40;
    std::string s;
    if (rng() % 2 != 0) s += '-';
    for (std::size_t k = 0; k < len; ++k) {
      s += rng() % 16 == 0 ? alphabet[rng() % alphabet.size()] : alphabet[rng() % static_cast<unsigned>(base)];
    }
    check_like_from_chars<T>(s, base);
    // Random values of the type, printed, parsed back.
    const auto v = static_cast<T>(rng() >> (rng() % 64));
    const std::string t = to_text(v, base);
    const auto r = ep::parse_int<T>(t, base);
    CHECK(r);
    CHECK(r.value == v);
    CHECK(r.ptr == t.data() + t.size());
  }
}

TEST_CASE("parse_int decimal: every length 0..40 at every offset, with a stop at every place", "[parse][int]") {
  // The SWAR path reads 8-byte words and short tails: all lengths and all
  // positions of the first non-digit, each in a buffer of exactly its size.
  std::mt19937_64 rng(5);
  for (std::size_t len = 0; len <= 40; ++len) {
    for (std::size_t stop = 0; stop <= len; ++stop) {
      for (const char bad : {'/', ':', '\0', 'a', ' ', '\xb0', '-'}) {
        std::string s;
        for (std::size_t k = 0; k < len; ++k) s += static_cast<char>('0' + rng() % 10);
        if (stop < len) s[stop] = bad;
        check_like_from_chars<long long>(s, 10);
        check_like_from_chars<unsigned long long>(s, 10);
        check_like_from_chars<int>(s, 10);
        check_like_from_chars<std::uint8_t>(s, 10);
      }
    }
  }
  // Every byte value after one digit and before one.
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    check_like_from_chars<long long>(std::string("7") + ch + "1234567", 10);
    check_like_from_chars<long long>(std::string(1, ch) + "12345678", 10);
    check_like_from_chars<long long>(std::string("12345678") + ch, 10);
  }
}

TEMPLATE_TEST_CASE("parse_int decimal: numbers inside longer text (the word-at-a-time path)", "[parse][int]",
                   ELECTRON_INT_TYPES) {
  // With 25 bytes or more in [first, last), decimal parsing reads the words
  // at first and first + 1 whatever the sign: numbers of every length and
  // sign followed by more text, against std::from_chars, and '+' with
  // allow_plus against std::from_chars after the '+'.
  using T = TestType;
  std::mt19937_64 rng(17);
  const std::string_view tail_bytes = "0123456789,;:/ x-+.\n";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const auto sign = rng() % 4;
    if (sign == 1) s += '-';
    if (sign == 2) s += '+';
    const std::size_t len = rng() % 4 == 0 ? rng() % 23 : rng() % 9;
    for (std::size_t k = 0; k < len; ++k) s += static_cast<char>('0' + rng() % 10);
    const std::size_t tail = 25 + rng() % 16;
    for (std::size_t k = 0; k < tail; ++k) s += tail_bytes[rng() % tail_bytes.size()];
    check_like_from_chars<T>(s, 10);
    if (sign == 2 && len > 0) {  // (one sign at most: "+-1" is not -1)
      const char* const first = s.data();
      const char* const last = first + s.size();
      T want{};
      const auto ref = std::from_chars(first + 1, last, want);
      const auto got = ep::parse_int<T>(first, last, 10, ep::number_options::allow_plus);
      INFO(s);
      CHECK(got.ec == ref.ec);
      CHECK(got.ptr == (ref.ec == errc::invalid_argument ? first : ref.ptr));
      CHECK(got.value == (ref.ec == errc{} ? want : T{}));
    }
  }
}

TEST_CASE("parse_int: base 0 prefixes, '+', '-0', errors", "[parse][int]") {
  const auto plus = ep::number_options::allow_plus;
  struct row {
    std::string_view text;
    int base;
    bool plus;
    long long value;
    std::size_t used;  // characters used
    errc ec;
  };
  const row rows[] = {
      {"0x1F", 0, false, 31, 4, errc{}},
      {"0X1f", 0, false, 31, 4, errc{}},
      {"-0x80", 0, false, -128, 5, errc{}},
      {"+0x10", 0, true, 16, 5, errc{}},
      {"+0x10", 0, false, 0, 0, errc::invalid_argument},
      {"0b1011", 0, false, 11, 6, errc{}},
      {"0B12", 0, false, 1, 3, errc{}},  // stops at the 2
      {"0b2", 0, false, 0, 1, errc{}},   // not a prefix: 0, stops at the b
      {"0o777", 0, false, 511, 5, errc{}},
      {"0O8", 0, false, 0, 1, errc{}},
      {"0x", 0, false, 0, 1, errc{}},
      {"0xg", 0, false, 0, 1, errc{}},
      {"010", 0, false, 10, 3, errc{}},  // a lone leading 0 is not octal
      {"0", 0, false, 0, 1, errc{}},
      {"-0", 0, false, 0, 2, errc{}},
      {"0x1f", 16, false, 0, 1, errc{}},  // prefixes only with base 0
      {"x1f", 0, false, 0, 0, errc::invalid_argument},
      {"0x7fffffffffffffff", 0, false, 9223372036854775807LL, 18, errc{}},
      {"0x8000000000000000", 0, false, 0, 18, errc::result_out_of_range},
      {"-0x8000000000000000", 0, false, -9223372036854775807LL - 1, 19, errc{}},
      {"+", 10, true, 0, 0, errc::invalid_argument},
      {"-", 10, false, 0, 0, errc::invalid_argument},
      {"+-1", 10, true, 0, 0, errc::invalid_argument},
      {"++1", 10, true, 0, 0, errc::invalid_argument},
      {"+12", 10, true, 12, 3, errc{}},
      {"12", 1, false, 0, 0, errc::invalid_argument},
      {"12", 37, false, 0, 0, errc::invalid_argument},
      {"12", -1, false, 0, 0, errc::invalid_argument},
      {"99999999999999999999999999x", 10, false, 0, 26, errc::result_out_of_range},
  };
  for (const row& r : rows) {
    INFO(r.text << " base " << r.base);
    const auto got = ep::parse_int<long long>(r.text.data(), r.text.data() + r.text.size(), r.base,
                                              r.plus ? plus : ep::number_options::none);
    CHECK(got.value == r.value);
    CHECK(got.ptr == r.text.data() + r.used);
    CHECK(got.ec == r.ec);
  }
  // The whole-string form: leftovers are invalid_argument at the first unused character.
  const std::string_view s = "0b12";
  const auto w = ep::parse_int<int>(s, 0);
  CHECK(w.ec == errc::invalid_argument);
  CHECK(w.ptr == s.data() + 3);
  CHECK(w.value == 0);
  const std::string_view big = "99999999999999999999999999x";
  CHECK(ep::parse_int<long long>(big).ec == errc::invalid_argument);
  CHECK(ep::parse_int<long long>(big).ptr == big.data() + 26);
  CHECK(ep::parse_int<long long>(big.substr(0, 26)).ec == errc::result_out_of_range);
  CHECK(ep::parse_int<long long>(std::string_view{}).ec == errc::invalid_argument);
  CHECK(ep::parse_uint<std::uint16_t>("-0x1", 0).ec == errc::invalid_argument);
  CHECK(ep::parse_uint<std::uint16_t>("+0x1", 0, plus).value == 1);
  // A range that ends inside a number: the digits after last are not read.
  const char text[] = "12345678901234567890";
  for (std::size_t n = 1; n <= 20; ++n) {
    const auto r = ep::parse_uint<std::uint64_t>(text, text + n);
    CHECK(r.value == std::stoull(std::string(text, n)));
    CHECK(r.ptr == text + n);
  }
  // char* works as the end too.
  char mutable_text[] = "77";
  CHECK(ep::parse_int<int>(mutable_text, mutable_text + 2).value == 77);
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------
TEMPLATE_TEST_CASE("format_int and int_chars agree with std::to_chars in every base", "[parse][int][format]",
                   ELECTRON_INT_TYPES) {
  using T = TestType;
  std::mt19937_64 rng(7);
  std::vector<T> values = {std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max(),
                           T{0},
                           T{1},
                           static_cast<T>(std::numeric_limits<T>::min() + 1),
                           static_cast<T>(std::numeric_limits<T>::max() - 1)};
  if constexpr (std::is_signed_v<T>) values.push_back(T{-1});
  // Every power of ten and its neighbours (the digit count's edges).
  for (std::uint64_t p = 1; p <= std::uint64_t{std::numeric_limits<T>::max()} / 10 * 10 && p != 0; p *= 10) {
    for (const std::uint64_t q : {p - 1, p, p + 1}) {
      if (q <= std::uint64_t{std::numeric_limits<T>::max()}) {
        values.push_back(static_cast<T>(q));
        if constexpr (std::is_signed_v<T>) values.push_back(static_cast<T>(-static_cast<T>(q)));
      }
    }
    if (p > std::numeric_limits<std::uint64_t>::max() / 10) break;
  }
  for (int i = 0; i < 3000; ++i) values.push_back(static_cast<T>(rng() >> (rng() % 64)));
  for (const T v : values) {
    for (int base = 2; base <= 36; ++base) {
      const std::string want = to_text(v, base);
      INFO("value " << to_text(v) << " base " << base);
      CHECK(ep::int_chars(v, base).view() == want);
      CHECK(std::string(ep::int_chars(v, base).c_str()) == want);
      // Exactly enough room, more room, and one to three too few: never a write past last.
      for (std::size_t room : {want.size(), want.size() + 5, want.size() - 1, want.size() / 2, std::size_t{0}}) {
        if (room > want.size() + 5) continue;
        std::vector<char> buf(room + 8, '#');
        const auto r = ep::format_int(buf.data(), buf.data() + room, v, base);
        if (room >= want.size()) {
          CHECK(r.ec == errc{});
          CHECK(std::string_view(buf.data(), static_cast<std::size_t>(r.ptr - buf.data())) == want);
        } else {
          CHECK(r.ec == errc::value_too_large);
          CHECK(r.ptr == buf.data() + room);
        }
        CHECK(std::string_view(buf.data() + room, 8) == "########");
      }
      if constexpr (std::is_unsigned_v<T>) {
        char b[80];
        const auto r = ep::format_uint(b, b + sizeof b, v, base);
        CHECK(std::string_view(b, static_cast<std::size_t>(r.ptr - b)) == want);
      }
    }
  }
}

TEST_CASE("format_int: a base outside 2..36 writes nothing", "[parse][int][format]") {
  char buf[8] = "abcdefg";
  for (const int base : {-1, 0, 1, 37, 100}) {
    const auto r = ep::format_int(buf, buf + 8, 5, base);
    CHECK(r.ec == errc::invalid_argument);
    CHECK(r.ptr == buf);
  }
  CHECK(std::string_view(buf) == "abcdefg");
  CHECK(ep::int_chars(0).view() == "0");
  CHECK(ep::int_chars(0, 2).size() == 1);
  CHECK(ep::int_chars(std::numeric_limits<std::int64_t>::min(), 2).size() == ep::max_int_chars);
}

namespace {
// A sink of one's own: anything with append(std::string_view).
struct counting_sink {
  std::string text;
  int calls = 0;
  void append(std::string_view s) {
    text.append(s);
    ++calls;
  }
};
}  // namespace

TEST_CASE("append_int appends to any builder and to other text sinks", "[parse][int][format]") {
  electron::strings::builder b;
  ep::append_int(b, -42).append(",");
  ep::append_int(b, std::numeric_limits<std::uint64_t>::max());
  ep::append_int(b, 255, 16);
  CHECK(b.view() == "-42,18446744073709551615ff");

  electron::pool::sized_pool pool;
  electron::strings::basic_builder<electron::pool::sized_pool> sb(pool);
  ep::append_int(sb, std::numeric_limits<std::int64_t>::min());
  CHECK(sb.view() == "-9223372036854775808");

  std::string s = "x=";
  ep::append_int(s, std::uint8_t{200}, 2);
  CHECK(s == "x=11001000");

  counting_sink c;
  ep::append_int(ep::append_int(c, 1), -1);
  CHECK(c.text == "1-1");
  CHECK(c.calls == 2);
}

// ---------------------------------------------------------------------------
// Allocation, fuzz property
// ---------------------------------------------------------------------------
TEST_CASE("parse_int, format_int, int_chars and append_int into reserved room do not allocate", "[parse][int][alloc]") {
  const std::string text = "-9223372036854775808";
  const std::string hex = "0x7fffffffffffffff";
  electron::strings::builder b;
  b.reserve(256);
  long long sum = 0;
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 100; ++i) {
      sum += ep::parse_int<long long>(text).value;
      sum += ep::parse_int<long long>(hex, 0).value;
      sum += ep::parse_uint<unsigned>(text).ec == errc::invalid_argument ? 1 : 0;
      char buf[24];
      sum += ep::format_int(buf, buf + sizeof buf, sum).ptr - buf;
      sum += static_cast<long long>(ep::int_chars(sum, 36).size());
    }
    b.clear();
    ep::append_int(b, sum);
  }));
  et::do_not_optimize(sum);
  CHECK(!b.empty());
}

TEST_CASE("parse_int property (the libFuzzer target's) holds on generated inputs", "[parse][int][fuzz]") {
  CHECK(et::fuzz_string(electron_fuzz::parse_int_property, {.seed = 1, .runs = 20000, .max_size = 48}));
  CHECK(et::fuzz_string(electron_fuzz::parse_int_property, {.seed = 2, .runs = 2000, .max_size = 400}));
  // Inputs shaped like numbers: the property's alphabet mode (bit 4) with
  // every type, option and base.
  std::mt19937_64 rng(3);
  const std::string chars = "0123456789";
  for (int i = 0; i < 20000; ++i) {
    std::string in;
    in += static_cast<char>(rng() & 0xEF);  // text kept as is
    in += static_cast<char>(rng() % 240);
    if (rng() % 3 == 0) in += "-+"[rng() % 2];
    if (rng() % 4 == 0) in += "0x";
    const std::size_t n = rng() % 30;
    for (std::size_t k = 0; k < n; ++k) in += rng() % 10 == 0 ? static_cast<char>('a' + rng() % 26) : chars[rng() % 10];
    INFO("input " << in);
    CHECK(electron_fuzz::parse_int_property(in));
  }
}
