// SPDX-License-Identifier: MIT
// libFuzzer target: operation sequences on cache::compact_map against a
// std::unordered_map model, with good and colliding hashers.
//   compact_map_fuzz -max_total_time=60 fuzz/corpus/compact_map
#include "electron/test.hpp"
#include "fuzz/compact_map_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::compact_map_property)
