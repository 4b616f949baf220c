// SPDX-License-Identifier: MIT
// electron/metrics/exposition.hpp: a writer of the Prometheus text
// exposition format 0.0.4 into any encoding::byte_sink.
//
//   std::string out;
//   {
//     electron::metrics::text_writer w(out);
//     w.family("http_requests_total", "Requests served.", electron::metrics::metric_type::counter);
//     const electron::metrics::label l[] = {{"method", "GET"}, {"code", "200"}};
//     w.sample("http_requests_total", l, std::uint64_t{1027});
//   }   // out == "# HELP http_requests_total Requests served.\n"
//       //        "# TYPE http_requests_total counter\n"
//       //        "http_requests_total{method=\"GET\",code=\"200\"} 1027\n"
//
// What it writes is byte-equal to what the Go reference writer
// (prometheus/common expfmt, MetricFamilyToText) writes for the same family:
// HELP text with backslash and newline escaped; label values with backslash,
// double quote and newline escaped; labels in the order given; doubles as
// Go's strconv 'g' shortest form ("1.7560473e+06", "0.23", "+Inf", "-Inf",
// "NaN"; 0 and -0 as "0"); optional timestamps as integer milliseconds.
// Integers (counter and gauge values of integer type, bucket counts, _count)
// are written exactly: where Go holds a counter as a double and writes
// 1e+06, the integer counter 1000000 is written "1000000" (the same number
// to every parser, and exact beyond 2^53).
//
// The registry (electron/metrics/registry.hpp) writes itself through this
// writer; collectors use it to write families of their own.
#ifndef ELECTRON_METRICS_EXPOSITION_HPP
#define ELECTRON_METRICS_EXPOSITION_HPP

#include "electron/config.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/metrics/detail/export_text.hpp"
#include "electron/parse/int.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// The content type of the text exposition format 0.0.4, for an HTTP
/// Content-Type header.
inline constexpr std::string_view text_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// The TYPE of a metric family.
#if defined(__GNUC__) && !defined(__clang__)
// g++ takes the scoped enumerators for shadows of the metric types of the
// same names (metrics::counter, ...).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif
enum class metric_type : std::uint8_t { counter, gauge, histogram, summary, untyped };
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// The word the text format uses for t ("counter", ...).
constexpr std::string_view metric_type_name(metric_type t) noexcept {
  switch (t) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      return "histogram";
    case metric_type::summary:
      return "summary";
    case metric_type::untyped:
      return "untyped";
  }
  return "untyped";
}

/// True when s is a valid metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
constexpr bool is_valid_metric_name(std::string_view s) noexcept { return detail::export_valid_name(s, true); }

/// True when s is a valid label name: [a-zA-Z_][a-zA-Z0-9_]* and not
/// starting with "__" (reserved for Prometheus' internal labels).
constexpr bool is_valid_label_name(std::string_view s) noexcept {
  return detail::export_valid_name(s, false) && !s.starts_with("__");
}

/// One label of a sample: a name and its (unescaped) value.
struct label {
  std::string_view name;
  std::string_view value;
};

/// Options of an exposition.
struct exposition_options {
  /// When set, every sample line ends with this timestamp (milliseconds
  /// since the Unix epoch). Prometheus then stores the sample at this time
  /// rather than at the scrape's; most exporters leave it unset.
  std::optional<std::int64_t> timestamp_ms;
};

/// Writes the text exposition format into a byte sink (held by reference;
/// it must outlive the writer), through a 16 KiB buffer of its own that is
/// appended to the sink when full, on flush() and on destruction. No
/// allocation of its own; what the sink's append throws passes through.
/// Names are written as given: check them with is_valid_metric_name and
/// is_valid_label_name (the registry does). Not thread-safe.
class text_writer {
 public:
  /// A writer appending to `sink`.
  template <encoding::byte_sink S>
  explicit text_writer(S& sink, const exposition_options& options = {}) noexcept
      : m_sink(std::addressof(sink)), m_append(&append_to<S>), m_timestamp(options.timestamp_ms) {}
  text_writer(const text_writer&) = delete;
  text_writer& operator=(const text_writer&) = delete;
  /// Flushes; an exception from the sink here is swallowed (call flush()
  /// first to see it).
  ~text_writer() {
#if ELECTRON_HAS_EXCEPTIONS
    try {
      flush();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; see above
    }
#else
    flush();
#endif
  }

  /// "# HELP name text" (when help is not empty) and "# TYPE name type".
  void family(std::string_view name, std::string_view help, metric_type type) {
    if (!help.empty()) this->help(name, help);
    this->type(name, type);
  }
  /// "# HELP name text", backslash and newline escaped.
  void help(std::string_view name, std::string_view text) {
    raw("# HELP ");
    raw(name);
    raw(" ");
    escaped(text, false);
    raw("\n");
  }
  /// "# TYPE name type".
  void type(std::string_view name, metric_type t) {
    raw("# TYPE ");
    raw(name);
    raw(" ");
    raw(metric_type_name(t));
    raw("\n");
  }
  /// A sample line: name{labels} value [timestamp]. The value is a double
  /// (Go's text) or an integer (exact). `timestamp_ms`, when given, takes
  /// the place of the options' one.
  template <class V>
  requires std::is_arithmetic_v<V>
  void sample(std::string_view name, std::span<const label> labels, V value,
              std::optional<std::int64_t> timestamp_ms = std::nullopt) {
    raw(name);
    if (!labels.empty()) {
      raw("{");
      bool first = true;
      for (const label& l : labels) {
        if (!first) raw(",");
        first = false;
        raw(l.name);
        raw("=\"");
        escaped(l.value, true);
        raw("\"");
      }
      raw("}");
    }
    end_sample(value, timestamp_ms);
  }
  /// A sample line without labels.
  template <class V>
  requires std::is_arithmetic_v<V>
  void sample(std::string_view name, V value, std::optional<std::int64_t> timestamp_ms = std::nullopt) {
    sample(name, std::span<const label>{}, value, timestamp_ms);
  }

