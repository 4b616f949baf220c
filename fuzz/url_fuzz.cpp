// SPDX-License-Identifier: MIT
// libFuzzer target: parse_url in both modes (reassembly identity, the RFC 3986
// appendix B split, reads only inside the input), normalize and resolve.
//   url_fuzz -runs=100000 fuzz/corpus/url
#include "electron/test.hpp"
#include "fuzz/url_property.hpp"

ELECTRON_FUZZ_TARGET(electron_fuzz::url_property)
