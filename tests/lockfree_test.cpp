// SPDX-License-Identifier: MIT
// Tests of electron/lockfree.hpp: single-threaded behaviour against simple
// models, then multi-threaded conservation (every item out exactly once,
// per-producer FIFO order, destructor counts), run under TSan and ASan.
#include "electron/lockfree.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <limits>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace el = electron::lockfree;
namespace et = electron::test;

namespace {

using electron::test::stress_scale;

// Counts live instances, so leaks and double destruction show.
struct tracked {
  static inline std::atomic<int> live{0};
  std::uint64_t v = 0;
  tracked() noexcept { ++live; }
  explicit tracked(std::uint64_t x) noexcept : v(x) { ++live; }
  tracked(const tracked& o) noexcept : v(o.v) { ++live; }
  tracked(tracked&& o) noexcept : v(o.v) { ++live; }
  tracked& operator=(const tracked&) = default;
  tracked& operator=(tracked&&) = default;
  ~tracked() { --live; }
};

// An item tagged with its producer and that producer's sequence number.
constexpr std::uint64_t item(std::uint64_t producer, std::uint64_t seq) { return (producer << 40) | seq; }
constexpr std::uint64_t producer_of(std::uint64_t x) { return x >> 40; }
constexpr std::uint64_t seq_of(std::uint64_t x) { return x & ((std::uint64_t{1} << 40) - 1); }

// Checks the multiset of popped items: each (producer, seq) exactly once,
// and each consumer saw each producer's items in increasing order.
void check_conservation(const std::vector<std::vector<std::uint64_t>>& popped, std::uint64_t producers,
                        std::uint64_t per_producer) {
  std::vector<std::uint8_t> seen(producers * per_producer, 0);
  std::size_t dup = 0, total = 0, order_violations = 0;
  for (const auto& got : popped) {
    std::vector<std::int64_t> last(producers, -1);
    for (std::uint64_t x : got) {
      const std::uint64_t p = producer_of(x), q = seq_of(x);
      REQUIRE(p < producers);
      REQUIRE(q < per_producer);
      dup += seen[p * per_producer + q]++ != 0;
      order_violations += static_cast<std::int64_t>(q) <= last[p];
      last[p] = static_cast<std::int64_t>(q);
      ++total;
    }
  }
  CHECK(dup == 0);
  CHECK(total == producers * per_producer);
  CHECK(order_violations == 0);
}

}  // namespace

static_assert(el::queue_value<int> && el::queue_value<std::unique_ptr<int>> && el::queue_value<std::string>);
static_assert(!el::queue_value<int&> && !el::queue_value<void>);

// Built twice (lockfree_test, lockfree_portable_test): the two builds
// compile different code, so they must not share an ABI namespace.
TEST_CASE("ELECTRON_LOCKFREE_NO_MEMBARRIER is part of the ABI namespace", "[lockfree]") {
  const bool tagged = electron::abi_namespace.find("nomembarrier") != std::string_view::npos;
#if defined(ELECTRON_LOCKFREE_NO_MEMBARRIER)
  CHECK(tagged);
#else
  CHECK_FALSE(tagged);
#endif
  // The portable build also sleeps through the waiter's fallback.
#if defined(ELECTRON_WAITER_PORTABLE)
  CHECK(electron::detail::waiter::backend == electron::detail::waiter_backend::portable);
#else
  CHECK(electron::detail::waiter::backend != electron::detail::waiter_backend::portable);
#endif
}

// ---- mpmc_queue, one thread ---------------------------------------------------

TEST_CASE("mpmc_queue: capacity, FIFO, full and empty", "[lockfree][mpmc]") {
  el::mpmc_queue<int> q(5);
  CHECK(q.capacity() == 8);
  CHECK(el::mpmc_queue<int>(0).capacity() == 2);
  CHECK(q.empty_approx());
  CHECK_FALSE(q.try_pop().has_value());
  for (int i = 0; i < 8; ++i) CHECK(q.try_push(i));
  CHECK_FALSE(q.try_push(99));
  CHECK(q.size_approx() == 8);
  for (int i = 0; i < 8; ++i) CHECK(q.try_pop() == i);
  CHECK_FALSE(q.try_pop().has_value());
  // Many laps around the ring against a std::deque model.
  std::deque<int> model;
  std::mt19937 rng(1);
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 2 == 0) {
      const int v = static_cast<int>(rng());
      const bool ok = q.try_push(v);
      CHECK(ok == (model.size() < 8));
      if (ok) model.push_back(v);
    } else {
      int out = -1;
      const bool ok = q.try_pop(out);
      REQUIRE(ok == !model.empty());
      if (ok) {
        CHECK(out == model.front());
        model.pop_front();
      }
    }
    REQUIRE(q.size_approx() == model.size());
  }
}

