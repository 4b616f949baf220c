// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/strings_test.cpp (fuzz_bytes) and
// fuzz/equal_fold_fuzz.cpp (libFuzzer): strings::equal_fold against a model
// that decodes both strings completely, then compares them unit by unit.
//
// The model follows the documented contract (strings.hpp, docs/strings.md,
// ADR 0010), not the implementation: a string is a sequence of units, each
// either a code point (a valid UTF-8 sequence: no overlong form, no
// surrogate, nothing above U+10FFFF, no truncation) or a single byte that
// does not start one. Two strings are equal when they have as many units
// and unit i of each is either two code points with the same simple case
// folding, or two invalid bytes with the same value. The model's decoder is
// its own (leading-ones count, then range checks), and it folds with a map
// built from the case-folding data, so the implementation's decoder, its
// binary search and its ASCII fast paths are all under test. Most pairs are
// made by rewriting one string into a variant (see variant()), so equal
// pairs and near misses are common.
#ifndef ELECTRON_FUZZ_EQUAL_FOLD_PROPERTY_HPP
#define ELECTRON_FUZZ_EQUAL_FOLD_PROPERTY_HPP

#include "electron/strings.hpp"
#include "electron/strings/detail/casefold_table.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace electron_fuzz {
namespace equal_fold_model {

/// A decoded unit: a code point, or one byte that starts no valid sequence.
struct unit {
  bool valid;
  char32_t value;
};

inline std::vector<unit> decode(std::string_view s) {
  std::vector<unit> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const int ones = std::countl_one(lead);
    // 0 leading ones: ASCII; 2, 3, 4: a lead byte of that many bytes;
    // 1 (a continuation byte) or 5+ (0xF8..0xFF): never a lead.
    const std::size_t len = ones == 0 ? 1 : (ones >= 2 && ones <= 4) ? static_cast<std::size_t>(ones) : 0;
    bool ok = len != 0 && len <= s.size() - i;
    char32_t c = ones == 0 ? lead : static_cast<char32_t>(lead & (0x7Fu >> ones));
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0u) == 0x80u;
      c = (c << 6) | (b & 0x3Fu);
    }
    if (ok) {
      // The shortest form only; no UTF-16 surrogates; at most U+10FFFF.
      constexpr char32_t smallest[5] = {0, 0, 0x80, 0x800, 0x10000};
      ok = c >= smallest[len] && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
    }
    if (ok) {
      out.push_back({true, c});
      i += len;
    } else {
      out.push_back({false, lead});
      i += 1;
    }
  }
  return out;
}

/// Appends c in `len` bytes (1-4); more bytes than c needs make an overlong
/// form, which is invalid UTF-8.
inline void encode(char32_t c, std::size_t len, std::string& out) {
  if (len == 1) {
    out += static_cast<char>(c);
    return;
  }
  constexpr unsigned lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
  out += static_cast<char>(lead[len] | (c >> (6 * (len - 1))));
  for (std::size_t k = len - 1; k-- > 0;) out += static_cast<char>(0x80 | ((c >> (6 * k)) & 0x3F));
}

inline std::size_t encoded_size(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

/// Simple case folding as maps: code point -> folded, and folded -> every
/// code point that folds to it (itself included), to make case variants.
struct fold_maps {
  std::unordered_map<char32_t, char32_t> fold;
  std::unordered_map<char32_t, std::vector<char32_t>> orbit;
};

inline const fold_maps& folds() {
  static const fold_maps maps = [] {
    fold_maps m;
    for (const auto& p : electron::strings::detail::fold_table) {
      m.fold.emplace(p.from, p.to);
      auto& members = m.orbit[p.to];
      if (members.empty()) members.push_back(p.to);
      members.push_back(p.from);
    }
    return m;
  }();
  return maps;
}

inline char32_t fold(char32_t c) {
  const auto& f = folds().fold;
  const auto it = f.find(c);
  return it == f.end() ? c : it->second;
}

inline bool equal_fold(std::string_view a, std::string_view b) {
  const std::vector<unit> x = decode(a), y = decode(b);
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i].valid != y[i].valid) return false;
    if (x[i].valid ? fold(x[i].value) != fold(y[i].value) : x[i].value != y[i].value) return false;
  }
  return true;
}

/// What variant() does with a code point, from a choice byte.
inline constexpr std::size_t orbit_choices = 0xE0;  // below: a member of its folding orbit
inline constexpr std::size_t flip_choices = 0xF0;   // below: ASCII XOR 0x20; then: overlong forms

