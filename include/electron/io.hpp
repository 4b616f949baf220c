// SPDX-License-Identifier: MIT
// electron/io.hpp: bytes in and out (namespace electron::io).
//
//   reader        a zero-copy, bounds-checked cursor over bytes: fixed-width
//                 integers (LE/BE), floats, varints, views, lines, fields
//                 (electron/io/reader.hpp)
//   writer        buffered output over FILE*, a POSIX fd, std::string, a
//                 builder or a pooled buffer, with typed writes mirroring the
//                 reader's; an encoding::contiguous_byte_sink, so encoders
//                 write straight into its buffer (electron/io/writer.hpp)
//   ring_buffer   a lock-free single-producer/single-consumer byte ring with
//                 contiguous spans, optionally mirrored (electron/io/ring_buffer.hpp)
//
// Each part is also a header of its own.
//
//   electron::io::reader in(bytes);
//   electron::io::writer out(electron::io::fd_output(1));
//   while (in.remaining() >= 4 && in.ok()) out.u32_be(in.u32_le());  // swap endianness
//
// docs/io.md has the reference and the measured comparison with
// std::istream, fwrite, std::ofstream and boost::lockfree::spsc_queue.
#ifndef ELECTRON_IO_HPP
#define ELECTRON_IO_HPP

#include "electron/io/reader.hpp"
#include "electron/io/ring_buffer.hpp"
#include "electron/io/writer.hpp"

#endif  // ELECTRON_IO_HPP
