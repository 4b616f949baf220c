// SPDX-License-Identifier: MIT
// electron/dense/soa.hpp: a struct-of-arrays vector.
//
// `soa<Ts...>` keeps one contiguous column per field, each aligned to 64
// bytes (the widest SIMD register), so a scan of one field reads only that
// field's bytes. Rows are reached through `soa_row` proxies (a tuple-like of
// references) that std and std::ranges algorithms sort, reverse and search;
// `column<I>()` gives a field as a std::span. `soa_of<S, &S::a, &S::b>`
// names the columns by the members of a struct. Allocator-aware (a std
// allocator or std::pmr: `dense::pmr::soa<Ts...>`). Not thread-safe: one
// writer, or readers only, as for std::vector.
//
//   struct person { std::string name; int age; };
//   electron::dense::soa_of<person, &person::name, &person::age> people;
//   people.push_back(person{"Ada", 36});
//   people.emplace_back("Alan", 41);
//   std::ranges::sort(people, {}, electron::dense::field<1>);   // by age
//   for (int age : people.column<&person::age>()) total += age;
//
// Invalidation (as std::vector): an operation that grows the capacity
// (push_back/emplace_back at capacity, reserve, resize beyond capacity) and
// shrink_to_fit invalidate every iterator, row and span; otherwise
// push_back/emplace_back/resize invalidate only end(); insert/emplace at a
// position invalidate rows and iterators at and after it (every one when
// they grow the capacity); sort_by/stable_sort_by invalidate nothing (rows
// and spans then see the sorted rows); erase(i..) invalidates
// rows and iterators at and after the first erased row; erase_swap(i)
// invalidates the rows at i and at the old last index; pop_back the last
// row; clear all of them. Spans from column<>() have the size they were made
// with: take them again after the size changes. Moving a soa keeps its rows
// (they then belong to the new owner); swap exchanges them.
#ifndef ELECTRON_DENSE_SOA_HPP
#define ELECTRON_DENSE_SOA_HPP

#include "electron/config.hpp"
#include "electron/dense/detail/soa_row.hpp"
#include "electron/dense/detail/soa_sort.hpp"
#include "electron/dense/detail/soa_storage.hpp"

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <memory_resource>
#include <ranges>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace dense {

/// An allocator soa can store and rebind to its aligned storage blocks: a
/// std allocator (std::allocator, std::pmr::polymorphic_allocator, or any
/// type std::allocator_traits accepts) that is copyable and comparable.
template <class A>
concept soa_allocator = std::copy_constructible<A> && std::equality_comparable<A> && requires(A& a) {
  typename A::value_type;
  a.allocate(std::size_t{1});
};

/// The index of T in Ts, when T appears exactly once.
template <class T, class... Ts>
concept unique_column = (static_cast<int>(std::is_same_v<T, Ts>) + ... + 0) == 1;

/// R (an iterator's reference) builds a row of Ts: a std::tuple or soa_row
/// of fields each column is constructible from, or anything convertible to
/// std::tuple<Ts...>.
template <class R, class... Ts>
concept row_source = std::constructible_from<std::tuple<Ts...>, R> ||
    (detail::row_like<R>&& std::tuple_size_v<std::remove_cvref_t<R>> ==
     sizeof...(Ts) &&[]<std::size_t... I>(std::index_sequence<I...>) {
       return (std::constructible_from<Ts, detail::field_of_t<I, R>> && ...);
     }(std::index_sequence_for<Ts...>{}));