TEST_CASE("mpmc_queue: move-only items, in-place construction, destruction of leftovers", "[lockfree][mpmc]") {
  {
    el::mpmc_queue<std::unique_ptr<int>> q(4);
    CHECK(q.try_push(std::make_unique<int>(7)));
    CHECK(q.try_emplace(new int(8)));
    auto a = q.try_pop();
    REQUIRE(a.has_value());
    CHECK(**a == 7);
    q.push(std::make_unique<int>(9));
    CHECK(*q.pop() == 8);
    // A full queue leaves the value with the caller.
    CHECK(q.try_push(std::make_unique<int>(10)));
    CHECK(q.try_push(std::make_unique<int>(11)));
    CHECK(q.try_push(std::make_unique<int>(12)));
    auto keep = std::make_unique<int>(13);
    CHECK_FALSE(q.try_push(std::move(keep)));
    REQUIRE(keep != nullptr);
    CHECK(*keep == 13);
  }  // leftovers freed: ASan's leak check would see them otherwise
  tracked::live = 0;
  {
    el::mpmc_queue<tracked> q(16);
    for (std::uint64_t i = 0; i < 10; ++i) CHECK(q.try_emplace(i));
    for (int i = 0; i < 4; ++i) CHECK(q.try_pop().has_value());
    CHECK(tracked::live == 6);
  }
  CHECK(tracked::live == 0);
  // A constructor that may throw: built first, then moved in.
  el::mpmc_queue<std::string> qs(2);
  CHECK(qs.try_emplace(std::size_t{3}, 'x'));
  CHECK(qs.try_pop() == "xxx");
}

TEST_CASE("mpmc_queue: the push/pop pair does not allocate", "[lockfree][mpmc]") {
  el::mpmc_queue<std::uint64_t> q(64);
  CHECK(et::check_no_alloc([&] {
    for (std::uint64_t i = 0; i < 1000; ++i) {
      (void)q.try_push(i);
      (void)q.try_pop();
    }
  }));
}

// Over-aligned items keep their alignment in every container.
struct alignas(128) wide {
  std::uint64_t v = 0;
  wide() = default;
  explicit wide(std::uint64_t x) noexcept : v(x) {}
};
TEST_CASE("containers hold over-aligned items", "[lockfree]") {
  const auto aligned = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p) % alignof(wide) == 0; };
  el::mpmc_queue<wide> q(4);
  el::spsc_queue<wide> sq(4);
  el::stack<wide> st;
  for (std::uint64_t i = 1; i <= 3; ++i) {
    CHECK(q.try_emplace(i));
    CHECK(sq.try_emplace(i));
    st.emplace(i);
  }
  CHECK(aligned(sq.front()));
  for (std::uint64_t i = 1; i <= 3; ++i) {
    CHECK(q.try_pop()->v == i);
    CHECK(sq.try_pop()->v == i);
    CHECK(st.pop()->v == 4 - i);
  }
  el::rcu<wide> r(std::uint64_t{9});
  const auto g = r.read();
  CHECK(aligned(g.get()));
  CHECK(g->v == 9);
}

TEST_CASE("queue capacities that cannot be allocated are refused", "[lockfree]") {
  CHECK_THROWS_AS(el::mpmc_queue<int>(std::numeric_limits<std::size_t>::max()), std::length_error);
  CHECK_THROWS_AS(el::spsc_queue<int>(std::numeric_limits<std::size_t>::max() / 2), std::length_error);
}

namespace {
template <class Queue>
void check_capacity_limit() {
  // Before the limit, 2^48 ... 2^60 items passed the check and went to
  // operator new as 64-byte slots: petabytes (fatal under ASan).
  for (std::size_t n : electron::test::huge_sizes(64)) {
    CAPTURE(n);
    CHECK_THROWS_AS(Queue(n), std::length_error);
  }
  CHECK_THROWS_AS(Queue(Queue::max_capacity() + 1), std::length_error);
  Queue q(100);
  CHECK(q.capacity() >= 100);
  CHECK(q.try_push(typename Queue::value_type{}));
}
}  // namespace

TEMPLATE_TEST_CASE("queue capacities above max_capacity() are refused before allocating", "[lockfree][sizes]",
                   el::mpmc_queue<int>, el::spsc_queue<int>, el::mpmc_queue<std::string>, el::spsc_queue<std::string>,
                   el::mpmc_queue<wide>, el::spsc_queue<wide>) {
  check_capacity_limit<TestType>();
}

