// SPDX-License-Identifier: MIT
// libFuzzer target: format_float<double> and format_float<float> against
// std::to_chars byte for byte, every short buffer, and read back by
// parse_float.
//   parse_format_float_fuzz -runs=100000 fuzz/corpus/parse_format_float
#include "electron/test.hpp"
#include "fuzz/parse_format_float_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::parse_format_float_property)
