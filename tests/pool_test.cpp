// SPDX-License-Identifier: MIT
// Tests for electron/pool.hpp: object_pool, buffer_pool, sized_pool and
// arena_of_pools, including multi-threaded model checks (run under TSan in CI).
#include "electron/pool.hpp"

#include "child_process.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ep = electron::pool;
namespace et = electron::test;

namespace {

// Iterations scale with ELECTRON_STRESS (the "stress" ctest label sets it).
// Under ASan/TSan the counter also sees malloc, and the C library mallocs
// for a thread's first thread_local destructor and for new threads' control
// blocks (which it caches). Do that once before measuring.
void warm_up_threads(int n) {
  ep::buffer_pool p;
  p.put(p.get(1));
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i) ts.emplace_back([&] { p.put(p.get(1)); });
  for (auto& t : ts) t.join();
}

using electron::test::stress_scale;

struct context {
  static inline std::atomic<int> live{0};
  static inline std::atomic<int> resets{0};
  int value = 0;
  std::string text;
  context() { ++live; }
  context(const context&) = delete;
  ~context() { --live; }
  void reset() {
    value = 0;
    text.clear();
    ++resets;
  }
};

}  // namespace

static_assert(ep::resettable<context> && !ep::resettable<int>);
static_assert(ep::context_pool<ep::object_pool<context>> && !ep::context_pool<std::vector<int>>);
static_assert(ep::buffer_source<ep::buffer_pool> && !ep::buffer_source<ep::object_pool<context>>);

TEST_CASE("object_pool: objects come back reset and are reused", "[pool][object_pool]") {
  context::live = 0;
  {
    ep::object_pool<context> pool;
    context* c = pool.get();
    CHECK(c->value == 0);
    c->value = 42;
    c->text = "dirty";
    const int resets = context::resets;
    pool.put(c);
    CHECK(context::resets == resets + 1);
    context* d = pool.get();
    CHECK(d == c);  // the thread cache hands back the object just returned
    CHECK(d->value == 0);
    CHECK(d->text.empty());
    pool.reset(d);
    CHECK(context::resets == resets + 2);
    pool.put(d);
    pool.put(nullptr);  // ignored
    {
      auto h = pool.acquire();
      h->value = 1;
    }  // returned here
    CHECK(pool.get() == c);
    pool.put(c);
    CHECK(context::live == 1);
  }
  CHECK(context::live == 0);  // the pool destroyed its idle object
}

TEST_CASE("object_pool: custom reset function", "[pool][object_pool]") {
  struct plain {
    int n = 0;
  };
  auto zero = [](plain& p) { p.n = -1; };
  ep::object_pool<plain, decltype(zero)> pool(16, 4, zero);
  plain* p = pool.get();
  p->n = 9;
  pool.put(p);
  plain* q = pool.get();
  CHECK(q->n == -1);
  pool.put(q);  // (debug builds abort if the pool dies with objects out)
}

TEST_CASE("object_pool: retention is bounded and trim() frees idle objects", "[pool][object_pool]") {
  context::live = 0;
  ep::object_pool<context> pool(/*max_retained=*/4, /*thread_cache=*/2);
  std::vector<context*> out;
  for (int i = 0; i < 20; ++i) out.push_back(pool.get());
  CHECK(context::live == 20);
  for (context* c : out) pool.put(c);
  // At most 2 in this thread's cache and 4 in the depot; the rest destroyed.
  CHECK(context::live <= 6);
  CHECK(context::live >= 2);
  pool.trim();
  CHECK(context::live == 0);
}

TEST_CASE("object_pool: steady state allocates nothing", "[pool][object_pool][alloc]") {
  ep::object_pool<context> pool;
  std::vector<context*> v;
  for (int i = 0; i < 8; ++i) v.push_back(pool.get());
  for (context* c : v) pool.put(c);
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) {
      context* a = pool.get();
      context* b = pool.get();
      pool.put(a);
      pool.put(b);
    }
  }));
}

