// SPDX-License-Identifier: MIT
#include "electron/parse/url.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/url_property.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ep = electron::parse;
namespace et = electron::test;
using electron_fuzz::url_model::reassemble;

namespace {

// ---------------------------------------------------------------------------
// A small JSON reader for the corpus files (objects, arrays, strings with
// escapes, literals; numbers kept as text). Throws on malformed input.
// ---------------------------------------------------------------------------
struct json {
  enum kind_t { null, boolean, number, string, array, object } kind = null;
  bool b = false;
  std::string text;  // string value, or a number's text
  std::vector<json> items;
  std::vector<std::string> keys;  // an object's keys, and its values in items

  [[nodiscard]] const json* find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &items[i];
    }
    return nullptr;
  }
  [[nodiscard]] std::string str(std::string_view key) const {
    const json* v = find(key);
    return v != nullptr && v->kind == string ? v->text : std::string();
  }
};

class json_reader {
 public:
  explicit json_reader(std::string_view s) : m_s(s) {}
  json read() {
    json v = value();
    ws();
    if (m_i != m_s.size()) bad();
    return v;
  }

 private:
  [[noreturn]] void bad() const { throw std::runtime_error("bad JSON at " + std::to_string(m_i)); }
  void ws() {
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\r' || m_s[m_i] == '\t')) ++m_i;
  }
  char peek() {
    ws();
    if (m_i >= m_s.size()) bad();
    return m_s[m_i];
  }
  void expect(std::string_view lit) {
    if (m_s.substr(m_i, lit.size()) != lit) bad();
    m_i += lit.size();
  }
  unsigned hex4() {
    if (m_s.size() - m_i < 4) bad();
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = m_s[m_i++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        v |= static_cast<unsigned>((c | 0x20) - 'a' + 10);
      } else {
        bad();
      }
    }
    return v;
  }
  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::string string_body() {
    expect("\"");
    std::string out;
    for (;;) {
      if (m_i >= m_s.size()) bad();
      const char c = m_s[m_i++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_i >= m_s.size()) bad();
      const char esc = m_s[m_i++];
      switch (esc) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && m_s.substr(m_i, 2) == "\\u") {
            m_i += 2;
            const unsigned lo = hex4();
            if (lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              utf8(out, 0xFFFD);  // a lone surrogate: what the WPT inputs mean by it does not matter here
              cp = lo;
            }
          } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
          }
          utf8(out, cp);
          break;
        }
        default:
          bad();
      }
    }
  }
  json value() {
    json v;
    const char c = peek();
    if (c == '{') {
      v.kind = json::object;
      ++m_i;
      if (peek() == '}') {
        ++m_i;
        return v;
      }
      for (;;) {
        peek();
        std::string key = string_body();
        if (peek() != ':') bad();
        ++m_i;
        v.keys.push_back(std::move(key));
        v.items.push_back(value());
        const char d = peek();
        ++m_i;
        if (d == '}') return v;
        if (d != ',') bad();
      }
    }
    if (c == '[') {
      v.kind = json::array;
      ++m_i;
      if (peek() == ']') {
        ++m_i;
        return v;
      }
      for (;;) {
        v.items.push_back(value());
        const char d = peek();
        ++m_i;
        if (d == ']') return v;
        if (d != ',') bad();
      }
    }
    if (c == '"') {
      v.kind = json::string;
      v.text = string_body();
      return v;
    }
    if (c == 't') {
      expect("true");
      v.kind = json::boolean;
      v.b = true;
      return v;
    }
    if (c == 'f') {
      expect("false");
      v.kind = json::boolean;
      return v;
    }
    if (c == 'n') {
      expect("null");
      return v;
    }
    v.kind = json::number;
    while (m_i < m_s.size() && std::string_view("+-0123456789.eE").find(m_s[m_i]) != std::string_view::npos) {
      v.text += m_s[m_i++];
    }
    if (v.text.empty()) bad();
    return v;
  }
  std::string_view m_s;
  std::size_t m_i = 0;
};

// The corpus folder (ELECTRON_CORPUS_DIR at configure time), or "" when absent.
std::string corpus_dir() {
#if defined(ELECTRON_TEST_CORPUS_DIR)
  const std::string dir = ELECTRON_TEST_CORPUS_DIR;
  if (!dir.empty() && std::ifstream(dir + "/url/uriparser-foursuite.json").good()) return dir;
#endif
  return {};
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

#define ELECTRON_SKIP_WITHOUT_CORPUS(dir)                                                           \
  if ((dir).empty()) {                                                                              \
    WARN("skipped: the corpora folder is absent (configure with -DELECTRON_CORPUS_DIR=<corpora>)"); \
    return;                                                                                         \
  }

std::string resolved(std::string_view base, std::string_view ref) {
  const auto b = ep::parse_url(base);
  const auto r = ep::parse_url(ref);
  if (!b || !r) return "<parse error>";
  electron::strings::builder out;
  if (!ep::resolve(*b, *r, out)) return "<resolve error>";
  return out.str();
}

std::string normalized(std::string_view text, ep::url_mode mode = ep::url_mode::strict) {
  const auto u = ep::parse_url(text, mode);
  if (!u) return "<parse error>";
  electron::strings::builder out;
  ep::normalize(*u, out);
  return out.str();
}

struct expected_parts {
  std::string_view text;
  const char* scheme;  // nullptr: absent (and so for each optional component)
  const char* userinfo;
  const char* host;  // nullptr: no authority
  const char* port;
  std::string_view path;
  const char* query;
  const char* fragment;
  ep::host_kind kind;
};

void check_parts(const expected_parts& x) {
  INFO(x.text);
  const auto r = ep::parse_url(x.text);
  REQUIRE(r);
  const ep::url_view& u = *r;
  CHECK(u.has_scheme() == (x.scheme != nullptr));
  CHECK(u.scheme() == (x.scheme ? x.scheme : ""));
  CHECK(u.has_userinfo() == (x.userinfo != nullptr));
  CHECK(u.userinfo() == (x.userinfo ? x.userinfo : ""));
  CHECK(u.has_authority() == (x.host != nullptr));
  CHECK(u.host() == (x.host ? x.host : ""));
  CHECK(u.has_port() == (x.port != nullptr));
  CHECK(u.port() == (x.port ? x.port : ""));
  CHECK(u.path() == x.path);
  CHECK(u.has_query() == (x.query != nullptr));
  CHECK(u.query() == (x.query ? x.query : ""));
  CHECK(u.has_fragment() == (x.fragment != nullptr));
  CHECK(u.fragment() == (x.fragment ? x.fragment : ""));
  CHECK(u.host_type() == x.kind);
  CHECK(reassemble(u) == x.text);
}

ep::url_view parsed(std::string_view text, ep::url_mode mode = ep::url_mode::strict) {
  const auto r = ep::parse_url(text, mode);
  if (!r) throw std::runtime_error("parse_url failed on " + std::string(text));
  return *r;
}

ep::url_error error_of(std::string_view text, ep::url_mode mode = ep::url_mode::strict) {
  const auto r = ep::parse_url(text, mode);
  if (r) return {ep::url_errc::base_not_absolute, 999999};  // "no error": never a parse error
  return r.error();
}

}  // namespace

