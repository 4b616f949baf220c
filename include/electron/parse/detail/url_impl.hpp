// SPDX-License-Identifier: MIT
// electron/parse/detail/url_impl.hpp: the definitions behind
// electron/parse/url.hpp (included at its end): the character-class tables,
// the one-pass parser, the percent-decoders, resolution and normalization.
#ifndef ELECTRON_PARSE_DETAIL_URL_IMPL_HPP
#define ELECTRON_PARSE_DETAIL_URL_IMPL_HPP

#include "electron/parse/url.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace parse {
namespace detail {

// ===========================================================================
// Character classes (RFC 3986 appendix A), one 256-entry table per mode
// ===========================================================================

// A byte may be in several classes; every scan loop tests one mask.
inline constexpr std::uint16_t url_scheme = 1u << 0;  // ALPHA DIGIT "+" "-" "."
inline constexpr std::uint16_t url_alpha = 1u << 1;
inline constexpr std::uint16_t url_digit = 1u << 2;
inline constexpr std::uint16_t url_hex = 1u << 3;
inline constexpr std::uint16_t url_reg = 1u << 4;     // unreserved / sub-delims (reg-name without '%')
inline constexpr std::uint16_t url_user = 1u << 5;    // url_reg + ':' (userinfo, IPvFuture)
inline constexpr std::uint16_t url_seg_nc = 1u << 6;  // pchar without ':' and '%' (segment-nz-nc)
inline constexpr std::uint16_t url_path = 1u << 7;    // pchar + '/' without '%'
inline constexpr std::uint16_t url_query = 1u << 8;   // pchar + '/' + '?' without '%'
inline constexpr std::uint16_t url_frag = 1u << 9;    // the fragment (url_query; lenient: + '#')
inline constexpr std::uint16_t url_unres = 1u << 10;  // unreserved (zone id; decoded escapes kept decoded)

constexpr std::array<std::uint16_t, 256> make_url_table(bool lenient) noexcept {
  std::array<std::uint16_t, 256> t{};
  constexpr std::string_view sub_delims = "!$&'()*+,;=";
  for (unsigned c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    const bool unreserved = alpha || digit || c == '-' || c == '.' || c == '_' || c == '~';
    const bool sub = sub_delims.find(static_cast<char>(c)) != std::string_view::npos;
    const bool high = c >= 0x80;
    // What lenient mode adds to the path, query and fragment (url_mode's doc).
    const bool loose = high || c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
                       c == '{' || c == '|' || c == '}' || c == '[' || c == ']';
    std::uint16_t m = 0;
    if (alpha || digit || c == '+' || c == '-' || c == '.') m |= url_scheme;
    if (alpha) m |= url_alpha;
    if (digit) m |= url_digit;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) m |= url_hex;
    if (unreserved) m |= url_unres;
    const bool reg = unreserved || sub || (lenient && loose && c != '[' && c != ']');
    if (reg) m |= url_reg | url_user;
    if (c == ':') m |= url_user;
    const bool pchar_nc = reg || c == '@' || (lenient && loose);
    if (pchar_nc) m |= url_seg_nc;
    if (pchar_nc || c == ':' || c == '/') m |= url_path;
    if (pchar_nc || c == ':' || c == '/' || c == '?') m |= url_query | url_frag;
    if (lenient && c == '#') m |= url_frag;
    t[c] = m;
  }
  return t;
}

inline constexpr std::array<std::uint16_t, 256> url_strict_table = make_url_table(false);
inline constexpr std::array<std::uint16_t, 256> url_lenient_table = make_url_table(true);