#if ELECTRON_ASSERTS_ENABLED
TEST_CASE("object_pool: double put and foreign put are caught in debug builds", "[pool][object_pool][assert]") {
  const auto twice = electron_tests::run_in_child([] {
    ep::object_pool<context> pool;
    context* c = pool.get();
    pool.put(c);
    pool.put(c);
  });
  CHECK(twice.signaled);
  CHECK(twice.signal == SIGABRT);
  const auto foreign = electron_tests::run_in_child([] {
    ep::object_pool<context> a, b;
    context* c = a.get();
    b.put(c);
  });
  CHECK(foreign.signaled);
  CHECK(foreign.signal == SIGABRT);
  const auto leaked = electron_tests::run_in_child([] {
    ep::object_pool<context> a;
    static_cast<void>(a.get());  // still out when the pool dies
  });
  CHECK(leaked.signaled);
}

TEST_CASE("pooled buffer: resize beyond capacity is caught in debug builds", "[pool][buffer_pool][assert]") {
  std::string err;
  const auto past = electron_tests::run_in_child(
      [] {
        ep::buffer_pool pool;
        auto b = pool.get(100);
        b.resize(b.capacity() + 1);
      },
      &err);
  CHECK(past.signaled);
  CHECK(past.signal == SIGABRT);
  CHECK(err.find("resize beyond capacity") != std::string::npos);
  const auto at = electron_tests::run_in_child([] {
    ep::buffer_pool pool;
    auto b = pool.get(100);
    b.resize(b.capacity());  // the whole capacity: fine
  });
  CHECK_FALSE(at.signaled);
  CHECK(at.exit_code == 0);
}
#endif

TEST_CASE("buffer_pool: classes, capacities and alignment", "[pool][buffer_pool]") {
  using c = ep::pow2_classes;
  CHECK(c::class_of(0) == 0);
  CHECK(c::class_of(512) == 0);
  CHECK(c::class_of(513) == 1);
  CHECK(c::class_of(1024) == 1);
  CHECK(c::class_of(4096) == 3);
  CHECK(c::class_of(4u << 20) == 13);
  CHECK(c::class_of((4u << 20) + 1) == c::count);
  for (std::size_t n = 0; n <= (4u << 20); n = n * 3 / 2 + 1) {
    const std::size_t k = c::class_of(n);
    REQUIRE(k < c::count);
    REQUIRE(c::capacity(k, n) >= n);
    REQUIRE((k == 0 || c::capacity(k - 1, n) < n));  // the smallest class that fits
  }
  ep::buffer_pool pool;
  for (std::size_t n : {0u, 1u, 511u, 512u, 513u, 4096u, 100000u, 4u << 20, 5u << 20}) {
    auto b = pool.get(n);
    CHECK(b.size() == n);
    CHECK(b.capacity() >= n);
    CHECK(reinterpret_cast<std::uintptr_t>(b.data()) % 64 == 0);
    std::memset(b.data(), 0xab, b.capacity());  // the whole capacity is usable (ASan)
  }
  auto b = pool.get(100);
  b.resize(512);
  CHECK(b.size() == 512);
  b.resize(0);
  CHECK(b.empty());
  CHECK(b.capacity() == 512);
  static_assert(noexcept(b.resize(1)));  // a precondition (ELECTRON_ASSERT), not a throw
  b.give_back();
  CHECK(b.data() == nullptr);
  CHECK(b.capacity() == 0);
  b.give_back();  // nothing on an empty handle
  CHECK(pool.get(512).capacity() == 512);
}

TEST_CASE("buffer_pool: reuse, oversize requests and steady state", "[pool][buffer_pool][alloc]") {
  ep::buffer_pool pool;
  std::byte* first = nullptr;
  {
    auto b = pool.get(4000);
    first = b.data();
  }
  {
    auto b = pool.get(3000);  // same class: the same buffer
    CHECK(b.data() == first);
    auto c = std::move(b);
    CHECK(b.data() == nullptr);  // NOLINT(bugprone-use-after-move)
    CHECK(c.data() == first);
    pool.put(std::move(c));
  }
  et::alloc_scope scope;
  for (int i = 0; i < 3; ++i) {
    auto big = pool.get(8u << 20);  // over 4 MiB: allocated and freed every time
    et::do_not_optimize(big.data());
  }
  const std::uint64_t big_allocs = scope.allocations();
  CHECK(big_allocs == 3);
  CHECK_FALSE(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) {
      auto x = pool.get(4096);
      auto y = pool.get(600);
      auto z = pool.get(60000);
      et::do_not_optimize(x.data());
    }
  }));  // first use of the 600 B and 60000 B classes allocates...
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) {
      auto x = pool.get(4096);
      auto y = pool.get(600);
      auto z = pool.get(60000);
      et::do_not_optimize(x.data());
    }
  }));  // ...and after that nothing does
}

