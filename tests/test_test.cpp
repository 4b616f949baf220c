// SPDX-License-Identifier: MIT
// Tests for electron/test.hpp: the allocation counter, check_no_alloc,
// check_leaks, the benchmark helpers, the fuzz helpers and the contract kit.
#include "electron/test.hpp"

#include "electron_catch.hpp"

#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <memory_resource>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace et = electron::test;

TEST_CASE("the counter is installed in the test binaries", "[test][alloc]") { CHECK(et::counting_allocations()); }

TEST_CASE("alloc_scope counts a deliberate allocation, its bytes and its free", "[test][alloc]") {
  // Counts are read into locals before any CHECK: a failing CHECK allocates.
  et::alloc_scope scope;
  auto* p = new std::uint64_t[25];
  et::do_not_optimize(p);
  const et::alloc_counts after_new = scope.counts();
  const std::int64_t live_n = scope.live_allocations(), live_b = scope.live_bytes();
  delete[] p;
  const et::alloc_counts after_delete = scope.counts();
  const std::int64_t end_n = scope.live_allocations(), end_b = scope.live_bytes();
  scope.reset();
  const et::alloc_counts after_reset = scope.counts();
  CHECK(after_new.allocations == 1);
  CHECK(after_new.bytes_allocated == 200);
  CHECK(live_n == 1);
  CHECK(live_b == 200);
  CHECK(after_delete.deallocations == 1);
  CHECK(after_delete.bytes_freed == 200);
  CHECK(end_n == 0);
  CHECK(end_b == 0);
  CHECK(after_reset.allocations == 0);
}

TEST_CASE("alloc_scope counts over-aligned and nothrow allocations", "[test][alloc]") {
  struct alignas(128) wide {
    char c[300];
  };
  et::alloc_scope scope;
  auto* w = new wide;
  et::do_not_optimize(w);
  const bool aligned = reinterpret_cast<std::uintptr_t>(w) % 128 == 0;
  std::memset(w->c, 1, sizeof w->c);  // ASan: the whole object is usable
  const std::uint64_t bytes = scope.bytes_allocated();
  delete w;
  auto* q = new (std::nothrow) int(3);
  et::do_not_optimize(q);
  const std::uint64_t count = scope.allocations();
  delete q;
  const std::int64_t live = scope.live_bytes();
  CHECK(aligned);
  CHECK(bytes == sizeof(wide));
  CHECK(count == 2);
  CHECK(live == 0);
#if !ELECTRON_ASAN && !ELECTRON_TSAN                             // the sanitizers report a huge request as fatal
  volatile std::size_t huge = static_cast<std::size_t>(-1) - 8;  // volatile: no compile-time size warning
  CHECK_THROWS_AS(::operator new(huge), std::bad_alloc);
#endif
}

TEST_CASE("over-aligned operator new: every alignment and size, counted exactly", "[test][alloc]") {
  // Sizes around the alignment, where an off-by-one in the hand alignment
  // would hand out a short or misaligned block (ASan reports the former).
  for (const std::size_t align : {32u, 64u, 256u, 4096u, 65536u}) {
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, align - 1, align, align + 1, 3 * align + 7}) {
      et::alloc_scope scope;
      void* p = ::operator new (n, std::align_val_t{align});
      et::do_not_optimize(p);
      const bool aligned = reinterpret_cast<std::uintptr_t>(p) % align == 0;
      if (n != 0) std::memset(p, 0xA5, n);
      const std::uint64_t bytes = scope.bytes_allocated();
      ::operator delete (p, std::align_val_t{align});
      const std::int64_t live = scope.live_bytes();
      const std::uint64_t frees = scope.counts().deallocations;
      INFO("align " << align << " size " << n);
      CHECK(aligned);
      CHECK(frees == 1);
      // The sanitizers' hooks see their own allocators' sizes, and for a
      // zero-byte request those differ (ASan reports 1 byte both ways; TSan
      // 0 at malloc and 1 at free), so only the counts are checked there.
      if (n != 0 || !(ELECTRON_ASAN || ELECTRON_TSAN)) {
        CHECK(bytes == n);
        CHECK(live == 0);
      }
    }
  }
