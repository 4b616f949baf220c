// SPDX-License-Identifier: MIT
// electron/dense/detail/soa_row.hpp: the row proxy of soa (a tuple-like of
// references into the columns), its iterator, and the std::common_reference
// glue that lets std::ranges algorithms accept them (docs/adr/0020).
#ifndef ELECTRON_DENSE_DETAIL_SOA_ROW_HPP
#define ELECTRON_DENSE_DETAIL_SOA_ROW_HPP

#include "electron/config.hpp"

#include <compare>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace dense {

/// A type a soa column can hold: a non-const, non-volatile, non-array
/// object type that can be destroyed and move-constructed.
template <class T>
concept soa_element = std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T> &&
                      std::destructible<T> && std::move_constructible<T>;

/// One field of a soa_row: an lvalue or rvalue reference to an object.
template <class R>
concept row_field = std::is_reference_v<R> && std::is_object_v<std::remove_reference_t<R>>;

template <row_field... Rs>
class soa_row;

namespace detail {
struct row_pointers_t {
  explicit row_pointers_t() = default;
};
inline constexpr row_pointers_t row_pointers{};

// From binds to To without a temporary: a reference conversion, not a value one.
template <class From, class To>
concept binds_to = std::is_convertible_v<From, To> && std::is_convertible_v < std::remove_reference_t<From>
*, std::remove_reference_t<To>* > ;

template <class T>
struct is_soa_row : std::false_type {};
template <class... Rs>
struct is_soa_row<soa_row<Rs...>> : std::true_type {};
template <class T>
struct is_std_tuple : std::false_type {};
template <class... Us>
struct is_std_tuple<std::tuple<Us...>> : std::true_type {};

// The I-th field of a row or a std::tuple, with the value category the
// source gives it (a row gives its reference type as declared).
template <std::size_t I, class Src>
constexpr decltype(auto) field_of(Src&& src) noexcept {
  if constexpr (is_soa_row<std::remove_cvref_t<Src>>::value) {
    return get<I>(src);
  } else {
    return std::get<I>(std::forward<Src>(src));
  }
}
template <std::size_t I, class Src>
using field_of_t = decltype(field_of<I>(std::declval<Src>()));

template <class Src>
concept row_like = is_soa_row<std::remove_cvref_t<Src>>::value || is_std_tuple<std::remove_cvref_t<Src>>::value;

template <class Src, class... Rs>
concept assignable_row_from = row_like<Src> && std::tuple_size_v<std::remove_cvref_t<Src>>
== sizeof...(Rs) &&[]<std::size_t... I>(std::index_sequence<I...>) {
  return (std::is_assignable_v<std::remove_reference_t<Rs>&, field_of_t<I, Src>> && ...);
}
(std::index_sequence_for<Rs...>{});

template <class... Rs>
concept all_references = (std::is_reference_v<Rs> && ...);

template <class... Rs>
inline constexpr bool row_writable = (!std::is_const_v<std::remove_reference_t<Rs>> && ...);
}  // namespace detail

/// The reference type of soa: one row as a tuple-like of references into
/// the columns (soa_row<T&...>, soa_row<const T&...>, and soa_row<T&&...>
/// from iter_move). Copying a row copies the references; assigning to a row
/// (even a const one) writes through them, field by field (the basic
/// guarantee when a field's assignment throws). Read fields with
/// `get<I>(row)` or structured bindings (`auto [name, age] = people[0];`
/// binds references). Converts to the value type std::tuple<Ts...> (copies;
/// the fields of a soa_row<T&&...> are moved). Compares (== and <=>)
/// field by field with rows and tuples. Valid while the row it refers to is.
template <row_field... Rs>
class soa_row {
 public:
  /// The tuple of values a row holds.
  using value_type = std::tuple<std::remove_cvref_t<Rs>...>;

