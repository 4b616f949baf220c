// SPDX-License-Identifier: MIT
// electron/dense/column_store.hpp: a table of named, typed columns, and
// vectorized scans (sum, min, max, count_if, filter, gather) over any
// contiguous array of numbers.
//
//   electron::dense::column_store t;
//   t.add_column<std::int64_t>("id").add_column<double>("price").add_column<std::string_view>("city");
//   t.append_row(1, 9.5, "Oslo");
//   t.append_row(2, 12.0, "Lima");
//   double total = t.sum<double>("price");                                  // 21.5
//   auto sel = t.filter<double>("price", electron::dense::compare::greater, 10.0);
//   std::vector<std::int64_t> ids = t.gather<std::int64_t>("id", sel);      // {2}
//   std::string_view city = t.string_at("city", 1);                         // "Lima"
//
// Columns: int32_t, int64_t, uint32_t, uint64_t, float, double, bool, and
// strings. Each numeric or bool column is one contiguous, 64-byte-aligned
// array (std::span access); a string column is an array of 32-bit ids into
// its own hash::string_interner, which stores each distinct string once.
//
// Errors: an unknown column name or a column of another type throws
// std::out_of_range or std::invalid_argument with the name in the message
// (find_column<T> is the non-throwing lookup); a row of the wrong arity or a
// value that does not fit its column throws std::invalid_argument; a row
// index past size() in the checked accessors throws std::out_of_range.
// Single-threaded: concurrent const use is safe, any mutation is not.
#ifndef ELECTRON_DENSE_COLUMN_STORE_HPP
#define ELECTRON_DENSE_COLUMN_STORE_HPP

#include "electron/bits.hpp"
#include "electron/config.hpp"
#include "electron/dense/detail/column_buffer.hpp"
#include "electron/dense/detail/column_kernels.hpp"
#include "electron/detail/simd.hpp"
#include "electron/hash/interner.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace dense {

// ===========================================================================
// Types
// ===========================================================================

/// The type of a column; the order is that of dense::value's alternatives.
enum class column_type : std::uint8_t { int32, int64, uint32, uint64, float32, float64, boolean, string };

/// The name of a column type ("int32", ..., "string").
[[nodiscard]] constexpr const char* type_name(column_type t) noexcept {
  constexpr const char* names[] = {"int32", "int64", "uint32", "uint64", "float32", "float64", "bool", "string"};
  return names[static_cast<std::size_t>(t)];
}

/// A value type a numeric or bool column holds, accessed as std::span<T>.
template <class T>
concept column_scalar =
    std::same_as<T, std::int32_t> || std::same_as<T, std::int64_t> || std::same_as<T, std::uint32_t> ||
    std::same_as<T, std::uint64_t> || std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, bool>;

/// A column type the numeric scans (sum, min, max, count_if, filter) accept:
/// the column_scalar types but bool.
template <class T>
concept column_numeric = column_scalar<T> && !std::same_as<T, bool>;

/// A type add_column<T> accepts: a column_scalar, or std::string_view for a
/// string column.
template <class T>
concept column_element = column_scalar<T> || std::same_as<T, std::string_view>;

/// The column_type of T.
template <column_element T>
inline constexpr column_type column_type_of = std::same_as<T, std::int32_t>    ? column_type::int32
                                              : std::same_as<T, std::int64_t>  ? column_type::int64
                                              : std::same_as<T, std::uint32_t> ? column_type::uint32
                                              : std::same_as<T, std::uint64_t> ? column_type::uint64
                                              : std::same_as<T, float>         ? column_type::float32
                                              : std::same_as<T, double>        ? column_type::float64
                                              : std::same_as<T, bool>          ? column_type::boolean
                                                                               : column_type::string;

/// One cell of any column, for generic code (column::get/set, append_values).
/// The alternative's index is the column_type. A string_view from get()
/// stays valid as long as the column exists (the interner keeps it).
using value =
    std::variant<std::int32_t, std::int64_t, std::uint32_t, std::uint64_t, float, double, bool, std::string_view>;