TEMPLATE_TEST_CASE("buffer pools refuse a size above max_size() before allocating and stay usable",
                   "[pool][buffer_pool][sized_pool][sizes]", ep::buffer_pool, ep::sized_pool) {
  TestType pool;
  std::byte* idle = nullptr;
  {
    auto b = pool.get(4096);
    idle = b.data();
  }  // idle in this thread's cache
  constexpr std::size_t classes =
      std::is_same_v<TestType, ep::buffer_pool> ? ep::pow2_classes::count : ep::four_classes::count;
  std::size_t depot[classes] = {};
  for (std::size_t c = 0; c < classes; ++c) depot[c] = pool.depot_size(c);
  // Before the fix, libstdc++'s aligned operator new rounded SIZE_MAX - k up
  // to 64, which wrapped around: a buffer of size() ~ SIZE_MAX in a few bytes.
  for (std::size_t n : et::huge_sizes(TestType::buffer_alignment)) {
    CAPTURE(n);
    CHECK_THROWS_AS((void)pool.get(n), std::length_error);
  }
  CHECK_THROWS_AS((void)pool.get(TestType::max_size() + 1), std::length_error);
  for (std::size_t c = 0; c < classes; ++c) CHECK(pool.depot_size(c) == depot[c]);
  auto b = pool.get(4096);
  CHECK(b.data() == idle);  // the cached buffer is still there
  CHECK(b.size() == 4096);
  std::memset(b.data(), 0x5a, b.capacity());
}

TEST_CASE("object_pool: a thread cache above max_thread_cache is refused", "[pool][object_pool][sizes]") {
  using pool_type = ep::object_pool<context>;
  CHECK_THROWS_AS(pool_type(16, pool_type::max_thread_cache + 1), std::length_error);
  CHECK_THROWS_AS(pool_type(16, 0xFFFFFFFFu), std::length_error);
  pool_type pool(16, pool_type::max_thread_cache);
  pool.put(pool.get());
}

TEST_CASE("buffer_pool: retention is bounded, trim() returns memory", "[pool][buffer_pool][alloc]") {
  ep::buffer_pool_options opt;
  opt.max_retained_bytes_per_class = 2 * 4096;  // two 4 KiB buffers in the depot
  opt.thread_cache_bytes_per_class = 4096;      // one in this thread's cache
  warm_up_threads(0);
  et::alloc_scope scope;
  {
    ep::buffer_pool pool(opt);
    std::vector<ep::pooled_buffer> held;
    for (int i = 0; i < 10; ++i) held.push_back(pool.get(4096));
    held.clear();
    CHECK(pool.depot_size(3) <= 2);
    CHECK(scope.live_bytes() <= static_cast<std::int64_t>(3 * 4096 + 4096));  // plus the depot's vector
    pool.trim();
    CHECK(pool.depot_size(3) == 0);
  }
  CHECK(scope.live_bytes() == 0);
}

TEST_CASE("sized_pool: four classes, the largest of several capacities", "[pool][sized_pool]") {
  using c = ep::four_classes;
  CHECK(c::class_of(100) == 0);
  CHECK(c::class_of(1024) == 0);
  CHECK(c::class_of(1025) == 1);
  CHECK(c::class_of(8192) == 1);
  CHECK(c::class_of(8193) == 2);
  CHECK(c::class_of(65536) == 2);
  CHECK(c::class_of(65537) == 3);
  ep::sized_pool pool;
  CHECK(pool.get(100).capacity() == 1024);
  CHECK(pool.get(2000).capacity() == 8192);
  CHECK(pool.get(10000).capacity() == 65536);
  std::byte* huge = nullptr;
  {
    auto b = pool.get(100000);
    CHECK(b.capacity() == 131072);
    huge = b.data();
  }
  {
    auto b = pool.get(70000);  // fits in the idle 128 KiB buffer
    CHECK(b.data() == huge);
    CHECK(b.capacity() == 131072);
  }
  {
    auto b = pool.get(200000);  // the idle one is too small: replaced
    CHECK(b.capacity() == 262144);
  }
  CHECK(et::check_leaks([] {
    ep::sized_pool p;
    for (std::size_t n = 1; n < 1000000; n *= 3) {
      auto b = p.get(n);
      et::do_not_optimize(b.data());
    }
  }));
}