// ===========================================================================
// Components
// ===========================================================================

TEST_CASE("parse_url: components of absolute URIs and relative references", "[parse][url]") {
  using k = ep::host_kind;
  const expected_parts cases[] = {
      {"http://user:pw@h:80/p?q#f", "http", "user:pw", "h", "80", "/p", "q", "f", k::reg_name},
      {"https://example.com", "https", nullptr, "example.com", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://h?", "http", nullptr, "h", nullptr, "", "", nullptr, k::reg_name},
      {"http://h#", "http", nullptr, "h", nullptr, "", nullptr, "", k::reg_name},
      {"http://h?#", "http", nullptr, "h", nullptr, "", "", "", k::reg_name},
      {"http://h:", "http", nullptr, "h", "", "", nullptr, nullptr, k::reg_name},
      {"http://@h", "http", "", "h", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://u@", "http", "u", "", nullptr, "", nullptr, nullptr, k::reg_name},
      {"file:///etc/hosts", "file", nullptr, "", nullptr, "/etc/hosts", nullptr, nullptr, k::reg_name},
      {"mailto:a@b.org?subject=x", "mailto", nullptr, nullptr, nullptr, "a@b.org", "subject=x", nullptr, k::none},
      {"urn:isbn:0451450523", "urn", nullptr, nullptr, nullptr, "isbn:0451450523", nullptr, nullptr, k::none},
      {"a:", "a", nullptr, nullptr, nullptr, "", nullptr, nullptr, k::none},
      {"A+b-c.d:x", "A+b-c.d", nullptr, nullptr, nullptr, "x", nullptr, nullptr, k::none},
      {"//h/p", nullptr, nullptr, "h", nullptr, "/p", nullptr, nullptr, k::reg_name},
      {"//", nullptr, nullptr, "", nullptr, "", nullptr, nullptr, k::reg_name},
      {"///x", nullptr, nullptr, "", nullptr, "/x", nullptr, nullptr, k::reg_name},
      {"", nullptr, nullptr, nullptr, nullptr, "", nullptr, nullptr, k::none},
      {"a/b:c", nullptr, nullptr, nullptr, nullptr, "a/b:c", nullptr, nullptr, k::none},
      {"./a:b", nullptr, nullptr, nullptr, nullptr, "./a:b", nullptr, nullptr, k::none},
      {"?", nullptr, nullptr, nullptr, nullptr, "", "", nullptr, k::none},
      {"#", nullptr, nullptr, nullptr, nullptr, "", nullptr, "", k::none},
      {"?a?b/c#d?/", nullptr, nullptr, nullptr, nullptr, "", "a?b/c", "d?/", k::none},
      {"/a//b/", nullptr, nullptr, nullptr, nullptr, "/a//b/", nullptr, nullptr, k::none},
      {"http://1.2.3.4:8080/", "http", nullptr, "1.2.3.4", "8080", "/", nullptr, nullptr, k::ipv4},
      {"http://255.255.255.255", "http", nullptr, "255.255.255.255", nullptr, "", nullptr, nullptr, k::ipv4},
      {"http://256.1.1.1", "http", nullptr, "256.1.1.1", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://01.2.3.4", "http", nullptr, "01.2.3.4", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://1.2.3", "http", nullptr, "1.2.3", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://1.2.3.4.5", "http", nullptr, "1.2.3.4.5", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://[::1]:443/x", "http", nullptr, "[::1]", "443", "/x", nullptr, nullptr, k::ipv6},
      {"http://u@[::1]", "http", "u", "[::1]", nullptr, "", nullptr, nullptr, k::ipv6},
      {"http://[v7.a:b]", "http", nullptr, "[v7.a:b]", nullptr, "", nullptr, nullptr, k::ipvfuture},
      {"http://[fe80::1%25eth0]/", "http", nullptr, "[fe80::1%25eth0]", nullptr, "/", nullptr, nullptr, k::ipv6},
      {"http://u:p:q@h:1", "http", "u:p:q", "h", "1", "", nullptr, nullptr, k::reg_name},
      {"http://h:123@x", "http", "h:123", "x", nullptr, "", nullptr, nullptr, k::reg_name},
      {"http://%41%42/", "http", nullptr, "%41%42", nullptr, "/", nullptr, nullptr, k::reg_name},
      {"s://a!$&'()*+,;=-._~b/", "s", nullptr, "a!$&'()*+,;=-._~b", nullptr, "/", nullptr, nullptr, k::reg_name},
  };
  for (const auto& c : cases) check_parts(c);
}

TEST_CASE("parse_url: absent and empty are told apart", "[parse][url]") {
  const auto a = parsed("http://h?");
  const auto b = parsed("http://h");
  CHECK(a.has_query());
  CHECK(a.query().empty());
  CHECK_FALSE(b.has_query());
  CHECK_FALSE(parsed("http://h/").has_port());
  CHECK(parsed("http://h:/").has_port());
  CHECK(parsed("http://h:/").port_number() == 0);
  CHECK_FALSE(parsed("a:b").has_authority());
  CHECK(parsed("a://").has_authority());
}

TEST_CASE("parse_url: user and password", "[parse][url]") {
  const auto a = parsed("ftp://anon:s%40cret:x@h/");
  CHECK(a.user() == "anon");
  CHECK(a.has_password());
  CHECK(a.password() == "s%40cret:x");
  const auto b = parsed("ftp://anon@h/");
  CHECK(b.user() == "anon");
  CHECK_FALSE(b.has_password());
  CHECK(b.password().empty());
  const auto c = parsed("ftp://:@h/");
  CHECK(c.user().empty());
  CHECK(c.has_password());
  CHECK(c.password().empty());
  const auto d = parsed("ftp://h/");
  CHECK(d.user().empty());
  CHECK_FALSE(d.has_password());
  static_assert(ep::parse_url("s://u:p@h").value().password() == "p");
}

TEST_CASE("parse_url: host address, zone and port value", "[parse][url]") {
  const auto u = parsed("http://[fe80::1%25en%30]:65535/");
  CHECK(u.host_address() == "fe80::1");
  CHECK(u.zone_id() == "en%30");
  CHECK(u.port_number() == 65535);
  CHECK(parsed("http://[v1.x]").host_address() == "v1.x");
  CHECK(parsed("http://[::1]").host_address() == "::1");
  CHECK(parsed("http://h").host_address() == "h");
  CHECK(parsed("http://h:0080").port_number() == 80);
  CHECK(parsed("http://h:00000000000000000000080").port_number() == 80);
  CHECK(error_of("http://h:65536") == ep::url_error{ep::url_errc::port_out_of_range, 9});
  CHECK(error_of("http://h:99999999999999999999/") == ep::url_error{ep::url_errc::port_out_of_range, 9});
  CHECK(error_of("http://[::1]:x") == ep::url_error{ep::url_errc::invalid_port, 13});
  CHECK(error_of("http://u@h:1x/") == ep::url_error{ep::url_errc::invalid_port, 12});
}

TEST_CASE("parse_url: IPv6 literals", "[parse][url]") {
  const char* good[] = {"::",
                        "::1",
                        "1::",
                        "1:2:3:4:5:6:7:8",
                        "1:2:3:4:5:6:7::",
                        "::2:3:4:5:6:7:8",
                        "1::8",
                        "1:2:3:4:5:6:1.2.3.4",
                        "::1.2.3.4",
                        "::ffff:1.2.3.4",
                        "1::2:3:4:5:1.2.3.4",
                        "FEDC:BA98:7654:3210:FEDC:BA98:7654:3210",
                        "abcd::ef01",
                        "0:0:0:0:0:0:0:0"};
  for (const char* g : good) {
    const std::string url = std::string("http://[") + g + "]/";
    INFO(url);
    const auto r = ep::parse_url(url);
    REQUIRE(r);
    CHECK(r->host_type() == ep::host_kind::ipv6);
    CHECK(r->host_address() == g);
  }
  const char* bad[] = {"",
                       ":",
                       ":1",
                       "1:",
                       "1:2:3:4:5:6:7",
                       "1:2:3:4:5:6:7:8:9",
                       "1::2::3",
                       "12345::",
                       "1:2:3:4:5:6:7:8::",
                       "::1:2:3:4:5:6:7:8",
                       "1.2.3.4",
                       "::1.2.3",
                       "::256.1.1.1",
                       "::01.1.1.1",
                       "1:2:3:4:5:6:7:1.2.3.4",
                       "g::",
                       ":::",
                       "1::2:3:4:5:6:7:8",
                       "::1%eth0",
                       "::1%25",
                       "::1%2",
                       "v.x",
                       "v1.",
                       "v1x"};
  for (const char* bd : bad) {
    const std::string url = std::string("http://[") + bd + "]/";
    INFO(url);
    const auto r = ep::parse_url(url);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ep::url_errc::invalid_ip_literal);
    CHECK(r.error().offset >= 8);
    CHECK(r.error().offset <= url.size() - 2);
  }
  CHECK(error_of("http://[::1") == ep::url_error{ep::url_errc::invalid_ip_literal, 11});
  CHECK(error_of("http://[::1]x") == ep::url_error{ep::url_errc::invalid_character, 12});
  CHECK(error_of("http://[1:2:3:4:5:6:7:8:9]") == ep::url_error{ep::url_errc::invalid_ip_literal, 23});
}

TEST_CASE("parse_url: errors and their offsets", "[parse][url]") {
  using e = ep::url_errc;
  struct error_case {
    std::string_view text;
    e kind;
    std::size_t offset;
  };
  const error_case cases[] = {
      {"a b", e::invalid_character, 1},
      {"http://h/a b", e::invalid_character, 10},
      {"http://h?a b", e::invalid_character, 10},
      {"http://h#a#b", e::invalid_character, 10},
      {"http://a@b@c", e::invalid_character, 10},
      {"http://a b", e::invalid_character, 8},
      {"http://h\\x", e::invalid_character, 8},
      {"1:x", e::colon_in_first_segment, 1},
      {"a_b:c", e::colon_in_first_segment, 3},
      {"%41:x", e::colon_in_first_segment, 3},
      {":", e::colon_in_first_segment, 0},
      {"%", e::bad_percent_encoding, 1},
      {"a%4", e::bad_percent_encoding, 3},
      {"http://h%zz", e::bad_percent_encoding, 9},
      {"http://h/%", e::bad_percent_encoding, 10},
      {"http://h?%g0", e::bad_percent_encoding, 10},
      {"http://h#%0", e::bad_percent_encoding, 11},
      {"http://u%1@h", e::bad_percent_encoding, 10},
      {"http://h:8a", e::invalid_port, 11},
      {"http://h:a[", e::invalid_port, 10},
      {"http://[", e::invalid_ip_literal, 8},
      {"http://a[b", e::invalid_character, 8},
      {std::string_view("a\0b", 3), e::invalid_character, 1},
      {"a\x7f", e::invalid_character, 1},
      {"a\x80", e::invalid_character, 1},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(error_of(c.text) == ep::url_error{c.kind, c.offset});
    CHECK_FALSE(error_of(c.text).message().empty());
  }
}

TEST_CASE("parse_url: lenient mode accepts what logs contain, and nothing that breaks the structure", "[parse][url]") {
  const auto lenient = ep::url_mode::lenient;
  const char* accepted[] = {"http://h/a b|c^d",     "http://h/{x}[y]<z>\"`\\",  "http://h/?q=a b&r=|#frag#more",
                            "http://h/caf\xc3\xa9", "http://b\303\274cher.de/", "http://h/100%",
                            "http://h/%zz%4",       "http://h/?a[]=1"};
  for (const char* a : accepted) {
    INFO(a);
    CHECK_FALSE(ep::parse_url(a));
    const auto r = ep::parse_url(a, lenient);
    REQUIRE(r);
    CHECK(reassemble(*r) == a);
  }
  const auto u = parsed("http://h/p q?a b#c#d", lenient);
  CHECK(u.path() == "/p q");
  CHECK(u.query() == "a b");
  CHECK(u.fragment() == "c#d");
  CHECK(parsed("http://\"h a\"/", lenient).host() == "\"h a\"");
  // Still rejected: control bytes, brackets in a registered name, bad IP literals and ports.
  CHECK(error_of("http://h/a\tb", lenient) == ep::url_error{ep::url_errc::invalid_character, 10});
  CHECK(error_of("http://h/a\nb", lenient).kind == ep::url_errc::invalid_character);
  CHECK(error_of("http://a[b/", lenient) == ep::url_error{ep::url_errc::invalid_character, 8});
  CHECK(error_of("http://[x]/", lenient).kind == ep::url_errc::invalid_ip_literal);
  CHECK(error_of("http://h:x/", lenient).kind == ep::url_errc::invalid_port);
  CHECK(error_of("1:x", lenient).kind == ep::url_errc::colon_in_first_segment);
}

TEST_CASE("parse_url: constexpr, noexcept, trivially copyable, no allocation", "[parse][url]") {
  static_assert(ep::parse_url("http://h:8/p?q#f").value().port_number() == 8);
  static_assert(ep::parse_url("http://h:8/p?q#f").value().fragment() == "f");
  static_assert(ep::parse_url("1:x").error().offset == 1);
  static_assert(noexcept(ep::parse_url(std::string_view())));
  static_assert(std::is_trivially_copyable_v<ep::url_view>);
  static_assert(sizeof(void*) != 8 || sizeof(ep::url_view) == 88);
  static_assert(std::is_trivially_copyable_v<ep::url_error>);
  const std::string text = "https://user@example.com:8443/a/b/c.html?x=1&y=%20#top";
  std::size_t total = 0;
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 100; ++i) {
      const auto r = ep::parse_url(text);
      total += r ? r->path().size() : 0;
      const auto l = ep::parse_url(text, ep::url_mode::lenient);
      total += l ? l->query().size() : 0;
      const auto bad = ep::parse_url("http://h/ x");
      total += bad ? 0 : bad.error().offset;
      char buf[64];
      const auto d = ep::percent_decode("a%20b+c", buf, buf + sizeof buf, ep::decode_options::plus_as_space);
      total += static_cast<std::size_t>(d.ptr - buf);
      for (const auto& p : ep::query_params("a=1&b=2")) total += p.value.size();
    }
  }));
  CHECK(total == 100 * (11 + 9 + 9 + 5 + 2));
}

