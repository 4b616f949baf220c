// SPDX-License-Identifier: MIT
// Tests for electron/dense/soa.hpp: soa, soa_row, soa_iterator, soa_of,
// against a std::vector of structs as the model.
#include "electron/dense/soa.hpp"

#include "electron/arena.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <memory_resource>
#include <numeric>
#include <random>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ed = electron::dense;
namespace et = electron::test;

namespace {

// The model: one struct per row.
struct rec {
  int key = 0;
  std::string name;
  double weight = 0;
};
using table = ed::soa<int, std::string, double>;

std::tuple<int, std::string, double> as_tuple(const rec& r) { return {r.key, r.name, r.weight}; }

// Every row, through every way of reading it, equals the model.
template <class Soa>
bool same(const Soa& s, const std::vector<rec>& m) {
  if (s.size() != m.size() || s.empty() != m.empty()) return false;
  if (s.template column<0>().size() != m.size() || s.template column<std::string>().size() != m.size()) return false;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const auto row = s[i];
    if (get<0>(row) != m[i].key || get<1>(row) != m[i].name || get<2>(row) != m[i].weight) return false;
    if (s.template column<0>()[i] != m[i].key || s.template column<1>()[i] != m[i].name ||
        s.template column<double>()[i] != m[i].weight)
      return false;
  }
  std::size_t i = 0;
  for (auto row : s) {
    if (std::tuple<int, std::string, double>(row) != as_tuple(m[i++])) return false;
  }
  return i == m.size();
}

bool aligned(const void* p, std::size_t a = 64) { return reinterpret_cast<std::uintptr_t>(p) % a == 0; }

rec random_rec(std::mt19937_64& rng) {
  rec r;
  r.key = static_cast<int>(rng() % 50);
  r.name = std::string(rng() % 3 == 0 ? 40 : 3, static_cast<char>('a' + rng() % 26));  // short and heap strings
  r.weight = static_cast<double>(rng() % 1000) / 8;
  return r;
}

}  // namespace

// ---------------------------------------------------------------------------
// Concepts and iterator categories
// ---------------------------------------------------------------------------
static_assert(ed::soa_element<int> && ed::soa_element<std::string> && ed::soa_element<std::unique_ptr<int>>);
static_assert(!ed::soa_element<const int> && !ed::soa_element<int&> && !ed::soa_element<int[3]> &&
              !ed::soa_element<void>);
static_assert(ed::row_field<int&> && ed::row_field<const int&> && ed::row_field<int&&> && !ed::row_field<int>);
static_assert(ed::soa_allocator<std::allocator<int>> && ed::soa_allocator<std::pmr::polymorphic_allocator<int>>);
static_assert(!ed::soa_allocator<int>);
static_assert(ed::unique_column<int, int, double> && !ed::unique_column<int, int, int> &&
              !ed::unique_column<char, int, double>);
static_assert(ed::member_of<&rec::key, rec> && !ed::member_of<0, rec>);

static_assert(std::random_access_iterator<table::iterator> && std::random_access_iterator<table::const_iterator>);
static_assert(std::sortable<table::iterator>);
static_assert(std::sortable<table::iterator, std::ranges::less, ed::field_fn<1>>);
static_assert(std::permutable<table::iterator> && std::indirectly_swappable<table::iterator>);
static_assert(std::indirectly_writable<table::iterator, table::value_type>);
static_assert(!std::indirectly_writable<table::const_iterator, table::value_type>);
static_assert(std::ranges::random_access_range<table> && std::ranges::sized_range<table>);
static_assert(std::ranges::random_access_range<const table>);
static_assert(std::same_as<std::iter_value_t<table::iterator>, std::tuple<int, std::string, double>>);
static_assert(std::same_as<std::iter_reference_t<table::iterator>, ed::soa_row<int&, std::string&, double&>>);
static_assert(std::same_as<std::iter_rvalue_reference_t<table::iterator>, ed::soa_row<int&&, std::string&&, double&&>>);
static_assert(std::same_as<std::iter_common_reference_t<table::iterator>, table::reference>);
static_assert(std::same_as<std::iter_common_reference_t<table::const_iterator>, table::const_reference>);
static_assert(std::same_as<std::common_reference_t<table::reference, std::iter_rvalue_reference_t<table::iterator>>,
                           table::const_reference>);
static_assert(std::convertible_to<table::iterator, table::const_iterator>);
static_assert(!std::convertible_to<table::const_iterator, table::iterator>);
static_assert(std::tuple_size_v<table::reference> == 3);
static_assert(std::same_as<std::tuple_element_t<1, table::reference>, std::string&>);
// Rows of const references are not assignable.
static_assert(!std::is_assignable_v<table::const_reference, table::value_type>);
static_assert(std::is_assignable_v<const table::reference&, table::value_type>);
// noexcept where it is true.
static_assert(std::is_nothrow_move_constructible_v<table> && std::is_nothrow_move_assignable_v<table>);
static_assert(std::is_nothrow_default_constructible_v<table>);
static_assert(noexcept(std::declval<table&>().erase_swap(0)) && noexcept(std::declval<table&>().clear()));
static_assert(std::is_nothrow_swappable_v<table>);
static_assert(!std::is_copy_constructible_v<ed::soa<std::unique_ptr<int>, int>>);
static_assert(!std::is_nothrow_move_assignable_v<ed::pmr::soa<int>>);  // unequal resources move rows