// Many threads get, fill, hand over and put buffers; a model checks that no
// buffer is out twice at once and that each one's contents survive intact.
TEST_CASE("buffer_pool: cross-thread get/put against a model", "[pool][buffer_pool][threads]") {
  const int threads = 4;
  const int ops = 3000 * stress_scale();
  std::atomic<int> violations{0};
  std::size_t left_in_model = 0;
  warm_up_threads(threads);
  CHECK(et::check_leaks([&] {
    std::mutex model_mutex;
    std::unordered_map<const std::byte*, int> out;  // buffer -> holder
    std::mutex queue_mutex;
    std::deque<ep::pooled_buffer> handoff;  // buffers got on one thread, put on another
    ep::buffer_pool pool;
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        std::mt19937 rng(static_cast<unsigned>(t));
        std::vector<ep::pooled_buffer> mine;
        auto check_out = [&](ep::pooled_buffer& b) {
          std::lock_guard<std::mutex> lock(model_mutex);
          if (!out.emplace(b.data(), t).second) ++violations;  // handed out twice
        };
        auto check_in = [&](ep::pooled_buffer& b, int owner) {
          for (std::size_t i = 0; i < b.size(); i += 61)
            if (b.data()[i] != static_cast<std::byte>(owner)) ++violations;  // someone else wrote here
          std::lock_guard<std::mutex> lock(model_mutex);
          if (out.erase(b.data()) != 1) ++violations;
        };
        for (int i = 0; i < ops; ++i) {
          const auto op = static_cast<unsigned>(rng() % 4);
          if (op < 2 || mine.empty()) {
            const std::size_t n = (std::size_t{1} << (rng() % 15)) + rng() % 300;
            ep::pooled_buffer b = pool.get(n);
            if (b.capacity() < n) ++violations;
            check_out(b);
            std::memset(b.data(), t, b.size());
            mine.push_back(std::move(b));
          } else if (op == 2) {
            check_in(mine.back(), t);
            mine.pop_back();  // returned on this thread
          } else {
            // Give one away: it is checked and put by whichever thread takes it.
            {
              std::lock_guard<std::mutex> lock(model_mutex);
              out[mine.back().data()] = -1;
            }
            std::memset(mine.back().data(), 0x7f, mine.back().size());
            std::lock_guard<std::mutex> lock(queue_mutex);
            handoff.push_back(std::move(mine.back()));
            mine.pop_back();
          }
          ep::pooled_buffer taken;
          {
            std::lock_guard<std::mutex> lock(queue_mutex);
            if (!handoff.empty() && rng() % 2 == 0) {
              taken = std::move(handoff.front());
              handoff.pop_front();
            }
          }
          if (taken.data() != nullptr) check_in(taken, 0x7f);
        }
        for (auto& b : mine) check_in(b, t);
      });
    }
    for (auto& th : ts) th.join();
    for (auto& b : handoff) {
      if (out.erase(b.data()) != 1) ++violations;
    }
    handoff.clear();
    left_in_model = out.size();
  }));  // the pool, its caches and every buffer are freed by here
  CHECK(violations == 0);
  CHECK(left_in_model == 0);
}

