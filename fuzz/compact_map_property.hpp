// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/cache_map_test.cpp (fuzz_bytes) and
// fuzz/compact_map_fuzz.cpp (libFuzzer): a sequence of operations applied to
// a cache::compact_map<std::uint16_t, std::uint32_t> and to a
// std::unordered_map model, compared after every operation.
//
// Layout: [config][op key_lo key_hi value]... Byte 0 (config): bits 0-2 the
// hasher (identity std::hash, a constant, the low 3 bits, the key shifted
// into the top bits, a good mix), bits 3-4 the key space (16, 64, 512 or
// 65536 keys), bit 5 a reserve() before the first operation. Then one
// operation per 4 bytes (a short tail is ignored): the op byte picks insert,
// emplace, try_emplace, insert_or_assign, operator[], find, at, erase by
// key, erase by iterator, erase_if, erase while iterating, clear, reserve,
// rehash, a copy and a move, a range insert. After every operation the size
// and the operation's result must agree with the model; at the end the
// whole contents and the number of elements iteration visits.
//
// The constant and low-bits hashers put many keys in one group, so the
// overflow path (and erase within it) runs; the top-bits hasher defeats a
// table that takes its position from the low bits without mixing.
#ifndef ELECTRON_FUZZ_COMPACT_MAP_PROPERTY_HPP
#define ELECTRON_FUZZ_COMPACT_MAP_PROPERTY_HPP

#include "electron/cache/compact_map.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace electron_fuzz {
namespace compact_map_model {

/// A hasher whose quality the input chooses.
struct chosen_hash {
  unsigned mode = 0;
  std::size_t operator()(std::uint16_t k) const noexcept {
    switch (mode) {
      case 0:
        return std::hash<std::uint16_t>{}(k);  // the identity on libstdc++
      case 1:
        return 42;  // every key collides
      case 2:
        return k & 7u;  // eight hash values
      case 3:
        return static_cast<std::size_t>(std::uint64_t{k} << 48);  // only the top bits vary
      default:
        return static_cast<std::size_t>((std::uint64_t{k} + 1) * 0x9E3779B97F4A7C15ULL);
    }
  }
};

using map_type = electron::cache::compact_map<std::uint16_t, std::uint32_t, chosen_hash>;
using model_type = std::unordered_map<std::uint16_t, std::uint32_t>;

/// Same size, same pairs, and iteration visits each element once.
inline bool same_contents(const map_type& m, const model_type& want) {
  if (m.size() != want.size() || m.empty() != want.empty()) return false;
  std::size_t visited = 0;
  std::unordered_set<std::uint16_t> seen;
  for (const auto& [k, v] : m) {
    ++visited;
    if (!seen.insert(k).second) return false;
    const auto it = want.find(k);
    if (it == want.end() || it->second != v) return false;
  }
  if (visited != want.size()) return false;
  if (static_cast<std::size_t>(std::distance(m.cbegin(), m.cend())) != want.size()) return false;
  for (const auto& [k, v] : want) {
    const auto it = m.find(k);
    if (it == m.end() || it->first != k || it->second != v || !m.contains(k) || m.count(k) != 1) return false;
  }
  return true;
}

/// Checks an insert-like result against the model's.
template <class R, class W>
bool same_insert(const R& got, const W& want) {
  return got.second == want.second && got.first->first == want.first->first && got.first->second == want.first->second;
}

}  // namespace compact_map_model