// ===========================================================================
// Helpers
// ===========================================================================

TEST_CASE("percent_decode: buffer and builder", "[parse][url]") {
  char buf[32];
  auto d = ep::percent_decode("a%20b%2fc%C3%A9+", buf, buf + sizeof buf);
  REQUIRE(d);
  CHECK(std::string_view(buf, static_cast<std::size_t>(d.ptr - buf)) == "a b/c\xc3\xa9+");
  d = ep::percent_decode("a+b", buf, buf + sizeof buf, ep::decode_options::plus_as_space);
  CHECK(std::string_view(buf, static_cast<std::size_t>(d.ptr - buf)) == "a b");
  const std::string_view bad = "ab%4g";
  d = ep::percent_decode(bad, buf, buf + sizeof buf);
  CHECK(d.ec == std::errc::invalid_argument);
  CHECK(d.in == bad.data() + 2);
  CHECK(d.ptr == buf + 2);
  const std::string_view trail = "x%";
  CHECK(ep::percent_decode(trail, buf, buf + sizeof buf).in == trail.data() + 1);
  // Too short: nothing written past last.
  char small[4] = {'.', '.', '.', '.'};
  d = ep::percent_decode("abcdef", small, small + 3);
  CHECK(d.ec == std::errc::value_too_large);
  CHECK(d.ptr == small + 3);
  CHECK(small[3] == '.');
  // Exactly enough, and in place.
  std::string s = "%41%42c";
  d = ep::percent_decode(s, s.data(), s.data() + s.size());
  CHECK(std::string_view(s.data(), static_cast<std::size_t>(d.ptr - s.data())) == "ABc");
  CHECK(ep::percent_decode("", buf, buf).ptr == buf);

  electron::strings::builder b;
  b.append(std::string_view("x="));
  auto r = ep::percent_decode("%7e+%2B", b, ep::decode_options::plus_as_space);
  REQUIRE(r);
  CHECK(*r == 3);
  CHECK(b.view() == "x=~ +");
  r = ep::percent_decode("ok%zz", b);
  REQUIRE_FALSE(r);
  CHECK(r.error() == ep::url_error{ep::url_errc::bad_percent_encoding, 2});
  CHECK(b.view() == "x=~ +");
  CHECK(ep::is_percent_encoded_valid("a%41%7e"));
  CHECK_FALSE(ep::is_percent_encoded_valid("a%4"));
  CHECK_FALSE(ep::is_percent_encoded_valid("%x1"));
  static_assert(ep::percent_decode("", nullptr, nullptr).ec == std::errc{});

  // Every byte value round-trips through %XX.
  for (unsigned v = 0; v < 256; ++v) {
    const char enc[3] = {'%', "0123456789abcdef"[v >> 4], "0123456789ABCDEF"[v & 15]};
    char out = 0;
    const auto one = ep::percent_decode(std::string_view(enc, 3), &out, &out + 1);
    REQUIRE(one);
    CHECK(static_cast<unsigned char>(out) == v);
  }
}

