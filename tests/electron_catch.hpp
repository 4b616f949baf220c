// SPDX-License-Identifier: MIT
// The one place that knows the Catch2 major version: tests include this.
#ifndef ELECTRON_TESTS_ELECTRON_CATCH_HPP
#define ELECTRON_TESTS_ELECTRON_CATCH_HPP

#if defined(ELECTRON_CATCH2_V3)
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif  // ELECTRON_TESTS_ELECTRON_CATCH_HPP
