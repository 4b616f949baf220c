// SPDX-License-Identifier: MIT
// The peer corpora's folder, for the tests that read them: the
// ELECTRON_CORPUS_DIR definition the test target gets from the CMake cache
// variable of that name (top-level CMakeLists.txt). Empty when there is
// none: the cases that need the corpora then skip with a message.
#ifndef ELECTRON_TESTS_CORPUS_HPP
#define ELECTRON_TESTS_CORPUS_HPP

#include <string>

namespace electron_test {

inline std::string corpus_dir() {
#if defined(ELECTRON_CORPUS_DIR)
  return ELECTRON_CORPUS_DIR;
#else
  return {};
#endif
}

}  // namespace electron_test

#endif  // ELECTRON_TESTS_CORPUS_HPP