/// A row value append_row accepts: an arithmetic type but long double
/// (converted to the column's type when the value fits exactly, see
/// column_store::append_row), bool, anything convertible to
/// std::string_view, or a dense::value.
template <class V>
concept row_value = (std::is_arithmetic_v<std::remove_cvref_t<V>> &&
                     !std::same_as<std::remove_cvref_t<V>, long double>) ||
                    std::convertible_to<V, std::string_view> || std::same_as<std::remove_cvref_t<V>, value>;

/// The id of a string in a string column's dictionary.
using string_id = std::uint32_t;

/// The comparison of count_if and filter: value[i] OP v. IEEE semantics for
/// floats: NaN compares false except for not_equal, which is true.
enum class compare : std::uint8_t { less, less_equal, greater, greater_equal, equal, not_equal };

/// What sum returns: int64_t for signed integers, uint64_t for unsigned
/// ones, double for float and double.
template <column_numeric T>
using sum_type = detail::sum_of<T>;

// ===========================================================================
// Scans over any contiguous array: std::span<const T>, so they work on a
// column, a std::vector (dense::sum<double>(v)) or a plain array. SIMD
// kernels where the target has them (ELECTRON_DISABLE_SIMD: scalar ones);
// none allocates except the filter and gather that return a container.
// ===========================================================================

/// The sum of data, in sum_type<T>. O(n).
/// - Integers: exact modulo 2^64 (a total outside int64_t / uint64_t wraps;
///   no undefined behaviour).
/// - double: lane accumulators. With SIMD, 4 vectors of L lanes take value
///   i into lane i mod 4L; they are added ((a0 + a1) + (a2 + a3)), the
///   values past the last full vector added to lane 0 in order, and the L
///   lanes combined pairwise (halving). Without SIMD, 8 scalars the same
///   way. The result may differ from a sequential loop's in the last bits
///   (usually it is closer to the exact sum); it depends on the target's
///   vector width but not on the span's alignment.
/// - float: the same over blocks of 1024 values in float, each block's total
///   added to a double.
/// - Empty: 0. NaN or inf in, NaN or inf out (IEEE addition).
template <column_numeric T>
[[nodiscard]] sum_type<T> sum(std::span<const T> data) noexcept {
  return detail::sum(electron::detail::default_arch{}, data.data(), data.size());
}

/// The smallest value, std::nullopt when data is empty. O(n). Floats: NaN
/// values are skipped (as std::fmin does); NaN only when every value is NaN.
/// -0.0 and +0.0 compare equal and either may be returned.
template <column_numeric T>
[[nodiscard]] std::optional<T> min(std::span<const T> data) noexcept {
  if (data.empty()) return std::nullopt;
  return detail::min(electron::detail::default_arch{}, data.data(), data.size());
}

/// The largest value, std::nullopt when data is empty. As min for NaN and zeros.
template <column_numeric T>
[[nodiscard]] std::optional<T> max(std::span<const T> data) noexcept {
  if (data.empty()) return std::nullopt;
  return detail::max(electron::detail::default_arch{}, data.data(), data.size());
}

/// How many values satisfy `data[i] cmp v`. O(n), allocates nothing.
template <column_numeric T>
[[nodiscard]] std::size_t count_if(std::span<const T> data, compare cmp, std::type_identity_t<T> v) noexcept {
  return detail::count(electron::detail::default_arch{}, data.data(), data.size(), static_cast<detail::cmp_kind>(cmp),
                       v);
}

/// Sets out to data.size() bits, bit i = `data[i] cmp v`. O(n); allocates
/// only when out's capacity is too small (then strong guarantee: throws
/// std::bad_alloc or std::length_error and leaves out unchanged).
template <column_numeric T, bits::word_allocator A>
void filter(std::span<const T> data, compare cmp, std::type_identity_t<T> v, bits::basic_bitset<A>& out) {
  out.resize(data.size());
  if (data.empty()) return;
  // Every word is written whole; the bits past data.size() come out zero,
  // and clear_unused_bits() keeps the bitset's invariant regardless.
  detail::filter_words(electron::detail::default_arch{}, data.data(), data.size(), static_cast<detail::cmp_kind>(cmp),
                       v, out.data());
  out.clear_unused_bits();
}

