// SPDX-License-Identifier: MIT
// The contract test: every container-like type of Electron, tried the way an
// unusual but legal program uses it, with the kit of electron/test.hpp
// (docs/contracts.md lists what each type promises and which case checks it).
//
// A new type joins by getting a subject below (how to make one, what it
// holds, how to grow it) and by being added to the lists of the cases that
// apply to it.
#include "electron/bits.hpp"
#include "electron/hash.hpp"
#include "electron/lockfree.hpp"
#include "electron/pool.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"

#include "electron_catch.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace et = electron::test;
namespace eb = electron::bits;
namespace eh = electron::hash;
namespace el = electron::lockfree;
namespace ep = electron::pool;
namespace es = electron::strings;

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
                   builder_subject) {
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
                   "[contract][alloc]", interner_subject, builder_subject) {
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
    // std::length_error above max_size(), std::bad_alloc from the allocator below it.
    const auto refused = [](auto&& fn) {
      try {
        fn();
      } catch (const std::length_error&) {
        return true;
      } catch (const std::bad_alloc&) {
        return true;
      }
      return false;
    };
    for (const std::size_t n : et::huge_sizes(64)) {
      CHECK(refused([&] { b.resize(n, true); }));
      CHECK(refused([&] { b.reserve(n); }));
      CHECK(refused([&] { bitset_subject::type c(n, true, et::failing_allocator<std::uint64_t>(ctl)); }));
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
                   "[contract][threads][handoff]", el::mpmc_queue<int>, el::spsc_queue<int>, el::stack<int>) {
  check_destroy_after_handoff<TestType>();
}

TEMPLATE_TEST_CASE("contract: two instances used from the same threads stay apart", "[contract][threads]",
                   el::mpmc_queue<int>, el::spsc_queue<int>, el::stack<int>) {
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