constexpr std::uint16_t url_class(char c) noexcept { return url_strict_table[static_cast<unsigned char>(c)]; }
constexpr bool is_hex(char c) noexcept { return (url_class(c) & url_hex) != 0; }
constexpr bool url_is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr unsigned hex_value(char c) noexcept {
  const auto u = static_cast<unsigned>(static_cast<unsigned char>(c));
  return u <= '9' ? u - '0' : (u | 0x20u) - 'a' + 10;
}
constexpr char to_lower_ascii(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
inline constexpr char upper_hex_digits[] = "0123456789ABCDEF";

// ===========================================================================
// The parser
// ===========================================================================

template <url_mode Mode>
struct url_parser {
  static constexpr const std::array<std::uint16_t, 256>& table =
      Mode == url_mode::strict ? url_strict_table : url_lenient_table;

  const char* b;  // the text
  const char* e;  // its end
  url_error err{};

  [[nodiscard]] constexpr std::size_t at(const char* p) const noexcept { return static_cast<std::size_t>(p - b); }
  [[nodiscard]] constexpr bool fail(url_errc kind, const char* p) noexcept {
    err = {kind, at(p)};
    return false;
  }
  [[nodiscard]] static constexpr bool in(char c, std::uint16_t cls) noexcept {
    return (table[static_cast<unsigned char>(c)] & cls) != 0;
  }

  // Skips bytes of class `cls` and %XX escapes. A '%' that starts no escape
  // fails at the first byte that is not a hex digit (strict) or is taken
  // as a literal '%' (lenient). Stops at the first other byte.
  constexpr bool scan(const char*& p, std::uint16_t cls) noexcept {
    for (;;) {
      // Four bytes per test of the bound: most components are longer than that.
      while (e - p >= 4 && in(p[0], cls) && in(p[1], cls) && in(p[2], cls) && in(p[3], cls)) p += 4;
      while (p != e && in(*p, cls)) ++p;
      if (p == e || *p != '%') return true;
      if constexpr (Mode == url_mode::lenient) {
        p += (e - p >= 3 && is_hex(p[1]) && is_hex(p[2])) ? 3 : 1;
      } else {
        if (e - p < 2 || !is_hex(p[1])) return fail(url_errc::bad_percent_encoding, p + 1);
        if (e - p < 3 || !is_hex(p[2])) return fail(url_errc::bad_percent_encoding, p + 2);
        p += 3;
      }
    }
  }

  [[nodiscard]] constexpr bool at_authority_end(const char* p) const noexcept {
    return p == e || *p == '/' || *p == '?' || *p == '#';
  }

  // dec-octet (RFC 3986 section 3.2.2): 0-255 without leading zeros.
  static constexpr bool dec_octet(const char*& p, const char* end) noexcept {
    if (p == end || !url_is_digit(*p)) return false;
    unsigned v = static_cast<unsigned>(*p++ - '0');
    if (v == 0) return true;
    for (int i = 0; i < 2 && p != end && url_is_digit(*p); ++i) v = v * 10 + static_cast<unsigned>(*p++ - '0');
    return v <= 255;
  }
  // IPv4address: dec-octet "." dec-octet "." dec-octet "." dec-octet.
  static constexpr bool ipv4(const char*& p, const char* end) noexcept {
    for (int i = 0; i < 4; ++i) {
      if (i != 0) {
        if (p == end || *p != '.') return false;
        ++p;
      }
      if (!dec_octet(p, end)) return false;
    }
    return true;
  }

  // IPv6address (RFC 3986 section 3.2.2): eight h16 pieces, or fewer with
  // one "::", the last two of which may be an IPv4address.
  constexpr bool ipv6(const char*& p) noexcept {
    int pieces = 0;
    bool compressed = false;
    if (p != e && *p == ':') {
      if (e - p < 2 || p[1] != ':') return fail(url_errc::invalid_ip_literal, p + 1);
      compressed = true;
      p += 2;
    }
    bool need = !compressed;  // a piece must follow (start, or after a single ':')
    for (;;) {
      const char* start = p;
      int digits = 0;
      while (p != e && digits < 4 && is_hex(*p)) {
        ++p;
        ++digits;
      }
      if (digits == 0) {
        if (need) return fail(url_errc::invalid_ip_literal, p);
        break;
      }
      if (p != e && *p == '.') {  // ls32 as an IPv4address
        if (pieces > (compressed ? 5 : 6)) return fail(url_errc::invalid_ip_literal, start);
        p = start;
        if (!ipv4(p, e)) return fail(url_errc::invalid_ip_literal, p);
        pieces += 2;
        break;
      }
      if (p != e && is_hex(*p)) return fail(url_errc::invalid_ip_literal, p);  // a fifth hex digit
      if (pieces >= (compressed ? 7 : 8)) return fail(url_errc::invalid_ip_literal, start);
      ++pieces;
      if (p == e || *p != ':') break;
      if (e - p >= 2 && p[1] == ':') {
        if (compressed || pieces == 8) return fail(url_errc::invalid_ip_literal, p + 1);
        compressed = true;
        p += 2;
        need = false;
      } else {
        if (pieces == 8) return fail(url_errc::invalid_ip_literal, p);
        ++p;
        need = true;
      }
    }
    if (compressed ? pieces > 7 : pieces != 8) return fail(url_errc::invalid_ip_literal, p);
    return true;
  }

  // IP-literal = "[" ( IPv6address / IPv6addrz / IPvFuture ) "]", p at '['.
  constexpr bool ip_literal(const char*& p, url_view& u) noexcept {
    ++p;
    if (p != e && (*p == 'v' || *p == 'V')) {
      ++p;
      const char* hex_start = p;
      while (p != e && is_hex(*p)) ++p;
      if (p == hex_start) return fail(url_errc::invalid_ip_literal, p);
      if (p == e || *p != '.') return fail(url_errc::invalid_ip_literal, p);
      ++p;
      const char* rest = p;
      while (p != e && (url_class(*p) & url_user) != 0) ++p;
      if (p == rest) return fail(url_errc::invalid_ip_literal, p);
      u.m_host_kind = host_kind::ipvfuture;
    } else {
      if (!ipv6(p)) return false;
      u.m_host_kind = host_kind::ipv6;
      if (p != e && *p == '%') {  // RFC 6874: "%25" ZoneID
        if (e - p < 2 || p[1] != '2') return fail(url_errc::invalid_ip_literal, p + 1);
        if (e - p < 3 || p[2] != '5') return fail(url_errc::invalid_ip_literal, p + 2);
        p += 3;
        u.m_zone_begin = at(p);
        const char* zone = p;
        for (;;) {
          while (p != e && (url_class(*p) & url_unres) != 0) ++p;
          if (p == e || *p != '%') break;
          if (e - p < 2 || !is_hex(p[1])) return fail(url_errc::invalid_ip_literal, p + 1);
          if (e - p < 3 || !is_hex(p[2])) return fail(url_errc::invalid_ip_literal, p + 2);
          p += 3;
        }
        if (p == zone) return fail(url_errc::invalid_ip_literal, p);
      }
    }
    if (p == e || *p != ']') return fail(url_errc::invalid_ip_literal, p);
    ++p;
    return true;
  }

  // port = *DIGIT, then the authority must end. Sets the port fields.
  constexpr bool port(const char*& p, url_view& u) noexcept {
    const char* start = p;
    std::uint32_t v = 0;
    while (p != e && url_is_digit(*p)) {
      v = v * 10 + static_cast<std::uint32_t>(*p - '0');
      if (v > 65535) v = 65536;  // saturate: any longer run stays out of range
      ++p;
    }
    if (!at_authority_end(p)) return fail(url_errc::invalid_port, p);
    if (v > 65535) return fail(url_errc::port_out_of_range, start);
    u.m_flags |= url_view::flag_port;
    u.m_port = static_cast<std::uint16_t>(v);
    return true;
  }

  // host [ ":" port ] after a userinfo (or at a '[' without one); the
  // authority must then end.
  constexpr bool host_port(const char*& p, url_view& u) noexcept {
    u.m_host_begin = at(p);
    if (p != e && *p == '[') {
      if (!ip_literal(p, u)) return false;
    } else {
      if (!scan(p, url_reg)) return false;
      set_reg_name(u, p);
    }
    u.m_host_end = at(p);
    if (p != e && *p == ':') {
      ++p;
      return port(p, u);
    }
    if (!at_authority_end(p)) return fail(url_errc::invalid_character, p);
    return true;
  }

  constexpr void set_reg_name(url_view& u, const char* host_end) const noexcept {
    const char* h = b + u.m_host_begin;
    // RFC 3986 section 3.2.2: text that matches IPv4address is one.
    u.m_host_kind = (h != host_end && url_is_digit(*h) && ipv4(h, host_end) && h == host_end) ? host_kind::ipv4
                                                                                              : host_kind::reg_name;
  }

  // authority = [ userinfo "@" ] host [ ":" port ], p after "//".
  constexpr bool authority(const char*& p, url_view& u) noexcept {
    u.m_flags |= url_view::flag_authority;
    u.m_auth_begin = at(p);
    if (p != e && *p == '[') return host_port(p, u);
    // A registered name, or a userinfo: which one is known at '@', ':' or the end.
    const char* a = p;
    if (!scan(p, url_reg)) return false;
    if (p != e && *p == '@') {
      u.m_flags |= url_view::flag_userinfo;
      ++p;
      return host_port(p, u);
    }
    u.m_host_begin = at(a);
    u.m_host_end = at(p);
    set_reg_name(u, p);
    if (p == e || *p != ':') {
      if (!at_authority_end(p)) return fail(url_errc::invalid_character, p);
      return true;
    }
    // host ":" port, or a userinfo with a ':' ("user:password@host").
    const char* colon = p;
    const char* q = p + 1;
    while (q != e && url_is_digit(*q)) ++q;
    if (at_authority_end(q)) {
      p = colon + 1;
      return port(p, u);
    }
    if (!scan(q, url_user)) return false;
    if (q != e && *q == '@') {
      u.m_flags |= url_view::flag_userinfo;
      p = q + 1;
      return host_port(p, u);
    }
    // Up to q the text could still have been a userinfo.
    return fail(url_errc::invalid_port, q);
  }

  constexpr bool run(url_view& u) noexcept {
    const char* p = b;
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
    if (p != e && (url_class(*p) & url_alpha) != 0) {
      const char* q = p + 1;
      while (q != e && (url_class(*q) & url_scheme) != 0) ++q;
      if (q != e && *q == ':') {
        u.m_scheme_end = at(q);
        u.m_flags |= url_view::flag_scheme;
        p = q + 1;
      }
    }
    if (e - p >= 2 && p[0] == '/' && p[1] == '/') {
      p += 2;
      if (!authority(p, u)) return false;
    } else {
      u.m_auth_begin = u.m_host_begin = u.m_host_end = at(p);
    }
    u.m_path_begin = at(p);
    if ((u.m_flags & (url_view::flag_scheme | url_view::flag_authority)) == 0 && p != e && *p != '/') {
      // path-noscheme: the first segment has no ':' (it would read as a scheme).
      if (!scan(p, url_seg_nc)) return false;
      if (p != e && *p == ':') return fail(url_errc::colon_in_first_segment, p);
    }
    if (!scan(p, url_path)) return false;
    u.m_path_end = at(p);
    if (p != e && *p == '?') {
      u.m_flags |= url_view::flag_query;
      ++p;
      if (!scan(p, url_query)) return false;
    }
    u.m_query_end = at(p);
    if (p != e && *p == '#') {
      u.m_flags |= url_view::flag_fragment;
      ++p;
      if (!scan(p, url_frag)) return false;
    }
    if (p != e) return fail(url_errc::invalid_character, p);
    return true;
  }

  static constexpr result<url_view, url_error> parse(std::string_view text) noexcept {
    url_parser parser{text.data(), text.data() + text.size()};
    url_view u;
    u.m_data = text.data();
    u.m_size = text.size();
    if (!parser.run(u)) return result<url_view, url_error>::failure(parser.err);
    return u;
  }
};

// ===========================================================================
// Dot-segment removal (RFC 3986 section 5.2.4) into a builder
// ===========================================================================

// The output path is a stack of segments written as text: pushing appends
// ("/" then) the segment, popping truncates to the previous '/'. Each byte
// is written once and dropped at most once: O(n).
template <class Builder, class Emit>
struct dot_remover {
  Builder& out;
  Emit emit;                // appends one segment's text
  bool decode_dots;         // "%2E" counts as '.' (normalization, not resolution)
  bool keep_leading_up;     // keep ".." that climbs above a relative path's start
  std::size_t base = 0;     // where the segments start in out
  std::size_t depth = 0;    // segments on the stack
  std::size_t kept_up = 0;  // of which kept ".." at the bottom

  [[nodiscard]] constexpr bool is_dot_unit(std::string_view s, std::size_t& i) const noexcept {
    if (i < s.size() && s[i] == '.') {
      ++i;
      return true;
    }
    if (decode_dots && s.size() - i >= 3 && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] == 'e' || s[i + 2] == 'E')) {
      i += 3;
      return true;
    }
    return false;
  }
  // 1 for ".", 2 for "..", 0 for any other segment.
  [[nodiscard]] constexpr int dots(std::string_view s) const noexcept {
    std::size_t i = 0;
    if (!is_dot_unit(s, i)) return 0;
    if (i == s.size()) return 1;
    if (!is_dot_unit(s, i)) return 0;
    return i == s.size() ? 2 : 0;
  }

  void push(std::string_view seg) {
    if (depth != 0) out.append('/');
    emit(out, seg);
    ++depth;
  }
  // Returns true when a ".." was kept instead.
  bool pop() {
    if (depth == kept_up) {
      if (!keep_leading_up) return false;
      push("..");
      ++kept_up;
      return true;
    }
    --depth;
    if (depth == 0) {
      out.truncate(base);
      return false;
    }
    const std::string_view v = out.view();
    std::size_t i = v.size();
    while (i > base && v[i - 1] != '/') --i;
    out.truncate(i - 1);
    return false;
  }
  void segment(std::string_view seg, bool last) {
    switch (dots(seg)) {
      case 1:
        if (last) push({});
        break;
      case 2:
        if (!pop() && last) push({});
        break;
      default:
        push(seg);
    }
  }
  // Feeds the segments of `s` (split at '/'; "" is one empty segment).
  void feed(std::string_view s, bool last_piece) {
    for (;;) {
      const std::size_t slash = s.find('/');
      if (slash == std::string_view::npos) {
        segment(s, last_piece);
        return;
      }
      segment(s.substr(0, slash), false);
      s.remove_prefix(slash + 1);
    }
  }
};

