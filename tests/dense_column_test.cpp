// SPDX-License-Identifier: MIT
// Tests for electron/dense/column_store.hpp: the scans (sum, min, max,
// count_if, filter, gather) against plain loops, the SIMD kernels against
// the scalar ones on every length 0..300 and unaligned starts, and
// column_store against a std::vector of row structs.
#include "electron/dense/column_store.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/dense_column_property.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ed = electron::dense;
namespace et = electron::test;
using electron::detail::default_arch;
using electron::detail::scalar_arch;

// ---------------------------------------------------------------------------
// Concepts and noexcept
// ---------------------------------------------------------------------------
static_assert(ed::column_scalar<std::int32_t> && ed::column_scalar<double> && ed::column_scalar<bool>);
static_assert(!ed::column_scalar<std::int16_t> && !ed::column_scalar<std::string_view> && !ed::column_scalar<char>);
static_assert(ed::column_numeric<float> && !ed::column_numeric<bool>);
static_assert(ed::column_element<std::string_view> && !ed::column_element<std::string>);
static_assert(ed::row_value<int> && ed::row_value<const char*> && ed::row_value<std::string&> &&
              ed::row_value<ed::value> && !ed::row_value<long double> && !ed::row_value<std::vector<int>>);
static_assert(ed::column_type_of<std::uint32_t> == ed::column_type::uint32);
static_assert(ed::column_type_of<std::string_view> == ed::column_type::string);
static_assert(std::is_same_v<ed::sum_type<std::int32_t>, std::int64_t> &&
              std::is_same_v<ed::sum_type<std::uint32_t>, std::uint64_t> &&
              std::is_same_v<ed::sum_type<float>, double>);
static_assert(std::is_nothrow_move_constructible_v<ed::column_store> &&
              std::is_nothrow_move_assignable_v<ed::column_store> &&
              std::is_nothrow_default_constructible_v<ed::column_store>);
static_assert(noexcept(ed::sum(std::span<const double>())) && noexcept(ed::min(std::span<const int>())) && noexcept(
    ed::count_if(std::span<const float>(), ed::compare::less, 1.0f)));
static_assert(!std::is_copy_constructible_v<ed::column>);

namespace {

constexpr ed::compare all_compares[] = {ed::compare::less,          ed::compare::less_equal, ed::compare::greater,
                                        ed::compare::greater_equal, ed::compare::equal,      ed::compare::not_equal};

// The model's comparison: the fuzz target's.
using electron_fuzz::dense_column_model::holds;

// A value of T from a small pool (so that equal comparisons hit), the
// extremes, or anything; floats also NaN, +-inf, -0.0 and subnormals.
template <class T>
T random_value(std::mt19937_64& rng) {
  using lim = std::numeric_limits<T>;
  const auto pick = rng() % 16;
  if constexpr (std::is_floating_point_v<T>) {
    switch (pick) {
      case 0:
        return lim::quiet_NaN();
      case 1:
        return lim::infinity();
      case 2:
        return -lim::infinity();
      case 3:
        return T(-0.0);
      case 4:
        return T(0.0);
      case 5:
        return lim::denorm_min();
      case 6:
        return lim::max();
      case 7:
        return lim::lowest();
      default:
        break;
    }
    if (pick < 12) return static_cast<T>(static_cast<int>(rng() % 9) - 4);
    return static_cast<T>(std::uniform_real_distribution<double>(-1e6, 1e6)(rng));
  } else {
    switch (pick) {
      case 0:
        return lim::min();
      case 1:
        return lim::max();
      case 2:
        return static_cast<T>(lim::min() + 1);
      case 3:
        return static_cast<T>(lim::max() - 1);
      default:
        break;
    }
    if (pick < 12) return static_cast<T>(rng() % 9);
    return static_cast<T>(rng());
  }
}

// Without NaN and infinities: for sums, whose reference is then exact enough.
template <class T>
T random_finite(std::mt19937_64& rng) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(std::uniform_real_distribution<double>(-1000, 1000)(rng));
  } else {
    return random_value<T>(rng);
  }
}

