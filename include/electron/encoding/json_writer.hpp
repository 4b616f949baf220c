// SPDX-License-Identifier: MIT
// electron/encoding/json_writer.hpp: a streaming JSON writer (RFC 8259) into
// any encoding::byte_sink, with no DOM and no allocation of its own.
//
//   electron::strings::builder b;
//   electron::encoding::json_writer w(b);
//   w.begin_object();
//   w.write("id", 42);
//   w.key("tags");
//   w.begin_array();
//   w.string("a\"b");
//   w.end_array();
//   w.end_object();
//   w.finish();                       // b.view() == R"({"id":42,"tags":["a\"b"]})"
//
// Structure is checked: a misplaced call is an ELECTRON_ASSERT in debug
// builds and, in every build, a sticky error (error(), ok()) after which the
// writer writes nothing more. The call that fails writes nothing.
//
// Output goes out in windows: into a contiguous_byte_sink (strings::builder,
// io::writer) the writer writes straight into room the sink hands out
// (prepare/commit); into any other byte_sink (std::string) through a 16 KiB
// buffer of its own. flush() (or finish()) hands the pending bytes to the sink
// so a long document can go out while it is being written; the destructor
// flushes too. Between flushes the sink must not be used by anyone else.
#ifndef ELECTRON_ENCODING_JSON_WRITER_HPP
#define ELECTRON_ENCODING_JSON_WRITER_HPP

#include "electron/config.hpp"
#include "electron/encoding/detail/json_escape.hpp"
#include "electron/encoding/detail/json_number.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/parse/format_float.hpp"
#include "electron/parse/int.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {

/// What went wrong in a json_writer. The first error is kept (sticky).
enum class json_error : std::uint8_t {
  none = 0,
  key_expected,       ///< a value, or end_object() after a key, where a key is due
  unexpected_key,     ///< key() outside an object, or where a value is due
  unbalanced_end,     ///< end_object()/end_array() with no such container open
  document_complete,  ///< a second top-level value
  too_deep,           ///< more than json_max_depth containers open
  invalid_utf8,       ///< invalid UTF-8 under json_invalid_utf8::fail
  non_finite,         ///< NaN or an infinity under json_non_finite::error
  incomplete,         ///< finish() or next_document() before the value is complete
};

/// A short English description of e ("key expected", ...). constexpr.
constexpr const char* json_error_message(json_error e) noexcept {
  switch (e) {
    case json_error::none:
      return "no error";
    case json_error::key_expected:
      return "key expected";
    case json_error::unexpected_key:
      return "key outside an object or where a value is due";
    case json_error::unbalanced_end:
      return "end without a matching begin";
    case json_error::document_complete:
      return "value after the complete document";
    case json_error::too_deep:
      return "nesting deeper than json_max_depth";
    case json_error::invalid_utf8:
      return "invalid UTF-8";
    case json_error::non_finite:
      return "NaN or infinity";
    case json_error::incomplete:
      return "document incomplete";
  }
  return "unknown json_error";
}

/// What string() and key() do with bytes that are not well-formed UTF-8.
enum class json_invalid_utf8 : std::uint8_t {
  replace,  ///< each maximal ill-formed subpart becomes U+FFFD (Unicode 3.9)
  fail,     ///< json_error::invalid_utf8; nothing of the string is written
};

/// What number() does with NaN and the infinities (JSON has no such numbers).
enum class json_non_finite : std::uint8_t {
  error,  ///< json_error::non_finite
  null,   ///< writes null, as JSON.stringify does
};

