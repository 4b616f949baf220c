// SPDX-License-Identifier: MIT
// electron::metrics core: counter, gauge, histogram, timer. The histogram is
// checked against an exact model (a sorted vector of the recorded values)
// and against HdrHistogram_c's own test expectations (corpus file).
#include "electron/metrics.hpp"

#include "corpus.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace em = electron::metrics;
namespace et = electron::test;

namespace {

static_assert(em::counter_value<std::uint64_t> && em::counter_value<double>);
static_assert(!em::counter_value<int> && !em::counter_value<float>);
static_assert(em::gauge_value<std::int64_t> && em::gauge_value<double>);
static_assert(!em::gauge_value<std::uint64_t>);
static_assert(!std::is_copy_constructible_v<em::counter> && !std::is_move_constructible_v<em::counter>);
static_assert(!std::is_copy_constructible_v<em::histogram> && !std::is_move_constructible_v<em::histogram>);
static_assert(!std::is_copy_constructible_v<em::timer>);
static_assert(std::is_copy_constructible_v<em::histogram_snapshot>);
static_assert(noexcept(std::declval<em::counter&>().inc()));
static_assert(noexcept(std::declval<em::counter_f64&>().add(1.0)));
static_assert(noexcept(std::declval<const em::counter&>().value()));
static_assert(noexcept(std::declval<em::gauge&>().set(1)));
static_assert(noexcept(std::declval<em::histogram&>().record(1)));
static_assert(noexcept(std::declval<em::histogram&>().record(1, 2)));
static_assert(noexcept(std::declval<em::histogram&>().record_corrected(1, 2)));
static_assert(noexcept(em::now_ns()));

using electron_test::corpus_dir;

// ---------------------------------------------------------------------------
// A small JSON reader for the corpus file (objects, arrays, numbers, strings,
// booleans; no escapes beyond \" and \\).
// ---------------------------------------------------------------------------
struct json {
  enum class kind : std::uint8_t { null, boolean, number, string, array, object } type = kind::null;
  bool b = false;
  double num = 0.0;
  std::string str;
  std::vector<json> items;
  std::vector<std::string> keys;  // an object's members: keys[i] -> items[i]

  [[nodiscard]] const json& operator[](const std::string& key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return items[i];
    }
    throw std::out_of_range("json: no member " + key);
  }
  [[nodiscard]] bool has(const std::string& key) const {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }
  [[nodiscard]] std::vector<std::pair<std::string, const json*>> entries() const {
    std::vector<std::pair<std::string, const json*>> r;
    for (std::size_t i = 0; i < keys.size(); ++i) r.emplace_back(keys[i], &items[i]);
    return r;
  }
  [[nodiscard]] std::int64_t i64() const { return static_cast<std::int64_t>(num); }
};

class json_reader {
 public:
  explicit json_reader(std::string text) : m_text(std::move(text)) {}
  json parse() {
    json v = value();
    ws();
    if (m_pos != m_text.size()) throw std::runtime_error("json: trailing text");
    return v;
  }