template <class T>
bool same_value(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  }
  return a == b;  // -0.0 == +0.0: either zero is a documented result
}

template <class T>
std::optional<T> reference_min(const T* p, std::size_t n) {
  if (n == 0) return std::nullopt;
  std::optional<T> m;
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(p[i])) continue;
    }
    if (!m || p[i] < *m) m = p[i];
  }
  if (!m) return std::numeric_limits<T>::quiet_NaN();
  return m;
}
template <class T>
std::optional<T> reference_max(const T* p, std::size_t n) {
  if (n == 0) return std::nullopt;
  std::optional<T> m;
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(p[i])) continue;
    }
    if (!m || p[i] > *m) m = p[i];
  }
  if (!m) return std::numeric_limits<T>::quiet_NaN();
  return m;
}

template <class T>
ed::sum_type<T> reference_sum(const T* p, std::size_t n) {
  if constexpr (std::is_floating_point_v<T>) {
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<long double>(p[i]);
    return static_cast<double>(s);
  } else {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<std::uint64_t>(static_cast<ed::sum_type<T>>(p[i]));
    return static_cast<ed::sum_type<T>>(s);
  }
}

// Float sums differ from the exact sum by at most about n * eps * sum |x|.
template <class T>
void check_sum_close(double got, const T* p, std::size_t n) {
  long double abs_sum = 0;
  for (std::size_t i = 0; i < n; ++i) abs_sum += std::fabs(static_cast<long double>(p[i]));
  const double ref = reference_sum(p, n);
  const double tol = static_cast<double>(abs_sum) * static_cast<double>(n + 1) *
                     static_cast<double>(std::numeric_limits<T>::epsilon());
  INFO("n=" << n << " got=" << got << " ref=" << ref);
  CHECK(std::fabs(got - ref) <= tol);
}

}  // namespace

// ---------------------------------------------------------------------------
// Kernels: SIMD and scalar against plain loops, every length and offset
// ---------------------------------------------------------------------------
TEMPLATE_TEST_CASE("scans match plain loops on every length and alignment", "[kernels]", std::int32_t, std::int64_t,
                   std::uint32_t, std::uint64_t, float, double) {
  using T = TestType;
  std::mt19937_64 rng(42);
  std::vector<T> storage(300 + 8);
  std::vector<T> finite(300 + 8);
  for (std::size_t n = 0; n <= 300; ++n) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      for (auto& x : storage) x = random_value<T>(rng);
      for (auto& x : finite) x = random_finite<T>(rng);
      const T* p = storage.data() + offset;
      const std::span<const T> data(p, n);
      INFO("n=" << n << " offset=" << offset);

      // min / max, both kernels
      const auto rmin = reference_min(p, n);
      const auto rmax = reference_max(p, n);
      const auto gmin = ed::min(data);
      const auto gmax = ed::max(data);
      REQUIRE(gmin.has_value() == (n != 0));
      REQUIRE(gmax.has_value() == (n != 0));
      if (n != 0) {
        CHECK(same_value(*gmin, *rmin));
        CHECK(same_value(*gmax, *rmax));
        CHECK(same_value(ed::detail::min(scalar_arch{}, p, n), *rmin));
        CHECK(same_value(ed::detail::max(scalar_arch{}, p, n), *rmax));
      }

      // sum
      const T* f = finite.data() + offset;
      if constexpr (std::is_floating_point_v<T>) {
        check_sum_close(ed::sum(std::span<const T>(f, n)), f, n);
        check_sum_close(ed::detail::sum(scalar_arch{}, f, n), f, n);
      } else {
        CHECK(ed::sum(data) == reference_sum(p, n));
        CHECK(ed::detail::sum(scalar_arch{}, p, n) == reference_sum(p, n));
      }

      // count_if and filter, every comparison, against a value from the data
      const T v = n != 0 ? p[rng() % n] : random_value<T>(rng);
      for (const ed::compare c : all_compares) {
        std::size_t expected = 0;
        std::vector<T> selected;
        for (std::size_t i = 0; i < n; ++i) {
          if (holds(p[i], c, v)) {
            ++expected;
            selected.push_back(p[i]);
          }
        }
        INFO("compare=" << static_cast<int>(c) << " v=" << v);
        CHECK(ed::count_if(data, c, v) == expected);
        CHECK(ed::detail::count(scalar_arch{}, p, n, static_cast<ed::detail::cmp_kind>(c), v) == expected);
        const electron::bits::bitset sel = ed::filter(data, c, v);
        REQUIRE(sel.size() == n);
        CHECK(sel.count() == expected);
        bool bits_ok = true;
        for (std::size_t i = 0; i < n; ++i) bits_ok = bits_ok && sel.test(i) == holds(p[i], c, v);
        CHECK(bits_ok);
        std::vector<std::uint64_t> words((n + 63) / 64 + 1, ~std::uint64_t{0});
        ed::detail::filter_words(scalar_arch{}, p, n, static_cast<ed::detail::cmp_kind>(c), v, words.data());
        CHECK(std::equal(sel.data(), sel.data() + sel.word_count(), words.data()));
        const std::vector<T> got = ed::gather(data, sel);
        REQUIRE(got.size() == selected.size());
        bool gather_ok = true;
        for (std::size_t i = 0; i < got.size(); ++i) gather_ok = gather_ok && same_value(got[i], selected[i]);
        CHECK(gather_ok);
        // The scalar kernel, into a larger buffer (the vector stores' path).
        std::vector<T> wide(n + 64);
        REQUIRE(ed::detail::gather(scalar_arch{}, p, n, sel.data(), wide.data(), wide.data() + wide.size()) ==
                selected.size());
        const std::size_t k = ed::gather(data, sel, std::span<T>(wide));
        REQUIRE(k == selected.size());
        for (std::size_t i = 0; i < k; ++i) gather_ok = gather_ok && same_value(wide[i], selected[i]);
        CHECK(gather_ok);
      }
    }
  }
}

