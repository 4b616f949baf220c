// SPDX-License-Identifier: MIT
#include "electron/trace.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#if __has_include(<unistd.h>)
#include <unistd.h>
#endif

namespace trace = electron::trace;
namespace et = electron::test;

namespace trace_test_disabled {
std::size_t record_some();
}

namespace {

static_assert(!std::is_copy_constructible_v<trace::span>);
static_assert(!std::is_move_constructible_v<trace::span>);
static_assert(std::is_nothrow_constructible_v<trace::span, const char*>);
static_assert(std::is_nothrow_destructible_v<trace::span>);
static_assert(trace::attr_value<int> && trace::attr_value<double> && trace::attr_value<const char*> &&
              trace::attr_value<std::string_view>);
static_assert(!trace::attr_value<std::vector<int>> && !trace::attr_value<void*>);

// A drained event, copied out of the visit.
struct seen {
  std::uint32_t tid;
  std::string name;
  trace::event_kind kind;
  std::uint32_t depth;
  std::uint64_t begin;
  std::uint64_t end;
  std::vector<std::pair<std::string, std::string>> attrs;  // key, value as text
  unsigned attrs_dropped;
};

std::string attr_text(const trace::attribute& a) {
  switch (a.type) {
    case trace::attr_type::int64:
      return "i" + std::to_string(a.as_int64());
    case trace::attr_type::uint64:
      return "u" + std::to_string(a.as_uint64());
    case trace::attr_type::float64:
      return "d" + std::to_string(a.as_double());
    case trace::attr_type::string:
      return "s" + std::string(a.as_string());
  }
  return "?";
}

struct drained {
  std::vector<seen> events;
  trace::drain_stats stats;
};

drained drain_all() {
  drained d;
  trace::collector c;
  d.stats = c.drain([&](const trace::thread_info& t, const trace::event& e) {
    seen s{t.tid, e.name, e.kind, e.depth, e.begin, e.end, {}, e.attrs_dropped};
    for (std::size_t i = 0; i < e.attr_count; ++i) s.attrs.emplace_back(e.attrs[i].key, attr_text(e.attrs[i]));
    d.events.push_back(std::move(s));
  });
  return d;
}

// The events of one thread id.
std::vector<seen> of_thread(const std::vector<seen>& v, std::uint32_t tid) {
  std::vector<seen> r;
  for (const seen& s : v) {
    if (s.tid == tid) r.push_back(s);
  }
  return r;
}

std::string temp_path(const char* stem) {
  long pid = 1;
#if __has_include(<unistd.h>)
  pid = static_cast<long>(::getpid());
#endif
  return (std::filesystem::temp_directory_path() / (std::string(stem) + "_" + std::to_string(pid) + ".json")).string();
}

// Runs tests/trace_check.py over a file with the Python the build found
// (ELECTRON_TEST_PYTHON, top-level CMakeLists.txt); 77 when there is none.
int run_checker(const std::string& file, const std::string& expectations) {
  const std::string python = ELECTRON_TEST_PYTHON;
  if (python.empty() || !std::filesystem::exists(python)) return 77;
  const std::string cmd = python + " " + ELECTRON_TRACE_CHECK_SCRIPT + " " + file + " " + expectations;
  const int rc = std::system(cmd.c_str());
  return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

}  // namespace

TEST_CASE("trace spans nest by the thread's current span") {
  trace::set_enabled(true);
  (void)drain_all();
  {
    trace::span a("a");
    a.attr("n", 7);
    {
      trace::span b("b");
      { trace::span c("c"); }
      trace::instant("mark");
    }
    trace::span d("d");
    CHECK(d.depth() == 1);
    CHECK(a.depth() == 0);
  }
  const drained d = drain_all();
  // Recorded at their ends: c, mark (instant, inside b), b, d, a.
  REQUIRE(d.events.size() == 5);
  const char* names[] = {"c", "mark", "b", "d", "a"};
  const std::uint32_t depths[] = {2, 2, 1, 1, 0};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(d.events[i].name == names[i]);
    CHECK(d.events[i].depth == depths[i]);
  }
  CHECK(d.events[1].kind == trace::event_kind::instant);
  CHECK(d.events[1].begin == d.events[1].end);
  const seen &c = d.events[0], &b = d.events[2], &dd = d.events[3], &a = d.events[4];
  // Strictly inside the parent, and siblings apart.
  CHECK((a.begin < b.begin && b.begin < c.begin && c.end < b.end && b.end < dd.begin && dd.end < a.end));
  CHECK((b.begin < d.events[1].begin && d.events[1].begin < b.end && c.end < d.events[1].begin));
  REQUIRE(a.attrs.size() == 1);
  CHECK(a.attrs[0] == std::make_pair(std::string("n"), std::string("i7")));
  CHECK(d.stats.dropped == 0);
}