TEST_CASE("object_pool: many threads, no object out twice, none lost", "[pool][object_pool][threads]") {
  const int threads = 4;
  const int ops = 5000 * stress_scale();
  std::atomic<int> violations{0};
  context::live = 0;
  {
    ep::object_pool<context> pool(64, 8);
    std::mutex m;
    std::unordered_set<const context*> out;
    std::vector<context*> shared;  // objects got on one thread and put on another
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        std::mt19937 rng(static_cast<unsigned>(t + 100));
        std::vector<context*> mine;
        for (int i = 0; i < ops; ++i) {
          const auto op = static_cast<unsigned>(rng() % 3);
          if (op == 0 || mine.empty()) {
            context* c = pool.get();
            if (c->value != 0 || !c->text.empty()) ++violations;  // not reset
            c->value = t + 1;
            c->text.assign(20, 'a');
            std::lock_guard<std::mutex> lock(m);
            if (!out.insert(c).second) ++violations;
            mine.push_back(c);
          } else {
            context* c = mine.back();
            mine.pop_back();
            if (op == 2) {  // hand it to whoever comes next
              std::lock_guard<std::mutex> lock(m);
              shared.push_back(c);
              continue;
            }
            if (c->value != t + 1) ++violations;
            {
              std::lock_guard<std::mutex> lock(m);
              if (out.erase(c) != 1) ++violations;
            }
            pool.put(c);
          }
          context* from_other = nullptr;
          {
            std::lock_guard<std::mutex> lock(m);
            if (!shared.empty()) {
              from_other = shared.back();
              shared.pop_back();
              if (out.erase(from_other) != 1) ++violations;
            }
          }
          if (from_other != nullptr) pool.put(from_other);
        }
        std::lock_guard<std::mutex> lock(m);
        for (context* c : mine) {
          if (out.erase(c) != 1) ++violations;
          pool.put(c);
        }
      });
    }
    for (auto& th : ts) th.join();
    for (context* c : shared) {
      out.erase(c);
      pool.put(c);
    }
    CHECK(out.empty());
  }
  CHECK(violations == 0);
  CHECK(context::live == 0);  // every object destroyed exactly once: none lost, none twice
}

// ---------------------------------------------------------------------------
// arena_of_pools
// ---------------------------------------------------------------------------
namespace {
struct request_ctx {
  int id = 0;
  std::vector<int> scratch;
  void reset() {
    id = 0;
    scratch.clear();  // keeps capacity: no allocation next time
  }
};
}  // namespace

TEST_CASE("arena_of_pools: a request loop allocates nothing once warm", "[pool][arena_of_pools][alloc]") {
  ep::arena_of_pools<request_ctx> mem;
  auto request = [&](int i) {
    request_ctx* ctx = mem.allocate_context();
    ctx->id = i;
    for (int k = 0; k < 16; ++k) ctx->scratch.push_back(k);
    auto header = mem.allocate_buffer(512);
    auto body = mem.allocate_buffer(4096);
    auto reply = mem.allocate_buffer(16384);
    std::memset(body.data(), i, body.size());
    std::string_view path = mem.make_string("/api/v1/items/12345");
    std::string_view user = mem.make_string("user-name");
    const bool ok = path.size() == 19 && user == "user-name" && ctx->scratch.size() == 16 && reply.size() == 16384 &&
                    header.capacity() >= 512;
    mem.release_context(ctx);
    mem.reset();
    return ok;
  };
  for (int i = 0; i < 10; ++i) REQUIRE(request(i));
  bool all_ok = true;
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) all_ok = request(i) && all_ok;
  }));
  CHECK(all_ok);
}

namespace {
// A bump allocator and a context pool of the user's own: they plug in.
struct counting_bump {
  electron::arena::arena inner;
  int resets = 0;
  void* allocate(std::size_t n, std::size_t a) { return inner.allocate(n, a); }
  void reset() {
    ++resets;
    inner.reset();
  }
};
struct fixed_ctx_pool {
  using value_type = request_ctx;
  using pointer = request_ctx*;
  request_ctx slots[2];
  bool used[2] = {false, false};
  pointer get() {
    for (int i = 0; i < 2; ++i)
      if (!used[i]) {
        used[i] = true;
        return &slots[i];
      }
    return nullptr;
  }
  void put(pointer p) {
    reset(p);
    used[p - slots] = false;
  }
  void reset(pointer p) { p->reset(); }
};
}  // namespace

TEST_CASE("arena_of_pools: user types satisfying the concepts plug in", "[pool][arena_of_pools]") {
  static_assert(electron::arena::bump_allocator<counting_bump> && ep::context_pool<fixed_ctx_pool>);
  ep::arena_of_pools<request_ctx, counting_bump, fixed_ctx_pool, ep::sized_pool> mem;
  request_ctx* a = mem.allocate_context();
  request_ctx* b = mem.allocate_context();
  CHECK(a != b);
  CHECK(mem.allocate_context() == nullptr);  // that pool holds two
  mem.release_context(a);
  CHECK(mem.allocate_context() == a);
  auto buf = mem.allocate_buffer(3000);
  CHECK(buf.capacity() == 8192);
  CHECK(mem.make_string("abc") == "abc");
  mem.reset();
  CHECK(mem.get_arena().resets == 1);
}

