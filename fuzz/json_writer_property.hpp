// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/encoding_json_test.cpp (fuzz_bytes)
// and fuzz/json_writer_fuzz.cpp (libFuzzer): the bytes drive a random event
// sequence through json_writer (options from byte 0, then one operation per
// byte or few); the output must parse with the small strict parser below and
// give back the same events (strings after the U+FFFD replacement, numbers
// as values), and every option's promise must hold on the output.
//
// The parser is a test-side reference (RFC 8259 grammar, strict: no
// trailing commas, no leading zeros, no control characters in strings,
// surrogate pairs joined, lone surrogates kept as their 3-byte WTF-8 form).
// The unit test checks it against Python's json module.
#ifndef ELECTRON_FUZZ_JSON_WRITER_PROPERTY_HPP
#define ELECTRON_FUZZ_JSON_WRITER_PROPERTY_HPP

#include "electron/config.hpp"
#include "electron/encoding/json_writer.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace electron_fuzz {
namespace json_model {

/// One parse event.
struct event {
  enum kind_t : std::uint8_t {
    null,
    boolean_true,
    boolean_false,
    number,
    string,
    key,
    begin_object,
    end_object,
    begin_array,
    end_array
  };
  kind_t kind;
  std::string text;  // number text, or the decoded UTF-8 of a string / key
  friend bool operator==(const event&, const event&) = default;
};

inline void append_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

/// Strict recursive-descent parser into events.
class parser {
 public:
  explicit parser(std::string_view text) : m_s(text) {}
  /// Parses one complete document (whitespace around it allowed).
  bool parse(std::vector<event>& out) {
    m_out = &out;
    ws();
    if (!value(0)) return false;
    ws();
    return m_i == m_s.size();
  }
  std::size_t position() const { return m_i; }

