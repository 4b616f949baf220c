// SPDX-License-Identifier: MIT
// electron/encoding/sink.hpp: the byte_sink concept that the encoders
// (json_writer, varint's appending forms) and io::writer write into.
//
// A byte_sink takes bytes through append(std::string_view): std::string,
// strings::basic_builder and io::writer are byte_sinks as they are. A sink
// that can also hand out room to write into (prepare(n) / commit(k)) is a
// contiguous_byte_sink, and the encoders then write straight into it with
// no staging copy; into any other sink they write through a small buffer
// of their own, appended when full and when flushed.
//
//   electron::strings::builder b;        // a contiguous_byte_sink
//   char* p = electron::encoding::sink_prepare(b, 8);   // room for 8 bytes
//   p[0] = 'd';
//   electron::encoding::sink_commit(b, 1);              // b.view() == "d"
#ifndef ELECTRON_ENCODING_SINK_HPP
#define ELECTRON_ENCODING_SINK_HPP

#include "electron/config.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {

/// Anything bytes can be appended to with `s.append(std::string_view)`.
/// What append throws (std::bad_alloc, std::length_error, ...) passes
/// through the encoders unchanged.
template <class S>
concept byte_sink = requires(S& s, std::string_view bytes) {
  s.append(bytes);
};

/// A byte_sink that hands out contiguous room: `s.prepare(n)` returns a
/// pointer to at least n writable bytes (it may grow, flush or throw), and
/// `s.commit(k)`, k <= n, appends the first k of them. Bytes prepared and
/// not committed are not output; the next prepare() or append() may reuse
/// them.
template <class S>
concept contiguous_byte_sink = byte_sink<S> && requires(S& s, std::size_t n) {
  { s.prepare(n) } -> std::same_as<char*>;
  s.commit(n);
};

/// Appends `bytes` to `s`.
template <byte_sink S>
constexpr void sink_append(S& s, std::string_view bytes) {
  s.append(bytes);
}

/// prepare/commit of a contiguous_byte_sink.
template <contiguous_byte_sink S>
constexpr char* sink_prepare(S& s, std::size_t n) {
  return s.prepare(n);
}
/// See sink_prepare.
template <contiguous_byte_sink S>
constexpr void sink_commit(S& s, std::size_t k) {
  s.commit(k);
}

}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_SINK_HPP
