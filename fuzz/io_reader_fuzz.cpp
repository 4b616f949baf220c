// SPDX-License-Identifier: MIT
// libFuzzer target: io::reader against a byte-by-byte model over random op
// lists and inputs, including the sticky error and reads after it.
//   io_reader_fuzz -runs=1000000 fuzz/corpus/io_reader
#include "electron/test.hpp"
#include "fuzz/io_reader_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::io_reader_property)