#if !ELECTRON_ASAN && !ELECTRON_TSAN  // the sanitizers report a huge request as fatal
  volatile std::size_t huge = static_cast<std::size_t>(-1) - 64;
  CHECK_THROWS_AS(::operator new (huge, std::align_val_t{64}), std::bad_alloc);
#endif
}

TEST_CASE("check_no_alloc passes clean code and catches an allocation", "[test][alloc]") {
  std::vector<int> v(100, 1);
  int sum = 0;
  CHECK(et::check_no_alloc([&] {
    for (int x : v) sum += x;
  }));
  CHECK(sum == 100);
  const et::check_result r = et::check_no_alloc([&] {
    std::string s(100, 'x');  // beyond any small-string buffer
    et::do_not_optimize(s);
  });
  CHECK_FALSE(r);
  CHECK(r.message.find("1 allocation") != std::string::npos);
}

TEST_CASE("check_leaks catches a deliberate leak and passes balanced code", "[test][alloc]") {
  CHECK(et::check_leaks([] {
    std::map<int, std::string> m;
    for (int i = 0; i < 50; ++i) m[i] = std::string(40, 'a');
  }));
  int* leaked = nullptr;
  const et::check_result r = et::check_leaks([&] {
    leaked = new int[8];
    et::do_not_optimize(leaked);
  });
  CHECK_FALSE(r);
  CHECK(r.message.find("leak: 1 allocation(s) of 32 bytes") != std::string::npos);
  delete[] leaked;
}

TEST_CASE("alloc_scope: this_thread ignores other threads, all_threads does not", "[test][alloc]") {
  std::atomic<bool> go{false};
  std::thread t([&] {
    while (!go.load()) std::this_thread::yield();
    for (int i = 0; i < 10; ++i) {
      auto p = std::make_unique<int>(i);
      et::do_not_optimize(p);
    }
  });
  // Scopes start after std::thread allocated its own state on this thread.
  et::alloc_scope mine(et::scope_threads::this_thread);
  et::alloc_scope all(et::scope_threads::all_threads);
  go.store(true);
  t.join();
  CHECK(mine.allocations() == 0);
  CHECK(all.allocations() >= 10);
  const et::check_result r = et::check_no_alloc([] {
    std::thread u([] {
      auto p = std::make_unique<int>(1);
      et::do_not_optimize(p);
    });
    u.join();
  });
  CHECK_FALSE(r);  // the default scope sees allocations of threads fn starts
}

// A stand-in with the parts of benchmark::State the helpers use.
struct fake_counter {
  enum flags { kDefaults = 0, kAvgIterations = 1 };
  double value = 0;
  flags f = kDefaults;
  fake_counter() = default;
  fake_counter(double v, flags fl) : value(v), f(fl) {}
};
struct fake_state {
  std::map<std::string, fake_counter> counters;
  std::size_t iterations = 5;
  std::string error;
  struct iterator {
    std::size_t left;
    bool operator!=(const iterator& o) const { return left != o.left; }
    iterator& operator++() {
      --left;
      return *this;
    }
    int operator*() const { return 0; }
  };
  iterator begin() { return {iterations}; }
  iterator end() { return {0}; }
  void SkipWithError(const char* e) { error = e; }
};

TEST_CASE("bench_allocs reports totals averaged per iteration", "[test][bench]") {
  fake_state state;
  int runs = 0;
  et::bench_allocs(state, [&] {
    ++runs;
    auto p = std::make_unique<std::uint64_t[]>(8);
    et::do_not_optimize(p);
  });
  CHECK(runs == 5);
  CHECK(state.error.empty());
  REQUIRE(state.counters.count("allocs/op") == 1);
  CHECK(state.counters["allocs/op"].value == 5.0);  // the helper sums; the flag averages
  CHECK(state.counters["allocs/op"].f == fake_counter::kAvgIterations);
  CHECK(state.counters["bytes/op"].value == 5.0 * 64);
}

