// SPDX-License-Identifier: MIT
// electron/parse.hpp: text to values and back (namespace electron::parse).
//
// Untrusted text goes through this module first: every function here is
// exact, never allocates (append_* aside: the sink may), never reads outside
// its input or writes past its buffer, and reports bad input as an error
// (std::errc, or url_error with the byte offset), never as UB.
//
//   parse_int / parse_uint       text -> integer, bases 2-36 (electron/parse/int.hpp)
//   format_int / int_chars       integer -> text (to_chars-style, or a small value)
//   parse_float                  text -> float/double, correctly rounded (parse/float.hpp)
//   format_float / float_chars   float/double -> shortest text, byte-identical to
//                                std::to_chars; fixed/scientific/general with a
//                                precision; ECMAScript String(x) (parse/format_float.hpp)
//   parse_url                    RFC 3986 URI reference -> views of its components;
//                                percent_decode, query_params, resolve, normalize
//                                (parse/url.hpp)
//
// Each part is also a header of its own, for code that needs only one.
//
//   namespace ep = electron::parse;
//   auto n = ep::parse_int<int>("-42");                 // n.value == -42, bool(n)
//   auto x = ep::parse_float<double>("12.5");           // x.value == 12.5
//   ep::float_chars t(0.1);                             // t.view() == "0.1"
//   auto u = ep::parse_url("https://example.com:8443/a?x=1");
//   if (u) use(u->host(), u->port_number());            // "example.com", 8443
//
// docs/parse.md has the full reference, the error tables and the measured
// comparison with std::from_chars/to_chars, fast_float, fmt, Dragonbox,
// double-conversion, Boost.URL, uriparser and curl.
#ifndef ELECTRON_PARSE_HPP
#define ELECTRON_PARSE_HPP

#include "electron/parse/common.hpp"
#include "electron/parse/float.hpp"
#include "electron/parse/format_float.hpp"
#include "electron/parse/int.hpp"
#include "electron/parse/url.hpp"

#endif  // ELECTRON_PARSE_HPP
