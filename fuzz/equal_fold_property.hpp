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
// binary search and its ASCII fast paths are all under test.
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

inline void encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

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

/// A case variant of s: each code point replaced by a member of its folding
/// orbit picked by choice(i), invalid bytes kept.
template <class Choice>
std::string variant(std::string_view s, Choice&& choice) {
  std::string out;
  std::size_t i = 0;
  for (const unit& u : decode(s)) {
    if (!u.valid) {
      out += static_cast<char>(u.value);
      continue;
    }
    const auto& orbits = folds().orbit;
    const auto it = orbits.find(fold(u.value));
    const std::size_t pick = choice(i++);
    encode(it == orbits.end() ? u.value : it->second[pick % it->second.size()], out);
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
  // [mode and alignments][split] then the text.
  const std::uint8_t head = next();
  const std::uint8_t split_byte = next();
  const std::string_view rest(reinterpret_cast<const char*>(data.data()) + pc, data.size() - pc);
  const std::size_t split = rest.size() * split_byte / 255;
  std::string a(rest.substr(0, split)), b;
  const std::string_view choices = rest.substr(split);
  auto choice = [&](std::size_t i) -> std::size_t {
    return choices.empty() ? i : static_cast<unsigned char>(choices[i % choices.size()]);
  };
  switch (head & 3) {
    case 0:  // two unrelated strings
      b = std::string(choices);
      break;
    case 1:  // a case variant: equal unless the text has invalid bytes that differ
      b = model::variant(a, choice);
      break;
    case 2: {  // a case variant with one byte replaced, inserted or removed
      b = model::variant(a, [&](std::size_t i) { return choice(i + 3); });
      const std::size_t at = b.empty() ? 0 : choice(0) % b.size();
      const auto c = static_cast<char>(choice(1));
      switch (choice(2) % 3) {
        case 0:
          if (!b.empty()) b[at] = c;
          break;
        case 1:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (!b.empty()) b.erase(at, 1);
          break;
      }
      break;
    }
    default:  // all the text, and a variant cycling through each orbit
      a = std::string(rest);
      b = model::variant(a, [](std::size_t i) { return i; });
      break;
  }
  // Each string alone at the end of its own allocation (so a read past it is
  // caught by ASan), starting at one of 8 alignments.
  const std::size_t off_a = (head >> 2) & 7, off_b = (head >> 5) & 7;
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
