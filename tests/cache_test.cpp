// SPDX-License-Identifier: MIT
// Tests of electron/cache.hpp: layout guarantees of padded<T> and
// cache_line_pad, construction and access, and that padded neighbours are
// on different cache lines.
#include "electron/cache.hpp"

#include "electron_catch.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ec = electron::cache;

namespace {
struct big {
  char bytes[100];
};
struct pinned {  // neither copyable nor movable: only in-place construction works
  int a, b;
  pinned(int x, int y) : a(x), b(y) {}
  pinned(const pinned&) = delete;
};
}  // namespace

static_assert(electron::cache_line_size == electron::cache_line_size);
static_assert(ec::false_sharing_range >= electron::cache_line_size &&
              ec::false_sharing_range % electron::cache_line_size == 0);
static_assert(sizeof(ec::cache_line_pad) == electron::cache_line_size &&
              alignof(ec::cache_line_pad) == electron::cache_line_size);
static_assert(sizeof(ec::padded<char>) == electron::cache_line_size &&
              alignof(ec::padded<char>) == electron::cache_line_size);
static_assert(sizeof(ec::padded<std::atomic<std::uint64_t>>) == electron::cache_line_size);
static_assert(sizeof(ec::padded<big>) == 2 * electron::cache_line_size);  // rounded up to whole lines
static_assert(sizeof(ec::padded<int, 128>) == 128 && alignof(ec::padded<int, 128>) == 128);
static_assert(ec::padded<int, 128>::alignment == 128);
static_assert(std::is_trivially_destructible_v<ec::padded<int>>);
static_assert(std::is_nothrow_default_constructible_v<ec::padded<int>>);
static_assert(!std::is_copy_constructible_v<ec::padded<std::unique_ptr<int>>>);
static_assert(std::is_move_constructible_v<ec::padded<std::unique_ptr<int>>>);
static_assert(!std::is_default_constructible_v<ec::padded<pinned>>);
// Implicit exactly when T's conversion is.
static_assert(std::is_convertible_v<int, ec::padded<long>>);
static_assert(!std::is_convertible_v<std::size_t, ec::padded<std::vector<int>>>);
static_assert(std::is_constructible_v<ec::padded<std::vector<int>>, std::size_t>);
static_assert(!std::is_convertible_v<int*, ec::padded<std::unique_ptr<int>>>);
// constexpr use
static_assert([] {
  ec::padded<int> p = 41;
  ++*p;
  return p.get();
}() == 42);

TEST_CASE("padded: construction and access", "[cache]") {
  ec::padded<std::string> s(std::in_place, std::size_t{3}, 'x');
  CHECK(*s == "xxx");
  CHECK(s->size() == 3);
  s.get() += "y";
  CHECK(std::as_const(s).get() == "xxxy");
  ec::padded<std::string> t = std::string("moved");
  CHECK(*t == "moved");
  ec::padded<pinned> p(std::in_place, 1, 2);
  CHECK(p->a + p->b == 3);
  ec::padded<std::unique_ptr<int>> u(std::make_unique<int>(5));
  ec::padded<std::unique_ptr<int>> v(std::move(u));
  CHECK(**v == 5);
  CHECK(*u == nullptr);
  std::string out = std::move(t).get();
  CHECK(out == "moved");
  ec::padded<int> zero;
  CHECK(*zero == 0);  // value-initialised
}

TEST_CASE("padded: neighbours never share a cache line", "[cache]") {
  std::vector<ec::padded<std::atomic<int>>> counters(8);
  for (std::size_t i = 0; i < counters.size(); ++i) {
    const auto a = reinterpret_cast<std::uintptr_t>(&*counters[i]);
    CHECK(a % electron::cache_line_size == 0);
    if (i > 0) CHECK(a - reinterpret_cast<std::uintptr_t>(&*counters[i - 1]) >= electron::cache_line_size);
  }
  struct two {
    ec::padded<std::atomic<int>, ec::false_sharing_range> x;
    ec::padded<std::atomic<int>, ec::false_sharing_range> y;
  } t;
  const auto dx = reinterpret_cast<std::uintptr_t>(&*t.y) - reinterpret_cast<std::uintptr_t>(&*t.x);
  CHECK(dx >= ec::false_sharing_range);
}

namespace {
// A type whose unary operator& lies: code that takes &x instead of
// std::addressof(x) gets nullptr.
struct address_liar {
  int v = 7;
  address_liar* operator&() noexcept { return nullptr; }
  const address_liar* operator&() const noexcept { return nullptr; }
};
}  // namespace

TEST_CASE("cache::padded: operator-> is the object's address when T overloads operator&", "[cache]") {
  ec::padded<address_liar> p;
  const ec::padded<address_liar>& cp = p;
  CHECK(p.operator->() == std::addressof(p.get()));
  CHECK(cp.operator->() == std::addressof(cp.get()));
  CHECK(p->v == 7);
}
