// SPDX-License-Identifier: MIT
// libFuzzer target: parse_float<double> and parse_float<float> against
// std::from_chars in the general, fixed and scientific formats, and the json
// format against an RFC 8259 recognizer.
//   parse_float_fuzz -runs=100000 fuzz/corpus/parse_float
#include "electron/test.hpp"
#include "fuzz/parse_float_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::parse_float_property)
