// SPDX-License-Identifier: MIT
// electron/io/detail/writer_bytes.hpp: internals of io::writer and its
// outputs: byte order, error codes from errno, the write-all loop of the fd
// output, and the exception-to-error_code guard of the sink output.
#ifndef ELECTRON_IO_DETAIL_WRITER_BYTES_HPP
#define ELECTRON_IO_DETAIL_WRITER_BYTES_HPP

#include "electron/config.hpp"

#include <bit>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <system_error>
#include <type_traits>

#if !defined(ELECTRON_DISABLE_SIMD) && defined(__AVX512BW__)
#include <immintrin.h>
#define ELECTRON_IO_DETAIL_MASKED_COPY 1
#else
#define ELECTRON_IO_DETAIL_MASKED_COPY 0
#endif

ELECTRON_BEGIN_NAMESPACE
namespace io::detail {

/// v with its bytes in the opposite order (std::byteswap is C++23).
template <class U>
constexpr U byte_swap(U v) noexcept {
  static_assert(std::is_unsigned_v<U>);
  if constexpr (sizeof(U) == 1) {
    return v;
  } else if constexpr (sizeof(U) == 2) {
    return static_cast<U>(__builtin_bswap16(v));
  } else if constexpr (sizeof(U) == 4) {
    return static_cast<U>(__builtin_bswap32(v));
  } else {
    static_assert(sizeof(U) == 8);
    return static_cast<U>(__builtin_bswap64(v));
  }
}

/// v in little-endian (Little = true) or big-endian byte order, as the
/// bytes memcpy then stores.
template <bool Little, class U>
constexpr U to_order(U v) noexcept {
  static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
                "io::writer: mixed-endian targets are not supported");
  if constexpr ((std::endian::native == std::endian::little) == Little) {
    return v;
  } else {
    return byte_swap(v);
  }
}

/// The longest copy copy_short() makes.
inline constexpr std::size_t short_copy_max = 64;

/// Copies n <= short_copy_max bytes from p to d, reading only [p, p + n).
/// d must have short_copy_max writable bytes: the bytes after d + n may be
/// overwritten (the writer's free room is scratch). Small records come in
/// random lengths; a call to memcpy, with its own dispatch on the length,
/// costs more than the copy. With AVX-512BW: one masked load (masked-off
/// bytes are not read, so no fault past the source) and one store;
/// otherwise two overlapping fixed-size copies chosen by the length's class.
// g++ 12 reports the branches for longer lengths as out of bounds when it
// inlines a copy from a smaller object, though the length rules them out.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
ELECTRON_ALWAYS_INLINE void copy_short_scalar(char* d, const char* p, std::size_t n) noexcept {
  if (n >= 16) {
    if (n >= 32) {
      std::memcpy(d, p, 32);
      std::memcpy(d + n - 32, p + n - 32, 32);
    } else {
      std::memcpy(d, p, 16);
      std::memcpy(d + n - 16, p + n - 16, 16);
    }
  } else if (n >= 4) {
    if (n >= 8) {
      std::memcpy(d, p, 8);
      std::memcpy(d + n - 8, p + n - 8, 8);
    } else {
      std::memcpy(d, p, 4);
      std::memcpy(d + n - 4, p + n - 4, 4);
    }
  } else if (n != 0) {
    d[0] = p[0];
    d[n / 2] = p[n / 2];
    d[n - 1] = p[n - 1];
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
/// See copy_short_scalar; the AVX-512BW masked copy when the target has it.
ELECTRON_ALWAYS_INLINE void copy_short(char* d, const char* p, std::size_t n) noexcept {
#if ELECTRON_IO_DETAIL_MASKED_COPY
  const __mmask64 live = n >= 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
  _mm512_storeu_si512(d, _mm512_maskz_loadu_epi8(live, p));
#else
  copy_short_scalar(d, p, n);
#endif
}

/// The error_code of an errno value; EIO when errno was left at 0.
inline std::error_code errno_code(int e) noexcept { return {e != 0 ? e : EIO, std::generic_category()}; }

/// Writes all of [p, p + n) through Sys::write(fd, p, n) (the signature and
/// errno convention of POSIX write()): retries on EINTR, continues after a
/// partial write, stops at the first other error. A write() that returns 0
/// for a non-empty request is reported as EIO rather than retried forever.
template <class Sys>
std::error_code write_all(int fd, const char* p, std::size_t n) noexcept {
  // Linux writes at most 0x7ffff000 bytes a call; a smaller request also
  // keeps the count within ssize_t on every target.
  constexpr std::size_t max_chunk = std::size_t{1} << 30;
  while (n != 0) {
    const std::size_t chunk = n < max_chunk ? n : max_chunk;
    const auto r = Sys::write(fd, p, chunk);
    if (r < 0) {
      const int e = errno;
      if (e == EINTR) continue;
      return errno_code(e);
    }
    if (r == 0) return std::make_error_code(std::errc::io_error);
    const auto done = static_cast<std::size_t>(r);
    p += done;
    n -= done;
  }
  return {};
}

/// Runs f(), turning std::bad_alloc into errc::not_enough_memory and
/// std::length_error into errc::value_too_large (what a growing sink's
/// append throws), so an output's write() stays noexcept. Without
/// exceptions there is nothing to catch.
template <class F>
std::error_code catch_alloc(F&& f) noexcept {
#if ELECTRON_HAS_EXCEPTIONS
  try {
    f();
  } catch (const std::bad_alloc&) {
    return std::make_error_code(std::errc::not_enough_memory);
  } catch (const std::length_error&) {
    return std::make_error_code(std::errc::value_too_large);
  } catch (...) {
    return std::make_error_code(std::errc::io_error);
  }
#else
  f();
#endif
  return {};
}

}  // namespace io::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_IO_DETAIL_WRITER_BYTES_HPP
