// SPDX-License-Identifier: MIT
// Tests for electron/cache/compact_map.hpp: compact_map, compact_set,
// seeded_hash, against std::unordered_map / std::unordered_set as the model;
// allocators (counting, failing, pmr, propagating or not), exception safety,
// iterator validity, and the operation-sequence property of the fuzz target.
#include "electron/cache/compact_map.hpp"

#include "electron/arena.hpp"
#include "electron/hash/hasher.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/compact_map_property.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <memory_resource>
#include <new>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ec = electron::cache;
namespace et = electron::test;

namespace {

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Same elements as the model, each visited once by iteration, each found.
template <class Map, class Model>
bool same_as_model(const Map& m, const Model& want) {
  if (m.size() != want.size() || m.empty() != want.empty()) return false;
  std::size_t visited = 0;
  for (const auto& kv : m) {
    ++visited;
    const auto it = want.find(kv.first);
    if (it == want.end() || !(it->second == kv.second)) return false;
  }
  if (visited != want.size()) return false;
  for (const auto& kv : want) {
    const auto it = m.find(kv.first);
    if (it == m.end() || !(it->second == kv.second)) return false;
  }
  return true;
}

/// A snapshot of a map as a std::unordered_map.
template <class Map>
auto snapshot(const Map& m) {
  std::unordered_map<typename Map::key_type, typename Map::mapped_type> s;
  for (const auto& kv : m) s.emplace(kv.first, kv.second);
  return s;
}

/// A string long enough to live on the heap.
std::string long_key(std::uint64_t i) { return "key-with-a-heap-buffer-" + std::to_string(i); }

/// Transparent string hasher and equality: find by std::string_view and
/// const char* without building a std::string.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// Every key hashes to the same value: all in one group, then the overflow.
struct constant_hash {
  std::size_t operator()(std::uint64_t) const noexcept { return 7; }
};

/// A hasher that throws on the n-th call from hash_fail_nth(n) on.
struct throwing_hash {
  static inline std::int64_t countdown = 0;
  std::size_t operator()(std::uint64_t k) const {
    if (countdown > 0 && --countdown == 0) throw std::runtime_error("throwing_hash: planned failure");
    return static_cast<std::size_t>(k * 0x9E3779B97F4A7C15ULL);
  }
};

/// A value that is both a throwing_value (throws on the n-th copy/move) and
/// lifetime_tracked (balanced constructions and destructions).
template <bool NoexceptMove>
struct tracked_throwing {
  et::throwing_value<NoexceptMove> v;
  et::lifetime_tracked life;
  tracked_throwing(int x) : v(x), life(x) {}  // NOLINT: implicit, like the int it wraps
  friend bool operator==(const tracked_throwing& a, const tracked_throwing& b) noexcept { return a.v == b.v; }
};

/// An over-aligned value.
struct alignas(64) over_aligned {
  std::uint64_t value = 0;
  over_aligned() = default;
  over_aligned(std::uint64_t v) : value(v) {}  // NOLINT: implicit for brevity
};

/// An allocator that never propagates and is equal only to copies with the
/// same id; counts live allocations in a shared counter.
template <class T>
struct sticky_allocator {
  using value_type = T;
  using propagate_on_container_copy_assignment = std::false_type;
  using propagate_on_container_move_assignment = std::false_type;
  using propagate_on_container_swap = std::false_type;
  using is_always_equal = std::false_type;
  int id = 0;
  std::int64_t* live = nullptr;
  sticky_allocator(int i, std::int64_t* l) noexcept : id(i), live(l) {}
  template <class U>
  sticky_allocator(const sticky_allocator<U>& o) noexcept : id(o.id), live(o.live) {}  // NOLINT: converting
  T* allocate(std::size_t n) {
    ++*live;
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    --*live;
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  friend bool operator==(const sticky_allocator& a, const sticky_allocator<U>& b) noexcept {
    return a.id == b.id;
  }
};

using u64_map = ec::compact_map<std::uint64_t, std::uint64_t>;

bool long_runs() { return std::getenv("ELECTRON_STRESS") != nullptr; }

}  // namespace

// ---------------------------------------------------------------------------
// Types, concepts, noexcept
// ---------------------------------------------------------------------------
static_assert(std::is_same_v<u64_map::key_type, std::uint64_t>);
static_assert(std::is_same_v<u64_map::mapped_type, std::uint64_t>);
static_assert(std::is_same_v<u64_map::value_type, std::pair<const std::uint64_t, std::uint64_t>>);
static_assert(std::is_same_v<u64_map::hasher, std::hash<std::uint64_t>>);
static_assert(std::is_same_v<u64_map::key_equal, std::equal_to<std::uint64_t>>);
static_assert(std::is_same_v<u64_map::allocator_type, std::allocator<std::pair<const std::uint64_t, std::uint64_t>>>);
static_assert(std::is_same_v<u64_map::size_type, std::size_t>);
static_assert(std::forward_iterator<u64_map::iterator>);
static_assert(std::forward_iterator<u64_map::const_iterator>);
static_assert(std::is_convertible_v<u64_map::iterator, u64_map::const_iterator>);
static_assert(!std::is_convertible_v<u64_map::const_iterator, u64_map::iterator>);
static_assert(std::is_nothrow_move_constructible_v<u64_map>);
static_assert(std::is_nothrow_move_assignable_v<u64_map>);
static_assert(std::is_nothrow_swappable_v<u64_map>);
static_assert(noexcept(std::declval<const u64_map&>().size()));
static_assert(noexcept(std::declval<const u64_map&>().empty()));
static_assert(noexcept(std::declval<const u64_map&>().capacity()));
static_assert(noexcept(std::declval<u64_map&>().begin()));
static_assert(noexcept(std::declval<u64_map&>().clear()));
static_assert(noexcept(std::declval<u64_map&>().erase(std::declval<u64_map::const_iterator>())));
static_assert(noexcept(std::declval<u64_map&>().erase(std::declval<u64_map::iterator>())));
static_assert(noexcept(std::declval<const u64_map&>().load_factor()));
static_assert(noexcept(std::declval<const u64_map&>().get_allocator()));
static_assert(std::is_nothrow_move_constructible_v<ec::pmr::compact_map<int, int>>);
static_assert(std::is_same_v<decltype(std::declval<u64_map&>().insert(std::declval<u64_map::value_type>())),
                             std::pair<u64_map::iterator, bool>>);
static_assert(std::is_same_v<decltype(std::declval<u64_map&>().erase(std::uint64_t{})), std::size_t>);
static_assert(std::is_same_v<decltype(std::declval<u64_map&>().erase(std::declval<u64_map::const_iterator>())),
                             u64_map::iterator>);
using u64_set = ec::compact_set<std::uint64_t>;
static_assert(std::is_same_v<u64_set::value_type, std::uint64_t>);
static_assert(std::is_same_v<u64_set::key_type, std::uint64_t>);
static_assert(std::forward_iterator<u64_set::iterator>);
static_assert(std::is_same_v<std::iter_reference_t<u64_set::iterator>, const std::uint64_t&>);
static_assert(std::is_nothrow_move_constructible_v<u64_set>);
static_assert(std::is_same_v<ec::pmr::compact_map<int, int>::allocator_type,
                             std::pmr::polymorphic_allocator<std::pair<const int, int>>>);
static_assert(std::is_same_v<ec::pmr::compact_set<int>::allocator_type, std::pmr::polymorphic_allocator<int>>);
// seeded_hash is an Electron hasher and says it avalanches.
static_assert(electron::hash::hasher<ec::seeded_hash<std::uint64_t>, std::uint64_t>);
static_assert(electron::hash::hasher<ec::seeded_hash<std::string>, std::string>);
static_assert(electron::hash::is_avalanching_v<ec::seeded_hash<std::uint64_t>>);
static_assert(!electron::hash::is_avalanching_v<std::hash<std::uint64_t>>);
static_assert(electron::hash::hasher<throwing_hash, std::uint64_t>);
// The map's own concepts, each with a type that models it and one that does not.
static_assert(ec::key_equality<std::equal_to<std::uint64_t>, std::uint64_t>);
static_assert(ec::key_equality<std::equal_to<>, std::string>);
static_assert(!ec::key_equality<std::hash<std::uint64_t>, std::uint64_t>);
static_assert(ec::transparent_lookup<string_hash, std::equal_to<>>);
static_assert(!ec::transparent_lookup<string_hash, std::equal_to<std::string>>);
static_assert(!ec::transparent_lookup<std::hash<std::string>, std::equal_to<>>);
static_assert(ec::allocator_of<std::allocator<int>, int>);
static_assert(ec::allocator_of<std::pmr::polymorphic_allocator<int>, int>);
static_assert(!ec::allocator_of<std::allocator<long>, int>);
// seeded_hash is transparent exactly when its H is.
template <class H>
concept declares_transparent = requires {
  typename H::is_transparent;
};
static_assert(declares_transparent<ec::seeded_hash<std::string, string_hash>>);
static_assert(!declares_transparent<ec::seeded_hash<std::string>>);
static_assert(!electron::hash::hasher<int, std::uint64_t>);

// ---------------------------------------------------------------------------
// Members, one by one
// ---------------------------------------------------------------------------
TEST_CASE("compact_map: constructors", "[cache][compact_map]") {
  const u64_map empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(empty.begin() == empty.end());
  CHECK(empty.cbegin() == empty.cend());
  CHECK(empty.find(1) == empty.end());
  CHECK(empty.count(1) == 0);
  CHECK(!empty.contains(1));
  CHECK(empty.load_factor() == 0.0f);
  CHECK(empty.max_load_factor() > 0.0f);
  CHECK(empty.max_load_factor() <= 1.0f);
  CHECK(empty.max_size() > 0);

  // A default-constructed map does not allocate.
  CHECK(et::check_no_alloc([] {
    u64_map m;
    et::do_not_optimize(m.size());
  }));

  const u64_map sized(100);
  CHECK(sized.empty());
  CHECK(sized.capacity() >= 100);

  const u64_map with_hash(10, std::hash<std::uint64_t>{}, std::equal_to<std::uint64_t>{}, u64_map::allocator_type{});
  CHECK(with_hash.empty());

  const u64_map il{{1, 10}, {2, 20}, {3, 30}, {1, 99}};
  CHECK(il.size() == 3);
  CHECK(il.at(1) == 10);  // the first of equal keys wins, as in std::unordered_map
  CHECK(il.at(3) == 30);

  const std::vector<std::pair<std::uint64_t, std::uint64_t>> items{{5, 50}, {6, 60}, {5, 51}};
  const u64_map range(items.begin(), items.end());
  CHECK(range.size() == 2);
  CHECK(range.at(5) == 50);

  u64_map copy(il);
  CHECK(copy == il);
  u64_map moved(std::move(copy));
  CHECK(moved == il);
  CHECK(copy.empty());  // NOLINT: a moved-from map is valid and, here, empty
  copy.emplace(1, 1);   // and usable
  CHECK(copy.size() == 1);

  u64_map assigned;
  assigned = il;
  CHECK(assigned == il);
  assigned = {{7, 70}};
  CHECK(assigned.size() == 1);
  CHECK(assigned.at(7) == 70);
  u64_map move_assigned;
  move_assigned = std::move(assigned);
  CHECK(move_assigned.size() == 1);
  CHECK(move_assigned.get_allocator() == u64_map::allocator_type{});
  static_cast<void>(move_assigned.hash_function()(1));
  CHECK(move_assigned.key_eq()(3, 3));
}

TEST_CASE("compact_map: insert, emplace, try_emplace, insert_or_assign, operator[]", "[cache][compact_map]") {
  ec::compact_map<std::uint64_t, std::string> m;
  const std::pair<const std::uint64_t, std::string> v1{1, "one"};
  auto r = m.insert(v1);
  CHECK(r.second);
  CHECK(r.first->first == 1);
  CHECK(r.first->second == "one");
  r = m.insert({1, "uno"});
  CHECK(!r.second);
  CHECK(r.first->second == "one");

  r = m.emplace(2, "two");
  CHECK(r.second);
  CHECK(r.first->second == "two");
  r = m.emplace(std::piecewise_construct, std::forward_as_tuple(3), std::forward_as_tuple(3, 'x'));
  CHECK(r.second);
  CHECK(r.first->second == "xxx");
  r = m.emplace(2, "deux");
  CHECK(!r.second);
  CHECK(m.at(2) == "two");

  // try_emplace does not move from its arguments when the key is present.
  std::string s = "a long string that would be moved from if used";
  r = m.try_emplace(2, std::move(s));
  CHECK(!r.second);
  CHECK(s == "a long string that would be moved from if used");  // NOLINT: not moved from
  r = m.try_emplace(4, std::move(s));
  CHECK(r.second);
  CHECK(r.first->second == "a long string that would be moved from if used");
  r = m.try_emplace(5);
  CHECK(r.second);
  CHECK(r.first->second.empty());

  r = m.insert_or_assign(5, "five");
  CHECK(!r.second);
  CHECK(m.at(5) == "five");
  r = m.insert_or_assign(6, "six");
  CHECK(r.second);
  CHECK(r.first->second == "six");

  m[7] = "seven";
  CHECK(m.at(7) == "seven");
  CHECK(m[7] == "seven");
  CHECK(m[8].empty());
  CHECK(m.size() == 8);

  const std::vector<std::pair<std::uint64_t, std::string>> more{{9, "nine"}, {1, "x"}, {10, "ten"}};
  m.insert(more.begin(), more.end());
  CHECK(m.size() == 10);
  CHECK(m.at(1) == "one");
  m.insert({{11, "eleven"}, {12, "twelve"}});
  CHECK(m.size() == 12);

  std::unordered_map<std::uint64_t, std::string> want{{1, "one"},  {2, "two"},  {3, "xxx"},     {4, s},
                                                      {5, "five"}, {6, "six"},  {7, "seven"},   {8, ""},
                                                      {9, "nine"}, {10, "ten"}, {11, "eleven"}, {12, "twelve"}};
  want[4] = "a long string that would be moved from if used";
  CHECK(same_as_model(m, want));
}

TEST_CASE("compact_map: at, find, contains, count on const and non-const", "[cache][compact_map]") {
  u64_map m{{1, 10}, {2, 20}};
  const u64_map& c = m;
  CHECK(m.at(1) == 10);
  CHECK(c.at(2) == 20);
  m.at(1) = 11;
  CHECK(c.at(1) == 11);
  CHECK_THROWS_AS(m.at(3), std::out_of_range);
  CHECK_THROWS_AS(c.at(3), std::out_of_range);
  CHECK(m.find(2)->second == 20);
  CHECK(c.find(2)->second == 20);
  static_assert(std::is_same_v<decltype(c.find(2)), u64_map::const_iterator>);
  static_assert(std::is_same_v<decltype(m.find(2)), u64_map::iterator>);
  m.find(2)->second = 21;
  CHECK(c.at(2) == 21);
  CHECK(m.find(3) == m.end());
  CHECK(c.contains(1));
  CHECK(!c.contains(0));
  CHECK(c.count(1) == 1);
  CHECK(c.count(0) == 0);
  // Key 0 and the largest key are ordinary keys.
  m[0] = 1;
  m[std::numeric_limits<std::uint64_t>::max()] = 2;
  CHECK(m.at(0) == 1);
  CHECK(m.at(std::numeric_limits<std::uint64_t>::max()) == 2);
  CHECK(m.size() == 4);
}

TEST_CASE("compact_map: erase by key, by iterator, by range; clear", "[cache][compact_map]") {
  u64_map m;
  for (std::uint64_t i = 0; i < 100; ++i) m.emplace(i, i * 2);
  CHECK(m.erase(1000) == 0);
  CHECK(m.erase(5) == 1);
  CHECK(m.erase(5) == 0);
  CHECK(m.size() == 99);
  CHECK(!m.contains(5));

  // erase(iterator) and erase(const_iterator) return the next element.
  auto it = m.find(10);
  auto next = std::next(it);
  auto after = m.erase(it);
  CHECK(after == next);
  u64_map::const_iterator cit = m.find(11);
  auto cnext = std::next(cit);
  after = m.erase(cit);
  CHECK(u64_map::const_iterator(after) == cnext);
  CHECK(m.size() == 97);

  // erase(first, last): a range from iteration order.
  auto first = m.begin();
  std::advance(first, 10);
  auto last = first;
  std::advance(last, 20);
  std::vector<std::uint64_t> gone;
  for (auto i = first; i != last; ++i) gone.push_back(i->first);
  const auto ret = m.erase(u64_map::const_iterator(first), u64_map::const_iterator(last));
  CHECK(ret == last);
  CHECK(m.size() == 77);
  for (const auto k : gone) CHECK(!m.contains(k));
  CHECK(m.erase(m.cbegin(), m.cbegin()) == m.begin());
  CHECK(m.size() == 77);

  // Erase everything while iterating: every element visited once.
  std::unordered_set<std::uint64_t> seen;
  for (auto i = m.begin(); i != m.end();) {
    CHECK(seen.insert(i->first).second);
    i = m.erase(i);
  }
  CHECK(seen.size() == 77);
  CHECK(m.empty());
  CHECK(m.begin() == m.end());

  for (std::uint64_t i = 0; i < 1000; ++i) m.emplace(i, i);
  const auto cap = m.capacity();
  m.clear();
  CHECK(m.empty());
  CHECK(m.size() == 0);
  CHECK(m.begin() == m.end());
  CHECK(!m.contains(3));
  CHECK(m.capacity() <= cap);
  m.emplace(3, 3);
  CHECK(m.at(3) == 3);
  CHECK(m.size() == 1);
}

TEST_CASE("compact_map: erase_if", "[cache][compact_map]") {
  u64_map m;
  std::unordered_map<std::uint64_t, std::uint64_t> want;
  for (std::uint64_t i = 0; i < 5000; ++i) {
    m.emplace(i * 7, i);
    want.emplace(i * 7, i);
  }
  const auto odd = [](const auto& kv) { return kv.second % 2 == 1; };
  CHECK(ec::erase_if(m, odd) == std::erase_if(want, odd));
  CHECK(same_as_model(m, want));
  CHECK(erase_if(m, [](const auto&) { return false; }) == 0);  // found by ADL
  CHECK(erase_if(m, [](const auto&) { return true; }) == 2500);
  CHECK(m.empty());
}

TEST_CASE("compact_map: reserve, rehash, load factor, capacity", "[cache][compact_map]") {
  u64_map m;
  m.reserve(1000);
  const auto cap = m.capacity();
  CHECK(cap >= 1000);
  for (std::uint64_t i = 0; i < 1000; ++i) m.emplace(i, i);
  CHECK(m.capacity() == cap);  // reserve(n) holds n elements without growing
  CHECK(m.load_factor() > 0.0f);
  CHECK(m.load_factor() <= m.max_load_factor());
  CHECK(m.load_factor() == static_cast<float>(m.size()) / static_cast<float>(m.capacity()));

  m.rehash(0);  // shrinks to fit, never below size
  CHECK(m.capacity() >= m.size());
  CHECK(m.load_factor() <= m.max_load_factor());
  m.rehash(100000);
  CHECK(m.capacity() >= 100000);
  for (std::uint64_t i = 0; i < 1000; ++i) CHECK(m.at(i) == i);
  m.reserve(10);  // never shrinks below what the elements need
  CHECK(m.size() == 1000);
  for (std::uint64_t i = 0; i < 1000; ++i) REQUIRE(m.at(i) == i);

  const float mlf = m.max_load_factor();
  m.max_load_factor(0.5f);  // accepted
  CHECK(m.max_load_factor() > 0.0f);
  m.max_load_factor(mlf);
  CHECK(m.size() == 1000);
}

TEST_CASE("compact_map: equality and swap", "[cache][compact_map]") {
  u64_map a;
  u64_map b;
  CHECK(a == b);
  for (std::uint64_t i = 0; i < 300; ++i) a.emplace(i, i);
  for (std::uint64_t i = 300; i-- > 0;) b.emplace(i, i);  // other insertion order
  b.reserve(5000);                                        // and other capacity
  CHECK(a == b);
  CHECK(!(a != b));
  b[7] = 8;
  CHECK(a != b);
  b[7] = 7;
  CHECK(a == b);
  b.erase(299);
  CHECK(a != b);
  b.emplace(1000, 299);
  CHECK(a != b);  // same size and values, another key

  u64_map c{{1, 1}};
  const auto a_snap = snapshot(a);
  const auto c_snap = snapshot(c);
  auto it = a.find(5);
  const auto* p = &*it;
  a.swap(c);
  CHECK(same_as_model(a, c_snap));
  CHECK(same_as_model(c, a_snap));
  CHECK(&*c.find(5) == p);  // swap moves no element
  swap(a, c);               // ADL
  CHECK(same_as_model(a, a_snap));
  CHECK(same_as_model(c, c_snap));
  using std::swap;
  swap(a, a);
  CHECK(same_as_model(a, a_snap));
}

TEST_CASE("compact_map: copy and move, self-assignment", "[cache][compact_map]") {
  ec::compact_map<std::string, std::string> m;
  for (int i = 0; i < 200; ++i) m.emplace(long_key(static_cast<std::uint64_t>(i)), std::to_string(i));
  const auto want = snapshot(m);
  et::self_copy_assign(m);
  CHECK(same_as_model(m, want));
  et::self_move_assign(m);
  CHECK(m.size() <= want.size());  // valid; std leaves self-move unspecified
  m = ec::compact_map<std::string, std::string>(want.begin(), want.end());
  CHECK(same_as_model(m, want));

  ec::compact_map<std::string, std::string> small{{"a", "b"}};
  small = m;  // copy into a smaller one
  CHECK(same_as_model(small, want));
  ec::compact_map<std::string, std::string> big = m;
  big.emplace("extra", "x");
  big = ec::compact_map<std::string, std::string>{{"a", "b"}};  // move a smaller one in
  CHECK(big.size() == 1);
  CHECK(big.at("a") == "b");
  // A moved-from map can be assigned to and used again.
  ec::compact_map<std::string, std::string> from = m;
  ec::compact_map<std::string, std::string> to = std::move(from);
  from = m;
  CHECK(same_as_model(from, want));
  CHECK(same_as_model(to, want));
  CHECK(et::check_leaks([&] {
    ec::compact_map<std::string, std::string> x = m;
    ec::compact_map<std::string, std::string> y;
    y = x;
    y = std::move(x);
    x = y;
  }));
}

// ---------------------------------------------------------------------------
// The model test: 10^6 mixed operations against std::unordered_map
// ---------------------------------------------------------------------------
namespace {

/// Runs `ops` random operations on m and a std::unordered_map, in phases
/// that grow, erase heavily, churn a small key space and rehash; checks
/// sizes after every op and the whole contents every `check_every` ops.
template <class Map>
void run_model(Map& m, std::size_t ops, std::uint64_t seed, std::size_t check_every) {
  std::unordered_map<std::uint64_t, std::uint64_t> want;
  std::mt19937_64 rng(seed);
  const auto below = [&](std::uint64_t n) { return rng() % n; };
  std::vector<std::uint64_t> seen;
  std::size_t checks = 0;
  const std::size_t phase_len = ops / 10 + 1;
  for (std::size_t op = 0; op < ops; ++op) {
    const std::size_t phase = (op / phase_len) % 5;
    // 0: growth through many rehashes over a large key space
    // 1: erase-heavy over the same keys
    // 2: churn over a small key space (insert/erase of the same keys)
    // 3: growth again, keys spread in the high bits
    // 4: erase-heavy with iteration erases
    std::uint64_t key_space = phase == 2 ? 512 : 1u << 20;
    std::uint64_t key = below(key_space);
    if (phase == 3) key <<= 40;
    const std::uint64_t value = rng();
    const bool erase_phase = phase == 1 || phase == 4;
    unsigned kind = static_cast<unsigned>(below(100));
    if (erase_phase) kind = kind < 70 ? 100 + kind % 5 : kind % 60;  // 70% erases
    if (erase_phase && !seen.empty() && below(4) != 0) {
      // Mostly keys that were inserted (some erased since): hits.
      key = seen[below(seen.size())];
    } else if (seen.size() < (1u << 20)) {
      seen.push_back(key);
    } else {
      seen[below(seen.size())] = key;
    }
    INFO("op " << op << " kind " << kind << " key " << key);
    switch (kind) {
      case 100:
      case 101:
        REQUIRE(m.erase(key) == want.erase(key));
        break;
      case 102: {
        const auto it = m.find(key);
        REQUIRE((it == m.end()) == (want.count(key) == 0));
        if (it != m.end()) {
          const auto next = m.erase(it);
          want.erase(key);
          REQUIRE((next == m.end() || want.count(next->first) == 1));
        }
        break;
      }
      case 103: {
        if (below(200) == 0) {  // erase_if over the whole map: rare, it is O(n)
          const std::uint64_t bit = below(8);
          const auto pred = [&](const auto& kv) { return ((kv.second >> bit) & 3) == 0; };
          REQUIRE(ec::erase_if(m, pred) == std::erase_if(want, pred));
        } else {
          REQUIRE(m.erase(key) == want.erase(key));
        }
        break;
      }
      case 104: {
        if (below(200) == 0) {  // the iterator loop: rare, it is O(n)
          const std::size_t before = m.size();
          std::size_t visited = 0;
          const std::uint64_t bit = below(8);
          for (auto it = m.begin(); it != m.end();) {
            ++visited;
            if (((it->second >> bit) & 1) == 0) {
              REQUIRE(want.erase(it->first) == 1);
              it = m.erase(it);
            } else {
              ++it;
            }
          }
          REQUIRE(visited == before);
        } else {
          REQUIRE(m.erase(key) == want.erase(key));
        }
        break;
      }
      default:
        if (kind < 20) {
          const auto a = m.insert({key, value});
          const auto b = want.insert({key, value});
          REQUIRE(a.second == b.second);
          REQUIRE(a.first->second == b.first->second);
        } else if (kind < 30) {
          const auto a = m.emplace(key, value);
          const auto b = want.emplace(key, value);
          REQUIRE(a.second == b.second);
          REQUIRE(a.first->second == b.first->second);
        } else if (kind < 40) {
          const auto a = m.try_emplace(key, value);
          const auto b = want.try_emplace(key, value);
          REQUIRE(a.second == b.second);
          REQUIRE(a.first->first == key);
          REQUIRE(a.first->second == b.first->second);
        } else if (kind < 45) {
          const auto a = m.insert_or_assign(key, value);
          const auto b = want.insert_or_assign(key, value);
          REQUIRE(a.second == b.second);
          REQUIRE(a.first->second == value);
        } else if (kind < 55) {
          m[key] += value;
          want[key] += value;
          REQUIRE(m[key] == want[key]);
        } else if (kind < 75) {
          const auto it = m.find(key);
          const auto w = want.find(key);
          REQUIRE((it == m.end()) == (w == want.end()));
          if (it != m.end()) REQUIRE(it->second == w->second);
          REQUIRE(m.contains(key) == (w != want.end()));
        } else if (kind < 85) {
          REQUIRE(m.erase(key) == want.erase(key));
        } else if (kind < 90) {
          const auto it = m.find(key);
          if (it != m.end()) {
            m.erase(it);
            want.erase(key);
          }
        } else if (kind < 92) {
          m.reserve(m.size() + below(4096));
        } else if (kind < 93) {
          m.rehash(below(2) == 0 ? 0 : m.size() * 2);
        } else if (kind < 94 && below(50) == 0) {
          m.clear();
          want.clear();
        } else {
          REQUIRE(m.count(key) == want.count(key));
        }
        break;
    }
    REQUIRE(m.size() == want.size());
    if (op % check_every == check_every - 1) {
      REQUIRE(same_as_model(m, want));
      ++checks;
    }
  }
  REQUIRE(same_as_model(m, want));
  CHECK(checks == ops / check_every);
}

std::size_t model_ops() {
  if (long_runs()) return 4'000'000;
#if ELECTRON_ASAN || !defined(NDEBUG)
  return 100'000;  // sanitizers and debug builds: a tenth, a few seconds
#else
  return 1'000'000;
#endif
}

}  // namespace

TEST_CASE("compact_map: randomized model test against std::unordered_map", "[cache][compact_map][model]") {
  const std::size_t ops = model_ops();
  SECTION("std::hash (identity)") {
    u64_map m;
    run_model(m, ops, 0x13, 50'000);
  }
  SECTION("seeded_hash") {
    ec::compact_map<std::uint64_t, std::uint64_t, ec::seeded_hash<std::uint64_t>> m(
        0, ec::seeded_hash<std::uint64_t>(0x1234));
    run_model(m, ops / 4, 0x14, 25'000);
  }
  SECTION("a hasher with eight values (long probe sequences)") {
    struct eight {
      std::size_t operator()(std::uint64_t k) const noexcept { return k & 7; }
    };
    ec::compact_map<std::uint64_t, std::uint64_t, eight> m;
    run_model(m, ops / 400, 0x15, 500);
  }
}

// ---------------------------------------------------------------------------
// Key kinds
// ---------------------------------------------------------------------------
TEST_CASE("compact_map: 1M sequential uint64 keys with the identity hash", "[cache][compact_map]") {
  for (const std::uint64_t stride : {std::uint64_t{1}, std::uint64_t{1} << 12, std::uint64_t{1} << 32}) {
    INFO("stride " << stride);
    // 1M keys; under sanitizers only with stride 1 (the others 200k).
    const std::uint64_t n = (ELECTRON_ASAN && stride != 1 && !long_runs()) ? 200'000 : 1'000'000;
    const auto start = std::chrono::steady_clock::now();
    u64_map m;
    for (std::uint64_t i = 0; i < n; ++i) m.emplace(i * stride, i);
    REQUIRE(m.size() == n);
    std::uint64_t found = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto it = m.find(i * stride);
      found += it != m.end() && it->second == i ? 1u : 0u;
    }
    for (std::uint64_t i = n; i < n + 1000; ++i) found += m.contains(i * stride) ? 1u : 0u;
    CHECK(found == n);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Linear work takes well under a second in Release; a clustering table
    // (quadratic) takes minutes. The bound leaves room for sanitizers and a
    // loaded machine.
    CHECK(seconds < 20.0);
  }
}

TEST_CASE("compact_map: string keys", "[cache][compact_map]") {
  ec::compact_map<std::string, std::uint64_t> m;
  std::unordered_map<std::string, std::uint64_t> want;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const auto k = rng() % 8000;
    // short (SSO) and long keys, empty key
    std::string key = k % 3 == 0 ? std::to_string(k) : k % 3 == 1 ? long_key(k) : std::string(k % 40, 'a');
    if (rng() % 4 == 0) {
      REQUIRE(m.erase(key) == want.erase(key));
    } else {
      m[key] += k;
      want[key] += k;
    }
  }
  CHECK(same_as_model(m, want));
  CHECK(m.contains(""));
  CHECK(m.at("") == want.at(""));
}

namespace {
/// A single-pass input iterator over a vector of pairs (no multi-pass, no
/// std::distance): range inserts must not need more.
struct input_pairs {
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<std::uint64_t, std::string>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;
  const std::vector<value_type>* v = nullptr;
  std::size_t i = 0;
  reference operator*() const { return (*v)[i]; }
  pointer operator->() const { return &(*v)[i]; }
  input_pairs& operator++() {
    ++i;
    return *this;
  }
  void operator++(int) { ++i; }
  friend bool operator==(const input_pairs& a, const input_pairs& b) noexcept { return a.i == b.i; }
};
}  // namespace

TEST_CASE("compact_map: keys built from emplace arguments; single-pass ranges", "[cache][compact_map]") {
  ec::compact_map<std::string, int> m;
  CHECK(m.emplace("literal key that is long enough for the heap", 1).second);
  CHECK(!m.emplace("literal key that is long enough for the heap", 2).second);
  CHECK(m.emplace(std::piecewise_construct, std::forward_as_tuple(20, 'k'), std::forward_as_tuple(3)).second);
  CHECK(m.at(std::string(20, 'k')) == 3);
  CHECK(m.try_emplace("short", 4).second);
  CHECK(m.insert_or_assign("short", 5).first->second == 5);
  std::string moved_key = long_key(77);
  m[std::move(moved_key)] = 6;
  CHECK(m.at(long_key(77)) == 6);
  CHECK(m.size() == 4);
  CHECK(m.at("literal key that is long enough for the heap") == 1);

  std::vector<std::pair<std::uint64_t, std::string>> src;
  for (std::uint64_t i = 0; i < 100; ++i) src.emplace_back(i % 60, long_key(i));
  ec::compact_map<std::uint64_t, std::string> r(input_pairs{&src, 0}, input_pairs{&src, src.size()});
  CHECK(r.size() == 60);
  CHECK(r.at(5) == long_key(5));
  ec::compact_map<std::uint64_t, std::string> r2;
  r2.insert(input_pairs{&src, 0}, input_pairs{&src, src.size()});
  CHECK(r2 == r);
  std::istringstream numbers("1 2 3 2 40 1");
  ec::compact_set<std::uint64_t> s(std::istream_iterator<std::uint64_t>(numbers),
                                   std::istream_iterator<std::uint64_t>{});
  CHECK(s.size() == 4);
  CHECK(s.contains(40));
}

TEST_CASE("compact_map: keys that all collide (overflow path)", "[cache][compact_map]") {
  ec::compact_map<std::uint64_t, std::uint64_t, constant_hash> m;
  std::unordered_map<std::uint64_t, std::uint64_t> want;
  for (std::uint64_t round = 0; round < 3; ++round) {
    for (std::uint64_t i = 0; i < 200; ++i) {
      const auto r = m.emplace(i, i + round);
      want.emplace(i, i + round);
      REQUIRE(r.first->first == i);
    }
    REQUIRE(same_as_model(m, want));
    for (std::uint64_t i = 0; i < 200; i += 3) {
      REQUIRE(m.erase(i) == want.erase(i));
      REQUIRE(!m.contains(i));
    }
    REQUIRE(same_as_model(m, want));
    for (std::uint64_t i = 300; i < 400; ++i) CHECK(!m.contains(i));  // misses walk the whole chain
  }
  // Erase while iterating over one long collision chain.
  std::size_t visited = 0;
  const std::size_t before = m.size();
  for (auto it = m.begin(); it != m.end();) {
    ++visited;
    if (it->first % 2 == 0) {
      want.erase(it->first);
      it = m.erase(it);
    } else {
      ++it;
    }
  }
  CHECK(visited == before);
  CHECK(same_as_model(m, want));
}

TEST_CASE("compact_map: heterogeneous lookup does not allocate", "[cache][compact_map]") {
  ec::compact_map<std::string, int, string_hash, std::equal_to<>> m;
  for (int i = 0; i < 100; ++i) m.emplace(long_key(static_cast<std::uint64_t>(i)), i);
  const std::string k42 = long_key(42);
  const std::string_view sv = k42;
  const char* cs = k42.c_str();
  bool ok = true;
  CHECK(et::check_no_alloc([&] {
    const auto it = m.find(sv);
    ok = ok && it != m.end() && it->second == 42;
    ok = ok && m.find(cs) != m.end();
    ok = ok && m.contains(sv) && m.contains(cs) && !m.contains(std::string_view("key-with-a-heap-buffer-x"));
    ok = ok && m.count(sv) == 1 && m.count("key-with-a-heap-buffer-1000") == 0;
    ok = ok && m.at(sv) == 42;
    ok = ok && !m.try_emplace(sv, 7).second;  // present: nothing built
    ok = ok && m.erase(std::string_view("key-with-a-heap-buffer-absent")) == 0;
  }));
  CHECK(ok);
  CHECK_THROWS_AS(m.at(std::string_view("absent")), std::out_of_range);
  const auto& c = m;
  CHECK(c.find(sv)->second == 42);
  CHECK(m.erase(sv) == 1);
  CHECK(!m.contains(k42));
  const auto r = m.try_emplace(sv, 43);  // absent: builds the key from the view
  CHECK(r.second);
  CHECK(r.first->first == k42);
  CHECK(m.at(k42) == 43);
  CHECK(m.size() == 100);
}

TEST_CASE("compact_map: move-only keys and values", "[cache][compact_map]") {
  struct ptr_hash {
    std::size_t operator()(const std::unique_ptr<int>& p) const noexcept { return std::hash<int>{}(*p); }
  };
  struct ptr_eq {
    bool operator()(const std::unique_ptr<int>& a, const std::unique_ptr<int>& b) const noexcept { return *a == *b; }
  };
  ec::compact_map<std::unique_ptr<int>, std::unique_ptr<int>, ptr_hash, ptr_eq> m;
  for (int i = 0; i < 500; ++i) {
    const auto r = m.emplace(std::make_unique<int>(i), std::make_unique<int>(i * 2));
    REQUIRE(r.second);
  }
  CHECK(m.size() == 500);
  auto probe = std::make_unique<int>(7);
  CHECK(*m.find(probe)->second == 14);
  CHECK(m.try_emplace(std::make_unique<int>(7), std::make_unique<int>(0)).second == false);
  CHECK(*m.at(probe) == 14);
  m.insert_or_assign(std::make_unique<int>(7), std::make_unique<int>(70));
  CHECK(*m.at(probe) == 70);
  CHECK(m.erase(probe) == 1);
  m.rehash(4000);  // moves every element
  for (int i = 0; i < 500; ++i) {
    if (i == 7) continue;
    auto p = std::make_unique<int>(i);
    REQUIRE(*m.at(p) == i * 2);
  }
  m[std::make_unique<int>(1000)] = std::make_unique<int>(1);  // operator[] with an rvalue key
  CHECK(*m.at(std::make_unique<int>(1000)) == 1);
  auto moved = std::move(m);
  CHECK(moved.size() == 500);
  ec::compact_map<std::uint64_t, std::unique_ptr<int>> um;
  um[1] = std::make_unique<int>(1);
  um.insert({2, std::make_unique<int>(2)});
  CHECK(*um.at(2) == 2);
  ec::compact_set<std::unique_ptr<int>, ptr_hash, ptr_eq> us;
  us.insert(std::make_unique<int>(3));
  CHECK(us.contains(std::make_unique<int>(3)));
}

TEST_CASE("compact_map: over-aligned values", "[cache][compact_map]") {
  ec::compact_map<std::uint64_t, over_aligned> m;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    m.emplace(i, i);
    if (i % 97 == 0) {
      for (const auto& kv : m) REQUIRE(reinterpret_cast<std::uintptr_t>(&kv.second) % 64 == 0);
    }
  }
  for (const auto& kv : m) REQUIRE(reinterpret_cast<std::uintptr_t>(&kv.second) % 64 == 0);
  for (std::uint64_t i = 0; i < 3000; ++i) REQUIRE(m.at(i).value == i);
  // Through a pmr resource too.
  std::pmr::monotonic_buffer_resource mono;
  ec::pmr::compact_map<std::uint64_t, over_aligned> pm(&mono);
  for (std::uint64_t i = 0; i < 500; ++i) pm.emplace(i, i);
  for (const auto& kv : pm) REQUIRE(reinterpret_cast<std::uintptr_t>(&kv.second) % 64 == 0);
  // And through an arena.
  electron::arena::arena ar;
  electron::arena::arena_resource res(ar);
  ec::pmr::compact_map<std::uint64_t, over_aligned> am(&res);
  for (std::uint64_t i = 0; i < 500; ++i) am.emplace(i, i);
  for (const auto& kv : am) REQUIRE(reinterpret_cast<std::uintptr_t>(&kv.second) % 64 == 0);
  for (std::uint64_t i = 0; i < 500; ++i) REQUIRE(am.at(i).value == i);
}