TEST_CASE("integer sums are wider and wrap modulo 2^64", "[kernels]") {
  const std::vector<std::int32_t> a(1000, std::numeric_limits<std::int32_t>::max());
  CHECK(ed::sum<std::int32_t>(a) == 1000 * std::int64_t{std::numeric_limits<std::int32_t>::max()});
  const std::vector<std::int32_t> b(1000, std::numeric_limits<std::int32_t>::min());
  CHECK(ed::sum<std::int32_t>(b) == 1000 * std::int64_t{std::numeric_limits<std::int32_t>::min()});
  const std::vector<std::uint32_t> c(1000, 0xFFFFFFFFu);
  CHECK(ed::sum<std::uint32_t>(c) == 1000 * std::uint64_t{0xFFFFFFFFu});
  const std::vector<std::int64_t> d = {std::numeric_limits<std::int64_t>::max(), 1};
  CHECK(ed::sum<std::int64_t>(d) == std::numeric_limits<std::int64_t>::min());  // wraps
  const std::vector<std::uint64_t> e = {~std::uint64_t{0}, 2};
  CHECK(ed::sum<std::uint64_t>(e) == 1);
}

TEST_CASE("float sums, min and max with NaN, infinities and zeros", "[kernels]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t n : {1u, 7u, 64u, 65u, 200u}) {
    std::vector<double> v(n, nan);
    CHECK(std::isnan(*ed::min<double>(v)));
    CHECK(std::isnan(*ed::max<double>(v)));
    CHECK(std::isnan(ed::sum<double>(v)));
    v[n / 2] = inf;
    CHECK(*ed::min<double>(v) == inf);
    CHECK(*ed::max<double>(v) == inf);
    v[n - 1] = -inf;
    if (n > 1) CHECK(*ed::min<double>(v) == -inf);
    v.assign(n, -0.0);
    v[0] = 0.0;
    CHECK(*ed::min<double>(v) == 0.0);
    CHECK(ed::count_if<double>(v, ed::compare::equal, 0.0) == n);
    CHECK(ed::count_if<double>(v, ed::compare::less, 0.0) == 0);
    v.assign(n, nan);
    CHECK(ed::count_if<double>(v, ed::compare::not_equal, nan) == n);
    CHECK(ed::count_if<double>(v, ed::compare::equal, nan) == 0);
    CHECK(ed::count_if<double>(v, ed::compare::greater_equal, 0.0) == 0);
  }
  // inf + -inf
  const std::vector<float> f = {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  CHECK(std::isnan(ed::sum<float>(f)));
  // Exact sums: integer-valued doubles stay exact in any order.
  std::vector<double> ints(10007);
  for (std::size_t i = 0; i < ints.size(); ++i) ints[i] = static_cast<double>(i % 1000) - 300.0;
  double exact = 0;
  for (double x : ints) exact += x;
  CHECK(ed::sum<double>(ints) == exact);
  CHECK(ed::detail::sum(scalar_arch{}, ints.data(), ints.size()) == exact);
  // Floats over many blocks: the double accumulator keeps a large sum exact.
  const std::vector<float> ones(1'000'003, 1.0f);
  CHECK(ed::sum<float>(ones) == 1'000'003.0);
  CHECK(!ed::min(std::span<const float>()).has_value());
}

