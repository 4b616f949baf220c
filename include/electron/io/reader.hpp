// SPDX-License-Identifier: MIT
// electron/io/reader.hpp: io::reader, a zero-copy cursor over bytes.
//
// Reads fixed-width integers (little and big endian), floats, LEB128 varints
// and zigzag values (encoding/varint.hpp), byte and string views, lines and
// delimited fields, from memory the caller owns; nothing is copied or
// allocated, and the views point into that memory.
//
// Error model: every read is bounds-checked. A read that cannot complete
// (too few bytes; a bad varint) consumes nothing and returns 0 (or an empty
// view), and makes the error sticky: error() says what, error_offset() where
// (the offset of the read that failed), and every later read also returns 0
// and consumes nothing, until clear_error(). So a parser can read a whole
// record and check ok() once. Each read also has a try_ form returning
// result<T, read_error>, which never sets the sticky error (but fails with
// it when it is already set).
//
//   electron::io::reader r(bytes);               // std::string_view or std::span<const std::byte>
//   std::uint32_t id = r.u32_le();
//   std::uint64_t n = r.varint();
//   std::string_view name = r.string(n);
//   if (!r.ok()) report(r.error(), r.error_offset());
//   while (auto line = r.line()) use(*line);      // '\n' or "\r\n", last line without one
//
// Not thread-safe (a value type, a pointer and three sizes); copies are
// independent cursors over the same bytes.
#ifndef ELECTRON_IO_READER_HPP
#define ELECTRON_IO_READER_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"
#include "electron/encoding/varint.hpp"
#include "electron/result.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace io {

/// Why a read failed.
enum class read_error : unsigned char {
  none = 0,
  truncated,     ///< fewer bytes left than the read needs (or a varint cut off by the end)
  overlong,      ///< a varint whose 10th byte has its continuation bit
  overflow,      ///< a varint beyond 64 bits, or beyond the 32 bits asked for
  non_canonical  ///< a non-shortest varint, when the reader rejects them
};

/// The fixed-width types reader::read<T, E>() reads: integers of 1, 2, 4 or
/// 8 bytes (not bool), float and double.
template <class T>
concept fixed_width = (std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                       (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8)) ||
                      std::is_same_v<T, float> || std::is_same_v<T, double>;

/// A zero-copy, bounds-checked cursor over bytes the caller owns (see the
/// error model above). All reads are noexcept, O(1) unless noted, and never
/// allocate.
class reader {
 public:
  /// An empty reader.
  constexpr reader() noexcept = default;
  /// A reader over [data, data + size).
  constexpr reader(const char* data, std::size_t size) noexcept : m_data(data), m_size(size), m_limit(size) {}
  /// A reader over the bytes of s.
  constexpr explicit reader(std::string_view s) noexcept : reader(s.data(), s.size()) {}
  /// A reader over bytes.
  explicit reader(std::span<const std::byte> s) noexcept : reader(reinterpret_cast<const char*>(s.data()), s.size()) {}
  /// Non-canonical varints (e.g. 80 00 for 0) become read errors.
  constexpr reader& reject_non_canonical(bool on = true) noexcept {
    m_varint_options = on ? encoding::varint_options::reject_non_canonical : encoding::varint_options::none;
    return *this;
  }

  // --- position and state ---------------------------------------------------
  /// Bytes consumed so far.
  [[nodiscard]] constexpr std::size_t offset() const noexcept { return m_pos; }
  /// Bytes left after offset() (also after an error).
  [[nodiscard]] constexpr std::size_t remaining() const noexcept { return m_size - m_pos; }
  /// Total size of the input.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return m_size; }
  /// True when nothing is left.
  [[nodiscard]] constexpr bool empty() const noexcept { return m_pos == m_size; }
  /// The unread bytes.
  [[nodiscard]] constexpr std::string_view rest() const noexcept { return {m_data + m_pos, m_size - m_pos}; }
  /// True while no read has failed.
  [[nodiscard]] constexpr bool ok() const noexcept { return m_error == read_error::none; }
  /// The first error since construction or clear_error().
  [[nodiscard]] constexpr read_error error() const noexcept { return m_error; }
  /// Offset of the read that failed first (meaningless while ok()).
  [[nodiscard]] constexpr std::size_t error_offset() const noexcept { return m_error_offset; }
  /// Forgets the error; reads continue from offset().
  constexpr void clear_error() noexcept {
    m_error = read_error::none;
    m_limit = m_size;
  }

