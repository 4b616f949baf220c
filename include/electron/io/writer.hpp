// SPDX-License-Identifier: MIT
// electron/io/writer.hpp: io::writer, buffered binary and text output over
// an `output` (where the bytes finally go), and the outputs provided:
//
// - file_output          a C FILE* (fwrite; flush() is fflush)
// - fd_output            a POSIX file descriptor (write(), EINTR retried,
//                        partial writes continued)
// - sink_output<S>       any encoding::byte_sink, e.g. std::string
//                        (string_output) or strings::basic_builder<Src>
//                        (builder_output<Src>, growable, its storage from
//                        any pool::buffer_source)
// - fixed_output         a caller's fixed span; reports "full"
// - pooled_output<Src>   a fixed buffer drawn from a pool::buffer_source;
//                        reports "full"
//
// The writer's typed writes mirror io::reader's reads (u8, u16/u32/u64 and
// i16/i32/i64 in little and big endian, f32/f64, varint, zigzag, bytes,
// string). It is an encoding::contiguous_byte_sink, so json_writer and the
// other encoders write straight into its buffer. Errors never throw: the
// first one is kept (sticky), later writes are dropped, and flush() and
// error() report it. Nothing allocates after construction except prepare(n)
// for an n above the capacity.
//
//   electron::io::writer w(electron::io::fd_output(1));   // stdout, 64 KiB buffer
//   w.string("id=");
//   w.u32_le(7);
//   w.varint(300);                                         // AC 02
//   if (std::error_code ec = w.flush()) report(ec);
#ifndef ELECTRON_IO_WRITER_HPP
#define ELECTRON_IO_WRITER_HPP

#include "electron/config.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/encoding/varint.hpp"
#include "electron/io/detail/writer_bytes.hpp"
#include "electron/pool.hpp"
#include "electron/strings.hpp"

#if __has_include(<unistd.h>)
#include <unistd.h>
/// 1 where fd_output (POSIX write()) is available.
#define ELECTRON_IO_HAS_FD_OUTPUT 1
#else
#define ELECTRON_IO_HAS_FD_OUTPUT 0
#endif

#include <bit>
#include <cerrno>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace io {

// ===========================================================================
// output: where the bytes go
// ===========================================================================

/// Where a writer's bytes finally go. `o.write(bytes)` takes all of
/// `bytes` (a std::span<const char>) or returns the error that stopped it;
/// it never throws. An output may also have `o.flush()` (noexcept, returning
/// std::error_code), which writer::flush() calls after handing over its
/// buffer: file_output's fflush.
template <class O>
concept output = requires(O& o, std::span<const char> bytes) {
  { o.write(bytes) }
  noexcept->std::same_as<std::error_code>;
};

/// An output with its own flush() (file_output).
template <class O>
concept flushable_output = output<O> && requires(O& o) {
  { o.flush() }
  noexcept->std::same_as<std::error_code>;
};

/// A C stream: write() is one fwrite(); flush() is fflush(). Errors are the
/// errno fwrite/fflush left (EIO when none). The FILE* is not owned: close
/// it after the writer is gone. The stream keeps its own buffer; with a
/// writer in front, `setvbuf(f, nullptr, _IONBF, 0)` saves one copy.
/// Thread safety: that of the FILE (stdio locks each call).
class file_output {
 public:
  /// Writes to f (not null).
  explicit file_output(std::FILE* f) noexcept : m_file(f) { ELECTRON_ASSERT(f != nullptr, "file_output: null FILE*"); }
  /// fwrite of all the bytes.
  std::error_code write(std::span<const char> bytes) noexcept {
    if (bytes.empty()) return {};
    errno = 0;
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) == bytes.size()) return {};
    return detail::errno_code(errno);
  }
  /// fflush.
  std::error_code flush() noexcept {
    errno = 0;
    if (std::fflush(m_file) == 0) return {};
    return detail::errno_code(errno);
  }
  /// The stream.
  [[nodiscard]] std::FILE* file() const noexcept { return m_file; }

 private:
  std::FILE* m_file;
};

