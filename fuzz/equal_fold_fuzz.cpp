// SPDX-License-Identifier: MIT
// libFuzzer target: strings::equal_fold against a decode-and-fold model,
// with ASCII, mixed and invalid UTF-8.
//   equal_fold_fuzz -runs=100000 fuzz/corpus/equal_fold
#include "electron/test.hpp"
#include "fuzz/equal_fold_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::equal_fold_property)
