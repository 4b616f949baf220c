// SPDX-License-Identifier: MIT
// electron/parse/url.hpp: RFC 3986 URI references, parsed in place.
//
// parse_url(text) splits a URI-reference (RFC 3986 section 4.1) into views of
// the input: scheme, userinfo, host (registered name, IPv4, IPv6 literal with
// an optional RFC 6874 zone, IPvFuture), port, path, query and fragment, with
// an absent component told apart from an empty one (`http://h?` has an empty
// query, `http://h` none). It never allocates, never reads past the input and
// never throws; a malformed reference gives an error kind and the byte offset
// where no valid URI-reference could continue. Helpers: percent-decoding
// (into a caller buffer or a builder), query parameters as (key, value)
// views, reference resolution (section 5.2) and normalization (section
// 6.2.2) written into a strings::basic_builder.
//
//   auto u = electron::parse::parse_url("https://example.com:8443/a/b?x=1#top");
//   if (u) use(u->host(), u->port_number(), u->path());   // "example.com", 8443, "/a/b"
//
// Strict mode accepts exactly RFC 3986's grammar (plus the port limit
// 65535); url_mode::lenient also accepts what real logs contain (see
// url_mode). docs/parse.md lists both and how RFC 3986 differs from the
// WHATWG URL standard.
#ifndef ELECTRON_PARSE_URL_HPP
#define ELECTRON_PARSE_URL_HPP

#include "electron/config.hpp"
#include "electron/parse/common.hpp"
#include "electron/result.hpp"
#include "electron/strings.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace parse {

/// What parse_url accepts.
enum class url_mode : std::uint8_t {
  /// RFC 3986 exactly: every byte outside the grammar is an error.
  strict,
  /// RFC 3986, and also, as real logs write them: the bytes ' ' '"' '<' '>'
  /// '\\' '^' '`' '{' '|' '}' and every byte 0x80-0xFF in the userinfo, a
  /// registered name, the path, the query and the fragment; '[' and ']' in
  /// the path, query and fragment; '#' inside the fragment; a '%' not
  /// followed by two hex digits (a literal '%'). Control bytes (0x00-0x1F,
  /// 0x7F) are never accepted, and the delimiters keep their meaning, so a
  /// lenient parse splits the text where a strict one would.
  lenient,
};

/// What kind of host an authority names.
enum class host_kind : std::uint8_t {
  none,       ///< no authority
  reg_name,   ///< a registered name (possibly empty: `file:///x`)
  ipv4,       ///< dotted decimal, four octets without leading zeros
  ipv6,       ///< `[` IPv6address (optionally `%25` zone) `]`
  ipvfuture,  ///< `[v` hex `.` ... `]`
};

/// Why parse_url (or a helper) failed.
enum class url_errc : std::uint8_t {
  invalid_character,       ///< a byte the component cannot hold at this place
  colon_in_first_segment,  ///< a ':' in the first segment of a relative path (RFC 3986 section 4.2)
  bad_percent_encoding,    ///< '%' not followed by two hex digits
  invalid_ip_literal,      ///< a malformed IPv6 address, zone, IPvFuture, or a missing ']'
  invalid_port,            ///< a byte other than a digit in the port
  port_out_of_range,       ///< a port above 65535
  base_not_absolute,       ///< resolve(): the base has no scheme
};

/// A parse error: its kind and the byte offset where parsing failed (for
/// the grammar errors, the length of the longest prefix of the input that
/// some valid URI-reference starts with; for port_out_of_range, the offset
/// of the port).
struct url_error {
  url_errc kind{};
  std::size_t offset = 0;
  friend constexpr bool operator==(const url_error&, const url_error&) = default;
  /// A short English description of kind.
  [[nodiscard]] constexpr std::string_view message() const noexcept;
};

namespace detail {
template <url_mode>
struct url_parser;
}  // namespace detail

/// Views of the components of a URI reference. Holds pointers into the
/// parsed text, which must outlive it. Trivially copyable; 88 bytes on
/// 64-bit targets.
/// Reassembling the components gives the text back exactly:
/// scheme ":" "//" userinfo "@" host ":" port path "?" query "#" fragment,
/// each delimiter present when its component is (see has_*()).
class url_view {
 public:
  /// An empty relative reference (what parse_url("") returns).
  constexpr url_view() noexcept = default;

  /// The whole text that was parsed.
  [[nodiscard]] constexpr std::string_view text() const noexcept { return {m_data, m_size}; }

