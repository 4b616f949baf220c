// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/hash_test.cpp (fuzz_bytes) and
// fuzz/interner_fuzz.cpp (libFuzzer): the bytes are a program of
// string_interner operations (intern, find, at, operator[], size), run on
// the interner and on a std::unordered_map + std::vector model. Ids must be
// dense and stable, strings must round-trip, the view of an id must keep
// pointing at the same bytes as the table grows, intern must say whether it
// added the string, find of an absent string must report it absent, and
// at() of an id never handed out must throw std::out_of_range.
//
// The first byte picks the hasher (XXH3, or one with only a few distinct
// values, so probe chains are long and hash tags collide) and the arena's
// first block size (small blocks make strings spill into new blocks).
#ifndef ELECTRON_FUZZ_INTERNER_PROPERTY_HPP
#define ELECTRON_FUZZ_INTERNER_PROPERTY_HPP

#include "electron/hash.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace electron_fuzz {

/// A legal but poor hasher: 8 start slots and 2 tags in all. It claims to
/// avalanche so that the interner uses its bits as they are (it would mix
/// the output of a hasher that does not).
struct crowded_hasher {
  using is_avalanching = void;
  std::uint64_t operator()(std::string_view s) const noexcept {
    const std::uint64_t first = s.empty() ? 0 : static_cast<unsigned char>(s[0]) & 7u;
    return first | (std::uint64_t{s.size() & 1} << 32);
  }
};

template <class Hasher>
bool interner_ops(std::span<const std::byte> data, std::size_t& pc, std::size_t arena_block) {
  using interner = electron::hash::basic_string_interner<Hasher>;
  using id_type = typename interner::id_type;
  interner in(Hasher{}, arena_block);
  std::unordered_map<std::string, id_type> ids;
  std::vector<std::string> strings;  // by id
  std::vector<const char*> where;    // by id: where at() pointed when the string was added
  std::size_t checked = 0;           // strings.size() at the last check_all()

  auto next = [&]() -> std::uint8_t { return pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0; };
  auto fresh = [&] {  // a string from the input: a length, then its bytes
    const std::size_t len = next() % 40u;
    std::string s;
    for (std::size_t i = 0; i < len && pc < data.size(); ++i) s += static_cast<char>(next());
    return s;
  };
  auto known = [&]() -> const std::string& { return strings[next() % strings.size()]; };
  auto model_find = [&](const std::string& s) -> std::optional<id_type> {
    const auto it = ids.find(s);
    if (it == ids.end()) return std::nullopt;
    return it->second;
  };
  auto intern = [&](const std::string& s) {
    const auto expected = model_find(s).value_or(static_cast<id_type>(strings.size()));
    const auto [id, inserted] = in.intern(s);
    if (id != expected || inserted != (id == strings.size())) return false;
    if (inserted) {
      ids.emplace(s, id);
      strings.push_back(s);
      where.push_back(in.at(id).data());
    }
    return true;
  };
  auto check_all = [&] {
    if (in.size() != strings.size() || in.empty() != strings.empty()) return false;
    for (std::size_t id = 0; id < strings.size(); ++id) {
      const auto i = static_cast<id_type>(id);
      const std::string_view v = in.at(i);
      if (v != strings[id] || v.data() != where[id] || in[i] != strings[id] || in.find(strings[id]) != i) return false;
    }
    return true;
  };

  while (pc < data.size()) {
    switch (next() % 8) {
      case 0:
      case 1:
        if (!intern(fresh())) return false;
        break;
      case 2:  // a string seen before: the same id, from a copy not backed by the interner
        if (!strings.empty() && !intern(std::string(known()))) return false;
        break;
      case 3: {
        const std::string s = fresh();
        if (in.find(s) != model_find(s)) return false;
        break;
      }
      case 4: {  // a near miss of a known string: one byte longer, shorter or changed
        if (strings.empty()) break;
        std::string s = known();
        const std::uint8_t how = next();
        if (how % 3 == 0 || s.empty()) {
          s += static_cast<char>(how);
        } else if (how % 3 == 1) {
          s.pop_back();
        } else {
          s[how % s.size()] = static_cast<char>(s[how % s.size()] ^ 1);
        }
        if (in.find(s) != model_find(s)) return false;
        break;
      }
      case 5: {  // at(): ids handed out, and a few past the end
        const std::size_t low = next();
        const std::size_t raw = low | (std::size_t{next()} << 8);
        const auto id = static_cast<id_type>(raw % (strings.size() + 3));
        if (id < strings.size()) {
          if (in.at(id) != strings[id] || in.at(id).data() != where[id]) return false;
        } else {
          try {
            (void)in.at(id);
            return false;
          } catch (const std::out_of_range&) {
          }
        }
        break;
      }
      case 6:
        if (!strings.empty()) {
          const auto id = static_cast<id_type>(next() % strings.size());
          if (in[id] != strings[id]) return false;
        }
        break;
      default:  // the whole table, when strings were added since the last look
        if (strings.size() != checked && !check_all()) return false;
        checked = strings.size();
        break;
    }
  }
  // Ids far outside the range, and the whole table once more.
  for (const id_type id : {static_cast<id_type>(strings.size()), id_type{0xFFFFFFFEu}, id_type{0xFFFFFFFFu}}) {
    try {
      (void)in.at(id);
      return false;
    } catch (const std::out_of_range&) {
    }
  }
  return check_all();
}

/// Interprets `data` as interner operations; true when interner and model agree.
inline bool interner_property(std::span<const std::byte> data) {
  std::size_t pc = 0;
  const std::uint8_t setup = pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0;
  constexpr std::size_t blocks[4] = {64 * 1024, 64, 100, 1000};
  const std::size_t block = blocks[(setup >> 1) & 3];
  return (setup & 1) == 0 ? interner_ops<electron::hash::xxh3_64_hasher>(data, pc, block)
                          : interner_ops<crowded_hasher>(data, pc, block);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_INTERNER_PROPERTY_HPP