/// Options of a json_writer. The defaults write compact RFC 8259 JSON that
/// JSON.stringify would also write for the same strings.
struct json_options {
  /// Pretty printing: a newline and `indent` spaces per level before each
  /// member and element, ": " after keys (Python's json.dumps(indent=n)
  /// layout; empty containers stay "{}" and "[]"). 0 is compact. At most
  /// 16; larger values are taken as 16.
  unsigned indent = 0;
  /// Escape '/' as "\/" (for embedding in HTML <script>).
  bool escape_slash = false;
  /// Escape U+2028 and U+2029 as \u2028, \u2029 (JavaScript before ES2019
  /// does not accept them raw in string literals).
  bool escape_line_separators = false;
  /// Escape every non-ASCII character as \uXXXX, beyond the BMP as a UTF-16
  /// surrogate pair, and DEL as \u007f (Python's ensure_ascii=True). The
  /// output is printable ASCII.
  bool ensure_ascii = false;
  /// See json_invalid_utf8.
  json_invalid_utf8 invalid_utf8 = json_invalid_utf8::replace;
  /// See json_non_finite.
  json_non_finite non_finite = json_non_finite::error;
  /// RFC 8785 (JCS) numbers: ECMAScript's Number::toString form of the
  /// double (parse::format_float_ecmascript); integers beyond +-2^53 are
  /// written as the nearest double, as JCS treats every number as one.
  /// Sorting keys is left to the caller. JCS strings are the default ones.
  bool canonical_numbers = false;
};

/// Most containers a json_writer keeps open at once; one more is
/// json_error::too_deep.
inline constexpr std::size_t json_max_depth = 256;

/// The values write(key, value) takes: null (std::nullptr_t), bool, the
/// standard integers, float, double, and strings.
template <class T>
concept json_scalar = std::same_as<T, std::nullptr_t> || std::same_as<T, bool> || parse::standard_integer<T> ||
    std::same_as<T, float> || std::same_as<T, double> || std::convertible_to<T, std::string_view>;

/// Streaming JSON writer into a byte_sink S (held by reference; it must
/// outlive the writer). Every call is O(size of what it writes); none
/// allocates (the sink may, as it grows). Not thread-safe: one writer per
/// thread. What the sink's append/prepare throws passes through.
template <byte_sink S>
class json_writer {
 public:
  /// A writer at the start of a document in `sink`.
  explicit json_writer(S& sink, const json_options& options = {}) noexcept
      : m_sink(std::addressof(sink)), m_options(options) {
    m_options.indent = std::min(m_options.indent, 16u);
    m_mode.escape_slash = options.escape_slash;
    m_mode.escape_line_separators = options.escape_line_separators;
    m_mode.ensure_ascii = options.ensure_ascii;
    m_mode.fail_invalid = options.invalid_utf8 == json_invalid_utf8::fail;
    m_extra_1 = detail::json_extra_escape_1(options.escape_slash);
    m_extra_2 = detail::json_extra_escape_2(options.ensure_ascii);
  }
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;
  /// Flushes. A sink that throws here (std::bad_alloc, ...) loses the
  /// bytes still buffered; the destructor never throws. Call flush() or
  /// finish() first to see such an error.
  ~json_writer() {
#if ELECTRON_HAS_EXCEPTIONS
    try {
      flush();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; see above
    }
#else
    flush();
#endif
  }

