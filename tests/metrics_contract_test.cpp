// SPDX-License-Identifier: MIT
// metrics' contract cases: the registry, its families and the histogram
// tried with the kit of electron/test.hpp (docs/contracts.md): allocations
// that fail at every step of a registration, a sink that throws midway, a
// collector whose names are refused, and sizes at the limits.
#include "electron/metrics.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace et = electron::test;
namespace em = electron::metrics;

namespace {

// A metric's address is what a caller keeps (the registry hands out
// references), so none of them can be copied or moved.
static_assert(!std::is_copy_constructible_v<electron::metrics::counter> &&
              !std::is_move_constructible_v<electron::metrics::counter>);
static_assert(!std::is_copy_constructible_v<electron::metrics::gauge_f64> &&
              !std::is_move_constructible_v<electron::metrics::gauge_f64>);
static_assert(!std::is_copy_constructible_v<electron::metrics::histogram> &&
              !std::is_move_constructible_v<electron::metrics::histogram>);
static_assert(!std::is_copy_constructible_v<electron::metrics::registry> &&
              !std::is_move_constructible_v<electron::metrics::registry>);
static_assert(!std::is_copy_constructible_v<electron::metrics::family<electron::metrics::counter>>);

// Runs op with the 1st, 2nd, ... allocation failing until it completes, and
// checks after each failure that the registry's exposition is what it was.
template <class Op>
void check_strong(const em::registry& reg, Op op) {
  const std::string before = reg.text();
  for (std::int64_t n = 1; n < 10'000; ++n) {
    bool completed = false;
    {
      et::fail_nth_allocation f(n);
      try {
        op();
        completed = true;
      } catch (const std::bad_alloc&) {
      }
    }
    if (completed) return;
    INFO("allocation " << n << " failed");
    REQUIRE(reg.text() == before);
  }
  FAIL("op never completed");
}

// A sink that throws once it has taken `limit` bytes.
struct throwing_sink {
  std::string bytes;
  std::size_t limit;
  void append(std::string_view s) {
    if (bytes.size() + s.size() > limit) throw std::runtime_error("sink full");
    bytes.append(s);
  }
};
static_assert(electron::encoding::byte_sink<throwing_sink>);

struct named_collector final : em::collector {
  std::vector<std::string> names;
  explicit named_collector(std::vector<std::string> n) : names(std::move(n)) {}
  void collect(em::text_writer& out) override {
    for (const std::string& n : names) out.family(n, "a collector's family", em::metric_type::gauge);
  }
  [[nodiscard]] std::vector<std::string> family_names() const override { return names; }
};

}  // namespace

TEST_CASE("contract: registering a family or a series under failing allocations changes nothing",
          "[contract][alloc][metrics]") {
  if (!et::allocation_failures_supported()) {
    WARN("skipped: allocation failures need the counting operator new without a sanitizer");
    return;
  }
  em::registry reg;
  reg.counter_family("first_total", "The first.", {"k"}).labels({"a"}).add(3);

  check_strong(reg, [&] { reg.counter_family("requests_total", "Requests \"served\".", {"method", "code"}); });
  check_strong(reg, [&] { reg.counter_family("requests_total", "", {"method", "code"}).labels({"GET", "200"}); });
  check_strong(reg,
               [&] { reg.histogram_family("latency_seconds", "Latency.", {"route"}, em::histogram_family_options{}); });
  check_strong(reg, [&] {
    reg.histogram_family("latency_seconds", "", {"route"}, em::histogram_family_options{}).labels({"/a\\b\n"});
  });
  reg.histogram_family("latency_seconds", "", {"route"}, em::histogram_family_options{})
      .labels({"/a\\b\n"})
      .record(1000);
  check_strong(reg, [&] { reg.gauge_family("temperature", "Now.", {}); });
  check_strong(reg, [&] { reg.gauge_family("temperature", "Now.", {}).get(); });
  reg.gauge_family("temperature", "Now.", {}).get().set(-3);

  // Every registration went in once, with its values.
  em::family<em::counter>& requests = reg.counter_family("requests_total", "", {"method", "code"});
  CHECK(requests.size() == 1);
  requests.labels({"GET", "200"}).inc();
  CHECK(reg.size() == 4);
  const std::string text = reg.text();
  CHECK(text.find("first_total{k=\"a\"} 3\n") != std::string::npos);
  CHECK(text.find("requests_total{method=\"GET\",code=\"200\"} 1\n") != std::string::npos);
  CHECK(text.find("latency_seconds_count{route=\"/a\\\\b\\n\"} 1\n") != std::string::npos);
  CHECK(text.find("temperature -3\n") != std::string::npos);
}

TEST_CASE("contract: a sink that throws midway leaves the registry whole", "[contract][throw][metrics]") {
  em::registry reg;
  auto& c = reg.counter_family("jobs_total", "Jobs.", {"queue"});
  for (int i = 0; i < 50; ++i) c.labels({std::to_string(i)}).add(static_cast<std::uint64_t>(i));
  reg.histogram_family("wait_seconds", "Waits.", {}, em::histogram_family_options{}).get().record(42);
  const std::string full = reg.text();
  REQUIRE(full.size() > 1000);

  for (const std::size_t limit : {std::size_t{0}, std::size_t{1}, std::size_t{100}, full.size() / 2, full.size() - 1}) {
    throwing_sink sink{{}, limit};
    CHECK_THROWS_AS(reg.write_text(sink), std::runtime_error);
    CHECK(sink.bytes.size() <= limit);
    CHECK(full.compare(0, sink.bytes.size(), sink.bytes) == 0);  // what got out is a prefix
    // The registry's lock was released and nothing changed.
    CHECK(reg.text() == full);
    c.labels({"0"}).add(0);
  }
  throwing_sink roomy{{}, full.size()};
  reg.write_text(roomy);
  CHECK(roomy.bytes == full);
}

