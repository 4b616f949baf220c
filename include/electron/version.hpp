// SPDX-License-Identifier: MIT
// Electron version. CMake reads the three numbers below; keep the format.
#ifndef ELECTRON_VERSION_HPP
#define ELECTRON_VERSION_HPP

#define ELECTRON_VERSION_MAJOR 0
#define ELECTRON_VERSION_MINOR 1
#define ELECTRON_VERSION_PATCH 0

/// "major.minor.patch"
#define ELECTRON_VERSION_STRING "0.1.0"
/// major * 10000 + minor * 100 + patch, for `#if` comparisons.
#define ELECTRON_VERSION (ELECTRON_VERSION_MAJOR * 10000 + ELECTRON_VERSION_MINOR * 100 + ELECTRON_VERSION_PATCH)
/// The version part of the ABI namespace (see config.hpp).
#define ELECTRON_VERSION_NS v0_1

#endif  // ELECTRON_VERSION_HPP