TEST_CASE("sized_pool: the variable class respects the byte bounds", "[pool][sized_pool][alloc]") {
  ep::buffer_pool_options opt;
  opt.max_retained_bytes_per_class = 8u << 20;  // two 4 MiB-equivalents in the depot
  opt.thread_cache_bytes_per_class = 1;         // one buffer per thread cache
  warm_up_threads(0);
  et::alloc_scope scope;
  {
    ep::sized_pool pool(opt);
    std::vector<ep::sized_pool::buffer> held;
    for (int i = 0; i < 16; ++i) held.push_back(pool.get(3u << 20));  // 3 MiB each
    held.clear();
    // At most 1 cached + 2 in the depot stay: about 9 MiB, not 48.
    CHECK(scope.live_bytes() <= static_cast<std::int64_t>(10u << 20));
    auto big = pool.get(5u << 20);  // above 4 MiB: served, not pooled
    CHECK(big.capacity() >= (5u << 20));
  }
  CHECK(scope.live_bytes() == 0);
}

TEST_CASE("object_pool: trim() also frees what exited threads cached", "[pool][object_pool][threads]") {
  context::live = 0;
  ep::object_pool<context> pool(0, 32);  // nothing in the depot: all in thread caches
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      std::vector<context*> v;
      for (int i = 0; i < 10; ++i) v.push_back(pool.get());
      for (context* c : v) pool.put(c);
    });
  }
  for (auto& th : ts) th.join();
  CHECK(context::live > 0);  // cached by threads that are gone
  pool.trim();
  CHECK(context::live == 0);
}

namespace {
// Serves small blocks from the heap and refuses anything over 1 MiB, so that
// sizes an arena passes on are refused without asking the system for them.
class small_blocks_only final : public std::pmr::memory_resource {
 public:
  std::size_t refused = 0;

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    if (n > (std::size_t{1} << 20)) {
      ++refused;
      throw std::bad_alloc();
    }
    return std::pmr::new_delete_resource()->allocate(n, a);
  }
  void do_deallocate(void* p, std::size_t n, std::size_t a) override {
    std::pmr::new_delete_resource()->deallocate(p, n, a);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};
}  // namespace

TEST_CASE("arena_of_pools: sizes its parts cannot serve are refused and it stays usable",
          "[pool][arena_of_pools][sizes]") {
  small_blocks_only upstream;
  ep::arena_of_pools<request_ctx> mem(std::piecewise_construct, std::forward_as_tuple(std::size_t{4096}, &upstream),
                                      std::forward_as_tuple(), std::forward_as_tuple());
  CHECK(mem.make_string("first") == "first");
  const std::size_t used = mem.get_arena().bytes_used();
  const char text[] = "the bytes behind every view below; none is read";
  for (std::size_t n : et::huge_sizes(64)) {
    CAPTURE(n);
    CHECK_THROWS_AS((void)mem.allocate_buffer(n), std::length_error);
    // A view this long cannot exist: the size must be refused before a byte
    // of it is read (the arena's max_size(), or its upstream).
    CHECK_THROWS_AS((void)mem.make_string(std::string_view(text, n)), std::bad_alloc);
  }
  CHECK(mem.get_arena().bytes_used() == used);
  CHECK(mem.make_string("second") == "second");
  auto b = mem.allocate_buffer(4096);
  std::memset(b.data(), 1, b.size());
}

TEST_CASE("arena_of_pools: parts built in place", "[pool][arena_of_pools]") {
  ep::buffer_pool_options opt;
  opt.max_retained_bytes_per_class = 1u << 20;
  ep::arena_of_pools<request_ctx> mem(std::piecewise_construct, std::forward_as_tuple(std::size_t{256} * 1024),
                                      std::forward_as_tuple(std::size_t{8}, std::uint32_t{4}),
                                      std::forward_as_tuple(opt));
  request_ctx* c = mem.allocate_context();
  CHECK(mem.make_string("in place") == "in place");
  CHECK(mem.get_arena().bytes_reserved() >= 256 * 1024);
  mem.release_context(c);
  static_assert(noexcept(mem.reset()));
}