TEST_CASE("query_params: (key, value) views, decode on request", "[parse][url]") {
  std::vector<ep::query_param> got;
  for (const auto& p : ep::query_params("a=1&&b=&c&d=x=y&e+f=%20g&")) got.push_back(p);
  REQUIRE(got.size() == 5);
  CHECK(got[0] == ep::query_param{"a", "1", true});
  CHECK(got[1] == ep::query_param{"b", "", true});
  CHECK(got[2] == ep::query_param{"c", "", false});
  CHECK(got[3] == ep::query_param{"d", "x=y", true});
  char kb[16], vb[16];
  const auto k = got[4].decode_key(kb, kb + sizeof kb);
  const auto v = got[4].decode_value(vb, vb + sizeof vb);
  CHECK(std::string_view(kb, static_cast<std::size_t>(k.ptr - kb)) == "e f");
  CHECK(std::string_view(vb, static_cast<std::size_t>(v.ptr - vb)) == " g");
  CHECK(ep::query_params("").begin() == ep::query_params("").end());
  CHECK(ep::query_params("&&&").begin() == ep::query_params("&&&").end());
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& p : ep::query_params("a=1;b=2", ';')) ++n;
  CHECK(n == 2);
  const auto u = parsed("http://h/?x=1&y=2#z");
  auto it = ep::query_params(u.query()).begin();
  CHECK(it->key == "x");
  ++it;
  CHECK(it->value == "2");
  CHECK(++it == ep::query_params(u.query()).end());
  static_assert(std::forward_iterator<ep::query_params::iterator>);
}