TEST_CASE("gather into a span and the filter overload into a bitset", "[kernels]") {
  std::vector<std::int64_t> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(i);
  electron::bits::bitset sel;
  ed::filter<std::int64_t>(v, ed::compare::greater_equal, 100, sel);
  CHECK(sel.size() == 1000);
  CHECK(sel.count() == 900);
  std::vector<std::int64_t> out(900);
  CHECK(ed::gather<std::int64_t>(v, sel, out) == 900);
  CHECK(out.front() == 100);
  CHECK(out.back() == 999);
  // A smaller data set resizes and rewrites every bit.
  ed::filter<std::int64_t>(std::span<const std::int64_t>(v.data(), 70), ed::compare::less, 3, sel);
  CHECK(sel.size() == 70);
  CHECK(sel.count() == 3);
  // Gather of a bool column.
  const bool flags[] = {true, false, true};
  electron::bits::bitset s2(3);
  s2.set(0);
  s2.set(1);
  CHECK(ed::gather<bool>(flags, s2) == std::vector<bool>{true, false});
  CHECK_THROWS_AS(ed::gather<std::int64_t>(v, s2), std::invalid_argument);
}

TEST_CASE("scans on a column do not allocate", "[alloc]") {
  if (!et::counting_allocations()) return;
  std::vector<double> v(5000, 1.5);
  electron::bits::bitset sel(v.size());
  std::vector<double> out(v.size());
  double s = 0;
  std::size_t k = 0;
  CHECK(et::check_no_alloc([&] {
    s = ed::sum<double>(v) + *ed::min<double>(v) + *ed::max<double>(v);
    k = ed::count_if<double>(v, ed::compare::greater, 1.0);
    ed::filter<double>(v, ed::compare::greater, 1.0, sel);
    k += ed::gather<double>(v, sel, out);
  }));
  CHECK(s == 7503.0);
  CHECK(k == 10000);
}