#if ELECTRON_IO_HAS_FD_OUTPUT
/// The system call basic_fd_output uses by default: POSIX ::write.
struct posix_write {
  /// ::write(fd, p, n).
  static ::ssize_t write(int fd, const void* p, std::size_t n) noexcept { return ::write(fd, p, n); }
};

/// A POSIX file descriptor: write() calls Sys::write (default ::write)
/// until every byte is taken: a call interrupted by a signal (EINTR) is
/// made again, a partial write continues with the rest. Any other error
/// (EPIPE, ENOSPC, EAGAIN on a non-blocking fd, ...) stops it and is
/// returned as its errno code; a write() returning 0 is reported as EIO.
/// The fd is not owned (not closed). Writing to a pipe whose reader is gone
/// raises SIGPIPE unless the program ignores it (then: EPIPE). Sys, a type
/// with a static `ssize_t write(int, const void*, size_t)`, lets tests
/// inject partial writes and interruptions.
template <class Sys = posix_write>
class basic_fd_output {
 public:
  /// Writes to fd.
  explicit basic_fd_output(int fd) noexcept : m_fd(fd) {}
  /// write() until all bytes are taken or an error other than EINTR.
  std::error_code write(std::span<const char> bytes) noexcept {
    return detail::write_all<Sys>(m_fd, bytes.data(), bytes.size());
  }
  /// The descriptor.
  [[nodiscard]] int fd() const noexcept { return m_fd; }

 private:
  int m_fd;
};

/// basic_fd_output over ::write.
using fd_output = basic_fd_output<>;
#endif  // ELECTRON_IO_HAS_FD_OUTPUT

/// Appends to an encoding::byte_sink S the caller owns (which must outlive
/// the output): std::string, strings::basic_builder, ... What append throws
/// becomes an error code: std::bad_alloc is errc::not_enough_memory,
/// std::length_error errc::value_too_large, anything else errc::io_error.
/// The sink grows, so writes fail only when memory runs out.
template <encoding::byte_sink S>
class sink_output {
 public:
  /// Appends to s.
  explicit sink_output(S& s) noexcept : m_sink(std::addressof(s)) {}
  /// s.append(bytes).
  std::error_code write(std::span<const char> bytes) noexcept {
    if (bytes.empty()) return {};
    S* s = m_sink;
    return detail::catch_alloc([&] { s->append(std::string_view(bytes.data(), bytes.size())); });
  }
  /// The sink.
  [[nodiscard]] S& sink() const noexcept { return *m_sink; }

 private:
  S* m_sink;
};

/// Appends to a std::string.
using string_output = sink_output<std::string>;
/// Appends to a growable strings::basic_builder whose storage comes from
/// the heap or from a pool::buffer_source Src (builder_output<> is over
/// strings::builder, i.e. pool::buffer_pool).
template <pool::buffer_source Src = pool::buffer_pool>
using builder_output = sink_output<strings::basic_builder<Src>>;

/// A fixed span of the caller's memory (which must outlive the output).
/// write() copies what fits; when not everything fits it returns
/// errc::no_buffer_space ("full"), and view() holds the output's first
/// capacity() bytes. No allocation.
class fixed_output {
 public:
  /// Writes into buffer.
  explicit fixed_output(std::span<char> buffer) noexcept : m_data(buffer.data()), m_capacity(buffer.size()) {}
  /// Copies what fits; errc::no_buffer_space when some bytes did not.
  std::error_code write(std::span<const char> bytes) noexcept {
    const std::size_t room = m_capacity - m_size;
    const std::size_t n = bytes.size() < room ? bytes.size() : room;
    if (n != 0) std::memcpy(m_data + m_size, bytes.data(), n);
    m_size += n;
    if (n != bytes.size()) return std::make_error_code(std::errc::no_buffer_space);
    return {};
  }
  /// The bytes written so far.
  [[nodiscard]] std::string_view view() const noexcept { return {m_data, m_size}; }
  /// view().size().
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  /// The most bytes it takes.
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  /// Forgets the bytes written (the next write starts at the beginning).
  void clear() noexcept { m_size = 0; }

