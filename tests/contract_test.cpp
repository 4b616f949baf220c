// SPDX-License-Identifier: MIT
// The contract test: every container-like type of Electron, tried the way an
// unusual but legal program uses it, with the kit of electron/test.hpp
// (docs/contracts.md lists what each type promises and which case checks it).
//
// A new type joins by getting a subject below (how to make one, what it
// holds, how to grow it) and by being added to the lists of the cases that
// apply to it.
#include "electron/arena.hpp"
#include "electron/bits.hpp"
#include "electron/cache.hpp"
#include "electron/dense.hpp"
#include "electron/encoding.hpp"
#include "electron/hash.hpp"
#include "electron/io.hpp"
#include "electron/lockfree.hpp"
#include "electron/parse.hpp"
#include "electron/pool.hpp"
#include "electron/sched.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"

#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace et = electron::test;
namespace ea = electron::arena;
namespace eb = electron::bits;
namespace ec = electron::cache;
namespace eh = electron::hash;
namespace el = electron::lockfree;
namespace ep = electron::pool;
namespace es = electron::strings;
namespace esc = electron::sched;
namespace eio = electron::io;
namespace enc = electron::encoding;
namespace ed = electron::dense;

namespace {

// object_pool's reset function for value types without a reset() member.
struct no_reset {
  template <class T>
  void operator()(T&) const noexcept {}
};

// ===========================================================================
// Subjects: the movable containers
// ===========================================================================
//
// A subject says how to make a populated instance whose memory comes from
// (and is counted by) a failing_resource's control, given to its context;
// what it holds (fingerprint: equal fingerprints, equal contents); whether
// it is valid (its invariants); and one growing operation with the strong
// guarantee. The context dies before the counters are read.

struct bitset_subject {
  using type = eb::basic_bitset<et::failing_allocator<std::uint64_t>>;
  static constexpr bool copyable = true;
  struct context {
    et::failing_resource& memory;
  };
  static et::failing_allocator<std::uint64_t> allocator(context& cx) {
    return et::failing_allocator<std::uint64_t>(cx.memory.control());
  }
  static type make(context& cx) {
    type b(100, false, allocator(cx));
    for (std::size_t i = 0; i < 100; i += 7) b.set(i);
    return b;
  }
  static type make_empty(context& cx) { return type(allocator(cx)); }
  static std::string fingerprint(const type& b) {
    std::string s = std::to_string(b.size()) + ":";
    for (std::size_t i = 0; i < b.size(); ++i) s += b.test(i) ? '1' : '0';
    return s;
  }
  static bool valid(const type& b) {
    if (b.word_count() != (b.size() + 63) / 64) return false;
    if (b.size() == 0) return b.count() == 0;
    if (b.data() == nullptr) return false;
    const std::size_t rest = b.size() % 64;
    if (rest != 0 && (b.data()[b.word_count() - 1] >> rest) != 0) return false;  // padding is zero
    std::size_t n = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (b.test(i)) ++n;
    }
    return n == b.count();
  }
  static void grow(type& b) { b.resize(b.size() + 300, true); }
};

struct interner_subject {
  using type = eh::string_interner;
  static constexpr bool copyable = false;
  struct context {
    et::failing_resource& memory;
  };
  static type make(context& cx) {
    type t(&cx.memory);
    // 32 strings: the next new one grows the id tables and the slot table.
    for (int i = 0; i < 32; ++i) (void)t.intern("name" + std::to_string(i));
    return t;
  }
  static type make_empty(context& cx) { return type(&cx.memory); }
  static std::string fingerprint(const type& t) {
    std::string s = std::to_string(t.size()) + ":";
    for (std::uint32_t id = 0; id < t.size(); ++id) s += std::string(t.at(id)) + ",";
    return s;
  }
  static bool valid(const type& t) {
    for (std::uint32_t id = 0; id < t.size(); ++id) {
      const auto found = t.find(t.at(id));
      if (!found || *found != id) return false;
    }
    return !t.find("never interned").has_value();
  }
  // One intern() that grows the id tables, the slot table and, being longer
  // than an arena block, the arena.
  static void grow(type& t) { (void)t.intern(std::string(type::default_arena_block + 100, 'z')); }
};

struct builder_subject {
  using type = es::builder;
  static constexpr bool copyable = false;
  struct context {
    explicit context(et::failing_resource& m) : memory(m), pool({}, &m) {}
    et::failing_resource& memory;
    ep::buffer_pool pool;
  };
  static type make(context& cx) {
    type b(cx.pool, 16);
    b.append("hello, ").append("world");
    return b;
  }
  static type make_empty(context& cx) { return type(cx.pool, 0); }
  static std::string fingerprint(const type& b) { return b.str(); }
  static bool valid(const type& b) { return b.size() <= b.capacity() && (b.size() == 0 || b.view().data() != nullptr); }
  // One append past the capacity.
  static void grow(type& b) { b.append(std::string(b.capacity() * 2 + 100, 'y')); }
};

// A soa of a string and an integer column, filled until the next push_back
// reallocates (the growth sequence is deterministic, so a probe finds where).
struct soa_subject {
  using allocator_type = et::failing_allocator<std::byte>;
  using type = ed::basic_soa<allocator_type, std::string, std::uint64_t>;
  static constexpr bool copyable = true;
  struct context {
    et::failing_resource& memory;
  };
  static allocator_type allocator(context& cx) { return allocator_type(cx.memory.control()); }
  static void push(type& s, std::uint64_t i) {
    s.emplace_back("row " + std::to_string(i) + " of a soa, longer than a short string", i * 3);
  }
  static type make(context& cx) {
    type probe(allocator(cx));
    std::uint64_t rows = 0;
    for (;; ++rows) {
      const std::size_t cap = probe.capacity();
      push(probe, rows);
      if (rows >= 20 && probe.capacity() != cap) break;
    }
    type s(allocator(cx));
    for (std::uint64_t i = 0; i < rows; ++i) push(s, i);
    return s;  // the next push_back grows
  }
  static type make_empty(context& cx) { return type(allocator(cx)); }
  static std::string fingerprint(const type& s) {
    std::string f = std::to_string(s.size()) + ":";
    for (std::size_t i = 0; i < s.size(); ++i) f += get<0>(s[i]) + "=" + std::to_string(get<1>(s[i])) + ",";
    return f;
  }
  static bool valid(const type& s) {
    if (s.size() > s.capacity()) return false;
    const auto names = s.column<0>();
    const auto values = s.column<1>();
    if (names.size() != s.size() || values.size() != s.size()) return false;
    if (s.capacity() != 0 && (reinterpret_cast<std::uintptr_t>(values.data()) % 64 != 0 ||
                              reinterpret_cast<std::uintptr_t>(names.data()) % 64 != 0)) {
      return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (get<1>(s[i]) != values[i] || &get<0>(s[i]) != &names[i]) return false;
    }
    return true;
  }
  static void grow(type& s) { push(s, s.size()); }
};

// A compact_map filled until the next new key grows the table (the growth
// sequence is deterministic, so a probe finds where).
struct map_subject {
  using value_type = std::pair<const std::string, std::uint64_t>;
  using allocator_type = et::failing_allocator<value_type>;
  using type = ec::compact_map<std::string, std::uint64_t, std::hash<std::string>, std::equal_to<>, allocator_type>;
  static constexpr bool copyable = true;
  struct context {
    et::failing_resource& memory;
  };
  static allocator_type allocator(context& cx) { return allocator_type(cx.memory.control()); }
  static std::string key(std::uint64_t i) {
    return "key " + std::to_string(i) + " of a map, longer than a short string";
  }
  static type make(context& cx) {
    type probe(allocator(cx));
    std::uint64_t n = 0;
    for (;; ++n) {
      const std::size_t cap = probe.capacity();
      probe.try_emplace(key(n), n);
      if (n >= 20 && probe.capacity() != cap) break;
    }
    type m(allocator(cx));
    for (std::uint64_t i = 0; i < n; ++i) m.try_emplace(key(i), i);
    return m;  // the next new key grows the table
  }
  static type make_empty(context& cx) { return type(allocator(cx)); }
  static std::string fingerprint(const type& m) {
    std::vector<std::pair<std::string, std::uint64_t>> items(m.begin(), m.end());
    std::sort(items.begin(), items.end());
    std::string f = std::to_string(m.size()) + ":";
    for (const auto& [k, v] : items) f += k + "=" + std::to_string(v) + ",";
    return f;
  }
  static bool valid(const type& m) {
    std::size_t n = 0;
    for (const auto& [k, v] : m) {
      const auto it = m.find(k);
      if (it == m.end() || it->second != v) return false;
      ++n;
    }
    return n == m.size() && m.size() <= m.capacity() && !m.contains(std::string("never inserted"));
  }
  static void grow(type& m) { m.try_emplace(key(m.size()), m.size()); }
};