/// The selection of the values with `data[i] cmp v`, as a new bitset.
template <column_numeric T>
[[nodiscard]] bits::bitset filter(std::span<const T> data, compare cmp, std::type_identity_t<T> v) {
  bits::bitset out;
  dense::filter(data, cmp, v, out);
  return out;
}

/// Copies data[i] for every set bit i of sel to out, in index order; returns
/// how many (sel.count()). Preconditions (ELECTRON_ASSERT): sel.size() ==
/// data.size() and out.size() >= sel.count(). O(n / 64 + count).
template <column_scalar T, bits::word_allocator A>
std::size_t gather(std::span<const T> data, const bits::basic_bitset<A>& sel, std::span<T> out) noexcept {
  ELECTRON_ASSERT(sel.size() == data.size(), "dense::gather: selection and data sizes differ");
  ELECTRON_ASSERT(out.size() >= sel.count(), "dense::gather: output too small");
  return detail::gather(electron::detail::default_arch{}, data.data(), data.size(), sel.data(), out.data(),
                        out.data() + out.size());
}

/// The selected values as a vector (one allocation, of sel.count() values).
/// Throws std::invalid_argument when sel.size() != data.size().
template <column_scalar T, bits::word_allocator A>
[[nodiscard]] std::vector<T> gather(std::span<const T> data, const bits::basic_bitset<A>& sel) {
  if (sel.size() != data.size()) detail::throw_named<std::invalid_argument>("gather", "", ": selection size differs");
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<bool> out;  // packed: no data() to write through
    out.reserve(sel.count());
    for (const std::size_t i : sel.set_bits()) out.push_back(data[i]);
    return out;
  } else {
    std::vector<T> out(sel.count());
    if (!out.empty()) {
      detail::gather(electron::detail::default_arch{}, data.data(), data.size(), sel.data(), out.data(),
                     out.data() + out.size());
    }
    return out;
  }
}

// ===========================================================================
// The type-erased column
// ===========================================================================

class column_store;
namespace detail {
template <column_element T>
class typed_column;
}

/// One column of a column_store, for generic code: cells as dense::value.
/// Obtained from column_store::column(name) or column_at(index); the
/// reference is valid until the column store is destroyed, moved from, or
/// assigned. Typed code uses column_store::column<T>(name) instead, which
/// gives the array itself.
class column {
 public:
  column(const column&) = delete;
  column& operator=(const column&) = delete;
  virtual ~column() = default;

  /// The column's name.
  [[nodiscard]] const std::string& name() const noexcept { return m_name; }
  /// The column's type.
  [[nodiscard]] column_type type() const noexcept { return m_type; }
  /// Number of rows (the store's size()).
  [[nodiscard]] virtual std::size_t size() const noexcept = 0;
  /// The cell of `row`, as the alternative of type(). Throws
  /// std::out_of_range when row >= size().
  [[nodiscard]] virtual value get(std::size_t row) const = 0;
  /// Sets the cell of `row`. v is converted as append_row converts (exactly
  /// representable values only); throws std::invalid_argument when it does
  /// not fit, std::out_of_range when row >= size(); unchanged then. A string
  /// is added to the column's dictionary when new.
  virtual void set(std::size_t row, const value& v) = 0;

 protected:
  column(std::string name, column_type type) : m_name(std::move(name)), m_type(type) {}

 private:
  friend class column_store;
  template <column_element>
  friend class detail::typed_column;
  // What column_store needs; not part of the interface.
  [[nodiscard]] virtual std::unique_ptr<column> clone() const = 0;
  virtual void reserve_rows(std::size_t n) = 0;
  virtual void resize_rows(std::size_t n) = 0;  // new rows: T{} or ""
  virtual void clear_rows() = 0;
  // Appending a row is two steps so that a row either lands in every column
  // or in none: prepare (checks, makes room, interns; may throw) and commit
  // (cannot fail).
  virtual std::uint64_t prepare_append(const value& v) = 0;
  virtual void commit_append(std::uint64_t prepared) noexcept = 0;

