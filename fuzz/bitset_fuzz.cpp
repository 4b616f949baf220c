// SPDX-License-Identifier: MIT
// libFuzzer target: bitset operations against a std::vector<bool> model.
//   bitset_fuzz -runs=100000 fuzz/corpus/bitset
#include "electron/test.hpp"
#include "fuzz/bitset_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::bitset_ops_property)