struct copy_segment {
  template <class Builder>
  void operator()(Builder& out, std::string_view s) const {
    out.append(s);
  }
};

// Percent-encoding normalization (RFC 3986 sections 6.2.2.1 and 6.2.2.2):
// escapes of unreserved characters decoded, hex digits of the others
// uppercased, a '%' that starts no escape (lenient input) written "%25";
// with `lower`, ASCII letters outside escapes lowercased.
template <class Builder>
void append_pct_normalized(Builder& out, std::string_view s, bool lower) {
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool escape = c == '%' && s.size() - i >= 3 && is_hex(s[i + 1]) && is_hex(s[i + 2]);
    if (!escape && c != '%' && !(lower && c >= 'A' && c <= 'Z')) continue;
    out.append(s.substr(run, i - run));
    if (c == '%' && !escape) {
      out.append(std::string_view("%25"));  // a lenient literal '%': kept as one
    } else if (escape) {
      const auto v = static_cast<char>(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
      if ((url_class(v) & url_unres) != 0) {
        out.append(lower ? to_lower_ascii(v) : v);
      } else {
        const char enc[3] = {'%', upper_hex_digits[(static_cast<unsigned char>(v) >> 4) & 0xF],
                             upper_hex_digits[static_cast<unsigned char>(v) & 0xF]};
        out.append(std::string_view(enc, 3));
      }
      i += 2;
    } else {
      out.append(to_lower_ascii(c));
    }
    run = i + 1;
  }
  out.append(s.substr(run));
}

