// SPDX-License-Identifier: MIT
// libFuzzer target: parse_int / parse_uint / format_int / int_chars against
// std::from_chars and std::to_chars, every standard integer type and base.
//   parse_int_fuzz -runs=100000 fuzz/corpus/parse_int
#include "electron/test.hpp"
#include "fuzz/parse_int_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::parse_int_property)