TEST_CASE("soa: model test against std::vector<struct> with random operations", "[dense][soa]") {
  std::mt19937_64 rng(20261202);
  const int rounds = 20 * et::stress_scale();
  for (int round = 0; round < rounds; ++round) {
    table s;
    std::vector<rec> m;
    for (int step = 0; step < 400; ++step) {
      const auto op = rng() % 16;
      if (op <= 3) {  // push_back a tuple (copied or moved)
        rec r = random_rec(rng);
        m.push_back(r);
        if (op % 2 == 0) {
          const auto t = as_tuple(r);
          s.push_back(t);
        } else {
          s.push_back(as_tuple(r));
        }
      } else if (op <= 5) {  // emplace_back of values; the returned row is the new one
        rec r = random_rec(rng);
        m.push_back(r);
        auto row = s.emplace_back(r.key, r.name, r.weight);
        REQUIRE(get<1>(row) == r.name);
      } else if (op == 6 && !m.empty()) {
        m.pop_back();
        s.pop_back();
      } else if (op == 7 && !m.empty()) {  // erase_swap
        const std::size_t i = rng() % m.size();
        m[i] = m.back();
        m.pop_back();
        s.erase_swap(i);
      } else if (op == 8 && !m.empty()) {  // ordered erase of one row
        const std::size_t i = rng() % m.size();
        m.erase(m.begin() + static_cast<std::ptrdiff_t>(i));
        auto it = s.erase(s.cbegin() + static_cast<std::ptrdiff_t>(i));
        REQUIRE(it - s.begin() == static_cast<std::ptrdiff_t>(i));
      } else if (op == 9 && !m.empty()) {  // ordered erase of a range
        const std::size_t a = rng() % (m.size() + 1), b = a + rng() % (m.size() - a + 1);
        m.erase(m.begin() + static_cast<std::ptrdiff_t>(a), m.begin() + static_cast<std::ptrdiff_t>(b));
        s.erase(s.cbegin() + static_cast<std::ptrdiff_t>(a), s.cbegin() + static_cast<std::ptrdiff_t>(b));
      } else if (op == 10) {  // resize, value-initialized or with a row
        const std::size_t n = rng() % (m.size() + 20);
        if (rng() % 2) {
          m.resize(n);
          s.resize(n);
        } else {
          rec r = random_rec(rng);
          m.resize(n, r);
          s.resize(n, as_tuple(r));
        }
      } else if (op == 11 && !m.empty()) {  // assign through a row: tuple, values of another row, swap of rows
        const std::size_t i = rng() % m.size(), j = rng() % m.size();
        if (rng() % 2) {
          rec r = random_rec(rng);
          m[i] = r;
          s[i] = as_tuple(r);
        } else {
          m[i] = m[j];
          s[i] = s[j];
        }
        const std::size_t k = rng() % m.size();
        std::swap(m[i], m[k]);
        swap(s[i], s[k]);
      } else if (op == 12) {
        const std::size_t n = rng() % 300;
        s.reserve(n);
        REQUIRE(s.capacity() >= n);
      } else if (op == 13) {
        s.shrink_to_fit();
        REQUIRE(s.capacity() == s.size());
      } else if (op == 14) {  // copy, then move, and compare
        table c = s;
        REQUIRE(c == s);
        table moved = std::move(c);
        REQUIRE(moved == s);
        s = moved;
      } else if (op == 15 && rng() % 8 == 0) {
        m.clear();
        s.clear();
      }
      REQUIRE(same(s, m));
      REQUIRE(s.capacity() >= s.size());
    }
  }
}

TEST_CASE("soa: rows are tuple-like references", "[dense][soa]") {
  table s{{1, "one", 1.5}, {2, "two", 2.5}};
  auto [k, name, w] = s[0];  // binds references into the columns
  k = 10;
  name += "!";
  w = 0;
  CHECK(s.column<0>()[0] == 10);
  CHECK(s.column<1>()[0] == "one!");
  CHECK(s.column<2>()[0] == 0);
  s[1] = std::tuple(3, std::string("three"), 3.5);
  CHECK(s[1] == std::tuple(3, std::string("three"), 3.5));
  s[0] = s[1];  // writes values, does not rebind
  CHECK(s[0] == s[1]);
  get<0>(s[0]) = 7;
  CHECK(s[0] != s[1]);
  CHECK(s[1] < s[0]);
  CHECK(std::is_eq(s[0] <=> std::tuple(7, std::string("three"), 3.5)));
  const table& cs = s;
  static_assert(std::same_as<decltype(cs[0]), table::const_reference>);
  static_assert(std::same_as<decltype(get<1>(cs[0])), const std::string&>);
  CHECK(get<1>(cs.front()) == "three");
  CHECK(get<0>(cs.back()) == 3);
  table::const_reference cr = s[0];  // T& rows convert to const T& rows
  CHECK(get<0>(cr) == 7);
  // swap of two rows of one container, and iter_swap / ranges::swap.
  swap(s[0], s[1]);
  CHECK(get<0>(s[0]) == 3);
  std::iter_swap(s.begin(), s.begin() + 1);
  CHECK(get<0>(s[0]) == 7);
  std::ranges::iter_swap(s.begin(), s.begin() + 1);
  CHECK(get<0>(s[0]) == 3);
  // iter_move moves the fields out.
  table::value_type moved = std::ranges::iter_move(s.begin() + 1);
  CHECK(std::get<1>(moved) == "three");
  CHECK(s.column<1>()[1].empty());  // NOLINT(bugprone-use-after-move): moved-from string (libstdc++: empty)
  // at() checks the index.
  CHECK_THROWS_AS(s.at(2), std::out_of_range);
  CHECK(get<0>(s.at(1)) == 7);
  CHECK_THROWS_AS(cs.at(5), std::out_of_range);
}

TEST_CASE("soa: std::sort and std::stable_sort by one field agree with the AoS model", "[dense][soa][sort]") {
  std::mt19937_64 rng(7);
  for (std::size_t n : {0u, 1u, 2u, 15u, 16u, 17u, 100u, 1000u, 5000u}) {
    std::vector<rec> m;
    table s;
    for (std::size_t i = 0; i < n; ++i) {
      m.push_back(random_rec(rng));
      s.push_back(as_tuple(m.back()));
    }
    // stable_sort: equal keys keep their order, so the result is exactly the model's.
    {
      table t = s;
      std::vector<rec> mm = m;
      std::stable_sort(mm.begin(), mm.end(), [](const rec& a, const rec& b) { return a.key < b.key; });
      std::stable_sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return get<0>(a) < get<0>(b); });
      REQUIRE(same(t, mm));
      table u = s;
      std::ranges::stable_sort(u, std::ranges::less{}, ed::field<0>);
      REQUIRE(same(u, mm));
    }
    // sort: keys in order, and the same multiset of rows.
    {
      table t = s;
      std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return get<0>(a) < get<0>(b); });
      REQUIRE(std::is_sorted(t.column<0>().begin(), t.column<0>().end()));
      std::vector<std::tuple<int, std::string, double>> got(t.begin(), t.end()), want;
      for (const rec& r : m) want.push_back(as_tuple(r));
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      REQUIRE(got == want);
    }
    // ranges::sort with a projection on a string field, descending.
    {
      table t = s;
      std::ranges::sort(t, std::ranges::greater{}, ed::field<1>);
      REQUIRE(std::is_sorted(t.column<1>().begin(), t.column<1>().end(), std::greater<>{}));
      REQUIRE(t.size() == n);
    }
    // whole-row sort with the rows' own order equals sorting the tuples.
    {
      table t = s;
      std::ranges::sort(t);
      std::vector<std::tuple<int, std::string, double>> want;
      for (const rec& r : m) want.push_back(as_tuple(r));
      std::sort(want.begin(), want.end());
      REQUIRE(std::ranges::equal(t, want));
    }
  }
}

