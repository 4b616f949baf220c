// SPDX-License-Identifier: MIT
// dense's contract cases: soa and column_store tried with the kit of
// electron/test.hpp (hostile operators, throwing copies, failing
// allocations, self-assignment, sizes near SIZE_MAX). docs/contracts.md
// lists them; tests/contract_test.cpp runs the generic cases (copy/move and
// the strong guarantee of growth) on soa too.
#include "electron/dense.hpp"
#include "electron/test.hpp"

#include "electron_catch.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace et = electron::test;
namespace ed = electron::dense;

namespace {
// Moves never throw (the columns' buffers change hands), so a vector of
// these containers moves them when it grows.
static_assert(std::is_nothrow_move_constructible_v<electron::dense::soa<std::string, double>>);
static_assert(std::is_nothrow_move_constructible_v<electron::dense::column_store>);

// Sizes operator new would be asked for: a sanitizer's allocator aborts on
// them instead of throwing std::bad_alloc, so those builds try column_store
// (which has no allocator to fail) only above max_size() (all SIZE_MAX - k).
bool allocator_may_see(std::size_t n) {
  return (ELECTRON_ASAN || ELECTRON_TSAN) && n <= (std::numeric_limits<std::size_t>::max() >> 1);
}
}  // namespace

TEST_CASE("contract: soa holds a type that overloads operator& and operator, and keeps lifetimes balanced",
          "[contract][addressof][lifetime][dense]") {
  CHECK(et::check_lifetimes([] {
    ed::soa<et::hostile_operators, et::lifetime_tracked> s;
    for (int i = 0; i < 100; ++i) s.emplace_back(i, et::lifetime_tracked(i));
    s.erase_swap(3);
    s.erase(s.begin() + 10, s.begin() + 20);
    s.pop_back();
    ed::soa<et::hostile_operators, et::lifetime_tracked> copy(s);
    std::sort(copy.begin(), copy.end(), [](const auto& a, const auto& b) { return get<0>(a).value > get<0>(b).value; });
    CHECK(copy.size() == 88);
    CHECK(get<0>(copy[0]).value == 99);
    CHECK(std::addressof(get<0>(copy[1])) == copy.column<0>().data() + 1);
    s = std::move(copy);
    et::self_move_assign(s);
    CHECK(s.size() == 88);
  }));
}

TEST_CASE("contract: soa stays unchanged when a value's copy throws", "[contract][throw][dense]") {
  using tv = et::throwing_value<true>;
  ed::soa<std::uint64_t, tv> s;
  for (int i = 0; i < 16; ++i) s.emplace_back(static_cast<std::uint64_t>(i), tv(i));
  s.shrink_to_fit();
  const auto fingerprint = [&] {
    std::string f;
    for (std::size_t i = 0; i < s.size(); ++i) f += std::to_string(get<0>(s[i])) + ",";
    return f + std::to_string(s.size());
  };
  const std::string before = fingerprint();
  const tv extra(99);
  for (int n = 1; n <= 3; ++n) {
    et::throwing_value_fail_nth(n);
    try {
      s.push_back(std::tuple<std::uint64_t, tv>(99, extra));  // copies extra, then moves rows (noexcept)
    } catch (const std::runtime_error&) {
      et::throwing_value_disarm();
      CHECK(fingerprint() == before);
      continue;
    }
    et::throwing_value_disarm();
    break;
  }
  CHECK(s.size() == 17);
}