// Checks copy (when copyable), move and self-assignment of a subject.
template <class S>
void check_copy_and_move() {
  using T = typename S::type;
  et::failing_resource memory;
  {
    typename S::context cx{memory};
    T a = S::make(cx);
    const std::string fa = S::fingerprint(a);
    REQUIRE(S::valid(a));

    // Move construction takes everything; the source stays valid.
    T b(std::move(a));
    CHECK(S::fingerprint(b) == fa);
    CHECK(S::valid(b));
    CHECK(S::valid(a));  // NOLINT(bugprone-use-after-move): valid but unspecified

    // Move assignment onto a populated object.
    T c = S::make(cx);
    S::grow(c);
    c = std::move(b);
    CHECK(S::fingerprint(c) == fa);
    CHECK(S::valid(c));
    CHECK(S::valid(b));  // NOLINT(bugprone-use-after-move)

    // Self-move: valid (checked first: reading a broken object may crash),
    // unchanged or empty, and usable afterwards.
    et::self_move_assign(c);
    const bool valid_after_self_move = S::valid(c);
    CHECK(valid_after_self_move);
    if (valid_after_self_move) {
      const std::string after = S::fingerprint(c);
      const std::string fe = S::fingerprint(S::make_empty(cx));
      CHECK((after == fa || after == fe));
      S::grow(c);
      CHECK(S::valid(c));
    }

    if constexpr (S::copyable) {
      T d = S::make(cx);
      const std::string fd = S::fingerprint(d);
      T e(d);
      CHECK(S::fingerprint(e) == fd);
      CHECK(S::fingerprint(d) == fd);
      S::grow(e);
      e = d;
      CHECK(S::fingerprint(e) == fd);
      et::self_copy_assign(e);
      CHECK(S::fingerprint(e) == fd);
      CHECK(S::valid(e));
    }
  }
  CHECK(memory.control().live() == 0);  // everything given back
  CHECK(memory.control().errors() == 0);
}

// Fails the n-th allocation of S::grow for every n until it succeeds; after
// each failure the object must be exactly what it was (strong guarantee).
template <class S>
void check_strong_growth() {
  using T = typename S::type;
  et::failing_resource memory;
  {
    typename S::context cx{memory};
    T a = S::make(cx);
    const std::string before = S::fingerprint(a);
    std::size_t failures = 0;
    CHECK(et::check_allocation_failures(
        memory.control(), [&] { S::grow(a); },
        [&] {
          ++failures;
          return S::valid(a) && S::fingerprint(a) == before;
        }));
    CHECK(failures >= 1);  // the operation allocates, so some allocation failed
    CHECK(S::valid(a));
    CHECK(S::fingerprint(a) != before);  // and in the end it grew
  }
  CHECK(memory.control().live() == 0);
  CHECK(memory.control().errors() == 0);
}

}  // namespace

// ===========================================================================
// Copy, move, self-copy, self-move
// ===========================================================================

TEMPLATE_TEST_CASE("contract: copy, move, self-copy and self-move", "[contract][move]", interner_subject,
                   builder_subject, soa_subject, map_subject) {
  check_copy_and_move<TestType>();
}

TEST_CASE("contract: bits::bitset copy, move, self-copy and self-move", "[contract][move][bitset]") {
  check_copy_and_move<bitset_subject>();
}

TEST_CASE("contract: pools, queues and the stack are neither copyable nor movable", "[contract][move]") {
  STATIC_REQUIRE(!std::is_copy_constructible_v<ep::object_pool<int, no_reset>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<ep::object_pool<int, no_reset>>);
  STATIC_REQUIRE(!std::is_copy_constructible_v<ep::buffer_pool>);
  STATIC_REQUIRE(!std::is_move_constructible_v<ep::buffer_pool>);
  STATIC_REQUIRE(!std::is_move_constructible_v<el::mpmc_queue<int>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<el::spsc_queue<int>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<el::stack<int>>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<el::stack<int>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<eio::ring_buffer>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<eio::ring_buffer>);
  // Writers hold a position in their sink: neither copied nor moved. The
  // reader is a cursor: copies are independent.
  STATIC_REQUIRE(!std::is_copy_constructible_v<enc::json_writer<std::string>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<eio::writer<eio::string_output>>);
  STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<eio::reader>);
  STATIC_REQUIRE(std::is_nothrow_copy_assignable_v<eio::reader>);
  // Move-only handles: moves are noexcept.
  STATIC_REQUIRE(!std::is_copy_constructible_v<ep::buffer_pool::buffer>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<ep::buffer_pool::buffer>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<ep::buffer_pool::buffer>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<es::builder>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<bitset_subject::type>);
}

