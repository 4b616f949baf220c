// SPDX-License-Identifier: MIT
// Tests for electron/result.hpp: result<T, E>, a value or an error.
#include "electron/result.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace {
using int_result = electron::result<int, std::errc>;
using string_result = electron::result<std::string, std::string>;

constexpr int_result half(int v) {
  if (v % 2 != 0) return int_result::failure(std::errc::invalid_argument);
  return v / 2;
}
}  // namespace

// Usable in constant expressions, as the parse functions that return it are.
static_assert(half(8).has_value() && half(8).value() == 4 && *half(8) == 4);
static_assert(!half(3) && half(3).error() == std::errc::invalid_argument);
static_assert(half(3).value_or(-1) == -1 && half(6).value_or(-1) == 3);
static_assert(std::is_nothrow_copy_constructible_v<int_result> && std::is_trivially_destructible_v<int_result>);
static_assert(!std::is_constructible_v<int_result, std::string>);

TEST_CASE("result: a value, or an error, never both", "[result]") {
  const int_result ok = 42;
  CHECK(ok.has_value());
  CHECK(static_cast<bool>(ok));
  CHECK(ok.value() == 42);
  const int_result bad = int_result::failure(std::errc::result_out_of_range);
  CHECK_FALSE(bad.has_value());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.error() == std::errc::result_out_of_range);
  CHECK(bad.value_or(7) == 7);
}

TEST_CASE("result: owning values and errors move, copy and self-assign", "[result]") {
  string_result v = std::string(100, 'v');
  string_result e = string_result::failure(std::string(100, 'e'));
  string_result v2 = v;
  CHECK(v2.value() == std::string(100, 'v'));
  string_result e2 = std::move(e);
  CHECK((!e2 && e2.error() == std::string(100, 'e')));
  v2 = e2;  // a value becomes an error
  CHECK((!v2 && v2.error() == std::string(100, 'e')));
  electron::test::self_copy_assign(v);
  CHECK(v.has_value());
  CHECK(v->size() == 100);
  std::string taken = std::move(v).value();
  CHECK(taken == std::string(100, 'v'));
  // Self-move keeps the alternative (the string's own self-move decides its contents).
  electron::test::self_move_assign(e2);
  CHECK(!e2);
  // A move-only value.
  electron::result<std::unique_ptr<int>, int> p = std::make_unique<int>(5);
  REQUIRE(p);
  CHECK(**p == 5);
}

TEST_CASE("result: building and reading one allocates nothing beyond its values", "[result][alloc]") {
  int sum = 0;
  const auto check = electron::test::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) {
      const int_result r = half(i);
      sum += r ? *r : r.value_or(0);
    }
  });
  CHECK(static_cast<bool>(check));
  CHECK(sum == 124750);  // 0 + 1 + ... + 499: the halves of the even i; odd i add 0
}
