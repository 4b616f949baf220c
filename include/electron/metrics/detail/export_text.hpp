// SPDX-License-Identifier: MIT
// electron/metrics/detail/export_text.hpp: the pieces of the Prometheus text
// format 0.0.4 writer: Go-style float text, escaping, and name checks.
#ifndef ELECTRON_METRICS_DETAIL_EXPORT_TEXT_HPP
#define ELECTRON_METRICS_DETAIL_EXPORT_TEXT_HPP

#include "electron/config.hpp"
#include "electron/parse/format_float.hpp"
#include "electron/parse/int.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {

/// Most bytes export_float writes: "-1.7976931348623157e+308" (24), and the
/// fixed forms below 1e6 and from 1e-4 are shorter than 24 too.
inline constexpr std::size_t export_float_chars = 32;

// A double as the Go reference writer (prometheus/common expfmt writeFloat)
// prints it: "NaN", "+Inf", "-Inf", 0 (either sign) as "0", and otherwise
// strconv.FormatFloat(v, 'g', -1, 64): the shortest digits that read back
// as v, in fixed form when the decimal exponent is in [-4, 6) and in
// scientific form ("1e+06", "-1.23e-45", at least two exponent digits)
// outside it (Go's %g picks the form by a precision of 6 when the digits
// are the shortest). `out` has room for export_float_chars.
inline char* export_float(char* out, double v) noexcept {
  if (std::isnan(v)) {
    std::memcpy(out, "NaN", 3);
    return out + 3;
  }
  if (std::isinf(v)) {
    std::memcpy(out, v > 0 ? "+Inf" : "-Inf", 4);
    return out + 4;
  }
  if (v == 0) {
    *out = '0';
    return out + 1;
  }
  const double a = std::fabs(v);
  // The shortest decimal of v is 1e6 exactly when v == 1e6 (1e6 is a
  // double), and below 1e-4 exactly when v is below the double nearest 1e-4
  // (the shortest text of that double is "0.0001"): so comparing v decides
  // the exponent of its shortest text.
  const auto fmt = (a < 1e-4 || a >= 1e6) ? std::chars_format::scientific : std::chars_format::fixed;
  return parse::format_float(out, out + export_float_chars, v, fmt).ptr;
}

// An integer exactly, in decimal. Room for 20 bytes (21 with a sign).
template <class T>
inline char* export_integer(char* out, T v) noexcept {
  return parse::format_int(out, out + 24, v).ptr;
}

// Bytes a label value takes escaped at most (each byte at most 2).
constexpr std::size_t escaped_size_bound(std::size_t n) noexcept { return 2 * n; }

// Escapes s into out (room for 2 * s.size()): backslash and newline always,
// the double quote too when `quote` (label values; HELP text keeps it).
// Returns the end. As text_create.go's writeEscapedString does.
inline char* export_escape(char* out, std::string_view s, bool quote) noexcept {
  for (const char c : s) {
    if (c == '\\') {
      *out++ = '\\';
      *out++ = '\\';
    } else if (c == '\n') {
      *out++ = '\\';
      *out++ = 'n';
    } else if (c == '"' && quote) {
      *out++ = '\\';
      *out++ = '"';
    } else {
      *out++ = c;
    }
  }
  return out;
}

// Appends s escaped (see export_escape) to a std::string.
inline void export_escape_append(std::string& out, std::string_view s, bool quote) {
  const std::size_t old = out.size();
  out.resize(old + escaped_size_bound(s.size()));
  char* const end = export_escape(out.data() + old, s, quote);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

constexpr bool export_name_start(char c, bool colon) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
constexpr bool export_name_char(char c, bool colon) noexcept {
  return export_name_start(c, colon) || (c >= '0' && c <= '9');
}
constexpr bool export_valid_name(std::string_view s, bool colon) noexcept {
  if (s.empty() || !export_name_start(s[0], colon)) return false;
  for (const char c : s.substr(1)) {
    if (!export_name_char(c, colon)) return false;
  }
  return true;
}

}  // namespace detail
}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_DETAIL_EXPORT_TEXT_HPP