struct normalize_segment {
  template <class Builder>
  void operator()(Builder& out, std::string_view s) const {
    append_pct_normalized(out, s, false);
  }
};

// Writes the dot-free form of `path` (and, for a merge, the directory part
// of a base path before it). When the result would read differently, it is
// written again after a prefix that keeps its meaning: "/." before an
// absolute path starting with "//" without an authority (RFC 3986 erratum
// 4547), "./" before a relative path that would start with '/' or, with
// `guard_colon` (no scheme), whose first segment has a ':' (section 4.2).
template <class Builder, class Emit>
void write_path(Builder& out, std::string_view base_dir, bool use_base_dir, std::string_view path, bool absolute,
                bool has_authority, bool guard_colon, bool decode_dots, bool keep_leading_up, Emit emit) {
  const std::size_t path_start = out.size();
  for (int pass = 0; pass < 2; ++pass) {
    if (absolute) out.append('/');
    dot_remover<Builder, Emit> d{out, emit, decode_dots, keep_leading_up, out.size()};
    if (use_base_dir) d.feed(base_dir, path.empty());
    if (!path.empty()) d.feed(path, true);
    if (pass == 1) return;
    const std::string_view written = out.view().substr(path_start);
    std::string_view prefix;
    if (absolute) {
      if (!has_authority && written.size() >= 2 && written[1] == '/') prefix = "/.";
    } else if (!written.empty()) {
      if (written[0] == '/' ||
          (guard_colon && written.substr(0, written.find('/')).find(':') != std::string_view::npos)) {
        prefix = "./";
      }
    }
    if (prefix.empty()) return;
    out.truncate(path_start);
    out.append(prefix);
  }
}

}  // namespace detail

