// SPDX-License-Identifier: MIT
// electron/encoding/detail/json_escape.hpp: the string and byte kernels of
// json_writer: the copy of the bytes that need no escaping (a vector loop
// with a scalar SWAR twin), escapes, UTF-8 checking and base64.
//
// The copy kernels store whole vectors into the output and then report how
// many of the bytes were clean, so the caller must have 32 bytes of room past
// the input's length. They never read outside the input: the last partial
// vector is a masked load (AVX-512BW/VL) or goes through 8-byte words.
#ifndef ELECTRON_ENCODING_DETAIL_JSON_ESCAPE_HPP
#define ELECTRON_ENCODING_DETAIL_JSON_ESCAPE_HPP

#include "electron/config.hpp"
#include "electron/detail/byte_kernels.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

ELECTRON_BEGIN_NAMESPACE
namespace encoding {
namespace detail {

/// Bytes of slack the copy kernels may store past the clean bytes.
inline constexpr std::size_t json_copy_slack = 32;

/// A byte the string writer must look at: a control character, '"', '\\',
/// any byte >= 0x80 (UTF-8 is always checked), and the two bytes x1, x2
/// (the options' extra escapes: '/' for escape_slash, DEL for ensure_ascii;
/// '"' when unused).
constexpr bool json_needs_attention(byte c, byte x1, byte x2) noexcept {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || c == x1 || c == x2;
}

/// The extra bytes of json_needs_attention for a mode's options.
constexpr byte json_extra_escape_1(bool escape_slash) noexcept { return escape_slash ? byte{'/'} : byte{'"'}; }
/// See json_extra_escape_1.
constexpr byte json_extra_escape_2(bool ensure_ascii) noexcept { return ensure_ascii ? byte{0x7f} : byte{'"'}; }

/// Scalar twin: copies the clean prefix of p[0, n) to out 8 bytes at a time
/// (SWAR: a byte is < 0x20 when (x - 0x20) borrows into its high bit, equal
/// to c when x ^ c is zero) and returns its length.
inline std::size_t json_copy_clean_scalar(const byte* p, std::size_t n, char* out, byte x1, byte x2) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  constexpr std::uint64_t highs = 0x8080808080808080u;
  const auto has_zero = [](std::uint64_t x) noexcept { return (x - ones) & ~x & highs; };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    std::memcpy(out + i, &w, 8);
    // x < 0x20 for bytes without the high bit: (x - 0x20) & ~x has bit 7.
    std::uint64_t hit = ((w - ones * 0x20) & ~w) | w;
    hit |= has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'));
    hit |= has_zero(w ^ (ones * x1)) | has_zero(w ^ (ones * x2));
    hit &= highs;
    if (hit != 0) {
      // The borrow chains of the subtraction may mark bytes after the first
      // real hit, never before it: the lowest marked byte is exact.
      return i + static_cast<std::size_t>(std::countr_zero(hit) / 8);
    }
  }
  for (; i < n && !json_needs_attention(p[i], x1, x2); ++i) out[i] = static_cast<char>(p[i]);
  return i;
}

#if ELECTRON_SIMD_BYTE_KERNELS && ELECTRON_ARCH_X86 && defined(__AVX2__)
inline constexpr bool json_simd_copy = true;
/// AVX2: stores each 32-byte block, then stops at its first marked byte.
inline std::uint32_t json_attention_mask(__m256i v, __m256i x1, __m256i x2) noexcept {
  // v <= 0x1f unsigned <=> min(v, 0x1f) == v.
  __m256i hit = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v);
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(v, x1));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(v, x2));
  hit = _mm256_or_si256(hit, v);  // the high bit of bytes >= 0x80
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(hit));
}
ELECTRON_ALWAYS_INLINE std::size_t json_copy_clean_simd(const byte* p, std::size_t n, char* out, byte x1,
                                                        byte x2) noexcept {
  const __m256i v1 = _mm256_set1_epi8(static_cast<char>(x1));
  const __m256i v2 = _mm256_set1_epi8(static_cast<char>(x2));
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), v);
    const std::uint32_t m = json_attention_mask(v, v1, v2);
    if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m));
  }
  const std::size_t rest = n - i;
  if (rest == 0) return n;
#if defined(__AVX512BW__) && defined(__AVX512VL__)
  // A masked load reads only the bytes in range (no fault past them).
  const std::uint32_t lanes = (1u << rest) - 1u;
  const __m256i v = _mm256_maskz_loadu_epi8(lanes, p + i);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), v);
  const std::uint32_t m = json_attention_mask(v, v1, v2) & lanes;
  return m != 0 ? i + static_cast<std::size_t>(std::countr_zero(m)) : n;
#else
  // A padded copy on the stack would stall on store forwarding (a wide
  // load over narrow stores): words for the rest.
  return i + json_copy_clean_scalar(p + i, rest, out + i, x1, x2);
