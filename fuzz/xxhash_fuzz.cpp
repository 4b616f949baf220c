// SPDX-License-Identifier: MIT
// libFuzzer target: streaming XXH64 in random pieces against the one-shot
// hash, alignment and overload invariance of XXH64 and XXH3, and, where
// libxxhash is installed (ELECTRON_FUZZ_HAVE_XXHASH), bit-exactness of both
// with it.
//   xxhash_fuzz -runs=100000 fuzz/corpus/xxhash
#include "electron/test.hpp"
#include "fuzz/xxhash_property.hpp"

#if defined(ELECTRON_FUZZ_HAVE_XXHASH)
#define XXH_INLINE_ALL
#include <xxhash.h>
#endif

namespace electron_fuzz {
#if defined(ELECTRON_FUZZ_HAVE_XXHASH)
struct libxxhash {
  std::uint64_t xxh64(const void* p, std::size_t n, std::uint64_t seed) const { return XXH64(p, n, seed); }
  std::uint64_t xxh3_64(const void* p, std::size_t n, std::uint64_t seed) const {
    return XXH3_64bits_withSeed(p, n, seed);
  }
};
xxhash_property<libxxhash> xxhash_target;
#else
xxhash_property<> xxhash_target;
#endif
}  // namespace electron_fuzz

ELECTRON_FUZZ_TARGET(electron_fuzz::xxhash_target)