  /// Writes null.
  void null() {
    if (!before_value()) return;
    std::memcpy(m_pos, "null", 4);
    m_pos += 4;
    after_value();
  }
  /// Writes true or false.
  void boolean(bool v) {
    if (!before_value()) return;
    if (v) {
      std::memcpy(m_pos, "true", 4);
      m_pos += 4;
    } else {
      std::memcpy(m_pos, "false", 5);
      m_pos += 5;
    }
    after_value();
  }
  /// Writes an integer exactly (in canonical_numbers mode, beyond +-2^53 as
  /// the nearest double).
  template <parse::standard_integer T>
  ELECTRON_ALWAYS_INLINE void number(T v) {
    if (m_options.canonical_numbers) {
      constexpr T big = sizeof(T) >= 8 ? static_cast<T>(std::uint64_t{1} << 53) : std::numeric_limits<T>::max();
      bool inexact = v > big;
      if constexpr (std::is_signed_v<T>) inexact = inexact || v < -big;
      if (inexact) return number(static_cast<double>(v));
    }
    if (!before_value()) return;
    if constexpr (std::is_signed_v<T>) {
      m_pos = detail::json_write_i64(m_pos, static_cast<std::int64_t>(v));
    } else {
      m_pos = detail::json_write_u64(m_pos, static_cast<std::uint64_t>(v));
    }
    after_value();
  }
  /// Writes a double: its shortest text that reads back as the same value
  /// (parse::format_float, "1e+22" style exponents), with ".0" added when
  /// that text is an integer, so "-0.0" keeps its sign and a double reads
  /// back as one; in canonical_numbers mode ECMAScript's form (1 -> "1",
  /// -0.0 -> "0"). NaN and infinities follow options().non_finite.
  void number(double v) {
    if (!std::isfinite(v)) [[unlikely]] {
      if (m_options.non_finite == json_non_finite::null) return null();
      return fail(json_error::non_finite);
    }
    if (!before_value()) return;
    if (m_options.canonical_numbers) {
      m_pos = parse::format_float_ecmascript(m_pos, m_pos + 32, v).ptr;
    } else {
      char* const start = m_pos;
      m_pos = parse::format_float(m_pos, m_pos + 32, v).ptr;
      if (v == std::trunc(v)) add_fraction(start);
    }
    after_value();
  }
  /// Writes a float: its own shortest text (1.1f is "1.1"), as number(double)
  /// does otherwise; in canonical_numbers mode the double's ECMAScript form.
  void number(float v) {
    if (!std::isfinite(v) || m_options.canonical_numbers) return number(static_cast<double>(v));
    if (!before_value()) return;
    char* const start = m_pos;
    m_pos = parse::format_float(m_pos, m_pos + 32, v).ptr;
    if (v == std::trunc(v)) add_fraction(start);
    after_value();
  }

  /// Writes a string from UTF-8 text, escaped per the options (see
  /// json_options and json_invalid_utf8).
  ELECTRON_ALWAYS_INLINE void string(std::string_view s) {
    if (!before_value(string_room(s.size()))) return;
    if (!write_string(s)) return;
    after_value();
  }
  /// Writes bytes as a string holding their base64 (RFC 4648 section 4:
  /// the standard alphabet A-Z a-z 0-9 + /, padded with '=').
  void bytes(std::span<const std::byte> data) {
    if (!before_value()) return;
    const auto* p = reinterpret_cast<const byte*>(data.data());
    std::size_t n = data.size();
    *m_pos++ = '"';
    constexpr std::size_t chunk = 3 * 1024;
    while (n > chunk) {
      room(4 * chunk / 3 + 1);
      m_pos = detail::json_base64(p, chunk, m_pos);
      p += chunk;
      n -= chunk;
    }
    room(4 * chunk / 3 + 1);
    m_pos = detail::json_base64(p, n, m_pos);
    *m_pos++ = '"';
    after_value();
  }
  /// bytes() of the bytes of a string_view.
  void bytes(std::string_view data) { bytes(std::as_bytes(std::span<const char>(data.data(), data.size()))); }
  /// Writes pre-encoded JSON as one value, unchecked: the caller promises
  /// it is one complete, valid JSON value.
  void raw(std::string_view json) {
    if (!before_value()) return;
    write_bytes(json);
    after_value();
  }

  /// Opens an object.
  void begin_object() { begin('{', true); }
  /// Writes an object member's key (a string, escaped as string() does).
  ELECTRON_ALWAYS_INLINE void key(std::string_view k) {
    room(separator_room() + string_room(k.size()) + 2);
    m_mark = m_pos;
    if (m_state == state::key_comma) [[likely]] {
      *m_pos++ = ',';
    } else if (m_state != state::key_first) [[unlikely]] {
      if (!slow_before_key()) return;
    }
    if (!write_string(k)) return;
    *m_pos++ = ':';
    if (m_options.indent != 0) *m_pos++ = ' ';
    m_state = state::value;
  }
  /// Closes the innermost object.
  void end_object() { end('}', true); }
  /// Opens an array.
  void begin_array() { begin('[', false); }
  /// Closes the innermost array.
  void end_array() { end(']', false); }