// ---------------------------------------------------------------------------
// column_store against std::vector<row>
// ---------------------------------------------------------------------------
namespace {

struct row {
  std::int32_t i32;
  std::int64_t i64;
  std::uint32_t u32;
  std::uint64_t u64;
  float f32;
  double f64;
  bool flag;
  std::string text;
};

ed::column_store make_table() {
  ed::column_store t;
  t.add_column<std::int32_t>("i32")
      .add_column<std::int64_t>("i64")
      .add_column<std::uint32_t>("u32")
      .add_column<std::uint64_t>("u64")
      .add_column<float>("f32")
      .add_column<double>("f64")
      .add_column<bool>("flag")
      .add_column<std::string_view>("text");
  return t;
}

row random_row(std::mt19937_64& rng) {
  static const char* const words[] = {"", "alpha", "beta", "gamma", "a somewhat longer string value", "delta"};
  return {random_value<std::int32_t>(rng),
          random_value<std::int64_t>(rng),
          random_value<std::uint32_t>(rng),
          random_value<std::uint64_t>(rng),
          random_value<float>(rng),
          random_value<double>(rng),
          rng() % 2 == 0,
          words[rng() % 6]};
}

template <class T, class F>
std::vector<T> project(const std::vector<row>& rows, F f) {
  std::vector<T> out;
  for (const row& r : rows) out.push_back(f(r));
  return out;
}

template <class T>
void check_column(const ed::column_store& t, std::string_view name, const std::vector<T>& model) {
  const std::span<const T> c = t.column<T>(name);
  REQUIRE(c.size() == model.size());
  bool ok = true;
  for (std::size_t i = 0; i < model.size(); ++i) ok = ok && same_value(c[i], model[i]);
  CHECK(ok);
  if constexpr (ed::column_numeric<T>) {
    CHECK(same_value(t.min<T>(name).value_or(T{}), reference_min(model.data(), model.size()).value_or(T{})));
    CHECK(same_value(t.max<T>(name).value_or(T{}), reference_max(model.data(), model.size()).value_or(T{})));
    if constexpr (!std::is_floating_point_v<T>) CHECK(t.sum<T>(name) == reference_sum(model.data(), model.size()));
    if (!model.empty()) {
      const T v = model[model.size() / 2];
      for (const ed::compare cmp : all_compares) {
        std::size_t expected = 0;
        std::vector<T> selected;
        for (const T& x : model) {
          if (holds(x, cmp, v)) {
            ++expected;
            selected.push_back(x);
          }
        }
        CHECK(t.count_if<T>(name, cmp, v) == expected);
        const auto sel = t.filter<T>(name, cmp, v);
        const std::vector<T> got = t.gather<T>(name, sel);
        REQUIRE(got.size() == selected.size());
        bool g = true;
        for (std::size_t i = 0; i < got.size(); ++i) g = g && same_value(got[i], selected[i]);
        CHECK(g);
      }
    }
  }
}

// exact_dictionary: no string was overwritten (the dictionary keeps those).
void check_table(const ed::column_store& t, const std::vector<row>& model, bool exact_dictionary = true) {
  REQUIRE(t.size() == model.size());
  REQUIRE(t.column_count() == 8);
  check_column(t, "i32", project<std::int32_t>(model, [](const row& r) { return r.i32; }));
  check_column(t, "i64", project<std::int64_t>(model, [](const row& r) { return r.i64; }));
  check_column(t, "u32", project<std::uint32_t>(model, [](const row& r) { return r.u32; }));
  check_column(t, "u64", project<std::uint64_t>(model, [](const row& r) { return r.u64; }));
  check_column(t, "f32", project<float>(model, [](const row& r) { return r.f32; }));
  check_column(t, "f64", project<double>(model, [](const row& r) { return r.f64; }));
  check_column(t, "flag", project<bool>(model, [](const row& r) { return r.flag; }));
  const ed::string_column& s = t.strings("text");
  std::set<std::string> distinct;
  bool ok = true;
  for (std::size_t i = 0; i < model.size(); ++i) {
    ok = ok && t.string_at("text", i) == model[i].text && s[i] == model[i].text &&
         s.string_of(s.ids()[i]) == model[i].text;
    distinct.insert(model[i].text);
  }
  CHECK(ok);
  if (exact_dictionary) CHECK(s.distinct_count() == distinct.size());
  CHECK(s.distinct_count() >= distinct.size());
  // Equal strings, equal ids.
  for (std::size_t i = 1; i < model.size(); ++i) {
    if ((model[i].text == model[i - 1].text) != (s.ids()[i] == s.ids()[i - 1])) {
      FAIL("ids disagree with string equality at row " << i);
    }
  }
}

}  // namespace

TEST_CASE("column_store matches a vector of rows", "[store]") {
  std::mt19937_64 rng(7);
  for (std::size_t n : {0u, 1u, 2u, 63u, 64u, 65u, 300u, 1000u}) {
    INFO("rows=" << n);
    ed::column_store t = make_table();
    std::vector<row> model;
    for (std::size_t i = 0; i < n; ++i) {
      row r = random_row(rng);
      t.append_row(r.i32, r.i64, r.u32, r.u64, r.f32, r.f64, r.flag, r.text);
      model.push_back(std::move(r));
    }
    check_table(t, model);
    // Writes through the spans and through the type-erased interface.
    if (n != 0) {
      const std::size_t k = rng() % n;
      t.column<std::int64_t>("i64")[k] = 42;
      model[k].i64 = 42;
      t.column("f32").set(k, 2.5);
      model[k].f32 = 2.5f;
      t.column("text").set(k, std::string_view("brand new"));
      model[k].text = "brand new";
      t.strings("text").set_string(0, "alpha");
      model[0].text = "alpha";
      check_table(t, model, false);
    }
  }
}

