// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/bits_test.cpp (fuzz_bytes) and
// fuzz/bitset_fuzz.cpp (libFuzzer): the bytes are a program of bitset
// operations, run on electron::bits::bitset and on a std::vector<bool> model;
// every observer must agree after every step.
#ifndef ELECTRON_FUZZ_BITSET_PROPERTY_HPP
#define ELECTRON_FUZZ_BITSET_PROPERTY_HPP

#include "electron/bits.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace electron_fuzz {

inline bool bitset_matches(const electron::bits::bitset& b, const std::vector<bool>& m) {
  using electron::bits::bitset;
  if (b.size() != m.size()) return false;
  std::size_t count = 0, first = bitset::npos, last = bitset::npos;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (b.test(i) != m[i]) return false;
    if (m[i]) {
      ++count;
      if (first == bitset::npos) first = i;
      last = i;
    }
  }
  if (b.count() != count || b.any() != (count > 0) || b.none() != (count == 0) || b.all() != (count == m.size())) {
    return false;
  }
  if (b.find_first_set() != first || b.find_last_set() != last) return false;
  // Walk with find_next_set and with the range; both must visit exactly the ones.
  std::size_t seen = 0;
  for (std::size_t i = first; i != bitset::npos; i = b.find_next_set(i)) {
    if (!m[i]) return false;
    ++seen;
  }
  if (seen != count) return false;
  seen = 0;
  std::size_t prev = 0;
  for (std::size_t i : b.set_bits()) {
    if (i >= m.size() || !m[i] || (seen > 0 && i <= prev)) return false;
    prev = i;
    ++seen;
  }
  return seen == count;
}

/// Interprets `data` as operations; true when bitset and model always agree.
inline bool bitset_ops_property(std::span<const std::byte> data) {
  electron::bits::bitset b, other;
  std::vector<bool> m, om;
  std::size_t pc = 0;
  auto next = [&]() -> std::uint8_t { return pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0; };
  auto index = [&](std::size_t size) -> std::size_t {
    const std::size_t raw = static_cast<std::size_t>(next()) | (static_cast<std::size_t>(next()) << 8);
    return size == 0 ? 0 : raw % size;
  };
  while (pc < data.size()) {
    const std::uint8_t op = next() % 12;
    switch (op) {
      case 0: {  // resize
        const std::size_t n = index(600);
        const bool v = (next() & 1) != 0;
        b.resize(n, v);
        m.resize(n, v);
        break;
      }
      case 1:
      case 2:
      case 3: {  // set / clear / flip one bit
        if (m.empty()) break;
        const std::size_t i = index(m.size());
        if (op == 1) b.set(i), m[i] = true;
        if (op == 2) b.clear(i), m[i] = false;
        if (op == 3) b.flip(i), m[i] = !m[i];
        break;
      }
      case 4:
        b.push_back((next() & 1) != 0);
        m.push_back(b.test(b.size() - 1));
        break;
      case 5:
        b.set();
        m.assign(m.size(), true);
        break;
      case 6:
        b.flip();
        m.flip();
        break;
      case 7: {  // make the other operand
        const std::size_t n = index(600);
        other = electron::bits::bitset(n);
        om.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) {
          if ((next() & 3) == 0) other.set(i), om[i] = true;
        }
        break;
      }
      case 8:
      case 9:
      case 10:
      case 11: {  // & | ^ and_not with zero extension
        const std::size_t n = m.size() > om.size() ? m.size() : om.size();
        m.resize(n, false);
        for (std::size_t i = 0; i < n; ++i) {
          const bool x = m[i], y = i < om.size() && om[i];
          m[i] = op == 8 ? (x && y) : op == 9 ? (x || y) : op == 10 ? (x != y) : (x && !y);
        }
        if (op == 8) b &= other;
        if (op == 9) b |= other;
        if (op == 10) b ^= other;
        if (op == 11) b.and_not(other);
        break;
      }
      default:
        break;
    }
    if (!bitset_matches(b, m)) return false;
  }
  return true;
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_BITSET_PROPERTY_HPP
