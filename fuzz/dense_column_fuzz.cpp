// SPDX-License-Identifier: MIT
// libFuzzer target: operation sequences on a dense::column_store (append,
// scans, type-erased set, rejected rows, copies) against a vector of rows.
//   dense_column_fuzz -runs=100000 fuzz/corpus/dense_column
#include "electron/test.hpp"
#include "fuzz/dense_column_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::dense_column_property)
