// SPDX-License-Identifier: MIT
// libFuzzer target: simd::find / index_byte / count / equal and
// strings::index_any / contains_any against std::string_view.
//   byte_search_fuzz -runs=100000 fuzz/corpus/byte_search
#include "electron/test.hpp"
#include "fuzz/byte_search_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::byte_search_property)