TEST_CASE("max_capacity() of the queues of int", "[lockfree][sizes]") {
  if constexpr (sizeof(std::size_t) >= 8) {
    CHECK(el::mpmc_queue<int>::max_capacity() == std::size_t{1} << 41);  // 64-byte slots in 2^47 bytes
    CHECK(el::spsc_queue<int>::max_capacity() % (std::size_t{1} << 41) == 0);
  }
}

// Types whose move may throw are refused where a throw would lose an item.
namespace {
struct throwing_move {
  throwing_move() = default;
  throwing_move(throwing_move&&) noexcept(false) {}
  throwing_move& operator=(throwing_move&&) noexcept(false) { return *this; }
};
struct throwing_assign {
  throwing_assign() = default;
  throwing_assign(throwing_assign&&) noexcept = default;
  throwing_assign& operator=(throwing_assign&&) noexcept(false) { return *this; }
};
template <template <class> class C, class T>
concept instantiable = requires {
  typename C<T>;
};
template <class C, class T>
concept pops_into = requires(C& c, T& out) {
  c.try_pop(out);
};
}  // namespace
static_assert(!instantiable<el::mpmc_queue, throwing_move> && !instantiable<el::stack, throwing_move>);
static_assert(instantiable<el::mpmc_queue, throwing_assign> && instantiable<el::stack, throwing_assign>);
static_assert(!pops_into<el::mpmc_queue<throwing_assign>, throwing_assign>);
static_assert(!pops_into<el::stack<throwing_assign>, throwing_assign>);
static_assert(pops_into<el::mpmc_queue<int>, int> && pops_into<el::stack<int>, int>);

// ---- mpmc_queue, threads ------------------------------------------------------

TEST_CASE("mpmc_queue: producers and consumers lose and duplicate nothing", "[lockfree][mpmc][threads]") {
  const std::uint64_t per = 20000 * static_cast<std::uint64_t>(stress_scale());
  for (const auto& [producers, consumers, capacity, blocking] :
       {std::tuple{1, 1, 4, false}, std::tuple{2, 2, 8, false}, std::tuple{3, 2, 2, true},
        std::tuple{2, 3, 64, true}}) {
    CAPTURE(producers, consumers, capacity, blocking);
    el::mpmc_queue<std::uint64_t> q(static_cast<std::size_t>(capacity));
    std::vector<std::vector<std::uint64_t>> popped(static_cast<std::size_t>(consumers));
    std::atomic<std::uint64_t> remaining{per * static_cast<std::uint64_t>(producers)};
    std::vector<std::thread> ts;
    for (int p = 0; p < producers; ++p) {
      ts.emplace_back([&, p, blocking = blocking] {
        for (std::uint64_t i = 0; i < per; ++i) {
          const std::uint64_t x = item(static_cast<std::uint64_t>(p), i);
          if (blocking) {
            q.push(x);
          } else {
            while (!q.try_push(x)) std::this_thread::yield();
          }
        }
      });
    }
    for (int c = 0; c < consumers; ++c) {
      ts.emplace_back([&, c, blocking = blocking] {
        auto& mine = popped[static_cast<std::size_t>(c)];
        for (;;) {
          // Claim an item to pop first, so no consumer blocks forever.
          std::uint64_t r = remaining.load();
          do {
            if (r == 0) return;
          } while (!remaining.compare_exchange_weak(r, r - 1));
          if (blocking) {
            mine.push_back(q.pop());
          } else {
            std::uint64_t x = 0;
            while (!q.try_pop(x)) std::this_thread::yield();
            mine.push_back(x);
          }
        }
      });
    }
    for (auto& t : ts) t.join();
    check_conservation(popped, static_cast<std::uint64_t>(producers), per);
    CHECK(q.empty_approx());
  }
}

TEST_CASE("mpmc_queue: blocking pop wakes for every push (no lost wakeup)", "[lockfree][mpmc][threads]") {
  // Ping-pong through two queues: each side blocks on every round, so a lost
  // wakeup would hang the test.
  el::mpmc_queue<int> ping(2), pong(2);
  const int rounds = 5000 * stress_scale();
  std::thread other([&] {
    for (int i = 0; i < rounds; ++i) pong.push(ping.pop() + 1);
  });
  int v = 0;
  for (int i = 0; i < rounds; ++i) {
    ping.push(v);
    v = pong.pop();
  }
  other.join();
  CHECK(v == rounds);
}

