// SPDX-License-Identifier: MIT
// A property over strings, shared by tests/parse_int_test.cpp (fuzz_string)
// and fuzz/parse_int_fuzz.cpp (libFuzzer): parse_int / parse_uint /
// format_int / int_chars against std::from_chars and std::to_chars, for
// every standard integer type and base.
//
// Layout: [type and options][base][text...]. Byte 0: bits 0-2 the type
// (int8 ... uint64), bit 3 allow_plus, bit 4 maps the text onto a small
// alphabet of digits, signs, prefix letters and separators (so that most
// inputs are nearly numbers), bits 5-7 how much of the buffer is kept for
// formatting. Byte 1: the base (0 and 2..36 mostly, sometimes an invalid one).
//
// The reference for the digits is std::from_chars on the text after the
// sign and prefix (which it does not know), on a 64-bit magnitude; then
// Electron's result must have the same ptr, error and value. Where the
// grammar is std::from_chars' own (no '+', base 2..36), the result is also
// compared with std::from_chars<T> directly.
#ifndef ELECTRON_FUZZ_PARSE_INT_PROPERTY_HPP
#define ELECTRON_FUZZ_PARSE_INT_PROPERTY_HPP

#include "electron/parse/int.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace electron_fuzz {
namespace parse_int_model {

template <class T>
struct outcome {
  T value;
  const char* ptr;
  std::errc ec;
};

inline unsigned digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'z') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'Z') return static_cast<unsigned>(c - 'A' + 10);
  return 99;
}

/// The documented grammar (int.hpp), with std::from_chars for the digits.
template <class T>
outcome<T> parse(const char* first, const char* last, int base, bool allow_plus) {
  const outcome<T> invalid{T{}, first, std::errc::invalid_argument};
  if (base < 0 || base == 1 || base > 36) return invalid;
  const char* p = first;
  bool negative = false;
  if (p != last && *p == '-') {
    if (std::is_unsigned_v<T>) return invalid;
    negative = true;
    ++p;
  } else if (p != last && *p == '+' && allow_plus) {
    ++p;
  }
  if (base == 0) {
    base = 10;
    if (last - p >= 3 && p[0] == '0') {
      const int b = (p[1] == 'x' || p[1] == 'X')   ? 16
                    : (p[1] == 'b' || p[1] == 'B') ? 2
                    : (p[1] == 'o' || p[1] == 'O') ? 8
                                                   : 0;
      if (b != 0 && digit(p[2]) < static_cast<unsigned>(b)) {
        base = b;
        p += 2;
      }
    }
  }
  // from_chars would take a '-' here; the grammar has one sign at most.
  if (p == last || digit(*p) >= static_cast<unsigned>(base)) return invalid;
  std::uint64_t magnitude = 0;
  const auto r = std::from_chars(p, last, magnitude, base);
  if (r.ec == std::errc::invalid_argument) return invalid;
  using U = std::make_unsigned_t<T>;
  const std::uint64_t limit = std::uint64_t{static_cast<U>(std::numeric_limits<T>::max())} + (negative ? 1 : 0);
  if (r.ec == std::errc::result_out_of_range || magnitude > limit) return {T{}, r.ptr, std::errc::result_out_of_range};
  const auto m = static_cast<U>(magnitude);
  return {static_cast<T>(negative ? static_cast<U>(U{0} - m) : m), r.ptr, std::errc{}};
}

template <class T>
bool same(const electron::parse::parse_result<T>& got, const outcome<T>& want) {
  return got.value == want.value && got.ptr == want.ptr && got.ec == want.ec;
}