#endif
}
#elif ELECTRON_SIMD_BYTE_KERNELS && ELECTRON_ARCH_X86
inline constexpr bool json_simd_copy = true;
/// SSE2: the same with 16-byte blocks (v <= 0x1f unsigned <=> min == v).
inline std::uint32_t json_attention_mask(__m128i v, __m128i x1, __m128i x2) noexcept {
  __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, x1));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, x2));
  hit = _mm_or_si128(hit, v);
  return static_cast<std::uint32_t>(_mm_movemask_epi8(hit));
}
ELECTRON_ALWAYS_INLINE std::size_t json_copy_clean_simd(const byte* p, std::size_t n, char* out, byte x1,
                                                        byte x2) noexcept {
  const __m128i v1 = _mm_set1_epi8(static_cast<char>(x1));
  const __m128i v2 = _mm_set1_epi8(static_cast<char>(x2));
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), v);
    const std::uint32_t m = json_attention_mask(v, v1, v2);
    if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m));
  }
  return i + json_copy_clean_scalar(p + i, n - i, out + i, x1, x2);
}
#else
inline constexpr bool json_simd_copy = false;
/// No vector kernel on this target: the scalar twin.
ELECTRON_ALWAYS_INLINE std::size_t json_copy_clean_simd(const byte* p, std::size_t n, char* out, byte x1,
                                                        byte x2) noexcept {
  return json_copy_clean_scalar(p, n, out, x1, x2);
}
#endif

/// Length of the well-formed UTF-8 sequence at p (p < end, *p >= 0x80), or,
/// negated, the length of its maximal ill-formed subpart, which is replaced
/// by one U+FFFD (Unicode 15, section 3.9, "U+FFFD Substitution of Maximal
/// Subparts", and its Table 3-7 of well-formed byte sequences).
constexpr int json_utf8_sequence(const byte* p, const byte* end) noexcept {
  const byte lead = p[0];
  int need;
  byte lo = 0x80, hi = 0xbf;
  if (lead < 0xc2) return -1;
  if (lead <= 0xdf) {
    need = 1;
  } else if (lead <= 0xef) {
    need = 2;
    if (lead == 0xe0) lo = 0xa0;
    if (lead == 0xed) hi = 0x9f;
  } else if (lead <= 0xf4) {
    need = 3;
    if (lead == 0xf0) lo = 0x90;
    if (lead == 0xf4) hi = 0x8f;
  } else {
    return -1;
  }
  if (end - p < 2 || p[1] < lo || p[1] > hi) return -1;
  for (int j = 2; j <= need; ++j) {
    if (end - p <= j || (p[j] & 0xc0) != 0x80) return -j;
  }
  return need + 1;
}

/// True when p[0, n) is well-formed UTF-8.
inline bool json_utf8_valid(const byte* p, std::size_t n) noexcept {
  const byte* end = p + n;
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080u) == 0) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const int len = json_utf8_sequence(p, end);
    if (len < 0) return false;
    p += len;
  }
  return true;
}

inline constexpr char json_hex_digits[] = "0123456789abcdef";

/// Writes \uXXXX (lowercase hex, as JSON.stringify and Python write it).
inline char* json_write_u_escape(char* out, std::uint32_t u) noexcept {
  out[0] = '\\';
  out[1] = 'u';
  out[2] = json_hex_digits[(u >> 12) & 0xf];
  out[3] = json_hex_digits[(u >> 8) & 0xf];
  out[4] = json_hex_digits[(u >> 4) & 0xf];
  out[5] = json_hex_digits[u & 0xf];
  return out + 6;
}

/// The escape of an ASCII byte that needs one: the two-character forms of
/// RFC 8259 section 7 (\" \\ \/ \b \f \n \r \t), \u00XX for the other
/// control characters and DEL.
inline char* json_write_ascii_escape(char* out, byte c) noexcept {
  char second = 0;
  switch (c) {
    case '"':
      second = '"';
      break;
    case '\\':
      second = '\\';
      break;
    case '/':
      second = '/';
      break;
    case '\b':
      second = 'b';
      break;
    case '\f':
      second = 'f';
      break;
    case '\n':
      second = 'n';
      break;
    case '\r':
      second = 'r';
      break;
    case '\t':
      second = 't';
      break;
    default:
      return json_write_u_escape(out, c);
  }
  out[0] = '\\';
  out[1] = second;
  return out + 2;
}

/// How the string body is escaped (json_options, flattened).
struct json_string_mode {
  bool escape_slash = false;
  bool escape_line_separators = false;
  bool ensure_ascii = false;
  bool fail_invalid = false;
};

/// Most output bytes per input byte: a control character becomes \u00XX.
inline constexpr std::size_t json_max_expansion = 6;

