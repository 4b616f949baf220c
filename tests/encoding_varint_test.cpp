// SPDX-License-Identifier: MIT
// Tests for electron/encoding/varint.hpp: the protobuf and Go vectors of the
// corpus, a byte-at-a-time model on random values and bytes, truncation at
// every position in exact-size heap buffers, the bulk forms and the sinks.
#include "electron/encoding/varint.hpp"

#include "corpus.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/varint_property.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ee = electron::encoding;
namespace et = electron::test;
namespace model = electron_fuzz::varint_model;
using ee::varint_error;

namespace {

// ---------------------------------------------------------------------------
// A small JSON reader for the corpus (objects, arrays, strings without
// escapes beyond \" and \\, numbers kept as text, true/false/null).
// ---------------------------------------------------------------------------
struct json {
  enum kind_t { null_v, bool_v, number_v, string_v, array_v, object_v } kind = null_v;
  std::string text;  // number or string
  bool flag = false;
  std::vector<json> items;
  std::vector<std::string> keys;  // members: keys[i] -> items[i]
  const json& operator[](std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return items[i];
    }
    static const json none;
    return none;
  }
};

struct json_reader {
  std::string_view s;
  std::size_t i = 0;
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  }
  std::string str() {
    ++i;  // "
    std::string out;
    while (s[i] != '"') {
      if (s[i] == '\\') ++i;
      out.push_back(s[i++]);
    }
    ++i;
    return out;
  }
  json value() {
    ws();
    json v;
    const char c = s[i];
    if (c == '{') {
      v.kind = json::object_v;
      ++i;
      ws();
      if (s[i] == '}') return ++i, v;
      for (;;) {
        ws();
        std::string k = str();
        ws();
        ++i;  // :
        v.keys.push_back(std::move(k));
        v.items.push_back(value());
        ws();
        if (s[i++] == '}') return v;
      }
    }
    if (c == '[') {
      v.kind = json::array_v;
      ++i;
      ws();
      if (s[i] == ']') return ++i, v;
      for (;;) {
        v.items.push_back(value());
        ws();
        if (s[i++] == ']') return v;
      }
    }
    if (c == '"') {
      v.kind = json::string_v;
      v.text = str();
      return v;
    }
    if (s.substr(i, 4) == "true") return i += 4, v.kind = json::bool_v, v.flag = true, v;
    if (s.substr(i, 5) == "false") return i += 5, v.kind = json::bool_v, v;
    if (s.substr(i, 4) == "null") return i += 4, v;
    v.kind = json::number_v;
    while (i < s.size() && (s[i] == '-' || (s[i] >= '0' && s[i] <= '9'))) v.text.push_back(s[i++]);
    return v;
  }
};

using electron_test::corpus_dir;

bool load_vectors(json& out) {
  const std::string path = corpus_dir() + "/encoding/varint/varint-vectors.json";
  std::ifstream f(path, std::ios::binary);
  if (corpus_dir().empty() || !f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  json_reader r{text};
  out = r.value();
  return out.kind == json::object_v;
}

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}
std::uint64_t u64_of(const json& j) { return std::stoull(j.text); }
std::int64_t i64_of(const json& j) { return std::stoll(j.text); }

/// The bytes of s in a heap block of exactly s.size() bytes (ASan catches a
/// read past it).
struct exact_buffer {
  std::unique_ptr<char[]> p;
  std::size_t n;
  explicit exact_buffer(std::string_view s) : p(new char[s.empty() ? 1 : s.size()]), n(s.size()) {
    if (!s.empty()) std::memcpy(p.get(), s.data(), s.size());
  }
  std::string_view view() const { return {p.get(), n}; }
};

std::string encoded(std::uint64_t v) {
  char buf[ee::max_varint_size];
  return std::string(buf, ee::encode_varint(v, buf));
}

/// A value of a random bit width 0..64 (so every varint length is common).
std::uint64_t random_value(std::mt19937_64& rng) {
  const auto bits = static_cast<unsigned>(rng() % 65);
  return bits == 0 ? 0 : rng() >> (64 - bits);
}

}  // namespace

