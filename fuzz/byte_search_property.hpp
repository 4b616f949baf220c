// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/simd_test.cpp (fuzz_bytes) and
// fuzz/byte_search_fuzz.cpp (libFuzzer): the byte searches of electron::simd
// (find, contains, index_byte, last_index_byte, count, equal) and electron::strings
// (index_any, contains_any) against std::string_view and <algorithm>.
//
// Layout of the input: [needle][set][align][where] header bytes, then the
// needle (unless it is cut from the haystack) and the set, then the haystack.
//   needle: bits 0-5 its length (0-63); bits 6-7 where it comes from:
//           0, 1 the input, 2 the haystack at where/256 of its length,
//           3 the same with its middle byte changed (passes a first/last-byte
//           filter, then fails).
//   set:    its size, modulo 24 (up to 8 bytes take the vector path, more
//           the 256-bit table).
//   align:  offsets of the haystack (bits 0-2), the needle (3-5) and a
//           second haystack copy (6-7).
// Every piece is copied to the end of its own allocation, so a read past
// it is caught by ASan.
#ifndef ELECTRON_FUZZ_BYTE_SEARCH_PROPERTY_HPP
#define ELECTRON_FUZZ_BYTE_SEARCH_PROPERTY_HPP

#include "electron/simd.hpp"
#include "electron/strings.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace electron_fuzz {

/// A copy of s ending at the end of its own allocation, starting `offset`
/// bytes into it (for alignments).
class exact_copy {
 public:
  exact_copy(std::string_view s, std::size_t offset) : m_buf(offset + s.size()), m_offset(offset) {
    s.copy(m_buf.data() + offset, s.size());
  }
  [[nodiscard]] std::string_view view() const noexcept { return {m_buf.data() + m_offset, m_buf.size() - m_offset}; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept {
    return std::as_bytes(std::span<const char>(m_buf.data() + m_offset, m_buf.size() - m_offset));
  }

 private:
  std::vector<char> m_buf;
  std::size_t m_offset;
};

/// True when every search agrees with std on the input's haystack, needle and set.
inline bool byte_search_property(std::span<const std::byte> data) {
  std::size_t pc = 0;
  auto next = [&]() -> std::uint8_t { return pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0; };
  const std::string_view all(reinterpret_cast<const char*>(data.data()), data.size());
  auto take = [&](std::size_t n) {
    const std::string_view s = all.substr(std::min(pc, all.size()), n);
    pc += s.size();
    return s;
  };
  const std::uint8_t needle_byte = next(), set_byte = next(), align = next(), where = next();
  const std::size_t m = needle_byte & 63;
  const unsigned source = needle_byte >> 6;
  std::string_view needle_in = source < 2 ? take(m) : std::string_view{};
  const std::string_view set_in = take(set_byte % 24u);
  const std::string_view hay_in = all.substr(std::min(pc, all.size()));
  std::string cut;
  if (source >= 2 && !hay_in.empty()) {
    cut = std::string(hay_in.substr(static_cast<std::size_t>(where) * hay_in.size() / 256, m));
    if (source == 3 && cut.size() >= 3) cut[cut.size() / 2] = static_cast<char>(~cut[cut.size() / 2]);
    needle_in = cut;
  }

  const exact_copy hay_copy(hay_in, align & 7), needle_copy(needle_in, (align >> 3) & 7), set_copy(set_in, 0);
  const exact_copy hay_again(hay_in, (align >> 6) + 1);  // another alignment, for equal()
  const std::string_view hay = hay_copy.view(), needle = needle_copy.view(), set = set_copy.view();

  namespace es = electron::simd;
  namespace st = electron::strings;
  auto same = [](std::size_t got, std::size_t want) {
    return want == std::string_view::npos ? got == electron::npos : got == want;
  };

  const std::size_t at = hay.find(needle);
  if (!same(es::find(hay, needle), at) || !same(es::find(hay_copy.bytes(), needle_copy.bytes()), at)) return false;
  if (es::contains(hay, needle) != (at != std::string_view::npos)) return false;
  if (es::contains(hay_copy.bytes(), needle_copy.bytes()) != (at != std::string_view::npos)) return false;

  // One byte that may be absent (the needle's first) and one that is present
  // (the haystack's last, found at its first occurrence, maybe in the tail,
  // and by last_index_byte at the very end).
  const char probes[2] = {needle.empty() ? static_cast<char>(where) : needle.front(), hay.empty() ? '\0' : hay.back()};
  for (const char c : probes) {
    if (!same(es::index_byte(hay, c), hay.find(c))) return false;
    if (!same(es::index_byte(hay_copy.bytes(), static_cast<std::byte>(c)), hay.find(c))) return false;
    if (!same(es::last_index_byte(hay, c), hay.rfind(c))) return false;
    if (!same(es::last_index_byte(hay_copy.bytes(), static_cast<std::byte>(c)), hay.rfind(c))) return false;
    const auto n = static_cast<std::size_t>(std::count(hay.begin(), hay.end(), c));
    if (es::count(hay, c) != n || es::count(hay_copy.bytes(), static_cast<std::byte>(c)) != n) return false;
  }

  if (!es::equal(hay, hay_again.view()) || !es::equal(hay_copy.bytes(), hay_again.bytes())) return false;
  const std::string_view head = hay.substr(0, needle.size());
  if (es::equal(head, needle) != (head == needle)) return false;

  const std::size_t any = hay.find_first_of(set);
  if (!same(st::index_any(hay, set), any)) return false;
  return st::contains_any(hay, set) == (any != std::string_view::npos);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_BYTE_SEARCH_PROPERTY_HPP
