// SPDX-License-Identifier: MIT
// electron/hash.hpp: fast non-cryptographic hashes and a string interner.
//
// The module in one include; its parts can be included alone:
//
// - electron/hash/hasher.hpp: the hash::hasher concept and is_avalanching
//   (config.hpp and the standard library only).
// - electron/hash/functions.hpp: xxhash64 (one-shot and streaming), xxh3_64,
//   metro64, murmur3, murmur3_128 and their hashers; constexpr, noexcept,
//   allocation-free, the same values on every platform. Does not include
//   the arena: simd.hpp uses this one.
// - electron/hash/interner.hpp: basic_string_interner<H, A> and
//   string_interner, dense ids for strings stored in a bump allocator
//   (includes electron/arena.hpp).
//
//   constexpr std::uint64_t h = electron::hash::xxhash64("hello");
//   electron::hash::string_interner names;
//   auto [id, inserted] = names.intern("alice");   // {0, true}
//   assert(names.at(id) == "alice");
#ifndef ELECTRON_HASH_HPP
#define ELECTRON_HASH_HPP

#include "electron/hash/functions.hpp"
#include "electron/hash/hasher.hpp"
#include "electron/hash/interner.hpp"

#endif  // ELECTRON_HASH_HPP