 private:
  void ws() {
    while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])) != 0) ++m_pos;
  }
  char peek() {
    ws();
    if (m_pos >= m_text.size()) throw std::runtime_error("json: unexpected end");
    return m_text[m_pos];
  }
  void expect(char c) {
    if (peek() != c) throw std::runtime_error(std::string("json: expected ") + c);
    ++m_pos;
  }
  std::string string_value() {
    expect('"');
    std::string s;
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      if (m_text[m_pos] == '\\') ++m_pos;
      s += m_text[m_pos++];
    }
    ++m_pos;
    return s;
  }
  json value() {
    json v;
    const char c = peek();
    if (c == '{') {
      v.type = json::kind::object;
      ++m_pos;
      if (peek() == '}') {
        ++m_pos;
        return v;
      }
      for (;;) {
        std::string key = string_value();
        expect(':');
        v.keys.push_back(std::move(key));
        v.items.push_back(value());
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.type = json::kind::array;
      ++m_pos;
      if (peek() == ']') {
        ++m_pos;
        return v;
      }
      for (;;) {
        v.items.push_back(value());
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.type = json::kind::string;
      v.str = string_value();
      return v;
    }
    if (m_text.compare(m_pos, 4, "true") == 0 || m_text.compare(m_pos, 5, "false") == 0) {
      v.type = json::kind::boolean;
      v.b = m_text[m_pos] == 't';
      m_pos += v.b ? 4 : 5;
      return v;
    }
    if (m_text.compare(m_pos, 4, "null") == 0) {
      m_pos += 4;
      return v;
    }
    std::size_t used = 0;
    v.type = json::kind::number;
    v.num = std::stod(m_text.substr(m_pos, 40), &used);
    m_pos += used;
    return v;
  }

  std::string m_text;
  std::size_t m_pos = 0;
};

// Reads the HdrHistogram_c expectations, or returns false (with a warning
// printed by the caller) when the corpus is absent.
bool load_hdr_corpus(json& out) {
  const std::string dir = corpus_dir();
  if (dir.empty()) return false;
  std::ifstream in(dir + "/metrics/hdrhistogram-c-test-expectations.json");
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = json_reader(ss.str()).parse();
  return true;
}

em::histogram_options options_of(const json& init) {
  em::histogram_options o;
  o.lowest = init.has("lowest") ? init["lowest"].i64() : 1;
  o.highest = init["highest"].i64();
  o.significant_digits = static_cast<int>(init["sig"].i64());
  return o;
}

// The exact model's answer to value_at_percentile: the rank HdrHistogram_c
// computes (p/100 * n rounded half up, at least 1), in the sorted values.
std::int64_t model_percentile(const std::vector<std::int64_t>& sorted, double p) {
  auto rank = static_cast<std::uint64_t>(std::min(p, 100.0) / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  rank = std::max<std::uint64_t>(rank, 1);
  return sorted[static_cast<std::size_t>(rank - 1)];
}

}  // namespace

// ---------------------------------------------------------------------------
// counter and gauge
// ---------------------------------------------------------------------------

TEST_CASE("counter counts inc and add and resets to zero") {
  em::counter c;
  CHECK(c.value() == 0);
  c.inc();
  c.add(41);
  CHECK(c.value() == 42);
  c.reset();
  CHECK(c.value() == 0);
  c.add(5);
  CHECK(c.value() == 5);
  CHECK(c.rejected_count() == 0);
}

TEST_CASE("counter_f64 refuses negative NaN and infinite increments and counts them") {
  em::counter_f64 c;
  c.add(1.5);
  c.inc();
  c.add(-1.0);
  c.add(std::numeric_limits<double>::quiet_NaN());
  c.add(std::numeric_limits<double>::infinity());
  c.add(0.0);
  CHECK(c.value() == 2.5);
  CHECK(c.rejected_count() == 3);
}

TEST_CASE("counter is conserved and monotonic under several threads") {
  constexpr int threads = 6;
  const int per_thread = 20'000 * et::stress_scale();
  em::counter c;
  em::counter_f64 f;
  std::atomic<bool> done{false};
  std::atomic<bool> monotonic{true};
  std::thread reader([&] {
    std::uint64_t last = 0;
    while (!done.load(std::memory_order_acquire)) {
      const std::uint64_t v = c.value();
      if (v < last) monotonic.store(false);
      last = v;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        if ((i & 1) == 0) {
          c.inc();
        } else {
          c.add(static_cast<std::uint64_t>(t));
        }
        f.add(0.5);
      }
    });
  }
  for (auto& w : writers) w.join();
  done.store(true, std::memory_order_release);
  reader.join();
  std::uint64_t expected = 0;
  for (int t = 0; t < threads; ++t) {
    expected += static_cast<std::uint64_t>(per_thread / 2) * (1 + static_cast<std::uint64_t>(t));
  }
  CHECK(c.value() == expected);
  CHECK(f.value() == 0.5 * threads * per_thread);
  CHECK(monotonic.load());
}

TEST_CASE("counter keeps the counts of exited threads and of threads that reuse their slots") {
  em::counter c;
  for (int round = 0; round < 5; ++round) {
    std::thread a([&] { c.add(10); });
    std::thread b([&] { c.add(100); });
    a.join();
    b.join();
  }
  CHECK(c.value() == 550);
}

TEST_CASE("gauge sets adds and subtracts") {
  em::gauge g;
  g.set(10);
  g.add(5);
  g.sub(20);
  g.inc();
  g.dec();
  g.dec();
  CHECK(g.value() == -6);
  em::gauge_f64 d(1.5);
  d.add(0.25);
  d.sub(1.0);
  CHECK(d.value() == 0.75);
  d.set(-2.0);
  CHECK(d.value() == -2.0);
}