  std::string m_name;
  column_type m_type;
};

/// A string column: ids into a dictionary holding each distinct string once.
/// Access through column_store::strings(name).
class string_column final : public column {
 public:
  /// The id of every row (ids are dense: 0 for the first distinct string, ...).
  [[nodiscard]] std::span<const string_id> ids() const noexcept { return {m_ids.data(), m_ids.size()}; }
  /// The string of `row`. Precondition: row < size() (ELECTRON_ASSERT).
  [[nodiscard]] std::string_view operator[](std::size_t row) const noexcept {
    ELECTRON_ASSERT(row < m_ids.size(), "string_column: row out of range");
    return m_dictionary[m_ids.data()[row]];
  }
  /// The string of `row`; throws std::out_of_range when row >= size().
  [[nodiscard]] std::string_view at(std::size_t row) const {
    if (row >= m_ids.size()) detail::throw_named<std::out_of_range>("column", name(), ": row out of range");
    return (*this)[row];
  }
  /// The string of an id; throws std::out_of_range for an unknown id.
  [[nodiscard]] std::string_view string_of(string_id id) const { return m_dictionary.at(id); }
  /// The id of s if some row ever held it (the dictionary keeps strings
  /// that were overwritten), without adding it. O(1) expected.
  [[nodiscard]] std::optional<string_id> find(std::string_view s) const { return m_dictionary.find(s); }
  /// Number of distinct strings stored.
  [[nodiscard]] std::size_t distinct_count() const noexcept { return m_dictionary.size(); }
  /// Sets row's string. Throws std::out_of_range when row >= size(),
  /// std::length_error / std::bad_alloc from the dictionary; unchanged then.
  void set_string(std::size_t row, std::string_view s) {
    if (row >= m_ids.size()) detail::throw_named<std::out_of_range>("column", name(), ": row out of range");
    m_ids.data()[row] = m_dictionary.intern(s).id;
  }

  [[nodiscard]] std::size_t size() const noexcept override { return m_ids.size(); }
  [[nodiscard]] value get(std::size_t row) const override { return at(row); }
  void set(std::size_t row, const value& v) override {
    const auto* s = std::get_if<std::string_view>(&v);
    if (s == nullptr) detail::throw_named<std::invalid_argument>("column", name(), ": a string column takes strings");
    set_string(row, *s);
  }

  /// An empty string column named `name` (column_store::add_column makes them).
  explicit string_column(std::string name) : column(std::move(name), column_type::string) {}

 private:
  [[nodiscard]] std::unique_ptr<column> clone() const override {
    auto c = std::make_unique<string_column>(name());
    // Interning in id order gives every string its old id.
    for (std::size_t id = 0; id < m_dictionary.size(); ++id) {
      c->m_dictionary.intern(m_dictionary[static_cast<string_id>(id)]);
    }
    c->m_ids = m_ids;
    return c;
  }
  void reserve_rows(std::size_t n) override { m_ids.reserve(n); }
  void resize_rows(std::size_t n) override {
    const string_id empty = n > m_ids.size() ? m_dictionary.intern({}).id : 0;
    m_ids.resize(n, empty);
  }
  void clear_rows() override {
    m_ids.clear();
    m_dictionary = hash::string_interner();
  }
  std::uint64_t prepare_append(const value& v) override {
    const auto* s = std::get_if<std::string_view>(&v);
    if (s == nullptr) detail::throw_named<std::invalid_argument>("append_row: column", name(), " takes strings");
    m_ids.reserve_one_more();
    return m_dictionary.intern(*s).id;
  }
  void commit_append(std::uint64_t prepared) noexcept override {
    m_ids.push_back_unchecked(static_cast<string_id>(prepared));
  }

  detail::column_buffer<string_id> m_ids;
  hash::string_interner m_dictionary;
};