TEST_CASE("fuzz_bytes: a true property passes, a false one is found and shrunk", "[test][fuzz]") {
  CHECK(et::fuzz_bytes([](std::span<const std::byte> s) { return s.size() <= 256; }));
  // Planted bug: fails on any input holding the byte 0x80 after a 'a'.
  auto buggy = [](std::span<const std::byte> s) {
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i - 1] == std::byte{'a'} && s[i] == std::byte{0x80}) return false;
    }
    return true;
  };
  const et::check_result r = et::fuzz_bytes(buggy, {.seed = 3, .runs = 5000});
  REQUIRE_FALSE(r);
  INFO(r.message);
  CHECK(r.message.find("property returned false") != std::string::npos);
  CHECK(r.message.find("shrunk from") != std::string::npos);
  CHECK(r.message.find("to 2 bytes: \"a\\x80\"") != std::string::npos);  // minimal input, as a literal
  // Same seed, same report: reproducible.
  CHECK(et::fuzz_bytes(buggy, {.seed = 3, .runs = 5000}).message == r.message);
}

TEST_CASE("fuzz_string: exceptions are failures with their message", "[test][fuzz]") {
  const et::check_result r = et::fuzz_string([](std::string_view s) {
    if (s.find('\n') != std::string_view::npos) throw std::runtime_error("newline");
  });
  REQUIRE_FALSE(r);
  CHECK(r.message.find("property threw: newline") != std::string::npos);
  CHECK(r.message.find("to 1 bytes: \"\\x0a\"") != std::string::npos);
  CHECK(et::fuzz_string([](std::string_view s) { return s.size() < 1000; }));
}

TEST_CASE("fuzz inputs cover the edge cases first", "[test][fuzz]") {
  std::vector<std::size_t> sizes;
  bool saw_ff = false;
  CHECK(et::fuzz_bytes(
      [&](std::span<const std::byte> s) {
        sizes.push_back(s.size());
        if (s.size() == 1 && s[0] == std::byte{0xff}) saw_ff = true;
      },
      {.runs = 10, .max_size = 64}));
  REQUIRE(sizes.size() == 15);
  CHECK(sizes[0] == 0);
  CHECK(sizes[3] == 64);
  CHECK(saw_ff);
}

TEST_CASE("check_result streams its message", "[test]") {
  std::ostringstream os;
  os << et::check_result{false, "boom"} << '|' << et::check_result{};
  CHECK(os.str() == "boom|ok");
}

static_assert(et::byte_property<bool (*)(std::span<const std::byte>)>);
static_assert(!et::byte_property<bool (*)(std::string_view)>);
static_assert(et::string_property<void (*)(std::string_view)>);
static_assert(!et::string_property<std::string (*)(std::string_view)>);