TEST_CASE("contract: a pooled buffer moves and self-moves", "[contract][move][buffer_pool]") {
  et::failing_resource r;
  {
    ep::buffer_pool pool({}, &r);
    auto a = pool.get(100);
    std::byte* data = a.data();
    auto b = std::move(a);
    CHECK(b.data() == data);
    CHECK(a.data() == nullptr);  // NOLINT(bugprone-use-after-move): documented empty
    et::self_move_assign(b);
    CHECK(b.data() == data);
    CHECK(b.size() == 100);
    b = pool.get(10);  // the old bytes go back to the pool
    CHECK(b.size() == 10);
  }
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

// ===========================================================================
// Allocation failure at every point of each growing operation
// ===========================================================================

TEMPLATE_TEST_CASE("contract: a growing operation has the strong guarantee when any allocation fails",
                   "[contract][alloc]", interner_subject, builder_subject, soa_subject, map_subject) {
  check_strong_growth<TestType>();
}

TEST_CASE("contract: bits::bitset resize, reserve and push_back have the strong guarantee",
          "[contract][alloc][bitset]") {
  check_strong_growth<bitset_subject>();
  using B = bitset_subject::type;
  et::allocation_control ctl;
  {
    B b(100, false, et::failing_allocator<std::uint64_t>(ctl));
    b.set(3);
    const std::string before = bitset_subject::fingerprint(b);
    const auto unchanged = [&] { return bitset_subject::valid(b) && bitset_subject::fingerprint(b) == before; };
    // An allocator that refuses large requests: resize(n, true) must not
    // leave ones in the padding of the last word.
    ctl.fail_above(64);
    CHECK_THROWS_AS(b.resize(1000, true), std::bad_alloc);
    ctl.disarm();
    CHECK(unchanged());
    CHECK(b.count() == 1);
    CHECK(et::check_allocation_failures(
        ctl, [&] { b.reserve(5000); }, unchanged));
    B c(64, true, et::failing_allocator<std::uint64_t>(ctl));  // one full word: push_back needs a second
    const std::string full = bitset_subject::fingerprint(c);
    CHECK(et::check_allocation_failures(
        ctl, [&] { c.push_back(true); },
        [&] { return bitset_subject::valid(c) && bitset_subject::fingerprint(c) == full; }));
    CHECK(c.size() == 65);
    CHECK(c.count() == 65);
  }
  CHECK(ctl.live() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("contract: lockfree::stack push has the strong guarantee when a node chunk cannot be allocated",
          "[contract][alloc][stack]") {
  et::failing_resource r;
  {
    el::stack<int> s(&r);
    for (int i = 0; i < 64; ++i) s.push(i);  // the first chunk, full
    const std::size_t nodes = s.node_count();
    std::size_t failures = 0;
    CHECK(et::check_allocation_failures(
        r.control(), [&] { s.push(64); },
        [&] {
          ++failures;
          return s.node_count() == nodes && !s.empty();
        }));
    CHECK(failures >= 1);
    for (int i = 64; i >= 0; --i) {
      const std::optional<int> v = s.pop();
      REQUIRE(v.has_value());
      CHECK(*v == i);
    }
    CHECK(s.empty());
  }
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

TEST_CASE("contract: object_pool and buffer_pool get() leave the pool usable when any allocation fails",
          "[contract][alloc][pool]") {
  et::failing_resource r;
  {
    ep::object_pool<et::lifetime_tracked, no_reset> pool(16, 4, {}, &r);
    CHECK(et::check_lifetimes([&] {
      CHECK(et::check_allocation_failures(
          r.control(), [&] { pool.put(pool.get()); }, [] { return true; }));
      et::lifetime_tracked* a = pool.get();
      et::lifetime_tracked* b = pool.get();
      CHECK(a != b);
      pool.put(a);
      pool.put(b);
      pool.trim();
    }));
  }
  {
    ep::buffer_pool pool({}, &r);
    CHECK(et::check_allocation_failures(
        r.control(), [&] { (void)pool.get(3000); }, [] { return true; }));
    CHECK(et::check_allocation_failures(
        r.control(), [&] { (void)pool.get(std::size_t{1} << 22); }, [] { return true; }));
    auto b = pool.get(100);
    CHECK(b.size() == 100);
  }
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

TEST_CASE("contract: a byte ring whose memory cannot be allocated throws and leaks nothing",
          "[contract][alloc][ring_buffer]") {
  et::failing_resource r;
  r.control().fail_nth(1);
  CHECK_THROWS_AS(eio::ring_buffer(4096, &r), std::bad_alloc);
  CHECK(r.control().failures() == 1);
  CHECK(r.control().live() == 0);
  r.control().disarm();
  {
    eio::ring_buffer ring(4096, &r);
    CHECK(ring.try_write(std::string_view("kept")));
    CHECK(r.control().live() == 1);
  }
  CHECK(r.control().live() == 0);
}

TEST_CASE("contract: a reader copied mid-stream is an independent cursor; a self-assigned one is unchanged",
          "[contract][move][reader]") {
  const std::string bytes = "\x01\x02\x03\x04\xac\x02tail";
  eio::reader a(bytes);
  CHECK(a.u16_le() == 0x0201);
  eio::reader b = a;
  CHECK(b.u16_le() == 0x0403);
  CHECK(a.offset() == 2);
  CHECK(a.u16_le() == 0x0403);
  auto& alias = a;
  a = alias;  // self-copy
  CHECK(a.offset() == 4);
  CHECK(a.varint() == 300);
  CHECK(a.rest() == "tail");
  CHECK(a.rest().data() == bytes.data() + 6);  // a view of the caller's bytes, not a copy
}

TEST_CASE("contract: a queue whose ring cannot be allocated throws and leaks nothing", "[contract][alloc][queue]") {
  et::failing_resource r;
  CHECK(et::check_allocation_failures(
      r.control(), [&] { el::mpmc_queue<int> q(100, &r); }, [&] { return r.control().live() == 0; }));
  CHECK(et::check_allocation_failures(
      r.control(), [&] { el::spsc_queue<int> q(100, &r); }, [&] { return r.control().live() == 0; }));
  CHECK(r.control().failures() >= 2);
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

// ===========================================================================
// Values whose copies or moves throw
// ===========================================================================

namespace {
template <class T>
concept mpmc_holds = requires {
  typename el::mpmc_queue<T>;
};
template <class T>
concept stack_holds = requires {
  typename el::stack<T>;
};
}  // namespace

TEST_CASE("contract: the queues and the stack stay unchanged when a value's copy or move throws", "[contract][throw]") {
  // The queues that must fill a claimed slot refuse a throwing move at compile time.
  STATIC_REQUIRE(mpmc_holds<et::throwing_value<true>>);
  STATIC_REQUIRE(!mpmc_holds<et::throwing_value<false>>);
  STATIC_REQUIRE(stack_holds<et::throwing_value<true>>);
  STATIC_REQUIRE(!stack_holds<et::throwing_value<false>>);

  const et::throwing_value<true> v(7);
  {
    el::mpmc_queue<et::throwing_value<true>> q(4);
    REQUIRE(q.try_push(v));
    et::throwing_value_fail_nth(1);
    CHECK_THROWS_AS((void)q.try_push(v), et::planned_failure);
    et::throwing_value_disarm();
    CHECK(q.size_approx() == 1);
    REQUIRE(q.try_push(v));
    CHECK(q.size_approx() == 2);
  }
  {
    el::stack<et::throwing_value<true>> s;
    s.push(v);
    et::throwing_value_fail_nth(1);
    CHECK_THROWS_AS(s.push(v), et::planned_failure);
    et::throwing_value_disarm();
    const auto top = s.pop();
    REQUIRE(top.has_value());
    CHECK(top->value() == 7);
    CHECK(s.empty());
  }
  {
    // spsc_queue allows a throwing move: try_push(T&&) then leaves the queue unchanged.
    el::spsc_queue<et::throwing_value<false>> q(8);
    et::throwing_value<false> w(5);
    REQUIRE(q.try_push(w));
    et::throwing_value_fail_nth(1);
    CHECK_THROWS_AS((void)q.try_push(std::move(w)), et::planned_failure);
    CHECK_THROWS_AS((void)q.try_push(w), et::planned_failure);  // every later one too, until disarmed
    et::throwing_value_disarm();
    CHECK(q.size_approx() == 1);
    REQUIRE(q.front() != nullptr);
    CHECK(q.front()->value() == 5);
    q.pop_front();
    CHECK(q.front() == nullptr);
  }
}

// ===========================================================================
// std::addressof: a value type with an overloaded unary operator&
// ===========================================================================

TEST_CASE("contract: the queues and the stack hold a type that overloads operator& and operator,",
          "[contract][addressof]") {
  using H = et::hostile_operators;
  {
    el::mpmc_queue<H> q(4);
    REQUIRE(q.try_push(H(1)));
    q.push(H(2));
    CHECK(q.pop().value == 1);
    H out;
    REQUIRE(q.try_pop(out));
    CHECK(out.value == 2);
    REQUIRE(q.try_push(H(3)));  // destroyed with the queue
  }
  {
    el::spsc_queue<H> q(4);
    REQUIRE(q.try_push(H(1)));
    REQUIRE(q.try_emplace(2));
    const std::optional<H> a = q.try_pop();
    REQUIRE(a.has_value());
    CHECK(a->value == 1);
    H out;
    REQUIRE(q.try_pop(out));
    CHECK(out.value == 2);
  }
  {
    el::stack<H> s;
    s.push(H(1));
    s.emplace(2);
    CHECK(s.pop()->value == 2);
    H out;
    REQUIRE(s.try_pop(out));
    CHECK(out.value == 1);
  }
}

TEST_CASE("contract: object_pool::get returns the object's address, not what its operator& returns",
          "[contract][addressof][pool]") {
  using pool_type = ep::object_pool<et::hostile_operators, no_reset>;
  // Never destroyed, and its memory is static: while get() returns what
  // operator& returns, the object cannot be put back, and a pool destroyed
  // with an object out asserts (and its node would leak).
  alignas(std::max_align_t) static unsigned char bytes[1 << 16];
  static std::pmr::monotonic_buffer_resource memory(bytes, sizeof bytes, std::pmr::null_memory_resource());
  alignas(pool_type) static unsigned char storage[sizeof(pool_type)];
  pool_type& pool = *::new (static_cast<void*>(storage)) pool_type(16, 4, {}, &memory);
  et::hostile_operators* p = pool.get();
  REQUIRE(p != nullptr);
  p->value = 42;
  pool.put(p);
  et::hostile_operators* q = pool.get();
  REQUIRE(q != nullptr);
  CHECK(q == p);  // the same object, reused
  CHECK(q->value == 42);
  pool.put(q);
  auto h = pool.acquire();
  CHECK(h.get() != nullptr);
}

namespace {
// A buffer source whose operator& is hostile: the builder keeps its address.
struct hostile_source : ep::buffer_pool {
  hostile_source* operator&() noexcept { return nullptr; }
};
}  // namespace

TEST_CASE("contract: a builder over a source that overloads operator&", "[contract][addressof][builder]") {
  hostile_source source;
  es::basic_builder<hostile_source> b(source, 8);
  for (int i = 0; i < 100; ++i) b.append(i);
  CHECK(b.size() > 100);
  CHECK(b.view().substr(0, 5) == "01234");
}

// ===========================================================================
// Lifetimes and leaks
// ===========================================================================

TEST_CASE("contract: every item is destroyed exactly once and every byte given back", "[contract][lifetime]") {
  using L = et::lifetime_tracked;
  et::failing_resource r;
  CHECK(et::check_lifetimes([&] {
    el::mpmc_queue<L> q(8, &r);
    for (int i = 0; i < 6; ++i) REQUIRE(q.try_push(L(i)));
    for (int i = 0; i < 3; ++i) CHECK(q.pop().value() == i);
    L out;
    REQUIRE(q.try_pop(out));
    CHECK(out.value() == 3);
  }));  // two items destroyed with the queue
  CHECK(et::check_lifetimes([&] {
    el::spsc_queue<L> q(8, &r);
    for (int i = 0; i < 6; ++i) REQUIRE(q.try_emplace(i));
    CHECK(q.try_pop()->value() == 0);
    L out;
    REQUIRE(q.try_pop(out));
    CHECK(out.value() == 1);
  }));
  CHECK(et::check_lifetimes([&] {
    el::stack<L> s(&r);
    for (int i = 0; i < 200; ++i) s.push(L(i));
    for (int i = 199; i >= 150; --i) CHECK(s.pop()->value() == i);
  }));
  CHECK(et::check_lifetimes([&] {
    ep::object_pool<L, no_reset> pool(4, 2, {}, &r);
    std::vector<L*> out;
    for (int i = 0; i < 20; ++i) out.push_back(pool.get());
    for (L* p : out) pool.put(p);  // most are destroyed: the pool keeps 4 + 2
    out.clear();
    for (int i = 0; i < 3; ++i) out.push_back(pool.get());
    for (L* p : out) pool.put(p);
  }));
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

// ===========================================================================
// Sizes near SIZE_MAX
// ===========================================================================

TEST_CASE("contract: sizes near SIZE_MAX are refused before anything is allocated", "[contract][huge]") {
  et::failing_resource r;
  {
    ep::buffer_pool pool({}, &r);
    es::builder b(pool, 16);
    b.append("kept");
    for (const std::size_t n : et::huge_sizes(64)) {
      CHECK_THROWS_AS((void)pool.get(n), std::length_error);
      CHECK_THROWS_AS(b.reserve(n), std::length_error);
      CHECK_THROWS_AS(es::builder(pool, n), std::length_error);
      CHECK_THROWS_AS(el::mpmc_queue<int>(n, &r), std::length_error);
      CHECK_THROWS_AS(el::spsc_queue<int>(n, &r), std::length_error);
      CHECK_THROWS_AS(eio::ring_buffer(n, &r), std::length_error);
      CHECK_THROWS_AS(eh::string_interner(eh::xxh3_64_hasher{}, n, &r), std::length_error);
    }
    CHECK(b.view() == "kept");
  }
  CHECK(r.control().failures() == 0);  // no request reached the resource
  CHECK(r.control().live() == 0);

  // The bitset's limit is PTRDIFF_MAX bits: a size below it goes to the
  // allocator, here one that refuses more than 1 MiB.
  et::failing_resource memory;
  et::allocation_control& ctl = memory.control();
  {
    bitset_subject::context cx{memory};
    bitset_subject::type b = bitset_subject::make(cx);
    const std::string before = bitset_subject::fingerprint(b);
    ctl.fail_above(std::size_t{1} << 20);
    for (const std::size_t n : et::huge_sizes(64)) {
      CHECK(et::refuses_size([&] { b.resize(n, true); }));
      CHECK(et::refuses_size([&] { b.reserve(n); }));
      CHECK(et::refuses_size([&] { bitset_subject::type c(n, true, et::failing_allocator<std::uint64_t>(ctl)); }));
    }
    ctl.disarm();
    CHECK(bitset_subject::fingerprint(b) == before);
    CHECK(bitset_subject::valid(b));
  }
  CHECK(ctl.live() == 0);
}

// ===========================================================================
// Concurrent types: destroy after handoff, two instances on the same threads
// ===========================================================================

namespace {
// How each concurrent container hands one item from a producer thread to a
// consumer thread.
template <class Q>
struct handoff;
template <>
struct handoff<el::mpmc_queue<int>> {
  static el::mpmc_queue<int>* make() { return new el::mpmc_queue<int>(4); }
  static void put(el::mpmc_queue<int>& q, int v) { q.push(v); }
  static int take(el::mpmc_queue<int>& q) { return q.pop(); }
};
template <>
struct handoff<el::spsc_queue<int>> {
  static el::spsc_queue<int>* make() { return new el::spsc_queue<int>(4); }
  static void put(el::spsc_queue<int>& q, int v) {
    while (!q.try_push(v)) std::this_thread::yield();
  }
  static int take(el::spsc_queue<int>& q) {
    for (;;) {
      if (const std::optional<int> v = q.try_pop()) return *v;
      std::this_thread::yield();
    }
  }
};
template <>
struct handoff<el::stack<int>> {
  static el::stack<int>* make() { return new el::stack<int>(); }
  static void put(el::stack<int>& s, int v) { s.push(v); }
  static int take(el::stack<int>& s) {
    for (;;) {
      if (const std::optional<int> v = s.pop()) return *v;
      std::this_thread::yield();
    }
  }
};

template <>
struct handoff<eio::ring_buffer> {
  // An int travels as its 4 bytes; a ring of 8 bytes makes wrap-around and
  // a full ring common.
  static eio::ring_buffer* make() { return new eio::ring_buffer(8); }
  static void put(eio::ring_buffer& r, int v) {
    electron::byte b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    while (!r.try_write(std::span<const electron::byte>(b))) std::this_thread::yield();
  }
  static int take(eio::ring_buffer& r) {
    electron::byte b[sizeof(int)];
    while (!r.try_read(std::span<electron::byte>(b))) std::this_thread::yield();
    int v = 0;
    std::memcpy(&v, b, sizeof v);
    return v;
  }
};

// A consumer deletes the container as soon as it has taken the one item a
// producer put in: the producer's put() must not touch the container after
// the item became visible (TSan and ASan see it when it does).
template <class Q>
void check_destroy_after_handoff() {
  using H = handoff<Q>;
  const int rounds = 2000 * et::stress_scale();
  std::atomic<Q*> next{nullptr};
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    for (;;) {
      Q* q = next.exchange(nullptr, std::memory_order_acq_rel);
      if (q != nullptr) {
        H::put(*q, 7);  // q may be deleted from here on
      } else if (stop.load(std::memory_order_acquire)) {
        return;
      } else {
        std::this_thread::yield();
      }
    }
  });
  int sum = 0;
  for (int i = 0; i < rounds; ++i) {
    Q* q = H::make();
    next.store(q, std::memory_order_release);
    sum += H::take(*q);
    delete q;
  }
  stop.store(true, std::memory_order_release);
  producer.join();
  CHECK(sum == 7 * rounds);
}

// Two instances used from the same two threads: each item arrives in the
// instance it was put in, once.
template <class Q>
void check_two_instances() {
  using H = handoff<Q>;
  const int n = 20000 * et::stress_scale();
  std::unique_ptr<Q> a(H::make());
  std::unique_ptr<Q> b(H::make());
  std::thread producer([&] {
    for (int i = 1; i <= n; ++i) {
      H::put(*a, i);   // positive items in a
      H::put(*b, -i);  // negative ones in b
    }
  });
  long long sum_a = 0, sum_b = 0;
  bool crossed = false;
  for (int i = 0; i < n; ++i) {
    const int x = H::take(*a);
    const int y = H::take(*b);
    crossed = crossed || x <= 0 || y >= 0;
    sum_a += x;
    sum_b += y;
  }
  producer.join();
  const long long expected = static_cast<long long>(n) * (n + 1) / 2;
  CHECK_FALSE(crossed);
  CHECK(sum_a == expected);
  CHECK(sum_b == -expected);
}
}  // namespace

TEMPLATE_TEST_CASE("contract: a consumer may destroy the container right after the last handoff",
                   "[contract][threads][handoff]", el::mpmc_queue<int>, el::spsc_queue<int>, el::stack<int>,
                   eio::ring_buffer) {
  check_destroy_after_handoff<TestType>();
}

TEMPLATE_TEST_CASE("contract: two instances used from the same threads stay apart", "[contract][threads]",
                   el::mpmc_queue<int>, el::spsc_queue<int>, el::stack<int>, eio::ring_buffer) {
  check_two_instances<TestType>();
}

TEST_CASE("contract: lockfree::stack keeps no node for each thread that exits", "[contract][threads][stack]") {
  el::stack<int> s;
  for (int t = 0; t < 300; ++t) {
    std::thread([&] {
      s.push(t);
      (void)s.pop();
    }).join();
  }
  // The stack never held more than one item.
  CHECK(s.node_count() <= 2);
}

// ===========================================================================
// cache::padded<T, Align>: a value on lines of its own, copied and moved as T
// ===========================================================================

namespace {
template <class P>
bool on_its_own_lines(const P& p) {
  const auto at = reinterpret_cast<std::uintptr_t>(std::addressof(p));
  return at % P::alignment == 0 && sizeof(P) % P::alignment == 0;
}
struct alignas(256) over_aligned {
  int value = 0;
};
}  // namespace

TEST_CASE("contract: cache::padded copies, moves and self-assigns as its value does", "[contract][move][padded]") {
  using L = et::lifetime_tracked;
  using TM = et::throwing_value<false>;  // copy and move may throw
  using NM = et::throwing_value<true>;   // copy may throw, move noexcept
  // noexcept-ness and the special members follow T's.
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<ec::padded<NM>>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<ec::padded<NM>>);
  STATIC_REQUIRE(!std::is_nothrow_move_constructible_v<ec::padded<TM>>);
  STATIC_REQUIRE(!std::is_nothrow_move_assignable_v<ec::padded<TM>>);
  STATIC_REQUIRE(!std::is_nothrow_copy_constructible_v<ec::padded<NM>>);
  STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<ec::padded<L>>);
  STATIC_REQUIRE(!std::is_copy_constructible_v<ec::padded<std::unique_ptr<int>>>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<ec::padded<std::unique_ptr<int>>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<ec::padded<std::atomic<int>>>);
  STATIC_REQUIRE(std::is_trivially_copyable_v<ec::padded<int>>);
  // Alignment and size: a multiple of the larger of Align and alignof(T).
  STATIC_REQUIRE(alignof(ec::padded<char>) == electron::cache_line_size);
  STATIC_REQUIRE(sizeof(ec::padded<char>) == electron::cache_line_size);
  STATIC_REQUIRE(alignof(ec::padded<char, 128>) == 128 && sizeof(ec::padded<char, 128>) == 128);
  STATIC_REQUIRE(alignof(ec::padded<over_aligned, 64>) == 256 && sizeof(ec::padded<over_aligned, 64>) == 256);
  STATIC_REQUIRE(sizeof(ec::padded<char[100]>) % electron::cache_line_size == 0);

  CHECK(et::check_lifetimes([] {
    ec::padded<L> a(1);
    ec::padded<L> b(a);  // copy
    CHECK(b->value() == 1);
    ec::padded<L> c(std::move(b));  // move
    CHECK(c->value() == 1);
    ec::padded<L> d(2);
    d = a;  // copy assignment
    CHECK(d->value() == 1);
    ec::padded<L> e(3);
    e = std::move(d);  // move assignment
    CHECK(e->value() == 1);
    et::self_copy_assign(e);
    CHECK(e->value() == 1);
    et::self_move_assign(e);
    CHECK(e->value() == 1);  // lifetime_tracked's self-move keeps its value
    ec::padded<L> f(std::in_place, 9);
    CHECK(f.get().value() == 9);
    L taken = std::move(f).get();  // get() && moves the value out
    CHECK(taken.value() == 9);
    CHECK(on_its_own_lines(a));
    CHECK(on_its_own_lines(e));
  }));

  // A copy or move of T that throws leaves the target as it was.
  {
    ec::padded<TM> a(1);
    ec::padded<TM> b(2);
    et::throwing_value_fail_nth(1);
    CHECK_THROWS_AS(b = a, et::planned_failure);
    CHECK_THROWS_AS(b = std::move(a), et::planned_failure);
    CHECK_THROWS_AS(ec::padded<TM>(a), et::planned_failure);
    CHECK_THROWS_AS(ec::padded<TM>(std::move(a)), et::planned_failure);
    et::throwing_value_disarm();
    CHECK(b->value() == 2);
    CHECK(a->value() == 1);
    et::self_copy_assign(b);
    et::self_move_assign(b);
    CHECK(b->value() == 2);
  }

  // In a vector (over-aligned elements from the allocator): every element
  // keeps its lines, and push_back's strong guarantee holds through padded.
  et::allocation_control ctl;
  CHECK(et::check_lifetimes([&] {
    using alloc = et::failing_allocator<ec::padded<L>>;
    std::vector<ec::padded<L>, alloc> v{alloc(ctl)};
    for (int i = 0; i < 5; ++i) v.emplace_back(i);
    const auto same = [&] {
      if (v.size() != 5) return false;
      for (int i = 0; i < 5; ++i) {
        if (v[static_cast<std::size_t>(i)]->value() != i || !on_its_own_lines(v[static_cast<std::size_t>(i)])) {
          return false;
        }
      }
      return true;
    };
    v.shrink_to_fit();
    CHECK(et::check_allocation_failures(
        ctl, [&] { v.emplace_back(5); }, same));
    REQUIRE(v.size() == 6);
    for (const auto& p : v) CHECK(on_its_own_lines(p));
  }));
  CHECK(ctl.live() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("contract: cache::padded reaches a value that overloads operator& through std::addressof",
          "[contract][addressof][padded]") {
  using H = et::hostile_operators;
  ec::padded<H> p(5);
  const ec::padded<H>& cp = p;
  REQUIRE(p.operator->() != nullptr);
  REQUIRE(cp.operator->() != nullptr);
  CHECK(p.operator->() == std::addressof(p.get()));
  CHECK(cp.operator->() == std::addressof(cp.get()));
  CHECK(std::addressof(*p) == std::addressof(p.get()));
  CHECK(p->value == 5);
  p->value = 6;
  CHECK(cp->value == 6);
  CHECK((*cp).value == 6);
  // The value lies inside the padded object.
  const auto* first = reinterpret_cast<const unsigned char*>(std::addressof(p));
  const auto* value = reinterpret_cast<const unsigned char*>(p.operator->());
  CHECK((value >= first && value + sizeof(H) <= first + sizeof(p)));
  ec::padded<H> q(p);
  CHECK(q->value == 6);
  q = ec::padded<H>(std::in_place, 7);
  CHECK(q->value == 7);
}

// ===========================================================================
// arena::arena, arena_allocator, arena_resource
// ===========================================================================
//
// Sizes near SIZE_MAX are covered by tests/arena_test.cpp: "arena: every
// entry point refuses a huge size with std::bad_alloc and stays usable",
// "arena: a huge first block size never becomes a short block" and
// "arena(SIZE_MAX - k): the first allocate(64) throws before anything is
// allocated"; tests/pool_test.cpp covers arena_of_pools ("arena_of_pools:
// sizes its parts cannot serve are refused and it stays usable").

namespace {
// What an arena's bookkeeping says, to compare before and after.
struct arena_state {
  std::size_t used, reserved, high_water, blocks;
  explicit arena_state(const ea::arena& a)
      : used(a.bytes_used()), reserved(a.bytes_reserved()), high_water(a.high_water()), blocks(a.block_count()) {}
  bool operator==(const arena_state&) const = default;
};
// Every block the arena holds is one live allocation of its upstream.
bool accounts_for(const ea::arena& a, const et::failing_resource& r) {
  return a.block_count() == r.control().live() && a.bytes_reserved() == r.control().live_bytes() &&
         a.bytes_used() <= a.high_water();
}
// A value that overloads unary operator& and operator, and needs its destructor run.
struct hostile_tracked {
  et::lifetime_tracked life;
  int value = 0;
  hostile_tracked() = default;
  explicit hostile_tracked(int v) noexcept : life(v), value(v) {}
  hostile_tracked* operator&() noexcept { return nullptr; }
  const hostile_tracked* operator&() const noexcept { return nullptr; }
  template <class U>
  et::useless operator,(U&&) const noexcept {
    return {};
  }
};
}  // namespace

TEST_CASE("contract: arena::arena moves and self-moves; it is not copyable", "[contract][move][arena]") {
  STATIC_REQUIRE(!std::is_copy_constructible_v<ea::arena>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<ea::arena>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<ea::arena>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<ea::arena>);
  STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<ea::arena_allocator<int>>);
  STATIC_REQUIRE(!std::is_default_constructible_v<ea::arena_allocator<int>>);
  using L = et::lifetime_tracked;
  et::failing_resource r;
  CHECK(et::check_lifetimes([&] {
    ea::arena a(64, &r);
    L* x = ea::make<L>(a, 7);
    const std::string_view s = ea::make_string(a, std::string(300, 's'));
    (void)ea::make_slice<L>(a, 20);
    const arena_state before(a);

    ea::arena b(std::move(a));  // takes every block and every destructor record
    CHECK(arena_state(b) == before);
    CHECK(x->value() == 7);
    CHECK(s == std::string(300, 's'));
    CHECK(a.bytes_used() == 0);  // NOLINT(bugprone-use-after-move): documented empty and usable
    CHECK(a.block_count() == 0);
    CHECK(ea::make<L>(a, 8)->value() == 8);

    ea::arena c(64, &r);
    (void)ea::make_slice<L>(c, 10);  // destroyed by the assignment below
    c = std::move(b);
    CHECK(arena_state(c) == before);
    CHECK(x->value() == 7);
    CHECK(b.block_count() == 0);  // NOLINT(bugprone-use-after-move)

    et::self_move_assign(c);  // unchanged
    CHECK(arena_state(c) == before);
    CHECK(x->value() == 7);
    CHECK(s == std::string(300, 's'));
    CHECK(ea::make<L>(c, 9)->value() == 9);
    a.release();
    CHECK(accounts_for(c, r));  // every live upstream block is c's
  }));
  // With a caller's buffer: self-move keeps it, a move hands it over.
  alignas(std::max_align_t) std::byte buffer[512];
  CHECK(et::check_lifetimes([&] {
    ea::arena a(buffer, sizeof buffer, &r);
    L* x = ea::make<L>(a, 1);
    CHECK(static_cast<void*>(x) >= static_cast<void*>(buffer));
    et::self_move_assign(a);
    CHECK(x->value() == 1);
    CHECK(ea::make<L>(a, 2)->value() == 2);
    ea::arena b(std::move(a));
    CHECK(x->value() == 1);
    a.reset();  // NOLINT(bugprone-use-after-move): the buffer is b's now; a starts empty
    CHECK(ea::make<L>(a, 3)->value() == 3);
  }));
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

TEST_CASE("contract: an arena whose upstream fails at any point stays usable and leaks nothing",
          "[contract][alloc][arena]") {
  using L = et::lifetime_tracked;
  et::failing_resource r;
  CHECK(et::check_lifetimes([&] {
    ea::arena a(64, &r);
    (void)ea::make<L>(a, -1);
    // allocate() that needs a new block: the strong guarantee.
    const arena_state before(a);
    std::size_t failures = 0;
    CHECK(et::check_allocation_failures(
        r.control(), [&] { (void)a.allocate(1000, 64); },
        [&] {
          ++failures;
          return arena_state(a) == before && accounts_for(a, r);
        }));
    CHECK(failures >= 1);
    // The typed helpers, several blocks each: basic (a destructor record
    // reserved before a failure stays used; nothing half-constructed is
    // recorded, nothing leaks).
    // (No CHECK inside an operation: it would catch the std::bad_alloc.)
    bool made = false;
    CHECK(et::check_allocation_failures(
        r.control(),
        [&] {
          made = false;
          bool ok = true;
          for (int i = 0; i < 20; ++i) ok = ok && ea::make<L>(a, i)->value() == i;
          const std::span<L> many = ea::make_slice<L>(a, 100);
          const std::string_view text = ea::make_string(a, std::string(5000, 'x'));
          const std::span<et::hostile_operators> h = ea::make_slice<et::hostile_operators>(a, 300);
          made = ok && many.size() == 100 && many.back().value() == 0 && text == std::string(5000, 'x') &&
                 h.back().value == 0;
        },
        [&] { return accounts_for(a, r); }));
    CHECK(made);
    CHECK(r.control().failures() >= 2);
    // The standard interop: a vector over arena_allocator and a pmr vector
    // over arena_resource keep their strong guarantee.
    {
      std::vector<L, ea::arena_allocator<L>> v{ea::arena_allocator<L>(a)};
      for (int i = 0; i < 8; ++i) v.emplace_back(i);
      v.shrink_to_fit();
      ea::arena_resource res(a);
      std::pmr::vector<L> w(&res);
      for (int i = 0; i < 8; ++i) w.emplace_back(i);
      w.shrink_to_fit();
      const auto unchanged = [&] {
        if (v.size() != 8 || w.size() != 8) return false;
        for (int i = 0; i < 8; ++i) {
          if (v[static_cast<std::size_t>(i)].value() != i || w[static_cast<std::size_t>(i)].value() != i) return false;
        }
        return accounts_for(a, r);
      };
      // Large enough to need a block of its own each time.
      CHECK(et::check_allocation_failures(
          r.control(), [&] { v.reserve(v.capacity() + 4000); }, unchanged));
      CHECK(et::check_allocation_failures(
          r.control(), [&] { w.reserve(w.capacity() + 4000); }, unchanged));
    }
    // Still usable, after reset and release.
    a.reset();
    CHECK(ea::make<L>(a, 1)->value() == 1);
    a.release();
    CHECK(r.control().live() == 0);
    CHECK(ea::make<L>(a, 2)->value() == 2);
  }));
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

namespace {
// A bump allocator of the user's that overloads operator& and operator,.
struct hostile_bump {
  ea::arena inner{256};
  void* allocate(std::size_t n, std::size_t align) { return inner.allocate(n, align); }
  void reset() noexcept { inner.reset(); }
  hostile_bump* operator&() noexcept { return nullptr; }
  template <class U>
  et::useless operator,(U&&) const noexcept {
    return {};
  }
};
static_assert(ea::bump_allocator<hostile_bump>);
}  // namespace

TEST_CASE("contract: arena make, make_slice and make_string with types that overload operator&",
          "[contract][addressof][arena]") {
  using H = et::hostile_operators;
  CHECK(et::check_lifetimes([] {
    ea::arena a(64);
    H* h = ea::make<H>(a, 3);
    REQUIRE(h != nullptr);
    CHECK(h->value == 3);
    const std::span<H> hs = ea::make_slice<H>(a, 10);
    for (const H& x : hs) CHECK(x.value == 0);
    // Not trivially destructible: recorded, and destroyed on reset.
    hostile_tracked* t = ea::make<hostile_tracked>(a, 4);
    REQUIRE(t != nullptr);
    CHECK(t->value == 4);
    CHECK(reinterpret_cast<std::uintptr_t>(t) % alignof(hostile_tracked) == 0);
    const std::span<hostile_tracked> ts = ea::make_slice<hostile_tracked>(a, 50);
    CHECK(ts.size() == 50);
    a.reset();
    CHECK(ea::make<hostile_tracked>(a, 5)->value == 5);  // destroyed with the arena
  }));
  hostile_bump bump;
  CHECK(ea::make_string(bump, "through a hostile allocator") == "through a hostile allocator");
  bump.reset();
  CHECK(ea::make_string(bump, "") == "");
}

// ===========================================================================
// pool::arena_of_pools
// ===========================================================================

namespace {
struct tracked_context {
  et::lifetime_tracked id;
  void reset() noexcept { id = 0; }
};
}  // namespace

TEST_CASE("contract: pool::arena_of_pools is neither copyable nor movable", "[contract][move][arena_of_pools]") {
  using M = ep::arena_of_pools<tracked_context>;
  STATIC_REQUIRE(!std::is_copy_constructible_v<M>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<M>);
  STATIC_REQUIRE(!std::is_move_constructible_v<M>);
  STATIC_REQUIRE(!std::is_move_assignable_v<M>);
  // Its buffers are move-only handles.
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<M::buffer> && !std::is_copy_constructible_v<M::buffer>);
}

TEST_CASE("contract: arena_of_pools stays usable and balanced when its upstream fails at any point",
          "[contract][alloc][lifetime][arena_of_pools]") {
  et::failing_resource r;
  CHECK(et::check_lifetimes([&] {
    ep::arena_of_pools<tracked_context> mem(
        std::piecewise_construct, std::forward_as_tuple(std::size_t{256}, &r),
        std::forward_as_tuple(std::size_t{8}, std::uint32_t{2}, ep::member_reset{}, &r),
        std::forward_as_tuple(ep::buffer_pool_options{}, &r));
    // One request, made to fail at each of its allocations in turn.
    // (No CHECK inside: it would catch the std::bad_alloc.)
    const auto give_back = [&](tracked_context* c) { mem.release_context(c); };
    const auto request = [&](int n) {
      const std::unique_ptr<tracked_context, decltype(give_back)> c(mem.allocate_context(), give_back);
      c->id = n;
      auto body = mem.allocate_buffer(3000);
      const std::string_view path = mem.make_string(std::string(1000, 'p'));
      const bool ok = body.size() == 3000 && path.size() == 1000 && c->id.value() == n;
      mem.reset();
      return ok;
    };
    bool served = false;
    CHECK(et::check_allocation_failures(
        r.control(), [&] { served = request(1); }, [] { return true; }));
    CHECK(served);
    CHECK(r.control().failures() >= 3);
    // Contexts and buffers held at the time of a failure are given back.
    std::vector<tracked_context*> held;
    CHECK(et::check_allocation_failures(
        r.control(), [&] { held.push_back(mem.allocate_context()); }, [] { return true; }));
    CHECK(held.back()->id.value() == 0);  // a context comes reset
    for (tracked_context* c : held) mem.release_context(c);
    for (int i = 0; i < 10; ++i) CHECK(request(i));
    mem.contexts().trim();
    mem.buffers().trim();
  }));  // every context constructed was destroyed, once
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

namespace {
// A context that keeps what it owns across reuse ("reset" in pool.hpp's
// sense): a buffer from the same arena_of_pools.
struct buffered_context {
  ep::buffer_pool::buffer body;
  et::lifetime_tracked id;
  void reset() noexcept { id = 0; }  // keeps body for the next request
};
using buffered_pools = ep::arena_of_pools<buffered_context>;
// An object made in the arena that holds a context until the arena destroys it.
struct context_lease {
  context_lease(buffered_pools& o, buffered_context* c) noexcept : owner(std::addressof(o)), context(c) {}
  context_lease(const context_lease&) = delete;
  context_lease& operator=(const context_lease&) = delete;
  ~context_lease() { owner->release_context(context); }
  buffered_pools* owner;
  buffered_context* context;
};
}  // namespace

TEST_CASE("contract: arena_of_pools destroys its parts after what they hold", "[contract][lifetime][arena_of_pools]") {
  // Idle contexts may hold buffers, and arena objects may hold contexts (and
  // buffers): the arena's objects go first, then the contexts, then the
  // buffer pool they give their buffers back to. Before the fix the buffer
  // pool went first and the arena last: each give-back reached a destroyed
  // pool (ASan: use after free; here: memory never given back upstream).
  et::failing_resource r;
  CHECK(et::check_lifetimes([&] {
    buffered_pools mem(std::piecewise_construct, std::forward_as_tuple(std::size_t{256}, &r),
                       std::forward_as_tuple(std::size_t{8}, std::uint32_t{2}, ep::member_reset{}, &r),
                       std::forward_as_tuple(ep::buffer_pool_options{}, &r));
    for (int i = 0; i < 3; ++i) {
      buffered_context* c = mem.allocate_context();
      if (c->body.size() == 0) c->body = mem.allocate_buffer(1000);
      c->id = i;
      mem.release_context(c);  // idle, still holding its buffer
    }
    buffered_context* held = mem.allocate_context();
    held->body = mem.allocate_buffer(5000);
    (void)ea::make<context_lease>(mem.get_arena(), mem, held);  // released by the arena
  }));
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
}

TEST_CASE("contract: arena_of_pools over a bump allocator and a context that overload operator&",
          "[contract][addressof][arena_of_pools]") {
  struct hostile_context : et::hostile_operators {
    void reset() noexcept { value = 0; }
  };
  ep::arena_of_pools<hostile_context, hostile_bump> mem;
  hostile_context* c = mem.allocate_context();
  REQUIRE(c != nullptr);
  c->value = 5;
  CHECK(mem.make_string("hostile") == "hostile");
  mem.release_context(c);
  mem.reset();
  hostile_context* d = mem.allocate_context();
  REQUIRE(d != nullptr);
  CHECK(d->value == 0);
  mem.release_context(d);
}

// ===========================================================================
// lockfree::rcu<T>
// ===========================================================================

TEST_CASE("contract: lockfree::rcu destroys every version exactly once", "[contract][lifetime][rcu]") {
  using L = et::lifetime_tracked;
  // Neither copyable nor movable: readers hold pointers into it.
  STATIC_REQUIRE(!std::is_copy_constructible_v<el::rcu<L>>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<el::rcu<L>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<el::rcu<L>>);
  STATIC_REQUIRE(!std::is_move_assignable_v<el::rcu<L>>);
  STATIC_REQUIRE(!std::is_copy_constructible_v<el::rcu<L>::read_guard>);
  STATIC_REQUIRE(!std::is_move_constructible_v<el::rcu<L>::read_guard>);
  CHECK(et::check_lifetimes([] {
    el::rcu<L> r(0);
    for (int i = 1; i <= 20; ++i) {
      std::thread writer;
      {
        const auto g = r.read();
        writer = std::thread([&r, i] { r.update([i](L& v) { v = i; }); });
        // Once the new version is visible, the old one this guard holds is
        // still alive (lifetime_tracked counts a read of a dead one).
        while (r.read()->value() != i) std::this_thread::yield();
        CHECK(g->value() == i - 1);
      }  // only now may the writer delete it
      writer.join();
    }
    CHECK(r.read()->value() == 20);
    for (int i = 21; i <= 100; ++i) r.update([i](L& v) { v = i; });
    CHECK(r.read()->value() == 100);
    r.store(std::make_unique<L>(200));
    r.emplace(300);
    CHECK(r.read()->value() == 300);
    // update() whose fn throws: nothing published, the copy destroyed.
    CHECK_THROWS_AS(r.update([](L& v) {
      v = -1;
      throw std::runtime_error("fn fails");
    }),
                    std::runtime_error);
    CHECK(r.read()->value() == 300);
    r.synchronize();
  }));  // the last version with the rcu
}

TEST_CASE("contract: rcu::update stays unpublished when the value's copy throws", "[contract][throw][rcu]") {
  using TM = et::throwing_value<false>;
  el::rcu<TM> r(5);
  et::throwing_value_fail_nth(1);
  CHECK_THROWS_AS(r.update([](TM&) {}), et::planned_failure);
  et::throwing_value_disarm();
  CHECK(r.read()->value() == 5);
  r.update([](TM& v) { v = TM(6); });
  CHECK(r.read()->value() == 6);
  // A value that overloads operator& and operator,: the guard points at it.
  el::rcu<et::hostile_operators> h(7);
  {
    const auto g = h.read();
    REQUIRE(g.get() != nullptr);
    CHECK(g->value == 7);
    CHECK((*g).value == 7);
  }
  h.update([](et::hostile_operators& v) { v.value = 8; });
  CHECK(h.read()->value == 8);
}

TEST_CASE("contract: two rcu instances used from the same threads stay apart", "[contract][threads][rcu]") {
  using L = et::lifetime_tracked;
  const int updates = 300 * et::stress_scale();
  CHECK(et::check_lifetimes([&] {
    el::rcu<L> a(0);  // counts up
    el::rcu<L> b(0);  // counts down
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0};
    const auto reader = [&] {
      int last_a = 0, last_b = 0;
      while (!stop.load(std::memory_order_acquire)) {
        const auto ga = a.read();
        const auto gb = b.read();  // two guards, on two instances, held together
        const int va = ga->value();
        const int vb = gb->value();
        if (va < last_a || vb > last_b || va < 0 || vb > 0) bad.fetch_add(1, std::memory_order_relaxed);
        last_a = va;
        last_b = vb;
      }
    };
    std::thread r1(reader);
    std::thread r2(reader);
    std::thread writer([&] {
      for (int i = 1; i <= updates; ++i) {
        a.update([i](L& v) { v = i; });
        {
          // A guard on b does not hold back a writer of a on the same
          // thread: had the instances shared their reader counts, this
          // would wait for itself (debug builds would assert).
          const auto gb = b.read();
          a.synchronize();
          if (gb->value() != 1 - i) bad.fetch_add(1, std::memory_order_relaxed);
        }
        b.store(std::make_unique<L>(-i));
      }
    });
    writer.join();
    stop.store(true, std::memory_order_release);
    r1.join();
    r2.join();
    CHECK(bad.load() == 0);
    CHECK(a.read()->value() == updates);
    CHECK(b.read()->value() == -updates);
  }));
}

TEST_CASE("contract: an rcu may be destroyed right after its last guard was dropped",
          "[contract][threads][handoff][rcu]") {
  using L = et::lifetime_tracked;
  const int rounds = 1000 * et::stress_scale();
  long long sum = 0;
  CHECK(et::check_lifetimes([&] {
    std::atomic<el::rcu<L>*> next{nullptr};
    std::atomic<int> seen{-1};
    std::thread reader([&] {
      for (int i = 0; i < rounds; ++i) {
        el::rcu<L>* r = nullptr;
        while ((r = next.exchange(nullptr, std::memory_order_acq_rel)) == nullptr) std::this_thread::yield();
        int v = 0;
        {
          const auto g = r->read();
          v = g->value();
        }  // the last guard: r may be deleted from here on
        seen.store(v, std::memory_order_release);
      }
    });
    for (int i = 0; i < rounds; ++i) {
      auto* r = new el::rcu<L>(i);
      next.store(r, std::memory_order_release);
      int v = -1;
      while ((v = seen.exchange(-1, std::memory_order_acq_rel)) < 0) std::this_thread::yield();
      delete r;
      sum += v;
    }
    reader.join();
  }));
  CHECK(sum == static_cast<long long>(rounds) * (rounds - 1) / 2);
}

// ===========================================================================
// sched::batch_processor<T>
// ===========================================================================

namespace {
template <class T>
concept batch_holds = requires {
  typename esc::batch_processor<T>;
};
const auto ignore_errors = [](auto, const esc::batch_error&) {};
}  // namespace

TEST_CASE("contract: batch_processor refuses a value whose move may throw", "[contract][throw][batch]") {
  // The processing thread moves items into a batch with nobody to report a
  // failure to: a throwing move does not compile (the batch_value concept).
  STATIC_REQUIRE(!esc::batch_value<et::throwing_value<false>>);
  STATIC_REQUIRE(!batch_holds<et::throwing_value<false>>);
  STATIC_REQUIRE(esc::batch_value<et::throwing_value<true>>);
  STATIC_REQUIRE(batch_holds<et::throwing_value<true>>);
  STATIC_REQUIRE(batch_holds<et::lifetime_tracked>);
  STATIC_REQUIRE(batch_holds<et::hostile_operators>);
  STATIC_REQUIRE(!std::is_copy_constructible_v<esc::batch_processor<int>>);
  STATIC_REQUIRE(!std::is_move_constructible_v<esc::batch_processor<int>>);

  // A copy that throws in add() (on the caller's thread) accepts nothing.
  using NM = et::throwing_value<true>;
  std::atomic<int> sum{0};
  {
    esc::batch_processor<NM> p(
        {.batch_size = 4, .timeout = std::chrono::milliseconds(1)},
        [&](std::span<NM> items) {
          for (const NM& v : items) sum.fetch_add(v.value(), std::memory_order_relaxed);
        },
        ignore_errors);
    const NM one(1);
    et::throwing_value_fail_nth(1);
    CHECK_THROWS_AS(p.add(one), et::planned_failure);
    CHECK_THROWS_AS(p.try_add(one), et::planned_failure);
    et::throwing_value_disarm();
    CHECK(p.pending() == 0);
    CHECK(p.add(one));
    CHECK(p.add(NM(2)));
    p.flush();
  }
  CHECK(sum.load() == 3);
}

TEST_CASE("contract: batch_processor processes every item exactly once and destroys each",
          "[contract][lifetime][threads][batch]") {
  using L = et::lifetime_tracked;
  const int per_thread = 2000 * et::stress_scale();
  std::vector<int> seen;  // the processing thread's, read after it stopped
  int failed_batches = 0;
  CHECK(et::check_lifetimes([&] {
    esc::batch_processor<L> p(
        {.batch_size = 7, .timeout = std::chrono::milliseconds(1), .capacity = 16},
        [&](std::span<L> items) {
          for (const L& v : items) seen.push_back(v.value());
          if (items.front().value() % 5 == 0) throw std::runtime_error("this batch fails");
        },
        [&](std::span<L> items, const esc::batch_error& e) {
          // The same batch, still alive, with the exception.
          if (e.exception != nullptr && !items.empty() && items.front().value() % 5 == 0) ++failed_batches;
        });
    std::thread even([&] {
      for (int i = 0; i < per_thread; ++i) (void)p.add(L(2 * i));
    });
    std::thread odd([&] {
      for (int i = 0; i < per_thread; ++i) {
        const L v(2 * i + 1);
        while (!p.try_add(v)) std::this_thread::yield();
      }
    });
    even.join();
    odd.join();
  }));  // destroyed with items maybe still queued: close() processes them first
  std::sort(seen.begin(), seen.end());
  REQUIRE(seen.size() == static_cast<std::size_t>(2 * per_thread));
  for (int i = 0; i < 2 * per_thread; ++i) {
    if (seen[static_cast<std::size_t>(i)] != i) {
      FAIL_CHECK("item " << i << " missing or processed twice");
      break;
    }
  }
  CHECK(failed_batches >= 1);

  // Once closed, add and try_add accept nothing and construct nothing.
  CHECK(et::check_lifetimes([] {
    esc::batch_processor<L> p(
        {}, [](std::span<L>) {}, ignore_errors);
    CHECK(p.add(L(1)));
    p.close();
    const L v(2);
    const std::uint64_t built = et::current_lifetime_counts().constructions;
    CHECK_FALSE(p.add(v));
    CHECK_FALSE(p.try_add(v));
    CHECK_FALSE(p.add(3));
    CHECK(et::current_lifetime_counts().constructions == built);
    CHECK(p.pending() == 0);
  }));

  // A value that overloads operator& and operator,.
  std::atomic<int> sum{0};
  {
    esc::batch_processor<et::hostile_operators> h(
        {.batch_size = 3},
        [&](std::span<et::hostile_operators> items) {
          for (const auto& v : items) sum.fetch_add(v.value, std::memory_order_relaxed);
        },
        ignore_errors);
    for (int i = 1; i <= 10; ++i) CHECK(h.add(et::hostile_operators(i)));
  }
  CHECK(sum.load() == 55);
}

TEST_CASE("contract: a batch_processor may be destroyed right after its last batch was observed",
          "[contract][threads][handoff][batch]") {
  using L = et::lifetime_tracked;
  const int rounds = 200 * et::stress_scale();
  long long sum = 0;
  CHECK(et::check_lifetimes([&] {
    for (int i = 0; i < rounds; ++i) {
      std::atomic<int> result{-1};
      auto* p = new esc::batch_processor<L>(
          {.batch_size = 1, .timeout = std::chrono::steady_clock::duration::max()},
          [&result](std::span<L> items) { result.store(items.front().value(), std::memory_order_release); },
          ignore_errors);
      CHECK(p->add(L(i)));
      // The result is seen on this thread, then the processor goes at once,
      // while its thread may still be finishing the batch.
      int r = -1;
      while ((r = result.load(std::memory_order_acquire)) < 0) std::this_thread::yield();
      delete p;
      sum += r;
    }
  }));
  CHECK(sum == static_cast<long long>(rounds) * (rounds - 1) / 2);
}

// ===========================================================================
// parse: the text values (int_chars, float_chars) and url_view
// ===========================================================================
// A text value owns its characters: a copy, a move or a self-assignment keeps
// the text, and the copy's view points into the copy (the original may go).
TEMPLATE_TEST_CASE("contract: parse's text values copy, move and self-assign their own characters",
                   "[contract][move][parse]", electron::parse::int_chars, electron::parse::float_chars) {
  using T = TestType;
  STATIC_REQUIRE(std::is_trivially_copyable_v<T>);
  STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<T> && std::is_nothrow_move_assignable_v<T>);
  STATIC_REQUIRE(!std::is_default_constructible_v<T>);
  const auto make = [](int i) {
    if constexpr (std::is_same_v<T, electron::parse::int_chars>) {
      return T(-1234567 * i);
    } else {
      return T(0.1 * i);
    }
  };
  for (int i = 1; i <= 3; ++i) {
    const std::string expected(make(i).view());
    auto* original = new T(make(i));
    T copy(*original);
    T moved(std::move(*original));
    delete original;  // the copies must not point into it
    CHECK(copy.view() == expected);
    CHECK(moved.view() == expected);
    CHECK(std::string_view(copy.c_str()) == expected);
    CHECK(copy.data() != moved.data());
    CHECK(std::string(copy.begin(), copy.end()) == expected);
    T other = make(i + 7);
    other = copy;
    CHECK(other.view() == expected);
    et::self_copy_assign(other);
    CHECK(other.view() == expected);
    et::self_move_assign(other);
    CHECK(other.view() == expected);
    CHECK(other.size() == expected.size());
  }
}

// A url_view is a view: copies share the text, and the text must outlive them.
TEST_CASE("contract: url_view copies and self-assigns as a view of the same text", "[contract][move][parse]") {
  STATIC_REQUIRE(std::is_trivially_copyable_v<electron::parse::url_view>);
  const std::string text = "https://user@example.com:8443/a/b?x=1&y#frag";
  const auto r = electron::parse::parse_url(text);
  REQUIRE(r.has_value());
  electron::parse::url_view u = *r;
  et::self_copy_assign(u);
  et::self_move_assign(u);
  CHECK(u.text().data() == text.data());
  CHECK(u.host() == "example.com");
  CHECK(u.port_number() == 8443);
  CHECK(u.query() == "x=1&y");
  CHECK(u.fragment() == "frag");
  CHECK(u.host().data() == text.data() + text.find("example.com"));
}

// ===========================================================================
// cache::compact_map
// ===========================================================================

TEST_CASE("contract: compact_map holds keys and values that overload operator& and operator,",
          "[contract][addressof][lifetime][map]") {
  struct hostile_hash {
    std::size_t operator()(const et::hostile_operators& h) const noexcept { return std::hash<int>{}(h.value); }
  };
  CHECK(et::check_lifetimes([&] {
    ec::compact_map<et::hostile_operators, et::lifetime_tracked, hostile_hash> m;
    for (int i = 0; i < 200; ++i) m.try_emplace(et::hostile_operators(i), i);
    for (int i = 0; i < 200; i += 3) CHECK(m.erase(et::hostile_operators(i)) == 1);
    auto copy = m;
    CHECK(copy.size() == m.size());
    const auto it = copy.find(et::hostile_operators(7));
    REQUIRE(it != copy.end());
    CHECK(std::addressof(*it) == std::addressof(*copy.find(et::hostile_operators(7))));
    m = std::move(copy);
    et::self_move_assign(m);
    et::self_copy_assign(m);
    CHECK(m.size() == 133);
    ec::compact_set<et::hostile_operators, hostile_hash> set;
    for (int i = 0; i < 50; ++i) set.insert(et::hostile_operators(i % 10));
    CHECK(set.size() == 10);
  }));
}

TEST_CASE("contract: compact_map stays unchanged when a value's copy throws", "[contract][throw][map]") {
  using tv = et::throwing_value<true>;
  ec::compact_map<int, tv> m;
  for (int i = 0; i < 100; ++i) m.try_emplace(i, i);
  const tv extra(1000);
  for (int n = 1; n <= 2; ++n) {
    et::throwing_value_fail_nth(n);
    try {
      m.try_emplace(1000, extra);
    } catch (const std::runtime_error&) {
      et::throwing_value_disarm();
      CHECK(m.size() == 100);
      CHECK(!m.contains(1000));
      continue;
    }
    et::throwing_value_disarm();
    break;
  }
  CHECK(m.size() == 101);
  for (int i = 0; i < 100; ++i) CHECK(m.contains(i));
}

TEST_CASE("contract: compact_map refuses sizes near SIZE_MAX and stays unchanged", "[contract][huge][map]") {
  et::failing_resource memory;
  {
    map_subject::context cx{memory};
    map_subject::type m = map_subject::make(cx);
    const std::string before = map_subject::fingerprint(m);
    const std::size_t live = memory.control().live();
    memory.control().fail_above(std::size_t{1} << 20);  // what reaches the allocator fails, even under a sanitizer
    for (const std::size_t n : et::huge_sizes()) {
      CHECK(et::refuses_size([&] { m.reserve(n); }));
      CHECK(et::refuses_size([&] { m.rehash(n); }));
      CHECK(memory.control().live() == live);
      if (n > m.max_size()) CHECK_THROWS_AS(m.reserve(n), std::length_error);
    }
    memory.control().disarm();
    CHECK(map_subject::fingerprint(m) == before);
  }
  CHECK(memory.control().live() == 0);
}