// ---------------------------------------------------------------------------
// API shape, constexpr
// ---------------------------------------------------------------------------
static_assert(ee::max_varint_size == 10);
static_assert(noexcept(ee::encode_varint(0, nullptr)));
static_assert(noexcept(ee::decode_varint(std::string_view{})));
static_assert(noexcept(ee::zigzag_encode(0)) && noexcept(ee::zigzag_decode(0)));
static_assert(ee::varint_element<std::uint64_t> && ee::varint_element<std::uint32_t>);
static_assert(!ee::varint_element<std::int64_t> && !ee::varint_element<std::uint16_t>);
static_assert(ee::zigzag_encode(-1) == 1 && ee::zigzag_encode(1) == 2 && ee::zigzag_decode(3) == -2);
static_assert(ee::zigzag_encode(std::numeric_limits<std::int64_t>::min()) == ~std::uint64_t{0});
static_assert(ee::zigzag_encode32(std::numeric_limits<std::int32_t>::min()) == 0xffffffffu);
static_assert(ee::varint_size(0) == 1 && ee::varint_size(127) == 1 && ee::varint_size(128) == 2 &&
              ee::varint_size(~std::uint64_t{0}) == 10);
static_assert([] {
  char buf[ee::max_varint_size] = {};
  const std::size_t n = ee::encode_varint(300, buf);
  const auto r = ee::decode_varint(std::string_view(buf, n));
  return n == 2 && r.value == 300 && r.size == 2 && r;
}());
static_assert(ee::decode_varint(std::string_view("\x80\x80\x80", 3)).error == varint_error::truncated);
static_assert(ee::decode_varint(std::string_view("\x80\x80\x80\x00", 4), ee::varint_options::reject_non_canonical)
                  .error == varint_error::non_canonical);

// ---------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------
TEST_CASE("varint: protobuf and Go vectors", "[corpus]") {
  json v;
  if (!load_vectors(v)) {
    WARN("skipped: varint-vectors.json not found (ELECTRON_CORPUS_DIR=" << corpus_dir() << ")");
    return;
  }
  std::size_t cases = 0;
  for (const json& c : v["protobuf.kVarintCases"].items) {
    const std::string bytes = unhex(c["bytes"].text);
    const exact_buffer b(bytes);
    const auto r = ee::decode_varint(b.view());
    CHECK(r);
    CHECK(r.value == u64_of(c["value"]));
    CHECK(r.size == bytes.size());
    CHECK(encoded(u64_of(c["value"])) == bytes);
    ++cases;
  }
  for (const json& c : v["protobuf.kVarintErrorCases"].items) {
    const exact_buffer b(unhex(c["bytes"].text));
    INFO(c["note"].text);
    CHECK(static_cast<bool>(ee::decode_varint(b.view())) == c["can_parse"].flag);
    ++cases;
  }
  for (const json& c : v["protobuf.kVarintSizeCases"].items) {
    CHECK(ee::varint_size(u64_of(c["value"])) == std::stoull(c["size"].text));
    CHECK(encoded(u64_of(c["value"])).size() == std::stoull(c["size"].text));
    ++cases;
  }
  for (const json& c : v["protobuf.kSignExtendedVarintCases"].items) {
    const auto x = static_cast<std::int32_t>(std::stol(c["int32"].text));
    char buf[ee::max_varint_size];
    const std::size_t n = ee::encode_int64(x, buf);
    if (c["size"].kind == json::number_v) CHECK(n == std::stoull(c["size"].text));
    CHECK((x < 0) == (n == 10));
    const auto r = ee::decode_int32(std::string_view(buf, n));
    CHECK(r);
    CHECK(r.value == x);
    CHECK(r.size == n);
    ++cases;
  }
  for (const json& c : v["go.binary.varint_roundtrip_values"].items) {
    const std::int64_t x = i64_of(c["int64"]);
    const std::string ubytes = unhex(c["uvarint_of_uint64(bits)"].text);
    const std::string zbytes = unhex(c["varint(zigzag)"].text);
    CHECK(ee::zigzag_encode(x) == u64_of(c["zigzag"]));
    CHECK(encoded(static_cast<std::uint64_t>(x)) == ubytes);
    char buf[ee::max_varint_size];
    CHECK(std::string(buf, ee::encode_zigzag(x, buf)) == zbytes);
    const exact_buffer ub(ubytes);
    const exact_buffer zb(zbytes);
    const auto r = ee::decode_int64(ub.view());
    CHECK((r && r.value == x && r.size == ubytes.size()));
    const auto z = ee::decode_zigzag(zb.view());
    CHECK((z && z.value == x && z.size == zbytes.size()));
    ++cases;
  }
  for (const json& c : v["go.binary.edge_cases"].items) {
    const exact_buffer b(unhex(c["bytes"].text));
    INFO(c["note"].text);
    const long n = std::stol(c["n"].text);
    const auto r = ee::decode_varint(b.view());
    if (n > 0) {
      CHECK(r);
      CHECK(r.value == u64_of(c["value"]));
      CHECK(r.size == static_cast<std::size_t>(n));
    } else if (n == 0) {
      CHECK(r.error == varint_error::truncated);
    } else if (n == -10) {
      CHECK(r.error == varint_error::overflow);
    } else {
      CHECK(r.error == varint_error::overlong);  // Go: -11, an 11th byte
    }
    ++cases;
  }
  // Go's accepted non-canonical zero is rejected on request.
  CHECK(ee::decode_varint(unhex("80808000"), ee::varint_options::reject_non_canonical).error ==
        varint_error::non_canonical);
  const json& guide = v["protobuf.encoding_guide"];
  CHECK(encoded(150) == unhex(guide["varint_150"].text));
  for (const json& c : guide["zigzag"].items) {
    const std::int64_t s = i64_of(c["signed"]);
    CHECK(ee::zigzag_encode(s) == u64_of(c["encoded"]));
    if (s >= INT32_MIN && s <= INT32_MAX) {
      CHECK(ee::zigzag_encode32(static_cast<std::int32_t>(s)) == u64_of(c["encoded"]));
    }
    ++cases;
  }
  char buf[ee::max_varint_size];
  CHECK(std::string(buf, ee::encode_int64(-1, buf)) == unhex(guide["int32_negative_is_10_bytes"].text));
  INFO("corpus cases: " << cases);
  CHECK(cases >= 190);
  WARN("varint corpus cases checked: " << cases);
}