TEST_CASE("mpmc_queue: non-trivial items are destroyed exactly once under threads", "[lockfree][mpmc][threads]") {
  tracked::live = 0;
  {
    el::mpmc_queue<tracked> q(8);
    const std::uint64_t per = 5000 * static_cast<std::uint64_t>(stress_scale());
    std::atomic<std::uint64_t> sum{0};
    std::thread prod([&] {
      for (std::uint64_t i = 1; i <= per; ++i) q.push(tracked(i));
    });
    std::thread cons([&] {
      for (std::uint64_t i = 1; i <= per - 3; ++i) sum += q.pop().v;  // leave 3 behind
    });
    prod.join();
    cons.join();
    CHECK(sum == (per - 3) * (per - 2) / 2);
    CHECK(tracked::live == 3);
  }
  CHECK(tracked::live == 0);
}

// ---- spsc_queue ---------------------------------------------------------------

TEST_CASE("spsc_queue: FIFO against a model, front/pop_front, leftovers", "[lockfree][spsc]") {
  el::spsc_queue<int> q(3);
  CHECK(q.capacity() >= 3);
  const std::size_t cap = q.capacity();
  CHECK(el::spsc_queue<int>(1000).capacity() >= 1000);
  CHECK(q.front() == nullptr);
  std::deque<int> model;
  std::mt19937 rng(2);
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 2 == 0) {
      const int v = static_cast<int>(rng() % 1000);
      const bool ok = q.try_push(v);
      REQUIRE(ok == (model.size() < cap));
      if (ok) model.push_back(v);
    } else if (rng() % 2 == 0) {
      auto got = q.try_pop();
      REQUIRE(got.has_value() == !model.empty());
      if (got) {
        CHECK(*got == model.front());
        model.pop_front();
      }
    } else {
      int* f = q.front();
      REQUIRE((f != nullptr) == !model.empty());
      if (f != nullptr) {
        CHECK(*f == model.front());
        q.pop_front();
        model.pop_front();
      }
    }
    REQUIRE(q.size_approx() == model.size());
  }
  tracked::live = 0;
  {
    el::spsc_queue<tracked> t(8);
    for (std::uint64_t i = 0; i < 5; ++i) CHECK(t.try_emplace(i));
    tracked out;
    CHECK(t.try_pop(out));
    CHECK(out.v == 0);
    CHECK(tracked::live == 5);
  }
  CHECK(tracked::live == 0);
  el::spsc_queue<std::unique_ptr<int>> u(2);
  CHECK(u.try_push(std::make_unique<int>(1)));
  CHECK(**u.try_pop() == 1);
}

TEST_CASE("spsc_queue: one producer, one consumer, every item once and in order", "[lockfree][spsc][threads]") {
  const std::uint64_t n = 200000 * static_cast<std::uint64_t>(stress_scale());
  for (std::size_t cap : {std::size_t{2}, std::size_t{64}}) {
    el::spsc_queue<std::uint64_t> q(cap);
    std::thread prod([&] {
      for (std::uint64_t i = 0; i < n; ++i) {
        while (!q.try_push(i)) std::this_thread::yield();
      }
    });
    std::uint64_t expect = 0, bad = 0;
    while (expect < n) {
      std::uint64_t x = 0;
      if (q.try_pop(x)) {
        bad += x != expect;
        ++expect;
      }
    }
    prod.join();
    CHECK(bad == 0);
    CHECK(q.empty_approx());
  }
}

// ---- memory_resource upstream --------------------------------------------------

namespace {

// A memory_resource that serves blocks from its own buffer (never from
// operator new or malloc) and records each one, so a test can see every
// allocation a container makes go through it and come back once, with the
// size and alignment it was taken with.
class counting_resource final : public std::pmr::memory_resource {
 public:
  std::size_t allocations() const {
    const std::lock_guard<std::mutex> g(m_mutex);
    return m_count;
  }
  std::size_t live() const {
    const std::lock_guard<std::mutex> g(m_mutex);
    std::size_t n = 0;
    for (std::size_t i = 0; i < m_count; ++i) n += m_blocks[i].live ? 1 : 0;
    return n;
  }
  std::size_t mismatches() const {
    const std::lock_guard<std::mutex> g(m_mutex);
    return m_mismatches;
  }
  std::size_t largest_alignment() const {
    const std::lock_guard<std::mutex> g(m_mutex);
    return m_max_align;
  }

