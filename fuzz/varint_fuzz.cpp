// SPDX-License-Identifier: MIT
// libFuzzer target: every varint decode form against a byte-loop model,
// truncation at every position, bulk decode and encode round trips.
//   varint_fuzz -runs=1000000 fuzz/corpus/varint
#include "electron/test.hpp"
#include "fuzz/varint_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::varint_property)