// ---------------------------------------------------------------------------
// Model comparisons
// ---------------------------------------------------------------------------
TEST_CASE("varint: every bit width encodes and decodes like the model", "[model]") {
  for (unsigned bits = 0; bits <= 64; ++bits) {
    for (const std::uint64_t v :
         {bits == 0 ? 0 : (~std::uint64_t{0} >> (64 - bits)), bits == 0 ? 0 : std::uint64_t{1} << (bits - 1)}) {
      const std::string e = encoded(v);
      CHECK(e == model::encode(v));
      CHECK(e.size() == ee::varint_size(v));
      // encode_varint writes exactly its bytes: into an exact-size heap
      // block, and with the bytes around it untouched.
      const std::unique_ptr<char[]> exact(new char[e.size()]);
      CHECK(ee::encode_varint(v, exact.get()) == e.size());
      CHECK(std::string_view(exact.get(), e.size()) == e);
      char guarded[32];
      std::memset(guarded, '\xaa', sizeof guarded);
      CHECK(ee::encode_varint(v, guarded + 8) == e.size());
      CHECK(std::string_view(guarded + 8, e.size()) == e);
      for (std::size_t i = 0; i < sizeof guarded; ++i) {
        if (i < 8 || i >= 8 + e.size()) CHECK(guarded[i] == '\xaa');
      }
      // Truncation at every position, in exact-size buffers, both options.
      for (std::size_t len = 0; len <= e.size(); ++len) {
        const exact_buffer b(std::string_view(e).substr(0, len));
        for (const bool reject : {false, true}) {
          const auto opt = reject ? ee::varint_options::reject_non_canonical : ee::varint_options::none;
          const auto r = ee::decode_varint(b.view(), opt);
          CHECK(r == model::decode(b.view(), reject));
          if (len < e.size()) CHECK((r.error == varint_error::truncated && r.size == len));
          if (len == e.size()) CHECK((r && r.value == v && r.size == len));
        }
      }
      // Followed by more bytes (the word path), and inside a longer stream.
      const std::string padded = e + std::string(12, '\x7f');
      CHECK(ee::decode_varint(padded) == model::decode(padded, false));
    }
  }
}