TEST_CASE("compact_map: values and keys with a hostile operator& and operator comma", "[cache][compact_map]") {
  struct hostile_hash {
    std::size_t operator()(const et::hostile_operators& h) const noexcept { return std::hash<int>{}(h.value); }
  };
  ec::compact_map<std::uint64_t, et::hostile_operators> m;
  for (std::uint64_t i = 0; i < 300; ++i) m.emplace(i, static_cast<int>(i));
  m.insert_or_assign(3, 30);
  m[4] = 40;
  m.try_emplace(500, 5);
  m.erase(7);
  ec::erase_if(m, [](const auto& kv) { return kv.first % 50 == 1; });
  auto copy = m;
  CHECK(copy == m);
  m.rehash(2000);
  CHECK(m.at(3).value == 30);
  CHECK(m.at(4).value == 40);
  CHECK(m.at(500).value == 5);
  CHECK(!m.contains(7));
  ec::compact_set<et::hostile_operators, hostile_hash> s;
  for (int i = 0; i < 100; ++i) s.insert(i);
  s.erase(et::hostile_operators(5));
  s.erase(s.begin());
  CHECK(s.size() == 98);
  auto t = s;
  CHECK(t == s);
}

// ---------------------------------------------------------------------------
// compact_set
// ---------------------------------------------------------------------------
TEST_CASE("compact_set: the same core", "[cache][compact_set]") {
  ec::compact_set<std::uint64_t> s{1, 2, 3, 2};
  CHECK(s.size() == 3);
  CHECK(s.contains(2));
  CHECK(s.count(4) == 0);
  auto r = s.insert(4);
  CHECK(r.second);
  CHECK(*r.first == 4);
  r = s.insert(4);
  CHECK(!r.second);
  r = s.emplace(5);
  CHECK(r.second);
  CHECK(*s.find(5) == 5);
  CHECK(s.find(6) == s.end());
  CHECK(s.erase(1) == 1);
  CHECK(s.erase(1) == 0);
  const auto next = s.erase(s.find(2));
  CHECK((next == s.end() || *next != 2));
  CHECK(s.size() == 3);
  const std::vector<std::uint64_t> more{10, 11, 12, 10};
  s.insert(more.begin(), more.end());
  s.insert({20, 21});
  CHECK(s.size() == 8);

  std::unordered_set<std::uint64_t> want(s.begin(), s.end());
  CHECK(want.size() == s.size());
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t k = rng() % 4096;
    switch (rng() % 4) {
      case 0:
      case 1:
        REQUIRE(s.insert(k).second == want.insert(k).second);
        break;
      case 2:
        REQUIRE(s.erase(k) == want.erase(k));
        break;
      default:
        REQUIRE(s.contains(k) == (want.count(k) == 1));
    }
  }
  REQUIRE(s.size() == want.size());
  std::size_t visited = 0;
  for (const auto k : s) {
    ++visited;
    REQUIRE(want.count(k) == 1);
  }
  CHECK(visited == want.size());
  CHECK(ec::erase_if(s, [](std::uint64_t k) { return k % 2 == 0; }) ==
        std::erase_if(want, [](std::uint64_t k) { return k % 2 == 0; }));
  CHECK(s.size() == want.size());

  ec::compact_set<std::uint64_t> t(want.begin(), want.end());
  CHECK(s == t);
  t.insert(1u << 30);
  CHECK(s != t);
  swap(s, t);
  CHECK(s.contains(1u << 30));
  s.clear();
  CHECK(s.empty());
  s.reserve(100);
  CHECK(s.capacity() >= 100);
  s.rehash(0);

  ec::compact_set<std::string, string_hash, std::equal_to<>> names{"alpha", "beta"};
  CHECK(names.contains(std::string_view("alpha")));
  CHECK(names.contains("beta"));
  CHECK(names.find("gamma") == names.end());
  CHECK(names.erase(std::string_view("alpha")) == 1);
  std::pmr::monotonic_buffer_resource mono;
  ec::pmr::compact_set<std::uint64_t> ps(&mono);
  for (std::uint64_t i = 0; i < 1000; ++i) ps.insert(i);
  CHECK(ps.size() == 1000);
}