 private:
  struct block {
    void* p;
    std::size_t bytes, align;
    bool live;
  };
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    const std::lock_guard<std::mutex> g(m_mutex);
    const std::size_t start = (m_used + align - 1) / align * align;
    if (align > alignof(std::max_align_t) * 16 || start + bytes > sizeof(m_buffer) || m_count == max_blocks) {
      throw std::bad_alloc();
    }
    m_used = start + bytes;
    void* p = m_buffer + start;
    m_blocks[m_count++] = block{p, bytes, align, true};
    if (align > m_max_align) m_max_align = align;
    return p;
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    const std::lock_guard<std::mutex> g(m_mutex);
    for (std::size_t i = 0; i < m_count; ++i) {
      block& b = m_blocks[i];
      if (b.p == p && b.live) {
        if (b.bytes != bytes || b.align != align) ++m_mismatches;
        b.live = false;
        return;
      }
    }
    ++m_mismatches;  // not ours, or returned twice
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }

  static constexpr std::size_t max_blocks = 256;
  mutable std::mutex m_mutex;
  alignas(256) std::byte m_buffer[1 << 20];
  std::size_t m_used = 0;
  block m_blocks[max_blocks] = {};
  std::size_t m_count = 0;
  std::size_t m_mismatches = 0;
  std::size_t m_max_align = 0;
};

}  // namespace

TEST_CASE("queues and stack take every block from their memory_resource and give it back", "[lockfree][pmr]") {
  const auto r = std::make_unique<counting_resource>();
  tracked::live = 0;
  // Filled inside the no-allocation scope, checked after it (Catch's own
  // bookkeeping may allocate).
  bool upstreams = true, values = true;
  std::size_t live_mpmc = 0, live_spsc = 0, live_stack = 0, before_push = 0, after[3] = {};
  const auto result = et::check_no_alloc([&] {
    {
      el::mpmc_queue<tracked> q(1000, r.get());
      upstreams &= q.upstream() == r.get();
      for (std::uint64_t i = 0; i < 700; ++i) values &= q.try_emplace(i);
      for (std::uint64_t i = 0; i < 300; ++i) values &= q.try_pop()->v == i;
      live_mpmc = r->live();  // the ring: one block
    }
    after[0] = r->live();
    {
      el::spsc_queue<tracked> q(1000, r.get());
      upstreams &= q.upstream() == r.get();
      for (std::uint64_t i = 0; i < 500; ++i) values &= q.try_emplace(i);
      values &= q.try_pop()->v == 0;
      live_spsc = r->live();
    }
    after[1] = r->live();
    {
      el::stack<tracked> s(r.get());
      upstreams &= s.upstream() == r.get();
      before_push = r->allocations();                         // nothing until the first push
      for (std::uint64_t i = 0; i < 1000; ++i) s.emplace(i);  // chunks of 64, 128, ..., 1024 nodes
      values &= s.pop()->v == 999;
      live_stack = r->live();
    }
    after[2] = r->live();
  });
  CHECK(result);
  CHECK(upstreams);
  CHECK(values);
  CHECK(live_mpmc == 1);
  CHECK(live_spsc == 1);
  CHECK(before_push == 2);
  CHECK(live_stack == 5);
  CHECK((after[0] == 0 && after[1] == 0 && after[2] == 0));
  CHECK(tracked::live == 0);
  CHECK(r->allocations() == 7);
  CHECK(r->mismatches() == 0);
  CHECK(r->largest_alignment() >= electron::cache_line_size);  // slots and blocks are line-aligned

  // Over-aligned items: the resource is asked for their alignment.
  {
    el::mpmc_queue<wide> q(4, r.get());
    el::spsc_queue<wide> sq(4, r.get());
    CHECK(q.try_emplace(std::uint64_t{3}));
    CHECK(q.try_pop()->v == 3);
  }
  CHECK(r->largest_alignment() >= alignof(wide));
  CHECK(r->live() == 0);
  CHECK(r->mismatches() == 0);
}

TEST_CASE("the default upstream is new/delete", "[lockfree][pmr]") {
  el::mpmc_queue<int> q(4);
  el::spsc_queue<int> sq(4);
  el::stack<int> s;
  CHECK(q.upstream() == std::pmr::new_delete_resource());
  CHECK(sq.upstream() == std::pmr::new_delete_resource());
  CHECK(s.upstream() == std::pmr::new_delete_resource());
  static_assert(std::is_nothrow_default_constructible_v<el::stack<int>>);
  static_assert(!std::is_convertible_v<std::pmr::memory_resource*, el::stack<int>>);  // explicit
}

