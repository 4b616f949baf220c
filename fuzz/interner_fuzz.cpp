// SPDX-License-Identifier: MIT
// libFuzzer target: string_interner operations against a std model.
//   interner_fuzz -runs=100000 fuzz/corpus/interner
#include "electron/test.hpp"
#include "fuzz/interner_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::interner_property)