  /// A row over the given fields (used by soa and its iterators).
  constexpr soa_row(detail::row_pointers_t, std::remove_reference_t<Rs>*... fields) noexcept : m_fields(fields...) {}
  /// A row of references to the elements of a tuple lvalue.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs) &&
           (detail::binds_to<Us&, Rs> &&
            ...)) constexpr soa_row(std::tuple<Us...>& t) noexcept  // NOLINT: implicit, as the common reference needs
      : soa_row(t, std::index_sequence_for<Rs...>{}) {}
  /// A row of const references to the elements of a const tuple.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs) && (detail::binds_to<const Us&, Rs> && ...)) constexpr soa_row(
      const std::tuple<Us...>& t) noexcept  // NOLINT: implicit, as the common reference needs
      : soa_row(t, std::index_sequence_for<Rs...>{}) {}
  /// A row with other reference types to the same fields (T& to const T&, T&& to const T&).
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs) && !std::same_as<soa_row<Us...>, soa_row> &&
           (detail::binds_to<Us, Rs> &&
            ...)) constexpr soa_row(const soa_row<Us...>& o) noexcept  // NOLINT: implicit, like T& to const T&
      : m_fields(o.m_fields) {}

  constexpr soa_row(const soa_row&) noexcept = default;
  constexpr ~soa_row() = default;

  /// Writes the other row's values through this row's references.
  constexpr soa_row& operator=(const soa_row& o) requires detail::row_writable<Rs...> {
    assign(o, std::index_sequence_for<Rs...>{});
    return *this;
  }
  /// Writes through a const row too (as std::indirectly_writable asks of proxies).
  constexpr const soa_row& operator=(const soa_row& o) const requires detail::row_writable<Rs...> {
    assign(o, std::index_sequence_for<Rs...>{});
    return *this;
  }
  /// Writes a tuple's or another row's fields through (moving from rvalue
  /// tuples and soa_row<T&&...>).
  template <class Src>
  requires(!std::same_as<std::remove_cvref_t<Src>, soa_row> &&
           detail::assignable_row_from<Src, Rs...>) constexpr const soa_row&
  operator=(Src&& src) const {
    assign(std::forward<Src>(src), std::index_sequence_for<Rs...>{});
    return *this;
  }

  /// The values, copied (moved for soa_row<T&&...>).
  constexpr operator value_type() const  // NOLINT: implicit, as the value type of an iterator needs
      requires std::constructible_from<value_type, Rs...> {
    return to_value(std::index_sequence_for<Rs...>{});
  }

  /// Field I as the row's reference type.
  template <std::size_t I>
  requires(I < sizeof...(Rs))
      [[nodiscard]] friend constexpr std::tuple_element_t<I, std::tuple<Rs...>> get(const soa_row& r) noexcept {
    return static_cast<std::tuple_element_t<I, std::tuple<Rs...>>>(*std::get<I>(r.m_fields));
  }

  /// Swaps the fields of two rows (what std::swap(*a, *b) and std::iter_swap do to proxies).
  friend constexpr void swap(const soa_row& a,
                             const soa_row& b) noexcept((std::is_nothrow_swappable_v<std::remove_reference_t<Rs>> &&
                                                         ...)) requires detail::row_writable<Rs...> {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (std::ranges::swap(*std::get<I>(a.m_fields), *std::get<I>(b.m_fields)), ...);
    }
    (std::index_sequence_for<Rs...>{});
  }

  /// Field-by-field equality with another row.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs)) [[nodiscard]] friend constexpr bool operator==(const soa_row& a,
                                                                                          const soa_row<Us...>& b) {
    return a.tie() == b.tie();
  }
  /// Field-by-field equality with a tuple.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs)) [[nodiscard]] friend constexpr bool operator==(const soa_row& a,
                                                                                          const std::tuple<Us...>& b) {
    return a.tie() == b;
  }
  /// Lexicographic order with another row.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs)) [[nodiscard]] friend constexpr auto operator<=>(const soa_row& a,
                                                                                           const soa_row<Us...>& b) {
    return a.tie() <=> b.tie();
  }
  /// Lexicographic order with a tuple.
  template <class... Us>
  requires(sizeof...(Us) == sizeof...(Rs)) [[nodiscard]] friend constexpr auto operator<=>(const soa_row& a,
                                                                                           const std::tuple<Us...>& b) {
    return a.tie() <=> b;
  }

  /// The fields as a std::tuple of const references.
  [[nodiscard]] constexpr std::tuple<const std::remove_reference_t<Rs>&...> tie() const noexcept {
    return std::apply([](auto*... p) { return std::tuple<const std::remove_reference_t<Rs>&...>(*p...); }, m_fields);
  }

 private:
  template <row_field... Us>
  friend class soa_row;

  template <class Tuple, std::size_t... I>
  constexpr soa_row(Tuple& t, std::index_sequence<I...>) noexcept : m_fields(std::addressof(std::get<I>(t))...) {}

  template <class Src, std::size_t... I>
  constexpr void assign(Src&& src, std::index_sequence<I...>) const {
    ((*std::get<I>(m_fields) = detail::field_of<I>(std::forward<Src>(src))), ...);
  }
  template <std::size_t... I>
  constexpr value_type to_value(std::index_sequence<I...>) const {
    return value_type(static_cast<Rs>(*std::get<I>(m_fields))...);
  }

  std::tuple<std::remove_reference_t<Rs>*...> m_fields;
};