  /// key(k) and then the value: null for nullptr, boolean(), number() or
  /// string().
  template <json_scalar V>
  void write(std::string_view k, const V& v) {
    key(k);
    value(v);
  }
  /// The value alone, as write(k, v) writes it.
  template <json_scalar V>
  void value(const V& v) {
    if constexpr (std::same_as<V, std::nullptr_t>) {
      null();
    } else if constexpr (std::same_as<V, bool>) {
      boolean(v);
    } else if constexpr (parse::standard_integer<V> || std::same_as<V, float> || std::same_as<V, double>) {
      number(v);
    } else {
      string(std::string_view(v));
    }
  }

  /// Hands the bytes written so far to the sink (commit() or append()).
  void flush() {
    if constexpr (contiguous_byte_sink<S>) {
      if (m_begin != nullptr) {
        sink_commit(*m_sink, static_cast<std::size_t>(m_pos - m_begin));
        m_begin = m_pos = m_end = nullptr;
      }
    } else {
      if (m_pos != m_buffer.data() && m_begin != nullptr) {
        sink_append(*m_sink, std::string_view(m_buffer.data(), static_cast<std::size_t>(m_pos - m_buffer.data())));
      }
      m_begin = m_pos = m_buffer.data();
      m_end = m_buffer.data() + m_buffer.size();
    }
  }
  /// Checks that the document is complete (else json_error::incomplete and
  /// an assertion in debug builds), flushes, and returns error().
  json_error finish() {
    if (m_state != state::done && ok()) fail(json_error::incomplete);
    flush();
    return m_error;
  }
  /// For JSON Lines and similar streams: after a complete document, writes
  /// `separator` and starts the next document (else json_error::incomplete).
  void next_document(std::string_view separator = "\n") {
    if (!ok()) return;
    if (m_state != state::done) return fail(json_error::incomplete);
    write_bytes(separator);
    m_state = state::value;
  }

  /// True when no error has happened.
  [[nodiscard]] bool ok() const noexcept { return m_error == json_error::none; }
  /// The first error, or json_error::none.
  [[nodiscard]] json_error error() const noexcept { return m_error; }
  /// True when one complete top-level value has been written (and no error).
  [[nodiscard]] bool done() const noexcept { return m_state == state::done; }
  /// Containers open now.
  [[nodiscard]] std::size_t depth() const noexcept { return m_depth; }
  /// The options the writer uses (indent clamped to 16).
  [[nodiscard]] const json_options& options() const noexcept { return m_options; }
  /// The sink.
  [[nodiscard]] S& sink() const noexcept { return *m_sink; }

 private:
  // Window of output: [m_begin, m_pos) written and not yet handed over,
  // [m_pos, m_end) room.
  static constexpr std::size_t window = 16 * 1024;
  // Longest input piece of a string written at once; its escaped form
  // (6 bytes per byte at most) plus indentation fits the window.
  static constexpr std::size_t string_chunk = 2 * 1024;

  struct no_buffer {};

  [[nodiscard]] bool is_object() const noexcept { return (m_kinds[(m_depth - 1) / 64] >> ((m_depth - 1) % 64)) & 1u; }
  [[nodiscard]] std::size_t separator_room() const noexcept { return 2 + 1 + m_depth * m_options.indent + 2; }
  // Where the writer is. The compact writer's common steps test one state:
  // value / value_comma (a value is due, with no separator or a comma) and
  // key_first / key_comma; pretty printing uses the *_pretty states, whose
  // separators are written out of line.
  enum class state : std::uint8_t {
    value,         // top level, after a key, or a compact array's first element
    value_comma,   // a compact array's next element
    value_pretty,  // a pretty array's element (m_first: the first)
    key_first,     // a compact object's first key
    key_comma,     // a compact object's next key
    key_pretty,    // a pretty object's key (m_first: the first)
    done,          // the top-level value is complete
    failed,        // m_error holds why
  };
  // The state after a value in the innermost container.
  [[nodiscard]] state state_after_value() const noexcept {
    if (m_depth == 0) return state::done;
    if (is_object()) return m_options.indent != 0 ? state::key_pretty : state::key_comma;
    return m_options.indent != 0 ? state::value_pretty : state::value_comma;
  }
  // Room a string of n bytes takes at once (whole when short, else the
  // quote: long strings reserve per chunk).
  static constexpr std::size_t string_room(std::size_t n) noexcept {
    return n <= string_chunk ? detail::json_max_expansion * n + detail::json_copy_slack + 2 : 32;
  }