// ---------------------------------------------------------------------------
// Iterator and reference validity
// ---------------------------------------------------------------------------
TEST_CASE("compact_map: references stay put across inserts after reserve and across erase", "[cache][compact_map]") {
  for (const std::size_t n : {std::size_t{7}, std::size_t{100}, std::size_t{5000}}) {
    INFO("n " << n);
    ec::compact_map<std::uint64_t, std::string> m;
    m.reserve(n);
    const auto cap = m.capacity();
    std::vector<std::pair<std::uint64_t, const std::string*>> where;
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto r = m.emplace(i * 31, std::to_string(i));
      where.emplace_back(i * 31, &r.first->second);
      if (i % 64 == 0 || i + 1 == n) {
        for (const auto& [k, p] : where) REQUIRE(&m.find(k)->second == p);
      }
    }
    CHECK(m.capacity() == cap);
    // Erase every other one: the rest do not move, iterators to them stay valid.
    auto keep = m.find(where.back().first);
    for (std::size_t i = 0; i + 1 < where.size(); i += 2) m.erase(where[i].first);
    CHECK(keep->first == where.back().first);
    for (std::size_t i = 1; i < where.size(); i += 2) REQUIRE(&m.find(where[i].first)->second == where[i].second);
    // Re-inserting the erased keys (no growth: the table held them before)
    // does not move the others either.
    for (std::size_t i = 0; i + 1 < where.size(); i += 2) m.emplace(where[i].first, "again");
    CHECK(m.capacity() == cap);
    for (std::size_t i = 1; i < where.size(); i += 2) REQUIRE(&m.find(where[i].first)->second == where[i].second);
  }
}

