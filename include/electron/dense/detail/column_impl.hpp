// SPDX-License-Identifier: MIT
// electron/dense/detail/column_impl.hpp: the numeric and bool columns of
// electron::dense::column_store, the value conversions of append_row and
// column::set, and column_store's member templates. Included at the end of
// electron/dense/column_store.hpp.
#ifndef ELECTRON_DENSE_DETAIL_COLUMN_IMPL_HPP
#define ELECTRON_DENSE_DETAIL_COLUMN_IMPL_HPP

#include "electron/dense/column_store.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace dense {
namespace detail {

/// value holds an integer (not bool).
template <class V>
inline constexpr bool is_int_alternative = std::is_integral_v<V> && !std::is_same_v<V, bool>;

/// v as a T when T holds it exactly (see column_store::append_row), else nullopt.
template <column_scalar T>
std::optional<T> fit(const value& v) noexcept {
  return std::visit(
      [](auto x) -> std::optional<T> {
        using V = decltype(x);
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<V, bool>) {
          if constexpr (std::is_same_v<T, V>) return x;
          return std::nullopt;
        } else if constexpr (std::is_same_v<V, std::string_view>) {
          return std::nullopt;
        } else if constexpr (std::is_integral_v<T>) {
          if constexpr (is_int_alternative<V>) {
            if (std::in_range<T>(x)) return static_cast<T>(x);
          }
          return std::nullopt;
        } else if constexpr (is_int_alternative<V>) {
          // T is float or double: integers up to 2^digits in magnitude are exact.
          constexpr auto limit = std::uint64_t{1} << std::numeric_limits<T>::digits;
          bool exact = false;
          if constexpr (std::is_unsigned_v<V>) {
            exact = x <= limit;
          } else {
            exact = x >= 0 ? static_cast<std::uint64_t>(x) <= limit : static_cast<std::uint64_t>(-(x + 1)) + 1 <= limit;
          }
          if (exact) return static_cast<T>(x);
          return std::nullopt;
        } else if constexpr (sizeof(T) >= sizeof(V)) {
          return static_cast<T>(x);  // float into double, or same type
        } else {
          // double into float: NaN and inf as they are, finite values when they round to themselves.
          if (std::isnan(x) || std::isinf(x)) return static_cast<T>(x);
          if (std::fabs(x) > static_cast<double>(std::numeric_limits<float>::max())) return std::nullopt;
          const auto f = static_cast<float>(x);
          if (static_cast<double>(f) == x) return f;
          return std::nullopt;
        }
      },
      v);
}

/// A row argument as a dense::value (integers by width and signedness).
template <class V>
value to_value(V&& v) {
  using U = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<U, value>) {
    return v;
  } else if constexpr (std::is_same_v<U, bool>) {
    return v;
  } else if constexpr (std::is_integral_v<U>) {
    if constexpr (std::is_signed_v<U>) {
      if constexpr (sizeof(U) <= 4) return static_cast<std::int32_t>(v);
      if constexpr (sizeof(U) > 4) return static_cast<std::int64_t>(v);
    } else {
      if constexpr (sizeof(U) <= 4) return static_cast<std::uint32_t>(v);
      if constexpr (sizeof(U) > 4) return static_cast<std::uint64_t>(v);
    }
  } else if constexpr (std::is_same_v<U, float> || std::is_same_v<U, double>) {
    return v;
  } else {
    return std::string_view(std::forward<V>(v));
  }
}

/// A numeric or bool column.
template <column_element T>
class typed_column final : public dense::column {
 public:
  explicit typed_column(std::string name) : column(std::move(name), column_type_of<T>) {}

  [[nodiscard]] T* data() noexcept { return m_values.data(); }
  [[nodiscard]] std::size_t size() const noexcept override { return m_values.size(); }
  [[nodiscard]] value get(std::size_t row) const override {
    if (row >= m_values.size()) throw_named<std::out_of_range>("column", name(), ": row out of range");
    return value(std::in_place_type<T>, m_values.data()[row]);
  }
  void set(std::size_t row, const value& v) override {
    if (row >= m_values.size()) throw_named<std::out_of_range>("column", name(), ": row out of range");
    const std::optional<T> x = fit<T>(v);
    if (!x) throw_named<std::invalid_argument>("column", name(), std::string_view(": value does not fit"));
    m_values.data()[row] = *x;
  }