TEST_CASE("varint: random values and random bytes against the model", "[model]") {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t v = random_value(rng);
    std::string e = encoded(v);
    CHECK(e == model::encode(v));
    // The wide form: same bytes, never past the 10 bytes of room (an
    // exact-size heap block).
    const std::unique_ptr<char[]> room(new char[ee::max_varint_size]);
    const std::size_t w = ee::encode_varint_wide(v, room.get());
    REQUIRE(std::string_view(room.get(), w) == e);
    e += static_cast<char>(rng());
    const auto r = ee::decode_varint(e);
    REQUIRE((r && r.value == v && r.size == ee::varint_size(v)));
  }
  // Random bytes with a bias to high bits: long runs, overlong, overflow.
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 14, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() : (rng() | 0x80));
    if (!s.empty() && rng() % 3 == 0) s[rng() % s.size()] = static_cast<char>(rng() % 3);
    const exact_buffer b(s);
    for (const bool reject : {false, true}) {
      const auto opt = reject ? ee::varint_options::reject_non_canonical : ee::varint_options::none;
      REQUIRE(ee::decode_varint(b.view(), opt) == model::decode(b.view(), reject));
    }
  }
}

TEST_CASE("varint: errors", "[errors]") {
  using ee::decode_varint;
  CHECK(decode_varint(std::string_view{}).error == varint_error::truncated);
  CHECK(decode_varint(unhex("ffffffffffffffffff")).error == varint_error::truncated);  // 9 bytes
  // Ten continuation bytes: overlong without waiting for an 11th.
  CHECK(decode_varint(unhex("ffffffffffffffffffff")) ==
        ee::varint_result<std::uint64_t>{0, 10, varint_error::overlong});
  CHECK(decode_varint(unhex("ffffffffffffffffff02")) ==
        ee::varint_result<std::uint64_t>{0, 10, varint_error::overflow});
  CHECK(decode_varint(unhex("ffffffffffffffffff01")).value == ~std::uint64_t{0});
  // Non-canonical: accepted by default with the same value, rejected on request.
  for (const char* h : {"8000", "808080808080808080 00", "ff00", "8180808000"}) {
    std::string hx(h);
    std::erase(hx, ' ');
    const std::string s = unhex(hx);
    const auto a = decode_varint(s);
    CHECK(a);
    const auto r = decode_varint(s, ee::varint_options::reject_non_canonical);
    CHECK((r.error == varint_error::non_canonical && r.size == s.size()));
  }
  // 32-bit: 2^32 - 1 fits, 2^32 does not; the value decides, not the length.
  CHECK(ee::decode_varint32(encoded(0xffffffffu)).value == 0xffffffffu);
  CHECK(ee::decode_varint32(encoded(0x100000000u)).error == varint_error::overflow);
  CHECK(ee::decode_varint32(unhex("ffffffff0f")).value == 0xffffffffu);
  CHECK(ee::decode_varint32(unhex("ffffffff1f")).error == varint_error::overflow);
  CHECK(ee::decode_varint32(unhex("8180808080808080800000")).value == 1);  // 10 bytes, non-canonical
  CHECK(ee::decode_varint32(unhex("81808080808080808000"), ee::varint_options::reject_non_canonical).error ==
        varint_error::non_canonical);
  // protobuf int32: negatives are 10 bytes; the 5-byte unsigned form of -1 is strict-rejected.
  CHECK(ee::decode_int32(unhex("ffffffffffffffffff01")).value == -1);
  CHECK(ee::decode_int32(unhex("ffffffff0f")).error == varint_error::overflow);
  CHECK(ee::decode_int32(unhex("80808080f8ffffffff01")).value == INT32_MIN);
  CHECK(ee::decode_int32(encoded(static_cast<std::uint64_t>(std::int64_t{INT32_MIN} - 1))).error ==
        varint_error::overflow);
  CHECK(ee::decode_zigzag32(encoded(0xffffffffu)).value == INT32_MIN);
  CHECK(ee::decode_zigzag32(encoded(0x100000000u)).error == varint_error::overflow);
}