 private:
  char* m_data;
  std::size_t m_capacity;
  std::size_t m_size = 0;
};

/// A fixed buffer drawn from a pool::buffer_source (buffer_pool,
/// sized_pool, ...) and given back to it when the output is destroyed:
/// like fixed_output, it reports errc::no_buffer_space when full. It
/// allocates only in the constructor (source.get(capacity), which may
/// throw). For a pooled buffer that grows, use builder_output<Src>. Move-only.
template <pool::buffer_source Src>
class pooled_output {
  using buffer_type = std::remove_cvref_t<decltype(std::declval<Src&>().get(std::size_t{}))>;

 public:
  /// At least `capacity` bytes from source (the buffer's capacity() when it
  /// has one).
  pooled_output(Src& source, std::size_t capacity) : m_buffer(source.get(capacity)) {
    if constexpr (requires { m_buffer.capacity(); }) {
      m_capacity = static_cast<std::size_t>(m_buffer.capacity());
    } else {
      m_capacity = static_cast<std::size_t>(m_buffer.size());
    }
  }
  /// Copies what fits; errc::no_buffer_space when some bytes did not.
  std::error_code write(std::span<const char> bytes) noexcept {
    const std::size_t room = m_capacity - m_size;
    const std::size_t n = bytes.size() < room ? bytes.size() : room;
    if (n != 0) std::memcpy(data() + m_size, bytes.data(), n);
    m_size += n;
    if (n != bytes.size()) return std::make_error_code(std::errc::no_buffer_space);
    return {};
  }
  /// The bytes written so far.
  [[nodiscard]] std::string_view view() const noexcept { return {data(), m_size}; }
  /// view().size().
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  /// The most bytes it takes.
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  /// Forgets the bytes written.
  void clear() noexcept { m_size = 0; }
  /// The buffer handle (its bytes go back to the source when it is destroyed).
  [[nodiscard]] buffer_type& buffer() noexcept { return m_buffer; }

 private:
  [[nodiscard]] char* data() const noexcept {
    return reinterpret_cast<char*>(const_cast<buffer_type&>(m_buffer).data());
  }
  buffer_type m_buffer;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
};

// ===========================================================================
// writer
// ===========================================================================

/// Buffered output to an `output` O. Bytes collect in a buffer of the
/// capacity given to the constructor (from the heap, or the caller's span)
/// and go to the output when it is full, on flush(), and on destruction.
///
/// - Typed writes: u8, i8, {u,i}{16,32,64}_{le,be}, f32_{le,be},
///   f64_{le,be}, varint (unsigned LEB128), zigzag (protobuf's sint64),
///   bytes and string: io::reader's reads in reverse, same encodings.
/// - Large writes: a write that does not fit in the free room and has
///   capacity() bytes or more hands over what is buffered, then goes to the
///   output in one call, not copied. A shorter one tops the buffer up, so
///   the output sees full buffers.
/// - encoding::contiguous_byte_sink: append(), prepare(n) and commit(k), so
///   an encoder writes straight into the buffer. prepare(n) with n above
///   capacity() replaces the buffer with a heap buffer of n bytes or more
///   (after handing over what was buffered): the only allocation after
///   construction; the larger buffer is kept.
/// - Errors: the first error of the output is kept; from then on writes are
///   dropped and error() stays set (sticky) until clear_error(). flush()
///   returns it. Nothing throws except construction and an oversized
///   prepare() (std::bad_alloc).
/// - Destruction flushes (noexcept); a failure then is lost, so call
///   flush() first when it matters.
///
/// Not thread-safe; not copyable or movable (construct it in place).
///
///   std::string out;
///   electron::io::writer w(electron::io::string_output(out), 4096);
///   w.u16_be(0x0102);            // 01 02
///   w.zigzag(-1);                // 01
///   w.flush();                   // out == "\x01\x02\x01"
template <output O>
class writer {
 public:
  /// The output type.
  using output_type = O;
  /// The capacity of the constructor's heap buffer when none is given.
  static constexpr std::size_t default_capacity = 64 * 1024;