TEST_CASE("resolve: RFC 3986 section 5.4 examples", "[parse][url]") {
  const std::string_view base = "http://a/b/c/d;p?q";
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},
  };
  for (const auto& [ref, want] : cases) {
    INFO(ref);
    CHECK(resolved(base, ref) == want);
  }
  // Appends after what the builder holds; a base without a scheme is refused.
  electron::strings::builder out;
  out.append(std::string_view("> "));
  const auto b = parsed(base);
  CHECK(*ep::resolve(b, parsed("g"), out) == 14);
  CHECK(out.view() == "> http://a/b/c/g");
  const auto rel = parsed("/a/b");
  const auto bad = ep::resolve(rel, b, out);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ep::url_errc::base_not_absolute);
  CHECK(out.view() == "> http://a/b/c/g");
  // Long dot-segment paths stay linear (each byte written and dropped once).
  std::string deep = "http://h/";
  for (int i = 0; i < 20000; ++i) deep += "a/";
  for (int i = 0; i < 19999; ++i) deep += "../";
  CHECK(resolved(deep, "x") == "http://h/a/x");
  CHECK(resolved("f:/a", ".//g") == "f:/.//g");
  CHECK(resolved("f:a/b", "..//g") == "f:.//g");
}

TEST_CASE("normalize: case, percent-encoding, dot segments", "[parse][url]") {
  CHECK(normalized("HTTP://User@WWW.Example.COM:80/%7e%41/%2f/./a/../b?%3d%7E#%5b") ==
        "http://User@www.example.com:80/~A/%2F/b?%3D~#%5B");
  CHECK(normalized("http://[FE80::A%25Eth0]/") == "http://[fe80::a%25Eth0]/");
  CHECK(normalized("http://%41.com") == "http://a.com");
  CHECK(normalized("../a/./b/../../c") == "../c");
  CHECK(normalized("a/../../b") == "../b");
  CHECK(normalized("./a:b") == "./a:b");
  CHECK(normalized("x/../a:b") == "./a:b");
  CHECK(normalized("a/..//b") == ".//b");
  CHECK(normalized("/a/%2e%2E/b/%2E") == "/b/");
  CHECK(normalized("s:/.//x") == "s:/.//x");
  CHECK(normalized("http://h/a b", ep::url_mode::lenient) == "http://h/a b");
  CHECK(normalized("http://h/100%%41%", ep::url_mode::lenient) == "http://h/100%25A%25");
  CHECK(normalized("") == "");
}