TEST_CASE("varint: signed forms round trip", "[model]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const auto x = static_cast<std::int64_t>(random_value(rng)) * (rng() % 2 ? 1 : -1);
    char buf[ee::max_varint_size];
    auto z = ee::decode_zigzag(std::string_view(buf, ee::encode_zigzag(x, buf)));
    REQUIRE((z && z.value == x));
    const std::size_t n = ee::encode_int64(x, buf);
    REQUIRE(n == (x < 0 ? 10 : ee::varint_size(static_cast<std::uint64_t>(x))));
    REQUIRE(ee::decode_int64(std::string_view(buf, n)).value == x);
    const auto x32 = static_cast<std::int32_t>(x);
    const std::size_t n32 = ee::encode_int64(x32, buf);
    REQUIRE(ee::decode_int32(std::string_view(buf, n32)).value == x32);
    const std::size_t z32 = ee::encode_varint(ee::zigzag_encode32(x32), buf);
    REQUIRE(z32 <= ee::max_varint32_size);
    REQUIRE(ee::decode_zigzag32(std::string_view(buf, z32)).value == x32);
  }
}

// ---------------------------------------------------------------------------
// Sinks and spans
// ---------------------------------------------------------------------------
TEST_CASE("varint: appending to sinks", "[sink]") {
  std::string s;
  electron::strings::builder b;
  std::string want;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = random_value(rng);
    ee::append_varint(s, v);
    ee::append_varint(b, v);
    want += model::encode(v);
    const auto x = static_cast<std::int64_t>(v);
    ee::append_zigzag(s, x);
    ee::append_zigzag(b, x);
    want += model::encode(ee::zigzag_encode(x));
    ee::append_int64(s, -x);
    ee::append_int64(b, -x);
    want += model::encode(static_cast<std::uint64_t>(-x));
  }
  CHECK(s == want);
  CHECK(b.view() == want);
}

TEMPLATE_TEST_CASE("varint: bulk encode and decode", "[bulk]", std::uint64_t, std::uint32_t) {
  std::mt19937_64 rng(5);
  for (const std::size_t n : {0u, 1u, 2u, 3u, 7u, 15u, 16u, 17u, 100u, 1000u}) {
    std::vector<TestType> values(n);
    std::string want;
    for (auto& v : values) {
      v = static_cast<TestType>(random_value(rng));
      want += model::encode(v);
    }
    const std::size_t room = n * (sizeof(TestType) == 8 ? ee::max_varint_size : ee::max_varint32_size);
    const std::unique_ptr<char[]> out(new char[room == 0 ? 1 : room]);
    const std::size_t k = ee::encode_varints(std::span<const TestType>(values), out.get());
    REQUIRE(std::string_view(out.get(), k) == want);
    CHECK(ee::varints_size(std::span<const TestType>(values)) == want.size());
    std::string appended;
    ee::append_varints(appended, std::span<const TestType>(values));
    CHECK(appended == want);
    electron::strings::builder b;
    ee::append_varints(b, std::span<const TestType>(values));
    CHECK(b.view() == want);

    const exact_buffer in(want);
    std::vector<TestType> got(n + 2);
    const auto r = ee::decode_varints(in.view(), std::span<TestType>(got));
    CHECK(r == ee::varint_bulk_result{n, want.size(), varint_error::none});
    got.resize(n);
    CHECK(got == values);
    // Output smaller than the input: stops at a boundary.
    if (n > 2) {
      std::vector<TestType> few(2);
      const auto f = ee::decode_varints(in.view(), std::span<TestType>(few));
      CHECK(f == ee::varint_bulk_result{2, model::encode(values[0]).size() + model::encode(values[1]).size()});
    }
    // Truncated anywhere: the complete varints before the cut, then truncated.
    for (std::size_t cut = 0; cut <= want.size() && cut < 40; ++cut) {
      const exact_buffer part(std::string_view(want).substr(0, cut));
      std::vector<TestType> g(n);
      const auto t = ee::decode_varints(part.view(), std::span<TestType>(g));
      std::size_t count = 0;
      std::size_t pos = 0;
      while (count < n && pos + model::encode(values[count]).size() <= cut)
        pos += model::encode(values[count++]).size();
      CHECK(t == ee::varint_bulk_result{count, pos, pos == cut ? varint_error::none : varint_error::truncated});
    }
  }
}