/// A projection that picks field I of a row or a tuple: the comparator's
/// view for std::ranges::sort(people, {}, dense::field<1>).
template <std::size_t I>
struct field_fn {
  template <class Row>
  requires detail::row_like<Row>
  constexpr decltype(auto) operator()(Row&& r) const noexcept {
    if constexpr (detail::is_soa_row<std::remove_cvref_t<Row>>::value) {
      return get<I>(r);
    } else {
      return std::get<I>(std::forward<Row>(r));
    }
  }
};
/// field<I>: the projection on field I (field_fn<I>).
template <std::size_t I>
inline constexpr field_fn<I> field{};

namespace detail {
template <bool Const, class T>
using maybe_const = std::conditional_t<Const, const T, T>;
}  // namespace detail

/// The random-access iterator of soa: a column base per field and a row
/// index; dereferencing gives a soa_row. Models std::random_access_iterator
/// (and, when not Const, std::sortable with the default comparator where the
/// fields are ordered). Invalidated as soa's documentation says.
template <bool Const, soa_element... Ts>
class soa_iterator {
 public:
  using value_type = std::tuple<Ts...>;
  using reference = soa_row<detail::maybe_const<Const, Ts>&...>;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using iterator_concept = std::random_access_iterator_tag;
  using iterator_category = std::random_access_iterator_tag;

  constexpr soa_iterator() noexcept = default;
  /// An iterator at row `index` of the columns `cols`.
  constexpr soa_iterator(std::tuple<detail::maybe_const<Const, Ts>*...> cols, difference_type index) noexcept
      : m_cols(cols), m_index(index) {}
  /// iterator to const_iterator.
  template <bool C = Const>
  requires C constexpr soa_iterator(
      const soa_iterator<false, Ts...>& o) noexcept  // NOLINT: implicit, like T* to const T*
      : m_cols(o.columns()), m_index(o.index()) {}

  [[nodiscard]] constexpr reference operator*() const noexcept { return row(m_index); }
  [[nodiscard]] constexpr reference operator[](difference_type n) const noexcept { return row(m_index + n); }

  constexpr soa_iterator& operator++() noexcept {
    ++m_index;
    return *this;
  }
  constexpr soa_iterator operator++(int) noexcept {
    soa_iterator t = *this;
    ++m_index;
    return t;
  }
  constexpr soa_iterator& operator--() noexcept {
    --m_index;
    return *this;
  }
  constexpr soa_iterator operator--(int) noexcept {
    soa_iterator t = *this;
    --m_index;
    return t;
  }
  constexpr soa_iterator& operator+=(difference_type n) noexcept {
    m_index += n;
    return *this;
  }
  constexpr soa_iterator& operator-=(difference_type n) noexcept {
    m_index -= n;
    return *this;
  }
  [[nodiscard]] friend constexpr soa_iterator operator+(soa_iterator it, difference_type n) noexcept { return it += n; }
  [[nodiscard]] friend constexpr soa_iterator operator+(difference_type n, soa_iterator it) noexcept { return it += n; }
  [[nodiscard]] friend constexpr soa_iterator operator-(soa_iterator it, difference_type n) noexcept { return it -= n; }
  [[nodiscard]] friend constexpr difference_type operator-(const soa_iterator& a, const soa_iterator& b) noexcept {
    return a.m_index - b.m_index;
  }
  [[nodiscard]] friend constexpr bool operator==(const soa_iterator& a, const soa_iterator& b) noexcept {
    return a.m_index == b.m_index;
  }
  [[nodiscard]] friend constexpr std::strong_ordering operator<=>(const soa_iterator& a,
                                                                  const soa_iterator& b) noexcept {
    return a.m_index <=> b.m_index;
  }