/// A struct-of-arrays vector of rows (Ts...) with allocator Alloc (rebound
/// to its storage blocks); see the file comment. One allocation per growth
/// holds all columns, each aligned to 64 bytes (or the element's alignment
/// when larger). Growth doubles the capacity.
///
/// Guarantees: push_back/emplace_back, reserve, shrink_to_fit and copies
/// give the strong guarantee when every column's move constructor is
/// noexcept or the column is copyable (its copy is used then); a column
/// that is move-only with a throwing move gives the basic guarantee on
/// growth. resize(n) keeps the old rows and builds no new one when an
/// element constructor throws. erase/erase_swap assign rows by move: the
/// basic guarantee if such a move throws. Assigning through a row writes
/// field by field (basic guarantee). insert/emplace append the new rows
/// (the strong guarantee above) and rotate them into place: the strong
/// guarantee at end(), or anywhere when every column's move and swap are
/// noexcept; the basic guarantee otherwise (std::vector gives the strong
/// one only at the end). assign gives the basic guarantee (on an exception
/// the soa holds a prefix of the new rows). sort_by/stable_sort_by leave
/// the rows unchanged when a comparison or an allocation throws; a
/// throwing move gives the basic guarantee.
template <soa_allocator Alloc, soa_element... Ts>
requires(sizeof...(Ts) > 0) class basic_soa {
 public:
  using value_type = std::tuple<Ts...>;
  using allocator_type = Alloc;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = soa_row<Ts&...>;
  using const_reference = soa_row<const Ts&...>;
  using iterator = soa_iterator<false, Ts...>;
  using const_iterator = soa_iterator<true, Ts...>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;
  /// The element type of column I.
  template <std::size_t I>
  using column_type_t = std::tuple_element_t<I, value_type>;
  /// The number of columns.
  static constexpr std::size_t columns = sizeof...(Ts);
  /// The alignment of every column's data().
  static constexpr std::size_t alignment = detail::soa_layout<Ts...>::align;

  // ---- construction -------------------------------------------------------
  /// Empty; allocates nothing.
  basic_soa() noexcept(noexcept(Alloc())) requires std::default_initializable<Alloc> : basic_soa(Alloc()) {}
  /// Empty, with the given allocator; allocates nothing.
  explicit basic_soa(const Alloc& alloc) noexcept : m_alloc(alloc) {}
  /// n value-initialized rows.
  explicit basic_soa(size_type n, const Alloc& alloc = Alloc()) requires(std::default_initializable<Ts>&&...)
      : m_alloc(alloc) {
    build([&] { resize(n); });
  }
  /// n copies of a row.
  basic_soa(size_type n, const value_type& row, const Alloc& alloc = Alloc()) requires(std::copy_constructible<Ts>&&...)
      : m_alloc(alloc) {
    build([&] { resize(n, row); });
  }
  /// The rows of a list.
  basic_soa(std::initializer_list<value_type> rows,
            const Alloc& alloc = Alloc()) requires(std::copy_constructible<Ts>&&...)
      : m_alloc(alloc) {
    build([&] { append_range(rows.begin(), rows.end(), true); });
  }
  /// The rows of [first, last): std::tuples or soa_rows of fields, or
  /// anything convertible to value_type. One allocation when the iterators
  /// are forward iterators.
  template <std::input_iterator It, std::sentinel_for<It> S>
  requires row_source<std::iter_reference_t<It>, Ts...> basic_soa(It first, S last, const Alloc& alloc = Alloc())
      : m_alloc(alloc) {
    build([&] { append_range(std::move(first), std::move(last), true); });
  }
  /// A copy (allocator from select_on_container_copy_construction).
  basic_soa(const basic_soa& other) requires(std::copy_constructible<Ts>&&...)
      : basic_soa(other, std::allocator_traits<Alloc>::select_on_container_copy_construction(other.m_alloc)) {}
  /// A copy with the given allocator.
  basic_soa(const basic_soa& other, const Alloc& alloc) requires(std::copy_constructible<Ts>&&...) : m_alloc(alloc) {
    if (other.m_size == 0) return;
    buffer fresh = allocate_buffer(other.m_size);
    detail::rollback free_fresh([&] { free_buffer(fresh); });
    copy_columns(other, fresh);
    free_fresh.dismiss();
    m_buf = fresh;
    m_size = other.m_size;
  }
  /// Takes other's rows and allocator; other is left empty. O(1).
  basic_soa(basic_soa&& other) noexcept
      : m_alloc(std::move(other.m_alloc)),
        m_buf(std::exchange(other.m_buf, buffer{})),
        m_size(std::exchange(other.m_size, 0)) {}
  /// Takes other's rows when the allocators are equal (O(1)), else moves
  /// them one by one into storage from alloc.
  basic_soa(basic_soa&& other, const Alloc& alloc) : m_alloc(alloc) {
    if (m_alloc == other.m_alloc) {
      m_buf = std::exchange(other.m_buf, buffer{});
      m_size = std::exchange(other.m_size, 0);
    } else if (other.m_size != 0) {
      buffer fresh = allocate_buffer(other.m_size);
      detail::rollback free_fresh([&] { free_buffer(fresh); });
      other.relocate_columns(fresh);
      free_fresh.dismiss();
      m_buf = fresh;
      m_size = other.m_size;
    }
  }
  ~basic_soa() { release(); }

  /// Copy assignment: the strong guarantee (builds the copy first).
  basic_soa& operator=(const basic_soa& other) requires(std::copy_constructible<Ts>&&...) {
    if (this == std::addressof(other)) return *this;
    constexpr bool propagate = std::allocator_traits<Alloc>::propagate_on_container_copy_assignment::value;
    basic_soa copy(other, propagate ? other.m_alloc : m_alloc);
    if constexpr (propagate) {
      using std::swap;
      swap(m_alloc, copy.m_alloc);
    }
    std::swap(m_buf, copy.m_buf);
    std::swap(m_size, copy.m_size);
    return *this;
  }
  /// Move assignment: O(1) when the allocator propagates or compares equal,
  /// else the rows are moved one by one. Self-move leaves it unchanged.
  // Not noexcept with unequal allocators that do not propagate (they must
  // allocate), as std::vector.
  // NOLINTBEGIN(performance-noexcept-move-constructor)
  basic_soa& operator=(basic_soa&& other) noexcept(
      std::allocator_traits<Alloc>::propagate_on_container_move_assignment::value ||
      std::allocator_traits<Alloc>::is_always_equal::value) {
    // NOLINTEND(performance-noexcept-move-constructor)
    if (this == std::addressof(other)) return *this;
    if constexpr (std::allocator_traits<Alloc>::propagate_on_container_move_assignment::value) {
      release();
      m_alloc = std::move(other.m_alloc);
      steal(other);
    } else {
      if (m_alloc == other.m_alloc) {
        release();
        steal(other);
      } else {
        basic_soa moved(std::move(other), m_alloc);
        std::swap(m_buf, moved.m_buf);
        std::swap(m_size, moved.m_size);
      }
    }
    return *this;
  }

  /// The allocator.
  [[nodiscard]] allocator_type get_allocator() const noexcept { return m_alloc; }

  // ---- size and capacity --------------------------------------------------
  [[nodiscard]] size_type size() const noexcept { return m_size; }
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  /// Rows that fit before the next allocation.
  [[nodiscard]] size_type capacity() const noexcept { return m_buf.capacity; }
  /// The most rows a soa can hold (all columns in one allocation).
  [[nodiscard]] size_type max_size() const noexcept {
    block_alloc a(m_alloc);
    return layout::max_rows(std::allocator_traits<block_alloc>::max_size(a));
  }
  /// Makes room for n rows in one allocation. Throws std::length_error
  /// when n > max_size(); strong guarantee (see the class comment). Unlike
  /// std::vector's, it touches the new memory of large columns (one byte a
  /// page, column after column), so the operating system maps each
  /// column's pages in order: rows appended one by one afterwards would
  /// otherwise fault the columns' pages in turn, and a 10M-row column scan
  /// then runs 10-50% slower (docs/dense.md). The reserved memory is
  /// therefore resident at once.
  void reserve(size_type n) {
    if (n <= m_buf.capacity) return;
    if (n > max_size())
      electron::detail::throw_error<std::length_error>("electron::dense::soa: reserve beyond max_size()");
    reallocate(n);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (detail::touch_pages(col<I>() + m_size, (n - m_size) * sizeof(Ts)), ...);
    }
    (std::index_sequence_for<Ts...>{});
  }
  /// Gives back unused capacity (one reallocation; strong guarantee).
  void shrink_to_fit() {
    if (m_size == m_buf.capacity) return;
    if (m_size == 0) {
      release();
      return;
    }
    reallocate(m_size);
  }
  /// n rows: drops the last ones or appends value-initialized rows.
  void resize(size_type n) requires(std::default_initializable<Ts>&&...) { resize_impl<false>(n, nullptr); }
  /// n rows: drops the last ones or appends copies of row.
  void resize(size_type n, const value_type& row) requires(std::copy_constructible<Ts>&&...) {
    resize_impl<true>(n, std::addressof(row));
  }
  /// Destroys every row; keeps the capacity.
  void clear() noexcept {
    destroy_rows(m_buf, 0, m_size);
    m_size = 0;
  }
  /// Replaces the rows with n copies of row (basic guarantee).
  void assign(size_type n, const value_type& row) requires(std::copy_constructible<Ts>&&...) {
    clear();
    resize(n, row);
  }
  /// Replaces the rows with those of [first, last), which must not refer
  /// into this soa (basic guarantee).
  template <std::input_iterator It, std::sentinel_for<It> S>
  requires row_source<std::iter_reference_t<It>, Ts...>
  void assign(It first, S last) {
    clear();
    append_range(std::move(first), std::move(last), true);
  }
  /// Replaces the rows with those of a list (basic guarantee).
  void assign(std::initializer_list<value_type> rows) requires(std::copy_constructible<Ts>&&...) {
    assign(rows.begin(), rows.end());
  }

  // ---- rows ---------------------------------------------------------------
  /// Appends a row (copies the fields). Amortized O(1); strong guarantee.
  void push_back(const value_type& row) requires(std::copy_constructible<Ts>&&...) { emplace_row(row); }
  /// Appends a row (moves the fields). Amortized O(1); strong guarantee.
  void push_back(value_type&& row) { emplace_row(std::move(row)); }
  /// Appends a row built field by field from args (one per column);
  /// returns it. Amortized O(1); strong guarantee.
  template <class... Args>
  requires(sizeof...(Args) == sizeof...(Ts) && (std::constructible_from<Ts, Args> && ...)) reference
      emplace_back(Args&&... args) {
    return emplace_row(std::forward_as_tuple(std::forward<Args>(args)...));
  }
  /// Inserts a copy of row before pos; returns the iterator to it.
  /// O(size() - index); see the class comment for the guarantee.
  iterator insert(const_iterator pos, const value_type& row) requires(std::copy_constructible<Ts>&&...) {
    return insert_with(pos, [&] { emplace_row(row); });
  }
  /// Inserts row (moved) before pos; returns the iterator to it.
  iterator insert(const_iterator pos, value_type&& row) {
    return insert_with(pos, [&] { emplace_row(std::move(row)); });
  }
  /// Inserts n copies of row before pos; returns the iterator to the first
  /// (pos when n == 0).
  iterator insert(const_iterator pos, size_type n, const value_type& row) requires(std::copy_constructible<Ts>&&...) {
    return insert_with(pos, [&] {
      if (n == 0) return;
      make_room(n);
      fill_columns<true>(m_size + n, std::addressof(row));
      m_size += n;
    });
  }
  /// Inserts the rows of [first, last) (see the range constructor) before
  /// pos; returns the iterator to the first. The range must not refer into
  /// this soa.
  template <std::input_iterator It, std::sentinel_for<It> S>
  requires row_source<std::iter_reference_t<It>, Ts...> iterator insert(const_iterator pos, It first, S last) {
    return insert_with(pos, [&] { append_range(std::move(first), std::move(last)); });
  }
  /// Inserts the rows of a list before pos.
  iterator insert(const_iterator pos,
                  std::initializer_list<value_type> rows) requires(std::copy_constructible<Ts>&&...) {
    return insert(pos, rows.begin(), rows.end());
  }
  /// Inserts a row built field by field from args (one per column; they
  /// may refer into this soa) before pos; returns the iterator to it.
  template <class... Args>
  requires(sizeof...(Args) == sizeof...(Ts) && (std::constructible_from<Ts, Args> && ...)) iterator
      emplace(const_iterator pos, Args&&... args) {
    return insert_with(pos, [&] { emplace_row(std::forward_as_tuple(std::forward<Args>(args)...)); });
  }

  /// Sorts the rows by column I: comp over proj(key) (a strict weak
  /// order). Computes the sorting permutation of the row indices (the keys
  /// copied next to their indices when small and trivially copyable, else
  /// compared in place), then moves each column's rows along the
  /// permutation's cycles in place: O(n log n) comparisons, O(n) moves per
  /// column, n indices (and keys) of scratch memory from the allocator. Only
  /// moves rows, so move-only columns sort (std::sort over the proxies
  /// needs copyable rows). Not stable.
  template <std::size_t I, class Comp = std::ranges::less, class Proj = std::identity>
  requires(I < sizeof...(Ts) && (std::is_move_assignable_v<Ts> && ...) &&
           std::indirect_strict_weak_order<
               Comp, std::projected<const column_type_t<I>*, Proj>>) void sort_by(Comp comp = {}, Proj proj = {}) {
    sort_impl<I>(false, comp, proj);
  }
  /// As sort_by, keeping rows with equivalent keys in their order.
  template <std::size_t I, class Comp = std::ranges::less, class Proj = std::identity>
  requires(I < sizeof...(Ts) && (std::is_move_assignable_v<Ts> && ...) &&
           std::indirect_strict_weak_order<
               Comp, std::projected<const column_type_t<I>*, Proj>>) void stable_sort_by(Comp comp = {},
                                                                                         Proj proj = {}) {
    sort_impl<I>(true, comp, proj);
  }

  /// Removes the last row. Precondition: !empty().
  void pop_back() noexcept {
    ELECTRON_ASSERT(m_size != 0, "soa::pop_back on an empty soa");
    destroy_rows(m_buf, m_size - 1, m_size);
    --m_size;
  }
  /// Removes row i in O(1) by moving the last row into its place (order
  /// not kept). Precondition: i < size().
  void erase_swap(size_type i) noexcept((std::is_nothrow_move_assignable_v<Ts> && ...)) {
    ELECTRON_ASSERT(i < m_size, "soa::erase_swap index out of range");
    const size_type last = m_size - 1;
    if (i != last) {
      [&]<std::size_t... I>(std::index_sequence<I...>) { ((col<I>()[i] = std::move(col<I>()[last])), ...); }
      (std::index_sequence_for<Ts...>{});
    }
    destroy_rows(m_buf, last, m_size);
    --m_size;
  }
  /// Removes the row at pos, keeping the order; returns the iterator to the
  /// row after it. O(size() - index). Precondition: pos is dereferenceable.
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  /// Removes the rows in [first, last), keeping the order; returns the
  /// iterator to the row after them.
  iterator erase(const_iterator first, const_iterator last) {
    const auto f = static_cast<size_type>(first.index());
    const auto l = static_cast<size_type>(last.index());
    ELECTRON_ASSERT(f <= l && l <= m_size, "soa::erase range out of bounds");
    if (f != l) {
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (std::move(col<I>() + l, col<I>() + m_size, col<I>() + f), ...);
      }
      (std::index_sequence_for<Ts...>{});
      destroy_rows(m_buf, m_size - (l - f), m_size);
      m_size -= l - f;
    }
    return begin() + static_cast<difference_type>(f);
  }

  /// Row i. Precondition: i < size().
  [[nodiscard]] reference operator[](size_type i) noexcept {
    ELECTRON_ASSERT(i < m_size, "soa::operator[] index out of range");
    return begin()[static_cast<difference_type>(i)];
  }
  [[nodiscard]] const_reference operator[](size_type i) const noexcept {
    ELECTRON_ASSERT(i < m_size, "soa::operator[] index out of range");
    return begin()[static_cast<difference_type>(i)];
  }
  /// Row i; throws std::out_of_range when i >= size().
  [[nodiscard]] reference at(size_type i) {
    if (i >= m_size) electron::detail::throw_error<std::out_of_range>("electron::dense::soa::at: index out of range");
    return (*this)[i];
  }
  [[nodiscard]] const_reference at(size_type i) const {
    if (i >= m_size) electron::detail::throw_error<std::out_of_range>("electron::dense::soa::at: index out of range");
    return (*this)[i];
  }
  /// The first / last row. Precondition: !empty().
  [[nodiscard]] reference front() noexcept { return (*this)[0]; }
  [[nodiscard]] const_reference front() const noexcept { return (*this)[0]; }
  [[nodiscard]] reference back() noexcept { return (*this)[m_size - 1]; }
  [[nodiscard]] const_reference back() const noexcept { return (*this)[m_size - 1]; }

  // ---- columns ------------------------------------------------------------
  /// Column I as a span of size() elements (data() aligned to `alignment`
  /// once anything was allocated).
  template <std::size_t I>
  requires(I < sizeof...(Ts)) [[nodiscard]] std::span<column_type_t<I>> column() noexcept { return {col<I>(), m_size}; }
  template <std::size_t I>
  requires(I < sizeof...(Ts)) [[nodiscard]] std::span<const column_type_t<I>> column() const noexcept {
    return {col<I>(), m_size};
  }
  /// The column of type T, when exactly one column has it.
  template <class T>
  requires unique_column<T, Ts...>
  [[nodiscard]] std::span<T> column() noexcept { return column<index_of_type<T>()>(); }
  template <class T>
  requires unique_column<T, Ts...>
  [[nodiscard]] std::span<const T> column() const noexcept { return column<index_of_type<T>()>(); }

  // ---- iterators ----------------------------------------------------------
  [[nodiscard]] iterator begin() noexcept { return iterator(m_buf.cols, 0); }
  [[nodiscard]] iterator end() noexcept { return iterator(m_buf.cols, static_cast<difference_type>(m_size)); }
  [[nodiscard]] const_iterator begin() const noexcept { return const_iterator(const_cols(), 0); }
  [[nodiscard]] const_iterator end() const noexcept {
    return const_iterator(const_cols(), static_cast<difference_type>(m_size));
  }
  [[nodiscard]] const_iterator cbegin() const noexcept { return begin(); }
  [[nodiscard]] const_iterator cend() const noexcept { return end(); }
  [[nodiscard]] reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  [[nodiscard]] reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  [[nodiscard]] const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  [[nodiscard]] const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  [[nodiscard]] const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  [[nodiscard]] const_reverse_iterator crend() const noexcept { return rend(); }

  // ---- whole container ----------------------------------------------------
  /// Exchanges the contents (and the allocators when they propagate on
  /// swap; otherwise they must compare equal). O(1).
  void swap(basic_soa& other) noexcept {
    if constexpr (std::allocator_traits<Alloc>::propagate_on_container_swap::value) {
      using std::swap;
      swap(m_alloc, other.m_alloc);
    } else {
      ELECTRON_ASSERT(m_alloc == other.m_alloc, "soa::swap with unequal allocators that do not propagate");
    }
    std::swap(m_buf, other.m_buf);
    std::swap(m_size, other.m_size);
  }
  friend void swap(basic_soa& a, basic_soa& b) noexcept { a.swap(b); }
  /// Equal sizes and equal rows.
  [[nodiscard]] friend bool operator==(const basic_soa& a,
                                       const basic_soa& b) requires(std::equality_comparable<Ts>&&...) {
    if (a.m_size != b.m_size) return false;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (std::equal(a.template col<I>(), a.template col<I>() + a.m_size, b.template col<I>()) && ...);
    }
    (std::index_sequence_for<Ts...>{});
  }

 private:
  using layout = detail::soa_layout<Ts...>;
  using block = typename layout::block;
  using block_alloc = typename std::allocator_traits<Alloc>::template rebind_alloc<block>;
  template <class T>
  using element_alloc = typename std::allocator_traits<Alloc>::template rebind_alloc<T>;

  struct buffer {
    block* data = nullptr;
    size_type capacity = 0;
    std::tuple<Ts*...> cols{};
  };

  template <std::size_t I>
  [[nodiscard]] column_type_t<I>* col() const noexcept {
    return std::get<I>(m_buf.cols);
  }
  [[nodiscard]] std::tuple<const Ts*...> const_cols() const noexcept { return m_buf.cols; }
  template <class T>
  static constexpr std::size_t index_of_type() noexcept {
    constexpr bool same[] = {std::is_same_v<T, Ts>...};
    for (std::size_t i = 0; i < sizeof...(Ts); ++i) {
      if (same[i]) return i;
    }
    return sizeof...(Ts);
  }
  template <std::size_t I>
  [[nodiscard]] element_alloc<column_type_t<I>> alloc_for() const noexcept {
    return element_alloc<column_type_t<I>>(m_alloc);
  }

  [[nodiscard]] buffer allocate_buffer(size_type capacity) {
    block_alloc a(m_alloc);
    buffer b;
    b.data = std::allocator_traits<block_alloc>::allocate(a, layout::blocks(capacity));
    b.capacity = capacity;
    const auto off = layout::offsets(capacity);
    auto* base = reinterpret_cast<std::byte*>(b.data);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((std::get<I>(b.cols) = static_cast<Ts*>(static_cast<void*>(base + off[I]))), ...);
    }
    (std::index_sequence_for<Ts...>{});
    return b;
  }
  void free_buffer(buffer& b) noexcept {
    if (b.data == nullptr) return;
    block_alloc a(m_alloc);
    std::allocator_traits<block_alloc>::deallocate(a, b.data, layout::blocks(b.capacity));
    b = buffer{};
  }
  void destroy_rows(const buffer& b, size_type from, size_type to) noexcept {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            auto a = alloc_for<I>();
            detail::destroy_range(a, std::get<I>(b.cols) + from, to - from);
          }(),
          ...);
    }
    (std::index_sequence_for<Ts...>{});
  }
  void release() noexcept {
    destroy_rows(m_buf, 0, m_size);
    free_buffer(m_buf);
    m_size = 0;
  }
  void steal(basic_soa& other) noexcept {
    m_buf = std::exchange(other.m_buf, buffer{});
    m_size = std::exchange(other.m_size, 0);
  }

  // Runs a constructor's body: on an exception frees what it built (the
  // destructor does not run for an object whose constructor threw).
  template <class F>
  void build(F&& body) {
    detail::rollback undo([&] { release(); });
    std::forward<F>(body)();
    undo.dismiss();
  }
  // Makes room for n more rows (growing geometrically, or to exactly
  // size() + n); strong guarantee.
  void make_room(size_type n, bool exact = false) {
    if (n > max_size() - m_size)
      electron::detail::throw_error<std::length_error>("electron::dense::soa: size beyond max_size()");
    if (m_size + n > m_buf.capacity) reserve(exact ? m_size + n : grown_capacity(m_size + n));
  }
  // Appends one row from an iterator's reference.
  template <class R>
  void append_one(R&& r) {
    if constexpr (detail::row_like<R> && std::tuple_size_v<std::remove_cvref_t<R>> == sizeof...(Ts)) {
      emplace_row(std::forward<R>(r));
    } else {
      emplace_row(value_type(std::forward<R>(r)));
    }
  }
  // Appends the rows of [first, last): all of them, or none on an exception
  // (the capacity may have grown).
  template <class It, class S>
  void append_range(It first, S last, bool exact = false) {
    if constexpr (std::forward_iterator<It>) {
      make_room(detail::range_length(first, last), exact);
    }
    const size_type old = m_size;
    detail::rollback undo([&] {
      destroy_rows(m_buf, old, m_size);
      m_size = old;
    });
    for (; first != last; ++first) append_one(*first);
    undo.dismiss();
  }
  // insert/emplace: `append` adds rows at the end (all or none), which are
  // then rotated into place before pos, column by column.
  template <class F>
  iterator insert_with(const_iterator pos, F&& append) {
    const auto at = static_cast<size_type>(pos.index());
    ELECTRON_ASSERT(at <= m_size, "soa::insert position out of range");
    const size_type old = m_size;
    std::forward<F>(append)();
    if (at != old && old != m_size) {
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (std::rotate(col<I>() + at, col<I>() + old, col<I>() + m_size), ...);
      }
      (std::index_sequence_for<Ts...>{});
    }
    return begin() + static_cast<difference_type>(at);
  }
  template <std::size_t K, class Comp, class Proj>
  void sort_impl(bool stable, Comp& comp, Proj& proj) {
    if (m_size < 2) return;
    if (m_size <= std::numeric_limits<std::uint32_t>::max()) {
      sort_with<K, std::uint32_t>(stable, comp, proj);
    } else {
      sort_with<K, std::size_t>(stable, comp, proj);
    }
  }
  template <std::size_t K, class Index, class Comp, class Proj>
  void sort_with(bool stable, Comp& comp, Proj& proj) {
    auto perm = detail::sort_permutation<Index>(m_alloc, col<K>(), m_size, stable, comp, proj);
    // Trivially copyable columns are gathered through one scratch column;
    // the others (and only they) follow the permutation's cycles. All the
    // scratch memory is taken before any row moves.
    constexpr std::size_t gathered_bytes = std::max({(std::is_trivially_copyable_v<Ts> ? sizeof(Ts) : 0)...});
    constexpr bool any_cycled = !(std::is_trivially_copyable_v<Ts> && ...);
    block_alloc blocks(m_alloc);
    const size_type scratch_blocks = gathered_bytes == 0 ? 0 : (m_size * gathered_bytes + alignment - 1) / alignment;
    block* scratch =
        scratch_blocks == 0 ? nullptr : std::allocator_traits<block_alloc>::allocate(blocks, scratch_blocks);
    detail::rollback free_scratch([&] {
      if (scratch != nullptr) std::allocator_traits<block_alloc>::deallocate(blocks, scratch, scratch_blocks);
    });
    decltype(perm) order(perm.get_allocator());
    decltype(perm) ends(perm.get_allocator());
    if constexpr (any_cycled) {
      order.reserve(m_size);
      ends.reserve(m_size / 2);
    }
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (std::is_trivially_copyable_v<Ts>) {
              detail::apply_by_gather(col<I>(), perm.data(), m_size, scratch);
            }
          }(),
          ...);
    }
    (std::index_sequence_for<Ts...>{});
    if constexpr (any_cycled) {
      detail::permutation_cycles<Index>(perm, order, ends);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              if constexpr (!std::is_trivially_copyable_v<Ts>) {
                detail::apply_cycles(col<I>(), order.data(), ends.data(), ends.size());
              }
            }(),
            ...);
      }
      (std::index_sequence_for<Ts...>{});
    }
  }

  // Builds row i of b from src's fields, column by column; a throwing
  // constructor undoes the columns already built.
  template <std::size_t I = 0, class Src>
  void construct_row(const buffer& b, size_type i, Src&& src) {
    if constexpr (I < sizeof...(Ts)) {
      auto a = alloc_for<I>();
      auto* p = std::get<I>(b.cols) + i;
      std::allocator_traits<decltype(a)>::construct(a, p, detail::field_of<I>(std::forward<Src>(src)));
      detail::rollback undo([&] { std::allocator_traits<decltype(a)>::destroy(a, p); });
      construct_row<I + 1>(b, i, std::forward<Src>(src));
      undo.dismiss();
    }
  }
  // Moves (or copies, see relocate_construct) every row into `to`; on an
  // exception `to` holds nothing.
  template <std::size_t I = 0>
  void relocate_columns(const buffer& to) {
    if constexpr (I < sizeof...(Ts)) {
      auto a = alloc_for<I>();
      detail::relocate_construct(a, col<I>(), m_size, std::get<I>(to.cols));
      detail::rollback undo([&] { detail::destroy_range(a, std::get<I>(to.cols), m_size); });
      relocate_columns<I + 1>(to);
      undo.dismiss();
    }
  }
  template <std::size_t I = 0>
  void copy_columns(const basic_soa& from, const buffer& to) {
    if constexpr (I < sizeof...(Ts)) {
      auto a = alloc_for<I>();
      detail::copy_construct(a, from.template col<I>(), from.m_size, std::get<I>(to.cols));
      detail::rollback undo([&] { detail::destroy_range(a, std::get<I>(to.cols), from.m_size); });
      copy_columns<I + 1>(from, to);
      undo.dismiss();
    }
  }
  // Appends value-initialized rows (or copies of *row) up to n, column by
  // column; on an exception none of them stays.
  template <bool WithRow, std::size_t I = 0>
  void fill_columns(size_type n, const value_type* row) {
    if constexpr (I < sizeof...(Ts)) {
      auto a = alloc_for<I>();
      auto* p = col<I>() + m_size;
      if constexpr (WithRow) {
        detail::fill_construct(a, p, n - m_size, std::get<I>(*row));
      } else {
        detail::fill_construct(a, p, n - m_size);
      }
      detail::rollback undo([&] { detail::destroy_range(a, p, n - m_size); });
      fill_columns<WithRow, I + 1>(n, row);
      undo.dismiss();
    }
  }
  template <bool WithRow>
  void resize_impl(size_type n, const value_type* row) {
    if (n <= m_size) {
      destroy_rows(m_buf, n, m_size);
      m_size = n;
      return;
    }
    if (n > m_buf.capacity) reserve(std::max(n, grown_capacity(m_size + 1)));
    fill_columns<WithRow>(n, row);
    m_size = n;
  }

  // The capacity after a growth that must hold `needed` rows.
  [[nodiscard]] size_type grown_capacity(size_type needed) const {
    const size_type most = max_size();
    if (needed > most) electron::detail::throw_error<std::length_error>("electron::dense::soa: size beyond max_size()");
    const size_type cap = m_buf.capacity;
    const size_type doubled = cap > most / 2 ? most : std::max<size_type>(2 * cap, 8);
    return std::max(needed, doubled);
  }
  void reallocate(size_type capacity) {
    buffer fresh = allocate_buffer(capacity);
    detail::rollback free_fresh([&] { free_buffer(fresh); });
    relocate_columns(fresh);
    free_fresh.dismiss();
    destroy_rows(m_buf, 0, m_size);
    free_buffer(m_buf);
    m_buf = fresh;
  }
  // push_back/emplace_back: at capacity the new row is built in the new
  // storage first (src may refer into this soa), then the rows move over.
  template <class Src>
  reference emplace_row(Src&& src) {
    if (m_size == m_buf.capacity) {
      buffer fresh = allocate_buffer(grown_capacity(m_size + 1));
      detail::rollback free_fresh([&] { free_buffer(fresh); });
      construct_row(fresh, m_size, std::forward<Src>(src));
      detail::rollback undo_row([&] { destroy_rows(fresh, m_size, m_size + 1); });
      relocate_columns(fresh);
      undo_row.dismiss();
      free_fresh.dismiss();
      destroy_rows(m_buf, 0, m_size);
      free_buffer(m_buf);
      m_buf = fresh;
    } else {
      construct_row(m_buf, m_size, std::forward<Src>(src));
    }
    ++m_size;
    return back();
  }

  [[no_unique_address]] Alloc m_alloc;
  buffer m_buf;
  size_type m_size = 0;
};