namespace detail {
/// The class of a column of T.
template <column_element T>
using column_class = std::conditional_t<std::is_same_v<T, std::string_view>, string_column, typed_column<T>>;
}  // namespace detail

// ===========================================================================
// The column store
// ===========================================================================

/// A table of named, typed columns, all of size() rows. Columns are added
/// by name, rows appended whole; each column is a contiguous array reached
/// as a std::span<T> (column<T>), or through the type-erased dense::column.
///
/// - Lookup by name is a linear scan over the column names (tables have
///   few columns); keep the span or the reference for loops.
/// - Spans and references stay valid until the next add_column,
///   append_row/append_values, reserve, clear, assignment or destruction.
/// - Copies are deep (string dictionaries too, with the same ids); moves
///   are O(1) and leave the source empty. Self-assignment is a no-op.
class column_store {
 public:
  column_store() noexcept = default;
  column_store(const column_store& other) : m_rows(other.m_rows) {
    m_columns.reserve(other.m_columns.size());
    for (const auto& c : other.m_columns) m_columns.push_back(c->clone());
  }
  column_store(column_store&& other) noexcept
      : m_columns(std::move(other.m_columns)), m_rows(std::exchange(other.m_rows, 0)) {
    other.m_columns.clear();
  }
  column_store& operator=(const column_store& other) {
    if (this != &other) {
      column_store copy(other);
      swap(copy);
    }
    return *this;
  }
  column_store& operator=(column_store&& other) noexcept {
    if (this != &other) {
      column_store moved(std::move(other));
      swap(moved);
    }
    return *this;
  }
  ~column_store() = default;
  void swap(column_store& other) noexcept {
    m_columns.swap(other.m_columns);
    std::swap(m_rows, other.m_rows);
  }
  friend void swap(column_store& a, column_store& b) noexcept { a.swap(b); }