/// A variant of s. Invalid bytes are kept; code point i becomes, by
/// choice(i): a member of its folding orbit (an equal string), or, for an
/// ASCII byte, itself XOR 0x20 (a case variant for letters, a near miss for
/// '@' '[' '\\' ']' '^' '_' and their partners), or the same code point in an
/// overlong form (invalid: never equal to the code point).
template <class Choice>
std::string variant(std::string_view s, Choice&& choice) {
  std::string out;
  std::size_t i = 0;
  for (const unit& u : decode(s)) {
    if (!u.valid) {
      out += static_cast<char>(u.value);
      continue;
    }
    const std::size_t pick = choice(i++) & 0xFF;
    const std::size_t size = encoded_size(u.value);
    if (pick >= flip_choices && size < 4) {
      encode(u.value, size + 1 + pick % (4 - size), out);
    } else if (pick >= orbit_choices && size == 1) {
      out += static_cast<char>(u.value ^ 0x20);
    } else {
      const auto& orbits = folds().orbit;
      const auto it = orbits.find(fold(u.value));
      const char32_t c = it == orbits.end() ? u.value : it->second[pick % it->second.size()];
      encode(c, encoded_size(c), out);
    }
  }
  return out;
}

}  // namespace equal_fold_model

/// Interprets `data` as two strings (see the layout below); true when
/// equal_fold agrees with the model on them, is symmetric and reflexive.
inline bool equal_fold_property(std::span<const std::byte> data) {
  namespace model = equal_fold_model;
  std::size_t pc = 0;
  auto next = [&]() -> std::uint8_t { return pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0; };
  // [mode (bits 0-2) and alignments (3-5: a, 6-7: b)][split] then the text.
  const std::uint8_t head = next();
  const std::uint8_t split_byte = next();
  const std::string_view rest(reinterpret_cast<const char*>(data.data()) + pc, data.size() - pc);
  const std::size_t split = rest.size() * split_byte / 255;
  std::string a(rest.substr(0, split)), b;
  const std::string_view choices = rest.substr(split);
  auto choice = [&](std::size_t i) -> std::size_t {
    return choices.empty() ? i : static_cast<unsigned char>(choices[i % choices.size()]);
  };
  switch (head & 7) {
    case 0:  // two unrelated strings
      b = std::string(choices);
      break;
    case 1:  // a variant: case changes, near misses, overlong forms
      b = model::variant(a, choice);
      break;
    case 2: {  // an equal variant, then one byte replaced, inserted, removed or XORed with 0x20
      b = model::variant(a, [&](std::size_t i) { return choice(i + 4) % model::orbit_choices; });
      const std::size_t at = b.empty() ? 0 : (choice(0) << 8 | choice(1)) % b.size();
      const auto c = static_cast<char>(choice(2));
      switch (choice(3) % 4) {
        case 0:
          if (!b.empty()) b[at] = c;
          break;
        case 1:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 2:
          if (!b.empty()) b.erase(at, 1);
          break;
        default:  // a case change for an ASCII letter, a near miss for anything else
          if (!b.empty()) b[at] = static_cast<char>(b[at] ^ 0x20);
          break;
      }
      break;
    }
    case 3:  // all the text, and an equal variant cycling through each orbit
      a = std::string(rest);
      b = model::variant(a, [](std::size_t i) { return i % model::orbit_choices; });
      break;
    default: {  // code points of the folding table (any of them, not only those
                // short inputs spell), with ASCII between, and a variant
      const auto& table = electron::strings::detail::fold_table;
      constexpr std::size_t entries = sizeof(table) / sizeof(table[0]);
      a.clear();
      for (std::size_t k = 0; k + 1 < rest.size(); k += 2) {
        const std::size_t pick = static_cast<std::size_t>(static_cast<unsigned char>(rest[k])) << 8 |
                                 static_cast<unsigned char>(rest[k + 1]);
        const std::size_t index = pick % (entries + 128);
        if (index >= entries) {
          a += static_cast<char>(index - entries);
        } else {
          const char32_t c = (pick & 0x8000) != 0 ? table[index].from : table[index].to;
          model::encode(c, model::encoded_size(c), a);
        }
      }
      b = model::variant(a, [](std::size_t i) { return (i * 5 + 1) % model::orbit_choices; });
      break;
    }
  }
  // Each string alone at the end of its own allocation (so a read past it is
  // caught by ASan), at an offset of 0-7 (a) or 0-3 (b) bytes.
  const std::size_t off_a = (head >> 3) & 7, off_b = head >> 6;
  std::vector<char> buf_a(off_a + a.size()), buf_b(off_b + b.size());
  a.copy(buf_a.data() + off_a, a.size());
  b.copy(buf_b.data() + off_b, b.size());
  const std::string_view sa(buf_a.data() + off_a, a.size()), sb(buf_b.data() + off_b, b.size());

  using electron::strings::equal_fold;
  const bool got = equal_fold(sa, sb);
  return got == model::equal_fold(sa, sb) && equal_fold(sb, sa) == got && equal_fold(sa, sa) && equal_fold(sb, sb);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_EQUAL_FOLD_PROPERTY_HPP