TEST_CASE("soa: other std and std::ranges algorithms", "[dense][soa]") {
  table s;
  std::vector<rec> m;
  for (int i = 0; i < 50; ++i) {
    m.push_back({i, std::to_string(i), i * 0.5});
    s.push_back(as_tuple(m.back()));
  }
  std::reverse(s.begin(), s.end());
  std::reverse(m.begin(), m.end());
  REQUIRE(same(s, m));
  std::ranges::reverse(s);
  std::ranges::reverse(m);
  REQUIRE(same(s, m));
  auto it = std::find_if(s.begin(), s.end(), [](const auto& r) { return get<1>(r) == "42"; });
  REQUIRE(it - s.begin() == 42);
  auto rit = std::ranges::find(s, 17, ed::field<0>);
  REQUIRE(rit - s.begin() == 17);
  std::rotate(s.begin(), s.begin() + 5, s.end());
  std::rotate(m.begin(), m.begin() + 5, m.end());
  REQUIRE(same(s, m));
  auto part = std::stable_partition(s.begin(), s.end(), [](const auto& r) { return get<0>(r) % 2 == 0; });
  std::stable_partition(m.begin(), m.end(), [](const rec& r) { return r.key % 2 == 0; });
  REQUIRE(part - s.begin() == 25);
  REQUIRE(same(s, m));
  CHECK(std::ranges::count_if(
            s, [](double w) { return w > 10; }, ed::field<2>) == 29);
  // Reverse iteration.
  std::size_t i = m.size();
  for (auto r = s.crbegin(); r != s.crend(); ++r) REQUIRE(get<0>(*r) == m[--i].key);
    // Views compose: keys of the rows whose weight is above 20. (Clang before
    // 15 cannot compile libstdc++ 12's views and subrange at all.)
#if !defined(__clang__) || __clang_major__ >= 15
  auto part2 = std::ranges::stable_partition(
      s, [](int k) { return k % 2 != 0; }, ed::field<0>);
  CHECK(part2.begin() - s.begin() == 25);
  auto keys =
      s | std::views::filter([](const auto& r) { return get<2>(r) > 20; }) | std::views::transform(ed::field<0>);
  CHECK(std::ranges::distance(keys) == 9);
#endif
}

TEST_CASE("soa: every column is 64-byte aligned and the spans match", "[dense][soa]") {
  ed::soa<char, double, std::uint16_t, std::string, float> s;
  for (int n = 0; n < 300; ++n) {
    s.emplace_back(static_cast<char>(n), n * 1.0, static_cast<std::uint16_t>(n), std::to_string(n),
                   static_cast<float>(n));
    REQUIRE(aligned(s.column<0>().data()));
    REQUIRE(aligned(s.column<1>().data()));
    REQUIRE(aligned(s.column<2>().data()));
    REQUIRE(aligned(s.column<3>().data()));
    REQUIRE(aligned(s.column<4>().data()));
    REQUIRE(s.column<char>().data() == s.column<0>().data());
    REQUIRE(s.column<float>().size() == s.size());
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    REQUIRE(s.column<3>()[i] == std::to_string(i));
    REQUIRE(std::addressof(get<3>(s[i])) == s.column<3>().data() + i);
  }
  // Writes through the mutable span show in the rows.
  std::ranges::fill(s.column<float>(), 2.0f);
  CHECK(get<4>(s[17]) == 2.0f);
  static_assert(std::same_as<decltype(std::as_const(s).column<1>()), std::span<const double>>);
  static_assert(decltype(s)::alignment == 64);
  // An over-aligned element type aligns its column (and all others) to it.
  struct alignas(128) wide {
    int v = 0;
  };
  ed::soa<int, wide> w;
  w.resize(3);
  static_assert(decltype(w)::alignment == 128);
  CHECK(aligned(w.column<0>().data(), 128));
  CHECK(aligned(w.column<1>().data(), 128));
}

TEST_CASE("soa: erase_swap moves only the last row, in O(1)", "[dense][soa]") {
  ed::soa<et::lifetime_tracked, int> s;
  for (int i = 0; i < 100; ++i) s.emplace_back(i, i);
  const auto before = et::current_lifetime_counts();
  s.erase_swap(10);
  const auto after = et::current_lifetime_counts();
  CHECK(after.moves - before.moves == 1);  // one move assignment, whatever the size
  CHECK(after.copies == before.copies);
  CHECK(after.destructions - before.destructions == 1);
  CHECK(s.size() == 99);
  CHECK(get<0>(s[10]).value() == 99);
  CHECK(get<1>(s[10]) == 99);
  for (int i = 0; i < 99; ++i) {
    if (i != 10) REQUIRE(get<1>(s[static_cast<std::size_t>(i)]) == i);
  }
  s.erase_swap(98);  // the last row: nothing moves
  CHECK(s.size() == 98);
  CHECK(get<1>(s.back()) == 97);
}

TEST_CASE("soa: move-only columns", "[dense][soa]") {
  using owners = ed::soa<std::unique_ptr<int>, int>;
  owners s;
  for (int i = 0; i < 40; ++i) s.emplace_back(std::make_unique<int>(i), 40 - i);
  CHECK(*get<0>(s[39]) == 39);
  s.erase_swap(0);
  CHECK(*get<0>(s[0]) == 39);
  s.erase(s.begin() + 1, s.begin() + 3);
  CHECK(s.size() == 37);
  std::ranges::reverse(s);
  CHECK(*get<0>(s.back()) == 39);
  swap(s[0], s[1]);
  owners t = std::move(s);
  CHECK(s.empty());  // NOLINT(bugprone-use-after-move): a moved-from soa is empty
  CHECK(t.size() == 37);
  s = std::move(t);
  CHECK(s.size() == 37);
  s.push_back({std::make_unique<int>(7), 7});
  s.resize(100);
  CHECK(get<0>(s[99]) == nullptr);
  s.shrink_to_fit();
  CHECK(*get<0>(s[37]) == 7);
  // iter_move takes the pointer out.
  auto row = std::ranges::iter_move(s.begin() + 37);
  owners::value_type v = row;
  CHECK(*std::get<0>(v) == 7);
  CHECK(get<0>(s[37]) == nullptr);
}