  /// Low level, for writers of pre-escaped series: name + suffix, then the
  /// labels `escaped_labels` (already escaped, `a="x",b="y"`, may be empty)
  /// and `extra` (one more escaped label such as `le="0.5"`, may be empty)
  /// in braces when either is not empty, then the value and the timestamp.
  template <class V>
  requires std::is_arithmetic_v<V> ELECTRON_ALWAYS_INLINE void sample_escaped(std::string_view name,
                                                                              std::string_view suffix,
                                                                              std::string_view escaped_labels,
                                                                              std::string_view extra, V value) {
    const std::size_t n =
        name.size() + suffix.size() + escaped_labels.size() + extra.size() + 4 + detail::export_float_chars + 24;
    if (n > window) [[unlikely]] {
      sample_escaped_long(name, suffix, escaped_labels, extra, value);
      return;
    }
    char* p = reserve(n);
    p = put(p, name);
    p = put(p, suffix);
    if (!escaped_labels.empty() || !extra.empty()) {
      *p++ = '{';
      p = put(p, escaped_labels);
      if (!escaped_labels.empty() && !extra.empty()) *p++ = ',';
      p = put(p, extra);
      *p++ = '}';
    }
    *p++ = ' ';
    p = put_value(p, value);
    if (m_timestamp) {
      *p++ = ' ';
      p = detail::export_integer(p, *m_timestamp);
    }
    *p++ = '\n';
    m_pos = p;
  }

  /// Appends bytes as they are.
  void raw(std::string_view s) {
    while (!s.empty()) {
      const std::size_t k = s.size() < window ? s.size() : window;
      char* p = reserve(k);
      std::memcpy(p, s.data(), k);
      m_pos = p + k;
      s.remove_prefix(k);
    }
  }
  /// Appends s escaped: backslash and newline, and the double quote when
  /// `quote` (label values).
  void escaped(std::string_view s, bool quote) {
    while (!s.empty()) {
      const std::size_t k = s.size() < window / 2 ? s.size() : window / 2;
      m_pos = detail::export_escape(reserve(2 * k), s.substr(0, k), quote);
      s.remove_prefix(k);
    }
  }

  /// Hands the buffered bytes to the sink.
  void flush() {
    if (m_pos != m_buffer.data()) {
      const std::string_view pending(m_buffer.data(), static_cast<std::size_t>(m_pos - m_buffer.data()));
      m_pos = m_buffer.data();
      m_append(m_sink, pending);
    }
  }

  /// The timestamp every sample gets (exposition_options::timestamp_ms).
  [[nodiscard]] std::optional<std::int64_t> timestamp_ms() const noexcept { return m_timestamp; }

 private:
  static constexpr std::size_t window = 16 * 1024;

  template <class S>
  static void append_to(void* sink, std::string_view bytes) {
    encoding::sink_append(*static_cast<S*>(sink), bytes);
  }
  static char* put(char* p, std::string_view s) noexcept {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());  // an empty view's data() may be null
    return p + s.size();
  }
  template <class V>
  static char* put_value(char* p, V value) noexcept {
    if constexpr (std::is_floating_point_v<V>) {
      return detail::export_float(p, static_cast<double>(value));
    } else if constexpr (std::is_same_v<V, bool>) {
      *p = value ? '1' : '0';
      return p + 1;
    } else {
      return detail::export_integer(p, value);
    }
  }
  template <class V>
  ELECTRON_NOINLINE void sample_escaped_long(std::string_view name, std::string_view suffix,
                                             std::string_view escaped_labels, std::string_view extra, V value) {
    raw(name);
    raw(suffix);
    if (!escaped_labels.empty() || !extra.empty()) {
      raw("{");
      raw(escaped_labels);
      if (!escaped_labels.empty() && !extra.empty()) raw(",");
      raw(extra);
      raw("}");
    }
    end_sample(value, std::nullopt);
  }
  template <class V>
  void end_sample(V value, std::optional<std::int64_t> timestamp_ms) {
    char* p = reserve(detail::export_float_chars + 32);
    *p++ = ' ';
    p = put_value(p, value);
    if (!timestamp_ms) timestamp_ms = m_timestamp;
    if (timestamp_ms) {
      *p++ = ' ';
      p = detail::export_integer(p, *timestamp_ms);
    }
    *p++ = '\n';
    m_pos = p;
  }
  // Room for n bytes at the returned pointer (n <= window, or the buffer is
  // flushed and the piece goes out in one append of its own).
  ELECTRON_ALWAYS_INLINE char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(m_buffer.data() + m_buffer.size() - m_pos) < n) [[unlikely]] {
      flush();
      ELECTRON_ASSERT(n <= window, "text_writer: a piece larger than the buffer");
    }
    return m_pos;
  }

  void* m_sink;
  void (*m_append)(void*, std::string_view);
  std::optional<std::int64_t> m_timestamp;
  std::array<char, window> m_buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
  char* m_pos = m_buffer.data();
};

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_EXPOSITION_HPP