  // Room for n more bytes at m_pos.
  ELECTRON_ALWAYS_INLINE void room(std::size_t n) {
    if (static_cast<std::size_t>(m_end - m_pos) < n) [[unlikely]]
      refill(n);
  }
  ELECTRON_NOINLINE void refill(std::size_t n) {
    if constexpr (contiguous_byte_sink<S>) {
      flush();
      const std::size_t want = std::max(n, window);
      m_begin = m_pos = sink_prepare(*m_sink, want);
      m_end = m_begin + want;
    } else {
      ELECTRON_ASSERT(n <= window, "json_writer: a piece larger than the buffer");
      flush();
    }
  }

  ELECTRON_COLD ELECTRON_NOINLINE void fail(json_error e) noexcept {
    if (m_error == json_error::none) m_error = e;
    m_state = state::failed;
    ELECTRON_ASSERT(e == json_error::invalid_utf8 || e == json_error::non_finite,
                    "json_writer: misuse (see json_writer::error())");
  }

  // The separator and indentation due before a value; false when the value
  // must not be written. Leaves room for `extra` more bytes at m_pos and
  // marks where the separator went, so that a value failing later can take
  // it back.
  ELECTRON_ALWAYS_INLINE bool before_value(std::size_t extra = 32) {
    room(separator_room() + extra);
    m_mark = m_pos;
    if (m_state == state::value) [[likely]]
      return true;
    if (m_state == state::value_comma) [[likely]] {
      *m_pos++ = ',';
      return true;
    }
    return slow_before_value();
  }
  // Pretty separators and misuse.
  ELECTRON_NOINLINE bool slow_before_value() {
    switch (m_state) {
      case state::value_pretty:
        if (!m_first) *m_pos++ = ',';
        newline_indent(m_depth);
        return true;
      case state::key_first:
      case state::key_comma:
      case state::key_pretty:
        fail(json_error::key_expected);
        return false;
      case state::done:
        fail(json_error::document_complete);
        return false;
      default:
        return false;
    }
  }
  ELECTRON_NOINLINE bool slow_before_key() {
    switch (m_state) {
      case state::key_pretty:
        if (!m_first) *m_pos++ = ',';
        newline_indent(m_depth);
        return true;
      case state::failed:
        return false;
      default:
        fail(json_error::unexpected_key);
        return false;
    }
  }
  ELECTRON_ALWAYS_INLINE void after_value() noexcept {
    m_first = false;
    m_state = m_after;
  }
  void newline_indent(std::size_t levels) noexcept {
    *m_pos++ = '\n';
    const std::size_t n = levels * m_options.indent;
    std::memset(m_pos, ' ', n);
    m_pos += n;
  }

  ELECTRON_ALWAYS_INLINE void begin(char open, bool object) {
    if (m_depth == json_max_depth && ok()) [[unlikely]]
      return fail(json_error::too_deep);
    if (!before_value()) return;
    const std::size_t word = m_depth / 64;
    const std::uint64_t bit = std::uint64_t{1} << (m_depth % 64);
    m_kinds[word] = object ? (m_kinds[word] | bit) : (m_kinds[word] & ~bit);
    ++m_depth;
    *m_pos++ = open;
    m_first = true;
    if (m_options.indent != 0) {
      m_state = object ? state::key_pretty : state::value_pretty;
      m_after = object ? state::key_pretty : state::value_pretty;
    } else {
      m_state = object ? state::key_first : state::value;
      m_after = object ? state::key_comma : state::value_comma;
    }
  }
  ELECTRON_ALWAYS_INLINE void end(char close, bool object) {
    room(separator_room());
    const bool in_array = m_state == state::value || m_state == state::value_comma || m_state == state::value_pretty;
    const bool in_key = m_state == state::key_first || m_state == state::key_comma || m_state == state::key_pretty;
    if (!(object ? in_key : in_array) || m_depth == 0 || is_object() != object) [[unlikely]] {
      if (!ok()) return;
      if (object && in_array && m_depth != 0 && is_object()) return fail(json_error::key_expected);
      return fail(json_error::unbalanced_end);
    }
    --m_depth;
    if (m_options.indent != 0 && !m_first) newline_indent(m_depth);
    *m_pos++ = close;
    m_after = state_after_value();
    after_value();
  }

