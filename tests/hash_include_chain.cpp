// SPDX-License-Identifier: MIT
// electron/simd.hpp takes the hash functions from electron/hash/functions.hpp
// and nothing more: including it must not pull in the arena or the interner
// (nor the allocation machinery they bring). This TU includes simd.hpp alone
// and checks the include guards.
#include "electron/simd.hpp"

#ifdef ELECTRON_ARENA_HPP
#error "electron/simd.hpp must not include electron/arena.hpp"
#endif
#ifdef ELECTRON_HASH_INTERNER_HPP
#error "electron/simd.hpp must not include electron/hash/interner.hpp"
#endif
#ifdef ELECTRON_HASH_HPP
#error "electron/simd.hpp must not include the whole of electron/hash.hpp"
#endif
#ifndef ELECTRON_HASH_FUNCTIONS_HPP
#error "electron/simd.hpp is expected to take xxhash64 from electron/hash/functions.hpp"
#endif

namespace electron_tests {
// Referenced from hash_test.cpp, so the TU is linked (and any ODR clash
// between it and the full headers there would show).
std::uint64_t simd_alone_batch_hash(std::string_view key) {
  std::uint64_t out[1] = {};
  const std::string_view keys[1] = {key};
  electron::simd::batch_hash(keys, out, electron::hash::xxh3_64_hasher{});
  return out[0];
}
}  // namespace electron_tests