/// One type: parse (both forms), compare; then format a value taken from
/// the text's bytes in the chosen base and compare with std::to_chars.
template <class T>
bool check(std::string_view text, int base, bool allow_plus, unsigned room_code) {
  namespace ep = electron::parse;
  const auto options = allow_plus ? ep::number_options::allow_plus : ep::number_options::none;
  // The text alone in an allocation of its size: a read past it is caught by ASan.
  std::vector<char> buf(text.begin(), text.end());
  const char* first = buf.data();
  const char* last = first + buf.size();

  const outcome<T> want = parse<T>(first, last, base, allow_plus);
  if (!same(ep::parse_int<T>(first, last, base, options), want)) return false;
  if constexpr (std::is_unsigned_v<T>) {
    if (!same(ep::parse_uint<T>(first, last, base, options), want)) return false;
  }
  // The whole-string form: the same, unless something is left over.
  outcome<T> whole = want;
  if (want.ec != std::errc::invalid_argument && want.ptr != last) whole = {T{}, want.ptr, std::errc::invalid_argument};
  if (!same(ep::parse_int<T>(std::string_view(first, buf.size()), base, options), whole)) return false;
  // Where the grammar is std::from_chars' own, std::from_chars itself.
  if (base >= 2 && base <= 36 && !(allow_plus && first != last && *first == '+')) {
    T v{};
    const auto r = std::from_chars(first, last, v, base);
    const auto got = ep::parse_int<T>(first, last, base, options);
    if (got.ptr != r.ptr || got.ec != r.ec || (r.ec == std::errc{} && got.value != v)) return false;
  }

  // Formatting: a value from the text's bytes, in a base 2..36.
  std::uint64_t bits = 0;
  if (!text.empty()) std::memcpy(&bits, text.data(), text.size() < 8 ? text.size() : 8);
  bits >>= (room_code * 9) % 64;  // short values too
  const T value = static_cast<T>(bits);
  const int fbase = 2 + (base < 0 ? -base : base) % 35;
  char ref[80];
  const auto rr = std::to_chars(ref, ref + sizeof ref, value, fbase);
  const std::string_view expect(ref, static_cast<std::size_t>(rr.ptr - ref));
  if (ep::int_chars(value, fbase).view() != expect) return false;
  // A buffer of exactly `room` bytes: too short (by 1 or more) or enough.
  const std::size_t room =
      room_code == 7 ? expect.size() + 3 : expect.size() - (room_code < expect.size() ? room_code : expect.size());
  std::vector<char> out(room);
  const auto fr = ep::format_int(out.data(), out.data() + out.size(), value, fbase);
  if (room < expect.size()) {
    if (fr.ec != std::errc::value_too_large || fr.ptr != out.data() + out.size()) return false;
  } else {
    if (fr.ec != std::errc{} || std::string_view(out.data(), static_cast<std::size_t>(fr.ptr - out.data())) != expect)
      return false;
    // And back.
    const auto back = ep::parse_int<T>(std::string_view(out.data(), expect.size()), fbase);
    if (!back || back.value != value) return false;
  }
  return true;
}

}  // namespace parse_int_model

/// Holds when every parse and format agrees with the references (see the top).
inline bool parse_int_property(std::string_view in) {
  namespace model = parse_int_model;
  if (in.size() < 2) return model::check<int>(in, 10, false, 0);
  const auto head = static_cast<unsigned char>(in[0]);
  const auto base_byte = static_cast<unsigned char>(in[1]);
  // Mostly 0 and 2..36; a few invalid ones (1, 37, -1).
  const int base = base_byte < 240 ? (base_byte % 37 == 1 ? 0 : base_byte % 37)
                                   : (base_byte < 245   ? 1
                                      : base_byte < 250 ? 37
                                                        : -1);
  std::string text(in.substr(2));
  if ((head & 0x10) != 0) {
    static constexpr char alphabet[] = "0123456789000000111199999+-xXbBoOaAfFzZ_. ";
    for (char& c : text) c = alphabet[static_cast<unsigned char>(c) % (sizeof alphabet - 1)];
  }
  const bool plus = (head & 0x08) != 0;
  const unsigned room = head >> 5;
  switch (head & 7) {
    case 0:
      return model::check<signed char>(text, base, plus, room);
    case 1:
      return model::check<unsigned char>(text, base, plus, room);
    case 2:
      return model::check<short>(text, base, plus, room);
    case 3:
      return model::check<unsigned short>(text, base, plus, room);
    case 4:
      return model::check<int>(text, base, plus, room) && model::check<long>(text, base, plus, room);
    case 5:
      return model::check<unsigned>(text, base, plus, room) && model::check<unsigned long>(text, base, plus, room);
    case 6:
      return model::check<long long>(text, base, plus, room);
    default:
      return model::check<unsigned long long>(text, base, plus, room);
  }
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_PARSE_INT_PROPERTY_HPP