TEST_CASE("soa: one allocation per growth, nothing leaked (counting allocator)", "[dense][soa][alloc]") {
  et::allocation_control ctl;
  {
    ed::basic_soa<et::failing_allocator<std::byte>, int, std::string, double> s{et::failing_allocator<std::byte>(ctl)};
    CHECK(ctl.allocations() == 0);
    std::size_t growths = 0, cap = 0;
    for (int i = 0; i < 1000; ++i) {
      s.emplace_back(i, std::to_string(i), 1.0);
      if (s.capacity() != cap) {
        ++growths;
        cap = s.capacity();
      }
    }
    CHECK(ctl.allocations() == growths);  // all columns in one allocation each time
    CHECK(ctl.live() == 1);
    s.reserve(5000);
    CHECK(ctl.live() == 1);
    auto copy = s;  // a copy allocates once, exactly its size
    CHECK(copy.capacity() == copy.size());
    CHECK(ctl.live() == 2);
    // The strong guarantee of push_back at capacity, failing at every allocation.
    copy.shrink_to_fit();
    const auto before = copy;
    CHECK(et::check_allocation_failures(
        ctl,
        [&] {
          copy.push_back({-1, std::string(50, 'x'), 0.0});
        },
        [&] { return copy == before; }));
    CHECK(copy.size() == before.size() + 1);
    // reserve and copy assignment too.
    ed::basic_soa<et::failing_allocator<std::byte>, int, std::string, double> small{
        et::failing_allocator<std::byte>(ctl)};
    small.push_back({1, "a", 1});
    const auto small_before = small;
    const std::size_t small_capacity = small.capacity();
    CHECK(et::check_allocation_failures(
        ctl, [&] { small.reserve(100); }, [&] { return small == small_before && small.capacity() == small_capacity; }));
    CHECK(et::check_allocation_failures(
        ctl, [&] { small = before; }, [&] { return small == small_before; }));
    CHECK(small == before);
  }
  CHECK(ctl.live() == 0);
  CHECK(ctl.live_bytes() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("soa: std::pmr with an arena and a counting resource", "[dense][soa][alloc]") {
  electron::arena::arena ar;
  electron::arena::arena_resource res(ar);
  {
    ed::pmr::soa<int, double, std::pmr::string> s(&res);
    for (int i = 0; i < 500; ++i) s.emplace_back(i, i * 2.0, std::string(30, 'p'));
    CHECK(aligned(s.column<1>().data()));
    // Uses-allocator construction: the strings draw from the same resource.
    CHECK(s.column<2>()[3].get_allocator().resource() == &res);
    CHECK(s.get_allocator().resource() == &res);
    ed::pmr::soa<int, double, std::pmr::string> other;  // default resource: moving in copies rows
    other = std::move(s);
    CHECK(other.size() == 500);
    CHECK(other.column<2>()[499] == std::string_view(std::string(30, 'p')));
  }
  et::failing_resource fr;
  {
    ed::pmr::soa<int, float> s(&fr);
    for (int i = 0; i < 100; ++i) s.emplace_back(i, 1.0f);
    CHECK(fr.control().live() == 1);
    const auto before = s;
    s.shrink_to_fit();
    CHECK(et::check_allocation_failures(
        fr.control(), [&] { s.emplace_back(-1, 0.0f); }, [&] { return s == before; }));
  }
  CHECK(fr.control().live() == 0);
  CHECK(fr.control().errors() == 0);
}

TEST_CASE("soa: push_back keeps its contents when an element's copy throws", "[dense][soa][exceptions]") {
  using tv = et::throwing_value<false>;  // copies and moves may throw: growth copies
  using tvn = et::throwing_value<true>;  // noexcept moves: growth moves
  auto run = [](auto tag) {
    using T = decltype(tag);
    for (std::int64_t n = 1; n <= 12; ++n) {
      ed::soa<int, T, std::string> s;
      for (int i = 0; i < 8; ++i) s.emplace_back(i, T(i), std::to_string(i));
      const auto before = s;
      REQUIRE(s.size() == s.capacity());  // the next push_back grows
      et::throwing_value_fail_nth(n);
      bool threw = false;
      try {
        s.push_back({100, T(100), "hundred"});
      } catch (const et::planned_failure&) {
        threw = true;
      }
      et::throwing_value_disarm();
      if (threw) {
        REQUIRE(s == before);
      } else {
        REQUIRE(s.size() == 9);
        REQUIRE(get<1>(s.back()).value() == 100);
      }
    }
  };
  run(tv{});
  run(tvn{});
}

TEST_CASE("soa: fail_nth_allocation at every N during push_back", "[dense][soa][exceptions][alloc]") {
  if (!et::allocation_failures_supported()) {
    SUCCEED("a sanitizer owns operator new here: fault injection is not available");
    return;
  }
  std::size_t failures = 0;
  for (std::int64_t n = 1; n <= 60; ++n) {
    CHECK(et::check_leaks([&] {
      table s;
      std::vector<rec> m;
      m.reserve(100);  // the model must not be the one that fails
      bool failed = false;
      {
        et::fail_nth_allocation f(n);
        try {
          for (int i = 0; i < 100; ++i) {
            rec r{i, std::string(static_cast<std::size_t>(20 + i % 20), 'q'), i * 1.0};
            s.push_back(as_tuple(r));  // the tuple copy may fail, or the growth
            m.push_back(std::move(r));
          }
        } catch (const std::bad_alloc&) {
          failed = true;
        }
      }
      failures += failed;
      REQUIRE(same(s, m));  // unchanged: exactly the rows pushed before the failure
    }));
  }
  CHECK(failures > 30);
}

TEST_CASE("soa: self-move, self-copy, swap, equality", "[dense][soa][contract]") {
  table s{{1, "a", 1}, {2, "b", 2}};
  const table copy = s;
  et::self_move_assign(s);
  CHECK(s == copy);
  et::self_copy_assign(s);
  CHECK(s == copy);
  table t{{3, "c", 3}};
  swap(s, t);
  CHECK(t == copy);
  CHECK(s.size() == 1);
  s.swap(t);
  CHECK(s == copy);
  CHECK(s != t);
  t = s;
  CHECK(t == s);
  get<2>(t[1]) = 9;
  CHECK(t != s);
  table empty;
  CHECK(empty == table{});
  CHECK(empty.begin() == empty.end());
  CHECK(empty.column<1>().empty());
}

TEST_CASE("soa: sizes near SIZE_MAX are refused", "[dense][soa][contract]") {
  table s;
  CHECK_THROWS_AS(s.reserve(std::numeric_limits<std::size_t>::max()), std::length_error);
  CHECK_THROWS_AS(s.reserve(s.max_size() + 1), std::length_error);
  CHECK_THROWS_AS(s.resize(std::numeric_limits<std::size_t>::max()), std::length_error);
  CHECK(s.max_size() < std::numeric_limits<std::size_t>::max() / sizeof(std::string));
  CHECK(s.empty());
  CHECK(s.capacity() == 0);
}

TEST_CASE("soa: constructors", "[dense][soa]") {
  table a(5);
  CHECK(a.size() == 5);
  CHECK(get<1>(a[4]).empty());
  table b(3, {7, "x", 1.0});
  CHECK(b[2] == std::tuple(7, std::string("x"), 1.0));
  table c(std::move(b), std::allocator<std::byte>{});
  CHECK(c.size() == 3);
  table d(c, std::allocator<std::byte>{});
  CHECK(d == c);
  // Rows of another soa can be pushed (converted to the value type first).
  d.push_back(d[0]);
  CHECK(d.size() == 4);
  CHECK(d[3] == d[0]);
  // A large reserve (its pages touched column by column) keeps the rows.
  d.reserve(40000);
  CHECK(d.capacity() >= 40000);
  CHECK(d[3] == d[0]);
  CHECK(get<1>(d[1]) == "x");
  for (int i = 0; i < 40000 - 4; ++i) d.emplace_back(i, "y", 0.5);
  CHECK(d.capacity() == 40000);
  CHECK(get<0>(d.back()) == 40000 - 5);
}

// ---------------------------------------------------------------------------
// Named fields
// ---------------------------------------------------------------------------
namespace {
struct person {
  std::string name;
  int age = 0;
  float height = 0;
  friend bool operator==(const person&, const person&) = default;
};
using people_t = ed::soa_of<person, &person::name, &person::age, &person::height>;
}  // namespace

static_assert(people_t::index_of<&person::age> == 1 && people_t::index_of<&person::height> == 2);
static_assert(people_t::has_member<&person::name> && !people_t::has_member<&rec::key>);
static_assert(std::same_as<decltype(std::declval<people_t&>().column<&person::age>()), std::span<int>>);
static_assert(
    std::same_as<decltype(std::declval<const people_t&>().column<&person::name>()), std::span<const std::string>>);

TEST_CASE("soa_of: columns named by members", "[dense][soa][named]") {
  people_t people;
  std::vector<person> m{{"Ada", 36, 1.6f}, {"Alan", 41, 1.8f}, {"Grace", 85, 1.5f}, {"Edsger", 72, 1.9f}};
  for (const person& p : m) people.push_back(p);
  people.push_back(person{"Barbara", 36, 1.7f});
  m.push_back({"Barbara", 36, 1.7f});
  people.emplace_back("Donald", 30, 1.75f);
  m.push_back({"Donald", 30, 1.75f});
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(people.struct_at(i) == m[i]);
  CHECK(std::accumulate(people.column<&person::age>().begin(), people.column<&person::age>().end(), 0) == 300);
  std::ranges::stable_sort(people, {}, ed::field<people_t::index_of<&person::age>>);
  std::ranges::stable_sort(m, {}, &person::age);
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(people.struct_at(i) == m[i]);
  CHECK(people.column<&person::name>()[0] == "Donald");
  CHECK(people.column<1>().data() == people.column<&person::age>().data());
  ed::pmr::soa_of<person, &person::age> ages(std::pmr::new_delete_resource());
  ages.push_back(person{"x", 3, 0});
  CHECK(ages.column<&person::age>()[0] == 3);
}

// ---------------------------------------------------------------------------
// Range construction, assign, insert, emplace
// ---------------------------------------------------------------------------
namespace {
using row_t = std::tuple<int, std::string, double>;

// A single-pass iterator over tuples (and its sentinel): no multipass, no
// size, so the soa cannot reserve ahead.
struct input_rows {
  using iterator_concept = std::input_iterator_tag;
  using value_type = row_t;
  using difference_type = std::ptrdiff_t;
  const row_t* at = nullptr;
  const row_t& operator*() const { return *at; }
  input_rows& operator++() {
    ++at;
    return *this;
  }
  void operator++(int) { ++at; }
};
struct input_end {
  const row_t* at = nullptr;
  friend bool operator==(const input_rows& i, const input_end& e) { return i.at == e.at; }
};
static_assert(std::input_iterator<input_rows> && !std::forward_iterator<input_rows> &&
              std::sentinel_for<input_end, input_rows>);

std::vector<rec> random_recs(std::mt19937_64& rng, std::size_t n) {
  std::vector<rec> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(random_rec(rng));
  return v;
}
std::vector<row_t> as_tuples(const std::vector<rec>& v) {
  std::vector<row_t> t;
  for (const rec& r : v) t.push_back(as_tuple(r));
  return t;
}
}  // namespace

static_assert(ed::row_source<row_t&, int, std::string, double> &&
              ed::row_source<table::const_reference, int, std::string, double> &&
              ed::row_source<std::tuple<long, const char*, float>, int, std::string, double> &&
              !ed::row_source<int, int, std::string, double>);
static_assert(std::constructible_from<table, std::vector<row_t>::iterator, std::vector<row_t>::iterator>);
static_assert(!std::constructible_from<table, std::vector<int>::iterator, std::vector<int>::iterator>);

TEST_CASE("soa: construction and assign from ranges against the model", "[dense][soa][range]") {
  std::mt19937_64 rng(13);
  for (std::size_t n : {0U, 1U, 7U, 8U, 9U, 100U, 1000U}) {
    const std::vector<rec> m = random_recs(rng, n);
    const std::vector<row_t> t = as_tuples(m);
    table a(t.begin(), t.end());  // forward: one allocation
    REQUIRE(same(a, m));
    CHECK(a.capacity() == n);
    table b(input_rows{t.data()}, input_end{t.data() + t.size()});  // single pass
    REQUIRE(same(b, m));
    const table& ca = a;
    table c(ca.begin(), ca.end());  // rows of another soa
    REQUIRE(same(c, m));
    std::vector<std::tuple<long, const char*, float>> conv{{1L, "one", 1.5f}, {2L, "two", 2.5f}};
    table d(conv.begin(), conv.end());
    REQUIRE(same(d, {{1, "one", 1.5}, {2, "two", 2.5}}));
    // assign: n copies, a forward range, a single-pass range, a list.
    const rec r = random_rec(rng);
    d.assign(n, as_tuple(r));
    REQUIRE(same(d, std::vector<rec>(n, r)));
    d.assign(t.begin(), t.end());
    REQUIRE(same(d, m));
    d.assign(0, as_tuple(r));
    REQUIRE(d.empty());
    d.assign(input_rows{t.data()}, input_end{t.data() + t.size()});
    REQUIRE(same(d, m));
    d.assign({as_tuple(r), as_tuple(r)});
    REQUIRE(same(d, {r, r}));
    // Moved-from rvalue tuples are moved into the columns.
    std::vector<row_t> moved = t;
    table e(std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()));
    REQUIRE(same(e, m));
  }
  // A move-only column from a range of moved tuples.
  std::vector<std::tuple<std::unique_ptr<int>, int>> owners;
  for (int i = 0; i < 20; ++i) owners.emplace_back(std::make_unique<int>(i), -i);
  ed::soa<std::unique_ptr<int>, int> u(std::make_move_iterator(owners.begin()), std::make_move_iterator(owners.end()));
  REQUIRE(u.size() == 20);
  for (std::size_t i = 0; i < 20; ++i) REQUIRE(*get<0>(u[i]) == static_cast<int>(i));
  CHECK(std::get<0>(owners[0]) == nullptr);
}

TEST_CASE("soa: insert and emplace at random positions against the model", "[dense][soa][insert]") {
  std::mt19937_64 rng(1313);
  const int rounds = 10 * et::stress_scale();
  for (int round = 0; round < rounds; ++round) {
    table s;
    std::vector<rec> m;
    for (int step = 0; step < 150; ++step) {
      const std::size_t pos = rng() % (m.size() + 1);
      const auto p = static_cast<std::ptrdiff_t>(pos);
      const auto op = rng() % 7;
      table::iterator it;
      std::size_t added = 1;
      if (op == 0) {  // one row, copied
        const rec r = random_rec(rng);
        m.insert(m.begin() + p, r);
        const row_t t = as_tuple(r);
        it = s.insert(s.cbegin() + p, t);
      } else if (op == 1) {  // one row, moved
        const rec r = random_rec(rng);
        m.insert(m.begin() + p, r);
        it = s.insert(s.cbegin() + p, as_tuple(r));
      } else if (op == 2) {  // n copies (n may be 0)
        added = rng() % 12;
        const rec r = random_rec(rng);
        m.insert(m.begin() + p, added, r);
        it = s.insert(s.cbegin() + p, added, as_tuple(r));
      } else if (op == 3) {  // a forward range
        const std::vector<rec> rs = random_recs(rng, rng() % 20);
        const std::vector<row_t> ts = as_tuples(rs);
        added = rs.size();
        m.insert(m.begin() + p, rs.begin(), rs.end());
        it = s.insert(s.cbegin() + p, ts.begin(), ts.end());
      } else if (op == 4) {  // a single-pass range
        const std::vector<rec> rs = random_recs(rng, rng() % 20);
        const std::vector<row_t> ts = as_tuples(rs);
        added = rs.size();
        m.insert(m.begin() + p, rs.begin(), rs.end());
        it = s.insert(s.cbegin() + p, input_rows{ts.data()}, input_end{ts.data() + ts.size()});
      } else if (op == 5) {  // emplace of values
        const rec r = random_rec(rng);
        m.insert(m.begin() + p, r);
        it = s.emplace(s.cbegin() + p, r.key, r.name, r.weight);
      } else {  // a list
        const rec r = random_rec(rng), q = random_rec(rng);
        added = 2;
        m.insert(m.begin() + p, {r, q});
        it = s.insert(s.cbegin() + p, {as_tuple(r), as_tuple(q)});
      }
      REQUIRE(it - s.begin() == p);
      if (added != 0) REQUIRE(std::tuple<int, std::string, double>(*it) == as_tuple(m[pos]));
      REQUIRE(same(s, m));
      if (m.size() > 300) {  // keep it small: erase a random range
        const std::size_t a = rng() % m.size();
        m.erase(m.begin() + static_cast<std::ptrdiff_t>(a), m.end());
        s.erase(s.cbegin() + static_cast<std::ptrdiff_t>(a), s.cend());
      }
    }
  }
}

TEST_CASE("soa: emplace from fields of the soa itself, at capacity", "[dense][soa][insert]") {
  for (int grow = 0; grow < 2; ++grow) {
    table s;
    std::vector<rec> m;
    for (int i = 0; i < 8; ++i) {
      m.push_back({i, std::string(30, static_cast<char>('a' + i)), i * 0.5});
      s.push_back(as_tuple(m.back()));
    }
    if (grow == 0) s.reserve(20);
    REQUIRE((s.size() == s.capacity()) == (grow == 1));
    // The arguments are references into the soa, taken before it may grow.
    s.emplace(s.cbegin() + 2, get<0>(s[5]), get<1>(s[5]), get<2>(s[5]));
    m.insert(m.begin() + 2, m[5]);
    REQUIRE(same(s, m));
    s.insert(s.cbegin() + 1, 3, row_t(s[7]));
    m.insert(m.begin() + 1, 3, m[7]);
    REQUIRE(same(s, m));
  }
}

TEST_CASE("soa: insert keeps the contents when an element's copy or move throws", "[dense][soa][exceptions]") {
  auto run = [](auto tag) {
    using T = decltype(tag);
    constexpr bool noexcept_move = std::is_nothrow_move_constructible_v<T>;
    for (std::size_t pos : {0U, 3U, 8U}) {
      for (int kind = 0; kind < 3; ++kind) {
        for (std::int64_t n = 1; n <= 30; ++n) {
          for (int spare = 0; spare < 2; ++spare) {
            ed::soa<int, T, std::string> s;
            for (int i = 0; i < 8; ++i) s.emplace_back(i, T(i), std::to_string(i));
            if (spare != 0) s.reserve(40);
            const auto before = s;
            const std::vector<std::tuple<int, T, std::string>> src{{100, T(100), "a"}, {101, T(101), "b"}};
            const std::tuple<int, T, std::string> row{100, T(100), "hundred"};
            et::throwing_value_fail_nth(n);
            bool threw = false;
            try {
              const auto at = s.cbegin() + static_cast<std::ptrdiff_t>(pos);
              if (kind == 0) s.insert(at, row);
              if (kind == 1) s.insert(at, 3, row);
              if (kind == 2) s.insert(at, src.begin(), src.end());
            } catch (const et::planned_failure&) {
              threw = true;
            }
            et::throwing_value_disarm();
            const std::size_t added = kind == 0 ? 1 : kind == 1 ? 3 : 2;
            if (!threw) {
              REQUIRE(s.size() == 8 + added);
              REQUIRE(get<1>(s[pos]).value() >= 100);
              if (pos < 8) REQUIRE(get<0>(s[pos + added]) == static_cast<int>(pos));
            } else if (noexcept_move || pos == 8) {
              REQUIRE(s == before);  // strong: appended rows undone, no rotation ran
            } else {
              // Basic: a swap during the rotation threw; every row is valid.
              REQUIRE((s.size() == 8 || s.size() == 8 + added));
              s.push_back({1, T(1), "x"});
              s.erase(s.cbegin());
            }
          }
        }
      }
    }
  };
  run(et::throwing_value<false>{});
  run(et::throwing_value<true>{});
}

TEST_CASE("soa: fail_nth_allocation during range construction and insert leaks nothing",
          "[dense][soa][exceptions][alloc]") {
  std::mt19937_64 rng(7);
  const std::vector<row_t> t = as_tuples(random_recs(rng, 50));
  std::size_t failures = 0;
  for (std::size_t nth = 1; nth <= 8; ++nth) {
    et::failing_resource fr;
    fr.control().fail_nth(nth);
    try {
      ed::pmr::soa<int, std::string, double> s(input_rows{t.data()}, input_end{t.data() + t.size()}, &fr);
      const auto before = s;
      try {
        s.insert(s.cbegin() + 3, t.begin(), t.end());
        s.insert(s.cbegin() + 3, 100, t[0]);
      } catch (const std::bad_alloc&) {
        REQUIRE((s == before || s.size() == before.size() + t.size()));  // a whole insert or none
        throw;
      }
    } catch (const std::bad_alloc&) {
      ++failures;
    }
    CHECK(fr.control().live() == 0);
    CHECK(fr.control().errors() == 0);
  }
  CHECK(failures >= 5);
}

// ---------------------------------------------------------------------------
// sort_by / stable_sort_by (a permutation applied column by column)
// ---------------------------------------------------------------------------
TEST_CASE("soa: stable_sort_by equals std::stable_sort of the model; sort_by sorts the same rows",
          "[dense][soa][sort]") {
  std::mt19937_64 rng(99);
  for (std::size_t n : {0U, 1U, 2U, 3U, 17U, 500U, 5000U}) {
    const std::vector<rec> m0 = random_recs(rng, n);  // keys in [0, 50): many ties
    const std::vector<row_t> t = as_tuples(m0);
    auto sorted_rows = [](const table& s) {
      std::vector<row_t> v(s.begin(), s.end());
      std::sort(v.begin(), v.end());
      return v;
    };
    // By the int key, ascending (pairs of key and index are sorted).
    {
      table s(t.begin(), t.end());
      std::vector<rec> m = m0;
      s.stable_sort_by<0>();
      std::stable_sort(m.begin(), m.end(), [](const rec& a, const rec& b) { return a.key < b.key; });
      REQUIRE(same(s, m));
      table u(t.begin(), t.end());
      u.sort_by<0>();
      REQUIRE(std::is_sorted(u.column<0>().begin(), u.column<0>().end()));
      REQUIRE(sorted_rows(u) == sorted_rows(s));
    }
    // Descending, with a projection.
    {
      table s(t.begin(), t.end());
      std::vector<rec> m = m0;
      s.stable_sort_by<0>(std::greater{}, [](int k) { return k / 4; });
      std::stable_sort(m.begin(), m.end(), [](const rec& a, const rec& b) { return a.key / 4 > b.key / 4; });
      REQUIRE(same(s, m));
    }
    // By the string column (compared in place through the indices).
    {
      table s(t.begin(), t.end());
      std::vector<rec> m = m0;
      s.stable_sort_by<1>();
      std::stable_sort(m.begin(), m.end(), [](const rec& a, const rec& b) { return a.name < b.name; });
      REQUIRE(same(s, m));
      table u(t.begin(), t.end());
      u.sort_by<1>(std::ranges::less{}, &std::string::size);
      REQUIRE(std::is_sorted(u.column<1>().begin(), u.column<1>().end(),
                             [](const std::string& a, const std::string& b) { return a.size() < b.size(); }));
      REQUIRE(sorted_rows(u) == sorted_rows(s));
    }
    // By the double column, as std::sort over the proxies would.
    {
      table s(t.begin(), t.end());
      table u(t.begin(), t.end());
      s.stable_sort_by<2>();
      std::ranges::stable_sort(u, {}, ed::field<2>);
      REQUIRE(s == u);
    }
  }
}

TEST_CASE("soa: sort_by sorts move-only columns", "[dense][soa][sort]") {
  std::mt19937_64 rng(5);
  using owners = ed::soa<std::unique_ptr<int>, int, std::string>;
  owners s;
  std::vector<int> keys;
  for (int i = 0; i < 3000; ++i) {
    const int k = static_cast<int>(rng() % 1000);
    keys.push_back(k);
    s.emplace_back(std::make_unique<int>(k), -k, std::to_string(k));
  }
  s.sort_by<0>([](const std::unique_ptr<int>& a, const std::unique_ptr<int>& b) { return *a < *b; });
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(*get<0>(s[i]) == keys[i]);
    REQUIRE(get<1>(s[i]) == -keys[i]);
    REQUIRE(get<2>(s[i]) == std::to_string(keys[i]));
  }
  s.stable_sort_by<1>();  // descending keys now
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(*get<0>(s[i]) == keys[keys.size() - 1 - i]);
    REQUIRE(get<2>(s[i]) == std::to_string(*get<0>(s[i])));
  }
  // Stability with a move-only key: equal keys keep their order.
  ed::soa<std::unique_ptr<int>, int> u;
  for (int i = 0; i < 200; ++i) u.emplace_back(std::make_unique<int>(i % 7), i);
  u.stable_sort_by<0>([](const auto& a, const auto& b) { return *a < *b; });
  for (std::size_t i = 1; i < u.size(); ++i) {
    REQUIRE(*get<0>(u[i - 1]) <= *get<0>(u[i]));
    if (*get<0>(u[i - 1]) == *get<0>(u[i])) REQUIRE(get<1>(u[i - 1]) < get<1>(u[i]));
  }
}