TEST_CASE("column_store names, shape and typed lookups", "[store]") {
  ed::column_store t = make_table();
  CHECK(t.column_names() == std::vector<std::string_view>{"i32", "i64", "u32", "u64", "f32", "f64", "flag", "text"});
  CHECK(t.empty());
  CHECK(t.contains("f64"));
  CHECK(!t.contains("F64"));
  CHECK(t.find_column<double>("f64").has_value());
  CHECK(!t.find_column<float>("f64").has_value());
  CHECK(!t.find_column<double>("nope").has_value());
  CHECK(!t.find_column<std::uint32_t>("text").has_value());
  const ed::column_store& ct = t;
  CHECK(ct.find_column<bool>("flag").has_value());
  CHECK(ct.column_at(7).type() == ed::column_type::string);
  CHECK(ct.column_at(0).name() == "i32");
  CHECK(std::string_view(ed::type_name(ed::column_type::float32)) == "float32");
  t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, true, "x");
  t.reserve(100);
  CHECK(t.size() == 1);
  // A column added after rows exist holds defaults.
  t.add_column<double>("late").add_column<std::string_view>("late_text").add_column<bool>("late_flag");
  CHECK(t.column<double>("late").size() == 1);
  CHECK(t.column<double>("late")[0] == 0.0);
  CHECK(t.string_at("late_text", 0).empty());
  CHECK(!t.column<bool>("late_flag")[0]);
  CHECK(t.strings("late_text").distinct_count() == 1);
  t.clear();
  CHECK(t.size() == 0);
  CHECK(t.column_count() == 11);
  CHECK(t.column<double>("f64").empty());
  CHECK(t.strings("text").distinct_count() == 0);
  CHECK(!t.min<double>("f64").has_value());
  CHECK(t.sum<std::int32_t>("i32") == 0);
}