/// A soa with std::allocator.
template <soa_element... Ts>
using soa = basic_soa<std::allocator<std::byte>, Ts...>;

// ===========================================================================
// Named fields
// ===========================================================================

namespace detail {
template <class M>
struct member_pointer_parts;
template <class S, class T>
struct member_pointer_parts<T S::*> {
  using struct_type = S;
  using member_type = T;
};
template <auto A, auto B>
constexpr bool same_member() noexcept {
  if constexpr (std::is_same_v<decltype(A), decltype(B)>) {
    return A == B;
  } else {
    return false;
  }
}
}  // namespace detail

/// M is a pointer to a data member of S.
template <auto M, class S>
concept member_of = std::is_member_object_pointer_v<decltype(M)> &&
    std::is_same_v<typename detail::member_pointer_parts<decltype(M)>::struct_type, S>;

/// A soa whose columns are the listed data members of Struct, in order:
/// `column<&person::age>()` names a column by its member, `push_back(s)`
/// splits a struct into its fields and `struct_at(i)` builds one back.
/// Everything else is basic_soa's (index columns with index_of<M>).
///
///   electron::dense::soa_of<person, &person::name, &person::age> people;
///   std::span<int> ages = people.column<&person::age>();
template <soa_allocator Alloc, class Struct, auto... Members>
requires(member_of<Members, Struct>&&...) class basic_soa_of
    : public basic_soa<Alloc, typename detail::member_pointer_parts<decltype(Members)>::member_type...> {
  using base = basic_soa<Alloc, typename detail::member_pointer_parts<decltype(Members)>::member_type...>;

 public:
  using struct_type = Struct;
  using base::base;
  using base::insert;
  using base::push_back;

  /// Whether M is one of the listed members.
  template <auto M>
  static constexpr bool has_member = (detail::same_member<M, Members>() || ...);
  /// The column index of member M.
  template <auto M>
  requires has_member<M>
  static constexpr std::size_t index_of = [] {
    constexpr bool same[] = {detail::same_member<M, Members>()...};
    std::size_t i = 0;
    while (!same[i]) ++i;
    return i;
  }();

  /// The column index of M: a listed member, or an index.
  template <auto M>
  requires(has_member<M> || std::is_integral_v<decltype(M)>) static constexpr std::size_t column_index() noexcept {
    if constexpr (std::is_integral_v<decltype(M)>) {
      return static_cast<std::size_t>(M);
    } else {
      return index_of<M>;
    }
  }

  /// The column of member M; column<I>() and column<T>() as in basic_soa
  /// (declared again here: a member template of the same signature would
  /// hide the base's).
  template <auto M>
  requires(has_member<M> || std::is_integral_v<decltype(M)>) [[nodiscard]] auto column() noexcept {
    return base::template column<column_index<M>()>();
  }
  template <auto M>
  requires(has_member<M> || std::is_integral_v<decltype(M)>) [[nodiscard]] auto column() const noexcept {
    return base::template column<column_index<M>()>();
  }
  template <class T>
  requires unique_column<T, typename detail::member_pointer_parts<decltype(Members)>::member_type...>
  [[nodiscard]] auto column() noexcept { return base::template column<T>(); }
  template <class T>
  requires unique_column<T, typename detail::member_pointer_parts<decltype(Members)>::member_type...>
  [[nodiscard]] auto column() const noexcept { return base::template column<T>(); }
  /// The listed members of each Struct in [first, last) (copied, or moved
  /// from rvalues), one row each.
  template <std::input_iterator It, std::sentinel_for<It> S>
  requires std::convertible_to < std::iter_reference_t<It>,
  const Struct& > basic_soa_of(It first, S last, const Alloc& alloc = Alloc()) : base(alloc) {
    if constexpr (std::forward_iterator<It>) base::reserve(detail::range_length(first, last));
    for (; first != last; ++first) push_back(*first);
  }
  /// Inserts the listed members of s (copied) before pos; returns the
  /// iterator to the new row. Guarantees as basic_soa::insert.
  typename base::iterator insert(typename base::const_iterator pos, const Struct& s) {
    return base::emplace(pos, s.*Members...);
  }
  /// Inserts the listed members of s (moved) before pos.
  typename base::iterator insert(typename base::const_iterator pos, Struct&& s) {
    return base::emplace(pos, std::move(s.*Members)...);
  }
  /// Sorts the rows by the column of member M (or index M); see
  /// basic_soa::sort_by.
  template <auto M, class Comp = std::ranges::less, class Proj = std::identity>
  requires(has_member<M> || std::is_integral_v<decltype(M)>) void sort_by(Comp comp = {}, Proj proj = {}) {
    base::template sort_by<column_index<M>()>(std::move(comp), std::move(proj));
  }
  /// Stable sort by the column of member M (or index M); see
  /// basic_soa::stable_sort_by.
  template <auto M, class Comp = std::ranges::less, class Proj = std::identity>
  requires(has_member<M> || std::is_integral_v<decltype(M)>) void stable_sort_by(Comp comp = {}, Proj proj = {}) {
    base::template stable_sort_by<column_index<M>()>(std::move(comp), std::move(proj));
  }

  /// Appends the listed members of s (copied). Strong guarantee as push_back.
  void push_back(const Struct& s) { base::emplace_back(s.*Members...); }
  /// Appends the listed members of s (moved).
  void push_back(Struct&& s) { base::emplace_back(std::move(s.*Members)...); }
  /// Row i as a Struct (value-initialized, then the listed members copied).
  [[nodiscard]] Struct struct_at(typename base::size_type i) const requires std::default_initializable<Struct> {
    Struct s{};
    const auto row = (*this)[i];
    [&]<std::size_t... I>(std::index_sequence<I...>) { ((s.*Members = get<I>(row)), ...); }
    (std::make_index_sequence<sizeof...(Members)>{});
    return s;
  }
};

/// A soa_of with std::allocator.
template <class Struct, auto... Members>
using soa_of = basic_soa_of<std::allocator<std::byte>, Struct, Members...>;

namespace pmr {
/// A soa drawing from a std::pmr::memory_resource.
template <soa_element... Ts>
using soa = basic_soa<std::pmr::polymorphic_allocator<std::byte>, Ts...>;
/// A soa_of drawing from a std::pmr::memory_resource.
template <class Struct, auto... Members>
using soa_of = basic_soa_of<std::pmr::polymorphic_allocator<std::byte>, Struct, Members...>;
}  // namespace pmr

}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_SOA_HPP