  // --- fixed width ------------------------------------------------------------
  /// Reads a T stored in E byte order; 0 on error. O(1).
  template <fixed_width T, std::endian E = std::endian::little>
  T read() noexcept {
    if (m_limit - m_pos < sizeof(T)) [[unlikely]] {
      fail(read_error::truncated);
      return T{};
    }
    const T v = load<T, E>(m_data + m_pos);
    m_pos += sizeof(T);
    return v;
  }
  /// read() without the sticky error.
  template <fixed_width T, std::endian E = std::endian::little>
  result<T, read_error> try_read() noexcept {
    if (m_limit - m_pos < sizeof(T)) [[unlikely]]
      return result<T, read_error>::failure(ok() ? read_error::truncated : m_error);
    const T v = load<T, E>(m_data + m_pos);
    m_pos += sizeof(T);
    return v;
  }

  /// One byte.
  std::uint8_t u8() noexcept { return read<std::uint8_t>(); }
  /// Little-endian 16 bits.
  std::uint16_t u16_le() noexcept { return read<std::uint16_t>(); }
  /// Little-endian 32 bits.
  std::uint32_t u32_le() noexcept { return read<std::uint32_t>(); }
  /// Little-endian 64 bits.
  std::uint64_t u64_le() noexcept { return read<std::uint64_t>(); }
  /// Big-endian 16 bits.
  std::uint16_t u16_be() noexcept { return read<std::uint16_t, std::endian::big>(); }
  /// Big-endian 32 bits.
  std::uint32_t u32_be() noexcept { return read<std::uint32_t, std::endian::big>(); }
  /// Big-endian 64 bits.
  std::uint64_t u64_be() noexcept { return read<std::uint64_t, std::endian::big>(); }
  /// One signed byte.
  std::int8_t i8() noexcept { return read<std::int8_t>(); }
  /// Little-endian signed 16 bits.
  std::int16_t i16_le() noexcept { return read<std::int16_t>(); }
  /// Little-endian signed 32 bits.
  std::int32_t i32_le() noexcept { return read<std::int32_t>(); }
  /// Little-endian signed 64 bits.
  std::int64_t i64_le() noexcept { return read<std::int64_t>(); }
  /// Big-endian signed 16 bits.
  std::int16_t i16_be() noexcept { return read<std::int16_t, std::endian::big>(); }
  /// Big-endian signed 32 bits.
  std::int32_t i32_be() noexcept { return read<std::int32_t, std::endian::big>(); }
  /// Big-endian signed 64 bits.
  std::int64_t i64_be() noexcept { return read<std::int64_t, std::endian::big>(); }
  /// IEEE 754 binary32, little endian.
  float f32_le() noexcept { return read<float>(); }
  /// IEEE 754 binary64, little endian.
  double f64_le() noexcept { return read<double>(); }
  /// IEEE 754 binary32, big endian.
  float f32_be() noexcept { return read<float, std::endian::big>(); }
  /// IEEE 754 binary64, big endian.
  double f64_be() noexcept { return read<double, std::endian::big>(); }

  // --- varints ------------------------------------------------------------------
  /// An unsigned LEB128 varint (up to 64 bits); 0 on error.
  std::uint64_t varint() noexcept { return take(decode_here(), read_error::none); }
  /// A varint whose value must fit 32 bits (overflow otherwise).
  std::uint32_t varint32() noexcept {
    const auto r = decode_here();
    if (r && r.value > 0xffffffffu) return static_cast<std::uint32_t>(take(r, read_error::overflow));
    return static_cast<std::uint32_t>(take(r, read_error::none));
  }
  /// A zigzag varint (protobuf sint64).
  std::int64_t zigzag() noexcept { return encoding::zigzag_decode(varint()); }
  /// A zigzag varint of a 32-bit value (protobuf sint32).
  std::int32_t zigzag32() noexcept { return encoding::zigzag_decode32(varint32()); }
  /// varint() without the sticky error.
  result<std::uint64_t, read_error> try_varint() noexcept {
    if (!ok()) return result<std::uint64_t, read_error>::failure(m_error);
    const auto r = decode_here();
    if (!r) return result<std::uint64_t, read_error>::failure(to_read_error(r.error));
    m_pos += r.size;
    return r.value;
  }
  /// zigzag() without the sticky error.
  result<std::int64_t, read_error> try_zigzag() noexcept {
    const auto r = try_varint();
    if (!r) return result<std::int64_t, read_error>::failure(r.error());
    return encoding::zigzag_decode(*r);
  }