// ---------------------------------------------------------------------------
// Upstream memory resource
// ---------------------------------------------------------------------------
namespace {
// Counts what goes through it; forwards to new_delete_resource(), so each of
// its allocations is also one allocation the test kit counts. Fails the
// fail_at-th allocation (1-based) when fail_at > 0.
class counting_resource final : public std::pmr::memory_resource {
 public:
  std::atomic<long> allocations{0};
  std::atomic<long> deallocations{0};
  std::atomic<long long> live_bytes{0};
  std::atomic<bool> misaligned{false};
  long fail_at = 0;

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    if (fail_at != 0 && allocations + 1 == fail_at) {
      fail_at = 0;
      throw std::bad_alloc();
    }
    void* p = std::pmr::new_delete_resource()->allocate(n, a);
    if (reinterpret_cast<std::uintptr_t>(p) % a != 0) misaligned = true;
    ++allocations;
    live_bytes += static_cast<long long>(n);
    return p;
  }
  void do_deallocate(void* p, std::size_t n, std::size_t a) override {
    ++deallocations;
    live_bytes -= static_cast<long long>(n);
    std::pmr::new_delete_resource()->deallocate(p, n, a);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

struct alignas(64) wide_object {
  unsigned char bytes[64];
  void reset() { std::memset(bytes, 0, sizeof bytes); }
};
}  // namespace

TEST_CASE("object_pool: every allocation comes from the upstream resource and goes back",
          "[pool][object_pool][upstream]") {
  warm_up_threads(1);
  counting_resource up;
  long system = 0;
  long objects_freed_by_trim = 0;
  {
    et::alloc_scope scope;
    {
      ep::object_pool<context> pool(4, 2, {}, &up);
      context* out[16];
      for (auto& c : out) c = pool.get();
      for (auto* c : out) pool.put(c);  // 2 cached, 4 in the depot, the rest destroyed
      const long before_trim = up.deallocations;
      pool.trim();
      objects_freed_by_trim = up.deallocations - before_trim;
      for (auto& c : out) c = pool.get();
      for (auto* c : out) pool.put(c);
    }
    system = static_cast<long>(scope.allocations());
  }
  CHECK(up.allocations >= 32 + 1);        // two rounds of 16 objects, and the thread's cache
  CHECK(objects_freed_by_trim == 6 + 1);  // six idle objects (2 cached, 4 in the depot) and the depot array
  CHECK(system == up.allocations);        // nothing went to operator new behind its back
  CHECK(up.deallocations == up.allocations);
  CHECK(up.live_bytes == 0);
  CHECK_FALSE(up.misaligned);

  // Over-aligned objects, and a second thread's cache.
  counting_resource wide_up;
  {
    ep::object_pool<wide_object> pool(8, 4, {}, &wide_up);
    CHECK(pool.upstream() == &wide_up);
    wide_object* a = pool.get();
    CHECK(reinterpret_cast<std::uintptr_t>(a) % 64 == 0);
    const long before = wide_up.allocations;
    std::thread([&] { pool.put(pool.get()); }).join();
    CHECK(wide_up.allocations == before + 2);  // one object and that thread's cache
    pool.put(a);
  }
  CHECK(wide_up.deallocations == wide_up.allocations);
  CHECK(wide_up.live_bytes == 0);
  CHECK_FALSE(wide_up.misaligned);
}

TEMPLATE_TEST_CASE("buffer pools: every allocation comes from the upstream resource and goes back",
                   "[pool][buffer_pool][upstream]", ep::buffer_pool, ep::sized_pool) {
  warm_up_threads(1);
  counting_resource up;
  long system = 0;
  bool upstream_ok = false;
  {
    et::alloc_scope scope;
    {
      TestType pool({}, &up);
      upstream_ok = pool.upstream() == &up;
      const std::size_t sizes[] = {0, 1, 512, 513, 4096, 70000, 1u << 20, (4u << 20) + 1, 9u << 20};
      for (int round = 0; round < 3; ++round) {
        for (std::size_t n : sizes) {
          auto b = pool.get(n);
          if (n != 0) std::memset(b.data(), 0x5a, b.capacity());
        }
        if (round == 1) pool.trim();
      }
    }
    system = static_cast<long>(scope.allocations());
  }
  CHECK(upstream_ok);
  CHECK(up.allocations > 9);
  CHECK(system == up.allocations);
  CHECK(up.deallocations == up.allocations);
  CHECK(up.live_bytes == 0);
  CHECK_FALSE(up.misaligned);  // 64-byte buffers
}

#if ELECTRON_HAS_EXCEPTIONS
namespace {
struct throws_once {
  static inline bool fail = false;
  int value = 0;
  throws_once() {
    if (fail) {
      fail = false;
      throw std::runtime_error("constructor failed");
    }
  }
  void reset() { value = 0; }
};
}  // namespace

TEST_CASE("object_pool: a constructor that throws gives its memory back to the upstream",
          "[pool][object_pool][upstream]") {
  counting_resource up;
  {
    ep::object_pool<throws_once> pool(8, 2, {}, &up);
    throws_once::fail = true;
    CHECK_THROWS_AS((void)pool.get(), std::runtime_error);
    throws_once* p = pool.get();  // usable afterwards
    CHECK(p->value == 0);
    pool.put(p);
    throws_once* q = pool.get();  // p again, from the cache
    CHECK(q == p);
    up.fail_at = up.allocations + 1;  // the next object's memory
    CHECK_THROWS_AS((void)pool.get(), std::bad_alloc);
    CHECK(up.fail_at == 0);  // it was asked for
    pool.put(q);
  }
  CHECK(up.deallocations == up.allocations);
  CHECK(up.live_bytes == 0);
}

TEST_CASE("buffer_pool: an upstream that fails at any allocation leaves the pool consistent",
          "[pool][buffer_pool][upstream]") {
  // Every allocation point in turn: a buffer, a thread cache, depot growth.
  counting_resource up;
  for (long n = 1;; ++n) {
    bool threw = false;
    bool hit = false;
    {
      ep::buffer_pool_options opt;
      opt.thread_cache_bytes_per_class = 512;  // one buffer per thread cache: puts reach the depot
      ep::buffer_pool pool(opt, &up);
      up.fail_at = up.allocations + n;
      try {
        std::vector<ep::pooled_buffer> held;
        held.reserve(8);
        for (int i = 0; i < 8; ++i) held.push_back(pool.get(512));
        held.clear();  // the depot grows here; a failure frees the buffer instead
        for (int i = 0; i < 8; ++i) held.push_back(pool.get(512));
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      hit = up.fail_at == 0;  // the resource clears it when it fails
      up.fail_at = 0;
      auto b = pool.get(512);  // usable afterwards
      CHECK(b.capacity() == 512);
    }
    CHECK(up.deallocations == up.allocations);
    CHECK(up.live_bytes == 0);
    if (!hit) {
      CHECK_FALSE(threw);
      CHECK(n > 3);  // buffers, the thread cache and the depot were all failed in turn
      break;
    }
  }
}
#endif

namespace {
// A value type whose unary operator& lies (returns nullptr), as a user's
// smart-reference type may. The pool must hand out the object's real address.
struct ampersand_liar {
  int value = 0;
  void reset() noexcept { value = 0; }
  ampersand_liar* operator&() noexcept { return nullptr; }              // NOLINT(google-runtime-operator)
  const ampersand_liar* operator&() const noexcept { return nullptr; }  // NOLINT(google-runtime-operator)
};
}  // namespace

TEST_CASE("object_pool: get() returns the object's address even when T overloads operator&",
          "[pool][object_pool][contract]") {
  ep::object_pool<ampersand_liar> p(4, 2);
  ampersand_liar* a = p.get();  // before the fix: &n->value, the nullptr from operator&
  REQUIRE(a != nullptr);
  a->value = 7;
  ampersand_liar* b = p.get();
  REQUIRE(b != nullptr);
  CHECK(b != a);
  CHECK(b->value == 0);
  p.put(a);
  ampersand_liar* c = p.get();  // the pooled one again, reset
  CHECK(c == a);
  CHECK(c->value == 0);
  {
    auto h = p.acquire();
    CHECK(h.get() != nullptr);
    h->value = 3;
  }
  p.put(b);
  p.put(c);
}