TEST_CASE("trace child spans and explicit end") {
  (void)drain_all();
  {
    trace::span p("p");
    trace::span q("q");  // innermost
    {
      trace::span c = p.child("p.child");  // a child of p, although q is open
      CHECK(c.depth() == 1);
      CHECK(c.active());
      c.end();
      CHECK(!c.active());
      c.end();  // no effect
    }
    q.end();
  }
  const drained d = drain_all();
  REQUIRE(d.events.size() == 3);
  CHECK(d.events[0].name == "p.child");
  CHECK(d.events[0].depth == 1);
  CHECK(d.events[1].name == "q");
  CHECK(d.events[2].name == "p");
}

TEST_CASE("trace attributes keep their types and truncate long strings") {
  (void)drain_all();
  {
    trace::span s("attrs");
    s.attr("i", -5).attr("u", std::uint64_t{18446744073709551615u}).attr("d", 0.25);
  }
  {
    trace::span s("strings");
    s.attr("short", "abc");
    s.attr("long", std::string_view("0123456789abcdefghijklmnopqrstuvwxyz"));  // 36 bytes
    // 21 ASCII bytes then a 2-byte code point across the 22-byte limit.
    s.attr("utf8", "012345678901234567890\xC3\xA9xyz");
    s.attr("fourth", 1);  // beyond max_attrs
    s.attr("fifth", 2);
  }
  trace::instant("one", "k", true);
  trace::counter("ctr", 2.5);
  trace::counter("ictr", 42);
  const drained d = drain_all();
  REQUIRE(d.events.size() == 5);
  const auto& a = d.events[0].attrs;
  REQUIRE(a.size() == 3);
  CHECK(a[0].second == "i-5");
  CHECK(a[1].second == "u18446744073709551615");
  CHECK(a[2].second == "d" + std::to_string(0.25));
  const auto& s = d.events[1].attrs;
  REQUIRE(s.size() == 3);
  CHECK(s[0].second == "sabc");
  CHECK(s[1].second == "s" + std::string("0123456789abcdefghijklmnopqrstuvwxyz").substr(0, trace::max_attr_string));
  CHECK(s[2].second == "s012345678901234567890");  // the cut code point is left out whole
  CHECK(d.events[1].attrs_dropped == 2);
  CHECK(d.events[2].attrs.at(0).second == "i1");
  CHECK(d.events[3].kind == trace::event_kind::counter);
  CHECK(d.events[3].attrs.at(0) == std::make_pair(std::string("value"), "d" + std::to_string(2.5)));
  CHECK(d.events[4].attrs.at(0).second == "i42");
}

TEST_CASE("trace recording does not allocate once the thread has a buffer") {
  trace::instant("warm up");
  (void)drain_all();
  CHECK(et::check_no_alloc([] {
    for (int i = 0; i < 100; ++i) {
      trace::span s("no alloc");
      s.attr("i", i).attr("d", 1.5).attr("s", "a string that is longer than the inline room");
      trace::instant("i");
      trace::counter("c", i);
    }
  }));
  const drained d = drain_all();
  CHECK(d.events.size() == 300);
}

TEST_CASE("trace full buffers drop the newest events and count them exactly") {
  (void)drain_all();
  trace::set_buffer_capacity(8);
  std::uint32_t tid = 0;
  std::thread t([&] {
    for (int i = 0; i < 20; ++i) {
      trace::span s("overflow");
      s.attr("i", i);
    }
  });
  t.join();
  trace::set_buffer_capacity(8192);
  drained d = drain_all();
  std::size_t n = 0;
  for (const seen& s : d.events) {
    if (s.name == "overflow") {
      CHECK(s.attrs.at(0).second == "i" + std::to_string(n));  // the first 8, in order
      ++n;
      tid = s.tid;
    }
  }
  CHECK(n == 8);
  CHECK(d.stats.dropped == 12);
  CHECK(tid != 0);
  // The exited thread's buffer was drained and freed: no second report.
  d = drain_all();
  CHECK(d.stats.dropped == 0);
  CHECK(of_thread(d.events, tid).empty());
}

TEST_CASE("trace runtime switch") {
  (void)drain_all();
  trace::set_enabled(false);
  CHECK(!trace::enabled());
  {
    trace::span s("off");
    CHECK(!s.active());
    s.attr("x", 1);
    trace::span c = s.child("off.child");
    CHECK(!c.active());
    trace::instant("off");
    trace::counter("off", 1);
  }
  trace::set_enabled(true);
  {
    trace::span s("on then off");
    trace::set_enabled(false);
  }  // begun while on: recorded
  trace::set_enabled(true);
  const drained d = drain_all();
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].name == "on then off");
}

TEST_CASE("trace compile-time switch removes every call") {
  (void)drain_all();
  CHECK(trace_test_disabled::record_some() == 1);
  const drained d = drain_all();
  CHECK(d.events.empty());
}