TEST_CASE("threads pushing onto a stack share its memory_resource safely", "[lockfree][pmr][stack][threads]") {
  const auto r = std::make_unique<counting_resource>();
  {
    el::stack<std::uint64_t> s(r.get());
    std::vector<std::thread> ts;
    for (std::uint64_t t = 0; t < 4; ++t) {
      ts.emplace_back([&, t] {
        for (std::uint64_t i = 0; i < 2000; ++i) s.push(t * 10000 + i);  // chunks allocated concurrently
      });
    }
    for (auto& t : ts) t.join();
    std::size_t n = 0;
    while (s.pop()) ++n;
    CHECK(n == 8000);
    CHECK(r->live() >= 7);  // 64 + ... + 4096 nodes hold 8000
  }
  CHECK(r->live() == 0);
  CHECK(r->mismatches() == 0);
}

#if ELECTRON_HAS_EXCEPTIONS
TEST_CASE("an upstream that fails: the queue is not built, the stack is unchanged", "[lockfree][pmr]") {
  CHECK_THROWS_AS(el::mpmc_queue<int>(8, std::pmr::null_memory_resource()), std::bad_alloc);
  CHECK_THROWS_AS(el::spsc_queue<int>(8, std::pmr::null_memory_resource()), std::bad_alloc);
  el::stack<int> s(std::pmr::null_memory_resource());
  CHECK_THROWS_AS(s.push(1), std::bad_alloc);
  CHECK(s.empty());
  CHECK(s.node_count() == 0);
  CHECK_FALSE(s.pop().has_value());
}
#endif

// ---- stack --------------------------------------------------------------------

TEST_CASE("stack: LIFO against a model, move-only, leftovers, node reuse", "[lockfree][stack]") {
  el::stack<int> s;
  CHECK(s.empty());
  CHECK_FALSE(s.pop().has_value());
  std::vector<int> model;
  std::mt19937 rng(3);
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 2 == 0) {
      const int v = static_cast<int>(rng());
      s.push(v);
      model.push_back(v);
    } else {
      auto got = s.pop();
      REQUIRE(got.has_value() == !model.empty());
      if (got) {
        CHECK(*got == model.back());
        model.pop_back();
      }
    }
  }
  CHECK(s.node_count() <= 200);  // nodes are reused: bounded by the high-water mark
  el::stack<std::unique_ptr<int>> u;
  u.push(std::make_unique<int>(4));
  u.emplace(new int(5));
  CHECK(**u.pop() == 5);
  tracked::live = 0;
  {
    el::stack<tracked> t;
    for (std::uint64_t i = 0; i < 100; ++i) t.emplace(i);  // crosses the first chunk (64 nodes)
    tracked out;
    CHECK(t.try_pop(out));
    CHECK(out.v == 99);
    CHECK(tracked::live == 100);
  }
  CHECK(tracked::live == 0);
}

TEST_CASE("stack: steady-state push/pop does not allocate", "[lockfree][stack]") {
  el::stack<std::uint64_t> s;
  for (std::uint64_t i = 0; i < 64; ++i) s.push(i);
  while (s.pop()) {
  }
  CHECK(et::check_no_alloc([&] {
    for (std::uint64_t i = 0; i < 1000; ++i) {
      s.push(i);
      s.push(i);
      (void)s.pop();
      (void)s.pop();
    }
  }));
}

#if ELECTRON_HAS_EXCEPTIONS
TEST_CASE("stack: a throwing constructor leaves the stack unchanged", "[lockfree][stack]") {
  struct picky {
    int v;
    explicit picky(int x) : v(x) {
      if (x < 0) throw std::invalid_argument("negative");
    }
  };
  el::stack<picky> s;
  s.emplace(1);
  CHECK_THROWS_AS(s.emplace(-1), std::invalid_argument);
  CHECK(s.pop()->v == 1);
  CHECK_FALSE(s.pop().has_value());
  s.emplace(2);
  CHECK(s.node_count() == 2);  // the node of the failed push was recycled, not lost
}
#endif

