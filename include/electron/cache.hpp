// SPDX-License-Identifier: MIT
// electron/cache.hpp: cache-friendly layout.
//
// - padded<T>: a value on cache lines of its own, against false sharing
//   (electron/cache/padded.hpp).
// - compact_map<K, V> and compact_set<K>: open-addressing hash containers
//   with SIMD-matched tags (electron/cache/compact_map.hpp).
#ifndef ELECTRON_CACHE_HPP
#define ELECTRON_CACHE_HPP

#include "electron/cache/compact_map.hpp"
#include "electron/cache/padded.hpp"

#endif  // ELECTRON_CACHE_HPP