TEST_CASE("column_store errors name the column", "[store][errors]") {
  ed::column_store t = make_table();
  t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, true, "x");
  auto message_of = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "no exception";
  };
  CHECK_THROWS_AS(t.column<double>("nope"), std::out_of_range);
  CHECK(message_of([&] { (void)t.column<double>("nope"); }).find("'nope'") != std::string::npos);
  CHECK_THROWS_AS(t.column<float>("f64"), std::invalid_argument);
  const std::string wrong = message_of([&] { (void)t.column<float>("f64"); });
  CHECK(wrong.find("'f64'") != std::string::npos);
  CHECK(wrong.find("float64") != std::string::npos);
  CHECK_THROWS_AS(t.strings("i32"), std::invalid_argument);
  CHECK_THROWS_AS(t.sum<double>("i32"), std::invalid_argument);
  CHECK_THROWS_AS(t.column("nope"), std::out_of_range);
  CHECK_THROWS_AS(t.column_at(8), std::out_of_range);
  CHECK_THROWS_AS(t.string_at("text", 1), std::out_of_range);
  CHECK_THROWS_AS(t.add_column<int>("i32"), std::invalid_argument);
  CHECK(t.column_count() == 8);
  // Row arity and value types: nothing changes.
  CHECK_THROWS_AS(t.append_row(1, 2), std::invalid_argument);
  CHECK_THROWS_AS(t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, true, "x", 9), std::invalid_argument);
  CHECK_THROWS_AS(t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, true, 7), std::invalid_argument);      // int into string
  CHECK_THROWS_AS(t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, 1, "y"), std::invalid_argument);       // int into bool
  CHECK_THROWS_AS(t.append_row(1.5, 2, 3u, 4u, 5.0f, 6.0, true, "y"), std::invalid_argument);  // float into int
  CHECK_THROWS_AS(t.append_row(1, 2, -3, 4u, 5.0f, 6.0, true, "y"), std::invalid_argument);    // negative into uint
  CHECK_THROWS_AS(t.append_row(std::int64_t{1} << 40, 2, 3u, 4u, 5.0f, 6.0, true, "y"), std::invalid_argument);
  CHECK_THROWS_AS(t.append_row(1, 2, 3u, 4u, 0.1, 6.0, true, "y"), std::invalid_argument);  // 0.1 is no float
  CHECK_THROWS_AS(t.append_row(1, 2, 3u, 4u, 5.0f, (std::int64_t{1} << 53) + 1, true, "y"), std::invalid_argument);
  CHECK(message_of([&] { t.append_row(1, 2, 3u, 4u, 5.0f, 6.0, true, 7); }).find("'text'") != std::string::npos);
  CHECK(t.size() == 1);
  for (std::size_t i = 0; i < t.column_count(); ++i) CHECK(t.column_at(i).size() == 1);
  // Conversions that are exact are taken.
  t.append_row(std::int64_t{-5}, 2u, std::uint64_t{7}, 4, 0.5, 1 << 20, false, std::string("y"));
  t.append_row(1, 2, 3u, 4u, std::numeric_limits<double>::infinity(), std::numeric_limits<float>::quiet_NaN(), true,
               std::string_view("z"));
  CHECK(t.size() == 3);
  CHECK(t.column<std::int32_t>("i32")[1] == -5);
  CHECK(t.column<float>("f32")[1] == 0.5f);
  CHECK(std::isinf(t.column<float>("f32")[2]));
  CHECK(std::isnan(t.column<double>("f64")[2]));
  // Type-erased set and get errors.
  CHECK_THROWS_AS(t.column("i32").get(3), std::out_of_range);
  CHECK_THROWS_AS(t.column("i32").set(3, 1), std::out_of_range);
  CHECK_THROWS_AS(t.column("i32").set(0, std::string_view("s")), std::invalid_argument);
  CHECK_THROWS_AS(t.column("text").set(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(t.column("u32").set(0, -1), std::invalid_argument);
  CHECK(t.column<std::uint32_t>("u32")[0] == 3u);
  // An empty table takes no rows.
  ed::column_store empty;
  CHECK_THROWS_AS(empty.append_row(), std::invalid_argument);
}

TEST_CASE("type-erased get and set round trip every type", "[store]") {
  ed::column_store t = make_table();
  std::mt19937_64 rng(11);
  std::vector<row> model;
  for (int i = 0; i < 50; ++i) {
    row r = random_row(rng);
    t.append_row(r.i32, r.i64, r.u32, r.u64, r.f32, r.f64, r.flag, r.text);
    model.push_back(r);
  }
  // Copy every cell from row i to row 49 - i through get/set, in the model too.
  ed::column_store u = t;
  for (std::size_t c = 0; c < t.column_count(); ++c) {
    ed::column& col = u.column_at(c);
    const ed::column& src = t.column_at(c);
    CHECK(col.size() == 50);
    for (std::size_t i = 0; i < 50; ++i) {
      const ed::value v = src.get(i);
      CHECK(v.index() == static_cast<std::size_t>(col.type()));
      col.set(49 - i, v);
    }
  }
  std::vector<row> reversed(model.rbegin(), model.rend());
  check_table(u, reversed);
  check_table(t, model);
  // append_values with a run-time row
  std::vector<ed::value> values;
  for (std::size_t c = 0; c < t.column_count(); ++c) values.push_back(t.column_at(c).get(3));
  t.append_values(values);
  model.push_back(model[3]);
  check_table(t, model);
}

TEST_CASE("strings are stored once per column", "[store][strings]") {
  ed::column_store t;
  t.add_column<std::string_view>("city").add_column<std::string_view>("country");
  const char* const cities[] = {"Oslo", "Lima", "Pune", "Oslo"};
  for (int i = 0; i < 10000; ++i) t.append_row(cities[i % 4], "NO");
  const ed::string_column& city = t.strings("city");
  CHECK(city.distinct_count() == 3);
  CHECK(t.strings("country").distinct_count() == 1);
  CHECK(city.find("Lima") == std::optional<ed::string_id>(1));
  CHECK(!city.find("Rome").has_value());
  // The ids are a column like any other: count the rows equal to "Oslo".
  CHECK(ed::count_if(city.ids(), ed::compare::equal, *city.find("Oslo")) == 5000);
  const auto sel = ed::filter(city.ids(), ed::compare::equal, *city.find("Pune"));
  CHECK(sel.count() == 2500);
  CHECK(ed::gather(city.ids(), sel) == std::vector<ed::string_id>(2500, 2));
  CHECK(t.column("city").get(2) == ed::value(std::string_view("Pune")));
  CHECK_THROWS_AS(city.string_of(3), std::out_of_range);
}

TEST_CASE("copy, move and self-assignment", "[store]") {
  std::mt19937_64 rng(3);
  ed::column_store t = make_table();
  std::vector<row> model;
  for (int i = 0; i < 200; ++i) {
    model.push_back(random_row(rng));
    const row& r = model.back();
    t.append_row(r.i32, r.i64, r.u32, r.u64, r.f32, r.f64, r.flag, r.text);
  }
  ed::column_store copy = t;
  check_table(copy, model);
  CHECK(std::equal(copy.strings("text").ids().begin(), copy.strings("text").ids().end(),
                   t.strings("text").ids().begin()));
  // Independent: writing the copy leaves the original.
  copy.column<double>("f64")[0] = 123.0;
  copy.strings("text").set_string(1, "only in the copy");
  check_table(t, model);
  CHECK(copy.strings("text").find("only in the copy").has_value());
  CHECK(!t.strings("text").find("only in the copy").has_value());
  ed::column_store moved = std::move(copy);
  CHECK(moved.column<double>("f64")[0] == 123.0);
  CHECK(copy.size() == 0);          // NOLINT(bugprone-use-after-move): moved-from is empty
  CHECK(copy.column_count() == 0);  // NOLINT(bugprone-use-after-move)
  copy = t;
  check_table(copy, model);
  et::self_move_assign(copy);
  check_table(copy, model);
  et::self_copy_assign(copy);
  check_table(copy, model);
  moved = std::move(copy);
  check_table(moved, model);
  swap(moved, t);
  check_table(t, model);
  // Spans are 64-byte aligned.
  CHECK(reinterpret_cast<std::uintptr_t>(t.column<double>("f64").data()) % 64 == 0);
}

TEST_CASE("append_row allocates amortized O(1) and is all-or-nothing", "[store][alloc]") {
  if (!et::counting_allocations()) return;
  ed::column_store t;
  t.add_column<std::int64_t>("a").add_column<double>("b").add_column<bool>("c");
  t.reserve(1000);
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) t.append_row(i, 0.5 * i, i % 2 == 0);
  }));
  et::alloc_scope scope;
  for (int i = 0; i < 100000; ++i) t.append_row(i, 0.5, true);
  CHECK(scope.allocations() < 3 * 20);  // doubling growth: ~7 per column
  if (!et::allocation_failures_supported()) return;
  ed::column_store s;
  s.add_column<std::int64_t>("a").add_column<std::string_view>("b").add_column<double>("c");
  for (std::int64_t n = 1; n < 200; ++n) {
    const std::size_t before = s.size();
    bool threw = false;
    {
      et::fail_nth_allocation f(n);
      try {
        for (int i = 0; i < 20; ++i) s.append_row(i, std::to_string(i) + " a string of some length", 1.0);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
    }
    for (std::size_t c = 0; c < s.column_count(); ++c) REQUIRE(s.column_at(c).size() == s.size());
    if (!threw) break;
    CHECK(s.size() >= before);
  }
}

TEST_CASE("fuzz property: operation sequences against the model", "[fuzz]") {
  CHECK(et::fuzz_string(electron_fuzz::dense_column_property, {.seed = 1, .runs = 3000, .max_size = 200}));
  CHECK(et::fuzz_string(electron_fuzz::dense_column_property, {.seed = 2, .runs = 300, .max_size = 2000}));
}