// ===========================================================================
// Public functions
// ===========================================================================

constexpr std::string_view url_error::message() const noexcept {
  switch (kind) {
    case url_errc::invalid_character:
      return "invalid character";
    case url_errc::colon_in_first_segment:
      return "':' in the first segment of a relative path";
    case url_errc::bad_percent_encoding:
      return "'%' not followed by two hex digits";
    case url_errc::invalid_ip_literal:
      return "invalid IP literal";
    case url_errc::invalid_port:
      return "invalid port";
    case url_errc::port_out_of_range:
      return "port above 65535";
    case url_errc::base_not_absolute:
      return "base URI has no scheme";
  }
  return "unknown URL error";
}

constexpr result<url_view, url_error> parse_url(std::string_view text, url_mode mode) noexcept {
  return mode == url_mode::strict ? detail::url_parser<url_mode::strict>::parse(text)
                                  : detail::url_parser<url_mode::lenient>::parse(text);
}

constexpr bool is_percent_encoded_valid(std::string_view in) noexcept {
  for (std::size_t i = in.find('%'); i != std::string_view::npos; i = in.find('%', i + 3)) {
    if (in.size() - i < 3 || !detail::is_hex(in[i + 1]) || !detail::is_hex(in[i + 2])) return false;
  }
  return true;
}