  /// True when the reference has a scheme (an absolute URI or one with a fragment).
  [[nodiscard]] constexpr bool has_scheme() const noexcept { return (m_flags & flag_scheme) != 0; }
  /// The scheme without its ':' (empty when absent). Not lowercased.
  [[nodiscard]] constexpr std::string_view scheme() const noexcept { return sub(0, m_scheme_end); }
  /// True for a relative reference (no scheme).
  [[nodiscard]] constexpr bool is_relative() const noexcept { return !has_scheme(); }

  /// True when "//" introduces an authority (it may be empty: `file:///x`).
  [[nodiscard]] constexpr bool has_authority() const noexcept { return (m_flags & flag_authority) != 0; }
  /// userinfo "@" host ":" port, without the "//" (empty when absent).
  [[nodiscard]] constexpr std::string_view authority() const noexcept { return sub(m_auth_begin, m_path_begin); }
  /// True when the authority has a userinfo part (and so an '@').
  [[nodiscard]] constexpr bool has_userinfo() const noexcept { return (m_flags & flag_userinfo) != 0; }
  /// The userinfo without its '@', still percent-encoded.
  [[nodiscard]] constexpr std::string_view userinfo() const noexcept {
    return has_userinfo() ? sub(m_auth_begin, m_host_begin - 1) : std::string_view();
  }
  /// The userinfo up to its first ':' (all of it when there is none).
  [[nodiscard]] constexpr std::string_view user() const noexcept { return userinfo().substr(0, password_colon()); }
  /// True when the userinfo has a ':' (the password may be empty).
  [[nodiscard]] constexpr bool has_password() const noexcept { return password_colon() != std::string_view::npos; }
  /// The userinfo after its first ':' (RFC 3986 deprecates passwords in
  /// URIs; logs still carry them). Still percent-encoded.
  [[nodiscard]] constexpr std::string_view password() const noexcept {
    const std::size_t colon = password_colon();
    return colon == std::string_view::npos ? std::string_view() : userinfo().substr(colon + 1);
  }
  /// The host as written: brackets included for an IP literal; empty when
  /// there is no authority or the host is empty.
  [[nodiscard]] constexpr std::string_view host() const noexcept { return sub(m_host_begin, m_host_end); }
  /// What the host is (host_kind::none without an authority).
  [[nodiscard]] constexpr host_kind host_type() const noexcept { return m_host_kind; }
  /// The host without brackets, and for IPv6 without the zone: the address
  /// itself ("::1" for `[::1%25eth0]`).
  [[nodiscard]] constexpr std::string_view host_address() const noexcept {
    if (m_host_kind != host_kind::ipv6 && m_host_kind != host_kind::ipvfuture) return host();
    return sub(m_host_begin + 1, m_zone_begin == 0 ? m_host_end - 1 : m_zone_begin - 3);
  }
  /// The RFC 6874 zone of an IPv6 host, after "%25", still percent-encoded
  /// (empty when there is none).
  [[nodiscard]] constexpr std::string_view zone_id() const noexcept {
    return m_zone_begin == 0 ? std::string_view() : sub(m_zone_begin, m_host_end - 1);
  }
  /// True when the authority has a ':' after the host (the port may be empty).
  [[nodiscard]] constexpr bool has_port() const noexcept { return (m_flags & flag_port) != 0; }
  /// The port's digits (empty when absent or empty).
  [[nodiscard]] constexpr std::string_view port() const noexcept {
    return has_port() ? sub(m_host_end + 1, m_path_begin) : std::string_view();
  }
  /// The port's value, 0 when the port is absent or empty.
  [[nodiscard]] constexpr std::uint16_t port_number() const noexcept { return m_port; }

  /// The path, still percent-encoded (possibly empty; never absent).
  [[nodiscard]] constexpr std::string_view path() const noexcept { return sub(m_path_begin, m_path_end); }

  /// True when a '?' is present (the query may be empty).
  [[nodiscard]] constexpr bool has_query() const noexcept { return (m_flags & flag_query) != 0; }
  /// The query without its '?', still percent-encoded.
  [[nodiscard]] constexpr std::string_view query() const noexcept {
    return has_query() ? sub(m_path_end + 1, m_query_end) : std::string_view();
  }
  /// True when a '#' is present (the fragment may be empty).
  [[nodiscard]] constexpr bool has_fragment() const noexcept { return (m_flags & flag_fragment) != 0; }
  /// The fragment without its '#', still percent-encoded.
  [[nodiscard]] constexpr std::string_view fragment() const noexcept {
    return has_fragment() ? sub(m_query_end + 1, m_size) : std::string_view();
  }