TEST_CASE("parse_url: fuzz property (reassembly, appendix B split, normalize, resolve)", "[parse][url][fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::url_property, {.seed = 11, .runs = 20000, .max_size = 64}));
  CHECK(et::fuzz_bytes(electron_fuzz::url_property, {.seed = 12, .runs = 2000, .max_size = 400}));
  // Random strings over the bytes that matter to the grammar: far more parse.
  constexpr std::string_view alphabet = "ab0:/?#[]@%2Fv.:-+!=&~ \\|1f";
  electron::test::detail::splitmix64 rng{42};
  std::size_t ok = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const std::size_t n = rng.below(24);
    for (std::size_t k = 0; k < n; ++k) s += alphabet[rng.below(alphabet.size())];
    if (i % 4 == 0) s = "http://" + s;
    const auto bytes = std::as_bytes(std::span(s.data(), s.size()));
    if (!electron_fuzz::url_property(bytes)) {
      FAIL("property fails on \"" << s << "\"");
    }
    ok += ep::parse_url(s) ? 1u : 0u;
  }
  CHECK(ok > 10000);
}

namespace {

// RFC 3986 appendix A's URI-reference grammar as one regular expression,
// written from the ABNF (IPv4address is subsumed by reg-name; IPv6addrz from
// RFC 6874): an oracle for what strict parse_url accepts.
const std::regex& rfc3986_regex() {
  static const std::regex re = [] {
    const std::string pct = "%[0-9A-Fa-f]{2}";
    const std::string unres_sub = "A-Za-z0-9\\-._~!$&'()*+,;=";
    const std::string pchar = "(?:[" + unres_sub + ":@]|" + pct + ")";
    const std::string pchar_nc = "(?:[" + unres_sub + "@]|" + pct + ")";
    const std::string h16 = "[0-9A-Fa-f]{1,4}";
    const std::string dec = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])";
    const std::string ipv4 = dec + "\\." + dec + "\\." + dec + "\\." + dec;
    const std::string ls32 = "(?:" + h16 + ":" + h16 + "|" + ipv4 + ")";
    auto upto = [&](int n) { return "(?:(?:" + h16 + ":){0," + std::to_string(n) + "}" + h16 + ")?"; };
    const std::string ipv6 = "(?:(?:" + h16 + ":){6}" + ls32 + "|::(?:" + h16 + ":){5}" + ls32 + "|" + upto(0) +
                             "::(?:" + h16 + ":){4}" + ls32 + "|" + upto(1) + "::(?:" + h16 + ":){3}" + ls32 + "|" +
                             upto(2) + "::(?:" + h16 + ":){2}" + ls32 + "|" + upto(3) + "::" + h16 + ":" + ls32 + "|" +
                             upto(4) + "::" + ls32 + "|" + upto(5) + "::" + h16 + "|" + upto(6) + "::)";
    const std::string zone = "%25(?:[A-Za-z0-9\\-._~]|" + pct + ")+";
    const std::string future = "[vV][0-9A-Fa-f]+\\.[" + unres_sub + ":]+";
    const std::string host =
        "(?:\\[(?:" + ipv6 + "(?:" + zone + ")?|" + future + ")\\]|(?:[" + unres_sub + "]|" + pct + ")*)";
    const std::string authority = "(?:(?:[" + unres_sub + ":]|" + pct + ")*@)?" + host + "(?::[0-9]*)?";
    const std::string abempty = "(?:/" + pchar + "*)*";
    const std::string absolute = "/(?:" + pchar + "+" + abempty + ")?";
    const std::string tail = "(?:\\?(?:" + pchar + "|[/?])*)?(?:#(?:" + pchar + "|[/?])*)?";
    const std::string uri = "[A-Za-z][A-Za-z0-9+\\-.]*:(?://" + authority + abempty + "|" + absolute + "|" + pchar +
                            "+" + abempty + ")?" + tail;
    const std::string relative =
        "(?://" + authority + abempty + "|" + absolute + "|" + pchar_nc + "+" + abempty + ")?" + tail;
    return std::regex("(?:" + uri + ")|(?:" + relative + ")", std::regex::ECMAScript | std::regex::optimize);
  }();
  return re;
}

// parse_url (strict) agrees with the oracle; the grammar has no port limit.
bool agrees_with_oracle(std::string_view text, const electron::result<ep::url_view, ep::url_error>& r) {
  const bool oracle = std::regex_match(text.begin(), text.end(), rfc3986_regex());
  if (r) return oracle;
  return !oracle || r.error().kind == ep::url_errc::port_out_of_range;
}

}  // namespace