TEST_CASE("compact_map: churn without growth keeps the other elements in place", "[cache][compact_map]") {
  // Erase and insert other keys many times (tombstones or shifts build up)
  // while the size stays within what reserve() asked for: as long as the
  // capacity does not change, the stable elements must not move.
  ec::compact_map<std::uint64_t, std::uint64_t> m;
  m.reserve(1024);
  const auto cap = m.capacity();
  std::vector<const std::uint64_t*> where;
  for (std::uint64_t i = 0; i < 400; ++i) where.push_back(&m.emplace(i, i).first->second);
  std::mt19937_64 rng(11);
  std::vector<std::uint64_t> live;
  std::size_t moved_checks = 0;
  for (int round = 0; round < 20000; ++round) {
    if (live.size() < 600 && (live.empty() || rng() % 2 == 0)) {
      const std::uint64_t k = (rng() | 1u) << 20;  // never one of the stable keys
      if (m.emplace(k, k).second) live.push_back(k);
    } else {
      const std::size_t at = static_cast<std::size_t>(rng() % live.size());
      REQUIRE(m.erase(live[at]) == 1);
      live[at] = live.back();
      live.pop_back();
    }
    if (round % 500 == 0 && m.capacity() == cap) {
      for (std::uint64_t i = 0; i < 400; ++i) REQUIRE(&m.find(i)->second == where[i]);
      ++moved_checks;
    }
  }
  CHECK(m.capacity() == cap);  // reserve(1024) held at most 1000 elements throughout
  CHECK(moved_checks == 40);
  CHECK(m.size() == 400 + live.size());
}