/// Writes the escaped body (no quotes) of p[0, n) at out, which has room for
/// json_max_expansion * n + json_copy_slack bytes. Returns the end, or
/// nullptr when the input is not UTF-8 and mode.fail_invalid (what was
/// written at out is then garbage). Simd picks the vector copy kernel.
template <bool Simd>
inline char* json_escape_body(const byte* p, std::size_t n, char* out, const json_string_mode& mode) noexcept {
  const byte* const end = p + n;
  const byte x1 = json_extra_escape_1(mode.escape_slash);
  const byte x2 = json_extra_escape_2(mode.ensure_ascii);
  for (;;) {
    const std::size_t left = static_cast<std::size_t>(end - p);
    const std::size_t k =
        Simd ? json_copy_clean_simd(p, left, out, x1, x2) : json_copy_clean_scalar(p, left, out, x1, x2);
    p += k;
    out += k;
    if (p == end) return out;
    if (*p < 0x80) {
      out = json_write_ascii_escape(out, *p);
      ++p;
      continue;
    }
    // A run of non-ASCII characters (the text of most non-Latin scripts)
    // stays in this loop rather than going back to the vector kernel.
    const bool raw_copy = !mode.ensure_ascii && !mode.escape_line_separators;
    do {
      if (raw_copy && end - p >= 4) {
        // Well-formed 2- and 3-byte sequences (most non-Latin text) checked
        // from one word and copied as they are.
        std::uint32_t w;
        std::memcpy(&w, p, 4);
        if constexpr (std::endian::native == std::endian::little) {
          if ((w & 0x00c0c0f0u) == 0x008080e0u) {
            const std::uint32_t cp = (w & 0x0fu) << 12 | ((w >> 8) & 0x3fu) << 6 | ((w >> 16) & 0x3fu);
            if (cp >= 0x800 && (cp & 0xf800u) != 0xd800u) {
              std::memcpy(out, &w, 4);
              out += 3;
              p += 3;
              continue;
            }
          } else if ((w & 0xc0e0u) == 0x80c0u && (w & 0x1eu) != 0) {
            std::memcpy(out, &w, 4);
            out += 2;
            p += 2;
            continue;
          }
        }
      }
      const int len = json_utf8_sequence(p, end);
      if (len < 0) {
        if (mode.fail_invalid) return nullptr;
        if (mode.ensure_ascii) {
          out = json_write_u_escape(out, 0xfffd);
        } else {
          out[0] = static_cast<char>(0xef);
          out[1] = static_cast<char>(0xbf);
          out[2] = static_cast<char>(0xbd);
          out += 3;
        }
        p += -len;
        continue;
      }
      if (mode.ensure_ascii) {
        std::uint32_t cp;
        if (len == 2) {
          cp = (std::uint32_t{p[0]} & 0x1fu) << 6 | (p[1] & 0x3fu);
        } else if (len == 3) {
          cp = (std::uint32_t{p[0]} & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
        } else {
          cp = (std::uint32_t{p[0]} & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
        }
        if (cp >= 0x10000) {
          // UTF-16 surrogate pair (RFC 8259 section 7).
          cp -= 0x10000;
          out = json_write_u_escape(out, 0xd800 + (cp >> 10));
          out = json_write_u_escape(out, 0xdc00 + (cp & 0x3ff));
        } else {
          out = json_write_u_escape(out, cp);
        }
      } else if (mode.escape_line_separators && len == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] & 0xfe) == 0xa8) {
        out = json_write_u_escape(out, 0x2000u + p[2] - 0x80u);  // U+2028, U+2029
      } else {
        out[0] = static_cast<char>(p[0]);
        out[1] = static_cast<char>(p[1]);
        if (len > 2) out[2] = static_cast<char>(p[2]);
        if (len > 3) out[3] = static_cast<char>(p[3]);
        out += len;
      }
      p += len;
    } while (p < end && *p >= 0x80);
  }
}

/// Where to cut a long string at or before `cut` (0 < cut < n) so that no
/// UTF-8 sequence, nor maximal ill-formed subpart, spans the cut: before a
/// byte that is not a continuation byte, or at `cut` itself when the four
/// bytes up to it are all continuation bytes (no sequence reaches it then).
inline std::size_t json_utf8_cut(const byte* p, std::size_t cut) noexcept {
  std::size_t c = cut;
  while (c + 4 > cut && c > 0 && (p[c] & 0xc0) == 0x80) --c;
  if ((p[c] & 0xc0) == 0x80 || c == 0) return cut;
  return c;
}

inline constexpr char json_base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 of p[0, n) (RFC 4648 section 4: standard alphabet, '=' padding)
/// at out, which has room for 4 * ceil(n / 3) bytes. Returns the end.
inline char* json_base64(const byte* p, std::size_t n, char* out) noexcept {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16 | std::uint32_t{p[i + 1]} << 8 | p[i + 2];
    out[0] = json_base64_alphabet[v >> 18];
    out[1] = json_base64_alphabet[(v >> 12) & 63];
    out[2] = json_base64_alphabet[(v >> 6) & 63];
    out[3] = json_base64_alphabet[v & 63];
    out += 4;
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16;
    out[0] = json_base64_alphabet[v >> 18];
    out[1] = json_base64_alphabet[(v >> 12) & 63];
    out[2] = '=';
    out[3] = '=';
    out += 4;
  } else if (n - i == 2) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16 | std::uint32_t{p[i + 1]} << 8;
    out[0] = json_base64_alphabet[v >> 18];
    out[1] = json_base64_alphabet[(v >> 12) & 63];
    out[2] = json_base64_alphabet[(v >> 6) & 63];
    out[3] = '=';
    out += 4;
  }
  return out;
}

}  // namespace detail
}  // namespace encoding
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ENCODING_DETAIL_JSON_ESCAPE_HPP