constexpr decode_result percent_decode(std::string_view in, char* first, char* last, decode_options options) noexcept {
  const bool plus = (static_cast<unsigned>(options) & static_cast<unsigned>(decode_options::plus_as_space)) != 0;
  const char* p = in.data();
  const char* const e = p + in.size();
  char* o = first;
  while (p != e) {
    const char* const at = p;
    char c = *p;
    if (c == '%') {
      if (e - p < 3 || !detail::is_hex(p[1]) || !detail::is_hex(p[2])) return {o, at, std::errc::invalid_argument};
      c = static_cast<char>(detail::hex_value(p[1]) << 4 | detail::hex_value(p[2]));
      p += 3;
    } else {
      if (c == '+' && plus) c = ' ';
      ++p;
    }
    if (o == last) return {last, at, std::errc::value_too_large};
    *o++ = c;  // o <= p: decoding in place reads each byte before it is overwritten
  }
  return {o, e, std::errc{}};
}

template <pool::buffer_source S>
result<std::size_t, url_error> percent_decode(std::string_view in, strings::basic_builder<S>& out,
                                              decode_options options) {
  for (std::size_t i = in.find('%'); i != std::string_view::npos; i = in.find('%', i + 1)) {
    if (in.size() - i < 3 || !detail::is_hex(in[i + 1]) || !detail::is_hex(in[i + 2])) {
      return result<std::size_t, url_error>::failure({url_errc::bad_percent_encoding, i});
    }
    i += 2;
  }
  const bool plus = (static_cast<unsigned>(options) & static_cast<unsigned>(decode_options::plus_as_space)) != 0;
  const std::size_t before = out.size();
  const std::string_view special = plus ? std::string_view("%+") : std::string_view("%");
  std::size_t run = 0;
  for (std::size_t i = in.find_first_of(special); i != std::string_view::npos; i = in.find_first_of(special, run)) {
    out.append(in.substr(run, i - run));
    if (in[i] == '+') {
      out.append(' ');
      run = i + 1;
    } else {
      out.append(static_cast<char>(detail::hex_value(in[i + 1]) << 4 | detail::hex_value(in[i + 2])));
      run = i + 3;
    }
  }
  out.append(in.substr(run));
  return out.size() - before;
}