TEST_CASE("stack: threads pushing and popping lose and duplicate nothing", "[lockfree][stack][threads]") {
  const std::uint64_t per = 20000 * static_cast<std::uint64_t>(stress_scale());
  const int threads = 4;
  el::stack<std::uint64_t> s;
  std::vector<std::vector<std::uint64_t>> popped(threads);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::uint64_t next = 0;
      auto& mine = popped[static_cast<std::size_t>(t)];
      while (next < per) {
        if (rng() % 3 != 0) {
          s.push(item(static_cast<std::uint64_t>(t), next++));
        } else if (auto x = s.pop()) {
          mine.push_back(*x);
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  std::vector<std::uint64_t> rest;
  while (auto x = s.pop()) rest.push_back(*x);
  std::vector<std::uint8_t> seen(threads * per, 0);
  std::size_t dup = 0, total = 0;
  auto count = [&](std::uint64_t x) {
    dup += seen[producer_of(x) * per + seq_of(x)]++ != 0;
    ++total;
  };
  for (const auto& v : popped) std::for_each(v.begin(), v.end(), count);
  std::for_each(rest.begin(), rest.end(), count);
  CHECK(dup == 0);
  CHECK(total == threads * per);
}

// ---- rcu ----------------------------------------------------------------------

namespace {
// A value whose destructor poisons it: a reader of a deleted version sees
// the poison (and ASan reports the read).
struct config {
  static inline std::atomic<int> live{0};
  std::uint64_t a = 0, b = 0;  // invariant: b == 2 * a
  std::uint64_t magic = 0xC0FFEE;
  config() { ++live; }
  config(const config& o) : a(o.a), b(o.b), magic(o.magic) { ++live; }
  ~config() {
    magic = 0xDEAD;
    --live;
  }
};
}  // namespace

TEST_CASE("rcu: readers see one version; updates publish; old versions are reclaimed", "[lockfree][rcu]") {
  config::live = 0;
  {
    el::rcu<config> r;
    {
      auto g = r.read();
      CHECK(g->a == 0);
      CHECK(g->magic == 0xC0FFEEu);
    }
    r.update([](config& c) {
      c.a = 5;
      c.b = 10;
    });
    CHECK(r.read()->a == 5);
    CHECK(config::live == 1);  // the first version was deleted
    auto made = std::make_unique<config>();
    made->a = 7;
    made->b = 14;
    r.store(std::move(made));
    CHECK((*r.read()).b == 14);
    r.synchronize();  // no readers: returns at once
    const auto g = r.read();
    CHECK(g.get()->a == 7);
    // A guard on another rcu does not stop this one's writer (and does not
    // trip the debug check for waiting on oneself).
    el::rcu<config> other;
    other.update([](config& c) { c.a = 1; });
    CHECK(other.read()->a == 1);
  }
  CHECK(config::live == 0);
}

static_assert(!std::is_move_constructible_v<el::rcu<int>::read_guard>);
static_assert(!std::is_copy_constructible_v<el::rcu<int>::read_guard>);

TEST_CASE("rcu: synchronize() waits for readers that started before it", "[lockfree][rcu][threads]") {
  el::rcu<int> r(1);
  std::atomic<int> phase{0};
  std::atomic<bool> synced{false};
  std::thread reader([&] {
    const auto g = r.read();
    phase = 1;
    while (phase.load() != 2) std::this_thread::yield();
    // The writer's synchronize() cannot have returned while we hold g.
    CHECK_FALSE(synced.load());
  });
  while (phase.load() != 1) std::this_thread::yield();
  std::thread writer([&] {
    r.synchronize();
    synced = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  phase = 2;
  reader.join();
  writer.join();
  CHECK(synced);
}

TEST_CASE("rcu: a writer waits for a reader of the old version, and only for it", "[lockfree][rcu][threads]") {
  config::live = 0;
  el::rcu<config> r;
  std::atomic<bool> updated{false};
  std::thread writer;
  {
    auto g = r.read();  // holds version 0
    writer = std::thread([&] {
      r.update([](config& c) {
        c.a = 1;
        c.b = 2;
      });
      updated = true;
    });
    // While we hold the guard the old version must stay alive, whatever
    // the writer does; it cannot have finished update().
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      REQUIRE(g->magic == 0xC0FFEEu);
      REQUIRE_FALSE(updated.load());
    }
    CHECK(g->a == 0);
  }
  writer.join();
  CHECK(updated);
  CHECK(r.read()->a == 1);
  CHECK(config::live == 1);
}

TEST_CASE("rcu: readers under concurrent updates never see a deleted or torn version", "[lockfree][rcu][threads]") {
  config::live = 0;
  {
    el::rcu<config> r;
    const int updates = 300 * stress_scale();
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> bad{0}, reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
      readers.emplace_back([&] {
        std::uint64_t last = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          auto g = r.read();
          bad += g->magic != 0xC0FFEEu || g->b != 2 * g->a || g->a < last;  // versions only go forward
          last = g->a;
          ++reads;
        }
      });
    }
    std::thread writer([&] {
      for (int i = 1; i <= updates; ++i) {
        r.update([i](config& c) {
          c.a = static_cast<std::uint64_t>(i);
          c.b = 2 * c.a;
        });
      }
    });
    writer.join();
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(bad == 0);
    CHECK(reads > 0);
    CHECK(r.read()->a == static_cast<std::uint64_t>(updates));
    CHECK(config::live == 1);
  }
  CHECK(config::live == 0);
}

// ---- destroy after handoff -------------------------------------------------
// The consumer deletes the container as soon as it has taken the one item it
// expects, while the producer may still be inside push(). Any access of the
// producer to the container after the item became visible is a
// heap-use-after-free that ASan and TSan report (and that the pushes of the
// previous round, still running, would turn into corruption).

TEST_CASE("mpmc_queue: the consumer may destroy the queue right after its last pop", "[lockfree][mpmc][threads]") {
  for (int round = 0; round < 3000 * stress_scale(); ++round) {
    auto* q = new el::mpmc_queue<int>(4);
    std::thread producer([q] { q->push(7); });
    const int got = q->pop();  // may sleep: the push then wakes it
    delete q;
    producer.join();
    REQUIRE(got == 7);
  }
}

TEST_CASE("mpmc_queue: destroy after handoff with try_pop and two producers", "[lockfree][mpmc][threads]") {
  for (int round = 0; round < 1000 * stress_scale(); ++round) {
    auto* q = new el::mpmc_queue<int>(2);
    std::thread p1([q] { q->push(1); });
    std::thread p2([q] {
      while (!q->try_push(2)) std::this_thread::yield();
    });
    int sum = 0;
    for (int got = 0; got < 2;) {
      if (auto v = q->try_pop()) {
        sum += *v;
        ++got;
      }
    }
    delete q;
    p1.join();
    p2.join();
    REQUIRE(sum == 3);
  }
}

TEST_CASE("spsc_queue: the consumer may destroy the queue right after its last pop", "[lockfree][spsc][threads]") {
  for (int round = 0; round < 3000 * stress_scale(); ++round) {
    auto* q = new el::spsc_queue<int>(4);
    std::thread producer([q] {
      while (!q->try_push(7)) std::this_thread::yield();
    });
    std::optional<int> got;
    while (!(got = q->try_pop())) electron::detail::cpu_relax();
    delete q;
    producer.join();
    REQUIRE(*got == 7);
  }
}

TEST_CASE("stack: the popper may destroy the stack right after its last pop", "[lockfree][stack][threads]") {
  for (int round = 0; round < 3000 * stress_scale(); ++round) {
    auto* s = new el::stack<int>();
    std::thread producer([s] { s->push(7); });
    std::optional<int> got;
    while (!(got = s->pop())) electron::detail::cpu_relax();
    delete s;
    producer.join();
    REQUIRE(*got == 7);
  }
}

TEST_CASE("a thread's first queue and stack operations allocate nothing, its thread slot included",
          "[lockfree][alloc][threads]") {
  // mpmc_queue counts finished pushes and stack keeps spare nodes per thread
  // slot. Taking a slot registers its release at thread exit; a thread_local
  // with a destructor would make the C library allocate for that (seen by
  // the counter under ASan and TSan, which count malloc).
  el::mpmc_queue<int> q(8);
  el::stack<int> s;
  s.push(0);  // the first node chunk
  (void)s.pop();
  std::optional<et::check_result> r;
  std::thread([&] {
    r = et::check_no_alloc(
        [&] {
          (void)q.try_push(1);
          s.push(2);
          (void)s.pop();
        },
        et::scope_threads::this_thread);
  }).join();
  REQUIRE(r.has_value());
  CHECK(*r);
  CHECK(q.try_pop() == 1);
}

TEST_CASE("stack: threads that come and go do not strand nodes", "[lockfree][stack][threads]") {
  // Each short-lived thread pushes one item and pops it: the stack never
  // holds more than one (two while threads overlap), so neither may its
  // node count grow with the number of threads.
  el::stack<std::uint64_t> s;
  constexpr int threads = 2000;
  for (int i = 0; i < threads; ++i) {
    std::thread t([&s, i] {
      s.push(static_cast<std::uint64_t>(i));
      (void)s.pop();
    });
    t.join();
  }
  CHECK(s.node_count() == 1);
  CHECK(s.empty());
  // Two at a time: at most two items at once.
  for (int i = 0; i < threads / 2; ++i) {
    std::thread a([&s] {
      s.push(1);
      (void)s.pop();
    });
    std::thread b([&s] {
      s.push(2);
      (void)s.pop();
    });
    a.join();
    b.join();
  }
  CHECK(s.node_count() <= 2);
  CHECK(s.empty());
}