  /// A heap buffer of `capacity` bytes (0: unbuffered, every write goes to
  /// the output). Throws std::bad_alloc.
  explicit writer(O out, std::size_t capacity = default_capacity) : m_out(std::move(out)) {
    if (capacity != 0) {
      m_heap = std::make_unique_for_overwrite<char[]>(capacity);
      m_data = m_heap.get();
      m_capacity = capacity;
    }
  }
  /// Buffers in the caller's `buffer` (which must outlive the writer). No allocation.
  writer(O out, std::span<char> buffer) noexcept(std::is_nothrow_move_constructible_v<O>)
      : m_out(std::move(out)), m_data(buffer.data()), m_capacity(buffer.size()) {}
  /// flush(); an error is dropped.
  ~writer() { (void)flush(); }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  // -------------------------------------------------------------------------
  // Bytes

  /// Writes bytes: copied to the buffer when they fit in its free room or
  /// are fewer than capacity(); otherwise straight to the output after the
  /// buffered bytes.
  ELECTRON_ALWAYS_INLINE void write(std::span<const char> bytes) noexcept {
    const std::size_t n = bytes.size();
    const std::size_t room = m_capacity - m_size;
    if (ELECTRON_LIKELY(n <= detail::short_copy_max && room >= detail::short_copy_max)) {
      detail::copy_short(m_data + m_size, bytes.data(), n);
      m_size += n;
    } else if (n <= room) {
      if (n != 0) std::memcpy(m_data + m_size, bytes.data(), n);
      m_size += n;
    } else {
      write_slow(bytes.data(), n);
    }
  }
  /// write(bytes).
  ELECTRON_ALWAYS_INLINE void write(std::span<const std::byte> bytes) noexcept {
    write(std::span<const char>(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  /// A string literal through write() would include its terminating NUL:
  /// use string() or append() for text.
  template <std::size_t N>
  void write(const char (&literal)[N]) = delete;
  /// write(s); makes the writer an encoding::byte_sink.
  ELECTRON_ALWAYS_INLINE void append(std::string_view s) noexcept { write(std::span<const char>(s.data(), s.size())); }
  /// write(bytes), the reader's bytes(n) in reverse.
  ELECTRON_ALWAYS_INLINE void bytes(std::span<const std::byte> b) noexcept { write(b); }
  /// write(s), the reader's string(n) in reverse.
  ELECTRON_ALWAYS_INLINE void string(std::string_view s) noexcept { append(s); }

  // -------------------------------------------------------------------------
  // Typed writes

  /// One byte.
  ELECTRON_ALWAYS_INLINE void u8(std::uint8_t v) noexcept {
    if (ELECTRON_LIKELY(m_size != m_capacity)) {
      m_data[m_size++] = static_cast<char>(v);
    } else {
      write_slow(reinterpret_cast<const char*>(&v), 1);
    }
  }
  /// One byte (two's complement).
  ELECTRON_ALWAYS_INLINE void i8(std::int8_t v) noexcept { u8(static_cast<std::uint8_t>(v)); }
  /// 2 bytes, least significant first.
  ELECTRON_ALWAYS_INLINE void u16_le(std::uint16_t v) noexcept { put<true>(v); }
  /// 2 bytes, most significant first.
  ELECTRON_ALWAYS_INLINE void u16_be(std::uint16_t v) noexcept { put<false>(v); }
  /// 4 bytes, least significant first.
  ELECTRON_ALWAYS_INLINE void u32_le(std::uint32_t v) noexcept { put<true>(v); }
  /// 4 bytes, most significant first.
  ELECTRON_ALWAYS_INLINE void u32_be(std::uint32_t v) noexcept { put<false>(v); }
  /// 8 bytes, least significant first.
  ELECTRON_ALWAYS_INLINE void u64_le(std::uint64_t v) noexcept { put<true>(v); }
  /// 8 bytes, most significant first.
  ELECTRON_ALWAYS_INLINE void u64_be(std::uint64_t v) noexcept { put<false>(v); }
  /// Two's complement, 2 bytes, little endian.
  ELECTRON_ALWAYS_INLINE void i16_le(std::int16_t v) noexcept { put<true>(static_cast<std::uint16_t>(v)); }
  /// Two's complement, 2 bytes, big endian.
  ELECTRON_ALWAYS_INLINE void i16_be(std::int16_t v) noexcept { put<false>(static_cast<std::uint16_t>(v)); }
  /// Two's complement, 4 bytes, little endian.
  ELECTRON_ALWAYS_INLINE void i32_le(std::int32_t v) noexcept { put<true>(static_cast<std::uint32_t>(v)); }
  /// Two's complement, 4 bytes, big endian.
  ELECTRON_ALWAYS_INLINE void i32_be(std::int32_t v) noexcept { put<false>(static_cast<std::uint32_t>(v)); }
  /// Two's complement, 8 bytes, little endian.
  ELECTRON_ALWAYS_INLINE void i64_le(std::int64_t v) noexcept { put<true>(static_cast<std::uint64_t>(v)); }
  /// Two's complement, 8 bytes, big endian.
  ELECTRON_ALWAYS_INLINE void i64_be(std::int64_t v) noexcept { put<false>(static_cast<std::uint64_t>(v)); }
  /// IEEE 754 binary32 bits, little endian (NaN payloads kept).
  ELECTRON_ALWAYS_INLINE void f32_le(float v) noexcept { put<true>(std::bit_cast<std::uint32_t>(v)); }
  /// IEEE 754 binary32 bits, big endian.
  ELECTRON_ALWAYS_INLINE void f32_be(float v) noexcept { put<false>(std::bit_cast<std::uint32_t>(v)); }
  /// IEEE 754 binary64 bits, little endian (NaN payloads kept).
  ELECTRON_ALWAYS_INLINE void f64_le(double v) noexcept { put<true>(std::bit_cast<std::uint64_t>(v)); }
  /// IEEE 754 binary64 bits, big endian.
  ELECTRON_ALWAYS_INLINE void f64_be(double v) noexcept { put<false>(std::bit_cast<std::uint64_t>(v)); }
  /// Unsigned LEB128 (1..10 bytes; protobuf's and Go's uvarint): 300 -> AC 02.
  ELECTRON_ALWAYS_INLINE void varint(std::uint64_t v) noexcept {
    if (ELECTRON_LIKELY(m_capacity - m_size >= encoding::max_varint_size)) {
      m_size += encoding::encode_varint(v, m_data + m_size);
    } else {
      char tmp[encoding::max_varint_size];
      write_slow(tmp, encoding::encode_varint(v, tmp));
    }
  }
  /// Zigzag then LEB128 (protobuf's sint64; Go's varint): -1 -> 01, 1 -> 02.
  ELECTRON_ALWAYS_INLINE void zigzag(std::int64_t v) noexcept { varint(encoding::zigzag_encode(v)); }

  // -------------------------------------------------------------------------
  // contiguous_byte_sink

  /// Room for n bytes in the buffer, valid until the next call on the
  /// writer; commit(k), k <= n, writes the first k of them. Hands the
  /// buffered bytes to the output when fewer than n bytes are free. When
  /// n > capacity(), the buffer becomes a heap buffer of max(n,
  /// 2 * capacity()) bytes, kept from then on (throws std::bad_alloc).
  /// After an error the room is still valid; what is committed is dropped.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE char* prepare(std::size_t n) {
    if (ELECTRON_LIKELY(n <= m_capacity - m_size)) return m_data + m_size;
    return prepare_slow(n);
  }
  /// Writes the first k bytes of the last prepare(n) (k <= n).
  ELECTRON_ALWAYS_INLINE void commit(std::size_t k) noexcept {
    ELECTRON_ASSERT(k <= m_capacity - m_size, "io::writer::commit: more than prepare() handed out");
    m_size += k;
  }

  // -------------------------------------------------------------------------
  // Flushing and errors

  /// Hands the buffered bytes to the output, then calls the output's
  /// flush() when it has one (file_output: fflush). Returns error(): the
  /// first error so far, this one's or an earlier one.
  std::error_code flush() noexcept {
    drain();
    if constexpr (flushable_output<O>) {
      if (!m_error) m_error = m_out.flush();
    }
    return m_error;
  }
  /// The first error the output reported (empty while all is well). Sticky:
  /// once set, writes are dropped until clear_error().
  [[nodiscard]] std::error_code error() const noexcept { return m_error; }
  /// !error().
  [[nodiscard]] bool ok() const noexcept { return !m_error; }
  /// Forgets the error, for an output that can recover (e.g. a
  /// fixed_output after clear()); the bytes dropped stay dropped.
  void clear_error() noexcept { m_error = {}; }

  // -------------------------------------------------------------------------
  // Observers

  /// The output.
  [[nodiscard]] O& output() noexcept { return m_out; }
  /// See output().
  [[nodiscard]] const O& output() const noexcept { return m_out; }
  /// Bytes in the buffer, not yet handed to the output.
  [[nodiscard]] std::size_t buffered() const noexcept { return m_size; }
  /// The buffer's size.
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }

 private:
  template <bool Little, class U>
  ELECTRON_ALWAYS_INLINE void put(U v) noexcept {
    const U bytes = detail::to_order<Little>(v);
    if (ELECTRON_LIKELY(m_capacity - m_size >= sizeof(U))) {
      std::memcpy(m_data + m_size, &bytes, sizeof(U));
      m_size += sizeof(U);
    } else {
      write_slow(reinterpret_cast<const char*>(&bytes), sizeof(U));
    }
  }

  // Hands the buffer to the output. After an error the bytes are dropped
  // here: the fast paths need no error test.
  void drain() noexcept {
    if (m_size == 0) return;
    if (!m_error) m_error = m_out.write(std::span<const char>(m_data, m_size));
    m_size = 0;
  }

  // Usually n > free room (varint comes here with room < 10, which may
  // still hold n). A write shorter than the buffer tops it up first, so the
  // output sees full buffers; a longer one goes to the output directly.
  ELECTRON_NOINLINE void write_slow(const char* p, std::size_t n) noexcept {
    const std::size_t room = m_capacity - m_size;
    if (n <= room) {
      if (n != 0) std::memcpy(m_data + m_size, p, n);
      m_size += n;
    } else if (n < m_capacity) {
      if (room != 0) std::memcpy(m_data + m_size, p, room);
      m_size = m_capacity;
      drain();
      std::memcpy(m_data, p + room, n - room);
      m_size = n - room;
    } else {
      drain();
      if (!m_error && n != 0) m_error = m_out.write(std::span<const char>(p, n));
    }
  }

  ELECTRON_NOINLINE char* prepare_slow(std::size_t n) {
    drain();
    if (n > m_capacity) {
      const std::size_t doubled = m_capacity > SIZE_MAX / 2 ? SIZE_MAX : m_capacity * 2;
      const std::size_t cap = n > doubled ? n : doubled;
      auto next = std::make_unique_for_overwrite<char[]>(cap);
      m_data = next.get();
      m_capacity = cap;
      m_heap = std::move(next);
    }
    return m_data;
  }

  O m_out;
  std::unique_ptr<char[]> m_heap;
  char* m_data = nullptr;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
  std::error_code m_error;
};

}  // namespace io
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_IO_WRITER_HPP