TEST_CASE("fail_nth_allocation makes exactly the chosen allocation throw", "[test][alloc]") {
  if (!et::allocation_failures_supported()) {
    SUCCEED("a sanitizer owns operator new here: fault injection is not available");
    return;
  }
  std::vector<std::unique_ptr<int>> got;
  bool threw = false;
  {
    et::fail_nth_allocation f(3);
    CHECK_FALSE(f.fired());
    try {
      for (int i = 0; i < 5; ++i) got.push_back(std::make_unique<int>(i));  // vector growth allocates too
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    CHECK(f.fired());
  }
  CHECK(threw);
  // Off again after the scope: allocation works.
  auto p = std::make_unique<int>(5);
  CHECK(*p == 5);
}

TEST_CASE("huge_sizes: every size that wraps when rounded up, then the large powers of two", "[test][sizes]") {
  const std::vector<std::size_t> sizes = et::huge_sizes(64);
  constexpr std::size_t max = static_cast<std::size_t>(-1);
  REQUIRE(sizes.size() == (sizeof(std::size_t) >= 8 ? 69u : 64u));
  for (std::size_t k = 0; k < 64; ++k) CHECK(sizes[k] == max - k);
  // Every size that wraps around when rounded up to 64 is in the list: the
  // first one that does not wrap is SIZE_MAX - 63.
  const auto round_up = [](std::size_t n) { return (n + 63) & ~std::size_t{63}; };
  for (std::size_t k = 0; k < 63; ++k) CHECK(round_up(max - k) < max - k);
  CHECK(round_up(max - 63) == max - 63);
  if constexpr (sizeof(std::size_t) >= 8) {
    CHECK(sizes[64] == std::size_t{1} << 48);
    CHECK(sizes.back() == std::size_t{1} << 63);
  }
  CHECK(et::huge_sizes(1).size() == sizes.size() - 63);
}

TEST_CASE("refuses_size: length_error and bad_alloc are refusals; a return is not; others propagate", "[test][sizes]") {
  CHECK(et::refuses_size([] { throw std::length_error("too long"); }));
  CHECK(et::refuses_size([] { throw std::bad_alloc(); }));
  CHECK(et::refuses_size([] { throw std::bad_array_new_length(); }));  // a bad_alloc
  int calls = 0;
  CHECK_FALSE(et::refuses_size([&] { ++calls; }));
  CHECK(calls == 1);
  CHECK_THROWS_AS(et::refuses_size([] { throw std::out_of_range("other"); }), std::out_of_range);
  std::vector<int> v;
  CHECK(et::refuses_size([&] { v.reserve(v.max_size() + 1); }));
  CHECK(v.capacity() == 0);
}

// ===========================================================================
// The contract kit
// ===========================================================================

TEST_CASE("failing_allocator: a standard allocator whose copies and rebinds share one control", "[test][kit]") {
  using A = et::failing_allocator<int>;
  STATIC_REQUIRE(std::is_nothrow_default_constructible_v<A>);
  STATIC_REQUIRE(std::is_same_v<std::allocator_traits<A>::rebind_alloc<double>, et::failing_allocator<double>>);
  STATIC_REQUIRE(std::allocator_traits<A>::propagate_on_container_move_assignment::value);
  STATIC_REQUIRE(!std::allocator_traits<A>::is_always_equal::value);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<std::vector<int, A>>);

  et::allocation_control ctl, other;
  const A a(ctl);
  const et::failing_allocator<double> rebound(a);
  CHECK(rebound == a);
  CHECK(rebound.control() == &ctl);
  CHECK(A(other) != a);
  CHECK(A() == A());  // the shared default control
  CHECK(A() != a);
  {
    std::vector<int, A> v(a);
    for (int i = 0; i < 100; ++i) v.push_back(i);
    CHECK(ctl.allocations() >= 2);
    CHECK(ctl.live() == 1);
    CHECK(ctl.live_bytes() == v.capacity() * sizeof(int));
    std::vector<int, A> w(v);  // copies share the budget
    CHECK(ctl.live() == 2);
  }
  CHECK(ctl.live() == 0);
  CHECK(ctl.live_bytes() == 0);
  CHECK(ctl.deallocations() == ctl.allocations());
  CHECK(ctl.errors() == 0);
  CHECK(ctl.failures() == 0);
  CHECK(other.allocations() == 0);
}