TEST_CASE("parse_url: strict acceptance equals RFC 3986's grammar (a regular-expression oracle)",
          "[parse][url][fuzz]") {
  // The oracle itself, on a few known answers.
  for (const char* yes : {"http://h:80/p?q#f", "s://[::1%25x]", "s://[v1.x]", "a:", "", "//u@[1:2:3:4:5:6:7:8]"}) {
    CHECK(std::regex_match(yes, rfc3986_regex()));
  }
  for (const char* no : {"http://h:x", "1:x", "s://[::1::]", "a b", "%4", "s://[1:2:3:4:5:6:7]", "s://[v.x]"}) {
    CHECK_FALSE(std::regex_match(no, rfc3986_regex()));
  }
  constexpr std::string_view alphabet = "ab0:/?#[]@%2Fv.:-+!=&~ \\|1f5";
  electron::test::detail::splitmix64 rng{7};
  std::size_t accepted = 0, checked = 0;
  for (int i = 0; i < 150000; ++i) {
    std::string s;
    const std::size_t n = rng.below(28);
    for (std::size_t k = 0; k < n; ++k) s += alphabet[rng.below(alphabet.size())];
    if (i % 3 == 0) s = (i % 2 == 0 ? "http://" : "s://[") + s;
    const auto r = ep::parse_url(s);
    if (!agrees_with_oracle(s, r)) FAIL("\"" << s << "\": parse_url " << bool(r));
    ++checked;
    accepted += r ? 1u : 0u;
  }
  std::printf("RFC 3986 regular-expression oracle: %zu random references, %zu accepted, no disagreement\n", checked,
              accepted);
  CHECK(accepted > 3000);
}

// ===========================================================================
// Corpora
// ===========================================================================

TEST_CASE("corpus: uriparser FourSuite (good, bad, absolutize, normalize)", "[parse][url][corpus]") {
  const std::string dir = corpus_dir();
  ELECTRON_SKIP_WITHOUT_CORPUS(dir)
  std::string text;
  REQUIRE(read_file(dir + "/url/uriparser-foursuite.json", text));
  const json doc = json_reader(text).read();

  std::size_t passed = 0, total = 0;
  for (const json& g : doc.find("good")->items) {
    INFO(g.text);
    ++total;
    const auto r = ep::parse_url(g.text);
    CHECK(r);
    CHECK(std::regex_match(g.text, rfc3986_regex()));
    if (r && reassemble(*r) == g.text) ++passed;
  }
  for (const json& b : doc.find("bad")->items) {
    const std::string input = b.str("input");
    INFO(input);
    ++total;
    const auto r = ep::parse_url(input);
    REQUIRE_FALSE(r);
    CHECK_FALSE(std::regex_match(input, rfc3986_regex()));
    const json* off = b.find("error_offset");
    if (off != nullptr && off->kind == json::number) {
      CHECK(r.error().offset == std::stoul(off->text));
      if (r.error().offset == std::stoul(off->text)) ++passed;
    } else {
      ++passed;
    }
  }
  for (const json& a : doc.find("absolutize")->items) {
    INFO(a.str("base") << " + " << a.str("ref"));
    ++total;
    const std::string got = resolved(a.str("base"), a.str("ref"));
    CHECK(got == a.str("expected"));
    if (got == a.str("expected")) ++passed;
  }
  for (const json& n : doc.find("normalize")->items) {
    INFO(n.str("input"));
    ++total;
    const std::string got = normalized(n.str("input"));
    CHECK(got == n.str("expected"));
    if (got == n.str("expected")) ++passed;
  }
  std::printf("uriparser FourSuite: %zu of %zu cases pass (good, bad with offsets, absolutize, normalize)\n", passed,
              total);
  CHECK(passed == total);
  CHECK(total == 66 + 31 + 186 + 10);
}