TEST_CASE("contract: a collector whose names are refused reserves none of them", "[contract][metrics]") {
  em::registry reg;
  reg.counter_family("taken_total", "Taken.", {});
  // An invalid name after a valid one, a taken name, and a name given twice.
  CHECK_THROWS_AS(reg.add_collector(std::make_unique<named_collector>(std::vector<std::string>{"free_a", "bad name"})),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      reg.add_collector(std::make_unique<named_collector>(std::vector<std::string>{"free_b", "taken_total"})),
      std::invalid_argument);
  CHECK_THROWS_AS(reg.add_collector(std::make_unique<named_collector>(std::vector<std::string>{"free_c", "free_c"})),
                  std::invalid_argument);
  // None of free_a, free_b, free_c was kept.
  CHECK_NOTHROW(reg.gauge_family("free_a", "", {}));
  CHECK_NOTHROW(reg.gauge_family("free_b", "", {}));
  CHECK_NOTHROW(reg.add_collector(std::make_unique<named_collector>(std::vector<std::string>{"free_c", "free_d"})));
  CHECK_THROWS_AS(reg.counter_family("free_d", "", {}), std::invalid_argument);
  const std::string text = reg.text();
  CHECK(text.find("# TYPE free_c gauge\n") != std::string::npos);
  CHECK(text.find("# TYPE free_d gauge\n") != std::string::npos);

  if (et::allocation_failures_supported()) {
    const std::size_t families = reg.size();
    check_strong(reg, [&] {
      reg.add_collector(std::make_unique<named_collector>(std::vector<std::string>{"late_a", "late_b", "late_c"}));
    });
    CHECK(reg.size() == families);
    CHECK_THROWS_AS(reg.gauge_family("late_b", "", {}), std::invalid_argument);  // taken by the collector
  }
}

TEST_CASE("contract: refused label counts, label sets and configurations change nothing", "[contract][metrics]") {
  em::registry reg;
  auto& f = reg.gauge_family("g", "", {"a", "b"});
  f.labels({"1", "2"}).set(7);
  const std::string before = reg.text();
  CHECK_THROWS_AS(f.labels({"1"}), std::invalid_argument);
  CHECK_THROWS_AS(f.labels({"1", "2", "3"}), std::invalid_argument);
  CHECK_THROWS_AS(f.get(), std::invalid_argument);
  std::vector<std::string> many;
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i <= em::max_labels; ++i) many.push_back("l" + std::to_string(i));
  names.assign(many.begin(), many.end());
  CHECK_THROWS_AS(reg.histogram_family("too_many", "", std::span<const std::string_view>(names), {}),
                  std::invalid_argument);
  names.pop_back();
  CHECK_NOTHROW(reg.histogram_family("just_enough", "", std::span<const std::string_view>(names), {}));
  em::histogram_family_options bad;
  bad.buckets = {1.0, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_AS(reg.histogram_family("h", "", {}, bad), std::invalid_argument);
  CHECK(f.size() == 1);
  CHECK(reg.text().starts_with(before));
}

TEST_CASE("contract: histograms at the limits of their range", "[contract][huge][metrics]") {
  constexpr std::int64_t top = std::numeric_limits<std::int64_t>::max();
  em::histogram h({1, top, 3});
  CHECK(h.counts_len() > 0);
  CHECK(h.counts_len() < 100'000);  // log-linear: not proportional to the range
  h.record(top);
  h.record(0);
  h.record(-1);
  h.record(std::numeric_limits<std::int64_t>::min());
  h.record(top - 1, std::uint64_t{1} << 40);
  CHECK(h.out_of_range_count() == 2);
  CHECK(h.max() == top);
  CHECK(h.min() == 0);
  CHECK(h.total_count() == 2 + (std::uint64_t{1} << 40));
  CHECK(h.value_at_percentile(std::numeric_limits<double>::quiet_NaN()) == top);
  CHECK(h.value_at_percentile(-1e300) == 0);
  CHECK(h.value_at_percentile(1e300) == top);
  CHECK_THROWS_AS(em::histogram({0, 10, 3}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({1, 10, 6}), std::invalid_argument);
  CHECK_THROWS_AS(em::histogram({top, top, 3}), std::invalid_argument);

  // A label value and a help text of a mebibyte each come out whole, escaped.
  em::registry reg;
  const std::string big(1 << 20, '"');
  reg.counter_family("big_total", big, {"v"}).labels({big}).inc();
  const std::string text = reg.text();
  CHECK(text.size() > 3 * big.size());  // HELP escapes only \\ and newlines; the label value's quotes double
  CHECK(text.find("big_total{v=\"\\\"\\\"") != std::string::npos);
}