  // ---- shape -------------------------------------------------------------
  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return m_rows; }
  [[nodiscard]] bool empty() const noexcept { return m_rows == 0; }
  /// Number of columns.
  [[nodiscard]] std::size_t column_count() const noexcept { return m_columns.size(); }
  /// The column names, in column order (views of the stored names).
  [[nodiscard]] std::vector<std::string_view> column_names() const {
    std::vector<std::string_view> names;
    names.reserve(m_columns.size());
    for (const auto& c : m_columns) names.emplace_back(c->name());
    return names;
  }
  /// True when a column has this name.
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return index_of(name) != npos; }

  /// Adds a column of T (std::string_view: a string column) after the
  /// others. When rows exist, the new column holds T{} (0, false, or "")
  /// in each. Throws std::invalid_argument when the name is taken; strong
  /// guarantee. Returns *this, so calls chain.
  template <column_element T>
  column_store& add_column(std::string_view name);

  /// Room for n rows in every column (columns added later start empty).
  void reserve(std::size_t n) {
    for (auto& c : m_columns) c->reserve_rows(n);
  }
  /// Removes every row (and the string dictionaries); keeps the columns.
  void clear() {
    for (auto& c : m_columns) c->clear_rows();
    m_rows = 0;
  }

  // ---- rows --------------------------------------------------------------
  /// Appends one row: one value per column, in column order. A value is
  /// stored when its column's type holds it exactly: an integer into an
  /// integer column whose range has it, or into a float column where it is
  /// exactly representable; a float into a float column (double into float:
  /// when it rounds to itself, or inf/NaN); bool into bool only; a string
  /// (anything convertible to std::string_view) into a string column only.
  /// Throws std::invalid_argument (the column's name in the message) when
  /// the count differs from column_count() or a value does not fit: the
  /// rows are then unchanged (a string may stay in a dictionary).
  ///
  ///   t.append_row(1, 9.5, "Oslo");        // int64, double, string columns
  template <row_value... Vs>
  void append_row(Vs&&... values);
  /// append_row for a row built at run time.
  void append_values(std::span<const value> row);

  // ---- typed access ------------------------------------------------------
  /// The column's values. Throws std::out_of_range when no column has this
  /// name, std::invalid_argument when its type is not T (both name it).
  template <column_scalar T>
  [[nodiscard]] std::span<T> column(std::string_view name) {
    T* p = typed<T>(name).data();
    return {p, m_rows};
  }
  template <column_scalar T>
  [[nodiscard]] std::span<const T> column(std::string_view name) const {
    const T* p = const_cast<column_store&>(*this).typed<T>(name).data();  // NOLINT
    return {p, m_rows};
  }
  /// The column's values, or std::nullopt when there is no such column of
  /// type T. Never throws.
  template <column_scalar T>
  [[nodiscard]] std::optional<std::span<T>> find_column(std::string_view name) noexcept;
  template <column_scalar T>
  [[nodiscard]] std::optional<std::span<const T>> find_column(std::string_view name) const noexcept;

  /// The string column `name`. Throws as column<T>.
  [[nodiscard]] string_column& strings(std::string_view name) { return typed<std::string_view>(name); }
  [[nodiscard]] const string_column& strings(std::string_view name) const {
    return const_cast<column_store&>(*this).typed<std::string_view>(name);  // NOLINT
  }
  /// The string in column `name`, row `row`. Throws as strings(name), and
  /// std::out_of_range when row >= size().
  [[nodiscard]] std::string_view string_at(std::string_view name, std::size_t row) const {
    return strings(name).at(row);
  }

  // ---- type-erased access ------------------------------------------------
  /// The column `name`. Throws std::out_of_range when there is none.
  [[nodiscard]] dense::column& column(std::string_view name) { return *m_columns[checked_index(name)]; }
  [[nodiscard]] const dense::column& column(std::string_view name) const { return *m_columns[checked_index(name)]; }
  /// The column at `index` (column order). Throws std::out_of_range when
  /// index >= column_count().
  [[nodiscard]] dense::column& column_at(std::size_t index) { return *m_columns.at(index); }
  [[nodiscard]] const dense::column& column_at(std::size_t index) const { return *m_columns.at(index); }

  // ---- scans (the free functions on column<T>(name); they throw as it) ----
  template <column_numeric T>
  [[nodiscard]] sum_type<T> sum(std::string_view name) const {
    return dense::sum(column<T>(name));
  }
  template <column_numeric T>
  [[nodiscard]] std::optional<T> min(std::string_view name) const {
    return dense::min(column<T>(name));
  }
  template <column_numeric T>
  [[nodiscard]] std::optional<T> max(std::string_view name) const {
    return dense::max(column<T>(name));
  }
  template <column_numeric T>
  [[nodiscard]] std::size_t count_if(std::string_view name, compare cmp, std::type_identity_t<T> v) const {
    return dense::count_if(column<T>(name), cmp, v);
  }
  template <column_numeric T>
  [[nodiscard]] bits::bitset filter(std::string_view name, compare cmp, std::type_identity_t<T> v) const {
    return dense::filter(column<T>(name), cmp, v);
  }
  /// The values of column `name` at the set bits of sel. Throws as
  /// column<T>, and std::invalid_argument when sel.size() != size().
  template <column_scalar T, bits::word_allocator A>
  [[nodiscard]] std::vector<T> gather(std::string_view name, const bits::basic_bitset<A>& sel) const {
    return dense::gather(column<T>(name), sel);
  }

 private:
  std::size_t index_of(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
      if (m_columns[i]->name() == name) return i;
    }
    return npos;
  }
  std::size_t checked_index(std::string_view name) const {
    const std::size_t i = index_of(name);
    if (i == npos) detail::throw_named<std::out_of_range>("column_store: no column", name);
    return i;
  }
  template <column_element T>
  detail::column_class<T>& typed(std::string_view name);

  std::vector<std::unique_ptr<dense::column>> m_columns;
  std::size_t m_rows = 0;
};

}  // namespace dense
ELECTRON_END_NAMESPACE

#include "electron/dense/detail/column_impl.hpp"

#endif  // ELECTRON_DENSE_COLUMN_STORE_HPP
