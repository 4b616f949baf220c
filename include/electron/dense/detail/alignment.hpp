// SPDX-License-Identifier: MIT
// electron/dense/detail/alignment.hpp: the alignment of every dense column.
#ifndef ELECTRON_DENSE_DETAIL_ALIGNMENT_HPP
#define ELECTRON_DENSE_DETAIL_ALIGNMENT_HPP

#include "electron/config.hpp"

#include <cstddef>

ELECTRON_BEGIN_NAMESPACE
namespace dense::detail {

/// Where every column of a soa or a column_store starts: a multiple of the
/// widest SIMD register (AVX-512, 64 bytes), so a kernel's aligned loads and
/// a cache line never straddle two columns. Over-aligned element types get
/// their own, larger alignment.
inline constexpr std::size_t column_alignment = 64;

}  // namespace dense::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_ALIGNMENT_HPP
