// SPDX-License-Identifier: MIT
// electron/cache/compact_map.hpp: open-addressing hash map and set.
#ifndef ELECTRON_CACHE_COMPACT_MAP_HPP
#define ELECTRON_CACHE_COMPACT_MAP_HPP

#include "electron/config.hpp"

#endif  // ELECTRON_CACHE_COMPACT_MAP_HPP