TEST_CASE("soa: sort_by leaves the rows unchanged when a comparison throws", "[dense][soa][sort][exceptions]") {
  std::mt19937_64 rng(3);
  const std::vector<row_t> t = as_tuples(random_recs(rng, 300));
  for (int limit : {1, 50, 1000}) {
    for (int which = 0; which < 2; ++which) {
      table s(t.begin(), t.end());
      const table before = s;
      int calls = 0;
      auto comp = [&](const auto& a, const auto& b) {
        if (++calls == limit) throw std::runtime_error("comparison");
        return a < b;
      };
      CHECK_THROWS_AS(which == 0 ? s.sort_by<0>(comp) : s.stable_sort_by<1>(comp), std::runtime_error);
      REQUIRE(s == before);
    }
  }
}

TEST_CASE("soa_of: range construction, insert of structs and sort by member", "[dense][soa][named]") {
  std::vector<person> m{
      {"Ada", 36, 1.6f}, {"Alan", 41, 1.8f}, {"Grace", 85, 1.5f}, {"Edsger", 72, 1.9f}, {"Barbara", 36, 1.7f}};
  people_t people(m.begin(), m.end());
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(people.struct_at(i) == m[i]);
  const person d{"Donald", 30, 1.75f};
  auto it = people.insert(people.cbegin() + 2, d);
  CHECK(it - people.begin() == 2);
  m.insert(m.begin() + 2, d);
  people.insert(people.cbegin(), person{"Niklaus", 36, 1.8f});
  m.insert(m.begin(), person{"Niklaus", 36, 1.8f});
  people.insert(people.cend(), people_t::value_type{"Ken", 41, 1.7f});  // a row tuple still works
  m.push_back({"Ken", 41, 1.7f});
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(people.struct_at(i) == m[i]);
  people.stable_sort_by<&person::age>();
  std::stable_sort(m.begin(), m.end(), [](const person& a, const person& b) { return a.age < b.age; });
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(people.struct_at(i) == m[i]);
  people.sort_by<&person::name>(std::greater{});
  CHECK(people.column<&person::name>()[0] == "Niklaus");
  people.stable_sort_by<2>();  // by index
  CHECK(people.column<&person::height>()[0] == 1.5f);
  // From moved structs.
  std::vector<person> moved = m;
  people_t other(std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()));
  CHECK(other.size() == m.size());
}

