// SPDX-License-Identifier: MIT
// electron/hash/hasher.hpp: the one hasher concept every Electron module
// composes through (the interner, simd::batch_hash, sync::sharded_mutex and
// the maps built on them), and the avalanche marker.
//
// Light on purpose: config.hpp and the standard library only, so a module
// that takes "any hasher" does not pull in the hash functions or the arena.
//
//   struct my_hasher {
//     using is_avalanching = void;  // every input bit affects every output bit
//     std::uint64_t operator()(std::string_view s) const noexcept;
//   };
//   static_assert(electron::hash::hasher<my_hasher>);
//   static_assert(electron::hash::is_avalanching_v<my_hasher>);
#ifndef ELECTRON_HASH_HASHER_HPP
#define ELECTRON_HASH_HASHER_HPP

#include "electron/config.hpp"

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace hash {

/// A function object that hashes a K (by default a string): it is copyable
/// and h(k) on a const h converts to std::uint64_t. std::hash<K> is one;
/// so is every Electron hasher.
template <class H, class K = std::string_view>
concept hasher = std::copy_constructible<H> && requires(const H& h, const K& k) {
  { h(k) } -> std::convertible_to<std::uint64_t>;
};

/// True when H declares `using is_avalanching = void;` (any type works): its
/// output is uniformly mixed, so a hash table may use the bits as they are
/// instead of mixing them again. This is the member that
/// boost::unordered_flat_map (boost::unordered::hash_is_avalanching) and
/// ankerl::unordered_dense look for; every Electron hasher declares it.
template <class H>
    struct is_avalanching : std::bool_constant < requires {
  typename H::is_avalanching;
} > {};
template <class H>
inline constexpr bool is_avalanching_v = is_avalanching<H>::value;

}  // namespace hash
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_HASHER_HPP