 private:
  [[nodiscard]] std::unique_ptr<dense::column> clone() const override {
    auto c = std::make_unique<typed_column>(name());
    c->m_values = m_values;
    return c;
  }
  void reserve_rows(std::size_t n) override { m_values.reserve(n); }
  void resize_rows(std::size_t n) override { m_values.resize(n, T{}); }
  void clear_rows() override { m_values.clear(); }
  std::uint64_t prepare_append(const value& v) override {
    const std::optional<T> x = fit<T>(v);
    if (!x) throw_named<std::invalid_argument>("append_row: value does not fit column", name());
    m_values.reserve_one_more();
    std::uint64_t bits = 0;
    std::memcpy(&bits, &*x, sizeof(T));
    return bits;
  }
  void commit_append(std::uint64_t prepared) noexcept override {
    T x;
    std::memcpy(&x, &prepared, sizeof(T));
    m_values.push_back_unchecked(x);
  }

  column_buffer<T> m_values;
};

}  // namespace detail

template <column_element T>
detail::column_class<T>& column_store::typed(std::string_view name) {
  dense::column& c = *m_columns[checked_index(name)];
  if (c.type() != column_type_of<T>) {
    std::string tail = ": is ";
    tail.append(type_name(c.type())).append(", not ").append(type_name(column_type_of<T>));
    detail::throw_named<std::invalid_argument>("column_store: column", name, tail);
  }
  return static_cast<detail::column_class<T>&>(c);
}

template <column_scalar T>
std::optional<std::span<T>> column_store::find_column(std::string_view name) noexcept {
  const std::size_t i = index_of(name);
  if (i == npos || m_columns[i]->type() != column_type_of<T>) return std::nullopt;
  return std::span<T>(static_cast<detail::typed_column<T>&>(*m_columns[i]).data(), m_rows);
}
template <column_scalar T>
std::optional<std::span<const T>> column_store::find_column(std::string_view name) const noexcept {
  const std::size_t i = index_of(name);
  if (i == npos || m_columns[i]->type() != column_type_of<T>) return std::nullopt;
  return std::span<const T>(static_cast<detail::typed_column<T>&>(*m_columns[i]).data(), m_rows);
}

template <column_element T>
column_store& column_store::add_column(std::string_view name) {
  if (contains(name)) detail::throw_named<std::invalid_argument>("column_store::add_column: name", name, " is taken");
  auto c = std::make_unique<detail::column_class<T>>(std::string(name));
  if (m_rows != 0) static_cast<dense::column&>(*c).resize_rows(m_rows);
  m_columns.push_back(std::move(c));
  return *this;
}

template <row_value... Vs>
void column_store::append_row(Vs&&... values) {
  if constexpr (sizeof...(Vs) == 0) {
    append_values({});
  } else {
    const value row[] = {detail::to_value(std::forward<Vs>(values))...};
    append_values(row);
  }
}

inline void column_store::append_values(std::span<const value> row) {
  if (row.size() != m_columns.size()) {
    const std::string tail =
        ": " + std::to_string(row.size()) + " values for " + std::to_string(m_columns.size()) + " columns";
    detail::throw_named<std::invalid_argument>("column_store::append_row: row", std::to_string(m_rows), tail);
  }
  if (m_columns.empty()) {
    detail::throw_named<std::invalid_argument>("column_store::append_row", "", ": the table has no columns");
  }
  // All checks, allocations and interning first; then the commits, which
  // cannot fail, so a row lands in every column or in none.
  constexpr std::size_t small = 16;
  std::uint64_t local[small];
  std::unique_ptr<std::uint64_t[]> heap;
  std::uint64_t* prepared = local;
  if (row.size() > small) {
    heap = std::make_unique<std::uint64_t[]>(row.size());
    prepared = heap.get();
  }
  for (std::size_t i = 0; i < row.size(); ++i) prepared[i] = m_columns[i]->prepare_append(row[i]);
  for (std::size_t i = 0; i < row.size(); ++i) m_columns[i]->commit_append(prepared[i]);
  ++m_rows;
}

}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_COLUMN_IMPL_HPP