TEST_CASE("soa: sort_by on arithmetic keys (radix order) equals std::stable_sort", "[dense][soa][sort]") {
  std::mt19937_64 rng(11);
  auto check = [&](auto key_tag, auto comp, auto gen) {
    using K = decltype(key_tag);
    for (std::size_t n : {1U, 2U, 31U, 4000U}) {
      std::vector<std::pair<K, int>> m;
      ed::soa<K, int, std::string> s;
      for (std::size_t i = 0; i < n; ++i) {
        const K k = gen();
        m.emplace_back(k, static_cast<int>(i));
        s.emplace_back(k, static_cast<int>(i), std::to_string(i));
      }
      std::stable_sort(m.begin(), m.end(), [&](const auto& a, const auto& b) { return comp(a.first, b.first); });
      auto u = s;
      s.template stable_sort_by<0>(comp);
      u.template sort_by<0>(comp);
      for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(std::bit_cast<K>(get<0>(s[i])) == std::bit_cast<K>(m[i].first));  // -0.0 and +0.0 kept apart
        REQUIRE(get<1>(s[i]) == m[i].second);
        REQUIRE(get<2>(s[i]) == std::to_string(m[i].second));
        REQUIRE(!comp(get<0>(m[i]), get<0>(u[i])));
        REQUIRE(!comp(get<0>(u[i]), get<0>(m[i])));
        REQUIRE(get<2>(u[i]) == std::to_string(get<1>(u[i])));
      }
    }
  };
  auto dbl = [&] {
    const double specials[] = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::denorm_min(),
                               -std::numeric_limits<double>::max()};
    return rng() % 4 == 0 ? specials[rng() % 8]
                          : static_cast<double>(static_cast<std::int64_t>(rng() % 2001) - 1000) / 8;
  };
  check(0.0, std::ranges::less{}, dbl);
  check(0.0, std::greater<>{}, dbl);
  check(0.0f, std::less<float>{}, [&] { return static_cast<float>(dbl()); });
  check(std::int64_t{}, std::ranges::greater{},
        [&] { return static_cast<std::int64_t>(rng() >> (rng() % 64)) * ((rng() & 1) ? -1 : 1); });
  check(std::uint8_t{}, std::ranges::less{}, [&] { return static_cast<std::uint8_t>(rng() % 7); });
  check(std::int16_t{}, std::less<>{},
        [&] { return static_cast<std::int16_t>(static_cast<int>(rng() % 65536) - 32768); });
  check(std::uint32_t{}, std::ranges::less{},
        [&] { return static_cast<std::uint32_t>(rng() % 3) << 24; });  // one byte varies
}
