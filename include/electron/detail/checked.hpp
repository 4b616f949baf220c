// SPDX-License-Identifier: MIT
// electron/detail/checked.hpp: internal. Overflow-checked unsigned
// arithmetic for sizes (checked_mul, checked_add), with the compilers'
// builtins where they exist and a portable form that is tested beside them.
// electron/config.hpp includes it, so every header has it.
#ifndef ELECTRON_DETAIL_CHECKED_HPP
#define ELECTRON_DETAIL_CHECKED_HPP

#include "electron/config.hpp"

#include <concepts>
#include <limits>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace detail {

#if ELECTRON_DETAIL_HAS_BUILTIN(__builtin_mul_overflow) && ELECTRON_DETAIL_HAS_BUILTIN(__builtin_add_overflow)
#define ELECTRON_DETAIL_BUILTIN_OVERFLOW 1
#else
#define ELECTRON_DETAIL_BUILTIN_OVERFLOW 0
#endif

/// The operands of checked_add and checked_mul: unsigned integers (sizes,
/// counts), not bool.
template <class T>
concept checked_unsigned = std::unsigned_integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

/// checked_mul without compiler builtins: b != 0 and a > max / b is exactly
/// the case where a * b does not fit.
template <checked_unsigned T>
constexpr bool checked_mul_portable(std::type_identity_t<T> a, std::type_identity_t<T> b, T* out) noexcept {
  // Computed in at least `unsigned`: a uint16_t would be promoted to int,
  // whose overflow is undefined; unsigned arithmetic wraps.
  using wide = std::common_type_t<T, unsigned>;
  *out = static_cast<T>(static_cast<wide>(a) * static_cast<wide>(b));
  return b != 0 && a > std::numeric_limits<T>::max() / b;
}

/// checked_add without compiler builtins.
template <checked_unsigned T>
constexpr bool checked_add_portable(std::type_identity_t<T> a, std::type_identity_t<T> b, T* out) noexcept {
  using wide = std::common_type_t<T, unsigned>;
  *out = static_cast<T>(static_cast<wide>(a) + static_cast<wide>(b));
  return a > std::numeric_limits<T>::max() - b;
}

/// Stores a * b in *out (reduced modulo 2^bits, like unsigned arithmetic)
/// and returns true when the exact product does not fit in T. T comes from
/// `out`, so `checked_mul(n, sizeof(U), &bytes)` needs no casts. O(1),
/// constexpr, noexcept.
///
///   std::size_t bytes;
///   if (electron::detail::checked_mul(n, sizeof(T), &bytes)) throw_error<std::bad_array_new_length>("...");
template <checked_unsigned T>
constexpr bool checked_mul(std::type_identity_t<T> a, std::type_identity_t<T> b, T* out) noexcept {
#if ELECTRON_DETAIL_BUILTIN_OVERFLOW
  return __builtin_mul_overflow(a, b, out);
#else
  return checked_mul_portable<T>(a, b, out);
#endif
}

/// Stores a + b in *out (reduced modulo 2^bits) and returns true when the
/// exact sum does not fit in T. O(1), constexpr, noexcept.
template <checked_unsigned T>
constexpr bool checked_add(std::type_identity_t<T> a, std::type_identity_t<T> b, T* out) noexcept {
#if ELECTRON_DETAIL_BUILTIN_OVERFLOW
  return __builtin_add_overflow(a, b, out);
#else
  return checked_add_portable<T>(a, b, out);
#endif
}
}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_CHECKED_HPP