TEST_CASE("varint: bulk decode stops at the first error", "[bulk]") {
  std::mt19937_64 rng(9);
  for (int round = 0; round < 300; ++round) {
    std::string s;
    std::vector<std::uint64_t> values(rng() % 40);
    for (auto& v : values) s += model::encode(v = random_value(rng));
    const std::size_t good = s.size();
    s += unhex(rng() % 2 ? "ffffffffffffffffff02" : "ffffffffffffffffffffff");
    s += encoded(5);
    std::vector<std::uint64_t> got(100);
    const auto r = ee::decode_varints(s, std::span<std::uint64_t>(got));
    CHECK(r.count == values.size());
    CHECK(r.size == good);
    CHECK(r.error != varint_error::none);
    got.resize(values.size());
    CHECK(got == values);
  }
  // Non-canonical inside a bulk decode, with and without the flag.
  const std::string s = encoded(1) + unhex("8000") + encoded(300) + std::string(20, '\x01');
  std::vector<std::uint64_t> got(100);
  CHECK(ee::decode_varints(s, std::span<std::uint64_t>(got)).count == 23);
  CHECK(ee::decode_varints(s, std::span<std::uint64_t>(got), ee::varint_options::reject_non_canonical) ==
        ee::varint_bulk_result{1, 1, varint_error::non_canonical});
}

// ---------------------------------------------------------------------------
// The fuzz property
// ---------------------------------------------------------------------------
TEST_CASE("varint: fuzz property", "[fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::varint_property, {.seed = 1, .runs = 20000, .max_size = 24}));
  CHECK(et::fuzz_bytes(electron_fuzz::varint_property, {.seed = 2, .runs = 3000, .max_size = 300}));
  // Streams of valid varints with rare corruption.
  std::mt19937_64 rng(4);
  for (int i = 0; i < 3000; ++i) {
    std::string s(1, static_cast<char>(rng() % 2));
    const std::size_t k = rng() % 60;
    for (std::size_t j = 0; j < k; ++j) s += model::encode(random_value(rng));
    if (!s.empty() && rng() % 4 == 0) s[rng() % s.size()] = static_cast<char>(rng());
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    REQUIRE(electron_fuzz::varint_property(std::span<const std::byte>(p, s.size())));
  }
}

// ---------------------------------------------------------------------------
// Stream VByte
// ---------------------------------------------------------------------------
TEST_CASE("stream vbyte: the format", "[stream_vbyte]") {
  const std::vector<std::uint32_t> v{0, 256, 65536, 16777216, 0xffffffffu};
  char out[ee::stream_vbyte_max_size(5)];
  const std::size_t n = ee::stream_vbyte_encode(std::span<const std::uint32_t>(v), out);
  // Control bytes 11 10 01 00 = e4 and 03 (a partial group), then the data.
  CHECK(std::string(out, n) ==
        unhex("e403") + unhex("00") + unhex("0001") + unhex("000001") + unhex("00000001") + unhex("ffffffff"));
  std::vector<std::uint32_t> back(5);
  CHECK(ee::stream_vbyte_decode(std::string_view(out, n), std::span<std::uint32_t>(back)) ==
        ee::varint_bulk_result{5, n, varint_error::none});
  CHECK(back == v);
}

TEST_CASE("stream vbyte: round trips, truncation, exact buffers", "[stream_vbyte]") {
  std::mt19937_64 rng(21);
  for (std::size_t n = 0; n < 200; n += (n < 40 ? 1 : 17)) {
    std::vector<std::uint32_t> values(n);
    for (auto& x : values) {
      const auto bits = static_cast<unsigned>(rng() % 33);
      x = bits == 0 ? 0 : static_cast<std::uint32_t>(rng() >> (64 - bits));
    }
    const std::string want = model::stream_vbyte_encode(values);
    const std::unique_ptr<char[]> room(new char[ee::stream_vbyte_max_size(n) + 1]);
    const std::size_t k = ee::stream_vbyte_encode(std::span<const std::uint32_t>(values), room.get());
    REQUIRE(std::string_view(room.get(), k) == want);
    for (std::size_t cut = 0; cut <= want.size(); cut += (cut + 40 < want.size() ? 1 + cut / 8 : 1)) {
      const exact_buffer in(std::string_view(want).substr(0, cut));
      std::vector<std::uint32_t> back(n);
      const auto r = ee::stream_vbyte_decode(in.view(), std::span<std::uint32_t>(back));
      if (cut < want.size()) {
        REQUIRE(r == ee::varint_bulk_result{0, 0, varint_error::truncated});
      } else {
        REQUIRE(r == ee::varint_bulk_result{n, want.size(), varint_error::none});
        REQUIRE(back == values);
      }
    }
  }
}
