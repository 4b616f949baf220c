// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/parse_url_test.cpp (fuzz_bytes) and
// fuzz/url_fuzz.cpp (libFuzzer): parse_url in both modes on the bytes, copied
// alone into an allocation of their exact size (a read past the end is an
// ASan report). When a parse succeeds:
// - the components reassemble into the input exactly;
// - they agree with the split of RFC 3986 appendix B (the regular
//   expression every URI-reference matches), done here by hand;
// - the host kind, port value and zone agree with the text;
// - a strict success is a lenient success with the same components;
// - normalize()'s output parses again (strictly when the input did) and
//   normalizing it again changes nothing; resolving against a fixed base
//   gives a text that parses.
#ifndef ELECTRON_FUZZ_URL_PROPERTY_HPP
#define ELECTRON_FUZZ_URL_PROPERTY_HPP

#include "electron/parse/url.hpp"
#include "electron/strings.hpp"

#include <charconv>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace electron_fuzz {
namespace url_model {

/// The components as RFC 3986 appendix B's expression splits them:
/// ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?
struct split {
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
  std::string_view scheme, authority, path, query, fragment;
};

inline split appendix_b(std::string_view s) {
  split r;
  const std::size_t first = s.find_first_of(":/?#");
  if (first != std::string_view::npos && first > 0 && s[first] == ':') {
    r.has_scheme = true;
    r.scheme = s.substr(0, first);
    s.remove_prefix(first + 1);
  }
  if (s.substr(0, 2) == "//") {
    r.has_authority = true;
    s.remove_prefix(2);
    const std::size_t end = std::min(s.find_first_of("/?#"), s.size());
    r.authority = s.substr(0, end);
    s.remove_prefix(end);
  }
  const std::size_t path_end = std::min(s.find_first_of("?#"), s.size());
  r.path = s.substr(0, path_end);
  s.remove_prefix(path_end);
  if (!s.empty() && s[0] == '?') {
    r.has_query = true;
    const std::size_t end = std::min(s.find('#'), s.size());
    r.query = s.substr(1, end - 1);
    s.remove_prefix(end);
  }
  if (!s.empty() && s[0] == '#') {
    r.has_fragment = true;
    r.fragment = s.substr(1);
  }
  return r;
}

/// The input rebuilt from the components.
inline std::string reassemble(const electron::parse::url_view& u) {
  std::string out;
  if (u.has_scheme()) out.append(u.scheme()).append(":");
  if (u.has_authority()) {
    out.append("//");
    if (u.has_userinfo()) out.append(u.userinfo()).append("@");
    out.append(u.host());
    if (u.has_port()) out.append(":").append(u.port());
  }
  out.append(u.path());
  if (u.has_query()) out.append("?").append(u.query());
  if (u.has_fragment()) out.append("#").append(u.fragment());
  return out;
}

inline bool same_components(const electron::parse::url_view& a, const electron::parse::url_view& b) {
  return a.has_scheme() == b.has_scheme() && a.scheme() == b.scheme() && a.has_authority() == b.has_authority() &&
         a.userinfo() == b.userinfo() && a.has_userinfo() == b.has_userinfo() && a.host() == b.host() &&
         a.host_type() == b.host_type() && a.has_port() == b.has_port() && a.port() == b.port() &&
         a.path() == b.path() && a.has_query() == b.has_query() && a.query() == b.query() &&
         a.has_fragment() == b.has_fragment() && a.fragment() == b.fragment();
}

/// Everything checked on one successful parse of `s`.
inline bool consistent(std::string_view s, const electron::parse::url_view& u) {
  using electron::parse::host_kind;
  if (u.text().data() != s.data() || u.text().size() != s.size()) return false;
  if (reassemble(u) != s) return false;
  const split r = appendix_b(s);
  if (r.has_scheme != u.has_scheme() || r.scheme != u.scheme() || r.has_authority != u.has_authority() ||
      r.authority != u.authority() || r.path != u.path() || r.has_query != u.has_query() || r.query != u.query() ||
      r.has_fragment != u.has_fragment() || r.fragment != u.fragment()) {
    return false;
  }
  if (!u.has_authority() && (u.host_type() != host_kind::none || !u.host().empty())) return false;
  if (u.has_authority() && u.host_type() == host_kind::none) return false;
  if (u.has_authority() && !u.path().empty() && u.path()[0] != '/') return false;
  const std::string_view host = u.host();
  if ((u.host_type() == host_kind::ipv6 || u.host_type() == host_kind::ipvfuture) !=
      (!host.empty() && host.front() == '[' && host.back() == ']')) {
    return false;
  }
  if (!u.zone_id().empty() && u.host_type() != host_kind::ipv6) return false;
  unsigned port = 0;
  if (!u.port().empty()) {
    const auto pr = std::from_chars(u.port().data(), u.port().data() + u.port().size(), port);
    if (pr.ec != std::errc{} || pr.ptr != u.port().data() + u.port().size() || port > 65535) return false;
  }
  return port == u.port_number();
}

}  // namespace url_model

/// The property: see the top of this file.
inline bool url_property(std::span<const std::byte> data) {
  namespace ep = electron::parse;
  // The bytes alone at the end of their own allocation.
  const std::size_t n = data.size();
  const std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
  for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<char>(data[i]);
  const std::string_view s(buf.get(), n);

  const auto strict = ep::parse_url(s);
  const auto lenient = ep::parse_url(s, ep::url_mode::lenient);
  if (strict) {
    if (!url_model::consistent(s, *strict)) return false;
    if (!lenient || !url_model::same_components(*strict, *lenient)) return false;
  } else if (strict.error().offset > n) {
    return false;
  }
  if (!lenient) return lenient.error().offset <= n;
  if (!url_model::consistent(s, *lenient)) return false;

  electron::strings::builder out;
  ep::normalize(*lenient, out);
  const std::string once = out.str();
  const auto again = ep::parse_url(once, strict ? ep::url_mode::strict : ep::url_mode::lenient);
  if (!again) return false;
  out.clear();
  ep::normalize(*again, out);
  if (out.view() != once) return false;

  static constexpr std::string_view base_text = "http://a/b/c/d;p?q";
  const auto base = ep::parse_url(base_text);
  out.clear();
  if (!ep::resolve(*base, *lenient, out)) return false;
  return static_cast<bool>(ep::parse_url(out.view(), ep::url_mode::lenient));
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_URL_PROPERTY_HPP
