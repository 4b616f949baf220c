// SPDX-License-Identifier: MIT
// electron/encoding.hpp: structured data to bytes and back, with no
// reflection, no DOM and no hidden allocation (namespace electron::encoding).
//
//   byte_sink / contiguous_byte_sink   where encoders write: std::string,
//                                      strings::builder, io::writer, your own
//                                      (electron/encoding/sink.hpp)
//   json_writer                        streaming RFC 8259 JSON: checked structure,
//                                      escaping modes, shortest or ECMAScript
//                                      numbers, base64 bytes, pretty printing
//                                      (electron/encoding/json_writer.hpp)
//   encode_varint / decode_varint      LEB128 and zigzag as protobuf and Go write
//                                      them; bulk span forms; Stream VByte
//                                      (electron/encoding/varint.hpp)
//
// Each part is also a header of its own.
//
//   electron::strings::builder out;
//   electron::encoding::json_writer w(out);
//   w.begin_object();
//   w.write("id", 42);
//   w.write("name", "ada");
//   w.end_object();
//   w.finish();                                        // {"id":42,"name":"ada"}
//
// docs/encoding.md has the reference and the measured comparison with
// RapidJSON, nlohmann::json, Boost.JSON, fmt, protobuf's coded streams and
// libstreamvbyte.
#ifndef ELECTRON_ENCODING_HPP
#define ELECTRON_ENCODING_HPP

#include "electron/encoding/json_writer.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/encoding/varint.hpp"

#endif  // ELECTRON_ENCODING_HPP