/// Holds when every operation agrees with std::unordered_map (see the top).
inline bool compact_map_property(std::span<const std::byte> in) {
  namespace model = compact_map_model;
  if (in.empty()) {
    const model::map_type empty;
    return model::same_contents(empty, {});
  }
  const auto config = static_cast<unsigned>(in[0]);
  static constexpr unsigned key_spaces[] = {16, 64, 512, 65536};
  const unsigned key_space = key_spaces[(config >> 3) & 3];
  model::map_type m(0, model::chosen_hash{config & 7});
  model::model_type want;
  if ((config & 0x20) != 0) m.reserve(40);

  for (std::size_t at = 1; at + 4 <= in.size(); at += 4) {
    const auto op = static_cast<unsigned>(in[at]);
    const auto key = static_cast<std::uint16_t>(
        (static_cast<unsigned>(in[at + 1]) | (static_cast<unsigned>(in[at + 2]) << 8)) % key_space);
    const auto value = static_cast<std::uint32_t>(in[at + 3]) * 0x01010101u;
    switch (op % 20) {
      case 0:
      case 1:
        if (!model::same_insert(m.insert({key, value}), want.insert({key, value}))) return false;
        break;
      case 2:
        if (!model::same_insert(m.emplace(key, value), want.emplace(key, value))) return false;
        break;
      case 3:
        if (!model::same_insert(m.try_emplace(key, value), want.try_emplace(key, value))) return false;
        break;
      case 4:
        if (!model::same_insert(m.insert_or_assign(key, value), want.insert_or_assign(key, value))) return false;
        break;
      case 5: {
        auto& got = m[key];
        if (got != want[key]) return false;
        got = value;
        want[key] = value;
        break;
      }
      case 6: {
        const auto it = m.find(key);
        const auto w = want.find(key);
        if ((it == m.end()) != (w == want.end())) return false;
        if (it != m.end() && (it->first != key || it->second != w->second)) return false;
        if (m.contains(key) != (w != want.end()) || m.count(key) != want.count(key)) return false;
        break;
      }
      case 7: {
        const auto w = want.find(key);
        try {
          if (m.at(key) != w->second) return false;
        } catch (const std::out_of_range&) {
          if (w != want.end()) return false;
        }
        break;
      }
      case 8:
      case 9:
        if (m.erase(key) != want.erase(key)) return false;
        break;
      case 10: {
        // Erase by iterator; the result is the next element or end().
        const auto it = m.find(key);
        if ((it == m.end()) != (want.count(key) == 0)) return false;
        if (it != m.end()) {
          const auto next = m.erase(it);
          want.erase(key);
          if (next != m.end() && want.count(next->first) == 0) return false;
        }
        break;
      }
      case 11: {
        const auto pred = [&](const auto& kv) { return ((kv.first ^ key) & 3u) == 0; };
        if (electron::cache::erase_if(m, pred) != std::erase_if(want, pred)) return false;
        break;
      }
      case 12: {
        // Erase while iterating: every element is visited once.
        const std::size_t before = m.size();
        std::size_t visited = 0;
        std::size_t erased = 0;
        for (auto it = m.begin(); it != m.end();) {
          ++visited;
          if (((it->first + value) & 1u) == 0) {
            if (want.erase(it->first) != 1) return false;
            it = m.erase(it);
            ++erased;
          } else {
            ++it;
          }
        }
        if (visited != before || m.size() != before - erased) return false;
        break;
      }
      case 13:
        if ((value & 0x0f) == 0) {  // rare: most sequences should build up
          m.clear();
          want.clear();
          if (!m.empty() || m.begin() != m.end()) return false;
        }
        break;
      case 14:
        m.reserve(value & 0xff);
        break;
      case 15:
        m.rehash(value & 0x7f);
        break;
      case 16: {
        model::map_type copy(m);
        if (!(copy == m) || copy != m) return false;
        model::map_type moved(std::move(copy));
        m = std::move(moved);
        break;
      }
      case 17: {
        std::vector<std::pair<std::uint16_t, std::uint32_t>> items;
        for (unsigned i = 0; i < (value & 7); ++i) {
          items.emplace_back(static_cast<std::uint16_t>((key + i * 5) % key_space), value + i);
        }
        m.insert(items.begin(), items.end());
        want.insert(items.begin(), items.end());
        break;
      }
      default: {
        const auto w = want.find(key);
        const auto got = m.try_emplace(key, value);
        if (got.second != (w == want.end()) || got.first->first != key) return false;
        if (got.second) want.emplace(key, value);
        break;
      }
    }
    if (m.size() != want.size() || m.empty() != want.empty()) return false;
    if (m.load_factor() > 1.0f || (m.size() > 0 && m.capacity() < m.size())) return false;
  }
  return model::same_contents(m, want);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_COMPACT_MAP_PROPERTY_HPP