namespace {
/// Says it avalanches, but its top 12 bits take two values: two home groups.
struct two_homes {
  using is_avalanching = void;
  std::size_t operator()(std::uint64_t k) const noexcept {
    const std::uint64_t h = k * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>((h >> 12) | ((k & 1) << 63));  // the top 12 bits: two values
  }
};
}  // namespace

TEST_CASE("compact_map: churn within reserve() through overflowing groups keeps elements in place",
          "[cache][compact_map]") {
  // A hasher that says it avalanches (so the map uses its bits as they are)
  // but sends every key to one of two home groups: groups overflow, and
  // erasing from them is what makes a table with overflow bits plan an
  // early cleanup. Within the size reserve() asked for, no insert may move
  // the other elements (the documented rule: only an insert that grows,
  // reserve and rehash invalidate).
  ec::compact_map<std::uint64_t, std::uint64_t, two_homes> m;
  m.reserve(512);
  const auto cap = m.capacity();
  std::vector<const std::uint64_t*> where;
  for (std::uint64_t i = 0; i < 100; ++i) where.push_back(&m.emplace(i, i).first->second);
  std::mt19937_64 rng(12);
  std::vector<std::uint64_t> live;
  for (int round = 0; round < 20000; ++round) {
    if (live.size() < 300 && (live.empty() || rng() % 2 == 0)) {
      const std::uint64_t k = (rng() | 1u) << 20;
      if (m.emplace(k, k).second) live.push_back(k);
    } else {
      const std::size_t at = static_cast<std::size_t>(rng() % live.size());
      REQUIRE(m.erase(live[at]) == 1);
      live[at] = live.back();
      live.pop_back();
    }
    if (m.capacity() != cap) break;  // grew: invalidation allowed (and reported below)
    if (round % 100 == 0) {
      INFO("round " << round);
      for (std::uint64_t i = 0; i < 100; ++i) REQUIRE(&m.find(i)->second == where[i]);
    }
  }
  CHECK(m.capacity() == cap);  // 400 elements at most, 512 reserved
  for (std::uint64_t i = 0; i < 100; ++i) CHECK(m.at(i) == i);
}