  // --- views ----------------------------------------------------------------------
  /// The next n bytes as a view into the input (empty on error).
  std::string_view string(std::size_t n) noexcept {
    if (m_limit - m_pos < n) [[unlikely]] {
      fail(read_error::truncated);
      return {};
    }
    const std::string_view s(m_data + m_pos, n);
    m_pos += n;
    return s;
  }
  /// The next n bytes as bytes.
  std::span<const std::byte> bytes(std::size_t n) noexcept {
    const std::string_view s = string(n);
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
  }
  /// string() without the sticky error.
  result<std::string_view, read_error> try_string(std::size_t n) noexcept {
    if (m_limit - m_pos < n) [[unlikely]]
      return result<std::string_view, read_error>::failure(ok() ? read_error::truncated : m_error);
    const std::string_view s(m_data + m_pos, n);
    m_pos += n;
    return s;
  }
  /// Skips n bytes; false (and the error set, nothing skipped) when fewer are left.
  bool skip(std::size_t n) noexcept {
    if (m_limit - m_pos < n) [[unlikely]] {
      fail(read_error::truncated);
      return false;
    }
    m_pos += n;
    return true;
  }

  /// The next line without its "\n" or "\r\n"; the last line may lack the
  /// newline. Nothing (and no error) once the input is used up or after an
  /// error: `while (auto l = r.line())`. The newline is found with the SIMD
  /// byte kernels. O(line length).
  std::optional<std::string_view> line() noexcept {
    if (m_pos == m_limit) return std::nullopt;
    const char* p = m_data + m_pos;
    const std::size_t n = m_limit - m_pos;
    std::size_t i =
        electron::detail::index_byte(electron::detail::kernel_arch{}, reinterpret_cast<const byte*>(p), n, byte{'\n'});
    std::size_t next = i + 1;
    if (i == npos) i = next = n;
    m_pos += next;
    if (i > 0 && p[i - 1] == '\r' && next != i) --i;
    return std::string_view(p, i);
  }
  /// The bytes up to the next `delim`, which is consumed too. When delim is
  /// not in the rest, nothing (no error, nothing consumed). O(field length).
  std::optional<std::string_view> until(char delim) noexcept {
    const char* p = m_data + m_pos;
    const std::size_t i = electron::detail::index_byte(
        electron::detail::kernel_arch{}, reinterpret_cast<const byte*>(p), m_limit - m_pos, static_cast<byte>(delim));
    if (i == npos) return std::nullopt;
    m_pos += i + 1;
    return std::string_view(p, i);
  }

 private:
  template <class T, std::endian E>
  static T load(const char* p) noexcept {
    using U = std::conditional_t<sizeof(T) == 1, std::uint8_t,
                                 std::conditional_t<sizeof(T) == 2, std::uint16_t,
                                                    std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
    U u;
    std::memcpy(&u, p, sizeof(U));
    if constexpr (sizeof(U) > 1 && E != std::endian::native) {
      if constexpr (sizeof(U) == 2) u = __builtin_bswap16(u);
      if constexpr (sizeof(U) == 4) u = __builtin_bswap32(u);
      if constexpr (sizeof(U) == 8) u = __builtin_bswap64(u);
    }
    return std::bit_cast<T>(u);
  }
  static_assert(static_cast<int>(read_error::non_canonical) ==
                    static_cast<int>(encoding::varint_error::non_canonical) &&
                static_cast<int>(read_error::truncated) == static_cast<int>(encoding::varint_error::truncated));
  static constexpr read_error to_read_error(encoding::varint_error e) noexcept {
    return static_cast<read_error>(static_cast<unsigned char>(e));
  }
  encoding::varint_result<std::uint64_t> decode_here() const noexcept {
    if (m_limit - m_pos >= 8) [[likely]]
      return encoding::detail::decode_wide(m_data + m_pos, m_limit - m_pos,
                                           m_varint_options != encoding::varint_options::none);
    if (m_limit == m_pos) return {0, 0, encoding::varint_error::truncated};
    return encoding::detail::decode_bytes(m_data + m_pos, m_limit - m_pos,
                                          m_varint_options != encoding::varint_options::none);
  }
  /// Consumes a decoded varint, or fails with its error (or `forced`).
  std::uint64_t take(const encoding::varint_result<std::uint64_t>& r, read_error forced) noexcept {
    if (!r || forced != read_error::none) [[unlikely]] {
      fail(forced != read_error::none ? forced : to_read_error(r.error));
      return 0;
    }
    m_pos += r.size;
    return r.value;
  }
  void fail(read_error e) noexcept {
    if (m_error == read_error::none) {
      m_error = e;
      m_error_offset = m_pos;
    }
    // Every later read sees no bytes left; remaining() still tells the truth.
    m_limit = m_pos;
  }

  const char* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_pos = 0;
  std::size_t m_limit = 0;  // m_size, or m_pos once a read failed
  std::size_t m_error_offset = 0;
  read_error m_error = read_error::none;
  encoding::varint_options m_varint_options = encoding::varint_options::none;
};

}  // namespace io
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_IO_READER_HPP
