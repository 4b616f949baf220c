// SPDX-License-Identifier: MIT
// The test binaries' main, and the one TU that installs the counting
// operator new/delete of electron/test.hpp.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/test.hpp"

#if !defined(ELECTRON_CATCH2_V3)
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#endif