namespace {

// How a WHATWG expectation relates to RFC 3986 parsing (docs/parse.md).
struct wpt_tally {
  std::size_t cases = 0, agree = 0, agree_normalized = 0, both_fail = 0;
  std::size_t whatwg_fails_rfc_accepts = 0, rfc_fails_whatwg_accepts = 0, differ = 0;
  std::map<std::string, std::size_t> rfc_fail_reasons, differ_reasons;
};

std::string rfc_failure_class(std::string_view input, const ep::url_error& e) {
  if (e.offset < input.size()) {
    const auto c = static_cast<unsigned char>(input[e.offset]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') return "whitespace (WHATWG strips or encodes it)";
    if (c == '\\') return "backslash (WHATWG reads it as '/')";
    if (c >= 0x80) return "raw non-ASCII (WHATWG percent-encodes or IDNA-maps it)";
    if (c < 0x20 || c == 0x7F) return "control byte (WHATWG strips or encodes it)";
    if (c == '%') return "'%' without two hex digits (WHATWG keeps it)";
  }
  switch (e.kind) {
    case ep::url_errc::bad_percent_encoding:
      return "'%' without two hex digits (WHATWG keeps it)";
    case ep::url_errc::invalid_port:
      return "port syntax";
    case ep::url_errc::port_out_of_range:
      return "port syntax";
    case ep::url_errc::invalid_ip_literal:
      return "IP literal syntax";
    default:
      return "other characters WHATWG encodes (\" < > ^ ` { | } [ ])";
  }
}

std::string differ_class(std::string_view rfc, std::string_view whatwg) {
  const auto a = ep::parse_url(rfc, ep::url_mode::lenient);
  const auto b = ep::parse_url(whatwg, ep::url_mode::lenient);
  if (!a || !b) return "other";
  if (a->scheme() != b->scheme()) return "scheme case";
  if (a->has_authority() != b->has_authority()) return "special scheme authority (WHATWG adds or drops \"//\")";
  if (a->host() != b->host()) return "host (case, IDNA, IPv4 forms, IPv6 compression, file://localhost)";
  if (a->userinfo() != b->userinfo() || (a->has_port() && a->port().empty() && !b->has_port())) {
    return "empty password, userinfo or port dropped";
  }
  if (a->port() != b->port()) return "default port removed";
  if (a->path() != b->path()) {
    if (a->path().empty() && b->path() == "/") return "empty path becomes \"/\"";
    return "path (file: drive letters, percent-encoding)";
  }
  if (a->query() != b->query() || a->has_query() != b->has_query()) return "query (percent-encoding)";
  return "fragment (percent-encoding, empty '#' dropped)";
}

}  // namespace

TEST_CASE("corpus: WHATWG URL tests, agreement with RFC 3986 parsing (reported)", "[parse][url][corpus]") {
  const std::string dir = corpus_dir();
  ELECTRON_SKIP_WITHOUT_CORPUS(dir)
  std::string text;
  REQUIRE(read_file(dir + "/url/wpt-urltestdata.json", text));
  const json doc = json_reader(text).read();
  wpt_tally t;
  for (const json& c : doc.items) {
    if (c.kind != json::object) continue;
    ++t.cases;
    const std::string input = c.str("input");
    const json* base = c.find("base");
    const bool whatwg_fails = c.find("failure") != nullptr;
    // RFC 3986: the input as a reference, resolved against the base when there is one.
    const auto ref = ep::parse_url(input);
    if (!agrees_with_oracle(input, ref)) {
      FAIL("the RFC 3986 oracle disagrees on " << input);
    }
    std::string rfc;
    bool rfc_ok = static_cast<bool>(ref);
    if (rfc_ok) {
      if (base != nullptr && base->kind == json::string) {
        const auto b = ep::parse_url(base->text);
        electron::strings::builder out;
        rfc_ok = b && ep::resolve(*b, *ref, out);
        if (rfc_ok) rfc = out.str();
      } else {
        rfc_ok = ref->has_scheme();  // a relative reference without a base is no URL
        rfc = input;
      }
    }
    const bool verbose = std::getenv("ELECTRON_URL_VERBOSE") != nullptr;  // prints each difference
    if (whatwg_fails) {
      if (rfc_ok) {
        if (verbose)
          std::printf("    WHATWG rejects: [%s] base [%s] -> [%s]\n", input.c_str(), c.str("base").c_str(),
                      rfc.c_str());
        ++t.whatwg_fails_rfc_accepts;
      } else {
        ++t.both_fail;
      }
      continue;
    }
    const std::string href = c.str("href");
    if (!rfc_ok) {
      ++t.rfc_fails_whatwg_accepts;
      ++t.rfc_fail_reasons[ref ? "relative reference with no usable base" : rfc_failure_class(input, ref.error())];
      continue;
    }
    if (rfc == href) {
      ++t.agree;
      continue;
    }
    // Both succeed; the same after RFC 3986 normalization of both?
    if (normalized(rfc) == normalized(href) && normalized(href) != "<parse error>") {
      ++t.agree_normalized;
      continue;
    }
    ++t.differ;
    ++t.differ_reasons[differ_class(rfc, href)];
    if (verbose)
      std::printf("    differ (%s): [%s] -> [%s] vs [%s]\n", differ_class(rfc, href).c_str(), input.c_str(),
                  rfc.c_str(), href.c_str());
  }
  std::printf(
      "WHATWG urltestdata: %zu cases: %zu agree exactly with RFC 3986 parsing (+ resolution), %zu more after "
      "RFC 3986 normalization, %zu fail in both; %zu fail in WHATWG only, %zu fail in RFC 3986 only, %zu "
      "differ\n",
      t.cases, t.agree, t.agree_normalized, t.both_fail, t.whatwg_fails_rfc_accepts, t.rfc_fails_whatwg_accepts,
      t.differ);
  for (const auto& [k, n] : t.rfc_fail_reasons) std::printf("  RFC 3986 fails: %-60s %zu\n", k.c_str(), n);
  for (const auto& [k, n] : t.differ_reasons) std::printf("  differ: %-67s %zu\n", k.c_str(), n);
  CHECK(t.cases == 891 - 0);  // every case read (the leading comments are strings, not cases)
  CHECK(t.agree + t.agree_normalized + t.both_fail > 200);
}

TEST_CASE("corpus: 48,000 real URLs reassemble exactly", "[parse][url][corpus]") {
  const std::string dir = corpus_dir();
  ELECTRON_SKIP_WITHOUT_CORPUS(dir)
  std::string text;
  REQUIRE(read_file(dir + "/url/url-various-datasets-kasztp.txt", text));
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  std::size_t lines = 0, strict_ok = 0, lenient_ok = 0, identical = 0;
  std::map<std::string, std::size_t> strict_reasons;
  for (const std::string_view line : electron::strings::lines(text)) {
    if (line.empty()) continue;
    ++lines;
    const auto s = ep::parse_url(line);
    const auto l = ep::parse_url(line, ep::url_mode::lenient);
    if (!agrees_with_oracle(line, s)) {
      FAIL("the RFC 3986 oracle disagrees on " << line);
    }
    if (s) {
      ++strict_ok;
      CHECK(electron_fuzz::url_model::consistent(line, *s));
    } else {
      ++strict_reasons[rfc_failure_class(line, s.error())];
    }
    if (l) {
      ++lenient_ok;
      if (electron_fuzz::url_model::consistent(line, *l)) {
        ++identical;
      } else {
        FAIL("not consistent: " << line);
      }
    }
  }
  std::printf(
      "kasztp: %zu URLs, %zu parse strictly (as the RFC 3986 oracle says), %zu leniently, %zu reassemble "
      "exactly\n",
      lines, strict_ok, lenient_ok, identical);
  for (const auto& [k, n] : strict_reasons) std::printf("  strict rejects: %-60s %zu\n", k.c_str(), n);
  CHECK(lines > 47000);
  CHECK(identical == lenient_ok);
  CHECK(lenient_ok == lines);
}