TEST_CASE("contract: column_store copies, moves and self-assigns", "[contract][move][dense]") {
  ed::column_store t;
  t.add_column<std::int64_t>("id").add_column<double>("x").add_column<std::string_view>("tag");
  for (std::int64_t i = 0; i < 100; ++i) t.append_row(i, static_cast<double>(i) / 4, i % 2 == 0 ? "even" : "odd");
  const auto fingerprint = [](const ed::column_store& c) {
    std::string f = std::to_string(c.size()) + ":";
    for (std::size_t i = 0; i < c.size(); ++i) {
      f += std::to_string(c.column<std::int64_t>("id")[i]) + "/" + std::to_string(c.column<double>("x")[i]) + "/" +
           std::string(c.string_at("tag", i)) + ",";
    }
    return f;
  };
  const std::string ft = fingerprint(t);
  ed::column_store copy(t);
  CHECK(fingerprint(copy) == ft);
  copy.column<double>("x")[0] = -1;  // independent
  CHECK(fingerprint(t) == ft);
  et::self_copy_assign(t);
  CHECK(fingerprint(t) == ft);
  ed::column_store moved(std::move(copy));
  CHECK(moved.size() == 100);
  et::self_move_assign(t);
  CHECK(fingerprint(t) == ft);
  t.append_row(std::int64_t{100}, 0.5, "new");
  CHECK(t.size() == 101);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<ed::column_store>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<ed::column_store>);
}

TEST_CASE("contract: column_store append_row has the strong guarantee when any allocation fails",
          "[contract][alloc][dense]") {
  if (!et::allocation_failures_supported()) {
    WARN("fail_nth_allocation needs the counting operator new without a sanitizer: not run");
    return;
  }
  ed::column_store t;
  t.add_column<std::int64_t>("id").add_column<double>("x").add_column<std::string_view>("tag");
  std::int64_t next = 0;
  const auto rows_before = [&] { return t.size(); };
  // Grow through several reallocations; each append_row is tried with its
  // 1st, 2nd, ... allocation failing until it succeeds.
  for (int round = 0; round < 40; ++round) {
    const std::size_t size = rows_before();
    const std::string tag = "tag number " + std::to_string(next) + " long enough to be allocated";
    for (std::int64_t n = 1;; ++n) {
      bool failed = false;
      {
        et::fail_nth_allocation f(n);
        try {
          t.append_row(next, 1.5, tag);
        } catch (const std::bad_alloc&) {
          failed = true;
        }
      }
      if (!failed) break;
      REQUIRE(t.size() == size);
      REQUIRE(t.column<std::int64_t>("id").size() == size);
      if (size > 0) REQUIRE(t.column<std::int64_t>("id")[size - 1] == next - 1);
    }
    REQUIRE(t.size() == size + 1);
    CHECK(t.string_at("tag", size) == tag);
    ++next;
  }
}

TEST_CASE("contract: soa and column_store refuse sizes near SIZE_MAX and stay unchanged", "[contract][huge][dense]") {
  et::failing_resource memory;
  {
    using soa_type = ed::basic_soa<et::failing_allocator<std::byte>, std::string, std::uint64_t>;
    soa_type s{et::failing_allocator<std::byte>(memory.control())};
    for (std::uint64_t i = 0; i < 40; ++i)
      s.emplace_back("row " + std::to_string(i) + " of a soa, longer than a short string", i * 3);
    const auto fingerprint = [&] {
      std::string f = std::to_string(s.size()) + ":";
      for (std::size_t i = 0; i < s.size(); ++i) f += get<0>(s[i]) + "=" + std::to_string(get<1>(s[i])) + ",";
      return f;
    };
    const std::string before = fingerprint();
    const std::size_t live = memory.control().live();
    memory.control().fail_above(std::size_t{1} << 20);  // what reaches the allocator fails, even under a sanitizer
    for (const std::size_t n : et::huge_sizes()) {
      CHECK(et::refuses_size([&] { s.reserve(n); }));
      CHECK(memory.control().live() == live);
      if (n > s.max_size()) CHECK_THROWS_AS(s.reserve(n), std::length_error);
    }
    memory.control().disarm();
    CHECK(fingerprint() == before);
  }
  CHECK(memory.control().live() == 0);
  ed::column_store t;
  t.add_column<std::int64_t>("id").add_column<std::string_view>("tag");
  t.append_row(1, "one");
  for (const std::size_t n : et::huge_sizes()) {
    if (allocator_may_see(n)) continue;
    CHECK(et::refuses_size([&] { t.reserve(n); }));
    CHECK(t.size() == 1);
  }
  CHECK(t.string_at("tag", 0) == "one");
}