TEST_CASE("compact_map: arguments that refer into the map itself", "[cache][compact_map]") {
  // As with std::unordered_map, an argument may be a reference to an
  // element: the insert must read it before the table grows, or build the
  // new element first (ASan reports a read of the freed storage otherwise).
  // (`m[new_key] = m.at(0)` is not such a case: since C++17 the right side
  // is evaluated first, and the insert then invalidates that reference.)
  const auto make = [](std::uint64_t size) {
    ec::compact_map<std::uint64_t, std::string> m;
    for (std::uint64_t i = 0; i < size; ++i) m.emplace(i, long_key(i));
    return m;
  };
  for (std::uint64_t size = 1; size <= 200; ++size) {
    INFO("size " << size);
    const std::string first = long_key(0);
    auto a = make(size);
    a.try_emplace(size + 100, a.at(0));
    CHECK(a.at(size + 100) == first);
    auto b = make(size);
    b.emplace(size + 100, b.at(0));
    CHECK(b.at(size + 100) == first);
    auto c = make(size);
    c.insert_or_assign(size + 100, c.at(0));
    CHECK(c.at(size + 100) == first);
    auto e = make(size);
    e.insert(std::pair<const std::uint64_t, const std::string&>(size + 100, e.at(0)));
    CHECK(e.at(size + 100) == first);
  }
  // A key that lives in the map (as a mapped value) passed by reference
  // (from 3 elements: keys 0, 1 and 2 are read).
  for (std::uint64_t size = 3; size <= 200; ++size) {
    INFO("size " << size);
    ec::compact_map<std::uint64_t, std::uint64_t> m;
    for (std::uint64_t i = 0; i < size; ++i) m.emplace(i, i + 1000);
    const std::uint64_t& key = m.at(0);  // 1000: absent as a key
    m[key] = 7;
    REQUIRE(m.at(1000) == 7);
    const std::uint64_t& key2 = m.at(1);  // 1001
    m.try_emplace(key2, std::uint64_t{8});
    REQUIRE(m.at(1001) == 8);
    const std::uint64_t& key3 = m.at(2 % m.size());
    m.insert_or_assign(key3, std::uint64_t{9});
    REQUIRE(m.at(1000 + 2 % size) == 9);
  }
  // Inserting the map's own range: every key is present, nothing changes.
  u64_map m{{1, 1}, {2, 2}, {3, 3}};
  m.insert(m.begin(), m.end());
  CHECK(m.size() == 3);
}

TEST_CASE("compact_map: iterators of a map", "[cache][compact_map]") {
  u64_map m{{1, 1}, {2, 2}, {3, 3}};
  u64_map::iterator it = m.begin();
  u64_map::const_iterator cit = it;
  CHECK(cit == it);
  CHECK(it == cit);
  auto old = it++;
  CHECK(old != it);
  CHECK(std::distance(m.begin(), m.end()) == 3);
  CHECK(std::distance(m.cbegin(), m.cend()) == 3);
  const u64_map& c = m;
  CHECK(c.begin() == m.cbegin());
  std::uint64_t sum = 0;
  for (auto& [k, v] : m) {
    v *= 10;
    sum += k;
  }
  CHECK(sum == 6);
  CHECK(m.at(3) == 30);
  CHECK(u64_map::iterator{} == u64_map::iterator{});
  // std algorithms
  CHECK(std::count_if(m.begin(), m.end(), [](const auto& kv) { return kv.second > 15; }) == 2);
}