TEST_CASE("trace threads that exit leave their events to the collector") {
  (void)drain_all();
  std::vector<std::thread> ts;
  for (int k = 0; k < 3; ++k) {
    ts.emplace_back([k] {
      trace::set_thread_name("worker " + std::to_string(k));
      for (int i = 0; i <= k; ++i) trace::span s("exiting");
    });
  }
  for (auto& t : ts) t.join();
  std::vector<std::string> names;
  std::size_t n = 0;
  trace::collector c;
  const trace::drain_stats st = c.drain([&](const trace::thread_info& t, const trace::event&) {
    CHECK(t.exited);
    if (std::find(names.begin(), names.end(), std::string(t.name)) == names.end()) names.emplace_back(t.name);
    ++n;
  });
  CHECK(n == 6);
  CHECK(st.events == 6);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"worker 0", "worker 1", "worker 2"});
}

TEST_CASE("trace export is Chrome Trace Event JSON that nests") {
  (void)drain_all();
  // A model of what goes in: per thread, a tree of spans, instants and
  // counters, one thread overflowing its buffer.
  trace::set_buffer_capacity(64);
  std::vector<std::thread> ts;
  for (int k = 0; k < 3; ++k) {
    ts.emplace_back([k] {
      trace::set_thread_name(k == 0 ? std::string("main \"loop\"") : "worker " + std::to_string(k));
      const int rounds = k == 2 ? 40 : 5;  // thread 2: 40 * 4 = 160 events into 64 slots
      for (int r = 0; r < rounds; ++r) {
        trace::span outer("outer");
        outer.attr("round", r).attr("who", "w\\\"x");
        {
          trace::span inner("inner");
          trace::span leaf = inner.child("leaf");
          leaf.attr("ratio", 0.5);
        }
        trace::counter("progress", r);
      }
      trace::instant("done");
    });
  }
  for (auto& t : ts) t.join();
  trace::set_buffer_capacity(8192);
  const std::string path = temp_path("electron_trace_test");
  trace::drain_stats st;
  trace::json_export_options o;
  o.process_name = "trace_test";
  const std::error_code ec = trace::collector{}.write_json_file(path.c_str(), o, &st);
  REQUIRE(!ec);
  // Threads 0 and 1: 5 rounds * 4 events + 1 instant = 21 each; thread 2 keeps
  // its first 64 and drops 160 + 1 - 64 = 97.
  CHECK(st.events == 21 + 21 + 64);
  CHECK(st.dropped == 97);
  // X: 15 + 15 + (64 - the 16 counters among thread 2's first 64 events) = 78.
  std::string expect = "X=78 i=2 C=26 M=4 dropped=97 threads=3";
  // The event forms the Chrome trace viewer's own test data uses.
  const std::string corpus = ELECTRON_CORPUS_DIR;
  const std::string forms = corpus.empty() ? std::string() : corpus + "/trace/catapult-test-data";
  if (!forms.empty() && std::filesystem::is_directory(forms)) {
    expect += " forms=" + forms;
  } else {
    WARN("no catapult-test-data in the corpus directory: event forms not compared");
  }
  const int rc = run_checker(path, expect);
  if (rc == 77) {
    WARN("no Python 3 (ELECTRON_TEST_PYTHON): the export's structure was not checked");
  } else {
    CHECK(rc == 0);
  }
  std::filesystem::remove(path);
}

// A byte_sink that keeps nothing: an export into it must not allocate, so its
// memory is json_writer's fixed window whatever the number of events.
struct counting_sink {
  std::size_t bytes = 0;
  std::size_t appends = 0;
  void append(std::string_view s) noexcept {
    bytes += s.size();
    ++appends;
  }
};

TEST_CASE("trace export streams with bounded memory") {
  (void)drain_all();
  for (int i = 0; i < 5000; ++i) {
    trace::span s("streamed");
    s.attr("i", i).attr("s", "some text");
  }
  counting_sink sink;
  trace::drain_stats st;
  CHECK(et::check_no_alloc([&] { st = trace::collector{}.write_json(sink); }));
  CHECK(st.events == 5000);
  CHECK(sink.bytes > 5000 * 100);
  CHECK(sink.appends > 10);  // went out in windows, not as one string
}

TEST_CASE("trace checker rejects overlapping spans") {
  // The checker must be able to fail: a child that ends after its parent.
  const std::string path = temp_path("electron_trace_bad");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  const std::string_view bad = R"({"traceEvents":[{"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"t"}},)"
                               R"({"name":"parent","ph":"X","pid":1,"tid":1,"ts":1.000,"dur":2.000},)"
                               R"({"name":"child","ph":"X","pid":1,"tid":1,"ts":1.500,"dur":1.501}],)"
                               R"("displayTimeUnit":"ns","otherData":{"dropped_events":0,"exported_events":2}})";
  CHECK(std::fwrite(bad.data(), 1, bad.size(), f) == bad.size());
  std::fclose(f);
  const int rc = run_checker(path, "");
  if (rc == 77) {
    WARN("no Python 3 (ELECTRON_TEST_PYTHON): the checker was not run");
  } else {
    CHECK(rc == 1);
  }
  std::filesystem::remove(path);
}

