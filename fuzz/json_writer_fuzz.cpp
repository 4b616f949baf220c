// SPDX-License-Identifier: MIT
// libFuzzer target: random event sequences through json_writer under random
// options; the output must parse and give back the events.
//   json_writer_fuzz -runs=100000 fuzz/corpus/json_writer
#include "electron/test.hpp"
#include "fuzz/json_writer_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::json_writer_property)