 private:
  template <url_mode>
  friend struct detail::url_parser;

  static constexpr std::uint8_t flag_scheme = 1, flag_authority = 2, flag_userinfo = 4, flag_port = 8, flag_query = 16,
                                flag_fragment = 32;
  [[nodiscard]] constexpr std::size_t password_colon() const noexcept { return userinfo().find(':'); }
  [[nodiscard]] constexpr std::string_view sub(std::size_t b, std::size_t e) const noexcept {
    return {m_data + b, e - b};
  }

  const char* m_data = "";
  std::size_t m_size = 0;
  std::size_t m_scheme_end = 0;  // offset of the scheme's ':' (0 without scheme)
  std::size_t m_auth_begin = 0;  // after "//"
  std::size_t m_host_begin = 0;
  std::size_t m_host_end = 0;
  std::size_t m_zone_begin = 0;  // after "%25" in an IPv6 literal, else 0
  std::size_t m_path_begin = 0;
  std::size_t m_path_end = 0;   // the '?' or '#' or the end
  std::size_t m_query_end = 0;  // the '#' or the end
  std::uint16_t m_port = 0;
  std::uint8_t m_flags = 0;
  host_kind m_host_kind = host_kind::none;
};

/// Parses a URI-reference (RFC 3986 section 4.1: an absolute URI or a
/// relative reference, with an optional fragment). Components are views
/// into `text`. O(n), one pass with table lookups; never allocates, never
/// reads outside `text`. The error offset is the length of the longest
/// prefix that a valid URI-reference starts with, as RFC 3986's test suites
/// report it (`http://www yahoo.com` fails at 10, the space).
///
///   parse_url("http://h?").value().has_query()   // true, query() == ""
///   parse_url("http://h").value().has_query()    // false
///   parse_url("a b").error()                     // {invalid_character, 1}
[[nodiscard]] constexpr result<url_view, url_error> parse_url(std::string_view text,
                                                              url_mode mode = url_mode::strict) noexcept;

// ===========================================================================
// Percent-decoding
// ===========================================================================