template <pool::buffer_source S>
result<std::size_t, url_error> resolve(const url_view& base, const url_view& ref, strings::basic_builder<S>& out) {
  if (!base.has_scheme()) return result<std::size_t, url_error>::failure({url_errc::base_not_absolute, 0});
  const std::size_t before = out.size();
  const detail::copy_segment copy;
  auto rds = [&](std::string_view path, bool has_authority) {  // remove_dot_segments(path)
    if (path.empty()) return;
    const bool absolute = path[0] == '/';
    detail::write_path(out, {}, false, absolute ? path.substr(1) : path, absolute, has_authority, false, false, false,
                       copy);
  };
  if (ref.has_scheme()) {
    out.append(ref.scheme()).append(':');
    if (ref.has_authority()) out.append(std::string_view("//")).append(ref.authority());
    rds(ref.path(), ref.has_authority());
    if (ref.has_query()) out.append('?').append(ref.query());
  } else {
    out.append(base.scheme()).append(':');
    if (ref.has_authority()) {
      out.append(std::string_view("//")).append(ref.authority());
      rds(ref.path(), true);
      if (ref.has_query()) out.append('?').append(ref.query());
    } else {
      if (base.has_authority()) out.append(std::string_view("//")).append(base.authority());
      const std::string_view rp = ref.path();
      if (rp.empty()) {
        out.append(base.path());
        if (ref.has_query()) {
          out.append('?').append(ref.query());
        } else if (base.has_query()) {
          out.append('?').append(base.query());
        }
      } else {
        if (rp[0] == '/') {
          rds(rp, base.has_authority());
        } else {
          // merge (section 5.2.3): the base path up to its last '/', then rp.
          const std::string_view bp = base.path();
          const std::size_t slash = bp.rfind('/');
          bool absolute = base.has_authority() && bp.empty();
          std::string_view dir;
          bool use_dir = false;
          if (slash != std::string_view::npos) {
            absolute = bp[0] == '/';
            // "/x" has no directory segment, "//x" one empty one, "a/x" one ("a").
            use_dir = !absolute || slash != 0;
            if (use_dir) dir = absolute ? bp.substr(1, slash - 1) : bp.substr(0, slash);
          }
          detail::write_path(out, dir, use_dir, rp, absolute, base.has_authority(), false, false, false, copy);
        }
        if (ref.has_query()) out.append('?').append(ref.query());
      }
    }
  }
  if (ref.has_fragment()) out.append('#').append(ref.fragment());
  return out.size() - before;
}

template <pool::buffer_source S>
std::size_t normalize(const url_view& u, strings::basic_builder<S>& out) {
  const std::size_t before = out.size();
  if (u.has_scheme()) {
    detail::append_pct_normalized(out, u.scheme(), true);
    out.append(':');
  }
  if (u.has_authority()) {
    out.append(std::string_view("//"));
    if (u.has_userinfo()) {
      detail::append_pct_normalized(out, u.userinfo(), false);
      out.append('@');
    }
    const std::string_view zone = u.zone_id();
    if (zone.empty()) {
      detail::append_pct_normalized(out, u.host(), true);
    } else {  // the zone keeps its case: "[" address "%25" zone "]"
      const std::string_view host = u.host();
      detail::append_pct_normalized(out, host.substr(0, 1 + u.host_address().size()), true);
      out.append(std::string_view("%25"));
      detail::append_pct_normalized(out, zone, false);
      out.append(']');
    }
    if (u.has_port()) out.append(':').append(u.port());
  }
  const std::string_view path = u.path();
  if (!path.empty()) {
    const bool absolute = path[0] == '/';
    const bool relative_path = !absolute && !u.has_scheme();
    detail::write_path(out, {}, false, absolute ? path.substr(1) : path, absolute, u.has_authority(), !u.has_scheme(),
                       true, relative_path, detail::normalize_segment{});
  }
  if (u.has_query()) {
    out.append('?');
    detail::append_pct_normalized(out, u.query(), false);
  }
  if (u.has_fragment()) {
    out.append('#');
    detail::append_pct_normalized(out, u.fragment(), false);
  }
  return out.size() - before;
}

}  // namespace parse
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_PARSE_DETAIL_URL_IMPL_HPP