// ---------------------------------------------------------------------------
// Allocators
// ---------------------------------------------------------------------------
TEST_CASE("compact_map: a counting allocator sees every byte given back", "[cache][compact_map][alloc]") {
  et::allocation_control ctl;
  using alloc = et::failing_allocator<std::pair<const std::uint64_t, std::string>>;
  using map =
      ec::compact_map<std::uint64_t, std::string, std::hash<std::uint64_t>, std::equal_to<std::uint64_t>, alloc>;
  {
    map m{alloc(ctl)};
    CHECK(ctl.allocations() == 0);  // an empty map allocates nothing
    CHECK(m.allocated_bytes() == 0);
    for (std::uint64_t i = 0; i < 2000; ++i) m.emplace(i, long_key(i));
    CHECK(ctl.allocations() > 0);
    CHECK(ctl.live() == 1);  // one block: groups and slots
    CHECK(ctl.live_bytes() == m.allocated_bytes());
    CHECK(m.allocated_bytes() >= m.capacity() * sizeof(map::value_type));
    CHECK(m.get_allocator() == alloc(ctl));
    map copy = m;
    CHECK(copy.get_allocator() == alloc(ctl));
    map moved = std::move(copy);
    for (std::uint64_t i = 0; i < 1000; ++i) m.erase(i);
    m.rehash(0);
    m.clear();
    m.rehash(0);
    CHECK(m.allocated_bytes() == 0);
  }
  CHECK(ctl.live() == 0);
  CHECK(ctl.live_bytes() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("compact_map: propagating allocators follow the map", "[cache][compact_map][alloc]") {
  et::allocation_control c1;
  et::allocation_control c2;
  using alloc = et::failing_allocator<std::pair<const std::uint64_t, std::uint64_t>>;
  using map =
      ec::compact_map<std::uint64_t, std::uint64_t, std::hash<std::uint64_t>, std::equal_to<std::uint64_t>, alloc>;
  {
    map a(alloc{c1});
    map b(alloc{c2});
    for (std::uint64_t i = 0; i < 100; ++i) a.emplace(i, i);
    for (std::uint64_t i = 0; i < 50; ++i) b.emplace(i + 1000, i);
    const auto a_snap = snapshot(a);
    const auto b_snap = snapshot(b);
    b = a;  // propagate_on_container_copy_assignment
    CHECK(b.get_allocator() == alloc{c1});
    CHECK(same_as_model(b, a_snap));
    map d(alloc{c2});
    d.emplace(1, 1);
    d = std::move(b);  // propagate_on_container_move_assignment: takes the memory
    CHECK(d.get_allocator() == alloc{c1});
    CHECK(same_as_model(d, a_snap));
    map e(alloc{c2});
    e.emplace(5, 5);
    swap(a, e);  // propagate_on_container_swap
    CHECK(a.get_allocator() == alloc{c2});
    CHECK(e.get_allocator() == alloc{c1});
    CHECK(same_as_model(e, a_snap));
    static_cast<void>(b_snap);
  }
  CHECK(c1.live() == 0);
  CHECK(c2.live() == 0);
  CHECK(c1.errors() + c2.errors() == 0);
}

TEST_CASE("compact_map: non-propagating allocators stay with the map", "[cache][compact_map][alloc]") {
  std::int64_t live = 0;
  using alloc = sticky_allocator<std::pair<const std::uint64_t, std::string>>;
  using map =
      ec::compact_map<std::uint64_t, std::string, std::hash<std::uint64_t>, std::equal_to<std::uint64_t>, alloc>;
  {
    map a(alloc{1, &live});
    map b(alloc{2, &live});
    for (std::uint64_t i = 0; i < 300; ++i) a.emplace(i, long_key(i));
    b.emplace(7, "seven");
    const auto a_snap = snapshot(a);
    b = a;
    CHECK(b.get_allocator().id == 2);
    CHECK(same_as_model(b, a_snap));
    map c(alloc{3, &live});
    c = std::move(b);  // unequal, not propagated: element-wise move
    CHECK(c.get_allocator().id == 3);
    CHECK(same_as_model(c, a_snap));
    map d(std::move(c));  // move construction takes the allocator
    CHECK(d.get_allocator().id == 3);
    CHECK(same_as_model(d, a_snap));
    map e(a, alloc{4, &live});  // allocator-extended copy
    CHECK(e.get_allocator().id == 4);
    CHECK(same_as_model(e, a_snap));
    map f(std::move(e), alloc{5, &live});  // allocator-extended move, unequal
    CHECK(f.get_allocator().id == 5);
    CHECK(same_as_model(f, a_snap));
    map g(alloc{5, &live});
    g.emplace(1, "x");
    swap(f, g);  // equal allocators: fine without propagation
    CHECK(same_as_model(g, a_snap));
  }
  CHECK(live == 0);
}

TEST_CASE("compact_map: std::pmr with an arena and a monotonic buffer", "[cache][compact_map][alloc]") {
  electron::arena::arena ar;
  electron::arena::arena_resource res(ar);
  ec::pmr::compact_map<std::uint64_t, std::uint64_t> m(&res);
  CHECK(m.get_allocator().resource() == &res);
  std::unordered_map<std::uint64_t, std::uint64_t> want;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    m.emplace(i * 3, i);
    want.emplace(i * 3, i);
  }
  for (std::uint64_t i = 0; i < 20000; i += 2) {
    m.erase(i * 3);
    want.erase(i * 3);
  }
  CHECK(same_as_model(m, want));
  // A copy keeps its own default resource (pmr does not propagate on copy
  // construction: select_on_container_copy_construction gives the default).
  ec::pmr::compact_map<std::uint64_t, std::uint64_t> copy(m);
  CHECK(copy == m);
  ec::pmr::compact_map<std::uint64_t, std::uint64_t> moved(std::move(m));
  CHECK(moved.get_allocator().resource() == &res);
  CHECK(same_as_model(moved, want));

  // Assignment between pmr maps: the allocator never propagates; equal
  // resources take the storage, unequal ones copy or move element-wise.
  std::pmr::unsynchronized_pool_resource pool;
  for (std::pmr::memory_resource* other :
       {static_cast<std::pmr::memory_resource*>(&res), static_cast<std::pmr::memory_resource*>(&pool)}) {
    ec::pmr::compact_map<std::uint64_t, std::uint64_t> x(other);
    x.emplace(1, 1);
    x = moved;
    CHECK(x.get_allocator().resource() == other);
    CHECK(same_as_model(x, want));
    ec::pmr::compact_map<std::uint64_t, std::uint64_t> y(other);
    y.emplace(2, 2);
    y = std::move(x);
    CHECK(y.get_allocator().resource() == other);
    CHECK(same_as_model(y, want));
    ec::pmr::compact_map<std::uint64_t, std::uint64_t> z(other);
    z.swap(y);  // equal resources
    CHECK(same_as_model(z, want));
    CHECK(y.empty());
    ec::pmr::compact_set<std::uint64_t> s1(other);
    ec::pmr::compact_set<std::uint64_t> s2(&res);
    for (std::uint64_t i = 0; i < 100; ++i) s2.insert(i);
    s1 = s2;
    CHECK(s1.size() == 100);
    s1 = std::move(s2);
    CHECK(s1.size() == 100);
    CHECK(s1.get_allocator().resource() == other);
  }

  // No allocation on the heap when a buffer serves everything.
  alignas(64) static std::byte buffer[1 << 20];
  std::pmr::monotonic_buffer_resource mono(buffer, sizeof buffer, std::pmr::null_memory_resource());
  CHECK(et::check_no_alloc([&] {
    ec::pmr::compact_map<std::uint64_t, std::uint64_t> pm(&mono);
    for (std::uint64_t i = 0; i < 1000; ++i) pm.emplace(i, i);
    et::do_not_optimize(pm.size());
  }));

  // A resource that runs dry: bad_alloc, the map unchanged.
  alignas(64) std::byte small[512];
  std::pmr::monotonic_buffer_resource tiny(small, sizeof small, std::pmr::null_memory_resource());
  ec::pmr::compact_map<std::uint64_t, std::uint64_t> t(&tiny);
  std::size_t inserted = 0;
  try {
    for (std::uint64_t i = 0; i < 10000; ++i) {
      t.emplace(i, i);
      ++inserted;
    }
    FAIL("a 512-byte buffer held 10000 elements");
  } catch (const std::bad_alloc&) {
  }
  CHECK(t.size() == inserted);
  for (std::uint64_t i = 0; i < inserted; ++i) REQUIRE(t.at(i) == i);
}

// ---------------------------------------------------------------------------
// Exception safety
// ---------------------------------------------------------------------------
namespace {

/// For each starting size 0..max_size (so that growth points are crossed),
/// inserts one new key with the n-th copy or move failing for every n; the
/// map must equal its snapshot after each failure and hold the element
/// after the success; lifetimes balance.
template <bool NoexceptMove, class Insert>
void throwing_value_at_every_n(Insert insert, std::uint64_t max_size) {
  using value = tracked_throwing<NoexceptMove>;
  CHECK(et::check_lifetimes([&] {
    for (std::uint64_t size = 0; size <= max_size; ++size) {
      ec::compact_map<std::uint64_t, value> m;
      for (std::uint64_t i = 0; i < size; ++i) m.emplace(i, static_cast<int>(i));
      std::unordered_map<std::uint64_t, int> before;
      for (const auto& kv : m) before.emplace(kv.first, kv.second.v.value());
      const value fresh(-1);
      for (std::int64_t n = 1;; ++n) {
        INFO("size " << size << " failing copy/move " << n);
        et::throwing_value_fail_nth(n);
        bool threw = false;
        try {
          insert(m, size + 1000, fresh);
        } catch (const et::planned_failure&) {
          threw = true;
        }
        et::throwing_value_disarm();
        if (!threw) break;
        REQUIRE(m.size() == before.size());
        for (const auto& kv : m) REQUIRE(before.at(kv.first) == kv.second.v.value());
        for (const auto& kv : before) REQUIRE(m.at(kv.first).v.value() == kv.second);
        REQUIRE(!m.contains(size + 1000));
        REQUIRE(n < 10000);
      }
      REQUIRE(m.size() == size + 1);
      REQUIRE(m.at(size + 1000).v.value() == -1);
    }
  }));
}

}  // namespace

TEMPLATE_TEST_CASE("compact_map: strong guarantee with a throwing value", "[cache][compact_map][exceptions]",
                   std::true_type, std::false_type) {
  constexpr bool nm = TestType::value;
  using value = tracked_throwing<nm>;
  using map = ec::compact_map<std::uint64_t, value>;
  SECTION("insert(const value_type&)") {
    throwing_value_at_every_n<nm>(
        [](map& m, std::uint64_t k, const value& v) { m.insert(typename map::value_type(k, v)); }, 40);
  }
  SECTION("emplace") {
    throwing_value_at_every_n<nm>([](map& m, std::uint64_t k, const value& v) { m.emplace(k, v); }, 40);
  }
  SECTION("try_emplace") {
    throwing_value_at_every_n<nm>([](map& m, std::uint64_t k, const value& v) { m.try_emplace(k, v); }, 40);
  }
  SECTION("operator[] then assignment is not one operation; insert_or_assign is") {
    throwing_value_at_every_n<nm>([](map& m, std::uint64_t k, const value& v) { m.insert_or_assign(k, v); }, 40);
  }
}

TEST_CASE("compact_map: strong guarantee when the allocator fails at every point", "[cache][compact_map][exceptions]") {
  et::allocation_control ctl;
  using alloc = et::failing_allocator<std::pair<const std::uint64_t, std::string>>;
  using map =
      ec::compact_map<std::uint64_t, std::string, std::hash<std::uint64_t>, std::equal_to<std::uint64_t>, alloc>;
  for (std::uint64_t size = 0; size <= 80; ++size) {
    INFO("size " << size);
    map m{alloc(ctl)};
    for (std::uint64_t i = 0; i < size; ++i) m.emplace(i, long_key(i));
    const auto before = snapshot(m);
    CHECK(et::check_allocation_failures(
        ctl, [&] { m.emplace(size + 1000, long_key(size)); },
        [&] { return same_as_model(m, before) && !m.contains(size + 1000); }));
    CHECK(m.size() == size + 1);
    // reserve and rehash fail cleanly too (the map keeps its elements).
    const auto now = snapshot(m);
    CHECK(et::check_allocation_failures(
        ctl, [&] { m.reserve(m.capacity() * 2 + 1); }, [&] { return same_as_model(m, now); }));
    CHECK(et::check_allocation_failures(
        ctl, [&] { m.rehash(0); }, [&] { return same_as_model(m, now); }));
    // A copy that fails leaves nothing behind.
    const auto live = ctl.live();
    CHECK(et::check_allocation_failures(
        ctl, [&] { map copy(m); }, [&] { return ctl.live() == live && same_as_model(m, now); }));
  }
  CHECK(ctl.live() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("compact_map: fail_nth_allocation at every point of a single insert", "[cache][compact_map][exceptions]") {
  if (!et::allocation_failures_supported()) {
    SUCCEED("operator new is the sanitizer's: failing_allocator covers this build");
    return;
  }
  for (std::uint64_t size = 0; size <= 40; ++size) {
    INFO("size " << size);
    CHECK(et::check_leaks([&] {
      ec::compact_map<std::string, std::string> m;
      for (std::uint64_t i = 0; i < size; ++i) m.emplace(long_key(i), long_key(i + 1));
      const auto before = snapshot(m);
      const std::string key = long_key(size + 1000);
      const std::string value = long_key(size);
      for (int n = 1;; ++n) {
        bool threw = false;
        {
          et::fail_nth_allocation fail(n);
          try {
            m.emplace(key, value);  // allocates the key, the value, maybe the table
          } catch (const std::bad_alloc&) {
            threw = true;
          }
        }
        if (!threw) break;
        REQUIRE(same_as_model(m, before));
        REQUIRE(n < 100);
      }
      REQUIRE(m.size() == size + 1);
    }));
  }
}

TEST_CASE("compact_map: a hasher that throws leaves a valid map and leaks nothing",
          "[cache][compact_map][exceptions]") {
  using value = et::lifetime_tracked;
  CHECK(et::check_lifetimes([] {
    for (std::uint64_t size = 0; size <= 40; ++size) {
      ec::compact_map<std::uint64_t, value, throwing_hash> m;
      for (std::uint64_t i = 0; i < size; ++i) m.emplace(i, static_cast<int>(i));
      for (std::int64_t n = 1;; ++n) {
        INFO("size " << size << " failing hash " << n);
        throwing_hash::countdown = n;
        bool threw = false;
        try {
          m.emplace(size + 1000, -1);
        } catch (const std::runtime_error&) {
          threw = true;
        }
        throwing_hash::countdown = 0;
        // Basic guarantee: consistent size, every element findable, only the
        // old elements and the new one.
        std::size_t visited = 0;
        for (const auto& kv : m) {
          ++visited;
          REQUIRE(m.find(kv.first) != m.end());
          REQUIRE(((kv.first < size && kv.second.value() == static_cast<int>(kv.first)) ||
                   (kv.first == size + 1000 && kv.second.value() == -1)));
        }
        REQUIRE(visited == m.size());
        if (!threw) break;
        REQUIRE(n < 10000);
      }
      // Only the basic guarantee: a hash that throws while the table grows
      // may cost elements (the documented price), never consistency.
      CHECK(m.contains(size + 1000));
      CHECK(m.size() <= size + 1);
    }
  }));
  // find, erase and count propagate the exception and change nothing.
  ec::compact_map<std::uint64_t, int, throwing_hash> m{{1, 1}, {2, 2}};
  throwing_hash::countdown = 1;
  CHECK_THROWS_AS(m.find(1), std::runtime_error);
  throwing_hash::countdown = 1;
  CHECK_THROWS_AS(m.erase(1), std::runtime_error);
  throwing_hash::countdown = 0;
  CHECK(m.size() == 2);
  CHECK(m.at(1) == 1);
}

TEST_CASE("compact_map: sizes no table can hold are refused", "[cache][compact_map][exceptions]") {
  u64_map m{{1, 1}, {2, 2}};
  const auto before = snapshot(m);
  const auto cap = m.capacity();
  CHECK(m.max_size() < std::numeric_limits<std::size_t>::max());
  for (const std::size_t n : et::huge_sizes(64)) {
    INFO("n " << n);
    bool refused = false;
    try {
      m.reserve(n);
    } catch (const std::length_error&) {
      refused = true;
    } catch (const std::bad_alloc&) {
      refused = true;
    }
    CHECK(refused);
    CHECK(same_as_model(m, before));
    CHECK(m.capacity() == cap);
    refused = false;
    try {
      m.rehash(n);
    } catch (const std::length_error&) {
      refused = true;
    } catch (const std::bad_alloc&) {
      refused = true;
    }
    CHECK(refused);
    CHECK(same_as_model(m, before));
  }
  CHECK_THROWS_AS(m.reserve(m.max_size() + 1), std::length_error);
  CHECK(same_as_model(m, before));
  CHECK_THROWS_AS(u64_map(std::numeric_limits<std::size_t>::max()), std::length_error);
}

// ---------------------------------------------------------------------------
// seeded_hash
// ---------------------------------------------------------------------------
TEST_CASE("seeded_hash: the seed changes the hash; a map with it works", "[cache][seeded_hash]") {
  const ec::seeded_hash<std::uint64_t> a(1);
  const ec::seeded_hash<std::uint64_t> b(2);
  const ec::seeded_hash<std::uint64_t> a2(1);
  int differ = 0;
  for (std::uint64_t k = 0; k < 1000; ++k) {
    differ += a(k) != b(k) ? 1 : 0;
    REQUIRE(a(k) == a2(k));  // deterministic for one seed
  }
  CHECK(differ >= 990);
  const ec::seeded_hash<std::string> sa(1);
  const ec::seeded_hash<std::string> sb(2);
  CHECK(sa(std::string("hello")) != sb(std::string("hello")));
  CHECK(sa(std::string("hello")) == sa(std::string("hello")));
  // Default construction: some seed; two defaults in one process agree.
  const ec::seeded_hash<std::uint64_t> d1;
  const ec::seeded_hash<std::uint64_t> d2;
  CHECK(d1(std::uint64_t{42}) == d2(std::uint64_t{42}));
  // Sequential keys spread over the low bits (the table's position).
  std::unordered_set<std::uint64_t> low;
  for (std::uint64_t k = 0; k < 256; ++k) low.insert(a(k) & 0xff);
  CHECK(low.size() > 128);

  ec::compact_map<std::string, int, ec::seeded_hash<std::string>> m(0, ec::seeded_hash<std::string>(99));
  for (int i = 0; i < 1000; ++i) m.emplace(long_key(static_cast<std::uint64_t>(i)), i);
  for (int i = 0; i < 1000; ++i) REQUIRE(m.at(long_key(static_cast<std::uint64_t>(i))) == i);
  const auto copy = m;  // the copy keeps the seed
  CHECK(copy == m);
  CHECK(copy.hash_function()(std::string("x")) == m.hash_function()(std::string("x")));
}

TEST_CASE("seeded_hash: maps with different seeds copy, move, swap and compare", "[cache][seeded_hash]") {
  using hash = ec::seeded_hash<std::uint64_t>;
  using map = ec::compact_map<std::uint64_t, std::uint64_t, hash>;
  const auto fill = [](map& m, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) m.emplace(i * 3, i);
  };
  const auto all_found = [](const map& m, std::uint64_t n) {
    if (m.size() != n) return false;
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto it = m.find(i * 3);
      if (it == m.end() || it->second != i) return false;
    }
    return true;
  };
  map a(0, hash(1));
  map b(0, hash(2));
  fill(a, 500);
  fill(b, 500);
  CHECK(a == b);  // equal contents, different seeds
  CHECK(b == a);
  map c(0, hash(3));
  c.emplace(1, 1);
  c = a;  // the copy takes a's hasher with the elements
  CHECK(all_found(c, 500));
  CHECK(c.hash_function().seed() == 1);
  map d(0, hash(4));
  fill(d, 10);
  d = std::move(b);
  CHECK(all_found(d, 500));
  map e(0, hash(5));
  fill(e, 20);
  swap(a, e);
  CHECK(all_found(a, 20));
  CHECK(all_found(e, 500));
  a.emplace(999, 999);  // inserts after the swap use the swapped hasher
  CHECK(a.contains(999));
  // A non-propagating allocator: the move is element-wise, the hasher still moves.
  std::int64_t live = 0;
  using alloc = sticky_allocator<std::pair<const std::uint64_t, std::uint64_t>>;
  using smap = ec::compact_map<std::uint64_t, std::uint64_t, hash, std::equal_to<std::uint64_t>, alloc>;
  {
    smap f(0, hash(6), {}, alloc{1, &live});
    smap g(0, hash(7), {}, alloc{2, &live});
    for (std::uint64_t i = 0; i < 300; ++i) f.emplace(i, i);
    g.emplace(5, 5);
    g = std::move(f);
    CHECK(g.size() == 300);
    for (std::uint64_t i = 0; i < 300; ++i) REQUIRE(g.at(i) == i);
    smap h(0, hash(8), {}, alloc{3, &live});
    h = g;
    for (std::uint64_t i = 0; i < 300; ++i) REQUIRE(h.at(i) == i);
  }
  CHECK(live == 0);
}

TEST_CASE("compact_map: storage freed by rehash(0) and reused", "[cache][compact_map]") {
  u64_map m;
  for (std::uint64_t i = 0; i < 100; ++i) m.emplace(i, i);
  m.clear();
  m.rehash(0);
  CHECK(m.begin() == m.end());
  CHECK(m.find(3) == m.end());
  CHECK(m.erase(3) == 0);
  CHECK(m.load_factor() == 0.0f);
  u64_map copy = m;
  CHECK(copy.empty());
  m.emplace(3, 4);
  CHECK(m.at(3) == 4);
  CHECK(std::distance(m.begin(), m.end()) == 1);
  // erase(begin, end) over everything.
  for (std::uint64_t i = 0; i < 100; ++i) m.emplace(i, i);
  CHECK(m.erase(m.cbegin(), m.cend()) == m.end());
  CHECK(m.empty());
}

// ---------------------------------------------------------------------------
// The fuzz target's property
// ---------------------------------------------------------------------------
TEST_CASE("compact_map: operation sequences against the model (fuzz property)", "[cache][compact_map][fuzz]") {
  et::fuzz_options o;
  o.runs = long_runs() ? 200000 : 3000;
  o.max_size = 1024;
  CHECK(et::fuzz_bytes(electron_fuzz::compact_map_property, o));
  // Regressions and hand-written sequences.
  const auto run = [](std::initializer_list<unsigned> bytes) {
    std::vector<std::byte> in;
    for (const unsigned b : bytes) in.push_back(static_cast<std::byte>(b));
    return electron_fuzz::compact_map_property(in);
  };
  CHECK(run({}));
  CHECK(run({0x01, 0, 1, 0, 5, 0, 2, 0, 6, 8, 1, 0, 0, 6, 2, 0, 0}));     // collide, insert, erase
  CHECK(run({0x03, 0, 1, 0, 1, 0, 2, 0, 2, 12, 0, 0, 0, 6, 1, 0, 0}));    // top bits, erase in loop
  CHECK(run({0x21, 0, 1, 0, 1, 16, 0, 0, 0, 15, 0, 0, 0, 10, 1, 0, 0}));  // reserve, copy, rehash, erase(it)
}
