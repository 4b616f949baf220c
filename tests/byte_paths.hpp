// SPDX-License-Identifier: MIT
// The byte-kernel paths a test binary can run: one xsimd architecture per
// distinct byte_arch among those the compiler flags allow (avx512dq and
// avx2 share the AVX2 kernels; 32-bit NEON has none on AArch64).
#ifndef ELECTRON_TESTS_BYTE_PATHS_HPP
#define ELECTRON_TESTS_BYTE_PATHS_HPP

#include "electron/detail/byte_kernels.hpp"

#include <set>
#include <string>

#if ELECTRON_SIMD_BYTE_KERNELS
/// Calls f(arch) once per distinct byte-kernel path; returns the paths' names.
template <class F>
std::set<std::string> for_each_byte_path(F&& f) {
  std::set<std::string> paths;
  xsimd::supported_architectures::for_each([&](auto arch) {
    using A = decltype(arch);
    if constexpr (electron::detail::vector_arch<A>) {
      if (paths.insert(electron::detail::byte_arch<A>::name()).second) f(arch);
    }
  });
  return paths;
}

/// The path the public functions take.
inline std::string default_byte_path() { return electron::detail::byte_arch<electron::detail::kernel_arch>::name(); }
#endif

#endif  // ELECTRON_TESTS_BYTE_PATHS_HPP