TEST_CASE("failing_allocator: the n-th allocation and every later one fail until disarmed", "[test][kit]") {
  et::allocation_control ctl;
  et::failing_allocator<std::uint64_t> a(ctl);
  ctl.fail_nth(3);
  std::uint64_t* p1 = a.allocate(1);
  std::uint64_t* p2 = a.allocate(2);
  CHECK_THROWS_AS(a.allocate(1), std::bad_alloc);
  CHECK_THROWS_AS(a.allocate(1), std::bad_alloc);
  CHECK(ctl.failures() == 2);
  CHECK(ctl.allocations() == 2);
  ctl.disarm();
  std::uint64_t* p3 = a.allocate(1);
  a.deallocate(p1, 1);
  a.deallocate(p2, 2);
  a.deallocate(p3, 1);
  CHECK(ctl.live() == 0);
  // Counting restarts with each fail_nth.
  ctl.fail_nth(1);
  CHECK_THROWS_AS(a.allocate(1), std::bad_alloc);
  ctl.fail_nth(0);
  a.deallocate(a.allocate(1), 1);
  // Requests above a size.
  ctl.fail_above(80);
  a.deallocate(a.allocate(10), 10);
  CHECK_THROWS_AS(a.allocate(11), std::bad_alloc);
  CHECK_THROWS_AS(a.allocate(a.max_size() + 1), std::bad_array_new_length);
  ctl.disarm();
  CHECK(ctl.live() == 0);
  CHECK(ctl.errors() == 0);
}

TEST_CASE("failing_allocator: over-aligned types", "[test][kit]") {
  struct alignas(128) wide {
    char c[200];
  };
  et::allocation_control ctl;
  et::failing_allocator<wide> a(ctl);
  wide* p = a.allocate(3);
  CHECK(reinterpret_cast<std::uintptr_t>(p) % 128 == 0);
  std::memset(p, 1, 3 * sizeof(wide));
  a.deallocate(p, 3);
  CHECK(ctl.live_bytes() == 0);
}

TEST_CASE("allocation_control: a second free is an error", "[test][kit]") {
  et::allocation_control ctl;
  ctl.allocated(16);
  ctl.deallocated(16);
  CHECK(ctl.errors() == 0);
  ctl.deallocated(16);
  CHECK(ctl.errors() == 1);
}

TEST_CASE("failing_resource: fails like the allocator and counts what its upstream serves", "[test][kit]") {
  et::failing_resource r;
  CHECK(r.is_equal(r));
  et::failing_resource other;
  CHECK_FALSE(r.is_equal(other));
  {
    std::pmr::vector<int> v(&r);
    v.resize(10);
    CHECK(r.control().live() == 1);
    r.control().fail_nth(1);
    CHECK_THROWS_AS(v.resize(1000), std::bad_alloc);
    CHECK(v.size() == 10);
    r.control().disarm();
    r.control().fail_above(4000);
    CHECK_THROWS_AS(v.resize(1001), std::bad_alloc);
    v.resize(999);
    r.control().disarm();
  }
  CHECK(r.control().live() == 0);
  CHECK(r.control().errors() == 0);
  CHECK(r.control().failures() == 2);
}

TEST_CASE("check_allocation_failures: tries every failure point and catches a broken guarantee", "[test][kit]") {
  et::allocation_control ctl;
  using V = std::vector<int, et::failing_allocator<int>>;
  const et::failing_allocator<int> alloc(ctl);
  V v(alloc);
  v.assign({1, 2, 3});
  // Copying a vector of 3 vectors makes 4 allocations: 4 failure points, then success.
  std::size_t points = 0;
  std::vector<V> outer;
  CHECK(et::check_allocation_failures(
      ctl,
      [&] {
        std::vector<V> next(3, v);
        outer.swap(next);
      },
      [&] {
        ++points;
        return outer.empty();
      }));
  CHECK(points == 3);  // the outer vector's buffer is std::allocator's: only the 3 inner ones can fail
  CHECK(outer.size() == 3);

  // A non-strong operation is caught: two pushes, the first one stays.
  V w(alloc);
  const et::check_result r = et::check_allocation_failures(
      ctl,
      [&] {
        w.push_back(1);
        w.reserve(100);
      },
      [&] { return w.empty(); });
  CHECK_FALSE(r);
  CHECK(r.message.find("allocation 2") != std::string::npos);

  // An operation that never stops failing.
  const et::check_result never = et::check_allocation_failures(
      ctl, [] { throw std::bad_alloc(); }, [] { return true; }, 5);
  CHECK_FALSE(never);
}