/// Options of the percent-decoders.
enum class decode_options : unsigned {
  none = 0,
  plus_as_space = 1u << 0,  ///< '+' decodes to ' ' (application/x-www-form-urlencoded queries)
};
constexpr decode_options operator|(decode_options a, decode_options b) noexcept {
  return static_cast<decode_options>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

/// The result of percent_decode into a caller buffer: like format_result
/// (`ptr` one past the last byte written, `ec`), plus `in`, where decoding
/// stopped in the input. ec == std::errc::invalid_argument: `in` points at
/// a '%' not followed by two hex digits (ptr: the bytes before it are
/// decoded). ec == std::errc::value_too_large: the buffer is too short (ptr
/// == last; nothing is written past last).
struct decode_result {
  char* ptr = nullptr;
  const char* in = nullptr;
  std::errc ec{};
  constexpr explicit operator bool() const noexcept { return ec == std::errc{}; }
};

/// Decodes %XX escapes of `in` into [first, last). The output is never
/// longer than the input, so a buffer of in.size() bytes always suffices
/// (in and the buffer may be the same memory: decoding in place works).
/// O(n), noexcept, no allocation.
constexpr decode_result percent_decode(std::string_view in, char* first, char* last,
                                       decode_options options = decode_options::none) noexcept;

/// Appends the decoded form of `in` to `out` and returns the bytes
/// appended; on a malformed '%' returns {bad_percent_encoding, offset of
/// the '%'} and leaves `out` unchanged. Throws what out.append throws.
template <pool::buffer_source S>
result<std::size_t, url_error> percent_decode(std::string_view in, strings::basic_builder<S>& out,
                                              decode_options options = decode_options::none);

/// True when every '%' of `in` starts a %XX escape (then percent_decode
/// cannot fail for lack of a valid escape).
[[nodiscard]] constexpr bool is_percent_encoded_valid(std::string_view in) noexcept;

// ===========================================================================
// Query parameters
// ===========================================================================

/// One parameter of a query: the text before the first '=' and after it,
/// still encoded. A parameter without '=' has has_value == false and an
/// empty value.
struct query_param {
  std::string_view key;
  std::string_view value;
  bool has_value = false;
  /// key decoded into [first, last), '+' as ' ' (the form encoding).
  constexpr decode_result decode_key(char* first, char* last) const noexcept {
    return percent_decode(key, first, last, decode_options::plus_as_space);
  }
  /// value decoded into [first, last), '+' as ' '.
  constexpr decode_result decode_value(char* first, char* last) const noexcept {
    return percent_decode(value, first, last, decode_options::plus_as_space);
  }
  friend constexpr bool operator==(const query_param&, const query_param&) = default;
};

/// The parameters of a query as a forward range of query_param views,
/// split at `separator` ('&' by default); empty pieces (`a&&b`, a trailing
/// '&') are skipped. No allocation; the query must outlive the range.
///
///   for (auto p : query_params(u.query())) if (p.key == "id") ...
class query_params {
 public:
  /// Iterates the parameters.
  class iterator {
   public:
    using value_type = query_param;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    using reference = const query_param&;
    using pointer = const query_param*;
    constexpr iterator() noexcept = default;
    constexpr reference operator*() const noexcept { return m_param; }
    constexpr pointer operator->() const noexcept { return &m_param; }
    constexpr iterator& operator++() noexcept {
      advance();
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator old = *this;
      advance();
      return old;
    }
    friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept { return a.m_pos == b.m_pos; }

   private:
    friend class query_params;
    constexpr iterator(std::string_view q, char sep, std::size_t pos) noexcept : m_query(q), m_sep(sep), m_pos(pos) {
      advance();
    }
    constexpr void advance() noexcept {
      // m_pos: the start of the next piece, or npos at the end.
      while (m_pos != npos) {
        const std::size_t start = m_pos;
        if (start > m_query.size()) {
          m_pos = npos;
          return;
        }
        std::size_t end = m_query.find(m_sep, start);
        if (end == std::string_view::npos) end = m_query.size();
        m_pos = end + 1;
        if (end == start) continue;
        const std::string_view piece = m_query.substr(start, end - start);
        const std::size_t eq = piece.find('=');
        m_param = eq == std::string_view::npos ? query_param{piece, {}, false}
                                               : query_param{piece.substr(0, eq), piece.substr(eq + 1), true};
        return;
      }
    }
    std::string_view m_query;
    char m_sep = '&';
    std::size_t m_pos = npos;
    query_param m_param{};
  };

  /// The parameters of `query` (without its '?').
  constexpr explicit query_params(std::string_view query, char separator = '&') noexcept
      : m_query(query), m_sep(separator) {}
  constexpr iterator begin() const noexcept { return iterator(m_query, m_sep, 0); }
  constexpr iterator end() const noexcept { return iterator(); }

 private:
  std::string_view m_query;
  char m_sep;
};

// ===========================================================================
// Resolution and normalization
// ===========================================================================

/// Resolves `ref` against `base` (RFC 3986 section 5.2.2, strict: a scheme
/// in ref makes it absolute) and appends the target URI (section 5.3) to
/// `out`; returns the bytes appended. The base's fragment is ignored. Dot
/// segments are removed (section 5.2.4), except that a path without a
/// leading '/' stays without one (`foo:a/b` + `../c` = `foo:c`, as RFC 3986
/// test suites expect); a target path that would start with "//" without an
/// authority gets a "/." prefix (RFC 3986 erratum 4547). Errors:
/// base_not_absolute (offset 0) when base has no scheme, `out` unchanged.
/// O(|base| + |ref|); allocates only what out.append does.
template <pool::buffer_source S>
result<std::size_t, url_error> resolve(const url_view& base, const url_view& ref, strings::basic_builder<S>& out);

/// Appends the syntax-normalized form of `u` (RFC 3986 section 6.2.2) to
/// `out` and returns the bytes appended: scheme and host lowercased; hex
/// digits of %XX escapes uppercased and escapes of unreserved characters
/// decoded (`%7e` -> `~`); a '%' that starts no escape (lenient input)
/// written as "%25"; dot segments removed from the path (in a
/// relative-path reference, ".." segments that climb above its start are
/// kept). Port, query and fragment keep their text apart from the escapes.
template <pool::buffer_source S>
std::size_t normalize(const url_view& u, strings::basic_builder<S>& out);

}  // namespace parse
ELECTRON_END_NAMESPACE

#include "electron/parse/detail/url_impl.hpp"

#endif  // ELECTRON_PARSE_URL_HPP