  void write_bytes(std::string_view s) {
    while (!s.empty()) {
      const std::size_t k = std::min(s.size(), window);
      room(k);
      std::memcpy(m_pos, s.data(), k);
      m_pos += k;
      s.remove_prefix(k);
    }
  }

  // The quoted string; false (and the error set, nothing written) when it
  // is not UTF-8 under json_invalid_utf8::fail.
  ELECTRON_ALWAYS_INLINE bool write_string(std::string_view s) {
    const auto* p = reinterpret_cast<const byte*>(s.data());
    const std::size_t n = s.size();
    if (n <= 32) {
      // Most keys and many values: one vector, inline, when it is clean.
      // The caller reserved string_room(n) (32 bytes of slack included).
      m_pos[0] = '"';
      const std::size_t k = detail::json_copy_clean_simd(p, n, m_pos + 1, m_extra_1, m_extra_2);
      if (k == n) [[likely]] {
        m_pos[n + 1] = '"';
        m_pos += n + 2;
        return true;
      }
    }
    return write_string_general(p, n);
  }
  ELECTRON_NOINLINE bool write_string_general(const byte* p, std::size_t n) {
    if (n <= string_chunk) [[likely]] {
      // The caller reserved string_room(n).
      *m_pos++ = '"';
      char* const out = detail::json_escape_body<detail::json_simd_copy>(p, n, m_pos, m_mode);
      if (out == nullptr) [[unlikely]] {
        m_pos = m_mark;
        fail(json_error::invalid_utf8);
        return false;
      }
      *out = '"';
      m_pos = out + 1;
      return true;
    }
    if (m_mode.fail_invalid && !detail::json_utf8_valid(p, n)) {
      m_pos = m_mark;
      fail(json_error::invalid_utf8);
      return false;
    }
    room(1);
    *m_pos++ = '"';
    while (n != 0) {
      const std::size_t k = n > string_chunk ? detail::json_utf8_cut(p, string_chunk) : n;
      room(detail::json_max_expansion * k + detail::json_copy_slack + 1);
      m_pos = detail::json_escape_body<detail::json_simd_copy>(p, k, m_pos, m_mode);
      p += k;
      n -= k;
    }
    *m_pos++ = '"';
    return true;
  }

  // ".0" after a double's integer text ("1" -> "1.0", "1e+22" stays).
  void add_fraction(char* start) noexcept {
    for (const char* q = start; q != m_pos; ++q) {
      if (*q == 'e') return;
    }
    m_pos[0] = '.';
    m_pos[1] = '0';
    m_pos += 2;
  }

  S* m_sink;
  char* m_begin = nullptr;
  char* m_pos = nullptr;
  char* m_end = nullptr;
  char* m_mark = nullptr;
  json_options m_options;
  detail::json_string_mode m_mode;
  byte m_extra_1 = '"';  // see detail::json_needs_attention
  byte m_extra_2 = '"';
  json_error m_error = json_error::none;
  state m_state = state::value;
  state m_after = state::done;
  bool m_first = true;
  std::size_t m_depth = 0;
  std::array<std::uint64_t, json_max_depth / 64> m_kinds{};  // bit set: an object
  [[no_unique_address]] std::conditional_t<contiguous_byte_sink<S>, no_buffer, std::array<char, window>> m_buffer{};
};

}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_JSON_WRITER_HPP