TEST_CASE("throwing_value: the n-th copy or move throws; noexcept moves by choice", "[test][kit]") {
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<et::throwing_value<true>>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<et::throwing_value<true>>);
  STATIC_REQUIRE(!std::is_nothrow_move_constructible_v<et::throwing_value<false>>);
  STATIC_REQUIRE(!std::is_nothrow_copy_constructible_v<et::throwing_value<true>>);

  et::throwing_value<false> a(1);
  et::throwing_value_fail_nth(3);
  et::throwing_value<false> b(a);                                      // 1
  et::throwing_value<false> c(std::move(b));                           // 2
  CHECK_THROWS_AS(et::throwing_value<false>(c), et::planned_failure);  // 3
  CHECK_THROWS_AS(c = a, et::planned_failure);                         // and later ones
  et::throwing_value_disarm();
  c = a;
  CHECK(c == a);
  CHECK(c.value() == 1);

  // With noexcept moves only copies count and throw.
  et::throwing_value<true> x(5);
  et::throwing_value_fail_nth(1);
  et::throwing_value<true> y(std::move(x));
  y = std::move(x);
  CHECK_THROWS_AS(et::throwing_value<true>(y), et::planned_failure);
  et::throwing_value_disarm();
  CHECK(y.value() == 5);

  // std::vector copies (not moves) elements whose move may throw when it grows.
  std::vector<et::throwing_value<false>> v(4);
  v.shrink_to_fit();
  et::throwing_value_fail_nth(2);
  CHECK_THROWS_AS(v.push_back(et::throwing_value<false>(9)), et::planned_failure);
  et::throwing_value_disarm();
  CHECK(v.size() == 4);  // strong guarantee
}

TEST_CASE("hostile_operators: operator& and operator, are useless; std::addressof works", "[test][kit]") {
  et::hostile_operators h(3);
  CHECK(&h == nullptr);
  CHECK(std::addressof(h) != nullptr);
  CHECK(std::addressof(h)->value == 3);
  STATIC_REQUIRE(std::is_same_v<decltype(h, 1), et::useless>);
  std::vector<et::hostile_operators> v{1, 2, 3};  // the standard containers use std::addressof
  v.push_back(4);
  CHECK(v.back() == et::hostile_operators(4));
}

TEST_CASE("lifetime_tracked: balanced lifetimes pass; a leak and a double destruction fail", "[test][kit]") {
  using L = et::lifetime_tracked;
  CHECK(et::check_lifetimes([] {
    std::vector<L> v(3);
    v.push_back(L(7));
    std::vector<L> w = v;
    w = std::move(v);
    CHECK(w.back().value() == 7);
  }));
  const et::lifetime_counts before = et::current_lifetime_counts();
  {
    L a(1);
    L b(a);
    L c(std::move(b));
  }
  const et::lifetime_counts after = et::current_lifetime_counts();
  CHECK(after.constructions - before.constructions == 3);
  CHECK(after.destructions - before.destructions == 3);
  CHECK(after.copies - before.copies == 1);
  CHECK(after.moves - before.moves == 1);

  alignas(L) unsigned char storage[sizeof(L)];
  L* leaked = nullptr;
  const et::check_result leak = et::check_lifetimes([&] { leaked = ::new (static_cast<void*>(storage)) L(2); });
  CHECK_FALSE(leak);
  CHECK(leak.message.find("1 constructed, 0 destroyed") != std::string::npos);
  const et::check_result twice = et::check_lifetimes([&] {
    leaked->~L();
    leaked->~L();  // the error the type exists to catch
  });
  CHECK_FALSE(twice);
  CHECK(twice.message.find("1 destroyed twice") != std::string::npos);
}

TEST_CASE("self_move_assign and self_copy_assign assign an object to itself", "[test][kit]") {
  std::string s = "kept";
  et::self_copy_assign(s);
  CHECK(s == "kept");
  std::vector<int> v{1, 2};
  et::self_move_assign(v);
  CHECK(v.size() <= 2);  // valid: unchanged or empty
}