TEST_CASE("gauge inc and dec from several threads cancel out") {
  em::gauge g;
  em::gauge_f64 d;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        g.inc();
        d.add(1.0);
        g.dec();
        d.sub(1.0);
        g.add(2);
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(g.value() == 80'000);
  CHECK(d.value() == 0.0);
}

TEST_CASE("counter increments allocate nothing once the thread has its cell") {
  em::counter c;
  em::counter_f64 f;
  c.inc();
  f.inc();
  CHECK(et::check_no_alloc([&] {
    for (int i = 0; i < 1000; ++i) {
      c.inc();
      f.add(0.5);
    }
  }));
  CHECK(c.value() == 1001);
}

// ---------------------------------------------------------------------------
// histogram: configuration
// ---------------------------------------------------------------------------

TEST_CASE("histogram refuses invalid configurations as HdrHistogram_c does") {
  CHECK_THROWS_AS(em::histogram({0, 65536, 2}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({80, 110, 5}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({1, 36000000, -1}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({1, 36000000, 0}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({1, 36000000, 6}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({-5, 100, 3}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({10, 10, 3}), std::invalid_argument);
  // lowest 2^60 with 5 digits: unit magnitude 60 + 17 > 61.
  CHECK_THROWS_AS(em::histogram({std::int64_t{1} << 60, std::numeric_limits<std::int64_t>::max(), 5}),
                  std::invalid_argument);
  CHECK_FALSE(em::histogram::valid({0, 65536, 2}));
  CHECK(em::histogram::valid({1, 2, 1}));
  CHECK(em::histogram::valid({}));
}

TEST_CASE("histogram handles the extremes of a valid configuration") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  em::histogram h({1, max, 2});
  h.record(0);
  h.record(max);
  h.record(max / 3);
  h.record(-1);
  CHECK(h.total_count() == 3);
  CHECK(h.out_of_range_count() == 1);
  CHECK(h.max() == max);
  CHECK(h.min() == 0);
  CHECK(h.value_at_percentile(100.0) == max);
  const em::histogram_snapshot s = h.snapshot();
  CHECK(s.count_at_or_below(max) == 3);
  CHECK(s.count_at_or_below(max / 3 - max / 30) == 1);
  // A large lowest value with one digit still fits.
  em::histogram big({std::int64_t{1} << 56, max, 1});
  big.record(std::int64_t{1} << 62);
  CHECK(big.total_count() == 1);
  CHECK(big.snapshot().equivalent(big.value_at_percentile(50.0), std::int64_t{1} << 62));
}

// ---------------------------------------------------------------------------
// histogram: HdrHistogram_c's own expectations (hdr_histogram_test.c)
// ---------------------------------------------------------------------------

TEST_CASE("histogram matches HdrHistogram_c test expectations") {
  json corpus;
  if (!load_hdr_corpus(corpus)) {
    WARN("skipped: hdrhistogram-c-test-expectations.json not found (ELECTRON_CORPUS_DIR=" << corpus_dir() << ")");
    return;
  }

  SECTION("create: counts_len") {
    const json& c = corpus["create"];
    em::histogram h(options_of(c["init"]));
    CHECK(h.counts_len() == static_cast<std::size_t>(c["counts_len"].i64()));
  }

  SECTION("invalid configurations") {
    for (const json& c : corpus["invalid_init"].items) {
      const json& init = c.has("init") ? c["init"] : c["alloc"];
      INFO("highest " << init["highest"].i64() << " sig " << init["sig"].i64());
      CHECK(c["result"].str == "EINVAL");
      CHECK_FALSE(em::histogram::valid(options_of(init)));
      CHECK_THROWS_AS(em::histogram(options_of(init)), std::invalid_argument);
    }
  }

  SECTION("large values") {
    const json& c = corpus["large_values"];
    em::histogram h(options_of(c["init"]));
    for (const json& v : c["record"].items) h.record(v.i64());
    const em::histogram_snapshot s = h.snapshot();
    for (const auto& [p, v] : c["value_at_percentile_equivalent_to"].entries()) {
      INFO("p " << p);
      CHECK(s.equivalent(s.value_at_percentile(std::stod(p)), v->i64()));
    }
  }

  SECTION("out of range") {
    const json& c = corpus["out_of_range"];
    em::histogram h(options_of(c["init"]));
    h.record(1000);
    CHECK((h.out_of_range_count() == 0) == c["record_1000"].b);
    h.record(1001);
    CHECK((h.out_of_range_count() == 1) == !c["record_1001"].b);
    CHECK(h.total_count() == 1);
  }

  SECTION("linear iteration over small buckets") {
    const json& c = corpus["linear_iter_buckets"];
    em::histogram h(options_of(c["init"]));
    for (const json& v : c["record"].items) h.record(v.i64());
    std::int64_t steps = 0;
    std::uint64_t total = 0;
    h.snapshot().for_each_linear_step(c["linear_step"].i64(), [&](std::int64_t, std::uint64_t n) {
      ++steps;
      total += n;
    });
    CHECK(steps == c["steps"].i64());
    CHECK(total == static_cast<std::uint64_t>(c["total"].i64()));
  }

  SECTION("loaded histograms: raw and corrected") {
    const json& c = corpus["load_histograms"];
    em::histogram raw(options_of(c["init"]));
    em::histogram corrected(options_of(c["init"]));
    em::histogram scaled_corrected(options_of(c["scaled"]["init"]));
    for (const json& r : c["raw"]["record"].items) {
      for (std::int64_t i = 0; i < r["times"].i64(); ++i) raw.record(r["value"].i64());
    }
    for (const json& r : c["corrected"]["record_corrected"].items) {
      for (std::int64_t i = 0; i < r["times"].i64(); ++i) {
        corrected.record_corrected(r["value"].i64(), r["expected_interval"].i64());
        scaled_corrected.record_corrected(r["value"].i64() * 512, r["expected_interval"].i64() * 512);
      }
    }
    const em::histogram_snapshot rs = raw.snapshot();
    const em::histogram_snapshot cs = corrected.snapshot();
    const em::histogram_snapshot ss = scaled_corrected.snapshot();

    CHECK(rs.total_count() == static_cast<std::uint64_t>(c["total_count"]["raw"].i64()));
    CHECK(cs.total_count() == static_cast<std::uint64_t>(c["total_count"]["corrected"].i64()));
    CHECK(ss.total_count() == cs.total_count());
    CHECK(rs.min() == c["min"]["raw"].i64());
    CHECK(cs.min() == c["min"]["corrected"].i64());
    CHECK(rs.equivalent(rs.max(), c["max_equivalent_to"]["raw"].i64()));
    CHECK(cs.equivalent(cs.max(), c["max_equivalent_to"]["corrected"].i64()));

    // Percentiles: within 0.1% (the corpus's tolerance), and in the same
    // bucket as the expected value wherever that value is a bucket's own.
    auto check_percentiles = [](const em::histogram_snapshot& s, const json& expected) {
      for (const auto& [p, v] : expected.entries()) {
        const auto got = static_cast<double>(s.value_at_percentile(std::stod(p)));
        const auto want = static_cast<double>(v->i64());
        INFO("p " << p << " got " << got << " want " << want);
        CHECK(std::abs(got - want) <= want * 0.001);
      }
    };
    check_percentiles(rs, c["value_at_percentile_approx"]["raw"]);
    check_percentiles(cs, c["value_at_percentile_approx"]["corrected"]);

    // Scaled: the same buckets, 512 times wider.
    CHECK(std::abs(ss.mean() - 512.0 * cs.mean()) <= 1e-6 * ss.mean());
    CHECK(ss.lowest_equivalent(512 * cs.value_at_percentile(99.0)) ==
          ss.lowest_equivalent(ss.value_at_percentile(99.0)));

    // Recorded iteration: one step per non-empty bucket.
    std::vector<std::uint64_t> raw_steps;
    rs.for_each_bucket([&](std::int64_t, std::int64_t, std::uint64_t n) { raw_steps.push_back(n); });
    std::vector<std::uint64_t> want_steps;
    for (const json& n : c["recorded_iteration"]["raw_steps"].items) {
      want_steps.push_back(static_cast<std::uint64_t>(n.i64()));
    }
    CHECK(raw_steps == want_steps);
    std::vector<std::uint64_t> corrected_steps;
    cs.for_each_bucket([&](std::int64_t, std::int64_t, std::uint64_t n) { corrected_steps.push_back(n); });
    REQUIRE_FALSE(corrected_steps.empty());
    CHECK(corrected_steps.front() == static_cast<std::uint64_t>(c["recorded_iteration"]["corrected_first_step"].i64()));
    std::uint64_t corrected_total = 0;
    for (const std::uint64_t n : corrected_steps) corrected_total += n;
    CHECK(corrected_total == static_cast<std::uint64_t>(c["recorded_iteration"]["corrected_total"].i64()));

    // Linear iteration.
    {
      const json& lr = c["linear_iteration"]["raw"];
      std::vector<std::uint64_t> counts;
      rs.for_each_linear_step(lr["step"].i64(), [&](std::int64_t, std::uint64_t n) { counts.push_back(n); });
      REQUIRE(counts.size() == static_cast<std::size_t>(lr["steps"].i64()));
      CHECK(counts.front() == static_cast<std::uint64_t>(lr["count_at_step_0"].i64()));
      CHECK(counts.back() == static_cast<std::uint64_t>(lr["count_at_step_999"].i64()));
      std::uint64_t others = 0;
      for (std::size_t i = 1; i + 1 < counts.size(); ++i) others += counts[i];
      CHECK(others == static_cast<std::uint64_t>(lr["others"].i64()));
      const json& lc = c["linear_iteration"]["corrected"];
      counts.clear();
      cs.for_each_linear_step(lc["step"].i64(), [&](std::int64_t, std::uint64_t n) { counts.push_back(n); });
      REQUIRE(counts.size() == static_cast<std::size_t>(lc["steps"].i64()));
      CHECK(counts.front() == static_cast<std::uint64_t>(lc["count_at_step_0"].i64()));
      std::uint64_t total = 0;
      for (const std::uint64_t n : counts) total += n;
      CHECK(total == static_cast<std::uint64_t>(lc["total"].i64()));
    }

    // Logarithmic iteration.
    {
      const json& lg = c["log_iteration"];
      const std::int64_t first = lg["first_bucket"].i64();
      const double base = lg["base"].num;
      std::vector<std::uint64_t> counts;
      rs.for_each_log_step(first, base, [&](std::int64_t, std::uint64_t n) { counts.push_back(n); });
      REQUIRE(counts.size() == static_cast<std::size_t>(lg["raw"]["steps"].i64()));
      CHECK(counts.front() == static_cast<std::uint64_t>(lg["raw"]["count_at_step_0"].i64()));
      CHECK(counts.back() == static_cast<std::uint64_t>(lg["raw"]["count_at_step_14"].i64()));
      std::uint64_t others = 0;
      for (std::size_t i = 1; i + 1 < counts.size(); ++i) others += counts[i];
      CHECK(others == static_cast<std::uint64_t>(lg["raw"]["others"].i64()));
      counts.clear();
      cs.for_each_log_step(first, base, [&](std::int64_t, std::uint64_t n) { counts.push_back(n); });
      REQUIRE(counts.size() == static_cast<std::size_t>(lg["corrected"]["steps"].i64()));
      CHECK(counts.front() == static_cast<std::uint64_t>(lg["corrected"]["count_at_step_0"].i64()));
      std::uint64_t total = 0;
      for (const std::uint64_t n : counts) total += n;
      CHECK(total == static_cast<std::uint64_t>(lg["corrected"]["total"].i64()));
    }

    raw.reset();
    CHECK(raw.total_count() == static_cast<std::uint64_t>(c["after_reset"]["total_count"].i64()));
    CHECK(raw.value_at_percentile(99.0) == c["after_reset"]["value_at_percentile_99"].i64());
  }
}

// ---------------------------------------------------------------------------
// histogram against an exact model
// ---------------------------------------------------------------------------

TEST_CASE("histogram percentiles counts and sums agree with an exact model on random data") {
  std::mt19937_64 rng(20260214);
  for (int digits = 1; digits <= 5; ++digits) {
    for (const std::int64_t lowest : {std::int64_t{1}, std::int64_t{1000}}) {
      const std::int64_t highest = 3'600'000'000'000;
      em::histogram h({lowest, highest, digits});
      std::vector<std::int64_t> values;
      // Log-uniform values over the whole range, as latencies spread.
      std::uniform_real_distribution<double> log_dist(0.0, std::log(static_cast<double>(highest)));
      const int n = 20'000;
      for (int i = 0; i < n; ++i) {
        const auto v = static_cast<std::int64_t>(std::exp(log_dist(rng)));
        values.push_back(v);
        h.record(v);
      }
      std::sort(values.begin(), values.end());
      const em::histogram_snapshot s = h.snapshot();
      INFO("digits " << digits << " lowest " << lowest);
      REQUIRE(s.total_count() == values.size());
      CHECK(h.total_count() == values.size());
      CHECK(s.out_of_range_count() == 0);

      double exact_sum = 0.0;
      for (const std::int64_t v : values) exact_sum += static_cast<double>(v);
      CHECK(s.sum() == exact_sum);
      CHECK(h.sum() == exact_sum);
      CHECK(std::abs(s.mean() - exact_sum / n) <= 1e-9 * s.mean());

      // Relative error bound of the configuration: a bucket is at most
      // 10^-digits of its values wide, plus the unit below lowest.
      const double rel = std::pow(10.0, -digits);
      for (const double p : {0.0, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
        const std::int64_t got = s.value_at_percentile(p);
        const std::int64_t want = model_percentile(values, p);
        INFO("p " << p << " got " << got << " want " << want);
        CHECK(s.equivalent(got, want));
        CHECK(std::abs(static_cast<double>(got - want)) <=
              rel * static_cast<double>(want) + static_cast<double>(s.highest_equivalent(0)));
      }
      CHECK(s.min() == s.lowest_equivalent(values.front()));
      CHECK(s.max() == s.highest_equivalent(values.back()));

      // count_at_or_below at a bucket's highest value is exact.
      for (int k = 0; k < 200; ++k) {
        const std::int64_t probe = values[static_cast<std::size_t>(rng() % values.size())];
        const std::int64_t bound = s.highest_equivalent(probe);
        const auto want =
            static_cast<std::uint64_t>(std::upper_bound(values.begin(), values.end(), bound) - values.begin());
        CHECK(s.count_at_or_below(bound) == want);
        CHECK(s.count_at_or_below(probe) == want);
      }
      CHECK(s.count_at_or_below(-1) == 0);
      // The one-pass fold onto ascending bounds agrees with the single query.
      std::vector<std::int64_t> bounds = {-5, 0, 1, 7, 100, 1000, 12'345, 1'000'000, 50'000'000, highest};
      for (int k = 0; k < 20; ++k) bounds.push_back(values[static_cast<std::size_t>(rng() % values.size())]);
      std::sort(bounds.begin(), bounds.end());
      std::vector<std::uint64_t> folded(bounds.size());
      s.counts_at_or_below(bounds, folded);
      bool fold_ok = true;
      for (std::size_t b = 0; b < bounds.size(); ++b) fold_ok = fold_ok && folded[b] == s.count_at_or_below(bounds[b]);
      CHECK(fold_ok);
      CHECK(s.count_at_or_below(std::numeric_limits<std::int64_t>::max()) == values.size());

      // Buckets: each holds exactly the model's values in [lowest, highest].
      std::uint64_t seen = 0;
      bool buckets_ok = true;
      std::int64_t previous_high = -1;
      s.for_each_bucket([&](std::int64_t lo, std::int64_t hi, std::uint64_t count) {
        const auto in_bucket = static_cast<std::uint64_t>(std::upper_bound(values.begin(), values.end(), hi) -
                                                          std::lower_bound(values.begin(), values.end(), lo));
        if (in_bucket != count || lo <= previous_high || hi < lo) buckets_ok = false;
        previous_high = hi;
        seen += count;
      });
      CHECK(buckets_ok);
      CHECK(seen == values.size());

      // stddev: HdrHistogram's, from the buckets' middles, close to exact.
      double sq = 0.0;
      const double mean = exact_sum / n;
      for (const std::int64_t v : values) sq += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
      const double exact_sd = std::sqrt(sq / n);
      CHECK(std::abs(s.stddev() - exact_sd) <= 2 * rel * exact_sd + static_cast<double>(lowest));
    }
  }
}

TEST_CASE("histogram record_corrected agrees with recording each missing value") {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 300; ++round) {
    const int digits = 1 + static_cast<int>(rng() % 3);
    em::histogram fast({1, 100'000'000, digits});
    em::histogram naive({1, 100'000'000, digits});
    const auto v = static_cast<std::int64_t>(rng() % 2'000'000);
    const auto interval = static_cast<std::int64_t>(rng() % 5000) - 10;  // some <= 0
    fast.record_corrected(v, interval);
    naive.record(v);
    if (interval > 0) {
      for (std::int64_t m = v - interval; m >= interval; m -= interval) naive.record(m);
    }
    std::vector<em::histogram_bucket> a;
    std::vector<em::histogram_bucket> b;
    fast.for_each_bucket([&](std::int64_t lo, std::int64_t hi, std::uint64_t n) { a.push_back({lo, hi, n}); });
    naive.for_each_bucket([&](std::int64_t lo, std::int64_t hi, std::uint64_t n) { b.push_back({lo, hi, n}); });
    INFO("v " << v << " interval " << interval << " digits " << digits);
    REQUIRE(a.size() == b.size());
    bool same = true;
    for (std::size_t i = 0; i < a.size(); ++i) same = same && a[i].lowest == b[i].lowest && a[i].count == b[i].count;
    CHECK(same);
    CHECK(fast.total_count() == naive.total_count());
    CHECK(fast.sum() == naive.sum());
  }
  // Out of range: only counted, no missing values (HdrHistogram_c's rule).
  em::histogram h({1, 1000, 2});
  h.record_corrected(5000, 100);
  CHECK(h.total_count() == 0);
  CHECK(h.out_of_range_count() == 1);
  // A huge value with a unit interval: bucket by bucket, not 2^62 records.
  em::histogram big({1, std::numeric_limits<std::int64_t>::max(), 2});
  big.record_corrected(std::int64_t{1} << 62, 1);
  CHECK(big.total_count() == std::uint64_t{1} << 62);
}

TEST_CASE("histogram counts out of range values and keeps them out of the buckets") {
  em::histogram h({1, 1000, 3});
  h.record(-1);
  h.record(std::numeric_limits<std::int64_t>::min());
  h.record(1001, 5);
  h.record(std::numeric_limits<std::int64_t>::max());
  h.record(1000);
  h.record(0);
  CHECK(h.out_of_range_count() == 8);
  CHECK(h.total_count() == 2);
  CHECK(h.sum() == 1000.0);
  CHECK(h.snapshot().out_of_range_count() == 8);
  h.reset();
  CHECK(h.out_of_range_count() == 0);
  CHECK(h.total_count() == 0);
}

TEST_CASE("histogram record with a count and an empty histogram's queries") {
  em::histogram h;
  CHECK(h.value_at_percentile(50.0) == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.stddev() == 0.0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  int buckets = 0;
  h.for_each_bucket([&](std::int64_t, std::int64_t, std::uint64_t) { ++buckets; });
  CHECK(buckets == 0);
  h.record(100, 7);
  h.record(5000, 3);
  CHECK(h.total_count() == 10);
  CHECK(h.sum() == 7 * 100.0 + 3 * 5000.0);
  CHECK(h.value_at_percentile(70.0) == 100);
  CHECK(h.snapshot().equivalent(h.value_at_percentile(75.0), 5000));
  CHECK(h.count_at_or_below(100) == 7);
}

TEST_CASE("histogram merge adds counts with equal and with different options") {
  em::histogram a({1, 1'000'000, 3});
  em::histogram b({1, 1'000'000, 3});
  em::histogram c({1, 10'000, 2});
  std::vector<std::int64_t> all;
  for (std::int64_t v = 1; v < 1'000'000; v = v * 3 + 1) {
    a.record(v);
    b.record(v * 2 % 1'000'000);
    all.push_back(v);
    all.push_back(v * 2 % 1'000'000);
  }
  b.record(-3);
  a.merge(b);
  std::sort(all.begin(), all.end());
  const em::histogram_snapshot s = a.snapshot();
  CHECK(s.total_count() == all.size());
  CHECK(s.out_of_range_count() == 1);
  double sum = 0;
  for (const std::int64_t v : all) sum += static_cast<double>(v);
  CHECK(s.sum() == sum);
  for (const double p : {10.0, 50.0, 90.0, 100.0})
    CHECK(s.equivalent(s.value_at_percentile(p), model_percentile(all, p)));

  // Into a narrower histogram: the values above 10,000 are out of range.
  c.merge(a);
  const auto in_range = static_cast<std::uint64_t>(std::upper_bound(all.begin(), all.end(), 10'000) - all.begin());
  CHECK(c.total_count() == in_range);
  CHECK(c.out_of_range_count() == all.size() - in_range + 1);

  a.merge(a);  // self-merge doubles
  CHECK(a.total_count() == 2 * all.size());
  CHECK(a.sum() == 2 * sum);
  // The sum merges exactly beyond 2^53 (it is an integer sum, not a double).
  em::histogram x({1, std::int64_t{1} << 62, 2});
  em::histogram y({1, std::int64_t{1} << 62, 2});
  // 2^60 + 100 rounds to 2^60 as a double, but 2^60 + 200 to 2^60 + 256.
  x.record((std::int64_t{1} << 60) + 100);
  y.record(100);
  y.merge(x);
  CHECK(y.sum() == static_cast<double>((std::uint64_t{1} << 60) + 200));
  CHECK(y.snapshot().sum() == static_cast<double>((std::uint64_t{1} << 60) + 200));
  a.reset();
  CHECK(a.total_count() == 0);
  CHECK(a.snapshot().total_count() == 0);
  a.record(7);
  CHECK(a.total_count() == 1);
}

TEST_CASE("histogram recorded from many threads merges to the recorded total") {
  constexpr int threads = 8;
  const int per_thread = 20'000 * et::stress_scale();
  em::histogram h({1, 10'000'000, 3});
  std::atomic<bool> done{false};
  std::atomic<bool> reads_ok{true};
  std::thread reader([&] {
    std::uint64_t last = 0;
    while (!done.load(std::memory_order_acquire)) {
      const std::uint64_t n = h.snapshot().total_count();
      if (n < last) reads_ok.store(false);
      last = n;
    }
  });
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) h.record((i * 37 + t) % 100'000);
    });
  }
  for (auto& t : ts) t.join();
  done.store(true, std::memory_order_release);
  reader.join();
  CHECK(reads_ok.load());
  const em::histogram_snapshot s = h.snapshot();
  CHECK(s.total_count() == static_cast<std::uint64_t>(threads) * static_cast<std::uint64_t>(per_thread));
  CHECK(h.total_count() == s.total_count());
  // Per-bucket: the same as one thread recording everything.
  em::histogram model({1, 10'000'000, 3});
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i) model.record((i * 37 + t) % 100'000);
  }
  std::vector<std::uint64_t> got;
  std::vector<std::uint64_t> want;
  s.for_each_bucket([&](std::int64_t, std::int64_t, std::uint64_t n) { got.push_back(n); });
  model.for_each_bucket([&](std::int64_t, std::int64_t, std::uint64_t n) { want.push_back(n); });
  CHECK(got == want);
  CHECK(s.sum() == model.sum());
}

TEST_CASE("histogram merge from another thread while recording loses nothing") {
  em::histogram target({1, 1'000'000, 2});
  em::histogram source({1, 1'000'000, 2});
  for (int i = 0; i < 1000; ++i) source.record(i);
  std::thread recorder([&] {
    for (int i = 0; i < 20'000; ++i) target.record(i % 1000);
  });
  for (int k = 0; k < 10; ++k) target.merge(source);
  recorder.join();
  CHECK(target.total_count() == 20'000 + 10 * 1000);
}

TEST_CASE("more live threads than slots fall back to the shared cell and shard without losing counts") {
  // 128 slots: with 150 threads alive at once, at least 22 have none and go
  // through the fetch_add path.
  constexpr int threads = 150;
  em::counter c;
  em::histogram h({1, 1'000'000, 2});
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  std::atomic<int> without_slot{0};
  std::vector<std::thread> ts;
  ts.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      started.fetch_add(1);
      while (started.load() < threads) std::this_thread::yield();
      for (int i = 0; i < 100; ++i) {
        c.inc();
        h.record(t * 100 + i);
      }
      if (electron::detail::thread_slot() == electron::detail::slot_none) without_slot.fetch_add(1);
      // Keep the slot until every thread has recorded.
      finished.fetch_add(1);
      while (finished.load() < threads) std::this_thread::yield();
    });
  }
  for (auto& t : ts) t.join();
  CHECK(without_slot.load() >= threads - static_cast<int>(electron::detail::max_thread_slots));
  CHECK(c.value() == threads * 100);
  CHECK(h.total_count() == threads * 100);
  CHECK(h.lost_count() == 0);
  const em::histogram_snapshot s = h.snapshot();
  CHECK(s.total_count() == threads * 100);
  CHECK(s.sum() == static_cast<double>(threads * 100) * (threads * 100 - 1) / 2.0);
}

TEST_CASE("histogram record allocates nothing once the thread has its shard") {
  em::histogram h;
  h.record(1);
  CHECK(et::check_no_alloc([&] {
    for (std::int64_t i = 0; i < 10'000; ++i) h.record(i * 1013);
  }));
  CHECK(h.total_count() == 10'001);
}

TEST_CASE("histogram records into the shared shard when a thread's shard cannot be allocated") {
  if (!et::allocation_failures_supported()) {
    WARN("skipped: allocation failures need the counting operator new without a sanitizer");
    return;
  }
  em::histogram h({1, 1000, 2});
  {
    et::fail_nth_allocation f(1);  // the thread's shard
    h.record(5);
  }
  h.record(6);  // the thread's shard is allocated now
  CHECK(h.total_count() == 2);
  CHECK(h.lost_count() == 0);
  em::counter c;
  {
    et::fail_nth_allocation f(1);
    c.add(3);
  }
  c.add(4);
  CHECK(c.value() == 7);
}

// ---------------------------------------------------------------------------
// clock and timer
// ---------------------------------------------------------------------------

TEST_CASE("now_ns follows steady_clock and names its clock") {
  const std::string name = em::clock_name();
  CHECK((name == "tsc" || name == "steady_clock"));
  CHECK((name == "tsc") == (em::tsc_ticks_per_second() > 0.0));
  const std::int64_t a = em::now_ns();
  const auto s0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::int64_t b = em::now_ns();
  const auto s1 = std::chrono::steady_clock::now();
  const double steady = std::chrono::duration<double, std::nano>(s1 - s0).count();
  const auto measured = static_cast<double>(b - a);
  INFO("clock " << name << " now_ns " << measured << " steady " << steady);
  CHECK(b > a);
  // Within 1% plus scheduling noise between the back-to-back reads (5 ms).
  CHECK(std::abs(measured - steady) <= 0.01 * steady + 5e6);
  // Same epoch as steady_clock (to within calibration drift).
  const double epoch_gap = std::abs(static_cast<double>(em::now_ns()) -
                                    static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                            std::chrono::steady_clock::now().time_since_epoch())
                                                            .count()));
  CHECK(epoch_gap < 1e7);
  std::int64_t last = em::now_ns();
  bool monotonic = true;
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t t = em::now_ns();
    if (t < last) monotonic = false;
    last = t;
  }
  CHECK(monotonic);
}

TEST_CASE("timer records the elapsed nanoseconds once") {
  em::histogram h;
  {
    em::timer t(h);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(h.total_count() == 1);
  CHECK(h.max() >= 2'000'000);
  CHECK(h.min() < 1'000'000'000);
  {
    em::timer t(h);
    const std::int64_t e = t.stop();
    CHECK(e >= 0);
    CHECK(t.stop() == 0);
  }
  CHECK(h.total_count() == 2);
  {
    em::timer t(h);
    t.cancel();
  }
  CHECK(h.total_count() == 2);
}
