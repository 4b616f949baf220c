// SPDX-License-Identifier: MIT
// electron/detail/simd.hpp: the architecture tags kernels are written against.
//
// A kernel is a function template whose first parameter is an architecture
// tag: an xsimd architecture (xsimd::avx2, ...) for the vector version, or
// electron::detail::scalar_arch for the portable twin. Public functions call
// kernel(detail::default_arch{}, ...); tests call both and compare.
#ifndef ELECTRON_DETAIL_SIMD_HPP
#define ELECTRON_DETAIL_SIMD_HPP

#include "electron/config.hpp"

#include <type_traits>

#if ELECTRON_HAS_SIMD
#include <xsimd/xsimd.hpp>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace detail {

/// The portable architecture: plain C++ on machine words.
struct scalar_arch {
  static constexpr const char* name() noexcept { return "scalar"; }
};

#if ELECTRON_HAS_SIMD
/// The architecture public functions use: the best one the flags allow
/// among those config.hpp knows (and names in the ABI tag).
using default_arch = ELECTRON_DETAIL_XSIMD_ARCH;
/// True for xsimd architectures (as opposed to scalar_arch).
template <class Arch>
inline constexpr bool is_simd_arch = !std::is_same_v<Arch, scalar_arch>;
#else
using default_arch = scalar_arch;
template <class Arch>
inline constexpr bool is_simd_arch = false;
#endif

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_SIMD_HPP