TEST_CASE("trace export of an empty trace is valid") {
  (void)drain_all();
#if defined(ELECTRON_TRACE_STEADY_CLOCK)
  CHECK(std::string_view(trace::clock_name()) == "steady_clock");
#endif
  std::string out;
  const trace::drain_stats st = trace::collector{}.write_json(out);
  CHECK(st.events == 0);
  CHECK(out.find(R"({"traceEvents":[],"displayTimeUnit":"ns","otherData":{"clock":)") == 0);
  CHECK(out.find(R"("exported_events":0,"dropped_events":0)") != std::string::npos);
}

TEST_CASE("trace timestamps are exact nanoseconds in microseconds") {
  (void)drain_all();
  { trace::span s("one"); }
  std::uint64_t begin = 0, end = 0;
  std::string out;
  // Drain into a model first, then compare with a second recording's text.
  { trace::span s("two"); }
  trace::collector c;
  (void)c.drain([&](const trace::thread_info&, const trace::event& e) {
    begin = e.begin;
    end = e.end;
  });
  CHECK(end > begin);
  { trace::span s("three"); }
  (void)c.write_json(out);
  const auto p = out.find(R"("name":"three","ph":"X")");
  REQUIRE(p != std::string::npos);
  const auto ts = out.find(R"("ts":)", p);
  const auto dot = out.find('.', ts);
  const auto comma = out.find(',', ts);
  REQUIRE((ts != std::string::npos && dot < comma));
  CHECK(comma - dot == 4);  // three decimals
  const std::uint64_t ns = std::stoull(out.substr(ts + 5, dot - ts - 5)) * 1000 + std::stoull(out.substr(dot + 1, 3));
  CHECK(ns > end);  // "three" began after "two" ended, to the ns
}

TEST_CASE("trace times are steady_clock nanoseconds") {
  (void)drain_all();  // calibrates the counter's rate when the clock is the TSC
  auto steady = [] {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
  };
  const std::uint64_t before = steady();
  {
    trace::span s("timed");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const std::uint64_t after = steady();
  const drained d = drain_all();
  REQUIRE(d.events.size() == 1);
  // Within the steady_clock readings around it, give or take the rate's
  // error (about 1 ppm of the time since the calibration origin) and noise.
  constexpr std::uint64_t slack = 200'000;
  CHECK(d.events[0].begin + slack >= before);
  CHECK(d.events[0].end <= after + slack);
  CHECK(d.events[0].end - d.events[0].begin >= 2'000'000 - slack / 10);
}

TEST_CASE("trace threads record while the collector drains (conservation)") {
  (void)drain_all();
  trace::set_buffer_capacity(256);  // small: some drops are likely
  constexpr int threads = 3;
  constexpr int per_thread = 20000;
  std::atomic<int> running{threads};
  std::vector<std::thread> ts;
  for (int k = 0; k < threads; ++k) {
    ts.emplace_back([&running] {
      for (int i = 0; i < per_thread; ++i) {
        trace::span s("work");
        s.attr("i", i);
        if (i % 7 == 0) trace::counter("sev", i);
      }
      running.fetch_sub(1, std::memory_order_release);
    });
  }
  std::uint64_t exported = 0, dropped = 0;
  std::vector<std::int64_t> last(64, -1);  // per tid: the last "i" seen
  bool ordered = true;
  trace::collector c;
  auto visit = [&](const trace::thread_info& t, const trace::event& e) {
    if (e.kind == trace::event_kind::complete) {
      const std::int64_t i = e.attrs[0].as_int64();
      if (t.tid < last.size()) {
        ordered = ordered && i > last[t.tid];
        last[t.tid] = i;
      }
    }
  };
  while (running.load(std::memory_order_acquire) != 0) {
    const trace::drain_stats st = c.drain(visit);
    exported += st.events;
    dropped += st.dropped;
    std::string sink;
    const trace::drain_stats js = c.write_json(sink);  // the export path under TSan too
    exported += js.events;
    dropped += js.dropped;
  }
  for (auto& t : ts) t.join();
  const trace::drain_stats st = c.drain(visit);
  exported += st.events;
  dropped += st.dropped;
  trace::set_buffer_capacity(8192);
  const std::uint64_t recorded = threads * (per_thread + (per_thread + 6) / 7);
  CHECK(exported + dropped == recorded);
  CHECK(ordered);
}