  /// The row as rvalue references (what std::ranges algorithms move from).
  [[nodiscard]] friend constexpr soa_row<detail::maybe_const<Const, Ts>&&...> iter_move(
      const soa_iterator& it) noexcept {
    return std::apply(
        [&](auto*... base) {
          return soa_row<detail::maybe_const<Const, Ts>&&...>(detail::row_pointers, (base + it.m_index)...);
        },
        it.m_cols);
  }
  /// Swaps two rows field by field.
  friend constexpr void iter_swap(const soa_iterator& a,
                                  const soa_iterator& b) noexcept((std::is_nothrow_swappable_v<Ts> &&
                                                                   ...)) requires(!Const) {
    swap(*a, *b);
  }

  /// The column bases and the row index.
  [[nodiscard]] constexpr const std::tuple<detail::maybe_const<Const, Ts>*...>& columns() const noexcept {
    return m_cols;
  }
  [[nodiscard]] constexpr difference_type index() const noexcept { return m_index; }

 private:
  constexpr reference row(difference_type i) const noexcept {
    return std::apply([&](auto*... base) { return reference(detail::row_pointers, (base + i)...); }, m_cols);
  }

  std::tuple<detail::maybe_const<Const, Ts>*...> m_cols{};
  difference_type m_index = 0;
};

}  // namespace dense
ELECTRON_END_NAMESPACE

// Tuple protocol (structured bindings) and common references: a row and the
// tuple of its values meet in a row of the common references of their fields
// (the design std::ranges::zip uses in C++23; the library of this standard
// has no common reference for tuples).
template <class... Rs>
struct std::tuple_size<electron::dense::soa_row<Rs...>> : std::integral_constant<std::size_t, sizeof...(Rs)> {};
template <std::size_t I, class... Rs>
struct std::tuple_element<I, electron::dense::soa_row<Rs...>> {
  using type = std::tuple_element_t<I, std::tuple<Rs...>>;
};

template <class... Rs, class... Us, template <class> class RQual, template <class> class UQual>
requires(sizeof...(Rs) == sizeof...(Us) &&
         electron::dense::detail::all_references<std::common_reference_t<Rs, UQual<Us>>...>) struct std::
    basic_common_reference<electron::dense::soa_row<Rs...>, std::tuple<Us...>, RQual, UQual> {
  using type = electron::dense::soa_row<std::common_reference_t<Rs, UQual<Us>>...>;
};
template <class... Us, class... Rs, template <class> class UQual, template <class> class RQual>
requires(sizeof...(Rs) == sizeof...(Us) &&
         electron::dense::detail::all_references<std::common_reference_t<UQual<Us>, Rs>...>) struct std::
    basic_common_reference<std::tuple<Us...>, electron::dense::soa_row<Rs...>, UQual, RQual> {
  using type = electron::dense::soa_row<std::common_reference_t<UQual<Us>, Rs>...>;
};
template <class... Rs, class... Ss, template <class> class RQual, template <class> class SQual>
requires(sizeof...(Rs) == sizeof...(Ss) &&
         electron::dense::detail::all_references<std::common_reference_t<Rs, Ss>...>) struct std::
    basic_common_reference<electron::dense::soa_row<Rs...>, electron::dense::soa_row<Ss...>, RQual, SQual> {
  using type = electron::dense::soa_row<std::common_reference_t<Rs, Ss>...>;
};

#endif  // ELECTRON_DENSE_DETAIL_SOA_ROW_HPP
