// SPDX-License-Identifier: MIT
// electron/result.hpp: result<T, E>, a value or an error (the subset of
// C++23 std::expected the library needs, for C++20).
//
//   electron::result<int, std::errc> r = electron::result<int, std::errc>::failure(std::errc::invalid_argument);
//   if (!r) report(r.error());
#ifndef ELECTRON_RESULT_HPP
#define ELECTRON_RESULT_HPP

#include "electron/config.hpp"

#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

ELECTRON_BEGIN_NAMESPACE

/// A value of type T or an error of type E. Both must be object types that
/// are nothrow destructible. value() / operator* on an error (or error() on
/// a value) is a precondition violation (ELECTRON_ASSERT), never a throw.
template <class T, class E>
requires std::is_object_v<T> && std::is_object_v<E> && std::is_nothrow_destructible_v<T> &&
    std::is_nothrow_destructible_v<E>
class [[nodiscard]] result {
 public:
  using value_type = T;
  using error_type = E;

  /// A result holding a value.
  template <class U = T>
  requires std::is_constructible_v<T, U&&>
  constexpr result(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>)  // NOLINT: implicit, like expected
      : m_state(std::in_place_index<0>, std::forward<U>(v)) {}
  /// A result holding an error.
  [[nodiscard]] static constexpr result failure(E e) noexcept(std::is_nothrow_move_constructible_v<E>) {
    return result(failure_tag{}, std::move(e));
  }

  [[nodiscard]] constexpr bool has_value() const noexcept { return m_state.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] constexpr T& value() & noexcept {
    ELECTRON_ASSERT(has_value(), "electron::result::value() on an error");
    return alternative<0>(m_state);
  }
  [[nodiscard]] constexpr const T& value() const& noexcept {
    ELECTRON_ASSERT(has_value(), "electron::result::value() on an error");
    return alternative<0>(m_state);
  }
  [[nodiscard]] constexpr T&& value() && noexcept { return std::move(value()); }
  [[nodiscard]] constexpr const E& error() const noexcept {
    ELECTRON_ASSERT(!has_value(), "electron::result::error() on a value");
    return alternative<1>(m_state);
  }
  constexpr T& operator*() & noexcept { return value(); }
  constexpr const T& operator*() const& noexcept { return value(); }
  constexpr T* operator->() noexcept { return &value(); }
  constexpr const T* operator->() const noexcept { return &value(); }
  /// The value, or `fallback` on an error.
  template <class U>
  [[nodiscard]] constexpr T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  struct failure_tag {};
  // The index is a checked precondition of value() and error(): saying so
  // removes the null path g++ -O3 -Wnull-dereference would warn about.
  // (In constant evaluation std::get: g++ 12 refuses get_if's null test on
  // a temporary's member there, e.g. `static_assert(*f() == 4)`.)
  template <class P>
  static constexpr P* not_null(P* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (p == nullptr) __builtin_unreachable();
#endif
    return p;
  }
  template <std::size_t I, class V>
  static constexpr auto& alternative(V& state) noexcept {
    if (std::is_constant_evaluated()) return std::get<I>(state);
    return *not_null(std::get_if<I>(&state));
  }
  constexpr result(failure_tag, E&& e) noexcept(std::is_nothrow_move_constructible_v<E>)
      : m_state(std::in_place_index<1>, std::move(e)) {}
  std::variant<T, E> m_state;
};

ELECTRON_END_NAMESPACE

#endif  // ELECTRON_RESULT_HPP