 private:
  bool eof() const { return m_i >= m_s.size(); }
  char peek() const { return eof() ? '\0' : m_s[m_i]; }
  void ws() {
    while (!eof() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r')) ++m_i;
  }
  bool literal(std::string_view w) {
    if (m_s.substr(m_i, w.size()) != w) return false;
    m_i += w.size();
    return true;
  }
  bool value(int depth) {
    if (depth > 1000) return false;
    switch (peek()) {
      case 'n':
        m_out->push_back({event::null, {}});
        return literal("null");
      case 't':
        m_out->push_back({event::boolean_true, {}});
        return literal("true");
      case 'f':
        m_out->push_back({event::boolean_false, {}});
        return literal("false");
      case '"': {
        std::string s;
        if (!str(s)) return false;
        m_out->push_back({event::string, std::move(s)});
        return true;
      }
      case '[': {
        ++m_i;
        m_out->push_back({event::begin_array, {}});
        ws();
        if (peek() == ']') {
          ++m_i;
          m_out->push_back({event::end_array, {}});
          return true;
        }
        for (;;) {
          ws();
          if (!value(depth + 1)) return false;
          ws();
          if (peek() == ',') {
            ++m_i;
            continue;
          }
          if (peek() != ']') return false;
          ++m_i;
          m_out->push_back({event::end_array, {}});
          return true;
        }
      }
      case '{': {
        ++m_i;
        m_out->push_back({event::begin_object, {}});
        ws();
        if (peek() == '}') {
          ++m_i;
          m_out->push_back({event::end_object, {}});
          return true;
        }
        for (;;) {
          ws();
          std::string k;
          if (peek() != '"' || !str(k)) return false;
          m_out->push_back({event::key, std::move(k)});
          ws();
          if (peek() != ':') return false;
          ++m_i;
          ws();
          if (!value(depth + 1)) return false;
          ws();
          if (peek() == ',') {
            ++m_i;
            continue;
          }
          if (peek() != '}') return false;
          ++m_i;
          m_out->push_back({event::end_object, {}});
          return true;
        }
      }
      default:
        return number();
    }
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  bool number() {
    const std::size_t start = m_i;
    if (peek() == '-') ++m_i;
    if (peek() == '0') {
      ++m_i;
    } else if (digit(peek())) {
      while (digit(peek())) ++m_i;
    } else {
      return false;
    }
    if (peek() == '.') {
      ++m_i;
      if (!digit(peek())) return false;
      while (digit(peek())) ++m_i;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++m_i;
      if (peek() == '+' || peek() == '-') ++m_i;
      if (!digit(peek())) return false;
      while (digit(peek())) ++m_i;
    }
    m_out->push_back({event::number, std::string(m_s.substr(start, m_i - start))});
    return true;
  }
  bool hex4(std::uint32_t& v) {
    if (m_s.size() - m_i < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = m_s[m_i++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  bool str(std::string& s) {
    ++m_i;  // '"'
    for (;;) {
      if (eof()) return false;
      const auto c = static_cast<unsigned char>(m_s[m_i++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') {
        s += static_cast<char>(c);
        continue;
      }
      if (eof()) return false;
      const char e = m_s[m_i++];
      switch (e) {
        case '"':
          s += '"';
          break;
        case '\\':
          s += '\\';
          break;
        case '/':
          s += '/';
          break;
        case 'b':
          s += '\b';
          break;
        case 'f':
          s += '\f';
          break;
        case 'n':
          s += '\n';
          break;
        case 'r':
          s += '\r';
          break;
        case 't':
          s += '\t';
          break;
        case 'u': {
          std::uint32_t u;
          if (!hex4(u)) return false;
          if (u >= 0xd800 && u <= 0xdbff && m_s.substr(m_i, 2) == "\\u") {
            const std::size_t save = m_i;
            m_i += 2;
            std::uint32_t lo;
            if (hex4(lo) && lo >= 0xdc00 && lo <= 0xdfff) {
              append_utf8(s, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
              break;
            }
            m_i = save;
          }
          append_utf8(s, u);
          break;
        }
        default:
          return false;
      }
    }
  }

  std::string_view m_s;
  std::size_t m_i = 0;
  std::vector<event>* m_out = nullptr;
};

/// Parses `text` as one JSON document into events; false when it is not JSON.
inline bool parse(std::string_view text, std::vector<event>& out) {
  out.clear();
  return parser(text).parse(out);
}

/// The UTF-8 text a writer's replace policy must produce from bytes: each
/// maximal ill-formed subpart becomes U+FFFD (Unicode 3.9). Written from the
/// code point side: a prefix is kept while the code points it can still
/// complete to include a valid one of its length.
inline std::string replace_invalid(std::string_view in) {
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const int len = (c >= 0xc0 && c < 0xe0) ? 2 : (c >= 0xe0 && c < 0xf0) ? 3 : (c >= 0xf0 && c < 0xf8) ? 4 : 0;
    if (len == 0) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    static constexpr std::uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    std::uint32_t cp = c & (0x7fu >> len);
    int j = 1;
    bool alive = true;
    // The first byte alone: can any continuation make a valid code point?
    {
      const int rest = (len - 1) * 6;
      const std::uint32_t lo = cp << rest, hi = lo | ((1u << rest) - 1);
      if (hi < min_cp[len] || lo > 0x10ffff) alive = false;
    }
    for (; alive && j < len && i + static_cast<std::size_t>(j) < n; ++j) {
      const unsigned d = p[i + static_cast<std::size_t>(j)];
      if ((d & 0xc0) != 0x80) break;
      const std::uint32_t next = cp << 6 | (d & 0x3f);
      const int rest = (len - 1 - j) * 6;
      const std::uint32_t lo = next << rest, hi = lo | ((1u << rest) - 1);
      if (hi < min_cp[len] || lo > 0x10ffff || (lo >= 0xd800 && hi <= 0xdfff)) break;
      cp = next;
    }
    if (alive && j == len) {
      out.append(in.substr(i, static_cast<std::size_t>(len)));
      i += static_cast<std::size_t>(len);
    } else {
      out += "\xef\xbf\xbd";
      i += static_cast<std::size_t>(alive ? j : 1);
    }
  }
  return out;
}

/// Reads the input bytes in order, 0 past the end.
struct reader {
  std::span<const std::byte> in;
  std::size_t i = 0;
  bool more() const { return i < in.size(); }
  unsigned u8() { return i < in.size() ? static_cast<unsigned>(in[i++]) : 0u; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = v << 8 | u8();
    return v;
  }
  std::string_view bytes(std::size_t n) {
    n = std::min(n, in.size() - std::min(i, in.size()));
    std::string_view s(reinterpret_cast<const char*>(in.data()) + i, n);
    i += n;
    return s;
  }
};

/// A value for doubles: "same" means same bits, except that canonical output
/// writes -0.0 as "0".
inline bool same_double(double want, const std::string& text, bool canonical) {
  const double got = std::strtod(text.c_str(), nullptr);
  if (canonical && want == 0) return got == 0;
  return std::memcmp(&got, &want, sizeof got) == 0;
}

}  // namespace json_model

/// The property (see the file comment): "" when it holds, else why not.
inline std::string json_writer_check(std::span<const std::byte> input) {
  namespace enc = electron::encoding;
  using json_model::event;
  json_model::reader r{input};
  const unsigned o = r.u8();
  enc::json_options opt;
  opt.indent = (o & 3) == 3 ? 4 : (o & 3);
  opt.escape_slash = (o & 4) != 0;
  opt.ensure_ascii = (o & 8) != 0;
  opt.escape_line_separators = (o & 16) != 0;
  opt.canonical_numbers = (o & 32) != 0;
  opt.invalid_utf8 = (o & 64) != 0 ? enc::json_invalid_utf8::fail : enc::json_invalid_utf8::replace;
  opt.non_finite = (o & 128) != 0 ? enc::json_non_finite::null : enc::json_non_finite::error;

  std::string out;
  std::vector<event> want;
  // Numbers to check by value, in order of their number events: 0 an
  // integer (text), 1 a double, 2 a float.
  std::vector<double> doubles;
  std::vector<int> is_double;
  enc::json_error expect_error = enc::json_error::none;
  {
    enc::json_writer<std::string> w(out, opt);
    std::vector<bool> stack;  // true: object
    bool need_key = false;
    const auto emit_string = [&](bool as_key) {
      const std::size_t len = r.u8() % 64 == 63 ? r.u8() * 40u : r.u8() % 24;
      std::string_view s = r.bytes(len);
      std::string text = json_model::replace_invalid(s);
      if (text != s && opt.invalid_utf8 == enc::json_invalid_utf8::fail) {
        expect_error = enc::json_error::invalid_utf8;
        if (as_key) {
          w.key(s);
        } else {
          w.string(s);
        }
        return false;
      }
      if (as_key) {
        w.key(s);
        want.push_back({event::key, std::move(text)});
      } else {
        w.string(s);
        want.push_back({event::string, std::move(text)});
      }
      return true;
    };
    const auto number_event = [&](std::string text, int dbl, double v) {
      want.push_back({event::number, std::move(text)});
      is_double.push_back(dbl);
      doubles.push_back(v);
    };
    // One scalar value; false when it stops the sequence with an error.
    const auto scalar = [&]() -> bool {
      switch (r.u8() % 9) {
        case 0:
          w.null();
          want.push_back({event::null, {}});
          return true;
        case 1:
          w.boolean(true);
          want.push_back({event::boolean_true, {}});
          return true;
        case 2:
          w.boolean(false);
          want.push_back({event::boolean_false, {}});
          return true;
        case 3: {
          const auto v = static_cast<std::int64_t>(r.u64());
          w.number(v);
          if (opt.canonical_numbers && (v > (std::int64_t{1} << 53) || v < -(std::int64_t{1} << 53))) {
            number_event({}, 1, static_cast<double>(v));
          } else {
            number_event(std::to_string(v), 0, 0);
          }
          return true;
        }
        case 4: {
          const std::uint64_t v = r.u64() >> (r.u8() % 64);
          w.number(v);
          if (opt.canonical_numbers && v > (std::uint64_t{1} << 53)) {
            number_event({}, 1, static_cast<double>(v));
          } else {
            number_event(std::to_string(v), 0, 0);
          }
          return true;
        }
        case 5:
        case 6: {
          double v;
          const std::uint64_t bits = r.u64();
          std::memcpy(&v, &bits, 8);
          if (r.u8() % 4 == 0) v = static_cast<double>(static_cast<std::int32_t>(bits));
          w.number(v);
          if (!std::isfinite(v)) {
            if (opt.non_finite == enc::json_non_finite::error) {
              expect_error = enc::json_error::non_finite;
              return false;
            }
            want.push_back({event::null, {}});
            return true;
          }
          number_event({}, 1, v);
          return true;
        }
        case 7: {
          float f;
          const auto bits = static_cast<std::uint32_t>(r.u64());
          std::memcpy(&f, &bits, 4);
          w.number(f);
          if (!std::isfinite(f)) {
            if (opt.non_finite == enc::json_non_finite::error) {
              expect_error = enc::json_error::non_finite;
              return false;
            }
            want.push_back({event::null, {}});
            return true;
          }
          // A float's own shortest text reads back as the float (strtof);
          // canonical output is the double's.
          number_event({}, opt.canonical_numbers ? 1 : 2, static_cast<double>(f));
          return true;
        }
        default:
          return emit_string(false);
      }
    };
    bool alive = true;
    while (alive && r.more() && want.size() < 4000) {
      const unsigned op = r.u8() % 8;
      if (need_key) {
        if (op < 5 && stack.size() > 0) {
          alive = emit_string(true);
          need_key = false;
        } else {
          w.end_object();
          want.push_back({event::end_object, {}});
          stack.pop_back();
          need_key = !stack.empty() && stack.back();
          if (stack.empty()) break;
        }
        continue;
      }
      const bool in_object = !stack.empty() && stack.back();
      if (op == 0 && stack.size() < 200) {
        w.begin_object();
        want.push_back({event::begin_object, {}});
        stack.push_back(true);
        need_key = true;
      } else if (op == 1 && stack.size() < 200) {
        w.begin_array();
        want.push_back({event::begin_array, {}});
        stack.push_back(false);
      } else if (op == 2 && !stack.empty() && !in_object) {
        w.end_array();
        want.push_back({event::end_array, {}});
        stack.pop_back();
        need_key = !stack.empty() && stack.back();
        if (stack.empty()) break;
      } else {
        alive = scalar();
        need_key = in_object;
        if (stack.empty()) break;
      }
    }
    // Close what is open.
    while (alive && !stack.empty()) {
      if (stack.back()) {
        if (!need_key) {
          w.null();
          want.push_back({event::null, {}});
        }
        w.end_object();
        want.push_back({event::end_object, {}});
      } else {
        w.end_array();
        want.push_back({event::end_array, {}});
      }
      stack.pop_back();
      need_key = !stack.empty() && stack.back();
    }
    if (alive && want.empty()) {
      w.null();
      want.push_back({event::null, {}});
    }
    w.flush();
    if (w.error() != expect_error) {
      return std::string("error ") + enc::json_error_message(w.error()) + ", expected " +
             enc::json_error_message(expect_error);
    }
    if (alive && !w.done()) return "document not done";
  }
  if (expect_error != enc::json_error::none) return "";  // output is a prefix; checked by the unit tests
  std::vector<event> got;
  if (!json_model::parse(out, got)) return "output does not parse: " + out.substr(0, 200);
  if (got.size() != want.size()) return "event count differs: " + out.substr(0, 200);
  std::size_t number_index = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (want[i].kind == event::number) {
      const std::size_t k = number_index++;
      if (got[i].kind != event::number) return "number expected at event " + std::to_string(i);
      if (is_double[k] == 1) {
        if (!json_model::same_double(doubles[k], got[i].text, opt.canonical_numbers)) {
          return "double differs: " + got[i].text;
        }
      } else if (is_double[k] == 2) {
        const float f = std::strtof(got[i].text.c_str(), nullptr);
        const auto want_f = static_cast<float>(doubles[k]);
        if (std::memcmp(&f, &want_f, sizeof f) != 0) return "float differs: " + got[i].text;
      } else if (got[i].text != want[i].text) {
        return "integer differs: " + got[i].text + " vs " + want[i].text;
      }
      continue;
    }
    if (!(got[i] == want[i])) return "event " + std::to_string(i) + " differs in " + out.substr(0, 200);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (opt.ensure_ascii && c >= 0x7f) return "DEL or non-ASCII byte under ensure_ascii";
    std::size_t backslashes = 0;
    while (backslashes < i && out[i - 1 - backslashes] == '\\') ++backslashes;
    if (opt.escape_slash && c == '/' && backslashes % 2 == 0)
      return "raw '/' under escape_slash in " + out.substr(0, 200);
    if (opt.escape_line_separators && c == 0xe2 && i + 2 < out.size() && out[i + 1] == '\x80' &&
        (out[i + 2] == '\xa8' || out[i + 2] == '\xa9')) {
      return "raw U+2028/9 under escape_line_separators";
    }
  }
  return "";
}

/// json_writer_check as a property for fuzz_bytes and libFuzzer: throws
/// std::runtime_error with the reason when it does not hold.
inline void json_writer_property(std::span<const std::byte> input) {
  std::string why = json_writer_check(input);
  if (!why.empty()) throw std::runtime_error(why);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_JSON_WRITER_PROPERTY_HPP
